//! A `Dynamic` value or a `JSON` row as the JSON text the server's `FORMAT ArrowStream` writes for it (an
//! `arrow.json` string per row): ClickHouse's JSON serialization of the value's own type under
//! the default output settings (64-bit integers and decimals unquoted, NaN and infinities as
//! `null`, `/` escaped, named tuples as objects). Checked value by value against the server in
//! `tests/server.rs` (`dynamic_values_match_the_servers_json`).
//!
//! Only what the client can reproduce exactly is written; anything else (a time zone other
//! than UTC, whose rules the client does not carry; a type without a JSON form here) is an
//! error naming the type, so a value is never written differently from the server.

use std::fmt::Write;

use chwire_proto::{DataType, Value};

type R = Result<(), String>;

/// Appends the JSON text of `v`, a value of type `ty`, to `out`.
pub(crate) fn write_json(ty: &DataType, v: &Value, out: &mut String) -> R {
    use DataType as T;
    use Value as V;
    match (ty, v) {
        (_, V::Null) => out.push_str("null"),
        (T::Nullable(t) | T::LowCardinality(t), v) => write_json(t, v, out)?,
        (_, V::Dynamic(t, v)) => write_json(t, v, out)?,
        (_, V::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
        (_, V::Int8(x)) => push(out, x),
        (_, V::Int16(x)) => push(out, x),
        (_, V::Int32(x)) => push(out, x),
        (_, V::Int64(x)) => push(out, x),
        (_, V::Int128(x)) => push(out, x),
        (_, V::Int256(x)) => push(out, x),
        (_, V::UInt8(x)) => push(out, x),
        (_, V::UInt16(x)) => push(out, x),
        (_, V::UInt32(x)) => push(out, x),
        (_, V::UInt64(x)) => push(out, x),
        (_, V::UInt128(x)) => push(out, x),
        (_, V::UInt256(x)) => push(out, x),
        (_, V::Float32(x)) => float(out, f64::from(*x), format_args!("{x:e}")),
        (_, V::Float64(x)) => float(out, *x, format_args!("{x:e}")),
        (T::Decimal { scale, .. }, V::Decimal(m)) => decimal(out, &m.to_string(), *scale),
        (T::String | T::FixedString(_), V::String(s) | V::FixedString(s)) => string(out, s)?,
        (_, V::Uuid(b)) => {
            let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
            let _ = write!(
                out,
                "\"{}-{}-{}-{}-{}\"",
                &h[0..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..32]
            );
        }
        (_, V::Date(d)) => quoted(out, |o| date(o, i64::from(*d))),
        (_, V::Date32(d)) => quoted(out, |o| date(o, i64::from(*d))),
        (T::DateTime(tz), V::DateTime(s)) => {
            utc(tz)?;
            quoted(out, |o| date_time(o, i64::from(*s), 0, 0));
        }
        (T::DateTime64(p, tz), V::DateTime64(t)) => {
            utc(tz)?;
            let scale = 10i64.pow(u32::from(*p));
            let (secs, frac) = (t.div_euclid(scale), t.rem_euclid(scale));
            quoted(out, |o| date_time(o, secs, frac, *p));
        }
        (T::Enum8(names), V::Enum8(x)) => enum_name(out, names, *x)?,
        (T::Enum16(names), V::Enum16(x)) => enum_name(out, names, *x)?,
        (_, V::IPv4(a)) => {
            let _ = write!(out, "\"{a}\"");
        }
        (_, V::IPv6(a)) => {
            let _ = write!(out, "\"{a}\"");
        }
        (T::Array(t), V::Array(items)) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(t, item, out)?;
            }
            out.push(']');
        }
        (T::Tuple(elems), V::Tuple(items)) if elems.len() == items.len() => {
            let named = elems.iter().all(|e| e.name.is_some());
            out.push(if named { '{' } else { '[' });
            for (i, (e, item)) in elems.iter().zip(items).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Some(name) = e.name.as_deref().filter(|_| named) {
                    string(out, name.as_bytes())?;
                    out.push(':');
                }
                write_json(&e.ty, item, out)?;
            }
            out.push(if named { '}' } else { ']' });
        }
        (T::Map(k, t), V::Map(entries)) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                map_key(k, key, out)?;
                out.push(':');
                write_json(t, item, out)?;
            }
            out.push('}');
        }
        (T::Json(params), V::Json(paths)) => object(&params.typed_paths, paths, out)?,
        (t, _) => {
            return Err(format!(
                "no JSON text for a {t} value inside Dynamic or JSON"
            ));
        }
    }
    Ok(())
}

/// A `JSON` row from its paths (sorted, as [`Value::Json`] holds them): dotted paths become
/// nested objects, opened and closed as the sorted paths enter and leave a prefix. A typed
/// path's value has its declared type; the others are `Dynamic` values carrying theirs.
fn object(typed: &[(String, DataType)], paths: &[(String, Value)], out: &mut String) -> R {
    let mut open: Vec<&str> = Vec::new();
    out.push('{');
    let mut first = true;
    for (path, v) in paths {
        let parts: Vec<&str> = path.split('.').collect();
        let (leaf, prefix) = parts.split_last().ok_or("an empty JSON path")?;
        let keep = open.iter().zip(prefix).take_while(|(a, b)| a == b).count();
        while open.len() > keep {
            open.pop();
            out.push('}');
            first = false;
        }
        for part in &prefix[keep..] {
            if !first {
                out.push(',');
            }
            string(out, part.as_bytes())?;
            out.push_str(":{");
            open.push(part);
            first = true;
        }
        if !first {
            out.push(',');
        }
        first = false;
        string(out, leaf.as_bytes())?;
        out.push(':');
        let ty = typed
            .iter()
            .find(|(p, _)| p == path)
            .map_or(&DataType::Dynamic { max_types: None }, |(_, t)| t);
        write_json(ty, v, out)?;
    }
    for _ in open {
        out.push('}');
    }
    out.push('}');
    Ok(())
}

fn push(out: &mut String, x: impl std::fmt::Display) {
    let _ = write!(out, "{x}");
}

fn quoted(out: &mut String, f: impl FnOnce(&mut String)) {
    out.push('"');
    f(out);
    out.push('"');
}

/// Only UTC renders without the time zone's rules.
fn utc(tz: &Option<String>) -> R {
    match tz.as_deref() {
        Some("UTC" | "Etc/UTC" | "GMT" | "Etc/GMT" | "Zulu") => Ok(()),
        Some(tz) => Err(format!(
            "a date-time in time zone {tz} inside Dynamic or JSON (the client renders UTC only)"
        )),
        None => Err(
            "a date-time without a time zone inside Dynamic or JSON (the server renders it in its \
             own time zone, which the client does not know)"
                .into(),
        ),
    }
}

/// A map key: a string as itself, any other key as its JSON text in quotes (`{"1":"x"}`).
fn map_key(ty: &DataType, key: &Value, out: &mut String) -> R {
    let mut text = String::new();
    write_json(ty, key, &mut text)?;
    if text.starts_with('"') {
        out.push_str(&text);
    } else {
        string(out, text.as_bytes())?;
    }
    Ok(())
}

fn enum_name<I: PartialEq + Copy + std::fmt::Display>(
    out: &mut String,
    names: &[(String, I)],
    x: I,
) -> R {
    let name = names
        .iter()
        .find(|(_, v)| *v == x)
        .map(|(n, _)| n)
        .ok_or_else(|| format!("enum value {x} has no name"))?;
    string(out, name.as_bytes())
}

/// A JSON string as the server escapes it: `"`, `\`, `/`, control characters, U+2028 and
/// U+2029; other characters as they are. Bytes that are not UTF-8 are an error (the server
/// would write them raw, which no `Utf8` array can hold).
fn string(out: &mut String, bytes: &[u8]) -> R {
    let s = std::str::from_utf8(bytes)
        .map_err(|_| "a String inside Dynamic or JSON that is not UTF-8".to_string())?;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(())
}

/// A float in the shortest digits that round-trip, laid out as the server does (as
/// JavaScript does, without the exponent's `+`): plain notation for decimal exponents from -7
/// to 20, scientific outside; NaN and infinities as the strings `"nan"`, `"inf"`, `"-inf"`
/// (what ArrowStream holds; JSON formats write `null`). `sci` is Rust's `{:e}` of the value
/// (shortest round-trip digits of its own width, e.g. `-1.2345e22`), `x` the value.
fn float(out: &mut String, x: f64, sci: std::fmt::Arguments<'_>) {
    if !x.is_finite() {
        let sign = if x.is_sign_negative() { "-" } else { "" };
        let name = if x.is_nan() { "nan" } else { "inf" };
        let _ = write!(out, "\"{sign}{name}\"");
        return;
    }
    let sci = sci.to_string();
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let n = digits.len() as i32;
    // The value is 0.DIGITS × 10^k.
    let k = exp + 1;
    out.push_str(sign);
    if digits == "0" {
        out.push('0');
    } else if n <= k && k <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (k - n) as usize));
    } else if 0 < k && k <= 21 {
        out.push_str(&digits[..k as usize]);
        out.push('.');
        out.push_str(&digits[k as usize..]);
    } else if -6 < k && k <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-k) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if n > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}", k - 1);
    }
}

/// A decimal's unscaled integer (`-125`) at `scale` (2) as text without trailing zeros
/// (`-1.25`; `100` at scale 2 is `1`), as the server writes decimals by default.
fn decimal(out: &mut String, mantissa: &str, scale: u8) {
    let (sign, digits) = match mantissa.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", mantissa),
    };
    let scale = usize::from(scale);
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    let frac = frac.trim_end_matches('0');
    out.push_str(sign);
    out.push_str(int);
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
}

/// `YYYY-MM-DD` of a day count since 1970-01-01 (proleptic Gregorian).
fn date(out: &mut String, days: i64) {
    let (y, m, d) = chwire_proto::calendar::civil_from_days(days);
    let _ = write!(out, "{y:04}-{m:02}-{d:02}");
}

/// `YYYY-MM-DD hh:mm:ss[.fraction]` in UTC.
fn date_time(out: &mut String, secs: i64, frac: i64, precision: u8) {
    date(out, secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    let _ = write!(out, " {:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    if precision > 0 {
        let _ = write!(out, ".{frac:0>width$}", width = usize::from(precision));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f64_text(x: f64) -> String {
        let mut s = String::new();
        float(&mut s, x, format_args!("{x:e}"));
        s
    }

    #[test]
    fn floats_are_laid_out_as_the_server_writes_them() {
        // Pairs read from the server's `FORMAT JSONEachRow` of `toFloat64(x)::Dynamic` (26.9).
        for (x, text) in [
            (2.5, "2.5"),
            (0.1, "0.1"),
            (1e100, "1e100"),
            (1e-7, "1e-7"),
            (123456.789, "123456.789"),
            (1e15, "1000000000000000"),
            (1e20, "100000000000000000000"),
            (1.2345678901234568e20, "123456789012345680000"),
            (1e21, "1e21"),
            (1.2345e22, "1.2345e22"),
            (-0.0, "-0"),
            (0.00001, "0.00001"),
            (1.5e-5, "0.000015"),
            (5e-324, "5e-324"),
            (f64::NAN, "\"nan\""),
            (f64::NEG_INFINITY, "\"-inf\""),
        ] {
            assert_eq!(f64_text(x), text, "{x:e}");
        }
        let mut s = String::new();
        let x = 123_456.79_f32;
        float(&mut s, f64::from(x), format_args!("{x:e}"));
        assert_eq!(s, "123456.79");
    }

    #[test]
    fn decimals_drop_trailing_zeros() {
        for (m, scale, text) in [
            ("-125", 2, "-1.25"),
            ("100", 2, "1"),
            ("-5", 5, "-0.00005"),
            ("0", 3, "0"),
            ("7", 0, "7"),
        ] {
            let mut s = String::new();
            decimal(&mut s, m, scale);
            assert_eq!(s, text);
        }
    }

    #[test]
    fn dates_before_and_after_the_epoch() {
        let mut s = String::new();
        date_time(&mut s, -1, 5, 1);
        assert_eq!(s, "1969-12-31 23:59:59.5");
        s.clear();
        date(&mut s, -25_567);
        assert_eq!(s, "1900-01-01");
        s.clear();
        date(&mut s, 19_723);
        assert_eq!(s, "2024-01-01");
    }

    #[test]
    fn strings_escape_as_the_server() {
        let mut s = String::new();
        string(
            &mut s,
            "a/b\"\\\t\u{1}é\u{8}\u{c}\n\r\u{7f}\u{2028}\0".as_bytes(),
        )
        .unwrap();
        assert_eq!(
            s,
            "\"a\\/b\\\"\\\\\\t\\u0001é\\b\\f\\n\\r\u{7f}\\u2028\\u0000\""
        );
        assert!(string(&mut s, b"\xff").is_err());
    }
}
