#!/bin/sh
# Seeds fuzz/corpus/<target>/ (git-ignored) from the golden vectors captured from a real server,
# with each target's control-byte prefix prepended (see the layout comment of each target).
# Idempotent: existing corpus entries are kept. Usage: fuzz/seed.sh
set -eu
cd "$(dirname "$0")"
G=../crates/chwire-proto/tests/golden
C=corpus
mkdir -p "$C/type_parser" "$C/rowbinary_decoder" "$C/native_decoder" "$C/compressed_block_reader" \
  "$C/http_response" "$C/typed_rows"

# type_parser: the input column of the canonical type table, one type string per file.
i=0
sed -n 's/^    (r#"\(.*\)"#, r#".*$/\1/p' "$G/types/canonical.rs" | while IFS= read -r t; do
  i=$((i + 1))
  printf '%s' "$t" > "$C/type_parser/golden_$i"
done

# rowbinary_decoder: mode 2 (text header) for CASE.bin, mode 3 (binary header) for
# CASE.btypes.bin, each with two chunking seeds; plus a few mode-0 typed inputs.
for f in "$G"/rowbinary/*.bin; do
  b=$(basename "$f" .bin)
  case "$b" in *.btypes) mode='\003' ;; *) mode='\002' ;; esac
  { printf "$mode"'\001'; cat "$f"; } > "$C/rowbinary_decoder/golden_${b}_a"
  { printf "$mode"'\227'; cat "$f"; } > "$C/rowbinary_decoder/golden_${b}_b"
done
printf '\000\005UInt8\nString\nNullable(Int32)\000\007\003abc\000\001\000\000\000' \
  > "$C/rowbinary_decoder/typed_basic"
printf '\000\005Array(Tuple(a UInt8, b LowCardinality(String)))\000\002\001\001x\002\001y' \
  > "$C/rowbinary_decoder/typed_array"
printf '\000\005Dynamic\000\004\001\000\000\000' > "$C/rowbinary_decoder/typed_dynamic"

# native_decoder: HTTP-layout streams (flags 0), split at two positions.
for f in "$G"/native/*.bin "$G"/compression/small.native; do
  b=$(basename "$f")
  { printf '\000\000\000'; cat "$f"; } > "$C/native_decoder/golden_${b}_0"
  { printf '\000\041\000'; cat "$f"; } > "$C/native_decoder/golden_${b}_33"
done

# compressed_block_reader: raw captured streams (checksums valid as captured) with and without
# the checksum fix-up bit, and the small cap.
# (numbers_* are 0.1-0.8 MB: too slow as fuzz inputs.)
for f in "$G"/compression/small_*.bin; do
  b=$(basename "$f" .bin)
  { printf '\000\001'; cat "$f"; } > "$C/compressed_block_reader/golden_${b}_plain"
  { printf '\001\055'; cat "$f"; } > "$C/compressed_block_reader/golden_${b}_fix"
  { printf '\003\200'; cat "$f"; } > "$C/compressed_block_reader/golden_${b}_small"
done
for f in "$G"/compression/small.native; do
  { printf '\014\001'; cat "$f"; } > "$C/compressed_block_reader/roundtrip_lz4"
  { printf '\024\002'; cat "$f"; } > "$C/compressed_block_reader/roundtrip_zstd"
done

# http_response: the captured responses, parsed as such, with the scanner taken over, adopted
# input, and the small limits (those over 100 KB are too slow as fuzz inputs).
for f in "$G"/http/*.http; do
  [ "$(wc -c < "$f")" -le 100000 ] || continue
  b=$(basename "$f" .http)
  { printf '\000\001'; cat "$f"; } > "$C/http_response/golden_${b}"
  { printf '\030\055'; cat "$f"; } > "$C/http_response/golden_${b}_taken"
  { printf '\004\003'; cat "$f"; } > "$C/http_response/golden_${b}_small"
done

# typed_rows: each row type (0-4) over its capture, as RowBinaryWithNamesAndTypes (source 1)
# and as Native (source 2); one source-0 input (type strings, then rows) for the first type.
R=../crates/chwire/tests/golden/rows
i=0
for b in numbers compound nested variant scalars; do
  { printf "\\$(printf %03o $i)"'\001\001'; cat "$R/$b.bin"; } > "$C/typed_rows/golden_${b}_rowbinary"
  { printf "\\$(printf %03o $i)"'\002\047'; cat "$R/$b.native"; } > "$C/typed_rows/golden_${b}_native"
  i=$((i + 1))
done
printf '\000\000\001UInt64\nString\nArray(UInt64)\000\007\000\000\000\000\000\000\000\003abc\001\011\000\000\000\000\000\000\000' \
  > "$C/typed_rows/typed_numbers"

for t in "$C"/*; do echo "$t: $(ls "$t" | wc -l) files"; done

# tcp_receiver: every captured exchange's server bytes (segments joined), with the flags of its
# revision (bit 0: the newer one) and compression (bit 1), split in two places.
mkdir -p "$C/tcp_receiver"
for f in "$G"/tcp/*.tcp; do
  b=$(basename "$f" .tcp)
  flags=0
  case "$b" in *.54492.*) flags=$((flags | 1)) ;; esac
  case "$b" in *.none) ;; *) flags=$((flags | 2)) ;; esac
  body=$(mktemp)
  python3 -c 'import sys,struct
b=open(sys.argv[1],"rb").read();o=bytearray();i=0
while i<len(b):
    n=struct.unpack("<I",b[i:i+4])[0];o+=b[i+4:i+4+n];i+=4+n
sys.stdout.buffer.write(o)' "$f" > "$body"
  { printf "\\$(printf %03o $flags)"'\021\000'; cat "$body"; } > "$C/tcp_receiver/golden_${b}_a"
  { printf "\\$(printf %03o $flags)"'\377\001'; cat "$body"; } > "$C/tcp_receiver/golden_${b}_b"
  rm -f "$body"
done
