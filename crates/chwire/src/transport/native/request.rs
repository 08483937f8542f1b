//! A request as the native protocol's Query packet: SQL, query id, the client's and the
//! request's settings, server-side parameters (sent in the packet's parameters, typed by the
//! server), compression, and the caller's trace context in `ClientInfo`.

use chwire_proto::tcp::{ClientInfo, Query, TraceContext};

use crate::config::Config;
use crate::request::Request;
use crate::telemetry::TraceCarrier;

/// The W3C trace context a span writes, kept for `ClientInfo`.
#[derive(Default)]
struct InfoCarrier {
    traceparent: Option<String>,
    tracestate: String,
}

impl TraceCarrier for InfoCarrier {
    fn set(&mut self, key: &str, value: String) {
        match key {
            "traceparent" => self.traceparent = Some(value),
            "tracestate" => self.tracestate = value,
            _ => {}
        }
    }
}

/// The Query packet of one attempt running `sql`.
pub(super) fn query_packet(c: &Config, req: &Request<'_>, query_id: &str, sql: &str) -> Query {
    let mut q = Query::new(query_id, sql);
    let settings = req.effective_settings(c);
    for (n, v) in settings.iter() {
        q = q.setting(n, v);
    }
    for (n, v) in req.params {
        q = q.param(n, v);
    }
    if let Some(wire) = c.compression().wire() {
        q = q.compression(wire);
    }
    q.info = client_info(req);
    q
}

/// `ClientInfo`: the start time and the span's trace context.
fn client_info(req: &Request<'_>) -> ClientInfo {
    let mut info = ClientInfo {
        query_start_time_us: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_micros() as i64),
        ..ClientInfo::default()
    };
    if let Some(span) = req.span {
        let mut carrier = InfoCarrier::default();
        span.inject(&mut carrier);
        info.trace = carrier
            .traceparent
            .as_deref()
            .and_then(TraceContext::from_traceparent);
        if info.trace.is_some() {
            info.tracestate = carrier.tracestate;
        }
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_carrier_keeps_the_w3c_fields() {
        let mut c = InfoCarrier::default();
        c.set(
            "traceparent",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".into(),
        );
        c.set("tracestate", "a=b".into());
        c.set("baggage", "x".into());
        let t = TraceContext::from_traceparent(c.traceparent.as_deref().unwrap()).unwrap();
        assert_eq!(t.span_id, [0xb7, 0xad, 0x6b, 0x71, 0x69, 0x20, 0x33, 0x31]);
        assert_eq!(c.tracestate, "a=b");
    }
}
