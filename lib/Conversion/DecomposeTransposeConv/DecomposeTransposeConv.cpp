//===- DecomposeTransposeConv.cpp - transpose_conv2d as conv2d ------------===//
//
// tosa-to-linalg has no lowering for tosa.transpose_conv2d. Upstream's
// tosa-optional-decompositions rewrites it as a convolution, but also
// rewrites 1x1 convolutions into matmuls and depthwise ones into multiplies,
// which the tiling and the kernels rely on finding as convolutions: this
// pass applies the transposed-convolution patterns alone.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Conversion/Passes.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Tosa/Transforms/Passes.h"
#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace ft {
#define GEN_PASS_DEF_FTDECOMPOSETRANSPOSECONV
#include "FusedTiling/Conversion/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {
/// Upstream's strided decomposition first pads the filter to a multiple of
/// the stride, but builds that pad's value with the *input's* element type:
/// invalid IR for 16x8 (an i16 pad value on i8 weights). Padding the filter
/// here, with its own zero point and the output padding reduced to match,
/// leaves upstream nothing to pad. Zero taps appended at the bottom and right
/// of the window add nothing to the output.
struct PadFilterToStride : OpRewritePattern<tosa::TransposeConv2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::TransposeConv2DOp op,
                                PatternRewriter &rewriter) const override {
    auto weightType = dyn_cast<RankedTensorType>(op.getWeight().getType());
    if (!weightType || !weightType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "filter shape not static");
    ArrayRef<int64_t> stride = op.getStride();
    const int64_t kernelH = weightType.getDimSize(1);
    const int64_t kernelW = weightType.getDimSize(2);
    const int64_t padH = (stride[0] - kernelH % stride[0]) % stride[0];
    const int64_t padW = (stride[1] - kernelW % stride[1]) % stride[1];
    if (padH == 0 && padW == 0)
      return rewriter.notifyMatchFailure(op, "filter fits the stride");
    SmallVector<int64_t> paddedShape(weightType.getShape());
    paddedShape[1] += padH;
    paddedShape[2] += padW;
    Location loc = op.getLoc();
    Value weight = tosa::PadOp::create(
        rewriter, loc, weightType.clone(paddedShape), op.getWeight(),
        tosa::getTosaConstShape(rewriter, loc, {0, 0, 0, padH, 0, padW, 0, 0}),
        op.getWeightZp());
    SmallVector<int64_t> outPad(op.getOutPad());
    outPad[1] -= padH;
    outPad[3] -= padW;
    rewriter.modifyOpInPlace(op, [&] {
      op.getWeightMutable().assign(weight);
      op.setOutPad(outPad);
    });
    return success();
  }
};

struct FTDecomposeTransposeConvPass
    : ft::impl::FTDecomposeTransposeConvBase<FTDecomposeTransposeConvPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<PadFilterToStride>(&getContext(), /*benefit=*/2);
    tosa::populateTosaDecomposeTransposeConv(&getContext(), patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // A transposed convolution the patterns left (none known) would only
    // fail later, in tosa-to-linalg, with "failed to legalize".
    WalkResult left = getOperation()->walk([](tosa::TransposeConv2DOp op) {
      op.emitError("could not be decomposed into a convolution");
      return WalkResult::interrupt();
    });
    if (left.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
