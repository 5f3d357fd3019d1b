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

/// `promptyard economics --outcomes DIR` with `extra`; asserts success, returns stdout.
fn economics(outcomes: &Path, extra: &[&str]) -> String {
    let mut args = vec!["economics", "--outcomes", outcomes.to_str().unwrap()];
    args.extend_from_slice(extra);
    let r = promptyard(&args);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    String::from_utf8_lossy(&r.stdout).into_owned()
}

/// `promptyard calibrate` on the fixture, labels as given, dated 2026-01-02, writing `out`;
/// `extra` goes before `--out`.
fn calibrate_fixture(out: &Path, extra: &[&str]) -> std::process::Output {
    let fx = fixture();
    let mut args = vec![
        "calibrate",
        "--outcomes",
        fx.to_str().unwrap(),
        "--labels",
        "given",
        "--date",
        "2026-01-02",
    ];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--out", out.to_str().unwrap()]);
    promptyard(&args)
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
    assert!(
        (lo - 0.182378).abs() < 1e-5 && (hi - 0.817622).abs() < 1e-5,
        "{lo} {hi}"
    );
    // Exact data 10·x + 30·y is recovered; data that wants a negative slope gets 0 there.
    let rows = [
        (0.013, 1e-3, 1e-4),
        (0.023, 2e-3, 1e-4),
        (0.016, 1e-3, 2e-4),
    ];
    let (a, b) = fit_prices(&rows).unwrap();
    assert!(
        (a - 10.0).abs() < 1e-6 && (b - 30.0).abs() < 1e-6,
        "{a} {b}"
    );
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
    let q = catalog
        .model("big")
        .unwrap()
        .quality_source
        .clone()
        .unwrap();
    assert!(q.contains("code_completion n=6 mean 1.000"), "{q}");
}

#[test]
fn calibrate_then_label_then_economics_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pilot.toml");
    let fx = fixture();
    let r = calibrate_fixture(&out, &[]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(r.status.success(), "{err}");
    assert!(err.contains("refused nocost"), "{err}");
    assert!(err.contains("dropped 1 row(s): unknown prompt_id"), "{err}");
    assert!(dir.path().join("pilot.adequacy.safetensors").exists());
    let catalog = Catalog::load(&out).unwrap();
    let adequacy = catalog.adequacy().expect("an adequacy model");
    // By default it reads the classifier's ids and nothing more, so routing featurizes a prompt
    // once (see `AdequacyOptions::budget`).
    let classifier = promptyard::Classifier::bundled().unwrap();
    assert!(adequacy.reads_features_of(classifier.featurizer().config()));
    assert_eq!(adequacy.rest_budget(), None);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("measured 2026-01-02 (pilot/big)"), "{text}");
    // The per-prompt model's share of a model's success (the rest is its per-label quality).
    assert_eq!(catalog.settings().adequacy_weight, Some(0.3), "{text}");

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
        let r = promptyard(&[
            "route",
            "--catalog",
            out.to_str().unwrap(),
            line["text"].as_str().unwrap(),
        ]);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        let routed: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
        assert_eq!(routed["model"], line["model"], "{line}");
        assert!(routed["reason"]
            .as_str()
            .unwrap()
            .ends_with("(per-prompt adequacy)"));
    }
    assert_eq!(lines[1]["model"], "big", "{}", lines[1]);

    // Measured economics. The split (seed 0) fits on code-2, code-3, reason-4, reason-5 and
    // evaluates the other 4 code and 4 reasoning prompts. Best single model (big): quality 1,
    // cost (4 × 0.013 + 4 × 0.023) / 8 = $0.018 per prompt = $18 / 1k. Per-label policy: code
    // → small, reasoning → big: quality 1, cost (4 × 0.0012 + 4 × 0.023) / 8 = $0.0121 =
    // $12.10 / 1k, saved 1 − 12.1 / 18 = 32.8%. The oracle picks the same models here.
    let econ = dir.path().join("econ");
    let md = economics(&fx, &["--labels", "given", "--out-dir", econ.to_str().unwrap()]);
    assert!(
        md.contains("| always the best single model (big) | 1.000 | 100.0% | $18.0000 | 0.0% |"),
        "{md}"
    );
    assert!(
        md.contains("| per-label policy (target 0.95) | 1.000 | 100.0% | $12.1000 | 32.8% |"),
        "{md}"
    );
    assert!(
        md.contains("| per-prompt oracle (cheapest correct) | 1.000 | 100.0% | $12.1000 | 32.8% |"),
        "{md}"
    );
    assert!(dir.path().join("econ/frontier-pilot.svg").exists());

    // Across three splits: the seed-0 tables stay as they were, and a section per source
    // summarises both policies' frontiers; `--splits 0` is refused.
    let md3 = economics(&fx, &["--labels", "given", "--splits", "3"]);
    assert!(
        md3.contains("| per-label policy (target 0.95) | 1.000 | 100.0% | $12.1000 | 32.8% |"),
        "{md3}"
    );
    assert!(md3.contains("#### pilot across 3 splits (seeds 0–2; measured)"), "{md3}");
    assert!(md3.lines().any(|l| l.starts_with("| per-label | ")), "{md3}");
    assert!(md3.lines().any(|l| l.starts_with("| per-prompt | ")), "{md3}");
    let r = promptyard(&["economics", "--outcomes", fx.to_str().unwrap(), "--splits", "0"]);
    assert_eq!(r.status.code(), Some(2));
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
    let md = economics(&shared, &["--source", "routerbench_subset", "--quality-target", "0.98"]);
    assert!(
        md.contains("always the best single model (gpt-4-1106-preview)"),
        "{md}"
    );
    // The per-prompt policy must beat the random mix at equal cost on measured quality.
    let quality = |name: &str| -> f64 {
        let line = md
            .lines()
            .find(|l| l.starts_with(&format!("| {name}")))
            .unwrap();
        line.split('|').nth(2).unwrap().trim().parse().unwrap()
    };
    assert!(quality("per-prompt policy") > quality("random mix"), "{md}");
}

#[test]
fn calibrate_then_label_then_report_outcomes_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixture();
    let cat = dir.path().join("pilot.toml");
    let r = calibrate_fixture(&cat, &[]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    // The fixture's prompts plus one prompt the outcomes do not know.
    let log = dir.path().join("log.jsonl");
    let mut text = std::fs::read_to_string(fx.join("prompts.jsonl")).unwrap();
    text.push_str("{\"prompt_id\": \"pilot:new-0\", \"text\": \"Sort a list of names in Go.\"}\n");
    std::fs::write(&log, text).unwrap();
    let labelled = dir.path().join("labelled.jsonl");
    let r = promptyard(&[
        "label",
        "-i",
        log.to_str().unwrap(),
        "-o",
        labelled.to_str().unwrap(),
        "--catalog",
        cat.to_str().unwrap(),
        "-q",
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let chart = dir.path().join("frontier.svg");
    let r = promptyard(&[
        "report",
        "-i",
        labelled.to_str().unwrap(),
        "--catalog",
        cat.to_str().unwrap(),
        "--outcomes",
        fx.to_str().unwrap(),
        "--chart",
        chart.to_str().unwrap(),
        "--json",
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(std::fs::read_to_string(&chart).unwrap().contains("<svg"));
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    // Join: 14 records; 13 match a prompt_id, pilot:new-0 does not. Calibration kept `big`
    // and `small` (`nocost` was refused); pilot:trivia-0 has an outcome for `big` only, so
    // it is left out and 12 prompts are scored (6 code, 6 reasoning).
    assert_eq!(v["quality_kind"], "measured");
    assert_eq!(
        (v["records"].as_u64(), v["matched"].as_u64()),
        (Some(14), Some(13))
    );
    assert_eq!(
        (v["unmatched"].as_u64(), v["incomplete"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(v["evaluated"].as_u64(), Some(12));
    assert_eq!(v["unmatched_examples"][0], "pilot:new-0");
    assert_eq!(v["cost_basis"], "measured");
    let row = |prefix: &str| -> serde_json::Value {
        v["strategies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["strategy"].as_str().unwrap().starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix} row in {v}"))
            .clone()
    };
    let f = |s: &serde_json::Value, k: &str| s[k].as_f64().unwrap();
    // By hand, from outcomes.csv (all costs measured):
    //   big   scores 1 on all 12; cost 6 × 0.013 + 6 × 0.023 = 0.078 + 0.138 = $0.216.
    //   small scores 1 on code, 0 on reasoning: quality 6/12 = 0.5;
    //         cost 6 × 0.0012 + 6 × 0.0022 = 0.0072 + 0.0132 = $0.0204.
    //   Best single model = big (quality 1), cheapest = small.
    //   Oracle (cheapest model with the top score): code → small, reasoning → big:
    //         quality 1, cost 0.0072 + 0.138 = $0.1452; saved 0.216 − 0.1452 = $0.0708,
    //         0.0708 / 0.216 = 32.777…%.
    let best = row("always the best single model (big)");
    assert!(
        close(f(&best, "measured_quality"), 1.0) && close(f(&best, "measured_cost_usd"), 0.216)
    );
    assert!(close(f(&best, "savings_usd"), 0.0) && close(f(&best, "savings_pct"), 0.0));
    let cheap = row("always the cheapest (small)");
    assert!(
        close(f(&cheap, "measured_quality"), 0.5) && close(f(&cheap, "measured_cost_usd"), 0.0204)
    );
    assert!(
        close(f(&cheap, "savings_usd"), 0.1956) && close(f(&cheap, "quality_vs_best_pct"), 50.0)
    );
    let oracle = row("per-prompt oracle");
    assert!(
        close(f(&oracle, "measured_quality"), 1.0)
            && close(f(&oracle, "measured_cost_usd"), 0.1452)
    );
    assert!(close(f(&oracle, "savings_usd"), 0.0708));
    assert!((f(&oracle, "savings_pct") - 100.0 * 0.0708 / 0.216).abs() < 1e-5);
    // The log was labelled with this catalog, which carries an adequacy model: its own
    // choices are the per-prompt policy's at the catalog's target.
    let logged = row("as labelled");
    let per_prompt = row("per-prompt policy (target 0.95)");
    assert_eq!(logged["measured_cost_usd"], per_prompt["measured_cost_usd"]);
    assert_eq!(logged["measured_quality"], per_prompt["measured_quality"]);
    row("per-label policy (target 0.95)");
    // Random mix of big and small at the per-prompt policy's cost C: share of big
    // f = (C − 0.0204) / (0.216 − 0.0204), quality f · 1 + (1 − f) · 0.5.
    let c = f(&per_prompt, "measured_cost_usd");
    let share = ((c - 0.0204) / (0.216 - 0.0204)).clamp(0.0, 1.0);
    let mix = row("random mix");
    assert!(
        close(f(&mix, "measured_quality"), share + (1.0 - share) * 0.5),
        "{mix}"
    );
    assert!(
        close(
            f(&mix, "measured_cost_usd"),
            share * 0.216 + (1.0 - share) * 0.0204
        ),
        "{mix}"
    );
    let frontier = v["frontier"].as_array().unwrap();
    assert!(frontier.iter().any(|p| p["policy"] == "per-prompt"));
    assert!(frontier.iter().any(|p| p["policy"] == "per-label"));

    // The table says "measured" on every figure.
    let r = promptyard(&[
        "report",
        "-i",
        labelled.to_str().unwrap(),
        "--catalog",
        cat.to_str().unwrap(),
        "--outcomes",
        fx.to_str().unwrap(),
    ]);
    let out = String::from_utf8_lossy(&r.stdout);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(
        out.contains("13 matched an outcome prompt_id, 1 did not (e.g. pilot:new-0)"),
        "{out}"
    );
    assert!(
        out.contains(
            "| always the best single model (big) | 1.000 | 100.0% | $0.2160 | $0.0000 (0.0%) |"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "| per-prompt oracle (cheapest correct) | 1.000 | 100.0% | $0.1452 | $0.0708 (32.8%) |"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "| strategy | measured quality | vs best | measured cost | measured saved vs best |"
        ),
        "{out}"
    );
}

#[test]
fn report_outcomes_names_file_line_and_field_of_a_bad_join() {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixture();
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/catalog.toml");
    let report = |log: &str| {
        let path = dir.path().join("log.jsonl");
        std::fs::write(&path, log).unwrap();
        let r = promptyard(&[
            "report",
            "-i",
            path.to_str().unwrap(),
            "--catalog",
            catalog.to_str().unwrap(),
            "--outcomes",
            fx.to_str().unwrap(),
        ]);
        assert!(!r.status.success());
        String::from_utf8_lossy(&r.stderr).to_string()
    };
    // The bundled catalog has none of the fixture's models.
    let err = report("{\"prompt_id\": \"pilot:code-0\", \"model\": \"x\"}\n");
    assert!(err.contains("no eligible model of catalog"), "{err}");
    // With a catalog that knows them: a record without its prompt id.
    let dir2 = tempfile::tempdir().unwrap();
    let cat = dir2.path().join("pilot.toml");
    let r = promptyard(&[
        "calibrate",
        "--outcomes",
        fx.to_str().unwrap(),
        "--labels",
        "given",
        "--no-per-prompt",
        "--out",
        cat.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let report = |log: &str| {
        let path = dir.path().join("log.jsonl");
        std::fs::write(&path, log).unwrap();
        let r = promptyard(&[
            "report",
            "-i",
            path.to_str().unwrap(),
            "--catalog",
            cat.to_str().unwrap(),
            "--outcomes",
            fx.to_str().unwrap(),
        ]);
        assert!(!r.status.success());
        String::from_utf8_lossy(&r.stderr).to_string()
    };
    let rec = |id: &str, model: &str| {
        format!("{{\"prompt_id\": \"{id}\", \"label\": \"reasoning\", \"probs\": {{\"planning\": 0, \"reasoning\": 1, \"code_completion\": 0, \"other\": 0}}, \"model\": \"{model}\"}}\n")
    };
    let err = report(&format!(
        "{}{{\"text\": \"no id\"}}\n",
        rec("pilot:reason-0", "big")
    ));
    assert!(err.contains("log.jsonl:2: prompt_id: missing"), "{err}");
    let err = report(&rec("pilot:reason-0", "gpt-9"));
    assert!(
        err.contains("log.jsonl:1: model: \"gpt-9\" is not in catalog"),
        "{err}"
    );
    let err = report(&format!(
        "{}{}",
        rec("pilot:reason-0", "big"),
        rec("pilot:reason-0", "small")
    ));
    assert!(
        err.contains("log.jsonl:2: prompt_id: \"pilot:reason-0\" repeats line 1"),
        "{err}"
    );
    let err = report(&rec("elsewhere:1", "big"));
    assert!(
        err.contains("none of the 1 labelled record(s) matched a prompt_id"),
        "{err}"
    );
}

#[test]
fn calibrate_adequacy_budget_is_a_choice_and_a_bad_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pilot.toml");
    let run = |budget: &str| calibrate_fixture(&out, &["--adequacy-budget", budget]);
    let r = run("2048,512");
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let catalog = Catalog::load(&out).unwrap();
    assert_eq!(catalog.adequacy().unwrap().rest_budget(), Some((2048, 512)));
    let r = run("classifier");
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let catalog = Catalog::load(&out).unwrap();
    assert_eq!(catalog.adequacy().unwrap().rest_budget(), None);
    let r = run("4096,1024");
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let catalog = Catalog::load(&out).unwrap();
    assert_eq!(catalog.adequacy().unwrap().rest_budget(), Some((4096, 1024)));
    let r = run("4096");
    assert_eq!(r.status.code(), Some(2));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("--adequacy-budget") && err.contains("HEAD,TAIL"), "{err}");
}
