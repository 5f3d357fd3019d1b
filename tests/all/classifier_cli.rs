//! `promptyard train` and `promptyard eval` end to end on the small fixture.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_promptyard");

fn fixture() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/tiny.jsonl"
    ))
}

/// A temporary directory holding `data/` with the fixture as both its train and valid split.
fn fixture_data_dir() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    for split in ["train", "valid"] {
        std::fs::copy(fixture(), data.join(format!("{split}.jsonl"))).unwrap();
    }
    (dir, data)
}

#[test]
fn train_then_eval_json() {
    let (dir, data) = fixture_data_dir();
    let model = dir.path().join("model");
    let out = Command::new(BIN)
        .args([
            "train",
            "--epochs",
            "25",
            "--batch-size",
            "8",
            "--lr",
            "0.05",
            "--data",
        ])
        .arg(&data)
        .arg("--out")
        .arg(&model)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("epoch 25/25") && stderr.contains("macro-F1"),
        "{stderr}"
    );
    assert!(model.join("model.safetensors").is_file() && model.join("config.json").is_file());

    let out = Command::new(BIN)
        .args(["eval", "--json", "--data"])
        .arg(fixture())
        .arg("--model")
        .arg(&model)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["accuracy"].as_f64().unwrap() >= 0.97, "{v}");
    assert!(v["macro_f1"].as_f64().unwrap() >= 0.97, "{v}");
    assert_eq!(v["per_source"]["fixture_intl"]["n"], 6);
    // How sure the model is, beside how often it is right: overall and per source.
    for c in [&v["confidence"], &v["per_source"]["fixture_intl"]["confidence"]] {
        let c = c.as_f64().unwrap_or_else(|| panic!("{v}"));
        assert!((0.25..=1.0).contains(&c), "{v}");
    }
    assert_eq!(v["confusion"].as_array().unwrap().len(), 4);
    assert!(v["per_label"][3]["ece"].is_number(), "{v}");
}

#[test]
fn featurizer_flags_reach_the_saved_config() {
    let (dir, data) = fixture_data_dir();
    let model = dir.path().join("model");
    let out = Command::new(BIN)
        .args(["train", "--epochs", "1", "--buckets-log2", "10"])
        .args(["--char-min", "3", "--char-max", "5", "--word-ngrams", "1"])
        .args(["--head-bytes", "300", "--tail-bytes", "100", "--data"])
        .arg(&data)
        .arg("--out")
        .arg(&model)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cfg: serde_json::Value =
        serde_json::from_slice(&std::fs::read(model.join("config.json")).unwrap()).unwrap();
    let f = &cfg["featurizer"];
    assert_eq!(
        (&f["buckets"], &f["char_ngram_min"], &f["char_ngram_max"]),
        (&1024.into(), &3.into(), &5.into()),
        "{f}"
    );
    assert_eq!(
        (&f["word_ngrams"], &f["head_bytes"], &f["tail_bytes"]),
        (&1.into(), &300.into(), &100.into()),
        "{f}"
    );
    // Out of range: refused by the argument parser, exit 2, naming the flag.
    let out = Command::new(BIN)
        .args(["train", "--word-ngrams", "3", "--out"])
        .arg(dir.path().join("never"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--word-ngrams"));
}

#[test]
fn eval_reports_a_bad_model_dir_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["eval", "--data"])
        .arg(fixture())
        .arg("--model")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("config.json") && stderr.contains("missing"),
        "{stderr}"
    );
}

#[test]
fn cuda_without_the_feature_is_a_clear_error() {
    if cfg!(feature = "cuda") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["train", "--device", "cuda", "--data"])
        .arg(dir.path())
        .arg("--out")
        .arg(dir.path().join("m"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cuda") && err.contains("feature"), "{err}");
}

/// `train` fits the short-prompt tempering when the data directory has `short/calib.jsonl`
/// (and says so), records it in `config.json`, and leaves it out without that file.
#[test]
fn train_fits_short_scale_from_the_data_dir() {
    let (dir, data) = fixture_data_dir();
    let train = |out: &std::path::Path| {
        let res = Command::new(BIN)
            .args(["train", "--epochs", "5", "--buckets-log2", "12", "--data"])
            .arg(&data)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap();
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
        let cfg: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("config.json")).unwrap()).unwrap();
        (cfg, String::from_utf8_lossy(&res.stderr).into_owned())
    };
    let (cfg, stderr) = train(&dir.path().join("plain"));
    assert!(cfg.get("short_scale").is_none(), "{cfg}");
    assert!(!stderr.contains("short prompts"), "{stderr}");
    // Terse prompts labelled against the fixture's obvious reading: confidence on them is
    // misplaced, so the fit tempers them.
    std::fs::create_dir(data.join("short")).unwrap();
    let rows = [
        ("x", "planning"),
        ("?", "code_completion"),
        ("ok", "reasoning"),
    ];
    let lines: String = rows
        .iter()
        .enumerate()
        .map(|(i, (t, l))| {
            format!("{{\"id\":\"s:{i}\",\"text\":\"{t}\",\"label\":\"{l}\",\"source\":\"s\"}}\n")
        })
        .collect();
    std::fs::write(data.join("short/calib.jsonl"), lines).unwrap();
    let (cfg, stderr) = train(&dir.path().join("tempered"));
    assert!(stderr.contains("short prompts: short_scale"), "{stderr}");
    let files = cfg["training"]["data_files"].to_string();
    assert!(files.contains("short/calib.jsonl"), "{files}");
    let metrics = &cfg["training"]["metrics"];
    let (after, before) = (
        metrics["short_calib_nll"]
            .as_f64()
            .expect("short_calib_nll recorded"),
        metrics["short_calib_nll_before"]
            .as_f64()
            .expect("short_calib_nll_before recorded"),
    );
    assert!(after <= before, "{metrics}");
    // A broken line names the file and line, like every other data file.
    std::fs::write(
        data.join("short/calib.jsonl"),
        "{\"id\":\"s\",\"text\":\"x\"}\n",
    )
    .unwrap();
    let res = Command::new(BIN)
        .args(["train", "--epochs", "1", "--data"])
        .arg(&data)
        .arg("--out")
        .arg(dir.path().join("broken"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        !res.status.success() && err.contains("calib.jsonl") && err.contains("1"),
        "{err}"
    );
}
