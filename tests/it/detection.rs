//! Prompt results and prompt failures: rows and blocks reach the caller as soon as they are
//! complete, a corrupt body fails as soon as the bytes that prove it arrive (the receive
//! timeout is an hour here, so only that can end these cases in time), a slow or trickled head
//! meets the head timeout, and a response that answers another request is refused.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use chwire::{Client, Compression, Error, TimeoutKind, Value};
use chwire_proto::CompressionError;
use chwire_proto::column::ColumnData;
use chwire_rt::{Runtime, RuntimeExt};
use chwire_tests::{Transport, client_builder};
use futures_util::{FutureExt, Stream, StreamExt};

use crate::peer::{CAPTURED_ID, Captured, LAST_CHUNK, Peer, Step, chunk};

/// Longer than any case waits for: a failure of these cases shows as this timeout.
const HOUR: Duration = Duration::from_secs(3600);

/// What a case waits for before it counts as hung (the behaviour under test makes the wait
/// milliseconds; without it, the wait would be the hour-long receive timeout or forever).
const PATIENCE: Duration = Duration::from_secs(20);

async fn within<F: std::future::Future + Send>(rt: &Arc<dyn Runtime>, what: &str, f: F) -> F::Output
where
    F::Output: Send,
{
    rt.timeout(PATIENCE, f)
        .await
        .unwrap_or_else(|_| panic!("{what}: nothing after {PATIENCE:?}"))
}

/// The UInt64 values of a block's first column.
fn numbers(block: &chwire::Block) -> Vec<u64> {
    match block.columns[0].1.data() {
        ColumnData::U64(v) => v.to_vec(),
        other => panic!("UInt64 column expected, got {other:?}"),
    }
}

/// Asserts the stream has nothing more yet: the item just taken did not wait for the next one.
fn nothing_ready<S: Stream + Unpin>(s: &mut S, what: &str)
where
    S::Item: std::fmt::Debug,
{
    if let Some(next) = s.next().now_or_never() {
        panic!(
            "{what}: the next item was ready with the first, so the first waited for it: {next:?}"
        );
    }
}

#[derive(Debug, PartialEq, chwire::Row, serde::Deserialize)]
struct Slept {
    number: u64,
    slept: u8,
}

/// The real server writes one small block per 0.2 s: each reaches the caller before the next
/// exists, through blocks, dynamic rows and typed rows. (Uncompressed: with `compress=1` the
/// server itself buffers its output, 1 MiB or the end of the result, before it sends any.)
#[chwire_tests::case]
pub async fn slow_blocks_arrive_one_by_one(rt: Arc<dyn Runtime>, transport: Transport) {
    const SQL: &str = "SELECT number, sleepEachRow(0.2) AS slept FROM numbers(3) \
                       SETTINGS max_block_size = 1";
    {
        let compression = Compression::None;
        let c = client_builder(rt.clone(), transport)
            .compression(compression)
            .receive_timeout(HOUR)
            .build()
            .unwrap();
        let mut s = within(&rt, "blocks", c.query(SQL).fetch_blocks())
            .await
            .unwrap();
        let first = within(&rt, "first block", s.next()).await.unwrap().unwrap();
        assert_eq!(numbers(&first), [0], "{compression:?}");
        nothing_ready(&mut s, &format!("blocks {compression:?}"));
        let mut rest = Vec::new();
        while let Some(b) = s.next().await {
            rest.extend(numbers(&b.unwrap()));
        }
        assert_eq!(rest, [1, 2]);

        let mut s = c.query(SQL).fetch_rows().await.unwrap();
        let first = within(&rt, "first row", s.next()).await.unwrap().unwrap();
        assert_eq!(first, [Value::UInt64(0), Value::UInt8(0)]);
        nothing_ready(&mut s, "rows");
        assert_eq!(s.count().await, 2);

        let mut s = c.query(SQL).fetch::<Slept>().await.unwrap();
        let first = within(&rt, "first typed row", s.next())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            first,
            Slept {
                number: 0,
                slept: 0
            }
        );
        nothing_ready(&mut s, "typed rows");
        let rest: Vec<u64> = s.map(|r| r.unwrap().number).collect().await;
        assert_eq!(rest, [1, 2]);
    }
}

/// The captured two-block answer of the real server, replayed with a stop after the first
/// block until the client has it: the first block (or row) must reach the caller while the
/// second has not been sent. With and without an exception tag (servers before 25.11 send
/// none, and their data is scanned for a legacy exception text).
#[chwire_tests::case]
pub async fn first_result_before_the_rest_is_sent(rt: Arc<dyn Runtime>) {
    const SQL: &str =
        "SELECT number, toString(number) AS s FROM numbers(2) SETTINGS max_block_size = 1";
    for format in ["Native", "RowBinaryWithNamesAndTypes"] {
        let captured = Captured::fetch(&format!("{SQL} FORMAT {format}"), "");
        // Native: a block per chunk; RowBinary: the header, then a row per chunk.
        let (first, second) = captured.chunks.split_at(captured.chunks.len() - 1);
        for tagged in [true, false] {
            let response = if tagged {
                captured.clone()
            } else {
                captured.clone().untagged()
            };
            let (go, wait) = mpsc::channel();
            let peer = Peer::start(vec![vec![
                Step::Request,
                Step::Head(response.head.clone()),
                Step::Write(first.iter().flat_map(|c| chunk(c)).collect()),
                Step::Wait(wait),
                Step::Write([chunk(&second[0]), LAST_CHUNK.to_vec()].concat()),
            ]]);
            let c = Client::builder(rt.clone())
                .url(peer.url())
                .compression(Compression::None)
                .receive_timeout(HOUR)
                .build()
                .unwrap();
            let what = format!("{format}, tagged {tagged}");
            let q = c.query(SQL);
            if format == "Native" {
                let mut s = within(&rt, &what, q.fetch_blocks()).await.unwrap();
                let b = within(&rt, &what, s.next()).await.unwrap().unwrap();
                assert_eq!(numbers(&b), [0], "{what}");
                go.send(()).unwrap();
                let b = within(&rt, &what, s.next()).await.unwrap().unwrap();
                assert_eq!(numbers(&b), [1], "{what}");
                assert!(s.next().await.is_none());
            } else {
                let mut s = within(&rt, &what, q.fetch_rows()).await.unwrap();
                let row = within(&rt, &what, s.next()).await.unwrap().unwrap();
                assert_eq!(row, [Value::UInt64(0), Value::String(b"0".to_vec())]);
                go.send(()).unwrap();
                let row = within(&rt, &what, s.next()).await.unwrap().unwrap();
                assert_eq!(row, [Value::UInt64(1), Value::String(b"1".to_vec())]);
                assert!(s.next().await.is_none());
            }
            drop(c);
            peer.join();
        }
    }
}

/// A short corrupt body on a connection the peer keeps open fails as soon as its bytes are
/// in: a Native block claiming 2^40 rows, a compressed block declaring 4 GiB, an unknown codec
/// byte (the 17th byte of a block, sent alone).
#[chwire_tests::case]
pub async fn corrupt_bodies_fail_when_their_bytes_arrive(rt: Arc<dyn Runtime>) {
    let native = Captured::fetch("SELECT number FROM numbers(1) FORMAT Native", "");
    let lz4 = Captured::fetch(
        "SELECT number FROM numbers(1) FORMAT Native",
        "&compress=1&network_compression_method=lz4",
    );
    // A block header: 1 column, 2^40 rows (LEB128).
    let huge_rows = vec![0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20];
    let mut four_gib = vec![0xAB; 16];
    four_gib.push(0x82);
    four_gib.extend_from_slice(&100u32.to_le_bytes());
    four_gib.extend_from_slice(&u32::MAX.to_le_bytes());
    let mut unknown_codec = vec![0xAB; 16];
    unknown_codec.push(0x77);
    let cases: [(&str, &Captured, Compression, Vec<u8>); 3] = [
        ("2^40 rows", &native, Compression::None, huge_rows),
        ("4 GiB block", &lz4, Compression::Lz4, four_gib),
        ("unknown codec", &lz4, Compression::Lz4, unknown_codec),
    ];
    for (what, captured, compression, body) in cases {
        let peer = Peer::start(vec![vec![
            Step::Request,
            Step::Head(captured.head.clone()),
            Step::Write(chunk(&body)),
            Step::Hold,
        ]]);
        let c = Client::builder(rt.clone())
            .url(peer.url())
            .compression(compression)
            .receive_timeout(HOUR)
            .build()
            .unwrap();
        let mut s = within(&rt, what, c.query("SELECT 1").fetch_blocks())
            .await
            .unwrap();
        let e = within(&rt, what, s.next()).await.unwrap().unwrap_err();
        match what {
            "2^40 rows" => assert!(matches!(e, Error::Decode(_)), "{what}: {e:?}"),
            "4 GiB block" => assert!(
                matches!(
                    e,
                    Error::Compression(CompressionError::BlockTooLarge { .. })
                ),
                "{what}: {e:?}"
            ),
            _ => assert!(
                matches!(e, Error::Compression(CompressionError::UnknownMethod(0x77))),
                "{what}: {e:?}"
            ),
        }
        assert!(s.next().await.is_none(), "an error ends the stream");
        drop((s, c));
        peer.join();
    }
}

/// A head trickled a byte at a time never lets the receive timeout fire; the head timeout
/// ends it.
#[chwire_tests::case]
pub async fn trickled_head_meets_the_head_timeout(rt: Arc<dyn Runtime>) {
    let captured = Captured::fetch("SELECT 1 FORMAT Native", "");
    let head = format!("{}\r\n\r\n", captured.head).replace(CAPTURED_ID, "trickled");
    let peer = Peer::start(vec![vec![
        Step::Request,
        Step::Trickle(head.into_bytes(), Duration::from_millis(20)),
    ]]);
    let c = Client::builder(rt.clone())
        .url(peer.url())
        .compression(Compression::None)
        .receive_timeout(HOUR)
        .head_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let e = within(&rt, "trickled head", c.query("SELECT 1").execute())
        .await
        .unwrap_err();
    assert_eq!(e.timeout_kind(), Some(TimeoutKind::Head), "{e:?}");
    drop(c);
    peer.join();
}

/// Against the real server: a first result later than the head timeout fails with it (the
/// server is silent until then); progress reports restart it, so a query that reports
/// progress runs on.
#[chwire_tests::case]
pub async fn head_timeout_on_the_real_server(rt: Arc<dyn Runtime>) {
    let c = client_builder(rt.clone(), Transport::Http)
        .compression(Compression::None)
        .receive_timeout(HOUR)
        .head_timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let e = within(&rt, "slow head", c.query("SELECT sleep(2)").execute())
        .await
        .unwrap_err();
    assert_eq!(e.timeout_kind(), Some(TimeoutKind::Head), "{e:?}");
    let (_, rows) = c
        .query(
            "SELECT sum(number + sleepEachRow(0.1)) FROM numbers(20) SETTINGS max_block_size = 1",
        )
        .on_progress(Duration::from_millis(100), |_| {})
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(rows, vec![vec![Value::UInt64(190)]]);
}

/// With the liveness check off, an unsolicited response waiting on a kept-alive connection is
/// not taken as the next query's result: its query id is another one. The connection is
/// dropped and the next query runs on a fresh one.
#[chwire_tests::case]
pub async fn unsolicited_response_is_refused(rt: Arc<dyn Runtime>) {
    let answer = |sql: &str| Captured::fetch(sql, "").keep_alive();
    let one = answer("SELECT 1 FORMAT RowBinaryWithNamesAndTypes");
    let two = answer("SELECT 2 FORMAT RowBinaryWithNamesAndTypes");
    let three = answer("SELECT 3 FORMAT RowBinaryWithNamesAndTypes");
    let body = |c: &Captured| -> Vec<u8> {
        let mut b: Vec<u8> = c.chunks.iter().flat_map(|c| chunk(c)).collect();
        b.extend_from_slice(LAST_CHUNK);
        b
    };
    let (pooled, idle) = mpsc::channel();
    let peer = Peer::start(vec![
        vec![
            Step::Request,
            Step::Head(one.head.clone()),
            Step::Write(body(&one)),
            // Once the connection is idle in the pool: a response nobody asked for (it names
            // the captured query id).
            Step::Wait(idle),
            Step::Write(two.bytes()),
            Step::Request,
            Step::Hold,
        ],
        vec![
            Step::Request,
            Step::Head(three.head.clone()),
            Step::Write(body(&three)),
        ],
    ]);
    let c = Client::builder(rt.clone())
        .url(peer.url())
        .compression(Compression::None)
        .pool_liveness_check(false)
        .receive_timeout(HOUR)
        .build()
        .unwrap();
    let value = |c: Client| async move {
        let (_, rows) = c.query("SELECT n").fetch_all_rows().await?;
        Ok::<_, Error>(rows)
    };
    assert_eq!(
        within(&rt, "first", value(c.clone())).await.unwrap(),
        [[Value::UInt8(1)]]
    );
    assert_eq!(c.pool_stats().idle, 1, "the first connection is kept");
    pooled.send(()).unwrap();
    let e = within(&rt, "second", value(c.clone())).await.unwrap_err();
    match &e {
        Error::QueryIdMismatch { sent, received } => {
            assert_eq!(received, CAPTURED_ID);
            assert_ne!(sent, CAPTURED_ID);
        }
        other => panic!("a query id mismatch expected, got {other:?}"),
    }
    assert!(e.is_connection());
    assert_eq!(
        within(&rt, "third", value(c.clone())).await.unwrap(),
        [[Value::UInt8(3)]]
    );
    assert_eq!(c.pool_stats().idle, 1, "{:?}", c.pool_stats());
    drop(c);
    peer.join();
}
