//! The [`Client`] handle and the [`ClientInner`] it shares: what every request of a client
//! reads (runtime, configuration, endpoints, telemetry, schema cache). Kept apart from the
//! client's operations so that queries and inserts can hold a client without depending on
//! the code that creates them.

use std::sync::Arc;

use chwire_rt::Runtime;

use crate::config::Config;
use crate::endpoints::Endpoints;
use crate::limits::IoLimits;
use crate::request::Session;
use crate::schema::SchemaCache;
use crate::telemetry::{Span, Telemetry};

#[derive(Debug)]
pub(crate) struct ClientInner {
    pub rt: Arc<dyn Runtime>,
    pub config: Config,
    pub endpoints: Endpoints,
    pub telemetry: Telemetry,
    pub schemas: SchemaCache,
}

/// A ClickHouse client over HTTP. Cheap to clone (shared connection pool); `Send + Sync`.
///
/// ```no_run
/// # async fn run(runtime: std::sync::Arc<dyn chwire::Runtime>) -> chwire::Result<()> {
/// # use chwire::Client;
/// let client = Client::builder(runtime).url("http://localhost:8123").build()?;
/// let mut blocks = client.query("SELECT number FROM numbers(10)").fetch_blocks().await?;
/// while let Some(block) = blocks.next().await { println!("{} rows", block?.rows); }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
    /// The server session of this handle's requests ([`Client::session`]).
    pub(crate) session: Option<Arc<Session>>,
}

impl ClientInner {
    /// The time limits of one request starting now.
    pub(crate) fn limits(&self) -> IoLimits {
        let c = &self.config;
        IoLimits {
            rt: Arc::clone(&self.rt),
            deadline: c
                .request_timeout()
                .map(|t| chwire_rt::deadline_after(self.rt.now(), t)),
            send_timeout: c.send_timeout(),
            receive_timeout: c.receive_timeout(),
            head_timeout: c.head_timeout(),
        }
    }

    pub(crate) fn body_compression(&self) -> Option<chwire_proto::Compression> {
        self.config.compression().wire()
    }

    /// The client span of a request running `sql` (on `table`, when known).
    pub(crate) fn span(&self, sql: &str, table: Option<&str>) -> Span {
        Span::start(&self.telemetry, self.config.database(), sql, table)
    }
}
