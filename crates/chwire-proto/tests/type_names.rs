//! Type-string parsing and canonical printing, checked against spellings captured from a real
//! server (`golden/types/canonical.rs`, see `canonical.sql`), hand-written trees, malformed input
//! and a round-trip property over generated type trees.

use chwire_proto::{DataType, IntervalKind, JsonParams, MAX_TYPE_DEPTH, TupleElement};
use proptest::prelude::*;

#[path = "golden/types/canonical.rs"]
mod golden;

fn parse(s: &str) -> DataType {
    DataType::parse(s).unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
}

fn b(t: DataType) -> Box<DataType> {
    Box::new(t)
}

#[test]
fn server_spellings() {
    for &(input, canonical) in golden::CANONICAL {
        let t = parse(input);
        assert_eq!(t.to_string(), canonical, "printing the parse of {input:?}");
        let again = parse(canonical);
        assert_eq!(
            again, t,
            "{canonical:?} and {input:?} must be the same type"
        );
        assert_eq!(again.to_string(), canonical);
    }
}

#[test]
fn generated_types_the_server_printed_back_unchanged() {
    for &text in golden::SERVER_ACCEPTS_UNCHANGED {
        assert_eq!(parse(text).to_string(), text);
    }
}

#[test]
fn trees_of_every_type() {
    use DataType as T;
    let cases: Vec<(&str, DataType)> = vec![
        ("Int8", T::Int8),
        ("Int16", T::Int16),
        ("Int32", T::Int32),
        ("Int64", T::Int64),
        ("Int128", T::Int128),
        ("Int256", T::Int256),
        ("UInt8", T::UInt8),
        ("UInt16", T::UInt16),
        ("UInt32", T::UInt32),
        ("UInt64", T::UInt64),
        ("UInt128", T::UInt128),
        ("UInt256", T::UInt256),
        ("Float32", T::Float32),
        ("Float64", T::Float64),
        ("BFloat16", T::BFloat16),
        (
            "Decimal(9, 2)",
            T::Decimal {
                precision: 9,
                scale: 2,
            },
        ),
        (
            "Decimal32(2)",
            T::Decimal {
                precision: 9,
                scale: 2,
            },
        ),
        (
            "Decimal64(3)",
            T::Decimal {
                precision: 18,
                scale: 3,
            },
        ),
        (
            "Decimal128(4)",
            T::Decimal {
                precision: 38,
                scale: 4,
            },
        ),
        (
            "Decimal256(5)",
            T::Decimal {
                precision: 76,
                scale: 5,
            },
        ),
        ("Bool", T::Bool),
        ("String", T::String),
        ("FixedString(16)", T::FixedString(16)),
        ("UUID", T::Uuid),
        ("Date", T::Date),
        ("Date32", T::Date32),
        ("DateTime", T::DateTime(None)),
        ("DateTime('UTC')", T::DateTime(Some("UTC".into()))),
        ("DateTime64(3)", T::DateTime64(3, None)),
        ("DateTime64(3, 'UTC')", T::DateTime64(3, Some("UTC".into()))),
        ("Time", T::Time),
        ("Time64(6)", T::Time64(6)),
        (
            "Enum8('a\\'b' = -1, 'c' = 2)",
            T::Enum8(vec![("a'b".into(), -1), ("c".into(), 2)]),
        ),
        (
            "Enum16('a' = -300, 'b' = 300)",
            T::Enum16(vec![("a".into(), -300), ("b".into(), 300)]),
        ),
        ("IPv4", T::IPv4),
        ("IPv6", T::IPv6),
        ("Array(String)", T::Array(b(T::String))),
        (
            "Tuple(UInt8, String)",
            T::Tuple(vec![
                TupleElement {
                    name: None,
                    ty: T::UInt8,
                },
                TupleElement {
                    name: None,
                    ty: T::String,
                },
            ]),
        ),
        (
            "Tuple(a UInt8, `b c` String)",
            T::Tuple(vec![
                TupleElement {
                    name: Some("a".into()),
                    ty: T::UInt8,
                },
                TupleElement {
                    name: Some("b c".into()),
                    ty: T::String,
                },
            ]),
        ),
        ("Map(String, UInt64)", T::Map(b(T::String), b(T::UInt64))),
        ("Nullable(Int8)", T::Nullable(b(T::Int8))),
        ("LowCardinality(String)", T::LowCardinality(b(T::String))),
        (
            "Nested(a UInt8, b String)",
            T::Nested(vec![("a".into(), T::UInt8), ("b".into(), T::String)]),
        ),
        (
            "Variant(String, UInt8)",
            T::Variant(vec![T::String, T::UInt8]),
        ),
        ("Dynamic", T::Dynamic { max_types: None }),
        (
            "Dynamic(max_types=10)",
            T::Dynamic {
                max_types: Some(10),
            },
        ),
        ("JSON", T::Json(Box::default())),
        (
            "JSON(max_dynamic_types=3, max_dynamic_paths=10, `a.b` UInt32, SKIP `a.c`, SKIP REGEXP 'x')",
            T::Json(Box::new(JsonParams {
                max_dynamic_paths: Some(10),
                max_dynamic_types: Some(3),
                typed_paths: vec![("a.b".into(), T::UInt32)],
                skip_paths: vec!["a.c".into()],
                skip_regexps: vec!["x".into()],
            })),
        ),
        ("Point", T::Point),
        ("Ring", T::Ring),
        ("LineString", T::LineString),
        ("MultiLineString", T::MultiLineString),
        ("Polygon", T::Polygon),
        ("MultiPolygon", T::MultiPolygon),
        ("IntervalNanosecond", T::Interval(IntervalKind::Nanosecond)),
        ("IntervalYear", T::Interval(IntervalKind::Year)),
        (
            "SimpleAggregateFunction(sum, UInt64)",
            T::SimpleAggregateFunction {
                function: "sum".into(),
                ty: b(T::UInt64),
            },
        ),
        (
            "SimpleAggregateFunction(groupArrayArray(10), Array(UInt8))",
            T::SimpleAggregateFunction {
                function: "groupArrayArray(10)".into(),
                ty: b(T::Array(b(T::UInt8))),
            },
        ),
        ("Nothing", T::Nothing),
        (
            "QBit(Float32, 8)",
            T::QBit {
                element: b(T::Float32),
                dimension: 8,
            },
        ),
    ];
    for (text, tree) in cases {
        assert_eq!(parse(text), tree, "parsing {text:?}");
        let canonical = parse(text).to_string();
        assert_eq!(parse(&canonical), tree, "re-parsing {canonical:?}");
    }
    for kind in IntervalKind::ALL {
        let name = format!("Interval{}", kind.name());
        assert_eq!(parse(&name), DataType::Interval(kind));
        assert_eq!(DataType::Interval(kind).to_string(), name);
    }
}

#[test]
fn multi_line_and_liberal_whitespace() {
    // `toTypeName` prints named tuples over several lines.
    let t = parse("Tuple(\n    a UInt8,\n    b String)");
    assert_eq!(t.to_string(), "Tuple(a UInt8, b String)");
    let t = parse(" \tMap ( String ,\r\n Array ( Nullable ( UInt8 ) ) ) \n");
    assert_eq!(t.to_string(), "Map(String, Array(Nullable(UInt8)))");
    assert_eq!(
        parse("DateTime64 ( 3 , 'UTC' )").to_string(),
        "DateTime64(3, 'UTC')"
    );
}

#[test]
fn variant_order_is_the_servers() {
    let t = parse("Variant(String, UInt8, Array(String), IPv4, Int32)");
    let DataType::Variant(alts) = &t else {
        panic!("{t:?}")
    };
    // Byte order of the printed names: `IPv4` < `Int32` ('P' < 'n').
    let names: Vec<String> = alts.iter().map(ToString::to_string).collect();
    assert_eq!(names, ["Array(String)", "IPv4", "Int32", "String", "UInt8"]);
}

#[test]
fn hand_built_trees_print_canonically() {
    use DataType as T;
    let mut t = T::Tuple(vec![
        TupleElement {
            name: None,
            ty: T::Variant(vec![T::String, T::UInt8, T::String]),
        },
        TupleElement {
            name: None,
            ty: T::Enum8(vec![("b".into(), 2), ("a".into(), 1)]),
        },
        TupleElement {
            name: None,
            ty: T::Json(Box::new(JsonParams {
                max_dynamic_paths: Some(1024),
                max_dynamic_types: Some(32),
                typed_paths: vec![("z".into(), T::UInt8), ("a".into(), T::UInt8)],
                skip_paths: vec!["y".into(), "b".into(), "y".into()],
                skip_regexps: vec!["r2".into(), "r1".into()],
            })),
        },
        TupleElement {
            name: None,
            ty: T::Dynamic {
                max_types: Some(32),
            },
        },
        TupleElement {
            name: None,
            ty: T::DateTime(Some(String::new())),
        },
    ]);
    let printed = t.to_string();
    assert_eq!(
        printed,
        "Tuple(Variant(String, UInt8), Enum8('a' = 1, 'b' = 2), \
         JSON(a UInt8, z UInt8, SKIP b, SKIP y, SKIP REGEXP 'r1', SKIP REGEXP 'r2'), Dynamic, DateTime)"
    );
    t.canonicalize();
    assert_eq!(t.to_string(), printed);
    assert_eq!(parse(&printed), t);
}

#[test]
fn malformed_inputs_are_errors() {
    // (input, byte position of the complaint, words of the reason)
    let cases: &[(&str, usize, &str)] = &[
        ("", 0, "expected a type name"),
        ("   ", 3, "expected a type name"),
        ("Array(", 5, "unclosed"),
        ("Array(UInt8", 5, "unclosed"),
        ("Array(UInt8))", 12, "after the type"),
        ("Array(UInt8) x", 13, "after the type"),
        ("Array()", 5, "exactly one"),
        ("Array(UInt8, UInt8)", 5, "exactly one"),
        ("Array", 5, "needs a type"),
        ("Map(String)", 3, "exactly two"),
        ("Foo", 0, "unknown type Foo"),
        ("Array(Foo)", 6, "unknown type Foo"),
        ("string", 0, "unknown type string"),
        ("nullable(String)", 0, "unknown type"),
        ("UInt8(", 5, "unclosed"),
        ("UUID(1)", 4, "no arguments"),
        ("Bool(1)", 4, "no arguments"),
        ("FixedString(0)", 11, "positive"),
        ("FixedString(16777216)", 12, "not in"),
        ("FixedString(99999999999999999999999)", 12, "too large"),
        ("FixedString(-1)", 12, "not in"),
        ("FixedString(3.0)", 12, "integer"),
        ("FixedString(1e3)", 12, "integer"),
        ("FixedString('3')", 12, "integer"),
        ("FixedString", 11, "needs a size"),
        ("Decimal(0, 0)", 7, "precision"),
        ("Decimal(77, 1)", 7, "precision"),
        ("Decimal(5, 6)", 7, "exceeds precision"),
        ("Decimal(10, 2, 3)", 7, "precision and a scale"),
        ("Decimal32(10)", 9, "exceeds precision"),
        ("Decimal32", 9, "needs a scale"),
        ("DateTime64(10)", 11, "not in 0..=9"),
        ("DateTime64('UTC')", 11, "integer"),
        (
            "DateTime64(3, 'UTC', 1)",
            10,
            "precision and an optional time zone",
        ),
        ("DateTime('UTC", 9, "unterminated"),
        ("Time64(10)", 7, "not in 0..=9"),
        ("Enum8()", 5, "empty"),
        ("Enum8", 5, "needs a list"),
        ("Enum8('a' = 128)", 12, "range of Enum8"),
        ("Enum8('a' = 127, 'b')", 17, "range of Enum8"),
        ("Enum('a' = 32768)", 11, "range of Enum16"),
        ("Enum8('a' = 1, 'a' = 2)", 5, "duplicate name"),
        ("Enum8('a' = 1, 'b' = 1)", 21, "duplicate Enum value"),
        ("Enum8('a' = 1, 'b', 'c' = 10)", 5, "all elements or none"),
        ("Enum8('a' = 1.5)", 12, "integer"),
        ("Enum8(a = 1)", 6, "quoted Enum element name"),
        ("Enum8('\\xZZ' = 1)", 7, "\\x escape"),
        ("Tuple(a UInt8, String)", 5, "all named or all unnamed"),
        ("Tuple(a UInt8, a String)", 5, "duplicate name"),
        ("Tuple(`` UInt8)", 6, "empty name"),
        ("Tuple(a.b UInt8)", 6, "unknown type a"),
        ("Tuple(UInt8 String Int8)", 19, "expected ',' or ')'"),
        ("Nested()", 6, "cannot be empty"),
        ("Nested(UInt8)", 12, "expected a type name"),
        ("Variant()", 7, "at least one"),
        ("Dynamic(1)", 8, "max_types"),
        ("Dynamic(max_types=255)", 18, "not in 0..=254"),
        ("JSON(max_dynamic_paths=10001)", 23, "not in 0..=10000"),
        ("JSON(max_dynamic_types=255)", 23, "not in 0..=254"),
        ("JSON(a UInt8, a UInt8)", 4, "duplicate JSON path"),
        ("JSON(`` UInt8)", 5, "empty name"),
        ("JSON(SKIP REGEXP 'x)", 17, "unterminated"),
        ("QBit(UInt8, 8)", 5, "QBit element"),
        ("QBit(Float32, 0)", 14, "positive"),
        ("QBit(Float32, 4294967296)", 14, "not in"),
        ("SimpleAggregateFunction(sum)", 27, "expected ','"),
        ("SimpleAggregateFunction(sum, UInt8, UInt8)", 36, "one type"),
        ("SimpleAggregateFunction((), UInt8)", 24, "function name"),
        ("MultiPoint", 0, "not supported"),
        ("AggregateFunction(sum, UInt64)", 0, "not supported"),
        ("Interval", 0, "unknown type"),
        ("Array(UInt8,,)", 12, "expected a type name"),
        ("(UInt8)", 0, "expected a type name"),
        ("Array(UInt8)\0", 12, "after the type"),
    ];
    for &(input, position, reason) in cases {
        let err = DataType::parse(input).expect_err(input);
        assert!(
            err.reason.contains(reason),
            "{input:?}: reason {:?} should mention {reason:?}",
            err.reason
        );
        assert_eq!(err.position, position, "{input:?}: {err}");
        assert_eq!(err.near, &input[position..], "{input:?}");
        // The message names the input and the offending text.
        let msg = err.to_string();
        assert!(msg.contains(&format!("{input:?}")), "{msg}");
    }
}

#[test]
fn nesting_is_capped_without_overflowing_the_stack() {
    let nested = |n: usize| format!("{}UInt8{}", "Array(".repeat(n), ")".repeat(n));
    let ok = parse(&nested(MAX_TYPE_DEPTH - 1));
    assert_eq!(ok.to_string(), nested(MAX_TYPE_DEPTH - 1));
    let err = DataType::parse(&nested(MAX_TYPE_DEPTH)).unwrap_err();
    assert!(err.reason.contains("nested deeper"), "{err}");
    assert_eq!(err.position, 6 * MAX_TYPE_DEPTH);
    // Hostile depth: an error, not a stack overflow; the error text stays short.
    let err = DataType::parse(&nested(1_000_000)).unwrap_err();
    assert!(err.reason.contains("nested deeper"));
    assert!(err.input.len() < 300 && err.near.len() < 40);
    let err = DataType::parse(&"Tuple(a ".repeat(100_000)).unwrap_err();
    assert!(err.reason.contains("nested deeper"));
}

#[test]
fn long_flat_inputs_parse_in_linear_time() {
    let n = 50_000;
    let tuple = format!(
        "Tuple({})",
        (0..n)
            .map(|i| format!("c{i} UInt8"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let t = parse(&tuple);
    assert!(matches!(&t, DataType::Tuple(e) if e.len() == n));
    assert_eq!(t.to_string(), tuple);
    let long_name = format!("Enum16('{}' = 1)", "x".repeat(1_000_000));
    assert_eq!(parse(&long_name).to_string(), long_name);
}

#[test]
fn garbage_never_panics() {
    // Every prefix of a complicated type is either valid or a clean error.
    let text = "Tuple(a Map(String, Array(Nullable(Decimal(10, 2)))), `b\\`c` Enum8('x\\'y' = -1), \
                d JSON(max_dynamic_paths=3, a.b UInt8, SKIP REGEXP 'r'), e DateTime64(3, 'UTC'))";
    for end in 0..=text.len() {
        if text.is_char_boundary(end) {
            let _ = DataType::parse(&text[..end]);
        }
    }
}

// ---- round trip over generated trees ----

fn name_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z_][a-zA-Z0-9_]{0,6}",
        "[ -~]{1,6}",
        any::<String>().prop_filter("non-empty", |s| !s.is_empty()),
        Just("from".to_string()),
        Just("skip".to_string()),
        Just("NULL".to_string()),
    ]
}

fn leaf_strategy() -> impl Strategy<Value = DataType> {
    use DataType as T;
    prop_oneof![
        prop::sample::select(vec![
            T::Int8,
            T::Int16,
            T::Int32,
            T::Int64,
            T::Int128,
            T::Int256,
            T::UInt8,
            T::UInt16,
            T::UInt32,
            T::UInt64,
            T::UInt128,
            T::UInt256,
            T::Float32,
            T::Float64,
            T::BFloat16,
            T::Bool,
            T::String,
            T::Uuid,
            T::Date,
            T::Date32,
            T::Time,
            T::IPv4,
            T::IPv6,
            T::Point,
            T::Ring,
            T::LineString,
            T::MultiLineString,
            T::Polygon,
            T::MultiPolygon,
            T::Nothing,
        ]),
        (1u8..=76)
            .prop_flat_map(|p| (Just(p), 0..=p))
            .prop_map(|(precision, scale)| T::Decimal { precision, scale }),
        (1usize..=0xFF_FFFF).prop_map(T::FixedString),
        proptest::option::of(any::<String>()).prop_map(T::DateTime),
        (0u8..=9, proptest::option::of(any::<String>())).prop_map(|(p, tz)| T::DateTime64(p, tz)),
        (0u8..=9).prop_map(T::Time64),
        prop::collection::btree_map(any::<i8>(), any::<String>(), 1..5).prop_map(|m| {
            let mut seen = std::collections::HashSet::new();
            T::Enum8(
                m.into_iter()
                    .filter(|(_, n)| seen.insert(n.clone()))
                    .map(|(v, n)| (n, v))
                    .collect(),
            )
        }),
        prop::collection::btree_map(any::<i16>(), "[a-z']{0,4}", 1..5).prop_map(|m| {
            let mut seen = std::collections::HashSet::new();
            T::Enum16(
                m.into_iter()
                    .filter(|(_, n)| seen.insert(n.clone()))
                    .map(|(v, n)| (n, v))
                    .collect(),
            )
        }),
        prop::sample::select(IntervalKind::ALL.to_vec()).prop_map(T::Interval),
        proptest::option::of(0u32..=254).prop_map(|max_types| T::Dynamic { max_types }),
        (
            prop::sample::select(vec![T::BFloat16, T::Float32, T::Float64, T::Int8]),
            1u32..=u32::MAX
        )
            .prop_map(|(e, dimension)| T::QBit {
                element: Box::new(e),
                dimension
            }),
    ]
}

fn unique_names(n: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::hash_set(name_strategy(), n).prop_map(|s| s.into_iter().collect())
}

fn type_strategy() -> impl Strategy<Value = DataType> {
    use DataType as T;
    leaf_strategy().prop_recursive(4, 48, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|t| T::Array(Box::new(t))),
            inner.clone().prop_map(|t| T::Nullable(Box::new(t))),
            inner.clone().prop_map(|t| T::LowCardinality(Box::new(t))),
            (inner.clone(), inner.clone()).prop_map(|(k, v)| T::Map(Box::new(k), Box::new(v))),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| T::Tuple(
                v.into_iter()
                    .map(|ty| TupleElement { name: None, ty })
                    .collect()
            )),
            prop::collection::vec(inner.clone(), 1..4)
                .prop_flat_map(|v| {
                    let n = v.len();
                    (Just(v), unique_names(n))
                })
                .prop_map(|(v, names)| T::Tuple(
                    v.into_iter()
                        .zip(names)
                        .map(|(ty, name)| TupleElement {
                            name: Some(name),
                            ty
                        })
                        .collect()
                )),
            prop::collection::vec(inner.clone(), 1..4)
                .prop_flat_map(|v| {
                    let n = v.len();
                    (Just(v), unique_names(n))
                })
                .prop_map(|(v, names)| T::Nested(names.into_iter().zip(v).collect())),
            prop::collection::vec(inner.clone(), 1..4).prop_map(T::Variant),
            (
                proptest::option::of(0u32..=10_000),
                proptest::option::of(0u32..=254),
                prop::collection::btree_map(name_strategy(), inner.clone(), 0..3),
                prop::collection::vec(name_strategy(), 0..3),
                prop::collection::vec(any::<String>(), 0..3),
            )
                .prop_map(|(paths, types, typed, skip_paths, skip_regexps)| {
                    T::Json(Box::new(JsonParams {
                        max_dynamic_paths: paths,
                        max_dynamic_types: types,
                        typed_paths: typed.into_iter().collect(),
                        skip_paths,
                        skip_regexps,
                    }))
                }),
            (
                prop::sample::select(vec![
                    "sum",
                    "anyLast",
                    "sumMap",
                    "groupArrayArray",
                    "groupUniqArrayArray(10)",
                    "any_respect_nulls",
                    "max",
                ]),
                inner
            )
                .prop_map(|(f, t)| T::SimpleAggregateFunction {
                    function: f.to_string(),
                    ty: Box::new(t)
                }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_of_print_is_identity(mut t in type_strategy()) {
        t.canonicalize();
        let printed = t.to_string();
        let parsed = DataType::parse(&printed)
            .map_err(|e| TestCaseError::fail(format!("{printed:?}: {e}")))?;
        prop_assert_eq!(&parsed, &t, "printed as {:?}", printed);
        prop_assert_eq!(parsed.to_string(), printed);
    }

    #[test]
    fn printing_ignores_element_order(t in type_strategy()) {
        let mut canonical = t.clone();
        canonical.canonicalize();
        prop_assert_eq!(t.to_string(), canonical.to_string());
    }

    #[test]
    fn arbitrary_text_never_panics(s in "[A-Za-z0-9(),'`\" =._\\\\-]{0,40}") {
        let _ = DataType::parse(&s);
    }
}
