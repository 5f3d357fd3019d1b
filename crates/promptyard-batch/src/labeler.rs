//! Labellers: what turns one prompt into the fields its output record gets.
//!
//! [`RouterLabeler`] is the plain-Rust path (one prompt at a time on the rayon pool, no
//! allocation); [`EngineLabeler`] (cargo feature `candle`) runs the classifier through
//! candle a chunk at a time, on CPU or a GPU, and applies the same policy to its
//! probabilities. Any `Fn(&str) -> Result<Labelled>` is a labeller too (tests, custom models).

use std::borrow::Cow;

use rayon::prelude::*;

pub use promptyard::cascade::Tier;
use promptyard::catalog::Catalog;
use promptyard::classifier::Classifier;
use promptyard::label::{Label, Probs};
use promptyard::policy::Policy;
use promptyard::router::{FastDecider, Router};

use crate::error::{Error, Result};

/// The fields a labeller adds to each record (the routing part of a
/// [`Decision`](promptyard::router::Decision)); `model` borrows from the labeller's catalog.
#[derive(Clone, Debug, PartialEq)]
pub struct Labelled<'a> {
    /// The predicted label.
    pub label: Label,
    /// Probability of `label`.
    pub confidence: f32,
    /// Calibrated probabilities in [`Label::ALL`] order.
    pub probs: Probs,
    /// Catalog id of the chosen model.
    pub model: Cow<'a, str>,
    /// Estimated cost of sending the prompt to `model`, USD.
    pub est_cost_usd: f64,
    /// Estimated input tokens of the prompt (what the cost was computed from).
    pub input_tokens: u64,
    /// Output tokens assumed for the label.
    pub output_tokens: u64,
    /// Which tier gave `probs`: `Fast` unless a cascade sent the prompt to its encoder tier
    /// (as [`Decision::tier`](promptyard::Decision::tier)), so a labelled log says which
    /// prompts paid for an encoder pass.
    pub tier: Tier,
}

/// Labels prompts. [`run`](crate::run) calls [`label`](Labeler::label) from rayon workers,
/// so a labeller must be `Sync` and should do its work on the calling thread (no nested
/// thread pools), unless it [prefers batches](Labeler::prefers_batches).
pub trait Labeler: Sync {
    /// Labels one prompt.
    fn label<'a>(&'a self, text: &str) -> Result<Labelled<'a>>;

    /// Labels many prompts, one result per text, in order. An outer `Err` means the whole
    /// batch failed (say, the device did) and stops a run; an inner one becomes a
    /// `route_failed` error record. Default: [`label`](Labeler::label) each text on the
    /// rayon pool.
    fn label_batch<'a>(&'a self, texts: &[&str]) -> Result<Vec<Result<Labelled<'a>>>> {
        Ok(texts.par_iter().map(|t| self.label(t)).collect())
    }

    /// Whether [`run`](crate::run) should hand each chunk's prompts to
    /// [`label_batch`](Labeler::label_batch) in one call on its own thread (true for
    /// engines that run one forward pass per batch) instead of calling
    /// [`label`](Labeler::label) per record on the rayon pool as each record is parsed
    /// (false, the default: the fastest path for the plain-Rust classifier).
    fn prefers_batches(&self) -> bool {
        false
    }

    /// What identifies this labeller's decisions, as `(name, value)` pairs recorded in a
    /// resume checkpoint: a resume whose labeller differs in any of them is refused, so one
    /// output never mixes two catalogs or two models. Default: nothing (a closure cannot be
    /// told apart from another).
    fn identity(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// The identity of a router-made decision: catalog and classifier fingerprints.
fn router_identity(policy: &Policy, classifier: &Classifier) -> Vec<(&'static str, String)> {
    vec![
        (
            "catalog",
            format!("{:016x}", policy.catalog().fingerprint()),
        ),
        ("classifier", classifier.fingerprint().to_owned()),
    ]
}

impl<F, E> Labeler for F
where
    F: Fn(&str) -> std::result::Result<Labelled<'static>, E> + Sync,
    E: Into<Error>,
{
    fn label<'a>(&'a self, text: &str) -> Result<Labelled<'a>> {
        self(text).map_err(Into::into)
    }
}

/// The policy's choice for `probs` (per prompt when the catalog carries an adequacy model)
/// as the fields of an output record; no allocation.
#[cfg(feature = "candle")]
fn decide<'p>(policy: &'p Policy, probs: Probs, text: &str) -> Result<Labelled<'p>> {
    labelled(policy, probs, policy.choose_for(&probs, text)?)
}

fn labelled<'p>(
    policy: &'p Policy,
    probs: Probs,
    choice: promptyard::policy::Choice,
) -> Result<Labelled<'p>> {
    let pick = choice.pick();
    Ok(Labelled {
        label: choice.label,
        confidence: probs[choice.label.index()],
        probs,
        model: Cow::Borrowed(&policy.catalog().models()[pick.model].id),
        est_cost_usd: pick.cost_usd,
        input_tokens: choice.input_tokens,
        output_tokens: choice.output_tokens,
        tier: Tier::Fast,
    })
}

/// Labels with a snapshot of a [`Router`]'s classifier and catalog: the same decision as
/// [`Router::route`] minus the strings a batch record does not carry (reason, fallbacks),
/// so the hot path does not allocate. A reload of the router does not affect a run.
pub struct RouterLabeler {
    decider: FastDecider,
}

impl RouterLabeler {
    /// Snapshots `router`'s classifier and catalog.
    pub fn new(router: &Router) -> Self {
        RouterLabeler {
            decider: FastDecider::of(router),
        }
    }

    /// The catalog decisions are made over.
    pub fn catalog(&self) -> &Catalog {
        self.decider.policy().catalog()
    }
}

impl Labeler for RouterLabeler {
    fn label<'a>(&'a self, text: &str) -> Result<Labelled<'a>> {
        let (probs, choice) = self.decider.choose(text)?;
        labelled(self.decider.policy(), probs, choice)
    }

    fn identity(&self) -> Vec<(&'static str, String)> {
        router_identity(self.decider.policy(), self.decider.classifier())
    }
}

#[cfg(feature = "candle")]
pub use self::engine::EngineLabeler;

#[cfg(feature = "candle")]
mod engine {
    use rayon::prelude::*;

    use promptyard::catalog::Catalog;
    use promptyard::classifier::{device_from_name, BatchEngine};
    use promptyard::policy::Policy;
    use promptyard::router::Router;

    use super::{decide, Labeler, Labelled};
    use crate::error::Result;

    /// Labels a chunk at a time through candle's [`BatchEngine`] (one batched forward pass
    /// per [`BatchEngine::CHUNK`] prompts, on CPU or a GPU), then applies a [`Router`]'s
    /// policy to the probabilities: the same decisions as [`RouterLabeler`](super::RouterLabeler)
    /// up to float rounding (probabilities agree within 1e-5). The forward pass runs on the
    /// thread that calls [`run`](crate::run), never inside the rayon pool.
    pub struct EngineLabeler {
        engine: BatchEngine,
        policy: Policy,
        classifier: std::sync::Arc<promptyard::classifier::Classifier>,
        device: String,
    }

    impl EngineLabeler {
        /// Uploads `router`'s classifier to the device named `cpu` or `cuda` (`cuda` needs
        /// the `cuda` cargo feature of `promptyard`; without it this is an error).
        pub fn new(router: &Router, device: &str) -> Result<Self> {
            let classifier = router.classifier();
            let engine = BatchEngine::new(&classifier, &device_from_name(device)?)?;
            Ok(EngineLabeler {
                engine,
                classifier,
                policy: Policy::new(router.catalog()),
                device: device.to_owned(),
            })
        }

        /// The device name it was built for.
        pub fn device(&self) -> &str {
            &self.device
        }

        /// The catalog decisions are made over.
        pub fn catalog(&self) -> &Catalog {
            self.policy.catalog()
        }
    }

    impl Labeler for EngineLabeler {
        fn label<'a>(&'a self, text: &str) -> Result<Labelled<'a>> {
            let probs = self.engine.predict(&[text])?;
            decide(&self.policy, probs[0], text)
        }

        fn label_batch<'a>(&'a self, texts: &[&str]) -> Result<Vec<Result<Labelled<'a>>>> {
            let probs = self.engine.predict(texts)?;
            Ok(texts
                .par_iter()
                .zip(probs)
                .map(|(text, p)| decide(&self.policy, p, text))
                .collect())
        }

        fn prefers_batches(&self) -> bool {
            true
        }

        fn identity(&self) -> Vec<(&'static str, String)> {
            let mut id = super::router_identity(&self.policy, &self.classifier);
            id.push(("device", self.device.clone()));
            id
        }
    }
}
