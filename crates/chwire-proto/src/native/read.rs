//! Column-at-a-time Native decoding.
//!
//! ClickHouse writes a column in two passes over its type tree: first every *state prefix*
//! (serialization versions and structures of `LowCardinality`, `Variant`, `Dynamic`, `JSON`
//! anywhere inside the type), then the data. So decoding reads a [`Prefix`] tree first and then
//! the data guided by it.

use crate::column::{
    Column, ColumnData, DynamicColumn, FixedStringColumn, JsonColumn, LowCardinalityColumn,
    LowCardinalityIndices, SHARED_VARIANT, StringColumn, VariantColumn, json_shared_data_type,
    physical_type, strip_nullable,
};
use crate::value::{I256, U256};
use crate::wire::{ByteCursor, DecodeError, DecodeLimits, ReadError};
use crate::{DataType, TypeParseError};

use super::StringLayout;
use super::custom::Kinds;

/// `LowCardinality` key serialization version the server writes (shared dictionaries with
/// additional keys).
pub(crate) const LC_KEYS_VERSION: u64 = 1;
pub(crate) const LC_HAS_ADDITIONAL_KEYS: u64 = 1 << 9;
pub(crate) const LC_NEED_UPDATE_DICTIONARY: u64 = 1 << 10;
const LC_NEED_GLOBAL_DICTIONARY: u64 = 1 << 8;

/// `Variant` discriminators mode: one byte per row.
pub(crate) const VARIANT_MODE_BASIC: u64 = 0;
/// `Dynamic` structure versions.
pub(crate) const DYNAMIC_V1: u64 = 1;
const DYNAMIC_V2: u64 = 2;
/// `JSON` structure versions.
pub(crate) const JSON_V1: u64 = 0;
const JSON_STRING: u64 = 1;
const JSON_V2: u64 = 2;

/// Resolves a type string read from the wire.
pub type TypeParser<'p> = &'p mut dyn FnMut(&str) -> Result<DataType, TypeParseError>;

/// Decoded state prefix of one column (mirrors the type tree).
#[derive(Debug)]
pub(crate) enum Prefix {
    None,
    Children(Vec<Prefix>),
    LowCardinality,
    Variant(Vec<Prefix>),
    Dynamic {
        names: Vec<String>,
        types: Vec<DataType>,
        variant: Vec<Prefix>,
    },
    Json {
        dynamic_paths: Vec<String>,
        typed: Vec<(String, DataType, Prefix)>,
        dynamic: Vec<Prefix>,
        as_string: bool,
    },
}

pub(crate) fn malformed(cur: &ByteCursor<'_>, reason: impl Into<String>) -> ReadError {
    ReadError::Bad(DecodeError::Malformed {
        offset: cur.position(),
        reason: reason.into(),
    })
}

fn limit(what: &'static str, value: u64, limit: u64) -> ReadError {
    ReadError::Bad(DecodeError::LimitExceeded { what, value, limit })
}

/// Reads columns of a Native block.
pub(crate) struct ColumnReader<'a> {
    pub limits: &'a DecodeLimits,
    pub parse: TypeParser<'a>,
    pub strings: StringLayout,
}

/// Fixed-width little-endian scalars that decode/encode in bulk.
pub(crate) trait FixedLe: Copy {
    const SIZE: usize;
    fn from_le(b: &[u8]) -> Self;
    fn put_le(self, out: &mut Vec<u8>);
}

macro_rules! fixed_le {
    ($($t:ty),*) => {$(
        impl FixedLe for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            #[inline(always)]
            fn from_le(b: &[u8]) -> Self {
                let mut a = [0u8; std::mem::size_of::<$t>()];
                a.copy_from_slice(b);
                <$t>::from_le_bytes(a)
            }
            #[inline(always)]
            fn put_le(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}
fixed_le!(
    i8, i16, i32, i64, i128, u8, u16, u32, u64, u128, f32, f64, I256, U256
);

/// Bytes of `rows` values of `width` bytes each; a limit error when that does not fit.
pub(crate) fn column_bytes(rows: usize, width: usize) -> Result<usize, ReadError> {
    rows.checked_mul(width)
        .ok_or_else(|| limit("column byte size", u64::MAX, usize::MAX as u64))
}

/// Reads `rows` fixed-width values: one bounds check, then a chunked copy the compiler
/// vectorises (on little-endian targets it is a plain memcpy).
#[inline]
pub(crate) fn read_fixed<T: FixedLe>(
    cur: &mut ByteCursor<'_>,
    rows: usize,
) -> Result<Vec<T>, ReadError> {
    let bytes = cur.bytes(column_bytes(rows, T::SIZE)?)?;
    Ok(bytes.chunks_exact(T::SIZE).map(T::from_le).collect())
}

/// For a type whose column data is `rows × width` little-endian bytes copied as they are
/// (every number, date and decimal type, `FixedString`, `IPv6`): the width and an empty vector
/// of its physical variant. Such a column can be filled from input in any pieces, which is
/// what lets [`NativeDecoder`](super::NativeDecoder) copy it straight out of each read.
/// `UUID` is not one of them: its two halves are swapped.
pub(crate) fn fixed_width_column(phys: &DataType) -> Option<(usize, ColumnData)> {
    Some(match phys {
        DataType::Int8 | DataType::Enum8(_) => (1, ColumnData::I8(Vec::new())),
        DataType::Int16 | DataType::Enum16(_) => (2, ColumnData::I16(Vec::new())),
        DataType::Int32 | DataType::Date32 | DataType::Time => (4, ColumnData::I32(Vec::new())),
        DataType::Int64
        | DataType::DateTime64(..)
        | DataType::Time64(_)
        | DataType::Interval(_) => (8, ColumnData::I64(Vec::new())),
        DataType::Int128 => (16, ColumnData::I128(Vec::new())),
        DataType::Int256 => (32, ColumnData::I256(Vec::new())),
        DataType::Decimal { precision, .. } => match crate::types::decimal_size(*precision) {
            4 => (4, ColumnData::I32(Vec::new())),
            8 => (8, ColumnData::I64(Vec::new())),
            16 => (16, ColumnData::I128(Vec::new())),
            _ => (32, ColumnData::I256(Vec::new())),
        },
        DataType::UInt8 | DataType::Bool => (1, ColumnData::U8(Vec::new())),
        DataType::UInt16 | DataType::Date | DataType::BFloat16 => (2, ColumnData::U16(Vec::new())),
        DataType::UInt32 | DataType::DateTime(_) | DataType::IPv4 => {
            (4, ColumnData::U32(Vec::new()))
        }
        DataType::UInt64 => (8, ColumnData::U64(Vec::new())),
        DataType::UInt128 => (16, ColumnData::U128(Vec::new())),
        DataType::UInt256 => (32, ColumnData::U256(Vec::new())),
        DataType::Float32 => (4, ColumnData::F32(Vec::new())),
        DataType::Float64 => (8, ColumnData::F64(Vec::new())),
        DataType::FixedString(n) => (*n, ColumnData::FixedString(FixedStringColumn::new(*n))),
        DataType::IPv6 => (16, ColumnData::FixedString(FixedStringColumn::new(16))),
        _ => return None,
    })
}

/// Appends the values in `bytes` (whole values, as many as fit) to a column made by
/// [`fixed_width_column`]. A column-at-a-time copy: one loop per call, not per value.
pub(crate) fn append_fixed(data: &mut ColumnData, bytes: &[u8]) {
    fn ext<T: FixedLe>(v: &mut Vec<T>, b: &[u8]) {
        v.extend(b.chunks_exact(T::SIZE).map(T::from_le));
    }
    match data {
        ColumnData::I8(v) => ext(v, bytes),
        ColumnData::I16(v) => ext(v, bytes),
        ColumnData::I32(v) => ext(v, bytes),
        ColumnData::I64(v) => ext(v, bytes),
        ColumnData::I128(v) => ext(v, bytes),
        ColumnData::I256(v) => ext(v, bytes),
        ColumnData::U8(v) => v.extend_from_slice(bytes),
        ColumnData::U16(v) => ext(v, bytes),
        ColumnData::U32(v) => ext(v, bytes),
        ColumnData::U64(v) => ext(v, bytes),
        ColumnData::U128(v) => ext(v, bytes),
        ColumnData::U256(v) => ext(v, bytes),
        ColumnData::F32(v) => ext(v, bytes),
        ColumnData::F64(v) => ext(v, bytes),
        ColumnData::FixedString(c) => c.data.extend_from_slice(bytes),
        _ => debug_assert!(
            false,
            "append_fixed on a column not made by fixed_width_column"
        ),
    }
}

/// Reserves room for `values` more values in a column made by [`fixed_width_column`].
pub(crate) fn reserve_fixed(data: &mut ColumnData, width: usize, values: usize) {
    match data {
        ColumnData::I8(v) => v.reserve(values),
        ColumnData::I16(v) => v.reserve(values),
        ColumnData::I32(v) => v.reserve(values),
        ColumnData::I64(v) => v.reserve(values),
        ColumnData::I128(v) => v.reserve(values),
        ColumnData::I256(v) => v.reserve(values),
        ColumnData::U8(v) => v.reserve(values),
        ColumnData::U16(v) => v.reserve(values),
        ColumnData::U32(v) => v.reserve(values),
        ColumnData::U64(v) => v.reserve(values),
        ColumnData::U128(v) => v.reserve(values),
        ColumnData::U256(v) => v.reserve(values),
        ColumnData::F32(v) => v.reserve(values),
        ColumnData::F64(v) => v.reserve(values),
        ColumnData::FixedString(c) => c.data.reserve(values.saturating_mul(width)),
        _ => {}
    }
}

/// Checks string end offsets (non-decreasing, no value longer than `max_len`); returns the
/// total byte count.
pub(crate) fn check_string_offsets(offsets: &[u64], max_len: u64) -> Result<usize, String> {
    let mut prev = 0;
    for &o in offsets {
        if o < prev || o - prev > max_len {
            return Err(format!("string offsets {prev} then {o}"));
        }
        prev = o;
    }
    usize::try_from(prev).map_err(|_| format!("string bytes {prev}"))
}

fn read_u64_le(cur: &mut ByteCursor<'_>) -> Result<u64, ReadError> {
    cur.u64_le()
}

/// Reads array offsets and checks they are non-decreasing; returns them with the total.
fn read_offsets(
    cur: &mut ByteCursor<'_>,
    rows: usize,
    limits: &DecodeLimits,
) -> Result<(Vec<u64>, usize), ReadError> {
    let offsets: Vec<u64> = read_fixed(cur, rows)?;
    let mut prev = 0;
    for &o in &offsets {
        if o < prev {
            return Err(malformed(cur, "array offsets decrease"));
        }
        prev = o;
    }
    if prev > limits.max_collection_len {
        return Err(limit(
            "total array elements",
            prev,
            limits.max_collection_len,
        ));
    }
    Ok((offsets, prev as usize))
}

impl ColumnReader<'_> {
    /// Reads one column (prefix then data) of `rows` rows.
    pub fn read_column(
        &mut self,
        cur: &mut ByteCursor<'_>,
        ty: &DataType,
        rows: usize,
    ) -> Result<Column, ReadError> {
        self.read_column_kinds(cur, ty, rows, &Kinds::default())
    }

    /// Reads one column of `rows` rows serialized with `kinds` (sparse or replicated parts
    /// are densified).
    pub(crate) fn read_column_kinds(
        &mut self,
        cur: &mut ByteCursor<'_>,
        ty: &DataType,
        rows: usize,
        kinds: &Kinds,
    ) -> Result<Column, ReadError> {
        let prefix = self.read_prefix(cur, ty, 0)?;
        self.read_data_kinds(cur, ty, &prefix, rows, 0, kinds)
    }

    fn parse_type(&mut self, cur: &ByteCursor<'_>, text: &str) -> Result<DataType, ReadError> {
        let _ = cur;
        (self.parse)(text).map_err(|e| ReadError::Bad(DecodeError::Type(e)))
    }

    pub(crate) fn check_depth(&self, depth: u32) -> Result<(), ReadError> {
        if depth > self.limits.max_depth {
            return Err(limit(
                "type nesting depth",
                depth as u64,
                self.limits.max_depth as u64,
            ));
        }
        Ok(())
    }

    pub(crate) fn read_prefix(
        &mut self,
        cur: &mut ByteCursor<'_>,
        ty: &DataType,
        depth: u32,
    ) -> Result<Prefix, ReadError> {
        self.check_depth(depth)?;
        let phys = physical_type(ty);
        Ok(match &*phys {
            DataType::Nullable(t) | DataType::Array(t) => self.read_prefix(cur, t, depth + 1)?,
            DataType::Tuple(els) => Prefix::Children(
                els.iter()
                    .map(|e| self.read_prefix(cur, &e.ty, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            DataType::Map(k, v) => Prefix::Children(vec![
                self.read_prefix(cur, k, depth + 1)?,
                self.read_prefix(cur, v, depth + 1)?,
            ]),
            DataType::LowCardinality(_) => {
                let version = read_u64_le(cur)?;
                if version != LC_KEYS_VERSION {
                    return Err(malformed(
                        cur,
                        format!("unknown LowCardinality keys version {version}"),
                    ));
                }
                Prefix::LowCardinality
            }
            DataType::Variant(alts) => self.read_variant_prefix(cur, alts, depth)?,
            DataType::Dynamic { .. } => self.read_dynamic_prefix(cur, depth)?,
            DataType::Json(params) => {
                let version = read_u64_le(cur)?;
                let mut typed: Vec<(String, DataType)> = params.typed_paths.clone();
                typed.sort_by(|a, b| a.0.cmp(&b.0));
                if version == JSON_STRING {
                    return Ok(Prefix::Json {
                        dynamic_paths: Vec::new(),
                        typed: Vec::new(),
                        dynamic: Vec::new(),
                        as_string: true,
                    });
                }
                if version != JSON_V1 && version != JSON_V2 {
                    return Err(ReadError::Bad(DecodeError::Unsupported(format!(
                        "JSON serialization version {version}"
                    ))));
                }
                if version == JSON_V1 {
                    let _max_dynamic_paths = cur.varuint()?;
                }
                let n = cur.length(self.limits.max_columns, "JSON dynamic paths")?;
                let mut dynamic_paths = Vec::with_capacity(n.min(1024));
                for _ in 0..n {
                    dynamic_paths.push(cur.utf8(self.limits)?.to_string());
                }
                let mut typed_prefixes = Vec::with_capacity(typed.len());
                for (p, t) in typed {
                    let pre = self.read_prefix(cur, &t, depth + 1)?;
                    typed_prefixes.push((p, t, pre));
                }
                let mut dynamic = Vec::with_capacity(dynamic_paths.len());
                for _ in 0..dynamic_paths.len() {
                    dynamic.push(self.read_dynamic_prefix(cur, depth + 1)?);
                }
                Prefix::Json {
                    dynamic_paths,
                    typed: typed_prefixes,
                    dynamic,
                    as_string: false,
                }
            }
            _ => Prefix::None,
        })
    }

    fn read_variant_prefix(
        &mut self,
        cur: &mut ByteCursor<'_>,
        alts: &[DataType],
        depth: u32,
    ) -> Result<Prefix, ReadError> {
        let mode = read_u64_le(cur)?;
        if mode != VARIANT_MODE_BASIC {
            return Err(ReadError::Bad(DecodeError::Unsupported(format!(
                "Variant discriminators mode {mode}"
            ))));
        }
        Ok(Prefix::Variant(
            alts.iter()
                .map(|t| self.read_prefix(cur, t, depth + 1))
                .collect::<Result<_, _>>()?,
        ))
    }

    fn read_dynamic_prefix(
        &mut self,
        cur: &mut ByteCursor<'_>,
        depth: u32,
    ) -> Result<Prefix, ReadError> {
        let version = read_u64_le(cur)?;
        match version {
            DYNAMIC_V1 => {
                let _max_types = cur.varuint()?;
            }
            DYNAMIC_V2 => {}
            _ => {
                return Err(ReadError::Bad(DecodeError::Unsupported(format!(
                    "Dynamic serialization version {version}"
                ))));
            }
        }
        let n = cur.length(254, "Dynamic type count")?;
        let mut names = Vec::with_capacity(n + 1);
        for _ in 0..n {
            names.push(cur.utf8(self.limits)?.to_string());
        }
        names.push(SHARED_VARIANT.to_string());
        // Discriminators index the alternatives sorted by name, as the server's Variant does.
        names.sort();
        let mut types = Vec::with_capacity(names.len());
        for name in &names {
            types.push(if name == SHARED_VARIANT {
                DataType::String
            } else {
                self.parse_type(cur, name)?
            });
        }
        let Prefix::Variant(variant) = self.read_variant_prefix(cur, &types, depth)? else {
            return Err(malformed(cur, "Dynamic variant prefix"));
        };
        Ok(Prefix::Dynamic {
            names,
            types,
            variant,
        })
    }

    pub(crate) fn read_data(
        &mut self,
        cur: &mut ByteCursor<'_>,
        ty: &DataType,
        prefix: &Prefix,
        rows: usize,
        depth: u32,
    ) -> Result<Column, ReadError> {
        self.check_depth(depth)?;
        let none = Prefix::None;
        let child = |i: usize| match prefix {
            Prefix::Children(c) | Prefix::Variant(c) => c.get(i).unwrap_or(&none),
            _ => &none,
        };
        let phys = physical_type(ty);
        if let Some((width, mut data)) = fixed_width_column(&phys) {
            append_fixed(&mut data, cur.bytes(column_bytes(rows, width)?)?);
            return Ok(Column::from_parts(ty.clone(), data));
        }
        let data = match &*phys {
            DataType::Uuid => {
                // Two little-endian u64 halves, high half first.
                let raw = cur.bytes(rows * 16)?;
                ColumnData::U128(
                    raw.chunks_exact(16)
                        .map(|c| {
                            let hi = <u64 as FixedLe>::from_le(&c[..8]);
                            let lo = <u64 as FixedLe>::from_le(&c[8..]);
                            (u128::from(hi) << 64) | u128::from(lo)
                        })
                        .collect(),
                )
            }
            DataType::String if self.strings == StringLayout::Offsets => {
                ColumnData::String(self.read_offset_strings(cur, rows)?)
            }
            DataType::String => ColumnData::String(self.read_strings(cur, rows)?),
            DataType::Nothing => {
                // One placeholder byte per row.
                cur.bytes(rows)?;
                ColumnData::Nothing(rows)
            }
            DataType::Nullable(t) => {
                let nulls = cur.bytes(rows)?.to_vec();
                let inner = self.read_data(cur, t, prefix, rows, depth + 1)?;
                ColumnData::Nullable {
                    nulls,
                    inner: Box::new(inner),
                }
            }
            DataType::Array(t) => {
                let (offsets, total) = read_offsets(cur, rows, self.limits)?;
                let inner = self.read_data(cur, t, prefix, total, depth + 1)?;
                ColumnData::Array {
                    offsets,
                    inner: Box::new(inner),
                }
            }
            DataType::Tuple(els) if els.is_empty() => {
                // `Tuple()`: one placeholder byte per row, like `Nothing` (what the server sends).
                cur.bytes(rows)?;
                ColumnData::Tuple(Vec::new())
            }
            DataType::Tuple(els) => {
                let mut cols = Vec::with_capacity(els.len());
                for (i, e) in els.iter().enumerate() {
                    cols.push(self.read_data(cur, &e.ty, child(i), rows, depth + 1)?);
                }
                ColumnData::Tuple(cols)
            }
            DataType::Map(k, v) => {
                let (offsets, total) = read_offsets(cur, rows, self.limits)?;
                let keys = self.read_data(cur, k, child(0), total, depth + 1)?;
                let values = self.read_data(cur, v, child(1), total, depth + 1)?;
                ColumnData::Map {
                    offsets,
                    keys: Box::new(keys),
                    values: Box::new(values),
                }
            }
            DataType::LowCardinality(inner) => {
                ColumnData::LowCardinality(self.read_low_cardinality(cur, inner, rows, depth)?)
            }
            DataType::Variant(alts) => {
                let Prefix::Variant(pre) = prefix else {
                    return Err(malformed(cur, "missing Variant prefix"));
                };
                ColumnData::Variant(self.read_variant(cur, alts, pre, rows, depth)?)
            }
            DataType::Dynamic { .. } => {
                ColumnData::Dynamic(self.read_dynamic(cur, prefix, rows, depth)?)
            }
            DataType::Json(_) => {
                let Prefix::Json {
                    dynamic_paths,
                    typed,
                    dynamic,
                    as_string,
                } = prefix
                else {
                    return Err(malformed(cur, "missing JSON prefix"));
                };
                if *as_string {
                    // `output_format_native_write_json_as_string`: each row is its JSON text, in
                    // the String layout, so the column is a String column (what the data is).
                    // The varint layout at every revision, as the shared data (the native
                    // protocol's end offsets failed on it at 54492).
                    return self.varint_strings(|r| {
                        r.read_data(cur, &DataType::String, &Prefix::None, rows, depth + 1)
                    });
                }
                let mut typed_cols = Vec::with_capacity(typed.len());
                for (p, t, pre) in typed {
                    typed_cols.push((p.clone(), self.read_data(cur, t, pre, rows, depth + 1)?));
                }
                let dyn_ty = DataType::Dynamic { max_types: None };
                let mut dyn_cols = Vec::with_capacity(dynamic.len());
                for (p, pre) in dynamic_paths.iter().zip(dynamic) {
                    dyn_cols.push((
                        p.clone(),
                        self.read_data(cur, &dyn_ty, pre, rows, depth + 1)?,
                    ));
                }
                let shared_ty = json_shared_data_type();
                // Shared data keeps the varint String layout at every revision.
                let pre = Prefix::Children(vec![Prefix::None, Prefix::None]);
                let shared =
                    self.varint_strings(|r| r.read_data(cur, &shared_ty, &pre, rows, depth + 1))?;
                ColumnData::Json(JsonColumn::new(typed_cols, dyn_cols, shared, rows))
            }
            // `physical_type` reduces the remaining types to the ones above.
            _ => {
                return Err(ReadError::Bad(DecodeError::Unsupported(ty.to_string())));
            }
        };
        Ok(Column::from_parts(ty.clone(), data))
    }

    /// Strings: varint length + bytes each, gathered into one buffer.
    fn read_strings(
        &mut self,
        cur: &mut ByteCursor<'_>,
        rows: usize,
    ) -> Result<StringColumn, ReadError> {
        /// Strings up to this long are copied as one fixed-size move (when the input and the
        /// output have room), which is much cheaper than a `memcpy` call per short string.
        const SHORT: usize = 16;
        let buf = cur.remaining();
        // Every value takes at least one byte, so the remaining input bounds the allocation.
        let mut offsets = Vec::with_capacity(rows.min(buf.len()));
        let mut data = Vec::with_capacity(buf.len().min(rows.saturating_mul(16)) + SHORT);
        let max_len = self.limits.max_string_len;
        let mut pos = 0;
        for _ in 0..rows {
            let (len, header) = match buf.get(pos) {
                Some(&b) if b < 0x80 => (u64::from(b), 1),
                Some(_) => {
                    let mut varint = ByteCursor::new(&buf[pos..]);
                    let len = varint
                        .varuint()
                        .map_err(|e| e.shifted(cur.position() + pos))?;
                    (len, varint.position())
                }
                None => return Err(ReadError::Short(1)),
            };
            if len > max_len {
                return Err(ReadError::Bad(DecodeError::LimitExceeded {
                    what: "string length",
                    value: len,
                    limit: max_len,
                }));
            }
            let start = pos + header;
            let end = start + len as usize;
            if end > buf.len() {
                return Err(ReadError::Short(end - buf.len()));
            }
            if len as usize <= SHORT && start + SHORT <= buf.len() {
                let at = data.len();
                let chunk: &[u8; SHORT] = buf[start..start + SHORT]
                    .try_into()
                    .expect("slice of SHORT bytes");
                data.extend_from_slice(chunk);
                data.truncate(at + len as usize);
            } else {
                data.extend_from_slice(&buf[start..end]);
            }
            offsets.push(data.len() as u64);
            pos = end;
        }
        cur.bytes(pos)?;
        Ok(StringColumn { data, offsets })
    }

    /// Runs `read` with the varint `String` layout, which `LowCardinality` dictionaries and
    /// `JSON` shared data keep at every revision (verified in 54492 captures).
    fn varint_strings<T>(&mut self, read: impl FnOnce(&mut Self) -> T) -> T {
        let strings = std::mem::replace(&mut self.strings, StringLayout::Varint);
        let out = read(self);
        self.strings = strings;
        out
    }

    /// Strings as every value's u64 end offset, then all the bytes (TCP from 54492).
    fn read_offset_strings(
        &mut self,
        cur: &mut ByteCursor<'_>,
        rows: usize,
    ) -> Result<StringColumn, ReadError> {
        let offsets: Vec<u64> = read_fixed(cur, rows)?;
        let total = check_string_offsets(&offsets, self.limits.max_string_len)
            .map_err(|reason| malformed(cur, reason))?;
        let data = cur.bytes(total)?.to_vec();
        Ok(StringColumn { data, offsets })
    }

    fn read_low_cardinality(
        &mut self,
        cur: &mut ByteCursor<'_>,
        inner: &DataType,
        rows: usize,
        depth: u32,
    ) -> Result<LowCardinalityColumn, ReadError> {
        let dict_ty = strip_nullable(inner);
        if rows == 0 {
            // The server writes nothing for an empty granule.
            return Ok(LowCardinalityColumn {
                dictionary: Box::new(Column::empty(dict_ty)),
                indices: LowCardinalityIndices::U8(Vec::new()),
            });
        }
        let flags = read_u64_le(cur)?;
        if flags & LC_NEED_GLOBAL_DICTIONARY != 0 || flags & LC_HAS_ADDITIONAL_KEYS == 0 {
            return Err(ReadError::Bad(DecodeError::Unsupported(
                "LowCardinality with a global dictionary".into(),
            )));
        }
        let num_keys = read_u64_le(cur)?;
        if num_keys > self.limits.max_collection_len {
            return Err(limit(
                "LowCardinality dictionary size",
                num_keys,
                self.limits.max_collection_len,
            ));
        }
        // Dictionaries keep the varint String layout at every revision.
        let dictionary = self.varint_strings(|r| {
            r.read_data(cur, dict_ty, &Prefix::None, num_keys as usize, depth + 1)
        })?;
        let num_indices = read_u64_le(cur)?;
        if num_indices != rows as u64 {
            return Err(malformed(
                cur,
                format!("LowCardinality has {num_indices} indices for {rows} rows"),
            ));
        }
        let indices = match flags & 0xff {
            0 => LowCardinalityIndices::U8(read_fixed(cur, rows)?),
            1 => LowCardinalityIndices::U16(read_fixed(cur, rows)?),
            2 => LowCardinalityIndices::U32(read_fixed(cur, rows)?),
            3 => LowCardinalityIndices::U64(read_fixed(cur, rows)?),
            t => return Err(malformed(cur, format!("LowCardinality index type {t}"))),
        };
        for i in 0..indices.len() {
            if indices.get(i).unwrap_or(0) as u64 >= num_keys {
                return Err(malformed(cur, "LowCardinality index out of range"));
            }
        }
        Ok(LowCardinalityColumn {
            dictionary: Box::new(dictionary),
            indices,
        })
    }

    fn read_variant(
        &mut self,
        cur: &mut ByteCursor<'_>,
        alts: &[DataType],
        prefixes: &[Prefix],
        rows: usize,
        depth: u32,
    ) -> Result<VariantColumn, ReadError> {
        let discriminators = cur.bytes(rows)?.to_vec();
        let mut counts = vec![0usize; alts.len()];
        for &d in &discriminators {
            if d == crate::column::NULL_DISCRIMINATOR {
                continue;
            }
            match counts.get_mut(d as usize) {
                Some(c) => *c += 1,
                None => return Err(malformed(cur, format!("Variant discriminator {d}"))),
            }
        }
        let none = Prefix::None;
        let mut variants = Vec::with_capacity(alts.len());
        for (i, t) in alts.iter().enumerate() {
            let pre = prefixes.get(i).unwrap_or(&none);
            variants.push(self.read_data(cur, t, pre, counts[i], depth + 1)?);
        }
        VariantColumn::new(discriminators, variants).map_err(ReadError::Bad)
    }

    fn read_dynamic(
        &mut self,
        cur: &mut ByteCursor<'_>,
        prefix: &Prefix,
        rows: usize,
        depth: u32,
    ) -> Result<DynamicColumn, ReadError> {
        let Prefix::Dynamic {
            names,
            types,
            variant,
        } = prefix
        else {
            return Err(malformed(cur, "missing Dynamic prefix"));
        };
        let variant = self.read_variant(cur, types, variant, rows, depth)?;
        Ok(DynamicColumn {
            names: names.clone(),
            types: types.clone(),
            variant,
        })
    }
}
