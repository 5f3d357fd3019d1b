//! Training the encoder tier's head (feature `encoder`): cached embeddings → multinomial
//! logistic regression → temperature → the cascade's default threshold and mode.
//!
//! - **Embeddings** come from [`Encoder::embed`] and are cached on disk per encoder
//!   fingerprint and per text (FNV-1a 64 of the UTF-8 bytes), so retraining the head after the
//!   first run embeds nothing and takes seconds ([`EmbeddingCache`]).
//! - **Head**: `p = softmax(W e + b)` fitted by full-batch Adam on the mean cross-entropy
//!   plus `l2/2 · ‖W‖²` over the training split ([`fit_head`]); or, with
//!   [`HeadOptions::hidden`] units, `softmax(W₂ relu(W₁ e + b₁) + b₂)` fitted through candle
//!   by minibatch Adam with dropout on the hidden units.
//! - **Temperature**: the `T` in a fixed grid that minimises the validation NLL of
//!   `softmax((W e + b) / T)` ([`fit_temperature`]).
//! - **Cascade**: threshold and mode with the best validation accuracy of the cascade over
//!   the fast tier's validation probabilities; ties go to the one that consults the encoder
//!   least ([`choose_cascade`]). Never chosen on a gateway or lockbox set.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use promptyard::cascade::{combine, CascadeMode, Tier};
use promptyard::encoder::Encoder;
use promptyard::hash::fnv1a64;
use promptyard::label::{softmax, Label, Probs, NUM_LABELS};
use rayon::prelude::*;

use candle_core::{DType, Device, Tensor, Var, D};
use candle_nn::optim::{AdamW, Optimizer, ParamsAdamW};
use promptyard::encoder::Layers;

use crate::data::Record;
use crate::error::{Error, Result};
use crate::eval::{for_each_loso_fold, labels_by_frequency, Metrics};
use crate::rng::Rng;
use crate::train::{Progress, TrainOptions};

const MAGIC: &[u8; 8] = b"PYEMB\x01\0\0";

/// Prompts embedded between two appends to the cache file (an interrupted run keeps them).
pub const CACHE_CHUNK: usize = 256;

/// Embeddings of one encoder, on disk at `<root>/<fingerprint>.bin`: an 8-byte magic, the
/// width (u32 LE), then records of `text hash (u64 LE) · dim × f32 LE`, appended as they are
/// computed. A trailing partial record (an interrupted write) is ignored.
#[derive(Debug)]
pub struct EmbeddingCache {
    path: PathBuf,
    dim: usize,
    map: HashMap<u64, Vec<f32>>,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl EmbeddingCache {
    /// Opens (or starts) the cache for `encoder` under `root`.
    pub fn open(root: impl AsRef<Path>, encoder: &Encoder) -> Result<EmbeddingCache> {
        let root = root.as_ref();
        std::fs::create_dir_all(root).map_err(io(root))?;
        // One file per encoder and pooling: the last layer's keeps the name it always had.
        let path = if encoder.pools_last_layer_only() {
            root.join(format!("{}.bin", encoder.fingerprint()))
        } else {
            let layers: Vec<String> = encoder.pooled_layers().iter().map(usize::to_string).collect();
            root.join(format!("{}-layers-{}.bin", encoder.fingerprint(), layers.join("-")))
        };
        let dim = encoder.dim();
        let mut map = HashMap::new();
        if path.exists() {
            let mut bytes = Vec::new();
            std::fs::File::open(&path)
                .and_then(|mut f| f.read_to_end(&mut bytes))
                .map_err(io(&path))?;
            let ok = bytes.len() >= 12
                && &bytes[..8] == MAGIC
                && u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize == dim;
            if ok {
                for rec in bytes[12..].chunks_exact(8 + 4 * dim) {
                    let key = u64::from_le_bytes(rec[..8].try_into().unwrap_or_default());
                    let v = rec[8..]
                        .chunks_exact(4)
                        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                        .collect();
                    map.insert(key, v);
                }
            } else {
                // Another format or width: start over rather than read garbage.
                std::fs::remove_file(&path).map_err(io(&path))?;
            }
        }
        Ok(EmbeddingCache { path, dim, map })
    }

    /// Cached embeddings.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Embeddings of `texts` in order: cached ones read back, the others computed in chunks
    /// of [`CACHE_CHUNK`] and appended. `progress(done, todo)` counts computed prompts.
    pub fn embed(
        &mut self,
        encoder: &Encoder,
        texts: &[&str],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<Vec<f32>>> {
        let mut missing: Vec<&str> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for t in texts {
            let k = fnv1a64(t.as_bytes());
            if !self.map.contains_key(&k) && seen.insert(k) {
                missing.push(t);
            }
        }
        if !missing.is_empty() {
            let fresh = !self.path.exists();
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .map_err(io(&self.path))?;
            if fresh {
                file.write_all(MAGIC).map_err(io(&self.path))?;
                file.write_all(&(self.dim as u32).to_le_bytes())
                    .map_err(io(&self.path))?;
            }
            let mut done = 0;
            for chunk in missing.chunks(CACHE_CHUNK) {
                let rows = encoder.embed(chunk)?;
                let mut buf = Vec::with_capacity(chunk.len() * (8 + 4 * self.dim));
                for (t, row) in chunk.iter().zip(rows) {
                    let k = fnv1a64(t.as_bytes());
                    buf.extend(k.to_le_bytes());
                    buf.extend(row.iter().flat_map(|x| x.to_le_bytes()));
                    self.map.insert(k, row);
                }
                file.write_all(&buf).map_err(io(&self.path))?;
                done += chunk.len();
                progress(done, missing.len());
            }
        }
        Ok(texts
            .iter()
            .map(|t| self.map[&fnv1a64(t.as_bytes())].clone())
            .collect())
    }
}

/// Options of [`fit_head`].
#[derive(Clone, Debug, PartialEq)]
pub struct HeadOptions {
    /// Adam steps: full-batch for a linear head, minibatch with a hidden layer.
    pub steps: usize,
    /// Adam learning rate.
    pub lr: f32,
    /// L2 penalty on the weights (not on the biases).
    pub l2: f32,
    /// Hidden ReLU units; 0 fits a linear head.
    pub hidden: usize,
    /// With a hidden layer: probability of dropping each hidden unit per training example.
    pub dropout: f32,
    /// With a hidden layer: examples per Adam step.
    pub batch: usize,
    /// With a hidden layer: seed of the initialisation, the batches and the dropout.
    pub seed: u64,
    /// Weight each example by the inverse frequency of its label (mean weight 1), so the
    /// head does not under-predict the rarest label (`other`). Off by default: in
    /// leave-one-source-out it moved the cascade's mean only +0.3 points at 0.70, trading
    /// `other` sources (+5 to +16) for reasoning ones (BIG-Bench Hard −11, StrategyQA −5).
    pub balance_labels: bool,
}

impl Default for HeadOptions {
    fn default() -> Self {
        HeadOptions {
            steps: 400,
            lr: 0.05,
            l2: 1e-4,
            hidden: 0,
            dropout: 0.0,
            batch: 0,
            seed: 42,
            balance_labels: false,
        }
    }
}

impl HeadOptions {
    /// A head with `hidden` ReLU units and the settings chosen for it on leave-one-source-out
    /// (`docs/encoder.md`): 3,000 Adam steps of 512 examples at 0.002, dropout 0.5, L2 1e-3
    /// (dropout 0.2 and L2 1e-4 fitted the known sources better and unseen ones worse).
    pub fn mlp(hidden: usize) -> HeadOptions {
        HeadOptions {
            steps: 3000,
            lr: 0.002,
            l2: 1e-3,
            hidden,
            dropout: 0.5,
            batch: 512,
            ..HeadOptions::default()
        }
    }

    /// The measured defaults for `hidden` units: [`HeadOptions::default`] (linear) for 0,
    /// [`HeadOptions::mlp`] otherwise.
    pub fn for_hidden(hidden: usize) -> HeadOptions {
        match hidden {
            0 => HeadOptions::default(),
            h => HeadOptions::mlp(h),
        }
    }
}

fn logits(w: &[f32], b: &[f32; NUM_LABELS], x: &[f32]) -> [f32; NUM_LABELS] {
    let dim = x.len();
    std::array::from_fn(|k| {
        b[k] + w[k * dim..(k + 1) * dim]
            .iter()
            .zip(x)
            .map(|(a, c)| a * c)
            .sum::<f32>()
    })
}

/// Fits the head to `(x, y)`: linear, or with [`HeadOptions::hidden`] units. Both are
/// deterministic for given options (and, with a hidden layer, thread count).
pub fn fit_head(x: &[Vec<f32>], y: &[Label], opts: &HeadOptions) -> Result<Layers> {
    let n = x.len();
    if n == 0 || n != y.len() || x[0].is_empty() {
        return Err(Error::EmptyTrainingSet);
    }
    let mut counts = [0usize; NUM_LABELS];
    for l in y {
        counts[l.index()] += 1;
    }
    let present = counts.iter().filter(|&&c| c > 0).count() as f32;
    let weight: [f32; NUM_LABELS] = std::array::from_fn(|k| {
        if opts.balance_labels && counts[k] > 0 {
            n as f32 / (present * counts[k] as f32)
        } else {
            1.0
        }
    });
    if opts.hidden == 0 {
        let (w, b) = fit_linear(x, y, &weight, opts);
        Ok(Layers::linear(w, b)?)
    } else {
        fit_mlp(x, y, &weight, opts)
    }
}

/// `softmax(W e + b)` by full-batch Adam (zero init, sums in a fixed order per rayon chunk
/// layout). `weight` is the per-label example weight.
fn fit_linear(
    x: &[Vec<f32>],
    y: &[Label],
    weight: &[f32; NUM_LABELS],
    opts: &HeadOptions,
) -> (Vec<f32>, [f32; NUM_LABELS]) {
    let n = x.len();
    let dim = x[0].len();
    let p = NUM_LABELS * dim + NUM_LABELS;
    let mut theta = vec![0f32; p];
    let (mut m, mut v) = (vec![0f32; p], vec![0f32; p]);
    let (b1, b2, eps) = (0.9f32, 0.999f32, 1e-8f32);
    for step in 1..=opts.steps {
        let (w, b) = theta.split_at(NUM_LABELS * dim);
        let b: [f32; NUM_LABELS] = b.try_into().unwrap_or_default();
        let grad = x
            .par_chunks(512)
            .zip(y.par_chunks(512))
            .map(|(xs, ys)| {
                let mut g = vec![0f32; p];
                for (xi, yi) in xs.iter().zip(ys) {
                    let mut pr = softmax(logits(w, &b, xi));
                    pr[yi.index()] -= 1.0;
                    let wi = weight[yi.index()];
                    for k in 0..NUM_LABELS {
                        let d = wi * pr[k];
                        for (gj, xj) in g[k * dim..(k + 1) * dim].iter_mut().zip(xi) {
                            *gj += d * xj;
                        }
                        g[NUM_LABELS * dim + k] += d;
                    }
                }
                g
            })
            .reduce(
                || vec![0f32; p],
                |mut a, c| {
                    a.iter_mut().zip(c).for_each(|(a, c)| *a += c);
                    a
                },
            );
        let inv_n = 1.0 / n as f32;
        let (c1, c2) = (1.0 - b1.powi(step as i32), 1.0 - b2.powi(step as i32));
        for j in 0..p {
            let reg = if j < NUM_LABELS * dim {
                opts.l2 * theta[j]
            } else {
                0.0
            };
            let g = grad[j] * inv_n + reg;
            m[j] = b1 * m[j] + (1.0 - b1) * g;
            v[j] = b2 * v[j] + (1.0 - b2) * g * g;
            theta[j] -= opts.lr * (m[j] / c1) / ((v[j] / c2).sqrt() + eps);
        }
    }
    let b: [f32; NUM_LABELS] = theta[NUM_LABELS * dim..].try_into().unwrap_or_default();
    theta.truncate(NUM_LABELS * dim);
    (theta, b)
}

/// `softmax(W₂ relu(W₁ e + b₁) + b₂)` by minibatch Adam through candle on the CPU, with
/// inverted dropout on the hidden units and `l2/2 · (‖W₁‖² + ‖W₂‖²)`. Initialisation (He
/// uniform for `W₁`, small for `W₂`, zero biases), batches and dropout masks all come from
/// the crate's seeded generator.
fn fit_mlp(
    x: &[Vec<f32>],
    y: &[Label],
    weight: &[f32; NUM_LABELS],
    opts: &HeadOptions,
) -> Result<Layers> {
    let dev = Device::Cpu;
    let (n, dim, h) = (x.len(), x[0].len(), opts.hidden);
    let batch = opts.batch.clamp(1, n);
    let mut rng = Rng(opts.seed);
    let mut uniform = |len: usize, bound: f32| -> Vec<f32> {
        (0..len)
            .map(|_| (rng.next_f32() * 2.0 - 1.0) * bound)
            .collect()
    };
    let w1 = uniform(h * dim, (6.0 / dim as f32).sqrt());
    let w2 = uniform(NUM_LABELS * h, 0.1 * (3.0 / h as f32).sqrt());
    let w1 = Var::from_tensor(&Tensor::from_vec(w1, (h, dim), &dev)?)?;
    let b1 = Var::zeros(h, DType::F32, &dev)?;
    let w2 = Var::from_tensor(&Tensor::from_vec(w2, (NUM_LABELS, h), &dev)?)?;
    let b2 = Var::zeros(NUM_LABELS, DType::F32, &dev)?;
    let mut opt = AdamW::new(
        vec![w1.clone(), b1.clone(), w2.clone(), b2.clone()],
        ParamsAdamW {
            lr: f64::from(opts.lr),
            weight_decay: 0.0,
            ..ParamsAdamW::default()
        },
    )?;
    let xs = Tensor::from_vec(x.concat(), (n, dim), &dev)?;
    let keep = 1.0 - opts.dropout.clamp(0.0, 0.95);
    let mut order: Vec<usize> = (0..n).collect();
    let mut at = n;
    for _ in 0..opts.steps {
        if at + batch > n {
            rng.shuffle(&mut order);
            at = 0;
        }
        let idx = &order[at..at + batch];
        at += batch;
        let rows: Vec<u32> = idx.iter().map(|&i| i as u32).collect();
        let xb = xs.index_select(&Tensor::from_vec(rows, batch, &dev)?, 0)?;
        let targets: Vec<u32> = idx.iter().map(|&i| y[i].index() as u32).collect();
        let ws: Vec<f32> = idx.iter().map(|&i| weight[y[i].index()]).collect();
        let mask: Vec<f32> = (0..batch * h)
            .map(|_| {
                if rng.next_f32() < keep {
                    1.0 / keep
                } else {
                    0.0
                }
            })
            .collect();
        let hidden = xb
            .matmul(&w1.t()?)?
            .broadcast_add(&b1)?
            .relu()?
            .mul(&Tensor::from_vec(mask, (batch, h), &dev)?)?;
        let logits = hidden.matmul(&w2.t()?)?.broadcast_add(&b2)?;
        let logp = candle_nn::ops::log_softmax(&logits, D::Minus1)?
            .gather(&Tensor::from_vec(targets, (batch, 1), &dev)?, 1)?;
        let ce = (logp * Tensor::from_vec(ws, (batch, 1), &dev)?)?.sum_all()? * (-1.0 / batch as f64);
        let l2 = (w1.sqr()?.sum_all()? + w2.sqr()?.sum_all()?)? * f64::from(opts.l2 / 2.0);
        let grads = (ce? + l2?)?.backward()?;
        opt.step(&grads)?;
    }
    let flat = |v: &Var| -> Result<Vec<f32>> { Ok(v.as_tensor().flatten_all()?.to_vec1::<f32>()?) };
    let b2: [f32; NUM_LABELS] = flat(&b2)?.try_into().unwrap_or_default();
    Ok(Layers::mlp(flat(&w1)?, flat(&b1)?, flat(&w2)?, b2)?)
}

/// Mean negative log-likelihood of the gold labels.
pub fn nll(probs: &[Probs], y: &[Label]) -> f64 {
    let s: f64 = probs
        .iter()
        .zip(y)
        .map(|(p, l)| -f64::from(p[l.index()].max(1e-12)).ln())
        .sum();
    s / probs.len().max(1) as f64
}

/// The temperature in `0.25, 0.30, …, 5.00` with the lowest NLL of
/// `softmax(logits / T)` on `(x, y)`.
pub fn fit_temperature(layers: &Layers, x: &[Vec<f32>], y: &[Label]) -> f32 {
    let z: Vec<[f32; NUM_LABELS]> = x.par_iter().map(|e| layers.logits(e)).collect();
    let mut best = (f64::INFINITY, 1.0f32);
    for i in 5..=100 {
        let t = i as f32 * 0.05;
        let probs: Vec<Probs> = z.iter().map(|l| softmax(l.map(|v| v / t))).collect();
        let loss = nll(&probs, y);
        if loss < best.0 {
            best = (loss, t);
        }
    }
    best.1
}

/// Accuracy of argmax `probs` against `y`.
pub fn accuracy(probs: &[Probs], y: &[Label]) -> f64 {
    let hits = probs
        .iter()
        .zip(y)
        .filter(|(p, l)| Label::argmax(p) == **l)
        .count();
    hits as f64 / probs.len().max(1) as f64
}

/// The cascade's probabilities and tiers for given fast and encoder probabilities.
pub fn cascade_probs(
    fast: &[Probs],
    enc: &[Probs],
    threshold: f32,
    mode: CascadeMode,
) -> Vec<(Probs, Tier)> {
    fast.iter()
        .zip(enc)
        .map(|(&f, &e)| combine(f, threshold, mode, || Ok(e)).unwrap_or((f, Tier::Fast)))
        .collect()
}

/// One candidate of [`choose_cascade`].
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CascadeScore {
    /// Threshold on the fast tier's max probability.
    pub threshold: f32,
    /// What happens under it.
    pub mode: CascadeMode,
    /// Cascade accuracy.
    pub accuracy: f64,
    /// Share of prompts sent to the encoder.
    pub encoder_share: f64,
}

/// Thresholds `0.30, 0.35, …, 0.95` × both modes scored on `(fast, enc, y)`; the best
/// accuracy wins, ties to the smaller encoder share. Returns the winner and every score.
pub fn choose_cascade(
    fast: &[Probs],
    enc: &[Probs],
    y: &[Label],
) -> (CascadeScore, Vec<CascadeScore>) {
    let mut all = Vec::new();
    for mode in [CascadeMode::Encoder, CascadeMode::Combine] {
        for i in 6..=19 {
            let threshold = i as f32 * 0.05;
            let out = cascade_probs(fast, enc, threshold, mode);
            let probs: Vec<Probs> = out.iter().map(|o| o.0).collect();
            let share =
                out.iter().filter(|o| o.1 != Tier::Fast).count() as f64 / out.len().max(1) as f64;
            all.push(CascadeScore {
                threshold,
                mode,
                accuracy: accuracy(&probs, y),
                encoder_share: share,
            });
        }
    }
    let best = all
        .iter()
        .cloned()
        .reduce(|a, c| {
            let better = c.accuracy > a.accuracy + 1e-12
                || ((c.accuracy - a.accuracy).abs() <= 1e-12 && c.encoder_share < a.encoder_share);
            if better {
                c
            } else {
                a
            }
        })
        .unwrap_or(CascadeScore {
            threshold: 0.0,
            mode: CascadeMode::Encoder,
            accuracy: 0.0,
            encoder_share: 0.0,
        });
    (best, all)
}

/// One row of the cascade's leave-one-source-out table: accuracy on a held-out source of the
/// fast tier, the encoder tier and the cascade, all three trained and tuned without it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CascadeLosoRow {
    /// The held-out source.
    pub source: String,
    /// Its records (from every split).
    pub n: usize,
    /// The label(s) it carries, most frequent first.
    pub labels: Vec<Label>,
    /// Accuracy of the fast classifier trained without the source.
    pub fast: f64,
    /// Accuracy of the head trained without the source.
    pub encoder: f64,
    /// Accuracy of the cascade, its threshold and mode chosen on validation data without it.
    pub cascade: f64,
    /// The fast tier's mean top probability on the source (beside `fast`: how sure it is
    /// against how often it is right, on a source it never saw).
    pub fast_confidence: f64,
    /// The cascade's mean top probability on the source.
    pub cascade_confidence: f64,
    /// Expected calibration error of the cascade's top probability on the source.
    pub cascade_ece: f64,
    /// The threshold chosen for this fold.
    pub threshold: f32,
    /// The mode chosen for this fold.
    pub mode: CascadeMode,
    /// Share of the held-out records the cascade sent to the encoder.
    pub encoder_share: f64,
    /// The held-out accuracy of every candidate threshold and mode of [`choose_cascade`]:
    /// averaged over sources, it says which default generalises to unseen sources.
    pub candidates: Vec<CascadeScore>,
}

/// The mean over held-out sources of each candidate's accuracy and encoder share, in the
/// candidates' order (every row scores the same candidates).
pub fn mean_over_sources(rows: &[CascadeLosoRow]) -> Vec<CascadeScore> {
    let Some(first) = rows.first() else {
        return Vec::new();
    };
    let n = rows.len() as f64;
    first
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| CascadeScore {
            threshold: c.threshold,
            mode: c.mode,
            accuracy: rows.iter().map(|r| r.candidates[i].accuracy).sum::<f64>() / n,
            encoder_share: rows
                .iter()
                .map(|r| r.candidates[i].encoder_share)
                .sum::<f64>()
                / n,
        })
        .collect()
}

/// Leave-one-source-out for the whole cascade: for every source, the fast classifier, the
/// head (and its temperature) and the cascade's threshold and mode are trained and chosen
/// without that source, exactly as `train` and `train-encoder` do on the full data, and the
/// three tiers are scored on the source's records. `embeddings` holds one embedding per
/// record of `train_set ++ valid ++ test`, in that order (from an [`EmbeddingCache`]);
/// `short` are the short prompts the fast classifier's tempering is fitted on, as in `train`
/// ([`crate::train::fit_short_scale`]), so the threshold is chosen on the confidences the
/// shipped classifier gives.
#[allow(clippy::too_many_arguments)]
pub fn cascade_leave_one_source_out(
    train_set: &[Record],
    valid: &[Record],
    test: &[Record],
    short: &[Record],
    embeddings: &[Vec<f32>],
    head: &HeadOptions,
    opts: &TrainOptions,
    device: &Device,
    on_fold: &mut dyn FnMut(usize, usize, &str),
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<Vec<CascadeLosoRow>> {
    let all: Vec<&Record> = train_set.iter().chain(valid).chain(test).collect();
    if embeddings.len() != all.len() {
        return Err(Error::EmbeddingCount {
            embeddings: embeddings.len(),
            records: all.len(),
        });
    }
    let mut rows = Vec::new();
    for_each_loso_fold(
        train_set,
        valid,
        test,
        short,
        opts,
        device,
        on_fold,
        on_progress,
        &mut |f| {
            let pick = |idx: &[usize]| -> (Vec<Vec<f32>>, Vec<Label>) {
                idx.iter()
                    .map(|&k| (embeddings[k].clone(), all[k].label))
                    .unzip()
            };
            let (x_tr, y_tr) = pick(&f.train);
            let (x_va, y_va) = pick(&f.valid);
            let (x_h, y_h) = pick(&f.held_out);
            let layers = fit_head(&x_tr, &y_tr, head)?;
            let t = fit_temperature(&layers, &x_va, &y_va);
            let enc = |x: &[Vec<f32>]| -> Vec<Probs> {
                x.par_iter()
                    .map(|e| softmax(layers.logits(e).map(|v| v / t)))
                    .collect()
            };
            let fast_of = |idx: &[usize]| -> Vec<Probs> {
                idx.par_iter()
                    .map(|&k| f.classifier.predict(&all[k].text))
                    .collect()
            };
            let (fast_va, fast_h) = (fast_of(&f.valid), fast_of(&f.held_out));
            let (enc_va, enc_h) = (enc(&x_va), enc(&x_h));
            let (best, _) = choose_cascade(&fast_va, &enc_va, &y_va);
            let (_, candidates) = choose_cascade(&fast_h, &enc_h, &y_h);
            let casc = cascade_probs(&fast_h, &enc_h, best.threshold, best.mode);
            let casc_p: Vec<Probs> = casc.iter().map(|c| c.0).collect();
            let share =
                casc.iter().filter(|c| c.1 != Tier::Fast).count() as f64 / casc.len().max(1) as f64;
            // Accuracy and mean confidence of each tier from one pass over its probabilities.
            let (fast_m, casc_m) = (
                Metrics::compute(&y_h, &fast_h, &[]),
                Metrics::compute(&y_h, &casc_p, &[]),
            );
            rows.push(CascadeLosoRow {
                source: f.source.to_string(),
                n: f.held_out.len(),
                labels: labels_by_frequency(f.held_out.iter().map(|&k| all[k])),
                fast: fast_m.accuracy,
                encoder: accuracy(&enc_h, &y_h),
                cascade: casc_m.accuracy,
                fast_confidence: fast_m.confidence,
                cascade_confidence: casc_m.confidence,
                cascade_ece: casc_m.ece,
                threshold: best.threshold,
                mode: best.mode,
                encoder_share: share,
                candidates,
            });
            Ok(())
        },
    )?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logistic_regression_separates_separable_data() {
        // Four clusters on the axes of R⁴: label k at e_k (+ a little noise).
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..200 {
            let k = i % NUM_LABELS;
            let mut e = vec![0.05 * ((i * 7 % 5) as f32 - 2.0); NUM_LABELS];
            e[k] += 1.0;
            x.push(e);
            y.push(Label::ALL[k]);
        }
        let layers = fit_head(&x, &y, &HeadOptions::default()).unwrap();
        assert_eq!(layers.hidden_units(), 0);
        let probs: Vec<Probs> = x.iter().map(|e| softmax(layers.logits(e))).collect();
        assert_eq!(accuracy(&probs, &y), 1.0);
        let t = fit_temperature(&layers, &x, &y);
        assert!(t > 0.0 && t <= 5.0);
    }

    #[test]
    fn a_hidden_layer_learns_what_a_linear_head_cannot() {
        // XOR of the signs of e0 and e1 picks planning or reasoning: no linear head does
        // better than chance on it, one hidden layer does it all.
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..400 {
            let a = 0.2 + (i % 7) as f32 * 0.1;
            let b = 0.2 + (i % 5) as f32 * 0.1;
            let (sa, sb) = (if i % 2 == 0 { 1.0 } else { -1.0 }, if i % 4 < 2 { 1.0 } else { -1.0 });
            x.push(vec![sa * a, sb * b, 0.1]);
            y.push(if sa * sb > 0.0 { Label::Planning } else { Label::Reasoning });
        }
        let score = |opts: &HeadOptions| {
            let layers = fit_head(&x, &y, opts).unwrap();
            let probs: Vec<Probs> = x.iter().map(|e| softmax(layers.logits(e))).collect();
            accuracy(&probs, &y)
        };
        let linear = score(&HeadOptions::default());
        let opts = HeadOptions {
            steps: 600,
            lr: 0.01,
            dropout: 0.0,
            batch: 64,
            ..HeadOptions::mlp(16)
        };
        let mlp = score(&opts);
        assert!(linear < 0.8, "linear {linear}");
        assert_eq!(mlp, 1.0, "mlp {mlp}");
        // Same options, same weights.
        let again = |o: &HeadOptions| fit_head(&x, &y, o).unwrap();
        assert_eq!(again(&opts), again(&opts));
        assert_eq!(again(&opts).hidden_units(), 16);
    }

    /// Three sources with all four labels; embeddings say the label (plus noise), texts a
    /// few words of it.
    fn loso_fixture() -> (Vec<Record>, Vec<Record>, Vec<Record>, Vec<Vec<f32>>) {
        let words = ["plan schedule", "why because", "def return", "hello thanks"];
        let mut splits = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..72 {
            let label = Label::ALL[i % NUM_LABELS];
            let r = Record {
                id: format!("r{i}"),
                text: format!("{} number {i}", words[label.index()]),
                label,
                source: format!("s{}", i % 3),
                canary: None,
            };
            match i % 6 {
                0 | 1 | 2 | 3 => splits.0.push(r),
                4 => splits.1.push(r),
                _ => splits.2.push(r),
            }
        }
        let x = splits
            .0
            .iter()
            .chain(&splits.1)
            .chain(&splits.2)
            .enumerate()
            .map(|(i, r)| {
                let mut e = vec![0.1 * ((i * 7 % 5) as f32 - 2.0); 6];
                e[r.label.index()] += 1.0;
                e
            })
            .collect();
        (splits.0, splits.1, splits.2, x)
    }

    #[test]
    fn cascade_loso_trains_every_tier_without_the_held_out_source() {
        let (tr, va, te, x) = loso_fixture();
        let opts = TrainOptions {
            epochs: 2,
            ..TrainOptions::default()
        };
        let mut folds = Vec::new();
        let rows = cascade_leave_one_source_out(
            &tr,
            &va,
            &te,
            &[],
            &x,
            &HeadOptions::default(),
            &opts,
            &Device::Cpu,
            &mut |i, n, s| folds.push((i, n, s.to_string())),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(folds.len(), 3);
        let sources: Vec<&str> = rows.iter().map(|r| r.source.as_str()).collect();
        assert_eq!(sources, ["s0", "s1", "s2"]);
        for r in &rows {
            // 24 records per source, over all three splits.
            assert_eq!(r.n, 24, "{r:?}");
            assert_eq!(r.labels.len(), NUM_LABELS);
            // The embeddings separate the labels: a head that never saw the source is right.
            assert_eq!(r.encoder, 1.0, "{r:?}");
            assert_eq!(r.candidates.len(), 28);
            for a in [r.fast, r.cascade, r.encoder_share, r.cascade_ece] {
                assert!((0.0..=1.0).contains(&a), "{r:?}");
            }
            // Four labels: a top probability is at least 1/4; ECE is at least the overall gap.
            for c in [r.fast_confidence, r.cascade_confidence] {
                assert!((0.25..=1.0).contains(&c), "{r:?}");
            }
            assert!(r.cascade_ece + 1e-9 >= (r.cascade_confidence - r.cascade).abs(), "{r:?}");
        }
        let means = mean_over_sources(&rows);
        assert_eq!(means.len(), 28);
        let by_hand = rows.iter().map(|r| r.candidates[3].accuracy).sum::<f64>() / 3.0;
        assert!((means[3].accuracy - by_hand).abs() < 1e-12);
        // One embedding short: refused, not misaligned.
        let err = cascade_leave_one_source_out(
            &tr,
            &va,
            &te,
            &[],
            &x[1..],
            &HeadOptions::default(),
            &opts,
            &Device::Cpu,
            &mut |_, _, _| {},
            &mut |_| {},
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                Error::EmbeddingCount {
                    embeddings: 71,
                    records: 72
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn balancing_labels_lifts_the_rare_label() {
        // `other` is rare (1 in 10) and lives where `planning` also does (t ≥ 0.5):
        // unweighted, the head calls that overlap `planning`; balanced, `other` wins it.
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..400 {
            let rare = i % 10 == 0;
            let t = (i % 37) as f32 / 37.0;
            x.push(vec![if rare { 0.5 + 0.5 * t } else { t }]);
            y.push(if rare { Label::Other } else { Label::Planning });
        }
        let share_of_rare = |balance_labels: bool| {
            let opts = HeadOptions {
                balance_labels,
                ..HeadOptions::default()
            };
            let lin = fit_head(&x, &y, &opts).unwrap();
            x.iter()
                .filter(|e| Label::argmax(&softmax(lin.logits(e))) == Label::Other)
                .count()
        };
        let (plain, balanced) = (share_of_rare(false), share_of_rare(true));
        assert!(balanced > plain, "balanced {balanced} vs plain {plain}");
    }

    #[test]
    fn cascade_choice_prefers_the_encoder_only_where_it_helps() {
        let y = [Label::Planning, Label::Reasoning];
        // The fast tier is sure and right on the first, unsure and wrong on the second.
        let fast = [[0.9, 0.05, 0.03, 0.02], [0.4, 0.35, 0.2, 0.05]];
        let enc = [[0.1, 0.8, 0.05, 0.05], [0.1, 0.8, 0.05, 0.05]];
        let (best, all) = choose_cascade(&fast, &enc, &y);
        assert_eq!(best.accuracy, 1.0);
        assert_eq!(best.encoder_share, 0.5);
        assert!(best.threshold > 0.4 && best.threshold <= 0.9, "{best:?}");
        assert_eq!(all.len(), 28);
    }
}
