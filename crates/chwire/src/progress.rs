//! Live query progress from `X-ClickHouse-Progress` response headers.
//!
//! With `send_progress_in_http_headers=1` the server writes one `X-ClickHouse-Progress` header
//! (cumulative counters) every `http_headers_progress_interval_ms` while it has not sent the
//! rest of the response head yet. The head is only completed when the first bytes of the result
//! are flushed, so progress flows while the server computes the first output buffer; with
//! `wait_end_of_query=1` the server buffers the whole result and progress flows until the end
//! of the query.
//!
//! `HeadProgressFilter` sits between the socket and the HTTP parser: it takes the progress
//! lines out of the head as they arrive and reports them, so a long query's head does not grow
//! towards the parser's head-size limit however many updates the server sends.

use std::sync::Arc;

pub use chwire_proto::server::Progress;

/// A progress callback ([`Query::on_progress`](crate::Query::on_progress)).
pub(crate) type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Longest head line buffered while looking for progress lines; a longer line is passed on
/// unfiltered (the parser enforces its own limits).
const MAX_LINE: usize = 64 * 1024;

const PROGRESS_PREFIX: &[u8] = b"x-clickhouse-progress:";

/// Strips `X-ClickHouse-Progress` lines out of a response head (see the module docs).
pub(crate) struct HeadProgressFilter {
    callback: ProgressFn,
    line: Vec<u8>,
    in_head: bool,
    at_status_line: bool,
    informational: bool,
}

impl std::fmt::Debug for HeadProgressFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeadProgressFilter")
            .field("in_head", &self.in_head)
            .finish_non_exhaustive()
    }
}

impl HeadProgressFilter {
    pub(crate) fn new(callback: ProgressFn) -> Self {
        HeadProgressFilter {
            callback,
            line: Vec::new(),
            in_head: true,
            at_status_line: true,
            informational: false,
        }
    }

    /// Filters received bytes; what the parser must see goes to `forward`. Returns whether a
    /// progress report was among them.
    pub(crate) fn feed(&mut self, mut data: &[u8], forward: &mut impl FnMut(&[u8])) -> bool {
        let mut reported = false;
        while self.in_head && !data.is_empty() {
            match data.iter().position(|&b| b == b'\n') {
                Some(p) => {
                    self.line.extend_from_slice(&data[..=p]);
                    data = &data[p + 1..];
                    reported |= self.line_done(forward);
                }
                None => {
                    self.line.extend_from_slice(data);
                    data = &[];
                    if self.line.len() > MAX_LINE {
                        forward(&self.line);
                        self.line.clear();
                        self.in_head = false;
                    }
                }
            }
        }
        if !data.is_empty() {
            forward(data);
        }
        reported
    }

    /// Handles one complete head line; true if it was a progress report.
    fn line_done(&mut self, forward: &mut impl FnMut(&[u8])) -> bool {
        let line = std::mem::take(&mut self.line);
        let content = line.strip_suffix(b"\n").unwrap_or(&line);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        if self.at_status_line {
            self.at_status_line = false;
            // `HTTP/1.1 1xx`: an interim head, the real one follows.
            self.informational = content.get(9) == Some(&b'1');
        } else if content.is_empty() {
            if self.informational {
                self.at_status_line = true;
            } else {
                self.in_head = false;
            }
        } else if content.len() >= PROGRESS_PREFIX.len()
            && content[..PROGRESS_PREFIX.len()].eq_ignore_ascii_case(PROGRESS_PREFIX)
        {
            let value = &content[PROGRESS_PREFIX.len()..];
            if let Some(p) = std::str::from_utf8(value)
                .ok()
                .and_then(|v| Progress::parse_json(v.trim()))
            {
                (self.callback)(&p);
            }
            self.line = line;
            self.line.clear();
            return true;
        }
        forward(&line);
        self.line = line;
        self.line.clear();
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    const RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\n\
        X-ClickHouse-Progress: {\"read_rows\":\"42\",\"total_rows_to_read\":\"500\"}\r\n\
        Date: x\r\n\
        x-clickhouse-progress: {\"read_rows\":\"82\",\"total_rows_to_read\":\"500\"}\r\n\
        X-ClickHouse-Summary: {\"read_rows\":\"500\"}\r\n\
        \r\n\
        X-ClickHouse-Progress: body bytes are not touched\r\n";

    fn run(splits: &[usize]) -> (Vec<u8>, Vec<u64>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = Arc::clone(&seen);
        let mut f = HeadProgressFilter::new(Arc::new(move |p: &Progress| {
            assert_eq!(p.total_rows_to_read, 500);
            s.lock().unwrap().push(p.read_rows);
        }));
        let mut out = Vec::new();
        let mut at = 0;
        for &cut in splits.iter().chain([&RESPONSE.len()]) {
            f.feed(&RESPONSE[at..cut], &mut |b| out.extend_from_slice(b));
            at = cut;
        }
        let seen = seen.lock().unwrap().clone();
        (out, seen)
    }

    #[test]
    fn strips_progress_lines_at_every_split() {
        let expected: Vec<u8> = b"HTTP/1.1 200 OK\r\nDate: x\r\n\
            X-ClickHouse-Summary: {\"read_rows\":\"500\"}\r\n\r\n\
            X-ClickHouse-Progress: body bytes are not touched\r\n"
            .to_vec();
        for cut in 0..=RESPONSE.len() {
            let (out, seen) = run(&[cut]);
            assert_eq!(out, expected, "split at {cut}");
            assert_eq!(seen, vec![42, 82], "split at {cut}");
        }
        let every: Vec<usize> = (1..RESPONSE.len()).collect();
        assert_eq!(run(&every), (expected, vec![42, 82]));
    }

    #[test]
    fn interim_heads_and_long_lines() {
        let mut f = HeadProgressFilter::new(Arc::new(|_: &Progress| {}));
        let mut out = Vec::new();
        f.feed(
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nX-ClickHouse-Progress: {}\r\n\r\n",
            &mut |b| out.extend_from_slice(b),
        );
        assert_eq!(out, b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n");

        let mut f = HeadProgressFilter::new(Arc::new(|_: &Progress| {}));
        let long = vec![b'a'; MAX_LINE + 10];
        let mut out = Vec::new();
        f.feed(b"HTTP/1.1 200 OK\r\n", &mut |b| out.extend_from_slice(b));
        f.feed(&long, &mut |b| out.extend_from_slice(b));
        f.feed(b"\r\n\r\n", &mut |b| out.extend_from_slice(b));
        assert_eq!(out.len(), 17 + long.len() + 4);
    }
}
