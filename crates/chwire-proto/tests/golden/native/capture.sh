#!/bin/sh
# Re-captures every golden vector: <case>.bin is the server's reply to <case>.sql (ClickHouse 26.9, HTTP).
# dynamic/json/simpleagg read tables created as described in README.md.
cd "$(dirname "$0")"
for f in *.sql; do
  curl -sS 'http://127.0.0.1:18123/' --data-binary "$(cat "$f") FORMAT Native" > "${f%.sql}.bin"
done
