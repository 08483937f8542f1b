//! The newcomer's service (issue 16), written from the README and the API docs only: a table of
//! events with `DateTime64`, `UUID`, `Option<String>`, `Vec<u32>` and an enum; 100 000 rows
//! inserted typed; an `Inserter` shared by four tasks; a typed streaming select with a
//! parameter; error codes; OpenTelemetry spans. `cargo run -p chwire-examples --example service`.

use chwire::opentelemetry::global;
use chwire::{Client, Inserter, Row, error_codes};
use chwire_examples::{BoxError, create_table, server_url};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Click,
    View,
}

#[derive(Debug, Clone, PartialEq, Row, Serialize, Deserialize)]
struct Event {
    id: chwire::uuid::Uuid,
    #[serde(with = "chwire::serde_helpers::time::datetime64::micros")]
    at: OffsetDateTime,
    user: Option<String>,
    tags: Vec<u32>,
    kind: Kind,
}

const TABLE: &str = "example_service";

fn event(n: u64) -> Event {
    Event {
        id: chwire::uuid::Uuid::from_u128(u128::from(n) + 1),
        at: OffsetDateTime::from_unix_timestamp_nanos(
            1_700_000_000_000_000_000 + i128::from(n) * 1_000,
        )
        .expect("in range"),
        user: (n % 3 != 0).then(|| format!("user{}", n % 100)),
        tags: (0..(n % 4) as u32).collect(),
        kind: if n % 2 == 0 { Kind::Click } else { Kind::View },
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    global::set_tracer_provider(provider.clone());

    let client = Client::builder(chwire_tokio::runtime()?)
        .url(server_url())
        .build()?;
    create_table(
        &client,
        TABLE,
        "(id UUID, at DateTime64(6, 'UTC'), user Nullable(String), tags Array(UInt32), \
         kind Enum8('click' = 1, 'view' = 2)) ENGINE = MergeTree ORDER BY id",
    )
    .await?;

    // 100 000 rows, typed, in one insert.
    let mut insert = client.insert::<Event>(TABLE).await?;
    for n in 0..100_000 {
        insert.write(&event(n)).await?;
    }
    insert.end().await?;

    // 40 000 more through one Inserter shared by four tasks.
    let inserter = Inserter::builder(client.clone(), TABLE)
        .columns_of::<Event>()
        .await?
        .max_rows(10_000)
        .build()?;
    let mut tasks = Vec::new();
    for task in 0..4u64 {
        let inserter = inserter.clone();
        tasks.push(tokio::spawn(async move {
            for n in 0..10_000 {
                inserter
                    .write_row(&event(100_000 + task * 10_000 + n))
                    .await?;
            }
            Ok::<_, chwire::InserterError>(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let stats = inserter.end().await?;
    assert_eq!(stats.rows_committed, 40_000);

    // A typed stream with a parameter: every event of one user, checked against what was written.
    let mut cursor = client
        .query(format!(
            "SELECT * FROM {TABLE} WHERE user = {{user:String}} ORDER BY id"
        ))
        .param("user", "user7")
        .fetch::<Event>()
        .await?;
    let mut seen = 0u64;
    while let Some(row) = cursor.next().await {
        let row = row?;
        let n = (row.id.as_u128() - 1) as u64;
        assert_eq!(row, event(n));
        seen += 1;
    }
    let expected = (0..140_000u64)
        .filter(|n| n % 3 != 0 && n % 100 == 7)
        .count() as u64;
    assert_eq!(seen, expected);

    // Error codes are named constants.
    let e = client
        .query("SELECT * FROM example_service_missing")
        .execute()
        .await
        .unwrap_err();
    assert_eq!(e.server_code(), Some(error_codes::UNKNOWN_TABLE));

    // Each query and insert was a client span.
    provider.force_flush()?;
    let spans = exporter.get_finished_spans()?;
    // Spans are named `{operation} {table}` (OpenTelemetry's database conventions).
    let named = |name: &str| spans.iter().filter(|s| s.name == name).count();
    assert_eq!(named("SELECT example_service"), 2);
    assert_eq!(
        named("INSERT example_service"),
        1 + stats.batches_committed as usize
    );
    println!(
        "service: 140000 rows, {seen} rows of user7, {} spans",
        spans.len()
    );
    Ok(())
}
