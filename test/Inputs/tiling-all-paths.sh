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
tiled=0 close=0 refused=0 wrong=0 crashed=0 unstable=0

# Runs the path tiling $1 and compares with the untiled outputs: prints
# "refused", "crashed <exit> <tail of output>", "equal", "close" or "wrong".
try_path() {
  local spec=$1 out rc f g same=1
  rm -rf "$work/tiled"
  out=$(ft-run "$work/m.mlir" --input-random --output-dir "$work/tiled" \
          --tile-path="$spec" 2>&1)
  rc=$?
  if [ "$rc" -eq 1 ] && echo "$out" | grep -q "error:"; then
    echo refused
    return
  fi
  if [ "$rc" -ne 0 ]; then
    echo "crashed exit $rc: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
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
    echo wrong
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
                "fdt first=#$i last=#$j tiles=2"; do
      result=$(try_path "$spec")
      case "$result" in
        refused) refused=$((refused + 1)) ;;
        equal) tiled=$((tiled + 1)) ;;
        close) close=$((close + 1)) ;;
        *)
          # A failure is run again, to tell a wrong tiling from a
          # nondeterministic one; both fail the test.
          again=$(try_path "$spec")
          if [ "$again" != "$result" ]; then
            unstable=$((unstable + 1))
            echo "wrong: [$spec] NONDETERMINISTIC: '$result', then '$again'"
          elif [[ "$result" == crashed* ]]; then
            crashed=$((crashed + 1))
            echo "crashed: [$spec] $result"
          else
            wrong=$((wrong + 1))
            echo "wrong: [$spec]"
          fi
          ;;
      esac
    done
  done
done
echo "$tiled tiled and equal, $close within tolerance, $refused refused, $((wrong + unstable)) wrong, $crashed crashed"
