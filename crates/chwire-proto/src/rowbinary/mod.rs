//! The `RowBinary` family of formats: `RowBinary` (values only, types known to both sides) and
//! `RowBinaryWithNamesAndTypes` (a header of column names and types first).
//!
//! - [`value_codec`]: one value in RowBinary layout for a given [`DataType`](crate::DataType).
//! - [`type_codec`]: the binary type encoding (used by `Dynamic`, `JSON` and binary headers).
//! - [`header`]: the `WithNamesAndTypes` header.
//! - [`decoder`] / [`encoder`]: rows, incrementally or in bulk.
//! - [`transcode`] / [`to_blocks`]: Native blocks as RowBinary rows, and RowBinary rows as
//!   Native blocks.

pub mod decoder;
pub mod encoder;
pub mod header;
pub mod to_blocks;
pub mod transcode;
pub mod type_codec;
pub mod value_codec;

pub use decoder::{
    RowBinaryDecoder, RowBinaryRows, decode_row_into, decode_rows, json_as_text_type,
};
pub use encoder::RowBinaryEncoder;
pub use header::{
    RowBinaryHeader, TypeEncoding, decode_header, decode_header_type_names, encode_header,
};
pub use to_blocks::RowBinaryBlocks;
pub use transcode::{block_to_row_binary, column_row_binary};
pub use type_codec::{decode_type_binary, encode_type_binary};
pub use value_codec::{decode_value, encode_value};

#[cfg(test)]
mod tests;
