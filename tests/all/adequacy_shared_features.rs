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
        let router = Router::builder()
            .with_catalog(catalog)
            .classifier(classifier.clone())
            .build()
            .unwrap();
        let (mut models, mut success, mut shared) = (Vec::new(), Vec::new(), Vec::new());
        for p in prompts(400) {
            // Success probabilities bit for bit: featurized again vs the classifier's ids.
            let probs = classifier.predict_then(&p, |probs, ids| {
                policy.success_probs_features(&probs, ids, &mut shared);
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
    ] {
        let a = adequacy(cfg, &catalog);
        assert!(!a.reads_features_of(&base));
        let router = Router::builder()
            .with_catalog(catalog.clone().with_adequacy(a))
            .classifier(classifier.clone())
            .build()
            .unwrap();
        for p in prompts(50) {
            let probs = classifier.predict(&p);
            assert_eq!(
                json(router.route(&p).unwrap()),
                json(router.decide(&probs, &p).unwrap())
            );
        }
    }
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
