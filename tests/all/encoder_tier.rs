//! The encoder tier with the real all-MiniLM-L6-v2 weights (fetched by
//! `scripts/fetch-encoder.sh` into `.cache/encoders/all-minilm-l6-v2`, or wherever
//! `PROMPTYARD_ENCODER_DIR` points) and multilingual-e5-small (`scripts/fetch-encoder.sh
//! multilingual-e5-small`, or `PROMPTYARD_E5_DIR`). Without them each test prints
//! `SKIPPED: …` and passes, unless `PROMPTYARD_REQUIRE_ENCODER=1` (set by `.ci/run` after
//! fetching), which makes an absent directory a failure. The tiny random BERT in the
//! library's unit tests covers the code paths without weights.
#![cfg(feature = "encoder")]

use std::path::PathBuf;
use std::process::Command;

use promptyard::cascade::Tier;
use promptyard::encoder::{Encoder, Head};
use promptyard::Router;

fn encoder_dir() -> Option<PathBuf> {
    fetched("PROMPTYARD_ENCODER_DIR", "all-minilm-l6-v2")
}

/// multilingual-e5-small, converted by `scripts/fetch-encoder.sh multilingual-e5-small` (or
/// wherever `PROMPTYARD_E5_DIR` points); skipped and required like all-MiniLM-L6-v2.
fn e5_dir() -> Option<PathBuf> {
    fetched("PROMPTYARD_E5_DIR", "multilingual-e5-small")
}

/// The encoder directory `var` names, else `.cache/encoders/NAME`, if it has weights.
fn fetched(var: &str, name: &str) -> Option<PathBuf> {
    let dir = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(".cache/encoders")
            .join(name)
    });
    if dir.join("model.safetensors").is_file() {
        return Some(dir);
    }
    if std::env::var("PROMPTYARD_REQUIRE_ENCODER").as_deref() == Ok("1") {
        panic!(
            "PROMPTYARD_REQUIRE_ENCODER=1 but {} has no model.safetensors (run scripts/fetch-encoder.sh {name})",
            dir.display()
        );
    }
    eprintln!(
        "SKIPPED: no encoder weights in {} (run scripts/fetch-encoder.sh {name}; set \
         PROMPTYARD_REQUIRE_ENCODER=1 to fail instead)",
        dir.display()
    );
    None
}

fn cos(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The encoder in `dir` (384 wide) and its unit-length embeddings of `texts`.
fn embed_unit(dir: &std::path::Path, texts: &[&str]) -> (Encoder, Vec<Vec<f32>>) {
    let enc = Encoder::load(dir, &candle_core::Device::Cpu).unwrap();
    assert_eq!(enc.dim(), 384);
    let e = enc.embed(texts).unwrap();
    for v in &e {
        assert!((cos(v, v) - 1.0).abs() < 1e-4);
    }
    (enc, e)
}

#[test]
fn minilm_embeddings_are_normalised_and_mean_what_they_say() {
    let Some(dir) = encoder_dir() else { return };
    let (_, e) = embed_unit(
        &dir,
        &[
            "Plan a three-day trip to Lisbon",
            "Draw up an itinerary for a weekend in Porto",
            "Write a Python function that reverses a linked list",
        ],
    );
    let (travel, code) = (cos(&e[0], &e[1]), cos(&e[0], &e[2]));
    assert!(travel > code + 0.2, "travel {travel} vs code {code}");
}

#[test]
fn the_bundled_head_matches_the_fetched_encoder() {
    let Some(dir) = encoder_dir() else { return };
    let fp = promptyard::encoder::fingerprint_dir(&dir).unwrap();
    let head = Head::bundled_for(&fp).expect("a bundled head for all-MiniLM-L6-v2");
    assert_eq!(head.dim(), 384);
    assert!((0.0..=1.0).contains(&head.threshold()));
}

#[test]
fn e5_embeds_one_request_alike_in_three_languages_and_has_a_bundled_head() {
    let Some(dir) = e5_dir() else { return };
    let (enc, e) = embed_unit(
        &dir,
        &[
            "Plan a three-day trip to Lisbon",
            "Plane eine dreitägige Reise nach Lissabon",
            "リスボンへの3日間の旅行を計画して",
            "Write a Python function that reverses a linked list",
        ],
    );
    let code = cos(&e[0], &e[3]);
    for (i, lang) in [(1, "German"), (2, "Japanese")] {
        let same = cos(&e[0], &e[i]);
        assert!(same > code + 0.05, "{lang} {same} vs code {code}");
    }
    let head =
        Head::bundled_for(enc.fingerprint()).expect("a bundled head for multilingual-e5-small");
    // The shipped head reads layers 8 and 12 pooled side by side (docs/encoder.md).
    assert_eq!(head.pooled_layers(), [8, 12]);
    assert_eq!(head.dim(), 2 * 384);
    let cascade = promptyard::cascade::Cascade::new(enc, head).unwrap();
    assert_eq!(cascade.encoder().pooled_layers(), [8, 12]);
    let e = cascade.encoder().embed(&["Plan a three-day trip to Lisbon"]).unwrap();
    assert_eq!(e[0].len(), 2 * 384);
    assert!((cos(&e[0], &e[0]) - 1.0).abs() < 1e-4);
}

#[test]
fn e5_cascade_labels_requests_in_other_languages() {
    let Some(dir) = e5_dir() else { return };
    let router = Router::builder()
        .encoder(&dir)
        .cascade_threshold(1.0)
        .build()
        .unwrap();
    let cases = [
        ("Schreib eine Python-Funktion, die eine verkettete Liste umkehrt", promptyard::Label::CodeCompletion),
        ("Organiza un plan de lanzamiento de producto para el próximo trimestre, semana a semana", promptyard::Label::Planning),
        ("Traduis en anglais : « Le chat dort sur le canapé. »", promptyard::Label::Other),
    ];
    for (prompt, label) in cases {
        let d = router.route(prompt).unwrap();
        assert_ne!(d.tier, Tier::Fast, "{prompt}");
        assert_eq!(d.label, label, "{prompt}: {:?}", d.probs);
    }
}

#[test]
fn the_router_sends_unsure_prompts_to_the_encoder() {
    let Some(dir) = encoder_dir() else { return };
    let always = Router::builder()
        .encoder(&dir)
        .cascade_threshold(1.0)
        .build()
        .unwrap();
    let d = always
        .route("Write a Python function that reverses a linked list")
        .unwrap();
    // The shipped head's mode (combine) decides which of the two non-fast tiers it is.
    let unsure_tier = match always.cascade().unwrap().mode() {
        promptyard::cascade::CascadeMode::Encoder => Tier::Encoder,
        promptyard::cascade::CascadeMode::Combine => Tier::Combined,
    };
    assert_eq!(d.tier, unsure_tier);
    assert_eq!(d.label, promptyard::Label::CodeCompletion);
    let batch = always.route_batch(&["Plan a product launch for next quarter", "hi there"]);
    assert!(batch
        .iter()
        .all(|d| d.as_ref().unwrap().tier == unsure_tier));

    let never = Router::builder()
        .encoder(&dir)
        .cascade_threshold(0.0)
        .build()
        .unwrap();
    assert_eq!(
        never.route("Plan a product launch").unwrap().tier,
        Tier::Fast
    );
    // A reload of the encoder keeps the threshold the router was built with.
    never.reload_encoder(&dir).unwrap();
    assert_eq!(never.cascade().unwrap().threshold(), 0.0);
}

#[test]
fn route_takes_encoder_and_threshold_flags() {
    let Some(dir) = encoder_dir() else { return };
    let out = Command::new(env!("CARGO_BIN_EXE_promptyard"))
        .args(["route", "--encoder"])
        .arg(&dir)
        .args(["--cascade-threshold", "1", "Why is this SQL query slow?"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["tier"] == "encoder" || v["tier"] == "combined", "{v}");
}

#[test]
fn label_records_say_which_tier_answered() {
    let Some(dir) = encoder_dir() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (input, output) = (tmp.path().join("in.jsonl"), tmp.path().join("out.jsonl"));
    std::fs::write(
        &input,
        "{\"text\":\"Why is this SQL query slow?\"}\n{\"text\":\"Plan a 3-day trip to Lisbon\"}\n",
    )
    .unwrap();
    // Threshold 1: every prompt is unsure, so every record comes from the encoder tier.
    let out = Command::new(env!("CARGO_BIN_EXE_promptyard"))
        .args(["label", "--quiet", "--encoder"])
        .arg(&dir)
        .args(["--cascade-threshold", "1", "-i"])
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&output).unwrap();
    let tiers: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["tier"].to_string())
        .collect();
    assert_eq!(tiers.len(), 2, "{text}");
    for t in &tiers {
        assert!(t == "\"encoder\"" || t == "\"combined\"", "{text}");
    }
}

#[test]
fn train_encoder_then_eval_side_by_side() {
    let Some(dir) = encoder_dir() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let prompts = [
        (
            "Plan the migration of our billing system over two quarters",
            "planning",
        ),
        (
            "Draft a week-by-week plan for onboarding a new engineer",
            "planning",
        ),
        (
            "Why does the sum of the parts exceed the total in this report?",
            "reasoning",
        ),
        (
            "If a train leaves at 3pm at 60 km/h, when does it arrive 150 km away?",
            "reasoning",
        ),
        (
            "Write a Python function that merges overlapping intervals",
            "code_completion",
        ),
        (
            "Complete this SQL query: SELECT name FROM users WHERE",
            "code_completion",
        ),
        ("hello, how are you today?", "other"),
        ("thanks, that was helpful", "other"),
    ];
    let jsonl: String = prompts
        .iter()
        .enumerate()
        .map(|(i, (t, l))| {
            format!(
                "{{\"id\":\"t:{i}\",\"text\":{},\"label\":\"{l}\",\"source\":\"t\"}}\n",
                serde_json::json!(t)
            )
        })
        .collect();
    std::fs::write(data.join("train.jsonl"), &jsonl).unwrap();
    std::fs::write(data.join("valid.jsonl"), &jsonl).unwrap();
    let head = tmp.path().join("head.safetensors");
    let cache = tmp.path().join("cache");
    let run = |args: &[&std::ffi::OsStr]| {
        let out = Command::new(env!("CARGO_BIN_EXE_promptyard"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    // A linear head, one with a hidden layer, and one pooling two layers (the shipped e5
    // head's kind): each pooling has its own cache file.
    for (k, extra) in [&[][..], &["--hidden", "16", "--steps", "300"], &["--layers", "3,6"]]
        .into_iter()
        .enumerate()
    {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "train-encoder".as_ref(),
            "--encoder".as_ref(),
            dir.as_os_str(),
            "--data".as_ref(),
            data.as_os_str(),
            "--out".as_ref(),
            head.as_os_str(),
            "--embedding-cache".as_ref(),
            cache.as_os_str(),
        ];
        args.extend(extra.iter().map(|a| std::ffi::OsStr::new(*a)));
        let train = run(&args);
        let text = String::from_utf8_lossy(&train.stdout);
        assert!(text.contains("cascade  accuracy"), "{text}");
        // The cache makes a second run embed nothing; another pooling gets its own file.
        let files = std::fs::read_dir(&cache).unwrap().count();
        assert_eq!(files, if k < 2 { 1 } else { 2 }, "{extra:?}");
        let trained = Head::load(&head).unwrap();
        let hidden = trained.layers().hidden_units();
        assert_eq!(hidden, if k == 1 { 16 } else { 0 }, "{extra:?}");
        let (pooled, dim): (&[usize], usize) = if k == 2 { (&[3, 6], 768) } else { (&[], 384) };
        assert_eq!((trained.pooled_layers(), trained.dim()), (pooled, dim), "{extra:?}");
        let eval = run(&[
            "eval".as_ref(),
            "--encoder".as_ref(),
            dir.as_os_str(),
            "--encoder-head".as_ref(),
            head.as_os_str(),
            "--data".as_ref(),
            data.join("valid.jsonl").as_os_str(),
            "--embedding-cache".as_ref(),
            cache.as_os_str(),
            "--json".as_ref(),
        ]);
        let v: serde_json::Value = serde_json::from_slice(&eval.stdout).unwrap();
        for tier in ["fast", "encoder", "cascade:encoder", "cascade:combine"] {
            assert_eq!(v["tiers"][tier]["n"], 8, "{v}");
        }
        // Eight prompts, four labels, one per cluster pair: the head fits its training set.
        assert!(
            v["tiers"]["encoder"]["accuracy"].as_f64().unwrap() >= 0.75,
            "{extra:?}: {v}"
        );
    }
}

#[test]
fn eval_loso_with_an_encoder_scores_three_tiers_per_held_out_source() {
    let Some(dir) = encoder_dir() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let words = [
        ("Plan the rollout of", "planning"),
        ("Why did the totals change in", "reasoning"),
        ("Write a Python function that parses", "code_completion"),
        ("Translate into French:", "other"),
    ];
    let record = |i: usize, s: usize| {
        let (w, l) = words[i % 4];
        format!(
            "{{\"id\":\"s{s}:{i}\",\"text\":\"{w} item {i} of set {s}\",\"label\":\"{l}\",\"source\":\"s{s}\"}}\n"
        )
    };
    for (split, per) in [("train", 8), ("valid", 4), ("test", 4)] {
        let jsonl: String = (0..3)
            .flat_map(|s| (0..per).map(move |i| (i, s)))
            .map(|(i, s)| record(i, s))
            .collect();
        std::fs::write(data.join(format!("{split}.jsonl")), jsonl).unwrap();
    }
    let eval = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_promptyard"))
            .args(["eval", "--json", "--epochs", "2", "--encoder"])
            .arg(&dir)
            .arg("--data")
            .arg(&data)
            .arg("--embedding-cache")
            .arg(tmp.path().join("cache"))
            .args(extra)
            .output()
            .unwrap()
    };
    // Plain heads, label-balanced ones, and balanced ones with a hidden layer (how the shipped
    // e5 head's settings were chosen).
    for extra in [
        &["--loso"][..],
        &["--loso", "--balance-labels"],
        &["--loso", "--balance-labels", "--head-hidden", "8"],
    ] {
        let out = eval(extra);
        assert!(
            out.status.success(),
            "{extra:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let rows = v["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 3, "{v}");
        for r in rows {
            // Every record of the held-out source, from all three splits.
            assert_eq!(r["n"], 16, "{r}");
            for tier in ["fast", "encoder", "cascade"] {
                let a = r[tier].as_f64().unwrap();
                assert!((0.0..=1.0).contains(&a), "{r}");
            }
            for k in ["fast_confidence", "cascade_confidence"] {
                let c = r[k].as_f64().unwrap();
                assert!((0.25..=1.0).contains(&c), "{k}: {r}");
            }
        }
        assert!(v["mean_cascade"].as_f64().is_some(), "{v}");
        assert!(v["mean_cascade_ece"].as_f64().is_some(), "{v}");
    }
    // Balancing is a LOSO option: without --loso it is refused, not ignored.
    let out = eval(&["--balance-labels"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--loso"));
}
