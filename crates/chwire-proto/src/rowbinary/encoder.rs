//! Row-at-a-time RowBinary encoding into a growing buffer.

use bytes::{Bytes, BytesMut};

use super::header::{TypeEncoding, encode_header};
use super::value_codec::encode_value;
use crate::wire::DecodeError;
use crate::{DataType, Value};

/// Encodes rows of fixed column types. A row that fails to encode leaves no bytes behind.
#[derive(Debug)]
pub struct RowBinaryEncoder {
    types: Vec<DataType>,
    buf: BytesMut,
    rows: u64,
}

impl RowBinaryEncoder {
    /// Plain `RowBinary` (no header).
    pub fn new(types: Vec<DataType>) -> Self {
        RowBinaryEncoder {
            types,
            buf: BytesMut::new(),
            rows: 0,
        }
    }

    /// `RowBinaryWithNamesAndTypes`: the header is written immediately.
    pub fn with_names_and_types<S: AsRef<str>>(
        names: &[S],
        types: Vec<DataType>,
        encoding: TypeEncoding,
    ) -> Result<Self, DecodeError> {
        let mut enc = Self::new(types);
        encode_header(names, &enc.types, encoding, &mut enc.buf)?;
        Ok(enc)
    }

    /// The column types each row is encoded with, in column order.
    pub fn types(&self) -> &[DataType] {
        &self.types
    }

    /// Appends one row; on error the buffer is left as it was.
    pub fn write_row(&mut self, row: &[Value]) -> Result<(), DecodeError> {
        if row.len() != self.types.len() {
            return Err(DecodeError::TypeMismatch {
                ty: "row".into(),
                reason: format!("{} values for {} columns", row.len(), self.types.len()),
            });
        }
        let mark = self.buf.len();
        for (t, v) in self.types.iter().zip(row) {
            if let Err(e) = encode_value(t, v, &mut self.buf) {
                self.buf.truncate(mark);
                return Err(e);
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The bytes encoded and not yet taken.
    pub fn buffer(&self) -> &[u8] {
        &self.buf
    }

    /// Bytes encoded and not yet taken (header included until the first [`take`](Self::take)).
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// True when no bytes are waiting to be taken.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Takes the encoded bytes (e.g. to send them as one chunk), leaving the buffer empty.
    pub fn take(&mut self) -> Bytes {
        self.buf.split().freeze()
    }
}
