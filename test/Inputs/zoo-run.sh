#!/usr/bin/env bash
# One zoo file through ft-run on golden inputs 1 and 2 (all 5 with
# FT_ZOO_ALL_INPUTS=1), compared with TFLM's outputs. Prints one line:
#   NAME: matches
#   NAME: refused: REASON      (exit 1 with exactly one error line)
#   NAME: REFUSED UNCLEANLY    (exit 1 with no or several error lines)
#   NAME: WRONG input K        (runs, but not TFLM's output)
#   NAME: CRASH exit N         (anything else: a signal, a timeout)
# and exits 0: the caller decides what each line means.
#   zoo-run.sh ZOO WORK NAME COMPARISON
# COMPARISON is exact or tolerance (the whole output as int8 or float32), or
# one TYPE:BYTES per output, comma-separated (float32 ones within the
# tolerance, the others byte for byte: ops-compare.sh), for models of
# ../shared/ops, whose layout is the zoo's.
set -uo pipefail
zoo=$1 work=$2 name=$3 comparison=$4
mkdir -p "$work"
inputs=(1 2)
[ "${FT_ZOO_ALL_INPUTS:-0}" = 1 ] && inputs=(1 2 3 4 5)
args=()
for s in "${inputs[@]}"; do
  args+=(--input "$zoo/golden/$name/in.$s.bin" --output "$work/$name.$s.bin")
done
log=$(timeout "${FT_ZOO_TIMEOUT:-300}" ft-run "$zoo/models/$name.tflite" "${args[@]}" 2>&1)
status=$?
if [ $status -eq 1 ]; then
  errors=$(grep -c 'error:' <<<"$log")
  if [ "$errors" -eq 1 ]; then
    echo "$name: refused: $(grep -m 1 'error:' <<<"$log" | sed 's/.*error: //')"
  else
    echo "$name: REFUSED UNCLEANLY ($errors error lines)"
  fi
  exit 0
fi
if [ $status -ne 0 ]; then
  echo "$name: CRASH exit $status"
  exit 0
fi
for s in "${inputs[@]}"; do
  if ! "$(dirname "$0")/compare-outputs.sh" "$comparison" "$work/$name.$s.bin" \
    "$zoo/golden/$name/out.$s.bin"; then
    echo "$name: WRONG input $s"
    exit 0
  fi
done
echo "$name: matches"
