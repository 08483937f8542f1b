//! The mock's side of HTTP/1.1: reading one request off a blocking socket (head, then a body
//! framed by `Content-Length` or chunked) and writing a response.
//!
//! Blocking std sockets on the mock's own threads, so the mock works under every runtime (and
//! none). Only what chwire sends is understood: a request the mock cannot read ends its
//! connection.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// The largest request head read (chwire's are well under 8 KiB).
const MAX_HEAD: usize = 64 << 10;

/// One request as the mock received it.
#[derive(Debug, Clone)]
pub(super) struct RawRequest {
    /// The target's query string parameters, decoded.
    pub params: Vec<(String, String)>,
    /// Header names (lowercase) and values.
    pub headers: Vec<(String, String)>,
    /// The body as received (compressed when the client compressed it).
    pub body: Vec<u8>,
}

impl RawRequest {
    /// The first value of the URL parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads the next request; `Ok(None)` when the client closed the connection between requests.
pub(super) fn read_request(reader: &mut BufReader<TcpStream>) -> io::Result<Option<RawRequest>> {
    let mut head = Vec::new();
    loop {
        let before = head.len();
        let n = reader.read_until(b'\n', &mut head)?;
        if n == 0 {
            return if head.is_empty() {
                Ok(None)
            } else {
                Err(invalid("the connection closed inside a request head"))
            };
        }
        if head.len() > MAX_HEAD {
            return Err(invalid("request head too large"));
        }
        if &head[before..] == b"\r\n" && before > 0 {
            break;
        }
    }
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Request::new(&mut headers);
    match parsed.parse(&head) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => return Err(invalid("malformed request head")),
    }
    let target = parsed.path.unwrap_or("/");
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let params = url::form_urlencoded::parse(query.as_bytes())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_ascii_lowercase(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect();
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    let body = if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        read_chunked(reader)?
    } else {
        let len: usize = header("content-length")
            .map(|v| v.trim().parse())
            .transpose()
            .map_err(|_| invalid("bad Content-Length"))?
            .unwrap_or(0);
        let mut body = vec![0; len];
        reader.read_exact(&mut body)?;
        body
    };
    Ok(Some(RawRequest {
        params,
        headers,
        body,
    }))
}

/// A chunked body, its chunks joined.
fn read_chunked(reader: &mut BufReader<TcpStream>) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let size = line.trim().split(';').next().unwrap_or("");
        let size = usize::from_str_radix(size, 16).map_err(|_| invalid("bad chunk size"))?;
        if size == 0 {
            // Trailers (none from chwire) up to the blank line.
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 || line == "\r\n" {
                    return Ok(body);
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        let mut crlf = [0; 2];
        reader.read_exact(&mut crlf)?;
    }
}

/// Writes a response with `status`, the ClickHouse headers chwire reads, `extra` headers and
/// `body` (sent with `Content-Length`).
pub(super) fn write_response(
    sock: &mut TcpStream,
    status: u16,
    query_id: &str,
    extra: &[(&str, String)],
    body: &[u8],
) -> io::Result<()> {
    let reason = if status == 200 { "OK" } else { "Error" };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nX-ClickHouse-Query-Id: {query_id}\r\n\
         X-ClickHouse-Summary: {{\"read_rows\":\"0\",\"read_bytes\":\"0\",\"written_rows\":\"0\",\
         \"written_bytes\":\"0\",\"total_rows_to_read\":\"0\",\"result_rows\":\"0\",\
         \"result_bytes\":\"0\",\"elapsed_ns\":\"0\"}}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    sock.write_all(head.as_bytes())?;
    sock.write_all(body)?;
    sock.flush()
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("mock server: {what}"))
}
