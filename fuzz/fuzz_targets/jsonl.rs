//! The JSONL reader: a field path (first line) and a log (the rest). Each line's prompt is
//! extracted and its output record written; the chunker accounts for every byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use promptyard_batch::fuzzing;

fuzz_target!(|data: &[u8]| {
    let (field, log) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&b"text"[..], data),
    };
    let field = String::from_utf8_lossy(field);
    for line in log.split(|&b| b == b'\n') {
        fuzzing::jsonl_line(line, &field);
    }
    let target = 1 + log.first().copied().unwrap_or(0) as usize;
    fuzzing::jsonl_chunks(log, target, 64);
});
