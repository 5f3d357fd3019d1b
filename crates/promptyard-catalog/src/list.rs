//! A catalog as table rows: prices, quality per label and how old each number is.

use std::fmt::Write as _;

use promptyard::{Catalog, Label, NUM_LABELS};

use crate::date::Date;

/// One model, as `promptyard catalog list` shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Catalog id.
    pub id: String,
    /// Provider.
    pub provider: String,
    /// Input price, USD per million tokens (base tier).
    pub input_per_mtok: f64,
    /// Output price, USD per million tokens (base tier).
    pub output_per_mtok: f64,
    /// Number of long-prompt price tiers.
    pub tiers: usize,
    /// Number of announced price changes.
    pub scheduled: usize,
    /// Quality per label, indexed like [`Label::ALL`].
    pub quality: [f64; NUM_LABELS],
    /// Days since `prices_checked`, if dated.
    pub price_age_days: Option<i64>,
    /// `prices_source`.
    pub prices_source: Option<String>,
    /// `quality_source`.
    pub quality_source: Option<String>,
    /// Whether the policy may route to it.
    pub eligible: bool,
}

/// The rows of `catalog`, in file order, ages counted to `today`.
pub fn rows(catalog: &Catalog, today: Date) -> Vec<Row> {
    catalog
        .models()
        .iter()
        .map(|m| Row {
            id: m.id.clone(),
            provider: m.provider.clone(),
            input_per_mtok: m.input_usd_per_mtok,
            output_per_mtok: m.output_usd_per_mtok,
            tiers: m.price_tiers.len(),
            scheduled: m.scheduled_prices.len(),
            quality: Label::ALL.map(|l| m.quality(l)),
            price_age_days: m
                .prices_checked
                .as_deref()
                .and_then(|d| d.parse::<Date>().ok())
                .map(|d| d.days_until(today)),
            prices_source: m.prices_source.clone(),
            quality_source: m.quality_source.clone(),
            eligible: m.eligible,
        })
        .collect()
}

/// Rows as an aligned plain-text table (the quality source last, unabbreviated).
pub fn table(rows: &[Row]) -> String {
    let header = [
        "id",
        "provider",
        "in $/MTok",
        "out $/MTok",
        "plan",
        "reason",
        "code",
        "price age",
        "prices source",
        "quality source",
    ];
    let cells: Vec<[String; 10]> = rows
        .iter()
        .map(|r| {
            let mut marks = String::new();
            if r.tiers > 0 {
                marks.push_str(" +tiers");
            }
            if r.scheduled > 0 {
                marks.push_str(" +sched");
            }
            [
                if r.eligible {
                    r.id.clone()
                } else {
                    format!("{} (off)", r.id)
                },
                r.provider.clone(),
                format!("{}", r.input_per_mtok),
                format!("{}{marks}", r.output_per_mtok),
                format!("{:.2}", r.quality[0]),
                format!("{:.2}", r.quality[1]),
                format!("{:.2}", r.quality[2]),
                r.price_age_days
                    .map_or_else(|| "?".to_string(), |d| format!("{d} d")),
                r.prices_source.clone().unwrap_or_else(|| "-".to_string()),
                r.quality_source.clone().unwrap_or_else(|| "-".to_string()),
            ]
        })
        .collect();
    let mut width = header.map(|h| h.chars().count());
    for row in &cells {
        for (w, c) in width.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |row: &[String]| {
        let last = row.len() - 1;
        for (i, c) in row.iter().enumerate() {
            if i == last {
                out.push_str(c);
            } else {
                let _ = write!(out, "{c:<w$}  ", w = width[i]);
            }
        }
        out.push('\n');
    };
    line(&header.map(str::to_string));
    for row in &cells {
        line(row);
    }
    out
}
