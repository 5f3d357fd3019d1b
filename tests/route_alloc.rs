//! `Router::route_into` allocates nothing once the caller's scratch has grown, and
//! `Router::route` allocates only for ids too long to keep inline: its own binary, since it
//! installs a counting global allocator.

use std::sync::atomic::Ordering;

use promptyard::features::FeaturizerConfig;
use promptyard::router::{RouteScratch, Router};
use promptyard::{Catalog, Classifier};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
#[path = "common/adequacy.rs"]
mod common_adequacy;

use common_adequacy::adequacy;
use counting_alloc::ALLOCS;

/// Every prompt of the realistic bench set (~20, ~200 and ~1,000 words), plus a 10 kB
/// prompt, a CJK prompt and a prompt of emoji.
fn prompts() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data/realistic.jsonl");
    let mut texts: Vec<String> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["text"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(texts.len() >= 700, "{} prompts", texts.len());
    let long = "Summarise this incident log and say why the deploy failed: ERROR step 3. ";
    texts.push(long.repeat(10_240 / long.len() + 1));
    texts.push("東京で三日間の旅行を計画して、毎日の予定と予算を教えてください。".into());
    texts.push("🚀🔥😀🎉🙏🏽👩‍💻🇯🇵✨".repeat(20));
    texts
}

/// The bundled router, and the bundled catalog with a per-prompt adequacy model (fixed
/// pseudo-random weights) that shares the classifier's bucket ids (`shared`) or featurizes
/// the prompt on its own, and the shared one blended with per-label quality
/// (`adequacy_weight`, as `calibrate` writes it): the paths of the fast tier.
fn routers() -> Vec<(&'static str, Router)> {
    let classifier = Classifier::bundled().unwrap();
    let catalog = Catalog::bundled().unwrap();
    let base = classifier.featurizer().config().clone();
    let with_adequacy = |seed: u64, weight: Option<f64>| {
        let cfg = FeaturizerConfig {
            buckets: 1 << 12,
            seed,
            ..base.clone()
        };
        let a = adequacy(cfg, &catalog);
        let mut with = catalog.clone().with_adequacy(a);
        if let Some(w) = weight {
            with = with.with_adequacy_weight(w).unwrap();
        }
        Router::builder()
            .with_catalog(with)
            .classifier(classifier.clone())
            .build()
            .unwrap()
    };
    vec![
        ("bundled", Router::new().unwrap()),
        ("adequacy, shared features", with_adequacy(base.seed, None)),
        ("adequacy, own features", with_adequacy(base.seed + 1, None)),
        ("adequacy, shared features, blended", with_adequacy(base.seed, Some(0.3))),
    ]
}

#[test]
fn route_into_with_a_warm_scratch_does_not_allocate() {
    let texts = prompts();
    for (name, router) in routers() {
        let mut scratch = RouteScratch::default();
        for t in &texts {
            // Warm-up grows the buffers (and registers this thread with arc-swap).
            router.route_into(t, &mut scratch).unwrap();
        }
        let before = ALLOCS.load(Ordering::Relaxed);
        let mut sum = 0.0;
        for t in &texts {
            let d = router.route_into(t, &mut scratch).unwrap();
            // Read what a caller reads, so nothing lazy hides an allocation.
            sum += d.est_cost_usd() + d.model().len() as f64 + d.fallbacks().count() as f64;
            std::hint::black_box(&d);
        }
        let allocs = ALLOCS.load(Ordering::Relaxed) - before;
        assert!(sum > 0.0);
        assert_eq!(
            allocs,
            0,
            "{name}: {allocs} allocations routing {} prompts",
            texts.len()
        );

        // The owned form: its ids are inline up to 24 bytes, its fallbacks in place up to
        // three and its reason unformatted, so the only allocations are those the decisions
        // themselves hold on the heap (a long Bedrock api_id).
        for t in &texts {
            router.route(t).unwrap();
        }
        let before = ALLOCS.load(Ordering::Relaxed);
        let decisions: Vec<_> = texts.iter().map(|t| router.route(t).unwrap()).collect();
        let allocs = ALLOCS.load(Ordering::Relaxed) - before;
        let on_heap: usize = decisions
            .iter()
            .map(|d| {
                let ids = [Some(&d.model), Some(&d.provider), d.api_id.as_ref()];
                ids.into_iter()
                    .flatten()
                    .chain(&d.fallbacks)
                    .filter(|id| id.is_heap_allocated())
                    .count()
                    + usize::from(d.fallbacks.spilled())
            })
            .sum();
        // One more: the Vec the decisions were collected into.
        assert_eq!(
            allocs,
            on_heap + 1,
            "{name}: route made {allocs} allocations for {} decisions, {on_heap} of them held",
            texts.len()
        );
        assert!(on_heap < texts.len(), "{name}: {on_heap} heap ids");
    }
}
