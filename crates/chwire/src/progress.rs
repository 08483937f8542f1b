//! Live query progress: the callback type of [`Query::on_progress`](crate::Query::on_progress)
//! and the counters it receives. How progress is read off the wire is the transport's job
//! (HTTP: `chwire_proto::http::HeadProgressFilter`).

use std::sync::Arc;

pub use chwire_proto::server::Progress;

/// A progress callback ([`Query::on_progress`](crate::Query::on_progress)).
pub(crate) type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;
