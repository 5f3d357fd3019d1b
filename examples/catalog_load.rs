//! How long a large catalog takes to load (parse + validate), to check loading stays linear
//! in the number of models: `cargo run --release --example catalog_load [MODELS]`
//! (default 100000). Prints one figure per size and fails if the largest takes ≥ 2 s.

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

fn main() -> anyhow::Result<()> {
    let max: usize = std::env::args().nth(1).map_or(Ok(100_000), |a| a.parse())?;
    let mut last = 0.0;
    for n in [max / 10, max / 2, max] {
        let text = catalog(n);
        let t = Instant::now();
        let c = Catalog::parse(&text, "generated.toml")?;
        last = t.elapsed().as_secs_f64();
        assert_eq!(c.models().len(), n);
        println!(
            "{n:>8} models  {:>6.1} MiB  loaded in {last:.3} s",
            text.len() as f64 / (1 << 20) as f64
        );
    }
    anyhow::ensure!(last < 2.0, "{max} models took {last:.3} s (limit 2 s)");
    Ok(())
}
