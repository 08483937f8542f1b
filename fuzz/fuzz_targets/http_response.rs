//! The HTTP/1.x response parser (status line, head, framing, chunked body, trailers, failure
//! bodies, mid-stream exception scanning) over hostile bytes.
//!
//! Input layout: `[flags, chunk_seed, response...]`:
//! - bit 0: the request was `HEAD`; bit 1: the body is encoded (`compress=1`);
//! - bit 2: small limits (head 512 bytes, 6 fields, error body 64, chunk line 16, scanner
//!   tail 8 and message 32) instead of the defaults;
//! - bit 3: take the exception scanner after the head and scan the body data outside the
//!   parser, as the client does off the event loop;
//! - bit 4: adopt the input (`feed_bytes`) instead of copying it (`feed`);
//! - bit 5: the peer does not close after the response (no `feed_eof`).
//!
//! Properties: no panic; bounded memory; feeding the response in fuzz-sized pieces gives the
//! head, body data, trailers, outcome and reusability that feeding it whole gives; the head
//! comes first and once; no more body data than input; after the outcome the parser stays
//! finished, and is reusable only once finished.
#![no_main]

use bytes::Bytes;
use chwire_proto::http::{
    ExceptionScanner, HttpError, HttpResponseParser, ResponseConfig, ResponseEvent, ScannerLimits,
};
use libfuzzer_sys::fuzz_target;

#[path = "chunks.rs"]
mod chunks;
use chunks::Chunks;

#[derive(Debug, PartialEq)]
struct Outcome {
    head: Option<String>,
    data: Vec<u8>,
    /// `Ok` at `End`, the error's text otherwise; `None` while more input is needed.
    result: Option<Result<(), String>>,
    trailers: String,
    reusable: bool,
}

struct Run {
    parser: HttpResponseParser,
    /// The scanner taken over from the parser (flag bit 3).
    scanner: Option<ExceptionScanner>,
    take_scanner: bool,
    adopt: bool,
    out: Outcome,
}

impl Run {
    fn new(flags: u8) -> Run {
        let mut config = ResponseConfig::default()
            .head_request(flags & 1 != 0)
            .body_encoded(flags & 2 != 0);
        if flags & 4 != 0 {
            let mut scanner = ScannerLimits::default();
            scanner.legacy_tail = 8;
            scanner.max_message = 32;
            config = config
                .max_head_size(512)
                .max_headers(6)
                .max_error_body(64)
                .scanner(scanner);
            config.max_chunk_line = 16;
        }
        Run {
            parser: HttpResponseParser::new(config),
            scanner: None,
            take_scanner: flags & 8 != 0,
            adopt: flags & 16 != 0,
            out: Outcome {
                head: None,
                data: Vec::new(),
                result: None,
                trailers: String::new(),
                reusable: false,
            },
        }
    }

    fn feed(&mut self, piece: &[u8]) {
        if self.adopt {
            self.parser.feed_bytes(Bytes::copy_from_slice(piece));
        } else {
            self.parser.feed(piece);
        }
    }

    fn finish_with(&mut self, result: Result<(), String>) {
        assert!(
            !self.parser.is_reusable() || self.parser.is_finished(),
            "reusable before the end"
        );
        self.out.result = Some(result);
        self.out.trailers = format!("{:?}", self.parser.trailers());
        self.out.reusable = self.parser.is_reusable();
    }

    /// Takes events until more input is needed or the outcome is known.
    fn drain(&mut self) {
        while self.out.result.is_none() {
            match self.parser.next_event() {
                Ok(Some(ResponseEvent::Head(h))) => {
                    assert!(self.out.head.is_none(), "a second head");
                    assert!(self.out.data.is_empty(), "data before the head");
                    self.out.head = Some(format!("{h:?}"));
                    if self.take_scanner {
                        self.scanner = self.parser.take_exception_scanner();
                    }
                }
                Ok(Some(ResponseEvent::Data(d))) => {
                    assert!(self.out.head.is_some(), "data before the head");
                    match &mut self.scanner {
                        Some(s) => {
                            let found = s.push(d);
                            while let Some(d) = s.pop() {
                                self.out.data.extend_from_slice(&d);
                            }
                            if let Some(e) = found {
                                self.finish_with(Err(format!("scanner: {e}")));
                            }
                        }
                        None => self.out.data.extend_from_slice(&d),
                    }
                }
                Ok(Some(ResponseEvent::End)) => {
                    assert!(self.out.head.is_some(), "end before the head");
                    let found = self.scanner.as_mut().and_then(ExceptionScanner::finish);
                    if let Some(s) = &mut self.scanner {
                        while let Some(d) = s.pop() {
                            self.out.data.extend_from_slice(&d);
                        }
                    }
                    match found {
                        Some(e) => self.finish_with(Err(format!("scanner: {e}"))),
                        None => self.finish_with(Ok(())),
                    }
                    assert_eq!(self.parser.next_event(), Ok(None), "events after the end");
                }
                Ok(None) => return,
                Err(e) => {
                    // A failure response with intact framing leaves the connection reusable.
                    self.finish_with(Err(e.to_string()));
                    assert_eq!(self.parser.next_event(), Err(HttpError::Finished));
                }
            }
        }
    }
}

fn run(flags: u8, pieces: &mut dyn Iterator<Item = &[u8]>) -> Outcome {
    let mut r = Run::new(flags);
    for piece in pieces {
        r.feed(piece);
        r.drain();
    }
    if flags & 32 == 0 {
        r.parser.feed_eof();
        r.drain();
    }
    if r.out.result.is_none() {
        r.out.trailers = format!("{:?}", r.parser.trailers());
        r.out.reusable = r.parser.is_reusable();
        assert!(!r.out.reusable, "reusable before the end");
    }
    // Reusability is judged once all input is in: bytes after the end of a response that
    // arrive with it (fed whole) or after it (fed in pieces) both make the connection unusable.
    r.out.reusable = r.parser.is_reusable();
    r.out
}

fuzz_target!(|data: &[u8]| {
    let [flags, seed, response @ ..] = data else {
        return;
    };
    let whole = run(*flags, &mut std::iter::once(response));
    assert!(whole.data.len() <= response.len(), "more data than input");

    let mut chunks = Chunks::new(u32::from(*seed) * 0x9e37 + 1, 8, 512);
    let mut rest = response;
    let mut pieces = std::iter::from_fn(|| {
        if rest.is_empty() {
            return None;
        }
        let (piece, tail) = rest.split_at(chunks.next_len().min(rest.len()));
        rest = tail;
        Some(piece)
    });
    let split = run(*flags, &mut pieces);
    assert_eq!(whole, split, "piecewise parsing differs from whole parsing");
});
