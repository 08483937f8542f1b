//! An INSERT over the native protocol: the statement as a Query packet, the server's schema
//! block awaited (it names the table's columns: no DESCRIBE round trip), then the body's
//! blocks as Data packets (compressed as the client compresses), the terminating empty block,
//! and the answer up to EndOfStream.
//!
//! The facade's insert writer produces HTTP bodies (`FORMAT Native` bytes, compressed when
//! the client compresses). Until it hands blocks to the transport, this module reads those
//! bytes back into blocks ([`BodyBlocks`]) and sends each as a Data packet: correct, but it
//! decodes what was just encoded (off the event loop for all but small pieces, see
//! `Exchange::convert_body`). Typed-row inserts (RowBinary bodies)
//! are refused with [`Error::NotAvailable`] until typed inserts write Native blocks.

use bytes::Bytes;
use chwire_proto::{Block, CompressedBlockReader, NativeDecoder, tcp};

use crate::error::{Error, Result};

/// Whether an INSERT statement's body format can be sent over this transport.
pub(super) fn check_format(sql: &str) -> Result<()> {
    let format = sql.rsplit("FORMAT ").next().unwrap_or("").trim();
    if format == "Native" {
        return Ok(());
    }
    Err(Error::NotAvailable {
        protocol: "native",
        what: format!(
            "inserts in FORMAT {format} (the native transport takes Native blocks; RowBinary is \
             what the Inserter, typed inserts into tables with LowCardinality, Map, Tuple, \
             Nested, Variant, JSON or geo columns, and Insert::format(RowBinary) send: use \
             HTTP, or insert_block/insert_blocks)"
        ),
    })
}

/// The insert body's bytes read back into blocks: decompressed (when the body is compressed
/// blocks), then decoded as `FORMAT Native`.
pub(super) struct BodyBlocks {
    decompress: Option<CompressedBlockReader>,
    native: NativeDecoder,
}

impl BodyBlocks {
    pub(super) fn new(compressed: bool) -> BodyBlocks {
        BodyBlocks {
            decompress: compressed.then(CompressedBlockReader::new),
            native: NativeDecoder::new(),
        }
    }

    /// Feeds body bytes (`last`: the body ends with them) and queues the blocks they complete
    /// on `proto` as Data packets; returns their rows.
    pub(super) fn packets(
        &mut self,
        data: Vec<Bytes>,
        last: bool,
        proto: &mut tcp::Connection,
    ) -> Result<u64> {
        let mut blocks = Vec::new();
        for piece in data {
            self.feed(piece, &mut blocks)?;
        }
        if last {
            self.finish(&mut blocks)?;
        }
        let mut rows = 0;
        for block in &blocks {
            proto
                .send_block(block)
                .map_err(|e| Error::pipeline(format!("native insert: {e}")))?;
            rows += block.rows as u64;
        }
        Ok(rows)
    }

    /// Feeds body bytes; complete blocks go to `out`.
    fn feed(&mut self, data: Bytes, out: &mut Vec<Block>) -> Result<()> {
        match self.decompress.as_mut() {
            None => self.native.feed_bytes(data),
            Some(reader) => {
                reader.feed(&data);
                while let Some(plain) = reader.next_block()? {
                    self.native.feed_bytes(plain);
                }
            }
        }
        while let Some(block) = self.native.next_block()? {
            out.push(block);
        }
        Ok(())
    }

    /// The body ended: its last block, and a check that nothing is left half-read.
    fn finish(&mut self, out: &mut Vec<Block>) -> Result<()> {
        if let Some(reader) = &self.decompress {
            reader.finish()?;
        }
        while let Some(block) = self.native.finish()? {
            out.push(block);
        }
        Ok(())
    }
}
