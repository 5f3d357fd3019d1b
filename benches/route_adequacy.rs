//! Routing with a per-prompt adequacy model vs the per-label path: `Router::route` on the
//! bundled catalog, and on the same catalog carrying an adequacy model over all its models
//! (4,096 buckets, the `calibrate` default; weights are fixed pseudo-random numbers, since
//! the cost does not depend on their values). The adequacy model has the classifier's
//! featurizer settings, so the router featurizes each prompt once and hands the classifier's
//! bucket ids to it (`Classifier::predict_then`). `per_prompt` reads what `promptyard
//! calibrate` writes by default (`AdequacyOptions::budget`: just what the classifier reads);
//! `per_prompt_wide` also reads the rest of a long prompt up to 2,048 + 512 bytes
//! (`--adequacy-budget 2048,512`, the default before session 20), featurizing only that rest
//! again.
//!
//! `cargo bench --bench route_adequacy` (figures in `benchmarks/ECONOMICS.md`)

mod common;

#[path = "common/adequacy.rs"]
mod adequacy;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use promptyard::{Classifier, Router};
use promptyard_catalog::calibrate::AdequacyOptions;

fn adequacy_router(budget: Option<(u32, u32)>) -> Router {
    let classifier = Classifier::bundled().unwrap();
    Router::builder()
        .with_catalog(adequacy::bundled_with_adequacy(&classifier, budget))
        .classifier(classifier)
        .build()
        .unwrap()
}

fn compare(c: &mut Criterion) {
    let plain = Router::new().unwrap();
    let per_prompt = adequacy_router(AdequacyOptions::default().budget);
    let wide = adequacy_router(Some((2048, 512)));
    let mut group = c.benchmark_group("route_adequacy");
    for (name, text) in common::inputs() {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("per_label/{name}"), |b| {
            b.iter(|| plain.route(black_box(&text)).unwrap())
        });
        group.bench_function(format!("per_prompt/{name}"), |b| {
            b.iter(|| per_prompt.route(black_box(&text)).unwrap())
        });
        group.bench_function(format!("per_prompt_wide/{name}"), |b| {
            b.iter(|| wide.route(black_box(&text)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, compare);
criterion_main!(benches);
