//! Text → hashed sparse features: word unigrams and bigrams plus character n-grams,
//! hashed into a fixed number of buckets (the fastText recipe).
//!
//! Everything here is specified, because bucket ids are persisted with model weights:
//!
//! 1. **Truncation.** A prompt longer than `head_bytes + tail_bytes` keeps its first
//!    `head_bytes` and last `tail_bytes` (cut on char boundaries, joined by a newline): the
//!    request is usually in the first and last lines of a pasted log, and latency stays bounded.
//! 2. **Normalisation** (per char): ASCII letters lowercased, every decimal digit becomes `0`;
//!    non-ASCII chars outside CJK get a compatibility decomposition (NFKD), combining marks
//!    dropped, then lowercased — so `Ｆｕｌｌ`, `full` and `FULL` agree, and `café` = `cafe`.
//! 3. **Tokens**: runs of alphanumerics and `_` are *words*; each CJK char ([`is_cjk`]: Han,
//!    kana, Hangul syllables) is a word of its own, since those scripts have no spaces; runs of other
//!    non-space chars are *symbol* tokens (cut after 4 chars); a newline is a
//!    token (line structure tells code from prose).
//! 4. **Features** per token: its unigram; with `word_ngrams = 2` the bigram with the
//!    previous token; for words of two or more chars, the character n-grams of
//!    `<word>` for n in `char_ngram_min..=char_ngram_max`.
//! 5. **Hash** (`foldmul64`): built on the folded multiply `fm(a, b)` = high 64 bits xor
//!    low 64 bits of the 128-bit product `a · b`, with `K = 0x9E3779B97F4A7C15`. A kind's
//!    basis is `fm(seed ^ (tag << 56), K)` with tag `0x01` for tokens and `0x03` for character
//!    n-grams. A byte string `x` (UTF-8 of a token or an n-gram) hashes as: `h = basis ^ len(x)`,
//!    then for each 8-byte chunk of `x` (little-endian `u64`, the last one zero-padded; one
//!    zero chunk if `x` is empty) `h = fm(h ^ chunk, K)`. So an ASCII n-gram of up to 8 chars
//!    costs one multiply. A bigram is `(h_prev ^ h_cur.rotate_left(31)).wrapping_mul(K)`.
//!    The bucket is `(h ^ (h >> 32)) & (buckets - 1)` (bucket counts are powers of two).
//! 6. **Lead words** (scheme 3): a word among the first `lead_tokens` tokens of the prompt
//!    (counting every token of step 3; position `p` from 0) also gets the feature
//!    `fm(h ^ 0x4c454144 ^ (p << 40), K)`, `h` being its unigram hash before bucketing, counted
//!    `lead_weight` times. The opening words ("plan", "why", "translate", "def") say what a
//!    prompt asks for; in a bag of hundreds of features they would otherwise barely count.
//!    A prompt that opens with CJK or symbols has fewer or no lead features.
//!
//! ```
//! use promptyard::features::{FeatureScratch, Featurizer, FeaturizerConfig};
//! let f = Featurizer::new(FeaturizerConfig::default()).unwrap();
//! let mut scratch = FeatureScratch::default();
//! let mut ids = Vec::new();
//! f.featurize("Complete `def parse_date(s):`", &mut scratch, &mut ids);
//! assert!(ids.iter().all(|&b| b < f.config().buckets));
//! ```

use serde::{Deserialize, Serialize};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use crate::error::{Error, Result};

/// Mixed into a lead word's hash (module doc, step 6): `"LEAD"` as a number.
const LEAD_SALT: u64 = 0x4c45_4144;

/// Name of the hash function, stored with the weights and checked at load.
pub const HASH_NAME: &str = "foldmul64";
/// Version of the feature rules above; bump on any change. Scheme 3 added lead words (step 6);
/// a scheme-2 model (no lead words) still loads, so this is the newest accepted scheme.
pub const SCHEME_VERSION: u32 = 3;
/// Longest symbol token in chars; longer runs are split.
pub(crate) const MAX_SYMBOL_CHARS: usize = 4;

/// The multiplier `K` of the hash (module doc, step 5).
const K: u64 = 0x9E37_79B9_7F4A_7C15;
const TAG_WORD: u8 = 0x01;
/// Longest padded ASCII word (`<word>`) the fast n-gram path takes.
const ASCII_WORD_MAX: usize = 64;
const TAG_CHAR: u8 = 0x03;

/// Featurizer settings; persisted in the model's `config.json` and safetensors metadata.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeaturizerConfig {
    /// Hash function name; must be [`HASH_NAME`].
    pub hash: String,
    /// Hash seed (mixed into the hash bases).
    pub seed: u64,
    /// Number of hash buckets (rows of the embedding table); a power of two.
    pub buckets: u32,
    /// Longest word n-gram: 1 (unigrams) or 2 (plus bigrams).
    pub word_ngrams: u8,
    /// Shortest character n-gram, in chars, counting the `<` `>` word boundaries; 0 disables.
    pub char_ngram_min: u8,
    /// Longest character n-gram, in chars.
    pub char_ngram_max: u8,
    /// Bytes kept from the start of a long prompt (default 512: the request is nearly always
    /// in the opening lines or the closing ones, and reading less is most of the speed on long
    /// prompts; `benchmarks/REPORT.md`, session 15, has the accuracy this was chosen on).
    pub head_bytes: u32,
    /// Bytes kept from the end of a long prompt (default 256).
    pub tail_bytes: u32,
    /// Feature rules version: 2, or [`SCHEME_VERSION`] (3), which added lead words.
    pub scheme: u32,
    /// Leading tokens of a prompt whose words also get a positional lead feature (step 6 of
    /// the module doc); 0 (the value for models from before scheme 3) disables them.
    #[serde(default)]
    pub lead_tokens: u8,
    /// How many times each lead feature counts in the mean (1 to 16): a prompt's opening
    /// words say what it asks for, and one feature among hundreds would barely move it.
    #[serde(default = "one")]
    pub lead_weight: u8,
}

fn one() -> u8 {
    1
}

impl Default for FeaturizerConfig {
    fn default() -> Self {
        FeaturizerConfig {
            hash: HASH_NAME.to_string(),
            seed: 0x5717_c4ad,
            buckets: 1 << 18,
            word_ngrams: 2,
            char_ngram_min: 6,
            char_ngram_max: 6,
            head_bytes: 512,
            tail_bytes: 256,
            scheme: SCHEME_VERSION,
            lead_tokens: 2,
            lead_weight: 4,
        }
    }
}

impl FeaturizerConfig {
    /// Where the reading budget cuts `text` (step 1 of the module doc): `None` when it is read
    /// whole, else the end of the head kept and the start of the tail kept (char boundaries).
    pub fn read_bounds(&self, text: &str) -> Option<(usize, usize)> {
        let (head, tail) = (self.head_bytes as usize, self.tail_bytes as usize);
        (text.len() > head + tail)
            .then(|| (floor_boundary(text, head), ceil_boundary(text, text.len() - tail)))
    }

    /// Checks every field, naming the first bad one.
    pub fn validate(&self) -> Result<()> {
        let bad = |field: &'static str, msg: String| Err(Error::FeaturizerConfig { field, msg });
        if self.hash != HASH_NAME {
            return bad(
                "hash",
                format!("{:?} is not supported (expected {HASH_NAME:?})", self.hash),
            );
        }
        if !(2..=SCHEME_VERSION).contains(&self.scheme) {
            return bad(
                "scheme",
                format!(
                    "{} is not supported (expected 2 to {SCHEME_VERSION}; a newer model needs a newer promptyard)",
                    self.scheme
                ),
            );
        }
        if self.lead_tokens > 8 {
            return bad(
                "lead_tokens",
                format!("{} is more than 8", self.lead_tokens),
            );
        }
        if self.lead_tokens > 0 && self.scheme < 3 {
            return bad(
                "lead_tokens",
                format!("{} needs scheme 3, not {}", self.lead_tokens, self.scheme),
            );
        }
        if !(1..=16).contains(&self.lead_weight) {
            return bad(
                "lead_weight",
                format!("{} is not within 1..=16", self.lead_weight),
            );
        }
        if !self.buckets.is_power_of_two() || self.buckets < 2 {
            return bad(
                "buckets",
                format!("{} is not a power of two ≥ 2", self.buckets),
            );
        }
        if !(1..=2).contains(&self.word_ngrams) {
            return bad("word_ngrams", format!("{} is not 1 or 2", self.word_ngrams));
        }
        if self.char_ngram_min > self.char_ngram_max || self.char_ngram_max > 8 {
            return bad(
                "char_ngram_min",
                format!(
                    "the range {}..={} (char_ngram_min..=char_ngram_max) is not within 0..=8",
                    self.char_ngram_min, self.char_ngram_max
                ),
            );
        }
        if self.head_bytes == 0 {
            return bad("head_bytes", "is 0".into());
        }
        Ok(())
    }
}

/// Caller-owned buffers for [`Featurizer`]; reuse one per thread so the hot path never allocates
/// once the buffers have grown to the truncation budget.
#[derive(Debug, Default, Clone)]
pub struct FeatureScratch {
    /// Normalised text as UTF-8 bytes, followed by [`PAD`] zero bytes so that an 8-byte load
    /// at any position of the text stays in bounds.
    norm: Vec<u8>,
    /// Bit `i` set when `norm[i]` is an ASCII word byte ([`word_bitmap`]).
    words: Vec<u64>,
    offsets: Vec<u32>,
    grams: Vec<u32>,
    /// The n-grams of short ASCII words, hashed after the token loop
    /// ([`Featurizer::feed`], [`short_word_ngrams`]).
    pending: Vec<u64>,
}

/// Receives bucket ids from [`Featurizer::feed`]. Taken and returned by value so its state
/// stays in registers on the hot path; any `FnMut(u32)` is a sink.
pub(crate) trait FeatureSink {
    /// One feature's bucket id.
    fn feature(&mut self, bucket: u32);
}

impl<F: FnMut(u32)> FeatureSink for F {
    #[inline(always)]
    fn feature(&mut self, bucket: u32) {
        self(bucket)
    }
}

/// The settings [`Featurizer::feed`]'s loop reads for every token, passed by value: its copy
/// for [`Shape::DEFAULT`] sees them as constants, which frees registers in the hot loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    bigrams: bool,
    lead_tokens: usize,
    lead_weight: u8,
    minn: usize,
    maxn: usize,
    mask: u64,
}

impl Shape {
    /// The shape of [`FeaturizerConfig::default`], the bundled model's.
    const DEFAULT: Shape = Shape {
        bigrams: true,
        lead_tokens: 2,
        lead_weight: 4,
        minn: 6,
        maxn: 6,
        mask: (1 << 18) - 1,
    };

    fn of(cfg: &FeaturizerConfig) -> Shape {
        Shape {
            bigrams: cfg.word_ngrams >= 2,
            lead_tokens: usize::from(cfg.lead_tokens),
            lead_weight: cfg.lead_weight,
            minn: usize::from(cfg.char_ngram_min),
            maxn: usize::from(cfg.char_ngram_max),
            mask: u64::from(cfg.buckets) - 1,
        }
    }

    #[inline(always)]
    fn bucket(self, h: u64) -> u32 {
        ((h ^ (h >> 32)) & self.mask) as u32
    }
}

/// Turns text into hash-bucket ids; immutable, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Featurizer {
    cfg: FeaturizerConfig,
    shape: Shape,
    word_basis: u64,
    char_basis: u64,
}

/// Folded multiply: high xor low half of the 128-bit product.
#[inline(always)]
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// The `foldmul64` hash of `bytes` from `basis` (module doc, step 5).
#[inline]
fn hash_bytes(basis: u64, bytes: &[u8]) -> u64 {
    let mut h = basis ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = fold_mul(h ^ u64::from_le_bytes(w), K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() || bytes.is_empty() {
        h = fold_mul(h ^ load8(rest, 0), K);
    }
    h
}

/// [`hash_bytes`] of `bytes[at..at + len]`, read in place: 8-byte loads, the last one masked
/// to the span, so nothing is copied and the bytes after the span may be anything.
#[inline]
fn hash_span(basis: u64, bytes: &[u8], at: usize, len: usize) -> u64 {
    let mut h = basis ^ len as u64;
    let (mut p, end) = (at, at + len);
    while p + 8 <= end {
        h = fold_mul(h ^ load8(bytes, p), K);
        p += 8;
    }
    let rest = end - p;
    if rest > 0 || len == 0 {
        let mask = u64::MAX.checked_shr(64 - 8 * rest as u32).unwrap_or(0);
        h = fold_mul(h ^ (load8(bytes, p) & mask), K);
    }
    h
}

/// The little-endian `u64` of `bytes[at..at + 8]`, zero past the end of `bytes`.
#[inline(always)]
fn load8(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(b) => u64::from_le_bytes(b.try_into().unwrap_or_default()),
        None => bytes
            .get(at..)
            .unwrap_or_default()
            .iter()
            .rev()
            .fold(0, |v, &b| (v << 8) | u64::from(b)),
    }
}

/// Han, kana and Hangul syllables: the scripts written without spaces, which the featurizer
/// (and the training data's near-duplicate search) cut into one word per char.
///
/// The ranges, part of the persisted scheme ([`SCHEME_VERSION`] 2, so changing them changes
/// feature ids and needs a scheme bump and a retrain):
///
/// | range                | block                                                  |
/// |----------------------|--------------------------------------------------------|
/// | `U+3040..=U+30FF`    | Hiragana, Katakana (incl. `ー` and `・`)               |
/// | `U+3400..=U+4DBF`    | CJK Unified Ideographs Extension A                     |
/// | `U+4E00..=U+9FFF`    | CJK Unified Ideographs                                 |
/// | `U+AC00..=U+D7AF`    | Hangul Syllables                                       |
/// | `U+F900..=U+FAFF`    | CJK Compatibility Ideographs                           |
/// | `U+20000..=U+2FFFF`  | plane 2: Extensions B–F, I and Compatibility Supplement |
///
/// Left out on purpose: CJK symbols and punctuation (`U+3000..=U+303F`: spaces and
/// punctuation, not words); Hangul Jamo and compatibility Jamo (letters that spell a
/// syllable, so a run of them is one word); halfwidth Katakana and Kangxi radicals, which the
/// featurizer's NFKD maps into the ranges above before it tokenises. A known gap, kept for
/// scheme 2: plane 3 (Extensions G and H, rare historic ideographs) counts as letters.
#[inline]
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // hiragana, katakana
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xAC00..=0xD7AF   // Hangul syllables
        | 0xF900..=0xFAFF   // CJK compatibility ideographs
        | 0x20000..=0x2FFFF // CJK extensions B..
    )
}

#[derive(Clone, Copy, PartialEq)]
enum Class {
    Space,
    Newline,
    Word,
    Cjk,
    Symbol,
}

#[inline(always)]
fn class_of(c: char) -> Class {
    // CJK first: a range test, where the whitespace test is a table search; no CJK char is
    // whitespace or a control char, so the order does not change any answer.
    if is_cjk(c) {
        Class::Cjk
    } else if let Some(k) = cjk_punct_index(c) {
        // CJK symbols and punctuation (`、` `。` `「`…), frequent in CJK prompts: a bit table
        // instead of the Unicode property searches below (`cjk_punctuation_table_is_exact`).
        if CJK_PUNCT_WORD >> k & 1 != 0 {
            Class::Word
        } else {
            Class::Symbol
        }
    } else if let Some(t) = bmp_info(c) {
        t.class
    } else {
        class_of_general(c)
    }
}

/// The general rules' answers for one char of the Basic Multilingual Plane outside ASCII:
/// its normalisation (`len` bytes of `norm`; a `len` over 7 means "too long, ask the general
/// rule") and its class. Those rules search Unicode tables per char, which made a Russian
/// prompt ~30 times slower to route than an English one of the same length (measured: 75 µs
/// against 2.4 µs), a Thai one ~25 times, and English with curly quotes and dashes twice.
#[derive(Clone, Copy)]
struct CharInfo {
    len: u8,
    norm: [u8; 7],
    class: Class,
}

/// Chars per page of [`bmp_info`]'s table.
const PAGE: usize = 256;

/// [`CharInfo`] for `c` in `U+0080..U+10000`, `None` elsewhere. The table is built a page of
/// 256 chars at a time, the first time a prompt uses one (~50 µs), from
/// [`normalize_char_general`] and [`class_of_general`] themselves, so it cannot disagree with
/// them (`bmp_table_is_the_general_rule`), and a process that sees only English and Russian
/// builds two or three pages, not 256.
#[inline(always)]
fn bmp_info(c: char) -> Option<&'static CharInfo> {
    bmp_info_at(c as u32)
}

/// [`bmp_info`] by code point.
#[inline(always)]
fn bmp_info_at(cp: u32) -> Option<&'static CharInfo> {
    static PAGES: [std::sync::OnceLock<Box<[CharInfo; PAGE]>>; 0x10000 / PAGE] =
        [const { std::sync::OnceLock::new() }; 0x10000 / PAGE];
    let cp = cp as usize;
    if cp < 0x80 {
        return None;
    }
    let page = PAGES.get(cp / PAGE)?;
    let page = match page.get() {
        Some(p) => p,
        None => page.get_or_init(|| build_page(cp / PAGE)),
    };
    Some(&page[cp % PAGE])
}

/// Page `k` of [`bmp_info`]'s table: chars `k·256 .. k·256 + 256`.
#[cold]
fn build_page(k: usize) -> Box<[CharInfo; PAGE]> {
    let mut page = Box::new(
        [CharInfo {
            len: 1,
            norm: [b' ', 0, 0, 0, 0, 0, 0],
            class: Class::Space,
        }; PAGE],
    );
    let mut out = Vec::new();
    for (i, info) in page.iter_mut().enumerate() {
        // Surrogates are not chars; nothing looks them up.
        let Some(c) = char::from_u32((k * PAGE + i) as u32) else {
            continue;
        };
        out.clear();
        normalize_char_general(&mut out, c);
        let len = out.len().min(8);
        let mut norm = [0u8; 7];
        if let Some(dst) = norm.get_mut(..len.min(7)) {
            dst.copy_from_slice(&out[..len.min(7)]);
        }
        *info = CharInfo {
            len: len as u8,
            norm,
            class: class_of_general(c),
        };
    }
    page
}

/// [`class_of`] by the Unicode properties alone: the rule its fast paths must agree with.
#[inline(never)]
fn class_of_general(c: char) -> Class {
    if c == '\n' {
        Class::Newline
    } else if c.is_whitespace() || c.is_control() {
        Class::Space
    } else if c.is_ascii() {
        if c.is_ascii_alphanumeric() || c == '_' {
            Class::Word
        } else {
            Class::Symbol
        }
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Symbol
    }
}

/// Bit `k` set where `U+3001 + k` (`k < 63`) is alphanumeric, so a [`Class::Word`]; every
/// other char of `U+3001..=U+303F` is a [`Class::Symbol`] (none is whitespace or a control
/// char). Checked against the general rule of [`class_of`] by a test.
const CJK_PUNCT_WORD: u64 = 0x0f9f_01ff_0000_0070;

/// [`class_of`] for every ASCII byte, so the common case needs no char decoding.
const ASCII_CLASS: [Class; 128] = {
    let mut t = [Class::Symbol; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c == b'\n' {
            Class::Newline
        } else if c.is_ascii_whitespace() || c.is_ascii_control() || c == 0x0b {
            Class::Space
        } else if c.is_ascii_alphanumeric() || c == b'_' {
            Class::Word
        } else {
            Class::Symbol
        };
        b += 1;
    }
    t
};

/// Bytes of ASCII word chars (alphanumerics and `_`); every non-ASCII byte is `false`: the
/// reference [`word_mask16`] is tested against, and its rule for a last partial block.
const ASCII_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = matches!(ASCII_CLASS[b], Class::Word);
        b += 1;
    }
    t
};

/// Largest char boundary ≤ `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Smallest char boundary ≥ `i`.
fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Normalised ASCII: lowercase, every digit `0`.
const ASCII_NORM: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_digit() {
            b'0'
        } else {
            c.to_ascii_lowercase()
        };
        b += 1;
    }
    t
};

fn push_char(out: &mut Vec<u8>, c: char) {
    out.extend_from_slice(c.encode_utf8(&mut [0u8; 4]).as_bytes());
}

/// Bytes `0x01` repeated, for the SWAR arithmetic of [`norm_ascii8`].
#[cfg(any(test, not(target_arch = "x86_64")))]
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte.
#[cfg(any(test, not(target_arch = "x86_64")))]
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// [`ASCII_NORM`] applied to 8 ASCII bytes at once (every byte of `w` is `< 0x80`).
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(always)]
fn norm_ascii8(w: u64) -> u64 {
    // High bit of each byte set where the byte is ≥ `lo` / > `hi`; no byte overflows
    // because every byte of `w` is < 0x80 and the addends are ≤ 0x80.
    let ge = |lo: u8| w.wrapping_add(u64::from(0x80 - lo) * ONES) & HIGHS;
    let gt = |hi: u8| w.wrapping_add(u64::from(0x7f - hi) * ONES) & HIGHS;
    let upper = ge(b'A') & !gt(b'Z');
    let digit = ge(b'0') & !gt(b'9');
    let digit_bytes = (digit >> 7) * 0xff;
    ((w | (upper >> 2)) & !digit_bytes) | ((digit >> 7) * u64::from(b'0'))
}

/// Normalises the ASCII bytes at the start of `b` into `out` and returns how many there
/// were: 16 at a time, loaded, checked for a non-ASCII byte, normalised and stored in one
/// pass (a scan, a copy and a pass in place before), the rest by the table.
#[inline(always)]
fn push_ascii_run(out: &mut Vec<u8>, b: &[u8]) -> usize {
    let mut n = 0;
    while let Some(Ok(block)) = b.get(n..n + 16).map(<[u8; 16]>::try_from) {
        if high_bits16(&block) != 0 {
            break;
        }
        let mut block = block;
        norm_ascii16(&mut block);
        out.extend_from_slice(&block);
        n += 16;
    }
    while let Some(&x) = b.get(n) {
        if x >= 0x80 {
            break;
        }
        out.push(ASCII_NORM[usize::from(x)]);
        n += 1;
    }
    n
}

/// Bit `k` set when `b[k] >= 0x80`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn high_bits16(b: &[u8; 16]) -> u16 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86-64 baseline; the load reads exactly the 16 bytes of `b`.
    unsafe { _mm_movemask_epi8(_mm_loadu_si128(b.as_ptr().cast())) as u16 }
}

/// Bit `k` set when `b[k] >= 0x80`.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn high_bits16(b: &[u8; 16]) -> u16 {
    high_bits16_portable(b)
}

/// [`high_bits16`] without SIMD: the other architectures' version, tested on all.
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(always)]
fn high_bits16_portable(b: &[u8; 16]) -> u16 {
    b.iter()
        .enumerate()
        .fold(0, |m, (k, &x)| m | (u16::from(x >> 7) << k))
}

/// All-ones lanes where the byte of `x` is in `lo..lo + n`: `lo <= x < lo + n` as an
/// unsigned compare, `(x - lo) ^ 0x80 < n ^ 0x80`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn bytes_within(x: std::arch::x86_64::__m128i, lo: u8, n: u8) -> std::arch::x86_64::__m128i {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86-64 baseline; these instructions touch registers only.
    unsafe {
        let v = _mm_xor_si128(
            _mm_sub_epi8(x, _mm_set1_epi8(lo as i8)),
            _mm_set1_epi8(-128),
        );
        _mm_cmplt_epi8(v, _mm_set1_epi8((n ^ 0x80) as i8))
    }
}

/// [`ASCII_NORM`] applied to 16 ASCII bytes at once.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn norm_ascii16(b: &mut [u8; 16]) {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86-64 baseline; the load and the store touch exactly the
    // 16 bytes of `b`.
    unsafe {
        let x = _mm_loadu_si128(b.as_ptr().cast());
        let upper = bytes_within(x, b'A', 26);
        let digit = bytes_within(x, b'0', 10);
        let lowered = _mm_or_si128(x, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
        let folded = _mm_or_si128(
            _mm_andnot_si128(digit, lowered),
            _mm_and_si128(digit, _mm_set1_epi8(b'0' as i8)),
        );
        _mm_storeu_si128(b.as_mut_ptr().cast(), folded);
    }
}

/// [`ASCII_NORM`] applied to 16 ASCII bytes at once.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn norm_ascii16(b: &mut [u8; 16]) {
    norm_ascii16_portable(b)
}

/// [`norm_ascii16`] without SIMD: the other architectures' version, tested on all.
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(always)]
fn norm_ascii16_portable(b: &mut [u8; 16]) {
    for h in b.chunks_exact_mut(8) {
        let w = u64::from_le_bytes((&*h).try_into().unwrap_or_default());
        h.copy_from_slice(&norm_ascii8(w).to_le_bytes());
    }
}

/// Slots [`short_word_ngrams`] fills per word: words of up to `DEFERRED_SLOTS + n - 3`
/// bytes (8 for the default 6-grams, nearly every English word) take that path.
const DEFERRED_SLOTS: usize = 5;

/// `WORD_MASK[len]` keeps the first `len` bytes of a little-endian `u64` (`len <= 8`).
const WORD_MASK: [u64; 9] = {
    let mut t = [0u64; 9];
    let mut len = 1;
    while len <= 8 {
        t[len] = u64::MAX >> (64 - 8 * len);
        len += 1;
    }
    t
};

/// `CLOSE_AFTER[len]` is `>` in byte `len + 1` of a `u128`: closes `<word>` for a word of
/// `len <= 8` bytes.
const CLOSE_AFTER: [u128; 9] = {
    let mut t = [0u128; 9];
    let mut len = 0;
    while len <= 8 {
        t[len] = (b'>' as u128) << (8 * (len + 1));
        len += 1;
    }
    t
};

/// Writes the `n`-byte n-grams of `<word>` for the ASCII word `bytes[start..start + len]`
/// (`len <= 8`, `len + 3 <= DEFERRED_SLOTS + n`) into `slots`, as the bytes that
/// [`Featurizer::char_ngrams_ascii`] hashes, and returns how many are real: `len + 3 - n`,
/// none for a one-char word (module doc, step 4). The slots after those get leftovers that
/// the caller never reads. Every word takes the same instructions, whatever its length.
#[inline(always)]
fn short_word_ngrams(
    bytes: &[u8],
    start: usize,
    len: usize,
    n: usize,
    slots: &mut [u64; DEFERRED_SLOTS],
) -> usize {
    let len = len.min(8);
    let word = load8(bytes, start) & WORD_MASK[len];
    // "<word>": `<` in byte 0, the word, `>` in byte `len + 1` (from a table: a shift of a
    // `u128` by a variable amount is a branch or several instructions).
    let padded = (u128::from(word) << 8) | CLOSE_AFTER[len] | u128::from(b'<');
    let keep = u64::MAX >> (64 - 8 * n.clamp(1, 8));
    for (j, slot) in slots.iter_mut().enumerate() {
        *slot = (padded >> (8 * j)) as u64 & keep;
    }
    if len >= 2 {
        (len + 3).saturating_sub(n)
    } else {
        0
    }
}

/// Zero bytes after the normalised text in [`FeatureScratch`]: 8-byte loads never run off it.
const PAD: usize = 8;

/// Appends normalised `s` to `out` as UTF-8; ASCII runs are found, copied and normalised
/// 16 bytes at a time ([`push_ascii_run`]).
fn push_normalized(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + PAD);
    let mut rest = s;
    while let Some(&b) = rest.as_bytes().first() {
        if b < 0x80 {
            let n = push_ascii_run(out, rest.as_bytes());
            rest = &rest[n..];
            continue;
        }
        if b < 0xE0 {
            // A run of two-byte chars (Latin-1 and Latin Extended, Greek, Cyrillic, Arabic…),
            // decoded here: none is CJK, so none needs the tests below.
            let n = push_two_byte_run(out, rest.as_bytes());
            if n > 0 {
                rest = &rest[n..];
                continue;
            }
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        if is_cjk(c) || is_plain_cjk_punct(c) {
            // CJK chars and CJK punctuation with no decomposition, not numeric and caseless
            // (`cjk_punct_fast_path_is_exact`) are kept as they are: copy the whole run of
            // them at once.
            let run = rest
                .char_indices()
                .find(|&(_, d)| !(is_cjk(d) || is_plain_cjk_punct(d)))
                .map_or(rest.len(), |(k, _)| k);
            out.extend_from_slice(&rest.as_bytes()[..run]);
            rest = &rest[run..];
            continue;
        }
        rest = chars.as_str();
        match bmp_info(c).and_then(|t| t.norm.get(..usize::from(t.len))) {
            // Latin, Greek, Cyrillic, Arabic, Devanagari, Thai, punctuation, fullwidth forms…
            // (the rest of the BMP): the general rule's answer, looked up
            // (`bmp_table_is_the_general_rule`), and copied byte by byte: a few bytes, where a
            // copy would call `memmove`.
            Some(bytes) => {
                for &b in bytes {
                    out.push(b);
                }
            }
            None => normalize_char_general(out, c),
        }
    }
}

/// The code point of the two-byte UTF-8 char `b0 b1` (lead byte `0xC0..0xE0`).
#[inline(always)]
fn two_byte_cp(b0: u8, b1: u8) -> u32 {
    (u32::from(b0 & 0x1F) << 6) | u32::from(b1 & 0x3F)
}

/// Normalises the two-byte chars at the start of UTF-8 `bytes` into `out` and returns how
/// many bytes they took (0 when `bytes` does not start with one, or with one whose
/// normalisation is too long for the table).
#[inline]
fn push_two_byte_run(out: &mut Vec<u8>, bytes: &[u8]) -> usize {
    let mut k = 0;
    while let (Some(&b0), Some(&b1)) = (bytes.get(k), bytes.get(k + 1)) {
        if !(0xC0..0xE0).contains(&b0) {
            break;
        }
        let Some(norm) = bmp_info_at(two_byte_cp(b0, b1)).and_then(|t| t.norm.get(..usize::from(t.len))) else {
            break;
        };
        for &b in norm {
            out.push(b);
        }
        k += 2;
    }
    k
}

/// Step 2 of the module doc for one non-ASCII char outside CJK, by the Unicode tables alone:
/// the rule [`push_normalized`]'s fast paths must agree with.
fn normalize_char_general(out: &mut Vec<u8>, c: char) {
    decompose_compatible(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        if d.is_numeric() {
            out.push(b'0');
        } else {
            d.to_lowercase().for_each(|l| push_char(out, l));
        }
    });
}

/// Chars of `U+3001..=U+303F` that normalisation leaves as they are: bit `k` for
/// `U+3001 + k`, clear for the few that decompose (`U+3036`) or are numeric (`〇`, the
/// Hangzhou numerals), which take the general path.
const CJK_PUNCT_PLAIN: u64 = 0x7c5f_8000_ffff_ffbf;

#[inline]
fn is_plain_cjk_punct(c: char) -> bool {
    cjk_punct_index(c).is_some_and(|k| CJK_PUNCT_PLAIN >> k & 1 != 0)
}

/// `k` for `c = U+3001 + k` in the CJK symbols and punctuation block (`k < 63`): the bit of
/// `c` in [`CJK_PUNCT_WORD`] and [`CJK_PUNCT_PLAIN`].
#[inline]
fn cjk_punct_index(c: char) -> Option<u32> {
    (c as u32).checked_sub(0x3001).filter(|&k| k < 63)
}

/// The char that starts at byte `i` of `bytes` (UTF-8 built from chars, `i` a char boundary)
/// and its length in bytes; `(' ', 1)` if that does not hold (it never happens). Decoded by
/// hand: `str::from_utf8` on each char cost more than the rest of a CJK prompt's featurizing.
#[inline]
fn char_at(bytes: &[u8], i: usize) -> (char, usize) {
    let b = |k: usize| u32::from(bytes.get(i + k).copied().unwrap_or(0));
    let (cp, w) = match b(0) {
        x if x < 0x80 => (x, 1),
        x if x < 0xE0 => (((x & 0x1F) << 6) | (b(1) & 0x3F), 2),
        x if x < 0xF0 => (((x & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F), 3),
        x => (
            ((x & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F),
            4,
        ),
    };
    char::from_u32(cp).map_or((' ', 1), |c| (c, w))
}

/// Class and UTF-8 length of the char that starts at byte `i` of normalised `bytes`.
#[inline(always)]
fn class_at_bytes(bytes: &[u8], i: usize) -> (Class, usize) {
    match bytes.get(i) {
        Some(&b) if b < 0x80 => (ASCII_CLASS[b as usize], 1),
        // A two-byte char (Latin-1 and Latin Extended, Greek, Cyrillic, Arabic…): no CJK
        // among them, so straight to the table.
        Some(&b) if b < 0xE0 => {
            let b1 = bytes.get(i + 1).copied().unwrap_or(0);
            match bmp_info_at(two_byte_cp(b, b1)) {
                Some(t) => (t.class, 2),
                None => (class_of(char_at(bytes, i).0), 2),
            }
        }
        // A three-byte char (the rest of the BMP: CJK, Devanagari, Thai, punctuation…).
        Some(&b) if b < 0xF0 => {
            let (b1, b2) = (
                bytes.get(i + 1).copied().unwrap_or(0),
                bytes.get(i + 2).copied().unwrap_or(0),
            );
            let cp =
                (u32::from(b & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F);
            (class_of(char::from_u32(cp).unwrap_or(' ')), 3)
        }
        _ => {
            let (c, l) = char_at(bytes, i);
            (class_of(c), l)
        }
    }
}

/// Sets bit `i % 64` of `out[i / 64]` when `bytes[i]` is an ASCII word byte (`[0-9A-Za-z_]`,
/// as [`ASCII_WORD`]; bytes ≥ 0x80 never are). Built once per prompt, 16 bytes per step, so
/// that finding where a word ends is a count of trailing zeros instead of a scan.
fn word_bitmap(bytes: &[u8], out: &mut Vec<u64>) {
    out.clear();
    let mut blocks = bytes.chunks_exact(64);
    for b in &mut blocks {
        let mut m = 0u64;
        for (q, c) in b.chunks_exact(16).enumerate() {
            m |= u64::from(word_mask16(c.try_into().unwrap_or(&[0; 16]))) << (16 * q);
        }
        out.push(m);
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        out.push(
            rest.iter()
                .enumerate()
                .fold(0, |m, (k, &x)| m | (u64::from(ASCII_WORD[x as usize]) << k)),
        );
    }
}

/// Bit `k` set when `b[k]` is an ASCII word byte.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn word_mask16(b: &[u8; 16]) -> u16 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86-64 baseline, so these instructions always exist; the
    // one load reads exactly the 16 bytes of `b`.
    unsafe {
        let x = _mm_loadu_si128(b.as_ptr().cast());
        let word = _mm_or_si128(
            _mm_or_si128(bytes_within(x, b'a', 26), bytes_within(x, b'A', 26)),
            _mm_or_si128(
                bytes_within(x, b'0', 10),
                _mm_cmpeq_epi8(x, _mm_set1_epi8(b'_' as i8)),
            ),
        );
        _mm_movemask_epi8(word) as u16
    }
}

/// Bit `k` set when `b[k]` is an ASCII word byte.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn word_mask16(b: &[u8; 16]) -> u16 {
    b.iter()
        .enumerate()
        .fold(0, |m, (k, &x)| m | (u16::from(ASCII_WORD[x as usize]) << k))
}

/// End of the run of ASCII word bytes that starts at `i`, from the bitmap of [`word_bitmap`]
/// (the zero padding after the text ends every run).
#[inline(always)]
fn ascii_word_end(words: &[u64], i: usize) -> usize {
    let mut w = i / 64;
    // Non-word bits of block `w`, those before `i` cleared.
    let mut stop = !words.get(w).copied().unwrap_or(0) & (u64::MAX << (i % 64));
    while stop == 0 {
        w += 1;
        stop = !words.get(w).copied().unwrap_or(0);
    }
    w * 64 + stop.trailing_zeros() as usize
}

impl Featurizer {
    /// Validates `cfg` and derives the hash bases.
    pub fn new(cfg: FeaturizerConfig) -> Result<Self> {
        cfg.validate()?;
        Ok(Featurizer {
            shape: Shape::of(&cfg),
            word_basis: fold_mul(cfg.seed ^ (u64::from(TAG_WORD) << 56), K),
            char_basis: fold_mul(cfg.seed ^ (u64::from(TAG_CHAR) << 56), K),
            cfg,
        })
    }

    /// The settings this featurizer was built from.
    pub fn config(&self) -> &FeaturizerConfig {
        &self.cfg
    }

    #[inline]
    fn bucket(&self, h: u64) -> u32 {
        self.shape.bucket(h)
    }

    /// Truncated, normalised text (steps 1 and 2 of the module doc) into `out` as UTF-8,
    /// followed by [`PAD`] zero bytes; returns the text's length.
    fn normalize_bytes(&self, text: &str, out: &mut Vec<u8>) -> usize {
        out.clear();
        if let Some((head_end, tail_start)) = self.cfg.read_bounds(text) {
            push_normalized(out, &text[..head_end]);
            out.push(b'\n');
            push_normalized(out, &text[tail_start..]);
        } else {
            push_normalized(out, text);
        }
        let len = out.len();
        out.extend_from_slice(&[0; PAD]);
        len
    }

    /// Truncated, normalised text (steps 1 and 2 of the module doc) into `out`.
    #[cfg(test)]
    fn normalize_into(&self, text: &str, out: &mut String) {
        let mut buf = Vec::new();
        let len = self.normalize_bytes(text, &mut buf);
        buf.truncate(len);
        *out = String::from_utf8(buf).unwrap();
    }

    /// Calls `emit` with the bucket id of every feature of `text`, in a fixed order (token by
    /// token, except that the n-grams of short ASCII words come after the last token).
    /// Allocation-free once `scratch` has grown.
    pub fn for_each_feature(
        &self,
        text: &str,
        scratch: &mut FeatureScratch,
        emit: impl FnMut(u32),
    ) {
        self.feed(text, scratch, emit);
    }

    /// Feeds the bucket id of every feature of `text` to `sink`, in a fixed order, and hands
    /// the sink back. Allocation-free once `scratch` has grown.
    #[inline]
    pub(crate) fn feed<S: FeatureSink>(
        &self,
        text: &str,
        scratch: &mut FeatureScratch,
        sink: S,
    ) -> S {
        if self.shape == Shape::DEFAULT {
            self.feed_shaped(text, scratch, sink, Shape::DEFAULT)
        } else {
            self.feed_shaped(text, scratch, sink, self.shape)
        }
    }

    /// [`Self::feed`] with the loop's settings in `shape` (equal to `self.shape`).
    #[inline(always)]
    fn feed_shaped<S: FeatureSink>(
        &self,
        text: &str,
        scratch: &mut FeatureScratch,
        mut sink: S,
        shape: Shape,
    ) -> S {
        let FeatureScratch {
            norm,
            words,
            offsets,
            grams,
            pending,
        } = scratch;
        let end = self.normalize_bytes(text, norm);
        word_bitmap(norm, words);
        // The text plus its zero padding: loads past `end` read zeros.
        let bytes = norm.as_slice();
        let bigrams = shape.bigrams;
        let mut prev: Option<u64> = None;
        let lead_tokens = shape.lead_tokens;
        // Tokens seen so far (spaces are not tokens), counted only up to `lead_tokens`.
        let mut ntok = 0usize;
        // A short ASCII word's n-grams are written to `pending` and hashed after the loop,
        // so that no branch in the loop depends on the word's length: the branch predictor
        // cannot guess it, and those branches cost ~1.2 µs per 200-word prompt (measured
        // on words of random lengths against words of one length, same instructions).
        let n = shape.minn;
        let defer = shape.minn == shape.maxn && (1..=8).contains(&n);
        // A word of `len >= 2` bytes has at most `len + 2` n-grams, so `2 * end` slots hold
        // them all; only `pending[..deferred]` is read, so nothing is cleared.
        if defer && pending.len() < 2 * end + DEFERRED_SLOTS {
            pending.resize(2 * end + DEFERRED_SLOTS, 0);
        }
        let mut deferred = 0usize;
        let mut i = 0;
        while i < end {
            let start = i;
            let b0 = bytes[i];
            if b0 == b' ' {
                i += 1;
                continue;
            }
            let (class, len) = class_at_bytes(bytes, i);
            i += len;
            let mut ascii = len == 1;
            let mut nchars = 1;
            // Tests in order of frequency, not a `match`: its jump table was an indirect branch
            // that the token sequence of prose kept mispredicting.
            if class == Class::Word {
                loop {
                    // The ASCII run from the word bitmap, then at most one non-ASCII char.
                    let run_end = ascii_word_end(words, i);
                    nchars += run_end - i;
                    i = run_end;
                    if i >= end || bytes[i] < 0x80 {
                        break;
                    }
                    let (c, l) = class_at_bytes(bytes, i);
                    if c != Class::Word {
                        break;
                    }
                    ascii = false;
                    nchars += 1;
                    i += l;
                }
            } else if class == Class::Symbol {
                while i < end && nchars < MAX_SYMBOL_CHARS {
                    let (c, l) = class_at_bytes(bytes, i);
                    if c != Class::Symbol {
                        break;
                    }
                    nchars += 1;
                    i += l;
                }
            } else if class == Class::Space {
                continue;
            }
            let token_len = i - start;
            let h = if token_len <= 8 {
                // `hash_bytes` of a one-chunk token, read by one 8-byte load.
                let w = load8(bytes, start) & (u64::MAX >> (64 - 8 * token_len));
                fold_mul(self.word_basis ^ token_len as u64 ^ w, K)
            } else {
                hash_bytes(self.word_basis, &bytes[start..i])
            };
            sink.feature(shape.bucket(h));
            if ntok < lead_tokens {
                if class == Class::Word {
                    let g = shape.bucket(fold_mul(h ^ LEAD_SALT ^ ((ntok as u64) << 40), K));
                    for _ in 0..shape.lead_weight {
                        sink.feature(g);
                    }
                }
                ntok += 1;
            }
            if bigrams {
                if let Some(p) = prev {
                    sink.feature(shape.bucket((p ^ h.rotate_left(31)).wrapping_mul(K)));
                }
                prev = Some(h);
            }
            if class == Class::Word
                && ascii
                && defer
                && token_len <= 8
                && token_len + 3 <= DEFERRED_SLOTS + n
            {
                let slots = pending.get_mut(deferred..deferred + DEFERRED_SLOTS);
                if let Some(Ok(slots)) = slots.map(<&mut [u64; DEFERRED_SLOTS]>::try_from) {
                    deferred += short_word_ngrams(bytes, start, token_len, n, slots);
                }
            } else if class == Class::Word && nchars > 1 {
                if ascii && token_len + 2 <= ASCII_WORD_MAX {
                    self.char_ngrams_ascii(bytes, start, i, shape, &mut sink);
                } else {
                    // Out of line, through a buffer, so `sink` never escapes this function.
                    grams.clear();
                    if defer {
                        self.char_ngrams_one_n_utf8(bytes, start, i, n, offsets, grams);
                    } else {
                        let word = std::str::from_utf8(&bytes[start..i]).unwrap_or_default();
                        self.char_ngrams_general(word, offsets, &mut |b| grams.push(b));
                    }
                    for &b in grams.iter() {
                        sink.feature(b);
                    }
                }
            }
        }
        let base = self.char_basis ^ n as u64;
        for &g in pending.get(..deferred).unwrap_or_default() {
            sink.feature(shape.bucket(fold_mul(base ^ g, K)));
        }
        sink
    }

    /// Character n-grams of `<word>`; `offsets` receives the byte offsets of its chars.
    #[cfg(test)]
    fn char_ngrams(&self, word: &str, offsets: &mut Vec<u32>, emit: &mut impl FnMut(u32)) {
        if word.is_ascii() && word.len() + 2 <= ASCII_WORD_MAX {
            // Padded as `feed` pads the normalised text.
            let mut text = word.as_bytes().to_vec();
            text.extend_from_slice(&[0; PAD]);
            self.char_ngrams_ascii(&text, 0, word.len(), self.shape, emit)
        } else {
            self.char_ngrams_general(word, offsets, emit)
        }
    }

    /// [`Self::char_ngrams_general`] for the ASCII word `text[start..end]`, with the same
    /// hashes: every char is one byte, so each n-gram is read from `text` by one 8-byte load,
    /// with the `<` `>` boundaries patched in. `text` must have [`PAD`] zero bytes after the
    /// word, as `feed`'s normalised text has.
    #[inline(always)]
    fn char_ngrams_ascii(
        &self,
        text: &[u8],
        start: usize,
        end: usize,
        shape: Shape,
        emit: &mut impl FeatureSink,
    ) {
        let (minn, maxn) = (shape.minn, shape.maxn);
        let nchars = end - start + 2;
        if maxn == 0 || nchars < minn.max(1) {
            return;
        }
        let minn = minn.max(1);
        let maxn = maxn.min(8);
        if minn == maxn {
            return self.char_ngrams_ascii_one_n(text, start, end, minn, shape, emit);
        }
        for i in 0..=nchars - minn {
            // Bytes i.. of "<word>" (bytes past the word are masked or patched below).
            let v = if i == 0 {
                (load8(text, start) << 8) | u64::from(b'<')
            } else {
                load8(text, start + i - 1)
            };
            for n in minn..=maxn.min(nchars - i) {
                let mut g = v & (u64::MAX >> (64 - 8 * n));
                if i + n == nchars {
                    let below = (1u64 << (8 * (n - 1))).wrapping_sub(1);
                    g = (g & below) | (u64::from(b'>') << (8 * (n - 1)));
                }
                let h = fold_mul(self.char_basis ^ n as u64 ^ g, K);
                emit.feature(shape.bucket(h));
            }
        }
    }

    /// [`Self::char_ngrams_ascii`] when every n-gram has the same length `n` (1..=8, at most
    /// the padded word's length): the common configuration, with the masks hoisted out of the
    /// loop and only the first and last n-grams patched.
    #[inline(always)]
    fn char_ngrams_ascii_one_n(
        &self,
        text: &[u8],
        start: usize,
        end: usize,
        n: usize,
        shape: Shape,
        emit: &mut impl FeatureSink,
    ) {
        let nchars = end - start + 2;
        let keep = u64::MAX >> (64 - 8 * n);
        let base = self.char_basis ^ n as u64;
        let close = u64::from(b'>') << (8 * (n - 1));
        let below = (1u64 << (8 * (n - 1))).wrapping_sub(1);
        let hash = |g: u64| shape.bucket(fold_mul(base ^ g, K));
        // "<" and the word's first n - 1 bytes (or the whole "<word>" when that is all).
        let first = ((load8(text, start) << 8) | u64::from(b'<')) & keep;
        if n == nchars {
            emit.feature(hash((first & below) | close));
            return;
        }
        emit.feature(hash(first));
        // Whole n-byte windows of the word.
        let windows = (end - start + 1).saturating_sub(n);
        // 8-byte loads at `start..start + windows`, one bounds check for all of them (the
        // zero padding after the word keeps the last one in bounds).
        let loads = text.get(start..start + windows + 7);
        debug_assert!(
            loads.is_some(),
            "char_ngrams_ascii needs PAD bytes after the word"
        );
        for w in loads.unwrap_or_default().windows(8) {
            emit.feature(hash(
                u64::from_le_bytes(w.try_into().unwrap_or_default()) & keep,
            ));
        }
        // The last n - 1 bytes and ">".
        emit.feature(hash((load8(text, end + 1 - n) & below) | close));
    }

    /// [`Self::char_ngrams_general`] when every n-gram has the same length `n` (1..=8 chars),
    /// for the word `text[start..stop]`: each n-gram is one slice of the word between two
    /// char boundaries, hashed in place ([`hash_span`]); only the first and last, which carry
    /// `<` or `>`, are copied. The general path rebuilds each a char at a time for every
    /// length up to the longest.
    #[inline(never)]
    fn char_ngrams_one_n_utf8(
        &self,
        text: &[u8],
        start: usize,
        stop: usize,
        n: usize,
        offsets: &mut Vec<u32>,
        out: &mut Vec<u32>,
    ) {
        let word = text.get(start..stop).unwrap_or_default();
        // Byte offsets of the word's chars, then its end.
        offsets.clear();
        offsets.extend(
            word.iter()
                .enumerate()
                .filter(|&(_, &b)| b & 0xC0 != 0x80)
                .map(|(k, _)| k as u32),
        );
        let chars = offsets.len();
        offsets.push(word.len() as u32);
        let nchars = chars + 2;
        if n == 0 || nchars < n {
            return;
        }
        let mut gram = [0u8; 40];
        for i in 0..=nchars - n {
            // Chars i..i + n of "<word>": word chars max(i, 1) - 1 .. min(i + n - 1, chars).
            let mut len = 0;
            if i == 0 {
                gram[0] = b'<';
                len = 1;
            }
            let at = |k: usize| offsets.get(k).map_or(word.len(), |&o| o as usize);
            let (a, b) = (at(i.max(1) - 1), at((i + n - 1).min(chars)));
            if i > 0 && i + n < nchars {
                // Neither end marker: the n-gram is the word's bytes `a..b`, hashed in place.
                out.push(self.bucket(hash_span(self.char_basis, text, start + a, b - a)));
                continue;
            }
            for &x in word.get(a..b).unwrap_or_default() {
                if let Some(g) = gram.get_mut(len) {
                    *g = x;
                }
                len += 1;
            }
            if i + n == nchars {
                if let Some(g) = gram.get_mut(len) {
                    *g = b'>';
                }
                len += 1;
            }
            let g = gram.get(..len).unwrap_or_default();
            out.push(self.bucket(hash_bytes(self.char_basis, g)));
        }
    }

    /// [`Self::char_ngrams`] for any UTF-8 word.
    #[inline(never)]
    fn char_ngrams_general(&self, word: &str, offsets: &mut Vec<u32>, emit: &mut dyn FnMut(u32)) {
        let (minn, maxn) = (
            self.cfg.char_ngram_min as usize,
            self.cfg.char_ngram_max as usize,
        );
        // Padded word "<word>" as byte ranges: '<' and '>' are virtual one-byte chars.
        offsets.clear();
        offsets.extend(word.char_indices().map(|(i, _)| i as u32));
        let nchars = offsets.len() + 2;
        if nchars < minn.max(1) {
            return;
        }
        let bytes = word.as_bytes();
        let piece = |k: usize| -> &[u8] {
            if k == 0 {
                b"<"
            } else if k == nchars - 1 {
                b">"
            } else {
                let a = offsets[k - 1] as usize;
                let b = offsets.get(k).map_or(bytes.len(), |&o| o as usize);
                &bytes[a..b]
            }
        };
        let mut gram = [0u8; 8 * 4];
        for i in 0..nchars {
            let mut len = 0;
            let last = (i + maxn).min(nchars);
            for j in i..last {
                // Byte by byte: a char is one to four bytes, where a copy would call
                // `memmove`.
                for &b in piece(j) {
                    if let Some(g) = gram.get_mut(len) {
                        *g = b;
                    }
                    len += 1;
                }
                if j + 1 - i >= minn.max(1) {
                    emit(self.bucket(hash_bytes(self.char_basis, &gram[..len])));
                }
            }
        }
    }

    /// Bucket ids of `text` into `out` (cleared first).
    pub fn featurize(&self, text: &str, scratch: &mut FeatureScratch, out: &mut Vec<u32>) {
        out.clear();
        self.for_each_feature(text, scratch, |b| out.push(b));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOLDEN: (usize, u64) = (83, 1_227_346_400_524_617_556);

    fn feats(f: &Featurizer, s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        f.featurize(s, &mut FeatureScratch::default(), &mut out);
        out
    }

    #[test]
    fn counts_follow_the_spec() {
        // Lead words apart (`lead_words_follow_the_spec`).
        let f = Featurizer::new(FeaturizerConfig {
            lead_tokens: 0,
            ..Default::default()
        })
        .unwrap();
        // Char 6-grams: "abc" ("<abc>", 5 chars) has none → 1 feature; "abcd": unigram + the
        // one 6-gram of "<abcd>" → 2; "abcdefg": 1 + 4.
        assert_eq!(feats(&f, "abc").len(), 1);
        assert_eq!(feats(&f, "abcd").len(), 2);
        assert_eq!(feats(&f, "abcdefg").len(), 5);
        // "a b": two single-char words (no char n-grams) + one bigram.
        assert_eq!(feats(&f, "a b").len(), 3);
        // "(": one symbol token; "((((((": split after 4 chars → 2 tokens + 1 bigram.
        assert_eq!(feats(&f, "(").len(), 1);
        assert_eq!(feats(&f, "((((((").len(), 3);
        // Non-ASCII symbols join the run too: "(→)" is one token, "(→))))" two.
        assert_eq!(feats(&f, "(→)").len(), 1);
        assert_eq!(feats(&f, "(→))))").len(), 3);
        assert_eq!(feats(&f, "→→→→→").len(), 3);
        // Three CJK chars: 3 unigrams + 2 bigrams.
        assert_eq!(feats(&f, "日本語").len(), 5);
        assert!(feats(&f, "").is_empty());
        assert!(feats(&f, " \t\r ").is_empty());
    }

    #[test]
    fn hash_is_foldmul64_with_seeded_basis() {
        // Reference values from an independent Python implementation of the module doc:
        //   M = 2**64 - 1; K = 0x9E3779B97F4A7C15; fm = lambda a, b: (a*b & M) ^ (a*b >> 64)
        //   seed = 0x5717c4ad; wb = fm(seed ^ 1 << 56, K); cb = fm(seed ^ 3 << 56, K)
        //   h = fm(wb ^ 4 ^ int.from_bytes(b"plan", "little"), K)   # 0x317736733b89f88d
        //   g = fm(cb ^ 4 ^ int.from_bytes(b"<pl>", "little"), K)   # 0x9c44d3336eb68387
        //   bucket(x) = (x ^ x >> 32) & (2**20 - 1)                # h → 0xecefe, g → 0x250b4
        assert_eq!(fold_mul(K, K), 0xbe8c_ab64_4efd_da51);
        let cfg = FeaturizerConfig {
            buckets: 1 << 20,
            word_ngrams: 1,
            char_ngram_max: 0,
            char_ngram_min: 0,
            lead_tokens: 0,
            ..Default::default()
        };
        let f = Featurizer::new(cfg.clone()).unwrap();
        assert_eq!(f.word_basis, 0x7302_30d5_ba6a_3b52);
        assert_eq!(hash_bytes(f.word_basis, b"plan"), 0x3177_3673_3b89_f88d);
        assert_eq!(feats(&f, "PLAN"), vec![0xecefe]);
        let f = Featurizer::new(FeaturizerConfig {
            char_ngram_min: 4,
            char_ngram_max: 4,
            ..cfg
        })
        .unwrap();
        assert_eq!(
            feats(&f, "Pl"),
            vec![f.bucket(hash_bytes(f.word_basis, b"pl")), 0x250b4]
        );
    }

    #[test]
    fn lead_words_follow_the_spec() {
        let base = FeaturizerConfig {
            word_ngrams: 1,
            char_ngram_min: 0,
            char_ngram_max: 0,
            lead_tokens: 0,
            ..Default::default()
        };
        let f = Featurizer::new(FeaturizerConfig {
            lead_tokens: 2,
            lead_weight: 3,
            ..base.clone()
        })
        .unwrap();
        let uni = |w: &[u8]| f.bucket(hash_bytes(f.word_basis, w));
        // Step 6 of the module doc, written out.
        let lead = |w: &[u8], p: u64| {
            f.bucket(fold_mul(
                hash_bytes(f.word_basis, w) ^ 0x4c45_4144 ^ (p << 40),
                K,
            ))
        };
        let (p0, p1) = (lead(b"plan", 0), lead(b"it", 1));
        assert_eq!(
            feats(&f, "Plan it now"),
            vec![
                uni(b"plan"),
                p0,
                p0,
                p0,
                uni(b"it"),
                p1,
                p1,
                p1,
                uni(b"now")
            ]
        );
        assert_ne!(lead(b"plan", 0), lead(b"plan", 1));
        // A symbol or a CJK char takes a position without a lead feature of its own.
        let q1 = lead(b"plan", 1);
        assert_eq!(
            feats(&f, "# plan"),
            vec![uni(b"#"), uni(b"plan"), q1, q1, q1]
        );
        assert_eq!(feats(&f, "日本 plan").len(), 3);
        // Without lead words, the ids are scheme 2's.
        let old = Featurizer::new(FeaturizerConfig {
            scheme: 2,
            ..base.clone()
        })
        .unwrap();
        assert_eq!(
            feats(&old, "Plan it now"),
            feats(&Featurizer::new(base).unwrap(), "Plan it now")
        );
    }

    #[test]
    fn lead_settings_are_checked_and_old_configs_load_without_them() {
        let field = |cfg: FeaturizerConfig| match cfg.validate() {
            Err(Error::FeaturizerConfig { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        let d = FeaturizerConfig::default;
        assert_eq!(
            field(FeaturizerConfig {
                lead_tokens: 9,
                ..d()
            }),
            "lead_tokens"
        );
        assert_eq!(
            field(FeaturizerConfig {
                lead_weight: 0,
                ..d()
            }),
            "lead_weight"
        );
        assert_eq!(
            field(FeaturizerConfig {
                lead_weight: 17,
                ..d()
            }),
            "lead_weight"
        );
        assert_eq!(field(FeaturizerConfig { scheme: 2, ..d() }), "lead_tokens");
        assert_eq!(field(FeaturizerConfig { scheme: 4, ..d() }), "scheme");
        assert_eq!(field(FeaturizerConfig { scheme: 1, ..d() }), "scheme");
        // A scheme-2 model's config.json has no lead fields: it loads with lead words off.
        let old: FeaturizerConfig = serde_json::from_str(
            r#"{"hash": "foldmul64", "seed": 1461175469, "buckets": 262144, "word_ngrams": 2,
                "char_ngram_min": 4, "char_ngram_max": 4, "head_bytes": 2048,
                "tail_bytes": 512, "scheme": 2}"#,
        )
        .unwrap();
        assert_eq!((old.lead_tokens, old.lead_weight), (0, 1));
        assert!(old.validate().is_ok());
    }

    #[test]
    fn ascii_fast_path_hashes_like_the_general_path() {
        let long = "k".repeat(100);
        for (minn, maxn) in [(4, 4), (6, 6), (3, 5), (1, 8)] {
            let f = Featurizer::new(FeaturizerConfig {
                char_ngram_min: minn,
                char_ngram_max: maxn,
                ..Default::default()
            })
            .unwrap();
            for w in [
                "parse_date",
                "ab",
                "x0",
                "abcd",
                "abcdefghijkl",
                long.as_str(),
            ] {
                let (mut fast, mut slow) = (Vec::new(), Vec::new());
                f.char_ngrams(w, &mut Vec::new(), &mut |b| fast.push(b));
                f.char_ngrams_general(w, &mut Vec::new(), &mut |b| slow.push(b));
                assert_eq!(fast, slow, "{w} {minn}..={maxn}");
                // "<w>" has w.len() + 2 chars: an n-gram of every n up to that.
                assert_eq!(fast.is_empty(), w.len() + 2 < usize::from(minn), "{w}");
            }
        }
    }

    /// The default featurizer with n-grams of one length, `n` chars.
    fn one_length(n: u8) -> Featurizer {
        Featurizer::new(FeaturizerConfig {
            char_ngram_min: n,
            char_ngram_max: n,
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn one_length_utf8_ngrams_match_the_general_path() {
        let words = [
            "привет",
            "ab",
            "é",
            "naïve_straße",
            "日本語",
            "x",
            "Ωmega",
            "αβγδεζηθικλ",
            "مرحبا",
            "a\u{10348}b",
            "café",
        ];
        for n in 1..=8u8 {
            let f = one_length(n);
            for w in words {
                // Inside other text, as `feed` sees it.
                let text = format!("zz {w} zz");
                let (mut got, mut want) = (Vec::new(), Vec::new());
                f.char_ngrams_one_n_utf8(
                    text.as_bytes(),
                    3,
                    3 + w.len(),
                    usize::from(n),
                    &mut Vec::new(),
                    &mut got,
                );
                f.char_ngrams_general(w, &mut Vec::new(), &mut |b| want.push(b));
                assert_eq!(got, want, "{w} n={n}");
            }
        }
    }

    #[test]
    fn hash_span_is_hash_bytes_of_the_span() {
        let text = "ab\u{e9}cdefghij\u{416}klmnopqrstuvwxyz0123".as_bytes();
        for at in 0..text.len() {
            for len in 0..=text.len() - at {
                assert_eq!(
                    hash_span(7, text, at, len),
                    hash_bytes(7, &text[at..at + len]),
                    "{at}+{len}"
                );
            }
        }
    }

    #[test]
    fn bmp_table_is_the_general_rule() {
        for cp in 0x80u32..0x10000 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let mut general = Vec::new();
            normalize_char_general(&mut general, c);
            let info = bmp_info(c).expect("every BMP char outside ASCII has an entry");
            match general.len() {
                n @ 0..=7 => assert_eq!(&info.norm[..n], &general[..], "U+{cp:04X}"),
                _ => assert_eq!(info.len, 8, "U+{cp:04X} should be too long for the table"),
            }
            assert!(
                info.class == class_of_general(c),
                "table class of U+{cp:04X}"
            );
            // CJK and CJK punctuation take their own paths first (tested on their own).
            if !is_cjk(c) && cjk_punct_index(c).is_none() {
                let mut fast = Vec::new();
                push_normalized(&mut fast, c.encode_utf8(&mut [0; 4]));
                assert_eq!(fast, general, "normalisation of U+{cp:04X}");
                assert!(class_of(c) == class_of_general(c), "class of U+{cp:04X}");
            }
        }
        assert!(bmp_info('a').is_none() && bmp_info('\u{10000}').is_none());
    }

    #[test]
    fn short_words_deferred_ngrams_match_the_general_path() {
        for n in 1..=8u8 {
            let f = one_length(n);
            let n = usize::from(n);
            for len in 1..=8 {
                if len + 3 > DEFERRED_SLOTS + n {
                    continue;
                }
                // The word inside other text, as `feed` sees it: the bytes after it must
                // not leak into its n-grams.
                let word = &"qwertyuiop"[..len];
                let text = format!("{word}zzzzzzzzzzzzzzzz");
                let mut slots = [u64::MAX; DEFERRED_SLOTS];
                let real = short_word_ngrams(text.as_bytes(), 0, len, n, &mut slots);
                let base = f.char_basis ^ n as u64;
                let got: Vec<u32> = slots[..real]
                    .iter()
                    .map(|&g| f.bucket(fold_mul(base ^ g, K)))
                    .collect();
                let mut want = Vec::new();
                if len > 1 {
                    f.char_ngrams_general(word, &mut Vec::new(), &mut |b| want.push(b));
                }
                assert_eq!(got, want, "{word} n={n}");
            }
        }
    }

    #[test]
    fn golden_features_do_not_drift() {
        // Bucket ids are persisted with weights: any change here invalidates every model.
        let f = Featurizer::new(FeaturizerConfig {
            char_ngram_min: 3,
            char_ngram_max: 4,
            lead_tokens: 0,
            ..Default::default()
        })
        .unwrap();
        let ids = feats(&f, "Plan the Q3 rollout: fn main() {} — 日本語 café\nWHY?");
        let sum = ids
            .iter()
            .fold(0u64, |h, &b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
        assert_eq!((ids.len(), sum), GOLDEN);
    }

    #[test]
    fn is_cjk_ranges_end_where_documented() {
        let inside = [
            '\u{3040}',
            '\u{30FF}',
            '\u{3400}',
            '\u{4DBF}',
            '\u{4E00}',
            '\u{9FFF}',
            '\u{AC00}',
            '\u{D7AF}',
            '\u{F900}',
            '\u{FAFF}',
            '\u{20000}',
            '\u{2A6DF}',
            '\u{2F800}',
            '\u{2FFFF}',
            'ひ',
            'カ',
            '漢',
            '한',
            '𠀀',
        ];
        let outside = [
            '\u{303F}',
            '\u{3100}',
            '\u{33FF}',
            '\u{4DC0}',
            '\u{4DFF}',
            '\u{A000}',
            '\u{ABFF}',
            '\u{D7B0}',
            '\u{F8FF}',
            '\u{FB00}',
            '\u{1FFFF}',
            '\u{30000}',
            '\u{1100}',
            '\u{3131}',
            '\u{FF71}',
            '\u{3002}',
            'a',
            'é',
            '0',
        ];
        for c in inside {
            assert!(is_cjk(c), "U+{:04X} should be CJK", c as u32);
        }
        for c in outside {
            assert!(!is_cjk(c), "U+{:04X} should not be CJK", c as u32);
        }
    }

    #[test]
    fn cjk_punctuation_table_is_exact() {
        let mut want = 0u64;
        for k in 0..63 {
            let c = char::from_u32(0x3001 + k).unwrap();
            let class = class_of_general(c);
            assert!(class == Class::Word || class == Class::Symbol, "{c:?}");
            if class == Class::Word {
                want |= 1 << k;
            }
        }
        assert_eq!(CJK_PUNCT_WORD, want, "CJK_PUNCT_WORD should be {want:#x}");
        for c in (0x3000..0x3040).filter_map(char::from_u32) {
            assert!(class_of(c) == class_of_general(c), "{c:?}");
        }
    }

    #[test]
    fn cjk_punct_fast_path_is_exact() {
        let mut want = 0u64;
        for k in 0..63 {
            let c = char::from_u32(0x3001 + k).unwrap();
            let mut general = Vec::new();
            normalize_char_general(&mut general, c);
            if general == c.to_string().as_bytes() {
                want |= 1 << k;
            }
        }
        assert_eq!(CJK_PUNCT_PLAIN, want, "CJK_PUNCT_PLAIN should be {want:#x}");
        for c in (0x3000..0x3040).filter_map(char::from_u32) {
            let mut general = Vec::new();
            normalize_char_general(&mut general, c);
            let mut fast = Vec::new();
            push_normalized(&mut fast, &c.to_string());
            assert_eq!(fast, general, "{c:?}");
        }
    }

    #[test]
    fn class_at_bytes_matches_class_of() {
        // Every char, decoded in place by its UTF-8 length's own path, with text after it.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let s = format!("{c}xy");
            assert!(
                class_at_bytes(s.as_bytes(), 0) == (class_of(c), c.len_utf8()),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn word_bitmap_matches_the_byte_table() {
        // Every byte value at every position of a 16-byte lane, in full 64-byte blocks and in
        // the partial last block, among word bytes, spaces and UTF-8 continuation bytes.
        let base = b"a _Z0~9\xC3\xA9q-Q_8 \x80z".repeat(6);
        let mut words = Vec::new();
        for b in 0u8..=255 {
            for at in [0, 5, 15, 16, 31, 63, 64, 70, base.len() - 1] {
                let mut text = base.clone();
                text[at] = b;
                word_bitmap(&text, &mut words);
                assert_eq!(words.len(), text.len().div_ceil(64));
                for (i, &x) in text.iter().enumerate() {
                    assert_eq!(
                        words[i / 64] >> (i % 64) & 1 == 1,
                        ASCII_WORD[x as usize],
                        "byte {x} at {i} (set at {at})"
                    );
                }
            }
        }
    }

    #[test]
    fn word_ends_are_found_across_blocks() {
        let mut text = vec![b'x'; 200];
        text[63] = b' ';
        text[130] = b'.';
        text.extend_from_slice(&[0; PAD]);
        let mut words = Vec::new();
        word_bitmap(&text, &mut words);
        assert_eq!(ascii_word_end(&words, 0), 63);
        assert_eq!(ascii_word_end(&words, 63), 63);
        assert_eq!(ascii_word_end(&words, 64), 130);
        assert_eq!(ascii_word_end(&words, 131), 200);
        assert_eq!(ascii_word_end(&words, 205), 205);
    }

    #[test]
    fn char_at_decodes_every_utf8_length() {
        let s = "aé漢𠀀";
        let b = s.as_bytes();
        assert_eq!(char_at(b, 0), ('a', 1));
        assert_eq!(char_at(b, 1), ('é', 2));
        assert_eq!(char_at(b, 3), ('漢', 3));
        assert_eq!(char_at(b, 6), ('𠀀', 4));
    }

    #[test]
    fn swar_normalisation_matches_the_byte_table() {
        for b in 0u8..128 {
            let w = u64::from_le_bytes([b, b'Z', b'@', b'9', b'[', b'0', b'a', b'`']);
            let got = norm_ascii8(w).to_le_bytes();
            let want =
                [b, b'Z', b'@', b'9', b'[', b'0', b'a', b'`'].map(|x| ASCII_NORM[x as usize]);
            assert_eq!(got, want, "byte {b}");
        }
    }

    #[test]
    fn sixteen_byte_normalisation_and_scan_match_the_byte_table() {
        // Every ASCII byte at every lane, next to bytes at the edges of the ranges.
        let edges = *b"@AZ[`az{/09:_ \n~";
        for b in 0u8..128 {
            for lane in 0..16 {
                let mut x: [u8; 16] = edges[..16].try_into().unwrap();
                x[lane] = b;
                let want = x.map(|c| ASCII_NORM[c as usize]);
                let mut got = x;
                norm_ascii16(&mut got);
                assert_eq!(got, want, "byte {b} at lane {lane}");
                let mut portable = x;
                norm_ascii16_portable(&mut portable);
                assert_eq!(portable, want, "byte {b} at lane {lane}, portable");
                let long = &x.repeat(3)[..16 + 16 + lane + 1];
                let mut got_long = vec![7];
                assert_eq!(push_ascii_run(&mut got_long, long), long.len());
                let want_long: Vec<u8> = std::iter::once(7)
                    .chain(long.iter().map(|&c| ASCII_NORM[c as usize]))
                    .collect();
                assert_eq!(got_long, want_long, "byte {b} at lane {lane}, tail");
                // A non-ASCII byte ends the run wherever it is, in a block or in the tail.
                let mut y = x.repeat(3);
                y[16 + lane] = 0x80 | b;
                let mut got_y = Vec::new();
                assert_eq!(push_ascii_run(&mut got_y, &y), 16 + lane);
                assert_eq!(got_y, want_long[1..16 + lane + 1]);
                assert_eq!(push_ascii_run(&mut Vec::new(), &y[..16]), 16);
                assert_eq!(push_ascii_run(&mut Vec::new(), &y[lane + 1..16 + lane]), 15);
                assert_eq!(push_ascii_run(&mut Vec::new(), &y[16 + lane..]), 0);
                let block: &[u8; 16] = y[16..32].try_into().unwrap();
                assert_eq!(high_bits16(block), 1 << lane);
                assert_eq!(high_bits16_portable(block), 1 << lane);
            }
        }
    }

    #[test]
    fn normalisation_folds_case_width_accents_and_digits() {
        let f = Featurizer::new(FeaturizerConfig::default()).unwrap();
        assert_eq!(feats(&f, "Ｆｕｌｌ Café 42"), feats(&f, "full cafe 00"));
        let mut s = String::new();
        f.normalize_into("ÀB١", &mut s);
        assert_eq!(s, "ab0");
    }

    #[test]
    fn long_text_keeps_head_and_tail_on_char_boundaries() {
        let cfg = FeaturizerConfig {
            head_bytes: 7,
            tail_bytes: 5,
            ..Default::default()
        };
        let f = Featurizer::new(cfg).unwrap();
        let mut s = String::new();
        f.normalize_into("ééééé middle part ééééé", &mut s);
        assert_eq!(s, "eee\nee", "é folds to e after the cut");
    }

    #[test]
    fn bad_configs_are_rejected() {
        for cfg in [
            FeaturizerConfig {
                buckets: 1000,
                ..Default::default()
            },
            FeaturizerConfig {
                hash: "siphash".into(),
                ..Default::default()
            },
            FeaturizerConfig {
                char_ngram_min: 5,
                char_ngram_max: 3,
                ..Default::default()
            },
            FeaturizerConfig {
                word_ngrams: 3,
                ..Default::default()
            },
        ] {
            assert!(Featurizer::new(cfg).is_err());
        }
    }
}
