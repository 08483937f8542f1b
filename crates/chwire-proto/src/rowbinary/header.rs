//! The `RowBinaryWithNamesAndTypes` header: a varint column count, the column names, then the
//! column types, either as type strings (the default) or in the binary type encoding (with
//! `output_format_binary_encode_types_in_binary_format=1` /
//! `input_format_binary_decode_types_in_binary_format=1`).

use bytes::BufMut;

use super::type_codec::{decode_type_binary, encode_type_binary};
use crate::DataType;
use crate::wire::{ByteCursor, DecodeError, DecodeLimits, ReadError, put_string, put_varuint};

/// How a `RowBinaryWithNamesAndTypes` header spells its column types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TypeEncoding {
    /// Type strings such as `Nullable(String)`, parsed with [`DataType::parse`].
    #[default]
    Text,
    /// The binary type encoding (see [`encode_type_binary`]).
    Binary,
}

/// Column names and types announced by a header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowBinaryHeader {
    /// Column names, in column order.
    pub names: Vec<String>,
    /// Column types, parallel to `names`.
    pub types: Vec<DataType>,
}

fn read_names(cur: &mut ByteCursor<'_>, limits: &DecodeLimits) -> Result<Vec<String>, ReadError> {
    let n = cur.length(limits.max_columns, "column count")?;
    // Every name takes at least one byte, so this bounds the allocation by the input.
    let mut names = Vec::with_capacity(n.min(cur.remaining().len()));
    for _ in 0..n {
        names.push(cur.utf8(limits)?.to_string());
    }
    Ok(names)
}

/// Reads the header but leaves the type strings unparsed (for diagnostics, or for callers with
/// their own type handling). Text type encoding only.
pub fn decode_header_type_names(
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
) -> Result<(Vec<String>, Vec<String>), ReadError> {
    let names = read_names(cur, limits)?;
    let mut types = Vec::with_capacity(names.len());
    for _ in 0..names.len() {
        types.push(cur.utf8(limits)?.to_string());
    }
    Ok((names, types))
}

/// Reads a complete header. [`ReadError::Short`] if it continues past the input.
pub fn decode_header(
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
    encoding: TypeEncoding,
) -> Result<RowBinaryHeader, ReadError> {
    match encoding {
        TypeEncoding::Text => {
            let (names, texts) = decode_header_type_names(cur, limits)?;
            let types = texts
                .iter()
                .map(|t| DataType::parse(t).map_err(|e| ReadError::Bad(e.into())))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(RowBinaryHeader { names, types })
        }
        TypeEncoding::Binary => {
            let names = read_names(cur, limits)?;
            let mut types = Vec::with_capacity(names.len());
            for _ in 0..names.len() {
                types.push(decode_type_binary(cur, limits)?);
            }
            Ok(RowBinaryHeader { names, types })
        }
    }
}

/// Appends a header for the given columns.
pub fn encode_header<S: AsRef<str>>(
    names: &[S],
    types: &[DataType],
    encoding: TypeEncoding,
    out: &mut impl BufMut,
) -> Result<(), DecodeError> {
    if names.len() != types.len() {
        return Err(DecodeError::TypeMismatch {
            ty: "header".into(),
            reason: format!("{} names for {} types", names.len(), types.len()),
        });
    }
    put_varuint(out, names.len() as u64);
    for n in names {
        put_string(out, n.as_ref().as_bytes());
    }
    for t in types {
        match encoding {
            TypeEncoding::Text => put_string(out, t.to_string().as_bytes()),
            TypeEncoding::Binary => encode_type_binary(t, out)?,
        }
    }
    Ok(())
}
