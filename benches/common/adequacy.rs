//! The bundled catalog carrying a per-prompt adequacy model over all its models, for the
//! benches and the `hotloop` example that time routing with one (`#[path]`-included by both).

use promptyard::adequacy::Adequacy;
use promptyard::features::FeaturizerConfig;
use promptyard::{Catalog, Classifier};

/// The bundled catalog with an adequacy model over all its models: 4,096 buckets (the
/// `calibrate` default) and the classifier's featurizer settings, so the router shares the
/// classifier's ids; fixed pseudo-random weights, since the cost does not depend on their
/// values. `budget` (head, tail bytes) also reads the rest of a long prompt, as `calibrate`'s
/// default does; `None` reads what the classifier reads.
pub fn bundled_with_adequacy(classifier: &Classifier, budget: Option<(u32, u32)>) -> Catalog {
    let catalog = Catalog::bundled().expect("bundled catalog");
    let models: Vec<String> = catalog.models().iter().map(|m| m.id.clone()).collect();
    let base = classifier.featurizer().config().clone();
    let (head, tail) = budget.unwrap_or((base.head_bytes, base.tail_bytes));
    let cfg = FeaturizerConfig {
        buckets: 1 << 12,
        ..base
    };
    let mut x = 0x9e37_79b9_u64;
    let weight = (0..(cfg.buckets as usize * models.len()))
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 1000) as f32 / 1000.0 - 0.5
        })
        .collect();
    let bias = vec![0.0; models.len()];
    let adequacy = Adequacy::new(cfg, models, weight, bias)
        .and_then(|a| a.with_rest_budget(head, tail))
        .expect("adequacy model");
    catalog.with_adequacy(adequacy)
}
