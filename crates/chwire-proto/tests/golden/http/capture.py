#!/usr/bin/env python3
"""Captures raw HTTP responses (status line, headers, body exactly as on the socket) from the
ClickHouse HTTP interface at 127.0.0.1:18123. Each case writes <name>.http (raw response bytes)
and <name>.req (the exact request bytes sent). Re-run: python3 capture.py [case...]"""
import socket, sys, urllib.parse

import os
HOST, PORT = "127.0.0.1", int(os.environ.get("CHWIRE_CAPTURE_PORT", "18123"))

def request(query=None, body=b"", params=None, headers=None, http10=False, method="POST"):
    q = dict(params or {})
    if query is not None:
        q = {"query": query, **q}
    path = "/" + ("?" + urllib.parse.urlencode(q) if q else "")
    ver = "HTTP/1.0" if http10 else "HTTP/1.1"
    h = [f"{method} {path} {ver}", f"Host: 127.0.0.1:{PORT}"]
    for k, v in (headers or {}).items():
        h.append(f"{k}: {v}")
    h.append(f"Content-Length: {len(body)}")
    if not any(k.lower() == "connection" for k in (headers or {})):
        h.append("Connection: close")
    return ("\r\n".join(h) + "\r\n\r\n").encode() + body

def capture(req):
    s = socket.create_connection((HOST, PORT))
    s.sendall(req)
    out = bytearray()
    while True:
        b = s.recv(65536)
        if not b:
            break
        out += b
    s.close()
    return bytes(out)

# The brief's query uses throwIf(number = 300000) over numbers(1000000); the responses have exactly
# the same shape but are 2.6 MB each, so the stored cases throw at row 3000 (still well past the
# point where the server commits the 200 status and starts streaming).
THROW = "SELECT number, throwIf(number = 3000) FROM numbers(10000) SETTINGS max_block_size=100"
CASES = {
    "small_ok": request("SELECT 1 FORMAT TabSeparated"),
    "small_ok_http10": request("SELECT 42 FORMAT TabSeparated", http10=True),
    # keep-alive: the capture reads until the server closes the idle connection after its timeout.
    "keep_alive": request("SELECT 'x' FORMAT TabSeparated", headers={"Connection": "keep-alive"}),
    "chunked_ok": request("SELECT number FROM numbers(20000) FORMAT RowBinary"),
    "query_in_body": request(body=b"SELECT 'hello', 2 FORMAT TSV", params={"default_format": "TSV"}),
    "syntax_error": request("SELEC 1"),
    "unknown_table": request("SELECT * FROM h_http.no_such_table"),
    "wrong_password": request("SELECT 1", headers={"X-ClickHouse-User": "default", "X-ClickHouse-Key": "wrong"}),
    "midstream_rowbinary": request(THROW + " FORMAT RowBinary"),
    "midstream_tsv": request(THROW + " FORMAT TabSeparated"),
    "midstream_native": request(THROW + " FORMAT Native"),
    # compress=1: the server buffers ~1 MiB of compressed output before committing the status, so a
    # small failing query gets a 500 whose compressed body holds the data blocks and then the
    # exception text in a final compressed block.
    "failure_native_compress": request(THROW + " FORMAT Native", params={"compress": "1"}),
    # Past that buffer, the 200 is committed; the tagged exception block is written *inside* the
    # compressed stream (last compressed block) and the chunked framing is cut.
    "midstream_rowbinary_compress": request(
        "SELECT rand64(), throwIf(number = 180000) FROM numbers(360000) SETTINGS max_block_size=10000 FORMAT RowBinary",
        params={"compress": "1"}),
    "midstream_json_format_exc": request("SELECT number, throwIf(number = 3000) FROM numbers(10000) SETTINGS max_block_size=100 FORMAT JSONEachRow",
        params={"http_write_exception_in_output_format": "1"}),
    "failure_wait_end": request(THROW + " FORMAT RowBinary", params={"wait_end_of_query": "1"}),
    "progress_headers": request("SELECT sleepEachRow(0.001) FROM numbers(500) SETTINGS max_block_size=1 FORMAT TabSeparated",
        # wait_end_of_query=1 holds the head back until the query ends, so every progress update
        # (one per row, ~500) lands in the head as its own header.
        params={"send_progress_in_http_headers": "1", "http_headers_progress_interval_ms": "1",
                "wait_end_of_query": "1"}),
    "insert_summary": request("INSERT INTO h_http.t FORMAT TabSeparated", body=b"1\n2\n3\n"),
}

if __name__ == "__main__":
    names = sys.argv[1:] or list(CASES)
    for n in names:
        req = CASES[n]
        resp = capture(req)
        open(f"{n}.req", "wb").write(req)
        open(f"{n}.http", "wb").write(resp)
        print(n, len(resp), resp.split(b"\r\n", 1)[0].decode())
