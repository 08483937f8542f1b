//! `cargo xtask package`: `cargo package` of every library crate, the check that they can be
//! published (complete metadata, versioned path dependencies, README present). `cargo xtask test`
//! runs it first, so CI catches a crate that stopped packaging.

use std::process::ExitCode;

use crate::session;

/// The crates published to crates.io; every other workspace member has `publish = false`.
pub const LIBRARY_CRATES: &[&str] = &[
    "chwire-proto",
    "chwire-rt",
    "chwire-tokio",
    "chwire-async-std",
    "chwire-smol",
    "chwire-derive",
    "chwire",
    "chwire-arrow",
];

/// Packages the library crates without verifying them (`--no-verify`: the test suite builds the
/// same code; a verify build would compile every crate once more). `--allow-dirty` lets it run
/// in a working tree with uncommitted changes.
pub fn check() -> Result<(), String> {
    let mut args = vec!["package", "--no-verify", "--allow-dirty", "--quiet"];
    for name in LIBRARY_CRATES {
        args.extend(["-p", name]);
    }
    session::cargo_build(&args)
}

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    if let Some(extra) = args.first() {
        return Err(format!("`package` takes no arguments, not `{extra}`"));
    }
    check()?;
    println!("packaged: {}", LIBRARY_CRATES.join(", "));
    Ok(ExitCode::SUCCESS)
}
