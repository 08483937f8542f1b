//! Tidy checks that guard architecture rules, run as ordinary tests.

use std::process::Command;

/// Crates that do IO or drive an async runtime. `chwire-proto` is sans-IO: none of these (nor
/// anything from their families) may appear in its normal dependency tree.
const FORBIDDEN_EXACT: &[&str] = &[
    "smol",
    "mio",
    "socket2",
    "polling",
    "hyper",
    "reqwest",
    "ureq",
    "h2",
    "rustls",
    "native-tls",
    "openssl",
    "blocking",
    "async-task",
    "event-listener",
    "rustix",
    "signal-hook",
];
const FORBIDDEN_PREFIXES: &[&str] = &["tokio", "async-", "futures", "hyper-"];

fn forbidden(name: &str) -> bool {
    FORBIDDEN_EXACT.contains(&name) || FORBIDDEN_PREFIXES.iter().any(|p| name.starts_with(p))
}

#[test]
fn chwire_proto_has_no_io_or_runtime_dependencies() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--package",
            "chwire-proto",
            "--edges",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(crate::server::workspace_root())
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    let names: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(
        names.contains(&"chwire-proto"),
        "unexpected cargo tree output:\n{tree}"
    );
    let mut bad: Vec<&str> = names.iter().copied().filter(|n| forbidden(n)).collect();
    bad.sort_unstable();
    bad.dedup();
    assert!(
        bad.is_empty(),
        "chwire-proto must stay sans-IO, but its normal dependency tree contains: {bad:?}"
    );
}

#[test]
fn forbidden_list_catches_runtime_crates() {
    for name in [
        "tokio",
        "tokio-util",
        "async-std",
        "async-io",
        "async-net",
        "futures-io",
        "futures-util",
        "hyper",
        "smol",
        "mio",
    ] {
        assert!(forbidden(name), "{name} should be forbidden");
    }
    for name in [
        "bytes",
        "thiserror",
        "lz4_flex",
        "zstd",
        "httparse",
        "http",
        "ethnum",
    ] {
        assert!(!forbidden(name), "{name} should be allowed");
    }
}
