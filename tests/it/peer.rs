//! A scripted HTTP peer on 127.0.0.1 for behaviour the real server does not show on demand
//! (corrupt bodies on a connection kept open, a trickled head, an unsolicited response, a body
//! that stops mid-result until the test says so). Its responses are built from bytes the real
//! server sent ([`Captured`]), changed only where a case needs it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::Receiver;
use std::thread::JoinHandle;
use std::time::Duration;

/// The query id captured responses are requested with; [`Step::Head`] puts the id of the
/// request it answers in its place.
pub const CAPTURED_ID: &str = "chwire-captured-query-id";

/// A real server's response: its head (without the blank line that ends it, so lines can be
/// added or removed) and its body's HTTP chunks.
#[derive(Debug, Clone)]
pub struct Captured {
    pub head: String,
    pub chunks: Vec<Vec<u8>>,
}

impl Captured {
    /// Sends `sql` to the server under test with the URL parameters `params` (`&a=b…`) and
    /// captures the answer.
    pub fn fetch(sql: &str, params: &str) -> Captured {
        // Unique on the server (concurrent cases capture too), [`CAPTURED_ID`] in the head.
        let id = chwire_tests::unique_name(CAPTURED_ID);
        let mut sock = TcpStream::connect(chwire_tests::http_addr()).unwrap();
        let request = format!(
            "POST /?query_id={id}{params} HTTP/1.1\r\nHost: capture\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{sql}",
            sql.len()
        );
        sock.write_all(request.as_bytes()).unwrap();
        let mut raw = Vec::new();
        sock.read_to_end(&mut raw).unwrap();
        let end = find(&raw, b"\r\n\r\n").expect("a response head");
        let head = String::from_utf8(raw[..end].to_vec())
            .unwrap()
            .replace(&id, CAPTURED_ID);
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.contains("Transfer-Encoding: chunked"), "{head}");
        let mut chunks = Vec::new();
        let mut rest = &raw[end + 4..];
        loop {
            let line = find(rest, b"\r\n").expect("a chunk size line");
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..line]).unwrap(), 16)
                .expect("a hexadecimal chunk size");
            if size == 0 {
                break;
            }
            chunks.push(rest[line + 2..line + 2 + size].to_vec());
            rest = &rest[line + 2 + size + 2..];
        }
        Captured { head, chunks }
    }

    /// The head as a kept-alive connection's (the capture asked for `Connection: close`).
    pub fn keep_alive(mut self) -> Captured {
        self.head = self
            .head
            .lines()
            .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
            .collect::<Vec<_>>()
            .join("\r\n");
        self
    }

    /// The head without `X-ClickHouse-Exception-Tag`, as servers before 25.11 send it.
    pub fn untagged(mut self) -> Captured {
        self.head = self
            .head
            .lines()
            .filter(|l| !l.starts_with("X-ClickHouse-Exception-Tag:"))
            .collect::<Vec<_>>()
            .join("\r\n");
        assert!(!self.head.contains("Exception-Tag:"));
        self
    }

    /// The whole response, as the server sent it (naming [`CAPTURED_ID`]).
    pub fn bytes(&self) -> Vec<u8> {
        let mut out = format!("{}\r\n\r\n", self.head).into_bytes();
        for c in &self.chunks {
            out.extend(chunk(c));
        }
        out.extend_from_slice(LAST_CHUNK);
        out
    }
}

/// `data` as one HTTP chunk.
pub fn chunk(data: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

/// The chunk that ends a chunked body.
pub const LAST_CHUNK: &[u8] = b"0\r\n\r\n";

/// One thing the peer does on a connection.
pub enum Step {
    /// Reads one request (head and `Content-Length` body) and notes its query id.
    Request,
    /// Writes a captured head (ended by its blank line) naming the last request's query id.
    Head(String),
    /// Writes bytes.
    Write(Vec<u8>),
    /// Writes bytes one at a time, `gap` apart: a server that trickles.
    Trickle(Vec<u8>, Duration),
    /// Waits until the test signals (or drops the sender).
    Wait(Receiver<()>),
    /// Keeps the connection open until the client closes it.
    Hold,
}

/// The peer: accepts connections one after another and runs one script on each.
pub struct Peer {
    port: u16,
    thread: JoinHandle<()>,
}

impl Peer {
    pub fn start(scripts: Vec<Vec<Step>>) -> Peer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let thread = std::thread::spawn(move || {
            for script in scripts {
                let (sock, _) = listener.accept().unwrap();
                run(sock, script);
            }
        });
        Peer { port, thread }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Waits for every script to have run (a failed step fails the test here).
    pub fn join(self) {
        self.thread.join().expect("the peer's script failed");
    }
}

fn run(mut sock: TcpStream, script: Vec<Step>) {
    // Bounds a script whose client never comes back; no case waits this long.
    sock.set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut query_id = String::new();
    for step in script {
        match step {
            Step::Request => query_id = read_request(&mut sock).query_id,
            Step::Head(head) => {
                let head = head.replace(CAPTURED_ID, &query_id);
                // The client may already have given up (the case checks what it saw).
                let _ = sock.write_all(format!("{head}\r\n\r\n").as_bytes());
            }
            Step::Write(bytes) => {
                let _ = sock.write_all(&bytes);
            }
            Step::Trickle(bytes, gap) => {
                for b in bytes {
                    if sock.write_all(&[b]).is_err() {
                        return;
                    }
                    std::thread::sleep(gap);
                }
            }
            Step::Wait(rx) => {
                let _ = rx.recv();
            }
            Step::Hold => {
                let mut buf = [0u8; 4096];
                while matches!(sock.read(&mut buf), Ok(n) if n > 0) {}
            }
        }
    }
}

/// A request as the peer read it.
pub struct Request {
    pub head: String,
    /// Its `query_id` URL parameter.
    pub query_id: String,
}

/// Reads a request head and its `Content-Length` body.
pub fn read_request(sock: &mut TcpStream) -> Request {
    let mut buf = Vec::new();
    let mut piece = [0u8; 4096];
    let end = loop {
        if let Some(p) = find(&buf, b"\r\n\r\n") {
            break p + 4;
        }
        let n = sock.read(&mut piece).unwrap();
        assert!(n > 0, "the client closed before its request head ended");
        buf.extend_from_slice(&piece[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let len: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < end + len {
        let n = sock.read(&mut piece).unwrap();
        assert!(n > 0, "the client closed before its request body ended");
        buf.extend_from_slice(&piece[..n]);
    }
    let target = head.split(' ').nth(1).unwrap_or_default();
    let query_id = target
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("query_id="))
        .expect("the request names its query id")
        .to_owned();
    Request { head, query_id }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
