//! Type-string parser. (Placeholder: replaced by the full parser.)
use super::DataType;

/// A type string that is not a valid ClickHouse type; names the offending text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid ClickHouse type {input:?} at byte {position}: {reason}")]
pub struct TypeParseError {
    pub input: String,
    pub position: usize,
    pub reason: String,
}

pub(crate) fn parse_type(text: &str) -> Result<DataType, TypeParseError> {
    Err(TypeParseError {
        input: text.to_string(),
        position: 0,
        reason: "not implemented".into(),
    })
}
