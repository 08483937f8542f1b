//! The server's compact binary encoding of data types.
//!
//! A type is one tag byte followed by its parameters. The server uses it to say which type a
//! `Dynamic` value (and each dynamic `JSON` path) has, and, with
//! `output_format_binary_encode_types_in_binary_format=1`, in `RowBinaryWithNamesAndTypes`
//! headers instead of type strings: that variant needs no type-string parser at all.
//!
//! Server defaults (`Dynamic` `max_types=32`, `JSON` `max_dynamic_paths=1024`,
//! `max_dynamic_types=32`) are always written on the wire; on decode they become `None`, matching
//! the server's own printed type names, which omit them.

use bytes::BufMut;

use crate::types::decimal_size;
use crate::wire::{ByteCursor, DecodeError, DecodeLimits, ReadError, put_string, put_varuint};
use crate::{DataType, IntervalKind, JsonParams, TupleElement};

const DEFAULT_DYNAMIC_MAX_TYPES: u32 = 32;
const DEFAULT_JSON_MAX_DYNAMIC_PATHS: u32 = 1024;
const DEFAULT_JSON_MAX_DYNAMIC_TYPES: u32 = 32;

mod tag {
    pub const NOTHING: u8 = 0x00;
    pub const UINT8: u8 = 0x01;
    pub const UINT16: u8 = 0x02;
    pub const UINT32: u8 = 0x03;
    pub const UINT64: u8 = 0x04;
    pub const UINT128: u8 = 0x05;
    pub const UINT256: u8 = 0x06;
    pub const INT8: u8 = 0x07;
    pub const INT16: u8 = 0x08;
    pub const INT32: u8 = 0x09;
    pub const INT64: u8 = 0x0A;
    pub const INT128: u8 = 0x0B;
    pub const INT256: u8 = 0x0C;
    pub const FLOAT32: u8 = 0x0D;
    pub const FLOAT64: u8 = 0x0E;
    pub const DATE: u8 = 0x0F;
    pub const DATE32: u8 = 0x10;
    pub const DATETIME: u8 = 0x11;
    pub const DATETIME_TZ: u8 = 0x12;
    pub const DATETIME64: u8 = 0x13;
    pub const DATETIME64_TZ: u8 = 0x14;
    pub const STRING: u8 = 0x15;
    pub const FIXED_STRING: u8 = 0x16;
    pub const ENUM8: u8 = 0x17;
    pub const ENUM16: u8 = 0x18;
    pub const DECIMAL32: u8 = 0x19;
    pub const DECIMAL64: u8 = 0x1A;
    pub const DECIMAL128: u8 = 0x1B;
    pub const DECIMAL256: u8 = 0x1C;
    pub const UUID: u8 = 0x1D;
    pub const ARRAY: u8 = 0x1E;
    pub const TUPLE: u8 = 0x1F;
    pub const NAMED_TUPLE: u8 = 0x20;
    pub const INTERVAL: u8 = 0x22;
    pub const NULLABLE: u8 = 0x23;
    pub const LOW_CARDINALITY: u8 = 0x26;
    pub const MAP: u8 = 0x27;
    pub const IPV4: u8 = 0x28;
    pub const IPV6: u8 = 0x29;
    pub const VARIANT: u8 = 0x2A;
    pub const DYNAMIC: u8 = 0x2B;
    pub const CUSTOM: u8 = 0x2C;
    pub const BOOL: u8 = 0x2D;
    pub const SIMPLE_AGGREGATE_FUNCTION: u8 = 0x2E;
    pub const NESTED: u8 = 0x2F;
    pub const JSON: u8 = 0x30;
    pub const BFLOAT16: u8 = 0x31;
    pub const TIME: u8 = 0x32;
    pub const TIME64: u8 = 0x34;
    pub const QBIT: u8 = 0x36;
}

/// Tags of `AggregateFunction`/`SimpleAggregateFunction` parameters (a subset of the server's
/// `Field` encoding: the kinds that can appear as literal parameters).
mod param_tag {
    pub const NULL: u8 = 0x00;
    pub const UINT64: u8 = 0x01;
    pub const INT64: u8 = 0x02;
    pub const FLOAT64: u8 = 0x07;
    pub const STRING: u8 = 0x0C;
}

fn interval_code(kind: IntervalKind) -> u8 {
    // The codes follow `IntervalKind::ALL` order (Nanosecond = 0 … Year = 10).
    IntervalKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0) as u8
}

fn mismatch(ty: &DataType, reason: impl Into<String>) -> DecodeError {
    DecodeError::TypeMismatch {
        ty: ty.to_string(),
        reason: reason.into(),
    }
}

/// Appends the binary encoding of `ty`.
///
/// Fails only for a `SimpleAggregateFunction` whose parameters cannot be expressed in the
/// binary form (anything other than numbers, strings and NULL).
pub fn encode_type_binary(ty: &DataType, out: &mut impl BufMut) -> Result<(), DecodeError> {
    match ty {
        DataType::Nothing => out.put_u8(tag::NOTHING),
        DataType::UInt8 => out.put_u8(tag::UINT8),
        DataType::UInt16 => out.put_u8(tag::UINT16),
        DataType::UInt32 => out.put_u8(tag::UINT32),
        DataType::UInt64 => out.put_u8(tag::UINT64),
        DataType::UInt128 => out.put_u8(tag::UINT128),
        DataType::UInt256 => out.put_u8(tag::UINT256),
        DataType::Int8 => out.put_u8(tag::INT8),
        DataType::Int16 => out.put_u8(tag::INT16),
        DataType::Int32 => out.put_u8(tag::INT32),
        DataType::Int64 => out.put_u8(tag::INT64),
        DataType::Int128 => out.put_u8(tag::INT128),
        DataType::Int256 => out.put_u8(tag::INT256),
        DataType::Float32 => out.put_u8(tag::FLOAT32),
        DataType::Float64 => out.put_u8(tag::FLOAT64),
        DataType::BFloat16 => out.put_u8(tag::BFLOAT16),
        DataType::Date => out.put_u8(tag::DATE),
        DataType::Date32 => out.put_u8(tag::DATE32),
        DataType::DateTime(None) => out.put_u8(tag::DATETIME),
        DataType::DateTime(Some(tz)) => {
            out.put_u8(tag::DATETIME_TZ);
            put_string(out, tz.as_bytes());
        }
        DataType::DateTime64(p, None) => {
            out.put_u8(tag::DATETIME64);
            out.put_u8(*p);
        }
        DataType::DateTime64(p, Some(tz)) => {
            out.put_u8(tag::DATETIME64_TZ);
            out.put_u8(*p);
            put_string(out, tz.as_bytes());
        }
        DataType::Time => out.put_u8(tag::TIME),
        DataType::Time64(p) => {
            out.put_u8(tag::TIME64);
            out.put_u8(*p);
        }
        DataType::String => out.put_u8(tag::STRING),
        DataType::FixedString(n) => {
            out.put_u8(tag::FIXED_STRING);
            put_varuint(out, *n as u64);
        }
        DataType::Enum8(items) => {
            out.put_u8(tag::ENUM8);
            put_varuint(out, items.len() as u64);
            for (name, v) in items {
                put_string(out, name.as_bytes());
                out.put_i8(*v);
            }
        }
        DataType::Enum16(items) => {
            out.put_u8(tag::ENUM16);
            put_varuint(out, items.len() as u64);
            for (name, v) in items {
                put_string(out, name.as_bytes());
                out.put_i16_le(*v);
            }
        }
        DataType::Decimal { precision, scale } => {
            out.put_u8(match decimal_size(*precision) {
                4 => tag::DECIMAL32,
                8 => tag::DECIMAL64,
                16 => tag::DECIMAL128,
                _ => tag::DECIMAL256,
            });
            out.put_u8(*precision);
            out.put_u8(*scale);
        }
        DataType::Bool => out.put_u8(tag::BOOL),
        DataType::Uuid => out.put_u8(tag::UUID),
        DataType::IPv4 => out.put_u8(tag::IPV4),
        DataType::IPv6 => out.put_u8(tag::IPV6),
        DataType::Array(inner) => {
            out.put_u8(tag::ARRAY);
            encode_type_binary(inner, out)?;
        }
        DataType::Tuple(elems) => {
            let named = !elems.is_empty() && elems.iter().all(|e| e.name.is_some());
            out.put_u8(if named { tag::NAMED_TUPLE } else { tag::TUPLE });
            put_varuint(out, elems.len() as u64);
            for e in elems {
                if named {
                    put_string(out, e.name.as_deref().unwrap_or("").as_bytes());
                }
                encode_type_binary(&e.ty, out)?;
            }
        }
        DataType::Map(k, v) => {
            out.put_u8(tag::MAP);
            encode_type_binary(k, out)?;
            encode_type_binary(v, out)?;
        }
        DataType::Nullable(inner) => {
            out.put_u8(tag::NULLABLE);
            encode_type_binary(inner, out)?;
        }
        DataType::LowCardinality(inner) => {
            out.put_u8(tag::LOW_CARDINALITY);
            encode_type_binary(inner, out)?;
        }
        DataType::Nested(fields) => {
            out.put_u8(tag::NESTED);
            put_varuint(out, fields.len() as u64);
            for (name, t) in fields {
                put_string(out, name.as_bytes());
                encode_type_binary(t, out)?;
            }
        }
        DataType::Variant(alts) => {
            out.put_u8(tag::VARIANT);
            put_varuint(out, alts.len() as u64);
            for t in alts {
                encode_type_binary(t, out)?;
            }
        }
        DataType::Dynamic { max_types } => {
            let n = max_types.unwrap_or(DEFAULT_DYNAMIC_MAX_TYPES);
            out.put_u8(tag::DYNAMIC);
            out.put_u8(u8::try_from(n).map_err(|_| mismatch(ty, "max_types above 255"))?);
        }
        DataType::Json(params) => {
            out.put_u8(tag::JSON);
            out.put_u8(0); // serialization version
            put_varuint(
                out,
                u64::from(
                    params
                        .max_dynamic_paths
                        .unwrap_or(DEFAULT_JSON_MAX_DYNAMIC_PATHS),
                ),
            );
            let types = params
                .max_dynamic_types
                .unwrap_or(DEFAULT_JSON_MAX_DYNAMIC_TYPES);
            out.put_u8(
                u8::try_from(types).map_err(|_| mismatch(ty, "max_dynamic_types above 255"))?,
            );
            put_varuint(out, params.typed_paths.len() as u64);
            for (path, t) in &params.typed_paths {
                put_string(out, path.as_bytes());
                encode_type_binary(t, out)?;
            }
            put_varuint(out, params.skip_paths.len() as u64);
            for p in &params.skip_paths {
                put_string(out, p.as_bytes());
            }
            put_varuint(out, params.skip_regexps.len() as u64);
            for p in &params.skip_regexps {
                put_string(out, p.as_bytes());
            }
        }
        DataType::Point
        | DataType::Ring
        | DataType::LineString
        | DataType::MultiLineString
        | DataType::Polygon
        | DataType::MultiPolygon => {
            out.put_u8(tag::CUSTOM);
            put_string(out, geo_name(ty).as_bytes());
        }
        DataType::Interval(kind) => {
            out.put_u8(tag::INTERVAL);
            out.put_u8(interval_code(*kind));
        }
        DataType::SimpleAggregateFunction { function, ty: arg } => {
            let (name, params) = split_function(function).ok_or_else(|| {
                mismatch(ty, "aggregate function parameters are not plain literals")
            })?;
            out.put_u8(tag::SIMPLE_AGGREGATE_FUNCTION);
            put_string(out, name.as_bytes());
            put_varuint(out, params.len() as u64);
            for p in &params {
                encode_param(p, out);
            }
            put_varuint(out, 1);
            encode_type_binary(arg, out)?;
        }
        DataType::QBit { element, dimension } => {
            out.put_u8(tag::QBIT);
            encode_type_binary(element, out)?;
            put_varuint(out, u64::from(*dimension));
        }
    }
    Ok(())
}

fn geo_name(ty: &DataType) -> &'static str {
    match ty {
        DataType::Point => "Point",
        DataType::Ring => "Ring",
        DataType::LineString => "LineString",
        DataType::MultiLineString => "MultiLineString",
        DataType::Polygon => "Polygon",
        _ => "MultiPolygon",
    }
}

/// A literal aggregate-function parameter.
#[derive(Debug, Clone, PartialEq)]
enum Param {
    Null,
    UInt(u64),
    Int(i64),
    Float(f64),
    Str(String),
}

/// Splits `quantiles(0.5, 0.9)` into the name and its literal parameters.
fn split_function(text: &str) -> Option<(&str, Vec<Param>)> {
    let text = text.trim();
    let Some(open) = text.find('(') else {
        return Some((text, Vec::new()));
    };
    let name = text[..open].trim();
    let inner = text[open + 1..].strip_suffix(')')?;
    let mut params = Vec::new();
    if inner.trim().is_empty() {
        return Some((name, params));
    }
    for raw in inner.split(',') {
        let raw = raw.trim();
        let p = if raw.eq_ignore_ascii_case("null") {
            Param::Null
        } else if let Some(s) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
            if s.contains(['\'', '\\']) {
                return None;
            }
            Param::Str(s.to_string())
        } else if let Ok(u) = raw.parse::<u64>() {
            Param::UInt(u)
        } else if let Ok(i) = raw.parse::<i64>() {
            Param::Int(i)
        } else if let Ok(f) = raw.parse::<f64>() {
            Param::Float(f)
        } else {
            return None;
        };
        params.push(p);
    }
    Some((name, params))
}

fn encode_param(p: &Param, out: &mut impl BufMut) {
    match p {
        Param::Null => out.put_u8(param_tag::NULL),
        Param::UInt(u) => {
            out.put_u8(param_tag::UINT64);
            put_varuint(out, *u);
        }
        Param::Int(i) => {
            out.put_u8(param_tag::INT64);
            put_varuint(out, ((*i << 1) ^ (*i >> 63)) as u64);
        }
        Param::Float(f) => {
            out.put_u8(param_tag::FLOAT64);
            out.put_f64_le(*f);
        }
        Param::Str(s) => {
            out.put_u8(param_tag::STRING);
            put_string(out, s.as_bytes());
        }
    }
}

fn malformed(cur: &ByteCursor<'_>, reason: impl Into<String>) -> ReadError {
    ReadError::Bad(DecodeError::Malformed {
        offset: cur.position(),
        reason: reason.into(),
    })
}

fn unsupported(what: impl Into<String>) -> ReadError {
    ReadError::Bad(DecodeError::Unsupported(what.into()))
}

fn owned_utf8(cur: &mut ByteCursor<'_>, limits: &DecodeLimits) -> Result<String, ReadError> {
    Ok(cur.utf8(limits)?.to_string())
}

/// Reads one binary-encoded type. Counts are checked against `limits.max_columns` (elements of
/// tuples, variants, enums, JSON paths) and nesting against `limits.max_depth`.
pub fn decode_type_binary(
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
) -> Result<DataType, ReadError> {
    decode_type_binary_at(cur, limits, 0)
}

fn count(
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
    what: &'static str,
) -> Result<usize, ReadError> {
    cur.length(limits.max_columns, what)
}

pub(crate) fn decode_type_binary_at(
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
    depth: u32,
) -> Result<DataType, ReadError> {
    if depth > limits.max_depth {
        return Err(ReadError::Bad(DecodeError::LimitExceeded {
            what: "type nesting depth",
            value: u64::from(depth),
            limit: u64::from(limits.max_depth),
        }));
    }
    let d = depth + 1;
    let t = cur.u8()?;
    Ok(match t {
        tag::NOTHING => DataType::Nothing,
        tag::UINT8 => DataType::UInt8,
        tag::UINT16 => DataType::UInt16,
        tag::UINT32 => DataType::UInt32,
        tag::UINT64 => DataType::UInt64,
        tag::UINT128 => DataType::UInt128,
        tag::UINT256 => DataType::UInt256,
        tag::INT8 => DataType::Int8,
        tag::INT16 => DataType::Int16,
        tag::INT32 => DataType::Int32,
        tag::INT64 => DataType::Int64,
        tag::INT128 => DataType::Int128,
        tag::INT256 => DataType::Int256,
        tag::FLOAT32 => DataType::Float32,
        tag::FLOAT64 => DataType::Float64,
        tag::BFLOAT16 => DataType::BFloat16,
        tag::DATE => DataType::Date,
        tag::DATE32 => DataType::Date32,
        tag::DATETIME => DataType::DateTime(None),
        tag::DATETIME_TZ => DataType::DateTime(Some(owned_utf8(cur, limits)?)),
        tag::DATETIME64 => DataType::DateTime64(cur.u8()?, None),
        tag::DATETIME64_TZ => {
            let p = cur.u8()?;
            DataType::DateTime64(p, Some(owned_utf8(cur, limits)?))
        }
        tag::TIME => DataType::Time,
        tag::TIME64 => DataType::Time64(cur.u8()?),
        tag::STRING => DataType::String,
        tag::FIXED_STRING => {
            let n = cur.length(limits.max_string_len, "FixedString size")?;
            DataType::FixedString(n)
        }
        tag::ENUM8 => {
            let n = count(cur, limits, "enum element count")?;
            let mut items = Vec::with_capacity(n.min(cur.remaining().len()));
            for _ in 0..n {
                let name = owned_utf8(cur, limits)?;
                items.push((name, cur.i8_le()?));
            }
            DataType::Enum8(items)
        }
        tag::ENUM16 => {
            let n = count(cur, limits, "enum element count")?;
            let mut items = Vec::with_capacity(n.min(cur.remaining().len()));
            for _ in 0..n {
                let name = owned_utf8(cur, limits)?;
                items.push((name, cur.i16_le()?));
            }
            DataType::Enum16(items)
        }
        tag::DECIMAL32 | tag::DECIMAL64 | tag::DECIMAL128 | tag::DECIMAL256 => {
            let precision = cur.u8()?;
            let scale = cur.u8()?;
            if precision == 0 || precision > 76 || scale > precision {
                return Err(malformed(cur, format!("bad Decimal({precision}, {scale})")));
            }
            DataType::Decimal { precision, scale }
        }
        tag::UUID => DataType::Uuid,
        tag::ARRAY => DataType::Array(Box::new(decode_type_binary_at(cur, limits, d)?)),
        tag::TUPLE | tag::NAMED_TUPLE => {
            let n = count(cur, limits, "tuple element count")?;
            let mut elems = Vec::with_capacity(n.min(cur.remaining().len()));
            for _ in 0..n {
                let name = if t == tag::NAMED_TUPLE {
                    Some(owned_utf8(cur, limits)?)
                } else {
                    None
                };
                elems.push(TupleElement {
                    name,
                    ty: decode_type_binary_at(cur, limits, d)?,
                });
            }
            DataType::Tuple(elems)
        }
        tag::INTERVAL => {
            let code = cur.u8()?;
            let kind = IntervalKind::ALL
                .get(usize::from(code))
                .copied()
                .ok_or_else(|| malformed(cur, format!("unknown interval kind {code}")))?;
            DataType::Interval(kind)
        }
        tag::NULLABLE => DataType::Nullable(Box::new(decode_type_binary_at(cur, limits, d)?)),
        tag::LOW_CARDINALITY => {
            DataType::LowCardinality(Box::new(decode_type_binary_at(cur, limits, d)?))
        }
        tag::MAP => {
            let k = decode_type_binary_at(cur, limits, d)?;
            let v = decode_type_binary_at(cur, limits, d)?;
            DataType::Map(Box::new(k), Box::new(v))
        }
        tag::IPV4 => DataType::IPv4,
        tag::IPV6 => DataType::IPv6,
        tag::VARIANT => {
            let n = count(cur, limits, "variant alternative count")?;
            if n > 255 {
                return Err(malformed(cur, "Variant with more than 255 alternatives"));
            }
            let mut alts = Vec::with_capacity(n.min(cur.remaining().len()));
            for _ in 0..n {
                alts.push(decode_type_binary_at(cur, limits, d)?);
            }
            DataType::Variant(alts)
        }
        tag::DYNAMIC => {
            let n = u32::from(cur.u8()?);
            DataType::Dynamic {
                max_types: (n != DEFAULT_DYNAMIC_MAX_TYPES).then_some(n),
            }
        }
        tag::CUSTOM => {
            let name = cur.utf8(limits)?;
            match name {
                "Point" => DataType::Point,
                "Ring" => DataType::Ring,
                "LineString" => DataType::LineString,
                "MultiLineString" => DataType::MultiLineString,
                "Polygon" => DataType::Polygon,
                "MultiPolygon" => DataType::MultiPolygon,
                other => DataType::parse(other).map_err(|e| ReadError::Bad(e.into()))?,
            }
        }
        tag::BOOL => DataType::Bool,
        tag::SIMPLE_AGGREGATE_FUNCTION => {
            let name = owned_utf8(cur, limits)?;
            let n = count(cur, limits, "aggregate function parameter count")?;
            let mut function = name;
            for i in 0..n {
                function.push_str(if i == 0 { "(" } else { ", " });
                decode_param(cur, limits, &mut function)?;
            }
            if n > 0 {
                function.push(')');
            }
            let args = count(cur, limits, "aggregate function argument count")?;
            if args != 1 {
                return Err(unsupported(format!(
                    "SimpleAggregateFunction with {args} argument types"
                )));
            }
            let ty = decode_type_binary_at(cur, limits, d)?;
            DataType::SimpleAggregateFunction {
                function,
                ty: Box::new(ty),
            }
        }
        tag::NESTED => {
            let n = count(cur, limits, "nested field count")?;
            let mut fields = Vec::with_capacity(n.min(cur.remaining().len()));
            for _ in 0..n {
                let name = owned_utf8(cur, limits)?;
                fields.push((name, decode_type_binary_at(cur, limits, d)?));
            }
            DataType::Nested(fields)
        }
        tag::JSON => {
            let version = cur.u8()?;
            if version != 0 {
                return Err(unsupported(format!(
                    "JSON type serialization version {version}"
                )));
            }
            let paths = cur.varuint()?;
            let paths = u32::try_from(paths)
                .map_err(|_| malformed(cur, "JSON max_dynamic_paths out of range"))?;
            let types = u32::from(cur.u8()?);
            let mut params = JsonParams {
                max_dynamic_paths: (paths != DEFAULT_JSON_MAX_DYNAMIC_PATHS).then_some(paths),
                max_dynamic_types: (types != DEFAULT_JSON_MAX_DYNAMIC_TYPES).then_some(types),
                ..JsonParams::default()
            };
            let n = count(cur, limits, "JSON typed path count")?;
            for _ in 0..n {
                let path = owned_utf8(cur, limits)?;
                params
                    .typed_paths
                    .push((path, decode_type_binary_at(cur, limits, d)?));
            }
            let n = count(cur, limits, "JSON skip path count")?;
            for _ in 0..n {
                params.skip_paths.push(owned_utf8(cur, limits)?);
            }
            let n = count(cur, limits, "JSON skip regexp count")?;
            for _ in 0..n {
                params.skip_regexps.push(owned_utf8(cur, limits)?);
            }
            DataType::Json(Box::new(params))
        }
        tag::QBIT => {
            let element = decode_type_binary_at(cur, limits, d)?;
            let dim = cur.varuint()?;
            let dimension =
                u32::try_from(dim).map_err(|_| malformed(cur, "QBit dimension out of range"))?;
            DataType::QBit {
                element: Box::new(element),
                dimension,
            }
        }
        other => {
            return Err(unsupported(format!("binary type tag 0x{other:02X}")));
        }
    })
}

/// Reads one aggregate-function parameter and appends its SQL literal spelling.
fn decode_param(
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
    text: &mut String,
) -> Result<(), ReadError> {
    use std::fmt::Write;
    match cur.u8()? {
        param_tag::NULL => text.push_str("NULL"),
        param_tag::UINT64 => {
            let _ = write!(text, "{}", cur.varuint()?);
        }
        param_tag::INT64 => {
            let z = cur.varuint()?;
            let _ = write!(text, "{}", ((z >> 1) as i64) ^ -((z & 1) as i64));
        }
        param_tag::FLOAT64 => {
            let _ = write!(text, "{}", cur.f64_le()?);
        }
        param_tag::STRING => {
            let s = cur.utf8(limits)?;
            text.push('\'');
            for c in s.chars() {
                if c == '\'' || c == '\\' {
                    text.push('\\');
                }
                text.push(c);
            }
            text.push('\'');
        }
        other => {
            return Err(unsupported(format!(
                "aggregate function parameter kind 0x{other:02X}"
            )));
        }
    }
    Ok(())
}
