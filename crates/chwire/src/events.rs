//! What a native query reports besides its result: server log lines, profile event counters,
//! the totals row and the extremes. Their typed forms ([`ServerLog`], [`ProfileEvent`]),
//! decoded from the server's Log and ProfileEvents blocks, and the callbacks a [`Query`]
//! registers for them ([`Query::on_log`] and the rest), which the native transport calls as
//! the packets arrive. HTTP carries none of them in the formats chwire reads (Native,
//! RowBinary), so a request with a callback fails there before anything is sent.
//!
//! [`Query`]: crate::Query
//! [`Query::on_log`]: crate::Query::on_log

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use chwire_proto::column::StringColumn;
use chwire_proto::tcp::Event;
use chwire_proto::wire::DecodeError;
use chwire_proto::{Block, Column};

use crate::error::Result;
use crate::settings::Settings;

/// How severe a server log line is (ClickHouse's `priority`, Poco's levels), most severe
/// first: `Fatal < Trace` in the order of the enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum LogPriority {
    /// `Fatal` (1).
    Fatal = 1,
    /// `Critical` (2).
    Critical,
    /// `Error` (3).
    Error,
    /// `Warning` (4).
    Warning,
    /// `Notice` (5).
    Notice,
    /// `Information` (6).
    Information,
    /// `Debug` (7).
    Debug,
    /// `Trace` (8).
    Trace,
    /// `Test` (9): the server's own test messages.
    Test,
}

impl LogPriority {
    const ALL: [LogPriority; 9] = [
        LogPriority::Fatal,
        LogPriority::Critical,
        LogPriority::Error,
        LogPriority::Warning,
        LogPriority::Notice,
        LogPriority::Information,
        LogPriority::Debug,
        LogPriority::Trace,
        LogPriority::Test,
    ];

    /// The priority the server sends as `n`.
    pub fn from_code(n: i8) -> Option<LogPriority> {
        Self::ALL
            .get(usize::try_from(n).ok()?.checked_sub(1)?)
            .copied()
    }

    /// The least verbose `send_logs_level` whose lines include every line of this priority
    /// (the setting has no `critical` or `notice`: those take the next more verbose level).
    pub fn send_logs_level(self) -> &'static str {
        match self {
            LogPriority::Fatal => "fatal",
            LogPriority::Critical | LogPriority::Error => "error",
            LogPriority::Warning => "warning",
            LogPriority::Notice | LogPriority::Information => "information",
            LogPriority::Debug => "debug",
            LogPriority::Trace => "trace",
            LogPriority::Test => "test",
        }
    }
}

/// One server log line of a query ([`Query::on_log`](crate::Query::on_log)). Text fields are
/// the server's bytes as UTF-8 (invalid sequences replaced).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerLog {
    /// When the server logged it (microseconds).
    pub time: SystemTime,
    /// The server's host name.
    pub host: String,
    /// The query it belongs to.
    pub query_id: String,
    /// The server thread that logged it.
    pub thread_id: u64,
    /// Its severity.
    pub priority: LogPriority,
    /// The server component (logger name), e.g. `executeQuery`.
    pub source: String,
    /// The message.
    pub text: String,
}

/// How a profile event's value counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProfileEventKind {
    /// A counter: the value is what it grew by since the last report (per thread; the
    /// query's total is the sum).
    Increment,
    /// A level (memory in use, its peak): the value is the current one.
    Gauge,
}

/// One profile event counter of a query
/// ([`Query::on_profile_events`](crate::Query::on_profile_events)), e.g. `SelectedRows`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProfileEvent {
    /// The server's host name.
    pub host: String,
    /// When the server took the counters (seconds).
    pub time: SystemTime,
    /// The server thread counted (0: the query as a whole).
    pub thread_id: u64,
    /// Increment or gauge.
    pub kind: ProfileEventKind,
    /// The counter's name (`system.events`), e.g. `SelectedRows`.
    pub name: String,
    /// Its value.
    pub value: i64,
}

/// A log line callback, with the least severe priority it wants.
type LogFn = (LogPriority, Arc<dyn Fn(&ServerLog) + Send + Sync>);
type ProfileFn = Arc<dyn Fn(&[ProfileEvent]) + Send + Sync>;
type BlockFn = Arc<dyn Fn(&Block) + Send + Sync>;

/// The callbacks a query registered for what the server reports besides its result.
#[derive(Clone, Default)]
pub(crate) struct EventCallbacks {
    pub(crate) log: Option<LogFn>,
    pub(crate) profile: Option<ProfileFn>,
    pub(crate) totals: Option<BlockFn>,
    pub(crate) extremes: Option<BlockFn>,
}

impl EventCallbacks {
    /// Registers `f` for the log lines of `level` or more severe, and asks the server for
    /// them in `settings` (`send_logs_level`, unless it is set there): one rule for queries
    /// and inserts.
    pub(crate) fn set_log(
        &mut self,
        settings: &mut Settings,
        level: LogPriority,
        f: Arc<dyn Fn(&ServerLog) + Send + Sync>,
    ) {
        if settings.get("send_logs_level").is_none() {
            settings.set("send_logs_level", level.send_logs_level());
        }
        self.log = Some((level, f));
    }

    /// The first callback registered, named for an error on a transport that cannot call it.
    pub(crate) fn registered(&self) -> Option<&'static str> {
        if self.log.is_some() {
            Some("server logs (on_log: the native protocol's Log packets)")
        } else if self.profile.is_some() {
            Some("profile events (on_profile_events: the native protocol's ProfileEvents packets)")
        } else if self.totals.is_some() {
            Some("totals (on_totals: the server drops them from Native and RowBinary results)")
        } else if self.extremes.is_some() {
            Some("extremes (on_extremes: the server drops them from Native and RowBinary results)")
        } else {
            None
        }
    }

    /// Hands `event` to its callback when it is one of the reports besides the result
    /// (`true`; also when nobody registered for it, then it is dropped), or leaves it to the
    /// caller (`false`). A Log or ProfileEvents block that does not have the server's columns
    /// is an error: nothing is called for it.
    pub(crate) fn deliver(&self, event: &Event) -> Result<bool> {
        match event {
            Event::Log(b) => {
                if let Some((level, f)) = &self.log {
                    for_each_log(b, |line| {
                        if line.priority <= *level {
                            f(line)
                        }
                    })?;
                }
            }
            Event::ProfileEvents(b) => {
                if let Some(f) = &self.profile {
                    f(&profile_events(b)?);
                }
            }
            Event::Totals(b) => call_block(&self.totals, b),
            Event::Extremes(b) => call_block(&self.extremes, b),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

fn call_block(f: &Option<BlockFn>, b: &Block) {
    if let (Some(f), true) = (f, b.rows > 0) {
        f(b)
    }
}

/// Calls `f` with each line of a Log block, without collecting them.
fn for_each_log(b: &Block, mut f: impl FnMut(&ServerLog)) -> Result<()> {
    if b.rows == 0 {
        return Ok(());
    }
    let secs = column(b, "event_time", Column::as_u32)?;
    let micros = column(b, "event_time_microseconds", Column::as_u32)?;
    let host = column(b, "host_name", Column::as_strings)?;
    let query_id = column(b, "query_id", Column::as_strings)?;
    let thread_id = column(b, "thread_id", Column::as_u64)?;
    let priority = column(b, "priority", Column::as_i8)?;
    let source = column(b, "source", Column::as_strings)?;
    let text = column(b, "text", Column::as_strings)?;
    for i in 0..b.rows {
        let priority = LogPriority::from_code(priority[i])
            .ok_or_else(|| bad("priority", format!("unknown log priority {}", priority[i])))?;
        let line = ServerLog {
            time: at(secs[i], micros[i]),
            host: text_at(host, i),
            query_id: text_at(query_id, i),
            thread_id: thread_id[i],
            priority,
            source: text_at(source, i),
            text: text_at(text, i),
        };
        f(&line);
    }
    Ok(())
}

/// The counters of a ProfileEvents block.
fn profile_events(b: &Block) -> Result<Vec<ProfileEvent>> {
    if b.rows == 0 {
        return Ok(Vec::new());
    }
    let host = column(b, "host_name", Column::as_strings)?;
    let time = column(b, "current_time", Column::as_u32)?;
    let thread_id = column(b, "thread_id", Column::as_u64)?;
    let kind = column(b, "type", Column::as_i8)?;
    let name = column(b, "name", Column::as_strings)?;
    let value = column(b, "value", Column::as_i64)?;
    (0..b.rows)
        .map(|i| {
            let kind = match kind[i] {
                1 => ProfileEventKind::Increment,
                2 => ProfileEventKind::Gauge,
                k => return Err(bad("type", format!("unknown profile event type {k}")).into()),
            };
            Ok(ProfileEvent {
                host: text_at(host, i),
                time: at(time[i], 0),
                thread_id: thread_id[i],
                kind,
                name: text_at(name, i),
                value: value[i],
            })
        })
        .collect()
}

/// Column `name` of `b` through `view` (its storage), checked to hold `b.rows` values.
fn column<'b, T: ?Sized + Len>(
    b: &'b Block,
    name: &str,
    view: impl Fn(&'b Column) -> Option<&'b T>,
) -> Result<&'b T> {
    let c = b
        .column(name)
        .ok_or_else(|| bad(name, "the server's block has no such column".into()))?;
    match view(c) {
        Some(v) if v.count() == b.rows => Ok(v),
        Some(_) => Err(bad(name, format!("not {} rows", b.rows)).into()),
        None => Err(bad(name, format!("unexpected type {}", c.data_type())).into()),
    }
}

/// How many values a column's storage holds.
trait Len {
    fn count(&self) -> usize;
}

impl<T> Len for [T] {
    fn count(&self) -> usize {
        self.len()
    }
}

impl Len for StringColumn {
    fn count(&self) -> usize {
        self.len()
    }
}

fn bad(column: &str, reason: String) -> DecodeError {
    DecodeError::TypeMismatch {
        ty: format!("server event column `{column}`"),
        reason,
    }
}

fn text_at(c: &StringColumn, i: usize) -> String {
    String::from_utf8_lossy(c.get(i).unwrap_or_default()).into_owned()
}

fn at(secs: u32, micros: u32) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs.into()) + Duration::from_micros(micros.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chwire_proto::{DataType, Value};

    fn col(ty: &str, values: Vec<Value>) -> Column {
        Column::from_values(&DataType::parse(ty).unwrap(), values).unwrap()
    }

    fn s(v: &str) -> Value {
        Value::String(v.as_bytes().to_vec())
    }

    /// A Log block with the server's columns, names and types as ClickHouse's
    /// `InternalTextLogsQueue::getSampleBlock` defines them (checked against its source: the
    /// embedded server sends no Log packet to capture).
    fn log_block(priorities: &[i8]) -> Block {
        let n = priorities.len();
        Block::new(vec![
            (
                "event_time".into(),
                col("DateTime", vec![Value::UInt32(1_700_000_000); n]),
            ),
            (
                "event_time_microseconds".into(),
                col("UInt32", vec![Value::UInt32(250); n]),
            ),
            ("host_name".into(), col("String", vec![s("h"); n])),
            ("query_id".into(), col("String", vec![s("q1"); n])),
            ("thread_id".into(), col("UInt64", vec![Value::UInt64(7); n])),
            (
                "priority".into(),
                col("Int8", priorities.iter().map(|p| Value::Int8(*p)).collect()),
            ),
            ("source".into(), col("String", vec![s("executeQuery"); n])),
            ("text".into(), col("String", vec![s("Read 1 rows"); n])),
        ])
        .unwrap()
    }

    #[test]
    fn log_lines_are_decoded_and_filtered_by_priority() {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        let events = EventCallbacks {
            log: Some((
                LogPriority::Debug,
                Arc::new(move |l: &ServerLog| sink.lock().unwrap().push(l.clone())),
            )),
            ..EventCallbacks::default()
        };
        assert!(events.deliver(&Event::Log(log_block(&[6, 8, 7]))).unwrap());
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert_eq!(seen[0].priority, LogPriority::Information);
        assert_eq!(seen[1].priority, LogPriority::Debug);
        assert_eq!(seen[0].query_id, "q1");
        assert_eq!(seen[0].text, "Read 1 rows");
        assert_eq!(
            seen[0].time,
            SystemTime::UNIX_EPOCH + Duration::from_micros(1_700_000_000_000_250)
        );
    }

    #[test]
    fn a_log_block_without_the_servers_columns_is_an_error() {
        let events = EventCallbacks {
            log: Some((LogPriority::Trace, Arc::new(|_: &ServerLog| {}))),
            ..EventCallbacks::default()
        };
        let mut b = log_block(&[6]);
        b.columns.retain(|c| c.0 != "text");
        let e = events.deliver(&Event::Log(b)).unwrap_err();
        assert!(e.to_string().contains("text"), "{e}");
        let e = events.deliver(&Event::Log(log_block(&[42]))).unwrap_err();
        assert!(e.to_string().contains("42"), "{e}");
    }

    #[test]
    fn other_events_are_left_to_the_caller() {
        let events = EventCallbacks::default();
        assert!(!events.deliver(&Event::EndOfStream).unwrap());
        assert!(events.deliver(&Event::Totals(Block::default())).unwrap());
        assert_eq!(events.registered(), None);
    }

    #[test]
    fn priorities_and_levels() {
        assert_eq!(LogPriority::from_code(1), Some(LogPriority::Fatal));
        assert_eq!(LogPriority::from_code(9), Some(LogPriority::Test));
        assert_eq!(LogPriority::from_code(0), None);
        assert_eq!(LogPriority::from_code(-1), None);
        assert_eq!(LogPriority::from_code(10), None);
        assert!(LogPriority::Fatal < LogPriority::Trace);
        assert_eq!(LogPriority::Notice.send_logs_level(), "information");
    }
}
