//! Typed rows into Native columns: one buffer per column, laid out as the column's
//! [`ColumnData`], filled field by field and taken as a [`Block`] — for any transport (HTTP
//! `FORMAT Native` bodies and the native protocol's Data packets alike).
//!
//! The plan is made once per insert from the columns the row type fills: each column gets a
//! buffer shape ([`ColumnBuf`]). Leaves are the types whose RowBinary value is their Native
//! value (numbers, dates, decimals, enums, UUIDs, IPs, `String`, `FixedString`); they are
//! serialized by the RowBinary value serializer (so every type check, rescale and error is
//! the one RowBinary inserts have) into a few scratch bytes and pushed onto the typed column.
//! `Nullable` of a leaf and `Array` of any of these get their null map and offsets here. A
//! column of any other type (`LowCardinality`, `Map`, `Tuple`, `Variant`, `JSON`, ...) has no
//! buffer shape: [`ColumnRows::new`] says so and the insert is sent as RowBinary.

use chwire_proto::column::{FixedStringColumn, StringColumn};
use chwire_proto::value::{I256, U256};
use chwire_proto::{Block, Column, ColumnData, DataType};
use serde::Serialize;

use super::columns_ser::RowColumnsSerializer;
use super::shape::{ByteShape, Prim, prim};
use super::{Row, RowError};

/// Rows of `T` being transposed into columns: the buffers of one block.
#[derive(Debug)]
pub(crate) struct ColumnRows {
    names: Vec<String>,
    cols: Vec<ColumnBuf>,
    rows: usize,
    /// One value's RowBinary bytes on their way into a leaf column.
    scratch: Vec<u8>,
}

impl ColumnRows {
    /// Buffers for `columns` (the row type's, in field order: see
    /// [`RowEncoder::new`](super::RowEncoder::new)); `None` when a column has no column
    /// layout here (the insert is then sent as RowBinary).
    pub(crate) fn new(columns: &[(String, DataType)]) -> Option<ColumnRows> {
        let cols = columns
            .iter()
            .map(|(_, ty)| ColumnBuf::of(ty))
            .collect::<Option<Vec<_>>>()?;
        Some(ColumnRows {
            names: columns.iter().map(|(n, _)| n.clone()).collect(),
            cols,
            rows: 0,
            scratch: Vec::with_capacity(64),
        })
    }

    /// Appends one row, each field to its column's buffer. On error the buffers are left as
    /// they were (the fields written before the failing one are taken back).
    #[inline]
    pub(crate) fn push<T: Row + Serialize + ?Sized>(&mut self, row: &T) -> Result<(), RowError> {
        let result = row.serialize(RowColumnsSerializer {
            names: &self.names,
            cols: &mut self.cols,
            scratch: &mut self.scratch,
        });
        match result {
            Ok(()) => {
                self.rows += 1;
                Ok(())
            }
            Err(e) => {
                for col in &mut self.cols {
                    col.truncate(self.rows);
                }
                Err(*e.0)
            }
        }
    }

    /// Rows buffered.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// The bytes the buffered rows take (their Native size, about).
    pub(crate) fn byte_len(&self) -> usize {
        self.cols.iter().map(ColumnBuf::byte_len).sum()
    }

    /// Makes room for `rows` rows in all, each buffer in proportion to what it holds now
    /// (string bytes by the average so far): the buffers then reach a block's size in one
    /// allocation instead of doubling, whose copies of several MiB at once held the
    /// writing task 2-8 ms (the fairness test's longest polls). No-op without rows.
    pub(crate) fn reserve_rows(&mut self, rows: usize) {
        if self.rows == 0 || rows <= self.rows {
            return;
        }
        for col in &mut self.cols {
            col.reserve_scaled(self.rows, rows);
        }
    }

    /// The buffered rows as a block; the buffers start again empty, with room for as many
    /// rows as were taken.
    pub(crate) fn take_block(&mut self) -> Result<Block, RowError> {
        let columns = self
            .names
            .iter()
            .zip(&mut self.cols)
            .map(|(name, col)| Ok((name.clone(), col.take()?)))
            .collect::<Result<Vec<_>, RowError>>()?;
        self.rows = 0;
        Block::new(columns).map_err(RowError::Decode)
    }
}

/// One column's buffer.
#[derive(Debug)]
pub(super) enum ColumnBuf {
    /// A type whose RowBinary value is its Native value (see the module docs).
    Leaf { ty: DataType, data: ColumnData },
    /// `Nullable(leaf)`: the null map and the values (a default in NULL rows).
    Nullable {
        ty: DataType,
        nulls: Vec<u8>,
        inner: Box<ColumnBuf>,
    },
    /// `Array(...)`: cumulative end offsets and the flattened elements.
    Array {
        ty: DataType,
        offsets: Vec<u64>,
        inner: Box<ColumnBuf>,
    },
}

impl ColumnBuf {
    /// The buffer shape of a column of `ty`, if it has one here.
    fn of(ty: &DataType) -> Option<ColumnBuf> {
        match ty {
            DataType::Nullable(inner) => match ColumnBuf::of(inner)? {
                leaf @ ColumnBuf::Leaf { .. } => Some(ColumnBuf::Nullable {
                    ty: ty.clone(),
                    nulls: Vec::new(),
                    inner: Box::new(leaf),
                }),
                _ => None,
            },
            DataType::Array(elem) => Some(ColumnBuf::Array {
                ty: ty.clone(),
                offsets: Vec::new(),
                inner: Box::new(ColumnBuf::of(elem)?),
            }),
            _ if is_leaf(ty) => Some(ColumnBuf::Leaf {
                ty: ty.clone(),
                data: Column::empty(ty).into_data(),
            }),
            _ => None,
        }
    }

    /// Back to `rows` rows (after a row failed half-way).
    fn truncate(&mut self, rows: usize) {
        match self {
            ColumnBuf::Leaf { data, .. } => truncate_leaf(data, rows),
            ColumnBuf::Nullable { nulls, inner, .. } => {
                nulls.truncate(rows);
                inner.truncate(rows);
            }
            ColumnBuf::Array { offsets, inner, .. } => {
                offsets.truncate(rows);
                inner.truncate(offsets.last().map_or(0, |&n| n as usize));
            }
        }
    }

    /// Reserves room for what `now` rows take here scaled to `rows` rows.
    fn reserve_scaled(&mut self, now: usize, rows: usize) {
        fn more<T>(v: &mut Vec<T>, now: usize, rows: usize) {
            let want = v.len().saturating_mul(rows) / now.max(1);
            v.reserve(want.saturating_sub(v.len()));
        }
        macro_rules! leaf {
            ($data:expr, $($variant:ident),*) => {
                match $data {
                    $(ColumnData::$variant(v) => more(v, now, rows),)*
                    ColumnData::String(s) => {
                        more(&mut s.offsets, now, rows);
                        more(&mut s.data, now, rows);
                    }
                    ColumnData::FixedString(f) => more(&mut f.data, now, rows),
                    _ => {}
                }
            };
        }
        match self {
            ColumnBuf::Leaf { data, .. } => leaf!(
                data, I8, I16, I32, I64, I128, I256, U8, U16, U32, U64, U128, U256, F32, F64
            ),
            ColumnBuf::Nullable { nulls, inner, .. } => {
                more(nulls, now, rows);
                inner.reserve_scaled(now, rows);
            }
            ColumnBuf::Array { offsets, inner, .. } => {
                more(offsets, now, rows);
                inner.reserve_scaled(now, rows);
            }
        }
    }

    fn byte_len(&self) -> usize {
        match self {
            ColumnBuf::Leaf { data, .. } => leaf_byte_len(data),
            ColumnBuf::Nullable { nulls, inner, .. } => nulls.len() + inner.byte_len(),
            ColumnBuf::Array { offsets, inner, .. } => offsets.len() * 8 + inner.byte_len(),
        }
    }

    /// The values as a column; the buffer starts again empty, with the same room.
    fn take(&mut self) -> Result<Column, RowError> {
        let (ty, data) = match self {
            ColumnBuf::Leaf { ty, data } => {
                let fresh = fresh_like(data);
                (ty.clone(), std::mem::replace(data, fresh))
            }
            ColumnBuf::Nullable { ty, nulls, inner } => {
                let nulls = std::mem::replace(nulls, Vec::with_capacity(nulls.len()));
                let inner = Box::new(inner.take()?);
                (ty.clone(), ColumnData::Nullable { nulls, inner })
            }
            ColumnBuf::Array { ty, offsets, inner } => {
                let offsets = std::mem::replace(offsets, Vec::with_capacity(offsets.len()));
                let inner = Box::new(inner.take()?);
                (ty.clone(), ColumnData::Array { offsets, inner })
            }
        };
        Column::new(ty, data).map_err(RowError::Decode)
    }
}

/// Whether `ty`'s RowBinary value is its Native value, stored in a plain numeric, `String` or
/// `FixedString` column.
fn is_leaf(ty: &DataType) -> bool {
    let plain = prim(ty).is_some()
        || ByteShape::of(ty).is_some()
        || matches!(ty, DataType::String | DataType::FixedString(_));
    plain
        && matches!(
            Column::empty(ty).data(),
            ColumnData::I8(_)
                | ColumnData::I16(_)
                | ColumnData::I32(_)
                | ColumnData::I64(_)
                | ColumnData::I128(_)
                | ColumnData::I256(_)
                | ColumnData::U8(_)
                | ColumnData::U16(_)
                | ColumnData::U32(_)
                | ColumnData::U64(_)
                | ColumnData::U128(_)
                | ColumnData::U256(_)
                | ColumnData::F32(_)
                | ColumnData::F64(_)
                | ColumnData::String(_)
                | ColumnData::FixedString(_)
        )
}

/// Pushes one value of a leaf column given as its RowBinary bytes (which the value
/// serializer wrote for `ty`, so their length is the type's).
#[inline]
pub(super) fn push_leaf(data: &mut ColumnData, ty: &DataType, b: &[u8]) -> Result<(), RowError> {
    macro_rules! num {
        ($v:expr, $t:ty) => {
            $v.push(<$t>::from_le_bytes(fixed(b)?))
        };
    }
    match data {
        ColumnData::I8(v) => num!(v, i8),
        ColumnData::I16(v) => num!(v, i16),
        ColumnData::I32(v) => num!(v, i32),
        ColumnData::I64(v) => num!(v, i64),
        ColumnData::I128(v) => num!(v, i128),
        ColumnData::I256(v) => num!(v, I256),
        ColumnData::U8(v) => num!(v, u8),
        ColumnData::U16(v) => num!(v, u16),
        ColumnData::U32(v) => num!(v, u32),
        ColumnData::U64(v) => num!(v, u64),
        ColumnData::U256(v) => num!(v, U256),
        ColumnData::F32(v) => num!(v, f32),
        ColumnData::F64(v) => num!(v, f64),
        ColumnData::U128(v) => {
            let x = u128::from_le_bytes(fixed(b)?);
            // A UUID is written as its high half, then its low half (each little-endian).
            let uuid = matches!(prim(ty), Some(Prim::Uuid));
            v.push(if uuid { x.rotate_left(64) } else { x });
        }
        ColumnData::String(s) => s.push(string_payload(b)?),
        ColumnData::FixedString(f) if b.len() == f.width => f.data.extend_from_slice(b),
        _ => return Err(unexpected(b.len())),
    }
    Ok(())
}

#[inline]
fn fixed<const N: usize>(b: &[u8]) -> Result<[u8; N], RowError> {
    b.try_into().map_err(|_| unexpected(b.len()))
}

/// The bytes of a RowBinary string (a varint length, then the bytes).
#[inline]
fn string_payload(b: &[u8]) -> Result<&[u8], RowError> {
    let mut len = 0u64;
    for (i, &byte) in b.iter().enumerate().take(10) {
        len |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            let rest = &b[i + 1..];
            return if rest.len() as u64 == len {
                Ok(rest)
            } else {
                Err(unexpected(b.len()))
            };
        }
    }
    Err(unexpected(b.len()))
}

#[cold]
fn unexpected(len: usize) -> RowError {
    RowError::invalid(format!(
        "the value serialized as {len} bytes, which its column cannot hold"
    ))
}

/// Pushes the default value (in a NULL row of a `Nullable` column).
pub(super) fn push_default(col: &mut ColumnBuf) {
    match col {
        ColumnBuf::Leaf { data, .. } => match data {
            ColumnData::I8(v) => v.push(0),
            ColumnData::I16(v) => v.push(0),
            ColumnData::I32(v) => v.push(0),
            ColumnData::I64(v) => v.push(0),
            ColumnData::I128(v) => v.push(0),
            ColumnData::I256(v) => v.push(I256::ZERO),
            ColumnData::U8(v) => v.push(0),
            ColumnData::U16(v) => v.push(0),
            ColumnData::U32(v) => v.push(0),
            ColumnData::U64(v) => v.push(0),
            ColumnData::U128(v) => v.push(0),
            ColumnData::U256(v) => v.push(U256::ZERO),
            ColumnData::F32(v) => v.push(0.0),
            ColumnData::F64(v) => v.push(0.0),
            ColumnData::String(s) => s.push(b""),
            ColumnData::FixedString(f) => f.data.resize(f.data.len() + f.width, 0),
            _ => {}
        },
        ColumnBuf::Nullable { nulls, inner, .. } => {
            nulls.push(1);
            push_default(inner);
        }
        ColumnBuf::Array { offsets, .. } => offsets.push(offsets.last().copied().unwrap_or(0)),
    }
}

fn truncate_leaf(data: &mut ColumnData, rows: usize) {
    match data {
        ColumnData::I8(v) => v.truncate(rows),
        ColumnData::I16(v) => v.truncate(rows),
        ColumnData::I32(v) => v.truncate(rows),
        ColumnData::I64(v) => v.truncate(rows),
        ColumnData::I128(v) => v.truncate(rows),
        ColumnData::I256(v) => v.truncate(rows),
        ColumnData::U8(v) => v.truncate(rows),
        ColumnData::U16(v) => v.truncate(rows),
        ColumnData::U32(v) => v.truncate(rows),
        ColumnData::U64(v) => v.truncate(rows),
        ColumnData::U128(v) => v.truncate(rows),
        ColumnData::U256(v) => v.truncate(rows),
        ColumnData::F32(v) => v.truncate(rows),
        ColumnData::F64(v) => v.truncate(rows),
        ColumnData::String(s) => {
            s.offsets.truncate(rows);
            s.data.truncate(s.offsets.last().map_or(0, |&n| n as usize));
        }
        ColumnData::FixedString(f) => f.data.truncate(rows * f.width),
        _ => {}
    }
}

fn leaf_byte_len(data: &ColumnData) -> usize {
    fn size<T>(v: &[T]) -> usize {
        std::mem::size_of_val(v)
    }
    match data {
        ColumnData::I8(v) => size(v),
        ColumnData::I16(v) => size(v),
        ColumnData::I32(v) => size(v),
        ColumnData::I64(v) => size(v),
        ColumnData::I128(v) => size(v),
        ColumnData::I256(v) => size(v),
        ColumnData::U8(v) => size(v),
        ColumnData::U16(v) => size(v),
        ColumnData::U32(v) => size(v),
        ColumnData::U64(v) => size(v),
        ColumnData::U128(v) => size(v),
        ColumnData::U256(v) => size(v),
        ColumnData::F32(v) => size(v),
        ColumnData::F64(v) => size(v),
        ColumnData::String(s) => s.data.len() + s.offsets.len(),
        ColumnData::FixedString(f) => f.data.len(),
        _ => 0,
    }
}

/// An empty leaf buffer with the room `data` has used.
fn fresh_like(data: &ColumnData) -> ColumnData {
    macro_rules! like {
        ($variant:ident, $v:expr) => {
            ColumnData::$variant(Vec::with_capacity($v.len()))
        };
    }
    match data {
        ColumnData::I8(v) => like!(I8, v),
        ColumnData::I16(v) => like!(I16, v),
        ColumnData::I32(v) => like!(I32, v),
        ColumnData::I64(v) => like!(I64, v),
        ColumnData::I128(v) => like!(I128, v),
        ColumnData::I256(v) => like!(I256, v),
        ColumnData::U8(v) => like!(U8, v),
        ColumnData::U16(v) => like!(U16, v),
        ColumnData::U32(v) => like!(U32, v),
        ColumnData::U64(v) => like!(U64, v),
        ColumnData::U128(v) => like!(U128, v),
        ColumnData::U256(v) => like!(U256, v),
        ColumnData::F32(v) => like!(F32, v),
        ColumnData::F64(v) => like!(F64, v),
        ColumnData::String(s) => ColumnData::String(StringColumn {
            data: Vec::with_capacity(s.data.len()),
            offsets: Vec::with_capacity(s.offsets.len()),
        }),
        ColumnData::FixedString(f) => ColumnData::FixedString(FixedStringColumn {
            width: f.width,
            data: Vec::with_capacity(f.data.len()),
        }),
        // Not a leaf's storage (never built for one).
        _ => ColumnData::Nothing(0),
    }
}

#[cfg(test)]
#[path = "columns_tests.rs"]
mod tests;
