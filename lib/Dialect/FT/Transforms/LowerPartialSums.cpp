//===- LowerPartialSums.cpp - ft.partial_sum to linalg --------------------===//

#include "FusedTiling/Dialect/FT/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"

namespace ft {
#define GEN_PASS_DEF_FTLOWERPARTIALSUMS
#include "FusedTiling/Dialect/FT/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;
using namespace ft;

namespace {

/// acc += partial, elementwise, as a linalg.generic on tensors or buffers.
void lowerPartialSum(RewriterBase &rewriter, PartialSumOp sum) {
  Location loc = sum.getLoc();
  auto type = cast<ShapedType>(sum.getAccumulator().getType());
  AffineMap id = rewriter.getMultiDimIdentityMap(type.getRank());
  rewriter.setInsertionPoint(sum);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, sum->getResultTypes(), ValueRange{sum.getPartial()},
      ValueRange{sum.getAccumulator()}, SmallVector<AffineMap>(2, id),
      SmallVector<utils::IteratorType>(type.getRank(),
                                       utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value add =
            isa<FloatType>(type.getElementType())
                ? arith::AddFOp::create(b, l, args[1], args[0]).getResult()
                : arith::AddIOp::create(b, l, args[1], args[0]).getResult();
        linalg::YieldOp::create(b, l, add);
      });
  rewriter.replaceOp(sum, generic->getResults());
}

struct FTLowerPartialSumsPass
    : ft::impl::FTLowerPartialSumsBase<FTLowerPartialSumsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<PartialSumOp> sums;
    getOperation().walk([&](PartialSumOp op) { sums.push_back(op); });
    for (PartialSumOp sum : sums)
      lowerPartialSum(rewriter, sum);
  }
};

} // namespace
