#!/usr/bin/env bash
# The importer's tests (test/Import) and the import of the whole zoo and of
# ../shared/ops (test/Models/zoo-import.test, tflm-ops-import.test, when
# ../shared is present) under
# AddressSanitizer and UndefinedBehaviorSanitizer: the project's code built
# with -DFT_ENABLE_SANITIZERS=ON in ./build-asan (FT_ASAN_BUILD_DIR), MLIR
# and LLVM as installed. Any report fails the test it occurs in (lit sets
# ASAN_OPTIONS/UBSAN_OPTIONS: exit code 99). It builds every tool the tests
# call (a missing one would be looked up among LLVM's). Extra arguments go
# to lit.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${FT_ASAN_BUILD_DIR:-build-asan}
FT_BUILD_DIR=$BUILD_DIR FT_BUILD_TYPE=RelWithDebInfo \
  FT_CMAKE_ARGS="-DFT_ENABLE_SANITIZERS=ON -DFT_ENABLE_FUZZER=OFF" \
  bash scripts/build.sh ft-translate ft-tflite-gen ft-run ft-compare ft-opt || exit 1
exec /usr/lib/llvm-22/bin/lit -sv "$BUILD_DIR/test/Import" \
  "$BUILD_DIR/test/Models/zoo-import.test" \
  "$BUILD_DIR/test/Models/tflm-ops-import.test" "$@"
