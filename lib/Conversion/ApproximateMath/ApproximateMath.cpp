//===- ApproximateMath.cpp - Polynomial approximations of math ops --------===//

#include "FusedTiling/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace ft {
#define GEN_PASS_DEF_FTAPPROXIMATEMATH
#include "FusedTiling/Conversion/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {
/// math.floor and math.ceil on f32 as arithmetic: below 2^23 in magnitude
/// through an i32 (truncation, then one step towards -inf or +inf), the
/// sign copied back (floor(-0.0) and ceil(-0.5) are -0.0); above it (and
/// infinities, NaN) the value itself, already integral. LLVM would call
/// floorf/ceilf without an FPU (and on x86-64 without SSE4.1); upstream's
/// math expansion has no floor, and its ceil converts through an i64,
/// which overflows for large values.
template <typename RoundOp, bool towardsPlusInfinity>
struct ExpandRoundToIntegral : OpRewritePattern<RoundOp> {
  using OpRewritePattern<RoundOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(RoundOp op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!getElementTypeOrSelf(type).isF32())
      return rewriter.notifyMatchFailure(op, "not f32");
    Location loc = op.getLoc();
    Type intType = rewriter.getI32Type();
    if (auto shaped = dyn_cast<ShapedType>(type))
      intType = shaped.clone(intType);
    auto constant = [&](double value) -> Value {
      TypedAttr attr = rewriter.getF32FloatAttr(static_cast<float>(value));
      if (auto shaped = dyn_cast<ShapedType>(type))
        attr = SplatElementsAttr::get(shaped, attr);
      return arith::ConstantOp::create(rewriter, loc, attr);
    };
    Value x = op.getOperand();
    Value truncated = arith::SIToFPOp::create(
        rewriter, loc, type,
        arith::FPToSIOp::create(rewriter, loc, intType, x));
    Value step =
        arith::CmpFOp::create(rewriter, loc,
                              towardsPlusInfinity ? arith::CmpFPredicate::OLT
                                                  : arith::CmpFPredicate::OGT,
                              truncated, x);
    Value stepped = arith::AddFOp::create(
        rewriter, loc, truncated, constant(towardsPlusInfinity ? 1.0 : -1.0));
    Value rounded = math::CopySignOp::create(
        rewriter, loc,
        arith::SelectOp::create(rewriter, loc, step, stepped, truncated), x);
    Value small = arith::CmpFOp::create(
        rewriter, loc, arith::CmpFPredicate::OLT,
        math::AbsFOp::create(rewriter, loc, x), constant(8388608.0));
    rewriter.replaceOpWithNewOp<arith::SelectOp>(op, small, rounded, x);
    return success();
  }
};

/// math.roundeven on f32 as arithmetic: below 2^23 in magnitude, adding and
/// subtracting 2^23 rounds to the nearest integer, ties to even (IEEE
/// addition in the default rounding mode), sign copied back; above it the
/// value itself. (Upstream's expansion builds on its math.round expansion,
/// which adds 0.5 and so rounds 0.49999997 to 1.)
struct ExpandRoundEven : OpRewritePattern<math::RoundEvenOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::RoundEvenOp op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!getElementTypeOrSelf(type).isF32())
      return rewriter.notifyMatchFailure(op, "not f32");
    Location loc = op.getLoc();
    TypedAttr twoTo23 = rewriter.getF32FloatAttr(8388608.0f);
    if (auto shaped = dyn_cast<ShapedType>(type))
      twoTo23 = SplatElementsAttr::get(shaped, twoTo23);
    Value magic = arith::ConstantOp::create(rewriter, loc, twoTo23);
    Value x = op.getOperand();
    Value magnitude = math::AbsFOp::create(rewriter, loc, x);
    Value rounded = arith::SubFOp::create(
        rewriter, loc, arith::AddFOp::create(rewriter, loc, magnitude, magic),
        magic);
    Value small = arith::CmpFOp::create(
        rewriter, loc, arith::CmpFPredicate::OLT, magnitude, magic);
    rewriter.replaceOpWithNewOp<arith::SelectOp>(
        op, small, math::CopySignOp::create(rewriter, loc, rounded, x), x);
    return success();
  }
};

struct FTApproximateMathPass
    : ft::impl::FTApproximateMathBase<FTApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns);
    // What the approximations and TOSA leave that LLVM would also make
    // calls to libm for (fmaf, floorf, ceilf, roundevenf) on targets
    // without the instruction: fma as a multiply and an add (the same
    // rounding on every target), floor, ceil and roundeven above.
    math::populateExpansionPatterns(patterns, {"fma"});
    patterns.add<ExpandRoundToIntegral<math::FloorOp, false>,
                 ExpandRoundToIntegral<math::CeilOp, true>, ExpandRoundEven>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // maximumf/minimumf (fmaximumf, fminimumf) as compares and selects.
    // Only those: arith's expansions also rewrite the tiles' index
    // divisions, which the pipeline lowers its own way later.
    SmallVector<Operation *> minMax;
    getOperation()->walk([&](Operation *op) {
      if (isa<arith::MaximumFOp, arith::MinimumFOp>(op))
        minMax.push_back(op);
    });
    RewritePatternSet expand(&getContext());
    arith::populateArithExpandOpsPatterns(expand);
    if (failed(applyOpPatternsGreedily(minMax, std::move(expand))))
      signalPassFailure();
  }
};
} // namespace
