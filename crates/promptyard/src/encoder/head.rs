//! The encoder tier's classification head: a linear softmax over the sentence embedding.
//!
//! `p = softmax((W e + b) / T)` with `e` the L2-normalised embedding (`dim` values), `W` a
//! `[4, dim]` matrix, `b` four biases and `T` a temperature fitted on the validation split
//! (calibration only: it never changes the argmax). Labels in [`Label::ALL`] order.
//!
//! Saved as safetensors (`weight` F32 `[4, dim]`, `bias` F32 `[4]`) with its specification
//! in the metadata, all checked on load: `format`, `labels`, `encoder_fingerprint` (the
//! [`Encoder::fingerprint`](super::Encoder::fingerprint) it was trained on), `temperature`,
//! `pooling` (`mean,l2`), `max_tokens`, and the cascade defaults chosen on the validation
//! split: `cascade_threshold` and `cascade_mode`. About 6 KB for a 384-dim encoder.
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

/// The head file format tag.
pub const HEAD_FORMAT: &str = "promptyard-encoder-head/1";

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

/// A trained head for one encoder. Immutable; cheap to clone (a few KB).
#[derive(Clone, Debug, PartialEq)]
pub struct Head {
    /// `[NUM_LABELS * dim]`, row-major (one row per label).
    weight: Vec<f32>,
    bias: [f32; NUM_LABELS],
    dim: usize,
    temperature: f32,
    encoder_fingerprint: String,
    /// Default cascade threshold on the fast tier's max probability.
    threshold: f32,
    mode: CascadeMode,
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
    /// A head from trained parameters: `weight` is `[NUM_LABELS * dim]` row-major.
    /// Errors when the shapes disagree, a value is not finite, the temperature is not
    /// positive or the threshold is outside `[0, 1]`.
    pub fn new(
        weight: Vec<f32>,
        bias: [f32; NUM_LABELS],
        temperature: f32,
        encoder_fingerprint: impl Into<String>,
        threshold: f32,
        mode: CascadeMode,
    ) -> Result<Head> {
        let here = Path::new("<head>");
        if weight.is_empty() || weight.len() % NUM_LABELS != 0 {
            return Err(head_err(
                here,
                format!("weight has {} values, not 4 × dim", weight.len()),
            ));
        }
        if !weight.iter().chain(&bias).all(|v| v.is_finite()) {
            return Err(head_err(here, "weight or bias is not finite"));
        }
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
            dim: weight.len() / NUM_LABELS,
            weight,
            bias,
            temperature,
            encoder_fingerprint: encoder_fingerprint.into(),
            threshold,
            mode,
        })
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
        self.dim
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

    /// Raw logits `W e + b` (before the temperature).
    pub fn logits(&self, embedding: &[f32]) -> [f32; NUM_LABELS] {
        std::array::from_fn(|k| {
            let row = &self.weight[k * self.dim..(k + 1) * self.dim];
            self.bias[k] + row.iter().zip(embedding).map(|(w, x)| w * x).sum::<f32>()
        })
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
        let meta: HashMap<String, String> = [
            ("format", HEAD_FORMAT.to_string()),
            ("labels", labels_line()),
            ("encoder_fingerprint", self.encoder_fingerprint.clone()),
            ("temperature", self.temperature.to_string()),
            ("pooling", "mean,l2".to_string()),
            ("max_tokens", DEFAULT_MAX_TOKENS.to_string()),
            ("cascade_threshold", self.threshold.to_string()),
            ("cascade_mode", self.mode.as_str().to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let le = |v: &[f32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
        encode_safetensors(
            &meta,
            &[
                ("bias", "F32", vec![NUM_LABELS], le(&self.bias)),
                (
                    "weight",
                    "F32",
                    vec![NUM_LABELS, self.dim],
                    le(&self.weight),
                ),
            ],
        )
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
        expect("format", HEAD_FORMAT)?;
        expect("labels", &labels_line())?;
        expect("pooling", "mean,l2")?;
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
        Head::new(
            tensor("weight")?,
            bias,
            num("temperature")?,
            get("encoder_fingerprint")?,
            num("cascade_threshold")?,
            mode,
        )
        .map_err(|e| match e {
            Error::Encoder { msg, .. } => head_err(path, msg),
            e => e,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_predicts_the_reference() {
        let dim = 3;
        let mut weight = vec![0.0; NUM_LABELS * dim];
        weight[0] = 2.0; // planning reads e[0]
        weight[dim + 1] = 1.0; // reasoning reads e[1]
        let head = Head::new(weight, [0.0; 4], 2.0, "abc", 0.6, CascadeMode::Encoder).unwrap();
        let back = Head::from_bytes(&head.to_bytes(), Path::new("x")).unwrap();
        assert_eq!(back, head);
        // logits [2, 0, 0, 0] / T=2 → softmax([1, 0, 0, 0]) = [e, 1, 1, 1] / (e + 3)
        let p = head.predict(&[1.0, 0.0, 0.0]);
        let e = std::f32::consts::E;
        assert!((p[0] - e / (e + 3.0)).abs() < 1e-6, "{p:?}");
        assert!((p[1] - 1.0 / (e + 3.0)).abs() < 1e-6);
    }

    #[test]
    fn refuses_a_head_for_other_labels() {
        let head = Head::new(vec![0.0; 8], [0.0; 4], 1.0, "f", 0.5, CascadeMode::Combine).unwrap();
        let text =
            String::from_utf8_lossy(&head.to_bytes()).replace("code_completion", "code_xompletion");
        let err = Head::from_bytes(text.as_bytes(), Path::new("h")).unwrap_err();
        assert!(err.to_string().contains("labels"), "{err}");
    }
}
