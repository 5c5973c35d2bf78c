//===- FFMT.cpp - Fused feature-map tiling -------------------------------===//
//
// Spatial tiles with halos: the last layer's output split along rows,
// columns or both; a path into a global sum pooling accumulates partial
// sums instead.
//
//===----------------------------------------------------------------------===//

#include "TilingImpl.h"

using namespace mlir;
using namespace ft;
using namespace ft::detail;

namespace {

/// Whether every op of `path` before `stopAt` (all when null) can compute
/// a spatial tile.
LogicalResult checkFeatureMapOps(const Path &path, Operation *stopAt) {
  for (Operation *op : path.ops) {
    if (op == stopAt)
      break;
    if (!isa<TilingInterface, tensor::EmptyOp, tensor::CollapseShapeOp,
             tensor::ExpandShapeOp, tensor::ExtractSliceOp,
             tensor::InsertSliceOp>(op))
      return pathError(op, "ffmt cannot tile through this op");
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp || linalgOp.getNumReductionLoops() == 0)
      continue;
    if (linalg::isaContractionOpInterface(linalgOp))
      return pathError(op, "ffmt cannot split a matmul: it reads its whole "
                           "input for every output (use fdt)");
    if (!linalg::isaConvolutionOpInterface(linalgOp))
      return pathError(op, "ffmt cannot split this reduction: only "
                           "convolutions and pooling reduce inside a "
                           "spatial tile");
  }
  return success();
}

/// The path's ops that reduce (linalg ops with reduction loops, not private
/// producers), last first, each with its first input the path computes:
/// where a path can end in partial sums. The list stops after the first
/// one without such an input (null), which ends every search.
SmallVector<std::pair<linalg::LinalgOp, OpOperand *>>
reductionsLastFirst(const Path &path) {
  SmallVector<std::pair<linalg::LinalgOp, OpOperand *>> found;
  for (Operation *op : llvm::reverse(path.ops)) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp || linalgOp.getNumReductionLoops() == 0 ||
        isPrivateProducer(op))
      continue;
    OpOperand *input = pathInput(linalgOp, path);
    found.push_back({linalgOp, input});
    if (!input)
      break;
  }
  return found;
}

} // namespace

namespace ft::detail {

/// A global reduction over `axis` at the end of an FFMT path (a global
/// average pooling): the path's last op with reduction loops, when one
/// reduction loop indexes the whole `axis` of its input and its output has
/// extent 1 there. Returns the op, that input and the loop.
std::optional<std::tuple<linalg::LinalgOp, OpOperand *, unsigned>>
findSpatialReduction(const Path &path, int64_t axis) {
  for (auto [linalgOp, input] : reductionsLastFirst(path)) {
    if (!input)
      return std::nullopt;
    AffineMap map = linalgOp.getMatchingIndexingMap(input);
    auto inputType = dyn_cast<RankedTensorType>(input->get().getType());
    if (axis >= map.getNumResults() || !inputType)
      return std::nullopt;
    // An op after the pooling (a fully connected layer) does not reduce the
    // split axis: look further up; the merge check refuses it later.
    if (inputType.getDimSize(axis) == 1)
      continue;
    const SmallVector<int64_t> ranges = linalgOp.getStaticLoopRanges();
    const SmallVector<utils::IteratorType> iterators =
        linalgOp.getIteratorTypesArray();
    std::optional<unsigned> reduction;
    bool global = true;
    map.getResult(axis).walk([&](AffineExpr expr) {
      auto dim = dyn_cast<AffineDimExpr>(expr);
      if (!dim)
        return;
      const unsigned d = dim.getPosition();
      if (iterators[d] == utils::IteratorType::reduction) {
        global &= !reduction || *reduction == d;
        reduction = d;
      } else {
        global &= ranges[d] == 1;
      }
    });
    // Only a sum splits into partial sums (not a max pooling).
    if (!global || !reduction || !isAdditiveReduction(linalgOp))
      return std::nullopt;
    return std::make_tuple(linalgOp, input, *reduction);
  }
  return std::nullopt;
}

std::optional<FlattenReduction> findFlattenReduction(const Path &path,
                                                     int64_t axis) {
  for (auto [linalgOp, input] : reductionsLastFirst(path)) {
    if (!input)
      return std::nullopt;
    // Through reshapes that keep the flattened axis last.
    Value value = input->get();
    while (auto expand = value.getDefiningOp<tensor::ExpandShapeOp>())
      value = expand.getSrc();
    auto flatten = value.getDefiningOp<tensor::CollapseShapeOp>();
    if (!flatten || !path.contains(flatten))
      return std::nullopt;
    RankedTensorType source = flatten.getSrcType();
    SmallVector<ReassociationIndices> groups =
        flatten.getReassociationIndices();
    if (!source.hasStaticShape() || groups.back().front() != axis ||
        groups.back().back() != source.getRank() - 1)
      return std::nullopt;
    std::optional<unsigned> loop = channelLoop(linalgOp, input);
    if (!loop ||
        linalgOp.getIteratorTypesArray()[*loop] !=
            utils::IteratorType::reduction ||
        !isAdditiveReduction(linalgOp))
      return std::nullopt;
    int64_t rowElements = 1;
    for (int64_t dim = axis + 1; dim < source.getRank(); ++dim)
      rowElements *= source.getDimSize(dim);
    return FlattenReduction{linalgOp, input, *loop, flatten, rowElements};
  }
  return std::nullopt;
}

FailureOr<TileBlockOp> tileFeatureMaps(RewriterBase &rewriter, Path &path,
                                       const TilingOptions &tiling) {
  for (int64_t axis : tiling.axes)
    if (axis != 1 && axis != 2)
      return pathError(path.last, "ffmt: axis ")
             << axis << " is not a spatial axis (1 = rows, 2 = columns)";
  // A path ending in a global pooling over the split axis: each tile's rows
  // add their partial sums to one accumulator, merged once.
  if (tiling.axes.size() == 1 && tiling.tiles.size() == 1)
    if (auto found = findSpatialReduction(path, tiling.axes.front())) {
      auto [consumer, input, loop] = *found;
      if (failed(checkFeatureMapOps(path, consumer)))
        return failure();
      return tileIntoPartialSums(rewriter, path, consumer, input, loop,
                                 tiling.axes.front(), TilingMethod::FFMT,
                                 tiling.tiles.front());
    }
  // A path into a flatten and a fully connected layer: row tiles are
  // contiguous parts of the flattened axis, summed as partial sums.
  if (tiling.axes.size() == 1 && tiling.tiles.size() == 1 &&
      tiling.axes.front() == 1)
    if (auto found = findFlattenReduction(path, tiling.axes.front())) {
      if (failed(checkFeatureMapOps(path, found->flatten)))
        return failure();
      path.channelGranularity = found->rowElements;
      const int64_t rank =
          cast<ShapedType>(found->input->get().getType()).getRank();
      return tileIntoPartialSums(rewriter, path, found->consumer, found->input,
                                 found->loop, rank - 1, TilingMethod::FFMT,
                                 tiling.tiles.front());
    }
  if (tiling.axes.size() > 1)
    for (int64_t axis : tiling.axes)
      if (auto found = findSpatialReduction(path, axis))
        return pathError(std::get<0>(*found),
                         "ffmt: a path that ends in a global pooling splits "
                         "one axis (axes=1 or axes=2), not a grid");
  Operation *last = path.last;
  if (last->getNumResults() != 1)
    return pathError(last, "ffmt: the path's last op must have one result");
  Value result = last->getResult(0);
  auto type = dyn_cast<RankedTensorType>(result.getType());
  if (!type || !type.hasStaticShape())
    return pathError(last, "ffmt: the path's last tensor must have a static "
                           "shape");
  if (tiling.axes.empty() || tiling.axes.size() != tiling.tiles.size())
    return pathError(last, "ffmt: give one tile count per split axis (")
           << tiling.axes.size() << " axes, " << tiling.tiles.size()
           << " tile counts)";
  // NHWC, or a depthwise convolution's NHWCM before its reshape.
  if (type.getRank() < 4)
    return pathError(last, "ffmt splits rows and columns of an NHWC feature "
                           "map; the path's last tensor is ")
           << type;
  SmallVector<SmallVector<int64_t>> ranges;
  for (auto [axis, tiles] : llvm::zip(tiling.axes, tiling.tiles)) {
    if (llvm::count(tiling.axes, axis) > 1)
      return pathError(last, "ffmt: axis ") << axis << " is given twice";
    if (type.getDimSize(axis) < 2)
      return pathError(last, "ffmt: the path's last tensor has extent ")
             << type.getDimSize(axis) << " on axis " << axis
             << ": nothing to split (only a global sum or average pooling "
                "at the end of a path takes partial results)";
    if (tiles < 2 || tiles > type.getDimSize(axis))
      return pathError(last, "ffmt: ")
             << tiles << " tiles on axis " << axis << " of extent "
             << type.getDimSize(axis) << "; expected 2 to "
             << type.getDimSize(axis);
    ranges.push_back(balancedTileRanges(type.getDimSize(axis), tiles));
  }
  if (failed(checkFeatureMapOps(path, /*stopAt=*/nullptr)))
    return failure();
  ranges.back() =
      skewTileRanges(ranges.back(), path.primingTiles, path.stepsPerTile);

  return tileByInsertion(rewriter, path, TilingMethod::FFMT, tiling.axes,
                         ranges);
}

FailureOr<TileBlockOp> tileByInsertion(RewriterBase &rewriter, Path &path,
                                       TilingMethod method,
                                       ArrayRef<int64_t> axes,
                                       ArrayRef<SmallVector<int64_t>> ranges) {
  Operation *last = path.last;
  Value result = last->getResult(0);
  auto type = cast<RankedTensorType>(result.getType());
  Location loc = last->getLoc();
  // The result's readers now, which will read the block's result instead
  // (not the slice and sizes built from it below).
  SmallVector<OpOperand *> readers = llvm::map_to_vector(
      result.getUses(), [](OpOperand &use) { return &use; });
  rewriter.setInsertionPointAfter(last);
  // (Dynamic extents: a path inside another tile block's tile.)
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(rewriter, loc, result);
  Value init =
      tensor::EmptyOp::create(rewriter, loc, sizes, type.getElementType());
  auto block =
      TileBlockOp::create(rewriter, loc, method,
                          /*accumulate=*/false, axes, ranges, ValueRange{init});
  rewriter.setInsertionPointToStart(&block.getBodyBlock());
  SmallVector<OpFoldResult> offsets(type.getRank(), rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> strides(type.getRank(), rewriter.getIndexAttr(1));
  for (auto [a, axis] : llvm::enumerate(axes)) {
    offsets[axis] = block.getTileOffset(a);
    sizes[axis] = block.getTileSize(a);
  }
  auto slice = tensor::ExtractSliceOp::create(rewriter, loc, result, offsets,
                                              sizes, strides);
  auto insert = tensor::InsertSliceOp::create(rewriter, loc, slice,
                                              block.getRegionIterArgs()[0],
                                              offsets, sizes, strides);
  YieldOp::create(rewriter, loc, insert.getResult());
  for (OpOperand *reader : readers)
    rewriter.modifyOpInPlace(reader->getOwner(),
                             [&] { reader->set(block.getResult(0)); });
  if (failed(fuseProducers(rewriter, block, path)))
    return failure();
  eraseDeadPathOps(rewriter, path);
  return block;
}

} // namespace ft::detail
