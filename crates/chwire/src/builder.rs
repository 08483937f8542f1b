//! [`ClientBuilder`]: a [`Client`]'s options, checked and assembled into its endpoints,
//! pools and [`Config`] by `build()`.

use std::fmt::{self, Display};
use std::sync::Arc;
use std::time::Duration;

use chwire_proto::server::Credentials;
use chwire_rt::Runtime;

use crate::config::{Compression, Config, Format};
use crate::endpoints::{Backoff, Endpoint, Endpoints, LoadBalancing};
use crate::error::{Error, Result};
use crate::handle::{Client, ClientInner};
use crate::pool::PoolConfig;
#[cfg(feature = "opentelemetry")]
use crate::telemetry::QueryText;
use crate::telemetry::{Telemetry, TelemetryConfig};
use crate::tls::{Connector, PemSource, TlsOptions};
use crate::transport::{Address, Transport};
use crate::urls::{ParsedUrl, Protocol, REDACTED, Scheme, parse_url, redact_url};

impl Client {
    /// Starts configuring a client that does all its IO through `runtime`.
    pub fn builder(runtime: Arc<dyn Runtime>) -> ClientBuilder {
        ClientBuilder::new(runtime)
    }
}

/// Configures a [`Client`]. Every option has a default suited to a local server. `Debug`
/// never prints the password, nor URL user info or query strings (see `redact_url`).
pub struct ClientBuilder {
    rt: Arc<dyn Runtime>,
    url: String,
    user: Option<String>,
    password: Option<String>,
    /// A JWT access token (`Authorization: Bearer`), instead of user and password.
    access_token: Option<String>,
    /// Everything the built client's requests read.
    config: Config,
    connect_timeout: Option<Duration>,
    pool_max_connections: usize,
    pool_max_idle: usize,
    pool_idle_timeout: Duration,
    pool_max_lifetime: Option<Duration>,
    pool_acquire_timeout: Option<Duration>,
    pool_liveness_check: bool,
    tls: TlsOptions,
    /// Endpoints after the first (`urls`, `add_url`).
    more_urls: Vec<String>,
    /// Whether `url`/`urls` set the first endpoint (otherwise `add_url` replaces the default).
    url_given: bool,
    load_balancing: LoadBalancing,
    endpoint_backoff: Backoff,
    telemetry: TelemetryConfig,
    /// The protocol [`protocol`](Self::protocol) chose (`None`: each URL's scheme says).
    protocol: Option<Protocol>,
    /// Whether [`compression`](Self::compression) was called (a native URL's `compress`
    /// option applies otherwise).
    compression_given: bool,
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
            .field(
                "access_token",
                &self.access_token.as_ref().map(|_| REDACTED),
            )
            .field("database", &self.config.database())
            .field("compression", &self.config.compression())
            .field("settings", &self.config.settings())
            .field("default_format", &self.config.default_format())
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.config.request_timeout())
            .field("send_timeout", &self.config.send_timeout())
            .field("receive_timeout", &self.config.receive_timeout())
            .field("head_timeout", &self.config.head_timeout())
            .field("load_balancing", &self.load_balancing)
            .field("tls", &self.tls)
            // Fields not listed (pool, offload, telemetry options) are not shown, so a new
            // field is hidden until someone decides it is safe to print.
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    fn new(rt: Arc<dyn Runtime>) -> Self {
        ClientBuilder {
            rt,
            url: "http://localhost:8123".into(),
            user: None,
            password: None,
            access_token: None,
            config: Config::default(),
            connect_timeout: Some(Duration::from_secs(10)),
            pool_max_connections: 16,
            pool_max_idle: 16,
            // Below the server's default keep_alive_timeout (30 s).
            pool_idle_timeout: Duration::from_secs(10),
            pool_max_lifetime: None,
            pool_acquire_timeout: Some(Duration::from_secs(30)),
            pool_liveness_check: true,
            tls: TlsOptions::default(),
            more_urls: Vec::new(),
            url_given: false,
            load_balancing: LoadBalancing::default(),
            endpoint_backoff: Backoff {
                base: Duration::from_secs(1),
                max: Duration::from_secs(60),
            },
            telemetry: TelemetryConfig::default(),
            protocol: None,
            compression_given: false,
        }
    }

    /// Speaks `protocol` to every endpoint. URLs without a scheme (`host:port`) then use its
    /// default port (HTTP 8123, native 9000), and a URL whose scheme names the other protocol
    /// is an error at `build()`. Without this option each URL's scheme decides:
    /// `http[s]://` for HTTP, `clickhouse://` (or `tcp://`) and `clickhouses://` for native.
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = Some(protocol);
        self
    }

    /// Server address, `http://host[:port]` (default port 8123) or `https://host[:port]`
    /// (default port 8443, ClickHouse's HTTPS port; needs the `rustls` feature, otherwise
    /// `build()` fails). Default `http://localhost:8123`. A path (`http://proxy/ch/prefix`) is
    /// sent with every request; `user:password@` (percent-decoded) is the credentials unless
    /// [`user`](Self::user) or [`password`](Self::password) is set, which then win as a whole.
    ///
    /// The native TCP protocol takes clickhouse-go's DSN form:
    /// `clickhouse://[user[:password]@]host[:port][/database][?secure=true&compress=lz4]`
    /// (`tcp://` is the same; default port 9000), or `clickhouses://…` for native over TLS
    /// (default port 9440, like `?secure=true`). The path is the database unless
    /// [`database`](Self::database) is set; `compress` (`lz4`, `zstd`, `none`, `true`,
    /// `false`) applies unless [`compression`](Self::compression) is called; any other option
    /// is an error at `build()`.
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

    /// The user every request logs in as (`default` when only a password is set). With
    /// [`password`](Self::password), replaces the URL's `user:password@` as a whole.
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// The password sent with every request (empty when only a user is set). With
    /// [`user`](Self::user), replaces the URL's `user:password@` as a whole.
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// Authenticates every request with an access token (a JWT), sent as
    /// `Authorization: Bearer <token>`, as ClickHouse Cloud and servers with JWT authentication
    /// expect. Replaces user and password: `build()` fails when either is also given (with
    /// [`user`](Self::user), [`password`](Self::password) or in the URL).
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.access_token = Some(token.into());
        self
    }

    /// A custom header sent with every request (e.g. for a proxy). A later header of the same
    /// name replaces the earlier one, and a query's own ([`Query::header`](crate::Query::header))
    /// replaces the client's. Headers chwire writes itself (`Host`, `Content-Length`,
    /// `Transfer-Encoding`, `Connection`, `User-Agent`, `Authorization`, `X-ClickHouse-User`,
    /// `X-ClickHouse-Key`, `Content-Encoding`, `Accept-Encoding`, `traceparent`,
    /// `tracestate`) cannot be set: `build()` fails with [`Error::Config`], as it does for a
    /// name or value that is not valid HTTP. Values are never printed (`Debug`, errors).
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        http::HeaderName: TryFrom<K>,
        http::HeaderValue: TryFrom<V>,
    {
        self.config.headers_mut().push(name, value);
        self
    }

    /// A role every request runs with (`role=` in the URL; the server applies it like
    /// `SET ROLE`, for that request only: the user must have been granted it, else the server
    /// answers [`UNKNOWN_ROLE`](crate::error_codes::UNKNOWN_ROLE) or `ACCESS_DENIED`). May be
    /// called repeatedly for several roles; a query's own roles
    /// ([`Query::role`](crate::Query::role)) replace the client's.
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.config.roles_mut().push(role.into());
        self
    }

    /// How long the server keeps a [`Client::session`]'s state after its last request
    /// (`session_timeout`; the server's default is 60 s, its maximum `max_session_timeout`,
    /// 3600 s by default). Sent with every request of a session, in whole seconds.
    pub fn session_timeout(mut self, t: Duration) -> Self {
        self.config.set_session_timeout(t);
        self
    }

    /// Default database of every query.
    pub fn database(mut self, database: impl Into<String>) -> Self {
        self.config.set_database(database.into());
        self
    }

    /// Body compression (default LZ4).
    pub fn compression(mut self, compression: Compression) -> Self {
        self.compression_given = true;
        self.config.set_compression(compression);
        self
    }

    /// A ClickHouse setting for every query (per-query settings override it).
    pub fn setting(mut self, name: impl Into<String>, value: impl Display) -> Self {
        self.config.settings_mut().set(name, value);
        self
    }

    /// Wire format of dynamic-block inserts and of typed reads (`fetch`, `fetch_all`, …);
    /// default Native, the cheaper one for the server. See [`Query::fetch`](crate::Query::fetch)
    /// for what each means for typed reads.
    pub fn default_format(mut self, format: Format) -> Self {
        self.config.set_default_format(format);
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
        self.config.set_request_timeout(t);
        self
    }

    /// Longest wait for the socket to accept request bytes (default 300 s), per write: a
    /// request with its body, or one chunk of a streaming insert's body.
    pub fn send_timeout(mut self, t: Duration) -> Self {
        self.config.set_send_timeout(t);
        self
    }

    /// Longest wait for the next response bytes (default 300 s): inactivity, counted from the
    /// start of each read (a consumer that reads slowly is not an idle server), so a server
    /// that keeps sending, even a byte at a time, never reaches it.
    pub fn receive_timeout(mut self, t: Duration) -> Self {
        self.config.set_receive_timeout(t);
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
        self.config.set_head_timeout(t);
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
        self.config.offload_mut().queue_depth = n.max(1);
        self
    }

    /// Socket read size, hence the size of one raw chunk (default 1 MiB).
    pub fn offload_chunk_size(mut self, n: usize) -> Self {
        self.config.offload_mut().chunk_size = n.max(4096);
        self
    }

    /// A response's first this many bytes are decoded on the consuming task as they arrive,
    /// and one that ends within them never leaves it (default 256 KiB; 0 sends every response
    /// through the off-loop pipeline). Either way decoding starts with the first bytes: this
    /// only chooses where the work runs, never how long a row waits.
    pub fn inline_decode_threshold(mut self, n: usize) -> Self {
        self.config.offload_mut().inline_threshold = n;
        self
    }

    /// Send `KILL QUERY` when a result stream is dropped before its end (default off; the
    /// connection is closed either way, which the server notices at its next write).
    pub fn kill_query_on_drop(mut self, yes: bool) -> Self {
        self.config.set_kill_query_on_drop(yes);
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

    /// Trusts the operating system's certificate store (feature `rustls-native-roots`, through
    /// `rustls-native-certs`, read at `build()`), for servers whose CA the system trusts (a
    /// company CA installed on the hosts). Like custom CAs, the system roots replace the
    /// built-in webpki roots unless [`tls_default_roots(true)`](Self::tls_default_roots)
    /// keeps them; custom CAs ([`tls_ca_pem`](Self::tls_ca_pem)) are trusted beside them.
    /// `build()` fails when the store yields no usable certificate.
    #[cfg(feature = "rustls-native-roots")]
    pub fn tls_native_roots(mut self, yes: bool) -> Self {
        self.tls.native_roots = yes;
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

    /// How spans record the SQL (feature `opentelemetry`; default [`QueryText::Sanitized`]).
    #[cfg(feature = "opentelemetry")]
    pub fn query_text(mut self, mode: QueryText) -> Self {
        self.telemetry.query_text = mode;
        self
    }

    fn pool_config(&self) -> PoolConfig {
        PoolConfig {
            max_connections: self.pool_max_connections,
            max_idle: self.pool_max_idle,
            idle_timeout: self.pool_idle_timeout,
            max_lifetime: self.pool_max_lifetime,
            acquire_timeout: self.pool_acquire_timeout,
            connect_timeout: self.connect_timeout,
            liveness_check: self.pool_liveness_check,
        }
    }

    /// Checks the configuration and creates the client (no connection is made yet). Fails
    /// with [`Error::Config`] on a bad URL (or one whose scheme contradicts
    /// [`protocol`](Self::protocol)), an `https://` or `clickhouses://` URL without the
    /// `rustls` feature, TLS options with no TLS URL, or unreadable/invalid TLS certificates
    /// and keys.
    pub fn build(mut self) -> Result<Client> {
        let parsed = std::iter::once(&self.url)
            .chain(&self.more_urls)
            .map(|url| parse_url(url, self.protocol))
            .collect::<Result<Vec<_>>>()?;
        if !parsed.iter().any(|p| p.scheme.is_tls()) && self.tls.any_set() {
            return Err(Error::Config(format!(
                "TLS options are set but the URL {:?} is not https:// or clickhouses://",
                redact_url(&self.url)
            )));
        }
        let url_credentials = parsed
            .iter()
            .find(|p| p.user.is_some() || p.password.is_some())
            .map(|p| (p.user.clone(), p.password.clone()));
        // A native URL's DSN options: the first URL that names them.
        if self.config.database().is_none() {
            if let Some(db) = parsed.iter().find_map(|p| p.database.clone()) {
                self.config.set_database(db);
            }
        }
        if !self.compression_given {
            if let Some(c) = parsed.iter().find_map(|p| p.compression) {
                self.config.set_compression(c);
            }
        }
        let token = access_token(
            self.access_token.take(),
            &self.user,
            &self.password,
            &url_credentials,
        )?;
        let credentials = credentials((self.user.take(), self.password.take()), url_credentials);
        self.config.set_credentials(credentials);
        self.config.set_access_token(token);
        self.config.headers().check()?;
        if parsed
            .iter()
            .any(|p| p.scheme.protocol() == Protocol::Native)
            && (self.config.access_token().is_some() || !self.config.headers().is_empty())
        {
            return Err(Error::Config(
                "access tokens and custom headers are HTTP features; the native protocol \
                 has neither"
                    .into(),
            ));
        }
        let pool_config = self.pool_config();
        let mut endpoints = Vec::with_capacity(parsed.len());
        for p in parsed {
            let (host, port) = (p.host.clone(), p.port);
            endpoints.push(Endpoint::new(host, port, self.transport(p, &pool_config)?));
        }
        let endpoints = Endpoints::new(endpoints, self.load_balancing, self.endpoint_backoff);
        let (config, telemetry_config, rt) = (self.config, self.telemetry, self.rt);
        Ok(Client {
            session: None,
            inner: Arc::new_cyclic(|weak| ClientInner {
                rt,
                telemetry: Telemetry::new(telemetry_config, {
                    let weak = weak.clone();
                    Box::new(move || {
                        weak.upgrade()
                            .map(|inner: Arc<ClientInner>| inner.endpoints.named_pool_stats())
                            .unwrap_or_default()
                    })
                }),
                config,
                endpoints,
                schemas: Default::default(),
            }),
        })
    }

    /// The transport of one parsed URL (TLS set up for the secure schemes).
    fn transport(&self, url: ParsedUrl, pool: &PoolConfig) -> Result<Transport> {
        let ParsedUrl {
            scheme,
            host,
            port,
            path,
            ..
        } = url;
        let tls = match scheme.is_tls() {
            true => Some(Connector::new(&host, self.tls.clone())?),
            false => None,
        };
        let address = Address {
            host,
            port,
            path,
            tls,
        };
        let rt = Arc::clone(&self.rt);
        Ok(match scheme {
            Scheme::Http | Scheme::Https => Transport::http(rt, address, pool.clone()),
            Scheme::Native | Scheme::NativeTls => {
                Transport::native(rt, address, pool.clone(), &self.config)
            }
        })
    }
}

type UserPassword = (Option<String>, Option<String>);

/// The access token as a header value; an error when user or password is given too, or
/// when the token is not valid in a header.
fn access_token(
    token: Option<String>,
    user: &Option<String>,
    password: &Option<String>,
    from_url: &Option<UserPassword>,
) -> Result<Option<http::HeaderValue>> {
    let Some(token) = token else { return Ok(None) };
    if user.is_some() || password.is_some() || from_url.is_some() {
        return Err(Error::Config(
            "access_token replaces user and password: give one or the other \
             (the URL's user info included)"
                .into(),
        ));
    }
    crate::headers::bearer(&token)
        .map(Some)
        .ok_or_else(|| Error::Config("the access token is not valid in an HTTP header".into()))
}

/// The client's credentials: explicit `.user()`/`.password()` win over the URLs' user info
/// (that of the first URL that has some), as a whole: the two are never mixed.
fn credentials(explicit: UserPassword, from_url: Option<UserPassword>) -> Option<Credentials> {
    let (user, password) = match explicit {
        (None, None) => from_url.unwrap_or_default(),
        given => given,
    };
    match (user, password) {
        (None, None) => None,
        (user, password) => Some(Credentials::new(
            user.unwrap_or_else(|| "default".into()),
            password.unwrap_or_default(),
        )),
    }
}
