//! `cargo xtask demo [--runtime tokio|async-std|smol]`: the quickstart example against a real
//! server. Builds the example (release), starts a server on free ports (or uses
//! `CHWIRE_HTTP_URL`), runs the example, and stops the server whatever happens. The exit code
//! is the example's.

use std::process::ExitCode;

use crate::session;

const USAGE: &str = "cargo xtask demo [--runtime tokio|async-std|smol]";

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut runtime = "tokio".to_string();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--runtime" => {
                runtime = it
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("--runtime needs a value\n\nusage: {USAGE}"))?;
            }
            other => return Err(format!("unknown option `{other}`\n\nusage: {USAGE}")),
        }
    }
    let example = example_for(&runtime)?;
    let build = [
        "build",
        "--release",
        "-p",
        "chwire-examples",
        "--example",
        example,
    ];
    session::cargo_build(&build)?;
    let command = session::cargo(&[
        "run",
        "--quiet",
        "--release",
        "-p",
        "chwire-examples",
        "--example",
        example,
    ]);
    session::run_with_server("demo", command)
}

fn example_for(runtime: &str) -> Result<&'static str, String> {
    match runtime {
        "tokio" => Ok("quickstart"),
        "async-std" | "async_std" => Ok("quickstart_async_std"),
        "smol" => Ok("quickstart_smol"),
        other => Err(format!(
            "unknown runtime `{other}`: tokio, async-std or smol\n\nusage: {USAGE}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtimes_map_to_examples() {
        assert_eq!(example_for("tokio").unwrap(), "quickstart");
        assert_eq!(example_for("async-std").unwrap(), "quickstart_async_std");
        assert_eq!(example_for("smol").unwrap(), "quickstart_smol");
        assert!(example_for("glommio").is_err());
    }
}
