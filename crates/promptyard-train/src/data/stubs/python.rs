//! Python: functions found by `def`, their docstring as the doc, the body by indentation.

use super::{
    code_lines, contexts, doc_words, ident, indent_of, is_licence_text, paren_delta, Stub,
    StubLang, MAX_SIGNATURE_LINES, MIN_BODY_LINES, MIN_DOC_WORDS,
};

/// Cuts every documented, public (no leading `_`), non-trivial function of a Python file.
pub(super) fn cut(lines: &[&str]) -> Vec<Stub> {
    let ctx = contexts(lines, false, |t| {
        t.starts_with("class ") && t.ends_with(':')
    });
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let after_def = t
            .strip_prefix("def ")
            .or_else(|| t.strip_prefix("async def "));
        let Some(rest) = after_def else { continue };
        let name = ident(rest);
        if name.is_empty() || name.starts_with('_') {
            continue;
        }
        let indent = indent_of(line);
        // Signature: until the parentheses balance and the line ends with ':'.
        let mut depth = 0;
        let mut sig_end = None;
        for (j, l) in lines.iter().enumerate().skip(i).take(MAX_SIGNATURE_LINES) {
            depth += paren_delta(l, StubLang::Python);
            let code = l.split(" #").next().unwrap_or(l).trim_end();
            if depth == 0 && code.ends_with(':') {
                sig_end = Some(j);
                break;
            }
        }
        let Some(sig_end) = sig_end else { continue };
        // Docstring: the first statement of the body.
        let Some(doc_start) = (sig_end + 1..lines.len()).find(|&j| !lines[j].trim().is_empty())
        else {
            continue;
        };
        let dt = lines[doc_start].trim_start();
        let dt = dt.trim_start_matches(['r', 'R', 'u', 'U']);
        let quote = if dt.starts_with("\"\"\"") {
            "\"\"\""
        } else if dt.starts_with("'''") {
            "'''"
        } else {
            continue;
        };
        let after_open = &dt[3..];
        let (doc_end, doc_text) = if let Some(pos) = after_open.find(quote) {
            (doc_start, after_open[..pos].to_string())
        } else {
            let Some(end) = (doc_start + 1..lines.len()).find(|&j| lines[j].contains(quote)) else {
                continue;
            };
            let mut text = vec![after_open.to_string()];
            text.extend(lines[doc_start + 1..end].iter().map(|l| l.to_string()));
            text.push(lines[end].split(quote).next().unwrap_or("").to_string());
            (end, text.join("\n"))
        };
        if doc_words(&doc_text) < MIN_DOC_WORDS || is_licence_text(&doc_text) {
            continue;
        }
        let mut body_end = doc_end + 1;
        while body_end < lines.len() {
            let l = lines[body_end];
            if !l.trim().is_empty() && indent_of(l) <= indent {
                break;
            }
            body_end += 1;
        }
        let mut body: Vec<String> = lines[doc_end + 1..body_end]
            .iter()
            .map(|l| l.to_string())
            .collect();
        while body.last().is_some_and(|l| l.trim().is_empty()) {
            body.pop();
        }
        if code_lines(&body, "#") < MIN_BODY_LINES {
            continue;
        }
        let mut first = i;
        while first > 0 && {
            let p = lines[first - 1];
            p.trim_start().starts_with('@') && indent_of(p) == indent
        } {
            first -= 1;
        }
        let context = ctx[i].map(|j| lines[j].to_string());
        out.push(Stub {
            name: name.to_string(),
            doc: doc_text,
            line: i + 1,
            context_indent: ctx[i].map_or(0, |j| indent_of(lines[j])),
            context,
            head_lines: lines[first..=doc_end]
                .iter()
                .map(|l| l.to_string())
                .collect(),
            body,
            close: None,
            indent,
        });
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use crate::data::stubs::tests::names;
    use crate::data::stubs::{cut_stubs, StubLang};

    pub(in crate::data::stubs) const PY: &str = r#"import os

class Reader(Base):
    """Reads things."""

    @property
    def size(self):
        """Number of bytes in the buffer, counting the header."""
        n = len(self.buf)
        return n + self.header

    def _helper(self, x):
        """Private helper that nobody should complete here."""
        a = x + 1
        return a

    def __len__(self):
        """Length of the reader in bytes, as an integer."""
        x = 1
        return x

    def short(self):
        """Too short."""
        a = 1
        return a

    def trivial(self):
        """Returns the value that was stored at construction time."""
        return self.value

def parse_date(s, *,
               fmt="%Y-%m-%d (local)"):
    '''Parse a date string into a date object using the given format.

    Raises ValueError if the string does not match.
    '''
    import datetime
    # strip spaces first
    return datetime.datetime.strptime(s.strip(), fmt).date()

top = 1
"#;

    #[test]
    fn python_keeps_docstring_and_drops_body() {
        let stubs = cut_stubs(StubLang::Python, PY);
        assert_eq!(names(&stubs), ["size", "parse_date"]);
        let size = &stubs[0];
        assert_eq!(size.line, 7);
        assert_eq!(size.context.as_deref(), Some("class Reader(Base):"));
        assert_eq!(
            size.head_lines,
            [
                "    @property",
                "    def size(self):",
                "        \"\"\"Number of bytes in the buffer, counting the header.\"\"\""
            ]
        );
        assert_eq!(size.body.len(), 2);
        let pd = &stubs[1];
        assert_eq!(pd.context, None);
        // Multi-line signature with a ':' and parens inside a default string.
        assert_eq!(pd.head_lines.len(), 6);
        assert!(pd.head_lines.last().unwrap().ends_with("'''"));
        assert!(pd.body.iter().all(|l| !l.contains("'''")));
        assert_eq!(pd.body.len(), 3);
    }
}
