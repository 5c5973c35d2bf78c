#!/usr/bin/env bash
# Tries FFMT (rows; columns; rows with line buffers, windows=cache) and FDT
# on every path of 2 to 4 consecutive TFLite operators of a model: each
# must either be refused with a diagnostic (exit 1, "error:") or compute
# exactly what the untiled model computes. Float32 partial sums round
# differently, so float32 FDT, and float32 FFMT by columns (which may end in
# a global pooling whose tiles add their columns' sums), may instead be
# within ft-compare's tolerance; they are counted apart. Every run
# bounds-checks its buffer accesses (--runtime-checks): an access outside a
# buffer aborts instead of reading a neighbour. A failure prints what
# failed (spec, exit code, the last lines of the output, the first
# differing tensor and byte), so that it can be reproduced from the log
# alone. Prints a summary.
#   tiling-all-paths.sh WORK MODEL.tflite TYPE
set -uo pipefail
work=$1 model=$2 type=$3
mkdir -p "$work"
ft-translate --import-tflite "$model" -o "$work/m.mlir" ||
  { echo "crashed: importing $model"; exit 1; }
ft-run "$work/m.mlir" --tiling=none --runtime-checks --input-random --output-dir "$work/untiled" >/dev/null ||
  { echo "crashed: running $model untiled"; exit 1; }
# The last TFLite operator index among the layers (ft.layers).
last=$(grep -o ', index = [0-9]*>' "$work/m.mlir" | grep -o '[0-9]*' | sort -n | tail -1)
tiled=0 close=0 refused=0 wrong=0 crashed=0

# Runs the path tiling $1 and compares with the untiled outputs: prints
# "refused", "crashed <exit> <tail of output>", "equal", "close" or "wrong".
try_path() {
  local spec=$1 out rc f g same=1
  rm -rf "$work/tiled"
  out=$(ft-run "$work/m.mlir" --runtime-checks --input-random \
          --output-dir "$work/tiled" --tile-path="$spec" 2>&1)
  rc=$?
  # A refusal: exit 1 and a diagnostic. (Matched in bash, not with
  # `echo | grep -q`: under pipefail, grep exiting at the first match while
  # echo still writes a long output made the pipeline fail with SIGPIPE, so
  # a refusal was reported as a crash now and then.)
  if [ "$rc" -eq 1 ] && [[ "$out" == *"error:"* ]]; then
    echo refused
    return
  fi
  if [ "$rc" -ne 0 ]; then
    echo "crashed exit $rc: $(echo "$out" | grep -v '^ *#[0-9]' | tail -n 4 | tr '\n' ' ')"
    return
  fi
  for f in "$work"/untiled/*.bin; do
    g="$work/tiled/$(basename "$f")"
    cmp -s "$f" "$g" && continue
    if [ "$type" = float32 ] &&
      { [ "${spec%% *}" = fdt ] || [[ "$spec" == *"axes=2 "* ]]; } &&
      ft-compare --type=float32 "$g" "$f" >/dev/null; then
      same=2
      continue
    fi
    echo "wrong $(basename "$f"): $(cmp "$f" "$g" 2>&1 | head -n 1)"
    return
  done
  [ "$same" = 1 ] && echo equal || echo close
}

for i in $(seq 0 "$last"); do
  for d in 1 2 3; do
    j=$((i + d))
    [ "$j" -gt "$last" ] && continue
    for spec in "ffmt first=#$i last=#$j axes=1 tiles=2" \
                "ffmt first=#$i last=#$j axes=2 tiles=3" \
                "ffmt first=#$i last=#$j axes=1 tiles=3 windows=cache" \
                "fdt first=#$i last=#$j tiles=2"; do
      result=$(try_path "$spec")
      case "$result" in
        refused) refused=$((refused + 1)) ;;
        equal) tiled=$((tiled + 1)) ;;
        close) close=$((close + 1)) ;;
        crashed*)
          crashed=$((crashed + 1))
          echo "crashed: [$spec] $result" ;;
        *)
          wrong=$((wrong + 1))
          echo "wrong: [$spec] $result" ;;
      esac
    done
  done
done
echo "$tiled tiled and equal, $close within tolerance, $refused refused, $wrong wrong, $crashed crashed"
