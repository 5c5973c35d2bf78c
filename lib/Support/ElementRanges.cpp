//===- ElementRanges.cpp - Integer bounds of values and tensors -----------===//

#include "FusedTiling/Support/ElementRanges.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

#include <algorithm>

using namespace mlir;

namespace {
/// Producer chains longer than this (a deep network of ops whose bounds
/// nothing narrows) are cut off: their values may hold anything.
constexpr unsigned kMaxDepth = 256;

unsigned integerWidth(Type type) {
  type = getElementTypeOrSelf(type);
  if (type.isIndex())
    return IndexType::kInternalStorageBitWidth;
  if (auto integer = dyn_cast<IntegerType>(type))
    return integer.getWidth();
  return 0;
}

ConstantIntRanges signedRange(int64_t min, int64_t max, unsigned width) {
  return ConstantIntRanges::fromSigned(APInt(width, min, /*isSigned=*/true),
                                       APInt(width, max, /*isSigned=*/true));
}
} // namespace

std::optional<SmallVector<int64_t>> ft::getConstantIntValues(Value tensor) {
  Attribute attr;
  if (!matchPattern(tensor, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<int64_t> result;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    for (const APInt &value : dense.getValues<APInt>())
      result.push_back(value.getSExtValue());
    return result;
  }
  auto appendAll = [&](auto values) -> std::optional<SmallVector<int64_t>> {
    if (!values)
      return std::nullopt;
    result.append(values->begin(), values->end());
    return result;
  };
  if (auto blob = dyn_cast<DenseI8ResourceElementsAttr>(attr))
    return appendAll(blob.tryGetAsArrayRef());
  if (auto blob = dyn_cast<DenseI16ResourceElementsAttr>(attr))
    return appendAll(blob.tryGetAsArrayRef());
  if (auto blob = dyn_cast<DenseI32ResourceElementsAttr>(attr))
    return appendAll(blob.tryGetAsArrayRef());
  if (auto blob = dyn_cast<DenseI64ResourceElementsAttr>(attr))
    return appendAll(blob.tryGetAsArrayRef());
  return std::nullopt;
}

std::optional<ConstantIntRanges> ft::ElementRanges::get(Value value) {
  if (!integerWidth(value.getType()))
    return std::nullopt;
  return getAtDepth(value, 0);
}

ConstantIntRanges ft::ElementRanges::getAtDepth(Value value, unsigned depth) {
  if (auto it = cache.find(value); it != cache.end())
    return it->second;
  const unsigned width = integerWidth(value.getType());
  // What the type can hold, also while the value is being computed (a
  // cycle through a region's arguments).
  cache.try_emplace(value, ConstantIntRanges::maxRange(width));
  ConstantIntRanges result = depth > kMaxDepth
                                 ? ConstantIntRanges::maxRange(width)
                                 : compute(value, width, depth + 1);
  cache.insert_or_assign(value, result);
  return result;
}

ConstantIntRanges ft::ElementRanges::compute(Value value, unsigned width,
                                             unsigned depth) {
  const ConstantIntRanges unknown = ConstantIntRanges::maxRange(width);
  auto rangeOf = [&](Value other) -> std::optional<ConstantIntRanges> {
    if (integerWidth(other.getType()) != width)
      return std::nullopt;
    return getAtDepth(other, depth);
  };
  auto unionOf = [&](ValueRange values) {
    std::optional<ConstantIntRanges> result;
    for (Value other : values) {
      std::optional<ConstantIntRanges> range = rangeOf(other);
      if (!range)
        return unknown;
      result = result ? result->rangeUnion(*range) : *range;
    }
    return result.value_or(unknown);
  };

  if (isa<ShapedType>(value.getType())) {
    if (std::optional<SmallVector<int64_t>> values =
            getConstantIntValues(value)) {
      if (values->empty())
        return unknown;
      auto [min, max] = std::minmax_element(values->begin(), values->end());
      return signedRange(*min, *max, width);
    }
  } else if (APInt constant; matchPattern(value, m_ConstantInt(&constant))) {
    return ConstantIntRanges::constant(constant.sextOrTrunc(width));
  }

  // A linalg body's argument holds the elements of its operand; an output's
  // only while no reduction has accumulated into it.
  if (auto argument = dyn_cast<BlockArgument>(value)) {
    auto linalgOp =
        dyn_cast<linalg::LinalgOp>(argument.getOwner()->getParentOp());
    if (!linalgOp || argument.getOwner() != linalgOp.getBlock())
      return unknown;
    OpOperand *operand = linalgOp.getMatchingOpOperand(argument);
    if (!operand ||
        (!linalgOp.isDpsInput(operand) && linalgOp.getNumReductionLoops() != 0))
      return unknown;
    return rangeOf(operand->get()).value_or(unknown);
  }

  Operation *producer = value.getDefiningOp();
  // The high half of a product (upstream's arith.mulsi_extended infers no
  // ranges): the extremes are at the corners, and shifting keeps order.
  if (auto product = dyn_cast<arith::MulSIExtendedOp>(producer)) {
    if (value != product.getHigh())
      return unknown;
    const ConstantIntRanges lhs = getAtDepth(product.getLhs(), depth);
    const ConstantIntRanges rhs = getAtDepth(product.getRhs(), depth);
    std::optional<APInt> min, max;
    for (const APInt &a : {lhs.smin(), lhs.smax()})
      for (const APInt &b : {rhs.smin(), rhs.smax()}) {
        APInt high = (a.sext(2 * width) * b.sext(2 * width)).ashr(width);
        if (!min || high.slt(*min))
          min = high;
        if (!max || high.sgt(*max))
          max = high;
      }
    return ConstantIntRanges::fromSigned(min->trunc(width), max->trunc(width));
  }
  if (auto inferable = dyn_cast<InferIntRangeInterface>(producer)) {
    SmallVector<ConstantIntRanges> operandRanges;
    for (Value operand : producer->getOperands()) {
      if (isa<ShapedType>(operand.getType()) ||
          !integerWidth(operand.getType()))
        return unknown;
      operandRanges.push_back(getAtDepth(operand, depth));
    }
    std::optional<ConstantIntRanges> result;
    inferable.inferResultRanges(
        operandRanges, [&](Value inferred, const ConstantIntRanges &r) {
          if (inferred == value)
            result = r;
        });
    return result.value_or(unknown);
  }

  // Ops that only move elements.
  if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp,
          tensor::ExtractSliceOp, tensor::CastOp>(producer))
    return unionOf(producer->getOperand(0));
  if (auto insert = dyn_cast<tensor::InsertSliceOp>(producer))
    return unionOf({insert.getSource(), insert.getDest()});
  if (auto concat = dyn_cast<tensor::ConcatOp>(producer))
    return unionOf(concat.getInputs());
  if (auto pad = dyn_cast<tensor::PadOp>(producer)) {
    Value padding = pad.getConstantPaddingValue();
    if (!padding)
      return unknown;
    return unionOf({pad.getSource(), padding});
  }

  auto linalgOp = dyn_cast<linalg::LinalgOp>(producer);
  if (!linalgOp || !linalgOp.getBlock())
    return unknown;
  const unsigned resultNumber = cast<OpResult>(value).getResultNumber();
  Value yielded =
      linalgOp.getBlock()->getTerminator()->getOperand(resultNumber);
  if (linalgOp.getNumReductionLoops() == 0)
    return rangeOf(yielded).value_or(unknown);
  // A reduction that adds a term to its output: init + trips * term, where
  // the term's range holds whatever the output argument holds (an argument
  // of a reduction is unknown), so it bounds every step.
  auto add = yielded.getDefiningOp<arith::AddIOp>();
  BlockArgument output = linalgOp.getRegionOutputArgs()[resultNumber];
  if (!add || (add.getLhs() != output && add.getRhs() != output))
    return unknown;
  Value term = add.getLhs() == output ? add.getRhs() : add.getLhs();
  int64_t trips = 1;
  for (auto [size, kind] : llvm::zip_equal(linalgOp.getStaticLoopRanges(),
                                           linalgOp.getIteratorTypesArray())) {
    if (kind != utils::IteratorType::reduction)
      continue;
    if (ShapedType::isDynamic(size) || size > (int64_t(1) << 31))
      return unknown;
    trips *= size;
    if (trips > (int64_t(1) << 31))
      return unknown;
  }
  std::optional<ConstantIntRanges> termRange = rangeOf(term);
  std::optional<ConstantIntRanges> initRange =
      rangeOf(linalgOp.getDpsInitOperand(resultNumber)->get());
  if (!termRange || !initRange)
    return unknown;
  // In 128 bits nothing overflows: |term| < 2^64 and trips <= 2^31.
  auto widen = [](const APInt &x) { return x.sext(128); };
  const APInt tripsWide(128, trips);
  const APInt min =
      widen(initRange->smin()) + widen(termRange->smin()) * tripsWide;
  const APInt max =
      widen(initRange->smax()) + widen(termRange->smax()) * tripsWide;
  if (min.getSignificantBits() > width || max.getSignificantBits() > width)
    return unknown;
  return ConstantIntRanges::fromSigned(min.trunc(width), max.trunc(width));
}
