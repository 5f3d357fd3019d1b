//! `Router::route_into` (borrowed decision, caller's scratch) and `Router::route` (owned) run
//! one core: for every prompt of the realistic bench set and the gateway dev set, on every
//! code path of the policy, `route_into(..).to_owned()` is `route(..)` field for field and
//! the borrowed accessors read the same values.

use std::path::Path;

use crate::common_adequacy::adequacy;
use promptyard::features::FeaturizerConfig;
use promptyard::router::{DecisionRef, RouteScratch, Router};
use promptyard::{Catalog, Classifier, Decision, Error};

fn texts(file: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["text"].as_str().unwrap().to_string()
        })
        .collect()
}

/// Routers over each path: per label (bundled catalog), per prompt with the classifier's
/// bucket ids shared or featurized again, and a three-label catalog (`other` unconfigured;
/// a 1,000-token model long prompts skip) without and with a `default_model`.
fn routers() -> Vec<(&'static str, Router)> {
    let classifier = Classifier::bundled().unwrap();
    let catalog = Catalog::bundled().unwrap();
    let base = classifier.featurizer().config().clone();
    let per_prompt = |cfg: FeaturizerConfig| {
        let catalog = catalog.clone().with_adequacy(adequacy(cfg, &catalog));
        Router::builder()
            .with_catalog(catalog)
            .classifier(classifier.clone())
            .build()
            .unwrap()
    };
    let small = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalogs/small.toml"),
    )
    .unwrap();
    let with_default = small.replacen("[policy]", "[policy]\ndefault_model = \"cheap\"", 1);
    vec![
        ("bundled", Router::new().unwrap()),
        (
            "per prompt, shared features",
            per_prompt(FeaturizerConfig {
                buckets: 1 << 12,
                ..base.clone()
            }),
        ),
        (
            "per prompt, own features",
            per_prompt(FeaturizerConfig {
                buckets: 1 << 12,
                seed: base.seed + 1,
                ..base.clone()
            }),
        ),
        (
            "three labels",
            Router::builder().catalog_str(small).build().unwrap(),
        ),
        (
            "three labels, default model",
            Router::builder().catalog_str(with_default).build().unwrap(),
        ),
    ]
}

/// Every accessor of `r` against the field of the owned decision it is named after.
fn assert_same(r: &DecisionRef, d: &Decision, prompt: &str) {
    assert_eq!(r.label(), d.label, "{prompt}");
    assert_eq!(r.confidence(), d.confidence);
    assert_eq!(r.probs(), &d.probs);
    assert_eq!(r.model(), d.model);
    assert_eq!(r.provider(), d.provider);
    assert_eq!(r.api_id(), d.api_id.as_deref());
    assert_eq!(r.est_cost_usd(), d.est_cost_usd);
    assert_eq!(r.input_tokens(), d.input_tokens);
    assert_eq!(r.output_tokens(), d.output_tokens);
    assert!(r.fallbacks().eq(d.fallbacks.iter().map(|id| id.as_str())));
    assert_eq!(r.fallbacks().len(), d.fallbacks.len());
    assert_eq!(r.used_default(), d.used_default);
    assert_eq!(r.reason(), d.reason);
    assert_eq!(r.catalog_fingerprint(), d.catalog_fingerprint);
    assert_eq!(
        Some(r.classifier_fingerprint()),
        d.classifier_fingerprint.as_deref()
    );
    assert_eq!(r.tier(), d.tier);
}

#[test]
fn route_into_gives_the_decisions_of_route_on_every_path() {
    let mut prompts = texts("benches/data/realistic.jsonl");
    prompts.extend(texts("data/gateway_dev.jsonl"));
    assert!(prompts.len() > 900, "{} prompts", prompts.len());
    for (name, router) in routers() {
        let mut scratch = RouteScratch::default();
        let (mut per_prompt, mut defaulted, mut models) = (0, 0, Vec::new());
        for p in &prompts {
            let owned = router.route(p);
            match router.route_into(p, &mut scratch) {
                Ok(r) => {
                    let d = owned.unwrap_or_else(|e| panic!("{name}: route failed: {e}: {p}"));
                    assert_eq!(r.to_owned(), d, "{name}: {p}");
                    assert_eq!(Decision::from(&r), d);
                    assert_same(&r, &d, p);
                    per_prompt += usize::from(r.choice().per_prompt);
                    defaulted += usize::from(d.used_default);
                    models.push(d.model);
                }
                Err(e) => assert_eq!(
                    Some(e.to_string()),
                    owned.err().map(|e| e.to_string()),
                    "{name}: {p}"
                ),
            }
        }
        models.sort();
        models.dedup();
        assert!(models.len() > 1, "{name}: one model for every prompt");
        match name {
            "per prompt, shared features" | "per prompt, own features" => {
                assert_eq!(per_prompt, prompts.len(), "{name}")
            }
            "three labels, default model" => assert!(defaulted > 0, "{name}"),
            _ => assert_eq!(per_prompt, 0, "{name}"),
        }
    }
}

#[test]
fn route_into_refuses_blank_prompts_like_route() {
    let router = Router::new().unwrap();
    let mut scratch = RouteScratch::default();
    for blank in ["", " ", "\n\t ", "\u{3000}\u{2003}"] {
        assert!(matches!(router.route(blank), Err(Error::EmptyPrompt)));
        assert!(matches!(
            router.route_into(blank, &mut scratch),
            Err(Error::EmptyPrompt)
        ));
    }
    // The scratch is still good after a refusal, and for another router.
    let d = router
        .route_into("Plan a 3-day trip to Lisbon", &mut scratch)
        .unwrap();
    assert_eq!(
        d.to_owned(),
        router.route("Plan a 3-day trip to Lisbon").unwrap()
    );
}

#[test]
fn a_decision_ref_keeps_its_state_across_a_reload() {
    let router = Router::new().unwrap();
    let mut scratch = RouteScratch::default();
    let prompt = "Complete this function: def fizzbuzz(n):";
    let before = router.route_into(prompt, &mut scratch).unwrap();
    let fingerprint = before.catalog_fingerprint();
    let small = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalogs/small.toml");
    router.reload_catalog(&small).unwrap();
    // Decided by the bundled catalog, it still reads that catalog after the swap.
    assert_eq!(before.catalog_fingerprint(), fingerprint);
    assert!(Catalog::bundled().unwrap().model(before.model()).is_some());
    let after = router.route_into(prompt, &mut scratch).unwrap();
    assert_ne!(after.catalog_fingerprint(), fingerprint);
    assert!(["cheap", "strong"].contains(&after.model()));
}
