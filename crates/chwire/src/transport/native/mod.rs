//! The native TCP transport: ClickHouse's own protocol (port 9000, 9440 with TLS) over pooled
//! connections, driving proto's sans-IO [`tcp::Connection`](chwire_proto::tcp::Connection).
//! `connection` is one connection (handshake, socket IO under the time limits, Ping before
//! reuse), `request` the Query packet built from the request description, `exchange` one
//! query on a connection up to its answer, `body` the rest of the answer: raw socket bytes
//! (async) and the protocol state machine as the body's filter (sync, off-loop), whose
//! decoded blocks go to the result's consumer as they are.

mod body;
mod connection;
mod exchange;
mod insert;
mod request;

use std::sync::Arc;

use chwire_proto::server::Credentials;
use chwire_proto::tcp::ClientHello;
use chwire_rt::Runtime;

pub(super) use body::{BodyFilter, RawBody};
pub(super) use exchange::Exchange;

use super::{Address, Attempt, AttemptError};
use crate::config::Config;
use crate::error::Error;
use crate::pool::{Pool, PoolConfig};
use crate::request::Request;
use connection::{Connection, Opener};

/// One endpoint over the native protocol: its pool.
#[derive(Debug)]
pub(crate) struct NativeTransport {
    pool: Pool<Connection>,
}

impl NativeTransport {
    pub(super) fn new(
        rt: Arc<dyn Runtime>,
        address: Address,
        pool: PoolConfig,
        config: &Config,
    ) -> NativeTransport {
        let credentials = config
            .credentials()
            .cloned()
            .unwrap_or_else(|| Credentials::new("default", ""));
        let mut hello = ClientHello::new(credentials);
        hello.version = crate_version();
        hello.database = config.database().unwrap_or_default().to_owned();
        let opener = Opener {
            hello,
            read_size: config.offload().chunk_size,
        };
        let Address {
            host, port, tls, ..
        } = address;
        NativeTransport {
            pool: Pool::new(rt, host, port, tls, pool, opener),
        }
    }

    pub(crate) fn pool(&self) -> &Pool<Connection> {
        &self.pool
    }

    /// [`Transport::attempt`](crate::transport::Transport::attempt) over the native protocol:
    /// the Query packet (and the empty block that ends its external tables), then with
    /// `answer` the first packets of the answer, up to the result's header block (or, for a
    /// request with no result format, `execute`, the whole answer).
    pub(crate) async fn attempt(&self, a: &Attempt<'_>) -> Result<Exchange, AttemptError> {
        let req = a.req;
        if req.bytes_of_format && req.format != Some("Native") {
            return Err(AttemptError::before_connect(Error::NotAvailable {
                protocol: "native",
                what: format!(
                    "the result as {} bytes (the protocol carries Native blocks; use the \
                     Native format, blocks or rows)",
                    req.format.unwrap_or("unformatted")
                ),
            }));
        }
        if let Some(what) = http_only(a.config, req) {
            return Err(AttemptError::before_connect(Error::NotAvailable {
                protocol: "native",
                what: what.into(),
            }));
        }
        let (sql, body_format) = match req.sql_beside_body {
            Some(insert) => {
                let format = insert::check_format(insert).map_err(AttemptError::before_connect)?;
                (insert.to_owned(), Some(format))
            }
            None => (
                String::from_utf8_lossy(&a.first.concat()).into_owned(),
                None,
            ),
        };
        let packet = request::query_packet(a.config, req, a.query_id, &sql);
        let conn = self
            .pool
            .acquire(a.limits, a.fresh)
            .await
            .map_err(AttemptError::before_connect)?;
        (a.on_connect)();
        let events = req.events.cloned().unwrap_or_default();
        let mut ex = Exchange::new(
            conn,
            a.limits.clone(),
            a.query_id,
            req.progress.cloned(),
            events,
        );
        ex.in_band = req.running.map(|r| r.in_band.clone());
        let mut outcome = match body_format {
            Some(format) => match ex.start_insert(&packet, format, req.body_compressed).await {
                Ok(()) => ex.send_body(a.first).await,
                Err(e) => Err(e),
            },
            None => ex.start(&packet).await,
        };
        if outcome.is_ok() && a.answer {
            outcome = match req.sql_beside_body {
                Some(_) => ex.end_body().await,
                None => Ok(()),
            };
        }
        if outcome.is_ok() && a.answer {
            let to_end = req.format.is_none();
            outcome = ex.read_answer(to_end).await;
            if let (Err(_), Some(flag)) = (&outcome, req.delivered_unanswered) {
                flag.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
        match outcome {
            Ok(()) => Ok(ex),
            Err(error) => Err(AttemptError {
                stale: ex.connection_reused() && !ex.answered() && error.is_connection(),
                error,
                connected: true,
            }),
        }
    }
}

/// chwire's version, as the client version in the Hello and every `ClientInfo`.
fn crate_version() -> (u64, u64, u64) {
    let mut parts = env!("CARGO_PKG_VERSION")
        .split(['.', '-'])
        .map(|p| p.parse().unwrap_or(0));
    let mut next = || parts.next().unwrap_or(0);
    (next(), next(), next())
}

/// What of `req` only HTTP carries (sessions, roles, custom headers, formatted bodies are
/// HTTP features; the native protocol has none of them): refused before anything is sent
/// rather than silently dropped.
fn http_only(config: &Config, req: &Request<'_>) -> Option<&'static str> {
    if req.session.is_some() {
        Some("a server session (HTTP session_id)")
    } else if req.roles.is_some() || !config.roles().is_empty() {
        Some("roles (HTTP role=)")
    } else if !req.headers.is_empty() {
        Some("custom HTTP headers")
    } else {
        None
    }
}
