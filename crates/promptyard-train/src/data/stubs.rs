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
//! ```no_run
//! use std::path::Path;
//! use promptyard_train::data::stubs::{self, StubLang};
//!
//! let dir = Path::new("/usr/lib/python3.11");
//! let mined = stubs::mine(dir, StubLang::Python, "PSF-2.0", "stubs_python_stdlib", 2500)?;
//! stubs::write_jsonl(Path::new("data/raw-extra/stubs_python_stdlib.jsonl"), &mined)?;
//! # Ok::<(), promptyard::Error>(())
//! ```

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Serialize;

use promptyard::{Error, Result};
use promptyard::label::Label;
use promptyard::hash::fnv1a64;

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
    Python,
    Rust,
    Go,
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
            _ => Err(Error::Invalid {
                what: "stub language".into(),
                msg: format!("{s:?} (expected python, rust, go or js)"),
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
    pub text: String,
    /// Source name, e.g. `stubs_python_stdlib`.
    pub source: String,
    /// `relative/path:line` of the signature.
    pub origin_id: String,
    /// SPDX licence expression of the code base.
    pub license: String,
    /// Split key: `source:relative/path`, so functions of one file share a split.
    pub group: String,
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
        let json = serde_json::to_string(&line).map_err(|e| Error::Invalid {
            what: "mined stub".into(),
            msg: format!("{}: {e}", s.origin_id),
        })?;
        writeln!(w, "{json}").map_err(|e| Error::io(path, e))?;
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

/// 64-bit FNV-1a: stable across runs and platforms, unlike std's hasher.
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
        StubLang::Python => cut_python(&lines),
        StubLang::Rust | StubLang::Go | StubLang::JavaScript => cut_braced(lang, &lines),
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

fn cut_python(lines: &[&str]) -> Vec<Stub> {
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

/// Where a doc comment starts and ends (inclusive line indices) and its prose.
struct Doc {
    start: usize,
    end: usize,
    text: String,
}

/// The doc comment ending right above `sig` (attributes and directives skipped).
fn doc_above(lang: StubLang, lines: &[&str], sig: usize) -> Option<Doc> {
    let mut j = sig;
    // Rust attributes (`#[inline]`, multi-line `#[stable(..)]`) sit between doc and fn.
    while lang == StubLang::Rust && j > 0 {
        let t = lines[j - 1].trim();
        let attribute = t.starts_with("#[") || t.ends_with(")]") || t.ends_with(',');
        if attribute && !t.starts_with("//") {
            j -= 1;
        } else {
            break;
        }
    }
    // Some JS styles leave one blank line between a JSDoc block and its function.
    if lang == StubLang::JavaScript && j > 1 && lines[j - 1].trim().is_empty() {
        j -= 1;
    }
    let end = j.checked_sub(1)?;
    match lang {
        StubLang::Rust | StubLang::Go => {
            let marker = if lang == StubLang::Rust { "///" } else { "//" };
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
        StubLang::JavaScript => {
            if !lines[end].trim().ends_with("*/") {
                return None;
            }
            // The nearest comment opener must be a JSDoc one: a plain `/*` block is
            // not documentation, and looking further up would swallow code.
            let start = (0..=end)
                .rev()
                .find(|&k| lines[k].trim_start().starts_with("/*"))?;
            if !lines[start].trim_start().starts_with("/**") {
                return None;
            }
            let text = lines[start..=end]
                .iter()
                .map(|l| {
                    l.trim()
                        .trim_start_matches("/**")
                        .trim_end_matches("*/")
                        .trim_start_matches('*')
                        .trim()
                })
                .collect::<Vec<_>>()
                .join("\n");
            Some(Doc { start, end, text })
        }
        StubLang::Python => None,
    }
}

/// The function name if `t` (a trimmed line) starts a documented-function signature.
fn braced_signature(lang: StubLang, t: &str, in_context: Option<&str>) -> Option<String> {
    match lang {
        StubLang::Rust => {
            let mut s = t;
            let is_pub = s.starts_with("pub ") || s.starts_with("pub(");
            if is_pub {
                s = s.strip_prefix("pub").unwrap_or(s);
                if s.starts_with('(') {
                    s = &s[s.find(')')? + 1..];
                }
                s = s.trim_start();
            }
            for q in ["default ", "const ", "async ", "unsafe "] {
                s = s.strip_prefix(q).unwrap_or(s);
            }
            if let Some(rest) = s.strip_prefix("extern ") {
                s = rest.trim_start_matches(|c: char| c != ' ').trim_start();
            }
            let name = ident(s.strip_prefix("fn ")?);
            // Trait methods and trait impls are public without `pub`.
            let public =
                is_pub || in_context.is_some_and(|c| c.contains("trait ") || c.contains(" for "));
            (public && !name.is_empty() && !name.starts_with('_')).then(|| name.to_string())
        }
        StubLang::Go => {
            let mut s = t.strip_prefix("func ")?;
            if s.starts_with('(') {
                s = s[s.find(')')? + 1..].trim_start();
            }
            let name = ident(s);
            name.chars()
                .next()
                .is_some_and(char::is_uppercase)
                .then(|| name.to_string())
        }
        StubLang::JavaScript => {
            let mut s = t;
            for q in ["export ", "default ", "async "] {
                s = s.strip_prefix(q).unwrap_or(s);
            }
            let name = if let Some(rest) = s.strip_prefix("function ") {
                ident(rest.trim_start_matches('*').trim_start())
            } else if let Some(rest) = ["var ", "let ", "const "]
                .iter()
                .find_map(|k| s.strip_prefix(k))
            {
                let name = ident(rest);
                let value = rest[name.len()..]
                    .trim_start()
                    .strip_prefix('=')?
                    .trim_start();
                let value = value.strip_prefix("async ").unwrap_or(value);
                (value.starts_with("function") || value.contains("=>")).then_some(name)?
            } else if s.contains(" = function") || s.contains("= async function") {
                // `Foo.prototype.bar = function (...)`, `exports.bar = function (...)`
                let lhs = s.split('=').next()?.trim();
                let last = lhs.rsplit('.').next()?;
                (ident(last) == last).then_some(last)?
            } else if in_context.is_some_and(|c| c.contains("class ")) {
                let mut m = s;
                for q in ["static ", "async ", "get ", "set "] {
                    m = m.strip_prefix(q).unwrap_or(m);
                }
                let name = ident(m);
                let keyword = [
                    "if", "for", "while", "switch", "catch", "return", "function",
                ];
                (m[name.len()..].starts_with('(') && !keyword.contains(&name)).then_some(name)?
            } else {
                return None;
            };
            (!name.is_empty() && !name.starts_with('_')).then(|| name.to_string())
        }
        StubLang::Python => None,
    }
}

fn is_braced_opener(lang: StubLang, t: &str) -> bool {
    if !t.ends_with('{') {
        return false;
    }
    match lang {
        StubLang::Rust => {
            let s = t.strip_prefix("pub ").unwrap_or(t);
            let s = s.strip_prefix("unsafe ").unwrap_or(s);
            s.starts_with("impl ") || s.starts_with("impl<") || s.starts_with("trait ")
        }
        StubLang::JavaScript => {
            let s = t.strip_prefix("export ").unwrap_or(t);
            let s = s.strip_prefix("default ").unwrap_or(s);
            s.starts_with("class ")
        }
        StubLang::Go | StubLang::Python => false,
    }
}

fn cut_braced(lang: StubLang, lines: &[&str]) -> Vec<Stub> {
    let ctx = contexts(lines, true, |t| is_braced_opener(lang, t));
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let context = ctx[i].map(|j| lines[j]);
        let Some(name) = braced_signature(lang, line.trim(), context) else {
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
fn frame(lang: StubLang, stub: &Stub, hash: u64) -> Option<(String, Framing)> {
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
    use super::*;

    const PY: &str = r#"import os

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

    const RS: &str = r#"/// Licensed under the Apache License, Version 2.0 or the MIT license, at your option.
pub fn licence_header_not_a_doc(a: u8) -> u8 {
    let b = a;
    b + 1
}

impl<'a, T: Clone> Buffer<'a, T> {
    /// Splits the buffer into two at the given index, keeping the front half.
    ///
    /// # Panics
    ///
    /// Panics if `at > len`.
    #[inline]
    #[stable(
        feature = "rust1",
        since = "1.0.0",
    )]
    pub fn split_off(&mut self, at: usize)
        -> Buffer<'a, T>
    {
        assert!(at <= self.len, "`at` out of bounds");
        let tail = self.items[at..].to_vec();
        Buffer::from(tail)
    }

    /// Private helper with a long enough doc comment to count.
    fn grow(&mut self) {
        self.cap *= 2;
        self.items.reserve(self.cap);
    }

    /// Returns the number of items in the buffer, not the capacity.
    pub fn len(&self) -> usize {
        self.len
    }
}

pub trait Shape {
    /// Computes the area of the shape in square metres.
    fn area(&self) -> f64;

    /// Computes the perimeter of the shape in metres, by default zero.
    fn perimeter(&self) -> f64 {
        let p = 0.0;
        p * 2.0
    }
}
"#;

    const GO: &str = r#"// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style license.

package strings

// Repeat returns a new string consisting of count copies of the string s.
//
// It panics if count is negative.
//go:noinline
func Repeat(s string, count int) string {
	if count < 0 {
		panic("strings: negative Repeat count")
	}
	return repeat(s, count)
}

// repeat is the unexported worker that does the actual repeating.
func repeat(s string, count int) string {
	b := make([]byte, len(s)*count)
	return string(b)
}

// Sqrt returns the square root of x, implemented in assembly.
func Sqrt(x float64) float64

// Len returns the number of bytes of the unread portion of the reader.
func (r *Reader) Len() int {
	if r.i >= int64(len(r.s)) {
		return 0
	}
	return int(int64(len(r.s)) - r.i)
}
"#;

    const JS: &str = r#"/**
 * @license MIT. Copyright OpenJS Foundation and other contributors.
 */
;(function() {
    /**
     * Creates an array of elements split into groups the length of `size`.
     *
     * @param {Array} array The array to process.
     * @returns {Array} Returns the new array of chunks.
     */
    function chunk(array, size) {
      var result = [];
      while (index < length) {
        result.push(array.slice(index, (index += size)));
      }
      return result;
    }

    /**
     * The base implementation of `chunk` without support for guards.
     *
     * @private
     */
    function baseChunk(array) {
      var a = 1;
      return a;
    }

    /*
     * Luhn (mod 10) validation function for a string of digits.
     */
    function luhnCheck(str) {
      var sum = 0;
      return sum % 10 === 0;
    }
}.call(this));

class Command extends EventEmitter {
  /**
   * Add a prepared subcommand to this command's list.
   */

  addCommand(cmd, opts) {
    if (!cmd._name) {
      throw new Error(`must have a name
- specify the name`);
    }
    return this;
  }

  /**
   * Set the description shown in the generated help text.
   */
  description(str) {
    this._description = str;
    return this;
  }
}
"#;

    fn names(stubs: &[Stub]) -> Vec<&str> {
        stubs.iter().map(|s| s.name.as_str()).collect()
    }

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

    #[test]
    fn rust_skips_attributes_private_bodiless_and_trivial_functions() {
        let stubs = cut_stubs(StubLang::Rust, RS);
        assert_eq!(names(&stubs), ["split_off", "perimeter"]);
        let s = &stubs[0];
        assert_eq!(
            s.context.as_deref(),
            Some("impl<'a, T: Clone> Buffer<'a, T> {")
        );
        assert_eq!(s.head_lines.len(), 8, "{:#?}", s.head_lines);
        assert!(s.head_lines.iter().all(|l| !l.contains("#[")));
        assert_eq!(s.head_lines.last().unwrap().trim(), "{");
        assert_eq!(s.body.len(), 3);
        assert_eq!(s.close.as_deref(), Some("    }"));
        assert_eq!(stubs[1].context.as_deref(), Some("pub trait Shape {"));
    }

    #[test]
    fn go_keeps_exported_documented_functions_and_drops_directives() {
        let stubs = cut_stubs(StubLang::Go, GO);
        assert_eq!(names(&stubs), ["Repeat", "Len"]);
        let r = &stubs[0];
        assert_eq!(r.head_lines.len(), 4);
        assert!(r.head_lines.iter().all(|l| !l.starts_with("//go:")));
        assert!(!r.doc.contains("go:noinline"));
        assert_eq!(r.body.len(), 4);
        assert_eq!(stubs[1].head_lines[1], "func (r *Reader) Len() int {");
    }

    #[test]
    fn javascript_needs_public_jsdoc_and_survives_template_strings() {
        let stubs = cut_stubs(StubLang::JavaScript, JS);
        assert_eq!(names(&stubs), ["chunk", "addCommand", "description"]);
        assert_eq!(stubs[0].head_lines.first().unwrap().trim(), "/**");
        assert_eq!(stubs[0].body.len(), 5);
        // The blank line between JSDoc and method is dropped from the stub.
        assert_eq!(stubs[1].head_lines.len(), 4);
        assert_eq!(
            stubs[2].context.as_deref(),
            Some("class Command extends EventEmitter {")
        );
    }

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
