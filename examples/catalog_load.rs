//! How long a large catalog takes to load (parse + validate), to check loading stays linear
//! in the number of models: `cargo run --release --example catalog_load [MODELS]`
//! (default 100000). Prints wall and CPU time per size and fails if the largest takes
//! ≥ 2 s of CPU (CPU time, so a busy machine does not fail it; on Linux, else wall time).

use std::fmt::Write as _;
use std::time::Instant;

use promptyard::catalog::Catalog;

fn catalog(n: usize) -> String {
    let mut s = String::from(
        "[policy]\n\
         min_quality = { planning = 0.8, reasoning = 0.8, code_completion = 0.75 }\n\
         expected_output_tokens = { planning = 800, reasoning = 500, code_completion = 300 }\n\
         plausible_label_floor = 0.2\n",
    );
    for i in 0..n {
        write!(
            s,
            "\n[[model]]\nid = \"model-{i}\"\nprovider = \"vendor-{}\"\n\
             input_usd_per_mtok = {}\noutput_usd_per_mtok = {}\ncontext_tokens = 128000\n\
             quality = {{ planning = 0.9, reasoning = 0.85, code_completion = 0.8 }}\n",
            i % 50,
            0.1 + (i % 97) as f64 * 0.05,
            0.4 + (i % 89) as f64 * 0.2,
        )
        .unwrap();
    }
    s
}

/// CPU time of this thread, seconds (Linux: `/proc/thread-self/stat`, 10 ms ticks).
fn thread_cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn main() -> anyhow::Result<()> {
    let max: usize = std::env::args().nth(1).map_or(Ok(100_000), |a| a.parse())?;
    let mut last = 0.0;
    for n in [max / 10, max / 2, max] {
        let text = catalog(n);
        let (t, cpu) = (Instant::now(), thread_cpu_s());
        let c = Catalog::parse(&text, "generated.toml")?;
        let wall = t.elapsed().as_secs_f64();
        let cpu = cpu.zip(thread_cpu_s()).map(|(a, b)| b - a);
        last = cpu.unwrap_or(wall);
        assert_eq!(c.models().len(), n);
        println!(
            "{n:>8} models  {:>6.1} MiB  loaded in {wall:.3} s wall, {} CPU",
            text.len() as f64 / (1 << 20) as f64,
            cpu.map_or("?".to_owned(), |c| format!("{c:.2} s"))
        );
    }
    anyhow::ensure!(
        last < 2.0,
        "{max} models took {last:.3} s of CPU (limit 2 s)"
    );
    Ok(())
}
