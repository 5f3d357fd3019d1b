//! Features → calibrated probabilities over [`Label::ALL`](crate::Label::ALL).
//!
//! The model is fastText-shaped: the hashed features of a prompt ([`crate::features`]) index
//! rows of an embedding table `E: [buckets, dim]`, the rows are averaged into `h: [dim]`, and a
//! linear layer gives logits `z = W h + b` (`W: [3, dim]`, `b: [3]`), turned into
//! probabilities by a softmax at the calibrated temperature `T`: `p = softmax(z / T)`.
//!
//! Two ways to run the same weights:
//! - [`Classifier::predict_batch`] runs the forward pass through candle (CPU, or CUDA with the
//!   `cuda` feature): pooling is `weights[B,1,L] · E[ids][B,L,dim]`, a batched matmul.
//! - [`Classifier::predict`] / [`Classifier::predict_with`] is the single-prompt hot path in plain
//!   Rust. Because the model is linear up to the softmax, `W mean(E[f]) = mean((E Wᵀ)[f])`, so
//!   at load time the table `E Wᵀ: [buckets, 3]` is precomputed and a prediction sums three
//!   floats per feature: no allocation beyond the caller's [`Scratch`], no locks, no threads.
//!   A test checks both paths agree within 1e-5 on the whole test split.
//!
//! A model directory holds `model.safetensors` (tensors `embedding` stored as f16,
//! `linear.weight`, `linear.bias` as f32; metadata repeats the featurizer settings and label
//! order) and `config.json` ([`ModelConfig`]). Both are checked against each other and this
//! build at load; any mismatch is an [`Error::Model`] naming the file and the problem.
//!
//! ```
//! use switchyard::classifier::Classifier;
//! use switchyard::Label;
//! let clf = Classifier::bundled().unwrap();
//! let p = clf.predict("Complete this function: def fizzbuzz(n):");
//! assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
//! assert_eq!(Label::argmax(&p), Label::CodeCompletion);
//! ```

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use candle_core::{DType, Device, Tensor, D};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::features::{FeatureScratch, FeatureSink, Featurizer, FeaturizerConfig};
use crate::label::{Label, Probs, NUM_LABELS};

/// `format` value of a model this build can read.
pub const MODEL_FORMAT: &str = "switchyard-fasttext-v1";
/// Weights file inside a model directory.
pub const WEIGHTS_FILE: &str = "model.safetensors";
/// Config file inside a model directory.
pub const CONFIG_FILE: &str = "config.json";

const T_EMBEDDING: &str = "embedding";
const T_WEIGHT: &str = "linear.weight";
const T_BIAS: &str = "linear.bias";

/// How a model was trained: provenance written by [`crate::train`], shown by `eval`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainingInfo {
    /// RNG seed of initialisation and shuffling.
    pub seed: u64,
    /// Epochs run.
    pub epochs: usize,
    /// Training examples seen per epoch.
    pub examples: usize,
    /// FNV-1a 64 (hex) over the training records' ids, labels and texts, in file order.
    pub data_fingerprint: String,
    /// The data files trained on.
    pub data_files: Vec<String>,
    /// Wall-clock training time, seconds.
    pub seconds: f64,
    /// Validation metrics (accuracy, macro_f1, ece, nll, ...).
    pub metrics: BTreeMap<String, f64>,
}

/// `config.json` of a model directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelConfig {
    /// Always [`MODEL_FORMAT`].
    pub format: String,
    /// Label order of the output rows; must equal [`Label::ALL`].
    pub labels: Vec<Label>,
    /// Featurizer settings the weights were trained with.
    pub featurizer: FeaturizerConfig,
    /// Embedding width.
    pub dim: usize,
    /// Softmax temperature fitted on the validation split (1.0 = uncalibrated).
    pub temperature: f32,
    /// Provenance; absent for hand-built models.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training: Option<TrainingInfo>,
}

impl ModelConfig {
    /// A fresh config for `featurizer` and `dim`, temperature 1.
    pub fn new(featurizer: FeaturizerConfig, dim: usize) -> Self {
        ModelConfig {
            format: MODEL_FORMAT.to_string(),
            labels: Label::ALL.to_vec(),
            featurizer,
            dim,
            temperature: 1.0,
            training: None,
        }
    }
}

/// The model tensors (f32, on any device).
#[derive(Clone, Debug)]
pub struct Weights {
    /// `[buckets, dim]`
    pub embedding: Tensor,
    /// `[3, dim]`
    pub weight: Tensor,
    /// `[3]`
    pub bias: Tensor,
}

/// Per-thread buffers for [`Classifier::predict_with`].
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    features: FeatureScratch,
}

/// One prompt's distinct bucket ids with pooling weights `count / total` (summing to 1).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PooledIds {
    /// Distinct bucket ids, ascending.
    pub ids: Vec<u32>,
    /// Weight of each id in the mean.
    pub weights: Vec<f32>,
}

impl PooledIds {
    /// Reduces a prompt's bucket ids (with repeats) to distinct ids and weights.
    pub fn new(features: &[u32]) -> PooledIds {
        let mut sorted = features.to_vec();
        sorted.sort_unstable();
        let inv = 1.0 / features.len().max(1) as f32;
        let mut out = PooledIds::default();
        for chunk in sorted.chunk_by(|a, b| a == b) {
            out.ids.push(chunk[0]);
            out.weights.push(chunk.len() as f32 * inv);
        }
        out
    }
}

/// A padded batch of featurised prompts for the candle forward pass.
///
/// Each prompt's bucket ids are de-duplicated and weighted by `count / total`, so the
/// weighted sum of embedding rows is the mean over all its features.
#[derive(Debug)]
pub struct Batch {
    /// `[B * L]` u32 bucket ids (padding uses id 0 with weight 0).
    pub ids: Tensor,
    /// `[B, 1, L]` f32 pooling weights.
    pub weights: Tensor,
    /// Prompts in the batch.
    pub len: usize,
    /// Padded length.
    pub width: usize,
}

impl Batch {
    /// Builds a batch from per-prompt bucket ids (any order, duplicates allowed).
    pub fn new(features: &[&[u32]], device: &Device) -> Result<Batch> {
        let rows: Vec<PooledIds> = features.iter().map(|f| PooledIds::new(f)).collect();
        let refs: Vec<&PooledIds> = rows.iter().collect();
        Batch::from_pooled(&refs, device)
    }

    /// Builds a batch from prompts already reduced by [`PooledIds::new`].
    pub fn from_pooled(rows: &[&PooledIds], device: &Device) -> Result<Batch> {
        let rows: Vec<(&[u32], &[f32])> = rows
            .iter()
            .map(|r| (r.ids.as_slice(), r.weights.as_slice()))
            .collect();
        let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(1);
        let mut ids = vec![0u32; rows.len() * width];
        let mut ws = vec![0f32; rows.len() * width];
        for (i, (ri, rw)) in rows.iter().enumerate() {
            ids[i * width..i * width + ri.len()].copy_from_slice(ri);
            ws[i * width..i * width + rw.len()].copy_from_slice(rw);
        }
        let len = rows.len();
        Ok(Batch {
            ids: Tensor::from_vec(ids, len * width, device)?,
            weights: Tensor::from_vec(ws, (len, 1, width), device)?,
            len,
            width,
        })
    }
}

/// Uncalibrated logits `[B, 3]` of a batch: `W (weights · E[ids]) + b`.
pub fn forward_logits(
    embedding: &Tensor,
    weight: &Tensor,
    bias: &Tensor,
    batch: &Batch,
) -> Result<Tensor> {
    let dim = embedding.dim(1)?;
    let rows = embedding
        .index_select(&batch.ids, 0)?
        .reshape((batch.len, batch.width, dim))?;
    let pooled = batch.weights.matmul(&rows)?.squeeze(1)?;
    Ok(pooled.matmul(&weight.t()?)?.broadcast_add(bias)?)
}

/// A loaded, immutable classifier; cheap to clone and share (`Send + Sync`).
#[derive(Clone)]
pub struct Classifier {
    inner: Arc<Inner>,
}

struct Inner {
    config: ModelConfig,
    featurizer: Featurizer,
    weights: Weights,
    /// `E Wᵀ` per bucket, padded to 4 lanes.
    table: Vec<[f32; 4]>,
    bias: [f32; NUM_LABELS],
    inv_temperature: f32,
    fingerprint: String,
    /// The serialised weights file, as saved.
    safetensors: Vec<u8>,
}

impl fmt::Debug for Classifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Classifier")
            .field("fingerprint", &self.inner.fingerprint)
            .field("buckets", &self.inner.config.featurizer.buckets)
            .field("dim", &self.inner.config.dim)
            .field("temperature", &self.inner.config.temperature)
            .finish()
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

static BUNDLED: OnceLock<std::result::Result<Classifier, String>> = OnceLock::new();

/// The default model, embedded in the binary with `include_bytes!` so it works from any
/// directory with zero configuration (about 8 MB of the binary).
const BUNDLED_WEIGHTS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/models/default/model.safetensors"
));
const BUNDLED_CONFIG: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/models/default/config.json"
));

fn model_err(path: &Path, msg: impl Into<String>) -> Error {
    Error::Model {
        path: path.to_path_buf(),
        msg: msg.into(),
    }
}

/// FNV-1a 64 as lowercase hex; used for weight and data fingerprints.
pub fn fnv1a_hex(chunks: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in chunks {
        for &b in *c {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

struct RawTensor {
    dtype: safetensors::Dtype,
    shape: Vec<usize>,
    data: Vec<u8>,
}

impl safetensors::View for &RawTensor {
    fn dtype(&self) -> safetensors::Dtype {
        self.dtype
    }
    fn shape(&self) -> &[usize] {
        &self.shape
    }
    fn data(&self) -> std::borrow::Cow<'_, [u8]> {
        std::borrow::Cow::Borrowed(&self.data)
    }
    fn data_len(&self) -> usize {
        self.data.len()
    }
}

fn f32_bytes(t: &Tensor) -> Result<Vec<u8>> {
    let v = t.flatten_all()?.to_dtype(DType::F32)?.to_vec1::<f32>()?;
    Ok(v.iter().flat_map(|x| x.to_le_bytes()).collect())
}

fn f16_bytes(t: &Tensor) -> Result<Vec<u8>> {
    let v = t.flatten_all()?.to_dtype(DType::F32)?.to_vec1::<f32>()?;
    Ok(v.iter()
        .flat_map(|&x| half::f16::from_f32(x).to_le_bytes())
        .collect())
}

fn metadata(config: &ModelConfig) -> HashMap<String, String> {
    let labels: Vec<&str> = config.labels.iter().map(|l| l.as_str()).collect();
    HashMap::from([
        ("format".to_string(), config.format.clone()),
        ("labels".to_string(), labels.join(",")),
        (
            "featurizer".to_string(),
            serde_json::to_string(&config.featurizer).unwrap_or_default(),
        ),
        ("dim".to_string(), config.dim.to_string()),
    ])
}

impl Classifier {
    /// Loads a model directory (`model.safetensors` + `config.json`).
    pub fn load(dir: &Path) -> Result<Self> {
        let cpath = dir.join(CONFIG_FILE);
        let wpath = dir.join(WEIGHTS_FILE);
        let read = |p: &Path| {
            std::fs::read(p).map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    model_err(
                        p,
                        "missing (a model directory holds model.safetensors and config.json)",
                    )
                } else {
                    Error::io(p, e)
                }
            })
        };
        let config = read(&cpath)?;
        let weights = read(&wpath)?;
        Self::from_bytes(&config, &weights, dir)
    }

    /// The default model bundled with the crate (parsed once per process, then shared).
    pub fn bundled() -> Result<Self> {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/models/default"));
        BUNDLED
            .get_or_init(|| {
                Self::from_bytes(BUNDLED_CONFIG, BUNDLED_WEIGHTS, dir).map_err(|e| e.to_string())
            })
            .clone()
            .map_err(|msg| model_err(Path::new("<bundled models/default>"), msg))
    }

    /// Parses a model from the bytes of its two files; `dir` names them in errors.
    pub fn from_bytes(config_json: &[u8], safetensors_bytes: &[u8], dir: &Path) -> Result<Self> {
        let cpath = dir.join(CONFIG_FILE);
        let wpath = dir.join(WEIGHTS_FILE);
        let config: ModelConfig = serde_json::from_slice(config_json)
            .map_err(|e| model_err(&cpath, format!("invalid config: {e}")))?;
        if config.format != MODEL_FORMAT {
            return Err(model_err(
                &cpath,
                format!(
                    "format {:?} is not supported (expected {MODEL_FORMAT:?})",
                    config.format
                ),
            ));
        }
        if config.labels != Label::ALL {
            return Err(model_err(
                &cpath,
                format!(
                    "label order {:?} differs from this build's {:?}",
                    config.labels,
                    Label::ALL
                ),
            ));
        }
        if !(config.temperature.is_finite() && config.temperature > 0.0) {
            return Err(model_err(
                &cpath,
                format!("temperature {} is not positive", config.temperature),
            ));
        }
        let featurizer = Featurizer::new(config.featurizer.clone())
            .map_err(|e| model_err(&cpath, e.to_string()))?;

        let st = safetensors::SafeTensors::deserialize(safetensors_bytes).map_err(|e| {
            model_err(
                &wpath,
                format!("not a valid safetensors file (truncated?): {e}"),
            )
        })?;
        let (_, header) = safetensors::SafeTensors::read_metadata(safetensors_bytes)
            .map_err(|e| model_err(&wpath, format!("unreadable header: {e}")))?;
        let meta = header.metadata().clone().unwrap_or_default();
        let expected = metadata(&config);
        for key in ["format", "labels", "featurizer", "dim"] {
            let (got, want) = (meta.get(key), expected.get(key));
            let same = match key {
                "featurizer" => {
                    got.and_then(|g| serde_json::from_str::<FeaturizerConfig>(g).ok())
                        .as_ref()
                        == Some(&config.featurizer)
                }
                _ => got == want,
            };
            if !same {
                return Err(model_err(
                    &wpath,
                    format!(
                        "metadata {key} = {} does not match config.json ({})",
                        got.map_or("<missing>", String::as_str),
                        want.map_or("", String::as_str)
                    ),
                ));
            }
        }
        let buckets = config.featurizer.buckets as usize;
        let tensor = |name: &str, shape: &[usize]| -> Result<Tensor> {
            let view = st
                .tensor(name)
                .map_err(|e| model_err(&wpath, format!("tensor {name}: {e}")))?;
            if view.shape() != shape {
                return Err(model_err(
                    &wpath,
                    format!(
                        "tensor {name} has shape {:?}, config.json implies {shape:?}",
                        view.shape()
                    ),
                ));
            }
            let dtype = match view.dtype() {
                safetensors::Dtype::F16 => DType::F16,
                safetensors::Dtype::F32 => DType::F32,
                other => {
                    return Err(model_err(
                        &wpath,
                        format!("tensor {name} has dtype {other:?}"),
                    ))
                }
            };
            let t = Tensor::from_raw_buffer(view.data(), dtype, shape, &Device::Cpu)?
                .to_dtype(DType::F32)?;
            let finite = t
                .flatten_all()?
                .to_vec1::<f32>()?
                .iter()
                .all(|x| x.is_finite());
            if !finite {
                return Err(model_err(
                    &wpath,
                    format!("tensor {name} holds non-finite values"),
                ));
            }
            Ok(t)
        };
        let weights = Weights {
            embedding: tensor(T_EMBEDDING, &[buckets, config.dim])?,
            weight: tensor(T_WEIGHT, &[NUM_LABELS, config.dim])?,
            bias: tensor(T_BIAS, &[NUM_LABELS])?,
        };
        // Over content, not file bytes: safetensors writes metadata in hash-map order.
        let mut parts: Vec<&[u8]> = Vec::new();
        let sorted: BTreeMap<&String, &String> = meta.iter().collect();
        for (k, v) in &sorted {
            parts.extend([k.as_bytes(), b"=", v.as_bytes(), b"\n"]);
        }
        let views: Vec<_> = [T_EMBEDDING, T_WEIGHT, T_BIAS]
            .iter()
            .filter_map(|n| st.tensor(n).ok())
            .collect();
        parts.extend(views.iter().map(|v| v.data()));
        let fingerprint = fnv1a_hex(&parts);
        Self::assemble(
            config,
            featurizer,
            weights,
            fingerprint,
            safetensors_bytes.to_vec(),
        )
    }

    /// Builds a classifier from freshly trained weights. The embedding is rounded to f16 (the
    /// stored precision) first, so the result predicts exactly what its saved copy will.
    pub fn from_weights(config: ModelConfig, weights: &Weights) -> Result<Self> {
        config.featurizer.validate()?;
        let buckets = config.featurizer.buckets as usize;
        let check = |name: &str, t: &Tensor, shape: &[usize]| {
            if t.dims() != shape {
                Err(Error::Invalid {
                    what: "model weights".into(),
                    msg: format!("{name} has shape {:?}, expected {shape:?}", t.dims()),
                })
            } else {
                Ok(())
            }
        };
        check(T_EMBEDDING, &weights.embedding, &[buckets, config.dim])?;
        check(T_WEIGHT, &weights.weight, &[NUM_LABELS, config.dim])?;
        check(T_BIAS, &weights.bias, &[NUM_LABELS])?;
        let raw = |dtype, t: &Tensor, data| RawTensor {
            dtype,
            shape: t.dims().to_vec(),
            data,
        };
        let tensors = [
            (
                T_EMBEDDING,
                raw(
                    safetensors::Dtype::F16,
                    &weights.embedding,
                    f16_bytes(&weights.embedding)?,
                ),
            ),
            (
                T_WEIGHT,
                raw(
                    safetensors::Dtype::F32,
                    &weights.weight,
                    f32_bytes(&weights.weight)?,
                ),
            ),
            (
                T_BIAS,
                raw(
                    safetensors::Dtype::F32,
                    &weights.bias,
                    f32_bytes(&weights.bias)?,
                ),
            ),
        ];
        let bytes = safetensors::serialize(
            tensors.iter().map(|(n, t)| (*n, t)),
            &Some(metadata(&config)),
        )
        .map_err(|e| Error::Invalid {
            what: "model weights".into(),
            msg: e.to_string(),
        })?;
        let config_json = serde_json::to_vec_pretty(&config).map_err(|e| Error::Invalid {
            what: "model config".into(),
            msg: e.to_string(),
        })?;
        Self::from_bytes(&config_json, &bytes, Path::new("<in memory>"))
    }

    fn assemble(
        config: ModelConfig,
        featurizer: Featurizer,
        weights: Weights,
        fingerprint: String,
        safetensors: Vec<u8>,
    ) -> Result<Self> {
        let proj = weights
            .embedding
            .matmul(&weights.weight.t()?)?
            .to_vec2::<f32>()?;
        let table = proj.iter().map(|r| [r[0], r[1], r[2], 0.0]).collect();
        let b = weights.bias.to_vec1::<f32>()?;
        Ok(Classifier {
            inner: Arc::new(Inner {
                inv_temperature: 1.0 / config.temperature,
                bias: [b[0], b[1], b[2]],
                config,
                featurizer,
                weights,
                table,
                fingerprint,
                safetensors,
            }),
        })
    }

    /// Writes `model.safetensors` and `config.json` into `dir` (created if needed).
    pub fn save(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let wpath = dir.join(WEIGHTS_FILE);
        std::fs::write(&wpath, &self.inner.safetensors).map_err(|e| Error::io(&wpath, e))?;
        let cpath = dir.join(CONFIG_FILE);
        let mut json =
            serde_json::to_string_pretty(&self.inner.config).map_err(|e| Error::Invalid {
                what: "model config".into(),
                msg: e.to_string(),
            })?;
        json.push('\n');
        std::fs::write(&cpath, json).map_err(|e| Error::io(&cpath, e))
    }

    /// A copy with a different config (e.g. a fitted temperature or provenance); the
    /// featurizer, dim and labels must stay the same.
    pub fn with_config(&self, config: ModelConfig) -> Result<Self> {
        let old = &self.inner.config;
        if config.featurizer != old.featurizer
            || config.dim != old.dim
            || config.labels != old.labels
        {
            return Err(Error::Invalid {
                what: "model config".into(),
                msg: "featurizer, dim and labels are fixed by the weights".into(),
            });
        }
        let config_json = serde_json::to_vec(&config).map_err(|e| Error::Invalid {
            what: "model config".into(),
            msg: e.to_string(),
        })?;
        Self::from_bytes(
            &config_json,
            &self.inner.safetensors,
            Path::new("<in memory>"),
        )
    }

    /// The model's config (featurizer, temperature, provenance).
    pub fn config(&self) -> &ModelConfig {
        &self.inner.config
    }

    /// The featurizer the weights were trained with.
    pub fn featurizer(&self) -> &Featurizer {
        &self.inner.featurizer
    }

    /// The model tensors (f32, CPU).
    pub fn weights(&self) -> &Weights {
        &self.inner.weights
    }

    /// FNV-1a 64 (hex) over the weights' metadata and tensor data: tells which weights
    /// produced a decision, and is equal for equal weights however they were saved.
    pub fn fingerprint(&self) -> &str {
        &self.inner.fingerprint
    }

    /// Probabilities over the labels for one prompt; never panics, finite, sums to 1.
    /// Uses a thread-local [`Scratch`].
    pub fn predict(&self, text: &str) -> Probs {
        SCRATCH
            .try_with(|s| match s.try_borrow_mut() {
                Ok(mut s) => self.predict_with(text, &mut s),
                Err(_) => self.predict_with(text, &mut Scratch::default()),
            })
            .unwrap_or_else(|_| self.predict_with(text, &mut Scratch::default()))
    }

    /// [`Classifier::predict`] with caller-owned buffers: allocation-free once `scratch`
    /// has grown to the truncation budget.
    pub fn predict_with(&self, text: &str, scratch: &mut Scratch) -> Probs {
        let inner = &*self.inner;
        let sum = Accumulator {
            table: &inner.table,
            acc: [0.0; 4],
            n: 0,
        };
        let sum = inner.featurizer.feed(text, &mut scratch.features, sum);
        self.finish(sum.acc, sum.n)
    }

    /// Probabilities for an already featurised prompt (its bucket ids, with repeats): the
    /// classify half of the hot path, for callers that cache features.
    pub fn predict_features(&self, ids: &[u32]) -> Probs {
        let mut sum = Accumulator {
            table: &self.inner.table,
            acc: [0.0; 4],
            n: 0,
        };
        for &b in ids {
            sum.feature(b);
        }
        self.finish(sum.acc, sum.n)
    }

    fn finish(&self, acc: [f32; 4], n: usize) -> Probs {
        let inner = &*self.inner;
        let inv_n = 1.0 / n.max(1) as f32;
        let mut z = [0f32; NUM_LABELS];
        for k in 0..NUM_LABELS {
            z[k] = (acc[k] * inv_n + inner.bias[k]) * inner.inv_temperature;
        }
        softmax(z)
    }

    /// Calibrated probabilities for many prompts through the candle forward pass on `device`.
    /// Runs candle on the calling thread; do not call it from inside a rayon pool unless
    /// candle's thread count is 1.
    pub fn predict_batch(&self, texts: &[&str], device: &Device) -> Result<Vec<Probs>> {
        const CHUNK: usize = 512;
        let w = &self.inner.weights;
        let (emb, weight, bias) = (
            w.embedding.to_device(device)?,
            w.weight.to_device(device)?,
            w.bias.to_device(device)?,
        );
        let mut out = Vec::with_capacity(texts.len());
        let mut scratch = FeatureScratch::default();
        for chunk in texts.chunks(CHUNK) {
            let feats: Vec<Vec<u32>> = chunk
                .iter()
                .map(|t| {
                    let mut v = Vec::new();
                    self.inner.featurizer.featurize(t, &mut scratch, &mut v);
                    v
                })
                .collect();
            let refs: Vec<&[u32]> = feats.iter().map(Vec::as_slice).collect();
            let batch = Batch::new(&refs, device)?;
            let logits = forward_logits(&emb, &weight, &bias, &batch)?;
            let probs = candle_nn::ops::softmax(
                &(logits * f64::from(self.inner.inv_temperature))?,
                D::Minus1,
            )?;
            for row in probs.to_device(&Device::Cpu)?.to_vec2::<f32>()? {
                out.push([row[0], row[1], row[2]]);
            }
        }
        Ok(out)
    }
}

/// Sums rows of the `E Wᵀ` table; passed by value through the featurizer so the sums stay
/// in registers.
struct Accumulator<'a> {
    table: &'a [[f32; 4]],
    acc: [f32; 4],
    n: usize,
}

impl FeatureSink for Accumulator<'_> {
    #[inline(always)]
    fn feature(&mut self, bucket: u32) {
        if let Some(row) = self.table.get(bucket as usize) {
            for (a, r) in self.acc.iter_mut().zip(row) {
                *a += r;
            }
        }
        self.n += 1;
    }
}

/// Numerically stable softmax of three finite logits.
fn softmax(z: [f32; NUM_LABELS]) -> Probs {
    let m = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut e = [0f32; NUM_LABELS];
    let mut sum = 0.0;
    for k in 0..NUM_LABELS {
        e[k] = (z[k] - m).exp();
        sum += e[k];
    }
    for v in &mut e {
        *v /= sum;
    }
    e
}

/// The candle device named `cpu` or `cuda` (`cuda` needs the `cuda` cargo feature).
pub fn device_from_name(name: &str) -> Result<Device> {
    match name {
        "cpu" => Ok(Device::Cpu),
        "cuda" if cfg!(feature = "cuda") => Ok(Device::new_cuda(0)?),
        "cuda" => Err(Error::Invalid {
            what: "device".into(),
            msg: "cuda: this build has no CUDA support (rebuild with `--features cuda`)".into(),
        }),
        other => Err(Error::Invalid {
            what: "device".into(),
            msg: format!("{other:?} (expected cpu or cuda)"),
        }),
    }
}
