//! `cargo xtask test`: the test suite against a real server.
//!
//! Uses the server named by `CHWIRE_HTTP_URL`/`CHWIRE_TCP_ADDR` when set; otherwise starts one on
//! free ports with a fresh data directory, runs `cargo test`, and stops the server it started
//! whatever happens — test failure, Ctrl-C, SIGTERM. The exit code is the tests' result.

use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::server::{self, ServerConfig};

pub const HTTP_URL_VAR: &str = "CHWIRE_HTTP_URL";
pub const TCP_ADDR_VAR: &str = "CHWIRE_TCP_ADDR";

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let cargo_args: Vec<String> = if args.is_empty() {
        vec!["--workspace".to_string()]
    } else {
        args.to_vec()
    };

    // Pids to signal if we are interrupted: the test run, and the server we started.
    let test_pid = Arc::new(AtomicU32::new(0));
    let server_pid = Arc::new(AtomicU32::new(0));
    {
        let test_pid = test_pid.clone();
        ctrlc::set_handler(move || {
            // Keep xtask alive so it can stop the server; end the test run (a Ctrl-C reaches
            // it directly too, a SIGTERM aimed at xtask does not).
            let pid = test_pid.load(Ordering::SeqCst);
            if pid != 0 {
                let _ = Command::new("kill").arg(pid.to_string()).status();
            }
        })
        .map_err(|e| format!("cannot install the signal handler: {e}"))?;
    }

    if let Ok(url) = std::env::var(HTTP_URL_VAR) {
        let tcp = std::env::var(TCP_ADDR_VAR).unwrap_or_default();
        eprintln!("xtask: testing against the given server {url} (TCP {tcp})");
        return run_cargo_test(&cargo_args, &url, &tcp, &test_pid);
    }

    let (http_port, tcp_port) = server::free_port_pair().map_err(|e| e.to_string())?;
    let data_dir = server::state_dir(http_port).join("data");
    let _ = std::fs::remove_dir_all(&data_dir);
    let mut running = server::start(&ServerConfig {
        http_port,
        tcp_port,
        data_dir: Some(data_dir),
    })
    .map_err(|e| e.to_string())?;
    server_pid.store(running.pid, Ordering::SeqCst);
    let version = server::version(http_port).unwrap_or_else(|e| e.to_string());
    eprintln!(
        "xtask: ClickHouse {version} started for the tests: {} / {} (pid {})",
        running.http_url(),
        running.tcp_addr(),
        running.pid
    );

    let result = run_cargo_test(
        &cargo_args,
        &running.http_url(),
        &running.tcp_addr(),
        &test_pid,
    );
    match server::stop_server(&mut running) {
        Ok(()) => eprintln!("xtask: stopped the test server (pid {})", running.pid),
        Err(e) => eprintln!("xtask: warning: {e}"),
    }
    result
}

fn run_cargo_test(
    cargo_args: &[String],
    http_url: &str,
    tcp_addr: &str,
    test_pid: &AtomicU32,
) -> Result<ExitCode, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut child = Command::new(cargo)
        .arg("test")
        .args(cargo_args)
        .env(HTTP_URL_VAR, http_url)
        .env(TCP_ADDR_VAR, tcp_addr)
        .current_dir(server::workspace_root())
        .spawn()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    test_pid.store(child.id(), Ordering::SeqCst);
    let status = child
        .wait()
        .map_err(|e| format!("waiting for cargo test: {e}"))?;
    test_pid.store(0, Ordering::SeqCst);
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}
