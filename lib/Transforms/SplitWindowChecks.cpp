//===- SplitWindowChecks.cpp - Window loops split where their checks flip -===//
//
// Index-set splitting of the reduction loops of a padded window's border
// (see the pass description): a loop whose reads are guarded by bounds
// checks linear in its induction variable runs as three loops, the checks
// decided in each.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Transforms/Passes.h"
#include "LinearIndices.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace ft {
#define GEN_PASS_DEF_FTSPLITWINDOWCHECKS
#include "FusedTiling/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {

/// How an index depends on `loop`'s induction variable (see
/// ft::coefficientOf).
std::optional<int64_t> coefficientOf(Value value, scf::ForOp loop) {
  return ft::coefficientOf(value, loop.getInductionVar(), [&](Value v) {
    return loop.isDefinedOutsideOfLoop(v);
  });
}

/// `value` with the loop's induction variable replaced by `at`, computed
/// before the loop (by clones of the ops between them).
Value materializeAt(OpBuilder &builder, Value value, scf::ForOp loop, Value at,
                    IRMapping &mapping) {
  if (value == loop.getInductionVar())
    return at;
  if (loop.isDefinedOutsideOfLoop(value))
    return value;
  if (Value known = mapping.lookupOrNull(value))
    return known;
  Operation *op = value.getDefiningOp();
  for (Value operand : op->getOperands())
    mapping.map(operand, materializeAt(builder, operand, loop, at, mapping));
  Operation *clone = builder.clone(*op, mapping);
  return clone->getResult(cast<OpResult>(value).getResultNumber());
}

/// A leaf of a conjunction of checks: `lhs pred rhs` on indices.
struct Bound {
  arith::CmpIOp check;
  int64_t coefficient; // of the induction variable in lhs - rhs
};

/// Collects the leaves of the `andi` tree `condition`; false when one is
/// not a comparison of indices or integers.
bool collectLeaves(Value condition, SmallVectorImpl<arith::CmpIOp> &leaves) {
  if (auto conjunction = condition.getDefiningOp<arith::AndIOp>())
    return collectLeaves(conjunction.getLhs(), leaves) &&
           collectLeaves(conjunction.getRhs(), leaves);
  auto check = condition.getDefiningOp<arith::CmpIOp>();
  if (!check)
    return false;
  leaves.push_back(check);
  return true;
}

/// A condition of a branch or select in `loop` that is a conjunction of
/// signed comparisons, each linear in the induction variable or unchanged
/// by the loop, at least one of them changing: the checks to split on.
struct SplitCondition {
  Value condition;
  SmallVector<Bound> bounds; // the comparisons the loop changes
};

std::optional<SplitCondition> findCondition(scf::ForOp loop) {
  std::optional<SplitCondition> found;
  loop.getBody()->walk([&](Operation *op) {
    Value condition;
    if (auto branch = dyn_cast<scf::IfOp>(op))
      condition = branch.getCondition();
    else if (auto select = dyn_cast<arith::SelectOp>(op))
      condition = select.getCondition();
    if (!condition || !condition.getType().isInteger(1) ||
        loop.isDefinedOutsideOfLoop(condition))
      return WalkResult::advance();
    SmallVector<arith::CmpIOp> leaves;
    if (!collectLeaves(condition, leaves))
      return WalkResult::advance();
    SplitCondition candidate{condition, {}};
    for (arith::CmpIOp check : leaves) {
      std::optional<int64_t> lhs = coefficientOf(check.getLhs(), loop);
      std::optional<int64_t> rhs = coefficientOf(check.getRhs(), loop);
      if (!lhs || !rhs)
        return WalkResult::advance();
      const int64_t coefficient = *lhs - *rhs;
      if (coefficient == 0)
        continue;
      if (!ft::isSignedOrdering(check.getPredicate()))
        return WalkResult::advance();
      candidate.bounds.push_back({check, coefficient});
    }
    if (candidate.bounds.empty())
      return WalkResult::advance();
    found = std::move(candidate);
    return WalkResult::interrupt();
  });
  return found;
}

/// Splits `loop` (step 1) into the iterations before the checks of `split`
/// all hold, those where they do and those after: three loops, each
/// carrying the iteration arguments on. In the first and last, the
/// condition is false; in the middle one, the checks the loop changes are
/// true.
void splitLoop(scf::ForOp loop, const SplitCondition &split) {
  OpBuilder builder(loop);
  Location loc = loop.getLoc();
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  Value lower = loop.getLowerBound();
  Value upper = loop.getUpperBound();
  Value first = lower, last = upper;
  IRMapping atZero;
  for (Bound bound : split.bounds) {
    Value lhs =
        materializeAt(builder, bound.check.getLhs(), loop, zero, atZero);
    Value rhs =
        materializeAt(builder, bound.check.getRhs(), loop, zero, atZero);
    bool isLower = true;
    Value at = ft::boundOf(builder, loc, bound.check.getPredicate(),
                           bound.coefficient, lhs, rhs, isLower);
    if (isLower)
      first = arith::MaxSIOp::create(builder, loc, first, at);
    else
      last = arith::MinSIOp::create(builder, loc, last, at);
  }
  // lower <= first <= last <= upper.
  first = arith::MinSIOp::create(builder, loc, first, upper);
  last = arith::MaxSIOp::create(builder, loc, last, first);

  Value trueValue =
      arith::ConstantIntOp::create(builder, loc, builder.getI1Type(), 1);
  Value falseValue =
      arith::ConstantIntOp::create(builder, loc, builder.getI1Type(), 0);
  ValueRange carried = loop.getInitArgs();
  SmallVector<std::pair<Value, Value>> ranges = {
      {lower, first}, {first, last}, {last, upper}};
  for (auto [index, range] : llvm::enumerate(ranges)) {
    IRMapping mapping;
    auto piece = cast<scf::ForOp>(builder.clone(*loop, mapping));
    piece.getLowerBoundMutable().assign(range.first);
    piece.getUpperBoundMutable().assign(range.second);
    piece.getInitArgsMutable().assign(carried);
    if (index == 1) {
      for (Bound bound : split.bounds)
        mapping.lookup(bound.check.getResult()).replaceAllUsesWith(trueValue);
    } else {
      mapping.lookup(split.condition).replaceAllUsesWith(falseValue);
    }
    carried = piece.getResults();
  }
  loop.replaceAllUsesWith(carried);
  loop.erase();
}

struct FTSplitWindowChecksPass
    : ft::impl::FTSplitWindowChecksBase<FTSplitWindowChecksPass> {
  using FTSplitWindowChecksBase::FTSplitWindowChecksBase;

  void runOnOperation() override {
    SmallVector<linalg::GenericOp> generics;
    getOperation().walk(
        [&](linalg::GenericOp generic) { generics.push_back(generic); });
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    scf::IfOp::getCanonicalizationPatterns(patterns, context);
    arith::SelectOp::getCanonicalizationPatterns(patterns, context);
    arith::AndIOp::getCanonicalizationPatterns(patterns, context);
    FrozenRewritePatternSet frozen(std::move(patterns));
    for (linalg::GenericOp generic : generics) {
      // Innermost loops first: a loop's pieces hold the checks its outer
      // loops decide, folded to what is left of them.
      bool changed = true;
      for (unsigned round = 0; changed && round < 8; ++round) {
        changed = false;
        SmallVector<scf::ForOp> loops;
        generic.getBody()->walk([&](scf::ForOp loop) {
          std::optional<int64_t> step = getConstantIntValue(loop.getStep());
          std::optional<APInt> trips = loop.getStaticTripCount();
          if (step == 1 && (!trips || static_cast<int64_t>(
                                          trips->getZExtValue()) >= minTrips))
            loops.push_back(loop);
        });
        for (scf::ForOp loop : loops) {
          std::optional<SplitCondition> split = findCondition(loop);
          if (!split)
            continue;
          splitLoop(loop, *split);
          changed = true;
          break;
        }
        // Only where a loop was split: the selects and branches on the
        // decided checks fold (the other nests stay as they are).
        if (changed)
          (void)applyPatternsGreedily(generic, frozen);
      }
    }
  }
};

} // namespace
