//! Several servers behind one client: each endpoint has its own connection pool and a health
//! record; every request gets a plan (the order in which to try the endpoints) from the
//! [`LoadBalancing`] strategy.
//!
//! An endpoint whose connection attempt failed is *unhealthy* for a back-off that doubles with
//! every consecutive failure (`endpoint_backoff`, capped). While it waits it is only tried
//! after every other endpoint (so a client whose servers are all down still makes progress as
//! soon as one comes back); once the back-off has passed, the next request that reaches it in
//! its plan re-probes it, and a successful connection makes it healthy again.
//!
//! Only failures *before any request byte was sent* move a request to the next endpoint
//! (connection refused, connect timeout, TLS handshake): the server cannot have started the
//! query, so trying elsewhere cannot run it twice.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::pool::PoolStats;
use crate::transport::Transport;

/// How a multi-endpoint client spreads requests (see [`ClientBuilder::urls`]).
///
/// [`ClientBuilder::urls`]: crate::ClientBuilder::urls
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum LoadBalancing {
    /// Failover: always the first healthy endpoint in the order given.
    #[default]
    InOrder,
    /// Each request starts at the next endpoint in turn; unhealthy ones are skipped.
    RoundRobin,
}

/// Exponential back-off of an unhealthy endpoint.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Backoff {
    /// The wait after `failures` consecutive failures (≥ 1): `base · 2^(failures-1)`, capped.
    fn delay(self, failures: u32) -> Duration {
        let factor = 1u32 << failures.saturating_sub(1).min(20);
        self.base.saturating_mul(factor).min(self.max)
    }
}

#[derive(Debug, Default)]
struct Health {
    failures: u32,
    retry_at: Option<Instant>,
}

/// One server: its address, transport (with its pool) and health.
#[derive(Debug)]
pub(crate) struct Endpoint {
    pub host: String,
    pub port: u16,
    pub transport: Transport,
    health: Mutex<Health>,
}

impl Endpoint {
    pub(crate) fn new(host: String, port: u16, transport: Transport) -> Endpoint {
        Endpoint {
            host,
            port,
            transport,
            health: Mutex::default(),
        }
    }

    fn health(&self) -> std::sync::MutexGuard<'_, Health> {
        self.health.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The endpoints of a client and the strategy choosing among them.
#[derive(Debug)]
pub(crate) struct Endpoints {
    pub list: Vec<Endpoint>,
    strategy: LoadBalancing,
    backoff: Backoff,
    next: AtomicUsize,
}

impl Endpoints {
    pub(crate) fn new(list: Vec<Endpoint>, strategy: LoadBalancing, backoff: Backoff) -> Self {
        assert!(!list.is_empty(), "a client has at least one endpoint");
        Endpoints {
            list,
            strategy,
            backoff,
            next: AtomicUsize::new(0),
        }
    }

    pub(crate) fn get(&self, i: usize) -> &Endpoint {
        &self.list[i.min(self.list.len() - 1)]
    }

    /// The order in which one request tries the endpoints: healthy (or due for a re-probe)
    /// ones in strategy order, then those still backing off, soonest first.
    pub(crate) fn plan(&self, now: Instant) -> Vec<usize> {
        let n = self.list.len();
        if n == 1 {
            return vec![0];
        }
        let start = match self.strategy {
            LoadBalancing::InOrder => 0,
            LoadBalancing::RoundRobin => self.next.fetch_add(1, Ordering::Relaxed) % n,
        };
        let mut ready = Vec::with_capacity(n);
        let mut waiting = Vec::new();
        for k in 0..n {
            let i = (start + k) % n;
            match self.list[i].health().retry_at {
                Some(t) if t > now => waiting.push((t, i)),
                _ => ready.push(i),
            }
        }
        waiting.sort();
        ready.extend(waiting.into_iter().map(|(_, i)| i));
        ready
    }

    /// A connection to endpoint `i` could not be opened at `now`.
    pub(crate) fn failed(&self, i: usize, now: Instant) {
        let mut h = self.get(i).health();
        h.failures = h.failures.saturating_add(1);
        h.retry_at = Some(now + self.backoff.delay(h.failures));
    }

    /// Endpoint `i` answered: healthy again.
    pub(crate) fn succeeded(&self, i: usize) {
        let mut h = self.get(i).health();
        if h.failures != 0 || h.retry_at.is_some() {
            *h = Health::default();
        }
    }

    /// Whether every endpoint speaks the native protocol, whose inserts take blocks (not
    /// encoded bytes).
    pub(crate) fn all_native(&self) -> bool {
        self.list
            .iter()
            .all(|e| matches!(e.transport, Transport::Native(_)))
    }

    /// Whether some endpoint speaks the native protocol.
    pub(crate) fn any_native(&self) -> bool {
        self.list
            .iter()
            .any(|e| matches!(e.transport, Transport::Native(_)))
    }

    /// The pools' counters added up.
    pub(crate) fn pool_stats(&self) -> PoolStats {
        let mut total = PoolStats::default();
        for e in &self.list {
            let s = e.transport.pool_stats();
            total.open += s.open;
            total.idle += s.idle;
            total.max_open += s.max_open;
            total.connects += s.connects;
            total.reuses += s.reuses;
            total.discarded += s.discarded;
            total.retries += s.retries;
        }
        total
    }

    /// Each endpoint's pool counters by pool name (`host:port`).
    pub(crate) fn named_pool_stats(&self) -> Vec<(String, PoolStats)> {
        self.list
            .iter()
            .map(|e| (format!("{}:{}", e.host, e.port), e.transport.pool_stats()))
            .collect()
    }

    pub(crate) fn stats(&self, now: Instant) -> Vec<EndpointStats> {
        self.list
            .iter()
            .map(|e| {
                let h = e.health();
                EndpointStats {
                    address: format!("{}:{}", e.host, e.port),
                    healthy: h.retry_at.is_none_or(|t| t <= now) && h.failures == 0,
                    consecutive_failures: h.failures,
                    pool: e.transport.pool_stats(),
                }
            })
            .collect()
    }
}

/// A snapshot of one endpoint ([`Client::endpoint_stats`](crate::Client::endpoint_stats)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EndpointStats {
    /// `host:port`.
    pub address: String,
    /// No connection failure since the last success.
    pub healthy: bool,
    /// Connection failures in a row (drives the back-off).
    pub consecutive_failures: u32,
    /// The endpoint's own pool.
    pub pool: PoolStats,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let b = Backoff {
            base: Duration::from_millis(100),
            max: Duration::from_secs(1),
        };
        assert_eq!(b.delay(1), Duration::from_millis(100));
        assert_eq!(b.delay(2), Duration::from_millis(200));
        assert_eq!(b.delay(4), Duration::from_millis(800));
        assert_eq!(b.delay(5), Duration::from_secs(1));
        assert_eq!(b.delay(u32::MAX), Duration::from_secs(1));
    }
}
