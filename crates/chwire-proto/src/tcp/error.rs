//! What can go wrong on a native connection: the server's bytes are invalid or unexpected
//! ([`TcpError`], the connection is unusable), or the caller asked for something the current
//! state does not allow ([`StateError`], nothing was sent).

use crate::compression::CompressionError;
use crate::wire::DecodeError;

use super::State;

/// The connection failed; it must be closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TcpError {
    /// A packet type no 26.x server sends.
    #[error("unknown server packet type {0}")]
    UnknownPacket(u64),
    /// A known packet the server sends only to other servers or on requests chwire never makes
    /// (tables status, parallel replicas, SSH login).
    #[error("server packet {0} is never sent to a plain client")]
    NotForClient(&'static str),
    /// A packet that is not valid in this state (e.g. Data before any query).
    #[error("unexpected server packet {packet} in state {state:?}")]
    UnexpectedPacket {
        /// The packet's name.
        packet: &'static str,
        /// The connection's state when it arrived.
        state: State,
    },
    /// The server's revision is older than [`MIN_REVISION`](super::MIN_REVISION).
    #[error("server revision {0} is older than the oldest supported")]
    RevisionTooOld(u64),
    /// A packet's bytes are invalid (or exceed the decode limits).
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A compressed frame is invalid (bad checksum, unknown method, oversized block).
    #[error(transparent)]
    Compression(#[from] CompressionError),
    /// The connection ended inside a packet or while a reply was owed.
    #[error("connection closed by the server in state {0:?}")]
    Closed(State),
    /// An earlier error already ended the connection.
    #[error("the connection has already failed")]
    Failed,
}

/// A call that the connection's state does not allow; nothing was queued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// `action` (e.g. sending a query) is not possible in `state`.
    #[error("{action} is not allowed in state {state:?}")]
    NotAllowed {
        /// What the caller asked for.
        action: &'static str,
        /// The connection's state then.
        state: State,
    },
    /// A block could not be encoded.
    #[error(transparent)]
    Encode(#[from] DecodeError),
    /// A block could not be compressed.
    #[error(transparent)]
    Compression(#[from] CompressionError),
}
