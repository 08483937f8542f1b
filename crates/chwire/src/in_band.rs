//! In-band cancellation's rendezvous: how a `CancelHandle` or a drop guard asks the body
//! that reads a native answer to send the protocol's Cancel on its own connection. A module of
//! its own so that requests, cancellation and the native body share it without importing one
//! another.

use std::sync::{Arc, Mutex, PoisonError};

/// The way from a [`CancelHandle`](crate::CancelHandle) (or a drop guard) to the connection of a running query,
/// for a transport that cancels in-band: the body reading the answer [listens](Self::listen)
/// while it streams, and writes the Cancel packet when it is next polled after a request: at
/// once while its reader task runs (a result past the inline threshold) or while the caller
/// reads the stream. A caller that holds a small result without reading it holds the query
/// (the server waits on the full socket) until it reads on or drops the stream, which cancels
/// it too. Writing from the requesting task instead would need the socket split in halves.
#[derive(Debug, Clone, Default)]
pub(crate) struct InBand(Arc<Mutex<Listener>>);

#[derive(Debug, Default)]
struct Listener {
    requests: Option<async_channel::Sender<()>>,
    /// A body took the query over: from then on its own drop cancels the query in-band.
    claimed: bool,
}

impl InBand {
    /// Called by the body that reads the current attempt's answer; it receives Cancel
    /// requests until it drops the receiver.
    pub(crate) fn listen(&self) -> async_channel::Receiver<()> {
        let (tx, rx) = async_channel::bounded(1);
        let mut l = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        l.requests = Some(tx);
        l.claimed = true;
        rx
    }

    pub(crate) fn claimed(&self) -> bool {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .claimed
    }

    /// Asks the listening body to send Cancel: false when no body listens (not there yet, or
    /// gone).
    pub(crate) fn request(&self) -> bool {
        let l = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        l.requests.as_ref().is_some_and(|r| {
            matches!(
                r.try_send(()),
                Ok(()) | Err(async_channel::TrySendError::Full(()))
            )
        })
    }
}
