#!/bin/sh
# Captures the golden vectors from a live server. For every CASE.sql (a query without FORMAT):
#   CASE.bin         RowBinaryWithNamesAndTypes (type strings in the header)
#   CASE.btypes.bin  the same with output_format_binary_encode_types_in_binary_format=1
# Usage: ./capture.sh [http://127.0.0.1:18123]
set -eu
URL=${1:-http://127.0.0.1:18123}
cd "$(dirname "$0")"
for f in *.sql; do
  c=${f%.sql}
  q="$(cat "$f") FORMAT RowBinaryWithNamesAndTypes"
  curl -sSf "$URL/?session_timezone=UTC" --data-binary "$q" > "$c.bin"
  curl -sSf "$URL/?session_timezone=UTC&output_format_binary_encode_types_in_binary_format=1" --data-binary "$q" > "$c.btypes.bin"
done
