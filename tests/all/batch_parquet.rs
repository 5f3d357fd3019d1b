//! Parquet input (cargo feature `parquet`): rows in order, nulls and empty text as error
//! records numbered by row, across row groups.
#![cfg(feature = "parquet")]

use std::process::Command;
use std::sync::Arc;

use promptyard_batch::parquet::basic::Compression;
use promptyard_batch::parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
use promptyard_batch::parquet::file::properties::WriterProperties;
use promptyard_batch::parquet::file::writer::SerializedFileWriter;
use promptyard_batch::parquet::schema::parser::parse_message_type;
use serde_json::Value;

/// Two row groups of (id, text); `None` writes a null text.
fn write_parquet(path: &std::path::Path, groups: &[&[(i64, Option<&str>)]]) {
    let schema = Arc::new(
        parse_message_type("message log { REQUIRED INT64 id; OPTIONAL BYTE_ARRAY text (UTF8); }")
            .unwrap(),
    );
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build(),
    );
    let mut writer =
        SerializedFileWriter::new(std::fs::File::create(path).unwrap(), schema, props).unwrap();
    for rows in groups {
        let mut rg = writer.next_row_group().unwrap();
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let mut col = rg.next_column().unwrap().unwrap();
        col.typed::<Int64Type>()
            .write_batch(&ids, None, None)
            .unwrap();
        col.close().unwrap();
        let texts: Vec<ByteArray> = rows
            .iter()
            .filter_map(|r| r.1)
            .map(ByteArray::from)
            .collect();
        let defs: Vec<i16> = rows.iter().map(|r| i16::from(r.1.is_some())).collect();
        let mut col = rg.next_column().unwrap().unwrap();
        col.typed::<ByteArrayType>()
            .write_batch(&texts, Some(&defs), None)
            .unwrap();
        col.close().unwrap();
        rg.close().unwrap();
    }
    writer.close().unwrap();
}

#[test]
fn parquet_rows_are_labelled_in_order_with_error_records() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_parquet(
        &d.join("log.parquet"),
        &[
            &[(1, Some("plan a trip to Kyoto")), (2, None)],
            &[(3, Some("")), (4, Some("why does this deadlock?"))],
        ],
    );
    let out = Command::new(env!("CARGO_BIN_EXE_promptyard"))
        .current_dir(d)
        .args([
            "label",
            "-i",
            "log.parquet",
            "-o",
            "out.jsonl",
            "--chunk-kib",
            "1",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(d.join("out.jsonl")).unwrap();
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(
        (rows[0]["id"].as_i64(), rows[0]["text"].as_str()),
        (Some(1), Some("plan a trip to Kyoto"))
    );
    assert!(rows[0]["label"].is_string() && rows[0]["model"].is_string());
    assert_eq!(
        (rows[1]["line"].as_u64(), rows[1]["error"].as_str()),
        (Some(2), Some("not_a_string"))
    );
    assert_eq!(
        (rows[2]["line"].as_u64(), rows[2]["error"].as_str()),
        (Some(3), Some("empty_text"))
    );
    assert_eq!(rows[3]["id"].as_i64(), Some(4));
}
