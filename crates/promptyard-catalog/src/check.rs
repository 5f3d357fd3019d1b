//! Warnings about a catalog's prices: too old, disputed by the feeds, or about to change.
//!
//! - **Stale**: `prices_checked` is more than `max_age_days` before `today` (or missing).
//! - **Disagreement**: two sources price a model's input or output more than `tolerance`
//!   apart (relative to the larger price). With one feed the sources are the catalog and the
//!   feed; with several, the feeds pairwise (each at its price in effect on `today`).
//! - **Upcoming**: a `scheduled_prices` entry takes effect within `horizon_days` of `today`.
//! - **Retiring**: a feed gives the model's vendor retirement date, and it is past or within
//!   `horizon_days`.

use std::fmt;

use promptyard::Catalog;

use crate::date::Date;
use crate::feeds::Feed;
use crate::update::{find_record, ModelKeys};

/// Thresholds for [`check`].
#[derive(Clone, Debug, PartialEq)]
pub struct CheckOptions {
    /// Prices checked longer ago than this many days are stale.
    pub max_age_days: i64,
    /// Largest relative difference between two sources that is not a disagreement (0.01 = 1%).
    pub tolerance: f64,
    /// How far ahead (days) a scheduled change or a retirement is worth a warning.
    pub horizon_days: i64,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            max_age_days: 90,
            tolerance: 0.01,
            horizon_days: 30,
        }
    }
}

/// One finding of [`check`].
#[derive(Clone, Debug, PartialEq)]
pub enum Warning {
    /// Prices older than allowed.
    Stale {
        /// Catalog id.
        model: String,
        /// `prices_checked`.
        checked: Date,
        /// Days between `checked` and today.
        age_days: i64,
        /// The limit.
        max_age_days: i64,
    },
    /// No `prices_checked`: the age of the prices is unknown.
    Undated {
        /// Catalog id.
        model: String,
    },
    /// Two sources disagree about a price.
    Disagreement {
        /// Catalog id.
        model: String,
        /// `input` or `output`.
        field: &'static str,
        /// First source and its price (USD per million tokens).
        a: (String, f64),
        /// Second source and its price.
        b: (String, f64),
    },
    /// A scheduled price change takes effect soon.
    Upcoming {
        /// Catalog id.
        model: String,
        /// The day it applies.
        start: Date,
        /// Days from today.
        in_days: i64,
        /// New input and output prices, USD per million tokens.
        prices: (f64, f64),
        /// Who announced it.
        source: Option<String>,
    },
    /// A feed says the vendor retires (or retired) the model.
    Retiring {
        /// Catalog id.
        model: String,
        /// The retirement date.
        date: Date,
        /// The feed.
        source: String,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Stale { model, checked, age_days, max_age_days } => write!(
                f,
                "{model}: stale prices: checked {checked}, {age_days} days ago (limit {max_age_days})"
            ),
            Warning::Undated { model } => {
                write!(f, "{model}: no prices_checked date: the age of its prices is unknown")
            }
            Warning::Disagreement { model, field, a, b } => write!(
                f,
                "{model}: sources disagree on the {field} price: {} says ${}/MTok, {} says ${}/MTok",
                a.0, a.1, b.0, b.1
            ),
            Warning::Upcoming { model, start, in_days, prices, source } => write!(
                f,
                "{model}: price change in {in_days} days: from {start}, ${} in / ${} out per MTok{}",
                prices.0,
                prices.1,
                source.as_ref().map(|s| format!(" ({s})")).unwrap_or_default()
            ),
            Warning::Retiring { model, date, source } => {
                write!(f, "{model}: retired by its vendor on {date} ({source})")
            }
        }
    }
}

/// Checks `catalog` (already validated) as of `today`, against `feeds` if any.
pub fn check(catalog: &Catalog, feeds: &[Feed], today: Date, opts: &CheckOptions) -> Vec<Warning> {
    let mut out = Vec::new();
    for m in catalog.models() {
        let model = m.id.clone();
        match m.prices_checked.as_deref().map(str::parse::<Date>) {
            Some(Ok(checked)) => {
                let age_days = checked.days_until(today);
                if age_days > opts.max_age_days {
                    out.push(Warning::Stale {
                        model: model.clone(),
                        checked,
                        age_days,
                        max_age_days: opts.max_age_days,
                    });
                }
            }
            // The catalog validator accepts only real dates; treat anything else as missing.
            _ => out.push(Warning::Undated {
                model: model.clone(),
            }),
        }

        let keys = ModelKeys::from(m);
        let mut sources: Vec<(String, f64, f64)> = Vec::new();
        if feeds.len() == 1 {
            let label = m.prices_source.clone().map_or_else(
                || "the catalog".to_string(),
                |s| format!("the catalog ({s})"),
            );
            sources.push((label, m.input_usd_per_mtok, m.output_usd_per_mtok));
        }
        for feed in feeds {
            let Some(r) = find_record(feed, &keys) else {
                continue;
            };
            let p = r.price_on(today);
            sources.push((feed.source.label(), p.input_per_mtok, p.output_per_mtok));
            if let Some(date) = r.deprecation_date {
                if today.days_until(date) <= opts.horizon_days {
                    out.push(Warning::Retiring {
                        model: model.clone(),
                        date,
                        source: feed.source.label(),
                    });
                }
            }
        }
        for (i, a) in sources.iter().enumerate() {
            for b in &sources[i + 1..] {
                for (field, x, y) in [("input", a.1, b.1), ("output", a.2, b.2)] {
                    if (x - y).abs() > opts.tolerance * x.abs().max(y.abs()) {
                        out.push(Warning::Disagreement {
                            model: model.clone(),
                            field,
                            a: (a.0.clone(), x),
                            b: (b.0.clone(), y),
                        });
                    }
                }
            }
        }

        for s in &m.scheduled_prices {
            let Ok(start) = s.start_date.parse::<Date>() else {
                continue;
            };
            let in_days = today.days_until(start);
            if in_days > 0 && in_days <= opts.horizon_days {
                out.push(Warning::Upcoming {
                    model: model.clone(),
                    start,
                    in_days,
                    prices: (s.input_usd_per_mtok, s.output_usd_per_mtok),
                    source: s.source.clone(),
                });
            }
        }
    }
    out
}
