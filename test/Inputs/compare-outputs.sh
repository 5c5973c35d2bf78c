#!/usr/bin/env bash
# Compares one run's outputs with TFLM's; exits 0 when they match.
#   compare-outputs.sh COMPARISON GOT EXPECTED
# COMPARISON: exact (byte for byte), tolerance (float32 within ft-compare's
# default tolerance), or TYPE:BYTES per output, comma-separated: each
# float32 output within the tolerance, every other one byte for byte.
set -uo pipefail
comparison=$1 got=$2 expected=$3
case $comparison in
exact) exec ft-compare --type=int8 "$got" "$expected" >/dev/null 2>&1 ;;
tolerance) exec ft-compare --type=float32 "$got" "$expected" >/dev/null 2>&1 ;;
esac
[ "$(stat -c %s "$got")" = "$(stat -c %s "$expected")" ] || exit 1
offset=0 j=0 status=0
IFS=, read -ra specs <<<"$comparison"
for spec in "${specs[@]}"; do
  type=${spec%%:*} bytes=${spec##*:}
  tail -c +$((offset + 1)) "$got" | head -c "$bytes" > "$got.part$j"
  tail -c +$((offset + 1)) "$expected" | head -c "$bytes" > "$got.expected$j"
  if [ "$type" = float32 ]; then
    ft-compare --type=float32 "$got.part$j" "$got.expected$j" >/dev/null 2>&1
  else
    cmp -s "$got.part$j" "$got.expected$j"
  fi || status=1
  rm -f "$got.part$j" "$got.expected$j"
  offset=$((offset + bytes)) j=$((j + 1))
done
exit $status
