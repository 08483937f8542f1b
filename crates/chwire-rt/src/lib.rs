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
