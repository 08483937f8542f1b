//! `time` crate types as ClickHouse date/time columns:
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
//! }
//! ```
//!
//! The column's time zone only affects how the server prints values; the wire value is always
//! UTC-based, so decoded values are in UTC. A `DateTime64` helper of one precision works on a
//! column of any precision: typed rows rescale its ticks exactly. A value the column cannot hold
//! exactly (`nanos` with sub-millisecond digits into `DateTime64(3)`, or such a column value read
//! with `millis`) or that overflows is a [`RowError::InvalidValue`](crate::RowError) naming the
//! column, never a truncated or shifted time.

use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, OffsetDateTime};

/// Julian day number of 1970-01-01, the epoch of `Date`/`Date32`.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// A value as a newtype named after what it counts: typed rows and other serializers see the
/// plain number; query binding and parameters (`Query::bind`, `Query::param`) write the date
/// or time as text the server parses for the column's type.
struct Tagged<T>(&'static str, T);

impl<T: Serialize> Serialize for Tagged<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(self.0, &self.1)
    }
}

/// `OffsetDateTime` as `DateTime` (seconds since the epoch in a `u32`).
pub mod datetime {
    use super::*;

    /// Writes whole seconds since the epoch as a `u32` (the sub-second part is dropped); fails
    /// before 1970 or after 2106-02-07 06:28:15 UTC.
    pub fn serialize<S: Serializer>(v: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        let secs = u32::try_from(v.unix_timestamp())
            .map_err(|_| S::Error::custom(format!("{v} is outside the DateTime range")))?;
        Tagged(crate::sql::DATETIME_TAG, secs).serialize(s)
    }

    /// Reads `u32` seconds since the epoch as a UTC time.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let secs = u32::deserialize(d)?;
        OffsetDateTime::from_unix_timestamp(i64::from(secs)).map_err(D::Error::custom)
    }
}

/// `OffsetDateTime` as `DateTime64(P)`: one module per precision.
pub mod datetime64 {
    use super::*;

    fn to_ticks(v: &OffsetDateTime, nanos_per_tick: i128) -> Option<i64> {
        i64::try_from(v.unix_timestamp_nanos().div_euclid(nanos_per_tick)).ok()
    }

    fn from_ticks(ticks: i64, nanos_per_tick: i128) -> Option<OffsetDateTime> {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(ticks) * nanos_per_tick).ok()
    }

    /// Accepts the ticks as the rescaled `i64` typed rows give, or as a newtype around one.
    struct TicksVisitor;

    impl<'de> serde::de::Visitor<'de> for TicksVisitor {
        type Value = i64;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("DateTime64 ticks (an i64)")
        }

        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
            Ok(v)
        }

        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
            i64::try_from(v).map_err(E::custom)
        }

        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<i64, D::Error> {
            i64::deserialize(d)
        }
    }

    macro_rules! precision {
        ($($name:ident: $nanos:expr, $p:literal, $doc:literal;)*) => {$(
            #[doc = $doc]
            pub mod $name {
                use super::*;

                /// Writes ticks of this precision since the epoch, tagged so typed rows rescale
                /// them to the column's; fails when they do not fit an `i64`.
                pub fn serialize<S: Serializer>(v: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
                    let ticks = to_ticks(v, $nanos)
                        .ok_or_else(|| S::Error::custom(format!("{v} is outside the DateTime64 range")))?;
                    Tagged(crate::row::DATETIME64_TAGS[$p], ticks).serialize(s)
                }

                /// Reads the column's ticks (rescaled to this precision by typed rows) as a UTC
                /// time; fails outside the `time` crate's range.
                pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
                    let ticks = d.deserialize_newtype_struct(crate::row::DATETIME64_TAGS[$p], TicksVisitor)?;
                    from_ticks(ticks, $nanos).ok_or_else(|| {
                        D::Error::custom(format!("DateTime64 value {ticks} is out of range"))
                    })
                }
            }
        )*};
    }

    precision! {
        secs: 1_000_000_000, 0, "Whole seconds, as in `DateTime64(0)`.";
        millis: 1_000_000, 3, "Milliseconds, as in `DateTime64(3)`.";
        micros: 1_000, 6, "Microseconds, as in `DateTime64(6)`.";
        nanos: 1, 9, "Nanoseconds, as in `DateTime64(9)`.";
    }
}

/// `time::Date` as `Date` (days since 1970-01-01 in a `u16`).
pub mod date {
    use super::*;

    /// Writes days since 1970-01-01 as a `u16`; fails outside 1970-01-01 to 2149-06-06.
    pub fn serialize<S: Serializer>(v: &Date, s: S) -> Result<S::Ok, S::Error> {
        let days = u16::try_from(v.to_julian_day() - UNIX_EPOCH_JULIAN_DAY)
            .map_err(|_| S::Error::custom(format!("{v} is outside the Date range")))?;
        Tagged(crate::sql::DATE_TAG, days).serialize(s)
    }

    /// Reads `u16` days since 1970-01-01.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let days = u16::deserialize(d)?;
        Date::from_julian_day(UNIX_EPOCH_JULIAN_DAY + i32::from(days)).map_err(D::Error::custom)
    }
}

/// `time::Date` as `Date32` (signed days since 1970-01-01).
pub mod date32 {
    use super::*;

    /// Writes signed days since 1970-01-01 as an `i32`.
    pub fn serialize<S: Serializer>(v: &Date, s: S) -> Result<S::Ok, S::Error> {
        Tagged(
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
}

#[cfg(test)]
mod tests {
    use crate::{Row, RowDecoder, RowEncoder};
    use chwire_proto::{ByteCursor, DataType};
    use serde::{Deserialize, Serialize};
    use time::{Date, Month, OffsetDateTime};

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
