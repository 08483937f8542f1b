//! Round-trip and edge-case tests of the Native block codec.
use bytes::Bytes;

use super::*;
use crate::column::ColumnData;
use crate::{TupleElement, Value};

fn simple_parser(text: &str) -> Result<DataType, TypeParseError> {
    DataType::parse(text)
}

fn print(t: &DataType) -> String {
    t.to_string()
}

fn decode_col(ty: &DataType, rows: usize, bytes: &[u8]) -> Result<Column, ReadError> {
    let limits = DecodeLimits::default();
    let mut parse = simple_parser;
    let mut cur = ByteCursor::new(bytes);
    let c = read_column(&mut cur, ty, rows, &limits, &mut parse)?;
    assert!(cur.is_empty(), "trailing bytes");
    Ok(c)
}

fn sample_block(rows: u64) -> Block {
    let n = Column::from_values(&DataType::UInt64, (0..rows).map(Value::UInt64)).unwrap();
    let s = Column::from_values(
        &DataType::String,
        (0..rows).map(|i| Value::string(i.to_string())),
    )
    .unwrap();
    let ns = Column::from_values(
        &DataType::Nullable(Box::new(DataType::String)),
        (0..rows).map(|i| {
            if i % 3 == 0 {
                Value::Null
            } else {
                Value::string("x")
            }
        }),
    )
    .unwrap();
    let a = Column::from_values(
        &DataType::Array(Box::new(DataType::UInt64)),
        (0..rows).map(|i| Value::Array((0..i % 4).map(Value::UInt64).collect())),
    )
    .unwrap();
    Block::new(vec![
        ("n".into(), n),
        ("s".into(), s),
        ("ns".into(), ns),
        ("a".into(), a),
    ])
    .unwrap()
}

fn encode(block: &Block) -> Vec<u8> {
    NativeEncoder::new()
        .with_type_printer(print)
        .encode(block)
        .unwrap()
}

#[test]
fn uint64_column_is_bulk_decoded() {
    let mut bytes = Vec::new();
    for v in [1u64, u64::MAX, 0] {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    let c = decode_col(&DataType::UInt64, 3, &bytes).unwrap();
    assert_eq!(c.as_u64(), Some(&[1, u64::MAX, 0][..]));
    assert!(matches!(
        decode_col(&DataType::UInt64, 4, &bytes),
        Err(ReadError::Short(8))
    ));
}

#[test]
fn strings_share_one_buffer() {
    let bytes = [1, b'a', 0, 3, b'x', b'y', b'z'];
    let c = decode_col(&DataType::String, 3, &bytes).unwrap();
    let s = c.as_strings().unwrap();
    assert_eq!(s.data, b"axyz");
    assert_eq!(s.offsets, [1, 1, 4]);
    assert_eq!(c.get(2), Value::string("xyz"));
}

#[test]
fn nested_columns_from_constructed_types() {
    // Array(Tuple(UInt64, Nullable(String))): offsets, then tuple elements.
    let ty = DataType::Array(Box::new(DataType::Tuple(vec![
        TupleElement {
            name: None,
            ty: DataType::UInt64,
        },
        TupleElement {
            name: None,
            ty: DataType::Nullable(Box::new(DataType::String)),
        },
    ])));
    let mut bytes = Vec::new();
    bytes.extend_from_slice(&0u64.to_le_bytes());
    bytes.extend_from_slice(&2u64.to_le_bytes());
    bytes.extend_from_slice(&7u64.to_le_bytes());
    bytes.extend_from_slice(&8u64.to_le_bytes());
    bytes.extend_from_slice(&[1, 0]);
    bytes.extend_from_slice(&[0, 1, b'q']);
    let c = decode_col(&ty, 2, &bytes).unwrap();
    assert_eq!(c.get(0), Value::Array(vec![]));
    assert_eq!(
        c.get(1),
        Value::Array(vec![
            Value::Tuple(vec![Value::UInt64(7), Value::Null]),
            Value::Tuple(vec![Value::UInt64(8), Value::string("q")]),
        ])
    );
    let mut out = Vec::new();
    write_column(&mut out, &c).unwrap();
    assert_eq!(out, bytes);
}

#[test]
fn block_round_trip_and_every_split() {
    let block = sample_block(20);
    let bytes = encode(&block);
    for cut in 0..=bytes.len() {
        let mut d = NativeDecoder::new().with_type_parser(simple_parser);
        d.feed(&bytes[..cut]);
        let mut got = Vec::new();
        got.extend(d.next_block().unwrap());
        d.feed(&bytes[cut..]);
        got.extend(d.next_block().unwrap());
        got.extend(d.finish().unwrap());
        assert_eq!(got, vec![block.clone()], "split at {cut}");
        assert_eq!(d.finish().unwrap(), None);
    }
}

#[test]
fn retry_spacing_keeps_byte_by_byte_feeding_linear() {
    let block = sample_block(20_000);
    let bytes = encode(&block);
    let mut d = NativeDecoder::new().with_type_parser(simple_parser);
    let mut got = None;
    for b in bytes.chunks(1) {
        d.feed(b);
        if let Some(x) = d.next_block().unwrap() {
            got = Some(x);
        }
    }
    let got = got.or_else(|| d.finish().unwrap()).unwrap();
    assert_eq!(got, block);
    // Geometric spacing: about log1.5(len) attempts, not one per byte.
    assert!(
        d.attempts() < 60,
        "{} attempts for {} bytes",
        d.attempts(),
        bytes.len()
    );
}

#[test]
fn truncated_block_fails_at_finish() {
    let bytes = encode(&sample_block(5));
    let mut d = NativeDecoder::new().with_type_parser(simple_parser);
    d.feed(&bytes[..bytes.len() - 1]);
    assert_eq!(d.next_block().unwrap(), None);
    assert_eq!(
        d.finish().unwrap_err(),
        DecodeError::Truncated("Native block")
    );
}

#[test]
fn hostile_sizes_are_rejected_before_allocating() {
    let limits = DecodeLimits {
        max_collection_len: 1000,
        ..DecodeLimits::default()
    };
    // Row count above the limit.
    let mut bytes = vec![1];
    put_varuint(&mut bytes, 1_000_000);
    let mut d = NativeDecoder::new()
        .with_limits(limits)
        .with_type_parser(simple_parser);
    d.feed(&bytes);
    assert!(matches!(
        d.next_block(),
        Err(DecodeError::LimitExceeded { .. })
    ));
    // Array total length above the limit.
    let ty = DataType::Array(Box::new(DataType::UInt64));
    let mut parse = simple_parser;
    let huge = (1u64 << 40).to_le_bytes();
    let err = read_column(&mut ByteCursor::new(&huge), &ty, 1, &limits, &mut parse).unwrap_err();
    assert!(matches!(
        err,
        ReadError::Bad(DecodeError::LimitExceeded { .. })
    ));
    // Decreasing offsets.
    let mut b = Vec::new();
    b.extend_from_slice(&5u64.to_le_bytes());
    b.extend_from_slice(&3u64.to_le_bytes());
    let err = read_column(&mut ByteCursor::new(&b), &ty, 2, &limits, &mut parse).unwrap_err();
    assert!(matches!(err, ReadError::Bad(DecodeError::Malformed { .. })));
}

#[test]
fn bad_low_cardinality_and_variant_data_is_an_error() {
    let limits = DecodeLimits::default();
    let mut parse = simple_parser;
    let lc = DataType::LowCardinality(Box::new(DataType::String));
    let mut b = Vec::new();
    b.extend_from_slice(&1u64.to_le_bytes()); // keys version
    b.extend_from_slice(&0x600u64.to_le_bytes()); // UInt8 indices, additional keys
    b.extend_from_slice(&1u64.to_le_bytes()); // one key
    b.extend_from_slice(&[1, b'a']);
    b.extend_from_slice(&1u64.to_le_bytes()); // one index
    b.push(5); // out of range
    let err = read_column(&mut ByteCursor::new(&b), &lc, 1, &limits, &mut parse).unwrap_err();
    assert!(matches!(err, ReadError::Bad(DecodeError::Malformed { .. })));

    let v = DataType::Variant(vec![DataType::String]);
    let mut b = Vec::new();
    b.extend_from_slice(&0u64.to_le_bytes());
    b.push(3);
    let err = read_column(&mut ByteCursor::new(&b), &v, 1, &limits, &mut parse).unwrap_err();
    assert!(matches!(err, ReadError::Bad(DecodeError::Malformed { .. })));
}

#[test]
fn block_info_round_trip() {
    let info = BlockInfo {
        is_overflows: true,
        bucket_num: 42,
        out_of_order_buckets: Vec::new(),
    };
    let mut out = Vec::new();
    write_block_info(&mut out, &info);
    assert_eq!(out, [1, 1, 2, 42, 0, 0, 0, 0]);
    let mut cur = ByteCursor::new(&out);
    assert_eq!(
        read_block_info(&mut cur, &DecodeLimits::default()).unwrap(),
        info
    );
    for cut in 0..out.len() {
        assert!(matches!(
            read_block_info(&mut ByteCursor::new(&out[..cut]), &DecodeLimits::default()),
            Err(ReadError::Short(_))
        ));
    }
}

/// Field 3 as a 54480+ server writes it: field number, varint count, then little-endian i32s.
#[test]
fn block_info_field_3_is_read_and_written_back() {
    let sent = [
        1, 0, 2, 0xff, 0xff, 0xff, 0xff, 3, 2, 7, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 0,
    ];
    let info = read_block_info(&mut ByteCursor::new(&sent), &DecodeLimits::default()).unwrap();
    assert_eq!(
        info,
        BlockInfo {
            is_overflows: false,
            bucket_num: -1,
            out_of_order_buckets: vec![7, -2],
        }
    );
    let mut out = Vec::new();
    write_block_info(&mut out, &info);
    assert_eq!(out, sent);
    // What 26.x servers send in results: an empty list (`03 00`), read as the default.
    let empty = [1, 0, 2, 0xff, 0xff, 0xff, 0xff, 3, 0, 0];
    let mut cur = ByteCursor::new(&empty);
    let info = read_block_info(&mut cur, &DecodeLimits::default()).unwrap();
    assert_eq!((info, cur.is_empty()), (BlockInfo::default(), true));
    for cut in 0..sent.len() {
        assert!(matches!(
            read_block_info(&mut ByteCursor::new(&sent[..cut]), &DecodeLimits::default()),
            Err(ReadError::Short(_))
        ));
    }
}

/// A hostile bucket count is refused before anything is allocated or awaited: over
/// `max_collection_len` it is `LimitExceeded`; within it but beyond the bytes sent, a short read
/// that waits for the bytes (allocating nothing).
#[test]
fn block_info_field_3_hostile_count_is_limited() {
    let limits = DecodeLimits {
        max_collection_len: 1000,
        ..DecodeLimits::default()
    };
    let mut huge = vec![3];
    put_varuint(&mut huge, u64::MAX >> 1);
    assert!(matches!(
        read_block_info(&mut ByteCursor::new(&huge), &limits),
        Err(ReadError::Bad(DecodeError::LimitExceeded {
            what: "block info bucket count",
            limit: 1000,
            ..
        }))
    ));
    let mut within = vec![3];
    put_varuint(&mut within, 1000);
    within.extend_from_slice(&[0; 12]);
    assert_eq!(
        read_block_info(&mut ByteCursor::new(&within), &limits),
        Err(ReadError::Short(4000 - 12))
    );
    // An unknown field after it is still an error, at its stream position.
    let unknown = [3, 1, 5, 0, 0, 0, 4];
    assert!(matches!(
        read_block_info(&mut ByteCursor::new(&unknown), &limits),
        Err(ReadError::Bad(DecodeError::Malformed { offset: 7, .. }))
    ));
}

#[test]
fn column_builders_and_shape_checks() {
    let mut c = Column::empty(&DataType::LowCardinality(Box::new(DataType::Nullable(
        Box::new(DataType::String),
    ))));
    c.push(Value::Null).unwrap();
    c.push(Value::string("a")).unwrap();
    c.push(Value::string("a")).unwrap();
    assert_eq!(
        (0..3).map(|i| c.get(i)).collect::<Vec<_>>(),
        [Value::Null, Value::string("a"), Value::string("a")]
    );
    assert!(c.push(Value::UInt8(1)).is_err());
    assert!(Column::new(DataType::UInt64, ColumnData::U8(vec![])).is_err());
    assert!(Column::new(DataType::UInt64, ColumnData::U64(vec![1])).is_ok());
    let uneven = Block::new(vec![
        (
            "a".into(),
            Column::from_values(&DataType::UInt64, [Value::UInt64(1)]).unwrap(),
        ),
        ("b".into(), Column::empty(&DataType::UInt64)),
    ]);
    assert!(uneven.is_err());
}

#[test]
fn feed_bytes_at_any_split_gives_the_same_block() {
    let ty = DataType::UInt64;
    let col =
        Column::from_values(&ty, (0..1000u64).map(Value::UInt64).collect::<Vec<_>>()).unwrap();
    let block = Block::new(vec![("x".into(), col)]).unwrap();
    let bytes = NativeEncoder::new().encode(&block).unwrap();
    for split in [0, 1, 7, bytes.len() / 2, bytes.len() - 1] {
        let mut dec = NativeDecoder::new();
        dec.feed_bytes(Bytes::copy_from_slice(&bytes[..split]));
        dec.feed_bytes(Bytes::copy_from_slice(&bytes[split..]));
        let got = dec.next_block().unwrap().or_else(|| dec.finish().unwrap());
        assert_eq!(got.unwrap(), block, "split at {split}");
    }
}

/// Fixed-width columns of every width between other columns, ending with one, so that value
/// boundaries, column boundaries and block boundaries all fall inside input pieces.
fn fixed_width_block(rows: u64) -> Block {
    let col = |ty: &str, f: &dyn Fn(u64) -> Value| {
        let ty = DataType::parse(ty).unwrap();
        Column::from_values(&ty, (0..rows).map(f)).unwrap()
    };
    Block::new(vec![
        ("u8".into(), col("UInt8", &|i| Value::UInt8(i as u8))),
        ("i16".into(), col("Int16", &|i| Value::Int16(-(i as i16)))),
        ("s".into(), col("String", &|i| Value::string(i.to_string()))),
        // Lengths 0..300: empty values, one- and two-byte length prefixes, short and long copies.
        (
            "long".into(),
            col("String", &|i| {
                Value::String(vec![b'a' + (i % 26) as u8; (i * 37 % 300) as usize])
            }),
        ),
        (
            "i128".into(),
            col("Int128", &|i| Value::Int128(-(i as i128) << 70)),
        ),
        (
            "f32".into(),
            col("Float32", &|i| Value::Float32(i as f32 / 3.0)),
        ),
        (
            "fs".into(),
            col("FixedString(3)", &|i| Value::String(vec![i as u8; 3])),
        ),
        (
            "n".into(),
            col("Nullable(UInt64)", &|i| {
                if i % 2 == 0 {
                    Value::Null
                } else {
                    Value::UInt64(i)
                }
            }),
        ),
        (
            "u64".into(),
            col("UInt64", &|i| Value::UInt64(i * 0x0101_0101_0101)),
        ),
    ])
    .unwrap()
}

#[test]
fn fixed_width_columns_fill_from_pieces_of_any_size() {
    let blocks = [
        fixed_width_block(7),
        fixed_width_block(0),
        fixed_width_block(300),
    ];
    let mut bytes = Vec::new();
    for b in &blocks {
        bytes.extend(encode(b));
    }
    for piece in 1..=41 {
        for by_bytes in [false, true] {
            let mut d = NativeDecoder::new().with_type_parser(simple_parser);
            let mut got = Vec::new();
            for p in bytes.chunks(piece) {
                if by_bytes {
                    d.feed_bytes(Bytes::copy_from_slice(p));
                } else {
                    d.feed(p);
                }
                while let Some(b) = d.next_block().unwrap() {
                    got.push(b);
                }
            }
            while let Some(b) = d.finish().unwrap() {
                got.push(b);
            }
            assert_eq!(
                got, blocks,
                "pieces of {piece} bytes, feed_bytes: {by_bytes}"
            );
        }
    }
}

#[test]
fn fixed_width_block_split_at_every_pair_of_positions() {
    let block = fixed_width_block(3);
    let bytes = encode(&block);
    for a in 0..=bytes.len() {
        for b in a..=bytes.len() {
            let mut d = NativeDecoder::new().with_type_parser(simple_parser);
            let mut got = Vec::new();
            for p in [&bytes[..a], &bytes[a..b], &bytes[b..]] {
                d.feed(p);
                got.extend(d.next_block().unwrap());
            }
            got.extend(d.finish().unwrap());
            assert_eq!(got, vec![block.clone()], "split at {a} and {b}");
        }
    }
}

#[test]
fn fixed_width_column_cut_short_is_truncated_not_allocated_on_trust() {
    // 100M rows of UInt256 claimed (3.2 GB), 100 bytes sent: the column reserves a bounded
    // amount up front and the end of input is a truncation.
    let mut bytes = vec![1];
    put_varuint(&mut bytes, 100_000_000);
    put_string(&mut bytes, b"x");
    put_string(&mut bytes, b"UInt256");
    bytes.extend([7u8; 100]);
    let mut d = NativeDecoder::new().with_type_parser(simple_parser);
    d.feed(&bytes);
    assert_eq!(d.next_block().unwrap(), None);
    assert_eq!(d.buffered(), 0, "the column took the data");
    assert_eq!(
        d.finish().unwrap_err(),
        DecodeError::Truncated("Native block")
    );
}

#[test]
fn string_limit_and_malformed_length_found_while_feeding_are_reported() {
    let limits = DecodeLimits {
        max_string_len: 10,
        ..DecodeLimits::default()
    };
    let header = |rows: u64| {
        let mut b = vec![1];
        put_varuint(&mut b, rows);
        put_string(&mut b, b"s");
        put_string(&mut b, b"String");
        b
    };
    // The header arrives first, so the value is decoded straight from the second piece.
    let mut d = NativeDecoder::new()
        .with_limits(limits)
        .with_type_parser(simple_parser);
    d.feed(&header(2));
    assert_eq!(d.next_block().unwrap(), None);
    let mut value = vec![];
    put_string(&mut value, b"short");
    put_string(&mut value, &[b'x'; 11]);
    d.feed(&value);
    assert!(matches!(
        d.next_block(),
        Err(DecodeError::LimitExceeded {
            what: "string length",
            value: 11,
            ..
        })
    ));
    assert!(
        d.next_block().is_err() && d.finish().is_err(),
        "stays failed"
    );

    let mut d = NativeDecoder::new().with_type_parser(simple_parser);
    d.feed(&header(1));
    assert_eq!(d.next_block().unwrap(), None);
    d.feed(&[0xff; 6]);
    assert_eq!(
        d.next_block().unwrap(),
        None,
        "a length prefix may continue"
    );
    d.feed(&[0xff; 6]);
    assert!(matches!(d.next_block(), Err(DecodeError::Malformed { .. })));
}

#[test]
fn encode_parts_borrows_large_plain_columns_only() {
    let block = sample_block(1000);
    let enc = NativeEncoder::new();
    let whole = enc.encode(&block).unwrap();
    // The UInt64 column (8000 bytes) is borrowed; the String column is encoded.
    let mut encoded = Vec::new();
    let parts = enc.encode_parts(&block, 4096, &mut encoded).unwrap();
    assert!(
        matches!(
            parts.as_slice(),
            [
                NativePart::Encoded(_),
                NativePart::Column(0),
                NativePart::Encoded(_)
            ]
        ),
        "{parts:?}"
    );
    assert_eq!(encoded.len() + 8000, whole.len());
    let joined: Vec<u8> = parts
        .iter()
        .flat_map(|p| p.bytes(&encoded, &block).to_vec())
        .collect();
    assert_eq!(joined, whole);
    // Below the threshold nothing is borrowed.
    let mut encoded = Vec::new();
    let parts = enc.encode_parts(&block, 8001, &mut encoded).unwrap();
    assert_eq!(parts, [NativePart::Encoded(0..whole.len())]);
    assert_eq!(encoded, whole);
    // A column whose length differs from the block's is refused before anything is written.
    let mut bad = block.clone();
    bad.rows = 999;
    assert!(enc.encode_parts(&bad, 1, &mut Vec::new()).is_err());
}

#[test]
fn concatenable_blocks_write_as_one() {
    let make = |from: u64, rows: u64| {
        let cols = vec![
            (
                "n".to_string(),
                Column::from_values(&DataType::UInt64, (from..from + rows).map(Value::UInt64))
                    .unwrap(),
            ),
            (
                "s".to_string(),
                Column::from_values(
                    &DataType::String,
                    (from..from + rows).map(|i| Value::string("x".repeat(i as usize % 5))),
                )
                .unwrap(),
            ),
            (
                "f".to_string(),
                Column::from_values(
                    &DataType::FixedString(3),
                    (from..from + rows).map(|i| Value::String(vec![i as u8; 3])),
                )
                .unwrap(),
            ),
            (
                "d".to_string(),
                Column::from_values(
                    &DataType::Date,
                    (from..from + rows).map(|i| Value::Date(i as u16)),
                )
                .unwrap(),
            ),
        ];
        Block::new(cols).unwrap()
    };
    let parts = [make(0, 3), make(3, 0), make(3, 7), make(10, 1)];
    assert!(
        parts
            .iter()
            .all(|b| b.columns.iter().all(|(_, c)| concatenable(c)))
    );
    let enc = NativeEncoder::new();
    let mut merged = Vec::new();
    enc.encode_block_head(4, 11, &mut merged);
    for (j, (name, col)) in parts[0].columns.iter().enumerate() {
        enc.encode_column_head(name, col, &mut merged);
        for b in &parts {
            assert!(write_concatenable_data(&b.columns[j].1, &mut merged));
        }
    }
    assert_eq!(merged, enc.encode(&make(0, 11)).unwrap());
    // Columns with state or offsets are not concatenable.
    let arr = Column::from_values(
        &DataType::Array(Box::new(DataType::UInt8)),
        [Value::Array(vec![Value::UInt8(1)])],
    )
    .unwrap();
    assert!(!concatenable(&arr));
    assert!(!write_concatenable_data(&arr, &mut Vec::new()));
}

/// The 54492 TCP layout (`string_offsets`): `String` data as u64 end offsets then bytes,
/// `LowCardinality` dictionaries still varint; decoded the same from any split, and the
/// default (HTTP) layout is unchanged.
#[test]
fn string_offsets_layout_round_trips_at_every_split() {
    let mut block = sample_block(7);
    let lc_ty = DataType::LowCardinality(Box::new(DataType::String));
    let lc = Column::from_values(&lc_ty, (0..7).map(|i| Value::string(["a", "bc"][i % 2])));
    block.columns.push(("lc".into(), lc.unwrap()));
    let options = NativeOptions {
        string_offsets: true,
        ..NativeOptions::default()
    };
    let encoder = NativeEncoder::new().with_options(options);
    let bytes = encoder.encode(&block).unwrap();
    assert_ne!(bytes, encode(&block), "the layouts differ");
    // Column `s` ("0".."6"): offsets 1..=7, then the digits.
    let mut expected = Vec::new();
    for o in 1..=7u64 {
        expected.extend_from_slice(&o.to_le_bytes());
    }
    expected.extend_from_slice(b"0123456");
    assert!(bytes.windows(expected.len()).any(|w| w == expected));
    for split in 0..=bytes.len() {
        let mut dec = NativeDecoder::new().with_options(options);
        dec.feed(&bytes[..split]);
        dec.feed(&bytes[split..]);
        assert_eq!(
            dec.finish().unwrap().as_ref(),
            Some(&block),
            "split {split}"
        );
    }
    let mut cur = ByteCursor::new(&bytes);
    let mut parse = simple_parser;
    let read = read_block(&mut cur, &DecodeLimits::default(), &options, &mut parse).unwrap();
    assert_eq!(read, block);
    // Offsets that decrease are malformed, in both readers.
    let mut bad = Vec::new();
    put_block_head(&mut bad, 1, 2);
    put_string(&mut bad, b"s");
    put_string(&mut bad, b"String");
    bad.extend_from_slice(&5u64.to_le_bytes());
    bad.extend_from_slice(&3u64.to_le_bytes());
    bad.extend_from_slice(b"abcde");
    let mut dec = NativeDecoder::new().with_options(options);
    dec.feed(&bad);
    assert!(matches!(dec.finish(), Err(DecodeError::Malformed { .. })));
    let err = read_block(
        &mut ByteCursor::new(&bad),
        &DecodeLimits::default(),
        &options,
        &mut parse,
    );
    assert!(matches!(
        err,
        Err(ReadError::Bad(DecodeError::Malformed { .. }))
    ));
}

#[test]
fn concatenated_blocks_encode_as_the_merged_block() {
    let part = |from: u64, rows: u64| {
        let n = Column::from_values(&DataType::UInt64, (from..from + rows).map(Value::UInt64));
        let s = Column::from_values(
            &DataType::String,
            (from..from + rows).map(|i| Value::string(format!("row-{i}"))),
        );
        let f = Column::from_values(
            &DataType::FixedString(2),
            (from..from + rows).map(|i| Value::FixedString(vec![i as u8, 1])),
        );
        Block::new(vec![
            ("n".into(), n.unwrap()),
            ("s".into(), s.unwrap()),
            ("f".into(), f.unwrap()),
        ])
        .unwrap()
    };
    let columns: Vec<(String, DataType)> = part(0, 0)
        .columns
        .iter()
        .map(|(n, c)| (n.clone(), c.data_type().clone()))
        .collect();
    let enc = NativeEncoder::new();
    let mut concat = ConcatenatedBlock::new(&columns).unwrap();
    for (from, rows) in [(0, 3), (3, 0), (3, 1000), (1003, 1)] {
        concat.push(&part(from, rows)).unwrap();
    }
    assert_eq!(concat.rows(), 1004);
    let mut out = b"before".to_vec();
    concat.encode_into(&enc, &mut out);
    let mut want = b"before".to_vec();
    enc.encode_into(&part(0, 1004), &mut want).unwrap();
    assert_eq!(out, want);
    // No rows: an empty block with its columns' heads.
    let mut empty = Vec::new();
    ConcatenatedBlock::new(&columns)
        .unwrap()
        .encode_into(&enc, &mut empty);
    assert_eq!(empty, enc.encode(&part(0, 0)).unwrap());
}

#[test]
fn only_matching_concatenable_blocks_are_concatenated() {
    let nullable = DataType::Nullable(Box::new(DataType::UInt64));
    assert!(ConcatenatedBlock::new(&[("a".into(), nullable.clone())]).is_err());
    assert!(!ConcatenatedBlock::accepts(&nullable));
    assert!(ConcatenatedBlock::accepts(&DataType::String));
    let mut concat = ConcatenatedBlock::new(&[("a".into(), DataType::UInt64)]).unwrap();
    let block = |name: &str, ty: &DataType, v: Value| {
        let c = Column::from_values(ty, [v]).unwrap();
        Block::new(vec![(name.into(), c)]).unwrap()
    };
    let wrong = [
        block("b", &DataType::UInt64, Value::UInt64(1)),
        block("a", &DataType::UInt32, Value::UInt32(1)),
        block("a", &nullable, Value::Null),
    ];
    for b in &wrong {
        assert!(concat.push(b).is_err());
    }
    assert_eq!((concat.rows(), concat.data_len()), (0, 0));
    concat
        .push(&block("a", &DataType::UInt64, Value::UInt64(7)))
        .unwrap();
    assert_eq!((concat.rows(), concat.data_len()), (1, 8));
}

#[test]
fn concatenated_blocks_past_a_segment_encode_as_the_merged_block() {
    let part = |from: u64, rows: u64| {
        let n = Column::from_values(&DataType::UInt64, (from..from + rows).map(Value::UInt64));
        Block::new(vec![("n".into(), n.unwrap())]).unwrap()
    };
    let mut concat = ConcatenatedBlock::new(&[("n".into(), DataType::UInt64)]).unwrap();
    // 300 blocks of 8 000 bytes: three segments of data.
    for i in 0..300 {
        concat.push(&part(i * 1000, 1000)).unwrap();
    }
    assert_eq!(concat.data_len(), 2_400_000);
    let enc = NativeEncoder::new();
    let mut out = Vec::new();
    concat.encode_into(&enc, &mut out);
    assert_eq!(out, enc.encode(&part(0, 300_000)).unwrap());
}
