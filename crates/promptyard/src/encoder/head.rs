//! The encoder tier's classification head: a softmax over the sentence embedding, linear or
//! with one hidden layer.
//!
//! `p = softmax((W e + b) / T)` with `e` the L2-normalised embedding (`dim` values), `W` a
//! `[4, dim]` matrix, `b` four biases and `T` a temperature fitted on the validation split
//! (calibration only: it never changes the argmax). Labels in [`Label::ALL`] order. With a
//! hidden layer ([`Layers::mlp`]) the logits are `W₂ relu(W₁ e + b₁) + b₂` instead, for
//! encoders and data where interactions of the embedding's dimensions matter; ~21 µs per
//! prompt with 128 units, beside the encoder's tens of milliseconds. For multilingual-e5-small
//! on the bundled data it measured level with the linear head, so the bundled heads are
//! linear (`docs/encoder.md`).
//!
//! Saved as safetensors (`weight` F32 `[4, dim]`, `bias` F32 `[4]`; a hidden layer adds
//! `hidden_weight` `[h, dim]` and `hidden_bias` `[h]`, and `weight` is `[4, h]`) with its
//! specification in the metadata, all checked on load: `format` ([`HEAD_FORMAT`], or
//! [`HEAD_FORMAT_HIDDEN`] with a hidden layer, so an older reader refuses it by name),
//! `labels`, `encoder_fingerprint` (the [`Encoder::fingerprint`](super::Encoder::fingerprint)
//! it was trained on), `temperature`, `pooling` (`mean,l2` for the last layer, or
//! `mean,l2,layers=8+12` for the layers it pools: [`Head::pooled_layers`]; an older reader
//! refuses the latter by name), `max_tokens`, and the cascade
//! defaults chosen on the validation split: `cascade_threshold` and `cascade_mode`. About
//! 6 KB linear, 200 KB with 128 hidden units, for a 384-dim encoder.
//!
//! Heads for the encoders the project measures ship in `models/encoder-heads/` and are
//! compiled in; [`Head::bundled_for`] finds one by encoder fingerprint.

use std::collections::HashMap;
use std::path::Path;

use crate::cascade::CascadeMode;
use crate::error::{Error, Result};
use crate::label::{softmax, Label, Probs, NUM_LABELS};
use crate::model::encode_safetensors;

use super::DEFAULT_MAX_TOKENS;

/// The head file format tag of a linear head.
pub const HEAD_FORMAT: &str = "promptyard-encoder-head/1";

/// The head file format tag of a head with a hidden layer.
pub const HEAD_FORMAT_HIDDEN: &str = "promptyard-encoder-head/2";

/// Heads compiled into the crate: (name in errors, file bytes). multilingual-e5-small's is
/// keyed to the directory `scripts/fetch-encoder.sh multilingual-e5-small` writes.
const BUNDLED: &[(&str, &[u8])] = &[
    (
        "models/encoder-heads/all-minilm-l6-v2.safetensors",
        include_bytes!("../../../../models/encoder-heads/all-minilm-l6-v2.safetensors"),
    ),
    (
        "models/encoder-heads/multilingual-e5-small.safetensors",
        include_bytes!("../../../../models/encoder-heads/multilingual-e5-small.safetensors"),
    ),
];

/// The head's weights: `W e + b`, or `W₂ relu(W₁ e + b₁) + b₂` with a hidden layer.
#[derive(Clone, Debug, PartialEq)]
pub struct Layers {
    /// `W₁` `[h * dim]` row-major and `b₁` `[h]`; `None` for a linear head.
    hidden: Option<(Vec<f32>, Vec<f32>)>,
    /// `[NUM_LABELS * width]` row-major, `width` = `h` or `dim`.
    weight: Vec<f32>,
    bias: [f32; NUM_LABELS],
    dim: usize,
}

fn finite(v: &[f32]) -> bool {
    v.iter().all(|x| x.is_finite())
}

impl Layers {
    /// A linear head: `weight` is `[NUM_LABELS * dim]` row-major. Errors when the shape is
    /// not `4 × dim` or a value is not finite.
    pub fn linear(weight: Vec<f32>, bias: [f32; NUM_LABELS]) -> Result<Layers> {
        let here = Path::new("<head>");
        if weight.is_empty() || weight.len() % NUM_LABELS != 0 {
            return Err(head_err(
                here,
                format!("weight has {} values, not 4 × dim", weight.len()),
            ));
        }
        if !finite(&weight) || !finite(&bias) {
            return Err(head_err(here, "weight or bias is not finite"));
        }
        Ok(Layers {
            hidden: None,
            dim: weight.len() / NUM_LABELS,
            weight,
            bias,
        })
    }

    /// A head with one ReLU hidden layer of `h = hidden_bias.len()` units: `hidden_weight`
    /// is `[h * dim]` and `weight` `[NUM_LABELS * h]`, both row-major.
    pub fn mlp(
        hidden_weight: Vec<f32>,
        hidden_bias: Vec<f32>,
        weight: Vec<f32>,
        bias: [f32; NUM_LABELS],
    ) -> Result<Layers> {
        let here = Path::new("<head>");
        let h = hidden_bias.len();
        if h == 0 || hidden_weight.is_empty() || hidden_weight.len() % h != 0 {
            return Err(head_err(
                here,
                format!(
                    "hidden_weight has {} values, not {h} × dim",
                    hidden_weight.len()
                ),
            ));
        }
        if weight.len() != NUM_LABELS * h {
            return Err(head_err(
                here,
                format!("weight has {} values, not 4 × {h}", weight.len()),
            ));
        }
        if !finite(&hidden_weight) || !finite(&hidden_bias) || !finite(&weight) || !finite(&bias)
        {
            return Err(head_err(here, "a weight or bias is not finite"));
        }
        Ok(Layers {
            dim: hidden_weight.len() / h,
            hidden: Some((hidden_weight, hidden_bias)),
            weight,
            bias,
        })
    }

    /// Embedding width the layers read.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Hidden units (0 for a linear head).
    pub fn hidden_units(&self) -> usize {
        self.hidden.as_ref().map_or(0, |(_, b)| b.len())
    }

    /// Raw logits of one embedding of width [`dim`](Self::dim).
    pub fn logits(&self, embedding: &[f32]) -> [f32; NUM_LABELS] {
        let dot = |row: &[f32], x: &[f32]| row.iter().zip(x).map(|(w, x)| w * x).sum::<f32>();
        let out = |x: &[f32]| -> [f32; NUM_LABELS] {
            let width = x.len();
            std::array::from_fn(|k| self.bias[k] + dot(&self.weight[k * width..(k + 1) * width], x))
        };
        match &self.hidden {
            None => out(embedding),
            Some((w1, b1)) => {
                let h: Vec<f32> = b1
                    .iter()
                    .zip(w1.chunks_exact(self.dim))
                    .map(|(b, row)| (b + dot(row, embedding)).max(0.0))
                    .collect();
                out(&h)
            }
        }
    }
}

/// A trained head for one encoder. Immutable; cheap to clone (6 KB linear, ~200 KB with 128
/// hidden units).
#[derive(Clone, Debug, PartialEq)]
pub struct Head {
    layers: Layers,
    temperature: f32,
    encoder_fingerprint: String,
    /// Default cascade threshold on the fast tier's max probability.
    threshold: f32,
    mode: CascadeMode,
    /// Encoder layers the embedding is pooled from; empty for the last layer.
    pooled: Vec<usize>,
}

fn head_err(path: &Path, msg: impl std::fmt::Display) -> Error {
    Error::Encoder {
        path: path.to_path_buf(),
        msg: msg.to_string(),
    }
}

fn labels_line() -> String {
    Label::ALL.map(|l| l.as_str()).join(",")
}

impl Head {
    /// A head from trained layers. Errors when the temperature is not positive or the
    /// threshold is outside `[0, 1]`.
    pub fn new(
        layers: Layers,
        temperature: f32,
        encoder_fingerprint: impl Into<String>,
        threshold: f32,
        mode: CascadeMode,
    ) -> Result<Head> {
        let here = Path::new("<head>");
        if !(temperature.is_finite() && temperature > 0.0) {
            return Err(head_err(
                here,
                format!("temperature {temperature} is not > 0"),
            ));
        }
        if !(0.0..=1.0).contains(&threshold) {
            return Err(head_err(
                here,
                format!("cascade threshold {threshold} is not in [0, 1]"),
            ));
        }
        Ok(Head {
            layers,
            temperature,
            encoder_fingerprint: encoder_fingerprint.into(),
            threshold,
            mode,
            pooled: Vec::new(),
        })
    }

    /// The same head, read from embeddings pooled over these encoder layers
    /// ([`Encoder::with_pooled_layers`](super::Encoder::with_pooled_layers); empty: the last
    /// layer). The cascade pools what its head was trained on.
    pub fn with_pooled_layers(mut self, layers: &[usize]) -> Head {
        self.pooled = layers.to_vec();
        self
    }

    /// The encoder layers the head reads (empty: the last layer).
    pub fn pooled_layers(&self) -> &[usize] {
        &self.pooled
    }

    /// The compiled-in head trained for the encoder with this fingerprint, if any.
    pub fn bundled_for(encoder_fingerprint: &str) -> Option<Head> {
        BUNDLED.iter().find_map(|(name, bytes)| {
            Head::from_bytes(bytes, Path::new(name))
                .ok()
                .filter(|h| h.encoder_fingerprint == encoder_fingerprint)
        })
    }

    /// Embedding width the head expects.
    pub fn dim(&self) -> usize {
        self.layers.dim
    }

    /// The trained layers.
    pub fn layers(&self) -> &Layers {
        &self.layers
    }

    /// Softmax temperature fitted on the validation split.
    pub fn temperature(&self) -> f32 {
        self.temperature
    }

    /// Fingerprint of the encoder the head was trained on.
    pub fn encoder_fingerprint(&self) -> &str {
        &self.encoder_fingerprint
    }

    /// Default cascade threshold (fast tier's max probability below which the encoder
    /// decides), chosen on the validation split.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Default cascade mode, chosen on the validation split.
    pub fn mode(&self) -> CascadeMode {
        self.mode
    }

    /// Raw logits (before the temperature).
    pub fn logits(&self, embedding: &[f32]) -> [f32; NUM_LABELS] {
        self.layers.logits(embedding)
    }

    /// Calibrated label probabilities for one embedding of width [`dim`](Self::dim).
    pub fn predict(&self, embedding: &[f32]) -> Probs {
        softmax(self.logits(embedding).map(|z| z / self.temperature))
    }

    /// The same head with other cascade defaults.
    pub fn with_cascade(mut self, threshold: f32, mode: CascadeMode) -> Result<Head> {
        if !(0.0..=1.0).contains(&threshold) {
            return Err(head_err(
                Path::new("<head>"),
                format!("cascade threshold {threshold} is not in [0, 1]"),
            ));
        }
        self.threshold = threshold;
        self.mode = mode;
        Ok(self)
    }

    /// The safetensors bytes (sorted header: equal heads give equal bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let l = &self.layers;
        let format = match l.hidden {
            None => HEAD_FORMAT,
            Some(_) => HEAD_FORMAT_HIDDEN,
        };
        let meta: HashMap<String, String> = [
            ("format", format.to_string()),
            ("labels", labels_line()),
            ("encoder_fingerprint", self.encoder_fingerprint.clone()),
            ("temperature", self.temperature.to_string()),
            ("pooling", pooling_line(&self.pooled)),
            ("max_tokens", DEFAULT_MAX_TOKENS.to_string()),
            ("cascade_threshold", self.threshold.to_string()),
            ("cascade_mode", self.mode.as_str().to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let le = |v: &[f32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
        let width = l.weight.len() / NUM_LABELS;
        let mut tensors = vec![
            ("bias", "F32", vec![NUM_LABELS], le(&l.bias)),
            ("weight", "F32", vec![NUM_LABELS, width], le(&l.weight)),
        ];
        if let Some((w1, b1)) = &l.hidden {
            tensors.push(("hidden_bias", "F32", vec![b1.len()], le(b1)));
            tensors.push(("hidden_weight", "F32", vec![b1.len(), l.dim], le(w1)));
        }
        encode_safetensors(&meta, &tensors)
    }

    /// Writes the head file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, self.to_bytes()).map_err(|e| Error::io(path, e))
    }

    /// Reads and checks a head file.
    pub fn load(path: impl AsRef<Path>) -> Result<Head> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Head::from_bytes(&bytes, path)
    }

    /// Parses and checks head file bytes; `path` names them in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Head> {
        let st = safetensors::SafeTensors::deserialize(bytes)
            .map_err(|e| head_err(path, format!("not a safetensors file: {e}")))?;
        let (_, header) = safetensors::SafeTensors::read_metadata(bytes)
            .map_err(|e| head_err(path, format!("unreadable header: {e}")))?;
        let meta = header.metadata().clone().unwrap_or_default();
        let get = |k: &str| {
            meta.get(k)
                .map(String::as_str)
                .ok_or_else(|| head_err(path, format!("metadata has no {k}")))
        };
        let expect = |k: &str, want: &str| -> Result<()> {
            let got = get(k)?;
            if got == want {
                Ok(())
            } else {
                Err(head_err(path, format!("{k} is {got:?}, expected {want:?}")))
            }
        };
        let hidden = match get("format")? {
            HEAD_FORMAT => false,
            HEAD_FORMAT_HIDDEN => true,
            got => {
                return Err(head_err(
                    path,
                    format!("format is {got:?}, expected {HEAD_FORMAT:?} or {HEAD_FORMAT_HIDDEN:?}"),
                ))
            }
        };
        expect("labels", &labels_line())?;
        let pooled = parse_pooling(get("pooling")?).map_err(|msg| head_err(path, msg))?;
        expect("max_tokens", &DEFAULT_MAX_TOKENS.to_string())?;
        let num = |k: &str| -> Result<f32> {
            get(k)?
                .parse::<f32>()
                .map_err(|e| head_err(path, format!("{k}: {e}")))
        };
        let mode = get("cascade_mode")?
            .parse::<CascadeMode>()
            .map_err(|e| head_err(path, e))?;
        let tensor = |name: &str| -> Result<Vec<f32>> {
            let t = st
                .tensor(name)
                .map_err(|e| head_err(path, format!("{name}: {e}")))?;
            if t.dtype() != safetensors::Dtype::F32 {
                return Err(head_err(
                    path,
                    format!("{name} is {:?}, not F32", t.dtype()),
                ));
            }
            Ok(t.data()
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect())
        };
        let bias: [f32; NUM_LABELS] = tensor("bias")?
            .try_into()
            .map_err(|_| head_err(path, "bias is not 4 values"))?;
        let layers = if hidden {
            Layers::mlp(
                tensor("hidden_weight")?,
                tensor("hidden_bias")?,
                tensor("weight")?,
                bias,
            )
        } else {
            Layers::linear(tensor("weight")?, bias)
        };
        let relabel = |e| match e {
            Error::Encoder { msg, .. } => head_err(path, msg),
            e => e,
        };
        Head::new(
            layers.map_err(relabel)?,
            num("temperature")?,
            get("encoder_fingerprint")?,
            num("cascade_threshold")?,
            mode,
        )
        .map(|h| h.with_pooled_layers(&pooled))
        .map_err(relabel)
    }
}

/// The `pooling` metadata: `mean,l2` (the last layer) or `mean,l2,layers=8+12`.
fn pooling_line(layers: &[usize]) -> String {
    if layers.is_empty() {
        return "mean,l2".to_string();
    }
    let list: Vec<String> = layers.iter().map(usize::to_string).collect();
    format!("mean,l2,layers={}", list.join("+"))
}

/// Inverse of [`pooling_line`]: the pooled layers, empty for the last layer.
fn parse_pooling(line: &str) -> std::result::Result<Vec<usize>, String> {
    let bad = || format!("pooling is {line:?}, expected \"mean,l2\" or \"mean,l2,layers=A+B…\"");
    match line.strip_prefix("mean,l2") {
        Some("") => Ok(Vec::new()),
        Some(rest) => {
            let list = rest.strip_prefix(",layers=").ok_or_else(bad)?;
            let layers = list
                .split('+')
                .map(|x| x.parse::<usize>().map_err(|_| bad()))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            if layers.windows(2).any(|w| w[0] >= w[1]) {
                return Err(bad());
            }
            Ok(layers)
        }
        None => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A linear head of width 2 with zero weights.
    fn zero_linear_head() -> Head {
        let layers = Layers::linear(vec![0.0; 8], [0.0; 4]).unwrap();
        Head::new(layers, 1.0, "f", 0.5, CascadeMode::Combine).unwrap()
    }

    #[test]
    fn pooled_layers_round_trip_and_bad_pooling_is_refused_by_name() {
        let head = zero_linear_head().with_pooled_layers(&[8, 12]);
        let bytes = head.to_bytes();
        let back = Head::from_bytes(&bytes, Path::new("x")).unwrap();
        assert_eq!(back.pooled_layers(), [8, 12]);
        assert_eq!(back, head);
        // A last-layer head keeps the metadata it always had (older readers load it).
        let plain = zero_linear_head().to_bytes();
        assert!(String::from_utf8_lossy(&plain).contains("\"pooling\":\"mean,l2\""));
        assert!(Head::from_bytes(&plain, Path::new("x")).unwrap().pooled_layers().is_empty());
        for bad in ["mean,l2,layers=12+8", "mean,l2,layers=8x12", "mean,l2,levels=8+12"] {
            let text = String::from_utf8_lossy(&bytes).replace("mean,l2,layers=8+12", bad);
            let err = Head::from_bytes(text.as_bytes(), Path::new("h.safetensors")).unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains("pooling") && msg.contains("h.safetensors"), "{bad}: {msg}");
        }
    }

    #[test]
    fn round_trips_and_predicts_the_reference() {
        let dim = 3;
        let mut weight = vec![0.0; NUM_LABELS * dim];
        weight[0] = 2.0; // planning reads e[0]
        weight[dim + 1] = 1.0; // reasoning reads e[1]
        let layers = Layers::linear(weight, [0.0; 4]).unwrap();
        let head = Head::new(layers, 2.0, "abc", 0.6, CascadeMode::Encoder).unwrap();
        let back = Head::from_bytes(&head.to_bytes(), Path::new("x")).unwrap();
        assert_eq!(back, head);
        // logits [2, 0, 0, 0] / T=2 → softmax([1, 0, 0, 0]) = [e, 1, 1, 1] / (e + 3)
        let p = head.predict(&[1.0, 0.0, 0.0]);
        let e = std::f32::consts::E;
        assert!((p[0] - e / (e + 3.0)).abs() < 1e-6, "{p:?}");
        assert!((p[1] - 1.0 / (e + 3.0)).abs() < 1e-6);
    }

    #[test]
    fn a_hidden_layer_round_trips_and_computes_relu_then_linear() {
        // dim 2, h 2: unit 0 = relu(e0 - e1), unit 1 = relu(e1 - 1); planning reads unit 0,
        // code_completion reads unit 1 twice.
        let w1 = vec![1.0, -1.0, 0.0, 1.0];
        let b1 = vec![0.0, -1.0];
        let mut w2 = vec![0.0; NUM_LABELS * 2];
        w2[0] = 1.0;
        w2[2 * 2 + 1] = 2.0;
        let layers = Layers::mlp(w1, b1, w2, [0.0, 0.5, 0.0, 0.0]).unwrap();
        assert_eq!((layers.dim(), layers.hidden_units()), (2, 2));
        let head = Head::new(layers, 1.0, "abc", 0.7, CascadeMode::Combine).unwrap();
        let bytes = head.to_bytes();
        assert!(String::from_utf8_lossy(&bytes).contains(HEAD_FORMAT_HIDDEN));
        let back = Head::from_bytes(&bytes, Path::new("x")).unwrap();
        assert_eq!(back, head);
        // e = [3, 2]: units [1, 1] → logits [1, 0.5, 2, 0]; e = [0, 0]: units [0, 0].
        assert_eq!(back.logits(&[3.0, 2.0]), [1.0, 0.5, 2.0, 0.0]);
        assert_eq!(back.logits(&[0.0, 0.0]), [0.0, 0.5, 0.0, 0.0]);
        // A linear head's file does not change format.
        assert!(String::from_utf8_lossy(&zero_linear_head().to_bytes()).contains(HEAD_FORMAT));
    }

    #[test]
    fn hidden_layer_shapes_are_checked() {
        let err = Layers::mlp(vec![0.0; 6], vec![0.0; 2], vec![0.0; 4], [0.0; 4]).unwrap_err();
        assert!(err.to_string().contains("not 4 × 2"), "{err}");
        let err = Layers::mlp(vec![0.0; 5], vec![0.0; 2], vec![0.0; 8], [0.0; 4]).unwrap_err();
        assert!(err.to_string().contains("hidden_weight"), "{err}");
        let err =
            Layers::mlp(vec![f32::NAN; 4], vec![0.0; 2], vec![0.0; 8], [0.0; 4]).unwrap_err();
        assert!(err.to_string().contains("finite"), "{err}");
        // A /2 file without its hidden tensors is refused by name.
        let text = String::from_utf8_lossy(&zero_linear_head().to_bytes())
            .replace(HEAD_FORMAT, HEAD_FORMAT_HIDDEN);
        let err = Head::from_bytes(text.as_bytes(), Path::new("h")).unwrap_err();
        assert!(err.to_string().contains("hidden_weight"), "{err}");
    }

    #[test]
    fn refuses_a_head_for_other_labels() {
        let text =
            String::from_utf8_lossy(&zero_linear_head().to_bytes()).replace("code_completion", "code_xompletion");
        let err = Head::from_bytes(text.as_bytes(), Path::new("h")).unwrap_err();
        assert!(err.to_string().contains("labels"), "{err}");
    }
}
