//! State-machine rules and hostile input, on top of a real server Hello.

use super::*;
use crate::native::Block;
use crate::server::Credentials;
use crate::wire::{DecodeError, put_string, put_varuint};

/// The server Hello of a capture at [`REVISION`] (its first reply segment).
fn server_hello() -> Vec<u8> {
    let tcp = include_bytes!("../../tests/golden/tcp/select_1.54492.none.tcp");
    let n = u32::from_le_bytes(tcp[..4].try_into().unwrap()) as usize;
    tcp[4..4 + n].to_vec()
}

fn ready() -> Connection {
    let mut c = Connection::new(ClientHello::new(Credentials::new("default", "")));
    c.handle_input(&server_hello()).unwrap();
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
