//! Precision-tagged ticks, shared by the `time` and `chrono` helpers of `DateTime64` and
//! `Time64`: the ticks travel as a newtype named after the column kind and precision, so typed
//! rows rescale them to the column's precision; other serializers see the plain `i64`.

use serde::{Deserializer, Serialize, Serializer};

/// A value as a newtype named `tag`: ticks named after their precision (typed rows rescale
/// them), or a date or time named after what it counts (`crate::sql::DATE_TAG`, …: query
/// binding and parameters write it as text the server parses). Other serializers see the
/// plain number.
pub(super) struct Tagged<T>(pub(super) &'static str, pub(super) T);

impl<T: Serialize> Serialize for Tagged<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(self.0, &self.1)
    }
}

/// Accepts the ticks as the rescaled `i64` typed rows give, or as a newtype around one.
struct TicksVisitor;

impl<'de> serde::de::Visitor<'de> for TicksVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ticks (an i64)")
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(E::custom)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<i64, D::Error> {
        serde::Deserialize::deserialize(d)
    }
}

/// Writes `ticks` tagged with `tag` (one of the row layer's precision tags).
pub(super) fn serialize<S: Serializer>(
    tag: &'static str,
    ticks: i64,
    s: S,
) -> Result<S::Ok, S::Error> {
    Tagged(tag, ticks).serialize(s)
}

/// Reads ticks tagged with `tag`: typed rows rescale the column's ticks to the tag's precision.
pub(super) fn deserialize<'de, D: Deserializer<'de>>(
    tag: &'static str,
    d: D,
) -> Result<i64, D::Error> {
    d.deserialize_newtype_struct(tag, TicksVisitor)
}

/// `nanos` (since the epoch, or a duration) as ticks of `nanos_per_tick`, rounded towards
/// negative infinity; `None` beyond `i64`.
pub(super) fn nanos_to_ticks(nanos: i128, nanos_per_tick: i128) -> Option<i64> {
    i64::try_from(nanos.div_euclid(nanos_per_tick)).ok()
}

/// Ticks of `nanos_per_tick` as whole seconds and the nanoseconds after them (0..1e9).
pub(super) fn ticks_to_secs_nanos(ticks: i64, nanos_per_tick: i128) -> Option<(i64, u32)> {
    let nanos = i128::from(ticks) * nanos_per_tick;
    let secs = i64::try_from(nanos.div_euclid(1_000_000_000)).ok()?;
    Some((secs, nanos.rem_euclid(1_000_000_000) as u32))
}
