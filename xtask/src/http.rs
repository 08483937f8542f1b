//! A minimal blocking HTTP/1.0 client for the harness and for tests that need to talk to the
//! server without going through chwire itself (capturing golden vectors, checking what chwire's
//! codecs produce independently of its transport).

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(500)]).into_owned()
}

/// POSTs `query` as the body with URL `params`; fails on any non-200 answer.
pub fn post(port: u16, params: &str, query: &str) -> Result<Vec<u8>, String> {
    let (status, body) = request(port, "POST", &format!("/?{params}"), query.as_bytes())?;
    if status != 200 {
        return Err(format!(
            "HTTP {status} for {:?}: {}",
            &query[..query.len().min(200)],
            lossy(&body)
        ));
    }
    Ok(body)
}

/// POSTs a binary `body` to `path_and_query` (e.g. an `INSERT … FORMAT Native` in the URL);
/// fails on any non-200 answer or exception header.
pub fn post_body(port: u16, path_and_query: &str, body: &[u8]) -> Result<Vec<u8>, String> {
    let (status, response) = request(port, "POST", path_and_query, body)?;
    if status != 200 {
        return Err(format!("HTTP {status}: {}", lossy(&response)));
    }
    Ok(response)
}

/// One HTTP/1.0 exchange: the server closes the connection after the response, so the body is
/// everything after the head (no chunked framing to undo).
pub fn request(port: u16, method: &str, path: &str, body: &[u8]) -> Result<(u16, Vec<u8>), String> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let io = |e: std::io::Error| format!("request to port {port}: {e}");
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(io)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .map_err(io)?;
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .map_err(io)?;
    stream.write_all(body).map_err(io)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).map_err(io)?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| "response without a header terminator".to_string())?;
    let head = String::from_utf8_lossy(&response[..split]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if head.lines().any(|l| {
        l.to_ascii_lowercase()
            .starts_with("x-clickhouse-exception-code:")
    }) {
        return Err(format!(
            "server exception: {}",
            lossy(&response[split + 4..])
        ));
    }
    Ok((status, response[split + 4..].to_vec()))
}
