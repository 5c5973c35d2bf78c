#!/usr/bin/env bash
# Compares a model compiled by FusedTiling with TFLM's golden data:
#   golden.sh MODELS_DIR GOLDEN_DIR WORK_DIR MODEL TYPE [ATOL RTOL]
# 1. the model file's sha256 must be the one the golden data was made from;
# 2. the outputs for all 5 seeds must equal out.<seed>.bin (exactly for
#    int8, within ATOL/RTOL for float32);
# 3. every intermediate tensor of seed 1 must equal TFLM's dump.
set -euo pipefail
models=$1 golden=$2 work=$3 model=$4 type=$5
atol=${6:-1e-5} rtol=${7:-1e-4}
mkdir -p "$work"
file="$models/$model.tflite"

want=$(grep -A3 "\"$model\": {" "$golden/golden.json" | sed -n 's/.*"sha256": "\([0-9a-f]*\)".*/\1/p' | head -1)
have=$(sha256sum "$file" | cut -d' ' -f1)
if [ "$want" != "$have" ]; then
  echo "FAIL: $file has sha256 $have, the golden data expects $want"
  exit 1
fi

ft-translate --import-tflite "$file" -o "$work/$model.mlir"
args=()
for seed in 1 2 3 4 5; do
  args+=(--input "$golden/$model/in.$seed.bin" --output "$work/out.$seed.bin")
done
ft-run "$work/$model.mlir" "${args[@]}"
for seed in 1 2 3 4 5; do
  ft-compare --type="$type" --atol="$atol" --rtol="$rtol" \
    "$work/out.$seed.bin" "$golden/$model/out.$seed.bin"
  echo "seed $seed: output matches"
done

ft-translate --import-tflite --tflite-expose-intermediates "$file" \
  -o "$work/${model}_all.mlir"
rm -rf "$work/tensors"
ft-run "$work/${model}_all.mlir" --input "$golden/$model/in.1.bin" \
  --output-dir "$work/tensors"
ft-compare --atol="$atol" --rtol="$rtol" \
  --golden-tensors="$golden/$model/tensors.1/tensors.json" "$work/tensors"
