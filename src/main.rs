//! The `promptyard` command line: a thin shell over the library.
//!
//! Exit codes: 0 success; 1 some records failed (batch labelling), `catalog check` found
//! warnings or `data check` found problems; 2 could not run (including `route` given an empty
//! or whitespace-only prompt, and `train --out` into the bundled model's directory without
//! `--force`); 141 standard output was closed before all output was written
//! (`promptyard label … | head`): the status a shell reports for a process killed by
//! SIGPIPE, with a one-line note on stderr, so a pipeline that lost output never reads as
//! a success.

mod chart;
mod cli;

use std::process::ExitCode;

use clap::Parser;

/// Batch labelling allocates prompt and output buffers on the worker threads and frees them on
/// the writer; glibc's allocator serialises those cross-thread frees on arena locks (futex
/// waits in `perf`), mimalloc frees them without one.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                eprintln!("promptyard: standard output was closed early; the output is incomplete");
                return ExitCode::from(141);
            }
            eprintln!("promptyard: error: {}", error_chain(&err));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes joined by ": ", skipping a cause whose text the message
/// before it already carries (library errors embed their I/O cause in their own text).
fn error_chain(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// A closed stdout (`promptyard label … | head`): exit 141 rather than a full error report.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
