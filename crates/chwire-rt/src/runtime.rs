//! The [`Runtime`] trait: the minimal set of operations an async runtime adapter provides.

use std::fmt::Debug;
use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures_io::{AsyncRead, AsyncWrite};

/// A boxed, `Send` future: the currency of the object-safe [`Runtime`] trait.
pub use futures_util::future::BoxFuture;

/// A connected byte stream, independent of the runtime that produced it.
///
/// futures-io's traits are the common denominator: async-std and smol streams implement them
/// natively, tokio streams are wrapped with `tokio_util::compat`. Blanket-implemented.
pub trait AsyncIo: AsyncRead + AsyncWrite + Send + Unpin + 'static {}

impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> AsyncIo for T {}

/// An async runtime as chwire needs it: TCP connect, detached tasks, a blocking thread pool and
/// timers.
///
/// Object safe, meant to be shared as `Arc<dyn Runtime>`. Every returned future is `'static`
/// (it does not borrow `self`), so it can itself be spawned or stored. Generic conveniences built
/// on these methods are in [`RuntimeExt`](crate::RuntimeExt).
///
/// Futures returned by an adapter may be polled from any thread and any executor, not only from
/// inside the adapter's runtime; adapters whose primitives need an ambient context (tokio) enter
/// it themselves.
pub trait Runtime: Send + Sync + Debug + 'static {
    /// Opens a TCP connection to `addr` with `TCP_NODELAY` set.
    ///
    /// No name resolution happens here: see
    /// [`RuntimeExt::connect`](crate::RuntimeExt::connect) for host names. Nagle's algorithm is
    /// disabled because the protocols chwire speaks are request/response with small frames, where
    /// delayed ACK interaction would add tens of milliseconds per round trip.
    fn connect_tcp(&self, addr: SocketAddr) -> BoxFuture<'static, io::Result<Box<dyn AsyncIo>>>;

    /// Runs `fut` as a detached background task.
    ///
    /// The task keeps running until it completes (or the runtime shuts down); there is no handle
    /// to cancel it, so cancellation must be built into `fut` (e.g. a closed channel). Adapters
    /// make this uniform: tokio detaches when its `JoinHandle` is dropped, while async-task based
    /// executors (smol) cancel a task whose `Task` is dropped, so those adapters call
    /// `Task::detach`.
    ///
    /// A panic inside `fut` is handled the runtime's way (tokio catches it and ends the task,
    /// other executors may propagate it into the thread driving them); futures passed here should
    /// not panic.
    fn spawn(&self, fut: BoxFuture<'static, ()>);

    /// Runs `f` on a thread where blocking is allowed; the returned future completes once `f` has
    /// returned.
    ///
    /// For CPU-heavy work (decompression, large decodes) and blocking system calls (DNS): doing
    /// those inside a future would stall every other task on the same executor thread. The
    /// closure is submitted when this method is called, not when the future is first polled.
    /// Dropping the future before completion may cancel `f` if it has not started yet.
    ///
    /// What happens when `f` panics is runtime specific; use
    /// [`RuntimeExt::run_blocking`](crate::RuntimeExt::run_blocking), which returns a value and
    /// turns a panic into an error.
    fn spawn_blocking(&self, f: Box<dyn FnOnce() + Send>) -> BoxFuture<'static, ()>;

    /// Completes at `deadline` (immediately if it has passed).
    fn sleep_until(&self, deadline: Instant) -> BoxFuture<'static, ()>;

    /// Completes after `duration` has elapsed, measured from this call (not from the first poll),
    /// so `timeout` style deadlines do not drift with scheduling latency.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.sleep_until(deadline_after(self.now(), duration))
    }

    /// Completes after letting the executor run its other work: other ready tasks, and its
    /// I/O and timers. For code that has kept its task busy with ready work (a stream whose
    /// items are decoded already) and gives the thread back without waiting for anything.
    ///
    /// The default wakes the task and returns `Pending` once. That lets other *ready* tasks
    /// run, but an executor may poll a task that woke itself again before it looks at its
    /// I/O and timers (tokio's current-thread scheduler: up to 61 times; async-executor: up
    /// to 200), so a timer on the same thread waits that many slices; adapters override it
    /// with their runtime's way of yielding behind the drivers.
    fn yield_now(&self) -> BoxFuture<'static, ()> {
        Box::pin(SelfWake { woken: false })
    }

    /// The runtime's notion of the current instant.
    ///
    /// The default is [`Instant::now`]; adapters with a controllable clock (tokio's paused time in
    /// tests) override it so that deadlines and sleeps agree.
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// The default [`Runtime::yield_now`]: `Pending` once with the task woken, then `Ready`.
struct SelfWake {
    woken: bool,
}

impl std::future::Future for SelfWake {
    type Output = ();

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.woken {
            return std::task::Poll::Ready(());
        }
        self.woken = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}

/// `now + duration`, saturating to a far-future instant instead of panicking on overflow
/// (`Duration::MAX` is a common "no timeout" value).
pub fn deadline_after(now: Instant, duration: Duration) -> Instant {
    // About 30 years: far enough to never fire, small enough to be representable everywhere.
    const FAR_FUTURE: Duration = Duration::from_secs(86_400 * 365 * 30);
    now.checked_add(duration)
        .or_else(|| now.checked_add(FAR_FUTURE))
        .unwrap_or(now)
}

/// Lets `Arc<dyn Runtime>` (and `Arc<R>`) be passed where a generic `R: Runtime` is expected.
impl<R: Runtime + ?Sized> Runtime for std::sync::Arc<R> {
    fn connect_tcp(&self, addr: SocketAddr) -> BoxFuture<'static, io::Result<Box<dyn AsyncIo>>> {
        (**self).connect_tcp(addr)
    }

    fn spawn(&self, fut: BoxFuture<'static, ()>) {
        (**self).spawn(fut);
    }

    fn spawn_blocking(&self, f: Box<dyn FnOnce() + Send>) -> BoxFuture<'static, ()> {
        (**self).spawn_blocking(f)
    }

    fn sleep_until(&self, deadline: Instant) -> BoxFuture<'static, ()> {
        (**self).sleep_until(deadline)
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        (**self).sleep(duration)
    }

    fn yield_now(&self) -> BoxFuture<'static, ()> {
        (**self).yield_now()
    }

    fn now(&self) -> Instant {
        (**self).now()
    }
}
