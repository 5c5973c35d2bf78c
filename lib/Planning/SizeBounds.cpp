//===- SizeBounds.cpp - Constant upper bounds of dynamic sizes ------------===//

#include "FusedTiling/Planning/SizeBounds.h"

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

/// Evaluates index/integer values for given values of loop induction
/// variables. Supports the ops that tile offsets and sizes are made of.
class Evaluator {
public:
  explicit Evaluator(const llvm::DenseMap<Value, int64_t> &inductionValues)
      : known(inductionValues) {}

  FailureOr<int64_t> evaluate(Value value, int depth = 0) {
    if (auto it = known.find(value); it != known.end())
      return it->second;
    Operation *op = value.getDefiningOp();
    if (!op || depth > 256)
      return failure();
    FailureOr<int64_t> result = evaluateOp(op, value, depth);
    if (succeeded(result))
      known[value] = *result;
    return result;
  }

private:
  FailureOr<int64_t> evaluateAffine(AffineMap map, ValueRange operands,
                                    bool isMin, bool isMax, int depth) {
    SmallVector<Attribute> values;
    Builder builder(map.getContext());
    for (Value operand : operands) {
      FailureOr<int64_t> v = evaluate(operand, depth + 1);
      if (failed(v))
        return failure();
      values.push_back(builder.getIndexAttr(*v));
    }
    SmallVector<Attribute> folded;
    if (failed(map.constantFold(values, folded)) || folded.empty())
      return failure();
    SmallVector<int64_t> results;
    for (Attribute attr : folded) {
      auto integer = dyn_cast<IntegerAttr>(attr);
      if (!integer)
        return failure();
      results.push_back(integer.getInt());
    }
    if (isMin)
      return *llvm::min_element(results);
    if (isMax)
      return *llvm::max_element(results);
    return results.front();
  }

  FailureOr<int64_t> evaluateOp(Operation *op, Value value, int depth) {
    auto operand = [&](unsigned i) {
      return evaluate(op->getOperand(i), depth + 1);
    };
    auto binary = [&](auto fn) -> FailureOr<int64_t> {
      FailureOr<int64_t> a = operand(0), b = operand(1);
      if (failed(a) || failed(b))
        return failure();
      return fn(*a, *b);
    };
    return llvm::TypeSwitch<Operation *, FailureOr<int64_t>>(op)
        .Case([&](arith::ConstantOp c) -> FailureOr<int64_t> {
          if (auto attr = dyn_cast<IntegerAttr>(c.getValue()))
            return attr.getValue().getSExtValue();
          return failure();
        })
        .Case([&](affine::AffineApplyOp a) {
          return evaluateAffine(a.getAffineMap(), a.getMapOperands(), false,
                                false, depth);
        })
        .Case([&](affine::AffineMinOp a) {
          return evaluateAffine(a.getAffineMap(), a.getMapOperands(), true,
                                false, depth);
        })
        .Case([&](affine::AffineMaxOp a) {
          return evaluateAffine(a.getAffineMap(), a.getMapOperands(), false,
                                true, depth);
        })
        .Case([&](arith::AddIOp) {
          return binary([](int64_t a, int64_t b) { return a + b; });
        })
        .Case([&](arith::SubIOp) {
          return binary([](int64_t a, int64_t b) { return a - b; });
        })
        .Case([&](arith::MulIOp) {
          return binary([](int64_t a, int64_t b) { return a * b; });
        })
        .Case([&](arith::MinSIOp) {
          return binary([](int64_t a, int64_t b) { return std::min(a, b); });
        })
        .Case([&](arith::MaxSIOp) {
          return binary([](int64_t a, int64_t b) { return std::max(a, b); });
        })
        .Case([&](arith::IndexCastOp) { return operand(0); })
        .Case([&](arith::SelectOp) -> FailureOr<int64_t> {
          FailureOr<int64_t> c = operand(0);
          if (failed(c))
            return failure();
          return *c ? operand(1) : operand(2);
        })
        .Case([&](arith::CmpIOp cmp) -> FailureOr<int64_t> {
          FailureOr<int64_t> a = operand(0), b = operand(1);
          if (failed(a) || failed(b))
            return failure();
          switch (cmp.getPredicate()) {
          case arith::CmpIPredicate::eq:
            return *a == *b;
          case arith::CmpIPredicate::ne:
            return *a != *b;
          case arith::CmpIPredicate::slt:
            return *a < *b;
          case arith::CmpIPredicate::sle:
            return *a <= *b;
          case arith::CmpIPredicate::sgt:
            return *a > *b;
          case arith::CmpIPredicate::sge:
            return *a >= *b;
          default:
            return failure();
          }
        })
        .Case([&](tensor::ExtractOp extract) -> FailureOr<int64_t> {
          // A tile-range table.
          DenseIntElementsAttr table;
          if (!matchPattern(extract.getTensor(), m_Constant(&table)) ||
              extract.getIndices().size() != 1)
            return failure();
          return lookUp(table, extract.getIndices()[0], depth);
        })
        .Case([&](memref::LoadOp load) -> FailureOr<int64_t> {
          // The same table once bufferized: a constant global.
          auto getGlobal =
              load.getMemRef().getDefiningOp<memref::GetGlobalOp>();
          if (!getGlobal || load.getIndices().size() != 1)
            return failure();
          auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
              getGlobal, getGlobal.getNameAttr());
          auto table = global ? dyn_cast_or_null<DenseIntElementsAttr>(
                                    global.getConstantInitValue())
                              : DenseIntElementsAttr();
          if (!global || !global.getConstant() || !table)
            return failure();
          return lookUp(table, load.getIndices()[0], depth);
        })
        .Case([&](memref::DimOp dim) {
          return evaluateDim(dim.getSource(), dim.getIndex(), depth);
        })
        .Case([&](tensor::DimOp dim) {
          return evaluateDim(dim.getSource(), dim.getIndex(), depth);
        })
        .Default([](Operation *) { return failure(); });
  }

  /// Element `indexValue` of a constant table of tile offsets or sizes.
  FailureOr<int64_t> lookUp(DenseIntElementsAttr table, Value indexValue,
                            int depth) {
    FailureOr<int64_t> index = evaluate(indexValue, depth + 1);
    if (failed(index) || *index < 0 || *index >= table.getNumElements())
      return failure();
    return (*(table.value_begin<APInt>() + *index)).getSExtValue();
  }

  FailureOr<int64_t> evaluateDim(Value shaped, Value indexValue, int depth) {
    FailureOr<int64_t> index = evaluate(indexValue, depth + 1);
    auto type = dyn_cast<ShapedType>(shaped.getType());
    if (failed(index) || !type || *index < 0 || *index >= type.getRank())
      return failure();
    if (!type.isDynamicDim(*index))
      return type.getDimSize(*index);
    // A dynamic dimension of an allocation is its size operand.
    if (auto alloc = shaped.getDefiningOp<memref::AllocOp>())
      return evaluate(alloc.getDynamicSizes()[type.getDynamicDimIndex(*index)],
                      depth + 1);
    if (auto alloca = shaped.getDefiningOp<memref::AllocaOp>())
      return evaluate(alloca.getDynamicSizes()[type.getDynamicDimIndex(*index)],
                      depth + 1);
    // An expanded view's output shape names each dimension (an empty tensor
    // of a tile expanded to the layer's rank).
    SmallVector<OpFoldResult> outputShape;
    if (auto expand = shaped.getDefiningOp<memref::ExpandShapeOp>())
      outputShape = expand.getMixedOutputShape();
    else if (auto expand = shaped.getDefiningOp<tensor::ExpandShapeOp>())
      outputShape = expand.getMixedOutputShape();
    if (outputShape.empty())
      return failure();
    if (std::optional<int64_t> constant =
            getConstantIntValue(outputShape[*index]))
      return *constant;
    return evaluate(cast<Value>(outputShape[*index]), depth + 1);
  }

  llvm::DenseMap<Value, int64_t> known;
};

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
    Evaluator evaluator(assignment);
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
  FailureOr<int64_t> bound = ValueBoundsConstraintSet::computeConstantBound(
      presburger::BoundType::UB, size, /*stopCondition=*/nullptr,
      /*closedUB=*/true);
  if (succeeded(bound))
    return bound;
  return exhaustiveUpperBound(size);
}
