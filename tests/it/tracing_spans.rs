//! The `tracing` feature: every query and insert is a `tracing` span with the OpenTelemetry
//! semantic-convention fields, a child of the caller's span, closed when the request ends
//! (streams: when they end or are dropped). A small recording subscriber keeps only the spans
//! under a test's own root span, so the other cases running meanwhile do not disturb it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use chwire::Runtime;
use chwire_tests::{Transport, client_builder, unique_name};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Instrument, Metadata, Subscriber};

#[derive(Debug, Clone, Default)]
struct Recorded {
    name: String,
    parent: Option<u64>,
    fields: HashMap<String, String>,
    refs: usize,
    closed: bool,
}

#[derive(Default)]
struct Recorder {
    next: AtomicU64,
    spans: Mutex<HashMap<u64, Recorded>>,
}

thread_local! {
    static ENTERED: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

struct Fields<'a>(&'a mut HashMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let parent = match attrs.parent() {
            Some(p) => Some(p.into_u64()),
            None if attrs.is_contextual() => ENTERED.with(|e| e.borrow().last().copied()),
            None => None,
        };
        let name = attrs.metadata().name().to_string();
        let mut spans = self.spans.lock().unwrap();
        // Kept: the tests' roots and spans directly under a kept root.
        let under_root = parent.is_some_and(|p| {
            spans
                .get(&p)
                .is_some_and(|r| r.name == "test_root" && r.parent.is_none())
        });
        if name == "test_root" || under_root {
            let mut fields = HashMap::new();
            attrs.record(&mut Fields(&mut fields));
            spans.insert(
                id,
                Recorded {
                    name,
                    parent: if under_root { parent } else { None },
                    fields,
                    refs: 1,
                    closed: false,
                },
            );
        }
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some(r) = self.spans.lock().unwrap().get_mut(&span.into_u64()) {
            values.record(&mut Fields(&mut r.fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, span: &Id) {
        ENTERED.with(|e| e.borrow_mut().push(span.into_u64()));
    }

    fn exit(&self, span: &Id) {
        ENTERED.with(|e| {
            let mut e = e.borrow_mut();
            if let Some(i) = e.iter().rposition(|x| *x == span.into_u64()) {
                e.remove(i);
            }
        });
    }

    fn clone_span(&self, span: &Id) -> Id {
        if let Some(r) = self.spans.lock().unwrap().get_mut(&span.into_u64()) {
            r.refs += 1;
        }
        span.clone()
    }

    fn try_close(&self, span: Id) -> bool {
        let mut spans = self.spans.lock().unwrap();
        let Some(r) = spans.get_mut(&span.into_u64()) else {
            return false;
        };
        r.refs -= 1;
        r.closed = r.refs == 0;
        r.closed
    }
}

fn recorder() -> &'static Recorder {
    static R: OnceLock<&'static Recorder> = OnceLock::new();
    R.get_or_init(|| {
        let r: &'static Recorder = Box::leak(Box::default());
        tracing::subscriber::set_global_default(Forward(r)).expect("no other global subscriber");
        r
    })
}

/// The global subscriber, forwarding to the leaked recorder the tests read.
struct Forward(&'static Recorder);

impl Subscriber for Forward {
    fn enabled(&self, m: &Metadata<'_>) -> bool {
        self.0.enabled(m)
    }
    fn new_span(&self, a: &Attributes<'_>) -> Id {
        self.0.new_span(a)
    }
    fn record(&self, s: &Id, v: &Record<'_>) {
        self.0.record(s, v)
    }
    fn record_follows_from(&self, s: &Id, f: &Id) {
        self.0.record_follows_from(s, f)
    }
    fn event(&self, e: &Event<'_>) {
        self.0.event(e)
    }
    fn enter(&self, s: &Id) {
        self.0.enter(s)
    }
    fn exit(&self, s: &Id) {
        self.0.exit(s)
    }
    fn clone_span(&self, s: &Id) -> Id {
        self.0.clone_span(s)
    }
    fn try_close(&self, s: Id) -> bool {
        self.0.try_close(s)
    }
}

/// The spans recorded under the root whose `case` field is `case`.
fn children_of(case: &str) -> Vec<Recorded> {
    let spans = recorder().spans.lock().unwrap();
    let root = spans
        .iter()
        .find(|(_, r)| {
            r.name == "test_root" && r.fields.get("case").map(String::as_str) == Some(case)
        })
        .map(|(id, _)| *id)
        .expect("the test's root span");
    spans
        .values()
        .filter(|r| r.parent == Some(root))
        .cloned()
        .collect()
}

fn field<'a>(r: &'a Recorded, name: &str) -> Option<&'a str> {
    r.fields.get(name).map(String::as_str)
}

#[chwire_tests::case]
pub async fn tracing_spans_carry_the_conventions(rt: Arc<dyn Runtime>, transport: Transport) {
    recorder();
    let case = unique_name("tracing_case");
    let table = unique_name("tracing_t");
    let c = client_builder(rt, transport).build().unwrap();
    let root = tracing::info_span!("test_root", case = %case);
    let query_id = unique_name("tracing_q");
    async {
        c.query(format!("CREATE TABLE {table} (x UInt64) ENGINE = Memory"))
            .execute()
            .await
            .unwrap();
        let (_, rows) = c
            .query("SELECT number FROM system.numbers LIMIT 7 -- 's3cret'")
            .query_id(&query_id)
            .fetch_all_rows()
            .await
            .unwrap();
        assert_eq!(rows.len(), 7);
        let e = c
            .query("SELECT * FROM no_such_table_for_tracing")
            .execute()
            .await
            .unwrap_err();
        assert_eq!(e.server_code(), Some(60));
        let mut s = c
            .query("SELECT number FROM system.numbers")
            .fetch_blocks()
            .await
            .unwrap();
        s.next().await.unwrap().unwrap();
        drop(s);
    }
    .instrument(root.clone())
    .await;
    drop(root);

    let spans = children_of(&case);
    assert_eq!(spans.len(), 4, "{spans:#?}");
    for s in &spans {
        assert_eq!(s.name, "clickhouse");
        assert!(s.closed, "every request span is closed: {s:?}");
        assert_eq!(field(s, "otel.kind"), Some("client"));
        assert_eq!(field(s, "db.system.name"), Some("clickhouse"));
        assert_eq!(field(s, "server.address"), Some("127.0.0.1"));
        assert!(field(s, "server.port").is_some_and(|p| p.parse::<u16>().is_ok()));
        assert!(!format!("{s:?}").contains("s3cret"), "{s:?}");
    }
    let by_name = |n: &str| {
        spans
            .iter()
            .filter(|s| field(s, "otel.name") == Some(n))
            .collect::<Vec<_>>()
    };
    let create = by_name(&format!("CREATE {table}"));
    assert_eq!(create.len(), 1, "{spans:#?}");
    assert_eq!(field(create[0], "db.operation.name"), Some("CREATE"));
    let select = spans
        .iter()
        .find(|s| field(s, "clickhouse.query_id") == Some(query_id.as_str()))
        .expect("the select's span");
    assert_eq!(field(select, "otel.name"), Some("SELECT system.numbers"));
    assert_eq!(field(select, "db.operation.name"), Some("SELECT"));
    assert_eq!(field(select, "db.collection.name"), Some("system.numbers"));
    assert_eq!(field(select, "db.response.returned_rows"), Some("7"));
    assert_eq!(
        field(select, "db.query.text"),
        Some("SELECT number FROM system.numbers LIMIT ? "),
        "the sanitized text, literals and the comment removed"
    );
    assert_eq!(field(select, "otel.status_code"), None);
    let failed = by_name("SELECT no_such_table_for_tracing");
    assert_eq!(failed.len(), 1, "{spans:#?}");
    assert_eq!(field(failed[0], "error.type"), Some("UNKNOWN_TABLE"));
    assert_eq!(field(failed[0], "db.response.status_code"), Some("60"));
    assert_eq!(field(failed[0], "otel.status_code"), Some("ERROR"));
    let dropped = spans
        .iter()
        .find(|s| field(s, "chwire.cancelled") == Some("true"))
        .expect("the dropped stream's span");
    assert_eq!(field(dropped, "otel.name"), Some("SELECT system.numbers"));
}
