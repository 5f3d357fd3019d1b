//! # switchyard
//!
//! An embedded router for LLM prompts. The flow, one module per stage:
//!
//! ```text
//! prompt ─▶ features ─▶ classifier ─▶ policy ─▶ router ─▶ Decision
//!           (hashed      (candle model   (cheapest     (Send + Sync,
//!            n-grams)     → probs)        adequate)     hot reload)
//!
//! data/ ─▶ data (import, split) ─▶ train ─▶ eval ─▶ models/
//! logs ─▶ batch (stream, label in parallel) ─▶ report (cost vs baseline)
//! ```
//!
//! The library never prints, never exits and never touches the network
//! (except the opt-in `hub` feature). The `switchyard` binary is a thin shell over it.
//!
//! ```
//! // The bundled classifier and catalog, with zero configuration.
//! let router = switchyard::Router::new()?;
//! let decision = router.route("Write a Python function that merges overlapping intervals")?;
//! assert_eq!(decision.label, switchyard::Label::CodeCompletion);
//! assert!(decision.est_cost_usd > 0.0 && !decision.model.is_empty());
//! # Ok::<(), switchyard::Error>(())
//! ```

pub mod error;
pub mod label;

pub mod catalog;
pub mod classifier;
pub mod features;
pub mod hub;
pub mod policy;
pub mod router;

pub mod data;
pub mod eval;
pub mod train;

mod rng;

pub mod batch;
pub mod report;

pub use catalog::Catalog;
pub use error::{Error, Result};
pub use label::{Label, Probs, NUM_LABELS};
pub use router::{Decision, Router};
