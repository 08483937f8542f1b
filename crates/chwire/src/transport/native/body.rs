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

use std::collections::VecDeque;

use bytes::Bytes;
use chwire_proto::Block;
use chwire_proto::tcp::{self, Event};
use futures_util::future::{Either, select};

use super::connection::{Connection, server_error};
use crate::error::{Error, Result};
use crate::limits::IoLimits;
use crate::pool::PooledConnection;
use crate::progress::ProgressFn;
use crate::transport::Piece;

/// Where the filter returns the protocol state at the end of the answer.
type Handback = (
    async_channel::Sender<Box<tcp::Connection>>,
    async_channel::Receiver<Box<tcp::Connection>>,
);

/// The async source of an answer's raw bytes.
pub(crate) struct RawBody {
    conn: Option<PooledConnection<Connection>>,
    limits: IoLimits,
    header: Option<Block>,
    progress: Option<ProgressFn>,
    /// The exchange already read the answer to its end.
    ended: bool,
    handback: Handback,
    /// The filter holds the protocol state.
    filtering: bool,
}

impl RawBody {
    pub(super) fn new(
        conn: Option<PooledConnection<Connection>>,
        limits: IoLimits,
        header: Option<Block>,
        progress: Option<ProgressFn>,
        ended: bool,
    ) -> RawBody {
        RawBody {
            conn,
            limits,
            header,
            progress,
            ended,
            handback: async_channel::bounded(1),
            filtering: false,
        }
    }

    /// The filter for this answer: it takes the protocol state over.
    pub(crate) fn filter(&mut self) -> BodyFilter {
        let proto = self.conn.as_mut().and_then(|c| c.connection().proto.take());
        self.filtering = proto.is_some();
        let mut filter = BodyFilter {
            proto,
            handback: self.handback.0.clone(),
            out: VecDeque::new(),
            progress: self.progress.take(),
            data_seen: false,
            ended: self.ended,
            pending: None,
        };
        filter.out.extend(self.header.take().map(Piece::Block));
        if filter.ended {
            filter.hand_back();
        } else if let Err(e) = filter.take_events() {
            filter.pending = Some(e);
        }
        filter
    }

    /// The next raw chunk, `None` once the filter has seen the answer's end.
    pub(crate) async fn next_chunk(&mut self) -> Result<Option<Bytes>> {
        let Some(conn) = self.conn.as_mut() else {
            return Ok(None);
        };
        if !self.filtering {
            return Err(Error::pipeline("a native answer read without its filter"));
        }
        let rx = &self.handback.1;
        let next = match rx.try_recv() {
            Ok(proto) => Either::Left(Ok(proto)),
            Err(_) => {
                let ended = std::pin::pin!(rx.recv());
                let read = std::pin::pin!(conn.connection().read(&self.limits));
                match select(ended, read).await {
                    Either::Left((p, _)) => Either::Left(p),
                    Either::Right((r, _)) => Either::Right(r),
                }
            }
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
    /// protocol state, ready again, in the channel: the connection is still reusable.
    fn drop(&mut self) {
        if let Ok(proto) = self.handback.1.try_recv() {
            self.finish(proto);
        }
    }
}

/// The protocol state machine over an answer's raw bytes (see the module docs).
pub(crate) struct BodyFilter {
    proto: Option<Box<tcp::Connection>>,
    handback: async_channel::Sender<Box<tcp::Connection>>,
    out: VecDeque<Piece>,
    progress: Option<ProgressFn>,
    /// Result blocks were released (an exception after them is mid-stream).
    data_seen: bool,
    ended: bool,
    /// An error found before the first chunk arrived.
    pending: Option<Error>,
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
