//! Routing with a per-prompt adequacy model vs the per-label path: `Router::route` on the
//! bundled catalog, and on the same catalog carrying an adequacy model over all its models
//! (4,096 buckets, the `calibrate` default; weights are fixed pseudo-random numbers, since
//! the cost does not depend on their values). The adequacy model has the classifier's
//! featurizer settings, so the router featurizes each prompt once and hands the classifier's
//! bucket ids to it (`Classifier::predict_then`). `per_prompt` is what `promptyard calibrate`
//! writes by default: the model reads just what the classifier reads
//! (`AdequacyOptions::budget`) and a model's success blends its output with per-label quality
//! (`[policy] adequacy_weight`, `CalibrateOptions::adequacy_weight`), which takes every
//! model's sigmoid; `per_prompt_alone` is the model alone (weight 1), compared by logit.
//!
//! `cargo bench --bench route_adequacy` (figures in `benchmarks/ECONOMICS.md`)

mod common;

#[path = "common/adequacy.rs"]
mod adequacy;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use promptyard::{Classifier, Router};
use promptyard_catalog::calibrate::{AdequacyOptions, CalibrateOptions};

fn adequacy_router(budget: Option<(u32, u32)>, weight: Option<f64>) -> Router {
    let classifier = Classifier::bundled().unwrap();
    let mut catalog = adequacy::bundled_with_adequacy(&classifier, budget);
    if let Some(w) = weight {
        catalog = catalog.with_adequacy_weight(w).unwrap();
    }
    Router::builder()
        .with_catalog(catalog)
        .classifier(classifier)
        .build()
        .unwrap()
}

fn compare(c: &mut Criterion) {
    let plain = Router::new().unwrap();
    let per_prompt = adequacy_router(
        AdequacyOptions::default().budget,
        CalibrateOptions::default().adequacy_weight,
    );
    let alone = adequacy_router(AdequacyOptions::default().budget, None);
    let mut group = c.benchmark_group("route_adequacy");
    for (name, text) in common::inputs() {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("per_label/{name}"), |b| {
            b.iter(|| plain.route(black_box(&text)).unwrap())
        });
        group.bench_function(format!("per_prompt/{name}"), |b| {
            b.iter(|| per_prompt.route(black_box(&text)).unwrap())
        });
        group.bench_function(format!("per_prompt_alone/{name}"), |b| {
            b.iter(|| alone.route(black_box(&text)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, compare);
criterion_main!(benches);
