//! `promptyard label --device cpu` (candle, a chunk per forward pass) labels the test split
//! exactly as the default plain-Rust path does: same label for every record, probabilities
//! within 1e-5. `cuda` runs the same code on another candle device.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn label(args: &[&str], out: &Path) -> (Option<i32>, Vec<Value>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new(env!("CARGO_BIN_EXE_promptyard"))
        .args(["label", "-q", "-i"])
        .arg(root.join("data/test.jsonl"))
        .arg("-o")
        .arg(out)
        .args(args)
        .status()
        .unwrap();
    let records = std::fs::read_to_string(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (status.code(), records)
}

#[test]
fn device_cpu_gives_the_same_labels_as_the_default_path_on_the_test_split() {
    let dir = tempfile::tempdir().unwrap();
    let (code, plain) = label(&[], &dir.path().join("plain.jsonl"));
    let (code_cpu, candle) = label(&["--device", "cpu"], &dir.path().join("candle.jsonl"));
    assert_eq!(code, Some(0));
    assert_eq!(code_cpu, Some(0));
    let lines = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/test.jsonl"),
    )
    .unwrap()
    .lines()
    .count();
    assert!(lines > 1000);
    assert_eq!(plain.len(), lines, "one record per line of data/test.jsonl");
    assert_eq!(plain.len(), candle.len());
    for (i, (a, b)) in plain.iter().zip(&candle).enumerate() {
        assert_eq!(a["id"], b["id"], "record {i} out of order");
        assert_eq!(a["label"], b["label"], "record {i}: {a} vs {b}");
        for label in ["planning", "reasoning", "code_completion"] {
            let (p, q) = (
                a["probs"][label].as_f64().unwrap(),
                b["probs"][label].as_f64().unwrap(),
            );
            assert!((p - q).abs() < 1e-5, "record {i}, {label}: {p} vs {q}");
        }
    }
}

#[test]
fn device_cuda_without_the_feature_is_a_clear_error() {
    if cfg!(feature = "cuda") {
        return; // built with CUDA: the device may well exist
    }
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_promptyard"))
        .args(["label", "-q", "--device", "cuda", "-i"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/test.jsonl"))
        .arg("-o")
        .arg(dir.path().join("out.jsonl"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--features cuda"), "{err}");
    assert!(!dir.path().join("out.jsonl").exists());
}
