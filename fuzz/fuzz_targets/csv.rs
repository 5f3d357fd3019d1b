//! The CSV reader: a column name (first line) and a CSV file with a header (the rest), in
//! small chunks; rows become output or error records with increasing line numbers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use promptyard_batch::fuzzing;

fuzz_target!(|data: &[u8]| {
    let (field, csv) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&b"text"[..], data),
    };
    let field = String::from_utf8_lossy(field);
    let target = 1 + csv.len() % 97;
    fuzzing::csv(csv, &field, target);
});
