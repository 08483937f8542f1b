//! smol adapter for chwire: [`SmolRuntime`] implements [`chwire_rt::Runtime`].
//!
//! Sockets and timers come from async-io's reactor (via `smol::net` and `smol::Timer`), which
//! drives itself on a background thread when nothing else does, so they work under any executor.
//! Blocking work goes to the `blocking` crate's thread pool (`smol::unblock`). Spawned tasks go to
//! smol's global executor, or to an executor you run yourself
//! ([`SmolRuntime::with_executor`]), e.g. a single-threaded one driven by `smol::block_on`.

#![warn(missing_docs)]

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};

use chwire_rt::{AsyncIo, BoxFuture, Runtime};
use smol::Executor;
use smol::net::TcpStream;

/// smol (spawning onto its global executor) as the `Arc<dyn Runtime>` that
/// `chwire::Client::builder` takes: the one-line way to a client on smol,
/// `Client::builder(chwire_smol::runtime())`.
pub fn runtime() -> Arc<dyn Runtime> {
    Arc::new(SmolRuntime::new())
}

/// chwire's [`Runtime`] backed by smol. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct SmolRuntime {
    /// `None` spawns onto smol's global executor (`smol::spawn`).
    executor: Option<Arc<Executor<'static>>>,
}

impl SmolRuntime {
    /// Spawns onto smol's global executor, which runs on its own threads (`SMOL_THREADS`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Spawns onto `executor`. The caller must keep it running (e.g.
    /// `smol::block_on(executor.run(main))`), otherwise spawned tasks never progress.
    pub fn with_executor(executor: Arc<Executor<'static>>) -> Self {
        SmolRuntime {
            executor: Some(executor),
        }
    }
}

impl Runtime for SmolRuntime {
    fn connect_tcp(&self, addr: SocketAddr) -> BoxFuture<'static, io::Result<Box<dyn AsyncIo>>> {
        Box::pin(async move {
            let stream = TcpStream::connect(addr).await?;
            stream.set_nodelay(true)?;
            Ok(Box::new(stream) as Box<dyn AsyncIo>)
        })
    }

    fn spawn(&self, fut: BoxFuture<'static, ()>) {
        // async-task cancels a task when its `Task` handle is dropped; detach to keep it running.
        let task = match &self.executor {
            Some(executor) => executor.spawn(fut),
            None => smol::spawn(fut),
        };
        task.detach();
    }

    fn spawn_blocking(&self, f: Box<dyn FnOnce() + Send>) -> BoxFuture<'static, ()> {
        Box::pin(smol::unblock(f))
    }

    fn sleep_until(&self, deadline: Instant) -> BoxFuture<'static, ()> {
        let timer = smol::Timer::at(deadline);
        Box::pin(async move {
            timer.await;
        })
    }

    fn yield_now(&self) -> BoxFuture<'static, ()> {
        // async-executor runs a task that woke itself up to 200 times before it lets the
        // reactor fire timers, so the yield waits for the reactor instead: a timer due a few
        // microseconds after the first poll (made there, so it has not passed yet), which only
        // the reactor's next turn fires. If it has passed anyway (a preemption in between), a
        // plain self-wake.
        let mut timer: Option<smol::Timer> = None;
        Box::pin(std::future::poll_fn(move |cx| {
            if timer.is_some() {
                return Poll::Ready(());
            }
            let timer = timer.insert(smol::Timer::after(REACTOR_TURN));
            if Pin::new(timer).poll(cx).is_ready() {
                cx.waker().wake_by_ref();
            }
            Poll::Pending
        }))
    }
}

/// The timer of [`SmolRuntime::yield_now`]: long enough not to have passed between its
/// creation and its first poll in a debug build on a loaded machine (1 µs had, in CI: the
/// yield fell back to a self-wake every time), short against the 1 ms slices it separates
/// (the reactor's timerfd fires it within tens of microseconds when nothing else runs).
const REACTOR_TURN: Duration = Duration::from_micros(20);
