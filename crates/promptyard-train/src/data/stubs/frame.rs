//! Framing: how a cut stub is presented as a prompt (bare, with an instruction, fenced,
//! a body to continue, a fill-in-the-middle hole, editor FIM tokens), chosen by the
//! stub's origin hash.

use super::{dedent, Framing, Stub, StubLang, MAX_CHARS};

const INSTRUCTIONS: &[&str] = &[
    "Complete this function:",
    "Complete the following {lang} function.",
    "Implement this:",
    "Write the body of this function.",
    "finish this function",
    "Can you implement this {lang} function?",
    "Fill in the implementation:",
    "implement `{name}`",
    "Please complete the code below.",
    "Write the implementation for `{name}` based on its doc comment.",
    "complete this",
    "Implement the function below so it does what the docs say.",
];

const FENCED: &[&str] = &[
    "Implement the body:",
    "Complete this {lang} function:",
    "Finish the implementation of `{name}`:",
    "Here's a stub, write the body.",
    "Can you fill in this function?",
    "write the code for this",
];

const CONTINUE: &[&str] = &[
    "",
    "finish this",
    "Continue this function:",
    "complete the rest of this {lang} function",
    "Finish the implementation:",
];

const FIM_REQUESTS: &[(&str, &str)] = &[
    ("Fill in the missing code marked <FILL_ME>:", "<FILL_ME>"),
    ("Replace <FILL> with the missing lines.", "<FILL>"),
    ("What goes in the [MISSING] part?", "[MISSING]"),
    ("Fill in the blank (____) in this {lang} function.", "____"),
];

fn pick<T: Copy>(options: &[T], h: u64) -> T {
    options[(h % options.len() as u64) as usize]
}

fn fill(template: &str, lang: StubLang, name: &str) -> String {
    template
        .replace("{lang}", lang.name())
        .replace("{name}", name)
}

/// Frames a stub as a prompt; `None` when even the bare stub is too long.
pub(super) fn frame(lang: StubLang, stub: &Stub, hash: u64) -> Option<(String, Framing)> {
    let with_context = stub.context.is_some() && (hash >> 8) % 3 == 0;
    let base = if with_context {
        stub.context_indent
    } else {
        stub.indent
    };
    let render = |ls: &[String]| -> Vec<String> {
        ls.iter()
            .map(|l| dedent(l, base).trim_end().to_string())
            .collect()
    };
    let mut head = Vec::new();
    if with_context {
        if let Some(c) = &stub.context {
            head.push(dedent(c, base).trim_end().to_string());
        }
    }
    head.extend(render(&stub.head_lines));
    let body = render(&stub.body);
    let close: Vec<String> = stub
        .close
        .iter()
        .map(|c| dedent(c, base).trim_end().to_string())
        .collect();
    let body_indent: String = stub
        .body
        .iter()
        .find(|l| !l.trim().is_empty())
        .map(|l| {
            let b = dedent(l, base);
            b[..b.len() - b.trim_start().len()].to_string()
        })
        .unwrap_or_else(|| "    ".to_string());

    // Bare stub, sometimes with a placeholder body as people type it.
    let mut stub_lines = head.clone();
    if (hash >> 12) % 4 == 0 {
        stub_lines.push(lang.placeholder(&body_indent));
        stub_lines.extend(close.iter().cloned());
    }
    let bare = stub_lines.join("\n");
    let bare = if bare.chars().count() > MAX_CHARS {
        shorten_doc(lang, &head)?
    } else {
        bare
    };

    let n = body.len();
    let h2 = hash >> 20;
    let (text, framing) = match hash % 100 {
        0..=44 => (bare.clone(), Framing::Bare),
        45..=64 => (
            format!(
                "{}\n{}{bare}",
                fill(pick(INSTRUCTIONS, h2), lang, &stub.name),
                if h2 % 2 == 0 { "\n" } else { "" }
            ),
            Framing::Instruction,
        ),
        65..=74 => (
            format!(
                "{}\n```{}\n{bare}\n```",
                fill(pick(FENCED, h2), lang, &stub.name),
                lang.fence()
            ),
            Framing::Fenced,
        ),
        75..=84 => {
            let k = 1 + (h2 >> 8) as usize % 3usize.min(n.saturating_sub(1)).max(1);
            let mut ls = head.clone();
            ls.extend(body.iter().take(k).cloned());
            let code = ls.join("\n");
            let req = fill(pick(CONTINUE, h2), lang, &stub.name);
            let text = if req.is_empty() {
                code
            } else {
                format!("{req}\n```{}\n{code}\n```", lang.fence())
            };
            (text, Framing::Continue)
        }
        _ => {
            // A hole of 1-3 lines starting on a code line, never every code line.
            let code: Vec<usize> = (0..n).filter(|&i| !body[i].trim().is_empty()).collect();
            let start = code[(h2 >> 16) as usize % code.len()];
            let mut len = (1 + (h2 >> 8) as usize % 3).min(n - start);
            if code.iter().all(|&i| (start..start + len).contains(&i)) {
                len = 1;
            }
            let indent_of_hole = {
                let l = &body[start];
                l[..l.len() - l.trim_start().len()].to_string()
            };
            let prefix = [head.clone(), body[..start].to_vec()].concat().join("\n");
            let suffix = [body[start + len..].to_vec(), close.clone()]
                .concat()
                .join("\n");
            if hash % 100 >= 95 {
                let text = format!(
                    "<fim_prefix>{prefix}\n{indent_of_hole}<fim_suffix>\n{suffix}<fim_middle>"
                );
                (text, Framing::FimTokens)
            } else {
                let (req, marker) = pick(FIM_REQUESTS, h2);
                let code = format!("{prefix}\n{indent_of_hole}{marker}\n{suffix}");
                let text = format!(
                    "{}\n```{}\n{}\n```",
                    fill(req, lang, &stub.name),
                    lang.fence(),
                    code.trim_end()
                );
                (text, Framing::FillInMiddle)
            }
        }
    };
    if text.chars().count() > MAX_CHARS {
        return Some((bare, Framing::Bare));
    }
    Some((text, framing))
}

/// For a too-long Rust/Go/JS doc comment, keeps only the prose before its first
/// section heading (`# Examples`, `@example`); `None` if still too long.
fn shorten_doc(lang: StubLang, head: &[String]) -> Option<String> {
    if lang == StubLang::Python {
        return None;
    }
    let cut = head.iter().position(|l| {
        let t = l
            .trim_start()
            .trim_start_matches("///")
            .trim_start_matches("//")
            .trim_start_matches('*')
            .trim();
        t.starts_with("# ") || t.starts_with("@example")
    })?;
    let sig = head
        .iter()
        .position(|l| {
            let t = l.trim_start();
            !(t.starts_with("//") || t.starts_with("/*") || t.starts_with('*'))
        })
        .unwrap_or(head.len());
    let mut kept: Vec<String> = head[..cut].to_vec();
    while kept.last().is_some_and(|l| {
        let t = l
            .trim()
            .trim_start_matches("///")
            .trim_start_matches("//")
            .trim_start_matches('*')
            .trim();
        t.is_empty()
    }) {
        kept.pop();
    }
    if lang == StubLang::JavaScript {
        kept.push(" */".to_string());
    }
    kept.extend(head[sig..].iter().cloned());
    let text = kept.join("\n");
    (text.chars().count() <= MAX_CHARS).then_some(text)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use promptyard::hash::fnv1a64;

    use super::*;
    use crate::data::stubs::cut_stubs;
    use crate::data::stubs::python::tests::PY;

    #[test]
    fn every_framing_keeps_the_doc_and_hides_the_cut_body() {
        let stub = &cut_stubs(StubLang::Python, PY)[1];
        let mut seen = HashSet::new();
        for h in 0..400u64 {
            let hash = fnv1a64(&h.to_le_bytes());
            let (text, framing) = frame(StubLang::Python, stub, hash).unwrap();
            assert_eq!(frame(StubLang::Python, stub, hash).unwrap().0, text);
            assert!(text.contains("Parse a date string into a date object"));
            assert!(text.chars().count() <= MAX_CHARS);
            let full_body = text.contains("import datetime")
                && text.contains("# strip spaces first")
                && text.contains("strptime");
            assert!(!full_body, "{framing}: the whole body leaked:\n{text}");
            match framing {
                Framing::Bare | Framing::Instruction | Framing::Fenced => {
                    assert!(!text.contains("import datetime"), "{text}")
                }
                Framing::Continue => assert!(text.contains("import datetime"), "{text}"),
                Framing::FillInMiddle => {
                    assert!(FIM_REQUESTS.iter().any(|(_, m)| text.contains(m)), "{text}")
                }
                Framing::FimTokens => {
                    assert!(text.starts_with("<fim_prefix>def parse_date"));
                    assert!(text.ends_with("<fim_middle>"));
                }
            }
            seen.insert(framing);
        }
        assert_eq!(seen.len(), Framing::ALL.len(), "{seen:?}");
    }

    #[test]
    fn holes_start_on_code_lines() {
        let src = "class Camera {\n\t/**\n\t * Calculates the focal length from the field of view.\n\t */\n\tgetFocalLength() {\n\n\t\tconst v = Math.tan(this.fov);\n\t\treturn 0.5 * v;\n\n\t}\n}\n";
        let stub = &cut_stubs(StubLang::JavaScript, src)[0];
        let mut holes = 0;
        for h in 0..400u64 {
            let (text, framing) =
                frame(StubLang::JavaScript, stub, fnv1a64(&h.to_le_bytes())).unwrap();
            if framing == Framing::FillInMiddle {
                let (_, marker) = FIM_REQUESTS.iter().find(|(_, m)| text.contains(m)).unwrap();
                let line = text
                    .lines()
                    .find(|l| l.contains(marker) && !l.contains(' '))
                    .unwrap();
                assert!(line.starts_with('\t'), "{text}");
                holes += 1;
            }
        }
        assert!(holes > 0);
    }

    #[test]
    fn long_rust_docs_lose_their_example_sections() {
        let mut src = String::from(
            "/// Splits a string on commas and trims every part.\n///\n/// # Examples\n///\n",
        );
        for i in 0..200 {
            src.push_str(&format!(
                "/// assert_eq!(split(\"a,b\"), vec![\"a\", \"b\"]); // {i}\n"
            ));
        }
        src.push_str("pub fn split(s: &str) -> Vec<&str> {\n    let parts = s.split(',');\n    parts.map(str::trim).collect()\n}\n");
        let stub = &cut_stubs(StubLang::Rust, &src)[0];
        let (text, _) = frame(StubLang::Rust, stub, 0).unwrap();
        assert_eq!(
            text,
            "/// Splits a string on commas and trims every part.\npub fn split(s: &str) -> Vec<&str> {"
        );
    }
}
