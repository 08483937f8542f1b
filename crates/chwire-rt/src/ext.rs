//! [`RuntimeExt`]: generic conveniences written once on top of the object-safe [`Runtime`].
//!
//! These need generic parameters (closures, arbitrary futures, return values), which an
//! object-safe trait cannot have; a blanket-implemented extension trait gives them to every
//! runtime, including `dyn Runtime` and `Arc<dyn Runtime>`, without adapters duplicating logic.

use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::panic::{self, AssertUnwindSafe};
use std::pin::pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures_util::future::{self, Either};

use crate::error::{BlockingError, Elapsed};
use crate::runtime::{AsyncIo, Runtime, deadline_after};

/// Generic helpers available on every [`Runtime`] (blanket-implemented, including for
/// `dyn Runtime`; `Arc<dyn Runtime>` reaches them through auto-deref).
pub trait RuntimeExt: Runtime {
    /// Runs `f` on the runtime's blocking pool and returns its value.
    ///
    /// A panic in `f` is caught on the blocking thread and returned as
    /// [`BlockingError::Panicked`] rather than unwinding into the caller: a bug in, say, a
    /// decompressor should fail one query, not the task (or thread) driving the connection.
    /// `f` is submitted immediately; the returned future does not borrow `self`.
    fn run_blocking<F, R>(
        &self,
        f: F,
    ) -> impl Future<Output = Result<R, BlockingError>> + Send + 'static
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        // The blocking closure is type-erased (`Box<dyn FnOnce()>`), so its value travels back
        // through a shared slot, read once the runtime reports the closure finished.
        let slot: Arc<Mutex<Option<Result<R, BlockingError>>>> = Arc::new(Mutex::new(None));
        let writer = Arc::clone(&slot);
        let finished = self.spawn_blocking(Box::new(move || {
            // AssertUnwindSafe: after a panic nothing observes `f`'s state again; the payload is
            // the only thing that leaves the closure.
            let outcome =
                panic::catch_unwind(AssertUnwindSafe(f)).map_err(BlockingError::from_panic);
            *writer.lock().unwrap_or_else(PoisonError::into_inner) = Some(outcome);
        }));
        async move {
            finished.await;
            let outcome = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
            // An empty slot means the runtime dropped the closure without running it.
            outcome.unwrap_or(Err(BlockingError::Cancelled))
        }
    }

    /// Resolves `fut`, or fails with [`Elapsed`] once `duration` (counted from this call) has
    /// passed. `fut` is polled first, so an already-complete future wins over an expired timer.
    fn timeout<F>(
        &self,
        duration: Duration,
        fut: F,
    ) -> impl Future<Output = Result<F::Output, Elapsed>> + Send
    where
        F: Future + Send,
    {
        self.timeout_at(deadline_after(self.now(), duration), fut)
    }

    /// Like [`timeout`](Self::timeout) with an absolute deadline, for budgets shared across
    /// several steps (connect, handshake, first response).
    fn timeout_at<F>(
        &self,
        deadline: Instant,
        fut: F,
    ) -> impl Future<Output = Result<F::Output, Elapsed>> + Send
    where
        F: Future + Send,
    {
        let timer = self.sleep_until(deadline);
        async move {
            match future::select(pin!(fut), timer).await {
                Either::Left((output, _)) => Ok(output),
                Either::Right(((), _)) => Err(Elapsed),
            }
        }
    }

    /// Resolves `host` to socket addresses, in the order the system resolver returns them.
    ///
    /// The system resolver (`getaddrinfo`) blocks, sometimes for seconds, so it runs on the
    /// blocking pool: DNS must never stall the event loop. IP literals (`127.0.0.1`, `::1`,
    /// `[::1]`) are answered directly, without a thread hop. Never returns an empty list.
    fn resolve(
        &self,
        host: &str,
        port: u16,
    ) -> impl Future<Output = io::Result<Vec<SocketAddr>>> + Send + 'static {
        if let Some(ip) = parse_ip_literal(host) {
            return Either::Left(future::ready(Ok(vec![SocketAddr::new(ip, port)])));
        }
        let owned_host = host.to_owned();
        let lookup = self.run_blocking(move || {
            (owned_host.as_str(), port)
                .to_socket_addrs()
                .map(Iterator::collect::<Vec<_>>)
        });
        let host = host.to_owned();
        Either::Right(async move {
            let addrs = lookup.await??;
            if addrs.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("no addresses found for host {host:?}"),
                ));
            }
            Ok(addrs)
        })
    }

    /// Resolves `host` and connects to its addresses in order, returning the first stream that
    /// connects (with `TCP_NODELAY`, see [`Runtime::connect_tcp`]).
    ///
    /// `attempt_timeout` bounds each address separately, so a blackholed first address (a
    /// typical `localhost` → `::1` situation) does not consume the whole budget; wrap the call in
    /// [`timeout`](Self::timeout) for an overall limit. When every address fails the error
    /// lists each attempt and carries the last attempt's kind.
    fn connect(
        &self,
        host: &str,
        port: u16,
        attempt_timeout: Option<Duration>,
    ) -> impl Future<Output = io::Result<Box<dyn AsyncIo>>> + Send {
        let resolved = self.resolve(host, port);
        async move {
            let mut failures = Vec::new();
            let mut last_kind = io::ErrorKind::NotFound;
            for addr in resolved.await? {
                let attempt = self.connect_tcp(addr);
                let outcome = match attempt_timeout {
                    Some(limit) => self
                        .timeout(limit, attempt)
                        .await
                        .unwrap_or_else(|elapsed| Err(elapsed.into())),
                    None => attempt.await,
                };
                match outcome {
                    Ok(stream) => return Ok(stream),
                    Err(e) => {
                        last_kind = e.kind();
                        failures.push(format!("{addr}: {e}"));
                    }
                }
            }
            Err(io::Error::new(
                last_kind,
                format!(
                    "could not connect to {host}:{port} ({})",
                    failures.join("; ")
                ),
            ))
        }
    }
}

impl<T: Runtime + ?Sized> RuntimeExt for T {}

/// An IP address literal, optionally in URL-style brackets (`[::1]`).
fn parse_ip_literal(host: &str) -> Option<IpAddr> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Some(ip);
    }
    let inner = host.strip_prefix('[')?.strip_suffix(']')?;
    inner.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
}

#[cfg(test)]
mod tests {
    use super::parse_ip_literal;
    use crate::{Runtime, RuntimeExt};
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    use std::time::Duration;

    /// Compile-time check: the futures documented as `'static` do not borrow the runtime, and
    /// all of them are `Send` so they can run on multi-threaded executors.
    #[allow(dead_code)]
    fn returned_futures_are_send_and_static(rt: &dyn Runtime) {
        fn send_static<T: Send + 'static>(_: T) {}
        fn send<T: Send>(_: T) {}
        send_static(rt.run_blocking(|| 1));
        send_static(rt.resolve("localhost", 1));
        send(rt.timeout(Duration::ZERO, async {}));
        send(rt.connect("localhost", 1, None));
    }

    #[test]
    fn ip_literals() {
        assert_eq!(
            parse_ip_literal("127.0.0.1"),
            Some(IpAddr::V4(Ipv4Addr::LOCALHOST))
        );
        assert_eq!(
            parse_ip_literal("::1"),
            Some(IpAddr::V6(Ipv6Addr::LOCALHOST))
        );
        assert_eq!(
            parse_ip_literal("[::1]"),
            Some(IpAddr::V6(Ipv6Addr::LOCALHOST))
        );
        assert_eq!(parse_ip_literal("[127.0.0.1]"), None);
        assert_eq!(parse_ip_literal("localhost"), None);
        assert_eq!(parse_ip_literal(""), None);
    }
}
