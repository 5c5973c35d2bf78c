//===- IndexEvaluation.cpp - Index computations for given inputs ----------===//

#include "FusedTiling/Support/IndexEvaluation.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>

using namespace mlir;

FailureOr<int64_t> ft::IndexEvaluator::evaluate(Value value, int depth) {
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

FailureOr<int64_t> ft::IndexEvaluator::evaluateAffine(AffineMap map,
                                                      ValueRange operands,
                                                      bool isMin, bool isMax,
                                                      int depth) {
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

FailureOr<int64_t> ft::IndexEvaluator::evaluateOp(Operation *op, Value value,
                                                  int depth) {
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
        return evaluateAffine(a.getAffineMap(), a.getMapOperands(), true, false,
                              depth);
      })
      .Case([&](affine::AffineMaxOp a) {
        return evaluateAffine(a.getAffineMap(), a.getMapOperands(), false, true,
                              depth);
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
        auto getGlobal = load.getMemRef().getDefiningOp<memref::GetGlobalOp>();
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
      .Case([&](memref::DimOp dim) -> FailureOr<int64_t> {
        FailureOr<int64_t> index = evaluate(dim.getIndex(), depth + 1);
        if (failed(index))
          return failure();
        return evaluateDimSize(dim.getSource(), *index, depth);
      })
      .Case([&](tensor::DimOp dim) -> FailureOr<int64_t> {
        FailureOr<int64_t> index = evaluate(dim.getIndex(), depth + 1);
        if (failed(index))
          return failure();
        return evaluateDimSize(dim.getSource(), *index, depth);
      })
      .Default([](Operation *) { return failure(); });
}

/// Element `indexValue` of a constant table of tile offsets or sizes.
FailureOr<int64_t> ft::IndexEvaluator::lookUp(DenseIntElementsAttr table,
                                              Value indexValue, int depth) {
  FailureOr<int64_t> index = evaluate(indexValue, depth + 1);
  if (failed(index) || *index < 0 || *index >= table.getNumElements())
    return failure();
  return (*(table.value_begin<APInt>() + *index)).getSExtValue();
}

FailureOr<int64_t> ft::IndexEvaluator::evaluateDimSize(Value shaped,
                                                       int64_t dim, int depth) {
  auto type = dyn_cast<ShapedType>(shaped.getType());
  if (!type || dim < 0 || dim >= type.getRank())
    return failure();
  if (!type.isDynamicDim(dim))
    return type.getDimSize(dim);
  // A dynamic dimension of an allocation is its size operand.
  if (auto empty = shaped.getDefiningOp<tensor::EmptyOp>())
    return evaluate(empty.getDynamicSize(dim), depth + 1);
  if (auto alloc = shaped.getDefiningOp<bufferization::AllocTensorOp>())
    return evaluate(alloc.getDynamicSizes()[type.getDynamicDimIndex(dim)],
                    depth + 1);
  // A destination-style result has its destination's shape (a window
  // assembled by insertions into an empty tensor).
  if (auto result = dyn_cast<OpResult>(shaped))
    if (auto dps = dyn_cast<DestinationStyleOpInterface>(result.getOwner());
        dps && dps.hasPureTensorSemantics())
      return evaluateDimSize(dps.getTiedOpOperand(result)->get(), dim,
                             depth + 1);
  if (auto alloc = shaped.getDefiningOp<memref::AllocOp>())
    return evaluate(alloc.getDynamicSizes()[type.getDynamicDimIndex(dim)],
                    depth + 1);
  if (auto alloca = shaped.getDefiningOp<memref::AllocaOp>())
    return evaluate(alloca.getDynamicSizes()[type.getDynamicDimIndex(dim)],
                    depth + 1);
  // A rank-preserving view's (or slice's) size operand.
  SmallVector<OpFoldResult> viewSizes;
  if (auto subview = shaped.getDefiningOp<memref::SubViewOp>();
      subview && subview.getSourceType().getRank() == type.getRank())
    viewSizes = subview.getMixedSizes();
  else if (auto slice = shaped.getDefiningOp<tensor::ExtractSliceOp>();
           slice && slice.getSourceType().getRank() == type.getRank())
    viewSizes = slice.getMixedSizes();
  if (!viewSizes.empty()) {
    if (std::optional<int64_t> constant = getConstantIntValue(viewSizes[dim]))
      return *constant;
    return evaluate(cast<Value>(viewSizes[dim]), depth + 1);
  }
  // An expanded view's output shape names each dimension (an empty tensor
  // of a tile expanded to the layer's rank).
  SmallVector<OpFoldResult> outputShape;
  if (auto expand = shaped.getDefiningOp<memref::ExpandShapeOp>())
    outputShape = expand.getMixedOutputShape();
  else if (auto expand = shaped.getDefiningOp<tensor::ExpandShapeOp>())
    outputShape = expand.getMixedOutputShape();
  if (outputShape.empty())
    return failure();
  if (std::optional<int64_t> constant = getConstantIntValue(outputShape[dim]))
    return *constant;
  return evaluate(cast<Value>(outputShape[dim]), depth + 1);
}
