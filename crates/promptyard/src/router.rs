//! The embeddable router: classifier + policy behind one `Send + Sync` handle with lock-free
//! hot reload.
//!
//! A [`Router`] holds one immutable *state* — a validated [`Catalog`] prepared as a
//! [`Policy`], plus a [`Classifier`] — in an [`ArcSwap`]. [`Router::route`] takes a snapshot
//! of the state (an atomic load, no lock, no allocation), classifies the prompt and applies
//! the policy on the caller's thread. [`Router::reload_catalog`] and [`Router::reload_model`]
//! build and validate the new part off to the side and swap in a whole new state; a reload
//! that fails leaves the old state in place and returns the error. Requests in flight finish
//! on the state they started with, so every decision comes from one whole state.
//!
//! [`Router::route_into`] is the allocation-free form of `route` for a service's request loop:
//! the caller keeps one [`RouteScratch`] per thread, and the answer is a [`DecisionRef`] that
//! reads ids from the catalog in place and formats the reason only on request. Both run one
//! core (classify, then the policy's index-based [`Choice`]) and `route` only adds the owned
//! [`Decision`] (inline ids, the reason as numbers; usually no allocation), so
//! `route_into(p, s)?.to_owned() == route(p)?` for every prompt.
//!
//! With an encoder (feature `encoder`, `RouterBuilder::encoder`) the state also holds a
//! [`Cascade`]: prompts the fast classifier is unsure about go to the encoder tier before the
//! policy ([`crate::cascade`]), and [`Decision::tier`] says which tier answered. The encoder
//! is part of the swapped state, so reloads never mix an old encoder with a new catalog.
//!
//! An empty or whitespace-only prompt ([`is_blank`]) is refused with [`Error::EmptyPrompt`]
//! by [`Router::route`], [`Router::route_into`], [`Router::route_batch`] (per prompt) and
//! [`Router::decide`]; the `promptyard route` command exits 2 on it and `promptyard label`
//! writes an `empty_text` error record, so every entry point gives the same answer.
//!
//! ```
//! use std::sync::Arc;
//! use promptyard::router::Router;
//!
//! let router = Arc::new(Router::new()?); // bundled catalog and classifier
//! let d = router.route("Complete this function: def parse_date(s):")?;
//! let chosen = router.catalog().model(&d.model).cloned().expect("a catalog model");
//! assert_eq!(d.est_cost_usd, chosen.cost_usd(d.input_tokens, d.output_tokens));
//! assert!(d.reason.to_string().starts_with(d.label.as_str()));
//!
//! // Many prompts in parallel (rayon), the same decisions as `route`.
//! let batch = router.route_batch(&["Plan a 3-day trip to Lisbon", "What is 17 × 23?"]);
//! assert_eq!(batch.len(), 2);
//! # Ok::<(), promptyard::Error>(())
//! ```

use std::cell::RefCell;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arc_swap::{ArcSwap, Guard};
use rayon::prelude::*;

use crate::cascade::{Cascade, Tier};
use crate::catalog::Catalog;
use crate::catalog::ModelSpec;
use crate::classifier::{Classifier, Scratch};
use crate::error::{Error, Result};
use crate::hash::Fingerprint;
use crate::label::Label;
use crate::label::{Probs, NUM_LABELS};
pub use crate::policy::Decision;
use crate::policy::{Choice, Policy, PolicyScratch, Reason};
use crate::scratch::with_local;

/// Routes prompts to the cheapest adequate model. `Send + Sync`: share it behind an `Arc`.
pub struct Router {
    state: ArcSwap<State>,
}

/// One consistent routing state; replaced whole on reload.
struct State {
    /// The classifier and the policy, deciding as the fast tier does.
    fast: FastDecider,
    /// The classifier's fingerprint, copied into every decision (no shared reference count).
    classifier_fingerprint: Fingerprint,
    /// The encoder tier for unsure prompts; `None` is fast-only (always, without the
    /// `encoder` feature).
    cascade: Option<Arc<Cascade>>,
}

/// Caller-owned buffers for [`Router::route_into`]: the classifier's [`Scratch`], the
/// prompt's bucket ids (read by a per-prompt adequacy model that shares the classifier's
/// features) and the policy's [`PolicyScratch`]. Keep one per thread and reuse it: once its
/// buffers have grown to the longest prompt seen (the featurizer truncates long prompts, so
/// that is bounded), routing allocates nothing. It holds no routing state, so one scratch
/// serves any router and survives reloads.
#[derive(Clone, Debug, Default)]
pub struct RouteScratch {
    classifier: Scratch,
    ids: Vec<u32>,
    policy: PolicyScratch,
}

thread_local! {
    /// The buffers of [`Router::route`], which takes no scratch.
    static SCRATCH: RefCell<RouteScratch> = RefCell::default();
}

impl State {
    fn new(policy: Policy, classifier: Arc<Classifier>, cascade: Option<Arc<Cascade>>) -> State {
        State {
            classifier_fingerprint: classifier.fingerprint_inline(),
            fast: FastDecider::new(classifier, policy),
            cascade,
        }
    }

    /// The routing core every single-prompt entry point runs: classify, resolve through the
    /// cascade if any, and choose by catalog index, all in `scratch`, written into `probs`
    /// and `choice` (the tier returned) so [`Router::route_into`] fills its [`DecisionRef`] in
    /// place. No strings are built here; [`State::decision`] (or a [`DecisionRef`]) turns the
    /// choice into them. Allocation-free on success once `scratch` has grown, except a
    /// cascade's encoder pass.
    fn choose_in(
        &self,
        prompt: &str,
        scratch: &mut RouteScratch,
        probs: &mut Probs,
        choice: &mut Choice,
    ) -> Result<Tier> {
        let Some(c) = &self.cascade else {
            self.fast.choose_in(prompt, scratch, probs, choice)?;
            return Ok(Tier::Fast);
        };
        if is_blank(prompt) {
            return Err(Error::EmptyPrompt);
        }
        let FastDecider {
            classifier, policy, ..
        } = &self.fast;
        let fast = classifier.predict_with(prompt, &mut scratch.classifier);
        let tier;
        (*probs, tier) = resolve(c, fast, prompt)?;
        policy.choose_for_in(probs, prompt, &mut scratch.policy, choice)?;
        Ok(tier)
    }

    /// The owned [`Decision`] for a choice of [`State::choose_in`] from tier `tier`.
    fn decision(&self, probs: &Probs, choice: &Choice, tier: Tier) -> Decision {
        let mut decision = self.fast.policy.decision(probs, choice);
        decision.classifier_fingerprint = Some(self.classifier_fingerprint);
        decision.tier = tier;
        decision
    }

    fn route(&self, prompt: &str) -> Result<Decision> {
        let (mut probs, mut choice) = ([0.0; NUM_LABELS], Choice::blank());
        let tier = with_local(&SCRATCH, |s| {
            self.choose_in(prompt, s, &mut probs, &mut choice)
        })?;
        Ok(self.decision(&probs, &choice, tier))
    }

    /// The policy's decision for probabilities from tier `tier`.
    fn finish(&self, probs: &Probs, tier: Tier, prompt: &str) -> Result<Decision> {
        let choice = self.fast.policy.choose_for(probs, prompt)?;
        Ok(self.decision(probs, &choice, tier))
    }

    /// Like `route` for many prompts: the fast tier in parallel, then the unsure prompts
    /// through the encoder in shared batches, then the policy in parallel.
    fn route_batch(&self, prompts: &[&str]) -> Vec<Result<Decision>> {
        let Some(cascade) = &self.cascade else {
            return prompts.par_iter().map(|p| self.route(p)).collect();
        };
        let live: Vec<usize> = (0..prompts.len())
            .filter(|&i| !is_blank(prompts[i]))
            .collect();
        let texts: Vec<&str> = live.iter().map(|&i| prompts[i]).collect();
        let fast: Vec<Probs> = texts
            .par_iter()
            .map(|p| self.fast.classifier.predict(p))
            .collect();
        let Ok(resolved) = resolve_batch(cascade, &fast, &texts) else {
            // One prompt's failure must not take the batch down: give each its own answer.
            return prompts.iter().map(|p| self.route(p)).collect();
        };
        let mut out: Vec<Result<Decision>> =
            prompts.iter().map(|_| Err(Error::EmptyPrompt)).collect();
        let decided: Vec<(usize, Result<Decision>)> = live
            .par_iter()
            .zip(resolved.par_iter())
            .map(|(&i, (probs, tier))| (i, self.finish(probs, *tier, prompts[i])))
            .collect();
        for (i, d) in decided {
            out[i] = d;
        }
        out
    }
}

#[cfg(feature = "encoder")]
fn resolve(c: &Cascade, fast: Probs, prompt: &str) -> Result<(Probs, Tier)> {
    c.resolve(fast, prompt)
}

#[cfg(feature = "encoder")]
fn resolve_batch(c: &Cascade, fast: &[Probs], texts: &[&str]) -> Result<Vec<(Probs, Tier)>> {
    c.resolve_batch(fast, texts)
}

#[cfg(not(feature = "encoder"))]
fn resolve(c: &Cascade, _: Probs, _: &str) -> Result<(Probs, Tier)> {
    match *c {}
}

#[cfg(not(feature = "encoder"))]
fn resolve_batch(c: &Cascade, _: &[Probs], _: &[&str]) -> Result<Vec<(Probs, Tier)>> {
    match *c {}
}

/// True for a prompt with nothing to classify: empty, or only whitespace (Unicode
/// `White_Space`, the definition of [`str::trim`]). The router refuses such prompts with
/// [`Error::EmptyPrompt`]; batch labelling marks them `empty_text` with the same test.
pub fn is_blank(prompt: &str) -> bool {
    prompt.trim().is_empty()
}

/// One snapshot of a classifier and a policy that decides as [`Router::route`] does without
/// a cascade: a blank prompt is refused, and the prompt is featurized once when the catalog's
/// adequacy model reads the classifier's bucket ids. For callers that hold one state for a
/// whole batch (the batch labeller, the Python Arrow path) and want its `Choice`, not a
/// [`Decision`].
#[derive(Debug, Clone)]
pub struct FastDecider {
    classifier: Arc<Classifier>,
    policy: Policy,
    /// Prompts up to this many bytes are featurized once for the classifier and the adequacy
    /// model ([`Policy::shares_features_up_to`]); longer ones once for each.
    shared_up_to: usize,
}

impl FastDecider {
    /// Pairs `classifier` with `policy`.
    pub fn new(classifier: Arc<Classifier>, policy: Policy) -> Self {
        FastDecider {
            shared_up_to: policy.shares_features_up_to(classifier.featurizer().config()),
            classifier,
            policy,
        }
    }

    /// A snapshot of `router`'s current classifier and catalog.
    pub fn of(router: &Router) -> Self {
        router.state.load().fast.clone()
    }

    /// The classifier decisions are made with.
    pub fn classifier(&self) -> &Arc<Classifier> {
        &self.classifier
    }

    /// The policy decisions are made with.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The fast tier's probabilities for `prompt` and the policy's choice for them: the
    /// decision of `route` (per prompt when the catalog carries an adequacy model), or
    /// [`Error::EmptyPrompt`] for a blank prompt. Allocation-free on success once this
    /// thread's buffers have grown.
    pub fn choose(&self, prompt: &str) -> Result<(Probs, Choice)> {
        with_local(&SCRATCH, |s| self.choose_into(prompt, s))
    }

    /// [`FastDecider::choose`] in caller-owned buffers: the fast path of
    /// [`Router::route_into`].
    pub fn choose_into(&self, prompt: &str, scratch: &mut RouteScratch) -> Result<(Probs, Choice)> {
        let mut probs = [0.0; NUM_LABELS];
        let mut choice = Choice::blank();
        self.choose_in(prompt, scratch, &mut probs, &mut choice)?;
        Ok((probs, choice))
    }

    /// [`FastDecider::choose_into`] written into `probs` and `choice`.
    fn choose_in(
        &self,
        prompt: &str,
        scratch: &mut RouteScratch,
        probs: &mut Probs,
        choice: &mut Choice,
    ) -> Result<()> {
        if is_blank(prompt) {
            return Err(Error::EmptyPrompt);
        }
        let RouteScratch {
            classifier,
            ids,
            policy,
        } = scratch;
        if prompt.len() <= self.shared_up_to {
            // The adequacy model reads the classifier's bucket ids: one featurization.
            *probs = self.classifier.predict_recording(prompt, classifier, ids);
            self.policy
                .choose_for_features_in(probs, prompt, ids, policy, choice)
        } else {
            *probs = self.classifier.predict_with(prompt, classifier);
            self.policy.choose_for_in(probs, prompt, policy, choice)
        }
    }
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state.load();
        f.debug_struct("Router")
            .field("catalog", &state.fast.policy.catalog().path())
            .field("models", &state.fast.policy.catalog().models().len())
            .finish_non_exhaustive()
    }
}

impl Router {
    /// A router over the bundled catalog (`models/catalog.toml`) and the bundled classifier.
    pub fn new() -> Result<Router> {
        Router::builder().build()
    }

    /// Configures a router: catalog and classifier default to the bundled ones.
    pub fn builder() -> RouterBuilder {
        RouterBuilder::default()
    }

    /// Classifies `prompt` and picks the cheapest adequate model.
    ///
    /// Errors with [`Error::EmptyPrompt`] for an empty or whitespace-only prompt
    /// ([`is_blank`]) and with [`Error::NoAdequateModel`] (nothing adequate and no
    /// `default_model`); never panics on any input.
    ///
    /// Runs the same core as [`route_into`](Self::route_into) (with a thread-local
    /// [`RouteScratch`]) and then builds the owned strings: the two always agree.
    pub fn route(&self, prompt: &str) -> Result<Decision> {
        self.state.load().route(prompt)
    }

    /// [`route`](Self::route) without allocating: the buffers come from the caller's
    /// `scratch`, and the answer is a [`DecisionRef`] that reads the model id, provider and
    /// fallbacks from the catalog it was decided by instead of copying them, and formats the
    /// reason only when asked ([`DecisionRef::write_reason`]). For a service's request loop
    /// that wants no allocation at all: `route` copies the ids into its [`Decision`] (inline
    /// up to 24 bytes, so only a catalog's longer ids or over three fallbacks allocate) and
    /// uses the thread's scratch. [`DecisionRef::to_owned`] gives exactly what `route` returns.
    ///
    /// Allocation-free on success once `scratch` has grown to the longest prompt it has seen
    /// (the featurizer truncates, so that is bounded); errors ([`Error::EmptyPrompt`],
    /// [`Error::NoAdequateModel`]) are the same as `route`'s and may allocate their message.
    /// With a cascade (feature `encoder`), a prompt the fast tier is unsure about goes through
    /// the encoder tier, which allocates (tokenizer and tensors); the fast-only router, the
    /// default, never does.
    ///
    /// The [`DecisionRef`] holds a snapshot of the router's state (an [`arc_swap::Guard`], no
    /// lock), so a reload while it is alive does not change what it reports. Drop it soon,
    /// as you would a guard: a thread holding many at once makes further loads slower.
    ///
    /// ```
    /// use promptyard::router::{RouteScratch, Router};
    ///
    /// let router = Router::new()?;
    /// let mut scratch = RouteScratch::default(); // one per thread, reused for every prompt
    /// for prompt in ["Complete this function: def parse_date(s):", "Plan a 3-day trip to Lisbon"] {
    ///     let d = router.route_into(prompt, &mut scratch)?;
    ///     let model: &str = d.model(); // borrowed from the catalog, not copied
    ///     let retry: Vec<&str> = d.fallbacks().collect(); // (collecting allocates; iterate instead)
    ///     assert!(!model.is_empty() && !retry.contains(&model));
    ///     assert_eq!(d.to_owned(), router.route(prompt)?); // the same decision as `route`
    ///     let mut reason = String::new(); // only when a human will read it
    ///     d.write_reason(&mut reason).unwrap();
    ///     assert!(reason.starts_with(d.label().as_str()));
    /// }
    /// assert!(matches!(
    ///     router.route_into("  ", &mut scratch),
    ///     Err(promptyard::Error::EmptyPrompt)
    /// ));
    /// # Ok::<(), promptyard::Error>(())
    /// ```
    pub fn route_into(&self, prompt: &str, scratch: &mut RouteScratch) -> Result<DecisionRef> {
        let mut d = DecisionRef {
            state: self.state.load(),
            probs: [0.0; NUM_LABELS],
            choice: Choice::blank(),
            tier: Tier::Fast,
        };
        let DecisionRef {
            state,
            probs,
            choice,
            tier,
        } = &mut d;
        *tier = state.choose_in(prompt, scratch, probs, choice)?;
        Ok(d)
    }

    /// Like [`route`](Self::route) for many prompts, in parallel on rayon's current pool
    /// (install a smaller pool to limit cores). All prompts of one call see the same state;
    /// with a cascade, the unsure prompts share batched encoder passes.
    pub fn route_batch(&self, prompts: &[&str]) -> Vec<Result<Decision>> {
        self.state.load_full().route_batch(prompts)
    }

    /// The policy for probabilities computed elsewhere (e.g. by a batch classifier on GPU).
    /// Refuses a blank prompt with [`Error::EmptyPrompt`], like [`route`](Self::route), and
    /// errors with [`Error::InvalidProbs`] when `probs` holds a NaN, infinite or negative entry
    /// or does not sum to 1.
    pub fn decide(&self, probs: &Probs, prompt: &str) -> Result<Decision> {
        if is_blank(prompt) {
            return Err(Error::EmptyPrompt);
        }
        self.state.load().fast.policy.decide(probs, prompt)
    }

    /// The catalog currently in use (a snapshot: later reloads do not change it).
    pub fn catalog(&self) -> Arc<Catalog> {
        Arc::clone(self.state.load().fast.policy.catalog())
    }

    /// The classifier currently in use (a snapshot).
    pub fn classifier(&self) -> Arc<Classifier> {
        Arc::clone(&self.state.load().fast.classifier)
    }

    /// The cascade currently in use, if an encoder is configured (a snapshot).
    pub fn cascade(&self) -> Option<Arc<Cascade>> {
        self.state.load().cascade.clone()
    }

    /// Swaps in a cascade (`None`: fast-only from now on).
    pub fn set_cascade(&self, cascade: Option<Cascade>) {
        let cascade = cascade.map(Arc::new);
        self.state.rcu(|cur| {
            State::new(
                cur.fast.policy.clone(),
                Arc::clone(&cur.fast.classifier),
                cascade.clone(),
            )
        });
    }

    /// Loads an encoder directory (with its bundled head) and swaps it in, keeping the
    /// current cascade's threshold, mode and device if there is one; on error the old
    /// state stays.
    #[cfg(feature = "encoder")]
    pub fn reload_encoder(&self, dir: impl AsRef<Path>) -> Result<()> {
        let cur = self.cascade();
        let device = cur
            .as_ref()
            .map_or(candle_core::Device::Cpu, |c| c.encoder().device().clone());
        let mut next = Cascade::load(dir, &device)?;
        if let Some(c) = cur {
            next = next.with_threshold(c.threshold())?.with_mode(c.mode());
        }
        self.set_cascade(Some(next));
        Ok(())
    }

    /// Reads, validates and swaps in a new catalog file; on error the old one stays.
    pub fn reload_catalog(&self, path: impl AsRef<Path>) -> Result<()> {
        self.set_catalog(Catalog::load(path)?);
        Ok(())
    }

    /// Loads and swaps in new classifier weights from a model directory; on error the old
    /// weights stay.
    pub fn reload_model(&self, dir: impl AsRef<Path>) -> Result<()> {
        self.set_classifier(Classifier::load(dir)?);
        Ok(())
    }

    /// Swaps in an already validated catalog (e.g. parsed from a config service).
    pub fn set_catalog(&self, catalog: Catalog) {
        let policy = Policy::new(Arc::new(catalog));
        self.state.rcu(|cur| {
            State::new(
                policy.clone(),
                Arc::clone(&cur.fast.classifier),
                cur.cascade.clone(),
            )
        });
    }

    /// Swaps in an already loaded classifier.
    pub fn set_classifier(&self, classifier: Classifier) {
        let classifier = Arc::new(classifier);
        self.state.rcu(|cur| {
            State::new(
                cur.fast.policy.clone(),
                Arc::clone(&classifier),
                cur.cascade.clone(),
            )
        });
    }
}

/// A routing decision that borrows instead of copying: what [`Router::route_into`] returns.
///
/// It holds the routing state it was decided by (an [`arc_swap::Guard`]: no lock, no
/// allocation, and a reload while it lives changes nothing here) plus the index-based
/// [`Choice`], so every accessor reads the catalog in place: ids and providers as `&str`,
/// fallbacks as an iterator, the fingerprints shared. The human reason is formatted only on
/// request. Every accessor matches the field of [`Decision`] it is named after;
/// [`DecisionRef::to_owned`] builds that [`Decision`], equal to [`Router::route`]'s.
pub struct DecisionRef {
    state: Guard<Arc<State>>,
    probs: Probs,
    choice: Choice,
    tier: Tier,
}

impl DecisionRef {
    /// The chosen catalog model.
    fn spec(&self) -> &ModelSpec {
        &self.state.fast.policy.catalog().models()[self.choice.pick().model]
    }

    /// The predicted label.
    pub fn label(&self) -> Label {
        self.choice.label
    }

    /// Probability of the predicted label.
    pub fn confidence(&self) -> f32 {
        self.probs[self.choice.label.index()]
    }

    /// Probabilities of all labels.
    pub fn probs(&self) -> &Probs {
        &self.probs
    }

    /// Catalog id of the chosen model.
    pub fn model(&self) -> &str {
        &self.spec().id
    }

    /// Its provider.
    pub fn provider(&self) -> &str {
        &self.spec().provider
    }

    /// The id its vendor's API or Amazon Bedrock expects, if the catalog gives one.
    pub fn api_id(&self) -> Option<&str> {
        self.spec().api_id.as_deref()
    }

    /// The chosen model's whole catalog entry (prices, context window, tags, ...).
    pub fn model_spec(&self) -> &ModelSpec {
        self.spec()
    }

    /// Estimated cost of this prompt on the chosen model, USD at list prices.
    pub fn est_cost_usd(&self) -> f64 {
        self.choice.pick().cost_usd
    }

    /// Estimated input tokens ([`crate::policy::estimate_input_tokens`]).
    pub fn input_tokens(&self) -> u64 {
        self.choice.input_tokens
    }

    /// Output tokens assumed for the label.
    pub fn output_tokens(&self) -> u64 {
        self.choice.output_tokens
    }

    /// Catalog ids of the next-cheapest adequate models to retry with, in order.
    pub fn fallbacks(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        let models = self.state.fast.policy.catalog().models();
        self.choice
            .fallbacks()
            .iter()
            .map(move |r| models[r.model].id.as_str())
    }

    /// True when the catalog's `default_model` was used ([`Decision::used_default`]).
    pub fn used_default(&self) -> bool {
        self.choice.used_default
    }

    /// [`Catalog::fingerprint`] of the catalog that decided.
    pub fn catalog_fingerprint(&self) -> u64 {
        self.state.fast.policy.catalog().fingerprint()
    }

    /// Fingerprint of the classifier weights that gave [`probs`](Self::probs).
    pub fn classifier_fingerprint(&self) -> &str {
        self.state.classifier_fingerprint.as_str()
    }

    /// Which tier gave the probabilities.
    pub fn tier(&self) -> Tier {
        self.tier
    }

    /// The policy's answer by catalog index, as [`crate::policy::Policy::choose_for`] gives it.
    pub fn choice(&self) -> &Choice {
        &self.choice
    }

    /// The catalog that decided (a snapshot, like [`Router::catalog`]).
    pub fn catalog(&self) -> &Arc<Catalog> {
        self.state.fast.policy.catalog()
    }

    /// Writes the one-line reason ([`Decision::reason`]) into `w`; with a reused `String`
    /// this does not allocate either.
    pub fn write_reason<W: fmt::Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        self.state
            .fast
            .policy
            .write_reason(&self.probs, &self.choice, w)
    }

    /// The one-line reason ([`Decision::reason`]), formatted when shown.
    pub fn reason(&self) -> Reason {
        self.state.fast.policy.reason(&self.probs, &self.choice)
    }

    /// The owned [`Decision`], field for field what [`Router::route`] returns for the prompt
    /// (built by the same code). Allocates the strings.
    pub fn to_owned(&self) -> Decision {
        self.state.decision(&self.probs, &self.choice, self.tier)
    }
}

impl From<&DecisionRef> for Decision {
    fn from(d: &DecisionRef) -> Decision {
        d.to_owned()
    }
}

impl From<DecisionRef> for Decision {
    fn from(d: DecisionRef) -> Decision {
        d.to_owned()
    }
}

impl fmt::Debug for DecisionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecisionRef")
            .field("label", &self.label())
            .field("confidence", &self.confidence())
            .field("model", &self.model())
            .field("est_cost_usd", &self.est_cost_usd())
            .field("fallbacks", &Fallbacks(self))
            .field("used_default", &self.used_default())
            .field("tier", &self.tier)
            .finish_non_exhaustive()
    }
}

/// Debug-prints a decision's fallbacks by id.
struct Fallbacks<'a>(&'a DecisionRef);

impl fmt::Debug for Fallbacks<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.fallbacks()).finish()
    }
}

/// Builds a [`Router`]; anything not set falls back to the bundled default.
#[derive(Default)]
pub struct RouterBuilder {
    catalog: Option<CatalogSource>,
    classifier: Option<ClassifierSource>,
    #[cfg(feature = "encoder")]
    encoder: Option<EncoderSource>,
    #[cfg(feature = "encoder")]
    cascade_threshold: Option<f32>,
    #[cfg(feature = "encoder")]
    encoder_device: Option<candle_core::Device>,
}

#[cfg(feature = "encoder")]
enum EncoderSource {
    Dir(PathBuf),
    Loaded(Cascade),
}

#[derive(Debug)]
enum CatalogSource {
    Path(PathBuf),
    Toml(String),
    /// Boxed: a `Catalog` is ~10x the other variants.
    Parsed(Box<Catalog>),
}

enum ClassifierSource {
    Dir(PathBuf),
    Loaded(Classifier),
}

impl std::fmt::Debug for RouterBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let classifier = match &self.classifier {
            None => "bundled".to_string(),
            Some(ClassifierSource::Dir(d)) => d.display().to_string(),
            Some(ClassifierSource::Loaded(_)) => "loaded".to_string(),
        };
        f.debug_struct("RouterBuilder")
            .field("catalog", &self.catalog)
            .field("classifier", &classifier)
            .finish()
    }
}

impl RouterBuilder {
    /// Use the catalog file at `path`.
    pub fn catalog(mut self, path: impl AsRef<Path>) -> Self {
        self.catalog = Some(CatalogSource::Path(path.as_ref().to_path_buf()));
        self
    }

    /// Use catalog TOML held in memory (errors name it `<inline catalog>`).
    pub fn catalog_str(mut self, toml: impl Into<String>) -> Self {
        self.catalog = Some(CatalogSource::Toml(toml.into()));
        self
    }

    /// Use an already validated catalog.
    pub fn with_catalog(mut self, catalog: Catalog) -> Self {
        self.catalog = Some(CatalogSource::Parsed(Box::new(catalog)));
        self
    }

    /// Use the classifier in model directory `dir`.
    pub fn model(mut self, dir: impl AsRef<Path>) -> Self {
        self.classifier = Some(ClassifierSource::Dir(dir.as_ref().to_path_buf()));
        self
    }

    /// Use an already loaded classifier.
    pub fn classifier(mut self, classifier: Classifier) -> Self {
        self.classifier = Some(ClassifierSource::Loaded(classifier));
        self
    }

    /// Turn the cascade on with the encoder directory `dir` (Hugging Face layout; its head is
    /// the bundled one for its fingerprint). Resolve `hf:ORG/REPO` specs first with
    /// [`crate::hub::resolve_encoder`].
    #[cfg(feature = "encoder")]
    pub fn encoder(mut self, dir: impl AsRef<Path>) -> Self {
        self.encoder = Some(EncoderSource::Dir(dir.as_ref().to_path_buf()));
        self
    }

    /// Turn the cascade on with an already built one.
    #[cfg(feature = "encoder")]
    pub fn cascade(mut self, cascade: Cascade) -> Self {
        self.encoder = Some(EncoderSource::Loaded(cascade));
        self
    }

    /// Override the cascade threshold (the head's default was chosen on validation data);
    /// checked in `build` to be in `[0, 1]`.
    #[cfg(feature = "encoder")]
    pub fn cascade_threshold(mut self, p: f32) -> Self {
        self.cascade_threshold = Some(p);
        self
    }

    /// Run the encoder on this device (default CPU).
    #[cfg(feature = "encoder")]
    pub fn encoder_device(mut self, device: candle_core::Device) -> Self {
        self.encoder_device = Some(device);
        self
    }

    /// Loads and validates everything; nothing is validated later on the hot path.
    pub fn build(self) -> Result<Router> {
        let catalog = match self.catalog {
            None => Catalog::bundled()?,
            Some(CatalogSource::Path(p)) => Catalog::load(p)?,
            Some(CatalogSource::Toml(t)) => Catalog::parse(&t, "<inline catalog>")?,
            Some(CatalogSource::Parsed(c)) => *c,
        };
        let classifier = match self.classifier {
            None => Classifier::bundled()?,
            Some(ClassifierSource::Dir(d)) => Classifier::load(&d)?,
            Some(ClassifierSource::Loaded(c)) => c,
        };
        #[cfg(feature = "encoder")]
        let cascade = {
            let device = self.encoder_device.unwrap_or(candle_core::Device::Cpu);
            let cascade = match self.encoder {
                None => None,
                Some(EncoderSource::Dir(d)) => Some(Cascade::load(&d, &device)?),
                Some(EncoderSource::Loaded(c)) => Some(c),
            };
            match (cascade, self.cascade_threshold) {
                (Some(c), Some(t)) => Some(Arc::new(c.with_threshold(t)?)),
                (c, _) => c.map(Arc::new),
            }
        };
        #[cfg(not(feature = "encoder"))]
        let cascade = None;
        Ok(Router {
            state: ArcSwap::from_pointee(State::new(
                Policy::new(Arc::new(catalog)),
                Arc::new(classifier),
                cascade,
            )),
        })
    }
}

// A router is shared across a service's threads: keep it Send + Sync at compile time.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Router>();
    assert_send_sync::<Decision>();
    // Scratch moves with the worker that owns it (a thread pool's per-thread state).
    const fn assert_send<T: Send>() {}
    assert_send::<RouteScratch>();
};
