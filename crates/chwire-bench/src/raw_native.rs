//! The native protocol's limit: a plain blocking TCP socket that does the handshake, sends the
//! same query chwire sends (or, for inserts, Data packets encoded — and compressed — before the
//! clock starts) and reads the reply to EndOfStream without decoding it ([`Scanner`]).
//! chwire-proto's [`Connection`] builds the Hello and Query bytes only; nothing of the reply
//! goes through it but the server's Hello.
//!
//! Every exchange ends with a Ping: the next packet must be its Pong, so a scan that lost the
//! packet boundaries fails the run instead of timing a wrong one.

use std::io::{self, Read, Write};
use std::net::TcpStream;

use chwire::Block;
use chwire_proto::native::{NativeOptions, write_block_info};
use chwire_proto::server::Credentials;
use chwire_proto::tcp::{ClientHello, Connection, Event, Query};
use chwire_proto::wire::{put_string, put_varuint};
use chwire_proto::{CompressedBlockWriter, Compression, NativeEncoder};

use crate::native_scan::{Scanner, packet};

/// Client packet types.
const CLIENT_DATA: u64 = 2;
const CLIENT_PING: u64 = 4;

fn other(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// A connected socket after the handshake, with the connection that encodes its queries.
struct Session {
    stream: TcpStream,
    conn: Connection,
}

impl Session {
    fn open(addr: &str) -> io::Result<Session> {
        let mut stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        let mut conn = Connection::new(ClientHello::new(Credentials::new("default", "")));
        send_pending(&mut stream, &mut conn)?;
        let mut buf = vec![0u8; 64 << 10];
        loop {
            let n = stream.read(&mut buf)?;
            if n == 0 {
                return Err(other("the server closed the connection in the handshake"));
            }
            conn.handle_input(&buf[..n]).map_err(other)?;
            match conn.poll_event() {
                Some(Event::Hello(_)) => break,
                Some(Event::Exception(e)) => return Err(other(format!("handshake: {e:?}"))),
                _ => {}
            }
        }
        // The addendum the Hello asks for.
        send_pending(&mut stream, &mut conn)?;
        Ok(Session { stream, conn })
    }

    /// Sends a Ping and checks the next packet is its Pong: the scan ended where the reply did.
    fn check_aligned(&mut self, scanner: &mut Scanner) -> io::Result<()> {
        let mut ping = Vec::new();
        put_varuint(&mut ping, CLIENT_PING);
        self.stream.write_all(&ping)?;
        match scanner.next_packet(&mut self.stream)? {
            packet::PONG => Ok(()),
            kind => Err(other(format!(
                "raw native: packet {kind} after EndOfStream (the scan lost the packet boundaries)"
            ))),
        }
    }
}

fn send_pending(stream: &mut TcpStream, conn: &mut Connection) -> io::Result<()> {
    while let Some(bytes) = conn.poll_transmit() {
        stream.write_all(&bytes)?;
    }
    Ok(())
}

fn query(sql: &str, lz4: bool) -> Query {
    let query = Query::new("", sql);
    if lz4 {
        query.compression(Compression::Lz4)
    } else {
        query
    }
}

/// Reads packets up to EndOfStream.
fn drain(session: &mut Session, scanner: &mut Scanner) -> io::Result<()> {
    while scanner.next_packet(&mut session.stream)? != packet::END_OF_STREAM {}
    Ok(())
}

/// `sql` over the native protocol, the reply read and discarded; returns the reply's bytes.
pub fn select(addr: &str, sql: &str, lz4: bool) -> io::Result<u64> {
    let mut session = Session::open(addr)?;
    session.conn.query(&query(sql, lz4)).map_err(other)?;
    send_pending(&mut session.stream, &mut session.conn)?;
    let mut scanner = Scanner::new(lz4);
    drain(&mut session, &mut scanner)?;
    let bytes = scanner.bytes;
    session.check_aligned(&mut scanner)?;
    Ok(bytes)
}

/// Client Data packets for an insert, encoded (and compressed) before the clock starts: the
/// blocks, then the empty block that ends the data.
pub struct InsertPackets {
    pub bytes: Vec<u8>,
    pub lz4: bool,
}

impl InsertPackets {
    /// `blocks` as Data packets of the newest revision (the one chwire negotiates with the
    /// bench's server: `String` data as end offsets), each block compressed on its own with
    /// `lz4`, as chwire's native transport sends them.
    pub fn new(blocks: &[Block], lz4: bool) -> io::Result<InsertPackets> {
        let encoder = NativeEncoder::new().with_options(NativeOptions {
            custom_serialization_flag: true,
            block_info: true,
            string_offsets: true,
        });
        let mut writer = lz4.then(|| CompressedBlockWriter::new(Compression::Lz4));
        let mut bytes = Vec::new();
        let empty = Block::default();
        for block in blocks.iter().chain(std::iter::once(&empty)) {
            put_varuint(&mut bytes, CLIENT_DATA);
            put_string(&mut bytes, b"");
            let mut body = Vec::new();
            write_block_info(&mut body, &Default::default());
            encoder.encode_into(block, &mut body).map_err(other)?;
            match writer.as_mut() {
                None => bytes.extend_from_slice(&body),
                Some(w) => {
                    let mut framed = bytes::BytesMut::new();
                    w.write(&body, &mut framed).map_err(other)?;
                    bytes.extend_from_slice(&framed);
                }
            }
        }
        Ok(InsertPackets { bytes, lz4 })
    }
}

/// `INSERT INTO table (columns) VALUES` over the native protocol: waits for the server's
/// schema block (skipped, not decoded), sends the prepared packets, reads to EndOfStream.
pub fn insert(addr: &str, table: &str, columns: &str, packets: &InsertPackets) -> io::Result<u64> {
    let mut session = Session::open(addr)?;
    let sql = format!("INSERT INTO {table} ({columns}) VALUES");
    session
        .conn
        .insert(&query(&sql, packets.lz4))
        .map_err(other)?;
    send_pending(&mut session.stream, &mut session.conn)?;
    let mut scanner = Scanner::new(packets.lz4);
    while scanner.next_packet(&mut session.stream)? != packet::DATA {}
    session.stream.write_all(&packets.bytes)?;
    drain(&mut session, &mut scanner)?;
    session.check_aligned(&mut scanner)?;
    Ok(packets.bytes.len() as u64)
}

/// `host:port` of a native URL (`clickhouse://host:port`, port 9000 when absent).
pub fn host_port(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    if authority.contains(':') {
        authority.to_string()
    } else {
        format!("{authority}:9000")
    }
}

/// A raw native connection kept open for sequential queries of one SQL text (the latency
/// floor): the Query packet is encoded once, each query writes it and scans to EndOfStream.
pub struct KeptSession {
    session: Session,
    scanner: Scanner,
    sql: String,
    packet: Vec<u8>,
}

impl KeptSession {
    pub fn open(addr: &str) -> io::Result<KeptSession> {
        Ok(KeptSession {
            session: Session::open(addr)?,
            scanner: Scanner::new(false),
            sql: String::new(),
            packet: Vec::new(),
        })
    }

    /// Runs `sql` (uncompressed) and reads its reply to EndOfStream.
    pub fn select(&mut self, sql: &str) -> io::Result<()> {
        if self.packet.is_empty() || self.sql != sql {
            // The query's bytes do not change between runs (no id, pinned client info): a copy
            // of the idle connection encodes them once (no reply is ever fed to it).
            let mut encoder = self.session.conn.clone();
            encoder.query(&query(sql, false)).map_err(other)?;
            self.packet = std::iter::from_fn(|| encoder.poll_transmit())
                .flatten()
                .collect();
            self.sql = sql.to_string();
        }
        self.session.stream.write_all(&self.packet)?;
        drain(&mut self.session, &mut self.scanner)
    }
}
