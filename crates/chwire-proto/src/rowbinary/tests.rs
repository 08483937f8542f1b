//! Round-trip and edge-case tests of the RowBinary codec.
use super::*;
use crate::value::I256;
use crate::wire::{ByteCursor, DecodeError, DecodeLimits, ReadError, put_varuint};
use crate::{DataType, IntervalKind, JsonParams, Point, TupleElement, Value};

fn enc(ty: &DataType, v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    encode_value(ty, v, &mut out).unwrap();
    out
}

fn dec(ty: &DataType, b: &[u8]) -> Result<Value, ReadError> {
    let mut cur = ByteCursor::new(b);
    let v = decode_value(ty, &mut cur, &DecodeLimits::default())?;
    assert_eq!(cur.position(), b.len(), "trailing bytes for {ty:?}");
    Ok(v)
}

fn nullable(t: DataType) -> DataType {
    DataType::Nullable(Box::new(t))
}

#[test]
fn uuid_is_two_little_endian_halves() {
    // Captured: SELECT toUUID('00112233-4455-6677-8899-aabbccddeeff') FORMAT RowBinary
    let wire = [
        0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99,
        0x88,
    ];
    let canon = [
        0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
        0xff,
    ];
    assert_eq!(dec(&DataType::Uuid, &wire).unwrap(), Value::Uuid(canon));
    assert_eq!(enc(&DataType::Uuid, &Value::Uuid(canon)), wire);
}

#[test]
fn decimal_widths_and_overflow() {
    let d9 = DataType::Decimal {
        precision: 9,
        scale: 2,
    };
    assert_eq!(
        enc(&d9, &Value::Decimal(I256::from(-5))),
        (-5i32).to_le_bytes()
    );
    let too_big = Value::Decimal(I256::from(i64::MAX));
    assert!(matches!(
        encode_value(&d9, &too_big, &mut Vec::new()),
        Err(DecodeError::TypeMismatch { .. })
    ));
    let d76 = DataType::Decimal {
        precision: 76,
        scale: 0,
    };
    let big = Value::Decimal(I256::MIN);
    assert_eq!(dec(&d76, &enc(&d76, &big)).unwrap(), big);
}

#[test]
fn type_codec_round_trips_every_kind() {
    let json = DataType::Json(Box::new(JsonParams {
        max_dynamic_paths: Some(10),
        max_dynamic_types: None,
        typed_paths: vec![("a.b".into(), DataType::UInt32)],
        skip_paths: vec!["c".into()],
        skip_regexps: vec!["x.*".into()],
    }));
    let mut types = vec![
        DataType::Nothing,
        DataType::Int8,
        DataType::Int256,
        DataType::UInt256,
        DataType::BFloat16,
        DataType::Decimal {
            precision: 5,
            scale: 2,
        },
        DataType::Decimal {
            precision: 60,
            scale: 2,
        },
        DataType::DateTime(None),
        DataType::DateTime(Some("UTC".into())),
        DataType::DateTime64(3, None),
        DataType::DateTime64(6, Some("Europe/Berlin".into())),
        DataType::Time,
        DataType::Time64(9),
        DataType::FixedString(300),
        DataType::Enum8(vec![("b".into(), -2), ("a".into(), 1)]),
        DataType::Enum16(vec![("x".into(), 300)]),
        DataType::Array(Box::new(nullable(DataType::String))),
        DataType::Tuple(vec![
            TupleElement {
                name: None,
                ty: DataType::UInt8,
            },
            TupleElement {
                name: None,
                ty: DataType::String,
            },
        ]),
        DataType::Tuple(vec![TupleElement {
            name: Some("x".into()),
            ty: DataType::UInt8,
        }]),
        DataType::Map(Box::new(DataType::String), Box::new(DataType::UInt64)),
        DataType::LowCardinality(Box::new(nullable(DataType::String))),
        DataType::Nested(vec![("a".into(), DataType::UInt32)]),
        DataType::Variant(vec![DataType::String, DataType::UInt64]),
        DataType::Dynamic { max_types: None },
        DataType::Dynamic { max_types: Some(5) },
        json,
        DataType::Json(Box::default()),
        DataType::Point,
        DataType::Ring,
        DataType::LineString,
        DataType::MultiLineString,
        DataType::Polygon,
        DataType::MultiPolygon,
        DataType::SimpleAggregateFunction {
            function: "sum".into(),
            ty: Box::new(DataType::UInt64),
        },
        DataType::SimpleAggregateFunction {
            function: "f(1, -2, 0.5, 'x', NULL)".into(),
            ty: Box::new(DataType::UInt64),
        },
        DataType::QBit {
            element: Box::new(DataType::Float32),
            dimension: 8,
        },
        DataType::Bool,
        DataType::Uuid,
        DataType::IPv4,
        DataType::IPv6,
    ];
    types.extend(IntervalKind::ALL.iter().map(|k| DataType::Interval(*k)));
    for t in types {
        let mut out = Vec::new();
        encode_type_binary(&t, &mut out).unwrap();
        let mut cur = ByteCursor::new(&out);
        assert_eq!(
            decode_type_binary(&mut cur, &DecodeLimits::default()).unwrap(),
            t
        );
        assert!(cur.is_empty());
        for cut in 0..out.len() {
            let mut cur = ByteCursor::new(&out[..cut]);
            assert!(matches!(
                decode_type_binary(&mut cur, &DecodeLimits::default()),
                Err(ReadError::Short(_))
            ));
        }
    }
}

#[test]
fn interval_year_is_code_10() {
    // Captured: SELECT INTERVAL 1 YEAR::Dynamic FORMAT RowBinary (the docs say 0x1A).
    let mut out = Vec::new();
    encode_type_binary(&DataType::Interval(IntervalKind::Year), &mut out).unwrap();
    assert_eq!(out, [0x22, 0x0a]);
}

#[test]
fn hostile_lengths_fail_without_allocating() {
    let limits = DecodeLimits::default();
    // An array claiming 2^27 UInt64 elements with no data: must report Short, not allocate.
    let mut b = Vec::new();
    put_varuint(&mut b, 1 << 27);
    let ty = DataType::Array(Box::new(DataType::UInt64));
    assert!(matches!(
        decode_value(&ty, &mut ByteCursor::new(&b), &limits),
        Err(ReadError::Short(n)) if n == (1 << 30)
    ));
    // Beyond the cap: a hard error.
    let mut b = Vec::new();
    put_varuint(&mut b, u64::MAX >> 1);
    assert!(matches!(
        decode_value(&ty, &mut ByteCursor::new(&b), &limits),
        Err(ReadError::Bad(DecodeError::LimitExceeded { .. }))
    ));
    // Zero-size elements are capped by max_collection_len only.
    let tiny = DecodeLimits {
        max_collection_len: 10,
        ..limits
    };
    let mut b = Vec::new();
    put_varuint(&mut b, 11);
    let ty = DataType::Array(Box::new(DataType::Nothing));
    assert!(matches!(
        decode_value(&ty, &mut ByteCursor::new(&b), &tiny),
        Err(ReadError::Bad(DecodeError::LimitExceeded { .. }))
    ));
}

#[test]
fn depth_is_bounded() {
    let limits = DecodeLimits {
        max_depth: 4,
        ..DecodeLimits::default()
    };
    // Dynamic whose type is Array(Array(Array(...))) 100 deep.
    let mut b = vec![0x1e; 100];
    b.push(0x01);
    assert!(matches!(
        decode_type_binary(&mut ByteCursor::new(&b), &limits),
        Err(ReadError::Bad(DecodeError::LimitExceeded { .. }))
    ));
    let mut ty = DataType::UInt8;
    for _ in 0..10 {
        ty = DataType::Array(Box::new(ty));
    }
    let v = vec![1u8; 10];
    assert!(matches!(
        decode_value(&ty, &mut ByteCursor::new(&v), &limits),
        Err(ReadError::Bad(DecodeError::LimitExceeded { .. }))
    ));
}

#[test]
fn bad_discriminators_and_flags_are_errors() {
    let v = DataType::Variant(vec![DataType::String]);
    assert!(matches!(dec(&v, &[3]), Err(ReadError::Bad(_))));
    assert_eq!(dec(&v, &[255]).unwrap(), Value::Null);
    assert!(matches!(
        dec(&nullable(DataType::UInt8), &[2, 0]),
        Err(ReadError::Bad(_))
    ));
    assert!(matches!(dec(&DataType::Bool, &[7]), Err(ReadError::Bad(_))));
    assert!(matches!(
        dec(&DataType::Dynamic { max_types: None }, &[0xEE]),
        Err(ReadError::Bad(DecodeError::Unsupported(_)))
    ));
}

fn sample_types() -> Vec<DataType> {
    vec![
        DataType::UInt32,
        nullable(DataType::String),
        DataType::Array(Box::new(DataType::Int64)),
        DataType::Dynamic { max_types: None },
        DataType::Polygon,
    ]
}

fn sample_rows() -> Vec<Vec<Value>> {
    (0..20u32)
        .map(|i| {
            vec![
                Value::UInt32(i),
                if i % 3 == 0 {
                    Value::Null
                } else {
                    Value::String(vec![b'x'; i as usize * 7])
                },
                Value::Array(
                    (0..i as i64)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .map(Value::Int64)
                        .collect(),
                ),
                if i % 2 == 0 {
                    Value::Null
                } else {
                    Value::Dynamic(
                        Box::new(DataType::Float64),
                        Box::new(Value::Float64(i as f64)),
                    )
                },
                Value::Polygon(vec![
                    vec![Point {
                        x: 1.0,
                        y: i as f64
                    }];
                    (i % 3) as usize
                ]),
            ]
        })
        .collect()
}

#[test]
fn decoder_handles_every_split_point() {
    let types = sample_types();
    let rows = sample_rows();
    let mut enc = RowBinaryEncoder::with_names_and_types(
        &["a", "b", "c", "d", "e"],
        types.clone(),
        TypeEncoding::Binary,
    )
    .unwrap();
    for r in &rows {
        enc.write_row(r).unwrap();
    }
    let bytes = enc.take();
    for cut in 0..=bytes.len() {
        let mut d = RowBinaryDecoder::with_header(TypeEncoding::Binary);
        let mut got = Vec::new();
        for part in [&bytes[..cut], &bytes[cut..]] {
            d.feed(part);
            while let Some(r) = d.next_row().unwrap() {
                got.push(r);
            }
        }
        d.finish().unwrap();
        assert_eq!(d.types(), &types[..]);
        assert_eq!(d.names(), ["a", "b", "c", "d", "e"]);
        assert_eq!(got, rows, "split at {cut}");
    }
    // Byte-at-a-time feeding.
    let mut d = RowBinaryDecoder::with_header(TypeEncoding::Binary);
    let mut got = Vec::new();
    for b in bytes.iter() {
        d.feed(std::slice::from_ref(b));
        while let Some(r) = d.next_row().unwrap() {
            got.push(r);
        }
    }
    assert_eq!(got, rows);
    // Truncated input is reported on finish.
    let mut d = RowBinaryDecoder::with_header(TypeEncoding::Binary);
    d.feed(&bytes[..bytes.len() - 1]);
    while d.next_row().unwrap().is_some() {}
    assert_eq!(d.finish(), Err(DecodeError::Truncated("RowBinary row")));
}

#[test]
fn bulk_rows_stop_at_partial_tail() {
    let types = sample_types();
    let rows = sample_rows();
    let mut enc = RowBinaryEncoder::new(types.clone());
    for r in &rows {
        enc.write_row(r).unwrap();
    }
    let bytes = enc.take();
    let mut it = decode_rows(&types, &bytes[..bytes.len() - 3], DecodeLimits::default());
    let got: Vec<_> = it.by_ref().map(Result::unwrap).collect();
    assert_eq!(got, rows[..rows.len() - 1]);
    assert_eq!(it.remainder().len(), bytes.len() - 3 - it.consumed());
    assert!(!it.remainder().is_empty());
}

#[test]
fn encoder_rolls_back_a_bad_row() {
    let mut enc = RowBinaryEncoder::new(vec![DataType::UInt8, DataType::String]);
    enc.write_row(&[Value::UInt8(1), Value::string("a")])
        .unwrap();
    let before = enc.buffer().to_vec();
    assert!(enc.write_row(&[Value::UInt8(2), Value::UInt8(3)]).is_err());
    assert!(enc.write_row(&[Value::UInt8(2)]).is_err());
    assert_eq!(enc.buffer(), &before[..]);
    assert_eq!(enc.rows(), 1);
}

mod garbage {
    use super::*;
    use proptest::prelude::*;

    fn hostile_types() -> Vec<DataType> {
        vec![
            DataType::Dynamic { max_types: None },
            DataType::Json(Box::default()),
            DataType::Array(Box::new(nullable(DataType::String))),
            DataType::Map(
                Box::new(DataType::String),
                Box::new(DataType::Variant(vec![
                    DataType::UInt8,
                    DataType::MultiPolygon,
                ])),
            ),
            DataType::QBit {
                element: Box::new(DataType::Float32),
                dimension: 4,
            },
        ]
    }

    proptest! {
        /// Arbitrary input never panics and never claims more bytes than it was given.
        #[test]
        fn garbage_is_rejected_or_decoded(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let limits = DecodeLimits { max_collection_len: 1 << 16, ..DecodeLimits::default() };
            for t in hostile_types() {
                let mut cur = ByteCursor::new(&bytes);
                if decode_value(&t, &mut cur, &limits).is_ok() {
                    prop_assert!(cur.position() <= bytes.len());
                }
            }
            let mut cur = ByteCursor::new(&bytes);
            let _ = decode_type_binary(&mut cur, &limits);
            let mut d = RowBinaryDecoder::with_header(TypeEncoding::Binary).with_limits(limits);
            d.feed(&bytes);
            while let Ok(Some(_)) = d.next_row() {}
        }
    }
}
