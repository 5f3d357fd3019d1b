//! Routing: the whole single-prompt path (`Router::route`: featurize, classify, policy,
//! reason line), the same for ~1,200-byte prompts in ten languages (`route_scripts`), one
//! shared router called from every core at once (`route_threads`), and `route_batch` over
//! 1,024 prompts on the rayon pool.
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

/// One `Router` shared by 1 and by all available threads, each routing in a loop: the time per
/// route on each thread while the others route too. With nothing shared written per route,
/// all threads stay near the one-thread figure; a shared counter or lock shows up here.
fn threads(c: &mut Criterion) {
    let router = Router::new().unwrap();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut group = c.benchmark_group("route_threads");
    for (name, text) in common::inputs()
        .into_iter()
        .filter(|(n, _)| n.ends_with("_20w") || n.ends_with("_200w"))
    {
        for t in [1, cores] {
            group.bench_function(format!("{name}/{t}"), |b| {
                b.iter_custom(|iters| {
                    let start = std::time::Instant::now();
                    std::thread::scope(|s| {
                        for _ in 0..t {
                            s.spawn(|| {
                                for _ in 0..iters {
                                    black_box(router.route(black_box(&text)).unwrap());
                                }
                            });
                        }
                    });
                    start.elapsed()
                })
            });
            if cores == 1 {
                break;
            }
        }
    }
    group.finish();
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

criterion_group!(benches, single, scripts, threads, batch);
criterion_main!(benches);
