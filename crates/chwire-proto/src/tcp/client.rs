//! Client packets: what the client sends, field by field, gated by the negotiated revision.
//! Every volatile field (query id, addresses, times, host and user names) is an input, so the
//! bytes are reproducible.

use crate::compression::{CompressedBlockWriter, Compression, CompressionError};
use crate::native::{Block, BlockInfo, NativeEncoder, write_block_info};
use crate::server::Credentials;
use crate::wire::{DecodeError, put_string, put_varuint};

use super::revision::*;

/// Client packet types.
pub(crate) const HELLO: u64 = 0;
pub(crate) const QUERY: u64 = 1;
pub(crate) const DATA: u64 = 2;
pub(crate) const CANCEL: u64 = 3;
pub(crate) const PING: u64 = 4;

/// Query processing stage: the complete result.
const STAGE_COMPLETE: u64 = 2;
/// `ClientInfo` query kind: an initial (not a distributed sub-) query.
const INITIAL_QUERY: u8 = 1;
/// `ClientInfo` interface: TCP.
const INTERFACE_TCP: u8 = 1;
/// Setting flag: a custom setting / query parameter (its value is a quoted field dump).
const FLAG_CUSTOM: u64 = 0x02;
/// Setting flag: the server must know the setting (fail instead of ignoring it).
const FLAG_IMPORTANT: u64 = 0x01;

/// The client's identity in the Hello and in every query's `ClientInfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientHello {
    /// The client name the server logs (default `chwire`).
    pub client_name: String,
    /// Major, minor, patch version of the client.
    pub version: (u64, u64, u64),
    /// The revision to announce, [`MIN_REVISION`]`..=`[`REVISION`] (clamped).
    pub revision: u64,
    /// The default database (empty: the user's default).
    pub database: String,
    /// The user and password to authenticate with.
    pub credentials: Credentials,
    /// The quota key (empty: none).
    pub quota_key: String,
}

impl ClientHello {
    /// A hello from `chwire` 0.1.0 at [`REVISION`], on the user's default database.
    pub fn new(credentials: Credentials) -> ClientHello {
        ClientHello {
            client_name: "chwire".into(),
            version: (0, 1, 0),
            revision: REVISION,
            database: String::new(),
            credentials,
            quota_key: String::new(),
        }
    }

    pub(crate) fn revision(&self) -> u64 {
        self.revision.clamp(MIN_REVISION, REVISION)
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        put_varuint(out, HELLO);
        put_string(out, self.client_name.as_bytes());
        put_varuint(out, self.version.0);
        put_varuint(out, self.version.1);
        put_varuint(out, self.revision());
        put_string(out, self.database.as_bytes());
        put_string(out, self.credentials.user.as_bytes());
        put_string(out, self.credentials.password().as_bytes());
    }

    /// The addendum after the server's Hello (no packet type): quota key, the framing choice
    /// (chwire never uses chunked packets), the parallel-replicas protocol version (none).
    pub(crate) fn encode_addendum(&self, revision: u64, out: &mut Vec<u8>) {
        put_string(out, self.quota_key.as_bytes());
        if revision >= CHUNKED_PACKETS {
            put_string(out, b"notchunked");
            put_string(out, b"notchunked");
        }
        if revision >= PARALLEL_REPLICAS_VERSION {
            put_varuint(out, 0);
        }
    }
}

/// W3C trace context sent with a query, in W3C byte order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TraceContext {
    /// The trace id (16 bytes).
    pub trace_id: [u8; 16],
    /// The parent span id (8 bytes).
    pub span_id: [u8; 8],
    /// The W3C trace flags (bit 0: sampled).
    pub flags: u8,
}

impl TraceContext {
    /// Parses a W3C `traceparent` (`00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`), the
    /// form tracing libraries and scripts hold a trace context in; `None` unless it is exactly
    /// that (version 00, lowercase or uppercase hex).
    pub fn from_traceparent(text: &str) -> Option<TraceContext> {
        let mut parts = text.split('-');
        let (Some("00"), Some(trace), Some(span), Some(flags), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let mut out = TraceContext::default();
        hex_into(trace, &mut out.trace_id)?;
        hex_into(span, &mut out.span_id)?;
        let mut f = [0u8; 1];
        hex_into(flags, &mut f)?;
        out.flags = f[0];
        Some(out)
    }
}

/// Fills `out` from exactly `2 * out.len()` hex digits.
fn hex_into(text: &str, out: &mut [u8]) -> Option<()> {
    let digits = text.as_bytes();
    if digits.len() != 2 * out.len() {
        return None;
    }
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        let hi = char::from(pair[0]).to_digit(16)?;
        let lo = char::from(pair[1]).to_digit(16)?;
        *byte = (hi * 16 + lo) as u8;
    }
    Some(())
}

/// Per-query client information. `Default` is the pinned, reproducible form: empty names,
/// address `0.0.0.0:0`, start time 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientInfo {
    /// The user who started the query chain (empty for a query the client starts).
    pub initial_user: String,
    /// The id of the query that started the chain (empty for a query the client starts).
    pub initial_query_id: String,
    /// The address (`host:port`) the query chain started from.
    pub initial_address: String,
    /// Query start time in microseconds since the epoch (an input: proto reads no clock).
    pub query_start_time_us: i64,
    /// The operating system user the client runs as.
    pub os_user: String,
    /// The host name of the client's machine.
    pub hostname: String,
    /// The trace context to propagate, if any.
    pub trace: Option<TraceContext>,
    /// The W3C `tracestate` sent with the trace context (empty: none).
    pub tracestate: String,
}

impl Default for ClientInfo {
    fn default() -> Self {
        ClientInfo {
            initial_user: String::new(),
            initial_query_id: String::new(),
            initial_address: "0.0.0.0:0".into(),
            query_start_time_us: 0,
            os_user: String::new(),
            hostname: String::new(),
            trace: None,
            tracestate: String::new(),
        }
    }
}

/// A setting sent with a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The setting's name.
    pub name: String,
    /// The setting's value, as text.
    pub value: String,
    /// Fail the query if the server does not know the setting.
    pub important: bool,
}

/// A query to send.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The query id (empty: the server assigns one).
    pub id: String,
    /// The SQL text.
    pub sql: String,
    /// The client information sent with the query.
    pub info: ClientInfo,
    /// Settings for this query.
    pub settings: Vec<Setting>,
    /// Server-side parameters `{name:Type}`, as the text of their values.
    pub parameters: Vec<(String, String)>,
    /// Compression of Data packets both ways (and, from 54481, of logs and profile events);
    /// the codec is also sent as the `network_compression_method` setting.
    pub compression: Option<Compression>,
}

impl Query {
    /// A query `sql` with id `id`, default client info, no settings, parameters or compression.
    pub fn new(id: impl Into<String>, sql: impl Into<String>) -> Query {
        Query {
            id: id.into(),
            sql: sql.into(),
            ..Query::default()
        }
    }

    /// Adds a setting the server may ignore if it does not know it.
    pub fn setting(mut self, name: impl Into<String>, value: impl Into<String>) -> Query {
        self.settings.push(Setting {
            name: name.into(),
            value: value.into(),
            important: false,
        });
        self
    }

    /// Adds the text value of the server-side parameter `{name:Type}`.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Query {
        self.parameters.push((name.into(), value.into()));
        self
    }

    /// Compresses Data packets with `compression`.
    pub fn compression(mut self, compression: Compression) -> Query {
        self.compression = Some(compression);
        self
    }

    pub(crate) fn encode(&self, hello: &ClientHello, revision: u64, out: &mut Vec<u8>) {
        put_varuint(out, QUERY);
        put_string(out, self.id.as_bytes());
        self.encode_info(hello, revision, out);
        for s in &self.settings {
            put_string(out, s.name.as_bytes());
            put_varuint(out, if s.important { FLAG_IMPORTANT } else { 0 });
            put_string(out, s.value.as_bytes());
        }
        if let Some(c) = self.compression {
            put_string(out, b"network_compression_method");
            put_varuint(out, 0);
            put_string(out, codec_name(c).as_bytes());
            if let Compression::Zstd { level } = c {
                put_string(out, b"network_zstd_compression_level");
                put_varuint(out, 0);
                put_string(out, level.to_string().as_bytes());
            }
        }
        put_string(out, b"");
        if revision >= INTERSERVER_ROLES {
            put_string(out, b"");
        }
        // Interserver secret hash: empty for a client.
        put_string(out, b"");
        put_varuint(out, STAGE_COMPLETE);
        put_varuint(out, u64::from(self.compression.is_some()));
        put_string(out, self.sql.as_bytes());
        for (name, value) in &self.parameters {
            put_string(out, name.as_bytes());
            put_varuint(out, FLAG_CUSTOM);
            put_string(out, quote_field(value).as_bytes());
        }
        put_string(out, b"");
    }

    fn encode_info(&self, hello: &ClientHello, revision: u64, out: &mut Vec<u8>) {
        let info = &self.info;
        out.push(INITIAL_QUERY);
        put_string(out, info.initial_user.as_bytes());
        put_string(out, info.initial_query_id.as_bytes());
        put_string(out, info.initial_address.as_bytes());
        out.extend_from_slice(&info.query_start_time_us.to_le_bytes());
        out.push(INTERFACE_TCP);
        put_string(out, info.os_user.as_bytes());
        put_string(out, info.hostname.as_bytes());
        put_string(out, hello.client_name.as_bytes());
        put_varuint(out, hello.version.0);
        put_varuint(out, hello.version.1);
        put_varuint(out, hello.revision());
        put_string(out, hello.quota_key.as_bytes());
        // Distributed depth, then the version patch.
        put_varuint(out, 0);
        put_varuint(out, hello.version.2);
        match &info.trace {
            Some(t) => {
                out.push(1);
                // The server reads the ids as little-endian integers: each 8-byte half of the
                // W3C (big-endian) bytes goes reversed.
                for half in t.trace_id.chunks(8).chain(std::iter::once(&t.span_id[..])) {
                    out.extend(half.iter().rev());
                }
                put_string(out, info.tracestate.as_bytes());
                out.push(t.flags);
            }
            None => out.push(0),
        }
        // Parallel replicas: collaborate flag, replica count, replica number.
        put_varuint(out, 0);
        put_varuint(out, 0);
        put_varuint(out, 0);
        if revision >= QUERY_AND_LINE_NUMBERS {
            put_varuint(out, 0);
            put_varuint(out, 0);
        }
        if revision >= JWT_IN_INTERSERVER {
            out.push(0);
        }
        if revision >= CLIENT_AGENT {
            put_string(out, b"");
        }
        if revision >= INTERNAL_QUERY_FLAG {
            out.push(0);
        }
        if revision >= INTERSERVER_CURRENT_ROLES {
            put_varuint(out, 0);
        }
    }
}

/// The server's name of a codec (`network_compression_method`).
fn codec_name(c: Compression) -> &'static str {
    match c {
        Compression::None => "none",
        Compression::Lz4 => "lz4",
        Compression::Zstd { .. } => "zstd",
    }
}

/// A parameter value as the server's field dump: single-quoted, `\` and `'` escaped.
fn quote_field(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\\' || c == '\'' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// Writes a Data packet: type, empty table name, then BlockInfo and the block, through
/// `compress` when the query is compressed (one or more frames, ending with the block).
pub(crate) fn encode_data(
    block: &Block,
    revision: u64,
    compress: Option<&mut CompressedBlockWriter>,
    out: &mut Vec<u8>,
) -> Result<(), DataError> {
    put_varuint(out, DATA);
    put_string(out, b"");
    let encoder = NativeEncoder::new().with_options(block_options(revision));
    match compress {
        None => {
            write_block_info(out, &BlockInfo::default());
            encoder.encode_into(block, out)?;
        }
        Some(writer) => {
            let mut body = Vec::new();
            write_block_info(&mut body, &BlockInfo::default());
            encoder.encode_into(block, &mut body)?;
            writer.write(&body, out)?;
        }
    }
    Ok(())
}

/// Why a Data packet could not be written.
#[derive(Debug)]
pub(crate) enum DataError {
    Encode(DecodeError),
    Compress(CompressionError),
}

impl From<DecodeError> for DataError {
    fn from(e: DecodeError) -> Self {
        DataError::Encode(e)
    }
}

impl From<CompressionError> for DataError {
    fn from(e: CompressionError) -> Self {
        DataError::Compress(e)
    }
}
