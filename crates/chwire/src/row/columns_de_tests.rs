//! Rows read from a block's columns against the same block re-laid as RowBinary rows: the same
//! values, and the same errors, for every way a field can be asked for.

use bytes::Bytes;
use chwire_proto::rowbinary::{RowBinaryBlocks, block_to_row_binary};
use chwire_proto::{Block, DataType, DecodeLimits};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::row::{Row, RowBatch, RowEncoder, RowShape};

/// A block of `rows` (written as RowBinary by the row encoder, then cut into a Native block).
fn block_of<T: Serialize>(columns: &[(&str, &str)], rows: &[T]) -> Block {
    let columns: Vec<(String, DataType)> = columns
        .iter()
        .map(|(n, t)| ((*n).to_owned(), DataType::parse(t).unwrap()))
        .collect();
    let mut binary = Vec::new();
    let encoder = RowEncoder::positional(&columns);
    for row in rows {
        encoder.encode(row, &mut binary).unwrap();
    }
    let mut blocks = RowBinaryBlocks::new(
        columns.iter().map(|c| c.0.clone()).collect(),
        columns.iter().map(|c| c.1.clone()).collect(),
        1 << 20,
    );
    blocks.feed(&binary);
    let block = blocks.finish().unwrap().expect("a block");
    assert_eq!(block.rows, rows.len());
    block
}

type Rows<R> = Vec<Result<R, String>>;

/// Every row of `block` as `R`, read from the columns and from the RowBinary re-lay.
fn both_ways<R: Row + DeserializeOwned>(block: &Block) -> (Rows<R>, Rows<R>) {
    let columns: Vec<(String, DataType)> = block
        .columns
        .iter()
        .map(|(n, c)| (n.clone(), c.data_type().clone()))
        .collect();
    let shape = RowShape::of::<R>(columns).unwrap();
    let limits = DecodeLimits::default();
    let read = |mut batch: RowBatch| {
        let mut out = Vec::new();
        while let Some(row) = batch.next_row::<R>() {
            out.push(row.map_err(|e| e.to_string()));
        }
        out
    };
    let from_columns = read(RowBatch::of_block(shape.clone(), limits, block.clone()).unwrap());
    let mut data = Vec::new();
    block_to_row_binary(block, &mut data).unwrap();
    let from_rows = read(RowBatch::new(shape, limits, Bytes::from(data), block.rows));
    (from_columns, from_rows)
}

/// The same rows both ways, and none of them an error.
fn same_rows<R: Row + DeserializeOwned + PartialEq + std::fmt::Debug>(block: &Block) -> Vec<R> {
    let (columns, rows) = both_ways::<R>(block);
    assert_eq!(columns, rows);
    columns.into_iter().map(|r| r.unwrap()).collect()
}

/// The same first error both ways (the batch ends at an error).
fn same_error<R: Row + DeserializeOwned + PartialEq + std::fmt::Debug>(block: &Block) -> String {
    let (columns, rows) = both_ways::<R>(block);
    assert_eq!(columns, rows);
    assert_eq!(columns.len(), 1, "the batch ends at its first error");
    match columns.into_iter().next() {
        Some(Err(e)) => e,
        other => panic!("expected an error, got {other:?}"),
    }
}

const MIXED: &[(&str, &str)] = &[
    ("id", "UInt64"),
    ("name", "String"),
    ("score", "Float64"),
    ("maybe", "Nullable(Int32)"),
    ("tag", "LowCardinality(String)"),
    ("arr", "Array(UInt8)"),
    ("uid", "UUID"),
    ("when", "DateTime64(3)"),
    ("fs", "FixedString(4)"),
    ("e", "Enum8('a' = 1, 'b' = 2)"),
    ("ip", "IPv4"),
    ("flag", "Bool"),
    ("small", "Int8"),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Row)]
struct Mixed {
    id: u64,
    name: String,
    score: f64,
    maybe: Option<i32>,
    tag: String,
    arr: Vec<u8>,
    uid: u128,
    when: i64,
    #[serde(with = "serde_bytes")]
    fs: Vec<u8>,
    e: i8,
    ip: std::net::Ipv4Addr,
    flag: bool,
    small: i8,
}

fn mixed(n: u64) -> Vec<Mixed> {
    (0..n)
        .map(|i| Mixed {
            id: i * 7,
            name: format!("name-{i}-{}", "é".repeat(i as usize % 3)),
            score: i as f64 / 3.0,
            maybe: (i % 3 != 0).then_some(-(i as i32)),
            tag: format!("tag{}", i % 4),
            arr: (0..(i % 5) as u8).collect(),
            uid: u128::from(i) << 70 | u128::from(i),
            when: 1_700_000_000_000 + i as i64,
            fs: vec![b'a' + (i % 26) as u8; 4],
            e: 1 + (i % 2) as i8,
            ip: std::net::Ipv4Addr::from(0x0a00_0000 + i as u32),
            flag: i % 2 == 0,
            small: (i as i8).wrapping_neg(),
        })
        .collect()
}

#[test]
fn every_kind_of_column_reads_as_row_binary_rows_do() {
    let rows = mixed(300);
    assert_eq!(same_rows::<Mixed>(&block_of(MIXED, &rows)), rows);
}

/// The struct's fields in another order than the columns: matched by name.
#[test]
fn fields_in_another_order_are_matched_by_name() {
    #[derive(Debug, PartialEq, Deserialize, Row)]
    struct Reordered {
        small: i8,
        flag: bool,
        ip: std::net::Ipv4Addr,
        e: i8,
        #[serde(with = "serde_bytes")]
        fs: Vec<u8>,
        when: i64,
        uid: u128,
        arr: Vec<u8>,
        tag: String,
        maybe: Option<i32>,
        score: f64,
        name: String,
        id: u64,
    }
    let rows = mixed(50);
    let read = same_rows::<Reordered>(&block_of(MIXED, &rows));
    assert_eq!(read.len(), 50);
    assert!(
        read.iter()
            .zip(&rows)
            .all(|(r, w)| r.id == w.id && r.name == w.name)
    );
}

/// Values asked for as what a column holds under another name: self-describing targets
/// (`deserialize_any`), `Option` of a column that is not `Nullable`, newtypes, byte buffers.
#[test]
fn other_ways_of_asking_read_the_same_values() {
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum Any {
        U(u64),
        F(f64),
        S(String),
    }
    #[derive(Debug, PartialEq, Deserialize)]
    struct Name(String);
    #[derive(Debug, PartialEq, Deserialize, Row)]
    struct Other {
        id: Option<u64>,
        name: Any,
        score: Any,
        tag: Name,
        raw: serde_bytes::ByteBuf,
        seq: Vec<u8>,
    }
    #[derive(Serialize)]
    struct W {
        id: u64,
        name: String,
        score: f64,
        tag: String,
        raw: String,
        seq: String,
    }
    let rows: Vec<W> = (0..40u64)
        .map(|i| W {
            id: i,
            name: format!("n{i}"),
            score: i as f64,
            tag: format!("t{i}"),
            raw: format!("r{i}"),
            seq: format!("s{i}"),
        })
        .collect();
    let columns = [
        ("id", "UInt64"),
        ("name", "String"),
        ("score", "Float64"),
        ("tag", "String"),
        ("raw", "String"),
        ("seq", "String"),
    ];
    let read = same_rows::<Other>(&block_of(&columns, &rows));
    assert_eq!(read[3].name, Any::S("n3".into()));
    assert_eq!(read[3].score, Any::F(3.0));
    assert_eq!(read[3].tag, Name("t3".into()));
    assert_eq!(read[3].seq, b"s3");
}

#[test]
fn mismatches_are_the_row_binary_errors() {
    #[derive(Serialize)]
    struct W {
        id: u64,
        name: String,
    }
    let block = block_of(
        &[("id", "UInt64"), ("name", "String")],
        &[W {
            id: 1,
            name: "x".into(),
        }],
    );
    #[derive(Debug, PartialEq, Deserialize, Row)]
    struct Narrow {
        id: u32,
        name: String,
    }
    let err = same_error::<Narrow>(&block);
    assert!(err.contains("`id`") && err.contains("UInt64"), "{err}");
    #[derive(Debug, PartialEq, Deserialize, Row)]
    struct NumberName {
        id: u64,
        name: u64,
    }
    let err = same_error::<NumberName>(&block);
    assert!(err.contains("`name`") && err.contains("String"), "{err}");
    #[derive(Debug, PartialEq, Deserialize, Row)]
    struct StringId {
        id: String,
        name: String,
    }
    same_error::<StringId>(&block);
}

/// Bytes that are not UTF-8 are an error as a `String` (the same one), and read as bytes;
/// so is a value cut inside a character although the column's bytes as a whole are UTF-8.
#[test]
fn strings_that_are_not_utf8() {
    #[derive(Serialize)]
    struct W {
        id: u64,
        #[serde(with = "serde_bytes")]
        name: Vec<u8>,
    }
    let cases: [&[&[u8]]; 2] = [&[b"ok", b"\xff\xfe", b"fine"], &[b"a\xc3", b"\xa9b"]];
    for values in cases {
        let rows: Vec<W> = values
            .iter()
            .enumerate()
            .map(|(i, v)| W {
                id: i as u64,
                name: v.to_vec(),
            })
            .collect();
        let block = block_of(&[("id", "UInt64"), ("name", "String")], &rows);
        #[derive(Debug, PartialEq, Deserialize, Row)]
        struct Text {
            id: u64,
            name: String,
        }
        let (columns, rows_read) = both_ways::<Text>(&block);
        assert_eq!(columns, rows_read);
        let err = columns.last().unwrap().as_ref().unwrap_err();
        assert!(err.contains("UTF-8"), "{err}");
        #[derive(Debug, PartialEq, Deserialize, Row)]
        struct Raw {
            id: u64,
            #[serde(with = "serde_bytes")]
            name: Vec<u8>,
        }
        let raw = same_rows::<Raw>(&block);
        assert_eq!(
            raw.iter().map(|r| r.name.as_slice()).collect::<Vec<_>>(),
            values
        );
    }
}

/// `&str` fields point into the column's own buffer.
#[test]
fn borrowed_fields_point_into_the_block() {
    #[derive(Serialize)]
    struct W {
        id: u64,
        name: String,
    }
    let rows: Vec<W> = (0..10)
        .map(|i| W {
            id: i,
            name: format!("v{i}"),
        })
        .collect();
    let block = block_of(&[("id", "UInt64"), ("name", "String")], &rows);
    #[derive(Debug, Deserialize, Row)]
    struct Borrowed<'a> {
        id: u64,
        name: &'a str,
    }
    let columns = vec![
        ("id".to_owned(), DataType::UInt64),
        ("name".to_owned(), DataType::String),
    ];
    let shape = RowShape::of::<Borrowed<'_>>(columns).unwrap();
    let mut batch = RowBatch::of_block(shape, DecodeLimits::default(), block).unwrap();
    let mut seen = Vec::new();
    while let Some(row) = batch.next_row_borrowed::<Borrowed<'_>>() {
        let row = row.unwrap();
        seen.push((row.id, row.name.to_owned()));
    }
    assert_eq!(seen.len(), 10);
    assert_eq!(seen[7], (7, "v7".to_owned()));
}

/// One column read as a single value, and several as a tuple.
#[test]
fn single_values_and_tuples() {
    let block = block_of(&[("n", "UInt64")], &[(5u64,), (6,)]);
    assert_eq!(same_rows::<u64>(&block), vec![5, 6]);
    assert_eq!(same_rows::<Option<u64>>(&block), vec![Some(5), Some(6)]);
    let block = block_of(&[("a", "UInt64"), ("b", "String")], &[(1u64, "x")]);
    assert_eq!(
        same_rows::<(u64, String)>(&block),
        vec![(1, "x".to_owned())]
    );
}
