#!/usr/bin/env bash
# Runs a model compiled by ft-compile for riscv32 (any calling convention)
# bare metal in qemu-system-riscv32 -M virt with
# -icount shift=0, and reports the instructions one inference retires,
# counted by the minstret CSR around the model call (exact: the count does
# not depend on the host).
#   run.sh WORK MODEL.o MODEL.h IN1 OUT1 [IN2 OUT2 ...]
# Writes each output to OUTk and prints "run k: instructions N" per input;
# a model compiled with ft-compile --profile-layers also prints one line
# per layer first, "run k: layer N NAME" (N: its instructions).
# Needs clang and ld.lld for riscv32 (CLANG overrides) and
# qemu-system-riscv32 (Debian: qemu-system-misc). FT_RISCV_MARCH and
# FT_RISCV_MABI (default rv32gc, ilp32d) must match the object's, e.g.
# rv32imc and ilp32 for ft-compile --target=rv32imc, rv32gcv for
# --target=riscv32v; then FT_QEMU_CPU gives qemu's core, e.g.
# rv32,v=true,vlen=128,elen=64 (the vector length the count is for).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../run-common.sh"
ft_check_arguments "$@"
work=$1 object=$2 header=$3
shift 3
clang=$(ft_clang)
mkdir -p "$work"
flags=(--target=riscv32-unknown-elf -march="${FT_RISCV_MARCH:-rv32gc}"
  -mabi="${FT_RISCV_MABI:-ilp32d}")
"$clang" "${flags[@]}" -c "$here/start.S" -o "$work/start.o"
"$clang" "${flags[@]}" -O2 -ffreestanding -fno-builtin -nostdlib -static \
  -fuse-ld=lld -Wl,--no-relax -T "$here/link.ld" \
  -include "$header" "$work/start.o" "$here/virt.c" "$object" \
  -o "$work/model.elf"
run=0
while [ $# -ge 2 ]; do
  run=$((run + 1))
  ft_check_input "$1" "$header"
  # The UART is the guest's stdin and stdout: the input's bytes in, one
  # text line with the count and the output's bytes out.
  # (A guest that never exits is stopped: FT_QEMU_TIMEOUT seconds.)
  timeout "${FT_QEMU_TIMEOUT:-1200}" qemu-system-riscv32 -M virt -bios none -display none -monitor none \
    ${FT_QEMU_CPU:+-cpu "$FT_QEMU_CPU"} -icount shift=0 -kernel "$work/model.elf" \
    -chardev stdio,id=uart,signal=off -serial chardev:uart \
    <"$1" >"$work/uart.$run"
  ft_split_uart "$run" "$work/uart.$run" "$2"
  shift 2
done
