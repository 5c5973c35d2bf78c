//===- ElementRanges.h - Integer bounds of values and tensors ---*- C++ -*-===//
//
// What integers a scalar, or any element of a tensor, can hold, found by
// walking its producers on linalg on tensors: constants, the arith ops of
// linalg bodies (through their InferIntRangeInterface), reductions that
// accumulate a bounded term a known number of times, and the tensor ops that
// only move elements. Anything else holds what its type can.
//
// MLIR's IntegerRangeAnalysis does the scalar part as a dataflow analysis,
// but stops at tensors: it cannot see that a block argument of a linalg body
// takes its values from the elements of an operand.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_SUPPORT_ELEMENTRANGES_H
#define FUSEDTILING_SUPPORT_ELEMENTRANGES_H

#include "mlir/IR/Value.h"
#include "mlir/Interfaces/InferIntRangeInterface.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>

namespace ft {

/// The int values of a constant tensor (dense, or a resource blob as the
/// importer writes large weights), row-major.
std::optional<llvm::SmallVector<int64_t>>
getConstantIntValues(mlir::Value tensor);

/// Signed bounds of integer values and of tensors' elements, memoised: build
/// one per analysis, and drop it once the IR it looked at changes.
class ElementRanges {
public:
  /// The signed range of `value` (of integer or index type, or a tensor of
  /// them); nullopt for other types.
  std::optional<mlir::ConstantIntRanges> get(mlir::Value value);

private:
  mlir::ConstantIntRanges compute(mlir::Value value, unsigned width,
                                  unsigned depth);
  mlir::ConstantIntRanges getAtDepth(mlir::Value value, unsigned depth);

  llvm::DenseMap<mlir::Value, mlir::ConstantIntRanges> cache;
};

} // namespace ft

#endif // FUSEDTILING_SUPPORT_ELEMENTRANGES_H
