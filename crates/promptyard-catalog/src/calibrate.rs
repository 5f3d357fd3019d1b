//! Calibration: from measured outcomes to a catalog whose quality numbers are evidence.
//!
//! ```text
//! outcomes ─▶ labels ─▶ per (model, label): n, mean, Wilson interval ─▶ catalog TOML
//!             (given or    prices: base catalog, else least squares on      (+ adequacy file)
//!              classifier)  measured call costs, else the model is refused)
//! ```
//!
//! **Quality.** For model `m` and label `l`, over the prompts of label `l` that `m` answered:
//! `n` answers with scores `s_i ∈ [0, 1]`, mean `p = Σ s_i / n`. The catalog's `quality` is the
//! **lower** bound of the Wilson score interval at one-sided 95% (`z = 1.645`):
//!
//! ```text
//! lower = (p + z²/2n − z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n)
//! ```
//!
//! so a model seen on 12 prompts is ranked as if it were somewhat worse than its mean, and
//! cannot beat one seen on 1,200 by luck. A label a model never answered gets quality 0. The
//! mean, the interval and `n` are written next to each number (comment and `quality_source`).
//!
//! **Prices.** From the base catalog when the model is there (matched through
//! [`ModelMap::resolve`]); otherwise fitted to the measured call costs as
//! `cost ≈ a·in_tokens + b·out_tokens`, tokens ≈ chars / 4, by non-negative least squares
//! ([`fit_prices`]); a model with neither is refused ([`Calibration::refused`]).
//!
//! **Per-prompt adequacy** (optional): one logistic regression per model on the classifier's
//! hashed features ([`train_adequacy`]), written next to the catalog.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use promptyard::adequacy::{Adequacy, AdequacyFeaturizer, AdequacyScratch};
use promptyard::catalog::Catalog;
use promptyard::features::FeaturizerConfig;
use promptyard::{Classifier, Label, Probs, NUM_LABELS};

use crate::error::{Error, Result};
use crate::outcomes::{ModelMap, Outcomes};

/// z of a one-sided 95% bound.
pub const Z_95: f64 = 1.645;

/// Where each prompt's label comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelSource {
    /// The log's `label` field where present, else the classifier.
    Auto,
    /// The log's `label` field only; prompts without one are skipped.
    Given,
    /// The bundled (or given) classifier, ignoring the log's labels.
    Classifier,
}

/// Each prompt's label and label probabilities (one-hot for a given label), or why it was
/// skipped.
#[derive(Clone, Debug, Default)]
pub struct Labelling {
    /// Per prompt (indexed like [`Outcomes::prompts`]): label probabilities, `None` if skipped.
    pub probs: Vec<Option<Probs>>,
    /// Skipped prompts by reason.
    pub skipped: BTreeMap<String, usize>,
}

/// Labels every prompt of `outcomes`.
pub fn label_prompts(outcomes: &Outcomes, classifier: &Classifier, mode: LabelSource) -> Labelling {
    let mut out = Labelling::default();
    for p in &outcomes.prompts {
        let given = p.label.as_deref().filter(|_| mode != LabelSource::Classifier);
        let probs = match (given, mode) {
            (Some(l), _) => match l.parse::<Label>() {
                Ok(l) => {
                    let mut probs = [0.0; NUM_LABELS];
                    probs[l.index()] = 1.0;
                    Some(probs)
                }
                Err(_) => {
                    *out.skipped
                        .entry(format!("label {l:?} is not one this build routes"))
                        .or_default() += 1;
                    None
                }
            },
            (None, LabelSource::Given) => {
                *out.skipped.entry("no label given".into()).or_default() += 1;
                None
            }
            (None, _) => Some(classifier.predict(&p.text)),
        };
        out.probs.push(probs);
    }
    out
}

/// Measured quality of one model on one label.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LabelFit {
    /// Answers seen.
    pub n: usize,
    /// Mean score (0 when `n == 0`).
    pub mean: f64,
    /// Wilson lower bound (what the catalog's `quality` is).
    pub lower: f64,
    /// Wilson upper bound.
    pub upper: f64,
}

/// Wilson score interval of `successes` (a sum of scores in 0..=1) out of `n`, at `z`.
pub fn wilson(successes: f64, n: usize, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let n = n as f64;
    let p = successes / n;
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    let d = 1.0 + z2 / n;
    (((centre - half) / d).max(0.0), ((centre + half) / d).min(1.0))
}

/// Non-negative least squares fit of `cost ≈ a·x + b·y` over `(cost, x, y)` rows; `None` with
/// fewer than two rows. Tries the unconstrained 2-variable solution, then each variable alone
/// (clamped at 0), and keeps the feasible fit with the smallest squared error.
pub fn fit_prices(rows: &[(f64, f64, f64)]) -> Option<(f64, f64)> {
    if rows.len() < 2 {
        return None;
    }
    let (mut sxx, mut sxy, mut syy, mut sxc, mut syc) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(c, x, y) in rows {
        sxx += x * x;
        sxy += x * y;
        syy += y * y;
        sxc += x * c;
        syc += y * c;
    }
    let sse = |a: f64, b: f64| -> f64 {
        rows.iter()
            .map(|&(c, x, y)| (c - a * x - b * y).powi(2))
            .sum()
    };
    let mut cands = vec![(0.0, 0.0)];
    if sxx > 0.0 {
        cands.push(((sxc / sxx).max(0.0), 0.0));
    }
    if syy > 0.0 {
        cands.push((0.0, (syc / syy).max(0.0)));
    }
    let det = sxx * syy - sxy * sxy;
    if det.abs() > 1e-12 * (sxx * syy).max(f64::MIN_POSITIVE) {
        let a = (sxc * syy - syc * sxy) / det;
        let b = (syc * sxx - sxc * sxy) / det;
        if a >= 0.0 && b >= 0.0 {
            cands.push((a, b));
        }
    }
    cands
        .into_iter()
        .min_by(|p, q| sse(p.0, p.1).total_cmp(&sse(q.0, q.1)))
}

/// Settings of a calibration run.
#[derive(Clone, Debug)]
pub struct CalibrateOptions {
    /// Written as `[policy] quality_target` (None: not written).
    pub quality_target: Option<f64>,
    /// z of the quality bound ([`Z_95`]).
    pub z: f64,
    /// Date written into the provenance, `YYYY-MM-DD`.
    pub date: String,
    /// Where the outcomes came from (written into the provenance).
    pub origin: String,
    /// Context window written for a model the base catalog does not know.
    pub default_context_tokens: u64,
    /// Written as `[policy] adequacy_weight` with the per-prompt model (None: not written, the
    /// model alone). 0.3: over ten fit/evaluation splits of the RouterBench outcomes, 0.2–0.3
    /// kept the most quality at equal cost (the model alone: 35% saved at 95% of the best
    /// model's quality; per-label quality alone: 62%, with two targets; 0.3: 65%; measured,
    /// `benchmarks/ECONOMICS.md`).
    pub adequacy_weight: Option<f64>,
}

impl Default for CalibrateOptions {
    fn default() -> Self {
        CalibrateOptions {
            quality_target: Some(0.95),
            z: Z_95,
            date: "1970-01-01".into(),
            origin: "outcomes".into(),
            default_context_tokens: 128_000,
            adequacy_weight: Some(0.3),
        }
    }
}

/// One calibrated model.
#[derive(Clone, Debug)]
pub struct ModelFit {
    /// Catalog id (the outcome name, or what the map / base catalog resolved it to).
    pub id: String,
    /// `source/name` pairs pooled into this id.
    pub names: Vec<String>,
    /// Quality per label, indexed like [`Label::ALL`].
    pub quality: [LabelFit; NUM_LABELS],
    /// Input price, USD per million tokens.
    pub input_usd_per_mtok: f64,
    /// Output price, USD per million tokens.
    pub output_usd_per_mtok: f64,
    /// Where the prices came from.
    pub prices_source: String,
    /// Provider (base catalog's, else the first source's name).
    pub provider: String,
    /// The base catalog's api_id, if any.
    pub api_id: Option<String>,
    /// Context window in tokens.
    pub context_tokens: u64,
}

/// The result of [`calibrate`]: the models and what was refused or skipped.
#[derive(Clone, Debug)]
pub struct Calibration {
    /// Calibrated models, sorted by id.
    pub models: Vec<ModelFit>,
    /// Models left out, with the reason (`id`, message).
    pub refused: Vec<(String, String)>,
    /// Output tokens per label: mean measured `out_chars / 4`, else the base's, else 500.
    pub expected_output_tokens: [u64; NUM_LABELS],
    /// Outcome rows used.
    pub rows_used: usize,
    /// Sources fitted on.
    pub sources: Vec<String>,
}

/// Fits per-label quality and prices on the prompts with `use_prompt[i]` and a label.
pub fn calibrate(
    outcomes: &Outcomes,
    labels: &Labelling,
    use_prompt: &[bool],
    base: Option<&Catalog>,
    map: &ModelMap,
    opts: &CalibrateOptions,
) -> Result<Calibration> {
    struct Acc {
        names: Vec<String>,
        sum: [f64; NUM_LABELS],
        n: [usize; NUM_LABELS],
        costs: Vec<(f64, f64, f64)>,
        first_source: String,
    }
    let mut accs: BTreeMap<String, Acc> = BTreeMap::new();
    let mut out_chars = [(0.0f64, 0usize); NUM_LABELS];
    let mut rows_used = 0;
    let mut sources = Vec::new();
    for r in &outcomes.rows {
        let p = &outcomes.prompts[r.prompt];
        let (true, Some(probs)) = (use_prompt[r.prompt], labels.probs[r.prompt]) else {
            continue;
        };
        let l = Label::argmax(&probs).index();
        let id = map.resolve(&p.source, &r.model, base);
        let acc = accs.entry(id).or_insert_with(|| Acc {
            names: Vec::new(),
            sum: [0.0; NUM_LABELS],
            n: [0; NUM_LABELS],
            costs: Vec::new(),
            first_source: p.source.clone(),
        });
        let name = format!("{}/{}", p.source, r.model);
        if !acc.names.contains(&name) {
            acc.names.push(name);
        }
        acc.sum[l] += r.score;
        acc.n[l] += 1;
        if let (Some(c), Some(i), Some(o)) = (r.cost_usd, r.in_chars, r.out_chars) {
            acc.costs.push((c, i as f64 / 4.0 / 1e6, o as f64 / 4.0 / 1e6));
        }
        if let Some(o) = r.out_chars {
            out_chars[l].0 += o as f64 / 4.0;
            out_chars[l].1 += 1;
        }
        if !sources.contains(&p.source) {
            sources.push(p.source.clone());
        }
        rows_used += 1;
    }
    sources.sort();
    let mut models = Vec::new();
    let mut refused = Vec::new();
    for (id, acc) in accs {
        let quality = std::array::from_fn(|l| {
            let (lower, upper) = wilson(acc.sum[l], acc.n[l], opts.z);
            LabelFit {
                n: acc.n[l],
                mean: if acc.n[l] > 0 { acc.sum[l] / acc.n[l] as f64 } else { 0.0 },
                lower: if acc.n[l] > 0 { lower } else { 0.0 },
                upper,
            }
        });
        let in_base = base.and_then(|b| b.model(&id));
        let (input, output, prices_source) = if let Some(m) = in_base {
            let src = m.prices_source.clone().unwrap_or_else(|| "base catalog".into());
            (m.input_usd_per_mtok, m.output_usd_per_mtok, format!("base catalog: {src}"))
        } else if let Some((a, b)) = fit_prices(&acc.costs) {
            (
                a,
                b,
                format!(
                    "derived {}: least squares on {} measured call costs (tokens ≈ chars / 4)",
                    opts.date,
                    acc.costs.len()
                ),
            )
        } else {
            refused.push((
                id.clone(),
                format!(
                    "no prices: not in the base catalog (map its name with --map or add it) and \
                     fewer than 2 outcome rows with cost_usd, in_chars and out_chars ({} found) \
                     (names: {})",
                    acc.costs.len(),
                    acc.names.join(", ")
                ),
            ));
            continue;
        };
        models.push(ModelFit {
            provider: in_base.map_or_else(|| acc.first_source.clone(), |m| m.provider.clone()),
            api_id: in_base.and_then(|m| m.api_id.clone()),
            context_tokens: in_base.map_or(opts.default_context_tokens, |m| m.context_tokens),
            id,
            names: acc.names,
            quality,
            input_usd_per_mtok: input,
            output_usd_per_mtok: output,
            prices_source,
        });
    }
    if models.is_empty() {
        let why = refused
            .first()
            .map_or("no outcome rows with a routable label".to_string(), |(id, m)| {
                format!("every model was refused, e.g. {id}: {m}")
            });
        return Err(Error::Calibrate(why));
    }
    let expected_output_tokens = std::array::from_fn(|l| {
        if out_chars[l].1 > 0 {
            (out_chars[l].0 / out_chars[l].1 as f64).round().max(1.0) as u64
        } else {
            base.map_or(500, |b| b.settings().expected_output_tokens[l])
        }
    });
    Ok(Calibration {
        models,
        refused,
        expected_output_tokens,
        rows_used,
        sources,
    })
}

/// TOML string literal.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

impl Calibration {
    /// The catalog TOML: loads with [`Catalog::parse`] as is. `adequacy` names an adequacy
    /// file next to it.
    pub fn to_toml(&self, opts: &CalibrateOptions, adequacy: Option<&str>) -> String {
        let mut s = String::new();
        let labels = |f: &dyn Fn(Label) -> String| {
            Label::ALL
                .map(|l| format!("{l} = {}", f(l)))
                .join(", ")
        };
        let _ = writeln!(
            s,
            "# Calibrated by `promptyard calibrate` on {} from {} (sources: {}; {} outcome rows).\n\
             # quality = lower bound of the Wilson score interval (one-sided 95%, z = {}) of the\n\
             # mean measured score per label: the number decisions use. n, mean and the interval\n\
             # are in each model's comment and quality_source. A label a model never answered: 0.",
            opts.date,
            opts.origin,
            self.sources.join(", "),
            self.rows_used,
            opts.z
        );
        let _ = writeln!(s, "\n[policy]");
        let _ = writeln!(
            s,
            "# Absolute floors do not carry across task sets: relative target below instead.\n\
             min_quality = {{ {} }}",
            labels(&|_| "0.0".into())
        );
        let eot = self.expected_output_tokens;
        let _ = writeln!(
            s,
            "# mean measured output chars / 4 where known\nexpected_output_tokens = {{ {} }}",
            labels(&|l| eot[l.index()].to_string())
        );
        let _ = writeln!(s, "plausible_label_floor = 0.2");
        if let Some(t) = opts.quality_target {
            let _ = writeln!(s, "quality_target = {t}");
        }
        if let Some(a) = adequacy {
            let _ = writeln!(s, "# per-prompt success model (promptyard calibrate)\nadequacy = {}", q(a));
            if let Some(w) = opts.adequacy_weight {
                let _ = writeln!(
                    s,
                    "# its share of a model's success; the rest is the model's per-label quality\n\
                     adequacy_weight = {w}"
                );
            }
        }
        for m in &self.models {
            let _ = writeln!(s, "\n[[model]]");
            for (l, f) in Label::ALL.iter().zip(&m.quality) {
                let _ = writeln!(
                    s,
                    "# {l}: n = {}, mean {:.4}, 90% interval [{:.4}, {:.4}]",
                    f.n, f.mean, f.lower, f.upper
                );
            }
            let _ = writeln!(s, "id = {}", q(&m.id));
            let _ = writeln!(s, "provider = {}", q(&m.provider));
            if let Some(a) = &m.api_id {
                let _ = writeln!(s, "api_id = {}", q(a));
            }
            let _ = writeln!(s, "input_usd_per_mtok = {:?}", m.input_usd_per_mtok);
            let _ = writeln!(s, "output_usd_per_mtok = {:?}", m.output_usd_per_mtok);
            let _ = writeln!(s, "context_tokens = {}", m.context_tokens);
            let _ = writeln!(
                s,
                "quality = {{ {} }}",
                labels(&|l| format!("{:.4}", floor4(m.quality[l.index()].lower)))
            );
            let fits: Vec<String> = Label::ALL
                .iter()
                .zip(&m.quality)
                .filter(|(_, f)| f.n > 0)
                .map(|(l, f)| {
                    format!("{l} n={} mean {:.3} [{:.3}, {:.3}]", f.n, f.mean, f.lower, f.upper)
                })
                .collect();
            let _ = writeln!(
                s,
                "quality_source = {}",
                q(&format!(
                    "measured {} ({}): {}; quality = Wilson lower bound",
                    opts.date,
                    m.names.join(", "),
                    fits.join("; ")
                ))
            );
            let _ = writeln!(s, "prices_source = {}", q(&m.prices_source));
        }
        s
    }
}

/// Rounds down to 4 decimals, so the written quality never exceeds the lower bound.
fn floor4(x: f64) -> f64 {
    (x * 1e4).floor() / 1e4
}

/// Settings of [`train_adequacy`].
#[derive(Clone, Debug)]
pub struct AdequacyOptions {
    /// Hash buckets of the adequacy model's featurizer (a power of two).
    pub buckets: u32,
    /// Bytes of a long prompt's start and end the adequacy model reads, when more than the
    /// classifier's ([`Adequacy::with_rest_budget`]); `None` (the default) reads just what the
    /// classifier reads, so the router featurizes a prompt once. On RouterBench outcomes,
    /// over ten split seeds, 2,048 + 512 kept 1.0 point less of the best model's quality at
    /// equal cost than the classifier's 512 + 256 (mean over 30–80% of its cost; measured,
    /// `benchmarks/ECONOMICS.md`) and routed 2–3x slower at ~200 words.
    pub budget: Option<(u32, u32)>,
    /// Passes over the data.
    pub epochs: usize,
    /// SGD step size.
    pub learning_rate: f32,
    /// L2 penalty per step on the rows a prompt touches.
    pub l2: f32,
    /// Shuffling seed.
    pub seed: u64,
}

impl Default for AdequacyOptions {
    fn default() -> Self {
        AdequacyOptions {
            buckets: 1 << 12,
            budget: None,
            epochs: 10,
            learning_rate: 0.5,
            l2: 1e-3,
            seed: 17,
        }
    }
}

/// Trains the per-prompt adequacy model: for each model id of `models`, a logistic regression
/// of the outcome score (as a soft target) on the prompts with `use_prompt[i]`, over the
/// classifier's featurizer settings with `opts.buckets` buckets and `opts.budget` (formula in
/// [`promptyard::adequacy`]). `model_of_row[r]` is the catalog id of row `r`, or `None` to skip
/// the row. Deterministic for equal inputs.
pub fn train_adequacy(
    outcomes: &Outcomes,
    use_prompt: &[bool],
    model_of_row: &[Option<&str>],
    models: &[String],
    base_cfg: &FeaturizerConfig,
    opts: &AdequacyOptions,
) -> Result<Adequacy> {
    let cfg = FeaturizerConfig {
        buckets: opts.buckets,
        ..base_cfg.clone()
    };
    // The classifier's budget, widened (never narrowed) to `opts.budget`.
    let (head, tail) = opts.budget.map_or((cfg.head_bytes, cfg.tail_bytes), |(h, t)| {
        (h.max(cfg.head_bytes), t.max(cfg.tail_bytes))
    });
    let featurizer = AdequacyFeaturizer::new(cfg.clone(), Some((head, tail)))?;
    let col: HashMap<&str, usize> = models.iter().enumerate().map(|(i, m)| (m.as_str(), i)).collect();
    let m = models.len();
    // Per prompt used: its (column, score) targets.
    let mut targets: HashMap<usize, Vec<(usize, f32)>> = HashMap::new();
    let mut sum = vec![0.0f64; m];
    let mut cnt = vec![0usize; m];
    for (r, row) in outcomes.rows.iter().enumerate() {
        let Some(&c) = model_of_row[r].and_then(|id| col.get(id)) else { continue };
        if !use_prompt[row.prompt] {
            continue;
        }
        targets.entry(row.prompt).or_default().push((c, row.score as f32));
        sum[c] += row.score;
        cnt[c] += 1;
    }
    let mut prompts: Vec<usize> = targets.keys().copied().collect();
    prompts.sort_unstable();
    let mut scratch = AdequacyScratch::default();
    let feats: Vec<Vec<u32>> = prompts
        .iter()
        .map(|&p| featurizer.featurize(&outcomes.prompts[p].text, &mut scratch).to_vec())
        .collect();
    let mut bias: Vec<f32> = (0..m)
        .map(|c| {
            let p = ((sum[c] + 0.5) / (cnt[c] as f64 + 1.0)).clamp(1e-3, 1.0 - 1e-3);
            (p / (1.0 - p)).ln() as f32
        })
        .collect();
    let mut weight = vec![0.0f32; cfg.buckets as usize * m];
    let mut order: Vec<usize> = (0..prompts.len()).collect();
    let mut rng = opts.seed | 1;
    let mut z = vec![0.0f32; m];
    let mut g = vec![0.0f32; m];
    for _ in 0..opts.epochs {
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        for &k in &order {
            let ids = &feats[k];
            let scale = if ids.is_empty() { 0.0 } else { 1.0 / (ids.len() as f32).sqrt() };
            z.copy_from_slice(&bias);
            for &b in ids {
                let row = &weight[b as usize * m..(b as usize + 1) * m];
                for (zz, w) in z.iter_mut().zip(row) {
                    *zz += w * scale;
                }
            }
            g.iter_mut().for_each(|x| *x = 0.0);
            for &(c, y) in &targets[&prompts[k]] {
                let p = 1.0 / (1.0 + (-z[c]).exp());
                g[c] = p - y;
                bias[c] -= opts.learning_rate * g[c] * 0.1;
            }
            for &b in ids {
                let row = &mut weight[b as usize * m..(b as usize + 1) * m];
                for (w, gc) in row.iter_mut().zip(&g) {
                    if *gc != 0.0 {
                        *w -= opts.learning_rate * (gc * scale + opts.l2 * *w);
                    }
                }
            }
        }
    }
    Ok(Adequacy::new(cfg, models.to_vec(), weight, bias)?.with_rest_budget(head, tail)?)
}
