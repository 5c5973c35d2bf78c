#!/usr/bin/env bash
# Compiles a model for riscv32 with ft-compile, links it with the libc-free
# runtime into a static ELF, runs it in qemu-riscv32 and compares with
# expected outputs:
#   riscv32.sh SRC_ROOT WORK MODEL.tflite TYPE IN1 OUT1 [IN2 OUT2 ...]
# TYPE is int8 (exact) or float32 (ft-compare's default tolerance). With
# TILE_PATH set, the model is compiled with --tile-path="$TILE_PATH" ("A|B":
# two paths, B inside A's tiles).
set -euo pipefail
src=$1 work=$2 model=$3 type=$4
shift 4
mkdir -p "$work"
tile=()
if [ -n "${TILE_PATH:-}" ]; then
  IFS='|' read -ra specs <<<"$TILE_PATH"
  for s in "${specs[@]}"; do tile+=(--tile-path="$s"); done
fi
ft-compile "$model" --target=riscv32 -o "$work/model.o" --header="$work/model.h" \
  "${tile[@]}"
# Nothing from a libc but memcpy/memset.
undefined=$(llvm-nm -u "$work/model.o" | awk '{print $2}' | tr '\n' ' ')
echo "undefined: $undefined"
clang --target=riscv32-unknown-elf -march=rv32gc -mabi=ilp32d -O2 \
  -ffreestanding -fno-builtin -nostdlib -static -fuse-ld=lld -Wl,--no-relax \
  -include "$work/model.h" "$src/runtime/riscv32/ft_start.c" "$work/model.o" \
  -o "$work/model.elf"
run=0
while [ $# -ge 2 ]; do
  run=$((run + 1))
  qemu-riscv32 "$work/model.elf" < "$1" > "$work/out.$run.bin"
  ft-compare --type="$type" "$work/out.$run.bin" "$2"
  echo "run $run: output matches"
  shift 2
done
