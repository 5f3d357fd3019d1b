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
    Fingerprint::new(fnv1a64_parts(parts)).to_string()
}

/// A 64-bit fingerprint as its 16 lowercase hex digits, held inline and `Copy`: a
/// [`Decision`](crate::Decision) carries its classifier's by value, so threads that route at
/// once write to no shared reference count. (An `Arc<str>` clone and drop per decision cost
/// 11 ns on one thread and 32 ns on each of two, measured on this project's 2-core VM; the
/// contention grows with the threads.) Derefs to the hex `str`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 16]);

impl Fingerprint {
    /// The fingerprint of hash `h`.
    pub fn new(h: u64) -> Fingerprint {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        Fingerprint(std::array::from_fn(|i| {
            HEX[(h >> (60 - 4 * i)) as usize & 0xf]
        }))
    }

    /// The 16 hex digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl std::ops::Deref for Fingerprint {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
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

    #[test]
    fn fingerprint_is_the_hash_in_sixteen_hex_digits() {
        for h in [
            0,
            1,
            0xf,
            0xabc,
            0x0123_4567_89ab_cdef,
            fnv1a64(b"a"),
            u64::MAX,
        ] {
            let f = Fingerprint::new(h);
            assert_eq!(f.as_str(), format!("{h:016x}"));
            assert_eq!(&*f, f.to_string());
            assert_eq!(format!("{f:?}"), format!("\"{h:016x}\""));
            assert_eq!(serde_json::to_string(&f).unwrap(), format!("\"{h:016x}\""));
        }
    }
}
