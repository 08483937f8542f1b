//! Custom request headers (per client and per query), checked where they are given: a name
//! and value must be valid HTTP, and a header chwire writes itself (framing, authentication,
//! trace context) cannot be replaced, since doing so silently would break the request or its
//! credentials. An invalid header is reported when the client is built or the query is sent.

use http::{HeaderName, HeaderValue};

use crate::error::{Error, Result};

/// Headers chwire sets on every request (or on some: credentials, trace context, compression).
const RESERVED: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "user-agent",
    "authorization",
    "x-clickhouse-user",
    "x-clickhouse-key",
    "content-encoding",
    "accept-encoding",
    "traceparent",
    "tracestate",
];

/// Custom headers in the order given; a later header of the same name replaces the earlier
/// one. The first invalid one is kept as an error for [`check`](Self::check).
#[derive(Debug, Clone, Default)]
pub(crate) struct HeaderList {
    headers: Vec<(HeaderName, HeaderValue)>,
    error: Option<String>,
}

impl HeaderList {
    /// Adds `name: value`, or records why it cannot be sent.
    pub(crate) fn push<K, V>(&mut self, name: K, value: V)
    where
        HeaderName: TryFrom<K>,
        HeaderValue: TryFrom<V>,
    {
        let Ok(name) = HeaderName::try_from(name) else {
            self.fail("a custom header's name is not a valid HTTP header name".into());
            return;
        };
        if RESERVED.contains(&name.as_str()) {
            self.fail(format!(
                "the {name} header is set by chwire and cannot be set as a custom header"
            ));
            return;
        }
        let Ok(mut value) = HeaderValue::try_from(value) else {
            // Never echo the value: it may be a secret.
            self.fail(format!(
                "the value of the {name} header is not valid in HTTP"
            ));
            return;
        };
        value.set_sensitive(true);
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value));
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    /// The headers, or [`Error::Config`] for the first invalid one given.
    pub(crate) fn check(&self) -> Result<&[(HeaderName, HeaderValue)]> {
        match &self.error {
            Some(message) => Err(Error::Config(message.clone())),
            None => Ok(&self.headers),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.headers.is_empty() && self.error.is_none()
    }
}

/// The access token as an `Authorization: Bearer` value, marked sensitive; `None` when it is
/// not valid in a header (reported by `build()`).
pub(crate) fn bearer(token: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::try_from(format!("Bearer {token}")).ok()?;
    value.set_sensitive(true);
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_header_replaces_an_earlier_one() {
        let mut h = HeaderList::default();
        h.push("X-Tenant", "a");
        h.push("x-tenant", "b");
        let headers = h.check().unwrap();
        assert_eq!(headers.len(), 1);
        assert_eq!(headers[0].1, "b");
    }

    #[test]
    fn invalid_and_reserved_headers_are_errors() {
        for (name, value) in [
            ("bad name", "x"),
            ("x-ok", "line\r\nInjected: yes"),
            ("Authorization", "Basic abc"),
            ("Content-Length", "3"),
            ("X-ClickHouse-Key", "p"),
        ] {
            let mut h = HeaderList::default();
            h.push(name, value);
            let e = h.check().unwrap_err().to_string();
            assert!(!e.contains("Injected"), "{e}");
            assert!(matches!(h.check(), Err(Error::Config(_))), "{name}");
        }
    }

    #[test]
    fn bearer_values_are_sensitive_and_checked() {
        let v = bearer("abc.def").unwrap();
        assert_eq!(v, "Bearer abc.def");
        assert!(v.is_sensitive());
        assert!(bearer("a\nb").is_none());
    }
}
