//! The cost report: what routing a labelled log cost against sending every prompt to one
//! baseline model ("what would routing have saved us last quarter?").
//!
//! For each labelled record (output of [`run`](crate::run)):
//!
//! - routed cost = the record's `est_cost_usd` (the chosen model at list prices);
//! - baseline cost = the same token estimate (`input_tokens`, `output_tokens`) priced at the
//!   baseline model: `(input_tokens × input_price + output_tokens × output_price) / 10⁶`;
//! - modelled quality = the catalog quality of the chosen model for the record's label,
//!   against the baseline model's quality for that label.
//!
//! Error records (those with an `error` field) are counted and skipped. Totals are given
//! overall, per label and per chosen model.
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

    fn add(&mut self, routed: f64, baseline: f64, routed_q: f64, baseline_q: f64) {
        self.records += 1;
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
        let mut line = s.serialize_struct("Line", 8)?;
        line.serialize_field("name", &self.name)?;
        line.serialize_field("records", &self.records)?;
        line.serialize_field("routed_usd", &self.routed_usd)?;
        line.serialize_field("baseline_usd", &self.baseline_usd)?;
        line.serialize_field("savings_usd", &self.savings_usd())?;
        line.serialize_field("savings_pct", &self.savings_pct())?;
        line.serialize_field("routed_quality", &self.routed_quality)?;
        line.serialize_field("baseline_quality", &self.baseline_quality)?;
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
            total.add(routed, baseline_cost, rq, bq);
            by_label[label.index()].add(routed, baseline_cost, rq, bq);
            by_model[mi].add(routed, baseline_cost, rq, bq);
        }
        total.finish();
        by_label.iter_mut().for_each(Line::finish);
        by_model.retain(|l| l.records > 0);
        by_model.iter_mut().for_each(Line::finish);
        by_model.sort_by(|a, b| b.records.cmp(&a.records).then_with(|| a.name.cmp(&b.name)));
        debug_assert_eq!(by_label.len(), NUM_LABELS);
        Ok(Report {
            input: path,
            baseline: baseline.to_owned(),
            records: total.records,
            error_records,
            total,
            by_label,
            by_model,
        })
    }

    /// A plain-text table, readable at a glance.
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Routing vs all-to-{}: {} records from {}{}",
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
        let _ = writeln!(
            s,
            "Routed {} instead of {}: saved {} ({:.1}%), modelled quality {:.3} vs {:.3}\n",
            usd(self.total.routed_usd),
            usd(self.total.baseline_usd),
            usd(self.total.savings_usd()),
            self.total.savings_pct(),
            self.total.routed_quality,
            self.total.baseline_quality
        );
        let header = |s: &mut String, first: &str| {
            let _ = writeln!(
                s,
                "{first:<24} {:>10} {:>14} {:>14} {:>14} {:>8} {:>9} {:>9}",
                "records", "routed $", "baseline $", "saved $", "saved %", "quality", "baseline"
            );
        };
        let row = |s: &mut String, l: &Line| {
            let _ = writeln!(
                s,
                "{:<24} {:>10} {:>14.4} {:>14.4} {:>14.4} {:>7.1}% {:>9.3} {:>9.3}",
                l.name,
                l.records,
                l.routed_usd,
                l.baseline_usd,
                l.savings_usd(),
                l.savings_pct(),
                l.routed_quality,
                l.baseline_quality
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
        s
    }
}

/// Dollars with cents, or with six decimals below a dollar (batch costs are often tiny).
pub fn usd(x: f64) -> String {
    if x.abs() >= 1.0 {
        format!("${x:.2}")
    } else {
        format!("${x:.6}")
    }
}

fn find<'c>(catalog: &'c Catalog, id: &str) -> Option<(usize, &'c ModelSpec)> {
    catalog
        .models()
        .iter()
        .enumerate()
        .find(|(_, m)| m.id == id)
}
