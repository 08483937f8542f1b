//! The rest of a native answer, in the pipeline's two halves:
//!
//! - [`RawBody`] (async, on the event loop): raw socket bytes, one read per chunk, nothing
//!   parsed. Only the protocol knows where the answer ends, so the filter hands the protocol
//!   state back through a channel when it has seen EndOfStream (or an exception); the reader
//!   then stops, and the connection goes back to the pool if proto says it is reusable.
//! - [`BodyFilter`] (sync, may run off-loop): proto's `Connection` fed the bytes —
//!   packet demultiplexing, decompression and block decoding — releasing the header block and
//!   the data blocks as [`Piece::Block`]s, reporting progress from every Progress packet, and
//!   an exception as the server's error.
//!
//! Cancel: a [`CancelHandle`](crate::CancelHandle) asks the reader (through
//! [`InBand`]) to write the Cancel packet; the filter then reports the server's early end as
//! `QUERY_WAS_CANCELLED`. A body dropped before its end sends Cancel and hands the connection
//! to a background drain ([`drain_after_cancel`]): read to EndOfStream or Exception within
//! [`DRAIN_TIME`] and [`DRAIN_BYTES`], then back to the pool; over a bound, on an error or EOF,
//! closed. The filter hands the protocol state back when it drops, after the bytes already
//! read (see `offload`'s skip), so the drain continues exactly where the result stopped.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bytes::Bytes;
use chwire_proto::Block;
use chwire_proto::tcp::{self, Event, State};
use futures_util::future::{Either, select};

use super::connection::{Connection, server_error, within};
use crate::error::{Error, Result, ServerError};
use crate::events::EventCallbacks;
use crate::in_band::InBand;
use crate::limits::IoLimits;
use crate::pool::PooledConnection;
use crate::progress::ProgressFn;
use crate::transport::Piece;

/// Where the filter returns the protocol state at the end of the answer.
type Handback = (
    async_channel::Sender<Box<tcp::Connection>>,
    async_channel::Receiver<Box<tcp::Connection>>,
);

/// The longest a dropped body's connection is drained after its Cancel (reading and decoding
/// included). The server stops a query at its next check for Cancel, between blocks; what it
/// had written by then still arrives. Measured on this project's 2-core VM, debug build, a
/// `numbers()` stream dropped mid-way, with other builds sharing the cores: 2-14 MB drained
/// in 0.4-3.3 s (release decodes several times faster). A query that computes for longer
/// after a Cancel (a `sleep(9)`, a heavy aggregation) is not worth its pooled connection: a
/// new one costs one handshake. Until then the connection counts against the pool's limit.
pub(crate) const DRAIN_TIME: Duration = Duration::from_secs(5);

/// The most bytes a dropped body's connection reads while draining. What arrives after the
/// Cancel is what the server had in flight plus what it writes until its next check for Cancel,
/// which comes every `interactive_delay` (100 ms): so it grows with how fast the client reads.
/// Measured (a `numbers()` stream dropped mid-way, LZ4): 4-20 MB with the decoder at opt-level
/// 0, where decoding (12 MB/s) paced the reads; 10-29 MB once it ran at 250 MB/s, where a
/// 32 MiB bound closed one connection in four. A release build reads faster still, so the
/// bound allows 100 ms at 2 GB/s plus the socket buffers: it only stops a server that does not
/// stop at all, which [`DRAIN_TIME`] bounds too. Nothing drained is kept, so memory stays flat.
pub(crate) const DRAIN_BYTES: u64 = 256 << 20;

/// The async source of an answer's raw bytes.
pub(crate) struct RawBody {
    conn: Option<PooledConnection<Connection>>,
    limits: IoLimits,
    header: Option<Block>,
    progress: Option<ProgressFn>,
    events: EventCallbacks,
    /// The exchange already read the answer to its end.
    ended: bool,
    handback: Handback,
    /// The filter holds the protocol state.
    filtering: bool,
    /// Where a [`CancelHandle`](crate::CancelHandle) reaches this body (`None`: nobody can).
    in_band: Option<InBand>,
    /// Cancel requests, once the body streams.
    requests: Option<async_channel::Receiver<()>>,
    /// The Cancel packet went out (shared with the filter, which reports the early end).
    cancel_sent: Arc<AtomicBool>,
}

impl RawBody {
    pub(super) fn new(
        conn: Option<PooledConnection<Connection>>,
        limits: IoLimits,
        header: Option<Block>,
        progress: Option<ProgressFn>,
        events: EventCallbacks,
        ended: bool,
        in_band: Option<InBand>,
    ) -> RawBody {
        RawBody {
            conn,
            limits,
            header,
            progress,
            events,
            ended,
            handback: async_channel::bounded(1),
            filtering: false,
            in_band,
            requests: None,
            cancel_sent: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The filter for this answer: it takes the protocol state over. From here on the body
    /// answers Cancel requests.
    pub(crate) fn filter(&mut self) -> BodyFilter {
        let proto = self.conn.as_mut().and_then(|c| c.connection().proto.take());
        self.filtering = proto.is_some();
        if !self.ended {
            self.requests = self.in_band.take().map(|b| b.listen());
        }
        let mut filter = BodyFilter {
            proto,
            handback: self.handback.0.clone(),
            out: VecDeque::new(),
            progress: self.progress.take(),
            events: std::mem::take(&mut self.events),
            data_seen: false,
            ended: self.ended,
            pending: None,
            cancel_sent: Arc::clone(&self.cancel_sent),
        };
        filter.out.extend(self.header.take().map(Piece::Block));
        if filter.ended {
            filter.hand_back();
        } else if let Err(e) = filter.take_events() {
            filter.pending = Some(e);
        }
        filter
    }

    /// The next raw chunk, `None` once the filter has seen the answer's end. Writes the
    /// Cancel packet when a [`CancelHandle`](crate::CancelHandle) asks for it meanwhile.
    pub(crate) async fn next_chunk(&mut self) -> Result<Option<Bytes>> {
        if !self.filtering && self.conn.is_some() {
            return Err(Error::pipeline("a native answer read without its filter"));
        }
        let next = loop {
            let Some(conn) = self.conn.as_mut() else {
                return Ok(None);
            };
            let rx = &self.handback.1;
            if let Ok(proto) = rx.try_recv() {
                break Either::Left(Ok(proto));
            }
            let request = {
                let ended = std::pin::pin!(rx.recv());
                let read = std::pin::pin!(conn.connection().read(&self.limits));
                let request = std::pin::pin!(async {
                    match &self.requests {
                        Some(r) => r.recv().await.ok(),
                        None => std::future::pending().await,
                    }
                });
                // The request first: a socket that always has data would starve it.
                match select(request, select(ended, read)).await {
                    Either::Right((Either::Left((p, _)), _)) => break Either::Left(p),
                    Either::Right((Either::Right((r, _)), _)) => break Either::Right(r),
                    Either::Left((request, _)) => request,
                }
            };
            self.send_cancel(request).await?;
        };
        match next {
            Either::Left(Ok(proto)) => {
                self.finish(proto);
                Ok(None)
            }
            Either::Left(Err(_)) => Err(Error::pipeline("the native filter stopped")),
            Either::Right(Ok(data)) if data.is_empty() => {
                self.conn = None;
                Err(tcp::TcpError::Closed(tcp::State::Receiving).into())
            }
            Either::Right(Ok(data)) => Ok(Some(data)),
            Either::Right(Err(e)) => {
                self.conn = None;
                Err(e)
            }
        }
    }

    /// Writes the Cancel packet (once) for a request (`None`: nobody can ask any more). A
    /// failed write closes the connection and ends the body with the error.
    async fn send_cancel(&mut self, request: Option<()>) -> Result<()> {
        let (Some(()), Some(conn)) = (request, self.conn.as_mut()) else {
            self.requests = None;
            return Ok(());
        };
        if self.cancel_sent.load(Ordering::Relaxed) {
            return Ok(());
        }
        let packet = tcp::Connection::cancel_packet();
        if let Err(e) = conn.connection().write_all(&packet, &self.limits).await {
            self.conn = None;
            return Err(e);
        }
        self.cancel_sent.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// The filter is done with the protocol state: the connection goes back to the pool if
    /// proto says it is reusable, and is closed otherwise.
    fn finish(&mut self, proto: Box<tcp::Connection>) {
        if let Some(mut conn) = self.conn.take() {
            conn.connection().proto = Some(proto);
            if conn.connection().is_reusable() {
                conn.release();
            }
        }
    }

    /// Reads the rest of the answer on this task, keeping nothing (an insert's answer, which
    /// has no result).
    pub(crate) async fn drain(&mut self) -> Result<()> {
        let mut filter = self.filter();
        while let Some(raw) = self.next_chunk().await? {
            filter.push(raw)?;
        }
        filter.finish()
    }
}

impl Drop for RawBody {
    /// A filter that finished while nobody read on (an exception ended the stream) left the
    /// protocol state, ready again, in the channel: the connection is still reusable. A body
    /// dropped before its end sends Cancel and drains in the background.
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else {
            return;
        };
        let proto = conn
            .connection()
            .proto
            .take()
            .or_else(|| self.handback.1.try_recv().ok());
        if let Some(p) = &proto {
            if p.is_reusable() {
                conn.connection().proto = proto;
                conn.release();
                return;
            }
            if p.state() == State::Closed {
                return;
            }
        }
        let drain = drain_after_cancel(
            conn,
            proto,
            self.handback.1.clone(),
            self.cancel_sent.load(Ordering::Relaxed),
            within(Arc::clone(&self.limits.rt), DRAIN_TIME),
        );
        self.limits.rt.spawn(Box::pin(drain));
    }
}

/// Sends Cancel (unless `cancel_sent`) and reads the rest of the answer, discarding it, within
/// `limits` and [`DRAIN_BYTES`]: at EndOfStream or Exception the connection goes back to the
/// pool; otherwise it is closed. `proto`: the protocol state, or `None` while the filter still
/// has it (it comes through `handback` when the filter drops). The bytes are decoded on the
/// blocking pool: they may be megabytes of blocks.
async fn drain_after_cancel(
    mut conn: PooledConnection<Connection>,
    proto: Option<Box<tcp::Connection>>,
    handback: async_channel::Receiver<Box<tcp::Connection>>,
    cancel_sent: bool,
    limits: IoLimits,
) {
    let drained = async {
        let proto = match proto {
            Some(p) => p,
            None => {
                let recv = async { handback.recv().await.map_err(std::io::Error::other) };
                limits
                    .run(recv, None, crate::error::TimeoutKind::Receive)
                    .await?
            }
        };
        let c = conn.connection();
        c.proto = Some(proto);
        if !cancel_sent && !c.is_reusable() {
            c.proto_mut()?
                .cancel()
                .map_err(|e| Error::pipeline(e.to_string()))?;
            c.flush(&limits).await?;
        }
        let mut read = 0u64;
        while c.proto_mut()?.state() != State::Ready {
            let data = c.read(&limits).await?;
            read += data.len() as u64;
            if data.is_empty() || read > DRAIN_BYTES {
                return Err(Error::pipeline("the drain after Cancel stopped"));
            }
            let fed = c
                .with_proto(false, move |proto| {
                    let fed = proto.handle_input(&data);
                    while proto.poll_event().is_some() {}
                    fed
                })
                .await?;
            fed?;
            if limits.deadline.is_some_and(|d| limits.rt.now() >= d) {
                return Err(Error::pipeline("the drain after Cancel ran out of time"));
            }
        }
        Ok::<_, Error>(())
    };
    if drained.await.is_ok() && conn.connection().is_reusable() {
        conn.release();
    }
}

/// The protocol state machine over an answer's raw bytes (see the module docs).
pub(crate) struct BodyFilter {
    proto: Option<Box<tcp::Connection>>,
    handback: async_channel::Sender<Box<tcp::Connection>>,
    out: VecDeque<Piece>,
    progress: Option<ProgressFn>,
    /// Logs, profile events, totals and extremes: to their callbacks, never into the result.
    events: EventCallbacks,
    /// Result blocks were released (an exception after them is mid-stream).
    data_seen: bool,
    ended: bool,
    /// An error found before the first chunk arrived.
    pending: Option<Error>,
    /// The body wrote a Cancel: the server's end of the result is the query's cancellation.
    cancel_sent: Arc<AtomicBool>,
}

impl BodyFilter {
    /// Feeds raw bytes; blocks become available through [`pop`](Self::pop).
    pub(crate) fn push(&mut self, raw: Bytes) -> Result<()> {
        if let Some(e) = self.pending.take() {
            return Err(e);
        }
        let Some(proto) = self.proto.as_mut() else {
            return Err(Error::pipeline("native bytes after the end of the answer"));
        };
        proto.handle_input(&raw)?;
        self.take_events()
    }

    pub(crate) fn pop(&mut self) -> Option<Piece> {
        self.out.pop_front()
    }

    /// The reader stopped because this filter saw the end: nothing is left half-read.
    pub(crate) fn finish(&mut self) -> Result<()> {
        if let Some(e) = self.pending.take() {
            return Err(e);
        }
        match self.ended {
            true => Ok(()),
            false => Err(tcp::TcpError::Closed(tcp::State::Receiving).into()),
        }
    }

    /// The native protocol reports exceptions as packets, already seen by `push`.
    pub(crate) fn exception_or(&mut self, err: Error) -> Error {
        self.pending.take().unwrap_or(err)
    }

    /// Turns the state machine's events into pieces, progress reports and the end.
    fn take_events(&mut self) -> Result<()> {
        while let Some(event) = self.proto.as_mut().and_then(|p| p.poll_event()) {
            if self.events.deliver(&event)? {
                continue;
            }
            match event {
                Event::Header(b) => self.out.push_back(Piece::Block(b)),
                // The server ends a result's data with an empty block (no columns either).
                Event::Data(_, b) if b.rows == 0 => {}
                Event::Data(_, b) => {
                    self.data_seen = true;
                    self.out.push_back(Piece::Block(b));
                }
                Event::Progress(_) => {
                    if let (Some(f), Some(p)) = (&self.progress, &self.proto) {
                        f(&p.progress());
                    }
                }
                Event::Exception(e) => {
                    self.hand_back();
                    return Err(server_error(e, self.data_seen));
                }
                Event::EndOfStream => {
                    self.ended = true;
                    self.hand_back();
                    // The server ends a cancelled query's result as if it were complete: the
                    // caller learns it was not.
                    if self.cancel_sent.load(Ordering::Relaxed) {
                        return Err(cancelled(self.data_seen));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Gives the protocol state back to the reader (the answer is over).
    fn hand_back(&mut self) {
        if let Some(proto) = self.proto.take() {
            let _ = self.handback.try_send(proto);
        }
    }

    /// Feeds raw bytes nobody will read the result of (the consumer is gone): they only
    /// advance the protocol state, for the drain after Cancel.
    pub(crate) fn skip(&mut self, raw: Bytes) -> Result<()> {
        self.push(raw)?;
        self.out.clear();
        Ok(())
    }
}

impl Drop for BodyFilter {
    /// The protocol state goes back to the body even when the answer did not end: the body's
    /// drain continues from here.
    fn drop(&mut self) {
        self.hand_back();
    }
}

/// The error a result cancelled through its [`CancelHandle`](crate::CancelHandle) ends with,
/// as over HTTP (`KILL QUERY`), where the server reports it itself.
fn cancelled(mid_stream: bool) -> Error {
    Error::Server(ServerError {
        code: 394,
        name: Some("QUERY_WAS_CANCELLED".into()),
        message: "the query was cancelled (in-band Cancel: the server ended the result early)"
            .into(),
        mid_stream,
        http_status: None,
        stack_trace: None,
    })
}

impl std::fmt::Debug for RawBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawBody")
            .field("ended", &self.ended)
            .field("filtering", &self.filtering)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for BodyFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BodyFilter")
            .field("data_seen", &self.data_seen)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}
