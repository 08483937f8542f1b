//! Columns filled from input pieces as they arrive, for [`NativeDecoder`](super::NativeDecoder).
//!
//! The bulk of a result is plain columns: fixed-width numbers and `String`s. Decoding those
//! straight from each piece of input, keeping only the few bytes of a value cut by a piece
//! boundary, means their bytes are never gathered into a contiguous buffer first and never
//! parsed twice.

use crate::DataType;
use crate::column::{Column, ColumnData, StringColumn, physical_type};
use crate::wire::{ByteCursor, DecodeError, ReadError};

use super::StringLayout;
use super::read::{
    append_fixed, check_string_offsets, column_bytes, fixed_width_column, reserve_fixed,
};

/// The column's row count comes from the peer: memory is reserved up to this much on its word,
/// beyond that only as data arrives (a normal block is well below it).
const RESERVE_CAP: usize = 16 << 20;

/// A column being filled from input pieces.
#[derive(Debug, Clone)]
pub(super) struct ColumnFill {
    name: String,
    ty: DataType,
    kind: FillKind,
}

#[derive(Debug, Clone)]
enum FillKind {
    Fixed(FixedFill),
    Strings(StringFill),
    OffsetStrings(OffsetStringFill),
}

impl ColumnFill {
    /// A fill for a column of `rows` rows of `ty`, if its type is one that fills from pieces.
    pub(super) fn start(
        name: &str,
        ty: &DataType,
        rows: usize,
        max_string_len: u64,
        strings: StringLayout,
    ) -> Result<Option<ColumnFill>, ReadError> {
        let phys = physical_type(ty);
        let kind = if let Some((width, data)) = fixed_width_column(&phys) {
            let bytes = column_bytes(rows, width)?;
            FillKind::Fixed(FixedFill::new(width, data, bytes))
        } else if *phys == DataType::String && strings == StringLayout::Offsets {
            let offsets = FixedFill::new(8, ColumnData::U64(Vec::new()), column_bytes(rows, 8)?);
            FillKind::OffsetStrings(OffsetStringFill {
                offsets,
                max_len: max_string_len,
                data: Vec::new(),
                body_left: None,
            })
        } else if *phys == DataType::String {
            FillKind::Strings(StringFill::new(rows, max_string_len))
        } else {
            return Ok(None);
        };
        Ok(Some(ColumnFill {
            name: name.to_string(),
            ty: ty.clone(),
            kind,
        }))
    }

    /// Decodes what the column still needs from the front of `input`; returns the bytes used.
    /// Error offsets count from the start of `input`.
    pub(super) fn take(&mut self, input: &[u8]) -> Result<usize, DecodeError> {
        match &mut self.kind {
            FillKind::Fixed(f) => Ok(f.take(input)),
            FillKind::Strings(f) => f.take(input),
            FillKind::OffsetStrings(f) => f.take(input),
        }
    }

    pub(super) fn is_complete(&self) -> bool {
        match &self.kind {
            FillKind::Fixed(f) => f.remaining == 0,
            FillKind::Strings(f) => f.rows_left == 0,
            FillKind::OffsetStrings(f) => f.body_left == Some(0),
        }
    }

    pub(super) fn into_column(self) -> (String, Column) {
        let data = match self.kind {
            FillKind::Fixed(f) => f.data,
            FillKind::Strings(f) => ColumnData::String(f.col),
            FillKind::OffsetStrings(f) => ColumnData::String(StringColumn {
                data: f.data,
                offsets: match f.offsets.data {
                    ColumnData::U64(v) => v,
                    _ => Vec::new(),
                },
            }),
        };
        (self.name, Column::from_parts(self.ty, data))
    }
}

/// `rows × width` bytes copied into a typed vector.
#[derive(Debug, Clone)]
struct FixedFill {
    width: usize,
    data: ColumnData,
    /// Data bytes still to come.
    remaining: usize,
    /// The first bytes of a value split between two pieces (fewer than `width`).
    partial: Vec<u8>,
}

impl FixedFill {
    fn new(width: usize, mut data: ColumnData, bytes: usize) -> Self {
        if width > 0 {
            reserve_fixed(&mut data, width, bytes.min(RESERVE_CAP) / width);
        }
        FixedFill {
            width,
            data,
            remaining: bytes,
            partial: Vec::new(),
        }
    }

    fn take(&mut self, input: &[u8]) -> usize {
        let used = input.len().min(self.remaining);
        if used == 0 {
            return 0;
        }
        let mut bytes = &input[..used];
        if !self.partial.is_empty() {
            let k = (self.width - self.partial.len()).min(bytes.len());
            self.partial.extend_from_slice(&bytes[..k]);
            bytes = &bytes[k..];
            if self.partial.len() == self.width {
                append_fixed(&mut self.data, &self.partial);
                self.partial.clear();
            }
        }
        let whole = bytes.len() - bytes.len() % self.width;
        append_fixed(&mut self.data, &bytes[..whole]);
        self.partial.extend_from_slice(&bytes[whole..]);
        self.remaining -= used;
        used
    }
}

/// `String` values as every value's u64 end offset, then all the bytes (TCP from 54492): two
/// bulk copies into a [`StringColumn`], whose layout this is.
#[derive(Debug, Clone)]
struct OffsetStringFill {
    offsets: FixedFill,
    max_len: u64,
    data: Vec<u8>,
    /// Bytes still to come, once the offsets are in.
    body_left: Option<usize>,
}

impl OffsetStringFill {
    fn take(&mut self, input: &[u8]) -> Result<usize, DecodeError> {
        let mut used = 0;
        let left = match self.body_left {
            Some(left) => left,
            None => {
                used = self.offsets.take(input);
                if self.offsets.remaining > 0 {
                    return Ok(used);
                }
                let ColumnData::U64(offsets) = &self.offsets.data else {
                    return Err(DecodeError::Truncated("string offsets"));
                };
                let total = check_string_offsets(offsets, self.max_len).map_err(|reason| {
                    DecodeError::Malformed {
                        offset: used,
                        reason,
                    }
                })?;
                // The total comes from the peer: reserve up to the cap, grow as bytes arrive.
                self.data.reserve(total.min(RESERVE_CAP));
                total
            }
        };
        let k = left.min(input.len() - used);
        self.data.extend_from_slice(&input[used..used + k]);
        self.body_left = Some(left - k);
        Ok(used + k)
    }
}

/// `String` values (varint length + bytes each) gathered into one [`StringColumn`].
#[derive(Debug, Clone)]
struct StringFill {
    rows_left: usize,
    col: StringColumn,
    max_len: u64,
    /// A length prefix cut off by the end of the previous piece.
    head: [u8; 10],
    head_len: usize,
    /// Bytes still to come of the value being copied (its start is in `col.data` already).
    body_left: usize,
}

impl StringFill {
    /// Strings up to this long are copied as one fixed-size move (when the input and the output
    /// have room), which is much cheaper than a `memcpy` call per short string.
    const SHORT: usize = 16;

    fn new(rows: usize, max_len: u64) -> Self {
        // Offsets are exactly one per row; values are guessed at 4 bytes each (the vector
        // grows if they are longer). At most 8 + 4 bytes a row, and 12 MiB, on the peer's word.
        let reserve = rows.min(RESERVE_CAP / 16);
        StringFill {
            rows_left: rows,
            col: StringColumn {
                data: Vec::with_capacity(reserve * 4),
                offsets: Vec::with_capacity(reserve),
            },
            max_len,
            head: [0; 10],
            head_len: 0,
            body_left: 0,
        }
    }

    fn end_value(&mut self) {
        self.col.offsets.push(self.col.data.len() as u64);
        self.rows_left -= 1;
    }

    #[inline]
    fn check_len(&self, len: u64) -> Result<usize, DecodeError> {
        if len > self.max_len {
            return Err(DecodeError::LimitExceeded {
                what: "string length",
                value: len,
                limit: self.max_len,
            });
        }
        Ok(len as usize)
    }

    fn take(&mut self, input: &[u8]) -> Result<usize, DecodeError> {
        let mut pos = 0;
        while self.rows_left > 0 && pos < input.len() {
            if self.body_left > 0 {
                let k = self.body_left.min(input.len() - pos);
                self.col.data.extend_from_slice(&input[pos..pos + k]);
                pos += k;
                self.body_left -= k;
                if self.body_left == 0 {
                    self.end_value();
                }
                continue;
            }
            if self.head_len > 0 {
                // Complete the cut length prefix byte by byte (at most 10 bytes). A tenth byte
                // that still continues fails at once, at the offset a whole read reports.
                while pos < input.len() && self.head[self.head_len - 1] & 0x80 != 0 {
                    self.head[self.head_len] = input[pos];
                    self.head_len += 1;
                    pos += 1;
                    if self.head_len == self.head.len() && input[pos - 1] & 0x80 != 0 {
                        return Err(DecodeError::Malformed {
                            offset: pos,
                            reason: "varint longer than 10 bytes".into(),
                        });
                    }
                }
                if self.head[self.head_len - 1] & 0x80 != 0 {
                    break;
                }
                let len = ByteCursor::new(&self.head[..self.head_len])
                    .varuint()
                    .map_err(read_error)?;
                self.head_len = 0;
                self.body_left = self.check_len(len)?;
                if self.body_left == 0 {
                    self.end_value();
                }
                continue;
            }
            pos += self
                .take_whole_values(&input[pos..])
                .map_err(|e| e.shifted(pos))?;
        }
        Ok(pos)
    }

    /// The hot loop: values that lie wholly inside `buf`, then the start of a cut one.
    fn take_whole_values(&mut self, buf: &[u8]) -> Result<usize, DecodeError> {
        const SHORT: usize = StringFill::SHORT;
        let mut p = 0;
        while self.rows_left > 0 && p < buf.len() {
            let b = buf[p];
            let (len, header) = if b < 0x80 {
                (u64::from(b), 1)
            } else {
                let mut varint = ByteCursor::new(&buf[p..]);
                match varint.varuint() {
                    Ok(len) => (len, varint.position()),
                    Err(ReadError::Short(_)) => {
                        let rest = &buf[p..];
                        self.head[..rest.len()].copy_from_slice(rest);
                        self.head_len = rest.len();
                        return Ok(buf.len());
                    }
                    Err(ReadError::Bad(e)) => return Err(e.shifted(p)),
                }
            };
            let len = self.check_len(len)?;
            let start = p + header;
            let end = start + len;
            if end > buf.len() {
                self.col.data.extend_from_slice(&buf[start..]);
                self.body_left = end - buf.len();
                return Ok(buf.len());
            }
            let data = &mut self.col.data;
            if len <= SHORT && start + SHORT <= buf.len() {
                let at = data.len();
                let chunk: &[u8; SHORT] = buf[start..start + SHORT]
                    .try_into()
                    .expect("slice of SHORT bytes");
                data.extend_from_slice(chunk);
                data.truncate(at + len);
            } else {
                data.extend_from_slice(&buf[start..end]);
            }
            self.col.offsets.push(data.len() as u64);
            self.rows_left -= 1;
            p = end;
        }
        Ok(p)
    }
}

fn read_error(e: ReadError) -> DecodeError {
    match e {
        ReadError::Bad(e) => e,
        ReadError::Short(_) => DecodeError::Truncated("string length"),
    }
}
