//===- SizeBounds.h - Constant upper bounds of dynamic sizes ----*- C++ -*-===//
//
// A tile clipped at a border, or a tile with its halo, has a dynamic size
// that depends on the tile loop's induction variable. Its buffer needs a
// constant upper bound. MLIR's value-bounds analysis gives one when the
// size is a sum of bounded terms; it cannot bound a max (nor a min from
// below), which halos at image borders produce. For those, the size is
// evaluated for every iteration of the (few) constant-bound loops it
// depends on, and the largest value is the bound: exact and deterministic.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_PLANNING_SIZEBOUNDS_H
#define FUSEDTILING_PLANNING_SIZEBOUNDS_H

#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"

namespace ft {

/// Most loop iterations the exhaustive evaluation tries.
constexpr int64_t kMaxEvaluatedIterations = 1 << 16;

/// A constant upper bound (closed) of the index value `size`, or failure.
mlir::FailureOr<int64_t> computeSizeUpperBound(mlir::Value size);

} // namespace ft

#endif // FUSEDTILING_PLANNING_SIZEBOUNDS_H
