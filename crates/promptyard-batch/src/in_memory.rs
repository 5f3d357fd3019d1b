//! Labelling without files, for bindings and engines that hold the records themselves (a
//! Python list, a Spark partition): prompts in, [`Labelled`] out ([`label_texts`]), or JSON
//! records in, output records out ([`label_records`]), the same records [`run`](crate::run)
//! writes. Neither checkpoints: resume needs an input and an output file.

use rayon::prelude::*;

use crate::error::Result;
use crate::format::FieldPath;
use crate::labeler::{Labeler, Labelled};
use crate::output;
use crate::record::{RecordError, RecordErrorKind, Tally};

/// Labels `texts`, one result per text, in order: on the rayon pool, or in one call for a
/// labeller that [prefers batches](Labeler::prefers_batches). An empty or blank text is an
/// `empty_text` record error and a labeller failure a `route_failed` one, as in a run; an
/// outer `Err` means the whole batch failed (say, the device did).
pub fn label_texts<'l, L: Labeler + ?Sized>(
    labeler: &'l L,
    texts: &[&str],
) -> Result<Vec<std::result::Result<Labelled<'l>, RecordError>>> {
    let empty = |t: &&str| t.trim().is_empty();
    let kept: Vec<&str> = texts.iter().copied().filter(|t| !empty(t)).collect();
    let labelled = if labeler.prefers_batches() {
        labeler.label_batch(&kept)?
    } else {
        kept.par_iter().map(|t| labeler.label(t)).collect()
    };
    let mut labelled = labelled.into_iter();
    Ok(texts
        .iter()
        .map(|t| {
            if empty(t) {
                return Err(RecordError::new(
                    RecordErrorKind::EmptyText,
                    "the text is empty",
                ));
            }
            let l = labelled.next().expect("one result per text");
            l.map_err(|e| RecordError::new(RecordErrorKind::RouteFailed, e.to_string()))
        })
        .collect())
}

/// One output record of [`label_records`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct OutputRecord {
    /// 1-based position of the input record.
    pub line: u64,
    /// The output record, a JSON object without a trailing newline: the input with the
    /// [`OUTPUT_KEYS`](crate::OUTPUT_KEYS) added, or `{"line":…,"error":…,"message":…}`.
    pub json: String,
    /// Why the record became an error record; `None` when it was labelled.
    pub error: Option<RecordErrorKind>,
}

/// Labels JSON object records (JSONL lines, without their newline) lazily, one at a time
/// on the calling thread, yielding the output record of each, in order, exactly as
/// [`run`](crate::run) would write it for a JSONL input. For throughput over many records,
/// call it from several workers on slices of the input, or use [`label_texts`].
pub fn label_records<'a, L, I>(
    labeler: &'a L,
    field: &'a FieldPath,
    records: I,
) -> impl Iterator<Item = OutputRecord> + 'a
where
    L: Labeler + ?Sized,
    I: IntoIterator + 'a,
    I::Item: AsRef<[u8]>,
{
    records.into_iter().zip(1..).map(move |(raw, line)| {
        let mut out = Vec::new();
        let mut tally = Tally::default();
        output::jsonl_record(
            &mut out,
            line,
            raw.as_ref(),
            field,
            |text| {
                labeler
                    .label(text)
                    .map_err(|e| RecordError::new(RecordErrorKind::RouteFailed, e.to_string()))
            },
            &mut tally,
        );
        out.pop(); // the newline
        let error = RecordErrorKind::ALL
            .into_iter()
            .find(|k| tally.errors[*k as usize] > 0);
        OutputRecord {
            line,
            json: String::from_utf8(out).expect("output records are UTF-8"),
            error,
        }
    })
}
