//! Golden RowBinaryWithNamesAndTypes vectors captured from ClickHouse 26.9
//! (`cargo xtask golden rowbinary` re-captures them; each `CASE.sql` holds the query).
//!
//! For every case:
//! - `CASE.btypes.bin` (binary type header) is decoded, and names, types and values are checked
//!   against the expectations below; then decoded again after splitting the input at every byte
//!   position; then re-encoded and compared byte for byte.
//! - `CASE.bin` (type-string header) must carry exactly the same row bytes; its type strings are
//!   additionally parsed and compared once `DataType::parse` is implemented (until then that
//!   part is skipped with a notice on stderr — see `text_header_types_parse`).

use std::net::{Ipv4Addr, Ipv6Addr};

use chwire_proto::rowbinary::{
    RowBinaryDecoder, RowBinaryEncoder, TypeEncoding, decode_header, decode_header_type_names,
    decode_rows,
};
use chwire_proto::value::{I256, U256};
use chwire_proto::{
    ByteCursor, DataType, DecodeLimits, IntervalKind, JsonParams, Point, TupleElement, Value,
};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/rowbinary");

fn read(file: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}/{file}")).unwrap_or_else(|e| panic!("{file}: {e}"))
}

// ---- value and type shorthands ----

fn s(x: &str) -> Value {
    Value::String(x.as_bytes().to_vec())
}
fn fs(x: &[u8]) -> Value {
    Value::FixedString(x.to_vec())
}
fn arr(v: Vec<Value>) -> Value {
    Value::Array(v)
}
fn tup(v: Vec<Value>) -> Value {
    Value::Tuple(v)
}
fn dy(t: DataType, v: Value) -> Value {
    Value::Dynamic(Box::new(t), Box::new(v))
}
fn var(i: u8, v: Value) -> Value {
    Value::Variant(i, Box::new(v))
}
fn dec(x: i128) -> Value {
    Value::Decimal(I256::from(x))
}
fn dec256(x: &str) -> Value {
    Value::Decimal(I256::from_str_radix(x, 10).unwrap())
}
fn pt(x: f64, y: f64) -> Point {
    Point { x, y }
}
fn null() -> Value {
    Value::Null
}

fn nb(t: DataType) -> DataType {
    DataType::Nullable(Box::new(t))
}
fn ar(t: DataType) -> DataType {
    DataType::Array(Box::new(t))
}
fn lc(t: DataType) -> DataType {
    DataType::LowCardinality(Box::new(t))
}
fn map(k: DataType, v: DataType) -> DataType {
    DataType::Map(Box::new(k), Box::new(v))
}
fn tuple(elems: &[(Option<&str>, DataType)]) -> DataType {
    DataType::Tuple(
        elems
            .iter()
            .map(|(n, t)| TupleElement {
                name: n.map(str::to_string),
                ty: t.clone(),
            })
            .collect(),
    )
}
fn dynamic() -> DataType {
    DataType::Dynamic { max_types: None }
}
fn decimal(precision: u8, scale: u8) -> DataType {
    DataType::Decimal { precision, scale }
}
fn saf(function: &str, ty: DataType) -> DataType {
    DataType::SimpleAggregateFunction {
        function: function.into(),
        ty: Box::new(ty),
    }
}
fn qbit(element: DataType, dimension: u32) -> DataType {
    DataType::QBit {
        element: Box::new(element),
        dimension,
    }
}
fn uuid(text: &str) -> Value {
    let hex: String = text.chars().filter(|c| *c != '-').collect();
    let mut b = [0u8; 16];
    for (i, byte) in b.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    Value::Uuid(b)
}

struct Case {
    name: &'static str,
    columns: Vec<(&'static str, DataType)>,
    rows: Vec<Vec<Value>>,
    /// Whether our encoder reproduces the server's bytes exactly.
    canonical: bool,
    /// Split positions to test: every byte unless the input is large.
    split_stride: usize,
}

fn case(name: &'static str, columns: Vec<(&'static str, DataType)>, rows: Vec<Vec<Value>>) -> Case {
    Case {
        name,
        columns,
        rows,
        canonical: true,
        split_stride: 1,
    }
}

fn cases() -> Vec<Case> {
    use DataType as T;
    let int256_min = I256::MIN;
    let int256_max = I256::MAX;
    let json_typed = T::Json(Box::new(JsonParams {
        max_dynamic_paths: Some(10),
        max_dynamic_types: None,
        typed_paths: vec![("a.b".into(), T::UInt32)],
        skip_paths: vec!["c".into()],
        skip_regexps: vec!["x.*".into()],
    }));
    let enum8 = T::Enum8(vec![
        ("neg".into(), -128),
        ("zero".into(), 0),
        ("pos".into(), 127),
    ]);
    let enum16 = T::Enum16(vec![
        ("lo".into(), -32768),
        ("mid".into(), 300),
        ("hi".into(), 32767),
    ]);
    let p = |pts: &[(f64, f64)]| pts.iter().map(|(x, y)| pt(*x, *y)).collect::<Vec<_>>();
    let mut long = case(
        "long_string",
        vec![("s", T::String), ("fs", T::FixedString(1000))],
        vec![vec![s(&"abcdefghij".repeat(10240)), fs(&[b'z'; 1000])]],
    );
    long.split_stride = 997;
    vec![
        case(
            "ints",
            vec![
                ("i8", T::Int8),
                ("i16", T::Int16),
                ("i32", T::Int32),
                ("i64", T::Int64),
                ("i128", T::Int128),
                ("i256", T::Int256),
                ("u8", T::UInt8),
                ("u16", T::UInt16),
                ("u32", T::UInt32),
                ("u64", T::UInt64),
                ("u128", T::UInt128),
                ("u256", T::UInt256),
            ],
            vec![
                vec![
                    Value::Int8(i8::MIN),
                    Value::Int16(i16::MIN),
                    Value::Int32(i32::MIN),
                    Value::Int64(i64::MIN),
                    Value::Int128(i128::MIN),
                    Value::Int256(int256_min),
                    Value::UInt8(0),
                    Value::UInt16(0),
                    Value::UInt32(0),
                    Value::UInt64(0),
                    Value::UInt128(0),
                    Value::UInt256(U256::ZERO),
                ],
                vec![
                    Value::Int8(i8::MAX),
                    Value::Int16(i16::MAX),
                    Value::Int32(i32::MAX),
                    Value::Int64(i64::MAX),
                    Value::Int128(i128::MAX),
                    Value::Int256(int256_max),
                    Value::UInt8(u8::MAX),
                    Value::UInt16(u16::MAX),
                    Value::UInt32(u32::MAX),
                    Value::UInt64(u64::MAX),
                    Value::UInt128(u128::MAX),
                    Value::UInt256(U256::MAX),
                ],
                vec![
                    Value::Int8(0),
                    Value::Int16(-1),
                    Value::Int32(1),
                    Value::Int64(-2),
                    Value::Int128(3),
                    Value::Int256(I256::from(-4)),
                    Value::UInt8(1),
                    Value::UInt16(2),
                    Value::UInt32(3),
                    Value::UInt64(4),
                    Value::UInt128(5),
                    Value::UInt256(U256::from(6u8)),
                ],
            ],
        ),
        case(
            "floats",
            vec![
                ("f32", T::Float32),
                ("f64", T::Float64),
                ("bf16", T::BFloat16),
            ],
            vec![
                vec![
                    Value::Float32(f32::NAN),
                    Value::Float64(f64::NAN),
                    Value::BFloat16(0x7fc0),
                ],
                vec![
                    Value::Float32(f32::INFINITY),
                    Value::Float64(f64::INFINITY),
                    Value::BFloat16(0x7f80),
                ],
                vec![
                    Value::Float32(f32::NEG_INFINITY),
                    Value::Float64(f64::NEG_INFINITY),
                    Value::BFloat16(0xff80),
                ],
                vec![
                    Value::Float32(-0.0),
                    Value::Float64(-0.0),
                    Value::BFloat16(0x8000),
                ],
                vec![
                    Value::Float32(f32::MAX),
                    Value::Float64(f64::MAX),
                    Value::BFloat16(0x3fc0),
                ],
                vec![
                    Value::Float32(f32::from_bits(1)),
                    Value::Float64(f64::from_bits(1)),
                    Value::BFloat16(0xc020),
                ],
            ],
        ),
        case(
            "decimals",
            vec![
                ("d9", decimal(9, 2)),
                ("d18", decimal(18, 4)),
                ("d38", decimal(38, 10)),
                ("d76", decimal(76, 20)),
            ],
            vec![
                vec![
                    dec(999_999_999),
                    dec(999_999_999_999_999_999),
                    dec(99_999_999_999_999_999_999_999_999_999_999_999_999),
                    dec256(&"9".repeat(76)),
                ],
                vec![
                    dec(-999_999_999),
                    dec(-999_999_999_999_999_999),
                    dec(-99_999_999_999_999_999_999_999_999_999_999_999_999),
                    dec256(&format!("-{}", "9".repeat(76))),
                ],
                vec![dec(0), dec(0), dec(0), dec(0)],
                vec![
                    dec(125),
                    dec(-35_000),
                    dec(1),
                    dec256(&format!("1{}", "0".repeat(20))),
                ],
            ],
        ),
        case(
            "strings",
            vec![("b", T::Bool), ("s", T::String), ("fs", T::FixedString(4))],
            vec![
                vec![Value::Bool(true), s(""), fs(&[0; 4])],
                vec![Value::Bool(false), s("héllo ✓"), fs(b"abcd")],
                vec![
                    Value::Bool(true),
                    Value::String(vec![b'a', 0, b'b', 0xff]),
                    fs(b"x\0\0\0"),
                ],
            ],
        ),
        long,
        case(
            "uuid_ip",
            vec![("u", T::Uuid), ("v4", T::IPv4), ("v6", T::IPv6)],
            vec![
                vec![
                    uuid("00112233-4455-6677-8899-aabbccddeeff"),
                    Value::IPv4(Ipv4Addr::new(1, 2, 3, 4)),
                    Value::IPv6("2001:db8::1".parse::<Ipv6Addr>().unwrap()),
                ],
                vec![
                    Value::Uuid([0; 16]),
                    Value::IPv4(Ipv4Addr::UNSPECIFIED),
                    Value::IPv6(Ipv6Addr::UNSPECIFIED),
                ],
                vec![
                    Value::Uuid([0xff; 16]),
                    Value::IPv4(Ipv4Addr::BROADCAST),
                    Value::IPv6(Ipv6Addr::from([0xff; 16])),
                ],
                vec![
                    uuid("61f0c404-5cb3-11e7-907b-a6006ad3dba0"),
                    Value::IPv4(Ipv4Addr::new(192, 168, 0, 1)),
                    Value::IPv6(Ipv4Addr::new(192, 168, 0, 1).to_ipv6_mapped()),
                ],
            ],
        ),
        case(
            "dates",
            vec![
                ("d", T::Date),
                ("d32", T::Date32),
                ("dt", T::DateTime(None)),
                ("dtz", T::DateTime(Some("Asia/Tokyo".into()))),
                ("dt64", T::DateTime64(3, None)),
                ("dt64z", T::DateTime64(9, Some("UTC".into()))),
                ("t", T::Time),
                ("t64", T::Time64(6)),
            ],
            vec![
                vec![
                    Value::Date(0),
                    Value::Date32(-25567),
                    Value::DateTime(0),
                    Value::DateTime(0),
                    Value::DateTime64(-2_208_988_800_000),
                    Value::DateTime64(-2_208_988_800_000_000_000),
                    Value::Time(-3_599_999),
                    Value::Time64(-3_599_999_999_999),
                ],
                vec![
                    Value::Date(u16::MAX),
                    Value::Date32(120_529),
                    Value::DateTime(u32::MAX),
                    Value::DateTime(u32::MAX),
                    Value::DateTime64(10_413_791_999_999),
                    Value::DateTime64(i64::MAX),
                    Value::Time(3_599_999),
                    Value::Time64(3_599_999_999_999),
                ],
                vec![
                    Value::Date(19782),
                    Value::Date32(-1),
                    Value::DateTime(1_709_210_096),
                    Value::DateTime(1_709_177_696),
                    Value::DateTime64(1_709_210_096_789),
                    Value::DateTime64(-1),
                    Value::Time(1),
                    Value::Time64(-1),
                ],
            ],
        ),
        case(
            "enums",
            vec![("e8", enum8.clone()), ("e16", enum16.clone())],
            vec![
                vec![Value::Enum8(-128), Value::Enum16(-32768)],
                vec![Value::Enum8(0), Value::Enum16(300)],
                vec![Value::Enum8(127), Value::Enum16(32767)],
            ],
        ),
        case(
            "arrays",
            vec![
                ("a", ar(T::UInt8)),
                ("aa", ar(ar(T::String))),
                ("an", ar(nb(T::Int32))),
                ("aaa", ar(ar(ar(T::UInt16)))),
            ],
            vec![
                vec![arr(vec![]), arr(vec![]), arr(vec![]), arr(vec![])],
                vec![
                    arr(vec![Value::UInt8(1), Value::UInt8(2), Value::UInt8(3)]),
                    arr(vec![
                        arr(vec![]),
                        arr(vec![s("a")]),
                        arr(vec![s("b"), s("cd"), s("")]),
                    ]),
                    arr(vec![null(), Value::Int32(1), null(), Value::Int32(-1)]),
                    arr(vec![
                        arr(vec![arr(vec![])]),
                        arr(vec![
                            arr(vec![Value::UInt16(1)]),
                            arr(vec![Value::UInt16(2), Value::UInt16(3)]),
                        ]),
                        arr(vec![]),
                    ]),
                ],
                vec![
                    arr(vec![Value::UInt8(255)]),
                    arr(vec![arr(vec![])]),
                    arr(vec![null()]),
                    arr(vec![
                        arr(vec![]),
                        arr(vec![arr(vec![Value::UInt16(65535)])]),
                    ]),
                ],
            ],
        ),
        case(
            "tuples_maps",
            vec![
                ("t", tuple(&[(None, T::UInt8), (None, T::String)])),
                (
                    "nt",
                    tuple(&[(Some("a"), T::Int32), (Some("b"), ar(T::String))]),
                ),
                ("m", map(T::String, T::UInt64)),
                ("mn", map(T::String, ar(nb(T::UInt8)))),
                (
                    "tt",
                    tuple(&[
                        (
                            Some("x"),
                            tuple(&[(Some("y"), nb(T::String)), (Some("z"), T::Float64)]),
                        ),
                        (Some("w"), map(T::UInt8, T::String)),
                    ]),
                ),
            ],
            vec![
                vec![
                    tup(vec![Value::UInt8(1), s("a")]),
                    tup(vec![Value::Int32(-1), arr(vec![])]),
                    Value::Map(vec![]),
                    Value::Map(vec![]),
                    tup(vec![
                        tup(vec![null(), Value::Float64(0.5)]),
                        Value::Map(vec![]),
                    ]),
                ],
                vec![
                    tup(vec![Value::UInt8(255), s("")]),
                    tup(vec![Value::Int32(i32::MAX), arr(vec![s("x"), s("yz")])]),
                    Value::Map(vec![
                        (s("k1"), Value::UInt64(1)),
                        (s("k2"), Value::UInt64(u64::MAX)),
                    ]),
                    Value::Map(vec![
                        (s("a"), arr(vec![Value::UInt8(1), null()])),
                        (s("b"), arr(vec![])),
                    ]),
                    tup(vec![
                        tup(vec![s("s"), Value::Float64(-1.5)]),
                        Value::Map(vec![
                            (Value::UInt8(1), s("one")),
                            (Value::UInt8(2), s("two")),
                        ]),
                    ]),
                ],
            ],
        ),
        case(
            "nullable_lowcard",
            vec![
                ("n64", nb(T::UInt64)),
                ("ns", nb(T::String)),
                ("lc", lc(T::String)),
                ("lcn", lc(nb(T::String))),
                ("alc", ar(lc(nb(T::String)))),
                ("nfs", nb(T::FixedString(2))),
            ],
            vec![
                vec![
                    null(),
                    null(),
                    s(""),
                    null(),
                    arr(vec![null(), s("a"), null()]),
                    null(),
                ],
                vec![
                    Value::UInt64(u64::MAX),
                    s(""),
                    s("abc"),
                    s(""),
                    arr(vec![]),
                    fs(b"ab"),
                ],
                vec![
                    Value::UInt64(0),
                    s("x"),
                    s("abc"),
                    s("lc"),
                    arr(vec![s("lc"), s("lc"), s("")]),
                    fs(b"z\0"),
                ],
            ],
        ),
        case(
            "nested",
            vec![
                (
                    "n",
                    T::Nested(vec![("a".into(), T::UInt32), ("b".into(), T::String)]),
                ),
                ("n_flat.a", ar(T::UInt32)),
                ("n_flat.b", ar(T::String)),
            ],
            vec![
                vec![arr(vec![]), arr(vec![]), arr(vec![])],
                vec![
                    arr(vec![
                        tup(vec![Value::UInt32(1), s("x")]),
                        tup(vec![Value::UInt32(2), s("yy")]),
                    ]),
                    arr(vec![Value::UInt32(1), Value::UInt32(2)]),
                    arr(vec![s("x"), s("yy")]),
                ],
            ],
        ),
        case(
            "variant",
            vec![
                ("v", T::Variant(vec![ar(T::UInt8), T::String, T::UInt64])),
                ("vn", ar(T::Variant(vec![T::Bool, T::Int8]))),
            ],
            vec![
                vec![null(), arr(vec![])],
                vec![
                    var(1, s("text")),
                    arr(vec![
                        var(0, Value::Bool(true)),
                        var(0, Value::Bool(true)),
                        null(),
                    ]),
                ],
                vec![var(2, Value::UInt64(42)), arr(vec![null()])],
                vec![
                    var(0, arr(vec![Value::UInt8(1), Value::UInt8(2)])),
                    arr(vec![var(1, Value::Int8(-128)), var(1, Value::Int8(0))]),
                ],
            ],
        ),
        case(
            "dynamic",
            vec![("d", dynamic()), ("ad", ar(dynamic()))],
            vec![
                vec![null(), arr(vec![])],
                vec![
                    dy(T::Int64, Value::Int64(42)),
                    arr(vec![
                        dy(T::UInt8, Value::UInt8(1)),
                        dy(T::String, s("a")),
                        null(),
                    ]),
                ],
                vec![
                    dy(T::String, s("str")),
                    arr(vec![
                        dy(ar(T::UInt16), arr(vec![Value::UInt16(1), Value::UInt16(2)])),
                        dy(
                            map(T::String, T::Float64),
                            Value::Map(vec![(s("k"), Value::Float64(1.5))]),
                        ),
                    ]),
                ],
                vec![
                    dy(ar(T::Int32), arr(vec![Value::Int32(1), Value::Int32(2)])),
                    arr(vec![
                        dy(
                            tuple(&[(Some("a"), T::UInt8), (Some("b"), T::String)]),
                            tup(vec![Value::UInt8(1), s("x")]),
                        ),
                        dy(
                            T::DateTime64(3, Some("UTC".into())),
                            Value::DateTime64(1_704_067_200_123),
                        ),
                    ]),
                ],
                vec![
                    dy(decimal(18, 2), dec(314)),
                    arr(vec![
                        dy(T::Uuid, uuid("00112233-4455-6677-8899-aabbccddeeff")),
                        dy(T::Bool, Value::Bool(true)),
                        dy(T::IPv4, Value::IPv4(Ipv4Addr::new(1, 2, 3, 4))),
                    ]),
                ],
                vec![
                    dy(
                        T::Enum8(vec![("b".into(), -2), ("a".into(), 1)]),
                        Value::Enum8(-2),
                    ),
                    arr(vec![
                        dy(T::UInt32, Value::UInt32(7)),
                        dy(T::FixedString(2), fs(b"ab")),
                        dy(T::DateTime(Some("Asia/Tokyo".into())), Value::DateTime(1)),
                    ]),
                ],
                vec![
                    dy(T::Point, Value::Point(pt(1.5, 2.5))),
                    arr(vec![
                        dy(T::Polygon, Value::Polygon(vec![p(&[(0., 0.), (1., 0.)])])),
                        dy(T::Interval(IntervalKind::Day), Value::Interval(3)),
                        dy(T::Date, Value::Date(19723)),
                        dy(T::BFloat16, Value::BFloat16(0x3fc0)),
                        dy(T::UInt64, Value::UInt64(5)),
                    ]),
                ],
            ],
        ),
        Case {
            // The server writes JSON paths in hash order; we decode them sorted.
            canonical: false,
            ..case(
                "json",
                vec![("j", T::Json(Box::default())), ("jt", json_typed)],
                vec![
                    vec![
                        Value::Json(vec![]),
                        Value::Json(vec![("a.b".into(), Value::UInt32(0))]),
                    ],
                    vec![
                        Value::Json(vec![("k".into(), dy(T::String, s("v")))]),
                        Value::Json(vec![
                            ("a.b".into(), Value::UInt32(7)),
                            ("d".into(), dy(T::String, s("keep"))),
                        ]),
                    ],
                    vec![
                        Value::Json(vec![(
                            "n.m".into(),
                            dy(
                                ar(T::Int8),
                                arr(vec![Value::Int8(1), Value::Int8(2), Value::Int8(3)]),
                            ),
                        )]),
                        Value::Json(vec![("a.b".into(), Value::UInt32(u32::MAX))]),
                    ],
                    vec![
                        Value::Json(vec![("f".into(), dy(T::Float64, Value::Float64(1.5)))]),
                        Value::Json(vec![
                            ("a.b".into(), Value::UInt32(0)),
                            (
                                "e".into(),
                                dy(
                                    ar(T::Json(Box::default())),
                                    arr(vec![Value::Json(vec![(
                                        "x".into(),
                                        dy(T::Int8, Value::Int8(1)),
                                    )])]),
                                ),
                            ),
                        ]),
                    ],
                ],
            )
        },
        case(
            "geo",
            vec![
                ("p", T::Point),
                ("r", T::Ring),
                ("l", T::LineString),
                ("ml", T::MultiLineString),
                ("pg", T::Polygon),
                ("mp", T::MultiPolygon),
            ],
            vec![
                vec![
                    Value::Point(pt(0., 0.)),
                    Value::Ring(vec![]),
                    Value::LineString(vec![]),
                    Value::MultiLineString(vec![]),
                    Value::Polygon(vec![]),
                    Value::MultiPolygon(vec![]),
                ],
                vec![
                    Value::Point(pt(1.5, -2.5)),
                    Value::Ring(p(&[(0., 0.), (1., 0.), (1., 1.), (0., 0.)])),
                    Value::LineString(p(&[(0., 0.), (2., 2.)])),
                    Value::MultiLineString(vec![p(&[(0., 0.), (1., 1.)]), vec![], p(&[(5., 5.)])]),
                    Value::Polygon(vec![
                        p(&[(0., 0.), (4., 0.), (4., 4.), (0., 0.)]),
                        p(&[(1., 1.), (2., 1.), (1., 1.)]),
                    ]),
                    Value::MultiPolygon(vec![
                        vec![p(&[(0., 0.), (1., 0.), (0., 0.)])],
                        vec![],
                        vec![p(&[(9., 9.)]), vec![]],
                    ]),
                ],
            ],
        ),
        case(
            "intervals",
            vec![
                ("ns", T::Interval(IntervalKind::Nanosecond)),
                ("s", T::Interval(IntervalKind::Second)),
                ("d", T::Interval(IntervalKind::Day)),
                ("y", T::Interval(IntervalKind::Year)),
                ("q", T::Interval(IntervalKind::Quarter)),
            ],
            vec![vec![
                Value::Interval(-1),
                Value::Interval(i64::MAX),
                Value::Interval(3),
                Value::Interval(i64::MIN),
                Value::Interval(0),
            ]],
        ),
        case(
            "simple_agg",
            vec![
                ("s", saf("sum", T::UInt64)),
                ("l", saf("anyLast", nb(T::String))),
                ("g", saf("groupArrayArray", ar(T::UInt8))),
            ],
            vec![
                vec![Value::UInt64(0), null(), arr(vec![])],
                vec![
                    Value::UInt64(u64::MAX),
                    s("x"),
                    arr(vec![Value::UInt8(1), Value::UInt8(2)]),
                ],
            ],
        ),
        case(
            "nothing",
            vec![
                ("n", nb(T::Nothing)),
                ("e", ar(T::Nothing)),
                ("an", ar(nb(T::Nothing))),
                ("m", map(T::Nothing, T::Nothing)),
            ],
            vec![vec![
                null(),
                arr(vec![]),
                arr(vec![null(), null()]),
                Value::Map(vec![]),
            ]],
        ),
        case(
            "qbit",
            vec![
                ("q32", qbit(T::Float32, 3)),
                ("q16", qbit(T::BFloat16, 2)),
                ("q64", qbit(T::Float64, 4)),
            ],
            vec![
                vec![
                    Value::QBit(vec![
                        Value::Float32(1.0),
                        Value::Float32(-2.5),
                        Value::Float32(0.0),
                    ]),
                    Value::QBit(vec![Value::BFloat16(0x3fc0), Value::BFloat16(0x8000)]),
                    Value::QBit((1..=4).map(|i| Value::Float64(f64::from(i))).collect()),
                ],
                vec![
                    Value::QBit(vec![
                        Value::Float32(f32::INFINITY),
                        Value::Float32(f32::NEG_INFINITY),
                        Value::Float32(f32::MAX),
                    ]),
                    Value::QBit(vec![Value::BFloat16(0), Value::BFloat16(0)]),
                    Value::QBit(vec![
                        Value::Float64(-1.0),
                        Value::Float64(0.5),
                        Value::Float64(f64::MAX),
                        Value::Float64(0.0),
                    ]),
                ],
            ],
        ),
    ]
}

/// Values compared through `Debug`, so NaN equals NaN and -0.0 differs from 0.0.
fn same(a: &[Vec<Value>], b: &[Vec<Value>]) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

fn decode_all(bytes: &[u8], splits: &[usize]) -> (Vec<String>, Vec<DataType>, Vec<Vec<Value>>) {
    let mut d = RowBinaryDecoder::with_header(TypeEncoding::Binary);
    let mut rows = Vec::new();
    let mut from = 0;
    for &to in splits.iter().chain(std::iter::once(&bytes.len())) {
        d.feed(&bytes[from..to]);
        from = to;
        while let Some(r) = d.next_row().unwrap() {
            rows.push(r);
        }
    }
    d.finish().unwrap();
    (d.names().to_vec(), d.types().to_vec(), rows)
}

/// Length of the header at the start of `bytes`.
fn header_len(bytes: &[u8], encoding: TypeEncoding) -> usize {
    let mut cur = ByteCursor::new(bytes);
    match encoding {
        TypeEncoding::Text => {
            decode_header_type_names(&mut cur, &DecodeLimits::default()).unwrap();
        }
        TypeEncoding::Binary => {
            decode_header(&mut cur, &DecodeLimits::default(), encoding).unwrap();
        }
    }
    cur.position()
}

#[test]
fn golden_vectors_decode_to_expected_values() {
    for c in cases() {
        let bytes = read(&format!("{}.btypes.bin", c.name));
        let (names, types, rows) = decode_all(&bytes, &[]);
        let want_names: Vec<_> = c.columns.iter().map(|(n, _)| n.to_string()).collect();
        let want_types: Vec<_> = c.columns.iter().map(|(_, t)| t.clone()).collect();
        assert_eq!(names, want_names, "{}", c.name);
        assert_eq!(types, want_types, "{}", c.name);
        assert!(
            same(&rows, &c.rows),
            "{}: decoded\n{rows:?}\nexpected\n{:?}",
            c.name,
            c.rows
        );
    }
}

#[test]
fn golden_vectors_decode_after_any_split() {
    for c in cases() {
        let bytes = read(&format!("{}.btypes.bin", c.name));
        let positions: Vec<usize> = (0..=bytes.len())
            .filter(|p| {
                c.split_stride == 1 || p % c.split_stride == 0 || *p < 64 || bytes.len() - p < 64
            })
            .collect();
        for cut in positions {
            let (_, _, rows) = decode_all(&bytes, &[cut]);
            assert!(same(&rows, &c.rows), "{} split at {cut}", c.name);
        }
    }
}

#[test]
fn golden_long_string_fed_byte_by_byte() {
    let bytes = read("long_string.btypes.bin");
    let splits: Vec<usize> = (1..bytes.len()).collect();
    let (_, _, rows) = decode_all(&bytes, &splits);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], s(&"abcdefghij".repeat(10240)));
}

#[test]
fn golden_vectors_re_encode_identically() {
    for c in cases() {
        let bytes = read(&format!("{}.btypes.bin", c.name));
        let names: Vec<_> = c.columns.iter().map(|(n, _)| *n).collect();
        let types: Vec<_> = c.columns.iter().map(|(_, t)| t.clone()).collect();
        let mut enc =
            RowBinaryEncoder::with_names_and_types(&names, types.clone(), TypeEncoding::Binary)
                .unwrap();
        for r in &c.rows {
            enc.write_row(r).unwrap();
        }
        let out = enc.take();
        if c.canonical {
            assert_eq!(&out[..], &bytes[..], "{}", c.name);
        } else {
            // Same length and same decoded values.
            assert_eq!(out.len(), bytes.len(), "{}", c.name);
            let (_, _, rows) = decode_all(&out, &[]);
            assert!(same(&rows, &c.rows), "{}", c.name);
        }
        // Bulk decode of the plain RowBinary part.
        let body = &bytes[header_len(&bytes, TypeEncoding::Binary)..];
        let mut it = decode_rows(&types, body, DecodeLimits::default());
        let rows: Vec<_> = it.by_ref().map(Result::unwrap).collect();
        assert!(it.remainder().is_empty(), "{}", c.name);
        assert!(same(&rows, &c.rows), "{}", c.name);
    }
}

#[test]
fn text_header_files_carry_the_same_rows() {
    for c in cases() {
        let text = read(&format!("{}.bin", c.name));
        let binary = read(&format!("{}.btypes.bin", c.name));
        let mut cur = ByteCursor::new(&text);
        let (names, _types) = decode_header_type_names(&mut cur, &DecodeLimits::default()).unwrap();
        let want: Vec<_> = c.columns.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(names, want, "{}", c.name);
        assert_eq!(
            &text[cur.position()..],
            &binary[header_len(&binary, TypeEncoding::Binary)..],
            "{}",
            c.name
        );
    }
}

/// Needs `DataType::parse` (types/parse.rs, written in parallel). Until it is merged, this test
/// only reports on stderr that it was skipped; afterwards it checks every type string the server
/// printed and decodes each file through the text-header decoder.
#[test]
fn text_header_types_parse() {
    if DataType::parse("UInt8").is_err() {
        eprintln!("SKIPPED text_header_types_parse: DataType::parse is not implemented yet");
        return;
    }
    for c in cases() {
        let text = read(&format!("{}.bin", c.name));
        let mut d = RowBinaryDecoder::with_names_and_types();
        d.feed(&text);
        let mut rows = Vec::new();
        while let Some(r) = d.next_row().unwrap() {
            rows.push(r);
        }
        d.finish().unwrap();
        let want: Vec<_> = c.columns.iter().map(|(_, t)| t.clone()).collect();
        assert_eq!(d.types(), &want[..], "{}", c.name);
        assert!(same(&rows, &c.rows), "{}", c.name);
    }
}
