//===- FuseLayerElementwise.cpp - Elementwise fusion within layers --------===//
//
// Upstream's linalg-fuse-elementwise-ops always adds the reshape-propagation
// patterns and has no option to leave them out, so this pass assembles the
// same pattern set without them.
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
/// (a gather) fuses into it; upstream's pass gets there only through the
/// reshape propagation left out here.
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
    RewritePatternSet patterns(context);
    patterns.add<GeneralizeReduce>(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns, singleUse);
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
