//! [`Connection`]: the native protocol's state machine. Feed it received bytes
//! ([`handle_input`](Connection::handle_input)), take [`Event`]s
//! ([`poll_event`](Connection::poll_event)) and bytes to send
//! ([`poll_transmit`](Connection::poll_transmit)); calls the state does not allow fail with
//! [`StateError`] and send nothing.

use std::collections::VecDeque;

use crate::compression::{CompressedBlockWriter, Compression};
use crate::native::{Block, BlockInfo};
use crate::server::Progress;
use crate::wire::DecodeLimits;

use super::client::{self, ClientHello, DataError, Query};
use super::data_encoder::{DataEncoder, EncodedData};
use super::error::{StateError, TcpError};
use super::receiver::{Packet, Receiver};
use super::revision::MIN_REVISION;
use super::server::{ProfileInfo, ServerHello};

/// Where the connection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Hello sent, waiting for the server's.
    Handshake,
    /// Idle: a query or a ping may start.
    Ready,
    /// An INSERT was sent; waiting for the server's schema block.
    AwaitingSchema,
    /// Sending an INSERT's blocks ([`Connection::send_block`], then
    /// [`Connection::finish_input`]); the server may report progress meanwhile.
    Sending,
    /// Receiving a result, up to EndOfStream or Exception.
    Receiving,
    /// Cancel sent; draining the result up to EndOfStream or Exception.
    Cancelling,
    /// Failed or ended; the connection cannot be used again.
    Closed,
}

/// What the server reported.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// The handshake completed.
    Hello(ServerHello),
    /// A SELECT's first block: the result's columns, no rows (also for an empty result).
    Header(Block),
    /// An INSERT's target columns: send blocks of this shape.
    Schema(Block),
    /// A block of the result, with its header (overflow flag, aggregation bucket).
    Data(BlockInfo, Block),
    /// The totals row of a `WITH TOTALS` query, sent after the data.
    Totals(Block),
    /// The minimum and maximum rows (`extremes = 1`), sent after the data.
    Extremes(Block),
    /// An increment of the query's counters ([`Connection::progress`] has their sum).
    Progress(Progress),
    /// The query's execution profile (rows, blocks, bytes), sent near the end of a result.
    ProfileInfo(ProfileInfo),
    /// A block of profile event counters the server sends during and after the query.
    ProfileEvents(Block),
    /// Server log lines (`send_logs_level`).
    Log(Block),
    /// The columns of the INSERT's target table, with their defaults, before its Schema.
    TableColumns {
        /// The table's name.
        table: String,
        /// The columns' description, in the server's text form.
        description: String,
    },
    /// The time zone the server switched the session to.
    TimezoneUpdate(String),
    /// The query failed; the connection is ready again (a failed INSERT's terminator is
    /// queued by the connection).
    Exception(crate::server::ServerException),
    /// The query completed.
    EndOfStream,
    /// The server's answer to a Ping.
    Pong,
}

/// A client connection of the native protocol, sans-IO. A clone is an independent copy of
/// its state (tests fork one to feed the same bytes in different pieces).
#[derive(Debug, Clone)]
pub struct Connection {
    state: State,
    hello: ClientHello,
    receiver: Receiver,
    transmit: Vec<u8>,
    events: VecDeque<Event>,
    packets: Vec<Packet>,
    writer: Option<CompressedBlockWriter>,
    /// The current query's compression.
    compression: Option<Compression>,
    /// Queries started on this connection: tells a [`DataEncoder`]'s packets from another query's.
    queries: u64,
    /// The current SELECT has had its header block.
    header_seen: bool,
    pongs_owed: usize,
    progress: Progress,
    server: Option<ServerHello>,
}

impl Connection {
    /// Starts the handshake: the Hello is ready to transmit.
    pub fn new(hello: ClientHello) -> Connection {
        Self::with_limits(hello, DecodeLimits::default())
    }

    /// Starts the handshake like [`new`](Self::new), with `limits` bounding each received block.
    pub fn with_limits(hello: ClientHello, limits: DecodeLimits) -> Connection {
        let mut transmit = Vec::new();
        hello.encode(&mut transmit);
        Connection {
            state: State::Handshake,
            receiver: Receiver::new(hello.revision(), limits),
            hello,
            transmit,
            events: VecDeque::new(),
            packets: Vec::new(),
            writer: None,
            compression: None,
            queries: 0,
            header_seen: false,
            pongs_owed: 0,
            progress: Progress::default(),
            server: None,
        }
    }

    /// Where the connection is in its protocol.
    pub fn state(&self) -> State {
        self.state
    }

    /// The negotiated revision (the client's until the server's Hello arrived).
    pub fn revision(&self) -> u64 {
        self.receiver.revision()
    }

    /// The server's Hello, once the handshake completed.
    pub fn server(&self) -> Option<&ServerHello> {
        self.server.as_ref()
    }

    /// The sum of the current (or last) query's Progress increments.
    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// Whether the connection can serve another query: idle, every terminator sent, no pong
    /// owed and nothing of a packet unread. Never after a Cancel whose result was not drained
    /// (the state is then `Cancelling`).
    pub fn is_reusable(&self) -> bool {
        self.state == State::Ready
            && self.transmit.is_empty()
            && self.pongs_owed == 0
            && !self.receiver.in_packet()
    }

    /// The bytes to send next, if any.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        (!self.transmit.is_empty()).then(|| std::mem::take(&mut self.transmit))
    }

    /// The next received event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Feeds received bytes. An error closes the connection.
    pub fn handle_input(&mut self, data: &[u8]) -> Result<(), TcpError> {
        if data.is_empty() {
            return Ok(());
        }
        if self.state == State::Closed {
            return Err(TcpError::Failed);
        }
        let mut packets = std::mem::take(&mut self.packets);
        let mut result = self.receiver.feed(data, &mut packets);
        for packet in packets.drain(..) {
            if result.is_ok() {
                result = self.on_packet(packet);
            }
        }
        self.packets = packets;
        if result.is_err() {
            self.state = State::Closed;
        }
        result
    }

    /// The server closed the connection. An error unless it was idle.
    pub fn handle_eof(&mut self) -> Result<(), TcpError> {
        let state = self.state;
        self.state = State::Closed;
        if state == State::Ready && !self.receiver.in_packet() && self.pongs_owed == 0 {
            Ok(())
        } else {
            Err(TcpError::Closed(state))
        }
    }

    /// Sends a SELECT (or any query answered by a result, DDL included).
    pub fn query(&mut self, query: &Query) -> Result<(), StateError> {
        self.start(query, "query")?;
        self.state = State::Receiving;
        Ok(())
    }

    /// Sends an INSERT; blocks follow once the server's [`Event::Schema`] arrived.
    pub fn insert(&mut self, query: &Query) -> Result<(), StateError> {
        self.start(query, "insert")?;
        self.state = State::AwaitingSchema;
        Ok(())
    }

    fn start(&mut self, query: &Query, action: &'static str) -> Result<(), StateError> {
        self.expect(&[State::Ready], action)?;
        let mut out = Vec::new();
        query.encode(&self.hello, self.revision(), &mut out);
        self.writer = query.compression.map(CompressedBlockWriter::new);
        self.compression = query.compression;
        self.queries += 1;
        self.receiver.set_compressed(query.compression.is_some());
        // The empty block that ends the (absent) external tables.
        client::encode_data(
            &Block::default(),
            self.revision(),
            self.writer.as_mut(),
            &mut out,
        )
        .map_err(state_error)?;
        self.transmit.extend_from_slice(&out);
        self.header_seen = false;
        self.progress = Progress::default();
        Ok(())
    }

    /// Sends one block of an INSERT. An empty block would end the insert: use
    /// [`finish_input`](Self::finish_input) for that.
    pub fn send_block(&mut self, block: &Block) -> Result<(), StateError> {
        self.expect(&[State::Sending], "send_block")?;
        if block.rows == 0 {
            return Ok(());
        }
        let mut out = Vec::new();
        client::encode_data(block, self.revision(), self.writer.as_mut(), &mut out)
            .map_err(state_error)?;
        self.transmit.extend_from_slice(&out);
        Ok(())
    }

    /// An encoder of this INSERT's Data packets, detached from the state (to encode on another
    /// thread while this connection writes); its packets go out through
    /// [`send_encoded`](Self::send_encoded), in the order they are queued.
    pub fn data_encoder(&self) -> Result<DataEncoder, StateError> {
        self.expect(&[State::Sending], "data_encoder")?;
        Ok(DataEncoder::new(
            self.revision(),
            self.compression,
            self.queries,
        ))
    }

    /// Queues a Data packet made by this INSERT's [`data_encoder`](Self::data_encoder).
    pub fn send_encoded(&mut self, packet: EncodedData) -> Result<(), StateError> {
        self.expect(&[State::Sending], "send_encoded")?;
        if packet.query != self.queries {
            return Err(StateError::NotAllowed {
                action: "send_encoded (a packet encoded for an earlier query)",
                state: self.state,
            });
        }
        match self.transmit.is_empty() {
            true => self.transmit = packet.bytes,
            false => self.transmit.extend_from_slice(&packet.bytes),
        }
        Ok(())
    }

    /// Ends an INSERT's data (the empty block); the server then reports the end.
    pub fn finish_input(&mut self) -> Result<(), StateError> {
        self.expect(&[State::Sending], "finish_input")?;
        self.send_terminator();
        self.state = State::Receiving;
        Ok(())
    }

    /// Asks the server to stop the query; the result must still be drained (the state is
    /// `Cancelling` until EndOfStream or Exception) before the connection is reusable.
    pub fn cancel(&mut self) -> Result<(), StateError> {
        self.expect(
            &[State::Receiving, State::Sending, State::AwaitingSchema],
            "cancel",
        )?;
        self.transmit.extend_from_slice(&Self::cancel_packet());
        self.state = State::Cancelling;
        Ok(())
    }

    /// The bytes [`cancel`](Self::cancel) sends, for a writer that sends Cancel while a
    /// result's decoder holds this state (a native body's socket reader). The state needs no
    /// telling: the server still ends the result with EndOfStream or Exception, which make it
    /// `Ready` from `Receiving` as from `Cancelling`.
    pub fn cancel_packet() -> Vec<u8> {
        let mut out = Vec::with_capacity(1);
        bytes_packet(&mut out, client::CANCEL);
        out
    }

    /// Sends a Ping (idle only: while a result streams the server closes the connection on
    /// anything but Cancel).
    pub fn ping(&mut self) -> Result<(), StateError> {
        self.expect(&[State::Ready], "ping")?;
        bytes_packet(&mut self.transmit, client::PING);
        self.pongs_owed += 1;
        Ok(())
    }

    fn expect(&self, allowed: &[State], action: &'static str) -> Result<(), StateError> {
        if allowed.contains(&self.state) {
            Ok(())
        } else {
            Err(StateError::NotAllowed {
                action,
                state: self.state,
            })
        }
    }

    fn send_terminator(&mut self) {
        let mut out = Vec::new();
        // An empty block always encodes (and compresses: it is a few bytes).
        if client::encode_data(
            &Block::default(),
            self.revision(),
            self.writer.as_mut(),
            &mut out,
        )
        .is_ok()
        {
            self.transmit.extend_from_slice(&out);
        }
    }

    fn unexpected(&self, packet: &Packet) -> TcpError {
        TcpError::UnexpectedPacket {
            packet: Receiver::packet_name(packet),
            state: self.state,
        }
    }

    fn on_packet(&mut self, packet: Packet) -> Result<(), TcpError> {
        use State::*;
        let busy = matches!(
            self.state,
            AwaitingSchema | Sending | Receiving | Cancelling
        );
        let event = match packet {
            Packet::Hello(hello) if self.state == Handshake => {
                if hello.revision < MIN_REVISION {
                    return Err(TcpError::RevisionTooOld(hello.revision));
                }
                self.hello
                    .encode_addendum(self.revision(), &mut self.transmit);
                self.server = Some(hello.clone());
                self.state = Ready;
                Event::Hello(hello)
            }
            Packet::Exception(e) if self.state == Handshake || busy => {
                match self.state {
                    // A failed login: the server closes the connection.
                    Handshake => self.state = Closed,
                    // The server skips client blocks up to an empty one: exactly one
                    // terminator is owed (ClickHouse #72200).
                    Sending => {
                        self.send_terminator();
                        self.state = Ready;
                    }
                    _ => self.state = Ready,
                }
                Event::Exception(e)
            }
            Packet::Data(_, block) if self.state == AwaitingSchema => {
                self.state = Sending;
                Event::Schema(block)
            }
            Packet::Data(info, block) if matches!(self.state, Receiving | Cancelling) => {
                if self.header_seen {
                    Event::Data(info, block)
                } else {
                    self.header_seen = true;
                    Event::Header(block)
                }
            }
            Packet::Totals(b) if busy => Event::Totals(b),
            Packet::Extremes(b) if busy => Event::Extremes(b),
            Packet::Log(b) if busy => Event::Log(b),
            Packet::ProfileEvents(b) if busy => Event::ProfileEvents(b),
            Packet::Progress(p) if busy => {
                self.progress.add(&p);
                Event::Progress(p)
            }
            Packet::ProfileInfo(p) if busy => Event::ProfileInfo(p),
            Packet::TableColumns { table, description } if busy => {
                Event::TableColumns { table, description }
            }
            Packet::TimezoneUpdate(tz) if busy => Event::TimezoneUpdate(tz),
            Packet::EndOfStream if matches!(self.state, Receiving | Cancelling) => {
                self.state = Ready;
                Event::EndOfStream
            }
            Packet::Pong if self.pongs_owed > 0 => {
                self.pongs_owed -= 1;
                Event::Pong
            }
            other => return Err(self.unexpected(&other)),
        };
        self.events.push_back(event);
        Ok(())
    }
}

fn bytes_packet(out: &mut Vec<u8>, packet: u64) {
    crate::wire::put_varuint(out, packet);
}

pub(super) fn state_error(e: DataError) -> StateError {
    match e {
        DataError::Encode(e) => StateError::Encode(e),
        DataError::Compress(e) => StateError::Compression(e),
    }
}
