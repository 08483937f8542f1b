//! What an insert's writer sends: encoded chunks of the body (a Native block in parts, some
//! sent from the block's own memory; RowBinary rows; compressed when the client compresses),
//! and the jobs that produce them.

use std::sync::Arc;

use chwire_proto::native::{NativePart, plain_bytes};
use chwire_proto::{Block, Column, CompressedBlockWriter, NativeEncoder, RowBinaryEncoder};
use chwire_rt::{BoxFuture, RuntimeExt};

use crate::buffers::BufferPool;
use crate::config::Format;
use crate::error::{Error, Result};

/// A chunk for the writer task: ready to send, or still to be encoded. The writer starts
/// encodings itself, on the blocking pool, at most one per core ahead of the socket: more
/// would only take CPU from a server on the same machine.
pub(super) enum Job {
    Ready(Chunk),
    Encode(Box<dyn FnOnce() -> Result<Chunk> + Send>),
}

impl Job {
    /// Starts the job's encoding (if any) on the blocking pool.
    pub(super) fn start(self, rt: &Arc<dyn chwire_rt::Runtime>) -> EncodingChunk {
        match self {
            Job::Ready(chunk) => Box::pin(std::future::ready(Ok(chunk))),
            Job::Encode(work) => {
                let encoding = rt.run_blocking(work);
                Box::pin(async move {
                    encoding
                        .await
                        .map_err(|e| Error::pipeline(format!("encoder: {e}")))?
                })
            }
        }
    }
}

/// A chunk on its way out of an encoder.
pub(super) type EncodingChunk = BoxFuture<'static, Result<Chunk>>;

/// Encoded body bytes in a buffer of their own, sent as HTTP chunks of at most
/// `MAX_HTTP_CHUNK` (the HTTP transport frames them, nothing copied);
/// the buffer then returns to the insert's [`BufferPool`].
pub(super) struct Chunk {
    pub(super) buf: Vec<u8>,
    /// An uncompressed Native block whose large numeric columns are sent from their own
    /// memory: the payload is these parts, over `buf` and the block. `None`: `buf` is all.
    borrowed: Option<(Arc<Block>, Vec<NativePart>)>,
}

impl Chunk {
    pub(super) fn whole(buf: Vec<u8>) -> Chunk {
        Chunk {
            buf,
            borrowed: None,
        }
    }

    /// `head`, then column `j` of `block` straight from its memory (a plain column).
    pub(super) fn with_column(head: Vec<u8>, block: Arc<Block>, j: usize) -> Chunk {
        let parts = vec![NativePart::Encoded(0..head.len()), NativePart::Column(j)];
        Chunk {
            buf: head,
            borrowed: Some((block, parts)),
        }
    }

    /// This chunk's payload compressed with `compression` into a pooled buffer (its own
    /// buffer goes back to the pool), or the chunk as it is without compression. Borrowed
    /// columns are compressed from their own memory.
    pub(super) fn compressed(
        self,
        compression: Option<chwire_proto::Compression>,
        pool: &BufferPool,
    ) -> Result<Chunk> {
        let Some(c) = compression else {
            return Ok(self);
        };
        let mut out = chunk_buffer(pool);
        let mut writer = CompressedBlockWriter::new(c);
        for segment in self.segments() {
            writer.write(segment, &mut out)?;
        }
        pool.put(self.buf);
        Ok(Chunk::whole(out))
    }

    /// The payload, in order.
    pub(super) fn segments(&self) -> Vec<&[u8]> {
        match &self.borrowed {
            None => vec![&self.buf],
            Some((block, parts)) => parts.iter().map(|p| p.bytes(&self.buf, block)).collect(),
        }
    }
}

/// Numeric columns of at least this many bytes are sent (or compressed) from their own
/// memory instead of being copied into the encoded chunk; smaller ones cost more as extra
/// write buffers than their copy.
pub(super) const MIN_BORROWED_COLUMN: usize = 64 << 10;

/// An empty buffer for a chunk, recycled when one is waiting.
pub(super) fn chunk_buffer(pool: &BufferPool) -> Vec<u8> {
    let mut buf = pool.take().unwrap_or_default();
    buf.clear();
    buf
}

/// Encodes a block as one chunk in `format`, compressed with `compression`. In Native, large
/// numeric columns are not copied: sent from the block's memory when uncompressed, compressed
/// straight from it otherwise.
pub(super) fn encode_chunk(
    block: Block,
    format: Format,
    compression: Option<chwire_proto::Compression>,
    pool: &BufferPool,
) -> Result<Chunk> {
    let mut plain = chunk_buffer(pool);
    match format {
        Format::Native => {
            plain.reserve(encoded_size_hint(&block, MIN_BORROWED_COLUMN));
            let parts =
                NativeEncoder::new().encode_parts(&block, MIN_BORROWED_COLUMN, &mut plain)?;
            let chunk = Chunk {
                buf: plain,
                borrowed: Some((Arc::new(block), parts)),
            };
            chunk.compressed(compression, pool)
        }
        Format::RowBinary => {
            plain.reserve(encoded_size_hint(&block, usize::MAX));
            let types = block
                .columns
                .iter()
                .map(|(_, c)| c.data_type().clone())
                .collect();
            let mut enc = RowBinaryEncoder::new(types);
            let mut row = Vec::with_capacity(block.columns.len());
            for i in 0..block.rows {
                row.clear();
                for (_, c) in &block.columns {
                    row.push(c.try_get(i)?);
                }
                enc.write_row(&row)?;
            }
            plain.extend_from_slice(&enc.take());
            Chunk::whole(plain).compressed(compression, pool)
        }
    }
}

/// Roughly the encoded size of `block` without its numeric columns of `borrowed` bytes or
/// more (sent from their own memory), to size the encode buffer once instead of growing it.
pub(super) fn encoded_size_hint(block: &Block, borrowed: usize) -> usize {
    block
        .columns
        .iter()
        .map(|(name, column)| {
            let data = if plain_bytes(column).is_some_and(|b| b.len() >= borrowed) {
                0
            } else {
                encoded_size_hint_of(column)
            };
            data + name.len() + 64
        })
        .sum()
}

/// Roughly the encoded size of one column's data.
pub(crate) fn encoded_size_hint_of(column: &Column) -> usize {
    match (column.data_type().fixed_size(), column.as_strings()) {
        (Some(width), _) => width * column.len(),
        (None, Some(strings)) => strings.data.len() + 2 * column.len(),
        (None, None) => 16 * column.len(),
    }
}
