//! What only the native transport has or must get right: its DSN options, an insert right
//! after a failed one on the same pooled connection, many blocks in one insert, progress from
//! every Progress packet, and a pooled connection reused after an error.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chwire::{Block, Client, Column, DataType, Value};
use chwire_rt::Runtime;
use chwire_tests::{native_url, unique_name};

use crate::query::DB;

fn numbers(from: u64, rows: u64) -> Block {
    let column = Column::from_values(&DataType::UInt64, (from..from + rows).map(Value::UInt64));
    Block::new(vec![("x".into(), column.unwrap())]).unwrap()
}

async fn client(rt: Arc<dyn Runtime>, url: &str) -> Client {
    let c = Client::builder(rt).url(url).build().unwrap();
    c.query(format!("CREATE DATABASE IF NOT EXISTS {DB}"))
        .execute()
        .await
        .unwrap();
    c
}

/// `clickhouse://host:port/database?compress=…`: the path is the database the connection
/// logs in to; every compression option reads the same rows back.
#[chwire_tests::case]
pub async fn dsn_database_and_compression(rt: Arc<dyn Runtime>) {
    client(rt.clone(), &native_url()).await;
    for compress in ["lz4", "zstd", "none"] {
        let url = format!("{}/{DB}?compress={compress}", native_url());
        let c = Client::builder(rt.clone()).url(url).build().unwrap();
        let (_, rows) = c
            .query("SELECT currentDatabase(), sum(number) FROM numbers(100000)")
            .fetch_all_rows()
            .await
            .unwrap();
        assert_eq!(
            rows,
            vec![vec![
                Value::String(DB.as_bytes().to_vec()),
                Value::UInt64(4_999_950_000)
            ]],
            "{compress}"
        );
    }
    let e = Client::builder(rt.clone())
        .url(format!("{}?dial_timeout=1s", native_url()))
        .build()
        .unwrap_err();
    assert!(matches!(e, chwire::Error::Config(_)), "{e:?}");
}

/// A failed INSERT (a block the table cannot take) leaves the pooled connection reusable:
/// the next insert on it commits, and only its rows are stored. Then 10 000 blocks in one
/// insert arrive whole and in order.
#[chwire_tests::case]
pub async fn insert_after_failed_insert_and_many_blocks(rt: Arc<dyn Runtime>) {
    let c = Client::builder(rt.clone())
        .url(native_url())
        .pool_max_connections_per_host(1)
        .build()
        .unwrap();
    c.query(format!("CREATE DATABASE IF NOT EXISTS {DB}"))
        .execute()
        .await
        .unwrap();
    let t = format!("{DB}.{}", unique_name("native_ins"));
    c.query(format!(
        "CREATE TABLE {t} (x UInt64) ENGINE = MergeTree ORDER BY x"
    ))
    .execute()
    .await
    .unwrap();
    let bad = Block::new(vec![(
        "no_such_column".into(),
        Column::from_values(&DataType::UInt64, [Value::UInt64(1)]).unwrap(),
    )])
    .unwrap();
    let e = c.insert_block(&t, bad).await.unwrap_err();
    assert!(e.is_server(), "{e:?}");
    let s = c.insert_block(&t, numbers(0, 10)).await.unwrap();
    assert_eq!(s.written_rows, 10);
    assert_eq!(c.pool_stats().connects, 1, "{:?}", c.pool_stats());

    c.query(format!("TRUNCATE TABLE {t}"))
        .execute()
        .await
        .unwrap();
    let mut ins = c.insert_blocks(&t);
    for b in 0..10_000u64 {
        ins.write(numbers(b * 3, 3)).await.unwrap();
    }
    assert_eq!(ins.end().await.unwrap().written_rows, 30_000);
    let (_, rows) = c
        .query(format!("SELECT count(), sum(x), uniqExact(x) FROM {t}"))
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![vec![
            Value::UInt64(30_000),
            Value::UInt64(29_999 * 30_000 / 2),
            Value::UInt64(30_000)
        ]]
    );
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}

/// Progress comes from every Progress packet for the whole query (HTTP stops at the first
/// body byte): the last report has read every row.
#[chwire_tests::case]
pub async fn progress_for_the_whole_query(rt: Arc<dyn Runtime>) {
    let c = client(rt, &native_url()).await;
    let read = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&read);
    let mut blocks = c
        .query("SELECT number FROM numbers(3000000) SETTINGS max_block_size = 100000")
        .on_progress(std::time::Duration::from_millis(1), move |p| {
            seen.fetch_max(p.read_rows, Ordering::Relaxed);
        })
        .fetch_blocks()
        .await
        .unwrap();
    let mut rows = 0;
    while let Some(b) = blocks.next().await {
        rows += b.unwrap().rows;
    }
    assert_eq!(rows, 3_000_000);
    assert_eq!(read.load(Ordering::Relaxed), 3_000_000);
}

/// Server exceptions carry the code, its name and the server's stack trace; the connection
/// is reused after them.
#[chwire_tests::case]
pub async fn exceptions_carry_name_and_stack_trace(rt: Arc<dyn Runtime>) {
    let c = Client::builder(rt)
        .url(native_url())
        .pool_max_connections_per_host(1)
        .build()
        .unwrap();
    let e = c
        .query("SELECT * FROM no_such_db.t")
        .execute()
        .await
        .unwrap_err();
    let se = e.server_error().unwrap();
    assert_eq!(se.name.as_deref(), Some("UNKNOWN_DATABASE"), "{e}");
    assert!(
        se.stack_trace.as_deref().is_some_and(|s| !s.is_empty()),
        "{se:?}"
    );
    assert_eq!(se.http_status, None);
    let (_, rows) = c.query("SELECT 1").fetch_all_rows().await.unwrap();
    assert_eq!(rows, vec![vec![Value::UInt8(1)]]);
    assert_eq!(c.pool_stats().connects, 1);
}

/// What only HTTP has is refused over native before anything is sent, never silently
/// dropped: access tokens and custom headers at `build()`, a session, roles and a
/// preformatted body per request (`Error::NotAvailable`).
#[chwire_tests::case]
pub async fn http_only_features_are_refused(rt: Arc<dyn Runtime>) {
    let url = native_url();
    let token = Client::builder(rt.clone())
        .url(&url)
        .access_token("t")
        .build();
    assert!(matches!(token, Err(chwire::Error::Config(_))), "{token:?}");
    let header = Client::builder(rt.clone())
        .url(&url)
        .header("x-team", "a")
        .build();
    assert!(
        matches!(header, Err(chwire::Error::Config(_))),
        "{header:?}"
    );
    let c = client(rt, &url).await;
    let not_available = |r: chwire::Result<_>| match r {
        Err(chwire::Error::NotAvailable { protocol, .. }) => assert_eq!(protocol, "native"),
        other => panic!("expected NotAvailable, got {other:?}"),
    };
    not_available(c.session().query("SELECT 1").execute().await);
    not_available(c.query("SELECT 1").role("r").execute().await);
    not_available(c.query("SELECT 1").header("x-team", "a").execute().await);
    let t = unique_name("native_fmt");
    c.query(format!("CREATE TABLE {DB}.{t} (x UInt64) ENGINE = Memory"))
        .execute()
        .await
        .unwrap();
    let body = futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from("1\n"))]);
    not_available(
        c.insert_formatted(format!("{DB}.{t}"), "CSV")
            .from_stream(body)
            .await,
    );
    // An insert's own headers and roles are HTTP's too.
    let block = || {
        chwire::Block::new(vec![(
            "x".into(),
            chwire::Column::new(chwire::DataType::UInt64, chwire::ColumnData::U64(vec![1]))
                .unwrap(),
        )])
        .unwrap()
    };
    for insert in [
        c.insert_blocks(format!("{DB}.{t}")).header("x-team", "a"),
        c.insert_blocks(format!("{DB}.{t}")).role("r"),
    ] {
        let mut insert = insert;
        let written = match insert.write(block()).await {
            Ok(()) => insert.end().await,
            Err(e) => Err(e),
        };
        not_available(written);
    }
    // Nothing reached the table, and the connection is fine.
    let (_, rows) = c
        .query(format!("SELECT count() FROM {DB}.{t}"))
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(rows[0][0], Value::UInt64(0));
}
