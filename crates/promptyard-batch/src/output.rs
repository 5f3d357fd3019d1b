//! Output records, written straight into byte buffers.
//!
//! A labelled JSONL record is the input line with its closing brace replaced by the
//! added fields, so input fields are copied byte for byte and never re-serialised.

use crate::csv_input::{Columns, Row};
use crate::format::FieldPath;
use crate::jsonl::{extract, members_without_output_keys, Extracted};
use crate::labeler::Labelled;
use crate::record::{RecordError, RecordErrorKind, Tally};

/// Appends `s` as a JSON string.
fn json_str(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(&mut *out, s).expect("writing to a Vec cannot fail");
}

/// Appends a finite float in shortest round-trip form, `null` otherwise.
fn json_f32(out: &mut Vec<u8>, x: f32) {
    if x.is_finite() {
        out.extend_from_slice(ryu::Buffer::new().format_finite(x).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

fn json_f64(out: &mut Vec<u8>, x: f64) {
    if x.is_finite() {
        out.extend_from_slice(ryu::Buffer::new().format_finite(x).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

/// Appends the added fields and closes the record:
/// `"label":…,"confidence":…,"probs":{…},"model":…,"est_cost_usd":…,"input_tokens":…,
/// "output_tokens":…,"tier":…}` and a newline.
fn labelled_fields(out: &mut Vec<u8>, l: &Labelled) {
    out.extend_from_slice(b"\"label\":\"");
    out.extend_from_slice(l.label.as_str().as_bytes());
    out.extend_from_slice(b"\",\"confidence\":");
    json_f32(out, l.confidence);
    out.extend_from_slice(b",\"probs\":{");
    for (i, label) in promptyard::Label::ALL.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(label.as_str().as_bytes());
        out.extend_from_slice(b"\":");
        json_f32(out, l.probs[i]);
    }
    out.extend_from_slice(b"},\"model\":");
    json_str(out, &l.model);
    out.extend_from_slice(b",\"est_cost_usd\":");
    // Rounded to picodollars: a price × tokens / 10⁶ then prints without float noise.
    json_f64(out, promptyard::policy::round_usd(l.est_cost_usd));
    out.extend_from_slice(b",\"input_tokens\":");
    out.extend_from_slice(itoa::Buffer::new().format(l.input_tokens).as_bytes());
    out.extend_from_slice(b",\"output_tokens\":");
    out.extend_from_slice(itoa::Buffer::new().format(l.output_tokens).as_bytes());
    out.extend_from_slice(b",\"tier\":\"");
    out.extend_from_slice(l.tier.as_str().as_bytes());
    out.extend_from_slice(b"\"}\n");
}

/// Appends `{"line":…,"error":"kind","message":"…"}` and a newline.
pub(crate) fn error_record(out: &mut Vec<u8>, line: u64, err: &RecordError) {
    out.extend_from_slice(b"{\"line\":");
    out.extend_from_slice(itoa::Buffer::new().format(line).as_bytes());
    out.extend_from_slice(b",\"error\":\"");
    out.extend_from_slice(err.kind.as_str().as_bytes());
    out.extend_from_slice(b"\",\"message\":");
    json_str(out, &err.message);
    out.extend_from_slice(b"}\n");
}

fn trim_end(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &b[..n]
}

/// A JSONL line without its `\r` and byte-order mark.
fn strip_line(raw: &[u8]) -> &[u8] {
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
}

/// The prompt of one JSONL line (without `\n`), or why it has none.
pub(crate) fn jsonl_prompt<'a>(
    raw: &'a [u8],
    field: &FieldPath,
) -> Result<Extracted<'a>, RecordError> {
    extract(strip_line(raw), field)
}

/// One JSONL line (without `\n`) → one output record. `label` is called once, with the
/// prompt, only when the line has one.
pub(crate) fn jsonl_record<'l>(
    out: &mut Vec<u8>,
    line_no: u64,
    raw: &[u8],
    field: &FieldPath,
    label: impl FnOnce(&str) -> Result<Labelled<'l>, RecordError>,
    tally: &mut Tally,
) {
    let raw = strip_line(raw);
    let result = extract(raw, field).and_then(|x| label(&x.text).map(|l| (l, x.collides)));
    match result {
        Ok((labelled, false)) => {
            // A valid object: drop the closing brace and append the new fields.
            let body = trim_end(trim_end(raw).strip_suffix(b"}").unwrap_or(raw));
            out.extend_from_slice(body);
            if !body.ends_with(b"{") {
                out.push(b',');
            }
            labelled_fields(out, &labelled);
            tally.labelled += 1;
        }
        Ok((labelled, true)) => {
            // Rare: the input has a key we add; rebuild the object without it. `extract`
            // has validated the line, so the error arm is unreachable in practice.
            let members = std::str::from_utf8(raw)
                .map_err(|e| e.to_string())
                .and_then(|line| members_without_output_keys(line).map_err(|e| e.to_string()));
            match members {
                Ok(members) => {
                    out.push(b'{');
                    for (key, value) in &members {
                        json_str(out, key);
                        out.push(b':');
                        out.extend_from_slice(value.get().as_bytes());
                        out.push(b',');
                    }
                    labelled_fields(out, &labelled);
                    tally.labelled += 1;
                }
                Err(msg) => {
                    let e = RecordError::new(
                        RecordErrorKind::InvalidJson,
                        format!("invalid JSON: {msg}"),
                    );
                    error_record(out, line_no, &e);
                    tally.error(e.kind);
                }
            }
        }
        Err(e) => {
            error_record(out, line_no, &e);
            tally.error(e.kind);
        }
    }
}

/// The fields of one CSV row as text and its prompt, or why it has none.
pub(crate) fn csv_prompt<'r>(
    row: &'r Row,
    columns: &Columns,
) -> Result<(Vec<&'r str>, &'r str), RecordError> {
    let record = row
        .record
        .as_ref()
        .map_err(|msg| RecordError::new(RecordErrorKind::BadCsvRow, msg.clone()))?;
    let mut fields = Vec::with_capacity(record.len());
    for (i, f) in record.iter().enumerate() {
        fields.push(std::str::from_utf8(f).map_err(|e| {
            RecordError::new(
                RecordErrorKind::InvalidUtf8,
                format!(
                    "column {}: invalid UTF-8 at byte {}",
                    i + 1,
                    e.valid_up_to()
                ),
            )
        })?);
    }
    let text = fields.get(columns.text).copied().unwrap_or("");
    if text.trim().is_empty() {
        return Err(RecordError::new(
            RecordErrorKind::EmptyText,
            "the text column is empty",
        ));
    }
    Ok((fields, text))
}

/// One CSV row → one output record with every column as a string field. `label` is
/// called once, with the prompt, only when the row has one.
pub(crate) fn csv_record<'l>(
    out: &mut Vec<u8>,
    row: &Row,
    columns: &Columns,
    label: impl FnOnce(&str) -> Result<Labelled<'l>, RecordError>,
    tally: &mut Tally,
) {
    let result = csv_prompt(row, columns)
        .and_then(|(fields, text)| label(text).map(|labelled| (fields, labelled)));
    match result {
        Ok((fields, labelled)) => {
            out.push(b'{');
            for (i, key) in &columns.copied {
                out.extend_from_slice(key);
                json_str(out, fields[*i]);
                out.push(b',');
            }
            labelled_fields(out, &labelled);
            tally.labelled += 1;
        }
        Err(e) => {
            error_record(out, row.line, &e);
            tally.error(e.kind);
        }
    }
}
