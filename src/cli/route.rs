//! `promptyard route`: classify one prompt and print the decision as one JSON object.
//!
//! An empty or whitespace-only prompt is refused before anything is loaded: the library's
//! `Error::EmptyPrompt` message on stderr and exit code 2, the same answer `Router::route`
//! gives (and `promptyard label` writes as an `empty_text` error record).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use promptyard::router::{is_blank, Router};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The prompt; `-` reads it from stdin.
    pub prompt: String,
    /// Catalog TOML to use instead of the bundled models/catalog.toml.
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// Model directory to use instead of the bundled classifier, or `hf:ORG/REPO[@REV]`
    /// (needs the `hub` feature).
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// Indent the JSON.
    #[arg(long)]
    pub pretty: bool,
    #[command(flatten)]
    pub encoder: super::encoder::EncoderFlags,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let prompt = if args.prompt == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading the prompt from stdin")?;
        s
    } else {
        args.prompt
    };
    if is_blank(&prompt) {
        return Err(promptyard::Error::EmptyPrompt.into());
    }
    let mut builder = Router::builder();
    if let Some(path) = args.catalog {
        builder = builder.catalog(path);
    }
    if let Some(dir) = args.model {
        builder = builder.model(super::resolve_model_arg(dir)?);
    }
    #[cfg(feature = "encoder")]
    if let Some(c) = args.encoder.cascade()? {
        builder = builder.cascade(c);
    }
    #[cfg(not(feature = "encoder"))]
    if args.encoder.encoder.is_some() {
        anyhow::bail!("--encoder: this binary was built without the `encoder` feature");
    }
    let decision = builder.build()?.route(&prompt)?;
    let json = if args.pretty {
        serde_json::to_string_pretty(&decision)?
    } else {
        serde_json::to_string(&decision)?
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{json}")?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
