//! `Dynamic` values as Rust enums: the variant is named after the value's type.
//!
//! In RowBinary a `Dynamic` value is its type in the server's binary type encoding, then the
//! value in that type's RowBinary layout; `NULL` is the type `Nothing` alone. A typed row reads
//! the type and picks the enum's newtype variant whose name is the type's name as the server
//! prints it (`Int64`, `Array(Nullable(String))`, `DateTime64(3, 'UTC')`); it writes the type
//! its variant names. Both directions live here so the name rules are the same either way.

use std::fmt::{self, Write};

use chwire_proto::rowbinary::{decode_type_binary, encode_type_binary};
use chwire_proto::{ByteCursor, DataType, DecodeLimits};

use super::RowError;

/// The first byte of a `NULL` `Dynamic` value (the type `Nothing`, with no value after it).
pub(super) const NULL: u8 = 0;

/// Reads the type of the next `Dynamic` value (`Nothing` for `NULL`).
#[inline]
pub(super) fn read_type(
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
) -> Result<DataType, RowError> {
    Ok(decode_type_binary(cur, limits)?)
}

/// The variant of enum `name` (variants `variants`) that a value of type `ty` reads as: the one
/// named exactly as the server prints `ty`, or failing that one whose name parses to the same
/// type (`DateTime64(3,'UTC')` written without the space).
pub(super) fn variant_for(
    ty: &DataType,
    name: &str,
    variants: &'static [&'static str],
) -> Result<&'static str, RowError> {
    if let Some(v) = variants.iter().find(|v| prints_as(ty, v)) {
        return Ok(v);
    }
    if let Some(v) = variants
        .iter()
        .find(|v| DataType::parse(v).is_ok_and(|parsed| parsed == *ty))
    {
        return Ok(v);
    }
    Err(RowError::SchemaMismatch {
        column: String::new(),
        expected: format!(
            "enum {name} with a variant named `{ty}` (it has {})",
            variants
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        actual: format!("Dynamic (a value of type {ty})"),
    })
}

/// The type variant `variant` of enum `name` stands for, written to `out` in the binary type
/// encoding: the start of the `Dynamic` value, whose RowBinary bytes the caller writes next.
pub(super) fn write_type(
    name: &str,
    variant: &str,
    out: &mut Vec<u8>,
) -> Result<DataType, RowError> {
    let ty = DataType::parse(variant).map_err(|e| {
        RowError::invalid(format!(
            "variant `{variant}` of enum {name} does not name a ClickHouse type for the \
             Dynamic column ({e}); rename it (`#[serde(rename = \"Array(Int64)\")]`)"
        ))
    })?;
    let refused = match &ty {
        DataType::Nullable(_) => Some("a Dynamic value is never Nullable: write None for NULL"),
        DataType::Nothing => Some("write None for NULL"),
        DataType::Dynamic { .. } => Some("a Dynamic value cannot hold a Dynamic"),
        _ => None,
    };
    if let Some(why) = refused {
        return Err(RowError::invalid(format!(
            "variant `{variant}` of enum {name}: {why}"
        )));
    }
    encode_type_binary(&ty, out).map_err(RowError::Decode)?;
    Ok(ty)
}

/// The error for a struct or tuple variant written to a `Dynamic` column.
pub(super) fn not_newtype(name: &str) -> RowError {
    RowError::invalid(format!(
        "enum {name}: a Dynamic value is a newtype variant named after its type \
         (a `Tuple(...)` value holds a Rust tuple: `#[serde(rename = \"Tuple(Int64, String)\")] \
         T((i64, String))`)"
    ))
}

/// Whether `ty` prints as exactly `s`, without building the string.
fn prints_as(ty: &DataType, s: &str) -> bool {
    struct Compare<'a>(&'a str);
    impl Write for Compare<'_> {
        fn write_str(&mut self, part: &str) -> fmt::Result {
            match self.0.strip_prefix(part) {
                Some(rest) => {
                    self.0 = rest;
                    Ok(())
                }
                None => Err(fmt::Error),
            }
        }
    }
    let mut cmp = Compare(s);
    write!(cmp, "{ty}").is_ok() && cmp.0.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RowDecoder, RowEncoder};
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    enum Dyn {
        Int64(i64),
        String(String),
        #[serde(rename = "Array(Int64)")]
        Ints(Vec<i64>),
        #[serde(rename = "DateTime64(3, 'UTC')")]
        Millis(i64),
        #[serde(rename = "Tuple(Int64, String)")]
        Pair((i64, String)),
    }

    #[derive(Debug, Clone, PartialEq, crate::Row, Serialize, Deserialize)]
    struct Row {
        id: u8,
        d: Option<Dyn>,
    }

    fn columns(d: &str) -> Vec<(String, DataType)> {
        vec![("id".into(), DataType::UInt8), ("d".into(), ty(d))]
    }

    fn encode<T: crate::Row + Serialize>(cols: &[(String, DataType)], rows: &[T]) -> Vec<u8> {
        let enc = RowEncoder::new::<T>(cols).unwrap();
        let mut out = Vec::new();
        for r in rows {
            enc.encode(r, &mut out).unwrap();
        }
        out
    }

    #[test]
    fn rows_round_trip_with_the_type_on_the_wire() {
        let cols = columns("Dynamic");
        let rows = vec![
            Row {
                id: 1,
                d: Some(Dyn::Int64(-5)),
            },
            Row {
                id: 2,
                d: Some(Dyn::String("hi".into())),
            },
            Row {
                id: 3,
                d: Some(Dyn::Ints(vec![1, 2])),
            },
            Row {
                id: 4,
                d: Some(Dyn::Millis(1_700_000_000_123)),
            },
            Row {
                id: 5,
                d: Some(Dyn::Pair((7, "x".into()))),
            },
            Row { id: 6, d: None },
        ];
        let out = encode(&cols, &rows);
        // id, then Int64's tag and value: what the server writes for `-5::Int64::Dynamic`.
        assert_eq!(
            out[..10],
            [1, 0x0a, 0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        );
        // The NULL row: its id and the type `Nothing`.
        assert_eq!(out[out.len() - 2..], [6, NULL]);
        let (back, used) = RowDecoder::new::<Row>(&cols)
            .unwrap()
            .decode_all::<Row>(&out)
            .unwrap();
        assert_eq!((back, used), (rows, out.len()));
    }

    #[test]
    fn an_array_of_dynamic_holds_enums() {
        #[derive(Debug, PartialEq, crate::Row, Serialize, Deserialize)]
        struct Many {
            id: u8,
            d: Vec<Option<Dyn>>,
        }
        let cols = columns("Array(Dynamic)");
        let rows = [Many {
            id: 1,
            d: vec![Some(Dyn::Int64(1)), None, Some(Dyn::String("s".into()))],
        }];
        let out = encode(&cols, &rows);
        let (back, _) = RowDecoder::new::<Many>(&cols)
            .unwrap()
            .decode_all::<Many>(&out)
            .unwrap();
        assert_eq!(back, rows);
    }

    #[test]
    fn a_type_without_a_variant_names_the_column_and_the_type() {
        let cols = columns("Dynamic");
        // A `Float64` value: id 1, tag 0x0e, 1.5.
        let mut bytes = vec![1, 0x0e];
        bytes.extend_from_slice(&1.5f64.to_le_bytes());
        let e = RowDecoder::new::<Row>(&cols)
            .unwrap()
            .decode::<Row>(&mut ByteCursor::new(&bytes))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "column `d`: the Rust type expects enum Dyn with a variant named `Float64` (it has \
             `Int64`, `String`, `Array(Int64)`, `DateTime64(3, 'UTC')`, `Tuple(Int64, String)`), \
             but the column type is Dynamic (a value of type Float64)"
        );
    }

    #[test]
    fn null_needs_an_option_and_truncated_values_are_incomplete() {
        #[derive(Debug, crate::Row, Deserialize)]
        #[allow(dead_code)]
        struct Plain {
            id: u8,
            d: Dyn,
        }
        let cols = columns("Dynamic");
        let dec = RowDecoder::new::<Plain>(&cols).unwrap();
        match dec
            .decode::<Plain>(&mut ByteCursor::new(&[1, NULL]))
            .unwrap_err()
        {
            RowError::InvalidValue { column, reason } => {
                assert_eq!(column, "d");
                assert!(reason.contains("Option<enum>"), "{reason}");
            }
            e => panic!("{e:?}"),
        }
        for cut in [1, 2, 5] {
            let bytes = &[1, 0x0a, 1, 0, 0, 0, 0, 0, 0, 0][..cut];
            assert!(
                dec.decode::<Plain>(&mut ByteCursor::new(bytes))
                    .unwrap_err()
                    .is_incomplete()
            );
        }
    }

    #[test]
    fn self_describing_targets_get_the_value() {
        #[derive(Debug, PartialEq, Deserialize)]
        #[serde(untagged)]
        enum Any {
            Int(i64),
            Text(String),
            Ints(Vec<i64>),
        }
        #[derive(Debug, PartialEq, crate::Row, Deserialize)]
        struct Untagged {
            id: u8,
            d: Option<Any>,
        }
        let cols = columns("Dynamic");
        let rows = [
            Row {
                id: 1,
                d: Some(Dyn::Int64(3)),
            },
            Row {
                id: 2,
                d: Some(Dyn::String("t".into())),
            },
            Row {
                id: 3,
                d: Some(Dyn::Ints(vec![4])),
            },
            Row { id: 4, d: None },
        ];
        let out = encode(&cols, &rows);
        let (back, _) = RowDecoder::new::<Untagged>(&cols)
            .unwrap()
            .decode_all::<Untagged>(&out)
            .unwrap();
        let d: Vec<Option<Any>> = back.into_iter().map(|r| r.d).collect();
        assert_eq!(
            d,
            [
                Some(Any::Int(3)),
                Some(Any::Text("t".into())),
                Some(Any::Ints(vec![4])),
                None
            ]
        );
        // Skipped (`IgnoredAny`, and the stepping over rows that finds where rows end).
        let plan = super::super::skip_plan(&cols);
        let mut cur = ByteCursor::new(&out);
        for _ in 0..rows.len() {
            super::super::skip_row(&mut cur, &plan, &DecodeLimits::default()).unwrap();
        }
        assert!(cur.is_empty());
    }

    #[test]
    fn bad_variants_are_errors_and_write_nothing() {
        #[derive(Serialize)]
        enum Bad {
            Ints(Vec<i64>),
            #[serde(rename = "Int64")]
            Wrong(String),
            #[serde(rename = "Tuple(Int64, Int64)")]
            Pair(i64, i64),
        }
        #[derive(crate::Row, Serialize)]
        struct BadRow {
            id: u8,
            d: Bad,
        }
        let cols = columns("Dynamic");
        let enc = RowEncoder::new::<BadRow>(&cols).unwrap();
        let cases = [
            (
                Bad::Ints(vec![1]),
                "variant `Ints` of enum Bad does not name a ClickHouse type",
            ),
            (
                Bad::Wrong("x".into()),
                "the Rust type expects string, but the column type is Int64",
            ),
            (Bad::Pair(1, 2), "a Dynamic value is a newtype variant"),
        ];
        for (d, message) in cases {
            let mut out = vec![9];
            let e = enc.encode(&BadRow { id: 1, d }, &mut out).unwrap_err();
            assert!(e.to_string().contains(message), "{e}");
            assert!(e.to_string().starts_with("column `d`"), "{e}");
            assert_eq!(out, [9]);
        }
    }

    fn ty(s: &str) -> DataType {
        DataType::parse(s).unwrap()
    }

    #[test]
    fn prints_as_compares_the_whole_name() {
        assert!(prints_as(&ty("Array(Int64)"), "Array(Int64)"));
        assert!(!prints_as(&ty("Array(Int64)"), "Array(Int6"));
        assert!(!prints_as(&ty("Array(Int64)"), "Array(Int64))"));
        assert!(prints_as(
            &ty("DateTime64(3,'UTC')"),
            "DateTime64(3, 'UTC')"
        ));
    }

    #[test]
    fn variants_match_by_printed_name_then_by_parsed_type() {
        const VARIANTS: &[&str] = &["Int64", "DateTime64(3,'UTC')", "String"];
        assert_eq!(variant_for(&ty("Int64"), "E", VARIANTS).unwrap(), "Int64");
        assert_eq!(
            variant_for(&ty("DateTime64(3, 'UTC')"), "E", VARIANTS).unwrap(),
            "DateTime64(3,'UTC')"
        );
        match variant_for(&ty("Array(UInt8)"), "E", VARIANTS).unwrap_err() {
            RowError::SchemaMismatch {
                expected, actual, ..
            } => {
                assert!(expected.contains("enum E with a variant named `Array(UInt8)`"));
                assert!(expected.contains("`Int64`, `DateTime64(3,'UTC')`, `String`"));
                assert_eq!(actual, "Dynamic (a value of type Array(UInt8))");
            }
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn written_types_are_the_binary_encoding_and_refuse_nullable() {
        let mut out = Vec::new();
        assert_eq!(
            write_type("E", "Array(Int64)", &mut out).unwrap(),
            ty("Array(Int64)")
        );
        assert_eq!(out, [0x1e, 0x0a]);
        for bad in ["Ints", "Nullable(Int64)", "Nothing", "Dynamic"] {
            let mut out = Vec::new();
            match write_type("E", bad, &mut out).unwrap_err() {
                RowError::InvalidValue { reason, .. } => {
                    assert!(
                        reason.contains(&format!("variant `{bad}` of enum E")),
                        "{reason}"
                    )
                }
                e => panic!("{e:?}"),
            }
            assert!(out.is_empty());
        }
    }
}
