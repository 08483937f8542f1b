//! Inserts: dynamic blocks round-tripped through the server in every format and compression;
//! what a dropped insert commits.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chwire::{Block, Client, Column, DataType, Format, Value};
use chwire_rt::Runtime;
use chwire_tests::{COMPRESSIONS, Transport, unique_name};

use crate::query::{DB, client};

const SOURCE: &str = "SELECT number AS id, toInt8(number % 100 - 50) AS i8, \
    toInt32(number * 1000 - 7) AS i32, toInt128(number) * toInt128(1000000000000000000) AS i128, \
    toFloat32(number / 3) AS f32, number / 7 AS f64, concat('s', toString(number)) AS s, \
    toFixedString(toString(number % 1000), 4) AS fs, toDate(19000 + number % 1000) AS d, \
    toDate32(-1000 + number % 5000) AS d32, toDateTime(1700000000 + number, 'UTC') AS dt, \
    toDateTime64(1700000000.123 + number, 3, 'UTC') AS dt64, toDecimal64(number / 8, 4) AS dec, \
    generateUUIDv4(number) AS u, toIPv4(number) AS ip4, toIPv6('2001:db8::1') AS ip6, \
    CAST(if(number % 2 = 0, 'a', 'b') AS Enum8('a' = 1, 'b' = 2)) AS e, \
    if(number % 3 = 0, NULL, toString(number)) AS n, range(number % 5)::Array(UInt16) AS arr, \
    (toString(number), toInt64(number)) AS tup, map('k', toUInt32(number)) AS m, \
    toLowCardinality(toString(number % 10)) AS lc, toBool(number % 2 = 0) AS b \
    FROM numbers(70000)";

fn rows_of(blocks: &[Block]) -> Vec<Vec<Value>> {
    blocks
        .iter()
        .flat_map(|b| (0..b.rows).map(move |i| b.columns.iter().map(|(_, c)| c.get(i)).collect()))
        .collect()
}

#[chwire_tests::case]
pub async fn roundtrip_blocks(rt: Arc<dyn Runtime>, transport: Transport) {
    let c = client(rt.clone(), transport, chwire::Compression::Lz4).await;
    let source = c
        .query(format!("{SOURCE} ORDER BY id"))
        .fetch_all_blocks()
        .await
        .unwrap();
    let expected = rows_of(&source);
    assert_eq!(expected.len(), 70_000);
    let t = format!("{DB}.{}", unique_name("rt"));
    c.query(format!(
        "CREATE TABLE {t} ENGINE = MergeTree ORDER BY id EMPTY AS {SOURCE}"
    ))
    .execute()
    .await
    .unwrap();
    for compression in COMPRESSIONS {
        for format in [Format::Native, Format::RowBinary] {
            let c = client(rt.clone(), transport, compression).await;
            c.query(format!("TRUNCATE TABLE {t}"))
                .execute()
                .await
                .unwrap();
            let mut ins = c.insert_blocks(&t).format(format);
            for b in &source {
                ins.write(b.clone()).await.unwrap();
            }
            let summary = ins.end().await.unwrap();
            assert_eq!(summary.written_rows, 70_000, "{compression:?} {format:?}");
            let back = c
                .query(format!("SELECT * FROM {t} ORDER BY id"))
                .fetch_all_blocks()
                .await
                .unwrap();
            let got = rows_of(&back);
            assert_eq!(got.len(), expected.len());
            for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
                assert_eq!(g, e, "row {i} differs ({compression:?} {format:?})");
            }
        }
    }
    // A hand-built block.
    let t2 = format!("{DB}.{}", unique_name("hand"));
    c.query(format!(
        "CREATE TABLE {t2} (a UInt32, s String, n Nullable(Int64)) ENGINE = Memory"
    ))
    .execute()
    .await
    .unwrap();
    let block = Block::new(vec![
        (
            "a".into(),
            Column::from_values(&DataType::UInt32, [Value::UInt32(1), Value::UInt32(2)]).unwrap(),
        ),
        (
            "s".into(),
            Column::from_values(
                &DataType::String,
                [Value::String(b"x".to_vec()), Value::String(b"".to_vec())],
            )
            .unwrap(),
        ),
        (
            "n".into(),
            Column::from_values(
                &DataType::parse("Nullable(Int64)").unwrap(),
                [Value::Null, Value::Int64(-9)],
            )
            .unwrap(),
        ),
    ])
    .unwrap();
    c.insert_block(&t2, block).await.unwrap();
    let (_, rows) = c
        .query(format!("SELECT a, s, n FROM {t2} ORDER BY a"))
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![
            vec![Value::UInt32(1), Value::String(b"x".to_vec()), Value::Null],
            vec![
                Value::UInt32(2),
                Value::String(Vec::new()),
                Value::Int64(-9)
            ],
        ]
    );
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
    c.query(format!("DROP TABLE {t2}")).execute().await.unwrap();
}

fn numbers_block(from: u64, n: u64) -> Block {
    Block::new(vec![(
        "x".into(),
        Column::from_values(&DataType::UInt64, (from..from + n).map(Value::UInt64)).unwrap(),
    )])
    .unwrap()
}

/// Polls `sql` (a single UInt64) until `accept` holds, with a deadline.
pub(crate) async fn poll_until(c: &Client, sql: &str, accept: impl Fn(u64) -> bool) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, rows) = c.query(sql).fetch_all_rows().await.unwrap();
        let v = match rows.first().and_then(|r| r.first()) {
            Some(Value::UInt64(v)) => *v,
            None => 0,
            other => panic!("unexpected {other:?}"),
        };
        if accept(v) {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "condition not reached: {sql} = {v}"
        );
        c.runtime().sleep(Duration::from_millis(20)).await;
    }
}

#[chwire_tests::case]
pub async fn dropped_insert(rt: Arc<dyn Runtime>, transport: Transport) {
    // Uncompressed so the body sizes below are exact.
    let c = client(rt.clone(), transport, chwire::Compression::None).await;
    let t = format!("{DB}.{}", unique_name("drop"));
    c.query(format!(
        "CREATE TABLE {t} (x UInt64) ENGINE = MergeTree ORDER BY x"
    ))
    .execute()
    .await
    .unwrap();
    let running =
        |id: &str| format!("SELECT count() FROM system.processes WHERE query_id = '{id}'");

    // 1. Less than one insert block, then dropped: nothing is committed. (800 KB: the server
    //    only starts an HTTP insert once `max_query_size` = 256 KiB of body arrived, since it
    //    parses the URL query and the start of the body together; before that the query is not
    //    even in system.processes.)
    let id = unique_name("ins");
    let mut ins = c.insert_blocks(&t).query_id(&id);
    ins.write(numbers_block(0, 100_000)).await.unwrap();
    poll_until(&c, &running(&id), |n| n == 1).await;
    drop(ins);
    poll_until(&c, &running(&id), |n| n == 0).await;
    let count = poll_until(&c, &format!("SELECT count() FROM {t}"), |_| true).await;
    assert_eq!(count, 0, "a dropped small insert committed rows");

    // 2. Several insert blocks (max_insert_block_size = 100000 here) before the drop: the
    //    server commits each squashed block as it is formed, so a prefix stays.
    let id = unique_name("ins");
    let mut ins = c
        .insert_blocks(&t)
        .query_id(&id)
        .setting("max_insert_block_size", 100_000)
        .setting("min_insert_block_size_rows", 100_000);
    for i in 0..5 {
        ins.write(numbers_block(i * 100_000, 100_000))
            .await
            .unwrap();
    }
    let written = poll_until(
        &c,
        &format!("SELECT max(written_rows) FROM system.processes WHERE query_id = '{id}'"),
        |n| n >= 300_000,
    )
    .await;
    drop(ins);
    poll_until(&c, &running(&id), |n| n == 0).await;
    let count = poll_until(&c, &format!("SELECT count() FROM {t}"), |_| true).await;
    println!("dropped insert: server had written {written} rows, table holds {count} of 500000");
    // `written_rows` in system.processes can run ahead of the parts actually committed, so
    // how long the committed prefix is depends on timing; what must hold is that it consists of
    // whole insert blocks and never exceeds what was sent.
    assert!(count <= 500_000, "more rows than were sent: {count}");
    assert_eq!(count % 100_000, 0, "whole insert blocks only: {count}");
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}

/// Blocks are encoded several at once and sent by the writer task: they must still arrive in
/// the order they were written (a MergeTree part without a sorting key keeps the order rows
/// arrived in; `_part_offset` is a row's place in its part), and
/// a block whose encoding fails after its `write` returned must fail the insert, with nothing
/// committed.
#[chwire_tests::case]
pub async fn pipelined_blocks(rt: Arc<dyn Runtime>, transport: Transport) {
    use chwire_proto::column::{LowCardinalityColumn, LowCardinalityIndices};
    const BLOCKS: u64 = 60;
    const ROWS: u64 = 25_000;
    // Columns the writer merges (numbers, String, FixedString, Date): queued blocks go out as
    // larger Native blocks, column by column.
    let mergeable = |from: u64, n: u64| {
        let xs = from..from + n;
        let column = |ty: &str, values: Vec<Value>| {
            Column::from_values(&DataType::parse(ty).unwrap(), values).unwrap()
        };
        Block::new(vec![
            (
                "x".into(),
                column("UInt64", xs.clone().map(Value::UInt64).collect()),
            ),
            (
                "s".into(),
                column(
                    "String",
                    xs.clone().map(|x| Value::string(format!("n{x}"))).collect(),
                ),
            ),
            (
                "f".into(),
                column(
                    "FixedString(4)",
                    xs.clone()
                        .map(|x| Value::String(format!("{:04}", x % 10_000).into_bytes()))
                        .collect(),
                ),
            ),
            (
                "d".into(),
                column(
                    "Date",
                    xs.map(|x| Value::Date((x % 20_000) as u16)).collect(),
                ),
            ),
        ])
        .unwrap()
    };
    // Every compression with merging, and once block by block.
    let cases = COMPRESSIONS
        .iter()
        .map(|&c| (c, true))
        .chain([(chwire::Compression::Lz4, false)]);
    for (compression, merge) in cases {
        let c = client(rt.clone(), transport, compression).await;
        let t = format!("{DB}.{}", unique_name("order"));
        c.query(format!(
            // TinyLog appends blocks as they arrive and reads them back in one stream: its
            // order is the arrival order. (MergeTree parts' block numbers were not: under
            // load the server numbered a later squashed block's part first.)
            "CREATE TABLE {t} (x UInt64, s String, f FixedString(4), d Date) ENGINE = TinyLog"
        ))
        .execute()
        .await
        .unwrap();
        let mut ins = c.insert_blocks(&t).merge_blocks(merge);
        for b in 0..BLOCKS {
            ins.write(mergeable(b * ROWS, ROWS)).await.unwrap();
        }
        let summary = ins.end().await.unwrap();
        assert_eq!(summary.written_rows, BLOCKS * ROWS, "{compression:?}");
        let mut back = c
            .query(format!("SELECT x FROM {t}"))
            .fetch_all_blocks()
            .await
            .unwrap();
        let mut next = 0u64;
        for block in back.drain(..) {
            for &x in block.columns[0].1.as_u64().unwrap() {
                assert_eq!(x, next, "{compression:?}: rows out of order");
                next += 1;
            }
        }
        assert_eq!(next, BLOCKS * ROWS, "{compression:?}");
        let (_, wrong) = c
            .query(format!(
                "SELECT countIf(s != concat('n', toString(x)) \
                 OR f != leftPad(toString(x % 10000), 4, '0') OR d != toDate(x % 20000)) \
                 FROM {t}"
            ))
            .fetch_all_rows()
            .await
            .unwrap();
        assert_eq!(wrong, vec![vec![Value::UInt64(0)]], "{compression:?}");
        c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
    }

    // A first block that is not merged (a Nullable column) is encoded before anything is
    // handed over: a `write` cancelled while it encodes (polled once, then dropped) leaves the
    // insert usable.
    let c = client(rt.clone(), transport, chwire::Compression::Lz4).await;
    let t = format!("{DB}.{}", unique_name("first"));
    c.query(format!(
        "CREATE TABLE {t} (x Nullable(UInt64)) ENGINE = MergeTree ORDER BY tuple()"
    ))
    .execute()
    .await
    .unwrap();
    let nullable = |from: u64, n: u64| {
        let ty = DataType::parse("Nullable(UInt64)").unwrap();
        let column = Column::from_values(&ty, (from..from + n).map(Value::UInt64)).unwrap();
        Block::new(vec![("x".into(), column)]).unwrap()
    };
    // Over native the block is not encoded by the call: the request is opened first (a call
    // cancelled then took nothing), and on a fast reply the block may be taken in that poll.
    let mut ins = c.insert_blocks(&t);
    let first = futures_util::FutureExt::now_or_never(ins.write(nullable(0, 2_000_000)));
    let taken = match first {
        None => 0,
        Some(Ok(())) if transport == Transport::Native => 2_000_000,
        Some(other) => panic!("a 2M-row block encoded within one poll: {other:?}"),
    };
    ins.write(nullable(5, 10)).await.unwrap();
    assert_eq!(ins.end().await.unwrap().written_rows, 10 + taken);
    let (_, rows) = c
        .query(format!("SELECT min(x), count() FROM {t}"))
        .fetch_all_rows()
        .await
        .unwrap();
    let min = if taken > 0 { 0 } else { 5 };
    assert_eq!(
        rows,
        vec![vec![Value::UInt64(min), Value::UInt64(10 + taken)]]
    );
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();

    // A LowCardinality column whose indices point past its dictionary: the encoder finds out
    // on the blocking pool, after `write` returned.
    let c = client(rt.clone(), transport, chwire::Compression::Lz4).await;
    let t = format!("{DB}.{}", unique_name("badlc"));
    c.query(format!(
        "CREATE TABLE {t} (x UInt64, s LowCardinality(String)) ENGINE = MergeTree ORDER BY x"
    ))
    .execute()
    .await
    .unwrap();
    let lc_type = DataType::parse("LowCardinality(String)").unwrap();
    let block = |from: u64, rows: u64, index: u8| {
        let dictionary = Column::from_values(
            &DataType::String,
            [Value::String(Vec::new()), Value::String(b"a".to_vec())],
        )
        .unwrap();
        let lc = chwire::ColumnData::LowCardinality(LowCardinalityColumn {
            dictionary: Box::new(dictionary),
            indices: LowCardinalityIndices::U8(vec![index; rows as usize]),
        });
        let mut b = numbers_block(from, rows);
        b.columns
            .push(("s".into(), Column::new(lc_type.clone(), lc).unwrap()));
        b
    };
    let mut ins = c.insert_blocks(&t);
    let mut outcome = Ok(());
    for b in 0..10u64 {
        // Block 3 is the bad one.
        outcome = ins
            .write(block(b * ROWS, ROWS, if b == 3 { 7 } else { 1 }))
            .await;
        if outcome.is_err() {
            break;
        }
    }
    let err = match outcome {
        Err(e) => e,
        Ok(()) => ins.end().await.unwrap_err(),
    };
    assert!(
        err.to_string()
            .contains("LowCardinality index out of range"),
        "{err}"
    );
    let count = poll_until(&c, &format!("SELECT count() FROM {t}"), |_| true).await;
    assert_eq!(count, 0, "a failed insert committed rows");

    // A small bad block is encoded by `write` itself: refused there, the insert goes on.
    let mut ins = c.insert_blocks(&t);
    ins.write(block(0, 10, 1)).await.unwrap();
    let err = ins.write(block(10, 10, 7)).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("LowCardinality index out of range"),
        "{err}"
    );
    ins.write(block(20, 10, 1)).await.unwrap();
    assert_eq!(ins.end().await.unwrap().written_rows, 20);
    let (_, rows) = c
        .query(format!("SELECT min(x), max(x), count() FROM {t}"))
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![vec![Value::UInt64(0), Value::UInt64(29), Value::UInt64(20)]]
    );
    c.query(format!("DROP TABLE {t}")).execute().await.unwrap();
}
