//! The encoder tier on the command line: the `--encoder` / `--cascade-threshold` flags that
//! `route` and `eval` share, and `promptyard train-encoder`, which trains the encoder's head.

use std::path::PathBuf;

/// Flags that turn the cascade on (flattened into `route` and `eval`).
#[derive(Clone, Debug, Default, clap::Args)]
#[command(next_help_heading = "Encoder tier (cascade)")]
pub struct EncoderFlags {
    /// Turn the cascade on: prompts the fast classifier is unsure about go to this sentence
    /// encoder (a directory with config.json, model.safetensors and tokenizer.json, or
    /// `hf:ORG/REPO[@REV]` with the `hub` feature). Its head is the bundled one for its
    /// fingerprint.
    #[arg(long, value_name = "DIR")]
    pub encoder: Option<PathBuf>,
    /// Fast-tier confidence under which the encoder decides (0 to 1); default: the one the
    /// head was shipped with, chosen by leave-one-source-out (docs/encoder.md).
    #[arg(long, value_name = "P", requires = "encoder")]
    pub cascade_threshold: Option<f32>,
    /// Device the encoder runs on: cpu, or cuda (needs the `cuda` feature).
    #[arg(long, value_name = "NAME", default_value = "cpu", requires = "encoder")]
    pub encoder_device: String,
    /// The head to use instead of the bundled one (a file written by `train-encoder`);
    /// needed for an encoder the project ships no head for.
    #[arg(long, value_name = "FILE", requires = "encoder")]
    pub encoder_head: Option<PathBuf>,
}

/// `--encoder DIR|hf:ORG/REPO` resolved to a local directory.
#[cfg(feature = "encoder")]
pub(crate) fn resolve_encoder_arg(spec: &std::path::Path) -> anyhow::Result<PathBuf> {
    promptyard::hub::resolve_encoder(spec).map_err(|e| match e {
        promptyard::Error::Hub { .. } => {
            let hint = if cfg!(feature = "hub") {
                "or pass a local --encoder DIR (scripts/fetch-encoder.sh fetches all-MiniLM-L6-v2 or \
                 multilingual-e5-small)"
            } else {
                "this binary was built without --features hub; pass a local --encoder DIR \
                 (scripts/fetch-encoder.sh fetches all-MiniLM-L6-v2 or multilingual-e5-small)"
            };
            anyhow::anyhow!("{e} ({hint})")
        }
        e => e.into(),
    })
}

#[cfg(feature = "encoder")]
pub(crate) use with_encoder::*;

#[cfg(feature = "encoder")]
mod with_encoder {
    use std::io::Write;
    use std::path::PathBuf;
    use std::process::ExitCode;
    use std::time::Instant;

    use anyhow::Context;
    use promptyard::cascade::{Cascade, CascadeMode};
    use promptyard::classifier::{device_from_name, Classifier};
    use promptyard::encoder::{Encoder, Head};
    use promptyard::label::{Label, Probs};
    use promptyard_train::data::split::Split;
    use promptyard_train::data::{read_jsonl_strict, read_split, Record};
    use promptyard_train::encoder_head::{
        accuracy, choose_cascade, fit_head, fit_temperature, nll, EmbeddingCache, HeadOptions,
    };
    use promptyard_train::eval::predict_all;

    use super::{resolve_encoder_arg, EncoderFlags};

    impl EncoderFlags {
        /// The cascade the flags ask for, if any.
        pub fn cascade(&self) -> anyhow::Result<Option<Cascade>> {
            let Some(spec) = &self.encoder else {
                return Ok(None);
            };
            let dir = resolve_encoder_arg(spec)?;
            let device = device_from_name(&self.encoder_device)
                .with_context(|| format!("--encoder-device {}", self.encoder_device))?;
            let mut c = match &self.encoder_head {
                Some(file) => {
                    let head = Head::load(file).context("--encoder-head")?;
                    Cascade::new(Encoder::load(&dir, &device)?, head)?
                }
                None => Cascade::load(&dir, &device).with_context(|| {
                    format!(
                        "--encoder {} (train a head for it with `promptyard train-encoder \
                         --encoder DIR --out FILE` and pass --encoder-head FILE)",
                        spec.display()
                    )
                })?,
            };
            if let Some(t) = self.cascade_threshold {
                c = c.with_threshold(t).context("--cascade-threshold")?;
            }
            Ok(Some(c))
        }
    }

    /// Where embeddings are cached unless `--embedding-cache` says otherwise.
    pub const DEFAULT_CACHE: &str = ".cache/embeddings";

    #[derive(Debug, clap::Args)]
    pub struct TrainArgs {
        /// The sentence encoder: a directory in the Hugging Face layout or `hf:ORG/REPO`.
        #[arg(long, value_name = "DIR")]
        pub encoder: PathBuf,
        /// Directory holding train.jsonl[.gz] and valid.jsonl[.gz].
        #[arg(long, default_value = "data")]
        pub data: PathBuf,
        /// More labelled JSONL files to train on (repeatable).
        #[arg(long, value_name = "FILE")]
        pub extra: Vec<PathBuf>,
        /// Where to write the head (safetensors, a few KB).
        #[arg(long, value_name = "FILE")]
        pub out: PathBuf,
        /// The fast classifier the cascade threshold is chosen for (default: the bundled one).
        #[arg(long, value_name = "DIR")]
        pub model: Option<PathBuf>,
        /// Embedding cache directory (per encoder fingerprint and text).
        #[arg(long, value_name = "DIR", default_value = DEFAULT_CACHE)]
        pub embedding_cache: PathBuf,
        /// Train on at most N prompts, every k-th of the training files so every source is
        /// represented (embedding all of them takes minutes on a small CPU).
        #[arg(long, value_name = "N")]
        pub max_train: Option<usize>,
        /// Fit the temperature and choose the cascade on at most N validation prompts
        /// (every k-th).
        #[arg(long, value_name = "N")]
        pub max_valid: Option<usize>,
        /// Hidden ReLU units of the head (0: a linear head, what the bundled heads are; 128
        /// measured level with it for multilingual-e5-small, docs/encoder.md).
        #[arg(long, default_value_t = 0)]
        pub hidden: usize,
        /// Optimiser steps for the head; default 400 full-batch steps for a linear head, 3,000
        /// minibatch steps with a hidden layer.
        #[arg(long)]
        pub steps: Option<usize>,
        /// L2 penalty on the head's weights; default 1e-4 linear, 1e-3 with a hidden layer.
        #[arg(long)]
        pub l2: Option<f32>,
        /// With --hidden: dropout on the hidden units.
        #[arg(long, default_value_t = HeadOptions::mlp(1).dropout)]
        pub dropout: f32,
        /// With --hidden: seed of the initialisation, batches and dropout.
        #[arg(long, default_value_t = HeadOptions::default().seed)]
        pub seed: u64,
        /// Encoder layers to pool into the embedding, e.g. `8,12` (0 is the embedding layer's
        /// output; default: the last layer). Stored in the head, so the cascade pools the same.
        #[arg(long, value_name = "L,L", value_delimiter = ',')]
        pub layers: Vec<usize>,
        /// Device the encoder runs on: cpu, or cuda (needs the `cuda` feature).
        #[arg(long, default_value = "cpu")]
        pub device: String,
        /// Weight training prompts by the inverse frequency of their label, so the head does
        /// not under-predict the rarest label (`other`).
        #[arg(long)]
        pub balance_labels: bool,
        /// Store this cascade threshold in the head instead of the one with the best
        /// validation accuracy (e.g. the one `eval --loso --encoder` finds best on unseen
        /// sources).
        #[arg(long, value_name = "P")]
        pub cascade_threshold: Option<f32>,
        /// Store this cascade mode (`encoder` or `combine`) instead of the validation choice.
        #[arg(long, value_name = "MODE")]
        pub cascade_mode: Option<CascadeMode>,
    }

    /// At most `max` of `records`, evenly spaced (every k-th), in order; all when `None`.
    pub fn every_kth(records: Vec<Record>, max: Option<usize>) -> Vec<Record> {
        match max {
            Some(m) if m > 0 && records.len() > m => {
                let n = records.len();
                (0..m).map(|i| records[i * n / m].clone()).collect()
            }
            _ => records,
        }
    }

    /// Embeds `records` through the cache, reporting throughput of what was computed on
    /// stderr.
    pub fn embed_records(
        cache: &mut EmbeddingCache,
        encoder: &Encoder,
        records: &[Record],
        what: &str,
    ) -> anyhow::Result<Vec<Vec<f32>>> {
        let texts: Vec<&str> = records.iter().map(|r| r.text.as_str()).collect();
        let start = Instant::now();
        let mut computed = 0;
        let out = cache.embed(encoder, &texts, &mut |done, todo| {
            computed = todo;
            let s = start.elapsed().as_secs_f64();
            eprint!(
                "\r{what}: embedded {done}/{todo} ({:.1} prompts/s)   ",
                done as f64 / s.max(1e-9)
            );
        })?;
        if computed > 0 {
            let s = start.elapsed().as_secs_f64();
            eprintln!(
                "\n{what}: {computed} prompts embedded in {s:.1} s = {:.1} prompts/s \
                 (batch {}, ≤ {} tokens, {:?})",
                computed as f64 / s,
                promptyard::encoder::BATCH,
                promptyard::encoder::DEFAULT_MAX_TOKENS,
                encoder.device()
            );
        } else {
            eprintln!("{what}: {} embeddings from the cache", texts.len());
        }
        Ok(out)
    }

    pub fn run_train(args: TrainArgs) -> anyhow::Result<ExitCode> {
        let device = device_from_name(&args.device)?;
        let dir = resolve_encoder_arg(&args.encoder)?;
        let encoder = Encoder::load(&dir, &device)?.with_pooled_layers(&args.layers)?;
        eprintln!(
            "encoder {} (fingerprint {}, layers {:?} pooled, dim {})",
            dir.display(),
            encoder.fingerprint(),
            encoder.pooled_layers(),
            encoder.dim()
        );
        let mut cache = EmbeddingCache::open(&args.embedding_cache, &encoder)?;
        let mut train = read_split(&args.data, Split::Train)?.records;
        for f in &args.extra {
            train.extend(read_jsonl_strict(f)?);
        }
        let train = every_kth(train, args.max_train);
        let valid = every_kth(
            read_split(&args.data, Split::Valid)?.records,
            args.max_valid,
        );
        let x_train = embed_records(&mut cache, &encoder, &train, "train")?;
        let x_valid = embed_records(&mut cache, &encoder, &valid, "valid")?;
        let y_train: Vec<Label> = train.iter().map(|r| r.label).collect();
        let y_valid: Vec<Label> = valid.iter().map(|r| r.label).collect();

        let start = Instant::now();
        let base = HeadOptions::for_hidden(args.hidden);
        let opts = HeadOptions {
            steps: args.steps.unwrap_or(base.steps),
            l2: args.l2.unwrap_or(base.l2),
            dropout: if args.hidden > 0 { args.dropout } else { 0.0 },
            seed: args.seed,
            balance_labels: args.balance_labels,
            ..base
        };
        let layers = fit_head(&x_train, &y_train, &opts)?;
        let temperature = fit_temperature(&layers, &x_valid, &y_valid);
        let fast = match &args.model {
            Some(m) => Classifier::load(super::super::resolve_model_arg(m)?)?,
            None => Classifier::bundled()?,
        };
        let fast_valid = predict_all(&fast, &valid);
        // The cascade defaults are chosen with the calibrated head, then stored in it.
        let head = Head::new(
            layers,
            temperature,
            encoder.fingerprint(),
            0.5,
            CascadeMode::Encoder,
        )?
        // `--layers 12` on a 12-layer encoder is the default: written as such, older builds
        // still read the head.
        .with_pooled_layers(if encoder.pools_last_layer_only() { &[] } else { encoder.pooled_layers() });
        let enc_valid: Vec<Probs> = x_valid.iter().map(|e| head.predict(e)).collect();
        let (best, _) = choose_cascade(&fast_valid, &enc_valid, &y_valid);
        let threshold = args.cascade_threshold.unwrap_or(best.threshold);
        let mode = args.cascade_mode.unwrap_or(best.mode);
        let head = head.with_cascade(threshold, mode)?;
        let stored =
            promptyard_train::encoder_head::cascade_probs(&fast_valid, &enc_valid, threshold, mode);
        let stored_p: Vec<Probs> = stored.iter().map(|c| c.0).collect();
        let stored_share = stored
            .iter()
            .filter(|c| c.1 != promptyard::cascade::Tier::Fast)
            .count() as f64
            / stored.len().max(1) as f64;
        if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        head.save(&args.out)?;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "head trained on {} prompts in {:.1} s (T = {temperature:.2}); wrote {}",
            train.len(),
            start.elapsed().as_secs_f64(),
            args.out.display()
        )?;
        writeln!(out, "validation ({} records):", valid.len())?;
        writeln!(
            out,
            "  fast     accuracy {:.4}  NLL {:.4}",
            accuracy(&fast_valid, &y_valid),
            nll(&fast_valid, &y_valid)
        )?;
        writeln!(
            out,
            "  encoder  accuracy {:.4}  NLL {:.4}",
            accuracy(&enc_valid, &y_valid),
            nll(&enc_valid, &y_valid)
        )?;
        writeln!(
            out,
            "  cascade  accuracy {:.4}  (threshold {:.2}, mode {}, {:.1}% to the encoder; best on validation)",
            best.accuracy,
            best.threshold,
            best.mode.as_str(),
            100.0 * best.encoder_share
        )?;
        if (threshold, mode) != (best.threshold, best.mode) {
            writeln!(
                out,
                "  cascade  accuracy {:.4}  (threshold {threshold:.2}, mode {}, {:.1}% to the encoder; stored, as asked)",
                accuracy(&stored_p, &y_valid),
                mode.as_str(),
                100.0 * stored_share
            )?;
        }
        Ok(ExitCode::SUCCESS)
    }

    /// The encoder tier's and the cascade's probabilities for `records`, beside the fast
    /// tier's.
    pub fn tiers(
        cascade: &Cascade,
        cache_dir: &std::path::Path,
        records: &[Record],
        fast: &[Probs],
    ) -> anyhow::Result<(Vec<Probs>, Vec<(Probs, promptyard::cascade::Tier)>)> {
        let mut cache = EmbeddingCache::open(cache_dir, cascade.encoder())?;
        let x = embed_records(&mut cache, cascade.encoder(), records, "eval")?;
        let enc: Vec<Probs> = x.iter().map(|e| cascade.head().predict(e)).collect();
        let casc = promptyard_train::encoder_head::cascade_probs(
            fast,
            &enc,
            cascade.threshold(),
            cascade.mode(),
        );
        Ok((enc, casc))
    }
}
