//! The model catalog: candidate models with their list prices, context windows and per-label
//! quality, plus the routing settings (`[policy]`), read from TOML and validated once.
//!
//! A catalog is configuration in, a validated immutable object out: every check happens in
//! [`Catalog::parse`], so the router's hot path never re-validates. An invalid file is reported
//! as [`Error::Catalog`] naming the file, the 1-based line and the field (from toml's spans).
//!
//! ```toml
//! [policy]
//! min_quality = { planning = 0.80, reasoning = 0.80, code_completion = 0.75, other = 0.70 }
//! expected_output_tokens = { planning = 800, reasoning = 500, code_completion = 300, other = 400 }
//! plausible_label_floor = 0.20   # any label this likely must be served adequately too
//! # optional:
//! # default_model = "claude-3-5-sonnet"   # used when nothing is adequate (else an error)
//! # allow = ["anthropic", "amazon"]       # provider names or model ids; only these are used
//! # deny = ["gpt-4o"]                     # provider names or model ids never used
//! # max_fallbacks = 3                     # length of Decision::fallbacks (at most 8)
//! # quality_target = 0.95                 # also reach 95% of the best eligible model's quality
//! # adequacy = "catalog.adequacy.safetensors" # per-prompt model, next to this file
//! # adequacy_weight = 0.3                 # its share of a model's success; the rest is its
//! #                                       # per-label quality (1 when unset: the model alone)
//!
//! [[model]]
//! id = "claude-3-5-sonnet"
//! provider = "anthropic"
//! input_usd_per_mtok = 3.00
//! output_usd_per_mtok = 15.00
//! context_tokens = 200000
//! quality = { planning = 0.90, reasoning = 0.88, code_completion = 0.92, other = 0.90 }
//! # optional: api_id = "anthropic.claude-3-5-sonnet-20241022-v2:0", enabled = true,
//! #           tags = ["bedrock"], latency_ms = 900
//! # provenance (informational, written by `promptyard catalog prices`):
//! #   prices_source = "litellm 2026-11-02", prices_checked = "2026-11-02",
//! #   quality_source = "SWE-bench Verified …" or "estimate: <rule>", price_key = "<feed key>"
//! # tiered prices: from `above_input_tokens` on, every token of the prompt pays the tier price
//! #   price_tiers = [{ above_input_tokens = 200000, input_per_mtok = 6.0, output_per_mtok = 22.5 }]
//! # announced price changes (informational; the tooling applies them on their date):
//! #   scheduled_prices = [{ start_date = "2027-01-01", input_usd_per_mtok = 1.5,
//! #                         output_usd_per_mtok = 7.5, source = "genai-prices 2026-08-21" }]
//! ```
//!
//! **Three-label catalogs** (written before the `other` label) still load: when `[policy]`
//! sets neither `min_quality.other` nor `expected_output_tokens.other`, `other` is
//! *unconfigured* ([`Settings::other_configured`] is false), `quality.other` is optional on
//! models, and the policy routes a prompt labelled `other` to `default_model` if set, else to
//! the most capable eligible model (highest mean quality over the three labels), saying so in
//! the decision's reason. Once `[policy]` configures `other` (both keys), every model needs
//! `quality.other`.
//!
//! ```
//! use promptyard::catalog::Catalog;
//! use promptyard::Label;
//!
//! let catalog = Catalog::bundled()?;
//! let cheapest = catalog
//!     .models()
//!     .iter()
//!     .filter(|m| m.quality(Label::CodeCompletion) >= catalog.settings().min_quality(Label::CodeCompletion))
//!     .min_by(|a, b| a.cost_usd(1000, 300).total_cmp(&b.cost_usd(1000, 300)));
//! assert!(cheapest.is_some());
//! # Ok::<(), promptyard::Error>(())
//! ```

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::adequacy::Adequacy;
use crate::error::{Error, Result};
use crate::hash::fnv1a64;
use crate::label::{Label, NUM_LABELS};

/// The catalog shipped in `models/catalog.toml`, compiled into the crate.
pub const BUNDLED_TOML: &str = include_str!("../../../models/catalog.toml");

/// How the bundled catalog is named in errors and decisions.
pub const BUNDLED_PATH: &str = "models/catalog.toml (bundled)";

/// Upper bound on `max_fallbacks`, so the policy can rank candidates in a fixed-size buffer.
pub const MAX_FALLBACKS: usize = 8;

/// Highest price a catalog accepts, USD per million tokens (a dollar a token, far above any
/// list price). Bounding prices keeps every cost finite: even `u64::MAX` tokens at this
/// price cost about 1.8e19 USD, so a decision never says `$inf`.
pub const MAX_USD_PER_MTOK: f64 = 1e6;

/// Fallbacks listed when `max_fallbacks` is not set.
pub const DEFAULT_MAX_FALLBACKS: usize = 3;

/// A validated, immutable catalog. Build it with [`Catalog::load`], [`Catalog::parse`] or
/// [`Catalog::bundled`]; share it behind an `Arc`.
#[derive(Clone, Debug)]
pub struct Catalog {
    path: PathBuf,
    fingerprint: u64,
    settings: Settings,
    models: Vec<ModelSpec>,
    adequacy: Option<Arc<Adequacy>>,
}

/// The `[policy]` table: what "adequate" means and how the decision is shaped.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Settings {
    /// Minimum quality (0..=1) a model needs for each label, indexed like [`Label::ALL`]
    /// (`other`: 0 when [`other_configured`](Self::other_configured) is false).
    pub min_quality: [f64; NUM_LABELS],
    /// Output tokens assumed for a prompt of each label when estimating its cost (`other`,
    /// when not configured: the largest of the other three).
    pub expected_output_tokens: [u64; NUM_LABELS],
    /// Whether `[policy]` sets `min_quality.other` and `expected_output_tokens.other`. False
    /// for a three-label catalog: then `other` prompts go to `default_model` or the most
    /// capable eligible model (see the module docs).
    pub other_configured: bool,
    /// Every label with probability ≥ this must be served adequately, not just the argmax.
    pub plausible_label_floor: f32,
    /// Model used when no model is adequate; `None` makes that case an error.
    pub default_model: Option<String>,
    /// If set, only models whose provider or id is listed are eligible.
    pub allow: Option<Vec<String>>,
    /// Models whose provider or id is listed are never eligible (applied after `allow`).
    pub deny: Vec<String>,
    /// How many next-cheapest adequate models a decision lists as fallbacks (≤ [`MAX_FALLBACKS`]).
    pub max_fallbacks: usize,
    /// Relative quality target in (0, 1]: an adequate model must also reach this fraction of
    /// the best eligible model's quality for each required label. Both this and
    /// `min_quality` apply; see [`Catalog::quality_floor`].
    pub quality_target: Option<f64>,
    /// Per-prompt adequacy file named by `[policy] adequacy`, relative to the catalog's folder.
    pub adequacy: Option<String>,
    /// `[policy] adequacy_weight` in [0, 1]: a model's success for a prompt is this share of
    /// the adequacy model's probability plus the rest of its per-label quality (weighted by
    /// the label probabilities). `None` is 1: the adequacy model alone. A model fitted on a
    /// few hundred prompts is noisy, and leaning on the per-label figures measured on all of
    /// them routes better (`benchmarks/ECONOMICS.md`).
    pub adequacy_weight: Option<f64>,
}

impl Settings {
    /// Minimum quality for `label`.
    pub fn min_quality(&self, label: Label) -> f64 {
        self.min_quality[label.index()]
    }

    /// Output tokens assumed for a prompt labelled `label`.
    pub fn expected_output_tokens(&self, label: Label) -> u64 {
        self.expected_output_tokens[label.index()]
    }
}

/// One `[[model]]` entry.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ModelSpec {
    /// Unique id within the catalog (what decisions name).
    pub id: String,
    /// Vendor or serving platform, e.g. `anthropic`, `amazon`, `openai`.
    pub provider: String,
    /// The id the vendor's API or Amazon Bedrock expects, so a service can call it directly.
    pub api_id: Option<String>,
    /// List price of input tokens, USD per million tokens.
    pub input_usd_per_mtok: f64,
    /// List price of output tokens, USD per million tokens.
    pub output_usd_per_mtok: f64,
    /// Context window in tokens (prompt plus expected output must fit).
    pub context_tokens: u64,
    /// Quality (0..=1) per label, indexed like [`Label::ALL`] (`other` is 0 when a
    /// three-label catalog leaves it out).
    pub quality: [f64; NUM_LABELS],
    /// `enabled = false` keeps an entry in the file without routing to it.
    pub enabled: bool,
    /// Free-form tags (informational).
    pub tags: Vec<String>,
    /// Typical time to first token in milliseconds (informational).
    pub latency_ms: Option<u64>,
    /// Where the prices came from, e.g. `"litellm 2026-11-02"` (informational).
    pub prices_source: Option<String>,
    /// Date the prices were last checked against their source, `YYYY-MM-DD` (validated).
    pub prices_checked: Option<String>,
    /// Where the quality numbers came from: benchmarks and dates, or `"estimate: <rule>"`.
    pub quality_source: Option<String>,
    /// Key of this model in a price feed, when neither `api_id` nor `id` finds it there.
    pub price_key: Option<String>,
    /// Long-prompt prices, ascending by threshold; empty when one price covers the window.
    pub price_tiers: Vec<PriceTier>,
    /// Announced price changes not yet in effect (informational; the router ignores them).
    pub scheduled_prices: Vec<ScheduledPrice>,
    /// Enabled and passing the catalog's allow/deny lists: the policy considers only these.
    pub eligible: bool,
}

/// A price tier: a prompt of more than `above_input_tokens` input tokens pays these prices for
/// all its tokens (the "cliff" model vendors use for long-context pricing).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PriceTier {
    /// The tier applies to prompts with strictly more input tokens than this.
    pub above_input_tokens: u64,
    /// Input price in this tier, USD per million tokens.
    pub input_per_mtok: f64,
    /// Output price in this tier, USD per million tokens.
    pub output_per_mtok: f64,
}

/// A price change announced for a later date (informational).
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduledPrice {
    /// First day the new prices apply, `YYYY-MM-DD`.
    pub start_date: String,
    /// New input price, USD per million tokens.
    pub input_usd_per_mtok: f64,
    /// New output price, USD per million tokens.
    pub output_usd_per_mtok: f64,
    /// New tiers (ascending), if the new prices are tiered.
    pub price_tiers: Vec<PriceTier>,
    /// Which price feed announced it.
    pub source: Option<String>,
}

impl ModelSpec {
    /// Quality of this model for `label`.
    pub fn quality(&self, label: Label) -> f64 {
        self.quality[label.index()]
    }

    /// Mean quality over the three original labels ([`Label::LEGACY`]): how a three-label
    /// catalog ranks "most capable" for prompts it has no `other` settings for.
    pub fn mean_legacy_quality(&self) -> f64 {
        Label::LEGACY.iter().map(|&l| self.quality(l)).sum::<f64>() / Label::LEGACY.len() as f64
    }

    /// Input and output prices (USD per million tokens) for a prompt of `input_tokens`: the
    /// highest tier whose `above_input_tokens` is below `input_tokens`, else the base prices.
    pub fn prices_for(&self, input_tokens: u64) -> (f64, f64) {
        self.price_tiers
            .iter()
            .rev()
            .find(|t| t.above_input_tokens < input_tokens)
            .map_or((self.input_usd_per_mtok, self.output_usd_per_mtok), |t| {
                (t.input_per_mtok, t.output_per_mtok)
            })
    }

    /// Estimated cost in USD of a call with these token counts, at list prices (in the price
    /// tier the prompt's input tokens fall in, see [`ModelSpec::prices_for`]).
    pub fn cost_usd(&self, input_tokens: u64, output_tokens: u64) -> f64 {
        cost_at(self.prices_for(input_tokens), input_tokens, output_tokens)
    }
}

/// USD for `input_tokens` in and `output_tokens` out at `(input, output)` prices per million
/// tokens: the one formula, so a cost priced from cached prices is bit-identical.
#[inline]
pub(crate) fn cost_at((input, output): (f64, f64), input_tokens: u64, output_tokens: u64) -> f64 {
    (input_tokens as f64 * input + output_tokens as f64 * output) / 1e6
}

impl Catalog {
    /// The bundled catalog (`models/catalog.toml`, compiled in).
    pub fn bundled() -> Result<Catalog> {
        Catalog::parse(BUNDLED_TOML, BUNDLED_PATH)
    }

    /// Reads and validates a catalog file.
    pub fn load(path: impl AsRef<Path>) -> Result<Catalog> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Catalog::parse(&text, path)
    }

    /// Parses and validates catalog TOML; `path` is only used to name the source in errors.
    pub fn parse(text: &str, path: impl AsRef<Path>) -> Result<Catalog> {
        let path = path.as_ref().to_path_buf();
        let raw: RawCatalog = toml::from_str(text).map_err(|e| serde_error(text, &path, &e))?;
        let adequacy_span = raw.policy.get_ref().adequacy.as_ref().map(|a| a.span());
        let lines = LineIndex::new(text);
        let mut catalog = Validator { lines: &lines, path: &path }
            .build(raw)
            .map(|(settings, models)| Catalog {
                fingerprint: fnv1a64(text.as_bytes()),
                path,
                settings,
                models,
                adequacy: None,
            })?;
        if let (Some(file), Some(span)) = (catalog.settings.adequacy.clone(), adequacy_span) {
            let full = catalog.path.parent().unwrap_or(Path::new("")).join(&file);
            let loaded = Adequacy::load(&full).map_err(|e| Error::Catalog {
                path: catalog.path.clone(),
                line: lines.line_of(span.start),
                field: "policy.adequacy".into(),
                msg: e.to_string(),
            })?;
            catalog = catalog.with_adequacy(loaded);
        }
        Ok(catalog)
    }

    /// This catalog with a per-prompt adequacy model (replacing any it had): the policy then
    /// ranks models by per-prompt success probability (see [`crate::policy`]).
    pub fn with_adequacy(mut self, adequacy: Adequacy) -> Catalog {
        self.adequacy = Some(Arc::new(adequacy));
        self
    }

    /// This catalog with `[policy] adequacy_weight` set to `weight`, as if the file said so
    /// (see [`Settings::adequacy_weight`]); a weight outside [0, 1] is an error.
    pub fn with_adequacy_weight(self, weight: f64) -> Result<Catalog> {
        self.with_setting(ADEQUACY_WEIGHT, weight, |s| s.adequacy_weight = Some(weight))
    }

    /// This catalog without its per-prompt adequacy model: the policy then decides per label.
    /// Used to compare the two policies on the same catalog ([`Catalog::fingerprint`] stays
    /// that of the file).
    pub fn without_adequacy(mut self) -> Catalog {
        self.adequacy = None;
        self
    }

    /// This catalog with `[policy] quality_target` set to `target`, as if the file said so
    /// (for sweeping the target); errors like [`Catalog::parse`] unless `0 < target ≤ 1`.
    pub fn with_quality_target(self, target: f64) -> Result<Catalog> {
        self.with_setting(QUALITY_TARGET, target, |s| s.quality_target = Some(target))
    }

    /// This catalog with `set` applied to its settings, once `x` passes `setting`'s check
    /// (the one a file's value passes; line 0 in the error, since no file line says it).
    fn with_setting(
        mut self,
        setting: Setting,
        x: f64,
        set: impl FnOnce(&mut Settings),
    ) -> Result<Catalog> {
        if let Some(msg) = (setting.problem)(x) {
            return Err(Error::Catalog {
                path: self.path,
                line: 0,
                field: setting.field.into(),
                msg,
            });
        }
        set(&mut self.settings);
        Ok(self)
    }

    /// The per-prompt adequacy model, if the catalog carries one.
    pub fn adequacy(&self) -> Option<&Arc<Adequacy>> {
        self.adequacy.as_ref()
    }

    /// Where the catalog came from (as given to [`Catalog::load`] or [`Catalog::parse`]).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// FNV-1a 64 of the TOML text: identifies which catalog made a decision.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The `[policy]` settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// All models in file order, including disabled and denied ones (see [`ModelSpec::eligible`]).
    pub fn models(&self) -> &[ModelSpec] {
        &self.models
    }

    /// The model with this id, if any.
    pub fn model(&self, id: &str) -> Option<&ModelSpec> {
        self.models.iter().find(|m| m.id == id)
    }

    /// The quality a model needs for `label` to be adequate: the larger of `min_quality` and
    /// `quality_target × (best eligible model's quality for label)`. Without a target this is
    /// `min_quality`. The best eligible model always meets its own target (target ≤ 1), so
    /// the target never makes a servable label unservable.
    pub fn quality_floor(&self, label: Label) -> f64 {
        let min = self.settings.min_quality(label);
        let Some(target) = self.settings.quality_target else {
            return min;
        };
        let best = self
            .models
            .iter()
            .filter(|m| m.eligible)
            .map(|m| m.quality(label))
            .fold(0.0, f64::max);
        min.max(target * best)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    policy: Spanned<RawPolicy>,
    #[serde(rename = "model", default)]
    models: Vec<Spanned<RawModel>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    min_quality: PerLabel<f64>,
    expected_output_tokens: PerLabel<u64>,
    plausible_label_floor: Spanned<f64>,
    default_model: Option<Spanned<String>>,
    allow: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    deny: Vec<Spanned<String>>,
    max_fallbacks: Option<Spanned<u64>>,
    quality_target: Option<Spanned<f64>>,
    adequacy: Option<Spanned<String>>,
    adequacy_weight: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PerLabel<T> {
    planning: Spanned<T>,
    reasoning: Spanned<T>,
    code_completion: Spanned<T>,
    /// Optional so that three-label catalogs keep loading.
    other: Option<Spanned<T>>,
}

impl<T> PerLabel<T> {
    fn get(&self, label: Label) -> Option<&Spanned<T>> {
        match label {
            Label::Planning => Some(&self.planning),
            Label::Reasoning => Some(&self.reasoning),
            Label::CodeCompletion => Some(&self.code_completion),
            Label::Other => self.other.as_ref(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    id: Spanned<String>,
    provider: Spanned<String>,
    api_id: Option<String>,
    input_usd_per_mtok: Spanned<f64>,
    output_usd_per_mtok: Spanned<f64>,
    context_tokens: Spanned<u64>,
    quality: Spanned<PerLabel<f64>>,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default)]
    tags: Vec<String>,
    latency_ms: Option<u64>,
    prices_source: Option<String>,
    prices_checked: Option<Spanned<String>>,
    quality_source: Option<String>,
    price_key: Option<String>,
    #[serde(default)]
    price_tiers: Vec<Spanned<RawTier>>,
    #[serde(default)]
    scheduled_prices: Vec<Spanned<RawScheduled>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTier {
    above_input_tokens: u64,
    input_per_mtok: f64,
    output_per_mtok: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScheduled {
    start_date: String,
    input_usd_per_mtok: f64,
    output_usd_per_mtok: f64,
    #[serde(default)]
    price_tiers: Vec<RawTier>,
    source: Option<String>,
}

/// True for a real calendar date written `YYYY-MM-DD`.
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) {
        return false;
    }
    if !digits(8..10) {
        return false;
    }
    let (y, m, d): (u32, u32, u32) = (
        s[..4].parse().unwrap_or(0),
        s[5..7].parse().unwrap_or(0),
        s[8..].parse().unwrap_or(0),
    );
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn yes() -> bool {
    true
}

/// Byte offsets where each line of a text starts, so the line of any offset is a binary
/// search: a catalog of n models needs n lookups, and rescanning the text for each would
/// make loading quadratic.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, c)| c == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// 1-based line of byte offset `at`.
    fn line_of(&self, at: usize) -> usize {
        match self.starts.binary_search(&at) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// 1-based line of byte offset `at` in `text` (one lookup: a linear scan is fine).
fn line_of(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Turns a toml/serde error into [`Error::Catalog`]. The field is the backquoted name of an
/// `unknown/missing/duplicate field` message, else the key written before the span.
fn serde_error(text: &str, path: &Path, err: &toml::de::Error) -> Error {
    let span = err.span();
    let mut msg = err.message().trim().to_string();
    if msg.is_empty() {
        // toml gives no message for some lexer errors (a control character in a comment);
        // say what is at the span instead of printing nothing.
        let at = span.as_ref().map_or(0, |s| s.start);
        let c = text.get(at..).and_then(|t| t.chars().next());
        msg = match c {
            Some(c) if c.is_control() => format!(
                "control character U+{:04X} is not allowed in TOML (comments and strings may \
                 hold tabs, but no other control character)",
                c as u32
            ),
            Some(c) => format!("unexpected character {c:?}"),
            None => "unexpected end of file".to_string(),
        };
    }
    let named = ["unknown field", "missing field", "duplicate field"]
        .iter()
        .any(|p| msg.starts_with(p));
    let field = named
        .then(|| msg.split('`').nth(1).map(str::to_string))
        .flatten()
        .or_else(|| span.as_ref().and_then(|s| key_before(text, s.start)))
        .unwrap_or_else(|| "-".to_string());
    Error::Catalog {
        path: path.to_path_buf(),
        line: span.map_or(0, |s| line_of(text, s.start)),
        field,
        msg,
    }
}

/// The TOML key assigned just before byte `at` on the same line (`key = <at>`), if any.
fn key_before(text: &str, at: usize) -> Option<String> {
    let at = at.min(text.len());
    let head = text.get(..at)?;
    let line = &head[head.rfind('\n').map_or(0, |i| i + 1)..];
    let before_eq = line.trim_end().strip_suffix('=')?.trim_end();
    // Trimming whole chars keeps the cut on a char boundary whatever precedes the key.
    let start = before_eq
        .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        .len();
    let key = &before_eq[start..];
    (!key.is_empty()).then(|| key.to_string())
}

/// A `[policy]` number that a file and a `Catalog::with_*` method set alike: its field name
/// in errors and why a value is refused, if it is.
#[derive(Clone, Copy)]
struct Setting {
    field: &'static str,
    problem: fn(f64) -> Option<String>,
}

const QUALITY_TARGET: Setting = Setting {
    field: "policy.quality_target",
    problem: |x| (!(x > 0.0 && x <= 1.0)).then(|| format!("must be in (0, 1], got {x}")),
};

const ADEQUACY_WEIGHT: Setting = Setting {
    field: "policy.adequacy_weight",
    problem: |x| (!(0.0..=1.0).contains(&x)).then(|| format!("must be in [0, 1], got {x}")),
};

/// Why `x` is not a usable price (USD per million tokens), if it is not.
fn price_problem(x: f64) -> Option<String> {
    if !(x.is_finite() && x >= 0.0) {
        Some(format!(
            "price must be a non-negative number of USD per million tokens, got {x}"
        ))
    } else if x > MAX_USD_PER_MTOK {
        Some(format!(
            "price {x} USD per million tokens is above the limit of {MAX_USD_PER_MTOK} \
             (costs would overflow)"
        ))
    } else {
        None
    }
}

struct Validator<'a> {
    lines: &'a LineIndex,
    path: &'a Path,
}

impl Validator<'_> {
    fn err(&self, span: Range<usize>, field: impl Into<String>, msg: impl Into<String>) -> Error {
        Error::Catalog {
            path: self.path.to_path_buf(),
            line: self.lines.line_of(span.start),
            field: field.into(),
            msg: msg.into(),
        }
    }

    /// An optional `[policy]` number, checked as `setting` says.
    fn setting(&self, v: &Option<Spanned<f64>>, setting: Setting) -> Result<Option<f64>> {
        let Some(v) = v else { return Ok(None) };
        let x = *v.get_ref();
        match (setting.problem)(x) {
            None => Ok(Some(x)),
            Some(msg) => Err(self.err(v.span(), setting.field, msg)),
        }
    }

    fn unit_interval(&self, v: &Spanned<f64>, field: String) -> Result<f64> {
        let x = *v.get_ref();
        if (0.0..=1.0).contains(&x) {
            Ok(x)
        } else {
            Err(self.err(v.span(), field, format!("must be between 0 and 1, got {x}")))
        }
    }

    fn price(&self, v: &Spanned<f64>, field: String) -> Result<f64> {
        let x = *v.get_ref();
        match price_problem(x) {
            None => Ok(x),
            Some(msg) => Err(self.err(v.span(), field, msg)),
        }
    }

    /// Tiers must be ascending by threshold with non-negative prices.
    fn tiers<'r>(
        &self,
        raw: impl Iterator<Item = (Range<usize>, &'r RawTier)>,
        field: &str,
    ) -> Result<Vec<PriceTier>> {
        let mut out: Vec<PriceTier> = Vec::new();
        for (j, (span, t)) in raw.enumerate() {
            for (name, x) in [
                ("input_per_mtok", t.input_per_mtok),
                ("output_per_mtok", t.output_per_mtok),
            ] {
                if let Some(msg) = price_problem(x) {
                    return Err(self.err(span.clone(), format!("{field}[{j}].{name}"), msg));
                }
            }
            if let Some(prev) = out.last() {
                if t.above_input_tokens <= prev.above_input_tokens {
                    return Err(self.err(
                        span.clone(),
                        format!("{field}[{j}].above_input_tokens"),
                        format!(
                            "tiers must be in ascending order of above_input_tokens ({} after {})",
                            t.above_input_tokens, prev.above_input_tokens
                        ),
                    ));
                }
            }
            out.push(PriceTier {
                above_input_tokens: t.above_input_tokens,
                input_per_mtok: t.input_per_mtok,
                output_per_mtok: t.output_per_mtok,
            });
        }
        Ok(out)
    }

    fn date(&self, span: Range<usize>, value: &str, field: String) -> Result<String> {
        if is_iso_date(value) {
            Ok(value.to_string())
        } else {
            Err(self.err(
                span,
                field,
                format!("must be a date written YYYY-MM-DD, got {value:?}"),
            ))
        }
    }

    fn non_empty(&self, v: &Spanned<String>, field: String) -> Result<String> {
        if v.get_ref().trim().is_empty() {
            Err(self.err(v.span(), field, "must not be empty"))
        } else {
            Ok(v.get_ref().clone())
        }
    }

    fn build(&self, raw: RawCatalog) -> Result<(Settings, Vec<ModelSpec>)> {
        let p = raw.policy.get_ref();
        let other_configured = match (&p.min_quality.other, &p.expected_output_tokens.other) {
            (Some(_), Some(_)) => true,
            (None, None) => false,
            (Some(v), None) => {
                return Err(self.err(
                    v.span(),
                    "policy.expected_output_tokens.other",
                    "missing: `other` needs both min_quality.other and expected_output_tokens.other",
                ))
            }
            (None, Some(v)) => {
                return Err(self.err(
                    v.span(),
                    "policy.min_quality.other",
                    "missing: `other` needs both min_quality.other and expected_output_tokens.other",
                ))
            }
        };
        let mut min_quality = [0.0; NUM_LABELS];
        let mut expected_output_tokens = [0; NUM_LABELS];
        for label in Label::ALL {
            if let Some(v) = p.min_quality.get(label) {
                min_quality[label.index()] =
                    self.unit_interval(v, format!("policy.min_quality.{label}"))?;
            }
            if let Some(v) = p.expected_output_tokens.get(label) {
                expected_output_tokens[label.index()] = *v.get_ref();
            }
        }
        if !other_configured {
            expected_output_tokens[Label::Other.index()] = Label::LEGACY
                .iter()
                .map(|l| expected_output_tokens[l.index()])
                .max()
                .unwrap_or(0);
        }
        let floor = self.unit_interval(
            &p.plausible_label_floor,
            "policy.plausible_label_floor".to_string(),
        )? as f32;
        let max_fallbacks = match &p.max_fallbacks {
            None => DEFAULT_MAX_FALLBACKS,
            Some(v) if *v.get_ref() <= MAX_FALLBACKS as u64 => *v.get_ref() as usize,
            Some(v) => {
                return Err(self.err(
                    v.span(),
                    "policy.max_fallbacks",
                    format!("must be at most {MAX_FALLBACKS}, got {}", v.get_ref()),
                ))
            }
        };

        let quality_target = self.setting(&p.quality_target, QUALITY_TARGET)?;
        let adequacy_weight = self.setting(&p.adequacy_weight, ADEQUACY_WEIGHT)?;

        let mut models = Vec::with_capacity(raw.models.len());
        let mut first_line: HashMap<String, usize> = HashMap::new();
        for (i, entry) in raw.models.iter().enumerate() {
            let m = entry.get_ref();
            let at = |f: &str| format!("model[{i}].{f}");
            let id = self.non_empty(&m.id, at("id"))?;
            if let Some(line) = first_line.get(&id) {
                return Err(self.err(
                    m.id.span(),
                    at("id"),
                    format!("duplicate model id {id:?} (first defined on line {line})"),
                ));
            }
            first_line.insert(id.clone(), self.lines.line_of(m.id.span().start));
            let mut quality = [0.0; NUM_LABELS];
            for label in Label::ALL {
                match m.quality.get_ref().get(label) {
                    Some(v) => {
                        quality[label.index()] =
                            self.unit_interval(v, at(&format!("quality.{label}")))?
                    }
                    None if other_configured => {
                        return Err(self.err(
                            m.quality.span(),
                            at(&format!("quality.{label}")),
                            "missing (required because [policy] sets min_quality.other)",
                        ))
                    }
                    None => {}
                }
            }
            if *m.context_tokens.get_ref() == 0 {
                return Err(self.err(m.context_tokens.span(), at("context_tokens"), "must be > 0"));
            }
            let prices_checked = match &m.prices_checked {
                Some(v) => Some(self.date(v.span(), v.get_ref(), at("prices_checked"))?),
                None => None,
            };
            let price_tiers = self.tiers(
                m.price_tiers.iter().map(|t| (t.span(), t.get_ref())),
                &at("price_tiers"),
            )?;
            let mut scheduled_prices = Vec::with_capacity(m.scheduled_prices.len());
            for (j, sp) in m.scheduled_prices.iter().enumerate() {
                let (span, raw) = (sp.span(), sp.get_ref());
                let field = at(&format!("scheduled_prices[{j}]"));
                let start_date =
                    self.date(span.clone(), &raw.start_date, format!("{field}.start_date"))?;
                let price = |x: f64, name: &str| {
                    self.price(&Spanned::new(span.clone(), x), format!("{field}.{name}"))
                };
                scheduled_prices.push(ScheduledPrice {
                    start_date,
                    input_usd_per_mtok: price(raw.input_usd_per_mtok, "input_usd_per_mtok")?,
                    output_usd_per_mtok: price(raw.output_usd_per_mtok, "output_usd_per_mtok")?,
                    price_tiers: self.tiers(
                        raw.price_tiers.iter().map(|t| (span.clone(), t)),
                        &format!("{field}.price_tiers"),
                    )?,
                    source: raw.source.clone(),
                });
            }
            models.push(ModelSpec {
                provider: self.non_empty(&m.provider, at("provider"))?,
                api_id: m.api_id.clone(),
                input_usd_per_mtok: self.price(&m.input_usd_per_mtok, at("input_usd_per_mtok"))?,
                output_usd_per_mtok: self
                    .price(&m.output_usd_per_mtok, at("output_usd_per_mtok"))?,
                context_tokens: *m.context_tokens.get_ref(),
                quality,
                enabled: m.enabled,
                tags: m.tags.clone(),
                latency_ms: m.latency_ms,
                prices_source: m.prices_source.clone(),
                prices_checked,
                quality_source: m.quality_source.clone(),
                price_key: m.price_key.clone(),
                price_tiers,
                scheduled_prices,
                eligible: false,
                id,
            });
        }

        // allow/deny entries must name something, so a typo cannot silently disable a list.
        let names = |s: &str| models.iter().any(|m| m.id == s || m.provider == s);
        for (field, list) in [
            ("policy.allow", p.allow.as_deref().unwrap_or(&[])),
            ("policy.deny", &p.deny),
        ] {
            if let Some(bad) = list.iter().find(|s| !names(s.get_ref())) {
                return Err(self.err(
                    bad.span(),
                    field,
                    format!(
                        "{:?} is neither a provider nor a model id in this catalog",
                        bad.get_ref()
                    ),
                ));
            }
        }
        let allow: Option<Vec<String>> = p
            .allow
            .as_ref()
            .map(|v| v.iter().map(|s| s.get_ref().clone()).collect());
        let deny: Vec<String> = p.deny.iter().map(|s| s.get_ref().clone()).collect();
        for m in &mut models {
            let listed = |list: &[String]| list.iter().any(|s| *s == m.id || *s == m.provider);
            m.eligible = m.enabled && allow.as_deref().is_none_or(listed) && !listed(&deny);
        }

        let default_model = match &p.default_model {
            None => None,
            Some(d) => match models.iter().find(|m| m.id == *d.get_ref()) {
                Some(m) if m.eligible => Some(m.id.clone()),
                Some(_) => {
                    return Err(self.err(
                        d.span(),
                        "policy.default_model",
                        format!("{:?} is disabled or excluded by allow/deny", d.get_ref()),
                    ))
                }
                None => {
                    return Err(self.err(
                        d.span(),
                        "policy.default_model",
                        format!("no model with id {:?} in this catalog", d.get_ref()),
                    ))
                }
            },
        };

        let configured = Label::ALL
            .into_iter()
            .filter(|&l| l != Label::Other || other_configured);
        for label in configured {
            let need = min_quality[label.index()];
            let servable = models
                .iter()
                .any(|m| m.eligible && m.quality[label.index()] >= need);
            if !servable {
                let best = models
                    .iter()
                    .filter(|m| m.eligible)
                    .max_by(|a, b| a.quality[label.index()].total_cmp(&b.quality[label.index()]))
                    .map_or_else(
                        || "there are no eligible models".to_string(),
                        |m| format!("best is {} at {}", m.id, m.quality[label.index()]),
                    );
                let span = p.min_quality.get(label).map_or(0..0, |v| v.span());
                return Err(self.err(
                    span,
                    format!("policy.min_quality.{label}"),
                    format!("no enabled, allowed model has {label} quality ≥ {need} ({best})"),
                ));
            }
            // Every prompt of this label would fail to route if its expected output alone
            // fills every adequate model's context window.
            let out = expected_output_tokens[label.index()];
            let widest = models
                .iter()
                .filter(|m| m.eligible && m.quality[label.index()] >= need)
                .map(|m| m.context_tokens)
                .max()
                .unwrap_or(0);
            if out >= widest {
                return Err(self.err(
                    p.expected_output_tokens.get(label).map_or(0..0, |v| v.span()),
                    format!("policy.expected_output_tokens.{label}"),
                    format!(
                        "{out} tokens leave no room for a prompt in the context window of any \
                         enabled, allowed model adequate for {label} (the largest holds {widest})"
                    ),
                ));
            }
        }

        Ok((
            Settings {
                min_quality,
                expected_output_tokens,
                other_configured,
                plausible_label_floor: floor,
                default_model,
                allow,
                deny,
                max_fallbacks,
                quality_target,
                adequacy: p.adequacy.as_ref().map(|a| a.get_ref().clone()),
                adequacy_weight,
            },
            models,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_catalog_is_valid() {
        let c = Catalog::bundled().unwrap();
        assert!(!c.models().is_empty());
        assert_eq!(c.path(), Path::new(BUNDLED_PATH));
    }

    #[test]
    fn key_before_finds_the_assigned_key() {
        let text = "a = 1\nquality = { planning = \"x\" }\n";
        let at = text.find("\"x\"").unwrap();
        assert_eq!(key_before(text, at).as_deref(), Some("planning"));
        assert_eq!(line_of(text, at), 2);
    }

    #[test]
    fn key_before_does_not_cut_inside_a_multibyte_char() {
        // Regression: `rfind` + 1 sliced inside `→` and panicked.
        assert_eq!(key_before("# a→=", 7), None);
        assert_eq!(key_before("é=", 3), None);
        assert_eq!(key_before("→x = ", 6).as_deref(), Some("x"));
        let e = Catalog::parse("# a→=\x01", "t.toml").unwrap_err();
        assert!(matches!(e, Error::Catalog { .. }), "{e}");
    }

    #[test]
    fn control_char_in_comment_names_it() {
        let e = Catalog::parse("[policy]\n# tab\x01 here\n", "t.toml").unwrap_err();
        eprintln!("{e}");
        let Error::Catalog { line, msg, .. } = &e else {
            panic!("{e}")
        };
        assert_eq!(*line, 2, "{e}");
        assert!(msg.contains("control character"), "{e}");
    }

    #[test]
    fn line_index_agrees_with_a_scan() {
        let text = "a\n\nbc\nd";
        let idx = LineIndex::new(text);
        for at in 0..=text.len() {
            assert_eq!(idx.line_of(at), line_of(text, at), "at {at}");
        }
    }
}
