//! Rust: `pub fn` (and trait or trait-impl methods) with a `///` doc comment, attributes
//! between the doc and the signature skipped.

use super::braced::{line_comment_doc, Doc};
use super::ident;

/// The `///` doc comment above the signature on line `sig`, skipping attributes
/// (`#[inline]`, a multi-line `#[stable(..)]`) that sit between doc and `fn`.
pub(super) fn doc_above(lines: &[&str], sig: usize) -> Option<Doc> {
    let mut j = sig;
    while j > 0 {
        let t = lines[j - 1].trim();
        let attribute = t.starts_with("#[") || t.ends_with(")]") || t.ends_with(',');
        if attribute && !t.starts_with("//") {
            j -= 1;
        } else {
            break;
        }
    }
    line_comment_doc(lines, j, "///")
}

/// The function name if `t` (a trimmed line) starts a public `fn`.
pub(super) fn signature(t: &str, in_context: Option<&str>) -> Option<String> {
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
    let public = is_pub || in_context.is_some_and(|c| c.contains("trait ") || c.contains(" for "));
    (public && !name.is_empty() && !name.starts_with('_')).then(|| name.to_string())
}

/// Whether `t` (a trimmed line ending in `{`) opens an `impl` or `trait` block.
pub(super) fn is_opener(t: &str) -> bool {
    let s = t.strip_prefix("pub ").unwrap_or(t);
    let s = s.strip_prefix("unsafe ").unwrap_or(s);
    s.starts_with("impl ") || s.starts_with("impl<") || s.starts_with("trait ")
}

#[cfg(test)]
mod tests {
    use crate::data::stubs::tests::names;
    use crate::data::stubs::{cut_stubs, StubLang};

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
}
