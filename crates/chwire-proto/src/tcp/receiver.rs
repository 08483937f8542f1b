//! The server-packet parser: demultiplexes received bytes into [`Packet`]s, decompressing and
//! decoding blocks as they arrive.
//!
//! Blocks carry no length, so a packet's end is found only by decoding it. Block packets go
//! to a one-block [`NativeDecoder`] (through a [`CompressedBlockReader`] when compressed),
//! straight from the received bytes when nothing is buffered; other packets are parsed from
//! the buffered bytes once complete, re-tried only when the bytes they provably need are in.

use crate::compression::{CHECKSUM_SIZE, CompressedBlockReader};
use crate::native::{Block, BlockInfo, NativeDecoder};
use crate::server::{Progress, ServerException};
use crate::wire::{ByteCursor, DecodeError, DecodeLimits, ReadError};

use super::error::TcpError;
use super::revision::{COMPRESSED_LOGS, block_options};
use super::server::{
    ProfileInfo, ServerHello, code, read_exception, read_hello, read_profile_info, read_progress,
    read_string, unexpected_name,
};

/// One server packet.
#[derive(Debug, Clone, PartialEq)]
pub enum Packet {
    /// The server's handshake reply.
    Hello(ServerHello),
    /// A block of a query's result (or an INSERT's schema), with its header.
    Data(BlockInfo, Block),
    /// The totals row of a `WITH TOTALS` query.
    Totals(Block),
    /// The minimum and maximum rows (`extremes = 1`).
    Extremes(Block),
    /// Server log lines (`send_logs_level`).
    Log(Block),
    /// A block of profile event counters.
    ProfileEvents(Block),
    /// The query failed on the server.
    Exception(ServerException),
    /// An increment of the query's counters.
    Progress(Progress),
    /// The query's execution profile (rows, blocks, bytes).
    ProfileInfo(ProfileInfo),
    /// The columns of an INSERT's target table, with their defaults.
    TableColumns {
        /// The table's name.
        table: String,
        /// The columns' description, in the server's text form.
        description: String,
    },
    /// The time zone the server switched the session to.
    TimezoneUpdate(String),
    /// The answer to a Ping.
    Pong,
    /// The query completed.
    EndOfStream,
}

/// Which packet a block belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Data,
    Totals,
    Extremes,
    Log,
    ProfileEvents,
}

#[derive(Debug, Clone)]
struct BlockState {
    kind: BlockKind,
    decoder: NativeDecoder,
    frames: Option<CompressedBlockReader>,
    /// Stream offset of the first compressed byte `frames` has not returned yet.
    frames_at: usize,
}

/// Parses server packets from bytes fed in any pieces.
#[derive(Debug, Clone)]
pub struct Receiver {
    /// The client's revision until the Hello, then the negotiated one.
    revision: u64,
    hello_seen: bool,
    compressed: bool,
    limits: DecodeLimits,
    buf: Vec<u8>,
    start: usize,
    /// Stream offset of the first byte not consumed (`buf[start]` when anything is buffered):
    /// error offsets count from the first byte fed, however the input was split.
    offset: usize,
    /// Do not parse the buffered packet again before this many bytes are buffered.
    need: usize,
    block: Option<BlockState>,
    failed: bool,
}

impl Receiver {
    /// A receiver for a client at `client_revision` (until the server's Hello lowers it), with `limits` bounding each block.
    pub fn new(client_revision: u64, limits: DecodeLimits) -> Receiver {
        Receiver {
            revision: client_revision,
            hello_seen: false,
            compressed: false,
            limits,
            buf: Vec::new(),
            start: 0,
            offset: 0,
            need: 0,
            block: None,
            failed: false,
        }
    }

    /// The negotiated revision (the client's before the server's Hello).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Whether the current query's blocks are compressed.
    pub fn set_compressed(&mut self, compressed: bool) {
        self.compressed = compressed;
    }

    /// Whether part of a packet is buffered (a packet has started and not ended).
    pub fn in_packet(&self) -> bool {
        self.block.is_some() || self.start < self.buf.len()
    }

    /// Parses `data`, appending every complete packet to `out`. After an error the receiver
    /// stays failed.
    pub fn feed(&mut self, data: &[u8], out: &mut Vec<Packet>) -> Result<(), TcpError> {
        if self.failed {
            return Err(TcpError::Failed);
        }
        let result = self.feed_inner(data, out);
        if result.is_err() {
            self.failed = true;
        }
        result
    }

    fn feed_inner(&mut self, data: &[u8], out: &mut Vec<Packet>) -> Result<(), TcpError> {
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
            let mut pos = 0;
            self.drive(data, &mut pos, out)?;
            self.buf.extend_from_slice(&data[pos..]);
            return Ok(());
        }
        self.buf.extend_from_slice(data);
        if self.buf.len() - self.start < self.need && self.block.is_none() {
            return Ok(());
        }
        let buf = std::mem::take(&mut self.buf);
        let mut pos = self.start;
        let result = self.drive(&buf, &mut pos, out);
        self.buf = buf;
        self.start = pos;
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        } else if self.start > self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        result
    }

    /// Parses packets from `src[*pos..]`, advancing `pos` past what is consumed.
    fn drive(
        &mut self,
        src: &[u8],
        pos: &mut usize,
        out: &mut Vec<Packet>,
    ) -> Result<(), TcpError> {
        // Stream offset of `src[0]`.
        let origin = self.offset - *pos;
        let result = self.drive_from(origin, src, pos, out);
        self.offset = origin + *pos;
        result
    }

    /// [`drive`](Self::drive), `src[0]` being at stream offset `origin`.
    fn drive_from(
        &mut self,
        origin: usize,
        src: &[u8],
        pos: &mut usize,
        out: &mut Vec<Packet>,
    ) -> Result<(), TcpError> {
        loop {
            if self.block.is_some() {
                match self.continue_block(src, pos)? {
                    Some(packet) => out.push(packet),
                    None => return Ok(()),
                }
                continue;
            }
            if *pos == src.len() {
                return Ok(());
            }
            let mut cur = ByteCursor::new(&src[*pos..]);
            match self.packet(&mut cur, origin + *pos) {
                Ok(Some(packet)) => out.push(packet),
                Ok(None) => {}
                Err(PacketError::Read(ReadError::Short(missing))) => {
                    self.need = (src.len() - *pos).saturating_add(missing);
                    return Ok(());
                }
                Err(PacketError::Read(ReadError::Bad(e))) => {
                    return Err(TcpError::Decode(e.shifted(origin + *pos)));
                }
                Err(PacketError::Compression(e)) => return Err(TcpError::Compression(e)),
                Err(PacketError::Type(t)) => {
                    return Err(match unexpected_name(t) {
                        Some(packet) => TcpError::NotForClient(packet),
                        None => TcpError::UnknownPacket(t),
                    });
                }
            }
            self.need = 0;
            *pos += cur.position();
        }
    }

    /// Feeds the current block from `src[*pos..]`; the packet once the block is complete.
    fn continue_block(&mut self, src: &[u8], pos: &mut usize) -> Result<Option<Packet>, TcpError> {
        let Some(state) = self.block.as_mut() else {
            return Ok(None);
        };
        let fed = src.len() - *pos;
        let done = match state.frames.as_mut() {
            None => {
                *pos += state.decoder.feed_one(&src[*pos..]);
                match state.decoder.take_one()? {
                    Some((info, block, rest)) => {
                        // Bytes fed after the block's end are a suffix of this input.
                        *pos = pos
                            .checked_sub(rest.len())
                            .filter(|_| rest.len() <= fed)
                            .ok_or_else(|| internal("decoder returned more than it was fed"))?;
                        Some((info, block))
                    }
                    None => None,
                }
            }
            Some(frames) => {
                frames.feed(&src[*pos..]);
                *pos = src.len();
                let mut done = None;
                loop {
                    let before = frames.buffered();
                    let Some(frame) = frames.next_block()? else {
                        break;
                    };
                    // Decompressed bytes have no stream offset: an error in a frame is
                    // reported at the frame's start.
                    let frame_at = state.frames_at;
                    state.frames_at += before - frames.buffered();
                    let used = state.decoder.feed_one(&frame);
                    let taken = state.decoder.take_one().map_err(|e| e.at(frame_at))?;
                    if let Some((info, block, rest)) = taken {
                        if used != frame.len() || !rest.is_empty() {
                            return Err(TcpError::Decode(DecodeError::Malformed {
                                offset: frame_at,
                                reason: "a block ends inside a compressed frame".into(),
                            }));
                        }
                        let left = frames.buffer_mut().split();
                        if left.len() > fed {
                            return Err(internal("frame reader kept more than it was fed"));
                        }
                        *pos -= left.len();
                        done = Some((info, block));
                        break;
                    }
                }
                done
            }
        };
        let Some((info, block)) = done else {
            return Ok(None);
        };
        let kind = state.kind;
        self.block = None;
        Ok(Some(match kind {
            BlockKind::Data => Packet::Data(info, block),
            BlockKind::Totals => Packet::Totals(block),
            BlockKind::Extremes => Packet::Extremes(block),
            BlockKind::Log => Packet::Log(block),
            BlockKind::ProfileEvents => Packet::ProfileEvents(block),
        }))
    }

    /// Parses one packet, or the head of a block packet (then `Ok(None)`, the block follows).
    /// `at` is the stream offset of `cur`'s start; error offsets count from `cur`'s start.
    fn packet(
        &mut self,
        cur: &mut ByteCursor<'_>,
        at: usize,
    ) -> Result<Option<Packet>, PacketError> {
        let limits = self.limits;
        let kind = cur.varuint()?;
        let block = match kind {
            code::HELLO => {
                let hello = read_hello(cur, self.revision, &limits)?;
                self.revision = self.revision.min(hello.revision);
                self.hello_seen = true;
                return Ok(Some(Packet::Hello(hello)));
            }
            code::DATA => BlockKind::Data,
            code::TOTALS => BlockKind::Totals,
            code::EXTREMES => BlockKind::Extremes,
            code::LOG => BlockKind::Log,
            code::PROFILE_EVENTS => BlockKind::ProfileEvents,
            code::EXCEPTION => return Ok(Some(Packet::Exception(read_exception(cur, &limits)?))),
            code::PROGRESS => {
                return Ok(Some(Packet::Progress(read_progress(cur, self.revision)?)));
            }
            code::PONG => return Ok(Some(Packet::Pong)),
            code::END_OF_STREAM => return Ok(Some(Packet::EndOfStream)),
            code::PROFILE_INFO => {
                return Ok(Some(Packet::ProfileInfo(read_profile_info(
                    cur,
                    self.revision,
                )?)));
            }
            code::TABLE_COLUMNS => {
                return Ok(Some(
                    if self.compressed && self.revision >= COMPRESSED_LOGS {
                        // From 54481 the whole body (table name included) is one compressed frame;
                        // an error inside it is reported at the frame's start.
                        let frame_at = cur.position();
                        let frame = self.frame(cur)?;
                        let mut body = ByteCursor::new(&frame);
                        table_columns(&mut body, &limits).map_err(|e| match e {
                            ReadError::Short(_) => PacketError::Read(ReadError::Bad(truncated())),
                            ReadError::Bad(e) => PacketError::Read(ReadError::Bad(e.at(frame_at))),
                        })?
                    } else {
                        table_columns(cur, &limits)?
                    },
                ));
            }
            code::TIMEZONE_UPDATE => {
                return Ok(Some(Packet::TimezoneUpdate(read_string(cur, &limits)?)));
            }
            other => return Err(PacketError::Type(other)),
        };
        // The table name (external tables; empty in results) is never compressed.
        cur.string(&limits)?;
        let compressed = self.compressed
            && (matches!(
                block,
                BlockKind::Data | BlockKind::Totals | BlockKind::Extremes
            ) || self.revision >= COMPRESSED_LOGS);
        let options = block_options(self.revision);
        let block_at = at + cur.position();
        self.block = Some(BlockState {
            kind: block,
            decoder: NativeDecoder::new()
                .with_limits(limits)
                .with_options(options)
                .with_stream_offset(if compressed { 0 } else { block_at }),
            frames: compressed.then(CompressedBlockReader::new),
            frames_at: block_at,
        });
        Ok(None)
    }

    /// One whole compressed frame from `cur`, decompressed.
    fn frame(&self, cur: &mut ByteCursor<'_>) -> Result<bytes::Bytes, PacketError> {
        let mut head = cur.clone();
        head.bytes(CHECKSUM_SIZE + 1)?;
        let size = head.u32_le()?;
        if u64::from(size) > self.limits.max_string_len {
            return Err(ReadError::Bad(DecodeError::LimitExceeded {
                what: "compressed frame size",
                value: size.into(),
                limit: self.limits.max_string_len,
            })
            .into());
        }
        let frame = cur.bytes(CHECKSUM_SIZE + size as usize)?;
        let mut reader = CompressedBlockReader::new();
        reader.feed(frame);
        let block = reader
            .next_block()
            .map_err(PacketError::Compression)?
            .ok_or(PacketError::Read(ReadError::Bad(truncated())))?;
        Ok(block)
    }

    /// Whether the server's Hello was parsed.
    pub fn hello_seen(&self) -> bool {
        self.hello_seen
    }

    /// A packet's name, for errors.
    pub(crate) fn packet_name(packet: &Packet) -> &'static str {
        match packet {
            Packet::Hello(_) => "Hello",
            Packet::Data(..) => "Data",
            Packet::Totals(_) => "Totals",
            Packet::Extremes(_) => "Extremes",
            Packet::Log(_) => "Log",
            Packet::ProfileEvents(_) => "ProfileEvents",
            Packet::Exception(_) => "Exception",
            Packet::Progress(_) => "Progress",
            Packet::ProfileInfo(_) => "ProfileInfo",
            Packet::TableColumns { .. } => "TableColumns",
            Packet::TimezoneUpdate(_) => "TimezoneUpdate",
            Packet::Pong => "Pong",
            Packet::EndOfStream => "EndOfStream",
        }
    }
}

fn internal(reason: &str) -> TcpError {
    TcpError::Decode(DecodeError::Malformed {
        offset: 0,
        reason: reason.into(),
    })
}

fn truncated() -> DecodeError {
    DecodeError::Truncated("compressed packet body")
}

fn table_columns(cur: &mut ByteCursor<'_>, limits: &DecodeLimits) -> Result<Packet, ReadError> {
    let table = read_string(cur, limits)?;
    let description = read_string(cur, limits)?;
    Ok(Packet::TableColumns { table, description })
}

/// Why one packet could not be parsed.
enum PacketError {
    Read(ReadError),
    Compression(crate::compression::CompressionError),
    /// A packet type that is unknown, or known but never sent to a plain client.
    Type(u64),
}

impl From<ReadError> for PacketError {
    fn from(e: ReadError) -> Self {
        PacketError::Read(e)
    }
}
