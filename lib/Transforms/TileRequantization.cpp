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
      rewriter.setInsertionPoint(consumer);
      FailureOr<scf::SCFTileAndFuseResult> result =
          scf::tileConsumerAndFuseProducersUsingSCF(
              rewriter, cast<TilingInterface>(consumer.getOperation()),
              options);
      if (failed(result)) {
        consumer.emitError("ft-tile-requantization: tiling failed");
        return signalPassFailure();
      }
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
