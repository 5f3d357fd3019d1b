//! FNV-1a 64, the crate's one hash for fingerprints (weights, catalogs, training data) and for
//! stable seeding. Specified, because its outputs are persisted and compared across runs:
//! `h = 0xcbf29ce484222325`, then per byte `h = (h ^ byte) * 0x100000001b3` (wrapping).
//!
//! (Bucket ids of the featurizer use a different, faster hash: see [`crate::features`].)

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a 64 of `bytes`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    fnv1a64_parts(&[bytes])
}

/// FNV-1a 64 of the concatenation of `parts` (without copying them together).
pub fn fnv1a64_parts(parts: &[&[u8]]) -> u64 {
    let mut h = OFFSET;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(PRIME);
        }
    }
    h
}

/// FNV-1a 64 of the concatenation of `parts`, as 16 lowercase hex digits: the form
/// fingerprints are shown and stored in.
pub fn fnv1a_hex(parts: &[&[u8]]) -> String {
    format!("{:016x}", fnv1a64_parts(parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_test_vectors() {
        // From the FNV reference (draft-eastlake-fnv): "" and "a" and "foobar".
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(fnv1a64_parts(&[b"foo", b"bar"]), fnv1a64(b"foobar"));
        assert_eq!(fnv1a_hex(&[b"a"]), "af63dc4c8601ec8c");
    }
}
