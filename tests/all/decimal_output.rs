//! Costs, qualities and percentages print without float noise: `route` JSON, and the cost
//! report's JSON and table (which once printed `0.04580000000000001` and `$0.0000`).

use std::path::{Path, PathBuf};
use std::process::Command;

use promptyard::Label;

const BIN: &str = env!("CARGO_BIN_EXE_promptyard");

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// Significant digits of a number as JSON prints it (shortest round-trip form).
fn significant_digits(n: &serde_json::Number) -> usize {
    let text = n.to_string();
    let mantissa = text.split(['e', 'E']).next().unwrap();
    mantissa
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .trim_start_matches('0')
        .len()
}

fn numbers(v: &serde_json::Value, out: &mut Vec<(String, serde_json::Number)>, path: &str) {
    match v {
        serde_json::Value::Number(n) if n.is_f64() => out.push((path.to_string(), n.clone())),
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                numbers(x, out, &format!("{path}[{i}]"));
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                numbers(x, out, &format!("{path}.{k}"));
            }
        }
        _ => {}
    }
}

#[test]
fn route_prints_est_cost_usd_without_float_noise() {
    // Both models at 0.035 / 0.14 USD per Mtok and 100 output tokens for every label: a
    // 4-byte prompt (1 token) costs (1 × 0.035 + 100 × 0.14) / 1e6 = 1.4035000000000002e-5
    // in f64 arithmetic.
    let assumed: Vec<String> = Label::LEGACY.iter().map(|l| format!("{l} = 100")).collect();
    let catalog: String = std::fs::read_to_string(fixture("catalogs/small.toml"))
        .unwrap()
        .lines()
        .map(|l| {
            if l.starts_with("expected_output_tokens") {
                format!("expected_output_tokens = {{ {} }}", assumed.join(", "))
            } else if l.starts_with("input_usd_per_mtok") {
                "input_usd_per_mtok = 0.035".to_string()
            } else if l.starts_with("output_usd_per_mtok") {
                "output_usd_per_mtok = 0.14".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("noisy.toml");
    std::fs::write(&path, catalog).unwrap();
    let noisy = (1.0 * 0.035 + 100.0 * 0.14) / 1e6;
    assert_eq!(
        noisy.to_string(),
        "0.000014035000000000002",
        "the case is noisy"
    );

    let out = Command::new(BIN)
        .args(["route", "--catalog"])
        .arg(&path)
        .arg("abcd")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("\"est_cost_usd\":0.000014035,"), "{stdout}");
}

#[test]
fn report_json_and_table_carry_no_float_noise() {
    let out = Command::new(BIN)
        .args(["report", "--json", "--baseline", "big", "--input"])
        .arg(fixture("batch/labelled.jsonl"))
        .arg("--catalog")
        .arg(fixture("batch/catalog.toml"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    // 0.008 + 0.0009 + 0.0019 + 0.035 is 0.04580000000000001 in f64.
    assert!(text.contains("\"routed_usd\": 0.0458,"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut found = Vec::new();
    numbers(&json, &mut found, "");
    assert!(found.len() > 20);
    for (path, n) in found {
        assert!(significant_digits(&n) <= 13, "{path} = {n}");
    }

    let out = Command::new(BIN)
        .args(["report", "--baseline", "big", "--input"])
        .arg(fixture("batch/labelled.jsonl"))
        .arg("--catalog")
        .arg(fixture("batch/catalog.toml"))
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(!table.contains("0.0000"), "{table}");
    assert!(!table.contains("00000001"), "{table}");
}
