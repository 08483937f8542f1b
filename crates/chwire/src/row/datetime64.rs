//! `DateTime64` and `Time64` helpers that carry their precision: the `serde_helpers` modules
//! wrap their ticks in a newtype named after the column kind and precision, so typed rows can
//! rescale them to the column's precision instead of storing (or reading) ticks of the wrong unit.

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

/// Newtype names the precision-tagged `Time64` helpers serialize under, indexed by precision.
pub(crate) const TIME64_TAGS: [&str; 10] = [
    "chwire::Time64(0)",
    "chwire::Time64(1)",
    "chwire::Time64(2)",
    "chwire::Time64(3)",
    "chwire::Time64(4)",
    "chwire::Time64(5)",
    "chwire::Time64(6)",
    "chwire::Time64(7)",
    "chwire::Time64(8)",
    "chwire::Time64(9)",
];

/// The tag's precision and the column's, when `name` is a tag for the kind of `ty` (a
/// `DateTime64` tag on a `DateTime64` column, a `Time64` tag on a `Time64` column; looking
/// through `LowCardinality` only).
#[inline]
pub(crate) fn tagged_precisions(name: &str, ty: &DataType) -> Option<(u32, u32)> {
    let (tags, column) = match strip(ty) {
        DataType::DateTime64(p, _) => (&TAGS, *p),
        DataType::Time64(p) => (&TIME64_TAGS, *p),
        _ => return None,
    };
    let tag = tags.iter().position(|t| *t == name)?;
    Some((tag as u32, u32::from(column)))
}

/// [`tagged_precisions`] for a value written into `ty`, looking through `Nullable` too (a
/// plain value writes a `Nullable` column as non-NULL, its ticks still the last 8 bytes).
pub(crate) fn tagged_write_precisions(name: &str, ty: &DataType) -> Option<(u32, u32)> {
    match strip(ty) {
        DataType::Nullable(inner) => tagged_precisions(name, inner),
        other => tagged_precisions(name, other),
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
        let dt64 = DataType::DateTime64(3, None);
        assert_eq!(tagged_precisions(TAGS[6], &dt64), Some((6, 3)));
        assert_eq!(tagged_precisions("Other", &dt64), None);
    }

    #[test]
    fn a_tag_matches_only_its_column_kind() {
        let dt64 = DataType::DateTime64(6, None);
        let t64 = DataType::Time64(3);
        assert_eq!(tagged_precisions(TAGS[9], &dt64), Some((9, 6)));
        assert_eq!(tagged_precisions(TIME64_TAGS[0], &t64), Some((0, 3)));
        assert_eq!(tagged_precisions(TIME64_TAGS[0], &dt64), None);
        assert_eq!(tagged_precisions(TAGS[0], &t64), None);
        assert_eq!(tagged_precisions(TAGS[0], &DataType::Int64), None);
        let nullable = DataType::Nullable(Box::new(t64));
        assert_eq!(tagged_precisions(TIME64_TAGS[6], &nullable), None);
        assert_eq!(
            tagged_write_precisions(TIME64_TAGS[6], &nullable),
            Some((6, 3))
        );
    }
}
