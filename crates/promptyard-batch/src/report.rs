//! The cost report: what routing a labelled log cost against sending every prompt to one
//! baseline model ("what would routing have saved us last quarter?").
//!
//! For each labelled record (output of [`run`](crate::run)):
//!
//! - routed cost = the record's `est_cost_usd` (the chosen model at list prices);
//! - baseline cost = the same token estimate (`input_tokens`, `output_tokens`) priced at the
//!   baseline model: `(input_tokens × input_price + output_tokens × output_price) / 10⁶`;
//! - modelled quality = the catalog quality of the chosen model for the record's label,
//!   against the baseline model's quality for that label ([`QualityKind::Modelled`]: the
//!   catalog's benchmark-derived numbers, not outcomes measured on this log).
//!
//! Error records (those with an `error` field) are counted and skipped. Totals are given
//! overall, per label and per chosen model, with the labels whose quality fell
//! ([`Report::quality_drops`]) and the output tokens each label's cost assumes
//! ([`Report::output_tokens_assumed`]). Amounts serialise rounded to picodollars, qualities
//! to 12 decimals and percentages to 6, so the JSON carries no float noise.
//!
//! ```
//! use promptyard::catalog::Catalog;
//! use promptyard_batch::report::Report;
//!
//! let catalog = Catalog::bundled()?;
//! let baseline = &catalog.models()[0].id;
//! let log = format!(
//!     "{{\"label\":\"planning\",\"model\":\"{baseline}\",\"est_cost_usd\":0.0123,\"input_tokens\":100,\"output_tokens\":800}}\n\
//!      {{\"line\":2,\"error\":\"invalid_json\",\"message\":\"…\"}}\n"
//! );
//! let report = Report::from_reader(log.as_bytes(), "log.jsonl", &catalog, baseline)?;
//! assert_eq!((report.records, report.error_records), (1, 1));
//! # Ok::<(), promptyard_batch::Error>(())
//! ```

use std::fmt::Write as _;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use promptyard::catalog::{Catalog, ModelSpec};
use promptyard::label::{Label, NUM_LABELS};
use promptyard::policy::round_usd;

use crate::error::{Error, Result};

/// Routed vs baseline for a group of records. Serialises with the derived
/// `savings_usd` and `savings_pct` too.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct Line {
    /// A label, a model id, or `total`.
    pub name: String,
    /// Labelled records in the group.
    pub records: u64,
    /// Estimated cost as routed, USD.
    pub routed_usd: f64,
    /// Estimated cost had every record gone to the baseline, USD.
    pub baseline_usd: f64,
    /// Mean catalog quality of the chosen models for each record's label.
    pub routed_quality: f64,
    /// Mean catalog quality of the baseline model for the same labels.
    pub baseline_quality: f64,
    /// Output tokens the records' costs assume, summed (see
    /// [`Report::output_tokens_assumed`]).
    pub output_tokens: u64,
}

impl Line {
    /// Baseline minus routed cost, USD.
    pub fn savings_usd(&self) -> f64 {
        self.baseline_usd - self.routed_usd
    }

    /// Savings as a percentage of the baseline cost (0 when the baseline costs nothing).
    pub fn savings_pct(&self) -> f64 {
        if self.baseline_usd > 0.0 {
            100.0 * self.savings_usd() / self.baseline_usd
        } else {
            0.0
        }
    }

    /// Routed minus baseline quality (negative when routing lost quality); 0 for no records.
    pub fn quality_change(&self) -> f64 {
        self.routed_quality - self.baseline_quality
    }

    fn add(&mut self, routed: f64, baseline: f64, routed_q: f64, baseline_q: f64, output: u64) {
        self.records += 1;
        self.output_tokens += output;
        self.routed_usd += routed;
        self.baseline_usd += baseline;
        // Sums while accumulating; `finish` turns them into means.
        self.routed_quality += routed_q;
        self.baseline_quality += baseline_q;
    }

    fn finish(&mut self) {
        if self.records > 0 {
            self.routed_quality /= self.records as f64;
            self.baseline_quality /= self.records as f64;
        }
    }
}

impl Serialize for Line {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut line = s.serialize_struct("Line", 9)?;
        line.serialize_field("name", &self.name)?;
        line.serialize_field("records", &self.records)?;
        line.serialize_field("routed_usd", &round_usd(self.routed_usd))?;
        line.serialize_field("baseline_usd", &round_usd(self.baseline_usd))?;
        line.serialize_field("savings_usd", &round_usd(self.savings_usd()))?;
        line.serialize_field("savings_pct", &round_pct(self.savings_pct()))?;
        line.serialize_field("routed_quality", &round12(self.routed_quality))?;
        line.serialize_field("baseline_quality", &round12(self.baseline_quality))?;
        line.serialize_field("output_tokens", &self.output_tokens)?;
        line.end()
    }
}

/// The whole report; serialises to JSON with every [`Line`]'s savings included.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// The labelled log it was computed from.
    pub input: PathBuf,
    /// Baseline model id.
    pub baseline: String,
    /// Labelled records counted.
    pub records: u64,
    /// Error records skipped.
    pub error_records: u64,
    /// All labelled records.
    pub total: Line,
    /// One line per label, in [`Label::ALL`] order (labels with no records included).
    pub by_label: Vec<Line>,
    /// One line per chosen model, most records first (then by id).
    pub by_model: Vec<Line>,
    /// What the quality figures are.
    pub quality_kind: QualityKind,
    /// [`QualityKind::definition`] of `quality_kind`, so the JSON explains itself.
    pub quality_definition: &'static str,
    /// Labels whose routed quality is below the baseline's (by more than [`QUALITY_EPS`]),
    /// in [`Label::ALL`] order.
    pub quality_drops: Vec<QualityDrop>,
    /// Output tokens per prompt that the catalog assumes for each label
    /// (`expected_output_tokens`); labelling priced every record with these.
    #[serde(serialize_with = "per_label_map")]
    pub output_tokens_assumed: Vec<(Label, u64)>,
}

/// Where a report's quality figures come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum QualityKind {
    /// From the catalog: each model's benchmark-derived quality per label, not outcomes.
    Modelled,
}

impl QualityKind {
    /// `modelled`.
    pub fn as_str(self) -> &'static str {
        match self {
            QualityKind::Modelled => "modelled",
        }
    }

    /// One sentence saying what the figures mean, printed with the report.
    pub fn definition(self) -> &'static str {
        match self {
            QualityKind::Modelled => {
                "modelled: the catalog's benchmark-derived quality (0 to 1) of the chosen \
                 model for each record's label, averaged over records (the baseline: its own \
                 quality for the same labels); not measured on this log"
            }
        }
    }
}

/// Quality changes smaller than this (half the last printed digit) are no change.
pub const QUALITY_EPS: f64 = 0.0005;

/// A label whose modelled quality fell when routed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct QualityDrop {
    /// The label.
    pub label: Label,
    /// Mean quality of the baseline model for the label's records.
    #[serde(serialize_with = "ser_round12")]
    pub baseline_quality: f64,
    /// Mean quality of the chosen models for them.
    #[serde(serialize_with = "ser_round12")]
    pub routed_quality: f64,
    /// `baseline_quality - routed_quality` (positive).
    #[serde(serialize_with = "ser_round12")]
    pub drop: f64,
}

fn per_label_map<S: Serializer>(v: &[(Label, u64)], s: S) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(v.len()))?;
    for (label, n) in v {
        map.serialize_entry(label.as_str(), n)?;
    }
    map.end()
}

fn ser_round12<S: Serializer>(v: &f64, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_f64(round12(*v))
}

/// A quality (0 to 1) rounded to 12 decimals: `0.8375`, not `0.8374999999999999`.
fn round12(x: f64) -> f64 {
    round_to(x, 1e12)
}

/// A percentage rounded to 6 decimals: `57.196262`, not `57.196261682242984`.
fn round_pct(x: f64) -> f64 {
    round_to(x, 1e6)
}

/// `x` rounded to a multiple of `1 / scale`; unchanged when too big to scale exactly.
fn round_to(x: f64, scale: f64) -> f64 {
    let scaled = x * scale;
    if scaled.is_finite() && scaled.abs() < 9.0e15 {
        scaled.round() / scale
    } else {
        x
    }
}

/// The fields of a labelled record the report reads; anything else is ignored.
#[derive(Deserialize)]
struct Row {
    label: Option<Label>,
    model: Option<String>,
    est_cost_usd: Option<f64>,
    input_tokens: Option<u64>,
    output_tokens: Option<u64>,
    error: Option<serde::de::IgnoredAny>,
}

impl Report {
    /// Reads a labelled JSONL file.
    pub fn from_path(path: impl AsRef<Path>, catalog: &Catalog, baseline: &str) -> Result<Report> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        Report::from_reader(
            std::io::BufReader::with_capacity(1 << 20, file),
            path,
            catalog,
            baseline,
        )
    }

    /// Reads labelled JSONL from `read`; `path` names it in errors.
    pub fn from_reader(
        read: impl BufRead,
        path: impl Into<PathBuf>,
        catalog: &Catalog,
        baseline: &str,
    ) -> Result<Report> {
        let path = path.into();
        let base = catalog
            .model(baseline)
            .ok_or_else(|| Error::UnknownBaseline {
                baseline: baseline.to_owned(),
                catalog: catalog.path().to_path_buf(),
                models: catalog.models().iter().map(|m| m.id.clone()).collect(),
            })?;
        let mut total = Line {
            name: "total".into(),
            ..Line::default()
        };
        let mut by_label: Vec<Line> = Label::ALL
            .iter()
            .map(|l| Line {
                name: l.to_string(),
                ..Line::default()
            })
            .collect();
        let mut by_model: Vec<Line> = catalog
            .models()
            .iter()
            .map(|m| Line {
                name: m.id.clone(),
                ..Line::default()
            })
            .collect();
        let mut error_records = 0;
        let mut buf = Vec::new();
        let mut read = read;
        let mut line_no = 0u64;
        loop {
            buf.clear();
            let n = read
                .read_until(b'\n', &mut buf)
                .map_err(|e| Error::io(&path, e))?;
            if n == 0 {
                break;
            }
            line_no += 1;
            let bad = |field: &'static str, msg: String| Error::LabelledRecord {
                path: path.clone(),
                line: line_no,
                field,
                msg,
            };
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let row: Row = serde_json::from_slice(&buf).map_err(|e| bad("-", e.to_string()))?;
            if row.error.is_some() {
                error_records += 1;
                continue;
            }
            let need = "missing: is this the output of a labelling run?".to_string();
            let label = row.label.ok_or_else(|| bad("label", need.clone()))?;
            let model_id = row.model.ok_or_else(|| bad("model", need.clone()))?;
            let routed = row
                .est_cost_usd
                .ok_or_else(|| bad("est_cost_usd", need.clone()))?;
            let input = row
                .input_tokens
                .ok_or_else(|| bad("input_tokens", need.clone()))?;
            let output = row
                .output_tokens
                .ok_or_else(|| bad("output_tokens", need))?;
            let (mi, model) = find(catalog, &model_id).ok_or_else(|| Error::UnknownModel {
                path: path.clone(),
                line: line_no,
                model: model_id.clone(),
            })?;
            let baseline_cost = base.cost_usd(input, output);
            let (rq, bq) = (model.quality(label), base.quality(label));
            total.add(routed, baseline_cost, rq, bq, output);
            by_label[label.index()].add(routed, baseline_cost, rq, bq, output);
            by_model[mi].add(routed, baseline_cost, rq, bq, output);
        }
        total.finish();
        by_label.iter_mut().for_each(Line::finish);
        by_model.retain(|l| l.records > 0);
        by_model.iter_mut().for_each(Line::finish);
        by_model.sort_by(|a, b| b.records.cmp(&a.records).then_with(|| a.name.cmp(&b.name)));
        debug_assert_eq!(by_label.len(), NUM_LABELS);
        let quality_drops = Label::ALL
            .iter()
            .zip(&by_label)
            .filter(|(_, l)| l.records > 0 && -l.quality_change() >= QUALITY_EPS)
            .map(|(&label, l)| QualityDrop {
                label,
                baseline_quality: l.baseline_quality,
                routed_quality: l.routed_quality,
                drop: -l.quality_change(),
            })
            .collect();
        let settings = catalog.settings();
        Ok(Report {
            input: path,
            baseline: baseline.to_owned(),
            records: total.records,
            error_records,
            total,
            by_label,
            by_model,
            quality_kind: QualityKind::Modelled,
            quality_definition: QualityKind::Modelled.definition(),
            quality_drops,
            output_tokens_assumed: Label::ALL
                .iter()
                .map(|&l| (l, settings.expected_output_tokens(l)))
                .collect(),
        })
    }

    /// The headline about cost: savings against a dearer baseline, extra cost (never
    /// "negative savings") against a cheaper one.
    pub fn cost_headline(&self) -> String {
        let t = &self.total;
        let versus = format!("always-{}", self.baseline);
        let amounts = format!(
            "{} routed instead of {}",
            usd(t.routed_usd),
            usd(t.baseline_usd)
        );
        // Compared in picodollars: float noise must not turn "the same" into a saving.
        let saved = round_usd(t.savings_usd());
        if t.records == 0 {
            format!("No labelled records: nothing to compare with {versus}")
        } else if saved > 0.0 {
            format!(
                "Routing saved {} ({:.1}%) vs {versus}: {amounts}",
                usd(t.savings_usd()),
                t.savings_pct()
            )
        } else if saved < 0.0 {
            format!(
                "Routing cost {} MORE than {versus} ({}): {amounts}",
                usd(-t.savings_usd()),
                if t.baseline_usd > 0.0 {
                    format!("+{:.1}%", -t.savings_pct())
                } else {
                    "the baseline costs nothing".to_string()
                }
            )
        } else {
            format!("Routing cost the same as {versus}: {amounts}")
        }
    }

    /// The headline about quality: where it fell, or that it did not.
    pub fn quality_headline(&self) -> String {
        let kind = self.quality_kind.as_str();
        if self.quality_drops.is_empty() {
            return format!("Quality fell on no label ({kind})");
        }
        let drops: Vec<String> = self
            .quality_drops
            .iter()
            .map(|d| {
                format!(
                    "{} {:.3} → {:.3}",
                    d.label, d.baseline_quality, d.routed_quality
                )
            })
            .collect();
        format!("Quality fell on: {} ({kind})", drops.join(", "))
    }

    /// A plain-text report, readable at a glance: the cost and quality headlines, what
    /// "quality" means, the output tokens assumed, then one table by label and one by
    /// chosen model. Changes are routed minus baseline: `-$0.0320 (-80.0%)` is cheaper,
    /// `▼ 0.100` is a quality drop.
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Routing vs always-{}: {} records from {}{}",
            self.baseline,
            self.records,
            self.input.display(),
            if self.error_records > 0 {
                let s = if self.error_records == 1 { "" } else { "s" };
                format!(" ({} error record{s} skipped)", self.error_records)
            } else {
                String::new()
            }
        );
        let _ = writeln!(s, "{}", self.cost_headline());
        let _ = writeln!(s, "{}", self.quality_headline());
        let _ = writeln!(
            s,
            "Quality overall: routed {:.3} vs always-{} {:.3} ({})\n",
            self.total.routed_quality,
            self.baseline,
            self.total.baseline_quality,
            self.quality_kind.as_str()
        );
        let header = |s: &mut String, first: &str| {
            let _ = writeln!(
                s,
                "{first:<24} {:>8} {:>12} {:>12} {:>22} {:>8} {:>9} {:>8}",
                "records",
                "routed $",
                "baseline $",
                "routed vs baseline",
                "quality",
                "baseline",
                "change"
            );
        };
        let row = |s: &mut String, l: &Line| {
            let (quality, baseline, change) = if l.records == 0 {
                ("-".to_string(), "-".to_string(), String::new())
            } else {
                (
                    format!("{:.3}", l.routed_quality),
                    format!("{:.3}", l.baseline_quality),
                    quality_marker(l.quality_change()),
                )
            };
            let _ = writeln!(
                s,
                "{:<24} {:>8} {:>12} {:>12} {:>22} {:>8} {:>9} {:>8}",
                l.name,
                l.records,
                usd(l.routed_usd),
                usd(l.baseline_usd),
                cost_change(l),
                quality,
                baseline,
                change
            );
        };
        header(&mut s, "label");
        for l in &self.by_label {
            row(&mut s, l);
        }
        row(&mut s, &self.total);
        s.push('\n');
        header(&mut s, "chosen model");
        for l in &self.by_model {
            row(&mut s, l);
        }
        s.push('\n');
        let mut notes = format!("Quality is {}.", self.quality_kind.definition());
        let assumed: Vec<String> = self
            .output_tokens_assumed
            .iter()
            .map(|(l, n)| format!("{l} {n}"))
            .collect();
        let _ = write!(
            notes,
            "\nOutput tokens assumed per prompt (the catalog's expected_output_tokens): {}",
            assumed.join(", ")
        );
        // The log was priced when it was labelled, perhaps with another catalog.
        let priced: Vec<String> = self
            .output_tokens_assumed
            .iter()
            .zip(&self.by_label)
            .filter(|((_, n), l)| l.records > 0 && l.output_tokens != n * l.records)
            .map(|((label, _), l)| {
                format!("{label} {:.0}", l.output_tokens as f64 / l.records as f64)
            })
            .collect();
        if priced.is_empty() {
            notes.push('.');
        } else {
            let _ = write!(
                notes,
                "; but the log was priced with (mean per record): {}.",
                priced.join(", ")
            );
        }
        for paragraph in notes.lines() {
            s.push_str(&wrap(paragraph, 96));
        }
        // Empty quality cells leave trailing blanks.
        s.lines().map(|l| format!("{}\n", l.trim_end())).collect()
    }
}

/// `text` broken at spaces into lines of at most `width` characters, continuation lines
/// indented by two.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.trim().is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = "  ".to_string();
        } else if !line.trim().is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// `▼ 0.100` for a quality drop, `▲ 0.050` for a gain, empty for no change (at 3 decimals).
pub fn quality_marker(change: f64) -> String {
    if change <= -QUALITY_EPS {
        format!("▼ {:.3}", -change)
    } else if change >= QUALITY_EPS {
        format!("▲ {change:.3}")
    } else {
        String::new()
    }
}

/// Routed minus baseline cost with its percentage: `-$0.0320 (-80.0%)`, `+$0.0100 (+25.0%)`,
/// `same`.
fn cost_change(l: &Line) -> String {
    let change = round_usd(l.routed_usd - l.baseline_usd);
    if change == 0.0 {
        return "same".to_string();
    }
    let sign = if change < 0.0 { '-' } else { '+' };
    let amount = usd(change.abs());
    if l.baseline_usd > 0.0 {
        format!(
            "{sign}{amount} ({sign}{:.1}%)",
            (change / l.baseline_usd * 100.0).abs()
        )
    } else {
        format!("{sign}{amount}")
    }
}

/// Dollars for people: cents from a dollar up (`$8.45`), four significant digits below
/// (`$0.0458`, `$0.00004239`) so small batch costs never print as `$0.0000`; trailing zeros
/// trimmed to two decimals; negative amounts as `-$0.0612`.
pub fn usd(x: f64) -> String {
    if !x.is_finite() {
        return format!("${x}");
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let a = round_usd(x.abs());
    if a == 0.0 {
        return "$0.00".to_string();
    }
    if a >= 1.0 {
        return format!("{sign}${a:.2}");
    }
    // Four significant digits: the first one sits `-floor(log10(a))` places after the point.
    let decimals = ((3 - a.log10().floor() as i32).max(2) as usize).min(12);
    let mut text = format!("{a:.decimals$}");
    while text.ends_with('0') && text.len() - text.find('.').map_or(0, |p| p + 1) > 2 {
        text.pop();
    }
    format!("{sign}${text}")
}

fn find<'c>(catalog: &'c Catalog, id: &str) -> Option<(usize, &'c ModelSpec)> {
    catalog
        .models()
        .iter()
        .enumerate()
        .find(|(_, m)| m.id == id)
}
