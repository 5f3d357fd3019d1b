//! The README cannot rot: its Rust example is `examples/quickstart.rs` verbatim (which
//! `cargo test` compiles), every `promptyard` command line in it uses subcommands and flags
//! the binary has, and the `route` output it shows is what the binary prints for that prompt.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_promptyard");

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The fenced blocks of `lang` in `text`.
fn blocks(text: &str, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for line in text.lines() {
        match &mut cur {
            None if line.trim_start() == format!("```{lang}") => cur = Some(String::new()),
            Some(b) if line.trim_start() == "```" => {
                out.push(std::mem::take(b));
                cur = None;
            }
            Some(b) => {
                b.push_str(line);
                b.push('\n');
            }
            None => {}
        }
    }
    out
}

#[test]
fn the_rust_example_is_the_compiled_quickstart() {
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/quickstart.rs"),
    )
    .unwrap();
    let body: String = example
        .lines()
        .filter(|l| !l.starts_with("//!"))
        .map(|l| format!("{l}\n"))
        .collect();
    let rust = blocks(&readme(), "rust");
    assert!(
        rust.iter().any(|b| b.trim() == body.trim()),
        "README's rust block differs from examples/quickstart.rs"
    );
}

#[test]
fn every_documented_command_line_parses() {
    let mut checked = 0;
    for block in blocks(&readme(), "sh") {
        for line in block.lines() {
            let line = line.split(" #").next().unwrap_or("").trim();
            let Some(rest) = line.strip_prefix("promptyard ") else {
                continue;
            };
            let words: Vec<&str> = rest.split_whitespace().collect();
            // The subcommand (and a nested one like `data check`), then `--help`.
            let mut sub: Vec<&str> = vec![words[0]];
            if words.len() > 1 && !words[1].starts_with('-') && !words[1].starts_with('"') {
                let probe = Command::new(BIN)
                    .args([words[0], words[1], "--help"])
                    .output()
                    .unwrap();
                if probe.status.success() {
                    sub.push(words[1]);
                }
            }
            let out = Command::new(BIN).args(&sub).arg("--help").output().unwrap();
            assert!(
                out.status.success(),
                "`promptyard {}` is not a command",
                sub.join(" ")
            );
            let help = String::from_utf8_lossy(&out.stdout);
            for flag in words.iter().filter(|w| w.starts_with("--")) {
                assert!(
                    help.contains(flag),
                    "`promptyard {}` has no {flag}: {line}",
                    sub.join(" ")
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 6, "only {checked} command lines found");
}

#[test]
fn the_route_output_shown_is_real() {
    let readme = readme();
    let prompt = "Plan the rollout of SSO to our 40 internal apps over Q3";
    let out = Command::new(BIN).args(["route", prompt]).output().unwrap();
    assert!(out.status.success());
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let shown = blocks(&readme, "json")
        .into_iter()
        .find_map(|b| serde_json::from_str::<serde_json::Value>(&b).ok())
        .expect("a json block with the route output");
    let (shown, got) = (shown.as_object().unwrap(), got.as_object().unwrap());
    assert_eq!(
        shown.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>(),
        "README shows stale fields"
    );
    let close = |a: &serde_json::Value, b: &serde_json::Value| {
        (a.as_f64().unwrap() - b.as_f64().unwrap()).abs() < 1e-4
    };
    for (key, value) in got {
        match key.as_str() {
            "confidence" => assert!(close(&shown[key], value), "README shows a stale `{key}`"),
            "probs" => {
                let (s, g) = (shown[key].as_object().unwrap(), value.as_object().unwrap());
                assert_eq!(s.keys().collect::<Vec<_>>(), g.keys().collect::<Vec<_>>());
                for (label, p) in g {
                    assert!(close(&s[label], p), "README shows a stale probs.{label}");
                }
            }
            _ => assert_eq!(&shown[key], value, "README shows a stale `{key}`"),
        }
    }
}
