//! `cargo xtask golden`: re-captures the golden wire vectors of `chwire-proto` from a real server.
//!
//! Each area under `crates/chwire-proto/tests/golden/` keeps the query next to the bytes it
//! produced, so the vectors can be regenerated and reviewed as a diff:
//!
//! | area | input | outputs |
//! | --- | --- | --- |
//! | `native` | `CASE.sql` | `CASE.bin` (`FORMAT Native`), `CASE.native.lz4` / `CASE.native.zstd` (same, `compress=1`) |
//! | `rowbinary` | `CASE.sql` | `CASE.bin` (`RowBinaryWithNamesAndTypes`), `CASE.btypes.bin` (binary type header) |
//! | `compression` | `CASE.url` (path and query string) | `CASE.native` when present, else `CASE.bin` |
//! | `http` | `capture.py` | raw request/response pairs (`CASE.req`, `CASE.http`) |
//! | `tcp` | `CASE.script` | native-protocol exchanges per revision and compression (`CASE.REV.COMP.req` client bytes, `CASE.REV.COMP.tcp` server replies), see [`crate::golden_tcp`] |
//!
//! `setup.sql` in an area (statements separated by `;` at line ends) runs first: tables that
//! cases read.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::http::{post, request};
use crate::server::{self, ServerConfig};

/// Settings every capture uses so vectors do not depend on the machine's time zone.
const COMMON: &str = "session_timezone=UTC";

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let areas: Vec<&str> = if args.is_empty() {
        vec!["native", "rowbinary", "compression", "http", "tcp"]
    } else {
        args.iter().map(String::as_str).collect()
    };
    let root = server::workspace_root().join("crates/chwire-proto/tests/golden");

    let (port, mut started) = match std::env::var(crate::testrun::HTTP_URL_VAR) {
        Ok(url) => (port_of(&url)?, None),
        Err(_) => {
            let (http_port, tcp_port) = server::free_port_pair().map_err(|e| e.to_string())?;
            let data_dir = server::state_dir(http_port).join("data");
            let _ = fs::remove_dir_all(&data_dir);
            let running = server::start(&ServerConfig {
                http_port,
                tcp_port,
                data_dir: Some(data_dir),
            })
            .map_err(|e| e.to_string())?;
            (http_port, Some(running))
        }
    };
    let version = server::version(port).map_err(|e| e.to_string())?;
    eprintln!("xtask golden: capturing from ClickHouse {version} on port {port}");

    let tcp_addr = match (&started, std::env::var(crate::testrun::TCP_ADDR_VAR)) {
        (Some(running), _) => Some(running.tcp_addr()),
        (None, Ok(addr)) => Some(addr),
        (None, Err(_)) => None,
    };
    let result = areas.iter().try_for_each(|area| {
        if *area == "tcp" {
            let addr = tcp_addr
                .as_deref()
                .ok_or_else(|| format!("golden tcp needs {}", crate::testrun::TCP_ADDR_VAR))?;
            run_setup(port, &root.join("native"))?;
            run_setup(port, &root.join("tcp"))?;
            let count = crate::golden_tcp::capture(addr, &root.join("tcp"))?;
            eprintln!("xtask golden: tcp: {count} exchanges captured");
            return Ok(());
        }
        capture_area(port, &root.join(area), area)
    });
    if let Some(running) = started.as_mut() {
        let _ = server::stop_server(running);
    }
    result.map(|()| ExitCode::SUCCESS)
}

fn port_of(url: &str) -> Result<u16, String> {
    url.rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .ok_or_else(|| format!("cannot read a port from {url:?}"))
}

fn capture_area(port: u16, dir: &Path, area: &str) -> Result<(), String> {
    if !dir.is_dir() {
        return Err(format!("no golden area {}", dir.display()));
    }
    run_setup(port, dir)?;
    let mut count = 0;
    match area {
        "native" => {
            for (case, sql) in cases(dir, "sql")? {
                let query = format!("{} FORMAT Native", sql.trim());
                write(
                    &dir.join(format!("{case}.bin")),
                    &post(port, COMMON, &query)?,
                )?;
                for method in ["lz4", "zstd"] {
                    let params = format!("{COMMON}&compress=1&network_compression_method={method}");
                    let bytes = post(port, &params, &query)?;
                    write(&dir.join(format!("{case}.native.{method}")), &bytes)?;
                }
                count += 1;
            }
        }
        "rowbinary" => {
            for (case, sql) in cases(dir, "sql")? {
                let query = format!("{} FORMAT RowBinaryWithNamesAndTypes", sql.trim());
                write(
                    &dir.join(format!("{case}.bin")),
                    &post(port, COMMON, &query)?,
                )?;
                let params =
                    format!("{COMMON}&output_format_binary_encode_types_in_binary_format=1");
                write(
                    &dir.join(format!("{case}.btypes.bin")),
                    &post(port, &params, &query)?,
                )?;
                count += 1;
            }
        }
        "compression" => {
            for (case, url) in cases(dir, "url")? {
                let path = url
                    .trim()
                    .split_once("://")
                    .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
                    .ok_or_else(|| format!("{case}.url: expected an http:// URL"))?;
                let (status, body) = request(port, "GET", &path, b"")?;
                if status != 200 {
                    return Err(format!(
                        "{case}: HTTP {status}: {}",
                        String::from_utf8_lossy(&body)
                    ));
                }
                let native = dir.join(format!("{case}.native"));
                let out = if native.exists() {
                    native
                } else {
                    dir.join(format!("{case}.bin"))
                };
                write(&out, &body)?;
                count += 1;
            }
        }
        "http" => {
            let status = Command::new("python3")
                .arg(dir.join("capture.py"))
                .env("CHWIRE_CAPTURE_PORT", port.to_string())
                .current_dir(dir)
                .status()
                .map_err(|e| format!("cannot run capture.py: {e}"))?;
            if !status.success() {
                return Err(format!("http/capture.py failed: {status}"));
            }
            count = cases(dir, "req")?.len();
        }
        other => return Err(format!("unknown golden area `{other}`")),
    }
    eprintln!("xtask golden: {area}: {count} cases captured");
    Ok(())
}

fn run_setup(port: u16, dir: &Path) -> Result<(), String> {
    let Ok(text) = fs::read_to_string(dir.join("setup.sql")) else {
        return Ok(());
    };
    for statement in setup_statements(&text) {
        post(port, COMMON, &statement)?;
    }
    Ok(())
}

/// The statements of a golden area's `setup.sql`: separated by `;` at a line end, `--` comment
/// lines dropped.
pub fn setup_statements(text: &str) -> Vec<String> {
    text.split(";\n")
        .map(|statement| {
            statement
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .trim_end_matches(';')
                .to_owned()
        })
        .filter(|statement| !statement.is_empty())
        .collect()
}

/// `(case name, file text)` for every `*.ext` in `dir`, sorted.
fn cases(dir: &Path, ext: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path: PathBuf = entry.map_err(|e| e.to_string())?.path();
        if path.extension().and_then(|e| e.to_str()) != Some(ext) {
            continue;
        }
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if stem == "setup" {
            continue;
        }
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        out.push((stem.to_string(), text));
    }
    out.sort();
    Ok(out)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}
