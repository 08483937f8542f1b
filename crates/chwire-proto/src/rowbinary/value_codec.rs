//! One value in RowBinary layout, driven by its column type.
//!
//! RowBinary is the server's per-value binary serialization: fixed-width numbers little-endian,
//! strings and collections prefixed by a varint length, `Nullable` by a one-byte null flag,
//! `Variant` by a discriminator byte, `Dynamic` by the value's binary-encoded type.
//! `LowCardinality` and `SimpleAggregateFunction` are transparent.
//! `JSON` is a varint path count, then per path its name and either the typed path's value or a
//! `Dynamic` value. (With `output_format_binary_write_json_as_string=1` /
//! `input_format_binary_read_json_as_string=1` the server sends/accepts JSON as a plain
//! `String` instead; decode such a column as [`DataType::String`].)
//!
//! Lengths are checked against [`DecodeLimits`] and against the bytes actually available before
//! anything is allocated, so a hostile length costs nothing.

use std::net::{Ipv4Addr, Ipv6Addr};

use bytes::BufMut;

use super::type_codec::{decode_type_binary_at, encode_type_binary};
use crate::types::decimal_size;
use crate::value::{I256, U256};
use crate::wire::{ByteCursor, DecodeError, DecodeLimits, ReadError, put_string, put_varuint};
use crate::{DataType, Point, Value};

fn value_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "Null",
        Value::Bool(_) => "Bool",
        Value::Int8(_) => "Int8",
        Value::Int16(_) => "Int16",
        Value::Int32(_) => "Int32",
        Value::Int64(_) => "Int64",
        Value::Int128(_) => "Int128",
        Value::Int256(_) => "Int256",
        Value::UInt8(_) => "UInt8",
        Value::UInt16(_) => "UInt16",
        Value::UInt32(_) => "UInt32",
        Value::UInt64(_) => "UInt64",
        Value::UInt128(_) => "UInt128",
        Value::UInt256(_) => "UInt256",
        Value::Float32(_) => "Float32",
        Value::Float64(_) => "Float64",
        Value::BFloat16(_) => "BFloat16",
        Value::Decimal(_) => "Decimal",
        Value::String(_) => "String",
        Value::FixedString(_) => "FixedString",
        Value::Uuid(_) => "Uuid",
        Value::Date(_) => "Date",
        Value::Date32(_) => "Date32",
        Value::DateTime(_) => "DateTime",
        Value::DateTime64(_) => "DateTime64",
        Value::Time(_) => "Time",
        Value::Time64(_) => "Time64",
        Value::Enum8(_) => "Enum8",
        Value::Enum16(_) => "Enum16",
        Value::IPv4(_) => "IPv4",
        Value::IPv6(_) => "IPv6",
        Value::Array(_) => "Array",
        Value::Tuple(_) => "Tuple",
        Value::Map(_) => "Map",
        Value::Variant(..) => "Variant",
        Value::Dynamic(..) => "Dynamic",
        Value::Json(_) => "Json",
        Value::Point(_) => "Point",
        Value::Ring(_) => "Ring",
        Value::LineString(_) => "LineString",
        Value::MultiLineString(_) => "MultiLineString",
        Value::Polygon(_) => "Polygon",
        Value::MultiPolygon(_) => "MultiPolygon",
        Value::Interval(_) => "Interval",
        Value::QBit(_) => "QBit",
    }
}

fn mismatch(ty: &DataType, reason: impl Into<String>) -> DecodeError {
    DecodeError::TypeMismatch {
        ty: ty.to_string(),
        reason: reason.into(),
    }
}

fn wrong_value(ty: &DataType, v: &Value) -> DecodeError {
    mismatch(ty, format!("got a {} value", value_kind(v)))
}

/// Canonical (big-endian) UUID bytes <-> RowBinary layout: two `u64` halves, high half first,
/// each little-endian. Reversing each half converts in both directions.
fn swap_uuid_halves(b: [u8; 16]) -> [u8; 16] {
    let mut o = b;
    o[..8].reverse();
    o[8..].reverse();
    o
}

fn put_points(out: &mut impl BufMut, pts: &[Point]) {
    put_varuint(out, pts.len() as u64);
    for p in pts {
        out.put_f64_le(p.x);
        out.put_f64_le(p.y);
    }
}

fn put_rings(out: &mut impl BufMut, rings: &[Vec<Point>]) {
    put_varuint(out, rings.len() as u64);
    for r in rings {
        put_points(out, r);
    }
}

/// Appends `value` encoded as `ty` in RowBinary layout.
///
/// The value must be the variant the type decodes to (see [`Value`]); a mismatch is reported as
/// [`DecodeError::TypeMismatch`] and may leave a partial value in `out` (callers that need
/// atomic rows truncate, as [`RowBinaryEncoder`](super::RowBinaryEncoder) does).
pub fn encode_value(
    ty: &DataType,
    value: &Value,
    out: &mut impl BufMut,
) -> Result<(), DecodeError> {
    match (ty, value) {
        (DataType::Int8, Value::Int8(v)) => out.put_i8(*v),
        (DataType::Int16, Value::Int16(v)) => out.put_i16_le(*v),
        (DataType::Int32, Value::Int32(v)) => out.put_i32_le(*v),
        (DataType::Int64, Value::Int64(v)) => out.put_i64_le(*v),
        (DataType::Int128, Value::Int128(v)) => out.put_i128_le(*v),
        (DataType::Int256, Value::Int256(v)) => out.put_slice(&v.to_le_bytes()),
        (DataType::UInt8, Value::UInt8(v)) => out.put_u8(*v),
        (DataType::UInt16, Value::UInt16(v)) => out.put_u16_le(*v),
        (DataType::UInt32, Value::UInt32(v)) => out.put_u32_le(*v),
        (DataType::UInt64, Value::UInt64(v)) => out.put_u64_le(*v),
        (DataType::UInt128, Value::UInt128(v)) => out.put_u128_le(*v),
        (DataType::UInt256, Value::UInt256(v)) => out.put_slice(&v.to_le_bytes()),
        (DataType::Float32, Value::Float32(v)) => out.put_f32_le(*v),
        (DataType::Float64, Value::Float64(v)) => out.put_f64_le(*v),
        (DataType::BFloat16, Value::BFloat16(v)) => out.put_u16_le(*v),
        (DataType::Decimal { precision, .. }, Value::Decimal(m)) => {
            let range = || mismatch(ty, "decimal mantissa out of range for its width");
            match decimal_size(*precision) {
                4 => out.put_i32_le(i32::try_from(*m).map_err(|_| range())?),
                8 => out.put_i64_le(i64::try_from(*m).map_err(|_| range())?),
                16 => out.put_i128_le(i128::try_from(*m).map_err(|_| range())?),
                _ => out.put_slice(&m.to_le_bytes()),
            }
        }
        (DataType::Bool, Value::Bool(b)) => out.put_u8(u8::from(*b)),
        (DataType::String, Value::String(s)) => put_string(out, s),
        (DataType::FixedString(n), Value::FixedString(s)) => {
            if s.len() != *n {
                return Err(mismatch(ty, format!("{} bytes given", s.len())));
            }
            out.put_slice(s);
        }
        (DataType::Uuid, Value::Uuid(u)) => out.put_slice(&swap_uuid_halves(*u)),
        (DataType::Date, Value::Date(d)) => out.put_u16_le(*d),
        (DataType::Date32, Value::Date32(d)) => out.put_i32_le(*d),
        (DataType::DateTime(_), Value::DateTime(s)) => out.put_u32_le(*s),
        (DataType::DateTime64(..), Value::DateTime64(t)) => out.put_i64_le(*t),
        (DataType::Time, Value::Time(s)) => out.put_i32_le(*s),
        (DataType::Time64(_), Value::Time64(t)) => out.put_i64_le(*t),
        (DataType::Enum8(_), Value::Enum8(v)) => out.put_i8(*v),
        (DataType::Enum16(_), Value::Enum16(v)) => out.put_i16_le(*v),
        (DataType::IPv4, Value::IPv4(a)) => out.put_u32_le(u32::from(*a)),
        (DataType::IPv6, Value::IPv6(a)) => out.put_slice(&a.octets()),
        (DataType::Array(inner), Value::Array(items)) => {
            put_varuint(out, items.len() as u64);
            for item in items {
                encode_value(inner, item, out)?;
            }
        }
        (DataType::Tuple(elems), Value::Tuple(items)) => {
            if elems.len() != items.len() {
                return Err(mismatch(
                    ty,
                    format!("{} tuple elements given", items.len()),
                ));
            }
            for (e, item) in elems.iter().zip(items) {
                encode_value(&e.ty, item, out)?;
            }
        }
        (DataType::Map(kt, vt), Value::Map(pairs)) => {
            put_varuint(out, pairs.len() as u64);
            for (k, v) in pairs {
                encode_value(kt, k, out)?;
                encode_value(vt, v, out)?;
            }
        }
        (DataType::Nullable(_), Value::Null) => out.put_u8(1),
        (DataType::Nullable(inner), v) => {
            out.put_u8(0);
            encode_value(inner, v, out)?;
        }
        (DataType::LowCardinality(inner), v) => encode_value(inner, v, out)?,
        (DataType::SimpleAggregateFunction { ty: inner, .. }, v) => encode_value(inner, v, out)?,
        (DataType::Nested(fields), Value::Array(rows)) => {
            put_varuint(out, rows.len() as u64);
            for row in rows {
                let Value::Tuple(items) = row else {
                    return Err(mismatch(ty, "Nested elements must be tuples"));
                };
                if items.len() != fields.len() {
                    return Err(mismatch(ty, format!("{} nested fields given", items.len())));
                }
                for ((_, ft), item) in fields.iter().zip(items) {
                    encode_value(ft, item, out)?;
                }
            }
        }
        (DataType::Variant(_), Value::Null) => out.put_u8(255),
        (DataType::Variant(alts), Value::Variant(idx, v)) => {
            let alt = alts
                .get(usize::from(*idx))
                .filter(|_| *idx != 255)
                .ok_or_else(|| mismatch(ty, format!("no alternative {idx}")))?;
            out.put_u8(*idx);
            encode_value(alt, v, out)?;
        }
        (DataType::Dynamic { .. }, Value::Null) => out.put_u8(0), // type `Nothing`
        (DataType::Dynamic { .. }, Value::Dynamic(t, v)) => {
            encode_type_binary(t, out)?;
            encode_value(t, v, out)?;
        }
        (DataType::Json(params), Value::Json(paths)) => {
            put_varuint(out, paths.len() as u64);
            for (path, v) in paths {
                put_string(out, path.as_bytes());
                match params.typed_paths.iter().find(|(p, _)| p == path) {
                    Some((_, t)) => encode_value(t, v, out)?,
                    None => encode_value(&DataType::Dynamic { max_types: None }, v, out)?,
                }
            }
        }
        (DataType::Point, Value::Point(p)) => {
            out.put_f64_le(p.x);
            out.put_f64_le(p.y);
        }
        (DataType::Ring, Value::Ring(pts)) | (DataType::LineString, Value::LineString(pts)) => {
            put_points(out, pts)
        }
        (DataType::MultiLineString, Value::MultiLineString(rings))
        | (DataType::Polygon, Value::Polygon(rings)) => put_rings(out, rings),
        (DataType::MultiPolygon, Value::MultiPolygon(polys)) => {
            put_varuint(out, polys.len() as u64);
            for p in polys {
                put_rings(out, p);
            }
        }
        (DataType::Interval(_), Value::Interval(n)) => out.put_i64_le(*n),
        (DataType::Nothing, Value::Null) => {}
        (DataType::QBit { element, dimension }, Value::QBit(items)) => {
            if items.len() != *dimension as usize {
                return Err(mismatch(ty, format!("{} elements given", items.len())));
            }
            put_varuint(out, items.len() as u64);
            for item in items {
                encode_value(element, item, out)?;
            }
        }
        (ty, v) => return Err(wrong_value(ty, v)),
    }
    Ok(())
}

/// Decodes one value of type `ty`. [`ReadError::Short`] means the value continues past the end
/// of the input; the cursor position is then unspecified (callers restart the unit). The value
/// is charged like a row for values not backed by input bytes (see `charge_unbacked`).
pub fn decode_value(
    ty: &DataType,
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
) -> Result<Value, ReadError> {
    let mut budget = Budget::starting_at(cur);
    decode_value_budgeted(ty, cur, limits, &mut budget)
}

fn malformed(cur: &ByteCursor<'_>, reason: impl Into<String>) -> ReadError {
    ReadError::Bad(DecodeError::Malformed {
        offset: cur.position(),
        reason: reason.into(),
    })
}

/// Fewest bytes one value of `ty` can occupy in RowBinary: lets a collection length be checked
/// against the available input before allocating. 0 only for types whose values always take
/// no bytes (`Nothing`, `Tuple()`, tuples of those).
pub fn min_wire_size(ty: &DataType) -> usize {
    match ty {
        DataType::Nothing => 0,
        DataType::Tuple(elems) => elems.iter().map(|e| min_wire_size(&e.ty)).sum(),
        DataType::LowCardinality(t) | DataType::SimpleAggregateFunction { ty: t, .. } => {
            min_wire_size(t)
        }
        t => t.fixed_size().unwrap_or(1),
    }
}

/// Values that collections may materialise per element byte without being charged.
const BACKED_VALUES_PER_BYTE: usize = 4;

/// Values not backed by input that a row may materialise per byte of the row (like a
/// decompressor's worst-case expansion ratio); see `charge_unbacked`.
pub const UNBACKED_VALUES_PER_BYTE: usize = 256;

/// Values not backed by input that any row may materialise, whatever its size: keeps small
/// zero-width collections independent of how compactly their lengths are encoded.
pub const UNBACKED_VALUES_PER_ROW: usize = 1024;

/// What a row has spent of its allowance of values not backed by input bytes.
#[derive(Debug)]
pub(crate) struct Budget {
    /// Cursor position where the row starts.
    start: usize,
    /// Values charged so far.
    spent: usize,
}

impl Budget {
    /// A fresh budget for a row (or value) starting at the cursor's position.
    pub(crate) fn starting_at(cur: &ByteCursor<'_>) -> Budget {
        Budget {
            start: cur.position(),
            spent: 0,
        }
    }
}

/// `Value` nodes in one value of `ty`, not counting the contents of nested collections (which
/// are charged when they are read).
fn value_nodes(ty: &DataType) -> usize {
    match ty {
        DataType::Tuple(elems) => elems
            .iter()
            .fold(1usize, |acc, e| acc.saturating_add(value_nodes(&e.ty))),
        DataType::Nullable(t)
        | DataType::LowCardinality(t)
        | DataType::SimpleAggregateFunction { ty: t, .. } => value_nodes(t),
        DataType::Variant(alts) => {
            1usize.saturating_add(alts.iter().map(value_nodes).max().unwrap_or(0))
        }
        _ => 1,
    }
}

/// Charges the values of `n` collection elements that the input does not pay for to the row's
/// `budget`, before they are decoded.
///
/// Elements can be (almost) zero-width: `Array(Tuple())` elements take no bytes at all (the
/// server does send these), and `Tuple(UInt8, Nothing, Nothing, ...)` materialises many values
/// per byte. Checking lengths against the input (as [`collection_len`] does) then bounds
/// nothing: a 5-byte length could make the decoder build 2^28 values (~12 GiB). So every
/// element value beyond [`BACKED_VALUES_PER_BYTE`] per element byte is charged, and a row may
/// be charged at most [`UNBACKED_VALUES_PER_ROW`] plus [`UNBACKED_VALUES_PER_BYTE`] per byte of
/// the row read so far (counting the length just read). Real data never comes near it
/// (`[(), ()]` costs 2 of an allowance of 1280); hostile data cannot make a row cost more than
/// a constant factor of its size, neither in one collection, nor across collections, nor with
/// many tiny rows. The allowance depends only on the row's own bytes, so the outcome is the
/// same however the input is split. (It does depend on how long the encoding of the row is: a
/// row accepted thanks to padded varints may be rejected once re-encoded compactly.)
fn charge_unbacked(
    cur: &ByteCursor<'_>,
    n: usize,
    elem_nodes: usize,
    elem_min: usize,
    budget: &mut Budget,
) -> Result<(), ReadError> {
    let unbacked = elem_nodes.saturating_sub(elem_min.saturating_mul(BACKED_VALUES_PER_BYTE));
    if unbacked == 0 {
        return Ok(());
    }
    let spent = budget.spent.saturating_add(n.saturating_mul(unbacked));
    let row_bytes = cur.position().saturating_sub(budget.start);
    let allowance = row_bytes
        .saturating_mul(UNBACKED_VALUES_PER_BYTE)
        .saturating_add(UNBACKED_VALUES_PER_ROW);
    if spent > allowance {
        return Err(ReadError::Bad(DecodeError::LimitExceeded {
            what: "values without input bytes (zero-width collection elements) in a row",
            value: spent as u64,
            limit: allowance as u64,
        }));
    }
    budget.spent = spent;
    Ok(())
}

/// [`decode_value`] charging a caller-held budget (see [`charge_unbacked`]), so that all the
/// values of a row share one budget.
pub(crate) fn decode_value_budgeted(
    ty: &DataType,
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
    budget: &mut Budget,
) -> Result<Value, ReadError> {
    decode_at(ty, cur, limits, 0, budget)
}

/// Reads a collection length and makes sure `n` elements of at least `elem_min` bytes can be
/// present; returns a safe pre-allocation size along with `n`.
fn collection_len(
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
    elem_min: usize,
    what: &'static str,
) -> Result<(usize, usize), ReadError> {
    let n = cur.length(limits.max_collection_len, what)?;
    let avail = cur.remaining().len();
    if elem_min > 0 {
        let need = n.saturating_mul(elem_min);
        if need > avail {
            return Err(ReadError::Short(need - avail));
        }
    }
    Ok((n, n.min(avail / elem_min.max(1))))
}

fn read_points(cur: &mut ByteCursor<'_>, limits: &DecodeLimits) -> Result<Vec<Point>, ReadError> {
    let (n, cap) = collection_len(cur, limits, 16, "array length")?;
    let mut pts = Vec::with_capacity(cap);
    for _ in 0..n {
        let x = cur.f64_le()?;
        let y = cur.f64_le()?;
        pts.push(Point { x, y });
    }
    Ok(pts)
}

fn read_rings(
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
) -> Result<Vec<Vec<Point>>, ReadError> {
    let (n, cap) = collection_len(cur, limits, 1, "array length")?;
    let mut rings = Vec::with_capacity(cap);
    for _ in 0..n {
        rings.push(read_points(cur, limits)?);
    }
    Ok(rings)
}

fn read_values(
    elem: &DataType,
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
    depth: u32,
    budget: &mut Budget,
    what: &'static str,
) -> Result<Vec<Value>, ReadError> {
    let elem_min = min_wire_size(elem);
    let (n, cap) = collection_len(cur, limits, elem_min, what)?;
    charge_unbacked(cur, n, value_nodes(elem), elem_min, budget)?;
    let mut items = Vec::with_capacity(cap);
    for _ in 0..n {
        items.push(decode_at(elem, cur, limits, depth, budget)?);
    }
    Ok(items)
}

pub(crate) fn decode_at(
    ty: &DataType,
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
    depth: u32,
    budget: &mut Budget,
) -> Result<Value, ReadError> {
    if depth > limits.max_depth {
        return Err(ReadError::Bad(DecodeError::LimitExceeded {
            what: "value nesting depth",
            value: u64::from(depth),
            limit: u64::from(limits.max_depth),
        }));
    }
    let d = depth + 1;
    Ok(match ty {
        DataType::Int8 => Value::Int8(cur.i8_le()?),
        DataType::Int16 => Value::Int16(cur.i16_le()?),
        DataType::Int32 => Value::Int32(cur.i32_le()?),
        DataType::Int64 => Value::Int64(cur.i64_le()?),
        DataType::Int128 => Value::Int128(cur.i128_le()?),
        DataType::Int256 => Value::Int256(I256::from_le_bytes(cur.array()?)),
        DataType::UInt8 => Value::UInt8(cur.u8()?),
        DataType::UInt16 => Value::UInt16(cur.u16_le()?),
        DataType::UInt32 => Value::UInt32(cur.u32_le()?),
        DataType::UInt64 => Value::UInt64(cur.u64_le()?),
        DataType::UInt128 => Value::UInt128(cur.u128_le()?),
        DataType::UInt256 => Value::UInt256(U256::from_le_bytes(cur.array()?)),
        DataType::Float32 => Value::Float32(cur.f32_le()?),
        DataType::Float64 => Value::Float64(cur.f64_le()?),
        DataType::BFloat16 => Value::BFloat16(cur.u16_le()?),
        DataType::Decimal { precision, .. } => Value::Decimal(match decimal_size(*precision) {
            4 => I256::from(cur.i32_le()?),
            8 => I256::from(cur.i64_le()?),
            16 => I256::from(cur.i128_le()?),
            _ => I256::from_le_bytes(cur.array()?),
        }),
        DataType::Bool => match cur.u8()? {
            0 => Value::Bool(false),
            1 => Value::Bool(true),
            b => return Err(malformed(cur, format!("Bool byte {b}"))),
        },
        DataType::String => Value::String(cur.string(limits)?.to_vec()),
        DataType::FixedString(n) => {
            if *n as u64 > limits.max_string_len {
                return Err(ReadError::Bad(DecodeError::LimitExceeded {
                    what: "FixedString size",
                    value: *n as u64,
                    limit: limits.max_string_len,
                }));
            }
            Value::FixedString(cur.bytes(*n)?.to_vec())
        }
        DataType::Uuid => Value::Uuid(swap_uuid_halves(cur.array()?)),
        DataType::Date => Value::Date(cur.u16_le()?),
        DataType::Date32 => Value::Date32(cur.i32_le()?),
        DataType::DateTime(_) => Value::DateTime(cur.u32_le()?),
        DataType::DateTime64(..) => Value::DateTime64(cur.i64_le()?),
        DataType::Time => Value::Time(cur.i32_le()?),
        DataType::Time64(_) => Value::Time64(cur.i64_le()?),
        DataType::Enum8(_) => Value::Enum8(cur.i8_le()?),
        DataType::Enum16(_) => Value::Enum16(cur.i16_le()?),
        DataType::IPv4 => Value::IPv4(Ipv4Addr::from(cur.u32_le()?)),
        DataType::IPv6 => Value::IPv6(Ipv6Addr::from(cur.array::<16>()?)),
        DataType::Array(inner) => {
            Value::Array(read_values(inner, cur, limits, d, budget, "array length")?)
        }
        DataType::Tuple(elems) => {
            let mut items = Vec::with_capacity(elems.len());
            for e in elems {
                items.push(decode_at(&e.ty, cur, limits, d, budget)?);
            }
            Value::Tuple(items)
        }
        DataType::Map(kt, vt) => {
            let elem_min = min_wire_size(kt) + min_wire_size(vt);
            let (n, cap) = collection_len(cur, limits, elem_min, "map size")?;
            let nodes = value_nodes(kt).saturating_add(value_nodes(vt));
            charge_unbacked(cur, n, nodes, elem_min, budget)?;
            let mut pairs = Vec::with_capacity(cap);
            for _ in 0..n {
                let k = decode_at(kt, cur, limits, d, budget)?;
                let v = decode_at(vt, cur, limits, d, budget)?;
                pairs.push((k, v));
            }
            Value::Map(pairs)
        }
        DataType::Nullable(inner) => match cur.u8()? {
            0 => decode_at(inner, cur, limits, d, budget)?,
            1 => Value::Null,
            b => return Err(malformed(cur, format!("null flag {b}"))),
        },
        DataType::LowCardinality(inner) => decode_at(inner, cur, limits, d, budget)?,
        DataType::SimpleAggregateFunction { ty: inner, .. } => {
            decode_at(inner, cur, limits, d, budget)?
        }
        DataType::Nested(fields) => {
            let elem_min = fields.iter().map(|(_, t)| min_wire_size(t)).sum();
            let (n, cap) = collection_len(cur, limits, elem_min, "array length")?;
            let nodes = fields
                .iter()
                .fold(1usize, |acc, (_, t)| acc.saturating_add(value_nodes(t)));
            charge_unbacked(cur, n, nodes, elem_min, budget)?;
            let mut rows = Vec::with_capacity(cap);
            for _ in 0..n {
                let mut items = Vec::with_capacity(fields.len());
                for (_, ft) in fields {
                    items.push(decode_at(ft, cur, limits, d, budget)?);
                }
                rows.push(Value::Tuple(items));
            }
            Value::Array(rows)
        }
        DataType::Variant(alts) => {
            let idx = cur.u8()?;
            if idx == 255 {
                Value::Null
            } else {
                let alt = alts
                    .get(usize::from(idx))
                    .ok_or_else(|| malformed(cur, format!("Variant discriminator {idx}")))?;
                Value::Variant(idx, Box::new(decode_at(alt, cur, limits, d, budget)?))
            }
        }
        DataType::Dynamic { .. } => {
            let t = decode_type_binary_at(cur, limits, d)?;
            if t == DataType::Nothing {
                Value::Null
            } else {
                let v = decode_at(&t, cur, limits, d, budget)?;
                Value::Dynamic(Box::new(t), Box::new(v))
            }
        }
        DataType::Json(params) => {
            // Each path takes at least its length byte, plus a type byte when dynamic; a typed
            // path's value may take no bytes at all (`Nothing`, `Tuple()`).
            let typed_min = params
                .typed_paths
                .iter()
                .map(|(_, t)| min_wire_size(t))
                .min();
            let elem_min = 1 + typed_min.map_or(1, |m| m.min(1));
            let (n, cap) = collection_len(cur, limits, elem_min, "JSON path count")?;
            // The path string plus, at most, a `Dynamic` (box, type, value) or the largest typed
            // path's value.
            let typed_nodes = params.typed_paths.iter().map(|(_, t)| value_nodes(t)).max();
            let nodes = 1usize.saturating_add(typed_nodes.unwrap_or(0).max(3));
            charge_unbacked(cur, n, nodes, elem_min, budget)?;
            let mut paths = Vec::with_capacity(cap);
            for _ in 0..n {
                let path = cur.utf8(limits)?.to_string();
                let v = match params.typed_paths.iter().find(|(p, _)| *p == path) {
                    Some((_, t)) => decode_at(t, cur, limits, d, budget)?,
                    None => decode_at(
                        &DataType::Dynamic { max_types: None },
                        cur,
                        limits,
                        d,
                        budget,
                    )?,
                };
                paths.push((path, v));
            }
            // The server writes paths in hash order; `Value::Json` is sorted by path.
            paths.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Json(paths)
        }
        DataType::Point => {
            let x = cur.f64_le()?;
            let y = cur.f64_le()?;
            Value::Point(Point { x, y })
        }
        DataType::Ring => Value::Ring(read_points(cur, limits)?),
        DataType::LineString => Value::LineString(read_points(cur, limits)?),
        DataType::MultiLineString => Value::MultiLineString(read_rings(cur, limits)?),
        DataType::Polygon => Value::Polygon(read_rings(cur, limits)?),
        DataType::MultiPolygon => {
            let (n, cap) = collection_len(cur, limits, 1, "array length")?;
            let mut polys = Vec::with_capacity(cap);
            for _ in 0..n {
                polys.push(read_rings(cur, limits)?);
            }
            Value::MultiPolygon(polys)
        }
        DataType::Interval(_) => Value::Interval(cur.i64_le()?),
        DataType::Nothing => Value::Null,
        DataType::QBit { element, dimension } => {
            let items = read_values(element, cur, limits, d, budget, "QBit dimension")?;
            if items.len() != *dimension as usize {
                return Err(malformed(
                    cur,
                    format!("QBit of dimension {dimension} has {} elements", items.len()),
                ));
            }
            Value::QBit(items)
        }
    })
}
