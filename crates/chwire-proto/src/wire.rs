//! Primitive wire reading/writing shared by the RowBinary and Native codecs.
//!
//! Decoders are incremental: they try to decode one unit (a row, a block) from the bytes buffered
//! so far with a [`ByteCursor`]; when the input ends early the cursor reports
//! [`ReadError::Short`] and the decoder keeps its buffer and reports "need more" to its caller
//! instead of failing. Every length read from the wire is checked against [`DecodeLimits`]
//! *before* anything is allocated or awaited, so hostile input cannot make us buffer or allocate
//! without bound.

use bytes::BufMut;

/// A decoding failure that more input cannot fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes do not form a valid encoding.
    #[error("malformed data at byte {offset}: {reason}")]
    Malformed {
        /// The byte offset of the error in the input (a stream offset once
        /// [`shifted`](DecodeError::shifted)).
        offset: usize,
        /// What is wrong there.
        reason: String,
    },
    /// A length, count or size read from the wire exceeds the configured cap.
    #[error("{what} of {value} exceeds the limit of {limit}")]
    LimitExceeded {
        /// What was measured (e.g. a string length or a row count).
        what: &'static str,
        /// The value read from the wire.
        value: u64,
        /// The configured cap it exceeds.
        limit: u64,
    },
    /// A type string in the data could not be parsed.
    #[error(transparent)]
    Type(#[from] crate::TypeParseError),
    /// The type is valid but this codec cannot handle it.
    #[error("unsupported type {0}")]
    Unsupported(String),
    /// A value does not match the column type it is encoded/decoded as.
    #[error("value does not match type {ty}: {reason}")]
    TypeMismatch {
        /// The column type.
        ty: String,
        /// How the value does not match it.
        reason: String,
    },
    /// The stream ended in the middle of a unit.
    #[error("input ended inside a {0}")]
    Truncated(&'static str),
}

impl DecodeError {
    /// The error with its byte offset moved `base` bytes on. A cursor counts offsets from the
    /// start of the slice it reads; a decoder that knows where that slice lies in its stream
    /// makes them stream offsets this way, so an error reads the same however the input was split.
    pub fn shifted(self, base: usize) -> Self {
        match self {
            DecodeError::Malformed { offset, reason } => DecodeError::Malformed {
                offset: offset.saturating_add(base),
                reason,
            },
            e => e,
        }
    }

    /// The error with its byte offset replaced by `offset` (for errors inside bytes that have
    /// no position of their own in the stream, such as a decompressed frame).
    pub fn at(self, offset: usize) -> Self {
        match self {
            DecodeError::Malformed { reason, .. } => DecodeError::Malformed { offset, reason },
            e => e,
        }
    }
}

/// Why a [`ByteCursor`] read failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not enough input yet; at least this many more bytes are needed.
    Short(usize),
    /// The input is invalid.
    Bad(DecodeError),
}

impl ReadError {
    /// [`DecodeError::shifted`] for a `Bad` read.
    pub fn shifted(self, base: usize) -> Self {
        match self {
            ReadError::Bad(e) => ReadError::Bad(e.shifted(base)),
            short => short,
        }
    }
}

impl From<DecodeError> for ReadError {
    fn from(e: DecodeError) -> Self {
        ReadError::Bad(e)
    }
}

/// Caps on sizes read from the wire. Defaults are generous for real data and small enough that a
/// corrupted length cannot exhaust memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Longest `String` value, in bytes.
    pub max_string_len: u64,
    /// Most elements in one array, map or row count of a block.
    pub max_collection_len: u64,
    /// Most columns in one block or header.
    pub max_columns: u64,
    /// Deepest type nesting (arrays of tuples of …).
    pub max_depth: u32,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_string_len: 1 << 30,
            max_collection_len: 1 << 28,
            max_columns: 1 << 16,
            max_depth: 64,
        }
    }
}

/// A read position over a borrowed byte slice.
#[derive(Debug, Clone)]
pub struct ByteCursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

macro_rules! read_le {
    ($($name:ident: $t:ty),* $(,)?) => {$(
        #[doc = concat!("Reads a little-endian `", stringify!($t), "`.")]
        #[inline]
        pub fn $name(&mut self) -> Result<$t, ReadError> {
            const N: usize = std::mem::size_of::<$t>();
            let b = self.array::<N>()?;
            Ok(<$t>::from_le_bytes(b))
        }
    )*};
}

impl<'a> ByteCursor<'a> {
    /// A cursor at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        ByteCursor { buf, pos: 0 }
    }

    /// Bytes consumed so far.
    #[inline]
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The bytes not consumed yet.
    #[inline]
    pub fn remaining(&self) -> &'a [u8] {
        &self.buf[self.pos..]
    }

    /// Whether every byte was consumed.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// Takes the next `n` bytes.
    #[inline]
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], ReadError> {
        let avail = self.buf.len() - self.pos;
        if avail < n {
            return Err(ReadError::Short(n - avail));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// Takes the next `N` bytes as an array.
    #[inline]
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], ReadError> {
        let s = self.bytes(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    /// Takes the next byte.
    #[inline]
    pub fn u8(&mut self) -> Result<u8, ReadError> {
        match self.buf.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(ReadError::Short(1)),
        }
    }

    read_le!(u16_le: u16, u32_le: u32, u64_le: u64, u128_le: u128,
             i8_le: i8, i16_le: i16, i32_le: i32, i64_le: i64, i128_le: i128,
             f32_le: f32, f64_le: f64);

    /// An unsigned LEB128 varint (ClickHouse `VarUInt`, at most 10 bytes).
    #[inline]
    pub fn varuint(&mut self) -> Result<u64, ReadError> {
        let mut value = 0u64;
        for i in 0..10 {
            let b = self.u8()?;
            value |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(ReadError::Bad(DecodeError::Malformed {
            offset: self.pos,
            reason: "varint longer than 10 bytes".into(),
        }))
    }

    /// A varint length checked against `limit` (named `what` in the error).
    #[inline]
    pub fn length(&mut self, limit: u64, what: &'static str) -> Result<usize, ReadError> {
        let n = self.varuint()?;
        if n > limit {
            return Err(ReadError::Bad(DecodeError::LimitExceeded {
                what,
                value: n,
                limit,
            }));
        }
        Ok(n as usize)
    }

    /// A varint-length-prefixed byte string.
    #[inline]
    pub fn string(&mut self, limits: &DecodeLimits) -> Result<&'a [u8], ReadError> {
        let n = self.length(limits.max_string_len, "string length")?;
        self.bytes(n)
    }

    /// A string that must be UTF-8 (names, type strings).
    pub fn utf8(&mut self, limits: &DecodeLimits) -> Result<&'a str, ReadError> {
        let start = self.pos;
        let b = self.string(limits)?;
        std::str::from_utf8(b).map_err(|_| {
            ReadError::Bad(DecodeError::Malformed {
                offset: start,
                reason: "name is not UTF-8".into(),
            })
        })
    }
}

/// Appends an unsigned LEB128 varint.
#[inline]
pub fn put_varuint(out: &mut impl BufMut, mut v: u64) {
    while v >= 0x80 {
        out.put_u8((v as u8) | 0x80);
        v >>= 7;
    }
    out.put_u8(v as u8);
}

/// Appends a varint-length-prefixed byte string.
#[inline]
pub fn put_string(out: &mut impl BufMut, s: &[u8]) {
    put_varuint(out, s.len() as u64);
    out.put_slice(s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varuint_round_trip_and_short() {
        for v in [0u64, 1, 127, 128, 300, 1 << 35, u64::MAX] {
            let mut out = Vec::new();
            put_varuint(&mut out, v);
            assert_eq!(ByteCursor::new(&out).varuint().unwrap(), v);
            for cut in 0..out.len() {
                assert!(matches!(
                    ByteCursor::new(&out[..cut]).varuint(),
                    Err(ReadError::Short(_))
                ));
            }
        }
    }

    #[test]
    fn hostile_length_is_rejected_before_waiting() {
        let mut out = Vec::new();
        put_varuint(&mut out, u64::MAX >> 1);
        let err = ByteCursor::new(&out)
            .string(&DecodeLimits::default())
            .unwrap_err();
        assert!(matches!(
            err,
            ReadError::Bad(DecodeError::LimitExceeded { .. })
        ));
    }
}
