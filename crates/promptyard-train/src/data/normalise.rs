//! Text normalisation applied to every prompt before de-duplication and splitting.
//!
//! Unicode NFC; `\r\n`/`\r` become `\n`; exotic spaces become a plain space and invisible
//! format characters (zero-width space, BOM, soft hyphen) are removed; trailing whitespace is
//! stripped from each line; runs of blank lines shrink to one; leading and trailing blank lines
//! go. Inside a line, runs of spaces shrink to one space — except the leading indentation,
//! which is kept (tabs included) because it carries the structure of code prompts.

use unicode_normalization::UnicodeNormalization;

/// Normalises `text` as described in the module documentation.
pub fn normalise(text: &str) -> String {
    // Invisible characters go first: left in, they would block canonical composition.
    let nfc: String = text
        .chars()
        .filter(|&c| c == '\n' || c == '\r' || !is_invisible(c))
        .nfc()
        .collect();
    let unified = nfc.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(unified.len());
    let mut pending_blank = false;
    for raw_line in unified.split('\n') {
        let line = clean_line(raw_line);
        if line.is_empty() {
            pending_blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if pending_blank {
                out.push('\n');
            }
        }
        pending_blank = false;
        out.push_str(&line);
    }
    out
}

/// One line: keeps leading indentation, collapses inner space runs, drops trailing space.
fn clean_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut leading = true;
    let mut pending_space = false;
    for c in line.chars() {
        let c = if c != '\t' && c.is_whitespace() {
            ' '
        } else {
            c
        };
        if leading {
            if c == ' ' || c == '\t' {
                out.push(c);
                continue;
            }
            leading = false;
        }
        if c == ' ' || c == '\t' {
            pending_space = true;
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    if leading {
        // whitespace-only line
        out.clear();
    }
    out
}

/// Characters that render as nothing and only make equal texts compare different.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{00ad}'
    ) || (c.is_control() && c != '\t')
}

/// The key two texts must share to count as exact duplicates: the normalised text with
/// case folded and every whitespace run (indentation included) reduced to one space.
pub fn dedupe_key(normalised: &str) -> String {
    let mut key = String::with_capacity(normalised.len());
    for word in normalised.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn normalising_twice_changes_nothing(raw in "[ a-zA-Z\t\r\n\u{a0}\u{200b}\u{301}é]{0,60}") {
            let once = normalise(&raw);
            prop_assert_eq!(normalise(&once), once.clone());
            prop_assert!(!once.starts_with('\n') && !once.ends_with(char::is_whitespace));
        }
    }

    #[test]
    fn keeps_code_indentation_and_collapses_prose_spacing() {
        let raw = "\u{feff}def f(x):\r\n    \"\"\"Return  x\u{00a0}twice.\"\"\"   \r\n\r\n\r\n\treturn 2 * x\n\n";
        assert_eq!(
            normalise(raw),
            "def f(x):\n    \"\"\"Return x twice.\"\"\"\n\n\treturn 2 * x"
        );
    }

    #[test]
    fn composes_to_nfc_and_keys_ignore_case_and_spacing() {
        let decomposed = "Cafe\u{301}  menu";
        assert_eq!(normalise(decomposed), "Caf\u{e9} menu");
        assert_eq!(dedupe_key("Plan  my\n  WEEK"), dedupe_key("plan my week"));
        assert_eq!(normalise(" \n \t\n"), "");
    }
}
