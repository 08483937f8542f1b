//! `cargo xtask error-codes`: regenerates `crates/chwire/src/error_codes.rs`, ClickHouse's error
//! codes as named constants, from a running server's `system.errors`. The integration test
//! `adopt::error_codes_match_the_server` renders the same file from the server under test and
//! fails when the checked-in one differs.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::{http, server};

/// The generated file, relative to the workspace root.
pub const FILE: &str = "crates/chwire/src/error_codes.rs";

/// Every error code the server knows (`system_events_show_zero_values` lists codes that never
/// occurred too), as `(code, name)` sorted by code, without 0 (`OK`, not an error).
pub fn fetch(http_port: u16) -> Result<Vec<(i32, String)>, String> {
    let body = http::post(
        http_port,
        "",
        "SELECT DISTINCT code, name FROM system.errors WHERE code != 0 ORDER BY code \
         SETTINGS system_events_show_zero_values = 1 FORMAT TabSeparated",
    )?;
    let text = String::from_utf8(body).map_err(|e| format!("system.errors: {e}"))?;
    text.lines()
        .map(|line| {
            let (code, name) = line
                .split_once('\t')
                .ok_or_else(|| format!("system.errors: unexpected line {line:?}"))?;
            let code = code
                .parse()
                .map_err(|e| format!("system.errors: code {code:?}: {e}"))?;
            Ok((code, name.to_string()))
        })
        .collect()
}

/// The Rust source of the module for `codes` (as [`fetch`] returns them).
pub fn render(codes: &[(i32, String)]) -> String {
    let mut out = String::from(
        "//! ClickHouse's error codes as named constants, for comparing with\n\
         //! [`Error::server_code`](crate::Error::server_code) or [`ServerError::code`](crate::ServerError::code).\n\
         //!\n\
         //! ```\n\
         //! # fn check(e: &chwire::Error) -> bool {\n\
         //! use chwire::error_codes;\n\
         //! e.server_code() == Some(error_codes::UNKNOWN_TABLE)\n\
         //! # }\n\
         //! assert_eq!(chwire::error_codes::name(60), Some(\"UNKNOWN_TABLE\"));\n\
         //! ```\n\
         //!\n\
         //! Generated from the server's `system.errors` by `cargo xtask error-codes`; do not edit.\n\
         //! The integration tests check it against the server they run on.\n\n",
    );
    for (code, name) in codes {
        out.push_str(&format!(
            "/// The server's error {code}, `{name}`.\npub const {name}: i32 = {code};\n"
        ));
    }
    out.push_str(
        "\n/// The name of an error `code` (e.g. `UNKNOWN_TABLE` for 60), `None` for a code this\n\
         /// list does not know.\n\
         pub fn name(code: i32) -> Option<&'static str> {\n    \
         ALL.binary_search_by_key(&code, |&(c, _)| c)\n        \
         .ok()\n        \
         .map(|i| ALL[i].1)\n\
         }\n\n\
         /// Every code with its name, sorted by code.\n\
         #[rustfmt::skip]\n\
         pub const ALL: &[(i32, &str)] = &[\n",
    );
    for (_, name) in codes {
        out.push_str(&format!("    ({name}, \"{name}\"),\n"));
    }
    out.push_str("];\n");
    out
}

fn path() -> PathBuf {
    server::workspace_root().join(FILE)
}

/// `cargo xtask error-codes [--http-port N]`: the server on that port (default: the one in
/// `CHWIRE_HTTP_URL`, else 8123).
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let port = match args {
        [] => std::env::var(crate::testrun::HTTP_URL_VAR)
            .ok()
            .and_then(|url| url.rsplit(':').next()?.trim_end_matches('/').parse().ok())
            .unwrap_or(8123),
        [flag, port] if flag == "--http-port" => port
            .parse()
            .map_err(|_| format!("--http-port takes a port number, not `{port}`"))?,
        _ => return Err("usage: cargo xtask error-codes [--http-port N]".to_string()),
    };
    let codes = fetch(port)?;
    std::fs::write(path(), render(&codes)).map_err(|e| format!("writing {FILE}: {e}"))?;
    println!("wrote {} error codes to {FILE}", codes.len());
    Ok(ExitCode::SUCCESS)
}
