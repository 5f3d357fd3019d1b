//! Hot reload under load: threads route continuously while another thread swaps catalogs and
//! classifier weights (and tries invalid ones). No request may fail, and every decision must
//! come from one whole state: its catalog (identified by fingerprint; the two catalogs differ
//! in price) and its probabilities (from one of the two classifiers) must agree with the
//! policy's answer for that pair.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use promptyard::catalog::Catalog;
use promptyard::classifier::Classifier;
use promptyard::model::ModelFile;
use promptyard::policy::Policy;
use promptyard::router::Router;
use promptyard::Decision;

const PROMPTS: [&str; 6] = [
    "Complete this function: def fizzbuzz(n):",
    "Plan the rollout of SSO to our 40 internal apps over Q3",
    "A train leaves at 3pm at 60 km/h; another at 4pm at 80 km/h. When does it catch up?",
    "why does this code deadlock? mutex.lock(); other.lock();",
    // An `other` prompt: the fixture catalogs have no `other` settings (legacy routing).
    // (Blank prompts are refused with `Error::EmptyPrompt`; tests/all/empty_prompt.rs.)
    "hi, how are you today?",
    "Write a function that computes the schedule for five meetings",
];

#[test]
fn reloading_catalog_and_weights_under_load_never_fails_a_request_or_mixes_states() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalogs/small.toml");
    let text_a = std::fs::read_to_string(&fixture).unwrap();
    // Catalog B: every price doubled, so costs tell the two apart.
    let text_b = text_a
        .replace("input_usd_per_mtok = 0.10", "input_usd_per_mtok = 0.20")
        .replace("output_usd_per_mtok = 15", "output_usd_per_mtok = 30");
    let (path_a, path_b, path_bad) = (
        dir.path().join("a.toml"),
        dir.path().join("b.toml"),
        dir.path().join("bad.toml"),
    );
    std::fs::write(&path_a, &text_a).unwrap();
    std::fs::write(&path_b, &text_b).unwrap();
    std::fs::write(&path_bad, text_a.replace("0.80 }", "1.80 }")).unwrap();
    let catalogs: HashMap<u64, Policy> = [&path_a, &path_b]
        .iter()
        .map(|p| {
            let c = Catalog::load(p).unwrap();
            (c.fingerprint(), Policy::new(Arc::new(c)))
        })
        .collect();
    assert_eq!(catalogs.len(), 2);

    // Weights B: the bundled weights at a different temperature (different probabilities).
    let file_a = ModelFile::bundled().unwrap();
    let mut file_b = file_a.clone();
    file_b.config.temperature *= 0.25;
    let (model_a, model_b) = (dir.path().join("model-a"), dir.path().join("model-b"));
    file_a.save(&model_a).unwrap();
    file_b.save(&model_b).unwrap();
    let (clf_a, clf_b) = (
        Classifier::load(&model_a).unwrap(),
        Classifier::load(&model_b).unwrap(),
    );
    assert_ne!(
        clf_a.fingerprint(),
        clf_b.fingerprint(),
        "temperature is part of the fingerprint"
    );
    let probs: Vec<[_; 2]> = PROMPTS
        .iter()
        .map(|p| [clf_a.predict(p), clf_b.predict(p)])
        .collect();

    let router = Arc::new(
        Router::builder()
            .catalog(&path_a)
            .model(&model_a)
            .build()
            .unwrap(),
    );
    let stop = Arc::new(AtomicBool::new(false));
    // Decisions made so far: the reloader waits for routing to progress between rounds, so
    // every state is actually served whatever the relative speed of loads and routes.
    let routed = Arc::new(AtomicUsize::new(0));

    let workers: Vec<_> = (0..4)
        .map(|t| {
            let (router, stop, routed) =
                (Arc::clone(&router), Arc::clone(&stop), Arc::clone(&routed));
            std::thread::spawn(move || {
                let mut seen: Vec<(usize, Decision)> = Vec::new();
                let mut i = t;
                while !stop.load(Ordering::Relaxed) {
                    let k = i % PROMPTS.len();
                    if i % 7 == 0 {
                        let batch = router.route_batch(&PROMPTS);
                        let fp = batch[0].as_ref().map(|d| d.catalog_fingerprint).ok();
                        for (k, d) in batch.into_iter().enumerate() {
                            let d = d.expect("no request fails during reloads");
                            assert_eq!(Some(d.catalog_fingerprint), fp, "one state per batch");
                            seen.push((k, d));
                        }
                    } else {
                        seen.push((
                            k,
                            router
                                .route(PROMPTS[k])
                                .expect("no request fails during reloads"),
                        ));
                    }
                    i += 1;
                    routed.fetch_add(1, Ordering::Relaxed);
                }
                seen
            })
        })
        .collect();

    // Model reloads parse and prepare the whole weight file, so they are fewer than catalog
    // reloads; both alternate between A and B, with invalid reloads in between.
    let reloader = {
        let (router, routed) = (Arc::clone(&router), Arc::clone(&routed));
        std::thread::spawn(move || {
            for round in 0..6 {
                wait_for(&routed, round * 50);
                let to_b = round % 2 == 0;
                router
                    .reload_model(if to_b { &model_b } else { &model_a })
                    .unwrap();
                assert!(router.reload_model(dir.path().join("missing")).is_err());
                for swap in 0..20 {
                    let path = if swap % 2 == 0 { &path_b } else { &path_a };
                    router.reload_catalog(path).unwrap();
                    assert!(router.reload_catalog(&path_bad).is_err());
                    wait_for(&routed, routed.load(Ordering::Relaxed) + 2);
                }
            }
        })
    };
    reloader.join().unwrap();
    stop.store(true, Ordering::Relaxed);

    let mut per_catalog: HashMap<u64, usize> = HashMap::new();
    let mut per_weights = [0usize; 2];
    let mut total = 0;
    for w in workers {
        for (k, d) in w.join().unwrap() {
            total += 1;
            let policy = catalogs
                .get(&d.catalog_fingerprint)
                .expect("decision from one of the two catalogs");
            *per_catalog.entry(d.catalog_fingerprint).or_default() += 1;
            let which = probs[k]
                .iter()
                .position(|p| *p == d.probs)
                .expect("probabilities from one of the two classifiers");
            per_weights[which] += 1;
            let want = policy.decide(&d.probs, PROMPTS[k]).unwrap();
            assert_eq!(
                (&d.model, d.est_cost_usd, &d.fallbacks, &d.reason),
                (
                    &want.model,
                    want.est_cost_usd,
                    &want.fallbacks,
                    &want.reason
                ),
                "decision consistent with its own catalog and probabilities"
            );
        }
    }
    assert!(total > 100, "only {total} decisions");
    assert_eq!(
        per_catalog.len(),
        2,
        "both catalogs served requests: {per_catalog:?}"
    );
    let weights_differ = probs.iter().any(|[a, b]| a != b);
    if weights_differ {
        assert!(
            per_weights.iter().all(|&n| n > 0),
            "both weights served: {per_weights:?}"
        );
    }
}

/// Waits until `counter` reaches `at`, for 20 s at most (a failed worker stops counting; its
/// panic is reported when it is joined).
fn wait_for(counter: &AtomicUsize, at: usize) {
    let start = std::time::Instant::now();
    while counter.load(Ordering::Relaxed) < at && start.elapsed().as_secs() < 20 {
        std::thread::yield_now();
    }
}
