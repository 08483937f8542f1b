//! Test-only ClickHouse type-string parser, used until the real `DataType::parse` is merged
//! (it covers the spellings in the golden vectors), plus a printer that returns the exact
//! string a type was parsed from, so re-encoded blocks can be compared byte for byte.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::HashMap;

use chwire_proto::{DataType, IntervalKind, JsonParams, TupleElement, TypeParseError};

thread_local! {
    static SEEN: RefCell<HashMap<DataType, String>> = RefCell::new(HashMap::new());
}

/// Parses `text` and remembers its spelling for [`print_type`].
pub fn parse_type(text: &str) -> Result<DataType, TypeParseError> {
    let mut p = P { s: text, i: 0 };
    let t = p.ty().map_err(|reason| TypeParseError {
        input: text.to_string(),
        position: p.i,
        reason,
    })?;
    p.ws();
    if p.i != text.len() {
        return Err(TypeParseError {
            input: text.into(),
            position: p.i,
            reason: "trailing input".into(),
        });
    }
    SEEN.with(|m| m.borrow_mut().insert(t.clone(), text.to_string()));
    Ok(t)
}

/// The spelling `t` was parsed from (types in tests are always parsed first).
pub fn print_type(t: &DataType) -> String {
    SEEN.with(|m| m.borrow().get(t).cloned())
        .unwrap_or_else(|| panic!("type {t:?} was never parsed"))
}

struct P<'a> {
    s: &'a str,
    i: usize,
}

impl P<'_> {
    fn ws(&mut self) {
        while self.s[self.i..].starts_with(' ') {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: &str) -> bool {
        self.ws();
        if self.s[self.i..].starts_with(c) {
            self.i += c.len();
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: &str) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("expected {c:?}"))
        }
    }
    fn ident(&mut self) -> String {
        self.ws();
        if self.s[self.i..].starts_with('`') {
            let rest = &self.s[self.i + 1..];
            let n = rest.find('`').unwrap_or(rest.len());
            self.i += n + 2;
            return rest[..n].to_string();
        }
        let rest = &self.s[self.i..];
        let n = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len());
        self.i += n;
        rest[..n].to_string()
    }
    fn num(&mut self) -> Result<i64, String> {
        self.ws();
        let rest = &self.s[self.i..];
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '-'))
            .unwrap_or(rest.len());
        self.i += n;
        rest[..n].parse().map_err(|_| "number".to_string())
    }
    fn quoted(&mut self) -> Result<String, String> {
        self.expect("'")?;
        let mut out = String::new();
        let b = self.s.as_bytes();
        while self.i < b.len() {
            let c = b[self.i];
            self.i += 1;
            match c {
                b'\\' => {
                    out.push(b[self.i] as char);
                    self.i += 1;
                }
                b'\'' => return Ok(out),
                _ => out.push(c as char),
            }
        }
        Err("unterminated string".into())
    }
    fn args<T>(
        &mut self,
        mut f: impl FnMut(&mut Self) -> Result<T, String>,
    ) -> Result<Vec<T>, String> {
        self.expect("(")?;
        let mut v = Vec::new();
        if self.eat(")") {
            return Ok(v);
        }
        loop {
            v.push(f(self)?);
            if self.eat(")") {
                return Ok(v);
            }
            self.expect(",")?;
        }
    }
    /// `name Type` or `Type`.
    fn element(&mut self) -> Result<TupleElement, String> {
        let save = self.i;
        let name = self.ident();
        self.ws();
        let next = self.s[self.i..].chars().next();
        if !name.is_empty() && next.is_some_and(|c| c.is_alphabetic()) {
            return Ok(TupleElement {
                name: Some(name),
                ty: self.ty()?,
            });
        }
        self.i = save;
        Ok(TupleElement {
            name: None,
            ty: self.ty()?,
        })
    }
    fn ty(&mut self) -> Result<DataType, String> {
        let name = self.ident();
        let simple = match name.as_str() {
            "Int8" => Some(DataType::Int8),
            "Int16" => Some(DataType::Int16),
            "Int32" => Some(DataType::Int32),
            "Int64" => Some(DataType::Int64),
            "Int128" => Some(DataType::Int128),
            "Int256" => Some(DataType::Int256),
            "UInt8" => Some(DataType::UInt8),
            "UInt16" => Some(DataType::UInt16),
            "UInt32" => Some(DataType::UInt32),
            "UInt64" => Some(DataType::UInt64),
            "UInt128" => Some(DataType::UInt128),
            "UInt256" => Some(DataType::UInt256),
            "Float32" => Some(DataType::Float32),
            "Float64" => Some(DataType::Float64),
            "BFloat16" => Some(DataType::BFloat16),
            "Bool" => Some(DataType::Bool),
            "String" => Some(DataType::String),
            "UUID" => Some(DataType::Uuid),
            "Date" => Some(DataType::Date),
            "Date32" => Some(DataType::Date32),
            "Time" => Some(DataType::Time),
            "IPv4" => Some(DataType::IPv4),
            "IPv6" => Some(DataType::IPv6),
            "Nothing" => Some(DataType::Nothing),
            "Point" => Some(DataType::Point),
            "Ring" => Some(DataType::Ring),
            "LineString" => Some(DataType::LineString),
            "MultiLineString" => Some(DataType::MultiLineString),
            "Polygon" => Some(DataType::Polygon),
            "MultiPolygon" => Some(DataType::MultiPolygon),
            _ => None,
        };
        if let Some(t) = simple {
            return Ok(t);
        }
        if let Some(kind) = name.strip_prefix("Interval") {
            let k = IntervalKind::ALL
                .into_iter()
                .find(|k| k.name() == kind)
                .ok_or("interval kind")?;
            return Ok(DataType::Interval(k));
        }
        Ok(match name.as_str() {
            "FixedString" => DataType::FixedString(self.args(|p| p.num())?[0] as usize),
            "Decimal" => {
                let a = self.args(|p| p.num())?;
                DataType::Decimal {
                    precision: a[0] as u8,
                    scale: a[1] as u8,
                }
            }
            "DateTime" => {
                if self.s[self.i..].starts_with('(') {
                    DataType::DateTime(Some(self.args(|p| p.quoted())?.remove(0)))
                } else {
                    DataType::DateTime(None)
                }
            }
            "DateTime64" => {
                self.expect("(")?;
                let prec = self.num()? as u8;
                let tz = if self.eat(",") {
                    Some(self.quoted()?)
                } else {
                    None
                };
                self.expect(")")?;
                DataType::DateTime64(prec, tz)
            }
            "Time64" => DataType::Time64(self.args(|p| p.num())?[0] as u8),
            "Enum8" => DataType::Enum8(self.args(|p| {
                let n = p.quoted()?;
                p.expect("=")?;
                Ok((n, p.num()? as i8))
            })?),
            "Enum16" => DataType::Enum16(self.args(|p| {
                let n = p.quoted()?;
                p.expect("=")?;
                Ok((n, p.num()? as i16))
            })?),
            "Array" => DataType::Array(Box::new(self.args(|p| p.ty())?.remove(0))),
            "Nullable" => DataType::Nullable(Box::new(self.args(|p| p.ty())?.remove(0))),
            "LowCardinality" => {
                DataType::LowCardinality(Box::new(self.args(|p| p.ty())?.remove(0)))
            }
            "Map" => {
                let mut a = self.args(|p| p.ty())?;
                let v = a.pop().ok_or("map")?;
                let k = a.pop().ok_or("map")?;
                DataType::Map(Box::new(k), Box::new(v))
            }
            "Tuple" => DataType::Tuple(self.args(|p| p.element())?),
            "Nested" => DataType::Nested(
                self.args(|p| p.element())?
                    .into_iter()
                    .map(|e| (e.name.unwrap_or_default(), e.ty))
                    .collect(),
            ),
            "Variant" => DataType::Variant(self.args(|p| p.ty())?),
            "Dynamic" => {
                if self.s[self.i..].starts_with('(') {
                    let a = self.args(|p| {
                        p.ident();
                        p.expect("=")?;
                        p.num()
                    })?;
                    DataType::Dynamic {
                        max_types: Some(a[0] as u32),
                    }
                } else {
                    DataType::Dynamic { max_types: None }
                }
            }
            "JSON" => {
                let mut params = JsonParams::default();
                if self.s[self.i..].starts_with('(') {
                    self.args(|p| {
                        let id = p.ident();
                        if p.eat("=") {
                            let n = p.num()? as u32;
                            match id.as_str() {
                                "max_dynamic_paths" => params.max_dynamic_paths = Some(n),
                                _ => params.max_dynamic_types = Some(n),
                            }
                        } else {
                            let t = p.ty()?;
                            params.typed_paths.push((id, t));
                        }
                        Ok(())
                    })?;
                }
                DataType::Json(Box::new(params))
            }
            "SimpleAggregateFunction" => {
                self.expect("(")?;
                let f = self.ident();
                self.expect(",")?;
                let t = self.ty()?;
                self.expect(")")?;
                DataType::SimpleAggregateFunction {
                    function: f,
                    ty: Box::new(t),
                }
            }
            "QBit" => {
                self.expect("(")?;
                let e = self.ty()?;
                self.expect(",")?;
                let d = self.num()? as u32;
                self.expect(")")?;
                DataType::QBit {
                    element: Box::new(e),
                    dimension: d,
                }
            }
            _ => return Err(format!("unknown type {name}")),
        })
    }
}
