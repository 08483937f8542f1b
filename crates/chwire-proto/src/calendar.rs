//! The proleptic Gregorian calendar of ClickHouse's `Date`, `Date32` and `DateTime` text: day
//! counts since 1970-01-01 as year, month, day. Shared by everything that writes dates as text
//! (query binding, Arrow's JSON text of `Dynamic` values).

/// Year, month (1–12) and day (1–31) of the date `days` after 1970-01-01 (negative: before),
/// by Howard Hinnant's `civil_from_days`, exact for every `i64` the date types can hold.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn epoch_leap_days_and_dates_before_1970() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(-25_567), (1900, 1, 1));
        assert_eq!(civil_from_days(-719_468), (0, 3, 1));
    }
}
