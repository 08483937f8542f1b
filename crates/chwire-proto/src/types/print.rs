//! Canonical type printer. (Placeholder: replaced by the full printer.)
use super::DataType;
use std::fmt;

pub(crate) fn write_type(t: &DataType, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{t:?}")
}
