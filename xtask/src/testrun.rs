//! `cargo xtask test`: the test suite against a real server.
//!
//! Uses the server named by `CHWIRE_HTTP_URL`/`CHWIRE_TCP_ADDR` when set; otherwise starts one on
//! free ports with a fresh data directory, runs `cargo test`, and stops the server it started
//! whatever happens — test failure, Ctrl-C, SIGTERM (see [`crate::session`]). The exit code is
//! the tests' result. The whole suite (no arguments) first checks that the library crates
//! package ([`crate::package`]), which takes seconds and needs no server.

use std::process::ExitCode;

use crate::{package, session};

pub const HTTP_URL_VAR: &str = "CHWIRE_HTTP_URL";
pub const TCP_ADDR_VAR: &str = "CHWIRE_TCP_ADDR";

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut command = session::cargo(&["test"]);
    if args.is_empty() {
        package::check()?;
        command.arg("--workspace");
    } else {
        command.args(args);
    }
    session::run_with_server("tests", command)
}
