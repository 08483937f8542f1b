//! The limit: a plain blocking TCP client that sends the same HTTP request chwire sends and reads
//! the whole response into a reused buffer, discarding it. No parsing, no decompression, no
//! decoding: what is left is the server's work and the socket.

use std::io::{self, Read, Write};
use std::net::TcpStream;

/// Host and port of an `http://host:port[/]` URL.
pub fn host_port(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    if authority.contains(':') {
        authority.to_string()
    } else {
        format!("{authority}:8123")
    }
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    chwire_proto::http::percent_encode(text, &mut out);
    out
}

/// The URL query parameters of ClickHouse compression, as chwire sends them.
fn compression_params(lz4: bool, request_body: bool) -> &'static str {
    match (lz4, request_body) {
        (false, _) => "",
        (true, false) => "&compress=1&network_compression_method=lz4",
        (true, true) => "&decompress=1&network_compression_method=lz4",
    }
}

/// Sends `head` + `body`, reads the response to the end of the connection and returns the
/// number of response bytes. Fails unless the status is 200 without an exception header.
fn exchange(addr: &str, head: &str, body: &[u8]) -> io::Result<u64> {
    exchange_keeping(addr, head, body, &mut Vec::new())
}

/// `sql`'s result as text (the server's default format, TabSeparated), without a runtime:
/// the bench's idle check must not wake any runtime's threads just before a timed run.
pub fn query_text(addr: &str, sql: &str) -> io::Result<String> {
    let head = format!(
        // HTTP/1.0: the body comes unframed (no chunked encoding) and ends with the connection.
        "POST / HTTP/1.0\r\nHost: {addr}\r\nContent-Length: {}\r\n\r\n",
        sql.len()
    );
    let mut first = Vec::new();
    exchange_keeping(addr, &head, sql.as_bytes(), &mut first)?;
    let text = String::from_utf8_lossy(&first);
    Ok(text
        .split_once("\r\n\r\n")
        .map_or("", |(_, body)| body)
        .to_string())
}

/// [`exchange`], keeping the first 4 KiB of the response in `first`.
fn exchange_keeping(addr: &str, head: &str, body: &[u8], first: &mut Vec<u8>) -> io::Result<u64> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    first.clear();
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        if first.len() < 4096 {
            first.extend_from_slice(&buf[..n.min(4096 - first.len())]);
        }
        total += n as u64;
    }
    let head_text = String::from_utf8_lossy(first);
    let header_end = head_text.find("\r\n\r\n").unwrap_or(head_text.len());
    let response_head = &head_text[..header_end];
    let exception = response_head.lines().any(|l| {
        l.to_ascii_lowercase()
            .starts_with("x-clickhouse-exception-code:")
    });
    let ok = ["HTTP/1.1 200", "HTTP/1.0 200"]
        .iter()
        .any(|s| response_head.starts_with(s));
    if !ok || exception {
        return Err(io::Error::other(format!(
            "raw request failed: {}",
            head_text.chars().take(600).collect::<String>()
        )));
    }
    Ok(total)
}

/// `sql` with `FORMAT Native` (through `default_format`, as chwire does); returns the response
/// size in bytes.
pub fn select(addr: &str, sql: &str, lz4: bool) -> io::Result<u64> {
    let head = format!(
        "POST /?default_format=Native{} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        compression_params(lz4, false),
        sql.len()
    );
    exchange(addr, &head, sql.as_bytes())
}

/// `INSERT INTO table FORMAT Native` with a prepared body (compressed blocks when `lz4`).
pub fn insert(addr: &str, table: &str, columns: &str, body: &[u8], lz4: bool) -> io::Result<u64> {
    let sql = format!("INSERT INTO {table} ({columns}) FORMAT Native");
    let head = format!(
        "POST /?query={}{} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        percent_encode(&sql),
        compression_params(lz4, true),
        body.len()
    );
    exchange(addr, &head, body)
}
