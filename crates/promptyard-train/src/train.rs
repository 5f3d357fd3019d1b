//! Training the fastText-shaped classifier with candle: autograd over the embedding bag and
//! linear layer, AdamW with a linearly decaying learning rate, a weighted cross-entropy that
//! evens out label and source sizes, then temperature calibration on the validation split.
//!
//! Deterministic for a given seed and thread count: initialisation and shuffling use a
//! seeded SplitMix64, featurisation is order-preserving, and candle's CPU kernels are
//! deterministic for a fixed thread count. Progress goes to a caller-supplied callback;
//! the library never prints.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use candle_core::{DType, Device, Tensor, Var, D};
use candle_nn::optim::{AdamW, Optimizer, ParamsAdamW};
use rayon::prelude::*;

use crate::data::split::Split;
use crate::data::user::{load_labelled_files, Summary as UserSummary};
use crate::data::{read_split, try_read_split, Record};
use crate::eval::Metrics;
use crate::rng::Rng;
use crate::{Error, Result};
use promptyard::classifier::{Batch, PooledIds};
use promptyard::features::{FeatureScratch, Featurizer, FeaturizerConfig};
use promptyard::hash::fnv1a_hex;
use promptyard::label::softmax;
use promptyard::label::{Label, Probs, NUM_LABELS};
use promptyard::model::{ModelConfig, ModelFile, TrainingInfo};

/// Hyper-parameters of a training run.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainOptions {
    /// Hashing and n-gram settings, stored with the model.
    pub featurizer: FeaturizerConfig,
    /// Embedding width.
    pub dim: usize,
    /// Passes over the training records. The default, 16, beat 8 on the validation split for
    /// each of seeds 42–44 (accuracy +0.6 points on average) without losing on
    /// leave-one-source-out; 24 and more gained nothing more (docs/classifier.md).
    pub epochs: usize,
    /// Prompts per optimiser step.
    pub batch_size: usize,
    /// Peak AdamW learning rate (decays linearly to 0).
    pub lr: f64,
    /// AdamW decoupled weight decay.
    pub weight_decay: f64,
    /// Example weight ∝ (records of its source)^-source_balance: 0 = none, 1 = every source
    /// counts equally. Keeps big benchmarks from drowning small, realistic sources.
    pub source_balance: f64,
    /// Probability of dropping each distinct feature of a training example per step.
    pub feature_dropout: f64,
    /// Seed of initialisation, shuffling and feature dropout.
    pub seed: u64,
    /// Models trained with seeds `seed`, `seed + 1`, … and averaged into one. A model's logits
    /// are the mean of its feature rows of `E·Wᵀ` plus `b`, so the mean of several models'
    /// logits is one model whose table is the mean of theirs: the ensemble routes exactly as
    /// fast as one model, and is stored collapsed (`dim` = the label count, `E` = that mean
    /// table, `W` = the identity; 2 MB instead of 8). Five beat the mean of the five single
    /// seeds on every development set (validation macro-F1 +0.2 points, gateway 600 +0.9,
    /// `docs/classifier.md`); training takes five times as long.
    pub ensemble: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            featurizer: FeaturizerConfig::default(),
            dim: 16,
            epochs: 16,
            batch_size: 256,
            lr: 0.02,
            weight_decay: 1e-4,
            source_balance: 0.5,
            feature_dropout: 0.5,
            seed: 42,
            ensemble: 5,
        }
    }
}

impl TrainOptions {
    /// Checks every option's range (the featurizer's own settings are checked when it is
    /// built): [`Error::TrainOption`] names the first one out of range.
    pub fn validate(&self) -> Result<()> {
        let bad = |option, value: String, expected| {
            Err(Error::TrainOption {
                option,
                value,
                expected,
            })
        };
        if self.dim == 0 {
            return bad("dim", "0".into(), "at least 1");
        }
        if self.epochs == 0 {
            return bad("epochs", "0".into(), "at least 1");
        }
        if self.ensemble == 0 {
            return bad("ensemble", "0".into(), "at least 1");
        }
        if self.batch_size == 0 {
            return bad("batch_size", "0".into(), "at least 1");
        }
        if !(self.lr.is_finite() && self.lr > 0.0) {
            return bad("lr", self.lr.to_string(), "a positive finite number");
        }
        if !(self.weight_decay.is_finite() && self.weight_decay >= 0.0) {
            return bad(
                "weight_decay",
                self.weight_decay.to_string(),
                "a finite number ≥ 0",
            );
        }
        if !self.source_balance.is_finite() {
            return bad(
                "source_balance",
                self.source_balance.to_string(),
                "a finite number",
            );
        }
        if !(0.0..1.0).contains(&self.feature_dropout) {
            return bad(
                "feature_dropout",
                self.feature_dropout.to_string(),
                "in [0, 1)",
            );
        }
        Ok(())
    }
}

/// Progress reported during training.
#[derive(Clone, Debug, PartialEq)]
pub enum Progress {
    /// All records featurised.
    Featurized {
        /// Training plus validation records featurised.
        examples: usize,
        /// Seconds it took.
        seconds: f64,
    },
    /// One epoch finished.
    Epoch {
        /// 1-based number of the ensemble member being trained ([`TrainOptions::ensemble`]).
        member: usize,
        /// Members in the ensemble.
        members: usize,
        /// 1-based number of the epoch that finished.
        epoch: usize,
        /// Epochs in the run.
        epochs: usize,
        /// Mean weighted training loss over the epoch.
        loss: f64,
        /// Validation metrics (0 without a validation set).
        valid_accuracy: f64,
        /// Validation macro-F1 (0 without a validation set).
        valid_macro_f1: f64,
        /// Seconds since training started.
        seconds: f64,
    },
    /// Temperature fitted on the validation split.
    Calibrated {
        /// The fitted softmax temperature.
        temperature: f32,
        /// Validation expected calibration error at temperature 1.
        ece_before: f64,
        /// Validation expected calibration error at the fitted temperature.
        ece_after: f64,
    },
    /// Short-prompt tempering fitted ([`fit_short_scale`]).
    ShortTempered {
        /// The fitted [`ModelConfig::short_scale`] (`None`: tempering did not help).
        scale: Option<f32>,
        /// Short calibration prompts it was fitted on.
        examples: usize,
        /// Their mean NLL without tempering.
        nll_before: f64,
        /// Their mean NLL with it.
        nll_after: f64,
    },
}

fn featurize_all(f: &Featurizer, records: &[Record]) -> Vec<PooledIds> {
    records
        .par_iter()
        .map_init(FeatureScratch::default, |scratch, r| {
            let mut ids = Vec::new();
            f.featurize(&r.text, scratch, &mut ids);
            PooledIds::new(&ids)
        })
        .collect()
}

/// Lazy ("sparse") Adam over the embedding table, kept in plain memory: only rows a batch
/// touches are updated, with decoupled weight decay on those rows. A dense optimizer costs
/// O(buckets × dim) per step whatever the batch (measured: ~200 ms per step at 2^18 × 16),
/// this costs O(rows touched × dim).
struct SparseAdam {
    values: Vec<f32>,
    m: Vec<f32>,
    v: Vec<f32>,
    dim: usize,
    weight_decay: f32,
    step: i32,
}

impl SparseAdam {
    const BETA1: f32 = 0.9;
    const BETA2: f32 = 0.999;
    const EPS: f32 = 1e-8;

    fn new(values: Vec<f32>, dim: usize, weight_decay: f64) -> Self {
        let n = values.len();
        SparseAdam {
            values,
            m: vec![0.0; n],
            v: vec![0.0; n],
            dim,
            weight_decay: weight_decay as f32,
            step: 0,
        }
    }

    fn gather(&self, rows: &[u32]) -> Vec<f32> {
        let d = self.dim;
        rows.iter()
            .flat_map(|&r| &self.values[r as usize * d..(r as usize + 1) * d])
            .copied()
            .collect()
    }

    /// One Adam step on `rows` with their gradients `grad: [rows.len() × dim]`.
    fn update(&mut self, rows: &[u32], grad: &[f32], lr: f32) {
        self.step += 1;
        let c1 = 1.0 / (1.0 - Self::BETA1.powi(self.step));
        let c2 = 1.0 / (1.0 - Self::BETA2.powi(self.step));
        let d = self.dim;
        for (k, &r) in rows.iter().enumerate() {
            for j in 0..d {
                let (i, g) = (r as usize * d + j, grad[k * d + j]);
                self.m[i] = Self::BETA1 * self.m[i] + (1.0 - Self::BETA1) * g;
                self.v[i] = Self::BETA2 * self.v[i] + (1.0 - Self::BETA2) * g * g;
                let upd = (self.m[i] * c1) / ((self.v[i] * c2).sqrt() + Self::EPS);
                self.values[i] = self.values[i] * (1.0 - lr * self.weight_decay) - lr * upd;
            }
        }
    }
}

/// A copy of `row` without each distinct feature with probability `p` (at least one kept),
/// weights renormalised: the model learns not to lean on a few telltale n-grams.
fn drop_features(row: &PooledIds, p: f32, rng: &mut Rng) -> PooledIds {
    let mut out = PooledIds::default();
    for (&id, &w) in row.ids.iter().zip(&row.weights) {
        if rng.next_f32() >= p {
            out.ids.push(id);
            out.weights.push(w);
        }
    }
    if out.ids.is_empty() {
        return row.clone();
    }
    let sum: f32 = out.weights.iter().sum();
    out.weights.iter_mut().for_each(|w| *w /= sum);
    out
}

/// The distinct bucket ids of a batch (ascending) and its prompts re-indexed into them.
fn localize(rows: &[&PooledIds]) -> (Vec<u32>, Vec<PooledIds>) {
    let mut used: Vec<u32> = rows.iter().flat_map(|r| r.ids.iter().copied()).collect();
    used.sort_unstable();
    used.dedup();
    let local = rows
        .iter()
        .map(|r| PooledIds {
            ids: r
                .ids
                .iter()
                .map(|id| used.partition_point(|u| u < id) as u32)
                .collect(),
            weights: r.weights.clone(),
        })
        .collect();
    (used, local)
}

/// FNV-1a 64 (hex) over ids, labels and texts of `records`, in order.
pub fn data_fingerprint(records: &[Record]) -> String {
    let mut parts: Vec<&[u8]> = Vec::with_capacity(records.len() * 3);
    for r in records {
        parts.push(r.id.as_bytes());
        parts.push(r.label.as_str().as_bytes());
        parts.push(r.text.as_bytes());
    }
    fnv1a_hex(&parts)
}

/// The model tensors being trained (f32, on any device).
struct Weights {
    /// `[buckets, dim]`
    embedding: Tensor,
    /// `[labels, dim]`
    weight: Tensor,
    /// `[labels]`
    bias: Tensor,
}

impl Weights {
    /// The weights as saved in `file` (embedding rounded to f16), on the CPU: what calibration
    /// must be fitted on, since that is what inference reads.
    fn stored(file: &ModelFile) -> Result<Weights> {
        let (buckets, dim) = (file.config.featurizer.buckets as usize, file.config.dim);
        Ok(Weights {
            embedding: Tensor::from_vec(file.embedding_f32(), (buckets, dim), &Device::Cpu)?,
            weight: Tensor::from_slice(&file.weight, (NUM_LABELS, dim), &Device::Cpu)?,
            bias: Tensor::from_slice(&file.bias, NUM_LABELS, &Device::Cpu)?,
        })
    }
}

/// Uncalibrated logits `[B, labels]` of a batch: `W (weights · E[ids]) + b`.
fn forward_logits(
    embedding: &Tensor,
    weight: &Tensor,
    bias: &Tensor,
    batch: &Batch,
) -> Result<Tensor> {
    let pooled = batch.pool(embedding)?;
    Ok(pooled.matmul(&weight.t()?)?.broadcast_add(bias)?)
}

/// Uncalibrated logits for pre-featurised prompts, in chunks.
fn logits_of(w: &Weights, rows: &[PooledIds], device: &Device) -> Result<Vec<[f32; NUM_LABELS]>> {
    let mut out = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(1024) {
        let refs: Vec<&PooledIds> = chunk.iter().collect();
        let batch = Batch::from_pooled(&refs, device)?;
        let z = forward_logits(&w.embedding, &w.weight, &w.bias, &batch)?;
        out.extend(
            z.to_device(&Device::Cpu)?
                .to_vec2::<f32>()?
                .into_iter()
                .map(|r| std::array::from_fn(|k| r[k])),
        );
    }
    Ok(out)
}

fn softmax_t(z: &[f32; NUM_LABELS], t: f32) -> Probs {
    softmax(z.map(|v| v / t))
}

fn metrics_of(logits: &[[f32; NUM_LABELS]], t: f32, records: &[Record]) -> Metrics {
    let probs: Vec<Probs> = logits.iter().map(|z| softmax_t(z, t)).collect();
    let gold: Vec<Label> = records.iter().map(|r| r.label).collect();
    let sources: Vec<&str> = records.iter().map(|r| r.source.as_str()).collect();
    Metrics::compute(&gold, &probs, &sources)
}

/// The temperature minimising validation NLL (log-spaced grid over 0.05..20, then refined).
fn fit_temperature(logits: &[[f32; NUM_LABELS]], gold: &[Label]) -> f32 {
    let nll = |t: f32| -> f64 {
        logits
            .iter()
            .zip(gold)
            .map(|(z, g)| -f64::from(softmax_t(z, t)[g.index()]).max(1e-12).ln())
            .sum()
    };
    let grid = |lo: f32, hi: f32, steps: usize| -> f32 {
        (0..=steps)
            .map(|i| (lo.ln() + (hi.ln() - lo.ln()) * i as f32 / steps as f32).exp())
            .map(|t| (t, nll(t)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map_or(1.0, |(t, _)| t)
    };
    let coarse = grid(0.05, 20.0, 40);
    grid(coarse / 1.2, coarse * 1.2, 20)
}

/// Trains a classifier on `train_set`, reporting validation metrics per epoch and fitting the
/// softmax temperature on `valid` (skipped when `valid` is empty).
pub fn train(
    train_set: &[Record],
    valid: &[Record],
    opts: &TrainOptions,
    device: &Device,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<ModelFile> {
    let started = Instant::now();
    if train_set.is_empty() {
        return Err(Error::EmptyTrainingSet);
    }
    opts.validate()?;
    let featurizer = Featurizer::new(opts.featurizer.clone())?;
    let rows = featurize_all(&featurizer, train_set);
    let valid_rows = featurize_all(&featurizer, valid);
    on_progress(&Progress::Featurized {
        examples: rows.len() + valid_rows.len(),
        seconds: started.elapsed().as_secs_f64(),
    });

    // Example weights: inverse label frequency × source size^-balance, mean 1.
    let mut label_n = [0usize; NUM_LABELS];
    let mut source_n: HashMap<&str, usize> = HashMap::new();
    for r in train_set {
        label_n[r.label.index()] += 1;
        *source_n.entry(r.source.as_str()).or_default() += 1;
    }
    let raw: Vec<f64> = train_set
        .iter()
        .map(|r| (source_n[r.source.as_str()] as f64).powf(-opts.source_balance))
        .collect();
    // Re-balance labels after source weighting so each label carries equal total weight.
    let mut label_mass = [0f64; NUM_LABELS];
    for (r, w) in train_set.iter().zip(&raw) {
        label_mass[r.label.index()] += w;
    }
    let present = label_n.iter().filter(|&&n| n > 0).count() as f64;
    let total: f64 = raw.iter().sum();
    let example_w: Vec<f32> = train_set
        .iter()
        .zip(&raw)
        .map(|(r, w)| {
            (w * total / (present * label_mass[r.label.index()]) * train_set.len() as f64 / total)
                as f32
        })
        .collect();

    let members = (0..opts.ensemble)
        .map(|k| {
            let run = Member {
                rows: &rows,
                valid_rows: &valid_rows,
                valid,
                train_set,
                example_w: &example_w,
                opts,
                device,
                started,
                member: k + 1,
            };
            run.fit(on_progress)
        })
        .collect::<Result<Vec<_>>>()?;
    let p = collapse(members, opts.featurizer.buckets as usize);

    let mut config = ModelConfig::new(opts.featurizer.clone(), p.weight.len() / NUM_LABELS);
    let mut file = ModelFile::from_f32(config.clone(), &p.embedding, &p.weight, &p.bias)?;

    let mut metrics = std::collections::BTreeMap::new();
    if !valid.is_empty() {
        // Calibrate the stored (f16-rounded) weights, on the CPU.
        let logits = logits_of(&Weights::stored(&file)?, &valid_rows, &Device::Cpu)?;
        let gold: Vec<Label> = valid.iter().map(|r| r.label).collect();
        let before = metrics_of(&logits, 1.0, valid);
        config.temperature = fit_temperature(&logits, &gold);
        let after = metrics_of(&logits, config.temperature, valid);
        on_progress(&Progress::Calibrated {
            temperature: config.temperature,
            ece_before: before.ece,
            ece_after: after.ece,
        });
        metrics.insert("valid_accuracy".to_string(), after.accuracy);
        metrics.insert("valid_macro_f1".to_string(), after.macro_f1);
        metrics.insert("valid_ece".to_string(), after.ece);
        metrics.insert("valid_nll".to_string(), after.nll);
        for l in &after.per_label {
            metrics.insert(format!("valid_ece_{}", l.label), l.ece);
        }
    }
    let mut info = TrainingInfo::new(
        opts.seed,
        opts.epochs,
        train_set.len(),
        data_fingerprint(train_set),
    );
    info.ensemble = opts.ensemble;
    info.seconds = (started.elapsed().as_secs_f64() * 10.0).round() / 10.0;
    info.metrics = metrics;
    config.training = Some(info);
    file.config = config;
    Ok(file)
}

/// One member of an ensemble ([`TrainOptions::ensemble`]): the data, featurized once, and
/// its number (its seed is `opts.seed + member - 1`).
#[derive(Clone, Copy)]
struct Member<'a> {
    rows: &'a [PooledIds],
    valid_rows: &'a [PooledIds],
    valid: &'a [Record],
    train_set: &'a [Record],
    example_w: &'a [f32],
    opts: &'a TrainOptions,
    device: &'a Device,
    started: Instant,
    member: usize,
}

/// A trained member's parameters: `E` `[buckets, dim]`, `W` `[labels, dim]`, `b`.
struct Params {
    embedding: Vec<f32>,
    weight: Vec<f32>,
    bias: Vec<f32>,
}

impl Member<'_> {
    /// Trains this member by SGD (AdamW on `W`, `b`; sparse Adam on the rows of `E`).
    fn fit(&self, on_progress: &mut dyn FnMut(&Progress)) -> Result<Params> {
        let Member {
            rows,
            valid_rows,
            valid,
            train_set,
            example_w,
            opts,
            device,
            started,
            member,
        } = *self;
        // Parameters: E ~ U(-1/dim, 1/dim) as in fastText, W and b zero.
        let (buckets, dim) = (opts.featurizer.buckets as usize, opts.dim);
        let mut rng = Rng(opts.seed.wrapping_add(member as u64 - 1));
        let bound = 1.0 / dim as f32;
        let init: Vec<f32> = (0..buckets * dim)
            .map(|_| (rng.next_f32() * 2.0 - 1.0) * bound)
            .collect();
        let mut table = SparseAdam::new(init, dim, opts.weight_decay);
        let weight = Var::zeros((NUM_LABELS, dim), DType::F32, device)?;
        let bias = Var::zeros(NUM_LABELS, DType::F32, device)?;
        let mut opt = AdamW::new(
            vec![weight.clone(), bias.clone()],
            ParamsAdamW {
                lr: opts.lr,
                weight_decay: opts.weight_decay,
                ..ParamsAdamW::default()
            },
        )?;

        let steps_per_epoch = rows.len().div_ceil(opts.batch_size);
        let total_steps = (steps_per_epoch * opts.epochs) as f64;
        let mut step = 0usize;
        let mut order: Vec<usize> = (0..rows.len()).collect();
        for epoch in 1..=opts.epochs {
            // Shuffle, then sort windows of 32 batches by length so padding stays small.
            rng.shuffle(&mut order);
            let window = opts.batch_size * 32;
            for w in order.chunks_mut(window) {
                w.sort_by_key(|&i| rows[i].ids.len());
            }
            let mut batches: Vec<&[usize]> = order.chunks(opts.batch_size).collect();
            rng.shuffle(&mut batches);
            let (mut loss_sum, mut weight_sum) = (0f64, 0f64);
            for idx in batches {
                // Only the rows this batch touches enter the graph, as a leaf of their own.
                let dropped: Vec<PooledIds>;
                let refs: Vec<&PooledIds> = if opts.feature_dropout > 0.0 {
                    dropped = idx
                        .iter()
                        .map(|&i| drop_features(&rows[i], opts.feature_dropout as f32, &mut rng))
                        .collect();
                    dropped.iter().collect()
                } else {
                    idx.iter().map(|&i| &rows[i]).collect()
                };
                let (rows_used, local) = localize(&refs);
                let local_refs: Vec<&PooledIds> = local.iter().collect();
                let batch = Batch::from_pooled(&local_refs, device)?;
                let sub = Var::from_tensor(&Tensor::from_vec(
                    table.gather(&rows_used),
                    (rows_used.len(), dim),
                    device,
                )?)?;
                let targets: Vec<u32> = idx
                    .iter()
                    .map(|&i| train_set[i].label.index() as u32)
                    .collect();
                let ws: Vec<f32> = idx.iter().map(|&i| example_w[i]).collect();
                let wsum: f32 = ws.iter().sum();
                let targets = Tensor::from_vec(targets, (idx.len(), 1), device)?;
                let ws = Tensor::from_vec(ws, (idx.len(), 1), device)?;
                let logits = forward_logits(&sub, &weight, &bias, &batch)?;
                let logp = candle_nn::ops::log_softmax(&logits, D::Minus1)?.gather(&targets, 1)?;
                let loss = ((logp * ws)?.sum_all()? * (-1.0 / f64::from(wsum)))?;
                let lr = opts.lr * (1.0 - step as f64 / total_steps).max(0.0);
                opt.set_learning_rate(lr);
                let grads = loss.backward()?;
                opt.step(&grads)?;
                if let Some(g) = grads.get(&sub) {
                    let g = g.to_device(&Device::Cpu)?.flatten_all()?.to_vec1::<f32>()?;
                    table.update(&rows_used, &g, lr as f32);
                }
                step += 1;
                loss_sum += f64::from(loss.to_scalar::<f32>()?) * f64::from(wsum);
                weight_sum += f64::from(wsum);
            }
            let (valid_accuracy, valid_macro_f1) = if valid.is_empty() {
                (0.0, 0.0)
            } else {
                let w = Weights {
                    embedding: Tensor::from_slice(&table.values, (buckets, dim), device)?,
                    weight: weight.as_tensor().clone(),
                    bias: bias.as_tensor().clone(),
                };
                let m = metrics_of(&logits_of(&w, valid_rows, device)?, 1.0, valid);
                (m.accuracy, m.macro_f1)
            };
            on_progress(&Progress::Epoch {
                member,
                members: opts.ensemble,
                epoch,
                epochs: opts.epochs,
                loss: loss_sum / weight_sum.max(1e-12),
                valid_accuracy,
                valid_macro_f1,
                seconds: started.elapsed().as_secs_f64(),
            });
        }
        Ok(Params {
            embedding: table.values,
            weight: weight.as_tensor().flatten_all()?.to_vec1::<f32>()?,
            bias: bias.as_tensor().to_vec1::<f32>()?,
        })
    }
}

/// One member as it is; several as one model with the mean of their logits: `E` = the mean
/// of their `E·Wᵀ` tables (`[buckets, labels]`), `W` = the identity, `b` = the mean bias.
fn collapse(mut members: Vec<Params>, buckets: usize) -> Params {
    if members.len() == 1 {
        return members.remove(0);
    }
    let k = members.len() as f32;
    let mut table = vec![0.0f32; buckets * NUM_LABELS];
    let mut bias = [0.0f32; NUM_LABELS];
    for p in &members {
        let dim = p.weight.len() / NUM_LABELS;
        for (row, e) in table.chunks_exact_mut(NUM_LABELS).zip(p.embedding.chunks_exact(dim)) {
            for (l, t) in row.iter_mut().enumerate() {
                let w = &p.weight[l * dim..(l + 1) * dim];
                *t += e.iter().zip(w).map(|(a, b)| a * b).sum::<f32>() / k;
            }
        }
        for (b, pb) in bias.iter_mut().zip(&p.bias) {
            *b += pb / k;
        }
    }
    let mut identity = vec![0.0f32; NUM_LABELS * NUM_LABELS];
    for l in 0..NUM_LABELS {
        identity[l * NUM_LABELS + l] = 1.0;
    }
    Params {
        embedding: table,
        weight: identity,
        bias: bias.to_vec(),
    }
}

/// Candidate values of [`ModelConfig::short_scale`], in features (0: no tempering).
const SHORT_SCALES: [f32; 19] = [
    0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 20.0, 24.0, 28.0, 32.0, 40.0,
    48.0, 64.0,
];

/// Fits [`ModelConfig::short_scale`] of a trained `file`, its temperature fixed: the value
/// (from a grid) that minimises the summed NLL of `valid` and `short`, hand-written short
/// prompts. Validation prompts are long (none under 10 features in the bundled split), so
/// they cannot say how sure a one-word prompt should be; `short` does, and `valid` keeps the
/// fit from costing long prompts. Records the fit in the training metrics.
pub fn fit_short_scale(
    file: &mut ModelFile,
    valid: &[Record],
    short: &[Record],
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<()> {
    if short.is_empty() {
        return Ok(());
    }
    let featurizer = Featurizer::new(file.config.featurizer.clone())?;
    // (raw logits, feature count, gold) of every prompt, short ones first.
    let mut scratch = FeatureScratch::default();
    let mut ids = Vec::new();
    let mut rows = Vec::new();
    let mut counts = Vec::new();
    for r in short.iter().chain(valid) {
        featurizer.featurize(&r.text, &mut scratch, &mut ids);
        counts.push(ids.len().max(1) as f32);
        rows.push(PooledIds::new(&ids));
    }
    let logits = logits_of(&Weights::stored(file)?, &rows, &Device::Cpu)?;
    let gold: Vec<Label> = short.iter().chain(valid).map(|r| r.label).collect();
    let t = file.config.temperature;
    let nll = |scale: f32, range: std::ops::Range<usize>| -> f64 {
        range
            .map(|i| {
                let m = 1.0 + (scale / counts[i]).powi(2);
                -f64::from(softmax_t(&logits[i], t * m)[gold[i].index()])
                    .max(1e-12)
                    .ln()
            })
            .sum()
    };
    let best = SHORT_SCALES
        .into_iter()
        .map(|scale| (scale, nll(scale, 0..gold.len())))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(0.0, |(scale, _)| scale);
    let n = short.len() as f64;
    let (before, after) = (nll(0.0, 0..short.len()) / n, nll(best, 0..short.len()) / n);
    file.config.short_scale = (best > 0.0).then_some(best);
    if let Some(info) = file.config.training.as_mut() {
        info.metrics
            .insert("short_calib_nll_before".to_string(), before);
        info.metrics.insert("short_calib_nll".to_string(), after);
        info.metrics
            .insert("short_scale".to_string(), f64::from(best));
    }
    on_progress(&Progress::ShortTempered {
        scale: file.config.short_scale,
        examples: short.len(),
        nll_before: before,
        nll_after: after,
    });
    Ok(())
}

/// Hand-written short prompts in a data directory that [`fit_short_scale`] fits on; their
/// `eval.jsonl` sibling is for reports only.
pub const SHORT_CALIBRATION: &str = "short/calib.jsonl";

/// The records of a training run: `data_dir`'s train and valid splits plus `extra` files
/// (appended to train). The bundled splits are read strictly; user files go through
/// [`load_labelled_files`], so a malformed line fails with file, line and field and a line
/// with an unknown label is reported in [`TrainingData::extra_summary`], never lost silently.
pub struct TrainingData {
    /// Records to train on: the train split, then the extra files.
    pub train: Vec<Record>,
    /// Records to validate and calibrate on (empty without a valid split).
    pub valid: Vec<Record>,
    /// Files read, in order.
    pub files: Vec<PathBuf>,
    /// What the `extra` files held: read, kept, dropped by reason (`None` without extras).
    pub extra_summary: Option<UserSummary>,
    /// Short prompts to fit [`fit_short_scale`] on ([`SHORT_CALIBRATION`]; empty without).
    pub short_calibration: Vec<Record>,
}

/// The short prompts [`fit_short_scale`] fits on, from `data_dir`'s [`SHORT_CALIBRATION`]
/// file; empty when there is none. Read strictly (a bad line names file, line and field).
pub fn read_short_calibration(data_dir: &Path) -> Result<Vec<Record>> {
    let path = data_dir.join(SHORT_CALIBRATION);
    if path.is_file() {
        crate::data::read_jsonl_strict(&path)
    } else {
        Ok(Vec::new())
    }
}

/// Loads [`TrainingData`] from `data_dir` (`train.jsonl[.gz]`, `valid.jsonl[.gz]`) and `extra`.
pub fn load_training_data(data_dir: impl AsRef<Path>, extra: &[PathBuf]) -> Result<TrainingData> {
    let data_dir = data_dir.as_ref();
    let train_split = read_split(data_dir, Split::Train)?;
    let mut files = vec![train_split.path];
    let mut train = train_split.records;
    let valid = match try_read_split(data_dir, Split::Valid)? {
        Some(v) => {
            files.push(v.path);
            v.records
        }
        None => Vec::new(),
    };
    let extra_summary = if extra.is_empty() {
        None
    } else {
        let (records, summary) = load_labelled_files(extra)?;
        train.extend(records);
        files.extend(extra.iter().cloned());
        Some(summary)
    };
    let short_calibration = read_short_calibration(data_dir)?;
    if !short_calibration.is_empty() {
        files.push(data_dir.join(SHORT_CALIBRATION));
    }
    Ok(TrainingData {
        train,
        valid,
        files,
        extra_summary,
        short_calibration,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_stable_and_shuffle_is_a_permutation() {
        // SplitMix64 reference: the first output for seed 0.
        assert_eq!(Rng(0).next_u64(), 0xE220_A839_7B1D_CDAF);
        let mut v: Vec<usize> = (0..100).collect();
        Rng(7).shuffle(&mut v);
        let mut s = v.clone();
        s.sort_unstable();
        assert_eq!(s, (0..100).collect::<Vec<_>>());
        assert_ne!(v, s);
    }

    #[test]
    fn out_of_range_options_name_the_option() {
        assert!(TrainOptions::default().validate().is_ok());
        let cases = [
            (
                TrainOptions {
                    epochs: 0,
                    ..TrainOptions::default()
                },
                "epochs",
            ),
            (
                TrainOptions {
                    batch_size: 0,
                    ..TrainOptions::default()
                },
                "batch_size",
            ),
            (
                TrainOptions {
                    lr: f64::NAN,
                    ..TrainOptions::default()
                },
                "lr",
            ),
            (
                TrainOptions {
                    feature_dropout: 1.0,
                    ..TrainOptions::default()
                },
                "feature_dropout",
            ),
            (
                TrainOptions {
                    ensemble: 0,
                    ..TrainOptions::default()
                },
                "ensemble",
            ),
        ];
        for (opts, want) in cases {
            match opts.validate() {
                Err(Error::TrainOption { option, .. }) => assert_eq!(option, want),
                other => panic!("{want}: {other:?}"),
            }
        }
        let err = train(
            &[],
            &[],
            &TrainOptions::default(),
            &Device::Cpu,
            &mut |_| {},
        );
        assert!(matches!(err, Err(Error::EmptyTrainingSet)), "{err:?}");
    }

    #[test]
    fn temperature_fit_recovers_a_known_scale() {
        // Logits drawn so that the true temperature is 2: labels sampled from softmax(z / 2).
        let mut rng = Rng(1);
        let mut logits = Vec::new();
        let mut gold = Vec::new();
        for _ in 0..4000 {
            let z: [f32; NUM_LABELS] = std::array::from_fn(|_| rng.next_f32() * 8.0);
            let p = softmax_t(&z, 2.0);
            let u = rng.next_f32();
            let mut k = 0;
            let mut cum = p[0];
            while k + 1 < NUM_LABELS && u >= cum {
                k += 1;
                cum += p[k];
            }
            logits.push(z);
            gold.push(Label::ALL[k]);
        }
        let t = fit_temperature(&logits, &gold);
        assert!((1.7..2.3).contains(&t), "fitted {t}");
    }

    /// An ensemble's logits are the mean of its members' (each trained alone with its seed),
    /// up to the f16 rounding of the stored tables, and it is stored collapsed.
    #[test]
    fn an_ensemble_is_the_mean_of_its_members() {
        let texts = [
            ("plan the migration of our billing service over two quarters", Label::Planning),
            ("if a train leaves at 3pm at 60 mph when does it arrive", Label::Reasoning),
            ("complete this function def parse_date(s):", Label::CodeCompletion),
            ("translate to french: good morning everyone", Label::Other),
            ("schedule these five meetings around my constraints", Label::Planning),
            ("why is the sky blue, step by step", Label::Reasoning),
            ("write a rust function that reverses a string", Label::CodeCompletion),
            ("write a haiku about autumn leaves", Label::Other),
        ];
        let records: Vec<Record> = texts
            .iter()
            .enumerate()
            .map(|(i, (t, l))| Record {
                id: format!("t:{i}"),
                text: t.to_string(),
                label: *l,
                source: "t".into(),
                canary: None,
            })
            .collect();
        let opts = |seed, ensemble| TrainOptions {
            featurizer: FeaturizerConfig {
                buckets: 1 << 10,
                ..FeaturizerConfig::default()
            },
            dim: 8,
            epochs: 3,
            batch_size: 4,
            lr: 0.1,
            seed,
            ensemble,
            ..TrainOptions::default()
        };
        let fit = |o: &TrainOptions| train(&records, &records, o, &Device::Cpu, &mut |_| {}).unwrap();
        let (a, b, both) = (fit(&opts(5, 1)), fit(&opts(6, 1)), fit(&opts(5, 2)));
        assert_eq!((a.config.dim, both.config.dim), (8, NUM_LABELS));
        let f = Featurizer::new(opts(5, 1).featurizer).unwrap();
        let rows = featurize_all(&f, &records);
        let logits = |m: &ModelFile| logits_of(&Weights::stored(m).unwrap(), &rows, &Device::Cpu).unwrap();
        let (za, zb, z) = (logits(&a), logits(&b), logits(&both));
        let mut spread = 0.0f32;
        for ((za, zb), z) in za.iter().zip(&zb).zip(&z) {
            for k in 0..NUM_LABELS {
                let mean = (za[k] + zb[k]) / 2.0;
                assert!((z[k] - mean).abs() < 2e-3 + 2e-3 * mean.abs(), "{z:?} vs {za:?} and {zb:?}");
                spread = spread.max((za[k] - zb[k]).abs());
            }
        }
        assert!(spread > 1e-2, "the two members should differ ({spread})");
    }
}
