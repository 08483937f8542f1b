//! Errors produced by the generic helpers in [`RuntimeExt`](crate::RuntimeExt).

use std::any::Any;
use std::io;

/// A future did not complete before its deadline
/// ([`RuntimeExt::timeout`](crate::RuntimeExt::timeout)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("deadline elapsed")]
pub struct Elapsed;

impl From<Elapsed> for io::Error {
    fn from(e: Elapsed) -> Self {
        io::Error::new(io::ErrorKind::TimedOut, e)
    }
}

/// A closure handed to [`RuntimeExt::run_blocking`](crate::RuntimeExt::run_blocking) produced no
/// value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BlockingError {
    /// The closure panicked; the panic was caught on the blocking thread instead of unwinding
    /// into the caller.
    #[error("blocking task panicked: {message}")]
    Panicked {
        /// The panic payload when it was a string, otherwise a placeholder.
        message: String,
    },
    /// The closure never ran to completion, typically because the runtime shut down.
    #[error("blocking task was cancelled before it completed")]
    Cancelled,
}

impl BlockingError {
    pub(crate) fn from_panic(payload: Box<dyn Any + Send>) -> Self {
        let message = if let Some(s) = payload.downcast_ref::<&'static str>() {
            (*s).to_owned()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "<non-string panic payload>".to_owned()
        };
        BlockingError::Panicked { message }
    }
}

impl From<BlockingError> for io::Error {
    fn from(e: BlockingError) -> Self {
        io::Error::other(e)
    }
}
