//! The serde `Serializer` that writes one row into per-column buffers ([`super::columns`]):
//! each field to its column (by position: the columns are the row type's, in field order),
//! `Option`s into null maps, sequences into offsets and flattened elements, and leaf values
//! through the RowBinary value serializer, so type checks and errors are RowBinary's.

use chwire_proto::{ColumnData, DataType};
use serde::ser::{self, Serialize};

use super::RowError;
use super::columns::{ColumnBuf, push_default, push_leaf};
use super::datetime64;
use super::error::BoxedError;
use super::ser::{Compound, ValueSerializer};

/// The serializer of one whole row.
pub(super) struct RowColumnsSerializer<'a> {
    pub(super) names: &'a [String],
    pub(super) cols: &'a mut [ColumnBuf],
    pub(super) scratch: &'a mut Vec<u8>,
}

impl<'a> RowColumnsSerializer<'a> {
    #[inline]
    fn fields(self, len: usize) -> Result<RowFields<'a>, BoxedError> {
        if len != self.cols.len() {
            return Err(RowError::column_count(len, self.cols.len()).into());
        }
        Ok(RowFields {
            names: self.names,
            cols: self.cols.iter_mut(),
            scratch: self.scratch,
            pos: 0,
        })
    }

    /// A row that is a single value (not a struct or tuple): the one column's.
    fn single(self) -> Result<(ColumnSerializer<'a>, &'a str), BoxedError> {
        match (self.cols, self.names) {
            ([col], [name]) => Ok((
                ColumnSerializer {
                    col,
                    scratch: self.scratch,
                },
                name,
            )),
            (cols, _) => Err(RowError::columns_mismatch("a single value", cols.len()).into()),
        }
    }
}

macro_rules! forward_single {
    ($($method:ident($($arg:ident: $t:ty),*)),* $(,)?) => {$(
        fn $method(self, $($arg: $t),*) -> Result<(), BoxedError> {
            let (col, name) = self.single()?;
            col.$method($($arg),*).map_err(|e| e.within(name))
        }
    )*};
}

macro_rules! forward_single_compound {
    ($($method:ident($($arg:ident: $t:ty),*)),* $(,)?) => {$(
        fn $method(self, $($arg: $t),*) -> Result<ColumnCompound<'a>, BoxedError> {
            let (col, name) = self.single()?;
            col.$method($($arg),*).map_err(|e| e.within(name))
        }
    )*};
}

impl<'a> ser::Serializer for RowColumnsSerializer<'a> {
    type Ok = ();
    type Error = BoxedError;
    type SerializeSeq = ColumnCompound<'a>;
    type SerializeTuple = RowFields<'a>;
    type SerializeTupleStruct = RowFields<'a>;
    type SerializeTupleVariant = ColumnCompound<'a>;
    type SerializeMap = ColumnCompound<'a>;
    type SerializeStruct = RowFields<'a>;
    type SerializeStructVariant = ColumnCompound<'a>;

    fn is_human_readable(&self) -> bool {
        false
    }

    forward_single!(
        serialize_bool(v: bool), serialize_i8(v: i8), serialize_i16(v: i16),
        serialize_i32(v: i32), serialize_i64(v: i64), serialize_i128(v: i128),
        serialize_u8(v: u8), serialize_u16(v: u16), serialize_u32(v: u32),
        serialize_u64(v: u64), serialize_u128(v: u128), serialize_f32(v: f32),
        serialize_f64(v: f64), serialize_char(v: char), serialize_str(v: &str),
        serialize_bytes(v: &[u8]), serialize_none(), serialize_unit(),
        serialize_unit_struct(name: &'static str),
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str),
    );

    forward_single_compound!(
        serialize_seq(len: Option<usize>),
        serialize_tuple_variant(name: &'static str, index: u32, variant: &'static str, len: usize),
        serialize_map(len: Option<usize>),
        serialize_struct_variant(name: &'static str, index: u32, variant: &'static str, len: usize),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), BoxedError> {
        let (col, name) = self.single()?;
        col.serialize_some(value).map_err(|e| e.within(name))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), BoxedError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), BoxedError> {
        let (col, column) = self.single()?;
        col.serialize_newtype_variant(name, index, variant, value)
            .map_err(|e| e.within(column))
    }

    fn serialize_tuple(self, len: usize) -> Result<RowFields<'a>, BoxedError> {
        self.fields(len)
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<RowFields<'a>, BoxedError> {
        self.fields(len)
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<RowFields<'a>, BoxedError> {
        self.fields(len)
    }
}

#[cold]
fn short_row(written: usize, announced: usize) -> RowError {
    RowError::invalid(format!("{written} elements written, {announced} announced"))
}

/// The fields of a row, each into its column.
pub(super) struct RowFields<'a> {
    names: &'a [String],
    /// The columns not yet written (an iterator: no bounds check per field).
    cols: std::slice::IterMut<'a, ColumnBuf>,
    scratch: &'a mut Vec<u8>,
    /// Fields written so far (names the failing one).
    pos: usize,
}

impl RowFields<'_> {
    #[inline]
    fn field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BoxedError> {
        let i = self.pos;
        self.pos += 1;
        let Some(col) = self.cols.next() else {
            return Err(RowError::invalid(format!(
                "more than the announced {} elements",
                self.names.len()
            ))
            .into());
        };
        value
            .serialize(ColumnSerializer {
                col,
                scratch: self.scratch,
            })
            .map_err(|e| e.within(&self.names[i]))
    }

    #[inline]
    fn finish(self) -> Result<(), BoxedError> {
        if self.cols.len() != 0 {
            return Err(short_row(self.pos, self.names.len()).into());
        }
        Ok(())
    }
}

impl ser::SerializeStruct for RowFields<'_> {
    type Ok = ();
    type Error = BoxedError;

    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _key: &'static str,
        value: &T,
    ) -> Result<(), BoxedError> {
        self.field(value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), BoxedError> {
        Err(RowError::invalid(format!(
            "field `{key}` was skipped; every column of the row must be written"
        ))
        .into())
    }

    #[inline]
    fn end(self) -> Result<(), BoxedError> {
        self.finish()
    }
}

impl ser::SerializeTuple for RowFields<'_> {
    type Ok = ();
    type Error = BoxedError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BoxedError> {
        self.field(value)
    }

    #[inline]
    fn end(self) -> Result<(), BoxedError> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for RowFields<'_> {
    type Ok = ();
    type Error = BoxedError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BoxedError> {
        self.field(value)
    }

    #[inline]
    fn end(self) -> Result<(), BoxedError> {
        self.finish()
    }
}

/// The serializer of one value into a column's buffer.
struct ColumnSerializer<'a> {
    col: &'a mut ColumnBuf,
    scratch: &'a mut Vec<u8>,
}

/// A value that has no place in an `Array` column (the RowBinary serializer said why, or
/// this is a shape only RowBinary inserts take).
#[cold]
fn not_an_array(ty: &DataType, e: Result<(), RowError>) -> RowError {
    match e {
        Err(e) => e,
        Ok(()) => RowError::mismatch("a sequence", ty),
    }
}

/// A scalar through the RowBinary value serializer (its checks, conversions and errors) into
/// a scratch buffer, then onto the column.
macro_rules! scalar_body {
    ($self:ident, $method:ident, $($arg:ident),*) => {{
        $self.scratch.clear();
        match $self.col {
            ColumnBuf::Leaf { ty, data } => {
                ValueSerializer::new(ty, $self.scratch).$method($($arg),*)?;
                Ok(push_leaf(data, ty, $self.scratch)?)
            }
            ColumnBuf::Nullable { nulls, inner, .. } => {
                nulls.push(0);
                ColumnSerializer { col: inner, scratch: $self.scratch }.$method($($arg),*)
            }
            ColumnBuf::Array { ty, .. } => {
                let r = ValueSerializer::new(ty, $self.scratch).$method($($arg),*);
                Err(not_an_array(ty, r).into())
            }
        }
    }};
}

macro_rules! scalar {
    ($($method:ident($($arg:ident: $t:ty),*)),* $(,)?) => {$(
        #[inline]
        fn $method(self, $($arg: $t),*) -> Result<(), BoxedError> {
            scalar_body!(self, $method, $($arg),*)
        }
    )*};
}

/// A number into a column of exactly its type (`u64` into `UInt64`, ...) is pushed as it is:
/// the value serializer would write its bytes unchanged (no range, enum or scale check
/// applies), so skipping it changes nothing but the cost (measured with callgrind: a mixed
/// row's three leaves took ~600 instructions through it). `serialize_str` does the same for
/// `String`. Any other column goes the serializer's way.
macro_rules! scalar_exact {
    ($($method:ident($t:ty) => $dt:ident($cd:ident)),* $(,)?) => {$(
        #[inline]
        fn $method(self, v: $t) -> Result<(), BoxedError> {
            if let ColumnBuf::Leaf { ty: DataType::$dt, data: ColumnData::$cd(col) } = &mut *self.col {
                col.push(v);
                return Ok(());
            }
            scalar_body!(self, $method, v)
        }
    )*};
}

macro_rules! compound {
    ($($method:ident($($arg:ident: $t:ty),*)),* $(,)?) => {$(
        fn $method(self, $($arg: $t),*) -> Result<ColumnCompound<'a>, BoxedError> {
            self.scratch.clear();
            match self.col {
                ColumnBuf::Leaf { ty, data } => {
                    let ty: &'a DataType = ty;
                    let inner = ValueSerializer::new(ty, self.scratch).$method($($arg),*)?;
                    Ok(ColumnCompound::Leaf { inner, ty, data })
                }
                ColumnBuf::Nullable { nulls, inner, .. } => {
                    nulls.push(0);
                    ColumnSerializer { col: inner, scratch: self.scratch }.$method($($arg),*)
                }
                ColumnBuf::Array { ty, .. } => {
                    let r = ValueSerializer::new(ty, self.scratch).$method($($arg),*);
                    Err(not_an_array(ty, r.map(|_| ())).into())
                }
            }
        }
    )*};
}

impl<'a> ColumnSerializer<'a> {
    /// A sequence into an `Array` column: its elements into the flattened column.
    fn elements(self) -> Result<ColumnCompound<'a>, BoxedError> {
        match self.col {
            ColumnBuf::Array { offsets, inner, .. } => Ok(ColumnCompound::Elements {
                offsets,
                inner,
                scratch: self.scratch,
                count: 0,
            }),
            ColumnBuf::Nullable { nulls, inner, .. } => {
                nulls.push(0);
                ColumnSerializer {
                    col: inner,
                    scratch: self.scratch,
                }
                .elements()
            }
            ColumnBuf::Leaf { ty, .. } => Err(RowError::mismatch("sequence", ty).into()),
        }
    }

    fn is_array(&self) -> bool {
        matches!(self.col, ColumnBuf::Array { .. })
    }
}

impl<'a> ser::Serializer for ColumnSerializer<'a> {
    type Ok = ();
    type Error = BoxedError;
    type SerializeSeq = ColumnCompound<'a>;
    type SerializeTuple = ColumnCompound<'a>;
    type SerializeTupleStruct = ColumnCompound<'a>;
    type SerializeTupleVariant = ColumnCompound<'a>;
    type SerializeMap = ColumnCompound<'a>;
    type SerializeStruct = ColumnCompound<'a>;
    type SerializeStructVariant = ColumnCompound<'a>;

    fn is_human_readable(&self) -> bool {
        false
    }

    scalar_exact!(
        serialize_i8(i8) => Int8(I8),
        serialize_i16(i16) => Int16(I16),
        serialize_i32(i32) => Int32(I32),
        serialize_i64(i64) => Int64(I64),
        serialize_u8(u8) => UInt8(U8),
        serialize_u16(u16) => UInt16(U16),
        serialize_u32(u32) => UInt32(U32),
        serialize_u64(u64) => UInt64(U64),
        serialize_f32(f32) => Float32(F32),
        serialize_f64(f64) => Float64(F64),
    );

    /// As [`scalar_exact`]: a string into a `String` column is pushed as it is.
    #[inline]
    fn serialize_str(self, v: &str) -> Result<(), BoxedError> {
        if let ColumnBuf::Leaf {
            ty: DataType::String,
            data: ColumnData::String(col),
        } = &mut *self.col
        {
            col.push(v.as_bytes());
            return Ok(());
        }
        scalar_body!(self, serialize_str, v)
    }

    scalar!(
        serialize_bool(v: bool), serialize_i128(v: i128),
        serialize_u128(v: u128), serialize_char(v: char),
        serialize_bytes(v: &[u8]), serialize_unit(),
        serialize_unit_struct(name: &'static str),
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str),
    );

    compound!(
        serialize_tuple_variant(name: &'static str, index: u32, variant: &'static str, len: usize),
        serialize_map(len: Option<usize>),
        serialize_struct(name: &'static str, len: usize),
        serialize_struct_variant(name: &'static str, index: u32, variant: &'static str, len: usize),
    );

    fn serialize_none(self) -> Result<(), BoxedError> {
        match self.col {
            ColumnBuf::Nullable { .. } => {
                push_default(self.col);
                Ok(())
            }
            ColumnBuf::Leaf { ty, .. } | ColumnBuf::Array { ty, .. } => {
                self.scratch.clear();
                ValueSerializer::new(ty, self.scratch).serialize_none()?;
                Err(RowError::mismatch("None (a Nullable column)", ty).into())
            }
        }
    }

    /// `Some(v)` into `Nullable(T)` is a non-NULL `v`; into any other column, just `v`.
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), BoxedError> {
        match self.col {
            ColumnBuf::Nullable { nulls, inner, .. } => {
                nulls.push(0);
                value.serialize(ColumnSerializer {
                    col: inner,
                    scratch: self.scratch,
                })
            }
            _ => value.serialize(self),
        }
    }

    /// A precision-tagged `DateTime64`/`Time64` value or a helper's decimal is resolved by the RowBinary serializer (into the
    /// leaf, or the inner column of a `Nullable`); any other newtype is its inner value.
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), BoxedError> {
        // The serde helpers' hooks (precision-tagged ticks, decimals) are the RowBinary
        // serializer's to resolve against the column type.
        let hooked = datetime64::TAGS.contains(&name)
            || datetime64::TIME64_TAGS.contains(&name)
            || name == super::decimal::TAG;
        if !hooked {
            return value.serialize(self);
        }
        self.scratch.clear();
        match self.col {
            ColumnBuf::Leaf { ty, data } => {
                ValueSerializer::new(ty, self.scratch).serialize_newtype_struct(name, value)?;
                Ok(push_leaf(data, ty, self.scratch)?)
            }
            ColumnBuf::Nullable { nulls, inner, .. } => {
                nulls.push(0);
                ColumnSerializer {
                    col: inner,
                    scratch: self.scratch,
                }
                .serialize_newtype_struct(name, value)
            }
            ColumnBuf::Array { ty, .. } => {
                let r =
                    ValueSerializer::new(ty, self.scratch).serialize_newtype_struct(name, value);
                Err(not_an_array(ty, r).into())
            }
        }
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), BoxedError> {
        self.scratch.clear();
        match self.col {
            ColumnBuf::Leaf { ty, data } => {
                ValueSerializer::new(ty, self.scratch)
                    .serialize_newtype_variant(name, index, variant, value)?;
                Ok(push_leaf(data, ty, self.scratch)?)
            }
            ColumnBuf::Nullable { nulls, inner, .. } => {
                nulls.push(0);
                ColumnSerializer {
                    col: inner,
                    scratch: self.scratch,
                }
                .serialize_newtype_variant(name, index, variant, value)
            }
            ColumnBuf::Array { ty, .. } => {
                let r = ValueSerializer::new(ty, self.scratch)
                    .serialize_newtype_variant(name, index, variant, value);
                Err(not_an_array(ty, r).into())
            }
        }
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<ColumnCompound<'a>, BoxedError> {
        if self.is_array() {
            return self.elements();
        }
        self.leaf_compound(|s| Ok(s.serialize_seq(len)?))
    }

    /// A tuple into an `Array` column is `[T; N]`; into a leaf, its bytes (`[u8; 16]` into a
    /// `UUID`, ...).
    fn serialize_tuple(self, len: usize) -> Result<ColumnCompound<'a>, BoxedError> {
        if self.is_array() {
            return self.elements();
        }
        self.leaf_compound(|s| Ok(s.serialize_tuple(len)?))
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<ColumnCompound<'a>, BoxedError> {
        if self.is_array() {
            return self.elements();
        }
        self.leaf_compound(|s| Ok(s.serialize_tuple_struct(name, len)?))
    }
}

impl<'a> ColumnSerializer<'a> {
    /// A compound value into a leaf (or the inner leaf of a `Nullable`), written by the
    /// RowBinary serializer and pushed when it ends.
    fn leaf_compound(
        self,
        start: impl FnOnce(ValueSerializer<'a, 'a>) -> Result<Compound<'a, 'a>, BoxedError>,
    ) -> Result<ColumnCompound<'a>, BoxedError> {
        self.scratch.clear();
        match self.col {
            ColumnBuf::Leaf { ty, data } => {
                let ty: &'a DataType = ty;
                let inner = start(ValueSerializer::new(ty, self.scratch))?;
                Ok(ColumnCompound::Leaf { inner, ty, data })
            }
            ColumnBuf::Nullable { nulls, inner, .. } => {
                nulls.push(0);
                ColumnSerializer {
                    col: inner,
                    scratch: self.scratch,
                }
                .leaf_compound(start)
            }
            ColumnBuf::Array { ty, .. } => Err(RowError::mismatch("sequence", ty).into()),
        }
    }
}

/// A compound value being written into a column.
pub(super) enum ColumnCompound<'a> {
    /// Into a leaf: written as RowBinary into the scratch bytes, pushed at the end.
    Leaf {
        inner: Compound<'a, 'a>,
        ty: &'a DataType,
        data: &'a mut ColumnData,
    },
    /// The elements of one array: into the flattened column, then the end offset.
    Elements {
        offsets: &'a mut Vec<u64>,
        inner: &'a mut ColumnBuf,
        scratch: &'a mut Vec<u8>,
        count: u64,
    },
}

impl<'a> ColumnCompound<'a> {
    #[inline]
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BoxedError> {
        match self {
            ColumnCompound::Leaf { inner, .. } => {
                Ok(ser::SerializeSeq::serialize_element(inner, value)?)
            }
            ColumnCompound::Elements {
                inner,
                scratch,
                count,
                ..
            } => {
                *count += 1;
                value
                    .serialize(ColumnSerializer {
                        col: inner,
                        scratch,
                    })
                    .map_err(|e| e.within("[]"))
            }
        }
    }

    #[inline]
    fn finish(self) -> Result<(), BoxedError> {
        match self {
            ColumnCompound::Leaf { inner, ty, data } => {
                let bytes = inner.end_out()?;
                Ok(push_leaf(data, ty, bytes)?)
            }
            ColumnCompound::Elements { offsets, count, .. } => {
                let end = offsets.last().copied().unwrap_or(0) + count;
                offsets.push(end);
                Ok(())
            }
        }
    }

    /// The leaf compound a map or struct writes into (arrays take only sequences).
    fn leaf(&mut self) -> Result<&mut Compound<'a, 'a>, BoxedError> {
        match self {
            ColumnCompound::Leaf { inner, .. } => Ok(inner),
            ColumnCompound::Elements { .. } => {
                Err(RowError::invalid("a map or struct into an array column").into())
            }
        }
    }
}

impl ser::SerializeSeq for ColumnCompound<'_> {
    type Ok = ();
    type Error = BoxedError;

    #[inline]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BoxedError> {
        self.element(value)
    }

    #[inline]
    fn end(self) -> Result<(), BoxedError> {
        self.finish()
    }
}

impl ser::SerializeTuple for ColumnCompound<'_> {
    type Ok = ();
    type Error = BoxedError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BoxedError> {
        self.element(value)
    }

    #[inline]
    fn end(self) -> Result<(), BoxedError> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for ColumnCompound<'_> {
    type Ok = ();
    type Error = BoxedError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BoxedError> {
        self.element(value)
    }

    #[inline]
    fn end(self) -> Result<(), BoxedError> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for ColumnCompound<'_> {
    type Ok = ();
    type Error = BoxedError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BoxedError> {
        self.element(value)
    }

    #[inline]
    fn end(self) -> Result<(), BoxedError> {
        self.finish()
    }
}

impl ser::SerializeMap for ColumnCompound<'_> {
    type Ok = ();
    type Error = BoxedError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), BoxedError> {
        Ok(ser::SerializeMap::serialize_key(self.leaf()?, key)?)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BoxedError> {
        Ok(ser::SerializeMap::serialize_value(self.leaf()?, value)?)
    }

    #[inline]
    fn end(self) -> Result<(), BoxedError> {
        self.finish()
    }
}

impl ser::SerializeStruct for ColumnCompound<'_> {
    type Ok = ();
    type Error = BoxedError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), BoxedError> {
        Ok(ser::SerializeStruct::serialize_field(
            self.leaf()?,
            key,
            value,
        )?)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), BoxedError> {
        Ok(ser::SerializeStruct::skip_field(self.leaf()?, key)?)
    }

    #[inline]
    fn end(self) -> Result<(), BoxedError> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for ColumnCompound<'_> {
    type Ok = ();
    type Error = BoxedError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), BoxedError> {
        Ok(ser::SerializeStructVariant::serialize_field(
            self.leaf()?,
            key,
            value,
        )?)
    }

    #[inline]
    fn end(self) -> Result<(), BoxedError> {
        self.finish()
    }
}
