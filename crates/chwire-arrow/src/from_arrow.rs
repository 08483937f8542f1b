//! Arrow `RecordBatch`es → Native blocks for inserts, each batch column converted to the type
//! of the table column it is named after (the inverse of the read mapping, plus the obvious
//! alternatives: any string or binary layout for `String`, any timestamp unit for
//! `DateTime64`).
//!
//! Plain numeric and string columns without nulls are copied in bulk; everything else goes
//! through [`Value`]s (correct for every type, slower).

use std::net::{Ipv4Addr, Ipv6Addr};

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType as A, TimeUnit};
use chwire_proto::column::{StringColumn, physical_type};
use chwire_proto::value::{I256, U256};
use chwire_proto::{Block, Column, ColumnData, DataType, Value};

use crate::Error;

/// Converts `batch` into a block for a table with `columns` (name, type); every batch column
/// must name a table column and fit its type.
pub fn batch_to_block(batch: &RecordBatch, columns: &[(String, DataType)]) -> Result<Block, Error> {
    let mut out = Vec::with_capacity(batch.num_columns());
    for (f, array) in batch.schema().fields().iter().zip(batch.columns()) {
        let name = f.name();
        let mismatch = |reason: String| Error::Mismatch {
            column: name.clone(),
            reason,
        };
        let (_, ty) = columns
            .iter()
            .find(|(n, _)| n == name)
            .ok_or_else(|| mismatch("the table has no such column".into()))?;
        let col = column(array, ty).map_err(|r| mismatch(format!("{r} (table type {ty})")))?;
        out.push((name.clone(), col));
    }
    Block::new(out).map_err(|e| Error::Mismatch {
        column: String::new(),
        reason: e.to_string(),
    })
}

type R<T> = Result<T, String>;

/// One column of type `ty` from `array`.
fn column(array: &ArrayRef, ty: &DataType) -> R<Column> {
    if let Some(c) = bulk(array, ty) {
        return Ok(c);
    }
    let rows = array.len();
    let values = if let Some(d) = array.as_any_dictionary_opt() {
        let keys = d.normalized_keys();
        (0..rows)
            .map(|i| {
                if array.is_null(i) {
                    null_for(ty)
                } else {
                    value(d.values().as_ref(), keys[i], ty)
                }
            })
            .collect::<R<Vec<_>>>()?
    } else {
        (0..rows)
            .map(|i| value(array.as_ref(), i, ty))
            .collect::<R<Vec<_>>>()?
    };
    Column::from_values(ty, values).map_err(|e| e.to_string())
}

/// Plain columns without nulls whose Arrow layout is ClickHouse's: one bulk copy.
fn bulk(array: &ArrayRef, ty: &DataType) -> Option<Column> {
    if array.null_count() != 0 {
        return None;
    }
    macro_rules! same {
        ($t:ty, $v:ident) => {
            array
                .as_primitive_opt::<$t>()
                .map(|a| ColumnData::$v(a.values().to_vec()))
        };
    }
    let data = match (ty, array.data_type()) {
        (DataType::Int8, A::Int8) => same!(Int8Type, I8),
        (DataType::Int16, A::Int16) => same!(Int16Type, I16),
        (DataType::Int32, A::Int32) => same!(Int32Type, I32),
        (DataType::Int64, A::Int64) => same!(Int64Type, I64),
        (DataType::UInt8, A::UInt8) => same!(UInt8Type, U8),
        (DataType::UInt16, A::UInt16) => same!(UInt16Type, U16),
        (DataType::UInt32 | DataType::DateTime(_), A::UInt32) => same!(UInt32Type, U32),
        (DataType::UInt64, A::UInt64) => same!(UInt64Type, U64),
        (DataType::Float32, A::Float32) => same!(Float32Type, F32),
        (DataType::Float64, A::Float64) => same!(Float64Type, F64),
        (DataType::Date32, A::Date32) => same!(Date32Type, I32),
        (DataType::String, A::Utf8) => array.as_string_opt::<i32>().map(|a| {
            let offs = a.value_offsets();
            let base = offs[0];
            ColumnData::String(StringColumn {
                data: a.value_data()[base as usize..offs[offs.len() - 1] as usize].to_vec(),
                offsets: offs[1..].iter().map(|&o| (o - base) as u64).collect(),
            })
        }),
        _ => None,
    }?;
    Column::new(ty.clone(), data).ok()
}

fn null_for(ty: &DataType) -> R<Value> {
    match ty {
        DataType::Nullable(_) | DataType::Nothing | DataType::Variant(_) => Ok(Value::Null),
        DataType::LowCardinality(t) => null_for(t),
        _ => Err("NULL in a column that is not Nullable".into()),
    }
}

fn want(a: &dyn Array, what: &str) -> String {
    format!("an Arrow {} cannot be written as {what}", a.data_type())
}

macro_rules! prim {
    ($a:expr, $t:ty, $i:expr, $what:expr) => {
        $a.as_primitive_opt::<$t>()
            .map(|p| p.value($i))
            .ok_or_else(|| want($a, $what))?
    };
}

fn fixed<'a>(a: &'a dyn Array, i: usize, width: usize, what: &str) -> R<&'a [u8]> {
    let f = a.as_fixed_size_binary_opt().ok_or_else(|| want(a, what))?;
    let v = f.value(i);
    if v.len() != width {
        return Err(format!(
            "{what} needs {width} bytes, the array has {}",
            v.len()
        ));
    }
    Ok(v)
}

fn bytes(a: &dyn Array, i: usize) -> R<&[u8]> {
    Ok(match a.data_type() {
        A::Utf8 => a.as_string::<i32>().value(i).as_bytes(),
        A::LargeUtf8 => a.as_string::<i64>().value(i).as_bytes(),
        A::Utf8View => a.as_string_view().value(i).as_bytes(),
        A::Binary => a.as_binary::<i32>().value(i),
        A::LargeBinary => a.as_binary::<i64>().value(i),
        A::BinaryView => a.as_binary_view().value(i),
        A::FixedSizeBinary(_) => a.as_fixed_size_binary().value(i),
        _ => return Err(want(a, "String")),
    })
}

/// Ticks of `10^-precision` seconds from any Arrow timestamp.
fn ticks(a: &dyn Array, i: usize, precision: u8) -> R<i64> {
    let (v, p) = match a.data_type() {
        A::Timestamp(TimeUnit::Second, _) => (prim!(a, TimestampSecondType, i, "DateTime64"), 0),
        A::Timestamp(TimeUnit::Millisecond, _) => {
            (prim!(a, TimestampMillisecondType, i, "DateTime64"), 3)
        }
        A::Timestamp(TimeUnit::Microsecond, _) => {
            (prim!(a, TimestampMicrosecondType, i, "DateTime64"), 6)
        }
        A::Timestamp(TimeUnit::Nanosecond, _) => {
            (prim!(a, TimestampNanosecondType, i, "DateTime64"), 9)
        }
        _ => return Err(want(a, "DateTime64")),
    };
    rescale(v, p, i32::from(precision))
}

fn rescale(v: i64, from: i32, to: i32) -> R<i64> {
    let inexact = || format!("{v} at 10^-{from} s is not exact at 10^-{to} s");
    if to >= from {
        v.checked_mul(10i64.pow((to - from) as u32))
            .ok_or_else(inexact)
    } else {
        let d = 10i64.pow((from - to) as u32);
        if v % d != 0 {
            return Err(inexact());
        }
        Ok(v / d)
    }
}

fn time_ticks(a: &dyn Array, i: usize, precision: u8) -> R<i64> {
    let (v, p) = match a.data_type() {
        A::Time32(TimeUnit::Second) => (i64::from(prim!(a, Time32SecondType, i, "Time")), 0),
        A::Time32(TimeUnit::Millisecond) => {
            (i64::from(prim!(a, Time32MillisecondType, i, "Time")), 3)
        }
        A::Time64(TimeUnit::Microsecond) => (prim!(a, Time64MicrosecondType, i, "Time64"), 6),
        A::Time64(TimeUnit::Nanosecond) => (prim!(a, Time64NanosecondType, i, "Time64"), 9),
        _ => return Err(want(a, "Time")),
    };
    rescale(v, p, i32::from(precision))
}

/// Row `i` of `a` as a value of `ty`.
fn value(a: &dyn Array, i: usize, ty: &DataType) -> R<Value> {
    if a.is_null(i) {
        return null_for(ty);
    }
    let phys = physical_type(ty);
    Ok(match &*phys {
        DataType::Nullable(t) | DataType::LowCardinality(t) => value(a, i, t)?,
        DataType::Int8 => Value::Int8(prim!(a, Int8Type, i, "Int8")),
        DataType::Int16 => Value::Int16(prim!(a, Int16Type, i, "Int16")),
        DataType::Int32 => Value::Int32(prim!(a, Int32Type, i, "Int32")),
        DataType::Int64 => Value::Int64(prim!(a, Int64Type, i, "Int64")),
        DataType::UInt8 => Value::UInt8(prim!(a, UInt8Type, i, "UInt8")),
        DataType::UInt16 => Value::UInt16(prim!(a, UInt16Type, i, "UInt16")),
        DataType::UInt32 => Value::UInt32(prim!(a, UInt32Type, i, "UInt32")),
        DataType::UInt64 => Value::UInt64(prim!(a, UInt64Type, i, "UInt64")),
        DataType::Enum8(_) => Value::Enum8(prim!(a, Int8Type, i, "Enum8")),
        DataType::Enum16(_) => Value::Enum16(prim!(a, Int16Type, i, "Enum16")),
        DataType::Float32 => Value::Float32(prim!(a, Float32Type, i, "Float32")),
        DataType::Float64 => Value::Float64(prim!(a, Float64Type, i, "Float64")),
        DataType::BFloat16 => {
            let f = prim!(a, Float32Type, i, "BFloat16");
            let bits = f.to_bits();
            if bits & 0xffff != 0 {
                return Err(format!("{f} is not exact as a BFloat16"));
            }
            Value::BFloat16((bits >> 16) as u16)
        }
        DataType::Int128 => Value::Int128(i128::from_le_bytes(
            fixed(a, i, 16, "Int128")?
                .try_into()
                .map_err(|_| "Int128 needs 16 bytes".to_string())?,
        )),
        DataType::UInt128 => Value::UInt128(u128::from_le_bytes(
            fixed(a, i, 16, "UInt128")?
                .try_into()
                .map_err(|_| "UInt128 needs 16 bytes".to_string())?,
        )),
        DataType::Int256 => Value::Int256(I256::from_le_bytes(
            fixed(a, i, 32, "Int256")?
                .try_into()
                .map_err(|_| "Int256 needs 32 bytes".to_string())?,
        )),
        DataType::UInt256 => Value::UInt256(U256::from_le_bytes(
            fixed(a, i, 32, "UInt256")?
                .try_into()
                .map_err(|_| "UInt256 needs 32 bytes".to_string())?,
        )),
        DataType::Decimal { scale, .. } => {
            let (v, s) = match a.data_type() {
                A::Decimal128(_, s) => (I256::from(prim!(a, Decimal128Type, i, "Decimal")), *s),
                A::Decimal256(_, s) => (
                    I256::from_le_bytes(prim!(a, Decimal256Type, i, "Decimal").to_le_bytes()),
                    *s,
                ),
                _ => return Err(want(a, "Decimal")),
            };
            if i32::from(s) != i32::from(*scale) {
                return Err(format!("scale {s} differs from the column's {scale}"));
            }
            Value::Decimal(v)
        }
        DataType::Bool => Value::Bool(
            a.as_boolean_opt()
                .map(|b| b.value(i))
                .ok_or_else(|| want(a, "Bool"))?,
        ),
        DataType::String => Value::String(bytes(a, i)?.to_vec()),
        DataType::FixedString(n) => {
            let b = bytes(a, i)?;
            if b.len() > *n {
                return Err(format!("{} bytes do not fit FixedString({n})", b.len()));
            }
            let mut v = b.to_vec();
            v.resize(*n, 0);
            Value::FixedString(v)
        }
        DataType::Uuid => Value::Uuid(
            fixed(a, i, 16, "UUID")?
                .try_into()
                .map_err(|_| "UUID needs 16 bytes".to_string())?,
        ),
        DataType::IPv4 => Value::IPv4(Ipv4Addr::from(prim!(a, UInt32Type, i, "IPv4"))),
        DataType::IPv6 => {
            let b: [u8; 16] = fixed(a, i, 16, "IPv6")?
                .try_into()
                .map_err(|_| "IPv6 needs 16 bytes".to_string())?;
            Value::IPv6(Ipv6Addr::from(b))
        }
        DataType::Date => {
            let d = prim!(a, Date32Type, i, "Date");
            Value::Date(u16::try_from(d).map_err(|_| format!("day {d} is outside Date"))?)
        }
        DataType::Date32 => Value::Date32(prim!(a, Date32Type, i, "Date32")),
        DataType::DateTime(_) => match a.data_type() {
            A::UInt32 => Value::DateTime(prim!(a, UInt32Type, i, "DateTime")),
            _ => {
                let s = ticks(a, i, 0)?;
                Value::DateTime(u32::try_from(s).map_err(|_| format!("{s} is outside DateTime"))?)
            }
        },
        DataType::DateTime64(p, _) => Value::DateTime64(ticks(a, i, *p)?),
        DataType::Time => {
            let s = time_ticks(a, i, 0)?;
            Value::Time(i32::try_from(s).map_err(|_| format!("{s} is outside Time"))?)
        }
        DataType::Time64(p) => Value::Time64(time_ticks(a, i, *p)?),
        DataType::Interval(_) => Value::Interval(match a.data_type() {
            A::Duration(TimeUnit::Second) => prim!(a, DurationSecondType, i, "Interval"),
            A::Duration(TimeUnit::Millisecond) => prim!(a, DurationMillisecondType, i, "Interval"),
            A::Duration(TimeUnit::Microsecond) => prim!(a, DurationMicrosecondType, i, "Interval"),
            A::Duration(TimeUnit::Nanosecond) => prim!(a, DurationNanosecondType, i, "Interval"),
            _ => prim!(a, Int64Type, i, "Interval"),
        }),
        DataType::Nothing => Value::Null,
        DataType::Array(t) => {
            let l = a.as_list_opt::<i32>().ok_or_else(|| want(a, "Array"))?;
            let inner = l.value(i);
            Value::Array(
                (0..inner.len())
                    .map(|j| value(inner.as_ref(), j, t))
                    .collect::<R<_>>()?,
            )
        }
        DataType::Tuple(elements) => {
            let s = a.as_struct_opt().ok_or_else(|| want(a, "Tuple"))?;
            if s.num_columns() != elements.len() {
                return Err(format!(
                    "{} struct fields for {} tuple elements",
                    s.num_columns(),
                    elements.len()
                ));
            }
            Value::Tuple(
                s.columns()
                    .iter()
                    .zip(elements)
                    .map(|(c, e)| value(c.as_ref(), i, &e.ty))
                    .collect::<R<_>>()?,
            )
        }
        DataType::Map(k, v) => {
            let m = a.as_map_opt().ok_or_else(|| want(a, "Map"))?;
            let e = m.value(i);
            Value::Map(
                (0..e.len())
                    .map(|j| {
                        Ok((
                            value(e.column(0).as_ref(), j, k)?,
                            value(e.column(1).as_ref(), j, v)?,
                        ))
                    })
                    .collect::<R<_>>()?,
            )
        }
        DataType::Variant(alternatives) => {
            let u = a.as_union_opt().ok_or_else(|| want(a, "Variant"))?;
            let id = u.type_id(i);
            let off = u.value_offset(i);
            let child = u.child(id);
            let Some(t) = usize::try_from(id).ok().and_then(|k| alternatives.get(k)) else {
                return Ok(Value::Null);
            };
            Value::Variant(id as u8, Box::new(value(child.as_ref(), off, t)?))
        }
        other => return Err(format!("inserting {other} from Arrow is not supported")),
    })
}
