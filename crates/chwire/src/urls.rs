//! The client's URLs: `http[s]://[user[:password]@]host[:port][/path]` taken apart, and shown
//! without their secrets in messages and `Debug`.

use std::borrow::Cow;

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
}

/// `http[s]://[user[:password]@]host[:port][/path]` taken apart (parsed by `url`): where to
/// connect (default port 8123 for http, 8443 for https: ClickHouse's `http_port` and
/// `https_port`; no scheme means http), the path every request goes to (a proxy's prefix; `/`
/// by default) and the percent-decoded user info, if any.
#[derive(Debug, PartialEq)]
pub(crate) struct ParsedUrl {
    pub scheme: Scheme,
    pub host: String,
    pub port: u16,
    pub path: String,
    pub user: Option<String>,
    pub password: Option<String>,
}

pub(crate) fn parse_url(raw: &str) -> Result<ParsedUrl> {
    let shown = redact_url(raw);
    let bad = || {
        Error::Config(format!(
            "URL {shown:?} must look like http://host:port/path"
        ))
    };
    let with_scheme = if raw.contains("://") {
        Cow::Borrowed(raw)
    } else {
        Cow::Owned(format!("http://{raw}"))
    };
    let url = url::Url::parse(&with_scheme).map_err(|_| bad())?;
    let scheme = match url.scheme() {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        _ => {
            return Err(Error::Config(format!(
                "unsupported URL scheme in {shown:?} (http or https)"
            )));
        }
    };
    let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(bad)?;
    // `url` hides a port equal to the scheme's default (80, 443): it was written, so use it.
    let port = match (url.port(), url.port_or_known_default()) {
        (Some(p), _) => p,
        (None, Some(d)) if authority(&with_scheme).ends_with(&format!(":{d}")) => d,
        _ if scheme == Scheme::Https => 8443,
        _ => 8123,
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
    })
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
            let p = parse_url(u).unwrap();
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
        let p = parse_url("http://us%40er:p%3Aw@db:1/x").unwrap();
        assert_eq!(
            (p.user.as_deref(), p.password.as_deref()),
            (Some("us@er"), Some("p:w"))
        );
        assert!(parse_url("ftp://x").is_err());
        assert!(parse_url("http://x:notaport").is_err());
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
        let e = parse_url("http://u:pw@db:notaport")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("http://<redacted>@db:notaport") && !e.contains("pw"),
            "{e}"
        );
    }
}
