//! One native TCP connection: the socket and proto's [`tcp::Connection`] state machine. The
//! handshake when the pool opens it, writing what the state machine has to transmit, reading
//! under the request's time limits, and a Ping before an idle connection is reused.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use chwire_proto::tcp::{self, ClientHello, Event};
use chwire_rt::{AsyncIo, Runtime, RuntimeExt};
use futures_util::AsyncWriteExt;

use crate::buffers::{BufferPool, KEEP_READ_BUFFERS, read_lent};
use crate::error::{Error, Result, ServerError, TimeoutKind};
use crate::limits::IoLimits;
use crate::pool::Poolable;

/// An idle connection older than this is pinged before reuse; a younger one only probed.
const PING_AFTER: Duration = Duration::from_secs(1);
/// The longest a Ping before reuse may wait for its Pong.
const PING_TIMEOUT: Duration = Duration::from_secs(2);

/// What every connection of a native pool logs in with.
#[derive(Debug)]
pub(crate) struct Opener {
    pub hello: ClientHello,
    /// Socket read size.
    pub read_size: usize,
}

/// A native connection to the server.
pub(crate) struct Connection {
    io: Box<dyn AsyncIo>,
    /// The protocol state; `None` while a response's filter holds it (see `body.rs`), and
    /// after a failure. Boxed: it is large, and moves between the connection and the filter.
    pub(super) proto: Option<Box<tcp::Connection>>,
    read_bufs: Arc<BufferPool>,
    read_size: usize,
    /// Times the Ping before reuse.
    rt: Arc<dyn Runtime>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("state", &self.proto.as_deref().map(tcp::Connection::state))
            .finish_non_exhaustive()
    }
}

impl Poolable for Connection {
    type Opener = Opener;

    /// The Hello exchange (and the addendum after the server's Hello). A failed login is the
    /// server's exception.
    async fn open(io: Box<dyn AsyncIo>, opener: &Opener, limits: &IoLimits) -> Result<Self> {
        let mut conn = Connection {
            io,
            proto: Some(Box::new(tcp::Connection::new(opener.hello.clone()))),
            read_bufs: Arc::new(BufferPool::new(KEEP_READ_BUFFERS)),
            read_size: opener.read_size.max(4096),
            rt: Arc::clone(&limits.rt),
        };
        conn.flush(limits).await?;
        loop {
            match conn.next_event(limits).await? {
                Event::Hello(_) => break,
                Event::Exception(e) => return Err(server_error(e, false)),
                _ => {}
            }
        }
        conn.flush(limits).await?;
        Ok(conn)
    }

    /// The server closes idle native connections only after its `idle_connection_timeout`
    /// (an hour by default); the pool's own limits come first.
    fn expired(&self, _: Duration) -> bool {
        false
    }

    fn is_open(&mut self) -> bool {
        self.is_reusable() && crate::transport::socket_looks_open(&mut self.io)
    }

    /// Pings a connection idle for more than [`PING_AFTER`]: a server that closed it (a
    /// restart, its idle timeout) is found here, not by the request.
    async fn check(&mut self, idle_for: Duration) -> bool {
        if idle_for < PING_AFTER {
            return true;
        }
        let limits = within(Arc::clone(&self.rt), PING_TIMEOUT);
        self.ping(&limits).await.is_ok()
    }
}

/// Limits for the connection's own exchanges (a Ping, a drain after Cancel): everything
/// within `time` from now.
pub(super) fn within(rt: Arc<dyn Runtime>, time: Duration) -> IoLimits {
    IoLimits {
        deadline: Some(chwire_rt::deadline_after(rt.now(), time)),
        rt,
        send_timeout: None,
        receive_timeout: None,
        head_timeout: None,
    }
}

impl Connection {
    /// Whether the protocol state is here and says another query may start.
    pub(super) fn is_reusable(&self) -> bool {
        self.proto.as_ref().is_some_and(|p| p.is_reusable())
    }

    /// One Ping and its Pong.
    async fn ping(&mut self, limits: &IoLimits) -> Result<()> {
        let proto = self.proto_mut()?;
        proto.ping().map_err(|e| Error::pipeline(e.to_string()))?;
        self.flush(limits).await?;
        loop {
            if let Event::Pong = self.next_event(limits).await? {
                return Ok(());
            }
        }
    }

    /// Runs `work` on the protocol state: here when `inline`, else on the blocking pool with
    /// the state moved there and back (encoding a block of 300 000 mixed rows took 59-94 ms of
    /// its thread in a debug build; a drain decodes megabytes). A call dropped while that runs
    /// leaves the connection without its state: closed, never reused.
    pub(super) async fn with_proto<R: Send + 'static>(
        &mut self,
        inline: bool,
        work: impl FnOnce(&mut tcp::Connection) -> R + Send + 'static,
    ) -> Result<R> {
        let Some(mut proto) = self.proto.take() else {
            return Err(Error::pipeline(
                "the native connection's state is elsewhere",
            ));
        };
        let (proto, out) = if inline {
            let out = work(&mut proto);
            (proto, out)
        } else {
            self.rt
                .run_blocking(move || {
                    let out = work(&mut proto);
                    (proto, out)
                })
                .await
                .map_err(|e| Error::pipeline(format!("native protocol work off-loop: {e}")))?
        };
        self.proto = Some(proto);
        Ok(out)
    }

    pub(super) fn proto_mut(&mut self) -> Result<&mut tcp::Connection> {
        self.proto
            .as_deref_mut()
            .ok_or_else(|| Error::pipeline("the native connection's state is elsewhere"))
    }

    /// Writes everything the state machine has to transmit.
    pub(super) async fn flush(&mut self, limits: &IoLimits) -> Result<()> {
        while let Some(bytes) = self.proto_mut()?.poll_transmit() {
            self.write_all(&bytes, limits).await?;
        }
        Ok(())
    }

    /// Writes `data` (under the send inactivity limit and the request deadline).
    pub(super) async fn write_all(&mut self, data: &[u8], limits: &IoLimits) -> Result<()> {
        let io = &mut self.io;
        let write = async move {
            io.write_all(data).await?;
            io.flush().await
        };
        limits
            .run(write, limits.send_timeout, TimeoutKind::Send)
            .await
    }

    /// One socket read (under the receive inactivity limit and the request deadline); empty
    /// means EOF. Cancel-safe.
    pub(super) async fn read(&mut self, limits: &IoLimits) -> Result<Bytes> {
        let read = read_lent(&mut self.io, &self.read_bufs, self.read_size);
        limits
            .run(read, limits.receive_timeout, TimeoutKind::Receive)
            .await
    }

    /// The next event, reading from the socket as needed (decoding on this task: used for the
    /// handshake, pings and the first packets of an answer).
    pub(super) async fn next_event(&mut self, limits: &IoLimits) -> Result<Event> {
        loop {
            if let Some(event) = self.proto_mut()?.poll_event() {
                return Ok(event);
            }
            let data = self.read(limits).await?;
            let proto = self.proto_mut()?;
            if data.is_empty() {
                proto.handle_eof()?;
                return Err(tcp::TcpError::Closed(tcp::State::Ready).into());
            }
            proto.handle_input(&data)?;
        }
    }
}

/// A server exception as the client's error (`mid_stream`: after result blocks). The packet
/// names the exception's class (`DB::Exception`), not its code: the code's name is looked up,
/// as HTTP's text carries it.
pub(super) fn server_error(e: chwire_proto::server::ServerException, mid_stream: bool) -> Error {
    let mut e = ServerError::from_exception(e, mid_stream, None);
    if e.name.as_deref().is_none_or(|n| n.contains("::")) {
        e.name = crate::error_codes::name(e.code).map(str::to_owned);
    }
    Error::Server(e)
}
