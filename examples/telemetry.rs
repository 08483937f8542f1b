//! OpenTelemetry (feature `opentelemetry`): every query is a client span, and the server gets
//! the trace context. Spans go to an in-memory exporter here (a service would use OTLP).
//! `cargo run -p chwire-examples --example telemetry`.

use chwire::Client;
use chwire::opentelemetry::context::FutureExt;
use chwire::opentelemetry::global;
use chwire::opentelemetry::trace::{TraceContextExt, Tracer};
use chwire_examples::{BoxError, server_url};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    // Providers and the propagator first, then the client.
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    global::set_tracer_provider(provider.clone());
    global::set_text_map_propagator(TraceContextPropagator::new());
    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;

    let parent = global::tracer("example").start("handle request");
    let cx = chwire::opentelemetry::Context::current_with_span(parent);
    client
        .query("SELECT 1")
        .execute()
        .with_context(cx.clone())
        .await?;
    cx.span().end();
    provider.force_flush()?;

    let spans = exporter.get_finished_spans()?;
    let query = spans
        .iter()
        .find(|s| s.name == "SELECT")
        .ok_or("no SELECT span")?;
    let request = spans
        .iter()
        .find(|s| s.name == "handle request")
        .ok_or("no parent span")?;
    assert_eq!(query.parent_span_id, request.span_context.span_id());
    println!("telemetry: span {:?} under {:?}", query.name, request.name);
    Ok(())
}
