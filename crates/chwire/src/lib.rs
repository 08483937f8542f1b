//! chwire: a ClickHouse client.
//!
//! [`row`] maps Rust types to RowBinary rows through serde: derive [`Row`] together with
//! `serde::Serialize`/`Deserialize`.

// Lets `#[derive(Row)]` (which names `::chwire::Row`) work in this crate's own tests.
#[cfg(test)]
extern crate self as chwire;

pub mod row;
pub mod serde_helpers;

pub use row::{Row, RowDecoder, RowEncoder, RowError};

/// The `uuid` crate, with its serde support, for `UUID` columns.
#[cfg(feature = "uuid")]
pub use uuid;
