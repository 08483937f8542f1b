//! Library half of xtask: the embedded-server harness, reusable by tests that must start, kill
//! and restart their own servers (fault tests).

pub mod bench;
pub mod demo;
pub mod error_codes;
pub mod golden;
pub mod golden_tcp;
pub mod http;
#[cfg(test)]
mod module_graph;
pub mod package;
pub mod server;
pub mod session;
pub mod soak;
pub mod testrun;
#[cfg(test)]
mod tidy;
#[cfg(test)]
mod tidy_scan;
