//===- TilePath.cpp - FFMT and FDT of one fused path ----------------------===//
//
// Both transforms build an ft.tile_block whose body computes one tile of
// the path's last tensor (FFMT) or of the tensor the path no longer
// materialises (FDT), and then fuse the path's producers into the body
// through upstream's TilingInterface: each tensor.extract_slice of a value
// a path op produces is replaced by that op computing just the slice. Halos
// (FFMT) and channel slices (FDT) therefore follow from each op's indexing
// maps, kernel, stride, dilation and padding included, rather than from a
// hand-written formula per op kind.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Dialect/FT/Transforms/Passes.h"
#include "FusedTiling/Dialect/FT/Transforms/Tiling.h"
#include "FusedTiling/Dialect/FT/IR/Layers.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Tensor/IR/TensorTilingInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"

namespace ft {
#define GEN_PASS_DEF_FTTILEPATH
#include "FusedTiling/Dialect/FT/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;
using namespace ft;

SmallVector<int64_t> ft::balancedTileRanges(int64_t extent, int64_t tiles) {
  SmallVector<int64_t> ranges;
  const int64_t base = extent / tiles, longer = extent % tiles;
  int64_t begin = 0;
  for (int64_t t = 0; t < tiles; ++t) {
    const int64_t end = begin + base + (t < longer ? 1 : 0);
    ranges.append({begin, end});
    begin = end;
  }
  return ranges;
}

std::optional<PathTiling> ft::parsePathTiling(StringRef spec,
                                              std::string &error) {
  SmallVector<StringRef> words;
  spec.split(words, ' ', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  PathTiling tiling;
  if (words.empty() || (words.front() != "ffmt" && words.front() != "fdt")) {
    error = "a path tiling starts with its method, ffmt or fdt: '" +
            spec.str() + "'";
    return std::nullopt;
  }
  tiling.method =
      words.front() == "ffmt" ? TilingMethod::FFMT : TilingMethod::FDT;
  auto parseList = [&](StringRef value, SmallVectorImpl<int64_t> &out) {
    SmallVector<StringRef> items;
    value.split(items, ',');
    for (StringRef item : items) {
      int64_t number;
      if (item.getAsInteger(10, number))
        return false;
      out.push_back(number);
    }
    return true;
  };
  llvm::StringSet<> seen;
  for (StringRef word : llvm::drop_begin(words)) {
    auto [key, value] = word.split('=');
    if (!llvm::is_contained({"first", "last", "axes", "tiles", "windows"},
                            key)) {
      error = "unknown key '" + key.str() +
              "' in a path tiling; expected first=, last=, axes=, tiles= or "
              "windows=";
      return std::nullopt;
    }
    if (!seen.insert(key).second) {
      error = "'" + key.str() + "=' is given twice in a path tiling";
      return std::nullopt;
    }
    if (value.empty()) {
      error = "'" + key.str() + "=' needs a value in a path tiling";
      return std::nullopt;
    }
    if (key == "first") {
      tiling.first = value.str();
    } else if (key == "last") {
      tiling.last = value.str();
    } else if (key == "windows") {
      if (value != "recompute" && value != "share") {
        error = "cannot read '" + word.str() +
                "' in a path tiling; expected windows=recompute or "
                "windows=share";
        return std::nullopt;
      }
      tiling.shareWindows = value == "share";
    } else if (!parseList(value, key == "axes" ? tiling.axes : tiling.tiles)) {
      error = "cannot read '" + word.str() +
              "' in a path tiling; expected integers separated by commas";
      return std::nullopt;
    }
  }
  if (tiling.first.empty() || tiling.last.empty() || tiling.tiles.empty()) {
    error =
        "a path tiling needs first=, last= and tiles=: '" + spec.str() + "'";
    return std::nullopt;
  }
  if (tiling.method == TilingMethod::FFMT && tiling.axes.empty())
    tiling.axes.push_back(1);
  return tiling;
}

LogicalResult ft::parsePathTilings(ArrayRef<std::string> specs,
                                   std::vector<PathTiling> &out,
                                   std::string &error) {
  for (const std::string &spec : specs) {
    std::optional<PathTiling> tiling = parsePathTiling(spec, error);
    if (!tiling)
      return failure();
    out.push_back(*tiling);
  }
  return success();
}

const char *const ft::kPathTilingHelp =
    "Tile a fused path before lowering (repeatable): \"ffmt|fdt first=NAME "
    "last=NAME [axes=1[,2]] tiles=N[,M] [windows=recompute|share]\"; NAME is "
    "a layer (ft.layers: the TFLite tensor name, or its part before ';'), "
    "#k (TFLite operator k) or @k (the k-th op computing from the "
    "function's arguments); windows=share computes a value read through "
    "several windows (a residual block's input) once per tile";

void ft::populateAllCanonicalizationPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  for (Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : ctx->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, ctx);
}

bool ft::isAdditiveReduction(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  if (!body || op.getNumDpsInits() != 1)
    return false;
  BlockArgument out = body->getArguments().back();
  Operation *add = body->getTerminator()->getOperand(0).getDefiningOp();
  if (!isa_and_nonnull<arith::AddIOp, arith::AddFOp>(add))
    return false;
  return (add->getOperand(0) == out) != (add->getOperand(1) == out);
}

bool ft::isZeroFilled(Value value) {
  auto fill = value.getDefiningOp<linalg::FillOp>();
  return fill && (matchPattern(fill.getInputs()[0], m_Zero()) ||
                  matchPattern(fill.getInputs()[0], m_AnyZeroFloat()));
}

namespace {

//===----------------------------------------------------------------------===//
// Finding the path
//===----------------------------------------------------------------------===//

/// An error at `op` that names the op and its layer: locations of imported
/// models print only the model file.
InFlightDiagnostic pathError(Operation *op, const Twine &message) {
  SmallVector<LayerAttr> layers = getLayers(op);
  InFlightDiagnostic diag = op->emitError();
  diag << "'" << op->getName() << "'";
  if (!layers.empty())
    diag << " (layer '" << layers.front().getName().strref().split(';').first
         << "')";
  diag << ": " << message;
  return diag;
}

/// A fused path: top-level ops of one block, in block order.
struct Path {
  llvm::SetVector<Operation *> ops;
  /// The ops of the first layer (the path's seeds).
  llvm::SmallPtrSet<Operation *, 8> firstLayer;
  /// The op whose result the path computes.
  Operation *last = nullptr;
  /// See PathTiling::shareWindows.
  bool shareWindows = false;
  /// FDT: channel tiles are whole multiples of this (the product of the
  /// channel multipliers of the depthwise layers the split passes).
  int64_t channelGranularity = 1;

  bool contains(Operation *op) const { return ops.contains(op); }
};

/// Producers that belong to the layer that uses them, not to an earlier
/// one: they compute nothing from activations.
bool isPrivateProducer(Operation *op) {
  if (isa<tensor::EmptyOp, linalg::FillOp>(op))
    return true;
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.getNumDpsInputs() > 0 &&
         llvm::all_of(linalgOp.getDpsInputs(), [](Value v) {
           return v.getDefiningOp<arith::ConstantOp>() != nullptr;
         });
}

/// Whether `op` belongs to the same layer as `first` (ft.layers): the
/// first layer of a path is every op of `first`'s layer, except those that
/// fusion merged into a layer of `last` (a residual add that absorbed the
/// rescale of the first layer's output belongs to the last layer).
bool inFirstLayer(Operation *op, Operation *first, Operation *last) {
  if (op == first)
    return true;
  SmallVector<LayerAttr> firstLayers = getLayers(first);
  if (firstLayers.empty())
    return false;
  SmallVector<LayerAttr> layers = getLayers(op);
  if (!llvm::is_contained(layers, firstLayers.front()))
    return false;
  for (LayerAttr lastLayer : getLayers(last))
    if (lastLayer != firstLayers.front() && llvm::is_contained(layers, lastLayer))
      return false;
  return true;
}

FailureOr<Path> findPath(Operation *first, Operation *last) {
  Block &block = *first->getBlock();
  if (last->getBlock() != &block)
    return pathError(last, "the path's last op is not in the block of its "
                           "first op");
  Path path;
  for (Operation &op : block)
    if (!isa<arith::ConstantOp>(op) && op.getNumResults() > 0 &&
        inFirstLayer(&op, first, last))
      path.firstLayer.insert(&op);
  path.last = last;
  // A trailing reshape is a view of the layer's result, which consumers
  // may read too (a softmax reads the accumulator and its 2-D view): the
  // path ends at the reshaped value.
  while (path.last &&
         isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(path.last)) {
    Operation *source = path.last->getOperand(0).getDefiningOp();
    if (!source || source->getBlock() != &block ||
        path.firstLayer.contains(path.last))
      break;
    path.last = source;
  }

  // The top-level op of `block` that contains `op`.
  auto topLevel = [&](Operation *op) {
    return block.findAncestorOpInBlock(*op);
  };

  // Forward from the first layer, backward from the last op.
  llvm::SmallPtrSet<Operation *, 32> forward(path.firstLayer.begin(),
                                             path.firstLayer.end());
  SmallVector<Operation *> worklist(path.firstLayer.begin(),
                                    path.firstLayer.end());
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    for (Operation *user : op->getUsers())
      if (Operation *top = topLevel(user); top && forward.insert(top).second)
        worklist.push_back(top);
  }
  llvm::SmallPtrSet<Operation *, 32> backward;
  worklist.push_back(path.last);
  backward.insert(path.last);
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        if (Operation *def = operand.getDefiningOp())
          if (Operation *top = topLevel(def);
              top && backward.insert(top).second)
            worklist.push_back(top);
    });
  }
  llvm::SmallPtrSet<Operation *, 32> members;
  for (Operation *op : forward)
    if (backward.contains(op))
      members.insert(op);
  if (!members.contains(path.last))
    return pathError(path.last, "the path's last op does not depend on its "
                                "first op")
               .attachNote(first->getLoc())
           << "the first op";
  // Private producers of members (accumulator inits, bias broadcasts) join
  // when members are their only users.
  bool grew = true;
  while (grew) {
    grew = false;
    for (Operation &op : block)
      if (!members.contains(&op) && isPrivateProducer(&op) && !op.use_empty() &&
          llvm::all_of(op.getUsers(), [&](Operation *u) {
            Operation *top = topLevel(u);
            return top && members.contains(top);
          })) {
        members.insert(&op);
        grew = true;
      }
  }
  for (Operation &op : block)
    if (members.contains(&op))
      path.ops.insert(&op);

  // A chain: nothing but the last op is used outside the path.
  for (Operation *op : path.ops) {
    if (op == path.last)
      continue;
    for (Operation *user : op->getUsers()) {
      Operation *top = topLevel(user);
      if (top && !members.contains(top)) {
        InFlightDiagnostic diag =
            pathError(user, "uses a value computed inside the fused path; a "
                            "path must be a chain whose only result is its "
                            "last tensor");
        diag.attachNote(op->getLoc()) << "computed here";
        return failure();
      }
    }
  }
  return path;
}

//===----------------------------------------------------------------------===//
// Fusing producers into a tile
//===----------------------------------------------------------------------===//

/// The channel multiplier M when `collapse` merges a depthwise
/// convolution's [C, M] channels into C * M: NHWCM into NHWC, the last two
/// dimensions into one and every other kept, C and M both above 1. (A
/// flatten also collapses the channel axis, with rows or columns.)
std::optional<int64_t> depthwiseMultiplier(tensor::CollapseShapeOp collapse) {
  SmallVector<ReassociationIndices> groups = collapse.getReassociationIndices();
  RankedTensorType source = collapse.getSrcType();
  const int64_t rank = source.getRank();
  if (rank < 2 || collapse.getResultType().getRank() != rank - 1)
    return std::nullopt;
  for (const ReassociationIndices &group : ArrayRef(groups).drop_back())
    if (group.size() != 1)
      return std::nullopt;
  if (groups.back() != ReassociationIndices{rank - 2, rank - 1})
    return std::nullopt;
  const int64_t channels = source.getDimSize(rank - 2),
                multiplier = source.getDimSize(rank - 1);
  if (ShapedType::isDynamic(multiplier) || multiplier < 2 ||
      (!ShapedType::isDynamic(channels) && channels < 2))
    return std::nullopt;
  return multiplier;
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
  RankedTensorType source = collapse.getSrcType();
  offsets.pop_back();
  sizes.pop_back();
  // C sliced in groups, M whole.
  offsets.push_back(affine::makeComposedFoldedAffineApply(
      rewriter, loc, d0.floorDiv(multiplier), {channelOffset}));
  sizes.push_back(affine::makeComposedFoldedAffineApply(
      rewriter, loc, d0.floorDiv(multiplier), {channelSize}));
  offsets.push_back(rewriter.getIndexAttr(0));
  sizes.push_back(rewriter.getIndexAttr(multiplier));
  SmallVector<OpFoldResult> strides(source.getRank(), rewriter.getIndexAttr(1));
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
      return pathError(producer,
                       "cannot tile through this reshape or slice: the tile's "
                       "slice does not map to a slice of its source");
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

/// The loop of `op` that indexes the last (channel) dimension of operand
/// `operand`, when that dimension is indexed by a single loop.
std::optional<unsigned> channelLoop(linalg::LinalgOp op, OpOperand *operand) {
  AffineMap map = op.getMatchingIndexingMap(operand);
  if (map.getNumResults() == 0)
    return std::nullopt;
  auto dim = dyn_cast<AffineDimExpr>(map.getResults().back());
  if (!dim)
    return std::nullopt;
  return dim.getPosition();
}

/// The first tensor input of `op` that a path op produces.
OpOperand *pathInput(linalg::LinalgOp op, const Path &path) {
  for (OpOperand *input : op.getDpsInputOperands())
    if (Operation *def = input->get().getDefiningOp();
        def && path.contains(def) && !isPrivateProducer(def))
      return input;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// FFMT
//===----------------------------------------------------------------------===//

FailureOr<TileBlockOp> tileIntoPartialSums(RewriterBase &rewriter, Path &path,
                                           linalg::LinalgOp consumer,
                                           OpOperand *split,
                                           unsigned reductionLoop,
                                           int64_t splitDim,
                                           TilingMethod method, int64_t tiles);

/// Whether every op of `path` before `stopAt` (all when null) can compute
/// a spatial tile.
LogicalResult checkFeatureMapOps(const Path &path, Operation *stopAt) {
  for (Operation *op : path.ops) {
    if (op == stopAt)
      break;
    if (!isa<TilingInterface, tensor::EmptyOp, tensor::CollapseShapeOp,
             tensor::ExpandShapeOp, tensor::ExtractSliceOp>(op))
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

/// A global reduction over `axis` at the end of an FFMT path (a global
/// average pooling): the path's last op with reduction loops, when one
/// reduction loop indexes the whole `axis` of its input and its output has
/// extent 1 there. Returns the op, that input and the loop.
std::optional<std::tuple<linalg::LinalgOp, OpOperand *, unsigned>>
findSpatialReduction(const Path &path, int64_t axis) {
  for (Operation *op : llvm::reverse(path.ops)) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp || linalgOp.getNumReductionLoops() == 0 ||
        isPrivateProducer(op))
      continue;
    OpOperand *input = pathInput(linalgOp, path);
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

  Location loc = last->getLoc();
  rewriter.setInsertionPointAfter(last);
  Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                       type.getElementType());
  auto block = TileBlockOp::create(rewriter, loc, TilingMethod::FFMT,
                                   /*accumulate=*/false, tiling.axes, ranges,
                                   ValueRange{init});
  rewriter.setInsertionPointToStart(&block.getBodyBlock());
  SmallVector<OpFoldResult> offsets(type.getRank(), rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes,
      strides(type.getRank(), rewriter.getIndexAttr(1));
  for (int64_t size : type.getShape())
    sizes.push_back(rewriter.getIndexAttr(size));
  for (auto [a, axis] : llvm::enumerate(tiling.axes)) {
    offsets[axis] = block.getTileOffset(a);
    sizes[axis] = block.getTileSize(a);
  }
  auto slice = tensor::ExtractSliceOp::create(rewriter, loc, result, offsets,
                                              sizes, strides);
  auto insert = tensor::InsertSliceOp::create(rewriter, loc, slice,
                                              block.getRegionIterArgs()[0],
                                              offsets, sizes, strides);
  YieldOp::create(rewriter, loc, insert.getResult());
  rewriter.replaceAllUsesExcept(result, block.getResult(0), slice);
  if (failed(fuseProducers(rewriter, block.getBody(), path)))
    return failure();
  eraseDeadPathOps(rewriter, path);
  return block;
}

//===----------------------------------------------------------------------===//
// FDT
//===----------------------------------------------------------------------===//

/// Why `op` cannot sit between the first layer and the partial sums of an
/// FDT path (its channels must map one to one), or an empty string.
std::string mixesChannels(Operation *op, const Path &path) {
  if (isPrivateProducer(op))
    return {};
  // A reshape passes a channel tile when the channel axis keeps its own
  // group: a depthwise convolution's [C, M] accumulator collapsed into C * M
  // channels (multiplier M > 1), or a flatten, interleaves other elements.
  auto channelGroupMixes = [](ArrayRef<ReassociationIndices> groups,
                              ShapedType wide) {
    return llvm::count_if(groups.back(), [&](int64_t dim) {
             return wide.getDimSize(dim) != 1;
           }) > 1;
  };
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
    // A depthwise convolution's [C, M] channels: tiles of whole multiples
    // of M (Path::channelGranularity) are slices of C.
    if (channelGroupMixes(collapse.getReassociationIndices(),
                          collapse.getSrcType()) &&
        !depthwiseMultiplier(collapse))
      return "it merges the channel axis with other axes (a flatten)";
    return {};
  }
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
    if (channelGroupMixes(expand.getReassociationIndices(),
                          expand.getResultType()))
      return "it splits the channel axis into several axes";
    return {};
  }
  // Offsets, sizes and pads may be constants held in SSA values (TOSA's
  // lowering leaves them so): what matters is their value.
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
    const int64_t last = slice.getSourceType().getRank() - 1;
    if (slice.getResultType().getRank() != last + 1 ||
        !isZeroInteger(slice.getMixedOffsets()[last]) ||
        !isConstantIntValue(slice.getMixedSizes()[last],
                            slice.getSourceType().getDimSize(last)))
      return "it slices the channel axis";
    return {};
  }
  if (auto pad = dyn_cast<tensor::PadOp>(op)) {
    const int64_t last = pad.getResultType().getRank() - 1;
    if (!isZeroInteger(pad.getMixedLowPad()[last]) ||
        !isZeroInteger(pad.getMixedHighPad()[last]))
      return "it pads the channel axis";
    return {};
  }
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp)
    return "it is not a linalg op, pad or reshape";
  OpOperand *input = pathInput(linalgOp, path);
  if (!input)
    return {};
  std::optional<unsigned> loop = channelLoop(linalgOp, input);
  if (!loop ||
      linalgOp.getIteratorTypesArray()[*loop] !=
          utils::IteratorType::parallel ||
      !linalgOp.getMatchingIndexingMap(linalgOp.getDpsInitOperand(0))
           .isFunctionOfDim(*loop))
    return "it combines channels (only the path's first layer may read its "
           "whole input)";
  return {};
}

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

/// Builds the tile block whose tiles split reduction loop `reductionLoop`
/// of `consumer` (dimension `splitDim` of its input `split`): each tile
/// computes the producers' slice and the consumer's partial result from
/// zero, ft.partial_sum accumulates them, and an ft.merge adds the
/// consumer's initial value (its bias) and runs the path's ops after the
/// consumer once.
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
  if (!splitType || !splitType.hasStaticShape() || !accType ||
      !accType.hasStaticShape())
    return pathError(consumer, methodName + ": static shapes are required");
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
  auto zeroFill = [&](Location at) {
    Value zero = arith::ConstantOp::create(rewriter, at, zeroAttr);
    Value empty =
        tensor::EmptyOp::create(rewriter, at, accType.getShape(), accElement);
    return linalg::FillOp::create(rewriter, at, zero, empty).getResult(0);
  };
  Value accumulator = zeroFill(loc);
  SmallVector<SmallVector<int64_t>> ranges{balancedTileRanges(units, tiles)};
  for (int64_t &bound : ranges.front())
    bound *= granularity;
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
  if (failed(fuseProducers(rewriter, block.getBody(), path)))
    return failure();

  // The merge: the consumer's initial value (its bias) and every path op
  // after the consumer, once, on the accumulated sum.
  Operation *last = path.last;
  rewriter.setInsertionPointAfter(last);
  auto merge = MergeOp::create(rewriter, last->getLoc(), last->getResultTypes(),
                               block.getResults());
  Block *mergeBody =
      rewriter.createBlock(&merge.getBody(), {}, {accType}, {loc});
  rewriter.setInsertionPointToStart(mergeBody);
  Value finished = mergeBody->getArgument(0);
  Value bias = consumer.getDpsInitOperand(0)->get();
  if (!isZeroFilled(bias)) {
    Value empty =
        tensor::EmptyOp::create(rewriter, loc, accType.getShape(), accElement);
    AffineMap id = rewriter.getMultiDimIdentityMap(accType.getRank());
    finished =
        linalg::GenericOp::create(
            rewriter, loc, accType, ValueRange{finished, bias},
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
    return pathError(
        path.last,
        "fdt: the path has no layer after its first that consumes the split "
        "channels (a convolution or fully connected layer reducing over "
        "them)");
  if (!isAdditiveReduction(consumer))
    return pathError(consumer, "fdt: this op reduces over the split channels "
                               "by something other than a sum, which partial "
                               "sums cannot split");

  // From the first layer's result to the consumer, channels stay apart
  // (the first layer's own reshapes included: they shape its result).
  for (Operation *op : path.ops) {
    if (op == consumer.getOperation())
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
  const int64_t rank = cast<ShapedType>(split->get().getType()).getRank();
  return tileIntoPartialSums(rewriter, path, consumer, split,
                             *channelLoop(consumer, split), rank - 1,
                             TilingMethod::FDT, tiling.tiles.front());
}

} // namespace

FailureOr<TileBlockOp> ft::tilePath(RewriterBase &rewriter, Operation *first,
                                    Operation *last,
                                    const TilingOptions &tiling) {
  FailureOr<Path> path = findPath(first, last);
  if (failed(path))
    return failure();
  path->shareWindows = tiling.shareWindows;
  if (tiling.method == TilingMethod::FFMT)
    return tileFeatureMaps(rewriter, *path, tiling);
  if (path->firstLayer.contains(path->last))
    return pathError(path->last, "fdt needs at least two layers: the one "
                                 "whose output channels are split and the "
                                 "one that sums over them");
  return tileChannels(rewriter, *path, tiling);
}

namespace {
/// Why a name may match no op: model inputs and reshapes (views once
/// lowered) have no op of their own.
constexpr const char *kNoOpHint =
    " (a model input or a reshape has no op of its own: name a layer that "
    "computes)";

/// Whether `op` is one `reference` names by layer: "#k" or a layer name.
/// ("@k" names a position, see ft::findPathOps.)
bool refersTo(Operation *op, StringRef reference) {
  if (reference.consume_front("#")) {
    int64_t index;
    return !reference.getAsInteger(10, index) && isInLayerWithIndex(op, index);
  }
  return isInLayer(op, reference);
}

/// The ops of `block` that compute from activations, in order: what "@k"
/// counts.
SmallVector<Operation *> activationOps(Block &block) {
  SmallPtrSet<Operation *, 32> found;
  SmallVector<Operation *> ordered;
  for (Operation &op : block)
    if (!op.hasTrait<OpTrait::IsTerminator>() &&
        readsActivations(&op, block, found)) {
      found.insert(&op);
      ordered.push_back(&op);
    }
  return ordered;
}
} // namespace

FailureOr<std::pair<Operation *, Operation *>>
ft::findPathOps(func::FuncOp func, StringRef first, StringRef last) {
  Block &block = func.getBody().front();
  SmallVector<Operation *> positions = activationOps(block);
  auto byPosition = [&](StringRef reference) -> FailureOr<Operation *> {
    int64_t k;
    if (reference.drop_front().getAsInteger(10, k) || k < 0 ||
        k >= static_cast<int64_t>(positions.size()))
      return mlir::emitError(func.getLoc(), "no op at position '")
             << reference << "': @k counts from 0 the "
             << positions.size()
             << " ops of the function that compute from its arguments";
    return positions[k];
  };
  // A layer named by name or "#k": its last op for the path's end, its
  // first for the path's start; null when no op belongs to it.
  auto byLayer = [&](StringRef reference, bool lastOfLayer,
                     StringRef exclude) -> Operation * {
    auto matches = [&](Operation &op) {
      return !isa<arith::ConstantOp>(op) && op.getNumResults() > 0 &&
             refersTo(&op, reference) &&
             (exclude.empty() || !refersTo(&op, exclude));
    };
    if (lastOfLayer) {
      for (Operation &op : llvm::reverse(block))
        if (matches(op))
          return &op;
      return nullptr;
    }
    for (Operation &op : block)
      if (matches(op))
        return &op;
    return nullptr;
  };
  auto resolve = [&](StringRef reference, bool lastOfLayer,
                     StringRef exclude) -> FailureOr<Operation *> {
    if (reference.starts_with("@"))
      return byPosition(reference);
    return byLayer(reference, lastOfLayer, exclude);
  };
  FailureOr<Operation *> lastOp = resolve(last, /*lastOfLayer=*/true, {});
  // Fusion joins the layers of the ops it merges: an op that also belongs
  // to the last layer is not the first layer's.
  FailureOr<Operation *> firstOp =
      resolve(first, /*lastOfLayer=*/false, first == last ? "" : last);
  if (failed(lastOp) || failed(firstOp))
    return failure();
  if (!*firstOp)
    return mlir::emitError(func.getLoc(),
                           "no op produces the path's first tensor '")
           << first << "'" << kNoOpHint;
  if (!*lastOp)
    return mlir::emitError(func.getLoc(),
                           "no op produces the path's last tensor '")
           << last << "'" << kNoOpHint;
  return std::make_pair(*firstOp, *lastOp);
}

namespace {

struct FTTilePathPass : ft::impl::FTTilePathBase<FTTilePathPass> {
  using FTTilePathBase::FTTilePathBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (first.empty() || last.empty()) {
      mlir::emitError(module.getLoc(),
                      "ft-tile-path: name the path with first=... and "
                      "last=...");
      return signalPassFailure();
    }
    TilingOptions tiling;
    tiling.method = method;
    tiling.axes.assign(axes.begin(), axes.end());
    tiling.tiles.assign(tiles.begin(), tiles.end());
    tiling.shareWindows = windows == WindowMode::Share;
    if (tiling.method == TilingMethod::FFMT && tiling.axes.empty())
      tiling.axes.push_back(1);
    // The path is in the function whose body holds the first op ("@k":
    // the first function with a body).
    func::FuncOp target;
    for (func::FuncOp func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      if (StringRef(first).starts_with("@") ||
          llvm::any_of(func.getBody().front(), [&](Operation &op) {
            return !isa<arith::ConstantOp>(op) && refersTo(&op, first);
          })) {
        target = func;
        break;
      }
    }
    if (!target) {
      InFlightDiagnostic diag =
          mlir::emitError(module.getLoc(),
                          "ft-tile-path: no op produces the path's first "
                          "tensor '")
          << first << "'";
      bool named = false;
      module.walk([&](Operation *op) { named |= !getLayers(op).empty(); });
      if (!named)
        diag << "; no op of this IR belongs to a layer (ft.layers): name "
                "ops by position, @k for the k-th op (from 0) that computes "
                "from the function's arguments";
      else
        diag << kNoOpHint;
      return signalPassFailure();
    }
    FailureOr<std::pair<Operation *, Operation *>> ends =
        findPathOps(target, first, last);
    if (failed(ends))
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    FailureOr<TileBlockOp> block =
        tilePath(rewriter, ends->first, ends->second, tiling);
    if (failed(block))
      return signalPassFailure();
    // Tiling leaves index arithmetic for every fused op, much of it equal
    // or dead: canonicalize and CSE the function so the IR reads.
    // (Not converging within the driver's limit is no error: the IR is
    // correct either way.)
    RewritePatternSet patterns(&getContext());
    populateAllCanonicalizationPatterns(patterns);
    (void)applyPatternsGreedily(target, std::move(patterns));
    DominanceInfo dominance;
    mlir::eliminateCommonSubExpressions(rewriter, dominance, target);
  }
};

} // namespace
