//! The transport boundary: how one attempt of a request reaches a server over one protocol,
//! and what comes back, behind private enums with a variant per protocol (HTTP today; the
//! native TCP protocol is the next sibling), so the rest of the facade sees neutral types
//! only:
//!
//! - [`Transport`]: an endpoint's protocol and its connection pool; one attempt of a request
//!   ([`attempt`](Transport::attempt)), and how a running query is cancelled;
//! - [`Exchange`]: a request on a connection whose body may still be streaming;
//! - [`Response`]: what the server reported when it started answering ([`Head`]) and the body
//!   as a source of chunks ([`Body`]), with the sync [`BodyFilter`] its bytes go through.
//!
//! The protocol code lives in per-protocol modules (`http/`, `native/`).

mod http;
mod native;

use std::sync::Arc;

use bytes::Bytes;
use chwire_proto::Block;
use chwire_rt::{AsyncIo, AsyncRead, Runtime};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::limits::IoLimits;
use crate::pool::{PoolConfig, PoolStats};
use crate::progress::Progress;
use crate::request::Request;
use crate::summary::QuerySummary;
use crate::tls::Connector;

/// How one endpoint is reached: the protocol and its pooled connections.
#[derive(Debug)]
pub(crate) enum Transport {
    Http(http::HttpTransport),
    Native(native::NativeTransport),
}

/// Where an endpoint is and how its connections are pooled.
pub(crate) struct Address {
    pub host: String,
    pub port: u16,
    /// The path every request goes to (HTTP: `/` or a proxy's prefix).
    pub path: String,
    pub tls: Option<Connector>,
}

/// One attempt of a request on a transport.
pub(crate) struct Attempt<'a> {
    pub config: &'a Config,
    pub req: &'a Request<'a>,
    /// The attempt's query id.
    pub query_id: &'a str,
    /// The first body bytes, written with the request (segments, in order).
    pub first: &'a [&'a [u8]],
    /// The body's length when it is not streamed (`None`: the length of `first`).
    pub body_len: Option<u64>,
    /// Wait for the server's answer (not for a body still to be streamed).
    pub answer: bool,
    pub limits: &'a IoLimits,
    /// On a new connection, not an idle one.
    pub fresh: bool,
    /// Called once a connection is established (the request may then reach the server).
    pub on_connect: &'a (dyn Fn() + Sync),
}

/// An attempt failed.
#[derive(Debug)]
pub(crate) struct AttemptError {
    pub error: Error,
    /// A connection had been established: the request may have reached the server.
    pub connected: bool,
    /// It failed on a reused connection before any response byte (the server had closed it
    /// while idle): worth one retry on a fresh connection.
    pub stale: bool,
}

impl AttemptError {
    pub(crate) fn before_connect(error: Error) -> AttemptError {
        AttemptError {
            error,
            connected: false,
            stale: false,
        }
    }
}

/// Blocks up to this many cells (rows × columns) are encoded on the calling task, by the insert
/// path (into body bytes) and by the native transport (into a Data packet): a thread hop
/// costs more.
pub(crate) const INLINE_ENCODE_CELLS: usize = 4096;

/// Whether `block` is small enough to be encoded on the calling task ([`INLINE_ENCODE_CELLS`]).
pub(crate) fn encodes_inline(block: &Block) -> bool {
    block.rows.saturating_mul(block.columns.len()) <= INLINE_ENCODE_CELLS
}

/// How a transport stops a query running on it.
pub(crate) struct Cancel {
    /// Cancel on the query's own connection first, when a body reading its answer is there
    /// ([`InBand`](crate::in_band::InBand): native's Cancel packet).
    pub in_band: bool,
    /// Otherwise run this statement, with the query id as its `{id:String}` parameter, on the
    /// endpoint running the query (`KILL QUERY`).
    pub statement: &'static str,
}

impl Transport {
    /// The HTTP transport to `address` (`http://` or, with `tls`, `https://`).
    pub(crate) fn http(rt: Arc<dyn Runtime>, address: Address, pool: PoolConfig) -> Transport {
        Transport::Http(http::HttpTransport::new(rt, address, pool))
    }

    /// The native TCP transport to `address` (`clickhouse://` or, with `tls`,
    /// `clickhouses://`); its connections log in with `config`'s credentials and database.
    pub(crate) fn native(
        rt: Arc<dyn Runtime>,
        address: Address,
        pool: PoolConfig,
        config: &Config,
    ) -> Transport {
        Transport::Native(native::NativeTransport::new(rt, address, pool, config))
    }

    /// One attempt: a connection from the pool (a fresh one when `a.fresh`), the request
    /// written with the first body bytes, and with `a.answer` the server's answer read up to
    /// its body (a failure answer is the server's error).
    pub(crate) async fn attempt(&self, a: &Attempt<'_>) -> Result<Exchange, AttemptError> {
        match self {
            Transport::Http(t) => t.attempt(a).await.map(Exchange::Http),
            Transport::Native(t) => t.attempt(a).await.map(Exchange::Native),
        }
    }

    pub(crate) fn pool_stats(&self) -> PoolStats {
        match self {
            Transport::Http(t) => t.pool().stats(),
            Transport::Native(t) => t.pool().stats(),
        }
    }

    /// Counts a retry on a fresh connection after a stale one.
    pub(crate) fn count_retry(&self) {
        match self {
            Transport::Http(t) => t.pool().count_retry(),
            Transport::Native(t) => t.pool().count_retry(),
        }
    }

    /// How to stop a query running on this transport.
    pub(crate) fn cancel(&self) -> Cancel {
        match self {
            Transport::Http(_) => Cancel {
                in_band: false,
                statement: http::KILL_QUERY,
            },
            // Before the answer's body (or after it) there is no reader to send Cancel: the
            // statement, on a connection of its own, reaches the query then.
            Transport::Native(_) => Cancel {
                in_band: true,
                statement: http::KILL_QUERY,
            },
        }
    }
}

/// A request sent on a connection; its body may still be streaming (inserts).
// One per request, moved a few times: the size difference costs nothing worth an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub(crate) enum Exchange {
    Http(http::Exchange),
    Native(native::Exchange),
}

impl Exchange {
    /// Sends more of the body (segments, in order; HTTP: as chunks, nothing copied).
    pub(crate) async fn send_body(&mut self, segments: &[&[u8]]) -> Result<()> {
        match self {
            Exchange::Http(ex) => ex.send_body(segments).await,
            Exchange::Native(ex) => ex.send_body(segments).await,
        }
    }

    /// Sends a whole block of an INSERT's body: over native as a Data packet, never encoded
    /// as body bytes first; HTTP bodies are bytes (a pipeline error: the writer asks
    /// [`takes_blocks`](Self::takes_blocks) first).
    pub(crate) async fn send_block(&mut self, block: Block) -> Result<()> {
        match self {
            Exchange::Http(_) => Err(Error::pipeline("an HTTP body takes bytes, not blocks")),
            Exchange::Native(ex) => ex.send_block(block).await,
        }
    }

    /// Writes out body bytes the exchange holds back (over native, the last large block's
    /// packet: see `native::Exchange::send_block`); HTTP holds none.
    pub(crate) async fn send_pending(&mut self) -> Result<()> {
        match self {
            Exchange::Http(_) => Ok(()),
            Exchange::Native(ex) => ex.send_pending().await,
        }
    }

    /// Whether [`send_block`](Self::send_block) is how this exchange takes an insert's blocks.
    pub(crate) fn takes_blocks(&self) -> bool {
        matches!(self, Exchange::Native(_))
    }

    /// Ends a streamed body.
    pub(crate) async fn end_body(&mut self) -> Result<()> {
        match self {
            Exchange::Http(ex) => ex.end_body().await,
            Exchange::Native(ex) => ex.end_body().await,
        }
    }

    /// The server's answer (read now unless the attempt already did); a failure answer is the
    /// server's error.
    pub(crate) async fn response(self) -> Result<Response> {
        match self {
            Exchange::Http(ex) => ex.response().await,
            Exchange::Native(ex) => ex.response().await,
        }
    }

    pub(crate) fn runtime(&self) -> Arc<dyn Runtime> {
        match self {
            Exchange::Http(ex) => Arc::clone(&ex.limits().rt),
            Exchange::Native(ex) => Arc::clone(&ex.limits().rt),
        }
    }
}

/// What the server reported when it started answering.
#[derive(Debug, Clone, Default)]
pub(crate) struct Head {
    /// The server's counters so far (HTTP: `X-ClickHouse-Summary`; native: the sum of the
    /// Progress packets up to the result's first block, or its end for `execute`).
    pub summary: Progress,
}

impl QuerySummary {
    pub(crate) fn from_head(head: &Head, query_id: &str) -> QuerySummary {
        QuerySummary::new(query_id.to_owned(), head.summary)
    }
}

/// A successful answer, before its body is read.
#[derive(Debug)]
pub(crate) struct Response {
    pub head: Head,
    pub body: Body,
    /// The query id the server ran the request under.
    pub query_id: String,
}

/// The async source of a response's raw body chunks.
// One per response (see `Exchange`).
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub(crate) enum Body {
    Http(http::RawBody),
    Native(native::RawBody),
}

impl Body {
    /// The next chunk of body bytes, `None` at the clean end of the body (the connection is
    /// then reusable).
    pub(crate) async fn next_chunk(&mut self) -> Result<Option<Bytes>> {
        match self {
            Body::Http(b) => b.next_chunk().await,
            Body::Native(b) => b.next_chunk().await,
        }
    }

    /// Reads the whole body, keeping at most `cap` bytes.
    pub(crate) async fn collect_capped(&mut self, cap: usize) -> Result<Vec<u8>> {
        match self {
            Body::Http(b) => b.collect_capped(cap).await,
            Body::Native(b) => b.drain().await.map(|()| Vec::new()),
        }
    }

    /// The filter the raw chunks go through (HTTP: decompression and the mid-stream
    /// exception scan, which it takes over from the response parser; native: the protocol
    /// state machine, which demultiplexes packets and decodes their blocks).
    pub(crate) fn filter(&mut self) -> BodyFilter {
        match self {
            Body::Http(b) => BodyFilter::Http(b.filter()),
            Body::Native(b) => BodyFilter::Native(b.filter()),
        }
    }
}

/// What a body filter releases: plain result bytes (HTTP), or blocks the protocol already
/// decoded (native), which reach the block consumers as they are, never re-encoded.
#[derive(Debug)]
pub(crate) enum Piece {
    Bytes(Bytes),
    Block(Block),
}

/// The sync half of reading a body (CPU work, may run off-loop): raw chunks in, the result's
/// [`Piece`]s out, and the server's error if the body carries one.
#[derive(Debug)]
pub(crate) enum BodyFilter {
    Http(http::BodyFilter),
    Native(native::BodyFilter),
}

impl BodyFilter {
    /// The HTTP filter of an uncompressed body whose exceptions carry `tag`, its scanner
    /// taken over from the parser (for tests of what runs the filter).
    #[cfg(test)]
    pub(crate) fn http_plain(tag: &str) -> BodyFilter {
        let scanner = chwire_proto::http::ExceptionScanner::new(Some(tag));
        BodyFilter::Http(http::BodyFilter::new(false, Some(tag), Some(scanner)))
    }

    /// Feeds a raw chunk; plain data becomes available through [`pop`](Self::pop).
    pub(crate) fn push(&mut self, raw: Bytes) -> Result<()> {
        match self {
            BodyFilter::Http(f) => f.push(raw),
            BodyFilter::Native(f) => f.push(raw),
        }
    }

    /// Raw bytes whose result nobody reads any more (the consumer dropped the stream): native
    /// feeds them to the protocol state, which a drain after Cancel continues from; HTTP,
    /// whose connection closes, drops them.
    pub(crate) fn skip(&mut self, raw: Bytes) -> Result<()> {
        match self {
            BodyFilter::Http(_) => Ok(()),
            BodyFilter::Native(f) => f.skip(raw),
        }
    }

    pub(crate) fn pop(&mut self) -> Option<Piece> {
        match self {
            BodyFilter::Http(f) => f.pop().map(Piece::Bytes),
            BodyFilter::Native(f) => f.pop(),
        }
    }

    /// The body ended cleanly: checks nothing is left half-read and releases held-back data.
    pub(crate) fn finish(&mut self) -> Result<()> {
        match self {
            BodyFilter::Http(f) => f.finish(),
            BodyFilter::Native(f) => f.finish(),
        }
    }

    /// The body broke with `err`: the server's error, if it was sending one, explains it
    /// better.
    pub(crate) fn exception_or(&mut self, err: Error) -> Error {
        match self {
            BodyFilter::Http(f) => f.exception_or(err),
            BodyFilter::Native(f) => f.exception_or(err),
        }
    }
}

/// Whether an idle connection's socket still looks open: a read that would block means the
/// peer has not closed it; EOF, an error or unexpected bytes mean it must be dropped. A probe
/// that never blocks, for every transport's [`Poolable::is_open`](crate::pool::Poolable).
pub(crate) fn socket_looks_open(io: &mut Box<dyn AsyncIo>) -> bool {
    let waker = futures_util::task::noop_waker_ref();
    let mut cx = std::task::Context::from_waker(waker);
    let mut byte = [0u8; 1];
    matches!(
        std::pin::Pin::new(io).poll_read(&mut cx, &mut byte),
        std::task::Poll::Pending
    )
}
