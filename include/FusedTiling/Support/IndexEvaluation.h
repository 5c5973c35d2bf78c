//===- IndexEvaluation.h - Index computations for given inputs --*- C++ -*-===//
//
// Tile offsets and sizes are index computations (affine and arith ops,
// tile-range tables) of a tile loop's induction variable or a tile block's
// offsets. Evaluating them for each tile gives exact, deterministic bounds
// that MLIR's value-bounds analysis cannot (it bounds no max, nor a min from
// below): the planner's buffer sizes, the tiler's line-buffer rows.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_SUPPORT_INDEXEVALUATION_H
#define FUSEDTILING_SUPPORT_INDEXEVALUATION_H

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Value.h"
#include "mlir/IR/ValueRange.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/DenseMap.h"

namespace ft {

/// Evaluates index and integer values given the values of some of the
/// values they depend on (block arguments, typically). Supports the ops
/// that tile offsets and sizes are made of: constants, affine.apply, min
/// and max, integer arith, select, cmpi, index casts, constant tables, and
/// dims of shaped values (static, or the size operand of an allocation or
/// an expanded shape).
class IndexEvaluator {
public:
  explicit IndexEvaluator(llvm::DenseMap<mlir::Value, int64_t> inputs)
      : known(std::move(inputs)) {}

  /// The value of `value`, or failure when it depends on something
  /// unknown or an unsupported op.
  mlir::FailureOr<int64_t> evaluate(mlir::Value value, int depth = 0);

  /// The size of dimension `dim` of `shaped`, or failure as above.
  mlir::FailureOr<int64_t> evaluateDimSize(mlir::Value shaped, int64_t dim,
                                           int depth = 0);

private:
  mlir::FailureOr<int64_t> evaluateAffine(mlir::AffineMap map,
                                          mlir::ValueRange operands, bool isMin,
                                          bool isMax, int depth);
  mlir::FailureOr<int64_t> evaluateOp(mlir::Operation *op, mlir::Value value,
                                      int depth);
  mlir::FailureOr<int64_t> lookUp(mlir::DenseIntElementsAttr table,
                                  mlir::Value indexValue, int depth);

  llvm::DenseMap<mlir::Value, int64_t> known;
};

} // namespace ft

#endif // FUSEDTILING_SUPPORT_INDEXEVALUATION_H
