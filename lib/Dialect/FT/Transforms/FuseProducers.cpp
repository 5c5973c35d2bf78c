//===- FuseProducers.cpp - Fusing a path's producers into a tile ---------===//
//
// Each tensor.extract_slice of a value a path op produces is replaced by
// that op computing just the slice (upstream TilingInterface), last
// producer first; reshapes, pads and depthwise channel groups get the
// help upstream's patterns do not give.
//
//===----------------------------------------------------------------------===//

#include "TilingImpl.h"

using namespace mlir;
using namespace ft;
using namespace ft::detail;

namespace {

/// The collapse of the slice (`offsets`, `sizes`, unit strides) of
/// `collapse`'s source, in place of `slice` (cast to its type).
FailureOr<Value> collapseSliceOfSource(RewriterBase &rewriter,
                                       tensor::ExtractSliceOp slice,
                                       tensor::CollapseShapeOp collapse,
                                       ArrayRef<OpFoldResult> offsets,
                                       ArrayRef<OpFoldResult> sizes) {
  Location loc = slice.getLoc();
  SmallVector<OpFoldResult> strides(collapse.getSrcType().getRank(),
                                    rewriter.getIndexAttr(1));
  Value sourceSlice = tensor::ExtractSliceOp::create(
      rewriter, loc, collapse.getSrc(), offsets, sizes, strides);
  Value collapsed = tensor::CollapseShapeOp::create(
      rewriter, loc, sourceSlice, collapse.getReassociationIndices());
  if (collapsed.getType() == slice.getType())
    return collapsed;
  if (!tensor::CastOp::areCastCompatible(collapsed.getType(), slice.getType()))
    return failure();
  return tensor::CastOp::create(rewriter, loc, slice.getType(), collapsed)
      .getResult();
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
  RankedTensorType source = collapse.getSrcType(),
                   result = collapse.getResultType();
  if (!slice.hasUnitStride() ||
      slice.getResultType().getRank() != result.getRank() ||
      !source.hasStaticShape())
    return failure();
  SmallVector<OpFoldResult> offsets(slice.getMixedOffsets()),
      sizes(slice.getMixedSizes());
  std::optional<int64_t> cut;
  for (int64_t d = 0; d < result.getRank(); ++d) {
    if (getConstantIntValue(offsets[d]) == 0 &&
        getConstantIntValue(sizes[d]) == result.getDimSize(d))
      continue;
    if (cut)
      return failure();
    cut = d;
  }
  if (!cut)
    return failure();
  SmallVector<ReassociationIndices> groups = collapse.getReassociationIndices();
  const ReassociationIndices &group = groups[*cut];
  int64_t inner = 1;
  for (int64_t dim : ArrayRef(group).drop_front())
    inner *= source.getDimSize(dim);
  if (inner <= 0 || granularity % inner != 0)
    return failure();
  Location loc = slice.getLoc();
  AffineExpr d0 = getAffineDimExpr(0, rewriter.getContext());
  SmallVector<OpFoldResult> sourceOffsets, sourceSizes;
  for (int64_t dim = 0; dim < source.getRank(); ++dim) {
    sourceOffsets.push_back(rewriter.getIndexAttr(0));
    sourceSizes.push_back(rewriter.getIndexAttr(source.getDimSize(dim)));
  }
  sourceOffsets[group.front()] = affine::makeComposedFoldedAffineApply(
      rewriter, loc, d0.floorDiv(inner), {offsets[*cut]});
  sourceSizes[group.front()] = affine::makeComposedFoldedAffineApply(
      rewriter, loc, d0.floorDiv(inner), {sizes[*cut]});
  return collapseSliceOfSource(rewriter, slice, collapse, sourceOffsets,
                               sourceSizes);
}

/// When a tile reads several windows of one value (a residual block's input
/// feeds its first convolution, with a halo, and its add), replaces them by
/// sub-slices of one slice covering them all, so that the value's producer
/// is computed once per tile rather than once per window (and, through a
/// chain of residual blocks, not a number of times that doubles with each).
/// Their offsets and sizes are side-effect-free index computations, moved
/// before the first window. Returns whether it merged anything.
bool mergeWindows(RewriterBase &rewriter,
                  SmallVector<tensor::ExtractSliceOp> ordered) {
  if (ordered.size() < 2)
    return false;
  Block *block = ordered.front()->getBlock();
  auto sourceType = cast<RankedTensorType>(ordered.front().getSourceType());
  for (tensor::ExtractSliceOp window : ordered)
    if (window->getBlock() != block || !window.hasUnitStride() ||
        window.getResultType().getRank() != sourceType.getRank())
      return false;
  llvm::sort(ordered, [](tensor::ExtractSliceOp a, tensor::ExtractSliceOp b) {
    return a->isBeforeInBlock(b);
  });
  Operation *first = ordered.front();
  // The index computations defined after the first window.
  llvm::SetVector<Operation *> toHoist;
  BackwardSliceOptions options;
  options.inclusive = false;
  options.filter = [&](Operation *op) {
    return op->getBlock() == block && first->isBeforeInBlock(op);
  };
  for (tensor::ExtractSliceOp window : ordered)
    for (Value operand : window->getOperands().drop_front()) {
      Operation *def = operand.getDefiningOp();
      if (!def || !options.filter(def))
        continue;
      if (failed(getBackwardSlice(def, &toHoist, options)))
        return false;
      toHoist.insert(def);
    }
  SmallVector<Operation *> hoisted(toHoist.begin(), toHoist.end());
  for (Operation *op : hoisted)
    if (op->getNumRegions() != 0 || !isMemoryEffectFree(op))
      return false;
  llvm::sort(hoisted,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  for (Operation *op : hoisted)
    rewriter.moveOpBefore(op, first);

  // The covering window: per dimension, the least offset and the greatest
  // end over all windows.
  Location loc = first->getLoc();
  rewriter.setInsertionPoint(first);
  MLIRContext *context = rewriter.getContext();
  const int64_t rank = sourceType.getRank(), count = ordered.size();
  SmallVector<AffineExpr> lows, ends;
  for (int64_t w = 0; w < count; ++w) {
    lows.push_back(getAffineDimExpr(w, context));
    ends.push_back(getAffineDimExpr(2 * w, context) +
                   getAffineDimExpr(2 * w + 1, context));
  }
  AffineMap lowMap = AffineMap::get(count, 0, lows, context);
  AffineMap endMap = AffineMap::get(2 * count, 0, ends, context);
  AffineExpr d0 = getAffineDimExpr(0, context),
             d1 = getAffineDimExpr(1, context);
  SmallVector<OpFoldResult> offsets, sizes;
  for (int64_t d = 0; d < rank; ++d) {
    SmallVector<OpFoldResult> windowOffsets, windowBounds;
    for (tensor::ExtractSliceOp window : ordered) {
      windowOffsets.push_back(window.getMixedOffsets()[d]);
      windowBounds.push_back(window.getMixedOffsets()[d]);
      windowBounds.push_back(window.getMixedSizes()[d]);
    }
    OpFoldResult low = affine::makeComposedFoldedAffineMin(
        rewriter, loc, lowMap, windowOffsets);
    OpFoldResult end = affine::makeComposedFoldedAffineMax(
        rewriter, loc, endMap, windowBounds);
    offsets.push_back(low);
    sizes.push_back(affine::makeComposedFoldedAffineApply(rewriter, loc,
                                                          d0 - d1, {end, low}));
  }
  SmallVector<OpFoldResult> unitStrides(rank, rewriter.getIndexAttr(1));
  Value covering = tensor::ExtractSliceOp::create(
      rewriter, loc, ordered.front().getSource(), offsets, sizes, unitStrides);
  for (tensor::ExtractSliceOp window : ordered) {
    rewriter.setInsertionPoint(window);
    SmallVector<OpFoldResult> relative;
    for (int64_t d = 0; d < rank; ++d)
      relative.push_back(affine::makeComposedFoldedAffineApply(
          rewriter, window.getLoc(), d0 - d1,
          {window.getMixedOffsets()[d], offsets[d]}));
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        window, window.getResultType(), covering, relative,
        window.getMixedSizes(), unitStrides);
  }
  return true;
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

} // namespace

namespace ft::detail {

/// Replaces, inside `region`, every tensor.extract_slice of a value that a
/// path op produces by the producer computing only that slice, until only
/// slices of values from outside the path remain. The path's last producer
/// goes first, so that all windows of a value exist when it is computed.
LogicalResult fuseProducers(RewriterBase &rewriter, Region &region,
                            const Path &path) {
  RewritePatternSet reshapePatternSet(rewriter.getContext());
  // Reshapes do not implement TilingInterface: a slice moves above them; a
  // slice of a slice (a pool's cropped input) becomes one slice.
  tensor::populateBubbleUpExtractSliceOpPatterns(reshapePatternSet);
  tensor::populateMergeConsecutiveInsertExtractSlicePatterns(reshapePatternSet);
  FrozenRewritePatternSet reshapePatterns(std::move(reshapePatternSet));
  while (true) {
    tensor::ExtractSliceOp slice;
    Operation *producer = nullptr;
    region.walk([&](tensor::ExtractSliceOp candidate) {
      Operation *def = candidate.getSource().getDefiningOp();
      if (def && path.contains(def) &&
          (!producer || producer->isBeforeInBlock(def))) {
        slice = candidate;
        producer = def;
      }
    });
    if (!slice)
      return success();
    if (path.shareWindows && isa<TilingInterface>(producer) &&
        !isa<tensor::EmptyOp>(producer)) {
      SmallVector<tensor::ExtractSliceOp> windows;
      region.walk([&](tensor::ExtractSliceOp candidate) {
        if (candidate.getSource() == slice.getSource())
          windows.push_back(candidate);
      });
      if (mergeWindows(rewriter, std::move(windows)))
        continue;
    }
    rewriter.setInsertionPoint(slice);
    if (isa<tensor::EmptyOp>(producer)) {
      // A slice of nothing is a smaller nothing.
      SmallVector<OpFoldResult> sizes = slice.getMixedSizes();
      if (sizes.size() != static_cast<size_t>(slice.getType().getRank()))
        return pathError(slice, "cannot tile a rank-reducing slice of an "
                                "empty tensor");
      Value empty = tensor::EmptyOp::create(rewriter, slice.getLoc(), sizes,
                                            slice.getType().getElementType());
      if (empty.getType() != slice.getType())
        empty = tensor::CastOp::create(rewriter, slice.getLoc(),
                                       slice.getType(), empty);
      rewriter.replaceOp(slice, empty);
      continue;
    }
    if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp,
            tensor::ExtractSliceOp>(producer)) {
      bool changed = false;
      GreedyRewriteConfig config;
      config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
      (void)applyOpPatternsGreedily({slice.getOperation()}, reshapePatterns,
                                    config, &changed);
      if (changed)
        continue;
      auto collapse = dyn_cast<tensor::CollapseShapeOp>(producer);
      std::optional<int64_t> multiplier =
          collapse ? depthwiseMultiplier(collapse) : std::nullopt;
      if (multiplier && path.channelGranularity % *multiplier == 0) {
        FailureOr<Value> sliced =
            sliceChannelsOfCollapse(rewriter, slice, collapse, *multiplier);
        if (succeeded(sliced)) {
          rewriter.replaceOp(slice, *sliced);
          continue;
        }
      }
      // A flatten cut at multiples of its inner dimensions (FFMT rows into
      // a fully connected layer).
      if (collapse && path.channelGranularity > 1) {
        FailureOr<Value> sliced = sliceCollapsedGroup(rewriter, slice, collapse,
                                                      path.channelGranularity);
        if (succeeded(sliced)) {
          rewriter.replaceOp(slice, *sliced);
          continue;
        }
      }
      return pathError(producer,
                       "cannot tile through this reshape or slice: the tile's "
                       "slice does not map to a slice of its source");
    }
    if (auto insert = dyn_cast<tensor::InsertSliceOp>(producer)) {
      FailureOr<Value> sliced = sliceOfInsertion(rewriter, slice, insert);
      if (failed(sliced))
        return pathError(producer,
                         "cannot tile across a concatenation's axis: tiles "
                         "must cover the concatenated axis whole");
      rewriter.replaceOp(slice, *sliced);
      continue;
    }
    FailureOr<TilingResult> tiled = failure();
    if (auto pad = dyn_cast<tensor::PadOp>(producer)) {
      // Without upstream's zero-slice guard: the source slice's offsets and
      // sizes are clamped into the source, so even an empty one is in
      // bounds, and the guard's tensor.generate branch would bufferize to a
      // second tile buffer.
      tiled = tensor::bubbleUpPadSlice(rewriter, pad, slice.getMixedOffsets(),
                                       slice.getMixedSizes(),
                                       /*generateZeroSliceGuard=*/false);
    } else if (isa<TilingInterface>(producer)) {
      tiled = tensor::replaceExtractSliceWithTiledProducer(
          rewriter, slice, cast<OpResult>(slice.getSource()));
    } else {
      return pathError(producer, "cannot tile through this op: it does not "
                                 "implement TilingInterface");
    }
    if (failed(tiled) || tiled->tiledValues.empty())
      return pathError(producer, "could not compute a tile of this op");
    Value value = tiled->tiledValues.front();
    if (value.getType() != slice.getType())
      value = tensor::CastOp::create(rewriter, slice.getLoc(), slice.getType(),
                                     value);
    rewriter.replaceOp(slice, value);
  }
}

/// Erases the path's ops that the tile block made dead, last first.
void eraseDeadPathOps(RewriterBase &rewriter, const Path &path) {
  for (Operation *op : llvm::reverse(path.ops))
    if (op->use_empty())
      rewriter.eraseOp(op);
}

} // namespace ft::detail
