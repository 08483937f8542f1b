//! ClickHouse types → Arrow fields: the one place that decides what each type becomes, so the
//! schema known before the first batch and the arrays built from blocks always agree.
//!
//! The reference is the server's own `FORMAT ArrowStream` (default settings); the few
//! deliberate differences are listed in `docs/arrow.md` and flagged here.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_schema::{
    DataType as A, Field, Fields, Schema, SchemaRef, TimeUnit, UnionFields, UnionMode,
};
use chwire_proto::column::physical_type;
use chwire_proto::{DataType, IntervalKind};

use crate::{ArrowOptions, Error};

/// The Arrow schema of a result with these columns.
pub fn schema_of(
    columns: &[(String, DataType)],
    options: &ArrowOptions,
) -> Result<SchemaRef, Error> {
    let fields = columns
        .iter()
        .map(|(name, ty)| {
            field(name, ty, options).map_err(|reason| Error::Unsupported {
                column: name.clone(),
                ty: ty.to_string(),
                reason,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Arc::new(Schema::new(fields)))
}

/// The field for a column (or an element) of type `ty`; the error says why it has no mapping.
pub(crate) fn field(name: &str, ty: &DataType, o: &ArrowOptions) -> Result<Field, String> {
    let nullable = is_nullable(ty);
    let mut f = Field::new(name, arrow_type(ty, o)?, nullable);
    if matches!(ty, DataType::Uuid) {
        // What the server attaches (the canonical `arrow.uuid` extension type).
        f = f.with_metadata(HashMap::from([
            ("ARROW:extension:name".to_string(), "arrow.uuid".to_string()),
            ("ARROW:extension:metadata".to_string(), String::new()),
            ("PARQUET:logical_type".to_string(), "UUID".to_string()),
        ]));
    }
    if matches!(ty, DataType::Dynamic { .. } | DataType::Json(_)) {
        f = f.with_metadata(HashMap::from([
            ("ARROW:extension:name".to_string(), "arrow.json".to_string()),
            ("ARROW:extension:metadata".to_string(), String::new()),
        ]));
    }
    Ok(f)
}

/// Whether rows of `ty` can be NULL (only `Nullable`, possibly under `LowCardinality`).
pub(crate) fn is_nullable(ty: &DataType) -> bool {
    match ty {
        DataType::Nullable(_) | DataType::Nothing => true,
        DataType::LowCardinality(t) => is_nullable(t),
        DataType::SimpleAggregateFunction { ty, .. } => is_nullable(ty),
        _ => false,
    }
}

/// Element names of a tuple: its own names, or `1`, `2`, … as the server writes them.
pub(crate) fn element_name(name: Option<&str>, i: usize) -> String {
    name.map_or_else(|| (i + 1).to_string(), str::to_string)
}

/// Arrow's unit for a sub-second precision, and the factor that brings ticks of `10^-p`
/// seconds to it (the server rounds precisions up to the next unit: 1-3 → ms, 4-6 → µs).
pub(crate) fn time_unit(precision: u8) -> Result<(TimeUnit, i64), String> {
    let unit = match precision {
        0 => TimeUnit::Second,
        1..=3 => TimeUnit::Millisecond,
        4..=6 => TimeUnit::Microsecond,
        7..=9 => TimeUnit::Nanosecond,
        p => return Err(format!("precision {p} is beyond nanoseconds")),
    };
    let target = match unit {
        TimeUnit::Second => 0,
        TimeUnit::Millisecond => 3,
        TimeUnit::Microsecond => 6,
        TimeUnit::Nanosecond => 9,
    };
    Ok((unit, 10i64.pow(u32::from(target - precision))))
}

/// The Arrow unit of an interval kind that has one (sub-day kinds: the server writes
/// `Duration`); the others stay plain `Int64` counts.
pub(crate) fn interval_unit(kind: IntervalKind) -> Option<TimeUnit> {
    match kind {
        IntervalKind::Nanosecond => Some(TimeUnit::Nanosecond),
        IntervalKind::Microsecond => Some(TimeUnit::Microsecond),
        IntervalKind::Millisecond => Some(TimeUnit::Millisecond),
        IntervalKind::Second => Some(TimeUnit::Second),
        _ => None,
    }
}

/// The name of the NULL member of a `Variant`'s union (as the server names it).
pub(crate) const VARIANT_NULL: &str = "NULL";

pub(crate) fn arrow_type(ty: &DataType, o: &ArrowOptions) -> Result<A, String> {
    Ok(match ty {
        DataType::Int8 | DataType::Enum8(_) => A::Int8,
        DataType::Int16 | DataType::Enum16(_) => A::Int16,
        DataType::Int32 => A::Int32,
        DataType::Int64 => A::Int64,
        DataType::UInt8 => A::UInt8,
        DataType::UInt16 => A::UInt16,
        DataType::UInt32 | DataType::IPv4 | DataType::DateTime(_) => A::UInt32,
        DataType::UInt64 => A::UInt64,
        // Arrow has no 128/256-bit integers: little-endian bytes, as the server writes them.
        DataType::Int128 | DataType::UInt128 => A::FixedSizeBinary(16),
        DataType::Int256 | DataType::UInt256 => A::FixedSizeBinary(32),
        DataType::Float32 => A::Float32,
        DataType::Float64 => A::Float64,
        // Documented difference: the server writes the raw 2 bytes as Binary; Float32 holds
        // every BFloat16 exactly.
        DataType::BFloat16 => A::Float32,
        DataType::Decimal { precision, scale } => {
            let scale = i8::try_from(*scale).map_err(|_| format!("scale {scale} too large"))?;
            if *precision <= 38 {
                A::Decimal128(*precision, scale)
            } else {
                A::Decimal256(*precision, scale)
            }
        }
        DataType::Bool => A::Boolean,
        DataType::String if o.strings_as_binary => A::Binary,
        DataType::String => A::Utf8,
        DataType::FixedString(n) => A::FixedSizeBinary(
            i32::try_from(*n).map_err(|_| format!("FixedString({n}) is too wide"))?,
        ),
        DataType::Uuid | DataType::IPv6 => A::FixedSizeBinary(16),
        DataType::Date | DataType::Date32 => A::Date32,
        DataType::DateTime64(p, tz) => A::Timestamp(time_unit(*p)?.0, tz.as_deref().map(Arc::from)),
        DataType::Time => A::Time32(TimeUnit::Second),
        DataType::Time64(p) => match time_unit(*p)?.0 {
            u @ (TimeUnit::Second | TimeUnit::Millisecond) => A::Time32(u),
            u => A::Time64(u),
        },
        DataType::Interval(kind) => interval_unit(*kind).map_or(A::Int64, A::Duration),
        DataType::Nothing => A::Null,
        DataType::Nullable(inner) => arrow_type(inner, o)?,
        DataType::LowCardinality(inner) if o.low_cardinality_as_dictionary => A::Dictionary(
            Box::new(A::Int32),
            Box::new(arrow_type(strip_nullable(inner), o)?),
        ),
        DataType::LowCardinality(inner) => arrow_type(inner, o)?,
        DataType::Array(inner) => A::List(Arc::new(field("item", inner, o)?)),
        DataType::Tuple(elements) => A::Struct(
            elements
                .iter()
                .enumerate()
                .map(|(i, e)| field(&element_name(e.name.as_deref(), i), &e.ty, o))
                .collect::<Result<Fields, _>>()?,
        ),
        DataType::Map(k, v) => {
            let entries = Fields::from(vec![field("key", k, o)?, field("value", v, o)?]);
            A::Map(
                Arc::new(Field::new("entries", A::Struct(entries), false)),
                false,
            )
        }
        DataType::Variant(alternatives) => {
            let n = alternatives.len();
            if n >= i8::MAX as usize {
                return Err(format!("{n} alternatives do not fit a union"));
            }
            let mut fields = alternatives
                .iter()
                .map(|t| {
                    // The server names members by type family (`Array`, not `Array(UInt8)`).
                    let name = t.to_string();
                    let family = name.split('(').next().unwrap_or_default();
                    field(family, t, o)
                })
                .collect::<Result<Vec<_>, _>>()?;
            fields.push(Field::new(VARIANT_NULL, A::Null, false));
            A::Union(
                UnionFields::try_new(0..=n as i8, fields).map_err(|e| e.to_string())?,
                UnionMode::Dense,
            )
        }
        // Each value's JSON text, as the server writes them (the `arrow.json` extension).
        DataType::Dynamic { .. } | DataType::Json(_) => A::Utf8,
        DataType::QBit { .. } => {
            return Err("QBit has no Arrow mapping (the server has none either)".into());
        }
        DataType::Nested(_)
        | DataType::Point
        | DataType::Ring
        | DataType::LineString
        | DataType::MultiLineString
        | DataType::Polygon
        | DataType::MultiPolygon
        | DataType::SimpleAggregateFunction { .. } => arrow_type(&physical_type(ty), o)?,
    })
}

fn strip_nullable(ty: &DataType) -> &DataType {
    match ty {
        DataType::Nullable(t) => t,
        t => t,
    }
}
