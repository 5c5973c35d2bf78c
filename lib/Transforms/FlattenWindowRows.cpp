//===- FlattenWindowRows.cpp - One loop per contiguous run, unrolled ------===//
//
// The multiply-accumulate loops ft-scalar-accumulation leaves, for scalar
// and DSP kernels (see the pass description): a window row that is one
// contiguous run in both buffers becomes one loop over it, and the
// innermost reduction loops are unrolled, so that four consecutive bytes
// of each buffer meet in one iteration (ft-arm-dual-mac's word loads).
//
//===----------------------------------------------------------------------===//

#include "ContiguousRuns.h"
#include "FusedTiling/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace ft {
#define GEN_PASS_DEF_FTFLATTENWINDOWROWS
#include "FusedTiling/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {

/// `dot` as one loop over its run, the products in the same order.
scf::ForOp rewriteAsRun(OpBuilder &builder, ft::ContiguousDot dot) {
  scf::ForOp replaced = dot.replaced();
  Location loc = replaced.getLoc();
  builder.setInsertionPoint(replaced);
  ft::RunBuffers run = ft::buildRunBuffers(builder, loc, dot);
  auto loop = scf::ForOp::create(
      builder, loc, arith::ConstantIndexOp::create(builder, loc, 0),
      arith::ConstantIndexOp::create(builder, loc, dot.length),
      arith::ConstantIndexOp::create(builder, loc, 1),
      ValueRange{replaced.getInitArgs()[0]},
      [&](OpBuilder &b, Location l, Value i, ValueRange acc) {
        SmallVector<Value, 2> factors;
        for (auto [base, start, guard] :
             llvm::zip(run.bases, run.starts, dot.guards)) {
          SmallVector<Value> indices = start;
          indices.back() = b.createOrFold<arith::AddIOp>(l, indices.back(), i);
          Value element = memref::LoadOp::create(b, l, base, indices);
          if (guard)
            element = arith::SelectOp::create(b, l, guard.getCondition(),
                                              element, guard.getFalseValue());
          factors.push_back(
              arith::ExtSIOp::create(b, l, b.getI32Type(), element));
        }
        Value product = arith::MulIOp::create(b, l, factors[0], factors[1]);
        scf::YieldOp::create(
            b, l, ValueRange{arith::AddIOp::create(b, l, acc[0], product)});
      });
  replaced.getResult(0).replaceAllUsesWith(loop.getResult(0));
  replaced.erase();
  return loop;
}

/// Whether `loop`'s body selects or branches (a border's bounds checks):
/// such a short loop stays rolled (unrolled, LLVM's code for it was
/// slower).
bool hasChecks(scf::ForOp loop) {
  return !loop.getBody()->getOps<arith::SelectOp>().empty() ||
         !loop.getBody()->getOps<scf::IfOp>().empty();
}

struct FTFlattenWindowRowsPass
    : ft::impl::FTFlattenWindowRowsBase<FTFlattenWindowRowsPass> {
  using FTFlattenWindowRowsBase::FTFlattenWindowRowsBase;

  void runOnOperation() override {
    OpBuilder builder(&getContext());
    SetVector<Operation *> touched;
    for (scf::ForOp loop : ft::collectInnermostReductions(getOperation())) {
      bool isRun = false;
      if (std::optional<ft::ContiguousDot> dot = ft::matchContiguousDot(loop)) {
        // Channels that fill whole unrolled iterations stay a loop of
        // their own (LLVM unrolls the short column loop around it).
        if (dot->length % unroll != 0)
          ft::flattenWithRow(*dot);
        if (ft::needsCollapse(*dot)) {
          loop = rewriteAsRun(builder, *dot);
          isRun = true;
        }
      }
      std::optional<APInt> staticTrips = loop.getStaticTripCount();
      if (!staticTrips)
        continue;
      const int64_t trips = staticTrips->getZExtValue();
      // Float sums have their own factor and are never unrolled whole
      // (their adds do not reassociate: unrolled, the loads still share
      // the loop's arithmetic).
      const bool isFloat =
          loop.getNumRegionIterArgs() > 0 &&
          isa<FloatType>(loop.getRegionIterArgs()[0].getType());
      const int64_t unroll =
          isFloat && floatUnroll > 0 ? floatUnroll : this->unroll;
      // A run of exactly `unroll` elements too (a 4-tap row of one
      // channel): one iteration, its bytes contiguous.
      if (unroll >= 2 && (trips >= 2 * unroll || (isRun && trips == unroll))) {
        touched.insert(loop->getParentOfType<linalg::GenericOp>());
        (void)loopUnrollByFactor(loop, unroll);
      } else if (!isFloat && trips >= 2 && trips <= unrollWhole &&
                 !hasChecks(loop)) {
        touched.insert(loop->getParentOfType<linalg::GenericOp>());
        (void)loopUnrollByFactor(loop, trips);
      }
    }
    // The unrolled copies' indices as `i + c` (constants folded), the form
    // ft-arm-dual-mac reads consecutive bytes in.
    for (Operation *generic : touched)
      (void)applyPatternsGreedily(generic, RewritePatternSet(&getContext()));
  }
};

} // namespace
