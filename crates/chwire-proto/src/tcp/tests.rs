//! State-machine rules and hostile input, on top of a real server Hello.

use super::*;
use crate::compression::Compression;
use crate::native::Block;
use crate::server::Credentials;
use crate::wire::{DecodeError, put_string, put_varuint};

/// The server Hello of a capture at `revision` (its first reply segment).
fn server_hello(revision: u64) -> Vec<u8> {
    let tcp: &[u8] = match revision {
        MIN_REVISION => include_bytes!("../../tests/golden/tcp/select_1.54460.none.tcp"),
        _ => include_bytes!("../../tests/golden/tcp/select_1.54492.none.tcp"),
    };
    let n = u32::from_le_bytes(tcp[..4].try_into().unwrap()) as usize;
    tcp[4..4 + n].to_vec()
}

fn ready() -> Connection {
    let mut c = Connection::new(ClientHello::new(Credentials::new("default", "")));
    c.handle_input(&server_hello(REVISION)).unwrap();
    assert!(matches!(c.poll_event(), Some(Event::Hello(_))));
    c.poll_transmit();
    assert!(c.is_reusable());
    c
}

fn not_allowed(r: Result<(), StateError>, action: &str, state: State) {
    match r {
        Err(StateError::NotAllowed {
            action: a,
            state: s,
        }) => assert_eq!((a, s), (action, state)),
        other => panic!("expected NotAllowed, got {other:?}"),
    }
}

#[test]
fn misuse_is_a_typed_error_and_sends_nothing() {
    let mut c = ready();
    not_allowed(c.send_block(&Block::default()), "send_block", State::Ready);
    not_allowed(c.cancel(), "cancel", State::Ready);
    c.query(&Query::new("q", "SELECT 1")).unwrap();
    c.poll_transmit();
    not_allowed(
        c.query(&Query::new("q2", "SELECT 2")),
        "query",
        State::Receiving,
    );
    not_allowed(c.ping(), "ping", State::Receiving);
    assert_eq!(c.poll_transmit(), None);
    assert!(!c.is_reusable());
}

#[test]
fn cancel_is_reusable_only_after_the_drain() {
    let mut c = ready();
    c.query(&Query::new("q", "SELECT 1")).unwrap();
    c.cancel().unwrap();
    assert_eq!(c.state(), State::Cancelling);
    assert!(!c.is_reusable());
    c.poll_transmit();
    // EndOfStream drains it.
    c.handle_input(&[5]).unwrap();
    assert_eq!(c.poll_event(), Some(Event::EndOfStream));
    assert!(c.is_reusable());
}

/// A Cancel written from outside the state (`cancel_packet`, the bytes `cancel` sends): what
/// the server answers after it (Data still in flight, then EndOfStream or an Exception), fed
/// whole or split at every byte, leaves the connection reusable, never before its last byte.
#[test]
fn a_cancel_sent_elsewhere_drains_at_every_split() {
    assert_eq!(Connection::cancel_packet(), vec![3]);
    let mut c = receiving(REVISION, None);
    c.cancel().unwrap();
    assert_eq!(c.poll_transmit(), Some(Connection::cancel_packet()));
    // Data: an empty block (no table name, default BlockInfo, 0 columns, 0 rows), then the end.
    let mut data = vec![1, 0];
    data.extend_from_slice(&[1, 0, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0]);
    let mut exception = vec![2];
    exception.extend_from_slice(&394u32.to_le_bytes());
    for s in ["DB::Exception", "Query was cancelled.", "trace"] {
        put_string(&mut exception, s.as_bytes());
    }
    exception.push(0);
    for (end, eos) in [(vec![5u8], true), (exception, false)] {
        let mut answer = data.clone();
        answer.extend_from_slice(&end);
        for k in 0..=answer.len() {
            let (a, b) = answer.split_at(k);
            // Receiving (the Cancel went out elsewhere) or Cancelling (through `cancel`).
            for cancel in [false, true] {
                let mut c = receiving(REVISION, None);
                if cancel {
                    c.cancel().unwrap();
                    c.poll_transmit();
                }
                let mut events = Vec::new();
                let mut fed = 0;
                for piece in [a, b] {
                    assert!(!c.is_reusable(), "split at {k}");
                    c.handle_input(piece).unwrap();
                    fed += piece.len();
                    while let Some(e) = c.poll_event() {
                        events.push(e);
                    }
                    if fed == answer.len() {
                        break;
                    }
                }
                assert!(c.is_reusable(), "split at {k}");
                assert!(
                    matches!(events[0], Event::Header(_)),
                    "split at {k}: {events:?}"
                );
                assert_eq!(events.len(), 2, "split at {k}: {events:?}");
                match &events[1] {
                    Event::EndOfStream => assert!(eos, "split at {k}"),
                    Event::Exception(e) => assert!(!eos && e.code == 394, "split at {k}"),
                    other => panic!("split at {k}: {other:?}"),
                }
            }
        }
    }
}

#[test]
fn a_failed_insert_owes_exactly_one_terminator() {
    let mut c = ready();
    c.insert(&Query::new("q", "INSERT INTO t VALUES")).unwrap();
    c.poll_transmit();
    // The schema: Data, table "", BlockInfo, 0 columns, 0 rows.
    c.handle_input(&[1, 0, 1, 0, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0])
        .unwrap();
    assert!(matches!(c.poll_event(), Some(Event::Schema(_))));
    assert_eq!(c.state(), State::Sending);
    let mut exception = vec![2];
    exception.extend_from_slice(&469i32.to_le_bytes());
    for s in [
        "DB::Exception",
        "DB::Exception: bad (VIOLATED_CONSTRAINT)",
        "trace",
    ] {
        put_string(&mut exception, s.as_bytes());
    }
    exception.push(0);
    c.handle_input(&exception).unwrap();
    match c.poll_event() {
        Some(Event::Exception(e)) => {
            assert_eq!(
                (e.code, e.name.as_deref()),
                (469, Some("VIOLATED_CONSTRAINT"))
            );
            assert_eq!(e.stack_trace(), Some("trace"));
        }
        other => panic!("{other:?}"),
    }
    // The empty block: Data, "", BlockInfo, 0, 0.
    assert_eq!(
        c.poll_transmit(),
        Some(vec![2, 0, 1, 0, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0])
    );
    assert!(c.is_reusable());
    not_allowed(c.finish_input(), "finish_input", State::Ready);
}

#[test]
fn unknown_and_server_only_packets_are_typed_errors() {
    let mut c = ready();
    c.query(&Query::new("q", "SELECT 1")).unwrap();
    assert_eq!(c.handle_input(&[99]), Err(TcpError::UnknownPacket(99)));
    assert_eq!(c.state(), State::Closed);
    let mut c = ready();
    c.query(&Query::new("q", "SELECT 1")).unwrap();
    assert_eq!(
        c.handle_input(&[12]),
        Err(TcpError::NotForClient("PartUUIDs"))
    );
    // A Pong nobody asked for.
    let mut c = ready();
    assert!(matches!(
        c.handle_input(&[4]),
        Err(TcpError::UnexpectedPacket {
            packet: "Pong",
            state: State::Ready
        })
    ));
}

#[test]
fn hostile_lengths_are_rejected_before_allocating() {
    let mut c = ready();
    c.query(&Query::new("q", "SELECT 1")).unwrap();
    let mut e = vec![2, 0, 0, 0, 0];
    put_varuint(&mut e, u64::MAX >> 1);
    assert!(matches!(
        c.handle_input(&e),
        Err(TcpError::Decode(DecodeError::LimitExceeded { .. }))
    ));
    // Nested exceptions beyond the cap.
    let mut c = ready();
    c.query(&Query::new("q", "SELECT 1")).unwrap();
    let mut e = vec![2];
    for _ in 0..40 {
        e.extend_from_slice(&1i32.to_le_bytes());
        for s in ["a", "b", "c"] {
            put_string(&mut e, s.as_bytes());
        }
        e.push(1);
    }
    assert!(matches!(
        c.handle_input(&e),
        Err(TcpError::Decode(DecodeError::LimitExceeded {
            what: "nested exceptions",
            ..
        }))
    ));
}

#[test]
fn eof_is_clean_only_when_idle() {
    let mut c = ready();
    assert_eq!(c.handle_eof(), Ok(()));
    let mut c = ready();
    c.query(&Query::new("q", "SELECT 1")).unwrap();
    assert_eq!(c.handle_eof(), Err(TcpError::Closed(State::Receiving)));
}

#[test]
fn traceparent_parses_only_the_w3c_form() {
    let t =
        TraceContext::from_traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
            .unwrap();
    assert_eq!(t.trace_id[..3], [0x0a, 0xf7, 0x65]);
    assert_eq!(t.trace_id[15], 0x9c);
    assert_eq!(t.span_id, [0xb7, 0xad, 0x6b, 0x71, 0x69, 0x20, 0x33, 0x31]);
    assert_eq!(t.flags, 1);
    for bad in [
        "",
        "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-",
        "00-0af7651916cd43dd8448eb211c80319g-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b71692033é-01",
    ] {
        assert_eq!(TraceContext::from_traceparent(bad), None, "{bad}");
    }
}

/// The body of a Log packet as `TCPHandler::sendLogData` writes it: BlockInfo, then the block
/// of `InternalTextLogsQueue::getSampleBlock()` (event_time DateTime, event_time_microseconds
/// UInt32, host_name, query_id String, thread_id UInt64, priority Int8, source, text String)
/// with the custom-serialization byte after each type; from 54480 BlockInfo has field 3, from
/// 54492 `String` data is the u64 end offsets, then the bytes. Built by hand, not by chwire's
/// encoder, since the embedded server sends no Log packets to capture.
fn log_block(revision: u64) -> Vec<u8> {
    let mut b = vec![1, 0, 2, 0xff, 0xff, 0xff, 0xff];
    if revision >= 54480 {
        b.extend_from_slice(&[3, 0]);
    }
    b.extend_from_slice(&[0, 8, 2]);
    let column = |b: &mut Vec<u8>, name: &str, ty: &str, data: &[u8]| {
        put_string(b, name.as_bytes());
        put_string(b, ty.as_bytes());
        b.push(0);
        b.extend_from_slice(data);
    };
    let strings = |values: [&str; 2]| {
        let mut data = Vec::new();
        if revision >= REVISION {
            let mut end = 0u64;
            for v in values {
                end += v.len() as u64;
                data.extend_from_slice(&end.to_le_bytes());
            }
            for v in values {
                data.extend_from_slice(v.as_bytes());
            }
        } else {
            for v in values {
                put_string(&mut data, v.as_bytes());
            }
        }
        data
    };
    let le = |a: &[u8], b: &[u8]| [a, b].concat();
    column(
        &mut b,
        "event_time",
        "DateTime",
        &le(
            &1_764_700_000u32.to_le_bytes(),
            &1_764_700_001u32.to_le_bytes(),
        ),
    );
    column(
        &mut b,
        "event_time_microseconds",
        "UInt32",
        &le(&5u32.to_le_bytes(), &999_999u32.to_le_bytes()),
    );
    column(&mut b, "host_name", "String", &strings(["vm", "vm"]));
    column(&mut b, "query_id", "String", &strings(["q", "q"]));
    column(
        &mut b,
        "thread_id",
        "UInt64",
        &le(&42u64.to_le_bytes(), &43u64.to_le_bytes()),
    );
    column(&mut b, "priority", "Int8", &[8, 3]);
    column(
        &mut b,
        "source",
        "String",
        &strings(["executeQuery", "TCPHandler"]),
    );
    column(
        &mut b,
        "text",
        "String",
        &strings(["Read 1 rows", "Code: 395. boom"]),
    );
    b
}

/// A connection at `revision` whose query (with `compression`) is receiving its result.
fn receiving(revision: u64, compression: Option<Compression>) -> Connection {
    let mut hello = ClientHello::new(Credentials::new("default", ""));
    hello.revision = revision;
    let mut c = Connection::new(hello);
    c.handle_input(&server_hello(revision)).unwrap();
    assert!(matches!(c.poll_event(), Some(Event::Hello(_))));
    let mut q = Query::new("q", "SELECT 1");
    q.compression = compression;
    c.query(&q).unwrap();
    while c.poll_transmit().is_some() {}
    c
}

/// Log packets at both revisions, raw and (from 54481, when the query is compressed) with the
/// block in one compressed frame, fed whole and split at every byte: the same Log event with
/// the server's rows, and the query still ends normally.
#[test]
fn log_packets_in_the_servers_layout_decode_at_every_split() {
    use crate::compression::compress_block;
    for (revision, compression) in [
        (MIN_REVISION, None),
        (MIN_REVISION, Some(Compression::Lz4)),
        (REVISION, None),
        (REVISION, Some(Compression::Lz4)),
        (REVISION, Some(Compression::Zstd { level: 3 })),
    ] {
        let body = log_block(revision);
        let mut packet = vec![10, 0];
        match compression {
            // Below 54481 logs stay raw even when the query is compressed.
            Some(c) if revision >= 54481 => compress_block(c, &body, &mut packet).unwrap(),
            _ => packet.extend_from_slice(&body),
        }
        packet.push(5);
        let events = |pieces: &[&[u8]]| {
            let mut c = receiving(revision, compression);
            let mut out = Vec::new();
            for p in pieces {
                c.handle_input(p).unwrap();
                while let Some(e) = c.poll_event() {
                    out.push(e);
                }
            }
            (out, c.is_reusable())
        };
        let (whole, reusable) = events(&[&packet]);
        let case = format!("{revision} {compression:?}");
        assert!(reusable, "{case}");
        let [Event::Log(block), Event::EndOfStream] = &whole[..] else {
            panic!("{case}: {whole:?}");
        };
        assert_eq!(block.rows, 2, "{case}");
        let col = |name: &str, row| block.column(name).unwrap().try_get(row).unwrap();
        assert_eq!(
            col("text", 1),
            crate::Value::String(b"Code: 395. boom".to_vec())
        );
        assert_eq!(
            col("source", 0),
            crate::Value::String(b"executeQuery".to_vec())
        );
        assert_eq!(col("priority", 0), crate::Value::Int8(8));
        assert_eq!(col("thread_id", 1), crate::Value::UInt64(43));
        assert_eq!(
            col("event_time_microseconds", 1),
            crate::Value::UInt32(999_999)
        );
        for k in 0..=packet.len() {
            let (a, b) = packet.split_at(k);
            assert_eq!(
                events(&[a, b]),
                (whole.clone(), true),
                "{case}: split at {k}"
            );
        }
    }
}

/// Starts an INSERT (with `compression`) on `c` and feeds it the server's schema block (no
/// columns): the connection is then sending blocks.
fn start_sending(c: &mut Connection, compression: Option<Compression>) {
    let mut q = Query::new("q", "INSERT INTO t VALUES");
    q.compression = compression;
    c.insert(&q).unwrap();
    while c.poll_transmit().is_some() {}
    let mut block = Vec::new();
    crate::native::write_block_info(&mut block, &Default::default());
    block.extend_from_slice(&[0, 0]);
    let mut schema = vec![1];
    put_string(&mut schema, b"");
    match compression {
        None => schema.extend_from_slice(&block),
        Some(m) => {
            let mut framed = bytes::BytesMut::new();
            crate::compression::CompressedBlockWriter::new(m)
                .write(&block, &mut framed)
                .unwrap();
            schema.extend_from_slice(&framed);
        }
    }
    c.handle_input(&schema).unwrap();
    assert!(matches!(c.poll_event(), Some(Event::Schema(_))));
}

/// A detached encoder's packets are the bytes `send_block` queues, for every compression; an
/// empty block, a connection not sending and a packet of the connection's previous insert are
/// refused.
#[test]
fn detached_data_packets_are_what_send_block_sends() {
    use crate::{Column, DataType, Value};
    let ty = DataType::UInt64;
    let col = Column::from_values(&ty, (0..5000u64).map(Value::UInt64)).unwrap();
    let block = Block::new(vec![("x".into(), col)]).unwrap();
    for compression in [
        None,
        Some(Compression::Lz4),
        Some(Compression::Zstd { level: 3 }),
    ] {
        let mut c = ready();
        start_sending(&mut c, compression);
        let mut inline = c.clone();
        inline.send_block(&block).unwrap();
        inline.send_block(&block).unwrap();
        let mut encoder = c.data_encoder().unwrap();
        for _ in 0..2 {
            let packet = encoder.encode(&block).unwrap();
            assert_eq!(packet.rows(), 5000);
            c.send_encoded(packet).unwrap();
        }
        assert_eq!(c.poll_transmit(), inline.poll_transmit(), "{compression:?}");
        assert!(encoder.encode(&Block::default()).is_err());

        let stale = encoder.encode(&block).unwrap();
        c.finish_input().unwrap();
        not_allowed(c.data_encoder().map(drop), "data_encoder", State::Receiving);
        c.poll_transmit();
        c.handle_input(&[5]).unwrap(); // EndOfStream
        while c.poll_event().is_some() {}
        assert!(c.is_reusable());
        start_sending(&mut c, compression);
        not_allowed(
            c.send_encoded(stale),
            "send_encoded (a packet encoded for an earlier query)",
            State::Sending,
        );
        assert_eq!(c.poll_transmit(), None);
    }
}
