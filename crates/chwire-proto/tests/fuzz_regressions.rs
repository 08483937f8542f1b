//! Inputs found by the fuzz targets in `fuzz/` (see `fuzz/README.md`), minimised with
//! `cargo fuzz tmin`. Each asserts a typed error (or the correct result) where the code used to
//! panic, loop or allocate without bound.

use chwire_proto::rowbinary::{RowBinaryEncoder, TypeEncoding, decode_rows, decode_type_binary};
use chwire_proto::tcp::{MIN_REVISION, Packet, Receiver};
use chwire_proto::wire::put_varuint;
use chwire_proto::{
    Block, ByteCursor, DataType, DecodeError, DecodeLimits, JsonParams, NativeDecoder,
    NativeEncoder, RowBinaryDecoder, Value,
};

/// `rowbinary_decoder` mode 1: one column of binary type tag 0x00 (`Nothing`) and one payload
/// byte. `Nothing` occupies no bytes, so the decoder returned empty rows forever without
/// consuming the byte.
#[test]
fn rowbinary_zero_width_rows_with_leftover_input_error() {
    let input: &[u8] = &[0x01, 0x00, 0x01, 0x00, 0x00];
    let limits = DecodeLimits::default();
    let mut cur = ByteCursor::new(&input[3..]);
    let ty = decode_type_binary(&mut cur, &limits).unwrap();
    assert_eq!(ty, DataType::Nothing);
    let payload = &input[4..];

    let mut dec = RowBinaryDecoder::new(vec![ty.clone()]);
    dec.feed(payload);
    assert!(matches!(dec.next_row(), Err(DecodeError::Malformed { .. })));
    // The failure is sticky.
    assert!(dec.next_row().is_err());
    assert!(dec.finish().is_err());

    let types = [ty.clone(), ty.clone()];
    let mut rows = decode_rows(&types, payload, limits);
    assert!(matches!(
        rows.next(),
        Some(Err(DecodeError::Malformed { .. }))
    ));
    assert!(rows.next().is_none());

    // Without leftover bytes there is nothing to decode and nothing wrong.
    let mut dec = RowBinaryDecoder::new(vec![ty.clone()]);
    assert_eq!(dec.next_row(), Ok(None));
    assert_eq!(dec.finish(), Ok(()));
    assert!(decode_rows(&types, &[], limits).next().is_none());

    // A zero-width column next to a real one is fine.
    let mut dec = RowBinaryDecoder::new(vec![ty, DataType::UInt8]);
    dec.feed(&[7]);
    assert_eq!(dec.next_row(), Ok(Some(vec![Value::Null, Value::UInt8(7)])));
    assert_eq!(dec.finish(), Ok(()));
}

/// Decodes a `RowBinaryWithNamesAndTypes` stream (binary header types) to its first error.
fn first_error_binary_header(stream: &[u8]) -> Option<DecodeError> {
    let mut dec = RowBinaryDecoder::with_header(TypeEncoding::Binary);
    dec.feed(stream);
    loop {
        match dec.next_row() {
            Ok(Some(_)) => {}
            Ok(None) => return dec.finish().err(),
            Err(e) => return Some(e),
        }
    }
}

/// `rowbinary_decoder` mode 3 (binary header), found as an out-of-memory: collections of
/// zero-width elements (`Array(Tuple())`, nested in arrays) whose lengths the input does not
/// bound; the decoder tried to build billions of `Value`s (a 3 GB allocation).
#[test]
fn rowbinary_zero_width_collections_oom_artifact_is_limited() {
    let input = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/fuzz/rowbinary_zero_width_oom.bin"
    ))
    .unwrap();
    assert_eq!(input[0] % 4, 3, "mode 3: binary header");
    let e = first_error_binary_header(&input[2..]).expect("must fail");
    assert!(matches!(e, DecodeError::LimitExceeded { .. }), "{e:?}");
}

fn array_of_empty_tuples() -> DataType {
    DataType::parse("Array(Tuple())").unwrap()
}

/// A huge length of zero-width elements is a typed error, decided before allocating.
#[test]
fn rowbinary_huge_zero_width_array_is_limit_exceeded() {
    let mut dec = RowBinaryDecoder::new(vec![array_of_empty_tuples()]);
    let mut data = Vec::new();
    put_varuint(&mut data, (1 << 28) - 1);
    dec.feed(&data);
    assert!(matches!(
        dec.next_row(),
        Err(DecodeError::LimitExceeded { .. })
    ));

    // Many moderate ones in one row share one budget: Array(Array(Tuple())) with 64 inner
    // arrays of 2^16 elements each (4 Mi values from ~200 bytes).
    let ty = DataType::parse("Array(Array(Tuple()))").unwrap();
    let mut data = Vec::new();
    put_varuint(&mut data, 64);
    for _ in 0..64 {
        put_varuint(&mut data, 1 << 16);
    }
    let mut dec = RowBinaryDecoder::new(vec![ty.clone()]);
    dec.feed(&data);
    assert!(matches!(
        dec.next_row(),
        Err(DecodeError::LimitExceeded { .. })
    ));
    let mut rows = decode_rows(std::slice::from_ref(&ty), &data, DecodeLimits::default());
    assert!(matches!(
        rows.next(),
        Some(Err(DecodeError::LimitExceeded { .. }))
    ));
}

/// What the server sends for `SELECT [(), ()] AS a FORMAT RowBinaryWithNamesAndTypes` still
/// decodes, and so do moderately long zero-width arrays (up to 256 elements per row byte).
#[test]
fn rowbinary_zero_width_arrays_from_the_server_decode() {
    let stream = b"\x01\x01a\x0eArray(Tuple())\x02";
    let mut dec = RowBinaryDecoder::with_names_and_types();
    dec.feed(stream);
    assert_eq!(
        dec.next_row(),
        Ok(Some(vec![Value::Array(vec![
            Value::Tuple(vec![]),
            Value::Tuple(vec![])
        ])]))
    );
    assert_eq!(dec.next_row(), Ok(None));
    assert_eq!(dec.finish(), Ok(()));

    let mut dec = RowBinaryDecoder::new(vec![array_of_empty_tuples()]);
    let mut data = Vec::new();
    put_varuint(&mut data, 500);
    dec.feed(&data);
    match dec.next_row() {
        Ok(Some(row)) => assert!(matches!(&row[0], Value::Array(v) if v.len() == 500)),
        other => panic!("{other:?}"),
    }
}

/// `rowbinary_decoder` re-encode check: a `JSON` whose typed path has a zero-width type
/// (`Nothing`) under the empty path name takes one byte per path, but the decoder assumed at
/// least two and reported a complete row at the end of the input as truncated.
#[test]
fn rowbinary_json_typed_zero_width_paths_take_one_byte_each() {
    let json = DataType::Json(Box::new(JsonParams {
        typed_paths: vec![(String::new(), DataType::Nothing)],
        ..JsonParams::default()
    }));
    // Three paths "" of type Nothing: count 3, then three empty path names.
    let row: &[u8] = &[3, 0, 0, 0];
    let expected = Value::Json(vec![
        (String::new(), Value::Null),
        (String::new(), Value::Null),
        (String::new(), Value::Null),
    ]);
    let mut dec = RowBinaryDecoder::new(vec![json.clone()]);
    dec.feed(row);
    assert_eq!(dec.next_row(), Ok(Some(vec![expected.clone()])));
    assert_eq!(dec.finish(), Ok(()));
    let types = [json];
    let rows: Vec<_> = decode_rows(&types, row, DecodeLimits::default()).collect();
    assert_eq!(rows, [Ok(vec![expected])]);
}

/// The fuzzer's original input for the case above (mode 3: binary header).
#[test]
fn rowbinary_json_typed_zero_width_paths_artifact_reencodes() {
    let input = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/fuzz/rowbinary_json_nothing_paths.bin"
    ))
    .unwrap();
    let mut dec = RowBinaryDecoder::with_header(TypeEncoding::Binary);
    dec.feed(&input[2..]);
    let mut rows = Vec::new();
    while let Ok(Some(row)) = dec.next_row() {
        rows.push(row);
    }
    assert_eq!(rows.len(), 3);
    let mut enc = RowBinaryEncoder::new(dec.types().to_vec());
    for row in &rows {
        enc.write_row(row).unwrap();
    }
    let again: Vec<_> = decode_rows(dec.types(), enc.buffer(), DecodeLimits::default())
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(again, rows);
}

/// `rowbinary_decoder` timeout (mode 3): 100 KB of tiny rows of `Nested(a Nothing, Nothing)`,
/// each a length varint asking for many zero-width elements. A fixed per-row allowance still let
/// every 5-byte row build up to a million values; the allowance is now proportional to the
/// row's bytes, so decoding stops at a typed error after a few rows.
#[test]
fn rowbinary_zero_width_many_rows_timeout_artifact_is_limited() {
    let input = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/fuzz/rowbinary_zero_width_many_rows.bin"
    ))
    .unwrap();
    let e = first_error_binary_header(&input[2..]).expect("must fail");
    assert!(matches!(e, DecodeError::LimitExceeded { .. }), "{e:?}");
}

/// `rowbinary_decoder` re-encode check: with an allowance of only 256 values per row byte, a
/// row the encoder writes compactly (`Nested` of two `Nothing` fields, 127 elements: 381 values
/// from a 1-byte length) was rejected; every row now has a fixed allowance on top.
#[test]
fn rowbinary_small_zero_width_collections_round_trip() {
    let nested = DataType::Nested(vec![
        ("a".into(), DataType::Nothing),
        ("b".into(), DataType::Nothing),
    ]);
    let row = vec![Value::Array(vec![
        Value::Tuple(vec![
            Value::Null,
            Value::Null
        ]);
        127
    ])];
    let mut enc = RowBinaryEncoder::new(vec![nested.clone()]);
    enc.write_row(&row).unwrap();
    assert_eq!(enc.buffer(), [127]);
    let mut dec = RowBinaryDecoder::new(vec![nested]);
    dec.feed(enc.buffer());
    assert_eq!(dec.next_row(), Ok(Some(row)));
    assert_eq!(dec.finish(), Ok(()));
}

/// Decodes a whole Native stream, returning its blocks.
fn native_blocks(stream: &[u8]) -> Result<Vec<Block>, DecodeError> {
    let mut dec = NativeDecoder::new();
    dec.feed(stream);
    let mut blocks = Vec::new();
    while let Some(b) = dec.finish()? {
        blocks.push(b);
    }
    Ok(blocks)
}

/// `native_decoder` re-encode check: a `Nested(x Tuple(), y String)` block did not re-encode
/// (the `Tuple()` column cannot record its row count). Investigating it showed the reader also
/// misread `Tuple()` columns from the server, which writes one placeholder byte `'0'` per row:
/// `SELECT [(), ()] AS a, ((), 'x') AS t FORMAT Native` (captured from ClickHouse 26.9).
#[test]
fn native_empty_tuple_columns_from_the_server_round_trip() {
    let server: &[u8] = b"\x02\x01\x01a\x0eArray(Tuple())\x02\0\0\0\0\0\0\0\x30\x30\
        \x01t\x16Tuple(Tuple(), String)\x30\x01x";
    let blocks = native_blocks(server).unwrap();
    assert_eq!(blocks.len(), 1);
    let block = &blocks[0];
    assert_eq!(block.rows, 1);
    let a = block.column("a").unwrap();
    assert_eq!(
        a.try_get(0).ok(),
        Some(Value::Array(vec![
            Value::Tuple(vec![]),
            Value::Tuple(vec![])
        ]))
    );
    let t = block.column("t").unwrap();
    assert_eq!(
        t.try_get(0).ok(),
        Some(Value::Tuple(vec![
            Value::Tuple(vec![]),
            Value::String(b"x".to_vec())
        ]))
    );
    assert_eq!(NativeEncoder::new().encode(block).unwrap(), server);
}

/// The fuzzer's input: a `Nested(x Tuple, y String)` block must re-encode and decode back.
#[test]
fn native_nested_empty_tuple_artifact_round_trips() {
    let input = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/fuzz/native_nested_empty_tuple.bin"
    ))
    .unwrap();
    // Layout of the fuzz input: flags, two split bytes, then the stream.
    let mut dec = NativeDecoder::new();
    dec.feed(&input[3..]);
    let mut blocks = Vec::new();
    while let Ok(Some(b)) = dec.finish() {
        blocks.push(b);
    }
    for block in &blocks {
        let bytes = NativeEncoder::new().encode(block).unwrap();
        assert_eq!(&native_blocks(&bytes).unwrap(), std::slice::from_ref(block));
    }
}

/// `native_decoder` "finish returned a block without consuming input": a false alarm of the
/// target's progress check. `finish` decodes every buffered block at once and then returns them
/// one per call, so the second call consumes nothing. Here the second block is the two-byte
/// empty block (`00 00`: no columns, no rows). The target now bounds the number of blocks by
/// the input length instead (every block takes at least two bytes).
#[test]
fn native_finish_returns_every_block_decoded_at_once() {
    let stream: &[u8] = b"\x01\x01\x01a\x05UInt8\x07\x00\x00";
    let mut dec = NativeDecoder::new();
    dec.feed(stream);
    let first = dec.finish().unwrap().unwrap();
    assert_eq!(
        (first.rows, first.column("a").unwrap().try_get(0).ok()),
        (1, Some(Value::UInt8(7)))
    );
    assert_eq!(dec.buffered(), 0);
    let second = dec.finish().unwrap().unwrap();
    assert_eq!((second.rows, second.columns.len()), (0, 0));
    assert_eq!(dec.finish(), Ok(None));
    // Streaming gives the same two blocks.
    let mut dec = NativeDecoder::new();
    dec.feed(stream);
    assert_eq!(dec.next_block().unwrap(), Some(first));
    assert_eq!(dec.next_block().unwrap(), Some(second));
    assert_eq!(dec.next_block().unwrap(), None);
    assert_eq!(dec.finish(), Ok(None));
}
/// `rowbinary_decoder` timeout (10 s under `nice 19` on a machine loaded by five builds): a
/// 30 KB `RowBinaryWithNamesAndTypes` stream of columns `UInt8, Nothing, Nothing` holds 30 682
/// one-byte rows. The instrumented target takes 0.7 s on it (decoding whole and in pieces, Debug
/// formatting and re-encoding every row) and the plain decoder 7 ms in release: work linear in
/// the rows, starved by the scheduler, not a hang. Kept as a check of the decoded result.
#[test]
fn rowbinary_many_one_byte_rows_artifact_decodes() {
    let input = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/fuzz/rowbinary_many_one_byte_rows.bin"
    ))
    .unwrap();
    // Layout of the fuzz input: mode 3 (binary header types), a chunk seed, then the stream.
    assert_eq!(input[0] % 4, 3);
    let mut dec = RowBinaryDecoder::with_header(TypeEncoding::Binary);
    dec.feed(&input[2..]);
    let mut rows = 0;
    while let Some(row) = dec.next_row().unwrap() {
        assert!(matches!(
            row.as_slice(),
            [Value::UInt8(_), Value::Null, Value::Null]
        ));
        rows += 1;
    }
    assert_eq!(dec.finish(), Ok(()));
    assert_eq!(
        dec.types(),
        [DataType::UInt8, DataType::Nothing, DataType::Nothing]
    );
    assert_eq!(rows, 30_682);
}

/// `http_response` "piecewise parsing differs": a `204` followed by stray bytes was recorded as
/// reusable when the stray bytes came in a later piece, because the target read reusability at
/// the end of the response. The parser was right: bytes after the end, whenever they arrive,
/// make the connection unusable. The target now reads it once all input is in.
#[test]
fn http_bytes_after_a_bodiless_response_make_it_unusable_whenever_they_arrive() {
    use chwire_proto::http::{HttpResponseParser, ResponseConfig, ResponseEvent};
    let head: &[u8] = b"HTTP/1.1 204 No Content\r\n\r\n";
    let stray: &[u8] = b"0\r\n\r\n";
    let ends = |p: &mut HttpResponseParser| {
        assert!(matches!(p.next_event(), Ok(Some(ResponseEvent::Head(_)))));
        assert_eq!(p.next_event(), Ok(Some(ResponseEvent::End)));
    };
    let mut whole = HttpResponseParser::new(ResponseConfig::default());
    whole.feed(&[head, stray].concat());
    ends(&mut whole);
    assert!(!whole.is_reusable());

    let mut pieces = HttpResponseParser::new(ResponseConfig::default());
    pieces.feed(head);
    ends(&mut pieces);
    assert!(pieces.is_reusable());
    pieces.feed(stray);
    assert!(!pieces.is_reusable());
}

/// A fuzz input from `tests/golden/fuzz/` (layout: flags, two split bytes, then the stream).
fn fuzz_input(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/golden/fuzz/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(path).unwrap()
}

/// Every block, then the error that ended decoding, feeding `pieces` one after the other.
fn native_outcome(pieces: &[&[u8]]) -> (Vec<Block>, Option<DecodeError>) {
    let mut dec = NativeDecoder::new();
    let mut blocks = Vec::new();
    for piece in pieces {
        dec.feed(piece);
        loop {
            match dec.next_block() {
                Ok(Some(b)) => blocks.push(b),
                Ok(None) => break,
                Err(e) => return (blocks, Some(e)),
            }
        }
    }
    loop {
        match dec.finish() {
            Ok(Some(b)) => blocks.push(b),
            Ok(None) => return (blocks, None),
            Err(e) => return (blocks, Some(e)),
        }
    }
}

/// `native_decoder` split check: a `String` column, then a `Dynamic` column type whose bytes
/// hold a varint of more than 10 bytes. Fed whole the error said byte 10, split at 137 byte 3:
/// offsets counted from where the failing step started. They now count from the stream start,
/// the same at every split.
#[test]
fn native_error_offset_is_the_stream_offset_at_every_split() {
    let input = fuzz_input("native_offset_split.bin");
    let stream = &input[3..];
    let (blocks, error) = native_outcome(&[stream]);
    let Some(DecodeError::Malformed { offset, reason }) = &error else {
        panic!("expected a Malformed error, got {error:?}");
    };
    assert_eq!(reason, "varint longer than 10 bytes");
    // The fifth value's length prefix starts at stream byte 130 (after the block header, the
    // column header and four values, the fourth 110 bytes long) and is eleven `c2` bytes; the
    // error is after the tenth.
    assert_eq!(&stream[130..141], &[0xc2; 11]);
    assert_eq!(*offset, 140);
    for split in 0..=stream.len() {
        let (a, b) = stream.split_at(split);
        assert_eq!(
            native_outcome(&[a, b]),
            (blocks.clone(), error.clone()),
            "split at {split}"
        );
    }
    let bytes: Vec<&[u8]> = stream.chunks(1).collect();
    assert_eq!(native_outcome(&bytes), (blocks, error), "byte by byte");
}

/// The packets, then the error that ended parsing, feeding `pieces` to a receiver at the
/// oldest revision without compression.
fn tcp_outcome(pieces: &[&[u8]]) -> (Vec<Packet>, Option<String>) {
    let mut receiver = Receiver::new(MIN_REVISION, DecodeLimits::default());
    let mut packets = Vec::new();
    for piece in pieces {
        if let Err(e) = receiver.feed(piece, &mut packets) {
            return (packets, Some(e.to_string()));
        }
    }
    (packets, None)
}

/// `tcp_receiver` split check: a server Hello, then a Data packet whose block holds a varint
/// of more than 10 bytes. Fed whole the error said byte 10, split at 511 byte 4; it is now the
/// offset in the received stream at every split.
#[test]
fn tcp_error_offset_is_the_stream_offset_at_every_split() {
    let input = fuzz_input("tcp_offset_split.bin");
    assert_eq!(input[0], 0, "flags: oldest revision, uncompressed");
    let stream = &input[3..];
    let (packets, error) = tcp_outcome(&[stream]);
    assert!(
        matches!(packets.first(), Some(Packet::Hello(_))),
        "{packets:?}"
    );
    let error = error.expect("the stream is malformed");
    assert!(error.contains("varint longer than 10 bytes"), "{error}");
    let at: usize = error
        .split("at byte ")
        .nth(1)
        .and_then(|s| s.split(':').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no offset in {error}"));
    // Fed split at 511 the error used to say byte 4: 511 + 4 is the stream offset, 10 bytes
    // into a run of `ff` that starts no later than byte 505.
    assert_eq!(at, 515, "{error}");
    assert!(stream[505..515].iter().all(|&b| b == 0xff));
    for split in 0..=stream.len() {
        let (a, b) = stream.split_at(split);
        assert_eq!(
            tcp_outcome(&[a, b]),
            (packets.clone(), Some(error.clone())),
            "split at {split}"
        );
    }
    let bytes: Vec<&[u8]> = stream.chunks(1).collect();
    assert_eq!(tcp_outcome(&bytes), (packets, Some(error)), "byte by byte");
}
