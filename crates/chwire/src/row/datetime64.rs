//! `DateTime64` helpers that carry their precision: the `serde_helpers` modules wrap their
//! ticks in a newtype named after the precision, so typed rows can rescale them to the
//! column's precision instead of storing (or reading) ticks of the wrong unit.

use chwire_proto::DataType;

use super::error::RowError;
use super::shape::strip;

/// Newtype names the precision-tagged helpers serialize under, indexed by precision.
pub(crate) const TAGS: [&str; 10] = [
    "chwire::DateTime64(0)",
    "chwire::DateTime64(1)",
    "chwire::DateTime64(2)",
    "chwire::DateTime64(3)",
    "chwire::DateTime64(4)",
    "chwire::DateTime64(5)",
    "chwire::DateTime64(6)",
    "chwire::DateTime64(7)",
    "chwire::DateTime64(8)",
    "chwire::DateTime64(9)",
];

/// The precision a newtype name tags its ticks with, if it is one of [`TAGS`].
#[inline]
pub(crate) fn tag_precision(name: &str) -> Option<u32> {
    TAGS.iter().position(|t| *t == name).map(|p| p as u32)
}

/// The precision of a `DateTime64` column, looking through `LowCardinality`/`Nullable`.
pub(crate) fn column_precision(ty: &DataType) -> Option<u32> {
    match strip(ty) {
        DataType::DateTime64(p, _) => Some(u32::from(*p)),
        DataType::Nullable(inner) => column_precision(inner),
        _ => None,
    }
}

/// Converts `ticks` of 10^-`from` s to ticks of 10^-`to` s exactly: a value that overflows
/// `i64`, or that has digits finer than `to` can hold, is an error rather than other data.
pub(crate) fn rescale(ticks: i64, from: u32, to: u32) -> Result<i64, RowError> {
    let out = if to >= from {
        10i64
            .checked_pow(to - from)
            .and_then(|f| ticks.checked_mul(f))
    } else {
        let f = 10i64.checked_pow(from - to).unwrap_or(i64::MAX);
        (ticks % f == 0).then_some(ticks / f)
    };
    out.ok_or_else(|| {
        let why = if to > from {
            "is out of range"
        } else {
            "has digits the column cannot hold"
        };
        RowError::invalid(format!(
            "DateTime64({from}) value {ticks} {why} as DateTime64({to})"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rescales_exactly_or_fails() {
        assert_eq!(
            rescale(1_700_000_000_123, 3, 6).unwrap(),
            1_700_000_000_123_000
        );
        assert_eq!(
            rescale(1_700_000_000_123_000, 6, 3).unwrap(),
            1_700_000_000_123
        );
        assert_eq!(rescale(-1_000, 6, 3).unwrap(), -1);
        assert_eq!(rescale(5, 3, 3).unwrap(), 5);
        let lossy = rescale(1_700_000_000_123_456_789, 9, 3).unwrap_err();
        assert!(lossy.to_string().contains("cannot hold"), "{lossy}");
        assert!(rescale(i64::MAX / 10, 0, 9).is_err());
        assert_eq!(tag_precision(TAGS[6]), Some(6));
        assert_eq!(tag_precision("Other"), None);
    }
}
