#!/usr/bin/env bash
# Compiles MODEL for the host with ft-compile (extra options after the
# example), builds the embedding example against its header with a C
# compiler (-Wall -Wextra -Werror -pedantic), runs it on IN and compares
# with EXPECTED; also compiles the header as C++.
#   embed.sh WORK MODEL IN EXPECTED EXAMPLE.c [ft-compile options...]
# With --function-name=NAME the example is built through a shim that maps
# the default names onto NAME's.
set -euo pipefail
work=$1 model=$2 input=$3 expected=$4 example=$5
shift 5
mkdir -p "$work"
name=model
options=()
for option in "$@"; do
  case "$option" in
    --function-name=*) name=${option#--function-name=}; options+=("$option") ;;
    *) options+=("$option") ;;
  esac
done
ft-compile "$model" --quiet -o "$work/model.o" --header="$work/model.h" "${options[@]}"
include="$work/model.h"
if [ "$name" != model ]; then
  # The example names model_*/MODEL_*: a shim maps them onto NAME's, which
  # also shows every name the header promises exists.
  upper=$(echo "$name" | tr a-z A-Z)
  {
    echo "#include \"$work/model.h\""
    for m in IO_IN_ARENA ARENA_IN_CALLER ARENA_SIZE ARENA_ALIGNMENT STACK_BYTES \
      FLASH_BYTES NUM_INPUTS NUM_OUTPUTS INPUTS_BYTES OUTPUTS_BYTES \
      OUTPUT_0_NAME OUTPUT_0_BYTES; do
      echo "#define MODEL_$m ${upper}_$m"
    done
    for f in run input_bytes output_bytes; do
      echo "#define model_$f ${name}_$f"
    done
  } >"$work/shim.h"
  include="$work/shim.h"
fi
clang -std=c11 -Wall -Wextra -Werror -pedantic -O1 -include "$include" \
  "$example" "$work/model.o" -o "$work/demo"
"$work/demo" "$input" "$work/out.bin"
cmp "$work/out.bin" "$expected"
clang -x c++ -std=c++17 -Wall -Wextra -Werror -fsyntax-only -include "$work/model.h" - </dev/null
