//! Tokio adapter for chwire: [`TokioRuntime`] implements [`chwire_rt::Runtime`].
//!
//! [`runtime()`] is the runtime chwire asks for, in one call:
//! `Client::builder(chwire_tokio::runtime()?)` inside a tokio runtime. Elsewhere pass
//! `Arc::new(TokioRuntime::from_handle(handle))`. The runtime must have IO and time drivers enabled
//! (`Builder::enable_all`, which `#[tokio::main]` does).
//!
//! Tokio primitives find their reactor and timer through a thread-local "current runtime"
//! context. This adapter holds a [`Handle`] and enters it wherever a primitive is created or
//! first polled, so every future it returns works when polled from any thread or executor, not
//! only from tokio worker threads.

#![warn(missing_docs)]

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use chwire_rt::{AsyncIo, AsyncRead, AsyncWrite, BoxFuture, Runtime};
use tokio::io::{AsyncRead as TokioRead, AsyncWrite as TokioWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::runtime::{Handle, TryCurrentError};

/// The tokio runtime this code runs in, as the `Arc<dyn Runtime>` that `chwire::Client::builder`
/// takes: the one-line way to a client on tokio. Fails outside a tokio context, like
/// [`TokioRuntime::try_current`].
pub fn runtime() -> Result<Arc<dyn Runtime>, TryCurrentError> {
    Ok(Arc::new(TokioRuntime::try_current()?))
}

/// chwire's [`Runtime`] backed by a tokio runtime [`Handle`]. Cheap to clone.
#[derive(Debug, Clone)]
pub struct TokioRuntime {
    handle: Handle,
}

impl TokioRuntime {
    /// Uses the tokio runtime this code is running in.
    ///
    /// Fails outside a tokio context (e.g. on a plain thread); use
    /// [`from_handle`](Self::from_handle) there.
    pub fn try_current() -> Result<Self, TryCurrentError> {
        Handle::try_current().map(Self::from_handle)
    }

    /// Uses the runtime behind `handle`, e.g. `runtime.handle().clone()` for a runtime built
    /// with `tokio::runtime::Builder`.
    pub fn from_handle(handle: Handle) -> Self {
        TokioRuntime { handle }
    }

    /// The runtime handle tasks and IO are registered with.
    pub fn handle(&self) -> &Handle {
        &self.handle
    }
}

impl From<Handle> for TokioRuntime {
    fn from(handle: Handle) -> Self {
        Self::from_handle(handle)
    }
}

impl Runtime for TokioRuntime {
    fn connect_tcp(&self, addr: SocketAddr) -> BoxFuture<'static, io::Result<Box<dyn AsyncIo>>> {
        // `TcpStream::connect` registers with the reactor on first poll, which needs the context.
        // Once registered, reads and writes work from any thread.
        Box::pin(InContext {
            handle: self.handle.clone(),
            fut: Box::pin(async move {
                let stream = TcpStream::connect(addr).await?;
                stream.set_nodelay(true)?;
                Ok(Box::new(TokioStream(stream)) as Box<dyn AsyncIo>)
            }),
        })
    }

    fn spawn(&self, fut: BoxFuture<'static, ()>) {
        // Dropping a tokio JoinHandle detaches the task, which is what the contract asks for.
        drop(self.handle.spawn(fut));
    }

    fn spawn_blocking(&self, f: Box<dyn FnOnce() + Send>) -> BoxFuture<'static, ()> {
        let join = self.handle.spawn_blocking(f);
        Box::pin(async move {
            // An Err means `f` panicked or the runtime shut down; the contract leaves reporting
            // that to `RuntimeExt::run_blocking`, which sees an empty result slot.
            let _ = join.await;
        })
    }

    fn sleep_until(&self, deadline: Instant) -> BoxFuture<'static, ()> {
        // `Sleep` binds to the timer of the current context when created; polling it later from
        // elsewhere is fine.
        let _context = self.handle.enter();
        Box::pin(tokio::time::sleep_until(deadline.into()))
    }

    fn yield_now(&self) -> BoxFuture<'static, ()> {
        // tokio's own yield defers the wake-up until the scheduler has polled its I/O and
        // timer drivers; a plain self-wake is run again up to 61 times before them on the
        // current-thread scheduler (its `event_interval`), starving timers on that thread.
        Box::pin(tokio::task::yield_now())
    }

    fn now(&self) -> Instant {
        // Follows tokio's clock, which tests can pause and advance.
        tokio::time::Instant::now().into_std()
    }
}

/// Polls `fut` with `handle` entered as the current tokio context.
struct InContext<T> {
    handle: Handle,
    fut: BoxFuture<'static, T>,
}

impl<T> Future for InContext<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        let _context = this.handle.enter();
        this.fut.as_mut().poll(cx)
    }
}

/// A tokio `TcpStream` seen through the futures-io traits chwire's contract uses. Written here
/// rather than taken from `tokio_util::compat` because that adapter does not pass vectored
/// writes through (it writes the first buffer only), and chwire frames request bodies with
/// them: size lines beside the payload, never copied into it.
struct TokioStream(TcpStream);

impl AsyncRead for TokioStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let mut buf = ReadBuf::new(buf);
        match Pin::new(&mut self.0).poll_read(cx, &mut buf) {
            Poll::Ready(Ok(())) => Poll::Ready(Ok(buf.filled().len())),
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncWrite for TokioStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write_vectored(cx, bufs)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}
