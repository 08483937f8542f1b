//! One serde `Serializer` that writes any value as ClickHouse text, in the two forms the server
//! reads: a SQL literal (client-side `?` binding) and a query parameter's text value
//! (server-side `{name:Type}`), whose nested values are the quoted text form.

use std::fmt::{self, Display, Write as _};

use serde::ser::{self, Impossible, Serialize};

use super::escape::{Temporal, escape_into, quote_into};
use super::{DATE_TAG, DATETIME_TAG, IDENTIFIER_TAG};

/// Why a value cannot be written as ClickHouse text (an unsupported serde shape, or the
/// value's own `Serialize` failing).
#[derive(Debug)]
pub(crate) struct ValueError(pub(crate) String);

impl Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValueError {}

impl ser::Error for ValueError {
    fn custom<T: Display>(msg: T) -> Self {
        ValueError(msg.to_string())
    }
}

/// `value` as a SQL literal: `'…'` strings, `NULL`, `[…]` arrays, `(…)` tuples (`tuple(x)` for
/// one element), `map(k, v, …)` maps, `` `…` `` for an [`Identifier`](super::Identifier).
pub(crate) fn sql_literal<T: Serialize + ?Sized>(value: &T) -> Result<String, ValueError> {
    write(value, Style::Sql)
}

/// `value` as the text of a server-side query parameter, the same on every transport: what the
/// server's escaped-text reader parses for the declared type. A string is its escaped text
/// without quotes, `None` is `\N`, an identifier its bare name; inside arrays, tuples and maps
/// values take the quoted form (`['a\'b', NULL]`, `{'k':1}`). HTTP sends it as
/// `param_<name>=`; the native protocol carries the same text as a quoted string field.
pub(crate) fn param_text<T: Serialize + ?Sized>(value: &T) -> Result<String, ValueError> {
    write(value, Style::ParamTop)
}

fn write<T: Serialize + ?Sized>(value: &T, style: Style) -> Result<String, ValueError> {
    let mut out = String::new();
    value.serialize(Writer {
        out: &mut out,
        style,
        tag: None,
    })?;
    Ok(out)
}

/// Which text form a value is written in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// A SQL literal.
    Sql,
    /// A parameter's whole value (escaped text).
    ParamTop,
    /// A value inside a parameter's array, tuple or map (quoted text).
    ParamNested,
}

impl Style {
    /// The style of the elements of a compound value written in this style.
    fn nested(self) -> Style {
        match self {
            Style::Sql => Style::Sql,
            Style::ParamTop | Style::ParamNested => Style::ParamNested,
        }
    }
}

/// What a marker newtype said the next value is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tag {
    Identifier,
    Temporal(Temporal),
}

/// Writes one value into `out`.
struct Writer<'a> {
    out: &'a mut String,
    style: Style,
    tag: Option<Tag>,
}

impl<'a> Writer<'a> {
    fn integer(self, v: impl Display + TryInto<i64> + Copy) -> Result<(), ValueError> {
        match self.tag {
            Some(Tag::Temporal(t)) => {
                let v: i64 = v
                    .try_into()
                    .map_err(|_| ValueError(format!("date/time value {v} is out of range")))?;
                let mut text = String::new();
                t.write(&mut text, v);
                self.text(text.as_bytes())
            }
            _ => self.display(v),
        }
    }

    fn display(self, v: impl Display) -> Result<(), ValueError> {
        let _ = write!(self.out, "{v}");
        Ok(())
    }

    fn float(self, v: f64, text: impl Display) -> Result<(), ValueError> {
        match v {
            v if v.is_nan() => self.out.push_str("nan"),
            f64::INFINITY => self.out.push_str("inf"),
            f64::NEG_INFINITY => self.out.push_str("-inf"),
            _ => return self.display(text),
        }
        Ok(())
    }

    /// A string or byte string (or an identifier's name).
    fn text(self, bytes: &[u8]) -> Result<(), ValueError> {
        match (self.style, self.tag) {
            (Style::Sql, Some(Tag::Identifier)) => quote_into(self.out, bytes, '`'),
            // `{name:Identifier}` takes the bare name.
            (Style::ParamTop, Some(Tag::Identifier)) => {
                self.out.push_str(&String::from_utf8_lossy(bytes))
            }
            (Style::ParamTop, _) => escape_into(self.out, bytes, '\''),
            _ => quote_into(self.out, bytes, '\''),
        }
        Ok(())
    }

    fn null(self) -> Result<(), ValueError> {
        self.out.push_str(match self.style {
            Style::ParamTop => "\\N",
            Style::Sql | Style::ParamNested => "NULL",
        });
        Ok(())
    }

    /// Opens a tuple of `len` values.
    fn tuple(self, len: usize) -> Compound<'a> {
        if self.style == Style::Sql && len < 2 {
            // `(x)` is just `x` in SQL.
            self.out.push_str("tuple");
        }
        self.open('(', ")", ", ")
    }

    fn open(self, open: char, close: &'static str, sep: &'static str) -> Compound<'a> {
        self.out.push(open);
        Compound {
            out: self.out,
            style: self.style.nested(),
            close,
            sep,
            first: true,
        }
    }

    fn unsupported(&self, what: &str) -> ValueError {
        ValueError(format!(
            "{what} has no ClickHouse literal (use a string, number, bool, Option, sequence, tuple, map or struct)"
        ))
    }
}

/// The elements of an array, tuple, map or struct being written.
struct Compound<'a> {
    out: &'a mut String,
    /// The elements' style.
    style: Style,
    close: &'static str,
    /// Between elements (and between a map's entries; see `SerializeMap` for key and value).
    sep: &'static str,
    first: bool,
}

impl Compound<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T, sep: &str) -> Result<(), ValueError> {
        if !self.first {
            self.out.push_str(sep);
        }
        self.first = false;
        value.serialize(Writer {
            out: self.out,
            style: self.style,
            tag: None,
        })
    }

    fn close(self) -> Result<(), ValueError> {
        self.out.push_str(self.close);
        Ok(())
    }
}

macro_rules! integers {
    ($($method:ident: $t:ty),*) => {$(
        fn $method(self, v: $t) -> Result<(), ValueError> {
            self.integer(v)
        }
    )*};
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = ValueError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Impossible<(), ValueError>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Impossible<(), ValueError>;

    integers!(
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
        serialize_i128: i128, serialize_u128: u128
    );

    fn serialize_bool(self, v: bool) -> Result<(), ValueError> {
        self.display(v)
    }

    fn serialize_f32(self, v: f32) -> Result<(), ValueError> {
        self.float(f64::from(v), v)
    }

    fn serialize_f64(self, v: f64) -> Result<(), ValueError> {
        self.float(v, v)
    }

    fn serialize_char(self, v: char) -> Result<(), ValueError> {
        self.text(v.encode_utf8(&mut [0; 4]).as_bytes())
    }

    fn serialize_str(self, v: &str) -> Result<(), ValueError> {
        self.text(v.as_bytes())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), ValueError> {
        self.text(v)
    }

    fn serialize_none(self) -> Result<(), ValueError> {
        self.null()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), ValueError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), ValueError> {
        self.null()
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), ValueError> {
        self.null()
    }

    /// A fieldless enum variant is its name, as an `Enum` column reads it.
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), ValueError> {
        self.text(variant.as_bytes())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), ValueError> {
        self.tag = tag(name);
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _value: &T,
    ) -> Result<(), ValueError> {
        Err(self.unsupported(&format!("enum variant {name}::{variant} with data")))
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, ValueError> {
        Ok(self.open('[', "]", ", "))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, ValueError> {
        Ok(self.tuple(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, ValueError> {
        Ok(self.tuple(len))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, ValueError> {
        Err(self.unsupported(&format!("enum variant {name}::{variant} with data")))
    }

    /// `map(k, v, …)` in SQL, `{k:v,…}` in parameter text.
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, ValueError> {
        Ok(match self.style {
            Style::Sql => {
                self.out.push_str("map");
                self.open('(', ")", ", ")
            }
            Style::ParamTop | Style::ParamNested => self.open('{', "}", ","),
        })
    }

    /// A struct is the tuple of its field values.
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>, ValueError> {
        Ok(self.tuple(len))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, ValueError> {
        Err(self.unsupported(&format!("enum variant {name}::{variant} with fields")))
    }
}

/// The marker a newtype's name carries (the `serde_helpers` tags and [`Identifier`]'s).
///
/// [`Identifier`]: super::Identifier
fn tag(name: &str) -> Option<Tag> {
    if name == IDENTIFIER_TAG {
        return Some(Tag::Identifier);
    }
    if name == DATE_TAG {
        return Some(Tag::Temporal(Temporal::Days));
    }
    if name == DATETIME_TAG {
        return Some(Tag::Temporal(Temporal::Seconds));
    }
    if let Some(p) = crate::row::DATETIME64_TAGS.iter().position(|t| *t == name) {
        return Some(Tag::Temporal(Temporal::Ticks(p as u32)));
    }
    None
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = ValueError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        let sep = self.sep;
        self.element(value, sep)
    }
    fn end(self) -> Result<(), ValueError> {
        self.close()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = ValueError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), ValueError> {
        self.close()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = ValueError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), ValueError> {
        self.close()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = ValueError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _key: &'static str,
        value: &T,
    ) -> Result<(), ValueError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), ValueError> {
        self.close()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = ValueError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ValueError> {
        let sep = self.sep;
        self.element(key, sep)
    }
    /// After a key: `, ` in SQL's `map(k, v)`, `:` in the text form `{k:v}`.
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        let sep = if self.style == Style::Sql { ", " } else { ":" };
        self.element(value, sep)
    }
    fn end(self) -> Result<(), ValueError> {
        self.close()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::sql::Identifier;
    use serde::Serialize;

    fn sql<T: Serialize + ?Sized>(v: &T) -> String {
        sql_literal(v).unwrap()
    }

    fn param<T: Serialize + ?Sized>(v: &T) -> String {
        param_text(v).unwrap()
    }

    #[derive(Serialize)]
    struct Point {
        x: i32,
        label: &'static str,
    }

    #[derive(Serialize)]
    enum Level {
        Low,
        Some(u8),
    }

    #[test]
    fn scalars_as_sql_literals() {
        assert_eq!(sql(&42u8), "42");
        assert_eq!(sql(&-7i64), "-7");
        assert_eq!(sql(&u128::MAX), u128::MAX.to_string());
        assert_eq!(sql(&i128::MIN), i128::MIN.to_string());
        assert_eq!(sql(&-1.5f64), "-1.5");
        assert_eq!(sql(&0.1f32), "0.1");
        assert_eq!(sql(&f64::NAN), "nan");
        assert_eq!(sql(&f64::INFINITY), "inf");
        assert_eq!(sql(&f32::NEG_INFINITY), "-inf");
        assert_eq!(sql(&true), "true");
        assert_eq!(sql(&'x'), "'x'");
        assert_eq!(sql("it's \\ a\ttab\n?"), "'it\\'s \\\\ a\\ttab\\n?'");
        assert_eq!(sql(&None::<u8>), "NULL");
        assert_eq!(sql(&Some("a")), "'a'");
        assert_eq!(sql(&()), "NULL");
        assert_eq!(sql(&Level::Low), "'Low'");
        assert_eq!(sql(&serde_bytes::Bytes::new(b"a\xff\0")), "'a\\xFF\\0'");
    }

    #[test]
    fn compounds_as_sql_literals() {
        assert_eq!(sql(&[1u8, 2, 3]), "(1, 2, 3)");
        assert_eq!(sql(&vec![1u8, 2, 3]), "[1, 2, 3]");
        assert_eq!(sql(&Vec::<u8>::new()), "[]");
        assert_eq!(sql(&vec![vec!["a"], vec![]]), "[['a'], []]");
        assert_eq!(sql(&[Some(1), None][..]), "[1, NULL]");
        assert_eq!(sql(&(1u8, "b", None::<u8>)), "(1, 'b', NULL)");
        assert_eq!(sql(&(5u8,)), "tuple(5)");
        assert_eq!(sql(&Point { x: 1, label: "p" }), "(1, 'p')");
        let map = BTreeMap::from([("a", 1u8), ("b'", 2)]);
        assert_eq!(sql(&map), "map('a', 1, 'b\\'', 2)");
        assert_eq!(sql(&BTreeMap::<u8, u8>::new()), "map()");
        assert_eq!(sql(&Identifier("my `table`")), "`my \\`table\\``");
    }

    #[test]
    fn parameter_text_is_escaped_at_the_top_and_quoted_inside() {
        assert_eq!(param(&5u64), "5");
        assert_eq!(param(&-1.5f64), "-1.5");
        assert_eq!(param(&true), "true");
        assert_eq!(param("a\tb\\c'\n"), "a\\tb\\\\c\\'\\n");
        assert_eq!(param("[1,-2]"), "[1,-2]");
        assert_eq!(param(&None::<String>), "\\N");
        assert_eq!(param(&Some("x")), "x");
        assert_eq!(param(&serde_bytes::Bytes::new(b"\xfe\t")), "\\xFE\\t");
        assert_eq!(
            param(&vec!["a'b", "c\td"]),
            "['a\\'b','c\\td']".replace(',', ", ")
        );
        assert_eq!(param(&vec![Some(1u8), None]), "[1, NULL]");
        assert_eq!(param(&(1u8, "x")), "(1, 'x')");
        assert_eq!(param(&(1u8,)), "(1)");
        assert_eq!(param(&vec![vec![1u8], vec![]]), "[[1], []]");
        let map = BTreeMap::from([("k", vec![1u8]), ("v", vec![])]);
        assert_eq!(param(&map), "{'k':[1],'v':[]}");
        assert_eq!(param(&Identifier("db.t")), "db.t");
        assert_eq!(param(&Level::Low), "Low");
    }

    #[test]
    fn helper_tags_write_dates_and_times_as_text() {
        struct Tagged(&'static str, i64);
        impl Serialize for Tagged {
            fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_newtype_struct(self.0, &self.1)
            }
        }
        let ms = crate::row::DATETIME64_TAGS[3];
        assert_eq!(sql(&Tagged(DATE_TAG, 19_782)), "'2024-02-29'");
        assert_eq!(param(&Tagged(DATE_TAG, 19_782)), "2024-02-29");
        assert_eq!(param(&Tagged(DATETIME_TAG, 1_700_000_000)), "1700000000");
        assert_eq!(sql(&Tagged(ms, 1_700_000_000_123)), "'1700000000.123'");
        assert_eq!(param(&[Tagged(DATE_TAG, 0)][..]), "['1970-01-01']");
        // Other newtypes are transparent.
        assert_eq!(sql(&Tagged("Other", 3)), "3");
    }

    #[test]
    fn values_without_a_literal_are_errors() {
        let e = sql_literal(&Level::Some(1)).unwrap_err();
        assert!(e.to_string().contains("Level::Some"), "{e}");
        assert!(param_text(&Level::Some(1)).is_err());
    }
}
