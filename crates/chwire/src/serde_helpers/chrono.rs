//! `chrono` types as ClickHouse date and time columns, beside the [`time`](super::time)
//! helpers and with the same checks:
//!
//! ```
//! use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
//!
//! #[derive(chwire::Row, serde::Serialize, serde::Deserialize)]
//! struct Event {
//!     #[serde(with = "chwire::serde_helpers::chrono::datetime")]
//!     at: DateTime<Utc>,                      // DateTime
//!     #[serde(with = "chwire::serde_helpers::chrono::datetime64::millis")]
//!     precise: DateTime<Utc>,                 // DateTime64(3)
//!     #[serde(with = "chwire::serde_helpers::chrono::date")]
//!     day: NaiveDate,                         // Date
//!     #[serde(with = "chwire::serde_helpers::chrono::date32::option")]
//!     maybe: Option<NaiveDate>,               // Nullable(Date32)
//!     #[serde(with = "chwire::serde_helpers::chrono::time64::micros")]
//!     took: TimeDelta,                        // Time64(6)
//! }
//! ```
//!
//! Dates are `NaiveDate`, date-times `DateTime<Utc>` (the column's time zone only affects how
//! the server prints values; the wire value is UTC-based), `Time`/`Time64` values `TimeDelta`
//! (a signed span: ClickHouse keeps up to ±999:59:59). A `DateTime64` (`Time64`) helper of one
//! precision works on a column of any precision: typed rows rescale its ticks exactly. A value
//! the column cannot hold exactly (`nanos` with sub-millisecond digits into `DateTime64(3)`, or
//! such a column value read with `millis`) or that overflows is a
//! [`RowError::InvalidValue`](crate::RowError) naming the column, never a truncated or shifted
//! time. Every helper has an `option` submodule for `Option<T>` (`Nullable`) fields.

use ::chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ticks;

/// `NaiveDate::num_days_from_ce` of 1970-01-01, the epoch of `Date`/`Date32`.
const UNIX_EPOCH_DAY_FROM_CE: i32 = 719_163;

fn days_since_epoch(v: &NaiveDate) -> i64 {
    i64::from(::chrono::Datelike::num_days_from_ce(v)) - i64::from(UNIX_EPOCH_DAY_FROM_CE)
}

fn date_from_days(days: i64) -> Option<NaiveDate> {
    let ce = i32::try_from(days + i64::from(UNIX_EPOCH_DAY_FROM_CE)).ok()?;
    NaiveDate::from_num_days_from_ce_opt(ce)
}

/// `DateTime<Utc>` as `DateTime` (seconds since the epoch in a `u32`).
pub mod datetime {
    use super::*;

    /// Writes whole seconds since the epoch as a `u32` (the sub-second part is dropped, as
    /// the `time` helper does); fails before 1970 or after 2106-02-07 06:28:15 UTC.
    pub fn serialize<S: Serializer>(v: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        let secs = u32::try_from(v.timestamp())
            .map_err(|_| S::Error::custom(format!("{v} is outside the DateTime range")))?;
        super::ticks::Tagged(crate::sql::DATETIME_TAG, secs).serialize(s)
    }

    /// Reads `u32` seconds since the epoch.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let secs = u32::deserialize(d)?;
        DateTime::from_timestamp(i64::from(secs), 0)
            .ok_or_else(|| D::Error::custom(format!("DateTime value {secs} is out of range")))
    }

    option_helper!(::chrono::DateTime<::chrono::Utc>);
}

/// `DateTime<Utc>` as `DateTime64(P)`: one module per precision.
pub mod datetime64 {
    use super::*;

    fn to_ticks(v: &DateTime<Utc>, nanos_per_tick: i128) -> Option<i64> {
        let nanos =
            i128::from(v.timestamp()) * 1_000_000_000 + i128::from(v.timestamp_subsec_nanos());
        ticks::nanos_to_ticks(nanos, nanos_per_tick)
    }

    fn from_ticks(ticks: i64, nanos_per_tick: i128) -> Option<DateTime<Utc>> {
        let (secs, nanos) = ticks::ticks_to_secs_nanos(ticks, nanos_per_tick)?;
        DateTime::from_timestamp(secs, nanos)
    }

    tick_helpers!(
        ::chrono::DateTime<::chrono::Utc>,
        crate::row::DATETIME64_TAGS,
        "DateTime64",
        to_ticks,
        from_ticks
    );
}

/// `NaiveDate` as `Date` (days since 1970-01-01 in a `u16`).
pub mod date {
    use super::*;

    /// Writes days since 1970-01-01 as a `u16`; fails outside 1970-01-01 to 2149-06-06.
    pub fn serialize<S: Serializer>(v: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        let days = u16::try_from(days_since_epoch(v))
            .map_err(|_| S::Error::custom(format!("{v} is outside the Date range")))?;
        super::ticks::Tagged(crate::sql::DATE_TAG, days).serialize(s)
    }

    /// Reads `u16` days since 1970-01-01.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let days = u16::deserialize(d)?;
        date_from_days(i64::from(days))
            .ok_or_else(|| D::Error::custom(format!("Date value {days} is out of range")))
    }

    option_helper!(::chrono::NaiveDate);
}

/// `NaiveDate` as `Date32` (signed days since 1970-01-01).
pub mod date32 {
    use super::*;

    /// Writes signed days since 1970-01-01 as an `i32`.
    pub fn serialize<S: Serializer>(v: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        let days = i32::try_from(days_since_epoch(v))
            .map_err(|_| S::Error::custom(format!("{v} is outside the Date32 range")))?;
        super::ticks::Tagged(crate::sql::DATE_TAG, days).serialize(s)
    }

    /// Reads `i32` days since 1970-01-01; fails outside chrono's date range.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let days = i32::deserialize(d)?;
        date_from_days(i64::from(days))
            .ok_or_else(|| D::Error::custom(format!("Date32 value {days} is out of range")))
    }

    option_helper!(::chrono::NaiveDate);
}

/// `TimeDelta` as `Time` (signed whole seconds in an `i32`).
pub mod time {
    use super::*;

    /// Writes whole seconds as an `i32`; a span with a sub-second part, or beyond `i32`
    /// seconds, is an error (use `time64` for finer precision).
    pub fn serialize<S: Serializer>(v: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
        if v.subsec_nanos() != 0 {
            return Err(S::Error::custom(format!(
                "{v} has digits Time (whole seconds) cannot hold"
            )));
        }
        let secs = i32::try_from(v.num_seconds())
            .map_err(|_| S::Error::custom(format!("{v} is outside the Time range")))?;
        secs.serialize(s)
    }

    /// Reads `i32` seconds as a span.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeDelta, D::Error> {
        let secs = i32::deserialize(d)?;
        TimeDelta::try_seconds(i64::from(secs))
            .ok_or_else(|| D::Error::custom(format!("Time value {secs} is out of range")))
    }

    option_helper!(::chrono::TimeDelta);
}

/// `TimeDelta` as `Time64(P)`: one module per precision.
pub mod time64 {
    use super::*;

    fn to_ticks(v: &TimeDelta, nanos_per_tick: i128) -> Option<i64> {
        let nanos = i128::from(v.num_seconds()) * 1_000_000_000 + i128::from(v.subsec_nanos());
        ticks::nanos_to_ticks(nanos, nanos_per_tick)
    }

    fn from_ticks(ticks: i64, nanos_per_tick: i128) -> Option<TimeDelta> {
        let (secs, nanos) = ticks::ticks_to_secs_nanos(ticks, nanos_per_tick)?;
        TimeDelta::new(secs, nanos)
    }

    tick_helpers!(
        ::chrono::TimeDelta,
        crate::row::TIME64_TAGS,
        "Time64",
        to_ticks,
        from_ticks
    );
}

#[cfg(test)]
mod tests {
    use crate::{Row, RowDecoder, RowEncoder};
    use ::chrono::{DateTime, NaiveDate, TimeDelta, Timelike, Utc};
    use chwire_proto::{ByteCursor, DataType};
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Row, Serialize, Deserialize)]
    struct Times {
        #[serde(with = "crate::serde_helpers::chrono::date")]
        d: NaiveDate,
        #[serde(with = "crate::serde_helpers::chrono::date32")]
        d32: NaiveDate,
        #[serde(with = "crate::serde_helpers::chrono::datetime")]
        dt: DateTime<Utc>,
        #[serde(with = "crate::serde_helpers::chrono::datetime64::millis")]
        dt64: DateTime<Utc>,
        #[serde(with = "crate::serde_helpers::chrono::time")]
        t: TimeDelta,
        #[serde(with = "crate::serde_helpers::chrono::time64::micros")]
        t64: TimeDelta,
        #[serde(with = "crate::serde_helpers::chrono::date::option")]
        none: Option<NaiveDate>,
    }

    fn columns() -> Vec<(String, DataType)> {
        let nullable = |t| DataType::Nullable(Box::new(t));
        vec![
            ("d".to_owned(), DataType::Date),
            ("d32".to_owned(), DataType::Date32),
            ("dt".to_owned(), DataType::DateTime(Some("UTC".into()))),
            ("dt64".to_owned(), DataType::DateTime64(3, None)),
            ("t".to_owned(), DataType::Time),
            ("t64".to_owned(), DataType::Time64(3)),
            ("none".to_owned(), nullable(DataType::Date)),
        ]
    }

    /// The same wire values as the `time` helpers' test (2024-02-29, 1900-01-01,
    /// 2024-02-29 12:34:56(.789)), plus -01:02:03 and 00:00:01.5 (`Time64(3)`, read as micros).
    #[test]
    fn chrono_types_round_trip_as_the_server_encodes_them() {
        let mut wire = Vec::new();
        wire.extend_from_slice(&19782u16.to_le_bytes());
        wire.extend_from_slice(&(-25567i32).to_le_bytes());
        wire.extend_from_slice(&1_709_210_096u32.to_le_bytes());
        wire.extend_from_slice(&1_709_210_096_789i64.to_le_bytes());
        wire.extend_from_slice(&(-3723i32).to_le_bytes());
        wire.extend_from_slice(&1_500i64.to_le_bytes());
        wire.push(1);
        let cols = columns();
        let t: Times = RowDecoder::new::<Times>(&cols)
            .unwrap()
            .decode(&mut ByteCursor::new(&wire))
            .unwrap();
        assert_eq!(t.d, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert_eq!(t.d32, NaiveDate::from_ymd_opt(1900, 1, 1).unwrap());
        assert_eq!(t.dt.timestamp(), 1_709_210_096);
        assert_eq!((t.dt.hour(), t.dt.minute(), t.dt.second()), (12, 34, 56));
        assert_eq!(t.dt64.timestamp_subsec_millis(), 789);
        assert_eq!(t.t, -TimeDelta::seconds(3723));
        assert_eq!(t.t64, TimeDelta::milliseconds(1500));
        assert_eq!(t.none, None);

        let mut out = Vec::new();
        RowEncoder::new::<Times>(&cols)
            .unwrap()
            .encode(&t, &mut out)
            .unwrap();
        assert_eq!(out, wire);
    }

    #[test]
    fn precision_the_column_cannot_hold_is_an_error() {
        #[derive(Serialize)]
        struct T(#[serde(with = "crate::serde_helpers::chrono::time64::nanos")] TimeDelta);
        let cols = vec![("t".to_owned(), DataType::Time64(3))];
        let err = RowEncoder::positional(&cols)
            .encode(&(T(TimeDelta::nanoseconds(1_000_001)),), &mut Vec::new())
            .unwrap_err();
        assert!(err.to_string().contains("cannot hold"), "{err}");
        #[derive(Serialize)]
        struct S(#[serde(with = "crate::serde_helpers::chrono::time")] TimeDelta);
        let cols = vec![("t".to_owned(), DataType::Time)];
        let err = RowEncoder::positional(&cols)
            .encode(&(S(TimeDelta::milliseconds(1500)),), &mut Vec::new())
            .unwrap_err();
        assert!(err.to_string().contains("cannot hold"), "{err}");
    }
}
