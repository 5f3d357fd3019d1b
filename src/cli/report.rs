//! `promptyard report`: routed cost of a labelled log vs sending everything to one model
//! (modelled quality), or, with `--outcomes`, measured quality and cost of the log's routing
//! and of every baseline and policy on the prompts the outcomes cover.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use promptyard::catalog::Catalog;
use promptyard_batch::report::Report;
use promptyard_catalog::economics::{evaluate_log, LogOptions};
use promptyard_catalog::outcomes::{ModelMap, Outcomes};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Labelled JSONL written by `promptyard label`.
    #[arg(long, short)]
    input: PathBuf,
    /// Catalog id of the model everything would otherwise go to (modelled report; with
    /// --outcomes the baselines are measured instead and this is not needed).
    #[arg(long, required_unless_present = "outcomes")]
    baseline: Option<String>,
    /// The catalog used for labelling (prices and quality); default: the bundled one.
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// Folder with prompts.jsonl[.gz] and outcomes.csv[.gz]: report measured quality and cost
    /// (joined on prompt_id) against the best single model, the cheapest, a random mix, the
    /// per-label and per-prompt policies and the oracle.
    #[arg(long)]
    outcomes: Option<PathBuf>,
    /// With --outcomes: the log field holding the outcomes' prompt_id.
    #[arg(long, default_value = "prompt_id", requires = "outcomes")]
    id_field: String,
    /// With --outcomes: TOML of `"NAME" = "catalog-id"` lines mapping outcome model names.
    #[arg(long, requires = "outcomes")]
    map: Option<PathBuf>,
    /// With --outcomes: the quality_target the policies are scored at (default: the
    /// catalog's policy as written).
    #[arg(long, requires = "outcomes")]
    quality_target: Option<f64>,
    /// Also draw a chart to this SVG file: cost by label, routed vs baseline; with
    /// --outcomes, the measured cost–quality frontier swept over quality_target.
    #[arg(long)]
    chart: Option<PathBuf>,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let catalog = match &args.catalog {
        Some(p) => Catalog::load(p)?,
        None => Catalog::bundled()?,
    };
    if let Some(dir) = &args.outcomes {
        return measured(&args, &catalog, dir);
    }
    let baseline = args.baseline.as_deref().unwrap_or_default();
    let report = Report::from_path(&args.input, &catalog, baseline)?;
    if let Some(chart) = &args.chart {
        crate::chart::write_chart(&report, chart)?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.to_table());
    }
    Ok(ExitCode::SUCCESS)
}

fn measured(args: &Args, catalog: &Catalog, dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    if let Some(t) = args.quality_target {
        anyhow::ensure!(t > 0.0 && t <= 1.0, "--quality-target must be in (0, 1], got {t}");
    }
    let outcomes = Outcomes::read_dir(dir)
        .with_context(|| format!("reading outcomes in {}", dir.display()))?;
    for line in outcomes.summary.lines() {
        eprintln!("promptyard: {line}");
    }
    let map = args.map.as_ref().map(ModelMap::load).transpose()?.unwrap_or_default();
    let opts = LogOptions {
        id_field: args.id_field.clone(),
        quality_target: args.quality_target,
        ..LogOptions::default()
    };
    let report = evaluate_log(&args.input, catalog, &outcomes, &map, &opts)?;
    eprintln!(
        "promptyard: {} of {} labelled record(s) matched the outcomes, {} did not; {} scored",
        report.matched, report.records, report.unmatched, report.evaluated
    );
    if let Some(chart) = &args.chart {
        let title = format!("{}: measured quality vs measured cost", args.input.display());
        crate::chart::write_frontier(&title, &report.rows, &report.frontier, chart)?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.to_table());
    }
    Ok(ExitCode::SUCCESS)
}
