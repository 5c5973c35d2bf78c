#!/usr/bin/env bash
# One zoo file compiled for riscv32 (ft-compile --target=riscv32: the
# default pipeline, automatic tiling included), linked with the libc-free
# runtime, run in qemu-riscv32 on golden inputs 1 and 2 (all 5 with
# FT_ZOO_ALL_INPUTS=1) and compared with TFLM's outputs. Prints one line:
#   NAME: matches, arena A bytes (TFLM B)   (A: arena plus state, if any;
#                                           B: TFLM's arena_used_bytes)
#   NAME: refused: REASON
#   NAME: WRONG input K | CRASH exit N | LINK FAILED
# and exits 0: the caller decides what each line means.
#   zoo-target.sh SRC_ROOT ZOO WORK NAME COMPARISON TFLM_ARENA
# COMPARISON as zoo-run.sh's (exact, tolerance, or TYPE:BYTES per output).
# With FT_ZOO_TARGET=cortex-m4 the file is compiled for a Cortex-M4F instead
# (ft-compile's kernels for it) and run bare metal in qemu-system-arm by
# runtime/cortex-m/run.sh, which must also report an instruction count.
# With FT_ZOO_TARGET=riscv32v it is compiled for rv32gcv (the vector
# kernels) and run in qemu-riscv32 with the V extension, VLEN
# FT_ZOO_VLEN (128 unless given).
set -uo pipefail
src=$1 zoo=$2 work=$3/$4 name=$4 comparison=$5 tflm=$6
mkdir -p "$work"
inputs=(1 2)
[ "${FT_ZOO_ALL_INPUTS:-0}" = 1 ] && inputs=(1 2 3 4 5)
target=${FT_ZOO_TARGET:-riscv32}
march=rv32gc
qemu=(qemu-riscv32)
if [ "$target" = riscv32v ]; then
  march=rv32gcv
  qemu=(qemu-riscv32 -cpu "rv32,v=true,vlen=${FT_ZOO_VLEN:-128},elen=64,vext_spec=v1.0")
fi
log=$(timeout "${FT_ZOO_TIMEOUT:-300}" ft-compile "$zoo/models/$name.tflite" \
  --target="$target" -o "$work/model.o" --header="$work/model.h" 2>&1)
status=$?
if [ $status -eq 1 ] && [ "$(grep -c 'error:' <<<"$log")" -eq 1 ]; then
  echo "$name: refused: $(grep -m 1 'error:' <<<"$log" | sed 's/.*error: //')"
  exit 0
elif [ $status -ne 0 ]; then
  echo "$name: CRASH exit $status (ft-compile)"
  exit 0
fi
if [ "$target" = cortex-m4 ]; then
  runs=()
  for s in "${inputs[@]}"; do
    runs+=("$zoo/golden/$name/in.$s.bin" "$work/out.$s.bin")
  done
  if ! counts=$(timeout "${FT_ZOO_TIMEOUT:-300}" "$src/runtime/cortex-m/run.sh" \
    "$work/m4" "$work/model.o" "$work/model.h" "${runs[@]}" 2>"$work/run.log"); then
    echo "$name: CRASH (runtime/cortex-m/run.sh: $(tail -1 "$work/run.log"))"
    exit 0
  fi
  if [ "$(grep -c '^run [0-9]*: instructions [1-9][0-9]*$' <<<"$counts")" -ne ${#inputs[@]} ]; then
    echo "$name: CRASH (no instruction count)"
    exit 0
  fi
elif ! clang --target=riscv32-unknown-elf -march="$march" -mabi=ilp32d -O2 \
  -ffreestanding -fno-builtin -nostdlib -static -fuse-ld=lld -Wl,--no-relax \
  -include "$work/model.h" "$src/runtime/riscv32/ft_start.c" "$work/model.o" \
  -o "$work/model.elf" > "$work/link.log" 2>&1; then
  echo "$name: LINK FAILED"
  exit 0
fi
for s in "${inputs[@]}"; do
  if [ "$target" != cortex-m4 ] &&
    ! timeout "${FT_ZOO_TIMEOUT:-300}" "${qemu[@]}" "$work/model.elf" \
      < "$zoo/golden/$name/in.$s.bin" > "$work/out.$s.bin"; then
    echo "$name: CRASH exit $? (qemu-riscv32, input $s)"
    exit 0
  fi
  if ! "$(dirname "$0")/compare-outputs.sh" "$comparison" "$work/out.$s.bin" \
    "$zoo/golden/$name/out.$s.bin"; then
    echo "$name: WRONG input $s"
    exit 0
  fi
done
# TFLM's arena holds the variables too: our state (outside the arena) counts.
arena=$(awk '/_ARENA_SIZE |_STATE_BYTES / { sum += $3 } END { print sum }' \
  "$work/model.h")
echo "$name: matches, arena $arena bytes (TFLM $tflm)"
rm -f "$work/model.o" "$work/model.elf" "$work"/out.*.bin
