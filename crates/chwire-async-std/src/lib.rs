//! async-std adapter for chwire: [`AsyncStdRuntime`] implements [`chwire_rt::Runtime`].
//!
//! async-std is discontinued upstream (RUSTSEC-2025-0052); smol, built from the same components,
//! is its successor (see `chwire-smol`). This adapter remains fully supported for applications
//! that still run on async-std.
//!
//! async-std has one global runtime that starts on first use, so the adapter carries no state:
//! `Client::builder(chwire_async_std::runtime())` ([`runtime()`] is `Arc::new(AsyncStdRuntime)`). Its streams
//! implement the futures-io traits natively; no compatibility wrapper is involved.

#![warn(missing_docs)]

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use async_std::net::TcpStream;
use chwire_rt::{AsyncIo, BoxFuture, Runtime};

/// async-std as the `Arc<dyn Runtime>` that `chwire::Client::builder` takes: the one-line way to
/// a client on async-std.
pub fn runtime() -> Arc<dyn Runtime> {
    Arc::new(AsyncStdRuntime)
}

/// chwire's [`Runtime`] backed by async-std's global executor, reactor and blocking pool.
#[derive(Debug, Clone, Copy, Default)]
pub struct AsyncStdRuntime;

impl Runtime for AsyncStdRuntime {
    fn connect_tcp(&self, addr: SocketAddr) -> BoxFuture<'static, io::Result<Box<dyn AsyncIo>>> {
        Box::pin(async move {
            let stream = TcpStream::connect(addr).await?;
            stream.set_nodelay(true)?;
            Ok(Box::new(stream) as Box<dyn AsyncIo>)
        })
    }

    fn spawn(&self, fut: BoxFuture<'static, ()>) {
        // Dropping an async-std JoinHandle detaches the task, which is what the contract asks for.
        drop(async_std::task::spawn(fut));
    }

    fn spawn_blocking(&self, f: Box<dyn FnOnce() + Send>) -> BoxFuture<'static, ()> {
        Box::pin(async_std::task::spawn_blocking(f))
    }

    fn sleep_until(&self, deadline: Instant) -> BoxFuture<'static, ()> {
        // async-std's timer takes a duration and starts when first polled, so the remaining time
        // is measured then, never sleeping less than until `deadline`.
        Box::pin(async move {
            async_std::task::sleep(deadline.saturating_duration_since(Instant::now())).await;
        })
    }
}
