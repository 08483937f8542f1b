//! Typed rows against RowBinaryWithNamesAndTypes responses captured from a real server
//! (`tests/golden/rows/<case>.sql` produced `<case>.bin`; `capture.sh` regenerates them).

use std::collections::{BTreeMap, HashMap};
use std::net::{Ipv4Addr, Ipv6Addr};

use chwire::read_header_strings;
use chwire::{Row, RowDecoder, RowEncoder, RowError};
use chwire_proto::{ByteCursor, DataType, DecodeLimits, TupleElement};
use serde::{Deserialize, Serialize};

fn golden(case: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/golden/rows/{case}.bin",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Checks the captured header against the expected names and type strings and returns the
/// column list (types built directly, so these tests do not depend on the type parser) and the
/// offset where the rows start.
fn header(bin: &[u8], expected: &[(&str, &str, DataType)]) -> (Vec<(String, DataType)>, usize) {
    let mut cur = ByteCursor::new(bin);
    let (names, types) = read_header_strings(&mut cur, &DecodeLimits::default()).unwrap();
    let want_names: Vec<&str> = expected.iter().map(|e| e.0).collect();
    let want_types: Vec<&str> = expected.iter().map(|e| e.1).collect();
    assert_eq!(names, want_names);
    assert_eq!(types, want_types);
    let columns = expected
        .iter()
        .map(|(n, _, t)| ((*n).to_owned(), t.clone()))
        .collect();
    (columns, cur.position())
}

fn b(t: DataType) -> Box<DataType> {
    Box::new(t)
}

fn unnamed(types: Vec<DataType>) -> DataType {
    DataType::Tuple(
        types
            .into_iter()
            .map(|ty| TupleElement { name: None, ty })
            .collect(),
    )
}

fn scalar_columns() -> Vec<(&'static str, &'static str, DataType)> {
    use DataType::*;
    let utc = || Some("UTC".to_owned());
    vec![
        ("i8", "Int8", Int8),
        ("i16", "Int16", Int16),
        ("i32", "Int32", Int32),
        ("i64", "Int64", Int64),
        ("i128", "Int128", Int128),
        ("i256", "Int256", Int256),
        ("u8", "UInt8", UInt8),
        ("u16", "UInt16", UInt16),
        ("u32", "UInt32", UInt32),
        ("u64", "UInt64", UInt64),
        ("u128", "UInt128", UInt128),
        ("u256", "UInt256", UInt256),
        ("f32", "Float32", Float32),
        ("f64", "Float64", Float64),
        ("bf16", "BFloat16", BFloat16),
        ("b", "Bool", Bool),
        ("s", "String", String),
        ("fs", "FixedString(4)", FixedString(4)),
        ("uuid", "UUID", Uuid),
        ("ip4", "IPv4", IPv4),
        ("ip6", "IPv6", IPv6),
        ("d", "Date", Date),
        ("d32", "Date32", Date32),
        ("dt", "DateTime('UTC')", DateTime(utc())),
        ("dt64", "DateTime64(3, 'UTC')", DateTime64(3, utc())),
        (
            "dec32",
            "Decimal(9, 2)",
            Decimal {
                precision: 9,
                scale: 2,
            },
        ),
        (
            "dec64",
            "Decimal(18, 4)",
            Decimal {
                precision: 18,
                scale: 4,
            },
        ),
        (
            "dec128",
            "Decimal(38, 10)",
            Decimal {
                precision: 38,
                scale: 10,
            },
        ),
        (
            "dec256",
            "Decimal(76, 20)",
            Decimal {
                precision: 76,
                scale: 20,
            },
        ),
        (
            "e8",
            "Enum8('b' = -2, 'a' = 1)",
            Enum8(vec![("b".into(), -2), ("a".into(), 1)]),
        ),
        (
            "e16",
            "Enum16('y' = -1000, 'x' = 1000)",
            Enum16(vec![("y".into(), -1000), ("x".into(), 1000)]),
        ),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[allow(non_camel_case_types)]
enum Letter {
    a,
    b,
}

#[derive(Debug, PartialEq, Row, Serialize, Deserialize)]
struct Scalars<'a> {
    i8: i8,
    i16: i16,
    i32: i32,
    i64: i64,
    i128: i128,
    i256: [u8; 32],
    u8: u8,
    u16: u16,
    u32: u32,
    u64: u64,
    u128: u128,
    #[serde(with = "serde_bytes")]
    u256: [u8; 32],
    f32: f32,
    f64: f64,
    bf16: f32,
    b: bool,
    s: &'a str,
    fs: [u8; 4],
    uuid: uuid::Uuid,
    ip4: Ipv4Addr,
    ip6: Ipv6Addr,
    d: u16,
    d32: i32,
    dt: u32,
    dt64: i64,
    dec32: i32,
    dec64: i64,
    dec128: i128,
    dec256: [u8; 32],
    e8: Letter,
    e16: i16,
}

fn le256(v: i128) -> [u8; 32] {
    let mut out = if v < 0 { [0xff; 32] } else { [0; 32] };
    out[..16].copy_from_slice(&v.to_le_bytes());
    out
}

#[test]
fn scalars_decode_into_native_types() {
    let bin = golden("scalars");
    let (columns, body) = header(&bin, &scalar_columns());
    let decoder = RowDecoder::new::<Scalars>(&columns).unwrap();
    assert!(!decoder.is_reordered());
    let (rows, used) = decoder.decode_all::<Scalars>(&bin[body..]).unwrap();
    assert_eq!(used, bin.len() - body);
    assert_eq!(rows.len(), 2);

    let r = &rows[0];
    assert_eq!(
        (r.i8, r.i16, r.i32, r.i64, r.i128),
        (-8, -16, -32, -64, -128)
    );
    assert_eq!(r.i256, le256(-256));
    assert_eq!((r.u8, r.u16, r.u32, r.u64, r.u128), (8, 16, 32, 64, 128));
    assert_eq!(r.u256, le256(256));
    assert_eq!((r.f32, r.f64, r.bf16, r.b), (1.5, -2.25, 3.5, true));
    assert_eq!(r.s, "hello");
    assert_eq!(&r.fs, b"ab\0\0");
    assert_eq!(
        r.uuid,
        uuid::Uuid::parse_str("00112233-4455-6677-8899-aabbccddeeff").unwrap()
    );
    assert_eq!(r.ip4, Ipv4Addr::new(1, 2, 3, 4));
    assert_eq!(r.ip6, "2001:db8::1".parse::<Ipv6Addr>().unwrap());
    assert_eq!((r.d, r.d32), (19782, -25567));
    assert_eq!((r.dt, r.dt64), (1_709_210_096, 1_709_210_096_789));
    assert_eq!(
        (r.dec32, r.dec64, r.dec128),
        (12345, -12345, 123_456_789_000_000_000)
    );
    assert_eq!(r.dec256, le256(150_000_000_000_000_000_000));
    assert_eq!((r.e8, r.e16), (Letter::a, 1000));

    let r = &rows[1];
    assert_eq!(
        (r.i8, r.i16, r.i32, r.i64, r.i128),
        (i8::MAX, i16::MAX, i32::MAX, i64::MAX, i128::MAX)
    );
    let mut i256_min = [0u8; 32];
    i256_min[31] = 0x80;
    assert_eq!(r.i256, i256_min);
    assert_eq!(
        (r.u8, r.u16, r.u32, r.u64, r.u128),
        (u8::MAX, u16::MAX, u32::MAX, u64::MAX, u128::MAX)
    );
    assert_eq!(r.u256, [0xff; 32]);
    assert!(r.f32 == 0.0 && r.f32.is_sign_negative());
    assert_eq!((r.f64, r.bf16, r.b), (1e300, -1.0, false));
    assert_eq!(r.s, "wörld");
    assert_eq!(&r.fs, b"abcd");
    assert_eq!(
        r.uuid,
        uuid::Uuid::parse_str("ffffffff-ffff-ffff-ffff-fffffffffffe").unwrap()
    );
    assert_eq!(r.ip4, Ipv4Addr::new(255, 255, 255, 0));
    assert_eq!(r.ip6, "::ffff:1.2.3.4".parse::<Ipv6Addr>().unwrap());
    assert_eq!((r.d, r.d32, r.dt, r.dt64), (0, 120_529, 0, -1));
    assert_eq!(
        (r.dec32, r.dec64, r.dec128),
        (-1, 999_999_999_999_999_999, -10_000_000_000)
    );
    assert_eq!(r.dec256, le256(-1));
    assert_eq!((r.e8, r.e16), (Letter::b, -1000));
}

/// The same columns through the alternative mappings.
#[derive(Debug, PartialEq, Row, Deserialize)]
struct ScalarsAlt {
    i8: i8,
    i16: i16,
    i32: i32,
    i64: i64,
    i128: i128,
    #[serde(with = "serde_bytes")]
    i256: Vec<u8>,
    u8: u8,
    u16: u16,
    u32: u32,
    u64: u64,
    u128: u128,
    u256: serde::de::IgnoredAny,
    f32: f32,
    f64: f64,
    bf16: f32,
    b: u8,
    s: String,
    fs: String,
    uuid: u128,
    ip4: u32,
    ip6: [u8; 16],
    d: u16,
    d32: i32,
    dt: u32,
    dt64: i64,
    dec32: i32,
    dec64: i64,
    dec128: i128,
    #[serde(with = "serde_bytes")]
    dec256: Vec<u8>,
    e8: i8,
    e16: String,
}

#[test]
fn scalars_decode_into_alternative_types() {
    let bin = golden("scalars");
    let (columns, body) = header(&bin, &scalar_columns());
    let decoder = RowDecoder::new::<ScalarsAlt>(&columns).unwrap();
    let (rows, _) = decoder.decode_all::<ScalarsAlt>(&bin[body..]).unwrap();
    let r = &rows[0];
    assert_eq!(r.i256, le256(-256).to_vec());
    assert_eq!(r.b, 1);
    assert_eq!((r.s.as_str(), r.fs.as_str()), ("hello", "ab"));
    assert_eq!(r.uuid, 0x0011_2233_4455_6677_8899_aabb_ccdd_eeff);
    assert_eq!(r.ip4, 0x0102_0304);
    assert_eq!(r.ip6[..2], [0x20, 0x01]);
    assert_eq!((r.e8, r.e16.as_str()), (1, "x"));
    let r = &rows[1];
    assert_eq!(r.fs, "abcd");
    assert_eq!(r.uuid, u128::MAX - 1);
    assert_eq!((r.e8, r.e16.as_str()), (-2, "y"));
}

#[test]
fn uuid_reads_as_string() {
    #[derive(Deserialize)]
    struct U {
        uuid: String,
    }
    let cols = vec![("uuid".to_owned(), DataType::Uuid)];
    let bin = golden("scalars");
    // The UUID of the first row, as it sits on the wire.
    let wire = &bin[0x254..0x264];
    let u: U = RowDecoder::positional(&cols)
        .decode(&mut ByteCursor::new(wire))
        .unwrap();
    assert_eq!(u.uuid, "00112233-4455-6677-8899-aabbccddeeff");
}

#[test]
fn scalars_encode_to_the_server_bytes() {
    let bin = golden("scalars");
    let (columns, body) = header(&bin, &scalar_columns());
    let decoder = RowDecoder::new::<Scalars>(&columns).unwrap();
    let (rows, _) = decoder.decode_all::<Scalars>(&bin[body..]).unwrap();
    let encoder = RowEncoder::new::<Scalars>(&columns).unwrap();
    let mut out = Vec::new();
    for row in &rows {
        encoder.encode(row, &mut out).unwrap();
    }
    assert_eq!(out, &bin[body..]);
}

fn compound_columns() -> Vec<(&'static str, &'static str, DataType)> {
    use DataType::*;
    vec![
        ("n_u8", "Nullable(UInt8)", Nullable(b(UInt8))),
        ("n_s", "Nullable(String)", Nullable(b(String))),
        ("arr", "Array(UInt32)", Array(b(UInt32))),
        (
            "arr_n",
            "Array(Nullable(String))",
            Array(b(Nullable(b(String)))),
        ),
        ("tup", "Tuple(UInt8, String)", unnamed(vec![UInt8, String])),
        (
            "named",
            "Tuple(a Int32, b String)",
            Tuple(vec![
                TupleElement {
                    name: Some("a".into()),
                    ty: Int32,
                },
                TupleElement {
                    name: Some("b".into()),
                    ty: String,
                },
            ]),
        ),
        ("m", "Map(String, UInt64)", Map(b(String), b(UInt64))),
        (
            "m_arr",
            "Map(UInt8, Array(String))",
            Map(b(UInt8), b(Array(b(String)))),
        ),
        ("lc", "LowCardinality(String)", LowCardinality(b(String))),
        (
            "lc_n",
            "LowCardinality(Nullable(String))",
            LowCardinality(b(Nullable(b(String)))),
        ),
        ("pt", "Point", Point),
        ("ring", "Ring", Ring),
        ("nested", "Array(Array(Int16))", Array(b(Array(b(Int16))))),
    ]
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Named {
    a: i32,
    b: String,
}

#[derive(Debug, PartialEq, Row, Serialize, Deserialize)]
struct Compound<'a> {
    n_u8: Option<u8>,
    #[serde(borrow)]
    n_s: Option<&'a str>,
    arr: Vec<u32>,
    arr_n: Vec<Option<String>>,
    tup: (u8, String),
    named: Named,
    m: BTreeMap<String, u64>,
    m_arr: BTreeMap<u8, Vec<String>>,
    lc: String,
    lc_n: Option<String>,
    pt: (f64, f64),
    ring: Vec<(f64, f64)>,
    nested: Vec<Vec<i16>>,
}

#[test]
fn compound_types_decode_and_encode() {
    let bin = golden("compound");
    let (columns, body) = header(&bin, &compound_columns());
    let decoder = RowDecoder::new::<Compound>(&columns).unwrap();
    let (rows, _) = decoder.decode_all::<Compound>(&bin[body..]).unwrap();
    let s = |v: &str| v.to_owned();
    assert_eq!(
        rows[0],
        Compound {
            n_u8: None,
            n_s: Some("x"),
            arr: vec![1, 2, 3],
            arr_n: vec![Some(s("a")), None, Some(s("c"))],
            tup: (7, s("seven")),
            named: Named {
                a: -1,
                b: s("minus")
            },
            m: BTreeMap::from([(s("k1"), 1), (s("k2"), 2)]),
            m_arr: BTreeMap::from([(1, vec![s("one")]), (2, vec![])]),
            lc: s("low"),
            lc_n: None,
            pt: (1.5, -2.5),
            ring: vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)],
            nested: vec![vec![1, -2], vec![], vec![3]],
        }
    );
    assert_eq!(
        rows[1],
        Compound {
            n_u8: Some(200),
            n_s: None,
            arr: vec![],
            arr_n: vec![],
            tup: (0, s("")),
            named: Named {
                a: i32::MAX,
                b: s("max")
            },
            m: BTreeMap::new(),
            m_arr: BTreeMap::new(),
            lc: s(""),
            lc_n: Some(s("some")),
            pt: (0.0, 0.0),
            ring: vec![],
            nested: vec![],
        }
    );

    let encoder = RowEncoder::new::<Compound>(&columns).unwrap();
    let mut out = Vec::new();
    for row in &rows {
        encoder.encode(row, &mut out).unwrap();
    }
    assert_eq!(out, &bin[body..]);
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Xy {
    x: f64,
    y: f64,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Swapped {
    b: String,
    a: i32,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Pair(u8, String);

/// Maps as `Vec<(K, V)>`/`HashMap`, named tuples into structs in another field order, unnamed
/// tuples into tuple structs, `Point` into a struct, bytes as `Vec<u8>`.
#[derive(Debug, PartialEq, Row, Serialize, Deserialize)]
struct CompoundAlt {
    n_u8: Option<i16>,
    n_s: Option<Vec<u8>>,
    arr: Vec<u32>,
    arr_n: Vec<Option<String>>,
    tup: Pair,
    named: Swapped,
    m: Vec<(String, u64)>,
    m_arr: HashMap<u8, Vec<String>>,
    lc: String,
    lc_n: Option<String>,
    pt: Xy,
    ring: Vec<Xy>,
    nested: Vec<Vec<i16>>,
}

#[test]
fn compound_types_decode_into_alternative_types() {
    let bin = golden("compound");
    let (columns, body) = header(&bin, &compound_columns());
    let decoder = RowDecoder::new::<CompoundAlt>(&columns).unwrap();
    let mut cur = ByteCursor::new(&bin[body..]);

    let r: CompoundAlt = decoder.decode(&mut cur).unwrap();
    assert_eq!(r.n_u8, None);
    assert_eq!(r.n_s.as_deref(), Some(&b"x"[..]));
    assert_eq!(r.tup, Pair(7, "seven".into()));
    assert_eq!(
        r.named,
        Swapped {
            b: "minus".into(),
            a: -1
        }
    );
    assert_eq!(r.m, vec![("k1".into(), 1), ("k2".into(), 2)]);
    assert_eq!(r.m_arr[&1], vec!["one".to_owned()]);
    assert_eq!(r.lc_n, None);
    assert_eq!(r.pt, Xy { x: 1.5, y: -2.5 });
    assert_eq!(r.ring[2], Xy { x: 1.0, y: 1.0 });
    assert_eq!(r.nested, vec![vec![1, -2], vec![], vec![3]]);

    // n_u8 is Nullable(UInt8) and i16 the wrong Rust type; the first row's NULL did not
    // reach the inner type, the second row's value does.
    let row2 = cur.position();
    let err = decoder.decode::<CompoundAlt>(&mut cur).unwrap_err();
    assert_eq!(
        err,
        RowError::SchemaMismatch {
            column: "n_u8".into(),
            expected: "i16".into(),
            actual: DataType::UInt8.to_string(),
        }
    );
    assert_eq!(cur.position(), row2, "cursor rewound on error");

    #[derive(Debug, Row, Deserialize)]
    struct Skipping {
        n_u8: Option<u8>,
        #[serde(rename = "n_s")]
        _n_s: serde::de::IgnoredAny,
        #[serde(rename = "arr")]
        _arr: serde::de::IgnoredAny,
        #[serde(rename = "arr_n")]
        _arr_n: serde::de::IgnoredAny,
        #[serde(rename = "tup")]
        _tup: serde::de::IgnoredAny,
        named: (i32, String),
        #[serde(rename = "m")]
        _m: serde::de::IgnoredAny,
        #[serde(rename = "m_arr")]
        _m_arr: serde::de::IgnoredAny,
        #[serde(rename = "lc")]
        _lc: serde::de::IgnoredAny,
        lc_n: Option<String>,
        #[serde(rename = "pt")]
        _pt: serde::de::IgnoredAny,
        #[serde(rename = "ring")]
        _ring: serde::de::IgnoredAny,
        #[serde(rename = "nested")]
        _nested: serde::de::IgnoredAny,
    }
    let decoder = RowDecoder::new::<Skipping>(&columns).unwrap();
    let r: Skipping = decoder.decode(&mut cur).unwrap();
    assert_eq!(r.n_u8, Some(200));
    assert_eq!(r.named, (i32::MAX, "max".to_owned()));
    assert_eq!(r.lc_n.as_deref(), Some("some"));
    assert!(cur.is_empty());
}

#[derive(Debug, PartialEq, Row, Serialize, Deserialize)]
struct FixedArrays {
    arr: [u32; 3],
    grid: [[i16; 2]; 1],
    m: [(String, u8); 1],
}

/// `[T; N]` reads and writes an `Array(T)` (or a map's entries) of exactly N elements; another
/// length is an error naming the column, found before any element is read.
#[test]
fn fixed_size_arrays_read_and_write_exactly_n_elements() {
    use DataType::*;
    let columns = vec![
        ("arr".to_owned(), Array(b(UInt32))),
        ("grid".to_owned(), Array(b(Array(b(Int16))))),
        ("m".to_owned(), Map(b(String), b(UInt8))),
    ];
    let row = FixedArrays {
        arr: [1, 2, 3],
        grid: [[-1, 2]],
        m: [("k".into(), 7)],
    };
    let mut out = Vec::new();
    RowEncoder::new::<FixedArrays>(&columns)
        .unwrap()
        .encode(&row, &mut out)
        .unwrap();
    let arr = [3, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0];
    let rest = [1, 2, 0xff, 0xff, 2, 0, 1, 1, b'k', 7];
    assert_eq!(out, [&arr[..], &rest].concat());
    let decoder = RowDecoder::new::<FixedArrays>(&columns).unwrap();
    let back: FixedArrays = decoder.decode(&mut ByteCursor::new(&out)).unwrap();
    assert_eq!(back, row);

    let short = [&[2, 1, 0, 0, 0, 2, 0, 0, 0][..], &rest].concat();
    let mut cur = ByteCursor::new(&short);
    assert_eq!(
        decoder.decode::<FixedArrays>(&mut cur).unwrap_err(),
        RowError::InvalidValue {
            column: "arr".into(),
            reason: "Array(UInt32) has 2 elements, the Rust type holds exactly 3".into(),
        }
    );
    assert_eq!(cur.position(), 0, "cursor rewound on error");
    let long_inner = [&arr[..], &[1, 3, 1, 0, 2, 0, 3, 0, 1, 1, b'k', 7]].concat();
    assert_eq!(
        decoder
            .decode::<FixedArrays>(&mut ByteCursor::new(&long_inner))
            .unwrap_err(),
        RowError::InvalidValue {
            column: "grid[]".into(),
            reason: "Array(Int16) has 3 elements, the Rust type holds exactly 2".into(),
        }
    );
    // A hostile length is refused by the collection limit, not by allocating.
    let huge = [0xff, 0xff, 0xff, 0xff, 0x0f];
    let e = decoder
        .decode::<FixedArrays>(&mut ByteCursor::new(&huge))
        .unwrap_err();
    assert!(matches!(e, RowError::Decode(_)), "{e:?}");
}

/// Struct fields are matched to named tuple elements and `Nested` fields by name when writing,
/// as when reading: a struct in another field order writes the same bytes as one in column
/// order; a field that names no element (or one twice) is an error naming the column.
#[test]
fn named_tuples_and_nested_rows_are_written_by_name() {
    use DataType::*;
    let element = |name: &str, ty: DataType| TupleElement {
        name: Some(name.into()),
        ty,
    };
    let columns = vec![
        (
            "t".to_owned(),
            Tuple(vec![
                element("a", Int32),
                element("b", String),
                element("c", UInt8),
            ]),
        ),
        (
            "n".to_owned(),
            Nested(vec![("x".into(), UInt8), ("y".into(), String)]),
        ),
    ];
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Abc {
        a: i32,
        b: std::string::String,
        c: u8,
    }
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Xy {
        x: u8,
        y: std::string::String,
    }
    #[derive(Debug, PartialEq, Row, Serialize)]
    struct InOrder {
        t: Abc,
        n: Vec<Xy>,
    }
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Cab {
        c: u8,
        a: i32,
        b: std::string::String,
    }
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Yx {
        y: std::string::String,
        x: u8,
    }
    #[derive(Debug, PartialEq, Row, Serialize, Deserialize)]
    struct Shuffled {
        t: Cab,
        n: Vec<Yx>,
    }
    fn encode<T: Row + Serialize>(
        columns: &[(std::string::String, DataType)],
        row: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), RowError> {
        RowEncoder::new::<T>(columns)?.encode(row, out)
    }
    let mut in_order = Vec::new();
    encode(
        &columns,
        &InOrder {
            t: Abc {
                a: -2,
                b: "bee".into(),
                c: 3,
            },
            n: vec![
                Xy {
                    x: 1,
                    y: "one".into(),
                },
                Xy { x: 2, y: "".into() },
            ],
        },
        &mut in_order,
    )
    .unwrap();
    let shuffled = Shuffled {
        t: Cab {
            c: 3,
            a: -2,
            b: "bee".into(),
        },
        n: vec![
            Yx {
                y: "one".into(),
                x: 1,
            },
            Yx { y: "".into(), x: 2 },
        ],
    };
    let mut out = Vec::new();
    encode(&columns, &shuffled, &mut out).unwrap();
    assert_eq!(out, in_order);
    let back: Shuffled = RowDecoder::new::<Shuffled>(&columns)
        .unwrap()
        .decode(&mut ByteCursor::new(&out))
        .unwrap();
    assert_eq!(back, shuffled);

    #[derive(Serialize, Row)]
    struct Unknown {
        t: Abd,
        n: Vec<Xy>,
    }
    #[derive(Serialize)]
    struct Abd {
        b: std::string::String,
        d: u8,
        a: i32,
    }
    let mut out = vec![9];
    let e = encode(
        &columns,
        &Unknown {
            t: Abd {
                b: "b".into(),
                d: 1,
                a: 1,
            },
            n: vec![],
        },
        &mut out,
    )
    .unwrap_err();
    assert_eq!(
        e,
        RowError::InvalidValue {
            column: "t".into(),
            reason: "field `d` matches no element by name; not written yet: `a`, `c`".into(),
        }
    );
    assert_eq!(out, [9], "output untouched on error");

    /// Writes element `a` twice (serde's derive cannot).
    struct Twice;
    impl Serialize for Twice {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeStruct;
            let mut st = s.serialize_struct("Twice", 3)?;
            st.serialize_field("b", "b")?;
            st.serialize_field("a", &1i32)?;
            st.serialize_field("a", &2i32)?;
            st.end()
        }
    }
    #[derive(Serialize, Row)]
    struct WithTwice {
        t: Twice,
        n: Vec<Xy>,
    }
    let e = encode(
        &columns,
        &WithTwice {
            t: Twice,
            n: vec![],
        },
        &mut out,
    )
    .unwrap_err();
    assert_eq!(
        e,
        RowError::InvalidValue {
            column: "t".into(),
            reason: "field `a` is written twice".into(),
        }
    );
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
enum V {
    Bytes(Vec<u8>),
    Text(String),
    Number(u64),
}

#[derive(Debug, PartialEq, Row, Serialize, Deserialize)]
struct VariantRow {
    id: u8,
    v: Option<V>,
}

#[test]
fn variant_decodes_by_alternative_index() {
    use DataType::*;
    let bin = golden("variant");
    let (columns, body) = header(
        &bin,
        &[
            ("id", "UInt8", UInt8),
            (
                "v",
                "Variant(Array(UInt8), String, UInt64)",
                Variant(vec![Array(b(UInt8)), String, UInt64]),
            ),
        ],
    );
    let decoder = RowDecoder::new::<VariantRow>(&columns).unwrap();
    let (rows, _) = decoder.decode_all::<VariantRow>(&bin[body..]).unwrap();
    assert_eq!(
        rows,
        vec![
            VariantRow {
                id: 1,
                v: Some(V::Text("text".into()))
            },
            VariantRow {
                id: 2,
                v: Some(V::Number(42))
            },
            VariantRow { id: 3, v: None },
            VariantRow {
                id: 4,
                v: Some(V::Bytes(vec![1, 2]))
            },
        ]
    );
    let encoder = RowEncoder::new::<VariantRow>(&columns).unwrap();
    let mut out = Vec::new();
    for row in &rows {
        encoder.encode(row, &mut out).unwrap();
    }
    assert_eq!(out, &bin[body..]);
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Ab {
    a: u8,
    b: String,
}

#[derive(Debug, PartialEq, Row, Serialize, Deserialize)]
struct NestedRow {
    n: Vec<Ab>,
    lcm: HashMap<String, Vec<u16>>,
}

#[test]
fn nested_decodes_as_vec_of_structs() {
    use DataType::*;
    let bin = golden("nested");
    let (columns, body) = header(
        &bin,
        &[
            (
                "n",
                "Nested(a UInt8, b String)",
                Nested(vec![("a".into(), UInt8), ("b".into(), String)]),
            ),
            (
                "lcm",
                "Map(LowCardinality(String), Array(UInt16))",
                Map(b(LowCardinality(b(String))), b(Array(b(UInt16)))),
            ),
        ],
    );
    let decoder = RowDecoder::new::<NestedRow>(&columns).unwrap();
    let (rows, _) = decoder.decode_all::<NestedRow>(&bin[body..]).unwrap();
    assert_eq!(
        rows,
        vec![NestedRow {
            n: vec![
                Ab {
                    a: 1,
                    b: "x".into()
                },
                Ab {
                    a: 2,
                    b: "y".into()
                }
            ],
            lcm: HashMap::from([("a".into(), vec![1, 2])]),
        }]
    );
    let encoder = RowEncoder::new::<NestedRow>(&columns).unwrap();
    let mut out = Vec::new();
    encoder.encode(&rows[0], &mut out).unwrap();
    assert_eq!(out, &bin[body..]);
}

fn numbers_columns() -> Vec<(&'static str, &'static str, DataType)> {
    vec![
        ("id", "UInt64", DataType::UInt64),
        ("name", "String", DataType::String),
        (
            "list",
            "Array(UInt64)",
            DataType::Array(b(DataType::UInt64)),
        ),
    ]
}

#[derive(Debug, PartialEq, Row, Serialize, Deserialize)]
struct Num<'a> {
    id: u64,
    name: &'a str,
    list: Vec<u64>,
}

fn expected_num(i: u64) -> (u64, String, Vec<u64>) {
    (i, (i * 7).to_string(), (0..i % 4).collect())
}

#[test]
fn incomplete_rows_report_need_more_at_every_split() {
    let bin = golden("numbers");
    let (columns, body) = header(&bin, &numbers_columns());
    let rows = &bin[body..];
    let decoder = RowDecoder::new::<Num>(&columns).unwrap();
    for cut in 0..=rows.len() {
        // Decode what the first chunk holds, then continue from the kept tail plus the rest.
        let (first, used) = decoder.decode_all::<Num>(&rows[..cut]).unwrap();
        let mut tail = rows[used..cut].to_vec();
        if !tail.is_empty() {
            let err = decoder
                .decode::<Num>(&mut ByteCursor::new(&tail))
                .unwrap_err();
            assert!(err.is_incomplete(), "cut {cut}: {err}");
        }
        tail.extend_from_slice(&rows[cut..]);
        let (second, used2) = decoder.decode_all::<Num>(&tail).unwrap();
        assert_eq!(used2, tail.len());
        assert_eq!(first.len() + second.len(), 50, "cut {cut}");
        for (i, r) in first.iter().chain(second.iter()).enumerate() {
            let (id, name, list) = expected_num(i as u64);
            assert_eq!((r.id, r.name, &r.list), (id, name.as_str(), &list));
        }
    }
}

#[test]
fn reordered_struct_is_matched_by_name() {
    #[derive(Debug, Row, Deserialize)]
    struct Reordered {
        list: Vec<u64>,
        name: String,
        id: u64,
    }
    let bin = golden("numbers");
    let (columns, body) = header(&bin, &numbers_columns());
    let decoder = RowDecoder::new::<Reordered>(&columns).unwrap();
    assert!(decoder.is_reordered());
    let (rows, _) = decoder.decode_all::<Reordered>(&bin[body..]).unwrap();
    for (i, r) in rows.iter().enumerate() {
        let (id, name, list) = expected_num(i as u64);
        assert_eq!((r.id, &r.name, &r.list), (id, &name, &list));
    }
}

#[test]
fn tuples_and_single_values_decode_positionally() {
    let bin = golden("numbers");
    let (columns, body) = header(&bin, &numbers_columns());
    let decoder = RowDecoder::positional(&columns);
    let (rows, _) = decoder
        .decode_all::<(u64, String, Vec<u64>)>(&bin[body..])
        .unwrap();
    assert_eq!(rows[5], expected_num(5));

    let one = vec![("id".to_owned(), DataType::UInt64)];
    let mut cur = ByteCursor::new(&[42, 0, 0, 0, 0, 0, 0, 0]);
    let v: u64 = RowDecoder::positional(&one).decode(&mut cur).unwrap();
    assert_eq!(v, 42);
}

#[test]
fn serde_rename_names_the_column() {
    #[derive(Debug, Row, Deserialize)]
    struct Renamed {
        #[serde(rename = "id")]
        number: u64,
        name: String,
        #[serde(rename = "list")]
        items: Vec<u64>,
    }
    assert_eq!(Renamed::COLUMN_NAMES, ["id", "name", "list"]);
    assert_eq!(Renamed::NAME, "Renamed");
    let bin = golden("numbers");
    let (columns, body) = header(&bin, &numbers_columns());
    let decoder = RowDecoder::new::<Renamed>(&columns).unwrap();
    let mut cur = ByteCursor::new(&bin[body..]);
    decoder.decode::<Renamed>(&mut cur).unwrap();
    let r: Renamed = decoder.decode(&mut cur).unwrap();
    assert_eq!((r.number, r.name.as_str(), r.items), (1, "7", vec![0]));
}

#[test]
fn wrong_column_names_are_reported_before_decoding() {
    #[derive(Debug, Row, Deserialize)]
    #[allow(dead_code)]
    struct WrongName {
        idx: u64,
        name: String,
        list: Vec<u64>,
    }
    let columns: Vec<(String, DataType)> = numbers_columns()
        .into_iter()
        .map(|(n, _, t)| (n.to_owned(), t))
        .collect();
    let err = RowDecoder::new::<WrongName>(&columns).unwrap_err();
    assert_eq!(
        err,
        RowError::Columns {
            row: "WrongName",
            expected: vec!["idx".into(), "name".into(), "list".into()],
            actual: vec!["id".into(), "name".into(), "list".into()],
        }
    );
    let msg = err.to_string();
    assert!(msg.contains("not found on the server: idx"), "{msg}");
    assert!(msg.contains("not in the row type: id"), "{msg}");
}

#[test]
fn wrong_column_count_is_reported() {
    #[derive(Debug, Row, Deserialize)]
    #[allow(dead_code)]
    struct TooFew {
        id: u64,
        name: String,
    }
    let columns: Vec<(String, DataType)> = numbers_columns()
        .into_iter()
        .map(|(n, _, t)| (n.to_owned(), t))
        .collect();
    let err = RowDecoder::new::<TooFew>(&columns).unwrap_err();
    assert!(
        matches!(&err, RowError::Columns { expected, actual, .. } if expected.len() == 2 && actual.len() == 3)
    );
    assert!(
        err.to_string().contains("not in the row type: list"),
        "{err}"
    );

    // Positional decoding checks the count when the row is read.
    let err = RowDecoder::positional(&columns)
        .decode::<(u64, String)>(&mut ByteCursor::new(&golden("numbers")))
        .unwrap_err();
    assert_eq!(
        err,
        RowError::SchemaMismatch {
            column: "*".into(),
            expected: "2 columns".into(),
            actual: "3 columns".into()
        }
    );
}

#[test]
fn wrong_types_name_column_expectation_and_type() {
    #[derive(Debug, Row, Deserialize)]
    #[allow(dead_code)]
    struct WrongType {
        id: u32,
        name: String,
        list: Vec<u64>,
    }
    #[derive(Debug, Row, Deserialize)]
    #[allow(dead_code)]
    struct WrongElement {
        id: u64,
        name: String,
        list: Vec<i32>,
    }
    #[derive(Debug, Row, Deserialize)]
    #[allow(dead_code)]
    struct NotAString {
        id: String,
        name: String,
        list: Vec<u64>,
    }
    let bin = golden("numbers");
    let (columns, body) = header(&bin, &numbers_columns());
    let rows = &bin[body..];

    let err = RowDecoder::new::<WrongType>(&columns)
        .unwrap()
        .decode::<WrongType>(&mut ByteCursor::new(rows))
        .unwrap_err();
    assert_eq!(
        err,
        RowError::SchemaMismatch {
            column: "id".into(),
            expected: "u32".into(),
            actual: DataType::UInt64.to_string()
        }
    );
    assert!(err.to_string().contains("column `id`"));

    let err = RowDecoder::new::<WrongElement>(&columns)
        .unwrap()
        .decode_all::<WrongElement>(rows)
        .unwrap_err();
    assert_eq!(
        err,
        RowError::SchemaMismatch {
            column: "list[]".into(),
            expected: "i32".into(),
            actual: DataType::UInt64.to_string()
        }
    );

    let err = RowDecoder::new::<NotAString>(&columns)
        .unwrap()
        .decode::<NotAString>(&mut ByteCursor::new(rows))
        .unwrap_err();
    assert!(
        matches!(&err, RowError::SchemaMismatch { column, expected, .. } if column == "id" && expected == "string")
    );
}

#[test]
fn nullable_column_needs_option() {
    #[derive(Debug, Row, Deserialize)]
    #[allow(dead_code)]
    struct NoOption {
        n: u8,
    }
    let cols = vec![("n".to_owned(), DataType::Nullable(b(DataType::UInt8)))];
    let err = RowDecoder::new::<NoOption>(&cols)
        .unwrap()
        .decode::<NoOption>(&mut ByteCursor::new(&[0, 5]))
        .unwrap_err();
    assert_eq!(
        err,
        RowError::SchemaMismatch {
            column: "n".into(),
            expected: "u8".into(),
            actual: cols[0].1.to_string()
        }
    );
}

#[test]
fn encoder_checks_types_and_leaves_output_untouched_on_error() {
    #[derive(Row, Serialize)]
    struct Insert<'a> {
        name: &'a str,
        id: u64,
    }
    #[derive(Row, Serialize)]
    struct BadInsert {
        id: i32,
    }
    #[derive(Row, Serialize)]
    struct Unknown {
        nope: u8,
    }
    let table: Vec<(String, DataType)> = numbers_columns()
        .into_iter()
        .map(|(n, _, t)| (n.to_owned(), t))
        .collect();

    let enc = RowEncoder::new::<Insert>(&table).unwrap();
    assert_eq!(enc.insert_columns(), "(`name`, `id`)");
    let mut out = vec![0xAA];
    enc.encode(&Insert { name: "ab", id: 1 }, &mut out).unwrap();
    assert_eq!(out, [0xAA, 2, b'a', b'b', 1, 0, 0, 0, 0, 0, 0, 0]);

    let enc = RowEncoder::new::<BadInsert>(&table).unwrap();
    let mut out = vec![0xAA];
    let err = enc.encode(&BadInsert { id: 1 }, &mut out).unwrap_err();
    assert_eq!(
        err,
        RowError::SchemaMismatch {
            column: "id".into(),
            expected: "i32".into(),
            actual: DataType::UInt64.to_string()
        }
    );
    assert_eq!(out, [0xAA]);

    assert!(matches!(
        RowEncoder::new::<Unknown>(&table),
        Err(RowError::Columns { row: "Unknown", .. })
    ));
}

#[test]
fn encoder_rejects_values_the_column_cannot_hold() {
    let cols = vec![
        ("fs".to_owned(), DataType::FixedString(2)),
        ("n".to_owned(), DataType::UInt8),
        (
            "e".to_owned(),
            DataType::Enum8(vec![("a".into(), 1), ("b".into(), 2)]),
        ),
    ];
    let enc = RowEncoder::positional(&cols);
    let mut out = Vec::new();
    enc.encode(&("a", 1u8, "b"), &mut out).unwrap();
    assert_eq!(out, [b'a', 0, 1, 2]);

    let err = enc.encode(&("abc", 1u8, "a"), &mut out).unwrap_err();
    assert!(
        matches!(&err, RowError::InvalidValue { column, .. } if column == "fs"),
        "{err}"
    );
    let err = enc.encode(&("a", None::<u8>, "a"), &mut out).unwrap_err();
    assert!(
        matches!(&err, RowError::SchemaMismatch { column, .. } if column == "n"),
        "{err}"
    );
    let err = enc.encode(&("a", 1u8, "c"), &mut out).unwrap_err();
    assert!(
        matches!(&err, RowError::InvalidValue { column, .. } if column == "e"),
        "{err}"
    );
    let err = enc.encode(&("a", 1u8, 3i8), &mut out).unwrap_err();
    assert!(
        matches!(&err, RowError::InvalidValue { column, .. } if column == "e"),
        "{err}"
    );
    assert_eq!(out, [b'a', 0, 1, 2]);
}

#[test]
fn invalid_utf8_into_str_is_an_error_not_a_panic() {
    let cols = vec![("s".to_owned(), DataType::String)];
    let input = [2u8, 0xff, 0xfe];
    let err = RowDecoder::positional(&cols)
        .decode::<(String,)>(&mut ByteCursor::new(&input))
        .unwrap_err();
    assert!(
        matches!(&err, RowError::InvalidValue { column, .. } if column == "s"),
        "{err}"
    );
    let bytes: (serde_bytes::ByteBuf,) = RowDecoder::positional(&cols)
        .decode(&mut ByteCursor::new(&input))
        .unwrap();
    assert_eq!(bytes.0.as_slice(), [0xff, 0xfe]);
}

/// `Vec<u8>` asks for a sequence of bytes: values of many lengths, on both sides of the small
/// buffer that byte shapes needing reordering (`UUID`, `IPv4`) are staged in (a borrowed value
/// longer than that buffer was sliced out of it: a panic).
#[test]
fn byte_strings_of_any_length_read_into_vec_u8() {
    for len in [0usize, 1, 31, 32, 33, 64, 1000, 70_000] {
        let value: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let mut input = Vec::new();
        chwire_proto::wire::put_varuint(&mut input, len as u64);
        input.extend_from_slice(&value);
        let cols = vec![("s".to_owned(), DataType::String)];
        let (got,): (Vec<u8>,) = RowDecoder::positional(&cols)
            .decode(&mut ByteCursor::new(&input))
            .unwrap();
        assert_eq!(got, value, "String of {len} bytes");

        let cols = vec![("fs".to_owned(), DataType::FixedString(len))];
        let (got,): (Vec<u8>,) = RowDecoder::positional(&cols)
            .decode(&mut ByteCursor::new(&value))
            .unwrap();
        assert_eq!(got, value, "FixedString({len})");
    }
}

/// A hand-written `Deserialize` that asks a map for three values without keys: as a struct
/// (fields matched by name) or as a `Map` column.
struct ValuesWithoutKeys<const STRUCT: bool>;

impl<'de, const STRUCT: bool> Deserialize<'de> for ValuesWithoutKeys<STRUCT> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = ();
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                for _ in 0..3 {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                Ok(())
            }
        }
        if STRUCT {
            d.deserialize_struct("S", &["b", "a"], V)?;
        } else {
            d.deserialize_map(V)?;
        }
        Ok(ValuesWithoutKeys)
    }
}

#[test]
fn map_values_without_keys_are_errors_not_panics_or_misreads() {
    let named = DataType::Tuple(vec![
        TupleElement {
            name: Some("a".into()),
            ty: DataType::UInt8,
        },
        TupleElement {
            name: Some("b".into()),
            ty: DataType::UInt8,
        },
    ]);
    let cols = vec![("t".to_owned(), named)];
    let err = RowDecoder::positional(&cols)
        .decode::<(ValuesWithoutKeys<true>,)>(&mut ByteCursor::new(&[1, 2, 3, 4]))
        .err()
        .expect("three values of two fields");
    assert!(matches!(err, RowError::InvalidValue { .. }), "{err}");

    let cols = vec![(
        "m".to_owned(),
        DataType::Map(b(DataType::UInt8), b(DataType::UInt8)),
    )];
    let err = RowDecoder::positional(&cols)
        .decode::<(ValuesWithoutKeys<false>,)>(&mut ByteCursor::new(&[1, 7, 8, 9, 9, 9]))
        .err()
        .expect("a value without its key");
    assert!(matches!(err, RowError::InvalidValue { .. }), "{err}");
}

#[test]
fn hostile_lengths_are_rejected_without_allocating() {
    let cols = vec![("a".to_owned(), DataType::Array(b(DataType::UInt8)))];
    let mut input = Vec::new();
    chwire_proto::wire::put_varuint(&mut input, u64::MAX >> 2);
    let err = RowDecoder::positional(&cols)
        .decode::<(Vec<u8>,)>(&mut ByteCursor::new(&input))
        .unwrap_err();
    assert!(matches!(err, RowError::Decode(_)), "{err}");
}

#[test]
fn enum8_reads_and_writes_through_serde_repr() {
    #[derive(Debug, PartialEq, serde_repr::Serialize_repr, serde_repr::Deserialize_repr)]
    #[repr(i8)]
    enum Lvl {
        B = -2,
        A = 1,
    }
    let cols = vec![(
        "e".to_owned(),
        DataType::Enum8(vec![("b".into(), -2), ("a".into(), 1)]),
    )];
    let (v,): (Lvl,) = RowDecoder::positional(&cols)
        .decode(&mut ByteCursor::new(&[0xfe]))
        .unwrap();
    assert_eq!(v, Lvl::B);
    let mut out = Vec::new();
    RowEncoder::positional(&cols)
        .encode(&(Lvl::A,), &mut out)
        .unwrap();
    assert_eq!(out, [1]);
}

/// Every prefix of a captured response decodes its complete rows and reports the rest as
/// incomplete; every single-byte corruption gives a value or an error, never a panic.
fn check_splits_and_corruption(
    case: &str,
    expected_rows: usize,
    decode: impl Fn(&[u8]) -> Result<(usize, usize), RowError>,
) {
    let bin = golden(case);
    let mut cur = ByteCursor::new(&bin);
    read_header_strings(&mut cur, &DecodeLimits::default()).unwrap();
    let body = &bin[cur.position()..];
    assert_eq!(decode(body).unwrap(), (expected_rows, body.len()));
    let mut last = (0, 0);
    for cut in 0..body.len() {
        let (rows, used) = decode(&body[..cut]).unwrap_or_else(|e| panic!("{case} cut {cut}: {e}"));
        assert!(used <= cut && rows < expected_rows && rows >= last.0 && used >= last.1);
        last = (rows, used);
    }
    for pos in 0..body.len() {
        for byte in [0x00, 0x01, 0x7f, 0xff] {
            let mut bad = body.to_vec();
            bad[pos] = byte;
            let _ = decode(&bad);
        }
    }
}

#[test]
fn every_capture_survives_splits_and_corruption() {
    let cols = |spec: Vec<(&str, &str, DataType)>| -> Vec<(String, DataType)> {
        spec.into_iter()
            .map(|(n, _, t)| (n.to_owned(), t))
            .collect()
    };
    let scalars = cols(scalar_columns());
    check_splits_and_corruption("scalars", 2, |buf| {
        let d = RowDecoder::new::<Scalars>(&scalars)?;
        d.decode_all::<Scalars>(buf).map(|(r, n)| (r.len(), n))
    });
    let compound = cols(compound_columns());
    check_splits_and_corruption("compound", 2, |buf| {
        let d = RowDecoder::new::<Compound>(&compound)?;
        d.decode_all::<Compound>(buf).map(|(r, n)| (r.len(), n))
    });
    let numbers = cols(numbers_columns());
    check_splits_and_corruption("numbers", 50, |buf| {
        let d = RowDecoder::new::<Num>(&numbers)?;
        d.decode_all::<Num>(buf).map(|(r, n)| (r.len(), n))
    });
}

#[test]
fn untagged_enums_use_the_column_type() {
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum Any {
        Num(u64),
        Text(String),
        List(Vec<u8>),
    }
    #[derive(Debug, Row, Deserialize)]
    struct R {
        #[serde(rename = "id")]
        _id: u8,
        v: Option<Any>,
    }
    let bin = golden("variant");
    let mut cur = ByteCursor::new(&bin);
    read_header_strings(&mut cur, &DecodeLimits::default()).unwrap();
    let columns = vec![
        ("id".to_owned(), DataType::UInt8),
        (
            "v".to_owned(),
            DataType::Variant(vec![
                DataType::Array(b(DataType::UInt8)),
                DataType::String,
                DataType::UInt64,
            ]),
        ),
    ];
    let (rows, _) = RowDecoder::new::<R>(&columns)
        .unwrap()
        .decode_all::<R>(cur.remaining())
        .unwrap();
    let vs: Vec<Option<Any>> = rows.into_iter().map(|r| r.v).collect();
    assert_eq!(
        vs,
        [
            Some(Any::Text("text".into())),
            Some(Any::Num(42)),
            None,
            Some(Any::List(vec![1, 2]))
        ]
    );
}
