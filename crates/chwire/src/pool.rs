//! The per-endpoint connection pool.
//!
//! A semaphore bounds the connections in use (`pool_max_connections_per_host`); idle
//! connections are kept in a LIFO list (the most recently used is the most likely to still be
//! open) and reused before a new one is opened, so the number of open connections never exceeds
//! the bound either. An idle connection is retired when it has been idle for `pool_idle_timeout`
//! or for the server's announced `Keep-Alive: timeout=N` minus one second (whichever is
//! shorter), when it is older than `pool_max_lifetime`, or when a liveness probe shows the
//! server closed it.
//!
//! Only [`PooledConnection::release`] puts a connection back, and only the response reader calls
//! it after a response ended cleanly; every other path (error, cancellation, partial read)
//! drops the connection, which closes it.
//!
//! The pool knows connections only through [`Poolable`]: what a transport's connection is
//! opened over (a socket, TLS already applied) and what it says about its own reuse. Slots,
//! idle list, ages and counters are the pool's.

use std::future::Future;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_lock::{Semaphore, SemaphoreGuardArc};
use chwire_rt::{AsyncIo, Runtime, RuntimeExt};

use crate::error::{Error, Result, TimeoutKind};
use crate::limits::IoLimits;
use crate::tls::Connector;

/// What the pool needs of a transport's connection.
pub(crate) trait Poolable: Send + Sized + 'static {
    /// What every new connection of a pool is opened with (native: the Hello's identity).
    type Opener: Send + Sync + std::fmt::Debug + 'static;
    /// A connection over a freshly connected socket (TLS, if any, already applied): a
    /// protocol handshake, if the transport has one (bounded by `connect_timeout`).
    fn open(
        io: Box<dyn AsyncIo>,
        opener: &Self::Opener,
        limits: &IoLimits,
    ) -> impl Future<Output = Result<Self>> + Send;
    /// Whether the connection's own limits (e.g. the server's announced keep-alive) retire it
    /// after `idle_for` without use.
    fn expired(&self, idle_for: Duration) -> bool;
    /// Whether an idle connection still looks open (a liveness probe that never blocks).
    fn is_open(&mut self) -> bool;
    /// A check of an idle connection taken for reuse after `idle_for`, which may wait (for at
    /// most a short bound): native sends a Ping. `false` discards the connection.
    fn check(&mut self, idle_for: Duration) -> impl Future<Output = bool> + Send {
        let _ = idle_for;
        std::future::ready(true)
    }
}

/// Pool settings (see the builder methods of the same names).
#[derive(Debug, Clone)]
pub(crate) struct PoolConfig {
    pub max_connections: usize,
    pub max_idle: usize,
    pub idle_timeout: Duration,
    pub max_lifetime: Option<Duration>,
    pub acquire_timeout: Option<Duration>,
    pub connect_timeout: Option<Duration>,
    pub liveness_check: bool,
}

/// A snapshot of the pool's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct PoolStats {
    /// Connections currently open (in use or idle).
    pub open: usize,
    /// Connections idle in the pool.
    pub idle: usize,
    /// The largest number of connections ever open at once.
    pub max_open: usize,
    /// Connections opened so far.
    pub connects: u64,
    /// Requests that reused an idle connection.
    pub reuses: u64,
    /// Idle connections discarded (expired, or found closed by the server).
    pub discarded: u64,
    /// Requests retried on a fresh connection after a reused one failed before any response.
    pub retries: u64,
}

/// Counts open connections of a pool; shared (not through the pool itself, so idle
/// connections do not keep the pool alive).
#[derive(Debug, Default)]
struct OpenCounter {
    pub open: AtomicUsize,
    pub max_open: AtomicUsize,
}

/// Decrements the open count when the connection is dropped (closed).
#[derive(Debug)]
struct OpenToken(Arc<OpenCounter>);

impl OpenToken {
    fn new(counter: Arc<OpenCounter>) -> OpenToken {
        let now = counter.open.fetch_add(1, Ordering::SeqCst) + 1;
        counter.max_open.fetch_max(now, Ordering::SeqCst);
        OpenToken(counter)
    }
}

impl Drop for OpenToken {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A connection with the pool's record of it.
#[derive(Debug)]
struct Entry<C> {
    conn: C,
    created: Instant,
    idle_since: Instant,
    _open: OpenToken,
}

#[derive(Debug)]
struct PoolShared<C: Poolable> {
    rt: Arc<dyn Runtime>,
    opener: C::Opener,
    config: PoolConfig,
    host: String,
    port: u16,
    /// TLS for `https://` URLs: applied to every new connection right after TCP connect.
    tls: Option<Connector>,
    slots: Arc<Semaphore>,
    idle: Mutex<Vec<Entry<C>>>,
    counter: Arc<OpenCounter>,
    connects: AtomicU64,
    reuses: AtomicU64,
    discarded: AtomicU64,
    retries: AtomicU64,
}

/// Connections to one `host:port`.
#[derive(Debug)]
pub(crate) struct Pool<C: Poolable> {
    shared: Arc<PoolShared<C>>,
}

impl<C: Poolable> Clone for Pool<C> {
    fn clone(&self) -> Self {
        Pool {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<C: Poolable> Pool<C> {
    pub(crate) fn new(
        rt: Arc<dyn Runtime>,
        host: String,
        port: u16,
        tls: Option<Connector>,
        config: PoolConfig,
        opener: C::Opener,
    ) -> Pool<C> {
        Pool {
            shared: Arc::new(PoolShared {
                rt,
                opener,
                tls,
                slots: Arc::new(Semaphore::new(config.max_connections.max(1))),
                config,
                host,
                port,
                idle: Mutex::new(Vec::new()),
                counter: Arc::default(),
                connects: AtomicU64::new(0),
                reuses: AtomicU64::new(0),
                discarded: AtomicU64::new(0),
                retries: AtomicU64::new(0),
            }),
        }
    }

    pub(crate) fn stats(&self) -> PoolStats {
        let s = &self.shared;
        PoolStats {
            open: s.counter.open.load(Ordering::SeqCst),
            idle: s.idle.lock().unwrap_or_else(PoisonError::into_inner).len(),
            max_open: s.counter.max_open.load(Ordering::SeqCst),
            connects: s.connects.load(Ordering::Relaxed),
            reuses: s.reuses.load(Ordering::Relaxed),
            discarded: s.discarded.load(Ordering::Relaxed),
            retries: s.retries.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn count_retry(&self) {
        self.shared.retries.fetch_add(1, Ordering::Relaxed);
    }

    /// Takes a connection slot, then an idle connection (unless `fresh`) or a new one.
    pub(crate) async fn acquire(
        &self,
        limits: &IoLimits,
        fresh: bool,
    ) -> Result<PooledConnection<C>> {
        let s = &self.shared;
        let acquire = s.slots.acquire_arc();
        let deadline = limits.deadline;
        let permit = match (s.config.acquire_timeout, deadline) {
            (None, None) => acquire.await,
            (timeout, deadline) => {
                let now = s.rt.now();
                let by_timeout = timeout.map(|t| chwire_rt::deadline_after(now, t));
                let limit = match (by_timeout, deadline) {
                    (Some(a), Some(b)) => a.min(b),
                    (a, b) => a.or(b).unwrap_or(now),
                };
                match s.rt.timeout_at(limit, acquire).await {
                    Ok(p) => p,
                    Err(_) if deadline == Some(limit) => {
                        return Err(Error::Timeout(TimeoutKind::Request));
                    }
                    Err(_) => return Err(Error::Timeout(TimeoutKind::PoolAcquire)),
                }
            }
        };
        while let Some(mut entry) = (!fresh).then(|| self.take_idle()).flatten() {
            let idle_for = s.rt.now().saturating_duration_since(entry.idle_since);
            if s.config.liveness_check && !entry.conn.check(idle_for).await {
                s.discarded.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            s.reuses.fetch_add(1, Ordering::Relaxed);
            return Ok(PooledConnection {
                entry,
                _permit: permit,
                pool: Arc::clone(&self.shared),
                reused: true,
            });
        }
        let entry = self.connect(limits).await?;
        Ok(PooledConnection {
            entry,
            _permit: permit,
            pool: Arc::clone(&self.shared),
            reused: false,
        })
    }

    fn take_idle(&self) -> Option<Entry<C>> {
        let s = &self.shared;
        let now = s.rt.now();
        let mut idle = s.idle.lock().unwrap_or_else(PoisonError::into_inner);
        while let Some(mut entry) = idle.pop() {
            if usable(&s.config, &entry, now) && (!s.config.liveness_check || entry.conn.is_open())
            {
                return Some(entry);
            }
            s.discarded.fetch_add(1, Ordering::Relaxed);
        }
        None
    }

    /// Opens a connection: TCP connect (each address bounded by `connect_timeout`), then the
    /// TLS handshake for `https://` (bounded by `connect_timeout` too); all of it within the
    /// request deadline.
    async fn connect(&self, limits: &IoLimits) -> Result<Entry<C>> {
        let s = &self.shared;
        let attempt = async {
            let io =
                s.rt.connect(&s.host, s.port, s.config.connect_timeout)
                    .await
                    .map_err(|e| {
                        if e.kind() == std::io::ErrorKind::TimedOut {
                            Error::Timeout(TimeoutKind::Connect)
                        } else {
                            Error::Connect {
                                addr: format!("{}:{}", s.host, s.port),
                                source: e,
                            }
                        }
                    })?;
            match &s.tls {
                None => Ok(io),
                Some(tls) => {
                    let addr = format!("{}:{}", s.host, s.port);
                    let handshake = tls.handshake(io, &addr);
                    match s.config.connect_timeout {
                        Some(t) => {
                            s.rt.timeout(t, handshake)
                                .await
                                .map_err(|_| Error::Timeout(TimeoutKind::Connect))?
                        }
                        None => handshake.await,
                    }
                }
            }
        };
        let attempt = async {
            let io = attempt.await?;
            let open = C::open(io, &s.opener, limits);
            match s.config.connect_timeout {
                Some(t) => {
                    s.rt.timeout(t, open)
                        .await
                        .map_err(|_| Error::Timeout(TimeoutKind::Connect))?
                }
                None => open.await,
            }
        };
        let conn = match limits.deadline {
            Some(d) => {
                s.rt.timeout_at(d, attempt)
                    .await
                    .map_err(|_| Error::Timeout(TimeoutKind::Request))??
            }
            None => attempt.await?,
        };
        s.connects.fetch_add(1, Ordering::Relaxed);
        let now = s.rt.now();
        Ok(Entry {
            conn,
            created: now,
            idle_since: now,
            _open: OpenToken::new(Arc::clone(&s.counter)),
        })
    }
}

/// Whether an idle connection may still be reused at `now`.
fn usable<C: Poolable>(config: &PoolConfig, entry: &Entry<C>, now: Instant) -> bool {
    let idle_for = now.saturating_duration_since(entry.idle_since);
    if idle_for >= config.idle_timeout {
        return false;
    }
    if let Some(max) = config.max_lifetime {
        if now.saturating_duration_since(entry.created) >= max {
            return false;
        }
    }
    !entry.conn.expired(idle_for)
}

/// A connection checked out of the pool together with its slot. Dropping it closes the
/// connection and frees the slot; [`release`](Self::release) returns it to the idle list.
#[derive(Debug)]
pub(crate) struct PooledConnection<C: Poolable> {
    entry: Entry<C>,
    _permit: SemaphoreGuardArc,
    pool: Arc<PoolShared<C>>,
    /// Whether the connection had served an earlier request.
    pub reused: bool,
}

impl<C: Poolable> PooledConnection<C> {
    pub(crate) fn connection(&mut self) -> &mut C {
        &mut self.entry.conn
    }

    /// Puts the connection back into the idle list (bounded by `pool_max_idle`), unless it
    /// may not serve another request.
    pub(crate) fn release(self) {
        let PooledConnection {
            mut entry, pool, ..
        } = self;
        let now = pool.rt.now();
        entry.idle_since = now;
        if !usable(&pool.config, &entry, now) {
            return;
        }
        let mut idle = pool.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < pool.config.max_idle {
            idle.push(entry);
        }
    }
}
