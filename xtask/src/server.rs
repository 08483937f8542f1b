//! A real ClickHouse on demand: the engine shipped in the `chdb-core` Python package, run as
//! clickhouse-local with its HTTP and native TCP listeners open.
//!
//! Layout under `target/chwire-server/http-<port>/` (the server's working directory):
//! `config.xml` (ports and bind address: clickhouse-local reads it from the working directory),
//! `launch.py`, `server.log`, `server.pid`, and `data/` unless `--data-dir` says otherwise.
//! The Python venv with chdb-core lives in `target/chdb-venv` and is reused across runs.

use std::fmt;
use std::fs;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The chdb-core release the harness installs (ClickHouse engine 26.9).
pub const CHDB_CORE_VERSION: &str = "26.9.0";

/// How long a fresh engine may take to open its listeners.
const START_TIMEOUT: Duration = Duration::from_secs(120);
/// How long `stop` waits after SIGTERM before SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(15);

/// A failure of the harness, phrased so the user knows what to do next.
#[derive(Debug)]
pub struct HarnessError(pub String);

impl fmt::Display for HarnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HarnessError {}

pub type Result<T> = std::result::Result<T, HarnessError>;

fn err<T>(msg: impl Into<String>) -> Result<T> {
    Err(HarnessError(msg.into()))
}

/// Where to run a server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub http_port: u16,
    pub tcp_port: u16,
    /// Data directory; defaults to `<state dir>/data`. Reusing it across restarts keeps data.
    pub data_dir: Option<PathBuf>,
}

/// A server this harness started (or found running from its pid file).
#[derive(Debug)]
pub struct RunningServer {
    pub http_port: u16,
    pub tcp_port: u16,
    pub pid: u32,
    pub state_dir: PathBuf,
    pub data_dir: PathBuf,
    /// Present when this process spawned the server: lets `stop` reap it.
    child: Option<Child>,
}

impl RunningServer {
    pub fn http_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.http_port)
    }

    pub fn tcp_addr(&self) -> String {
        format!("127.0.0.1:{}", self.tcp_port)
    }

    pub fn log_path(&self) -> PathBuf {
        self.state_dir.join("server.log")
    }
}

/// The workspace root (parent of the xtask crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            }
        }
        None => workspace_root().join("target"),
    }
}

pub fn state_dir(http_port: u16) -> PathBuf {
    target_dir()
        .join("chwire-server")
        .join(format!("http-{http_port}"))
}

fn venv_dir() -> PathBuf {
    target_dir().join("chdb-venv")
}

fn venv_python() -> PathBuf {
    venv_dir().join("bin").join("python")
}

/// Makes sure `target/chdb-venv` exists with chdb-core importable; installs only what is missing.
/// Concurrent callers (two `server start` at once) are serialised by a file lock.
pub fn ensure_engine() -> Result<PathBuf> {
    let python = venv_python();
    if engine_importable(&python) {
        return Ok(python);
    }
    fs::create_dir_all(target_dir())
        .map_err(|e| HarnessError(format!("cannot create {}: {e}", target_dir().display())))?;
    let lock_path = target_dir().join("chdb-venv.lock");
    let lock = fs::File::create(&lock_path)
        .map_err(|e| HarnessError(format!("cannot create {}: {e}", lock_path.display())))?;
    lock.lock()
        .map_err(|e| HarnessError(format!("cannot lock {}: {e}", lock_path.display())))?;
    if engine_importable(&python) {
        return Ok(python);
    }

    let system_python = find_system_python()?;
    if !python.exists() {
        eprintln!(
            "xtask: creating Python venv in {} (once)",
            venv_dir().display()
        );
        let out = Command::new(&system_python)
            .args(["-m", "venv"])
            .arg(venv_dir())
            .output()
            .map_err(|e| HarnessError(format!("cannot run {system_python}: {e}")))?;
        if !out.status.success() || !python.exists() {
            let _ = fs::remove_dir_all(venv_dir());
            return err(format!(
                "`{system_python} -m venv` failed: the venv module (and ensurepip) is missing.\n\
                 On Debian/Ubuntu: apt-get install python3-venv\n{}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    eprintln!(
        "xtask: installing chdb-core=={CHDB_CORE_VERSION} into the venv (about 180 MB, once)"
    );
    let status = Command::new(&python)
        .args(["-m", "pip", "install", "--disable-pip-version-check", "-q"])
        .arg(format!("chdb-core=={CHDB_CORE_VERSION}"))
        .status()
        .map_err(|e| HarnessError(format!("cannot run pip: {e}")))?;
    if !status.success() {
        return err(format!(
            "`pip install chdb-core=={CHDB_CORE_VERSION}` failed (see pip's output above). \
             pip needs to reach PyPI; if the venv has no pip, install python3-venv / python3-pip \
             and delete {}",
            venv_dir().display()
        ));
    }
    if !engine_importable(&python) {
        return err(
            "chdb-core installed but `from chdb import _chdb` fails; delete target/chdb-venv and retry",
        );
    }
    Ok(python)
}

fn engine_importable(python: &Path) -> bool {
    python.exists()
        && Command::new(python)
            .args(["-c", "from chdb import _chdb"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
}

fn find_system_python() -> Result<String> {
    for candidate in ["python3", "python"] {
        let ok = Command::new(candidate)
            .args(["-c", "import sys; assert sys.version_info >= (3, 8)"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if ok {
            return Ok(candidate.to_string());
        }
    }
    err(
        "python3 (3.8 or newer) was not found on PATH. Install it, e.g. apt-get install python3 python3-venv",
    )
}

/// Fails with a message naming the port when something already listens on it.
pub fn check_port_free(port: u16, what: &str) -> Result<()> {
    match TcpListener::bind((Ipv4Addr::LOCALHOST, port)) {
        Ok(_) => Ok(()),
        Err(e) => err(format!(
            "{what} port {port} on 127.0.0.1 is not available ({e}); \
             pick another with --{}-port or stop whatever uses it",
            what.to_lowercase()
        )),
    }
}

/// Two distinct ports the OS considers free right now.
pub fn free_port_pair() -> Result<(u16, u16)> {
    let a = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| HarnessError(format!("cannot bind a free port: {e}")))?;
    let b = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| HarnessError(format!("cannot bind a free port: {e}")))?;
    let pa = a
        .local_addr()
        .map_err(|e| HarnessError(e.to_string()))?
        .port();
    let pb = b
        .local_addr()
        .map_err(|e| HarnessError(e.to_string()))?
        .port();
    Ok((pa, pb))
}

const LAUNCHER: &str = r#"# Started by `cargo xtask server start`: keeps ClickHouse's listeners open while a
# long-running query runs. The working directory holds config.xml (ports, listen_host).
import sys
from chdb import _chdb

_chdb.query(
    "SYSTEM START LISTEN HTTP; SYSTEM START LISTEN TCP; "
    "SELECT sleepEachRow(1) FROM numbers(1000000000) "
    "SETTINGS function_sleep_max_microseconds_per_block=0, max_block_size=1",
    "TabSeparated",
    path=sys.argv[1],
)
"#;

/// Starts a server detached from this process (its own process group, output to `server.log`)
/// and waits until it answers `/ping`. On any failure the half-started process is killed.
pub fn start(config: &ServerConfig) -> Result<RunningServer> {
    if config.http_port == config.tcp_port {
        return err("--http-port and --tcp-port must differ");
    }
    let dir = state_dir(config.http_port);
    if let Some(existing) = read_pid_file(&dir).filter(|pid| is_our_server(*pid, &dir)) {
        return err(format!(
            "a server started by xtask already runs on HTTP port {} (pid {existing}); \
             `cargo xtask server stop --http-port {}` first",
            config.http_port, config.http_port
        ));
    }
    check_port_free(config.http_port, "HTTP")?;
    check_port_free(config.tcp_port, "TCP")?;
    let python = ensure_engine()?;

    fs::create_dir_all(&dir)
        .map_err(|e| HarnessError(format!("cannot create {}: {e}", dir.display())))?;
    let data_dir = match &config.data_dir {
        Some(d) if d.is_absolute() => d.clone(),
        Some(d) => std::env::current_dir()
            .map_err(|e| HarnessError(e.to_string()))?
            .join(d),
        None => dir.join("data"),
    };
    fs::create_dir_all(&data_dir)
        .map_err(|e| HarnessError(format!("cannot create {}: {e}", data_dir.display())))?;
    let config_xml = format!(
        "<clickhouse>\n  <http_port>{}</http_port>\n  <tcp_port>{}</tcp_port>\n  \
         <listen_host>127.0.0.1</listen_host>\n</clickhouse>\n",
        config.http_port, config.tcp_port
    );
    write_file(&dir.join("config.xml"), config_xml.as_bytes())?;
    write_file(&dir.join("launch.py"), LAUNCHER.as_bytes())?;
    let log_path = dir.join("server.log");
    let log = fs::File::create(&log_path)
        .map_err(|e| HarnessError(format!("cannot create {}: {e}", log_path.display())))?;
    let log_err = log.try_clone().map_err(|e| HarnessError(e.to_string()))?;

    let mut command = Command::new(&python);
    command
        .arg(dir.join("launch.py"))
        .arg(&data_dir)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err);
    #[cfg(unix)]
    {
        // Own process group: a Ctrl-C aimed at the terminal's foreground job does not reach
        // the server, so whoever started it decides when it stops.
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let child = command
        .spawn()
        .map_err(|e| HarnessError(format!("cannot start {}: {e}", python.display())))?;
    let pid = child.id();
    write_file(&dir.join("server.pid"), format!("{pid}\n").as_bytes())?;
    let mut server = RunningServer {
        http_port: config.http_port,
        tcp_port: config.tcp_port,
        pid,
        state_dir: dir,
        data_dir,
        child: Some(child),
    };

    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if ping(server.http_port) {
            return Ok(server);
        }
        if let Some(child) = server.child.as_mut()
            && let Ok(Some(status)) = child.try_wait()
        {
            let tail = log_tail(&log_path);
            let _ = fs::remove_file(server.state_dir.join("server.pid"));
            return err(format!(
                "the ClickHouse engine exited ({status}) before answering on HTTP port {}.\n\
                     Last lines of {}:\n{tail}",
                server.http_port,
                log_path.display()
            ));
        }
        if Instant::now() > deadline {
            let tail = log_tail(&log_path);
            let _ = stop_server(&mut server);
            return err(format!(
                "the server did not answer GET /ping on port {} within {:?}; it was stopped.\n\
                 Last lines of {}:\n{tail}",
                server.http_port,
                START_TIMEOUT,
                log_path.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Finds the server xtask started on `http_port`, if its process still runs.
pub fn find(http_port: u16) -> Option<RunningServer> {
    let dir = state_dir(http_port);
    let pid = read_pid_file(&dir)?;
    if !is_our_server(pid, &dir) {
        return None;
    }
    let tcp_port = fs::read_to_string(dir.join("config.xml"))
        .ok()
        .and_then(|xml| {
            let start = xml.find("<tcp_port>")? + "<tcp_port>".len();
            let end = xml[start..].find('<')? + start;
            xml[start..end].trim().parse().ok()
        })
        .unwrap_or(0);
    Some(RunningServer {
        http_port,
        tcp_port,
        pid,
        data_dir: dir.join("data"),
        state_dir: dir,
        child: None,
    })
}

/// Stops a server: SIGTERM, then SIGKILL after a grace period. Only ever signals the pid this
/// harness recorded, and only while that pid still runs our launcher.
pub fn stop_server(server: &mut RunningServer) -> Result<()> {
    let pid_file = server.state_dir.join("server.pid");
    if !is_our_server(server.pid, &server.state_dir) {
        let _ = fs::remove_file(&pid_file);
        if let Some(child) = server.child.as_mut() {
            let _ = child.wait();
        }
        return Ok(());
    }
    signal(server.pid, "TERM");
    let deadline = Instant::now() + STOP_GRACE;
    while !has_exited(server) {
        if Instant::now() > deadline {
            signal(server.pid, "KILL");
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let hard_deadline = Instant::now() + Duration::from_secs(10);
    while !has_exited(server) {
        if Instant::now() > hard_deadline {
            return err(format!(
                "server pid {} did not exit after SIGKILL",
                server.pid
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = fs::remove_file(&pid_file);
    Ok(())
}

/// Kills the server at once (SIGKILL), as a crash would. Fault tests use this.
pub fn kill_server(server: &mut RunningServer) -> Result<()> {
    if is_our_server(server.pid, &server.state_dir) {
        signal(server.pid, "KILL");
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while !has_exited(server) {
        if Instant::now() > deadline {
            return err(format!(
                "server pid {} did not exit after SIGKILL",
                server.pid
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = fs::remove_file(server.state_dir.join("server.pid"));
    Ok(())
}

fn has_exited(server: &mut RunningServer) -> bool {
    match server.child.as_mut() {
        Some(child) => !matches!(child.try_wait(), Ok(None)),
        None => !process_alive(server.pid),
    }
}

fn signal(pid: u32, sig: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .stderr(Stdio::null())
        .status();
}

fn process_alive(pid: u32) -> bool {
    // A zombie (state Z) has exited; it only waits for its parent to reap it.
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .map(|(_, rest)| !rest.trim_start().starts_with('Z'))
            .unwrap_or(true),
        Err(_) => false,
    }
}

/// True when `pid` is alive and runs the launcher from `state_dir` (guards against pid reuse).
fn is_our_server(pid: u32, state_dir: &Path) -> bool {
    if !process_alive(pid) {
        return false;
    }
    let launcher = state_dir.join("launch.py");
    match fs::read(format!("/proc/{pid}/cmdline")) {
        Ok(cmdline) => cmdline
            .split(|b| *b == 0)
            .any(|arg| arg == launcher.as_os_str().as_encoded_bytes()),
        Err(_) => false,
    }
}

fn read_pid_file(dir: &Path) -> Option<u32> {
    fs::read_to_string(dir.join("server.pid"))
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn write_file(path: &Path, contents: &[u8]) -> Result<()> {
    fs::write(path, contents)
        .map_err(|e| HarnessError(format!("cannot write {}: {e}", path.display())))
}

fn log_tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// One blocking HTTP/1.0 request to the server; returns (status code, body).
pub fn http_get(port: u16, path_and_query: &str) -> io::Result<(u16, String)> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path_and_query} HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, body.to_string()))
}

/// True when `GET /ping` answers `Ok.`.
pub fn ping(port: u16) -> bool {
    matches!(http_get(port, "/ping"), Ok((200, body)) if body.starts_with("Ok."))
}

/// `SELECT version()` over HTTP.
pub fn version(port: u16) -> Result<String> {
    match http_get(port, "/?query=SELECT%20version()") {
        Ok((200, body)) => Ok(body.trim().to_string()),
        Ok((status, body)) => err(format!("SELECT version() failed: HTTP {status}: {body}")),
        Err(e) => err(format!("SELECT version() failed: {e}")),
    }
}
