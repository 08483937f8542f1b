//! Peak RSS measured in a child process: this binary run again with a hidden flag streams one
//! result and prints `key=value` fields with its `VmHWM`, so only what that one stream
//! allocated counts, nothing else the benchmark holds. Shared by `arrow_rss` and `stream_rss`.

use std::process::Command;
use std::sync::Arc;

use crate::BoxError;

/// A child's printed fields (`rows=... vmhwm_kb=... seconds=...`).
pub struct Fields(String);

impl Fields {
    pub fn get(&self, name: &str) -> Result<f64, BoxError> {
        self.0
            .split_whitespace()
            .find_map(|w| w.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("RSS child: no {name} in {:?}", self.0).into())
    }
}

/// Runs this binary with `flag` and `args` (passing `--glibc-malloc-defaults` on) and returns
/// what it printed.
pub fn run_child(flag: &str, args: &[&str]) -> Result<Fields, BoxError> {
    let mut command = Command::new(std::env::current_exe()?);
    command.arg(flag).args(args);
    if std::env::args().any(|a| a == "--glibc-malloc-defaults") {
        command.arg("--glibc-malloc-defaults");
    }
    let out = command.output()?;
    if !out.status.success() {
        return Err(format!(
            "RSS child {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(Fields(String::from_utf8_lossy(&out.stdout).into_owned()))
}

/// The child's runtime: tokio multi-thread, with the malloc thresholds every bench client gets
/// (unless `args` asks for the defaults).
pub fn child_runtime(
    args: &[String],
) -> Result<(tokio::runtime::Runtime, Arc<dyn chwire_rt::Runtime>), BoxError> {
    if !args.iter().any(|a| a == "--glibc-malloc-defaults") {
        crate::malloc::pin_thresholds();
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let chwire_rt: Arc<dyn chwire_rt::Runtime> =
        Arc::new(chwire_tokio::TokioRuntime::from_handle(rt.handle().clone()));
    Ok((rt, chwire_rt))
}

/// This process's peak RSS in kB (`VmHWM` of /proc/self/status, Linux).
pub fn vmhwm_kb() -> Result<u64, BoxError> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .ok_or_else(|| "no VmHWM in /proc/self/status".into())
}
