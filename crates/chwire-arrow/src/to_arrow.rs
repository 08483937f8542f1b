//! Native blocks → Arrow `RecordBatch`es, a column at a time.
//!
//! Fixed-width columns whose layout Arrow shares (integers to 64 bits, floats, `Date32`,
//! `DateTime`, `DateTime64` at 0/3/6/9 digits, `Decimal128`-sized decimals, `Enum`, `IPv4`,
//! `FixedString`, `IPv6`, intervals; 128-bit integers on little-endian hosts) hand their vector
//! to Arrow as its buffer without copying; string bytes move the same way (only the offsets are
//! rebuilt). The rest is copied once into Arrow's layout.

use std::sync::Arc;

use arrow_array::types::*;
use arrow_array::{
    ArrayRef, BooleanArray, DictionaryArray, FixedSizeBinaryArray, GenericByteArray, ListArray,
    MapArray, NullArray, PrimitiveArray, RecordBatch, RecordBatchOptions, StructArray, UnionArray,
};
use arrow_buffer::{BooleanBuffer, Buffer, NullBuffer, OffsetBuffer, ScalarBuffer, i256};
use arrow_schema::{DataType as A, SchemaRef, TimeUnit, UnionFields};
use chwire_proto::column::{LowCardinalityIndices, NULL_DISCRIMINATOR, physical_type};
use chwire_proto::{Block, Column, ColumnData, DataType};

use crate::json_text;
use crate::schema::{VARIANT_NULL, arrow_type, field, interval_unit, schema_of, time_unit};
use crate::{ArrowOptions, Error};

/// Converts one block into a batch of `schema` (which [`schema_of`] made from the same column
/// types); the block's buffers are moved, not copied, where the layouts agree.
pub fn block_to_batch(
    block: Block,
    schema: &SchemaRef,
    options: &ArrowOptions,
) -> Result<RecordBatch, Error> {
    let rows = block.rows;
    if block.columns.len() != schema.fields().len() {
        return Err(Error::SchemaChanged(format!(
            "a block has {} columns, the schema {}",
            block.columns.len(),
            schema.fields().len()
        )));
    }
    let mut arrays = Vec::with_capacity(block.columns.len());
    for ((name, col), f) in block.columns.into_iter().zip(schema.fields()) {
        let ty = col.data_type().to_string();
        let array = convert(col, None, options).map_err(|reason| Error::Unsupported {
            column: name.clone(),
            ty: ty.clone(),
            reason,
        })?;
        if array.data_type() != f.data_type() || &name != f.name() {
            return Err(Error::SchemaChanged(format!(
                "column {name} ({ty}) does not match the schema's {f}"
            )));
        }
        arrays.push(array);
    }
    let opts = RecordBatchOptions::new().with_row_count(Some(rows));
    Ok(RecordBatch::try_new_with_options(
        Arc::clone(schema),
        arrays,
        &opts,
    )?)
}

/// Converts a whole block, schema included (for one-off conversions).
pub fn block_to_batch_with_schema(
    block: Block,
    options: &ArrowOptions,
) -> Result<RecordBatch, Error> {
    let columns: Vec<_> = block
        .columns
        .iter()
        .map(|(n, c)| (n.clone(), c.data_type().clone()))
        .collect();
    let schema = schema_of(&columns, options)?;
    block_to_batch(block, &schema, options)
}

type R<T> = Result<T, String>;

/// A `Dynamic` or `JSON` column as each row's JSON text (what the server's ArrowStream
/// writes; a NULL `Dynamic` row is the text `null`, as there). Row by row through `Value`:
/// these columns hold values of changing types, so there is no column-at-a-time layout to move.
fn as_json_text(col: &Column, nulls: Option<NullBuffer>) -> R<ArrayRef> {
    let mut text = String::new();
    let mut offs = Vec::with_capacity(col.len() + 1);
    offs.push(0i32);
    for row in 0..col.len() {
        let v = col.try_get(row).map_err(err)?;
        json_text::write_json(col.data_type(), &v, &mut text)?;
        offs.push(i32::try_from(text.len()).map_err(|_| "over 2 GiB of JSON text".to_string())?);
    }
    let offs = OffsetBuffer::new(ScalarBuffer::from(offs));
    Ok(Arc::new(
        GenericByteArray::<Utf8Type>::try_new(offs, Buffer::from_vec(text.into_bytes()), nulls)
            .map_err(err)?,
    ))
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn prim<T: ArrowPrimitiveType>(v: Vec<T::Native>, nulls: Option<NullBuffer>) -> R<ArrayRef> {
    Ok(Arc::new(
        PrimitiveArray::<T>::try_new(ScalarBuffer::from(v), nulls).map_err(err)?,
    ))
}

fn storage(ty: &DataType) -> String {
    format!("storage does not match the type {ty}")
}

/// Arrow offsets from ClickHouse's cumulative end offsets (checked: Arrow's constructor
/// panics on offsets that go backwards).
fn offsets(ends: &[u64], len: usize) -> R<OffsetBuffer<i32>> {
    let mut out = Vec::with_capacity(ends.len() + 1);
    out.push(0i32);
    let mut prev = 0u64;
    for &e in ends {
        if e < prev || e > len as u64 {
            return Err("offsets out of order or beyond the data".into());
        }
        out.push(i32::try_from(e).map_err(|_| "more than 2^31 elements in one block")?);
        prev = e;
    }
    Ok(OffsetBuffer::new(ScalarBuffer::from(out)))
}

/// A validity buffer from a ClickHouse null map (1 = NULL).
fn validity(map: &[u8]) -> NullBuffer {
    NullBuffer::new(BooleanBuffer::collect_bool(map.len(), |i| map[i] == 0))
}

/// The bytes of 128-bit integers, little-endian (the vector itself on little-endian hosts).
fn le_i128(v: Vec<i128>) -> Buffer {
    if cfg!(target_endian = "little") {
        Buffer::from_vec(v)
    } else {
        Buffer::from_vec(v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>())
    }
}

fn fixed_binary(width: i32, data: Buffer, nulls: Option<NullBuffer>) -> R<ArrayRef> {
    if width == 0 {
        let len = nulls.as_ref().map_or(0, NullBuffer::len);
        return Ok(Arc::new(FixedSizeBinaryArray::new_null(0, len)));
    }
    Ok(Arc::new(
        FixedSizeBinaryArray::try_new(width, data, nulls).map_err(err)?,
    ))
}

fn scale_i64(v: Vec<i64>, factor: i64) -> R<Vec<i64>> {
    if factor == 1 {
        return Ok(v);
    }
    v.into_iter()
        .map(|x| {
            x.checked_mul(factor)
                .ok_or_else(|| format!("{x} overflows at the Arrow unit"))
        })
        .collect()
}

/// Checks time-of-day values (Arrow's time types hold `[0, 24h)`, ClickHouse's `Time` does not).
fn time_of_day(v: &[i64], ticks_per_day: i64, nulls: Option<&NullBuffer>) -> R<()> {
    for (i, &x) in v.iter().enumerate() {
        if nulls.is_some_and(|n| n.is_null(i)) {
            continue;
        }
        if !(0..ticks_per_day).contains(&x) {
            return Err(format!(
                "value {x} is outside Arrow's time-of-day range [0, 24h)"
            ));
        }
    }
    Ok(())
}

fn time_array(v: Vec<i64>, precision: u8, nulls: Option<NullBuffer>) -> R<ArrayRef> {
    time_of_day(&v, 86_400 * 10i64.pow(u32::from(precision)), nulls.as_ref())?;
    let (unit, factor) = time_unit(precision)?;
    let v = scale_i64(v, factor)?;
    let narrow = || v.iter().map(|&x| x as i32).collect::<Vec<_>>();
    match unit {
        TimeUnit::Second => prim::<Time32SecondType>(narrow(), nulls),
        TimeUnit::Millisecond => prim::<Time32MillisecondType>(narrow(), nulls),
        TimeUnit::Microsecond => prim::<Time64MicrosecondType>(v, nulls),
        TimeUnit::Nanosecond => prim::<Time64NanosecondType>(v, nulls),
    }
}

fn decimal128(v: Vec<i128>, p: u8, s: u8, nulls: Option<NullBuffer>) -> R<ArrayRef> {
    let a = PrimitiveArray::<Decimal128Type>::try_new(ScalarBuffer::from(v), nulls)
        .and_then(|a| a.with_precision_and_scale(p, s as i8))
        .map_err(err)?;
    Ok(Arc::new(a))
}

/// Converts one column (moving its storage); `nulls` is the validity of an enclosing
/// `Nullable`.
pub(crate) fn convert(col: Column, nulls: Option<NullBuffer>, o: &ArrowOptions) -> R<ArrayRef> {
    let ty = col.data_type().clone();
    if let DataType::LowCardinality(_) = ty
        && !o.low_cardinality_as_dictionary
    {
        return convert(col.materialize(), nulls, o);
    }
    if let DataType::Dynamic { .. } | DataType::Json(_) = ty {
        return as_json_text(&col, nulls);
    }
    let phys = physical_type(&ty).into_owned();
    let data = col.into_data();
    let bad = || storage(&ty);
    use DataType as T;
    Ok(match (&phys, data) {
        (T::Int8 | T::Enum8(_), ColumnData::I8(v)) => prim::<Int8Type>(v, nulls)?,
        (T::Int16 | T::Enum16(_), ColumnData::I16(v)) => prim::<Int16Type>(v, nulls)?,
        (T::Int32, ColumnData::I32(v)) => prim::<Int32Type>(v, nulls)?,
        (T::Int64, ColumnData::I64(v)) => prim::<Int64Type>(v, nulls)?,
        (T::UInt8, ColumnData::U8(v)) => prim::<UInt8Type>(v, nulls)?,
        (T::UInt16, ColumnData::U16(v)) => prim::<UInt16Type>(v, nulls)?,
        (T::UInt32 | T::IPv4 | T::DateTime(_), ColumnData::U32(v)) => prim::<UInt32Type>(v, nulls)?,
        (T::UInt64, ColumnData::U64(v)) => prim::<UInt64Type>(v, nulls)?,
        (T::Float32, ColumnData::F32(v)) => prim::<Float32Type>(v, nulls)?,
        (T::Float64, ColumnData::F64(v)) => prim::<Float64Type>(v, nulls)?,
        (T::BFloat16, ColumnData::U16(v)) => prim::<Float32Type>(
            v.into_iter()
                .map(|b| f32::from_bits(u32::from(b) << 16))
                .collect(),
            nulls,
        )?,
        (T::Int128, ColumnData::I128(v)) => fixed_binary(16, le_i128(v), nulls)?,
        // Same size and alignment: collected in place, no new allocation.
        (T::UInt128, ColumnData::U128(v)) => fixed_binary(
            16,
            le_i128(v.into_iter().map(|x| x as i128).collect()),
            nulls,
        )?,
        (T::Int256, ColumnData::I256(v)) => fixed_binary(
            32,
            Buffer::from_vec(v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>()),
            nulls,
        )?,
        (T::UInt256, ColumnData::U256(v)) => fixed_binary(
            32,
            Buffer::from_vec(v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>()),
            nulls,
        )?,
        (T::Decimal { precision, scale }, data) => {
            let (p, s) = (*precision, *scale);
            match data {
                ColumnData::I32(v) => {
                    decimal128(v.into_iter().map(i128::from).collect(), p, s, nulls)?
                }
                ColumnData::I64(v) => {
                    decimal128(v.into_iter().map(i128::from).collect(), p, s, nulls)?
                }
                ColumnData::I128(v) => decimal128(v, p, s, nulls)?,
                ColumnData::I256(v) => {
                    let v: Vec<i256> = v
                        .iter()
                        .map(|x| i256::from_le_bytes(x.to_le_bytes()))
                        .collect();
                    let a = PrimitiveArray::<Decimal256Type>::try_new(ScalarBuffer::from(v), nulls)
                        .and_then(|a| a.with_precision_and_scale(p, s as i8))
                        .map_err(err)?;
                    Arc::new(a)
                }
                _ => return Err(bad()),
            }
        }
        (T::Bool, ColumnData::U8(v)) => Arc::new(BooleanArray::new(
            BooleanBuffer::collect_bool(v.len(), |i| v[i] != 0),
            check_len(nulls, v.len())?,
        )),
        (T::String, ColumnData::String(s)) => {
            let offs = offsets(&s.offsets, s.data.len())?;
            let values = Buffer::from_vec(s.data);
            if o.strings_as_binary {
                Arc::new(GenericByteArray::<BinaryType>::try_new(offs, values, nulls).map_err(err)?)
            } else {
                Arc::new(
                    GenericByteArray::<Utf8Type>::try_new(offs, values, nulls).map_err(|e| {
                        format!("{e} (ArrowOptions::strings_as_binary reads such columns)")
                    })?,
                )
            }
        }
        (T::FixedString(_) | T::IPv6, ColumnData::FixedString(f)) => {
            let width = i32::try_from(f.width).map_err(err)?;
            fixed_binary(width, Buffer::from_vec(f.data), nulls)?
        }
        (T::Uuid, ColumnData::U128(v)) => fixed_binary(
            16,
            Buffer::from_vec(v.iter().flat_map(|x| x.to_be_bytes()).collect::<Vec<u8>>()),
            nulls,
        )?,
        (T::Date, ColumnData::U16(v)) => {
            prim::<Date32Type>(v.into_iter().map(i32::from).collect(), nulls)?
        }
        (T::Date32, ColumnData::I32(v)) => prim::<Date32Type>(v, nulls)?,
        (T::DateTime64(p, tz), ColumnData::I64(v)) => {
            let (unit, factor) = time_unit(*p)?;
            let v = scale_i64(v, factor)?;
            let tz = tz.as_deref().map(Arc::from);
            match unit {
                TimeUnit::Second => Arc::new(
                    PrimitiveArray::<TimestampSecondType>::try_new(v.into(), nulls)
                        .map_err(err)?
                        .with_timezone_opt(tz),
                ),
                TimeUnit::Millisecond => Arc::new(
                    PrimitiveArray::<TimestampMillisecondType>::try_new(v.into(), nulls)
                        .map_err(err)?
                        .with_timezone_opt(tz),
                ),
                TimeUnit::Microsecond => Arc::new(
                    PrimitiveArray::<TimestampMicrosecondType>::try_new(v.into(), nulls)
                        .map_err(err)?
                        .with_timezone_opt(tz),
                ),
                TimeUnit::Nanosecond => Arc::new(
                    PrimitiveArray::<TimestampNanosecondType>::try_new(v.into(), nulls)
                        .map_err(err)?
                        .with_timezone_opt(tz),
                ),
            }
        }
        (T::Time, ColumnData::I32(v)) => {
            time_array(v.into_iter().map(i64::from).collect(), 0, nulls)?
        }
        (T::Time64(p), ColumnData::I64(v)) => time_array(v, *p, nulls)?,
        (T::Interval(kind), ColumnData::I64(v)) => match interval_unit(*kind) {
            Some(TimeUnit::Nanosecond) => prim::<DurationNanosecondType>(v, nulls)?,
            Some(TimeUnit::Microsecond) => prim::<DurationMicrosecondType>(v, nulls)?,
            Some(TimeUnit::Millisecond) => prim::<DurationMillisecondType>(v, nulls)?,
            Some(TimeUnit::Second) => prim::<DurationSecondType>(v, nulls)?,
            None => prim::<Int64Type>(v, nulls)?,
        },
        (T::Nothing, ColumnData::Nothing(n)) => Arc::new(NullArray::new(n)),
        (T::Nullable(_), ColumnData::Nullable { nulls: map, inner }) => {
            if matches!(inner.data_type(), T::Nothing) {
                Arc::new(NullArray::new(map.len()))
            } else {
                convert(*inner, Some(validity(&map)), o)?
            }
        }
        (T::LowCardinality(inner_ty), ColumnData::LowCardinality(lc)) => {
            let keys: Vec<i32> = match &lc.indices {
                LowCardinalityIndices::U8(v) => v.iter().map(|&k| i32::from(k)).collect(),
                LowCardinalityIndices::U16(v) => v.iter().map(|&k| i32::from(k)).collect(),
                LowCardinalityIndices::U32(v) => keys_i32(v.iter().map(|&k| u64::from(k)))?,
                LowCardinalityIndices::U64(v) => keys_i32(v.iter().copied())?,
            };
            // For LowCardinality(Nullable(T)) index 0 is NULL.
            let key_nulls = if matches!(**inner_ty, T::Nullable(_)) {
                Some(NullBuffer::new(BooleanBuffer::collect_bool(
                    keys.len(),
                    |i| keys[i] != 0,
                )))
            } else {
                nulls
            };
            let values = convert(*lc.dictionary, None, o)?;
            let keys = PrimitiveArray::<Int32Type>::try_new(keys.into(), key_nulls).map_err(err)?;
            Arc::new(DictionaryArray::<Int32Type>::try_new(keys, values).map_err(err)?)
        }
        (
            T::Array(inner_ty),
            ColumnData::Array {
                offsets: ends,
                inner,
            },
        ) => {
            let item = field("item", inner_ty, o)?;
            let offs = offsets(&ends, inner.len())?;
            let values = convert(*inner, None, o)?;
            Arc::new(ListArray::try_new(Arc::new(item), offs, values, nulls).map_err(err)?)
        }
        (T::Tuple(_), ColumnData::Tuple(cols)) => {
            let A::Struct(fields) = arrow_type(&phys, o)? else {
                return Err(bad());
            };
            if cols.is_empty() {
                let len = nulls.as_ref().map_or(0, NullBuffer::len);
                Arc::new(StructArray::new_empty_fields(len, nulls))
            } else {
                let arrays = cols
                    .into_iter()
                    .map(|c| convert(c, None, o))
                    .collect::<R<Vec<_>>>()?;
                Arc::new(StructArray::try_new(fields, arrays, nulls).map_err(err)?)
            }
        }
        (
            T::Map(..),
            ColumnData::Map {
                offsets: ends,
                keys,
                values,
            },
        ) => {
            let A::Map(entries, _) = arrow_type(&phys, o)? else {
                return Err(bad());
            };
            let A::Struct(kv) = entries.data_type() else {
                return Err(bad());
            };
            let offs = offsets(&ends, keys.len())?;
            let arrays = vec![convert(*keys, None, o)?, convert(*values, None, o)?];
            let entries_array = StructArray::try_new(kv.clone(), arrays, None).map_err(err)?;
            Arc::new(MapArray::try_new(entries, offs, entries_array, nulls, false).map_err(err)?)
        }
        (T::Variant(_), ColumnData::Variant(v)) => {
            let A::Union(fields, _) = arrow_type(&phys, o)? else {
                return Err(bad());
            };
            union(fields, v, o)?
        }
        _ => return Err(bad()),
    })
}

fn keys_i32(v: impl Iterator<Item = u64>) -> R<Vec<i32>> {
    v.map(|k| i32::try_from(k).map_err(|_| "more than 2^31 dictionary entries".to_string()))
        .collect()
}

fn check_len(nulls: Option<NullBuffer>, len: usize) -> R<Option<NullBuffer>> {
    match &nulls {
        Some(n) if n.len() != len => Err("null map length differs from the values".into()),
        _ => Ok(nulls),
    }
}

/// A `Variant` as a dense union: one member per alternative plus a `NULL` member of type
/// `Null` that NULL rows point into, as the server writes it.
fn union(
    fields: UnionFields,
    v: chwire_proto::column::VariantColumn,
    o: &ArrowOptions,
) -> R<ArrayRef> {
    let null_id = v.variants.len();
    let mut type_ids = Vec::with_capacity(v.discriminators.len());
    let mut offs = Vec::with_capacity(v.discriminators.len());
    let mut null_rows = 0usize;
    for (&d, &off) in v.discriminators.iter().zip(&v.offsets) {
        if d == NULL_DISCRIMINATOR {
            type_ids.push(null_id as i8);
            offs.push(i32::try_from(null_rows).map_err(err)?);
            null_rows += 1;
        } else {
            type_ids.push(d as i8);
            offs.push(i32::try_from(off).map_err(err)?);
        }
    }
    let mut children = v
        .variants
        .into_iter()
        .map(|c| convert(c, None, o))
        .collect::<R<Vec<_>>>()?;
    children.push(Arc::new(NullArray::new(null_rows)));
    debug_assert_eq!(
        fields.iter().last().map(|(_, f)| f.name().as_str()),
        Some(VARIANT_NULL)
    );
    Ok(Arc::new(
        UnionArray::try_new(fields, type_ids.into(), Some(offs.into()), children).map_err(err)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;

    /// A fixed-width column without nulls becomes the Arrow buffer itself (same address).
    #[test]
    fn fixed_width_columns_are_moved_not_copied() {
        let values: Vec<u64> = (0..1000).collect();
        let addr = values.as_ptr() as usize;
        let bytes = vec![7u8; 16 * 1000];
        let bytes_addr = bytes.as_ptr() as usize;
        let fs = chwire_proto::column::FixedStringColumn {
            width: 16,
            data: bytes,
        };
        let block = Block::new(vec![
            (
                "n".into(),
                Column::new(DataType::UInt64, ColumnData::U64(values)).unwrap(),
            ),
            (
                "ip".into(),
                Column::new(DataType::IPv6, ColumnData::FixedString(fs)).unwrap(),
            ),
        ])
        .unwrap();
        let batch = block_to_batch_with_schema(block, &ArrowOptions::default()).unwrap();
        let n = batch.column(0).as_primitive::<UInt64Type>();
        assert_eq!(n.values().as_ptr() as usize, addr);
        assert_eq!(n.value(999), 999);
        let ip = batch.column(1).as_fixed_size_binary();
        assert_eq!(ip.value_data().as_ptr() as usize, bytes_addr);
    }

    /// Offsets that go backwards are a typed error (Arrow's constructor would panic).
    #[test]
    fn bad_offsets_are_an_error() {
        assert!(offsets(&[3, 1], 3).is_err());
        assert!(offsets(&[1, 5], 3).is_err());
        assert!(offsets(&[1, 3], 3).is_ok());
    }

    /// A `Time` outside a day names the column.
    #[test]
    fn negative_time_names_the_column() {
        let block = Block::new(vec![(
            "t".into(),
            Column::new(DataType::Time, ColumnData::I32(vec![-1])).unwrap(),
        )])
        .unwrap();
        match block_to_batch_with_schema(block, &ArrowOptions::default()) {
            Err(Error::Unsupported { column, .. }) => assert_eq!(column, "t"),
            other => panic!("{other:?}"),
        }
    }
}
