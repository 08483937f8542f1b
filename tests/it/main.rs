//! The integration test binary: every case runs against the real server given by
//! `CHWIRE_HTTP_URL`/`CHWIRE_TCP_ADDR` (run `cargo xtask test`), once per runtime.

mod codec_roundtrip;
mod native_values;
mod smoke;

chwire_tests::each_runtime! {
    smoke: [reaches_http, reaches_tcp],
}
