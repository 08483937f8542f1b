//! chwire: a ClickHouse client over HTTP that runs on any async runtime.
//!
//! All IO goes through an `Arc<dyn chwire_rt::Runtime>`, which each adapter crate gives in one
//! call (`chwire_tokio::runtime()?`, `chwire_smol::runtime()`, `chwire_async_std::runtime()`);
//! the protocol work is `chwire-proto`'s sans-IO codecs.
//! Large results are decompressed and decoded off the event loop ([`PipelineStats`] counts that work), so a
//! single-threaded executor keeps serving other tasks while a big `SELECT` streams in.
//!
//! [`Row`] maps Rust types to RowBinary rows through serde: derive [`Row`] together with
//! `serde::Serialize`/`Deserialize`, then use [`Query::fetch`] and [`Client::insert`]. Typed
//! reads ask the server for Native blocks (much cheaper for it to write) and lay the rows out
//! off-loop, unless the client's `default_format` is RowBinary.
//!
//! `https://` URLs need the `rustls` feature (TLS through rustls on any runtime; see
//! [`ClientBuilder::tls_ca_pem`] and the other `tls_*` options).
//!
//! ```no_run
//! # async fn run(runtime: std::sync::Arc<dyn chwire::Runtime>) -> chwire::Result<()> {
//! use chwire::Client;
//! // `runtime`: e.g. `chwire_tokio::runtime()?`, `chwire_smol::runtime()`.
//! let client = Client::builder(runtime).url("http://localhost:8123").build()?;
//! client.query("CREATE TABLE t (x UInt64) ENGINE = Memory").execute().await?;
//! let (columns, rows) = client.query("SELECT {n:UInt64}").param("n", 5u64).fetch_all_rows().await?;
//! # Ok(()) }
//! ```

//! Every public type has one path, at the crate root; the modules are private (except
//! [`serde_helpers`], whose functions are named in `#[serde(with = "…")]`, [`error_codes`],
//! ClickHouse's error codes as constants, and `test`, the mock server of feature `test-util`).
#![warn(missing_docs)]

// Lets `#[derive(Row)]` (which names `::chwire::Row`) work in this crate's own tests.
#[cfg(test)]
extern crate self as chwire;

mod async_insert;
mod buffers;
mod builder;
mod cancel;
mod classify;
mod client;
mod config;
mod coop;
mod dispatch;
mod endpoints;
mod error;
pub mod error_codes;
mod events;
mod handle;
mod headers;
mod in_band;
mod insert;
mod inserter;
mod limits;
mod offload;
mod pool;
mod progress;
mod query;
mod request;
mod row;
mod row_cursor;
mod schema;
pub mod serde_helpers;
mod session;
mod settings;
mod sql;
mod summary;
mod telemetry;
#[cfg(feature = "test-util")]
pub mod test;
mod tls;
mod transport;
mod urls;

pub use async_insert::{AsyncInsertEntry, AsyncInsertOptions, BusyTimeout};
pub use builder::ClientBuilder;
pub use cancel::CancelHandle;
pub use chwire_proto::column::{ColumnData, StringColumn};
pub use chwire_proto::http::HttpError;
pub use chwire_proto::{Block, Column, DataType, Value};
/// The runtime contract the client runs on: store the client's runtime as
/// `Arc<dyn chwire::Runtime>` without depending on `chwire-rt`.
pub use chwire_rt::Runtime;
pub use classify::FailureClass;
pub use config::{Compression, Format};
pub use endpoints::{EndpointStats, LoadBalancing};
pub use error::{Error, ProtocolError, Result, ServerError, TimeoutKind};
pub use events::{LogPriority, ProfileEvent, ProfileEventKind, ServerLog};
pub use handle::Client;
pub use insert::{BlockInsert, FormattedInsert, Insert};
pub use inserter::{
    FailedBatch, Inserter, InserterBuilder, InserterError, InserterStats, RetryPolicy,
};
pub use offload::PipelineStats;
pub use pool::PoolStats;
pub use progress::Progress;
pub use query::{BlockStream, ByteStream, Query, RowStream};
pub use row::{Row, RowDecoder, RowEncoder, RowError, read_header, read_header_strings};
pub use row_cursor::RowCursor;
pub use settings::Settings;
pub use sql::Identifier;
pub use summary::QuerySummary;
pub use telemetry::QueryText;
pub use urls::Protocol;

/// The `opentelemetry` crate chwire is built against (0.33): use this version (or this
/// re-export) in the application, or trace context does not reach chwire.
#[cfg(feature = "opentelemetry")]
pub use opentelemetry;

/// The rustls crate chwire uses (feature `rustls`), for [`ClientBuilder::tls_config`].
#[cfg(feature = "rustls")]
pub use futures_rustls::rustls;

/// The `chrono` crate, for the `serde_helpers::chrono` date and time helpers.
#[cfg(feature = "chrono")]
pub use chrono;
/// The `ethnum` crate, for `Int256`/`UInt256` columns (`serde_helpers::ethnum`).
#[cfg(feature = "ethnum")]
pub use ethnum;
/// The `rust_decimal` crate, for `Decimal` columns (`serde_helpers::rust_decimal`).
#[cfg(feature = "rust_decimal")]
pub use rust_decimal;
/// The `serde_json` crate, for `JSON` columns (`serde_helpers::json`).
#[cfg(feature = "serde_json")]
pub use serde_json;
/// The `uuid` crate, with its serde support, for `UUID` columns.
#[cfg(feature = "uuid")]
pub use uuid;
