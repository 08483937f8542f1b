#!/bin/sh
# Round trip through a live server: rows encoded by our RowBinaryEncoder are INSERTed with
# FORMAT RowBinary into a fresh table per case, selected back with FORMAT RowBinary and
# compared byte for byte with what we sent; then again for the same rows sent as
# RowBinaryWithNamesAndTypes with a binary-types header written by our encoder.
# Usage: ./server_roundtrip.sh [http://127.0.0.1:18123] [database]
set -eu
URL=${1:-http://127.0.0.1:18123}
DB=${2:-h_rowbinary}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(mktemp -d)
( cd "$HERE/../../.." && CHWIRE_ROUNDTRIP_DIR=$OUT cargo test -q --test rowbinary_golden \
    write_server_roundtrip_inputs -- --ignored >/dev/null )
S="session_timezone=UTC&allow_experimental_qbit_type=1&enable_time_time64_type=1&allow_suspicious_variant_types=1&flatten_nested=0&allow_suspicious_fixed_string_types=1&max_threads=1"
q() { curl -sS "$URL/?$S" --data-binary "$1"; }
q "CREATE DATABASE IF NOT EXISTS $DB"
fail=0
for rb in "$OUT"/*.rb; do
  c=$(basename "$rb" .rb)
  t="$DB.rt_$c"
  q "DROP TABLE IF EXISTS $t"
  r=$(q "CREATE TABLE $t ($(cat "$OUT/$c.cols")) ENGINE = Memory")
  if [ -n "$r" ]; then echo "SKIP $c: cannot create table: $(echo "$r" | head -c 200)"; continue; fi
  r=$(curl -sS "$URL/?$S&query=$(printf 'INSERT INTO %s FORMAT RowBinary' "$t" | sed 's/ /+/g')" --data-binary @"$rb")
  if [ -n "$r" ]; then echo "FAIL $c: insert: $(echo "$r" | head -c 300)"; fail=1; continue; fi
  q "SELECT * FROM $t FORMAT RowBinary" > "$OUT/$c.back"
  if cmp -s "$rb" "$OUT/$c.back"; then echo "ok   $c ($(wc -c < "$rb") bytes)"; else echo "DIFF $c"; fail=1; fi
  # The same rows behind a RowBinaryWithNamesAndTypes header with binary-encoded types.
  q "TRUNCATE TABLE $t"
  r=$(curl -sS "$URL/?$S&input_format_binary_decode_types_in_binary_format=1&query=$(printf 'INSERT INTO %s FORMAT RowBinaryWithNamesAndTypes' "$t" | sed 's/ /+/g')" --data-binary @"$OUT/$c.rbwnt")
  if [ -n "$r" ]; then echo "FAIL $c: insert with header: $(echo "$r" | head -c 300)"; fail=1; continue; fi
  q "SELECT * FROM $t FORMAT RowBinary" > "$OUT/$c.back2"
  if cmp -s "$rb" "$OUT/$c.back2"; then echo "ok   $c (WithNamesAndTypes, binary types)"; else echo "DIFF $c (WithNamesAndTypes)"; fail=1; fi
  q "DROP TABLE $t"
done
rm -rf "$OUT"
exit $fail
