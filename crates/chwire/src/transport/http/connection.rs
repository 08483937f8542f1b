//! One HTTP/1.1 keep-alive connection: writing a request, driving the sans-IO
//! [`HttpResponseParser`] over the socket, with the send/receive inactivity limits and the
//! whole-request deadline applied to every IO wait.

use std::io::{self, IoSlice};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use chwire_proto::http::{
    ChunkSizeLine, ChunkedEncoder, HeadProgressFilter, HttpResponseParser, ResponseConfig,
    ResponseEvent, ResponseHead,
};
use chwire_rt::AsyncIo;
use futures_util::AsyncWriteExt;
use futures_util::future::{Either, select};

use crate::buffers::{BufferPool, KEEP_READ_BUFFERS, read_lent};
use crate::error::{Error, Result, TimeoutKind};
use crate::limits::IoLimits;
use crate::pool::{Poolable, PooledConnection};

/// An HTTP/1.1 keep-alive connection to the server and what the server said about reusing it.
pub(crate) struct Connection {
    io: Box<dyn AsyncIo>,
    /// The server's `Keep-Alive: timeout=N` from the last response.
    server_idle_timeout: Option<Duration>,
    /// The server's `Keep-Alive: max=N`: requests it will still serve on this connection.
    remaining_requests: Option<u32>,
    /// Socket read buffers, kept with the connection so pooled requests reuse them.
    read_bufs: Arc<BufferPool>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("server_idle_timeout", &self.server_idle_timeout)
            .field("remaining_requests", &self.remaining_requests)
            .finish_non_exhaustive()
    }
}

impl Poolable for Connection {
    type Opener = ();

    /// HTTP has no handshake of its own.
    async fn open(io: Box<dyn AsyncIo>, _: &(), _: &IoLimits) -> Result<Self> {
        Ok(Connection {
            io,
            server_idle_timeout: None,
            remaining_requests: None,
            read_bufs: Arc::new(BufferPool::new(KEEP_READ_BUFFERS)),
        })
    }

    /// The server closes connections idle for its keep-alive timeout (a second of margin, so
    /// a request never races its close) and after its `max` requests.
    fn expired(&self, idle_for: Duration) -> bool {
        let timed_out = self
            .server_idle_timeout
            .is_some_and(|server| idle_for + Duration::from_secs(1) >= server);
        timed_out || matches!(self.remaining_requests, Some(0 | 1))
    }

    /// Catches most connections the server closed while they sat in the pool, so the request
    /// does not have to fail and be retried.
    fn is_open(&mut self) -> bool {
        crate::transport::socket_looks_open(&mut self.io)
    }
}

impl Connection {
    /// Writes `prefix`, then the payload (`segments`, in order), in vectored writes straight
    /// from their buffers. With `chunks: Some(max)` the payload is framed as HTTP chunks of at
    /// most `max` bytes (their size lines written beside it, see [`ChunkedEncoder::frames`]).
    pub(crate) async fn write_framed(
        &mut self,
        prefix: &[u8],
        segments: &[&[u8]],
        chunks: Option<usize>,
        limits: &IoLimits,
    ) -> Result<()> {
        let frames: Vec<_>;
        let slices = match chunks {
            Some(max) => {
                let total = segments.iter().map(|s| s.len()).sum();
                frames = ChunkedEncoder.frames(total, max).collect();
                framed_slices(prefix, segments, &frames)
            }
            None => std::iter::once(prefix)
                .chain(segments.iter().copied())
                .filter(|s| !s.is_empty())
                .collect(),
        };
        let io = &mut self.io;
        limits
            .run(
                async move {
                    // A bounded number of buffers a call (Linux takes at most 1024 in writev).
                    for group in slices.chunks(MAX_WRITE_SLICES) {
                        let mut io_slices: Vec<IoSlice<'_>> =
                            group.iter().map(|s| IoSlice::new(s)).collect();
                        let mut rest = &mut io_slices[..];
                        while !rest.is_empty() {
                            let n = io.write_vectored(rest).await?;
                            if n == 0 {
                                return Err(io::ErrorKind::WriteZero.into());
                            }
                            IoSlice::advance_slices(&mut rest, n);
                        }
                    }
                    io.flush().await
                },
                limits.send_timeout,
                TimeoutKind::Send,
            )
            .await
    }

    /// Reads up to `max` bytes into a recycled buffer, returned as `Bytes` that give the
    /// buffer back when the last slice of them is dropped; empty means EOF. No time limit of
    /// its own: [`Exchange`] races it against its [`ReceiveTimer`]. Cancel-safe (a dropped
    /// read has read nothing).
    pub(crate) async fn read(&mut self, max: usize) -> io::Result<Bytes> {
        read_lent(&mut self.io, &self.read_bufs, max).await
    }
}

/// The largest HTTP chunk a request body is sent in. ClickHouse parses a chunk in place only
/// when all of it is already in its 1 MiB socket buffer; a larger chunk is first copied whole
/// into a scratch buffer. Measured on a 5M-row Native insert: 7.5 MB chunks cost the server
/// ~15 % more CPU than a Content-Length body; 64-256 KiB chunks cost the same.
pub(crate) const MAX_HTTP_CHUNK: usize = 128 << 10;

/// `prefix`, then `segments` (the payload, in order) cut at `frames`' boundaries, each frame
/// between its size line and CRLF: the buffers of a chunked body's vectored writes. No empty
/// buffer is returned (a vectored write of only empty buffers would look like a closed socket).
fn framed_slices<'a>(
    prefix: &'a [u8],
    segments: &[&'a [u8]],
    frames: &'a [(ChunkSizeLine, std::ops::Range<usize>)],
) -> Vec<&'a [u8]> {
    let mut slices = Vec::with_capacity(1 + 4 * frames.len() + segments.len());
    slices.push(prefix);
    let mut rest = segments.iter().copied().filter(|s| !s.is_empty());
    let mut current: &[u8] = &[];
    for (line, range) in frames {
        slices.push(line.as_bytes());
        let mut want = range.len();
        while want > 0 {
            if current.is_empty() {
                match rest.next() {
                    Some(next) => current = next,
                    None => break,
                }
            }
            let (take, left) = current.split_at(want.min(current.len()));
            slices.push(take);
            want -= take.len();
            current = left;
        }
        slices.push(ChunkedEncoder::CHUNK_END);
    }
    slices.retain(|s| !s.is_empty());
    slices
}

/// Buffers one vectored write is given (Linux's `writev` takes at most 1024).
const MAX_WRITE_SLICES: usize = 512;

/// One request/response exchange on a pooled connection: feeds socket reads to the response
/// parser. The connection goes back to the pool only through [`finish`](Self::finish) after a
/// cleanly completed response; dropping an exchange closes the connection.
pub(crate) struct Exchange {
    conn: PooledConnection<Connection>,
    parser: HttpResponseParser,
    limits: IoLimits,
    /// Socket read size (bytes per read).
    read_size: usize,
    /// Bytes received so far (0 ⇒ the server never answered: a retry candidate).
    pub received: u64,
    keep_alive: Option<chwire_proto::http::KeepAliveParams>,
    /// Takes `X-ClickHouse-Progress` lines out of the head and reports them (when progress is
    /// requested).
    progress: Option<(HeadProgressFilter, crate::progress::ProgressFn)>,
    timer: ReceiveTimer,
    /// The query id the request was sent with: a head naming another one answers a different
    /// request.
    query_id: Option<String>,
    /// The response body is compressed blocks (`compress=1`).
    body_encoded: bool,
    /// The response head, once the attempt has read it.
    pub head: Option<ResponseHead>,
}

/// The receive inactivity limit, the head deadline and the request deadline of one response,
/// as one timer that lives across reads. A timer per read (armed and cancelled about a thousand times for a large
/// result) cost measurable CPU; this one is re-armed only when it fires while data is still
/// arriving, i.e. about once per `receive_timeout`.
struct ReceiveTimer {
    sleep: Option<chwire_rt::BoxFuture<'static, ()>>,
    /// When the current read started waiting (the inactivity limit counts from there).
    wait_start: Instant,
    /// While the head is awaited: when it must be complete (`head_timeout`).
    head_deadline: Option<Instant>,
}

impl ReceiveTimer {
    fn new(now: Instant) -> ReceiveTimer {
        ReceiveTimer {
            sleep: None,
            wait_start: now,
            head_deadline: None,
        }
    }

    /// When waiting must end: the inactivity limit from the wait's start, the head deadline
    /// or the request deadline, whichever comes first, with the kind of timeout that ends it.
    fn deadline(&self, limits: &IoLimits) -> Option<(Instant, TimeoutKind)> {
        let other = limits.limit(
            self.wait_start,
            limits.receive_timeout,
            TimeoutKind::Receive,
        );
        let head = self.head_deadline.map(|d| (d, TimeoutKind::Head));
        match (head, other) {
            (Some(h), Some(o)) => Some(if h.0 < o.0 { h } else { o }),
            (h, o) => h.or(o),
        }
    }

    /// Starts (or, after a progress report, restarts) the head deadline. The armed sleep is
    /// dropped so that a deadline earlier than it is armed on the next read.
    fn start_head(&mut self, limits: &IoLimits) {
        let now = limits.rt.now();
        self.head_deadline = limits
            .head_timeout
            .map(|t| chwire_rt::deadline_after(now, t));
        self.sleep = None;
    }
}

impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchange")
            .field("received", &self.received)
            .finish_non_exhaustive()
    }
}

impl Exchange {
    pub(crate) fn new(
        conn: PooledConnection<Connection>,
        limits: IoLimits,
        body_encoded: bool,
        read_size: usize,
    ) -> Self {
        let limits_now = limits.rt.now();
        Exchange {
            conn,
            parser: HttpResponseParser::new(ResponseConfig::default().body_encoded(body_encoded)),
            limits,
            read_size: read_size.max(4096),
            received: 0,
            keep_alive: None,
            progress: None,
            timer: ReceiveTimer::new(limits_now),
            query_id: None,
            body_encoded,
            head: None,
        }
    }

    /// The query id the request carries; [`read_head`](Self::read_head) checks the response's
    /// against it.
    pub(crate) fn expect_query_id(&mut self, id: &str) {
        self.query_id = Some(id.to_owned());
    }

    /// The query id the request was sent with.
    pub(crate) fn query_id(&self) -> Option<&str> {
        self.query_id.as_deref()
    }

    /// Whether the response body is compressed blocks.
    pub(crate) fn body_encoded(&self) -> bool {
        self.body_encoded
    }

    /// Reports the head's progress lines to `callback` instead of the parser.
    pub(crate) fn report_progress(&mut self, callback: crate::progress::ProgressFn) {
        self.progress = Some((HeadProgressFilter::new(), callback));
    }

    pub(crate) fn connection_reused(&self) -> bool {
        self.conn.reused
    }

    pub(crate) fn limits(&self) -> &IoLimits {
        &self.limits
    }

    pub(crate) async fn write_all(&mut self, data: &[u8]) -> Result<()> {
        self.write_framed(data, &[], None).await
    }

    /// [`Connection::write_framed`] on this exchange's connection.
    pub(crate) async fn write_framed(
        &mut self,
        prefix: &[u8],
        segments: &[&[u8]],
        chunks: Option<usize>,
    ) -> Result<()> {
        let limits = self.limits.clone();
        self.conn
            .connection()
            .write_framed(prefix, segments, chunks, &limits)
            .await
    }

    /// The next parser event, reading from the socket as needed.
    pub(crate) async fn next_event(&mut self) -> Result<ResponseEvent> {
        loop {
            match self.parser.next_event() {
                Ok(Some(ev)) => {
                    if let ResponseEvent::Head(h) = &ev {
                        self.keep_alive = Some(h.keep_alive_params);
                    }
                    return Ok(ev);
                }
                Ok(None) if self.parser.is_finished() => {
                    return Err(Error::pipeline("response already complete"));
                }
                Ok(None) => {}
                Err(e) => return Err(e.into()),
            }
            let data = self.read().await?;
            if data.is_empty() {
                self.parser.feed_eof();
            } else {
                self.received += data.len() as u64;
                match &mut self.progress {
                    Some((filter, callback)) => {
                        let parser = &mut self.parser;
                        let reported =
                            filter.feed(&data, &mut |b| parser.feed(b), &mut |p| callback(&p));
                        // A server reporting progress is working on the query, not trickling.
                        if reported && self.timer.head_deadline.is_some() {
                            self.timer.start_head(&self.limits);
                        }
                    }
                    None => self.parser.feed_bytes(data),
                }
            }
        }
    }

    /// One socket read under the receive inactivity limit (counted from this call: a reader
    /// held back by a slow consumer is not an idle server) and the request deadline.
    async fn read(&mut self) -> Result<Bytes> {
        let timer = &mut self.timer;
        timer.wait_start = self.limits.rt.now();
        loop {
            let Some((deadline, _)) = timer.deadline(&self.limits) else {
                return Ok(self.conn.connection().read(self.read_size).await?);
            };
            let sleep = timer
                .sleep
                .get_or_insert_with(|| self.limits.rt.sleep_until(deadline));
            let read = std::pin::pin!(self.conn.connection().read(self.read_size));
            match select(read, sleep.as_mut()).await {
                Either::Left((data, _)) => return Ok(data?),
                Either::Right(((), _)) => {
                    // The armed deadline passed; a later wait start may have moved the real one.
                    timer.sleep = None;
                    let now = self.limits.rt.now();
                    if let Some((d, kind)) = timer.deadline(&self.limits) {
                        if d <= now {
                            return Err(Error::Timeout(kind));
                        }
                    }
                }
            }
        }
    }

    /// Takes over the parser's mid-stream exception scanner (see [`RawBody`]'s method).
    ///
    /// [`RawBody`]: super::RawBody
    pub(crate) fn take_exception_scanner(
        &mut self,
    ) -> Option<chwire_proto::http::ExceptionScanner> {
        self.parser.take_exception_scanner()
    }

    /// Reads up to the response head (skipping nothing else: the head is always first), within
    /// `head_timeout` from now (the request has been sent), restarted by each progress report.
    /// A head whose `X-ClickHouse-Query-Id` is not the request's answers another request (an
    /// unsolicited response on a reused connection): an error, and the exchange must be
    /// dropped, which closes the connection.
    pub(crate) async fn read_head(&mut self) -> Result<ResponseHead> {
        self.timer.start_head(&self.limits);
        let event = self.next_event().await;
        self.timer.head_deadline = None;
        let head = match event? {
            ResponseEvent::Head(h) => *h,
            other => {
                return Err(Error::pipeline(format!(
                    "expected a response head, got {other:?}"
                )));
            }
        };
        if let (Some(sent), Some(received)) = (&self.query_id, &head.query_id) {
            if sent != received {
                return Err(Error::QueryIdMismatch {
                    sent: sent.clone(),
                    received: received.clone(),
                });
            }
        }
        Ok(head)
    }

    /// The response ended (`End` seen): returns the connection to the pool when the parser
    /// says it is in sync and the server keeps it open.
    pub(crate) fn finish(self) {
        if self.parser.is_reusable() {
            let mut conn = self.conn;
            if let Some(ka) = self.keep_alive {
                let c = conn.connection();
                c.server_idle_timeout = ka.timeout;
                c.remaining_requests = ka.max;
            }
            conn.release();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framed_slices_cut_segments_at_chunk_boundaries() {
        let payload: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
        // The same payload in segments of various sizes, empty ones included.
        for cuts in [
            vec![],
            vec![0, 0, 1000],
            vec![1, 2, 3, 500, 999],
            vec![100, 100, 700],
        ] {
            let mut segments = Vec::new();
            let mut at = 0;
            for &cut in &cuts {
                segments.push(&payload[at..cut]);
                at = cut;
            }
            segments.push(&payload[at..]);
            for max in [1, 7, 64, 999, 1000, 5000] {
                let frames: Vec<_> = ChunkedEncoder.frames(payload.len(), max).collect();
                let slices = framed_slices(b"HEAD", &segments, &frames);
                assert!(slices.iter().all(|s| !s.is_empty()));
                let got: Vec<u8> = slices.concat();
                let mut want = bytes::BytesMut::from(&b"HEAD"[..]);
                for piece in payload.chunks(max) {
                    ChunkedEncoder.encode_chunk(piece, &mut want);
                }
                assert_eq!(got, &want[..], "cuts {cuts:?}, chunks of {max}");
            }
        }
    }
}
