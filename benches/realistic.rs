//! Routing latency on realistic prompts: `benches/data/realistic.jsonl` holds 240 prompts at
//! each of ~20, ~200 and ~1,000 words (code, prose, CJK, mixed; built from the bundled test
//! split and gateway dev sets by `benches/data/make_realistic.py`).
//!
//! `cargo bench --bench realistic` runs criterion over each size (time per pass over the 240
//! prompts; per prompt = time / 240), then prints the per-call median and p99 of
//! `Router::route`, `Router::route_into` (reused `RouteScratch`, borrowed `DecisionRef`: no
//! allocation) and `Classifier::predict` for each size, timing every call on its own.
//! Pin it to one core for stable figures: `taskset -c 1 cargo bench --bench realistic`.

use std::time::Instant;

use criterion::{black_box, criterion_group, Criterion, Throughput};
use promptyard::classifier::Classifier;
use promptyard::router::{RouteScratch, Router};

const SIZES: [&str; 3] = ["20w", "200w", "1000w"];

/// The prompts of one size, in file order.
fn prompts(size: &str) -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data/realistic.jsonl");
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["size"] == size)
        .map(|r| r["text"].as_str().unwrap().to_string())
        .collect()
}

fn passes(c: &mut Criterion) {
    let router = Router::new().unwrap();
    let classifier = Classifier::bundled().unwrap();
    for size in SIZES {
        let texts = prompts(size);
        let mut group = c.benchmark_group(format!("realistic_{size}"));
        group.throughput(Throughput::Elements(texts.len() as u64));
        group.bench_function("route", |b| {
            b.iter(|| {
                for t in &texts {
                    black_box(router.route(black_box(t)).unwrap());
                }
            })
        });
        let mut scratch = RouteScratch::default();
        group.bench_function("route_into", |b| {
            b.iter(|| {
                for t in &texts {
                    black_box(router.route_into(black_box(t), &mut scratch).unwrap());
                }
            })
        });
        group.bench_function("predict", |b| {
            b.iter(|| {
                for t in &texts {
                    black_box(classifier.predict(black_box(t)));
                }
            })
        });
        group.finish();
    }
}

/// Median and p99 of single calls, `rounds` calls per prompt, after a warm-up round.
fn per_call(texts: &[String], rounds: usize, mut f: impl FnMut(&str)) -> (f64, f64) {
    for t in texts {
        f(t);
    }
    let mut ns = Vec::with_capacity(texts.len() * rounds);
    for _ in 0..rounds {
        for t in texts {
            let start = Instant::now();
            f(t);
            ns.push(start.elapsed().as_nanos() as f64);
        }
    }
    ns.sort_by(f64::total_cmp);
    let q = |p: f64| ns[((ns.len() - 1) as f64 * p).round() as usize];
    (q(0.5), q(0.99))
}

/// Jitter, apart from the spread between prompts: each prompt's own p99 / p50 over `rounds`
/// calls, and the median and largest of that ratio over the prompts.
fn jitter(texts: &[String], rounds: usize, mut f: impl FnMut(&str)) -> (f64, f64) {
    let mut ratios: Vec<f64> = texts
        .iter()
        .map(|t| {
            f(t);
            let mut ns: Vec<f64> = (0..rounds)
                .map(|_| {
                    let start = Instant::now();
                    f(t);
                    start.elapsed().as_nanos() as f64
                })
                .collect();
            ns.sort_by(f64::total_cmp);
            let q = |p: f64| ns[((ns.len() - 1) as f64 * p).round() as usize];
            q(0.99) / q(0.5)
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    (ratios[ratios.len() / 2], ratios[ratios.len() - 1])
}

fn report() {
    let router = Router::new().unwrap();
    let classifier = Classifier::bundled().unwrap();
    eprintln!("\nper call, measured (ns; 200 calls per prompt, 240 prompts per size)");
    eprintln!(
        "size     route p50  route p99  route_into p50  route_into p99  predict p50  predict p99"
    );
    let mut scratch = RouteScratch::default();
    for size in SIZES {
        let texts = prompts(size);
        let (r50, r99) = per_call(&texts, 200, |t| {
            black_box(router.route(black_box(t)).unwrap());
        });
        let (i50, i99) = per_call(&texts, 200, |t| {
            black_box(router.route_into(black_box(t), &mut scratch).unwrap());
        });
        let (p50, p99) = per_call(&texts, 200, |t| {
            black_box(classifier.predict(black_box(t)));
        });
        eprintln!(
            "{size:<8} {r50:>9.0}  {r99:>9.0}  {i50:>14.0}  {i99:>14.0}  {p50:>11.0}  {p99:>11.0}"
        );
    }
    eprintln!("\nroute jitter, measured: each prompt's p99 / p50 over 200 calls (median, worst prompt)");
    for size in SIZES {
        let texts = prompts(size);
        let (med, worst) = jitter(&texts, 200, |t| {
            black_box(router.route(black_box(t)).unwrap());
        });
        eprintln!("{size:<8} {med:>5.2}x  {worst:>6.2}x");
    }
}

criterion_group!(benches, passes);

fn main() {
    // `REALISTIC_REPORT_ONLY=1`: only the per-call table (benches/compare/realistic.py reads it).
    if std::env::var_os("REALISTIC_REPORT_ONLY").is_none() {
        benches();
        Criterion::default().configure_from_args().final_summary();
    }
    report();
}
