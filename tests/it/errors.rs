//! Typed errors: server exceptions before and during the response, bad credentials, no server,
//! timeouts.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chwire::{Compression, TimeoutKind};
use chwire_rt::Runtime;
use chwire_tests::{COMPRESSIONS, Transport, client_builder};

use crate::query::client;

#[chwire_tests::case]
pub async fn server_exceptions(rt: Arc<dyn Runtime>, transport: Transport) {
    for compression in COMPRESSIONS {
        let c = client(rt.clone(), transport, compression).await;
        let e = c.query("SELEC 1").execute().await.unwrap_err();
        assert_eq!(e.server_code(), Some(62), "{e}");
        let se = e.server_error().unwrap();
        assert_eq!(se.name.as_deref(), Some("SYNTAX_ERROR"));
        assert!(!se.mid_stream);
        let e = c
            .query("SELECT * FROM h_facade.no_such_table")
            .fetch_blocks()
            .await
            .unwrap_err();
        assert_eq!(e.server_code(), Some(60), "{e}");
        assert!(e.is_server() && !e.is_timeout());
        // The connection stays usable after an error response.
        let (_, rows) = c.query("SELECT 1").fetch_all_rows().await.unwrap();
        assert_eq!(rows.len(), 1);
    }
}

#[chwire_tests::case]
pub async fn wrong_password(rt: Arc<dyn Runtime>, transport: Transport) {
    // An unknown user or a wrong password: AUTHENTICATION_FAILED.
    let c = client_builder(rt.clone(), transport)
        .user("chwire_no_such_user")
        .password("definitely-wrong")
        .build()
        .unwrap();
    let e = c.query("SELECT 1").execute().await.unwrap_err();
    assert_eq!(e.server_code(), Some(516), "{e}");
    assert_eq!(
        e.server_error().unwrap().name.as_deref(),
        Some("AUTHENTICATION_FAILED")
    );
    // The test server's `default` user has no password, so over HTTP the server answers
    // REQUIRED_PASSWORD (194) to a password for it; its native login says
    // AUTHENTICATION_FAILED (516).
    let c = client_builder(rt, transport)
        .user("default")
        .password("definitely-wrong")
        .build()
        .unwrap();
    let e = c.query("SELECT 1").execute().await.unwrap_err();
    let code = match transport {
        Transport::Http => 194,
        Transport::Native => 516,
    };
    assert_eq!(e.server_code(), Some(code), "{e}");
}

#[chwire_tests::case]
pub async fn mid_stream_exception(rt: Arc<dyn Runtime>, transport: Transport) {
    for compression in COMPRESSIONS {
        let c = client(rt.clone(), transport, compression).await;
        let mut s = c
            .query("SELECT number, throwIf(number = 3000000) FROM numbers(10000000)")
            .fetch_blocks()
            .await
            .expect("the head is a 200: the exception comes later");
        let mut rows = 0;
        let err = loop {
            match s.next().await {
                Some(Ok(b)) => rows += b.rows,
                Some(Err(e)) => break e,
                None => panic!("stream ended without the exception ({compression:?})"),
            }
        };
        assert!(s.next().await.is_none(), "an error ends the stream");
        assert_eq!(err.server_code(), Some(395), "{err}");
        assert!(err.server_error().unwrap().mid_stream, "{err:?}");
        assert!(rows <= 3_000_000, "{rows}");
        // Same through dynamic rows.
        let mut s = c
            .query("SELECT number, throwIf(number = 3000000) FROM numbers(10000000)")
            .fetch_rows()
            .await
            .unwrap();
        let mut last = None;
        while let Some(r) = s.next().await {
            match r {
                Ok(_) => {}
                Err(e) => last = Some(e),
            }
        }
        assert_eq!(last.unwrap().server_code(), Some(395));
    }
}

/// Small blocks and a `String` column, exception around row 250000 (the shape of issue 17's
/// report): the error is the server's, its message clean text, never body bytes.
#[chwire_tests::case]
pub async fn mid_stream_exception_message_is_clean(rt: Arc<dyn Runtime>, transport: Transport) {
    let sql = "SELECT number, toString(number) s, throwIf(number = 250000) FROM numbers(1000000) \
               SETTINGS max_block_size = 10000";
    for compression in COMPRESSIONS {
        let c = client(rt.clone(), transport, compression).await;
        // Before its first flush the server answers 500 (data so far, then the text); after
        // it, the exception comes inside the 200's body.
        let mut rows = 0;
        let err = match c.query(sql).fetch_blocks().await {
            Err(e) => e,
            Ok(mut s) => loop {
                match s.next().await {
                    Some(Ok(b)) => rows += b.rows,
                    Some(Err(e)) => break e,
                    None => panic!("stream ended without the exception ({compression:?})"),
                }
            },
        };
        let se = err.server_error().unwrap_or_else(|| panic!("{err:?}"));
        assert_eq!(se.code, 395, "{compression:?}: {err}");
        assert_eq!(
            se.name.as_deref(),
            Some("FUNCTION_THROW_IF_VALUE_IS_NON_ZERO"),
            "{compression:?}: {err}"
        );
        assert!(
            se.message
                .starts_with("Value passed to 'throwIf' function is non-zero"),
            "{compression:?}: {:?}",
            se.message
        );
        assert!(
            se.message.chars().all(|ch| !ch.is_control() || ch == '\n'),
            "{compression:?}: {:?}",
            se.message
        );
        assert!(rows <= 250_000, "{rows}");
    }
}

#[chwire_tests::case]
pub async fn no_server(rt: Arc<dyn Runtime>) {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = chwire::Client::builder(rt)
        .url(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let start = Instant::now();
    let e = c.query("SELECT 1").execute().await.unwrap_err();
    assert!(e.is_connect(), "{e:?}");
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[chwire_tests::case]
pub async fn timeouts(rt: Arc<dyn Runtime>, transport: Transport) {
    // Over HTTP the sleeping server is silent; over the native protocol it sends a Progress
    // packet every 100 ms, so the receive (inactivity) limit rightly never fires there.
    if transport == Transport::Http {
        let c = client_builder(rt.clone(), transport)
            .compression(Compression::None)
            .receive_timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let start = Instant::now();
        let e = c.query("SELECT sleep(2)").execute().await.unwrap_err();
        assert_eq!(e.timeout_kind(), Some(TimeoutKind::Receive), "{e:?}");
        assert!(start.elapsed() < Duration::from_millis(1500));
    }
    let c = client_builder(rt, transport)
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let e = c.query("SELECT sleep(2)").execute().await.unwrap_err();
    assert_eq!(e.timeout_kind(), Some(TimeoutKind::Request), "{e:?}");
}

/// The receive limit is inactivity, not duration: a response that keeps sending bytes (a
/// progress header every 100 ms) for several times the limit is not cut off, and only a real
/// silence is. One timer serves many reads, so this checks it is pushed back, not expired.
#[chwire_tests::case]
pub async fn receive_timeout_is_inactivity_not_duration(
    rt: Arc<dyn Runtime>,
    transport: Transport,
) {
    let c = client_builder(rt, transport)
        .compression(Compression::None)
        .receive_timeout(Duration::from_millis(600))
        .build()
        .unwrap();
    let start = Instant::now();
    let ticks = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = Arc::clone(&ticks);
    let (_, rows) = c
        .query(
            "SELECT sum(number + sleepEachRow(0.1)) FROM numbers(20) SETTINGS max_block_size = 1",
        )
        .on_progress(Duration::from_millis(100), move |_| {
            seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        })
        .fetch_all_rows()
        .await
        .unwrap();
    assert_eq!(rows, vec![vec![chwire::Value::UInt64(190)]]);
    assert!(
        start.elapsed() >= Duration::from_millis(1800),
        "the response must outlast the limit several times: {:?}",
        start.elapsed()
    );
    assert!(
        ticks.load(std::sync::atomic::Ordering::Relaxed) >= 5,
        "progress kept coming"
    );
}
