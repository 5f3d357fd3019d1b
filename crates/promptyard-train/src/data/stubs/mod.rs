//! Real code-completion prompts mined from permissively licensed source trees.
//!
//! Benchmark stubs (HumanEval, MBPP) all look alike; real completion requests are cut
//! from whatever code the user has open. This module walks a source tree (the Python
//! standard library, Rust's `library/`, Go's `src/`, npm packages), finds documented,
//! public, non-trivial functions and cuts the prompt a user would send: the doc comment
//! and the signature with the body removed. Each stub is then framed the way requests
//! arrive at a gateway (bare stub, "complete this function", a fenced block, a partial
//! body to continue, a fill-in-the-middle hole, editor FIM tokens). Every choice is
//! seeded by a stable FNV-1a hash of the stub's origin (`path:line`), so mining the
//! same tree twice gives the same file.
//!
//! The code follows that flow: this module walks the tree and samples, one module per
//! language cuts stubs ([`python`] by indentation; [`rust`], [`go`] and [`js`] through the
//! shared brace-matching cutter in `braced`), and `frame` turns a stub into a prompt.
//!
//! ```no_run
//! use std::path::Path;
//! use promptyard_train::data::stubs::{self, StubLang};
//!
//! let dir = Path::new("/usr/lib/python3.11");
//! let mined = stubs::mine(dir, StubLang::Python, "PSF-2.0", "stubs_python_stdlib", 2500)?;
//! stubs::write_jsonl(Path::new("data/raw-extra/stubs_python_stdlib.jsonl"), &mined)?;
//! # Ok::<(), promptyard_train::Error>(())
//! ```

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Serialize;

use crate::{Error, Result};
use promptyard::hash::fnv1a64;
use promptyard::label::Label;

mod braced;
mod frame;
pub mod go;
pub mod js;
pub mod python;
pub mod rust;

use frame::frame;

/// Longest prompt kept, in characters; longer stubs are not what people paste.
pub const MAX_CHARS: usize = 2000;
/// Fewest words a doc comment needs before it specifies anything.
pub const MIN_DOC_WORDS: usize = 5;
/// Fewest code lines in a body; shorter ones are getters and forwarders.
pub const MIN_BODY_LINES: usize = 2;
/// Longest signature we follow across lines before giving up on it.
const MAX_SIGNATURE_LINES: usize = 15;

/// Directories never mined: tests, fixtures, vendored third-party code, tooling and
/// generated intrinsics, which are either not what users complete or not under the
/// code base's own licence.
const SKIP_DIRS: &[&str] = &[
    "test",
    "tests",
    "testdata",
    "benches",
    "vendor",
    "node_modules",
    "site-packages",
    "__pycache__",
    "idlelib",
    "lib2to3",
    "turtledemo",
    "coretests",
    "alloctests",
    "stdarch",
    "compiler-builtins",
    "backtrace",
    "cmd",
    "dist",
    "min",
];

/// Files inside otherwise-mined trees that carry a different licence (Debian's
/// `copyright` file for golang-1.19-src lists them); paths relative to the mined dir.
const LICENCE_EXCEPTIONS: &[&str] = &["runtime/vlrt.go", "debug/elf/elf.go", "image/jpeg/idct.go"];

/// A programming language the miner can cut stubs from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StubLang {
    /// `.py` files; docstrings.
    Python,
    /// `.rs` files; `///` doc comments.
    Rust,
    /// `.go` files (not `_test.go`); `//` doc comments.
    Go,
    /// `.js`, `.mjs`, `.cjs` files (not minified); JSDoc blocks.
    JavaScript,
}

impl StubLang {
    /// Display name used inside instructions ("Complete the following Go function").
    pub fn name(self) -> &'static str {
        match self {
            StubLang::Python => "Python",
            StubLang::Rust => "Rust",
            StubLang::Go => "Go",
            StubLang::JavaScript => "JavaScript",
        }
    }

    /// Markdown fence tag.
    fn fence(self) -> &'static str {
        match self {
            StubLang::Python => "python",
            StubLang::Rust => "rust",
            StubLang::Go => "go",
            StubLang::JavaScript => "js",
        }
    }

    fn matches_file(self, name: &str) -> bool {
        match self {
            StubLang::Python => name.ends_with(".py"),
            StubLang::Rust => name.ends_with(".rs"),
            StubLang::Go => name.ends_with(".go") && !name.ends_with("_test.go"),
            StubLang::JavaScript => {
                (name.ends_with(".js") || name.ends_with(".mjs") || name.ends_with(".cjs"))
                    && !name.contains(".min.")
            }
        }
    }

    /// What a user types where the body should go, with `ind` the body's indent.
    fn placeholder(self, ind: &str) -> String {
        match self {
            StubLang::Python => format!("{ind}..."),
            StubLang::Rust => format!("{ind}todo!()"),
            StubLang::Go | StubLang::JavaScript => format!("{ind}// TODO"),
        }
    }
}

impl FromStr for StubLang {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "python" | "py" => Ok(StubLang::Python),
            "rust" | "rs" => Ok(StubLang::Rust),
            "go" => Ok(StubLang::Go),
            "javascript" | "js" => Ok(StubLang::JavaScript),
            _ => Err(Error::UnknownStubLang {
                name: s.to_string(),
            }),
        }
    }
}

/// How a stub is presented as a prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Framing {
    /// The stub alone, as pasted into a chat or sent by an editor.
    Bare,
    /// A one-line request followed by the stub.
    Instruction,
    /// A request followed by the stub in a Markdown code fence.
    Fenced,
    /// The stub plus the first lines of the real body: "finish this".
    Continue,
    /// The whole function with a hole marker inside the real body.
    FillInMiddle,
    /// Editor-style `<fim_prefix>…<fim_suffix>…<fim_middle>` request.
    FimTokens,
}

impl Framing {
    /// Every framing, in the order used for reports.
    pub const ALL: [Framing; 6] = [
        Framing::Bare,
        Framing::Instruction,
        Framing::Fenced,
        Framing::Continue,
        Framing::FillInMiddle,
        Framing::FimTokens,
    ];

    /// Snake-case name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Framing::Bare => "bare",
            Framing::Instruction => "instruction",
            Framing::Fenced => "fenced",
            Framing::Continue => "continue",
            Framing::FillInMiddle => "fill_in_middle",
            Framing::FimTokens => "fim_tokens",
        }
    }
}

impl fmt::Display for Framing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A documented function cut out of a source file, before framing.
#[derive(Clone, Debug, PartialEq)]
pub struct Stub {
    /// Function name.
    pub name: String,
    /// The doc comment's prose, comment markers removed.
    pub doc: String,
    /// 1-based line of the signature (`def`, `fn`, `func`, `function`).
    pub line: usize,
    /// Enclosing `class` / `impl` / `trait` line, as written, if any.
    pub context: Option<String>,
    /// Doc comment (Python: decorators and signature first) as written.
    pub head_lines: Vec<String>,
    /// Body lines as written, without the docstring (Python) or braces.
    pub body: Vec<String>,
    /// Closing brace line (`}`), absent for Python.
    pub close: Option<String>,
    /// Indent (leading whitespace characters) of the signature line.
    pub indent: usize,
    /// Indent of the context line.
    pub context_indent: usize,
}

/// One mined prompt, ready to be written to `data/raw-extra/<source>.jsonl`.
#[derive(Clone, Debug, PartialEq)]
pub struct MinedStub {
    /// The framed prompt text.
    pub text: String,
    /// Source name, e.g. `stubs_python_stdlib`.
    pub source: String,
    /// `relative/path:line` of the signature.
    pub origin_id: String,
    /// SPDX licence expression of the code base.
    pub license: String,
    /// Split key: `source:relative/path`, so functions of one file share a split.
    pub group: String,
    /// How the stub was presented.
    pub framing: Framing,
}

/// The JSONL line written for a [`MinedStub`].
#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    label: Label,
    source: &'a str,
    origin_id: &'a str,
    license: &'a str,
    group: &'a str,
}

/// Mines up to `limit` framed stubs from the source tree at `dir`.
///
/// Files are visited in sorted order and identical stubs are kept once (first path
/// wins), so copies of one function in several files of a package count once. The
/// sample is the `limit` candidates with the smallest hash of their origin, returned
/// in path/line order.
pub fn mine(
    dir: &Path,
    lang: StubLang,
    license: &str,
    source: &str,
    limit: usize,
) -> Result<Vec<MinedStub>> {
    let mut files = Vec::new();
    collect_files(dir, dir, lang, &mut files)?;
    files.sort();
    let mut seen_heads = HashSet::new();
    let mut candidates: Vec<(u64, String, usize, Stub)> = Vec::new();
    for rel in files {
        let path = dir.join(&rel);
        let bytes = fs::read(&path).map_err(|e| Error::io(&path, e))?;
        // A handful of stdlib files are deliberately in legacy encodings; they are not
        // what users paste, so they are skipped rather than failing the run.
        let Ok(content) = String::from_utf8(bytes) else {
            continue;
        };
        for stub in cut_stubs(lang, &content) {
            // Keyed on name and prose, so transpiled or re-indented copies count once.
            if !seen_heads.insert(format!("{}\n{}", stub.name, stub.doc.trim())) {
                continue;
            }
            let origin = format!("sample/{rel}:{}", stub.line);
            candidates.push((fnv1a64(origin.as_bytes()), rel.clone(), stub.line, stub));
        }
    }
    candidates.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    let mut seen_texts = HashSet::new();
    let mut out = Vec::new();
    for (_, rel, line, stub) in candidates {
        if out.len() >= limit {
            break;
        }
        let origin_id = format!("{rel}:{line}");
        let Some((text, framing)) = frame(lang, &stub, fnv1a64(origin_id.as_bytes())) else {
            continue;
        };
        if !seen_texts.insert(text.clone()) {
            continue;
        }
        out.push((
            rel.clone(),
            line,
            MinedStub {
                text,
                source: source.to_string(),
                origin_id,
                license: license.to_string(),
                group: format!("{source}:{rel}"),
                framing,
            },
        ));
    }
    out.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    Ok(out.into_iter().map(|(_, _, m)| m).collect())
}

/// Writes mined stubs as JSONL (`text`, `label`, `source`, `origin_id`, `license`,
/// `group`), creating the parent directory.
pub fn write_jsonl(path: &Path, stubs: &[MinedStub]) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let file = fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = BufWriter::new(file);
    for s in stubs {
        let line = Line {
            text: &s.text,
            label: Label::CodeCompletion,
            source: &s.source,
            origin_id: &s.origin_id,
            license: &s.license,
            group: &s.group,
        };
        serde_json::to_writer(&mut w, &line).map_err(|e| Error::io(path, e.into()))?;
        w.write_all(b"\n").map_err(|e| Error::io(path, e))?;
    }
    w.flush().map_err(|e| Error::io(path, e))
}

/// Relative paths (with `/`) of the files under `dir` that `lang` mines.
fn collect_files(root: &Path, dir: &Path, lang: StubLang, out: &mut Vec<String>) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path: PathBuf = entry.path();
        // Symlinks are skipped: they would duplicate files or loop.
        let ft = entry.file_type().map_err(|e| Error::io(&path, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if ft.is_dir() {
            if !SKIP_DIRS.contains(&name.as_str()) && !name.starts_with('.') {
                collect_files(root, &path, lang, out)?;
            }
        } else if ft.is_file() && lang.matches_file(&name) {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if !LICENCE_EXCEPTIONS.contains(&rel.as_str()) {
                out.push(rel);
            }
        }
    }
    Ok(())
}

/// Leading whitespace characters of `line`.
fn indent_of(line: &str) -> usize {
    line.chars().take_while(|c| c.is_whitespace()).count()
}

/// Removes `n` leading whitespace characters (fewer if the line has fewer).
fn dedent(line: &str, n: usize) -> &str {
    let mut idx = 0;
    for (count, (i, c)) in line.char_indices().enumerate() {
        if count == n || !c.is_whitespace() {
            return &line[i..];
        }
        idx = i + c.len_utf8();
    }
    &line[idx..]
}

/// Leading identifier of `s`.
fn ident(s: &str) -> &str {
    let end = s
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '$'))
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// Net change in `()`/`[]` nesting over a line, ignoring quoted text and line comments.
/// In Rust a `'` opens a char literal only when it looks like one (`'x'`, `'\n'`),
/// never for a lifetime.
fn paren_delta(line: &str, lang: StubLang) -> i32 {
    let comment = if lang == StubLang::Python { "#" } else { "//" };
    let mut depth = 0;
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) => {
                if c == q && prev != '\\' {
                    quote = None;
                }
            }
            None => {
                if line[i..].starts_with(comment) {
                    break;
                }
                match c {
                    '\'' if lang == StubLang::Rust => {
                        let rest = &line[i + 1..];
                        let mut cs = rest.chars();
                        let first = cs.next();
                        if first == Some('\\') || cs.next() == Some('\'') {
                            quote = Some(c);
                        }
                    }
                    '"' | '\'' | '`' => quote = Some(c),
                    '(' | '[' => depth += 1,
                    ')' | ']' => depth -= 1,
                    _ => {}
                }
            }
        }
        prev = if prev == '\\' && c == '\\' { ' ' } else { c };
    }
    depth
}

/// Counts the words of a doc comment's prose (JSDoc `@tags` excluded).
fn doc_words(doc: &str) -> usize {
    doc.lines()
        .filter(|l| !l.trim_start().starts_with('@'))
        .flat_map(str::split_whitespace)
        .count()
}

/// A doc block that is really a licence header or copyright notice.
fn is_licence_text(doc: &str) -> bool {
    let d = doc.to_ascii_lowercase();
    [
        "copyright",
        "spdx-license",
        "@license",
        "licensed under",
        "permission is hereby granted",
    ]
    .iter()
    .any(|k| d.contains(k))
}

fn code_lines(body: &[String], comment: &str) -> usize {
    body.iter()
        .filter(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with(comment)
        })
        .count()
}

/// Nearest enclosing context line (class / impl / trait) for every line, by indentation.
/// A braced block ends only at its `}` (or a new opener), so a multi-line string
/// that starts at column 0 inside a JS class does not end the class.
fn contexts(lines: &[&str], braced: bool, is_opener: impl Fn(&str) -> bool) -> Vec<Option<usize>> {
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            out.push(stack.last().map(|&(_, j)| j));
            continue;
        }
        let ind = indent_of(line);
        let t = line.trim();
        let closes = !braced || t.starts_with('}') || is_opener(t);
        while closes && stack.last().is_some_and(|&(d, _)| d >= ind) {
            stack.pop();
        }
        out.push(stack.last().map(|&(_, j)| j));
        if is_opener(t) {
            stack.push((ind, i));
        }
    }
    out
}

/// Cuts every documented, public, non-trivial function out of one file's text.
pub fn cut_stubs(lang: StubLang, content: &str) -> Vec<Stub> {
    let lines: Vec<&str> = content.lines().collect();
    let stubs = match lang {
        StubLang::Python => python::cut(&lines),
        StubLang::Rust | StubLang::Go | StubLang::JavaScript => braced::cut(lang, &lines),
    };
    // Template code (Rust macros, JS templates) is not code a user would send.
    stubs
        .into_iter()
        .filter(|s| {
            lang == StubLang::JavaScript
                || !s.head_lines.iter().chain(&s.body).any(|l| l.contains('$'))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use python::tests::PY;

    /// The names of `stubs`, in order.
    pub(super) fn names(stubs: &[Stub]) -> Vec<&str> {
        stubs.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn mine_skips_tests_dedupes_copies_and_is_deterministic() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("pkg")).unwrap();
        fs::create_dir_all(root.join("test")).unwrap();
        fs::write(root.join("pkg/a.py"), PY).unwrap();
        // A re-indented copy of the same functions counts once.
        let copy: String = PY.lines().map(|l| format!("    {l}\n")).collect();
        fs::write(root.join("pkg/b.py"), format!("if True:\n{copy}")).unwrap();
        fs::write(
            root.join("test/test_a.py"),
            PY.replace("parse_date", "parse_time"),
        )
        .unwrap();
        fs::write(root.join("pkg/notes.txt"), PY).unwrap();
        fs::write(
            root.join("pkg/latin1.py"),
            b"def f():\n    \"\"\"caf\xe9\"\"\"\n",
        )
        .unwrap();

        let mined = mine(root, StubLang::Python, "PSF-2.0", "stubs_py", 100).unwrap();
        let ids: Vec<&str> = mined.iter().map(|m| m.origin_id.as_str()).collect();
        assert_eq!(ids, ["pkg/a.py:7", "pkg/a.py:31"]);
        assert!(mined
            .iter()
            .all(|m| m.group == "stubs_py:pkg/a.py" && m.license == "PSF-2.0"));
        assert_eq!(
            mine(root, StubLang::Python, "PSF-2.0", "stubs_py", 1)
                .unwrap()
                .len(),
            1
        );

        let out = root.join("out/stubs_py.jsonl");
        write_jsonl(&out, &mined).unwrap();
        let first = fs::read_to_string(&out).unwrap();
        let again = mine(root, StubLang::Python, "PSF-2.0", "stubs_py", 100).unwrap();
        write_jsonl(&out, &again).unwrap();
        assert_eq!(fs::read_to_string(&out).unwrap(), first);
        let line: serde_json::Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
        assert_eq!(line["label"], "code_completion");
        assert_eq!(line["source"], "stubs_py");
        assert_eq!(line["origin_id"], "pkg/a.py:7");
        assert!(line["text"].as_str().unwrap().contains("Number of bytes"));
    }

    #[test]
    fn missing_dir_and_unknown_language_are_errors() {
        let err = mine(
            Path::new("/nonexistent/stubs"),
            StubLang::Go,
            "BSD-3-Clause",
            "x",
            1,
        );
        assert!(err.unwrap_err().to_string().contains("/nonexistent/stubs"));
        assert!("cobol".parse::<StubLang>().is_err());
        assert_eq!("JS".parse::<StubLang>().unwrap(), StubLang::JavaScript);
    }
}
