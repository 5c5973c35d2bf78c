//===- SizeBounds.cpp - Constant upper bounds of dynamic sizes ------------===//

#include "FusedTiling/Planning/SizeBounds.h"
#include "FusedTiling/Support/IndexEvaluation.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>

using namespace mlir;

namespace {

/// The scf.for induction variables `value` depends on, or failure when it
/// depends on another block argument.
LogicalResult collectInductionVariables(Value value,
                                        llvm::SetVector<Value> &ivs) {
  SmallVector<Value> worklist{value};
  llvm::DenseSet<Value> seen;
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    if (!seen.insert(v).second)
      continue;
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      auto loop = dyn_cast<scf::ForOp>(arg.getOwner()->getParentOp());
      if (!loop || arg != loop.getInductionVar())
        return failure();
      ivs.insert(arg);
      continue;
    }
    Operation *op = v.getDefiningOp();
    if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      llvm::append_range(worklist, alloc.getDynamicSizes());
      continue;
    }
    // A dimension depends on the sizes of what defines the shaped value,
    // not on the value (a view of a function argument).
    if (isa<memref::DimOp, tensor::DimOp>(op)) {
      worklist.push_back(op->getOperand(1));
      Operation *def = op->getOperand(0).getDefiningOp();
      if (auto subview = dyn_cast_or_null<memref::SubViewOp>(def))
        llvm::append_range(worklist, subview.getSizes());
      else if (auto slice = dyn_cast_or_null<tensor::ExtractSliceOp>(def))
        llvm::append_range(worklist, slice.getSizes());
      else if (def)
        llvm::append_range(worklist, def->getOperands());
      continue;
    }
    llvm::append_range(worklist, op->getOperands());
  }
  return success();
}

FailureOr<int64_t> exhaustiveUpperBound(Value size) {
  llvm::SetVector<Value> ivs;
  if (failed(collectInductionVariables(size, ivs)))
    return failure();
  // Each loop's constant range.
  SmallVector<SmallVector<int64_t>> ranges;
  int64_t combinations = 1;
  for (Value iv : ivs) {
    auto loop =
        cast<scf::ForOp>(cast<BlockArgument>(iv).getOwner()->getParentOp());
    std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
    std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
    std::optional<int64_t> step = getConstantIntValue(loop.getStep());
    if (!lb || !ub || !step || *step <= 0)
      return failure();
    SmallVector<int64_t> values;
    for (int64_t i = *lb; i < *ub; i += *step)
      values.push_back(i);
    if (values.empty())
      return 0;
    combinations *= values.size();
    if (combinations > ft::kMaxEvaluatedIterations)
      return failure();
    ranges.push_back(std::move(values));
  }
  int64_t best = INT64_MIN;
  SmallVector<size_t> position(ivs.size(), 0);
  for (int64_t c = 0; c < combinations; ++c) {
    llvm::DenseMap<Value, int64_t> assignment;
    for (auto [i, iv] : llvm::enumerate(ivs))
      assignment[iv] = ranges[i][position[i]];
    ft::IndexEvaluator evaluator(std::move(assignment));
    FailureOr<int64_t> v = evaluator.evaluate(size);
    if (failed(v))
      return failure();
    best = std::max(best, *v);
    // Next combination (odometer).
    for (size_t i = 0; i < position.size(); ++i) {
      if (++position[i] < ranges[i].size())
        break;
      position[i] = 0;
    }
  }
  return best;
}

} // namespace

FailureOr<int64_t> ft::computeSizeUpperBound(Value size) {
  // Evaluating every iteration first: exact, and cheap for tile loops,
  // where the constraint set's Fourier-Motzkin elimination over line
  // buffers' selects and maxes takes seconds.
  FailureOr<int64_t> bound = exhaustiveUpperBound(size);
  if (succeeded(bound))
    return bound;
  return ValueBoundsConstraintSet::computeConstantBound(
      presburger::BoundType::UB, size, /*stopCondition=*/nullptr,
      /*closedUB=*/true);
}
