//! Protocol revisions: what this client announces, the oldest it negotiates, and the revision
//! gates of the fields it reads and writes. The negotiated revision is the minimum of the
//! client's and the server's; every field below is present only from its revision on.

use crate::native::NativeOptions;

/// The revision chwire announces: 26.9's own.
pub const REVISION: u64 = 54492;

/// The oldest revision chwire negotiates (servers of 2022 and later): the revision ch-go and
/// clickhouse-go announce, with BlockInfo and the custom-serialization byte already in place.
/// Captures at both ends are in `tests/golden/tcp/`.
pub const MIN_REVISION: u64 = 54460;

pub(crate) const TOTAL_BYTES_IN_PROGRESS: u64 = 54463;
pub(crate) const PASSWORD_RULES: u64 = 54461;
pub(crate) const NONCE: u64 = 54462;
pub(crate) const ROWS_BEFORE_AGGREGATION: u64 = 54469;
pub(crate) const CHUNKED_PACKETS: u64 = 54470;
pub(crate) const PARALLEL_REPLICAS_VERSION: u64 = 54471;
pub(crate) const INTERSERVER_ROLES: u64 = 54472;
pub(crate) const SERVER_SETTINGS: u64 = 54474;
pub(crate) const QUERY_AND_LINE_NUMBERS: u64 = 54475;
pub(crate) const JWT_IN_INTERSERVER: u64 = 54476;
pub(crate) const QUERY_PLAN_SERIALIZATION: u64 = 54477;
pub(crate) const CLUSTER_FUNCTION_PROTOCOL: u64 = 54479;
/// Log, ProfileEvents (and TableColumns) packets are compressed like Data when the query is.
pub(crate) const COMPRESSED_LOGS: u64 = 54481;
pub(crate) const CLIENT_AGENT: u64 = 54485;
pub(crate) const INTERNAL_QUERY_FLAG: u64 = 54486;
pub(crate) const INTERSERVER_CURRENT_ROLES: u64 = 54488;
/// `String` column data is every value's u64 end offset, then the bytes, both ways.
pub(crate) const STRING_OFFSETS: u64 = 54492;

/// The Native block layout of Data, Totals, Extremes, Log and ProfileEvents packets at
/// `revision` (blocks the client sends and receives alike).
pub(crate) fn block_options(revision: u64) -> NativeOptions {
    NativeOptions {
        custom_serialization_flag: true,
        block_info: true,
        string_offsets: revision >= STRING_OFFSETS,
    }
}
