//! [`NativeDecoder`]: an incremental `FORMAT Native` decoder fed with bytes as they arrive.

use std::collections::VecDeque;

use bytes::Bytes;

use super::fill::ColumnFill;
use super::{
    Block, BlockInfo, NativeOptions, default_type_parser, read, read_block_info, read_column_header,
};
use crate::column::Column;
use crate::wire::{ByteCursor, DecodeError, DecodeLimits, ReadError};
use crate::{DataType, TypeParseError};

/// Incremental decoder of a `FORMAT Native` byte stream into [`Block`]s.
///
/// Feed bytes as they arrive and call [`next_block`](Self::next_block) until it returns
/// `Ok(None)`; at the end of the stream call [`finish`](Self::finish) until it returns
/// `Ok(None)`.
///
/// A block is decoded a column at a time, and a decoded column is never parsed again.
///
/// - Plain columns (fixed-width numbers, dates, decimals, `FixedString`, and `String`) are
///   decoded straight from the input as it arrives, in whatever pieces: their bytes are never
///   gathered into the decoder's buffer first nor parsed twice. That is one copy of the bulk of
///   most results instead of two.
/// - Any other column is parsed from the buffered bytes once they are complete, by re-parsing
///   from the column's start. To keep that linear when a large column arrives in many small
///   pieces, a failed attempt records how many bytes it provably needs (position of the short
///   read + missing bytes) and the next attempt waits until at least that many bytes *and*
///   1.5× the bytes of the failed attempt are buffered. The attempted sizes grow
///   geometrically, so total parsing work stays within a small constant factor of the column
///   size. The cost: a complete column may wait for up to half its size of following bytes
///   (or for [`finish`](Self::finish)) before it is decoded.
#[derive(Debug, Clone)]
pub struct NativeDecoder {
    buf: Vec<u8>,
    /// Start of the undecoded bytes in `buf`.
    start: usize,
    /// Stream offset of the first undecoded byte (`buf[start]` when anything is buffered):
    /// error offsets count from the start of the stream, not from where a parse resumed.
    offset: usize,
    /// Do not attempt a decode before this many undecoded bytes are buffered.
    retry_at: usize,
    /// The block whose header has been read, with the columns decoded so far.
    block: Option<PartialBlock>,
    /// Blocks decoded but not yet returned.
    ready: VecDeque<Block>,
    limits: DecodeLimits,
    options: NativeOptions,
    parser: fn(&str) -> Result<DataType, TypeParseError>,
    /// Type strings of the previous block, which almost always repeat.
    type_cache: Vec<(String, DataType)>,
    /// The error that stopped decoding, reported after the blocks decoded before it.
    error: Option<DecodeError>,
    failed: bool,
    /// Decode attempts so far (observability for the retry spacing).
    attempts: u64,
    /// One-block mode ([`feed_one`](NativeDecoder::feed_one)): decoding stops at the end of
    /// the first block, and a column is retried as soon as its provably needed bytes are in.
    single: bool,
    /// The [`BlockInfo`]s of the blocks in `ready`, when the options say blocks carry one.
    infos: VecDeque<BlockInfo>,
}

/// A block being decoded.
#[derive(Debug, Clone)]
struct PartialBlock {
    info: BlockInfo,
    ncols: usize,
    rows: usize,
    columns: Vec<(String, Column)>,
    /// The column being decoded straight from the input.
    filling: Option<ColumnFill>,
}

impl Default for NativeDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl NativeDecoder {
    /// A decoder with the default limits and options and the default type parser.
    pub fn new() -> Self {
        NativeDecoder {
            buf: Vec::new(),
            start: 0,
            offset: 0,
            retry_at: 0,
            block: None,
            ready: VecDeque::new(),
            limits: DecodeLimits::default(),
            options: NativeOptions::default(),
            parser: default_type_parser,
            type_cache: Vec::new(),
            error: None,
            failed: false,
            attempts: 0,
            single: false,
            infos: VecDeque::new(),
        }
    }

    /// Replaces the limits that bound a block's memory.
    pub fn with_limits(mut self, limits: DecodeLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Replaces the decoding options.
    pub fn with_options(mut self, options: NativeOptions) -> Self {
        self.options = options;
        self
    }

    /// Counts error offsets from `offset` instead of 0: for a stream embedded in a larger one
    /// (a block inside a native TCP packet), so errors carry the outer stream's offsets.
    pub fn with_stream_offset(mut self, offset: usize) -> Self {
        self.offset = offset;
        self
    }

    /// Stream offset of the first byte not decoded yet (the end of the last block after
    /// [`take_one`](Self::take_one)).
    pub fn stream_offset(&self) -> usize {
        self.offset
    }

    /// Replaces the type-string parser (default: [`DataType::parse`]).
    pub fn with_type_parser(
        mut self,
        parser: fn(&str) -> Result<DataType, TypeParseError>,
    ) -> Self {
        self.parser = parser;
        self
    }

    /// Feeds input bytes.
    ///
    /// When nothing is buffered (the usual case), the bytes are decoded where they lie: plain
    /// columns straight into their vectors, other columns when complete within `data`. Only
    /// what cannot be decoded yet is copied into the buffer.
    pub fn feed(&mut self, data: &[u8]) {
        if self.failed {
            return;
        }
        let mut data = data;
        if self.buffered() == 0 {
            let used = self.decode(data);
            data = &data[used..];
        }
        if data.is_empty() || self.failed {
            return;
        }
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(data);
    }

    /// Feeds input bytes; the same as [`feed`](Self::feed).
    pub fn feed_bytes(&mut self, data: Bytes) {
        self.feed(&data);
    }

    /// One-block mode, for protocols where a block is followed by other data (the native TCP
    /// protocol: one block per packet, no length prefix). Feeds `data` up to the end of the
    /// current block and returns how many bytes of it were used; once the block is complete
    /// (or decoding failed) it takes nothing more until [`take_one`](Self::take_one).
    ///
    /// Unlike the streaming mode, a column that needs more bytes is parsed again as soon as the
    /// bytes it provably needs are buffered: the protocol may send nothing more until the
    /// client acts, so the block cannot wait for later input.
    pub fn feed_one(&mut self, data: &[u8]) -> usize {
        self.single = true;
        if self.failed || !self.ready.is_empty() {
            return 0;
        }
        if self.buffered() == 0 {
            let used = self.decode(data);
            if self.failed || !self.ready.is_empty() {
                return used;
            }
            self.buf.extend_from_slice(&data[used..]);
            return data.len();
        }
        self.buf.extend_from_slice(data);
        if self.buffered() >= self.retry_at {
            self.decode_buffered();
        }
        data.len()
    }

    /// In one-block mode: the completed block with its [`BlockInfo`] (default when the options
    /// carry none) and the bytes fed after its end (to be parsed as what follows the block),
    /// or `Ok(None)` while the block needs more input.
    pub fn take_one(&mut self) -> Result<Option<(BlockInfo, Block, Vec<u8>)>, DecodeError> {
        match self.take_ready()? {
            Some(block) => {
                let info = self.infos.pop_front().unwrap_or_default();
                let rest = self.buf[self.start..].to_vec();
                self.buf.clear();
                self.start = 0;
                self.retry_at = 0;
                Ok(Some((info, block, rest)))
            }
            None => Ok(None),
        }
    }

    /// Bytes buffered but not yet decoded (not counting bytes already decoded into a column).
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.start
    }

    /// How many times buffered input was parsed again after more bytes arrived (the retry
    /// spacing keeps this logarithmic in a column's size).
    pub fn attempts(&self) -> u64 {
        self.attempts
    }

    /// The next complete block, or `Ok(None)` when more input is needed.
    pub fn next_block(&mut self) -> Result<Option<Block>, DecodeError> {
        if self.ready.is_empty()
            && !self.failed
            && self.buffered() > 0
            && self.buffered() >= self.retry_at
        {
            self.decode_buffered();
        }
        self.take_streamed()
    }

    /// A ready block in streaming mode, its [`BlockInfo`] dropped.
    fn take_streamed(&mut self) -> Result<Option<Block>, DecodeError> {
        let block = self.take_ready()?;
        if block.is_some() {
            self.infos.pop_front();
        }
        Ok(block)
    }

    /// Signals the end of input: returns the remaining complete blocks one per call, then
    /// `Ok(None)`; fails with [`DecodeError::Truncated`] if the input ends inside a block.
    pub fn finish(&mut self) -> Result<Option<Block>, DecodeError> {
        if self.ready.is_empty() && !self.failed && self.buffered() > 0 {
            self.decode_buffered();
        }
        match self.take_streamed()? {
            Some(block) => Ok(Some(block)),
            None if self.block.is_some() || self.buffered() > 0 => {
                self.failed = true;
                Err(DecodeError::Truncated("Native block"))
            }
            None => Ok(None),
        }
    }

    /// Decoded blocks first, then the error that stopped decoding, if any.
    fn take_ready(&mut self) -> Result<Option<Block>, DecodeError> {
        if let Some(block) = self.ready.pop_front() {
            return Ok(Some(block));
        }
        if self.failed {
            return Err(self.error.take().unwrap_or(DecodeError::Malformed {
                offset: self.offset,
                reason: "decoder failed earlier".into(),
            }));
        }
        Ok(None)
    }

    fn decode_buffered(&mut self) {
        self.attempts += 1;
        let buf = std::mem::take(&mut self.buf);
        self.start += self.decode(&buf[self.start..]);
        self.buf = buf;
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        }
    }

    /// Decodes from `input` as far as it goes: complete blocks go to `ready`, a failure to
    /// `error`; a column that needs more bytes sets `retry_at`. Returns the bytes consumed.
    fn decode(&mut self, input: &[u8]) -> usize {
        let used = self.decode_from(input);
        self.offset += used;
        used
    }

    /// [`decode`](Self::decode) without advancing the stream offset (`input` starts there).
    fn decode_from(&mut self, input: &[u8]) -> usize {
        let mut used = 0;
        loop {
            let base = self.offset + used;
            let (n, outcome) = self.resume(&input[used..]);
            used += n;
            match outcome {
                Ok(Some(block)) => {
                    self.ready.push_back(block);
                    if self.single {
                        return used;
                    }
                }
                Ok(None) => return used,
                Err(ReadError::Short(missing)) => {
                    // `missing` counts bytes beyond the end of the input; what is left of the
                    // input is what will be buffered.
                    let avail = input.len() - used;
                    let needed = avail.saturating_add(missing);
                    self.retry_at = if self.single {
                        needed
                    } else {
                        needed.max(avail.saturating_add(avail / 2))
                    };
                    return used;
                }
                Err(ReadError::Bad(e)) => {
                    self.failed = true;
                    self.error = Some(e.shifted(base));
                    return used;
                }
            }
        }
    }

    /// Decodes the current block from `input` until it is complete (`Ok(Some)`), a plain
    /// column has taken all of `input` (`Ok(None)`), or a column or the block header is
    /// incomplete (`Short`; it is parsed again from its start later). Returns the bytes
    /// consumed with the outcome; error offsets count from the start of `input`.
    fn resume(&mut self, input: &[u8]) -> (usize, Result<Option<Block>, ReadError>) {
        let mut pos = 0;
        loop {
            let mut cur = ByteCursor::new(&input[pos..]);
            let step = self.step(&mut cur);
            match step {
                Ok(Step::Consumed) => pos += cur.position(),
                Ok(Step::Filled(n)) => pos += n,
                Ok(Step::NeedMore) => return (input.len(), Ok(None)),
                Ok(Step::Block(block)) => return (pos, Ok(Some(block))),
                Err(e) => return (pos, Err(e.shifted(pos))),
            }
        }
    }

    /// One step of [`resume`](Self::resume): the block header, one column, a fill from the
    /// input, or the finished block.
    fn step(&mut self, cur: &mut ByteCursor<'_>) -> Result<Step, ReadError> {
        let Some(block) = self.block.as_mut() else {
            let info = if self.options.block_info {
                read_block_info(cur, &self.limits)?
            } else {
                BlockInfo::default()
            };
            let ncols = cur.length(self.limits.max_columns, "column count")?;
            let rows = cur.length(self.limits.max_collection_len, "row count")?;
            self.retry_at = 0;
            self.block = Some(PartialBlock {
                info,
                ncols,
                rows,
                columns: Vec::with_capacity(ncols.min(1024)),
                filling: None,
            });
            return Ok(Step::Consumed);
        };
        if let Some(fill) = block.filling.as_mut() {
            let n = fill.take(cur.remaining()).map_err(ReadError::Bad)?;
            if !fill.is_complete() {
                return Ok(Step::NeedMore);
            }
            if let Some(fill) = block.filling.take() {
                block.columns.push(fill.into_column());
            }
            return Ok(Step::Filled(n));
        }
        if block.columns.len() == block.ncols {
            let Some(PartialBlock {
                columns,
                rows,
                info,
                ..
            }) = self.block.take()
            else {
                unreachable!("the block was just matched");
            };
            if self.options.block_info {
                self.infos.push_back(info);
            }
            return Ok(Step::Block(Block { columns, rows }));
        }
        let cache = &mut self.type_cache;
        let parser = self.parser;
        let mut parse = |text: &str| -> Result<DataType, TypeParseError> {
            if let Some((_, t)) = cache.iter().find(|(s, _)| s == text) {
                return Ok(t.clone());
            }
            let t = parser(text)?;
            if cache.len() >= 256 {
                cache.clear();
            }
            cache.push((text.to_string(), t.clone()));
            Ok(t)
        };
        let (name, ty, kinds) = read_column_header(cur, &self.limits, &self.options, &mut parse)?;
        if block.rows == 0 {
            // The server writes no data at all for a column of no rows (not even state
            // prefixes): the header block of a native TCP result.
            block.columns.push((name.to_string(), Column::empty(&ty)));
            self.retry_at = 0;
            return Ok(Step::Consumed);
        }
        // Sparse and replicated columns are not plain: they are read whole and densified.
        let fill = match kinds.is_default() {
            true => ColumnFill::start(
                name,
                &ty,
                block.rows,
                self.limits.max_string_len,
                self.options.strings(),
            )?,
            false => None,
        };
        if fill.is_some() {
            block.filling = fill;
        } else {
            let name = name.to_string();
            let mut reader = read::ColumnReader {
                limits: &self.limits,
                parse: &mut parse,
                strings: self.options.strings(),
            };
            let col = reader.read_column_kinds(cur, &ty, block.rows, &kinds)?;
            block.columns.push((name, col));
        }
        self.retry_at = 0;
        Ok(Step::Consumed)
    }
}

/// What one decoding step did.
enum Step {
    /// Parsed the block header or a column header (and the column, unless it fills from the
    /// input): `cur.position()` bytes.
    Consumed,
    /// A fill took this many bytes and completed its column.
    Filled(usize),
    /// A fill took all the input and needs more.
    NeedMore,
    Block(Block),
}
