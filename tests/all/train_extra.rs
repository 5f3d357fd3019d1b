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

/// The "Training options" section of `promptyard ARGS --help`.
fn training_help(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    let start = help
        .find("Training options")
        .unwrap_or_else(|| panic!("no training options in {args:?} --help:\n{help}"));
    let section = &help[start..];
    // The section ends at the next heading (a line starting without indentation).
    let end = section
        .match_indices("\n")
        .map(|(i, _)| i + 1)
        .find(|&i| {
            section[i..]
                .chars()
                .next()
                .is_some_and(|c| !c.is_whitespace())
        })
        .unwrap_or(section.len());
    section[..end].to_string()
}

#[test]
fn train_and_eval_loso_take_the_same_documented_training_flags() {
    let train = training_help(&["train"]);
    let eval = training_help(&["eval"]);
    assert_eq!(
        train, eval,
        "train and eval --loso must share one set of training flags"
    );
    for flag in [
        "--seed",
        "--epochs",
        "--dim",
        "--buckets-log2",
        "--char-min",
        "--char-max",
        "--lr",
        "--batch-size",
        "--weight-decay",
        "--source-balance",
        "--feature-dropout",
        "--device",
    ] {
        let at = train
            .find(&format!("{flag} <"))
            .unwrap_or_else(|| panic!("{flag} missing from:\n{train}"));
        // Long help puts the description on the lines below the flag.
        let description = train[at..].lines().nth(1).unwrap_or("").trim();
        assert!(
            !description.is_empty() && !description.starts_with("--"),
            "{flag} has no description:\n{train}"
        );
    }
}

#[test]
fn out_of_range_training_options_fail_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["train", "--epochs", "0", "--data"])
        .arg(data_dir(dir.path()))
        .arg("--out")
        .arg(dir.path().join("model"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("training option epochs = 0"), "{stderr}");
    assert!(!dir.path().join("model").exists());
}

#[test]
fn eval_loso_names_the_missing_split() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["eval", "--loso", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no train.jsonl or train.jsonl.gz"),
        "{stderr}"
    );
}

/// `eval --loso` reports how sure each fold's model is on the source it never saw, beside how
/// often it is right: mean confidence, ECE and NLL per source, and their means.
#[test]
fn eval_loso_reports_confidence_beside_accuracy() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir(dir.path());
    std::fs::copy(data.join("valid.jsonl"), data.join("test.jsonl")).unwrap();
    let out = Command::new(BIN)
        .args(["eval", "--loso", "--json", "--epochs", "2", "--ensemble", "1", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{v}");
    let field = |r: &serde_json::Value, k: &str| r[k].as_f64().unwrap_or_else(|| panic!("{k} in {r}"));
    for r in rows {
        let (acc, conf, ece, nll) = (field(r, "accuracy"), field(r, "confidence"), field(r, "ece"), field(r, "nll"));
        // With four labels the top probability is at least 1/4.
        assert!((0.25..=1.0).contains(&conf), "{r}");
        // ECE averages |confidence − accuracy| over bins, so it is at least the overall gap.
        assert!(ece + 1e-9 >= (conf - acc).abs() && ece <= 1.0, "{r}");
        assert!(nll.is_finite() && nll >= 0.0, "{r}");
    }
    for (mean, k) in [("mean_confidence", "confidence"), ("mean_ece", "ece"), ("mean_nll", "nll")] {
        let m = rows.iter().map(|r| field(r, k)).sum::<f64>() / rows.len() as f64;
        assert!((field(&v, mean) - m).abs() < 1e-12, "{mean} in {v}");
    }
}
