//! The server's canonical form of a type tree.
//!
//! ClickHouse normalises some types when it builds them: Enum elements are ordered by value,
//! Variant alternatives are ordered by type name (and de-duplicated), JSON typed paths, `SKIP`
//! paths and `SKIP REGEXP` patterns are sorted, and parameters equal to their defaults are
//! dropped. The parser builds every node in this form, so a parsed tree equals the tree the server
//! would describe, and the Variant discriminators on the wire index `DataType::Variant` directly.

use super::{DataType, JsonParams};

/// `Dynamic` without `max_types` means this many.
pub const DYNAMIC_DEFAULT_MAX_TYPES: u32 = 32;
/// `JSON` without `max_dynamic_paths` means this many.
pub const JSON_DEFAULT_MAX_DYNAMIC_PATHS: u32 = 1024;
/// `JSON` without `max_dynamic_types` means this many.
pub const JSON_DEFAULT_MAX_DYNAMIC_TYPES: u32 = 32;

impl DataType {
    /// Rewrites the tree into the server's canonical form (see the module docs).
    ///
    /// Trees from [`DataType::parse`] are already canonical; call this on hand-built trees before
    /// using them for Variant discriminators, or to compare them with parsed ones.
    pub fn canonicalize(&mut self) {
        match self {
            DataType::DateTime(tz) | DataType::DateTime64(_, tz) if tz.as_deref() == Some("") => {
                *tz = None;
            }
            DataType::Enum8(items) => items.sort_by_key(|(_, v)| *v),
            DataType::Enum16(items) => items.sort_by_key(|(_, v)| *v),
            DataType::Array(t) | DataType::Nullable(t) | DataType::LowCardinality(t) => {
                t.canonicalize()
            }
            DataType::Map(k, v) => {
                k.canonicalize();
                v.canonicalize();
            }
            DataType::Tuple(elems) => elems.iter_mut().for_each(|e| e.ty.canonicalize()),
            DataType::Nested(fields) => fields.iter_mut().for_each(|(_, t)| t.canonicalize()),
            DataType::Variant(alts) => {
                alts.iter_mut().for_each(DataType::canonicalize);
                sort_variant(alts);
            }
            DataType::Dynamic { max_types } if *max_types == Some(DYNAMIC_DEFAULT_MAX_TYPES) => {
                *max_types = None;
            }
            DataType::Json(params) => {
                params
                    .typed_paths
                    .iter_mut()
                    .for_each(|(_, t)| t.canonicalize());
                normalize_json(params);
            }
            DataType::SimpleAggregateFunction { ty, .. } => ty.canonicalize(),
            DataType::QBit { element, .. } => element.canonicalize(),
            _ => {}
        }
    }
}

/// Orders Variant alternatives by their printed names and drops duplicates, as the server does.
/// The alternatives themselves must already be canonical.
pub(crate) fn sort_variant(alts: &mut Vec<DataType>) {
    let mut keyed: Vec<(String, DataType)> = alts.drain(..).map(|t| (t.to_string(), t)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    alts.extend(keyed.into_iter().map(|(_, t)| t));
}

/// Sorts the JSON path lists and drops default-valued limits. Duplicate typed paths are left for
/// the caller to reject (the parser does).
pub(crate) fn normalize_json(p: &mut JsonParams) {
    if p.max_dynamic_paths == Some(JSON_DEFAULT_MAX_DYNAMIC_PATHS) {
        p.max_dynamic_paths = None;
    }
    if p.max_dynamic_types == Some(JSON_DEFAULT_MAX_DYNAMIC_TYPES) {
        p.max_dynamic_types = None;
    }
    p.typed_paths.sort_by(|a, b| a.0.cmp(&b.0));
    p.skip_paths.sort();
    p.skip_paths.dedup();
    p.skip_regexps.sort();
}
