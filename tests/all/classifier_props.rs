//! Whatever the input, the classifier returns finite probabilities summing to 1 and never panics.

use proptest::prelude::*;
use promptyard::classifier::{Classifier, Scratch};
use promptyard::features::FeatureScratch;

fn check(clf: &Classifier, text: &str) {
    let p = clf.predict(text);
    assert!(p.iter().all(|x| x.is_finite() && *x >= 0.0), "{p:?}");
    assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5, "{p:?}");
    let mut ids = Vec::new();
    clf.featurizer()
        .featurize(text, &mut FeatureScratch::default(), &mut ids);
    assert!(ids.iter().all(|&b| b < clf.featurizer().config().buckets));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_unicode_string(text in any::<String>()) {
        check(&Classifier::bundled().unwrap(), &text);
    }

    #[test]
    fn any_bytes_decoded_lossily(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        check(&Classifier::bundled().unwrap(), &String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn mixed_scripts_and_code(parts in proptest::collection::vec(
        prop_oneof![
            Just("plan the rollout "), Just("なぜ空は青いのですか"), Just("写一个函数"),
            Just("fn main() { println!(\"{}\", x); }"), Just("Ｆｕｌｌｗｉｄｔｈ "), Just("\u{301}\u{200d}"),
            Just("🦀🦀"), Just("\r\n\t"), Just("ﷺ"), Just("x̸̢͎"),
        ], 0..40)) {
        check(&Classifier::bundled().unwrap(), &parts.concat());
    }
}

#[test]
fn huge_prompts_are_truncated_not_slow() {
    let clf = Classifier::bundled().unwrap();
    let huge = "lorem ipsum dolor sit amet ".repeat(400_000); // ~10 MB
    let start = std::time::Instant::now();
    check(&clf, &huge);
    // The truncation budget bounds the work: far below what 10 MB of n-grams would cost.
    assert!(start.elapsed().as_millis() < 500, "{:?}", start.elapsed());
    // Head and tail only: the middle of the prompt does not matter.
    let mut mid = huge.clone();
    mid.replace_range(5_000_000..5_000_010, "def main()");
    assert_eq!(clf.predict(&huge), clf.predict(&mid));
}

#[test]
fn scratch_reuse_gives_identical_results() {
    let clf = Classifier::bundled().unwrap();
    let mut scratch = Scratch::default();
    let texts = [
        "a much longer prompt about planning a migration in several phases",
        "x",
        "",
    ];
    for t in texts {
        assert_eq!(clf.predict_with(t, &mut scratch), clf.predict(t));
    }
}
