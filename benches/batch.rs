//! Batch labelling end to end (read JSONL → extract → classify → route → write), with the
//! bundled router, for ~20-word and ~200-word prompts.
//!
//! `cargo bench --bench batch` runs the criterion benchmarks on 50,000-record files.
//! `cargo bench --bench batch -- --write-logs DIR [N]` instead writes the logs used for the
//! throughput figures in the README (`DIR/prompts20.jsonl`, `DIR/prompts200.jsonl`, N records
//! each, default 1,000,000), to be timed with the release binary:
//!
//! ```sh
//! /usr/bin/time -v target/release/promptyard label -i DIR/prompts20.jsonl -o /tmp/out.jsonl
//! ```

use std::io::Write;
use std::path::Path;

use criterion::{criterion_group, Criterion, Throughput};
use promptyard_batch::{self as batch, Format, Options, RouterLabeler, Sink, Source};
use promptyard::router::Router;

/// Words prompts are made of: a mix of planning, reasoning and code vocabulary.
const WORDS: &[&str] = &[
    "plan",
    "the",
    "rollout",
    "of",
    "a",
    "new",
    "feature",
    "across",
    "our",
    "teams",
    "by",
    "next",
    "quarter",
    "why",
    "does",
    "this",
    "loop",
    "never",
    "terminate",
    "when",
    "input",
    "is",
    "empty",
    "complete",
    "function",
    "def",
    "parse_date(s):",
    "return",
    "value",
    "schedule",
    "five",
    "meetings",
    "around",
    "my",
    "constraints",
    "if",
    "train",
    "leaves",
    "at",
    "3pm",
    "and",
    "travels",
    "60",
    "km/h",
    "how",
    "far",
    "will",
    "it",
    "be",
    "write",
    "rust",
    "struct",
    "that",
    "implements",
    "iterator",
    "for",
    "binary",
    "tree",
    "migration",
    "database",
    "postgres",
    "steps",
    "which",
    "option",
    "is",
    "cheaper",
    "over",
    "years",
    "given",
    "interest",
    "rate",
    "fill",
    "in",
    "missing",
    "code",
    "class",
    "python",
    "javascript",
    "async",
    "await",
    "error",
    "handling",
    "itinerary",
    "tokyo",
    "kyoto",
    "budget",
    "hotel",
    "deadlock",
    "mutex",
    "thread",
];

/// A deterministic log of `n` JSONL records with prompts of about `words` words.
fn write_log(path: &Path, n: usize, words: usize) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let mut text = String::new();
    for i in 0..n {
        text.clear();
        let len = words - words / 4 + next() % (words / 2 + 1);
        for w in 0..len {
            if w > 0 {
                text.push(' ');
            }
            text.push_str(WORDS[next() % WORDS.len()]);
        }
        writeln!(
            f,
            "{{\"id\":{i},\"user\":\"u{}\",\"text\":\"{text}\"}}",
            next() % 1000
        )?;
    }
    f.flush()
}

fn label_files(c: &mut Criterion) {
    let router = Router::new().expect("bundled router");
    let labeler = RouterLabeler::new(&router);
    let dir = tempfile::tempdir().unwrap();
    let n = 50_000;
    let mut group = c.benchmark_group("batch_label_jsonl");
    group.sample_size(10);
    for words in [20, 200] {
        let input = dir.path().join(format!("prompts{words}.jsonl"));
        write_log(&input, n, words).unwrap();
        let output = dir.path().join("out.jsonl");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("{words}_words"), |b| {
            b.iter(|| {
                let opts = Options::new(Format::Jsonl);
                let src = Source::Path(input.clone());
                let sink = Sink::Path(output.clone());
                batch::run(&src, &sink, &opts, &labeler, &mut |_| {}).unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, label_files);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--write-logs") {
        let dir = Path::new(args.get(i + 1).expect("--write-logs DIR [N]"));
        let n = args
            .get(i + 2)
            .map_or(1_000_000, |s| s.parse().expect("N is a number"));
        std::fs::create_dir_all(dir).unwrap();
        for words in [20, 200] {
            let path = dir.join(format!("prompts{words}.jsonl"));
            write_log(&path, n, words).unwrap();
            println!(
                "wrote {} ({n} records, ~{words} words each)",
                path.display()
            );
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
