//! `cargo xtask soak --minutes N`: the long-running proof. The `soak` example (release) writes
//! through one `Inserter` into a MergeTree table while this harness `kill -9`s the server at
//! random moments and restarts it on the same ports and data directory (so the table and its
//! deduplication log survive). At the end the example checks that every row is stored exactly
//! once and that its memory stayed flat; see `examples/soak/main.rs` for the protocol.
//!
//! The kill moments come from a seed printed at the start: `--seed S` replays a run's
//! schedule (the moments, not the server's timing).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::server::{self, ServerConfig};
use crate::session;
use crate::testrun::HTTP_URL_VAR;

const USAGE: &str = "cargo xtask soak [--minutes N | --seconds N] [--seed S] [--kill-every MIN-MAX] \
                     [--producers N] [--rate ROWS_PER_S] [--interval-secs S]";

/// How long the example may take to set up its table, and to finish after "stop".
const READY_TIMEOUT: Duration = Duration::from_secs(120);
const FINISH_TIMEOUT: Duration = Duration::from_secs(600);

/// What to run.
#[derive(Debug, Clone)]
pub struct SoakOptions {
    pub duration: Duration,
    pub seed: u64,
    /// The server is killed after an uptime drawn uniformly from this range.
    pub kill_every: (Duration, Duration),
    pub producers: u64,
    /// Rows per second, all producers together.
    pub rate: u64,
    /// Length of the intervals RSS peaks are reported for.
    pub interval: Duration,
}

impl SoakOptions {
    fn parse(args: &[String]) -> Result<SoakOptions, String> {
        let mut options = SoakOptions {
            duration: Duration::from_secs(60),
            seed: seed_from_clock(),
            kill_every: (Duration::from_secs(5), Duration::from_secs(40)),
            producers: 4,
            rate: 20_000,
            interval: Duration::from_secs(60),
        };
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            let value = it
                .next()
                .ok_or_else(|| format!("{flag} needs a value\n\nusage: {USAGE}"))?;
            let bad = || format!("bad value `{value}` for {flag}\n\nusage: {USAGE}");
            let seconds = |s: &str| {
                s.parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s > 0.0)
                    .map(Duration::from_secs_f64)
                    .ok_or_else(bad)
            };
            let positive = || value.parse::<u64>().ok().filter(|n| *n > 0).ok_or_else(bad);
            match flag.as_str() {
                "--minutes" => options.duration = seconds(value)? * 60,
                "--seconds" => options.duration = seconds(value)?,
                "--seed" => options.seed = value.parse().map_err(|_| bad())?,
                "--kill-every" => {
                    let (min, max) = value.split_once('-').ok_or_else(bad)?;
                    let (min, max) = (seconds(min)?, seconds(max)?);
                    if min > max {
                        return Err(bad());
                    }
                    options.kill_every = (min, max);
                }
                "--producers" => options.producers = positive()?,
                "--rate" => options.rate = positive()?,
                "--interval-secs" => options.interval = Duration::from_secs(positive()?),
                other => return Err(format!("unknown option `{other}`\n\nusage: {USAGE}")),
            }
        }
        Ok(options)
    }
}

fn seed_from_clock() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// One kill: when (since the example was ready), and how long the restart took.
#[derive(Debug, Clone, Copy)]
pub struct Kill {
    pub at: Duration,
    pub restart: Duration,
}

/// What a soak did: the kills, and the example's report (`key` → rest of its line; repeated
/// keys such as `rss_interval` and `check` keep every line).
#[derive(Debug)]
pub struct SoakOutcome {
    pub seed: u64,
    pub kills: Vec<Kill>,
    pub report: BTreeMap<String, Vec<String>>,
    /// The example's exit code: success only when all its checks passed.
    pub passed: bool,
}

impl SoakOutcome {
    /// The first value of `key` as a number.
    pub fn number(&self, key: &str) -> Option<u64> {
        self.report.get(key)?.first()?.parse().ok()
    }
}

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let options = SoakOptions::parse(args)?;
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let interrupted = interrupted.clone();
        ctrlc::set_handler(move || interrupted.store(true, Ordering::SeqCst))
            .map_err(|e| format!("cannot install the signal handler: {e}"))?;
    }
    let outcome = soak(&options, &interrupted)?;
    let restarts: Vec<Duration> = outcome.kills.iter().map(|k| k.restart).collect();
    eprintln!(
        "xtask: soak seed {}: {} kills, restarts took {:.1}-{:.1} s",
        outcome.seed,
        outcome.kills.len(),
        restarts
            .iter()
            .min()
            .unwrap_or(&Duration::ZERO)
            .as_secs_f64(),
        restarts
            .iter()
            .max()
            .unwrap_or(&Duration::ZERO)
            .as_secs_f64(),
    );
    if outcome.passed {
        eprintln!("xtask: soak passed");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("xtask: soak FAILED (see the check lines above)");
        Ok(ExitCode::FAILURE)
    }
}

/// The example's binary, built in release.
fn build_driver() -> Result<PathBuf, String> {
    session::cargo_build(&[
        "build",
        "--release",
        "-p",
        "chwire-examples",
        "--example",
        "soak",
    ])?;
    let exe = server::target_dir()
        .join("release")
        .join("examples")
        .join(format!("soak{}", std::env::consts::EXE_SUFFIX));
    if exe.exists() {
        Ok(exe)
    } else {
        Err(format!("the build did not produce {}", exe.display()))
    }
}

/// Runs a soak on a server of its own (on free ports, with a fresh data directory), stopped
/// afterwards whatever happens. `interrupted` ends the run early (Ctrl-C).
pub fn soak(options: &SoakOptions, interrupted: &AtomicBool) -> Result<SoakOutcome, String> {
    let exe = build_driver()?;
    let (http_port, tcp_port) = server::free_port_pair().map_err(|e| e.to_string())?;
    let data_dir = server::state_dir(http_port).join("data");
    let _ = std::fs::remove_dir_all(&data_dir);
    let config = ServerConfig {
        http_port,
        tcp_port,
        data_dir: Some(data_dir),
    };
    let mut running = server::start(&config).map_err(|e| e.to_string())?;
    eprintln!(
        "xtask: soak seed {} for {:.0} s, kills every {:.1}-{:.1} s, server {} (pid {})",
        options.seed,
        options.duration.as_secs_f64(),
        options.kill_every.0.as_secs_f64(),
        options.kill_every.1.as_secs_f64(),
        running.http_url(),
        running.pid
    );
    let report_path = server::state_dir(http_port).join("soak-report.txt");
    let _ = std::fs::remove_file(&report_path);
    let result = drive(
        options,
        interrupted,
        &exe,
        &report_path,
        &config,
        &mut running,
    );
    if let Err(e) = server::stop_server(&mut running) {
        eprintln!("xtask: warning: {e}");
    }
    let (kills, passed) = result?;
    let text = std::fs::read_to_string(&report_path)
        .map_err(|e| format!("the soak wrote no report ({}): {e}", report_path.display()))?;
    // A passed run's table is of no further use (a 30-minute run leaves hundreds of MB); a
    // failed one's is kept for inspection.
    if passed {
        let _ = std::fs::remove_dir_all(&running.data_dir);
    } else {
        eprintln!(
            "xtask: the table is kept in {} (server log: {})",
            running.data_dir.display(),
            running.log_path().display()
        );
    }
    Ok(SoakOutcome {
        seed: options.seed,
        kills,
        report: parse_report(&text),
        passed,
    })
}

/// Runs the example and the kill schedule; the kills and whether the example passed.
fn drive(
    options: &SoakOptions,
    interrupted: &AtomicBool,
    exe: &std::path::Path,
    report: &std::path::Path,
    config: &ServerConfig,
    running: &mut server::RunningServer,
) -> Result<(Vec<Kill>, bool), String> {
    let mut child = Command::new(exe)
        .arg("--producers")
        .arg(options.producers.to_string())
        .arg("--rate")
        .arg(options.rate.to_string())
        .arg("--interval-secs")
        .arg(options.interval.as_secs().to_string())
        .arg("--report")
        .arg(report)
        .env(HTTP_URL_VAR, running.http_url())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
    let lines = forward_stdout(&mut child);
    let result = schedule_kills(options, interrupted, &mut child, &lines, config, running);
    // Closing stdin tells the example to stop producing and check; the server is up.
    drop(child.stdin.take());
    let finished = wait_for_exit(&mut child, &lines, FINISH_TIMEOUT);
    let kills = result?;
    let status = finished?;
    Ok((kills, status.success()))
}

/// Echoes the example's stdout and hands its lines to the caller.
fn forward_stdout(child: &mut Child) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                println!("{line}");
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
    }
    rx
}

/// Waits for `ready`, then kills and restarts the server at the seeded moments until the
/// duration is over (the server is up when this returns Ok).
fn schedule_kills(
    options: &SoakOptions,
    interrupted: &AtomicBool,
    child: &mut Child,
    lines: &Receiver<String>,
    config: &ServerConfig,
    running: &mut server::RunningServer,
) -> Result<Vec<Kill>, String> {
    let ready_by = Instant::now() + READY_TIMEOUT;
    loop {
        match lines.recv_timeout(ready_by.saturating_duration_since(Instant::now())) {
            Ok(line) if line == "ready" => break,
            Ok(_) => {}
            Err(_) => {
                let _ = child.kill();
                return Err("the soak example did not get ready (see its output)".into());
            }
        }
    }
    let mut rng = fastrand::Rng::with_seed(options.seed);
    let start = Instant::now();
    let end = start + options.duration;
    let mut kills = Vec::new();
    loop {
        let (min, max) = options.kill_every;
        let uptime = min + (max - min).mul_f64(rng.f64());
        let kill_at = Instant::now() + uptime;
        // Wait until the kill (or the end), waking every second to notice Ctrl-C; the
        // example's stdout closing means it exited early.
        loop {
            let left = kill_at.min(end).saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            if interrupted.load(Ordering::SeqCst) {
                let _ = child.kill();
                return Err("interrupted".into());
            }
            if let Err(RecvTimeoutError::Disconnected) =
                lines.recv_timeout(left.min(Duration::from_secs(1)))
            {
                let status = child.wait().map_err(|e| e.to_string())?;
                return Err(format!("the soak example exited early ({status})"));
            }
        }
        if kill_at >= end {
            return Ok(kills);
        }
        let at = start.elapsed();
        server::kill_server(running).map_err(|e| e.to_string())?;
        let restarted = Instant::now();
        *running = server::start(config).map_err(|e| format!("restart after kill: {e}"))?;
        let kill = Kill {
            at,
            restart: restarted.elapsed(),
        };
        eprintln!(
            "xtask: kill {} at {:.1} s (restarted in {:.1} s, pid {})",
            kills.len() + 1,
            kill.at.as_secs_f64(),
            kill.restart.as_secs_f64(),
            running.pid
        );
        kills.push(kill);
    }
}

/// Waits for the example to exit: its stdout closes first. Killed after `timeout`.
fn wait_for_exit(
    child: &mut Child,
    lines: &Receiver<String>,
    timeout: Duration,
) -> Result<std::process::ExitStatus, String> {
    let deadline = Instant::now() + timeout;
    loop {
        match lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(_) => {}
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the soak example did not finish within {timeout:?}"
                ));
            }
        }
    }
    child
        .wait()
        .map_err(|e| format!("waiting for the soak example: {e}"))
}

/// `key rest…` lines into a map of every `rest` per key.
fn parse_report(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines() {
        let (key, rest) = line.split_once(' ').unwrap_or((line, ""));
        map.entry(key.to_string())
            .or_default()
            .push(rest.to_string());
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_parse_and_refuse_nonsense() {
        let o = SoakOptions::parse(&args(&[
            "--minutes",
            "0.5",
            "--seed",
            "7",
            "--kill-every",
            "2-3.5",
        ]))
        .unwrap();
        assert_eq!(o.duration, Duration::from_secs(30));
        assert_eq!(o.seed, 7);
        assert_eq!(
            o.kill_every,
            (Duration::from_secs(2), Duration::from_millis(3500))
        );
        for bad in [
            &["--minutes", "-1"][..],
            &["--minutes", "nan"],
            &["--kill-every", "5-2"],
            &["--kill-every", "5"],
            &["--producers", "0"],
            &["--seed"],
            &["--bogus", "1"],
        ] {
            assert!(SoakOptions::parse(&args(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn report_lines_keep_repeated_keys() {
        let r = parse_report("rows_stored 5\ncheck count ok 5\ncheck sum_v ok\nready");
        assert_eq!(r["rows_stored"], ["5"]);
        assert_eq!(r["check"], ["count ok 5", "sum_v ok"]);
        assert_eq!(r["ready"], [""]);
    }

    /// The command itself, briefly: two kills in 12 s, every check of the example must pass
    /// and its figures must agree with what the producers wrote.
    #[test]
    fn soak_survives_kills_with_every_row_once() {
        let options = SoakOptions {
            duration: Duration::from_secs(12),
            seed: 18,
            kill_every: (Duration::from_secs(3), Duration::from_secs(5)),
            producers: 3,
            rate: 20_000,
            interval: Duration::from_secs(2),
        };
        let outcome = soak(&options, &AtomicBool::new(false)).unwrap();
        assert!(!outcome.kills.is_empty(), "{outcome:?}");
        let checks = &outcome.report["check"];
        assert!(checks.len() >= 9, "{checks:?}");
        for check in checks {
            assert!(
                check.split(' ').nth(1) == Some("ok"),
                "{check}: {outcome:?}"
            );
        }
        assert!(outcome.passed, "{outcome:?}");
        let written = outcome.number("rows_expected").unwrap();
        assert!(written > 0);
        assert_eq!(outcome.number("rows_stored"), Some(written));
        assert_eq!(outcome.number("distinct_ids"), Some(written));
        assert!(outcome.number("retries").unwrap() > 0, "{outcome:?}");
        assert!(outcome.report["rss_interval"].len() >= 2, "{outcome:?}");
    }
}
