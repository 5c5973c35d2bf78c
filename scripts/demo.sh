#!/usr/bin/env bash
# The main job: import a TFLite model, compile it for the host in-process and
# run it, printing what it computed.
#
#   scripts/demo.sh                      kws from ../shared (or a generated
#                                        DS-CNN when ../shared is absent)
#   scripts/demo.sh MODEL.tflite [INPUT.bin]
#
# Installs the dependencies and builds on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh ft-translate ft-opt ft-run ft-compare ft-tflite-gen ft-memory-report >/dev/null
BIN=${FT_BUILD_DIR:-build}/bin
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SHARED=${FT_SHARED_DIR:-../shared}

model=${1:-}
input=${2:-}
golden=""
if [ -z "$model" ]; then
  if [ -f "$SHARED/models/kws.tflite" ]; then
    model="$SHARED/models/kws.tflite"
    input="$SHARED/golden/kws/in.1.bin"
    golden="$SHARED/golden/kws/out.1.bin"
    echo "== Model: $model (keyword spotting, int8), TFLM golden input 1"
  else
    model="$WORK/dscnn.tflite"
    "$BIN/ft-tflite-gen" --model=dscnn -o "$model"
    echo "== Model: generated DS-CNN keyword spotter (int8, generated weights);"
    echo "   ../shared is absent"
  fi
fi

echo "== Import: ft-translate --import-tflite"
# Layers are IR (ft.layers): the memory report and tile paths name them.
"$BIN/ft-translate" --import-tflite "$model" -o "$WORK/model.mlir"
echo "   TOSA ops: $(grep -o '= tosa\.[a-z_0-9]*' "$WORK/model.mlir" | sed 's/= //' | sort | uniq -c | sort -rn | awk '{printf "%s %s, ", $2, $1}' | sed 's/, $//')"

if [ -z "$input" ]; then
  # Input bytes from the golden data's xorshift generator (seed 1).
  bytes=$(sed -n 's/.*func.func @main(\(.*\)) -> .*/\1/p' "$WORK/model.mlir" |
    grep -o 'tensor<[0-9x]*x[if][0-9]*>' | awk -F'[<>x]' '{
      n = 1; for (i = 2; i < NF - 1; i++) n *= $i
      t = $(NF - 1); w = (t == "f32" || t == "i32") ? 4 : 1
      total += n * w } END { print total }')
  input="$WORK/input.bin"
  if grep -q 'func.func @main(%arg0: tensor<[0-9x]*xf32>' "$WORK/model.mlir"; then
    "$BIN/ft-tflite-gen" --input-floats=$((bytes / 4)) -o "$input"
  else
    "$BIN/ft-tflite-gen" --input-bytes="$bytes" -o "$input"
  fi
fi

echo "== Compile (ft-lower-to-llvm + ORC JIT) and run on $(basename "$input"), untiled"
"$BIN/ft-run" "$WORK/model.mlir" --tiling=none --input "$input" --output "$WORK/out.bin" \
  --print --time --memory-report="$WORK/plan.json"
if [ -n "$golden" ]; then
  if "$BIN/ft-compare" --type=int8 "$WORK/out.bin" "$golden" >/dev/null; then
    echo "== Output equals TensorFlow Lite Micro's, byte for byte"
  else
    echo "== Output DIFFERS from TensorFlow Lite Micro's"
    exit 1
  fi
fi

echo "== Memory: one static arena (ft-memory-report)"
"$BIN/ft-memory-report" "$WORK/plan.json" | cut -c1-110 | head -14

# Automatic fused tiling (the default of every driver): paths, methods and
# tile counts chosen by the arena planner within a MAC budget. Line
# buffers save on kws without any extra MAC: the demo shows budget 0 too.
for budget in 5 0; do
  echo "== Automatic fused tiling, --mac-budget=$budget (--remarks: what it did and why)"
  remarks=$("$BIN/ft-run" "$WORK/model.mlir" --mac-budget=$budget --remarks --input "$input" \
    --output "$WORK/tiled.bin" --memory-report="$WORK/tiled.json" 2>&1 |
    sed -n 's/.*remark: ft-auto-tile: /   /p' | cut -c1-200)
  echo "${remarks:-   no path gains within this MAC budget}"
  echo "   untiled: $("$BIN/ft-memory-report" "$WORK/plan.json" | head -1)"
  echo "   tiled:   $("$BIN/ft-memory-report" "$WORK/tiled.json" | head -1)"
  if cmp -s "$WORK/tiled.bin" "$WORK/out.bin"; then
    echo "   tiled output == untiled output, byte for byte"
  else
    echo "   tiled output DIFFERS"
    exit 1
  fi
done
