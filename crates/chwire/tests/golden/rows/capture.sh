#!/bin/sh
# Regenerates every <case>.bin from <case>.sql against a local server (HTTP port $PORT, 18123
# by default), and <case>.native from the same query in FORMAT Native (seeds for the
# typed_rows fuzz target).
set -e
cd "$(dirname "$0")"
url="http://127.0.0.1:${PORT:-18123}/"
for sql in *.sql; do
    curl -sf "$url" --data-binary @"$sql" > "${sql%.sql}.bin"
    sed 's/^FORMAT RowBinaryWithNamesAndTypes$/FORMAT Native/' "$sql" |
        curl -sf "$url" --data-binary @- > "${sql%.sql}.native"
done
