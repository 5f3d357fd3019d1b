//! Routing: the whole single-prompt path (`Router::route`: featurize, classify, policy,
//! reason line), the same for ~1,200-byte prompts in ten languages (`route_scripts`), and
//! `route_batch` over 1,024 prompts on the rayon pool.
//!
//! `cargo bench --bench route`

mod common;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use promptyard::router::Router;

/// `Router::route` on each of `inputs`, as criterion group `name`.
fn route_each(c: &mut Criterion, name: &str, inputs: Vec<(String, String)>) {
    let router = Router::new().unwrap();
    let mut group = c.benchmark_group(name);
    for (name, text) in inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| b.iter(|| router.route(black_box(&text)).unwrap()));
    }
    group.finish();
}

fn single(c: &mut Criterion) {
    route_each(c, "route", common::inputs());
}

/// ~1,200-byte prompts in ten languages: the per-char paths for scripts outside ASCII.
fn scripts(c: &mut Criterion) {
    route_each(c, "route_scripts", common::scripts());
}

fn batch(c: &mut Criterion) {
    let router = Router::new().unwrap();
    let inputs = common::inputs();
    let texts: Vec<&str> = inputs
        .iter()
        .map(|(_, t)| t.as_str())
        .cycle()
        .take(1024)
        .collect();
    let mut group = c.benchmark_group("route_batch_1024");
    group.sample_size(10);
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function("rayon", |b| {
        b.iter(|| router.route_batch(black_box(&texts)))
    });
    group.finish();
}

criterion_group!(benches, single, scripts, batch);
criterion_main!(benches);
