//! The crate's one error type. Every variant says what went wrong and where
//! (file, line, field) so a CLI can print it once and a service can match on it.
//!
//! Messages name files, fields and values, never a command-line flag: the library does not
//! know how it was invoked (the `promptyard` binary adds its own advice).
//!
//! Stages add variants here rather than defining their own error types.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::label::Label;
use crate::policy::Rejection;

/// Result alias used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in promptyard's library code.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },

    /// A model directory is missing, truncated or does not match this build.
    #[error("model {path}: {msg}")]
    Model {
        /// The model file at fault (`config.json` or `model.safetensors`).
        path: PathBuf,
        /// What is wrong with it.
        msg: String,
    },

    /// A catalog file is invalid.
    #[error("catalog {path}:{line}: {field}: {msg}")]
    Catalog {
        /// The catalog file (or the name given to [`Catalog::parse`](crate::Catalog::parse)).
        path: PathBuf,
        /// 1-based line of the offending value; 0 when unknown.
        line: usize,
        /// Dotted path of the field, e.g. `model[2].quality.reasoning`; `-` when unknown.
        field: String,
        /// What is wrong with the value.
        msg: String,
    },

    /// A [`FeaturizerConfig`](crate::features::FeaturizerConfig) field is out of range or
    /// names a hash or scheme this build does not implement.
    #[error("featurizer config {field}: {msg}")]
    FeaturizerConfig {
        /// The field at fault, e.g. `buckets`.
        field: &'static str,
        /// What is wrong with its value.
        msg: String,
    },

    /// No catalog model is adequate for the prompt, and the catalog sets no usable
    /// `default_model`. The message is one line; the fields say why, model by model.
    #[error("{}", no_adequate_model_line(.required, .tokens, .rejected))]
    NoAdequateModel {
        /// Labels a model had to be adequate for (the predicted one and every plausible
        /// one), in [`Label::ALL`] order.
        required: Vec<Label>,
        /// Tokens the context window had to hold: estimated input plus expected output.
        tokens: u64,
        /// Every catalog model, in file order, with the first reason it was passed over.
        rejected: Vec<(String, Rejection)>,
    },

    /// The prompt is empty or only whitespace (Unicode `White_Space`, as [`str::trim`]): there
    /// is nothing to classify, so [`Router::route`](crate::Router::route) refuses it rather
    /// than guess a label and a model for it.
    #[error("empty prompt: nothing to route (the text is empty or only whitespace)")]
    EmptyPrompt,

    /// Probabilities handed to the policy are not a distribution over the labels: an entry
    /// is NaN, infinite or negative, or they do not sum to 1 (within
    /// [`PROBS_SUM_TOLERANCE`](crate::policy::PROBS_SUM_TOLERANCE)).
    #[error("probabilities {probs:?} are not a distribution: {msg}")]
    InvalidProbs {
        /// The probabilities as given, in [`Label::ALL`] order.
        probs: Vec<f32>,
        /// What is wrong with them.
        msg: String,
    },

    /// A published model (`hf:ORG/REPO[@REV]`) could not be resolved to a local directory.
    #[error("model {spec}: {msg}")]
    Hub {
        /// The model spec as given.
        spec: String,
        /// Why it is malformed or could not be resolved.
        msg: String,
    },

    /// An encoder directory or encoder head is invalid or does not fit (`encoder` feature).
    #[error("encoder {path}: {msg}")]
    Encoder {
        /// The directory or file at fault.
        path: PathBuf,
        /// What is wrong with it.
        msg: String,
    },

    /// A compute device could not be used (`cpu`, `cuda`).
    #[error("device {name}: {msg}")]
    Device {
        /// The device name as given.
        name: String,
        /// Why it cannot be used.
        msg: String,
    },

    /// A tensor operation failed inside candle (batch inference, training).
    #[cfg(feature = "candle")]
    #[error("candle: {0}")]
    Candle(#[from] candle_core::Error),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// `no adequate model for reasoning and code_completion within 1300 tokens: 2 below the
/// minimum quality, 1 with too small a context window; no default_model applies`.
fn no_adequate_model_line(
    required: &[Label],
    tokens: &u64,
    rejected: &[(String, Rejection)],
) -> String {
    let mut s = String::from("no adequate model for ");
    for (n, l) in required.iter().enumerate() {
        if n > 0 {
            s.push_str(" and ");
        }
        s.push_str(l.as_str());
    }
    let _ = write!(s, " within {tokens} tokens: ");
    let count = |f: fn(&Rejection) -> bool| rejected.iter().filter(|(_, r)| f(r)).count();
    let parts = [
        (
            count(|r| matches!(r, Rejection::Quality { .. })),
            "below the minimum quality",
        ),
        (
            count(|r| matches!(r, Rejection::ContextWindow { .. })),
            "with too small a context window",
        ),
        (
            count(|r| {
                matches!(
                    r,
                    Rejection::Disabled | Rejection::NotAllowed | Rejection::Denied
                )
            }),
            "disabled or excluded by allow/deny",
        ),
    ];
    let mut listed = 0;
    for (n, what) in parts.into_iter().filter(|(n, _)| *n > 0) {
        if listed > 0 {
            s.push_str(", ");
        }
        let _ = write!(s, "{n} {what}");
        listed += 1;
    }
    if listed == 0 {
        s.push_str("the catalog has no models");
    }
    s.push_str("; no default_model applies");
    s
}
