//! The four task labels the router distinguishes, in their fixed order.
//!
//! The order of [`Label::ALL`] is the order of every probability vector in the crate
//! and of the classifier's output rows; it is stored with model weights and checked at load.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Number of labels; the length of every probability vector.
pub const NUM_LABELS: usize = 4;

/// Probabilities over [`Label::ALL`], in that order; finite and summing to 1.
pub type Probs = [f32; NUM_LABELS];

/// What the user mostly wants from the model.
///
/// Deliberately exhaustive (not `#[non_exhaustive]`): the label set is fixed by
/// [`NUM_LABELS`], the length of every [`Probs`] and the stored model's output rows, so a new
/// label is a breaking change anyway, and callers can match every label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// A plan: steps, schedule, itinerary, rollout, an agent's multi-step decomposition.
    Planning,
    /// An answer that needs multi-step reasoning: maths, logic, multi-hop, root cause.
    Reasoning,
    /// Code or a code spec in, code out, in any programming language.
    CodeCompletion,
    /// None of the above: chit-chat, translation, summarisation, rewriting, creative writing,
    /// extraction or classification of given text, single-fact look-ups.
    Other,
}

impl Label {
    /// All labels in canonical order (the order of [`Probs`]).
    pub const ALL: [Label; NUM_LABELS] = [
        Label::Planning,
        Label::Reasoning,
        Label::CodeCompletion,
        Label::Other,
    ];

    /// The labels of three-label models and catalogs (before `other` existed), in order:
    /// a prefix of [`Label::ALL`], so their probability vectors and weight rows line up.
    pub const LEGACY: [Label; 3] = [Label::Planning, Label::Reasoning, Label::CodeCompletion];

    /// Position of this label in [`Label::ALL`] and in every [`Probs`].
    pub const fn index(self) -> usize {
        match self {
            Label::Planning => 0,
            Label::Reasoning => 1,
            Label::CodeCompletion => 2,
            Label::Other => 3,
        }
    }

    /// The label at `index` in [`Label::ALL`], if any.
    pub fn from_index(index: usize) -> Option<Label> {
        Label::ALL.get(index).copied()
    }

    /// The snake_case name used in data files, catalogs and JSON output.
    pub const fn as_str(self) -> &'static str {
        match self {
            Label::Planning => "planning",
            Label::Reasoning => "reasoning",
            Label::CodeCompletion => "code_completion",
            Label::Other => "other",
        }
    }

    /// The most likely label of `probs` (ties go to the earlier label).
    pub fn argmax(probs: &Probs) -> Label {
        let mut best = 0;
        for i in 1..NUM_LABELS {
            if probs[i] > probs[best] {
                best = i;
            }
        }
        Label::ALL[best]
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Numerically stable softmax of logits, at least one finite: the one used by inference,
/// calibration and evaluation, so they agree to the bit. A logit of `-inf` gets probability
/// exactly 0 (how a three-label model reports `other`).
pub fn softmax(z: [f32; NUM_LABELS]) -> Probs {
    let m = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut e = z.map(|v| (v - m).exp());
    let sum: f32 = e.iter().sum();
    for v in &mut e {
        *v /= sum;
    }
    e
}

/// Returned when a string is not one of the four label names.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[error("unknown label {0:?} (expected planning, reasoning, code_completion or other)")]
pub struct UnknownLabel(pub String);

impl FromStr for Label {
    type Err = UnknownLabel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "planning" => Ok(Label::Planning),
            "reasoning" => Ok(Label::Reasoning),
            "code_completion" => Ok(Label::CodeCompletion),
            "other" => Ok(Label::Other),
            other => Err(UnknownLabel(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_round_trips_and_names_parse() {
        for (i, l) in Label::ALL.iter().enumerate() {
            assert_eq!(l.index(), i);
            assert_eq!(Label::from_index(i), Some(*l));
            assert_eq!(l.as_str().parse::<Label>().unwrap(), *l);
            assert_eq!(
                serde_json::to_string(l).unwrap(),
                format!("\"{}\"", l.as_str())
            );
        }
        assert!("Planning".parse::<Label>().is_err());
        assert_eq!(Label::from_index(NUM_LABELS), None);
        assert_eq!(Label::ALL[..3], Label::LEGACY);
    }

    #[test]
    fn argmax_prefers_earlier_on_ties() {
        assert_eq!(Label::argmax(&[0.2, 0.5, 0.3, 0.0]), Label::Reasoning);
        assert_eq!(Label::argmax(&[0.4, 0.4, 0.2, 0.0]), Label::Planning);
        assert_eq!(Label::argmax(&[0.1, 0.2, 0.3, 0.4]), Label::Other);
    }

    #[test]
    fn softmax_gives_minus_infinity_exactly_zero() {
        // exp(-inf - m) = 0; the finite logits share the mass as in a three-way softmax.
        let p = softmax([0.0, 0.0, 0.0, f32::NEG_INFINITY]);
        assert_eq!(p[3], 0.0);
        assert!((p[0] - 1.0 / 3.0).abs() < 1e-7);
    }
}
