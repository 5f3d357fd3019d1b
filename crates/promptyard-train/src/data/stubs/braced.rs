//! The cutter shared by the brace languages (Rust, Go, JavaScript): a public signature with
//! a doc comment right above it, the body up to the `}` at the signature's indent. What a
//! signature, a doc comment and a `class`/`impl` opener look like is each language's own
//! module's business.

use super::{
    code_lines, contexts, doc_words, go, indent_of, is_licence_text, js, paren_delta, rust, Stub,
    StubLang, MAX_SIGNATURE_LINES, MIN_BODY_LINES, MIN_DOC_WORDS,
};

/// Where a doc comment starts and ends (inclusive line indices) and its prose.
pub(super) struct Doc {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) text: String,
}

/// The doc comment ending right above the signature on line `sig`.
fn doc_above(lang: StubLang, lines: &[&str], sig: usize) -> Option<Doc> {
    match lang {
        StubLang::Rust => rust::doc_above(lines, sig),
        StubLang::Go => go::doc_above(lines, sig),
        StubLang::JavaScript => js::doc_above(lines, sig),
        StubLang::Python => None,
    }
}

/// A block of line comments (`///` in Rust, `//` in Go) whose last line is `end - 1`,
/// markers and `go:` directives removed from its prose.
pub(super) fn line_comment_doc(lines: &[&str], end: usize, marker: &str) -> Option<Doc> {
    let end = end.checked_sub(1)?;
    let mut start = end + 1;
    while start > 0 && lines[start - 1].trim_start().starts_with(marker) {
        start -= 1;
    }
    if start > end {
        return None;
    }
    let text = lines[start..=end]
        .iter()
        .map(|l| l.trim_start().trim_start_matches(marker).trim())
        .filter(|l| !l.starts_with("go:"))
        .collect::<Vec<_>>()
        .join("\n");
    Some(Doc { start, end, text })
}

/// The function name if `t` (a trimmed line) starts a documented-function signature.
fn signature(lang: StubLang, t: &str, in_context: Option<&str>) -> Option<String> {
    match lang {
        StubLang::Rust => rust::signature(t, in_context),
        StubLang::Go => go::signature(t),
        StubLang::JavaScript => js::signature(t, in_context),
        StubLang::Python => None,
    }
}

/// Whether `t` (a trimmed line) opens a block that gives its methods context
/// (`impl`/`trait` in Rust, `class` in JavaScript).
fn is_opener(lang: StubLang, t: &str) -> bool {
    if !t.ends_with('{') {
        return false;
    }
    match lang {
        StubLang::Rust => rust::is_opener(t),
        StubLang::JavaScript => js::is_opener(t),
        StubLang::Go | StubLang::Python => false,
    }
}

/// Cuts every documented, public, non-trivial function of a Rust, Go or JavaScript file.
pub(super) fn cut(lang: StubLang, lines: &[&str]) -> Vec<Stub> {
    let ctx = contexts(lines, true, |t| is_opener(lang, t));
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let context = ctx[i].map(|j| lines[j]);
        let Some(name) = signature(lang, line.trim(), context) else {
            continue;
        };
        let Some(doc) = doc_above(lang, lines, i) else {
            continue;
        };
        if doc_words(&doc.text) < MIN_DOC_WORDS
            || is_licence_text(&doc.text)
            || (lang == StubLang::JavaScript && doc.text.contains("@private"))
        {
            continue;
        }
        // Signature: until the parentheses balance and the line opens the body.
        let mut depth = 0;
        let mut sig_end = None;
        for (j, l) in lines.iter().enumerate().skip(i).take(MAX_SIGNATURE_LINES) {
            depth += paren_delta(l, lang);
            let t = l.trim_end();
            if depth == 0 && t.ends_with('{') {
                sig_end = Some(j);
                break;
            }
            // A declaration without a body (trait method, assembly stub) ends at `;`,
            // a one-liner at `}`, a Go body-less `func` at the blank line after it.
            if (depth == 0 && (t.ends_with(';') || t.ends_with('}'))) || t.trim().is_empty() {
                break;
            }
        }
        let Some(sig_end) = sig_end else { continue };
        let indent = indent_of(line);
        // Lines of a multi-line string may start further left; only a `}` closes.
        let Some(close) = (sig_end + 1..lines.len()).find(|&j| {
            let l = lines[j];
            indent_of(l) <= indent && l.trim_start().starts_with('}')
        }) else {
            continue;
        };
        if indent_of(lines[close]) != indent {
            continue;
        }
        let body: Vec<String> = lines[sig_end + 1..close]
            .iter()
            .map(|l| l.to_string())
            .collect();
        if code_lines(&body, "//") < MIN_BODY_LINES {
            continue;
        }
        let mut head_lines: Vec<String> = lines[doc.start..=doc.end]
            .iter()
            .filter(|l| !l.trim_start().starts_with("//go:"))
            .map(|l| l.to_string())
            .collect();
        head_lines.extend(lines[i..=sig_end].iter().map(|l| l.to_string()));
        out.push(Stub {
            name,
            doc: doc.text,
            line: i + 1,
            context: context.map(str::to_string),
            context_indent: ctx[i].map_or(0, |j| indent_of(lines[j])),
            head_lines,
            body,
            close: Some(lines[close].to_string()),
            indent,
        });
    }
    out
}
