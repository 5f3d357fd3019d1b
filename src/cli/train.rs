//! `promptyard train`: train a classifier from `data/` (plus extra labelled files) and write
//! `model.safetensors` + `config.json` into `--out`. Progress goes to stderr.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use promptyard::classifier::device_from_name;
use promptyard::features::FeaturizerConfig;
use promptyard_train::train::{fit_short_scale, load_training_data, train, Progress, TrainOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory holding train.jsonl[.gz] and valid.jsonl[.gz].
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// More labelled JSONL files to train on (repeatable).
    #[arg(long, value_name = "FILE")]
    pub extra: Vec<PathBuf>,
    /// Output model directory. The bundled model's directory (`models/default` of a
    /// promptyard checkout, compiled into the library) is refused without --force.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Allow --out to be the bundled model's directory: the next build compiles the new
    /// model in.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub train: TrainFlags,
}

/// The training options of `promptyard train`, shared (flattened) with `promptyard eval
/// --loso` so both take the same flags with the same defaults: those of
/// [`TrainOptions::default`] and [`FeaturizerConfig::default`].
#[derive(Clone, Debug, clap::Args)]
#[command(next_help_heading = "Training options (train, eval --loso)")]
pub struct TrainFlags {
    /// Seed for initialisation, shuffling and feature dropout; a run is reproducible for a
    /// given seed and thread count.
    #[arg(long, default_value_t = TrainOptions::default().seed)]
    pub seed: u64,
    /// Passes over the training records.
    #[arg(long, default_value_t = TrainOptions::default().epochs)]
    pub epochs: usize,
    /// Embedding width (floats per hash bucket).
    #[arg(long, default_value_t = TrainOptions::default().dim)]
    pub dim: usize,
    /// log2 of the number of hash buckets (1 to 24).
    #[arg(
        long,
        default_value_t = FeaturizerConfig::default().buckets.trailing_zeros(),
        value_parser = clap::value_parser!(u32).range(1..=24)
    )]
    pub buckets_log2: u32,
    /// Shortest character n-gram (0 with --char-max 0 disables them).
    #[arg(long, default_value_t = FeaturizerConfig::default().char_ngram_min)]
    pub char_min: u8,
    /// Longest character n-gram.
    #[arg(long, default_value_t = FeaturizerConfig::default().char_ngram_max)]
    pub char_max: u8,
    /// Longest word n-gram: 1 (unigrams) or 2 (unigrams and bigrams).
    #[arg(
        long,
        default_value_t = FeaturizerConfig::default().word_ngrams,
        value_parser = clap::value_parser!(u8).range(1..=2)
    )]
    pub word_ngrams: u8,
    /// Bytes kept from the start of a long prompt (the rest of the budget is its end).
    #[arg(long, default_value_t = FeaturizerConfig::default().head_bytes)]
    pub head_bytes: u32,
    /// Bytes kept from the end of a long prompt.
    #[arg(long, default_value_t = FeaturizerConfig::default().tail_bytes)]
    pub tail_bytes: u32,
    /// Leading tokens whose words get an extra positional feature (0 disables; at most 8).
    #[arg(long, default_value_t = FeaturizerConfig::default().lead_tokens)]
    pub lead_tokens: u8,
    /// How many times each lead feature counts (1 to 16).
    #[arg(long, default_value_t = FeaturizerConfig::default().lead_weight)]
    pub lead_weight: u8,
    /// Peak AdamW learning rate; it decays linearly to 0 over the run.
    #[arg(long, default_value_t = TrainOptions::default().lr)]
    pub lr: f64,
    /// Prompts per optimiser step.
    #[arg(long, default_value_t = TrainOptions::default().batch_size)]
    pub batch_size: usize,
    /// AdamW decoupled weight decay.
    #[arg(long, default_value_t = TrainOptions::default().weight_decay)]
    pub weight_decay: f64,
    /// Source balancing exponent: 0 weights every record equally, 1 every source equally.
    #[arg(long, default_value_t = TrainOptions::default().source_balance)]
    pub source_balance: f64,
    /// Probability of dropping each distinct feature of a training example per step.
    #[arg(long, default_value_t = TrainOptions::default().feature_dropout)]
    pub feature_dropout: f64,
    /// Models to train (seeds SEED, SEED+1, …) and average into one: the same size and speed as
    /// one model, more accurate on every development set; training takes this many times as long.
    #[arg(long, default_value_t = TrainOptions::default().ensemble, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=64))]
    pub ensemble: usize,
    /// Device to train on: cpu, or cuda (needs the `cuda` feature).
    #[arg(long, default_value = "cpu")]
    pub device: String,
}

impl TrainFlags {
    /// The training options these flags ask for (checked by the library when training).
    pub fn options(&self) -> TrainOptions {
        TrainOptions {
            featurizer: FeaturizerConfig {
                buckets: 1 << self.buckets_log2,
                char_ngram_min: self.char_min,
                char_ngram_max: self.char_max,
                word_ngrams: self.word_ngrams,
                head_bytes: self.head_bytes,
                tail_bytes: self.tail_bytes,
                lead_tokens: self.lead_tokens,
                lead_weight: self.lead_weight,
                ..FeaturizerConfig::default()
            },
            dim: self.dim,
            epochs: self.epochs,
            batch_size: self.batch_size,
            lr: self.lr,
            weight_decay: self.weight_decay,
            source_balance: self.source_balance,
            feature_dropout: self.feature_dropout,
            seed: self.seed,
            ensemble: self.ensemble,
        }
    }
}

/// Prints one progress line to stderr.
pub fn print_progress(p: &Progress) {
    match p {
        Progress::Featurized { examples, seconds } => {
            eprintln!("featurized {examples} records in {seconds:.1}s")
        }
        Progress::Epoch {
            member,
            members,
            epoch,
            epochs,
            loss,
            valid_accuracy,
            valid_macro_f1,
            seconds,
        } => eprintln!(
            "{}epoch {epoch}/{epochs}  loss {loss:.4}  valid acc {valid_accuracy:.4}  macro-F1 {valid_macro_f1:.4}  ({seconds:.1}s)",
            if *members > 1 { format!("model {member}/{members}  ") } else { String::new() }
        ),
        Progress::Calibrated {
            temperature,
            ece_before,
            ece_after,
        } => eprintln!("temperature {temperature:.3}: valid ECE {ece_before:.4} → {ece_after:.4}"),
        Progress::ShortTempered {
            scale,
            examples,
            nll_before,
            nll_after,
        } => eprintln!(
            "short prompts: short_scale {}: NLL of {examples} short calibration prompts \
             {nll_before:.3} → {nll_after:.3}",
            scale.map_or("none".to_string(), |s| s.to_string())
        ),
    }
}

/// Whether `out` is the directory of a compiled-in model: the one this binary embeds
/// (`models/default` beside this package's manifest, compared canonically), or
/// `models/default` of any promptyard checkout (a folder whose `../../crates/promptyard`
/// holds the runtime crate), whose next build would embed whatever is written there.
fn is_bundled_model_dir(out: &Path) -> bool {
    let ours = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/default");
    if let (Ok(a), Ok(b)) = (out.canonicalize(), ours.canonicalize()) {
        if a == b {
            return true;
        }
    }
    let Ok(abs) = std::path::absolute(out) else {
        return false;
    };
    // `absolute` keeps `..`; resolve the parent when it exists so `x/../models/default` counts.
    let abs = match (
        abs.parent().and_then(|p| p.canonicalize().ok()),
        abs.file_name(),
    ) {
        (Some(parent), Some(name)) => parent.join(name),
        _ => abs,
    };
    abs.ends_with("models/default")
        && abs
            .parent()
            .and_then(Path::parent)
            .is_some_and(|root| root.join("crates/promptyard/Cargo.toml").is_file())
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !args.force && is_bundled_model_dir(&args.out) {
        anyhow::bail!(
            "--out {}: this is the bundled model's directory; the library compiles it in, so \
             training there changes the default model of every later build. Pass --force to \
             replace it, or choose another --out",
            args.out.display()
        );
    }
    let opts = args.train.options();
    opts.validate()?;
    let device = device_from_name(&args.train.device)?;
    let data = load_training_data(&args.data, &args.extra)?;
    if let Some(summary) = &data.extra_summary {
        eprintln!("extra files: {summary}");
    }
    eprintln!(
        "training on {} records, validating on {} ({} files)",
        data.train.len(),
        data.valid.len(),
        data.files.len()
    );
    let mut model = train(
        &data.train,
        &data.valid,
        &opts,
        &device,
        &mut print_progress,
    )?;
    fit_short_scale(
        &mut model,
        &data.valid,
        &data.short_calibration,
        &mut print_progress,
    )?;
    if let Some(t) = model.config.training.as_mut() {
        t.data_files = data.files.iter().map(|p| p.display().to_string()).collect();
    }
    model
        .save(&args.out)
        .with_context(|| format!("saving the model to {}", args.out.display()))?;
    let secs = model.config.training.as_ref().map_or(0.0, |t| t.seconds);
    eprintln!(
        "wrote {} (weights {}, trained in {secs:.1}s)",
        args.out.display(),
        model.fingerprint()
    );
    Ok(ExitCode::SUCCESS)
}
