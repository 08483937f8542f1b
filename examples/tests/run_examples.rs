//! Runs every example against the real server (`cargo xtask test`): the binaries `cargo test`
//! already built (it builds a package's examples before its tests), one after another, each
//! checking what it read back and exiting non-zero otherwise. One test, so the examples are
//! linked once and started without a cargo invocation each.

use std::path::PathBuf;
use std::process::Command;

use chwire_tests::tls_proxy::{ProxyKind, pki, tls_proxy};

/// The examples this test runs: one per feature area.
const RUN: &[&str] = &[
    "typed_rows",
    "type_mappings",
    "blocks",
    "dynamic_rows",
    "raw_bytes",
    "params",
    "binding",
    "inserts",
    "inserter",
    "async_inserts",
    "progress",
    "cancel",
    "multi_host",
    "tls",
    "telemetry",
    "tracing",
    "errors",
    "auth",
    "sessions",
    "mock",
    "ported_official",
    "ported_chwire",
    "insert_formatted",
    "service",
    "runtime_tokio",
    "runtime_smol",
    "runtime_async_std",
];

/// Examples run elsewhere: the quickstart (a million rows, release) by `cargo xtask demo`, the
/// soak client by `cargo xtask soak`.
const RUN_ELSEWHERE: &[&str] = &[
    "quickstart",
    "quickstart_async_std",
    "quickstart_smol",
    "soak",
];

/// `target/<profile>/examples/`, beside this test's `deps/` directory.
fn examples_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>");
    profile_dir.join("examples")
}

/// Every `[[example]]` of this package's manifest.
fn declared_examples() -> Vec<String> {
    let manifest = include_str!("../Cargo.toml");
    let mut names = Vec::new();
    let mut in_example = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            in_example = line == "[[example]]";
        } else if let Some(name) = line.strip_prefix("name = \"").filter(|_| in_example) {
            names.push(name.trim_end_matches('"').to_string());
        }
    }
    names
}

#[test]
fn every_declared_example_is_run() {
    let declared = declared_examples();
    assert!(declared.len() >= RUN.len(), "{declared:?}");
    for name in &declared {
        assert!(
            RUN.contains(&name.as_str()) || RUN_ELSEWHERE.contains(&name.as_str()),
            "example {name} is neither run by this test nor listed as run elsewhere"
        );
    }
    for name in RUN.iter().chain(RUN_ELSEWHERE) {
        assert!(
            declared.iter().any(|d| d == name),
            "{name} is not in Cargo.toml"
        );
    }
}

#[test]
fn examples_run_against_the_server() {
    let dir = examples_dir();
    // The tls example connects through the test TLS proxy in front of the server.
    let proxy = tls_proxy(ProxyKind::Plain);
    let ca_file =
        std::env::temp_dir().join(format!("chwire-examples-ca-{}.pem", std::process::id()));
    std::fs::write(&ca_file, &pki().ca_pem).expect("write the CA file");
    for name in RUN {
        let exe = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
        assert!(
            exe.exists(),
            "{} is missing: run `cargo test -p chwire-examples` (it builds the examples first)",
            exe.display()
        );
        let out = Command::new(&exe)
            .env("CHWIRE_HTTP_URL", chwire_tests::http_url())
            .env(
                "CHWIRE_TLS_URL",
                format!("https://localhost:{}", proxy.port()),
            )
            .env("CHWIRE_TLS_CA_FILE", &ca_file)
            .output()
            .expect("start the example");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "example {name} failed ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!stdout.trim().is_empty(), "example {name} printed nothing");
        print!("{stdout}");
    }
    let _ = std::fs::remove_file(&ca_file);
}
