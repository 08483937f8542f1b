//! [`Client`], its [`ClientBuilder`] and configuration, and the request path shared by queries
//! and inserts (pool checkout, request head, one retry on a stale keep-alive connection).

use std::fmt::{self, Display};
use std::sync::Arc;
use std::time::Duration;

use bytes::BytesMut;
use chwire_proto::http::{HttpRequest, ResponseHead};
use chwire_proto::server::Credentials;
use chwire_rt::Runtime;

use crate::body::{RawBody, failure_error};
use crate::cancel::RunningQuery;
use crate::connection::{Exchange, IoLimits};
use crate::endpoints::{Backoff, Endpoint, EndpointStats, Endpoints, LoadBalancing};
use crate::error::{Error, Result};
use crate::insert::BlockInsert;
use crate::offload::OffloadConfig;
use crate::pool::{Pool, PoolConfig, PoolStats};
use crate::progress::ProgressFn;
use crate::query::Query;
use crate::settings::Settings;
use crate::telemetry::{Span, Telemetry};
use crate::tls::{Connector, PemSource, TlsOptions};

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
    /// ZSTD at `level` (the server's default level is 3).
    Zstd { level: i32 },
}

impl Compression {
    fn wire(self) -> Option<chwire_proto::Compression> {
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
    pub fn name(self) -> &'static str {
        match self {
            Format::Native => "Native",
            Format::RowBinary => "RowBinary",
        }
    }
}

#[derive(Debug)]
pub(crate) struct Config {
    pub credentials: Option<Credentials>,
    pub database: Option<String>,
    pub compression: Compression,
    pub settings: Settings,
    pub default_format: Format,
    pub request_timeout: Option<Duration>,
    pub send_timeout: Option<Duration>,
    pub receive_timeout: Option<Duration>,
    pub head_timeout: Option<Duration>,
    pub offload: OffloadConfig,
    pub kill_query_on_drop: bool,
}

#[derive(Debug)]
pub(crate) struct ClientInner {
    pub rt: Arc<dyn Runtime>,
    pub config: Config,
    pub endpoints: Endpoints,
    pub telemetry: Telemetry,
    pub schemas: crate::schema::SchemaCache,
}

/// A ClickHouse client over HTTP. Cheap to clone (shared connection pool); `Send + Sync`.
///
/// ```no_run
/// # async fn run(runtime: std::sync::Arc<dyn chwire::Runtime>) -> chwire::Result<()> {
/// # use chwire::Client;
/// let client = Client::builder(runtime).url("http://localhost:8123").build()?;
/// let mut blocks = client.query("SELECT number FROM numbers(10)").fetch_blocks().await?;
/// while let Some(block) = blocks.next().await { println!("{} rows", block?.rows); }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

/// A successful response to a request, before its body is read.
#[derive(Debug)]
pub(crate) struct Response {
    pub head: ResponseHead,
    pub body: RawBody,
    pub query_id: String,
}

/// What a request sends besides its body.
#[derive(Default)]
pub(crate) struct RequestParts<'a> {
    /// SQL in the URL (inserts, whose body is data); otherwise the body is the SQL.
    pub url_query: Option<&'a str>,
    pub settings: Option<&'a Settings>,
    pub params: &'a [(String, String)],
    pub default_format: Option<&'a str>,
    pub query_id: Option<&'a str>,
    pub body_compressed: bool,
    pub chunked: bool,
    /// Run on this endpoint only (e.g. `KILL QUERY` for a query running there).
    pub endpoint: Option<usize>,
    /// Records each attempt's query id and endpoint (for `KILL QUERY`).
    pub running: Option<&'a RunningQuery>,
    /// Reports the head's `X-ClickHouse-Progress` headers.
    pub progress: Option<&'a ProgressFn>,
    /// The request's client span (trace context headers, server address).
    pub span: Option<&'a Span>,
    /// Set when an attempt wrote the whole request and then got no response head: the server
    /// may have acted on it (also when a later, transparent attempt fails to connect).
    pub delivered_unanswered: Option<&'a std::sync::atomic::AtomicBool>,
}

impl Client {
    /// Starts configuring a client that does all its IO through `runtime`.
    pub fn builder(runtime: Arc<dyn Runtime>) -> ClientBuilder {
        ClientBuilder::new(runtime)
    }

    /// A query; see [`Query`] for parameters, settings and the ways to read the result.
    pub fn query(&self, sql: impl Into<String>) -> Query {
        Query::new(self.clone(), sql.into())
    }

    /// A streaming insert of dynamic [`Block`](chwire_proto::Block)s into `table`, in the
    /// client's default format.
    pub fn insert_blocks(&self, table: impl Into<String>) -> BlockInsert {
        BlockInsert::new(self.clone(), table.into())
    }

    /// Inserts one block (convenience for `insert_blocks(table)`, `write`, `end`).
    pub async fn insert_block(
        &self,
        table: impl Into<String>,
        block: chwire_proto::Block,
    ) -> Result<crate::QuerySummary> {
        let mut insert = self.insert_blocks(table);
        insert.write(block).await?;
        insert.end().await
    }

    /// A streaming insert of typed rows `T` into `table` (`FORMAT RowBinary`). The table's
    /// columns, needed to check and encode `T`, are read once (`SELECT * FROM table LIMIT 0`)
    /// and cached per client; a failed insert drops the cached entry.
    pub async fn insert<T: crate::row::Row + serde::Serialize>(
        &self,
        table: &str,
    ) -> Result<crate::insert::Insert<T>> {
        crate::insert::Insert::new(self.clone(), table).await
    }

    /// The insertable columns of `table`, from the per-client cache or the server.
    pub(crate) async fn table_columns(&self, table: &str) -> Result<crate::schema::TableColumns> {
        if let Some(columns) = self.inner.schemas.get(table) {
            return Ok(columns);
        }
        let probe = self
            .query(format!("SELECT * FROM {table} LIMIT 0"))
            .fetch_rows()
            .await?;
        let columns = Arc::new(probe.columns().to_vec());
        self.inner.schemas.insert(table, Arc::clone(&columns));
        Ok(columns)
    }

    /// Forgets the cached column lists of typed-insert tables; call it after altering a table
    /// that this client inserts into with [`insert`](Self::insert).
    pub fn forget_table_schemas(&self) {
        self.inner.schemas.clear();
    }

    /// Counters of the connection pool (added up over all endpoints).
    pub fn pool_stats(&self) -> PoolStats {
        self.inner.endpoints.pool_stats()
    }

    /// Health and pool counters of every endpoint, in the order they were configured.
    pub fn endpoint_stats(&self) -> Vec<EndpointStats> {
        self.inner.endpoints.stats(self.inner.rt.now())
    }

    /// The runtime this client runs on.
    pub fn runtime(&self) -> &Arc<dyn Runtime> {
        &self.inner.rt
    }
}

/// A fresh random (version 4) UUID in text form, the query id of one request attempt.
pub(crate) fn new_query_id() -> String {
    let mut b = fastrand::u128(..).to_be_bytes();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

impl ClientInner {
    pub(crate) fn limits(&self) -> IoLimits {
        IoLimits {
            rt: Arc::clone(&self.rt),
            deadline: self
                .config
                .request_timeout
                .map(|t| chwire_rt::deadline_after(self.rt.now(), t)),
            send_timeout: self.config.send_timeout,
            receive_timeout: self.config.receive_timeout,
            head_timeout: self.config.head_timeout,
        }
    }

    pub(crate) fn compress_response(&self) -> bool {
        self.config.compression != Compression::None
    }

    pub(crate) fn body_compression(&self) -> Option<chwire_proto::Compression> {
        self.config.compression.wire()
    }

    /// The request head for one attempt on `endpoint`.
    fn request(
        &self,
        parts: &RequestParts<'_>,
        query_id: &str,
        endpoint: &Endpoint,
    ) -> HttpRequest {
        let c = &self.config;
        let mut req = HttpRequest::post(format!("{}:{}", endpoint.host, endpoint.port))
            .path(endpoint.path.as_str())
            .query_id(query_id)
            .user_agent(concat!("chwire/", env!("CARGO_PKG_VERSION")));
        if let Some(q) = parts.url_query {
            req = req.query(q);
        }
        if let Some(db) = &c.database {
            req = req.database(db);
        }
        if let Some(f) = parts.default_format {
            req = req.default_format(f);
        }
        if let Some(cred) = &c.credentials {
            req = req.credentials(cred.clone());
        }
        match c.compression {
            Compression::None => {}
            Compression::Lz4 => {
                req = req
                    .compress_response(true)
                    .setting("network_compression_method", "lz4");
            }
            Compression::Zstd { level } => {
                req = req
                    .compress_response(true)
                    .setting("network_compression_method", "zstd")
                    .setting("network_zstd_compression_level", level.to_string());
            }
        }
        req = req.body_compressed(parts.body_compressed);
        let merged;
        let settings = match parts.settings {
            Some(s) => {
                merged = c.settings.merged(s);
                &merged
            }
            None => &c.settings,
        };
        for (n, v) in settings.iter() {
            req = req.setting(n, v);
        }
        for (n, v) in parts.params {
            req = req.param(n, v);
        }
        if let Some(span) = parts.span {
            req = span.inject(req);
        }
        req
    }

    /// Opens an exchange: checks out a connection, writes the head and the `first` body bytes
    /// (segments, in order; with `parts.chunked`, the payload of the first chunks, framed
    /// here). `body_len` is the
    /// Content-Length when not chunked. With `read_head`, also waits for the
    /// response head (and turns failures into errors).
    ///
    /// Endpoints are tried in the order [`Endpoints::plan`] gives; a failure to connect (nothing
    /// sent yet) marks the endpoint unhealthy and moves on to the next one.
    pub(crate) async fn open(
        &self,
        parts: &RequestParts<'_>,
        first: &[&[u8]],
        body_len: Option<u64>,
        read_head: bool,
    ) -> Result<(Exchange, Option<ResponseHead>, String)> {
        let limits = self.limits();
        let plan = match parts.endpoint {
            Some(i) => vec![i.min(self.endpoints.list.len() - 1)],
            None => self.endpoints.plan(self.rt.now()),
        };
        let mut last_error = None;
        for (n, &i) in plan.iter().enumerate() {
            if n > 0 {
                self.telemetry.retry("failover");
            }
            match self
                .open_on(i, parts, first, body_len, read_head, &limits)
                .await
            {
                Ok(opened) => return Ok(opened),
                Err((e, connected)) => {
                    // Connect and TLS handshake failures happen before any request byte.
                    if connected || !(e.is_connect() || e.is_tls()) {
                        return Err(e);
                    }
                    self.endpoints.failed(i, self.rt.now());
                    last_error = Some(e);
                }
            }
        }
        Err(last_error.unwrap_or_else(|| Error::Config("no endpoint".into())))
    }

    /// [`open`](Self::open) on endpoint `i`. Retries once on a fresh connection when a reused
    /// one fails before any response byte (the server closed it while idle). The error says
    /// whether a connection had been established (so the request may have reached the server).
    async fn open_on(
        &self,
        i: usize,
        parts: &RequestParts<'_>,
        first: &[&[u8]],
        body_len: Option<u64>,
        read_head: bool,
        limits: &IoLimits,
    ) -> std::result::Result<(Exchange, Option<ResponseHead>, String), (Error, bool)> {
        let endpoint = self.endpoints.get(i);
        let mut attempt = 0;
        loop {
            let query_id = parts.query_id.map_or_else(new_query_id, str::to_owned);
            let body = if parts.chunked {
                chwire_proto::http::RequestBody::Chunked
            } else {
                chwire_proto::http::RequestBody::Length(
                    body_len.unwrap_or_else(|| first.iter().map(|s| s.len() as u64).sum()),
                )
            };
            if let Some(span) = parts.span {
                span.set_endpoint(&endpoint.host, endpoint.port);
            }
            let req = self.request(parts, &query_id, endpoint).body(body);
            let mut head = BytesMut::with_capacity(512);
            req.encode_head(&mut head).map_err(|e| (e.into(), false))?;

            let conn = endpoint
                .pool
                .acquire(limits, attempt > 0)
                .await
                .map_err(|e| (e, false))?;
            self.endpoints.succeeded(i);
            if let Some(running) = parts.running {
                running.set(&query_id, i);
            }
            let mut ex = Exchange::new(
                conn,
                limits.clone(),
                self.compress_response(),
                self.config.offload.chunk_size,
            );
            ex.endpoint = i;
            ex.expect_query_id(&query_id);
            if let Some(progress) = parts.progress {
                ex.report_progress(progress.clone());
            }
            let chunks = parts.chunked.then_some(crate::connection::MAX_HTTP_CHUNK);
            let outcome = match ex.write_framed(&head, first, chunks).await {
                Ok(()) if read_head => {
                    let head = ex.read_head().await;
                    if let (Err(_), Some(flag)) = (&head, parts.delivered_unanswered) {
                        flag.store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                    head.map(Some)
                }
                Ok(()) => Ok(None),
                Err(e) => Err(e),
            };
            match outcome {
                Ok(h) => return Ok((ex, h, query_id)),
                Err(e)
                    if attempt == 0
                        && ex.connection_reused()
                        && ex.received == 0
                        && e.is_connection() =>
                {
                    attempt += 1;
                    endpoint.pool.count_retry();
                    self.telemetry.retry("stale_connection");
                }
                Err(e) => return Err((e, true)),
            }
        }
    }

    /// Sends a request with a complete body and reads the head; a failure status becomes the
    /// server's exception.
    pub(crate) async fn send(&self, parts: &RequestParts<'_>, body: &[u8]) -> Result<Response> {
        let (ex, head, query_id) = self.open(parts, &[body], None, true).await?;
        let head = head.ok_or_else(|| Error::pipeline("no response head"))?;
        finish_head(ex, head, query_id).await
    }
}

/// Turns a received head into a [`Response`], or into the error a failure head reports.
pub(crate) async fn finish_head(
    ex: Exchange,
    head: ResponseHead,
    query_id: String,
) -> Result<Response> {
    let mut body = RawBody::new(ex);
    if head.is_failure() {
        return Err(failure_error(&head, &mut body).await);
    }
    Ok(Response {
        query_id: head.query_id.clone().unwrap_or(query_id),
        head,
        body,
    })
}

/// Default [`ClientBuilder::head_timeout`]: the receive timeout's default, the longest a server
/// may already stay silent before the head.
const DEFAULT_HEAD_TIMEOUT: Duration = Duration::from_secs(300);

/// Configures a [`Client`]. Every option has a default suited to a local server. `Debug`
/// never prints the password, nor URL user info or query strings (see `redact_url`).
pub struct ClientBuilder {
    rt: Arc<dyn Runtime>,
    url: String,
    user: Option<String>,
    password: Option<String>,
    database: Option<String>,
    compression: Compression,
    settings: Settings,
    default_format: Format,
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    send_timeout: Option<Duration>,
    receive_timeout: Option<Duration>,
    head_timeout: Option<Duration>,
    pool_max_connections: usize,
    pool_max_idle: usize,
    pool_idle_timeout: Duration,
    pool_max_lifetime: Option<Duration>,
    pool_acquire_timeout: Option<Duration>,
    pool_liveness_check: bool,
    offload: OffloadConfig,
    kill_query_on_drop: bool,
    tls: TlsOptions,
    /// Endpoints after the first (`urls`, `add_url`).
    more_urls: Vec<String>,
    /// Whether `url`/`urls` set the first endpoint (otherwise `add_url` replaces the default).
    url_given: bool,
    load_balancing: LoadBalancing,
    endpoint_backoff: Backoff,
    pub(crate) telemetry: crate::telemetry::TelemetryConfig,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let urls: Vec<_> = std::iter::once(&self.url)
            .chain(&self.more_urls)
            .map(|u| redact_url(u))
            .collect();
        f.debug_struct("ClientBuilder")
            .field("urls", &urls)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| REDACTED))
            .field("database", &self.database)
            .field("compression", &self.compression)
            .field("settings", &self.settings)
            .field("default_format", &self.default_format)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("send_timeout", &self.send_timeout)
            .field("receive_timeout", &self.receive_timeout)
            .field("head_timeout", &self.head_timeout)
            .field("load_balancing", &self.load_balancing)
            .field("tls", &self.tls)
            // Fields not listed (pool, offload, telemetry options) are not shown, so a new
            // field is hidden until someone decides it is safe to print.
            .finish_non_exhaustive()
    }
}

/// What `Debug` shows instead of a secret.
const REDACTED: &str = "<redacted>";

/// `url` for messages and `Debug`: user info (`user:password@`, up to the last `@`) and the
/// query string or fragment (`?password=…`) replaced by `<redacted>`. Over-redacts rather
/// than leaks: any `@` counts as the end of user info, even one in a path or query.
pub(crate) fn redact_url(url: &str) -> std::borrow::Cow<'_, str> {
    // A scheme is letters, digits, `+`, `-`, `.`: anything else before `://` (such as
    // `user:pw@host://`) is not one and is redacted with the rest.
    let scheme_len = url
        .find("://")
        .filter(|&i| {
            url[..i]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        })
        .map_or(0, |i| i + 3);
    let (scheme, rest) = url.split_at(scheme_len);
    let (userinfo, rest) = match rest.rfind('@') {
        Some(i) => (true, &rest[i + 1..]),
        None => (false, rest),
    };
    let (rest, query) = match rest.find(['?', '#']) {
        Some(i) => (&rest[..i], true),
        None => (rest, false),
    };
    if !userinfo && !query {
        return std::borrow::Cow::Borrowed(url);
    }
    let mut out = String::with_capacity(url.len());
    out.push_str(scheme);
    if userinfo {
        out.push_str(REDACTED);
        out.push('@');
    }
    out.push_str(rest);
    if query {
        out.push('?');
        out.push_str(REDACTED);
    }
    std::borrow::Cow::Owned(out)
}

impl ClientBuilder {
    fn new(rt: Arc<dyn Runtime>) -> Self {
        ClientBuilder {
            rt,
            url: "http://localhost:8123".into(),
            user: None,
            password: None,
            database: None,
            compression: Compression::default(),
            settings: Settings::new(),
            default_format: Format::default(),
            connect_timeout: Some(Duration::from_secs(10)),
            request_timeout: None,
            send_timeout: Some(Duration::from_secs(300)),
            receive_timeout: Some(Duration::from_secs(300)),
            head_timeout: Some(DEFAULT_HEAD_TIMEOUT),
            pool_max_connections: 16,
            pool_max_idle: 16,
            // Below the server's default keep_alive_timeout (30 s).
            pool_idle_timeout: Duration::from_secs(10),
            pool_max_lifetime: None,
            pool_acquire_timeout: Some(Duration::from_secs(30)),
            pool_liveness_check: true,
            offload: OffloadConfig {
                queue_depth: 4,
                chunk_size: 1024 * 1024,
                inline_threshold: 256 * 1024,
                cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            },
            kill_query_on_drop: false,
            tls: TlsOptions::default(),
            more_urls: Vec::new(),
            url_given: false,
            load_balancing: LoadBalancing::default(),
            endpoint_backoff: Backoff {
                base: Duration::from_secs(1),
                max: Duration::from_secs(60),
            },
            telemetry: crate::telemetry::TelemetryConfig::default(),
        }
    }

    /// Server address, `http://host[:port]` (default port 8123) or `https://host[:port]`
    /// (default port 8443, ClickHouse's HTTPS port; needs the `rustls` feature, otherwise
    /// `build()` fails). Default `http://localhost:8123`. A path (`http://proxy/ch/prefix`) is
    /// sent with every request; `user:password@` (percent-decoded) is the credentials unless
    /// [`user`](Self::user) or [`password`](Self::password) is set, which then win as a whole.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = url.into();
        self.url_given = true;
        self
    }

    /// Several servers (replicas) behind one client, each with its own pool: replaces the
    /// endpoints set so far. See [`load_balancing`](Self::load_balancing) for how requests are
    /// spread, and [`endpoint_backoff`](Self::endpoint_backoff) for unhealthy endpoints.
    pub fn urls<I, S>(mut self, urls: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut urls = urls.into_iter().map(Into::into);
        if let Some(first) = urls.next() {
            self.url = first;
            self.url_given = true;
        }
        self.more_urls = urls.collect();
        self
    }

    /// One more endpoint, after those set with [`url`](Self::url)/[`urls`](Self::urls) (the
    /// first `add_url` without either replaces the default `http://localhost:8123`).
    pub fn add_url(mut self, url: impl Into<String>) -> Self {
        if self.url_given {
            self.more_urls.push(url.into());
        } else {
            self.url = url.into();
            self.url_given = true;
        }
        self
    }

    /// How requests are spread over several endpoints (default [`LoadBalancing::InOrder`]:
    /// failover to the next endpoint only when one is down).
    pub fn load_balancing(mut self, strategy: LoadBalancing) -> Self {
        self.load_balancing = strategy;
        self
    }

    /// Back-off of an endpoint that could not be connected to: `base` after the first failure,
    /// doubling with each further one, at most `max` (default 1 s, 60 s). Meanwhile requests go
    /// to the other endpoints; afterwards the next request re-probes it.
    pub fn endpoint_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.endpoint_backoff = Backoff {
            base,
            max: max.max(base),
        };
        self
    }

    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// Default database of every query.
    pub fn database(mut self, database: impl Into<String>) -> Self {
        self.database = Some(database.into());
        self
    }

    /// Body compression (default LZ4).
    pub fn compression(mut self, compression: Compression) -> Self {
        self.compression = compression;
        self
    }

    /// A ClickHouse setting for every query (per-query settings override it).
    pub fn setting(mut self, name: impl Into<String>, value: impl Display) -> Self {
        self.settings.set(name, value);
        self
    }

    /// Wire format of dynamic-block inserts and of typed reads (`fetch`, `fetch_all`, …);
    /// default Native, the cheaper one for the server. See [`Query::fetch`](crate::Query::fetch)
    /// for what each means for typed reads.
    pub fn default_format(mut self, format: Format) -> Self {
        self.default_format = format;
        self
    }

    /// Limit on opening one TCP connection (default 10 s); for `https://` the TLS handshake
    /// that follows is bounded by it too.
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.connect_timeout = Some(t);
        self
    }

    /// Limit on a whole request, from checkout to the end of the response (default none).
    /// The only bound on a response body that keeps arriving, however slowly, and on a
    /// streaming insert's duration.
    pub fn request_timeout(mut self, t: Duration) -> Self {
        self.request_timeout = Some(t);
        self
    }

    /// Longest wait for the socket to accept request bytes (default 300 s), per write: a
    /// request with its body, or one chunk of a streaming insert's body.
    pub fn send_timeout(mut self, t: Duration) -> Self {
        self.send_timeout = Some(t);
        self
    }

    /// Longest wait for the next response bytes (default 300 s): inactivity, counted from the
    /// start of each read (a consumer that reads slowly is not an idle server), so a server
    /// that keeps sending, even a byte at a time, never reaches it.
    pub fn receive_timeout(mut self, t: Duration) -> Self {
        self.receive_timeout = Some(t);
        self
    }

    /// Longest wait for the complete response head once the request has been sent (default
    /// 300 s): bounds a server that trickles its head (which [`receive_timeout`] cannot) and
    /// a query whose first result takes too long. The server completes the head when it
    /// flushes the first result bytes (with `wait_end_of_query=1`, as
    /// [`Query::execute`](crate::Query::execute) sets, at the end of the query), and is
    /// otherwise silent until then. The default equals [`receive_timeout`]'s, so it stops no
    /// query the receive timeout would let through; a progress report
    /// ([`Query::on_progress`](crate::Query::on_progress)) restarts it, since the server is
    /// then working. For an insert it counts from the end of the body.
    ///
    /// [`receive_timeout`]: Self::receive_timeout
    pub fn head_timeout(mut self, t: Duration) -> Self {
        self.head_timeout = Some(t);
        self
    }

    /// Most connections in use at once (default 16); more requests wait for a slot.
    pub fn pool_max_connections_per_host(mut self, n: usize) -> Self {
        self.pool_max_connections = n.max(1);
        self
    }

    /// Most idle connections kept (default 16).
    pub fn pool_max_idle(mut self, n: usize) -> Self {
        self.pool_max_idle = n;
        self
    }

    /// How long an idle connection is kept (default 10 s, below the server's 30 s keep-alive;
    /// the server's `Keep-Alive: timeout` is honoured too).
    pub fn pool_idle_timeout(mut self, t: Duration) -> Self {
        self.pool_idle_timeout = t;
        self
    }

    /// Connections older than this are not reused.
    pub fn pool_max_lifetime(mut self, t: Duration) -> Self {
        self.pool_max_lifetime = Some(t);
        self
    }

    /// Longest wait for a free connection slot (default 30 s).
    pub fn pool_acquire_timeout(mut self, t: Duration) -> Self {
        self.pool_acquire_timeout = Some(t);
        self
    }

    /// Probe idle connections for a server-side close before reuse (default on). When off, a
    /// stale connection is detected by the failing request, which is then retried once.
    pub fn pool_liveness_check(mut self, yes: bool) -> Self {
        self.pool_liveness_check = yes;
        self
    }

    /// Depth of the off-loop pipeline's channels, in chunks/batches (default 4): also the
    /// chunks (written blocks, buffers of typed rows) an insert queues for its writer, which
    /// encodes at most one per core (and at most this many) at once: more would only take CPU
    /// from a server on the same machine.
    pub fn offload_queue_depth(mut self, n: usize) -> Self {
        self.offload.queue_depth = n.max(1);
        self
    }

    /// Socket read size, hence the size of one raw chunk (default 1 MiB).
    pub fn offload_chunk_size(mut self, n: usize) -> Self {
        self.offload.chunk_size = n.max(4096);
        self
    }

    /// A response's first this many bytes are decoded on the consuming task as they arrive,
    /// and one that ends within them never leaves it (default 256 KiB; 0 sends every response
    /// through the off-loop pipeline). Either way decoding starts with the first bytes: this
    /// only chooses where the work runs, never how long a row waits.
    pub fn inline_decode_threshold(mut self, n: usize) -> Self {
        self.offload.inline_threshold = n;
        self
    }

    /// Send `KILL QUERY` when a result stream is dropped before its end (default off; the
    /// connection is closed either way, which the server notices at its next write).
    pub fn kill_query_on_drop(mut self, yes: bool) -> Self {
        self.kill_query_on_drop = yes;
        self
    }

    /// Trusts the CA certificate(s) in `pem` (one or more `BEGIN CERTIFICATE` blocks) for
    /// `https://`. Custom CAs *replace* the built-in public roots (a server with a private CA
    /// should not also be trusted on the word of every public CA); see
    /// [`tls_default_roots`](Self::tls_default_roots) to keep both. May be called repeatedly.
    pub fn tls_ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.tls.ca.push(PemSource::Bytes(pem.into()));
        self
    }

    /// Like [`tls_ca_pem`](Self::tls_ca_pem) with the PEM read from `path` at `build()`.
    pub fn tls_ca_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.tls.ca.push(PemSource::File(path.into()));
        self
    }

    /// Whether the built-in public roots (Mozilla's, from `webpki-roots`) are trusted: by
    /// default yes unless custom CAs are given. `true` with custom CAs trusts both.
    pub fn tls_default_roots(mut self, yes: bool) -> Self {
        self.tls.default_roots = Some(yes);
        self
    }

    /// Presents a client certificate (mutual TLS): `cert_chain` is the PEM certificate chain
    /// (leaf first), `key` its PEM private key (PKCS#8, PKCS#1 or SEC1).
    pub fn tls_client_cert_pem(
        mut self,
        cert_chain: impl Into<Vec<u8>>,
        key: impl Into<Vec<u8>>,
    ) -> Self {
        self.tls.client_cert = Some((
            PemSource::Bytes(cert_chain.into()),
            PemSource::Bytes(key.into()),
        ));
        self
    }

    /// Like [`tls_client_cert_pem`](Self::tls_client_cert_pem) with the PEM files read at
    /// `build()`.
    pub fn tls_client_cert_files(
        mut self,
        cert_chain: impl Into<std::path::PathBuf>,
        key: impl Into<std::path::PathBuf>,
    ) -> Self {
        self.tls.client_cert = Some((
            PemSource::File(cert_chain.into()),
            PemSource::File(key.into()),
        ));
        self
    }

    /// The name the server certificate must be valid for, also sent as SNI (default: the
    /// URL's host). For connecting by IP address to a server whose certificate names a host,
    /// or through a tunnel.
    pub fn tls_server_name(mut self, name: impl Into<String>) -> Self {
        self.tls.server_name = Some(name.into());
        self
    }

    /// Full control over TLS: a rustls client configuration used as is (it replaces the CA,
    /// default-roots and client-certificate options; [`tls_server_name`](Self::tls_server_name)
    /// still applies). Build it with a crypto provider, e.g.
    /// `ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))`.
    #[cfg(feature = "rustls")]
    pub fn tls_config(mut self, config: Arc<crate::rustls::ClientConfig>) -> Self {
        self.tls.config = Some(config);
        self
    }

    /// Checks the configuration and creates the client (no connection is made yet). Fails
    /// with [`Error::Config`] on a bad URL, an `https://` URL without the `rustls` feature,
    /// TLS options with an `http://` URL, or unreadable/invalid TLS certificates and keys.
    pub fn build(self) -> Result<Client> {
        let mut addresses = Vec::with_capacity(1 + self.more_urls.len());
        let mut any_https = false;
        let mut url_credentials = None;
        for url in std::iter::once(&self.url).chain(&self.more_urls) {
            let ParsedUrl {
                scheme,
                host,
                port,
                path,
                user,
                password,
            } = parse_url(url)?;
            if url_credentials.is_none() && (user.is_some() || password.is_some()) {
                url_credentials = Some((user, password));
            }
            let tls = match scheme {
                Scheme::Https => {
                    any_https = true;
                    Some(Connector::new(&host, self.tls.clone())?)
                }
                Scheme::Http => None,
            };
            addresses.push((host, port, path, tls));
        }
        if !any_https && self.tls.any_set() {
            return Err(Error::Config(format!(
                "TLS options are set but the URL {:?} is not https://",
                redact_url(&self.url)
            )));
        }
        // Explicit `.user()`/`.password()` win over the URLs' user info (that of the first URL
        // that has some), as a whole: the two are never mixed.
        let explicit = (self.user, self.password);
        let (user, password) = match explicit {
            (None, None) => url_credentials.unwrap_or_default(),
            given => given,
        };
        let credentials = match (user, password) {
            (None, None) => None,
            (user, password) => Some(Credentials::new(
                user.unwrap_or_else(|| "default".into()),
                password.unwrap_or_default(),
            )),
        };
        let pool_config = PoolConfig {
            max_connections: self.pool_max_connections,
            max_idle: self.pool_max_idle,
            idle_timeout: self.pool_idle_timeout,
            max_lifetime: self.pool_max_lifetime,
            acquire_timeout: self.pool_acquire_timeout,
            connect_timeout: self.connect_timeout,
            liveness_check: self.pool_liveness_check,
        };
        let endpoints = addresses
            .into_iter()
            .map(|(host, port, path, tls)| {
                let pool = Pool::new(
                    Arc::clone(&self.rt),
                    host.clone(),
                    port,
                    tls,
                    pool_config.clone(),
                );
                Endpoint::new(host, port, path, pool)
            })
            .collect();
        let endpoints = Endpoints::new(endpoints, self.load_balancing, self.endpoint_backoff);
        let config = Config {
            credentials,
            database: self.database,
            compression: self.compression,
            settings: self.settings,
            default_format: self.default_format,
            request_timeout: self.request_timeout,
            send_timeout: self.send_timeout,
            receive_timeout: self.receive_timeout,
            head_timeout: self.head_timeout,
            offload: self.offload,
            kill_query_on_drop: self.kill_query_on_drop,
        };
        let telemetry_config = self.telemetry;
        let rt = self.rt;
        Ok(Client {
            inner: Arc::new_cyclic(|weak| ClientInner {
                rt,
                telemetry: Telemetry::new(telemetry_config, weak.clone()),
                config,
                endpoints,
                schemas: Default::default(),
            }),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Http,
    Https,
}

/// `http[s]://[user[:password]@]host[:port][/path]` taken apart (parsed by `url`): where to
/// connect (default port 8123 for http, 8443 for https: ClickHouse's `http_port` and
/// `https_port`; no scheme means http), the path every request goes to (a proxy's prefix; `/`
/// by default) and the percent-decoded user info, if any.
#[derive(Debug, PartialEq)]
struct ParsedUrl {
    scheme: Scheme,
    host: String,
    port: u16,
    path: String,
    user: Option<String>,
    password: Option<String>,
}

fn parse_url(raw: &str) -> Result<ParsedUrl> {
    let shown = redact_url(raw);
    let bad = || {
        Error::Config(format!(
            "URL {shown:?} must look like http://host:port/path"
        ))
    };
    let with_scheme = if raw.contains("://") {
        std::borrow::Cow::Borrowed(raw)
    } else {
        std::borrow::Cow::Owned(format!("http://{raw}"))
    };
    let url = url::Url::parse(&with_scheme).map_err(|_| bad())?;
    let scheme = match url.scheme() {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        _ => {
            return Err(Error::Config(format!(
                "unsupported URL scheme in {shown:?} (http or https)"
            )));
        }
    };
    let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(bad)?;
    // `url` hides a port equal to the scheme's default (80, 443): it was written, so use it.
    let port = match (url.port(), url.port_or_known_default()) {
        (Some(p), _) => p,
        (None, Some(d)) if authority(&with_scheme).ends_with(&format!(":{d}")) => d,
        _ if scheme == Scheme::Https => 8443,
        _ => 8123,
    };
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| Error::Config(format!("URL user info in {shown:?} is not UTF-8")))
    };
    let user = match url.username() {
        "" => None,
        u => Some(decode(u)?),
    };
    let password = url.password().map(decode).transpose()?;
    Ok(ParsedUrl {
        scheme,
        host: host.to_owned(),
        port,
        path: url.path().to_owned(),
        user,
        password,
    })
}

/// The authority of `url` (after `scheme://`, before the path, query or fragment).
fn authority(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        use Scheme::{Http, Https};
        let parts = |u: &str| {
            let p = parse_url(u).unwrap();
            (p.scheme, p.host, p.port, p.path)
        };
        assert_eq!(
            parts("http://127.0.0.1:18123"),
            (Http, "127.0.0.1".into(), 18123, "/".into())
        );
        assert_eq!(
            parts("http://db.local/"),
            (Http, "db.local".into(), 8123, "/".into())
        );
        assert_eq!(
            parts("http://[::1]:9"),
            (Http, "[::1]".into(), 9, "/".into())
        );
        assert_eq!(
            parts("https://db.local"),
            (Https, "db.local".into(), 8443, "/".into())
        );
        assert_eq!(
            parts("HTTPS://db.local:9440/"),
            (Https, "db.local".into(), 9440, "/".into())
        );
        assert_eq!(parts("http://db:80").2, 80);
        assert_eq!(parts("db:1"), (Http, "db".into(), 1, "/".into()));
        assert_eq!(parts("http://h/ch/prefix").3, "/ch/prefix");
        let p = parse_url("http://us%40er:p%3Aw@db:1/x").unwrap();
        assert_eq!(
            (p.user.as_deref(), p.password.as_deref()),
            (Some("us@er"), Some("p:w"))
        );
        assert!(parse_url("ftp://x").is_err());
        assert!(parse_url("http://x:notaport").is_err());
    }

    #[test]
    fn redacted_urls_keep_host_and_port() {
        for (url, shown) in [
            ("http://db:8123", "http://db:8123"),
            ("http://u:pw@db:8123/", "http://<redacted>@db:8123/"),
            ("http://u:p@w/x@db:1", "http://<redacted>@db:1"),
            ("https://db/?password=pw&x=1", "https://db/?<redacted>"),
            ("db:1#frag", "db:1?<redacted>"),
            ("u:pw@db://x", "<redacted>@db://x"),
        ] {
            assert_eq!(redact_url(url), shown, "{url}");
        }
        let e = parse_url("http://u:pw@db:notaport")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("http://<redacted>@db:notaport") && !e.contains("pw"),
            "{e}"
        );
    }

    #[test]
    fn query_ids_are_v4_uuids() {
        let a = new_query_id();
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(a, new_query_id());
    }
}
