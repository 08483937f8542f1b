//! Decoders of typed reads: a result's bytes (`RowBinaryWithNamesAndTypes`, or Native blocks
//! re-laid as RowBinary) into [`RowBatch`]es of complete rows, and those into `T`s for calls
//! that return every row at once.

use bytes::Bytes;
use chwire_proto::rowbinary::json_as_text_type;
use chwire_proto::{Block, ByteCursor, DataType, DecodeLimits, NativeDecoder};

use super::Decode;
use crate::config::Format;
use crate::error::{Error, Result};
use crate::row::{Row, RowBatch, RowError, RowShape, SkipStep, read_header, skip_plan, skip_row};

/// `FORMAT RowBinaryWithNamesAndTypes` for typed rows `T` (serde, see [`crate::row`]) into
/// [`RowBatch`]es: checks the header against `T`'s columns once, then steps over each row by
/// its column types to find where complete rows end. The input is gathered once; a batch is
/// that buffer itself, and only an incomplete last row is copied into the next one.
pub(crate) struct RowBatchDecode<T> {
    buf: Vec<u8>,
    start: usize,
    header: Option<RowsHeader>,
    limits: DecodeLimits,
    _row: std::marker::PhantomData<fn() -> T>,
}

/// What a result's header says about its rows.
struct RowsHeader {
    shape: RowShape,
    /// How to step over a row of these columns.
    plan: Vec<SkipStep>,
}

impl<T> RowBatchDecode<T> {
    pub(crate) fn new() -> Self {
        RowBatchDecode {
            buf: Vec::new(),
            start: 0,
            header: None,
            limits: DecodeLimits::default(),
            _row: std::marker::PhantomData,
        }
    }
}

impl<T> Decode for RowBatchDecode<T>
where
    T: Row + Send + 'static,
{
    type Item = RowBatch;
    fn feed(&mut self, data: Bytes, out: &mut Vec<RowBatch>) -> Result<()> {
        self.buf.extend_from_slice(&data);
        if self.header.is_none() {
            let mut cur = ByteCursor::new(&self.buf[self.start..]);
            match read_header(&mut cur, &self.limits) {
                Ok(cols) => {
                    self.start += cur.position();
                    self.header = Some(RowsHeader {
                        plan: skip_plan(&cols),
                        shape: RowShape::of::<T>(cols).map_err(Error::Row)?,
                    });
                }
                Err(e) if e.is_incomplete() => return Ok(()),
                Err(e) => return Err(Error::Row(e)),
            }
        }
        let Some(header) = &self.header else {
            return Ok(());
        };
        let mut cur = ByteCursor::new(&self.buf[self.start..]);
        let mut rows = 0;
        while !cur.is_empty() {
            let at = cur.position();
            match skip_row(&mut cur, &header.plan, &self.limits) {
                Ok(()) if cur.position() == at => {
                    // Rows of these columns take no bytes, yet bytes follow: they cannot be
                    // rows of this result (and counting them would never end).
                    return Err(Error::Row(RowError::invalid(
                        "bytes follow rows whose columns take no bytes in RowBinary",
                    )));
                }
                Ok(()) => rows += 1,
                Err(e) if e.is_incomplete() => break,
                Err(e) => return Err(Error::Row(e)),
            }
        }
        if rows == 0 {
            return Ok(());
        }
        let end = self.start + cur.position();
        let tail = self.buf[end..].to_vec();
        let mut batch = std::mem::replace(&mut self.buf, tail);
        batch.truncate(end);
        out.push(RowBatch::new(
            header.shape.clone(),
            self.limits,
            Bytes::from(batch).slice(self.start..),
            rows,
        ));
        self.start = 0;
        Ok(())
    }
    fn finish(&mut self, _: &mut Vec<RowBatch>) -> Result<()> {
        if self.start < self.buf.len() {
            return Err(Error::Decode(chwire_proto::DecodeError::Truncated(
                "RowBinary row",
            )));
        }
        Ok(())
    }
}

/// `FORMAT Native` for typed rows `T`: blocks decoded off-loop, one [`RowBatch`] per block,
/// read from the block's columns ([`RowBatch::of_block`]: no row is laid out; a value
/// the column cannot hand over as it is goes through the same value deserializer as RowBinary
/// results). The server writes Native
/// several times more cheaply than RowBinary, which is what bounds a typed select. `T`'s
/// columns are checked against the first block; an empty result has no block (Native sends
/// no header), so there is nothing to check.
pub(crate) struct NativeRowsDecode<T> {
    native: NativeDecoder,
    shape: Option<RowShape>,
    limits: DecodeLimits,
    _row: std::marker::PhantomData<fn() -> T>,
}

impl<T> NativeRowsDecode<T> {
    pub(crate) fn new() -> Self {
        NativeRowsDecode {
            native: NativeDecoder::new(),
            shape: None,
            limits: DecodeLimits::default(),
            _row: std::marker::PhantomData,
        }
    }
}

impl<T: Row> NativeRowsDecode<T> {
    fn batch(&mut self, block: Block, out: &mut Vec<RowBatch>) -> Result<()> {
        // A native header block declares `JSON` where the data blocks, with the JSON sent as
        // text, bring `String`s: the same column (the row decoder reads `JSON` as text).
        let same_type = |a: &DataType, b: &DataType| json_as_text_type(a) == json_as_text_type(b);
        let same_columns = |cols: &[(String, DataType)]| {
            cols.len() == block.columns.len()
                && cols
                    .iter()
                    .zip(&block.columns)
                    .all(|((n, t), (bn, bc))| n == bn && same_type(t, bc.data_type()))
        };
        let shape = match &self.shape {
            Some(shape) => {
                if !same_columns(shape.columns()) {
                    return Err(Error::pipeline(
                        "a Native block's columns differ from the first block's",
                    ));
                }
                shape.clone()
            }
            None => {
                let columns = block
                    .columns
                    .iter()
                    .map(|(n, c)| (n.clone(), c.data_type().clone()))
                    .collect();
                let shape = RowShape::of::<T>(columns).map_err(Error::Row)?;
                self.shape = Some(shape.clone());
                shape
            }
        };
        if block.rows == 0 {
            return Ok(());
        }
        out.push(RowBatch::of_block(shape, self.limits, block).map_err(Error::Row)?);
        Ok(())
    }
}

impl<T> Decode for NativeRowsDecode<T>
where
    T: Row + Send + 'static,
{
    type Item = RowBatch;
    fn feed(&mut self, data: Bytes, out: &mut Vec<RowBatch>) -> Result<()> {
        self.native.feed_bytes(data);
        while let Some(block) = self.native.next_block()? {
            self.batch(block, out)?;
        }
        Ok(())
    }
    fn finish(&mut self, out: &mut Vec<RowBatch>) -> Result<()> {
        while let Some(block) = self.native.finish()? {
            self.batch(block, out)?;
        }
        Ok(())
    }
}

/// The [`RowBatch`] source for a typed read in the client's format: what the request asks
/// the server for, and the decoder of that answer.
pub(crate) enum RowBatches<T> {
    /// Boxed: the Native decoder is several times the size of the RowBinary one.
    Native(Box<NativeRowsDecode<T>>),
    RowBinary(RowBatchDecode<T>),
}

impl<T> RowBatches<T> {
    pub(crate) fn for_format(format: Format) -> Self {
        match format {
            Format::Native => RowBatches::Native(Box::new(NativeRowsDecode::new())),
            Format::RowBinary => RowBatches::RowBinary(RowBatchDecode::new()),
        }
    }

    /// The `FORMAT` to request.
    pub(crate) fn format(&self) -> &'static str {
        match self {
            RowBatches::Native(_) => "Native",
            RowBatches::RowBinary(_) => "RowBinaryWithNamesAndTypes",
        }
    }
}

impl<T> Decode for RowBatches<T>
where
    T: Row + Send + 'static,
{
    type Item = RowBatch;
    fn feed(&mut self, data: Bytes, out: &mut Vec<RowBatch>) -> Result<()> {
        match self {
            RowBatches::Native(d) => d.feed(data, out),
            RowBatches::RowBinary(d) => d.feed(data, out),
        }
    }
    /// The native protocol's blocks (its header block first, so `T` is checked even for an
    /// empty result), in either client format: they are laid out as for a Native result.
    fn feed_block(&mut self, block: Block, out: &mut Vec<RowBatch>) -> Result<()> {
        loop {
            match self {
                RowBatches::Native(d) => return d.batch(block, out),
                RowBatches::RowBinary(_) => {
                    *self = RowBatches::Native(Box::new(NativeRowsDecode::new()));
                }
            }
        }
    }
    fn finish(&mut self, out: &mut Vec<RowBatch>) -> Result<()> {
        match self {
            RowBatches::Native(d) => d.finish(out),
            RowBatches::RowBinary(d) => d.finish(out),
        }
    }
    fn item_rows(batch: &RowBatch) -> u64 {
        batch.rows() as u64
    }
}

/// Typed rows `T` materialised off-loop (for calls that return them all at once, such as
/// `fetch_all`): the [`RowBatch`]es of `S` ([`RowBatches`]), each
/// turned into `T`s at once.
pub(crate) struct TypedDecode<T, S> {
    batches: S,
    found: Vec<RowBatch>,
    _row: std::marker::PhantomData<fn() -> T>,
}

impl<T, S> TypedDecode<T, S> {
    pub(crate) fn new(batches: S) -> Self {
        TypedDecode {
            batches,
            found: Vec::new(),
            _row: std::marker::PhantomData,
        }
    }

    fn rows(&mut self, out: &mut Vec<T>) -> Result<()>
    where
        T: serde::de::DeserializeOwned,
    {
        for mut batch in self.found.drain(..) {
            out.reserve(batch.rows());
            while let Some(row) = batch.next_row::<T>() {
                out.push(row.map_err(|e| Error::Row(*e))?);
            }
        }
        Ok(())
    }
}

impl<T, S> Decode for TypedDecode<T, S>
where
    T: Row + serde::de::DeserializeOwned + Send + 'static,
    S: Decode<Item = RowBatch>,
{
    type Item = T;
    fn feed(&mut self, data: Bytes, out: &mut Vec<T>) -> Result<()> {
        self.batches.feed(data, &mut self.found)?;
        self.rows(out)
    }
    fn feed_block(&mut self, block: Block, out: &mut Vec<T>) -> Result<()> {
        self.batches.feed_block(block, &mut self.found)?;
        self.rows(out)
    }
    fn item_rows(_: &T) -> u64 {
        1
    }
    fn finish(&mut self, out: &mut Vec<T>) -> Result<()> {
        self.batches.finish(&mut self.found)?;
        self.rows(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, crate::Row, serde::Deserialize)]
    #[allow(dead_code)]
    struct OneNumber {
        x: u64,
    }

    /// A RowBinary result whose rows take no bytes cannot be cut into rows when bytes follow:
    /// an error, not an endless loop.
    #[test]
    fn zero_width_rows_with_trailing_bytes_are_an_error() {
        let mut body = vec![1, 1, b'x', 7];
        body.extend_from_slice(b"Tuple()");
        body.push(0x42);
        let mut decoder = RowBatchDecode::<OneNumber>::new();
        let err = decoder
            .feed(Bytes::from(body), &mut Vec::new())
            .unwrap_err();
        assert!(matches!(err, Error::Row(_)), "{err:?}");
    }
}
