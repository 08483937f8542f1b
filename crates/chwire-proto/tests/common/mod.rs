//! Shared test helpers: the real type parser and printer, in the shape the codec hooks take.
#![allow(dead_code)]

use chwire_proto::{DataType, TypeParseError};

pub fn parse_type(text: &str) -> Result<DataType, TypeParseError> {
    DataType::parse(text)
}

pub fn print_type(t: &DataType) -> String {
    t.to_string()
}
