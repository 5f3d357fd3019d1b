//! Training never overwrites the compiled-in model unless asked (`--force`), and identical
//! weights give identical files, so an identical retrain leaves git clean.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_promptyard");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `dir/data/{train,valid}.jsonl` from the tiny fixture.
fn tiny_data(dir: &Path) -> PathBuf {
    let fixture = root().join("tests/fixtures/tiny.jsonl");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for split in ["train", "valid"] {
        std::fs::copy(&fixture, data.join(format!("{split}.jsonl"))).unwrap();
    }
    data
}

fn train(cwd: &Path, data: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(cwd)
        .args(["train", "--epochs", "2", "--seed", "7", "--data"])
        .arg(data)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn model_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    ["config.json", "model.safetensors"]
        .iter()
        .map(|f| (f.to_string(), std::fs::read(dir.join(f)).unwrap()))
        .collect()
}

#[test]
fn train_refuses_the_bundled_model_directory_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let data = tiny_data(dir.path());
    let bundled = root().join("models/default");
    let before = model_bytes(&bundled);
    // Spelled as the README does (from the repository root), and by an absolute path.
    for out in [
        PathBuf::from("models/default"),
        PathBuf::from("models/../models/default/"),
        bundled.clone(),
    ] {
        let res = train(&root(), &data, &out, &[]);
        let stderr = String::from_utf8_lossy(&res.stderr);
        assert_eq!(res.status.code(), Some(2), "{}: {stderr}", out.display());
        assert!(stderr.contains("bundled model's directory"), "{stderr}");
        assert!(stderr.contains("--force"), "{stderr}");
        assert!(
            !stderr.contains("epoch"),
            "refused before training: {stderr}"
        );
    }
    assert!(
        model_bytes(&bundled) == before,
        "the bundled model was touched"
    );
}

#[test]
fn train_into_another_checkouts_bundled_directory_needs_force() {
    // A checkout's layout: models/default beside crates/promptyard.
    let dir = tempfile::tempdir().unwrap();
    let checkout = dir.path().join("checkout");
    std::fs::create_dir_all(checkout.join("crates/promptyard")).unwrap();
    std::fs::write(checkout.join("crates/promptyard/Cargo.toml"), "").unwrap();
    std::fs::create_dir_all(checkout.join("models/default")).unwrap();
    let data = tiny_data(dir.path());

    let res = train(&checkout, &data, Path::new("models/default"), &[]);
    assert_eq!(
        res.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    assert!(!checkout.join("models/default/model.safetensors").exists());

    let res = train(&checkout, &data, Path::new("models/default"), &["--force"]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    assert!(checkout.join("models/default/model.safetensors").is_file());
}

#[test]
fn training_twice_with_one_seed_writes_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = tiny_data(dir.path());
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&a, &b] {
        let res = train(dir.path(), &data, out, &[]);
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
    }
    let (a, b) = (model_bytes(&a), model_bytes(&b));
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between two runs with the same seed");
    }
    // Nothing run-specific (wall-clock time) is saved with the weights.
    let config = String::from_utf8(a[0].1.clone()).unwrap();
    assert!(!config.contains("seconds"), "{config}");
}
