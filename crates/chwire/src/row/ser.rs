//! Encoding `T: Serialize` rows to RowBinary, checked against the table's column types.
//!
//! The mirror of [`super::de`]: every serde call is checked against the target column's
//! [`DataType`] and writes that value's RowBinary bytes straight into the output buffer.

use chwire_proto::wire::{put_string, put_varuint};
use chwire_proto::{DataType, TupleElement};
use serde::ser::{self, Serialize};

use super::shape::{self, ByteShape, Fields, Prim, array_elem, strip, tuple_fields};
use super::{Row, RowError, datetime64, decimal, dynamic};

/// Encodes rows for an `INSERT ... FORMAT RowBinary`.
///
/// Created from the table's columns (from `DESCRIBE TABLE` or a `RowBinaryWithNamesAndTypes`
/// header). [`RowEncoder::new`] picks the row type's columns by name, so the struct may name a
/// subset of the table's columns in any order; the `INSERT` must then list the columns in the
/// struct's order ([`RowEncoder::insert_columns`]) and the server fills the others with their
/// defaults.
#[derive(Debug, Clone)]
pub struct RowEncoder<'c> {
    columns: EncoderColumns<'c>,
    check_names: bool,
}

/// The columns an encoder writes: all of a table's, in order (no allocation, so a positional
/// encoder is free to build per row), or a row type's pick of them.
#[derive(Debug, Clone)]
enum EncoderColumns<'c> {
    All(&'c [(String, DataType)]),
    Picked(Vec<&'c (String, DataType)>),
}

impl<'c> EncoderColumns<'c> {
    fn fields(&self) -> Fields<'_> {
        match self {
            EncoderColumns::All(columns) => Fields::Columns(columns),
            EncoderColumns::Picked(columns) => Fields::ColumnRefs(columns),
        }
    }

    fn get(&self, i: usize) -> &'c (String, DataType) {
        match self {
            EncoderColumns::All(columns) => &columns[i],
            EncoderColumns::Picked(columns) => columns[i],
        }
    }

    fn len(&self) -> usize {
        match self {
            EncoderColumns::All(columns) => columns.len(),
            EncoderColumns::Picked(columns) => columns.len(),
        }
    }
}

impl<'c> RowEncoder<'c> {
    /// An encoder for the row type `T`: every column `T` names must exist in `table`.
    pub fn new<T: Row + ?Sized>(table: &'c [(String, DataType)]) -> Result<Self, RowError> {
        if let Some(n) = T::POSITIONAL {
            super::de::positional_count::<T>(n, table)?;
            return Ok(RowEncoder::positional(table));
        }
        let mut columns = Vec::with_capacity(T::COLUMN_NAMES.len());
        for name in T::COLUMN_NAMES {
            match table.iter().find(|(n, _)| n == name) {
                Some(col) => columns.push(col),
                None => {
                    return Err(RowError::Columns {
                        row: T::NAME,
                        expected: T::COLUMN_NAMES.iter().map(|s| (*s).to_owned()).collect(),
                        actual: table.iter().map(|(n, _)| n.clone()).collect(),
                    });
                }
            }
        }
        Ok(RowEncoder {
            columns: EncoderColumns::Picked(columns),
            check_names: true,
        })
    }

    /// An encoder that writes values to `columns` by position, without checking field names
    /// (for tuples and structs without [`Row`]).
    pub fn positional(columns: &'c [(String, DataType)]) -> Self {
        RowEncoder {
            columns: EncoderColumns::All(columns),
            check_names: false,
        }
    }

    /// The columns written, in order.
    pub fn columns(&self) -> impl ExactSizeIterator<Item = &'c (String, DataType)> + '_ {
        (0..self.columns.len()).map(|i| self.columns.get(i))
    }

    /// The column list for `INSERT INTO table (...) FORMAT RowBinary`, with the names quoted:
    /// `` (`a`, `b`) ``.
    pub fn insert_columns(&self) -> String {
        let mut s = String::from("(");
        for (i, (name, _)) in self.columns().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            s.push('`');
            for c in name.chars() {
                if c == '`' || c == '\\' {
                    s.push('\\');
                }
                s.push(c);
            }
            s.push('`');
        }
        s.push(')');
        s
    }

    /// Appends one row to `out`. On error `out` is left as it was.
    pub fn encode<T: Serialize + ?Sized>(
        &self,
        row: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), RowError> {
        let start = out.len();
        let result = row.serialize(RowSerializer {
            columns: self.columns.fields(),
            check_names: self.check_names,
            out,
        });
        if result.is_err() {
            out.truncate(start);
        }
        result
    }
}

/// The serializer for one whole row.
struct RowSerializer<'c, 'o> {
    columns: Fields<'c>,
    check_names: bool,
    out: &'o mut Vec<u8>,
}

impl<'c, 'o> RowSerializer<'c, 'o> {
    #[inline]
    fn fields(self, len: usize, check_names: bool) -> Result<Compound<'c, 'o>, RowError> {
        if len != self.columns.len() {
            return Err(RowError::column_count(len, self.columns.len()));
        }
        let start = self.out.len();
        Ok(Compound {
            kind: Kind::Fields(self.columns, check_names),
            out: self.out,
            pos: 0,
            len,
            start,
            reorder: None,
        })
    }

    fn single(self) -> Result<ValueSerializer<'c, 'o>, RowError> {
        if self.columns.len() != 1 {
            return Err(RowError::columns_mismatch(
                "a single value",
                self.columns.len(),
            ));
        }
        Ok(ValueSerializer {
            target: Target::Type(self.columns.ty(0)),
            out: self.out,
        })
    }

    fn column(&self) -> String {
        if self.columns.len() == 0 {
            return String::new();
        }
        self.columns.name(0).unwrap_or_default().to_owned()
    }
}

macro_rules! forward_row {
    ($($method:ident($($arg:ident: $t:ty),*)),* $(,)?) => {$(
        fn $method(self, $($arg: $t),*) -> Result<(), RowError> {
            let column = self.column();
            self.single()?.$method($($arg),*).map_err(|e| e.within(column))
        }
    )*};
}

impl<'c, 'o> ser::Serializer for RowSerializer<'c, 'o> {
    type Ok = ();
    type Error = RowError;
    type SerializeSeq = Compound<'c, 'o>;
    type SerializeTuple = Compound<'c, 'o>;
    type SerializeTupleStruct = Compound<'c, 'o>;
    type SerializeTupleVariant = Compound<'c, 'o>;
    type SerializeMap = Compound<'c, 'o>;
    type SerializeStruct = Compound<'c, 'o>;
    type SerializeStructVariant = Compound<'c, 'o>;

    fn is_human_readable(&self) -> bool {
        false
    }

    forward_row!(
        serialize_bool(v: bool), serialize_i8(v: i8), serialize_i16(v: i16),
        serialize_i32(v: i32), serialize_i64(v: i64), serialize_i128(v: i128),
        serialize_u8(v: u8), serialize_u16(v: u16), serialize_u32(v: u32),
        serialize_u64(v: u64), serialize_u128(v: u128), serialize_f32(v: f32),
        serialize_f64(v: f64), serialize_char(v: char), serialize_str(v: &str),
        serialize_bytes(v: &[u8]), serialize_none(), serialize_unit(),
        serialize_unit_struct(name: &'static str),
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), RowError> {
        let column = self.column();
        self.single()?
            .serialize_some(value)
            .map_err(|e| e.within(column))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), RowError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), RowError> {
        let column = self.column();
        self.single()?
            .serialize_newtype_variant(name, index, variant, value)
            .map_err(|e| e.within(column))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'c, 'o>, RowError> {
        let column = self.column();
        self.single()?
            .serialize_seq(len)
            .map_err(|e| e.within(column))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'c, 'o>, RowError> {
        self.fields(len, false)
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'c, 'o>, RowError> {
        self.fields(len, false)
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'c, 'o>, RowError> {
        let column = self.column();
        self.single()?
            .serialize_tuple_variant(name, index, variant, len)
            .map_err(|e| e.within(column))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'c, 'o>, RowError> {
        let column = self.column();
        self.single()?
            .serialize_map(len)
            .map_err(|e| e.within(column))
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'c, 'o>, RowError> {
        let check = self.check_names;
        self.fields(len, check)
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'c, 'o>, RowError> {
        let column = self.column();
        self.single()?
            .serialize_struct_variant(name, index, variant, len)
            .map_err(|e| e.within(column))
    }
}

/// What a value is being serialized into.
#[derive(Clone, Copy)]
enum Target<'c> {
    /// A value of this column type.
    Type(&'c DataType),
    /// One byte of a string or fixed byte shape serialized as a sequence of `u8`.
    Byte,
    /// A map entry given as a `(key, value)` tuple.
    Pair(&'c DataType, &'c DataType),
    /// One element of a `Nested(...)` column: a struct or tuple over its fields.
    NestedRow(&'c [(String, DataType)]),
}

impl Target<'_> {
    fn describe(self) -> String {
        match self {
            Target::Type(ty) => strip(ty).to_string(),
            Target::Byte => "UInt8 (one byte of a byte string)".into(),
            Target::Pair(k, v) => format!("map entry ({k}, {v})"),
            Target::NestedRow(fields) => format!(
                "Nested({})",
                fields
                    .iter()
                    .map(|(n, t)| format!("{n} {t}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// The serializer for one value.
pub(super) struct ValueSerializer<'c, 'o> {
    target: Target<'c>,
    out: &'o mut Vec<u8>,
}

impl<'c, 'o> ValueSerializer<'c, 'o> {
    /// Appends the RowBinary bytes of one value of `ty` to `out` (the column serializer's
    /// leaves: their RowBinary value is their Native value).
    #[inline]
    pub(super) fn new(ty: &'c DataType, out: &'o mut Vec<u8>) -> Self {
        ValueSerializer {
            target: Target::Type(ty),
            out,
        }
    }

    /// A string into a column other than `String` (enum names, `FixedString`, UUIDs).
    fn str_into(self, ty: &DataType, v: &str) -> Result<(), RowError> {
        if let Some(result) = enum_value(ty, v, self.out) {
            return result;
        }
        match ty {
            DataType::String | DataType::FixedString(_) => {
                self.write_bytes(ty, v.as_bytes(), "string")
            }
            // Sent as its text (`input_format_binary_read_json_as_string`).
            DataType::Json(_) => {
                put_string(self.out, v.as_bytes());
                Ok(())
            }
            DataType::Uuid => match parse_uuid(v) {
                Some(b) => self.write_bytes(ty, &b, "string"),
                None => Err(RowError::invalid(format!("{v:?} is not a UUID"))),
            },
            _ => Err(RowError::mismatch("string", ty)),
        }
    }

    /// The column type, when serializing into a plain value of one. A value that is not an
    /// `Option` into `Nullable(T)` (or `LowCardinality(Nullable(T))`) is a non-NULL `T`: the
    /// flag is written here, as reads accept an `Option` for a non-nullable column.
    #[inline]
    fn ty(&mut self, expected: &str) -> Result<&'c DataType, RowError> {
        let ty = self.nullable_ty(expected)?;
        if let DataType::Nullable(inner) = ty {
            self.out.push(0);
            self.target = Target::Type(inner);
            return Ok(strip(inner));
        }
        Ok(ty)
    }

    /// The column type, `Nullable` included (for `None` and `Some`).
    #[inline]
    fn nullable_ty(&self, expected: &str) -> Result<&'c DataType, RowError> {
        match self.target {
            Target::Type(ty) => Ok(strip(ty)),
            other => Err(RowError::SchemaMismatch {
                column: String::new(),
                expected: expected.into(),
                actual: other.describe(),
            }),
        }
    }

    #[inline]
    fn compound(self, kind: Kind<'c>, len: usize) -> Compound<'c, 'o> {
        let start = self.out.len();
        Compound {
            kind,
            out: self.out,
            pos: 0,
            len,
            start,
            reorder: None,
        }
    }

    /// Writes a byte string into a byte-shaped column (`String`, `FixedString`, `UUID`, ...).
    #[inline]
    fn write_bytes(self, ty: &DataType, v: &[u8], expected: &str) -> Result<(), RowError> {
        if let DataType::String = ty {
            put_string(self.out, v);
            return Ok(());
        }
        let Some(shape) = ByteShape::of(ty) else {
            return Err(RowError::mismatch(expected, ty));
        };
        match shape {
            ByteShape::Fixed(n) if v.len() <= n => {
                self.out.extend_from_slice(v);
                self.out.resize(self.out.len() + n - v.len(), 0);
            }
            ByteShape::Fixed(n) => {
                return Err(RowError::invalid(format!(
                    "{} bytes do not fit in FixedString({n})",
                    v.len()
                )));
            }
            ByteShape::Raw(n) if v.len() == n => self.out.extend_from_slice(v),
            ByteShape::Uuid if v.len() == 16 => {
                let mut b = [0u8; 16];
                b.copy_from_slice(v);
                self.out.extend_from_slice(&shape::uuid_swap(&b));
            }
            ByteShape::Ipv4 if v.len() == 4 => {
                let octets = [v[0], v[1], v[2], v[3]];
                self.out
                    .extend_from_slice(&u32::from_be_bytes(octets).to_le_bytes());
            }
            _ => {
                return Err(RowError::invalid(format!(
                    "{} bytes given, {ty} needs {}",
                    v.len(),
                    shape.len()
                )));
            }
        }
        Ok(())
    }
}

macro_rules! serialize_int {
    ($method:ident, $t:ty, $expected:literal, $($prim:ident),+) => {
        #[inline]
        fn $method(mut self, v: $t) -> Result<(), RowError> {
            let ty = self.ty($expected)?;
            match shape::prim(ty) {
                $(Some(Prim::$prim))|+ => {
                    check_enum(ty, i128::from(v))?;
                    self.out.extend_from_slice(&v.to_le_bytes());
                    Ok(())
                }
                _ => Err(RowError::mismatch($expected, ty)),
            }
        }
    };
}

/// Rejects numbers that are not values of an `Enum` column (the server would refuse the row).
#[inline]
fn check_enum(ty: &DataType, v: i128) -> Result<(), RowError> {
    let known = match ty {
        DataType::Enum8(names) => names.iter().any(|(_, x)| i128::from(*x) == v),
        DataType::Enum16(names) => names.iter().any(|(_, x)| i128::from(*x) == v),
        _ => true,
    };
    if known {
        Ok(())
    } else {
        Err(RowError::invalid(format!("{v} is not a value of {ty}")))
    }
}

#[inline]
fn enum_value(ty: &DataType, name: &str, out: &mut Vec<u8>) -> Option<Result<(), RowError>> {
    let found = match ty {
        DataType::Enum8(names) => names
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| out.extend_from_slice(&v.to_le_bytes())),
        DataType::Enum16(names) => names
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| out.extend_from_slice(&v.to_le_bytes())),
        _ => return None,
    };
    Some(found.ok_or_else(|| RowError::invalid(format!("`{name}` is not a name of {ty}"))))
}

fn parse_uuid(s: &str) -> Option<[u8; 16]> {
    let hex: Vec<u8> = s.bytes().filter(|&b| b != b'-').collect();
    if hex.len() != 32 || !(s.len() == 32 || s.len() == 36) {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, pair) in hex.chunks(2).enumerate() {
        let digit = |c: u8| (c as char).to_digit(16);
        out[i] = (digit(pair[0])? * 16 + digit(pair[1])?) as u8;
    }
    Some(out)
}

impl<'c, 'o> ser::Serializer for ValueSerializer<'c, 'o> {
    type Ok = ();
    type Error = RowError;
    type SerializeSeq = Compound<'c, 'o>;
    type SerializeTuple = Compound<'c, 'o>;
    type SerializeTupleStruct = Compound<'c, 'o>;
    type SerializeTupleVariant = Compound<'c, 'o>;
    type SerializeMap = Compound<'c, 'o>;
    type SerializeStruct = Compound<'c, 'o>;
    type SerializeStructVariant = Compound<'c, 'o>;

    fn is_human_readable(&self) -> bool {
        false
    }

    #[inline]
    fn serialize_bool(mut self, v: bool) -> Result<(), RowError> {
        let ty = self.ty("bool")?;
        match shape::prim(ty) {
            Some(Prim::Bool | Prim::U8) => {
                self.out.push(u8::from(v));
                Ok(())
            }
            _ => Err(RowError::mismatch("bool", ty)),
        }
    }

    serialize_int!(serialize_i8, i8, "i8", I8);
    serialize_int!(serialize_i16, i16, "i16", I16);
    serialize_int!(serialize_i32, i32, "i32", I32);
    serialize_int!(serialize_i64, i64, "i64", I64);
    serialize_int!(serialize_i128, i128, "i128", I128);
    serialize_int!(serialize_u16, u16, "u16", U16);
    serialize_int!(serialize_u32, u32, "u32", U32);
    serialize_int!(serialize_u64, u64, "u64", U64);

    #[inline]
    fn serialize_u8(mut self, v: u8) -> Result<(), RowError> {
        if let Target::Byte = self.target {
            self.out.push(v);
            return Ok(());
        }
        let ty = self.ty("u8")?;
        match shape::prim(ty) {
            Some(Prim::U8) => {}
            Some(Prim::Bool) if v <= 1 => {}
            Some(Prim::Bool) => {
                return Err(RowError::invalid(format!(
                    "{v} is not a valid Bool (0 or 1)"
                )));
            }
            _ => return Err(RowError::mismatch("u8", ty)),
        }
        self.out.push(v);
        Ok(())
    }

    #[inline]
    fn serialize_u128(mut self, v: u128) -> Result<(), RowError> {
        let ty = self.ty("u128")?;
        match shape::prim(ty) {
            Some(Prim::U128) => self.out.extend_from_slice(&v.to_le_bytes()),
            Some(Prim::Uuid) => {
                self.out
                    .extend_from_slice(&((v >> 64) as u64).to_le_bytes());
                self.out.extend_from_slice(&(v as u64).to_le_bytes());
            }
            _ => return Err(RowError::mismatch("u128", ty)),
        }
        Ok(())
    }

    #[inline]
    fn serialize_f32(mut self, v: f32) -> Result<(), RowError> {
        let ty = self.ty("f32")?;
        match shape::prim(ty) {
            Some(Prim::F32) => self.out.extend_from_slice(&v.to_le_bytes()),
            // Truncates to the upper 16 bits, as the server's own Float32 -> BFloat16 does.
            Some(Prim::BF16) => self
                .out
                .extend_from_slice(&((v.to_bits() >> 16) as u16).to_le_bytes()),
            _ => return Err(RowError::mismatch("f32", ty)),
        }
        Ok(())
    }

    #[inline]
    fn serialize_f64(mut self, v: f64) -> Result<(), RowError> {
        let ty = self.ty("f64")?;
        match shape::prim(ty) {
            Some(Prim::F64) => {
                self.out.extend_from_slice(&v.to_le_bytes());
                Ok(())
            }
            _ => Err(RowError::mismatch("f64", ty)),
        }
    }

    fn serialize_char(mut self, v: char) -> Result<(), RowError> {
        let ty = self.ty("char")?;
        let mut buf = [0u8; 4];
        match ty {
            DataType::String | DataType::FixedString(_) => {
                self.write_bytes(ty, v.encode_utf8(&mut buf).as_bytes(), "char")
            }
            _ => Err(RowError::mismatch("char", ty)),
        }
    }

    #[inline]
    fn serialize_str(mut self, v: &str) -> Result<(), RowError> {
        let ty = self.ty("string")?;
        if let DataType::String = ty {
            put_string(self.out, v.as_bytes());
            return Ok(());
        }
        self.str_into(ty, v)
    }

    #[inline]
    fn serialize_bytes(mut self, v: &[u8]) -> Result<(), RowError> {
        let ty = self.ty("bytes")?;
        self.write_bytes(ty, v, "bytes")
    }

    fn serialize_none(self) -> Result<(), RowError> {
        let ty = self.nullable_ty("None")?;
        match ty {
            DataType::Nullable(_) => self.out.push(1),
            DataType::Variant(_) => self.out.push(255),
            DataType::Dynamic { .. } => self.out.push(dynamic::NULL),
            _ => return Err(RowError::mismatch("None (a Nullable column)", ty)),
        }
        Ok(())
    }

    /// `Some(v)` into `Nullable(T)` writes the flag then `v` as `T`; into any other column,
    /// just `v`.
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), RowError> {
        let ty = self.nullable_ty("Option")?;
        match ty {
            DataType::Nullable(inner) => {
                self.out.push(0);
                value.serialize(ValueSerializer {
                    target: Target::Type(inner),
                    out: self.out,
                })
            }
            _ => value.serialize(self),
        }
    }

    fn serialize_unit(mut self) -> Result<(), RowError> {
        let ty = self.ty("()")?;
        Err(RowError::mismatch("()", ty))
    }

    fn serialize_unit_struct(mut self, name: &'static str) -> Result<(), RowError> {
        let ty = self.ty(name)?;
        Err(RowError::mismatch(name, ty))
    }

    /// Unit variants of a Rust enum map to `Enum8`/`Enum16` values by name.
    fn serialize_unit_variant(
        mut self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), RowError> {
        let ty = self.ty(name)?;
        enum_value(ty, variant, self.out).unwrap_or_else(|| Err(RowError::mismatch(name, ty)))
    }

    /// A precision-tagged `DateTime64`/`Time64` helper value is rescaled to the column's
    /// precision (its ticks are the last 8 bytes written); the decimal helper's value to the
    /// column's scale (`decimal::write`); any other newtype is its inner value.
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), RowError> {
        if name == decimal::TAG {
            let ty = self.ty(decimal::EXPECTED)?;
            let at = self.out.len();
            value.serialize(ValueSerializer {
                target: Target::Type(decimal::PACKED),
                out: &mut *self.out,
            })?;
            let packed = decimal::take_packed(self.out, at)?;
            return decimal::write(packed, ty, self.out);
        }
        let rescale = match self.target {
            Target::Type(ty) => {
                datetime64::tagged_write_precisions(name, ty).filter(|(from, to)| from != to)
            }
            _ => None,
        };
        let out = self.out;
        value.serialize(ValueSerializer {
            target: self.target,
            out: &mut *out,
        })?;
        if let Some((from, to)) = rescale {
            let at = out
                .len()
                .checked_sub(8)
                .ok_or_else(|| RowError::invalid(format!("{name} did not serialize as an i64")))?;
            let mut b = [0u8; 8];
            b.copy_from_slice(&out[at..]);
            let ticks = datetime64::rescale(i64::from_le_bytes(b), from, to)?;
            out[at..].copy_from_slice(&ticks.to_le_bytes());
        }
        Ok(())
    }

    /// Newtype variants map to `Variant(...)` alternatives by position, and to `Dynamic`
    /// values of the type they are named after (the binary type, then the value as that type).
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), RowError> {
        let ty = self.ty(name)?;
        if let DataType::Dynamic { .. } = ty {
            let t = dynamic::write_type(name, variant, self.out)?;
            return value.serialize(ValueSerializer {
                target: Target::Type(&t),
                out: self.out,
            });
        }
        let alt = variant_alternative(ty, name, index)?;
        self.out.push(index as u8);
        value.serialize(ValueSerializer {
            target: Target::Type(alt),
            out: self.out,
        })
    }

    fn serialize_seq(mut self, len: Option<usize>) -> Result<Compound<'c, 'o>, RowError> {
        let ty = self.ty("sequence")?;
        if let Some(shape) = ByteShape::of(ty) {
            return Ok(self.compound(Kind::Bytes(shape), shape.len()));
        }
        let kind = match (ty, counted_kind(ty)) {
            (_, Some(kind)) => kind,
            (DataType::String, None) => Kind::StringBytes,
            (_, None) => return Err(RowError::mismatch("sequence", ty)),
        };
        let Some(len) = len else {
            return Err(RowError::invalid(
                "a sequence of unknown length cannot be written (RowBinary needs the length first)",
            ));
        };
        put_varuint(self.out, len as u64);
        Ok(self.compound(kind, len))
    }

    fn serialize_tuple(mut self, len: usize) -> Result<Compound<'c, 'o>, RowError> {
        match self.target {
            Target::Pair(k, v) if len == 2 => return Ok(self.compound(Kind::Pair(k, v), 2)),
            Target::NestedRow(fields) if len == fields.len() => {
                return Ok(self.compound(Kind::Fields(Fields::Columns(fields), false), len));
            }
            _ => {}
        }
        let expected = format!("tuple of {len}");
        let ty = self.ty(&expected)?;
        if let Some(fields) = tuple_fields(ty) {
            if fields.len() == len {
                return Ok(self.compound(Kind::Fields(Fields::Tuple(fields), false), len));
            }
        } else if let Some(shape) = ByteShape::of(ty) {
            let fits = match shape {
                ByteShape::Fixed(n) => len <= n,
                other => len == other.len(),
            };
            if fits {
                return Ok(self.compound(Kind::Bytes(shape), len));
            }
        } else if counted_kind(ty).is_some() {
            // `[T; N]` (and tuples) into an array, map or `Nested`: N elements.
            return self.serialize_seq(Some(len));
        }
        Err(RowError::mismatch(expected, ty))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'c, 'o>, RowError> {
        self.serialize_tuple(len)
    }

    fn serialize_tuple_variant(
        mut self,
        name: &'static str,
        index: u32,
        _variant: &'static str,
        len: usize,
    ) -> Result<Compound<'c, 'o>, RowError> {
        let ty = self.ty(name)?;
        let alt = variant_alternative(ty, name, index)?;
        self.out.push(index as u8);
        ValueSerializer {
            target: Target::Type(alt),
            out: self.out,
        }
        .serialize_tuple(len)
    }

    fn serialize_map(mut self, len: Option<usize>) -> Result<Compound<'c, 'o>, RowError> {
        let ty = self.ty("map")?;
        let DataType::Map(k, v) = ty else {
            return Err(RowError::mismatch("map", ty));
        };
        let Some(len) = len else {
            return Err(RowError::invalid(
                "a map of unknown length cannot be written (RowBinary needs the length first)",
            ));
        };
        put_varuint(self.out, len as u64);
        Ok(self.compound(Kind::Pairs(k, v), len))
    }

    /// A struct into a `Tuple`: named tuples match the fields by name, in any order (as when
    /// reading); unnamed tuples and `Point` go by position.
    fn serialize_struct(
        mut self,
        name: &'static str,
        len: usize,
    ) -> Result<Compound<'c, 'o>, RowError> {
        if let Target::NestedRow(fields) = self.target {
            if fields.len() == len {
                return Ok(self.compound(Kind::Fields(Fields::Columns(fields), true), len));
            }
        }
        let expected = format!("struct {name} with {len} fields");
        let ty = self.ty(&expected)?;
        match tuple_fields(ty) {
            Some(fields) if fields.len() == len => {
                let named = fields.iter().all(|f: &TupleElement| f.name.is_some());
                Ok(self.compound(Kind::Fields(Fields::Tuple(fields), named), len))
            }
            _ => Err(RowError::mismatch(expected, ty)),
        }
    }

    fn serialize_struct_variant(
        mut self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'c, 'o>, RowError> {
        let ty = self.ty(name)?;
        let alt = variant_alternative(ty, name, index)?;
        self.out.push(index as u8);
        ValueSerializer {
            target: Target::Type(alt),
            out: self.out,
        }
        .serialize_struct(variant, len)
    }
}

fn variant_alternative<'c>(
    ty: &'c DataType,
    name: &str,
    index: u32,
) -> Result<&'c DataType, RowError> {
    match ty {
        DataType::Dynamic { .. } => Err(dynamic::not_newtype(name)),
        DataType::Variant(alts) => alts.get(index as usize).ok_or_else(|| {
            RowError::invalid(format!(
                "variant #{index} of enum {name} has no alternative in {ty}"
            ))
        }),
        _ => Err(RowError::mismatch(format!("enum {name}"), ty)),
    }
}

/// How the elements of a length-prefixed collection type are written: arrays (and geo types),
/// maps (as pairs) and `Nested` (as rows).
fn counted_kind(ty: &DataType) -> Option<Kind<'_>> {
    match ty {
        DataType::Map(k, v) => Some(Kind::Pairs(k, v)),
        DataType::Nested(fields) => Some(Kind::Rows(fields)),
        _ => array_elem(ty).map(Kind::Same),
    }
}

/// What the parts of a compound value are written as.
#[derive(Clone, Copy)]
enum Kind<'c> {
    /// Struct/tuple fields; `bool`: match struct fields to them by name.
    Fields(Fields<'c>, bool),
    /// Array elements.
    Same(&'c DataType),
    /// Map entries (map keys and values, or `(K, V)` sequence elements).
    Pairs(&'c DataType, &'c DataType),
    /// The key and value of one map entry given as a tuple.
    Pair(&'c DataType, &'c DataType),
    /// `Nested` elements.
    Rows(&'c [(String, DataType)]),
    /// A fixed byte shape given as `u8` elements; fixed up in place when complete.
    Bytes(ByteShape),
    /// `String` contents given as `u8` elements (length already written).
    StringBytes,
}

/// A struct, tuple, sequence or map being written.
#[doc(hidden)]
pub struct Compound<'c, 'o> {
    kind: Kind<'c>,
    out: &'o mut Vec<u8>,
    pos: usize,
    /// The number of parts announced (and, for sequences and maps, already written).
    len: usize,
    /// Where this value starts in `out`.
    start: usize,
    /// Set once a struct's fields arrive in another order than the columns or tuple elements
    /// they are matched to by name.
    reorder: Option<Box<Reorder>>,
}

/// The fields of a struct written out of order: each one's bytes are appended to `out` as it
/// arrives and recorded here, then put in column order when the struct ends. Fields that
/// arrive in order before the first one out of order are written in place, so a struct in
/// column order costs nothing extra.
struct Reorder {
    /// Where the first field out of order starts in `out`.
    from: usize,
    /// `(field index, start in out)` of every field from `from` on, in the order written.
    parts: Vec<(usize, usize)>,
    /// Which fields have been written.
    written: Vec<bool>,
}

impl Reorder {
    fn new(from: usize, len: usize, in_order: usize) -> Box<Reorder> {
        let mut written = vec![false; len];
        written[..in_order].fill(true);
        Box::new(Reorder {
            from,
            parts: Vec::new(),
            written,
        })
    }

    /// Moves the parts written out of order into field order.
    #[cold]
    #[inline(never)]
    fn apply(self, out: &mut Vec<u8>) {
        let tail = out.split_off(self.from);
        let mut spans: Vec<(usize, usize, usize)> = Vec::with_capacity(self.parts.len());
        for (k, &(field, start)) in self.parts.iter().enumerate() {
            let end = self
                .parts
                .get(k + 1)
                .map_or(self.from + tail.len(), |p| p.1);
            spans.push((field, start - self.from, end - self.from));
        }
        spans.sort_unstable_by_key(|s| s.0);
        for (_, start, end) in spans {
            out.extend_from_slice(&tail[start..end]);
        }
    }
}

impl std::fmt::Debug for Compound<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compound")
            .field("pos", &self.pos)
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl<'o> Compound<'_, 'o> {
    fn part<T: Serialize + ?Sized>(
        &mut self,
        key: Option<&str>,
        value: &T,
    ) -> Result<(), RowError> {
        let i = self.pos;
        self.pos += 1;
        if i >= self.len {
            return Err(RowError::invalid(format!(
                "more than the announced {} elements",
                self.len
            )));
        }
        match self.kind {
            Kind::Fields(fields, check_names) => {
                let i = match key {
                    Some(key)
                        if check_names
                            && (self.reorder.is_some()
                                || fields.name(i).is_some_and(|name| name != key)) =>
                    {
                        self.field_out_of_order(fields, i, key)?
                    }
                    _ => i,
                };
                value
                    .serialize(ValueSerializer {
                        target: Target::Type(fields.ty(i)),
                        out: self.out,
                    })
                    .map_err(|e| e.within(fields.segment(i)))
            }
            Kind::Same(ty) => value
                .serialize(ValueSerializer {
                    target: Target::Type(ty),
                    out: self.out,
                })
                .map_err(|e| e.within("[]")),
            Kind::Pairs(k, v) => value
                .serialize(ValueSerializer {
                    target: Target::Pair(k, v),
                    out: self.out,
                })
                .map_err(|e| e.within("[]")),
            Kind::Pair(k, v) => {
                let (ty, seg) = if i == 0 { (k, "{key}") } else { (v, "{value}") };
                value
                    .serialize(ValueSerializer {
                        target: Target::Type(ty),
                        out: self.out,
                    })
                    .map_err(|e| e.within(seg))
            }
            Kind::Rows(fields) => value
                .serialize(ValueSerializer {
                    target: Target::NestedRow(fields),
                    out: self.out,
                })
                .map_err(|e| e.within("[]")),
            Kind::Bytes(_) | Kind::StringBytes => value.serialize(ValueSerializer {
                target: Target::Byte,
                out: self.out,
            }),
        }
    }

    /// The field that the struct field `key`, the `pos`-th written, is matched to by name,
    /// once fields no longer arrive in column order: its bytes are recorded to be moved into
    /// place when the struct ends. Kept out of line: structs in column order never get here.
    #[cold]
    #[inline(never)]
    fn field_out_of_order(
        &mut self,
        fields: Fields<'_>,
        pos: usize,
        key: &str,
    ) -> Result<usize, RowError> {
        let len = fields.len();
        let reorder = self
            .reorder
            .get_or_insert_with(|| Reorder::new(self.out.len(), len, pos));
        let Some(i) = (0..len).find(|&i| fields.name(i) == Some(key)) else {
            let missing: Vec<String> = (0..len)
                .filter(|&i| !reorder.written[i])
                .filter_map(|i| fields.name(i).map(|n| format!("`{n}`")))
                .collect();
            return Err(RowError::invalid(format!(
                "field `{key}` matches no element by name; not written yet: {}",
                missing.join(", ")
            )));
        };
        if std::mem::replace(&mut reorder.written[i], true) {
            return Err(RowError::invalid(format!("field `{key}` is written twice")));
        }
        reorder.parts.push((i, self.out.len()));
        Ok(i)
    }

    fn map_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), RowError> {
        let Kind::Pairs(k, _) = self.kind else {
            return Err(RowError::invalid("map key outside a map"));
        };
        if self.pos >= self.len {
            return Err(RowError::invalid(format!(
                "more than the announced {} map entries",
                self.len
            )));
        }
        self.pos += 1;
        key.serialize(ValueSerializer {
            target: Target::Type(k),
            out: self.out,
        })
        .map_err(|e| e.within("{key}"))
    }

    fn map_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), RowError> {
        let Kind::Pairs(_, v) = self.kind else {
            return Err(RowError::invalid("map value outside a map"));
        };
        value
            .serialize(ValueSerializer {
                target: Target::Type(v),
                out: self.out,
            })
            .map_err(|e| e.within("{value}"))
    }

    #[inline]
    fn finish(self) -> Result<(), RowError> {
        self.end_out().map(|_| ())
    }

    /// Completes the value like `end`, and gives back the buffer it was written to.
    #[inline]
    pub(super) fn end_out(self) -> Result<&'o mut Vec<u8>, RowError> {
        if let Kind::Bytes(shape) = self.kind {
            let written = self.out.len() - self.start;
            let part = &mut self.out[self.start..];
            match shape {
                ByteShape::Fixed(n) if written <= n => {
                    self.out.resize(self.start + n, 0);
                }
                ByteShape::Uuid if written == 16 => {
                    let mut b = [0u8; 16];
                    b.copy_from_slice(part);
                    part.copy_from_slice(&shape::uuid_swap(&b));
                }
                // Octets are big-endian; the wire holds the address as a little-endian u32.
                ByteShape::Ipv4 if written == 4 => part.reverse(),
                ByteShape::Raw(n) if written == n => {}
                _ => {
                    return Err(RowError::invalid(format!(
                        "{written} bytes given, {} needed",
                        shape.len()
                    )));
                }
            }
            return Ok(self.out);
        }
        if self.pos != self.len {
            return Err(RowError::invalid(format!(
                "{} elements written, {} announced",
                self.pos, self.len
            )));
        }
        if let Some(reorder) = self.reorder {
            reorder.apply(self.out);
        }
        Ok(self.out)
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = RowError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), RowError> {
        self.part(None, value)
    }

    fn end(self) -> Result<(), RowError> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = RowError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), RowError> {
        self.part(None, value)
    }

    fn end(self) -> Result<(), RowError> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = RowError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), RowError> {
        self.part(None, value)
    }

    fn end(self) -> Result<(), RowError> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = RowError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), RowError> {
        self.part(None, value)
    }

    fn end(self) -> Result<(), RowError> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = RowError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), RowError> {
        self.map_key(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), RowError> {
        self.map_value(value)
    }

    fn end(self) -> Result<(), RowError> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = RowError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), RowError> {
        self.part(Some(key), value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), RowError> {
        Err(RowError::invalid(format!(
            "field `{key}` was skipped; every column of the row must be written"
        )))
    }

    fn end(self) -> Result<(), RowError> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = RowError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), RowError> {
        self.part(Some(key), value)
    }

    fn end(self) -> Result<(), RowError> {
        self.finish()
    }
}
