//! `cargo xtask bench [ARGS]`: the `chwire-bench` binary (release) against a real server: the one
//! named by `CHWIRE_HTTP_URL` (and `CHWIRE_TCP_ADDR` for its native port), or one started on free
//! ports and stopped afterwards. The binary gets both addresses in those variables (the native
//! rows and the raw native socket use `CHWIRE_TCP_ADDR`). ARGS go to the binary unchanged
//! (`--repeat N`, `--scale F`, `--only NAME`, `--tcp-addr`, `--native-url`, ...); results land
//! in `target/bench/results.json`.

use std::process::ExitCode;

use crate::{server, session};

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    session::cargo_build(&["build", "--release", "-p", "chwire-bench"])?;
    let out = server::target_dir().join("bench").join("results.json");
    let mut command = session::cargo(&[
        "run",
        "--quiet",
        "--release",
        "-p",
        "chwire-bench",
        "--bin",
        "chwire-bench",
        "--",
    ]);
    if !args.iter().any(|a| a == "--out") {
        command.arg("--out").arg(&out);
    }
    command.args(args);
    let code = session::run_with_server("benchmark", command)?;
    if code == ExitCode::SUCCESS && out.exists() {
        eprintln!("xtask: results in {}", session::display_path(&out));
    }
    Ok(code)
}
