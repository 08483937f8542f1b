//! The ClickHouse native TCP protocol (port 9000), sans-IO.
//!
//! [`Connection`] is the client's state machine: it encodes the Hello, queries, blocks, Cancel
//! and Ping (`client` packets), and turns received bytes into [`Event`]s through the
//! [`Receiver`], which demultiplexes server packets and decodes their blocks with the Native
//! codec (`native`) and per-packet compression (`compression`). Every field is gated by the
//! negotiated revision (the lower of [`REVISION`] and the server's; at least
//! [`MIN_REVISION`]). Query ids, client info and times are inputs: nothing here reads a
//! clock or a random source.

mod client;
mod connection;
mod data_encoder;
mod error;
mod receiver;
mod revision;
mod server;

pub use client::{ClientHello, ClientInfo, Query, Setting, TraceContext};
pub use connection::{Connection, Event, State};
pub use data_encoder::{DataEncoder, EncodedData};
pub use error::{StateError, TcpError};
pub use receiver::{Packet, Receiver};
pub use revision::{MIN_REVISION, REVISION};
pub use server::{ProfileInfo, ServerHello};

#[cfg(test)]
mod tests;
