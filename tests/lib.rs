//! Shared helpers for the integration test binary (`tests/it`).
//!
//! Every integration case is an `async fn(Arc<dyn Runtime>)` (or `(Arc<dyn Runtime>, Transport)`)
//! marked `#[chwire_tests::case]` where it is defined; [`run`] turns each into one test per
//! runtime (tokio, async-std, smol) and, when it takes one, per [`Transport`], so the three
//! adapters are exercised by the very same code.

use std::net::SocketAddr;
use std::sync::Arc;

use chwire_rt::{Runtime, RuntimeExt};

mod harness;
pub mod tls_proxy;

pub use chwire_tests_macros::{case, test};
pub use harness::{Transport, run};

/// What the registration attributes expand to; not for direct use.
#[doc(hidden)]
pub mod __private {
    pub use crate::harness::{Body, CaseFuture, Registered};
    pub use inventory;
    /// A case's runtime parameter.
    pub type Rt = std::sync::Arc<dyn chwire_rt::Runtime>;
}

/// Base URL of the server under test (`CHWIRE_HTTP_URL`).
///
/// Panics (failing the test, never skipping it) when unset: these tests need a real ClickHouse.
pub fn http_url() -> String {
    std::env::var("CHWIRE_HTTP_URL").unwrap_or_else(|_| no_server("CHWIRE_HTTP_URL"))
}

/// Native TCP address of the server under test (`CHWIRE_TCP_ADDR`).
pub fn tcp_addr() -> SocketAddr {
    let text = std::env::var("CHWIRE_TCP_ADDR").unwrap_or_else(|_| no_server("CHWIRE_TCP_ADDR"));
    text.parse()
        .unwrap_or_else(|_| panic!("CHWIRE_TCP_ADDR={text:?} is not an IP:port address"))
}

/// `host:port` part of [`http_url`], resolved.
pub fn http_addr() -> SocketAddr {
    let url = http_url();
    let authority = url
        .strip_prefix("http://")
        .unwrap_or(&url)
        .trim_end_matches('/');
    authority
        .parse()
        .unwrap_or_else(|_| panic!("CHWIRE_HTTP_URL={url:?} must look like http://IP:PORT"))
}

fn no_server(var: &str) -> ! {
    panic!(
        "{var} is not set: the integration tests need a real ClickHouse server. \
         Run them with `cargo xtask test` (it starts one), or point CHWIRE_HTTP_URL and \
         CHWIRE_TCP_ADDR at a running server."
    )
}

/// A server a test started for itself (to kill and restart it). Killed when dropped, so a
/// failing test leaves no server behind.
#[derive(Debug)]
pub struct OwnServer(Option<xtask::server::RunningServer>);

impl OwnServer {
    /// A configuration on two free ports with a fresh data directory.
    pub fn free_config() -> xtask::server::ServerConfig {
        let (http_port, tcp_port) = xtask::server::free_port_pair().expect("two free ports");
        xtask::server::ServerConfig {
            http_port,
            tcp_port,
            data_dir: None,
        }
    }

    /// Starts a server (on the blocking pool: it waits for `/ping`).
    pub async fn start(rt: &Arc<dyn Runtime>, config: xtask::server::ServerConfig) -> OwnServer {
        let server = rt
            .run_blocking(move || xtask::server::start(&config))
            .await
            .unwrap()
            .expect("start a server");
        OwnServer(Some(server))
    }

    pub fn http_url(&self) -> String {
        self.0.as_ref().expect("a running server").http_url()
    }

    /// SIGKILLs the server and waits until it is gone.
    pub async fn kill(mut self, rt: &Arc<dyn Runtime>) {
        let mut server = self.0.take().expect("a running server");
        rt.run_blocking(move || xtask::server::kill_server(&mut server))
            .await
            .unwrap()
            .expect("kill the server");
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        if let Some(mut server) = self.0.take() {
            let _ = xtask::server::kill_server(&mut server);
        }
    }
}

/// A client builder for the server under test, over `transport`.
pub fn client_builder(rt: Arc<dyn Runtime>, transport: Transport) -> chwire::ClientBuilder {
    match transport {
        Transport::Http => chwire::Client::builder(rt).url(http_url()),
        Transport::Native => chwire::Client::builder(rt).url(native_url()),
    }
}

/// The native URL of the server under test (`clickhouse://` + `CHWIRE_TCP_ADDR`).
pub fn native_url() -> String {
    format!("clickhouse://{}", tcp_addr())
}

/// Every client compression mode, for cases that loop over them.
pub const COMPRESSIONS: [chwire::Compression; 3] = [
    chwire::Compression::None,
    chwire::Compression::Lz4,
    chwire::Compression::Zstd { level: 3 },
];

/// A name unique within this test run (tables of concurrently running cases must not clash).
pub fn unique_name(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

/// Runs `case` on a current-thread tokio runtime: every task shares one thread.
pub fn on_tokio_current_thread<F, Fut>(case: F)
where
    F: FnOnce(Arc<dyn Runtime>) -> Fut,
    Fut: Future<Output = ()>,
{
    block_on_tokio(tokio::runtime::Builder::new_current_thread(), case);
}

/// Runs `case` on a multi-threaded tokio runtime.
pub fn on_tokio<F, Fut>(case: F)
where
    F: FnOnce(Arc<dyn Runtime>) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.worker_threads(2);
    block_on_tokio(builder, case);
}

fn block_on_tokio<F, Fut>(mut builder: tokio::runtime::Builder, case: F)
where
    F: FnOnce(Arc<dyn Runtime>) -> Fut,
    Fut: Future<Output = ()>,
{
    let rt = builder.enable_all().build().expect("tokio runtime");
    let handle: Arc<dyn Runtime> =
        Arc::new(chwire_tokio::TokioRuntime::from_handle(rt.handle().clone()));
    rt.block_on(case(handle));
}

/// Runs `case` on async-std.
pub fn on_async_std<F, Fut>(case: F)
where
    F: FnOnce(Arc<dyn Runtime>) -> Fut,
    Fut: Future<Output = ()>,
{
    let handle: Arc<dyn Runtime> = Arc::new(chwire_async_std::AsyncStdRuntime);
    async_std::task::block_on(case(handle));
}

/// Runs `case` on smol (spawned tasks go to smol's global executor).
pub fn on_smol<F, Fut>(case: F)
where
    F: FnOnce(Arc<dyn Runtime>) -> Fut,
    Fut: Future<Output = ()>,
{
    let handle: Arc<dyn Runtime> = Arc::new(chwire_smol::SmolRuntime::new());
    smol::block_on(case(handle));
}

/// Runs `case` on one smol `Executor` driven by this thread alone: every task chwire spawns
/// shares it with the case.
pub fn on_smol_single_thread<F, Fut>(case: F)
where
    F: FnOnce(Arc<dyn Runtime>) -> Fut,
    Fut: Future<Output = ()>,
{
    let executor = Arc::new(smol::Executor::new());
    let handle: Arc<dyn Runtime> = Arc::new(chwire_smol::SmolRuntime::with_executor(Arc::clone(
        &executor,
    )));
    smol::block_on(executor.run(case(handle)));
}
