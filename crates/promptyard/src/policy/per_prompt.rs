//! Per-prompt adequacy in the policy: used when the catalog carries an
//! [`Adequacy`](crate::adequacy::Adequacy) model (`[policy] adequacy = "FILE"`).
//!
//! For a prompt with per-model success probabilities `s` (from the adequacy model; a catalog
//! model the adequacy model does not know gets its per-label quality for the predicted label):
//!
//! 1. candidates are the eligible models meeting `min_quality` for every required label (as in
//!    the per-label policy) whose context window holds the prompt;
//! 2. a candidate is adequate when `s_m ≥ t × max(s)` over the candidates, `t` the catalog's
//!    `quality_target` (1.0 when unset: only the most likely model is adequate);
//! 3. adequate models are ranked by estimated cost, then higher `s`, then id.
//!
//! `quality_target` is thus per prompt here, relative to the best model *for this prompt*;
//! `min_quality` stays a per-label floor. Nothing adequate falls back as in the per-label path.

use std::cell::RefCell;

use super::*;
use crate::adequacy::{Adequacy, AdequacyScratch};
use crate::features::FeaturizerConfig;
use crate::scratch::with_local;

/// The adequacy model with its columns mapped to catalog indices.
#[derive(Clone, Debug)]
pub(super) struct PerPrompt {
    pub(super) model: Arc<Adequacy>,
    /// Catalog model index → adequacy column.
    pub(super) column: Vec<Option<usize>>,
}

impl PerPrompt {
    pub(super) fn new(catalog: &Catalog) -> Option<PerPrompt> {
        let model = catalog.adequacy()?.clone();
        let column = catalog
            .models()
            .iter()
            .map(|m| model.models().iter().position(|id| *id == m.id))
            .collect();
        Some(PerPrompt { model, column })
    }
}

/// Caller-owned buffers of the policy's per-prompt adequacy path
/// ([`Policy::choose_for_with`]): the adequacy model's featurizer scratch, its columns and the
/// per-catalog-model success probabilities. Reused across prompts they stop allocating once
/// grown; a policy without an adequacy model never touches them. One per thread (`Send`, not
/// shared): [`RouteScratch`](crate::router::RouteScratch) holds one.
#[derive(Clone, Debug, Default)]
pub struct PolicyScratch {
    adequacy: AdequacyScratch,
    /// The adequacy model's outputs, in its column order.
    cols: Vec<f32>,
    /// Success probabilities indexed like [`Catalog::models`].
    success: Vec<f32>,
}

thread_local! {
    /// Buffers of the entry points that take no scratch (`decide`, `choose_for`, ...).
    static SCRATCH: RefCell<PolicyScratch> = RefCell::default();
}


/// What the adequacy model scores: the prompt itself (featurized by the adequacy model), or
/// the prompt with its bucket ids under a featurizer the model [reads](Policy::reads_features_of)
/// (only a wider rest budget's part is featurized again).
#[derive(Clone, Copy)]
enum Source<'a> {
    Prompt(&'a str),
    Features(&'a [u32], &'a str),
}

impl Policy {
    /// Per-model success probabilities for `prompt`, indexed like [`Catalog::models`], into
    /// `out` (cleared first); empty when the catalog carries no adequacy model.
    pub fn success_probs(&self, probs: &Probs, prompt: &str, out: &mut Vec<f32>) {
        with_local(&SCRATCH, |s| {
            self.fill_success(
                probs,
                Source::Prompt(prompt),
                &mut s.adequacy,
                &mut s.cols,
                out,
            )
        });
    }

    /// [`Policy::success_probs`] from bucket ids already computed by a featurizer the
    /// adequacy model [reads](Policy::reads_features_of) (the classifier's, through
    /// [`Classifier::predict_recording`](crate::Classifier::predict_recording)): no second
    /// featurization (of the part the classifier read).
    pub fn success_probs_features(
        &self,
        probs: &Probs,
        prompt: &str,
        ids: &[u32],
        out: &mut Vec<f32>,
    ) {
        with_local(&SCRATCH, |s| {
            self.fill_success(
                probs,
                Source::Features(ids, prompt),
                &mut s.adequacy,
                &mut s.cols,
                out,
            )
        });
    }

    /// True when the catalog's adequacy model can score a prompt from the bucket ids of a
    /// featurizer with config `cfg` ([`Adequacy::reads_features_of`]), so
    /// [`Policy::decide_features`] gives the same decisions as [`Policy::decide`].
    pub fn reads_features_of(&self, cfg: &FeaturizerConfig) -> bool {
        self.per_prompt
            .as_ref()
            .is_some_and(|pp| pp.model.reads_features_of(cfg))
    }

    /// The longest prompt (bytes) for which the bucket ids of a featurizer with config `cfg`
    /// serve the catalog's adequacy model ([`Adequacy::shares_features_up_to`]); 0 without one.
    pub fn shares_features_up_to(&self, cfg: &FeaturizerConfig) -> usize {
        self.per_prompt
            .as_ref()
            .map_or(0, |pp| pp.model.shares_features_up_to(cfg))
    }

    /// [`Policy::decide`] for a prompt whose bucket ids `ids` (with repeats, in featurizer
    /// order) come from a featurizer this policy [reads](Policy::reads_features_of): the
    /// per-prompt path then scores the prompt without featurizing it again. Without an
    /// adequacy model the ids are not needed and this is [`Policy::decide`].
    pub fn decide_features(&self, probs: &Probs, prompt: &str, ids: &[u32]) -> Result<Decision> {
        let choice = self.choose_for_features(probs, prompt, ids)?;
        Ok(self.decision(probs, &choice))
    }

    /// Runs the adequacy model on `source` with the given buffers and maps its columns to
    /// catalog models into `out` (cleared first; a model it does not know gets its quality for
    /// the predicted label). Allocation-free once `cols` and `out` have grown.
    fn fill_success(
        &self,
        probs: &Probs,
        source: Source<'_>,
        scratch: &mut AdequacyScratch,
        cols: &mut Vec<f32>,
        out: &mut Vec<f32>,
    ) {
        out.clear();
        let Some(pp) = &self.per_prompt else { return };
        let label = Label::argmax(probs);
        cols.resize(pp.model.models().len(), 0.0);
        match source {
            Source::Prompt(prompt) => pp.model.predict_with(prompt, scratch, cols),
            Source::Features(ids, prompt) => pp.model.predict_shared(ids, prompt, scratch, cols),
        }
        out.extend(
            self.catalog
                .models()
                .iter()
                .zip(&pp.column)
                .map(|(m, c)| c.map_or(m.quality(label) as f32, |c| cols[c])),
        );
    }

    /// Ranks the models adequate for this prompt given per-model success probabilities
    /// `success` (indexed like [`Catalog::models`]); see the module docs of `per_prompt`.
    pub fn choose_per_prompt(
        &self,
        probs: &Probs,
        input_tokens: u64,
        success: &[f32],
    ) -> Result<Choice> {
        check_probs(probs)?;
        let settings = self.catalog.settings();
        let models = self.catalog.models();
        let (label, required) = self.required(probs);
        let output_tokens = settings.expected_output_tokens(label);
        let needed = input_tokens.saturating_add(output_tokens);
        let keep = 1 + settings.max_fallbacks;
        let target = settings.quality_target.unwrap_or(1.0) as f32;
        let mut choice = Choice {
            per_prompt: true,
            ..Choice::empty(label, required, input_tokens, output_tokens)
        };
        let floor_ok = |m: &ModelSpec| {
            Label::ALL.into_iter().all(|l| {
                required & (1 << l.index()) == 0 || m.quality(l) >= settings.min_quality(l)
            })
        };
        let mut best = f32::NEG_INFINITY;
        for &(i, _) in &self.eligible {
            let m = &models[i];
            if floor_ok(m) && needed <= m.context_tokens {
                best = best.max(success[i]);
            }
        }
        for &(i, _) in &self.eligible {
            let m = &models[i];
            if !floor_ok(m) {
                continue;
            }
            if needed > m.context_tokens {
                choice.too_small += 1;
                continue;
            }
            if success[i] < target * best {
                continue;
            }
            let cand = Ranked {
                model: i,
                cost_usd: m.cost_usd(input_tokens, output_tokens),
            };
            let before = |a: &Ranked, b: &Ranked| match a.cost_usd.total_cmp(&b.cost_usd) {
                std::cmp::Ordering::Equal => match success[b.model].total_cmp(&success[a.model]) {
                    std::cmp::Ordering::Equal => models[a.model].id < models[b.model].id,
                    o => o.is_lt(),
                },
                o => o.is_lt(),
            };
            choice.insert(cand, keep, before);
        }
        if choice.len > 0 {
            return Ok(choice);
        }
        match self.default_model {
            Some(i) if needed <= models[i].context_tokens => {
                choice.ranked[0] = Ranked {
                    model: i,
                    cost_usd: models[i].cost_usd(input_tokens, output_tokens),
                };
                choice.len = 1;
                choice.used_default = true;
                Ok(choice)
            }
            _ => Err(self.no_adequate_model(required, needed)),
        }
    }

    /// The choice [`Policy::decide`] makes, without building a [`Decision`]: per prompt when
    /// the catalog carries an adequacy model ([`Policy::choose_per_prompt`]), else per label
    /// ([`Policy::choose`]). For batch labelling, which records no reason string. Uses a
    /// thread-local [`PolicyScratch`]; [`Policy::choose_for_with`] takes the caller's.
    pub fn choose_for(&self, probs: &Probs, prompt: &str) -> Result<Choice> {
        with_local(&SCRATCH, |s| self.choose_for_with(probs, prompt, s))
    }

    /// [`Policy::choose_for`] from the classifier's bucket ids (see
    /// [`Policy::decide_features`]).
    pub fn choose_for_features(&self, probs: &Probs, prompt: &str, ids: &[u32]) -> Result<Choice> {
        with_local(&SCRATCH, |s| self.choose_for_features_with(probs, prompt, ids, s))
    }

    /// [`Policy::choose_for`] with caller-owned buffers: allocation-free once `scratch` has
    /// grown (on success; an error builds its message). A policy without an adequacy model
    /// leaves `scratch` untouched.
    pub fn choose_for_with(
        &self,
        probs: &Probs,
        prompt: &str,
        scratch: &mut PolicyScratch,
    ) -> Result<Choice> {
        self.choose_from(probs, prompt, Source::Prompt(prompt), scratch)
    }

    /// [`Policy::choose_for_features`] with caller-owned buffers (see
    /// [`Policy::choose_for_with`]); `ids` must come from a featurizer this policy
    /// [reads](Policy::reads_features_of).
    pub fn choose_for_features_with(
        &self,
        probs: &Probs,
        prompt: &str,
        ids: &[u32],
        scratch: &mut PolicyScratch,
    ) -> Result<Choice> {
        self.choose_from(probs, prompt, Source::Features(ids, prompt), scratch)
    }

    /// [`Policy::choose_for_with`] written into `choice` (see [`Policy::choose_in`]).
    pub(crate) fn choose_for_in(
        &self,
        probs: &Probs,
        prompt: &str,
        scratch: &mut PolicyScratch,
        choice: &mut Choice,
    ) -> Result<()> {
        self.choose_from_in(probs, prompt, Source::Prompt(prompt), scratch, choice)
    }

    /// [`Policy::choose_for_features_with`] written into `choice`.
    pub(crate) fn choose_for_features_in(
        &self,
        probs: &Probs,
        prompt: &str,
        ids: &[u32],
        scratch: &mut PolicyScratch,
        choice: &mut Choice,
    ) -> Result<()> {
        self.choose_from_in(probs, prompt, Source::Features(ids, prompt), scratch, choice)
    }

    /// The one choice behind every `choose_for*` and `decide*`.
    fn choose_from(
        &self,
        probs: &Probs,
        prompt: &str,
        source: Source<'_>,
        scratch: &mut PolicyScratch,
    ) -> Result<Choice> {
        let mut choice = Choice::blank();
        self.choose_from_in(probs, prompt, source, scratch, &mut choice)?;
        Ok(choice)
    }

    /// Per label without an adequacy model, else per prompt with success probabilities of
    /// `source` in `scratch`; written into `choice`.
    fn choose_from_in(
        &self,
        probs: &Probs,
        prompt: &str,
        source: Source<'_>,
        scratch: &mut PolicyScratch,
        choice: &mut Choice,
    ) -> Result<()> {
        let input_tokens = estimate_input_tokens(prompt);
        if self.per_prompt.is_none() {
            return self.choose_in(probs, input_tokens, choice);
        }
        let PolicyScratch {
            adequacy,
            cols,
            success,
        } = scratch;
        self.fill_success(probs, source, adequacy, cols, success);
        *choice = self.choose_per_prompt(probs, input_tokens, success)?;
        Ok(())
    }
}
