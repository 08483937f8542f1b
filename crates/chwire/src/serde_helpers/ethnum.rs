//! `ethnum::I256` and `ethnum::U256` as `Int256` and `UInt256` columns (128-bit integers map
//! natively to `i128`/`u128`):
//!
//! ```
//! use chwire::ethnum::{I256, U256};
//!
//! #[derive(chwire::Row, serde::Serialize, serde::Deserialize)]
//! struct Balance {
//!     #[serde(with = "chwire::serde_helpers::ethnum::i256")]
//!     delta: I256,                            // Int256
//!     #[serde(with = "chwire::serde_helpers::ethnum::u256::option")]
//!     total: Option<U256>,                    // Nullable(UInt256)
//! }
//! ```
//!
//! The values travel as their 32 little-endian bytes, the column's own form (the typed-row
//! mapping of `Int256` to `[u8; 32]`), so nothing is converted on the way.

use serde::de::{Error as _, Visitor};
use serde::{Deserializer, Serializer};

/// Reads 32 little-endian bytes however the deserializer hands them over.
struct Bytes32;

impl<'de> Visitor<'de> for Bytes32 {
    type Value = [u8; 32];

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("32 little-endian bytes")
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<[u8; 32], E> {
        v.try_into()
            .map_err(|_| E::invalid_length(v.len(), &"32 bytes"))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<[u8; 32], A::Error> {
        let mut out = [0u8; 32];
        for (i, b) in out.iter_mut().enumerate() {
            *b = seq
                .next_element()?
                .ok_or_else(|| A::Error::invalid_length(i, &"32 bytes"))?;
        }
        Ok(out)
    }
}

fn read<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
    d.deserialize_bytes(Bytes32)
}

macro_rules! int256 {
    ($name:ident, $ty:ident, $column:literal) => {
        #[doc = concat!("`ethnum::", stringify!($ty), "` as `", $column, "`.")]
        pub mod $name {
            use super::*;

            #[doc = concat!("Writes the value as the 32 little-endian bytes of `", $column, "`.")]
            pub fn serialize<S: Serializer>(v: &::ethnum::$ty, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&v.to_le_bytes())
            }

            #[doc = concat!("Reads the 32 little-endian bytes of `", $column, "`.")]
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<::ethnum::$ty, D::Error> {
                read(d).map(::ethnum::$ty::from_le_bytes)
            }

            option_helper!(::ethnum::$ty);
        }
    };
}

int256!(i256, I256, "Int256");
int256!(u256, U256, "UInt256");

#[cfg(test)]
mod tests {
    use crate::{Row, RowDecoder, RowEncoder};
    use chwire_proto::{ByteCursor, DataType};
    use ethnum::{I256, U256};
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Row, Serialize, Deserialize)]
    struct Wide {
        #[serde(with = "crate::serde_helpers::ethnum::i256")]
        i: I256,
        #[serde(with = "crate::serde_helpers::ethnum::u256::option")]
        u: Option<U256>,
    }

    #[test]
    fn wide_integers_are_their_little_endian_bytes() {
        let cols = vec![
            ("i".to_owned(), DataType::Int256),
            (
                "u".to_owned(),
                DataType::Nullable(Box::new(DataType::UInt256)),
            ),
        ];
        for row in [
            Wide {
                i: I256::MIN,
                u: Some(U256::MAX),
            },
            Wide {
                i: I256::new(-2),
                u: None,
            },
        ] {
            let mut out = Vec::new();
            RowEncoder::new::<Wide>(&cols)
                .unwrap()
                .encode(&row, &mut out)
                .unwrap();
            assert_eq!(out[..32], row.i.to_le_bytes());
            let back: Wide = RowDecoder::new::<Wide>(&cols)
                .unwrap()
                .decode(&mut ByteCursor::new(&out))
                .unwrap();
            assert_eq!(back, row);
        }
    }
}
