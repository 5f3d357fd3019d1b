//! The README's embedding example, verbatim (`tests/all/readme.rs` checks they agree).
//! Run: `cargo run --release --example quickstart`
use promptyard::{Error, Router};

fn main() -> Result<(), Error> {
    let router = Router::new()?; // bundled classifier and catalog: no files, no network
    let d = router.route("Write a Python function that merges overlapping intervals")?;
    println!("{} (p={:.2}) → {} at ~${:.6}", d.label, d.confidence, d.model, d.est_cost_usd);
    println!("why: {}; fallbacks: {:?}", d.reason, d.fallbacks);
    Ok(())
}
