# What the bare-metal runners (riscv32-virt/run.sh, cortex-m/run.sh) share,
# sourced by both: their arguments, WORK MODEL.o MODEL.h IN1 OUT1 [IN2 OUT2
# ...], the C compiler, each input's size, checked before the guest runs
# (the guest waits for every input byte: a short input would hang it), and
# how the guest's UART output splits into text and output bytes.

# Exits with the usage unless the arguments are WORK MODEL.o MODEL.h and
# input/output pairs.
ft_check_arguments() {
  if [ $# -lt 5 ] || [ $(( ($# - 3) % 2 )) -ne 0 ]; then
    echo "usage: run.sh WORK MODEL.o MODEL.h IN1 OUT1 [IN2 OUT2 ...]" >&2
    exit 2
  fi
}

# The C compiler: CLANG, else clang-22 or clang.
ft_clang() {
  echo "${CLANG:-$(command -v clang-22 || command -v clang)}"
}

# Exits unless the file $1 holds the model's inputs: the header $2's
# <PREFIX>_INPUTS_BYTES bytes.
ft_check_input() {
  local expected
  expected=$(awk '/^#define [A-Z0-9_]*_INPUTS_BYTES / { print $3 }' "$2")
  if [ ! -f "$1" ] || [ "$(wc -c <"$1")" -ne "${expected:-0}" ]; then
    echo "run.sh: input $1 is not ${expected:-?} bytes (the model's inputs, in order)" >&2
    exit 1
  fi
}

# Splits the guest's UART output $2 of run $1: text first (a profile's
# "layer N NAME" lines, then "instructions N"), printed as "run $1: ...",
# then the outputs' bytes, written to $3.
ft_split_uart() {
  local found offset line
  found=$(grep -a -b -m 1 '^instructions [0-9]*$' "$2" || true)
  if [ -z "$found" ]; then
    echo "run.sh: run $1 printed no instruction count" >&2
    grep -a -m 1 'not exact' "$2" >&2 || true
    exit 1
  fi
  offset=${found%%:*} line=${found#*:}
  head -c "$offset" "$2" | sed "s/^/run $1: /"
  tail -c +$((offset + ${#line} + 2)) "$2" >"$3"
  echo "run $1: $line"
}
