//===- AxisGatherOp.cpp - ft.axis_gather ----------------------------------===//
//
// A resize's or a mirror pad's rows or columns as one op that fused tiling
// can split: a tile reads the input rows between the least index after its
// start and the greatest before its end, which TilingInterface slices and
// SplitRulesOpInterface reports to the estimate.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Dialect/FT/IR/FTOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace ft;

LogicalResult AxisGatherOp::verify() {
  auto inType = cast<RankedTensorType>(getInput().getType());
  auto outType = cast<RankedTensorType>(getResult().getType());
  const int64_t rank = inType.getRank(), axis = getAxis();
  if (outType.getRank() != rank ||
      outType.getElementType() != inType.getElementType())
    return emitOpError("result must have the input's rank and element type");
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is not a dimension of the input";
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis && !inType.isDynamicDim(d) && !outType.isDynamicDim(d) &&
        inType.getDimSize(d) != outType.getDimSize(d))
      return emitOpError("dimension ")
             << d << " differs between input and result (only axis " << axis
             << " is resampled)";
  ArrayRef<int64_t> indices = getIndices();
  if (indices.empty())
    return emitOpError("needs at least one index");
  if (!outType.isDynamicDim(axis) &&
      outType.getDimSize(axis) != static_cast<int64_t>(indices.size()))
    return emitOpError("result has ")
           << outType.getDimSize(axis) << " rows along axis " << axis
           << " but there are " << indices.size() << " indices";
  for (size_t i = 0; i < indices.size(); ++i) {
    if (indices[i] < 0 || indices[i] > std::numeric_limits<int32_t>::max())
      return emitOpError("index ")
             << i << " is " << indices[i]
             << ": indices must be non-negative and fit in 32 bits";
    if (!inType.isDynamicDim(axis) && indices[i] >= inType.getDimSize(axis))
      return emitOpError("index ")
             << i << " is " << indices[i] << ", beyond the input's "
             << inType.getDimSize(axis) << " rows along axis " << axis;
  }
  return success();
}

/// The bounds of the rows a tile reads: for each result row, the least
/// index at or after it and the greatest at or before it.
static std::pair<SmallVector<int64_t>, SmallVector<int64_t>>
rowBounds(ArrayRef<int64_t> indices) {
  const size_t n = indices.size();
  SmallVector<int64_t> least(indices), greatest(indices);
  for (size_t i = n - 1; i-- > 0;)
    least[i] = std::min(least[i], least[i + 1]);
  for (size_t i = 1; i < n; ++i)
    greatest[i] = std::max(greatest[i], greatest[i - 1]);
  return {least, greatest};
}

//===----------------------------------------------------------------------===//
// TilingInterface
//===----------------------------------------------------------------------===//

SmallVector<utils::IteratorType> AxisGatherOp::getLoopIteratorTypes() {
  return SmallVector<utils::IteratorType>(
      cast<RankedTensorType>(getResult().getType()).getRank(),
      utils::IteratorType::parallel);
}

SmallVector<Range> AxisGatherOp::getIterationDomain(OpBuilder &b) {
  SmallVector<Range> domain;
  const int64_t rank = cast<RankedTensorType>(getResult().getType()).getRank();
  for (int64_t d = 0; d < rank; ++d) {
    // Every dimension but the axis is the input's.
    OpFoldResult size = d == static_cast<int64_t>(getAxis())
                            ? OpFoldResult(b.getIndexAttr(getIndices().size()))
                            : tensor::getMixedSize(b, getLoc(), getInput(), d);
    domain.push_back(Range{b.getIndexAttr(0), size, b.getIndexAttr(1)});
  }
  return domain;
}

FailureOr<TilingResult>
AxisGatherOp::getTiledImplementation(OpBuilder &b,
                                     ArrayRef<OpFoldResult> offsets,
                                     ArrayRef<OpFoldResult> sizes) {
  return buildAxisGatherTile(b, *this, offsets, sizes);
}

LogicalResult AxisGatherOp::getResultTilePosition(
    OpBuilder &, unsigned, ArrayRef<OpFoldResult> offsets,
    ArrayRef<OpFoldResult> sizes, SmallVector<OpFoldResult> &resultOffsets,
    SmallVector<OpFoldResult> &resultSizes) {
  resultOffsets.assign(offsets.begin(), offsets.end());
  resultSizes.assign(sizes.begin(), sizes.end());
  return success();
}

FailureOr<TilingResult>
AxisGatherOp::generateResultTileValue(OpBuilder &b, unsigned,
                                      ArrayRef<OpFoldResult> offsets,
                                      ArrayRef<OpFoldResult> sizes) {
  return buildAxisGatherTile(b, *this, offsets, sizes);
}

FailureOr<TilingResult> ft::buildAxisGatherTile(OpBuilder &b, AxisGatherOp op,
                                                ArrayRef<OpFoldResult> offsets,
                                                ArrayRef<OpFoldResult> sizes) {
  Location loc = op.getLoc();
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  const int64_t rank = inType.getRank(), axis = op.getAxis();
  ArrayRef<int64_t> indices = op.getIndices();
  const int64_t n = indices.size();
  if (static_cast<int64_t>(offsets.size()) != rank ||
      static_cast<int64_t>(sizes.size()) != rank)
    return failure();
  // The index table, as an i32 constant the tile slices and reads, and
  // the tables of the rows a tile starts and ends at (the same table when
  // the indices never decrease).
  auto tableOf = [&](ArrayRef<int64_t> values) -> Value {
    auto type = RankedTensorType::get({n}, b.getI32Type());
    SmallVector<int32_t> table(values.begin(), values.end());
    return arith::ConstantOp::create(
        b, loc, DenseIntElementsAttr::get(type, ArrayRef<int32_t>(table)));
  };
  auto [least, greatest] = rowBounds(indices);
  const bool monotonic = llvm::is_sorted(indices);
  Value tableValue = tableOf(indices);
  Value leastTable = monotonic ? tableValue : tableOf(least);
  Value greatestTable = monotonic ? tableValue : tableOf(greatest);
  OpFoldResult first = offsets[axis], count = sizes[axis];
  SmallVector<Operation *> slices;
  auto tableSlice = tensor::ExtractSliceOp::create(
      b, loc, tableValue, ArrayRef<OpFoldResult>{first},
      ArrayRef<OpFoldResult>{count}, ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  slices.push_back(tableSlice);
  // The input rows the tile reads: [least[first], greatest[last] + 1). A
  // line-buffered tile may compute no new rows (count 0): the lookups stay
  // in the tables and it reads none.
  AffineExpr s0, s1, s2;
  bindSymbols(b.getContext(), s0, s1, s2);
  auto map = [&](ArrayRef<AffineExpr> exprs, unsigned symbols) {
    return AffineMap::get(0, symbols, exprs, b.getContext());
  };
  OpFoldResult firstEntry = affine::makeComposedFoldedAffineMin(
      b, loc, map({s0, b.getAffineConstantExpr(n - 1)}, 1), {first});
  OpFoldResult lastEntry = affine::makeComposedFoldedAffineMin(
      b, loc, map({s0 + s1 - 1, b.getAffineConstantExpr(n - 1)}, 2),
      {first, count});
  lastEntry = affine::makeComposedFoldedAffineMax(
      b, loc, map({s0, b.getAffineConstantExpr(0)}, 1), {lastEntry});
  auto entry = [&](Value table, ArrayRef<int64_t> values,
                   OpFoldResult position) -> OpFoldResult {
    if (std::optional<int64_t> p = getConstantIntValue(position))
      return b.getIndexAttr(values[*p]);
    Value element = tensor::ExtractOp::create(
        b, loc, table,
        ValueRange{getValueOrCreateConstantIndexOp(b, loc, position)});
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), element)
        .getResult();
  };
  OpFoldResult lo = entry(leastTable, least, firstEntry);
  OpFoldResult hi = entry(greatestTable, greatest, lastEntry);
  const int64_t span = *llvm::max_element(indices) + 1;
  OpFoldResult inRows = affine::makeComposedFoldedAffineMin(
      b, loc, map({s0 * span, s1 - s2 + 1}, 3), {count, hi, lo});
  inRows = affine::makeComposedFoldedAffineMax(
      b, loc, map({s0, b.getAffineConstantExpr(0)}, 1), {inRows});
  SmallVector<OpFoldResult> inOffsets(offsets), inSizes(sizes);
  inOffsets[axis] = lo;
  inSizes[axis] = inRows;
  auto inputSlice = tensor::ExtractSliceOp::create(
      b, loc, op.getInput(), inOffsets, inSizes,
      SmallVector<OpFoldResult>(rank, b.getIndexAttr(1)));
  slices.push_back(inputSlice);
  Value init = tensor::EmptyOp::create(b, loc, sizes, inType.getElementType());
  SmallVector<AffineMap> maps = {
      AffineMap::get(rank, 0, b.getAffineDimExpr(axis)),
      b.getMultiDimIdentityMap(rank)};
  Value loOffset = getValueOrCreateConstantIndexOp(b, loc, lo);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), ValueRange{tableSlice}, ValueRange{init}, maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        SmallVector<Value> coordinates;
        for (int64_t d = 0; d < rank; ++d) {
          if (d != axis) {
            coordinates.push_back(
                linalg::IndexOp::create(nested, nestedLoc, d));
            continue;
          }
          Value row = arith::IndexCastOp::create(
              nested, nestedLoc, nested.getIndexType(), args[0]);
          coordinates.push_back(
              arith::SubIOp::create(nested, nestedLoc, row, loOffset));
        }
        Value element = tensor::ExtractOp::create(nested, nestedLoc, inputSlice,
                                                  coordinates);
        linalg::YieldOp::create(nested, nestedLoc, element);
      });
  generic->setDiscardableAttrs(op->getDiscardableAttrDictionary());
  return TilingResult{{generic}, {generic.getResult(0)}, slices};
}

//===----------------------------------------------------------------------===//
// SplitRulesOpInterface
//===----------------------------------------------------------------------===//

bool AxisGatherOp::computesLayer() { return true; }

std::string AxisGatherOp::getChannelSplitBlocker(OpOperand *) {
  const int64_t last =
      cast<RankedTensorType>(getInput().getType()).getRank() - 1;
  if (static_cast<int64_t>(getAxis()) == last)
    return "it gathers along the channel axis";
  return {};
}

FailureOr<SmallVector<OperandSplit>>
AxisGatherOp::getOperandSplits(int64_t axis, int64_t lo, int64_t hi) {
  ArrayRef<int64_t> indices = getIndices();
  if (lo < 0 || hi > static_cast<int64_t>(indices.size()) || hi <= lo)
    return failure();
  if (axis != static_cast<int64_t>(getAxis()))
    return SmallVector<OperandSplit>{OperandSplit::rows(lo, hi)};
  auto [least, greatest] = rowBounds(indices);
  return SmallVector<OperandSplit>{
      OperandSplit::rows(least[lo], greatest[hi - 1] + 1)};
}
