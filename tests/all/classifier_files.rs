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
