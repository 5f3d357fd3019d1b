//! The `switchyard` command line: a thin shell over the library.
//!
//! Exit codes: 0 success; 1 some records failed (batch labelling); 2 could not run.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("switchyard: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// A closed stdout (`switchyard label … | head`) is not an error worth reporting.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
