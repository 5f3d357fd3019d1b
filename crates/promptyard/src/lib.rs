//! # promptyard
//!
//! An embedded router for LLM prompts: what a service links. The flow, one module per stage:
//!
//! ```text
//! prompt ─▶ features ─▶ classifier ─▶ policy ─▶ router ─▶ Decision
//!           (hashed      (E·Wᵀ table     (cheapest     (Send + Sync,
//!            n-grams)     → probs)        adequate)     hot reload)
//! ```
//!
//! The rest of the project shells over this crate: `promptyard-batch` labels prompt logs
//! (logs → batch → report), `promptyard-train` builds data and trains and evaluates the
//! classifier (data → train → eval → `models/`), and `promptyard-cli` is the `promptyard`
//! binary.
//!
//! The library never prints, never exits and never touches the network (except the opt-in
//! `hub` feature). Its mandatory dependencies are only what routing needs; candle is behind
//! the `candle` feature, for batch inference on CPU or GPU.
//!
//! ```
//! // The bundled classifier and catalog, with zero configuration.
//! let router = promptyard::Router::new()?;
//! let decision = router.route("Write a Python function that merges overlapping intervals")?;
//! assert_eq!(decision.label, promptyard::Label::CodeCompletion);
//! assert!(decision.est_cost_usd > 0.0 && !decision.model.is_empty());
//! # Ok::<(), promptyard::Error>(())
//! ```
#![warn(missing_docs)]

pub mod error;
pub mod label;

pub mod adequacy;
pub mod cascade;
pub mod catalog;
pub mod classifier;
#[cfg(feature = "encoder")]
pub mod encoder;
pub mod features;
pub mod hash;
pub mod hub;
pub mod model;
pub mod policy;
pub mod router;
mod scratch;

pub use catalog::Catalog;
pub use classifier::Classifier;
pub use error::{Error, Result};
pub use label::{Label, Probs, NUM_LABELS};
pub use policy::{Decision, Fallbacks, ModelId, Reason};
pub use router::{Router, RouterBuilder};
