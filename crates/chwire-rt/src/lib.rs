//! The async runtime contract of chwire.
//!
//! chwire's protocol logic (`chwire-proto`) is sans-IO; everything that needs sockets, timers, task
//! spawning or a thread pool goes through the object-safe [`Runtime`] trait defined here, used as
//! `Arc<dyn Runtime>`. Choosing a runtime means depending on its adapter crate (`chwire-tokio`,
//! `chwire-async-std`, `chwire-smol`) and passing its value: several runtimes can coexist in one
//! build, there are no mutually exclusive cargo features.
//!
//! The trait is deliberately small so adapters stay thin. Everything that can be written once on
//! top of it (blocking offload with panic capture, timeouts, DNS resolution off the event loop,
//! multi-address connect) lives in [`RuntimeExt`].
//!
//! ```
//! use std::{sync::Arc, time::Duration};
//! use chwire_rt::{Runtime, RuntimeExt};
//! use futures_util::AsyncWriteExt;
//!
//! async fn ping(rt: Arc<dyn Runtime>) -> std::io::Result<()> {
//!     let mut stream = rt.connect("localhost", 9000, Some(Duration::from_secs(5))).await?;
//!     let checksum = rt.run_blocking(|| expensive_checksum()).await?;
//!     rt.timeout(Duration::from_secs(1), stream.write_all(&checksum.to_le_bytes())).await??;
//!     Ok(())
//! }
//! # fn expensive_checksum() -> u64 { 0 }
//! ```

#![warn(missing_docs)]

mod error;
mod ext;
mod runtime;

#[cfg(feature = "conformance")]
pub mod conformance;

pub use error::{BlockingError, Elapsed};
pub use ext::RuntimeExt;
pub use runtime::{AsyncIo, BoxFuture, Runtime, deadline_after};

/// The futures-io traits every [`AsyncIo`] stream implements, re-exported so callers need no
/// direct `futures-io` dependency.
pub use futures_io::{AsyncRead, AsyncWrite};
