//! OpenTelemetry: span fields and parent links (in-memory exporter, real server), the
//! `traceparent` header (a loopback listener that captures the request head), the native
//! Query packet's trace context (a recording proxy in front of the native port), metrics.
//!
//! The providers are process-global, so they are installed once and every case filters the
//! exported spans by the trace id of its own parent span.

use std::io::Write;
use std::sync::{Arc, OnceLock};

use chwire::{Compression, Value};
use chwire_rt::{Runtime, RuntimeExt};
use chwire_tests::{Transport, client_builder, unique_name};
use opentelemetry::context::FutureExt;
use opentelemetry::trace::{SpanKind, Status, TraceContextExt, TraceId, Tracer};
use opentelemetry::{Context, Value as OtelValue, global};
use opentelemetry_sdk::metrics::{InMemoryMetricExporter, PeriodicReader, SdkMeterProvider};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};

struct Otel {
    spans: InMemorySpanExporter,
    metrics: InMemoryMetricExporter,
    meter_provider: SdkMeterProvider,
}

fn otel() -> &'static Otel {
    static OTEL: OnceLock<Otel> = OnceLock::new();
    OTEL.get_or_init(|| {
        let spans = InMemorySpanExporter::default();
        let tracer_provider = SdkTracerProvider::builder()
            .with_simple_exporter(spans.clone())
            .build();
        global::set_tracer_provider(tracer_provider);
        global::set_text_map_propagator(TraceContextPropagator::new());
        let metrics = InMemoryMetricExporter::default();
        let meter_provider = SdkMeterProvider::builder()
            .with_reader(PeriodicReader::builder(metrics.clone()).build())
            .build();
        global::set_meter_provider(meter_provider.clone());
        Otel {
            spans,
            metrics,
            meter_provider,
        }
    })
}

/// A parent span of the test's own (new) trace.
fn parent_context(name: &'static str) -> Context {
    let span = global::tracer("chwire-tests").start(name);
    Context::current_with_span(span)
}

fn spans_of(trace: TraceId) -> Vec<SpanData> {
    otel()
        .spans
        .get_finished_spans()
        .unwrap()
        .into_iter()
        .filter(|s| s.span_context.trace_id() == trace)
        .collect()
}

fn attr<'a>(span: &'a SpanData, key: &str) -> Option<&'a OtelValue> {
    span.attributes
        .iter()
        .find(|kv| kv.key.as_str() == key)
        .map(|kv| &kv.value)
}

fn attr_str(span: &SpanData, key: &str) -> Option<String> {
    attr(span, key).map(|v| v.as_str().into_owned())
}

fn attr_i64(span: &SpanData, key: &str) -> Option<i64> {
    match attr(span, key)? {
        OtelValue::I64(n) => Some(*n),
        _ => None,
    }
}

fn find<'a>(spans: &'a [SpanData], name: &str) -> &'a SpanData {
    spans.iter().find(|s| s.name == name).unwrap_or_else(|| {
        let names: Vec<_> = spans.iter().map(|s| s.name.clone()).collect();
        panic!("no span {name:?} among {names:?}")
    })
}

const SECRET: &str = "s3cret-literal-9431";
const PASSWORD: &str = "pw-never-in-spans-7719";

#[chwire_tests::case]
pub async fn spans_and_parent_links(rt: Arc<dyn Runtime>, transport: Transport) {
    otel();
    let table = unique_name("otel_t");
    let cx = parent_context("test parent");
    let trace = cx.span().span_context().trace_id();
    let parent_id = cx.span().span_context().span_id();
    let c = client_builder(rt.clone(), transport)
        .database("default")
        .build()
        .unwrap();
    let wrong = client_builder(rt.clone(), transport)
        .user("default")
        .password(PASSWORD)
        .build()
        .unwrap();
    async {
        let (_, rows) = c
            .query(format!(
                "SELECT number, '{SECRET}' FROM system.numbers LIMIT 10"
            ))
            .fetch_all_rows()
            .await
            .unwrap();
        assert_eq!(rows.len(), 10);
        let e = c
            .query("SELECT * FROM no_such_table_for_otel")
            .execute()
            .await
            .unwrap_err();
        assert_eq!(e.server_code(), Some(60));
        assert!(wrong.query("SELECT 1").execute().await.is_err());
        c.query(format!("CREATE TABLE {table} (x UInt64) ENGINE = Memory"))
            .execute()
            .await
            .unwrap();
        let block = c
            .query("SELECT number AS x FROM numbers(7)")
            .fetch_all_blocks()
            .await
            .unwrap()
            .remove(0);
        c.insert_block(table.as_str(), block).await.unwrap();
        // A large (off-loop decoded) stream ends its span when it ends...
        let mut s = c
            .query("SELECT number FROM numbers(1000000)")
            .fetch_blocks()
            .await
            .unwrap();
        let mut n = 0;
        while let Some(b) = s.next().await {
            n += b.unwrap().rows;
        }
        assert_eq!(n, 1_000_000);
        assert!(s.stats().offloaded);
        drop(s);
        // ... and a dropped one when it is dropped.
        let mut s = c
            .query("SELECT number FROM system.numbers")
            .fetch_blocks()
            .await
            .unwrap();
        s.next().await.unwrap().unwrap();
        drop(s);
    }
    .with_context(cx.clone())
    .await;
    cx.span().end();

    let spans = spans_of(trace);
    for s in spans.iter().filter(|s| s.name != "test parent") {
        assert_eq!(s.parent_span_id, parent_id, "{}", s.name);
        assert_eq!(s.span_kind, SpanKind::Client, "{}", s.name);
        assert_eq!(attr_str(s, "db.system.name").as_deref(), Some("clickhouse"));
        assert_eq!(attr_str(s, "server.address").as_deref(), Some("127.0.0.1"));
        assert!(attr_i64(s, "server.port").is_some(), "{}", s.name);
        // Neither the password nor the literal appear anywhere.
        let text = format!("{:?} {:?}", s.attributes, s.status);
        assert!(!text.contains(PASSWORD), "{text}");
        assert!(!text.contains(SECRET), "{text}");
    }

    let select = spans
        .iter()
        .find(|s| attr(s, "db.response.returned_rows") == Some(&OtelValue::I64(10)))
        .expect("span of the 10-row select");
    assert_eq!(select.name, "SELECT system.numbers");
    assert_eq!(
        attr_str(select, "db.operation.name").as_deref(),
        Some("SELECT")
    );
    assert_eq!(attr_str(select, "db.namespace").as_deref(), Some("default"));
    assert_eq!(
        attr_str(select, "db.query.text").as_deref(),
        Some("SELECT number, ? FROM system.numbers LIMIT ?")
    );
    assert_eq!(attr_i64(select, "db.response.returned_rows"), Some(10));
    assert!(attr_str(select, "clickhouse.query_id").is_some());
    assert_eq!(select.status, Status::Unset);

    let failed = find(&spans, "SELECT no_such_table_for_otel");
    assert_eq!(
        attr_str(failed, "db.response.status_code").as_deref(),
        Some("60")
    );
    assert_eq!(
        attr_str(failed, "error.type").as_deref(),
        Some("UNKNOWN_TABLE")
    );
    assert!(matches!(failed.status, Status::Error { .. }));

    // 516 AUTHENTICATION_FAILED, or 194 REQUIRED_PASSWORD on some versions.
    let auth = spans
        .iter()
        .find(|s| attr_str(s, "db.response.status_code").is_some_and(|c| c == "516" || c == "194"))
        .expect("span of the failed login");
    assert!(attr_str(auth, "error.type").is_some());

    let insert = find(&spans, &format!("INSERT {table}"));
    assert_eq!(attr_i64(insert, "clickhouse.written_rows"), Some(7));

    let big = spans
        .iter()
        .find(|s| attr_i64(s, "db.response.returned_rows") == Some(1_000_000))
        .expect("span of the 1M-row stream");
    assert_eq!(big.name, "SELECT");
    assert_eq!(attr(big, "chwire.cancelled"), None);

    let dropped = spans
        .iter()
        .find(|s| attr(s, "chwire.cancelled").is_some())
        .expect("span of the dropped stream");
    assert_eq!(
        attr_str(dropped, "db.query.text").as_deref(),
        Some("SELECT number FROM system.numbers")
    );

    c.query(format!("DROP TABLE {table}"))
        .execute()
        .await
        .unwrap();
}

/// A loopback "server" that records one request head and answers an empty ClickHouse-like
/// response. Returns its port and the recorded head.
fn capture_one_request() -> (u16, std::thread::JoinHandle<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (mut sock, _) = listener.accept().unwrap();
        let crate::peer::Request { head, query_id } = crate::peer::read_request(&mut sock);
        // The response names the request's query id, as the server's does.
        sock.write_all(
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-ClickHouse-Query-Id: {query_id}\r\n\
                 X-ClickHouse-Summary: {{\"read_rows\":\"0\"}}\r\nContent-Length: 0\r\n\
                 Connection: close\r\n\r\n"
            )
            .as_bytes(),
        )
        .unwrap();
        head
    });
    (port, handle)
}

#[chwire_tests::case]
pub async fn traceparent_header(rt: Arc<dyn Runtime>) {
    otel();
    let (port, server) = capture_one_request();
    let c = chwire::Client::builder(rt.clone())
        .url(format!("http://127.0.0.1:{port}"))
        .user("default")
        .password(PASSWORD)
        .compression(Compression::None)
        .build()
        .unwrap();
    let cx = parent_context("traceparent parent");
    let trace = cx.span().span_context().trace_id();
    let summary = c
        .query("SELECT 1")
        .execute()
        .with_context(cx.clone())
        .await
        .unwrap();
    cx.span().end();
    let head = rt
        .run_blocking(move || server.join().unwrap())
        .await
        .unwrap();
    assert!(
        head.contains(&format!("query_id={}", summary.query_id)),
        "{head}"
    );
    let spans = spans_of(trace);
    let span = find(&spans, "SELECT");
    let traceparent = head
        .lines()
        .find_map(|l| l.strip_prefix("traceparent: "))
        .unwrap_or_else(|| panic!("no traceparent in {head}"));
    assert_eq!(
        traceparent,
        format!("00-{}-{}-01", trace, span.span_context.span_id()),
        "{head}"
    );
}

/// A proxy in front of the native port that forwards one connection both ways and keeps
/// what the client sent. Returns its port and the captured bytes.
fn native_recording_proxy() -> (u16, Arc<std::sync::Mutex<Vec<u8>>>) {
    use std::io::Read;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let sent = Arc::new(std::sync::Mutex::new(Vec::new()));
    let captured = Arc::clone(&sent);
    std::thread::spawn(move || {
        let (mut client, _) = listener.accept().unwrap();
        let mut server = std::net::TcpStream::connect(chwire_tests::tcp_addr()).unwrap();
        let (mut client_w, mut server_r) =
            (client.try_clone().unwrap(), server.try_clone().unwrap());
        std::thread::spawn(move || std::io::copy(&mut server_r, &mut client_w));
        let mut buf = [0u8; 16 << 10];
        loop {
            let n = match client.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            // Kept before it is forwarded: the answer cannot come before the capture.
            captured.lock().unwrap().extend_from_slice(&buf[..n]);
            if server.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = server.shutdown(std::net::Shutdown::Both);
    });
    (port, sent)
}

/// Over native the trace context travels in the Query packet's `ClientInfo`: the bytes the
/// client sent carry the trace id and chwire's span id, as the server reads them (flag 1,
/// then each 8-byte half of the W3C trace id and the span id as little-endian integers).
#[chwire_tests::case]
pub async fn native_query_packet_carries_trace_context(rt: Arc<dyn Runtime>) {
    otel();
    let (port, sent) = native_recording_proxy();
    let c = chwire::Client::builder(rt.clone())
        .url(format!("clickhouse://127.0.0.1:{port}?compress=none"))
        .build()
        .unwrap();
    let cx = parent_context("native trace parent");
    let trace = cx.span().span_context().trace_id();
    let (_, rows) = c
        .query("SELECT 40 + 2")
        .fetch_all_rows()
        .with_context(cx.clone())
        .await
        .unwrap();
    cx.span().end();
    assert_eq!(rows, vec![vec![Value::UInt16(42)]]);
    let spans = spans_of(trace);
    let span = find(&spans, "SELECT");
    let mut expected = vec![1u8];
    let trace_bytes = trace.to_bytes();
    for half in trace_bytes.chunks(8) {
        expected.extend(half.iter().rev());
    }
    expected.extend(span.span_context.span_id().to_bytes().iter().rev());
    let sent = sent.lock().unwrap().clone();
    assert!(
        sent.windows(expected.len()).any(|w| w == expected),
        "the Query packet does not carry trace {trace} / span {}",
        span.span_context.span_id()
    );
}

#[chwire_tests::case]
pub async fn metrics_exported(rt: Arc<dyn Runtime>, transport: Transport) {
    let o = otel();
    let c = client_builder(rt, transport).build().unwrap();
    let (_, rows) = c
        .query("SELECT count() FROM numbers(100)")
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(rows, vec![vec![Value::UInt64(100)]]);
    o.meter_provider.force_flush().unwrap();
    let exported = o.metrics.get_finished_metrics().unwrap();
    let names: std::collections::HashSet<String> = exported
        .iter()
        .flat_map(|rm| rm.scope_metrics())
        .flat_map(|sm| sm.metrics())
        .map(|m| m.name().to_owned())
        .collect();
    for name in [
        "db.client.operation.duration",
        "chwire.rows.read",
        "chwire.rows.returned",
        "db.client.connection.count",
    ] {
        assert!(names.contains(name), "{name} missing from {names:?}");
    }
    drop(c);
}
