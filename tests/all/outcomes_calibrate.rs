//! Outcome logs → `calibrate` → `label --catalog` → `economics`, on a fixture whose numbers
//! are computed by hand below, and on the shared outcomes data when it is present.

use std::path::{Path, PathBuf};
use std::process::Command;

use promptyard::{Catalog, Classifier, Label};
use promptyard_catalog::calibrate::{
    calibrate, fit_prices, label_prompts, wilson, CalibrateOptions, LabelSource, Z_95,
};
use promptyard_catalog::outcomes::{ModelMap, Outcomes};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/outcomes")
}

fn promptyard(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_promptyard"))
        .args(args)
        .output()
        .unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn wilson_and_least_squares_match_the_formulas() {
    // p = 1, n = 6: lower = 1 / (1 + z²/6) = 1 / (1 + 2.706025/6) = 0.689177…
    let (lo, hi) = wilson(6.0, 6, Z_95);
    assert!(close(lo, 1.0 / (1.0 + 2.706025 / 6.0)) && close(hi, 1.0));
    // p = 0.5, n = 4: centre 0.5 + z²/8 = 0.838253, half z·sqrt(1/16 + z²/64) = 0.532488,
    // over 1 + z²/4 = 1.676506: [0.182378, 0.817622].
    let (lo, hi) = wilson(2.0, 4, Z_95);
    assert!((lo - 0.182378).abs() < 1e-5 && (hi - 0.817622).abs() < 1e-5, "{lo} {hi}");
    // Exact data 10·x + 30·y is recovered; data that wants a negative slope gets 0 there.
    let rows = [(0.013, 1e-3, 1e-4), (0.023, 2e-3, 1e-4), (0.016, 1e-3, 2e-4)];
    let (a, b) = fit_prices(&rows).unwrap();
    assert!((a - 10.0).abs() < 1e-6 && (b - 30.0).abs() < 1e-6, "{a} {b}");
    let (a, b) = fit_prices(&[(1.0, 1.0, 1.0), (0.5, 2.0, 0.0)]).unwrap();
    assert!(a >= 0.0 && b >= 0.0);
    assert!(fit_prices(&[(1.0, 1.0, 1.0)]).is_none());
}

#[test]
fn fixture_outcomes_calibrate_to_hand_checked_numbers() {
    let o = Outcomes::read_dir(fixture()).unwrap();
    // 13 prompts; 39 data rows, of which one names an unknown prompt and one scores 1.5.
    assert_eq!((o.summary.prompts, o.summary.rows), (13, 37));
    assert_eq!(o.summary.dropped["unknown prompt_id"], (1, 39));
    assert_eq!(o.summary.dropped["score not a number in 0..=1"], (1, 40));
    let labels = label_prompts(&o, &Classifier::bundled().unwrap(), LabelSource::Given);
    // `other` is a label this build routes: nothing is skipped. The one `other` prompt is
    // left out of this fit so the hand-checked prices below stay two-label sums.
    assert!(labels.skipped.is_empty(), "{:?}", labels.skipped);
    let all: Vec<bool> = o
        .prompts
        .iter()
        .map(|p| p.label.as_deref() != Some("other"))
        .collect();
    assert_eq!(all.iter().filter(|&&b| !b).count(), 1);
    let opts = CalibrateOptions::default();
    let cal = calibrate(&o, &labels, &all, None, &ModelMap::default(), &opts).unwrap();
    // `nocost` has neither a base catalog entry nor measured costs.
    assert_eq!(cal.refused.len(), 1);
    assert_eq!(cal.refused[0].0, "nocost");
    let big = cal.models.iter().find(|m| m.id == "big").unwrap();
    let small = cal.models.iter().find(|m| m.id == "small").unwrap();
    // big: 6/6 code and 6/6 reasoning → lower bound 1 / (1 + z²/6) = 0.689177 on both.
    let six = 1.0 / (1.0 + Z_95 * Z_95 / 6.0);
    let code = Label::CodeCompletion.index();
    let reasoning = Label::Reasoning.index();
    assert_eq!(big.quality[code].n, 6);
    assert!(close(big.quality[code].lower, six) && close(big.quality[reasoning].lower, six));
    // small: 6/6 code, 0/6 reasoning → 0.689177 and 0.
    assert!(close(small.quality[code].lower, six) && close(small.quality[reasoning].lower, 0.0));
    // Prices: code calls are 1000 in + 100 out tokens (4000 / 400 chars), reasoning calls
    // 2000 + 100; big costs $0.013 and $0.023 → 10 and 30 USD/MTok (1000·10 + 100·30 = 13000 µ$,
    // 2000·10 + 100·30 = 23000 µ$); small $0.0012 and $0.0022 → 1 and 2 USD/MTok.
    assert!((big.input_usd_per_mtok - 10.0).abs() < 1e-6);
    assert!((big.output_usd_per_mtok - 30.0).abs() < 1e-6);
    assert!((small.input_usd_per_mtok - 1.0).abs() < 1e-6);
    assert!((small.output_usd_per_mtok - 2.0).abs() < 1e-6);
    // The written catalog loads as is and carries its provenance.
    let text = cal.to_toml(&opts, None);
    let catalog = Catalog::parse(&text, "calibrated.toml").unwrap();
    assert_eq!(catalog.settings().quality_target, Some(0.95));
    let q = catalog.model("big").unwrap().quality_source.clone().unwrap();
    assert!(q.contains("code_completion n=6 mean 1.000"), "{q}");
}

#[test]
fn calibrate_then_label_then_economics_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pilot.toml");
    let fx = fixture();
    let r = promptyard(&[
        "calibrate",
        "--outcomes",
        fx.to_str().unwrap(),
        "--labels",
        "given",
        "--date",
        "2026-01-02",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(r.status.success(), "{err}");
    assert!(err.contains("refused nocost"), "{err}");
    assert!(err.contains("dropped 1 row(s): unknown prompt_id"), "{err}");
    assert!(dir.path().join("pilot.adequacy.safetensors").exists());
    let catalog = Catalog::load(&out).unwrap();
    assert!(catalog.adequacy().is_some());
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("measured 2026-01-02 (pilot/big)"), "{text}");

    // Label a log with it. The catalog carries a per-prompt model, so `label` decides per
    // prompt exactly as `route` does; a reasoning prompt goes to `big` (small scored 0 on every
    // reasoning prompt; per label too, its bound 0 < 0.95 × 0.689).
    let log = dir.path().join("log.jsonl");
    std::fs::write(
        &log,
        "{\"text\": \"Write a Python function that parses ISO dates and returns a datetime object.\"}\n\
         {\"text\": \"If a train leaves at 3pm at 60 mph, when has it covered 150 miles? Explain your reasoning step by step.\"}\n",
    )
    .unwrap();
    let labelled = dir.path().join("labelled.jsonl");
    let r = promptyard(&[
        "label",
        "-i",
        log.to_str().unwrap(),
        "-o",
        labelled.to_str().unwrap(),
        "--catalog",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&labelled)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for line in &lines {
        let r = promptyard(&["route", "--catalog", out.to_str().unwrap(), line["text"].as_str().unwrap()]);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        let routed: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
        assert_eq!(routed["model"], line["model"], "{line}");
        assert!(routed["reason"].as_str().unwrap().ends_with("(per-prompt adequacy)"));
    }
    assert_eq!(lines[1]["model"], "big", "{}", lines[1]);

    // Measured economics. The split (seed 0) fits on code-2, code-3, reason-4, reason-5 and
    // evaluates the other 4 code and 4 reasoning prompts. Best single model (big): quality 1,
    // cost (4 × 0.013 + 4 × 0.023) / 8 = $0.018 per prompt = $18 / 1k. Per-label policy: code
    // → small, reasoning → big: quality 1, cost (4 × 0.0012 + 4 × 0.023) / 8 = $0.0121 =
    // $12.10 / 1k, saved 1 − 12.1 / 18 = 32.8%. The oracle picks the same models here.
    let r = promptyard(&[
        "economics",
        "--outcomes",
        fx.to_str().unwrap(),
        "--labels",
        "given",
        "--out-dir",
        dir.path().join("econ").to_str().unwrap(),
    ]);
    let md = String::from_utf8_lossy(&r.stdout);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(md.contains("| always the best single model (big) | 1.000 | 100.0% | $18.0000 | 0.0% |"), "{md}");
    assert!(md.contains("| per-label policy (target 0.95) | 1.000 | 100.0% | $12.1000 | 32.8% |"), "{md}");
    assert!(md.contains("| per-prompt oracle (cheapest correct) | 1.000 | 100.0% | $12.1000 | 32.8% |"), "{md}");
    assert!(dir.path().join("econ/frontier-pilot.svg").exists());
}

#[test]
fn shared_outcomes_economics_on_routerbench() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/outcomes");
    if !shared.join("outcomes.csv.gz").exists() {
        assert!(
            std::env::var("PROMPTYARD_REQUIRE_SHARED").as_deref() != Ok("1"),
            "PROMPTYARD_REQUIRE_SHARED=1 but {} is absent",
            shared.display()
        );
        println!("SKIPPED: {} is absent", shared.display());
        return;
    }
    let r = promptyard(&[
        "economics",
        "--outcomes",
        shared.to_str().unwrap(),
        "--source",
        "routerbench_subset",
        "--quality-target",
        "0.98",
    ]);
    let md = String::from_utf8_lossy(&r.stdout);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(md.contains("always the best single model (gpt-4-1106-preview)"), "{md}");
    // The per-prompt policy must beat the random mix at equal cost on measured quality.
    let quality = |name: &str| -> f64 {
        let line = md.lines().find(|l| l.starts_with(&format!("| {name}"))).unwrap();
        line.split('|').nth(2).unwrap().trim().parse().unwrap()
    };
    assert!(quality("per-prompt policy") > quality("random mix"), "{md}");
}
