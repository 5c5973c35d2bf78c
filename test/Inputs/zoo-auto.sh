#!/usr/bin/env bash
# Automatic tiling on a zoo model: the default build (auto) against the
# untiled one (byte for byte) and against TFLM's golden outputs, on golden
# inputs 1 and 2; prints the arena before and after and the paths applied.
#   zoo-auto.sh ZOO WORK MODEL TYPE      (TYPE: int8 or float32)
set -euo pipefail
zoo=$1 work=$2 model=$3 type=$4
mkdir -p "$work"
for mode in auto none; do
  args=()
  for s in 1 2; do
    args+=(--input "$zoo/golden/$model/in.$s.bin" --output "$work/$model.$mode.$s")
  done
  flag=()
  [ "$mode" = none ] && flag=(--tiling=none)
  ft-run "$zoo/models/$model.tflite" "${flag[@]}" "${args[@]}"
done
for s in 1 2; do
  cmp "$work/$model.auto.$s" "$work/$model.none.$s"
  ft-compare --type="$type" "$work/$model.auto.$s" "$zoo/golden/$model/out.$s.bin" >/dev/null
done
ft-compile "$zoo/models/$model.tflite" -o "$work/$model.o" -q --summary="$work/$model.json"
arena=$(sed -n 's/.*"arena_bytes": \([0-9]*\).*/\1/p' "$work/$model.json")
untiled=$(sed -n 's/.*"untiled_arena_bytes": \([0-9]*\).*/\1/p' "$work/$model.json")
paths=$(grep -c '"[a-z]* first=' "$work/$model.json" || true)
[ "$arena" -le "$untiled" ]
echo "$model: $paths paths, arena $untiled -> $arena, auto == untiled == TFLM"
