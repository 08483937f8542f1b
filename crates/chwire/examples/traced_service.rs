//! A traced service: each incoming "request" runs in a server span; its ClickHouse queries and
//! inserts become child client spans, and the server receives the trace context
//! (`traceparent`). The spans are collected in memory and printed as a tree at the end (a real
//! service would install an OTLP exporter instead). Run against a server:
//! `CHWIRE_HTTP_URL=http://127.0.0.1:8123 cargo run -p chwire --features opentelemetry --example traced_service`.

use std::sync::Arc;

use chwire::opentelemetry::context::FutureExt;
use chwire::opentelemetry::trace::{SpanKind, TraceContextExt, Tracer};
use chwire::opentelemetry::{Context, global};
use chwire::{Client, QueryText, Value};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider};

/// One unit of the service's work: a read and a write, traced under the caller's span.
async fn handle_request(client: &Client, user: u64) -> chwire::Result<u64> {
    let (_, rows) = client
        .query("SELECT count() FROM example_traced WHERE user = {u:UInt64}")
        .param("u", user)
        .fetch_all_rows()
        .await?;
    let seen = match rows[0][0] {
        Value::UInt64(n) => n,
        _ => 0,
    };
    let block = client
        .query("SELECT {u:UInt64} AS user, now64(3) AS at")
        .param("u", user)
        .fetch_all_blocks()
        .await?
        .remove(0);
    client.insert_block("example_traced", block).await?;
    Ok(seen + 1)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Providers first: chwire takes its tracer and meter when the client is built.
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    global::set_tracer_provider(provider.clone());
    global::set_text_map_propagator(TraceContextPropagator::new());

    let url = std::env::var("CHWIRE_HTTP_URL").unwrap_or_else(|_| "http://127.0.0.1:8123".into());
    let rt = Arc::new(chwire_tokio::TokioRuntime::from_handle(
        tokio::runtime::Handle::current(),
    ));
    let client = Client::builder(rt)
        .url(url)
        .query_text(QueryText::Sanitized)
        .kill_query_on_drop(true)
        .build()?;
    client
        .query(
            "CREATE TABLE IF NOT EXISTS example_traced (user UInt64, at DateTime64(3)) \
             ENGINE = MergeTree ORDER BY (user, at)",
        )
        .execute()
        .await?;

    let tracer = global::tracer("traced_service");
    for user in 1..=2u64 {
        let span = tracer
            .span_builder(format!("GET /users/{user}/visit"))
            .with_kind(SpanKind::Server)
            .start(&tracer);
        let cx = Context::current_with_span(span);
        // The request's context travels with its future, across tasks and threads.
        let visits = tokio::spawn(
            {
                let client = client.clone();
                async move { handle_request(&client, user).await }
            }
            .with_context(cx.clone()),
        )
        .await??;
        cx.span().end();
        println!("user {user}: {visits} visits");
    }

    let spans = exporter.get_finished_spans()?;
    for root in spans.iter().filter(|s| s.span_kind == SpanKind::Server) {
        println!("{} [trace {}]", root.name, root.span_context.trace_id());
        for child in spans
            .iter()
            .filter(|s| s.parent_span_id == root.span_context.span_id())
        {
            let attrs: Vec<String> = child
                .attributes
                .iter()
                .map(|kv| format!("{}={}", kv.key, kv.value))
                .collect();
            println!(
                "  └─ {} ({:?}) {}",
                child.name,
                child.span_kind,
                attrs.join(" ")
            );
        }
    }
    provider.shutdown()?;
    Ok(())
}
