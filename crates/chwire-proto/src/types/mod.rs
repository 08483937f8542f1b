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
    Int8,
    Int16,
    Int32,
    Int64,
    Int128,
    Int256,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    UInt128,
    UInt256,
    Float32,
    Float64,
    BFloat16,
    /// `Decimal(P, S)`; `Decimal32(S)` etc. parse to the equivalent precision (9, 18, 38, 76).
    Decimal {
        precision: u8,
        scale: u8,
    },
    Bool,
    String,
    FixedString(usize),
    Uuid,
    Date,
    Date32,
    /// `DateTime` with an optional explicit time zone.
    DateTime(Option<String>),
    /// `DateTime64(precision[, tz])`.
    DateTime64(u8, Option<String>),
    Time,
    Time64(u8),
    Enum8(Vec<(String, i8)>),
    Enum16(Vec<(String, i16)>),
    IPv4,
    IPv6,
    Array(Box<DataType>),
    Tuple(Vec<TupleElement>),
    Map(Box<DataType>, Box<DataType>),
    Nullable(Box<DataType>),
    LowCardinality(Box<DataType>),
    /// `Nested(name Type, ...)`: on the wire, each field is an `Array` column.
    Nested(Vec<(String, DataType)>),
    /// `Variant(T1, T2, ...)`. The server sorts the alternatives by type name; the
    /// discriminator on the wire is the index in this (sorted) list.
    Variant(Vec<DataType>),
    Dynamic {
        max_types: Option<u32>,
    },
    Json(Box<JsonParams>),
    Point,
    Ring,
    LineString,
    MultiLineString,
    Polygon,
    MultiPolygon,
    Interval(IntervalKind),
    /// `SimpleAggregateFunction(func, T)`: stored and transmitted exactly as `T`.
    /// `function` keeps the function text as written (it may carry parameters).
    SimpleAggregateFunction {
        function: String,
        ty: Box<DataType>,
    },
    Nothing,
    /// `QBit(element, dimension)`: a bit-sliced vector of floats.
    QBit {
        element: Box<DataType>,
        dimension: u32,
    },
}

/// One element of a `Tuple`; named tuples carry a name for every element.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TupleElement {
    pub name: Option<String>,
    pub ty: DataType,
}

/// Parameters of the `JSON` type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct JsonParams {
    pub max_dynamic_paths: Option<u32>,
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
    Nanosecond,
    Microsecond,
    Millisecond,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl IntervalKind {
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
