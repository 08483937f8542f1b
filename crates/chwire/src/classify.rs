//! How a failure should be handled, judged in one place: whether retrying can help (and
//! whether the server asks for less load), whether a failed request may nonetheless have been
//! applied, and whether it may still be running on the server. The Inserter's retries,
//! cancellation and pipeline shutdown all ask these methods of [`Error`].

use crate::error::{Error, TimeoutKind};

/// How a failed attempt is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureClass {
    /// The server is overloaded (too many parts, memory, queries): retry, and send less at
    /// once (the Inserter's concurrency limit shrinks).
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

/// `UNKNOWN_STATUS_OF_INSERT`: the server itself does not know whether the insert happened.
const UNKNOWN_STATUS_OF_INSERT: i32 = 319;

impl Error {
    /// How a failed attempt should be handled. Server exceptions are judged by their code
    /// (ClickHouse sends HTTP 500 for most codes, fatal ones included); other failures by their
    /// kind. Unknown codes are fatal: retrying an unknown failure risks hammering a server with
    /// a bad batch.
    pub fn failure_class(&self) -> FailureClass {
        match self {
            Error::Server(e) if BACK_PRESSURE_CODES.contains(&e.code) => FailureClass::BackPressure,
            Error::Server(e) if TRANSIENT_CODES.contains(&e.code) => FailureClass::Transient,
            Error::Server(_) => FailureClass::Fatal,
            Error::Timeout(_) | Error::Connect { .. } | Error::Io(_) => FailureClass::Transient,
            Error::QueryIdMismatch { .. } => FailureClass::Transient,
            Error::Protocol(p) if p.is_cut() => FailureClass::Transient,
            Error::Protocol(p) if p.http_status().is_some_and(|s| s >= 500 || s == 429) => {
                FailureClass::Transient
            }
            _ => FailureClass::Fatal,
        }
    }

    /// Whether retrying the request may succeed ([`failure_class`](Self::failure_class) is not
    /// [`FailureClass::Fatal`]). Whether a retry is *safe* is
    /// [`outcome_unknown`](Self::outcome_unknown)'s question.
    pub fn is_retryable(&self) -> bool {
        self.failure_class() != FailureClass::Fatal
    }

    /// Whether a failed request may nonetheless have been applied by the server: it could have
    /// reached it in full, but no verdict came back (the connection broke, the response was cut
    /// or never came, or the server itself says `UNKNOWN_STATUS_OF_INSERT`). Failures to
    /// connect, send timeouts (the body never arrived whole, and ClickHouse commits nothing of
    /// a body it did not finish reading) and server exceptions are verdicts.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Error::Server(e) => e.code == UNKNOWN_STATUS_OF_INSERT,
            Error::Timeout(kind) => matches!(
                kind,
                TimeoutKind::Request | TimeoutKind::Receive | TimeoutKind::Head
            ),
            Error::QueryIdMismatch { .. } => true,
            Error::Io(_)
            | Error::Tls {
                handshake: false, ..
            } => true,
            Error::Protocol(p) => p.is_cut(),
            _ => false,
        }
    }

    /// Whether the request that failed with this error may still be running on the server
    /// (so killing it frees server work): only a server exception says the query ended.
    pub fn may_still_run(&self) -> bool {
        !self.is_server()
    }
}

#[cfg(test)]
mod tests {
    use chwire_proto::http::HttpError;
    use http::StatusCode;

    use super::*;
    use crate::error::{ProtocolError, ServerError};

    fn server(code: i32) -> Error {
        Error::Server(ServerError {
            code,
            name: None,
            message: String::new(),
            mid_stream: false,
            http_status: Some(500),
            stack_trace: None,
        })
    }

    fn status(code: u16) -> Error {
        Error::Protocol(ProtocolError::Http(HttpError::Status {
            status: StatusCode::from_u16(code).unwrap(),
            body: String::new(),
        }))
    }

    #[test]
    fn classes() {
        for c in [252, 241, 202] {
            assert_eq!(server(c).failure_class(), FailureClass::BackPressure, "{c}");
        }
        for c in [209, 210, 159, 425, 319] {
            assert_eq!(server(c).failure_class(), FailureClass::Transient, "{c}");
        }
        for c in [62, 60, 53, 27, 6, 469, 16, 1234] {
            assert_eq!(server(c).failure_class(), FailureClass::Fatal, "{c}");
            assert!(!server(c).is_retryable(), "{c}");
        }
        assert_eq!(
            Error::Timeout(TimeoutKind::Receive).failure_class(),
            FailureClass::Transient
        );
        assert_eq!(
            Error::Io(std::io::ErrorKind::ConnectionReset.into()).failure_class(),
            FailureClass::Transient
        );
        assert_eq!(status(503).failure_class(), FailureClass::Transient);
        assert_eq!(status(429).failure_class(), FailureClass::Transient);
        assert!(status(503).is_retryable());
        assert_eq!(status(403).failure_class(), FailureClass::Fatal);
        assert_eq!(
            Error::Config(String::new()).failure_class(),
            FailureClass::Fatal
        );
    }

    #[test]
    fn unknown_outcomes() {
        for e in [
            Error::Io(std::io::ErrorKind::ConnectionReset.into()),
            Error::Protocol(ProtocolError::Http(HttpError::NoResponse)),
            Error::Timeout(TimeoutKind::Receive),
            Error::Timeout(TimeoutKind::Request),
            server(319),
        ] {
            assert!(e.outcome_unknown(), "{e}");
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
            status(503),
        ] {
            assert!(!e.outcome_unknown(), "{e}");
        }
    }

    #[test]
    fn only_server_exceptions_end_the_query() {
        assert!(!server(62).may_still_run());
        assert!(Error::Timeout(TimeoutKind::Receive).may_still_run());
        assert!(status(503).may_still_run());
    }

    /// The messages of the HTTP failures kept their wording when they moved into
    /// [`ProtocolError`].
    #[test]
    fn protocol_error_messages() {
        assert_eq!(status(503).to_string(), "HTTP status 503: ");
        assert_eq!(status(503).http_status(), Some(503));
        assert_eq!(server(62).http_status(), Some(500));
        let cut = Error::from(HttpError::NoResponse);
        assert!(cut.is_connection());
        assert_eq!(
            cut.to_string(),
            "HTTP protocol error: connection closed before any response"
        );
    }
}
