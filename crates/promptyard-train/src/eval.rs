//! Scoring a classifier on labelled records: accuracy, macro-F1, per-label precision /
//! recall / F1, the confusion matrix, expected calibration error (of the top probability, and
//! class-wise per label) and per-source accuracy;
//! plus leave-one-source-out evaluation, the measure of generalisation to unseen sources.
//!
//! ```
//! use promptyard_train::eval::Metrics;
//! use promptyard::Label::*;
//! let m = Metrics::compute(
//!     &[Planning, Reasoning],
//!     &[[0.8, 0.1, 0.1, 0.0], [0.6, 0.3, 0.1, 0.0]],
//!     &["a", "b"],
//! );
//! assert_eq!(m.accuracy, 0.5);
//! assert_eq!(m.per_source["b"].accuracy, 0.0);
//! ```

use std::collections::BTreeMap;

use candle_core::Device;
use rayon::prelude::*;
use serde::Serialize;

use crate::data::Record;
use crate::train::{fit_short_scale, train, Progress, TrainOptions};
use crate::Result;
use promptyard::classifier::Classifier;
use promptyard::label::{Label, Probs, NUM_LABELS};

/// Bins of the expected calibration error.
pub const ECE_BINS: usize = 15;

/// Precision, recall and F1 of one label.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelMetrics {
    /// The label scored.
    pub label: Label,
    /// Of the records predicted as this label, the share that carry it (0 when none).
    pub precision: f64,
    /// Of the records that carry this label, the share predicted as it (0 when none).
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
    /// Gold examples of this label.
    pub support: usize,
    /// Class-wise calibration error of this label's probability over all records:
    /// `Σ_bins (n_b / n) · |mean p_label − share of gold = label|` over [`ECE_BINS`]
    /// equal-width bins of `p_label`. 0 when the label's probabilities mean what they say.
    pub ece: f64,
}

/// Accuracy on the records of one source.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceMetrics {
    /// Records of the source.
    pub n: usize,
    /// Share of them classified correctly.
    pub accuracy: f64,
    /// Mean top probability on them (beside `accuracy`: a source where the model is sure
    /// more often than right is one it reads wrongly with confidence).
    pub confidence: f64,
}

/// Everything `promptyard eval` reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metrics {
    /// Records scored.
    pub n: usize,
    /// Share of records whose top label is the gold one.
    pub accuracy: f64,
    /// Unweighted mean of the per-label F1 over labels present in gold or predictions.
    pub macro_f1: f64,
    /// Precision, recall and F1 of each label, in [`Label::ALL`] order.
    pub per_label: Vec<LabelMetrics>,
    /// `confusion[gold][predicted]`, in [`Label::ALL`] order.
    pub confusion: [[usize; NUM_LABELS]; NUM_LABELS],
    /// Expected calibration error of the top probability over [`ECE_BINS`] equal-width bins.
    pub ece: f64,
    /// Mean top probability: beside `accuracy`, how sure the model is against how often it
    /// is right (on unseen sources the gap is the overconfidence, `docs/classifier.md`).
    pub confidence: f64,
    /// Mean negative log-likelihood of the gold label.
    pub nll: f64,
    /// Accuracy per source (per whatever grouping the caller passed as `sources`).
    pub per_source: BTreeMap<String, SourceMetrics>,
}

impl Metrics {
    /// Scores predicted probabilities against gold labels; `sources[i]` names record `i`'s source.
    pub fn compute(gold: &[Label], probs: &[Probs], sources: &[&str]) -> Metrics {
        let n = gold.len().min(probs.len());
        let mut confusion = [[0usize; NUM_LABELS]; NUM_LABELS];
        let mut bins = [(0usize, 0f64, 0f64); ECE_BINS];
        let mut label_bins = [[(0usize, 0f64, 0f64); ECE_BINS]; NUM_LABELS];
        let mut nll = 0.0;
        let mut conf_sum = 0.0;
        let mut per_source: BTreeMap<String, (usize, usize, f64)> = BTreeMap::new();
        for i in 0..n {
            let pred = Label::argmax(&probs[i]);
            confusion[gold[i].index()][pred.index()] += 1;
            let conf = f64::from(probs[i][pred.index()]);
            conf_sum += conf;
            let bin = ((conf * ECE_BINS as f64) as usize).min(ECE_BINS - 1);
            let hit = f64::from(u8::from(pred == gold[i]));
            bins[bin].0 += 1;
            bins[bin].1 += conf;
            bins[bin].2 += hit;
            for (k, lb) in label_bins.iter_mut().enumerate() {
                let p = f64::from(probs[i][k]);
                let b = ((p * ECE_BINS as f64) as usize).min(ECE_BINS - 1);
                lb[b].0 += 1;
                lb[b].1 += p;
                lb[b].2 += f64::from(u8::from(gold[i].index() == k));
            }
            nll -= f64::from(probs[i][gold[i].index()]).max(1e-12).ln();
            if let Some(s) = sources.get(i) {
                let e = per_source.entry((*s).to_string()).or_default();
                e.0 += 1;
                e.1 += usize::from(pred == gold[i]);
                e.2 += conf;
            }
        }
        let binned_error = |bins: &[(usize, f64, f64)]| -> f64 {
            bins.iter()
                .filter(|b| b.0 > 0)
                .map(|b| (b.1 - b.2).abs() / n as f64)
                .sum()
        };
        let correct: usize = (0..NUM_LABELS).map(|k| confusion[k][k]).sum();
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let ratio_f = |a: f64, b: usize| if b == 0 { 0.0 } else { a / b as f64 };
        let per_label: Vec<LabelMetrics> = Label::ALL
            .iter()
            .map(|&l| {
                let k = l.index();
                let tp = confusion[k][k];
                let support: usize = confusion[k].iter().sum();
                let predicted: usize = (0..NUM_LABELS).map(|g| confusion[g][k]).sum();
                let (precision, recall) = (ratio(tp, predicted), ratio(tp, support));
                let f1 = if precision + recall == 0.0 {
                    0.0
                } else {
                    2.0 * precision * recall / (precision + recall)
                };
                LabelMetrics {
                    label: l,
                    precision,
                    recall,
                    f1,
                    support,
                    ece: binned_error(&label_bins[k]),
                }
            })
            .collect();
        let present: Vec<&LabelMetrics> = per_label
            .iter()
            .filter(|m| m.support > 0 || (0..NUM_LABELS).any(|g| confusion[g][m.label.index()] > 0))
            .collect();
        let macro_f1 = if present.is_empty() {
            0.0
        } else {
            present.iter().map(|m| m.f1).sum::<f64>() / present.len() as f64
        };
        let ece = binned_error(&bins);
        Metrics {
            n,
            accuracy: ratio(correct, n),
            macro_f1,
            per_label,
            confusion,
            ece,
            confidence: ratio_f(conf_sum, n),
            nll: ratio_f(nll, n),
            per_source: per_source
                .into_iter()
                .map(|(s, (n, c, conf))| {
                    (
                        s,
                        SourceMetrics {
                            n,
                            accuracy: ratio(c, n),
                            confidence: ratio_f(conf, n),
                        },
                    )
                })
                .collect(),
        }
    }
}

/// Probabilities for every record through the single-prompt path, in parallel over rayon's pool.
pub fn predict_all(clf: &Classifier, records: &[Record]) -> Vec<Probs> {
    records.par_iter().map(|r| clf.predict(&r.text)).collect()
}

/// Scores `clf` on `records` with the single-prompt path, in parallel over rayon's pool.
pub fn evaluate(clf: &Classifier, records: &[Record]) -> Metrics {
    let probs = predict_all(clf, records);
    let gold: Vec<Label> = records.iter().map(|r| r.label).collect();
    let sources: Vec<&str> = records.iter().map(|r| r.source.as_str()).collect();
    Metrics::compute(&gold, &probs, &sources)
}

/// One row of the leave-one-source-out table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LosoRow {
    /// The held-out source.
    pub source: String,
    /// Its records (from every split), all unseen in training.
    pub n: usize,
    /// Accuracy on them of a model trained without the source.
    pub accuracy: f64,
    /// Its mean top probability on them: above `accuracy`, it is overconfident on a source
    /// it never saw.
    pub confidence: f64,
    /// Expected calibration error of its top probability on them ([`Metrics::ece`]).
    pub ece: f64,
    /// Mean negative log-likelihood of the gold labels.
    pub nll: f64,
    /// The label(s) the source carries, most frequent first.
    pub labels: Vec<Label>,
}

/// One fold of a leave-one-source-out run: the held-out source, what was trained on, and
/// the fast classifier trained without it. Every index is into `train_set ++ valid ++ test`.
pub struct LosoFold<'a> {
    /// The held-out source.
    pub source: &'a str,
    /// The training records trained on (every source but this one).
    pub train: Vec<usize>,
    /// The validation records calibrated on.
    pub valid: Vec<usize>,
    /// The held-out records, from all three splits.
    pub held_out: Vec<usize>,
    /// The classifier trained on `train` and calibrated on `valid`.
    pub classifier: Classifier,
}

/// Runs `fold` for every source S in `train ∪ valid ∪ test` with a classifier trained on
/// `train` minus S (calibrated on `valid` minus S, and short-prompt tempered on `short` as
/// `train` does: [`fit_short_scale`]); the building block of [`leave_one_source_out`] and of
/// the cascade's LOSO, which reuse the same folds.
#[allow(clippy::too_many_arguments)]
pub fn for_each_loso_fold(
    train_set: &[Record],
    valid: &[Record],
    test: &[Record],
    short: &[Record],
    opts: &TrainOptions,
    device: &Device,
    on_fold: &mut dyn FnMut(usize, usize, &str),
    on_progress: &mut dyn FnMut(&Progress),
    fold: &mut dyn FnMut(LosoFold<'_>) -> Result<()>,
) -> Result<()> {
    let all: Vec<&Record> = train_set.iter().chain(valid).chain(test).collect();
    let mut sources: Vec<&str> = all.iter().map(|r| r.source.as_str()).collect();
    sources.sort_unstable();
    sources.dedup();
    let (n_train, n_valid) = (train_set.len(), valid.len());
    for (i, &held) in sources.iter().enumerate() {
        on_fold(i, sources.len(), held);
        let of = |range: std::ops::Range<usize>, of_held: bool| -> Vec<usize> {
            range.filter(|&k| (all[k].source == held) == of_held).collect()
        };
        let tr_idx = of(0..n_train, false);
        let va_idx = of(n_train..n_train + n_valid, false);
        let held_out = of(0..all.len(), true);
        let records =
            |idx: &[usize]| -> Vec<Record> { idx.iter().map(|&k| all[k].clone()).collect() };
        let (tr, va) = (records(&tr_idx), records(&va_idx));
        let mut file = train(&tr, &va, opts, device, on_progress)?;
        fit_short_scale(&mut file, &va, short, on_progress)?;
        let classifier = Classifier::from_file(&file, std::path::Path::new("<in memory>"))?;
        fold(LosoFold {
            source: held,
            train: tr_idx,
            valid: va_idx,
            held_out,
            classifier,
        })?;
    }
    Ok(())
}

/// The labels of `records`, most frequent first.
pub fn labels_by_frequency<'a>(records: impl IntoIterator<Item = &'a Record>) -> Vec<Label> {
    let mut counts = [0usize; NUM_LABELS];
    for r in records {
        counts[r.label.index()] += 1;
    }
    let mut labels: Vec<Label> = Label::ALL
        .iter()
        .copied()
        .filter(|l| counts[l.index()] > 0)
        .collect();
    labels.sort_by_key(|l| std::cmp::Reverse(counts[l.index()]));
    labels
}

/// Leave-one-source-out: for every source S in `train ∪ valid ∪ test`, trains on `train`
/// minus S (calibrating on `valid` minus S, tempering on `short`) and scores all of S's
/// records. `on_fold(i, folds, source)` is called before each fold; `on_progress` gets
/// training progress.
#[allow(clippy::too_many_arguments)]
pub fn leave_one_source_out(
    train_set: &[Record],
    valid: &[Record],
    test: &[Record],
    short: &[Record],
    opts: &TrainOptions,
    device: &Device,
    on_fold: &mut dyn FnMut(usize, usize, &str),
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<Vec<LosoRow>> {
    let all: Vec<&Record> = train_set.iter().chain(valid).chain(test).collect();
    let mut rows = Vec::new();
    for_each_loso_fold(
        train_set,
        valid,
        test,
        short,
        opts,
        device,
        on_fold,
        on_progress,
        &mut |f| {
            let held_out: Vec<Record> = f.held_out.iter().map(|&k| all[k].clone()).collect();
            let m = evaluate(&f.classifier, &held_out);
            rows.push(LosoRow {
                source: f.source.to_string(),
                n: held_out.len(),
                accuracy: m.accuracy,
                confidence: m.confidence,
                ece: m.ece,
                nll: m.nll,
                labels: labels_by_frequency(&held_out),
            });
            Ok(())
        },
    )?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Label::*;

    #[test]
    fn metrics_match_hand_computation() {
        // gold:  P P R C ; pred: P R R P
        let gold = [Planning, Planning, Reasoning, CodeCompletion];
        let probs = [
            [0.9, 0.05, 0.05, 0.0],
            [0.3, 0.6, 0.1, 0.0],
            [0.2, 0.7, 0.1, 0.0],
            [0.5, 0.2, 0.3, 0.0],
        ];
        let m = Metrics::compute(&gold, &probs, &["x", "x", "y", "y"]);
        assert_eq!(m.accuracy, 0.5);
        assert_eq!(m.confusion[0], [1, 1, 0, 0]);
        assert_eq!(m.confusion[2], [1, 0, 0, 0]);
        // planning P=1/2 R=1/2 F1=0.5; reasoning P=1/2 R=1 F1=2/3; code F1=0.
        assert!((m.macro_f1 - (0.5 + 2.0 / 3.0 + 0.0) / 3.0).abs() < 1e-12);
        // ECE: bins 0.9→hit, 0.6→miss, 0.7→hit, 0.5→miss: (0.1 + 0.6 + 0.3 + 0.5) / 4.
        assert!(
            (m.ece - (0.1 + 0.6 + 0.3 + 0.5) / 4.0).abs() < 1e-6,
            "{}",
            m.ece
        );
        // Class-wise ECE of planning: p = 0.9, 0.3, 0.2, 0.5 fall in four bins, gold planning
        // 1, 1, 0, 0: (|0.9 - 1| + |0.3 - 1| + |0.2 - 0| + |0.5 - 0|) / 4 = 0.375.
        assert!(
            (m.per_label[0].ece - 0.375).abs() < 1e-6,
            "{}",
            m.per_label[0].ece
        );
        // `other`: p = 0 everywhere and never gold: perfectly calibrated.
        assert_eq!(m.per_label[3].ece, 0.0);
        // Mean top probability (0.9 + 0.6 + 0.7 + 0.5) / 4, against accuracy 0.5.
        assert!((m.confidence - 0.675).abs() < 1e-6, "{}", m.confidence);
        assert_eq!(
            m.per_source["x"],
            SourceMetrics {
                n: 2,
                accuracy: 0.5,
                // (0.9 + 0.6) / 2
                confidence: 0.75
            }
        );
    }

    #[test]
    fn empty_input_gives_zeros_not_nan() {
        let m = Metrics::compute(&[], &[], &[]);
        assert_eq!((m.n, m.accuracy, m.macro_f1, m.ece), (0, 0.0, 0.0, 0.0));
        assert_eq!((m.confidence, m.nll), (0.0, 0.0));
    }

    /// LOSO folds are trained as `train` trains the shipped model: with the short-prompt
    /// tempering fitted when short prompts are given, and without it otherwise.
    #[test]
    fn loso_folds_fit_short_prompt_tempering_like_train() {
        let words = [
            "plan the schedule",
            "why is it so",
            "def f return",
            "hello thanks",
        ];
        let (mut tr, mut va) = (Vec::new(), Vec::new());
        for i in 0..48 {
            let label = Label::ALL[i % NUM_LABELS];
            let r = Record {
                id: format!("r{i}"),
                text: format!("{} number {i}", words[label.index()]),
                label,
                source: format!("s{}", i % 2),
                canary: None,
            };
            if i % 4 == 3 {
                va.push(r)
            } else {
                tr.push(r)
            }
        }
        let short: Vec<Record> = ["hi", "why", "plan", "def"]
            .iter()
            .zip([Other, Reasoning, Planning, CodeCompletion])
            .map(|(t, label)| Record {
                id: format!("short-{t}"),
                text: t.to_string(),
                label,
                source: "short".into(),
                canary: None,
            })
            .collect();
        let opts = TrainOptions {
            epochs: 2,
            ..TrainOptions::default()
        };
        for short in [&short[..], &[]] {
            let mut folds = 0;
            for_each_loso_fold(
                &tr,
                &va,
                &[],
                short,
                &opts,
                &Device::Cpu,
                &mut |_, _, _| {},
                &mut |_| {},
                &mut |f| {
                    folds += 1;
                    let info = f.classifier.config().training.as_ref().unwrap();
                    assert_eq!(
                        info.metrics.contains_key("short_scale"),
                        !short.is_empty(),
                        "fold {}",
                        f.source
                    );
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!(folds, 2);
        }
    }
}
