//! Sans-IO core of chwire.
//!
//! Nothing in this crate performs IO, reads a clock, spawns a thread or depends on an async
//! runtime: callers feed bytes in and take values, events and bytes to transmit out. That keeps
//! every protocol decision deterministic and unit-testable with byte vectors captured from a real
//! server, and lets one implementation serve every runtime adapter.

pub mod compression;
pub mod types;
pub mod value;
pub mod wire;

pub use compression::{
    CompressedBlockReader, CompressedBlockWriter, Compression, CompressionError, CompressionMethod,
};
pub use types::{DataType, IntervalKind, JsonParams, TupleElement, TypeParseError};
pub use value::{Point, Value};
pub use wire::{ByteCursor, DecodeError, DecodeLimits, ReadError};
