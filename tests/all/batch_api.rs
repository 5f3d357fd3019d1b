//! The batch API without files (what bindings and engines drive): streams in and out,
//! records and texts in memory, and typed errors a caller can match on.

use std::borrow::Cow;

use promptyard::{Label, Router};
use promptyard_batch::{
    self as batch, Error, FieldPath, Format, Input, Labelled, Output, RecordErrorKind,
    RouterLabeler, RunOptions,
};

fn fixed(text: &str) -> promptyard::Result<Labelled<'static>> {
    Ok(Labelled {
        label: Label::Reasoning,
        confidence: 0.5,
        probs: [0.25, 0.5, 0.25, 0.0],
        model: Cow::Borrowed("m"),
        est_cost_usd: 1e-6,
        input_tokens: text.len() as u64,
        output_tokens: 1,
        tier: batch::Tier::Fast,
    })
}

const LOG: &str = "{\"id\":1,\"text\":\"plan the sprint\"}\n\
                   {\"id\":2}\n\
                   not json\n\
                   {\"id\":4,\"text\":\"why is the sky blue?\",\"label\":\"gold\"}\n";

fn run_streams(log: &str, opts: &RunOptions, labeler: &dyn batch::Labeler) -> String {
    let mut out = Vec::new();
    let input = Input::reader(log.as_bytes());
    batch::run(input, Output::writer(&mut out), opts, labeler, &mut |_| {}).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn reader_to_writer_matches_label_records_line_for_line() {
    let router = Router::new().unwrap();
    let labeler = RouterLabeler::new(&router);
    let opts = RunOptions::new(Format::Jsonl);
    let streamed = run_streams(LOG, &opts, &labeler);
    let records: Vec<_> = batch::label_records(&labeler, &opts.field, LOG.lines()).collect();
    let lines: Vec<&str> = streamed.lines().collect();
    assert_eq!(lines.len(), 4);
    for (i, (line, record)) in lines.iter().zip(&records).enumerate() {
        assert_eq!(*line, record.json, "record {i}");
        assert_eq!(record.line, i as u64 + 1);
    }
    let errors: Vec<_> = records.iter().map(|r| r.error).collect();
    assert_eq!(
        errors,
        [
            None,
            Some(RecordErrorKind::MissingField),
            Some(RecordErrorKind::InvalidJson),
            None
        ]
    );
}

#[test]
fn label_texts_agrees_with_the_router_and_flags_empty_texts() {
    let router = Router::new().unwrap();
    let labeler = RouterLabeler::new(&router);
    let texts = ["plan a two-week trip to Japan", "  ", "def parse(s):"];
    let out = batch::label_texts(&labeler, &texts).unwrap();
    assert_eq!(out.len(), 3);
    for i in [0, 2] {
        let l = out[i].as_ref().unwrap();
        let d = router.route(texts[i]).unwrap();
        assert_eq!((l.label, l.model.as_ref()), (d.label, d.model.as_str()));
    }
    assert_eq!(
        out[1].as_ref().unwrap_err().kind,
        RecordErrorKind::EmptyText
    );
}

#[test]
fn label_records_takes_bytes_and_names_the_field() {
    let field: FieldPath = "messages.1.content".parse().unwrap();
    let records = [
        br#"{"messages":[{"content":"s"},{"content":"u"}]}"#.to_vec(),
        b"{\"messages\":[]}".to_vec(),
        b"{\"messages\":[0,{\"content\":\"caf\xe9\"}]}".to_vec(),
    ];
    let out: Vec<_> = batch::label_records(&fixed, &field, &records).collect();
    assert_eq!(out[0].error, None);
    assert!(
        out[0]
            .json
            .ends_with("\"input_tokens\":1,\"output_tokens\":1,\"tier\":\"fast\"}"),
        "{}",
        out[0].json
    );
    assert_eq!(out[1].error, Some(RecordErrorKind::MissingField));
    assert!(
        out[1].json.contains("messages.1.content"),
        "{}",
        out[1].json
    );
    assert_eq!(out[2].error, Some(RecordErrorKind::InvalidUtf8));
}

#[test]
fn csv_from_a_reader() {
    let opts = RunOptions::new(Format::Csv);
    let out = run_streams("id,text\n1,hello\n2,\n", &opts, &fixed);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("{\"id\":\"1\",\"text\":\"hello\",\"label\":\"reasoning\""));
    assert!(
        lines[1].starts_with("{\"line\":3,\"error\":\"empty_text\""),
        "{}",
        lines[1]
    );
}

#[test]
fn errors_are_typed_and_name_no_command_line_flags() {
    let err = "yaml".parse::<Format>().unwrap_err();
    assert!(
        matches!(&err, Error::UnknownFormat { name } if name == "yaml"),
        "{err}"
    );
    let err = "a..b".parse::<FieldPath>().unwrap_err();
    assert!(
        matches!(&err, Error::EmptyFieldSegment { path } if path == "a..b"),
        "{err}"
    );

    let mut opts = RunOptions::new(Format::Jsonl);
    opts.resume = true;
    let mut sink = Vec::new();
    let err = batch::run(
        Input::reader(&b""[..]),
        Output::writer(&mut sink),
        &opts,
        &fixed,
        &mut |_| {},
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResumeNeedsFile {
                end: "output",
                given: "a writer"
            }
        ),
        "{err}"
    );
    assert!(!err.to_string().contains("--"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let err = batch::run(
        Input::reader(&b""[..]),
        Output::Path(dir.path().join("out.jsonl")),
        &opts,
        &fixed,
        &mut |_| {},
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::ResumeNeedsFile { end: "input", .. }),
        "{err}"
    );

    let mut opts = RunOptions::new(Format::Csv);
    opts.field = "prompt".parse().unwrap();
    let err = batch::run(
        Input::reader(&b"id,text\n1,x\n"[..]),
        Output::writer(std::io::sink()),
        &opts,
        &fixed,
        &mut |_| {},
    )
    .unwrap_err();
    match &err {
        Error::NoSuchColumn { field, columns, .. } => {
            assert_eq!(
                (field.as_str(), columns.as_slice()),
                ("prompt", &["id".to_string(), "text".to_string()][..])
            );
        }
        other => panic!("{other}"),
    }

    let opts = RunOptions::new(Format::Parquet);
    let err = batch::run(
        Input::reader(&b""[..]),
        Output::writer(std::io::sink()),
        &opts,
        &fixed,
        &mut |_| {},
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::ParquetNeedsFile { given: "a reader" }),
        "{err}"
    );
}

#[test]
fn a_router_failure_is_a_runtime_error_record_not_a_stop() {
    let failing = |_: &str| -> promptyard::Result<Labelled<'static>> {
        Err(promptyard::Error::io(
            "catalog.toml",
            std::io::Error::other("nothing fits"),
        ))
    };
    let out = run_streams(
        "{\"text\":\"x\"}\n",
        &RunOptions::new(Format::Jsonl),
        &failing,
    );
    assert!(
        out.starts_with(
            "{\"line\":1,\"error\":\"route_failed\",\"message\":\"catalog.toml: nothing fits\""
        ),
        "{out}"
    );
}

/// A gzip file's progress is its compressed bytes read, of its compressed size (decompressed
/// offsets have no known total), so a progress bar can show how far a run has got.
#[test]
fn gzip_progress_counts_compressed_bytes_of_the_file_size() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..20_000 {
        writeln!(
            gz,
            "{{\"id\":{i},\"text\":\"plan the rollout of feature {i}\"}}"
        )
        .unwrap();
    }
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    let mut opts = RunOptions::new(Format::Jsonl);
    opts.chunk_bytes = 64 << 10;
    let mut seen = Vec::new();
    let mut out = Vec::new();
    let input = Input::Path(path);
    batch::run(input, Output::writer(&mut out), &opts, &fixed, &mut |p| {
        seen.push(*p)
    })
    .unwrap();
    assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 20_000);
    assert!(seen.len() > 3, "several chunks: {}", seen.len());
    for p in &seen {
        assert_eq!(p.total_bytes, Some(size));
        assert!(p.bytes <= size, "{} of {size}", p.bytes);
    }
    assert!(seen.windows(2).all(|w| w[0].bytes <= w[1].bytes));
    assert!(
        seen[0].bytes < size,
        "the first chunk is not the whole file"
    );
    assert_eq!(seen.last().unwrap().bytes, size);
}
