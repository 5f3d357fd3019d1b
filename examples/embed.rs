//! Embedding promptyard in a service: one `Router` shared by every request thread, the
//! decision's `api_id` and fallbacks driving the call, and a hot reload of the catalog.
//!
//! Run: `cargo run --release --example embed [CATALOG.toml]`

use std::sync::Arc;
use std::thread;

use promptyard::{Decision, Error, Router};

/// Stand-in for your LLM client: returns which model would have been called.
fn call_llm(api_id: &str, _prompt: &str) -> Result<String, String> {
    Ok(format!("<answer from {api_id}>"))
}

/// Try the chosen model, then the fallbacks in order.
fn answer(router: &Router, prompt: &str) -> anyhow::Result<String> {
    let decision: Decision = match router.route(prompt) {
        Ok(d) => d,
        // Nothing in the catalog is adequate (and it sets no default_model): your call.
        Err(e @ Error::NoAdequateModel { .. }) => anyhow::bail!("refusing to route: {e}"),
        Err(e) => return Err(e.into()),
    };
    eprintln!("{}", decision.reason);
    let catalog = router.catalog();
    for id in std::iter::once(&decision.model).chain(&decision.fallbacks) {
        let api_id = catalog
            .model(id)
            .and_then(|m| m.api_id.as_deref())
            .unwrap_or(id);
        if let Ok(text) = call_llm(api_id, prompt) {
            return Ok(text);
        }
    }
    anyhow::bail!("every candidate failed")
}

fn main() -> anyhow::Result<()> {
    // Bundled model and catalog: no files, no network. `Router::builder()` overrides them.
    let router = Arc::new(Router::new()?);

    let prompts = [
        "Complete this function: def parse_date(s):",
        "Plan the rollout of SSO to our 40 internal apps over Q3",
        "If 3 painters paint 3 walls in 3 hours, how long do 9 painters take for 9 walls?",
    ];
    let workers: Vec<_> = prompts
        .into_iter()
        .map(|prompt| {
            let router = Arc::clone(&router);
            thread::spawn(move || answer(&router, prompt))
        })
        .collect();
    for w in workers {
        println!("{}", w.join().expect("worker panicked")?);
    }

    // Hot reload, e.g. when a config watcher sees a new file: requests in flight finish on
    // the old catalog; an invalid file is rejected and the old catalog stays.
    if let Some(path) = std::env::args().nth(1) {
        match router.reload_catalog(&path) {
            Ok(()) => eprintln!("catalog reloaded from {path}"),
            Err(e) => eprintln!("kept the old catalog: {e}"),
        }
    }
    Ok(())
}
