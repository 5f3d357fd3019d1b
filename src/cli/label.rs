//! `promptyard label`: label and route every record of a prompt log.
//!
//! Exit status: 0 every record labelled; 1 some records became error records; 2 the run
//! could not complete (unreadable input, bad CSV header, bad model or catalog, a device
//! this build cannot use, a full disk, …) or was refused (the output is the input, another
//! run holds the output's lock, `--resume` with a checkpoint from another run); 141 the
//! output was standard output and it was closed early.
//!
//! Files: OUTPUT is written as OUTPUT.partial (locked while the run lasts) with
//! OUTPUT.checkpoint beside it, and renamed when complete. A run that exits 2 keeps both
//! only when the checkpoint records progress, so `--resume` can continue; otherwise it
//! removes them. A refused run touches neither. An OUTPUT that is a device, FIFO or
//! socket (`-o /dev/null`) is written in place, without either file, and cannot be resumed.
//!
//! Inputs compressed with gzip (`.jsonl.gz`, `.csv.gz`, or any file or standard input that
//! starts with the gzip magic bytes) are decompressed on the fly.
//!
//! Without `--device`, the plain-Rust classifier labels one prompt at a time on every core.
//! With `--device cpu|cuda`, candle runs the classifier a chunk at a time on that device
//! (`cuda` needs a build with the `cuda` feature) and the same policy routes the result.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use promptyard::router::Router;
use promptyard_batch::{
    self as batch, EngineLabeler, Format, Input, Labeler, Output, RouterLabeler, RunOptions,
    RunProgress, RunSummary,
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Prompt log to label: JSONL or CSV with a header; `-` reads standard input.
    #[arg(long, short)]
    input: PathBuf,
    /// Where to write the labelled JSONL; `-` writes standard output. A file is written as
    /// OUTPUT.partial and renamed when complete.
    #[arg(long, short)]
    output: PathBuf,
    /// The prompt: a JSON key or dotted path (`messages.0.content`; `\.` is a dot inside
    /// a key, `\\` a backslash; a repeated key counts at its last occurrence), or a CSV
    /// column name (used whole).
    #[arg(long, default_value = "text")]
    field: String,
    /// Input format; by default from the extension (.jsonl/.ndjson/.json, .csv, .parquet,
    /// also with .gz).
    #[arg(long, value_parser = ["jsonl", "csv", "parquet"])]
    format: Option<String>,
    /// Model catalog (TOML); default: the bundled one.
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// Classifier model directory, or `hf:ORG/REPO[@REV]` (`hub` feature); default: the
    /// bundled one.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Continue an interrupted run from OUTPUT.checkpoint (starts afresh if there is none).
    #[arg(long)]
    resume: bool,
    /// Worker threads for labelling; default: one per core.
    #[arg(long)]
    threads: Option<usize>,
    /// Run the classifier through candle on this device, a chunk of prompts per forward
    /// pass (`cuda` needs a build with `--features cuda`); default: the plain-Rust
    /// classifier, one prompt at a time on every core.
    #[arg(long, value_parser = ["cpu", "cuda"])]
    device: Option<String>,
    /// No progress bar and no summary.
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    encoder: super::encoder::EncoderFlags,
    /// Input KiB per chunk (memory and checkpoint granularity; tests use small ones).
    #[arg(long, default_value_t = 4096, hide = true)]
    chunk_kib: usize,
}

fn format_of(args: &Args) -> anyhow::Result<Format> {
    if let Some(f) = &args.format {
        return Ok(f.parse()?);
    }
    if args.input == Path::new("-") {
        anyhow::bail!(
            "cannot tell the format of standard input: pass --format jsonl or --format csv"
        );
    }
    Format::from_path(&args.input).with_context(|| {
        format!(
            "{}: unknown extension; pass --format jsonl, csv or parquet",
            args.input.display()
        )
    })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.resume && (args.input == Path::new("-") || args.output == Path::new("-")) {
        anyhow::bail!("--resume needs an input file and an output file, not `-`");
    }
    if args.device.as_deref() == Some("cuda") && !cfg!(feature = "cuda") {
        anyhow::bail!(
            "--device cuda: this build has no CUDA support; rebuild with `cargo build --release --features cuda`"
        );
    }
    if let (Some(n), Some(_)) = (args.threads, &args.device) {
        // Before anything touches rayon: with a device, `run` is called on this thread and
        // the parallel stages use the global pool.
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("building the thread pool")?;
    }
    let mut opts = RunOptions::new(format_of(&args)?);
    opts.field = args.field.parse().context("--field")?;
    opts.resume = args.resume;
    opts.chunk_bytes = args.chunk_kib.max(1) << 10;

    let mut builder = Router::builder();
    if let Some(c) = &args.catalog {
        builder = builder.catalog(c);
    }
    if let Some(m) = &args.model {
        builder = builder.model(super::resolve_model_arg(m)?);
    }
    let cascade = cascade_of(&args)?;
    if cascade.is_some() && args.device.is_some() {
        anyhow::bail!(
            "--encoder with --device: the cascade runs the fast tier in plain Rust; drop --device"
        );
    }
    let router = builder.build()?;
    let labeler: &dyn Labeler = &*match (&args.device, cascade) {
        (_, Some(c)) => {
            router.set_cascade(Some(c));
            Box::new(CascadeLabeler { router: &router }) as Box<dyn Labeler>
        }
        (None, None) => Box::new(RouterLabeler::new(&router)),
        (Some(device), None) => Box::new(
            EngineLabeler::new(&router, device).with_context(|| format!("--device {device}"))?,
        ) as Box<dyn Labeler>,
    };

    let input = Input::from_arg(&args.input);
    let output = Output::from_arg(&args.output);
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(progress_bar);
    let mut on_progress = |p: &RunProgress| {
        if let Some(bar) = &bar {
            if let Some(total) = p.total_bytes {
                bar.set_length(total);
            }
            bar.set_position(p.bytes);
            bar.set_message(format!("{} records", p.records));
        }
    };
    let work = move || batch::run(input, output, &opts, labeler, &mut on_progress);
    let summary = match (args.threads, &args.device) {
        (Some(n), None) if args.encoder.encoder.is_none() => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .context("building the thread pool")?
            .install(work),
        // With a device, the forward passes run on this thread, outside the pool.
        _ => work(),
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let summary = summary.map_err(|e| match e {
        batch::Error::CheckpointUnreadable { .. }
        | batch::Error::CheckpointVersion { .. }
        | batch::Error::CheckpointMismatch { .. }
        | batch::Error::PartialTooShort { .. } => {
            anyhow::anyhow!("{e}; run without --resume to start over")
        }
        batch::Error::ResumeNeedsFile { .. } => anyhow::anyhow!("--resume: {e}"),
        batch::Error::ParquetNotCompiled { .. } => {
            anyhow::anyhow!("{e}; rebuild with `cargo install --features parquet`")
        }
        e => e.into(),
    })?;
    if !args.quiet {
        eprint!("{}", render_summary(&summary));
    }
    Ok(if summary.counts.error_total() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[cfg(feature = "encoder")]
fn cascade_of(args: &Args) -> anyhow::Result<Option<promptyard::cascade::Cascade>> {
    args.encoder.cascade()
}

#[cfg(not(feature = "encoder"))]
fn cascade_of(args: &Args) -> anyhow::Result<Option<promptyard::cascade::Cascade>> {
    if args.encoder.encoder.is_some() {
        anyhow::bail!("--encoder: this binary was built without the `encoder` feature");
    }
    Ok(None)
}

/// Labels through a router with a cascade: a chunk's prompts go to
/// [`Router::route_batch`], so the unsure ones share encoder forward passes.
struct CascadeLabeler<'r> {
    router: &'r Router,
}

impl Labeler for CascadeLabeler<'_> {
    fn label<'a>(&'a self, text: &str) -> batch::Result<batch::Labelled<'a>> {
        Ok(labelled(self.router.route(text)?))
    }

    fn label_batch<'a>(
        &'a self,
        texts: &[&str],
    ) -> batch::Result<Vec<batch::Result<batch::Labelled<'a>>>> {
        Ok(self
            .router
            .route_batch(texts)
            .into_iter()
            .map(|d| Ok(labelled(d?)))
            .collect())
    }

    fn prefers_batches(&self) -> bool {
        true
    }

    fn identity(&self) -> Vec<(&'static str, String)> {
        let mut id = vec![
            (
                "catalog",
                format!("{:016x}", self.router.catalog().fingerprint()),
            ),
            (
                "classifier",
                self.router.classifier().fingerprint().to_owned(),
            ),
        ];
        if let Some(c) = self.router.cascade() {
            id.push(("cascade", cascade_identity(&c)));
        }
        id
    }
}

#[cfg(feature = "encoder")]
fn cascade_identity(c: &promptyard::cascade::Cascade) -> String {
    format!(
        "{} {} {}",
        c.encoder().fingerprint(),
        c.threshold(),
        c.mode().as_str()
    )
}

#[cfg(not(feature = "encoder"))]
fn cascade_identity(c: &promptyard::cascade::Cascade) -> String {
    match *c {}
}

fn labelled(d: promptyard::Decision) -> batch::Labelled<'static> {
    batch::Labelled {
        label: d.label,
        confidence: d.confidence,
        probs: d.probs,
        model: d.model.into(),
        est_cost_usd: d.est_cost_usd,
        input_tokens: d.input_tokens,
        output_tokens: d.output_tokens,
        tier: d.tier,
    }
}

fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg} ({bytes_per_sec}, ETA {eta})",
        )
        .expect("the template is valid"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// The end-of-run summary, one fact per line.
fn render_summary(s: &RunSummary) -> String {
    let c = &s.counts;
    let mut out = format!("read      {:>12}\nlabelled  {:>12}\n", c.read(), c.labelled);
    out += &format!("errors    {:>12}", c.error_total());
    if !c.errors.is_empty() {
        let by: Vec<String> = c.errors.iter().map(|(k, n)| format!("{k} {n}")).collect();
        out += &format!("  ({})", by.join(", "));
    }
    out += "\n";
    if s.resumed_from > 0 {
        out += &format!(
            "resumed   {:>12}  (records done by the interrupted run)\n",
            s.resumed_from
        );
    }
    out += &format!(
        "elapsed   {:>10.2} s  ({:.0} records/s)\n",
        s.elapsed.as_secs_f64(),
        s.rate()
    );
    out
}
