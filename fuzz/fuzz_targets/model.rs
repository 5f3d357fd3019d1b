//! The model loader on arbitrary bytes: `config.json` (its length in the first two bytes,
//! little-endian) and `model.safetensors` (the rest). An error or a classifier, never a
//! panic; a loaded classifier gives finite probabilities that sum to 1 on any prompt.
#![no_main]

use libfuzzer_sys::fuzz_target;
use promptyard::classifier::Classifier;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let n = u16::from_le_bytes([data[0], data[1]]) as usize;
    let rest = &data[2..];
    let (config, weights) = rest.split_at(n.min(rest.len()));
    let Ok(clf) = Classifier::from_bytes(config, weights, "fuzz") else {
        return;
    };
    for prompt in [
        "",
        "plan plan plan plan plan",
        "def f(x):\n    return x",
        "日本語のテキスト",
    ] {
        let p = clf.predict(prompt);
        assert!(p.iter().all(|x| x.is_finite() && *x >= 0.0), "{p:?}");
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4, "{p:?}");
    }
});
