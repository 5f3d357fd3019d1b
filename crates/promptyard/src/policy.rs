//! The routing policy: from label probabilities and the prompt's size to the cheapest
//! adequate model of a [`Catalog`], with ordered fallbacks and a one-line reason.
//!
//! For a prompt with probabilities `p` over [`Label::ALL`]:
//!
//! 1. **Label.** The predicted label is `argmax p` (ties go to the earlier label); its
//!    probability is the decision's confidence.
//! 2. **Required labels.** The predicted label plus every label with
//!    `p ≥ plausible_label_floor`: an uncertain prompt is never sent to a model that is
//!    inadequate for a plausible reading of it (escalation).
//! 3. **Adequate models.** Eligible models (enabled, passing allow/deny) whose quality is
//!    `≥ min_quality` for *every* required label (and, when `[policy] quality_target = t` is
//!    set, also `≥ t × ` the best eligible model's quality for that label: both floors apply,
//!    [`Catalog::quality_floor`]), and whose context window holds the prompt
//!    plus the expected output: `input_tokens + expected_output_tokens[label] ≤ context_tokens`.
//! 4. **Cost.** `input_tokens × input_price + expected_output_tokens[label] × output_price`,
//!    prices in USD per million tokens. Input tokens are estimated as
//!    [`estimate_input_tokens`]: UTF-8 bytes / 4, rounded up (the usual ~4 bytes per BPE
//!    token of English text and code; it underestimates CJK text by ~25%, and is only an
//!    estimate for every vendor's tokenizer). A model with `price_tiers` is priced in the
//!    highest tier whose `above_input_tokens` is below the prompt's input tokens
//!    ([`ModelSpec::prices_for`]), so a long prompt can change which model is cheapest.
//! 5. **Choice.** Adequate models are ranked by cost, then by higher quality on the predicted
//!    label, then by model id (byte order), which is a total order since ids are unique: the
//!    result never depends on file order or on the thread. The first is the pick, the next
//!    `max_fallbacks` are the fallbacks, in order.
//! 6. **Nothing adequate.** The catalog's `default_model` if set (and it fits the context
//!    window), flagged with [`Decision::used_default`]; otherwise [`Error::NoAdequateModel`].
//! 7. **`other` with a three-label catalog.** When the catalog does not configure `other`
//!    ([`Settings::other_configured`](crate::catalog::Settings::other_configured) is false),
//!    `other` is never a required label, and a prompt whose predicted label is `other` goes to
//!    the catalog's `default_model` (if set and it fits; [`Decision::used_default`]), else to the
//!    most capable eligible model that fits: highest [`ModelSpec::mean_legacy_quality`], then
//!    model id; the next most capable are the fallbacks. The reason says
//!    `catalog has no other settings`, and [`Choice::other_unconfigured`] is set.
//!
//! **Per-prompt adequacy.** When the catalog carries an adequacy model (`[policy] adequacy`),
//! step 3 uses each model's predicted probability of success on *this* prompt instead of the
//! per-label `quality_target`; see [`Policy::choose_per_prompt`].
//!
//! The cost order depends on the prompt's length (input and output prices weigh differently).
//! It is defined by a linear scan over the eligible models with their adequacy bitmasks
//! precomputed, and [`Policy::new`] runs that scan ahead for every (label, required labels)
//! pair and every prompt length, as a few length ranges each with its ranking (catalogs of up
//! to 256 eligible models); a route looks its range up and prices only the models it
//! returns. [`Policy::choose`] does not allocate, nor does the
//! per-prompt path with caller-owned buffers ([`Policy::choose_for_with`], [`PolicyScratch`]).
//! A [`Choice`] names models by catalog index; [`Policy::decision`] is the one place a
//! [`Decision`] is built from it. Its ids are [`ModelId`]s copied from ones the policy made
//! once (inline up to 24 bytes), its fallbacks sit in place ([`Fallbacks`]) and its
//! [`Reason`] keeps the numbers and formats them only when shown, so an owned decision
//! usually allocates nothing; an allocation-free caller
//! ([`Router::route_into`](crate::Router::route_into)) skips even those copies.
//!
//! ```
//! use std::sync::Arc;
//! use promptyard::catalog::Catalog;
//! use promptyard::policy::Policy;
//! use promptyard::Label;
//!
//! let catalog = Catalog::parse(r#"
//!     [policy]
//!     min_quality = { planning = 0.8, reasoning = 0.8, code_completion = 0.75, other = 0.7 }
//!     expected_output_tokens = { planning = 800, reasoning = 500, code_completion = 300, other = 400 }
//!     plausible_label_floor = 0.2
//!     [[model]]
//!     id = "small"
//!     provider = "a"
//!     input_usd_per_mtok = 0.1
//!     output_usd_per_mtok = 0.4
//!     context_tokens = 128000
//!     quality = { planning = 0.5, reasoning = 0.6, code_completion = 0.8, other = 0.75 }
//!     [[model]]
//!     id = "large"
//!     provider = "b"
//!     input_usd_per_mtok = 3
//!     output_usd_per_mtok = 15
//!     context_tokens = 200000
//!     quality = { planning = 0.9, reasoning = 0.9, code_completion = 0.9, other = 0.9 }
//! "#, "inline.toml")?;
//! let policy = Policy::new(Arc::new(catalog));
//!
//! // Clearly code: the small model is adequate and cheapest.
//! let d = policy.decide(&[0.02, 0.03, 0.95, 0.0], "complete `def parse_date(s):`")?;
//! assert_eq!((d.label, d.model.as_str()), (Label::CodeCompletion, "small"));
//! assert_eq!(d.fallbacks[..], ["large"]);
//!
//! // Code, but reasoning is plausible (p ≥ 0.2): escalate to a model adequate for both.
//! let d = policy.decide(&[0.05, 0.35, 0.60, 0.0], "why does this loop never end?")?;
//! assert_eq!(d.model, "large");
//!
//! // Neither plan, reasoning nor code: the small model is adequate for `other`.
//! let d = policy.decide(&[0.01, 0.02, 0.02, 0.95], "Translate to French: good morning")?;
//! assert_eq!((d.label, d.model.as_str()), (Label::Other, "small"));
//! # Ok::<(), promptyard::Error>(())
//! ```

use std::fmt::{self, Write};
use std::sync::Arc;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::cascade::Tier;
use crate::catalog::{Catalog, ModelSpec, MAX_FALLBACKS};
use crate::error::{Error, Result};
use crate::hash::Fingerprint;
use crate::label::{Label, Probs, NUM_LABELS};

mod per_prompt;
mod table;
pub use per_prompt::PolicyScratch;

/// Estimated input tokens of `text`: UTF-8 bytes / 4, rounded up (see the module docs).
pub fn estimate_input_tokens(text: &str) -> u64 {
    (text.len() as u64).div_ceil(4)
}

/// How far from 1 the sum of probabilities handed to the policy may be (float rounding of
/// a softmax is ~1e-7; this also admits probabilities rounded to a few digits).
pub const PROBS_SUM_TOLERANCE: f32 = 1e-3;

/// Refuses probabilities that are not a distribution, so a NaN can never pick a label
/// (every comparison with NaN is false) and a negative or unnormalised vector cannot skew
/// the plausible-label floor.
fn check_probs(probs: &Probs) -> Result<()> {
    let bad = |msg: String| {
        Err(Error::InvalidProbs {
            probs: probs.to_vec(),
            msg,
        })
    };
    for (l, &p) in Label::ALL.iter().zip(probs) {
        if !p.is_finite() {
            return bad(format!("{l} is {p}"));
        }
        if p < 0.0 {
            return bad(format!("{l} is negative ({p})"));
        }
    }
    let sum: f32 = probs.iter().sum();
    if (sum - 1.0).abs() > PROBS_SUM_TOLERANCE {
        return bad(format!("they sum to {sum}, not 1"));
    }
    Ok(())
}

/// Why a catalog model was passed over for a prompt (in [`Error::NoAdequateModel`]); the
/// first reason that applies, in the order of the variants.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Rejection {
    /// `enabled = false` in the catalog.
    Disabled,
    /// The catalog's `allow` list names neither the model nor its provider.
    NotAllowed,
    /// The catalog's `deny` list names the model or its provider.
    Denied,
    /// Below the policy's quality floor for a required label (the first such label, in
    /// [`Label::ALL`] order): `min_quality`, or `quality_target` × the best model's quality
    /// where that is higher.
    Quality {
        /// The label the model is not good enough for.
        label: Label,
        /// The model's quality for it (0..=1).
        quality: f64,
        /// The floor it had to reach (0..=1).
        min: f64,
    },
    /// Adequate, but the prompt plus its expected output does not fit the context window.
    ContextWindow {
        /// The model's context window, tokens.
        context_tokens: u64,
    },
}

/// A catalog prepared for routing: eligible models and their adequacy bitmasks precomputed.
/// Cheap to clone (the catalog is shared).
#[derive(Clone, Debug)]
pub struct Policy {
    catalog: Arc<Catalog>,
    /// Indices (into `catalog.models()`) of eligible models, with bit `l` set in the mask when
    /// the model's quality meets `min_quality` for `Label::ALL[l]`.
    eligible: Vec<(usize, u8)>,
    default_model: Option<usize>,
    /// Each catalog model's id, provider and API id as [`ModelId`]s, built once so that a
    /// [`Decision`] copies them (a fixed 24-byte copy when inline) rather than re-encoding.
    ids: Vec<DecisionIds>,
    /// [`Catalog::quality_floor`] per label, for the reason (with a quality target it scans
    /// the catalog, so once here rather than per decision).
    floors: [f64; NUM_LABELS],
    /// The catalog's per-prompt adequacy model, if it carries one.
    per_prompt: Option<per_prompt::PerPrompt>,
    /// The scan precomputed per prompt length; `None` for catalogs over
    /// [`table::MAX_TABLE_MODELS`] eligible models.
    table: Option<Arc<table::RouteTable>>,
}

/// A catalog model's strings as a [`Decision`] carries them.
#[derive(Clone, Debug)]
struct DecisionIds {
    id: ModelId,
    provider: ModelId,
    api_id: Option<ModelId>,
}

/// One ranked model in a [`Choice`].
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct Ranked {
    /// Index into [`Catalog::models`].
    pub model: usize,
    /// Estimated cost of this prompt on this model, USD.
    pub cost_usd: f64,
}

/// The policy's answer for one prompt, by catalog index (no strings, no allocation).
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct Choice {
    /// The predicted label (argmax).
    pub label: Label,
    /// Bit `l` set when `Label::ALL[l]` had to be served adequately.
    pub required: u8,
    /// Estimated input tokens of the prompt.
    pub input_tokens: u64,
    /// Output tokens assumed (`expected_output_tokens` of the label).
    pub output_tokens: u64,
    /// True when nothing was adequate and the catalog's `default_model` was used.
    pub used_default: bool,
    /// Quality-adequate eligible models left out because the prompt does not fit them.
    pub too_small: usize,
    /// True when the label is `other` and the catalog has no `other` settings, so the pick is
    /// the default or the most capable model rather than the cheapest adequate one.
    pub other_unconfigured: bool,
    /// True when the per-prompt adequacy model decided ([`Policy::choose_per_prompt`]); the
    /// reason then ends in ` (per-prompt adequacy)`.
    pub per_prompt: bool,
    ranked: [Ranked; MAX_FALLBACKS + 1],
    len: usize,
}

impl Choice {
    /// The chosen model.
    pub fn pick(&self) -> Ranked {
        self.ranked[0]
    }

    /// The pick and then the fallbacks.
    #[cfg(test)]
    pub(crate) fn fallbacks_and_pick(&self) -> &[Ranked] {
        &self.ranked[..self.len]
    }

    /// The next-cheapest adequate models, in order (at most `max_fallbacks`).
    pub fn fallbacks(&self) -> &[Ranked] {
        &self.ranked[1..self.len]
    }

    /// Labels that had to be served adequately, in [`Label::ALL`] order.
    pub fn required_labels(&self) -> impl Iterator<Item = Label> + '_ {
        labels_in(self.required)
    }
}

/// The labels whose bit is set in `mask` (bit `l` for `Label::ALL[l]`), in that order.
fn labels_in(mask: u8) -> impl Iterator<Item = Label> {
    Label::ALL
        .into_iter()
        .filter(move |l| mask & (1 << l.index()) != 0)
}

/// A catalog id, provider or API id in a [`Decision`]: a string kept inline up to 24 bytes
/// (every id of the bundled catalog but two Bedrock ids), so building a decision copies it
/// instead of allocating. It derefs to `str` and compares with `&str` and `String`.
pub type ModelId = compact_str::CompactString;

/// [`Decision::fallbacks`]: up to three ids (the bundled catalog's `max_fallbacks`) in place,
/// more on the heap. It derefs to a slice of [`ModelId`] and serialises as a JSON array.
pub type Fallbacks = smallvec::SmallVec<[ModelId; 3]>;

/// A routing decision: what a service needs to call the model and to log why.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Decision {
    /// The predicted label.
    pub label: Label,
    /// Probability of the predicted label.
    pub confidence: f32,
    /// Probabilities of all labels; serialised as
    /// `{"planning":…,"reasoning":…,"code_completion":…,"other":…}`.
    #[serde(serialize_with = "probs_as_map")]
    pub probs: Probs,
    /// Catalog id of the chosen model.
    pub model: ModelId,
    /// Its provider.
    pub provider: ModelId,
    /// The id its vendor's API or Amazon Bedrock expects, if the catalog gives one.
    pub api_id: Option<ModelId>,
    /// Estimated cost of this prompt on the chosen model, USD at list prices; serialised
    /// rounded to whole picodollars ([`round_usd`]) so JSON shows no float noise.
    #[serde(serialize_with = "usd_rounded")]
    pub est_cost_usd: f64,
    /// Estimated input tokens ([`estimate_input_tokens`]).
    pub input_tokens: u64,
    /// Output tokens assumed for the label.
    pub output_tokens: u64,
    /// Next-cheapest adequate models to retry with, in order.
    pub fallbacks: Fallbacks,
    /// True when the catalog's `default_model` was used: nothing was adequate, or the prompt
    /// is `other` and the catalog has no `other` settings.
    pub used_default: bool,
    /// One line for humans, e.g. `code_completion p=0.97 → nova-micro: cheapest with
    /// code_completion quality ≥ 0.75, est. $0.000044`; formatted only when shown
    /// (`{}`, `to_string()`, JSON).
    pub reason: Reason,
    /// [`Catalog::fingerprint`] of the catalog that decided (hex in JSON).
    #[serde(serialize_with = "hex_u64")]
    pub catalog_fingerprint: u64,
    /// Fingerprint of the classifier weights that gave `probs`; `None` when the probabilities
    /// came from the caller ([`Policy::decide`], [`Router::decide`](crate::Router::decide)).
    pub classifier_fingerprint: Option<Fingerprint>,
    /// Which tier gave `probs`: `fast` unless a cascade sent the prompt to the encoder tier
    /// ([`crate::cascade`]).
    pub tier: Tier,
}

/// [`Decision::reason`]: one line for humans, e.g. `code_completion p=0.97 → nova-micro:
/// cheapest with code_completion quality ≥ 0.75, est. $0.000044`. It holds the numbers the
/// line is made of and formats them only when shown (`{}`, `to_string()`, or serialised as a
/// JSON string), so routing pays nothing for text nobody reads (issue 18).
#[derive(Clone, PartialEq)]
pub struct Reason {
    label: Label,
    probs: Probs,
    /// [`Choice::required`].
    required: u8,
    model: ModelId,
    cost_usd: f64,
    /// [`Catalog::quality_floor`] per label.
    floors: [f64; NUM_LABELS],
    quality_target: Option<f64>,
    /// The pick's mean quality, shown when an unconfigured `other` took the most capable model.
    mean_quality: f64,
    used_default: bool,
    other_unconfigured: bool,
    per_prompt: bool,
    too_small: usize,
    /// Input plus output tokens.
    tokens: u64,
}

impl Reason {
    /// `"{label} quality ≥ {min}"`, or with a quality target `"{label} quality ≥ {floor}
    /// ({target} × best)"`.
    fn write_clause<W: Write + ?Sized>(&self, w: &mut W, l: Label) -> std::fmt::Result {
        let floor = self.floors[l.index()];
        match self.quality_target {
            Some(t) => write!(w, "{l} quality ≥ {floor:.3} ({t} × best)"),
            None => write!(w, "{l} quality ≥ {floor}"),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, w: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = self.label;
        write_label_p(w, label, self.probs[label.index()])?;
        let mut others = labels_in(self.required).filter(|&l| l != label).peekable();
        if others.peek().is_some() {
            w.write_str(" (also plausible: ")?;
            for (n, l) in others.enumerate() {
                if n > 0 {
                    w.write_str(", ")?;
                }
                write_label_p(w, l, self.probs[l.index()])?;
            }
            w.write_char(')')?;
        }
        w.write_str(" → ")?;
        w.write_str(&self.model)?;
        w.write_str(": ")?;
        if self.other_unconfigured {
            w.write_str("catalog has no other settings, ")?;
            if self.used_default {
                w.write_str("using the configured default")?;
            } else {
                write!(
                    w,
                    "using the most capable model (mean quality {:.2})",
                    self.mean_quality
                )?;
            }
        } else if self.used_default {
            w.write_str("no adequate model, using the configured default")?;
        } else {
            w.write_str("cheapest with ")?;
            for (n, l) in labels_in(self.required).enumerate() {
                if n > 0 {
                    w.write_str(" and ")?;
                }
                self.write_clause(w, l)?;
            }
        }
        w.write_str(", est. ")?;
        write_usd(w, self.cost_usd)?;
        if self.too_small > 0 {
            write!(
                w,
                "; {} adequate model(s) skipped: ~{} tokens do not fit their context window",
                self.too_small, self.tokens
            )?;
        }
        if self.per_prompt {
            w.write_str(" (per-prompt adequacy)")?;
        }
        Ok(())
    }
}

/// Shows the line itself, as a string would.
impl fmt::Debug for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string(), f)
    }
}

/// A JSON string: the line.
impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn probs_as_map<S: Serializer>(probs: &Probs, s: S) -> std::result::Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(NUM_LABELS))?;
    for label in Label::ALL {
        map.serialize_entry(label.as_str(), &probs[label.index()])?;
    }
    map.end()
}

fn usd_rounded<S: Serializer>(v: &f64, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_f64(round_usd(*v))
}

/// `usd` rounded to whole picodollars (10⁻¹² USD), so that a price × tokens / 10⁶ prints as
/// the decimal it is: `1.4035e-5`, not `1.4035000000000002e-5`. Amounts beyond ±$9,000 (too
/// big to scale exactly) and non-finite values come back unchanged.
pub fn round_usd(usd: f64) -> f64 {
    const PER_USD: f64 = 1e12;
    let scaled = usd * PER_USD;
    if scaled.is_finite() && scaled.abs() < 9.0e15 {
        scaled.round() / PER_USD
    } else {
        usd
    }
}

fn hex_u64<S: Serializer>(v: &u64, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(&format_args!("{v:016x}"))
}

impl Choice {
    /// Makes this a choice with nothing ranked yet (as [`Choice::empty`]) without rewriting
    /// the ranked slots, which are read only up to `len`.
    pub(crate) fn reset(
        &mut self,
        label: Label,
        required: u8,
        input_tokens: u64,
        output_tokens: u64,
    ) {
        self.label = label;
        self.required = required;
        self.input_tokens = input_tokens;
        self.output_tokens = output_tokens;
        self.used_default = false;
        self.too_small = 0;
        self.other_unconfigured = false;
        self.per_prompt = false;
        self.len = 0;
    }

    /// A placeholder for a `choose_in` to overwrite (which sets every field a reader sees).
    pub(crate) fn blank() -> Self {
        Choice::empty(Label::Planning, 0, 0, 0)
    }

    /// A choice with nothing ranked yet.
    pub(crate) fn empty(label: Label, required: u8, input_tokens: u64, output_tokens: u64) -> Self {
        Choice {
            label,
            required,
            input_tokens,
            output_tokens,
            used_default: false,
            too_small: 0,
            other_unconfigured: false,
            per_prompt: false,
            ranked: [Ranked {
                model: 0,
                cost_usd: 0.0,
            }; MAX_FALLBACKS + 1],
            len: 0,
        }
    }

    /// Inserts `cand` into the sorted top-`keep` buffer (`before(a, b)`: a ranks ahead of b);
    /// one insertion step shared by every ranking path, allocation-free.
    pub(crate) fn insert(
        &mut self,
        cand: Ranked,
        keep: usize,
        before: impl Fn(&Ranked, &Ranked) -> bool,
    ) {
        let mut pos = self.len;
        while pos > 0 && before(&cand, &self.ranked[pos - 1]) {
            pos -= 1;
        }
        if pos < keep {
            let end = self.len.min(keep - 1);
            self.ranked.copy_within(pos..end, pos + 1);
            self.ranked[pos] = cand;
            self.len = end + 1;
        }
    }
}

impl Policy {
    /// Prepares `catalog` for routing.
    pub fn new(catalog: Arc<Catalog>) -> Policy {
        let settings = catalog.settings();
        let eligible: Vec<(usize, u8)> = catalog
            .models()
            .iter()
            .enumerate()
            .filter(|(_, m)| m.eligible)
            .map(|(i, m)| {
                let mask = Label::ALL
                    .into_iter()
                    .filter(|&l| l != Label::Other || settings.other_configured)
                    .filter(|&l| m.quality(l) >= catalog.quality_floor(l))
                    .fold(0u8, |acc, l| acc | (1 << l.index()));
                (i, mask)
            })
            .collect();
        let default_model = settings
            .default_model
            .as_deref()
            .and_then(|id| catalog.models().iter().position(|m| m.id == id));
        let ids = catalog
            .models()
            .iter()
            .map(|m| DecisionIds {
                id: ModelId::new(&m.id),
                provider: ModelId::new(&m.provider),
                api_id: m.api_id.as_deref().map(ModelId::new),
            })
            .collect();
        let floors = Label::ALL.map(|l| catalog.quality_floor(l));
        let mut policy = Policy {
            per_prompt: per_prompt::PerPrompt::new(&catalog, &eligible),
            floors,
            catalog,
            eligible,
            default_model,
            ids,
            table: None,
        };
        policy.table = table::RouteTable::build(&policy).map(Arc::new);
        policy
    }

    /// The catalog this policy routes over.
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// The predicted label and the bitmask of labels that must be served adequately. With a
    /// catalog that does not configure `other`, `other` is required only when predicted.
    pub(crate) fn required(&self, probs: &Probs) -> (Label, u8) {
        let label = Label::argmax(probs);
        let settings = self.catalog.settings();
        let floor = settings.plausible_label_floor;
        let mask = Label::ALL
            .into_iter()
            .filter(|&l| l != Label::Other || settings.other_configured)
            .filter(|l| probs[l.index()] >= floor)
            .fold(1u8 << label.index(), |acc, l| acc | (1 << l.index()));
        (label, mask)
    }

    /// Ranks the adequate models for a prompt of `input_tokens` with probabilities `probs`.
    ///
    /// Errors with [`Error::InvalidProbs`] when `probs` is not a distribution, and with
    /// [`Error::NoAdequateModel`] when nothing is adequate and no default applies.
    pub fn choose(&self, probs: &Probs, input_tokens: u64) -> Result<Choice> {
        let mut choice = Choice::blank();
        self.choose_in(probs, input_tokens, &mut choice)?;
        Ok(choice)
    }

    /// [`Policy::choose`] written into `choice` (every field a reader sees is set), so the
    /// route path fills its [`DecisionRef`](crate::router::DecisionRef) in place instead of
    /// moving a 184-byte `Choice` through each layer (`memcpy` was ~5% of a 20-word route).
    pub(crate) fn choose_in(
        &self,
        probs: &Probs,
        input_tokens: u64,
        choice: &mut Choice,
    ) -> Result<()> {
        check_probs(probs)?;
        let settings = self.catalog.settings();
        let (label, required) = self.required(probs);
        let output_tokens = settings.expected_output_tokens(label);
        let needed = input_tokens.saturating_add(output_tokens);
        choice.reset(label, required, input_tokens, output_tokens);
        if label == Label::Other && !settings.other_configured {
            return self.choose_unconfigured_other(choice, needed);
        }
        match self
            .table
            .as_deref()
            .and_then(|t| t.lookup(label, required, input_tokens))
        {
            Some(ranking) => ranking.fill(choice),
            None => self.scan(choice),
        }
        if choice.len > 0 || self.answer_with_default(choice, needed) {
            return Ok(());
        }
        Err(self.no_adequate_model(required, needed))
    }

    /// Ranks the eligible models adequate for `choice.required` that fit the prompt into
    /// `choice` (steps 3 to 5 of the module docs), counting those too small. The definition
    /// of the order: the route table ([`table`]) is precomputed from it.
    fn scan(&self, choice: &mut Choice) {
        let models = self.catalog.models();
        let keep = 1 + self.catalog.settings().max_fallbacks;
        let (label, required) = (choice.label, choice.required);
        let (input_tokens, output_tokens) = (choice.input_tokens, choice.output_tokens);
        let needed = input_tokens.saturating_add(output_tokens);
        for &(i, mask) in &self.eligible {
            if mask & required != required {
                continue;
            }
            let m = &models[i];
            if needed > m.context_tokens {
                choice.too_small += 1;
                continue;
            }
            let cand = Ranked {
                model: i,
                cost_usd: m.cost_usd(input_tokens, output_tokens),
            };
            choice.insert(cand, keep, |a, b| ranks_before(models, label, a, b));
        }
    }

    /// Makes the default model the only pick of `choice` when one is set and `needed` tokens
    /// fit its context window; false otherwise (`choice` unchanged).
    fn answer_with_default(&self, choice: &mut Choice, needed: u64) -> bool {
        let models = self.catalog.models();
        let Some(i) = self
            .default_model
            .filter(|&i| needed <= models[i].context_tokens)
        else {
            return false;
        };
        choice.ranked[0] = Ranked {
            model: i,
            cost_usd: models[i].cost_usd(choice.input_tokens, choice.output_tokens),
        };
        choice.len = 1;
        choice.used_default = true;
        true
    }

    /// An `other` prompt with a three-label catalog: the default model if set and it fits,
    /// else the most capable eligible models that fit (mean quality, then id).
    fn choose_unconfigured_other(&self, choice: &mut Choice, needed: u64) -> Result<()> {
        let settings = self.catalog.settings();
        let models = self.catalog.models();
        let (input, output) = (choice.input_tokens, choice.output_tokens);
        choice.other_unconfigured = true;
        if self.answer_with_default(choice, needed) {
            return Ok(());
        }
        let keep = 1 + settings.max_fallbacks;
        for &(i, _) in &self.eligible {
            let m = &models[i];
            if needed > m.context_tokens {
                choice.too_small += 1;
                continue;
            }
            let cand = Ranked {
                model: i,
                cost_usd: m.cost_usd(input, output),
            };
            let before = |a: &Ranked, b: &Ranked| {
                let (ma, mb) = (&models[a.model], &models[b.model]);
                match mb
                    .mean_legacy_quality()
                    .total_cmp(&ma.mean_legacy_quality())
                {
                    std::cmp::Ordering::Less => true,
                    std::cmp::Ordering::Greater => false,
                    std::cmp::Ordering::Equal => ma.id < mb.id,
                }
            };
            choice.insert(cand, keep, before);
        }
        if choice.len > 0 {
            Ok(())
        } else {
            Err(self.no_adequate_model(choice.required, needed))
        }
    }

    /// Classifier output plus prompt in, owned [`Decision`] out: [`Policy::choose_for`]
    /// then [`Policy::decision`].
    pub fn decide(&self, probs: &Probs, prompt: &str) -> Result<Decision> {
        let choice = self.choose_for(probs, prompt)?;
        Ok(self.decision(probs, &choice))
    }

    /// Turns a [`Choice`] made by this policy into a [`Decision`]. The only place a decision's
    /// strings are built, so every entry point (`decide`, `Router::route`,
    /// [`DecisionRef::to_owned`](crate::router::DecisionRef::to_owned)) gives the same one.
    pub fn decision(&self, probs: &Probs, choice: &Choice) -> Decision {
        let pick = choice.pick();
        let m = &self.ids[pick.model];
        Decision {
            label: choice.label,
            confidence: probs[choice.label.index()],
            probs: *probs,
            model: m.id.clone(),
            provider: m.provider.clone(),
            api_id: m.api_id.clone(),
            est_cost_usd: pick.cost_usd,
            input_tokens: choice.input_tokens,
            output_tokens: choice.output_tokens,
            fallbacks: self.fallback_ids(choice),
            used_default: choice.used_default,
            reason: self.reason(probs, choice),
            catalog_fingerprint: self.catalog.fingerprint(),
            classifier_fingerprint: None,
            tier: Tier::Fast,
        }
    }

    /// The fallbacks' ids: pushed one by one into room reserved once (collecting through
    /// `Extend` cost ~25 ns per 20-word route, `perf`).
    fn fallback_ids(&self, choice: &Choice) -> Fallbacks {
        let ranked = choice.fallbacks();
        let mut ids = Fallbacks::with_capacity(ranked.len());
        for r in ranked {
            ids.push(self.ids[r.model].id.clone());
        }
        ids
    }

    /// The decision's one-line reason for humans (see [`Decision::reason`]): the numbers it
    /// is made of, formatted when displayed.
    pub fn reason(&self, probs: &Probs, choice: &Choice) -> Reason {
        let pick = choice.pick();
        Reason {
            label: choice.label,
            probs: *probs,
            required: choice.required,
            model: self.ids[pick.model].id.clone(),
            cost_usd: pick.cost_usd,
            floors: self.floors,
            quality_target: self.catalog.settings().quality_target,
            mean_quality: if choice.other_unconfigured && !choice.used_default {
                self.catalog.models()[pick.model].mean_legacy_quality()
            } else {
                0.0
            },
            used_default: choice.used_default,
            other_unconfigured: choice.other_unconfigured,
            per_prompt: choice.per_prompt,
            too_small: choice.too_small,
            tokens: choice.input_tokens + choice.output_tokens,
        }
    }

    /// Writes [`Policy::reason`] into `w`: with a reused buffer, the reason costs no
    /// allocation either (routing itself never builds it; see
    /// [`DecisionRef`](crate::router::DecisionRef)).
    pub fn write_reason<W: Write + ?Sized>(
        &self,
        probs: &Probs,
        choice: &Choice,
        w: &mut W,
    ) -> std::fmt::Result {
        write!(w, "{}", self.reason(probs, choice))
    }

    /// [`Error::NoAdequateModel`] for a prompt that needed `required` (a label bitmask) and
    /// `needed` tokens of context: why each model was passed over. Off the hot path.
    fn no_adequate_model(&self, required: u8, needed: u64) -> Error {
        let settings = self.catalog.settings();
        let listed =
            |list: &[String], m: &ModelSpec| list.iter().any(|s| *s == m.id || *s == m.provider);
        let required_labels: Vec<Label> = labels_in(required).collect();
        let rejected = self
            .catalog
            .models()
            .iter()
            .filter_map(|m| {
                let why = if !m.enabled {
                    Rejection::Disabled
                } else if settings.allow.as_deref().is_some_and(|a| !listed(a, m)) {
                    Rejection::NotAllowed
                } else if listed(&settings.deny, m) {
                    Rejection::Denied
                } else if let Some(&label) = required_labels
                    .iter()
                    .find(|&&l| m.quality(l) < self.catalog.quality_floor(l))
                {
                    Rejection::Quality {
                        label,
                        quality: m.quality(label),
                        min: self.catalog.quality_floor(label),
                    }
                } else if needed > m.context_tokens {
                    Rejection::ContextWindow {
                        context_tokens: m.context_tokens,
                    }
                } else {
                    // Adequate and fits: `choose` would have picked it.
                    return None;
                };
                Some((m.id.clone(), why))
            })
            .collect();
        Error::NoAdequateModel {
            required: required_labels,
            tokens: needed,
            rejected,
        }
    }
}

/// Writes `"{label} p=0.97"`; two decimals without float formatting.
fn write_label_p<W: Write + ?Sized>(w: &mut W, label: Label, p: f32) -> std::fmt::Result {
    w.write_str(label.as_str())?;
    w.write_str(" p=")?;
    if (0.0..=1.0).contains(&p) {
        let c = (p * 100.0).round() as u32;
        let digit = |d: u32| char::from(b'0' + d as u8);
        w.write_char(digit(c / 100))?;
        w.write_char('.')?;
        w.write_char(digit(c / 10 % 10))?;
        w.write_char(digit(c % 10))
    } else {
        write!(w, "{p:.2}")
    }
}

/// Strict "ranks before": cheaper, then higher quality on `label`, then smaller id.
fn ranks_before(models: &[ModelSpec], label: Label, a: &Ranked, b: &Ranked) -> bool {
    use std::cmp::Ordering::*;
    match a.cost_usd.total_cmp(&b.cost_usd) {
        Less => true,
        Greater => false,
        Equal => {
            let (ma, mb) = (&models[a.model], &models[b.model]);
            match mb.quality(label).total_cmp(&ma.quality(label)) {
                Less => true,
                Greater => false,
                Equal => ma.id < mb.id,
            }
        }
    }
}

/// Writes `x` USD with two significant digits, e.g. `$0.000044`, `$0.012`, `$1.50`.
fn write_usd<W: Write + ?Sized>(w: &mut W, x: f64) -> std::fmt::Result {
    if x <= 0.0 || !x.is_finite() {
        return write!(w, "${x}");
    }
    let decimals = (1 - x.log10().floor() as i32).clamp(2, 12) as u32;
    // Exact float formatting (`{:.N}`) often falls back to bignum arithmetic here: ~9% of
    // a 20-word `route` (perf). Rounding x·10^N gives the same digits unless that product
    // is within its rounding error (< 1.2e-7 below 1e9) of a tie, which goes the exact way.
    let pow = 10u64.pow(decimals);
    let scaled = x * pow as f64;
    if scaled < 1e9 && (scaled - scaled.floor() - 0.5).abs() > 1e-6 {
        // `$`, the whole dollars, `.` and `decimals` digits, written right to left by hand:
        // the integer formatting machinery cost more than the rest of a decision's reason.
        let r = scaled.round() as u64;
        let mut buf = [0u8; 32];
        let mut k = buf.len();
        let mut put = |d: u8| {
            k -= 1;
            buf[k] = d;
        };
        let mut frac = r % pow;
        for _ in 0..decimals {
            put(b'0' + (frac % 10) as u8);
            frac /= 10;
        }
        put(b'.');
        let mut whole = r / pow;
        loop {
            put(b'0' + (whole % 10) as u8);
            whole /= 10;
            if whole == 0 {
                break;
            }
        }
        put(b'$');
        return w.write_str(std::str::from_utf8(&buf[k..]).unwrap_or_default());
    }
    write!(w, "${x:.prec$}", prec = decimals as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(x: f64) -> String {
        let mut s = String::new();
        write_usd(&mut s, x).unwrap();
        s
    }

    #[test]
    fn usd_amounts_round_to_picodollars_without_float_noise() {
        // (1 × 0.035 + 100 × 0.14) / 1e6 is 1.4035000000000002e-5 in f64.
        let noisy = (1.0 * 0.035 + 100.0 * 0.14) / 1e6;
        assert_eq!(noisy.to_string(), "0.000014035000000000002");
        assert_eq!(round_usd(noisy).to_string(), "0.000014035");
        assert_eq!(round_usd(0.1 + 0.2), 0.3);
        assert_eq!(round_usd(1e-13), 0.0);
        assert_eq!(round_usd(1e6 + 0.25), 1e6 + 0.25);
        assert!(round_usd(f64::NAN).is_nan());
    }

    #[test]
    fn token_estimate_is_bytes_over_four_rounded_up() {
        assert_eq!(estimate_input_tokens(""), 0);
        assert_eq!(estimate_input_tokens("abcd"), 1);
        assert_eq!(estimate_input_tokens("abcde"), 2);
        // "é" is two UTF-8 bytes.
        assert_eq!(estimate_input_tokens("ééé"), 2);
    }

    #[test]
    fn probabilities_print_with_two_decimals() {
        let mut s = String::new();
        for p in [0.0, 0.004, 0.305, 0.97, 0.999, 1.0, f32::NAN, 1.5] {
            write_label_p(&mut s, Label::Reasoning, p).unwrap();
            s.push(' ');
        }
        assert_eq!(
            s,
            "reasoning p=0.00 reasoning p=0.00 reasoning p=0.31 reasoning p=0.97 \
             reasoning p=1.00 reasoning p=1.00 reasoning p=NaN reasoning p=1.50 "
        );
    }

    /// One tiered model (3/15 USD per MTok, 6/22.5 above 200k input tokens) and one flat
    /// model (4/16) with a 1M window.
    fn tiered_policy() -> Policy {
        let text = r#"
            [policy]
            min_quality = { planning = 0.5, reasoning = 0.5, code_completion = 0.5 }
            expected_output_tokens = { planning = 1000, reasoning = 1000, code_completion = 1000 }
            plausible_label_floor = 0.2
            [[model]]
            id = "tiered"
            provider = "a"
            input_usd_per_mtok = 3.0
            output_usd_per_mtok = 15.0
            context_tokens = 1000000
            quality = { planning = 0.9, reasoning = 0.9, code_completion = 0.9 }
            price_tiers = [{ above_input_tokens = 200000, input_per_mtok = 6.0, output_per_mtok = 22.5 }]
            [[model]]
            id = "flat"
            provider = "b"
            input_usd_per_mtok = 4.0
            output_usd_per_mtok = 16.0
            context_tokens = 1000000
            quality = { planning = 0.9, reasoning = 0.9, code_completion = 0.9 }
        "#;
        Policy::new(Arc::new(Catalog::parse(text, "tiered.toml").unwrap()))
    }

    #[test]
    fn tiered_model_is_priced_at_base_for_a_short_prompt() {
        let p = tiered_policy();
        let c = p.choose(&[0.9, 0.05, 0.05, 0.0], 1_000).unwrap();
        // tiered: 1000 × 3 + 1000 × 15 = 18000 µ$; flat: 1000 × 4 + 1000 × 16 = 20000 µ$.
        assert_eq!(p.catalog().models()[c.pick().model].id, "tiered");
        assert_eq!(c.pick().cost_usd, (1_000.0 * 3.0 + 1_000.0 * 15.0) / 1e6);
        // Exactly at the threshold is still base: the tier starts *above* 200k.
        let c = p.choose(&[0.9, 0.05, 0.05, 0.0], 200_000).unwrap();
        assert_eq!(c.pick().cost_usd, (200_000.0 * 3.0 + 1_000.0 * 15.0) / 1e6);
    }

    #[test]
    fn tiered_model_is_priced_at_its_tier_for_a_long_prompt() {
        let p = tiered_policy();
        let c = p.choose(&[0.9, 0.05, 0.05, 0.0], 300_000).unwrap();
        // tiered: 300000 × 6 + 1000 × 22.5 = 1822500 µ$; flat: 300000 × 4 + 1000 × 16 = 1216000 µ$.
        assert_eq!(p.catalog().models()[c.pick().model].id, "flat");
        let tiered = c.fallbacks().iter().find(|r| r.model == 0).unwrap();
        assert_eq!(tiered.cost_usd, (300_000.0 * 6.0 + 1_000.0 * 22.5) / 1e6);
    }

    #[test]
    fn usd_prints_what_exact_formatting_prints() {
        let exact = |x: f64| {
            let decimals = (1 - x.log10().floor() as i32).clamp(2, 12) as usize;
            format!("${x:.decimals$}")
        };
        // Ties in decimal (the product lands on .5), values either side of them, costs as the
        // policy computes them, and a sweep over twelve decades.
        let mut xs = vec![
            0.000185, 0.0001835, 0.125, 2.5e-5, 0.015, 0.0045, 1.005, 99.995,
        ];
        xs.extend([
            (1_000.0 * 3.0 + 1_000.0 * 15.0) / 1e6,
            (336.0 * 0.1 + 300.0 * 0.5) / 1e6,
        ]);
        let mut x = 1.234_567e-11;
        while x < 1e8 {
            xs.extend([x, x * 1.5, x * 3.7, x * 9.95]);
            x *= 10.0;
        }
        for x in xs {
            assert_eq!(usd(x), exact(x), "{x:e}");
            for ulps in [-2i64, -1, 1, 2] {
                let y = f64::from_bits((x.to_bits() as i64 + ulps) as u64);
                assert_eq!(usd(y), exact(y), "{y:e}");
            }
        }
    }

    #[test]
    fn usd_has_two_significant_digits() {
        assert_eq!(usd(0.0000437), "$0.000044");
        assert_eq!(usd(0.0123), "$0.012");
        assert_eq!(usd(1.5), "$1.50");
        assert_eq!(usd(0.0), "$0");
    }
}
