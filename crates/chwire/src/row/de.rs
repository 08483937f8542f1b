//! Decoding RowBinary rows straight into `T: Deserialize`, checked against the column types.
//!
//! There is no intermediate `Value`: each serde call (`deserialize_u64`, `deserialize_str`, …)
//! is checked against the column's [`DataType`] and then reads exactly that value from the
//! input. Strings and byte strings are handed to the visitor borrowed from the input, so
//! `&str`/`&[u8]` fields cost nothing and `String`/`Vec<u8>` fields cost one allocation each.

use std::cell::Cell;

use chwire_proto::rowbinary::value_codec::{UNBACKED_VALUES_PER_BYTE, UNBACKED_VALUES_PER_ROW};
use chwire_proto::{ByteCursor, DataType, DecodeLimits};
use serde::de::value::{StrDeserializer, U8Deserializer, U32Deserializer};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

use super::shape::{
    self, ByteShape, Fields, Order, Prim, array_elem, strip, tuple_fields, zero_width,
};
use super::{Row, RowError, datetime64, decimal, dynamic};

/// Decodes rows of one result set (RowBinary, after its header) into Rust values.
///
/// Created from the result's columns, as announced by a `RowBinaryWithNamesAndTypes` header.
/// With [`RowDecoder::new`] the row type's column names are checked up front; when they match
/// the columns as a set but in another order, the fields are matched by name (serde's derived
/// `Deserialize` accepts fields in any order), so `SELECT b, a` fills `struct { a, b }`
/// correctly. Matching in order is faster, so prefer selecting columns in field order.
#[derive(Debug, Clone)]
pub struct RowDecoder<'c> {
    columns: &'c [(String, DataType)],
    order: Order,
    limits: DecodeLimits,
}

impl<'c> RowDecoder<'c> {
    /// A decoder for the row type `T`, after checking that `T`'s columns are the result's
    /// columns (same names; any order).
    pub fn new<T: Row + ?Sized>(columns: &'c [(String, DataType)]) -> Result<Self, RowError> {
        if let Some(n) = T::POSITIONAL {
            positional_count::<T>(n, columns)?;
            return Ok(RowDecoder::positional(columns));
        }
        let order = Fields::Columns(columns)
            .match_names(T::COLUMN_NAMES)
            .ok_or_else(|| RowError::Columns {
                row: T::NAME,
                expected: T::COLUMN_NAMES.iter().map(|s| (*s).to_owned()).collect(),
                actual: columns.iter().map(|(n, _)| n.clone()).collect(),
            })?;
        Ok(RowDecoder {
            columns,
            order,
            limits: DecodeLimits::default(),
        })
    }

    /// A decoder that maps columns by position, without checking names: for tuples, single
    /// values (one column) and structs without [`Row`]. Types are still checked per value.
    pub fn positional(columns: &'c [(String, DataType)]) -> Self {
        RowDecoder {
            columns,
            order: Order::InOrder,
            limits: DecodeLimits::default(),
        }
    }

    /// A decoder over `columns` with the field order an earlier [`RowDecoder::new`] found for
    /// them: rebuilt per row by a cursor without matching names again.
    pub(crate) fn with_order(
        columns: &'c [(String, DataType)],
        order: Order,
        limits: DecodeLimits,
    ) -> Self {
        RowDecoder {
            columns,
            order,
            limits,
        }
    }

    pub(crate) fn order(&self) -> Order {
        self.order
    }

    /// Replaces the default caps on lengths read from the input.
    pub fn with_limits(mut self, limits: DecodeLimits) -> Self {
        self.limits = limits;
        self
    }

    /// The result's column names and types, in the order the server sends them.
    pub fn columns(&self) -> &'c [(String, DataType)] {
        self.columns
    }

    /// `true` when fields are matched to columns by name because the order differs.
    pub fn is_reordered(&self) -> bool {
        self.order == Order::ByName
    }

    /// Decodes the next row. On any error, including [`RowError::Incomplete`], the cursor is
    /// left at the start of the row, so the caller can keep the unread tail and retry once more
    /// bytes have arrived.
    pub fn decode<'de, T: de::Deserialize<'de>>(
        &self,
        cursor: &mut ByteCursor<'de>,
    ) -> Result<T, RowError> {
        let mut cur = cursor.clone();
        let limits = RowLimits::new(self.limits, cur.position());
        let value = T::deserialize(RowDeserializer {
            cur: &mut cur,
            columns: self.columns,
            order: self.order,
            limits: &limits,
        })?;
        *cursor = cur;
        Ok(value)
    }

    /// Decodes every complete row in `buf`, returning them and the number of bytes consumed;
    /// the unconsumed tail (an incomplete last row) is `&buf[consumed..]`.
    pub fn decode_all<'de, T: de::Deserialize<'de>>(
        &self,
        buf: &'de [u8],
    ) -> Result<(Vec<T>, usize), RowError> {
        let mut cur = ByteCursor::new(buf);
        let mut rows = Vec::new();
        while !cur.is_empty() {
            match self.decode(&mut cur) {
                Ok(row) => rows.push(row),
                Err(RowError::Incomplete { .. }) => break,
                Err(e) => return Err(e),
            }
        }
        Ok((rows, cur.position()))
    }
}

/// A single value or tuple ([`Row::POSITIONAL`]) maps to exactly `n` columns.
pub(super) fn positional_count<T: Row + ?Sized>(
    n: usize,
    columns: &[(String, DataType)],
) -> Result<(), RowError> {
    if columns.len() == n {
        return Ok(());
    }
    Err(RowError::Columns {
        row: T::NAME,
        expected: (1..=n).map(|i| format!("column {i}")).collect(),
        actual: columns.iter().map(|(c, _)| c.clone()).collect(),
    })
}

/// The caps on what one row may contain, and what the row has spent of its allowance of
/// collection elements that take no input bytes.
pub(super) struct RowLimits {
    decode: DecodeLimits,
    row_start: usize,
    /// Bytes of the row read before the cursor's start: 0 for a RowBinary row (one cursor
    /// from its start), the earlier fields' bytes when each column has its own cursor
    /// (`columns_de`).
    before: usize,
    unbacked: Cell<usize>,
}

impl std::ops::Deref for RowLimits {
    type Target = DecodeLimits;
    fn deref(&self) -> &DecodeLimits {
        &self.decode
    }
}

impl RowLimits {
    /// The caps of a row read from `row_start` of its cursor.
    fn new(decode: DecodeLimits, row_start: usize) -> RowLimits {
        RowLimits {
            decode,
            row_start,
            before: 0,
            unbacked: Cell::new(0),
        }
    }

    /// The caps of one value of a row read value by value, each from its own cursor: `before`
    /// bytes and `spent` zero-width elements of the row came earlier.
    pub(super) fn for_value(decode: DecodeLimits, before: usize, spent: usize) -> RowLimits {
        RowLimits {
            decode,
            row_start: 0,
            before,
            unbacked: Cell::new(spent),
        }
    }

    /// Zero-width elements the row has spent.
    #[inline]
    pub(super) fn spent(&self) -> usize {
        self.unbacked.get()
    }

    /// Charges `n` zero-width elements (of `Array(Tuple())`, say) to the row, with the
    /// allowance of the RowBinary decoder (`chwire_proto::rowbinary::value_codec`): a 5-byte
    /// length could otherwise have the Rust type build 2^28 values (`Vec<Option<E>>` for an
    /// empty struct `E` takes a byte each), in every collection of the row. Callers charge only
    /// collections longer than the per-row allowance, so real data costs no type inspection;
    /// the shorter ones take a length byte each, which keeps their total within a constant
    /// factor of the input too.
    fn charge_unbacked(&self, cur: &ByteCursor<'_>, n: usize) -> Result<(), RowError> {
        let spent = self.unbacked.get().saturating_add(n);
        let allowance = (self.before + cur.position() - self.row_start)
            .saturating_mul(UNBACKED_VALUES_PER_BYTE)
            .saturating_add(UNBACKED_VALUES_PER_ROW);
        if spent > allowance {
            return Err(chwire_proto::DecodeError::LimitExceeded {
                what: "values without input bytes (zero-width collection elements) in a row",
                value: spent as u64,
                limit: allowance as u64,
            }
            .into());
        }
        self.unbacked.set(spent);
        Ok(())
    }
}

/// The deserializer for one whole row: a struct or tuple over the columns, or, with a single
/// column, that column's value.
struct RowDeserializer<'de, 'c, 'r> {
    cur: &'r mut ByteCursor<'de>,
    columns: &'c [(String, DataType)],
    order: Order,
    limits: &'c RowLimits,
}

impl<'de, 'c, 'r> RowDeserializer<'de, 'c, 'r> {
    fn fields<V: Visitor<'de>>(self, order: Order, visitor: V) -> Result<V::Value, RowError> {
        visit_fields(
            self.cur,
            Fields::Columns(self.columns),
            order,
            self.limits,
            0,
            visitor,
        )
    }

    fn single_column(self, expected: &str) -> Result<ValueDeserializer<'de, 'c, 'r>, RowError> {
        match self.columns {
            [(_, ty)] => Ok(ValueDeserializer {
                cur: self.cur,
                ty,
                limits: self.limits,
                depth: 0,
            }),
            _ => Err(RowError::columns_mismatch(expected, self.columns.len())),
        }
    }
}

macro_rules! forward_to_single_column {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
            let columns = self.columns;
            let column = columns.first().map_or("", |(n, _)| n.as_str());
            self.single_column("a single value")?
                .$method(visitor)
                .map_err(|e| e.within(column))
        }
    )*};
}

/// Calls `$then!` with the `Deserializer` methods that take only a visitor: what a row
/// deserializer forwards to its one column's value (here and in `columns_de`).
macro_rules! single_value_methods {
    ($then:ident) => {
        $then!(
            deserialize_any,
            deserialize_bool,
            deserialize_i8,
            deserialize_i16,
            deserialize_i32,
            deserialize_i64,
            deserialize_i128,
            deserialize_u8,
            deserialize_u16,
            deserialize_u32,
            deserialize_u64,
            deserialize_u128,
            deserialize_f32,
            deserialize_f64,
            deserialize_char,
            deserialize_str,
            deserialize_string,
            deserialize_bytes,
            deserialize_byte_buf,
            deserialize_option,
            deserialize_unit,
            deserialize_seq,
            deserialize_map,
            deserialize_identifier,
            deserialize_ignored_any
        );
    };
}
pub(super) use single_value_methods;

impl<'de> Deserializer<'de> for RowDeserializer<'de, '_, '_> {
    type Error = RowError;

    fn is_human_readable(&self) -> bool {
        false
    }

    single_value_methods!(forward_to_single_column);

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, RowError> {
        self.single_column("a single value")?
            .deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, RowError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, RowError> {
        self.single_column("a single value")?
            .deserialize_enum(name, variants, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, RowError> {
        if len != self.columns.len() {
            return Err(column_count(len, self.columns));
        }
        self.fields(Order::InOrder, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, RowError> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, RowError> {
        if fields.len() != self.columns.len() {
            return Err(column_count(fields.len(), self.columns));
        }
        let order = self.order;
        self.fields(order, visitor)
    }
}

pub(super) fn column_count(rust: usize, columns: &[(String, DataType)]) -> RowError {
    RowError::column_count(rust, columns.len())
}

/// Visits a struct or tuple whose fields are `fields`, and checks they were all read.
fn visit_fields<'de, V: Visitor<'de>>(
    cur: &mut ByteCursor<'de>,
    fields: Fields<'_>,
    order: Order,
    limits: &RowLimits,
    depth: u32,
    visitor: V,
) -> Result<V::Value, RowError> {
    let mut access = FieldsAccess {
        cur,
        fields,
        pos: 0,
        limits,
        depth,
    };
    let value = match order {
        Order::InOrder => visitor.visit_seq(&mut access)?,
        Order::ByName => visitor.visit_map(&mut access)?,
    };
    if access.pos != fields.len() {
        return Err(RowError::invalid(format!(
            "the Rust type read {} of {} fields",
            access.pos,
            fields.len()
        )));
    }
    Ok(value)
}

/// Fields of a row or tuple, as a sequence (in order) or a map (keyed by name).
struct FieldsAccess<'de, 'c, 'r> {
    cur: &'r mut ByteCursor<'de>,
    fields: Fields<'c>,
    pos: usize,
    limits: &'c RowLimits,
    depth: u32,
}

impl<'de> FieldsAccess<'de, '_, '_> {
    fn next_value<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, RowError> {
        let i = self.pos;
        // A hand-written `Deserialize` may ask for more values than there are fields.
        if i == self.fields.len() {
            return Err(RowError::invalid(format!(
                "the Rust type read more than the {i} fields"
            )));
        }
        self.pos += 1;
        seed.deserialize(ValueDeserializer {
            cur: &mut *self.cur,
            ty: self.fields.ty(i),
            limits: self.limits,
            depth: self.depth + 1,
        })
        .map_err(|e| e.within(self.fields.segment(i)))
    }
}

impl<'de> SeqAccess<'de> for FieldsAccess<'de, '_, '_> {
    type Error = RowError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, RowError> {
        if self.pos == self.fields.len() {
            return Ok(None);
        }
        self.next_value(seed).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len() - self.pos)
    }
}

impl<'de> MapAccess<'de> for FieldsAccess<'de, '_, '_> {
    type Error = RowError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, RowError> {
        if self.pos == self.fields.len() {
            return Ok(None);
        }
        let name = self.fields.name(self.pos).unwrap_or_default();
        seed.deserialize(StrDeserializer::<RowError>::new(name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, RowError> {
        self.next_value(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len() - self.pos)
    }
}

/// The deserializer for one value of a known column type.
pub(super) struct ValueDeserializer<'de, 'c, 'r> {
    cur: &'r mut ByteCursor<'de>,
    ty: &'c DataType,
    limits: &'c RowLimits,
    depth: u32,
}

macro_rules! deserialize_prim {
    ($method:ident, $visit:ident, $expected:literal, $($prim:ident => $read:expr),+) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
            let ty = strip(self.ty);
            let cur = self.cur;
            match shape::prim(ty) {
                $(Some(Prim::$prim) => {
                    let read: fn(&mut ByteCursor<'de>) -> Result<_, RowError> = $read;
                    visitor.$visit(read(cur)?)
                })+
                _ => Err(RowError::mismatch($expected, ty)),
            }
        }
    };
}

impl<'de, 'c, 'r> ValueDeserializer<'de, 'c, 'r> {
    /// The deserializer of a row's field (`depth` 1) of type `ty` at `cur`.
    #[inline]
    pub(super) fn field(
        cur: &'r mut ByteCursor<'de>,
        ty: &'c DataType,
        limits: &'c RowLimits,
    ) -> Self {
        ValueDeserializer {
            cur,
            ty,
            limits,
            depth: 1,
        }
    }

    /// Refuses to go deeper than `max_depth` (types are trusted, but a stack overflow is not
    /// an acceptable answer to a hostile header).
    fn check_depth(&self) -> Result<(), RowError> {
        if self.depth >= self.limits.max_depth {
            return Err(chwire_proto::DecodeError::LimitExceeded {
                what: "type nesting depth",
                value: u64::from(self.depth) + 1,
                limit: u64::from(self.limits.max_depth),
            }
            .into());
        }
        Ok(())
    }

    /// The deserializer of a value inside this one; `ty` may live shorter than the columns (a
    /// `Dynamic` value's own type).
    fn child<'t>(&mut self, ty: &'t DataType) -> Result<ValueDeserializer<'de, 't, '_>, RowError>
    where
        'c: 't,
    {
        self.check_depth()?;
        Ok(ValueDeserializer {
            cur: &mut *self.cur,
            ty,
            limits: self.limits,
            depth: self.depth + 1,
        })
    }

    fn length(&mut self, what: &'static str) -> Result<usize, RowError> {
        Ok(self.cur.length(self.limits.max_collection_len, what)?)
    }

    /// Reads a value of a byte shape; borrowed from the input when no reordering is needed.
    fn shaped_bytes(&mut self, shape: ByteShape) -> Result<Bytes<'de>, RowError> {
        Ok(match shape {
            ByteShape::Raw(n) | ByteShape::Fixed(n) => Bytes::Borrowed(self.cur.bytes(n)?),
            ByteShape::Uuid => {
                let mut buf = [0u8; 16];
                buf[..16].copy_from_slice(&shape::uuid_swap(&self.cur.array::<16>()?));
                Bytes::Inline(buf, 16)
            }
            ByteShape::Ipv4 => {
                let mut buf = [0u8; 16];
                buf[..4].copy_from_slice(&self.cur.u32_le()?.to_be_bytes());
                Bytes::Inline(buf, 4)
            }
        })
    }

    /// Reads a collection's length, charges zero-width elements to the row, and has `visit`
    /// read the elements, which the Rust type must read all of. With `exact` (a `[T; N]`) a
    /// value of another length is an error before any element is read, so it can neither be
    /// truncated nor read past.
    fn counted<T>(
        mut self,
        elems: Elems<'c>,
        exact: Option<usize>,
        visit: impl FnOnce(&mut ElemsAccess<'de, 'c, '_>) -> Result<T, RowError>,
    ) -> Result<T, RowError> {
        self.check_depth()?;
        let (what, unit) = match elems {
            Elems::Pairs(..) => ("map length", "map entries"),
            _ => ("array length", "elements"),
        };
        let len = self.length(what)?;
        if let Some(n) = exact.filter(|&n| n != len) {
            return Err(RowError::invalid(format!(
                "{} has {len} elements, the Rust type holds exactly {n}",
                strip(self.ty)
            )));
        }
        if len > UNBACKED_VALUES_PER_ROW && elems.zero_width() {
            self.limits.charge_unbacked(self.cur, len)?;
        }
        let mut access = ElemsAccess {
            cur: self.cur,
            elems,
            remaining: len,
            value_due: false,
            limits: self.limits,
            depth: self.depth + 1,
        };
        let value = visit(&mut access)?;
        if access.remaining != 0 {
            return Err(RowError::invalid(format!(
                "the Rust type read {} of {len} {unit}",
                len - access.remaining
            )));
        }
        Ok(value)
    }

    /// A `String`'s bytes, a `FixedString`'s bytes without trailing NULs, or an enum's name.
    fn text(&mut self, ty: &'c DataType, expected: &str) -> Result<Text<'de, 'c>, RowError> {
        match ty {
            // `JSON` arrives as its text (`output_format_binary_write_json_as_string`).
            DataType::String | DataType::Json(_) => Ok(Text::Input(self.cur.string(self.limits)?)),
            DataType::FixedString(n) => {
                let b = self.cur.bytes(*n)?;
                let end = b.iter().rposition(|&c| c != 0).map_or(0, |p| p + 1);
                Ok(Text::Input(&b[..end]))
            }
            DataType::Enum8(names) => {
                let v = i16::from(self.cur.i8_le()?);
                enum_name(names.iter().map(|(n, x)| (n, i16::from(*x))), v).map(Text::Type)
            }
            DataType::Enum16(names) => {
                let v = self.cur.i16_le()?;
                enum_name(names.iter().map(|(n, x)| (n, *x)), v).map(Text::Type)
            }
            DataType::Uuid => {
                let b = shape::uuid_swap(&self.cur.array::<16>()?);
                Ok(Text::Uuid(format_uuid(&b)))
            }
            _ => Err(RowError::mismatch(expected, ty)),
        }
    }
}

/// Bytes handed to a visitor: borrowed from the input, or rearranged into a small buffer (the
/// reordered shapes, `UUID` and `IPv4`, are at most 16 bytes).
enum Bytes<'de> {
    Borrowed(&'de [u8]),
    Inline([u8; 16], usize),
}

impl<'de> Bytes<'de> {
    fn visit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        match self {
            Bytes::Borrowed(b) => visitor.visit_borrowed_bytes(b),
            Bytes::Inline(buf, n) => visitor.visit_bytes(&buf[..n]),
        }
    }
}

/// A text value: from the input (not yet checked as UTF-8), from the type (an enum name) or
/// formatted on the stack (a UUID).
enum Text<'de, 'c> {
    Input(&'de [u8]),
    Type(&'c str),
    Uuid([u8; 36]),
}

fn enum_name<'c>(
    mut names: impl Iterator<Item = (&'c String, i16)>,
    v: i16,
) -> Result<&'c str, RowError> {
    names
        .find(|(_, x)| *x == v)
        .map(|(n, _)| n.as_str())
        .ok_or_else(|| RowError::invalid(format!("enum value {v} has no name in the column type")))
}

fn format_uuid(b: &[u8; 16]) -> [u8; 36] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [b'-'; 36];
    let mut o = 0;
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            o += 1;
        }
        out[o] = HEX[usize::from(byte >> 4)];
        out[o + 1] = HEX[usize::from(byte & 0xf)];
        o += 2;
    }
    out
}

pub(super) fn utf8(b: &[u8]) -> Result<&str, RowError> {
    std::str::from_utf8(b).map_err(|e| {
        RowError::invalid(format!(
            "string is not valid UTF-8 ({e}); read it as bytes (Vec<u8>, serde_bytes)"
        ))
    })
}

impl<'de> Deserializer<'de> for ValueDeserializer<'de, '_, '_> {
    type Error = RowError;

    fn is_human_readable(&self) -> bool {
        false
    }

    /// Without a Rust-side expectation the column type decides (this is what lets
    /// self-describing targets such as untagged enums or `serde_json::Value` work).
    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, RowError> {
        let ty = strip(self.ty);
        if let Some(p) = shape::prim(ty) {
            return match p {
                Prim::Bool => self.deserialize_bool(visitor),
                Prim::I8 | Prim::I16 if matches!(ty, DataType::Enum8(_) | DataType::Enum16(_)) => {
                    self.deserialize_str(visitor)
                }
                Prim::I8 => self.deserialize_i8(visitor),
                Prim::I16 => self.deserialize_i16(visitor),
                Prim::I32 => self.deserialize_i32(visitor),
                Prim::I64 => self.deserialize_i64(visitor),
                Prim::I128 => self.deserialize_i128(visitor),
                Prim::U8 => self.deserialize_u8(visitor),
                Prim::U16 => self.deserialize_u16(visitor),
                Prim::U32 => self.deserialize_u32(visitor),
                Prim::U64 => self.deserialize_u64(visitor),
                Prim::U128 => self.deserialize_u128(visitor),
                Prim::F32 | Prim::BF16 => self.deserialize_f32(visitor),
                Prim::F64 => self.deserialize_f64(visitor),
                Prim::Uuid => self.deserialize_str(visitor),
            };
        }
        match ty {
            DataType::String | DataType::Json(_) => {
                let b = self.cur.string(self.limits)?;
                match std::str::from_utf8(b) {
                    Ok(s) => visitor.visit_borrowed_str(s),
                    Err(_) => visitor.visit_borrowed_bytes(b),
                }
            }
            DataType::Nullable(_) => self.deserialize_option(visitor),
            DataType::Variant(alts) => match self.cur.u8()? {
                255 => visitor.visit_none(),
                d => {
                    let alt = alts
                        .get(usize::from(d))
                        .ok_or_else(|| shape::bad_discriminator(d, ty))?;
                    self.child(alt)?.deserialize_any(visitor)
                }
            },
            DataType::Dynamic { .. } => match dynamic::read_type(self.cur, self.limits)? {
                DataType::Nothing => visitor.visit_none(),
                t => self.child(&t)?.deserialize_any(visitor),
            },
            DataType::Map(..) => self.deserialize_map(visitor),
            DataType::Tuple(elems) => self.deserialize_tuple(elems.len(), visitor),
            DataType::Point => self.deserialize_tuple(2, visitor),
            DataType::Nested(_) => self.deserialize_seq(visitor),
            _ if array_elem(ty).is_some() => self.deserialize_seq(visitor),
            _ => match ByteShape::of(ty) {
                Some(shape) => self.shaped_bytes(shape)?.visit(visitor),
                None => Err(chwire_proto::DecodeError::Unsupported(ty.to_string()).into()),
            },
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        let ty = strip(self.ty);
        match shape::prim(ty) {
            Some(Prim::Bool | Prim::U8) => match self.cur.u8()? {
                0 => visitor.visit_bool(false),
                1 => visitor.visit_bool(true),
                b => Err(RowError::invalid(format!(
                    "{b} is not a valid Bool (0 or 1)"
                ))),
            },
            _ => Err(RowError::mismatch("bool", ty)),
        }
    }

    deserialize_prim!(deserialize_i8, visit_i8, "i8", I8 => |c| Ok(c.i8_le()?));
    deserialize_prim!(deserialize_i16, visit_i16, "i16", I16 => |c| Ok(c.i16_le()?));
    deserialize_prim!(deserialize_i32, visit_i32, "i32", I32 => |c| Ok(c.i32_le()?));
    deserialize_prim!(deserialize_i64, visit_i64, "i64", I64 => |c| Ok(c.i64_le()?));
    deserialize_prim!(deserialize_i128, visit_i128, "i128", I128 => |c| Ok(c.i128_le()?));
    deserialize_prim!(deserialize_u8, visit_u8, "u8",
        U8 => |c| Ok(c.u8()?), Bool => |c| Ok(c.u8()?));
    deserialize_prim!(deserialize_u16, visit_u16, "u16", U16 => |c| Ok(c.u16_le()?));
    deserialize_prim!(deserialize_u32, visit_u32, "u32", U32 => |c| Ok(c.u32_le()?));
    deserialize_prim!(deserialize_u64, visit_u64, "u64", U64 => |c| Ok(c.u64_le()?));
    deserialize_prim!(deserialize_u128, visit_u128, "u128",
    U128 => |c| Ok(c.u128_le()?),
    Uuid => |c| {
        let hi = c.u64_le()?;
        let lo = c.u64_le()?;
        Ok((u128::from(hi) << 64) | u128::from(lo))
    });
    deserialize_prim!(deserialize_f32, visit_f32, "f32",
        F32 => |c| Ok(c.f32_le()?),
        BF16 => |c| Ok(f32::from_bits(u32::from(c.u16_le()?) << 16)));
    deserialize_prim!(deserialize_f64, visit_f64, "f64", F64 => |c| Ok(c.f64_le()?));

    fn deserialize_char<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, RowError> {
        let ty = strip(self.ty);
        let text = match ty {
            DataType::String | DataType::FixedString(_) => self.text(ty, "char")?,
            _ => return Err(RowError::mismatch("char", ty)),
        };
        let Text::Input(b) = text else {
            return Err(RowError::mismatch("char", ty));
        };
        let s = utf8(b)?;
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => visitor.visit_char(c),
            _ => Err(RowError::invalid(format!(
                "{s:?} is not a single character"
            ))),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, RowError> {
        let ty = strip(self.ty);
        match self.text(ty, "string")? {
            Text::Input(b) => visitor.visit_borrowed_str(utf8(b)?),
            Text::Type(s) => visitor.visit_str(s),
            Text::Uuid(buf) => visitor.visit_str(std::str::from_utf8(&buf).unwrap_or_default()),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, RowError> {
        let ty = strip(self.ty);
        if let DataType::String = ty {
            return visitor.visit_borrowed_bytes(self.cur.string(self.limits)?);
        }
        match ByteShape::of(ty) {
            Some(shape) => self.shaped_bytes(shape)?.visit(visitor),
            None => Err(RowError::mismatch("bytes", ty)),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        self.deserialize_bytes(visitor)
    }

    /// `Nullable(T)` reads its flag; any other column reads as always `Some`.
    fn deserialize_option<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, RowError> {
        match strip(self.ty) {
            DataType::Nullable(inner) => match self.cur.u8()? {
                0 => visitor.visit_some(self.child(inner)?),
                1 => visitor.visit_none(),
                b => Err(RowError::invalid(format!("{b} is not a valid NULL flag"))),
            },
            DataType::Variant(_) if self.cur.remaining().first() == Some(&255) => {
                self.cur.u8()?;
                visitor.visit_none()
            }
            DataType::Dynamic { .. } if self.cur.remaining().first() == Some(&dynamic::NULL) => {
                self.cur.u8()?;
                visitor.visit_none()
            }
            DataType::Variant(_) | DataType::Dynamic { .. } if self.cur.is_empty() => {
                Err(RowError::Incomplete { needed: 1 })
            }
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, RowError> {
        Err(RowError::mismatch("()", strip(self.ty)))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _visitor: V,
    ) -> Result<V::Value, RowError> {
        Err(RowError::mismatch(name, strip(self.ty)))
    }

    /// A precision-tagged `DateTime64`/`Time64` helper gets the column's ticks rescaled to its
    /// own precision (as an `i64`); the decimal helper gets the column's mantissa and scale
    /// (`decimal::pack`); any other newtype reads its inner value.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, RowError> {
        if let Some((to, from)) = datetime64::tagged_precisions(name, self.ty) {
            let ticks = self.cur.i64_le()?;
            return visitor.visit_i64(datetime64::rescale(ticks, from, to)?);
        }
        if name == decimal::TAG {
            return visitor.visit_i128(decimal::read(self.cur, strip(self.ty))?);
        }
        visitor.visit_newtype_struct(self)
    }

    /// `Array` (and geo types), `Map` as a sequence of pairs, `Nested` as a sequence of
    /// structs, and `String`/`FixedString` as a sequence of bytes (what `Vec<u8>` asks for;
    /// `serde_bytes` is faster).
    fn deserialize_seq<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, RowError> {
        let ty = strip(self.ty);
        if let Some(elems) = counted_elems(ty) {
            return self.counted(elems, None, |access| visitor.visit_seq(access));
        }
        match (ty, ByteShape::of(ty)) {
            (DataType::String, _) => {
                let b = self.cur.string(self.limits)?;
                visit_bytes_seq(Bytes::Borrowed(b), visitor)
            }
            (_, Some(shape)) => visit_bytes_seq(self.shaped_bytes(shape)?, visitor),
            (_, None) => Err(RowError::mismatch("sequence", ty)),
        }
    }

    /// `Tuple`/`Point` element by element, a counted collection (`Array`, `Map`, `Nested`) of
    /// exactly `len` elements (`[T; N]`), or a fixed byte shape (`FixedString(N)`, `UUID`,
    /// `IPv4`, `IPv6`, 256-bit integers) as `[u8; N]`.
    fn deserialize_tuple<V: Visitor<'de>>(
        mut self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, RowError> {
        let ty = strip(self.ty);
        if let Some(fields) = tuple_fields(ty) {
            if fields.len() != len {
                return Err(RowError::mismatch(format!("tuple of {len}"), ty));
            }
            self.check_depth()?;
            return visit_fields(
                self.cur,
                Fields::Tuple(fields),
                Order::InOrder,
                self.limits,
                self.depth,
                visitor,
            );
        }
        if let Some(elems) = counted_elems(ty) {
            return self.counted(elems, Some(len), |access| visitor.visit_seq(access));
        }
        match ByteShape::of(ty) {
            Some(shape) if shape.len() == len => {
                visit_bytes_seq(self.shaped_bytes(shape)?, visitor)
            }
            _ => Err(RowError::mismatch(format!("tuple of {len}"), ty)),
        }
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, RowError> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        let ty = strip(self.ty);
        let DataType::Map(k, v) = ty else {
            return Err(RowError::mismatch("map", ty));
        };
        self.counted(Elems::Pairs(k, v), None, |access| visitor.visit_map(access))
    }

    /// A named `Tuple` (matched by name, in any order), an unnamed `Tuple` or `Point` (by
    /// position).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, RowError> {
        let ty = strip(self.ty);
        let expected = || format!("struct {name} {{ {} }}", fields.join(", "));
        let Some(elems) = tuple_fields(ty) else {
            return Err(RowError::mismatch(expected(), ty));
        };
        let Some(order) = Fields::Tuple(elems).match_names(fields) else {
            return Err(RowError::mismatch(expected(), ty));
        };
        self.check_depth()?;
        visit_fields(
            self.cur,
            Fields::Tuple(elems),
            order,
            self.limits,
            self.depth,
            visitor,
        )
    }

    /// `Enum8`/`Enum16` into a Rust enum of unit variants, matched by name; `Variant(...)`
    /// into a Rust enum of newtype variants, matched by position in the column type's list
    /// (which the server sorts by type name); `Dynamic` into one whose variant is named after
    /// the value's type ([`dynamic::variant_for`]).
    fn deserialize_enum<V: Visitor<'de>>(
        mut self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, RowError> {
        let ty = strip(self.ty);
        match ty {
            DataType::Enum8(_) | DataType::Enum16(_) => match self.text(ty, name)? {
                Text::Type(variant) => visitor.visit_enum(UnitVariant(variant)),
                _ => Err(RowError::mismatch(name, ty)),
            },
            DataType::Variant(alts) => {
                let d = self.cur.u8()?;
                if d == 255 {
                    return Err(RowError::invalid(
                        "NULL Variant value; read the column as Option<enum>",
                    ));
                }
                let alt = alts
                    .get(usize::from(d))
                    .ok_or_else(|| shape::bad_discriminator(d, ty))?;
                let value = self.child(alt)?;
                visitor.visit_enum(VariantValue {
                    index: u32::from(d),
                    value,
                })
            }
            DataType::Dynamic { .. } => {
                let t = dynamic::read_type(self.cur, self.limits)?;
                if t == DataType::Nothing {
                    return Err(RowError::invalid(
                        "NULL Dynamic value; read the column as Option<enum>",
                    ));
                }
                let variant = dynamic::variant_for(&t, name, variants)?;
                let value = self.child(&t)?;
                visitor.visit_enum(NamedVariant { variant, value })
            }
            _ => Err(RowError::mismatch(format!("enum {name}"), ty)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        shape::skip(self.cur, self.ty, self.limits, self.depth)?;
        visitor.visit_unit()
    }
}

fn visit_bytes_seq<'de, V: Visitor<'de>>(
    bytes: Bytes<'de>,
    visitor: V,
) -> Result<V::Value, RowError> {
    let slice: &[u8] = match &bytes {
        Bytes::Borrowed(b) => b,
        Bytes::Inline(buf, n) => &buf[..*n],
    };
    let mut access = ByteSeq {
        bytes: slice,
        pos: 0,
    };
    let value = visitor.visit_seq(&mut access)?;
    if access.pos != slice.len() {
        return Err(RowError::invalid(format!(
            "the Rust type read {} of {} bytes",
            access.pos,
            slice.len()
        )));
    }
    Ok(value)
}

/// Bytes as a sequence of `u8` (for `[u8; N]` and `Vec<u8>`).
struct ByteSeq<'b> {
    bytes: &'b [u8],
    pos: usize,
}

impl<'de> SeqAccess<'de> for ByteSeq<'_> {
    type Error = RowError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, RowError> {
        match self.bytes.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                seed.deserialize(U8Deserializer::<RowError>::new(b))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.bytes.len() - self.pos)
    }
}

/// The elements of a length-prefixed collection type: arrays (and geo types), maps (as pairs)
/// and `Nested` (as rows).
fn counted_elems(ty: &DataType) -> Option<Elems<'_>> {
    match ty {
        DataType::Map(k, v) => Some(Elems::Pairs(k, v)),
        DataType::Nested(fields) => Some(Elems::Rows(fields)),
        _ => array_elem(ty).map(Elems::Same),
    }
}

/// What the elements of a counted collection are.
#[derive(Clone, Copy)]
enum Elems<'c> {
    /// Array elements of one type.
    Same(&'c DataType),
    /// Map entries (as map entries, or as `(K, V)` sequence elements).
    Pairs(&'c DataType, &'c DataType),
    /// `Nested` rows: each element is a struct over these fields.
    Rows(&'c [(String, DataType)]),
}

impl Elems<'_> {
    fn zero_width(self) -> bool {
        match self {
            Elems::Same(t) => zero_width(t),
            Elems::Pairs(k, v) => zero_width(k) && zero_width(v),
            Elems::Rows(fields) => fields.iter().all(|(_, t)| zero_width(t)),
        }
    }
}

struct ElemsAccess<'de, 'c, 'r> {
    cur: &'r mut ByteCursor<'de>,
    elems: Elems<'c>,
    remaining: usize,
    /// A map key was read and its value not yet (a value without a key is not on the wire).
    value_due: bool,
    limits: &'c RowLimits,
    depth: u32,
}

impl<'de, 'c> ElemsAccess<'de, 'c, '_> {
    fn value(&mut self, ty: &'c DataType) -> ValueDeserializer<'de, 'c, '_> {
        ValueDeserializer {
            cur: &mut *self.cur,
            ty,
            limits: self.limits,
            depth: self.depth,
        }
    }
}

impl<'de> SeqAccess<'de> for ElemsAccess<'de, '_, '_> {
    type Error = RowError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, RowError> {
        if self.remaining == 0 {
            return Ok(None);
        }
        self.remaining -= 1;
        match self.elems {
            Elems::Same(ty) => seed
                .deserialize(self.value(ty))
                .map(Some)
                .map_err(|e| e.within("[]")),
            Elems::Pairs(k, v) => seed
                .deserialize(PairDeserializer {
                    cur: &mut *self.cur,
                    fields: [k, v],
                    limits: self.limits,
                    depth: self.depth,
                })
                .map(Some)
                .map_err(|e| e.within("[]")),
            Elems::Rows(fields) => seed
                .deserialize(NestedRowDeserializer {
                    cur: &mut *self.cur,
                    fields,
                    limits: self.limits,
                    depth: self.depth,
                })
                .map(Some)
                .map_err(|e| e.within("[]")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.remaining)
    }
}

impl<'de> MapAccess<'de> for ElemsAccess<'de, '_, '_> {
    type Error = RowError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, RowError> {
        if self.remaining == 0 {
            return Ok(None);
        }
        self.remaining -= 1;
        let Elems::Pairs(k, _) = self.elems else {
            return Ok(None);
        };
        self.value_due = true;
        seed.deserialize(self.value(k))
            .map(Some)
            .map_err(|e| e.within("{key}"))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, RowError> {
        let (Elems::Pairs(_, v), true) = (self.elems, self.value_due) else {
            return Err(RowError::invalid("map value without key"));
        };
        self.value_due = false;
        seed.deserialize(self.value(v))
            .map_err(|e| e.within("{value}"))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.remaining)
    }
}

/// One map entry read as a 2-tuple `(K, V)`.
struct PairDeserializer<'de, 'c, 'r> {
    cur: &'r mut ByteCursor<'de>,
    fields: [&'c DataType; 2],
    limits: &'c RowLimits,
    depth: u32,
}

impl<'de> Deserializer<'de> for PairDeserializer<'de, '_, '_> {
    type Error = RowError;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        let mut access = PairAccess { de: self, pos: 0 };
        let value = visitor.visit_seq(&mut access)?;
        if access.pos != 2 {
            return Err(RowError::invalid("a map entry must be read as a 2-tuple"));
        }
        Ok(value)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, RowError> {
        if len != 2 {
            return Err(RowError::SchemaMismatch {
                column: String::new(),
                expected: format!("tuple of {len}"),
                actual: "map entry (key, value)".into(),
            });
        }
        self.deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple_struct map struct enum identifier
        ignored_any
    }
}

struct PairAccess<'de, 'c, 'r> {
    de: PairDeserializer<'de, 'c, 'r>,
    pos: usize,
}

impl<'de> SeqAccess<'de> for PairAccess<'de, '_, '_> {
    type Error = RowError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, RowError> {
        if self.pos == 2 {
            return Ok(None);
        }
        let i = self.pos;
        self.pos += 1;
        seed.deserialize(ValueDeserializer {
            cur: &mut *self.de.cur,
            ty: self.de.fields[i],
            limits: self.de.limits,
            depth: self.de.depth,
        })
        .map(Some)
        .map_err(|e| e.within(if i == 0 { "{key}" } else { "{value}" }))
    }
}

/// One element of a `Nested(...)` column: a struct or tuple over its fields.
struct NestedRowDeserializer<'de, 'c, 'r> {
    cur: &'r mut ByteCursor<'de>,
    fields: &'c [(String, DataType)],
    limits: &'c RowLimits,
    depth: u32,
}

impl<'de> Deserializer<'de> for NestedRowDeserializer<'de, '_, '_> {
    type Error = RowError;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        visit_fields(
            self.cur,
            Fields::Columns(self.fields),
            Order::InOrder,
            self.limits,
            self.depth,
            visitor,
        )
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, RowError> {
        let Some(order) = Fields::Columns(self.fields).match_names(fields) else {
            return Err(RowError::SchemaMismatch {
                column: String::new(),
                expected: format!("struct {name} {{ {} }}", fields.join(", ")),
                actual: format!(
                    "Nested({})",
                    self.fields
                        .iter()
                        .map(|(n, t)| format!("{n} {t}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        };
        visit_fields(
            self.cur,
            Fields::Columns(self.fields),
            order,
            self.limits,
            self.depth,
            visitor,
        )
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// An `Enum8`/`Enum16` value as a unit variant, identified by name.
struct UnitVariant<'c>(&'c str);

impl<'de, 'c> EnumAccess<'de> for UnitVariant<'c> {
    type Error = RowError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), RowError> {
        let v = seed.deserialize(StrDeserializer::<RowError>::new(self.0))?;
        Ok((v, self))
    }
}

impl<'de> VariantAccess<'de> for UnitVariant<'_> {
    type Error = RowError;

    fn unit_variant(self) -> Result<(), RowError> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value, RowError> {
        Err(RowError::invalid(format!(
            "enum value `{}` maps to a unit variant, not a newtype variant",
            self.0
        )))
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, RowError> {
        Err(RowError::invalid(format!(
            "enum value `{}` maps to a unit variant, not a tuple variant",
            self.0
        )))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, RowError> {
        Err(RowError::invalid(format!(
            "enum value `{}` maps to a unit variant, not a struct variant",
            self.0
        )))
    }
}

/// A `Variant(...)` value: the variant is the alternative's index, the payload its value.
struct VariantValue<'de, 'c, 'r> {
    index: u32,
    value: ValueDeserializer<'de, 'c, 'r>,
}

impl<'de, 'c, 'r> EnumAccess<'de> for VariantValue<'de, 'c, 'r> {
    type Error = RowError;
    type Variant = ValueDeserializer<'de, 'c, 'r>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), RowError> {
        let v = seed.deserialize(U32Deserializer::<RowError>::new(self.index))?;
        Ok((v, self.value))
    }
}

/// A `Dynamic` value: the variant is named after the value's type, the payload is its value.
struct NamedVariant<'de, 'c, 'r> {
    variant: &'static str,
    value: ValueDeserializer<'de, 'c, 'r>,
}

impl<'de, 'c, 'r> EnumAccess<'de> for NamedVariant<'de, 'c, 'r> {
    type Error = RowError;
    type Variant = ValueDeserializer<'de, 'c, 'r>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), RowError> {
        let v = seed.deserialize(StrDeserializer::<RowError>::new(self.variant))?;
        Ok((v, self.value))
    }
}

impl<'de> VariantAccess<'de> for ValueDeserializer<'de, '_, '_> {
    type Error = RowError;

    fn unit_variant(self) -> Result<(), RowError> {
        Err(RowError::mismatch("unit variant", self.ty))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, RowError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, RowError> {
        self.deserialize_tuple(len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, RowError> {
        self.deserialize_struct("variant", fields, visitor)
    }
}
