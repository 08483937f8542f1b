//! One query on a native connection: the Query packet sent, then the answer's first packets
//! read on the calling task (progress reported, a failure before any result turned into the
//! server's error), and the rest handed to the body ([`RawBody`]).

use bytes::Bytes;
use chwire_proto::Block;
use chwire_proto::tcp::{DataEncoder, Event, Query};
use chwire_rt::RuntimeExt;

use super::body::RawBody;
use super::connection::{Connection, server_error};
use super::insert::{BodyBlocks, BodyFormat};
use crate::error::{Error, Result};
use crate::events::EventCallbacks;
use crate::limits::IoLimits;
use crate::pool::PooledConnection;
use crate::progress::ProgressFn;
use crate::transport::{Body, Head, Response};

/// A query sent on a pooled native connection. The connection goes back to the pool only in
/// a reusable state (proto says so); dropping the exchange closes it.
pub(crate) struct Exchange {
    conn: Option<PooledConnection<Connection>>,
    limits: IoLimits,
    query_id: String,
    progress: Option<ProgressFn>,
    /// Logs, profile events, totals and extremes.
    events: EventCallbacks,
    /// The result's header block, once read.
    header: Option<Block>,
    /// The answer was read to its EndOfStream.
    ended: bool,
    /// A packet of the answer arrived (the connection was not stale).
    answered: bool,
    /// An INSERT's body, read back into blocks.
    insert: Option<BodyBlocks>,
    /// Rows of the INSERT sent so far.
    sent_rows: u64,
    /// Encodes the INSERT's blocks off the connection (made at its first large block).
    encoder: Option<DataEncoder>,
    /// Where a cancel handle reaches the body (handed to it).
    pub(super) in_band: Option<crate::in_band::InBand>,
}

impl Exchange {
    pub(super) fn new(
        conn: PooledConnection<Connection>,
        limits: IoLimits,
        query_id: &str,
        progress: Option<ProgressFn>,
        events: EventCallbacks,
    ) -> Exchange {
        Exchange {
            conn: Some(conn),
            limits,
            query_id: query_id.to_owned(),
            progress,
            events,
            header: None,
            ended: false,
            answered: false,
            insert: None,
            sent_rows: 0,
            encoder: None,
            in_band: None,
        }
    }

    pub(crate) fn limits(&self) -> &IoLimits {
        &self.limits
    }

    pub(super) fn connection_reused(&self) -> bool {
        self.conn.as_ref().is_some_and(|c| c.reused)
    }

    pub(super) fn answered(&self) -> bool {
        self.answered
    }

    fn conn(&mut self) -> Result<&mut Connection> {
        match self.conn.as_mut() {
            Some(c) => Ok(c.connection()),
            None => Err(Error::pipeline("the native connection is gone")),
        }
    }

    /// Sends the Query packet.
    pub(super) async fn start(&mut self, packet: &Query) -> Result<()> {
        let limits = self.limits.clone();
        let conn = self.conn()?;
        conn.proto_mut()?
            .query(packet)
            .map_err(|e| Error::pipeline(format!("native connection: {e}")))?;
        conn.flush(&limits).await
    }

    /// Sends an INSERT's Query packet and waits for the server's schema block (the table's
    /// columns; blocks are sent as they come, the server checks them against it). The body
    /// follows through [`send_body`](Self::send_body) (`compressed`: as compressed blocks, in
    /// `format`; RowBinary rows take their columns from the schema block).
    pub(super) async fn start_insert(
        &mut self,
        packet: &Query,
        format: BodyFormat,
        compressed: bool,
    ) -> Result<()> {
        let limits = self.limits.clone();
        let conn = self.conn()?;
        conn.proto_mut()?
            .insert(packet)
            .map_err(|e| Error::pipeline(format!("native connection: {e}")))?;
        conn.flush(&limits).await?;
        loop {
            let event = self.conn()?.next_event(&limits).await?;
            self.answered = true;
            if self.events.deliver(&event)? {
                continue;
            }
            match event {
                Event::Schema(schema) => {
                    let json_as_text = packet.settings.iter().any(|s| {
                        s.name == "input_format_binary_read_json_as_string" && s.value == "1"
                    });
                    self.insert = Some(BodyBlocks::new(format, compressed, schema, json_as_text)?);
                    return Ok(());
                }
                Event::Progress(_) => self.report_progress()?,
                Event::Exception(e) => {
                    self.release();
                    return Err(server_error(e, false));
                }
                _ => {}
            }
        }
    }

    /// Reads the answer up to the result's header block (`to_end`: up to its end, result
    /// blocks dropped). An exception is the server's error; the connection, ready again, goes
    /// back to the pool.
    pub(super) async fn read_answer(&mut self, to_end: bool) -> Result<()> {
        let limits = self.limits.clone();
        loop {
            let event = self.conn()?.next_event(&limits).await?;
            self.answered = true;
            if self.events.deliver(&event)? {
                continue;
            }
            match event {
                Event::Header(b) if !to_end => {
                    self.header = Some(b);
                    return Ok(());
                }
                Event::Progress(_) => self.report_progress()?,
                Event::Exception(e) => {
                    self.release();
                    return Err(server_error(e, false));
                }
                Event::EndOfStream => {
                    self.ended = true;
                    return Ok(());
                }
                _ => {}
            }
        }
    }

    fn report_progress(&mut self) -> Result<()> {
        let total = self.conn()?.proto_mut()?.progress();
        if let Some(f) = &self.progress {
            f(&total);
        }
        Ok(())
    }

    /// Returns the connection to the pool if proto says it is reusable (closes it otherwise).
    fn release(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            if conn.connection().is_reusable() {
                conn.release();
            }
        }
    }

    /// The answer: the counters so far as its head, the rest as its body (an INSERT's answer
    /// is read to its end first).
    pub(crate) async fn response(mut self) -> Result<Response> {
        if self.insert.is_some() && !self.ended {
            self.read_answer(true).await?;
        }
        let mut summary = self.conn()?.proto_mut()?.progress();
        if self.insert.is_some() && summary.written_rows == 0 {
            // The server reports an INSERT's rows in profile events, not in Progress: its
            // EndOfStream acknowledges every row sent.
            summary.written_rows = self.sent_rows;
        }
        let Exchange {
            conn,
            limits,
            query_id,
            progress,
            events,
            header,
            ended,
            in_band,
            ..
        } = self;
        let body = RawBody::new(conn, limits, header, progress, events, ended, in_band);
        Ok(Response {
            head: Head { summary },
            body: Body::Native(body),
            query_id,
        })
    }

    /// Sends more of an INSERT's body (segments, in order): the blocks they complete, as Data
    /// packets.
    pub(crate) async fn send_body(&mut self, segments: &[&[u8]]) -> Result<()> {
        self.convert_body(segments, false).await
    }

    /// Ends an INSERT's body: its last blocks, then the empty block that ends the data.
    pub(crate) async fn end_body(&mut self) -> Result<()> {
        self.convert_body(&[], true).await?;
        let limits = self.limits.clone();
        let conn = self.conn()?;
        conn.proto_mut()?
            .finish_input()
            .map_err(|e| Error::pipeline(format!("native insert: {e}")))?;
        conn.flush(&limits).await
    }

    /// Reads `segments` back into blocks and queues them as Data packets (`last`: the body
    /// ends with them), then writes them out; off-loop past [`INLINE_BODY_BYTES`] (see
    /// `Connection::with_proto`).
    async fn convert_body(&mut self, segments: &[&[u8]], last: bool) -> Result<()> {
        let Some(mut body) = self.insert.take() else {
            return Err(Error::pipeline("a body for a native query"));
        };
        let size: usize = segments.iter().map(|s| s.len()).sum();
        let data: Vec<Bytes> = segments.iter().map(|s| Bytes::copy_from_slice(s)).collect();
        let (body, rows) = self
            .conn()?
            .with_proto(size <= INLINE_BODY_BYTES, move |proto| {
                let rows = body.packets(data, last, proto);
                (body, rows)
            })
            .await?;
        self.insert = Some(body);
        self.sent_rows += rows?;
        let limits = self.limits.clone();
        self.conn()?.flush(&limits).await
    }

    /// Sends one whole block of an INSERT's body as a Data packet, encoded and compressed once.
    /// A small block (see [`encodes_inline`](crate::transport::encodes_inline)) is encoded
    /// here and written out. A large one is encoded on the blocking pool while the packets
    /// queued before it are written, and stays queued until the next block, the end of the
    /// body or [`send_pending`](Self::send_pending): encoding and writing overlap instead of
    /// taking turns, with at most one encoded block waiting. Blocks come this way from block
    /// and typed inserts: nothing is encoded as body bytes and read back.
    pub(crate) async fn send_block(&mut self, block: Block) -> Result<()> {
        if self.insert.is_none() {
            return Err(Error::pipeline("a body for a native query"));
        }
        let inline = crate::transport::encodes_inline(&block);
        let mut encoder = match self.encoder.take() {
            Some(e) => e,
            None => self
                .conn()?
                .proto_mut()?
                .data_encoder()
                .map_err(insert_error)?,
        };
        let encode = move || {
            let packet = encoder.encode(&block);
            (encoder, packet)
        };
        let limits = self.limits.clone();
        let conn = self.conn()?;
        let (encoder, packet) = if inline {
            encode()
        } else {
            let job = limits.rt.run_blocking(encode);
            let (job, flushed) = futures_util::future::join(job, conn.flush(&limits)).await;
            flushed?;
            job.map_err(|e| Error::pipeline(format!("native insert encoding off-loop: {e}")))?
        };
        self.encoder = Some(encoder);
        let packet = packet.map_err(insert_error)?;
        let rows = packet.rows() as u64;
        self.conn()?
            .proto_mut()?
            .send_encoded(packet)
            .map_err(insert_error)?;
        self.sent_rows += rows;
        let conn = self.conn()?;
        match inline {
            true => conn.flush(&limits).await,
            false => Ok(()),
        }
    }

    /// Writes out what [`send_block`](Self::send_block) left queued: the insert's writer calls
    /// it when no block is waiting, so a block is not held back while the caller is idle.
    pub(crate) async fn send_pending(&mut self) -> Result<()> {
        let limits = self.limits.clone();
        self.conn()?.flush(&limits).await
    }
}

fn insert_error(e: chwire_proto::tcp::StateError) -> Error {
    Error::pipeline(format!("native insert: {e}"))
}

/// Insert body bytes up to this size are converted into Data packets on the calling task: a
/// thread hop costs more than that (as for the decoding of responses).
const INLINE_BODY_BYTES: usize = 64 << 10;

impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchange")
            .field("query_id", &self.query_id)
            .field("ended", &self.ended)
            .field("answered", &self.answered)
            .finish_non_exhaustive()
    }
}
