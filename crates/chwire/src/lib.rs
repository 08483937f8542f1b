//! chwire: a ClickHouse client.
//!
//! [`row`] maps Rust types to RowBinary rows through serde: derive [`Row`] together with
//! `serde::Serialize`/`Deserialize`.

pub mod row;

pub use chwire_derive::Row;
pub use row::{Row, RowDecoder, RowEncoder, RowError};

/// The `uuid` crate, with its serde support, for `UUID` columns.
#[cfg(feature = "uuid")]
pub use uuid;
