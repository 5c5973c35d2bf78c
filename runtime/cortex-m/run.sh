#!/usr/bin/env bash
# Runs a model compiled by ft-compile for Arm Cortex-M (--target=cortex-m4
# or cortex-m7: thumbv7em-none-eabihf) bare metal in qemu-system-arm with
# -icount shift=0, writes its outputs, and reports the instructions one
# inference executes (exact: mps2.c pins the board timer's ticks; the count
# does not depend on the host). The board: FT_QEMU_MACHINE, mps2-an386
# (Cortex-M4F) by default, mps2-an500 for Cortex-M7.
#   run.sh WORK MODEL.o MODEL.h IN1 OUT1 [IN2 OUT2 ...]
# Writes each output to OUTk and prints "run k: instructions N" per input;
# a model compiled with ft-compile --profile-layers also prints one line
# per layer first, "run k: layer N NAME". Needs clang and ld.lld for Arm
# (CLANG overrides) and qemu-system-arm (Debian: qemu-system-arm).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../run-common.sh"
ft_check_arguments "$@"
work=$1 object=$2 header=$3
shift 3
clang=$(ft_clang)
mkdir -p "$work"
"$clang" --target=thumbv7em-none-eabihf -mcpu=cortex-m4 -mfloat-abi=hard \
  -O2 -ffreestanding -fno-builtin -nostdlib -static -fuse-ld=lld \
  -Wl,--enable-non-contiguous-regions \
  -T "$here/link.ld" -include "$header" "$here/mps2.c" "$object" \
  -o "$work/model.elf"
run=0
while [ $# -ge 2 ]; do
  run=$((run + 1))
  ft_check_input "$1" "$header"
  timeout "${FT_QEMU_TIMEOUT:-1200}" qemu-system-arm -M "${FT_QEMU_MACHINE:-mps2-an386}" \
    -display none -monitor none -semihosting-config enable=on,target=native \
    -icount shift=0 -kernel "$work/model.elf" \
    -chardev stdio,id=uart,signal=off -serial chardev:uart \
    <"$1" >"$work/uart.$run" || status=$?
  ft_split_uart "$run" "$work/uart.$run" "$2"
  if [ "${status:-0}" -ne 0 ]; then
    echo "run.sh: run $run: qemu exited with status $status" >&2
    exit 1
  fi
  shift 2
done
