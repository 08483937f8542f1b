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
/// another, unless (a block of an exact multiple of the buffer) what follows is no frame: a
/// frame has its method byte at offset 16. A reply may end fewer than 17 bytes after a block
/// (Progress, EndOfStream): then bytes that start like a packet are taken for one, since
/// waiting for more would wait for bytes the server never sends.
fn skip_frames(cur: &mut ByteCursor<'_>) -> Result<(), ReadError> {
    const METHOD_AT: usize = 16;
    while skip_frame(cur)? == FULL_FRAME {
        let next = cur.remaining();
        match next.get(METHOD_AT) {
            Some(method) if METHODS.contains(method) => {}
            Some(_) => break,
            // The server always sends something after a block.
            None if next.is_empty() => return Err(ReadError::Short(1)),
            None if packet_type(next[0]) => break,
            None => return Err(ReadError::Short(METHOD_AT + 1 - next.len())),
        }
    }
    Ok(())
}

/// Whether `byte` can start a packet that follows a block.
fn packet_type(byte: u8) -> bool {
    use packet::*;
    [
        DATA,
        EXCEPTION,
        PROGRESS,
        END_OF_STREAM,
        PROFILE_INFO,
        TOTALS,
        EXTREMES,
        LOG,
        TABLE_COLUMNS,
        PROFILE_EVENTS,
        TIMEZONE_UPDATE,
    ]
    .contains(&u64::from(byte))
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

#[cfg(test)]
mod tests {
    use chwire_proto::native::write_block_info;
    use chwire_proto::wire::{put_string, put_varuint};
    use chwire_proto::{Block, NativeEncoder};
    use chwire_proto::{Column, ColumnData, CompressedBlockWriter, Compression, DataType};

    use super::*;

    /// A reader handing out its bytes in small pieces, so every packet arrives split.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(self.0.len()).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn block(rows: u64, nullable: bool) -> Block {
        let mut names = chwire_proto::column::StringColumn::default();
        for i in 0..rows {
            names.push(format!("event-{i}").as_bytes());
        }
        let mut columns = vec![
            (
                "id".to_string(),
                Column::new(DataType::UInt64, ColumnData::U64((0..rows).collect())).unwrap(),
            ),
            (
                "name".to_string(),
                Column::new(DataType::String, ColumnData::String(names)).unwrap(),
            ),
        ];
        if nullable {
            let ty = DataType::parse("Array(UInt8)").unwrap();
            let values: Vec<_> = (0..rows)
                .map(|_| chwire_proto::Value::Array(vec![]))
                .collect();
            columns.push((
                "tags".to_string(),
                Column::from_values(&ty, values).unwrap(),
            ));
        }
        Block::new(columns).unwrap()
    }

    /// A server Data packet (type 1) of `block`, compressed with `writer` when given.
    fn data_packet(out: &mut Vec<u8>, block: &Block, writer: Option<&mut CompressedBlockWriter>) {
        put_varuint(out, packet::DATA);
        put_string(out, b"");
        let mut body = Vec::new();
        write_block_info(&mut body, &Default::default());
        NativeEncoder::new()
            .with_options(NativeOptions {
                custom_serialization_flag: true,
                block_info: true,
                string_offsets: true,
            })
            .encode_into(block, &mut body)
            .unwrap();
        compressed_body(out, &body, writer);
    }

    fn compressed_body(out: &mut Vec<u8>, body: &[u8], writer: Option<&mut CompressedBlockWriter>) {
        match writer {
            None => out.extend_from_slice(body),
            Some(w) => {
                let mut framed = bytes::BytesMut::new();
                w.write(body, &mut framed).unwrap();
                out.extend_from_slice(&framed);
            }
        }
    }

    fn progress(out: &mut Vec<u8>) {
        put_varuint(out, packet::PROGRESS);
        for v in [1u64, 300, 0, 0, 0, 0, 1_000_000] {
            put_varuint(out, v);
        }
    }

    fn scan_all(stream: &[u8], compressed: bool) -> io::Result<Vec<u64>> {
        let mut scanner = Scanner::new(compressed);
        let mut reader = Trickle(stream, 4093);
        let mut kinds = Vec::new();
        loop {
            let kind = scanner.next_packet(&mut reader)?;
            kinds.push(kind);
            if kind == packet::END_OF_STREAM {
                break;
            }
        }
        assert_eq!(scanner.bytes, stream.len() as u64, "every byte read");
        assert_eq!(scanner.start, scanner.end, "nothing left over");
        Ok(kinds)
    }

    #[test]
    fn uncompressed_packets_end_where_they_do() {
        let mut stream = Vec::new();
        data_packet(&mut stream, &block(100_000, false), None);
        progress(&mut stream);
        // A column type the scan does not size: decoded instead.
        data_packet(&mut stream, &block(10, true), None);
        put_varuint(&mut stream, packet::PROFILE_INFO);
        stream.extend_from_slice(&[3, 1, 9, 0, 0, 0, 0, 0]);
        put_varuint(&mut stream, packet::END_OF_STREAM);
        assert_eq!(scan_all(&stream, false).unwrap(), [1, 3, 1, 6, 5]);
    }

    #[test]
    fn compressed_blocks_span_frames() {
        // Frames of the server's 1 MiB buffer: a 2.5 MB block is three frames.
        let mut writer =
            CompressedBlockWriter::new(Compression::Lz4).with_block_size(FULL_FRAME as usize);
        let mut stream = Vec::new();
        data_packet(&mut stream, &block(100_000, false), Some(&mut writer));
        progress(&mut stream);
        // A block of exactly two full frames, followed by a packet that is no frame.
        put_varuint(&mut stream, packet::DATA);
        put_string(&mut stream, b"");
        compressed_body(&mut stream, &vec![7u8; 2 << 20], Some(&mut writer));
        progress(&mut stream);
        put_varuint(&mut stream, packet::END_OF_STREAM);
        assert_eq!(scan_all(&stream, true).unwrap(), [1, 3, 1, 3, 5]);
    }

    #[test]
    fn a_server_exception_is_an_error_with_its_message() {
        let mut stream = Vec::new();
        put_varuint(&mut stream, packet::EXCEPTION);
        stream.extend_from_slice(&60i32.to_le_bytes());
        put_string(&mut stream, b"DB::Exception");
        put_string(&mut stream, b"Table default.nope does not exist");
        put_string(&mut stream, b"");
        stream.push(0);
        let err = scan_all(&stream, false).unwrap_err().to_string();
        assert!(
            err.contains("60") && err.contains("does not exist"),
            "{err}"
        );
    }

    #[test]
    fn native_urls_default_to_port_9000() {
        assert_eq!(
            crate::raw_native::host_port("clickhouse://u:p@db:9440/x?secure=1"),
            "db:9440"
        );
        assert_eq!(crate::raw_native::host_port("clickhouse://db"), "db:9000");
    }
}
