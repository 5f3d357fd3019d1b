//! Classification: classify alone (precomputed features), featurize + classify (the
//! single-prompt hot path), and batch throughput (candle forward; rayon over the hot path).
//!
//! `cargo bench --bench classify`

mod common;

use candle_core::Device;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use rayon::prelude::*;
use promptyard::classifier::{BatchEngine, Classifier, Scratch};
use promptyard::features::FeatureScratch;

fn single(c: &mut Criterion) {
    let clf = Classifier::bundled().unwrap();
    let mut classify = c.benchmark_group("classify");
    for (name, text) in common::inputs() {
        let mut ids = Vec::new();
        clf.featurizer()
            .featurize(&text, &mut FeatureScratch::default(), &mut ids);
        classify.throughput(Throughput::Elements(ids.len() as u64));
        classify.bench_function(name, |b| b.iter(|| clf.predict_features(black_box(&ids))));
    }
    classify.finish();
    let mut both = c.benchmark_group("featurize_classify");
    for (name, text) in common::inputs() {
        let mut scratch = Scratch::default();
        both.throughput(Throughput::Bytes(text.len() as u64));
        both.bench_function(name, |b| {
            b.iter(|| clf.predict_with(black_box(&text), &mut scratch))
        });
    }
    both.finish();
}

fn batch(c: &mut Criterion) {
    let clf = Classifier::bundled().unwrap();
    let inputs = common::inputs();
    let texts: Vec<&str> = inputs
        .iter()
        .map(|(_, t)| t.as_str())
        .cycle()
        .take(1024)
        .collect();
    let mut group = c.benchmark_group("batch_1024");
    group.sample_size(10);
    group.throughput(Throughput::Elements(texts.len() as u64));
    let engine = BatchEngine::new(&clf, &Device::Cpu).unwrap();
    group.bench_function("candle_cpu", |b| {
        b.iter(|| engine.predict(black_box(&texts)).unwrap())
    });
    group.bench_function("rayon_fast_path", |b| {
        b.iter(|| texts.par_iter().map(|t| clf.predict(t)).collect::<Vec<_>>())
    });
    group.finish();
}

criterion_group!(benches, single, batch);
criterion_main!(benches);
