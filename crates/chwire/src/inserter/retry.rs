//! Which insert failures are worth retrying, how long to wait between attempts, and the
//! adaptive (AIMD) limit on batches in flight.

use std::time::Duration;

use chwire_proto::http::HttpError;

use crate::error::{Error, TimeoutKind};

/// How a failed attempt is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureClass {
    /// The server is overloaded (too many parts, memory, queries): retry, and send less at
    /// once (the concurrency limit shrinks).
    BackPressure,
    /// A transient fault (network, timeout, server restart): retry.
    Transient,
    /// Retrying cannot help (bad SQL, unknown table, data that does not fit the table).
    Fatal,
}

/// ClickHouse error codes that signal overload.
const BACK_PRESSURE_CODES: &[i32] = &[
    202, // TOO_MANY_SIMULTANEOUS_QUERIES
    241, // MEMORY_LIMIT_EXCEEDED
    252, // TOO_MANY_PARTS (also "too many partitions for a single INSERT block")
];

/// ClickHouse error codes of faults that may pass.
const TRANSIENT_CODES: &[i32] = &[
    3,   // UNEXPECTED_END_OF_FILE: the body was cut (client or proxy went away)
    159, // TIMEOUT_EXCEEDED
    209, // SOCKET_TIMEOUT
    210, // NETWORK_ERROR
    236, // ABORTED
    242, // TABLE_IS_READ_ONLY (a replica lost its Keeper session)
    319, // UNKNOWN_STATUS_OF_INSERT: the insert may or may not have happened
    394, // QUERY_WAS_CANCELLED (server shutting down)
    425, // SYSTEM_ERROR (an OS-level failure, e.g. a full disk being cleaned)
    999, // KEEPER_EXCEPTION
];

/// Classifies an attempt's error. Server exceptions are judged by their code (ClickHouse sends
/// HTTP 500 for most codes, fatal ones included); other failures by their kind. Unknown codes
/// are fatal: retrying an unknown failure risks hammering a server with a bad batch.
pub fn classify(error: &Error) -> FailureClass {
    match error {
        Error::Server(e) if BACK_PRESSURE_CODES.contains(&e.code) => FailureClass::BackPressure,
        Error::Server(e) if TRANSIENT_CODES.contains(&e.code) => FailureClass::Transient,
        Error::Server(_) => FailureClass::Fatal,
        Error::Timeout(_) | Error::Connect { .. } | Error::Io(_) => FailureClass::Transient,
        Error::QueryIdMismatch { .. } => FailureClass::Transient,
        Error::Http(HttpError::Truncated(_) | HttpError::NoResponse) => FailureClass::Transient,
        Error::Status { status, .. } if *status >= 500 || *status == 429 => FailureClass::Transient,
        _ => FailureClass::Fatal,
    }
}

/// Whether a failed attempt may nonetheless have been applied by the server: the request
/// could have reached it in full, but no verdict came back (the connection broke, the
/// response was cut or never came, or the server itself says `UNKNOWN_STATUS_OF_INSERT`).
/// Failures to connect, send timeouts (the body never arrived whole, and ClickHouse commits
/// nothing of a body it did not finish reading) and server exceptions are verdicts.
pub fn outcome_unknown(error: &Error) -> bool {
    match error {
        Error::Server(e) => e.code == 319,
        Error::Timeout(kind) => matches!(
            kind,
            TimeoutKind::Request | TimeoutKind::Receive | TimeoutKind::Head
        ),
        Error::QueryIdMismatch { .. } => true,
        Error::Io(_)
        | Error::Tls {
            handshake: false, ..
        } => true,
        Error::Http(HttpError::Truncated(_) | HttpError::NoResponse) => true,
        _ => false,
    }
}

/// Retry schedule of one batch: exponential backoff with full jitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so `max_retries + 1` attempts at most).
    pub max_retries: u32,
    /// Upper bound of the first wait.
    pub initial_backoff: Duration,
    /// Cap of every wait.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 8,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// No retries: a failed attempt fails the batch.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The wait before retry number `retry` (0-based): uniform in
    /// `[cap/2, cap]`, `cap = min(max_backoff, initial_backoff * 2^retry)`. Half the window is
    /// random so concurrent writers spread out; the other half keeps a minimum pause.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(30)).unwrap_or(u32::MAX);
        let cap = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let cap_ns = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        let half = cap_ns / 2;
        Duration::from_nanos(half + fastrand::u64(0..=cap_ns - half))
    }
}

/// The adaptive limit on batches in flight: additive increase (one slot per limit's worth of
/// successes) and multiplicative decrease (halved on back-pressure), between 1 and `max`.
#[derive(Debug, Clone)]
pub struct Aimd {
    limit: f64,
    max: f64,
}

impl Aimd {
    pub fn new(max: usize) -> Aimd {
        let max = max.max(1) as f64;
        Aimd { limit: max, max }
    }

    /// Batches allowed in flight now.
    pub fn slots(&self) -> usize {
        self.limit.floor().max(1.0) as usize
    }

    pub fn on_success(&mut self) {
        self.limit = (self.limit + 1.0 / self.limit).min(self.max);
    }

    pub fn on_back_pressure(&mut self) {
        self.limit = (self.limit / 2.0).max(1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServerError;

    fn server(code: i32) -> Error {
        Error::Server(ServerError {
            code,
            name: None,
            message: String::new(),
            mid_stream: false,
            http_status: 500,
        })
    }

    #[test]
    fn classes() {
        for c in [252, 241, 202] {
            assert_eq!(classify(&server(c)), FailureClass::BackPressure, "{c}");
        }
        for c in [209, 210, 159, 425, 319] {
            assert_eq!(classify(&server(c)), FailureClass::Transient, "{c}");
        }
        for c in [62, 60, 53, 27, 6, 469, 16, 1234] {
            assert_eq!(classify(&server(c)), FailureClass::Fatal, "{c}");
        }
        assert_eq!(
            classify(&Error::Timeout(TimeoutKind::Receive)),
            FailureClass::Transient
        );
        assert_eq!(
            classify(&Error::Io(std::io::ErrorKind::ConnectionReset.into())),
            FailureClass::Transient
        );
        assert_eq!(
            classify(&Error::Status {
                status: 503,
                body: String::new()
            }),
            FailureClass::Transient
        );
        assert_eq!(
            classify(&Error::Status {
                status: 403,
                body: String::new()
            }),
            FailureClass::Fatal
        );
        assert_eq!(classify(&Error::Config(String::new())), FailureClass::Fatal);
    }

    #[test]
    fn unknown_outcomes() {
        for e in [
            Error::Io(std::io::ErrorKind::ConnectionReset.into()),
            Error::Http(HttpError::NoResponse),
            Error::Timeout(TimeoutKind::Receive),
            Error::Timeout(TimeoutKind::Request),
            server(319),
        ] {
            assert!(outcome_unknown(&e), "{e}");
        }
        for e in [
            Error::Connect {
                addr: "127.0.0.1:1".into(),
                source: std::io::ErrorKind::ConnectionRefused.into(),
            },
            Error::Timeout(TimeoutKind::Connect),
            Error::Timeout(TimeoutKind::PoolAcquire),
            Error::Timeout(TimeoutKind::Send),
            server(252),
            server(62),
        ] {
            assert!(!outcome_unknown(&e), "{e}");
        }
    }

    #[test]
    fn backoff_grows_within_bounds() {
        let p = RetryPolicy {
            max_retries: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
        };
        for _ in 0..100 {
            let b0 = p.backoff(0);
            assert!(b0 >= Duration::from_millis(50) && b0 <= Duration::from_millis(100));
            let b3 = p.backoff(3);
            assert!(b3 >= Duration::from_millis(400) && b3 <= Duration::from_millis(800));
            let b9 = p.backoff(40);
            assert!(b9 >= Duration::from_millis(500) && b9 <= Duration::from_secs(1));
        }
    }

    #[test]
    fn aimd() {
        let mut a = Aimd::new(8);
        assert_eq!(a.slots(), 8);
        a.on_back_pressure();
        assert_eq!(a.slots(), 4);
        for _ in 0..10 {
            a.on_back_pressure();
        }
        assert_eq!(a.slots(), 1);
        for _ in 0..3 {
            a.on_success();
        }
        assert!(a.slots() >= 2);
        for _ in 0..1000 {
            a.on_success();
        }
        assert_eq!(a.slots(), 8);
    }
}
