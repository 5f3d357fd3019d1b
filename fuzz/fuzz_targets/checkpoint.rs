//! The checkpoint reader on arbitrary bytes: refused with a message, or read; what it reads
//! writes back to the same checkpoint.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| promptyard_batch::fuzzing::checkpoint(data));
