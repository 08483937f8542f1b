//! [`Value`]: one dynamically typed ClickHouse value, for schema-less code.
//!
//! A `Value` does not carry its [`DataType`]: codecs always pair values with the
//! column type, which decides the wire layout (for example `Enum8` travels as `Int8`, `DateTime`
//! as seconds in a `u32`). Variants hold the raw wire representation so a decode/encode round trip
//! is lossless; conversions to richer Rust types live in the facade.

use std::net::{Ipv4Addr, Ipv6Addr};

pub use ethnum::{I256, U256};

use crate::DataType;

/// A geographic point (`Point` = `Tuple(Float64, Float64)`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// X coordinate, the first `Float64` of the tuple.
    pub x: f64,
    /// Y coordinate, the second `Float64`.
    pub y: f64,
}

/// One ClickHouse value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// NULL of a `Nullable`, an empty `Variant`/`Dynamic`, or `Nothing`.
    Null,
    /// `Bool`.
    Bool(bool),
    /// `Int8`.
    Int8(i8),
    /// `Int16`.
    Int16(i16),
    /// `Int32`.
    Int32(i32),
    /// `Int64`.
    Int64(i64),
    /// `Int128`.
    Int128(i128),
    /// `Int256`.
    Int256(I256),
    /// `UInt8`.
    UInt8(u8),
    /// `UInt16`.
    UInt16(u16),
    /// `UInt32`.
    UInt32(u32),
    /// `UInt64`.
    UInt64(u64),
    /// `UInt128`.
    UInt128(u128),
    /// `UInt256`.
    UInt256(U256),
    /// `Float32`.
    Float32(f32),
    /// `Float64`.
    Float64(f64),
    /// Raw bits of a bfloat16 (the upper 16 bits of an `f32`).
    BFloat16(u16),
    /// A decimal as its unscaled integer (`mantissa / 10^scale`); widened to 256 bits so every
    /// `Decimal` width shares one variant. The scale lives in the type.
    Decimal(I256),
    /// `String` contents: arbitrary bytes (ClickHouse does not require UTF-8).
    String(Vec<u8>),
    /// `FixedString(N)` contents, exactly N bytes.
    FixedString(Vec<u8>),
    /// A UUID in its canonical big-endian byte order (as printed `xxxxxxxx-xxxx-…`).
    Uuid([u8; 16]),
    /// Days since 1970-01-01.
    Date(u16),
    /// Days since 1970-01-01 (signed).
    Date32(i32),
    /// Seconds since the Unix epoch.
    DateTime(u32),
    /// Ticks of 10^-precision seconds since the Unix epoch.
    DateTime64(i64),
    /// Signed seconds (`Time`).
    Time(i32),
    /// Signed ticks of 10^-precision seconds (`Time64`).
    Time64(i64),
    /// The numeric value of an `Enum8` element.
    Enum8(i8),
    /// The numeric value of an `Enum16` element.
    Enum16(i16),
    /// `IPv4`.
    IPv4(Ipv4Addr),
    /// `IPv6`.
    IPv6(Ipv6Addr),
    /// `Array(T)` elements, in order.
    Array(Vec<Value>),
    /// `Tuple(...)` elements, one per element type, in type order.
    Tuple(Vec<Value>),
    /// `Map(K, V)` entries as `(key, value)` pairs in wire order (duplicate keys kept).
    Map(Vec<(Value, Value)>),
    /// A non-null `Variant` value: the index of its alternative in the type's list, and the value.
    Variant(u8, Box<Value>),
    /// A non-null `Dynamic` value together with its actual type.
    Dynamic(Box<DataType>, Box<Value>),
    /// A `JSON` object as flattened `(path, value)` pairs, sorted by path; each value is a
    /// `Dynamic` (or the typed path's own value).
    Json(Vec<(String, Value)>),
    /// `Point`.
    Point(Point),
    /// `Ring`: the outline's points.
    Ring(Vec<Point>),
    /// `LineString`: the line's points.
    LineString(Vec<Point>),
    /// `MultiLineString`: one point list per line.
    MultiLineString(Vec<Vec<Point>>),
    /// `Polygon`: rings, the outer one first, then holes.
    Polygon(Vec<Vec<Point>>),
    /// `MultiPolygon`: one ring list per polygon.
    MultiPolygon(Vec<Vec<Vec<Point>>>),
    /// An `IntervalXxx` count.
    Interval(i64),
    /// The elements of a `QBit` vector.
    QBit(Vec<Value>),
}

impl Value {
    /// True for [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Convenience for UTF-8 string values.
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into().into_bytes())
    }
}
