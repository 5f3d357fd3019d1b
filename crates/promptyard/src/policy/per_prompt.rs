//! Per-prompt adequacy in the policy: used when the catalog carries an
//! [`Adequacy`](crate::adequacy::Adequacy) model (`[policy] adequacy = "FILE"`).
//!
//! For a prompt with per-model success probabilities `s` (from the adequacy model; a catalog
//! model the adequacy model does not know gets its per-label quality for the predicted label;
//! with `[policy] adequacy_weight = w < 1`, `s = w · σ(logit) + (1 − w) · Σ_l p_l · quality_l`,
//! the label probabilities `p` weighting the model's per-label quality):
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
use crate::adequacy::{sigmoid, Adequacy, AdequacyScratch};
use crate::features::FeaturizerConfig;
use crate::scratch::with_local;

/// The adequacy model with its columns mapped to catalog indices.
#[derive(Clone, Debug)]
pub(super) struct PerPrompt {
    pub(super) model: Arc<Adequacy>,
    /// Catalog model index → adequacy column.
    pub(super) column: Vec<Option<usize>>,
    /// The adequacy model's columns are the catalog's models in catalog order (as
    /// `promptyard calibrate` writes them): its output is then used as it is, not remapped.
    identity: bool,
    /// The eligible models in the policy's order, with what step 1 reads of them.
    cands: Vec<Cand>,
    /// `[policy] adequacy_weight` (1 when unset).
    weight: f32,
}

/// What the per-prompt chooser reads of an eligible model, kept together (a few bytes per
/// model instead of a walk over the catalog's model records).
#[derive(Clone, Copy, Debug)]
struct Cand {
    /// Index into [`Catalog::models`].
    model: usize,
    /// Bit `l` set when the model's quality meets `min_quality` for `Label::ALL[l]`.
    meets_min: u8,
    context_tokens: u64,
}

impl Cand {
    fn of(catalog: &Catalog, model: usize) -> Cand {
        let m = &catalog.models()[model];
        let settings = catalog.settings();
        let meets_min = Label::ALL
            .into_iter()
            .filter(|&l| m.quality(l) >= settings.min_quality(l))
            .fold(0u8, |acc, l| acc | (1 << l.index()));
        Cand {
            model,
            meets_min,
            context_tokens: m.context_tokens,
        }
    }
}

impl PerPrompt {
    /// `eligible`: the policy's eligible catalog indices, in its order.
    pub(super) fn new(catalog: &Catalog, eligible: &[(usize, u8)]) -> Option<PerPrompt> {
        let model = catalog.adequacy()?.clone();
        let column: Vec<Option<usize>> = catalog
            .models()
            .iter()
            .map(|m| model.models().iter().position(|id| *id == m.id))
            .collect();
        let identity = model.models().len() == column.len()
            && column.iter().enumerate().all(|(i, c)| *c == Some(i));
        let cands = eligible.iter().map(|&(i, _)| Cand::of(catalog, i)).collect();
        Some(PerPrompt {
            model,
            column,
            identity,
            cands,
            weight: catalog.settings().adequacy_weight.unwrap_or(1.0) as f32,
        })
    }
}

/// Per-model success of one prompt, indexed like [`Catalog::models`], as the chooser reads it.
#[derive(Clone, Copy)]
enum Success<'a> {
    /// Probabilities.
    Probs(&'a [f32]),
    /// The adequacy model's logits for the models it scores (`column[i]` is `Some`) and
    /// probabilities (per-label quality) for the others. Ranking by logit is ranking by
    /// probability, so the sigmoid is taken only where a comparison is close: 2–3 `exp` per
    /// prompt instead of one per model, with the same decisions as [`Success::Probs`] of the
    /// sigmoids (`choose_by_logits_matches_probabilities` checks this).
    Logits {
        values: &'a [f32],
        column: &'a [Option<usize>],
    },
}

impl Success<'_> {
    /// Model `i`'s success probability, bit for bit what [`Policy::success_probs`] gives.
    fn prob(self, i: usize) -> f32 {
        match self {
            Success::Probs(p) => p[i],
            Success::Logits { values, column } if column[i].is_some() => sigmoid(values[i]),
            Success::Logits { values, .. } => values[i],
        }
    }

    /// The largest success probability of the models `cands` (−∞ for none).
    fn best(self, cands: impl Iterator<Item = usize> + Clone) -> f32 {
        let Success::Logits { values, column } = self else {
            return cands.fold(f32::NEG_INFINITY, |b, i| b.max(self.prob(i)));
        };
        // The sigmoid of the largest logit, and of any within a hair of it (the f32 sigmoid
        // of two nearly equal logits may round either way), and the plain probabilities.
        let top = cands
            .clone()
            .filter(|&i| column[i].is_some())
            .fold(f32::NEG_INFINITY, |b, i| b.max(values[i]));
        let near = top - (1e-3 + top.abs() * 1e-6);
        cands.fold(f32::NEG_INFINITY, |b, i| match column[i] {
            Some(_) if values[i] < near => b,
            Some(_) => b.max(sigmoid(values[i])),
            None => b.max(values[i]),
        })
    }
}

/// `prob ≥ tau` for a model's success, decided from its logit where that is far from the
/// logit of `tau` (no sigmoid), else from the sigmoid itself.
struct Cut {
    tau: f32,
    /// `ln(tau / (1 − tau))` and the margin around it inside which the f32 sigmoid decides;
    /// `None` when every comparison takes the sigmoid (`tau` outside (0, 1), or NaN).
    logit: Option<(f32, f32)>,
}

impl Cut {
    fn new(tau: f32) -> Cut {
        let logit = (tau > 0.0 && tau < 1.0).then(|| {
            // The f32 sigmoid is within a few ulps (≤ 1e-6 relative) of the true one, which
            // moves the crossing by at most ~1e-6 / σ'(z) = 1e-6 / (τ(1 − τ)) in z, and the
            // f32 logit of τ is off by at most ~1e-7 / (1 − τ): the margin is ten times the
            // first, plus 1e-3.
            ((tau / (1.0 - tau)).ln(), 1e-3 + 1e-5 / (tau * (1.0 - tau)))
        });
        Cut { tau, logit }
    }

    /// Model `i` is under the cut (`prob < tau`: a NaN is not).
    fn excludes(&self, success: Success<'_>, i: usize) -> bool {
        if let (Success::Logits { values, column }, Some((l, margin))) = (success, self.logit) {
            if column[i].is_some() {
                let z = values[i];
                if z > l + margin {
                    return false;
                }
                if z < l - margin {
                    return true;
                }
            }
        }
        success.prob(i) < self.tau
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
        self.to_success(probs, out);
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
        self.to_success(probs, out);
    }

    /// [`Policy::fill_success`]'s output as success probabilities: the sigmoid of each logit,
    /// blended with the model's per-label quality when `adequacy_weight` < 1 (module docs).
    fn to_success(&self, probs: &Probs, out: &mut [f32]) {
        let Some(pp) = &self.per_prompt else { return };
        let w = pp.weight;
        for ((o, c), m) in out.iter_mut().zip(&pp.column).zip(self.catalog.models()) {
            if c.is_some() {
                *o = sigmoid(*o);
                if w < 1.0 {
                    let q: f64 = probs.iter().zip(&m.quality).map(|(&p, &q)| p as f64 * q).sum();
                    *o = w * *o + (1.0 - w) * q as f32;
                }
            }
        }
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
    /// catalog models into `out` (cleared first): the model's logit for a model it scores, the
    /// quality for the predicted label (a probability) for one it does not know
    /// ([`Success::Logits`]). Allocation-free once `cols` and `out` have grown.
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
        // Columns in catalog order are written straight into `out`; others into `cols`, then
        // mapped.
        let dst = if pp.identity { &mut *out } else { &mut *cols };
        dst.resize(pp.model.models().len(), 0.0);
        match source {
            Source::Prompt(prompt) => pp.model.logits_with(prompt, scratch, dst),
            Source::Features(ids, prompt) => pp.model.logits_shared(ids, prompt, scratch, dst),
        }
        if pp.identity {
            return;
        }
        let label = Label::argmax(probs);
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
        let mut choice = Choice::blank();
        match &self.per_prompt {
            Some(pp) => self.choose_by(
                probs,
                input_tokens,
                Success::Probs(success),
                pp.cands.iter().copied(),
                &mut choice,
            )?,
            None => self.choose_by(
                probs,
                input_tokens,
                Success::Probs(success),
                self.eligible.iter().map(|&(i, _)| Cand::of(&self.catalog, i)),
                &mut choice,
            )?,
        }
        Ok(choice)
    }

    /// [`Policy::choose_per_prompt`] for `success` in either form over the eligible models
    /// `cands` (in the policy's order), written into `choice`.
    fn choose_by(
        &self,
        probs: &Probs,
        input_tokens: u64,
        success: Success<'_>,
        cands: impl Iterator<Item = Cand> + Clone,
        choice: &mut Choice,
    ) -> Result<()> {
        check_probs(probs)?;
        let settings = self.catalog.settings();
        let models = self.catalog.models();
        let (label, required) = self.required(probs);
        let output_tokens = settings.expected_output_tokens(label);
        let needed = input_tokens.saturating_add(output_tokens);
        let keep = 1 + settings.max_fallbacks;
        let target = settings.quality_target.unwrap_or(1.0) as f32;
        choice.reset(label, required, input_tokens, output_tokens);
        choice.per_prompt = true;
        let floor_ok = |c: &Cand| required & !c.meets_min == 0;
        let best = success.best(
            cands
                .clone()
                .filter(|c| floor_ok(c) && needed <= c.context_tokens)
                .map(|c| c.model),
        );
        let cut = Cut::new(target * best);
        for c in cands {
            if !floor_ok(&c) {
                continue;
            }
            if needed > c.context_tokens {
                choice.too_small += 1;
                continue;
            }
            if cut.excludes(success, c.model) {
                continue;
            }
            let cand = Ranked {
                model: c.model,
                cost_usd: models[c.model].cost_usd(input_tokens, output_tokens),
            };
            let before = |a: &Ranked, b: &Ranked| match a.cost_usd.total_cmp(&b.cost_usd) {
                std::cmp::Ordering::Equal => {
                    match success.prob(b.model).total_cmp(&success.prob(a.model)) {
                        std::cmp::Ordering::Equal => models[a.model].id < models[b.model].id,
                        o => o.is_lt(),
                    }
                }
                o => o.is_lt(),
            };
            choice.insert(cand, keep, before);
        }
        if choice.len > 0 || self.answer_with_default(choice, needed) {
            return Ok(());
        }
        Err(self.no_adequate_model(required, needed))
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
        let Some(pp) = &self.per_prompt else {
            return self.choose_in(probs, input_tokens, choice);
        };
        let PolicyScratch {
            adequacy,
            cols,
            success,
        } = scratch;
        self.fill_success(probs, source, adequacy, cols, success);
        let success = if pp.weight < 1.0 {
            // Blended with per-label quality: no longer a logit to compare, so probabilities.
            self.to_success(probs, success);
            Success::Probs(success)
        } else {
            Success::Logits {
                values: success,
                column: &pp.column,
            }
        };
        self.choose_by(probs, input_tokens, success, pp.cands.iter().copied(), choice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::FeaturizerConfig;

    /// The bundled catalog at `target`, with an adequacy model over its models (zero
    /// weights: the test hands the chooser logits directly).
    fn policy(target: f64, reversed: bool) -> Policy {
        let catalog = Catalog::bundled().unwrap().with_quality_target(target).unwrap();
        let mut models: Vec<String> = catalog.models().iter().map(|m| m.id.clone()).collect();
        if reversed {
            // Not the catalog's order and one model it does not score.
            models.reverse();
            models.pop();
        }
        let cfg = FeaturizerConfig {
            buckets: 16,
            ..FeaturizerConfig::default()
        };
        let n = models.len();
        let adequacy = Adequacy::new(cfg, models, vec![0.0; 16 * n], vec![0.0; n]).unwrap();
        Policy::new(Arc::new(catalog.with_adequacy(adequacy)))
    }

    #[test]
    fn adequacy_weight_blends_the_model_with_per_label_quality() {
        // Zero weights and bias: every scored model's logit is 0, so σ = 0.5.
        let probs: Probs = [0.1, 0.6, 0.2, 0.1];
        let prompt = "Prove that the sum of two even numbers is even.";
        let alone = policy(0.95, true);
        let mut s1 = Vec::new();
        alone.success_probs(&probs, prompt, &mut s1);
        let catalog = (*alone.catalog).clone().with_adequacy_weight(0.3).unwrap();
        let blended = Policy::new(Arc::new(catalog));
        let mut s2 = Vec::new();
        blended.success_probs(&probs, prompt, &mut s2);
        let models = blended.catalog.models();
        let column = &blended.per_prompt.as_ref().unwrap().column;
        let mut unscored = 0;
        for (i, m) in models.iter().enumerate() {
            if column[i].is_none() {
                // A model the adequacy model does not know keeps its quality for the label.
                assert_eq!(s2[i], s1[i], "{}", m.id);
                unscored += 1;
                continue;
            }
            let q: f64 = probs.iter().zip(&m.quality).map(|(&p, &q)| p as f64 * q).sum();
            assert_eq!(s1[i], 0.5, "{}", m.id);
            assert!((s2[i] - (0.3 * 0.5 + 0.7 * q as f32)).abs() < 1e-6, "{}: {}", m.id, s2[i]);
        }
        assert_eq!(unscored, 1);
        // The router's path (`choose_for`) reads the same blended probabilities as
        // `choose_per_prompt` does (weight 0: per-label quality alone).
        let zero = Policy::new(Arc::new((*alone.catalog).clone().with_adequacy_weight(0.0).unwrap()));
        let tokens = estimate_input_tokens(prompt);
        let by_route = zero.choose_for(&probs, prompt).unwrap();
        let mut s0 = Vec::new();
        zero.success_probs(&probs, prompt, &mut s0);
        let by_probs = zero.choose_per_prompt(&probs, tokens, &s0).unwrap();
        assert_eq!(by_route.pick().model, by_probs.pick().model);
        assert!((*alone.catalog).clone().with_adequacy_weight(1.5).is_err());
    }

    /// Deterministic pseudo-random numbers in [0, 1).
    fn uniform(state: &mut u64) -> f32 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        (*state >> 40) as f32 / (1u64 << 24) as f32
    }

    #[test]
    fn choose_by_logits_matches_probabilities() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut checked = 0;
        for (target, reversed) in [(1.0, false), (0.95, false), (0.8, true), (0.3, false)] {
            let policy = policy(target, reversed);
            let pp = policy.per_prompt.as_ref().unwrap();
            assert_eq!(pp.identity, !reversed);
            let n = policy.catalog.models().len();
            for case in 0..4000 {
                // Logits spread wide (saturated sigmoids included), or bunched within a few
                // ulps of each other and of the cut, where the f32 sigmoid decides.
                // Or one model on top and the others within a hair of the cut it sets.
                let base = (uniform(&mut state) - 0.5) * 40.0;
                let tau = target as f32 * sigmoid(base);
                let cut = (tau / (1.0 - tau)).ln();
                let z: Vec<f32> = (0..n)
                    .map(|i| match case % 5 {
                        0 => (uniform(&mut state) - 0.5) * 60.0,
                        1 => base + (uniform(&mut state) - 0.5) * 1e-4,
                        2 if i % 4 == 0 => base,
                        2 => cut + (uniform(&mut state) - 0.5) * 1e-5 * (1.0 + cut.abs()),
                        _ => base + (uniform(&mut state) - 0.5) * 0.2,
                    })
                    .collect();
                // As `fill_success` writes them: a logit where the model scores the catalog
                // model, the quality (a probability) where it does not.
                let values: Vec<f32> = (0..n)
                    .map(|i| match pp.column[i] {
                        Some(_) => z[i],
                        None => uniform(&mut state),
                    })
                    .collect();
                let probs_of: Vec<f32> = (0..n)
                    .map(|i| match pp.column[i] {
                        Some(_) => sigmoid(values[i]),
                        None => values[i],
                    })
                    .collect();
                let label = [
                    [0.7, 0.1, 0.1, 0.1],
                    [0.1, 0.7, 0.1, 0.1],
                    [0.1, 0.1, 0.7, 0.1],
                    [0.1, 0.1, 0.1, 0.7],
                ][case % 4];
                let tokens = [10, 5_000, 150_000][case % 3];
                let by_probs = policy.choose_per_prompt(&label, tokens, &probs_of);
                let mut by_logits = Choice::blank();
                let got = policy.choose_by(
                    &label,
                    tokens,
                    Success::Logits {
                        values: &values,
                        column: &pp.column,
                    },
                    pp.cands.iter().copied(),
                    &mut by_logits,
                );
                match by_probs {
                    Ok(want) => {
                        assert!(got.is_ok(), "case {case}: {got:?}");
                        assert_eq!(want.ranked[..want.len], by_logits.ranked[..by_logits.len]);
                        assert_eq!(want.len, by_logits.len);
                        assert_eq!(want.too_small, by_logits.too_small);
                        assert_eq!(want.used_default, by_logits.used_default);
                        checked += 1;
                    }
                    Err(e) => assert_eq!(Err(e.to_string()), got.map_err(|e| e.to_string())),
                }
            }
        }
        assert!(checked > 10_000, "only {checked} cases chose a model");
    }
}
