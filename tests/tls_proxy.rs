//! A local TLS endpoint for the `https://` tests: a TLS-terminating TCP proxy in front of the
//! server's plain HTTP port, with certificates made at test time (no private key is committed).
//!
//! The proxy runs on plain std threads with blocking sockets, so it depends on no async
//! runtime and serves the tokio, async-std and smol cases alike. Each accepted connection gets
//! two threads: one reads TLS records from the client and forwards the plaintext upstream, the
//! other reads upstream and writes TLS records back; the rustls state sits between them behind
//! a mutex, and every write to the client socket happens under it.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig, ServerConnection};

/// A certificate with its private key, in PEM (what a client is configured with) and DER.
#[derive(Debug)]
pub struct TestCert {
    pub cert_pem: String,
    pub key_pem: String,
    cert_der: CertificateDer<'static>,
    key_der: Vec<u8>,
}

impl TestCert {
    fn key(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()))
    }
}

/// The test PKI: a CA, certificates it signed, and an unrelated CA.
#[derive(Debug)]
pub struct TestPki {
    /// The CA that signed the server and client certificates.
    pub ca_pem: String,
    /// A CA that signed nothing the proxy presents (for "wrong CA" cases).
    pub other_ca_pem: String,
    /// Server certificate for `localhost` and `127.0.0.1`, signed by the CA.
    pub server: TestCert,
    /// Server certificate like [`server`](Self::server) but expired in 2020.
    pub expired_server: TestCert,
    /// Client certificate (CN `chwire-test-client`), signed by the CA.
    pub client: TestCert,
    /// Client certificate signed by the other CA (the proxy must reject it).
    pub untrusted_client: TestCert,
    ca_der: CertificateDer<'static>,
}

/// The process-wide test PKI, generated on first use.
pub fn pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(|| make_pki().expect("generate the test certificates"))
}

fn make_ca(name: &str) -> Result<CertifiedIssuer<'static, KeyPair>, rcgen::Error> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    CertifiedIssuer::self_signed(params, KeyPair::generate()?)
}

fn leaf(
    issuer: &CertifiedIssuer<'static, KeyPair>,
    names: &[&str],
    common_name: &str,
    usage: ExtendedKeyUsagePurpose,
    expired: bool,
) -> Result<TestCert, rcgen::Error> {
    let mut params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())?;
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params.extended_key_usages = vec![usage];
    if expired {
        params.not_before = rcgen::date_time_ymd(2019, 1, 1);
        params.not_after = rcgen::date_time_ymd(2020, 1, 1);
    }
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, issuer)?;
    Ok(TestCert {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        cert_der: cert.der().clone(),
        key_der: key.serialize_der(),
    })
}

fn make_pki() -> Result<TestPki, rcgen::Error> {
    let ca = make_ca("chwire test CA")?;
    let other = make_ca("chwire unrelated CA")?;
    let server_names = ["localhost", "127.0.0.1"];
    use ExtendedKeyUsagePurpose::{ClientAuth, ServerAuth};
    Ok(TestPki {
        ca_pem: ca.pem(),
        other_ca_pem: other.pem(),
        server: leaf(&ca, &server_names, "localhost", ServerAuth, false)?,
        expired_server: leaf(&ca, &server_names, "localhost", ServerAuth, true)?,
        client: leaf(&ca, &[], "chwire-test-client", ClientAuth, false)?,
        untrusted_client: leaf(&other, &[], "chwire-test-client", ClientAuth, false)?,
        ca_der: ca.der().clone(),
    })
}

/// How a proxy presents itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyKind {
    /// Valid server certificate, no client certificate asked.
    Plain,
    /// Valid server certificate; a client certificate signed by the test CA is required.
    MutualTls,
    /// Expired server certificate.
    Expired,
}

/// The address of the shared proxy of `kind` (started on first use, lives as long as the test
/// process), in front of [`http_addr`](crate::http_addr).
pub fn tls_proxy(kind: ProxyKind) -> SocketAddr {
    static PROXIES: [OnceLock<SocketAddr>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let slot = match kind {
        ProxyKind::Plain => 0,
        ProxyKind::MutualTls => 1,
        ProxyKind::Expired => 2,
    };
    *PROXIES[slot]
        .get_or_init(|| start_proxy(kind, crate::http_addr()).expect("start the TLS test proxy"))
}

/// The address of a shared [`ProxyKind::Plain`] proxy in front of the native port
/// ([`tcp_addr`](crate::tcp_addr)): native over TLS (`clickhouses://`), which the embedded
/// server has no port for.
pub fn native_tls_proxy() -> SocketAddr {
    static PROXY: OnceLock<SocketAddr> = OnceLock::new();
    *PROXY.get_or_init(|| {
        start_proxy(ProxyKind::Plain, crate::tcp_addr()).expect("start the native TLS proxy")
    })
}

fn server_config(kind: ProxyKind) -> Result<ServerConfig, rustls::Error> {
    let pki = pki();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()?;
    let builder = if kind == ProxyKind::MutualTls {
        let mut roots = RootCertStore::empty();
        roots.add(pki.ca_der.clone())?;
        let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .map_err(|e| rustls::Error::General(e.to_string()))?;
        builder.with_client_cert_verifier(verifier)
    } else {
        builder.with_no_client_auth()
    };
    let cert = if kind == ProxyKind::Expired {
        &pki.expired_server
    } else {
        &pki.server
    };
    builder.with_single_cert(vec![cert.cert_der.clone()], cert.key())
}

/// Starts a TLS proxy of `kind` on `127.0.0.1:0` forwarding to `upstream`; returns its address.
pub fn start_proxy(kind: ProxyKind, upstream: SocketAddr) -> io::Result<SocketAddr> {
    let config = Arc::new(server_config(kind).map_err(io::Error::other)?);
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    thread::Builder::new()
        .name(format!("tls-proxy-{}", addr.port()))
        .spawn(move || {
            for client in listener.incoming().flatten() {
                let config = Arc::clone(&config);
                let _ = thread::Builder::new()
                    .name("tls-proxy-conn".into())
                    .spawn(move || {
                        let _ = serve(client, upstream, config);
                    });
            }
        })?;
    Ok(addr)
}

/// Proxies one client connection until either side closes.
fn serve(client: TcpStream, upstream: SocketAddr, config: Arc<ServerConfig>) -> io::Result<()> {
    client.set_nodelay(true)?;
    let conn = ServerConnection::new(config).map_err(io::Error::other)?;
    let tls = Arc::new(Mutex::new(conn));
    let server = TcpStream::connect(upstream)?;
    server.set_nodelay(true)?;

    // Upstream → client, on its own thread.
    let back = {
        let tls = Arc::clone(&tls);
        let mut client_w = client.try_clone()?;
        let mut server_r = server.try_clone()?;
        thread::spawn(move || {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = match server_r.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let mut conn = tls.lock().unwrap_or_else(PoisonError::into_inner);
                if conn.writer().write_all(&buf[..n]).is_err()
                    || flush_tls(&mut conn, &mut client_w).is_err()
                {
                    break;
                }
            }
            let mut conn = tls.lock().unwrap_or_else(PoisonError::into_inner);
            conn.send_close_notify();
            let _ = flush_tls(&mut conn, &mut client_w);
            let _ = client_w.shutdown(Shutdown::Both);
        })
    };

    // Client → upstream, here.
    let result = forward_client(&client, &server, &tls);
    let _ = server.shutdown(Shutdown::Both);
    let _ = back.join();
    let _ = client.shutdown(Shutdown::Both);
    result
}

fn forward_client(
    client: &TcpStream,
    server: &TcpStream,
    tls: &Mutex<ServerConnection>,
) -> io::Result<()> {
    let mut client_r = client;
    let mut client_w = client;
    let mut server_w = server;
    let mut buf = vec![0u8; 64 * 1024];
    let mut plain = vec![0u8; 64 * 1024];
    loop {
        let n = client_r.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        let mut conn = tls.lock().unwrap_or_else(PoisonError::into_inner);
        let mut input = &buf[..n];
        while !input.is_empty() {
            conn.read_tls(&mut input)?;
            if let Err(e) = conn.process_new_packets() {
                // Send the alert rustls queued (e.g. certificate required), then give up.
                let _ = flush_tls(&mut conn, &mut client_w);
                return Err(io::Error::other(e));
            }
            loop {
                match conn.reader().read(&mut plain) {
                    Ok(0) => break,
                    Ok(m) => server_w.write_all(&plain[..m])?,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) => return Err(e),
                }
            }
        }
        flush_tls(&mut conn, &mut client_w)?;
    }
}

fn flush_tls(conn: &mut ServerConnection, out: &mut impl Write) -> io::Result<()> {
    while conn.wants_write() {
        conn.write_tls(out)?;
    }
    out.flush()
}
