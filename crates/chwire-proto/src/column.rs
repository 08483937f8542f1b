//! [`Column`]: column-oriented storage for one ClickHouse column, the unit the Native codec
//! reads and writes.
//!
//! Storage follows the wire layout so decoding is mostly bulk copies: fixed-width types live in
//! typed vectors (several logical types share one physical vector: `Enum8` is an `i8`,
//! `DateTime` a `u32`, `Decimal(9, _)` an `i32`), strings in one contiguous data buffer plus end
//! offsets, arrays as cumulative `u64` offsets over one inner column. The [`DataType`] kept next
//! to the data decides how [`Column::get`] turns a row into a [`Value`].

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::rowbinary::decode_value;
use crate::types::decimal_size;
use crate::value::{I256, Point, U256};
use crate::wire::{ByteCursor, DecodeLimits, ReadError};
use crate::{DataType, DecodeError, TupleElement, Value};

/// Discriminator of a NULL row in a `Variant` column.
pub const NULL_DISCRIMINATOR: u8 = 255;

/// One column: its type and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    ty: DataType,
    data: ColumnData,
}

/// The physical storage of a [`Column`]. Which variant a type uses is fixed (see
/// [`Column::empty`]); constructing a mismatched pair is rejected by [`Column::new`].
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// `Int8`, `Enum8`.
    I8(Vec<i8>),
    /// `Int16`, `Enum16`.
    I16(Vec<i16>),
    /// `Int32`, `Date32`, `Time`, `Decimal(1..=9, S)`.
    I32(Vec<i32>),
    /// `Int64`, `DateTime64`, `Time64`, `IntervalXxx`, `Decimal(10..=18, S)`.
    I64(Vec<i64>),
    /// `Int128`, `Decimal(19..=38, S)`.
    I128(Vec<i128>),
    /// `Int256`, `Decimal(39..=76, S)`.
    I256(Vec<I256>),
    /// `UInt8`, `Bool`.
    U8(Vec<u8>),
    /// `UInt16`, `Date`, `BFloat16` (raw bits).
    U16(Vec<u16>),
    /// `UInt32`, `DateTime`, `IPv4` (the address as a big-endian number, `u32::from(addr)`).
    U32(Vec<u32>),
    /// `UInt64`.
    U64(Vec<u64>),
    /// `UInt128`, `UUID` (the UUID as a big-endian number: `u128::from_be_bytes(canonical)`).
    U128(Vec<u128>),
    /// `UInt256`.
    U256(Vec<U256>),
    /// `Float32`.
    F32(Vec<f32>),
    /// `Float64` (also the coordinates inside geo types).
    F64(Vec<f64>),
    /// `String`.
    String(StringColumn),
    /// `FixedString(N)`, `IPv6` (16 bytes in network order).
    FixedString(FixedStringColumn),
    /// `Nothing`: no data, only a row count.
    Nothing(usize),
    /// `Nullable(T)`: a null map (1 = NULL) and the inner column (which holds a default value
    /// in NULL rows), exactly as on the wire.
    Nullable {
        /// One byte per row: 1 for NULL, 0 otherwise.
        nulls: Vec<u8>,
        /// One value per row, a default value in NULL rows.
        inner: Box<Column>,
    },
    /// `Array(T)` and the types stored as arrays (`Nested`, `Ring`, `LineString`, `Polygon`,
    /// `MultiLineString`, `MultiPolygon`): cumulative end offsets and the flattened elements.
    Array {
        /// Per row, the end of its elements in `inner` (cumulative, so the last is `inner.len()`).
        offsets: Vec<u64>,
        /// Every row's elements back to back.
        inner: Box<Column>,
    },
    /// `Tuple(...)`, `Point` and `QBit` (one `FixedString` bit plane per element bit).
    Tuple(Vec<Column>),
    /// `Map(K, V)`: cumulative end offsets over the flattened key and value columns.
    Map {
        /// Per row, the end of its entries in `keys` and `values` (cumulative).
        offsets: Vec<u64>,
        /// Every row's keys back to back.
        keys: Box<Column>,
        /// Every row's values, parallel to `keys`.
        values: Box<Column>,
    },
    /// `LowCardinality(T)`.
    LowCardinality(LowCardinalityColumn),
    /// `Variant(...)`.
    Variant(VariantColumn),
    /// `Dynamic`.
    Dynamic(DynamicColumn),
    /// `JSON`.
    Json(JsonColumn),
}

/// `String` values: one contiguous buffer and the end offset of every value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StringColumn {
    /// Every value's bytes back to back.
    pub data: Vec<u8>,
    /// `offsets[i]` is the end of value `i` in `data`; value `i` starts at `offsets[i - 1]`.
    pub offsets: Vec<u64>,
}

impl StringColumn {
    /// Number of values.
    #[inline]
    pub fn len(&self) -> usize {
        self.offsets.len()
    }
    /// True when there are no values.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }
    /// The bytes of value `i`.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let end = *self.offsets.get(i)? as usize;
        let start = if i == 0 {
            0
        } else {
            self.offsets[i - 1] as usize
        };
        self.data.get(start..end)
    }
    /// Appends one value.
    #[inline]
    pub fn push(&mut self, s: &[u8]) {
        self.data.extend_from_slice(s);
        self.offsets.push(self.data.len() as u64);
    }
    /// Each value's bytes, in row order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or_default())
    }
}

/// `FixedString(N)` values: `len * width` contiguous bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixedStringColumn {
    /// Bytes per value: the N of `FixedString(N)`.
    pub width: usize,
    /// Every value back to back, `width` bytes each.
    pub data: Vec<u8>,
}

impl FixedStringColumn {
    /// An empty column of `width`-byte values.
    pub fn new(width: usize) -> Self {
        FixedStringColumn {
            width,
            data: Vec::new(),
        }
    }
    /// Number of values (0 when `width` is 0).
    #[inline]
    pub fn len(&self) -> usize {
        self.data.len().checked_div(self.width).unwrap_or(0)
    }
    /// True when there are no values.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    /// The bytes of value `i`, or `None` past the end.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.data.get(i * self.width..(i + 1) * self.width)
    }
}

/// Indices into a `LowCardinality` dictionary, kept at the width the wire used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LowCardinalityIndices {
    /// One byte per row (the wire's smallest index width).
    U8(Vec<u8>),
    /// Two bytes per row.
    U16(Vec<u16>),
    /// Four bytes per row.
    U32(Vec<u32>),
    /// Eight bytes per row.
    U64(Vec<u64>),
}

impl LowCardinalityIndices {
    /// Number of rows.
    #[inline]
    pub fn len(&self) -> usize {
        match self {
            Self::U8(v) => v.len(),
            Self::U16(v) => v.len(),
            Self::U32(v) => v.len(),
            Self::U64(v) => v.len(),
        }
    }
    /// True when there are no rows.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The dictionary position of row `i`, or `None` past the end.
    #[inline]
    pub fn get(&self, i: usize) -> Option<usize> {
        Some(match self {
            Self::U8(v) => *v.get(i)? as usize,
            Self::U16(v) => *v.get(i)? as usize,
            Self::U32(v) => *v.get(i)? as usize,
            Self::U64(v) => *v.get(i)? as usize,
        })
    }
    /// Builds indices at the narrowest width that holds `max`.
    pub fn from_u64(values: Vec<u64>, max: u64) -> Self {
        if max <= u8::MAX as u64 {
            Self::U8(values.into_iter().map(|v| v as u8).collect())
        } else if max <= u16::MAX as u64 {
            Self::U16(values.into_iter().map(|v| v as u16).collect())
        } else if max <= u32::MAX as u64 {
            Self::U32(values.into_iter().map(|v| v as u32).collect())
        } else {
            Self::U64(values)
        }
    }
    fn push(&mut self, idx: usize) {
        let fits = match self {
            Self::U8(_) => idx <= u8::MAX as usize,
            Self::U16(_) => idx <= u16::MAX as usize,
            Self::U32(_) => idx <= u32::MAX as usize,
            Self::U64(_) => true,
        };
        if !fits {
            let all: Vec<u64> = (0..self.len())
                .map(|i| self.get(i).unwrap_or(0) as u64)
                .collect();
            *self = Self::from_u64(all, idx as u64);
        }
        match self {
            Self::U8(v) => v.push(idx as u8),
            Self::U16(v) => v.push(idx as u16),
            Self::U32(v) => v.push(idx as u32),
            Self::U64(v) => v.push(idx as u64),
        }
    }
}

/// `LowCardinality(T)`: a dictionary of distinct values and one index per row.
///
/// The dictionary has type `T` with any `Nullable` stripped; for `LowCardinality(Nullable(T))`
/// index 0 means NULL (the server puts a placeholder default value there).
#[derive(Debug, Clone, PartialEq)]
pub struct LowCardinalityColumn {
    /// The distinct values, typed as `T` with any `Nullable` stripped.
    pub dictionary: Box<Column>,
    /// Per row, the position of its value in `dictionary`.
    pub indices: LowCardinalityIndices,
}

/// `Variant(...)`: one discriminator per row (index into the variant list, or
/// [`NULL_DISCRIMINATOR`]) and one column per alternative holding only that alternative's rows.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantColumn {
    /// Per row, the index of its alternative in `variants`, or [`NULL_DISCRIMINATOR`].
    pub discriminators: Vec<u8>,
    /// Row of each row within its alternative's column (0 for NULL rows); derived from
    /// `discriminators`, kept so random access is O(1).
    pub offsets: Vec<u64>,
    /// One column per alternative, in the type's order, holding only that alternative's rows.
    pub variants: Vec<Column>,
}

impl VariantColumn {
    /// Builds the per-row offsets from the discriminators; fails when the alternatives'
    /// lengths disagree with the discriminator counts.
    pub fn new(discriminators: Vec<u8>, variants: Vec<Column>) -> Result<Self, DecodeError> {
        let mut counts = vec![0u64; variants.len()];
        let mut offsets = Vec::with_capacity(discriminators.len());
        for &d in &discriminators {
            if d == NULL_DISCRIMINATOR {
                offsets.push(0);
                continue;
            }
            let c = counts
                .get_mut(d as usize)
                .ok_or_else(|| bad_shape("Variant", format!("discriminator {d} out of range")))?;
            offsets.push(*c);
            *c += 1;
        }
        for (c, v) in counts.iter().zip(&variants) {
            if *c != v.len() as u64 {
                return Err(bad_shape(
                    "Variant",
                    "alternative length does not match discriminators".into(),
                ));
            }
        }
        Ok(VariantColumn {
            discriminators,
            offsets,
            variants,
        })
    }
}

/// Name of the catch-all alternative inside a `Dynamic` column.
pub const SHARED_VARIANT: &str = "SharedVariant";

/// `Dynamic`: a `Variant` over the types present in this column plus `SharedVariant` (a
/// `String` column holding values of further types as binary-encoded type + value).
#[derive(Debug, Clone, PartialEq)]
pub struct DynamicColumn {
    /// Type names of the alternatives, sorted by name as the server orders them, including
    /// [`SHARED_VARIANT`]; `types[i]` is the parsed form (`String` for `SharedVariant`).
    pub names: Vec<String>,
    /// The parsed type of each alternative, parallel to `names`.
    pub types: Vec<DataType>,
    /// The rows, as a `Variant` over `types`.
    pub variant: VariantColumn,
}

impl DynamicColumn {
    /// Index of `SharedVariant` among the alternatives.
    pub fn shared_index(&self) -> Option<usize> {
        self.names.iter().position(|n| n == SHARED_VARIANT)
    }
    fn empty() -> Self {
        DynamicColumn {
            names: vec![SHARED_VARIANT.to_string()],
            types: vec![DataType::String],
            variant: VariantColumn {
                discriminators: Vec::new(),
                offsets: Vec::new(),
                variants: vec![Column::empty(&DataType::String)],
            },
        }
    }
}

/// `JSON`: typed paths (sorted by path), dynamic paths (each a `Dynamic` column, sorted by
/// path) and the shared data column `Array(Tuple(String, String))` holding the remaining
/// paths as (path, binary-encoded dynamic value) pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonColumn {
    /// One column per path declared in the type (`JSON(a.b UInt32)`), sorted by path.
    pub typed_paths: Vec<(String, Column)>,
    /// One `Dynamic` column per path stored on its own, sorted by path.
    pub dynamic_paths: Vec<(String, Column)>,
    /// `Array(Tuple(paths String, values String))`: per row, the remaining paths and their
    /// binary-encoded type + value.
    pub shared_data: Box<Column>,
    rows: usize,
}

impl JsonColumn {
    /// Assembles a column of `rows` rows from its parts; the parts are not checked against `rows`.
    pub fn new(
        typed_paths: Vec<(String, Column)>,
        dynamic_paths: Vec<(String, Column)>,
        shared_data: Column,
        rows: usize,
    ) -> Self {
        JsonColumn {
            typed_paths,
            dynamic_paths,
            shared_data: Box::new(shared_data),
            rows,
        }
    }
    /// Number of rows.
    #[inline]
    pub fn len(&self) -> usize {
        self.rows
    }
    /// True when there are no rows.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }
}

/// The type of the shared-data column of `JSON`.
pub(crate) fn json_shared_data_type() -> DataType {
    DataType::Array(Box::new(DataType::Tuple(vec![
        TupleElement {
            name: Some("paths".into()),
            ty: DataType::String,
        },
        TupleElement {
            name: Some("values".into()),
            ty: DataType::String,
        },
    ])))
}

/// Number of bits per element of a `QBit` element type.
pub(crate) fn qbit_bits(element: &DataType) -> Option<usize> {
    match element {
        DataType::BFloat16 => Some(16),
        DataType::Float32 => Some(32),
        DataType::Float64 => Some(64),
        _ => None,
    }
}

/// The type whose wire layout (and storage) `ty` shares: geo types are arrays/tuples of
/// `Float64`, `Nested` is an array of tuples, `SimpleAggregateFunction` is its argument type,
/// `QBit` is a tuple of bit planes.
pub fn physical_type(ty: &DataType) -> Cow<'_, DataType> {
    fn arr(t: DataType) -> DataType {
        DataType::Array(Box::new(t))
    }
    Cow::Owned(match ty {
        DataType::SimpleAggregateFunction { ty, .. } => return physical_type(ty),
        DataType::Point => DataType::Tuple(vec![
            TupleElement {
                name: None,
                ty: DataType::Float64,
            },
            TupleElement {
                name: None,
                ty: DataType::Float64,
            },
        ]),
        DataType::Ring | DataType::LineString => arr(DataType::Point),
        DataType::MultiLineString => arr(DataType::LineString),
        DataType::Polygon => arr(DataType::Ring),
        DataType::MultiPolygon => arr(DataType::Polygon),
        DataType::Nested(fields) => arr(DataType::Tuple(
            fields
                .iter()
                .map(|(n, t)| TupleElement {
                    name: Some(n.clone()),
                    ty: t.clone(),
                })
                .collect(),
        )),
        DataType::QBit { element, dimension } => {
            let bits = qbit_bits(element).unwrap_or(0);
            let width = (*dimension as usize).div_ceil(8);
            DataType::Tuple(
                (0..bits)
                    .map(|_| TupleElement {
                        name: None,
                        ty: DataType::FixedString(width),
                    })
                    .collect(),
            )
        }
        _ => return Cow::Borrowed(ty),
    })
}

fn bad_shape(ty: &str, reason: String) -> DecodeError {
    DecodeError::TypeMismatch {
        ty: ty.to_string(),
        reason,
    }
}

fn mismatch(ty: &DataType, v: &Value) -> DecodeError {
    DecodeError::TypeMismatch {
        ty: ty.to_string(),
        reason: format!("cannot store {v:?}"),
    }
}

/// Strips `Nullable` (the dictionary type of a `LowCardinality`).
pub(crate) fn strip_nullable(ty: &DataType) -> &DataType {
    match ty {
        DataType::Nullable(t) => t,
        t => t,
    }
}

macro_rules! typed_slices {
    ($($name:ident => $variant:ident: $t:ty),* $(,)?) => {$(
        #[doc = concat!("The values as `&[", stringify!($t), "]` when this column is stored that way.")]
        pub fn $name(&self) -> Option<&[$t]> {
            match &self.data {
                ColumnData::$variant(v) => Some(v),
                _ => None,
            }
        }
    )*};
}

impl Column {
    /// Pairs a type with storage, checking the storage variant fits the type (shallowly).
    pub fn new(ty: DataType, data: ColumnData) -> Result<Column, DecodeError> {
        let expected = Column::empty(&ty);
        if std::mem::discriminant(&expected.data) != std::mem::discriminant(&data) {
            return Err(bad_shape(
                &ty.to_string(),
                "storage does not match the type".into(),
            ));
        }
        Ok(Column { ty, data })
    }

    /// Pairs a type with storage without checking; for codecs that built `data` from `ty`.
    pub(crate) fn from_parts(ty: DataType, data: ColumnData) -> Column {
        Column { ty, data }
    }

    /// An empty column of `ty`.
    pub fn empty(ty: &DataType) -> Column {
        let phys = physical_type(ty);
        let data = match &*phys {
            DataType::Int8 | DataType::Enum8(_) => ColumnData::I8(Vec::new()),
            DataType::Int16 | DataType::Enum16(_) => ColumnData::I16(Vec::new()),
            DataType::Int32 | DataType::Date32 | DataType::Time => ColumnData::I32(Vec::new()),
            DataType::Int64 | DataType::DateTime64(..) | DataType::Time64(_) => {
                ColumnData::I64(Vec::new())
            }
            DataType::Interval(_) => ColumnData::I64(Vec::new()),
            DataType::Int128 => ColumnData::I128(Vec::new()),
            DataType::Int256 => ColumnData::I256(Vec::new()),
            DataType::Decimal { precision, .. } => match decimal_size(*precision) {
                4 => ColumnData::I32(Vec::new()),
                8 => ColumnData::I64(Vec::new()),
                16 => ColumnData::I128(Vec::new()),
                _ => ColumnData::I256(Vec::new()),
            },
            DataType::UInt8 | DataType::Bool => ColumnData::U8(Vec::new()),
            DataType::UInt16 | DataType::Date | DataType::BFloat16 => ColumnData::U16(Vec::new()),
            DataType::UInt32 | DataType::DateTime(_) | DataType::IPv4 => {
                ColumnData::U32(Vec::new())
            }
            DataType::UInt64 => ColumnData::U64(Vec::new()),
            DataType::UInt128 | DataType::Uuid => ColumnData::U128(Vec::new()),
            DataType::UInt256 => ColumnData::U256(Vec::new()),
            DataType::Float32 => ColumnData::F32(Vec::new()),
            DataType::Float64 => ColumnData::F64(Vec::new()),
            DataType::String => ColumnData::String(StringColumn::default()),
            DataType::FixedString(n) => ColumnData::FixedString(FixedStringColumn::new(*n)),
            DataType::IPv6 => ColumnData::FixedString(FixedStringColumn::new(16)),
            DataType::Nothing => ColumnData::Nothing(0),
            DataType::Nullable(t) => ColumnData::Nullable {
                nulls: Vec::new(),
                inner: Box::new(Column::empty(t)),
            },
            DataType::Array(t) => ColumnData::Array {
                offsets: Vec::new(),
                inner: Box::new(Column::empty(t)),
            },
            DataType::Tuple(els) => {
                ColumnData::Tuple(els.iter().map(|e| Column::empty(&e.ty)).collect())
            }
            DataType::Map(k, v) => ColumnData::Map {
                offsets: Vec::new(),
                keys: Box::new(Column::empty(k)),
                values: Box::new(Column::empty(v)),
            },
            DataType::LowCardinality(t) => ColumnData::LowCardinality(LowCardinalityColumn {
                dictionary: Box::new(Column::empty(strip_nullable(t))),
                indices: LowCardinalityIndices::U8(Vec::new()),
            }),
            DataType::Variant(alts) => ColumnData::Variant(VariantColumn {
                discriminators: Vec::new(),
                offsets: Vec::new(),
                variants: alts.iter().map(Column::empty).collect(),
            }),
            DataType::Dynamic { .. } => ColumnData::Dynamic(DynamicColumn::empty()),
            DataType::Json(params) => {
                let mut typed: Vec<(String, Column)> = params
                    .typed_paths
                    .iter()
                    .map(|(p, t)| (p.clone(), Column::empty(t)))
                    .collect();
                typed.sort_by(|a, b| a.0.cmp(&b.0));
                ColumnData::Json(JsonColumn::new(
                    typed,
                    Vec::new(),
                    Column::empty(&json_shared_data_type()),
                    0,
                ))
            }
            // Reduced by `physical_type` to the variants above.
            DataType::Point
            | DataType::Ring
            | DataType::LineString
            | DataType::MultiLineString
            | DataType::Polygon
            | DataType::MultiPolygon
            | DataType::Nested(_)
            | DataType::SimpleAggregateFunction { .. }
            | DataType::QBit { .. } => ColumnData::Nothing(0),
        };
        Column {
            ty: ty.clone(),
            data,
        }
    }

    /// Builds a column from dynamic values (the slow path, for encoding rows).
    pub fn from_values(
        ty: &DataType,
        values: impl IntoIterator<Item = Value>,
    ) -> Result<Column, DecodeError> {
        let values: Vec<Value> = values.into_iter().collect();
        if let DataType::LowCardinality(inner) = ty {
            return Column::low_cardinality_from_values(ty, inner, values);
        }
        let mut c = Column::empty(ty);
        for v in values {
            c.push(v)?;
        }
        Ok(c)
    }

    fn low_cardinality_from_values(
        ty: &DataType,
        inner: &DataType,
        values: Vec<Value>,
    ) -> Result<Column, DecodeError> {
        let nullable = matches!(inner, DataType::Nullable(_));
        let dict_ty = strip_nullable(inner);
        let mut dict = Column::empty(dict_ty);
        // Index 0 is the default value (and stands for NULL when nullable), as the server does.
        dict.push_default();
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut idx = Vec::with_capacity(values.len());
        for v in values {
            if v.is_null() {
                if !nullable {
                    return Err(mismatch(ty, &v));
                }
                idx.push(0);
                continue;
            }
            let key = format!("{v:?}");
            let next = dict.len() as u64;
            let i = match seen.get(&key) {
                Some(&i) => i,
                None => {
                    dict.push(v)?;
                    seen.insert(key, next);
                    next
                }
            };
            idx.push(i);
        }
        let max = dict.len() as u64;
        Ok(Column {
            ty: ty.clone(),
            data: ColumnData::LowCardinality(LowCardinalityColumn {
                dictionary: Box::new(dict),
                indices: LowCardinalityIndices::from_u64(idx, max),
            }),
        })
    }

    /// The column's type as given (not its physical storage type).
    #[inline]
    pub fn data_type(&self) -> &DataType {
        &self.ty
    }

    /// The storage, laid out as on the wire.
    #[inline]
    pub fn data(&self) -> &ColumnData {
        &self.data
    }

    /// The storage, dropping the type.
    pub fn into_data(self) -> ColumnData {
        self.data
    }

    /// Number of rows.
    #[inline]
    pub fn len(&self) -> usize {
        match &self.data {
            ColumnData::I8(v) => v.len(),
            ColumnData::I16(v) => v.len(),
            ColumnData::I32(v) => v.len(),
            ColumnData::I64(v) => v.len(),
            ColumnData::I128(v) => v.len(),
            ColumnData::I256(v) => v.len(),
            ColumnData::U8(v) => v.len(),
            ColumnData::U16(v) => v.len(),
            ColumnData::U32(v) => v.len(),
            ColumnData::U64(v) => v.len(),
            ColumnData::U128(v) => v.len(),
            ColumnData::U256(v) => v.len(),
            ColumnData::F32(v) => v.len(),
            ColumnData::F64(v) => v.len(),
            ColumnData::String(s) => s.len(),
            ColumnData::FixedString(s) => s.len(),
            ColumnData::Nothing(n) => *n,
            ColumnData::Nullable { nulls, .. } => nulls.len(),
            ColumnData::Array { offsets, .. } | ColumnData::Map { offsets, .. } => offsets.len(),
            // Elements of `Tuple()` type hold no data and report 0 rows; the others agree.
            ColumnData::Tuple(cols) => cols.iter().map(Column::len).max().unwrap_or(0),
            ColumnData::LowCardinality(lc) => lc.indices.len(),
            ColumnData::Variant(v) => v.discriminators.len(),
            ColumnData::Dynamic(d) => d.variant.discriminators.len(),
            ColumnData::Json(j) => j.rows,
        }
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    typed_slices!(
        as_i8 => I8: i8, as_i16 => I16: i16, as_i32 => I32: i32, as_i64 => I64: i64,
        as_i128 => I128: i128, as_i256 => I256: I256,
        as_u8 => U8: u8, as_u16 => U16: u16, as_u32 => U32: u32, as_u64 => U64: u64,
        as_u128 => U128: u128, as_u256 => U256: U256,
        as_f32 => F32: f32, as_f64 => F64: f64,
    );

    /// The values when stored as [`ColumnData::String`] (a `String` column).
    #[inline]
    pub fn as_strings(&self) -> Option<&StringColumn> {
        match &self.data {
            ColumnData::String(s) => Some(s),
            _ => None,
        }
    }

    /// The values when stored as [`ColumnData::FixedString`] (`FixedString(N)`, `IPv6`).
    pub fn as_fixed_strings(&self) -> Option<&FixedStringColumn> {
        match &self.data {
            ColumnData::FixedString(s) => Some(s),
            _ => None,
        }
    }

    /// For `LowCardinality`, the equivalent full column of the inner type; otherwise a clone.
    pub fn materialize(&self) -> Column {
        match (&self.ty, &self.data) {
            (DataType::LowCardinality(inner), ColumnData::LowCardinality(_)) => {
                let mut out = Column::empty(inner);
                for i in 0..self.len() {
                    // Values come from a dictionary of the matching type, so push cannot fail.
                    let _ = out.push(self.get(i));
                }
                out
            }
            _ => self.clone(),
        }
    }

    /// Row `i` as a [`Value`] (slow path). Out-of-range rows give `Value::Null`, and so do
    /// rows that do not decode (see [`Column::try_get`]).
    ///
    /// `Dynamic` values the server keeps in the shared variant and `JSON` paths it keeps in
    /// shared data (once `max_types` / `max_dynamic_paths` is exceeded; stored as
    /// binary-encoded type + value) are decoded like the others: `Value::Dynamic(type, value)`.
    pub fn get(&self, i: usize) -> Value {
        self.value_at(i).unwrap_or(Value::Null)
    }

    /// Like [`Column::get`], but fails on rows out of range or that do not decode into a
    /// `Value` (a malformed shared `Dynamic` value or `JSON` path).
    pub fn try_get(&self, i: usize) -> Result<Value, DecodeError> {
        if i >= self.len() {
            return Err(bad_shape(
                &self.ty.to_string(),
                format!("row {i} out of range"),
            ));
        }
        self.value_at(i)
    }

    fn value_at(&self, i: usize) -> Result<Value, DecodeError> {
        let oob = || bad_shape("column", format!("row {i} out of range"));
        macro_rules! at {
            ($v:expr) => {
                *$v.get(i).ok_or_else(oob)?
            };
        }
        let phys = physical_type(&self.ty);
        Ok(match (&*phys, &self.data) {
            (DataType::Enum8(_), ColumnData::I8(v)) => Value::Enum8(at!(v)),
            (_, ColumnData::I8(v)) => Value::Int8(at!(v)),
            (DataType::Enum16(_), ColumnData::I16(v)) => Value::Enum16(at!(v)),
            (_, ColumnData::I16(v)) => Value::Int16(at!(v)),
            (DataType::Date32, ColumnData::I32(v)) => Value::Date32(at!(v)),
            (DataType::Time, ColumnData::I32(v)) => Value::Time(at!(v)),
            (DataType::Decimal { .. }, ColumnData::I32(v)) => Value::Decimal(I256::from(at!(v))),
            (_, ColumnData::I32(v)) => Value::Int32(at!(v)),
            (DataType::DateTime64(..), ColumnData::I64(v)) => Value::DateTime64(at!(v)),
            (DataType::Time64(_), ColumnData::I64(v)) => Value::Time64(at!(v)),
            (DataType::Interval(_), ColumnData::I64(v)) => Value::Interval(at!(v)),
            (DataType::Decimal { .. }, ColumnData::I64(v)) => Value::Decimal(I256::from(at!(v))),
            (_, ColumnData::I64(v)) => Value::Int64(at!(v)),
            (DataType::Decimal { .. }, ColumnData::I128(v)) => Value::Decimal(I256::from(at!(v))),
            (_, ColumnData::I128(v)) => Value::Int128(at!(v)),
            (DataType::Decimal { .. }, ColumnData::I256(v)) => Value::Decimal(at!(v)),
            (_, ColumnData::I256(v)) => Value::Int256(at!(v)),
            (DataType::Bool, ColumnData::U8(v)) => Value::Bool(at!(v) != 0),
            (_, ColumnData::U8(v)) => Value::UInt8(at!(v)),
            (DataType::Date, ColumnData::U16(v)) => Value::Date(at!(v)),
            (DataType::BFloat16, ColumnData::U16(v)) => Value::BFloat16(at!(v)),
            (_, ColumnData::U16(v)) => Value::UInt16(at!(v)),
            (DataType::DateTime(_), ColumnData::U32(v)) => Value::DateTime(at!(v)),
            (DataType::IPv4, ColumnData::U32(v)) => Value::IPv4(Ipv4Addr::from(at!(v))),
            (_, ColumnData::U32(v)) => Value::UInt32(at!(v)),
            (_, ColumnData::U64(v)) => Value::UInt64(at!(v)),
            (DataType::Uuid, ColumnData::U128(v)) => Value::Uuid(at!(v).to_be_bytes()),
            (_, ColumnData::U128(v)) => Value::UInt128(at!(v)),
            (_, ColumnData::U256(v)) => Value::UInt256(at!(v)),
            (_, ColumnData::F32(v)) => Value::Float32(at!(v)),
            (_, ColumnData::F64(v)) => Value::Float64(at!(v)),
            (_, ColumnData::String(s)) => Value::String(s.get(i).ok_or_else(oob)?.to_vec()),
            (DataType::IPv6, ColumnData::FixedString(s)) => {
                let b: [u8; 16] = s.get(i).ok_or_else(oob)?.try_into().map_err(|_| oob())?;
                Value::IPv6(Ipv6Addr::from(b))
            }
            (_, ColumnData::FixedString(s)) => {
                Value::FixedString(s.get(i).ok_or_else(oob)?.to_vec())
            }
            (_, ColumnData::Nothing(_)) => Value::Null,
            (_, ColumnData::Nullable { nulls, inner }) => {
                if at!(nulls) != 0 {
                    Value::Null
                } else {
                    inner.value_at(i)?
                }
            }
            (_, ColumnData::Array { offsets, inner }) => {
                let (start, end) = range(offsets, i).ok_or_else(oob)?;
                let items = (start..end)
                    .map(|j| inner.value_at(j))
                    .collect::<Result<Vec<_>, _>>()?;
                match &self.ty {
                    DataType::Ring => Value::Ring(points(items)),
                    DataType::LineString => Value::LineString(points(items)),
                    DataType::MultiLineString => Value::MultiLineString(point_lists(items)),
                    DataType::Polygon => Value::Polygon(point_lists(items)),
                    DataType::MultiPolygon => Value::MultiPolygon(
                        items
                            .into_iter()
                            .map(|p| match p {
                                Value::Polygon(r) => r,
                                _ => Vec::new(),
                            })
                            .collect(),
                    ),
                    _ => Value::Array(items),
                }
            }
            (_, ColumnData::Tuple(cols)) => {
                let items = cols
                    .iter()
                    .map(|c| c.value_at(i))
                    .collect::<Result<Vec<_>, _>>()?;
                match &self.ty {
                    DataType::Point => match items.as_slice() {
                        [Value::Float64(x), Value::Float64(y)] => {
                            Value::Point(Point { x: *x, y: *y })
                        }
                        _ => return Err(oob()),
                    },
                    DataType::QBit { element, dimension } => {
                        qbit_value(element, *dimension as usize, cols, i)
                    }
                    _ => Value::Tuple(items),
                }
            }
            (
                _,
                ColumnData::Map {
                    offsets,
                    keys,
                    values,
                },
            ) => {
                let (start, end) = range(offsets, i).ok_or_else(oob)?;
                Value::Map(
                    (start..end)
                        .map(|j| Ok((keys.value_at(j)?, values.value_at(j)?)))
                        .collect::<Result<Vec<_>, DecodeError>>()?,
                )
            }
            (DataType::LowCardinality(inner), ColumnData::LowCardinality(lc)) => {
                let k = lc.indices.get(i).ok_or_else(oob)?;
                if k == 0 && matches!(**inner, DataType::Nullable(_)) {
                    Value::Null
                } else {
                    lc.dictionary.value_at(k)?
                }
            }
            (_, ColumnData::Variant(v)) => {
                let d = at!(v.discriminators);
                if d == NULL_DISCRIMINATOR {
                    Value::Null
                } else {
                    let col = v.variants.get(d as usize).ok_or_else(oob)?;
                    Value::Variant(d, Box::new(col.value_at(at!(v.offsets) as usize)?))
                }
            }
            (_, ColumnData::Dynamic(dy)) => {
                let d = at!(dy.variant.discriminators);
                if d == NULL_DISCRIMINATOR {
                    Value::Null
                } else {
                    let col = dy.variant.variants.get(d as usize).ok_or_else(oob)?;
                    let row = at!(dy.variant.offsets) as usize;
                    if dy.names.get(d as usize).map(String::as_str) == Some(SHARED_VARIANT) {
                        shared_value(col.as_strings().and_then(|s| s.get(row)).ok_or_else(oob)?)?
                    } else {
                        let ty = dy.types.get(d as usize).ok_or_else(oob)?;
                        Value::Dynamic(Box::new(ty.clone()), Box::new(col.value_at(row)?))
                    }
                }
            }
            (_, ColumnData::Json(j)) => {
                let mut out = Vec::new();
                for (p, c) in &j.typed_paths {
                    out.push((p.clone(), c.value_at(i)?));
                }
                for (p, c) in &j.dynamic_paths {
                    let v = c.value_at(i)?;
                    if !v.is_null() {
                        out.push((p.clone(), v));
                    }
                }
                push_shared_paths(&j.shared_data, i, &mut out)?;
                out.sort_by(|a, b| a.0.cmp(&b.0));
                Value::Json(out)
            }
            _ => {
                return Err(bad_shape(
                    &self.ty.to_string(),
                    "storage does not match the type".into(),
                ));
            }
        })
    }

    /// Appends the type's default value (zero, empty, or NULL where allowed).
    pub fn push_default(&mut self) {
        let v = default_value(&self.ty);
        // Defaults are always storable.
        let _ = self.push(v);
    }

    /// Appends one value. Fails (leaving the column unchanged for scalar types) when the value
    /// does not fit the type.
    pub fn push(&mut self, v: Value) -> Result<(), DecodeError> {
        let ty = self.ty.clone();
        let phys = physical_type(&ty).into_owned();
        let err = |v: &Value| mismatch(&ty, v);
        match (&phys, &mut self.data, v) {
            (_, ColumnData::I8(c), Value::Int8(x) | Value::Enum8(x)) => c.push(x),
            (_, ColumnData::I16(c), Value::Int16(x) | Value::Enum16(x)) => c.push(x),
            (DataType::Decimal { .. }, ColumnData::I32(c), Value::Decimal(x)) => {
                c.push(i32::try_from(x).map_err(|_| err(&Value::Decimal(x)))?)
            }
            (_, ColumnData::I32(c), Value::Int32(x) | Value::Date32(x) | Value::Time(x)) => {
                c.push(x)
            }
            (DataType::Decimal { .. }, ColumnData::I64(c), Value::Decimal(x)) => {
                c.push(i64::try_from(x).map_err(|_| err(&Value::Decimal(x)))?)
            }
            (
                _,
                ColumnData::I64(c),
                Value::Int64(x) | Value::DateTime64(x) | Value::Time64(x) | Value::Interval(x),
            ) => c.push(x),
            (DataType::Decimal { .. }, ColumnData::I128(c), Value::Decimal(x)) => {
                c.push(i128::try_from(x).map_err(|_| err(&Value::Decimal(x)))?)
            }
            (_, ColumnData::I128(c), Value::Int128(x)) => c.push(x),
            (_, ColumnData::I256(c), Value::Int256(x) | Value::Decimal(x)) => c.push(x),
            (_, ColumnData::U8(c), Value::UInt8(x)) => c.push(x),
            (_, ColumnData::U8(c), Value::Bool(x)) => c.push(x as u8),
            (_, ColumnData::U16(c), Value::UInt16(x) | Value::Date(x) | Value::BFloat16(x)) => {
                c.push(x)
            }
            (_, ColumnData::U32(c), Value::UInt32(x) | Value::DateTime(x)) => c.push(x),
            (_, ColumnData::U32(c), Value::IPv4(a)) => c.push(u32::from(a)),
            (_, ColumnData::U64(c), Value::UInt64(x)) => c.push(x),
            (_, ColumnData::U128(c), Value::UInt128(x)) => c.push(x),
            (_, ColumnData::U128(c), Value::Uuid(b)) => c.push(u128::from_be_bytes(b)),
            (_, ColumnData::U256(c), Value::UInt256(x)) => c.push(x),
            (_, ColumnData::F32(c), Value::Float32(x)) => c.push(x),
            (_, ColumnData::F64(c), Value::Float64(x)) => c.push(x),
            (_, ColumnData::String(c), Value::String(s)) => c.push(&s),
            (_, ColumnData::FixedString(c), Value::IPv6(a)) if c.width == 16 => {
                c.data.extend_from_slice(&a.octets())
            }
            (_, ColumnData::FixedString(c), Value::FixedString(s) | Value::String(s)) => {
                if s.len() > c.width {
                    return Err(err(&Value::FixedString(s)));
                }
                c.data.extend_from_slice(&s);
                c.data.resize(c.data.len() + c.width - s.len(), 0);
            }
            (_, ColumnData::Nothing(n), Value::Null) => *n += 1,
            (_, ColumnData::Nullable { nulls, inner }, v) => {
                if v.is_null() {
                    inner.push_default();
                    nulls.push(1);
                } else {
                    inner.push(v)?;
                    nulls.push(0);
                }
            }
            (_, ColumnData::Array { offsets, inner }, v) => {
                let items: Vec<Value> = match v {
                    Value::Array(items) => items,
                    Value::Ring(p) | Value::LineString(p) => {
                        p.into_iter().map(Value::Point).collect()
                    }
                    Value::MultiLineString(l) => l.into_iter().map(Value::LineString).collect(),
                    Value::Polygon(r) => r.into_iter().map(Value::Ring).collect(),
                    Value::MultiPolygon(p) => p.into_iter().map(Value::Polygon).collect(),
                    v => return Err(err(&v)),
                };
                for item in items {
                    inner.push(item)?;
                }
                offsets.push(inner.len() as u64);
            }
            (DataType::Tuple(_), ColumnData::Tuple(cols), v) => {
                let items: Vec<Value> = match (&ty, v) {
                    (DataType::Point, Value::Point(p)) => {
                        vec![Value::Float64(p.x), Value::Float64(p.y)]
                    }
                    (DataType::QBit { element, dimension }, Value::QBit(items))
                    | (DataType::QBit { element, dimension }, Value::Array(items)) => {
                        return push_qbit(element, *dimension as usize, cols, &items)
                            .map_err(|_| err(&Value::QBit(items)));
                    }
                    (_, Value::Tuple(items)) if items.len() == cols.len() => items,
                    (_, v) => return Err(err(&v)),
                };
                for (c, item) in cols.iter_mut().zip(items) {
                    c.push(item)?;
                }
            }
            (
                _,
                ColumnData::Map {
                    offsets,
                    keys,
                    values,
                },
                Value::Map(pairs),
            ) => {
                for (k, v) in pairs {
                    keys.push(k)?;
                    values.push(v)?;
                }
                offsets.push(keys.len() as u64);
            }
            (DataType::LowCardinality(inner), ColumnData::LowCardinality(lc), v) => {
                let nullable = matches!(**inner, DataType::Nullable(_));
                if lc.dictionary.is_empty() {
                    lc.dictionary.push_default();
                }
                if v.is_null() {
                    if !nullable {
                        return Err(err(&v));
                    }
                    lc.indices.push(0);
                } else {
                    // Reuse the last dictionary entry when equal; duplicates are allowed on the
                    // wire, `from_values` deduplicates fully.
                    let last = lc.dictionary.len() - 1;
                    if last > 0 && lc.dictionary.get(last) == v {
                        lc.indices.push(last);
                    } else {
                        lc.dictionary.push(v)?;
                        lc.indices.push(last + 1);
                    }
                }
            }
            (_, ColumnData::Variant(var), v) => match v {
                Value::Null => {
                    var.discriminators.push(NULL_DISCRIMINATOR);
                    var.offsets.push(0);
                }
                Value::Variant(d, inner) => {
                    let col = var
                        .variants
                        .get_mut(d as usize)
                        .ok_or_else(|| err(&Value::Variant(d, inner.clone())))?;
                    let row = col.len() as u64;
                    col.push(*inner)?;
                    var.discriminators.push(d);
                    var.offsets.push(row);
                }
                v => return Err(err(&v)),
            },
            (_, ColumnData::Dynamic(dy), v) => match v {
                Value::Null => {
                    dy.variant.discriminators.push(NULL_DISCRIMINATOR);
                    dy.variant.offsets.push(0);
                }
                Value::Dynamic(t, inner) => {
                    let name = t.to_string();
                    let d = match dy.names.iter().position(|n| *n == name) {
                        Some(d) => d,
                        None => dynamic_add_type(dy, name, *t.clone())
                            .map_err(|_| err(&Value::Dynamic(t.clone(), inner.clone())))?,
                    };
                    let col = &mut dy.variant.variants[d];
                    let row = col.len() as u64;
                    col.push(*inner)?;
                    dy.variant.discriminators.push(d as u8);
                    dy.variant.offsets.push(row);
                }
                v => return Err(err(&v)),
            },
            (_, ColumnData::Json(j), Value::Json(pairs)) => push_json(j, pairs)?,
            (_, _, v) => return Err(err(&v)),
        }
        Ok(())
    }
}

/// Adds an alternative to a `Dynamic` column, keeping the alternatives sorted by name (the
/// discriminators of existing rows are remapped).
fn dynamic_add_type(dy: &mut DynamicColumn, name: String, ty: DataType) -> Result<usize, ()> {
    if dy.names.len() >= 255 {
        return Err(());
    }
    let pos = dy.names.partition_point(|n| *n < name);
    dy.names.insert(pos, name);
    dy.types.insert(pos, ty.clone());
    dy.variant.variants.insert(pos, Column::empty(&ty));
    for d in &mut dy.variant.discriminators {
        if *d != NULL_DISCRIMINATOR && *d as usize >= pos {
            *d += 1;
        }
    }
    Ok(pos)
}

fn push_json(j: &mut JsonColumn, pairs: Vec<(String, Value)>) -> Result<(), DecodeError> {
    let row = j.rows;
    for (path, v) in pairs {
        if let Some((_, c)) = j.typed_paths.iter_mut().find(|(p, _)| *p == path) {
            c.push(v)?;
            continue;
        }
        let pos = match j
            .dynamic_paths
            .binary_search_by(|(p, _)| p.as_str().cmp(&path))
        {
            Ok(pos) => pos,
            Err(pos) => {
                let mut c = Column::empty(&DataType::Dynamic { max_types: None });
                for _ in 0..row {
                    c.push(Value::Null)?;
                }
                j.dynamic_paths.insert(pos, (path, c));
                pos
            }
        };
        let c = &mut j.dynamic_paths[pos].1;
        if c.len() > row {
            return Err(bad_shape("JSON", "duplicate path in one object".into()));
        }
        c.push(v)?;
    }
    for (_, c) in &mut j.typed_paths {
        if c.len() == row {
            c.push_default();
        }
    }
    for (_, c) in &mut j.dynamic_paths {
        if c.len() == row {
            c.push(Value::Null)?;
        }
    }
    j.shared_data.push(Value::Array(Vec::new()))?;
    j.rows += 1;
    Ok(())
}

fn range(offsets: &[u64], i: usize) -> Option<(usize, usize)> {
    let end = *offsets.get(i)? as usize;
    let start = if i == 0 { 0 } else { offsets[i - 1] as usize };
    (start <= end).then_some((start, end))
}

/// A value from `Dynamic`'s shared variant or `JSON`'s shared data: its binary-encoded type,
/// then the value in RowBinary layout (exactly what RowBinary sends for a `Dynamic`), so it
/// decodes with the RowBinary codec. The bytes are already in memory, so the default limits
/// only guard against corrupt lengths and nesting.
fn shared_value(raw: &[u8]) -> Result<Value, DecodeError> {
    let mut cur = ByteCursor::new(raw);
    let dynamic = DataType::Dynamic { max_types: None };
    let value =
        decode_value(&dynamic, &mut cur, &DecodeLimits::default()).map_err(|e| match e {
            ReadError::Bad(e) => e,
            ReadError::Short(_) => DecodeError::Truncated("shared Dynamic value"),
        })?;
    if !cur.is_empty() {
        return Err(bad_shape(
            "Dynamic",
            format!("{} bytes after a shared value", cur.remaining().len()),
        ));
    }
    Ok(value)
}

/// Appends the paths of `JSON` row `i` that the server keeps in shared data (an
/// `Array(Tuple(paths String, values String))` column) to `out`; `NULL`s are left out, as
/// for dynamic paths.
fn push_shared_paths(
    shared: &Column,
    i: usize,
    out: &mut Vec<(String, Value)>,
) -> Result<(), DecodeError> {
    let malformed = || {
        bad_shape(
            "JSON",
            "shared data is not Array(Tuple(String, String))".into(),
        )
    };
    let ColumnData::Array { offsets, inner } = &shared.data else {
        return Err(malformed());
    };
    let (ColumnData::Tuple(parts), Some((start, end))) = (&inner.data, range(offsets, i)) else {
        return Err(malformed());
    };
    let [paths, values] = parts.as_slice() else {
        return Err(malformed());
    };
    let (Some(paths), Some(values)) = (paths.as_strings(), values.as_strings()) else {
        return Err(malformed());
    };
    for k in start..end {
        let (Some(path), Some(raw)) = (paths.get(k), values.get(k)) else {
            return Err(malformed());
        };
        let path = std::str::from_utf8(path)
            .map_err(|_| bad_shape("JSON", "shared data path is not UTF-8".into()))?;
        let value = shared_value(raw)?;
        if !value.is_null() {
            out.push((path.to_owned(), value));
        }
    }
    Ok(())
}

fn points(items: Vec<Value>) -> Vec<Point> {
    items
        .into_iter()
        .filter_map(|v| match v {
            Value::Point(p) => Some(p),
            _ => None,
        })
        .collect()
}

fn point_lists(items: Vec<Value>) -> Vec<Vec<Point>> {
    items
        .into_iter()
        .map(|v| match v {
            Value::Ring(p) | Value::LineString(p) => p,
            _ => Vec::new(),
        })
        .collect()
}

/// Reassembles the elements of a `QBit` row from its bit planes: plane `b` holds bit
/// `bits - 1 - b` (most significant first) of every element; element `e` is bit `e % 8` of byte
/// `width - 1 - e / 8` (the plane reads as one big-endian bit set).
fn qbit_value(element: &DataType, dimension: usize, planes: &[Column], row: usize) -> Value {
    let bits = planes.len();
    let mut words = vec![0u64; dimension];
    for (b, plane) in planes.iter().enumerate() {
        let Some(bytes) = plane.as_fixed_strings().and_then(|p| p.get(row)) else {
            continue;
        };
        for (e, w) in words.iter_mut().enumerate() {
            let byte = bytes
                .len()
                .checked_sub(1 + e / 8)
                .and_then(|k| bytes.get(k));
            if byte.is_some_and(|x| x >> (e % 8) & 1 == 1) {
                *w |= 1 << (bits - 1 - b);
            }
        }
    }
    Value::QBit(
        words
            .into_iter()
            .map(|w| match element {
                DataType::BFloat16 => Value::BFloat16(w as u16),
                DataType::Float32 => Value::Float32(f32::from_bits(w as u32)),
                _ => Value::Float64(f64::from_bits(w)),
            })
            .collect(),
    )
}

fn push_qbit(
    element: &DataType,
    dimension: usize,
    planes: &mut [Column],
    items: &[Value],
) -> Result<(), ()> {
    if items.len() != dimension {
        return Err(());
    }
    let words: Vec<u64> = items
        .iter()
        .map(|v| match (element, v) {
            (DataType::BFloat16, Value::BFloat16(x)) => Ok(*x as u64),
            (DataType::Float32, Value::Float32(x)) => Ok(x.to_bits() as u64),
            (DataType::Float64, Value::Float64(x)) => Ok(x.to_bits()),
            _ => Err(()),
        })
        .collect::<Result<_, _>>()?;
    let bits = planes.len();
    for (b, plane) in planes.iter_mut().enumerate() {
        let ColumnData::FixedString(p) = &mut plane.data else {
            return Err(());
        };
        let mut bytes = vec![0u8; p.width];
        for (e, w) in words.iter().enumerate() {
            if w >> (bits - 1 - b) & 1 == 1 {
                let k = p.width - 1 - e / 8;
                bytes[k] |= 1 << (e % 8);
            }
        }
        p.data.extend_from_slice(&bytes);
    }
    Ok(())
}

/// The default value of a type (what the server stores under a NULL).
pub fn default_value(ty: &DataType) -> Value {
    match ty {
        DataType::Int8 => Value::Int8(0),
        DataType::Int16 => Value::Int16(0),
        DataType::Int32 => Value::Int32(0),
        DataType::Int64 => Value::Int64(0),
        DataType::Int128 => Value::Int128(0),
        DataType::Int256 => Value::Int256(I256::ZERO),
        DataType::UInt8 => Value::UInt8(0),
        DataType::UInt16 => Value::UInt16(0),
        DataType::UInt32 => Value::UInt32(0),
        DataType::UInt64 => Value::UInt64(0),
        DataType::UInt128 => Value::UInt128(0),
        DataType::UInt256 => Value::UInt256(U256::ZERO),
        DataType::Float32 => Value::Float32(0.0),
        DataType::Float64 => Value::Float64(0.0),
        DataType::BFloat16 => Value::BFloat16(0),
        DataType::Decimal { .. } => Value::Decimal(I256::ZERO),
        DataType::Bool => Value::Bool(false),
        DataType::String => Value::String(Vec::new()),
        DataType::FixedString(_) => Value::FixedString(Vec::new()),
        DataType::Uuid => Value::Uuid([0; 16]),
        DataType::Date => Value::Date(0),
        DataType::Date32 => Value::Date32(0),
        DataType::DateTime(_) => Value::DateTime(0),
        DataType::DateTime64(..) => Value::DateTime64(0),
        DataType::Time => Value::Time(0),
        DataType::Time64(_) => Value::Time64(0),
        DataType::Enum8(items) => Value::Enum8(items.first().map_or(0, |e| e.1)),
        DataType::Enum16(items) => Value::Enum16(items.first().map_or(0, |e| e.1)),
        DataType::IPv4 => Value::IPv4(Ipv4Addr::UNSPECIFIED),
        DataType::IPv6 => Value::IPv6(Ipv6Addr::UNSPECIFIED),
        DataType::Array(_) | DataType::Nested(_) => Value::Array(Vec::new()),
        DataType::Tuple(els) => Value::Tuple(els.iter().map(|e| default_value(&e.ty)).collect()),
        DataType::Map(..) => Value::Map(Vec::new()),
        DataType::Nullable(_) | DataType::Variant(_) | DataType::Dynamic { .. } => Value::Null,
        DataType::Nothing => Value::Null,
        DataType::LowCardinality(t) | DataType::SimpleAggregateFunction { ty: t, .. } => {
            default_value(t)
        }
        DataType::Json(_) => Value::Json(Vec::new()),
        DataType::Point => Value::Point(Point::default()),
        DataType::Ring => Value::Ring(Vec::new()),
        DataType::LineString => Value::LineString(Vec::new()),
        DataType::MultiLineString => Value::MultiLineString(Vec::new()),
        DataType::Polygon => Value::Polygon(Vec::new()),
        DataType::MultiPolygon => Value::MultiPolygon(Vec::new()),
        DataType::Interval(_) => Value::Interval(0),
        DataType::QBit { element, dimension } => {
            Value::QBit((0..*dimension).map(|_| default_value(element)).collect())
        }
    }
}
