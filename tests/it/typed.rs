//! Typed rows through the client: `insert::<T>` and `fetch::<T>` over every compression.

use std::sync::Arc;

use chwire_rt::Runtime;
use chwire_tests::{COMPRESSIONS, Transport, unique_name};
use serde::{Deserialize, Serialize};

use crate::query::{DB, client};

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Event {
    id: u64,
    name: String,
    tags: Vec<String>,
    score: Option<f64>,
}

#[chwire_tests::case]
pub async fn typed_roundtrip(rt: Arc<dyn Runtime>, transport: Transport) {
    for compression in COMPRESSIONS {
        let c = client(rt.clone(), transport, compression).await;
        let t = format!("{DB}.{}", unique_name("typed"));
        c.query(format!(
            "CREATE TABLE {t} (id UInt64, name String, tags Array(String), score Nullable(Float64), \
             extra UInt8 DEFAULT 7) ENGINE = MergeTree ORDER BY id"
        ))
        .execute()
        .await
        .unwrap();
        let rows: Vec<Event> = (0..100_000u64)
            .map(|i| Event {
                id: i,
                name: format!("event {i}"),
                tags: (0..i % 3).map(|k| format!("t{k}")).collect(),
                score: (i % 2 == 0).then_some(i as f64 / 4.0),
            })
            .collect();
        let mut ins = c.insert::<Event>(&t).await.unwrap();
        for r in &rows {
            ins.write(r).await.unwrap();
        }
        let s = ins.end().await.unwrap();
        assert_eq!(s.written_rows, 100_000, "{compression:?}");
        let back: Vec<Event> = c
            .query(format!("SELECT id, name, tags, score FROM {t} ORDER BY id"))
            .fetch_all()
            .await
            .unwrap();
        assert_eq!(back, rows, "{compression:?}");
        // Streaming, with the columns in another order (matched by name).
        let mut cur = c
            .query(format!(
                "SELECT score, tags, name, id FROM {t} WHERE id < 10 ORDER BY id"
            ))
            .fetch::<Event>()
            .await
            .unwrap();
        let mut n = 0;
        while let Some(e) = cur.next().await {
            assert_eq!(e.unwrap(), rows[n]);
            n += 1;
        }
        assert_eq!(n, 10);
        // A row type that does not fit the result is a typed error, not a panic.
        let e = c
            .query("SELECT 1 AS id")
            .fetch_all::<Event>()
            .await
            .unwrap_err();
        assert!(matches!(e, chwire::Error::Row(_)), "{e:?}");
        c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
    }
}

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Reading {
    id: u64,
    value: u32,
}

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct ReadingWide {
    id: u64,
    value: u64,
}

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct ReadingText {
    id: u64,
    value: String,
}

/// Typed inserts cache the table's columns per client. After an ALTER changes a column type,
/// the first insert whose rows no longer fit fails with a typed error and drops the entry; the
/// next insert reads the new columns. A row type that still fits the stale columns cannot
/// corrupt data either: the RowBinaryWithNamesAndTypes header makes the server reject it.
#[chwire_tests::case]
pub async fn schema_cache_follows_alter(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt, transport, chwire::Compression::Lz4).await;
    let t = format!("{DB}.{}", unique_name("schema"));
    c.query(format!(
        "CREATE TABLE {t} (id UInt64, value UInt32) ENGINE = MergeTree ORDER BY id"
    ))
    .execute()
    .await
    .unwrap();
    for id in 0..3u64 {
        let mut ins = c.insert::<Reading>(&t).await.unwrap();
        ins.write(&Reading { id, value: 7 }).await.unwrap();
        ins.end().await.unwrap();
    }
    c.query(format!("ALTER TABLE {t} MODIFY COLUMN value String"))
        .execute()
        .await
        .unwrap();
    // The cached columns still say UInt32: the first insert of the new row type fails with a
    // typed error naming the column (nothing reaches the table), and drops the cache entry.
    let mut ins = c.insert::<ReadingText>(&t).await.unwrap();
    let err = ins
        .write(&ReadingText {
            id: 99,
            value: "stale".into(),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&err, chwire::Error::Row(chwire::RowError::SchemaMismatch { column, .. }) if column == "value"),
        "{err:?}"
    );
    drop(ins);
    let mut ins = c.insert::<ReadingText>(&t).await.unwrap();
    ins.write(&ReadingText {
        id: 3,
        value: "seven".into(),
    })
    .await
    .unwrap();
    ins.end().await.unwrap();
    let back: Vec<ReadingText> = c
        .query(format!("SELECT id, value FROM {t} ORDER BY id"))
        .fetch_all()
        .await
        .unwrap();
    let values: Vec<&str> = back.iter().map(|r| r.value.as_str()).collect();
    assert_eq!(values, ["7", "7", "7", "seven"]);
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}

/// A stale cached schema that the row type still fits locally is rejected by the server
/// (the Native block's types no longer match the table, and typed inserts ask it not to
/// convert): an error, never misread rows; the next insert reads the new columns.
#[chwire_tests::case]
pub async fn stale_schema_is_rejected_by_the_server(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt, transport, chwire::Compression::None).await;
    let t = format!("{DB}.{}", unique_name("stale"));
    c.query(format!(
        "CREATE TABLE {t} (id UInt64, value UInt32) ENGINE = MergeTree ORDER BY id"
    ))
    .execute()
    .await
    .unwrap();
    let mut ins = c.insert::<Reading>(&t).await.unwrap();
    ins.write(&Reading { id: 1, value: 1 }).await.unwrap();
    ins.end().await.unwrap();
    c.query(format!("ALTER TABLE {t} MODIFY COLUMN value UInt64"))
        .execute()
        .await
        .unwrap();
    let mut ins = c.insert::<Reading>(&t).await.unwrap();
    ins.write(&Reading { id: 2, value: 2 }).await.unwrap();
    let err = ins.end().await.unwrap_err();
    // 53 TYPE_MISMATCH for the Native block's header (the default), 117 for RowBinary's.
    assert_eq!(err.server_code(), Some(53), "{err:?}");
    let back: Vec<Reading> = c
        .query(format!("SELECT id, toUInt32(value) AS value FROM {t}"))
        .fetch_all()
        .await
        .unwrap();
    assert_eq!(back, [Reading { id: 1, value: 1 }]);
    // The failed insert dropped the cached columns: the next one reads UInt64 and encodes a
    // row type that fits it.
    let mut ins = c.insert::<ReadingWide>(&t).await.unwrap();
    ins.write(&ReadingWide {
        id: 3,
        value: 1 << 40,
    })
    .await
    .unwrap();
    ins.end().await.unwrap();
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Answer {
    answer: u64,
}

/// `fetch_one`/`fetch_optional`: the first row, a typed "no rows" error, and an exception the
/// server sends after the first row is still reported.
#[chwire_tests::case]
pub async fn fetch_one_and_optional(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt, transport, chwire::Compression::Lz4).await;
    let one: Answer = c
        .query("SELECT toUInt64(42) AS answer")
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(one, Answer { answer: 42 });
    let first: Answer = c
        .query("SELECT number AS answer FROM numbers(10, 5)")
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(first.answer, 10);
    let none = c
        .query("SELECT number AS answer FROM numbers(0)")
        .fetch_one::<Answer>()
        .await
        .unwrap_err();
    assert!(matches!(none, chwire::Error::RowNotFound), "{none:?}");
    let optional = c
        .query("SELECT number AS answer FROM numbers(0)")
        .fetch_optional::<Answer>()
        .await
        .unwrap();
    assert_eq!(optional, None);
    let late = c
        .query(
            "SELECT number AS answer, throwIf(number = 200000) AS t FROM numbers(300000) \
             SETTINGS max_block_size = 1000",
        )
        .fetch_one::<AnswerWithFlag>()
        .await
        .unwrap_err();
    assert_eq!(late.server_code(), Some(395), "{late:?}");
}

#[derive(Debug, chwire::Row, Deserialize)]
struct BorrowedRow<'a> {
    id: u64,
    name: &'a str,
    #[serde(with = "serde_bytes")]
    raw: &'a [u8],
}

/// Rows borrowing from the cursor (`MyRow<'a>` with `&str` and `&[u8]` fields), as the
/// official crate allows: every row of a multi-batch result read back, both compressions;
/// `?fields` works with them; an owned row type through `next_borrowed` too.
#[chwire_tests::case]
pub async fn rows_borrow_from_the_cursor(rt: Arc<dyn Runtime>, transport: Transport) {
    for compression in [chwire::Compression::None, chwire::Compression::Lz4] {
        let c = client(rt.clone(), transport, compression).await;
        let mut cursor = c
            .query(
                "SELECT ?fields FROM (SELECT number AS id, toString(number) AS name,                  repeat('x', number % 5) AS raw FROM numbers(100000))",
            )
            .fetch::<BorrowedRow<'_>>()
            .await
            .unwrap();
        let (mut rows, mut sum) = (0u64, 0u64);
        while let Some(row) = cursor.next_borrowed().await {
            let row = row.unwrap();
            assert_eq!(row.name, row.id.to_string());
            assert_eq!(row.raw.len() as u64, row.id % 5);
            rows += 1;
            sum += row.id;
        }
        assert_eq!((rows, sum), (100_000, 99_999 * 100_000 / 2));
        let mut owned = c
            .query("SELECT toUInt64(7) AS answer")
            .fetch::<Answer>()
            .await
            .unwrap();
        assert_eq!(
            owned.next_borrowed().await.unwrap().unwrap(),
            Answer { answer: 7 }
        );
        assert!(owned.next_borrowed().await.is_none());
        // A borrowed field of the wrong type is the usual typed error.
        let mut wrong = c
            .query("SELECT toUInt64(1) AS id, 2 AS name, '' AS raw")
            .fetch::<BorrowedRow<'_>>()
            .await
            .unwrap();
        let e = wrong.next_borrowed().await.unwrap().unwrap_err();
        assert!(matches!(e, chwire::Error::Row(_)), "{e:?}");
    }
}

/// Single values and tuples are rows too (by position): `fetch_one::<u64>()` of a count,
/// tuples read and inserted, an optional value; a count mismatch is a typed error naming the
/// row type, and `?fields` needs named fields.
#[chwire_tests::case]
pub async fn single_values_and_tuples_as_rows(rt: Arc<dyn Runtime>, transport: Transport) {
    for compression in [chwire::Compression::None, chwire::Compression::Lz4] {
        let c = client(rt.clone(), transport, compression).await;
        let count: u64 = c
            .query("SELECT count() FROM numbers(10)")
            .fetch_one()
            .await
            .unwrap();
        assert_eq!(count, 10);
        let pairs: Vec<(u64, String)> = c
            .query("SELECT number, toString(number * 2) FROM numbers(3)")
            .fetch_all()
            .await
            .unwrap();
        assert_eq!(pairs, [(0, "0".into()), (1, "2".into()), (2, "4".into())]);
        let mut cursor = c
            .query("SELECT toNullable(toUInt32(number)) FROM numbers(2)")
            .fetch::<Option<u32>>()
            .await
            .unwrap();
        assert_eq!(cursor.next().await.unwrap().unwrap(), Some(0));
        assert_eq!(cursor.next().await.unwrap().unwrap(), Some(1));
        assert!(cursor.next().await.is_none());
        let wrong = c
            .query("SELECT 1, 2, 3")
            .fetch_one::<(u8, u8)>()
            .await
            .unwrap_err();
        assert!(
            matches!(&wrong, chwire::Error::Row(chwire::RowError::Columns { .. })),
            "{wrong:?}"
        );
        let fields = c
            .query("SELECT ?fields")
            .fetch_one::<u64>()
            .await
            .unwrap_err();
        assert!(matches!(fields, chwire::Error::Bind(_)), "{fields:?}");

        let table = format!("{DB}.{}", unique_name("tuple_rows"));
        c.query(format!(
            "CREATE TABLE {table} (id UInt64, name String, score Nullable(Float64)) ENGINE = Memory"
        ))
        .execute()
        .await
        .unwrap();
        let rows = [(1u64, "a".to_owned(), Some(0.5)), (2, "b".to_owned(), None)];
        let mut insert = c
            .insert::<(u64, String, Option<f64>)>(&table)
            .await
            .unwrap();
        for row in &rows {
            insert.write(row).await.unwrap();
        }
        insert.end().await.unwrap();
        let back: Vec<(u64, String, Option<f64>)> = c
            .query(format!("SELECT * FROM {table} ORDER BY id"))
            .fetch_all()
            .await
            .unwrap();
        assert_eq!(back, rows);
        // A tuple of the wrong length for the table is refused before anything is sent.
        let short = c.insert::<(u64, String)>(&table).await.unwrap_err();
        assert!(matches!(short, chwire::Error::Row(_)), "{short:?}");
        c.query(format!("DROP TABLE {table}"))
            .execute()
            .await
            .unwrap();
    }
}

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct ByteStrings {
    id: u64,
    s: Vec<u8>,
    fs: Vec<u8>,
}

/// `String` and `FixedString` values of every length up to 99 bytes read into `Vec<u8>` (a
/// sequence of bytes to serde): built off-loop by `fetch_all` and by the streaming cursor,
/// over both server formats. Values over 32 bytes used to panic ("blocking task panicked").
#[chwire_tests::case]
pub async fn byte_strings_read_into_vec_u8(rt: Arc<dyn Runtime>, transport: Transport) {
    const ROWS: u64 = 50_000;
    let expected = |id: u64| ByteStrings {
        id,
        s: vec![b'a' + (id % 26) as u8; (id % 100) as usize],
        fs: format!("{id:040}").into_bytes(),
    };
    for format in [chwire::Format::Native, chwire::Format::RowBinary] {
        let c = chwire_tests::client_builder(rt.clone(), transport)
            .default_format(format)
            .build()
            .unwrap();
        let sql = format!(
            "SELECT number AS id, repeat(char(97 + number % 26), number % 100) AS s, \
             toFixedString(leftPad(toString(number), 40, '0'), 40) AS fs FROM numbers({ROWS})"
        );
        let all: Vec<ByteStrings> = c.query(sql.as_str()).fetch_all().await.unwrap();
        assert_eq!(all.len() as u64, ROWS, "{format:?}");
        for row in &all {
            assert_eq!(*row, expected(row.id), "{format:?}");
        }
        let mut cur = c.query(sql.as_str()).fetch::<ByteStrings>().await.unwrap();
        let mut n = 0;
        while let Some(row) = cur.next().await {
            assert_eq!(row.unwrap(), expected(n), "{format:?}");
            n += 1;
        }
        assert_eq!(n, ROWS, "{format:?}");
    }
}

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct Mixed {
    id: u64,
    name: String,
    value: f64,
}

/// A streaming cursor gets runs of complete rows from the off-loop pipeline and builds each
/// `T` as it yields it: every row of a large result comes back exactly, on every compression,
/// with the server writing Native (re-laid as rows by the client) or RowBinary; a row that does
/// not fit `T` midway is a typed error after the rows before it, then the end.
#[chwire_tests::case]
pub async fn streamed_rows_are_built_by_the_cursor(rt: Arc<dyn Runtime>, transport: Transport) {
    for format in [chwire::Format::Native, chwire::Format::RowBinary] {
        for compression in COMPRESSIONS {
            let case = format!("{format:?} {compression:?}");
            let c = chwire_tests::client_builder(rt.clone(), transport)
                .compression(compression)
                .default_format(format)
                .build()
                .unwrap();
            let mut cur = c
                .query(
                    "SELECT number AS id, concat('event-', toString(number)) AS name, \
                     toFloat64(number) / 2 AS value FROM numbers(1000000)",
                )
                .fetch::<Mixed>()
                .await
                .unwrap();
            let mut n = 0u64;
            while let Some(row) = cur.next().await {
                let row = row.unwrap();
                assert_eq!(row.id, n, "{case}");
                assert_eq!(row.name, format!("event-{n}"), "{case}");
                assert_eq!(row.value, n as f64 / 2.0, "{case}");
                n += 1;
            }
            assert_eq!(n, 1_000_000, "{case}");
            let stats = cur.stats();
            assert!(stats.offloaded, "{case}: {stats:?}");
            assert_eq!(stats.rows, 1_000_000, "{case}: {stats:?}");

            // Row 300000's name is not UTF-8, so it does not fit `name: String`.
            let mut cur = c
                .query(
                    "SELECT number AS id, \
                     if(number = 300000, unhex('FF'), concat('event-', toString(number))) AS name, \
                     toFloat64(number) / 2 AS value FROM numbers(400000)",
                )
                .fetch::<Mixed>()
                .await
                .unwrap();
            let (ok, err) = rows_until_error(&mut cur, &case).await;
            assert_eq!(ok, 300_000, "{case}: {err:?}");
            assert!(matches!(err, chwire::Error::Row(_)), "{case}: {err:?}");
            assert!(
                cur.next().await.is_none(),
                "{case}: nothing after the error"
            );

            // A server exception mid-stream ends the cursor with the server's error, after
            // only rows that were really sent (checked value by value).
            let mut cur = c
                .query(
                    "SELECT number AS id, concat('event-', toString(number)) AS name, \
                     (number + throwIf(number = 500000)) / 2 AS value FROM numbers(1000000) \
                     SETTINGS max_block_size = 1000",
                )
                .fetch::<Mixed>()
                .await
                .unwrap();
            let (ok, err) = rows_until_error(&mut cur, &case).await;
            assert!(ok <= 500_000, "{case}: {ok} rows");
            assert_eq!(err.server_code(), Some(395), "{case}: {err:?}");
            assert!(
                cur.next().await.is_none(),
                "{case}: nothing after the error"
            );

            // Columns that do not match `T` are reported before any row; for an empty result
            // over HTTP only RowBinary has a header to check (a Native body has no block at
            // all), while the native protocol always sends the header block.
            let wrong = c
                .query("SELECT number AS id FROM numbers(10)")
                .fetch_all::<Mixed>()
                .await
                .unwrap_err();
            assert!(matches!(wrong, chwire::Error::Row(_)), "{case}: {wrong:?}");
            let empty = c
                .query("SELECT number AS id FROM numbers(0)")
                .fetch_all::<Mixed>()
                .await;
            match (format, transport) {
                (chwire::Format::Native, Transport::Http) => {
                    assert!(empty.unwrap().is_empty(), "{case}")
                }
                _ => {
                    assert!(
                        matches!(empty, Err(chwire::Error::Row(_))),
                        "{case}: {empty:?}"
                    )
                }
            }
        }
    }
}

/// Takes `Mixed` rows (each must be row `n` of `numbers`, named `event-n`) until the cursor
/// yields an error; returns how many came before it and the error.
async fn rows_until_error(cur: &mut chwire::RowCursor<Mixed>, case: &str) -> (u64, chwire::Error) {
    let mut ok = 0u64;
    loop {
        match cur.next().await {
            Some(Ok(row)) => {
                assert_eq!(row.id, ok, "{case}");
                assert_eq!(row.name, format!("event-{ok}"), "{case}");
                ok += 1;
            }
            Some(Err(e)) => return (ok, e),
            None => panic!("{case}: ended without an error after {ok} rows"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, chwire::Row, Serialize, Deserialize)]
struct AnswerWithFlag {
    answer: u64,
    t: u8,
}

/// A typed `write` that is cancelled while it hands buffered rows (accepted by earlier writes)
/// to the writer must not lose them silently: the insert refuses to go on, `end` fails, and
/// nothing of it is committed. A write may also be pending at its cooperative-budget yield,
/// before it takes its row (seen over native): then nothing was taken, the same row written
/// again is accepted, and the insert, ended, stores exactly the accepted rows.
#[chwire_tests::case]
pub async fn cancelled_write_is_never_silent_loss(rt: Arc<dyn Runtime>, transport: Transport) {
    use futures_util::FutureExt;

    let setup = client(rt.clone(), transport, chwire::Compression::Lz4).await;
    // 4 KiB chunks: a write flushes every few dozen rows, so some write is caught mid-flush.
    let c = chwire_tests::client_builder(rt, transport)
        .compression(chwire::Compression::Lz4)
        .offload_chunk_size(4096)
        .build()
        .unwrap();
    let t = format!("{DB}.{}", unique_name("cancelled"));
    setup
        .query(format!(
            "CREATE TABLE {t} (id UInt64, name String, tags Array(String), score Nullable(Float64)) \
             ENGINE = MergeTree ORDER BY id"
        ))
        .execute()
        .await
        .unwrap();
    let event = |i: u64| Event {
        id: i,
        name: format!("event {i}"),
        tags: vec![],
        score: None,
    };
    let id = unique_name("cancelled_ins");
    // RowBinary: its 4 KiB chunks are handed over every few dozen rows. Native blocks are
    // handed over through the same guarded `send`, but 8 chunks' worth at a time, and the
    // writer keeps up with them, so no write would be caught waiting.
    let mut ins = c
        .insert::<Event>(&t)
        .await
        .unwrap()
        .format(chwire::Format::RowBinary)
        .query_id(&id);
    let (mut accepted, mut id_sum, mut waited) = (0u64, 0u64, 0u32);
    let mut refused_at = None;
    for i in 0..100_000u64 {
        // Polled once, then dropped: a write that has to wait is cancelled.
        if let Some(result) = ins.write(&event(i)).now_or_never() {
            result.unwrap();
            (accepted, id_sum) = (accepted + 1, id_sum + i);
            continue;
        }
        waited += 1;
        match ins.write(&event(i)).await {
            Ok(()) => (accepted, id_sum) = (accepted + 1, id_sum + i),
            Err(err) => {
                assert!(err.to_string().contains("cancelled write"), "{err}");
                refused_at = Some(i);
                break;
            }
        }
    }
    assert!(
        waited > 0,
        "no write ever waited for its encoder or the server"
    );
    let stored = |rows: Vec<Vec<chwire::Value>>| rows[0].clone();
    match refused_at {
        Some(i) => {
            let err = ins.end().await.unwrap_err();
            assert!(err.to_string().contains("cancelled write"), "{err}");
            // The request (if it had started) ended without its terminator: the server fails it.
            crate::insert::poll_until(
                &setup,
                &format!("SELECT count() FROM system.processes WHERE query_id = '{id}'"),
                |n| n == 0,
            )
            .await;
            let (_, rows) = setup
                .query(format!("SELECT count(), sum(id) FROM {t}"))
                .fetch_all_rows()
                .await
                .unwrap();
            let nothing = vec![chwire::Value::UInt64(0), chwire::Value::UInt64(0)];
            assert_eq!(stored(rows), nothing, "cancelled at row {i}");
        }
        None => {
            ins.end().await.unwrap();
            let (_, rows) = setup
                .query(format!("SELECT count(), sum(id) FROM {t}"))
                .fetch_all_rows()
                .await
                .unwrap();
            let all = vec![
                chwire::Value::UInt64(accepted),
                chwire::Value::UInt64(id_sum),
            ];
            assert_eq!(stored(rows), all, "{waited} writes waited, none refused");
        }
    }
}
