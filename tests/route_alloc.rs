//! `Router::route_into` allocates nothing once the caller's scratch has grown: its own
//! binary, since it installs a counting global allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use promptyard::adequacy::Adequacy;
use promptyard::features::FeaturizerConfig;
use promptyard::router::{RouteScratch, Router};
use promptyard::{Catalog, Classifier};

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        System.realloc(p, l, n)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

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
/// the prompt on its own: the three paths of the fast tier.
fn routers() -> Vec<(&'static str, Router)> {
    let classifier = Classifier::bundled().unwrap();
    let catalog = Catalog::bundled().unwrap();
    let base = classifier.featurizer().config().clone();
    let with_adequacy = |seed: u64| {
        let cfg = FeaturizerConfig {
            buckets: 1 << 12,
            seed,
            ..base.clone()
        };
        let models: Vec<String> = catalog.models().iter().map(|m| m.id.clone()).collect();
        let mut x = 0x9e37_79b9_u64;
        let weight = (0..cfg.buckets as usize * models.len())
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x % 1000) as f32 / 500.0 - 1.0
            })
            .collect();
        let bias = vec![0.0; models.len()];
        let a = Adequacy::new(cfg, models, weight, bias).unwrap();
        Router::builder()
            .with_catalog(catalog.clone().with_adequacy(a))
            .classifier(classifier.clone())
            .build()
            .unwrap()
    };
    vec![
        ("bundled", Router::new().unwrap()),
        ("adequacy, shared features", with_adequacy(base.seed)),
        ("adequacy, own features", with_adequacy(base.seed + 1)),
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
    }
}
