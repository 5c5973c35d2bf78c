//===- FuseLayerElementwise.cpp - Elementwise fusion within layers --------===//
//
// Upstream's linalg-fuse-elementwise-ops hard-codes the control function of
// its reshape-propagation patterns and has no option to restrict them, so
// this pass assembles the same pattern set with its own.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace ft {
#define GEN_PASS_DEF_FTFUSELAYERELEMENTWISE
#include "FusedTiling/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {

/// A linalg.reduce as a generic, so that the elementwise producer it reads
/// (a gather) fuses into it; upstream's pass gets there only by expanding
/// the reduce into the reshape of its result, which this pass forbids.
struct GeneralizeReduce : OpRewritePattern<linalg::ReduceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::ReduceOp reduce,
                                PatternRewriter &rewriter) const override {
    return linalg::generalizeNamedOp(rewriter, reduce);
  }
};

struct FuseLayerElementwisePass
    : ft::impl::FTFuseLayerElementwiseBase<FuseLayerElementwisePass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    // Fusing a producer with other users would compute it twice.
    linalg::ControlFusionFn singleUse = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      return producer && producer->hasOneUse();
    };
    // A reshape folds into the op that consumes it (a requantization reading
    // a depthwise convolution's NHWCM accumulator through a collapse becomes
    // NHWCM too, rows and columns in place), never into the op it reshapes:
    // that op is a layer's output, whose shape is its TFLite tensor's.
    linalg::ControlFusionFn foldIntoConsumer = [&](OpOperand *fused) {
      return singleUse(fused) &&
             !isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
                 fused->getOwner());
    };
    // Upstream gives a fused op its consumer's location only: the producer's
    // joins it here, so that the fused op belongs to the producer's layer
    // too (ft-preserve-layers carries ft.layers in locations). Fusion
    // follows whenever this control allows it.
    linalg::ControlFusionFn fuseJoiningLocations = [&](OpOperand *fused) {
      if (!singleUse(fused))
        return false;
      Operation *consumer = fused->getOwner();
      consumer->setLoc(FusedLoc::get(
          context, {consumer->getLoc(), fused->get().getDefiningOp()->getLoc()}));
      return true;
    };
    RewritePatternSet patterns(context);
    patterns.add<GeneralizeReduce>(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns,
                                                 fuseJoiningLocations);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns,
                                                      foldIntoConsumer);
    linalg::populateConstantFoldLinalgOperations(patterns, singleUse);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
