//! ClickHouse settings as sent with a request (the request URL over HTTP). Server-side query
//! parameters' text is written by `sql`.

use std::fmt::Display;

/// An ordered list of ClickHouse settings (`name=value`); setting a name twice keeps the last
/// value. Client-level settings are merged under per-query ones. `Debug` shows credential
/// settings (`password`, which the server accepts in the URL) as `<redacted>`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Settings {
    entries: Vec<(String, String)>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field(
                "entries",
                &chwire_proto::http::RedactedSettings(&self.entries),
            )
            .finish()
    }
}

impl Settings {
    /// No settings: every one is left to the server (or the client level).
    pub fn new() -> Self {
        Settings::default()
    }

    /// Sets `name` to `value` (its `Display` text), replacing an earlier value.
    pub fn set(&mut self, name: impl Into<String>, value: impl Display) -> &mut Self {
        let name = name.into();
        let value = value.to_string();
        match self.entries.iter_mut().find(|(n, _)| *n == name) {
            Some(e) => e.1 = value,
            None => self.entries.push((name, value)),
        }
        self
    }

    /// The value of `name`, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Overlays `other` on `self` (values of `other` win).
    pub fn merged(&self, other: &Settings) -> Settings {
        let mut out = self.clone();
        for (n, v) in &other.entries {
            out.set(n.clone(), v);
        }
        out
    }

    /// `(name, value)` pairs in the order the names were first set.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// True when no setting is set.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_override_in_place() {
        let mut a = Settings::new();
        a.set("max_threads", 2).set("x", "a");
        let mut b = Settings::new();
        b.set("max_threads", 4);
        let m = a.merged(&b);
        assert_eq!(
            m.iter().collect::<Vec<_>>(),
            vec![("max_threads", "4"), ("x", "a")]
        );
    }
}
