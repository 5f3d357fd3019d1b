//! `promptyard catalog …`: refresh a catalog's prices from price feeds, check it, list it.
//! The work is in `promptyard-catalog`; this file turns arguments into its calls.
//!
//! Exit codes: `prices` and `list` 0; `check` 0 clean, 1 warnings; any error 2.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use promptyard::catalog::{BUNDLED_PATH, BUNDLED_TOML};
use promptyard_catalog::check::{check, CheckOptions};
use promptyard_catalog::update::{apply, CatalogDoc, ChangeKind};
use promptyard_catalog::{list, Date, Feed};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Update prices and context windows from price feeds (genai-prices v2 or LiteLLM JSON),
    /// keeping the catalog's comments; prints each change and the unmatched models to stderr.
    Prices(PricesArgs),
    /// Validate the catalog and warn (exit 1) about stale prices, sources that disagree,
    /// price changes due within 30 days and models their vendor retires.
    Check(CheckArgs),
    /// Print the models as a table: prices, quality per label, age of the prices, sources.
    List(ListArgs),
}

#[derive(Debug, clap::Args)]
pub struct PricesArgs {
    /// A price feed, `FILE@YYYY-MM-DD` with the date its snapshot was taken (needed unless the
    /// feed dates each price). Repeat for several feeds: later ones override earlier ones, so
    /// give the newest last.
    #[arg(long = "from", value_name = "FILE[@DATE]", required = true)]
    pub from: Vec<String>,
    /// Catalog to update (default: the bundled models/catalog.toml).
    #[arg(long, value_name = "IN")]
    pub catalog: Option<PathBuf>,
    /// Where to write the updated catalog (may be the input file).
    #[arg(long, value_name = "OUT")]
    pub out: PathBuf,
    /// The date prices are resolved for, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Catalog to check (default: the bundled models/catalog.toml).
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// Prices checked longer ago than this are stale.
    #[arg(long, value_name = "DAYS", default_value_t = 90)]
    pub max_age: i64,
    /// Compare prices with these feeds (`FILE@YYYY-MM-DD`, as for `prices`).
    #[arg(long, value_name = "FEED", num_args = 1..)]
    pub against: Vec<String>,
    /// Relative difference between two sources that counts as a disagreement.
    #[arg(long, value_name = "FRACTION", default_value_t = 0.01)]
    pub tolerance: f64,
    /// The date to check as of, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Catalog to list (default: the bundled models/catalog.toml).
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// The date ages are counted to, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Prices(a) => prices(a),
        Command::Check(a) => run_check(a),
        Command::List(a) => run_list(a),
    }
}

fn today(arg: Option<&str>) -> anyhow::Result<Date> {
    match arg {
        Some(s) => s.parse().context("--today"),
        None => Ok(Date::today_utc()),
    }
}

/// `FILE` or `FILE@YYYY-MM-DD`.
fn load_feed(spec: &str) -> anyhow::Result<Feed> {
    let (path, date) = match spec.rsplit_once('@') {
        Some((path, date)) if date.parse::<Date>().is_ok() => (path, Some(date.parse()?)),
        _ => (spec, None),
    };
    Feed::load(path, date).with_context(|| {
        if date.is_none() {
            format!("reading price feed {path} (give its snapshot date as {path}@YYYY-MM-DD)")
        } else {
            format!("reading price feed {path}")
        }
    })
}

fn catalog_doc(path: Option<&Path>) -> anyhow::Result<CatalogDoc> {
    Ok(match path {
        Some(p) => CatalogDoc::load(p)?,
        None => CatalogDoc::parse(BUNDLED_TOML, BUNDLED_PATH)?,
    })
}

fn catalog(path: Option<&Path>) -> anyhow::Result<promptyard::Catalog> {
    Ok(match path {
        Some(p) => promptyard::Catalog::load(p)?,
        None => promptyard::Catalog::bundled()?,
    })
}

fn prices(args: PricesArgs) -> anyhow::Result<ExitCode> {
    let today = today(args.today.as_deref())?;
    let feeds = args
        .from
        .iter()
        .map(|s| load_feed(s))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut doc = catalog_doc(args.catalog.as_deref())?;
    let report = apply(&mut doc, &feeds, today)?;
    doc.save(&args.out)?;

    let mut err = std::io::stderr().lock();
    for c in &report.changes {
        writeln!(err, "changed {c}")?;
    }
    for u in &report.unmatched {
        writeln!(err, "unmatched {} in {}", u.model, u.feed)?;
    }
    let count = |k: ChangeKind| report.changes.iter().filter(|c| c.kind == k).count();
    writeln!(
        err,
        "{} price, {} context-window, {} schedule and {} provenance changes; {} (model, feed) \
         pairs unmatched; not priced by any feed: {}; wrote {}",
        count(ChangeKind::Price),
        count(ChangeKind::Context),
        count(ChangeKind::Schedule),
        count(ChangeKind::Provenance),
        report.unmatched.len(),
        match report.unpriced() {
            v if v.is_empty() => "none".to_string(),
            v => v.join(", "),
        },
        args.out.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn run_check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let today = today(args.today.as_deref())?;
    let catalog = catalog(args.catalog.as_deref())?;
    let feeds = args
        .against
        .iter()
        .map(|s| load_feed(s))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let opts = CheckOptions {
        max_age_days: args.max_age,
        tolerance: args.tolerance,
        ..CheckOptions::default()
    };
    let warnings = check(&catalog, &feeds, today, &opts);
    let mut out = std::io::stdout().lock();
    for w in &warnings {
        writeln!(out, "warning: {w}")?;
    }
    writeln!(
        out,
        "{}: {} models, {} warnings (as of {today})",
        catalog.path().display(),
        catalog.models().len(),
        warnings.len()
    )?;
    Ok(if warnings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_list(args: ListArgs) -> anyhow::Result<ExitCode> {
    let today = today(args.today.as_deref())?;
    let catalog = catalog(args.catalog.as_deref())?;
    let mut out = std::io::stdout().lock();
    out.write_all(list::table(&list::rows(&catalog, today)).as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
