//! `promptyard route`: one JSON object on stdout; errors exit 2 with file, line and field.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/catalogs")
        .join(name)
}

fn route(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_promptyard"))
        .arg("route")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn decision(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(
        text.lines().count(),
        1,
        "one JSON object on one line: {text}"
    );
    serde_json::from_str(&text).unwrap()
}

#[test]
fn prints_one_decision_with_the_documented_fields() {
    let v = decision(&route(
        &["Plan the rollout of SSO to our 40 internal apps over Q3"],
        None,
    ));
    for key in [
        "label",
        "confidence",
        "probs",
        "model",
        "provider",
        "est_cost_usd",
        "fallbacks",
        "reason",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    let probs = v["probs"].as_object().unwrap();
    let sum: f64 = ["planning", "reasoning", "code_completion", "other"]
        .iter()
        .map(|k| probs[*k].as_f64().unwrap())
        .sum();
    assert!((sum - 1.0).abs() < 1e-4);
    assert_eq!(v["confidence"], probs[v["label"].as_str().unwrap()]);
}

#[test]
fn reads_the_prompt_from_stdin_with_dash_and_takes_a_catalog_override() {
    let catalog = fixture("small.toml");
    let prompt = "Complete this function:\ndef fizzbuzz(n):\n";
    let from_stdin = decision(&route(
        &["--catalog", catalog.to_str().unwrap(), "-"],
        Some(prompt),
    ));
    let from_arg = decision(&route(
        &["--catalog", catalog.to_str().unwrap(), prompt],
        None,
    ));
    assert_eq!(from_stdin, from_arg);
    let model = from_arg["model"].as_str().unwrap();
    assert!(model == "cheap" || model == "strong", "{model}");
}

#[test]
fn an_invalid_catalog_exits_2_naming_file_line_and_field() {
    let bad = fixture("bad_negative_price.toml");
    let out = route(&["--catalog", bad.to_str().unwrap(), "hello"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}:9: model[0].input_usd_per_mtok", bad.display())),
        "{err}"
    );
}

#[test]
fn a_missing_model_directory_exits_2() {
    let out = route(&["--model", "/nonexistent/model-dir", "hello"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/model-dir"));
}
