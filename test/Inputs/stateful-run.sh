#!/usr/bin/env bash
# One stateful model (SVDF, LSTM: variable tensors) of the zoo or of
# ../shared/ops against TFLM, and its stream of invocations on riscv32:
#   stateful-run.sh SRC_ROOT DIR WORK NAME COMPARISON
# 1. in one ft-run, all five golden inputs, each from the reset state (as
#    TFLM's golden outputs were made: a fresh interpreter per input), give
#    TFLM's outputs: the reset between them works;
# 2. the state after the first invocation (every variable) equals the one
#    TFLM dumped, as every intermediate tensor does: the state the second
#    invocation of a stream starts from is TFLM's;
# 3. the five inputs as one stream (ft-run --keep-state) give on the host
#    what the riscv32 object gives in qemu for the same stream (ft_start.c
#    runs every complete input on standard input, state carried).
# COMPARISON as zoo-run.sh's. Prints "NAME: ok" or the first failure.
set -uo pipefail
src=$1 dir=$2 work=$3/$4 name=$4 comparison=$5
mkdir -p "$work"
model="$dir/models/$name.tflite" golden="$dir/golden/$name"
fail() { echo "$name: $*"; exit 0; }
args=() stream=()
for s in 1 2 3 4 5; do
  args+=(--input "$golden/in.$s.bin" --output "$work/out.$s.bin")
  stream+=(--input "$golden/in.$s.bin" --output "$work/stream.$s.bin")
done
ft-run "$model" "${args[@]}" > "$work/run.log" 2>&1 || fail "ft-run failed"
for s in 1 2 3 4 5; do
  "$src/test/Inputs/compare-outputs.sh" "$comparison" "$work/out.$s.bin" \
    "$golden/out.$s.bin" || fail "input $s (from the reset state) differs"
done
ft-translate --import-tflite --tflite-expose-intermediates "$model" \
  -o "$work/all.mlir" || fail "import failed"
rm -rf "$work/tensors"
ft-run "$work/all.mlir" --input "$golden/in.1.bin" --output-dir "$work/tensors" \
  > /dev/null 2>&1 || fail "ft-run of the intermediates failed"
ft-compare --golden-tensors="$golden/tensors.1/tensors.json" "$work/tensors" \
  > "$work/tensors.log" 2>&1 || fail "state or tensors differ: $(tail -1 "$work/tensors.log")"
ft-run "$model" --keep-state "${stream[@]}" > /dev/null 2>&1 ||
  fail "ft-run --keep-state failed"
ft-compile "$model" --target=riscv32 -o "$work/model.o" \
  --header="$work/model.h" > /dev/null 2>&1 || fail "ft-compile failed"
grep -q '_STATE_BYTES ' "$work/model.h" || fail "the header has no state size"
clang --target=riscv32-unknown-elf -march=rv32gc -mabi=ilp32d -O2 \
  -ffreestanding -fno-builtin -nostdlib -static -fuse-ld=lld -Wl,--no-relax \
  -include "$work/model.h" "$src/runtime/riscv32/ft_start.c" "$work/model.o" \
  -o "$work/model.elf" > /dev/null 2>&1 || fail "link failed"
cat "$golden"/in.{1,2,3,4,5}.bin | qemu-riscv32 "$work/model.elf" \
  > "$work/riscv32.bin" || fail "qemu-riscv32 failed"
cat "$work"/stream.{1,2,3,4,5}.bin > "$work/host.bin"
case $comparison in
*float32*|tolerance)
  ft-compare --type=float32 "$work/riscv32.bin" "$work/host.bin" > /dev/null ;;
*) cmp -s "$work/riscv32.bin" "$work/host.bin" ;;
esac || fail "the stream differs between the host and riscv32"
echo "$name: ok"
