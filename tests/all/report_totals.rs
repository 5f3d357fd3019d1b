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
    let r = Report::from_path(fixture("labelled.jsonl"), &catalog, "big").unwrap();
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
        [
            ("planning", 1),
            ("reasoning", 1),
            ("code_completion", 2),
            ("other", 0)
        ]
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
    let err = Report::from_path(fixture("labelled.jsonl"), &catalog, "gpt-9").unwrap_err();
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
    assert!(
        table.contains(
            "Routing saved $0.0612 (57.2%) vs always-big: $0.0458 routed instead of $0.107"
        ),
        "{table}"
    );
    assert!(table.contains("(1 error record skipped)"), "{table}");
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.starts_with("<svg"), "{svg}");
    for text in [
        "planning",
        "reasoning",
        "code_completion",
        "routed",
        "always-big",
        // values on the bars: cost (baseline and routed) and quality
        "$0.04",
        "$0.008",
        "0.850",
        // the drop, and the quality headline
        "▼ 0.100",
        "Quality fell on: planning 0.900 → 0.850, code_completion 0.900 → 0.800",
        "Quality by label (modelled",
    ] {
        assert!(svg.contains(text), "chart lacks {text}");
    }
    // Dollar ticks on the cost axis.
    assert!(svg.contains("\n$0.01\n"), "no dollar tick in the chart");
    // Per series: a cost bar and a quality bar for each of the three labels with records,
    // plus one legend swatch (drawn above the panels, not in a bar's slot).
    assert_eq!(svg.matches("fill=\"#1F77B4\"").count(), 7, "{svg}");
    assert_eq!(svg.matches("fill=\"#9E9E9E\"").count(), 7, "{svg}");

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
    // What quality is, what it fell on, and the output tokens the costs assume.
    assert_eq!(json["quality_kind"], "modelled");
    assert!(json["quality_definition"]
        .as_str()
        .unwrap()
        .starts_with("modelled: the catalog's benchmark-derived quality"));
    assert_eq!(
        json["quality_drops"],
        serde_json::json!([
            {"label": "planning", "baseline_quality": 0.9, "routed_quality": 0.85, "drop": 0.05},
            {"label": "code_completion", "baseline_quality": 0.9, "routed_quality": 0.8, "drop": 0.1},
        ])
    );
    assert_eq!(json["output_tokens_assumed"]["planning"], 1000);
    assert_eq!(json["output_tokens_assumed"]["code_completion"], 200);
    assert_eq!(json["by_label"][0]["output_tokens"], 1000);
    assert_eq!(json["total"]["output_tokens"], 1900);
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

#[test]
fn a_cheaper_baseline_is_reported_as_extra_cost_not_negative_savings() {
    let catalog = Catalog::load(fixture("catalog.toml")).unwrap();
    // Always-small: (1000×1 + 1000×2 + 500×1 + 200×2 + 1500×1 + 200×2 + 2000×1 + 500×2)/1e6.
    let r = Report::from_path(fixture("labelled.jsonl"), &catalog, "small").unwrap();
    assert!(
        close(r.total.baseline_usd, 0.0088),
        "{}",
        r.total.baseline_usd
    );
    // 0.0458 − 0.0088 = 0.037 more, +420.45 % of 0.0088.
    assert_eq!(
        r.cost_headline(),
        "Routing cost $0.037 MORE than always-small (+420.5%): $0.0458 routed instead of $0.0088"
    );
    assert_eq!(r.quality_headline(), "Quality fell on no label (modelled)");
    let table = r.to_table();
    assert!(!table.contains("saved $-"), "{table}");
    assert!(!table.contains("-117") && !table.contains("$-"), "{table}");
    // Per line, the change is signed and routed minus baseline: +$0.005 (+166.7%) for
    // planning (0.008 vs 0.003).
    assert!(table.contains("+$0.005 (+166.7%)"), "{table}");
}

/// The whole table on the hand-checked fixture. On purpose, a change of the report's text
/// shows up here: rerun with `UPDATE_SNAPSHOTS=1` and review the diff of the file.
#[test]
fn table_text_matches_the_snapshot() {
    let catalog = Catalog::load(fixture("catalog.toml")).unwrap();
    let log = std::fs::read(fixture("labelled.jsonl")).unwrap();
    let r = Report::from_reader(&log[..], "labelled.jsonl", &catalog, "big").unwrap();
    let got = r.to_table();
    let path = fixture("report-big.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap();
    assert!(
        got == want,
        "the report table differs from {}:\n--- got\n{got}\n--- want\n{want}",
        path.display()
    );
}
