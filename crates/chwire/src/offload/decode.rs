//! Decoders of untyped reads: the body's bytes passed through, Native blocks, and dynamic
//! RowBinary rows.

use bytes::Bytes;
use chwire_proto::rowbinary::TypeEncoding;
use chwire_proto::{Block, DataType, NativeDecoder, NativeEncoder, RowBinaryDecoder, Value};

use super::Decode;
use crate::error::Result;

/// Reads a result to its end and keeps nothing (`execute`).
#[derive(Debug, Default)]
pub(crate) struct DiscardDecode;

impl Decode for DiscardDecode {
    type Item = ();
    fn feed(&mut self, _: Bytes, _: &mut Vec<()>) -> Result<()> {
        Ok(())
    }
    fn feed_block(&mut self, _: Block, _: &mut Vec<()>) -> Result<()> {
        Ok(())
    }
    fn finish(&mut self, _: &mut Vec<()>) -> Result<()> {
        Ok(())
    }
}

/// Passes the (decompressed) bytes through.
#[derive(Debug, Default)]
pub(crate) struct RawDecode;

impl RawDecode {
    /// Smaller pieces are copied before they reach the caller: body data is a slice of a
    /// connection read buffer (1 MiB by default), and a caller keeping many small slices would
    /// otherwise hold a whole buffer for each.
    const COPY_BELOW: usize = 256 * 1024;
}

impl Decode for RawDecode {
    type Item = Bytes;
    const BYTES: bool = true;
    fn feed(&mut self, data: Bytes, out: &mut Vec<Bytes>) -> Result<()> {
        out.push(if data.len() < Self::COPY_BELOW {
            Bytes::copy_from_slice(&data)
        } else {
            data
        });
        Ok(())
    }
    /// `fetch_bytes("Native")` over the native protocol: the blocks as the `Native` format
    /// the caller asked for (HTTP's layout). The native transport refuses other formats
    /// before sending anything.
    fn feed_block(&mut self, block: Block, out: &mut Vec<Bytes>) -> Result<()> {
        if block.rows > 0 {
            out.push(Bytes::from(NativeEncoder::new().encode(&block)?));
        }
        Ok(())
    }
    fn finish(&mut self, _: &mut Vec<Bytes>) -> Result<()> {
        Ok(())
    }
}

/// `FORMAT Native` into [`Block`]s.
#[derive(Debug, Default)]
pub(crate) struct NativeDecode(NativeDecoder);

impl Decode for NativeDecode {
    type Item = Block;
    fn feed(&mut self, data: Bytes, out: &mut Vec<Block>) -> Result<()> {
        self.0.feed_bytes(data);
        while let Some(b) = self.0.next_block()? {
            out.push(b);
        }
        Ok(())
    }
    /// Blocks the native protocol decoded, as they are; its header block (no rows) is not a
    /// result block (HTTP's Native body has none).
    fn feed_block(&mut self, block: Block, out: &mut Vec<Block>) -> Result<()> {
        if block.rows > 0 {
            out.push(block);
        }
        Ok(())
    }
    fn finish(&mut self, out: &mut Vec<Block>) -> Result<()> {
        while let Some(b) = self.0.finish()? {
            out.push(b);
        }
        Ok(())
    }
    fn item_rows(block: &Block) -> u64 {
        block.rows as u64
    }
}

/// What the rows decoder produces: the header once, then rows.
#[derive(Debug)]
pub(crate) enum RowItem {
    Header(Vec<(String, DataType)>),
    Row(Vec<Value>),
}

/// `FORMAT RowBinaryWithNamesAndTypes` into dynamic rows.
#[derive(Debug)]
pub(crate) struct RowsDecode {
    decoder: RowBinaryDecoder,
    header_sent: bool,
    fed: u64,
    /// The rows came as blocks (native protocol): the byte decoder has nothing to finish.
    blocks: bool,
}

impl Default for RowsDecode {
    fn default() -> Self {
        RowsDecode {
            decoder: RowBinaryDecoder::with_header(TypeEncoding::Text),
            header_sent: false,
            fed: 0,
            blocks: false,
        }
    }
}

impl RowsDecode {
    fn header(&mut self, out: &mut Vec<RowItem>) -> Result<bool> {
        if !self.header_sent && self.decoder.poll_header()? {
            self.header_sent = true;
            let names = self.decoder.names().iter().cloned();
            let cols = names.zip(self.decoder.types().iter().cloned()).collect();
            out.push(RowItem::Header(cols));
        }
        Ok(self.header_sent)
    }
}

impl Decode for RowsDecode {
    type Item = RowItem;
    fn feed(&mut self, data: Bytes, out: &mut Vec<RowItem>) -> Result<()> {
        self.fed += data.len() as u64;
        self.decoder.feed(&data);
        if !self.header(out)? {
            return Ok(());
        }
        let mut row = Vec::new();
        while self.decoder.next_row_into(&mut row)? {
            out.push(RowItem::Row(std::mem::take(&mut row)));
        }
        Ok(())
    }
    /// The native protocol's blocks: the first one (the header block) gives the columns,
    /// every row becomes a dynamic row.
    fn feed_block(&mut self, block: Block, out: &mut Vec<RowItem>) -> Result<()> {
        self.blocks = true;
        if !self.header_sent {
            self.header_sent = true;
            let cols = block.columns.iter();
            let cols = cols.map(|(n, c)| (n.clone(), c.data_type().clone()));
            out.push(RowItem::Header(cols.collect()));
        }
        out.reserve(block.rows);
        for i in 0..block.rows {
            out.push(RowItem::Row(block.row_values(i)?));
        }
        Ok(())
    }
    fn finish(&mut self, out: &mut Vec<RowItem>) -> Result<()> {
        if self.blocks {
            return Ok(());
        }
        if self.fed == 0 {
            out.push(RowItem::Header(Vec::new()));
            return Ok(());
        }
        self.header(out)?;
        Ok(self.decoder.finish()?)
    }
    fn item_rows(item: &RowItem) -> u64 {
        matches!(item, RowItem::Row(_)) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_pieces_copy_only_when_small() {
        let mut out = Vec::new();
        let small = Bytes::from(vec![1u8; 100]);
        let large = Bytes::from(vec![2u8; RawDecode::COPY_BELOW]);
        RawDecode.feed(small.clone(), &mut out).unwrap();
        RawDecode.feed(large.clone(), &mut out).unwrap();
        assert_eq!(out[0], small);
        assert_ne!(out[0].as_ptr(), small.as_ptr(), "small piece copied");
        assert_eq!(
            out[1].as_ptr(),
            large.as_ptr(),
            "large piece passed through"
        );
    }
}
