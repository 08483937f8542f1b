//! An INSERT's Data packets encoded apart from the connection's state, so that a caller can
//! encode (and compress) the next block on another thread while the connection writes the
//! previous one: encoding and writing then overlap instead of taking turns.

use crate::compression::{CompressedBlockWriter, Compression};
use crate::native::Block;

use super::client;
use super::connection::state_error;
use super::error::StateError;

/// Encodes one query's blocks as Data packets (its revision and compression). Made by
/// [`Connection::data_encoder`](super::Connection::data_encoder); its packets are queued,
/// in order, by [`Connection::send_encoded`](super::Connection::send_encoded).
#[derive(Debug)]
pub struct DataEncoder {
    revision: u64,
    writer: Option<CompressedBlockWriter>,
    query: u64,
}

/// One block as a Data packet, ready to be queued on the connection it was encoded for.
#[derive(Debug)]
pub struct EncodedData {
    pub(super) bytes: Vec<u8>,
    pub(super) rows: usize,
    pub(super) query: u64,
}

impl EncodedData {
    /// The block's rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The packet's size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the packet is empty (never: a packet has at least its type).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl DataEncoder {
    pub(super) fn new(revision: u64, compression: Option<Compression>, query: u64) -> Self {
        DataEncoder {
            revision,
            writer: compression.map(CompressedBlockWriter::new),
            query,
        }
    }

    /// `block` as a Data packet. An empty block would end the insert: it is refused (the end
    /// is [`Connection::finish_input`](super::Connection::finish_input)).
    pub fn encode(&mut self, block: &Block) -> Result<EncodedData, StateError> {
        if block.rows == 0 {
            return Err(StateError::NotAllowed {
                action: "encoding an empty block (it would end the insert)",
                state: super::State::Sending,
            });
        }
        let mut bytes = Vec::new();
        client::encode_data(block, self.revision, self.writer.as_mut(), &mut bytes)
            .map_err(state_error)?;
        Ok(EncodedData {
            bytes,
            rows: block.rows,
            query: self.query,
        })
    }
}
