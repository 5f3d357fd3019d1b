//! Measured economics: fit on one part of an outcome log, route the other part, and report
//! the *measured* quality and cost of each strategy (never modelled numbers).
//!
//! Per source (each source is a task set with its own model pool):
//!
//! 1. split prompts by problem with a stable hash ([`in_fit_part`]);
//! 2. [`calibrate`] on the fit part (and train the per-prompt [`Adequacy`] model);
//! 3. on the evaluation part, keep the prompts every calibrated model answered (so each
//!    strategy is scored on the same prompts), and score each strategy by the outcome of the
//!    model it picks: mean score = measured quality, mean cost per prompt = measured cost
//!    (`cost_usd` where the source measured it, else the calibrated list prices × chars / 4:
//!    [`SourceReport::cost_basis`] says which).
//!
//! Strategies: always the best single model (highest mean score on the fit part), always the
//! cheapest (lowest mean cost on the fit part), the per-label policy and the per-prompt policy
//! at the headline `quality_target`, a random mix of best and cheapest at the per-prompt
//! policy's cost (its expected quality, the standard router baseline), and the per-prompt
//! oracle (the cheapest model that got the prompt right; the cheapest model when none did).
//! Both policies are also swept over `quality_target` (the frontier).

use std::collections::HashMap;

use promptyard::adequacy::Adequacy;
use promptyard::catalog::Catalog;
use promptyard::policy::{estimate_input_tokens, Policy};
use promptyard::{Classifier, Label};

use crate::calibrate::{
    calibrate, train_adequacy, AdequacyOptions, CalibrateOptions, Labelling,
};
use crate::error::{Error, Result};
use crate::outcomes::{in_fit_part, ModelMap, Outcomes};

/// Settings of an evaluation.
#[derive(Clone, Debug)]
pub struct EconomicsOptions {
    /// Fraction of problems used for fitting (the rest is evaluated).
    pub fit_fraction: f64,
    /// Split seed.
    pub seed: u64,
    /// The headline `quality_target`.
    pub quality_target: f64,
    /// Targets swept for the frontier.
    pub sweep: Vec<f64>,
    /// Calibration settings (its `quality_target` is overridden per run).
    pub calibrate: CalibrateOptions,
    /// Per-prompt model settings; `None` skips the per-prompt policy.
    pub adequacy: Option<AdequacyOptions>,
}

impl Default for EconomicsOptions {
    fn default() -> Self {
        EconomicsOptions {
            fit_fraction: 0.5,
            seed: 0,
            quality_target: 0.95,
            sweep: vec![0.0, 0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 1.0],
            calibrate: CalibrateOptions::default(),
            adequacy: Some(AdequacyOptions::default()),
        }
    }
}

/// Measured result of one strategy on the evaluation prompts.
#[derive(Clone, Debug, PartialEq)]
pub struct Measured {
    /// Strategy name, e.g. `per-prompt policy (target 0.95)`.
    pub strategy: String,
    /// Mean measured score.
    pub quality: f64,
    /// Mean measured cost per prompt, USD.
    pub cost_usd: f64,
}

/// One point of the frontier.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontierPoint {
    /// `per-label` or `per-prompt`.
    pub policy: &'static str,
    /// The `quality_target` routed with.
    pub target: f64,
    /// Mean measured score.
    pub quality: f64,
    /// Mean measured cost per prompt, USD.
    pub cost_usd: f64,
}

/// The evaluation of one source.
#[derive(Clone, Debug)]
pub struct SourceReport {
    /// The source.
    pub source: String,
    /// `measured` (the source recorded call costs) or `list prices × chars / 4`.
    pub cost_basis: String,
    /// Prompts fitted on.
    pub fit_prompts: usize,
    /// Prompts evaluated.
    pub eval_prompts: usize,
    /// Evaluation prompts left out because some calibrated model has no outcome for them.
    pub incomplete_prompts: usize,
    /// Calibrated models.
    pub models: usize,
    /// Models refused by calibration (no prices), with the reason.
    pub refused: Vec<(String, String)>,
    /// Best single model (by fit-part mean score) and cheapest (by fit-part mean cost).
    pub best_model: String,
    /// Cheapest model.
    pub cheapest_model: String,
    /// The strategies, best single model first.
    pub rows: Vec<Measured>,
    /// The frontier over `quality_target`.
    pub frontier: Vec<FrontierPoint>,
}

impl SourceReport {
    /// The best single model's row (the reference for savings and relative quality).
    pub fn best(&self) -> &Measured {
        &self.rows[0]
    }
}

/// Evaluates one source of `outcomes` (the other sources' prompts are ignored).
pub fn evaluate_source(
    outcomes: &Outcomes,
    labels: &Labelling,
    source: &str,
    base: Option<&Catalog>,
    map: &ModelMap,
    classifier: &Classifier,
    opts: &EconomicsOptions,
) -> Result<SourceReport> {
    let n = outcomes.prompts.len();
    let ok: Vec<bool> = (0..n)
        .map(|i| outcomes.prompts[i].source == source && labels.probs[i].is_some())
        .collect();
    let fit: Vec<bool> = (0..n)
        .map(|i| ok[i] && in_fit_part(&outcomes.prompts[i], opts.fit_fraction, opts.seed))
        .collect();
    let eval: Vec<bool> = (0..n).map(|i| ok[i] && !fit[i]).collect();
    let cal = calibrate(outcomes, labels, &fit, base, map, &opts.calibrate)?;
    let catalog = |target: f64| -> Result<Catalog> {
        let o = CalibrateOptions {
            quality_target: Some(target),
            ..opts.calibrate.clone()
        };
        Ok(Catalog::parse(&cal.to_toml(&o, None), format!("calibrated-{source}.toml"))?)
    };
    let base_cat = catalog(opts.quality_target)?;
    let ids: Vec<String> = base_cat.models().iter().map(|m| m.id.clone()).collect();
    let col: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, m)| (m.as_str(), i)).collect();
    let resolved: Vec<Option<String>> = outcomes
        .rows
        .iter()
        .map(|r| {
            let id = map.resolve(&outcomes.prompts[r.prompt].source, &r.model, base);
            col.contains_key(id.as_str()).then_some(id)
        })
        .collect();

    // Cost of a row: measured, else list prices × chars / 4.
    let cost_basis_measured = outcomes
        .rows
        .iter()
        .any(|r| ok[r.prompt] && r.cost_usd.is_some());
    let row_cost = |r: usize, label: Label| -> f64 {
        let row = &outcomes.rows[r];
        if let Some(c) = row.cost_usd {
            return c;
        }
        let m = &base_cat.models()[col[resolved[r].as_deref().unwrap_or_default()]];
        let input = row
            .in_chars
            .map_or_else(|| estimate_input_tokens(&outcomes.prompts[row.prompt].text), |c| c.div_ceil(4));
        let output = row.out_chars.map_or(
            base_cat.settings().expected_output_tokens(label),
            |c| c.div_ceil(4),
        );
        m.cost_usd(input, output)
    };

    // Per prompt: catalog column → (score, cost).
    let mut table: HashMap<usize, Vec<Option<(f64, f64)>>> = HashMap::new();
    let mut fit_sum = vec![(0.0f64, 0.0f64, 0usize); ids.len()];
    for (r, row) in outcomes.rows.iter().enumerate() {
        let Some(id) = &resolved[r] else { continue };
        let c = col[id.as_str()];
        let Some(probs) = labels.probs[row.prompt] else { continue };
        let cost = row_cost(r, Label::argmax(&probs));
        if fit[row.prompt] {
            fit_sum[c].0 += row.score;
            fit_sum[c].1 += cost;
            fit_sum[c].2 += 1;
        } else if eval[row.prompt] {
            table.entry(row.prompt).or_insert_with(|| vec![None; ids.len()])[c] =
                Some((row.score, cost));
        }
    }
    let mut prompts: Vec<usize> = table.keys().copied().collect();
    prompts.sort_unstable();
    let incomplete = eval.iter().filter(|&&e| e).count()
        - prompts
            .iter()
            .filter(|p| table[p].iter().all(Option::is_some))
            .count();
    prompts.retain(|p| table[p].iter().all(Option::is_some));
    if prompts.is_empty() {
        return Err(Error::Calibrate(format!(
            "{source}: no evaluation prompt was answered by every calibrated model"
        )));
    }
    let outcome = |p: usize, c: usize| table[&p][c].unwrap_or_default();
    let mean = |pick: &dyn Fn(usize) -> usize| -> (f64, f64) {
        let (mut q, mut c) = (0.0, 0.0);
        for &p in &prompts {
            let (s, k) = outcome(p, pick(p));
            q += s;
            c += k;
        }
        (q / prompts.len() as f64, c / prompts.len() as f64)
    };
    let fit_score = |c: usize| fit_sum[c].0 / fit_sum[c].2.max(1) as f64;
    let fit_cost = |c: usize| fit_sum[c].1 / fit_sum[c].2.max(1) as f64;
    let best = (0..ids.len())
        .max_by(|&a, &b| fit_score(a).total_cmp(&fit_score(b)).then(b.cmp(&a)))
        .unwrap_or(0);
    let cheapest = (0..ids.len())
        .min_by(|&a, &b| fit_cost(a).total_cmp(&fit_cost(b)).then(a.cmp(&b)))
        .unwrap_or(0);

    let input_tokens = |p: usize| estimate_input_tokens(&outcomes.prompts[p].text);
    let per_label = |target: f64| -> Result<(f64, f64)> {
        let policy = Policy::new(std::sync::Arc::new(catalog(target)?));
        let picks: HashMap<usize, usize> = prompts
            .iter()
            .map(|&p| {
                let probs = labels.probs[p].unwrap_or_default();
                let pick = policy
                    .choose(&probs, input_tokens(p))
                    .map_or(best, |c| c.pick().model);
                (p, pick)
            })
            .collect();
        Ok(mean(&|p| picks[&p]))
    };

    let adequacy: Option<Adequacy> = match &opts.adequacy {
        Some(a) => {
            let model_of_row: Vec<Option<&str>> = resolved.iter().map(|r| r.as_deref()).collect();
            Some(train_adequacy(
                outcomes,
                &fit,
                &model_of_row,
                &ids,
                classifier.featurizer().config(),
                a,
            )?)
        }
        None => None,
    };
    let per_prompt = |target: f64| -> Result<Option<(f64, f64)>> {
        let Some(a) = &adequacy else { return Ok(None) };
        let policy = Policy::new(std::sync::Arc::new(catalog(target)?.with_adequacy(a.clone())));
        let mut success = Vec::new();
        let mut picks = HashMap::new();
        for &p in &prompts {
            let probs = labels.probs[p].unwrap_or_default();
            policy.success_probs(&probs, &outcomes.prompts[p].text, &mut success);
            let pick = policy
                .choose_per_prompt(&probs, input_tokens(p), &success)
                .map_or(best, |c| c.pick().model);
            picks.insert(p, pick);
        }
        Ok(Some(mean(&|p| picks[&p])))
    };

    let (qb, cb) = mean(&|_| best);
    let (qc, cc) = mean(&|_| cheapest);
    let t = opts.quality_target;
    let mut rows = vec![
        Measured { strategy: format!("always the best single model ({})", ids[best]), quality: qb, cost_usd: cb },
        Measured { strategy: format!("always the cheapest ({})", ids[cheapest]), quality: qc, cost_usd: cc },
    ];
    let (ql, cl) = per_label(t)?;
    rows.push(Measured { strategy: format!("per-label policy (target {t})"), quality: ql, cost_usd: cl });
    let routed = per_prompt(t)?;
    if let Some((qp, cp)) = routed {
        rows.push(Measured { strategy: format!("per-prompt policy (target {t})"), quality: qp, cost_usd: cp });
    }
    // Random mix of best and cheapest at the routed policy's cost: its expected quality.
    let (_, c_routed) = routed.unwrap_or((ql, cl));
    let f = if cb > cc { ((c_routed - cc) / (cb - cc)).clamp(0.0, 1.0) } else { 1.0 };
    rows.push(Measured {
        strategy: format!("random mix best/cheapest at equal cost ({:.0}% best)", f * 100.0),
        quality: f * qb + (1.0 - f) * qc,
        cost_usd: f * cb + (1.0 - f) * cc,
    });
    let oracle = |p: usize| -> usize {
        let row = &table[&p];
        let top = row.iter().flatten().map(|o| o.0).fold(0.0, f64::max);
        (0..ids.len())
            .filter(|&c| top <= 0.0 || outcome(p, c).0 >= top)
            .min_by(|&a, &b| outcome(p, a).1.total_cmp(&outcome(p, b).1))
            .unwrap_or(best)
    };
    let (qo, co) = mean(&oracle);
    rows.push(Measured { strategy: "per-prompt oracle (cheapest correct)".into(), quality: qo, cost_usd: co });

    let mut frontier = Vec::new();
    for &target in &opts.sweep {
        let t = target.max(1e-6);
        let (q, c) = per_label(t)?;
        frontier.push(FrontierPoint { policy: "per-label", target, quality: q, cost_usd: c });
        if let Some((q, c)) = per_prompt(t)? {
            frontier.push(FrontierPoint { policy: "per-prompt", target, quality: q, cost_usd: c });
        }
    }
    Ok(SourceReport {
        source: source.to_string(),
        cost_basis: if cost_basis_measured { "measured".into() } else { "list prices × chars / 4".into() },
        fit_prompts: fit.iter().filter(|&&f| f).count(),
        eval_prompts: prompts.len(),
        incomplete_prompts: incomplete,
        models: ids.len(),
        refused: cal.refused,
        best_model: ids[best].clone(),
        cheapest_model: ids[cheapest].clone(),
        rows,
        frontier,
    })
}

impl SourceReport {
    /// A Markdown table: measured quality, its share of the best single model's, measured
    /// cost per 1,000 prompts and the share saved against the best single model.
    pub fn to_markdown(&self) -> String {
        let b = self.best().clone();
        let mut s = format!(
            "### {} — {} evaluation prompts (fit on {}), {} models, cost: {}\n\n\
             | strategy | measured quality | vs best | measured cost / 1k prompts | saved vs best |\n\
             |---|---:|---:|---:|---:|\n",
            self.source, self.eval_prompts, self.fit_prompts, self.models, self.cost_basis
        );
        for r in &self.rows {
            s.push_str(&format!(
                "| {} | {:.3} | {:.1}% | ${:.4} | {:.1}% |\n",
                r.strategy,
                r.quality,
                100.0 * r.quality / b.quality.max(1e-12),
                r.cost_usd * 1000.0,
                100.0 * (1.0 - r.cost_usd / b.cost_usd.max(1e-300)),
            ));
        }
        for policy in ["per-label", "per-prompt"] {
            let hit = self
                .frontier
                .iter()
                .filter(|p| p.policy == policy && p.quality >= 0.95 * b.quality)
                .min_by(|x, y| x.cost_usd.total_cmp(&y.cost_usd));
            if let Some(p) = hit {
                s.push_str(&format!(
                    "\nFrontier, {policy}: cheapest swept quality_target with measured quality ≥ 95% of \
                     the best single model's: {} → measured quality {:.3} ({:.1}%), measured cost \
                     ${:.4} / 1k prompts ({:.1}% saved).\n",
                    p.target,
                    p.quality,
                    100.0 * p.quality / b.quality.max(1e-12),
                    p.cost_usd * 1000.0,
                    100.0 * (1.0 - p.cost_usd / b.cost_usd.max(1e-300)),
                ));
            }
        }
        if self.incomplete_prompts > 0 {
            s.push_str(&format!(
                "\n{} evaluation prompt(s) left out: not answered by every calibrated model.\n",
                self.incomplete_prompts
            ));
        }
        for (id, why) in &self.refused {
            s.push_str(&format!("\nRefused {id}: {why}\n"));
        }
        s
    }
}
