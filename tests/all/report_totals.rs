//! `promptyard report` on a hand-checked fixture (see tests/fixtures/batch/README.md).

use std::path::{Path, PathBuf};
use std::process::Command;

use promptyard::catalog::Catalog;
use promptyard_batch::report::Report;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/batch")
        .join(name)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn totals_per_label_and_per_model_match_the_hand_computation() {
    let catalog = Catalog::load(fixture("catalog.toml")).unwrap();
    let r = Report::from_path(&fixture("labelled.jsonl"), &catalog, "big").unwrap();
    assert_eq!((r.records, r.error_records), (4, 1));
    assert!(close(r.total.routed_usd, 0.0458), "{}", r.total.routed_usd);
    assert!(
        close(r.total.baseline_usd, 0.107),
        "{}",
        r.total.baseline_usd
    );
    assert!(close(r.total.savings_usd(), 0.0612));
    assert!((r.total.savings_pct() - 57.196_261_682).abs() < 1e-6);
    assert!(close(r.total.routed_quality, 0.8375));
    assert!(close(r.total.baseline_quality, 0.9));

    let labels: Vec<_> = r
        .by_label
        .iter()
        .map(|l| (l.name.as_str(), l.records))
        .collect();
    assert_eq!(
        labels,
        [("planning", 1), ("reasoning", 1), ("code_completion", 2), ("other", 0)]
    );
    let code = &r.by_label[2];
    assert!(close(code.routed_usd, 0.0028) && close(code.baseline_usd, 0.032));
    assert!(close(code.routed_quality, 0.8));
    let reasoning = &r.by_label[1];
    assert!(close(reasoning.savings_usd(), 0.0) && close(reasoning.savings_pct(), 0.0));

    let models: Vec<_> = r
        .by_model
        .iter()
        .map(|l| (l.name.as_str(), l.records))
        .collect();
    assert_eq!(models, [("small", 2), ("big", 1), ("mid", 1)]);
    assert!(close(r.by_model[2].routed_usd, 0.008));
}

#[test]
fn unknown_baseline_and_unlabelled_records_are_errors() {
    let catalog = Catalog::load(fixture("catalog.toml")).unwrap();
    let err = Report::from_path(&fixture("labelled.jsonl"), &catalog, "gpt-9").unwrap_err();
    assert!(err.to_string().contains("gpt-9"), "{err}");
    let log = "{\"label\":\"planning\",\"model\":\"big\",\"est_cost_usd\":1}\n";
    let err = Report::from_reader(log.as_bytes(), "x.jsonl", &catalog, "big").unwrap_err();
    assert!(
        err.to_string().starts_with("x.jsonl:1: input_tokens:"),
        "{err}"
    );
    let log = "{\"label\":\"planning\",\"model\":\"nope\",\"est_cost_usd\":1,\"input_tokens\":1,\"output_tokens\":1}\n";
    let err = Report::from_reader(log.as_bytes(), "x.jsonl", &catalog, "big").unwrap_err();
    assert!(
        err.to_string().contains("\"nope\" is not in the catalog"),
        "{err}"
    );
}

#[test]
fn cli_prints_table_and_json_and_writes_the_chart() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("cost.svg");
    let out = Command::new(env!("CARGO_BIN_EXE_promptyard"))
        .args(["report", "--baseline", "big", "--input"])
        .arg(fixture("labelled.jsonl"))
        .arg("--catalog")
        .arg(fixture("catalog.toml"))
        .arg("--chart")
        .arg(&chart)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("saved $0.061200 (57.2%)"), "{table}");
    assert!(table.contains("(1 error record skipped)"), "{table}");
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.starts_with("<svg"), "{svg}");
    for text in [
        "planning",
        "reasoning",
        "code_completion",
        "routed",
        "all to big",
    ] {
        assert!(svg.contains(text), "chart lacks {text}");
    }
    // One bar per label (four) per series plus a legend swatch, in each series' colour.
    assert_eq!(svg.matches("fill=\"#1F77B4\"").count(), 5, "{svg}");
    assert_eq!(svg.matches("fill=\"#9E9E9E\"").count(), 5, "{svg}");

    let out = Command::new(env!("CARGO_BIN_EXE_promptyard"))
        .args(["report", "--json", "--baseline", "big", "--input"])
        .arg(fixture("labelled.jsonl"))
        .arg("--catalog")
        .arg(fixture("catalog.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["records"], 4);
    assert!(close(
        json["total"]["baseline_usd"].as_f64().unwrap(),
        0.107
    ));
    // Savings are in the JSON, not only in the table.
    assert!(close(
        json["total"]["savings_usd"].as_f64().unwrap(),
        0.0612
    ));
    assert!((json["total"]["savings_pct"].as_f64().unwrap() - 57.196_261_682).abs() < 1e-6);
    for line in json["by_label"]
        .as_array()
        .unwrap()
        .iter()
        .chain(json["by_model"].as_array().unwrap())
    {
        let (routed, baseline) = (
            line["routed_usd"].as_f64().unwrap(),
            line["baseline_usd"].as_f64().unwrap(),
        );
        assert!(
            close(line["savings_usd"].as_f64().unwrap(), baseline - routed),
            "{line}"
        );
        assert!(line["savings_pct"].is_number(), "{line}");
    }

    let out = Command::new(env!("CARGO_BIN_EXE_promptyard"))
        .args(["report", "--baseline", "big", "--chart", "x.png", "--input"])
        .arg(fixture("labelled.jsonl"))
        .arg("--catalog")
        .arg(fixture("catalog.toml"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "a PNG chart is refused, not silently skipped"
    );
}
