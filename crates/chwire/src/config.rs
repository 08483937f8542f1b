//! What a client sends with every request and how it times them: the configuration a
//! [`ClientBuilder`](crate::ClientBuilder) assembles, read (never changed) by the request path;
//! the two wire choices it holds, [`Compression`] and [`Format`]; and the off-loop pipeline's
//! tuning ([`OffloadConfig`]).

use std::time::Duration;

use chwire_proto::server::Credentials;

use crate::headers::HeaderList;
use crate::settings::Settings;

/// Compression of response and request bodies (ClickHouse's own block framing with
/// checksums, `compress=1` / `decompress=1`).
///
/// Not [`chwire_proto::Compression`]: there `None` is the framed-but-uncompressed block method
/// (0x02); here it means plain bodies with no block framing at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    /// Plain bodies.
    None,
    /// LZ4: fast, the default.
    #[default]
    Lz4,
    /// ZSTD at `level`.
    Zstd {
        /// The zstd level: 1 is fastest, 22 smallest; the server's default is 3.
        level: i32,
    },
}

impl Compression {
    /// The block method of compressed bodies; `None` for plain ones.
    pub(crate) fn wire(self) -> Option<chwire_proto::Compression> {
        match self {
            Compression::None => None,
            Compression::Lz4 => Some(chwire_proto::Compression::Lz4),
            Compression::Zstd { level } => Some(chwire_proto::Compression::Zstd { level }),
        }
    }
}

/// Binary format used for dynamic-block inserts and typed reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// `FORMAT Native`: columnar, the cheapest for the server.
    #[default]
    Native,
    /// `FORMAT RowBinary` (typed reads: `RowBinaryWithNamesAndTypes`).
    RowBinary,
}

impl Format {
    /// The name written after `FORMAT`: `Native` or `RowBinary`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Native => "Native",
            Format::RowBinary => "RowBinary",
        }
    }
}

/// Default [`ClientBuilder::head_timeout`](crate::ClientBuilder::head_timeout): the receive
/// timeout's default, the longest a server may already stay silent before the head.
const DEFAULT_HEAD_TIMEOUT: Duration = Duration::from_secs(300);

/// A client's configuration. Fields are private: the builder sets them, requests read them.
#[derive(Debug)]
pub(crate) struct Config {
    credentials: Option<Credentials>,
    database: Option<String>,
    compression: Compression,
    settings: Settings,
    default_format: Format,
    request_timeout: Option<Duration>,
    send_timeout: Option<Duration>,
    receive_timeout: Option<Duration>,
    head_timeout: Option<Duration>,
    offload: OffloadConfig,
    kill_query_on_drop: bool,
    /// `Authorization: Bearer …` (an access token), instead of `credentials`.
    access_token: Option<http::HeaderValue>,
    /// Custom headers of every request (a query's own replace those of the same name).
    headers: HeaderList,
    /// `role=` of every request (a query's own roles replace them).
    roles: Vec<String>,
    /// `session_timeout=` (seconds) of a session's requests.
    session_timeout: Option<Duration>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            credentials: None,
            database: None,
            compression: Compression::default(),
            settings: Settings::new(),
            default_format: Format::default(),
            request_timeout: None,
            send_timeout: Some(Duration::from_secs(300)),
            receive_timeout: Some(Duration::from_secs(300)),
            head_timeout: Some(DEFAULT_HEAD_TIMEOUT),
            offload: OffloadConfig {
                queue_depth: 4,
                chunk_size: 1024 * 1024,
                inline_threshold: 256 * 1024,
                cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            },
            kill_query_on_drop: false,
            access_token: None,
            headers: HeaderList::default(),
            roles: Vec::new(),
            session_timeout: None,
        }
    }
}

/// Read access to the fields, and the builder's way to set them.
impl Config {
    pub(crate) fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    pub(crate) fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    pub(crate) fn compression(&self) -> Compression {
        self.compression
    }

    /// Settings sent with every request (a request's own override them).
    pub(crate) fn settings(&self) -> &Settings {
        &self.settings
    }

    pub(crate) fn default_format(&self) -> Format {
        self.default_format
    }

    pub(crate) fn request_timeout(&self) -> Option<Duration> {
        self.request_timeout
    }

    pub(crate) fn send_timeout(&self) -> Option<Duration> {
        self.send_timeout
    }

    pub(crate) fn receive_timeout(&self) -> Option<Duration> {
        self.receive_timeout
    }

    pub(crate) fn head_timeout(&self) -> Option<Duration> {
        self.head_timeout
    }

    pub(crate) fn offload(&self) -> OffloadConfig {
        self.offload
    }

    pub(crate) fn kill_query_on_drop(&self) -> bool {
        self.kill_query_on_drop
    }

    pub(crate) fn set_credentials(&mut self, c: Option<Credentials>) {
        self.credentials = c;
    }

    pub(crate) fn set_database(&mut self, db: String) {
        self.database = Some(db);
    }

    pub(crate) fn set_compression(&mut self, c: Compression) {
        self.compression = c;
    }

    pub(crate) fn settings_mut(&mut self) -> &mut Settings {
        &mut self.settings
    }

    pub(crate) fn set_default_format(&mut self, f: Format) {
        self.default_format = f;
    }

    pub(crate) fn set_request_timeout(&mut self, t: Duration) {
        self.request_timeout = Some(t);
    }

    pub(crate) fn set_send_timeout(&mut self, t: Duration) {
        self.send_timeout = Some(t);
    }

    pub(crate) fn set_receive_timeout(&mut self, t: Duration) {
        self.receive_timeout = Some(t);
    }

    pub(crate) fn set_head_timeout(&mut self, t: Duration) {
        self.head_timeout = Some(t);
    }

    pub(crate) fn offload_mut(&mut self) -> &mut OffloadConfig {
        &mut self.offload
    }

    pub(crate) fn set_kill_query_on_drop(&mut self, yes: bool) {
        self.kill_query_on_drop = yes;
    }
}

/// Authentication, custom headers, roles and sessions.
impl Config {
    pub(crate) fn access_token(&self) -> Option<&http::HeaderValue> {
        self.access_token.as_ref()
    }

    pub(crate) fn headers(&self) -> &HeaderList {
        &self.headers
    }

    pub(crate) fn roles(&self) -> &[String] {
        &self.roles
    }

    pub(crate) fn session_timeout(&self) -> Option<Duration> {
        self.session_timeout
    }

    pub(crate) fn set_access_token(&mut self, token: Option<http::HeaderValue>) {
        self.access_token = token;
    }

    pub(crate) fn headers_mut(&mut self) -> &mut HeaderList {
        &mut self.headers
    }

    pub(crate) fn roles_mut(&mut self) -> &mut Vec<String> {
        &mut self.roles
    }

    pub(crate) fn set_session_timeout(&mut self, t: Duration) {
        self.session_timeout = Some(t);
    }
}

/// Pipeline tuning (builder options of the same names).
#[derive(Debug, Clone, Copy)]
pub(crate) struct OffloadConfig {
    pub queue_depth: usize,
    pub chunk_size: usize,
    pub inline_threshold: usize,
    /// Cores this process may use, read once: an insert encodes at most this many chunks
    /// at once.
    pub cores: usize,
}
