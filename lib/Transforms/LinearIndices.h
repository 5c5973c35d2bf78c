//===- LinearIndices.h - Checks linear in one index variable ----*- C++ -*-===//
//
// Shared by the passes that split index ranges where bounds checks change
// (ft-split-window-checks: a window loop's iterations; ft-peel-window-edges:
// a tile's output positions).
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_LIB_TRANSFORMS_LINEARINDICES_H
#define FUSEDTILING_LIB_TRANSFORMS_LINEARINDICES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>

namespace ft {

/// How `value` depends on `variable`: `coefficient` times it plus something
/// that does not depend on it (values `isIndependent` accepts, and pure ops
/// of only those); nullopt when it is not of that form (through additions,
/// subtractions, products with constants, affine maps without divisions or
/// modulos, index casts).
std::optional<int64_t>
coefficientOf(mlir::Value value, mlir::Value variable,
              llvm::function_ref<bool(mlir::Value)> isIndependent);

/// For a check `lhs predicate rhs` (a signed <, <=, > or >=) with
/// lhs - rhs = a x + e: the first x at which it holds (`isLower` set) or,
/// for a check that holds below some x, the first x at which it no longer
/// does (`isLower` cleared). `a` is not 0; `lhsAtZero` and `rhsAtZero` are
/// the two sides at x = 0 (indices or integers), whose difference is e.
mlir::Value boundOf(mlir::OpBuilder &builder, mlir::Location loc,
                    mlir::arith::CmpIPredicate predicate, int64_t a,
                    mlir::Value lhsAtZero, mlir::Value rhsAtZero,
                    bool &isLower);

/// Whether boundOf takes `predicate`.
bool isSignedOrdering(mlir::arith::CmpIPredicate predicate);

} // namespace ft

#endif // FUSEDTILING_LIB_TRANSFORMS_LINEARINDICES_H
