//! Response parsing against raw responses captured from a ClickHouse 26.9 server
//! (`tests/golden/http/*.http`, made by `capture.py` there; `*.req` is the exact request sent).
//!
//! Each case is parsed whole and checked against the real values, and against an independent
//! naive de-chunker; then fed split at many positions (every position for small captures; the
//! head, the end, the exception marker's surroundings and a stride elsewhere for big ones) and
//! byte by byte, which must give exactly the same head, data and outcome.

use std::path::PathBuf;

use chwire_proto::http::{
    BodyFraming, HttpError, HttpResponseParser, ResponseConfig, ResponseEvent, ResponseHead,
};
use http::{StatusCode, Version};

fn golden(name: &str) -> Vec<u8> {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests/golden/http",
        &format!("{name}.http"),
    ]
    .iter()
    .collect();
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Debug, PartialEq)]
struct Outcome {
    head: Option<ResponseHead>,
    data: Vec<u8>,
    /// `Ok(())` for `End`.
    result: Result<(), HttpError>,
    reusable: bool,
}

/// Feeds `input` in the pieces delimited by `cuts`, then EOF, collecting all events.
fn run(input: &[u8], cuts: &[usize], config: ResponseConfig) -> Outcome {
    run_mode(input, cuts, config, false)
}

/// [`run`], feeding with `feed` (copied) or, with `adopt`, `feed_bytes` (sliced).
fn run_mode(input: &[u8], cuts: &[usize], config: ResponseConfig, adopt: bool) -> Outcome {
    let mut p = HttpResponseParser::new(config);
    let mut out = Outcome {
        head: None,
        data: Vec::new(),
        result: Err(HttpError::Finished),
        reusable: false,
    };
    let mut pieces: Vec<&[u8]> = Vec::new();
    let mut last = 0;
    for &c in cuts {
        pieces.push(&input[last..c]);
        last = c;
    }
    pieces.push(&input[last..]);
    let n = pieces.len();
    for (i, piece) in pieces.into_iter().enumerate() {
        if adopt {
            p.feed_bytes(bytes::Bytes::copy_from_slice(piece));
        } else {
            p.feed(piece);
        }
        loop {
            match p.next_event() {
                Ok(Some(ResponseEvent::Head(h))) => {
                    assert!(out.head.is_none(), "two heads");
                    out.head = Some(*h);
                }
                Ok(Some(ResponseEvent::Data(d))) => {
                    assert!(out.head.is_some(), "data before head");
                    assert!(!d.is_empty(), "empty data event");
                    out.data.extend_from_slice(&d);
                }
                Ok(Some(ResponseEvent::End)) => {
                    out.result = Ok(());
                    out.reusable = p.is_reusable();
                    return out;
                }
                Ok(None) => break,
                Err(e) => {
                    out.result = Err(e);
                    out.reusable = p.is_reusable();
                    return out;
                }
            }
        }
        if i == n - 1 {
            p.feed_eof();
            // Drain what EOF decides.
            loop {
                match p.next_event() {
                    Ok(Some(ResponseEvent::Data(d))) => out.data.extend_from_slice(&d),
                    Ok(Some(ResponseEvent::End)) => {
                        out.result = Ok(());
                        return out;
                    }
                    Ok(Some(ResponseEvent::Head(h))) => out.head = Some(*h),
                    Ok(None) => panic!("parser wants more input after EOF"),
                    Err(e) => {
                        out.result = Err(e);
                        return out;
                    }
                }
            }
        }
    }
    unreachable!()
}

/// Positions worth splitting at: all of them for small inputs; otherwise the first KiB, the
/// KiB around the end of the head, the last 2 KiB, the `extra` range (e.g. around an exception
/// marker) and a prime stride elsewhere.
fn split_points(len: usize, head_len: usize, extra: Option<std::ops::Range<usize>>) -> Vec<usize> {
    if len <= 8192 {
        return (0..=len).collect();
    }
    let mut v: Vec<usize> = (0..1024.min(len)).collect();
    v.extend(head_len.saturating_sub(512)..(head_len + 512).min(len));
    v.extend(len.saturating_sub(2048)..=len);
    if let Some(r) = extra {
        v.extend(r.start..r.end.min(len + 1));
    }
    v.extend((0..len).step_by(251));
    v.sort_unstable();
    v.dedup();
    v
}

/// Checks that feeding `input` in pieces gives exactly `whole`.
fn check_splits(
    input: &[u8],
    config: ResponseConfig,
    whole: &Outcome,
    extra: Option<std::ops::Range<usize>>,
) {
    let head_len = find(input, b"\r\n\r\n").map_or(0, |p| p + 4);
    let points = split_points(input.len(), head_len, extra.clone());
    for adopt in [false, true] {
        for &a in &points {
            let got = run_mode(input, &[a], config, adopt);
            assert_eq!(&got, whole, "split at {a} (adopt: {adopt})");
        }
        // Three pieces: a short middle piece sliding over the interesting ranges.
        if let Some(r) = extra.clone() {
            for a in r.step_by(3) {
                for len in [1, 2, 7, 17, 40] {
                    let b = (a + len).min(input.len());
                    if a <= b && b <= input.len() {
                        let got = run_mode(input, &[a, b], config, adopt);
                        assert_eq!(&got, whole, "split at {a},{b} (adopt: {adopt})");
                    }
                }
            }
        }
        // Byte by byte.
        let cuts: Vec<usize> = (1..input.len()).collect();
        let got = run_mode(input, &cuts, config, adopt);
        assert_eq!(&got, whole, "byte by byte (adopt: {adopt})");
        // Whole, in one piece.
        assert_eq!(
            &run_mode(input, &[], config, adopt),
            whole,
            "whole (adopt: {adopt})"
        );
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Independent reference: the body with chunked framing removed, and whether the terminating
/// chunk was present.
fn naive_dechunk(raw: &[u8]) -> (Vec<u8>, bool) {
    let start = find(raw, b"\r\n\r\n").unwrap() + 4;
    let mut i = start;
    let mut out = Vec::new();
    while i < raw.len() {
        let line_end = i + find(&raw[i..], b"\r\n").unwrap();
        let size_text = std::str::from_utf8(&raw[i..line_end]).unwrap();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        i = line_end + 2;
        if size == 0 {
            return (out, true);
        }
        out.extend_from_slice(&raw[i..i + size]);
        i += size + 2;
    }
    (out, false)
}

fn tag_marker(head: &ResponseHead) -> Vec<u8> {
    let tag = head.exception_tag.as_deref().unwrap();
    [b"\r\n__exception__\r\n", tag.as_bytes(), b"\r\n"].concat()
}

fn server_exception(
    result: &Result<(), HttpError>,
) -> (StatusCode, &chwire_proto::server::ServerException) {
    match result {
        Err(HttpError::Server { status, exception }) => (*status, exception),
        other => panic!("expected a server error, got {other:?}"),
    }
}

fn midstream(result: &Result<(), HttpError>) -> &chwire_proto::server::ServerException {
    match result {
        Err(HttpError::MidStream(e)) => e,
        other => panic!("expected a mid-stream exception, got {other:?}"),
    }
}

fn assert_common_head(h: &ResponseHead) {
    assert_eq!(h.server_display_name.as_deref(), Some("vm"));
    assert_eq!(h.timezone.as_deref(), Some("Etc/UTC"));
    let tag = h.exception_tag.as_deref().unwrap();
    assert_eq!(tag.len(), 16);
    assert!(tag.bytes().all(|b| b.is_ascii_lowercase()));
    assert!(h.summary.is_some());
}

#[test]
fn small_ok() {
    let raw = golden("small_ok");
    let config = ResponseConfig::default();
    let whole = run(&raw, &[], config);
    let h = whole.head.as_ref().unwrap();
    assert_eq!(h.status, StatusCode::OK);
    assert_eq!(h.version, Version::HTTP_11);
    assert_eq!(h.framing, BodyFraming::Chunked);
    assert!(!h.keep_alive, "the capture asked for Connection: close");
    assert_common_head(h);
    assert_eq!(h.format.as_deref(), Some("TabSeparated"));
    assert_eq!(h.query_id.as_ref().unwrap().len(), 36);
    assert_eq!(h.exception_code, None);
    let s = h.summary.unwrap();
    assert_eq!((s.read_rows, s.read_bytes, s.total_rows_to_read), (1, 1, 1));
    assert_eq!(s.elapsed_ns, 1364148);
    assert_eq!(whole.data, b"1\n");
    assert_eq!(whole.result, Ok(()));
    check_splits(&raw, config, &whole, None);
}

#[test]
fn http10_until_close() {
    let raw = golden("small_ok_http10");
    let config = ResponseConfig::default();
    let whole = run(&raw, &[], config);
    let h = whole.head.as_ref().unwrap();
    assert_eq!(h.version, Version::HTTP_10);
    assert_eq!(h.framing, BodyFraming::UntilClose);
    assert!(!h.keep_alive);
    assert_eq!(whole.data, b"42\n");
    assert_eq!(whole.result, Ok(()));
    check_splits(&raw, config, &whole, None);
}

#[test]
fn keep_alive() {
    let raw = golden("keep_alive");
    let config = ResponseConfig::default();
    let whole = run(&raw, &[], config);
    let h = whole.head.as_ref().unwrap();
    assert!(h.keep_alive);
    assert_eq!(
        h.keep_alive_params.timeout,
        Some(std::time::Duration::from_secs(30))
    );
    assert_eq!(h.keep_alive_params.max, Some(9999));
    assert_eq!(whole.data, b"x\n");
    assert_eq!(whole.result, Ok(()));
    assert!(whole.reusable);
    check_splits(&raw, config, &whole, None);
}

#[test]
fn chunked_rowbinary() {
    let raw = golden("chunked_ok");
    let config = ResponseConfig::default();
    let whole = run(&raw, &[], config);
    assert_eq!(whole.result, Ok(()));
    assert_eq!(whole.data.len(), 20000 * 8);
    for (i, v) in whole.data.chunks_exact(8).enumerate() {
        assert_eq!(u64::from_le_bytes(v.try_into().unwrap()), i as u64);
    }
    assert_eq!(whole.data, naive_dechunk(&raw).0);
    assert_eq!(
        whole.head.as_ref().unwrap().format.as_deref(),
        Some("RowBinary")
    );
    check_splits(&raw, config, &whole, None);
}

#[test]
fn query_in_body_and_insert_summary() {
    let raw = golden("query_in_body");
    let whole = run(&raw, &[], ResponseConfig::default());
    assert_eq!(whole.data, b"hello\t2\n");
    check_splits(&raw, ResponseConfig::default(), &whole, None);

    let raw = golden("insert_summary");
    let whole = run(&raw, &[], ResponseConfig::default());
    assert_eq!(whole.result, Ok(()));
    assert!(whole.data.is_empty());
    let s = whole.head.as_ref().unwrap().summary.unwrap();
    assert_eq!((s.written_rows, s.written_bytes, s.result_rows), (3, 12, 3));
    assert_eq!(s.memory_usage, 3356426);
    check_splits(&raw, ResponseConfig::default(), &whole, None);
}

#[test]
fn failure_statuses() {
    for (name, status, code, ex_name, msg_start) in [
        (
            "syntax_error",
            400,
            62,
            "SYNTAX_ERROR",
            "Syntax error: failed at position 7 (1): 1",
        ),
        (
            "unknown_table",
            404,
            60,
            "UNKNOWN_TABLE",
            "Unknown table expression identifier 'h_http.no_such_table'",
        ),
        (
            "wrong_password",
            401,
            194,
            "REQUIRED_PASSWORD",
            "default: Authentication failed",
        ),
        (
            "failure_wait_end",
            500,
            395,
            "FUNCTION_THROW_IF_VALUE_IS_NON_ZERO",
            "Value passed to 'throwIf' function is non-zero",
        ),
    ] {
        let raw = golden(name);
        let config = ResponseConfig::default();
        let whole = run(&raw, &[], config);
        let h = whole.head.as_ref().unwrap();
        assert!(h.is_failure());
        assert_eq!(h.exception_code, Some(code), "{name}");
        let (st, e) = server_exception(&whole.result);
        assert_eq!(st.as_u16(), status, "{name}");
        assert_eq!(e.code, code, "{name}");
        assert_eq!(e.name.as_deref(), Some(ex_name), "{name}");
        assert!(e.message.starts_with(msg_start), "{name}: {}", e.message);
        assert!(!e.message.contains("(version"), "{name}");
        assert!(whole.data.is_empty(), "failure bodies are not data");
        check_splits(&raw, config, &whole, None);
    }
}

/// The three uncompressed mid-stream cases: 200 committed, data, then the tagged exception
/// block and the server closing without the chunked terminator.
#[test]
fn midstream_tagged() {
    for (name, check) in [
        ("midstream_rowbinary", check_rowbinary as fn(&[u8])),
        ("midstream_tsv", check_tsv),
        ("midstream_native", check_native),
    ] {
        let raw = golden(name);
        let config = ResponseConfig::default();
        let whole = run(&raw, &[], config);
        let h = whole.head.as_ref().unwrap();
        assert_eq!(h.status, StatusCode::OK);
        assert_eq!(h.exception_code, None);
        assert_common_head(h);
        let e = midstream(&whole.result);
        assert_eq!(e.code, 395, "{name}");
        assert_eq!(
            e.name.as_deref(),
            Some("FUNCTION_THROW_IF_VALUE_IS_NON_ZERO")
        );
        assert_eq!(e.version.as_deref(), Some("26.9.2.1"));
        assert!(
            e.message
                .starts_with("Value passed to 'throwIf' function is non-zero")
        );
        assert!(!whole.reusable);
        // Reference: de-chunk naively (framing is cut: no terminator) and cut at the marker.
        let (body, terminated) = naive_dechunk(&raw);
        assert!(!terminated);
        let marker = tag_marker(h);
        let pos = find(&body, &marker).unwrap();
        assert_eq!(whole.data, &body[..pos], "{name}");
        assert!(find(&whole.data, b"__exception__").is_none());
        // The length the server wrote matches the message (with its line end).
        let after = &body[pos + marker.len()..];
        let msg_end = find(after, b"\n").unwrap();
        let len_field: usize = std::str::from_utf8(&after[msg_end + 1..])
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(len_field, msg_end + 1);
        check(&whole.data);
        let raw_marker = find(&raw, b"__exception__").unwrap();
        check_splits(
            &raw,
            config,
            &whole,
            Some(raw_marker.saturating_sub(600)..raw.len()),
        );
    }
}

fn check_rowbinary(data: &[u8]) {
    assert_eq!(data.len(), 3000 * 9);
    for (i, row) in data.chunks_exact(9).enumerate() {
        assert_eq!(u64::from_le_bytes(row[..8].try_into().unwrap()), i as u64);
        assert_eq!(row[8], 0);
    }
}

fn check_tsv(data: &[u8]) {
    let text = std::str::from_utf8(data).unwrap();
    let expected: String = (0..3000).map(|i| format!("{i}\t0\n")).collect();
    assert_eq!(text, expected);
}

fn check_native(data: &[u8]) {
    // 30 blocks of 100 rows, identical in layout: ncols=2, nrows=100, then per column
    // name, type, values.
    let block_len = data.len() / 30;
    assert_eq!(data.len() % 30, 0);
    for b in 0..30 {
        let blk = &data[b * block_len..(b + 1) * block_len];
        assert_eq!(&blk[..2], &[2, 100]);
        assert_eq!(&blk[2..9], b"\x06number");
        assert_eq!(&blk[9..16], b"\x06UInt64");
        let first = u64::from_le_bytes(blk[16..24].try_into().unwrap());
        assert_eq!(first, b as u64 * 100);
    }
}

#[test]
fn compressed_failure_and_midstream() {
    // 500 whose body is ClickHouse-compressed blocks (data + the exception text).
    let raw = golden("failure_native_compress");
    let whole = run(&raw, &[], ResponseConfig::default());
    let (status, e) = server_exception(&whole.result);
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(e.code, 395, "code from X-ClickHouse-Exception-Code");
    // Told the body is compressed, the parser hands it out for decompression.
    let config = ResponseConfig::default().body_encoded(true);
    let whole = run(&raw, &[], config);
    assert!(whole.head.as_ref().unwrap().is_failure());
    assert_eq!(whole.result, Ok(()));
    let (body, terminated) = naive_dechunk(&raw);
    assert!(terminated);
    assert_eq!(whole.data, body);
    assert_eq!(whole.data[16], 0x90, "ZSTD compressed block");
    check_splits(&raw, config, &whole, None);

    // 200 committed, the tagged exception inside the last compressed block, framing cut: the
    // HTTP layer sees a truncated body; the caller's scanner over the decompressed stream
    // finds the exception before this error arrives.
    let raw = golden("midstream_rowbinary_compress");
    let whole = run(&raw, &[], config);
    assert_eq!(whole.head.as_ref().unwrap().status, StatusCode::OK);
    assert_eq!(whole.result, Err(HttpError::Truncated("chunked body")));
    let (body, terminated) = naive_dechunk(&raw);
    assert!(!terminated);
    assert_eq!(whole.data, body);
    let head_len = find(&raw, b"\r\n\r\n").unwrap() + 4;
    for a in (head_len..raw.len())
        .step_by(4099)
        .chain(raw.len() - 600..raw.len())
    {
        assert_eq!(run(&raw, &[a], config), whole, "split at {a}");
    }
}

#[test]
fn exception_in_output_format_is_data() {
    // http_write_exception_in_output_format=1: the format writes the exception; the body is
    // terminated normally and the HTTP layer sees plain data.
    let raw = golden("midstream_json_format_exc");
    let config = ResponseConfig::default();
    let whole = run(&raw, &[], config);
    assert_eq!(whole.result, Ok(()));
    let text = std::str::from_utf8(&whole.data).unwrap();
    assert!(text.starts_with("{\"number\":0,"));
    assert!(text.ends_with("(FUNCTION_THROW_IF_VALUE_IS_NON_ZERO) (version 26.9.2.1)\"}\n"));
    assert_eq!(whole.data, naive_dechunk(&raw).0);
    let end = raw.len();
    check_splits(&raw, config, &whole, Some(end - 700..end));
}

#[test]
fn five_hundred_progress_headers() {
    let raw = golden("progress_headers");
    let config = ResponseConfig::default();
    let whole = run(&raw, &[], config);
    let h = whole.head.as_ref().unwrap();
    // One header per row read (plus the initial one), all kept, in order.
    let lines = raw
        .split(|&b| b == b'\n')
        .filter(|l| l.starts_with(b"X-ClickHouse-Progress: "))
        .count();
    assert_eq!(lines, 501);
    assert_eq!(
        h.headers.get_all("x-clickhouse-progress").iter().count(),
        lines
    );
    assert_eq!(h.progress.len(), lines);
    for w in h.progress.windows(2) {
        assert!(w[0].read_rows <= w[1].read_rows);
        assert!(w[0].elapsed_ns <= w[1].elapsed_ns);
    }
    assert_eq!(h.progress.last().unwrap().read_rows, 500);
    assert_eq!(h.progress[0].total_rows_to_read, 500);
    assert_eq!(h.summary.unwrap().read_rows, 500);
    assert_eq!(whole.data, "0\n".repeat(500).as_bytes());
    assert_eq!(whole.result, Ok(()));
    check_splits(&raw, config, &whole, None);
    // The head is ~72 KB: a smaller limit rejects it.
    let small = ResponseConfig::default().max_head_size(16 * 1024);
    let r = run(&raw, &[], small);
    assert_eq!(r.result, Err(HttpError::HeadTooLarge { limit: 16 * 1024 }));
}

/// The mid-stream scanner handed over to the caller right after the head
/// (`take_exception_scanner`, as the client does to scan off the event loop): fed the parser's
/// unscanned data events, it yields exactly the clean data and the exception the parser finds
/// when it keeps the scanner, for every split of the captured responses tried.
#[test]
fn midstream_scanner_taken_after_the_head_finds_the_same() {
    for name in ["midstream_rowbinary", "midstream_tsv", "midstream_native"] {
        let raw = golden(name);
        let whole = run(&raw, &[], ResponseConfig::default());
        let expected = midstream(&whole.result).clone();
        let marker = find(&raw, b"__exception__").unwrap();
        let head_len = find(&raw, b"\r\n\r\n").unwrap() + 4;
        let mut cuts: Vec<Vec<usize>> = vec![vec![]];
        for a in (marker.saturating_sub(64)..raw.len()).step_by(7) {
            cuts.push(vec![a]);
        }
        cuts.push(vec![head_len - 1, head_len + 1]);
        cuts.push((1..raw.len()).step_by(997).collect());
        for cut in cuts {
            let mut p = HttpResponseParser::new(ResponseConfig::default());
            let mut scanner = None;
            let mut data = Vec::new();
            let mut found = None;
            let mut last = 0;
            let mut pieces: Vec<&[u8]> = cut
                .iter()
                .map(|&c| {
                    let piece = &raw[last..c];
                    last = c;
                    piece
                })
                .collect();
            pieces.push(&raw[last..]);
            let mut ended = false;
            for (i, piece) in pieces.iter().enumerate() {
                p.feed(piece);
                if i == pieces.len() - 1 {
                    p.feed_eof();
                }
                loop {
                    match p.next_event() {
                        Ok(Some(ResponseEvent::Head(_))) => {
                            scanner = p.take_exception_scanner();
                            assert!(scanner.is_some(), "{name}: a 200 text body has a scanner");
                        }
                        Ok(Some(ResponseEvent::Data(d))) => {
                            let s = scanner.as_mut().unwrap();
                            if let Some(e) = s.push(d) {
                                found.get_or_insert(e);
                            }
                            while let Some(clean) = s.pop() {
                                data.extend_from_slice(&clean);
                            }
                        }
                        Ok(Some(ResponseEvent::End)) => panic!("{name}: the framing is cut"),
                        Ok(None) => break,
                        Err(e) => {
                            assert!(matches!(e, HttpError::Truncated(_)), "{name}: {e:?}");
                            ended = true;
                            break;
                        }
                    }
                }
                if ended {
                    break;
                }
            }
            assert!(
                ended,
                "{name} {cut:?}: the parser must report the cut framing"
            );
            let s = scanner.as_mut().unwrap();
            if let Some(e) = s.finish() {
                found.get_or_insert(e);
            }
            while let Some(clean) = s.pop() {
                data.extend_from_slice(&clean);
            }
            assert_eq!(found.as_ref(), Some(&expected), "{name} {cut:?}");
            assert_eq!(data, whole.data, "{name} {cut:?}");
        }
    }
}
