//! Every decoder and parser entry point against the input classes that make decoders panic or
//! allocate without bound: huge counts, huge lengths, deep nesting, many small items.
//!
//! One table (`cases`): each row is an input and the entry points that read it. Each must turn
//! it into an error (for the exception scanner: a reported exception), without panicking and
//! without allocating much more than the input (a counting allocator measures the peak). The
//! input is complete: after it the end of input is declared, so "need more" is not an answer.
//!
//! Classes a format cannot express are left out: compressed blocks and HTTP framing do not
//! nest, and compressed blocks carry no counts.
//!
//! This file is its own test binary with a single test, so the allocator sees only its cases.

use std::alloc::{GlobalAlloc, Layout, System};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};

use chwire::RowDecoder;
use chwire_proto::compression::{CompressedBlockReader, block_checksum};
use chwire_proto::http::{ExceptionScanner, HttpResponseParser, ResponseEvent};
use chwire_proto::native::{NativeOptions, read_block};
use chwire_proto::rowbinary::{TypeEncoding, decode_type_binary};
use chwire_proto::wire::put_varuint;
use chwire_proto::{ByteCursor, DataType, DecodeLimits, NativeDecoder, RowBinaryDecoder};
use serde::de::IgnoredAny;

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Class {
    HugeCount,
    HugeLength,
    DeepNesting,
    ManySmallItems,
}

/// The Rust type a typed row reads its one column into.
#[derive(Debug, Clone, Copy)]
enum Target {
    Ignored,
    Bytes,
    Strings,
    /// `Vec<Option<Empty>>`: a byte per zero-width `Tuple()` element.
    OptionalEmpties,
    /// `Option<Dyn>`: a `Dynamic` value as an enum named by its type.
    DynamicEnum,
}

/// A `Dynamic` value's enum: the variants of the hostile inputs' types.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
enum Dyn {
    #[serde(rename = "Array(UInt8)")]
    Bytes(Vec<u8>),
    #[serde(rename = "Array(Array(UInt8))")]
    Nested(Vec<Vec<u8>>),
}

#[derive(serde::Deserialize)]
struct Empty {}

/// An entry point and how it reads a complete input.
#[derive(Debug, Clone, Copy)]
enum Entry {
    /// `DataType::parse` of the input as text.
    TypeParser,
    /// `RowBinaryDecoder` over the columns of these type strings (`\n`-separated).
    RowBinary(&'static str),
    /// `RowBinaryDecoder` reading a `RowBinaryWithNamesAndTypes` header of this encoding.
    RowBinaryHeader(TypeEncoding),
    /// `decode_type_binary`.
    BinaryType,
    /// `native::read_block` over the whole input.
    NativeBlock,
    /// `NativeDecoder`.
    NativeDecoder,
    /// `CompressedBlockReader`.
    CompressedBlocks,
    /// `HttpResponseParser`: the head and the body framing (chunked decoding included).
    HttpResponse,
    /// `ExceptionScanner` over a body, with this exception tag.
    ExceptionScanner(Option<&'static str>),
    /// `RowDecoder` over one column of this type, into a 1-tuple of the target.
    TypedRow(fn() -> DataType, Target),
}

/// `Err` with the error when the entry point refused the input, `Ok` with what it accepted.
fn read(entry: Entry, input: &[u8]) -> Result<String, String> {
    let limits = DecodeLimits::default();
    match entry {
        Entry::TypeParser => {
            let text = std::str::from_utf8(input).map_err(|e| e.to_string())?;
            DataType::parse(text)
                .map(|t| t.to_string())
                .map_err(|e| e.to_string())
        }
        Entry::RowBinary(types) => {
            let types = types
                .split('\n')
                .map(|t| DataType::parse(t).unwrap())
                .collect();
            rowbinary_rows(RowBinaryDecoder::new(types), input)
        }
        Entry::RowBinaryHeader(encoding) => {
            rowbinary_rows(RowBinaryDecoder::with_header(encoding), input)
        }
        Entry::BinaryType => decode_type_binary(&mut ByteCursor::new(input), &limits)
            .map(|t| t.to_string())
            .map_err(|e| format!("{e:?}")),
        Entry::NativeBlock => {
            let mut parse = |t: &str| DataType::parse(t);
            read_block(
                &mut ByteCursor::new(input),
                &limits,
                &NativeOptions::default(),
                &mut parse,
            )
            .map(|b| format!("{} rows", b.rows))
            .map_err(|e| format!("{e:?}"))
        }
        Entry::NativeDecoder => {
            let mut dec = NativeDecoder::new();
            dec.feed(input);
            let mut rows = 0;
            loop {
                match dec.finish() {
                    Ok(Some(b)) => rows += b.rows,
                    Ok(None) => return Ok(format!("{rows} rows")),
                    Err(e) => return Err(e.to_string()),
                }
            }
        }
        Entry::CompressedBlocks => {
            let mut reader = CompressedBlockReader::new();
            reader.feed(input);
            let mut bytes = 0;
            loop {
                match reader.next_block() {
                    Ok(Some(b)) => bytes += b.len(),
                    Ok(None) => break,
                    Err(e) => return Err(e.to_string()),
                }
            }
            reader.finish().map_err(|e| e.to_string())?;
            Ok(format!("{bytes} bytes"))
        }
        Entry::HttpResponse => {
            let mut parser = HttpResponseParser::default();
            parser.feed(input);
            parser.feed_eof();
            let mut body = 0;
            loop {
                match parser.next_event() {
                    Ok(Some(ResponseEvent::Data(d))) => body += d.len(),
                    Ok(Some(ResponseEvent::Head(_))) => {}
                    Ok(Some(ResponseEvent::End)) => return Ok(format!("{body} body bytes")),
                    Ok(None) => return Ok("waiting for more after end of input".into()),
                    Err(e) => return Err(e.to_string()),
                }
            }
        }
        Entry::ExceptionScanner(tag) => {
            let mut scanner = ExceptionScanner::new(tag);
            let found = scanner.push(bytes::Bytes::copy_from_slice(input));
            match found.or_else(|| scanner.finish()) {
                Some(e) => Err(format!("exception, message of {} bytes", e.message.len())),
                None => Ok("no exception".into()),
            }
        }
        Entry::TypedRow(ty, target) => {
            let columns = [("c".to_owned(), ty())];
            let dec = RowDecoder::positional(&columns);
            let mut cur = ByteCursor::new(input);
            let row = match target {
                Target::Ignored => dec.decode::<(IgnoredAny,)>(&mut cur).map(|_| ()),
                Target::Bytes => dec.decode::<(Vec<u8>,)>(&mut cur).map(|_| ()),
                Target::Strings => dec.decode::<(Vec<String>,)>(&mut cur).map(|_| ()),
                Target::OptionalEmpties => {
                    dec.decode::<(Vec<Option<Empty>>,)>(&mut cur).map(|_| ())
                }
                Target::DynamicEnum => dec.decode::<(Option<Dyn>,)>(&mut cur).map(|_| ()),
            };
            row.map(|()| format!("a row of {} bytes", cur.position()))
                .map_err(|e| e.to_string())
        }
    }
}

fn rowbinary_rows(mut dec: RowBinaryDecoder, input: &[u8]) -> Result<String, String> {
    dec.feed(input);
    let mut rows = 0;
    while dec.next_row().map_err(|e| e.to_string())?.is_some() {
        rows += 1;
    }
    dec.finish().map_err(|e| e.to_string())?;
    Ok(format!("{rows} rows"))
}

// Input builders.

fn varint(v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    put_varuint(&mut out, v);
    out
}

/// A length-prefixed string.
fn lp(s: &str) -> Vec<u8> {
    [varint(s.len() as u64), s.as_bytes().to_vec()].concat()
}

fn nest(open: &str, inner: &str, close: &str, depth: usize) -> Vec<u8> {
    [open.repeat(depth), inner.into(), close.repeat(depth)]
        .concat()
        .into_bytes()
}

fn array_of(depth: usize, inner: DataType) -> DataType {
    (0..depth).fold(inner, |t, _| DataType::Array(Box::new(t)))
}

/// A Native block head: column count, row count, then the one column's name and type.
fn native_head(rows: u64, ty: &str) -> Vec<u8> {
    [varint(1), varint(rows), lp("c"), lp(ty)].concat()
}

/// A RowBinaryWithNamesAndTypes header of one column with the type given as bytes.
fn one_column_header(ty: &[u8]) -> Vec<u8> {
    [varint(1), lp("c"), ty.to_vec()].concat()
}

/// A compressed block with a valid checksum over its header and payload.
fn compressed_block(method: u8, compressed: u32, uncompressed: u32, payload: &[u8]) -> Vec<u8> {
    let mut body = vec![method];
    body.extend_from_slice(&compressed.to_le_bytes());
    body.extend_from_slice(&uncompressed.to_le_bytes());
    body.extend_from_slice(payload);
    [block_checksum(&body).to_le_bytes().to_vec(), body].concat()
}

const NONE: u8 = 0x02;
const LZ4: u8 = 0x82;
const TAG: &str = "T0123456789ABCDEF";

fn http(head: &str, body: &[u8]) -> Vec<u8> {
    [
        format!("HTTP/1.1 200 OK\r\n{head}\r\n").into_bytes(),
        body.to_vec(),
    ]
    .concat()
}

struct Case {
    entries: Vec<Entry>,
    class: Class,
    what: &'static str,
    input: Vec<u8>,
}

fn case(entries: &[Entry], class: Class, what: &'static str, input: Vec<u8>) -> Case {
    Case {
        entries: entries.to_vec(),
        class,
        what,
        input,
    }
}

fn cases() -> Vec<Case> {
    use Class::*;
    use Entry::*;
    let text = RowBinaryHeader(TypeEncoding::Text);
    let binary = RowBinaryHeader(TypeEncoding::Binary);
    let native = [NativeBlock, NativeDecoder];
    let array_u8 = || DataType::Array(Box::new(DataType::UInt8));
    let string = || DataType::String;
    // Wire types are capped at 64 levels by the parsers; a caller can build deeper ones.
    let deep = || array_of(100, DataType::UInt8);
    let zero_width = || DataType::Array(Box::new(DataType::Tuple(Vec::new())));
    let strings = || DataType::Array(Box::new(DataType::String));
    let dynamic = || DataType::Dynamic { max_types: None };
    let many_headers = |n: usize, distinct: bool| {
        (0..n)
            .map(|i| match distinct {
                true => format!("x-h{i}: v\r\n"),
                false => "x-same: v\r\n".to_owned(),
            })
            .collect::<String>()
    };
    let tiny_blocks: Vec<u8> = (0..100_000)
        .flat_map(|_| compressed_block(NONE, 10, 1, b"x"))
        .collect();
    vec![
        // Huge counts.
        case(
            &[TypeParser],
            HugeCount,
            "Decimal precision 2^32",
            b"Decimal(4294967296, 2)".to_vec(),
        ),
        case(
            &[TypeParser],
            HugeLength,
            "FixedString(2^64)",
            b"FixedString(18446744073709551616)".to_vec(),
        ),
        case(
            &[RowBinary("Array(UInt8)")],
            HugeCount,
            "array of 2^62",
            varint(1 << 62),
        ),
        case(
            &[RowBinary("Map(String, UInt8)")],
            HugeCount,
            "map of 2^40",
            varint(1 << 40),
        ),
        case(&[text, binary], HugeCount, "2^40 columns", varint(1 << 40)),
        case(
            &[BinaryType],
            HugeCount,
            "tuple of 2^40",
            [vec![0x1F], varint(1 << 40)].concat(),
        ),
        case(
            &[BinaryType],
            HugeCount,
            "enum of 2^40",
            [vec![0x17], varint(1 << 40)].concat(),
        ),
        case(
            &native,
            HugeCount,
            "2^40 rows",
            native_head(1 << 40, "UInt8"),
        ),
        case(
            &native,
            HugeCount,
            "2^40 columns",
            [varint(1 << 40), varint(1)].concat(),
        ),
        case(
            &native,
            HugeCount,
            "2^27 rows of String, 3 bytes",
            [native_head(1 << 27, "String"), vec![1, b'a', 1]].concat(),
        ),
        case(
            &native,
            HugeCount,
            "array offsets to 2^40",
            [
                native_head(1, "Array(UInt8)"),
                (1u64 << 40).to_le_bytes().to_vec(),
            ]
            .concat(),
        ),
        case(
            &[HttpResponse],
            HugeCount,
            "40 000 trailer names",
            http(
                "Transfer-Encoding: chunked\r\n",
                format!("0\r\n{}\r\n", many_headers(40_000, true)).as_bytes(),
            ),
        ),
        case(
            &[
                TypedRow(array_u8, Target::Bytes),
                TypedRow(array_u8, Target::Ignored),
            ],
            HugeCount,
            "array of 2^62",
            varint(1 << 62),
        ),
        case(
            &[
                TypedRow(dynamic, Target::DynamicEnum),
                TypedRow(dynamic, Target::Ignored),
            ],
            HugeCount,
            "Dynamic Array(UInt8) of 2^62",
            [vec![0x1e, 0x01], varint(1 << 62)].concat(),
        ),
        case(
            &[TypedRow(strings, Target::Strings)],
            HugeCount,
            "2^27 strings, 3 given",
            [varint(1 << 27), vec![0, 0, 0]].concat(),
        ),
        // Huge lengths.
        case(
            &[RowBinary("String")],
            HugeLength,
            "string of 2^40",
            varint(1 << 40),
        ),
        case(
            &[RowBinary("String")],
            HugeLength,
            "string of 2^29, 3 bytes given",
            [varint(1 << 29), b"abc".to_vec()].concat(),
        ),
        case(
            &[text],
            HugeLength,
            "name of 2^40",
            [varint(1), varint(1 << 40)].concat(),
        ),
        case(
            &[text],
            HugeLength,
            "type string of 2^29, 3 bytes given",
            [varint(1), lp("c"), varint(1 << 29), b"abc".to_vec()].concat(),
        ),
        case(
            &[BinaryType],
            HugeLength,
            "tuple element name of 2^40",
            [vec![0x20], varint(1), varint(1 << 40)].concat(),
        ),
        case(
            &native,
            HugeLength,
            "column name of 2^40",
            [varint(1), varint(1), varint(1 << 40)].concat(),
        ),
        case(
            &native,
            HugeLength,
            "string value of 2^40",
            [native_head(1, "String"), varint(1 << 40)].concat(),
        ),
        case(
            &native,
            HugeLength,
            "string value of 2^29, 3 bytes given",
            [native_head(1, "String"), varint(1 << 29), b"abc".to_vec()].concat(),
        ),
        case(
            &[CompressedBlocks],
            HugeLength,
            "block declaring 4 GiB",
            compressed_block(LZ4, u32::MAX, u32::MAX, b""),
        ),
        case(
            &[CompressedBlocks],
            HugeLength,
            "block declaring 1 GiB, 3 bytes given",
            compressed_block(LZ4, (1 << 30) - 1, 1 << 30, b"abc"),
        ),
        case(
            &[CompressedBlocks],
            HugeLength,
            "size under the header",
            compressed_block(NONE, 3, 0, b""),
        ),
        case(
            &[HttpResponse],
            HugeLength,
            "a 2 MiB header",
            http(&format!("x-big: {}\r\n", "v".repeat(2 << 20)), b""),
        ),
        case(
            &[HttpResponse],
            HugeLength,
            "Content-Length 2^60, 3 bytes given",
            http("Content-Length: 1152921504606846976\r\n", b"abc"),
        ),
        case(
            &[HttpResponse],
            HugeLength,
            "chunk size over 64 bits",
            http(
                "Transfer-Encoding: chunked\r\n",
                b"10000000000000000\r\nabc",
            ),
        ),
        case(
            &[HttpResponse],
            HugeLength,
            "chunk of 2^60, 3 bytes given",
            http("Transfer-Encoding: chunked\r\n", b"1000000000000000\r\nabc"),
        ),
        case(
            &[HttpResponse],
            HugeLength,
            "a 1 MiB chunk-size line",
            http(
                "Transfer-Encoding: chunked\r\n",
                format!("1;{}\r\na\r\n0\r\n\r\n", "e".repeat(1 << 20)).as_bytes(),
            ),
        ),
        case(
            &[ExceptionScanner(Some(TAG))],
            HugeLength,
            "a 16 MiB exception message",
            format!(
                "1\n2\n\r\n__exception__\r\n{TAG}\r\nCode: 1. DB::Exception: {}",
                "m".repeat(16 << 20)
            )
            .into_bytes(),
        ),
        case(
            &[ExceptionScanner(None)],
            HugeLength,
            "a 16 MiB exception message",
            format!(
                "1\n2\n__exception__\r\nCode: 1. DB::Exception: {}",
                "m".repeat(16 << 20)
            )
            .into_bytes(),
        ),
        case(
            &[
                TypedRow(string, Target::Bytes),
                TypedRow(string, Target::Ignored),
            ],
            HugeLength,
            "string of 2^40",
            varint(1 << 40),
        ),
        case(
            &[
                TypedRow(string, Target::Bytes),
                TypedRow(string, Target::Ignored),
            ],
            HugeLength,
            "string of 2^29, 3 bytes given",
            [varint(1 << 29), b"abc".to_vec()].concat(),
        ),
        // Deep nesting.
        case(
            &[TypeParser],
            DeepNesting,
            "100 000 nested arrays",
            nest("Array(", "UInt8", ")", 100_000),
        ),
        case(
            &[TypeParser],
            DeepNesting,
            "100 000 open tuples",
            nest("Tuple(", "", "", 100_000),
        ),
        case(
            &[text],
            DeepNesting,
            "100 000 nested arrays",
            one_column_header(&lp(&String::from_utf8(nest(
                "Array(", "UInt8", ")", 100_000,
            ))
            .unwrap())),
        ),
        case(
            &[binary],
            DeepNesting,
            "100 000 nested arrays",
            one_column_header(&nest("\x1e", "\x01", "", 100_000)),
        ),
        case(
            &[BinaryType],
            DeepNesting,
            "100 000 nested arrays",
            nest("\x1e", "\x01", "", 100_000),
        ),
        case(
            &[BinaryType],
            DeepNesting,
            "100 000 nested tuples",
            nest("\x1f\x01", "\x01", "", 100_000),
        ),
        case(
            &native,
            DeepNesting,
            "100 000 nested arrays",
            [
                varint(1),
                varint(1),
                lp("c"),
                lp(&String::from_utf8(nest("Array(", "UInt8", ")", 100_000)).unwrap()),
            ]
            .concat(),
        ),
        case(
            &[
                TypedRow(deep, Target::Ignored),
                TypedRow(deep, Target::Bytes),
            ],
            DeepNesting,
            "10 000 nested arrays",
            vec![1; 10_001],
        ),
        case(
            &[
                TypedRow(dynamic, Target::DynamicEnum),
                TypedRow(dynamic, Target::Ignored),
            ],
            DeepNesting,
            "Dynamic of 100 000 nested arrays",
            nest("\x1e", "\x01", "", 100_000),
        ),
        // Many small items.
        case(
            &[TypeParser],
            ManySmallItems,
            "Variant of 300 types",
            format!(
                "Variant({})",
                (1..=300)
                    .map(|n| format!("FixedString({n})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
            .into_bytes(),
        ),
        case(
            &[TypeParser],
            ManySmallItems,
            "an unclosed tuple of 200 000 elements",
            format!("Tuple({}", "UInt8, ".repeat(200_000)).into_bytes(),
        ),
        case(
            &[RowBinary("Array(Tuple())")],
            ManySmallItems,
            "2^27 zero-width elements",
            varint(1 << 27),
        ),
        case(
            &[RowBinary("Array(Array(Tuple()))")],
            ManySmallItems,
            "many rows of 2^20 zero-width elements",
            [varint(1), varint(1 << 20)].concat().repeat(10_000),
        ),
        case(
            &[RowBinary("Nothing")],
            ManySmallItems,
            "zero-width rows with input left",
            vec![0; 100],
        ),
        case(
            &[RowBinary("UInt64")],
            ManySmallItems,
            "a million rows, the last cut",
            vec![7; 8_000_003],
        ),
        case(
            &[text],
            ManySmallItems,
            "60 000 columns, types cut",
            [
                varint(60_000),
                lp("a").repeat(60_000),
                lp("UInt8").repeat(30_000),
            ]
            .concat(),
        ),
        case(
            &[BinaryType],
            ManySmallItems,
            "tuple of 60 000, one missing",
            [vec![0x1F], varint(60_000), vec![0x01; 59_999]].concat(),
        ),
        case(
            &native,
            ManySmallItems,
            "2^27 zero-width tuples",
            [native_head(1 << 27, "Tuple()"), vec![0; 3]].concat(),
        ),
        case(
            &native,
            ManySmallItems,
            "2^27 zero-width array elements",
            [
                native_head(1, "Array(Tuple())"),
                (1u64 << 27).to_le_bytes().to_vec(),
            ]
            .concat(),
        ),
        case(
            &[CompressedBlocks],
            ManySmallItems,
            "100 000 one-byte blocks, the last cut",
            [tiny_blocks.clone(), tiny_blocks[..20].to_vec()].concat(),
        ),
        case(
            &[HttpResponse],
            ManySmallItems,
            "32 000 header lines",
            http(&many_headers(32_000, false), b""),
        ),
        case(
            &[HttpResponse],
            ManySmallItems,
            "32 000 header names",
            http(&many_headers(32_000, true), b""),
        ),
        case(
            &[HttpResponse],
            ManySmallItems,
            "100 000 one-byte chunks, no end",
            http(
                "Transfer-Encoding: chunked\r\n",
                "1\r\na\r\n".repeat(100_000).as_bytes(),
            ),
        ),
        case(
            &[ExceptionScanner(Some(TAG)), ExceptionScanner(None)],
            ManySmallItems,
            "100 000 marker prefixes, then an exception",
            format!(
                "{}\r\n__exception__\r\n{TAG}\r\nCode: 1. DB::Exception: boom\n",
                "\r\n__exception__\r\nT012\r\n".repeat(100_000)
            )
            .into_bytes(),
        ),
        case(
            &[TypedRow(zero_width, Target::OptionalEmpties)],
            ManySmallItems,
            "2^27 zero-width elements",
            varint(1 << 27),
        ),
    ]
}

#[test]
fn every_entry_point_turns_hostile_input_into_an_error() {
    // Panics are expected to be caught and reported, not printed as they happen.
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    for c in cases() {
        for &entry in &c.entries {
            let label = format!("{entry:?} / {:?} / {}", c.class, c.what);
            let base = LIVE.load(Ordering::Relaxed);
            PEAK.store(base, Ordering::Relaxed);
            let outcome = catch_unwind(AssertUnwindSafe(|| read(entry, &c.input)));
            let used = PEAK.load(Ordering::Relaxed) - base;
            let budget = (64 << 20) + 4 * c.input.len();
            match outcome {
                Err(_) => failures.push(format!("{label}: panicked")),
                Ok(Ok(accepted)) => failures.push(format!("{label}: accepted ({accepted})")),
                Ok(Err(_)) if used > budget => {
                    failures.push(format!("{label}: error, but {used} bytes allocated"))
                }
                Ok(Err(_)) => {}
            }
        }
    }
    let _ = std::panic::take_hook();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
