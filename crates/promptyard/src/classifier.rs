//! Features → calibrated probabilities over [`Label::ALL`](crate::Label::ALL).
//!
//! The model is fastText-shaped: the hashed features of a prompt ([`crate::features`]) index
//! rows of an embedding table `E: [buckets, dim]`, the rows are averaged into `h: [dim]`, and a
//! linear layer gives logits `z = W h + b` (`W: [labels, dim]`, `b: [labels]`), turned into
//! probabilities by a softmax at the calibrated temperature `T`: `p = softmax(z / T)`.
//!
//! Because the model is linear up to the softmax, `W mean(E[f]) = mean((E Wᵀ)[f])`, so at load
//! time the table `E Wᵀ: [buckets, labels]` is computed once and a prediction sums four floats
//! per feature (one 4-byte fixed-point row): no allocation beyond the caller's [`Scratch`], no
//! locks, no threads. Only that table (1 MiB for 2^18 buckets) and the bias stay resident; the
//! file's bytes and the embedding are dropped after loading.
//!
//! A three-label model ([`Label::LEGACY`](crate::Label::LEGACY)) loads with a zero `other`
//! column and an `other` bias of `-inf`, so it predicts `other` with probability exactly 0 and
//! the other three as it always did.
//!
//! With the `candle` feature, `BatchEngine` runs the same table through candle for large
//! batches, on CPU or (with `cuda`) a GPU; it agrees with the plain-Rust path within 1e-5.
//!
//! ```
//! use promptyard::classifier::Classifier;
//! use promptyard::Label;
//! let clf = Classifier::bundled().unwrap();
//! let p = clf.predict("Complete this function: def fizzbuzz(n):");
//! assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
//! assert_eq!(Label::argmax(&p), Label::CodeCompletion);
//! ```

use std::cell::RefCell;
use std::fmt;
use std::mem::MaybeUninit;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::error::{Error, Result};
use crate::features::{FeatureScratch, FeatureSink, Featurizer};
use crate::hash::Fingerprint;
use crate::label::{softmax, Label, Probs, NUM_LABELS};
use crate::model::{ModelConfig, ModelFile};
use crate::scratch::with_local;

#[cfg(feature = "candle")]
mod candle;
#[cfg(feature = "candle")]
pub use self::candle::{device_from_name, Batch, BatchEngine};

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

/// A loaded, immutable classifier; cheap to clone and share (`Send + Sync`).
#[derive(Clone)]
pub struct Classifier {
    inner: Arc<Inner>,
}

struct Inner {
    config: ModelConfig,
    featurizer: Featurizer,
    /// `E·Wᵀ` per bucket, one lane per label (a three-label model's `other` lane is 0), as
    /// fixed point: entry `q` stands for `q · scale[k]`. A quarter of the bytes of f32 rows
    /// (1 MiB for 2^18 buckets, which sits in this machine's 2 MiB L2 with room to spare: the
    /// rows a prompt reads are scattered, so the gather waits on memory), and the sum over a
    /// prompt's features is exact in `i32` ([`quantize`]); rounding moves a row's entry by at
    /// most `scale / 2` and the mean over many features by far less. Measured against `i16`
    /// rows: accuracy, macro-F1, ECE and NLL equal to four decimals on the test, validation,
    /// gateway, confusion and short-prompt sets (`tests/all/classifier_quantized.rs` holds
    /// it to the exact f32 model).
    table: Vec<[i8; NUM_LABELS]>,
    scale: [f32; NUM_LABELS],
    bias: [f32; NUM_LABELS],
    inv_temperature: f32,
    /// `short_scale²` of the config (0 without one): see [`Classifier::finish`].
    short_scale_sq: f32,
    fingerprint: Fingerprint,
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
    /// Buffers of [`Classifier::predict_then`], apart from `SCRATCH` so `then` may classify.
    static RECORDED: RefCell<(Scratch, Vec<u32>)> = RefCell::default();
}

static BUNDLED: OnceLock<std::result::Result<Classifier, String>> = OnceLock::new();

impl Classifier {
    /// Loads a model directory (`model.safetensors` + `config.json`).
    pub fn load(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref();
        Self::from_file(&ModelFile::load(dir)?, dir)
    }

    /// The default model bundled with the crate (parsed once per process, then shared).
    pub fn bundled() -> Result<Self> {
        BUNDLED
            .get_or_init(|| {
                ModelFile::bundled()
                    .and_then(|f| Self::from_file(&f, Path::new("<bundled models/default>")))
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(|msg| Error::Model {
                path: "<bundled models/default>".into(),
                msg,
            })
    }

    /// Parses a model from the bytes of its two files; `dir` names them in errors.
    pub fn from_bytes(
        config_json: &[u8],
        safetensors_bytes: &[u8],
        dir: impl AsRef<Path>,
    ) -> Result<Self> {
        let dir = dir.as_ref();
        Self::from_file(
            &ModelFile::from_bytes(config_json, safetensors_bytes, dir)?,
            dir,
        )
    }

    /// Projects a parsed model file into the table the hot path reads.
    pub fn from_file(file: &ModelFile, dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref();
        let config = file.config.clone();
        let featurizer = Featurizer::new(config.featurizer.clone()).map_err(|e| Error::Model {
            path: dir.join(crate::model::CONFIG_FILE),
            msg: e.to_string(),
        })?;
        let dim = config.dim;
        let labels = config.num_labels();
        let w = &file.weight;
        let mut row = vec![0f32; dim];
        let mut table = Vec::with_capacity(file.embedding.len() / dim.max(1));
        let mut finite = true;
        for e in file.embedding.chunks_exact(dim) {
            for (r, x) in row.iter_mut().zip(e) {
                *r = x.to_f32();
            }
            let mut out = [0f32; NUM_LABELS];
            for (k, o) in out.iter_mut().take(labels).enumerate() {
                *o = row
                    .iter()
                    .zip(&w[k * dim..(k + 1) * dim])
                    .map(|(a, b)| a * b)
                    .sum();
                finite &= o.is_finite();
            }
            table.push(out);
        }
        if !finite {
            return Err(Error::Model {
                path: dir.join(crate::model::WEIGHTS_FILE),
                msg: "the weights overflow f32 once multiplied out (E·Wᵀ is not finite)".into(),
            });
        }
        // A label the model lacks gets logit -inf: probability exactly 0 after the softmax.
        let bias: [f32; NUM_LABELS] =
            std::array::from_fn(|k| file.bias.get(k).copied().unwrap_or(f32::NEG_INFINITY));
        let inv_temperature = 1.0 / config.temperature;
        check_logit_range(&table, &bias, inv_temperature, &config.featurizer).map_err(|msg| {
            Error::Model {
                path: dir.join(crate::model::WEIGHTS_FILE),
                msg,
            }
        })?;
        let (table, scale) = quantize(&table, max_features(&config.featurizer));
        Ok(Classifier {
            inner: Arc::new(Inner {
                scale,
                inv_temperature,
                short_scale_sq: config.short_scale.map_or(0.0, |s| s * s),
                bias,
                fingerprint: file.fingerprint_inline(),
                config,
                featurizer,
                table,
            }),
        })
    }

    /// The model's config (featurizer, temperature, provenance).
    pub fn config(&self) -> &ModelConfig {
        &self.inner.config
    }

    /// The featurizer the weights were trained with.
    pub fn featurizer(&self) -> &Featurizer {
        &self.inner.featurizer
    }

    /// FNV-1a 64 (hex) over the weights' metadata, tensor data and temperature: tells which
    /// model produced a decision, and is equal for equal models however they were saved.
    pub fn fingerprint(&self) -> &str {
        self.inner.fingerprint.as_str()
    }

    /// [`Classifier::fingerprint`] by value, for decisions to carry.
    pub(crate) fn fingerprint_inline(&self) -> Fingerprint {
        self.inner.fingerprint
    }

    /// Bytes the classifier keeps resident (the `E Wᵀ` table and bias), for capacity planning.
    pub fn resident_bytes(&self) -> usize {
        std::mem::size_of_val(self.inner.table.as_slice()) + std::mem::size_of::<Inner>()
    }

    /// Probabilities over the labels for one prompt; never panics, finite, sums to 1.
    /// Uses a thread-local [`Scratch`].
    pub fn predict(&self, text: &str) -> Probs {
        with_local(&SCRATCH, |s| self.predict_with(text, s))
    }

    /// [`Classifier::predict`] with caller-owned buffers: allocation-free once `scratch`
    /// has grown to the truncation budget.
    pub fn predict_with(&self, text: &str, scratch: &mut Scratch) -> Probs {
        let inner = &*self.inner;
        let (acc, n) = match <&FixedTable>::try_from(inner.table.as_slice()) {
            Ok(table) => inner
                .featurizer
                .feed(text, &mut scratch.features, Accumulator::new(table))
                .sums(),
            Err(_) => inner
                .featurizer
                .feed(
                    text,
                    &mut scratch.features,
                    Accumulator::new(inner.table.as_slice()),
                )
                .sums(),
        };
        self.finish(acc, n)
    }

    /// [`Classifier::predict`] that also hands the prompt's bucket ids (with repeats, in the
    /// featurizer's order) to `then`, so a later stage reading the same features (the
    /// per-prompt adequacy model) need not featurize the prompt again. The ids are those of
    /// [`Classifier::featurizer`]; [`Classifier::predict_features`] of them gives the same
    /// probabilities. Uses a thread-local buffer: allocation-free once it has grown.
    pub fn predict_then<R>(&self, text: &str, mut then: impl FnMut(Probs, &[u32]) -> R) -> R {
        with_local(&RECORDED, |(scratch, ids)| {
            let probs = self.predict_recording(text, scratch, ids);
            then(probs, ids)
        })
    }

    /// [`Classifier::predict_with`] that also writes the prompt's bucket ids into `ids`
    /// (cleared first): one featurization for the classifier and whoever reads `ids` next.
    pub fn predict_recording(
        &self,
        text: &str,
        scratch: &mut Scratch,
        ids: &mut Vec<u32>,
    ) -> Probs {
        let inner = &*self.inner;
        // Room for every feature the prompt can have, reserved once per buffer: ids are then
        // written through a counter kept in a register, not pushed (a push stores the
        // length back and the next push reloads it, a chain through memory per feature).
        ids.clear();
        ids.reserve(max_features(inner.featurizer.config()) as usize);
        let spare = ids.spare_capacity_mut();
        let (acc, n, written) = match <&FixedTable>::try_from(inner.table.as_slice()) {
            Ok(table) => inner
                .featurizer
                .feed(text, &mut scratch.features, Recorder::new(table, spare))
                .finish(),
            Err(_) => inner
                .featurizer
                .feed(
                    text,
                    &mut scratch.features,
                    Recorder::new(inner.table.as_slice(), spare),
                )
                .finish(),
        };
        // SAFETY: the recorder initialised the first `written` slots of the spare capacity
        // (`written` ≤ its length; see `Recorder::feature`).
        unsafe { ids.set_len(written) };
        debug_assert_eq!(written, n, "more features than max_features allows");
        self.finish(acc, n)
    }

    /// Probabilities for an already featurised prompt (its bucket ids, with repeats): the
    /// classify half of the hot path, for callers that cache features.
    pub fn predict_features(&self, ids: &[u32]) -> Probs {
        let mut sum = Accumulator::new(self.inner.table.as_slice());
        for &b in ids {
            sum.feature(b);
        }
        self.finish(sum.acc, sum.n)
    }

    /// Logits from the summed rows of `n` features, then the softmax at the prompt's
    /// temperature: the fitted one, raised for short prompts by `1 + (short_scale / n)²`
    /// ([`ModelConfig::short_scale`]; exactly the fitted one when the model has none).
    fn finish(&self, acc: [i32; NUM_LABELS], n: usize) -> Probs {
        let inner = &*self.inner;
        let inv_n = 1.0 / n.max(1) as f32;
        let inv_t = inner.inv_temperature / short_temper(inner.short_scale_sq, inv_n);
        let mut z = [0f32; NUM_LABELS];
        for k in 0..NUM_LABELS {
            z[k] = (acc[k] as f32 * inner.scale[k] * inv_n + inner.bias[k]) * inv_t;
        }
        softmax(z)
    }

    /// `short_scale²` (0 without short-prompt tempering), for the batch engine.
    #[cfg(feature = "candle")]
    pub(crate) fn short_scale_sq(&self) -> f32 {
        self.inner.short_scale_sq
    }

    /// The most likely label of one prompt.
    pub fn label(&self, text: &str) -> Label {
        Label::argmax(&self.predict(text))
    }

    #[cfg(feature = "candle")]
    pub(crate) fn table(&self) -> (Vec<f32>, [f32; NUM_LABELS], f32) {
        let inner = &*self.inner;
        let flat = inner
            .table
            .iter()
            .flat_map(|row| (0..NUM_LABELS).map(move |k| f32::from(row[k]) * inner.scale[k]))
            .collect();
        (flat, inner.bias, inner.inv_temperature)
    }
}

/// The factor `1 + short_scale² / n²` by which a prompt of `n` features (`inv_n = 1 / n`)
/// has its temperature raised; exactly 1 when `short_scale_sq` is 0.
#[inline]
pub(crate) fn short_temper(short_scale_sq: f32, inv_n: f32) -> f32 {
    1.0 + short_scale_sq * inv_n * inv_n
}

/// Refuses weights whose worst case overflows f32 on the hot path, so
/// [`Classifier::predict`] can never return NaN or infinity.
///
/// With `R_k = max_b |(E Wᵀ)[b][k]|` and at most `n` features per prompt, the sum of a
/// prompt's rows is bounded by `n R_k` and each logit by `Z_k = (R_k + |b_k|) / T`. The
/// softmax subtracts the largest logit, so all is finite when `n R_k` and `2 max_k Z_k`
/// stay below `f32::MAX` (checked with a factor 2 of headroom for rounding). `n` is bounded
/// from the featurizer's truncation budget: at most 16 features per kept byte.
fn check_logit_range(
    table: &[[f32; NUM_LABELS]],
    bias: &[f32; NUM_LABELS],
    inv_temperature: f32,
    featurizer: &crate::features::FeaturizerConfig,
) -> std::result::Result<(), String> {
    let limit = f64::from(f32::MAX) / 2.0;
    if !inv_temperature.is_finite() {
        return Err("the temperature is so small that 1/temperature overflows f32".into());
    }
    let mut r = [0f64; NUM_LABELS];
    for row in table {
        for (rk, x) in r.iter_mut().zip(row) {
            *rk = rk.max(f64::from(x.abs()));
        }
    }
    let max_features = max_features(featurizer) as f64;
    let mut worst_logit = 0f64;
    for k in 0..NUM_LABELS {
        if r[k] * max_features > limit {
            return Err(format!(
                "E·Wᵀ entries up to {:e} (label {}) can overflow f32 when summed over up to \
                 {max_features} features of one prompt",
                r[k],
                Label::ALL[k]
            ));
        }
        // A missing label's bias is -inf on purpose (probability 0); it never sums with others.
        let b = if bias[k].is_finite() {
            f64::from(bias[k].abs())
        } else {
            0.0
        };
        worst_logit = worst_logit.max((r[k] + b) * f64::from(inv_temperature));
    }
    if 2.0 * worst_logit > limit {
        return Err(format!(
            "logits can reach {worst_logit:e} (E·Wᵀ plus bias, divided by the temperature), \
             which overflows f32 in the softmax; the weights, bias or temperature are out of range"
        ));
    }
    Ok(())
}

/// Rows of the `E Wᵀ` table by bucket id.
trait Rows {
    fn row(&self, bucket: u32) -> Option<&[i8; NUM_LABELS]>;
}

impl Rows for [[i8; NUM_LABELS]] {
    #[inline(always)]
    fn row(&self, bucket: u32) -> Option<&[i8; NUM_LABELS]> {
        self.get(bucket as usize)
    }
}

/// Rows of the default bucket count (2^18, [`crate::features::FeaturizerConfig::default`]).
const FIXED_ROWS: usize = 1 << 18;

/// A table of [`FIXED_ROWS`] rows: with the size known, a bucket id needs no bounds check,
/// only a mask to 18 bits, which for the featurizer's ids (already masked to the same
/// bits) the compiler folds away. Use it only with ids of a featurizer of that many
/// buckets: a larger id would read another row instead of being skipped.
type FixedTable = [[i8; NUM_LABELS]; FIXED_ROWS];

impl Rows for FixedTable {
    #[inline(always)]
    fn row(&self, bucket: u32) -> Option<&[i8; NUM_LABELS]> {
        Some(&self[bucket as usize & (FIXED_ROWS - 1)])
    }
}

/// Sums rows of the `E Wᵀ` table; passed by value through the featurizer so the sums stay
/// in registers.
struct Accumulator<'a, T: Rows + ?Sized = [[i8; NUM_LABELS]]> {
    table: &'a T,
    acc: [i32; NUM_LABELS],
    n: usize,
}

impl<'a, T: Rows + ?Sized> Accumulator<'a, T> {
    fn new(table: &'a T) -> Self {
        Accumulator {
            table,
            acc: [0; NUM_LABELS],
            n: 0,
        }
    }

    /// The per-label sums and the number of features summed.
    fn sums(self) -> ([i32; NUM_LABELS], usize) {
        (self.acc, self.n)
    }
}

impl<T: Rows + ?Sized> FeatureSink for Accumulator<'_, T> {
    #[inline(always)]
    fn feature(&mut self, bucket: u32) {
        if let Some(row) = self.table.row(bucket) {
            for (a, &r) in self.acc.iter_mut().zip(row) {
                // Cannot overflow for prompts within the featurizer's budget (`quantize`);
                // wrapping keeps an impossible overflow from ever panicking.
                *a = a.wrapping_add(i32::from(r));
            }
        }
        self.n += 1;
    }
}

/// An [`Accumulator`] that also writes the bucket ids it sums into `spare`, in order.
struct Recorder<'a, 'b, T: Rows + ?Sized> {
    sum: Accumulator<'a, T>,
    spare: &'b mut [MaybeUninit<u32>],
    /// Slots of `spare` written (its first `written`).
    written: usize,
}

impl<'a, 'b, T: Rows + ?Sized> Recorder<'a, 'b, T> {
    fn new(table: &'a T, spare: &'b mut [MaybeUninit<u32>]) -> Self {
        Recorder {
            sum: Accumulator::new(table),
            spare,
            written: 0,
        }
    }

    /// The per-label sums, the features summed and the ids written.
    fn finish(self) -> ([i32; NUM_LABELS], usize, usize) {
        let (acc, n) = self.sum.sums();
        (acc, n, self.written)
    }
}

impl<T: Rows + ?Sized> FeatureSink for Recorder<'_, '_, T> {
    #[inline(always)]
    fn feature(&mut self, bucket: u32) {
        self.sum.feature(bucket);
        // `spare` holds `max_features`, an upper bound: a feature past it (none can be) is
        // summed but not recorded.
        if let Some(slot) = self.spare.get_mut(self.written) {
            slot.write(bucket);
            self.written += 1;
        }
    }
}

/// An upper bound on the features of one prompt: the featurizer keeps at most
/// `head_bytes + tail_bytes + 1` bytes and emits fewer than 16 features per byte.
fn max_features(featurizer: &crate::features::FeaturizerConfig) -> u64 {
    (u64::from(featurizer.head_bytes) + u64::from(featurizer.tail_bytes) + 2) * 16
}

/// `table` as `i8` fixed point with one scale per label, chosen so that no sum of
/// `max_features` entries overflows `i32`: a column's largest entry maps to
/// `min(127, i32::MAX / max_features)` (127 for any budget up to 16 million features).
fn quantize(
    table: &[[f32; NUM_LABELS]],
    max_features: u64,
) -> (Vec<[i8; NUM_LABELS]>, [f32; NUM_LABELS]) {
    let qmax = (i32::MAX as u64 / max_features.max(1)).clamp(1, i8::MAX as u64) as f32;
    let mut peak = [0f32; NUM_LABELS];
    for row in table {
        for (p, x) in peak.iter_mut().zip(row) {
            *p = p.max(x.abs());
        }
    }
    let scale = peak.map(|p| if p > 0.0 { p / qmax } else { 1.0 });
    let rows = table
        .iter()
        .map(|row| std::array::from_fn(|k| (row[k] / scale[k]).round().clamp(-qmax, qmax) as i8))
        .collect();
    (rows, scale)
}
