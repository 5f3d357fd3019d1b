//! `promptyard train --extra`: user files are validated, unknown labels are reported (not
//! silently dropped) and a malformed line stops the run naming file, line and field.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_promptyard");

fn data_dir(dir: &Path) -> PathBuf {
    let fixture = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/tiny.jsonl"
    ));
    let data = dir.join("data");
    std::fs::create_dir(&data).unwrap();
    for split in ["train", "valid"] {
        std::fs::copy(fixture, data.join(format!("{split}.jsonl"))).unwrap();
    }
    data
}

fn train(dir: &Path, extra: &Path) -> Output {
    Command::new(BIN)
        .args(["train", "--epochs", "2", "--data"])
        .arg(data_dir(dir))
        .arg("--extra")
        .arg(extra)
        .arg("--out")
        .arg(dir.join("model"))
        .output()
        .unwrap()
}

#[test]
fn unknown_labels_and_duplicates_are_reported_in_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let extra = dir.path().join("mine.jsonl");
    std::fs::write(
        &extra,
        concat!(
            r#"{"id":"m1","text":"Plan our office move in three phases","label":"planning","source":"mine"}"#, "\n",
            r#"{"id":"m2","text":"Write a haiku about autumn","label":"poetry","source":"mine"}"#, "\n",
            r#"{"id":"m3","text":"Plan our office move in three phases","label":"planning","source":"mine"}"#, "\n",
        ),
    )
    .unwrap();
    let out = train(dir.path(), &extra);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("extra files: read 3, kept 1"), "{stderr}");
    assert!(stderr.contains("dropped 1 (unknown label)"), "{stderr}");
    assert!(stderr.contains("dropped 1 (duplicate text)"), "{stderr}");
    assert!(stderr.contains("mine.jsonl:2: label"), "{stderr}");
}

#[test]
fn a_malformed_line_fails_with_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let extra = dir.path().join("bad.jsonl");
    std::fs::write(
        &extra,
        concat!(
            r#"{"id":"m1","text":"Plan our office move","label":"planning","source":"mine"}"#,
            "\n",
            r#"{"id":"m2","text":42,"label":"reasoning","source":"mine"}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = train(dir.path(), &extra);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bad.jsonl:2: text"), "{stderr}");
    assert!(!dir.path().join("model").exists());
}
