//! `cargo xtask golden tcp`: captures native-protocol exchanges from a real server.
//!
//! Each `CASE.script` in `crates/chwire-proto/tests/golden/tcp/` lists actions, one a line:
//! `password P` (the Hello's password), `set NAME VALUE` (a setting of the later queries),
//! `trace TRACEPARENT [TRACESTATE]` (the W3C trace context of the later queries' ClientInfo),
//! `query SQL`, `insert SQL` (after the schema, one block of three rows: UInt64 `i`, String
//! `s{i}`), `cancel N SQL` (Cancel after N result blocks), `ping`, `native-cases` (a query per
//! `../native/*.sql`). Every script runs at [`MIN_REVISION`] and [`REVISION`], uncompressed,
//! with LZ4 and with ZSTD, through `chwire_proto::tcp::Connection` with pinned client fields
//! (query id `golden`, empty user and host names, address `0.0.0.0:0`, start time 0).
//! `CASE.REV.COMP.req` holds every byte the client sent; `CASE.REV.COMP.tcp` the server's
//! bytes as segments (u32 LE length, bytes), one per wait for the server: the replies between
//! the client's actions, so a replay acts at the same points.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;

use chwire_proto::compression::Compression;
use chwire_proto::server::Credentials;
use chwire_proto::tcp::{
    ClientHello, Connection, Event, MIN_REVISION, Query, REVISION, State, TraceContext,
};
use chwire_proto::{Block, Column, Value};

/// The compressions every script is captured with, by file-name tag.
pub const COMPRESSIONS: [(&str, Option<Compression>); 3] = [
    ("none", None),
    ("lz4", Some(Compression::Lz4)),
    ("zstd", Some(Compression::Zstd { level: 3 })),
];

/// Captures every script in `dir`; returns the number of exchanges written.
pub fn capture(addr: &str, dir: &Path) -> Result<usize, String> {
    let mut count = 0;
    let mut scripts: Vec<_> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "script"))
        .collect();
    scripts.sort();
    // `GOLDEN_TCP_CASES=a,b` re-captures only those scripts.
    let only = std::env::var("GOLDEN_TCP_CASES").ok();
    for path in scripts {
        let case = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if only
            .as_deref()
            .is_some_and(|o| !o.split(',').any(|c| c == case))
        {
            continue;
        }
        let text = fs::read_to_string(&path).map_err(|e| e.to_string())?;
        let lines = expand(&text, dir)?;
        for revision in [MIN_REVISION, REVISION] {
            for (tag, compression) in COMPRESSIONS {
                let (req, segments) = run(addr, &lines, revision, compression)
                    .map_err(|e| format!("{case} at {revision} {tag}: {e}"))?;
                let stem = dir.join(format!("{case}.{revision}.{tag}"));
                let mut tcp = Vec::new();
                for s in &segments {
                    tcp.extend_from_slice(&(s.len() as u32).to_le_bytes());
                    tcp.extend_from_slice(s);
                }
                fs::write(stem.with_extension(format!("{tag}.req")), &req)
                    .map_err(|e| e.to_string())?;
                fs::write(stem.with_extension(format!("{tag}.tcp")), &tcp)
                    .map_err(|e| e.to_string())?;
                count += 1;
            }
        }
    }
    Ok(count)
}

/// The script's lines, `native-cases` replaced by a query per Native golden case.
fn expand(text: &str, dir: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line == "native-cases" {
            let native = dir.join("../native");
            let mut sql: Vec<_> = fs::read_dir(&native)
                .map_err(|e| e.to_string())?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "sql"))
                .filter(|p| !p.ends_with("setup.sql"))
                .collect();
            sql.sort();
            for p in sql {
                let q = fs::read_to_string(&p).map_err(|e| e.to_string())?;
                out.push(format!("query {}", q.trim()));
            }
        } else {
            out.push(line.to_string());
        }
    }
    Ok(out)
}

/// The pinned hello of a script.
pub fn hello(lines: &[String], revision: u64) -> ClientHello {
    let password = lines
        .iter()
        .find_map(|l| l.strip_prefix("password "))
        .unwrap_or_default();
    let mut hello = ClientHello::new(Credentials::new("default", password));
    hello.client_name = "chwire-golden".into();
    hello.revision = revision;
    hello
}

/// One row block shaped like `schema`: UInt64 columns `0, 1, 2`, String columns `s0, s1, s2`.
pub fn insert_block(schema: &Block) -> Result<Block, String> {
    let columns = schema
        .columns
        .iter()
        .map(|(name, col)| {
            let ty = col.data_type();
            let values = (0..3u64)
                .map(|i| match ty.to_string().as_str() {
                    "UInt64" => Ok(Value::UInt64(i)),
                    "String" => Ok(Value::String(format!("s{i}").into_bytes())),
                    other => Err(format!("insert_block: unsupported column type {other}")),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let col = Column::from_values(ty, values).map_err(|e| e.to_string())?;
            Ok((name.clone(), col))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Block::new(columns).map_err(|e| e.to_string())
}

struct Session {
    sock: TcpStream,
    conn: Connection,
    req: Vec<u8>,
    segments: Vec<Vec<u8>>,
    /// Result blocks (Header and Data) of the current query.
    blocks: usize,
}

impl Session {
    fn send(&mut self) -> Result<(), String> {
        while let Some(bytes) = self.conn.poll_transmit() {
            self.sock.write_all(&bytes).map_err(|e| e.to_string())?;
            self.req.extend_from_slice(&bytes);
        }
        Ok(())
    }

    /// Sends what is queued, then reads into a new segment until `done` holds.
    fn wait(&mut self, done: impl Fn(&Connection, usize) -> bool) -> Result<(), String> {
        self.send()?;
        let mut segment = Vec::new();
        let mut buf = vec![0u8; 1 << 16];
        while !done(&self.conn, self.blocks) {
            let n = self.sock.read(&mut buf).map_err(|e| e.to_string())?;
            if n == 0 {
                self.conn.handle_eof().ok();
                break;
            }
            segment.extend_from_slice(&buf[..n]);
            self.conn
                .handle_input(&buf[..n])
                .map_err(|e| e.to_string())?;
            while let Some(event) = self.conn.poll_event() {
                if matches!(event, Event::Header(_) | Event::Data(..)) {
                    self.blocks += 1;
                }
            }
        }
        self.segments.push(segment);
        Ok(())
    }
}

fn idle(c: &Connection, _: usize) -> bool {
    matches!(c.state(), State::Ready | State::Closed) && c.is_reusable()
        || c.state() == State::Closed
}

fn run(
    addr: &str,
    lines: &[String],
    revision: u64,
    compression: Option<Compression>,
) -> Result<(Vec<u8>, Vec<Vec<u8>>), String> {
    let sock = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    // A reply the state machine misreads would otherwise wait for the server forever.
    sock.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let mut s = Session {
        sock,
        conn: Connection::new(hello(lines, revision)),
        req: Vec::new(),
        segments: Vec::new(),
        blocks: 0,
    };
    s.wait(|c, _| c.state() != State::Handshake)?;
    let mut settings: Vec<(String, String)> = vec![("session_timezone".into(), "UTC".into())];
    let mut trace: Option<(TraceContext, String)> = None;
    for line in lines {
        if s.conn.state() == State::Closed {
            break;
        }
        let (verb, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        let query = |sql: &str| {
            let mut q = Query::new("golden", sql);
            for (k, v) in &settings {
                q = q.setting(k.clone(), v.clone());
            }
            q.compression = compression;
            if let Some((context, state)) = &trace {
                q.info.trace = Some(*context);
                q.info.tracestate = state.clone();
            }
            q
        };
        s.blocks = 0;
        match verb {
            "password" => {}
            "trace" => {
                let (parent, state) = rest.split_once(' ').unwrap_or((rest, ""));
                let context = TraceContext::from_traceparent(parent)
                    .ok_or("trace TRACEPARENT [TRACESTATE]")?;
                trace = Some((context, state.to_string()));
            }
            "set" => {
                let (k, v) = rest.split_once(' ').ok_or("set NAME VALUE")?;
                settings.push((k.into(), v.into()));
            }
            "query" => {
                s.conn.query(&query(rest)).map_err(|e| e.to_string())?;
                s.wait(idle).map_err(|e| format!("{e} (query {rest})"))?;
            }
            "insert" => {
                s.conn.insert(&query(rest)).map_err(|e| e.to_string())?;
                let mut schema = None;
                s.send()?;
                let mut segment = Vec::new();
                let mut buf = vec![0u8; 1 << 16];
                while schema.is_none() && s.conn.state() == State::AwaitingSchema {
                    let n = s.sock.read(&mut buf).map_err(|e| e.to_string())?;
                    if n == 0 {
                        return Err("closed before the schema".into());
                    }
                    segment.extend_from_slice(&buf[..n]);
                    s.conn
                        .handle_input(&buf[..n])
                        .map_err(|e| format!("{e} in reply {segment:02x?}"))?;
                    while let Some(event) = s.conn.poll_event() {
                        if let Event::Schema(b) = event {
                            schema = Some(b);
                        }
                    }
                }
                s.segments.push(segment);
                if let Some(schema) = schema {
                    let block = insert_block(&schema)?;
                    s.conn.send_block(&block).map_err(|e| e.to_string())?;
                    if s.conn.state() == State::Sending {
                        s.conn.finish_input().map_err(|e| e.to_string())?;
                    }
                }
                s.wait(idle)?;
            }
            "cancel" => {
                let (n, sql) = rest.split_once(' ').ok_or("cancel N SQL")?;
                let n: usize = n.parse().map_err(|_| "cancel N SQL")?;
                s.conn.query(&query(sql)).map_err(|e| e.to_string())?;
                s.wait(|c, blocks| blocks >= n || c.state() != State::Receiving)?;
                if s.conn.state() == State::Receiving {
                    s.conn.cancel().map_err(|e| e.to_string())?;
                }
                s.wait(idle)?;
            }
            "ping" => {
                s.conn.ping().map_err(|e| e.to_string())?;
                s.wait(idle)?;
            }
            other => return Err(format!("unknown script action {other}")),
        }
    }
    s.send()?;
    Ok((s.req, s.segments))
}
