//! JSON Lines input: splitting a byte stream into line chunks, and pulling the prompt
//! out of one line by a dotted field path without building a `serde_json::Value`.
//!
//! The extractor walks the object with serde seeds, skipping everything off the path with
//! `IgnoredAny`; the text is borrowed from the line unless it contains escapes. That keeps
//! the common case free of allocations.

use std::borrow::Cow;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::buffers::Buffers;
use crate::checkpoint::InputHash;
use crate::chunk::{Chunk, Position, Records};
use crate::error::{Error, Result};
use crate::format::FieldPath;
use crate::record::{RecordError, RecordErrorKind, OUTPUT_KEYS};

/// Reads a JSONL stream into chunks of whole lines of roughly `target` bytes.
pub(crate) struct LineChunks<'a> {
    read: Box<dyn Read + Send + 'a>,
    path: PathBuf,
    /// Bytes read past the last complete line of the previous chunk.
    carry: Vec<u8>,
    next: Position,
    target: usize,
    /// Longer lines become `record_too_long` error records instead of filling memory.
    max_line: usize,
    eof: bool,
    /// Hash of every byte consumed so far, when the run checkpoints (see [`Self::hashing`]).
    hash: Option<InputHash>,
    /// Where chunk buffers come from (see [`Self::recycling`]).
    buffers: Buffers,
}

impl<'a> LineChunks<'a> {
    /// `start` is where `read` is positioned (the checkpoint on resume, else the start).
    pub(crate) fn new(
        read: Box<dyn Read + Send + 'a>,
        path: &Path,
        start: Position,
        target: usize,
        max_line: usize,
    ) -> Self {
        LineChunks {
            read,
            path: path.to_path_buf(),
            carry: Vec::new(),
            next: start,
            target: target.max(1),
            max_line: max_line.max(1),
            eof: false,
            hash: None,
            buffers: Buffers::new(0, 0),
        }
    }

    /// Takes each chunk's buffer from `buffers`, where the pipeline hands labelled chunks'
    /// buffers back.
    pub(crate) fn recycling(mut self, buffers: Buffers) -> Self {
        self.buffers = buffers;
        self
    }

    /// Hashes each chunk's bytes as they are cut, continuing from `hash` (the digest of the
    /// bytes before `start`), and stamps every chunk with the digest so far: a checkpoint
    /// then needs no second read of the input (for gzip, no second decompression).
    pub(crate) fn hashing(mut self, hash: Option<InputHash>) -> Self {
        self.hash = hash;
        self
    }

    /// Adds `bytes` (the next ones consumed) to the hash.
    fn consumed(&mut self, bytes: &[u8]) {
        if let Some(h) = &mut self.hash {
            h.update(bytes);
        }
    }

    /// The digest of everything consumed so far, if hashing.
    fn digest(&self) -> Option<String> {
        self.hash.as_ref().map(InputHash::hex)
    }

    /// The next chunk of complete lines (the last line of the stream may lack its newline).
    pub(crate) fn next_chunk(&mut self) -> Result<Option<Chunk>> {
        let mut buf = self.buffers.take(self.target.max(self.carry.len() + 1));
        buf.extend_from_slice(&self.carry);
        self.carry.clear();
        let mut want = self.target.max(buf.len() + 1);
        // Read until the buffer holds at least one newline and `want` bytes, or EOF.
        let cut = loop {
            if !self.eof && buf.len() < want {
                let before = buf.len();
                buf.reserve(want - before);
                let n = (&mut self.read)
                    .take((want - before) as u64)
                    .read_to_end(&mut buf)
                    .map_err(|e| Error::io(&self.path, e))?;
                if n == 0 {
                    self.eof = true;
                }
                continue;
            }
            match memchr::memrchr(b'\n', &buf) {
                Some(i) => break i + 1,
                None if self.eof => break buf.len(),
                None if buf.len() >= self.max_line => return self.skip_long_line(&buf),
                // One line longer than the buffer: grow until its end is in.
                None => want = (buf.len() * 2).min(self.max_line),
            }
        };
        if buf.is_empty() {
            return Ok(None);
        }
        self.carry.extend_from_slice(&buf[cut..]);
        buf.truncate(cut);
        self.consumed(&buf);

        let mut spans = Vec::with_capacity(buf.len() / 64 + 1);
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', &buf) {
            spans.push((start, nl));
            start = nl + 1;
        }
        if start < buf.len() {
            spans.push((start, buf.len()));
        }
        let first = self.next;
        self.next.offset += buf.len() as u64;
        self.next.line += spans.len() as u64;
        self.next.record += spans.len() as u64;
        Ok(Some(Chunk {
            first,
            next: self.next,
            records: Records::Lines { buf, spans },
            input_hash: self.digest(),
        }))
    }
}

impl<'a> LineChunks<'a> {
    /// Discards the rest of a line over `max_line` bytes (`head` already read) and returns
    /// it as a one-record chunk.
    fn skip_long_line(&mut self, head: &[u8]) -> Result<Option<Chunk>> {
        self.consumed(head);
        let mut skipped = head.len() as u64;
        let mut newline = 0;
        let mut block = vec![0u8; 1 << 20];
        loop {
            let n = match self.read.read(&mut block) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::io(&self.path, e)),
            };
            if n == 0 {
                self.eof = true;
                break;
            }
            if let Some(i) = memchr::memchr(b'\n', &block[..n]) {
                self.consumed(&block[..=i]);
                skipped += i as u64;
                newline = 1;
                self.carry = block[i + 1..n].to_vec();
                break;
            }
            self.consumed(&block[..n]);
            skipped += n as u64;
        }
        let first = self.next;
        self.next.offset += skipped + newline;
        self.next.line += 1;
        self.next.record += 1;
        Ok(Some(Chunk {
            first,
            next: self.next,
            records: Records::TooLong { bytes: skipped },
            input_hash: self.digest(),
        }))
    }
}

/// A line's prompt, and whether the line already has a key the output will add.
pub(crate) struct Extracted<'a> {
    pub text: Cow<'a, str>,
    pub collides: bool,
}

/// Finds the prompt in one JSONL line (without its line ending).
pub(crate) fn extract<'a>(line: &'a [u8], field: &FieldPath) -> Result<Extracted<'a>, RecordError> {
    // SIMD validation: std's byte loop was 4% of a batch run's CPU on 1.4 KB prompts. Only
    // a failure goes through std, for the byte offset the error names.
    let line = simdutf8::basic::from_utf8(line).map_err(|_| {
        let at = std::str::from_utf8(line).map_or_else(|e| e.valid_up_to(), |s| s.len());
        RecordError::new(
            RecordErrorKind::InvalidUtf8,
            format!("invalid UTF-8 at byte {at}"),
        )
    })?;
    if line.trim().is_empty() {
        return Err(RecordError::new(RecordErrorKind::EmptyLine, "blank line"));
    }
    let mut de = serde_json::Deserializer::from_str(line);
    let found = Top(field.segments())
        .deserialize(&mut de)
        .and_then(|f| de.end().map(|()| f))
        .map_err(|e| {
            RecordError::new(RecordErrorKind::InvalidJson, format!("invalid JSON: {e}"))
        })?;
    match found {
        Found::Text(text, _) if text.trim().is_empty() => Err(RecordError::new(
            RecordErrorKind::EmptyText,
            format!("field `{field}` is empty"),
        )),
        Found::Text(text, collides) => Ok(Extracted { text, collides }),
        Found::Missing => Err(RecordError::new(
            RecordErrorKind::MissingField,
            format!("field `{field}` not found"),
        )),
        Found::NotString(what) => Err(RecordError::new(
            RecordErrorKind::NotAString,
            format!("field `{field}` is {what}, expected a string"),
        )),
        Found::NotObject(what) => Err(RecordError::new(
            RecordErrorKind::NotAnObject,
            format!("the line is {what}, expected a JSON object"),
        )),
    }
}

/// The top-level members of an object line, raw, minus those the output will replace.
/// Only used for lines that collide with an output key, so allocating is fine here.
pub(crate) fn members_without_output_keys(
    line: &str,
) -> serde_json::Result<Vec<(String, Box<RawValue>)>> {
    struct Members;
    impl<'de> Visitor<'de> for Members {
        type Value = Vec<(String, Box<RawValue>)>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(key) = map.next_key::<String>()? {
                let value: Box<RawValue> = map.next_value()?;
                if !OUTPUT_KEYS.contains(&key.as_str()) {
                    out.push((key, value));
                }
            }
            Ok(out)
        }
    }
    let mut de = serde_json::Deserializer::from_str(line);
    de.deserialize_map(Members)
}

/// What walking the field path found.
enum Found<'a> {
    /// The text, and whether the top-level object has an output key.
    Text(Cow<'a, str>, bool),
    Missing,
    NotString(&'static str),
    NotObject(&'static str),
}

/// Seed for the whole line: must be an object; notes output-key collisions.
struct Top<'p>(&'p [String]);

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = Found<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = Found<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (head, rest) = self.0.split_first().expect("field paths are non-empty");
        let mut found = None;
        let mut collides = false;
        while let Some(key) = map.next_key_seed(Key)? {
            collides |= OUTPUT_KEYS.contains(&key.as_ref());
            if key == head.as_str() {
                // A repeated key: the last occurrence counts, as in common JSON parsers.
                found = Some(map.next_value_seed(Nav(rest))?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(match found {
            Some(Found::Text(t, _)) => Found::Text(t, collides),
            Some(other) => other,
            None => Found::Missing,
        })
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Found::NotObject("an array"))
    }
    fn visit_borrowed_str<E>(self, _: &'de str) -> Result<Self::Value, E> {
        Ok(Found::NotObject("a string"))
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Found::NotObject("a string"))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Found::NotObject("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Found::NotObject("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Found::NotObject("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Found::NotObject("a number"))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Found::NotObject("null"))
    }
}

/// Seed for a value somewhere below the top: follows the remaining path segments.
struct Nav<'p>(&'p [String]);

impl<'de> DeserializeSeed<'de> for Nav<'_> {
    type Value = Found<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Nav<'_> {
    /// A scalar where the path wanted a string (path ended) or a container (path goes on).
    fn scalar(&self, what: &'static str) -> Found<'static> {
        if self.0.is_empty() {
            Found::NotString(what)
        } else {
            Found::Missing
        }
    }
}

impl<'de> Visitor<'de> for Nav<'_> {
    type Value = Found<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(if self.0.is_empty() {
            Found::Text(Cow::Borrowed(v), false)
        } else {
            Found::Missing
        })
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(if self.0.is_empty() {
            Found::Text(Cow::Owned(v.to_owned()), false)
        } else {
            Found::Missing
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        match self.0.split_first() {
            Some((head, rest)) => {
                while let Some(key) = map.next_key_seed(Key)? {
                    if key == head.as_str() {
                        // A repeated key: the last occurrence counts, as in common JSON parsers.
                        found = Some(map.next_value_seed(Nav(rest))?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            None => {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                found = Some(Found::NotString("an object"));
            }
        }
        Ok(found.unwrap_or(Found::Missing))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let target = match self.0.split_first() {
            Some((head, rest)) => head.parse::<usize>().ok().map(|i| (i, rest)),
            None => None,
        };
        let mut found = None;
        let mut i = 0;
        loop {
            let got = match target {
                Some((t, rest)) if t == i => {
                    seq.next_element_seed(Nav(rest))?.map(|f| found = Some(f))
                }
                _ => seq.next_element::<IgnoredAny>()?.map(drop),
            };
            if got.is_none() {
                break;
            }
            i += 1;
        }
        Ok(match (found, self.0.is_empty()) {
            (_, true) => Found::NotString("an array"),
            (Some(f), false) => f,
            (None, false) => Found::Missing,
        })
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(self.scalar("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(self.scalar("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(self.scalar("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(self.scalar("a number"))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(self.scalar("null"))
    }
}

/// An object key, borrowed unless it has escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_takes_the_last_value() {
        assert_eq!(
            get(r#"{"text":"first","text":"last"}"#, "text"),
            Ok(("last".into(), false))
        );
        assert_eq!(
            get(r#"{"m":{"t":"a","t":"b"}}"#, "m.t"),
            Ok(("b".into(), false))
        );
        assert_eq!(
            get(r#"{"text":"a","text":7}"#, "text"),
            Err(RecordErrorKind::NotAString)
        );
    }

    #[test]
    fn an_escaped_dot_addresses_a_key_with_a_dot() {
        let line = r#"{"a.b":"dotted","a":{"b":"nested"},"c\\d":"slash"}"#;
        assert_eq!(get(line, r"a\.b"), Ok(("dotted".into(), false)));
        assert_eq!(get(line, "a.b"), Ok(("nested".into(), false)));
        assert_eq!(get(line, r"c\\d"), Ok(("slash".into(), false)));
        assert!(r"a\x".parse::<FieldPath>().is_err());
        assert!(r"a\".parse::<FieldPath>().is_err());
    }

    fn get(line: &str, field: &str) -> Result<(String, bool), RecordErrorKind> {
        let field: FieldPath = field.parse().unwrap();
        extract(line.as_bytes(), &field)
            .map(|e| (e.text.into_owned(), e.collides))
            .map_err(|e| e.kind)
    }

    #[test]
    fn finds_top_level_and_dotted_fields() {
        assert_eq!(
            get(r#"{"id":1,"text":"hi"}"#, "text"),
            Ok(("hi".into(), false))
        );
        assert_eq!(
            get(r#"{"text":"a\nb"}"#, "text"),
            Ok(("a\nb".into(), false))
        );
        let chat =
            r#"{"messages":[{"role":"system","content":"s"},{"content":"u","role":"user"}]}"#;
        assert_eq!(get(chat, "messages.1.content"), Ok(("u".into(), false)));
        assert_eq!(get(chat, "messages.0.content"), Ok(("s".into(), false)));
        assert_eq!(
            get(chat, "messages.2.content"),
            Err(RecordErrorKind::MissingField)
        );
        assert_eq!(
            get(chat, "messages.x.content"),
            Err(RecordErrorKind::MissingField)
        );
        assert_eq!(
            get(r#"{"a":{"0":"zero"}}"#, "a.0"),
            Ok(("zero".into(), false))
        );
    }

    #[test]
    fn classifies_bad_lines() {
        assert_eq!(
            get(r#"{"text":"hi""#, "text"),
            Err(RecordErrorKind::InvalidJson)
        );
        assert_eq!(
            get(r#"{"text":"hi"} x"#, "text"),
            Err(RecordErrorKind::InvalidJson)
        );
        assert_eq!(
            get(r#"{"txt":"hi"}"#, "text"),
            Err(RecordErrorKind::MissingField)
        );
        assert_eq!(
            get(r#"{"text":42}"#, "text"),
            Err(RecordErrorKind::NotAString)
        );
        assert_eq!(
            get(r#"{"text":null}"#, "text"),
            Err(RecordErrorKind::NotAString)
        );
        assert_eq!(
            get(r#"{"text":{"a":1}}"#, "text"),
            Err(RecordErrorKind::NotAString)
        );
        assert_eq!(
            get(r#"{"text":["a"]}"#, "text"),
            Err(RecordErrorKind::NotAString)
        );
        assert_eq!(
            get(r#"{"text":" \n"}"#, "text"),
            Err(RecordErrorKind::EmptyText)
        );
        assert_eq!(
            get(r#"["text"]"#, "text"),
            Err(RecordErrorKind::NotAnObject)
        );
        assert_eq!(get(r#""text""#, "text"), Err(RecordErrorKind::NotAnObject));
        assert_eq!(get("  ", "text"), Err(RecordErrorKind::EmptyLine));
        let field: FieldPath = "text".parse().unwrap();
        let bad = b"{\"text\":\"caf\xe9\"}";
        let err = extract(bad, &field).err();
        assert_eq!(
            err.as_ref().map(|e| e.kind),
            Some(RecordErrorKind::InvalidUtf8)
        );
        // The message names the first bad byte (`\xe9`, byte 12), past a valid prefix
        // longer than one SIMD block.
        assert_eq!(
            err.map(|e| e.message),
            Some("invalid UTF-8 at byte 12".to_owned())
        );
        let long = [&b"{\"text\":\""[..], "é".repeat(40).as_bytes(), b"\xff\"}"].concat();
        assert_eq!(
            extract(&long, &field).err().map(|e| e.message),
            Some(format!("invalid UTF-8 at byte {}", 9 + 80))
        );
    }

    #[test]
    fn flags_output_key_collisions_and_drops_them() {
        let line = r#"{"label":"gold","text":"hi","model":{"x":[1,2]},"keep":1.50}"#;
        assert_eq!(get(line, "text"), Ok(("hi".into(), true)));
        let kept = members_without_output_keys(line).unwrap();
        let kept: Vec<_> = kept
            .iter()
            .map(|(k, v)| format!("{k}={}", v.get()))
            .collect();
        assert_eq!(kept, ["text=\"hi\"", "keep=1.50"]);
    }

    #[test]
    fn chunks_keep_every_line_and_its_number() {
        let data = b"{\"text\":\"a\"}\r\n\n{\"text\":\"b\"}\n{\"text\":\"c\"}".to_vec();
        for target in [1, 5, 1 << 20] {
            let mut r = LineChunks::new(
                Box::new(std::io::Cursor::new(data.clone())),
                Path::new("x"),
                Position::START,
                target,
                1 << 20,
            );
            let mut lines = Vec::new();
            let mut last = Position::START;
            while let Some(c) = r.next_chunk().unwrap() {
                assert_eq!(c.first, last);
                last = c.next;
                let Records::Lines { buf, spans } = &c.records else {
                    unreachable!()
                };
                for (s, e) in spans {
                    lines.push(String::from_utf8(buf[*s..*e].to_vec()).unwrap());
                }
            }
            assert_eq!(
                lines,
                [
                    "{\"text\":\"a\"}\r",
                    "",
                    "{\"text\":\"b\"}",
                    "{\"text\":\"c\"}"
                ]
            );
            assert_eq!(last.offset, data.len() as u64);
            assert_eq!(last.line, 4);
        }
    }

    #[test]
    fn a_hashing_reader_stamps_each_chunk_with_the_digest_of_its_prefix() {
        // A line over the limit (skipped unread, in blocks) between ordinary ones, and a last
        // line without its newline: every byte consumed must be hashed exactly once.
        let long = format!("{{\"text\":\"{}\"}}", "x".repeat(3000));
        let data = format!("{{\"text\":\"a\"}}\n{long}\n{{\"text\":\"b\"}}\n{{\"text\":\"c\"}}");
        let data = data.into_bytes();
        let digest = |bytes: &[u8]| {
            let mut h = InputHash::default();
            h.update(bytes);
            h.hex()
        };
        for (target, start) in [(1, 0), (7, 0), (1 << 20, 0), (7, 13)] {
            let from = Position {
                offset: start,
                line: 0,
                record: 0,
            };
            let mut before = InputHash::default();
            before.update(&data[..start as usize]);
            let mut r = LineChunks::new(
                Box::new(std::io::Cursor::new(data[start as usize..].to_vec())),
                Path::new("x"),
                from,
                target,
                1000,
            )
            .hashing(Some(before));
            let mut chunks = 0;
            let mut skipped = 0;
            while let Some(c) = r.next_chunk().unwrap() {
                chunks += 1;
                skipped += matches!(c.records, Records::TooLong { .. }) as usize;
                let upto = c.next.offset as usize;
                assert_eq!(c.input_hash, Some(digest(&data[..upto])), "chunk {chunks}");
            }
            // With a big enough buffer the long line arrives whole and is refused later, by
            // the labeller; with small reads it is skipped here.
            assert_eq!(skipped, usize::from(target < 1000), "target {target}");
        }
        // Not hashing: no digest.
        let mut r = LineChunks::new(
            Box::new(std::io::Cursor::new(data.clone())),
            Path::new("x"),
            Position::START,
            1 << 20,
            1 << 20,
        );
        assert_eq!(r.next_chunk().unwrap().unwrap().input_hash, None);
    }
}
