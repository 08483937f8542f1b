//! Running a program against a server that lives exactly as long as the program: the one named
//! by `CHWIRE_HTTP_URL`/`CHWIRE_TCP_ADDR`, or one started on free ports with a fresh data
//! directory and stopped afterwards whatever happens — failure, Ctrl-C, SIGTERM. Shared by
//! `cargo xtask demo` and `cargo xtask bench`.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::server::{self, ServerConfig};
use crate::testrun::{HTTP_URL_VAR, TCP_ADDR_VAR};

/// Runs `command` (its environment gets the server's URL and TCP address) with a server, then
/// stops the server if this function started it. The exit code is the command's.
pub fn run_with_server(what: &str, mut command: Command) -> Result<ExitCode, String> {
    // Pid to signal if we are interrupted: keep xtask alive so it can stop the server, end the
    // child (a Ctrl-C reaches it directly too, a SIGTERM aimed at xtask does not).
    let child_pid = Arc::new(AtomicU32::new(0));
    {
        let child_pid = child_pid.clone();
        ctrlc::set_handler(move || {
            let pid = child_pid.load(Ordering::SeqCst);
            if pid != 0 {
                let _ = Command::new("kill").arg(pid.to_string()).status();
            }
        })
        .map_err(|e| format!("cannot install the signal handler: {e}"))?;
    }

    if let Ok(url) = std::env::var(HTTP_URL_VAR) {
        let tcp = std::env::var(TCP_ADDR_VAR).unwrap_or_default();
        eprintln!("xtask: running the {what} against the given server {url}");
        command.env(HTTP_URL_VAR, &url).env(TCP_ADDR_VAR, &tcp);
        return run_child(what, command, &child_pid);
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
    let version = server::version(http_port).unwrap_or_else(|e| e.to_string());
    eprintln!(
        "xtask: ClickHouse {version} started for the {what}: {} (pid {})",
        running.http_url(),
        running.pid
    );
    command
        .env(HTTP_URL_VAR, running.http_url())
        .env(TCP_ADDR_VAR, running.tcp_addr());
    let result = run_child(what, command, &child_pid);
    match server::stop_server(&mut running) {
        Ok(()) => eprintln!("xtask: stopped the server (pid {})", running.pid),
        Err(e) => eprintln!("xtask: warning: {e}"),
    }
    result
}

fn run_child(what: &str, mut command: Command, child_pid: &AtomicU32) -> Result<ExitCode, String> {
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start the {what}: {e}"))?;
    child_pid.store(child.id(), Ordering::SeqCst);
    let status = child
        .wait()
        .map_err(|e| format!("waiting for the {what}: {e}"))?;
    child_pid.store(0, Ordering::SeqCst);
    Ok(exit_code(status))
}

pub fn exit_code(status: std::process::ExitStatus) -> ExitCode {
    match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    }
}

/// `cargo <args>` in the workspace root.
pub fn cargo(args: &[&str]) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(cargo);
    command.args(args).current_dir(server::workspace_root());
    command
}

/// Runs `cargo <args>` to completion (a build before any server starts, so a compile error
/// costs no server start and the compiler does not compete with the server).
pub fn cargo_build(args: &[&str]) -> Result<(), String> {
    let status = cargo(args)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed", args.join(" ")))
    }
}

/// `path` relative to the workspace root when it is inside it (for messages).
pub fn display_path(path: &Path) -> String {
    path.strip_prefix(server::workspace_root())
        .unwrap_or(path)
        .display()
        .to_string()
}
