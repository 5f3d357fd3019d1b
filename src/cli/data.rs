//! `promptyard data`: build the bundled dataset, or check labelled files.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;

use promptyard_train::data::{self, BuildOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Build train/valid/test JSONL, README.md and licenses/ from the raw public sources.
    Build(BuildArgs),
    /// Validate labelled JSONL files (the format of data/ and of `train --extra`): list every
    /// problem, exit 1 unless the files are clean.
    Check(CheckArgs),
    /// Mine code-completion prompts (doc comment + signature) from a licensed source tree
    /// into data/raw-extra/SOURCE.jsonl.
    MineStubs(MineStubsArgs),
}

#[derive(Debug, clap::Args)]
struct MineStubsArgs {
    /// Root of the source tree (e.g. Python's lib/python3.11, Rust's rustlib/src/rust/library).
    #[arg(long, value_name = "DIR")]
    dir: PathBuf,
    /// Language of the tree: python, rust, go or js.
    #[arg(long)]
    lang: data::stubs::StubLang,
    /// SPDX licence of the tree, written on every record (e.g. PSF-2.0).
    #[arg(long)]
    license: String,
    /// Source name of the records (e.g. stubs_python_stdlib).
    #[arg(long)]
    source: String,
    /// Most prompts to keep (a deterministic sample).
    #[arg(long, default_value_t = 2500)]
    limit: usize,
    /// Output file [default: data/raw-extra/SOURCE.jsonl].
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct BuildArgs {
    /// Folder of permissive raw sources (one subfolder per source).
    #[arg(long, value_name = "DIR")]
    raw: PathBuf,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "data")]
    out: PathBuf,
    /// Folder of mined `*.jsonl` prompts [default: OUT/raw-extra, which must exist].
    #[arg(long, value_name = "DIR", conflicts_with = "no_raw_extra")]
    raw_extra: Option<PathBuf>,
    /// Build without the mined prompts of raw-extra.
    #[arg(long)]
    no_raw_extra: bool,
    /// Folder of the `other` data written for this project (handwritten_train.jsonl,
    /// from_sources.jsonl; its gateway_dev_*.jsonl files are guarded) [default: OUT/other,
    /// which must exist].
    #[arg(long, value_name = "DIR", conflicts_with = "no_other")]
    other: Option<PathBuf>,
    /// Build without the `other` folder's prompts (and without guarding its dev files).
    #[arg(long)]
    no_other: bool,
    /// Folder of the hand-written confusion slices (train.jsonl and kinds_train.jsonl are
    /// read, the *dev.jsonl files guarded) [default: OUT/confusions, which must exist].
    #[arg(long, value_name = "DIR", conflicts_with = "no_confusions")]
    confusions: Option<PathBuf>,
    /// Build without the confusion slices (and without guarding their dev files).
    #[arg(long)]
    no_confusions: bool,
    /// Also read the NON-COMMERCIAL / unlicensed sources in RAW/../raw-nc. The result must
    /// not be used in a commercially distributed model; its sources end in `-nc`.
    #[arg(long)]
    include_nc: bool,
    /// Labelled files whose texts must stay out of the dataset [default: OUT/gateway_dev.jsonl,
    /// OUT/lockbox_dev.jsonl, the gateway_dev_*.jsonl files of the `other` folder and the
    /// confusions dev files; each must exist].
    #[arg(long, value_name = "FILE", conflicts_with = "no_guard")]
    guard: Vec<PathBuf>,
    /// Guard no evaluation file (the build may then contain dev-set texts).
    #[arg(long)]
    no_guard: bool,
    /// Leave out the template-generated `synth_*` prompts.
    #[arg(long)]
    no_synth: bool,
    /// Write `.jsonl.gz` instead of `.jsonl`.
    #[arg(long)]
    gzip: bool,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Labelled JSONL files (plain or .gz); ids and texts must be unique across all of them.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Most problems to list (the rest are counted); 0 lists them all.
    #[arg(long, value_name = "N", default_value_t = 50)]
    max_problems: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Build(a) => build(a),
        Command::Check(a) => check(a),
        Command::MineStubs(a) => mine_stubs(a),
    }
}

/// Lists every problem (up to `--max-problems`), then one summary line; exit 1 unless clean.
fn check(a: CheckArgs) -> anyhow::Result<ExitCode> {
    use std::io::Write;
    let check = data::check_files(&a.files)?;
    let mut out = std::io::stdout().lock();
    let shown = if a.max_problems == 0 {
        check.problems.len()
    } else {
        a.max_problems.min(check.problems.len())
    };
    for problem in &check.problems[..shown] {
        writeln!(out, "{problem}")?;
    }
    if shown < check.problems.len() {
        writeln!(
            out,
            "... and {} more (--max-problems 0 lists them all)",
            check.problems.len() - shown
        )?;
    }
    writeln!(out, "{check}")?;
    out.flush()?;
    Ok(if check.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn mine_stubs(a: MineStubsArgs) -> anyhow::Result<ExitCode> {
    use data::stubs::{self, Framing};
    let out = a
        .out
        .unwrap_or_else(|| PathBuf::from("data/raw-extra").join(format!("{}.jsonl", a.source)));
    let mined = stubs::mine(&a.dir, a.lang, &a.license, &a.source, a.limit)?;
    stubs::write_jsonl(&out, &mined)?;
    let counts: Vec<String> = Framing::ALL
        .iter()
        .map(|f| format!("{f} {}", mined.iter().filter(|m| m.framing == *f).count()))
        .collect();
    println!(
        "{}: {} prompts ({})",
        a.source,
        mined.len(),
        counts.join(", ")
    );
    println!("wrote {}", out.display());
    Ok(ExitCode::SUCCESS)
}

fn build(a: BuildArgs) -> anyhow::Result<ExitCode> {
    let nc_dir = if a.include_nc {
        let dir = a.raw.join("..").join("raw-nc");
        eprintln!(
            "warning: --include-nc reads {} (non-commercial or unlicensed data); do not ship \
             a model trained on this build commercially",
            dir.display()
        );
        Some(dir)
    } else {
        None
    };
    // Every input is named or explicitly left out: a default that does not exist (say, a
    // build into another folder than data/) is an error, never a silently dropped source.
    let default_dir = |flag: &str, no_flag: &str, sub: &str| -> anyhow::Result<PathBuf> {
        let dir = a.out.join(sub);
        if !dir.is_dir() {
            bail!(
                "{} does not exist: pass {flag} DIR (the bundled one is data/{sub}) or \
                 {no_flag} to build without it",
                dir.display()
            );
        }
        Ok(dir)
    };
    let other_dir = match (a.other, a.no_other) {
        (_, true) => None,
        (Some(dir), false) => Some(dir),
        (None, false) => Some(default_dir("--other", "--no-other", "other")?),
    };
    let raw_extra_dir = match (a.raw_extra, a.no_raw_extra) {
        (_, true) => None,
        (Some(dir), false) => Some(dir),
        (None, false) => Some(default_dir("--raw-extra", "--no-raw-extra", "raw-extra")?),
    };
    let confusions_dir = match (a.confusions, a.no_confusions) {
        (_, true) => None,
        (Some(dir), false) => Some(dir),
        (None, false) => Some(default_dir("--confusions", "--no-confusions", "confusions")?),
    };
    let guard_files = if a.no_guard {
        Vec::new()
    } else if a.guard.is_empty() {
        let files =
            data::default_guard_files(&a.out, other_dir.as_deref(), confusions_dir.as_deref());
        if let Some(missing) = files.iter().find(|f| !f.is_file()) {
            bail!(
                "{}: no such file, so its texts could not be kept out of training: pass \
                 --guard FILE for each evaluation file (the bundled ones are \
                 data/gateway_dev.jsonl, data/lockbox_dev.jsonl, data/short/*.jsonl, \
                 data/other/gateway_dev_*.jsonl and data/confusions/dev.jsonl) or --no-guard",
                missing.display()
            );
        }
        files
    } else {
        for path in &a.guard {
            if !path.is_file() {
                bail!(
                    "--guard {}: no such file (its texts are kept out of the dataset)",
                    path.display()
                );
            }
        }
        a.guard
    };
    let opts = BuildOptions {
        guard_files,
        other_dir,
        confusions_dir,
        raw_extra_dir,
        raw_dir: a.raw,
        nc_dir,
        synth: !a.no_synth,
    };
    let dataset = data::build(&opts)?;
    let written = data::write_dataset(&dataset, &a.out, &opts, a.gzip)?;
    print!("{}", dataset.stats);
    for path in written.iter().take(4) {
        println!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
