//! TLS for `https://` URLs: the builder's TLS options, and the one place where a freshly
//! connected TCP stream is wrapped into a TLS stream ([`Connector::handshake`]).
//!
//! With the `rustls` feature the handshake runs through `futures-rustls` (futures-io, so it
//! serves every runtime adapter alike) with rustls and its `ring` crypto provider. Without the
//! feature [`Connector`] is uninhabited: an `https://` URL fails at `build()` with a
//! configuration error, and plain connections compile to the same code path.
//!
//! TLS failures keep their meaning through the `io::Error` plumbing of the connection: the TLS
//! stream reports them as an `io::Error` carrying a [`TlsFailure`], which
//! [`Error::from`](crate::Error) turns into [`Error::Tls`](crate::Error::Tls).

use std::fmt;
use std::path::PathBuf;

#[cfg(feature = "rustls")]
use std::sync::Arc;

/// Where a PEM bundle comes from; files are read at `build()`, so a missing file is reported
/// there with its path.
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "rustls"), allow(dead_code))]
pub(crate) enum PemSource {
    Bytes(Vec<u8>),
    File(PathBuf),
}

impl PemSource {
    #[cfg(feature = "rustls")]
    fn load(&self, what: &str) -> crate::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            PemSource::Bytes(b) => Ok(std::borrow::Cow::Borrowed(b)),
            PemSource::File(p) => std::fs::read(p).map(std::borrow::Cow::Owned).map_err(|e| {
                crate::Error::Config(format!("cannot read {what} {}: {e}", p.display()))
            }),
        }
    }

    #[cfg(feature = "rustls")]
    fn describe(&self, what: &str) -> String {
        match self {
            PemSource::Bytes(_) => format!("{what} PEM"),
            PemSource::File(p) => format!("{what} file {}", p.display()),
        }
    }
}

/// The TLS options collected by the builder.
#[derive(Default, Clone)]
pub(crate) struct TlsOptions {
    pub ca: Vec<PemSource>,
    pub default_roots: Option<bool>,
    /// Trust the operating system's store (feature `rustls-native-roots`).
    pub native_roots: bool,
    pub client_cert: Option<(PemSource, PemSource)>,
    pub server_name: Option<String>,
    #[cfg(feature = "rustls")]
    pub config: Option<Arc<futures_rustls::rustls::ClientConfig>>,
}

impl fmt::Debug for TlsOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print key material.
        f.debug_struct("TlsOptions")
            .field("ca", &self.ca.len())
            .field("default_roots", &self.default_roots)
            .field("native_roots", &self.native_roots)
            .field(
                "client_cert",
                &self.client_cert.as_ref().map(|_| "<redacted>"),
            )
            .field("server_name", &self.server_name)
            .finish_non_exhaustive()
    }
}

impl TlsOptions {
    /// Whether any TLS option was set (they make no sense with an `http://` URL).
    pub(crate) fn any_set(&self) -> bool {
        #[cfg(feature = "rustls")]
        let config = self.config.is_some();
        #[cfg(not(feature = "rustls"))]
        let config = false;
        !self.ca.is_empty()
            || self.default_roots.is_some()
            || self.native_roots
            || self.client_cert.is_some()
            || self.server_name.is_some()
            || config
    }
}

#[cfg(feature = "rustls")]
pub(crate) use with_rustls::Connector;

#[cfg(not(feature = "rustls"))]
pub(crate) use without_tls::Connector;

#[cfg(not(feature = "rustls"))]
mod without_tls {
    use chwire_rt::AsyncIo;

    use super::TlsOptions;
    use crate::error::{Error, Result};

    /// No TLS support compiled in: there is never a connector.
    #[derive(Debug, Clone)]
    pub(crate) enum Connector {}

    impl Connector {
        pub(crate) fn new(_host: &str, _options: TlsOptions) -> Result<Connector> {
            Err(Error::Config(
                "https:// URLs need TLS support: enable chwire's `rustls` feature".into(),
            ))
        }

        pub(crate) async fn handshake(
            &self,
            _io: Box<dyn AsyncIo>,
            _addr: &str,
        ) -> Result<Box<dyn AsyncIo>> {
            match *self {}
        }
    }
}

#[cfg(feature = "rustls")]
mod with_rustls {
    use std::io;
    use std::pin::Pin;
    use std::sync::Arc;
    use std::task::{Context, Poll};

    use chwire_rt::{AsyncIo, AsyncRead, AsyncWrite};
    use futures_rustls::client::TlsStream;
    use futures_rustls::rustls::{self, AlertDescription, ClientConfig, RootCertStore};
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName};

    use super::TlsOptions;
    use crate::error::{Error, Result, TlsFailure};

    /// Makes TLS connections to one server: the rustls configuration (shared by every
    /// connection of the pool, so TLS sessions resume) and the name the certificate must match.
    #[derive(Clone)]
    pub(crate) struct Connector {
        connector: futures_rustls::TlsConnector,
        server_name: ServerName<'static>,
    }

    impl std::fmt::Debug for Connector {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Connector")
                .field("server_name", &self.server_name)
                .finish_non_exhaustive()
        }
    }

    impl Connector {
        /// Builds the connector for `host` (the URL's host, `[v6]` brackets allowed). Bad PEM,
        /// unreadable files or an invalid server name are configuration errors.
        pub(crate) fn new(host: &str, options: TlsOptions) -> Result<Connector> {
            let name = options
                .server_name
                .clone()
                .unwrap_or_else(|| host.trim_start_matches('[').trim_end_matches(']').into());
            let server_name = ServerName::try_from(name.clone())
                .map_err(|e| Error::Config(format!("invalid TLS server name {name:?}: {e}")))?;
            let config = match options.config.clone() {
                Some(config) => {
                    if !options.ca.is_empty()
                        || options.client_cert.is_some()
                        || options.default_roots.is_some()
                        || options.native_roots
                    {
                        return Err(Error::Config(
                            "tls_config() replaces the other TLS options (CA, client \
                             certificate, default roots): configure those on the ClientConfig"
                                .into(),
                        ));
                    }
                    config
                }
                None => Arc::new(client_config(&options)?),
            };
            Ok(Connector {
                connector: futures_rustls::TlsConnector::from(config),
                server_name,
            })
        }

        /// Runs the TLS handshake over a connected stream; the result is the stream the HTTP
        /// exchange uses. A failure (certificate verification, protocol) is [`Error::Tls`].
        pub(crate) async fn handshake(
            &self,
            io: Box<dyn AsyncIo>,
            addr: &str,
        ) -> Result<Box<dyn AsyncIo>> {
            match self.connector.connect(self.server_name.clone(), io).await {
                Ok(stream) => Ok(Box::new(TlsIo {
                    inner: stream,
                    addr: Arc::from(addr),
                })),
                Err(e) => Err(match rustls_error(&e) {
                    Some(r) => Error::Tls {
                        addr: addr.to_owned(),
                        handshake: true,
                        reason: describe(r),
                    },
                    // The peer closed or reset the connection mid-handshake (e.g. not a TLS
                    // port, or it rejected our hello): still a TLS handshake failure.
                    None => Error::Tls {
                        addr: addr.to_owned(),
                        handshake: true,
                        reason: e.to_string(),
                    },
                }),
            }
        }
    }

    /// Adds the operating system's trusted certificates (`rustls-native-certs`: the system
    /// bundle on Linux, or `SSL_CERT_FILE`/`SSL_CERT_DIR`; the keychain on macOS; the store on
    /// Windows); returns how many were added. Certificates the store holds but rustls cannot
    /// parse are skipped; a store that yields none at all is an error.
    #[cfg(feature = "rustls-native-roots")]
    pub(super) fn native_roots(roots: &mut RootCertStore) -> Result<usize> {
        let found = rustls_native_certs::load_native_certs();
        let (added, _unparsable) = roots.add_parsable_certificates(found.certs);
        if added == 0 {
            let why: Vec<String> = found.errors.iter().map(|e| e.to_string()).collect();
            return Err(Error::Config(format!(
                "tls_native_roots: the system trust store has no usable certificate ({})",
                why.join("; ")
            )));
        }
        Ok(added)
    }

    #[cfg(not(feature = "rustls-native-roots"))]
    pub(super) fn native_roots(_: &mut RootCertStore) -> Result<usize> {
        Err(Error::Config(
            "tls_native_roots needs the rustls-native-roots feature".into(),
        ))
    }

    /// The client configuration built from the builder's options: webpki roots unless custom
    /// CAs replace them, the client certificate if any, ring as the crypto provider.
    fn client_config(options: &TlsOptions) -> Result<ClientConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Config(format!("TLS configuration: {e}")))?;

        let mut roots = RootCertStore::empty();
        let replaced = !options.ca.is_empty() || options.native_roots;
        if options.default_roots.unwrap_or(!replaced) {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        if options.native_roots {
            native_roots(&mut roots)?;
        }
        for source in &options.ca {
            let what = source.describe("CA certificate");
            let pem = source.load("CA certificate file")?;
            let mut found = 0;
            for cert in CertificateDer::pem_slice_iter(&pem) {
                let cert = cert.map_err(|e| Error::Config(format!("bad {what}: {e}")))?;
                roots
                    .add(cert)
                    .map_err(|e| Error::Config(format!("bad {what}: {e}")))?;
                found += 1;
            }
            if found == 0 {
                return Err(Error::Config(format!("no certificate found in {what}")));
            }
        }
        let builder = builder.with_root_certificates(roots);

        let mut config = match &options.client_cert {
            None => builder.with_no_client_auth(),
            Some((chain, key)) => {
                let what = chain.describe("client certificate");
                let chain_pem = chain.load("client certificate file")?;
                let certs = CertificateDer::pem_slice_iter(&chain_pem)
                    .collect::<std::result::Result<Vec<_>, _>>()
                    .map_err(|e| Error::Config(format!("bad {what}: {e}")))?;
                if certs.is_empty() {
                    return Err(Error::Config(format!("no certificate found in {what}")));
                }
                let key_what = key.describe("client key");
                let key_pem = key.load("client key file")?;
                let key = PrivateKeyDer::from_pem_slice(&key_pem)
                    .map_err(|e| Error::Config(format!("bad {key_what}: {e}")))?;
                builder
                    .with_client_auth_cert(certs, key)
                    .map_err(|e| Error::Config(format!("bad client certificate or key: {e}")))?
            }
        };
        // chwire speaks HTTP/1.1 only; say so, so that an ALPN-aware proxy does not pick h2.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(config)
    }

    fn rustls_error(e: &io::Error) -> Option<&rustls::Error> {
        e.get_ref()?.downcast_ref::<rustls::Error>()
    }

    /// rustls' message, with a hint where the bare alert name says little.
    fn describe(e: &rustls::Error) -> String {
        match e {
            rustls::Error::AlertReceived(
                AlertDescription::CertificateRequired | AlertDescription::HandshakeFailure,
            ) => format!("{e} (does the server require a client certificate?)"),
            rustls::Error::AlertReceived(
                AlertDescription::UnknownCA
                | AlertDescription::BadCertificate
                | AlertDescription::CertificateUnknown
                | AlertDescription::CertificateExpired
                | AlertDescription::DecryptError,
            ) => format!("{e} (the server rejected the client certificate)"),
            _ => e.to_string(),
        }
    }

    /// The TLS stream, reporting rustls errors as [`TlsFailure`]s (a TLS 1.3 server checks the
    /// client certificate after the client considers the handshake done, so its rejection
    /// arrives on the first read).
    struct TlsIo {
        inner: TlsStream<Box<dyn AsyncIo>>,
        addr: Arc<str>,
    }

    impl TlsIo {
        fn map<T>(&self, r: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
            match r {
                Poll::Ready(Err(e)) => Poll::Ready(Err(match rustls_error(&e) {
                    Some(r) => io::Error::new(
                        e.kind(),
                        TlsFailure {
                            addr: self.addr.to_string(),
                            handshake: false,
                            reason: describe(r),
                        },
                    ),
                    None => e,
                })),
                other => other,
            }
        }
    }

    impl AsyncRead for TlsIo {
        fn poll_read(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut [u8],
        ) -> Poll<io::Result<usize>> {
            let r = Pin::new(&mut self.inner).poll_read(cx, buf);
            self.map(r)
        }
    }

    impl AsyncWrite for TlsIo {
        fn poll_write(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<io::Result<usize>> {
            let r = Pin::new(&mut self.inner).poll_write(cx, buf);
            self.map(r)
        }

        fn poll_write_vectored(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            bufs: &[io::IoSlice<'_>],
        ) -> Poll<io::Result<usize>> {
            let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
            self.map(r)
        }

        fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
            let r = Pin::new(&mut self.inner).poll_flush(cx);
            self.map(r)
        }

        fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
            let r = Pin::new(&mut self.inner).poll_close(cx);
            self.map(r)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, TlsFailure};
    use std::io;

    fn config_error(r: crate::Result<Connector>) -> String {
        match r {
            Err(Error::Config(m)) => m,
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    #[cfg(not(feature = "rustls"))]
    #[test]
    fn https_needs_the_rustls_feature() {
        let m = config_error(Connector::new("localhost", TlsOptions::default()));
        assert!(m.contains("`rustls` feature"), "{m}");
    }

    #[cfg(feature = "rustls-native-roots")]
    #[test]
    fn native_roots_load_from_the_system_store() {
        let mut roots = futures_rustls::rustls::RootCertStore::empty();
        let added = with_rustls::native_roots(&mut roots).unwrap();
        assert!(added > 0);
        assert_eq!(roots.len(), added);
        let options = TlsOptions {
            native_roots: true,
            ..TlsOptions::default()
        };
        Connector::new("db.example.com", options).unwrap();
    }

    #[cfg(feature = "rustls")]
    #[test]
    fn default_roots_and_server_names() {
        let c = Connector::new("db.example.com", TlsOptions::default()).unwrap();
        assert!(format!("{c:?}").contains("db.example.com"));
        // IPv6 literals lose their URL brackets; IPs verify against IP SANs.
        let c = Connector::new("[::1]", TlsOptions::default()).unwrap();
        assert!(format!("{c:?}").contains("IpAddress(V6"), "{c:?}");
        let options = TlsOptions {
            server_name: Some("localhost".into()),
            ..TlsOptions::default()
        };
        let c = Connector::new("127.0.0.1", options).unwrap();
        assert!(format!("{c:?}").contains("localhost"), "{c:?}");
    }

    #[cfg(feature = "rustls")]
    #[test]
    fn bad_options_are_configuration_errors() {
        let with = |f: fn(&mut TlsOptions)| {
            let mut o = TlsOptions::default();
            f(&mut o);
            config_error(Connector::new("localhost", o))
        };
        let m = with(|o| o.server_name = Some("not a name".into()));
        assert!(m.contains("invalid TLS server name"), "{m}");
        let m = with(|o| o.ca.push(PemSource::Bytes(b"junk".to_vec())));
        assert!(
            m.contains("no certificate found in CA certificate PEM"),
            "{m}"
        );
        let m = with(|o| {
            o.ca.push(PemSource::Bytes(
                b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".to_vec(),
            ))
        });
        assert!(m.contains("bad CA certificate PEM"), "{m}");
        let m = with(|o| o.ca.push(PemSource::File("/nonexistent/ca.pem".into())));
        assert!(m.contains("/nonexistent/ca.pem"), "{m}");
        let m = with(|o| {
            o.client_cert = Some((PemSource::Bytes(Vec::new()), PemSource::Bytes(Vec::new())))
        });
        assert!(
            m.contains("no certificate found in client certificate"),
            "{m}"
        );
        let m = with(|o| {
            let provider = Arc::new(futures_rustls::rustls::crypto::ring::default_provider());
            let config = futures_rustls::rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_root_certificates(futures_rustls::rustls::RootCertStore::empty())
                .with_no_client_auth();
            o.config = Some(Arc::new(config));
            o.default_roots = Some(true);
        });
        assert!(m.contains("tls_config() replaces"), "{m}");
    }

    #[test]
    fn failures_survive_io_errors() {
        let failure = TlsFailure {
            addr: "h:1".into(),
            handshake: false,
            reason: "received fatal alert: CertificateRequired".into(),
        };
        let e = Error::from(io::Error::new(io::ErrorKind::InvalidData, failure));
        assert!(e.is_tls());
        assert_eq!(
            e.to_string(),
            "TLS session with h:1 failed: received fatal alert: CertificateRequired"
        );
        assert!(!e.is_connection());
        let plain = Error::from(io::Error::from(io::ErrorKind::ConnectionReset));
        assert!(matches!(plain, Error::Io(_)));
    }
}
