//! Argument parsing and dispatch. Each subcommand lives in its own file with an `Args`
//! struct and a `run` function; validation happens there, work happens in the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod calibrate;
mod catalog;
mod data;
mod economics;
mod encoder;
mod eval;
mod label;
mod report;
mod route;
mod train;

/// Embedded router for LLM prompts with learned task classification.
#[derive(Debug, Parser)]
#[command(name = "promptyard", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Classify one prompt and choose the cheapest adequate model (prints JSON).
    Route(route::Args),
    /// Build the labelled dataset in data/ from the raw public sources.
    Data(data::Args),
    /// Train a classifier from data/ (plus your own labelled files).
    Train(train::Args),
    /// Evaluate a classifier on a labelled JSONL file.
    Eval(eval::Args),
    /// Train the encoder tier's head for a sentence encoder (embeddings cached on disk).
    #[cfg(feature = "encoder")]
    TrainEncoder(encoder::TrainArgs),
    /// Label and route a prompt log (JSONL/CSV), one output record per input record.
    Label(label::Args),
    /// Cost report for a labelled log against a single baseline model.
    Report(report::Args),
    /// Maintain the model catalog: refresh prices from price feeds, check, list.
    Catalog(catalog::Args),
    /// Fit a catalog (quality per label, prices, per-prompt adequacy) from measured outcomes.
    Calibrate(calibrate::Args),
    /// Fit on part of an outcome log, route the rest: measured quality and cost per strategy.
    Economics(economics::Args),
}

/// `--model DIR|hf:ORG/REPO[@REV]` resolved to a model directory; a Hub error gets the
/// command line's advice (the library's messages name no flags).
pub(crate) fn resolve_model_arg(spec: impl AsRef<Path>) -> anyhow::Result<PathBuf> {
    promptyard::hub::resolve_model(spec).map_err(|e| match e {
        promptyard::Error::Hub { .. } => {
            let hint = if cfg!(feature = "hub") {
                "or pass a local --model DIR"
            } else {
                "this binary was built without --features hub; pass a local --model DIR"
            };
            anyhow::anyhow!("{e} ({hint})")
        }
        e => e.into(),
    })
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Route(a) => route::run(a),
        Command::Data(a) => data::run(a),
        Command::Train(a) => train::run(a),
        Command::Eval(a) => eval::run(a),
        #[cfg(feature = "encoder")]
        Command::TrainEncoder(a) => encoder::run_train(a),
        Command::Label(a) => label::run(a),
        Command::Report(a) => report::run(a),
        Command::Catalog(a) => catalog::run(a),
        Command::Calibrate(a) => calibrate::run(a),
        Command::Economics(a) => economics::run(a),
    }
}
