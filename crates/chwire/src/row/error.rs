//! [`RowError`]: everything that can go wrong mapping a Rust row type to RowBinary columns.

use std::fmt;

use chwire_proto::{DecodeError, ReadError};

/// Why a row could not be decoded into, or encoded from, a Rust value.
///
/// Schema problems (a Rust type that does not fit the columns) are reported as values of this
/// type, never as panics, so a client can surface them with the column that caused them.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RowError {
    /// The Rust type asked for a value the column's ClickHouse type cannot provide (or accept).
    ///
    /// `column` is the column name, followed by a path into nested types when the mismatch is
    /// inside one: `.name`/`.0` for a tuple element, `[]` for an array element, `{key}` and
    /// `{value}` for a map's keys and values.
    #[error("column `{column}`: the Rust type expects {expected}, but the column type is {actual}")]
    SchemaMismatch {
        /// Where the mismatch is: the column name and any nested path (see above).
        column: String,
        /// The Rust-side expectation, e.g. `u64`, `string`, `tuple of 3`.
        expected: String,
        /// The ClickHouse type of the column (or nested element).
        actual: String,
    },
    /// The row type's columns (names, count or order) do not match the result or table columns.
    #[error("{}", describe_columns(row, expected, actual))]
    Columns {
        /// The row type's name.
        row: &'static str,
        /// Column names the row type maps to, in its field order.
        expected: Vec<String>,
        /// Column names of the result set or table.
        actual: Vec<String>,
    },
    /// A value that has the right type but cannot be represented on the other side (invalid
    /// UTF-8 in a `String` read as `&str`, a string longer than its `FixedString`, an `Enum`
    /// value without a name, ...).
    #[error("column `{column}`: {reason}")]
    InvalidValue {
        /// The column name, with a nested path as in [`RowError::SchemaMismatch`].
        column: String,
        /// What is wrong with the value.
        reason: String,
    },
    /// The input ends inside this row; at least `needed` more bytes are required. The cursor is
    /// left at the start of the row so the caller can keep the tail and retry with more input.
    #[error("incomplete row: at least {needed} more bytes needed")]
    Incomplete {
        /// A lower bound on the missing bytes.
        needed: usize,
    },
    /// The bytes are not valid RowBinary.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A message from a `Serialize`/`Deserialize` implementation (serde's `custom` errors).
    #[error("{0}")]
    Custom(String),
}

impl RowError {
    /// `true` when more input may let the same row decode.
    pub fn is_incomplete(&self) -> bool {
        matches!(self, RowError::Incomplete { .. })
    }

    /// Prepends a path segment (the column name, a tuple element, ...) to the location of the
    /// error. Called on the way out of nested values, so the happy path never builds strings.
    pub(crate) fn within(mut self, segment: impl fmt::Display) -> Self {
        match &mut self {
            RowError::SchemaMismatch { column, .. } | RowError::InvalidValue { column, .. } => {
                *column = format!("{segment}{column}");
            }
            _ => {}
        }
        self
    }

    pub(crate) fn mismatch(expected: impl Into<String>, actual: &chwire_proto::DataType) -> Self {
        RowError::SchemaMismatch {
            column: String::new(),
            expected: expected.into(),
            actual: actual.to_string(),
        }
    }

    /// The row type's shape against a result or table of `columns` columns: `expected` is
    /// what the Rust type is (`"3 columns"`, `"a single value"`).
    #[cold]
    pub(crate) fn columns_mismatch(expected: impl Into<String>, columns: usize) -> Self {
        RowError::SchemaMismatch {
            column: "*".into(),
            expected: expected.into(),
            actual: format!("{columns} columns"),
        }
    }

    /// A row type of `rust` fields against `columns` columns.
    #[cold]
    pub(crate) fn column_count(rust: usize, columns: usize) -> Self {
        RowError::columns_mismatch(format!("{rust} columns"), columns)
    }

    pub(crate) fn invalid(reason: impl Into<String>) -> Self {
        RowError::InvalidValue {
            column: String::new(),
            reason: reason.into(),
        }
    }
}

impl From<ReadError> for RowError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Short(needed) => RowError::Incomplete { needed },
            ReadError::Bad(e) => RowError::Decode(e),
        }
    }
}

impl serde::de::Error for RowError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        RowError::Custom(msg.to_string())
    }
}

impl serde::ser::Error for RowError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        RowError::Custom(msg.to_string())
    }
}

fn describe_columns(row: &str, expected: &[String], actual: &[String]) -> String {
    let missing: Vec<&str> = expected
        .iter()
        .filter(|e| !actual.contains(e))
        .map(String::as_str)
        .collect();
    let extra: Vec<&str> = actual
        .iter()
        .filter(|a| !expected.contains(a))
        .map(String::as_str)
        .collect();
    let mut s = format!(
        "row type {row} has {} columns [{}], but the server has {} columns [{}]",
        expected.len(),
        expected.join(", "),
        actual.len(),
        actual.join(", ")
    );
    if !missing.is_empty() {
        s.push_str(&format!(
            "; not found on the server: {}",
            missing.join(", ")
        ));
    }
    if !extra.is_empty() {
        s.push_str(&format!("; not in the row type: {}", extra.join(", ")));
    }
    s
}

/// A [`RowError`] boxed on its way up serde's calls in the column (de)serializers: one
/// pointer, so a field's `Result<u64, _>` comes back in registers instead of through an
/// 80-byte slot at every level.
pub(super) struct BoxedError(pub(super) Box<RowError>);

impl BoxedError {
    #[cold]
    pub(super) fn within(self, segment: &str) -> BoxedError {
        BoxedError(Box::new(self.0.within(segment)))
    }
}

impl From<RowError> for BoxedError {
    #[cold]
    fn from(e: RowError) -> BoxedError {
        BoxedError(Box::new(e))
    }
}

impl std::fmt::Debug for BoxedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for BoxedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for BoxedError {}

impl serde::de::Error for BoxedError {
    #[cold]
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        BoxedError(Box::new(<RowError as serde::de::Error>::custom(msg)))
    }
}

impl serde::ser::Error for BoxedError {
    #[cold]
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        BoxedError(Box::new(<RowError as serde::ser::Error>::custom(msg)))
    }
}
