//! The decimal helpers' hook: a value that carries its own scale (`rust_decimal::Decimal`) is
//! exchanged with typed rows as one `i128` packing mantissa and scale, under a newtype named
//! [`TAG`], so typed rows can rescale it to the column's scale exactly (or fail) instead of
//! storing a mantissa of the wrong scale.

use chwire_proto::types::decimal_size;
use chwire_proto::{ByteCursor, DataType};

use super::error::RowError;

/// The newtype name the decimal helpers serialize under.
pub(crate) const TAG: &str = "chwire::Decimal";

/// What the helper expects of the column, for mismatch errors.
pub(crate) const EXPECTED: &str = "a decimal (a Decimal column)";

/// The type the packed value is serialized as, to be read back from the output.
pub(crate) const PACKED: &DataType = &DataType::Int128;

/// `mantissa` and `scale` in one `i128` (scale in the low 8 bits); `None` when the mantissa
/// needs more than 119 bits.
#[inline]
pub(crate) fn pack(mantissa: i128, scale: u32) -> Option<i128> {
    let scale = u8::try_from(scale).ok()?;
    Some(mantissa.checked_mul(256)? | i128::from(scale))
}

/// The mantissa and scale of a [`pack`]ed value.
#[inline]
pub(crate) fn unpack(packed: i128) -> (i128, u32) {
    (packed >> 8, (packed & 0xff) as u32)
}

/// Reads a `Decimal(P, S)` value as its [`pack`]ed mantissa and column scale.
pub(crate) fn read(cur: &mut ByteCursor<'_>, ty: &DataType) -> Result<i128, RowError> {
    let &DataType::Decimal { precision, scale } = ty else {
        return Err(RowError::mismatch(EXPECTED, ty));
    };
    let mantissa = match decimal_size(precision) {
        4 => i128::from(cur.i32_le()?),
        8 => i128::from(cur.i64_le()?),
        16 => cur.i128_le()?,
        _ => i256_to_i128(cur.array::<32>()?)
            .ok_or_else(|| RowError::invalid(format!("{ty} value does not fit 128 bits")))?,
    };
    pack(mantissa, u32::from(scale))
        .ok_or_else(|| RowError::invalid(format!("{ty} value {mantissa} does not fit 119 bits")))
}

/// Removes the [`pack`]ed `i128` serialized at `at` from `out` and returns it.
pub(crate) fn take_packed(out: &mut Vec<u8>, at: usize) -> Result<i128, RowError> {
    let bytes: [u8; 16] = out
        .get(at..)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| RowError::invalid(format!("{TAG} did not serialize as an i128")))?;
    out.truncate(at);
    Ok(i128::from_le_bytes(bytes))
}

/// Writes a [`pack`]ed value into a `Decimal(P, S)` column: rescaled to `S` exactly and
/// checked against `P` digits, or an error naming the value and the column type.
pub(crate) fn write(packed: i128, ty: &DataType, out: &mut Vec<u8>) -> Result<(), RowError> {
    let &DataType::Decimal { precision, scale } = ty else {
        return Err(RowError::mismatch(EXPECTED, ty));
    };
    let (mantissa, from) = unpack(packed);
    let fail = |why: &str| RowError::invalid(format!("{} {why} {ty}", show(mantissa, from)));
    let m = rescale(mantissa, from, u32::from(scale))
        .ok_or_else(|| fail("has digits beyond the scale of"))?;
    let fits = match 10u128.checked_pow(u32::from(precision)) {
        Some(limit) => m.unsigned_abs() < limit,
        None => true, // more than 38 digits: every i128 fits
    };
    if !fits {
        return Err(fail("has more digits than"));
    }
    match decimal_size(precision) {
        4 => out.extend_from_slice(&(m as i32).to_le_bytes()),
        8 => out.extend_from_slice(&(m as i64).to_le_bytes()),
        16 => out.extend_from_slice(&m.to_le_bytes()),
        _ => {
            out.extend_from_slice(&m.to_le_bytes());
            out.extend_from_slice(&[if m < 0 { 0xff } else { 0 }; 16]);
        }
    }
    Ok(())
}

/// `mantissa` at scale `from` as a mantissa at scale `to`, if that is exact and fits.
fn rescale(mantissa: i128, from: u32, to: u32) -> Option<i128> {
    if to >= from {
        mantissa.checked_mul(10i128.checked_pow(to - from)?)
    } else {
        let f = 10i128.checked_pow(from - to)?;
        (mantissa % f == 0).then_some(mantissa / f)
    }
}

/// A little-endian 256-bit integer as an `i128`, if it fits.
fn i256_to_i128(b: [u8; 32]) -> Option<i128> {
    let (low, high) = b.split_at(16);
    let low = i128::from_le_bytes(low.try_into().ok()?);
    let sign = if low < 0 { 0xff } else { 0 };
    high.iter().all(|&x| x == sign).then_some(low)
}

/// The decimal text of `mantissa` at `scale`, for error messages.
fn show(mantissa: i128, scale: u32) -> String {
    let digits = mantissa.unsigned_abs().to_string();
    let sign = if mantissa < 0 { "-" } else { "" };
    let scale = scale as usize;
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{sign}{int}.{frac}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(precision: u8, scale: u8) -> DataType {
        DataType::Decimal { precision, scale }
    }

    fn written(mantissa: i128, scale: u32, ty: &DataType) -> Result<Vec<u8>, RowError> {
        let mut out = Vec::new();
        write(pack(mantissa, scale).unwrap(), ty, &mut out)?;
        Ok(out)
    }

    #[test]
    fn packs_mantissa_and_scale() {
        for (m, s) in [
            (0, 0),
            (-1, 28),
            (12345, 2),
            (-(1 << 100), 7),
            (1 << 118, 255),
        ] {
            assert_eq!(unpack(pack(m, s).unwrap()), (m, s));
        }
        assert_eq!(pack(1 << 120, 0), None);
        assert_eq!(pack(1, 256), None);
    }

    #[test]
    fn writes_rescaled_exactly_at_the_column_width() {
        assert_eq!(written(15, 1, &dec(9, 2)).unwrap(), 150i32.to_le_bytes());
        assert_eq!(
            written(-1500, 3, &dec(18, 2)).unwrap(),
            (-150i64).to_le_bytes()
        );
        assert_eq!(
            written(7, 0, &dec(38, 10)).unwrap(),
            (7i128 * 10i128.pow(10)).to_le_bytes()
        );
        let wide = written(-2, 0, &dec(76, 0)).unwrap();
        assert_eq!(wide[..16], (-2i128).to_le_bytes());
        assert_eq!(wide[16..], [0xff; 16]);
    }

    #[test]
    fn lossy_or_too_long_values_are_errors() {
        let e = written(1234, 3, &dec(9, 2)).unwrap_err();
        assert!(
            e.to_string()
                .contains("1.234 has digits beyond the scale of Decimal(9, 2)"),
            "{e}"
        );
        let e = written(1_000_000_000, 0, &dec(9, 0)).unwrap_err();
        assert!(
            e.to_string().contains("has more digits than Decimal(9, 0)"),
            "{e}"
        );
        assert!(written(999_999_999, 0, &dec(9, 0)).is_ok());
        let e = written(-5, 2, &DataType::Int32).unwrap_err();
        assert!(matches!(e, RowError::SchemaMismatch { .. }), "{e}");
        assert_eq!(show(-5, 2), "-0.05");
        assert_eq!(show(5, 0), "5");
    }

    #[test]
    fn reads_every_width() {
        let mut wire = Vec::new();
        wire.extend_from_slice(&(-150i32).to_le_bytes());
        wire.extend_from_slice(&(1i128 << 100).to_le_bytes());
        wire.extend_from_slice(&[0xff; 32]);
        wire.extend_from_slice(&[1; 32]);
        let mut cur = ByteCursor::new(&wire);
        assert_eq!(unpack(read(&mut cur, &dec(9, 2)).unwrap()), (-150, 2));
        assert_eq!(unpack(read(&mut cur, &dec(38, 4)).unwrap()), (1 << 100, 4));
        assert_eq!(unpack(read(&mut cur, &dec(76, 1)).unwrap()), (-1, 1));
        assert!(
            read(&mut cur, &dec(76, 1))
                .unwrap_err()
                .to_string()
                .contains("128 bits")
        );
    }
}
