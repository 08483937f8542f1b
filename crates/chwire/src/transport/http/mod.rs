//! The HTTP transport: ClickHouse's HTTP interface over pooled HTTP/1.1 keep-alive
//! connections. `connection` is one connection and one exchange on it (socket IO, the
//! response parser, time limits), `request` writes a request (head from the request
//! description and the client's configuration, body framing), `body` reads the response
//! body (raw chunks, then decompression and the mid-stream exception scan).

mod body;
mod connection;
mod request;

use std::sync::Arc;

use chwire_rt::Runtime;

pub(super) use body::{BodyFilter, RawBody};
pub(super) use connection::Exchange;

use super::Address;
use crate::pool::{Pool, PoolConfig};
use connection::Connection;

/// HTTP cancels a query with a second request: `KILL QUERY` for its id, on its endpoint.
pub(super) const KILL_QUERY: &str = "KILL QUERY WHERE query_id = {id:String} ASYNC";

/// One endpoint over HTTP: its pool and where requests go.
#[derive(Debug)]
pub(crate) struct HttpTransport {
    pool: Pool<Connection>,
    /// `host:port`, the `Host` header.
    authority: String,
    /// The path of every request.
    path: String,
}

impl HttpTransport {
    pub(super) fn new(rt: Arc<dyn Runtime>, address: Address, pool: PoolConfig) -> HttpTransport {
        let Address {
            host,
            port,
            path,
            tls,
        } = address;
        HttpTransport {
            authority: format!("{host}:{port}"),
            pool: Pool::new(rt, host, port, tls, pool, ()),
            path,
        }
    }

    pub(crate) fn pool(&self) -> &Pool<Connection> {
        &self.pool
    }
}
