//! The embeddable `Router`: construction, routing with the bundled model, batch routing,
//! reload failures, and no panics on odd input.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use promptyard::classifier::Classifier;
use promptyard::model::ModelFile;
use promptyard::router::Router;
use promptyard::{Catalog, Decision, Error, Label};

// Shared across a service's threads behind an Arc.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Router>();
    assert_send_sync::<Arc<Router>>();
    assert_send_sync::<Decision>();
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/catalogs")
        .join(name)
}

fn json(d: &Decision) -> String {
    serde_json::to_string(d).unwrap()
}

#[test]
fn the_bundled_router_routes_and_fills_every_field() {
    let router = Router::new().unwrap();
    let prompt = "Complete this function: def fizzbuzz(n):";
    let d = router.route(prompt).unwrap();
    let catalog = router.catalog();
    let m = catalog
        .model(&d.model)
        .expect("the chosen model is in the catalog");
    assert!(m.eligible);
    assert_eq!(d.provider, m.provider);
    assert_eq!(d.api_id.as_deref(), m.api_id.as_deref());
    assert_eq!(d.confidence, d.probs[d.label.index()]);
    assert!((d.probs.iter().sum::<f32>() - 1.0).abs() < 1e-4);
    assert_eq!(d.est_cost_usd, m.cost_usd(d.input_tokens, d.output_tokens));
    assert!(d
        .fallbacks
        .iter()
        .all(|f| catalog.model(f).is_some() && *f != d.model));
    assert!(d.reason.to_string().contains(&format!("→ {}", d.model)), "{}", d.reason);
    assert_eq!(d.catalog_fingerprint, catalog.fingerprint());
    assert_eq!(
        d.classifier_fingerprint.as_deref(),
        Some(router.classifier().fingerprint())
    );
    // Serialised as the classifier's 16 hex digits, like the model file's fingerprint.
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(
        json["classifier_fingerprint"].as_str(),
        Some(ModelFile::bundled().unwrap().fingerprint().as_str())
    );
}

/// Clear-cut prompts get their label with the trained default model.
#[test]
fn clear_cut_prompts_get_their_label_with_the_bundled_model() {
    let router = Router::new().unwrap();
    let cases = [
        ("Complete this Python function:\ndef parse_date(s: str) -> datetime:\n    ", Label::CodeCompletion),
        ("Plan the rollout of SSO to our 40 internal apps over Q3, with weekly milestones.", Label::Planning),
        ("A train leaves at 3pm at 60 km/h and another at 4pm at 80 km/h on the same track. At what time does the second catch up with the first?", Label::Reasoning),
        ("Translate to French: the meeting is moved to Thursday.", Label::Other),
    ];
    // An untrained placeholder (uniform output) fails here rather than passing silently.
    for (prompt, _) in cases {
        let p = router.classifier().predict(prompt);
        assert!(
            p.iter().any(|&x| (x - 1.0 / p.len() as f32).abs() > 1e-3),
            "the bundled classifier gives uniform output {p:?} for {prompt:?}: is it a placeholder?"
        );
    }
    for (prompt, label) in cases {
        let d = router.route(prompt).unwrap();
        assert_eq!(d.label, label, "{prompt:?}: {}", d.reason);
    }
}

#[test]
fn route_never_panics_on_odd_input() {
    let router = Router::new().unwrap();
    let long_line = "x".repeat(100_000);
    let mixed = "é漢🦀\u{0301}\u{202e}\t\r\n".repeat(5_000);
    let beyond_every_window = "word ".repeat(1_000_000);
    let inputs = [
        "\0",
        "\u{FFFD}\u{FEFF}",
        "```",
        "{\"json\": true}",
        long_line.as_str(),
        mixed.as_str(),
        beyond_every_window.as_str(),
    ];
    for input in inputs {
        match router.route(input) {
            Ok(d) => assert!(d.est_cost_usd.is_finite() && d.est_cost_usd >= 0.0),
            Err(e @ Error::NoAdequateModel { .. }) => {
                assert!(e.to_string().contains("context window"), "{e}")
            }
            Err(e) => panic!("unexpected error {e}"),
        }
    }
    // As code (no code-adequate model has a 1.25M-token window) it is a typed error; as
    // `other` it fits llama-4-scout's 10M window, so the label decides and is fixed here.
    assert!(matches!(
        router.decide(&[0.0, 0.0, 1.0, 0.0], &beyond_every_window),
        Err(Error::NoAdequateModel { .. })
    ));
}

#[test]
fn route_batch_gives_the_same_decisions_as_route() {
    let router = Router::new().unwrap();
    let prompts: Vec<String> = (0..200)
        .map(|i| match i % 4 {
            0 => format!("Complete `fn add_{i}(a: i32, b: i32) -> i32 {{`"),
            1 => format!("Plan a {i}-day trip to Lisbon with a budget"),
            2 => format!(
                "If {i} workers build a wall in 3 days, how long do {} take?",
                i + 1
            ),
            _ => "why ".repeat(i),
        })
        .collect();
    let refs: Vec<&str> = prompts.iter().map(String::as_str).collect();
    let batch = router.route_batch(&refs);
    assert_eq!(batch.len(), refs.len());
    for (prompt, got) in refs.iter().zip(&batch) {
        assert_eq!(
            json(got.as_ref().unwrap()),
            json(&router.route(prompt).unwrap())
        );
    }
    assert!(router.route_batch(&[]).is_empty());
}

#[test]
fn builder_overrides_and_probabilities_from_elsewhere() {
    let router = Router::builder()
        .catalog(fixture("small.toml"))
        .classifier(Classifier::bundled().unwrap())
        .build()
        .unwrap();
    let d = router
        .decide(&[0.0, 0.0, 1.0, 0.0], "complete `def f():`")
        .unwrap();
    assert_eq!(
        (d.model.as_str(), d.api_id.as_deref()),
        ("cheap", Some("acme.cheap-v1"))
    );
    assert_eq!(d.fallbacks[..], ["strong"]);
    assert!(d.classifier_fingerprint.is_none());
    let d = router.decide(&[0.1, 0.8, 0.1, 0.0], "why?").unwrap();
    assert_eq!(d.model, "strong");
    // small.toml is a three-label catalog: `other` goes to the most capable model, flagged.
    let d = router.decide(&[0.0, 0.1, 0.0, 0.9], "hi there").unwrap();
    assert_eq!(d.model, "strong");
    assert!(
        d.reason.to_string().contains("catalog has no other settings"),
        "{}",
        d.reason
    );

    let toml = std::fs::read_to_string(fixture("small.toml")).unwrap();
    let inline = Router::builder().catalog_str(toml.clone()).build().unwrap();
    assert_eq!(
        inline.catalog().fingerprint(),
        router.catalog().fingerprint()
    );
    let err = Router::builder()
        .catalog_str(toml.replace("context_tokens = 1000", "context_tokens = -1"))
        .build()
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("catalog <inline catalog>:13: context_tokens:"),
        "{err}"
    );
}

#[test]
fn a_failed_reload_keeps_the_old_state_and_returns_the_error() {
    let router = Router::builder()
        .catalog(fixture("small.toml"))
        .build()
        .unwrap();
    let before_catalog = router.catalog().fingerprint();
    let before_model = router.classifier().fingerprint().to_string();
    let before = json(&router.route("complete `def f():`").unwrap());

    let err = router
        .reload_catalog(fixture("bad_negative_price.toml"))
        .unwrap_err();
    assert!(matches!(&err, Error::Catalog { line: 9, .. }), "{err}");
    assert!(matches!(
        router.reload_catalog(fixture("missing.toml")),
        Err(Error::Io { .. })
    ));
    let err = router
        .reload_model(fixture("no-such-model-dir"))
        .unwrap_err();
    assert!(
        matches!(err, Error::Model { .. } | Error::Io { .. }),
        "{err}"
    );

    assert_eq!(router.catalog().fingerprint(), before_catalog);
    assert_eq!(router.classifier().fingerprint(), before_model);
    assert_eq!(json(&router.route("complete `def f():`").unwrap()), before);

    // A good reload takes effect; the snapshot taken before it does not change.
    let snapshot = router.catalog();
    router.set_catalog(Catalog::bundled().unwrap());
    assert_ne!(router.catalog().fingerprint(), before_catalog);
    assert_eq!(snapshot.fingerprint(), before_catalog);
}

/// docs/embedding.md quotes examples/embed.rs (which `cargo test` builds); keep it verbatim.
#[test]
fn the_embedding_doc_quotes_the_compiled_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let section = std::fs::read_to_string(root.join("docs/embedding.md")).unwrap();
    let example = std::fs::read_to_string(root.join("examples/embed.rs")).unwrap();
    let quoted = section
        .split("```rust\n")
        .filter_map(|block| block.split("```").next())
        .find(|block| block.contains("fn answer"))
        .expect("the section quotes fn answer");
    assert!(
        example.contains(quoted),
        "docs/embedding.md quote differs from examples/embed.rs"
    );
}
