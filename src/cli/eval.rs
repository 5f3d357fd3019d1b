//! `promptyard eval`: score a classifier on a labelled JSONL file, or run the
//! leave-one-source-out evaluation over a data directory (`--loso`). With `--encoder`, the
//! fast tier, the encoder tier and the cascade are scored side by side on the same file.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use promptyard::classifier::{device_from_name, Classifier};
use promptyard::Label;
use promptyard_train::data::split::Split;
use promptyard_train::data::{open_maybe_gz, read_jsonl_strict, read_split};
use promptyard_train::eval::{leave_one_source_out, predict_all, LosoRow, Metrics, SourceMetrics};

use super::train::{print_progress, TrainFlags};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Labelled JSONL[.gz] file to score; with --loso, the data directory.
    #[arg(long)]
    pub data: PathBuf,
    /// Model directory (default: the bundled model), or `hf:ORG/REPO[@REV]` (`hub` feature).
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// Also report accuracy grouped by this extra JSON field of the records (e.g. `lang`).
    #[arg(long, value_name = "FIELD")]
    pub group_by: Option<String>,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Leave-one-source-out: for each source, train without it and score it
    /// (with the training options below); with --encoder, the head and the cascade's
    /// threshold are also re-chosen without it and the three tiers scored side by side.
    #[arg(long)]
    pub loso: bool,
    /// With --encoder: also time each prompt through the fast tier and through the cascade,
    /// one at a time on this thread, and report p50/p99 in µs.
    #[arg(long, requires = "encoder")]
    pub latency: bool,
    /// With --encoder: score at most N records, evenly spaced (every k-th), to bound the
    /// encoder's time on a small CPU; the report says so.
    #[arg(long, value_name = "N", requires = "encoder")]
    pub sample: Option<usize>,
    /// With --loso and --encoder: train each fold's head with every prompt weighted by the
    /// inverse frequency of its label (what `train-encoder --balance-labels` does), so the
    /// shipped head's setting can be chosen on unseen sources.
    #[arg(long, requires = "loso", requires = "encoder")]
    pub balance_labels: bool,
    /// With --loso and --encoder: train each fold's head with this many hidden units (what
    /// `train-encoder --hidden N` does; 0 is a linear head).
    #[arg(long, value_name = "N", default_value_t = 0, requires = "loso", requires = "encoder")]
    pub head_hidden: usize,
    /// With --loso and --encoder: pool these encoder layers, e.g. `8,12` (what
    /// `train-encoder --layers` does; default: the last layer).
    #[arg(long, value_name = "L,L", value_delimiter = ',', requires = "loso", requires = "encoder")]
    pub head_layers: Vec<usize>,
    /// With --encoder: embedding cache directory (per encoder fingerprint and text).
    #[arg(
        long,
        value_name = "DIR",
        default_value = ".cache/embeddings",
        requires = "encoder"
    )]
    pub embedding_cache: PathBuf,
    #[command(flatten)]
    pub encoder: super::encoder::EncoderFlags,
    #[command(flatten)]
    pub train: TrainFlags,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.loso {
        if args.encoder.encoder.is_some() {
            return run_loso_cascade(&args);
        }
        return run_loso(&args);
    }
    let clf = match &args.model {
        Some(dir) => Classifier::load(&super::resolve_model_arg(dir)?)?,
        None => Classifier::bundled()?,
    };
    let records = read_jsonl_strict(&args.data)?;
    if args.encoder.encoder.is_some() {
        return run_tiers(&args, &clf, &records);
    }
    let probs = predict_all(&clf, &records);
    let gold: Vec<Label> = records.iter().map(|r| r.label).collect();
    let sources: Vec<&str> = records.iter().map(|r| r.source.as_str()).collect();
    let m = Metrics::compute(&gold, &probs, &sources);
    let grouped = match &args.group_by {
        Some(field) => {
            let groups = field_values(&args.data, field)?;
            let refs: Vec<&str> = groups.iter().map(String::as_str).collect();
            Some(Metrics::compute(&gold, &probs, &refs).per_source)
        }
        None => None,
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut v = serde_json::to_value(&m)?;
        v["model"] = clf.fingerprint().into();
        if let Some(g) = &grouped {
            v["per_group"] = serde_json::to_value(g)?;
        }
        writeln!(out, "{v}")?;
    } else {
        write_report(&mut out, &m, clf.fingerprint())?;
        // Grouping by `source` would print the per-source table a second time.
        if let (Some(g), Some(field)) =
            (&grouped, args.group_by.as_ref().filter(|f| *f != "source"))
        {
            write_groups(&mut out, field, g)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `field` of every record of a (strictly valid) data file, in order; `-` where absent.
fn field_values(path: &std::path::Path, field: &str) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for line in open_maybe_gz(path)?.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)?;
        out.push(match v.get(field) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => "-".to_string(),
            Some(other) => other.to_string(),
        });
    }
    Ok(out)
}

fn write_report(out: &mut impl Write, m: &Metrics, fingerprint: &str) -> std::io::Result<()> {
    writeln!(out, "model {fingerprint}: {} records", m.n)?;
    writeln!(out, "accuracy  {:.4}", m.accuracy)?;
    writeln!(out, "macro-F1  {:.4}", m.macro_f1)?;
    writeln!(
        out,
        "ECE       {:.4}   (NLL {:.4}, mean confidence {:.4})",
        m.ece, m.nll, m.confidence
    )?;
    writeln!(
        out,
        "\n{:<16} {:>9} {:>9} {:>9} {:>8} {:>9}",
        "label", "precision", "recall", "F1", "support", "ECE"
    )?;
    for l in &m.per_label {
        writeln!(
            out,
            "{:<16} {:>9.4} {:>9.4} {:>9.4} {:>8} {:>9.4}",
            l.label.as_str(),
            l.precision,
            l.recall,
            l.f1,
            l.support,
            l.ece
        )?;
    }
    writeln!(out, "\nconfusion (rows gold, columns predicted)")?;
    write!(out, "{:<16}", "")?;
    for l in Label::ALL {
        write!(out, " {:>15}", l.as_str())?;
    }
    writeln!(out)?;
    for g in Label::ALL {
        write!(out, "{:<16}", g.as_str())?;
        for p in Label::ALL {
            write!(out, " {:>15}", m.confusion[g.index()][p.index()])?;
        }
        writeln!(out)?;
    }
    write_groups(out, "source", &m.per_source)
}

/// The mean of `f` over `rows` (0 for none): a LOSO table's mean-over-sources row.
fn mean_over<T>(rows: &[T], f: impl Fn(&T) -> f64) -> f64 {
    rows.iter().map(f).sum::<f64>() / rows.len().max(1) as f64
}

/// Accuracy and mean confidence per source (or per `--group-by` value).
fn write_groups(
    out: &mut impl Write,
    heading: &str,
    groups: &std::collections::BTreeMap<String, SourceMetrics>,
) -> std::io::Result<()> {
    writeln!(
        out,
        "\n{:<36} {:>6} {:>9} {:>10}",
        heading, "n", "accuracy", "confidence"
    )?;
    for (k, sm) in groups {
        writeln!(
            out,
            "{k:<36} {:>6} {:>9.4} {:>10.4}",
            sm.n, sm.accuracy, sm.confidence
        )?;
    }
    Ok(())
}

/// What both LOSO runs start from: the three splits, the training options, and
/// the per-fold and training progress callbacks (silent with `--json`).
struct LosoSetup {
    train: Vec<promptyard_train::data::Record>,
    valid: Vec<promptyard_train::data::Record>,
    test: Vec<promptyard_train::data::Record>,
    /// Short prompts each fold's classifier is tempered on, as `train` does.
    short: Vec<promptyard_train::data::Record>,
    opts: promptyard_train::train::TrainOptions,
    quiet: bool,
}

impl LosoSetup {
    fn new(args: &Args) -> anyhow::Result<Self> {
        let read = |split| read_split(&args.data, split).map(|s| s.records);
        let (train, valid, test) = (read(Split::Train)?, read(Split::Valid)?, read(Split::Test)?);
        let short = promptyard_train::train::read_short_calibration(&args.data)?;
        let opts = args.train.options();
        opts.validate()?;
        Ok(LosoSetup {
            train,
            valid,
            test,
            short,
            opts,
            quiet: args.json,
        })
    }

    fn on_fold(&self) -> impl FnMut(usize, usize, &str) {
        let quiet = self.quiet;
        move |i, n, s| {
            if !quiet {
                eprintln!("[{}/{n}] holding out {s}", i + 1)
            }
        }
    }

    fn on_progress(&self) -> impl FnMut(&promptyard_train::train::Progress) {
        let quiet = self.quiet;
        move |p| {
            if !quiet {
                print_progress(p)
            }
        }
    }
}

fn run_loso(args: &Args) -> anyhow::Result<ExitCode> {
    let setup = LosoSetup::new(args)?;
    let device = device_from_name(&args.train.device)?;
    let rows = leave_one_source_out(
        &setup.train,
        &setup.valid,
        &setup.test,
        &setup.short,
        &setup.opts,
        &device,
        &mut setup.on_fold(),
        &mut setup.on_progress(),
    )?;
    let mean_of = |f: fn(&LosoRow) -> f64| mean_over(&rows, f);
    let mean = mean_of(|r| r.accuracy);
    let (confidence, ece, nll) = (mean_of(|r| r.confidence), mean_of(|r| r.ece), mean_of(|r| r.nll));
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::json!({
                "rows": rows,
                "mean_accuracy": mean,
                "mean_confidence": confidence,
                "mean_ece": ece,
                "mean_nll": nll,
            })
        )?;
    } else {
        // Confidence beside accuracy: on a source the model never saw, how sure it is
        // against how often it is right.
        writeln!(out, "| held-out source | label | n | accuracy | mean confidence | ECE | NLL |")?;
        writeln!(out, "|---|---|---:|---:|---:|---:|---:|")?;
        for r in &rows {
            let labels: Vec<&str> = r.labels.iter().map(|l| l.as_str()).collect();
            writeln!(
                out,
                "| {} | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} |",
                r.source,
                labels.join(", "),
                r.n,
                r.accuracy,
                r.confidence,
                r.ece,
                r.nll
            )?;
        }
        writeln!(
            out,
            "| **mean over sources** | | | **{mean:.3}** | {confidence:.3} | {ece:.3} | {nll:.3} |"
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "encoder"))]
fn run_loso_cascade(_: &Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("--encoder: this binary was built without the `encoder` feature")
}

/// `eval --loso --encoder`: the fast tier, the encoder tier and the cascade per held-out
/// source, each trained and tuned without it.
#[cfg(feature = "encoder")]
fn run_loso_cascade(args: &Args) -> anyhow::Result<ExitCode> {
    use promptyard::encoder::Encoder;
    use promptyard_train::encoder_head::{
        cascade_leave_one_source_out, mean_over_sources, EmbeddingCache, HeadOptions,
    };

    let setup = LosoSetup::new(args)?;
    let device = device_from_name(&args.train.device)?;
    let spec = args.encoder.encoder.as_ref().expect("--encoder is set");
    let dir = super::encoder::resolve_encoder_arg(spec)?;
    let encoder = Encoder::load(&dir, &device_from_name(&args.encoder.encoder_device)?)?
        .with_pooled_layers(&args.head_layers)?;
    let mut cache = EmbeddingCache::open(&args.embedding_cache, &encoder)?;
    let all: Vec<promptyard_train::data::Record> = setup
        .train
        .iter()
        .chain(&setup.valid)
        .chain(&setup.test)
        .cloned()
        .collect();
    let x = super::encoder::embed_records(&mut cache, &encoder, &all, "loso")?;
    let rows = cascade_leave_one_source_out(
        &setup.train,
        &setup.valid,
        &setup.test,
        &setup.short,
        &x,
        &HeadOptions {
            balance_labels: args.balance_labels,
            ..HeadOptions::for_hidden(args.head_hidden)
        },
        &setup.opts,
        &device,
        &mut setup.on_fold(),
        &mut setup.on_progress(),
    )?;
    let mean = |f: fn(&promptyard_train::encoder_head::CascadeLosoRow) -> f64| mean_over(&rows, f);
    let (fast, enc, casc) = (mean(|r| r.fast), mean(|r| r.encoder), mean(|r| r.cascade));
    let (fast_conf, casc_conf, casc_ece) = (
        mean(|r| r.fast_confidence),
        mean(|r| r.cascade_confidence),
        mean(|r| r.cascade_ece),
    );
    let candidates = mean_over_sources(&rows);
    let mut out = std::io::stdout().lock();
    if args.json {
        let v = serde_json::json!({
            "encoder": encoder.fingerprint(),
            "rows": rows,
            "mean_fast": fast,
            "mean_encoder": enc,
            "mean_cascade": casc,
            "mean_fast_confidence": fast_conf,
            "mean_cascade_confidence": casc_conf,
            "mean_cascade_ece": casc_ece,
            "candidates_mean_over_sources": candidates,
        });
        writeln!(out, "{v}")?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "| held-out source | label | n | fast | encoder | cascade | threshold, mode | to encoder \
         | fast confidence | cascade confidence | cascade ECE |"
    )?;
    writeln!(out, "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|")?;
    for r in &rows {
        let labels: Vec<&str> = r.labels.iter().map(|l| l.as_str()).collect();
        writeln!(
            out,
            "| {} | {} | {} | {:.3} | {:.3} | {:.3} | {:.2}, {} | {:.0}% | {:.3} | {:.3} | {:.3} |",
            r.source,
            labels.join(", "),
            r.n,
            r.fast,
            r.encoder,
            r.cascade,
            r.threshold,
            r.mode.as_str(),
            100.0 * r.encoder_share,
            r.fast_confidence,
            r.cascade_confidence,
            r.cascade_ece
        )?;
    }
    writeln!(
        out,
        "| **mean over sources** | | | **{fast:.3}** | **{enc:.3}** | **{casc:.3}** | | \
         | {fast_conf:.3} | {casc_conf:.3} | {casc_ece:.3} |"
    )?;
    writeln!(
        out,
        "\nevery threshold and mode, scored on each held-out source, mean over sources:\n"
    )?;
    writeln!(out, "| threshold | mode | cascade accuracy | to encoder |")?;
    writeln!(out, "|---:|---|---:|---:|")?;
    for c in &candidates {
        writeln!(
            out,
            "| {:.2} | {} | {:.3} | {:.0}% |",
            c.threshold,
            c.mode.as_str(),
            c.accuracy,
            100.0 * c.encoder_share
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "encoder"))]
fn run_tiers(
    _: &Args,
    _: &Classifier,
    _: &[promptyard_train::data::Record],
) -> anyhow::Result<ExitCode> {
    anyhow::bail!("--encoder: this binary was built without the `encoder` feature")
}

/// Fast tier, encoder tier and cascade side by side (`eval --encoder`).
#[cfg(feature = "encoder")]
fn run_tiers(
    args: &Args,
    clf: &Classifier,
    records: &[promptyard_train::data::Record],
) -> anyhow::Result<ExitCode> {
    use promptyard::cascade::{CascadeMode, Tier};
    use promptyard::label::Probs;
    use promptyard_train::encoder_head::cascade_probs;

    let cascade = args.encoder.cascade()?.expect("--encoder is set");
    let all_groups: Vec<String> = match &args.group_by {
        Some(field) => field_values(&args.data, field)?,
        None => vec!["all".to_string(); records.len()],
    };
    let keep: Vec<usize> = match args.sample {
        Some(m) if m > 0 && records.len() > m => (0..m).map(|i| i * records.len() / m).collect(),
        _ => (0..records.len()).collect(),
    };
    let sampled = keep.len() < records.len();
    let groups: Vec<String> = keep.iter().map(|&i| all_groups[i].clone()).collect();
    let records: Vec<promptyard_train::data::Record> =
        keep.iter().map(|&i| records[i].clone()).collect();
    let records = &records[..];
    let fast = predict_all(clf, records);
    let (enc, casc) = super::encoder::tiers(&cascade, &args.embedding_cache, records, &fast)?;
    let other_mode = match cascade.mode() {
        CascadeMode::Encoder => CascadeMode::Combine,
        CascadeMode::Combine => CascadeMode::Encoder,
    };
    let alt = cascade_probs(&fast, &enc, cascade.threshold(), other_mode);
    let casc_p: Vec<Probs> = casc.iter().map(|c| c.0).collect();
    let alt_p: Vec<Probs> = alt.iter().map(|c| c.0).collect();
    let share = casc.iter().filter(|c| c.1 != Tier::Fast).count() as f64 / casc.len().max(1) as f64;
    let gold: Vec<Label> = records.iter().map(|r| r.label).collect();
    let refs: Vec<&str> = groups.iter().map(String::as_str).collect();
    let chosen = format!("cascade:{}", cascade.mode().as_str());
    let alternative = format!("cascade:{}", other_mode.as_str());
    let tiers: [(&str, &[Probs]); 4] = [
        ("fast", &fast),
        ("encoder", &enc),
        (&chosen, &casc_p),
        (&alternative, &alt_p),
    ];
    let metrics: Vec<(&str, Metrics)> = tiers
        .iter()
        .map(|(name, p)| (*name, Metrics::compute(&gold, p, &refs)))
        .collect();
    let latency = if args.latency {
        Some(time_tiers(clf, &cascade, records)?)
    } else {
        None
    };

    let mut out = std::io::stdout().lock();
    if args.json {
        let mut v = serde_json::json!({
            "model": clf.fingerprint(),
            "encoder": cascade.encoder().fingerprint(),
            "n": records.len(),
            "sampled": sampled,
            "threshold": cascade.threshold(),
            "mode": cascade.mode().as_str(),
            "encoder_share": share,
        });
        for (name, m) in &metrics {
            v["tiers"][*name] = serde_json::to_value(m)?;
        }
        if let Some(l) = &latency {
            v["latency_us"] = serde_json::to_value(l)?;
        }
        writeln!(out, "{v}")?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "model {}, encoder {}: {} records{}; cascade threshold {:.2}, mode {} ({:.1}% to the encoder)",
        clf.fingerprint(),
        cascade.encoder().fingerprint(),
        records.len(),
        if sampled { " (every k-th, --sample)" } else { "" },
        cascade.threshold(),
        cascade.mode().as_str(),
        100.0 * share
    )?;
    writeln!(
        out,
        "\n{:<16} {:>9} {:>9} {:>9}   ({alternative}: the other mode at the same threshold)",
        "tier", "accuracy", "macro-F1", "ECE"
    )?;
    for (name, m) in &metrics {
        writeln!(
            out,
            "{name:<16} {:>9.4} {:>9.4} {:>9.4}",
            m.accuracy, m.macro_f1, m.ece
        )?;
    }
    if let Some(field) = &args.group_by {
        write!(out, "\n{field:<20} {:>6}", "n")?;
        for (name, _) in &metrics {
            write!(out, " {name:>15}")?;
        }
        writeln!(out)?;
        for (g, sm) in &metrics[0].1.per_source {
            write!(out, "{g:<20} {:>6}", sm.n)?;
            for (_, m) in &metrics {
                write!(out, " {:>15.4}", m.per_source[g].accuracy)?;
            }
            writeln!(out)?;
        }
    }
    if let Some(l) = &latency {
        writeln!(
            out,
            "\nlatency per prompt, one at a time on one thread (µs): fast p50 {:.1} p99 {:.1}; \
             cascade p50 {:.1} p99 {:.1}",
            l.fast_p50, l.fast_p99, l.cascade_p50, l.cascade_p99
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Per-prompt latency percentiles (µs) of `eval --latency`.
#[cfg(feature = "encoder")]
#[derive(serde::Serialize)]
struct Latency {
    fast_p50: f64,
    fast_p99: f64,
    cascade_p50: f64,
    cascade_p99: f64,
}

/// Times every prompt through the fast tier alone and through the cascade (fast tier, then
/// the encoder when unsure), sequentially; each prompt is classified once untimed first so
/// both timings see the same warm caches.
#[cfg(feature = "encoder")]
fn time_tiers(
    clf: &Classifier,
    cascade: &promptyard::cascade::Cascade,
    records: &[promptyard_train::data::Record],
) -> anyhow::Result<Latency> {
    use std::time::Instant;
    for r in records.iter().take(16) {
        cascade.resolve(clf.predict(&r.text), &r.text)?;
    }
    let mut fast = Vec::with_capacity(records.len());
    let mut casc = Vec::with_capacity(records.len());
    for r in records {
        std::hint::black_box(clf.predict(&r.text));
        let t = Instant::now();
        std::hint::black_box(clf.predict(&r.text));
        fast.push(t.elapsed().as_secs_f64() * 1e6);
        let t = Instant::now();
        std::hint::black_box(cascade.resolve(clf.predict(&r.text), &r.text)?);
        casc.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let pct = |v: &mut Vec<f64>, q: f64| {
        v.sort_by(f64::total_cmp);
        v[((v.len() as f64 - 1.0) * q).round() as usize]
    };
    Ok(Latency {
        fast_p50: pct(&mut fast, 0.5),
        fast_p99: pct(&mut fast, 0.99),
        cascade_p50: pct(&mut casc, 0.5),
        cascade_p99: pct(&mut casc, 0.99),
    })
}
