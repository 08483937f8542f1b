//! The client's URLs taken apart, and shown without their secrets in messages and `Debug`:
//! `http[s]://[user[:password]@]host[:port][/path]` for ClickHouse's HTTP interface, and
//! `clickhouse://` (or `tcp://`) / `clickhouses://` for the native TCP protocol, in the DSN
//! form clickhouse-go users know (`clickhouse://user:password@host:9000/database?secure=true&compress=lz4`).

use std::borrow::Cow;

use crate::config::Compression;
use crate::error::{Error, Result};

/// What `Debug` shows instead of a secret.
pub(crate) const REDACTED: &str = "<redacted>";

/// `url` for messages and `Debug`: user info (`user:password@`, up to the last `@`) and the
/// query string or fragment (`?password=…`) replaced by `<redacted>`. Over-redacts rather
/// than leaks: any `@` counts as the end of user info, even one in a path or query. Split by
/// hand, not with the `url` crate, because it must also redact what does not parse as a URL
/// (the error message for a bad URL shows it).
pub(crate) fn redact_url(url: &str) -> Cow<'_, str> {
    // A scheme is letters, digits, `+`, `-`, `.`: anything else before `://` (such as
    // `user:pw@host://`) is not one and is redacted with the rest.
    let scheme_len = url
        .find("://")
        .filter(|&i| {
            url[..i]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        })
        .map_or(0, |i| i + 3);
    let (scheme, rest) = url.split_at(scheme_len);
    let (userinfo, rest) = match rest.rfind('@') {
        Some(i) => (true, &rest[i + 1..]),
        None => (false, rest),
    };
    let (rest, query) = match rest.find(['?', '#']) {
        Some(i) => (&rest[..i], true),
        None => (rest, false),
    };
    if !userinfo && !query {
        return Cow::Borrowed(url);
    }
    let mut out = String::with_capacity(url.len());
    out.push_str(scheme);
    if userinfo {
        out.push_str(REDACTED);
        out.push('@');
    }
    out.push_str(rest);
    if query {
        out.push('?');
        out.push_str(REDACTED);
    }
    Cow::Owned(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    Http,
    Https,
    /// `clickhouse://` or `tcp://`: the native protocol in plain TCP.
    Native,
    /// `clickhouses://` (or a native URL with `?secure=true`): the native protocol over TLS.
    NativeTls,
}

impl Scheme {
    pub(crate) fn protocol(self) -> Protocol {
        match self {
            Scheme::Http | Scheme::Https => Protocol::Http,
            Scheme::Native | Scheme::NativeTls => Protocol::Native,
        }
    }

    pub(crate) fn is_tls(self) -> bool {
        matches!(self, Scheme::Https | Scheme::NativeTls)
    }

    /// ClickHouse's default ports: `http_port`, `https_port`, `tcp_port`, `tcp_port_secure`.
    fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 8123,
            Scheme::Https => 8443,
            Scheme::Native => 9000,
            Scheme::NativeTls => 9440,
        }
    }
}

/// Which of ClickHouse's protocols a client speaks ([`ClientBuilder::protocol`]): the URL's
/// scheme says it (`http[s]://` or `clickhouse[s]://`/`tcp://`); this option says it for URLs
/// written without a scheme (`host:port`), and a URL whose scheme names the other protocol is
/// then an error at `build()`.
///
/// [`ClientBuilder::protocol`]: crate::ClientBuilder::protocol
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Protocol {
    /// ClickHouse's HTTP interface (port 8123, 8443 with TLS).
    #[default]
    Http,
    /// The native TCP protocol (port 9000, 9440 with TLS): the same API, plus progress for the
    /// whole query and in-band cancellation.
    Native,
}

/// A URL taken apart (parsed by `url`): where to connect (default ports: 8123 for http, 8443
/// for https, 9000 for native, 9440 for native over TLS; no scheme means `protocol`'s plain
/// scheme), the path every request goes to (HTTP: a proxy's prefix, `/` by default), the
/// percent-decoded user info, if any, and for native URLs the DSN's database (the path) and
/// options (`secure`, `compress`).
#[derive(Debug, PartialEq)]
pub(crate) struct ParsedUrl {
    pub scheme: Scheme,
    pub host: String,
    pub port: u16,
    pub path: String,
    pub user: Option<String>,
    pub password: Option<String>,
    /// Native URLs: the database named by the path (`clickhouse://host/db`).
    pub database: Option<String>,
    /// Native URLs: `?compress=…`.
    pub compression: Option<Compression>,
}

/// `protocol`: the builder's choice, if any (see [`Protocol`]).
pub(crate) fn parse_url(raw: &str, protocol: Option<Protocol>) -> Result<ParsedUrl> {
    let shown = redact_url(raw);
    let bad = || {
        Error::Config(format!(
            "URL {shown:?} must look like http://host:port/path or clickhouse://host:port/database"
        ))
    };
    let with_scheme = if raw.contains("://") {
        Cow::Borrowed(raw)
    } else {
        let plain = match protocol.unwrap_or_default() {
            Protocol::Http => "http",
            Protocol::Native => "clickhouse",
        };
        Cow::Owned(format!("{plain}://{raw}"))
    };
    let url = url::Url::parse(&with_scheme).map_err(|_| bad())?;
    let mut scheme = match url.scheme() {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        "clickhouse" | "tcp" => Scheme::Native,
        "clickhouses" => Scheme::NativeTls,
        _ => {
            return Err(Error::Config(format!(
                "unsupported URL scheme in {shown:?} (http, https, clickhouse, tcp or clickhouses)"
            )));
        }
    };
    let of_url = scheme.protocol();
    if let Some(chosen) = protocol.filter(|&p| p != of_url) {
        return Err(Error::Config(format!(
            "URL {shown:?} is a {of_url:?} URL, but the client's protocol is {chosen:?}"
        )));
    }
    let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(bad)?;
    let (mut database, mut compression) = (None, None);
    if of_url == Protocol::Native {
        let options = native_options(&url, &shown)?;
        if options.secure {
            scheme = Scheme::NativeTls;
        }
        compression = options.compression;
        let db = url.path().trim_matches('/');
        if db.contains('/') {
            return Err(Error::Config(format!(
                "the path of native URL {shown:?} is a database name: one segment"
            )));
        }
        database = (!db.is_empty()).then(|| db.to_owned());
    }
    // `url` hides a port equal to the scheme's default (80, 443): it was written, so use it.
    let port = match (url.port(), url.port_or_known_default()) {
        (Some(p), _) => p,
        (None, Some(d)) if authority(&with_scheme).ends_with(&format!(":{d}")) => d,
        _ => scheme.default_port(),
    };
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| Error::Config(format!("URL user info in {shown:?} is not UTF-8")))
    };
    let user = match url.username() {
        "" => None,
        u => Some(decode(u)?),
    };
    let password = url.password().map(decode).transpose()?;
    Ok(ParsedUrl {
        scheme,
        host: host.to_owned(),
        port,
        path: url.path().to_owned(),
        user,
        password,
        database,
        compression,
    })
}

/// The options of a native URL's query string.
#[derive(Default)]
struct NativeOptions {
    secure: bool,
    compression: Option<Compression>,
}

/// `secure=true|false` and `compress=lz4|zstd|none|true|false` (clickhouse-go's names); any
/// other key is an error, so a misspelt option is not silently ignored.
fn native_options(url: &url::Url, shown: &str) -> Result<NativeOptions> {
    let mut out = NativeOptions::default();
    for (key, value) in url.query_pairs() {
        let bad_value = || {
            Error::Config(format!(
                "URL {shown:?}: option `{key}` has an unsupported value"
            ))
        };
        match &*key {
            "secure" => {
                out.secure = match &*value {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    _ => return Err(bad_value()),
                }
            }
            "compress" => {
                out.compression = Some(match &*value {
                    "lz4" | "true" | "1" => Compression::Lz4,
                    "zstd" => Compression::Zstd { level: 3 },
                    "none" | "false" | "0" => Compression::None,
                    _ => return Err(bad_value()),
                })
            }
            _ => {
                return Err(Error::Config(format!(
                    "URL {shown:?}: unknown option `{key}` (native URLs take `secure` and `compress`)"
                )));
            }
        }
    }
    Ok(out)
}

/// The authority of `url` (after `scheme://`, before the path, query or fragment).
fn authority(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        use Scheme::{Http, Https};
        let parts = |u: &str| {
            let p = parse_url(u, None).unwrap();
            (p.scheme, p.host, p.port, p.path)
        };
        assert_eq!(
            parts("http://127.0.0.1:18123"),
            (Http, "127.0.0.1".into(), 18123, "/".into())
        );
        assert_eq!(
            parts("http://db.local/"),
            (Http, "db.local".into(), 8123, "/".into())
        );
        assert_eq!(
            parts("http://[::1]:9"),
            (Http, "[::1]".into(), 9, "/".into())
        );
        assert_eq!(
            parts("https://db.local"),
            (Https, "db.local".into(), 8443, "/".into())
        );
        assert_eq!(
            parts("HTTPS://db.local:9440/"),
            (Https, "db.local".into(), 9440, "/".into())
        );
        assert_eq!(parts("http://db:80").2, 80);
        assert_eq!(parts("db:1"), (Http, "db".into(), 1, "/".into()));
        assert_eq!(parts("http://h/ch/prefix").3, "/ch/prefix");
        let p = parse_url("http://us%40er:p%3Aw@db:1/x", None).unwrap();
        assert_eq!(
            (p.user.as_deref(), p.password.as_deref()),
            (Some("us@er"), Some("p:w"))
        );
        assert!(parse_url("ftp://x", None).is_err());
        assert!(parse_url("http://x:notaport", None).is_err());
    }

    #[test]
    fn native_urls() {
        use Scheme::{Native, NativeTls};
        let native = |u: &str| parse_url(u, Some(Protocol::Native));
        let parts = |u: &str| {
            let p = native(u).unwrap();
            (p.scheme, p.host, p.port, p.database, p.compression)
        };
        assert_eq!(
            parts("clickhouse://db.local"),
            (Native, "db.local".into(), 9000, None, None)
        );
        assert_eq!(parts("tcp://127.0.0.1:19000").2, 19000);
        assert_eq!(parts("db:1").0, Native);
        assert_eq!(parts("db").2, 9000);
        assert_eq!(parts("clickhouses://db").0, NativeTls);
        assert_eq!(parts("clickhouses://db").2, 9440);
        assert_eq!(
            parts("clickhouse://db?secure=true"),
            parts("clickhouses://db")
        );
        assert_eq!(
            parts("clickhouse://db:9001/analytics?compress=zstd"),
            (
                Native,
                "db".into(),
                9001,
                Some("analytics".into()),
                Some(Compression::Zstd { level: 3 })
            )
        );
        assert_eq!(
            parts("clickhouse://db?compress=false").4,
            Some(Compression::None)
        );
        let p = native("clickhouse://u:p%40w@db").unwrap();
        assert_eq!(
            (p.user.as_deref(), p.password.as_deref()),
            (Some("u"), Some("p@w"))
        );
        for bad in [
            "clickhouse://db?secure=maybe",
            "clickhouse://db?compress=gzip",
            "clickhouse://db?dial_timeout=1s",
            "clickhouse://db/a/b",
            "http://db:8123",
        ] {
            let e = native(bad).unwrap_err();
            assert!(matches!(e, Error::Config(_)), "{bad}: {e:?}");
        }
        // Without a chosen protocol the scheme decides; a native URL on a client that chose
        // HTTP is a clear error too.
        assert_eq!(parse_url("clickhouse://db", None).unwrap().scheme, Native);
        assert_eq!(parse_url("db", None).unwrap().scheme, Scheme::Http);
        let e = parse_url("clickhouse://db", Some(Protocol::Http)).unwrap_err();
        assert!(e.to_string().contains("Native"), "{e}");
    }

    #[test]
    fn redacted_urls_keep_host_and_port() {
        for (url, shown) in [
            ("http://db:8123", "http://db:8123"),
            ("http://u:pw@db:8123/", "http://<redacted>@db:8123/"),
            ("http://u:p@w/x@db:1", "http://<redacted>@db:1"),
            ("https://db/?password=pw&x=1", "https://db/?<redacted>"),
            ("db:1#frag", "db:1?<redacted>"),
            ("u:pw@db://x", "<redacted>@db://x"),
        ] {
            assert_eq!(redact_url(url), shown, "{url}");
        }
        let e = parse_url("http://u:pw@db:notaport", None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("http://<redacted>@db:notaport") && !e.contains("pw"),
            "{e}"
        );
    }
}
