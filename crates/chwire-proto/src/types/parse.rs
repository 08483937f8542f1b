//! Type-string parser: ClickHouse type names, as the server prints them and as users write them
//! (including the SQL-compatibility aliases such as `BIGINT UNSIGNED` or `VARCHAR(255)`), into
//! canonical [`DataType`] trees.
//!
//! A recursive-descent parser over bytes. Nesting is capped at [`MAX_TYPE_DEPTH`] so hostile input
//! cannot overflow the stack, and every step is linear in the input (the only extra work is
//! printing each Variant alternative once to order it).
//!
//! Order: Variant alternatives, Enum elements and JSON paths are put in the order the server
//! uses (see [`super::canonical`]), whatever order the text gives them in; so a parsed
//! `Variant(String, UInt8)` is `Variant(UInt8, String)`, whose discriminators match the wire.

use super::canonical::{normalize_json, sort_variant};
use super::{DataType, IntervalKind, JsonParams, TupleElement};
use std::collections::HashSet;

/// Deepest type nesting accepted (`Array(Array(...))` counts one level per type).
pub const MAX_TYPE_DEPTH: usize = 64;

/// A type string that is not a valid ClickHouse type; names the offending text and position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid ClickHouse type {input:?}: {reason} at byte {position} (near {near:?})")]
pub struct TypeParseError {
    /// The type string (cut to its first 200 bytes when longer).
    pub input: String,
    /// Byte offset of the offending text in the type string.
    pub position: usize,
    /// The offending text: up to 32 bytes starting at `position`.
    pub near: String,
    /// What is wrong there.
    pub reason: String,
}

type Result<T> = std::result::Result<T, TypeParseError>;

pub(crate) fn parse_type(text: &str) -> Result<DataType> {
    let mut p = Parser {
        s: text,
        b: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    let t = p.ty()?;
    p.ws();
    if p.pos < p.b.len() {
        return p.err(p.pos, "unexpected text after the type");
    }
    Ok(t)
}

/// What a type name denotes, before its arguments are read.
#[derive(Clone)]
enum Family {
    /// A type that takes no arguments (always an argument-less `DataType` variant).
    Plain(DataType),
    /// Integer, float and string types: MySQL-style size arguments (`INT(11)`) are ignored.
    Sized(DataType),
    Decimal,
    /// `Decimal32(S)` etc., with the implied precision.
    DecimalOf(u8),
    FixedString,
    DateTime,
    DateTime64,
    Time,
    Time64,
    /// `Enum8`, `Enum16`, or `Enum` (width chosen from the values).
    Enum(Option<u8>),
    Array,
    Tuple,
    Map,
    Nullable,
    LowCardinality,
    Nested,
    Variant,
    Dynamic,
    Json,
    SimpleAggregateFunction,
    QBit,
    /// A real server type that `DataType` cannot represent.
    Unsupported,
}

/// Case-sensitive family names (the server's own spelling).
fn exact_family(word: &str) -> Option<Family> {
    use Family::*;
    Some(match word {
        "Int8" => Sized(DataType::Int8),
        "Int16" => Sized(DataType::Int16),
        "Int32" => Sized(DataType::Int32),
        "Int64" => Sized(DataType::Int64),
        "Int128" => Sized(DataType::Int128),
        "Int256" => Sized(DataType::Int256),
        "UInt8" => Sized(DataType::UInt8),
        "UInt16" => Sized(DataType::UInt16),
        "UInt32" => Sized(DataType::UInt32),
        "UInt64" => Sized(DataType::UInt64),
        "UInt128" => Sized(DataType::UInt128),
        "UInt256" => Sized(DataType::UInt256),
        "Float32" => Sized(DataType::Float32),
        "Float64" => Sized(DataType::Float64),
        "BFloat16" => Sized(DataType::BFloat16),
        "String" => Sized(DataType::String),
        "UUID" => Plain(DataType::Uuid),
        "IPv4" => Plain(DataType::IPv4),
        "IPv6" => Plain(DataType::IPv6),
        "Point" => Plain(DataType::Point),
        "Ring" => Plain(DataType::Ring),
        "LineString" => Plain(DataType::LineString),
        "MultiLineString" => Plain(DataType::MultiLineString),
        "Polygon" => Plain(DataType::Polygon),
        "MultiPolygon" => Plain(DataType::MultiPolygon),
        "Nothing" => Plain(DataType::Nothing),
        "FixedString" => FixedString,
        "Enum8" => Enum(Some(8)),
        "Enum16" => Enum(Some(16)),
        "Array" => Array,
        "Tuple" => Tuple,
        "Map" => Map,
        "Nullable" => Nullable,
        "LowCardinality" => LowCardinality,
        "Nested" => Nested,
        "Variant" => Variant,
        "Dynamic" => Dynamic,
        "SimpleAggregateFunction" => SimpleAggregateFunction,
        "QBit" => QBit,
        "AggregateFunction" | "MultiPoint" | "Geometry" | "Object" => Unsupported,
        _ => {
            let kind = word.strip_prefix("Interval")?;
            let kind = IntervalKind::ALL.into_iter().find(|k| k.name() == kind)?;
            Plain(DataType::Interval(kind))
        }
    })
}

/// Case-insensitive family names and single-word aliases.
const CASE_INSENSITIVE: &[(&str, Family)] = {
    use Family::*;
    &[
        ("Bool", Plain(DataType::Bool)),
        ("Boolean", Plain(DataType::Bool)),
        ("Date", Plain(DataType::Date)),
        ("Date32", Plain(DataType::Date32)),
        ("DateTime", DateTime),
        ("DateTime32", DateTime),
        ("Timestamp", DateTime),
        ("DateTime64", DateTime64),
        ("Time", Time),
        ("Time64", Time64),
        ("Decimal", Decimal),
        ("Dec", Decimal),
        ("Fixed", Decimal),
        ("Numeric", Decimal),
        ("Decimal32", DecimalOf(9)),
        ("Decimal64", DecimalOf(18)),
        ("Decimal128", DecimalOf(38)),
        ("Decimal256", DecimalOf(76)),
        ("Enum", Enum(None)),
        ("JSON", Json),
        ("Binary", FixedString),
        ("Float", Sized(DataType::Float32)),
        ("Real", Sized(DataType::Float32)),
        ("Single", Sized(DataType::Float32)),
        ("Double", Sized(DataType::Float64)),
        ("INET4", Plain(DataType::IPv4)),
        ("INET6", Plain(DataType::IPv6)),
        ("TinyInt", Sized(DataType::Int8)),
        ("Int1", Sized(DataType::Int8)),
        ("Byte", Sized(DataType::Int8)),
        ("SmallInt", Sized(DataType::Int16)),
        ("Int", Sized(DataType::Int32)),
        ("Integer", Sized(DataType::Int32)),
        ("MediumInt", Sized(DataType::Int32)),
        ("BigInt", Sized(DataType::Int64)),
        ("Signed", Sized(DataType::Int64)),
        ("Year", Sized(DataType::UInt16)),
        ("Bit", Sized(DataType::UInt64)),
        ("Set", Sized(DataType::UInt64)),
        ("Unsigned", Sized(DataType::UInt64)),
        ("Blob", Sized(DataType::String)),
        ("Bytea", Sized(DataType::String)),
        ("Char", Sized(DataType::String)),
        ("Character", Sized(DataType::String)),
        ("Clob", Sized(DataType::String)),
        ("LongBlob", Sized(DataType::String)),
        ("LongText", Sized(DataType::String)),
        ("MediumBlob", Sized(DataType::String)),
        ("MediumText", Sized(DataType::String)),
        ("NChar", Sized(DataType::String)),
        ("NVarchar", Sized(DataType::String)),
        ("Text", Sized(DataType::String)),
        ("TinyBlob", Sized(DataType::String)),
        ("TinyText", Sized(DataType::String)),
        ("VarBinary", Sized(DataType::String)),
        ("Varchar", Sized(DataType::String)),
        ("Varchar2", Sized(DataType::String)),
        ("Geometry", Unsupported),
    ]
};

/// Multi-word aliases (case-insensitive, any whitespace between words), longest first so that
/// the longest alias wins.
const MULTI_WORD: &[(&[&str], DataType)] = &[
    (
        &["NATIONAL", "CHARACTER", "LARGE", "OBJECT"],
        DataType::String,
    ),
    (&["BINARY", "LARGE", "OBJECT"], DataType::String),
    (&["CHAR", "LARGE", "OBJECT"], DataType::String),
    (&["CHARACTER", "LARGE", "OBJECT"], DataType::String),
    (&["NATIONAL", "CHAR", "VARYING"], DataType::String),
    (&["NATIONAL", "CHARACTER", "VARYING"], DataType::String),
    (&["NCHAR", "LARGE", "OBJECT"], DataType::String),
    (&["BINARY", "VARYING"], DataType::String),
    (&["CHAR", "VARYING"], DataType::String),
    (&["CHARACTER", "VARYING"], DataType::String),
    (&["NATIONAL", "CHAR"], DataType::String),
    (&["NATIONAL", "CHARACTER"], DataType::String),
    (&["NCHAR", "VARYING"], DataType::String),
    (&["DOUBLE", "PRECISION"], DataType::Float64),
    (&["TINYINT", "SIGNED"], DataType::Int8),
    (&["INT1", "SIGNED"], DataType::Int8),
    (&["SMALLINT", "SIGNED"], DataType::Int16),
    (&["INT", "SIGNED"], DataType::Int32),
    (&["INTEGER", "SIGNED"], DataType::Int32),
    (&["MEDIUMINT", "SIGNED"], DataType::Int32),
    (&["BIGINT", "SIGNED"], DataType::Int64),
    (&["TINYINT", "UNSIGNED"], DataType::UInt8),
    (&["INT1", "UNSIGNED"], DataType::UInt8),
    (&["SMALLINT", "UNSIGNED"], DataType::UInt16),
    (&["INT", "UNSIGNED"], DataType::UInt32),
    (&["INTEGER", "UNSIGNED"], DataType::UInt32),
    (&["MEDIUMINT", "UNSIGNED"], DataType::UInt32),
    (&["BIGINT", "UNSIGNED"], DataType::UInt64),
];

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

struct Parser<'a> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn err<T>(&self, at: usize, reason: impl Into<String>) -> Result<T> {
        Err(TypeParseError {
            input: excerpt(self.s, 0, 200),
            position: at,
            near: excerpt(self.s, at, 32),
            reason: reason.into(),
        })
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while let Some(c) = self.peek() {
            if !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
                break;
            }
            self.pos += 1;
        }
    }

    /// Skips whitespace and consumes `c` if it comes next.
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) -> Result<()> {
        if self.eat(c) {
            Ok(())
        } else {
            self.err(self.pos, format!("expected '{}'", c as char))
        }
    }

    /// A bare identifier at the current position (no leading whitespace skipped).
    fn ident(&mut self) -> Option<&'a str> {
        let start = self.pos;
        if !self.peek().is_some_and(is_ident_start) {
            return None;
        }
        while self.peek().is_some_and(is_ident_char) {
            self.pos += 1;
        }
        Some(&self.s[start..self.pos])
    }

    /// Skips whitespace, then reads an identifier if one follows.
    fn ident_ws(&mut self) -> Option<&'a str> {
        self.ws();
        self.ident()
    }

    fn ty(&mut self) -> Result<DataType> {
        self.ws();
        if self.depth >= MAX_TYPE_DEPTH {
            return self.err(
                self.pos,
                format!("types nested deeper than {MAX_TYPE_DEPTH} levels"),
            );
        }
        self.depth += 1;
        let t = self.ty_unbounded();
        self.depth -= 1;
        t
    }

    fn ty_unbounded(&mut self) -> Result<DataType> {
        let start = self.pos;
        let Some(word) = self.ident() else {
            return self.err(start, "expected a type name");
        };
        let family = self.family(word, start)?;
        self.ws();
        let open = self.pos;
        let has_args = self.peek() == Some(b'(');
        match family {
            Family::Plain(p) => {
                if has_args {
                    return self.err(open, format!("type {word} takes no arguments"));
                }
                Ok(p)
            }
            Family::Sized(p) => {
                if has_args {
                    let sizes = self.list(|p| p.uint("size", u64::MAX))?;
                    if sizes.len() > 2 {
                        return self.err(open, "too many size arguments");
                    }
                }
                Ok(p)
            }
            Family::Decimal => {
                let (precision, scale) = if has_args {
                    let args = self.list(|p| p.uint("Decimal argument", 255))?;
                    match args[..] {
                        [p] => (p as u8, 0),
                        [p, s] => (p as u8, s as u8),
                        _ => return self.err(open, "Decimal takes a precision and a scale"),
                    }
                } else {
                    (10, 0)
                };
                self.decimal(open, precision, scale)
            }
            Family::DecimalOf(precision) => {
                if !has_args {
                    return self.err(open, format!("{word} needs a scale argument"));
                }
                let args = self.list(|p| p.uint("scale", 255))?;
                let [scale] = args[..] else {
                    return self.err(open, format!("{word} takes exactly one argument (scale)"));
                };
                self.decimal(open, precision, scale as u8)
            }
            Family::FixedString => {
                if !has_args {
                    return self.err(open, "FixedString needs a size argument");
                }
                let args = self.list(|p| p.uint("FixedString size", 0xFF_FFFF))?;
                match args[..] {
                    [0] => self.err(open, "FixedString size must be positive"),
                    [n] => Ok(DataType::FixedString(n as usize)),
                    _ => self.err(open, "FixedString takes exactly one argument (size)"),
                }
            }
            Family::DateTime => {
                if !has_args {
                    return Ok(DataType::DateTime(None));
                }
                self.pos += 1;
                self.ws();
                if self.peek() == Some(b'\'') {
                    let tz = self.string()?;
                    self.expect(b')')?;
                    Ok(DataType::DateTime(non_empty(tz)))
                } else {
                    self.pos = open;
                    let (p, tz) = self.precision_and_tz(word)?;
                    Ok(DataType::DateTime64(p, tz))
                }
            }
            Family::DateTime64 => {
                if !has_args {
                    return Ok(DataType::DateTime64(3, None));
                }
                let (p, tz) = self.precision_and_tz(word)?;
                Ok(DataType::DateTime64(p, tz))
            }
            Family::Time | Family::Time64 => {
                if !has_args {
                    return Ok(match family {
                        Family::Time => DataType::Time,
                        _ => DataType::Time64(3),
                    });
                }
                let args = self.list(|p| p.uint("precision", 9))?;
                let [p] = args[..] else {
                    return self.err(
                        open,
                        format!("{word} takes exactly one argument (precision)"),
                    );
                };
                Ok(DataType::Time64(p as u8))
            }
            Family::Enum(width) => {
                if !has_args {
                    return self.err(open, "Enum needs a list of elements");
                }
                self.enumeration(open, width)
            }
            Family::Array | Family::Nullable | Family::LowCardinality => {
                let inner = self.single_type(word, has_args)?;
                Ok(match family {
                    Family::Array => DataType::Array(Box::new(inner)),
                    Family::Nullable => DataType::Nullable(Box::new(inner)),
                    _ => DataType::LowCardinality(Box::new(inner)),
                })
            }
            Family::Map => {
                if !has_args {
                    return self.err(open, "Map needs key and value types");
                }
                let mut args = self.list(|p| p.ty())?;
                if args.len() != 2 {
                    return self.err(open, "Map takes exactly two types (key, value)");
                }
                let v = args.pop().expect("two args");
                let k = args.pop().expect("two args");
                Ok(DataType::Map(Box::new(k), Box::new(v)))
            }
            Family::Tuple => {
                if !has_args {
                    return Ok(DataType::Tuple(Vec::new()));
                }
                self.tuple(open)
            }
            Family::Nested => {
                if !has_args {
                    return self.err(open, "Nested needs a list of fields");
                }
                let fields = self.list(|p| {
                    p.ws();
                    let name = p.name()?;
                    let t = p.ty()?;
                    Ok((name, t))
                })?;
                if fields.is_empty() {
                    return self.err(open, "Nested cannot be empty");
                }
                self.check_unique_names(open, fields.iter().map(|(n, _)| n.as_str()))?;
                Ok(DataType::Nested(fields))
            }
            Family::Variant => {
                if !has_args {
                    return self.err(open, "Variant needs at least one type");
                }
                let mut alts = self.list(|p| p.ty())?;
                if alts.is_empty() {
                    return self.err(open, "Variant needs at least one type");
                }
                sort_variant(&mut alts);
                if alts.len() > 255 {
                    return self.err(open, "Variant has more than 255 types");
                }
                Ok(DataType::Variant(alts))
            }
            Family::Dynamic => {
                let mut max_types = None;
                if has_args {
                    let args = self.list(|p| {
                        p.ws();
                        let at = p.pos;
                        if p.ident() != Some("max_types") {
                            return p.err(at, "expected max_types=N");
                        }
                        p.expect(b'=')?;
                        p.uint("max_types", 254)
                    })?;
                    if args.len() > 1 {
                        return self.err(open, "Dynamic takes at most one argument");
                    }
                    max_types = args.first().map(|&n| n as u32);
                }
                let mut t = DataType::Dynamic { max_types };
                t.canonicalize();
                Ok(t)
            }
            Family::Json => {
                let mut params = JsonParams::default();
                if has_args {
                    self.json(&mut params)?;
                }
                normalize_json(&mut params);
                if let Some(w) = params.typed_paths.windows(2).find(|w| w[0].0 == w[1].0) {
                    return self.err(open, format!("duplicate JSON path {:?}", w[0].0));
                }
                Ok(DataType::Json(Box::new(params)))
            }
            Family::SimpleAggregateFunction => {
                if !has_args {
                    return self.err(open, "SimpleAggregateFunction needs a function and a type");
                }
                self.pos += 1;
                let function = self.function()?;
                self.expect(b',')?;
                let ty = self.ty()?;
                self.eat(b',');
                if !self.eat(b')') {
                    return self.err(self.pos, "SimpleAggregateFunction takes one type argument");
                }
                Ok(DataType::SimpleAggregateFunction {
                    function,
                    ty: Box::new(ty),
                })
            }
            Family::QBit => {
                if !has_args {
                    return self.err(open, "QBit needs an element type and a dimension");
                }
                self.pos += 1;
                let at = self.pos;
                let element = self.ty()?;
                if !matches!(
                    element,
                    DataType::BFloat16 | DataType::Float32 | DataType::Float64 | DataType::Int8
                ) {
                    return self.err(
                        at,
                        "QBit element must be BFloat16, Float32, Float64 or Int8",
                    );
                }
                self.expect(b',')?;
                self.ws();
                let at = self.pos;
                let dimension = self.uint("QBit dimension", u32::MAX as u64)?;
                if dimension == 0 {
                    return self.err(at, "QBit dimension must be positive");
                }
                self.eat(b',');
                self.expect(b')')?;
                Ok(DataType::QBit {
                    element: Box::new(element),
                    dimension: dimension as u32,
                })
            }
            Family::Unsupported => self.err(start, format!("type {word} is not supported")),
        }
    }

    /// Resolves a type name, consuming the rest of a multi-word alias if one follows.
    fn family(&mut self, word: &str, start: usize) -> Result<Family> {
        if let Some(f) = exact_family(word) {
            return Ok(f);
        }
        let after_word = self.pos;
        for (words, plain) in MULTI_WORD {
            if !words[0].eq_ignore_ascii_case(word) {
                continue;
            }
            let matched = words[1..].iter().all(|w| {
                let before = self.pos;
                self.ws();
                self.pos > before && self.ident().is_some_and(|got| got.eq_ignore_ascii_case(w))
            });
            if matched {
                return Ok(Family::Sized(plain.clone()));
            }
            self.pos = after_word;
        }
        match CASE_INSENSITIVE
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(word))
        {
            Some((_, f)) => Ok(f.clone()),
            None => self.err(start, format!("unknown type {word}")),
        }
    }

    /// Parses `( item, item, ... )` starting at the `(`; allows a trailing comma.
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Result<T>) -> Result<Vec<T>> {
        let open = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            self.ws();
            match self.peek() {
                Some(b')') => {
                    self.pos += 1;
                    return Ok(out);
                }
                None => return self.err(open, "unclosed '('"),
                _ => {}
            }
            out.push(item(self)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b')') => {
                    self.pos += 1;
                    return Ok(out);
                }
                None => return self.err(open, "unclosed '('"),
                Some(_) => return self.err(self.pos, "expected ',' or ')'"),
            }
        }
    }

    fn single_type(&mut self, word: &str, has_args: bool) -> Result<DataType> {
        let open = self.pos;
        if !has_args {
            return self.err(open, format!("{word} needs a type argument"));
        }
        let mut args = self.list(|p| p.ty())?;
        if args.len() != 1 {
            return self.err(open, format!("{word} takes exactly one type argument"));
        }
        Ok(args.pop().expect("one arg"))
    }

    fn decimal(&self, at: usize, precision: u8, scale: u8) -> Result<DataType> {
        if !(1..=76).contains(&precision) {
            return self.err(
                at,
                format!("Decimal precision {precision} is not in 1..=76"),
            );
        }
        if scale > precision {
            return self.err(
                at,
                format!("Decimal scale {scale} exceeds precision {precision}"),
            );
        }
        Ok(DataType::Decimal { precision, scale })
    }

    /// `(precision[, 'tz'])` of DateTime64.
    fn precision_and_tz(&mut self, word: &str) -> Result<(u8, Option<String>)> {
        let open = self.pos;
        self.pos += 1;
        self.ws();
        let precision = self.uint("precision", 9)? as u8;
        let mut tz = None;
        if self.eat(b',') {
            self.ws();
            if self.peek() == Some(b'\'') {
                tz = non_empty(self.string()?);
                self.eat(b',');
            }
        }
        if !self.eat(b')') {
            return self.err(
                open,
                format!("{word} takes a precision and an optional time zone"),
            );
        }
        Ok((precision, tz))
    }

    fn enumeration(&mut self, open: usize, width: Option<u8>) -> Result<DataType> {
        let items = self.list(|p| {
            p.ws();
            let at = p.pos;
            if p.peek() != Some(b'\'') {
                return p.err(at, "expected a quoted Enum element name");
            }
            let name = p.string()?;
            let value = if p.eat(b'=') {
                p.ws();
                let vat = p.pos;
                Some((p.int()?, vat))
            } else {
                None
            };
            Ok((name, value, at))
        })?;
        if items.is_empty() {
            return self.err(open, "Enum cannot be empty");
        }
        // The server accepts: all values given; none given (numbered from 1); or only the first
        // element's value given or omitted, the others all given or all omitted (counting on).
        let rest_given = items[1..].iter().filter(|i| i.1.is_some()).count();
        if rest_given != 0 && rest_given != items.len() - 1 {
            return self.err(open, "Enum values must be given for all elements or none");
        }
        let mut values = Vec::with_capacity(items.len());
        let mut next: i128 = 1;
        for (name, value, at) in items {
            let (v, vat) = value.unwrap_or((next, at));
            next = v + 1;
            values.push((name, v, vat));
        }
        let (lo, hi) = (
            values.iter().map(|v| v.1).min(),
            values.iter().map(|v| v.1).max(),
        );
        let (lo, hi) = (lo.unwrap_or(0), hi.unwrap_or(0));
        let width = width.unwrap_or(if lo >= -128 && hi <= 127 { 8 } else { 16 });
        let (min, max) = if width == 8 {
            (i8::MIN as i128, i8::MAX as i128)
        } else {
            (i16::MIN as i128, i16::MAX as i128)
        };
        if let Some((name, v, at)) = values.iter().find(|v| v.1 < min || v.1 > max) {
            return self.err(
                *at,
                format!("value {v} of element {name:?} exceeds the range of Enum{width}"),
            );
        }
        self.check_unique_names(open, values.iter().map(|v| v.0.as_str()))?;
        values.sort_by_key(|v| v.1);
        if let Some(w) = values.windows(2).find(|w| w[0].1 == w[1].1) {
            return self.err(w[1].2, format!("duplicate Enum value {}", w[1].1));
        }
        Ok(if width == 8 {
            DataType::Enum8(values.into_iter().map(|(n, v, _)| (n, v as i8)).collect())
        } else {
            DataType::Enum16(values.into_iter().map(|(n, v, _)| (n, v as i16)).collect())
        })
    }

    fn tuple(&mut self, open: usize) -> Result<DataType> {
        let elems = self.list(|p| {
            p.ws();
            let start = p.pos;
            // Like the server: a bare word followed by another word is an element name.
            let named = match p.peek() {
                Some(b'`' | b'"') => true,
                Some(c) if is_ident_start(c) => {
                    p.ident();
                    p.ws();
                    let next = p.peek();
                    p.pos = start;
                    next.is_some_and(|c| is_ident_start(c) || c == b'`' || c == b'"')
                }
                _ => false,
            };
            let name = if named { Some(p.name()?) } else { None };
            let ty = p.ty()?;
            Ok(TupleElement { name, ty })
        })?;
        let named = elems.iter().filter(|e| e.name.is_some()).count();
        if named != 0 && named != elems.len() {
            return self.err(open, "Tuple elements must be all named or all unnamed");
        }
        self.check_unique_names(open, elems.iter().filter_map(|e| e.name.as_deref()))?;
        Ok(DataType::Tuple(elems))
    }

    fn check_unique_names<'n>(
        &self,
        at: usize,
        names: impl Iterator<Item = &'n str>,
    ) -> Result<()> {
        let mut seen = HashSet::new();
        for n in names {
            if !seen.insert(n) {
                return self.err(at, format!("duplicate name {n:?}"));
            }
        }
        Ok(())
    }

    /// The arguments of `JSON(...)`, the cursor at `(`.
    fn json(&mut self, params: &mut JsonParams) -> Result<()> {
        self.list(|p| {
            p.ws();
            let start = p.pos;
            match p.ident() {
                Some(w @ ("max_dynamic_paths" | "max_dynamic_types")) if p.eat(b'=') => {
                    let limit = if w == "max_dynamic_paths" {
                        10_000
                    } else {
                        254
                    };
                    let n = Some(p.uint(w, limit)? as u32);
                    if w == "max_dynamic_paths" {
                        params.max_dynamic_paths = n;
                    } else {
                        params.max_dynamic_types = n;
                    }
                }
                Some(w) if w.eq_ignore_ascii_case("skip") => {
                    let regexp_at = {
                        p.ws();
                        p.pos
                    };
                    if p.ident().is_some_and(|w| w.eq_ignore_ascii_case("regexp")) {
                        p.ws();
                        if p.peek() == Some(b'\'') {
                            params.skip_regexps.push(p.string()?);
                            return Ok(());
                        }
                    }
                    p.pos = regexp_at;
                    params.skip_paths.push(p.json_path()?);
                }
                _ => {
                    p.pos = start;
                    let path = p.json_path()?;
                    let ty = p.ty()?;
                    params.typed_paths.push((path, ty));
                }
            }
            Ok(())
        })
        .map(|_| ())
    }

    /// A JSON path: names joined by dots (`a.b`, `` `a b`.c ``), as one string `a b.c`.
    fn json_path(&mut self) -> Result<String> {
        let mut path = self.name()?;
        loop {
            let save = self.pos;
            if !self.eat(b'.') {
                self.pos = save;
                return Ok(path);
            }
            self.ws();
            path.push('.');
            path.push_str(&self.name()?);
        }
    }

    /// An aggregate function with optional literal parameters: `sum`, `groupArrayArray(10)`.
    /// Kept as text, re-spelled the way the server prints it.
    fn function(&mut self) -> Result<String> {
        let at = self.pos;
        let Some(name) = self.ident_ws() else {
            return self.err(at, "expected an aggregate function name");
        };
        let mut text = name.to_string();
        self.ws();
        if self.peek() == Some(b'(') {
            let params = self.list(|p| p.literal())?;
            if !params.is_empty() {
                text.push('(');
                text.push_str(&params.join(", "));
                text.push(')');
            }
        }
        Ok(text)
    }

    /// A literal parameter of an aggregate function, in the server's spelling.
    fn literal(&mut self) -> Result<String> {
        self.ws();
        let start = self.pos;
        if self.peek() == Some(b'\'') {
            let s = self.string()?;
            let mut out = String::new();
            super::print::write_quoted(&mut out, &s, '\'').expect("String write");
            return Ok(out);
        }
        if let Ok(n) = self.int() {
            return Ok(n.to_string());
        }
        self.pos = start;
        // Floats and other numbers: kept as written.
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-' | b'_'))
        {
            self.pos += 1;
        }
        if self.pos == start {
            return self.err(start, "expected a literal parameter");
        }
        Ok(self.s[start..self.pos].to_string())
    }

    /// An element name: bare identifier, or back-/double-quoted with escapes.
    fn name(&mut self) -> Result<String> {
        let at = self.pos;
        let name = match self.peek() {
            Some(q @ (b'`' | b'"')) => self.quoted(q)?,
            _ => match self.ident() {
                Some(w) => w.to_string(),
                None => return self.err(at, "expected a name"),
            },
        };
        if name.is_empty() {
            return self.err(at, "empty name");
        }
        Ok(name)
    }

    /// A single-quoted string literal at the cursor.
    fn string(&mut self) -> Result<String> {
        self.quoted(b'\'')
    }

    /// A quoted string at the cursor, decoding the escapes the server's lexer accepts.
    fn quoted(&mut self, quote: u8) -> Result<String> {
        let open = self.pos;
        self.pos += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            // Copy the run up to the next quote or backslash in one go.
            let run = self.b[self.pos..]
                .iter()
                .position(|&c| c == quote || c == b'\\')
                .unwrap_or(self.b.len() - self.pos);
            out.extend_from_slice(&self.b[self.pos..self.pos + run]);
            self.pos += run;
            let Some(c) = self.peek() else {
                return self.err(open, "unterminated quoted string");
            };
            self.pos += 1;
            if c == quote {
                if self.peek() == Some(quote) {
                    out.push(quote);
                    self.pos += 1;
                    continue;
                }
                break;
            }
            let Some(e) = self.peek() else {
                return self.err(open, "unterminated quoted string");
            };
            self.pos += 1;
            match e {
                b'b' => out.push(0x08),
                b'f' => out.push(0x0c),
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                b'0' => out.push(0),
                b'a' => out.push(0x07),
                b'v' => out.push(0x0b),
                b'e' => out.push(0x1b),
                b'N' => {}
                b'x' => {
                    let hex = self.b.get(self.pos..self.pos + 2);
                    let byte = hex
                        .and_then(|h| std::str::from_utf8(h).ok())
                        .and_then(|h| u8::from_str_radix(h, 16).ok());
                    let Some(byte) = byte else {
                        return self.err(self.pos - 2, "bad \\x escape");
                    };
                    out.push(byte);
                    self.pos += 2;
                }
                b'\\' | b'\'' | b'"' | b'`' | b'/' | b'=' => out.push(e),
                _ => {
                    // Unknown escapes keep the backslash, like the server. `e` may start a
                    // multi-byte character; the run copy above handles its continuation bytes.
                    out.push(b'\\');
                    out.push(e);
                }
            }
        }
        String::from_utf8(out).or_else(|_| self.err(open, "quoted text is not valid UTF-8"))
    }

    /// A signed integer literal: decimal, `0x` hex or `0b` binary, optional sign (whitespace
    /// allowed after it). Rejects fractions and exponents.
    fn int(&mut self) -> Result<i128> {
        let at = self.pos;
        let negative = match self.peek() {
            Some(b'-') => true,
            Some(b'+') => false,
            _ => {
                return self.magnitude(at);
            }
        };
        self.pos += 1;
        self.ws();
        let m = self.magnitude(at)?;
        Ok(if negative { -m } else { m })
    }

    fn magnitude(&mut self, at: usize) -> Result<i128> {
        let rest = &self.b[self.pos..];
        let (radix, skip) = match rest {
            [b'0', b'x' | b'X', c, ..] if c.is_ascii_hexdigit() => (16, 2),
            [b'0', b'b' | b'B', b'0' | b'1', ..] => (2, 2),
            _ => (10, 0),
        };
        self.pos += skip;
        let digits_start = self.pos;
        let mut value: i128 = 0;
        while let Some(d) = self.peek().and_then(|c| (c as char).to_digit(radix)) {
            value = match value
                .checked_mul(radix as i128)
                .and_then(|v| v.checked_add(d as i128))
            {
                Some(v) if v <= u64::MAX as i128 => v,
                _ => return self.err(at, "number too large"),
            };
            self.pos += 1;
        }
        if self.pos == digits_start || self.peek().is_some_and(|c| is_ident_char(c) || c == b'.') {
            return self.err(at, "expected an integer");
        }
        Ok(value)
    }

    /// An integer in `0..=max` (whitespace skipped first).
    fn uint(&mut self, what: &str, max: u64) -> Result<u64> {
        self.ws();
        let at = self.pos;
        let v = self.int()?;
        if v < 0 || v > max as i128 {
            return self.err(at, format!("{what} {v} is not in 0..={max}"));
        }
        Ok(v as u64)
    }
}

fn non_empty(s: String) -> Option<String> {
    if s.is_empty() { None } else { Some(s) }
}

/// Up to `max` bytes of `s` from `at`, cut at character boundaries.
fn excerpt(s: &str, at: usize, max: usize) -> String {
    let mut start = at.min(s.len());
    while !s.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + max).min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = s[start..end].to_string();
    if end < s.len() {
        out.push('…');
    }
    out
}
