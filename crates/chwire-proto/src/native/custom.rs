//! Custom serialization kinds (native TCP only): the sparse and replicated columns the server
//! sends when a column's `has_custom` byte is 1, read and densified into ordinary columns.
//!
//! The server keeps mostly-default MergeTree columns sparse (from revision 54465, `Nullable`
//! ones from 54483: `ratio_of_defaults_for_sparse_serialization`) and the columns a JOIN or
//! ARRAY JOIN repeats replicated (from 54482, with `enable_lazy_columns_replication`); below
//! those revisions it densifies them itself. Layouts, verified against 26.9 captures
//! (`tests/golden/tcp/sparse.script`):
//!
//! - **Kinds**, after the flag: one byte per serialization node (0 default, 1 sparse,
//!   4 replicated); a tuple's byte is followed by each element's.
//! - **Sparse**: varuint group sizes, each the number of default rows before the next
//!   non-default one; the last has bit 62 set and counts the defaults after the last
//!   non-default row. Then the non-default values (for `Nullable(T)` plain `T` values, no null
//!   map).
//! - **Replicated**: varuint row count, a u8 index width (1, 2, 4 or 8), one index per row, the
//!   varuint size of the nested column, then the nested column.

use crate::DataType;
use crate::column::{Column, ColumnData, FixedStringColumn, StringColumn, physical_type};
use crate::wire::{ByteCursor, DecodeError, DecodeLimits, ReadError};

use super::read::{ColumnReader, Prefix, column_bytes, malformed};

/// The serialization kind of one node of a column's type tree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Kind {
    #[default]
    Default,
    Sparse,
    Replicated,
}

/// The serialization kinds of a column: its own and, for a tuple, its elements'.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Kinds {
    kind: Kind,
    elements: Vec<Kinds>,
}

/// Set in the last sparse group size.
const END_OF_GRANULE: u64 = 1 << 62;

/// Whether the server writes element kinds after this type's own (tuples and `Point`).
fn tuple_elements(ty: &DataType) -> Option<Vec<DataType>> {
    if matches!(ty, DataType::QBit { .. }) {
        return None;
    }
    match &*physical_type(ty) {
        DataType::Tuple(els) => Some(els.iter().map(|e| e.ty.clone()).collect()),
        _ => None,
    }
}

impl Kinds {
    /// Reads the kinds of a column of type `ty` (after a `has_custom` byte of 1).
    pub(crate) fn read(
        cur: &mut ByteCursor<'_>,
        ty: &DataType,
        limits: &DecodeLimits,
        depth: u32,
    ) -> Result<Kinds, ReadError> {
        if depth > limits.max_depth {
            return Err(ReadError::Bad(DecodeError::LimitExceeded {
                what: "type nesting depth",
                value: depth.into(),
                limit: limits.max_depth.into(),
            }));
        }
        let kind = match cur.u8()? {
            0 => Kind::Default,
            1 => Kind::Sparse,
            4 => Kind::Replicated,
            k => {
                return Err(ReadError::Bad(DecodeError::Unsupported(format!(
                    "serialization kind {k} of a {ty} column"
                ))));
            }
        };
        let elements = match tuple_elements(ty) {
            Some(els) => els
                .iter()
                .map(|t| Kinds::read(cur, t, limits, depth + 1))
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        Ok(Kinds { kind, elements })
    }

    /// Whether every node is the default serialization (the column reads as usual).
    pub(crate) fn is_default(&self) -> bool {
        self.kind == Kind::Default && self.elements.iter().all(Kinds::is_default)
    }

    /// These kinds without the top node's own (what its values are serialized with).
    fn inner(&self) -> Kinds {
        Kinds {
            kind: Kind::Default,
            elements: self.elements.clone(),
        }
    }
}

impl ColumnReader<'_> {
    /// Reads the data of a column of `rows` rows serialized with `kinds`, densified.
    pub(crate) fn read_data_kinds(
        &mut self,
        cur: &mut ByteCursor<'_>,
        ty: &DataType,
        prefix: &Prefix,
        rows: usize,
        depth: u32,
        kinds: &Kinds,
    ) -> Result<Column, ReadError> {
        if kinds.is_default() {
            return self.read_data(cur, ty, prefix, rows, depth);
        }
        self.check_depth(depth)?;
        match kinds.kind {
            Kind::Sparse => {
                let positions = read_sparse_positions(cur, rows)?;
                let picks = Picks::Sparse {
                    rows,
                    positions: &positions,
                };
                if let DataType::Nullable(t) = ty {
                    // The non-default values are the non-NULL ones, sent without a null map.
                    let values = self.read_data(cur, t, prefix, positions.len(), depth + 1)?;
                    let nulls = picks.iter().map(|p| u8::from(p.is_none())).collect();
                    let inner = take(&values, &picks).map_err(ReadError::Bad)?;
                    return Ok(Column::from_parts(
                        ty.clone(),
                        ColumnData::Nullable {
                            nulls,
                            inner: Box::new(inner),
                        },
                    ));
                }
                let values = self.read_data_kinds(
                    cur,
                    ty,
                    prefix,
                    positions.len(),
                    depth + 1,
                    &kinds.inner(),
                )?;
                take(&values, &picks).map_err(ReadError::Bad)
            }
            Kind::Replicated => {
                let n = cur.length(self.limits.max_collection_len, "replicated row count")?;
                if n != rows {
                    return Err(malformed(
                        cur,
                        format!("replicated column of {n} rows in a block of {rows}"),
                    ));
                }
                let width = usize::from(cur.u8()?);
                if !matches!(width, 1 | 2 | 4 | 8) {
                    return Err(malformed(cur, format!("replicated index width {width}")));
                }
                let raw = cur.bytes(column_bytes(rows, width)?)?;
                let size = cur.length(self.limits.max_collection_len, "replicated column size")?;
                let indexes: Vec<usize> = raw
                    .chunks_exact(width)
                    .map(|c| {
                        let mut b = [0u8; 8];
                        b[..width].copy_from_slice(c);
                        usize::try_from(u64::from_le_bytes(b)).unwrap_or(usize::MAX)
                    })
                    .collect();
                if indexes.iter().any(|&i| i >= size) {
                    return Err(malformed(cur, "replicated index out of range"));
                }
                let nested =
                    self.read_data_kinds(cur, ty, prefix, size, depth + 1, &kinds.inner())?;
                take(&nested, &Picks::Index(&indexes)).map_err(ReadError::Bad)
            }
            Kind::Default => {
                // A tuple whose elements (some of them) are custom.
                let els = tuple_elements(ty).unwrap_or_default();
                let none = Prefix::None;
                let default = Kinds::default();
                let mut cols = Vec::with_capacity(els.len());
                for (i, t) in els.iter().enumerate() {
                    let pre = match prefix {
                        Prefix::Children(c) => c.get(i).unwrap_or(&none),
                        _ => &none,
                    };
                    let k = kinds.elements.get(i).unwrap_or(&default);
                    cols.push(self.read_data_kinds(cur, t, pre, rows, depth + 1, k)?);
                }
                Ok(Column::from_parts(ty.clone(), ColumnData::Tuple(cols)))
            }
        }
    }
}

/// The rows of a sparse column of `rows` rows that hold non-default values, in order. Every
/// position costs at least one input byte, so the vector is bounded by the input.
fn read_sparse_positions(cur: &mut ByteCursor<'_>, rows: usize) -> Result<Vec<usize>, ReadError> {
    let mut positions = Vec::new();
    let mut at = 0usize;
    loop {
        let v = cur.varuint()?;
        let end = v & END_OF_GRANULE != 0;
        let group = usize::try_from(v & !END_OF_GRANULE).unwrap_or(usize::MAX);
        at = match at.checked_add(group) {
            Some(a) if a <= rows => a,
            _ => return Err(malformed(cur, "sparse column longer than its block")),
        };
        if end {
            if at != rows {
                return Err(malformed(cur, "sparse column shorter than its block"));
            }
            return Ok(positions);
        }
        if at == rows {
            return Err(malformed(cur, "sparse column longer than its block"));
        }
        positions.push(at);
        at += 1;
    }
}

/// Where each row of a densified column comes from.
enum Picks<'a> {
    /// Row `positions[j]` is value `j`; every other row of `rows` is the type's default.
    Sparse { rows: usize, positions: &'a [usize] },
    /// Row `i` is value `indexes[i]`.
    Index(&'a [usize]),
}

impl Picks<'_> {
    /// Per row: the index of its value, or `None` for the default.
    fn iter(&self) -> Box<dyn Iterator<Item = Option<usize>> + '_> {
        match self {
            Picks::Sparse { rows, positions } => {
                let mut next = 0;
                Box::new((0..*rows).map(move |r| {
                    if positions.get(next) == Some(&r) {
                        next += 1;
                        Some(next - 1)
                    } else {
                        None
                    }
                }))
            }
            Picks::Index(indexes) => Box::new(indexes.iter().map(|&i| Some(i))),
        }
    }
}

/// The column of the picked rows of `col` (defaults where none is picked). Indexes are checked
/// by the callers; an index out of range would give a default, never a panic.
fn take(col: &Column, picks: &Picks<'_>) -> Result<Column, DecodeError> {
    fn fixed<T: Copy + Default>(v: &[T], picks: &Picks<'_>) -> Vec<T> {
        pick(v, picks, T::default())
    }
    let ty = col.data_type();
    let data = match col.data() {
        ColumnData::I8(v) => ColumnData::I8(fixed(v, picks)),
        ColumnData::I16(v) => ColumnData::I16(fixed(v, picks)),
        ColumnData::I32(v) => ColumnData::I32(fixed(v, picks)),
        ColumnData::I64(v) => ColumnData::I64(fixed(v, picks)),
        ColumnData::I128(v) => ColumnData::I128(fixed(v, picks)),
        ColumnData::I256(v) => ColumnData::I256(fixed(v, picks)),
        ColumnData::U8(v) => ColumnData::U8(fixed(v, picks)),
        ColumnData::U16(v) => ColumnData::U16(fixed(v, picks)),
        ColumnData::U32(v) => ColumnData::U32(fixed(v, picks)),
        ColumnData::U64(v) => ColumnData::U64(fixed(v, picks)),
        ColumnData::U128(v) => ColumnData::U128(fixed(v, picks)),
        ColumnData::U256(v) => ColumnData::U256(fixed(v, picks)),
        ColumnData::F32(v) => ColumnData::F32(fixed(v, picks)),
        ColumnData::F64(v) => ColumnData::F64(fixed(v, picks)),
        ColumnData::String(s) => {
            let mut out = StringColumn::default();
            for p in picks.iter() {
                out.push(p.and_then(|i| s.get(i)).unwrap_or_default());
            }
            ColumnData::String(out)
        }
        ColumnData::FixedString(s) => {
            let mut out = FixedStringColumn::new(s.width);
            let zero = vec![0u8; s.width];
            for p in picks.iter() {
                out.data
                    .extend_from_slice(p.and_then(|i| s.get(i)).unwrap_or(&zero));
            }
            ColumnData::FixedString(out)
        }
        ColumnData::Nothing(_) => ColumnData::Nothing(picks.iter().count()),
        ColumnData::Nullable { nulls, inner } => ColumnData::Nullable {
            // A default row of a Nullable column is NULL.
            nulls: pick(nulls, picks, 1),
            inner: Box::new(take(inner, picks)?),
        },
        ColumnData::Array { offsets, inner } => {
            let (offsets, elements) = take_ranges(offsets, picks);
            ColumnData::Array {
                offsets,
                inner: Box::new(take(inner, &Picks::Index(&elements))?),
            }
        }
        ColumnData::Map {
            offsets,
            keys,
            values,
        } => {
            let (offsets, elements) = take_ranges(offsets, picks);
            let elements = Picks::Index(&elements);
            ColumnData::Map {
                offsets,
                keys: Box::new(take(keys, &elements)?),
                values: Box::new(take(values, &elements)?),
            }
        }
        ColumnData::Tuple(cols) => ColumnData::Tuple(
            cols.iter()
                .map(|c| take(c, picks))
                .collect::<Result<_, _>>()?,
        ),
        // The rest (LowCardinality, Variant, Dynamic, JSON) value by value: the server
        // sends them with custom kinds rarely if ever.
        _ => {
            let mut out = Column::empty(ty);
            for p in picks.iter() {
                match p {
                    Some(i) => out.push(col.try_get(i)?)?,
                    None => out.push_default(),
                }
            }
            return Ok(out);
        }
    };
    Ok(Column::from_parts(ty.clone(), data))
}

/// The picked values of `v`, `default` for rows that pick nothing.
fn pick<T: Copy>(v: &[T], picks: &Picks<'_>, default: T) -> Vec<T> {
    picks
        .iter()
        .map(|p| p.and_then(|i| v.get(i).copied()).unwrap_or(default))
        .collect()
}

/// The offsets of the picked rows of an array-like column and the element indexes they cover.
fn take_ranges(offsets: &[u64], picks: &Picks<'_>) -> (Vec<u64>, Vec<usize>) {
    let mut out = Vec::new();
    let mut elements = Vec::new();
    for p in picks.iter() {
        if let Some(i) = p {
            let start = if i == 0 {
                Some(0)
            } else {
                offsets.get(i - 1).copied()
            };
            if let (Some(start), Some(&end)) = (start, offsets.get(i)) {
                elements.extend(start as usize..end as usize);
            }
        }
        out.push(elements.len() as u64);
    }
    (out, elements)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Value;
    use crate::native::{NativeDecoder, NativeOptions};
    use crate::wire::put_varuint;

    /// A one-column TCP block of `rows` rows: BlockInfo, head, `ty` with `custom` after it.
    fn block(ty: &str, rows: u64, custom: &[u8]) -> Vec<u8> {
        let mut b = vec![0, 1];
        put_varuint(&mut b, rows);
        b.extend_from_slice(&[1, b'c', ty.len() as u8]);
        b.extend_from_slice(ty.as_bytes());
        b.extend_from_slice(custom);
        b
    }

    fn decode(bytes: &[u8]) -> Result<Option<Column>, DecodeError> {
        let mut d = NativeDecoder::new().with_options(NativeOptions {
            custom_serialization_flag: true,
            block_info: true,
            string_offsets: false,
        });
        d.feed_one(bytes);
        Ok(d.take_one()?.map(|(_, b, _)| b.columns[0].1.clone()))
    }

    #[test]
    fn sparse_and_replicated_columns_densify() {
        // Rows 1 and 3 of 5 are 7 and 9.
        let mut sparse = vec![
            1,
            1,
            1,
            1,
            1 | 0x80,
            0x80,
            0x80,
            0x80,
            0x80,
            0x80,
            0x80,
            0x80,
            0x40,
        ];
        sparse.extend_from_slice(&[7, 0, 9, 0]);
        let col = decode(&block("UInt16", 5, &sparse)).unwrap().unwrap();
        assert_eq!(col.as_u16(), Some(&[0, 7, 0, 9, 0][..]));
        // Nullable: the values carry no null map; the other rows are NULL.
        let mut nullable = vec![
            1, 1, 2, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40,
        ];
        nullable.push(5);
        let col = decode(&block("Nullable(UInt8)", 3, &nullable))
            .unwrap()
            .unwrap();
        let values: Vec<Value> = (0..3).map(|i| col.get(i)).collect();
        assert_eq!(values, [Value::Null, Value::Null, Value::UInt8(5)]);
        // Replicated: 4 rows, u8 indexes into 2 strings.
        let replicated = [1, 4, 4, 1, 1, 0, 0, 1, 2, 1, b'a', 1, b'b'];
        let col = decode(&block("String", 4, &replicated)).unwrap().unwrap();
        let values: Vec<Value> = (0..4).map(|i| col.get(i)).collect();
        let s = |x: &[u8]| Value::String(x.to_vec());
        assert_eq!(values, [s(b"b"), s(b"a"), s(b"a"), s(b"b")]);
    }

    #[test]
    fn malformed_custom_columns_are_errors() {
        let end = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40];
        let mut short_end = end;
        short_end[0] = 0x81;
        let cases: Vec<(&str, Vec<u8>)> = vec![
            // A group past the block's end; a non-default row at the end; an END short of it.
            ("UInt8", [&[1, 1, 9][..], &end].concat()),
            ("UInt8", vec![1, 1, 3, 0]),
            ("UInt8", [&[1, 1][..], &short_end].concat()),
            // An unknown kind, an unknown flag.
            ("UInt8", vec![1, 2]),
            ("UInt8", vec![2]),
            // Replicated: row count differs, bad width, index out of range.
            ("UInt8", vec![1, 4, 2, 1, 0, 0, 1, 0]),
            ("UInt8", vec![1, 4, 3, 3, 0, 0, 0, 1, 0]),
            ("UInt8", vec![1, 4, 3, 1, 0, 1, 1, 1, 0]),
        ];
        for (ty, custom) in cases {
            let err = decode(&block(ty, 3, &custom));
            assert!(
                matches!(
                    err,
                    Err(DecodeError::Malformed { .. } | DecodeError::Unsupported(_))
                ),
                "{custom:?}: {err:?}"
            );
        }
    }
}
