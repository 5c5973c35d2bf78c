//===- TilingRules.cpp - How a split passes through each kind of op ------===//
//
// The per-op rules of FFMT and FDT: which producers are private to a
// layer, which loop indexes the channels, which ops keep channels apart,
// which reductions split into partial sums, which rows of its operands a
// tile of an op's result reads (the estimate's halos; the transform gets
// the same slices from each op's TilingInterface).
//
//===----------------------------------------------------------------------===//

#include "TilingImpl.h"

#include "FusedTiling/Dialect/FT/IR/SplitRulesInterface.h"

#include <type_traits>

using namespace mlir;
using namespace ft;
using namespace ft::detail;

namespace ft::detail {

bool isPrivateProducer(Operation *op) {
  auto rules = dyn_cast<SplitRulesOpInterface>(op);
  return rules && rules.isPrivateProducer();
}

bool isReshape(Operation *op) {
  auto rules = dyn_cast_if_present<SplitRulesOpInterface>(op);
  return rules && rules.isReshape();
}

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

/// Why `op` cannot sit between the first layer and the partial sums of an
/// FDT path (its channels must map one to one), or an empty string.
std::string mixesChannels(Operation *op, const Path &path) {
  auto rules = dyn_cast<SplitRulesOpInterface>(op);
  if (!rules)
    return "it is not a linalg op, pad or reshape";
  if (rules.isPrivateProducer())
    return {};
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return rules.getChannelSplitBlocker(linalgOp ? pathInput(linalgOp, path)
                                               : nullptr);
}

/// The first tensor input of `op` that a path op produces.
OpOperand *pathInput(linalg::LinalgOp op, const Path &path) {
  for (OpOperand *input : op.getDpsInputOperands())
    if (Operation *def = input->get().getDefiningOp();
        def && path.contains(def) && !isPrivateProducer(def))
      return input;
  return nullptr;
}

} // namespace ft::detail

//===----------------------------------------------------------------------===//
// The rules of upstream ops (SplitRulesOpInterface external models)
//===----------------------------------------------------------------------===//

namespace {

/// [lo, hi] (inclusive) of an affine expression over loop intervals
/// (upstream's bounds of a sum of products; nullopt for anything else).
std::optional<std::pair<int64_t, int64_t>>
evaluateInterval(AffineExpr expr, ArrayRef<std::pair<int64_t, int64_t>> loops) {
  SmallVector<std::optional<int64_t>> lows, highs;
  for (auto [low, high] : loops) {
    lows.push_back(low);
    highs.push_back(high);
  }
  std::optional<int64_t> low = getBoundForAffineExpr(
      expr, loops.size(), /*numSymbols=*/0, lows, highs, /*isUpper=*/false);
  std::optional<int64_t> high = getBoundForAffineExpr(
      expr, loops.size(), /*numSymbols=*/0, lows, highs, /*isUpper=*/true);
  if (!low || !high)
    return std::nullopt;
  return std::make_pair(*low, *high);
}

/// A reshape passes a channel tile when the channel axis keeps its own
/// group: a depthwise convolution's [C, M] accumulator collapsed into
/// C * M channels (multiplier M > 1), or a flatten, interleaves other
/// elements.
bool channelGroupMixes(ArrayRef<ReassociationIndices> groups, ShapedType wide) {
  return llvm::count_if(groups.back(), [&](int64_t dim) {
           return wide.getDimSize(dim) != 1;
         }) > 1;
}

/// Empty tensors and fills: private to the layer that uses them.
template <typename OpTy>
struct PrivateProducerRules
    : SplitRulesOpInterface::ExternalModel<PrivateProducerRules<OpTy>, OpTy> {
  bool isPrivateProducer(Operation *) const { return true; }
  std::string getChannelSplitBlocker(Operation *, OpOperand *) const {
    return {};
  }
  /// Nothing of an activation: a tile reads no rows of its operands (sizes,
  /// a fill's value and destination).
  FailureOr<SmallVector<OperandSplit>>
  getOperandSplits(Operation *op, int64_t, int64_t, int64_t) const {
    return SmallVector<OperandSplit>(op->getNumOperands(),
                                     OperandSplit::none());
  }
  /// A slice of nothing is a smaller nothing; a fill is tiled through its
  /// TilingInterface.
  LogicalResult replaceSliceOfResult(Operation *, RewriterBase &rewriter,
                                     tensor::ExtractSliceOp slice, int64_t,
                                     std::string &why) const {
    if constexpr (!std::is_same_v<OpTy, tensor::EmptyOp>)
      return failure();
    SmallVector<OpFoldResult> sizes = slice.getMixedSizes();
    if (sizes.size() != static_cast<size_t>(slice.getType().getRank())) {
      why = "cannot tile a rank-reducing slice of an empty tensor";
      return failure();
    }
    Value empty = tensor::EmptyOp::create(rewriter, slice.getLoc(), sizes,
                                          slice.getType().getElementType());
    if (empty.getType() != slice.getType())
      empty = tensor::CastOp::create(rewriter, slice.getLoc(), slice.getType(),
                                     empty);
    rewriter.replaceOp(slice, empty);
    return success();
  }
};

/// A reshape's or crop's slice moved above it by upstream's bubbling
/// patterns; where they do not apply, `why` says so (nothing changed).
LogicalResult bubbleOrRefuse(RewriterBase &rewriter,
                             tensor::ExtractSliceOp slice, std::string &why) {
  if (succeeded(bubbleSliceUp(rewriter, slice)))
    return success();
  why = "cannot tile through this reshape or slice: the tile's slice does not "
        "map to a slice of its source";
  return failure();
}

/// The source's rows for the result's [lo, hi), its other operands
/// (offsets, sizes, a padding value) none.
FailureOr<SmallVector<OperandSplit>> sourceRows(Operation *op, int64_t lo,
                                                int64_t hi) {
  SmallVector<OperandSplit> splits(op->getNumOperands(), OperandSplit::none());
  splits[0] = OperandSplit::rows(lo, hi);
  return splits;
}

/// The rows of a reshape's source for the result's [lo, hi) of `axis`,
/// where the axis keeps its position: as a dimension of its own (NHWC with
/// its channels split or merged), or as the outer dimension of its group
/// (DEPTH_TO_SPACE merges rows with the block's row offsets: a tile needs
/// the rows that cover it; SPACE_TO_DEPTH splits rows into blocks: a block
/// row is `inner` rows). `wide` is the type with more dimensions.
FailureOr<SmallVector<OperandSplit>>
reshapeSourceRows(Operation *op, ArrayRef<ReassociationIndices> groups,
                  ShapedType wide, bool isCollapse, int64_t axis, int64_t lo,
                  int64_t hi) {
  if (axis >= static_cast<int64_t>(groups.size()) ||
      groups[axis].front() != axis)
    return failure();
  for (int64_t g = 0; g < axis; ++g)
    if (groups[g] != ReassociationIndices{g})
      return failure();
  // The product of the group's inner dimensions (of the wider type).
  int64_t inner = 1;
  for (int64_t dim : ArrayRef(groups[axis]).drop_front())
    inner *= wide.getDimSize(dim);
  if (ShapedType::isDynamic(inner) || inner < 1)
    return failure();
  if (isCollapse)
    return sourceRows(op, lo / inner, (hi + inner - 1) / inner);
  return sourceRows(op, lo * inner, hi * inner);
}

struct CollapseShapeRules
    : SplitRulesOpInterface::ExternalModel<CollapseShapeRules,
                                           tensor::CollapseShapeOp> {
  bool isReshape(Operation *) const { return true; }
  bool movesRowsOfSource(Operation *) const { return true; }
  std::string getChannelSplitBlocker(Operation *op, OpOperand *) const {
    auto collapse = cast<tensor::CollapseShapeOp>(op);
    // A depthwise convolution's [C, M] channels: tiles of whole multiples
    // of M (Path::channelGranularity) are slices of C.
    if (channelGroupMixes(collapse.getReassociationIndices(),
                          collapse.getSrcType()) &&
        !depthwiseMultiplier(collapse))
      return "it merges the channel axis with other axes (a flatten)";
    return {};
  }
  /// Upstream's bubbling first; then the channel groups, flattens and
  /// DEPTH_TO_SPACE rows it does not handle.
  LogicalResult replaceSliceOfResult(Operation *op, RewriterBase &rewriter,
                                     tensor::ExtractSliceOp slice,
                                     int64_t channelGranularity,
                                     std::string &why) const {
    if (succeeded(bubbleOrRefuse(rewriter, slice, why)))
      return success();
    FailureOr<Value> sliced = sliceOfCollapse(
        rewriter, slice, cast<tensor::CollapseShapeOp>(op), channelGranularity);
    if (failed(sliced))
      return failure(); // `why` says the bubbling's refusal.
    rewriter.replaceOp(slice, *sliced);
    return success();
  }
  FailureOr<SmallVector<OperandSplit>>
  getOperandSplits(Operation *op, int64_t axis, int64_t lo, int64_t hi) const {
    auto collapse = cast<tensor::CollapseShapeOp>(op);
    return reshapeSourceRows(op, collapse.getReassociationIndices(),
                             collapse.getSrcType(), /*isCollapse=*/true, axis,
                             lo, hi);
  }
};

struct ExpandShapeRules
    : SplitRulesOpInterface::ExternalModel<ExpandShapeRules,
                                           tensor::ExpandShapeOp> {
  bool isReshape(Operation *) const { return true; }
  bool movesRowsOfSource(Operation *) const { return true; }
  std::string getChannelSplitBlocker(Operation *op, OpOperand *) const {
    auto expand = cast<tensor::ExpandShapeOp>(op);
    if (channelGroupMixes(expand.getReassociationIndices(),
                          expand.getResultType()))
      return "it splits the channel axis into several axes";
    return {};
  }
  LogicalResult replaceSliceOfResult(Operation *, RewriterBase &rewriter,
                                     tensor::ExtractSliceOp slice, int64_t,
                                     std::string &why) const {
    return bubbleOrRefuse(rewriter, slice, why);
  }
  FailureOr<SmallVector<OperandSplit>>
  getOperandSplits(Operation *op, int64_t axis, int64_t lo, int64_t hi) const {
    auto expand = cast<tensor::ExpandShapeOp>(op);
    return reshapeSourceRows(op, expand.getReassociationIndices(),
                             expand.getResultType(), /*isCollapse=*/false, axis,
                             lo, hi);
  }
};

// Offsets, sizes and pads may be constants held in SSA values (TOSA's
// lowering leaves them so): what matters is their value.
struct ExtractSliceRules
    : SplitRulesOpInterface::ExternalModel<ExtractSliceRules,
                                           tensor::ExtractSliceOp> {
  bool movesRowsOfSource(Operation *) const { return true; }
  std::string getChannelSplitBlocker(Operation *op, OpOperand *) const {
    auto slice = cast<tensor::ExtractSliceOp>(op);
    const int64_t last = slice.getSourceType().getRank() - 1;
    if (slice.getResultType().getRank() != last + 1 ||
        !isZeroInteger(slice.getMixedOffsets()[last]) ||
        !isConstantIntValue(slice.getMixedSizes()[last],
                            slice.getSourceType().getDimSize(last)))
      return "it slices the channel axis";
    return {};
  }
  LogicalResult replaceSliceOfResult(Operation *, RewriterBase &rewriter,
                                     tensor::ExtractSliceOp slice, int64_t,
                                     std::string &why) const {
    return bubbleOrRefuse(rewriter, slice, why);
  }
  /// A crop: the source's rows shifted by the slice's offset.
  FailureOr<SmallVector<OperandSplit>>
  getOperandSplits(Operation *op, int64_t axis, int64_t lo, int64_t hi) const {
    auto slice = cast<tensor::ExtractSliceOp>(op);
    if (slice.getSourceType().getRank() != slice.getResultType().getRank() ||
        axis >= slice.getResultType().getRank())
      return failure();
    const int64_t offset = slice.getStaticOffsets()[axis];
    if (ShapedType::isDynamic(offset) || slice.getStaticStrides()[axis] != 1)
      return failure();
    return sourceRows(op, lo + offset, hi + offset);
  }
};

/// A concatenation along another axis (tensor.insert_slice of one part
/// into the destination holding the others, whole along `axis`): both
/// parts tile alike.
struct InsertSliceRules
    : SplitRulesOpInterface::ExternalModel<InsertSliceRules,
                                           tensor::InsertSliceOp> {
  std::string getChannelSplitBlocker(Operation *, OpOperand *) const {
    return "it concatenates: its channels are not its operand's";
  }
  LogicalResult replaceSliceOfResult(Operation *op, RewriterBase &rewriter,
                                     tensor::ExtractSliceOp slice, int64_t,
                                     std::string &why) const {
    FailureOr<Value> sliced =
        sliceOfInsertion(rewriter, slice, cast<tensor::InsertSliceOp>(op));
    if (failed(sliced)) {
      why = "cannot tile across a concatenation's axis: tiles must cover the "
            "concatenated axis whole";
      return failure();
    }
    rewriter.replaceOp(slice, *sliced);
    return success();
  }
  FailureOr<SmallVector<OperandSplit>>
  getOperandSplits(Operation *op, int64_t axis, int64_t lo, int64_t hi) const {
    auto insert = cast<tensor::InsertSliceOp>(op);
    if (insert.getSourceType().getRank() != insert.getDestType().getRank() ||
        axis >= insert.getDestType().getRank() ||
        !isZeroInteger(insert.getMixedOffsets()[axis]) ||
        !isConstantIntValue(insert.getMixedSizes()[axis],
                            insert.getDestType().getDimSize(axis)) ||
        insert.getDestType().isDynamicDim(axis))
      return failure();
    SmallVector<OperandSplit> splits(op->getNumOperands(),
                                     OperandSplit::none());
    splits[insert.getSourceMutable().getOperandNumber()] =
        OperandSplit::rows(lo, hi);
    splits[insert.getDestMutable().getOperandNumber()] =
        OperandSplit::rows(lo, hi);
    return splits;
  }
};

struct PadRules
    : SplitRulesOpInterface::ExternalModel<PadRules, tensor::PadOp> {
  bool movesRowsOfSource(Operation *) const { return true; }
  std::string getChannelSplitBlocker(Operation *op, OpOperand *) const {
    auto pad = cast<tensor::PadOp>(op);
    const int64_t last = pad.getResultType().getRank() - 1;
    if (!isZeroInteger(pad.getMixedLowPad()[last]) ||
        !isZeroInteger(pad.getMixedHighPad()[last]))
      return "it pads the channel axis";
    return {};
  }
  /// Without upstream's zero-slice guard: the source slice's offsets and
  /// sizes are clamped into the source, so even an empty one is in bounds,
  /// and the guard's tensor.generate branch would bufferize to a second
  /// tile buffer.
  LogicalResult replaceSliceOfResult(Operation *op, RewriterBase &rewriter,
                                     tensor::ExtractSliceOp slice, int64_t,
                                     std::string &why) const {
    FailureOr<TilingResult> tiled = tensor::bubbleUpPadSlice(
        rewriter, cast<tensor::PadOp>(op), slice.getMixedOffsets(),
        slice.getMixedSizes(), /*generateZeroSliceGuard=*/false);
    if (failed(tiled) || tiled->tiledValues.empty()) {
      why = "could not compute a tile of this op";
      return failure();
    }
    Value value = tiled->tiledValues.front();
    if (value.getType() != slice.getType())
      value = tensor::CastOp::create(rewriter, slice.getLoc(), slice.getType(),
                                     value);
    rewriter.replaceOp(slice, value);
    return success();
  }
  /// The source's rows shifted by the low padding.
  FailureOr<SmallVector<OperandSplit>>
  getOperandSplits(Operation *op, int64_t axis, int64_t lo, int64_t hi) const {
    auto pad = cast<tensor::PadOp>(op);
    if (axis >= pad.getResultType().getRank())
      return failure();
    const int64_t low = pad.getStaticLow()[axis];
    if (ShapedType::isDynamic(low))
      return failure();
    return sourceRows(op, lo - low, hi - low);
  }
};

/// Linalg ops: private when every input is a constant (a bias broadcast);
/// a channel split passes when the loop of the split input's channels is
/// parallel and indexes the output too.
template <typename OpTy>
struct LinalgRules
    : SplitRulesOpInterface::ExternalModel<LinalgRules<OpTy>, OpTy> {
  bool computesLayer(Operation *) const { return true; }
  bool isPrivateProducer(Operation *op) const {
    auto linalgOp = cast<linalg::LinalgOp>(op);
    // A broadcast of constants (a bias), or a splat written into fresh
    // tensors (a generic without inputs, once a splat bias folded in).
    if (linalgOp.getNumDpsInputs() == 0)
      return llvm::all_of(linalgOp.getDpsInits(), [](Value v) {
        return v.getDefiningOp<tensor::EmptyOp>() != nullptr;
      });
    return llvm::all_of(linalgOp.getDpsInputs(), [](Value v) {
      return v.getDefiningOp<arith::ConstantOp>() != nullptr;
    });
  }
  std::string getChannelSplitBlocker(Operation *op, OpOperand *input) const {
    if (!input)
      return {};
    auto linalgOp = cast<linalg::LinalgOp>(op);
    std::optional<unsigned> loop = channelLoop(linalgOp, input);
    if (!loop ||
        linalgOp.getIteratorTypesArray()[*loop] !=
            utils::IteratorType::parallel ||
        !linalgOp.getMatchingIndexingMap(linalgOp.getDpsInitOperand(0))
             .isFunctionOfDim(*loop))
      return "it combines channels (only the path's first layer may read "
             "its whole input)";
    return {};
  }
  /// Each input's rows from its indexing map over the loops, the result's
  /// loop along `axis` limited to [lo, hi) (kernels, strides and dilations
  /// give the halo); inits none (the tile writes them).
  FailureOr<SmallVector<OperandSplit>>
  getOperandSplits(Operation *op, int64_t axis, int64_t lo, int64_t hi) const {
    auto linalgOp = cast<linalg::LinalgOp>(op);
    std::optional<unsigned> loop = resultLoop(linalgOp, axis);
    if (!loop)
      return failure();
    SmallVector<std::pair<int64_t, int64_t>> loops =
        fullLoopRanges(linalgOp.getStaticLoopRanges());
    loops[*loop] = {lo, hi - 1};
    SmallVector<OperandSplit> splits(op->getNumOperands(),
                                     OperandSplit::none());
    for (OpOperand *input : linalgOp.getDpsInputOperands()) {
      AffineMap map = linalgOp.getMatchingIndexingMap(input);
      if (axis >= map.getNumResults()) {
        splits[input->getOperandNumber()] = OperandSplit::whole();
        continue;
      }
      std::optional<std::pair<int64_t, int64_t>> range =
          evaluateInterval(map.getResult(axis), loops);
      if (!range)
        return failure();
      splits[input->getOperandNumber()] =
          OperandSplit::rows(range->first, range->second + 1);
    }
    return splits;
  }
  /// The rows an input's window for result row 0 and for row 1 share.
  SmallVector<int64_t> getWindowOverlaps(Operation *op, int64_t axis) const {
    auto linalgOp = cast<linalg::LinalgOp>(op);
    SmallVector<int64_t> overlaps(op->getNumOperands(), 0);
    std::optional<unsigned> loop = resultLoop(linalgOp, axis);
    if (!loop)
      return overlaps;
    SmallVector<int64_t> loopRanges = linalgOp.getStaticLoopRanges();
    if (loopRanges[*loop] < 2)
      return overlaps;
    SmallVector<std::pair<int64_t, int64_t>> loops = fullLoopRanges(loopRanges);
    for (OpOperand *input : linalgOp.getDpsInputOperands()) {
      AffineMap map = linalgOp.getMatchingIndexingMap(input);
      if (axis >= map.getNumResults())
        continue;
      loops[*loop] = {0, 0};
      auto row = evaluateInterval(map.getResult(axis), loops);
      loops[*loop] = {1, 1};
      auto next = evaluateInterval(map.getResult(axis), loops);
      if (row && next)
        overlaps[input->getOperandNumber()] =
            std::max<int64_t>(0, row->second + 1 - next->first);
    }
    return overlaps;
  }

private:
  /// The loop that indexes the result's `axis`, when one alone does and
  /// every loop has a static range.
  static std::optional<unsigned> resultLoop(linalg::LinalgOp op, int64_t axis) {
    AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    if (axis >= outMap.getNumResults() ||
        llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic))
      return std::nullopt;
    auto dim = dyn_cast<AffineDimExpr>(outMap.getResult(axis));
    if (!dim)
      return std::nullopt;
    return dim.getPosition();
  }
  static SmallVector<std::pair<int64_t, int64_t>>
  fullLoopRanges(ArrayRef<int64_t> ranges) {
    return llvm::map_to_vector(ranges, [](int64_t range) {
      return std::make_pair<int64_t, int64_t>(0, range - 1);
    });
  }
};

/// Every structured op but linalg.fill, whose own rules are attached
/// apart.
template <typename OpTy> void attachLinalgRule(MLIRContext *ctx) {
  if constexpr (!std::is_same_v<OpTy, linalg::FillOp>)
    OpTy::template attachInterface<LinalgRules<OpTy>>(*ctx);
}
template <typename... OpTys> void attachLinalgRules(MLIRContext *ctx) {
  (attachLinalgRule<OpTys>(ctx), ...);
}

} // namespace

void ft::registerSplitRulesExternalModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, tensor::TensorDialect *) {
    tensor::EmptyOp::attachInterface<PrivateProducerRules<tensor::EmptyOp>>(
        *ctx);
    tensor::CollapseShapeOp::attachInterface<CollapseShapeRules>(*ctx);
    tensor::ExpandShapeOp::attachInterface<ExpandShapeRules>(*ctx);
    tensor::ExtractSliceOp::attachInterface<ExtractSliceRules>(*ctx);
    tensor::InsertSliceOp::attachInterface<InsertSliceRules>(*ctx);
    tensor::PadOp::attachInterface<PadRules>(*ctx);
  });
  registry.addExtension(+[](MLIRContext *ctx, linalg::LinalgDialect *) {
    // linalg.fill: a structured op, but private whatever it reads.
    linalg::FillOp::attachInterface<PrivateProducerRules<linalg::FillOp>>(*ctx);
    attachLinalgRules<
#define GET_OP_LIST
#include "mlir/Dialect/Linalg/IR/LinalgStructuredOps.cpp.inc"
        >(ctx);
  });
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
