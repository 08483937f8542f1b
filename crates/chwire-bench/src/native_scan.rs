//! The raw native baseline's reader: finds where each server packet ends without decoding what
//! it carries, so the baseline costs what the socket costs. Data blocks are skipped by
//! arithmetic (fixed-width columns by width, `String` by its last end offset); compressed
//! blocks frame by frame from the frame headers; the few small packets around them (Progress,
//! ProfileInfo, ProfileEvents, TableColumns) are skipped by reading their fields. Only a block
//! with a column type the scan does not know is decoded (by chwire-proto), which the bench's
//! queries never return.

use std::io::{self, Read};

use chwire_proto::native::{NativeOptions, default_type_parser, read_block, read_block_info};
use chwire_proto::{ByteCursor, DecodeLimits, ReadError};

/// Server packet types the scan meets (the protocol's numbering).
pub mod packet {
    pub const DATA: u64 = 1;
    pub const EXCEPTION: u64 = 2;
    pub const PROGRESS: u64 = 3;
    pub const PONG: u64 = 4;
    pub const END_OF_STREAM: u64 = 5;
    pub const PROFILE_INFO: u64 = 6;
    pub const TOTALS: u64 = 7;
    pub const EXTREMES: u64 = 8;
    pub const LOG: u64 = 10;
    pub const TABLE_COLUMNS: u64 = 11;
    pub const PROFILE_EVENTS: u64 = 14;
    pub const TIMEZONE_UPDATE: u64 = 17;
}

/// The uncompressed size of every compressed frame but a block's last: the server's
/// compressing buffer (`DBMS_DEFAULT_BUFFER_SIZE`) is flushed when full and at a packet's end.
const FULL_FRAME: u32 = 1 << 20;
/// Checksum (16) + method (1) + compressed size (4) + uncompressed size (4).
const FRAME_HEAD: usize = 25;
/// Compression method bytes: none, LZ4, ZSTD.
const METHODS: [u8; 3] = [0x02, 0x82, 0x90];

fn bad(reason: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, reason.into())
}

/// Reads a socket's server packets one by one into a reused buffer, discarding their bytes.
pub struct Scanner {
    buf: Vec<u8>,
    start: usize,
    end: usize,
    compressed: bool,
    /// Bytes read from the socket so far.
    pub bytes: u64,
}

impl Scanner {
    pub fn new(compressed: bool) -> Scanner {
        Scanner {
            buf: vec![0; 4 << 20],
            start: 0,
            end: 0,
            compressed,
            bytes: 0,
        }
    }

    /// Reads up to the end of the next packet and returns its type. A server exception is an
    /// error carrying its code and message.
    pub fn next_packet(&mut self, stream: &mut impl Read) -> io::Result<u64> {
        loop {
            let mut cur = ByteCursor::new(&self.buf[self.start..self.end]);
            match self.packet(&mut cur) {
                Ok(kind) => {
                    self.start += cur.position();
                    return Ok(kind);
                }
                Err(ReadError::Short(missing)) => self.fill(stream, missing.max(1))?,
                Err(ReadError::Bad(e)) => return Err(bad(format!("server packet: {e}"))),
            }
        }
    }

    /// Reads at least `missing` more bytes, moving the unread part to the front (and growing
    /// the buffer) only when the tail has no room for them.
    fn fill(&mut self, stream: &mut impl Read, missing: usize) -> io::Result<()> {
        let unread = self.end - self.start;
        if self.end + missing > self.buf.len() {
            self.buf.copy_within(self.start..self.end, 0);
            self.start = 0;
            self.end = unread;
            if unread + missing > self.buf.len() {
                self.buf.resize((unread + missing).next_power_of_two(), 0);
            }
        }
        let target = self.end + missing;
        while self.end < target {
            let n = stream.read(&mut self.buf[self.end..])?;
            if n == 0 {
                return Err(bad("the server closed the connection inside a packet"));
            }
            self.end += n;
            self.bytes += n as u64;
        }
        Ok(())
    }

    fn packet(&self, cur: &mut ByteCursor<'_>) -> Result<u64, ReadError> {
        let limits = DecodeLimits::default();
        let kind = cur.varuint()?;
        match kind {
            packet::DATA
            | packet::TOTALS
            | packet::EXTREMES
            | packet::LOG
            | packet::PROFILE_EVENTS => {
                cur.string(&limits)?;
                if self.compressed {
                    skip_frames(cur)?;
                } else {
                    skip_block(cur, kind == packet::DATA)?;
                }
            }
            packet::PROGRESS => {
                for _ in 0..7 {
                    cur.varuint()?;
                }
            }
            packet::PROFILE_INFO => {
                for _ in 0..3 {
                    cur.varuint()?;
                }
                cur.u8()?;
                cur.varuint()?;
                cur.u8()?;
                cur.u8()?;
                cur.varuint()?;
            }
            packet::TABLE_COLUMNS if self.compressed => skip_frame(cur).map(|_| ())?,
            packet::TABLE_COLUMNS => {
                cur.string(&limits)?;
                cur.string(&limits)?;
            }
            packet::TIMEZONE_UPDATE => {
                cur.string(&limits)?;
            }
            packet::PONG | packet::END_OF_STREAM => {}
            packet::EXCEPTION => {
                let code = cur.i32_le()?;
                let name = String::from_utf8_lossy(cur.string(&limits)?).into_owned();
                let message = String::from_utf8_lossy(cur.string(&limits)?).into_owned();
                return Err(ReadError::Bad(chwire_proto::DecodeError::Malformed {
                    offset: 0,
                    reason: format!("server exception {code} {name}: {message}"),
                }));
            }
            other => {
                return Err(ReadError::Bad(chwire_proto::DecodeError::Malformed {
                    offset: cur.position(),
                    reason: format!("packet type {other} the scan does not know"),
                }));
            }
        }
        Ok(kind)
    }
}

/// Skips one compressed frame; its uncompressed size.
fn skip_frame(cur: &mut ByteCursor<'_>) -> Result<u32, ReadError> {
    let head = cur.array::<FRAME_HEAD>()?;
    let compressed = u32::from_le_bytes([head[17], head[18], head[19], head[20]]) as usize;
    let plain = u32::from_le_bytes([head[21], head[22], head[23], head[24]]);
    cur.bytes(compressed.saturating_sub(9))?;
    Ok(plain)
}

/// Skips the frames of one compressed block: every frame of a full buffer is followed by
/// another, unless (a block of an exact multiple of the buffer) what follows is no frame.
fn skip_frames(cur: &mut ByteCursor<'_>) -> Result<(), ReadError> {
    while skip_frame(cur)? == FULL_FRAME {
        let next = cur.remaining();
        if next.len() < FRAME_HEAD {
            return Err(ReadError::Short(FRAME_HEAD - next.len()));
        }
        if !METHODS.contains(&next[16]) {
            break;
        }
    }
    Ok(())
}

/// Skips an uncompressed block (BlockInfo, then columns). Data blocks of fixed-width and
/// `String` columns are skipped by size; anything else is decoded.
fn skip_block(cur: &mut ByteCursor<'_>, data: bool) -> Result<(), ReadError> {
    let limits = DecodeLimits::default();
    read_block_info(cur, &limits)?;
    if data && skip_columns(cur)? {
        return Ok(());
    }
    // A column the scan does not size (the cursor is still at the block's head): decode.
    let mut whole = ByteCursor::new(cur.remaining());
    let options = NativeOptions {
        custom_serialization_flag: true,
        block_info: false,
        string_offsets: true,
    };
    read_block(&mut whole, &limits, &options, &mut default_type_parser)?;
    let used = whole.position();
    cur.bytes(used)?;
    Ok(())
}

/// Skips the columns of a block by their sizes; `false` (the cursor where it was) if a
/// column's type is not one the scan sizes.
fn skip_columns(cur: &mut ByteCursor<'_>) -> Result<bool, ReadError> {
    let limits = DecodeLimits::default();
    let mut probe = ByteCursor::new(cur.remaining());
    let columns = probe.varuint()?;
    let rows = probe.varuint()? as usize;
    for _ in 0..columns {
        probe.string(&limits)?;
        let ty = probe.string(&limits)?;
        if probe.u8()? != 0 {
            return Ok(false);
        }
        if rows == 0 {
            continue;
        }
        match ty {
            b"String" => {
                let offsets = probe.bytes(rows * 8)?;
                let last = &offsets[offsets.len() - 8..];
                let len = u64::from_le_bytes(last.try_into().expect("8 bytes"));
                probe.bytes(len as usize)?;
            }
            _ => match fixed_width(ty) {
                Some(width) => {
                    probe.bytes(rows * width)?;
                }
                None => return Ok(false),
            },
        }
    }
    cur.bytes(probe.position())?;
    Ok(true)
}

fn fixed_width(ty: &[u8]) -> Option<usize> {
    Some(match ty {
        b"UInt8" | b"Int8" | b"Bool" => 1,
        b"UInt16" | b"Int16" | b"Date" => 2,
        b"UInt32" | b"Int32" | b"Float32" | b"DateTime" | b"Date32" => 4,
        b"UInt64" | b"Int64" | b"Float64" => 8,
        b"UInt128" | b"Int128" | b"UUID" => 16,
        _ => return None,
    })
}
