//===- FDT.cpp - Fused depthwise tiling ----------------------------------===//
//
// Channel tiles: the consumer of the split channels accumulates partial
// sums (ft.partial_sum) and an ft.merge finishes once.
//
//===----------------------------------------------------------------------===//

#include "TilingImpl.h"

using namespace mlir;
using namespace ft;
using namespace ft::detail;

namespace {

/// After the op that produces the partial sums, only elementwise ops and
/// reshapes may follow: the merge runs them once, on the full sum.
LogicalResult checkOpsAfterConsumer(const Path &path, Operation *consumer,
                                    StringRef method) {
  bool afterConsumer = false;
  for (Operation *op : path.ops) {
    if (op == consumer) {
      afterConsumer = true;
      continue;
    }
    if (!afterConsumer)
      continue;
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (isPrivateProducer(op) ||
        isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(op) ||
        (linalgOp && linalgOp.getNumParallelLoops() == linalgOp.getNumLoops()))
      continue;
    InFlightDiagnostic diag =
        pathError(op, method + ": only elementwise ops may follow the layer "
                               "that sums over the split axis (the merge runs "
                               "them once, on the full sum)");
    if (isa<tensor::PadOp>(op))
      diag << "; a pad is not linear: padding every partial sum would add "
              "its padding value once per tile";
    return diag;
  }
  return success();
}

/// Balanced ranges of `tiles` tiles over `units` groups of `granularity`
/// channels (whole depthwise channel groups, or a flatten's rows), in
/// channels.
SmallVector<int64_t> rangesInGroups(int64_t units, int64_t tiles,
                                    int64_t granularity) {
  SmallVector<int64_t> ranges = balancedTileRanges(units, tiles);
  for (int64_t &bound : ranges)
    bound *= granularity;
  return ranges;
}

/// From the first layer's result on, every op keeps channels apart (the
/// first layer's own reshapes included: they shape its result), up to
/// `stopAt` (all when null); multiplies the path's channel granularity by
/// the multipliers of the depthwise layers passed.
LogicalResult checkChannelsStayApart(Path &path, Operation *stopAt) {
  for (Operation *op : path.ops) {
    if (op == stopAt)
      break;
    if (path.firstLayer.contains(op) &&
        !isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(op))
      continue;
    if (std::string why = mixesChannels(op, path); !why.empty())
      return pathError(op, "fdt cannot pass the channel split through this "
                           "op: ")
             << why;
    if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op))
      if (std::optional<int64_t> multiplier = depthwiseMultiplier(collapse))
        path.channelGranularity *= *multiplier;
  }
  return success();
}

/// A path in which no layer after the first sums over the split channels
/// (it ends at a depthwise convolution, a pooling, an activation): every
/// tile computes its channel slice of the last result and inserts it; the
/// slices are concatenated, no partial sums, no merge.
FailureOr<TileBlockOp> tileChannelsByInsertion(RewriterBase &rewriter,
                                               Path &path, int64_t tiles) {
  Operation *last = path.last;
  if (last->getNumResults() != 1)
    return pathError(last, "fdt: the path's last op must have one result");
  auto type = dyn_cast<RankedTensorType>(last->getResult(0).getType());
  if (!type || type.getRank() < 2)
    return pathError(last, "fdt: the path's last tensor must have a channel "
                           "axis");
  if (failed(checkChannelsStayApart(path, /*stopAt=*/nullptr)))
    return failure();
  // A depthwise convolution's NHWCM result (before its reshape into NHWC):
  // the tiles split C.
  const int64_t axis = type.getRank() == 5 ? 3 : type.getRank() - 1;
  if (type.isDynamicDim(axis))
    return pathError(last, "fdt: the split axis needs a static extent");
  const int64_t extent = type.getDimSize(axis);
  const int64_t granularity = path.channelGranularity;
  if (extent % granularity != 0 || tiles < 2 || tiles > extent / granularity)
    return pathError(last, "fdt: ")
           << tiles << " channel tiles of " << extent << " channels"
           << (granularity > 1 ? " in groups of " + std::to_string(granularity)
                               : std::string())
           << "; expected 2 to " << extent / granularity;
  return tileByInsertion(
      rewriter, path, TilingMethod::FDT, {axis},
      {rangesInGroups(extent / granularity, tiles, granularity)});
}

} // namespace

namespace ft::detail {

/// Builds the tile block whose tiles split reduction loop `reductionLoop`
/// of `consumer` (dimension `splitDim` of its input `split`): each tile
/// computes the producers' slice and the consumer's partial result from
/// zero, ft.partial_sum accumulates them, and an ft.merge adds the
/// consumer's initial value (its bias; floats start the accumulator from
/// it instead) and runs the path's ops after the consumer once.
FailureOr<TileBlockOp> tileIntoPartialSums(RewriterBase &rewriter, Path &path,
                                           linalg::LinalgOp consumer,
                                           OpOperand *split,
                                           unsigned reductionLoop,
                                           int64_t splitDim,
                                           TilingMethod method, int64_t tiles) {
  StringRef methodName = stringifyTilingMethod(method);
  if (consumer->getNumResults() != 1 || consumer.getNumDpsInits() != 1)
    return pathError(consumer, methodName + ": the op that sums the split "
                                            "axis must have one result");
  auto splitType = dyn_cast<RankedTensorType>(split->get().getType());
  auto accType = dyn_cast<RankedTensorType>(consumer->getResult(0).getType());
  // Spatial extents may vary (FDT inside an FFMT tile, whose windows
  // differ at the borders); the split axis must not.
  if (!splitType || !accType || splitType.isDynamicDim(splitDim))
    return pathError(consumer, methodName + ": the split axis needs a static "
                                            "extent");
  Type accElement = accType.getElementType();
  if (!accElement.isSignlessInteger(32) && !accElement.isF32())
    return pathError(consumer, methodName + ": partial sums need an i32 or "
                                            "f32 accumulator, not ")
           << accElement;
  const int64_t extent = splitType.getDimSize(splitDim);
  const int64_t granularity = path.channelGranularity;
  const int64_t units = extent / granularity;
  if (tiles < 2 || tiles > units) {
    InFlightDiagnostic diag = pathError(consumer, methodName + ": ")
                              << tiles << " tiles of an axis of " << extent;
    if (granularity > 1)
      diag << " in groups of " << granularity
           << " (the depthwise channel multipliers)";
    diag << "; expected 2 to " << units;
    return diag;
  }
  if (failed(checkOpsAfterConsumer(path, consumer, methodName)))
    return failure();

  Location loc = consumer->getLoc();
  auto tileable = cast<TilingInterface>(consumer.getOperation());
  rewriter.setInsertionPoint(consumer);
  SmallVector<Range> domain = tileable.getIterationDomain(rewriter);
  TypedAttr zeroAttr = rewriter.getZeroAttr(accElement);
  Value initial = consumer.getDpsInitOperand(0)->get();
  // An accumulator-shaped empty tensor (its dynamic sizes: the initial
  // value's).
  auto emptyAccumulator = [&](Location at) -> Value {
    return tensor::EmptyOp::create(
        rewriter, at, tensor::getMixedSizes(rewriter, at, initial), accElement);
  };
  auto zeroFill = [&](Location at) {
    Value zero = arith::ConstantOp::create(rewriter, at, zeroAttr);
    Value empty = emptyAccumulator(at);
    return linalg::FillOp::create(rewriter, at, zero, empty).getResult(0);
  };
  // Floats: the accumulator starts from the consumer's initial value (its
  // bias), as the untiled op does, so that a consumer summing only the split
  // channels (a fully connected layer, a 1x1 convolution) adds its terms in
  // the untiled order, tile after tile: bit for bit the same result.
  // Integers add the bias in the merge (exact either way).
  const bool startFromBias = isa<FloatType>(accElement) &&
                             !isZeroFilled(initial) &&
                             initial.getType() == accType;
  Value accumulator = startFromBias ? initial : zeroFill(loc);
  SmallVector<SmallVector<int64_t>> ranges{
      rangesInGroups(units, tiles, granularity)};
  if (method == TilingMethod::FFMT)
    ranges.back() =
        skewTileRanges(ranges.back(), path.primingTiles, path.stepsPerTile);
  auto block = TileBlockOp::create(rewriter, loc, method,
                                   /*accumulate=*/method == TilingMethod::FFMT,
                                   {splitDim}, ranges, ValueRange{accumulator});
  rewriter.setInsertionPointToStart(&block.getBodyBlock());
  SmallVector<OpFoldResult> offsets, sizes;
  for (const Range &range : domain) {
    offsets.push_back(range.offset);
    sizes.push_back(range.size);
  }
  offsets[reductionLoop] = block.getTileOffset(0);
  sizes[reductionLoop] = block.getTileSize(0);
  // The tile's partial result starts from zero, not from the bias: the
  // bias is added once, by the merge.
  Value partialInit = zeroFill(loc);
  FailureOr<TilingResult> partial =
      tileable.getTiledImplementation(rewriter, offsets, sizes);
  if (failed(partial) || partial->tiledOps.size() != 1)
    return pathError(consumer, methodName + ": could not tile the loop that "
                                            "sums the split axis");
  auto tiledConsumer = cast<linalg::LinalgOp>(partial->tiledOps.front());
  OpOperand *tiledInit = tiledConsumer.getDpsInitOperand(0);
  Operation *oldInitSlice = tiledInit->get().getDefiningOp();
  rewriter.modifyOpInPlace(tiledConsumer, [&] { tiledInit->set(partialInit); });
  if (oldInitSlice && oldInitSlice->use_empty())
    rewriter.eraseOp(oldInitSlice);
  Value partialValue = tiledConsumer->getResult(0);
  if (partialValue.getType() != accType)
    partialValue = tensor::CastOp::create(rewriter, loc, accType, partialValue);
  Value sum = PartialSumOp::create(rewriter, loc, partialValue,
                                   block.getRegionIterArgs()[0])
                  .getResult()
                  .front();
  YieldOp::create(rewriter, loc, sum);
  if (failed(fuseProducers(rewriter, block, path)))
    return failure();

  // The merge: the consumer's initial value (its bias) and every path op
  // after the consumer, once, on the accumulated sum.
  Operation *last = path.last;
  rewriter.setInsertionPointAfter(last);
  auto merge = MergeOp::create(rewriter, last->getLoc(), last->getResultTypes(),
                               block.getResults().take_front(1));
  Block *mergeBody =
      rewriter.createBlock(&merge.getBody(), {}, {accType}, {loc});
  rewriter.setInsertionPointToStart(mergeBody);
  Value finished = mergeBody->getArgument(0);
  if (!isZeroFilled(initial) && !startFromBias) {
    Value empty = emptyAccumulator(loc);
    AffineMap id = rewriter.getMultiDimIdentityMap(accType.getRank());
    finished =
        linalg::GenericOp::create(
            rewriter, loc, accType, ValueRange{finished, initial},
            ValueRange{empty}, SmallVector<AffineMap>(3, id),
            SmallVector<utils::IteratorType>(accType.getRank(),
                                             utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value add = isa<FloatType>(accElement)
                              ? arith::AddFOp::create(b, l, args[0], args[1])
                                    .getResult()
                              : arith::AddIOp::create(b, l, args[0], args[1])
                                    .getResult();
              linalg::YieldOp::create(b, l, add);
            })
            .getResult(0);
  }
  IRMapping mapping;
  mapping.map(consumer->getResult(0), finished);
  bool inMerge = false;
  for (Operation *op : path.ops) {
    if (op == consumer.getOperation()) {
      inMerge = true;
      continue;
    }
    if (inMerge)
      rewriter.clone(*op, mapping);
  }
  YieldOp::create(rewriter, loc,
                  llvm::map_to_vector(last->getResults(), [&](Value v) {
                    return mapping.lookup(v);
                  }));
  rewriter.replaceAllUsesWith(last->getResults(), merge.getResults());
  eraseDeadPathOps(rewriter, path);
  return block;
}

FailureOr<TileBlockOp> tileChannels(RewriterBase &rewriter, Path &path,
                                    const TilingOptions &tiling) {
  if (tiling.tiles.size() != 1)
    return pathError(path.last, "fdt: give one tile count, got ")
           << tiling.tiles.size();
  // The consumer: the last op that reduces over the channels of the tensor
  // it reads from the path.
  linalg::LinalgOp consumer;
  OpOperand *split = nullptr;
  for (Operation *op : llvm::reverse(path.ops)) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp || path.firstLayer.contains(op))
      continue;
    OpOperand *input = pathInput(linalgOp, path);
    std::optional<unsigned> loop =
        input ? channelLoop(linalgOp, input) : std::nullopt;
    if (loop && linalgOp.getIteratorTypesArray()[*loop] ==
                    utils::IteratorType::reduction) {
      consumer = linalgOp;
      split = input;
      break;
    }
  }
  if (!consumer)
    return tileChannelsByInsertion(rewriter, path, tiling.tiles.front());
  if (!isAdditiveReduction(consumer))
    return pathError(consumer, "fdt: this op reduces over the split channels "
                               "by something other than a sum, which partial "
                               "sums cannot split");

  // From the first layer's result to the consumer, channels stay apart.
  if (failed(checkChannelsStayApart(path, consumer)))
    return failure();
  const int64_t rank = cast<ShapedType>(split->get().getType()).getRank();
  return tileIntoPartialSums(rewriter, path, consumer, split,
                             *channelLoop(consumer, split), rank - 1,
                             TilingMethod::FDT, tiling.tiles.front());
}

} // namespace ft::detail
