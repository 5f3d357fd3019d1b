//! The cascade: the microsecond classifier answers, and when it is unsure the encoder tier
//! decides.
//!
//! For a prompt with fast-tier probabilities `p_fast`: when `max(p_fast) ≥ threshold` (and
//! the threshold is below 1) the answer is `p_fast` ([`Tier::Fast`]); otherwise the encoder tier's `p_enc` is computed and
//! the answer is `p_enc` ([`CascadeMode::Encoder`], [`Tier::Encoder`]) or the average
//! `(p_fast + p_enc) / 2` ([`CascadeMode::Combine`], [`Tier::Combined`]). The default
//! threshold and mode ship with the encoder's `Head` (`encoder::Head`, feature `encoder`),
//! chosen on the validation split.
//!
//! [`Tier`] and [`CascadeMode`] are always compiled (a [`Decision`](crate::Decision) names
//! its tier); [`Cascade`] itself needs the `encoder` feature.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[cfg(feature = "encoder")]
use crate::encoder::{Encoder, Head};
#[cfg(feature = "encoder")]
use crate::error::{Error, Result};
#[cfg(feature = "encoder")]
use crate::label::{Probs, NUM_LABELS};

/// Which tier gave a decision's probabilities.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// The hashed n-gram classifier alone (confident, or no encoder configured).
    #[default]
    Fast,
    /// The encoder tier's head, for a prompt the fast tier was unsure about.
    Encoder,
    /// The average of both tiers' probabilities, for an unsure prompt.
    Combined,
}

impl Tier {
    /// `fast`, `encoder` or `combined`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Fast => "fast",
            Tier::Encoder => "encoder",
            Tier::Combined => "combined",
        }
    }
}

/// What the cascade does with a prompt under the threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CascadeMode {
    /// The encoder tier's probabilities replace the fast tier's.
    Encoder,
    /// The two tiers' probabilities are averaged.
    Combine,
}

impl CascadeMode {
    /// `encoder` or `combine`.
    pub fn as_str(self) -> &'static str {
        match self {
            CascadeMode::Encoder => "encoder",
            CascadeMode::Combine => "combine",
        }
    }
}

impl FromStr for CascadeMode {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "encoder" => Ok(CascadeMode::Encoder),
            "combine" => Ok(CascadeMode::Combine),
            other => Err(format!(
                "unknown cascade mode {other:?} (expected encoder or combine)"
            )),
        }
    }
}

/// Whether the cascade consults the encoder for these fast-tier probabilities:
/// `max(p_fast) < threshold`, and always at threshold 1 (a fast probability that rounds to
/// exactly 1.0 included).
#[cfg(feature = "encoder")]
pub fn is_unsure(fast: &Probs, threshold: f32) -> bool {
    threshold >= 1.0 || fast.iter().copied().fold(0.0f32, f32::max) < threshold
}

/// Applies a cascade rule to one prompt's probabilities: `p_enc` is only called for when
/// [`is_unsure`].
#[cfg(feature = "encoder")]
pub fn combine(
    fast: Probs,
    threshold: f32,
    mode: CascadeMode,
    encoder: impl FnOnce() -> Result<Probs>,
) -> Result<(Probs, Tier)> {
    if !is_unsure(&fast, threshold) {
        return Ok((fast, Tier::Fast));
    }
    let enc = encoder()?;
    Ok(match mode {
        CascadeMode::Encoder => (enc, Tier::Encoder),
        CascadeMode::Combine => (
            std::array::from_fn::<f32, NUM_LABELS, _>(|k| 0.5 * (fast[k] + enc[k])),
            Tier::Combined,
        ),
    })
}

/// An encoder with its head and the cascade's threshold and mode. Immutable, `Send + Sync`;
/// a [`Router`](crate::Router) holds one in its swapped state.
#[cfg(feature = "encoder")]
#[derive(Debug)]
pub struct Cascade {
    encoder: Encoder,
    head: Head,
    threshold: f32,
    mode: CascadeMode,
}

#[cfg(feature = "encoder")]
impl Cascade {
    /// Pairs an encoder with a head trained on it, using the head's default threshold and
    /// mode; the encoder pools the layers the head was trained on. Errors when the head was
    /// trained on another encoder, pools layers it lacks, or has another width.
    pub fn new(encoder: Encoder, head: Head) -> Result<Cascade> {
        let encoder = encoder.with_pooled_layers(head.pooled_layers())?;
        let mismatch = |msg: String| Error::Encoder {
            path: encoder.path().to_path_buf(),
            msg,
        };
        if head.encoder_fingerprint() != encoder.fingerprint() {
            return Err(mismatch(format!(
                "the head was trained on encoder {}, this encoder is {}",
                head.encoder_fingerprint(),
                encoder.fingerprint()
            )));
        }
        if head.dim() != encoder.dim() {
            return Err(mismatch(format!(
                "the head reads {} values, the encoder gives {}",
                head.dim(),
                encoder.dim()
            )));
        }
        Ok(Cascade {
            threshold: head.threshold(),
            mode: head.mode(),
            encoder,
            head,
        })
    }

    /// Loads an encoder directory on `device` and pairs it with the compiled-in head for its
    /// fingerprint ([`Head::bundled_for`]).
    pub fn load(dir: impl AsRef<std::path::Path>, device: &candle_core::Device) -> Result<Cascade> {
        let encoder = Encoder::load(dir, device)?;
        let head = Head::bundled_for(encoder.fingerprint()).ok_or_else(|| Error::Encoder {
            path: encoder.path().to_path_buf(),
            msg: format!(
                "no bundled head for encoder fingerprint {}: train one on this encoder and \
                 pair them with Cascade::new",
                encoder.fingerprint()
            ),
        })?;
        Cascade::new(encoder, head)
    }

    /// The same cascade with another threshold in `[0, 1]` (0 never consults the encoder,
    /// 1 always does).
    pub fn with_threshold(mut self, threshold: f32) -> Result<Cascade> {
        if !(0.0..=1.0).contains(&threshold) {
            return Err(Error::Encoder {
                path: self.encoder.path().to_path_buf(),
                msg: format!("cascade threshold {threshold} is not in [0, 1]"),
            });
        }
        self.threshold = threshold;
        Ok(self)
    }

    /// The same cascade with another mode.
    pub fn with_mode(mut self, mode: CascadeMode) -> Cascade {
        self.mode = mode;
        self
    }

    /// The threshold on the fast tier's max probability.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// What happens under the threshold.
    pub fn mode(&self) -> CascadeMode {
        self.mode
    }

    /// The encoder.
    pub fn encoder(&self) -> &Encoder {
        &self.encoder
    }

    /// The head.
    pub fn head(&self) -> &Head {
        &self.head
    }

    /// The encoder tier's probabilities for many texts (batched forward passes).
    pub fn encoder_probs(&self, texts: &[&str]) -> Result<Vec<Probs>> {
        Ok(self
            .encoder
            .embed(texts)?
            .iter()
            .map(|e| self.head.predict(e))
            .collect())
    }

    /// One prompt through the cascade, given its fast-tier probabilities.
    pub fn resolve(&self, fast: Probs, text: &str) -> Result<(Probs, Tier)> {
        combine(fast, self.threshold, self.mode, || {
            Ok(self.encoder_probs(&[text])?[0])
        })
    }

    /// Many prompts through the cascade: the unsure ones share batched forward passes.
    pub fn resolve_batch(&self, fast: &[Probs], texts: &[&str]) -> Result<Vec<(Probs, Tier)>> {
        let unsure: Vec<usize> = (0..fast.len())
            .filter(|&i| is_unsure(&fast[i], self.threshold))
            .collect();
        let unsure_texts: Vec<&str> = unsure.iter().map(|&i| texts[i]).collect();
        let enc = self.encoder_probs(&unsure_texts)?;
        let mut enc_at = vec![None; fast.len()];
        for (&i, p) in unsure.iter().zip(enc) {
            enc_at[i] = Some(p);
        }
        fast.iter()
            .zip(enc_at)
            .map(|(&f, e)| {
                combine(f, self.threshold, self.mode, || {
                    e.ok_or_else(|| unreachable_probs(self))
                })
            })
            .collect()
    }
}

/// Without the `encoder` feature there is no cascade: this type has no values, so a
/// router's cascade slot is always empty.
#[cfg(not(feature = "encoder"))]
#[derive(Debug)]
pub enum Cascade {}

#[cfg(feature = "encoder")]
fn unreachable_probs(c: &Cascade) -> Error {
    Error::Encoder {
        path: c.encoder.path().to_path_buf(),
        msg: "internal: an unsure prompt has no encoder probabilities".into(),
    }
}

#[cfg(all(test, feature = "encoder"))]
mod tests {
    use super::*;
    use crate::encoder::tiny;
    use crate::router::Router;
    use crate::encoder::Layers;

    /// A head over the tiny encoder that always says `reasoning` with p ≈ 0.97.
    fn head(threshold: f32, mode: CascadeMode) -> Head {
        Head::new(
            Layers::linear(vec![0.0; NUM_LABELS * tiny::DIM], [0.0, 5.0, 0.0, 0.0]).unwrap(),
            1.0,
            "tiny",
            threshold,
            mode,
        )
        .unwrap()
    }

    #[test]
    fn the_threshold_decides_which_tier_answers() {
        let c = Cascade::new(tiny::encoder(), head(0.6, CascadeMode::Encoder)).unwrap();
        let sure = [0.9, 0.05, 0.03, 0.02];
        let unsure = [0.5, 0.3, 0.1, 0.1];
        assert_eq!(c.resolve(sure, "plan a trip").unwrap(), (sure, Tier::Fast));
        let (p, tier) = c.resolve(unsure, "plan a trip").unwrap();
        assert_eq!(tier, Tier::Encoder);
        // softmax([0, 5, 0, 0]) = e⁵ / (e⁵ + 3)
        let e5 = 5f32.exp();
        assert!((p[1] - e5 / (e5 + 3.0)).abs() < 1e-6, "{p:?}");
        let c = c.with_mode(CascadeMode::Combine);
        let (p, tier) = c.resolve(unsure, "plan a trip").unwrap();
        assert_eq!(tier, Tier::Combined);
        assert!((p[1] - 0.5 * (0.3 + e5 / (e5 + 3.0))).abs() < 1e-6);
        assert!(c.with_threshold(1.5).is_err());
    }

    #[test]
    fn a_head_for_another_encoder_is_refused() {
        let other = Head::new(
            Layers::linear(vec![0.0; NUM_LABELS * tiny::DIM], [0.0; 4]).unwrap(),
            1.0,
            "not-tiny",
            0.5,
            CascadeMode::Encoder,
        )
        .unwrap();
        let err = Cascade::new(tiny::encoder(), other).unwrap_err();
        assert!(err.to_string().contains("not-tiny"), "{err}");
    }

    #[test]
    fn the_encoder_pools_the_layers_its_head_was_trained_on() {
        let head = |layers: &[usize], width: usize| {
            Head::new(
                Layers::linear(vec![0.0; NUM_LABELS * width], [0.0; 4]).unwrap(),
                1.0,
                "tiny",
                0.5,
                CascadeMode::Encoder,
            )
            .unwrap()
            .with_pooled_layers(layers)
        };
        let c = Cascade::new(tiny::encoder(), head(&[1, 2], 2 * tiny::DIM)).unwrap();
        assert_eq!(c.encoder().pooled_layers(), [1, 2]);
        assert_eq!(c.encoder_probs(&["plan a trip"]).unwrap().len(), 1);
        // A last-layer head resets an encoder configured otherwise.
        let wide = tiny::encoder().with_pooled_layers(&[0, 1]).unwrap();
        let c = Cascade::new(wide, head(&[], tiny::DIM)).unwrap();
        assert_eq!(c.encoder().pooled_layers(), [2]);
        // Layers the encoder lacks, or a width that does not match, are refused.
        let err = Cascade::new(tiny::encoder(), head(&[5], tiny::DIM)).unwrap_err();
        assert!(err.to_string().contains("pooled layers"), "{err}");
        let err = Cascade::new(tiny::encoder(), head(&[1, 2], tiny::DIM)).unwrap_err();
        assert!(err.to_string().contains("the head reads"), "{err}");
    }

    #[test]
    fn the_router_cascades_and_route_batch_agrees_with_route() {
        let c = Cascade::new(tiny::encoder(), head(1.0, CascadeMode::Encoder)).unwrap();
        let router = Router::builder().cascade(c).build().unwrap();
        let prompts = ["plan a trip", "why is this query slow", "   ", "write code"];
        let batch = router.route_batch(&prompts);
        for (p, b) in prompts.iter().zip(&batch) {
            match (router.route(p), b) {
                (Ok(one), Ok(many)) => {
                    assert_eq!(one.tier, Tier::Encoder);
                    assert_eq!(one.label, crate::Label::Reasoning);
                    assert_eq!(
                        (one.label, one.tier, &one.model),
                        (many.label, many.tier, &many.model)
                    );
                }
                (Err(crate::Error::EmptyPrompt), Err(crate::Error::EmptyPrompt)) => {}
                (one, many) => panic!("{p:?}: {one:?} vs {many:?}"),
            }
        }
        // A threshold of 0 never consults the encoder; reloads keep the cascade.
        router.set_cascade(Some(
            Cascade::new(tiny::encoder(), head(0.0, CascadeMode::Encoder)).unwrap(),
        ));
        assert_eq!(router.route("plan a trip").unwrap().tier, Tier::Fast);
        router.set_catalog(crate::Catalog::bundled().unwrap());
        assert!(router.cascade().is_some());
        router.set_cascade(None);
        assert_eq!(router.route("plan a trip").unwrap().tier, Tier::Fast);
    }
}
