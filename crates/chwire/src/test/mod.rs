//! A mock ClickHouse server for your own tests (feature `test-util`).
//!
//! [`Mock`] listens on `127.0.0.1` and answers chwire's HTTP requests from a queue of
//! answers, one per request: rows to return, a server exception, a dropped connection, or a
//! success that records the request (an insert's rows can be read back). It runs on its own
//! threads with blocking sockets, so it works under every runtime.
//!
//! ```no_run
//! # async fn demo(rt: std::sync::Arc<dyn chwire::Runtime>) -> chwire::Result<()> {
//! use chwire::test::Mock;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, PartialEq, chwire::Row, Serialize, Deserialize)]
//! struct Event {
//!     id: u64,
//!     name: String,
//! }
//!
//! let mock = Mock::start()?;
//! let client = chwire::Client::builder(rt).url(mock.url()).build()?;
//!
//! // A SELECT gets these rows.
//! mock.provide("id UInt64, name String", [Event { id: 1, name: "a".into() }])?;
//! let rows: Vec<Event> = client.query("SELECT id, name FROM events").fetch_all().await?;
//! assert_eq!(rows.len(), 1);
//!
//! // An insert is recorded (the table's schema answers the insert's schema lookup).
//! mock.table("events", "id UInt64, name String")?;
//! let recording = mock.record();
//! let mut insert = client.insert::<Event>("events").await?;
//! insert.write(&Event { id: 2, name: "b".into() }).await?;
//! insert.end().await?;
//! assert_eq!(recording.rows::<Event>()?, [Event { id: 2, name: "b".into() }]);
//! # Ok(()) }
//! ```
//!
//! Answers are taken in the order they were queued; a request with none queued fails with a
//! server exception naming it (code 1000), so a test that sends more than it expected fails
//! loudly. The schema lookup of typed inserts (`SELECT * FROM t LIMIT 0`) of a table given
//! to [`Mock::table`] is answered from that schema and takes no answer from the queue.

mod answer;
mod http;

use std::collections::{HashMap, VecDeque};
use std::io::BufReader;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex, PoisonError};

use chwire_proto::{Block, DataType};

use crate::error::{Error, Result};
use answer::Answer;
use http::RawRequest;

/// An in-process mock server (see the [module docs](self)). Stops when dropped.
#[derive(Debug)]
pub struct Mock {
    addr: SocketAddr,
    state: Arc<State>,
}

#[derive(Debug, Default)]
struct State {
    answers: Mutex<VecDeque<Answer>>,
    tables: Mutex<HashMap<String, Vec<(String, DataType)>>>,
    /// Every open connection, to close them when the mock stops.
    connections: Mutex<Vec<TcpStream>>,
    requests: AtomicU64,
    stopped: AtomicBool,
}

impl State {
    fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
        m.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Mock {
    /// Starts a mock on a free port of `127.0.0.1`.
    pub fn start() -> Result<Mock> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(Error::Io)?;
        let addr = listener.local_addr().map_err(Error::Io)?;
        let state = Arc::new(State::default());
        let accepting = Arc::clone(&state);
        std::thread::Builder::new()
            .name("chwire-mock".into())
            .spawn(move || accept(listener, accepting))
            .map_err(Error::Io)?;
        Ok(Mock { addr, state })
    }

    /// The URL to build a client with (`http://127.0.0.1:port`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests received so far (schema lookups included).
    pub fn requests(&self) -> u64 {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// Registers `table`'s columns (`"id UInt64, name String"`): typed inserts' schema lookups
    /// are answered with them, and recorded `RowBinary` inserts (the `Inserter`'s) are read
    /// with them.
    pub fn table(&self, table: &str, schema: &str) -> Result<()> {
        let columns = answer::parse_schema(schema)?;
        State::lock(&self.state.tables).insert(table.to_owned(), columns);
        Ok(())
    }

    /// The next request gets `rows` as its result, with the columns of `schema`
    /// (`"id UInt64, name String"`; `T`'s fields must match them, as for a real result), in
    /// the format and compression the request asks for.
    pub fn provide<T, I>(&self, schema: &str, rows: I) -> Result<()>
    where
        T: crate::Row + serde::Serialize,
        I: IntoIterator<Item = T>,
    {
        let answer = Answer::rows(answer::parse_schema(schema)?, rows)?;
        self.push(answer);
        Ok(())
    }

    /// The next request gets `block` as its result.
    pub fn provide_block(&self, block: Block) -> Result<()> {
        let answer = Answer::block(block)?;
        self.push(answer);
        Ok(())
    }

    /// The next request gets `body` as its response body, whatever it asked for (for
    /// `fetch_bytes` in text formats).
    pub fn provide_bytes(&self, body: impl Into<Vec<u8>>) {
        self.push(Answer::Bytes(body.into()));
    }

    /// The next request fails with a server exception (`code`, e.g. 60, and its `name`, e.g.
    /// `UNKNOWN_TABLE`), as ClickHouse sends one: HTTP 500 with `X-ClickHouse-Exception-Code`.
    pub fn fail(&self, code: i32, name: &str, message: &str) {
        self.push(Answer::Fail {
            code,
            name: name.to_owned(),
            message: message.to_owned(),
        });
    }

    /// The next request's connection is closed without an answer (a server that died).
    pub fn disconnect(&self) {
        self.push(Answer::Disconnect);
    }

    /// The next request succeeds with an empty result and is kept in the returned
    /// [`Recording`]: its statement, settings and (for an insert) rows.
    pub fn record(&self) -> Recording {
        let (tx, rx) = channel();
        self.push(Answer::Record(tx));
        Recording {
            rx: Mutex::new(rx),
            request: Mutex::new(None),
            state: Arc::clone(&self.state),
        }
    }

    fn push(&self, answer: Answer) {
        State::lock(&self.state.answers).push_back(answer);
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.state.stopped.store(true, Ordering::SeqCst);
        // Wakes the accepting thread, which then sees the flag.
        let _ = TcpStream::connect(self.addr);
        for conn in State::lock(&self.state.connections).drain(..) {
            let _ = conn.shutdown(Shutdown::Both);
        }
    }
}

/// A request the mock answered with [`Mock::record`].
#[derive(Debug)]
pub struct Recording {
    rx: Mutex<Receiver<RawRequest>>,
    request: Mutex<Option<RawRequest>>,
    state: Arc<State>,
}

impl Recording {
    /// The recorded request; `Error::Config` if it has not arrived (the client's call that
    /// sends it has not completed).
    fn request(&self) -> Result<RawRequest> {
        let mut slot = State::lock(&self.request);
        if slot.is_none() {
            *slot = State::lock(&self.rx).try_recv().ok();
        }
        slot.clone()
            .ok_or_else(|| Error::Config("the recorded request has not arrived".into()))
    }

    /// The statement (for an insert, `INSERT INTO … FORMAT …`).
    pub fn query(&self) -> Result<String> {
        Ok(answer::statement(&self.request()?))
    }

    /// The URL parameter `name` of the request: a setting (`max_threads`), `query_id`,
    /// `database`, `param_x` for server-side parameters.
    pub fn param(&self, name: &str) -> Result<Option<String>> {
        Ok(self.request()?.param(name).map(str::to_owned))
    }

    /// The request header `name` (any case).
    pub fn header(&self, name: &str) -> Result<Option<String>> {
        let name = name.to_ascii_lowercase();
        Ok(self
            .request()?
            .headers
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v))
    }

    /// The rows the recorded insert sent, read as `T` (from `Native`,
    /// `RowBinaryWithNamesAndTypes`, or `RowBinary` with the table's [`Mock::table`] schema;
    /// compressed or not).
    pub fn rows<T>(&self) -> Result<Vec<T>>
    where
        T: crate::Row + serde::de::DeserializeOwned,
    {
        let request = self.request()?;
        let sql = answer::statement(&request);
        let tables = State::lock(&self.state.tables);
        let table = insert_table(&sql).and_then(|t| tables.get(t));
        answer::recorded_rows(&request, table.map(Vec::as_slice))
    }
}

/// The table of `INSERT INTO t …`.
fn insert_table(sql: &str) -> Option<&str> {
    let rest = sql.trim_start().get(12..)?;
    sql.trim_start()
        .get(..12)?
        .eq_ignore_ascii_case("INSERT INTO ")
        .then(|| rest.split([' ', '(']).next())
        .flatten()
}

fn accept(listener: TcpListener, state: Arc<State>) {
    for conn in listener.incoming() {
        if state.stopped.load(Ordering::SeqCst) {
            return;
        }
        let Ok(conn) = conn else { continue };
        if let Ok(clone) = conn.try_clone() {
            State::lock(&state.connections).push(clone);
        }
        let state = Arc::clone(&state);
        let _ = std::thread::Builder::new()
            .name("chwire-mock-conn".into())
            .spawn(move || serve(conn, &state));
    }
}

/// Answers the requests of one connection until it closes or an answer ends it.
fn serve(conn: TcpStream, state: &State) {
    let Ok(mut writer) = conn.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(conn);
    while let Ok(Some(request)) = http::read_request(&mut reader) {
        state.requests.fetch_add(1, Ordering::SeqCst);
        let query_id = request.param("query_id").unwrap_or("mock").to_owned();
        let sql = answer::statement(&request);
        let response = match answer::schema_probe(&sql)
            .and_then(|t| State::lock(&state.tables).get(t).cloned())
        {
            Some(columns) => {
                let block = Block::new(
                    columns
                        .iter()
                        .map(|(n, t)| (n.clone(), chwire_proto::Column::empty(t)))
                        .collect(),
                );
                match block {
                    Ok(b) => answer::result(&request, &sql, &columns, Some(&b), &[]),
                    Err(e) => answer::exception(1001, "MOCK", &e.to_string()),
                }
            }
            None => match State::lock(&state.answers).pop_front() {
                None => answer::exception(
                    1000,
                    "MOCK_NO_ANSWER",
                    &format!("the mock has no answer queued for {sql:?}"),
                ),
                Some(Answer::Disconnect) => {
                    let _ = writer.shutdown(Shutdown::Both);
                    return;
                }
                Some(Answer::Fail {
                    code,
                    name,
                    message,
                }) => answer::exception(code, &name, &message),
                Some(Answer::Bytes(body)) => answer::success(&request, "", body),
                Some(Answer::Rows {
                    columns,
                    block,
                    row_binary,
                }) => answer::result(&request, &sql, &columns, block.as_ref(), &row_binary),
                Some(Answer::Record(tx)) => {
                    let _ = tx.send(request.clone());
                    answer::success(&request, "", Vec::new())
                }
            },
        };
        if http::write_response(
            &mut writer,
            response.status,
            &query_id,
            &response.headers,
            &response.body,
        )
        .is_err()
        {
            return;
        }
    }
}
