//! Telemetry: a client span per query and insert through OpenTelemetry (feature
//! `opentelemetry`, pinned to `opentelemetry` 0.33: spans, the W3C trace context sent to the
//! server, metrics; `otel.rs`) and/or through `tracing` (feature `tracing`: the same spans
//! with the same fields, for any subscriber — `tracing-opentelemetry` makes them OpenTelemetry
//! spans of whatever version the application uses; `tracing_spans.rs`).
//!
//! Without either feature every type here is empty and every call a no-op, so the request path
//! calls them unconditionally. What a span says about its statement is computed once for both
//! backends (`sql.rs`, [`SpanInfo`]).
//!
//! # Spans
//!
//! Each query and insert runs in a span of kind `Client`, a child of the caller's current
//! context (`opentelemetry::Context::current()` when the request starts),
//! named `{db.operation.name} {db.collection.name}` (e.g. `SELECT db.events`, `INSERT events`)
//! or just the operation. Attributes (OpenTelemetry database semantic conventions):
//!
//! | attribute | value |
//! |---|---|
//! | `db.system.name` | `clickhouse` |
//! | `db.namespace` | the client's database, if set |
//! | `db.operation.name` | first keyword of the statement, upper case (`SELECT`, `INSERT`, …) |
//! | `db.collection.name` | the table, for simple statements (`FROM t`, `INTO t`, `TABLE t`) |
//! | `db.query.text` | the SQL, per [`QueryText`] (default: literals replaced with `?`) |
//! | `server.address`, `server.port` | the endpoint that ran the request |
//! | `db.response.returned_rows` | rows decoded from the result (streams: when they end) |
//! | `clickhouse.query_id` | the query id |
//! | `clickhouse.read_rows`, `clickhouse.read_bytes`, `clickhouse.written_rows`, `clickhouse.written_bytes` | from `X-ClickHouse-Summary` |
//! | `db.response.status_code` | the ClickHouse error code, on a server exception |
//! | `error.type` | the exception name (e.g. `UNKNOWN_TABLE`) or code, or the client error kind (`timeout`, `connect`, `io`, …) |
//! | `chwire.cancelled` | `true` if the request was dropped before its end |
//!
//! The summary is final for `execute` and inserts; for streamed results it is the one sent with
//! the response head (progress when the first block was ready). Credentials, headers and URLs
//! are never recorded; in the default `Sanitized` mode neither are literals of the SQL (nor the
//! server's error message, which may quote them: the span status then only carries the code).
//!
//! The span ends when the request ends: after `execute`/`end`, or when a result stream ends or
//! is dropped (the stream owns the span, wherever the decoding pipeline runs).
//!
//! # Propagation
//!
//! The span's context is written into the request headers (`traceparent`, `tracestate`) by the
//! globally installed propagator (`opentelemetry::global::set_text_map_propagator`), so
//! ClickHouse joins the trace. Spawned tasks (reader, insert writer, `KILL QUERY`) and the
//! blocking-pool decoder run in the context of the request's caller.
//!
//! **Version pin:** the context is read through `opentelemetry` 0.33's thread-local; an
//! application using another version of the crate has a separate one, so chwire sees no parent
//! and propagates nothing, silently.
//!
//! # Metrics (`opentelemetry::global::meter("chwire")`)
//!
//! | instrument | kind | attributes |
//! |---|---|---|
//! | `db.client.operation.duration` (s) | histogram | `db.system.name`, `db.operation.name`, `db.namespace`, `server.address`, `server.port`, `error.type` |
//! | `chwire.rows.read`, `chwire.bytes.read`, `chwire.rows.written`, `chwire.bytes.written` | counters (from the summary) | as above |
//! | `chwire.rows.returned` | counter | as above |
//! | `chwire.retries` | counter | `chwire.retry.reason` = `stale_connection` / `failover` |
//! | `db.client.connection.count` | observable up-down counter | `db.client.connection.state` = `used` / `idle`, `db.client.connection.pool.name` = `host:port` |
//!
//! The tracer and meter are taken from the global providers when the client is built: install
//! the providers first.
//!
//! # `tracing` (feature `tracing`)
//!
//! The same span, as a `tracing` span at level `INFO`, target `chwire`, named `clickhouse`,
//! with `otel.name` set to the span name above and `otel.kind = "client"` (what
//! `tracing-opentelemetry` reads), a child of the caller's current `tracing` span. Its fields are
//! the attributes of the table above with the same names; on failure `otel.status_code = "ERROR"`
//! and `otel.status_description` (the same text as the OpenTelemetry status). A retry on a fresh
//! connection or another host is an `INFO` event `chwire.retry` with `chwire.retry.reason`.
//! `tracing` carries no trace context to the server by itself: W3C headers come from the
//! `opentelemetry` feature. Metrics are OpenTelemetry only.

use std::future::Future;

use chwire_rt::BoxFuture;

use crate::error::Error;
use crate::pool::PoolStats;
use crate::summary::QuerySummary;

#[cfg(feature = "opentelemetry")]
mod otel;
#[cfg_attr(
    not(any(feature = "opentelemetry", feature = "tracing")),
    allow(dead_code)
)]
mod sql;
#[cfg(feature = "tracing")]
mod tracing_spans;

use sql::{collection_name, operation_name, sanitize};

/// How much of the SQL a span records as `db.query.text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum QueryText {
    /// The statement as sent (may contain secrets written as literals).
    Full,
    /// String, number and heredoc literals replaced with `?`, comments removed (default).
    /// Bound parameters (`{name:Type}`) are kept as placeholders.
    #[default]
    Sanitized,
    /// No `db.query.text`.
    Omitted,
}

/// Telemetry options of a [`ClientBuilder`](crate::ClientBuilder).
#[derive(Debug, Clone, Default)]
pub(crate) struct TelemetryConfig {
    pub(crate) query_text: QueryText,
}

/// The pools' counters by pool name (`host:port`), read when metrics are collected; empty once
/// the client is gone (the callback must not keep its pools, hence its connections, alive).
pub(crate) type PoolStatsFn = Box<dyn Fn() -> Vec<(String, PoolStats)> + Send + Sync>;

/// Where a span writes its trace context (the global propagator's fields, W3C `traceparent`
/// and `tracestate`): each transport provides one (HTTP: request headers).
pub(crate) trait TraceCarrier {
    #[cfg_attr(not(feature = "opentelemetry"), allow(dead_code))]
    fn set(&mut self, key: &str, value: String);
}

/// Runs `fut` in the caller's current trace context (OpenTelemetry's and `tracing`'s) wherever
/// it is polled (spawned tasks).
pub(crate) fn in_current_context<F>(fut: F) -> BoxFuture<'static, ()>
where
    F: Future<Output = ()> + Send + 'static,
{
    #[cfg(feature = "tracing")]
    let fut = ::tracing::Instrument::instrument(fut, ::tracing::Span::current());
    #[cfg(feature = "opentelemetry")]
    let fut = opentelemetry::context::FutureExt::with_current_context(fut);
    Box::pin(fut)
}

/// Runs `f` (on the blocking pool) in the caller's current trace context.
pub(crate) fn blocking_in_current_context<T>(
    f: impl FnOnce() -> T + Send + 'static,
) -> impl FnOnce() -> T + Send + 'static {
    #[cfg(feature = "tracing")]
    let f = {
        let span = ::tracing::Span::current();
        move || span.in_scope(f)
    };
    #[cfg(feature = "opentelemetry")]
    let f = {
        let cx = opentelemetry::Context::current();
        move || {
            let _attached = cx.attach();
            f()
        }
    };
    f
}

/// What a request's span says about it, computed once for every backend.
#[derive(Debug)]
#[cfg_attr(
    not(any(feature = "opentelemetry", feature = "tracing")),
    allow(dead_code)
)]
pub(crate) struct SpanInfo {
    /// `{db.operation.name} {db.collection.name}`, the operation alone, or `clickhouse`.
    pub name: String,
    pub database: Option<String>,
    pub operation: Option<String>,
    pub collection: Option<String>,
    /// `db.query.text` as [`QueryText`] asks (`None`: omitted).
    pub query_text: Option<String>,
}

#[cfg_attr(
    not(any(feature = "opentelemetry", feature = "tracing")),
    allow(dead_code)
)]
impl SpanInfo {
    fn new(mode: QueryText, database: Option<&str>, sql: &str, table: Option<&str>) -> SpanInfo {
        let sanitized = sanitize(sql);
        let operation = operation_name(sql);
        let collection = table
            .map(str::to_owned)
            .or_else(|| collection_name(&sanitized, operation.as_deref()?));
        let name = match (&operation, &collection) {
            (Some(o), Some(c)) => format!("{o} {c}"),
            (Some(o), None) => o.clone(),
            (None, _) => "clickhouse".to_owned(),
        };
        let query_text = match mode {
            QueryText::Full => Some(sql.to_owned()),
            QueryText::Sanitized => Some(sanitized),
            QueryText::Omitted => None,
        };
        SpanInfo {
            name,
            database: database.map(str::to_owned),
            operation,
            collection,
            query_text,
        }
    }
}

/// Per-client telemetry: the options and each enabled backend's instruments.
#[derive(Debug)]
pub(crate) struct Telemetry {
    #[cfg_attr(
        not(any(feature = "opentelemetry", feature = "tracing")),
        allow(dead_code)
    )]
    query_text: QueryText,
    #[cfg(feature = "opentelemetry")]
    otel: otel::Telemetry,
}

impl Telemetry {
    pub(crate) fn new(config: TelemetryConfig, pools: PoolStatsFn) -> Telemetry {
        #[cfg(not(feature = "opentelemetry"))]
        drop(pools);
        Telemetry {
            query_text: config.query_text,
            #[cfg(feature = "opentelemetry")]
            otel: otel::Telemetry::new(config, pools),
        }
    }

    /// A request is retried (`stale_connection`, `failover`).
    pub(crate) fn retry(&self, reason: &'static str) {
        #[cfg(feature = "opentelemetry")]
        self.otel.retry(reason);
        #[cfg(feature = "tracing")]
        tracing_spans::retry(reason);
        let _ = reason;
    }
}

/// A request's client span in each enabled backend; dropped before its end, it records the
/// request as cancelled.
#[derive(Debug, Default)]
pub(crate) struct Span {
    #[cfg(feature = "opentelemetry")]
    otel: otel::Span,
    #[cfg(feature = "tracing")]
    tracing: tracing_spans::Span,
}

impl Span {
    pub(crate) fn none() -> Span {
        Span::default()
    }

    /// Starts the span of a request running `sql` (in the caller's current context).
    pub(crate) fn start(
        telemetry: &Telemetry,
        database: Option<&str>,
        sql: &str,
        table: Option<&str>,
    ) -> Span {
        #[cfg(any(feature = "opentelemetry", feature = "tracing"))]
        {
            let info = SpanInfo::new(telemetry.query_text, database, sql, table);
            Span {
                #[cfg(feature = "opentelemetry")]
                otel: otel::Span::start(&telemetry.otel, &info),
                #[cfg(feature = "tracing")]
                tracing: tracing_spans::Span::start(telemetry.query_text, &info),
            }
        }
        #[cfg(not(any(feature = "opentelemetry", feature = "tracing")))]
        {
            let _ = (telemetry, database, sql, table);
            Span {}
        }
    }

    /// Writes the span's trace context into `carrier` (OpenTelemetry's global propagator).
    pub(crate) fn inject(&self, carrier: &mut dyn TraceCarrier) {
        #[cfg(feature = "opentelemetry")]
        self.otel.inject(carrier);
        let _ = carrier;
    }

    pub(crate) fn set_endpoint(&self, host: &str, port: u16) {
        #[cfg(feature = "opentelemetry")]
        self.otel.set_endpoint(host, port);
        #[cfg(feature = "tracing")]
        self.tracing.set_endpoint(host, port);
        let _ = (host, port);
    }

    pub(crate) fn set_summary(&self, summary: &QuerySummary) {
        #[cfg(feature = "opentelemetry")]
        self.otel.set_summary(summary);
        #[cfg(feature = "tracing")]
        self.tracing.set_summary(summary);
        let _ = summary;
    }

    pub(crate) fn add_returned_rows(&self, rows: u64) {
        #[cfg(feature = "opentelemetry")]
        self.otel.add_returned_rows(rows);
        #[cfg(feature = "tracing")]
        self.tracing.add_returned_rows(rows);
        let _ = rows;
    }

    pub(crate) fn end_ok(self) {
        self.end(Outcome::Ok);
    }

    pub(crate) fn end_err(self, e: &Error) {
        self.end(Outcome::Failed(e));
    }

    fn end(self, outcome: Outcome<'_>) {
        let Span {
            #[cfg(feature = "opentelemetry")]
            otel,
            #[cfg(feature = "tracing")]
            tracing,
        } = self;
        #[cfg(feature = "opentelemetry")]
        otel.end(outcome);
        #[cfg(feature = "tracing")]
        tracing.end(outcome);
        let _ = outcome;
    }
}

/// How a request ended.
#[derive(Clone, Copy)]
#[cfg_attr(
    not(any(feature = "opentelemetry", feature = "tracing")),
    allow(dead_code)
)]
pub(crate) enum Outcome<'a> {
    Ok,
    Failed(&'a Error),
    /// Dropped before its end.
    Cancelled,
}

/// The span status text of a failure: the server's message may quote the SQL, so it is
/// recorded only with [`QueryText::Full`]; otherwise only the code and `error.type`.
#[cfg(any(feature = "opentelemetry", feature = "tracing"))]
fn error_description(mode: QueryText, e: &Error) -> String {
    match (mode, e.server_error()) {
        (QueryText::Full, _) | (_, None) => e.to_string(),
        (_, Some(s)) => format!("ClickHouse error {} ({})", s.code, error_type(e)),
    }
}

#[cfg(any(feature = "opentelemetry", feature = "tracing"))]
/// `error.type` of a failed request.
fn error_type(e: &Error) -> String {
    match e {
        Error::Server(s) => s.name.clone().unwrap_or_else(|| s.code.to_string()),
        Error::Timeout(_) => "timeout".into(),
        Error::Connect { .. } => "connect".into(),
        Error::Tls { .. } => "tls".into(),
        Error::Io(_) => "io".into(),
        Error::Protocol(p) => p
            .http_status()
            .map_or_else(|| "http".into(), |s| s.to_string()),
        Error::Decode(_) | Error::Compression(_) | Error::Row(_) => "decode".into(),
        _ => "other".into(),
    }
}
