//! Measured economics: fit on one part of an outcome log, route the other part, and report
//! the *measured* quality and cost of each strategy (never modelled numbers).
//!
//! Per source (each source is a task set with its own model pool):
//!
//! 1. split prompts by problem with a stable hash ([`in_fit_part`]);
//! 2. [`calibrate`] on the fit part (and train the per-prompt [`Adequacy`](promptyard::adequacy::Adequacy) model);
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
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use promptyard::catalog::{Catalog, ModelSpec};
use promptyard::policy::{estimate_input_tokens, Policy};
use promptyard::{Classifier, Label, Probs};

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

/// The cheapest frontier point of `policy` whose measured quality reaches `quality`.
fn cheapest_reaching<'a>(
    frontier: &'a [FrontierPoint],
    policy: &str,
    quality: f64,
) -> Option<&'a FrontierPoint> {
    frontier
        .iter()
        .filter(|p| p.policy == policy && p.quality >= quality)
        .min_by(|x, y| x.cost_usd.total_cmp(&y.cost_usd))
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

impl Measured {
    fn new(strategy: String, quality: f64, cost_usd: f64) -> Measured {
        Measured { strategy, quality, cost_usd }
    }
}

/// One point of the frontier.
#[derive(Clone, Debug, PartialEq, Serialize)]
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

/// The prompts a strategy comparison is scored on: per prompt its text, label probabilities
/// and the measured `(score, cost_usd)` of every catalog model (indexed like
/// [`Catalog::models`]; every eligible model answered every prompt kept here).
struct Scored<'a> {
    /// The catalog routed with (with its adequacy model, if any).
    catalog: &'a Catalog,
    /// Eligible catalog models: the candidates of every strategy.
    columns: Vec<usize>,
    prompts: Vec<ScoredPrompt<'a>>,
}

struct ScoredPrompt<'a> {
    text: &'a str,
    probs: Probs,
    /// `(score, cost_usd)` per catalog model; `(0, 0)` outside `columns`.
    cells: Vec<(f64, f64)>,
}

impl Scored<'_> {
    /// Mean measured score and cost per prompt when prompt `i` goes to model `pick(i)`.
    fn mean(&self, pick: &dyn Fn(usize) -> usize) -> (f64, f64) {
        let (mut q, mut c) = (0.0, 0.0);
        for (i, p) in self.prompts.iter().enumerate() {
            let (s, k) = p.cells[pick(i)];
            q += s;
            c += k;
        }
        let n = self.prompts.len().max(1) as f64;
        (q / n, c / n)
    }

    /// Each prompt's pick by the per-label (`per_prompt` false) or per-prompt policy at
    /// `target`; `fallback` where the policy errs.
    fn picks(&self, target: Option<f64>, per_prompt: bool, fallback: usize) -> Result<Vec<usize>> {
        let catalog = match target {
            Some(t) => self.catalog.clone().with_quality_target(t)?,
            None => self.catalog.clone(),
        };
        let catalog = if per_prompt { catalog } else { catalog.without_adequacy() };
        let policy = Policy::new(Arc::new(catalog));
        let mut success = Vec::new();
        Ok(self
            .prompts
            .iter()
            .map(|p| {
                let tokens = estimate_input_tokens(p.text);
                let choice = if per_prompt {
                    policy.success_probs(&p.probs, p.text, &mut success);
                    policy.choose_per_prompt(&p.probs, tokens, &success)
                } else {
                    policy.choose(&p.probs, tokens)
                };
                choice.map_or(fallback, |c| c.pick().model)
            })
            .collect())
    }

    /// The cheapest model with the prompt's top score (the cheapest when none scored).
    fn oracle(&self, i: usize, fallback: usize) -> usize {
        let cells = &self.prompts[i].cells;
        let top = self.columns.iter().map(|&c| cells[c].0).fold(0.0, f64::max);
        self.columns
            .iter()
            .copied()
            .filter(|&c| top <= 0.0 || cells[c].0 >= top)
            .min_by(|&a, &b| cells[a].1.total_cmp(&cells[b].1))
            .unwrap_or(fallback)
    }

    /// The strategy rows (best single model first) and the frontier, `best` and `cheapest`
    /// being catalog model indices chosen by the caller.
    fn measure(
        &self,
        best: usize,
        cheapest: usize,
        target: Option<f64>,
        sweep: &[f64],
    ) -> Result<(Vec<Measured>, Vec<FrontierPoint>)> {
        let models = self.catalog.models();
        let per_prompt = self.catalog.adequacy().is_some();
        let at = match target.or(self.catalog.settings().quality_target) {
            Some(t) => format!("target {t}"),
            None => "no quality_target".to_string(),
        };
        let policy_mean = |t: Option<f64>, pp: bool| -> Result<(f64, f64)> {
            let picks = self.picks(t, pp, best)?;
            Ok(self.mean(&|i| picks[i]))
        };
        let (qb, cb) = self.mean(&|_| best);
        let (qc, cc) = self.mean(&|_| cheapest);
        let mut rows = vec![
            Measured::new(format!("always the best single model ({})", models[best].id), qb, cb),
            Measured::new(format!("always the cheapest ({})", models[cheapest].id), qc, cc),
        ];
        let (ql, cl) = policy_mean(target, false)?;
        rows.push(Measured::new(format!("per-label policy ({at})"), ql, cl));
        let routed = if per_prompt { Some(policy_mean(target, true)?) } else { None };
        if let Some((qp, cp)) = routed {
            rows.push(Measured::new(format!("per-prompt policy ({at})"), qp, cp));
        }
        // Random mix of best and cheapest at the routed policy's cost: its expected quality.
        let (_, c_routed) = routed.unwrap_or((ql, cl));
        let f = if cb > cc { ((c_routed - cc) / (cb - cc)).clamp(0.0, 1.0) } else { 1.0 };
        rows.push(Measured::new(
            format!("random mix best/cheapest at equal cost ({:.0}% best)", f * 100.0),
            f * qb + (1.0 - f) * qc,
            f * cb + (1.0 - f) * cc,
        ));
        let (qo, co) = self.mean(&|i| self.oracle(i, best));
        rows.push(Measured::new("per-prompt oracle (cheapest correct)".into(), qo, co));
        let mut frontier = Vec::new();
        for &t in sweep {
            let (q, c) = policy_mean(Some(t.max(1e-6)), false)?;
            frontier.push(FrontierPoint { policy: "per-label", target: t, quality: q, cost_usd: c });
            if per_prompt {
                let (q, c) = policy_mean(Some(t.max(1e-6)), true)?;
                frontier.push(FrontierPoint { policy: "per-prompt", target: t, quality: q, cost_usd: c });
            }
        }
        Ok((rows, frontier))
    }
}

/// Cost of outcome row `r` on catalog model `m`: measured `cost_usd`, else list prices ×
/// chars / 4 (the prompt's token estimate and the label's expected output where a length is
/// missing).
fn row_cost(outcomes: &Outcomes, r: usize, m: &ModelSpec, catalog: &Catalog, label: Label) -> f64 {
    let row = &outcomes.rows[r];
    if let Some(c) = row.cost_usd {
        return c;
    }
    let input = row.in_chars.map_or_else(
        || estimate_input_tokens(&outcomes.prompts[row.prompt].text),
        |c| c.div_ceil(4),
    );
    let output = row.out_chars.map_or(
        catalog.settings().expected_output_tokens(label),
        |c| c.div_ceil(4),
    );
    m.cost_usd(input, output)
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
    let o = CalibrateOptions {
        quality_target: Some(opts.quality_target),
        ..opts.calibrate.clone()
    };
    let mut base_cat = Catalog::parse(&cal.to_toml(&o, None), format!("calibrated-{source}.toml"))?;
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
    let cost_basis_measured = outcomes
        .rows
        .iter()
        .any(|r| ok[r.prompt] && r.cost_usd.is_some());

    // Per prompt: catalog column → (score, cost).
    let mut table: HashMap<usize, Vec<Option<(f64, f64)>>> = HashMap::new();
    let mut fit_sum = vec![(0.0f64, 0.0f64, 0usize); ids.len()];
    for (r, row) in outcomes.rows.iter().enumerate() {
        let Some(id) = &resolved[r] else { continue };
        let c = col[id.as_str()];
        let Some(probs) = labels.probs[row.prompt] else { continue };
        let cost = row_cost(outcomes, r, &base_cat.models()[c], &base_cat, Label::argmax(&probs));
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
    let complete = |p: &usize| table[p].iter().all(Option::is_some);
    let incomplete = eval.iter().filter(|&&e| e).count() - prompts.iter().filter(|p| complete(p)).count();
    prompts.retain(complete);
    if prompts.is_empty() {
        return Err(Error::Calibrate(format!(
            "{source}: no evaluation prompt was answered by every calibrated model"
        )));
    }
    let fit_score = |c: usize| fit_sum[c].0 / fit_sum[c].2.max(1) as f64;
    let fit_cost = |c: usize| fit_sum[c].1 / fit_sum[c].2.max(1) as f64;
    let best = (0..ids.len())
        .max_by(|&a, &b| fit_score(a).total_cmp(&fit_score(b)).then(b.cmp(&a)))
        .unwrap_or(0);
    let cheapest = (0..ids.len())
        .min_by(|&a, &b| fit_cost(a).total_cmp(&fit_cost(b)).then(a.cmp(&b)))
        .unwrap_or(0);

    if let Some(a) = &opts.adequacy {
        let model_of_row: Vec<Option<&str>> = resolved.iter().map(|r| r.as_deref()).collect();
        let adequacy = train_adequacy(
            outcomes,
            &fit,
            &model_of_row,
            &ids,
            classifier.featurizer().config(),
            a,
        )?;
        base_cat = base_cat.with_adequacy(adequacy);
        if let Some(w) = opts.calibrate.adequacy_weight {
            base_cat = base_cat.with_adequacy_weight(w)?;
        }
    }
    let scored = Scored {
        catalog: &base_cat,
        columns: (0..ids.len()).collect(),
        prompts: prompts
            .iter()
            .map(|&p| ScoredPrompt {
                text: &outcomes.prompts[p].text,
                probs: labels.probs[p].unwrap_or_default(),
                cells: table[&p].iter().map(|c| c.unwrap_or_default()).collect(),
            })
            .collect(),
    };
    let (rows, frontier) = scored.measure(best, cheapest, Some(opts.quality_target), &opts.sweep)?;
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
            let hit = cheapest_reaching(&self.frontier, policy, 0.95 * b.quality);
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

/// Cost fractions (of the best single model's measured cost) at which [`SplitSummary`] reads
/// each frontier.
pub const SPLIT_COST_FRACTIONS: [f64; 6] = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8];

/// The measured quality a policy's frontier reaches at `cost_usd` per prompt: linear between
/// the two swept points around it in cost order (a random mix of those two targets costs and
/// scores exactly that), the costliest point's quality beyond the last, `None` below the
/// cheapest (the policy cannot be that cheap) or when the frontier has no point of `policy`.
pub fn quality_at_cost(frontier: &[FrontierPoint], policy: &str, cost_usd: f64) -> Option<f64> {
    let pts = by_cost(frontier, policy);
    let (first, last) = (*pts.first()?, *pts.last()?);
    if cost_usd < first.0 {
        return None;
    }
    if cost_usd >= last.0 {
        return Some(last.1);
    }
    pts.windows(2).find_map(|w| {
        let ((c0, q0), (c1, q1)) = (w[0], w[1]);
        (c0 <= cost_usd && cost_usd <= c1).then(|| {
            if c1 > c0 {
                q0 + (q1 - q0) * (cost_usd - c0) / (c1 - c0)
            } else {
                q0.max(q1)
            }
        })
    })
}

/// One policy across splits (see [`SplitSummary`]).
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyAcrossSplits {
    /// `per-label` or `per-prompt`.
    pub policy: &'static str,
    /// Per [`SPLIT_COST_FRACTIONS`]: measured quality as a fraction of the best single model's,
    /// at that fraction of its measured cost, one value per split (`None` where the policy
    /// cannot be that cheap on that split).
    pub quality: Vec<Vec<Option<f64>>>,
    /// The saving (1 − cost / the best model's cost) where the mean over the splits of the
    /// relative quality first reaches 95%, on a grid of 1% of the best model's cost.
    pub saving_at_95_of_mean: Option<f64>,
    /// Per split: the saving where its own frontier first reaches 95% of the best quality
    /// (interpolated like [`quality_at_cost`]); `None` where it never does.
    pub saving_at_95: Vec<Option<f64>>,
}

/// One source evaluated on several fit/evaluation splits: one split puts a few hundred prompts
/// on each side, and where a frontier crosses 95% of the best model's quality moves by 10–20
/// points of saving from one split to the next (measured, `benchmarks/ECONOMICS.md`), so a
/// decision should rest on the spread, not on one split.
#[derive(Clone, Debug, PartialEq)]
pub struct SplitSummary {
    /// The source.
    pub source: String,
    /// The split seeds, in order.
    pub seeds: Vec<u64>,
    /// The two policies (per-prompt only where the reports have it).
    pub policies: Vec<PolicyAcrossSplits>,
}

/// Summarises the reports of one source on several splits (`seeds[i]` made `reports[i]`).
pub fn summarize_splits(source: &str, seeds: &[u64], reports: &[SourceReport]) -> SplitSummary {
    let grid: Vec<f64> = (1..=100).map(|i| i as f64 / 100.0).collect();
    let mut policies = Vec::new();
    for policy in ["per-label", "per-prompt"] {
        if !reports.iter().any(|r| r.frontier.iter().any(|p| p.policy == policy)) {
            continue;
        }
        let relative = |r: &SourceReport, frac: f64| {
            let b = r.best();
            quality_at_cost(&r.frontier, policy, frac * b.cost_usd).map(|q| q / b.quality.max(1e-12))
        };
        let quality = SPLIT_COST_FRACTIONS
            .iter()
            .map(|&f| reports.iter().map(|r| relative(r, f)).collect())
            .collect();
        // The mean curve; a grid point where some split cannot be that cheap is skipped.
        let saving_at_95_of_mean = grid.iter().find_map(|&f| {
            let qs: Option<Vec<f64>> = reports.iter().map(|r| relative(r, f)).collect();
            let qs = qs.filter(|q| !q.is_empty())?;
            (qs.iter().sum::<f64>() / qs.len() as f64 >= 0.95).then_some(1.0 - f)
        });
        let saving_at_95 = reports
            .iter()
            .map(|r| {
                let b = r.best();
                cost_reaching(&r.frontier, policy, 0.95 * b.quality)
                    .map(|cost| 1.0 - cost / b.cost_usd.max(1e-300))
            })
            .collect();
        policies.push(PolicyAcrossSplits {
            policy,
            quality,
            saving_at_95_of_mean,
            saving_at_95,
        });
    }
    SplitSummary {
        source: source.to_string(),
        seeds: seeds.to_vec(),
        policies,
    }
}

/// `policy`'s frontier points as (cost, quality), cheapest first.
fn by_cost(frontier: &[FrontierPoint], policy: &str) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> = frontier
        .iter()
        .filter(|p| p.policy == policy)
        .map(|p| (p.cost_usd, p.quality))
        .collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    pts
}

/// The lowest cost at which `policy`'s frontier, in cost order and interpolated between swept
/// points, first reaches `quality`.
fn cost_reaching(frontier: &[FrontierPoint], policy: &str, quality: f64) -> Option<f64> {
    let pts = by_cost(frontier, policy);
    let first = *pts.first()?;
    if first.1 >= quality {
        return Some(first.0);
    }
    pts.windows(2).find_map(|w| {
        let ((c0, q0), (c1, q1)) = (w[0], w[1]);
        (q0 < quality && quality <= q1).then(|| c0 + (c1 - c0) * (quality - q0) / (q1 - q0))
    })
}

impl SplitSummary {
    /// A Markdown section: per policy, the mean (min–max) relative quality at each cost
    /// fraction, the saving where the mean reaches 95%, and each split's own saving there.
    pub fn to_markdown(&self) -> String {
        let pct = |x: f64| format!("{:.0}%", 100.0 * x);
        let (lo, hi) = (
            self.seeds.first().copied().unwrap_or(0),
            self.seeds.last().copied().unwrap_or(0),
        );
        let mut s = format!(
            "#### {} across {} splits (seeds {lo}–{hi}; measured)\n\n\
             Each policy's frontier: measured quality as a share of the best single model's, at a \
             share of its measured cost; mean (min–max) over the splits.\n\n| policy |",
            self.source,
            self.seeds.len()
        );
        for f in SPLIT_COST_FRACTIONS {
            s.push_str(&format!(" at {} of the cost |", pct(f)));
        }
        s.push_str(" saving where the mean reaches 95% | splits reaching 95%: saving each |\n|---|");
        s.push_str(&"---:|".repeat(SPLIT_COST_FRACTIONS.len() + 2));
        s.push('\n');
        for p in &self.policies {
            s.push_str(&format!("| {} |", p.policy));
            for qs in &p.quality {
                let known: Vec<f64> = qs.iter().flatten().copied().collect();
                if known.len() < qs.len() || known.is_empty() {
                    s.push_str(" — |");
                    continue;
                }
                let mean = known.iter().sum::<f64>() / known.len() as f64;
                let min = known.iter().copied().fold(f64::INFINITY, f64::min);
                let max = known.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                s.push_str(&format!(" {mean:.3} ({min:.3}–{max:.3}) |"));
            }
            let reached: Vec<String> = p.saving_at_95.iter().flatten().map(|&x| pct(x)).collect();
            s.push_str(&format!(
                " {} | {} of {}{}{} |\n",
                p.saving_at_95_of_mean.map_or("never".to_string(), pct),
                reached.len(),
                p.saving_at_95.len(),
                if reached.is_empty() { "" } else { ": " },
                reached.join(", ")
            ));
        }
        s
    }
}

/// Settings of [`evaluate_log`].
#[derive(Clone, Debug)]
pub struct LogOptions {
    /// The log field joined with the outcomes' `prompt_id` (`promptyard label` keeps the
    /// input's fields, so labelling `prompts.jsonl` keeps `prompt_id`).
    pub id_field: String,
    /// The headline `quality_target`; `None`: the catalog's own policy.
    pub quality_target: Option<f64>,
    /// Targets swept for the frontier.
    pub sweep: Vec<f64>,
}

impl Default for LogOptions {
    fn default() -> Self {
        LogOptions {
            id_field: "prompt_id".into(),
            quality_target: None,
            sweep: EconomicsOptions::default().sweep,
        }
    }
}

/// One strategy's measured figures on a labelled log, with its savings against always
/// sending every prompt to the best single model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StrategyLine {
    /// Strategy name.
    pub strategy: String,
    /// Mean measured score (0 to 1).
    #[serde(serialize_with = "ser_round12")]
    pub measured_quality: f64,
    /// `measured_quality` as a percentage of the best single model's.
    #[serde(serialize_with = "ser_round6")]
    pub quality_vs_best_pct: f64,
    /// Measured cost of all evaluated prompts, USD.
    #[serde(serialize_with = "ser_usd")]
    pub measured_cost_usd: f64,
    /// The best single model's measured cost minus this one's, USD (negative: dearer).
    #[serde(serialize_with = "ser_usd")]
    pub savings_usd: f64,
    /// `savings_usd` as a percentage of the best single model's cost.
    #[serde(serialize_with = "ser_round6")]
    pub savings_pct: f64,
}

/// A labelled log joined with measured outcomes: what its routing, each baseline and each
/// policy measured on the same prompts ([`evaluate_log`]). Every quality and cost in it is
/// measured (outcome scores; `cost_usd` where recorded, else list prices × chars / 4, see
/// `cost_basis`), never taken from the catalog's quality numbers.
#[derive(Clone, Debug, Serialize)]
pub struct LogReport {
    /// Always `measured`.
    pub quality_kind: &'static str,
    /// The labelled log.
    pub input: PathBuf,
    /// Labelled records read.
    pub records: usize,
    /// Error records skipped (those with an `error` field).
    pub error_records: usize,
    /// Labelled records whose id matched an outcome prompt.
    pub matched: usize,
    /// Labelled records whose id matched no outcome prompt.
    pub unmatched: usize,
    /// Up to five unmatched ids, for the message.
    pub unmatched_examples: Vec<String>,
    /// Matched records left out: some eligible catalog model (or the logged model) has no
    /// outcome for the prompt, so the strategies could not be scored on the same prompts.
    pub incomplete: usize,
    /// Records every strategy is scored on.
    pub evaluated: usize,
    /// `measured`, `list prices × chars / 4`, or `measured where recorded, else list prices × chars / 4`.
    pub cost_basis: String,
    /// The headline `quality_target` (`None`: the catalog's policy as written).
    pub quality_target: Option<f64>,
    /// Highest mean measured score on the evaluated prompts.
    pub best_model: String,
    /// Lowest mean measured cost on the evaluated prompts.
    pub cheapest_model: String,
    /// The strategies, best single model first.
    pub strategies: Vec<StrategyLine>,
    /// Both policies swept over `quality_target`.
    pub frontier: Vec<FrontierPoint>,
    /// The same rows as [`Measured`] (per-prompt means), for charts.
    #[serde(skip)]
    pub rows: Vec<Measured>,
}

fn ser_round12<S: serde::Serializer>(v: &f64, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_f64(round_to(*v, 1e12))
}

fn ser_round6<S: serde::Serializer>(v: &f64, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_f64(round_to(*v, 1e6))
}

fn ser_usd<S: serde::Serializer>(v: &f64, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_f64(promptyard::policy::round_usd(*v))
}

/// `x` rounded to a multiple of `1 / scale`, so JSON carries no float noise.
fn round_to(x: f64, scale: f64) -> f64 {
    let scaled = x * scale;
    if scaled.is_finite() && scaled.abs() < 9.0e15 {
        scaled.round() / scale
    } else {
        x
    }
}

/// Joins the labelled log at `log` (the output of `promptyard label --catalog CATALOG`) with
/// `outcomes` on [`LogOptions::id_field`] = `prompt_id`, and scores, on the records whose
/// prompt every eligible catalog model answered: the log's own choices, always the best single
/// model, always the cheapest, the per-label policy, the per-prompt policy (when the catalog
/// carries an adequacy model), a random mix of best and cheapest at the routed policy's cost,
/// and the per-prompt oracle; plus the frontier over `quality_target`.
///
/// The policies route each prompt from the log's label probabilities and the outcome
/// prompt's text, so with the catalog the log was labelled with, the per-label or per-prompt
/// row (whichever the catalog uses) equals the log's own row. Outcome model names are mapped
/// to catalog ids by `map` ([`ModelMap::resolve`]).
///
/// Errors name the log's file, line and field: a record without the id, `label`, `probs` or
/// `model`, an id given twice, a model the catalog lacks; and the whole log when no record
/// matches or none can be scored.
pub fn evaluate_log(
    log: &Path,
    catalog: &Catalog,
    outcomes: &Outcomes,
    map: &ModelMap,
    opts: &LogOptions,
) -> Result<LogReport> {
    use std::io::BufRead;
    let models = catalog.models();
    let bad = |line: usize, field: &str, msg: String| Error::LabelledLog {
        path: log.to_path_buf(),
        line,
        field: field.to_string(),
        msg,
    };
    let index: HashMap<&str, usize> = outcomes
        .prompts
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    // Outcome rows by prompt: (catalog model, row).
    let mut by_prompt: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    for (r, row) in outcomes.rows.iter().enumerate() {
        let id = map.resolve(&outcomes.prompts[row.prompt].source, &row.model, Some(catalog));
        if let Some(m) = models.iter().position(|m| m.id == id && m.eligible) {
            by_prompt.entry(row.prompt).or_default().push((m, r));
        }
    }
    let columns: Vec<usize> = (0..models.len()).filter(|&i| models[i].eligible).collect();
    if by_prompt.is_empty() {
        let mut names: Vec<&str> = outcomes.rows.iter().map(|r| r.model.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        return Err(bad(0, "model", format!(
            "no eligible model of catalog {} has outcomes (catalog: {}; outcomes: {}); \
             calibrate the catalog from these outcomes, or map the names with --map",
            catalog.path().display(),
            columns.iter().map(|&c| models[c].id.as_str()).collect::<Vec<_>>().join(", "),
            names.join(", ")
        )));
    }

    let file = std::fs::File::open(log).map_err(|e| Error::io(log, e))?;
    let reader = std::io::BufReader::new(file);
    let (mut records, mut error_records, mut unmatched) = (0, 0, 0);
    let mut unmatched_examples = Vec::new();
    let mut seen: HashMap<usize, usize> = HashMap::new();
    // (outcome prompt, probs, logged model)
    let mut joined: Vec<(usize, Probs, usize)> = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let no = i + 1;
        let line = line.map_err(|e| Error::io(log, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| bad(no, "-", format!("invalid JSON: {e}")))?;
        if v.get("error").is_some() {
            error_records += 1;
            continue;
        }
        records += 1;
        let need = |field: &str| format!("missing: is this the output of `promptyard label`? (field {field})");
        let id = match v.get(&opts.id_field) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(n @ serde_json::Value::Number(_)) => n.to_string(),
            Some(other) => {
                return Err(bad(no, &opts.id_field, format!("must be a string, got {other}")))
            }
            None => {
                return Err(bad(
                    no,
                    &opts.id_field,
                    "missing: the join needs each record's prompt id (label the outcomes' \
                     prompts.jsonl, which has prompt_id, or name the field with --id-field)"
                        .to_string(),
                ))
            }
        };
        let model_id = v
            .get("model")
            .and_then(|m| m.as_str())
            .ok_or_else(|| bad(no, "model", need("model")))?;
        let model = models.iter().position(|m| m.id == model_id).ok_or_else(|| {
            bad(no, "model", format!(
                "{model_id:?} is not in catalog {} (report with the catalog the log was labelled with)",
                catalog.path().display()
            ))
        })?;
        v.get("label")
            .and_then(|l| l.as_str())
            .and_then(|l| l.parse::<Label>().ok())
            .ok_or_else(|| bad(no, "label", need("label")))?;
        let probs_v = v.get("probs").ok_or_else(|| bad(no, "probs", need("probs")))?;
        let mut probs: Probs = [0.0; promptyard::NUM_LABELS];
        for l in Label::ALL {
            probs[l.index()] = match probs_v.get(l.as_str()) {
                Some(p) => p.as_f64().ok_or_else(|| bad(no, "probs", format!("{l}: not a number")))? as f32,
                None => 0.0,
            };
        }
        let Some(&p) = index.get(id.as_str()) else {
            unmatched += 1;
            if unmatched_examples.len() < 5 {
                unmatched_examples.push(id);
            }
            continue;
        };
        if let Some(first) = seen.insert(p, no) {
            return Err(bad(no, &opts.id_field, format!(
                "{id:?} repeats line {first}: each prompt may be scored once"
            )));
        }
        joined.push((p, probs, model));
    }
    let matched = joined.len();
    if matched == 0 {
        return Err(bad(0, &opts.id_field, format!(
            "none of the {records} labelled record(s) matched a prompt_id of the outcomes \
             (first unmatched: {}; first outcome prompt_id: {})",
            unmatched_examples.first().map_or("-", String::as_str),
            outcomes.prompts.first().map_or("-", |p| p.id.as_str())
        )));
    }

    let mut scored_prompts = Vec::new();
    let mut logged = Vec::new();
    let (mut measured_cost, mut listed_cost) = (false, false);
    for &(p, probs, model) in &joined {
        let mut cells: Vec<Option<(f64, f64)>> = vec![None; models.len()];
        for &(m, r) in by_prompt.get(&p).map_or(&[][..], Vec::as_slice) {
            let cost = row_cost(outcomes, r, &models[m], catalog, Label::argmax(&probs));
            cells[m] = Some((outcomes.rows[r].score, cost));
            measured_cost |= outcomes.rows[r].cost_usd.is_some();
            listed_cost |= outcomes.rows[r].cost_usd.is_none();
        }
        if columns.iter().any(|&c| cells[c].is_none()) || cells[model].is_none() {
            continue;
        }
        logged.push(model);
        scored_prompts.push(ScoredPrompt {
            text: &outcomes.prompts[p].text,
            probs,
            cells: cells.iter().map(|c| c.unwrap_or_default()).collect(),
        });
    }
    let incomplete = matched - scored_prompts.len();
    if scored_prompts.is_empty() {
        return Err(bad(0, "-", format!(
            "{matched} record(s) matched the outcomes, but none has an outcome for every \
             eligible catalog model ({}): strategies must be scored on the same prompts",
            columns.iter().map(|&c| models[c].id.as_str()).collect::<Vec<_>>().join(", ")
        )));
    }
    let scored = Scored { catalog, columns, prompts: scored_prompts };
    let n = scored.prompts.len() as f64;
    let col_mean = |c: usize, k: usize| -> f64 {
        scored.prompts.iter().map(|p| if k == 0 { p.cells[c].0 } else { p.cells[c].1 }).sum::<f64>() / n
    };
    let best = scored.columns.iter().copied()
        .max_by(|&a, &b| col_mean(a, 0).total_cmp(&col_mean(b, 0))
            .then(col_mean(b, 1).total_cmp(&col_mean(a, 1)))
            .then(b.cmp(&a)))
        .unwrap_or(0);
    let cheapest = scored.columns.iter().copied()
        .min_by(|&a, &b| col_mean(a, 1).total_cmp(&col_mean(b, 1)).then(a.cmp(&b)))
        .unwrap_or(0);
    let (mut rows, frontier) = scored.measure(best, cheapest, opts.quality_target, &opts.sweep)?;
    let (ql, cl) = scored.mean(&|i| logged[i]);
    rows.insert(2, Measured::new("as labelled (the log's own choices)".into(), ql, cl));
    let b = rows[0].clone();
    let strategies = rows
        .iter()
        .map(|r| StrategyLine {
            strategy: r.strategy.clone(),
            measured_quality: r.quality,
            quality_vs_best_pct: if b.quality > 0.0 { 100.0 * r.quality / b.quality } else { 0.0 },
            measured_cost_usd: r.cost_usd * n,
            savings_usd: (b.cost_usd - r.cost_usd) * n,
            savings_pct: if b.cost_usd > 0.0 { 100.0 * (1.0 - r.cost_usd / b.cost_usd) } else { 0.0 },
        })
        .collect();
    Ok(LogReport {
        quality_kind: "measured",
        input: log.to_path_buf(),
        records,
        error_records,
        matched,
        unmatched,
        unmatched_examples,
        incomplete,
        evaluated: scored.prompts.len(),
        cost_basis: match (measured_cost, listed_cost) {
            (true, false) => "measured",
            (false, _) => "list prices × chars / 4",
            (true, true) => "measured where recorded, else list prices × chars / 4",
        }
        .into(),
        quality_target: opts.quality_target,
        best_model: models[best].id.clone(),
        cheapest_model: models[cheapest].id.clone(),
        strategies,
        frontier,
        rows,
    })
}

impl LogReport {
    /// The report as text: the join counts, then one line per strategy. Every figure is
    /// labelled measured.
    pub fn to_table(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Measured on outcomes: {} labelled record(s) in {}{}; {} matched an outcome prompt_id, {} did not{}.",
            self.records,
            self.input.display(),
            if self.error_records > 0 { format!(" ({} error record(s) skipped)", self.error_records) } else { String::new() },
            self.matched,
            self.unmatched,
            if self.unmatched_examples.is_empty() { String::new() } else { format!(" (e.g. {})", self.unmatched_examples.join(", ")) },
        );
        let _ = writeln!(
            s,
            "Scored on {} prompt(s) answered by every eligible catalog model ({} matched but left out: an outcome missing). \
             Quality = mean measured score; cost basis: {}.\n",
            self.evaluated, self.incomplete, self.cost_basis
        );
        let _ = writeln!(
            s,
            "| strategy | measured quality | vs best | measured cost | measured saved vs best |\n|---|---:|---:|---:|---:|"
        );
        for l in &self.strategies {
            let _ = writeln!(
                s,
                "| {} | {:.3} | {:.1}% | ${:.4} | ${:.4} ({:.1}%) |",
                l.strategy, l.measured_quality, l.quality_vs_best_pct, l.measured_cost_usd, l.savings_usd, l.savings_pct
            );
        }
        let b = &self.rows[0];
        for policy in ["per-label", "per-prompt"] {
            let hit = cheapest_reaching(&self.frontier, policy, 0.95 * b.quality);
            if let Some(p) = hit {
                let _ = writeln!(
                    s,
                    "\nFrontier, {policy}: cheapest swept quality_target with measured quality ≥ 95% of the best \
                     single model's: {} → measured quality {:.3}, measured {:.1}% saved.",
                    p.target,
                    p.quality,
                    100.0 * (1.0 - p.cost_usd / b.cost_usd.max(1e-300)),
                );
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(policy: &'static str, cost_usd: f64, quality: f64) -> FrontierPoint {
        FrontierPoint { policy, target: 0.0, quality, cost_usd }
    }

    fn report(best_quality: f64, best_cost: f64, frontier: Vec<FrontierPoint>) -> SourceReport {
        SourceReport {
            source: "s".into(),
            cost_basis: "measured".into(),
            fit_prompts: 1,
            eval_prompts: 1,
            incomplete_prompts: 0,
            models: 2,
            refused: vec![],
            best_model: "big".into(),
            cheapest_model: "small".into(),
            rows: vec![Measured::new("best".into(), best_quality, best_cost)],
            frontier,
        }
    }

    #[test]
    fn quality_at_cost_interpolates_between_swept_points_in_cost_order() {
        // Given out of cost order, and with a second policy that must be ignored.
        let f = vec![
            point("per-label", 10.0, 0.9),
            point("per-prompt", 5.0, 0.1),
            point("per-label", 2.0, 0.5),
        ];
        assert_eq!(quality_at_cost(&f, "per-label", 1.0), None, "cheaper than any point");
        assert_eq!(quality_at_cost(&f, "per-label", 2.0), Some(0.5));
        assert!((quality_at_cost(&f, "per-label", 6.0).unwrap() - 0.7).abs() < 1e-12);
        assert_eq!(quality_at_cost(&f, "per-label", 50.0), Some(0.9), "the costliest point's");
        assert_eq!(quality_at_cost(&f, "other", 6.0), None);
    }

    #[test]
    fn summary_of_two_splits_reads_each_frontier_against_its_own_best_model() {
        // Split 1: best 1.0 quality at $10; the frontier goes 0.8 at $1 → 1.0 at $10.
        // Split 2: best 0.5 at $20; 0.5 at $2 already (95% at 10% of the cost).
        let a = report(1.0, 10.0, vec![point("per-label", 1.0, 0.8), point("per-label", 10.0, 1.0)]);
        let b = report(0.5, 20.0, vec![point("per-label", 2.0, 0.5), point("per-label", 20.0, 0.5)]);
        let s = summarize_splits("s", &[0, 1], &[a, b]);
        assert_eq!(s.policies.len(), 1, "no per-prompt points, no per-prompt row");
        let p = &s.policies[0];
        // At 30% of the cost: split 1 0.8 + 0.2 × (3 − 1) / 9, split 2 1.0.
        let q = p.quality[0].clone();
        assert!((q[0].unwrap() - (0.8 + 0.2 * 2.0 / 9.0)).abs() < 1e-12, "{q:?}");
        assert_eq!(q[1], Some(1.0));
        // Split 1 reaches 0.95 at $1 + 9 × 0.15 / 0.2 = $7.75 (22.5% saved); split 2 at $2.
        assert!((p.saving_at_95[0].unwrap() - 0.225).abs() < 1e-12, "{:?}", p.saving_at_95);
        assert!((p.saving_at_95[1].unwrap() - 0.9).abs() < 1e-12);
        // The mean reaches 95% where split 1 reaches 90%: $1 + 9 × 0.1 / 0.2 = $5.5, so at
        // 55% of the cost on the 1% grid: 45% saved.
        assert!((p.saving_at_95_of_mean.unwrap() - 0.45).abs() < 1e-9, "{p:?}");
        let md = s.to_markdown();
        assert!(md.contains("#### s across 2 splits (seeds 0–1; measured)"), "{md}");
        assert!(md.contains("| 45% | 2 of 2: 23%, 90% |"), "{md}");
    }
}
