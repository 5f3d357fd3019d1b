//! Missing, truncated and mismatched model files are rejected with an error naming the file.

use std::path::Path;

use promptyard::classifier::Classifier;
use promptyard::model::{ModelConfig, ModelFile, CONFIG_FILE, WEIGHTS_FILE};
use promptyard::Error;

/// Copies the bundled model into a temp dir, lets `edit` damage it, and returns the load error.
fn load_damaged(edit: impl FnOnce(&Path)) -> String {
    let dir = tempfile::tempdir().unwrap();
    ModelFile::bundled().unwrap().save(dir.path()).unwrap();
    edit(dir.path());
    match Classifier::load(dir.path()) {
        Ok(_) => panic!("a damaged model loaded"),
        Err(e @ Error::Model { .. }) => e.to_string(),
        Err(other) => panic!("expected Error::Model, got {other:?}"),
    }
}

fn edit_config(dir: &Path, f: impl FnOnce(&mut ModelConfig)) {
    let p = dir.join(CONFIG_FILE);
    let mut c: ModelConfig = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    f(&mut c);
    std::fs::write(&p, serde_json::to_vec(&c).unwrap()).unwrap();
}

#[test]
fn a_copy_of_the_bundled_model_loads() {
    let dir = tempfile::tempdir().unwrap();
    let clf = Classifier::bundled().unwrap();
    ModelFile::bundled().unwrap().save(dir.path()).unwrap();
    assert_eq!(
        Classifier::load(dir.path()).unwrap().fingerprint(),
        clf.fingerprint()
    );
}

#[test]
fn missing_files_are_named() {
    let e = load_damaged(|d| std::fs::remove_file(d.join(WEIGHTS_FILE)).unwrap());
    assert!(e.contains(WEIGHTS_FILE) && e.contains("missing"), "{e}");
    let e = load_damaged(|d| std::fs::remove_file(d.join(CONFIG_FILE)).unwrap());
    assert!(e.contains(CONFIG_FILE) && e.contains("missing"), "{e}");
}

#[test]
fn truncated_weights_are_rejected() {
    let e = load_damaged(|d| {
        let p = d.join(WEIGHTS_FILE);
        let bytes = std::fs::read(&p).unwrap();
        std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    });
    assert!(e.contains(WEIGHTS_FILE) && e.contains("truncated"), "{e}");
    let e = load_damaged(|d| std::fs::write(d.join(WEIGHTS_FILE), b"").unwrap());
    assert!(e.contains(WEIGHTS_FILE), "{e}");
}

#[test]
fn a_wrong_bucket_count_is_rejected() {
    let e = load_damaged(|d| edit_config(d, |c| c.featurizer.buckets /= 2));
    assert!(e.contains(WEIGHTS_FILE) && e.contains("featurizer"), "{e}");
}

#[test]
fn a_different_hash_or_seed_is_rejected() {
    let e = load_damaged(|d| edit_config(d, |c| c.featurizer.hash = "siphash".into()));
    assert!(e.contains(CONFIG_FILE) && e.contains("siphash"), "{e}");
    let e = load_damaged(|d| edit_config(d, |c| c.featurizer.seed += 1));
    assert!(e.contains(WEIGHTS_FILE) && e.contains("featurizer"), "{e}");
}

#[test]
fn a_different_label_order_is_rejected() {
    let e = load_damaged(|d| edit_config(d, |c| c.labels.swap(0, 2)));
    assert!(e.contains(CONFIG_FILE) && e.contains("label order"), "{e}");
}

#[test]
fn a_garbled_config_is_rejected() {
    let e = load_damaged(|d| std::fs::write(d.join(CONFIG_FILE), b"{\"format\": 3").unwrap());
    assert!(
        e.contains(CONFIG_FILE) && e.contains("invalid config"),
        "{e}"
    );
    let e = load_damaged(|d| edit_config(d, |c| c.temperature = 0.0));
    assert!(e.contains("temperature"), "{e}");
}

/// A three-label model (trained before `other` existed) keeps loading: it reports `other`
/// with probability exactly 0 and the other three as softmax over its own three logits, so
/// here, built from the bundled model minus its `other` row, `p3[k] = p4[k] / (1 - p4[other])`.
#[test]
fn a_three_label_model_loads_and_predicts_other_zero() {
    use promptyard::classifier::BatchEngine;
    use promptyard::Label;

    let four = ModelFile::bundled().unwrap();
    let dim = four.config.dim;
    let mut config = four.config.clone();
    config.labels = Label::LEGACY.to_vec();
    let legacy = ModelFile::from_f32(
        config,
        &four.embedding_f32(),
        &four.weight[..3 * dim],
        &four.bias[..3],
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    legacy.save(dir.path()).unwrap();
    let old = Classifier::load(dir.path()).unwrap();
    let new = Classifier::bundled().unwrap();
    let prompts = [
        "Complete this function: def fizzbuzz(n):",
        "Plan a 3-day trip to Lisbon",
        "Translate to French: good morning",
        "hi",
        "",
    ];
    let engine = BatchEngine::new(&old, &candle_core::Device::Cpu).unwrap();
    let batch = engine.predict(&prompts).unwrap();
    let mut renormalised = 0;
    for (text, b) in prompts.iter().zip(&batch) {
        let (p3, p4) = (old.predict(text), new.predict(text));
        assert_eq!(p3[Label::Other.index()], 0.0, "{text:?}");
        assert_eq!(b[Label::Other.index()], 0.0, "{text:?} (candle)");
        let rest = 1.0 - p4[Label::Other.index()];
        for k in 0..3 {
            // Where the four-label model is sure of `other`, dividing by the tiny rest
            // amplifies f32 rounding: compare only where the rest carries real mass.
            if rest > 0.05 {
                assert!(
                    (p3[k] - p4[k] / rest).abs() < 1e-4,
                    "{text:?}: {p3:?} vs {p4:?}"
                );
            }
            assert!(
                (b[k] - p3[k]).abs() < 1e-5,
                "{text:?}: candle {b:?} vs {p3:?}"
            );
        }
        renormalised += usize::from(rest > 0.05);
        assert_ne!(Label::argmax(&p3), Label::Other);
    }
    assert!(renormalised >= 2, "only {renormalised} prompts compared");
}

#[test]
fn a_label_list_that_is_neither_four_nor_the_legacy_three_is_rejected() {
    let e = load_damaged(|d| edit_config(d, |c| c.labels.truncate(2)));
    assert!(e.contains(CONFIG_FILE) && e.contains("label order"), "{e}");
}
