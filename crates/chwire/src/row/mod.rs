//! Typed rows: Rust structs to and from RowBinary through serde, checked against the columns.
//!
//! ```
//! use chwire::{RowDecoder, RowError};
//! use chwire_proto::wire::{ByteCursor, DecodeLimits};
//!
//! #[derive(chwire::Row, serde::Serialize, serde::Deserialize)]
//! struct Event<'a> {
//!     id: u64,
//!     name: &'a str,           // borrowed from the response buffer, no allocation
//!     tags: Vec<String>,       // Array(String)
//!     #[serde(rename = "ts")]
//!     time: u32,               // DateTime
//! }
//!
//! /// Decodes the complete rows of a RowBinaryWithNamesAndTypes `body`; returns the bytes used.
//! fn decode<'b>(body: &'b [u8], mut handle: impl FnMut(Event<'b>)) -> Result<usize, RowError> {
//!     let mut cursor = ByteCursor::new(body);
//!     let columns = chwire::read_header(&mut cursor, &DecodeLimits::default())?;
//!     let decoder = RowDecoder::new::<Event>(&columns)?; // names checked once, up front
//!     while !cursor.is_empty() {
//!         match decoder.decode::<Event>(&mut cursor) {
//!             Ok(event) => handle(event),
//!             Err(e) if e.is_incomplete() => break, // keep cursor.remaining() for later
//!             Err(e) => return Err(e),
//!         }
//!     }
//!     Ok(body.len() - cursor.remaining().len())
//! }
//! ```
//!
//! # Column matching
//!
//! [`RowDecoder::new`] requires the row type's [`Row::COLUMN_NAMES`] to be exactly the result's
//! columns. When they are the same set in another order, fields are matched by name (serde's
//! derived `Deserialize` accepts fields in any order); in the same order they are read as a
//! sequence, which is faster. [`RowEncoder::new`] picks the row type's columns from the table by
//! name; the `INSERT` lists them in field order ([`RowEncoder::insert_columns`]). Inside a
//! value, struct fields are matched to a named tuple's elements and to `Nested` fields by name
//! both ways too; a field that names no element is a [`RowError::InvalidValue`].
//!
//! # Type mapping
//!
//! Every serde call is checked against the column type; a Rust type that does not fit is a
//! [`RowError::SchemaMismatch`] naming the column, the Rust expectation and the ClickHouse type.
//! `LowCardinality(T)` and `SimpleAggregateFunction(f, T)` map as `T`.
//!
//! | ClickHouse | Rust |
//! |---|---|
//! | `Int8`..`Int128`, `UInt8`..`UInt128` | the same-width integer |
//! | `Int256`, `UInt256` | `[u8; 32]` or `serde_bytes`, little-endian; `ethnum::I256`/`U256` with `serde_helpers::ethnum` |
//! | `Float32`, `Float64`, `BFloat16` | `f32`, `f64`, `f32` |
//! | `Bool` | `bool` (also `u8`); `bool` also reads a `UInt8` column (comparisons return `UInt8`) |
//! | `String` | `String`, `&str` (borrowed), `Vec<u8>`, `&[u8]`/`serde_bytes` (any bytes) |
//! | `FixedString(N)` | `[u8; N]`, bytes, or `String`/`&str` (trailing NULs trimmed when reading, padded when writing) |
//! | `UUID` | `uuid::Uuid` (with its `serde` feature), `u128`, `[u8; 16]` (canonical order), `String` |
//! | `IPv4`, `IPv6` | `std::net::Ipv4Addr`, `Ipv6Addr`; also `u32`, `[u8; 16]` |
//! | `Date`, `Date32` | `u16`, `i32` days since 1970-01-01; `time::Date` or `chrono::NaiveDate` with `serde_helpers::{time, chrono}::{date, date32}` |
//! | `DateTime`, `DateTime64(P)` | `u32` seconds, `i64` ticks of 10^-P s; `time::OffsetDateTime` or `chrono::DateTime<Utc>` with the `serde_helpers` `datetime` and `datetime64` helpers (on any `P`: rescaled exactly, or an error) |
//! | `Time`, `Time64(P)`, `Interval*` | `i32`, `i64`, `i64`; `time::Duration` or `chrono::TimeDelta` with the `serde_helpers` `time` and `time64` helpers (on any `P`, like `datetime64`) |
//! | `Decimal(P, S)` | the unscaled mantissa: `i32` (P ≤ 9), `i64` (≤ 18), `i128` (≤ 38), `[u8; 32]`; `rust_decimal::Decimal` with `serde_helpers::rust_decimal` (rescaled to `S` exactly, or an error) |
//! | `Enum8`, `Enum16` | `i8`/`i16` (or `serde_repr` enums), a Rust enum of unit variants named like the values, or `String` |
//! | `Nullable(T)` | `Option<T>` (an `Option` also reads a non-nullable column, as always `Some`; a plain `T` also writes a `Nullable(T)` column, as non-NULL) |
//! | `Array(T)` | `Vec<T>`, `[T; N]` (an array of another length is a [`RowError::InvalidValue`]), any serde sequence |
//! | `Tuple(...)` | a Rust tuple, or a struct (named tuples: fields matched by name, in any order, when reading and writing) |
//! | `Map(K, V)` | `HashMap`, `BTreeMap`, `Vec<(K, V)>` or `[(K, V); N]` |
//! | `Nested(...)` | `Vec` of structs |
//! | `Point`, `Ring`, `Polygon`, ... | `(f64, f64)` and `Vec`s of those |
//! | `Variant(T1, ...)` | `Option<E>` where `E` has one newtype variant per alternative, in the server's (sorted) order |
//! | `Dynamic` | `Option<E>` where `E`'s newtype variants are named after ClickHouse types (below); `serde_json::Value` or an untagged enum (the value as its own type) |
//!
//! A `JSON` column reads into and writes from a `String` (its text; the client asks the server
//! for that with `output_format_native_write_json_as_string` or
//! `output_format_binary_write_json_as_string`, whichever format it reads, and
//! `input_format_binary_read_json_as_string`), or a `serde_json::Value` (any serde type) with
//! `serde_helpers::json`. `QBit` columns are not supported by typed rows yet (use the dynamic
//! `Value` API).
//!
//! A `Dynamic` value carries its own type, and a Rust enum for it names each newtype variant
//! after one: `Int64(i64)`, `String(String)`, `#[serde(rename = "Array(Int64)")] Ints(Vec<i64>)`,
//! `#[serde(rename = "DateTime64(3, 'UTC')")] Ts(i64)`. Reading picks the variant named as the
//! server prints the value's type (what `dynamicType(d)` says; a name that parses to the same
//! type, `DateTime64(3,'UTC')`, matches too); a value of a type the enum has no variant for is
//! a [`RowError::SchemaMismatch`] naming the column, the enum and the type. `NULL` needs
//! `Option<E>` (the type never is `Nullable(T)`: a `NULL` has no type). Writing sends the type
//! the variant names and the payload as that type; a name that is not a type (nor `Nullable`)
//! is a [`RowError::InvalidValue`]. Variants are newtypes: a `Tuple(...)` value holds a Rust
//! tuple or a struct (named tuples). `Array(Dynamic)`, `Tuple(..., Dynamic)` and the rest nest
//! as usual.
//!
//! Every `serde_helpers` date and time helper has an `option` submodule for `Option<T>`
//! (`Nullable`) fields.
//!
//! Types are checked when a value is read: a `NULL` does not reach the inner type, so a wrong
//! Rust type under `Option` is reported by the first non-NULL value. Without a Rust-side
//! expectation (`deserialize_any`: untagged enums, `serde_json::Value`) the column type decides
//! what is produced.

mod batch;
mod columns;
mod columns_de;
mod columns_ser;
mod datetime64;
mod de;
mod decimal;
mod dynamic;
mod error;
mod header;
mod positional;
mod ser;
mod shape;

pub(crate) use batch::{RowBatch, RowShape};
/// `#[derive(Row)]`: implements [`Row`] from the struct's fields and serde attributes.
pub use chwire_derive::Row;
pub(crate) use columns::ColumnRows;
pub(crate) use datetime64::TAGS as DATETIME64_TAGS;
#[cfg(any(feature = "chrono", feature = "time"))]
pub(crate) use datetime64::TIME64_TAGS;
pub use de::RowDecoder;
#[cfg(feature = "rust_decimal")]
pub(crate) use decimal::{TAG as DECIMAL_TAG, pack as pack_decimal, unpack as unpack_decimal};
pub use error::RowError;
pub use header::{read_header, read_header_strings};
pub use ser::RowEncoder;
pub(crate) use shape::{Order, SkipStep, skip_plan, skip_row};

/// A Rust type that is one row of a result set or table: a struct whose fields are columns,
/// or (implemented here) a single value (`u64`, `String`, …: a one-column result such as
/// `SELECT count()`) or a tuple of them, whose elements map to the columns by position.
///
/// Implement it with `#[derive(chwire::Row)]`, next to serde's derives.
pub trait Row {
    /// The type's name, for error messages.
    const NAME: &'static str;
    /// The column names the fields map to, in field order (after serde renames; skipped
    /// fields excluded). Empty for single values and tuples.
    const COLUMN_NAMES: &'static [&'static str];
    /// `Some(n)`: the type maps to exactly `n` columns by position, not by name (single
    /// values: 1, tuples: their length). `None` (the derive's): by the names above.
    const POSITIONAL: Option<usize> = None;
    /// The type with its lifetime (if it has one) set to `'a`: what a row borrowing from a
    /// cursor's buffer is ([`RowCursor::next_borrowed`](crate::RowCursor::next_borrowed)).
    /// The derive writes it: `Self` for a type without lifetimes, `MyRow<'a>` for
    /// `MyRow<'r>`.
    type Value<'a>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use chwire_proto::{ByteCursor, DataType};
    use serde::{Deserialize, Serialize};

    #[derive(Row, Serialize, Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Renames<'a, T> {
        user_id: u64,
        #[serde(rename = "Label")]
        label: &'a str,
        #[serde(skip)]
        cached: Option<u8>,
        r#type: T,
    }

    #[test]
    fn derive_follows_serde_naming() {
        assert_eq!(Renames::<u8>::NAME, "Renames");
        assert_eq!(Renames::<u8>::COLUMN_NAMES, ["userId", "Label", "type"]);
    }

    #[test]
    fn derived_row_round_trips() {
        let columns = vec![
            ("userId".to_owned(), DataType::UInt64),
            (
                "Label".to_owned(),
                DataType::LowCardinality(Box::new(DataType::String)),
            ),
            ("type".to_owned(), DataType::Int16),
        ];
        let row = Renames {
            user_id: 7,
            label: "x",
            cached: None,
            r#type: -2i16,
        };
        let mut out = Vec::new();
        RowEncoder::new::<Renames<i16>>(&columns)
            .unwrap()
            .encode(&row, &mut out)
            .unwrap();
        assert_eq!(out, [7, 0, 0, 0, 0, 0, 0, 0, 1, b'x', 0xfe, 0xff]);
        let back: Renames<i16> = RowDecoder::new::<Renames<i16>>(&columns)
            .unwrap()
            .decode(&mut ByteCursor::new(&out))
            .unwrap();
        assert_eq!(back, row);
    }
}
