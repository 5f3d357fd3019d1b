//! `promptyard eval`: score a classifier on a labelled JSONL file, or run the
//! leave-one-source-out evaluation over a data directory (`--loso`).

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use promptyard::classifier::{device_from_name, Classifier};
use promptyard::Label;
use promptyard_train::data::split::Split;
use promptyard_train::data::{open_maybe_gz, read_jsonl_strict, read_split};
use promptyard_train::eval::{leave_one_source_out, predict_all, Metrics};

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
    /// (with the training options below).
    #[arg(long)]
    pub loso: bool,
    #[command(flatten)]
    pub train: TrainFlags,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.loso {
        return run_loso(&args);
    }
    let clf = match &args.model {
        Some(dir) => Classifier::load(&super::resolve_model_arg(dir)?)?,
        None => Classifier::bundled()?,
    };
    let records = read_jsonl_strict(&args.data)?;
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
        if let (Some(g), Some(field)) = (&grouped, &args.group_by) {
            writeln!(out, "\n{:<36} {:>6} {:>9}", field, "n", "accuracy")?;
            for (k, sm) in g {
                writeln!(out, "{k:<36} {:>6} {:>9.4}", sm.n, sm.accuracy)?;
            }
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
    writeln!(out, "ECE       {:.4}   (NLL {:.4})", m.ece, m.nll)?;
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
    writeln!(out, "\n{:<36} {:>6} {:>9}", "source", "n", "accuracy")?;
    for (s, sm) in &m.per_source {
        writeln!(out, "{s:<36} {:>6} {:>9.4}", sm.n, sm.accuracy)?;
    }
    Ok(())
}

fn run_loso(args: &Args) -> anyhow::Result<ExitCode> {
    let read = |split| read_split(&args.data, split).map(|s| s.records);
    let (train_set, valid, test) = (read(Split::Train)?, read(Split::Valid)?, read(Split::Test)?);
    let opts = args.train.options();
    opts.validate()?;
    let device = device_from_name(&args.train.device)?;
    let quiet = args.json;
    let rows = leave_one_source_out(
        &train_set,
        &valid,
        &test,
        &opts,
        &device,
        &mut |i, n, s| {
            if !quiet {
                eprintln!("[{}/{n}] holding out {s}", i + 1)
            }
        },
        &mut |p| {
            if !quiet {
                print_progress(p)
            }
        },
    )?;
    let mean = rows.iter().map(|r| r.accuracy).sum::<f64>() / rows.len().max(1) as f64;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::json!({ "rows": rows, "mean_accuracy": mean })
        )?;
    } else {
        writeln!(out, "| held-out source | label | n | accuracy |")?;
        writeln!(out, "|---|---|---:|---:|")?;
        for r in &rows {
            let labels: Vec<&str> = r.labels.iter().map(|l| l.as_str()).collect();
            writeln!(
                out,
                "| {} | {} | {} | {:.3} |",
                r.source,
                labels.join(", "),
                r.n,
                r.accuracy
            )?;
        }
        writeln!(out, "| **mean over sources** | | | **{mean:.3}** |")?;
    }
    Ok(ExitCode::SUCCESS)
}
