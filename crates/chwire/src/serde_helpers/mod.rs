//! `#[serde(with = "...")]` modules for Rust types whose own serde form is not the column's
//! RowBinary form (ClickHouse dates and times travel as integers).

#[cfg(feature = "time")]
pub mod time;
