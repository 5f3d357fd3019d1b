//! `promptyard economics`: fit on one part of an outcome log, route the rest, and print the
//! *measured* quality and cost of each strategy per source, with a frontier chart.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use promptyard_catalog::calibrate::{label_prompts, AdequacyOptions, CalibrateOptions};
use promptyard_catalog::economics::{evaluate_source, summarize_splits, EconomicsOptions};
use promptyard_catalog::Date;

use super::calibrate::{AdequacyBudgetArg, AdequacyWeightArg, OutcomeArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: OutcomeArgs,
    /// Fraction of problems fitted on (split by problem with a stable hash).
    #[arg(long, default_value_t = 0.5)]
    fit_fraction: f64,
    /// Split seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Also evaluate on this many splits (seeds SEED, SEED+1, …) and add, per source, each
    /// policy's frontier across them (mean and range at fixed shares of the best model's cost):
    /// one split's headline moves by 10–20 points of saving from seed to seed. The tables,
    /// CSV and charts stay those of SEED.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=1000))]
    splits: u64,
    /// The headline quality_target.
    #[arg(long, default_value_t = 0.95)]
    quality_target: f64,
    /// Skip the per-prompt policy.
    #[arg(long)]
    no_per_prompt: bool,
    /// Per-prompt model: passes over the fit data.
    #[arg(long, default_value_t = AdequacyOptions::default().epochs)]
    adequacy_epochs: usize,
    /// Per-prompt model: SGD step size.
    #[arg(long, default_value_t = AdequacyOptions::default().learning_rate)]
    adequacy_lr: f32,
    /// Per-prompt model: L2 penalty per step.
    #[arg(long, default_value_t = AdequacyOptions::default().l2)]
    adequacy_l2: f32,
    /// Per-prompt model: hash buckets (a power of two).
    #[arg(long, default_value_t = AdequacyOptions::default().buckets)]
    adequacy_buckets: u32,
    #[command(flatten)]
    adequacy_budget: AdequacyBudgetArg,
    #[command(flatten)]
    adequacy_weight: AdequacyWeightArg,
    /// Write `economics.md`, `frontier.csv` and `frontier-<source>.svg` here.
    #[arg(long)]
    out_dir: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.fit_fraction > 0.0 && args.fit_fraction < 1.0,
        "--fit-fraction must be in (0, 1)"
    );
    let inputs = args.input.read()?;
    let labels = label_prompts(&inputs.outcomes, &inputs.classifier, args.input.labels.into());
    for (reason, n) in &labels.skipped {
        eprintln!("promptyard: skipped {n} prompt(s): {reason}");
    }
    let mut opts = EconomicsOptions {
        fit_fraction: args.fit_fraction,
        seed: args.seed,
        quality_target: args.quality_target,
        calibrate: CalibrateOptions {
            date: Date::today_utc().to_string(),
            origin: args.input.outcomes.display().to_string(),
            adequacy_weight: args.adequacy_weight.weight(),
            ..CalibrateOptions::default()
        },
        ..EconomicsOptions::default()
    };
    opts.adequacy = (!args.no_per_prompt).then(|| AdequacyOptions {
        epochs: args.adequacy_epochs,
        learning_rate: args.adequacy_lr,
        l2: args.adequacy_l2,
        buckets: args.adequacy_buckets,
        budget: args.adequacy_budget.budget(),
        ..AdequacyOptions::default()
    });
    let mut md = String::new();
    let mut csv = String::from("source,policy,quality_target,measured_quality,measured_cost_usd_per_prompt\n");
    let mut reports = Vec::new();
    for source in inputs.outcomes.sources() {
        let run = |seed: u64| {
            let opts = EconomicsOptions { seed, ..opts.clone() };
            evaluate_source(
                &inputs.outcomes,
                &labels,
                &source,
                inputs.base.as_ref(),
                &inputs.map,
                &inputs.classifier,
                &opts,
            )
        };
        match run(args.seed) {
            Ok(r) => {
                md.push_str(&r.to_markdown());
                md.push('\n');
                for p in &r.frontier {
                    let _ = writeln!(csv, "{},{},{},{:.6},{:.9}", r.source, p.policy, p.target, p.quality, p.cost_usd);
                }
                if args.splits > 1 {
                    let seeds: Vec<u64> = (0..args.splits).map(|k| args.seed.wrapping_add(k)).collect();
                    let mut runs = vec![r.clone()];
                    for &seed in &seeds[1..] {
                        runs.push(run(seed).with_context(|| format!("{source}, split seed {seed}"))?);
                    }
                    md.push_str(&summarize_splits(&source, &seeds, &runs).to_markdown());
                    md.push('\n');
                }
                reports.push(r);
            }
            Err(e) => {
                let _ = writeln!(md, "### {source}\n\nnot evaluated: {e}\n");
            }
        }
    }
    print!("{md}");
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        std::fs::write(dir.join("economics.md"), &md)?;
        std::fs::write(dir.join("frontier.csv"), &csv)?;
        for r in &reports {
            let path = dir.join(format!("frontier-{}.svg", r.source));
            let title = format!("{}: measured quality vs measured cost ({})", r.source, r.cost_basis);
            crate::chart::write_frontier(&title, &r.rows, &r.frontier, &path)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
