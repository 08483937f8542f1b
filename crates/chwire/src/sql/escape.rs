//! ClickHouse's backslash escaping of strings, byte strings and identifiers, and the text
//! forms of the `serde_helpers` date and time values: the pieces both SQL literals and
//! parameter values are written from.

use std::fmt::Write as _;

/// Appends `bytes` escaped for a ClickHouse string (or back-quoted identifier) whose quote is
/// `quote`: the quote and `\` get a backslash; tab, newline, carriage return and NUL their
/// letter escapes; bytes that are not valid UTF-8 become `\xNN`. The server's quoted-string
/// and escaped-text readers both decode exactly these, so any byte string round-trips, and the
/// result contains no raw tab or newline (the escaped-text reader stops at those).
pub(crate) fn escape_into(out: &mut String, bytes: &[u8], quote: char) {
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\0' => out.push_str("\\0"),
                c if c == quote => {
                    out.push('\\');
                    out.push(c);
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02X}");
        }
    }
}

/// Appends `bytes` as a quoted string: `'…'` (or `` `…` `` for an identifier) with
/// [`escape_into`]'s escapes.
pub(crate) fn quote_into(out: &mut String, bytes: &[u8], quote: char) {
    out.push(quote);
    escape_into(out, bytes, quote);
    out.push(quote);
}

/// The `serde_helpers` value a newtype name marks, whose integer becomes text the server
/// parses for that type in any time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Temporal {
    /// Days since 1970-01-01 (`Date`, `Date32`): `YYYY-MM-DD`.
    Days,
    /// Seconds since the epoch (`DateTime`): the number itself.
    Seconds,
    /// Ticks of 10^-P seconds since the epoch (`DateTime64(P)`): `seconds.fraction`, so the
    /// declared precision need not be the helper's.
    Ticks(u32),
}

impl Temporal {
    /// Appends `v` (the helper's integer) as text the server reads as the type, without a
    /// time zone: a calendar date, or a Unix timestamp (which the server's date-time parser
    /// takes as such whatever the column's zone).
    pub(crate) fn write(self, out: &mut String, v: i64) {
        match self {
            Temporal::Days => {
                let (y, m, d) = chwire_proto::calendar::civil_from_days(v);
                let _ = write!(out, "{y:04}-{m:02}-{d:02}");
            }
            Temporal::Seconds | Temporal::Ticks(0) => {
                let _ = write!(out, "{v}");
            }
            Temporal::Ticks(p) => {
                // Sign and magnitude: the server reads `-1.5` as 1.5 s before the epoch.
                let scale = 10u64.pow(p);
                let (sign, abs) = (if v < 0 { "-" } else { "" }, v.unsigned_abs());
                let (secs, frac) = (abs / scale, abs % scale);
                let _ = write!(out, "{sign}{secs}.{frac:0width$}", width = p as usize);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(bytes: &[u8], quote: char) -> String {
        let mut out = String::new();
        escape_into(&mut out, bytes, quote);
        out
    }

    #[test]
    fn escapes_quotes_backslashes_controls_and_invalid_utf8() {
        assert_eq!(escaped(b"it's", '\''), "it\\'s");
        assert_eq!(escaped(b"a\\b", '\''), "a\\\\b");
        assert_eq!(escaped(b"\t\n\r\0", '\''), "\\t\\n\\r\\0");
        assert_eq!(escaped(b"a\xffb\xc3", '\''), "a\\xFFb\\xC3");
        assert_eq!(escaped("héllo ✓ ?".as_bytes(), '\''), "héllo ✓ ?");
        assert_eq!(escaped(b"a`b'c", '`'), "a\\`b'c");
        assert_eq!(escaped(b"\"", '\''), "\"");
    }

    #[test]
    fn quoting_wraps_the_escaped_text() {
        let mut out = String::new();
        quote_into(&mut out, b"x'y", '\'');
        assert_eq!(out, "'x\\'y'");
    }

    fn temporal(t: Temporal, v: i64) -> String {
        let mut out = String::new();
        t.write(&mut out, v);
        out
    }

    #[test]
    fn temporal_text() {
        assert_eq!(temporal(Temporal::Days, 0), "1970-01-01");
        assert_eq!(temporal(Temporal::Days, 19_782), "2024-02-29");
        assert_eq!(temporal(Temporal::Days, -25_567), "1900-01-01");
        assert_eq!(temporal(Temporal::Days, 65_535), "2149-06-06");
        assert_eq!(temporal(Temporal::Seconds, 1_700_000_000), "1700000000");
        assert_eq!(
            temporal(Temporal::Ticks(3), 1_700_000_000_123),
            "1700000000.123"
        );
        assert_eq!(temporal(Temporal::Ticks(6), 5), "0.000005");
        assert_eq!(temporal(Temporal::Ticks(0), 7), "7");
        assert_eq!(temporal(Temporal::Ticks(3), -1_500), "-1.500");
    }
}
