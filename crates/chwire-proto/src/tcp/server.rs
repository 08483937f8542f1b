//! Server packets other than blocks, parsed from a [`ByteCursor`] (a short read means "wait
//! for more bytes"), each field gated by the negotiated revision.

use crate::server::{Progress, ServerException};
use crate::wire::{ByteCursor, DecodeError, DecodeLimits, ReadError};

use super::revision::*;

/// Server packet types.
pub(crate) mod code {
    pub const HELLO: u64 = 0;
    pub const DATA: u64 = 1;
    pub const EXCEPTION: u64 = 2;
    pub const PROGRESS: u64 = 3;
    pub const PONG: u64 = 4;
    pub const END_OF_STREAM: u64 = 5;
    pub const PROFILE_INFO: u64 = 6;
    pub const TOTALS: u64 = 7;
    pub const EXTREMES: u64 = 8;
    pub const TABLES_STATUS: u64 = 9;
    pub const LOG: u64 = 10;
    pub const TABLE_COLUMNS: u64 = 11;
    pub const PART_UUIDS: u64 = 12;
    pub const READ_TASK_REQUEST: u64 = 13;
    pub const PROFILE_EVENTS: u64 = 14;
    pub const ALL_RANGES_ANNOUNCEMENT: u64 = 15;
    pub const MERGE_TREE_READ_TASK_REQUEST: u64 = 16;
    pub const TIMEZONE_UPDATE: u64 = 17;
    pub const SSH_CHALLENGE: u64 = 18;
}

/// The name of a known packet type that a plain client never receives (answers to requests it
/// does not make: tables status, parallel replicas, SSH login).
pub(crate) fn unexpected_name(packet: u64) -> Option<&'static str> {
    Some(match packet {
        code::TABLES_STATUS => "TablesStatusResponse",
        code::PART_UUIDS => "PartUUIDs",
        code::READ_TASK_REQUEST => "ReadTaskRequest",
        code::ALL_RANGES_ANNOUNCEMENT => "MergeTreeAllRangesAnnouncement",
        code::MERGE_TREE_READ_TASK_REQUEST => "MergeTreeReadTaskRequest",
        code::SSH_CHALLENGE => "SSHChallenge",
        _ => return None,
    })
}

/// The server's Hello.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerHello {
    /// The server's name (e.g. `ClickHouse`).
    pub name: String,
    /// Major, minor, patch version of the server.
    pub version: (u64, u64, u64),
    /// The server's protocol revision.
    pub revision: u64,
    /// The server's time zone (e.g. `UTC`).
    pub timezone: String,
    /// The server's display name (its `display_name` setting, by default the host name).
    pub display_name: String,
    /// The server's settings it reports to clients (from 54474): name and value.
    pub settings: Vec<(String, String)>,
}

/// Most nested exceptions accepted (a hostile chain cannot recurse without bound).
const MAX_NESTED: usize = 32;
/// Most server settings or password rules in a Hello.
const MAX_HELLO_ITEMS: u64 = 4096;

fn string(cur: &mut ByteCursor<'_>, limits: &DecodeLimits) -> Result<String, ReadError> {
    Ok(String::from_utf8_lossy(cur.string(limits)?).into_owned())
}

/// Reads a Hello (after its type) for a client announcing `client_revision`.
pub(crate) fn read_hello(
    cur: &mut ByteCursor<'_>,
    client_revision: u64,
    limits: &DecodeLimits,
) -> Result<ServerHello, ReadError> {
    let name = string(cur, limits)?;
    let major = cur.varuint()?;
    let minor = cur.varuint()?;
    let revision = cur.varuint()?;
    let gate = revision.min(client_revision);
    if gate >= PARALLEL_REPLICAS_VERSION {
        cur.varuint()?;
    }
    let timezone = string(cur, limits)?;
    let display_name = string(cur, limits)?;
    let patch = cur.varuint()?;
    if gate >= CHUNKED_PACKETS {
        cur.string(limits)?;
        cur.string(limits)?;
    }
    if gate >= PASSWORD_RULES {
        let n = cur.length(MAX_HELLO_ITEMS, "password rules")?;
        for _ in 0..n {
            cur.string(limits)?;
            cur.string(limits)?;
        }
    }
    if gate >= NONCE {
        cur.u64_le()?;
    }
    let mut settings = Vec::new();
    if gate >= SERVER_SETTINGS {
        loop {
            let name = string(cur, limits)?;
            if name.is_empty() {
                break;
            }
            if settings.len() as u64 >= MAX_HELLO_ITEMS {
                return Err(ReadError::Bad(DecodeError::LimitExceeded {
                    what: "server settings",
                    value: settings.len() as u64 + 1,
                    limit: MAX_HELLO_ITEMS,
                }));
            }
            cur.varuint()?;
            settings.push((name, string(cur, limits)?));
        }
    }
    if gate >= QUERY_PLAN_SERIALIZATION {
        cur.varuint()?;
    }
    if gate >= CLUSTER_FUNCTION_PROTOCOL {
        cur.varuint()?;
    }
    Ok(ServerHello {
        name,
        version: (major, minor, patch),
        revision,
        timezone,
        display_name,
        settings,
    })
}

/// Reads an Exception and its nested causes (outermost first).
pub(crate) fn read_exception(
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
) -> Result<ServerException, ReadError> {
    let mut chain = Vec::new();
    loop {
        let code = cur.i32_le()?;
        let _class = cur.string(limits)?;
        let text = String::from_utf8_lossy(cur.string(limits)?).into_owned();
        let stack = string(cur, limits)?;
        // The text is `DB::Exception: message (NAME)`, the body of the HTTP interface's
        // `Code: N. …` line: parsed the same way.
        let e = ServerException::parse(&format!("Code: {code}. {text}"))
            .unwrap_or_else(|| ServerException::new(code, text));
        chain.push(if stack.is_empty() {
            e
        } else {
            e.with_stack_trace(stack)
        });
        if cur.u8()? == 0 {
            break;
        }
        if chain.len() >= MAX_NESTED {
            return Err(ReadError::Bad(DecodeError::LimitExceeded {
                what: "nested exceptions",
                value: chain.len() as u64 + 1,
                limit: MAX_NESTED as u64,
            }));
        }
    }
    let mut inner = chain.pop();
    while let Some(outer) = chain.pop() {
        inner = inner.map(|n| outer.with_nested(n));
    }
    // The loop pushed at least one exception.
    inner.ok_or(ReadError::Bad(DecodeError::Truncated("exception")))
}

/// Reads a Progress packet: an increment of the query's counters.
pub(crate) fn read_progress(
    cur: &mut ByteCursor<'_>,
    revision: u64,
) -> Result<Progress, ReadError> {
    let mut p = Progress {
        read_rows: cur.varuint()?,
        read_bytes: cur.varuint()?,
        total_rows_to_read: cur.varuint()?,
        ..Progress::default()
    };
    if revision >= TOTAL_BYTES_IN_PROGRESS {
        p.total_bytes_to_read = cur.varuint()?;
    }
    p.written_rows = cur.varuint()?;
    p.written_bytes = cur.varuint()?;
    p.elapsed_ns = cur.varuint()?;
    Ok(p)
}

/// The server's profile of a query's result (after the last Data block).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProfileInfo {
    /// Rows of the result.
    pub rows: u64,
    /// Blocks of the result.
    pub blocks: u64,
    /// Bytes of the result's blocks in memory.
    pub bytes: u64,
    /// Whether a `LIMIT` cut the result.
    pub applied_limit: bool,
    /// Rows before the `LIMIT` applied (valid when `calculated_rows_before_limit`).
    pub rows_before_limit: u64,
    /// Whether `rows_before_limit` was calculated.
    pub calculated_rows_before_limit: bool,
    /// Whether the query aggregated.
    pub applied_aggregation: bool,
    /// Rows before the aggregation.
    pub rows_before_aggregation: u64,
}

pub(crate) fn read_profile_info(
    cur: &mut ByteCursor<'_>,
    revision: u64,
) -> Result<ProfileInfo, ReadError> {
    let mut p = ProfileInfo {
        rows: cur.varuint()?,
        blocks: cur.varuint()?,
        bytes: cur.varuint()?,
        applied_limit: cur.u8()? != 0,
        rows_before_limit: cur.varuint()?,
        calculated_rows_before_limit: cur.u8()? != 0,
        ..ProfileInfo::default()
    };
    if revision >= ROWS_BEFORE_AGGREGATION {
        p.applied_aggregation = cur.u8()? != 0;
        p.rows_before_aggregation = cur.varuint()?;
    }
    Ok(p)
}

pub(crate) fn read_string(
    cur: &mut ByteCursor<'_>,
    limits: &DecodeLimits,
) -> Result<String, ReadError> {
    string(cur, limits)
}
