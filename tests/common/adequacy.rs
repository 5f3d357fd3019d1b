//! A per-prompt adequacy model for tests: every model of a catalog, fixed pseudo-random
//! weights, so the per-prompt policy paths run without trained weights.

use promptyard::adequacy::Adequacy;
use promptyard::features::FeaturizerConfig;
use promptyard::Catalog;

/// An adequacy model over `catalog`'s models with fixed pseudo-random weights.
pub fn adequacy(cfg: FeaturizerConfig, catalog: &Catalog) -> Adequacy {
    let models: Vec<String> = catalog.models().iter().map(|m| m.id.clone()).collect();
    let mut x = 0x2545_f491_4f6c_dd1d_u64;
    let weight = (0..cfg.buckets as usize * models.len())
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ((x % 2001) as f32 / 1000.0 - 1.0) * 3.0
        })
        .collect();
    let bias = (0..models.len()).map(|i| i as f32 * 0.1 - 0.3).collect();
    Adequacy::new(cfg, models, weight, bias).unwrap()
}
