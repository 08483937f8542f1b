//! Query building: client-side binding of `?` placeholders (values as escaped SQL literals,
//! [`Identifier`]s, `?fields` for a row type's columns) and the text of server-side parameters
//! (`{name:Type}`), both from any `serde::Serialize` value.
//!
//! The SQL template follows the official `clickhouse` crate: each `?` takes the next bound
//! value, `??` is a literal `?` (also inside string literals: every `?` of the text is a
//! placeholder), and `?fields` becomes the fetched row type's column names. A count mismatch
//! is an [`Error::Bind`](crate::Error::Bind) before anything is sent.

mod escape;
mod value;

use std::borrow::Cow;

use serde::{Serialize, Serializer};

use crate::error::{Error, Result};

pub(crate) use value::param_text;

/// Newtype name [`Identifier`] serializes under.
const IDENTIFIER_TAG: &str = "chwire::Identifier";
/// Newtype name of the `serde_helpers` day counts (`Date`, `Date32`).
pub(crate) const DATE_TAG: &str = "chwire::Date";
/// Newtype name of the `serde_helpers` seconds (`DateTime`).
pub(crate) const DATETIME_TAG: &str = "chwire::DateTime";

/// A table, column or other name bound to a `?` placeholder: written back-quoted and escaped
/// (`` `my table` ``) instead of as a string literal. As a server-side parameter it is the bare
/// name, for `{name:Identifier}`.
///
/// ```no_run
/// # async fn run(client: chwire::Client) -> chwire::Result<()> {
/// use chwire::Identifier;
/// client.query("SELECT count() FROM ? WHERE ? > ?")
///     .bind(Identifier("events"))
///     .bind(Identifier("id"))
///     .bind(10u64)
///     .execute()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Identifier<'a>(pub &'a str);

impl Serialize for Identifier<'_> {
    /// A newtype around the name: other serializers see the plain string.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(IDENTIFIER_TAG, self.0)
    }
}

/// The values bound to a query's `?` placeholders, and the row type's columns for `?fields`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Bindings {
    /// SQL literals, in placeholder order.
    args: Vec<String>,
    /// Column names of the row type a typed fetch reads.
    fields: Option<&'static [&'static str]>,
    /// The first failure (a value with no literal, a bad parameter), reported at send time.
    error: Option<String>,
}

impl Bindings {
    /// Binds the next `?` to `value`'s literal.
    pub(crate) fn bind<T: Serialize + ?Sized>(&mut self, value: &T) {
        match value::sql_literal(value) {
            Ok(lit) => self.args.push(lit),
            Err(e) => self.fail(format!("bind() value #{}: {e}", self.args.len() + 1)),
        }
    }

    /// Remembers the first failure of building the query.
    pub(crate) fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    /// `?fields` is `columns` (a typed fetch's row type).
    pub(crate) fn set_fields(&mut self, columns: &'static [&'static str]) {
        self.fields = Some(columns);
    }

    /// `template` with every placeholder replaced; borrowed when it has none. Fails on the
    /// first recorded failure, on a placeholder without a value, on values left over, and on
    /// `?fields` without a row type.
    pub(crate) fn render<'s>(&self, template: &'s str) -> Result<Cow<'s, str>> {
        if let Some(e) = &self.error {
            return Err(Error::Bind(e.clone()));
        }
        if !template.contains('?') && self.args.is_empty() {
            return Ok(Cow::Borrowed(template));
        }
        let mut out = String::with_capacity(
            template.len() + self.args.iter().map(String::len).sum::<usize>(),
        );
        let mut args = self.args.iter();
        let mut placeholders = 0;
        let mut rest = template;
        while let Some(at) = rest.find('?') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            rest = if let Some(r) = after.strip_prefix('?') {
                out.push('?');
                r
            } else if let Some(r) = after.strip_prefix("fields") {
                self.write_fields(&mut out)?;
                r
            } else {
                placeholders += 1;
                out.push_str(args.next().ok_or_else(|| {
                    Error::Bind(format!(
                        "the query has more `?` placeholders than the {} bound value(s) (`??` is a literal `?`)",
                        self.args.len()
                    ))
                })?);
                after
            };
        }
        out.push_str(rest);
        if args.len() > 0 {
            return Err(Error::Bind(format!(
                "{} value(s) bound but the query has {placeholders} `?` placeholder(s)",
                self.args.len()
            )));
        }
        Ok(Cow::Owned(out))
    }

    fn write_fields(&self, out: &mut String) -> Result<()> {
        let columns = self.fields.ok_or_else(|| {
            Error::Bind(
                "`?fields` needs a typed fetch (`fetch::<T>()` and the like) to name the columns"
                    .into(),
            )
        })?;
        if columns.is_empty() {
            return Err(Error::Bind("`?fields`: the row type has no columns".into()));
        }
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            escape::quote_into(out, c.as_bytes(), '`');
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(sql: &str, values: &[&dyn erased::Literal]) -> Result<String> {
        let mut b = Bindings::default();
        for v in values {
            v.bind_into(&mut b);
        }
        b.render(sql).map(Cow::into_owned)
    }

    /// Binding heterogeneous values in one test table.
    mod erased {
        pub(super) trait Literal {
            fn bind_into(&self, b: &mut super::Bindings);
        }
        impl<T: serde::Serialize> Literal for T {
            fn bind_into(&self, b: &mut super::Bindings) {
                b.bind(self);
            }
        }
    }

    #[test]
    fn placeholders_take_values_in_order() {
        let out = render("SELECT ? + ?, ?", &[&1u8, &2u8, &"x?"]).unwrap();
        assert_eq!(out, "SELECT 1 + 2, 'x?'");
        let out = render(
            "SELECT * FROM ? WHERE s IN ?",
            &[&Identifier("t"), &vec!["a", "b"]],
        );
        assert_eq!(out.unwrap(), "SELECT * FROM `t` WHERE s IN ['a', 'b']");
    }

    #[test]
    fn double_question_mark_is_a_literal() {
        assert_eq!(
            render("SELECT 'a??', ?", &[&1u8]).unwrap(),
            "SELECT 'a?', 1"
        );
        assert_eq!(render("SELECT '???'", &[&1u8]).unwrap(), "SELECT '?1'");
    }

    #[test]
    fn sql_without_placeholders_is_borrowed() {
        let b = Bindings::default();
        assert!(matches!(
            b.render("SELECT 1"),
            Ok(Cow::Borrowed("SELECT 1"))
        ));
    }

    #[test]
    fn count_mismatch_is_a_bind_error() {
        let e = render("SELECT ?, ?", &[&1u8]).unwrap_err();
        assert!(
            matches!(&e, Error::Bind(m) if m.contains("more `?` placeholders")),
            "{e}"
        );
        let e = render("SELECT ?", &[&1u8, &2u8]).unwrap_err();
        assert!(
            matches!(&e, Error::Bind(m) if m.contains("2 value(s) bound")),
            "{e}"
        );
        let e = render("SELECT 1", &[&1u8]).unwrap_err();
        assert!(matches!(e, Error::Bind(_)));
        let e = render("SELECT 'what?'", &[]).unwrap_err();
        assert!(matches!(e, Error::Bind(_)));
    }

    #[test]
    fn fields_need_a_row_type() {
        let mut b = Bindings::default();
        assert!(matches!(
            b.render("SELECT ?fields FROM t"),
            Err(Error::Bind(_))
        ));
        b.set_fields(&["id", "odd `name`"]);
        b.bind(&3u8);
        assert_eq!(
            b.render("SELECT ?fields FROM t WHERE id = ?").unwrap(),
            "SELECT `id`, `odd \\`name\\`` FROM t WHERE id = 3"
        );
        b.set_fields(&[]);
        assert!(matches!(
            b.render("SELECT ?fields FROM t WHERE id = ?"),
            Err(Error::Bind(_))
        ));
    }

    #[test]
    fn a_value_without_literal_fails_at_render() {
        #[derive(Serialize)]
        enum E {
            V(u8),
        }
        let e = render("SELECT ?", &[&E::V(1)]).unwrap_err();
        assert!(
            matches!(&e, Error::Bind(m) if m.contains("value #1")),
            "{e}"
        );
    }
}
