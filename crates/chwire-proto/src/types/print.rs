//! Canonical type printer: the exact spelling the server uses in `RowBinaryWithNamesAndTypes`
//! headers and Native blocks (`DateTime64(3, 'UTC')`, `Enum8('a' = 1)`, `Tuple(a UInt8)`, ...).
//!
//! Hand-built trees need not be canonical: the printer emits Enum elements, Variant alternatives
//! and JSON paths in the server's order and omits default parameters, so the output is what the
//! server would print for the same type (see [`super::canonical`]).

use super::canonical::{
    DYNAMIC_DEFAULT_MAX_TYPES, JSON_DEFAULT_MAX_DYNAMIC_PATHS, JSON_DEFAULT_MAX_DYNAMIC_TYPES,
};
use super::{DataType, JsonParams};
use std::fmt::{self, Write};

pub(crate) fn write_type<W: Write>(t: &DataType, f: &mut W) -> fmt::Result {
    let simple = match t {
        DataType::Int8 => "Int8",
        DataType::Int16 => "Int16",
        DataType::Int32 => "Int32",
        DataType::Int64 => "Int64",
        DataType::Int128 => "Int128",
        DataType::Int256 => "Int256",
        DataType::UInt8 => "UInt8",
        DataType::UInt16 => "UInt16",
        DataType::UInt32 => "UInt32",
        DataType::UInt64 => "UInt64",
        DataType::UInt128 => "UInt128",
        DataType::UInt256 => "UInt256",
        DataType::Float32 => "Float32",
        DataType::Float64 => "Float64",
        DataType::BFloat16 => "BFloat16",
        DataType::Bool => "Bool",
        DataType::String => "String",
        DataType::Uuid => "UUID",
        DataType::Date => "Date",
        DataType::Date32 => "Date32",
        DataType::Time => "Time",
        DataType::IPv4 => "IPv4",
        DataType::IPv6 => "IPv6",
        DataType::Point => "Point",
        DataType::Ring => "Ring",
        DataType::LineString => "LineString",
        DataType::MultiLineString => "MultiLineString",
        DataType::Polygon => "Polygon",
        DataType::MultiPolygon => "MultiPolygon",
        DataType::Nothing => "Nothing",
        DataType::Interval(k) => return write!(f, "Interval{}", k.name()),
        DataType::Decimal { precision, scale } => {
            return write!(f, "Decimal({precision}, {scale})");
        }
        DataType::FixedString(n) => return write!(f, "FixedString({n})"),
        DataType::DateTime(tz) => {
            f.write_str("DateTime")?;
            if let Some(tz) = tz.as_deref().filter(|tz| !tz.is_empty()) {
                f.write_char('(')?;
                write_quoted(f, tz, '\'')?;
                f.write_char(')')?;
            }
            return Ok(());
        }
        DataType::DateTime64(p, tz) => {
            write!(f, "DateTime64({p}")?;
            if let Some(tz) = tz.as_deref().filter(|tz| !tz.is_empty()) {
                f.write_str(", ")?;
                write_quoted(f, tz, '\'')?;
            }
            return f.write_char(')');
        }
        DataType::Time64(p) => return write!(f, "Time64({p})"),
        DataType::Enum8(items) => return write_enum(f, "Enum8", items),
        DataType::Enum16(items) => return write_enum(f, "Enum16", items),
        DataType::Array(t) => return wrap(f, "Array", t),
        DataType::Nullable(t) => return wrap(f, "Nullable", t),
        DataType::LowCardinality(t) => return wrap(f, "LowCardinality", t),
        DataType::Map(k, v) => {
            f.write_str("Map(")?;
            write_type(k, f)?;
            f.write_str(", ")?;
            write_type(v, f)?;
            return f.write_char(')');
        }
        DataType::Tuple(elems) => {
            f.write_str("Tuple(")?;
            for (i, e) in elems.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                if let Some(name) = &e.name {
                    write_name(f, name)?;
                    f.write_char(' ')?;
                }
                write_type(&e.ty, f)?;
            }
            return f.write_char(')');
        }
        DataType::Nested(fields) => {
            f.write_str("Nested(")?;
            for (i, (name, t)) in fields.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write_name(f, name)?;
                f.write_char(' ')?;
                write_type(t, f)?;
            }
            return f.write_char(')');
        }
        DataType::Variant(alts) => {
            // Printing each alternative is the only way to know the server's order.
            let mut names: Vec<String> = alts.iter().map(DataType::to_string).collect();
            names.sort();
            names.dedup();
            return write!(f, "Variant({})", names.join(", "));
        }
        DataType::Dynamic { max_types } => {
            f.write_str("Dynamic")?;
            if let Some(n) = max_types.filter(|&n| n != DYNAMIC_DEFAULT_MAX_TYPES) {
                write!(f, "(max_types={n})")?;
            }
            return Ok(());
        }
        DataType::Json(params) => return write_json(f, params),
        DataType::SimpleAggregateFunction { function, ty } => {
            write!(f, "SimpleAggregateFunction({function}, ")?;
            write_type(ty, f)?;
            return f.write_char(')');
        }
        DataType::QBit { element, dimension } => {
            f.write_str("QBit(")?;
            write_type(element, f)?;
            return write!(f, ", {dimension})");
        }
    };
    f.write_str(simple)
}

fn wrap<W: Write>(f: &mut W, family: &str, inner: &DataType) -> fmt::Result {
    f.write_str(family)?;
    f.write_char('(')?;
    write_type(inner, f)?;
    f.write_char(')')
}

fn write_enum<W: Write, V: Copy + Ord + fmt::Display>(
    f: &mut W,
    family: &str,
    items: &[(String, V)],
) -> fmt::Result {
    let mut order: Vec<&(String, V)> = items.iter().collect();
    order.sort_by_key(|(_, v)| *v);
    f.write_str(family)?;
    f.write_char('(')?;
    for (i, (name, v)) in order.into_iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write_quoted(f, name, '\'')?;
        write!(f, " = {v}")?;
    }
    f.write_char(')')
}

fn write_json<W: Write>(f: &mut W, p: &JsonParams) -> fmt::Result {
    let mut typed: Vec<&(String, DataType)> = p.typed_paths.iter().collect();
    typed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut skips: Vec<&String> = p.skip_paths.iter().collect();
    skips.sort();
    skips.dedup();
    let mut regexps: Vec<&String> = p.skip_regexps.iter().collect();
    regexps.sort();

    let mut first = true;
    let mut sep = |f: &mut W| -> fmt::Result {
        if first {
            first = false;
            f.write_str("JSON(")
        } else {
            f.write_str(", ")
        }
    };
    if let Some(n) = p
        .max_dynamic_types
        .filter(|&n| n != JSON_DEFAULT_MAX_DYNAMIC_TYPES)
    {
        sep(f)?;
        write!(f, "max_dynamic_types={n}")?;
    }
    if let Some(n) = p
        .max_dynamic_paths
        .filter(|&n| n != JSON_DEFAULT_MAX_DYNAMIC_PATHS)
    {
        sep(f)?;
        write!(f, "max_dynamic_paths={n}")?;
    }
    for (path, t) in typed {
        sep(f)?;
        // A bare `skip` would read as the SKIP keyword.
        if needs_backquotes(path) || path.eq_ignore_ascii_case("skip") {
            write_quoted(f, path, '`')?;
        } else {
            f.write_str(path)?;
        }
        f.write_char(' ')?;
        write_type(t, f)?;
    }
    for path in skips {
        sep(f)?;
        f.write_str("SKIP ")?;
        write_name(f, path)?;
    }
    for re in regexps {
        sep(f)?;
        f.write_str("SKIP REGEXP ")?;
        write_quoted(f, re, '\'')?;
    }
    if first {
        f.write_str("JSON")
    } else {
        f.write_char(')')
    }
}

/// Words the server back-quotes even though they are valid identifiers (found by printing every
/// keyword of `system.keywords` as a Tuple element name).
const QUOTED_WORDS: [&str; 11] = [
    "all", "distinct", "false", "from", "null", "select", "some", "table", "top", "true", "values",
];

/// Whether the server back-quotes `name` when printing it as an identifier.
pub(crate) fn needs_backquotes(name: &str) -> bool {
    let b = name.as_bytes();
    let plain = !b.is_empty()
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b[1..]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'_');
    !plain || QUOTED_WORDS.iter().any(|w| w.eq_ignore_ascii_case(name))
}

/// Prints an identifier, back-quoted when the server would quote it.
pub(crate) fn write_name<W: Write>(f: &mut W, name: &str) -> fmt::Result {
    if needs_backquotes(name) {
        write_quoted(f, name, '`')
    } else {
        f.write_str(name)
    }
}

/// Prints `s` between `quote`s with the server's escapes; other bytes are written as they are.
pub(crate) fn write_quoted<W: Write>(f: &mut W, s: &str, quote: char) -> fmt::Result {
    f.write_char(quote)?;
    let mut rest = s;
    while let Some(i) = rest.find(|c: char| {
        c == quote || matches!(c, '\\' | '\0' | '\x08' | '\t' | '\n' | '\x0c' | '\r')
    }) {
        f.write_str(&rest[..i])?;
        let c = rest[i..].chars().next().expect("found char");
        match c {
            '\0' => f.write_str("\\0")?,
            '\x08' => f.write_str("\\b")?,
            '\t' => f.write_str("\\t")?,
            '\n' => f.write_str("\\n")?,
            '\x0c' => f.write_str("\\f")?,
            '\r' => f.write_str("\\r")?,
            c => {
                f.write_char('\\')?;
                f.write_char(c)?;
            }
        }
        rest = &rest[i + c.len_utf8()..];
    }
    f.write_str(rest)?;
    f.write_char(quote)
}
