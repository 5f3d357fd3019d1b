//! `promptyard catalog prices|check|list` and the `promptyard-catalog` crate, on small feeds
//! cut from the two price database snapshots (`tests/fixtures/prices/`, licences kept), and on
//! the full snapshots in `../shared/data/prices` when they are there.
//!
//! Expected prices are read off the fixture JSON by hand: LiteLLM gives USD per token
//! (× 10⁶ = USD/MTok), genai-prices USD per million tokens.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use promptyard::catalog::{Catalog, PriceTier};
use promptyard_catalog::check::{check, CheckOptions, Warning};
use promptyard_catalog::update::{apply, CatalogDoc, Report};
use promptyard_catalog::{Date, Feed, FeedFormat};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/prices")
        .join(name)
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn genai() -> Feed {
    Feed::load(
        fixture("genai-prices-v2-data.json"),
        Some(date("2026-08-21")),
    )
    .unwrap()
}

fn litellm() -> Feed {
    Feed::load(
        fixture("litellm-model-prices.json"),
        Some(date("2026-11-02")),
    )
    .unwrap()
}

/// The fixture catalog updated from `feeds` as of `today`: (report, TOML text, loaded catalog).
fn updated(feeds: &[Feed], today: &str) -> (Report, String, Catalog) {
    let mut doc = CatalogDoc::load(fixture("catalog.toml")).unwrap();
    let report = apply(&mut doc, feeds, date(today)).unwrap();
    let text = doc.to_string();
    let catalog = Catalog::parse(&text, "updated.toml").unwrap();
    (report, text, catalog)
}

fn prices(c: &Catalog, id: &str) -> (f64, f64) {
    let m = c.model(id).unwrap();
    (m.input_usd_per_mtok, m.output_usd_per_mtok)
}

fn promptyard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_promptyard"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn feed_format_is_detected_from_the_json_shape() {
    assert_eq!(genai().format, FeedFormat::GenaiPrices);
    assert_eq!(litellm().format, FeedFormat::LiteLlm);
    let err = Feed::load(fixture("catalog.toml"), None).unwrap_err();
    assert!(err.to_string().contains("invalid JSON"), "{err}");
    let out = promptyard(&[
        "catalog",
        "prices",
        "--from",
        fixture("README.md").to_str().unwrap(),
        "--out",
        "/dev/null",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn genai_scheduled_price_is_recorded_before_its_date_and_applied_on_it() {
    // claude-sonnet-5: $2/$10, then $3/$15 from 2026-09-01.
    let (report, text, c) = updated(&[genai()], "2026-08-31");
    assert_eq!(prices(&c, "claude-sonnet-5"), (2.0, 10.0));
    let m = c.model("claude-sonnet-5").unwrap();
    assert_eq!(m.scheduled_prices.len(), 1);
    let s = &m.scheduled_prices[0];
    assert_eq!(
        (
            s.start_date.as_str(),
            s.input_usd_per_mtok,
            s.output_usd_per_mtok
        ),
        ("2026-09-01", 3.0, 15.0)
    );
    assert_eq!(s.source.as_deref(), Some("genai-prices 2026-08-21"));
    assert_eq!(m.context_tokens, 1_000_000);
    assert_eq!(m.prices_checked.as_deref(), Some("2026-08-21"));
    // The wrong hand-typed price is reported old → new, its comment kept.
    assert!(report.changes.iter().any(|c| c.to_string()
        == "claude-sonnet-5: input_usd_per_mtok 9.0 → 2.0 (genai-prices 2026-08-21)"));
    assert!(text.contains("input_usd_per_mtok = 2.0 # typed in by hand, wrong on purpose"));
    assert!(text.starts_with("# A catalog for the `promptyard catalog` tests."));
    assert!(text.contains("# Matched through its feed key, not its id."));

    let (_, _, c) = updated(&[genai()], "2026-09-01");
    assert_eq!(prices(&c, "claude-sonnet-5"), (3.0, 15.0));
    assert!(c
        .model("claude-sonnet-5")
        .unwrap()
        .scheduled_prices
        .is_empty());
}

#[test]
fn tiers_price_key_and_unmatched_models_round_trip_through_both_formats() {
    // gemini-3.1-pro-preview: $2/$12, $4/$18 above 200k input tokens, in both feeds.
    let tier = [PriceTier {
        above_input_tokens: 200_000,
        input_per_mtok: 4.0,
        output_per_mtok: 18.0,
    }];
    for (feed, flash_ctx, deepseek) in [
        (genai(), 1_000_000, (0.14, 0.28)),
        (litellm(), 1_048_576, (0.3, 1.2)),
    ] {
        let name = feed.source.name.clone();
        let (report, text, c) = updated(&[feed], "2026-12-01");
        let pro = c.model("gemini-3.1-pro-preview").unwrap();
        assert_eq!(prices(&c, "gemini-3.1-pro-preview"), (2.0, 12.0), "{name}");
        assert_eq!(pro.price_tiers, tier, "{name}");
        // The router prices a 250k-token prompt in the tier.
        assert_eq!(
            pro.cost_usd(250_000, 1_000),
            (250_000.0 * 4.0 + 1_000.0 * 18.0) / 1e6
        );
        // `flash` has neither api_id nor a feed id: found by price_key.
        assert_eq!(prices(&c, "flash"), (0.75, 3.75), "{name}");
        assert_eq!(
            c.model("flash").unwrap().context_tokens,
            flash_ctx,
            "{name}"
        );
        assert_eq!(prices(&c, "deepseek-v4-flash"), deepseek, "{name}");
        assert_eq!(report.unpriced(), ["house-model"], "{name}");
        // Idempotent: a second pass over its own output changes nothing.
        let mut again = CatalogDoc::parse(&text, "again.toml").unwrap();
        let feed = if name == "litellm" {
            litellm()
        } else {
            genai()
        };
        assert!(apply(&mut again, &[feed], date("2026-12-01"))
            .unwrap()
            .changes
            .is_empty());
        assert_eq!(again.to_string(), text);
    }
}

#[test]
fn the_newest_feed_last_wins_and_keeps_the_older_feeds_announcements() {
    let (report, _, c) = updated(&[genai(), litellm()], "2026-12-01");
    // genai-prices says $3/$15 since 2026-09-01; LiteLLM (November) says $2/$10.
    assert_eq!(prices(&c, "claude-sonnet-5"), (2.0, 10.0));
    let m = c.model("claude-sonnet-5").unwrap();
    assert_eq!(m.prices_source.as_deref(), Some("litellm 2026-11-02"));
    assert_eq!(m.prices_checked.as_deref(), Some("2026-11-02"));
    // gemini-3.7-flash doubles on 2027-01-01 (genai-prices only): still announced.
    let flash = c.model("flash").unwrap();
    assert_eq!(flash.scheduled_prices[0].start_date, "2027-01-01");
    assert_eq!(
        (
            flash.scheduled_prices[0].input_usd_per_mtok,
            flash.scheduled_prices[0].output_usd_per_mtok
        ),
        (1.5, 7.5)
    );
    // One net change per field, old value to last value.
    let input = report
        .changes
        .iter()
        .filter(|c| c.model == "claude-sonnet-5" && c.field == "input_usd_per_mtok")
        .collect::<Vec<_>>();
    assert_eq!(input.len(), 1);
    assert_eq!(
        input[0].to_string(),
        "claude-sonnet-5: input_usd_per_mtok 9.0 → 2.0 (litellm 2026-11-02)"
    );
}

#[test]
fn check_flags_a_stale_price_a_disagreement_and_an_upcoming_change() {
    let (_, _, c) = updated(&[genai(), litellm()], "2026-12-01");
    let feeds = [genai(), litellm()];
    let w = check(&c, &feeds, date("2026-12-15"), &CheckOptions::default());
    let text: Vec<String> = w.iter().map(ToString::to_string).collect();
    // house-model: checked 2025-01-15, 699 days before 2026-12-15 (limit 90).
    assert!(
        w.contains(&Warning::Stale {
            model: "house-model".into(),
            checked: date("2025-01-15"),
            age_days: 699,
            max_age_days: 90,
        }),
        "{text:#?}"
    );
    // deepseek-v4-flash: $0.14 (genai-prices) vs $0.30 (LiteLLM) input.
    assert!(
        w.contains(&Warning::Disagreement {
            model: "deepseek-v4-flash".into(),
            field: "input",
            a: ("genai-prices 2026-08-21".into(), 0.14),
            b: ("litellm 2026-11-02".into(), 0.3),
        }),
        "{text:#?}"
    );
    // claude-sonnet-5: $3 (genai-prices, after its 2026-09-01 change) vs $2 (LiteLLM).
    assert!(text
        .iter()
        .any(|t| t.starts_with("claude-sonnet-5: sources disagree on the input price")));
    // flash: 2027-01-01 is 17 days after 2026-12-15.
    assert!(
        w.contains(&Warning::Upcoming {
            model: "flash".into(),
            start: date("2027-01-01"),
            in_days: 17,
            prices: (1.5, 7.5),
            source: Some("genai-prices 2026-08-21".into()),
        }),
        "{text:#?}"
    );
    // 31 days ahead is outside the 30-day horizon; fresh, agreeing prices are clean.
    let quiet = check(
        &c,
        &[],
        date("2026-12-01"),
        &CheckOptions {
            max_age_days: 1000,
            ..CheckOptions::default()
        },
    );
    assert!(quiet.is_empty(), "{quiet:#?}");
}

#[test]
fn cli_prices_then_check_and_list() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("catalog.toml");
    let out = out_path.to_str().unwrap();
    let g = format!(
        "{}@2026-08-21",
        fixture("genai-prices-v2-data.json").display()
    );
    let l = format!(
        "{}@2026-11-02",
        fixture("litellm-model-prices.json").display()
    );
    let cat = fixture("catalog.toml");
    let run = promptyard(&[
        "catalog",
        "prices",
        "--from",
        &g,
        "--from",
        &l,
        "--catalog",
        cat.to_str().unwrap(),
        "--out",
        out,
        "--today",
        "2026-12-01",
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "changed deepseek-v4-flash: input_usd_per_mtok 1.0 → 0.3 (litellm 2026-11-02)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("unmatched house-model in litellm 2026-11-02"),
        "{stderr}"
    );
    assert!(
        stderr.contains("not priced by any feed: house-model"),
        "{stderr}"
    );
    assert!(std::fs::read_to_string(&out_path)
        .unwrap()
        .contains("This comment must survive every update."));

    let check_args = |today: &str, extra: &[&str]| {
        let mut args = vec!["catalog", "check", "--catalog", out, "--today", today];
        args.extend_from_slice(extra);
        promptyard(&args)
    };
    let warned = check_args("2026-12-15", &["--against", &g, &l]);
    let stdout = String::from_utf8_lossy(&warned.stdout);
    assert_eq!(warned.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("warning: house-model: stale prices"),
        "{stdout}"
    );
    assert!(
        stdout.contains("warning: flash: price change in 17 days"),
        "{stdout}"
    );
    assert!(stdout.contains("sources disagree"), "{stdout}");
    let clean = check_args("2026-12-01", &["--max-age", "1000"]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    let missing = promptyard(&["catalog", "check", "--catalog", "/nonexistent/catalog.toml"]);
    assert_eq!(missing.status.code(), Some(2));

    let list = promptyard(&["catalog", "list", "--catalog", out, "--today", "2026-12-01"]);
    let table = String::from_utf8_lossy(&list.stdout);
    assert!(list.status.success());
    let row = table
        .lines()
        .find(|l| l.starts_with("gemini-3.1-pro-preview "))
        .unwrap();
    assert!(
        row.contains("+tiers") && row.contains("29 d") && row.contains("litellm 2026-11-02"),
        "{row}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("house-model ") && l.contains("685 d")),
        "{table}"
    );
}

/// Both full snapshots through `catalog prices` with the bundled catalog.
#[test]
fn prices_runs_on_the_full_snapshots() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/prices");
    let feeds = [
        ("genai-prices-v2-data.json", "2026-08-21"),
        ("litellm-model-prices.json", "2026-11-02"),
    ];
    if !feeds.iter().all(|(f, _)| shared.join(f).exists()) {
        println!("SKIPPED: price snapshots not found in {}", shared.display());
        assert!(
            std::env::var("PROMPTYARD_REQUIRE_SHARED").as_deref() != Ok("1"),
            "PROMPTYARD_REQUIRE_SHARED=1 but {} lacks the snapshots",
            shared.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (file, snapshot) in feeds {
        let out = dir.path().join(format!("{file}.toml"));
        let from = format!("{}@{snapshot}", shared.join(file).display());
        let run = promptyard(&[
            "catalog",
            "prices",
            "--from",
            &from,
            "--out",
            out.to_str().unwrap(),
            "--today",
            "2026-12-01",
        ]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{file}: {stderr}");
        assert!(stderr.contains("pairs unmatched"), "{stderr}");
        Catalog::load(&out).unwrap();
    }
    // The bundled catalog is what the documented refresh command produces: refreshing it
    // again from the same snapshots changes nothing.
    let mut doc = CatalogDoc::parse(promptyard::catalog::BUNDLED_TOML, "bundled").unwrap();
    let loaded: Vec<Feed> = feeds
        .iter()
        .map(|(f, d)| Feed::load(shared.join(f), Some(date(d))).unwrap())
        .collect();
    let report = apply(&mut doc, &loaded, date("2026-12-01")).unwrap();
    assert!(report.changes.is_empty(), "{:#?}", report.changes);
    assert!(report.unpriced().is_empty(), "{:?}", report.unpriced());
}

/// The bundled catalog: current models, every price dated and sourced, every quality number
/// sourced or marked as an estimate.
#[test]
fn bundled_catalog_is_current_and_sourced() {
    let c = Catalog::bundled().unwrap();
    assert!(c.models().len() >= 15);
    let mut providers: Vec<&str> = c.models().iter().map(|m| m.provider.as_str()).collect();
    providers.sort();
    providers.dedup();
    assert!(providers.len() >= 6, "{providers:?}");
    let snapshot = date("2026-08-21"); // the older of the two snapshots used
    for m in c.models() {
        assert!(
            m.prices_source.as_deref().is_some_and(|s| !s.is_empty()),
            "{}",
            m.id
        );
        let checked = date(m.prices_checked.as_deref().unwrap());
        assert!(checked >= snapshot, "{}: {checked}", m.id);
        let q = m.quality_source.as_deref().unwrap_or_default();
        assert!(q.len() > 20, "{}: quality_source {q:?}", m.id);
        assert!(q.contains("estimate") || q.contains("20"), "{}: {q}", m.id);
    }
}
