//! Everything that can go wrong in one HTTP exchange, as seen by the sans-IO layer.

use http::StatusCode;

use crate::server::ServerException;

/// An HTTP exchange failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// The server rejected the query before sending data: a non-2xx status, or a 2xx with
    /// `X-ClickHouse-Exception-Code`, with the exception text from the body.
    #[error("server error (HTTP {status}): {exception}")]
    Server {
        /// The response status (2xx when only the exception header marked the failure).
        status: StatusCode,
        /// The server's error code, name and message.
        exception: ServerException,
    },
    /// The query failed after the server had committed a 2xx status and sent some data; the
    /// exception was found in the body. Data handed out before this is a partial result.
    #[error("server error during the response: {0}")]
    MidStream(ServerException),
    /// A non-2xx response whose body is not a ClickHouse exception (e.g. from a proxy).
    #[error("HTTP {status}: {body}")]
    Status {
        /// The response status.
        status: StatusCode,
        /// The start of the body (at most
        /// [`ResponseConfig::max_error_body`](super::ResponseConfig::max_error_body) bytes),
        /// lossily decoded as UTF-8.
        body: String,
    },
    /// The connection ended before the response was complete. Never a short success.
    #[error("response truncated: connection closed inside the {0}")]
    Truncated(&'static str),
    /// The connection closed before any byte of a response arrived (typically a pooled
    /// keep-alive connection the server had already closed: safe to retry for idempotent
    /// requests).
    #[error("connection closed before any response")]
    NoResponse,
    /// The response head exceeded the configured size limit.
    #[error("response head exceeds {limit} bytes")]
    HeadTooLarge {
        /// [`ResponseConfig::max_head_size`](super::ResponseConfig::max_head_size), in bytes.
        limit: usize,
    },
    /// The response head, or the trailer section of a chunked body, has more fields than
    /// [`ResponseConfig::max_headers`](super::ResponseConfig::max_headers).
    #[error("response has more than {limit} header or trailer fields")]
    TooManyHeaders {
        /// [`ResponseConfig::max_headers`](super::ResponseConfig::max_headers).
        limit: usize,
    },
    /// The bytes are not a valid HTTP/1.x response.
    #[error("malformed response: {0}")]
    Malformed(String),
    /// A request could not be encoded (e.g. a header value with a line break).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// `next_event` was called after the exchange already failed or ended.
    #[error("the response parser has already finished")]
    Finished,
}
