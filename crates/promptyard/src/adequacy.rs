//! Per-prompt adequacy: each model's probability of answering *this* prompt well, from the
//! same hashed n-gram features the classifier uses, so routing stays in microseconds.
//!
//! One logistic regression per model over a shared bag of features:
//!
//! ```text
//! x_j   = count_j / sqrt(n)               (n = feature occurrences in the prompt)
//! p_m   = σ(b_m + Σ_j x_j · W[j, m])      W: [buckets, models] f32, b: [models] f32
//! ```
//!
//! `W` is stored bucket-major, so a prompt's features each add one contiguous row of `models`
//! floats: one pass over the features scores every model.
//!
//! **Sharing the classifier's features.** Bucket ids are `mix(h) & (buckets - 1)` for a
//! feature hash `h` that depends on every featurizer setting but the bucket count
//! ([`crate::features`], step 5). So when the adequacy model's featurizer equals the
//! classifier's in everything except `buckets`, and has no more buckets than it (both are
//! powers of two), a classifier bucket id `b` is the adequacy bucket id `b & (buckets − 1)`
//! of the same feature ([`Adequacy::reads_features_of`]). The router then featurizes a prompt
//! once and feeds the classifier's ids to [`Adequacy::predict_features`], which applies
//! that mask; the probabilities are bit-identical to [`Adequacy::predict_with`]'s, since the
//! ids arrive in the same order. `promptyard calibrate` writes such models (the classifier's
//! settings with 4,096 buckets).
//!
//! **Reading more than the classifier.** Which model gets a prompt right depends on more of a
//! long prompt than its task label does, so a model may also read the part of a prompt that a
//! wider budget keeps and the classifier's does not ([`Adequacy::with_rest_budget`]; `calibrate`
//! uses 2,048 + 512 bytes): those one or two segments are featurized on their own and their
//! ids appended to the classifier's. The router still shares the classifier's ids and
//! featurizes only the rest.
//!
//! The file is a safetensors file with two tensors, `weight` `[buckets, models]` and `bias`
//! `[models]` (f32, little endian), and metadata `format` = [`ADEQUACY_FORMAT`], `featurizer`
//! (the [`FeaturizerConfig`] as JSON: hash, seed, buckets, n-gram ranges), `models` (JSON
//! array of catalog ids, the column order) and, for a wider budget, `rest_budget` (`[head,
//! tail]` in bytes; absent in older files, which read what their featurizer reads).
//! `promptyard calibrate` writes it next to the catalog and names it in `[policy] adequacy =
//! "FILE"`; the policy then uses it
//! ([`crate::policy`], "Per-prompt adequacy").

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::features::{FeatureScratch, Featurizer, FeaturizerConfig};

/// `format` metadata value of an adequacy file this build reads.
pub const ADEQUACY_FORMAT: &str = "promptyard-adequacy-v1";

/// Floats summed per chunk of a weight row (two SSE or one AVX register).
const LANES: usize = 8;
/// Models summed in registers (8 chunks of [`LANES`]); more take a slower loop.
const MAX_LANES: usize = 64;

/// A trained per-prompt adequacy model: immutable; share it behind an `Arc`.
#[derive(Clone, Debug)]
pub struct Adequacy {
    features: AdequacyFeaturizer,
    models: Vec<String>,
    /// `[buckets, stride]`, bucket-major: each row holds the `models` weights, zero-padded
    /// to `stride` (a multiple of [`LANES`]) so a row is summed in whole SIMD-width chunks.
    weight: Vec<f32>,
    stride: usize,
    bias: Vec<f32>,
    /// `buckets - 1`: maps a finer featurizer's bucket ids onto this model's.
    mask: u32,
    /// The CPU has AVX2 ([`Adequacy::sums`]).
    #[cfg(target_arch = "x86_64")]
    avx2: bool,
}

/// What an adequacy model reads of a prompt: its featurizer's ids, then, with a wider reading
/// budget ([`Adequacy::with_rest_budget`]), those of the part of a long prompt that budget keeps
/// and the featurizer's does not. Training and prediction both featurize through it.
#[derive(Clone, Debug)]
pub struct AdequacyFeaturizer {
    base: Featurizer,
    rest: Option<Rest>,
}

/// A wider reading budget than the featurizer's: the bytes it adds are featurized as one or two
/// segments of their own (no lead words) and their ids appended to the featurizer's.
#[derive(Clone, Debug)]
struct Rest {
    /// The wider budget's head and tail bytes.
    budget: (u32, u32),
    /// The model's featurizer settings without lead words, with the wider budget (so its
    /// [`FeaturizerConfig::read_bounds`] are the wider cut, and a segment is never cut again).
    featurizer: Featurizer,
}

impl AdequacyFeaturizer {
    /// `cfg`'s featurizer, reading also what a budget of `rest` = (head, tail) bytes keeps of a
    /// long prompt beyond `cfg`'s own. A budget equal to `cfg`'s (or `None`) reads nothing more;
    /// a smaller one in either part is an error.
    pub fn new(cfg: FeaturizerConfig, rest: Option<(u32, u32)>) -> Result<AdequacyFeaturizer> {
        let own = (cfg.head_bytes, cfg.tail_bytes);
        let rest = match rest {
            None => None,
            Some(budget) if budget == own => None,
            Some((head, tail)) if head < own.0 || tail < own.1 => {
                return Err(Error::Model {
                    path: "<adequacy model>".into(),
                    msg: format!(
                        "rest budget {head} + {tail} bytes is smaller than the featurizer's {} + {}",
                        own.0, own.1
                    ),
                });
            }
            Some((head, tail)) => Some(Rest {
                budget: (head, tail),
                featurizer: Featurizer::new(FeaturizerConfig {
                    head_bytes: head,
                    tail_bytes: tail,
                    lead_tokens: 0,
                    ..cfg.clone()
                })?,
            }),
        };
        Ok(AdequacyFeaturizer {
            base: Featurizer::new(cfg)?,
            rest,
        })
    }

    /// The featurizer whose ids come first (its config is saved with the weights).
    pub fn base(&self) -> &Featurizer {
        &self.base
    }

    /// The wider budget, if any.
    pub fn rest_budget(&self) -> Option<(u32, u32)> {
        self.rest.as_ref().map(|r| r.budget)
    }

    /// The bucket ids of `text` (with repeats): the base featurizer's, then the rest's.
    pub fn featurize<'s>(&self, text: &str, scratch: &'s mut AdequacyScratch) -> &'s [u32] {
        let AdequacyScratch { features, ids } = scratch;
        self.base.featurize(text, features, ids);
        self.push_rest(text, features, ids);
        ids
    }

    /// Appends the ids of the rest of `text` to `ids`.
    fn push_rest(&self, text: &str, features: &mut FeatureScratch, ids: &mut Vec<u32>) {
        let Some(rest) = &self.rest else { return };
        let Some((head_end, tail_start)) = self.base.config().read_bounds(text) else {
            return;
        };
        let (a, b) = match rest.featurizer.config().read_bounds(text) {
            None => (&text[head_end..tail_start], ""),
            Some((wide_head_end, wide_tail_start)) => (
                &text[head_end..wide_head_end],
                &text[wide_tail_start..tail_start],
            ),
        };
        for segment in [a, b] {
            if !segment.is_empty() {
                rest.featurizer.for_each_feature(segment, features, |id| ids.push(id));
            }
        }
    }
}

/// A model's success probability from its logit: `1 / (1 + e^-z)` in f32, the one formula
/// every path uses, so a probability is the same bits whichever path computed it.
#[inline]
pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

fn to_probabilities(out: &mut [f32]) {
    for o in out {
        *o = sigmoid(*o);
    }
}

/// Per-thread buffers for [`Adequacy::predict_with`].
#[derive(Clone, Debug, Default)]
pub struct AdequacyScratch {
    features: FeatureScratch,
    ids: Vec<u32>,
}

impl Adequacy {
    /// Builds a model from its parts; `weight` is `[cfg.buckets, models.len()]` bucket-major.
    pub fn new(
        cfg: FeaturizerConfig,
        models: Vec<String>,
        weight: Vec<f32>,
        bias: Vec<f32>,
    ) -> Result<Adequacy> {
        let features = AdequacyFeaturizer::new(cfg, None)?;
        let m = models.len();
        let buckets = features.base.config().buckets as usize;
        if m == 0 || bias.len() != m || weight.len() != buckets * m {
            return Err(Error::Model {
                path: "<adequacy model>".into(),
                msg: format!(
                    "{m} models need bias [{m}] and weight [{buckets}, {m}], got {} and {}",
                    bias.len(),
                    weight.len()
                ),
            });
        }
        let stride = m.div_ceil(LANES) * LANES;
        let mut padded = vec![0.0f32; buckets * stride];
        for (dst, src) in padded.chunks_exact_mut(stride).zip(weight.chunks_exact(m)) {
            dst[..m].copy_from_slice(src);
        }
        Ok(Adequacy {
            mask: features.base.config().buckets - 1,
            features,
            models,
            weight: padded,
            stride,
            bias,
            #[cfg(target_arch = "x86_64")]
            avx2: std::arch::is_x86_feature_detected!("avx2"),
        })
    }

    /// Also reads the part of a long prompt that a budget of `head` + `tail` bytes keeps and the
    /// featurizer's own does not (at most two segments: after its head, before its tail). The
    /// featurizer keeps the classifier's budget, so the router still hands the classifier's ids
    /// over and only the rest is featurized again; which model gets a prompt right depends on
    /// more of it than its task label does (`benchmarks/ECONOMICS.md`). A budget equal to the
    /// featurizer's reads nothing more; a smaller one in either part is an error.
    pub fn with_rest_budget(mut self, head: u32, tail: u32) -> Result<Adequacy> {
        let cfg = self.features.base.config().clone();
        self.features = AdequacyFeaturizer::new(cfg, Some((head, tail)))?;
        Ok(self)
    }

    /// The wider budget of [`Adequacy::with_rest_budget`], if any.
    pub fn rest_budget(&self) -> Option<(u32, u32)> {
        self.features.rest_budget()
    }

    /// The bucket ids this model scores `text` by ([`AdequacyFeaturizer::featurize`]).
    pub fn featurize<'s>(&self, text: &str, scratch: &'s mut AdequacyScratch) -> &'s [u32] {
        self.features.featurize(text, scratch)
    }

    /// [`Adequacy::predict_with`] for a prompt whose ids under a featurizer this model
    /// [reads](Adequacy::reads_features_of) are already known (the classifier's): only the rest
    /// of the prompt, if this model reads more, is featurized. The same probabilities, bit for bit.
    pub fn predict_shared(
        &self,
        ids: &[u32],
        text: &str,
        scratch: &mut AdequacyScratch,
        out: &mut [f32],
    ) {
        self.logits_shared(ids, text, scratch, out);
        to_probabilities(&mut out[..self.models.len()]);
    }

    /// [`Adequacy::predict_shared`] before the sigmoid: each model's logit `z`, with
    /// `p = `[`sigmoid`]`(z)`. The policy compares most models by logit and takes the sigmoid
    /// only where a comparison is close (`policy::per_prompt`).
    pub fn logits_shared(
        &self,
        ids: &[u32],
        text: &str,
        scratch: &mut AdequacyScratch,
        out: &mut [f32],
    ) {
        if self.features.rest.is_none() {
            return self.logits_features(ids, out);
        }
        let AdequacyScratch { features, ids: all } = scratch;
        all.clear();
        all.extend_from_slice(ids);
        self.features.push_rest(text, features, all);
        self.logits_features(all, out);
    }

    /// Catalog ids of the models, in column order.
    pub fn models(&self) -> &[String] {
        &self.models
    }

    /// The featurizer (its config is saved with the weights).
    pub fn featurizer(&self) -> &Featurizer {
        self.features.base()
    }

    /// True when bucket ids of a featurizer with config `cfg` (e.g. the classifier's) map onto
    /// this model's by the mask of [`Adequacy::predict_features`]: every setting but `buckets`
    /// equal, and `cfg.buckets` a multiple of this model's (see the module docs).
    pub fn reads_features_of(&self, cfg: &FeaturizerConfig) -> bool {
        self.shares_features_up_to(cfg) == usize::MAX
    }

    /// The longest prompt, in bytes, whose bucket ids from a featurizer with config `cfg` map
    /// onto this model's by the mask of [`Adequacy::predict_features`]: unbounded when every
    /// setting but `buckets` is equal and `cfg.buckets` a multiple of this model's; when the two
    /// differ only in their reading budgets as well, a prompt both read whole (no longer than
    /// either `head_bytes + tail_bytes`) has the same features under both; otherwise 0.
    /// So a router featurizes a short prompt once even when this model reads more of a long one.
    pub fn shares_features_up_to(&self, cfg: &FeaturizerConfig) -> usize {
        let own = self.featurizer().config();
        let same_rules = cfg.buckets >= own.buckets
            && FeaturizerConfig {
                buckets: own.buckets,
                head_bytes: own.head_bytes,
                tail_bytes: own.tail_bytes,
                ..cfg.clone()
            } == *own;
        if !same_rules {
            return 0;
        }
        if (cfg.head_bytes, cfg.tail_bytes) == (own.head_bytes, own.tail_bytes) {
            return usize::MAX;
        }
        let whole = |c: &FeaturizerConfig| c.head_bytes as usize + c.tail_bytes as usize;
        whole(cfg).min(whole(own))
    }

    /// Success probabilities of every model for already featurised ids (with repeats), into
    /// `out` (`out.len() ≥ models().len()`). Each id is masked to `buckets − 1` first, so the
    /// ids of a featurizer this model [reads](Adequacy::reads_features_of) can be passed as
    /// they are, and no id is out of range.
    pub fn predict_features(&self, ids: &[u32], out: &mut [f32]) {
        self.logits_features(ids, out);
        to_probabilities(&mut out[..self.models.len()]);
    }

    /// [`Adequacy::predict_features`] before the sigmoid (see [`Adequacy::logits_shared`]).
    pub fn logits_features(&self, ids: &[u32], out: &mut [f32]) {
        let m = self.models.len();
        let out = &mut out[..m];
        if ids.is_empty() {
            out.copy_from_slice(&self.bias);
            return;
        }
        let scale = 1.0 / (ids.len() as f32).sqrt();
        match self.sums(ids) {
            // `bias + sum · scale` in one pass (a copy of the bias first was a `memcpy` call).
            Some(acc) => {
                for ((o, b), a) in out.iter_mut().zip(&self.bias).zip(&acc) {
                    *o = b + a * scale;
                }
            }
            // More than 64 models: straight into `out`.
            None => {
                out.copy_from_slice(&self.bias);
                for &b in ids {
                    let at = (b & self.mask) as usize * self.stride;
                    let Some(row) = self.weight.get(at..at + m) else { continue };
                    for (o, w) in out.iter_mut().zip(row) {
                        *o += w * scale;
                    }
                }
            }
        }
    }

    /// Column sums of the rows of `ids` (masked); `None` for rows wider than [`MAX_LANES`].
    /// With AVX2 (checked once, in [`Adequacy::new`]) the same adds run 8 lanes wide instead
    /// of 4: lane by lane the same sums in the same order, so the same bits. Measured on a
    /// 20-model row (`stride` 24) of ~1,700 ids on this project's 2-core AMD EPYC VM:
    /// 2.1 µs → 1.3–1.5 µs.
    fn sums(&self, ids: &[u32]) -> Option<[f32; MAX_LANES]> {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: `avx2` is true only where the CPU reports AVX2 (`Adequacy::new`).
            return unsafe { self.sums_avx2(ids) };
        }
        self.sums_for_width(ids)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn sums_avx2(&self, ids: &[u32]) -> Option<[f32; MAX_LANES]> {
        self.sums_for_width(ids)
    }

    /// One monomorphised loop per row width, so the sums stay in registers; inlined into
    /// each instruction-set variant of [`Adequacy::sums`].
    #[inline(always)]
    fn sums_for_width(&self, ids: &[u32]) -> Option<[f32; MAX_LANES]> {
        Some(match self.stride / LANES {
            1 => self.sum_rows::<1>(ids),
            2 => self.sum_rows::<2>(ids),
            3 => self.sum_rows::<3>(ids),
            4 => self.sum_rows::<4>(ids),
            5 => self.sum_rows::<5>(ids),
            6 => self.sum_rows::<6>(ids),
            7 => self.sum_rows::<7>(ids),
            8 => self.sum_rows::<8>(ids),
            _ => return None,
        })
    }

    /// Column sums of the rows of `ids` (masked), rows of `C` × [`LANES`] floats.
    #[inline(always)]
    fn sum_rows<const C: usize>(&self, ids: &[u32]) -> [f32; MAX_LANES] {
        let mut acc = [[0.0f32; LANES]; C];
        let width = C * LANES;
        for &b in ids {
            let at = (b & self.mask) as usize * width;
            let Some(row) = self.weight.get(at..at + width) else { continue };
            // Fixed-size copies: LLVM unrolls this into C × LANES / 4 vector adds (an
            // iterator over `chunks_exact` here ran 20x slower: no vectorisation).
            for (c, a) in acc.iter_mut().enumerate() {
                let w: [f32; LANES] = row[c * LANES..(c + 1) * LANES]
                    .try_into()
                    .unwrap_or([0.0; LANES]);
                for k in 0..LANES {
                    a[k] += w[k];
                }
            }
        }
        let mut out = [0.0; MAX_LANES];
        for c in 0..C {
            out[c * LANES..(c + 1) * LANES].copy_from_slice(&acc[c]);
        }
        out
    }

    /// Success probabilities of every model for `text`, with caller-owned buffers.
    pub fn predict_with(&self, text: &str, scratch: &mut AdequacyScratch, out: &mut [f32]) {
        self.featurize(text, scratch);
        self.predict_features(&scratch.ids, out);
    }

    /// [`Adequacy::predict_with`] before the sigmoid (see [`Adequacy::logits_shared`]).
    pub fn logits_with(&self, text: &str, scratch: &mut AdequacyScratch, out: &mut [f32]) {
        self.featurize(text, scratch);
        self.logits_features(&scratch.ids, out);
    }

    /// The file's bytes (see the module docs); equal models give equal bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let m = self.models.len();
        let wbytes = self.featurizer().config().buckets as usize * m * 4;
        let mut meta = BTreeMap::new();
        meta.insert("format", ADEQUACY_FORMAT.to_string());
        meta.insert(
            "featurizer",
            serde_json::to_string(self.featurizer().config()).unwrap_or_default(),
        );
        meta.insert(
            "models",
            serde_json::to_string(&self.models).unwrap_or_default(),
        );
        if let Some((head, tail)) = self.rest_budget() {
            meta.insert("rest_budget", format!("[{head},{tail}]"));
        }
        let header = serde_json::json!({
            "__metadata__": meta,
            "bias": {"dtype": "F32", "shape": [m], "data_offsets": [0, m * 4]},
            "weight": {"dtype": "F32", "shape": [self.featurizer().config().buckets, m],
                       "data_offsets": [m * 4, m * 4 + wbytes]},
        });
        let mut h = serde_json::to_vec(&header).unwrap_or_default();
        while h.len() % 8 != 0 {
            h.push(b' ');
        }
        let mut out = Vec::with_capacity(8 + h.len() + m * 4 + wbytes);
        out.extend_from_slice(&(h.len() as u64).to_le_bytes());
        out.extend_from_slice(&h);
        let unpadded = self.weight.chunks_exact(self.stride).flat_map(|row| &row[..m]);
        for x in self.bias.iter().chain(unpadded) {
            out.extend_from_slice(&x.to_le_bytes());
        }
        out
    }

    /// Parses an adequacy file; `path` names it in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Adequacy> {
        let bad = |msg: String| Error::Model {
            path: path.to_path_buf(),
            msg,
        };
        let (_, header) = safetensors::SafeTensors::read_metadata(bytes)
            .map_err(|e| bad(format!("not a valid safetensors file: {e}")))?;
        let meta = header.metadata().clone().unwrap_or_default();
        let get = |k: &str| {
            meta.get(k)
                .ok_or_else(|| bad(format!("metadata {k} missing (not an adequacy file?)")))
        };
        if get("format")? != ADEQUACY_FORMAT {
            return Err(bad(format!(
                "format {:?}, this build reads {ADEQUACY_FORMAT:?}",
                get("format")?
            )));
        }
        let cfg: FeaturizerConfig = serde_json::from_str(get("featurizer")?)
            .map_err(|e| bad(format!("metadata featurizer: {e}")))?;
        let models: Vec<String> = serde_json::from_str(get("models")?)
            .map_err(|e| bad(format!("metadata models: {e}")))?;
        let st = safetensors::SafeTensors::deserialize(bytes)
            .map_err(|e| bad(format!("not a valid safetensors file: {e}")))?;
        let f32s = |name: &str| -> Result<Vec<f32>> {
            let t = st.tensor(name).map_err(|e| bad(format!("tensor {name}: {e}")))?;
            if t.dtype() != safetensors::Dtype::F32 {
                return Err(bad(format!("tensor {name} must be F32")));
            }
            Ok(t.data()
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect())
        };
        let (weight, bias) = (f32s("weight")?, f32s("bias")?);
        let model = Adequacy::new(cfg, models, weight, bias).map_err(|e| bad(e.to_string()))?;
        // Absent in files from before the rest budget: they read what their featurizer reads.
        match meta.get("rest_budget") {
            None => Ok(model),
            Some(v) => {
                let (head, tail): (u32, u32) = serde_json::from_str(v)
                    .map_err(|e| bad(format!("metadata rest_budget {v:?}: {e}")))?;
                model
                    .with_rest_budget(head, tail)
                    .map_err(|e| bad(e.to_string()))
            }
        }
    }

    /// Reads an adequacy file.
    pub fn load(path: impl AsRef<Path>) -> Result<Adequacy> {
        let path = path.as_ref();
        // A catalog names this file: a device or FIFO there (`/dev/zero`) must not hang or
        // exhaust memory in the caller's reload.
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if !meta.is_file() {
            return Err(Error::Model {
                path: path.to_path_buf(),
                msg: "not a regular file".into(),
            });
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Adequacy::from_bytes(&bytes, path)
    }

    /// Writes the file (see [`Adequacy::to_bytes`]).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, self.to_bytes()).map_err(|e| Error::io(path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_without_reading_it() {
        let err = Adequacy::load("/dev/zero").unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
    }

    fn small() -> Adequacy {
        let cfg = FeaturizerConfig {
            buckets: 1 << 4,
            ..FeaturizerConfig::default()
        };
        let weight = (0..32).map(|i| (i as f32 - 16.0) / 8.0).collect();
        Adequacy::new(cfg, vec!["a".into(), "b".into()], weight, vec![0.5, -0.5]).unwrap()
    }

    #[test]
    fn probabilities_follow_the_formula() {
        let a = small();
        let mut out = [0.0; 2];
        // ids [3, 3, 5]: x_3 = 2/sqrt(3), x_5 = 1/sqrt(3); W[3] = (-10/8, -9/8), W[5] = (-6/8, -5/8).
        a.predict_features(&[3, 3, 5], &mut out);
        let s = 1.0 / 3f32.sqrt();
        let z0 = 0.5 + (2.0 * -1.25 + -0.75) * s;
        let z1 = -0.5 + (2.0 * -1.125 + -0.625) * s;
        assert!((out[0] - 1.0 / (1.0 + (-z0).exp())).abs() < 1e-6);
        assert!((out[1] - 1.0 / (1.0 + (-z1).exp())).abs() < 1e-6);
    }

    #[test]
    fn file_round_trips() {
        let a = small();
        let b = Adequacy::from_bytes(&a.to_bytes(), Path::new("x")).unwrap();
        assert_eq!(a.weight, b.weight);
        assert_eq!(a.bias, b.bias);
        assert_eq!(a.models, b.models);
        assert_eq!(a.to_bytes(), b.to_bytes());
    }

    /// Every row width, through the AVX2 path where the CPU has it and through the baseline
    /// path: the same bits, and the formula's value.
    #[test]
    fn every_row_width_sums_the_same_on_every_path() {
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let cfg = FeaturizerConfig {
            buckets: 1 << 6,
            ..FeaturizerConfig::default()
        };
        for m in [1, 2, 7, 8, 9, 16, 20, 24, 33, 48, 64, 65, 70] {
            let weight: Vec<f32> = (0..64 * m)
                .map(|_| (next() % 2001) as f32 / 1000.0 - 1.0)
                .collect();
            let bias: Vec<f32> = (0..m).map(|i| i as f32 * 0.01).collect();
            let models = (0..m).map(|i| format!("m{i}")).collect();
            let a = Adequacy::new(cfg.clone(), models, weight.clone(), bias.clone()).unwrap();
            let ids: Vec<u32> = (0..300).map(|_| next() as u32).collect();
            let mut got = vec![0.0; m];
            a.predict_features(&ids, &mut got);
            #[cfg(target_arch = "x86_64")]
            {
                let baseline = Adequacy { avx2: false, ..a.clone() };
                let mut base = vec![0.0; m];
                baseline.predict_features(&ids, &mut base);
                let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&got), bits(&base), "{m} models");
            }
            let norm = 1.0 / (ids.len() as f64).sqrt();
            for (k, g) in got.iter().enumerate() {
                let z: f64 = ids
                    .iter()
                    .map(|&b| f64::from(weight[(b & 63) as usize * m + k]))
                    .sum::<f64>();
                let p = 1.0 / (1.0 + (-(z * norm + f64::from(bias[k]))).exp());
                assert!((p - f64::from(*g)).abs() < 1e-5, "{m} models, column {k}");
            }
        }
    }
}
