//! ClickHouse data types as a tree ([`DataType`]), parsed from and printed to the server's type
//! strings.
//!
//! The printed form is canonical (the spelling the server itself reports in
//! `RowBinaryWithNamesAndTypes` headers and Native blocks), so `parse(print(t)) == t`.

mod canonical;
mod parse;
mod print;

pub use canonical::{
    DYNAMIC_DEFAULT_MAX_TYPES, JSON_DEFAULT_MAX_DYNAMIC_PATHS, JSON_DEFAULT_MAX_DYNAMIC_TYPES,
};
pub use parse::{MAX_TYPE_DEPTH, TypeParseError};

/// A ClickHouse data type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DataType {
    /// `Int8`: signed 8-bit integer.
    Int8,
    /// `Int16`: signed 16-bit integer.
    Int16,
    /// `Int32`: signed 32-bit integer.
    Int32,
    /// `Int64`: signed 64-bit integer.
    Int64,
    /// `Int128`: signed 128-bit integer.
    Int128,
    /// `Int256`: signed 256-bit integer (held as [`I256`](crate::value::I256)).
    Int256,
    /// `UInt8`: unsigned 8-bit integer.
    UInt8,
    /// `UInt16`: unsigned 16-bit integer.
    UInt16,
    /// `UInt32`: unsigned 32-bit integer.
    UInt32,
    /// `UInt64`: unsigned 64-bit integer.
    UInt64,
    /// `UInt128`: unsigned 128-bit integer.
    UInt128,
    /// `UInt256`: unsigned 256-bit integer (held as [`U256`](crate::value::U256)).
    UInt256,
    /// `Float32`: IEEE 754 single precision.
    Float32,
    /// `Float64`: IEEE 754 double precision.
    Float64,
    /// `BFloat16`: 16-bit brain float, the upper half of an `f32` (8-bit exponent, 7-bit mantissa).
    BFloat16,
    /// `Decimal(P, S)`; `Decimal32(S)` etc. parse to the equivalent precision (9, 18, 38, 76).
    Decimal {
        /// Total number of decimal digits, 1..=76; decides the width (4, 8, 16 or 32 bytes).
        precision: u8,
        /// Digits after the decimal point, 0..=`precision`.
        scale: u8,
    },
    /// `Bool`: one byte, 0 or 1.
    Bool,
    /// `String`: arbitrary bytes of any length (not necessarily UTF-8).
    String,
    /// `FixedString(N)`: exactly N bytes per value.
    FixedString(usize),
    /// `UUID`: 16 bytes.
    Uuid,
    /// `Date`: days since 1970-01-01 as `u16` (up to 2149-06-06).
    Date,
    /// `Date32`: days since 1970-01-01 as `i32` (1900-01-01 to 2299-12-31).
    Date32,
    /// `DateTime` with an optional explicit time zone.
    DateTime(Option<String>),
    /// `DateTime64(precision[, tz])`.
    DateTime64(u8, Option<String>),
    /// `Time`: signed seconds as `i32` (-999:59:59 to 999:59:59).
    Time,
    /// `Time64(precision)`: signed ticks of 10^-precision seconds as `i64`.
    Time64(u8),
    /// `Enum8('name' = value, ...)`: `(name, value)` pairs, sorted by value; stored as `Int8`.
    Enum8(Vec<(String, i8)>),
    /// `Enum16('name' = value, ...)`: `(name, value)` pairs, sorted by value; stored as `Int16`.
    Enum16(Vec<(String, i16)>),
    /// `IPv4`: an address stored as a `u32`.
    IPv4,
    /// `IPv6`: an address stored as 16 bytes in network order.
    IPv6,
    /// `Array(T)`: a variable-length list of `T`.
    Array(Box<DataType>),
    /// `Tuple(T1, T2, ...)` or named `Tuple(a T1, b T2, ...)`.
    Tuple(Vec<TupleElement>),
    /// `Map(K, V)`: key type and value type; on the wire an `Array(Tuple(K, V))`.
    Map(Box<DataType>, Box<DataType>),
    /// `Nullable(T)`: `T` or NULL.
    Nullable(Box<DataType>),
    /// `LowCardinality(T)`: `T` dictionary-encoded (distinct values once, one index per row).
    LowCardinality(Box<DataType>),
    /// `Nested(name Type, ...)`: on the wire, each field is an `Array` column.
    Nested(Vec<(String, DataType)>),
    /// `Variant(T1, T2, ...)`. The server sorts the alternatives by type name; the
    /// discriminator on the wire is the index in this (sorted) list.
    Variant(Vec<DataType>),
    /// `Dynamic` or `Dynamic(max_types=N)`: each value carries its own type.
    Dynamic {
        /// Types kept as separate subcolumns before further types go to the shared variant; `None`
        /// means the server default, [`DYNAMIC_DEFAULT_MAX_TYPES`] (32).
        max_types: Option<u32>,
    },
    /// `JSON(...)`: semi-structured objects stored as typed and dynamic paths.
    Json(Box<JsonParams>),
    /// `Point`: `Tuple(Float64, Float64)`, x then y.
    Point,
    /// `Ring`: `Array(Point)`, a polygon outline without holes.
    Ring,
    /// `LineString`: `Array(Point)`, an open line.
    LineString,
    /// `MultiLineString`: `Array(LineString)`.
    MultiLineString,
    /// `Polygon`: `Array(Ring)`, the outer ring first, then holes.
    Polygon,
    /// `MultiPolygon`: `Array(Polygon)`.
    MultiPolygon,
    /// `IntervalXxx` (`IntervalSecond`, `IntervalDay`, ...): an `Int64` count of the unit.
    Interval(IntervalKind),
    /// `SimpleAggregateFunction(func, T)`: stored and transmitted exactly as `T`.
    /// `function` keeps the function text as written (it may carry parameters).
    SimpleAggregateFunction {
        /// The aggregate function as written, e.g. `sum` or `sumMap(...)`.
        function: String,
        /// The type of the stored values.
        ty: Box<DataType>,
    },
    /// `Nothing`: holds no value; the type of a bare `NULL` (`Nullable(Nothing)`) and of the
    /// elements of `[]` (`Array(Nothing)`).
    Nothing,
    /// `QBit(element, dimension)`: a bit-sliced vector of floats.
    QBit {
        /// Element type: `BFloat16`, `Float32` or `Float64`.
        element: Box<DataType>,
        /// Number of elements in each vector.
        dimension: u32,
    },
}

/// One element of a `Tuple`; named tuples carry a name for every element.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TupleElement {
    /// The element name in a named tuple (`Tuple(id UInt64)`); `None` in an unnamed one.
    pub name: Option<String>,
    /// The element's type.
    pub ty: DataType,
}

/// Parameters of the `JSON` type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct JsonParams {
    /// Paths kept as separate `Dynamic` subcolumns before the rest go to shared data; `None` means
    /// the server default, [`JSON_DEFAULT_MAX_DYNAMIC_PATHS`] (1024).
    pub max_dynamic_paths: Option<u32>,
    /// `max_types` of each dynamic path's `Dynamic`; `None` means the server default,
    /// [`JSON_DEFAULT_MAX_DYNAMIC_TYPES`] (32).
    pub max_dynamic_types: Option<u32>,
    /// Paths with a declared type (`JSON(a.b UInt32)`), in declaration order.
    pub typed_paths: Vec<(String, DataType)>,
    /// `SKIP path` entries.
    pub skip_paths: Vec<String>,
    /// `SKIP REGEXP 'pattern'` entries.
    pub skip_regexps: Vec<String>,
}

/// The unit of an `IntervalXxx` type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntervalKind {
    /// `IntervalNanosecond`.
    Nanosecond,
    /// `IntervalMicrosecond`.
    Microsecond,
    /// `IntervalMillisecond`.
    Millisecond,
    /// `IntervalSecond`.
    Second,
    /// `IntervalMinute`.
    Minute,
    /// `IntervalHour`.
    Hour,
    /// `IntervalDay`.
    Day,
    /// `IntervalWeek`.
    Week,
    /// `IntervalMonth`.
    Month,
    /// `IntervalQuarter`.
    Quarter,
    /// `IntervalYear`.
    Year,
}

impl IntervalKind {
    /// Every kind, shortest unit first.
    pub const ALL: [IntervalKind; 11] = [
        IntervalKind::Nanosecond,
        IntervalKind::Microsecond,
        IntervalKind::Millisecond,
        IntervalKind::Second,
        IntervalKind::Minute,
        IntervalKind::Hour,
        IntervalKind::Day,
        IntervalKind::Week,
        IntervalKind::Month,
        IntervalKind::Quarter,
        IntervalKind::Year,
    ];

    /// The suffix after `Interval` in the type name.
    pub fn name(self) -> &'static str {
        match self {
            IntervalKind::Nanosecond => "Nanosecond",
            IntervalKind::Microsecond => "Microsecond",
            IntervalKind::Millisecond => "Millisecond",
            IntervalKind::Second => "Second",
            IntervalKind::Minute => "Minute",
            IntervalKind::Hour => "Hour",
            IntervalKind::Day => "Day",
            IntervalKind::Week => "Week",
            IntervalKind::Month => "Month",
            IntervalKind::Quarter => "Quarter",
            IntervalKind::Year => "Year",
        }
    }
}

impl DataType {
    /// Parses a ClickHouse type string such as `Array(Nullable(String))` into its canonical tree
    /// (Variant alternatives, Enum elements and JSON paths in the server's order; see
    /// [`DataType::canonicalize`]). Nesting deeper than [`MAX_TYPE_DEPTH`] is rejected.
    pub fn parse(text: &str) -> Result<DataType, TypeParseError> {
        parse::parse_type(text)
    }

    /// Size in bytes of one value when the type has a fixed-width binary layout in both
    /// RowBinary and Native (used by column-at-a-time bulk copies).
    pub fn fixed_size(&self) -> Option<usize> {
        Some(match self {
            DataType::Int8 | DataType::UInt8 | DataType::Bool | DataType::Enum8(_) => 1,
            DataType::Int16 | DataType::UInt16 | DataType::Date | DataType::Enum16(_) => 2,
            DataType::BFloat16 => 2,
            DataType::Int32
            | DataType::UInt32
            | DataType::Float32
            | DataType::Date32
            | DataType::DateTime(_)
            | DataType::IPv4
            | DataType::Time => 4,
            DataType::Int64
            | DataType::UInt64
            | DataType::Float64
            | DataType::DateTime64(..)
            | DataType::Time64(_)
            | DataType::Interval(_) => 8,
            DataType::Int128 | DataType::UInt128 | DataType::Uuid | DataType::IPv6 => 16,
            DataType::Int256 | DataType::UInt256 => 32,
            DataType::Decimal { precision, .. } => decimal_size(*precision),
            DataType::FixedString(n) => *n,
            DataType::Point => 16,
            DataType::SimpleAggregateFunction { ty, .. } => return ty.fixed_size(),
            _ => return None,
        })
    }
}

/// Byte width of a `Decimal(P, S)` value: 4, 8, 16 or 32.
pub fn decimal_size(precision: u8) -> usize {
    match precision {
        0..=9 => 4,
        10..=18 => 8,
        19..=38 => 16,
        _ => 32,
    }
}

impl std::fmt::Display for DataType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        print::write_type(self, f)
    }
}

impl std::str::FromStr for DataType {
    type Err = TypeParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DataType::parse(s)
    }
}
