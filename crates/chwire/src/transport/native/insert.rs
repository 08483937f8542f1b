//! An INSERT over the native protocol: the statement as a Query packet, the server's schema
//! block awaited (it names the table's columns: no DESCRIBE round trip), then the body's
//! blocks as Data packets (compressed as the client compresses), the terminating empty block,
//! and the answer up to EndOfStream.
//!
//! The facade's insert writers produce HTTP bodies: `FORMAT Native` bytes (blocks, typed
//! inserts of plain columns), `FORMAT RowBinary` (the Inserter) or
//! `FORMAT RowBinaryWithNamesAndTypes` (other typed inserts), compressed when the client
//! compresses. This module reads those bytes back into blocks ([`BodyBlocks`]) and sends each
//! as a Data packet: correct, but it decodes what was just encoded (off the event loop for all
//! but small pieces, see `Exchange::convert_body`). RowBinary rows take their columns from the
//! server's schema block; a `WithNamesAndTypes` header must name the schema's columns with the
//! schema's types (the server's rule over HTTP too), or the insert fails before a row is sent.

use bytes::Bytes;
use chwire_proto::rowbinary::{RowBinaryBlocks, TypeEncoding, json_as_text_type};
use chwire_proto::{Block, CompressedBlockReader, DataType, DecodeError, NativeDecoder, tcp};

use crate::error::{Error, Result};

/// The body formats the native transport converts into Data packets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BodyFormat {
    Native,
    /// Rows of the schema's columns, no header.
    RowBinary,
    /// Rows after a header of names and types.
    RowBinaryWithNamesAndTypes,
}

/// The body format of an INSERT statement, if this transport can send it.
pub(super) fn check_format(sql: &str) -> Result<BodyFormat> {
    let format = sql.rsplit("FORMAT ").next().unwrap_or("").trim();
    match format {
        "Native" => Ok(BodyFormat::Native),
        "RowBinary" => Ok(BodyFormat::RowBinary),
        "RowBinaryWithNamesAndTypes" => Ok(BodyFormat::RowBinaryWithNamesAndTypes),
        _ => Err(Error::NotAvailable {
            protocol: "native",
            what: format!(
                "inserts in FORMAT {format} (the native transport takes Native, RowBinary and \
                 RowBinaryWithNamesAndTypes bodies: use HTTP for other formats)"
            ),
        }),
    }
}

/// Rows gathered into one Data packet from a RowBinary body: bounds the rows held (the
/// server's `min_insert_block_size_rows` default, 1 048 449, would merge smaller blocks).
const ROWBINARY_BLOCK_ROWS: usize = 1 << 16;

/// The insert body's bytes read back into blocks: decompressed (when the body is compressed
/// blocks), then decoded in the body's format.
pub(super) struct BodyBlocks {
    decompress: Option<CompressedBlockReader>,
    decode: Decode,
}

enum Decode {
    Native(Box<NativeDecoder>),
    RowBinary {
        rows: Box<RowBinaryBlocks>,
        /// The server's columns (as their cells arrive: `JSON` sent as text is `String`),
        /// for a `WithNamesAndTypes` header to match.
        schema: Option<Vec<(String, DataType)>>,
    },
}

impl BodyBlocks {
    /// `schema`: the block the server sent after the INSERT (the columns it takes);
    /// `json_as_text`: the insert sets `input_format_binary_read_json_as_string`.
    ///
    /// RowBinary `JSON` cells sent as text (typed inserts send them so) go out as `String`
    /// columns, which the server casts into its `JSON` columns; a `JSON` nested in another
    /// type has no such cast here and is refused.
    pub(super) fn new(
        format: BodyFormat,
        compressed: bool,
        schema: Block,
        json_as_text: bool,
    ) -> Result<BodyBlocks> {
        let rowbinary = matches!(
            format,
            BodyFormat::RowBinary | BodyFormat::RowBinaryWithNamesAndTypes
        );
        let text_json = json_as_text && rowbinary;
        let nested = schema.columns.iter().find(|(_, c)| {
            !matches!(c.data_type(), DataType::Json(_))
                && c.data_type().to_string().contains("JSON")
        });
        if let (true, Some(c)) = (text_json, nested) {
            return Err(Error::NotAvailable {
                protocol: "native",
                what: format!(
                    "RowBinary inserts of JSON cells as text inside {} (column {}: only a \
                     top-level JSON column is sent as text over native; use HTTP)",
                    c.1.data_type(),
                    c.0
                ),
            });
        }
        let columns: Vec<(String, DataType)> = schema
            .columns
            .into_iter()
            .map(|(n, c)| {
                let ty = match text_json {
                    true => json_as_text_type(c.data_type()),
                    false => c.data_type().clone(),
                };
                (n, ty)
            })
            .collect();
        let with_json = |rows: RowBinaryBlocks| match text_json {
            true => rows.json_as_text(),
            false => rows,
        };
        let decode = match format {
            BodyFormat::Native => Decode::Native(Box::new(NativeDecoder::new())),
            BodyFormat::RowBinary => {
                let (names, types) = columns.into_iter().unzip();
                let rows = RowBinaryBlocks::new(names, types, ROWBINARY_BLOCK_ROWS);
                Decode::RowBinary {
                    rows: Box::new(with_json(rows)),
                    schema: None,
                }
            }
            BodyFormat::RowBinaryWithNamesAndTypes => Decode::RowBinary {
                rows: Box::new(with_json(RowBinaryBlocks::with_header(
                    TypeEncoding::Text,
                    ROWBINARY_BLOCK_ROWS,
                ))),
                schema: Some(columns),
            },
        };
        Ok(BodyBlocks {
            decompress: compressed.then(CompressedBlockReader::new),
            decode,
        })
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
            None => self.decode.feed(data),
            Some(reader) => {
                reader.feed(&data);
                while let Some(plain) = reader.next_block()? {
                    self.decode.feed(plain);
                }
            }
        }
        while let Some(block) = self.decode.next_block()? {
            out.push(block);
        }
        Ok(())
    }

    /// The body ended: its last block, and a check that nothing is left half-read.
    fn finish(&mut self, out: &mut Vec<Block>) -> Result<()> {
        if let Some(reader) = &self.decompress {
            reader.finish()?;
        }
        while let Some(block) = self.decode.finish()? {
            out.push(block);
        }
        Ok(())
    }
}

impl Decode {
    fn feed(&mut self, data: Bytes) {
        match self {
            Decode::Native(d) => d.feed_bytes(data),
            Decode::RowBinary { rows, .. } => rows.feed(&data),
        }
    }

    fn next_block(&mut self) -> Result<Option<Block>> {
        match self {
            Decode::Native(d) => Ok(d.next_block()?),
            Decode::RowBinary { rows, schema } => {
                if !header_matches(rows, schema)? {
                    return Ok(None);
                }
                Ok(rows.next_block()?)
            }
        }
    }

    fn finish(&mut self) -> Result<Option<Block>> {
        match self {
            Decode::Native(d) => Ok(d.finish()?),
            Decode::RowBinary { rows, schema } => {
                header_matches(rows, schema)?;
                Ok(rows.finish()?)
            }
        }
    }
}

/// Checks a `WithNamesAndTypes` header against the server's schema once it has arrived
/// (`schema` is then dropped); `Ok(false)`: not yet arrived.
fn header_matches(
    rows: &mut RowBinaryBlocks,
    schema: &mut Option<Vec<(String, DataType)>>,
) -> Result<bool> {
    let Some(expected) = schema.as_ref() else {
        return Ok(true);
    };
    if !rows.poll_header()? {
        return Ok(false);
    }
    let header: Vec<(&str, &DataType)> = rows
        .names()
        .iter()
        .map(String::as_str)
        .zip(rows.types())
        .collect();
    let wanted: Vec<(&str, &DataType)> = expected.iter().map(|(n, t)| (n.as_str(), t)).collect();
    if let Some(reason) = header_mismatch(&header, &wanted) {
        return Err(Error::Decode(DecodeError::TypeMismatch {
            ty: "RowBinaryWithNamesAndTypes header".into(),
            reason,
        }));
    }
    *schema = None;
    Ok(true)
}

/// Why a body's columns are not the ones the server takes (names in order, then types), as
/// the server words it over HTTP; `None` if they are.
fn header_mismatch(body: &[(&str, &DataType)], server: &[(&str, &DataType)]) -> Option<String> {
    let body_names: Vec<&str> = body.iter().map(|c| c.0).collect();
    let server_names: Vec<&str> = server.iter().map(|c| c.0).collect();
    if body_names != server_names {
        return Some(format!(
            "the body has columns {body_names:?}, the server takes {server_names:?}"
        ));
    }
    body.iter()
        .zip(server)
        .find(|(b, s)| b.1 != s.1)
        .map(|(b, s)| format!("type of '{}' must be {}, not {}", s.0, s.1, b.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_sent_as_blocks() {
        let f = |sql| check_format(sql).ok();
        assert_eq!(f("INSERT INTO t FORMAT Native"), Some(BodyFormat::Native));
        assert_eq!(
            f("INSERT INTO t (a) FORMAT RowBinary"),
            Some(BodyFormat::RowBinary)
        );
        assert_eq!(
            f("INSERT INTO t FORMAT RowBinaryWithNamesAndTypes"),
            Some(BodyFormat::RowBinaryWithNamesAndTypes)
        );
        assert!(matches!(
            check_format("INSERT INTO t FORMAT CSV"),
            Err(Error::NotAvailable { .. })
        ));
    }

    #[test]
    fn a_header_must_match_the_schema() {
        let (u32t, u64t) = (DataType::UInt32, DataType::UInt64);
        let server = [("a", &u32t), ("b", &u64t)];
        assert_eq!(header_mismatch(&server, &server), None);
        let wrong_type = [("a", &u64t), ("b", &u64t)];
        assert_eq!(
            header_mismatch(&wrong_type, &server).as_deref(),
            Some("type of 'a' must be UInt32, not UInt64")
        );
        let swapped = [("b", &u64t), ("a", &u32t)];
        assert!(header_mismatch(&swapped, &server).is_some());
    }
}
