//! Any serde type, `serde_json::Value` included, as a `JSON` column, through the column's text:
//!
//! ```
//! #[derive(chwire::Row, serde::Serialize, serde::Deserialize)]
//! struct Event {
//!     id: u64,
//!     #[serde(with = "chwire::serde_helpers::json")]
//!     payload: serde_json::Value,   // JSON
//! }
//! ```
//!
//! Typed rows read a `JSON` column as its text (the client asks the server for it with
//! `output_format_native_write_json_as_string` / `output_format_binary_write_json_as_string`)
//! and write it as text (`input_format_binary_read_json_as_string`); this helper parses and
//! prints that text with `serde_json`, so a field can be a `serde_json::Value` or any type of
//! your own with serde's derives. Text that does not parse as the field's type is a
//! [`RowError::InvalidValue`](crate::RowError) naming the column. The same helper works on a
//! `String` column holding JSON text.
//!
//! The server prints the object it stores, not the text that was sent: paths with `null`
//! values are not stored, numbers are typed by the column's inference (`1.0` may come back as
//! `1`), and keys come back sorted.

use serde::de::DeserializeOwned;
use serde::ser::Error as _;
use serde::{Deserializer, Serialize, Serializer};

/// Writes `v` as JSON text.
pub fn serialize<T: Serialize + ?Sized, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    let text = serde_json::to_string(v).map_err(S::Error::custom)?;
    s.serialize_str(&text)
}

/// Reads the column's JSON text as a `T`.
pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_str(TextVisitor(std::marker::PhantomData))
}

/// Parses the text a string column gives, however it is handed over.
struct TextVisitor<T>(std::marker::PhantomData<T>);

impl<T: DeserializeOwned> serde::de::Visitor<'_> for TextVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JSON text")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        serde_json::from_str(v)
            .map_err(|e| E::custom(format!("JSON text {v:?} does not parse: {e}")))
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<T, E> {
        serde_json::from_slice(v).map_err(|e| E::custom(format!("JSON text does not parse: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use crate::{Row, RowDecoder, RowEncoder};
    use chwire_proto::{ByteCursor, DataType};
    use serde::{Deserialize, Serialize};
    use serde_json::{Value, json};

    #[derive(Debug, PartialEq, Row, Serialize, Deserialize)]
    struct Doc {
        #[serde(with = "crate::serde_helpers::json")]
        doc: Value,
        #[serde(with = "crate::serde_helpers::json")]
        typed: Vec<u8>,
    }

    #[test]
    fn values_travel_as_their_text() {
        let cols = vec![
            ("doc".to_owned(), DataType::Json(Default::default())),
            ("typed".to_owned(), DataType::String),
        ];
        let row = Doc {
            doc: json!({"a": {"b": [1, "x"]}}),
            typed: vec![1, 2],
        };
        let mut out = Vec::new();
        RowEncoder::new::<Doc>(&cols)
            .unwrap()
            .encode(&row, &mut out)
            .unwrap();
        let text = br#"{"a":{"b":[1,"x"]}}"#;
        let mut wire = vec![text.len() as u8];
        wire.extend_from_slice(text);
        wire.extend_from_slice(b"\x05[1,2]");
        assert_eq!(out, wire);
        let back: Doc = RowDecoder::new::<Doc>(&cols)
            .unwrap()
            .decode(&mut ByteCursor::new(&wire))
            .unwrap();
        assert_eq!(back, row);
        let bad = b"\x01{\x05[1,2]";
        let err = RowDecoder::new::<Doc>(&cols)
            .unwrap()
            .decode::<Doc>(&mut ByteCursor::new(bad))
            .unwrap_err();
        assert!(err.to_string().contains("does not parse"), "{err}");
    }
}
