//! The HTTP/1.1 exchange with ClickHouse's HTTP interface, sans-IO.
//!
//! [`HttpRequest`] encodes a request head (the query, settings and parameters travel in the
//! URL; credentials and options in headers); the body follows as-is or through
//! [`ChunkedEncoder`]. [`HttpResponseParser`] turns the bytes read back into
//! [`ResponseEvent`]s: the typed [`ResponseHead`], body `Data`, `End`, or an [`HttpError`] —
//! including an exception the server reports inside the body after it already sent a 2xx
//! status (see [`exception`]). [`HeadProgressFilter`] takes `X-ClickHouse-Progress` reports
//! out of a head as it arrives.

pub mod exception;

mod error;
mod head;
mod progress;
mod request;
mod response;

pub use error::HttpError;
pub use exception::{ExceptionScanner, ScannerLimits};
pub use head::{BodyFraming, KeepAliveParams, ResponseHead};
pub use progress::HeadProgressFilter;
pub use request::{
    AuthScheme, ChunkFrames, ChunkSizeLine, ChunkedEncoder, HttpRequest, RedactedSettings,
    RequestBody, is_credential_setting, percent_encode,
};
pub use response::{HttpResponseParser, ResponseConfig, ResponseEvent};
