//! Features → calibrated probabilities over [`Label::ALL`](crate::Label::ALL).
//!
//! PLACEHOLDER interface until the classifier lands: `load`, `bundled` and `predict` keep
//! these signatures; the router codes against them.

use std::path::Path;

use crate::error::Result;
use crate::label::{Probs, NUM_LABELS};

/// A loaded, immutable classifier; cheap to share behind an `Arc`.
#[derive(Debug, Clone)]
pub struct Classifier {
    _private: (),
}

impl Classifier {
    /// Loads a model directory (`model.safetensors` + `config.json`).
    pub fn load(_dir: &Path) -> Result<Self> {
        Ok(Classifier { _private: () })
    }

    /// The default model bundled with the crate.
    pub fn bundled() -> Result<Self> {
        Ok(Classifier { _private: () })
    }

    /// Probabilities over the labels for one prompt; never panics, finite, sums to 1.
    pub fn predict(&self, _text: &str) -> Probs {
        [1.0 / NUM_LABELS as f32; NUM_LABELS]
    }
}
