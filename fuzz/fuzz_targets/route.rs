//! The hot path on arbitrary text: featurizer, classifier and policy never panic, the
//! probabilities are a distribution, and `route` agrees with `decide` on them.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use promptyard::router::Router;

static ROUTER: OnceLock<Router> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let router = ROUTER.get_or_init(|| Router::new().expect("the bundled router loads"));
    let text = String::from_utf8_lossy(data);
    let Ok(d) = router.route(&text) else {
        return;
    };
    assert!(
        d.probs.iter().all(|p| p.is_finite() && *p >= 0.0),
        "{:?}",
        d.probs
    );
    assert!(
        (d.probs.iter().sum::<f32>() - 1.0).abs() < 1e-4,
        "{:?}",
        d.probs
    );
    assert!(d.est_cost_usd.is_finite() && d.est_cost_usd >= 0.0);
    let again = router
        .decide(&d.probs, &text)
        .expect("the same probabilities decide");
    assert_eq!(again.model, d.model);
});
