//! Whatever the input, the classifier returns finite probabilities summing to 1 and never panics.

use promptyard::classifier::{Classifier, Scratch};
use promptyard::features::FeatureScratch;
use proptest::prelude::*;

fn check(clf: &Classifier, text: &str) {
    let p = clf.predict(text);
    assert!(p.iter().all(|x| x.is_finite() && *x >= 0.0), "{p:?}");
    assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5, "{p:?}");
    let mut ids = Vec::new();
    clf.featurizer()
        .featurize(text, &mut FeatureScratch::default(), &mut ids);
    assert!(ids.iter().all(|&b| b < clf.featurizer().config().buckets));
    // The recording path (per-prompt adequacy) writes the same ids into a buffer sized by
    // the featurizer's bound on features per prompt (debug builds assert the bound holds).
    let mut recorded = Vec::new();
    assert_eq!(clf.predict_recording(text, &mut Scratch::default(), &mut recorded), p);
    assert_eq!(recorded, ids);
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

/// The truncation budget bounds the work, counted in features rather than timed: a 10 MB
/// prompt costs exactly what a 27 KB prompt with the same head and tail costs.
#[test]
fn huge_prompts_are_truncated_so_the_work_is_bounded() {
    let clf = Classifier::bundled().unwrap();
    let phrase = "lorem ipsum dolor sit amet ";
    let huge = phrase.repeat(400_000); // ~10 MB
    check(&clf, &huge);
    let f = clf.featurizer();
    let features = |text: &str| {
        let mut ids = Vec::new();
        f.featurize(text, &mut FeatureScratch::default(), &mut ids);
        ids
    };
    let (big, small) = (features(&huge), features(&phrase.repeat(1_000)));
    assert_eq!(big, small, "the middle of a long prompt was featurised");
    // At most, per byte of kept (ASCII, so not lengthened by normalisation) text: one token,
    // one bigram and, for a word of n ≥ 1 bytes, char n-grams of each length over ≤ n + 2 chars.
    let cfg = f.config();
    let kept = (cfg.head_bytes + cfg.tail_bytes + 1) as usize;
    let lengths = usize::from(cfg.char_ngram_max - cfg.char_ngram_min) + 1;
    assert!(
        !big.is_empty() && big.len() <= kept * (2 + 3 * lengths),
        "{}",
        big.len()
    );
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

/// `predict_recording` writes exactly the featurizer's ids, in order, and the probabilities
/// of `predict`, for the default 2^18-bucket table and for a table of another size (two
/// code paths), on any prompt, with one reused buffer that held more ids before.
#[test]
fn recorded_ids_are_the_featurizers_and_the_probabilities_predicts() {
    use promptyard::features::FeaturizerConfig;
    use promptyard::model::{ModelConfig, ModelFile};
    let small = {
        let featurizer = FeaturizerConfig {
            buckets: 1 << 10,
            ..FeaturizerConfig::default()
        };
        let (dim, labels) = (4, 4);
        let config = ModelConfig::new(featurizer, dim);
        let embedding: Vec<f32> = (0..(1 << 10) * dim).map(|i| (i % 7) as f32 / 7.0 - 0.4).collect();
        let weight: Vec<f32> = (0..labels * dim).map(|i| (i % 5) as f32 / 5.0 - 0.5).collect();
        let file = ModelFile::from_f32(config, &embedding, &weight, &[0.1, 0.0, -0.1, 0.0]).unwrap();
        Classifier::from_file(&file, "small").unwrap()
    };
    let texts = [
        "a much longer prompt about planning a migration in several phases, with a rollback step",
        "fn main() { println!(\"{}\", 1 + 1); }",
        "x",
        "",
        "Переведи на английский: «доброе утро»",
    ];
    for clf in [Classifier::bundled().unwrap(), small] {
        let (mut scratch, mut ids) = (Scratch::default(), vec![7u32; 10_000]);
        for t in texts.iter().chain(texts.iter().rev()) {
            let probs = clf.predict_recording(t, &mut scratch, &mut ids);
            let mut want = Vec::new();
            clf.featurizer()
                .featurize(t, &mut FeatureScratch::default(), &mut want);
            assert_eq!(ids, want, "{t:?}");
            assert_eq!(probs, clf.predict(t), "{t:?}");
        }
    }
}
