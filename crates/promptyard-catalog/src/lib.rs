//! # promptyard-catalog
//!
//! Catalog maintenance for promptyard: the tooling behind `promptyard catalog …`, which a
//! service never links. The flow, one module per step:
//!
//! ```text
//! price feed JSON ─▶ feeds ─▶ update ─▶ catalog TOML (comments kept) ─▶ check / list
//! (genai-prices,      (normalised   (match models, apply
//!  LiteLLM)            records)      today's prices)
//! ```
//!
//! - [`feeds`] reads a genai-prices v2 data feed or a LiteLLM price map (detected from the
//!   JSON's shape) into [`feeds::PriceRecord`]s: USD per million tokens, tiers, dated changes.
//! - [`update`] applies feeds to a catalog document with `toml_edit`, so comments and layout
//!   survive; it reports every change (old → new) and the models no feed matched.
//! - [`check`] warns about stale prices, feeds that disagree and price changes due soon.
//! - [`list`] turns a catalog into table rows: prices, quality, the age of each number.
//!
//! `today` is a parameter everywhere (tests pin it); the binary passes [`Date::today_utc`].
//! The library never prints; errors name the file, line and field where the format has them.

#![warn(missing_docs)]

pub mod calibrate;
pub mod check;
pub mod date;
pub mod economics;
pub mod error;
pub mod feeds;
pub mod list;
pub mod outcomes;
pub mod update;

pub use date::Date;
pub use error::{Error, Result};
pub use feeds::{Feed, FeedFormat, PriceRecord};
