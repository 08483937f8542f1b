//! `cargo xtask …`: project automation. Run `cargo xtask help`.

use std::path::PathBuf;
use std::process::ExitCode;

use xtask::server::{self, ServerConfig};
use xtask::{bench, demo, error_codes, golden, package, soak, testrun};

const USAGE: &str = "\
cargo xtask <command>

Commands:
  server start [--http-port N] [--tcp-port N] [--data-dir DIR]
                 start an embedded ClickHouse (defaults: 8123, 9000) and wait until it answers
  server stop [--http-port N]      stop the server xtask started on that HTTP port
  server status [--http-port N]    say whether it answers (exit 1 if not)
  test [CARGO TEST ARGS]           run the test suite against a real server: the one named by
                                   CHWIRE_HTTP_URL/CHWIRE_TCP_ADDR, or one started on free ports
                                   (default args: --workspace, after `package`)
  package                          `cargo package` every library crate (no verify build)
  error-codes [--http-port N]      regenerate crates/chwire/src/error_codes.rs from a server's
                                   system.errors (default: CHWIRE_HTTP_URL's port, else 8123)
  demo [--runtime tokio|async-std|smol]
                                   run the quickstart example (release) against a server
                                   started on free ports (or CHWIRE_HTTP_URL); stops it after
  bench [--repeat N] [--scale F] [--only NAME] [--glibc-malloc-defaults]
                                   chwire vs the official clickhouse crate vs a raw socket, in
                                   release, against a server started on free ports (or
                                   CHWIRE_HTTP_URL); writes target/bench/results.json
  soak [--minutes N | --seconds N] [--seed S] [--kill-every MIN-MAX] [--producers N]
       [--rate ROWS_PER_S] [--interval-secs S]
                                   producers through one Inserter (release) while the server is
                                   kill -9'd and restarted at seeded random moments (default
                                   every 5-40 s, 1 minute, 4 producers, 20000 rows/s); checks
                                   every row is stored exactly once and memory stays flat
  golden [AREA...]                 re-capture chwire-proto's golden vectors from a real server
                                   (areas: native rowbinary compression http; default all)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("server") => server_command(&args[1..]),
        Some("test") => testrun::run(&args[1..]),
        Some("demo") => demo::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("golden") => golden::run(&args[1..]),
        Some("soak") => soak::run(&args[1..]),
        Some("package") => package::run(&args[1..]),
        Some("error-codes") => error_codes::run(&args[1..]),
        Some("help") | Some("--help") | Some("-h") | None => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

struct ServerArgs {
    http_port: u16,
    tcp_port: u16,
    data_dir: Option<PathBuf>,
}

fn parse_server_args(args: &[String]) -> Result<ServerArgs, String> {
    let mut parsed = ServerArgs {
        http_port: 8123,
        tcp_port: 9000,
        data_dir: None,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--http-port" => parsed.http_port = parse_port(flag, &value()?)?,
            "--tcp-port" => parsed.tcp_port = parse_port(flag, &value()?)?,
            "--data-dir" => parsed.data_dir = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    Ok(parsed)
}

fn parse_port(flag: &str, text: &str) -> Result<u16, String> {
    match text.parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(format!(
            "{flag} takes a port number from 1 to 65535, not `{text}`"
        )),
    }
}

fn server_command(args: &[String]) -> Result<ExitCode, String> {
    let (action, rest) = match args.split_first() {
        Some((action, rest)) => (action.as_str(), rest),
        None => return Err(format!("`server` needs start, stop or status\n\n{USAGE}")),
    };
    let parsed = parse_server_args(rest)?;
    match action {
        "start" => {
            let running = server::start(&ServerConfig {
                http_port: parsed.http_port,
                tcp_port: parsed.tcp_port,
                data_dir: parsed.data_dir,
            })
            .map_err(|e| e.to_string())?;
            let version = server::version(running.http_port).map_err(|e| e.to_string())?;
            println!("ClickHouse {version} is up");
            println!("  HTTP: {}", running.http_url());
            println!("  TCP:  {}", running.tcp_addr());
            println!("  pid:  {}", running.pid);
            println!("  data: {}", running.data_dir.display());
            println!("  log:  {}", running.log_path().display());
            println!(
                "stop it with: cargo xtask server stop --http-port {}",
                running.http_port
            );
            Ok(ExitCode::SUCCESS)
        }
        "stop" => match server::find(parsed.http_port) {
            Some(mut running) => {
                server::stop_server(&mut running).map_err(|e| e.to_string())?;
                println!(
                    "stopped the server on HTTP port {} (pid {})",
                    running.http_port, running.pid
                );
                Ok(ExitCode::SUCCESS)
            }
            None => {
                println!(
                    "no server started by xtask runs on HTTP port {}",
                    parsed.http_port
                );
                Ok(ExitCode::SUCCESS)
            }
        },
        "status" => {
            let found = server::find(parsed.http_port);
            if server::ping(parsed.http_port) {
                let version = server::version(parsed.http_port).unwrap_or_default();
                match found {
                    Some(running) => println!(
                        "up: ClickHouse {version} on http://127.0.0.1:{} (TCP {}, pid {})",
                        parsed.http_port,
                        running.tcp_addr(),
                        running.pid
                    ),
                    None => println!(
                        "up: ClickHouse {version} answers on http://127.0.0.1:{} (not started by xtask)",
                        parsed.http_port
                    ),
                }
                Ok(ExitCode::SUCCESS)
            } else {
                match found {
                    Some(running) => println!(
                        "down: pid {} runs but does not answer on HTTP port {}; see {}",
                        running.pid,
                        parsed.http_port,
                        running.log_path().display()
                    ),
                    None => println!("down: nothing answers on HTTP port {}", parsed.http_port),
                }
                Ok(ExitCode::from(1))
            }
        }
        other => Err(format!("unknown server action `{other}`\n\n{USAGE}")),
    }
}
