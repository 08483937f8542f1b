//! The `tracing` backend (feature `tracing`): each request's span as a `tracing` span with the
//! OpenTelemetry attribute names as fields, so any subscriber sees them and
//! `tracing-opentelemetry` exports them to whatever OpenTelemetry version the application uses.

use std::sync::atomic::{AtomicU64, Ordering};

use tracing::field::Empty;

use super::{Outcome, QuerySummary, QueryText, SpanInfo, error_description, error_type};

/// A request's `tracing` span (none when no subscriber wants it).
#[derive(Debug, Default)]
pub(crate) struct Span(Option<Box<Active>>);

#[derive(Debug)]
struct Active {
    span: tracing::Span,
    query_text: QueryText,
    returned_rows: AtomicU64,
}

/// A retry, as an event in the caller's span.
pub(crate) fn retry(reason: &'static str) {
    tracing::info!(target: "chwire", { "chwire.retry.reason" = reason }, "chwire.retry");
}

impl Span {
    /// The span described by `info`, a child of the caller's current span.
    pub(crate) fn start(query_text: QueryText, info: &SpanInfo) -> Span {
        let span = tracing::info_span!(
            target: "chwire",
            "clickhouse",
            otel.name = %info.name,
            otel.kind = "client",
            otel.status_code = Empty,
            otel.status_description = Empty,
            db.system.name = "clickhouse",
            db.namespace = info.database.as_deref(),
            db.operation.name = info.operation.as_deref(),
            db.collection.name = info.collection.as_deref(),
            db.query.text = info.query_text.as_deref(),
            server.address = Empty,
            server.port = Empty,
            db.response.returned_rows = Empty,
            db.response.status_code = Empty,
            error.type = Empty,
            clickhouse.query_id = Empty,
            clickhouse.read_rows = Empty,
            clickhouse.read_bytes = Empty,
            clickhouse.written_rows = Empty,
            clickhouse.written_bytes = Empty,
            chwire.cancelled = Empty,
        );
        if span.is_disabled() {
            return Span(None);
        }
        Span(Some(Box::new(Active {
            span,
            query_text,
            returned_rows: AtomicU64::new(0),
        })))
    }

    pub(crate) fn set_endpoint(&self, host: &str, port: u16) {
        if let Some(a) = &self.0 {
            a.span
                .record("server.address", host.trim_matches(['[', ']']))
                .record("server.port", port);
        }
    }

    pub(crate) fn set_summary(&self, s: &QuerySummary) {
        if let Some(a) = &self.0 {
            a.span
                .record("clickhouse.query_id", s.query_id.as_str())
                .record("clickhouse.read_rows", s.read_rows)
                .record("clickhouse.read_bytes", s.read_bytes)
                .record("clickhouse.written_rows", s.written_rows)
                .record("clickhouse.written_bytes", s.written_bytes);
        }
    }

    pub(crate) fn add_returned_rows(&self, rows: u64) {
        if let Some(a) = &self.0 {
            a.returned_rows.fetch_max(rows, Ordering::Relaxed);
        }
    }

    pub(crate) fn end(mut self, outcome: Outcome<'_>) {
        self.finish(outcome);
    }

    fn finish(&mut self, outcome: Outcome<'_>) {
        let Some(a) = self.0.take() else {
            return;
        };
        let span = &a.span;
        span.record(
            "db.response.returned_rows",
            a.returned_rows.load(Ordering::Relaxed),
        );
        match outcome {
            Outcome::Ok => {}
            Outcome::Cancelled => {
                span.record("chwire.cancelled", true);
            }
            Outcome::Failed(e) => {
                if let Some(code) = e.server_code() {
                    span.record("db.response.status_code", code.to_string());
                }
                span.record("error.type", error_type(e))
                    .record("otel.status_code", "ERROR")
                    .record(
                        "otel.status_description",
                        error_description(a.query_text, e),
                    );
            }
        }
        // The span closes when the last handle to it goes: here.
    }
}

impl Drop for Span {
    fn drop(&mut self) {
        self.finish(Outcome::Cancelled);
    }
}
