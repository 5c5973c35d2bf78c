#!/usr/bin/env bash
# Tries FFMT (rows, and columns) and FDT on every path of 2 to 4 consecutive
# TFLite operators of a model: each must either be refused with a
# diagnostic (exit 1, "error:") or compute exactly what the untiled model
# computes. Float32 partial sums round differently, so float32 FDT, and
# float32 FFMT by columns (which may end in a global pooling whose tiles add
# their columns' sums), may instead be within ft-compare's tolerance; they
# are counted apart. Prints a summary.
#   tiling-all-paths.sh WORK MODEL.tflite TYPE
set -uo pipefail
work=$1 model=$2 type=$3
mkdir -p "$work"
ft-translate --import-tflite "$model" --mlir-print-debuginfo -o "$work/m.mlir" ||
  { echo "crashed: importing $model"; exit 1; }
ft-run "$work/m.mlir" --input-random --output-dir "$work/untiled" >/dev/null ||
  { echo "crashed: running $model untiled"; exit 1; }
last=$(grep -o 'fused<[0-9]* : i32>' "$work/m.mlir" | sed 's/fused<\([0-9]*\).*/\1/' | sort -n | tail -1)
tiled=0 close=0 refused=0 wrong=0 crashed=0
for i in $(seq 0 "$last"); do
  for d in 1 2 3; do
    j=$((i + d))
    [ "$j" -gt "$last" ] && continue
    for spec in "ffmt first=#$i last=#$j axes=1 tiles=2" \
                "ffmt first=#$i last=#$j axes=2 tiles=3" \
                "fdt first=#$i last=#$j tiles=2"; do
      rm -rf "$work/tiled"
      out=$(ft-run "$work/m.mlir" --input-random --output-dir "$work/tiled" \
              --tile-path="$spec" 2>&1)
      rc=$?
      if [ "$rc" -eq 1 ] && echo "$out" | grep -q "error:"; then
        refused=$((refused + 1))
        continue
      fi
      if [ "$rc" -ne 0 ]; then
        crashed=$((crashed + 1))
        echo "crashed: [$spec] exit $rc: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
        continue
      fi
      same=1
      for f in "$work"/untiled/*.bin; do
        g="$work/tiled/$(basename "$f")"
        cmp -s "$f" "$g" && continue
        if [ "$type" = float32 ] &&
          { [ "${spec%% *}" = fdt ] || [[ "$spec" == *"axes=2 "* ]]; } &&
          ft-compare --type=float32 "$g" "$f" >/dev/null; then
          same=2
          continue
        fi
        same=0
        break
      done
      if [ "$same" = 1 ]; then
        tiled=$((tiled + 1))
      elif [ "$same" = 2 ]; then
        close=$((close + 1))
      else
        wrong=$((wrong + 1))
        echo "wrong: [$spec]"
      fi
    done
  done
done
echo "$tiled tiled and equal, $close within tolerance, $refused refused, $wrong wrong, $crashed crashed"
