//! `time` crate types as ClickHouse date and time columns (`time::Duration` for `Time` and
//! `Time64`, which ClickHouse keeps as a signed span, up to ±999:59:59):
//!
//! ```
//! #[derive(chwire::Row, serde::Serialize, serde::Deserialize)]
//! struct Event {
//!     #[serde(with = "chwire::serde_helpers::time::datetime")]
//!     at: time::OffsetDateTime,               // DateTime
//!     #[serde(with = "chwire::serde_helpers::time::datetime64::millis")]
//!     precise: time::OffsetDateTime,          // DateTime64(3)
//!     #[serde(with = "chwire::serde_helpers::time::date")]
//!     day: time::Date,                        // Date
//!     #[serde(with = "chwire::serde_helpers::time::date32::option")]
//!     maybe: Option<time::Date>,              // Nullable(Date32)
//!     #[serde(with = "chwire::serde_helpers::time::time64::micros")]
//!     took: time::Duration,                   // Time64(6)
//! }
//! ```
//!
//! The column's time zone only affects how the server prints values; the wire value is always
//! UTC-based, so decoded values are in UTC. A `DateTime64` (`Time64`) helper of one precision
//! works on a `DateTime64` (`Time64`) column of any precision: typed rows rescale its ticks
//! exactly. A value the column cannot hold
//! exactly (`nanos` with sub-millisecond digits into `DateTime64(3)`, or such a column value read
//! with `millis`) or that overflows is a [`RowError::InvalidValue`](crate::RowError) naming the
//! column, never a truncated or shifted time.

use ::time::{Date, Duration, OffsetDateTime};
use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ticks;

/// Julian day number of 1970-01-01, the epoch of `Date`/`Date32`.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// `OffsetDateTime` as `DateTime` (seconds since the epoch in a `u32`).
pub mod datetime {
    use super::*;

    /// Writes whole seconds since the epoch as a `u32` (the sub-second part is dropped); fails
    /// before 1970 or after 2106-02-07 06:28:15 UTC.
    pub fn serialize<S: Serializer>(v: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        let secs = u32::try_from(v.unix_timestamp())
            .map_err(|_| S::Error::custom(format!("{v} is outside the DateTime range")))?;
        super::ticks::Tagged(crate::sql::DATETIME_TAG, secs).serialize(s)
    }

    /// Reads `u32` seconds since the epoch as a UTC time.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let secs = u32::deserialize(d)?;
        OffsetDateTime::from_unix_timestamp(i64::from(secs)).map_err(D::Error::custom)
    }

    option_helper!(::time::OffsetDateTime);
}

/// `OffsetDateTime` as `DateTime64(P)`: one module per precision.
pub mod datetime64 {
    use super::*;

    fn to_ticks(v: &OffsetDateTime, nanos_per_tick: i128) -> Option<i64> {
        ticks::nanos_to_ticks(v.unix_timestamp_nanos(), nanos_per_tick)
    }

    fn from_ticks(ticks: i64, nanos_per_tick: i128) -> Option<OffsetDateTime> {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(ticks) * nanos_per_tick).ok()
    }

    tick_helpers!(
        ::time::OffsetDateTime,
        crate::row::DATETIME64_TAGS,
        "DateTime64",
        to_ticks,
        from_ticks
    );
}

/// `time::Duration` as `Time` (signed whole seconds in an `i32`).
#[allow(clippy::module_inception)] // named after the column type, like its siblings
pub mod time {
    use super::*;

    /// Writes whole seconds as an `i32`; a duration with a sub-second part, or beyond `i32`
    /// seconds, is an error (use `time64` for finer precision).
    pub fn serialize<S: Serializer>(v: &Duration, s: S) -> Result<S::Ok, S::Error> {
        if v.subsec_nanoseconds() != 0 {
            return Err(S::Error::custom(format!(
                "{v} has digits Time (whole seconds) cannot hold"
            )));
        }
        let secs = i32::try_from(v.whole_seconds())
            .map_err(|_| S::Error::custom(format!("{v} is outside the Time range")))?;
        secs.serialize(s)
    }

    /// Reads `i32` seconds as a duration.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        Ok(Duration::seconds(i64::from(i32::deserialize(d)?)))
    }

    option_helper!(::time::Duration);
}

/// `time::Duration` as `Time64(P)`: one module per precision.
pub mod time64 {
    use super::*;

    fn to_ticks(v: &Duration, nanos_per_tick: i128) -> Option<i64> {
        ticks::nanos_to_ticks(v.whole_nanoseconds(), nanos_per_tick)
    }

    fn from_ticks(ticks: i64, nanos_per_tick: i128) -> Option<Duration> {
        let (secs, nanos) = ticks::ticks_to_secs_nanos(ticks, nanos_per_tick)?;
        Some(Duration::new(secs, nanos as i32))
    }

    tick_helpers!(
        ::time::Duration,
        crate::row::TIME64_TAGS,
        "Time64",
        to_ticks,
        from_ticks
    );
}

/// `time::Date` as `Date` (days since 1970-01-01 in a `u16`).
pub mod date {
    use super::*;

    /// Writes days since 1970-01-01 as a `u16`; fails outside 1970-01-01 to 2149-06-06.
    pub fn serialize<S: Serializer>(v: &Date, s: S) -> Result<S::Ok, S::Error> {
        let days = u16::try_from(v.to_julian_day() - UNIX_EPOCH_JULIAN_DAY)
            .map_err(|_| S::Error::custom(format!("{v} is outside the Date range")))?;
        super::ticks::Tagged(crate::sql::DATE_TAG, days).serialize(s)
    }

    /// Reads `u16` days since 1970-01-01.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let days = u16::deserialize(d)?;
        Date::from_julian_day(UNIX_EPOCH_JULIAN_DAY + i32::from(days)).map_err(D::Error::custom)
    }

    option_helper!(::time::Date);
}

/// `time::Date` as `Date32` (signed days since 1970-01-01).
pub mod date32 {
    use super::*;

    /// Writes signed days since 1970-01-01 as an `i32`.
    pub fn serialize<S: Serializer>(v: &Date, s: S) -> Result<S::Ok, S::Error> {
        super::ticks::Tagged(
            crate::sql::DATE_TAG,
            v.to_julian_day() - UNIX_EPOCH_JULIAN_DAY,
        )
        .serialize(s)
    }

    /// Reads `i32` days since 1970-01-01; fails outside the `time` crate's date range.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let days = i32::deserialize(d)?;
        days.checked_add(UNIX_EPOCH_JULIAN_DAY)
            .and_then(|j| Date::from_julian_day(j).ok())
            .ok_or_else(|| D::Error::custom(format!("Date32 value {days} is out of range")))
    }

    option_helper!(::time::Date);
}

#[cfg(test)]
mod tests {
    use crate::{Row, RowDecoder, RowEncoder};
    use ::time::{Date, Month, OffsetDateTime};
    use chwire_proto::{ByteCursor, DataType};
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Row, Serialize, Deserialize)]
    struct Times {
        #[serde(with = "crate::serde_helpers::time::date")]
        d: Date,
        #[serde(with = "crate::serde_helpers::time::date32")]
        d32: Date,
        #[serde(with = "crate::serde_helpers::time::datetime")]
        dt: OffsetDateTime,
        #[serde(with = "crate::serde_helpers::time::datetime64::millis")]
        dt64: OffsetDateTime,
    }

    /// Values from the `scalars` capture: 2024-02-29, 1900-01-01, 2024-02-29 12:34:56(.789).
    #[test]
    fn time_types_round_trip_as_the_server_encodes_them() {
        let cols = vec![
            ("d".to_owned(), DataType::Date),
            ("d32".to_owned(), DataType::Date32),
            ("dt".to_owned(), DataType::DateTime(Some("UTC".into()))),
            (
                "dt64".to_owned(),
                DataType::DateTime64(3, Some("UTC".into())),
            ),
        ];
        let mut wire = Vec::new();
        wire.extend_from_slice(&19782u16.to_le_bytes());
        wire.extend_from_slice(&(-25567i32).to_le_bytes());
        wire.extend_from_slice(&1_709_210_096u32.to_le_bytes());
        wire.extend_from_slice(&1_709_210_096_789i64.to_le_bytes());

        let t: Times = RowDecoder::new::<Times>(&cols)
            .unwrap()
            .decode(&mut ByteCursor::new(&wire))
            .unwrap();
        assert_eq!(
            t.d,
            Date::from_calendar_date(2024, Month::February, 29).unwrap()
        );
        assert_eq!(
            t.d32,
            Date::from_calendar_date(1900, Month::January, 1).unwrap()
        );
        assert_eq!(t.dt.unix_timestamp(), 1_709_210_096);
        assert_eq!((t.dt.hour(), t.dt.minute(), t.dt.second()), (12, 34, 56));
        assert_eq!(t.dt64.millisecond(), 789);

        let mut out = Vec::new();
        RowEncoder::new::<Times>(&cols)
            .unwrap()
            .encode(&t, &mut out)
            .unwrap();
        assert_eq!(out, wire);
    }

    #[test]
    fn out_of_range_is_an_error() {
        let cols = vec![("d".to_owned(), DataType::Date)];
        #[derive(Serialize)]
        struct D(#[serde(with = "crate::serde_helpers::time::date")] Date);
        let before_epoch = Date::from_calendar_date(1969, Month::December, 31).unwrap();
        let err = RowEncoder::positional(&cols)
            .encode(&(D(before_epoch),), &mut Vec::new())
            .unwrap_err();
        assert!(err.to_string().contains("outside the Date range"), "{err}");
    }
}
