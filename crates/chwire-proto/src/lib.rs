//! Sans-IO core of chwire.
//!
//! Nothing in this crate performs IO, reads a clock, spawns a thread or depends on an async
//! runtime: callers feed bytes in and take values, events and bytes to transmit out. That keeps
//! every protocol decision deterministic and unit-testable with byte vectors captured from a real
//! server, and lets one implementation serve every runtime adapter.
#![warn(missing_docs)]

pub mod calendar;
pub mod column;
pub mod compression;
pub mod http;
pub mod native;
pub mod rowbinary;
pub mod server;
pub mod tcp;
pub mod types;
pub mod value;
pub mod wire;

pub use column::{Column, ColumnData};
pub use compression::{
    CompressedBlockReader, CompressedBlockWriter, Compression, CompressionError, CompressionMethod,
};
pub use native::{Block, BlockInfo, NativeDecoder, NativeEncoder};
pub use rowbinary::{RowBinaryDecoder, RowBinaryEncoder};
pub use types::{DataType, IntervalKind, JsonParams, MAX_TYPE_DEPTH, TupleElement, TypeParseError};
pub use value::{Point, Value};
pub use wire::{ByteCursor, DecodeError, DecodeLimits, ReadError};
