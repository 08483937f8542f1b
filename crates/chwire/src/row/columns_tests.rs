//! The column buffers against the RowBinary encoder: the same rows, the same values.

use chwire_proto::{ColumnData, DataType, RowBinaryDecoder};
use serde::Serialize;

use super::ColumnRows;
use crate::row::{Row, RowEncoder, RowError};

fn parse(ty: &str) -> DataType {
    DataType::parse(ty).unwrap()
}

/// Writes `rows` both ways and checks every value of the block is the one RowBinary carries.
fn same_as_row_binary<T: Row + Serialize>(types: &[&str], rows: &[T]) {
    let columns: Vec<(String, DataType)> = T::COLUMN_NAMES
        .iter()
        .zip(types)
        .map(|(n, t)| ((*n).to_owned(), parse(t)))
        .collect();
    let mut cols = ColumnRows::new(&columns).expect("a column layout");
    let mut binary = Vec::new();
    for row in rows {
        cols.push(row).unwrap();
        RowEncoder::positional(&columns)
            .encode(row, &mut binary)
            .unwrap();
    }
    let block = cols.take_block().unwrap();
    assert_eq!(block.rows, rows.len());
    let mut decoder = RowBinaryDecoder::new(columns.iter().map(|c| c.1.clone()).collect());
    decoder.feed(&binary);
    for i in 0..rows.len() {
        let row = decoder.next_row().unwrap().unwrap();
        for (j, v) in row.iter().enumerate() {
            assert_eq!(&block.columns[j].1.get(i), v, "row {i} column {j}");
        }
    }
    assert_eq!(cols.rows(), 0);
}

#[derive(Row, Serialize)]
struct Mixed {
    id: u64,
    name: String,
    score: f64,
    small: i8,
    flag: bool,
    day: u16,
    ts: u32,
    uuid: u128,
    ip: std::net::Ipv4Addr,
    fixed: String,
    label: String,
    dec: i64,
    big: [u8; 32],
}

#[test]
fn leaves_hold_the_row_binary_values() {
    let rows: Vec<Mixed> = (0..300u64)
        .map(|i| Mixed {
            id: i,
            name: format!("name {i}"),
            score: i as f64 / 3.0,
            small: -(i as i8 % 100),
            flag: i % 2 == 0,
            day: i as u16,
            ts: 1_700_000_000 + i as u32,
            uuid: (u128::from(i) << 64) | 0xfeed,
            ip: std::net::Ipv4Addr::new(10, 0, (i / 256) as u8, i as u8),
            fixed: "ab".into(),
            label: if i % 3 == 0 { "b".into() } else { "a".into() },
            dec: -(i as i64) * 1000,
            big: [i as u8; 32],
        })
        .collect();
    same_as_row_binary(
        &[
            "UInt64",
            "String",
            "Float64",
            "Int8",
            "Bool",
            "Date",
            "DateTime('UTC')",
            "UUID",
            "IPv4",
            "FixedString(4)",
            "Enum8('a' = 1, 'b' = 2)",
            "Decimal(18, 3)",
            "Int256",
        ],
        &rows,
    );
}

#[derive(Row, Serialize)]
struct Nested {
    maybe: Option<u32>,
    text: Option<String>,
    plain_into_nullable: i64,
    list: Vec<Option<String>>,
    grid: Vec<Vec<u16>>,
    fixed_list: [f32; 2],
}

#[test]
fn nullable_and_arrays_hold_the_row_binary_values() {
    let rows: Vec<Nested> = (0..50u32)
        .map(|i| Nested {
            maybe: (i % 3 != 0).then_some(i),
            text: (i % 2 == 0).then(|| format!("t{i}")),
            plain_into_nullable: i64::from(i),
            list: (0..i % 4)
                .map(|k| (k != 1).then(|| k.to_string()))
                .collect(),
            grid: (0..i % 3).map(|k| vec![k as u16; k as usize]).collect(),
            fixed_list: [i as f32, -1.5],
        })
        .collect();
    same_as_row_binary(
        &[
            "Nullable(UInt32)",
            "Nullable(String)",
            "Nullable(Int64)",
            "Array(Nullable(String))",
            "Array(Array(UInt16))",
            "Array(Float32)",
        ],
        &rows,
    );
}

#[derive(Row, Serialize)]
struct Two {
    a: u64,
    b: Option<String>,
}

#[test]
fn a_failed_row_leaves_the_buffers_as_they_were() {
    let columns = vec![
        ("a".to_owned(), DataType::UInt64),
        ("b".to_owned(), DataType::FixedString(2)),
    ];
    let mut cols = ColumnRows::new(&columns).unwrap();
    cols.push(&Two {
        a: 1,
        b: Some("xy".into()),
    })
    .unwrap();
    let err = cols
        .push(&Two {
            a: 2,
            b: Some("too long".into()),
        })
        .unwrap_err();
    assert!(
        matches!(err, RowError::InvalidValue { ref column, .. } if column == "b"),
        "{err:?}"
    );
    let err = cols.push(&Two { a: 3, b: None }).unwrap_err();
    assert_eq!(
        err.to_string(),
        RowEncoder::positional(&columns)
            .encode(&Two { a: 3, b: None }, &mut Vec::new())
            .unwrap_err()
            .to_string()
    );
    let block = cols.take_block().unwrap();
    assert_eq!(block.rows, 1);
    assert_eq!(block.columns[0].1.as_u64(), Some(&[1u64][..]));
}

#[test]
fn types_without_a_column_layout_are_refused() {
    for ty in [
        "LowCardinality(String)",
        "Map(String, UInt8)",
        "Tuple(UInt8, String)",
        "Nullable(Array(UInt8))",
        "Variant(String, UInt64)",
        "Point",
    ] {
        let columns = vec![("c".to_owned(), parse(ty))];
        assert!(ColumnRows::new(&columns).is_none(), "{ty}");
    }
}

#[test]
fn reserving_rows_makes_room_in_proportion_and_keeps_the_rows() {
    #[derive(Row, Serialize)]
    struct R {
        id: u64,
        name: String,
        maybe: Option<u32>,
        tags: Vec<String>,
    }
    let columns: Vec<(String, DataType)> = [
        ("id", "UInt64"),
        ("name", "String"),
        ("maybe", "Nullable(UInt32)"),
        ("tags", "Array(String)"),
    ]
    .iter()
    .map(|(n, t)| ((*n).to_owned(), parse(t)))
    .collect();
    let row = |i: u64| R {
        id: i,
        name: format!("name-{i}"),
        maybe: (i % 2 == 0).then_some(i as u32),
        tags: vec!["ab".into(); 2],
    };
    let mut cols = ColumnRows::new(&columns).unwrap();
    cols.reserve_rows(1000); // no rows yet: nothing to scale by
    for i in 0..10 {
        cols.push(&row(i)).unwrap();
    }
    cols.reserve_rows(1000);
    let capacity = |c: &super::ColumnBuf| match c {
        super::ColumnBuf::Leaf {
            data: ColumnData::U64(v),
            ..
        } => v.capacity(),
        super::ColumnBuf::Leaf {
            data: ColumnData::String(s),
            ..
        } => s.data.capacity(),
        super::ColumnBuf::Nullable { nulls, .. } => nulls.capacity(),
        super::ColumnBuf::Array { offsets, .. } => offsets.capacity(),
        _ => 0,
    };
    assert!(capacity(&cols.cols[0]) >= 1000);
    assert!(
        capacity(&cols.cols[1]) >= 60 * 100,
        "{}",
        capacity(&cols.cols[1])
    );
    assert!(capacity(&cols.cols[2]) >= 1000);
    assert!(capacity(&cols.cols[3]) >= 1000);
    if let super::ColumnBuf::Array { inner, .. } = &cols.cols[3] {
        if let super::ColumnBuf::Leaf {
            data: ColumnData::String(s),
            ..
        } = &**inner
        {
            assert!(s.offsets.capacity() >= 2000);
        }
    }
    let block = cols.take_block().unwrap();
    assert_eq!(block.rows, 10);
    assert_eq!(
        block.columns[1].1.get(9),
        chwire_proto::Value::string("name-9")
    );
}
