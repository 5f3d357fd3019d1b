//! Routing with a per-prompt adequacy model vs the per-label path: `Router::route` on the
//! bundled catalog, and on the same catalog carrying an adequacy model over all its models
//! (4,096 buckets, the `calibrate` default; weights are fixed pseudo-random numbers, since
//! the cost does not depend on their values). The adequacy model has the classifier's
//! featurizer settings, so the router featurizes each prompt once and hands the classifier's
//! bucket ids to it (`Classifier::predict_then`). `per_prompt` is what `promptyard calibrate`
//! writes: it also reads the rest of a long prompt up to 2,048 + 512 bytes
//! (`AdequacyOptions::budget`), featurizing only that rest again; `per_prompt_shared` reads
//! just what the classifier reads.
//!
//! `cargo bench --bench route_adequacy` (figures in `benchmarks/ECONOMICS.md`)

mod common;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use promptyard::adequacy::Adequacy;
use promptyard::features::FeaturizerConfig;
use promptyard::{Catalog, Classifier, Router};
use promptyard_catalog::calibrate::AdequacyOptions;

fn adequacy_router(budget: Option<(u32, u32)>) -> Router {
    let catalog = Catalog::bundled().unwrap();
    let classifier = Classifier::bundled().unwrap();
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
        .unwrap()
        .with_rest_budget(head, tail)
        .unwrap();
    Router::builder()
        .with_catalog(catalog.with_adequacy(adequacy))
        .classifier(classifier)
        .build()
        .unwrap()
}

fn compare(c: &mut Criterion) {
    let plain = Router::new().unwrap();
    let per_prompt = adequacy_router(AdequacyOptions::default().budget);
    let shared = adequacy_router(None);
    let mut group = c.benchmark_group("route_adequacy");
    for (name, text) in common::inputs() {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("per_label/{name}"), |b| {
            b.iter(|| plain.route(black_box(&text)).unwrap())
        });
        group.bench_function(format!("per_prompt/{name}"), |b| {
            b.iter(|| per_prompt.route(black_box(&text)).unwrap())
        });
        group.bench_function(format!("per_prompt_shared/{name}"), |b| {
            b.iter(|| shared.route(black_box(&text)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, compare);
criterion_main!(benches);
