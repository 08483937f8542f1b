//! OpenTelemetry (feature `opentelemetry`, pinned to `opentelemetry` 0.33): a client span per
//! query and insert, the W3C trace context sent to the server, and metrics.
//!
//! Without the feature every type here is empty and every call a no-op, so the request path
//! calls them unconditionally.
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

use std::future::Future;

use chwire_rt::BoxFuture;

use crate::error::Error;
use crate::pool::PoolStats;
use crate::summary::QuerySummary;

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
    #[cfg_attr(not(feature = "opentelemetry"), allow(dead_code))]
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

/// Runs `fut` in the caller's current trace context wherever it is polled (spawned tasks).
pub(crate) fn in_current_context<F>(fut: F) -> BoxFuture<'static, ()>
where
    F: Future<Output = ()> + Send + 'static,
{
    #[cfg(feature = "opentelemetry")]
    {
        use opentelemetry::context::FutureExt;
        Box::pin(fut.with_current_context())
    }
    #[cfg(not(feature = "opentelemetry"))]
    {
        Box::pin(fut)
    }
}

/// Runs `f` (on the blocking pool) in the caller's current trace context.
pub(crate) fn blocking_in_current_context<T>(
    f: impl FnOnce() -> T + Send + 'static,
) -> impl FnOnce() -> T + Send + 'static {
    #[cfg(feature = "opentelemetry")]
    {
        let cx = opentelemetry::Context::current();
        move || {
            let _attached = cx.attach();
            f()
        }
    }
    #[cfg(not(feature = "opentelemetry"))]
    {
        f
    }
}

/// The first keyword of a statement, upper case (`SELECT`, `INSERT`, `WITH`, …).
#[cfg_attr(not(feature = "opentelemetry"), allow(dead_code))]
pub(crate) fn operation_name(sql: &str) -> Option<String> {
    let s = skip_trivia(sql);
    let word: String = s
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (!word.is_empty()).then_some(word)
}

/// Skips whitespace, comments and opening parentheses.
fn skip_trivia(mut s: &str) -> &str {
    loop {
        let t = s.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
        if let Some(rest) = t.strip_prefix("--") {
            s = rest.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(rest) = t.strip_prefix("/*") {
            s = rest.split_once("*/").map_or("", |(_, r)| r);
        } else {
            return t;
        }
    }
}

/// The table a simple statement works on: after the first `FROM` (SELECT), `INTO` (INSERT)
/// or `TABLE` (DDL). `None` for subqueries and table functions. `sql` must be sanitized.
#[cfg_attr(not(feature = "opentelemetry"), allow(dead_code))]
pub(crate) fn collection_name(sanitized: &str, operation: &str) -> Option<String> {
    let keyword = match operation {
        "SELECT" | "WITH" => "from",
        "INSERT" => "into",
        "CREATE" | "DROP" | "ALTER" | "TRUNCATE" | "OPTIMIZE" | "RENAME" | "EXCHANGE" => "table",
        _ => return None,
    };
    let mut words = sanitized.split_whitespace().peekable();
    while let Some(w) = words.next() {
        if !w.eq_ignore_ascii_case(keyword) {
            continue;
        }
        let mut next = *words.peek()?;
        if keyword == "into" && next.eq_ignore_ascii_case("table") {
            words.next();
            next = *words.peek()?;
        }
        if keyword == "table" && next.eq_ignore_ascii_case("if") {
            words.next();
            for w in words.by_ref() {
                if w.eq_ignore_ascii_case("exists") {
                    break;
                }
            }
            next = *words.peek()?;
        }
        let ident: String = next
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '`' | '"'))
            .collect();
        let rest = &next[ident.len()..];
        if ident.is_empty() || rest.starts_with('(') {
            return None;
        }
        return Some(ident.replace(['`', '"'], ""));
    }
    None
}

/// The SQL with literals replaced by `?` and comments removed (see [`QueryText::Sanitized`]).
#[cfg_attr(not(feature = "opentelemetry"), allow(dead_code))]
pub(crate) fn sanitize(sql: &str) -> String {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let mut i = 0;
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\'' => {
                i += 1;
                while i < b.len() {
                    match b[i] {
                        b'\\' => i += 2,
                        b'\'' if b.get(i + 1) == Some(&b'\'') => i += 2,
                        b'\'' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
                out.push('?');
            }
            b'`' | b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != c {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                out.push_str(&sql[start..i]);
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i = (i + 2).min(b.len());
            }
            b'$' => {
                // Heredoc `$tag$ … $tag$`.
                let tag_end = b[i + 1..]
                    .iter()
                    .position(|&x| !(x.is_ascii_alphanumeric() || x == b'_'))
                    .map(|p| i + 1 + p);
                match tag_end {
                    Some(e) if b[e] == b'$' => {
                        let tag = &sql[i..=e];
                        let body = &sql[e + 1..];
                        i = body.find(tag).map_or(b.len(), |p| e + 1 + p + tag.len());
                        out.push('?');
                    }
                    _ => {
                        out.push('$');
                        i += 1;
                    }
                }
            }
            b'0'..=b'9' if i == 0 || !ident(b[i - 1]) => {
                while i < b.len() && (ident(b[i]) || (b[i] == b'.' && i + 1 < b.len())) {
                    i += 1;
                }
                out.push('?');
            }
            _ => {
                let len = sql[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&sql[i..i + len]);
                i += len;
            }
        }
    }
    out
}

#[cfg(feature = "opentelemetry")]
pub(crate) use otel::{Span, Telemetry};

#[cfg(not(feature = "opentelemetry"))]
pub(crate) use noop::{Span, Telemetry};

#[cfg(not(feature = "opentelemetry"))]
mod noop {
    use super::*;

    /// Per-client telemetry (nothing without the `opentelemetry` feature).
    #[derive(Debug)]
    pub(crate) struct Telemetry;

    impl Telemetry {
        pub(crate) fn new(_: TelemetryConfig, _: PoolStatsFn) -> Telemetry {
            Telemetry
        }
        pub(crate) fn retry(&self, _reason: &'static str) {}
    }

    /// A request's client span (nothing without the `opentelemetry` feature).
    #[derive(Debug, Default)]
    pub(crate) struct Span;

    impl Span {
        pub(crate) fn none() -> Span {
            Span
        }
        pub(crate) fn start(
            _: &Telemetry,
            _database: Option<&str>,
            _sql: &str,
            _table: Option<&str>,
        ) -> Span {
            Span
        }
        pub(crate) fn inject(&self, _: &mut dyn TraceCarrier) {}
        pub(crate) fn set_endpoint(&self, _host: &str, _port: u16) {}
        pub(crate) fn set_summary(&self, _: &QuerySummary) {}
        pub(crate) fn add_returned_rows(&self, _: u64) {}
        pub(crate) fn end_ok(self) {}
        pub(crate) fn end_err(self, _: &Error) {}
    }
}

#[cfg(feature = "opentelemetry")]
mod otel {
    use std::sync::{Arc, Mutex, PoisonError};
    use std::time::Instant;

    use opentelemetry::global::{self, BoxedTracer};
    use opentelemetry::metrics::{Counter, Histogram, ObservableUpDownCounter};
    use opentelemetry::propagation::Injector;
    use opentelemetry::trace::{SpanBuilder, SpanKind, Status, TraceContextExt, Tracer};
    use opentelemetry::{Context, KeyValue};

    use super::*;

    /// Per-client instruments: tracer, metric instruments, options.
    #[derive(Debug)]
    pub struct Telemetry(Arc<Instruments>);

    struct Instruments {
        tracer: BoxedTracer,
        query_text: QueryText,
        duration: Histogram<f64>,
        rows_read: Counter<u64>,
        bytes_read: Counter<u64>,
        rows_written: Counter<u64>,
        bytes_written: Counter<u64>,
        rows_returned: Counter<u64>,
        retries: Counter<u64>,
        _connections: ObservableUpDownCounter<i64>,
    }

    impl std::fmt::Debug for Instruments {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Instruments")
                .field("query_text", &self.query_text)
                .finish_non_exhaustive()
        }
    }

    impl Telemetry {
        pub(crate) fn new(config: TelemetryConfig, pools: PoolStatsFn) -> Telemetry {
            let scope = opentelemetry::InstrumentationScope::builder("chwire")
                .with_version(env!("CARGO_PKG_VERSION"))
                .build();
            let tracer = global::tracer_with_scope(scope.clone());
            let meter = global::meter_with_scope(scope);
            let connections = meter
                .i64_observable_up_down_counter("db.client.connection.count")
                .with_description("Connections of the client's pools, by state")
                .with_unit("{connection}")
                .with_callback(move |observer| {
                    for (name, st) in pools() {
                        let pool = KeyValue::new("db.client.connection.pool.name", name);
                        let used = st.open.saturating_sub(st.idle) as i64;
                        observer.observe(
                            used,
                            &[
                                KeyValue::new("db.client.connection.state", "used"),
                                pool.clone(),
                            ],
                        );
                        observer.observe(
                            st.idle as i64,
                            &[KeyValue::new("db.client.connection.state", "idle"), pool],
                        );
                    }
                })
                .build();
            let counter = |name: &'static str, unit: &'static str| {
                meter.u64_counter(name).with_unit(unit).build()
            };
            Telemetry(Arc::new(Instruments {
                tracer,
                query_text: config.query_text,
                duration: meter
                    .f64_histogram("db.client.operation.duration")
                    .with_description("Duration of ClickHouse requests")
                    .with_unit("s")
                    .with_boundaries(vec![
                        0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 60.0,
                    ])
                    .build(),
                rows_read: counter("chwire.rows.read", "{row}"),
                bytes_read: counter("chwire.bytes.read", "By"),
                rows_written: counter("chwire.rows.written", "{row}"),
                bytes_written: counter("chwire.bytes.written", "By"),
                rows_returned: counter("chwire.rows.returned", "{row}"),
                retries: counter("chwire.retries", "{retry}"),
                _connections: connections,
            }))
        }

        pub(crate) fn retry(&self, reason: &'static str) {
            self.0
                .retries
                .add(1, &[KeyValue::new("chwire.retry.reason", reason)]);
        }
    }

    /// A request's client span and what its end records.
    #[derive(Debug, Default)]
    pub struct Span(Option<Box<Active>>);

    #[derive(Debug)]
    struct Active {
        cx: Context,
        instruments: Arc<Instruments>,
        started: Instant,
        /// Attributes shared by the span's metrics.
        metric_attrs: Vec<KeyValue>,
        state: Mutex<State>,
    }

    #[derive(Debug, Default)]
    struct State {
        server: Option<(String, u16)>,
        summary: Option<QuerySummary>,
        returned_rows: u64,
    }

    impl Span {
        pub(crate) fn none() -> Span {
            Span(None)
        }

        /// Starts the span of a request running `sql` (in the caller's current context).
        pub(crate) fn start(
            telemetry: &Telemetry,
            database: Option<&str>,
            sql: &str,
            table: Option<&str>,
        ) -> Span {
            let instruments = Arc::clone(&telemetry.0);
            let parent = Context::current();
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
            let mut metric_attrs = vec![KeyValue::new("db.system.name", "clickhouse")];
            if let Some(db) = database {
                metric_attrs.push(KeyValue::new("db.namespace", db.to_owned()));
            }
            if let Some(o) = &operation {
                metric_attrs.push(KeyValue::new("db.operation.name", o.clone()));
            }
            let mut attrs = metric_attrs.clone();
            if let Some(c) = collection {
                attrs.push(KeyValue::new("db.collection.name", c));
            }
            match instruments.query_text {
                QueryText::Full => attrs.push(KeyValue::new("db.query.text", sql.to_owned())),
                QueryText::Sanitized => attrs.push(KeyValue::new("db.query.text", sanitized)),
                QueryText::Omitted => {}
            }
            let builder = SpanBuilder::from_name(name)
                .with_kind(SpanKind::Client)
                .with_attributes(attrs);
            let span = instruments.tracer.build_with_context(builder, &parent);
            Span(Some(Box::new(Active {
                cx: parent.with_span(span),
                instruments,
                started: Instant::now(),
                metric_attrs,
                state: Mutex::default(),
            })))
        }

        fn state(&self) -> Option<std::sync::MutexGuard<'_, State>> {
            let a = self.0.as_ref()?;
            Some(a.state.lock().unwrap_or_else(PoisonError::into_inner))
        }

        /// Writes the span's trace context (global propagator) into `carrier`.
        pub(crate) fn inject(&self, carrier: &mut dyn TraceCarrier) {
            let Some(a) = &self.0 else {
                return;
            };
            global::get_text_map_propagator(|p| p.inject_context(&a.cx, &mut Carrier(carrier)));
        }

        pub(crate) fn set_endpoint(&self, host: &str, port: u16) {
            let Some(a) = &self.0 else {
                return;
            };
            a.cx.span().set_attributes([
                KeyValue::new("server.address", host.trim_matches(['[', ']']).to_owned()),
                KeyValue::new("server.port", i64::from(port)),
            ]);
            if let Some(mut st) = self.state() {
                st.server = Some((host.to_owned(), port));
            }
        }

        pub(crate) fn set_summary(&self, summary: &QuerySummary) {
            if let Some(mut st) = self.state() {
                st.summary = Some(summary.clone());
            }
        }

        pub(crate) fn add_returned_rows(&self, rows: u64) {
            if let Some(mut st) = self.state() {
                st.returned_rows = st.returned_rows.max(rows);
            }
        }

        pub(crate) fn end_ok(mut self) {
            self.finish(Outcome::Ok);
        }

        pub(crate) fn end_err(mut self, e: &Error) {
            self.finish(Outcome::Failed(e));
        }

        fn finish(&mut self, outcome: Outcome<'_>) {
            let Some(a) = self.0.take() else {
                return;
            };
            let st = std::mem::take(&mut *a.state.lock().unwrap_or_else(PoisonError::into_inner));
            let span = a.cx.span();
            let mut attrs = a.metric_attrs;
            if let Some((host, port)) = &st.server {
                attrs.push(KeyValue::new(
                    "server.address",
                    host.trim_matches(['[', ']']).to_owned(),
                ));
                attrs.push(KeyValue::new("server.port", i64::from(*port)));
            }
            let i = &a.instruments;
            if let Some(s) = &st.summary {
                span.set_attributes([
                    KeyValue::new("clickhouse.query_id", s.query_id.clone()),
                    KeyValue::new("clickhouse.read_rows", s.read_rows as i64),
                    KeyValue::new("clickhouse.read_bytes", s.read_bytes as i64),
                    KeyValue::new("clickhouse.written_rows", s.written_rows as i64),
                    KeyValue::new("clickhouse.written_bytes", s.written_bytes as i64),
                ]);
                i.rows_read.add(s.read_rows, &attrs);
                i.bytes_read.add(s.read_bytes, &attrs);
                i.rows_written.add(s.written_rows, &attrs);
                i.bytes_written.add(s.written_bytes, &attrs);
            }
            span.set_attribute(KeyValue::new(
                "db.response.returned_rows",
                st.returned_rows as i64,
            ));
            i.rows_returned.add(st.returned_rows, &attrs);
            match outcome {
                Outcome::Ok => {}
                Outcome::Cancelled => {
                    span.set_attribute(KeyValue::new("chwire.cancelled", true));
                }
                Outcome::Failed(e) => {
                    let kind = error_type(e);
                    if let Some(code) = e.server_code() {
                        span.set_attribute(KeyValue::new(
                            "db.response.status_code",
                            code.to_string(),
                        ));
                    }
                    span.set_attribute(KeyValue::new("error.type", kind.clone()));
                    attrs.push(KeyValue::new("error.type", kind.clone()));
                    // The server's message may quote the SQL: only with full query text.
                    let description = match (i.query_text, e.server_error()) {
                        (QueryText::Full, _) | (_, None) => e.to_string(),
                        (_, Some(s)) => format!("ClickHouse error {} ({kind})", s.code),
                    };
                    span.set_status(Status::error(description));
                }
            }
            span.end();
            i.duration.record(a.started.elapsed().as_secs_f64(), &attrs);
        }
    }

    impl Drop for Span {
        fn drop(&mut self) {
            self.finish(Outcome::Cancelled);
        }
    }

    enum Outcome<'a> {
        Ok,
        Failed(&'a Error),
        Cancelled,
    }

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

    /// The propagator's view of a transport's [`TraceCarrier`].
    struct Carrier<'a>(&'a mut dyn TraceCarrier);

    impl Injector for Carrier<'_> {
        fn set(&mut self, key: &str, value: String) {
            self.0.set(key, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations() {
        assert_eq!(operation_name("  select 1").as_deref(), Some("SELECT"));
        assert_eq!(
            operation_name("-- c\n/* x */ (SELECT 1)").as_deref(),
            Some("SELECT")
        );
        assert_eq!(operation_name("INSERT INTO t").as_deref(), Some("INSERT"));
        assert_eq!(operation_name("  ").as_deref(), None);
    }

    #[test]
    fn collections() {
        let c = |sql: &str| collection_name(&sanitize(sql), &operation_name(sql).unwrap());
        assert_eq!(
            c("SELECT a FROM db.t WHERE x = 'from y'").as_deref(),
            Some("db.t")
        );
        assert_eq!(c("select * from `my t`").as_deref(), Some("my"));
        assert_eq!(c("SELECT number FROM numbers(10)"), None);
        assert_eq!(c("SELECT 1 FROM (SELECT 2)"), None);
        assert_eq!(c("SELECT 1"), None);
        assert_eq!(c("INSERT INTO t (a) FORMAT Native").as_deref(), Some("t"));
        assert_eq!(c("insert into table d.t values").as_deref(), Some("d.t"));
        assert_eq!(
            c("CREATE TABLE IF NOT EXISTS h.e (x UInt8) ENGINE = Memory").as_deref(),
            Some("h.e")
        );
        assert_eq!(c("DROP TABLE IF EXISTS e").as_deref(), Some("e"));
        assert_eq!(c("KILL QUERY WHERE 1"), None);
    }

    #[test]
    fn sanitizes_literals() {
        assert_eq!(
            sanitize("SELECT 'se''cr\\'et', 42, 1.5e3, x1, `a 'b'` FROM t WHERE y = {p:String}"),
            "SELECT ?, ?, ?, x1, `a 'b'` FROM t WHERE y = {p:String}"
        );
        assert_eq!(
            sanitize("CREATE USER u IDENTIFIED BY 'hunter2' -- secret\n"),
            "CREATE USER u IDENTIFIED BY ? \n"
        );
        assert_eq!(sanitize("SELECT $$x$$, $t$ y $t$, $1"), "SELECT ?, ?, $?");
        assert_eq!(sanitize("SELECT /* 'a' */ 'é', \"c\""), "SELECT  ?, \"c\"");
        assert_eq!(sanitize("SELECT 'unterminated"), "SELECT ?");
        for cut in 0..30 {
            let s = "SELECT 'ab\\'c', $$d$$ -- x";
            if s.is_char_boundary(cut) {
                sanitize(&s[..cut]);
            }
        }
    }
}
