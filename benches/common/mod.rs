//! Fixed bench inputs: English and code prompts of about 20, 200 and 1,000 words.

const ENGLISH: &str = "We are moving our customer support team from email to a shared ticketing \
system next quarter. Please plan the rollout in phases, starting with a pilot group of five \
agents, then the billing queue, then everyone else. For each phase list the training sessions, \
the data we need to migrate from the old mailboxes, who signs off, and what we measure to decide \
whether to continue. Keep in mind that two people are on leave in July and that the finance \
team closes the books in the first week of every month, so nothing risky should land then. ";

const CODE: &str = "def merge_intervals(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:\n    \
\"\"\"Merge overlapping intervals and return them sorted by start.\n\n    >>> merge_intervals([(1, 3), \
(2, 6), (8, 10)])\n    [(1, 6), (8, 10)]\n    \"\"\"\n    out = []\n    for start, end in \
sorted(intervals):\n        if out and start <= out[-1][1]:\n            out[-1] = (out[-1][0], \
max(out[-1][1], end))\n        else:\n            out.append((start, end))\n    return out\n\n";

/// The first `words` whitespace-separated words of `base` repeated, keeping its layout.
fn take_words(base: &str, words: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    for piece in base.split_inclusive(char::is_whitespace).cycle() {
        if !piece.trim().is_empty() {
            n += 1;
        }
        out.push_str(piece);
        if n >= words {
            break;
        }
    }
    out
}

/// `(name, text)` for every bench input.
pub fn inputs() -> Vec<(String, String)> {
    let mut v = Vec::new();
    for words in [20, 200, 1000] {
        v.push((format!("english_{words}w"), take_words(ENGLISH, words)));
        v.push((format!("code_{words}w"), take_words(CODE, words)));
    }
    v
}
