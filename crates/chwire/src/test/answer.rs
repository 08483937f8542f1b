//! What the mock answers: a queued [`Answer`] per request, encoded in the format and the
//! compression the request asked for; and reading a recorded insert's body back into rows.

use chwire_proto::rowbinary::{TypeEncoding, encode_header, transcode::block_to_row_binary};
use chwire_proto::{
    Block, ByteCursor, Column, CompressedBlockReader, CompressedBlockWriter, Compression, DataType,
    DecodeLimits, NativeDecoder, NativeEncoder,
};

use super::http::RawRequest;
use crate::error::{Error, Result};
use crate::row::{ColumnRows, RowDecoder, RowEncoder, read_header};

/// One queued answer: what the next request gets.
#[derive(Debug)]
pub(super) enum Answer {
    /// A result: as a block (Native) and as RowBinary rows (`None`: the types have no Native
    /// column layout here).
    Rows {
        columns: Vec<(String, DataType)>,
        block: Option<Block>,
        row_binary: Vec<u8>,
    },
    /// These bytes as the body, whatever the format.
    Bytes(Vec<u8>),
    /// A server exception.
    Fail {
        code: i32,
        name: String,
        message: String,
    },
    /// The connection closed without an answer.
    Disconnect,
    /// A success with an empty body; the request goes to the recording.
    Record(std::sync::mpsc::Sender<RawRequest>),
}

impl Answer {
    /// A result of `rows` of `T` for `columns`.
    pub(super) fn rows<T: crate::Row + serde::Serialize>(
        columns: Vec<(String, DataType)>,
        rows: impl IntoIterator<Item = T>,
    ) -> Result<Answer> {
        let encoder = RowEncoder::new::<T>(&columns).map_err(Error::Row)?;
        // In the row type's order, which the encoders write.
        let columns: Vec<(String, DataType)> = encoder.columns().cloned().collect();
        let mut layout = ColumnRows::new(&columns);
        let mut row_binary = Vec::new();
        for row in rows {
            encoder.encode(&row, &mut row_binary).map_err(Error::Row)?;
            if let Some(l) = layout.as_mut() {
                l.push(&row).map_err(Error::Row)?;
            }
        }
        let block = match layout {
            Some(mut l) => Some(l.take_block().map_err(Error::Row)?),
            None => None,
        };
        Ok(Answer::Rows {
            columns,
            block,
            row_binary,
        })
    }

    /// A result holding `block`.
    pub(super) fn block(block: Block) -> Result<Answer> {
        let columns = block
            .columns
            .iter()
            .map(|(n, c)| (n.clone(), c.data_type().clone()))
            .collect();
        let mut row_binary = Vec::new();
        block_to_row_binary(&block, &mut row_binary).map_err(Error::Decode)?;
        Ok(Answer::Rows {
            columns,
            block: Some(block),
            row_binary,
        })
    }
}

/// A response to send: status, extra headers, body.
pub(super) struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// A server exception as ClickHouse sends it over HTTP.
pub(super) fn exception(code: i32, name: &str, message: &str) -> Response {
    Response {
        status: 500,
        headers: vec![("X-ClickHouse-Exception-Code", code.to_string())],
        body: format!("Code: {code}. DB::Exception: {message}. ({name}) (version mock)\n")
            .into_bytes(),
    }
}

/// The result `columns`/`block`/`row_binary` in the format `request` asked for.
pub(super) fn result(
    request: &RawRequest,
    sql: &str,
    columns: &[(String, DataType)],
    block: Option<&Block>,
    row_binary: &[u8],
) -> Response {
    let format = requested_format(request, sql);
    let body = match format.as_str() {
        "Native" => match block {
            Some(b) => match NativeEncoder::new().encode(b) {
                Ok(body) => body,
                Err(e) => return exception(1001, "MOCK", &format!("encoding the block: {e}")),
            },
            None => {
                return exception(
                    1001,
                    "MOCK",
                    "these column types have no Native layout in the mock: ask for \
                     Format::RowBinary",
                );
            }
        },
        "RowBinary" => row_binary.to_vec(),
        "RowBinaryWithNamesAndTypes" => {
            let (names, types): (Vec<&str>, Vec<DataType>) =
                columns.iter().map(|(n, t)| (n.as_str(), t.clone())).unzip();
            let mut body = Vec::new();
            if let Err(e) = encode_header(&names, &types, TypeEncoding::Text, &mut body) {
                return exception(1001, "MOCK", &format!("encoding the header: {e}"));
            }
            body.extend_from_slice(row_binary);
            body
        }
        other => {
            return exception(
                1001,
                "MOCK",
                &format!("the mock answers Native and RowBinary results, not {other}"),
            );
        }
    };
    success(request, &format, body)
}

/// A success with `body` (compressed when the request asked for it).
pub(super) fn success(request: &RawRequest, format: &str, body: Vec<u8>) -> Response {
    let mut headers = Vec::new();
    if !format.is_empty() {
        headers.push(("X-ClickHouse-Format", format.to_owned()));
    }
    let body = if request.param("compress") == Some("1") && !body.is_empty() {
        let mut framed = Vec::new();
        let mut writer = CompressedBlockWriter::new(Compression::Lz4);
        match writer.write(&body, &mut framed) {
            Ok(()) => framed,
            Err(e) => return exception(1001, "MOCK", &format!("compressing: {e}")),
        }
    } else {
        body
    };
    headers.push(("Content-Type", "application/octet-stream".to_owned()));
    Response {
        status: 200,
        headers,
        body,
    }
}

/// The statement of `request`: the `query` parameter, and the body when it is not data.
pub(super) fn statement(request: &RawRequest) -> String {
    match request.param("query") {
        Some(q) if !request.body.is_empty() && is_insert(q) => q.to_owned(),
        Some(q) => format!("{q}{}", String::from_utf8_lossy(&request.body)),
        None => String::from_utf8_lossy(&request.body).into_owned(),
    }
}

fn is_insert(sql: &str) -> bool {
    sql.trim_start()
        .get(..6)
        .is_some_and(|s| s.eq_ignore_ascii_case("INSERT"))
}

/// The format a statement's result is asked in: its `FORMAT` clause, else `default_format`.
fn requested_format(request: &RawRequest, sql: &str) -> String {
    format_clause(sql)
        .map(str::to_owned)
        .or_else(|| request.param("default_format").map(str::to_owned))
        .unwrap_or_else(|| "TabSeparated".to_owned())
}

/// The word after the last ` FORMAT ` of `sql`, if any.
fn format_clause(sql: &str) -> Option<&str> {
    let upper = sql.to_ascii_uppercase();
    let at = upper.rfind("FORMAT ")?;
    sql[at + 7..].split_whitespace().next()
}

/// `SELECT * FROM t LIMIT 0`, the schema probe of typed inserts: its table.
pub(super) fn schema_probe(sql: &str) -> Option<&str> {
    sql.trim()
        .strip_prefix("SELECT * FROM ")?
        .strip_suffix(" LIMIT 0")
}

/// A recorded insert's rows as `T`. `table_columns`: the table's registered schema, for bodies
/// that do not carry their types (`FORMAT RowBinary`, the Inserter's).
pub(super) fn recorded_rows<T>(
    request: &RawRequest,
    table_columns: Option<&[(String, DataType)]>,
) -> Result<Vec<T>>
where
    T: crate::Row + serde::de::DeserializeOwned,
{
    let sql = statement(request);
    let body = plain_body(request)?;
    let format = format_clause(&sql).unwrap_or("");
    let limits = DecodeLimits::default();
    match format {
        "Native" => {
            let mut decoder = NativeDecoder::new();
            decoder.feed_bytes(body.into());
            let mut rows = Vec::new();
            while let Some(block) = decoder.next_block().map_err(Error::Decode)? {
                block_rows(&block, &mut rows)?;
            }
            if let Some(block) = decoder.finish().map_err(Error::Decode)? {
                block_rows(&block, &mut rows)?;
            }
            Ok(rows)
        }
        "RowBinaryWithNamesAndTypes" => {
            let mut cur = ByteCursor::new(&body);
            let columns = read_header(&mut cur, &limits).map_err(Error::Row)?;
            let rest = &body[cur.position()..];
            decode_all::<T>(&columns, rest)
        }
        "RowBinary" => {
            let Some(table_columns) = table_columns else {
                return Err(Error::Config(
                    "a RowBinary insert into a table the mock has no schema for (Mock::table)"
                        .into(),
                ));
            };
            let columns = insert_columns(&sql, table_columns)?;
            decode_all::<T>(&columns, &body)
        }
        other => Err(Error::Config(format!(
            "the mock reads Native and RowBinary inserts, not FORMAT {other:?}"
        ))),
    }
}

/// The rows of one Native block, as `T`.
fn block_rows<T>(block: &Block, rows: &mut Vec<T>) -> Result<()>
where
    T: crate::Row + serde::de::DeserializeOwned,
{
    let columns: Vec<(String, DataType)> = block
        .columns
        .iter()
        .map(|(n, c): &(String, Column)| (n.clone(), c.data_type().clone()))
        .collect();
    let mut bytes = Vec::new();
    block_to_row_binary(block, &mut bytes).map_err(Error::Decode)?;
    rows.extend(decode_all::<T>(&columns, &bytes)?);
    Ok(())
}

fn decode_all<T>(columns: &[(String, DataType)], bytes: &[u8]) -> Result<Vec<T>>
where
    T: crate::Row + serde::de::DeserializeOwned,
{
    let decoder = RowDecoder::new::<T>(columns).map_err(Error::Row)?;
    let (rows, used) = decoder.decode_all::<T>(bytes).map_err(Error::Row)?;
    if used != bytes.len() {
        return Err(Error::Config(format!(
            "the recorded body has {} bytes after its last complete row",
            bytes.len() - used
        )));
    }
    Ok(rows)
}

/// The body without its compression frames (`decompress=1`).
fn plain_body(request: &RawRequest) -> Result<Vec<u8>> {
    if request.param("decompress") != Some("1") {
        return Ok(request.body.clone());
    }
    let mut reader = CompressedBlockReader::new();
    reader.feed(&request.body);
    let mut plain = Vec::new();
    while let Some(block) = reader.next_block().map_err(Error::Compression)? {
        plain.extend_from_slice(&block);
    }
    reader.finish().map_err(Error::Compression)?;
    Ok(plain)
}

/// The columns of `INSERT INTO t (a, b) FORMAT …`, typed from the table's schema (all of them
/// without a column list).
fn insert_columns(sql: &str, table: &[(String, DataType)]) -> Result<Vec<(String, DataType)>> {
    let Some(list) = sql
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
    else {
        return Ok(table.to_vec());
    };
    list.0
        .split(',')
        .map(|name| {
            let name = name.trim().trim_matches('`');
            table
                .iter()
                .find(|(n, _)| n == name)
                .cloned()
                .ok_or_else(|| {
                    Error::Config(format!(
                        "the insert names column {name:?}, which the mock's table has not"
                    ))
                })
        })
        .collect()
}

/// Parses `"id UInt64, name String, tags Array(String)"` into columns.
pub(super) fn parse_schema(schema: &str) -> Result<Vec<(String, DataType)>> {
    let mut columns = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    let bytes = schema.as_bytes();
    for i in 0..=bytes.len() {
        let at_end = i == bytes.len();
        match bytes.get(i) {
            Some(b'(') => depth += 1,
            Some(b')') => depth = depth.saturating_sub(1),
            _ => {}
        }
        if at_end || (bytes[i] == b',' && depth == 0) {
            let part = schema[start..i].trim();
            start = i + 1;
            if part.is_empty() {
                continue;
            }
            let (name, ty) = part.split_once(char::is_whitespace).ok_or_else(|| {
                Error::Config(format!("mock schema: {part:?} is not `name Type`"))
            })?;
            let ty = DataType::parse(ty.trim())
                .map_err(|e| Error::Config(format!("mock schema: {ty:?}: {e}")))?;
            columns.push((name.trim_matches('`').to_owned(), ty));
        }
    }
    if columns.is_empty() {
        return Err(Error::Config("mock schema: no columns".into()));
    }
    Ok(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_split_at_top_level_commas() {
        let cols =
            parse_schema("id UInt64, `m` Map(String, UInt64), t Tuple(a Int8, b String)").unwrap();
        let names: Vec<&str> = cols.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["id", "m", "t"]);
        assert_eq!(cols[0].1, DataType::UInt64);
        assert!(parse_schema("id").is_err());
        assert!(parse_schema("id NoSuchType").is_err());
        assert!(parse_schema(" , ").is_err());
    }

    #[test]
    fn format_and_probe_are_read_from_the_statement() {
        assert_eq!(
            format_clause("SELECT 1 FORMAT RowBinary"),
            Some("RowBinary")
        );
        assert_eq!(format_clause("SELECT 1"), None);
        assert_eq!(schema_probe("SELECT * FROM db.t LIMIT 0"), Some("db.t"));
        assert_eq!(schema_probe("SELECT 1"), None);
    }
}
