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
    /// The native TCP protocol (`clickhouse://` + `CHWIRE_TCP_ADDR`).
    Native,
}

impl Transport {
    /// Every transport the per-transport cases run on (one line per transport).
    pub const ALL: &[Transport] = &[Transport::Http, Transport::Native];

    /// The test-name segment after the runtime. HTTP has none: its tests keep the names they
    /// had before there was a second transport (`tokio::query::execute_ddl`).
    fn segment(self) -> Option<&'static str> {
        match self {
            Transport::Http => None,
            Transport::Native => Some("native"),
        }
    }
}

/// Per-transport cases that do not pass over the native transport yet, with why: listed
/// (as ignored tests, so `--ignored` runs them) rather than silently skipped. Each entry
/// goes when its feature lands; an entry naming no case fails the run.
const NATIVE_PENDING: &[(&str, &str)] = &[];

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

/// A test: its name, whether it is ignored (with why), and what it runs.
type TrialFn = (String, Option<&'static str>, Box<dyn FnOnce() + Send>);

/// One test name and what it runs: every registered function expanded over the matrix.
fn trials() -> Vec<TrialFn> {
    let mut out: Vec<TrialFn> = Vec::new();
    for r in inventory::iter::<Registered> {
        // Names are relative to the binary's root (`it::smoke` → `smoke`).
        let path = match r.module.split_once("::") {
            Some((_, module)) => format!("{module}::{}", r.name),
            None => r.name.to_string(),
        };
        match r.body {
            Body::Test(f) => out.push((path, None, Box::new(f))),
            Body::Case(f) => {
                for &(runtime, block_on) in RUNTIMES {
                    let run = move || block_on(Box::new(f));
                    out.push((format!("{runtime}::{path}"), None, Box::new(run)));
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
                        let pending = (transport == Transport::Native)
                            .then(|| NATIVE_PENDING.iter().find(|(p, _)| *p == path))
                            .flatten()
                            .map(|(_, why)| *why);
                        out.push((name, pending, Box::new(run)));
                    }
                }
            }
        }
    }
    // Each entry must name a case of this binary (the list is shared by every test binary on
    // this harness: an entry whose module this binary has no case of is another binary's).
    for (pending, _) in NATIVE_PENDING {
        let module = pending.split("::").next().unwrap_or(pending);
        let has_module = out
            .iter()
            .any(|t| t.0.contains(&format!("::native::{module}::")));
        let listed = out
            .iter()
            .any(|t| t.0.ends_with(&format!("::native::{pending}")));
        assert!(
            !has_module || listed,
            "NATIVE_PENDING names no case: {pending}"
        );
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The `it` binary's `main`: runs the registered tests like libtest would (arguments, one or
/// several filters, `--list`, `RUST_TEST_THREADS`, exit code).
pub fn run() -> ExitCode {
    // Each case runs a whole client (and, in debug builds, large futures) on a test thread:
    // the 2 MiB default overflowed on the fairness cases. Read once, at the first spawn.
    if std::env::var_os("RUST_MIN_STACK").is_none() {
        // SAFETY: no other thread exists yet (the runner spawns its threads below).
        unsafe { std::env::set_var("RUST_MIN_STACK", "33554432") };
    }
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
    let mut names: Vec<&str> = trials.iter().map(|(n, _, _)| n.as_str()).collect();
    names.dedup();
    assert_eq!(names.len(), trials.len(), "two tests share a name");
    let trials = trials
        .into_iter()
        .filter(|(name, _, _)| selected(name))
        .map(|(name, pending, run)| {
            let trial = libtest_mimic::Trial::test(name, move || {
                run();
                Ok(())
            });
            match pending {
                Some(why) => trial.with_ignored_flag(true).with_kind(why),
                None => trial,
            }
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
