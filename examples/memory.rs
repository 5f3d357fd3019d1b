//! Resident memory of an embedded router: at start, after `Router::new()` (bundled model and
//! catalog), after the first route, and across 10 hot reloads of the model from a directory.
//!
//! Linux only: it reads `VmRSS` (resident now, with its `RssAnon` and `RssFile` parts) and
//! `VmHWM` (peak) from `/proc/self/status`, and resets the peak through
//! `/proc/self/clear_refs` to measure the reloads on their own. Freed memory that the
//! allocator keeps for reuse still counts as resident.
//!
//! Run: `cargo run --release --example memory [RELOADS]` (10 reloads unless given)

use promptyard::model::ModelFile;
use promptyard::Router;

/// A `/proc/self/status` field in KiB (`VmRSS`, `VmHWM`).
fn status_kib(field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))
        .ok_or_else(|| anyhow::anyhow!("no {field} in /proc/self/status (Linux only)"))?;
    let kib = line[field.len() + 1..].trim().trim_end_matches("kB").trim();
    Ok(kib.parse()?)
}

/// One line: resident now, split into heap (anonymous) and file-backed pages (the binary,
/// including the bundled model's `include_bytes!`, which the kernel can drop and reread).
fn report(what: &str) -> anyhow::Result<()> {
    let mib = |field| status_kib(field).map(|k| k as f64 / 1024.0);
    println!(
        "{what:<44} VmRSS {:>6.1} MiB (anon {:>6.1}, file {:>5.1})",
        mib("VmRSS")?,
        mib("RssAnon")?,
        mib("RssFile")?
    );
    Ok(())
}

/// Resets `VmHWM` to the current RSS (Linux ≥ 4.0); false where that is not allowed.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn main() -> anyhow::Result<()> {
    report("process start")?;
    let router = Router::new()?;
    report("Router::new() (bundled model and catalog)")?;
    let d = router.route("Plan a 3-day trip to Lisbon")?;
    report(&format!("first route (→ {})", d.model))?;
    println!(
        "{:<44} {:>8.1} MiB",
        "peak so far (VmHWM)",
        status_kib("VmHWM")? as f64 / 1024.0
    );
    println!(
        "{:<44} {:>8.1} MiB",
        "Classifier::resident_bytes()",
        router.classifier().resident_bytes() as f64 / (1024.0 * 1024.0)
    );

    let dir = tempfile::tempdir()?;
    ModelFile::bundled()?.save(dir.path())?;
    report("after saving the model to a temp dir")?;
    let reloads: usize = std::env::args().nth(1).map_or(Ok(10), |n| n.parse())?;
    let reset = reset_peak();
    for _ in 0..reloads {
        router.reload_model(dir.path())?;
        router.route("Plan a 3-day trip to Lisbon")?;
    }
    report(&format!("after {reloads} reloads from the directory"))?;
    let what = if reset {
        "peak during the reloads (VmHWM)"
    } else {
        "peak of the whole run (VmHWM)"
    };
    println!(
        "{what:<44} {:>8.1} MiB",
        status_kib("VmHWM")? as f64 / 1024.0
    );
    Ok(())
}
