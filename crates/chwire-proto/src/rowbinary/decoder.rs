//! Row-at-a-time decoding of a RowBinary stream.
//!
//! [`RowBinaryDecoder`] is the incremental form: bytes arrive in arbitrary chunks; complete rows
//! are consumed from the front of its buffer and only the incomplete tail is kept. When a row is
//! cut short, the decoder remembers how many more bytes the row needs at least and does not
//! retry until they have arrived, so a large row trickling in does not get re-parsed per chunk.
//!
//! [`decode_rows`] is the bulk form for a buffer already in memory: no copying of the input.

use super::header::{RowBinaryHeader, TypeEncoding, decode_header};
use super::value_codec::{Budget, decode_value_budgeted};
use crate::wire::{ByteCursor, DecodeError, DecodeLimits, ReadError};
use crate::{DataType, Value};

/// Decodes one row of `types` from `cur`.
pub fn decode_row_into(
    types: &[DataType],
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
    row: &mut Vec<Value>,
) -> Result<(), ReadError> {
    row.clear();
    row.reserve(types.len());
    let mut budget = Budget::starting_at(cur);
    for t in types {
        row.push(decode_value_budgeted(t, cur, limits, &mut budget)?);
    }
    Ok(())
}

/// Iterator over the complete rows at the front of a borrowed buffer; see [`decode_rows`].
#[derive(Debug)]
pub struct RowBinaryRows<'a> {
    types: &'a [DataType],
    buf: &'a [u8],
    consumed: usize,
    limits: DecodeLimits,
    done: bool,
}

/// Decodes the rows in `buf` without copying it. Iteration stops at the first incomplete row;
/// [`RowBinaryRows::remainder`] then returns the unconsumed tail (empty if `buf` held whole
/// rows only). An invalid row yields one `Err` and ends the iteration.
pub fn decode_rows<'a>(
    types: &'a [DataType],
    buf: &'a [u8],
    limits: DecodeLimits,
) -> RowBinaryRows<'a> {
    RowBinaryRows {
        types,
        buf,
        consumed: 0,
        limits,
        done: types.is_empty(),
    }
}

impl<'a> RowBinaryRows<'a> {
    /// Bytes taken by the rows returned so far.
    pub fn consumed(&self) -> usize {
        self.consumed
    }

    /// The bytes after the last complete row returned.
    pub fn remainder(&self) -> &'a [u8] {
        &self.buf[self.consumed..]
    }
}

impl Iterator for RowBinaryRows<'_> {
    type Item = Result<Vec<Value>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.consumed == self.buf.len() {
            return None;
        }
        let mut cur = ByteCursor::new(&self.buf[self.consumed..]);
        let mut row = Vec::new();
        match decode_row_into(self.types, &mut cur, &self.limits, &mut row) {
            Ok(()) if cur.position() == 0 => {
                self.done = true;
                Some(Err(zero_width_rows(0)))
            }
            Ok(()) => {
                self.consumed += cur.position();
                Some(Ok(row))
            }
            Err(ReadError::Short(_)) => {
                self.done = true;
                None
            }
            Err(ReadError::Bad(e)) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// The error for input left over when every column is zero-width (`Nothing`, tuples of it).
///
/// Such rows occupy no bytes, so nothing delimits them: "decoding" a row would consume nothing
/// and a caller looping until "need more input" would never stop. No row count can be recovered
/// from the bytes either, so any byte present cannot belong to these columns.
fn zero_width_rows(offset: usize) -> DecodeError {
    DecodeError::Malformed {
        offset,
        reason: "rows of these column types occupy no bytes, but input remains".into(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Header(TypeEncoding),
    Rows,
}

/// Incremental RowBinary decoder: [`feed`](Self::feed) bytes, then call
/// [`next_row`](Self::next_row) until it returns `Ok(None)`.
#[derive(Debug)]
pub struct RowBinaryDecoder {
    limits: DecodeLimits,
    stage: Stage,
    header: RowBinaryHeader,
    buf: Vec<u8>,
    /// Start of the unconsumed bytes in `buf`.
    start: usize,
    /// Unconsumed bytes needed before another attempt can succeed.
    need: usize,
    failed: Option<DecodeError>,
    /// `JSON` columns arrive as their text (see [`json_as_text`](Self::json_as_text)).
    json_as_text: bool,
}

/// The type a column's RowBinary cells have when `JSON` is sent as its text
/// (`input_format_binary_read_json_as_string` / `output_format_binary_write_json_as_string`):
/// a top-level `JSON` column's cells are `String`s.
pub fn json_as_text_type(ty: &DataType) -> DataType {
    match ty {
        DataType::Json(_) => DataType::String,
        other => other.clone(),
    }
}

impl RowBinaryDecoder {
    /// Plain `RowBinary`: the column types are known up front.
    pub fn new(types: Vec<DataType>) -> Self {
        RowBinaryDecoder {
            limits: DecodeLimits::default(),
            stage: Stage::Rows,
            header: RowBinaryHeader {
                names: Vec::new(),
                types,
            },
            buf: Vec::new(),
            start: 0,
            need: 0,
            failed: None,
            json_as_text: false,
        }
    }

    /// `JSON` columns (top-level) carry their text: their cells decode as `String`
    /// ([`json_as_text_type`]), the given types' now, a header's when it is read.
    pub fn json_as_text(mut self) -> Self {
        self.json_as_text = true;
        self.header.types = self.header.types.iter().map(json_as_text_type).collect();
        self
    }

    /// `RowBinaryWithNamesAndTypes` with type strings in the header.
    pub fn with_names_and_types() -> Self {
        Self::with_header(TypeEncoding::Text)
    }

    /// `RowBinaryWithNamesAndTypes` whose header uses the given type encoding.
    pub fn with_header(encoding: TypeEncoding) -> Self {
        RowBinaryDecoder {
            stage: Stage::Header(encoding),
            ..Self::new(Vec::new())
        }
    }

    /// Replaces the default limits.
    pub fn with_limits(mut self, limits: DecodeLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Column names (empty for plain `RowBinary`, or until the header has been read).
    pub fn names(&self) -> &[String] {
        &self.header.names
    }

    /// Column types (empty until the header has been read, when there is one).
    pub fn types(&self) -> &[DataType] {
        &self.header.types
    }

    /// True once the header (if any) has been decoded.
    pub fn header_complete(&self) -> bool {
        self.stage == Stage::Rows
    }

    /// Tries to decode the header now; `Ok(false)` means more input is needed. Useful to learn
    /// the columns before the first row arrives.
    pub fn poll_header(&mut self) -> Result<bool, DecodeError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let Stage::Header(encoding) = self.stage else {
            return Ok(true);
        };
        if self.buffered() < self.need {
            return Ok(false);
        }
        let mut cur = ByteCursor::new(&self.buf[self.start..]);
        match decode_header(&mut cur, &self.limits, encoding) {
            Ok(h) => {
                self.start += cur.position();
                self.need = 0;
                self.header = h;
                if self.json_as_text {
                    self.header.types = self.header.types.iter().map(json_as_text_type).collect();
                }
                self.stage = Stage::Rows;
                Ok(true)
            }
            Err(e) => self.on_error(e).map(|()| false),
        }
    }

    /// Appends input bytes.
    pub fn feed(&mut self, data: &[u8]) {
        // Drop consumed bytes when they dominate the buffer: amortized O(1) per byte.
        if self.start > 0 && self.start * 2 >= self.buf.len() {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(data);
    }

    /// Bytes buffered and not yet decoded.
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.start
    }

    fn on_error(&mut self, e: ReadError) -> Result<(), DecodeError> {
        match e {
            ReadError::Short(n) => {
                self.need = self.buffered() + n;
                Ok(())
            }
            ReadError::Bad(e) => {
                self.failed = Some(e.clone());
                Err(e)
            }
        }
    }

    /// Decodes the next complete row, or `Ok(None)` if more input is needed.
    pub fn next_row(&mut self) -> Result<Option<Vec<Value>>, DecodeError> {
        let mut row = Vec::new();
        Ok(self.next_row_into(&mut row)?.then_some(row))
    }

    /// Like [`next_row`](Self::next_row) but reuses `row`'s allocation; returns whether a row
    /// was decoded.
    pub fn next_row_into(&mut self, row: &mut Vec<Value>) -> Result<bool, DecodeError> {
        self.next_row_with(|types, cur, limits| decode_row_into(types, cur, limits, row))
    }

    /// Reads the next complete row with `read` (given the column types, a cursor at the row's
    /// start and the limits), or returns `Ok(false)` if more input is needed. The buffering,
    /// header and error rules are [`next_row_into`](Self::next_row_into)'s; `read` must leave
    /// no trace of a row it could not finish (it is called again once more bytes arrived).
    pub fn next_row_with<F>(&mut self, read: F) -> Result<bool, DecodeError>
    where
        F: FnOnce(&[DataType], &mut ByteCursor<'_>, &DecodeLimits) -> Result<(), ReadError>,
    {
        if !self.poll_header()? {
            return Ok(false);
        }
        // A row of zero columns occupies zero bytes: there is nothing to delimit rows with.
        if self.header.types.is_empty() || self.buffered() == 0 || self.buffered() < self.need {
            return Ok(false);
        }
        let mut cur = ByteCursor::new(&self.buf[self.start..]);
        let read = read(&self.header.types, &mut cur, &self.limits);
        let taken = cur.position();
        match read {
            Ok(()) if taken == 0 => {
                self.on_error(ReadError::Bad(zero_width_rows(0)))?;
                Ok(false)
            }
            Ok(()) => {
                self.start += taken;
                self.need = 0;
                Ok(true)
            }
            Err(e) => self.on_error(e).map(|()| false),
        }
    }

    /// Declares the end of input: errors if a header or row was left incomplete.
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        if !self.poll_header()? {
            return Err(DecodeError::Truncated("RowBinary header"));
        }
        if self.buffered() > 0 {
            return Err(DecodeError::Truncated("RowBinary row"));
        }
        Ok(())
    }
}
