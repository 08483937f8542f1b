//! Reading the header of a `RowBinaryWithNamesAndTypes` response: the column count, the
//! names, then the type strings.
//!
//! A small local reader so typed rows work on their own; `chwire_proto::rowbinary` has the
//! incremental one used by the client.

use chwire_proto::{ByteCursor, DataType, DecodeError, DecodeLimits};

use super::RowError;

/// Reads the header at the cursor. On error (including [`RowError::Incomplete`]) the cursor is
/// left where it was.
pub fn read_header(
    cursor: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
) -> Result<Vec<(String, DataType)>, RowError> {
    let mut cur = cursor.clone();
    let (names, types) = read_header_strings(&mut cur, limits)?;
    let mut columns = Vec::with_capacity(names.len());
    for (name, ty) in names.into_iter().zip(types) {
        let ty = DataType::parse(ty).map_err(DecodeError::from)?;
        columns.push((name.to_owned(), ty));
    }
    *cursor = cur;
    Ok(columns)
}

/// The header's names and type strings, unparsed and borrowed from the input.
pub fn read_header_strings<'a>(
    cur: &mut ByteCursor<'a>,
    limits: &DecodeLimits,
) -> Result<(Vec<&'a str>, Vec<&'a str>), RowError> {
    let n = cur.length(limits.max_columns, "column count")?;
    // Each name and type takes at least one byte: don't reserve more than the input can hold.
    let cap = n.min(cur.remaining().len());
    let mut names = Vec::with_capacity(cap);
    for _ in 0..n {
        names.push(cur.utf8(limits)?);
    }
    let mut types = Vec::with_capacity(cap);
    for _ in 0..n {
        types.push(cur.utf8(limits)?);
    }
    Ok((names, types))
}
