#!/usr/bin/env bash
# Configures (once) and builds FusedTiling in ./build with two jobs.
# FT_BUILD_DIR picks another directory, FT_CMAKE_ARGS adds configure options
# (e.g. -DFT_ENABLE_SANITIZERS=ON), FT_BUILD_TYPE the build type (Release).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${FT_BUILD_DIR:-build}
LLVM_PREFIX=${FT_LLVM_PREFIX:-/usr/lib/llvm-22}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE="${FT_BUILD_TYPE:-Release}" \
    -DCMAKE_C_COMPILER="$LLVM_PREFIX/bin/clang" \
    -DCMAKE_CXX_COMPILER="$LLVM_PREFIX/bin/clang++" \
    -DMLIR_DIR="$LLVM_PREFIX/lib/cmake/mlir" \
    -DLLVM_DIR="$LLVM_PREFIX/lib/cmake/llvm" \
    -DFT_ENABLE_FUZZER=ON ${FT_CMAKE_ARGS:-}
fi
ninja -C "$BUILD_DIR" -j"${FT_JOBS:-2}" "$@"
