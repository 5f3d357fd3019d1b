//! Loops `Classifier::predict_with` (or `predict_recording` as `record`, `Router::route`, `Router::route_into`) over one size of the realistic bench set, for
//! profilers: `cargo build --release --example hotloop && perf record target/release/examples/hotloop 200w predict`.
//! `HOTLOOP_MODEL=DIR` loads that model directory instead of the bundled one.
//! `HOTLOOP_ADEQUACY=shared` (or `rest`) routes with a per-prompt adequacy model over the
//! bundled catalog, as `benches/route_adequacy.rs` builds it (`shared` reads what the
//! classifier reads; `rest` also the rest of a long prompt up to 2,048 + 512 bytes).

#[path = "../benches/common/adequacy.rs"]
mod adequacy;

use promptyard::classifier::Classifier;
use promptyard::router::Router;
use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let size = args.get(1).map_or("200w", String::as_str);
    let what = args.get(2).map_or("predict", String::as_str);
    let secs: f64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data/realistic.jsonl");
    let texts: Vec<String> = std::fs::read_to_string(path)
        .expect("benches/data/realistic.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|r| r["size"] == size)
        .filter(|r| args.get(4).is_none_or(|k| r["kind"] == k.as_str()))
        .filter_map(|r| r["text"].as_str().map(str::to_string))
        .collect();
    // HOTLOOP_MODEL=DIR profiles another model directory (e.g. a candidate feature design).
    let classifier = match std::env::var("HOTLOOP_MODEL") {
        Ok(dir) if !dir.is_empty() => Classifier::load(dir).expect("model"),
        _ => Classifier::bundled().expect("model"),
    };
    let mut builder = Router::builder().classifier(classifier.clone());
    match std::env::var("HOTLOOP_ADEQUACY").as_deref() {
        Ok("shared") => builder = builder.with_catalog(adequacy::bundled_with_adequacy(&classifier, None)),
        Ok("rest") => builder = builder.with_catalog(adequacy::bundled_with_adequacy(&classifier, Some((2048, 512)))),
        _ => {}
    }
    let router = builder.build().expect("router");
    let mut fs = promptyard::features::FeatureScratch::default();
    let mut ids = Vec::new();
    let mut rs = promptyard::router::RouteScratch::default();
    let mut cs = promptyard::classifier::Scratch::default();
    let (mut nf, mut nb) = (0usize, 0usize);
    for t in &texts {
        classifier.featurizer().featurize(t, &mut fs, &mut ids);
        nf += ids.len();
        nb += t.len();
    }
    eprintln!(
        "{} prompts, mean {} bytes, {} features",
        texts.len(),
        nb / texts.len(),
        nf / texts.len()
    );
    let start = std::time::Instant::now();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < secs {
        for t in &texts {
            match what {
                "featurize" => {
                    classifier
                        .featurizer()
                        .featurize(black_box(t), &mut fs, &mut ids);
                    black_box(&ids);
                }
                "count" => {
                    let mut c = 0u32;
                    classifier
                        .featurizer()
                        .for_each_feature(black_box(t), &mut fs, |b| c ^= b);
                    black_box(c);
                }
                "record" => {
                    black_box(classifier.predict_recording(black_box(t), &mut cs, &mut ids));
                }
                "route" => {
                    black_box(router.route(black_box(t)).ok());
                }
                "route_into" => {
                    black_box(
                        router
                            .route_into(black_box(t), &mut rs)
                            .ok()
                            .map(|d| d.label()),
                    );
                }
                _ => {
                    black_box(classifier.predict_with(black_box(t), &mut cs));
                }
            }
        }
        n += texts.len() as u64;
    }
    let ns = start.elapsed().as_nanos() as f64 / n as f64;
    println!("{what} {size}: {n} calls, {ns:.0} ns per call (mean)");
}

