//===- LowerAxisGathers.cpp - ft.axis_gather to linalg --------------------===//

#include "FusedTiling/Dialect/FT/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace ft {
#define GEN_PASS_DEF_FTLOWERAXISGATHERS
#include "FusedTiling/Dialect/FT/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;
using namespace ft;

namespace {

struct FTLowerAxisGathersPass
    : ft::impl::FTLowerAxisGathersBase<FTLowerAxisGathersPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<AxisGatherOp> gathers;
    getOperation().walk([&](AxisGatherOp op) { gathers.push_back(op); });
    for (AxisGatherOp gather : gathers) {
      rewriter.setInsertionPoint(gather);
      // The whole result is the one tile.
      SmallVector<OpFoldResult> offsets, sizes;
      for (const Range &range : gather.getIterationDomain(rewriter)) {
        offsets.push_back(range.offset);
        sizes.push_back(range.size);
      }
      FailureOr<TilingResult> lowered =
          buildAxisGatherTile(rewriter, gather, offsets, sizes);
      if (failed(lowered)) {
        gather.emitOpError("could not be lowered to linalg");
        return signalPassFailure();
      }
      Value result = lowered->tiledValues.front();
      if (result.getType() != gather.getType())
        result = tensor::CastOp::create(rewriter, gather.getLoc(),
                                        gather.getType(), result);
      rewriter.replaceOp(gather, result);
    }
  }
};

} // namespace
