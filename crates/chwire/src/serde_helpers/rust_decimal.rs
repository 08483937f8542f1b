//! `rust_decimal::Decimal` as `Decimal(P, S)` columns (`Decimal32`, `Decimal64`, `Decimal128`):
//!
//! ```
//! use chwire::rust_decimal::Decimal;
//!
//! #[derive(chwire::Row, serde::Serialize, serde::Deserialize)]
//! struct Price {
//!     #[serde(with = "chwire::serde_helpers::rust_decimal")]
//!     amount: Decimal,                        // Decimal(18, 4)
//!     #[serde(with = "chwire::serde_helpers::rust_decimal::option")]
//!     discount: Option<Decimal>,              // Nullable(Decimal(9, 2))
//! }
//! ```
//!
//! One helper serves every scale: a value is rescaled to the column's scale exactly when it is
//! written (`1.5` into `Decimal(9, 2)` stores `1.50`), and read with the column's scale. A value
//! with more fractional digits than the column's scale (`1.234` into `Decimal(9, 2)`) or more
//! digits than its precision is a [`RowError::InvalidValue`](crate::RowError) naming the
//! column, never a rounded or wrapped number; so is a column value `Decimal` cannot hold (more
//! than 96 bits of mantissa, or a scale above 28). `Decimal256` columns read values that fit.
//!
//! Outside typed rows, human-readable formats (JSON) see the decimal's text.

use rust_decimal::Decimal;
use serde::de::Visitor;
use serde::ser::Error as _;
use serde::{Deserializer, Serializer};

use crate::row::{DECIMAL_TAG, pack_decimal, unpack_decimal};

/// Writes the value's mantissa and scale for typed rows to rescale to the column's scale.
pub fn serialize<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    if s.is_human_readable() {
        return s.collect_str(v);
    }
    let packed = pack_decimal(v.mantissa(), v.scale())
        .ok_or_else(|| S::Error::custom(format!("{v} does not fit a decimal column")))?;
    s.serialize_newtype_struct(DECIMAL_TAG, &packed)
}

/// Reads the column's mantissa at the column's scale.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    if d.is_human_readable() {
        return d.deserialize_str(DecimalVisitor);
    }
    d.deserialize_newtype_struct(DECIMAL_TAG, DecimalVisitor)
}

/// Takes the packed mantissa and scale typed rows give, or a decimal's text.
struct DecimalVisitor;

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a decimal column value")
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Decimal, E> {
        let (mantissa, scale) = unpack_decimal(v);
        Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|e| {
            E::custom(format!(
                "decimal with mantissa {mantissa} and scale {scale} does not fit rust_decimal: {e}"
            ))
        })
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
        Decimal::from_str_exact(v).map_err(E::custom)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Decimal, D::Error> {
        d.deserialize_i128(self)
    }
}

option_helper!(::rust_decimal::Decimal);

#[cfg(test)]
mod tests {
    use crate::{Row, RowDecoder, RowEncoder, RowError};
    use chwire_proto::{ByteCursor, DataType};
    use rust_decimal::Decimal;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Row, Serialize, Deserialize)]
    struct Prices {
        #[serde(with = "crate::serde_helpers::rust_decimal")]
        d32: Decimal,
        #[serde(with = "crate::serde_helpers::rust_decimal")]
        d64: Decimal,
        #[serde(with = "crate::serde_helpers::rust_decimal")]
        d128: Decimal,
        #[serde(with = "crate::serde_helpers::rust_decimal::option")]
        none: Option<Decimal>,
    }

    fn dec(precision: u8, scale: u8) -> DataType {
        DataType::Decimal { precision, scale }
    }

    fn columns() -> Vec<(String, DataType)> {
        vec![
            ("d32".to_owned(), dec(9, 2)),
            ("d64".to_owned(), dec(18, 4)),
            ("d128".to_owned(), dec(38, 10)),
            ("none".to_owned(), DataType::Nullable(Box::new(dec(9, 2)))),
        ]
    }

    #[test]
    fn decimals_are_rescaled_to_the_column_and_read_with_its_scale() {
        let row = Prices {
            d32: "-1.5".parse().unwrap(),
            d64: "12345.6789".parse().unwrap(),
            d128: "79228162.5142643375".parse().unwrap(),
            none: None,
        };
        let mut out = Vec::new();
        RowEncoder::new::<Prices>(&columns())
            .unwrap()
            .encode(&row, &mut out)
            .unwrap();
        let mut wire = Vec::new();
        wire.extend_from_slice(&(-150i32).to_le_bytes());
        wire.extend_from_slice(&123_456_789i64.to_le_bytes());
        wire.extend_from_slice(&792_281_625_142_643_375i128.to_le_bytes());
        wire.push(1);
        assert_eq!(out, wire);
        let back: Prices = RowDecoder::new::<Prices>(&columns())
            .unwrap()
            .decode(&mut ByteCursor::new(&wire))
            .unwrap();
        assert_eq!(back, row);
        assert_eq!(back.d32.to_string(), "-1.50");
    }

    #[test]
    fn lost_digits_are_errors_naming_the_column() {
        let row = Prices {
            d32: "1.234".parse().unwrap(),
            d64: Decimal::ZERO,
            d128: Decimal::ZERO,
            none: None,
        };
        let err = RowEncoder::new::<Prices>(&columns())
            .unwrap()
            .encode(&row, &mut Vec::new())
            .unwrap_err();
        match err {
            RowError::InvalidValue { column, reason } => {
                assert_eq!(column, "d32");
                assert!(
                    reason.contains("1.234 has digits beyond the scale of Decimal(9, 2)"),
                    "{reason}"
                );
            }
            e => panic!("{e:?}"),
        }
    }
}
