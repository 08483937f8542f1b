//! The time limits of one request's IO (`request_timeout`, `send_timeout`,
//! `receive_timeout`, `head_timeout`), on every transport: how long one IO step may wait and
//! which limit ended it.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chwire_rt::{Runtime, RuntimeExt};

use crate::error::{Error, Result, TimeoutKind};

/// The time limits applying to one request's IO.
#[derive(Clone, Debug)]
pub(crate) struct IoLimits {
    pub rt: Arc<dyn Runtime>,
    /// End of the whole request (`request_timeout`), if any.
    pub deadline: Option<Instant>,
    pub send_timeout: Option<Duration>,
    pub receive_timeout: Option<Duration>,
    /// Longest wait for a complete response head once the request is sent (`head_timeout`).
    pub head_timeout: Option<Duration>,
}

impl IoLimits {
    /// Runs one IO step under the inactivity limit `inactivity` and the request deadline,
    /// reporting which of the two ran out.
    pub(crate) async fn run<T, F>(
        &self,
        fut: F,
        inactivity: Option<Duration>,
        kind: TimeoutKind,
    ) -> Result<T>
    where
        F: Future<Output = io::Result<T>> + Send,
    {
        let Some((limit, kind)) = self.limit(self.rt.now(), inactivity, kind) else {
            return fut.await.map_err(Error::from);
        };
        match self.rt.timeout_at(limit, fut).await {
            Ok(r) => r.map_err(Error::from),
            Err(_) => Err(Error::Timeout(kind)),
        }
    }

    /// When a wait that starts at `start` must end: the inactivity limit `inactivity` (of
    /// `kind`) from `start`, or the request deadline, whichever comes first, with the kind of
    /// timeout that ends it.
    pub(crate) fn limit(
        &self,
        start: Instant,
        inactivity: Option<Duration>,
        kind: TimeoutKind,
    ) -> Option<(Instant, TimeoutKind)> {
        let idle = inactivity.map(|d| (chwire_rt::deadline_after(start, d), kind));
        let whole = self.deadline.map(|d| (d, TimeoutKind::Request));
        match (idle, whole) {
            (Some(a), Some(b)) => Some(if b.0 <= a.0 { b } else { a }),
            (a, b) => a.or(b),
        }
    }
}
