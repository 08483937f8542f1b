//! The client's error type: one enum, with predicates so callers can branch on the kind of
//! failure (timeout, server-side exception, connection) without matching every variant. The
//! enum is transport-neutral: what only one transport can report (HTTP today) travels inside
//! [`ProtocolError`]. How a failure should be handled (retry, unknown outcome) is judged in
//! `classify.rs`.

use std::fmt;
use std::io;

use chwire_proto::http::HttpError;
use chwire_proto::server::ServerException;
use chwire_proto::tcp::TcpError;
use chwire_proto::{CompressionError, DecodeError};

/// `Result` with chwire's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which time limit ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Opening the TCP connection (`connect_timeout`).
    Connect,
    /// Waiting for a free connection slot in the pool (`pool_acquire_timeout`).
    PoolAcquire,
    /// The whole request, from acquiring a connection to the end of the response
    /// (`request_timeout`).
    Request,
    /// No progress writing the request (`send_timeout`).
    Send,
    /// No byte received for too long (`receive_timeout`).
    Receive,
    /// The response head took too long to arrive whole (`head_timeout`).
    Head,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "connect",
            TimeoutKind::PoolAcquire => "pool acquire",
            TimeoutKind::Request => "request",
            TimeoutKind::Send => "send",
            TimeoutKind::Receive => "receive",
            TimeoutKind::Head => "response head",
        })
    }
}

/// An exception raised by the ClickHouse server.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerError {
    /// ClickHouse error code, e.g. 62 (`SYNTAX_ERROR`), 60 (`UNKNOWN_TABLE`).
    pub code: i32,
    /// The code's name when the server sent it, e.g. `SYNTAX_ERROR`.
    pub name: Option<String>,
    /// The message, without the `Code: N. DB::Exception:` prefix.
    pub message: String,
    /// Whether the exception arrived inside the body after the server had already started
    /// sending data (rows received before it are a partial result).
    pub mid_stream: bool,
    /// HTTP status of the response (200 for mid-stream exceptions); `None` when the
    /// exception did not come over HTTP.
    pub http_status: Option<u16>,
    /// The server's stack trace (the native protocol sends one; HTTP does not).
    pub stack_trace: Option<String>,
}

impl ServerError {
    pub(crate) fn from_exception(
        e: ServerException,
        mid_stream: bool,
        http_status: Option<u16>,
    ) -> Self {
        ServerError {
            stack_trace: e.stack_trace().map(str::to_owned),
            code: e.code,
            name: e.name,
            message: e.message,
            mid_stream,
            http_status,
        }
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Code: {}. {}", self.code, self.message)?;
        if let Some(name) = &self.name {
            write!(f, " ({name})")?;
        }
        if self.mid_stream {
            f.write_str(" [during the response]")?;
        }
        Ok(())
    }
}

/// A failure in the transport's own protocol, carrying that transport's error. ClickHouse
/// exceptions are never here (they are [`Error::Server`], whatever the transport).
#[derive(Debug)]
#[non_exhaustive]
pub enum ProtocolError {
    /// HTTP: a malformed or cut response, or a non-2xx reply whose body is not a ClickHouse
    /// exception ([`HttpError::Status`]).
    Http(HttpError),
    /// The native protocol: an invalid or unexpected server packet, or a connection closed
    /// while a reply was owed ([`TcpError::Closed`]).
    Native(TcpError),
}

impl ProtocolError {
    /// Whether the connection closed before the response was complete (or before any of it).
    pub fn is_cut(&self) -> bool {
        matches!(
            self,
            ProtocolError::Http(HttpError::Truncated(_) | HttpError::NoResponse)
                | ProtocolError::Native(TcpError::Closed(_))
        )
    }

    /// The HTTP status of a non-2xx reply that is not a ClickHouse exception.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            ProtocolError::Http(HttpError::Status { status, .. }) => Some(status.as_u16()),
            ProtocolError::Http(_) | ProtocolError::Native(_) => None,
        }
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtocolError::Http(HttpError::Status { status, body }) => {
                write!(f, "HTTP status {}: {body}", status.as_u16())
            }
            ProtocolError::Http(e) => write!(f, "HTTP protocol error: {e}"),
            ProtocolError::Native(e) => write!(f, "native protocol error: {e}"),
        }
    }
}

impl std::error::Error for ProtocolError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ProtocolError::Http(e) => Some(e),
            ProtocolError::Native(e) => Some(e),
        }
    }
}

/// Everything that can go wrong in a client call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server reported an exception (before or during the response).
    #[error("server exception: {0}")]
    Server(ServerError),
    /// A time limit ran out.
    #[error("{0} timeout")]
    Timeout(TimeoutKind),
    /// Could not open a connection to the server.
    #[error("cannot connect to {addr}: {source}")]
    Connect {
        /// `host:port` that was dialled.
        addr: String,
        /// The runtime's connect error (refused, unreachable, DNS failure).
        source: io::Error,
    },
    /// Reading or writing the connection failed (e.g. the server went away).
    #[error("connection error: {0}")]
    Io(io::Error),
    /// TLS failed: during the handshake (certificate verification — unknown issuer, name
    /// mismatch, expiry —, protocol mismatch) or later on the connection (e.g. the server
    /// rejecting the client certificate, which TLS 1.3 reports on the first read).
    #[error("TLS {phase} with {addr} failed: {reason}", phase = if *handshake { "handshake" } else { "session" })]
    Tls {
        /// `host:port` of the server.
        addr: String,
        /// Whether the failure happened in the handshake itself.
        handshake: bool,
        /// What failed, in rustls' words (e.g. `invalid peer certificate: UnknownIssuer`).
        reason: String,
    },
    /// The server's reply broke the transport's protocol, the response ended early, or the
    /// transport reported a failure that is not a ClickHouse exception (e.g. an HTTP 503 from a
    /// proxy).
    #[error("{0}")]
    Protocol(ProtocolError),
    /// The response body could not be decoded in the expected format.
    #[error("decode error: {0}")]
    Decode(#[from] DecodeError),
    /// A compressed block in the response was corrupt.
    #[error("compression error: {0}")]
    Compression(#[from] CompressionError),
    /// The response on the connection answers another request: its `X-ClickHouse-Query-Id`
    /// is not the one sent (e.g. an unsolicited response left on a reused connection). The
    /// connection is closed; the request itself may have run (it was sent), so it is not
    /// retried.
    #[error("the response is for query id {received}, not for the request's {sent}")]
    QueryIdMismatch {
        /// The query id the request carried.
        sent: String,
        /// The `X-ClickHouse-Query-Id` of the response that arrived.
        received: String,
    },
    /// A typed row did not fit the result's or table's columns.
    #[error("row mapping error: {0}")]
    Row(crate::row::RowError),
    /// Invalid client configuration or argument.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The query could not be built, so nothing was sent: its `?` placeholders and the values
    /// bound with [`Query::bind`](crate::Query::bind) differ in number, `?fields` was used
    /// without a typed fetch, or a bound value or [`Query::param`](crate::Query::param) value
    /// has no ClickHouse text form.
    #[error("query binding error: {0}")]
    Bind(String),
    /// The request needs what the endpoint's protocol does not have (e.g.
    /// [`Query::fetch_bytes`](crate::Query::fetch_bytes) in a text format over the native
    /// protocol, which carries Native blocks only, or server logs over HTTP). Nothing was sent.
    #[error("not available over the {protocol} protocol: {what}")]
    NotAvailable {
        /// The protocol (`native` or `HTTP`).
        protocol: &'static str,
        /// What was asked for.
        what: String,
    },

    /// [`Query::fetch_one`](crate::query::Query::fetch_one) found no row.
    #[error("the query returned no rows")]
    RowNotFound,
    /// The background decoding pipeline stopped without a result (runtime shutting down, or a
    /// decoder panic).
    #[error("internal pipeline failure: {0}")]
    Pipeline(String),
    /// Reading the data of a preformatted insert
    /// ([`FormattedInsert`](crate::FormattedInsert)) failed: the reader or stream the
    /// application gave returned this error. The insert was abandoned (nothing is committed
    /// unless the server had already written some of its insert blocks: see
    /// [`BlockInsert`](crate::BlockInsert)'s drop rules).
    #[error("reading the insert's data failed: {0}")]
    Input(io::Error),
}

impl Error {
    /// Whether a time limit ran out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// Which time limit ran out, if this is a timeout.
    pub fn timeout_kind(&self) -> Option<TimeoutKind> {
        match self {
            Error::Timeout(k) => Some(*k),
            _ => None,
        }
    }

    /// Whether the server reported an exception.
    pub fn is_server(&self) -> bool {
        matches!(self, Error::Server(_))
    }

    /// The server exception, if any.
    pub fn server_error(&self) -> Option<&ServerError> {
        match self {
            Error::Server(e) => Some(e),
            _ => None,
        }
    }

    /// The ClickHouse error code of a server exception.
    pub fn server_code(&self) -> Option<i32> {
        self.server_error().map(|e| e.code)
    }

    /// The HTTP status of the response that carried the failure, if it came over HTTP: a
    /// server exception's, or a non-2xx reply's that is not an exception.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Server(e) => e.http_status,
            Error::Protocol(p) => p.http_status(),
            _ => None,
        }
    }

    /// The transport's protocol error, if any.
    pub fn protocol_error(&self) -> Option<&ProtocolError> {
        match self {
            Error::Protocol(p) => Some(p),
            _ => None,
        }
    }

    /// Whether TLS failed (certificate verification, handshake, client certificate rejected).
    pub fn is_tls(&self) -> bool {
        matches!(self, Error::Tls { .. })
    }

    /// Whether the connection could not be established.
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Connect { .. }) || self.timeout_kind() == Some(TimeoutKind::Connect)
    }

    /// Whether the connection failed or the response was cut (server died, network error).
    pub fn is_connection(&self) -> bool {
        match self {
            Error::Io(_) | Error::Connect { .. } | Error::QueryIdMismatch { .. } => true,
            Error::Protocol(p) => p.is_cut(),
            _ => false,
        }
    }

    pub(crate) fn pipeline(what: impl Into<String>) -> Error {
        Error::Pipeline(what.into())
    }
}

impl From<io::Error> for Error {
    /// IO errors of a TLS stream that carry a TLS failure become [`Error::Tls`].
    fn from(e: io::Error) -> Self {
        match TlsFailure::of(&e) {
            Some(f) => Error::Tls {
                addr: f.addr.clone(),
                handshake: f.handshake,
                reason: f.reason.clone(),
            },
            None => Error::Io(e),
        }
    }
}

impl From<HttpError> for Error {
    fn from(e: HttpError) -> Self {
        match e {
            HttpError::Server { status, exception } => Error::Server(ServerError::from_exception(
                exception,
                false,
                Some(status.as_u16()),
            )),
            HttpError::MidStream(exception) => {
                Error::Server(ServerError::from_exception(exception, true, Some(200)))
            }
            other => Error::Protocol(ProtocolError::Http(other)),
        }
    }
}

impl From<TcpError> for Error {
    fn from(e: TcpError) -> Self {
        Error::Protocol(ProtocolError::Native(e))
    }
}

/// A TLS failure on a connection, carried inside an `io::Error` until the facade turns it into
/// [`Error::Tls`].
#[derive(Debug, Clone)]
pub(crate) struct TlsFailure {
    pub addr: String,
    pub handshake: bool,
    pub reason: String,
}

impl fmt::Display for TlsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let phase = if self.handshake {
            "handshake"
        } else {
            "session"
        };
        write!(f, "TLS {phase} with {} failed: {}", self.addr, self.reason)
    }
}

impl std::error::Error for TlsFailure {}

impl TlsFailure {
    /// The failure an `io::Error` carries, if it is one.
    pub(crate) fn of(e: &io::Error) -> Option<&TlsFailure> {
        e.get_ref()?.downcast_ref::<TlsFailure>()
    }
}
