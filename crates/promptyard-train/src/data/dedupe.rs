//! Exact and near-duplicate detection.
//!
//! Exact duplicates share [`dedupe_key`](super::normalise::dedupe_key). Near duplicates are
//! texts whose sets of word 5-gram shingles have a Jaccard similarity of at least
//! [`NEAR_DUP_JACCARD`]. Candidates come from MinHash locality-sensitive hashing
//! ([`NUM_HASHES`] hashes in [`BANDS`] bands of [`ROWS`] rows: a pair at Jaccard 0.8 shares a
//! band with probability 1 - (1 - 0.8^4)^16 > 0.9998) and are then confirmed on the exact
//! shingle sets, so the verdict never rests on the estimate alone.
//!
//! Five-word shingles are strict on purpose: PlanBench instances share a long block of domain
//! rules and differ only in the problem (Jaccard about 0.65), and must stay distinct.

use std::collections::HashMap;

use promptyard::features::is_cjk;
use promptyard::hash::fnv1a64_parts;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 5;
/// Jaccard similarity of shingle sets from which two texts count as near duplicates.
pub const NEAR_DUP_JACCARD: f64 = 0.8;
/// MinHash signature length.
pub const NUM_HASHES: usize = BANDS * ROWS;
/// LSH bands.
pub const BANDS: usize = 16;
/// Signature rows per band.
pub const ROWS: usize = 4;

/// A text prepared for near-duplicate search: its sorted shingle hashes and MinHash signature.
#[derive(Clone, Debug)]
pub struct Fingerprint {
    shingles: Vec<u64>,
    signature: [u64; NUM_HASHES],
}

impl Fingerprint {
    /// Fingerprints `text` (any case; tokenised into lowercase words).
    pub fn new(text: &str) -> Fingerprint {
        let words = words(text);
        let mut shingles: Vec<u64> = if words.len() < SHINGLE_WORDS {
            vec![hash_words(&words)]
        } else {
            words.windows(SHINGLE_WORDS).map(hash_words).collect()
        };
        shingles.sort_unstable();
        shingles.dedup();
        // One well-mixed hash per shingle, then NUM_HASHES cheap affine maps of it
        // (a_i * h + b_i mod 2^64 with odd a_i): the usual MinHash family, fast enough to
        // fingerprint the whole raw collection in about a second.
        let mut signature = [u64::MAX; NUM_HASHES];
        for &s in &shingles {
            let h = mix(s);
            for (slot, (a, b)) in signature.iter_mut().zip(AFFINE.iter()) {
                let v = a.wrapping_mul(h).wrapping_add(*b);
                *slot = (*slot).min(v);
            }
        }
        Fingerprint {
            shingles,
            signature,
        }
    }

    /// Exact Jaccard similarity of the two shingle sets.
    pub fn jaccard(&self, other: &Fingerprint) -> f64 {
        let (a, b) = (&self.shingles, &other.shingles);
        let (mut i, mut j, mut inter) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    inter += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        let union = a.len() + b.len() - inter;
        if union == 0 {
            1.0
        } else {
            inter as f64 / union as f64
        }
    }

    fn band_keys(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.signature
            .chunks(ROWS)
            .enumerate()
            .map(|(band, rows)| (band, rows.iter().fold(band as u64, |h, &r| mix(h ^ r))))
    }
}

/// An LSH index of fingerprints that answers "is there a near duplicate of this text?".
#[derive(Debug, Default)]
pub struct NearDupIndex {
    buckets: HashMap<(usize, u64), Vec<usize>>,
    members: Vec<Fingerprint>,
}

impl NearDupIndex {
    /// An empty index.
    pub fn new() -> NearDupIndex {
        NearDupIndex::default()
    }

    /// The position (in insertion order) of the first indexed text that is a near duplicate
    /// of `fp`, if any.
    pub fn find(&self, fp: &Fingerprint) -> Option<usize> {
        let mut candidates: Vec<usize> = fp
            .band_keys()
            .filter_map(|k| self.buckets.get(&k))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        // Signature agreement estimates the Jaccard similarity; skip exact checks on
        // candidates far below the threshold (the estimate's s.d. is below 0.07 here).
        let min_agree = ((NEAR_DUP_JACCARD - 0.25) * NUM_HASHES as f64) as usize;
        candidates.into_iter().find(|&c| {
            let m = &self.members[c];
            let agree = m
                .signature
                .iter()
                .zip(&fp.signature)
                .filter(|(a, b)| a == b)
                .count();
            agree >= min_agree && m.jaccard(fp) >= NEAR_DUP_JACCARD
        })
    }

    /// Adds `fp`; returns its position.
    pub fn insert(&mut self, fp: Fingerprint) -> usize {
        let id = self.members.len();
        for key in fp.band_keys() {
            self.buckets.entry(key).or_default().push(id);
        }
        self.members.push(fp);
        id
    }
}

/// Lowercase word tokens: runs of letters and digits; each CJK character is its own word
/// (those scripts do not separate words with spaces), by the featurizer's own [`is_cjk`].
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if is_cjk(c) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// FNV-1a over the words, each followed by a separator byte so word boundaries count.
fn hash_words(words: &[String]) -> u64 {
    let parts: Vec<&[u8]> = words
        .iter()
        .flat_map(|w| [w.as_bytes(), &[0x1f][..]])
        .collect();
    fnv1a64_parts(&parts)
}

/// SplitMix64 finaliser: a cheap, well-mixed 64-bit permutation.
const fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Coefficients `(a_i, b_i)` of the MinHash family, fixed constants from SplitMix64;
/// every `a_i` is odd, so each map is a bijection mod 2^64.
const AFFINE: [(u64, u64); NUM_HASHES] = {
    let mut out = [(0u64, 0u64); NUM_HASHES];
    let mut i = 0;
    while i < NUM_HASHES {
        let k = 0x2545_f491_4f6c_dd1d_u64.wrapping_add(2 * i as u64);
        out[i] = (mix(k) | 1, mix(k + 1));
        i += 1;
    }
    out
};

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "Plan the rollout of single sign-on to our forty internal \
        applications over the third quarter, starting with the finance tools, then the \
        engineering dashboards, and finally the customer support consoles, with a \
        rollback step for each wave and a weekly review with the security team";

    #[test]
    fn near_duplicates_are_found_and_distinct_texts_are_not() {
        let mut index = NearDupIndex::new();
        index.insert(Fingerprint::new(BASE));
        index.insert(Fingerprint::new("What is the sum of the first ten primes?"));
        // last word changed: still a near duplicate
        let edited = BASE.replace("security team", "security group");
        let fp = Fingerprint::new(&edited);
        assert!(Fingerprint::new(BASE).jaccard(&fp) >= NEAR_DUP_JACCARD);
        assert_eq!(index.find(&fp), Some(0));
        // same topic, different wording: not a near duplicate
        let other = Fingerprint::new(
            "Write a migration plan for moving forty internal apps to single sign-on next quarter",
        );
        assert_eq!(index.find(&other), None);
    }

    #[test]
    fn jaccard_of_identical_and_disjoint_texts() {
        let a = Fingerprint::new("one two three four five six");
        let b = Fingerprint::new("ONE two, three four five six!");
        let c = Fingerprint::new("seven eight nine ten eleven twelve");
        assert_eq!(a.jaccard(&b), 1.0);
        assert_eq!(a.jaccard(&c), 0.0);
        assert_eq!(words("東京 in 2024"), vec!["東", "京", "in", "2024"]);
    }
}
