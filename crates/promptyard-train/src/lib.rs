//! # promptyard-train
//!
//! The tooling half of promptyard: how the bundled classifier is made and judged.
//!
//! ```text
//! raw public sources ─▶ data (cut, normalise, dedupe, split, balance) ─▶ data/*.jsonl
//! data/*.jsonl (+ your labelled files) ─▶ train ─▶ models/DIR ─▶ eval (metrics, LOSO)
//! ```
//!
//! A service never links this crate: routing needs only [`promptyard`]. Training runs through
//! candle (CPU, or CUDA with the `cuda` feature). Like the runtime, this crate never prints or
//! exits; progress goes to callbacks, and failures are one [`Error`] enum.

#![warn(missing_docs)]

pub mod data;
#[cfg(feature = "encoder")]
pub mod encoder_head;
pub mod error;
pub mod eval;
pub mod train;

mod rng;

pub use error::{Error, Result};
