//! Single-prompt latency of the bundled classifier and router, per prompt, on the caller's
//! thread: the Python-free path the fastText comparison (`benches/compare/run.sh`) reports.
//!
//! Usage: `cargo run --release --example latency -- PROMPTS.jsonl [REPEATS]`
//! where each line is `{"name": "...", "text": "..."}`. Prints one JSON object per prompt
//! with median and p99 nanoseconds for `Classifier::predict` and `Router::route`.

use std::io::BufRead;
use std::time::Instant;

use promptyard::classifier::Classifier;
use promptyard::router::Router;

fn percentiles(mut ns: Vec<u64>) -> (u64, u64) {
    ns.sort_unstable();
    let p = |q: f64| ns[((ns.len() - 1) as f64 * q).round() as usize];
    (p(0.5), p(0.99))
}

fn time_calls(repeats: usize, mut f: impl FnMut()) -> (u64, u64) {
    for _ in 0..repeats / 10 + 1 {
        f();
    }
    let samples = (0..repeats)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_nanos() as u64
        })
        .collect();
    percentiles(samples)
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: latency PROMPTS.jsonl [REPEATS]"))?;
    let repeats: usize = args
        .next()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(20_000);
    let classifier = Classifier::bundled()?;
    let router = Router::new()?;
    let file = std::io::BufReader::new(std::fs::File::open(&path)?);
    for line in file.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)?;
        let name = v["name"].as_str().unwrap_or("?").to_string();
        let text = v["text"].as_str().unwrap_or_default().to_string();
        let (c50, c99) = time_calls(repeats, || {
            std::hint::black_box(classifier.predict(std::hint::black_box(&text)));
        });
        let (r50, r99) = time_calls(repeats, || {
            let _ = std::hint::black_box(router.route(std::hint::black_box(&text)));
        });
        println!(
            "{}",
            serde_json::json!({
                "name": name,
                "words": text.split_whitespace().count(),
                "classify_p50_ns": c50, "classify_p99_ns": c99,
                "route_p50_ns": r50, "route_p99_ns": r99,
            })
        );
    }
    Ok(())
}
