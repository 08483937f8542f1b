//! Inputs found by the fuzz targets in `fuzz/` (see `fuzz/README.md`), minimised with
//! `cargo fuzz tmin`. Each asserts a typed error (or the correct result) where the code used to
//! panic, loop or allocate without bound.

use chwire_proto::rowbinary::{decode_rows, decode_type_binary};
use chwire_proto::{ByteCursor, DataType, DecodeError, DecodeLimits, RowBinaryDecoder};

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
    assert!(matches!(rows.next(), Some(Err(DecodeError::Malformed { .. }))));
    assert!(rows.next().is_none());

    // Without leftover bytes there is nothing to decode and nothing wrong.
    let mut dec = RowBinaryDecoder::new(vec![ty.clone()]);
    assert_eq!(dec.next_row(), Ok(None));
    assert_eq!(dec.finish(), Ok(()));
    assert!(decode_rows(&types, &[], limits).next().is_none());

    // A zero-width column next to a real one is fine.
    let mut dec = RowBinaryDecoder::new(vec![ty, DataType::UInt8]);
    dec.feed(&[7]);
    assert_eq!(
        dec.next_row(),
        Ok(Some(vec![chwire_proto::Value::Null, chwire_proto::Value::UInt8(7)]))
    );
    assert_eq!(dec.finish(), Ok(()));
}
