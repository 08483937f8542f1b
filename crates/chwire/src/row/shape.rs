//! How a ClickHouse type is laid out in RowBinary, reduced to what the serde mapping needs.
//!
//! Several types share one wire shape (`DateTime` is a `u32`, `Enum8` an `i8`, `Point` a tuple
//! of two `f64`, `LowCardinality(T)` is just `T`); resolving that here once keeps the
//! deserializer and serializer from repeating the same type tables.

use chwire_proto::{ByteCursor, DataType, DecodeLimits, TupleElement};

use super::RowError;

/// The primitive a fixed-width column travels as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prim {
    Bool,
    I8,
    I16,
    I32,
    I64,
    I128,
    U8,
    U16,
    U32,
    U64,
    U128,
    F32,
    F64,
    /// bfloat16: the upper half of an `f32`.
    BF16,
    /// Two `u64` little-endian halves, high half first.
    Uuid,
}

/// Strips wrappers that do not change the RowBinary encoding.
#[inline]
pub(crate) fn strip(mut ty: &DataType) -> &DataType {
    loop {
        match ty {
            DataType::LowCardinality(inner) => ty = inner,
            DataType::SimpleAggregateFunction { ty: inner, .. } => ty = inner,
            _ => return ty,
        }
    }
}

/// The primitive shape of a (stripped) type, if it is one.
#[inline]
pub(crate) fn prim(ty: &DataType) -> Option<Prim> {
    Some(match ty {
        DataType::Bool => Prim::Bool,
        DataType::Int8 | DataType::Enum8(_) => Prim::I8,
        DataType::Int16 | DataType::Enum16(_) => Prim::I16,
        DataType::Int32 | DataType::Date32 | DataType::Time => Prim::I32,
        DataType::Int64
        | DataType::DateTime64(..)
        | DataType::Time64(_)
        | DataType::Interval(_) => Prim::I64,
        DataType::Int128 => Prim::I128,
        DataType::Decimal { precision, .. } => {
            match chwire_proto::types::decimal_size(*precision) {
                4 => Prim::I32,
                8 => Prim::I64,
                16 => Prim::I128,
                _ => return None,
            }
        }
        DataType::UInt8 => Prim::U8,
        DataType::UInt16 | DataType::Date => Prim::U16,
        DataType::UInt32 | DataType::DateTime(_) | DataType::IPv4 => Prim::U32,
        DataType::UInt64 => Prim::U64,
        DataType::UInt128 => Prim::U128,
        DataType::Uuid => Prim::Uuid,
        DataType::Float32 => Prim::F32,
        DataType::BFloat16 => Prim::BF16,
        DataType::Float64 => Prim::F64,
        _ => return None,
    })
}

/// Types that read and write as a fixed run of raw bytes (`[u8; N]`, `serde_bytes`), with the
/// byte order a Rust user expects: canonical big-endian for `UUID`, octets for `IPv4`,
/// as-is for the rest (`IPv6` is big-endian on the wire, 256-bit integers little-endian).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ByteShape {
    /// Exactly this many bytes, in wire order.
    Raw(usize),
    /// `FixedString(N)`: N bytes; shorter input is zero-padded when writing.
    Fixed(usize),
    Uuid,
    Ipv4,
}

impl ByteShape {
    pub(crate) fn of(ty: &DataType) -> Option<ByteShape> {
        Some(match ty {
            DataType::FixedString(n) => ByteShape::Fixed(*n),
            DataType::Uuid => ByteShape::Uuid,
            DataType::IPv4 => ByteShape::Ipv4,
            DataType::IPv6 => ByteShape::Raw(16),
            DataType::Int256 | DataType::UInt256 => ByteShape::Raw(32),
            DataType::Decimal { precision, .. }
                if chwire_proto::types::decimal_size(*precision) == 32 =>
            {
                ByteShape::Raw(32)
            }
            _ => return None,
        })
    }

    pub(crate) fn len(self) -> usize {
        match self {
            ByteShape::Raw(n) | ByteShape::Fixed(n) => n,
            ByteShape::Uuid => 16,
            ByteShape::Ipv4 => 4,
        }
    }
}

/// Converts a UUID's wire bytes (two LE halves, high first) to canonical big-endian order.
/// The transform is its own inverse.
#[inline]
pub(crate) fn uuid_swap(b: &[u8; 16]) -> [u8; 16] {
    let mut out = [0u8; 16];
    for i in 0..8 {
        out[i] = b[7 - i];
        out[8 + i] = b[15 - i];
    }
    out
}

pub(crate) static POINT: DataType = DataType::Point;
pub(crate) static RING: DataType = DataType::Ring;
pub(crate) static LINE_STRING: DataType = DataType::LineString;
pub(crate) static POLYGON: DataType = DataType::Polygon;
pub(crate) static POINT_FIELDS: [TupleElement; 2] = [
    TupleElement {
        name: None,
        ty: DataType::Float64,
    },
    TupleElement {
        name: None,
        ty: DataType::Float64,
    },
];

/// The element type of an array-shaped type (geo types are arrays of their parts).
#[inline]
pub(crate) fn array_elem(ty: &DataType) -> Option<&DataType> {
    Some(match ty {
        DataType::Array(elem) => elem,
        DataType::Ring | DataType::LineString => &POINT,
        DataType::Polygon => &RING,
        DataType::MultiLineString => &LINE_STRING,
        DataType::MultiPolygon => &POLYGON,
        _ => return None,
    })
}

/// The elements of a tuple-shaped type.
#[inline]
pub(crate) fn tuple_fields(ty: &DataType) -> Option<&[TupleElement]> {
    match ty {
        DataType::Tuple(elems) => Some(elems),
        DataType::Point => Some(&POINT_FIELDS),
        _ => None,
    }
}

/// A list of named-or-positional typed fields: the columns of a row, or a tuple's elements.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fields<'c> {
    Columns(&'c [(String, DataType)]),
    /// Columns picked from a table in a row type's field order.
    ColumnRefs(&'c [&'c (String, DataType)]),
    Tuple(&'c [TupleElement]),
}

impl<'c> Fields<'c> {
    #[inline]
    pub(crate) fn len(self) -> usize {
        match self {
            Fields::Columns(c) => c.len(),
            Fields::ColumnRefs(c) => c.len(),
            Fields::Tuple(t) => t.len(),
        }
    }

    #[inline]
    pub(crate) fn name(self, i: usize) -> Option<&'c str> {
        match self {
            Fields::Columns(c) => Some(&c[i].0),
            Fields::ColumnRefs(c) => Some(&c[i].0),
            Fields::Tuple(t) => t[i].name.as_deref(),
        }
    }

    #[inline]
    pub(crate) fn ty(self, i: usize) -> &'c DataType {
        match self {
            Fields::Columns(c) => &c[i].1,
            Fields::ColumnRefs(c) => &c[i].1,
            Fields::Tuple(t) => &t[i].ty,
        }
    }

    /// The path segment that locates field `i` in an error message.
    pub(crate) fn segment(self, i: usize) -> String {
        match (self, self.name(i)) {
            (Fields::Columns(_) | Fields::ColumnRefs(_), Some(name)) => name.to_owned(),
            (_, Some(name)) => format!(".{name}"),
            (_, None) => format!(".{i}"),
        }
    }

    /// How a struct with these `rust` field names maps onto the fields: in order, or by name in
    /// another order (`None` when the names do not match as a set).
    pub(crate) fn match_names(self, rust: &[&str]) -> Option<Order> {
        if rust.len() != self.len() {
            return None;
        }
        if (0..self.len()).all(|i| self.name(i).is_none_or(|n| n == rust[i])) {
            return Some(Order::InOrder);
        }
        let all_found = (0..self.len()).all(|i| self.name(i).is_some_and(|n| rust.contains(&n)));
        all_found.then_some(Order::ByName)
    }
}

/// How struct fields are matched to columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// Same order: fields are read as a sequence (fastest).
    InOrder,
    /// Same names, different order: fields are read as a map keyed by column name.
    ByName,
}

/// How to step over one row, decided once per result instead of per value: runs of
/// fixed-width columns become one length, strings a length prefix, anything else [`skip`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SkipStep {
    Bytes(usize),
    String,
    Value(DataType),
}

pub(crate) fn skip_plan(columns: &[(String, DataType)]) -> Vec<SkipStep> {
    let mut plan: Vec<SkipStep> = Vec::with_capacity(columns.len());
    for (_, ty) in columns {
        let ty = strip(ty);
        let step = match (ty.fixed_size(), ty) {
            (Some(n), _) => SkipStep::Bytes(n),
            (None, DataType::String) => SkipStep::String,
            (None, other) => SkipStep::Value(other.clone()),
        };
        match (plan.last_mut(), step) {
            (Some(SkipStep::Bytes(total)), SkipStep::Bytes(n)) => *total += n,
            (_, step) => plan.push(step),
        }
    }
    plan
}

/// Steps over one row by `plan`. On any error, including [`RowError::Incomplete`], the cursor
/// is left at the row start.
#[inline]
pub(crate) fn skip_row(
    cursor: &mut ByteCursor<'_>,
    plan: &[SkipStep],
    limits: &DecodeLimits,
) -> Result<(), RowError> {
    let mut cur = cursor.clone();
    for step in plan {
        match step {
            SkipStep::Bytes(n) => {
                cur.bytes(*n)?;
            }
            SkipStep::String => {
                cur.string(limits)?;
            }
            SkipStep::Value(ty) => skip(&mut cur, ty, limits, 1)?,
        }
    }
    *cursor = cur;
    Ok(())
}

/// Skips one value of type `ty` (for `serde::de::IgnoredAny`).
pub(crate) fn skip(
    cur: &mut ByteCursor<'_>,
    ty: &DataType,
    limits: &DecodeLimits,
    depth: u32,
) -> Result<(), RowError> {
    if depth > limits.max_depth {
        return Err(chwire_proto::DecodeError::LimitExceeded {
            what: "type nesting depth",
            value: u64::from(depth),
            limit: u64::from(limits.max_depth),
        }
        .into());
    }
    let ty = strip(ty);
    if let Some(n) = ty.fixed_size() {
        cur.bytes(n)?;
        return Ok(());
    }
    match ty {
        // Typed rows have `JSON` sent as its text.
        DataType::String | DataType::Json(_) => {
            cur.string(limits)?;
        }
        DataType::Nullable(inner) => {
            if cur.u8()? == 0 {
                skip(cur, inner, limits, depth + 1)?;
            }
        }
        // Skipping zero-width elements reads nothing: not looping over them keeps a lying
        // length (2^28 elements in five bytes) from costing time.
        DataType::Map(k, v) => {
            let n = cur.length(limits.max_collection_len, "map length")?;
            skip_elements(cur, n, &[k, v], limits, depth + 1)?;
        }
        DataType::Tuple(elems) => {
            for e in elems {
                skip(cur, &e.ty, limits, depth + 1)?;
            }
        }
        DataType::Nested(fields) => {
            let n = cur.length(limits.max_collection_len, "array length")?;
            if fields.iter().all(|(_, t)| zero_width(t)) {
                return Ok(());
            }
            for _ in 0..n {
                for (_, t) in fields {
                    skip(cur, t, limits, depth + 1)?;
                }
            }
        }
        DataType::Dynamic { .. } => {
            let t = chwire_proto::rowbinary::decode_type_binary(cur, limits)?;
            if t != DataType::Nothing {
                skip(cur, &t, limits, depth + 1)?;
            }
        }
        DataType::Variant(alts) => {
            let d = cur.u8()?;
            if d != 255 {
                let alt = alts
                    .get(usize::from(d))
                    .ok_or_else(|| bad_discriminator(d, ty))?;
                skip(cur, alt, limits, depth + 1)?;
            }
        }
        other => match array_elem(other) {
            Some(elem) => {
                let n = cur.length(limits.max_collection_len, "array length")?;
                skip_elements(cur, n, &[elem], limits, depth + 1)?;
            }
            None => {
                return Err(chwire_proto::DecodeError::Unsupported(other.to_string()).into());
            }
        },
    }
    Ok(())
}

/// Skips `n` elements of a collection, each one value of every type of `elems` in turn; nothing
/// when they all are zero-width (so a lying length costs no time).
fn skip_elements(
    cur: &mut ByteCursor<'_>,
    n: usize,
    elems: &[&DataType],
    limits: &DecodeLimits,
    depth: u32,
) -> Result<(), RowError> {
    if elems.iter().all(|t| zero_width(t)) {
        return Ok(());
    }
    for _ in 0..n {
        for t in elems {
            skip(cur, t, limits, depth)?;
        }
    }
    Ok(())
}

/// Whether values of `ty` take no bytes at all (so counting them against the input bounds
/// nothing).
pub(crate) fn zero_width(ty: &DataType) -> bool {
    chwire_proto::rowbinary::value_codec::min_wire_size(ty) == 0
}

pub(crate) fn bad_discriminator(d: u8, ty: &DataType) -> RowError {
    RowError::invalid(format!("Variant discriminator {d} out of range for {ty}"))
}
