//! JavaScript: functions, function-valued bindings, prototype assignments and class
//! methods with a `/** … */` JSDoc block (not marked `@private`).

use super::braced::Doc;
use super::ident;

/// The JSDoc block ending right above the signature on line `sig` (one blank line
/// between them allowed, as some styles leave it).
pub(super) fn doc_above(lines: &[&str], sig: usize) -> Option<Doc> {
    let mut j = sig;
    if j > 1 && lines[j - 1].trim().is_empty() {
        j -= 1;
    }
    let end = j.checked_sub(1)?;
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

/// The function name if `t` (a trimmed line) starts a public function or method.
pub(super) fn signature(t: &str, in_context: Option<&str>) -> Option<String> {
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

/// Whether `t` (a trimmed line ending in `{`) opens a `class`.
pub(super) fn is_opener(t: &str) -> bool {
    let s = t.strip_prefix("export ").unwrap_or(t);
    let s = s.strip_prefix("default ").unwrap_or(s);
    s.starts_with("class ")
}

#[cfg(test)]
mod tests {
    use crate::data::stubs::tests::names;
    use crate::data::stubs::{cut_stubs, StubLang};

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
}
