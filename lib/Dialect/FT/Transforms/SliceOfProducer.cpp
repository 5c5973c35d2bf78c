//===- SliceOfProducer.cpp - Slices of views computed from their sources --===//
//
// What SplitRulesOpInterface's replaceSliceOfResult does for the ops fused
// tiling passes that are not tiled through TilingInterface: reshapes
// (upstream's bubbling, and the depthwise channel groups, flattens and
// DEPTH_TO_SPACE rows it does not handle), crops and concatenations.
//
//===----------------------------------------------------------------------===//

#include "TilingImpl.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace ft;
using namespace ft::detail;

namespace {

/// `value` as `slice`'s type (the same, or a cast between static and
/// dynamic sizes), to replace it.
FailureOr<Value> castToSliceType(RewriterBase &rewriter,
                                 tensor::ExtractSliceOp slice, Value value) {
  if (value.getType() == slice.getType())
    return value;
  if (!tensor::CastOp::areCastCompatible(value.getType(), slice.getType()))
    return failure();
  return tensor::CastOp::create(rewriter, slice.getLoc(), slice.getType(),
                                value)
      .getResult();
}

/// The collapse of the slice (`offsets`, `sizes`, unit strides) of
/// `collapse`'s source.
Value collapseOfSourceSlice(RewriterBase &rewriter, Location loc,
                            tensor::CollapseShapeOp collapse,
                            ArrayRef<OpFoldResult> offsets,
                            ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> strides(collapse.getSrcType().getRank(),
                                    rewriter.getIndexAttr(1));
  Value sourceSlice = tensor::ExtractSliceOp::create(
      rewriter, loc, collapse.getSrc(), offsets, sizes, strides);
  return tensor::CollapseShapeOp::create(rewriter, loc, sourceSlice,
                                         collapse.getReassociationIndices());
}

/// The collapse of the slice of `collapse`'s source, in place of `slice`
/// (cast to its type).
FailureOr<Value> collapseSliceOfSource(RewriterBase &rewriter,
                                       tensor::ExtractSliceOp slice,
                                       tensor::CollapseShapeOp collapse,
                                       ArrayRef<OpFoldResult> offsets,
                                       ArrayRef<OpFoldResult> sizes) {
  return castToSliceType(rewriter, slice,
                         collapseOfSourceSlice(rewriter, slice.getLoc(),
                                               collapse, offsets, sizes));
}

/// A slice of the C * M channels of a depthwise convolution's collapse that
/// starts and ends at multiples of M (FDT's tile ranges do, see
/// Path::channelGranularity), computed as the collapse of the slice
/// [o / M, s / M) x [0, M) of its source. Upstream's bubbling cannot prove
/// the alignment of dynamic offsets.
FailureOr<Value> sliceChannelsOfCollapse(RewriterBase &rewriter,
                                         tensor::ExtractSliceOp slice,
                                         tensor::CollapseShapeOp collapse,
                                         int64_t multiplier) {
  if (!slice.hasUnitStride() ||
      slice.getResultType().getRank() != collapse.getResultType().getRank())
    return failure();
  Location loc = slice.getLoc();
  MLIRContext *context = rewriter.getContext();
  AffineExpr d0 = getAffineDimExpr(0, context);
  SmallVector<OpFoldResult> offsets(slice.getMixedOffsets()),
      sizes(slice.getMixedSizes());
  const OpFoldResult channelOffset = offsets.back(), channelSize = sizes.back();
  offsets.pop_back();
  sizes.pop_back();
  // C sliced in groups, M whole.
  offsets.push_back(affine::makeComposedFoldedAffineApply(
      rewriter, loc, d0.floorDiv(multiplier), {channelOffset}));
  sizes.push_back(affine::makeComposedFoldedAffineApply(
      rewriter, loc, d0.floorDiv(multiplier), {channelSize}));
  offsets.push_back(rewriter.getIndexAttr(0));
  sizes.push_back(rewriter.getIndexAttr(multiplier));
  return collapseSliceOfSource(rewriter, slice, collapse, offsets, sizes);
}

/// The one result dimension `slice` cuts (every other taken whole) and the
/// product of the inner source dimensions of its group in `collapse`.
std::optional<std::pair<int64_t, int64_t>>
collapsedCut(tensor::ExtractSliceOp slice, tensor::CollapseShapeOp collapse) {
  RankedTensorType source = collapse.getSrcType(),
                   result = collapse.getResultType();
  if (!slice.hasUnitStride() ||
      slice.getResultType().getRank() != result.getRank() ||
      !source.hasStaticShape())
    return std::nullopt;
  SmallVector<OpFoldResult> offsets(slice.getMixedOffsets()),
      sizes(slice.getMixedSizes());
  std::optional<int64_t> cut;
  for (int64_t d = 0; d < result.getRank(); ++d) {
    if (getConstantIntValue(offsets[d]) == 0 &&
        getConstantIntValue(sizes[d]) == result.getDimSize(d))
      continue;
    if (cut)
      return std::nullopt;
    cut = d;
  }
  if (!cut)
    return std::nullopt;
  const ReassociationIndices group = collapse.getReassociationIndices()[*cut];
  int64_t inner = 1;
  for (int64_t dim : ArrayRef(group).drop_front())
    inner *= source.getDimSize(dim);
  if (inner <= 0)
    return std::nullopt;
  return std::make_pair(*cut, inner);
}

/// The collapse of `collapse`'s whole source but along the first dimension
/// of the result dimension `cut`'s group, where it is [offset, offset +
/// size).
Value collapseOfSourceRows(RewriterBase &rewriter, Location loc,
                           tensor::CollapseShapeOp collapse, int64_t cut,
                           OpFoldResult offset, OpFoldResult size) {
  RankedTensorType source = collapse.getSrcType();
  SmallVector<OpFoldResult> sourceOffsets, sourceSizes;
  for (int64_t dim = 0; dim < source.getRank(); ++dim) {
    sourceOffsets.push_back(rewriter.getIndexAttr(0));
    sourceSizes.push_back(rewriter.getIndexAttr(source.getDimSize(dim)));
  }
  const int64_t outer = collapse.getReassociationIndices()[cut].front();
  sourceOffsets[outer] = offset;
  sourceSizes[outer] = size;
  return collapseOfSourceSlice(rewriter, loc, collapse, sourceOffsets,
                               sourceSizes);
}

/// A slice of a collapse_shape's result that cuts one result dimension only,
/// at multiples of `granularity`, computed as the collapse of a slice of the
/// source: the cut dimension's group is sliced on its outermost source
/// dimension (offset and size divided by the product of the inner ones,
/// which must divide `granularity`), every other dimension whole. A
/// flatten's rows: [o, o + s) of H x W x C is rows [o / WC, (o + s) / WC).
FailureOr<Value> sliceCollapsedGroup(RewriterBase &rewriter,
                                     tensor::ExtractSliceOp slice,
                                     tensor::CollapseShapeOp collapse,
                                     int64_t granularity) {
  auto cut = collapsedCut(slice, collapse);
  if (!cut || granularity % cut->second != 0)
    return failure();
  auto [dim, inner] = *cut;
  Location loc = slice.getLoc();
  AffineExpr d0 = getAffineDimExpr(0, rewriter.getContext());
  return castToSliceType(
      rewriter, slice,
      collapseOfSourceRows(rewriter, loc, collapse, dim,
                           affine::makeComposedFoldedAffineApply(
                               rewriter, loc, d0.floorDiv(inner),
                               {slice.getMixedOffsets()[dim]}),
                           affine::makeComposedFoldedAffineApply(
                               rewriter, loc, d0.floorDiv(inner),
                               {slice.getMixedSizes()[dim]})));
}

/// A slice of a collapse_shape's result that cuts one result dimension
/// anywhere: the collapse of the source rows that cover it (the group's
/// outermost dimension from floor(o / inner) to ceil((o + s) / inner), the
/// inner ones whole), sliced again from o mod inner. DEPTH_TO_SPACE's output
/// rows: a tile needs the input rows whose blocks hold its rows (what the
/// estimate's propagateAxis assumes too).
FailureOr<Value> sliceCoveringCollapsedGroup(RewriterBase &rewriter,
                                             tensor::ExtractSliceOp slice,
                                             tensor::CollapseShapeOp collapse) {
  auto cut = collapsedCut(slice, collapse);
  if (!cut)
    return failure();
  auto [dim, inner] = *cut;
  Location loc = slice.getLoc();
  MLIRContext *context = rewriter.getContext();
  AffineExpr d0 = getAffineDimExpr(0, context),
             d1 = getAffineDimExpr(1, context);
  OpFoldResult offset = slice.getMixedOffsets()[dim],
               size = slice.getMixedSizes()[dim];
  OpFoldResult rowsOffset = affine::makeComposedFoldedAffineApply(
      rewriter, loc, d0.floorDiv(inner), {offset});
  OpFoldResult rows = affine::makeComposedFoldedAffineApply(
      rewriter, loc,
      AffineMap::get(2, 0, (d0 + d1).ceilDiv(inner) - d0.floorDiv(inner)),
      {offset, size});
  Value covering =
      collapseOfSourceRows(rewriter, loc, collapse, dim, rowsOffset, rows);
  SmallVector<OpFoldResult> offsets(slice.getType().getRank(),
                                    rewriter.getIndexAttr(0));
  offsets[dim] = affine::makeComposedFoldedAffineApply(rewriter, loc,
                                                       d0 % inner, {offset});
  Value result = tensor::ExtractSliceOp::create(rewriter, loc, covering,
                                                offsets, slice.getMixedSizes(),
                                                slice.getMixedStrides());
  return castToSliceType(rewriter, slice, result);
}

} // namespace

namespace ft::detail {

LogicalResult bubbleSliceUp(RewriterBase &rewriter,
                            tensor::ExtractSliceOp slice) {
  // Reshapes do not implement TilingInterface: a slice moves above them; a
  // slice of a slice (a pool's cropped input) becomes one slice.
  RewritePatternSet patterns(rewriter.getContext());
  tensor::populateBubbleUpExtractSliceOpPatterns(patterns);
  tensor::populateMergeConsecutiveInsertExtractSlicePatterns(patterns);
  bool changed = false;
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
  (void)applyOpPatternsGreedily({slice.getOperation()}, std::move(patterns),
                                config, &changed);
  return success(changed);
}

FailureOr<Value> sliceOfCollapse(RewriterBase &rewriter,
                                 tensor::ExtractSliceOp slice,
                                 tensor::CollapseShapeOp collapse,
                                 int64_t channelGranularity) {
  std::optional<int64_t> multiplier = depthwiseMultiplier(collapse);
  if (multiplier && channelGranularity % *multiplier == 0) {
    FailureOr<Value> sliced =
        sliceChannelsOfCollapse(rewriter, slice, collapse, *multiplier);
    if (succeeded(sliced))
      return sliced;
  }
  // A flatten cut at multiples of its inner dimensions (FFMT rows into a
  // fully connected layer).
  if (channelGranularity > 1) {
    FailureOr<Value> sliced =
        sliceCollapsedGroup(rewriter, slice, collapse, channelGranularity);
    if (succeeded(sliced))
      return sliced;
  }
  // Rows merged with inner dimensions, cut anywhere (DEPTH_TO_SPACE).
  return sliceCoveringCollapsedGroup(rewriter, slice, collapse);
}

/// A slice of a concatenation (tensor.insert_slice of `insert`'s source into
/// its destination), computed as the same insertion of slices of both:
/// on every dimension either the insertion covers the destination (rows
/// and columns of a channel concatenation: the slice applies to both) or
/// the slice covers it (the concatenated axis: both whole). Fails
/// otherwise (a slice across the concatenated axis).
FailureOr<Value> sliceOfInsertion(RewriterBase &rewriter,
                                  tensor::ExtractSliceOp slice,
                                  tensor::InsertSliceOp insert) {
  RankedTensorType destType = insert.getDestType();
  const int64_t rank = destType.getRank();
  if (!slice.hasUnitStride() || !insert.hasUnitStride() ||
      slice.getResultType().getRank() != rank ||
      insert.getSourceType().getRank() != rank)
    return failure();
  Location loc = slice.getLoc();
  SmallVector<OpFoldResult> sourceOffsets, sourceSizes, destOffsets, destSizes,
      insertOffsets, insertSizes;
  for (int64_t d = 0; d < rank; ++d) {
    const int64_t extent = destType.getDimSize(d);
    std::optional<int64_t> insertOffset =
        getConstantIntValue(insert.getMixedOffsets()[d]);
    std::optional<int64_t> insertSize =
        getConstantIntValue(insert.getMixedSizes()[d]);
    std::optional<int64_t> sliceOffset =
        getConstantIntValue(slice.getMixedOffsets()[d]);
    std::optional<int64_t> sliceSize =
        getConstantIntValue(slice.getMixedSizes()[d]);
    if (insertOffset == 0 && insertSize == extent) {
      sourceOffsets.push_back(slice.getMixedOffsets()[d]);
      sourceSizes.push_back(slice.getMixedSizes()[d]);
      destOffsets.push_back(slice.getMixedOffsets()[d]);
      destSizes.push_back(slice.getMixedSizes()[d]);
      insertOffsets.push_back(rewriter.getIndexAttr(0));
      insertSizes.push_back(slice.getMixedSizes()[d]);
    } else if (sliceOffset == 0 && sliceSize == extent && insertOffset &&
               insertSize) {
      sourceOffsets.push_back(rewriter.getIndexAttr(0));
      sourceSizes.push_back(rewriter.getIndexAttr(*insertSize));
      destOffsets.push_back(rewriter.getIndexAttr(0));
      destSizes.push_back(rewriter.getIndexAttr(extent));
      insertOffsets.push_back(rewriter.getIndexAttr(*insertOffset));
      insertSizes.push_back(rewriter.getIndexAttr(*insertSize));
    } else {
      return failure();
    }
  }
  SmallVector<OpFoldResult> unitStrides(rank, rewriter.getIndexAttr(1));
  Value source =
      tensor::ExtractSliceOp::create(rewriter, loc, insert.getSource(),
                                     sourceOffsets, sourceSizes, unitStrides);
  Value dest = tensor::ExtractSliceOp::create(
      rewriter, loc, insert.getDest(), destOffsets, destSizes, unitStrides);
  Value inserted = tensor::InsertSliceOp::create(
      rewriter, loc, source, dest, insertOffsets, insertSizes, unitStrides);
  if (inserted.getType() != slice.getType())
    inserted = tensor::CastOp::create(rewriter, loc, slice.getType(), inserted);
  return inserted;
}

} // namespace ft::detail
