//! `#[serde(with = "...")]` modules for Rust types whose own serde form is not the column's
//! RowBinary form (ClickHouse dates and times travel as integers, decimals as mantissas,
//! 256-bit integers as 32 bytes, `JSON` as its text).
//!
//! Every date and time helper has an `option` submodule for `Option<T>` fields
//! (`Nullable(...)` columns, `None` is `NULL`):
//! `#[serde(with = "chwire::serde_helpers::time::datetime::option")]`.

/// `option` submodule of a helper module for `$ty`: the same mapping for `Option<$ty>`.
#[allow(unused_macros)]
macro_rules! option_helper {
    ($ty:ty) => {
        /// The same mapping for `Option<…>` fields: `Nullable(…)` columns, `None` as `NULL`.
        pub mod option {
            #[allow(unused_imports)]
            use super::*;
            use serde::{Deserialize, Deserializer, Serialize, Serializer};

            /// Writes `None` as `NULL`, `Some` as the parent module writes a value.
            pub fn serialize<S: Serializer>(v: &Option<$ty>, s: S) -> Result<S::Ok, S::Error> {
                struct Present<'a>(&'a $ty);
                impl Serialize for Present<'_> {
                    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                        super::serialize(self.0, s)
                    }
                }
                match v {
                    Some(v) => s.serialize_some(&Present(v)),
                    None => s.serialize_none(),
                }
            }

            /// Reads `NULL` as `None`, any other value as the parent module reads it.
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$ty>, D::Error> {
                struct Value($ty);
                impl<'de> Deserialize<'de> for Value {
                    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        super::deserialize(d).map(Value)
                    }
                }
                Ok(Option::<Value>::deserialize(d)?.map(|v| v.0))
            }
        }
    };
}

/// One module per precision (`secs`, `millis`, `micros`, `nanos`) mapping `$ty` to the
/// precision-tagged ticks of `DateTime64`/`Time64` (`$tags`), through `$to(&value, nanos per
/// tick) -> Option<i64>` and `$from(ticks, nanos per tick) -> Option<$ty>`.
#[allow(unused_macros)]
macro_rules! tick_helpers {
    ($ty:ty, $tags:expr, $what:literal, $to:path, $from:path) => {
        tick_helpers! { @each $ty, $tags, $what, $to, $from;
            secs: 1_000_000_000, 0, "Whole seconds: the precision of `(0)` columns.";
            millis: 1_000_000, 3, "Milliseconds: the precision of `(3)` columns.";
            micros: 1_000, 6, "Microseconds: the precision of `(6)` columns.";
            nanos: 1, 9, "Nanoseconds: the precision of `(9)` columns.";
        }
    };
    (@each $ty:ty, $tags:expr, $what:literal, $to:path, $from:path;
        $($name:ident: $nanos:expr, $p:literal, $doc:literal;)*) => {$(
        #[doc = $doc]
        pub mod $name {
            use super::*;

            /// Writes ticks of this precision, tagged so typed rows rescale them to the
            /// column's precision; fails when they do not fit an `i64`.
            pub fn serialize<S: serde::Serializer>(v: &$ty, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::Error as _;
                let ticks = $to(v, $nanos).ok_or_else(|| {
                    S::Error::custom(format!("{v:?} is outside the {} range", $what))
                })?;
                crate::serde_helpers::ticks::serialize($tags[$p], ticks, s)
            }

            /// Reads the column's ticks (rescaled to this precision by typed rows); fails
            /// outside the Rust type's range.
            pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                use serde::de::Error as _;
                let ticks = crate::serde_helpers::ticks::deserialize($tags[$p], d)?;
                $from(ticks, $nanos).ok_or_else(|| {
                    D::Error::custom(format!("{} value {ticks} is out of range", $what))
                })
            }

            option_helper!($ty);
        }
    )*};
}

#[cfg(any(feature = "time", feature = "chrono"))]
mod ticks;

#[cfg(feature = "chrono")]
pub mod chrono;
#[cfg(feature = "ethnum")]
pub mod ethnum;
#[cfg(feature = "serde_json")]
pub mod json;
#[cfg(feature = "rust_decimal")]
pub mod rust_decimal;
#[cfg(feature = "time")]
pub mod time;
