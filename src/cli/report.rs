//! `promptyard report`: routed cost of a labelled log vs sending everything to one model.

use std::path::PathBuf;
use std::process::ExitCode;

use promptyard::catalog::Catalog;
use promptyard_batch::report::Report;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Labelled JSONL written by `promptyard label`.
    #[arg(long, short)]
    input: PathBuf,
    /// Catalog id of the model everything would otherwise go to.
    #[arg(long)]
    baseline: String,
    /// The catalog used for labelling (prices and quality); default: the bundled one.
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// Also draw cost by label, routed vs baseline, to this SVG file.
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
    let report = Report::from_path(&args.input, &catalog, &args.baseline)?;
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
