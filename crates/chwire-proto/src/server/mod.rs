//! What a ClickHouse server reports and expects independently of the transport: exceptions,
//! query counters, credentials. The HTTP exchange (`http`) and the native protocol (`tcp`)
//! both speak in these types, so callers handle either transport's results the same way.

mod credentials;
mod exception;
mod progress;

pub use credentials::Credentials;
pub use exception::ServerException;
pub use progress::Progress;
