//===- TileRequantization.cpp - Convolutions row by row with requant -----===//

#include "FusedTiling/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace ft {
#define GEN_PASS_DEF_FTTILEREQUANTIZATION
#include "FusedTiling/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {

/// Output channels per tile: small enough that a row's int32 accumulator is
/// a few hundred bytes, large enough to keep loop overhead low.
constexpr int64_t kChannelTile = 16;

/// A producer that belongs to the consumer's layer: its convolution, the
/// broadcast of constants (the bias) into the accumulator, fills, padding.
bool isLayerPrivate(Operation *op) {
  if (isa<tensor::PadOp, linalg::FillOp, tensor::EmptyOp>(op))
    return true;
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp)
    return false;
  // The convolution itself: constant weights. (Pooling ops match the
  // convolution interface too, but they are layers of their own.)
  if (linalg::isaConvolutionOpInterface(linalgOp))
    return linalgOp.getNumDpsInputs() >= 2 &&
           linalgOp.getDpsInputs()[1].getDefiningOp<arith::ConstantOp>();
  return linalgOp.getNumDpsInputs() > 0 &&
         llvm::all_of(linalgOp.getDpsInputs(), [](Value v) {
           return v.getDefiningOp<arith::ConstantOp>() != nullptr;
         });
}

/// The elementwise op that consumes a convolution's accumulator.
bool isRequantizationOfConvolution(linalg::GenericOp generic) {
  if (generic.getNumParallelLoops() != generic.getNumLoops() ||
      generic.getNumDpsInits() != 1 || generic.getNumLoops() < 4)
    return false;
  for (Value input : generic.getDpsInputs())
    if (auto producer = input.getDefiningOp<linalg::LinalgOp>())
      if (linalg::isaConvolutionOpInterface(producer) &&
          isLayerPrivate(producer))
        return true;
  return false;
}

/// When an input of the same type as the result dies at this op (a residual
/// add's skip connection), makes it the op's init, so that the result can
/// be written over it. Returns that input, or null. The payload must not
/// read the init.
Value reuseDyingInputAsInit(RewriterBase &rewriter, linalg::GenericOp op) {
  OpOperand *init = op.getDpsInitOperand(0);
  if (!init->get().getDefiningOp<tensor::EmptyOp>() ||
      op.payloadUsesValueFromOperand(init))
    return {};
  for (OpOperand *input : op.getDpsInputOperands()) {
    Value value = input->get();
    // Dies here: every other user comes earlier in the same block.
    // (A user inside an earlier layer's tile loop counts as that loop.)
    const bool diesHere = llvm::all_of(value.getUsers(), [&](Operation *u) {
      Operation *ancestor = op->getBlock()->findAncestorOpInBlock(*u);
      return u == op.getOperation() ||
             (ancestor && ancestor != op.getOperation() &&
              ancestor->isBeforeInBlock(op));
    });
    if (value.getType() != init->get().getType() || !diesHere ||
        op.getMatchingIndexingMap(input) != op.getMatchingIndexingMap(init) ||
        isa<BlockArgument>(value) ||
        isa_and_nonnull<arith::ConstantOp>(value.getDefiningOp()))
      continue;
    rewriter.modifyOpInPlace(op, [&] { init->set(value); });
    return value;
  }
  return {};
}

/// After tiling, each tile reads the reused input at exactly the elements it
/// writes, and tiles are disjoint: reading it through the innermost loop's
/// iteration argument (the buffer being written) is equivalent, and lets
/// bufferization write in place instead of copying the input first.
void readThroughIterationArgument(RewriterBase &rewriter, Value reused,
                                  scf::SCFTileAndFuseResult &result) {
  if (!reused || result.loops.empty())
    return;
  auto innermost = dyn_cast<scf::ForOp>(result.loops.back().getOperation());
  auto tiled = dyn_cast<linalg::LinalgOp>(result.tiledAndFusedOps.front());
  if (!innermost || !tiled || innermost.getRegionIterArgs().size() != 1)
    return;
  auto written =
      tiled.getDpsInitOperand(0)->get().getDefiningOp<tensor::ExtractSliceOp>();
  if (!written || written.getSource() != innermost.getRegionIterArgs()[0])
    return;
  for (OpOperand *input : tiled.getDpsInputOperands()) {
    auto read = input->get().getDefiningOp<tensor::ExtractSliceOp>();
    if (!read || read.getSource() != reused ||
        read.getMixedOffsets() != written.getMixedOffsets() ||
        read.getMixedSizes() != written.getMixedSizes() ||
        read.getMixedStrides() != written.getMixedStrides())
      continue;
    rewriter.modifyOpInPlace(read, [&] {
      read.getSourceMutable().set(innermost.getRegionIterArgs()[0]);
    });
  }
}

struct FTTileRequantizationPass
    : ft::impl::FTTileRequantizationBase<FTTileRequantizationPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> consumers;
    getOperation().walk([&](linalg::GenericOp generic) {
      if (generic.hasPureTensorSemantics() &&
          isRequantizationOfConvolution(generic))
        consumers.push_back(generic);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp consumer : consumers) {
      auto outType =
          cast<RankedTensorType>(consumer.getDpsInits()[0].getType());
      // Rows (dimension 1) one at a time, output channels (dimension 3, also
      // for depthwise [N, H, W, C, M] results) kChannelTile at a time.
      const bool tileRows = outType.getDimSize(1) > 1;
      const bool tileChannels = outType.getDimSize(3) > kChannelTile;
      if (!tileRows && !tileChannels)
        continue;
      SmallVector<OpFoldResult> tileSizes(consumer.getNumLoops(),
                                          rewriter.getIndexAttr(0));
      tileSizes[0] = rewriter.getIndexAttr(1);
      if (tileRows)
        tileSizes[1] = rewriter.getIndexAttr(1);
      if (tileChannels)
        tileSizes[3] = rewriter.getIndexAttr(kChannelTile);
      scf::SCFTilingOptions tiling;
      tiling.setTileSizes(tileSizes);
      scf::SCFTileAndFuseOptions options;
      options.setTilingOptions(tiling);
      options.setFusionControlFn(
          [](tensor::ExtractSliceOp, OpResult producer, bool)
              -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
            if (!isLayerPrivate(producer.getOwner()))
              return std::nullopt;
            return scf::SCFTileAndFuseOptions::ControlFnResult{};
          });
      Value reused = reuseDyingInputAsInit(rewriter, consumer);
      rewriter.setInsertionPoint(consumer);
      FailureOr<scf::SCFTileAndFuseResult> result =
          scf::tileConsumerAndFuseProducersUsingSCF(
              rewriter, cast<TilingInterface>(consumer.getOperation()),
              options);
      if (failed(result)) {
        consumer.emitError("ft-tile-requantization: tiling failed");
        return signalPassFailure();
      }
      readThroughIterationArgument(rewriter, reused, *result);
      for (OpResult res : consumer->getResults())
        if (Value replacement = result->replacements.lookup(res))
          rewriter.replaceAllUsesWith(res, replacement);
      rewriter.eraseOp(consumer);
    }
    // A row of an empty accumulator is an empty row: without this fold the
    // whole accumulator would still be allocated once.
    RewritePatternSet patterns(&getContext());
    tensor::populateFoldTensorEmptyPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
