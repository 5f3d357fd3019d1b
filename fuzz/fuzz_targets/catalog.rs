//! The catalog parser on arbitrary text: an error or a catalog, never a panic; an accepted
//! catalog routes any probabilities to a finite cost.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use promptyard::catalog::Catalog;
use promptyard::policy::Policy;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(catalog) = Catalog::parse(text, "fuzz.toml") else {
        return;
    };
    let policy = Policy::new(Arc::new(catalog));
    for probs in [
        [1.0, 0.0, 0.0, 0.0],
        [0.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, 1.0, 0.0],
        [0.0, 0.0, 0.0, 1.0],
        [0.4, 0.3, 0.2, 0.1],
    ] {
        for tokens in [0, 1_000, u32::MAX as u64] {
            if let Ok(choice) = policy.choose(&probs, tokens) {
                assert!(choice.pick().cost_usd.is_finite());
            }
        }
    }
});
