//! Typed rows read straight from a block's columns, row by row, each column with its own
//! cursor, so no row of the block is ever laid out. A plain number column (its own memory,
//! handed over by [`column_row_binary`] without a copy) asked for as that number is one load
//! at `row × width`; a `String` column, checked as UTF-8 once for the block, asked for as a
//! string or bytes is a slice of its data; every other call, and every other column type
//! (re-laid once as RowBinary values), goes through the RowBinary value deserializer over that
//! one value's bytes, so every type check, helper and error is the one RowBinary rows have.
//!
//! The per-row cost is what matters here (callgrind, `docs/performance.md`: 123 instructions a
//! `u64` row, 316 through RowBinary rows), so the plan (which column is plain, which a string,
//! each column's offset in a row) is made once per block.

use std::cell::Cell;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use bytes::Bytes;
use chwire_proto::column::StringColumn;
use chwire_proto::rowbinary::column_row_binary;
use chwire_proto::wire::put_varuint;
use chwire_proto::{Block, ByteCursor, ColumnData, DataType, DecodeLimits};
use serde::de::value::StrDeserializer;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::RowError;
use super::de::{RowLimits, ValueDeserializer, column_count};
use super::error::BoxedError;
use super::shape::{Order, Prim, prim, strip};

/// The columns of one block, read row by row.
pub(crate) struct BlockColumns {
    sources: Vec<ColumnSource>,
    limits: DecodeLimits,
}

/// The row being read: which one, and what its reading keeps (on the stack: the batch stays
/// `Sync`).
struct RowAt<'de> {
    row: usize,
    limits: &'de DecodeLimits,
    /// Bytes the row's variable-width values took so far (their columns' cursors moved by
    /// that much), for the row's allowance of zero-width elements.
    var_read: Cell<usize>,
    /// The row's zero-width elements so far ([`RowLimits`]).
    unbacked: Cell<usize>,
}

impl std::fmt::Debug for BlockColumns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockColumns")
            .field("columns", &self.sources.len())
            .finish_non_exhaustive()
    }
}

/// One column's values, and how they are found.
struct ColumnSource {
    /// The column's type, as the result's shape has it.
    ty: DataType,
    /// The values' RowBinary bytes back to back; empty for a `String` column (its values are
    /// in [`Values::Strings`]).
    bytes: Bytes,
    /// The plain number a value is, for a [`Values::Fixed`] column of one.
    prim: Option<Prim>,
    values: Values,
    /// The fixed-width bytes of the columns before this one in a row.
    fixed_before: usize,
}

/// Where a column's values are in its bytes.
enum Values {
    /// Every value `width` bytes, at `row × width` (plain numbers, `FixedString`s).
    Fixed { width: usize },
    /// A `String` column: value `i` ends at `ends[i]` in `data` and starts where value
    /// `i - 1` ends.
    Strings {
        data: StringData,
        ends: Vec<u64>,
        /// The column as RowBinary bytes, laid out only if a value is asked for as something
        /// other than a string (then read by the value deserializer).
        relaid: OnceLock<Relaid>,
    },
    /// Anything else: RowBinary values, read in turn. `pos` is where the next one starts;
    /// atomic only so that the batch is `Sync` (read and written by one thread at a time;
    /// relaxed: plain moves).
    InTurn { pos: AtomicUsize },
}

/// A `String` column's values back to back: checked as UTF-8 once for the whole block (off
/// the event loop, a fraction of a byte's work per byte), so that a value read as a string is
/// a slice of it (`str::get` checks only its two ends). Checking each value instead was the
/// largest cost of a typed row with a short string (measured: 100 of 740 instructions a row).
enum StringData {
    Text(String),
    /// Not all UTF-8: each value read as a string is checked on its own.
    Bytes(Vec<u8>),
}

impl StringData {
    fn bytes(&self) -> &[u8] {
        match self {
            StringData::Text(s) => s.as_bytes(),
            StringData::Bytes(b) => b,
        }
    }
}

/// A `String` column's values as RowBinary bytes, and where each starts (one more: the end).
struct Relaid {
    bytes: Vec<u8>,
    starts: Vec<usize>,
}

impl Relaid {
    fn of(data: &[u8], ends: &[u64]) -> Relaid {
        let mut bytes = Vec::with_capacity(data.len() + ends.len());
        let mut starts = Vec::with_capacity(ends.len() + 1);
        let mut start = 0;
        for &end in ends {
            starts.push(bytes.len());
            let value = data.get(start..end as usize).unwrap_or_default();
            put_varuint(&mut bytes, value.len() as u64);
            bytes.extend_from_slice(value);
            start = end as usize;
        }
        starts.push(bytes.len());
        Relaid { bytes, starts }
    }
}

/// The bytes of a varint.
#[inline]
fn varint_len(n: u64) -> usize {
    (63 - (n | 1).leading_zeros()) as usize / 7 + 1
}

impl BlockColumns {
    /// The columns of `block` (which has rows, and the columns of the shape it was checked
    /// against), each as its values' bytes.
    pub(crate) fn new(
        block: Block,
        columns: &[(String, DataType)],
        limits: DecodeLimits,
    ) -> Result<Self, RowError> {
        let rows = block.rows;
        let mut sources = Vec::with_capacity(block.columns.len());
        let mut fixed_before = 0;
        for ((_, column), (_, shape_ty)) in block.columns.into_iter().zip(columns) {
            let shape_ty = shape_ty.clone();
            let ty = strip(column.data_type());
            let source = if chwire_proto::native::plain_bytes(&column).is_some() && rows > 0 {
                let prim = prim(ty);
                let bytes = column_row_binary(column, rows)?;
                let width = bytes.len() / rows;
                ColumnSource {
                    ty: shape_ty,
                    bytes,
                    prim,
                    values: Values::Fixed { width },
                    fixed_before,
                }
            } else if matches!(ty, DataType::String) && column.as_strings().is_some() {
                let ColumnData::String(StringColumn { data, offsets }) = column.into_data() else {
                    return Err(RowError::invalid("a String column without strings"));
                };
                if offsets.len() != rows || offsets.last().is_some_and(|&e| e > data.len() as u64) {
                    return Err(RowError::invalid(format!(
                        "a String column of {} values ({} bytes) in a block of {rows} rows",
                        offsets.len(),
                        data.len()
                    )));
                }
                let data = match String::from_utf8(data) {
                    Ok(text) => StringData::Text(text),
                    Err(e) => StringData::Bytes(e.into_bytes()),
                };
                ColumnSource {
                    ty: shape_ty,
                    bytes: Bytes::new(),
                    prim: None,
                    values: Values::Strings {
                        data,
                        ends: offsets,
                        relaid: OnceLock::new(),
                    },
                    fixed_before,
                }
            } else {
                ColumnSource {
                    ty: shape_ty,
                    bytes: column_row_binary(column, rows)?,
                    prim: None,
                    values: Values::InTurn {
                        pos: AtomicUsize::new(0),
                    },
                    fixed_before,
                }
            };
            if let Values::Fixed { width } = source.values {
                fixed_before += width;
            }
            sources.push(source);
        }
        Ok(BlockColumns { sources, limits })
    }

    /// Row `row` (rows are read in order, each once) as `R`, the columns being `columns`
    /// matched to `R`'s fields in `order`.
    #[inline]
    pub(crate) fn row<'de, R: serde::Deserialize<'de>>(
        &'de self,
        columns: &'de [(String, DataType)],
        order: Order,
        row: usize,
    ) -> Result<R, Box<RowError>> {
        let at = RowAt {
            row,
            limits: &self.limits,
            var_read: Cell::new(0),
            unbacked: Cell::new(0),
        };
        R::deserialize(ColumnsRow {
            block: self,
            at: &at,
            columns,
            order,
        })
        .map_err(|e| e.0)
    }

    /// Whether every value of the columns read in turn was taken (the rows read as `R` took
    /// exactly the block's bytes).
    pub(crate) fn all_read(&self) -> bool {
        self.sources.iter().all(|s| match &s.values {
            Values::InTurn { pos } => pos.load(Relaxed) == s.bytes.len(),
            Values::Fixed { .. } | Values::Strings { .. } => true,
        })
    }
}

/// One row of a block's columns: a struct or tuple over them, or, with a single column, that
/// column's value (as RowBinary rows are read).
struct ColumnsRow<'de, 's> {
    block: &'de BlockColumns,
    at: &'s RowAt<'de>,
    columns: &'de [(String, DataType)],
    order: Order,
}

impl<'de, 's> ColumnsRow<'de, 's> {
    #[inline(always)]
    fn fields<V: Visitor<'de>>(self, order: Order, visitor: V) -> Result<V::Value, BoxedError> {
        let n = self.columns.len();
        let mut access = ColumnsAccess { row: &self, pos: 0 };
        let value = match order {
            Order::InOrder => visitor.visit_seq(&mut access)?,
            Order::ByName => by_name(visitor, &mut access)?,
        };
        if access.pos != n {
            return Err(RowError::invalid(format!(
                "the Rust type read {} of {n} fields",
                access.pos
            ))
            .into());
        }
        Ok(value)
    }

    /// The value of a one-column row, asked for as a single value (`fetch::<u64>()`), and
    /// the column's name; of several columns, the error RowBinary rows give.
    #[inline]
    fn single_column(&self) -> Result<(ColumnValue<'de, 's>, &'de str), RowError> {
        match (self.block.sources.as_slice(), self.columns) {
            ([source], [(name, _)]) => Ok((
                ColumnValue {
                    source,
                    at: self.at,
                },
                name,
            )),
            _ => Err(RowError::columns_mismatch(
                "a single value",
                self.columns.len(),
            )),
        }
    }
}

macro_rules! forward_to_single_column {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, BoxedError> {
            let (value, name) = self.single_column()?;
            value.$method(visitor).map_err(|e| e.within(name))
        }
    )*};
}

/// The same calls as `de::RowDeserializer`'s for RowBinary rows, written again on purpose:
/// generated from one macro for both, a `u64` row took 140 instructions instead of 123
/// (callgrind; the in-order struct path stopped being inlined the same way).
impl<'de> Deserializer<'de> for ColumnsRow<'de, '_> {
    type Error = BoxedError;

    fn is_human_readable(&self) -> bool {
        false
    }

    super::de::single_value_methods!(forward_to_single_column);

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, BoxedError> {
        let (value, _) = self.single_column()?;
        value.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, BoxedError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, BoxedError> {
        let (value, _) = self.single_column()?;
        value.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, BoxedError> {
        if len != self.columns.len() {
            return Err(column_count(len, self.columns).into());
        }
        self.fields(Order::InOrder, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, BoxedError> {
        self.deserialize_tuple(len, visitor)
    }

    #[inline(always)]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, BoxedError> {
        if fields.len() != self.columns.len() {
            return Err(column_count(fields.len(), self.columns).into());
        }
        let order = self.order;
        self.fields(order, visitor)
    }
}

/// Fields matched by name (the result's columns in another order than the struct's): out of
/// line, so that the in-order path, with the derived `visit_map` beside it, is not too large to
/// be inlined.
#[inline(never)]
fn by_name<'de, V: Visitor<'de>>(
    visitor: V,
    access: &mut ColumnsAccess<'de, '_, '_>,
) -> Result<V::Value, BoxedError> {
    visitor.visit_map(access)
}

/// A row's fields, as a sequence (in order) or a map (keyed by column name).
struct ColumnsAccess<'de, 's, 'r> {
    row: &'r ColumnsRow<'de, 's>,
    pos: usize,
}

impl<'de> ColumnsAccess<'de, '_, '_> {
    #[inline(always)]
    fn next_value<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, BoxedError> {
        let i = self.pos;
        let (Some(source), Some((name, _))) =
            (self.row.block.sources.get(i), self.row.columns.get(i))
        else {
            // A hand-written `Deserialize` may ask for more values than there are fields.
            return Err(
                RowError::invalid(format!("the Rust type read more than the {i} fields")).into(),
            );
        };
        self.pos += 1;
        seed.deserialize(ColumnValue {
            source,
            at: self.row.at,
        })
        .map_err(|e| e.within(name))
    }
}

impl<'de> SeqAccess<'de> for ColumnsAccess<'de, '_, '_> {
    type Error = BoxedError;

    #[inline(always)]
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, BoxedError> {
        if self.pos == self.row.columns.len() {
            return Ok(None);
        }
        self.next_value(seed).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.row.columns.len() - self.pos)
    }
}

impl<'de> MapAccess<'de> for ColumnsAccess<'de, '_, '_> {
    type Error = BoxedError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, BoxedError> {
        match self.row.columns.get(self.pos) {
            None => Ok(None),
            Some((name, _)) => seed
                .deserialize(StrDeserializer::<BoxedError>::new(name))
                .map(Some),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, BoxedError> {
        self.next_value(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.row.columns.len() - self.pos)
    }
}

/// One field's value in its column.
/// Two pointers, so that a field's deserializer is passed in registers.
struct ColumnValue<'de, 's> {
    source: &'de ColumnSource,
    at: &'s RowAt<'de>,
}

impl<'de> ColumnValue<'de, '_> {
    /// A plain column's value as `N` bytes, when the column holds `prim`s.
    #[inline(always)]
    fn plain<const N: usize>(&self, prims: &[Prim]) -> Option<[u8; N]> {
        let p = self.source.prim?;
        if !prims.contains(&p) {
            return None;
        }
        let start = self.at.row * N;
        let b = self.source.bytes.get(start..start + N)?;
        <[u8; N]>::try_from(b).ok()
    }

    /// A `String` column's value as text (the caller checked it is one).
    #[inline]
    fn text(&self) -> Result<&'de str, RowError> {
        let (start, end) = self.string_range()?;
        if let Values::Strings {
            data: StringData::Text(text),
            ..
        } = &self.source.values
        {
            if let Some(s) = text.get(start..end) {
                return Ok(s);
            }
        }
        super::de::utf8(self.string()?)
    }

    /// A `String` column's value as bytes (the caller checked it is one).
    #[inline]
    fn string(&self) -> Result<&'de [u8], RowError> {
        let (start, end) = self.string_range()?;
        let Values::Strings { data, .. } = &self.source.values else {
            return Err(RowError::invalid("not a String column"));
        };
        data.bytes()
            .get(start..end)
            .ok_or_else(|| RowError::invalid("a String column's offsets point outside its data"))
    }

    /// Where a `String` column's value is in its data, with the RowBinary reader's length
    /// limit; counted as read by the row.
    #[inline]
    fn string_range(&self) -> Result<(usize, usize), RowError> {
        let Values::Strings { ends, .. } = &self.source.values else {
            return Err(RowError::invalid("not a String column"));
        };
        let row = self.at.row;
        let end = ends.get(row).copied().unwrap_or_default();
        let start = match row {
            0 => 0,
            _ => ends.get(row - 1).copied().unwrap_or_default(),
        };
        let len = end.saturating_sub(start);
        if len > self.at.limits.max_string_len {
            return Err(chwire_proto::DecodeError::LimitExceeded {
                what: "string length",
                value: len,
                limit: self.at.limits.max_string_len,
            }
            .into());
        }
        Ok((start as usize, end as usize))
    }

    /// Counts a string of `len` bytes as read by the row (its RowBinary size).
    #[inline(always)]
    fn read_string(&self, len: usize) {
        let read = &self.at.var_read;
        read.set(read.get() + varint_len(len as u64) + len);
    }

    /// Whether the value is a `String` column's.
    #[inline(always)]
    fn is_string(&self) -> bool {
        matches!(self.source.values, Values::Strings { .. })
    }

    /// Any other call: the RowBinary value deserializer over this value's bytes.
    fn slow<R>(
        self,
        read: impl FnOnce(ValueDeserializer<'de, '_, '_>) -> Result<R, RowError>,
    ) -> Result<R, BoxedError> {
        let ColumnValue { source, at } = self;
        let row = at.row;
        let bytes: &'de [u8] = match &source.values {
            Values::Fixed { width } => source.bytes.get(row * width..row * width + width),
            Values::InTurn { pos } => source.bytes.get(pos.load(Relaxed)..),
            Values::Strings { data, ends, relaid } => {
                let relaid = relaid.get_or_init(|| Relaid::of(data.bytes(), ends));
                match (relaid.starts.get(row), relaid.starts.get(row + 1)) {
                    (Some(&start), Some(&end)) => relaid.bytes.get(start..end),
                    _ => None,
                }
            }
        }
        .unwrap_or_default();
        let mut cur = ByteCursor::new(bytes);
        let limits = RowLimits::for_value(
            *at.limits,
            source.fixed_before + at.var_read.get(),
            at.unbacked.get(),
        );
        let value = read(ValueDeserializer::field(&mut cur, &source.ty, &limits));
        at.unbacked.set(limits.spent());
        match &source.values {
            Values::InTurn { pos } => {
                pos.store(pos.load(Relaxed) + cur.position(), Relaxed);
                at.var_read.set(at.var_read.get() + cur.position());
            }
            Values::Strings { .. } => at.var_read.set(at.var_read.get() + cur.position()),
            Values::Fixed { .. } => {}
        }
        Ok(value?)
    }
}

/// A number read straight from a plain column holding it (what the value deserializer
/// accepts for this call), else [`ColumnValue::slow`].
macro_rules! plain_or_slow {
    ($method:ident, $visit:ident, $t:ty, $($prim:ident),+) => {
        #[inline(always)]
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, BoxedError> {
            if let Some(b) = self.plain::<{ std::mem::size_of::<$t>() }>(&[$(Prim::$prim),+]) {
                return visitor.$visit(<$t>::from_le_bytes(b));
            }
            self.slow(|d| d.$method(visitor))
        }
    };
}

macro_rules! slow {
    ($($method:ident($($arg:ident: $t:ty),*)),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $t,)* visitor: V) -> Result<V::Value, BoxedError> {
            self.slow(|d| d.$method($($arg,)* visitor))
        }
    )*};
}

impl<'de> Deserializer<'de> for ColumnValue<'de, '_> {
    type Error = BoxedError;

    fn is_human_readable(&self) -> bool {
        false
    }

    plain_or_slow!(deserialize_i8, visit_i8, i8, I8);
    plain_or_slow!(deserialize_i16, visit_i16, i16, I16);
    plain_or_slow!(deserialize_i32, visit_i32, i32, I32);
    plain_or_slow!(deserialize_i64, visit_i64, i64, I64);
    plain_or_slow!(deserialize_u8, visit_u8, u8, U8, Bool);
    plain_or_slow!(deserialize_u16, visit_u16, u16, U16);
    plain_or_slow!(deserialize_u32, visit_u32, u32, U32);
    plain_or_slow!(deserialize_u64, visit_u64, u64, U64);
    plain_or_slow!(deserialize_f32, visit_f32, f32, F32);
    plain_or_slow!(deserialize_f64, visit_f64, f64, F64);

    slow!(
        deserialize_any(),
        deserialize_bool(),
        deserialize_i128(),
        deserialize_u128(),
        deserialize_char(),
        deserialize_unit(),
        deserialize_seq(),
        deserialize_map(),
        deserialize_identifier(),
        deserialize_ignored_any(),
    );

    #[inline]
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, BoxedError> {
        if self.is_string() {
            let s = self.text()?;
            self.read_string(s.len());
            return visitor.visit_borrowed_str(s);
        }
        self.slow(|d| d.deserialize_str(visitor))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, BoxedError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, BoxedError> {
        if self.is_string() {
            let b = self.string()?;
            self.read_string(b.len());
            return visitor.visit_borrowed_bytes(b);
        }
        self.slow(|d| d.deserialize_bytes(visitor))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, BoxedError> {
        self.deserialize_bytes(visitor)
    }

    /// A column that is neither `Nullable`, `Variant` nor `Dynamic` reads as always `Some`
    /// (as RowBinary rows do); those three read their flag in the value deserializer.
    #[inline]
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, BoxedError> {
        if self.source.prim.is_some() || self.is_string() {
            return visitor.visit_some(self);
        }
        self.slow(|d| d.deserialize_option(visitor))
    }

    slow!(
        deserialize_unit_struct(name: &'static str),
        deserialize_newtype_struct(name: &'static str),
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_struct(name: &'static str, fields: &'static [&'static str]),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
    );
}

#[cfg(test)]
#[path = "columns_de_tests.rs"]
mod tests;
