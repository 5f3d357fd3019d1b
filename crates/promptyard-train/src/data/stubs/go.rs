//! Go: exported (capitalised) `func`s and methods with a `//` doc comment, `//go:`
//! directives dropped.

use super::braced::{line_comment_doc, Doc};
use super::ident;

/// The `//` doc comment right above the signature on line `sig`.
pub(super) fn doc_above(lines: &[&str], sig: usize) -> Option<Doc> {
    line_comment_doc(lines, sig, "//")
}

/// The function name if `t` (a trimmed line) starts an exported `func` or method.
pub(super) fn signature(t: &str) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use crate::data::stubs::tests::names;
    use crate::data::stubs::{cut_stubs, StubLang};

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
}
