//===- ApproximateMath.cpp - Polynomial approximations of math ops --------===//

#include "FusedTiling/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace ft {
#define GEN_PASS_DEF_FTAPPROXIMATEMATH
#include "FusedTiling/Conversion/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {
struct FTApproximateMathPass
    : ft::impl::FTApproximateMathBase<FTApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
