//! The OpenTelemetry backend (feature `opentelemetry`, `opentelemetry` 0.33): spans through
//! the global tracer, trace context through the global propagator, metrics through the global
//! meter. The `telemetry` module docs list what is recorded.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use opentelemetry::global::{self, BoxedTracer};
use opentelemetry::metrics::{Counter, Histogram, ObservableUpDownCounter};
use opentelemetry::propagation::Injector;
use opentelemetry::trace::{SpanBuilder, SpanKind, Status, TraceContextExt, Tracer};
use opentelemetry::{Context, KeyValue};

use super::{
    Outcome, PoolStatsFn, QuerySummary, QueryText, SpanInfo, TelemetryConfig, TraceCarrier,
    error_description, error_type,
};

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
    /// Starts the span described by `info`, a child of the caller's current context.
    pub(crate) fn start(telemetry: &Telemetry, info: &SpanInfo) -> Span {
        let instruments = Arc::clone(&telemetry.0);
        let parent = Context::current();
        let mut metric_attrs = vec![KeyValue::new("db.system.name", "clickhouse")];
        if let Some(db) = &info.database {
            metric_attrs.push(KeyValue::new("db.namespace", db.clone()));
        }
        if let Some(o) = &info.operation {
            metric_attrs.push(KeyValue::new("db.operation.name", o.clone()));
        }
        let mut attrs = metric_attrs.clone();
        if let Some(c) = &info.collection {
            attrs.push(KeyValue::new("db.collection.name", c.clone()));
        }
        if let Some(text) = &info.query_text {
            attrs.push(KeyValue::new("db.query.text", text.clone()));
        }
        let builder = SpanBuilder::from_name(info.name.clone())
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

    pub(crate) fn end(mut self, outcome: Outcome<'_>) {
        self.finish(outcome);
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
                    span.set_attribute(KeyValue::new("db.response.status_code", code.to_string()));
                }
                span.set_attribute(KeyValue::new("error.type", kind.clone()));
                attrs.push(KeyValue::new("error.type", kind.clone()));
                span.set_status(Status::error(error_description(i.query_text, e)));
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

/// The propagator's view of a transport's [`TraceCarrier`].
struct Carrier<'a>(&'a mut dyn TraceCarrier);

impl Injector for Carrier<'_> {
    fn set(&mut self, key: &str, value: String) {
        self.0.set(key, value);
    }
}
