//! Load test of the embedded router under hot reload: N threads route prompts as fast as
//! they can while a reloader swaps the catalog (read from a file) and the classifier every
//! few milliseconds.
//!
//! `cargo run --release --example load -- [--threads N] [--seconds S] [--reload-ms MS]`
//! (defaults 4 threads, 60 s, 3 ms). Prints routes/s and RSS once a second, then p50, p99
//! and p99.9 latency of `Router::route`, and fails unless: no route errored, every checked
//! decision equals what a reference built from the same catalog and classifier decides (one
//! route in 8 is checked, outside the timed call), and RSS did not grow after warm-up (the
//! first quarter of the run) by more than 8 MiB.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context};
use promptyard::catalog::{Catalog, BUNDLED_TOML};
use promptyard::classifier::Classifier;
use promptyard::model::ModelFile;
use promptyard::policy::Policy;
use promptyard::router::Router;

/// Latency histogram: 64 linear sub-buckets per power of two (≤ 1.6 % error), no allocation.
struct Histogram {
    counts: Vec<u64>,
}

impl Histogram {
    const SUB: u32 = 64;

    fn new() -> Self {
        Histogram {
            counts: vec![0; 64 * Self::SUB as usize],
        }
    }

    fn index(ns: u64) -> usize {
        let ns = ns.max(1);
        let e = 63 - ns.leading_zeros();
        if e < 6 {
            return ns as usize;
        }
        let sub = (ns >> (e - 6)) as u32 - Self::SUB;
        ((e - 5) * Self::SUB + sub) as usize
    }

    /// The smallest value of bucket `i`.
    fn value(i: usize) -> u64 {
        let i = i as u32;
        if i < 2 * Self::SUB {
            return u64::from(i);
        }
        let e = i / Self::SUB + 5;
        (u64::from(i % Self::SUB) + u64::from(Self::SUB)) << (e - 6)
    }

    fn record(&mut self, ns: u64) {
        let i = Self::index(ns).min(self.counts.len() - 1);
        self.counts[i] += 1;
    }

    fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    fn quantile(&self, q: f64) -> u64 {
        let total: u64 = self.counts.iter().sum();
        let want = (total as f64 * q).ceil() as u64;
        let mut seen = 0;
        for (i, c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= want.max(1) {
                return Self::value(i);
            }
        }
        0
    }
}

/// Resident set size, MiB (Linux: `/proc/self/statm`).
fn rss_mib() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0.0);
    pages * 4096.0 / (1 << 20) as f64
}

fn prompts() -> Vec<String> {
    let mut out: Vec<String> = include_str!("../tests/fixtures/tiny.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_owned))
        .collect();
    let n = out.len();
    for i in 0..n {
        // Longer variants too, up to the truncation budget and past it.
        out.push(out[i].repeat(1 + i % 40));
    }
    out
}

struct Args {
    threads: usize,
    seconds: u64,
    reload_ms: u64,
}

fn args() -> anyhow::Result<Args> {
    let mut a = Args {
        threads: 4,
        seconds: 60,
        reload_ms: 3,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--threads" => a.threads = value.parse()?,
            "--seconds" => a.seconds = value.parse()?,
            "--reload-ms" => a.reload_ms = value.parse()?,
            _ => anyhow::bail!("unknown flag {flag}"),
        }
    }
    Ok(a)
}

fn main() -> anyhow::Result<()> {
    let args = args()?;
    let dir = tempfile_dir()?;
    // Two catalogs (files, reloaded from disk) and two classifiers (swapped in memory).
    let cat_a = dir.join("a.toml");
    let cat_b = dir.join("b.toml");
    std::fs::write(&cat_a, BUNDLED_TOML)?;
    std::fs::write(
        &cat_b,
        include_str!("../tests/fixtures/catalogs/small.toml"),
    )?;
    let file = ModelFile::bundled()?;
    let mut hot = file.clone();
    hot.config.temperature *= 0.5;
    let clf_a = Classifier::from_file(&file, "a")?;
    let clf_b = Classifier::from_file(&hot, "b")?;

    // The reference: for each (catalog, classifier) fingerprint pair, a separate policy and
    // classifier that never reload.
    let mut policies = HashMap::new();
    for p in [&cat_a, &cat_b] {
        let c = Catalog::load(p)?;
        policies.insert(c.fingerprint(), Policy::new(Arc::new(c)));
    }
    let classifiers: HashMap<String, Classifier> = [clf_a.clone(), clf_b.clone()]
        .into_iter()
        .map(|c| (c.fingerprint().to_owned(), c))
        .collect();
    let reference = Arc::new((policies, classifiers));

    let router = Arc::new(
        Router::builder()
            .catalog(&cat_a)
            .classifier(clf_a.clone())
            .build()?,
    );
    let prompts = Arc::new(prompts());
    let stop = Arc::new(AtomicBool::new(false));
    let routes = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let mismatches = Arc::new(AtomicU64::new(0));
    let reloads = Arc::new(AtomicU64::new(0));

    let workers: Vec<_> = (0..args.threads)
        .map(|t| {
            let (router, prompts, stop) = (router.clone(), prompts.clone(), stop.clone());
            let (routes, errors, mismatches) = (routes.clone(), errors.clone(), mismatches.clone());
            let reference = reference.clone();
            std::thread::spawn(move || {
                let mut hist = Histogram::new();
                let mut i = t * 7919;
                let mut local = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let prompt = &prompts[i % prompts.len()];
                    i += 1;
                    let t0 = Instant::now();
                    let d = router.route(prompt);
                    hist.record(t0.elapsed().as_nanos() as u64);
                    local += 1;
                    if local % 1024 == 0 {
                        routes.fetch_add(1024, Ordering::Relaxed);
                    }
                    let d = match d {
                        Ok(d) => d,
                        Err(e) => {
                            if errors.fetch_add(1, Ordering::Relaxed) < 5 {
                                eprintln!("route error: {e}");
                            }
                            continue;
                        }
                    };
                    if local % 8 != 0 {
                        continue;
                    }
                    let (policies, classifiers) = &*reference;
                    let fp = d.classifier_fingerprint.as_deref().unwrap_or("");
                    let same = match (policies.get(&d.catalog_fingerprint), classifiers.get(fp)) {
                        (Some(policy), Some(clf)) => {
                            let probs = clf.predict(prompt);
                            policy.decide(&probs, prompt).is_ok_and(|r| {
                                r.model == d.model
                                    && r.label == d.label
                                    && r.probs == d.probs
                                    && r.est_cost_usd == d.est_cost_usd
                                    && r.fallbacks == d.fallbacks
                            })
                        }
                        _ => false,
                    };
                    if !same && mismatches.fetch_add(1, Ordering::Relaxed) < 5 {
                        eprintln!("mismatch on {prompt:?}: {d:?}");
                    }
                }
                routes.fetch_add(local % 1024, Ordering::Relaxed);
                hist
            })
        })
        .collect();

    let reloader = {
        let (router, stop, reloads) = (router.clone(), stop.clone(), reloads.clone());
        std::thread::spawn(move || -> anyhow::Result<()> {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(args.reload_ms));
                if n % 2 == 0 {
                    router.reload_catalog(if n % 4 == 0 { &cat_b } else { &cat_a })?;
                } else {
                    router.set_classifier(if n % 4 == 1 {
                        clf_b.clone()
                    } else {
                        clf_a.clone()
                    });
                }
                n += 1;
                reloads.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        })
    };

    let started = Instant::now();
    let warm_up = args.seconds.div_ceil(4);
    let (mut last, mut rss_warm, mut rss_max) = (0u64, 0f64, 0f64);
    println!("  t (s)    routes/s   reloads    RSS (MiB)");
    for s in 1..=args.seconds {
        std::thread::sleep(
            (started + Duration::from_secs(s)).saturating_duration_since(Instant::now()),
        );
        let now = routes.load(Ordering::Relaxed);
        let rss = rss_mib();
        println!(
            "{s:>7} {:>11} {:>9} {rss:>12.1}",
            now - last,
            reloads.load(Ordering::Relaxed)
        );
        last = now;
        if s == warm_up {
            rss_warm = rss;
        }
        if s > warm_up {
            rss_max = rss_max.max(rss);
        }
    }
    stop.store(true, Ordering::Relaxed);
    let mut hist = Histogram::new();
    for w in workers {
        hist.merge(&w.join().expect("a routing thread panicked"));
    }
    reloader.join().expect("the reloader panicked")?;
    let elapsed = started.elapsed().as_secs_f64();
    let total = routes.load(Ordering::Relaxed);
    let us = |q| hist.quantile(q) as f64 / 1000.0;
    println!(
        "threads {}  routes {total}  {:.0} routes/s  reloads {}  p50 {:.2} µs  p99 {:.2} µs  p99.9 {:.2} µs",
        args.threads,
        total as f64 / elapsed,
        reloads.load(Ordering::Relaxed),
        us(0.5),
        us(0.99),
        us(0.999),
    );
    let (errors, mismatches) = (
        errors.load(Ordering::Relaxed),
        mismatches.load(Ordering::Relaxed),
    );
    println!(
        "errors {errors}  mismatches {mismatches} (of {} checked)  RSS after warm-up {rss_warm:.1} MiB, max {rss_max:.1} MiB",
        total / 8
    );
    ensure!(errors == 0, "{errors} routes failed");
    ensure!(
        mismatches == 0,
        "{mismatches} decisions differ from the reference"
    );
    ensure!(
        rss_max - rss_warm <= 8.0,
        "RSS grew from {rss_warm:.1} to {rss_max:.1} MiB after warm-up"
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// A fresh directory under the system temp dir for the two catalog files.
fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("promptyard-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
