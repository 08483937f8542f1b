#!/bin/sh
# Usage: run_one.sh TARGET [SECONDS]  -- one libFuzzer process, logs to /tmp/fuzzrun_TARGET.log
t=$1; s=${2:-600}
cd "$(dirname "$0")"
exec env RUSTC_BOOTSTRAP=1 cargo fuzz run "$t" -- -max_total_time="$s" -timeout=60 \
  -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 > /tmp/fuzzrun_$t.log 2>&1
