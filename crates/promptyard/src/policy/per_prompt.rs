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

thread_local! {
    static SCRATCH: RefCell<(AdequacyScratch, Vec<f32>, Vec<f32>)> = RefCell::default();
}

impl Policy {
    /// Per-model success probabilities for `prompt`, indexed like [`Catalog::models`], into
    /// `out` (cleared first); empty when the catalog carries no adequacy model.
    pub fn success_probs(&self, probs: &Probs, prompt: &str, out: &mut Vec<f32>) {
        out.clear();
        let Some(pp) = &self.per_prompt else { return };
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let (scratch, cols, _) = &mut *s;
            cols.resize(pp.model.models().len(), 0.0);
            pp.model.predict_with(prompt, scratch, cols);
            let label = Label::argmax(probs);
            out.extend(
                self.catalog
                    .models()
                    .iter()
                    .zip(&pp.column)
                    .map(|(m, c)| c.map_or(m.quality(label) as f32, |c| cols[c])),
            );
        });
    }

    /// Ranks the models adequate for this prompt given per-model success probabilities
    /// `success` (indexed like [`Catalog::models`]); see the module docs of `per_prompt`.
    pub fn choose_per_prompt(
        &self,
        probs: &Probs,
        input_tokens: u64,
        success: &[f32],
    ) -> Result<Choice> {
        let settings = self.catalog.settings();
        let models = self.catalog.models();
        let (label, required) = self.required(probs);
        let output_tokens = settings.expected_output_tokens(label);
        let needed = input_tokens.saturating_add(output_tokens);
        let keep = 1 + settings.max_fallbacks;
        let target = settings.quality_target.unwrap_or(1.0) as f32;
        let mut choice = Choice {
            label,
            required,
            input_tokens,
            output_tokens,
            used_default: false,
            other_unconfigured: false,
            too_small: 0,
            ranked: [Ranked {
                model: 0,
                cost_usd: 0.0,
            }; MAX_FALLBACKS + 1],
            len: 0,
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

    /// [`Policy::decide`] through the per-prompt path (the catalog carries an adequacy model).
    pub(super) fn decide_per_prompt(&self, probs: &Probs, prompt: &str) -> Result<Decision> {
        let choice = SCRATCH.with(|s| {
            let mut success = std::mem::take(&mut s.borrow_mut().2);
            self.success_probs(probs, prompt, &mut success);
            let r = self.choose_per_prompt(probs, estimate_input_tokens(prompt), &success);
            s.borrow_mut().2 = success;
            r
        })?;
        let mut d = self.decision(probs, &choice);
        d.reason.push_str(" (per-prompt adequacy)");
        Ok(d)
    }
}
