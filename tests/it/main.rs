//! The integration test binary: every case runs against the real server given by
//! `CHWIRE_HTTP_URL`/`CHWIRE_TCP_ADDR` (run `cargo xtask test`), once per runtime (and per
//! transport when it takes one). Cases register where they are defined
//! (`#[chwire_tests::case]`, `#[chwire_tests::test]`): a new file needs only its `mod` line here.

mod adopt;
mod auth;
mod bind;
mod cancel;
mod codec_roundtrip;
mod defects;
mod detection;
mod errors;
mod fairness;
mod fault;
mod helper_mappings;
mod insert;
mod insert_formatted;
mod inserter;
mod mock;
mod multihost;
mod native_cancel;
mod native_events;
mod native_faults;
mod native_transport;
mod native_values;
mod peer;
mod progress;
mod query;
mod session;
mod smoke;
mod stream;
mod telemetry;
mod tls;
mod tracing_spans;
mod type_mappings;
mod typed;
mod typed_dynamic;

fn main() -> std::process::ExitCode {
    chwire_tests::run()
}
