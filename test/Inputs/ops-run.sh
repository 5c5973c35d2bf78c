#!/usr/bin/env bash
# One model of ../shared/ops through ft-run on golden inputs 1 and 2 (all 5
# with FT_OPS_ALL_INPUTS=1), each output compared with TFLM's on its own:
# float32 outputs within ft-compare's tolerance, every other type byte for
# byte. Prints one line, as zoo-run.sh does:
#   NAME: matches | refused: REASON | REFUSED UNCLEANLY | WRONG input K output J
#   | CRASH exit N
# and exits 0.
#   ops-run.sh OPS WORK NAME TYPE:BYTES...    (one TYPE:BYTES per output)
set -uo pipefail
ops=$1 work=$2 name=$3
shift 3
outputs=("$@")
mkdir -p "$work"
inputs=(1 2)
[ "${FT_OPS_ALL_INPUTS:-0}" = 1 ] && inputs=(1 2 3 4 5)
args=()
for s in "${inputs[@]}"; do
  args+=(--input "$ops/golden/$name/in.$s.bin" --output "$work/$name.$s.bin")
done
log=$(timeout "${FT_OPS_TIMEOUT:-120}" ft-run "$ops/models/$name.tflite" "${args[@]}" 2>&1)
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
  got=$work/$name.$s.bin expected=$ops/golden/$name/out.$s.bin
  if [ "$(stat -c %s "$got")" != "$(stat -c %s "$expected")" ]; then
    echo "$name: WRONG input $s (output size)"
    exit 0
  fi
  offset=0 j=0
  for spec in "${outputs[@]}"; do
    type=${spec%%:*} bytes=${spec##*:}
    tail -c +$((offset + 1)) "$got" | head -c "$bytes" > "$work/$name.$s.got.$j"
    tail -c +$((offset + 1)) "$expected" | head -c "$bytes" > "$work/$name.$s.expected.$j"
    if [ "$type" = float32 ]; then
      ft-compare --type=float32 "$work/$name.$s.got.$j" "$work/$name.$s.expected.$j" >/dev/null 2>&1
    else
      cmp -s "$work/$name.$s.got.$j" "$work/$name.$s.expected.$j"
    fi || { echo "$name: WRONG input $s output $j"; exit 0; }
    offset=$((offset + bytes)) j=$((j + 1))
  done
done
echo "$name: matches"
