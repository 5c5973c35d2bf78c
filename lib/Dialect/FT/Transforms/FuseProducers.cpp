//===- FuseProducers.cpp - Fusing a path's producers into a tile ---------===//
//
// Each tensor.extract_slice of a value a path op produces is replaced by
// that op computing just the slice, last producer first: through
// SplitRulesOpInterface::replaceSliceOfResult for the ops that say how
// (empty tensors, reshapes, crops, pads, concatenations), through
// upstream's TilingInterface for the others. Line buffers and shared
// windows are decided here.
//
//===----------------------------------------------------------------------===//

#include "TilingImpl.h"

#include "FusedTiling/Dialect/FT/IR/SplitRulesInterface.h"

#include "FusedTiling/Support/IndexEvaluation.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"

using namespace mlir;
using namespace ft;
using namespace ft::detail;

namespace {

/// Whether `windows` are unit-stride, full-rank slices of one value in one
/// block; sorts them in block order.
bool areMergeableWindows(SmallVector<tensor::ExtractSliceOp> &windows) {
  if (windows.empty())
    return false;
  Block *block = windows.front()->getBlock();
  auto sourceType = cast<RankedTensorType>(windows.front().getSourceType());
  for (tensor::ExtractSliceOp window : windows)
    if (window->getBlock() != block || !window.hasUnitStride() ||
        window.getResultType().getRank() != sourceType.getRank())
      return false;
  llvm::sort(windows, [](tensor::ExtractSliceOp a, tensor::ExtractSliceOp b) {
    return a->isBeforeInBlock(b);
  });
  return true;
}

/// Moves the index computations of the offsets and sizes of `windows`
/// (sorted) that are defined after the first window before it, so that
/// one op there can take them all. Fails when one has side effects or
/// regions.
LogicalResult hoistWindowIndices(RewriterBase &rewriter,
                                 ArrayRef<tensor::ExtractSliceOp> windows) {
  Operation *first = windows.front();
  Block *block = first->getBlock();
  llvm::SetVector<Operation *> toHoist;
  BackwardSliceOptions options;
  options.inclusive = false;
  options.filter = [&](Operation *op) {
    return op->getBlock() == block && first->isBeforeInBlock(op);
  };
  for (tensor::ExtractSliceOp window : windows)
    for (Value operand : window->getOperands().drop_front()) {
      Operation *def = operand.getDefiningOp();
      if (!def || !options.filter(def))
        continue;
      if (failed(getBackwardSlice(def, &toHoist, options)))
        return failure();
      toHoist.insert(def);
    }
  SmallVector<Operation *> hoisted(toHoist.begin(), toHoist.end());
  for (Operation *op : hoisted)
    if (op->getNumRegions() != 0 || !isMemoryEffectFree(op))
      return failure();
  llvm::sort(hoisted,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  for (Operation *op : hoisted)
    rewriter.moveOpBefore(op, first);
  return success();
}

/// The least offset and the greatest end on dimension `d` over `windows`.
std::pair<OpFoldResult, OpFoldResult>
coveringRange(RewriterBase &rewriter, Location loc,
              ArrayRef<tensor::ExtractSliceOp> windows, int64_t d) {
  MLIRContext *context = rewriter.getContext();
  const int64_t count = windows.size();
  SmallVector<AffineExpr> lows, ends;
  for (int64_t w = 0; w < count; ++w) {
    lows.push_back(getAffineDimExpr(w, context));
    ends.push_back(getAffineDimExpr(2 * w, context) +
                   getAffineDimExpr(2 * w + 1, context));
  }
  AffineMap lowMap = AffineMap::get(count, 0, lows, context);
  AffineMap endMap = AffineMap::get(2 * count, 0, ends, context);
  SmallVector<OpFoldResult> windowOffsets, windowBounds;
  for (tensor::ExtractSliceOp window : windows) {
    windowOffsets.push_back(window.getMixedOffsets()[d]);
    windowBounds.push_back(window.getMixedOffsets()[d]);
    windowBounds.push_back(window.getMixedSizes()[d]);
  }
  return {
      affine::makeComposedFoldedAffineMin(rewriter, loc, lowMap, windowOffsets),
      affine::makeComposedFoldedAffineMax(rewriter, loc, endMap, windowBounds)};
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
  if (ordered.size() < 2 || !areMergeableWindows(ordered) ||
      failed(hoistWindowIndices(rewriter, ordered)))
    return false;
  Operation *first = ordered.front();
  auto sourceType = cast<RankedTensorType>(ordered.front().getSourceType());

  // The covering window: per dimension, the least offset and the greatest
  // end over all windows.
  Location loc = first->getLoc();
  rewriter.setInsertionPoint(first);
  AffineExpr d0 = rewriter.getAffineDimExpr(0),
             d1 = rewriter.getAffineDimExpr(1);
  const int64_t rank = sourceType.getRank();
  SmallVector<OpFoldResult> offsets, sizes;
  for (int64_t d = 0; d < rank; ++d) {
    auto [low, end] = coveringRange(rewriter, loc, ordered, d);
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

/// The split axis (an index into the block's axes) that consecutive tiles
/// advance along: the last, as tiles are numbered row-major.
unsigned walkingAxis(TileBlockOp block) { return block.getAxes().size() - 1; }

/// `block` with one more line buffer, `init` (a new op: the body moves
/// over; the old op's results are replaced by the new op's first results).
/// The caller appends the value to yield for it.
TileBlockOp appendCache(RewriterBase &rewriter, TileBlockOp block, Value init) {
  rewriter.setInsertionPoint(block);
  SmallVector<Value> inits(block.getInits());
  inits.push_back(init);
  SmallVector<SmallVector<int64_t>> ranges;
  for (Attribute attr : block.getRanges())
    ranges.push_back(
        llvm::to_vector(cast<DenseI64ArrayAttr>(attr).asArrayRef()));
  auto grown = TileBlockOp::create(rewriter, block.getLoc(), block.getMethod(),
                                   block.getAccumulate(), block.getAxes(),
                                   ranges, inits);
  grown->setDiscardableAttrs(block->getDiscardableAttrDictionary());
  grown.setNumCaches(block.getNumCaches() + 1);
  Block &body = grown.getBodyBlock();
  rewriter.mergeBlocks(&block.getBodyBlock(), &body,
                       body.getArguments().drop_back());
  rewriter.replaceOp(block, grown.getResults().drop_back());
  return grown;
}

/// The value of `value` (a constant or an index computation) for the
/// inputs `evaluator` knows.
FailureOr<int64_t> evaluateFoldResult(IndexEvaluator &evaluator,
                                      OpFoldResult value) {
  if (std::optional<int64_t> constant = getConstantIntValue(value))
    return *constant;
  return evaluator.evaluate(cast<Value>(value));
}

/// The values `value` (a constant, or an index computation in the body)
/// takes over the tiles of `block`, or failure when one cannot be
/// evaluated.
FailureOr<SmallVector<int64_t>> evaluatePerTile(TileBlockOp block,
                                                OpFoldResult value) {
  if (std::optional<int64_t> constant = getConstantIntValue(value))
    return SmallVector<int64_t>(block.getNumTiles(), *constant);
  SmallVector<int64_t> values;
  for (int64_t t = 0; t < block.getNumTiles(); ++t) {
    llvm::DenseMap<Value, int64_t> inputs;
    block.bindTile(t, inputs);
    IndexEvaluator evaluator(std::move(inputs));
    FailureOr<int64_t> result = evaluateFoldResult(evaluator, value);
    if (failed(result))
      return failure();
    values.push_back(*result);
  }
  return values;
}

/// A line buffer's window as cacheWindows builds it: the ops that set it
/// up (an empty tensor, the kept rows read from the cache and inserted)
/// and the insertion of the new rows.
struct LineBufferWindow {
  SmallVector<Operation *, 3> setUp;
  tensor::InsertSliceOp newRows;
};

/// Lets the op that computes a window's new rows write them in place, in
/// the window, instead of into a buffer of its own copied there: when the
/// new rows are the result of a destination-style op whose destination is
/// (through fills and other destination-style ops) an empty tensor used
/// once, the window is set up just before that empty tensor, which becomes
/// the window's slice. (The lowering's eliminate-empty-tensors does it
/// again where later fusion replaced that slice by an empty tensor; here it
/// also places the window set-up just before the producer, which keeps the
/// window short-lived, and the tiled IR reads as it will run.)
void placeNewRowsInWindows(RewriterBase &rewriter,
                           ArrayRef<LineBufferWindow> windows) {
  // (Ops are handles: copies are cheap and non-const.)
  for (LineBufferWindow window : windows) {
    Value rows = window.newRows.getSource();
    auto producer = rows.getDefiningOp<DestinationStyleOpInterface>();
    if (!producer || !rows.hasOneUse() || producer->getNumResults() != 1 ||
        producer.getNumDpsInits() != 1)
      continue;
    Value init = producer.getDpsInitOperand(0)->get();
    // The empty tensor, or the slice of one that tiling made of it.
    Operation *root = nullptr;
    while (Operation *def = init.getDefiningOp()) {
      if (!def->hasOneUse())
        break;
      auto slice = dyn_cast<tensor::ExtractSliceOp>(def);
      if (isa<tensor::EmptyOp>(def) ||
          (slice && slice.getSource().getDefiningOp<tensor::EmptyOp>())) {
        root = def;
        break;
      }
      auto dps = dyn_cast<DestinationStyleOpInterface>(def);
      if (!dps || dps.getNumDpsInits() != 1 || def->getNumResults() != 1)
        break;
      init = dps.getDpsInitOperand(0)->get();
    }
    if (!root ||
        root->getResultTypes().front() != window.newRows.getSourceType())
      continue;
    for (Operation *op : window.setUp)
      rewriter.moveOpBefore(op, root);
    rewriter.setInsertionPoint(root);
    Value slice = tensor::ExtractSliceOp::create(
        rewriter, root->getLoc(), window.newRows.getSourceType(),
        window.newRows.getDest(), window.newRows.getMixedOffsets(),
        window.newRows.getMixedSizes(), window.newRows.getMixedStrides());
    rewriter.replaceOp(root, slice);
  }
}

/// Whether every slice in `block`'s body stays inside its source on every
/// tile. With line buffers a tile may compute no new row of a value (its
/// reader's window has not advanced, at the bottom border), and a producer
/// asked for no row computes its window from the empty range: upstream's
/// window of a strided op is then negative-sized when the stride exceeds
/// the kernel. Such a slice would be undefined behaviour: refused.
LogicalResult checkWindowsInBounds(TileBlockOp block) {
  WalkResult result = block.getBody().walk([&](tensor::ExtractSliceOp slice) {
    RankedTensorType sourceType = slice.getSourceType();
    for (int64_t d = 0; d < sourceType.getRank(); ++d) {
      if (sourceType.isDynamicDim(d))
        continue;
      FailureOr<SmallVector<int64_t>> offsets =
          evaluatePerTile(block, slice.getMixedOffsets()[d]);
      FailureOr<SmallVector<int64_t>> sizes =
          evaluatePerTile(block, slice.getMixedSizes()[d]);
      if (failed(offsets) || failed(sizes))
        continue;
      for (auto [t, offset, size] : llvm::enumerate(*offsets, *sizes)) {
        if (offset >= 0 && size >= 0 &&
            offset + size <= sourceType.getDimSize(d))
          continue;
        pathError(slice, "windows=cache: tile ")
            << t << " would read [" << offset << ", " << offset + size
            << ") of dimension " << d << " (extent " << sourceType.getDimSize(d)
            << "); use windows=share or recompute for this path";
        return WalkResult::interrupt();
      }
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

/// The values computed from `window` alone: the chain of single-result
/// ops that each read the previous value as their only use (a requantizing
/// op, the pad, the convolution reading the window). When one of them is
/// empty in a tile, the window's rows serve nothing there.
SmallVector<Value> readersOnlyOf(tensor::ExtractSliceOp window) {
  SmallVector<Value> chain;
  Value value = window.getResult();
  while (value.hasOneUse()) {
    Operation *user = value.use_begin()->getOwner();
    if (user->getNumResults() != 1 ||
        !isa<ShapedType>(user->getResult(0).getType()))
      break;
    value = user->getResult(0);
    chain.push_back(value);
  }
  return chain;
}

/// Along `dim`, the rows [low, end) that each tile of `block` reads of the
/// value of `windows`, counting only the windows whose readers compute
/// something in that tile. A reader with an empty tile (a priming tile's
/// last layers) still reads its kernel's extent minus its stride, where its
/// empty tile sits: needing those rows would make every layer compute its
/// first rows in the first tile, the bulge a skewed schedule removes. Such
/// reads are clamped into the window instead (see cacheWindows). A tile
/// in which no reader computes takes the low end of the band's next tile
/// that does (its rows stay kept for that tile), or `extent` after the
/// band's last such tile (nothing is kept), and needs no row (its end is
/// INT64_MIN).
LogicalResult rowsReadBusy(TileBlockOp block,
                           ArrayRef<tensor::ExtractSliceOp> windows,
                           int64_t dim, int64_t extent, int64_t band,
                           SmallVectorImpl<int64_t> &lows,
                           SmallVectorImpl<int64_t> &ends) {
  const int64_t numTiles = block.getNumTiles();
  lows.assign(numTiles, INT64_MAX);
  ends.assign(numTiles, INT64_MIN);
  SmallVector<SmallVector<Value>> readers = llvm::map_to_vector(
      windows, [](tensor::ExtractSliceOp w) { return readersOnlyOf(w); });
  for (int64_t t = 0; t < numTiles; ++t) {
    llvm::DenseMap<Value, int64_t> inputs;
    block.bindTile(t, inputs);
    IndexEvaluator evaluator(std::move(inputs));
    // Whether a value computed from the window alone is empty in this tile
    // (a value whose extents do not evaluate, such as a pad's, tells
    // nothing).
    auto isEmpty = [&](Value value) {
      auto type = cast<ShapedType>(value.getType());
      return llvm::any_of(
          llvm::seq<int64_t>(0, type.getRank()), [&](int64_t d) {
            if (!type.isDynamicDim(d))
              return false;
            FailureOr<int64_t> extent = evaluator.evaluateDimSize(value, d);
            return succeeded(extent) && *extent == 0;
          });
    };
    for (auto [slice, chain] : llvm::zip(windows, readers)) {
      tensor::ExtractSliceOp window = slice;
      FailureOr<int64_t> offset =
          evaluateFoldResult(evaluator, window.getMixedOffsets()[dim]);
      FailureOr<int64_t> size =
          evaluateFoldResult(evaluator, window.getMixedSizes()[dim]);
      if (failed(offset) || failed(size))
        return failure();
      if (llvm::any_of(chain, isEmpty))
        continue;
      lows[t] = std::min(lows[t], *offset);
      ends[t] = std::max(ends[t], *offset + *size);
    }
  }
  for (int64_t bandStart = 0; bandStart < numTiles; bandStart += band) {
    int64_t nextLow = extent;
    for (int64_t t = bandStart + band - 1; t >= bandStart; --t) {
      if (lows[t] == INT64_MAX)
        lows[t] = nextLow;
      nextLow = lows[t];
    }
    if (lows[bandStart] == extent)
      return failure();
  }
  return success();
}

/// Whether a tile reads rows an earlier tile of its band read, of the rows
/// [lows, ends) each tile reads (ends INT64_MIN: none).
bool readsAgain(ArrayRef<int64_t> lows, ArrayRef<int64_t> ends, int64_t band) {
  int64_t readEnd = INT64_MIN;
  for (size_t t = 0; t < lows.size(); ++t) {
    if (t % band == 0)
      readEnd = INT64_MIN;
    if (ends[t] == INT64_MIN)
      continue;
    if (lows[t] < readEnd)
      return true;
    readEnd = std::max(readEnd, ends[t]);
  }
  return false;
}

/// A skewed schedule over `ends`, the rows each tile needs of a value (or
/// INT64_MIN: none), where only the band's tiles `outputTiles` (indices in
/// the band) compute output: each tile computes at least what any later
/// tile needs minus the rows the tiles between may compute at the value's
/// rate (the most rows it advances from one output tile to the next, over
/// the tiles between them, as a fraction: two rows per output row above a
/// stride-2 layer, a K-th of that with K tiles per output tile), rounded
/// so that each tile computes as late as the rate allows. The rows a tile
/// needs at once (the first output tile's, of every layer) are so spread
/// over the tiles before it, evenly: a layer that needs one row every
/// other tile computes one every other tile, never one per tile ahead of
/// its reader (the rows run ahead would stay in its line buffer).
LogicalResult skewRows(SmallVectorImpl<int64_t> &ends, int64_t band,
                       ArrayRef<int64_t> outputTiles) {
  for (int64_t bandStart = 0; bandStart < static_cast<int64_t>(ends.size());
       bandStart += band) {
    int64_t last = bandStart + band - 1;
    while (last > bandStart && ends[last] == INT64_MIN)
      --last;
    if (ends[last] == INT64_MIN)
      return failure();
    // The rate as rows / tiles, the largest such fraction, from the most
    // rows needed up to each output tile (a reader that runs ahead needs
    // them before it).
    int64_t rows = 0, tiles = 1, tile = bandStart, upTo = INT64_MIN;
    std::optional<std::pair<int64_t, int64_t>> previous;
    for (int64_t output : outputTiles) {
      for (; tile <= bandStart + output; ++tile)
        upTo = std::max(upTo, ends[tile]);
      if (upTo == INT64_MIN)
        continue;
      if (previous && (upTo - previous->second) * tiles >
                          rows * (output - previous->first)) {
        rows = upTo - previous->second;
        tiles = output - previous->first;
      }
      previous = {output, upTo};
    }
    if (rows <= 0)
      continue;
    // Backwards, the most any later tile's need asks of this tile: its need
    // minus the rows the tiles between may compute at the rate (rounded
    // up, so that a row is computed in the tile that needs it).
    SmallVector<int64_t> needs(ends.begin() + bandStart,
                               ends.begin() + last + 1);
    for (int64_t t = last - 1; t >= bandStart; --t)
      for (int64_t later = t + 1; later <= last; ++later)
        if (needs[later - bandStart] != INT64_MIN)
          ends[t] = std::max(
              ends[t], needs[later - bandStart] -
                           llvm::divideCeilSigned((later - t) * rows, tiles));
  }
  return success();
}

/// Line buffers (WindowMode::Cache). The windows that a tile reads of a
/// value advance with the tiles; the rows that a tile reads and an earlier
/// tile computed are kept in a cache the tile block carries, so that every
/// row of the value is computed once. In each tile, with [low, end) the
/// rows the windows cover and `start` the first row no earlier tile
/// computed (low in a band's first tile):
///
///   window = the cache's last (start - low) rows
///            ++ the value's rows [start, end), computed by its producer
///   each reader's window = its rows of `window`
///   cache  = the window's last rows (at most C), for the next tile
///
/// low, start and end are evaluated for every tile (the earlier tiles'
/// ends give start) and looked up in constant tables; C is the most rows
/// any tile keeps. Returns false, changing nothing that matters, when no
/// tile keeps a row or the windows do not advance along one dimension
/// only.
FailureOr<bool>
cacheWindows(RewriterBase &rewriter, TileBlockOp &block,
             SmallVector<tensor::ExtractSliceOp> windows,
             SmallVectorImpl<LineBufferWindow> &windowsMadeInPlace) {
  if (!areMergeableWindows(windows))
    return false;
  Value source = windows.front().getSource();
  auto type = cast<RankedTensorType>(source.getType());
  if (!type.hasStaticShape())
    return false;
  if (failed(hoistWindowIndices(rewriter, windows)))
    return false;
  Operation *first = windows.front();
  Location loc = first->getLoc();
  rewriter.setInsertionPoint(first);
  // Per dimension, the range [low, end) the windows cover, on every tile.
  // One dimension advances along the walking axis (it differs between
  // tiles of one band): the cached one. On the others the range is the
  // same on every tile of a band (a grid's rows while the tiles walk its
  // columns; all tiles of one axis): the window, the new rows and the
  // cache take that range.
  const int64_t rank = type.getRank();
  const unsigned walkingIndex = walkingAxis(block);
  const int64_t band = block.getNumTilesOnAxis(walkingIndex);
  SmallVector<OpFoldResult> lows, ends, extents;
  SmallVector<int64_t> maxExtents, walkingLows, walkingEnds;
  std::optional<int64_t> walking;
  AffineExpr d0 = rewriter.getAffineDimExpr(0),
             d1 = rewriter.getAffineDimExpr(1);
  for (int64_t d = 0; d < rank; ++d) {
    auto [low, end] = coveringRange(rewriter, loc, windows, d);
    OpFoldResult extent = affine::makeComposedFoldedAffineApply(
        rewriter, loc, d0 - d1, {end, low});
    lows.push_back(low);
    ends.push_back(end);
    extents.push_back(extent);
    FailureOr<SmallVector<int64_t>> lowPerTile = evaluatePerTile(block, low),
                                    endPerTile = evaluatePerTile(block, end);
    if (failed(lowPerTile) || failed(endPerTile))
      return false;
    bool advances = false;
    int64_t maxExtent = 0;
    for (size_t t = 0; t < lowPerTile->size(); ++t) {
      maxExtent = std::max(maxExtent, (*endPerTile)[t] - (*lowPerTile)[t]);
      const size_t bandStart = t - t % band;
      advances |= (*lowPerTile)[t] != (*lowPerTile)[bandStart] ||
                  (*endPerTile)[t] != (*endPerTile)[bandStart];
    }
    maxExtents.push_back(maxExtent);
    if (!advances)
      continue;
    if (walking)
      return false;
    walking = d;
    walkingLows = *lowPerTile;
    walkingEnds = *endPerTile;
  }
  if (!walking)
    return false;
  const int64_t dim = *walking;

  // A skewed schedule: the walking axis has tiles that compute no output.
  SmallVector<int64_t> outputTiles;
  for (int64_t t = 0; t < band; ++t)
    if (auto [begin, end] = block.getTileRange(walkingIndex, t); begin != end)
      outputTiles.push_back(t);
  const bool skewed = static_cast<int64_t>(outputTiles.size()) != band;
  if (skewed && (failed(rowsReadBusy(block, windows, dim, type.getDimSize(dim),
                                     band, walkingLows, walkingEnds)) ||
                 (isReshape(source.getDefiningOp()) &&
                  !readsAgain(walkingLows, walkingEnds, band)) ||
                 failed(skewRows(walkingEnds, band, outputTiles))))
    return false;

  // Each tile's first new row: its window's low end in a band's first tile,
  // then the end of what the earlier tiles of the band computed. The rows
  // in between are kept; the cache holds the most any tile keeps.
  SmallVector<int64_t> walkingStarts;
  int64_t rows = 0, computedEnd = 0;
  for (size_t t = 0; t < walkingLows.size(); ++t) {
    if (t % band == 0)
      computedEnd = walkingLows[t];
    const int64_t start = std::max(walkingLows[t], computedEnd);
    // (A skewed tile may need no new row: it computes none.)
    if (skewed)
      walkingEnds[t] = std::max(walkingEnds[t], start);
    if (walkingEnds[t] < start)
      return false;
    walkingStarts.push_back(start);
    rows = std::max(rows, start - walkingLows[t]);
    computedEnd = walkingEnds[t];
  }
  if (rows <= 0)
    return false;

  // The window's rows as constant tables of the tile's index along the
  // walking axis (the same in every band of a grid): exact, and opaque to
  // the analyses that compare slices (one-shot bufferization's
  // value-bounds comparisons, whose cost grows with every index
  // computation a slice depends on, through every earlier cache).
  SmallVector<int64_t> lowTable(band, 0), startTable(band, 0),
      endTable(band, 0);
  for (size_t t = 0; t < walkingLows.size(); ++t) {
    const int64_t key = t % band;
    if (static_cast<int64_t>(t) >= band &&
        (lowTable[key] != walkingLows[t] ||
         startTable[key] != walkingStarts[t] ||
         endTable[key] != walkingEnds[t]))
      return false;
    lowTable[key] = walkingLows[t];
    startTable[key] = walkingStarts[t];
    endTable[key] = walkingEnds[t];
  }
  Value key = block.getOrCreateTileIndex(rewriter, walkingIndex);
  auto lookUp = [&](ArrayRef<int64_t> table) -> Value {
    auto tableType = RankedTensorType::get({band}, rewriter.getIndexType());
    Value constant = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(tableType, table));
    return tensor::ExtractOp::create(rewriter, loc, constant, key);
  };
  Value low = lookUp(lowTable);
  Value start = lookUp(startTable);
  Value end = lookUp(endTable);
  lows[dim] = low;
  Value kept =
      affine::AffineApplyOp::create(rewriter, loc, d0 - d1, {start, low});

  // The cache, carried across the tiles: before the first tile (of each
  // band) it holds nothing the tiles read. A buffer of its own (an empty
  // tensor would be one value for every cache of that shape, after CSE:
  // one buffer).
  rewriter.setInsertionPoint(block);
  SmallVector<int64_t> cacheShape(maxExtents);
  cacheShape[dim] = rows;
  // Named for the memory report: the layer whose rows it keeps.
  std::string name = "line buffer";
  if (Operation *producer = source.getDefiningOp())
    if (SmallVector<LayerAttr> layers = getLayers(producer); !layers.empty())
      name += " of " + layers.front().getName().str();
  Value init = bufferization::AllocTensorOp::create(
      rewriter, NameLoc::get(rewriter.getStringAttr(name), block.getLoc()),
      RankedTensorType::get(cacheShape, type.getElementType()),
      /*dynamicSizes=*/ValueRange{});
  block = appendCache(rewriter, block, init);
  Value cache = block.getRegionIterArgs().back();

  rewriter.setInsertionPoint(first);
  SmallVector<OpFoldResult> unitStrides(rank, rewriter.getIndexAttr(1));
  // Offsets and sizes of `rowCount` rows at `rowOffset` along the walking
  // dimension and the covered range on the others: of the value itself
  // (`inValue`), or of the window and the cache, which start at the
  // range's low end.
  auto rowsAt = [&](OpFoldResult rowOffset, OpFoldResult rowCount,
                    bool inValue = false) {
    SmallVector<OpFoldResult> o, s(extents);
    for (int64_t d = 0; d < rank; ++d)
      o.push_back(inValue ? lows[d] : rewriter.getIndexAttr(0));
    o[dim] = rowOffset;
    s[dim] = rowCount;
    return std::make_pair(o, s);
  };
  // The new rows first, so that their producers' buffers are gone before
  // the window exists; then the window, [low, end): the kept rows, at the
  // end of the cache, and the new rows. The next tile's cache is copied
  // from it at once (its last rows, at most C), so that the window lives
  // only until its last reader.
  // Index computations first: the ops that set the window up are moved
  // later (see placeNewRowsInWindows) and must not carry any.
  OpFoldResult fresh = affine::makeComposedFoldedAffineApply(
      rewriter, loc, d0 - d1, {end, start});
  OpFoldResult windowRows =
      affine::makeComposedFoldedAffineApply(rewriter, loc, d0 - d1, {end, low});
  OpFoldResult keptOffset =
      affine::makeComposedFoldedAffineApply(rewriter, loc, rows - d0, {kept});
  AffineMap minMap = AffineMap::get(
      1, 0, {d0, getAffineConstantExpr(rows, rewriter.getContext())},
      rewriter.getContext());
  OpFoldResult keep =
      affine::makeComposedFoldedAffineMin(rewriter, loc, minMap, windowRows);
  OpFoldResult lastOffset = affine::makeComposedFoldedAffineApply(
      rewriter, loc, d0 - d1, {windowRows, keep});
  OpFoldResult nextOffset =
      affine::makeComposedFoldedAffineApply(rewriter, loc, rows - d0, {keep});

  auto [newOffsets, newSizes] = rowsAt(start, fresh, /*inValue=*/true);
  Value newRows = tensor::ExtractSliceOp::create(
      rewriter, loc, source, newOffsets, newSizes, unitStrides);
  LineBufferWindow record;
  auto [allOffsets, windowSizes] = rowsAt(rewriter.getIndexAttr(0), windowRows);
  auto empty = tensor::EmptyOp::create(rewriter, loc, windowSizes,
                                       type.getElementType());
  auto [keptOffsets, keptSizes] = rowsAt(keptOffset, kept);
  auto keptRows = tensor::ExtractSliceOp::create(
      rewriter, loc, cache, keptOffsets, keptSizes, unitStrides);
  auto [windowKeptOffsets, windowKeptSizes] =
      rowsAt(rewriter.getIndexAttr(0), kept);
  auto keptInsert = tensor::InsertSliceOp::create(rewriter, loc, keptRows,
                                                  empty, windowKeptOffsets,
                                                  windowKeptSizes, unitStrides);
  record.setUp = {empty, keptRows, keptInsert};
  auto [placedOffsets, placedSizes] = rowsAt(kept, fresh);
  record.newRows =
      tensor::InsertSliceOp::create(rewriter, loc, newRows, keptInsert,
                                    placedOffsets, placedSizes, unitStrides);
  Value window = record.newRows.getResult();
  windowsMadeInPlace.push_back(record);
  auto [lastOffsets, lastSizes] = rowsAt(lastOffset, keep);
  Value lastRows = tensor::ExtractSliceOp::create(
      rewriter, loc, window, lastOffsets, lastSizes, unitStrides);
  auto [nextOffsets, nextSizes] = rowsAt(nextOffset, keep);
  Value next = tensor::InsertSliceOp::create(
      rewriter, loc, lastRows, cache, nextOffsets, nextSizes, unitStrides);
  for (tensor::ExtractSliceOp reader : windows) {
    rewriter.setInsertionPoint(reader);
    Location readerLoc = reader.getLoc();
    SmallVector<OpFoldResult> readerOffsets = reader.getMixedOffsets();
    SmallVector<OpFoldResult> readerSizes = reader.getMixedSizes();
    for (int64_t d = 0; d < rank; ++d)
      readerOffsets[d] = affine::makeComposedFoldedAffineApply(
          rewriter, readerLoc, d0 - d1, {readerOffsets[d], lows[d]});
    // Skewed: a reader with an empty tile reads where its tile sits, which
    // the window need not hold (rowsReadBusy): its rows are clamped into
    // the window (for every other reader, they are inside already).
    if (skewed && reader.getResultType().isDynamicDim(dim)) {
      MLIRContext *context = rewriter.getContext();
      AffineExpr d2 = rewriter.getAffineDimExpr(2);
      readerOffsets[dim] = affine::makeComposedFoldedAffineMin(
          rewriter, readerLoc, AffineMap::get(2, 0, {d0, d1}, context),
          {affine::makeComposedFoldedAffineMax(
               rewriter, readerLoc,
               AffineMap::get(1, 0, {d0, getAffineConstantExpr(0, context)},
                              context),
               {readerOffsets[dim]}),
           windowRows});
      readerSizes[dim] = affine::makeComposedFoldedAffineMin(
          rewriter, readerLoc, AffineMap::get(3, 0, {d0, d1 - d2}, context),
          {readerSizes[dim], windowRows, readerOffsets[dim]});
    }
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        reader, reader.getResultType(), window, readerOffsets, readerSizes,
        unitStrides);
  }
  auto yield = cast<YieldOp>(block.getBodyBlock().getTerminator());
  rewriter.modifyOpInPlace(yield,
                           [&] { yield.getValuesMutable().append(next); });
  return true;
}

} // namespace

namespace ft::detail {

/// Replaces, inside `region`, every tensor.extract_slice of a value that a
/// path op produces by the producer computing only that slice, until only
/// slices of values from outside the path remain. The path's last producer
/// goes first, so that all windows of a value exist when it is computed.
LogicalResult fuseProducers(RewriterBase &rewriter, TileBlockOp &block,
                            const Path &path) {
  // Values whose windows were considered for a cache; the windows built.
  llvm::DenseSet<Value> cacheConsidered;
  SmallVector<LineBufferWindow> windowsMadeInPlace;
  while (true) {
    // Adding a cache replaces the block: its region is looked up anew.
    Region &region = block.getBody();
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
    if (!slice) {
      if (path.windows != WindowMode::Cache)
        return success();
      placeNewRowsInWindows(rewriter, windowsMadeInPlace);
      return checkWindowsInBounds(block);
    }
    auto windowsOfSource = [&] {
      SmallVector<tensor::ExtractSliceOp> windows;
      region.walk([&](tensor::ExtractSliceOp candidate) {
        if (candidate.getSource() == slice.getSource())
          windows.push_back(candidate);
      });
      return windows;
    };
    // A pad is not cached but its source: the pad then stays on its
    // reader's window, where the lowering folds it into the reader instead
    // of materialising padded rows.
    if (path.windows == WindowMode::Cache &&
        !isa<tensor::EmptyOp, tensor::PadOp>(producer) &&
        !isPrivateProducer(producer) &&
        cacheConsidered.insert(slice.getSource()).second) {
      FailureOr<bool> cached =
          cacheWindows(rewriter, block, windowsOfSource(), windowsMadeInPlace);
      if (failed(cached))
        return failure();
      if (*cached)
        continue;
    }
    if (path.windows != WindowMode::Recompute &&
        isa<TilingInterface>(producer) && !isa<tensor::EmptyOp>(producer) &&
        mergeWindows(rewriter, windowsOfSource()))
      continue;
    rewriter.setInsertionPoint(slice);
    // Empty tensors, reshapes, crops, pads and concatenations say how they
    // compute a slice of themselves; the other ops are tiled through
    // TilingInterface.
    if (auto rules = dyn_cast<SplitRulesOpInterface>(producer)) {
      std::string why;
      if (succeeded(rules.replaceSliceOfResult(rewriter, slice,
                                               path.channelGranularity, why)))
        continue;
      if (!why.empty())
        return pathError(producer, why);
    }
    if (!isa<TilingInterface>(producer))
      return pathError(producer, "cannot tile through this op: it does not "
                                 "implement TilingInterface");
    FailureOr<TilingResult> tiled =
        tensor::replaceExtractSliceWithTiledProducer(
            rewriter, slice, cast<OpResult>(slice.getSource()));
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
