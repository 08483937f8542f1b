//! Native-protocol exchanges captured from a real server (`cargo xtask golden tcp`, see
//! `xtask/src/golden_tcp.rs` for the script format) replayed through `tcp::Connection`:
//! the client bytes it transmits equal the captured ones, every server reply fed whole, split
//! at every byte position and byte by byte yields the same events, and the values read back
//! are the server's.

use std::path::{Path, PathBuf};

use chwire_proto::compression::Compression;
use chwire_proto::server::Credentials;
use chwire_proto::tcp::{
    ClientHello, Connection, Event, MIN_REVISION, Query, REVISION, State, TraceContext,
};
use chwire_proto::{Block, Column, NativeDecoder, Value};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/tcp")
}

const COMPRESSIONS: [(&str, Option<Compression>); 3] = [
    ("none", None),
    ("lz4", Some(Compression::Lz4)),
    ("zstd", Some(Compression::Zstd { level: 3 })),
];

/// Segments longer than this (the type matrix's replies, up to 130 KB) are split at
/// [`SPACED_SPLITS`] evenly spaced positions instead of every one: feeding a 130 KB reply
/// 130 000 times would take many minutes in a debug build. Instead of byte by byte they are
/// fed in pieces of [`LARGE_PIECE`] bytes: a column that is not filled from pieces is parsed
/// again whenever its provably needed bytes are in, so a byte-wise feed of a 25 KB
/// `Nullable` column re-parses it thousands of times.
const EVERY_SPLIT_UP_TO: usize = 2 << 10;
const BYTEWISE_UP_TO: usize = 16 << 10;
const LARGE_PIECE: usize = 61;
const SPACED_SPLITS: usize = 256;

fn script(case: &str) -> Vec<String> {
    let text = std::fs::read_to_string(dir().join(format!("{case}.script"))).unwrap();
    let mut out = Vec::new();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        if line == "native-cases" {
            for (name, sql) in native_cases() {
                let _ = name;
                out.push(format!("query {sql}"));
            }
        } else {
            out.push(line.to_string());
        }
    }
    out
}

/// `(case, sql)` of the Native golden cases, sorted as the capture runs them.
fn native_cases() -> Vec<(String, String)> {
    let native = dir().join("../native");
    let mut cases: Vec<_> = std::fs::read_dir(&native)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql") && !p.ends_with("setup.sql"))
        .collect();
    cases.sort();
    cases
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_str().unwrap().to_string();
            (
                name,
                std::fs::read_to_string(&p).unwrap().trim().to_string(),
            )
        })
        .collect()
}

fn segments(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let n = u32::from_le_bytes(rest[..4].try_into().unwrap()) as usize;
        out.push(rest[4..4 + n].to_vec());
        rest = &rest[4 + n..];
    }
    out
}

/// How a segment is fed.
#[derive(Clone, Copy)]
enum Feed {
    Whole,
    SplitAt(usize),
    Bytewise,
}

fn feed(conn: &mut Connection, seg: &[u8], how: Feed) -> Vec<String> {
    let pieces: Vec<&[u8]> = match how {
        Feed::Whole => vec![seg],
        Feed::SplitAt(k) => vec![&seg[..k], &seg[k..]],
        Feed::Bytewise if seg.len() <= BYTEWISE_UP_TO => seg.chunks(1).collect(),
        Feed::Bytewise => seg.chunks(LARGE_PIECE).collect(),
    };
    let mut events = Vec::new();
    for piece in pieces {
        if let Err(e) = conn.handle_input(piece) {
            events.push(format!("error {e}"));
            break;
        }
        while let Some(e) = conn.poll_event() {
            events.push(format!("{e:?}"));
        }
    }
    events
}

/// One replayed exchange: every event of every segment, and the client's bytes.
struct Replay {
    events: Vec<Event>,
    sent: Vec<u8>,
    conn: Connection,
}

fn hello(lines: &[String], revision: u64) -> ClientHello {
    let password = lines
        .iter()
        .find_map(|l| l.strip_prefix("password "))
        .unwrap_or_default();
    let mut hello = ClientHello::new(Credentials::new("default", password));
    hello.client_name = "chwire-golden".into();
    hello.revision = revision;
    hello
}

fn insert_block(schema: &Block) -> Block {
    let columns = schema
        .columns
        .iter()
        .map(|(name, col)| {
            let ty = col.data_type();
            let values: Vec<Value> = (0..3u64)
                .map(|i| match ty.to_string().as_str() {
                    "UInt64" => Value::UInt64(i),
                    _ => Value::String(format!("s{i}").into_bytes()),
                })
                .collect();
            (name.clone(), Column::from_values(ty, values).unwrap())
        })
        .collect();
    Block::new(columns).unwrap()
}

/// Replays `case` at `revision` with `compression`, checking every segment's split feeds.
fn replay(case: &str, revision: u64, tag: &str, compression: Option<Compression>) -> Replay {
    let stem = dir().join(format!("{case}.{revision}.{tag}"));
    let req = std::fs::read(stem.with_extension(format!("{tag}.req"))).unwrap();
    let tcp = std::fs::read(stem.with_extension(format!("{tag}.tcp"))).unwrap();
    let lines = script(case);
    let mut segs = segments(&tcp).into_iter();
    let mut r = Replay {
        events: Vec::new(),
        sent: Vec::new(),
        conn: Connection::new(hello(&lines, revision)),
    };
    let mut next = |r: &mut Replay| {
        while let Some(b) = r.conn.poll_transmit() {
            r.sent.extend_from_slice(&b);
        }
        let seg = segs.next().expect("a captured reply for every wait");
        check_splits(&r.conn, &seg, case);
        let mut events = Vec::new();
        r.conn
            .handle_input(&seg)
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        while let Some(e) = r.conn.poll_event() {
            events.push(e);
        }
        r.events.extend(events.iter().cloned());
        events
    };
    next(&mut r);
    let mut settings = vec![("session_timezone".to_string(), "UTC".to_string())];
    let mut trace: Option<(TraceContext, String)> = None;
    for line in &lines {
        if r.conn.state() == State::Closed {
            break;
        }
        let (verb, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        if verb == "set" {
            let (k, v) = rest.split_once(' ').unwrap();
            settings.push((k.into(), v.into()));
            continue;
        }
        if verb == "trace" {
            let (parent, state) = rest.split_once(' ').unwrap_or((rest, ""));
            trace = Some((
                TraceContext::from_traceparent(parent).unwrap(),
                state.into(),
            ));
            continue;
        }
        let query = |sql: &str| {
            let mut q = Query::new("golden", sql);
            for (k, v) in &settings {
                q = q.setting(k.clone(), v.clone());
            }
            q.compression = compression;
            if let Some((context, state)) = &trace {
                q.info.trace = Some(*context);
                q.info.tracestate = state.clone();
            }
            q
        };
        match verb {
            "query" => {
                r.conn.query(&query(rest)).unwrap();
                next(&mut r);
            }
            "insert" => {
                r.conn.insert(&query(rest)).unwrap();
                let events = next(&mut r);
                if let Some(Event::Schema(schema)) =
                    events.iter().find(|e| matches!(e, Event::Schema(_)))
                {
                    r.conn.send_block(&insert_block(schema)).unwrap();
                    if r.conn.state() == State::Sending {
                        r.conn.finish_input().unwrap();
                    }
                }
                next(&mut r);
            }
            "cancel" => {
                let (_, sql) = rest.split_once(' ').unwrap();
                r.conn.query(&query(sql)).unwrap();
                next(&mut r);
                if r.conn.state() == State::Receiving {
                    r.conn.cancel().unwrap();
                }
                next(&mut r);
            }
            "ping" => {
                r.conn.ping().unwrap();
                next(&mut r);
            }
            _ => {}
        }
    }
    while let Some(b) = r.conn.poll_transmit() {
        r.sent.extend_from_slice(&b);
    }
    assert_eq!(
        r.sent, req,
        "{case} {revision} {tag}: transmitted bytes differ from the capture"
    );
    r
}

/// Feeding `seg` split anywhere and byte by byte yields the events of feeding it whole.
fn check_splits(conn: &Connection, seg: &[u8], case: &str) {
    let whole = feed(&mut conn.clone(), seg, Feed::Whole);
    let positions: Vec<usize> = if seg.len() <= EVERY_SPLIT_UP_TO {
        (0..=seg.len()).collect()
    } else {
        (0..=SPACED_SPLITS)
            .map(|i| i * seg.len() / SPACED_SPLITS)
            .collect()
    };
    for k in positions {
        assert_eq!(
            feed(&mut conn.clone(), seg, Feed::SplitAt(k)),
            whole,
            "{case}: split at {k}"
        );
    }
    assert_eq!(
        feed(&mut conn.clone(), seg, Feed::Bytewise),
        whole,
        "{case}: bytewise"
    );
}

fn each(case: &str, check: impl Fn(&Replay, u64, &str)) {
    for revision in [MIN_REVISION, REVISION] {
        for (tag, compression) in COMPRESSIONS {
            let r = replay(case, revision, tag, compression);
            check(&r, revision, tag);
        }
    }
}

fn data(r: &Replay) -> Vec<&Block> {
    r.events
        .iter()
        .filter_map(|e| match e {
            Event::Data(_, b) if b.rows > 0 => Some(b),
            _ => None,
        })
        .collect()
}

fn exceptions(r: &Replay) -> Vec<i32> {
    r.events
        .iter()
        .filter_map(|e| match e {
            Event::Exception(x) => Some(x.code),
            _ => None,
        })
        .collect()
}

fn u64s(b: &Block, col: usize) -> Vec<u64> {
    (0..b.rows)
        .map(|i| match b.columns[col].1.try_get(i).unwrap() {
            Value::UInt64(v) => v,
            Value::UInt8(v) => u64::from(v),
            other => panic!("not an unsigned number: {other:?}"),
        })
        .collect()
}

#[test]
fn select_1() {
    each("select_1", |r, revision, _| {
        assert!(matches!(&r.events[0], Event::Hello(h) if h.revision == 54492));
        assert_eq!(r.conn.revision(), revision);
        let blocks = data(r);
        assert_eq!(blocks.len(), 1);
        assert_eq!(u64s(blocks[0], 0), [1]);
        assert!(matches!(r.events.last(), Some(Event::EndOfStream)));
        assert!(r.conn.is_reusable());
        assert_eq!(r.conn.progress().read_rows, 1);
    });
}

#[test]
fn multiblock_and_empty_result() {
    each("multiblock", |r, _, _| {
        let blocks = data(r);
        assert_eq!(
            blocks.iter().map(|b| b.rows).collect::<Vec<_>>(),
            [3, 3, 3, 1]
        );
        let all: Vec<u64> = blocks.iter().flat_map(|b| u64s(b, 0)).collect();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
    });
    each("empty", |r, _, _| {
        assert!(data(r).is_empty());
        let header = r.events.iter().find_map(|e| match e {
            Event::Header(b) => Some(b),
            _ => None,
        });
        let header = header.expect("an empty result still has a header block");
        assert_eq!((header.rows, header.columns[0].0.as_str()), (0, "number"));
        assert!(r.conn.is_reusable());
    });
}

#[test]
fn native_types_equal_the_http_native_goldens() {
    each("types", |r, revision, tag| {
        // One query per case, in order: the rows of each TCP result equal the HTTP capture's.
        let mut results: Vec<Vec<Block>> = Vec::new();
        for e in &r.events {
            match e {
                Event::Header(_) => results.push(Vec::new()),
                Event::Data(_, b) if b.rows > 0 => results.last_mut().unwrap().push(b.clone()),
                _ => {}
            }
        }
        let cases = native_cases();
        assert_eq!(results.len(), cases.len(), "{revision} {tag}");
        for ((name, _), tcp) in cases.iter().zip(results) {
            let http = std::fs::read(dir().join(format!("../native/{name}.bin"))).unwrap();
            let mut decoder = NativeDecoder::new();
            decoder.feed(&http);
            let mut blocks = Vec::new();
            while let Some(b) = decoder.finish().unwrap() {
                blocks.push(b);
            }
            // Values and names; type spellings differ (TCP names `DateTime('UTC')` where HTTP
            // with `session_timezone=UTC` prints `DateTime`).
            let shape = |bs: &[Block]| -> Vec<Vec<(String, String)>> {
                bs.iter()
                    .map(|b| {
                        b.columns
                            .iter()
                            .map(|(n, c)| (n.clone(), format!("{:?}", c.data())))
                            .collect()
                    })
                    .collect()
            };
            assert_eq!(shape(&tcp), shape(&blocks), "{name} at {revision} {tag}");
        }
    });
}

#[test]
fn totals_and_extremes_are_their_own_events() {
    each("totals_extremes", |r, _, _| {
        let totals = r.events.iter().find_map(|e| match e {
            Event::Totals(b) => Some(b),
            _ => None,
        });
        assert_eq!(u64s(totals.expect("totals"), 1), [10]);
        let extremes = r.events.iter().find_map(|e| match e {
            Event::Extremes(b) => Some(b),
            _ => None,
        });
        assert_eq!(u64s(extremes.expect("extremes"), 0), [0, 1]);
        assert_eq!(data(r).iter().map(|b| b.rows).sum::<usize>(), 2);
    });
}

#[test]
fn exceptions_leave_the_connection_reusable() {
    each("syntax_error", |r, _, _| {
        assert_eq!(exceptions(r), [62]);
        let e = r.events.iter().find_map(|e| match e {
            Event::Exception(x) => Some(x),
            _ => None,
        });
        let e = e.unwrap();
        // The native protocol sends the class (`DB::Exception`), not the code's name.
        assert_eq!(e.name, None);
        assert!(e.message.starts_with("Syntax error"), "{}", e.message);
        assert!(e.stack_trace().is_some_and(|s| !s.is_empty()));
        assert_eq!(u64s(data(r)[0], 0), [2]);
        assert!(r.conn.is_reusable());
    });
    each("throw_midstream", |r, _, _| {
        assert_eq!(exceptions(r), [395]);
        let last = data(r).last().map(|b| u64s(b, 0));
        assert_eq!(last, Some(vec![1]), "the next query runs");
    });
}

#[test]
fn inserts_and_failed_inserts() {
    each("insert", |r, _, _| {
        assert!(r.events.iter().any(|e| matches!(e, Event::Schema(_))));
        let rows = data(r);
        assert_eq!(u64s(rows[0], 0), [0, 1, 2]);
        assert_eq!(
            rows[0].columns[1].1.try_get(2).unwrap(),
            Value::String(b"s2".to_vec())
        );
        assert!(r.conn.is_reusable());
    });
    each("insert_fail", |r, _, _| {
        // The constraint fails after the block (the terminator went with it), the missing
        // table before the schema; the queries after each still run.
        assert_eq!(exceptions(r), [469, 60]);
        let after: Vec<Vec<u64>> = data(r).iter().map(|b| u64s(b, 0)).collect();
        assert_eq!(after, [vec![1], vec![2]]);
        assert!(r.conn.is_reusable());
    });
}

#[test]
fn wrong_password_closes() {
    each("wrong_password", |r, _, _| {
        assert_eq!(exceptions(r), [516]);
        assert_eq!(r.conn.state(), State::Closed);
        assert!(!r.conn.is_reusable());
    });
}

/// The embedded server sends no Log packets for `send_logs_level` (none arrive at either
/// revision, for a trivial query, a million-row count or a failing query; see the script):
/// the capture pins that the setting travels (the server reports it back) and the queries
/// still run. Log packets are blocks decoded like ProfileEvents, which every capture has;
/// their own layout is unit-tested with bytes built to the server's (`tcp::tests`).
#[test]
fn logs_setting_is_accepted() {
    each("logs", |r, _, _| {
        let blocks = data(r);
        assert_eq!(u64s(blocks[0], 0), [1]);
        assert_eq!(u64s(blocks[1], 0), [1_000_000]);
        assert_eq!(exceptions(r), [395]);
        let text = |b: &Block| b.columns[0].1.try_get(0).unwrap();
        assert_eq!(text(blocks[2]), Value::String(b"trace".to_vec()));
        // Why: the server's own logger passes only fatal messages to the query's log queue.
        assert_eq!(text(blocks[3]), Value::String(b"fatal".to_vec()));
        assert!(!r.events.iter().any(|e| matches!(e, Event::Log(_))));
        assert!(
            r.events
                .iter()
                .any(|e| matches!(e, Event::ProfileEvents(b) if b.rows > 0))
        );
        assert!(r.conn.is_reusable());
    });
}

/// An OpenTelemetry trace context in ClientInfo: the server reads every field after it (the
/// parallel-replica fields, the query, settings), so both queries run only if its layout is
/// right, and `replay` checks the state machine sends exactly the captured bytes. The
/// embedded server cannot show the context back: it has no `system.opentelemetry_span_log`
/// (the query fails with "Unknown table expression identifier"), no `system.query_log`, and no
/// function or setting that reports the incoming trace id.
#[test]
fn trace_context_is_sent_and_accepted() {
    // The first context as the server reads it: flag 1, each 8-byte half of the trace id and
    // the span id as a little-endian integer, the tracestate, then the trace flags.
    let traced: &[u8] = &[
        1, 0xdd, 0x43, 0xcd, 0x16, 0x19, 0x65, 0xf7, 0x0a, 0x9c, 0x31, 0x80, 0x1c, 0x21, 0xeb,
        0x48, 0x84, 0x31, 0x33, 0x20, 0x69, 0x71, 0x6b, 0xad, 0xb7, 17, b'c', b'o', b'n', b'g',
        b'o', b'=', b't', b'6', b'1', b'r', b'c', b'W', b'k', b'g', b'M', b'z', b'E', 1,
    ];
    let untraced_state_and_flags: &[u8] = &[0xb7, 0x02, 0xa9, 0x0b, 0xaa, 0x67, 0xf0, 0x00, 0, 0];
    each("trace", |r, _, _| {
        let blocks = data(r);
        assert_eq!(exceptions(r), Vec::<i32>::new());
        assert_eq!((u64s(blocks[0], 0), u64s(blocks[1], 0)), (vec![1], vec![2]));
        let has = |needle: &[u8]| r.sent.windows(needle.len()).any(|w| w == needle);
        assert!(has(traced));
        assert!(has(untraced_state_and_flags));
        assert!(r.conn.is_reusable());
    });
}

#[test]
fn cancel_drains_then_ping_and_query() {
    each("cancel", |r, _, _| {
        let rows: usize = data(r).iter().map(|b| b.rows).sum();
        // Cancelled well before the 1000 rows; the ping and SELECT 1 after it work.
        assert!(rows < 1000, "{rows}");
        assert!(r.events.iter().any(|e| matches!(e, Event::Pong)));
        assert_eq!(data(r).last().map(|b| u64s(b, 0)), Some(vec![1]));
        assert!(r.conn.is_reusable());
    });
}

#[test]
fn ping_pong() {
    each("ping", |r, _, _| {
        let pongs = r.events.iter().filter(|e| matches!(e, Event::Pong)).count();
        assert_eq!(pongs, 2);
        assert!(r.conn.is_reusable());
    });
}

/// Sparse and replicated columns (sent as such at 54492, densified by the server at 54460)
/// read back as the same dense values at both revisions.
#[test]
fn sparse_and_replicated_columns_are_densified() {
    let dense = std::cell::RefCell::new(None::<Vec<String>>);
    each("sparse", |r, revision, tag| {
        let blocks = data(r);
        let shown: Vec<String> = blocks.iter().map(|b| format!("{b:?}")).collect();
        let table = blocks[0];
        assert_eq!(u64s(table, 0), (0..10).collect::<Vec<_>>());
        assert_eq!(u64s(table, 1), [0, 1, 0, 0, 0, 5, 0, 0, 0, 9]);
        let s: Vec<Value> = (0..10).map(|i| table.columns[2].1.get(i)).collect();
        assert_eq!(s[2], Value::String(b"2".to_vec()));
        assert_eq!(s[7], Value::String(b"7".to_vec()));
        assert_eq!(s[8], Value::String(Vec::new()));
        let n: Vec<Value> = (0..10).map(|i| table.columns[3].1.get(i)).collect();
        assert_eq!(n[3], Value::UInt32(3));
        assert_eq!(n[4], Value::Null, "{revision} {tag}");
        assert_eq!(n[9], Value::UInt32(9));
        // The replicated rows: two per source row, in order.
        let joined = blocks[1];
        assert_eq!(u64s(joined, 0), [0, 0, 1, 1, 2, 2, 3, 3]);
        assert_eq!(joined.columns[1].1.get(5), Value::String(b"2".to_vec()));
        let big: Vec<u64> = blocks[2..].iter().flat_map(|b| u64s(b, 0)).collect();
        assert_eq!(big, (0..300).flat_map(|k| [k, k]).collect::<Vec<_>>());
        let strings: Vec<Value> = blocks[2..]
            .iter()
            .flat_map(|b| (0..b.rows).map(|i| b.columns[1].1.get(i)))
            .collect();
        assert_eq!(strings[599], Value::String(b"299".to_vec()));
        let mut dense = dense.borrow_mut();
        match dense.as_ref() {
            None => *dense = Some(shown),
            Some(first) => assert_eq!(&shown, first, "{revision} {tag}"),
        }
    });
}
