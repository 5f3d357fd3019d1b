//! Featurisation alone: text → hashed bucket ids (the first half of the hot path).
//!
//! `cargo bench --bench features`

mod common;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use promptyard::classifier::Classifier;
use promptyard::features::FeatureScratch;

fn featurize(c: &mut Criterion) {
    let clf = Classifier::bundled().unwrap();
    let f = clf.featurizer();
    let mut group = c.benchmark_group("featurize");
    for (name, text) in common::inputs() {
        group.throughput(Throughput::Bytes(text.len() as u64));
        let mut scratch = FeatureScratch::default();
        let mut ids = Vec::new();
        group.bench_function(name, |b| {
            b.iter(|| {
                f.featurize(black_box(&text), &mut scratch, &mut ids);
                black_box(ids.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, featurize);
criterion_main!(benches);
