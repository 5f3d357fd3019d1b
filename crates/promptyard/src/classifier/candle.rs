//! Batch inference through candle, on CPU or (with the `cuda` feature) a GPU.
//!
//! Pooling is a batched matmul over the same `E Wᵀ` table the single-prompt path reads:
//! `logits[B, labels] = weights[B, 1, L] · T[ids][B, L, labels] + b`, then a softmax at the
//! calibrated temperature. The table is uploaded once per engine. A three-label model's
//! `other` bias is `-inf` here too, so its `other` probability is exactly 0 on every device.

use candle_core::{DType, Device, Tensor, D};

use super::{Classifier, PooledIds};
use crate::error::{Error, Result};
use crate::features::FeatureScratch;
use crate::label::{Probs, NUM_LABELS};

/// A padded batch of featurised prompts for a candle forward pass.
///
/// Each prompt's bucket ids are de-duplicated and weighted by `count / total`, so the
/// weighted sum of table (or embedding) rows is the mean over all its features.
#[derive(Debug)]
#[non_exhaustive]
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
        let width = rows.iter().map(|r| r.ids.len()).max().unwrap_or(0).max(1);
        let mut ids = vec![0u32; rows.len() * width];
        let mut ws = vec![0f32; rows.len() * width];
        for (i, r) in rows.iter().enumerate() {
            ids[i * width..i * width + r.ids.len()].copy_from_slice(&r.ids);
            ws[i * width..i * width + r.weights.len()].copy_from_slice(&r.weights);
        }
        let len = rows.len();
        Ok(Batch {
            ids: Tensor::from_vec(ids, len * width, device)?,
            weights: Tensor::from_vec(ws, (len, 1, width), device)?,
            len,
            width,
        })
    }

    /// `weights · rows[ids]`: the mean row of each prompt, `[B, cols]`, for a `[rows, cols]`
    /// table on the batch's device.
    pub fn pool(&self, table: &Tensor) -> Result<Tensor> {
        let cols = table.dim(1)?;
        let rows = table
            .index_select(&self.ids, 0)?
            .reshape((self.len, self.width, cols))?;
        Ok(self.weights.matmul(&rows)?.squeeze(1)?)
    }
}

/// A classifier's table resident on a candle device, for labelling many prompts at once.
pub struct BatchEngine {
    classifier: Classifier,
    device: Device,
    table: Tensor,
    bias: Tensor,
    inv_temperature: f64,
}

impl std::fmt::Debug for BatchEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchEngine")
            .field("classifier", &self.classifier)
            .field("device", &self.device)
            .finish()
    }
}

impl BatchEngine {
    /// Prompts per forward pass: bounds device memory (B × L ids) whatever the input size.
    pub const CHUNK: usize = 512;

    /// Uploads `classifier`'s table to `device`.
    pub fn new(classifier: &Classifier, device: &Device) -> Result<Self> {
        let (flat, bias, inv_t) = classifier.table();
        let rows = flat.len() / NUM_LABELS;
        Ok(BatchEngine {
            classifier: classifier.clone(),
            device: device.clone(),
            table: Tensor::from_vec(flat, (rows, NUM_LABELS), device)?,
            bias: Tensor::from_vec(bias.to_vec(), NUM_LABELS, device)?,
            inv_temperature: f64::from(inv_t),
        })
    }

    /// The device the table lives on.
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// Calibrated probabilities for many prompts, in order. Runs candle on the calling
    /// thread; do not call it from inside a rayon pool unless candle's thread count is 1.
    pub fn predict(&self, texts: &[&str]) -> Result<Vec<Probs>> {
        let featurizer = self.classifier.featurizer();
        let mut out = Vec::with_capacity(texts.len());
        let mut scratch = FeatureScratch::default();
        for chunk in texts.chunks(Self::CHUNK) {
            let feats: Vec<Vec<u32>> = chunk
                .iter()
                .map(|t| {
                    let mut v = Vec::new();
                    featurizer.featurize(t, &mut scratch, &mut v);
                    v
                })
                .collect();
            let refs: Vec<&[u32]> = feats.iter().map(Vec::as_slice).collect();
            let batch = Batch::new(&refs, &self.device)?;
            let logits = batch.pool(&self.table)?.broadcast_add(&self.bias)?;
            // Each prompt's inverse temperature, raised for short ones as on the CPU path
            // (`Classifier::finish`).
            let short = self.classifier.short_scale_sq();
            let inv_t: Vec<f32> = feats
                .iter()
                .map(|f| {
                    let inv_n = 1.0 / f.len().max(1) as f32;
                    self.inv_temperature as f32 / super::short_temper(short, inv_n)
                })
                .collect();
            let inv_t = Tensor::from_vec(inv_t, (feats.len(), 1), &self.device)?;
            let scaled = logits.broadcast_mul(&inv_t.to_dtype(logits.dtype())?)?;
            let max = scaled.max_keepdim(D::Minus1)?;
            let e = scaled.broadcast_sub(&max)?.exp()?;
            let probs = e.broadcast_div(&e.sum_keepdim(D::Minus1)?)?;
            let rows = probs
                .to_dtype(DType::F32)?
                .to_device(&Device::Cpu)?
                .to_vec2::<f32>()?;
            out.extend(
                rows.into_iter()
                    .map(|r| std::array::from_fn::<f32, NUM_LABELS, _>(|k| r[k])),
            );
        }
        Ok(out)
    }
}

/// The candle device named `cpu` or `cuda` (`cuda` needs the `cuda` cargo feature).
pub fn device_from_name(name: &str) -> Result<Device> {
    match name {
        "cpu" => Ok(Device::Cpu),
        "cuda" if cfg!(feature = "cuda") => Ok(Device::new_cuda(0)?),
        "cuda" => Err(Error::Device {
            name: name.into(),
            msg: "this build has no CUDA support (rebuild with the `cuda` feature)".into(),
        }),
        other => Err(Error::Device {
            name: other.into(),
            msg: "unknown device (expected cpu or cuda)".into(),
        }),
    }
}
