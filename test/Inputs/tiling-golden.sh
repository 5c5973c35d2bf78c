#!/usr/bin/env bash
# Tiles a path of a model for several tile counts and compares each tiled
# build's outputs for the 5 golden inputs with TFLM's golden outputs
# (exactly for int8; float32 within ft-compare's tolerance). Untiled ==
# golden is checked by the model's own test, so tiled == golden means
# tiled == untiled == golden.
#   tiling-golden.sh MODELS GOLDEN WORK MODEL TYPE "SPEC" N1 [N2 ...]
# SPEC is an ft-run --tile-path value with @N@ standing for the tile count;
# "A|B" passes two (B inside A's tiles: FFMT -> FDT).
set -euo pipefail
models=$1 golden=$2 work=$3 model=$4 type=$5 spec=$6
shift 6
mkdir -p "$work"
ft-translate --import-tflite "$models/$model.tflite" \
  -o "$work/$model.mlir"
for n in "$@"; do
  args=()
  for seed in 1 2 3 4 5; do
    args+=(--input "$golden/$model/in.$seed.bin" --output "$work/out.$n.$seed.bin")
  done
  IFS='|' read -ra specs <<<"${spec//@N@/$n}"
  for s in "${specs[@]}"; do args+=(--tile-path="$s"); done
  ft-run "$work/$model.mlir" "${args[@]}"
  for seed in 1 2 3 4 5; do
    ft-compare --type="$type" "$work/out.$n.$seed.bin" "$golden/$model/out.$seed.bin"
  done
  echo "tiles $n: 5 outputs match"
done
