#!/usr/bin/env bash
# Generates a model, runs it untiled and with a path tiled into each tile
# count, on the same generated input, and compares tiled with untiled:
# byte for byte, except float32 FDT, which adds the bias after the partial
# sums and so rounds differently: ft-compare's tolerance,
# |got - ref| <= 1e-5 * max(1, max|ref|) + 1e-4 * |ref|.
#   tiling-sweep.sh WORK MODEL TYPE "SPEC" N1 [N2 ...]
# SPEC is an ft-run --tile-path value with @N@ standing for the tile count;
# "A|B" passes two (B inside A's tiles: FFMT -> FDT).
set -euo pipefail
work=$1 model=$2 type=$3 spec=$4
shift 4
mkdir -p "$work"
base="$work/$model.$type"
ft-tflite-gen --model="$model" --type="$type" -o "$base.tflite"
ft-translate --import-tflite "$base.tflite" -o "$base.mlir"
ft-run "$base.mlir" --tiling=none --input-random --seed=3 --output "$base.untiled"
for n in "$@"; do
  IFS='|' read -ra specs <<<"${spec//@N@/$n}"
  paths=()
  for s in "${specs[@]}"; do paths+=(--tile-path="$s"); done
  ft-run "$base.mlir" --input-random --seed=3 --output "$base.$n" "${paths[@]}"
  if cmp -s "$base.$n" "$base.untiled"; then
    echo "$model $type tiles $n: identical"
  elif [ "$type" = float32 ] && [ "${spec%% *}" = fdt ] &&
    ft-compare --type=float32 "$base.$n" "$base.untiled"; then
    echo "$model $type tiles $n: within tolerance"
  else
    echo "$model $type tiles $n: DIFFERENT"
    exit 1
  fi
done
