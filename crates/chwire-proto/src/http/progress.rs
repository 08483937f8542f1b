//! Progress reports taken out of a response head as its bytes arrive.
//!
//! With `send_progress_in_http_headers=1` the server writes one `X-ClickHouse-Progress` header
//! (cumulative counters) every `http_headers_progress_interval_ms` while it has not sent the
//! rest of the response head yet. The head is only completed when the first bytes of the result
//! are flushed, so progress flows while the server computes the first output buffer; with
//! `wait_end_of_query=1` the server buffers the whole result and progress flows until the end
//! of the query.
//!
//! [`HeadProgressFilter`] sits between the socket and [`HttpResponseParser`]: it takes the
//! progress lines out of the head as they arrive and reports them, so a long query's head does
//! not grow towards the parser's head-size limit however many updates the server sends.
//!
//! [`HttpResponseParser`]: super::HttpResponseParser

use crate::server::Progress;

/// Longest head line buffered while looking for progress lines; a longer line is passed on
/// unfiltered (the parser enforces its own limits).
const MAX_PROGRESS_LINE: usize = 64 * 1024;

const PROGRESS_PREFIX: &[u8] = b"x-clickhouse-progress:";

/// Strips `X-ClickHouse-Progress` lines out of a response head (see the module docs). Bytes
/// after the head pass through untouched.
#[derive(Debug, Default)]
pub struct HeadProgressFilter {
    line: Vec<u8>,
    past_head: bool,
    past_status_line: bool,
    informational: bool,
}

impl HeadProgressFilter {
    /// A filter expecting the start of a response head.
    pub fn new() -> Self {
        Self::default()
    }

    /// Filters received bytes: what the parser must see goes to `forward`, each well-formed
    /// progress report to `progress`. Returns whether a progress line (well-formed or not) was
    /// among them: the server is working on the query.
    pub fn feed(
        &mut self,
        mut data: &[u8],
        forward: &mut impl FnMut(&[u8]),
        progress: &mut impl FnMut(Progress),
    ) -> bool {
        let mut reported = false;
        while !self.past_head && !data.is_empty() {
            match data.iter().position(|&b| b == b'\n') {
                Some(p) => {
                    self.line.extend_from_slice(&data[..=p]);
                    data = &data[p + 1..];
                    reported |= self.line_done(forward, progress);
                }
                None => {
                    self.line.extend_from_slice(data);
                    data = &[];
                    if self.line.len() > MAX_PROGRESS_LINE {
                        forward(&self.line);
                        self.line = Vec::new();
                        self.past_head = true;
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
    fn line_done(
        &mut self,
        forward: &mut impl FnMut(&[u8]),
        progress: &mut impl FnMut(Progress),
    ) -> bool {
        let line = std::mem::take(&mut self.line);
        let content = line.strip_suffix(b"\n").unwrap_or(&line);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        let mut was_progress = false;
        if !self.past_status_line {
            self.past_status_line = true;
            // `HTTP/1.1 1xx`: an interim head, the real one follows.
            self.informational = content.get(9) == Some(&b'1');
        } else if content.is_empty() {
            if self.informational {
                self.past_status_line = false;
            } else {
                self.past_head = true;
            }
        } else if content.len() >= PROGRESS_PREFIX.len()
            && content[..PROGRESS_PREFIX.len()].eq_ignore_ascii_case(PROGRESS_PREFIX)
        {
            let value = &content[PROGRESS_PREFIX.len()..];
            if let Some(p) = std::str::from_utf8(value)
                .ok()
                .and_then(|v| Progress::parse_json(v.trim()))
            {
                progress(p);
            }
            was_progress = true;
        }
        if !was_progress {
            forward(&line);
        }
        // Keeps the line's allocation for the next one.
        self.line = line;
        self.line.clear();
        was_progress
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\n\
        X-ClickHouse-Progress: {\"read_rows\":\"42\",\"total_rows_to_read\":\"500\"}\r\n\
        Date: x\r\n\
        x-clickhouse-progress: {\"read_rows\":\"82\",\"total_rows_to_read\":\"500\"}\r\n\
        X-ClickHouse-Summary: {\"read_rows\":\"500\"}\r\n\
        \r\n\
        X-ClickHouse-Progress: body bytes are not touched\r\n";

    fn run(splits: &[usize]) -> (Vec<u8>, Vec<u64>) {
        let mut seen = Vec::new();
        let mut f = HeadProgressFilter::new();
        let mut out = Vec::new();
        let mut at = 0;
        for &cut in splits.iter().chain([&RESPONSE.len()]) {
            f.feed(
                &RESPONSE[at..cut],
                &mut |b| out.extend_from_slice(b),
                &mut |p| {
                    assert_eq!(p.total_rows_to_read, 500);
                    seen.push(p.read_rows);
                },
            );
            at = cut;
        }
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
    fn malformed_progress_is_dropped_but_reported_as_activity() {
        let mut f = HeadProgressFilter::new();
        let mut out = Vec::new();
        let mut seen = 0;
        let reported = f.feed(
            b"HTTP/1.1 200 OK\r\nX-ClickHouse-Progress: not json\r\n\r\n",
            &mut |b| out.extend_from_slice(b),
            &mut |_| seen += 1,
        );
        assert!(reported);
        assert_eq!(seen, 0);
        assert_eq!(out, b"HTTP/1.1 200 OK\r\n\r\n");
        assert!(!f.feed(b"body", &mut |b| out.extend_from_slice(b), &mut |_| {}));
    }

    #[test]
    fn interim_heads_and_long_lines() {
        let mut f = HeadProgressFilter::new();
        let mut out = Vec::new();
        f.feed(
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nX-ClickHouse-Progress: {}\r\n\r\n",
            &mut |b| out.extend_from_slice(b),
            &mut |_| {},
        );
        assert_eq!(out, b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n");

        let mut f = HeadProgressFilter::new();
        let long = vec![b'a'; MAX_PROGRESS_LINE + 10];
        let mut out = Vec::new();
        let mut push = |b: &[u8]| out.extend_from_slice(b);
        f.feed(b"HTTP/1.1 200 OK\r\n", &mut push, &mut |_| {});
        f.feed(&long, &mut push, &mut |_| {});
        f.feed(b"\r\n\r\n", &mut push, &mut |_| {});
        assert_eq!(out.len(), 17 + long.len() + 4);
    }
}
