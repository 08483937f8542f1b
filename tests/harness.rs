//! The `it` binary's harness: cases register themselves where they are defined
//! (`#[chwire_tests::case]`, `#[chwire_tests::test]`), and [`run`] expands them over the
//! runtime × transport matrix into libtest-compatible trials (same names, filters, `--list`).

use std::future::Future;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::Arc;

use chwire_rt::Runtime;

/// How a case reaches the server under test: the second axis of the matrix.
///
/// A case that takes a `Transport` runs once per entry of [`Transport::ALL`]; one that does
/// not is about one transport only (raw sockets, scripted HTTP peers, TLS proxies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// ClickHouse's HTTP interface (`CHWIRE_HTTP_URL`).
    Http,
}

impl Transport {
    /// Every transport the per-transport cases run on (one line per transport).
    pub const ALL: &[Transport] = &[Transport::Http];

    /// The test-name segment after the runtime. HTTP has none: its tests keep the names they
    /// had before there was a second transport (`tokio::query::execute_ddl`).
    fn segment(self) -> Option<&'static str> {
        match self {
            Transport::Http => None,
        }
    }
}

/// The runtimes every case runs on, by test-name prefix.
/// Blocks on a case on one runtime.
type BlockOn = fn(Case);

const RUNTIMES: &[(&str, BlockOn)] = &[
    ("tokio", |case| crate::on_tokio(case)),
    ("async_std", |case| crate::on_async_std(case)),
    ("smol", |case| crate::on_smol(case)),
];

type Case = Box<dyn FnOnce(Arc<dyn Runtime>) -> CaseFuture>;

/// What a registered case returns (runtimes block on it on the test's own thread).
pub type CaseFuture = Pin<Box<dyn Future<Output = ()>>>;

/// A registered function: what the attributes put in the registry.
#[derive(Debug)]
pub struct Registered {
    /// `module_path!()` where it is defined (`it::smoke`).
    pub module: &'static str,
    pub name: &'static str,
    pub body: Body,
}

/// How a registered function runs.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    /// Once per runtime.
    Case(fn(Arc<dyn Runtime>) -> CaseFuture),
    /// Once per runtime and transport.
    PerTransport(fn(Arc<dyn Runtime>, Transport) -> CaseFuture),
    /// Once, as a plain test.
    Test(fn()),
}

inventory::collect!(Registered);

/// One test name and what it runs: every registered function expanded over the matrix.
fn trials() -> Vec<(String, Box<dyn FnOnce() + Send>)> {
    let mut out: Vec<(String, Box<dyn FnOnce() + Send>)> = Vec::new();
    for r in inventory::iter::<Registered> {
        // Names are relative to the binary's root (`it::smoke` → `smoke`).
        let path = match r.module.split_once("::") {
            Some((_, module)) => format!("{module}::{}", r.name),
            None => r.name.to_string(),
        };
        match r.body {
            Body::Test(f) => out.push((path, Box::new(f))),
            Body::Case(f) => {
                for &(runtime, block_on) in RUNTIMES {
                    let run = move || block_on(Box::new(f));
                    out.push((format!("{runtime}::{path}"), Box::new(run)));
                }
            }
            Body::PerTransport(f) => {
                for &(runtime, block_on) in RUNTIMES {
                    for &transport in Transport::ALL {
                        let name = match transport.segment() {
                            Some(t) => format!("{runtime}::{t}::{path}"),
                            None => format!("{runtime}::{path}"),
                        };
                        let run = move || block_on(Box::new(move |rt| f(rt, transport)));
                        out.push((name, Box::new(run)));
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The `it` binary's `main`: runs the registered tests like libtest would (arguments, one or
/// several filters, `--list`, `RUST_TEST_THREADS`, exit code).
pub fn run() -> ExitCode {
    let (options, filters) = split_filters(std::env::args().collect());
    let mut args = libtest_mimic::Arguments::from_iter(options);
    if args.test_threads.is_none() {
        args.test_threads = std::env::var("RUST_TEST_THREADS")
            .ok()
            .and_then(|n| n.parse().ok());
    }
    let selected = |name: &str| {
        filters.is_empty()
            || filters.iter().any(|f| {
                if args.exact {
                    name == f
                } else {
                    name.contains(f.as_str())
                }
            })
    };
    let trials = trials();
    let mut names: Vec<&str> = trials.iter().map(|(n, _)| n.as_str()).collect();
    names.dedup();
    assert_eq!(names.len(), trials.len(), "two tests share a name");
    let trials = trials
        .into_iter()
        .filter(|(name, _)| selected(name))
        .map(|(name, run)| {
            libtest_mimic::Trial::test(name, move || {
                run();
                Ok(())
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}

/// Options that take a value as the next argument (libtest's).
const VALUE_OPTIONS: &[&str] = &[
    "--skip",
    "--test-threads",
    "--logfile",
    "--color",
    "--format",
    "-Z",
];

/// Splits the command line into options and test-name filters: libtest takes several filters,
/// libtest-mimic one, so [`run`] applies them itself.
fn split_filters(args: Vec<String>) -> (Vec<String>, Vec<String>) {
    let (mut options, mut filters) = (Vec::new(), Vec::new());
    let mut args = args.into_iter();
    options.extend(args.next()); // the program name
    while let Some(arg) = args.next() {
        if VALUE_OPTIONS.contains(&arg.as_str()) {
            options.push(arg);
            options.extend(args.next());
        } else if arg.starts_with('-') {
            options.push(arg);
        } else {
            filters.push(arg);
        }
    }
    (options, filters)
}
