//! The server's HTTP and native TCP ports are reachable through each runtime adapter.

use std::sync::Arc;

use chwire_rt::Runtime;
use futures_util::{AsyncReadExt, AsyncWriteExt};

/// A raw HTTP/1.1 query through `Runtime::connect_tcp`: proves the adapter's stream reads and
/// writes, and that the server computes.
#[chwire_tests::case]
pub async fn reaches_http(rt: Arc<dyn Runtime>) {
    let mut io = rt
        .connect_tcp(chwire_tests::http_addr())
        .await
        .expect("connect to the HTTP port");
    io.write_all(
        b"GET /?query=SELECT%206*7 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .await
    .unwrap();
    let mut response = Vec::new();
    io.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 200 OK"), "response: {text}");
    assert!(
        text.to_ascii_lowercase().contains("x-clickhouse-query-id:"),
        "response: {text}"
    );
    // Chunked body: "3\r\n42\n\r\n0\r\n\r\n".
    assert!(text.ends_with("3\r\n42\n\r\n0\r\n\r\n"), "response: {text}");
}

fn put_varuint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varuint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// A native-protocol ClientHello; the server must answer with its ServerHello ("ClickHouse").
#[chwire_tests::case]
pub async fn reaches_tcp(rt: Arc<dyn Runtime>) {
    let mut io = rt
        .connect_tcp(chwire_tests::tcp_addr())
        .await
        .expect("connect to the native TCP port");
    let mut hello = Vec::new();
    put_varuint(&mut hello, 0); // ClientHello
    put_str(&mut hello, "chwire-smoke");
    put_varuint(&mut hello, 0); // client version major
    put_varuint(&mut hello, 1); // minor
    put_varuint(&mut hello, 54460); // protocol revision
    put_str(&mut hello, "default");
    put_str(&mut hello, "default");
    put_str(&mut hello, "");
    io.write_all(&hello).await.unwrap();
    io.flush().await.unwrap();
    let mut head = [0u8; 12];
    io.read_exact(&mut head).await.unwrap();
    assert_eq!(head[0], 0, "expected ServerHello (packet 0), got {head:?}");
    assert_eq!(head[1], 10, "server name length");
    assert_eq!(&head[2..12], b"ClickHouse");
}
