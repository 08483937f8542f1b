//! `tracing` spans (feature `tracing`): every query is a span with the OpenTelemetry
//! semantic-convention fields, a child of the caller's span — for any subscriber, and through
//! `tracing-opentelemetry` for any OpenTelemetry version. Here a `fmt` subscriber writes each
//! span when it closes, into a buffer the example then checks.
//! `cargo run -p chwire-examples --example tracing`.

use std::io::Write;
use std::sync::{Arc, Mutex};

use chwire::Client;
use chwire_examples::{BoxError, server_url};
use tracing::Instrument;
use tracing_subscriber::fmt::format::FmtSpan;

/// Where the subscriber writes (a service would write to stdout or export).
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let out = Buffer::default();
    let writer = out.clone();
    tracing_subscriber::fmt()
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    let rows = client
        .query("SELECT number FROM numbers(3)")
        .fetch_all_rows()
        .instrument(tracing::info_span!("handle_request"))
        .await?
        .1;
    assert_eq!(rows.len(), 3);

    let text = String::from_utf8(out.0.lock().unwrap().clone())?;
    let span = text
        .lines()
        .find(|l| l.contains("handle_request:clickhouse") && l.contains("close"))
        .ok_or("no closed clickhouse span under handle_request")?;
    for field in [
        "otel.name=SELECT ",
        "db.system.name=\"clickhouse\"",
        "db.response.returned_rows=3",
    ] {
        assert!(span.contains(field), "{field} missing in: {span}");
    }
    println!("tracing: {span}");
    Ok(())
}
