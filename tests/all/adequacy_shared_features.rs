//! The router featurizes a prompt once when the catalog's adequacy model reads the
//! classifier's bucket ids (same featurizer settings, fewer buckets): its decisions must be
//! the ones of the two-featurization path (`Router::decide`, which featurizes again).

use std::path::Path;

use crate::common_adequacy::adequacy;
use promptyard::features::FeaturizerConfig;
use promptyard::policy::Policy;
use promptyard::{Catalog, Classifier, Router};

fn prompts(n: usize) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/test.jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .take(n)
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

fn json(d: promptyard::Decision) -> serde_json::Value {
    let mut d = d;
    d.classifier_fingerprint = None;
    serde_json::to_value(d).unwrap()
}

fn router(classifier: &Classifier, catalog: Catalog) -> Router {
    Router::builder()
        .with_catalog(catalog)
        .classifier(classifier.clone())
        .build()
        .unwrap()
}

/// Whole decisions, prompt by prompt: the router's one featurization (`route`) against the
/// policy's own (`decide`, which featurizes again).
fn assert_route_is_decide(
    router: &Router,
    classifier: &Classifier,
    prompts: impl IntoIterator<Item = String>,
) {
    for p in prompts {
        let probs = classifier.predict(&p);
        assert_eq!(
            json(router.route(&p).unwrap()),
            json(router.decide(&probs, &p).unwrap()),
            "{p}"
        );
    }
}

#[test]
fn shared_features_give_the_decisions_of_featurizing_twice() {
    let classifier = Classifier::bundled().unwrap();
    let catalog = Catalog::bundled().unwrap();
    for buckets in [1 << 12, classifier.featurizer().config().buckets] {
        let cfg = FeaturizerConfig {
            buckets,
            ..classifier.featurizer().config().clone()
        };
        let a = adequacy(cfg, &catalog);
        assert!(a.reads_features_of(classifier.featurizer().config()));
        let catalog = catalog.clone().with_adequacy(a);
        let policy = Policy::new(std::sync::Arc::new(catalog.clone()));
        assert!(policy.reads_features_of(classifier.featurizer().config()));
        let router = router(&classifier, catalog);
        let (mut models, mut success, mut shared) = (Vec::new(), Vec::new(), Vec::new());
        for p in prompts(400) {
            // Success probabilities bit for bit: featurized again vs the classifier's ids.
            let probs = classifier.predict_then(&p, |probs, ids| {
                policy.success_probs_features(&probs, &p, ids, &mut shared);
                probs
            });
            assert_eq!(probs, classifier.predict(&p));
            policy.success_probs(&probs, &p, &mut success);
            assert_eq!(success, shared, "{p}");
            // Whole decisions: one featurization (route) vs two (decide).
            let one = router.route(&p).unwrap();
            let two = router.decide(&probs, &p).unwrap();
            models.push(one.model.clone());
            assert_eq!(json(one), json(two), "{p}");
        }
        models.sort();
        models.dedup();
        assert!(
            models.len() > 1,
            "the weights should spread picks: {models:?}"
        );
    }
}

#[test]
fn a_featurizer_that_differs_is_featurized_on_its_own() {
    let classifier = Classifier::bundled().unwrap();
    let catalog = Catalog::bundled().unwrap();
    let base = classifier.featurizer().config().clone();
    for cfg in [
        FeaturizerConfig {
            seed: base.seed + 1,
            buckets: 1 << 12,
            ..base.clone()
        },
        FeaturizerConfig {
            char_ngram_min: 3,
            buckets: 1 << 12,
            ..base.clone()
        },
        FeaturizerConfig {
            buckets: base.buckets * 2,
            ..base.clone()
        },
        // `promptyard calibrate`'s own reading budget (`AdequacyOptions::budget`).
        FeaturizerConfig {
            head_bytes: 2048,
            tail_bytes: 512,
            buckets: 1 << 12,
            ..base.clone()
        },
    ] {
        let a = adequacy(cfg, &catalog);
        assert!(!a.reads_features_of(&base));
        let router = router(&classifier, catalog.clone().with_adequacy(a));
        // The first 50 test prompts, and the long ones, where the two budgets read different text.
        let long = prompts(2000).into_iter().filter(|p| p.len() > 1024).take(20);
        assert_route_is_decide(&router, &classifier, prompts(50).into_iter().chain(long));
    }
}

#[test]
fn a_longer_budget_shares_features_only_on_prompts_both_read_whole() {
    let classifier = Classifier::bundled().unwrap();
    let base = classifier.featurizer().config().clone();
    let catalog = Catalog::bundled().unwrap();
    let longer = FeaturizerConfig {
        head_bytes: base.head_bytes * 4,
        tail_bytes: base.tail_bytes * 2,
        buckets: 1 << 12,
        ..base.clone()
    };
    let a = adequacy(longer.clone(), &catalog);
    let whole = (base.head_bytes + base.tail_bytes) as usize;
    assert_eq!(a.shares_features_up_to(&base), whole);
    // The same rules otherwise: any other difference shares nothing.
    let reseeded = FeaturizerConfig {
        seed: base.seed ^ 1,
        ..base.clone()
    };
    assert_eq!(a.shares_features_up_to(&reseeded), 0);
    let same = adequacy(
        FeaturizerConfig {
            buckets: 1 << 12,
            ..base.clone()
        },
        &catalog,
    );
    assert_eq!(same.shares_features_up_to(&base), usize::MAX);
    // Up to that length the two featurizers give the same ids (masked), past it they do not.
    let (mut s, mut x, mut y) = (Default::default(), Vec::new(), Vec::new());
    let (fc, fa) = (
        promptyard::features::Featurizer::new(base.clone()).unwrap(),
        promptyard::features::Featurizer::new(longer).unwrap(),
    );
    let (mut short, mut long) = (0, 0);
    for p in prompts(2000) {
        fc.featurize(&p, &mut s, &mut x);
        fa.featurize(&p, &mut s, &mut y);
        let masked: Vec<u32> = x.iter().map(|b| b & ((1 << 12) - 1)).collect();
        if p.len() <= whole {
            assert_eq!(masked, y, "{p}");
            short += 1;
        } else if masked != y {
            long += 1;
        }
    }
    assert!(short > 1000 && long > 50, "{short} short, {long} long that differ");
}

#[test]
fn a_rest_budget_reads_more_of_a_long_prompt_and_shares_the_classifier_ids() {
    let classifier = Classifier::bundled().unwrap();
    let base = classifier.featurizer().config().clone();
    let catalog = Catalog::bundled().unwrap();
    let cfg = FeaturizerConfig {
        buckets: 1 << 12,
        ..base.clone()
    };
    let plain = adequacy(cfg, &catalog);
    assert!(plain
        .clone()
        .with_rest_budget(base.head_bytes - 1, base.tail_bytes)
        .is_err());
    let wide = plain.clone().with_rest_budget(2048, 512).unwrap();
    assert_eq!(wide.rest_budget(), Some((2048, 512)));
    assert!(wide.reads_features_of(&base));
    // The file keeps it.
    let path = Path::new("<test>");
    let back = promptyard::adequacy::Adequacy::from_bytes(&wide.to_bytes(), path).unwrap();
    assert_eq!(back.rest_budget(), Some((2048, 512)));
    assert_eq!(back.to_bytes(), wide.to_bytes());
    let no_rest = promptyard::adequacy::Adequacy::from_bytes(&plain.to_bytes(), path).unwrap();
    assert_eq!(no_rest.rest_budget(), None);

    let n = wide.models().len();
    let (mut a, mut b, mut c) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let mut scratch = Default::default();
    let mut fs = promptyard::features::FeatureScratch::default();
    let mut ids = Vec::new();
    let whole = (base.head_bytes + base.tail_bytes) as usize;
    let (mut long, mut moved) = (0, 0);
    for p in prompts(2000) {
        classifier.featurizer().featurize(&p, &mut fs, &mut ids);
        wide.predict_with(&p, &mut scratch, &mut a);
        wide.predict_shared(&ids, &p, &mut scratch, &mut b);
        plain.predict_with(&p, &mut scratch, &mut c);
        assert_eq!(a, b, "shared ids, then the rest: the same sums ({p})");
        if p.len() <= whole {
            assert_eq!(a, c, "a prompt read whole has no rest ({p})");
        } else {
            long += 1;
            moved += usize::from(a != c);
        }
    }
    assert!(long > 50 && moved == long, "{moved} of {long} long prompts scored differently");

    let router = router(&classifier, catalog.clone().with_adequacy(wide));
    let long = prompts(2000).into_iter().filter(|p| p.len() > whole).take(60);
    assert_route_is_decide(&router, &classifier, long);
}

#[test]
fn adequacy_ids_out_of_range_are_masked_not_a_panic() {
    let catalog = Catalog::bundled().unwrap();
    let cfg = FeaturizerConfig {
        buckets: 16,
        ..FeaturizerConfig::default()
    };
    let a = adequacy(cfg, &catalog);
    let (mut x, mut y) = (vec![0.0; a.models().len()], vec![0.0; a.models().len()]);
    a.predict_features(&[3, 3 + 16, u32::MAX], &mut x);
    a.predict_features(&[3, 3, 15], &mut y);
    assert_eq!(x, y);
}
