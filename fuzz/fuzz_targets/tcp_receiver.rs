//! Native TCP server-packet parsing (`tcp::Receiver`) of hostile bytes.
//!
//! Input layout: `[flags, split_lo, split_hi, stream...]`; bit 0 of `flags` selects the client
//! revision (`MIN_REVISION` or `REVISION`), bit 1 compressed blocks (as after a query sent with
//! compression).
//!
//! Properties: no panic; bounded memory (run with `-malloc_limit_mb`); feeding the stream in two
//! pieces split at a fuzz-chosen position yields the same packets and the same error as
//! feeding it whole (error offsets included).
#![no_main]

use chwire_proto::DecodeLimits;
use chwire_proto::tcp::{MIN_REVISION, REVISION, Receiver};
use libfuzzer_sys::fuzz_target;

/// Packets (as Debug strings, so NaN compares equal) and the error that ended parsing.
fn run(flags: u8, pieces: &[&[u8]]) -> (Vec<String>, Option<String>) {
    let revision = if flags & 1 == 0 {
        MIN_REVISION
    } else {
        REVISION
    };
    let mut receiver = Receiver::new(revision, DecodeLimits::default());
    receiver.set_compressed(flags & 2 != 0);
    let mut packets = Vec::new();
    for piece in pieces {
        if let Err(e) = receiver.feed(piece, &mut packets) {
            return (
                packets.iter().map(|p| format!("{p:?}")).collect(),
                Some(e.to_string()),
            );
        }
    }
    (packets.iter().map(|p| format!("{p:?}")).collect(), None)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let (flags, split, stream) = (
        data[0],
        usize::from(u16::from_le_bytes([data[1], data[2]])),
        &data[3..],
    );
    let whole = run(flags, &[stream]);
    let k = split % (stream.len() + 1);
    let split = run(flags, &[&stream[..k], &stream[k..]]);
    assert_eq!(whole, split, "split at {k}");
});
