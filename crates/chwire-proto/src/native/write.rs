//! Column-at-a-time Native encoding: the mirror of `read.rs` (all state prefixes of a column
//! first, then its data).

use super::StringLayout;
use super::read::{
    DYNAMIC_V1, FixedLe, JSON_V1, LC_HAS_ADDITIONAL_KEYS, LC_KEYS_VERSION,
    LC_NEED_UPDATE_DICTIONARY, VARIANT_MODE_BASIC,
};
use crate::column::{Column, ColumnData, LowCardinalityIndices, SHARED_VARIANT};
use crate::wire::{DecodeError, put_string};

#[inline]
fn put_fixed<T: FixedLe>(out: &mut Vec<u8>, values: &[T]) {
    out.reserve(values.len() * T::SIZE);
    for &v in values {
        v.put_le(out);
    }
}

/// The bytes of `col`'s Native data when they are exactly its values' memory (plain numbers
/// and `FixedString`s on a little-endian machine), so they can be sent without being copied.
/// `None` for every other column, and on big-endian targets.
pub fn plain_bytes(col: &Column) -> Option<&[u8]> {
    if cfg!(target_endian = "big") {
        return None;
    }
    Some(match col.data() {
        ColumnData::I8(v) => bytemuck::cast_slice(v),
        ColumnData::I16(v) => bytemuck::cast_slice(v),
        ColumnData::I32(v) => bytemuck::cast_slice(v),
        ColumnData::I64(v) => bytemuck::cast_slice(v),
        ColumnData::U8(v) => v,
        ColumnData::U16(v) => bytemuck::cast_slice(v),
        ColumnData::U32(v) => bytemuck::cast_slice(v),
        ColumnData::U64(v) => bytemuck::cast_slice(v),
        ColumnData::F32(v) => bytemuck::cast_slice(v),
        ColumnData::F64(v) => bytemuck::cast_slice(v),
        ColumnData::FixedString(s) => &s.data,
        _ => return None,
    })
}

/// Writes one column: state prefixes, then data. `rows` is the number of rows the context
/// expects: a column of `Tuple()` cannot tell (see [`check_len`]) but is written as one
/// placeholder byte per row.
pub(crate) fn write_column(
    out: &mut Vec<u8>,
    col: &Column,
    rows: usize,
    strings: StringLayout,
) -> Result<(), DecodeError> {
    write_prefix(out, col)?;
    write_data(out, col, rows, strings)
}

fn write_prefix(out: &mut Vec<u8>, col: &Column) -> Result<(), DecodeError> {
    match col.data() {
        ColumnData::Nullable { inner, .. } | ColumnData::Array { inner, .. } => {
            write_prefix(out, inner)?
        }
        ColumnData::Tuple(cols) => {
            for c in cols {
                write_prefix(out, c)?;
            }
        }
        ColumnData::Map { keys, values, .. } => {
            write_prefix(out, keys)?;
            write_prefix(out, values)?;
        }
        ColumnData::LowCardinality(_) => LC_KEYS_VERSION.put_le(out),
        ColumnData::Variant(v) => {
            VARIANT_MODE_BASIC.put_le(out);
            for c in &v.variants {
                write_prefix(out, c)?;
            }
        }
        ColumnData::Dynamic(d) => {
            let names: Vec<&String> = d.names.iter().filter(|n| *n != SHARED_VARIANT).collect();
            // V1 with the actual type count in place of the maximum, as the server writes it.
            DYNAMIC_V1.put_le(out);
            crate::wire::put_varuint(out, names.len() as u64);
            crate::wire::put_varuint(out, names.len() as u64);
            for n in names {
                put_string(out, n.as_bytes());
            }
            VARIANT_MODE_BASIC.put_le(out);
            for c in &d.variant.variants {
                write_prefix(out, c)?;
            }
        }
        ColumnData::Json(j) => {
            JSON_V1.put_le(out);
            crate::wire::put_varuint(out, j.dynamic_paths.len() as u64);
            crate::wire::put_varuint(out, j.dynamic_paths.len() as u64);
            for (p, _) in &j.dynamic_paths {
                put_string(out, p.as_bytes());
            }
            for (_, c) in &j.typed_paths {
                write_prefix(out, c)?;
            }
            for (_, c) in &j.dynamic_paths {
                write_prefix(out, c)?;
            }
        }
        _ => {}
    }
    Ok(())
}

pub(crate) fn write_data(
    out: &mut Vec<u8>,
    col: &Column,
    rows: usize,
    strings: StringLayout,
) -> Result<(), DecodeError> {
    // Plain numbers on a little-endian machine: their memory is their encoding.
    if let Some(bytes) = plain_bytes(col) {
        out.extend_from_slice(bytes);
        return Ok(());
    }
    match col.data() {
        ColumnData::I8(v) => put_fixed(out, v),
        ColumnData::I16(v) => put_fixed(out, v),
        ColumnData::I32(v) => put_fixed(out, v),
        ColumnData::I64(v) => put_fixed(out, v),
        ColumnData::I128(v) => put_fixed(out, v),
        ColumnData::I256(v) => put_fixed(out, v),
        ColumnData::U8(v) => out.extend_from_slice(v),
        ColumnData::U16(v) => put_fixed(out, v),
        ColumnData::U32(v) => put_fixed(out, v),
        ColumnData::U64(v) => put_fixed(out, v),
        ColumnData::U128(v) => {
            if matches!(
                crate::column::physical_type(col.data_type()).as_ref(),
                crate::DataType::Uuid
            ) {
                out.reserve(v.len() * 16);
                for &u in v {
                    ((u >> 64) as u64).put_le(out);
                    (u as u64).put_le(out);
                }
            } else {
                put_fixed(out, v)
            }
        }
        ColumnData::U256(v) => put_fixed(out, v),
        ColumnData::F32(v) => put_fixed(out, v),
        ColumnData::F64(v) => put_fixed(out, v),
        ColumnData::String(s) if strings == StringLayout::Offsets => {
            put_fixed(out, &s.offsets);
            out.extend_from_slice(&s.data);
        }
        ColumnData::String(s) => {
            out.reserve(s.data.len() + s.len());
            for v in s.iter() {
                put_string(out, v);
            }
        }
        ColumnData::FixedString(s) => out.extend_from_slice(&s.data),
        ColumnData::Nothing(n) => out.resize(out.len() + n, b'0'),
        ColumnData::Nullable { nulls, inner } => {
            check_len(col, inner, nulls.len())?;
            out.extend_from_slice(nulls);
            write_data(out, inner, nulls.len(), strings)?;
        }
        ColumnData::Array { offsets, inner } => {
            let total = offsets.last().copied().unwrap_or(0) as usize;
            check_len(col, inner, total)?;
            put_fixed(out, offsets);
            write_data(out, inner, total, strings)?;
        }
        // `Tuple()`: the server writes one placeholder byte per row, like `Nothing`.
        ColumnData::Tuple(cols) if cols.is_empty() => out.resize(out.len() + rows, b'0'),
        ColumnData::Tuple(cols) => {
            for c in cols {
                check_len(col, c, rows)?;
                write_data(out, c, rows, strings)?;
            }
        }
        ColumnData::Map {
            offsets,
            keys,
            values,
        } => {
            let total = offsets.last().copied().unwrap_or(0) as usize;
            check_len(col, keys, total)?;
            check_len(col, values, total)?;
            put_fixed(out, offsets);
            write_data(out, keys, total, strings)?;
            write_data(out, values, total, strings)?;
        }
        ColumnData::LowCardinality(lc) => {
            if lc.indices.is_empty() {
                return Ok(());
            }
            let (width, max) = match &lc.indices {
                LowCardinalityIndices::U8(v) => (0u64, v.iter().map(|&x| x as usize).max()),
                LowCardinalityIndices::U16(v) => (1, v.iter().map(|&x| x as usize).max()),
                LowCardinalityIndices::U32(v) => (2, v.iter().map(|&x| x as usize).max()),
                LowCardinalityIndices::U64(v) => (3, v.iter().map(|&x| x as usize).max()),
            };
            if max.unwrap_or(0) >= lc.dictionary.len() {
                return Err(shape(col, "LowCardinality index out of range"));
            }
            (width | LC_HAS_ADDITIONAL_KEYS | LC_NEED_UPDATE_DICTIONARY).put_le(out);
            (lc.dictionary.len() as u64).put_le(out);
            // Dictionaries keep the varint layout at every revision.
            write_data(
                out,
                &lc.dictionary,
                lc.dictionary.len(),
                StringLayout::Varint,
            )?;
            (lc.indices.len() as u64).put_le(out);
            match &lc.indices {
                LowCardinalityIndices::U8(v) => out.extend_from_slice(v),
                LowCardinalityIndices::U16(v) => put_fixed(out, v),
                LowCardinalityIndices::U32(v) => put_fixed(out, v),
                LowCardinalityIndices::U64(v) => put_fixed(out, v),
            }
        }
        ColumnData::Variant(v) => write_variant(out, col, v, strings)?,
        ColumnData::Dynamic(d) => write_variant(out, col, &d.variant, strings)?,
        ColumnData::Json(j) => {
            for (_, c) in j.typed_paths.iter().chain(&j.dynamic_paths) {
                check_len(col, c, j.len())?;
                write_data(out, c, j.len(), strings)?;
            }
            check_len(col, &j.shared_data, j.len())?;
            // Shared data keeps the varint layout at every revision.
            write_data(out, &j.shared_data, j.len(), StringLayout::Varint)?;
        }
    }
    Ok(())
}

fn write_variant(
    out: &mut Vec<u8>,
    col: &Column,
    v: &crate::column::VariantColumn,
    strings: StringLayout,
) -> Result<(), DecodeError> {
    let mut counts = vec![0usize; v.variants.len()];
    for &d in &v.discriminators {
        if d != crate::column::NULL_DISCRIMINATOR {
            *counts
                .get_mut(d as usize)
                .ok_or_else(|| shape(col, "Variant discriminator out of range"))? += 1;
        }
    }
    out.extend_from_slice(&v.discriminators);
    for (c, n) in v.variants.iter().zip(counts) {
        check_len(col, c, n)?;
        write_data(out, c, n, strings)?;
    }
    Ok(())
}

/// Checks that `inner`, a part of `col`, has `want` rows.
///
/// A column of `Tuple()` (or tuples of only those) holds no data, so it cannot record how many
/// rows it has (its `len()` is 0): any count matches, and the writer takes the count from the
/// context. Without this, blocks with `Array(Tuple())` as the server sends them would not
/// re-encode.
pub(crate) fn check_len(col: &Column, inner: &Column, want: usize) -> Result<(), DecodeError> {
    let got = inner.len();
    if got != want && !is_rowless(inner) {
        return Err(shape(
            col,
            &format!("inner column has {got} rows, expected {want}"),
        ));
    }
    Ok(())
}

fn shape(col: &Column, reason: &str) -> DecodeError {
    DecodeError::TypeMismatch {
        ty: col.data_type().to_string(),
        reason: reason.to_string(),
    }
}

/// Whether `col` is made of zero-element tuples only, and so stores no row count.
pub(crate) fn is_rowless(col: &Column) -> bool {
    matches!(col.data(), ColumnData::Tuple(cols) if cols.iter().all(is_rowless))
}
