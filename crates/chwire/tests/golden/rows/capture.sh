#!/bin/sh
# Regenerates every <case>.bin from <case>.sql against a local server (HTTP port 18123).
set -e
cd "$(dirname "$0")"
for sql in *.sql; do
    curl -sf 'http://127.0.0.1:18123/' --data-binary @"$sql" > "${sql%.sql}.bin"
done
