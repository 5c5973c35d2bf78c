//===- PeelWindowEdges.cpp - Output regions where window checks are known -===//
//
// Index-set splitting of a padded window's output loops (see the pass
// description): the interior box, whose windows read no padding, becomes a
// generic without checks; the border, one more generic run over its boxes;
// a tile with only dynamic positions, a copy without checks behind a test
// of its corners.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Transforms/Passes.h"
#include "LinearIndices.h"
#include "ScalarAccumulationNests.h"

#include "mlir/Analysis/TopologicalSortUtils.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace ft {
#define GEN_PASS_DEF_FTPEELWINDOWEDGES
#include "FusedTiling/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {

/// A closed interval of integers.
struct Interval {
  int64_t lo, hi;
};

/// Interval arithmetic over the index computations of a payload: bounds
/// checks are comparisons of affine functions of the generic's indices and
/// of the reduction loops' induction variables with constants.
class RangeEvaluator {
public:
  /// `indexRanges[d]`: the values `linalg.index d` takes (none: not known,
  /// a dynamic extent).
  explicit RangeEvaluator(ArrayRef<std::optional<Interval>> indexRanges)
      : indexRanges(indexRanges) {}

  std::optional<Interval> evaluate(Value value, unsigned depth = 0) const {
    if (depth > 16)
      return std::nullopt;
    if (std::optional<int64_t> constant = getConstantIntValue(value))
      return Interval{*constant, *constant};
    if (auto argument = dyn_cast<BlockArgument>(value)) {
      auto loop = dyn_cast<scf::ForOp>(argument.getOwner()->getParentOp());
      if (!loop || argument != loop.getInductionVar())
        return std::nullopt;
      std::optional<int64_t> lower = getConstantIntValue(loop.getLowerBound());
      std::optional<int64_t> upper = getConstantIntValue(loop.getUpperBound());
      std::optional<int64_t> step = getConstantIntValue(loop.getStep());
      if (!lower || !upper || !step || *step <= 0 || *upper <= *lower)
        return std::nullopt;
      return Interval{*lower, *lower + (*upper - *lower - 1) / *step * *step};
    }
    Operation *op = value.getDefiningOp();
    if (auto index = dyn_cast<linalg::IndexOp>(op))
      return index.getDim() < indexRanges.size() ? indexRanges[index.getDim()]
                                                 : std::nullopt;
    if (auto cast = dyn_cast<arith::IndexCastOp>(op))
      return evaluate(cast.getIn(), depth + 1);
    if (isa<arith::AddIOp, arith::SubIOp, arith::MulIOp>(op)) {
      std::optional<Interval> lhs = evaluate(op->getOperand(0), depth + 1);
      std::optional<Interval> rhs = evaluate(op->getOperand(1), depth + 1);
      if (!lhs || !rhs)
        return std::nullopt;
      if (isa<arith::AddIOp>(op))
        return Interval{lhs->lo + rhs->lo, lhs->hi + rhs->hi};
      if (isa<arith::SubIOp>(op))
        return Interval{lhs->lo - rhs->hi, lhs->hi - rhs->lo};
      return multiply(*lhs, *rhs);
    }
    if (isa<arith::MaxSIOp, arith::MinSIOp>(op)) {
      std::optional<Interval> lhs = evaluate(op->getOperand(0), depth + 1);
      std::optional<Interval> rhs = evaluate(op->getOperand(1), depth + 1);
      if (!lhs || !rhs)
        return std::nullopt;
      if (isa<arith::MaxSIOp>(op))
        return Interval{std::max(lhs->lo, rhs->lo), std::max(lhs->hi, rhs->hi)};
      return Interval{std::min(lhs->lo, rhs->lo), std::min(lhs->hi, rhs->hi)};
    }
    if (auto apply = dyn_cast<affine::AffineApplyOp>(op)) {
      SmallVector<Interval> operands;
      for (Value operand : apply.getOperands()) {
        std::optional<Interval> range = evaluate(operand, depth + 1);
        if (!range)
          return std::nullopt;
        operands.push_back(*range);
      }
      AffineMap map = apply.getAffineMap();
      return evaluate(map.getResult(0), operands, map.getNumDims());
    }
    return std::nullopt;
  }

  /// Whether `compare` holds for every value its operands take (true),
  /// for none (false), or it depends (nullopt).
  std::optional<bool> decide(arith::CmpIOp compare) const {
    std::optional<Interval> lhs = evaluate(compare.getLhs());
    std::optional<Interval> rhs = evaluate(compare.getRhs());
    if (!lhs || !rhs)
      return std::nullopt;
    switch (compare.getPredicate()) {
    case arith::CmpIPredicate::slt:
      return lhs->hi < rhs->lo    ? std::optional(true)
             : lhs->lo >= rhs->hi ? std::optional(false)
                                  : std::nullopt;
    case arith::CmpIPredicate::sle:
      return lhs->hi <= rhs->lo  ? std::optional(true)
             : lhs->lo > rhs->hi ? std::optional(false)
                                 : std::nullopt;
    case arith::CmpIPredicate::sgt:
      return lhs->lo > rhs->hi    ? std::optional(true)
             : lhs->hi <= rhs->lo ? std::optional(false)
                                  : std::nullopt;
    case arith::CmpIPredicate::sge:
      return lhs->lo >= rhs->hi  ? std::optional(true)
             : lhs->hi < rhs->lo ? std::optional(false)
                                 : std::nullopt;
    default:
      return std::nullopt;
    }
  }

  /// For a maximum or minimum of two operands: the operand it always
  /// equals (0 or 1), or nullopt when that depends.
  std::optional<unsigned> decideClamp(Operation *op) const {
    std::optional<Interval> lhs = evaluate(op->getOperand(0));
    std::optional<Interval> rhs = evaluate(op->getOperand(1));
    if (!lhs || !rhs)
      return std::nullopt;
    const bool max = isa<arith::MaxSIOp>(op);
    if (max ? lhs->lo >= rhs->hi : lhs->hi <= rhs->lo)
      return 0u;
    if (max ? rhs->lo >= lhs->hi : rhs->hi <= lhs->lo)
      return 1u;
    return std::nullopt;
  }

  /// `decide` for a condition built from comparisons with `and` and `or`.
  std::optional<bool> decide(Value condition, unsigned depth = 0) const {
    if (depth > 16)
      return std::nullopt;
    Operation *op = condition.getDefiningOp();
    if (auto compare = dyn_cast_or_null<arith::CmpIOp>(op))
      return decide(compare);
    if (!isa_and_nonnull<arith::AndIOp, arith::OrIOp>(op))
      return std::nullopt;
    // An `and` is false if either side is, an `or` true if either side is.
    const bool absorbing = isa<arith::OrIOp>(op);
    std::optional<bool> lhs = decide(op->getOperand(0), depth + 1);
    std::optional<bool> rhs = decide(op->getOperand(1), depth + 1);
    if (lhs == absorbing || rhs == absorbing)
      return absorbing;
    if (lhs && rhs)
      return !absorbing;
    return std::nullopt;
  }

private:
  static Interval multiply(Interval a, Interval b) {
    int64_t products[] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
    return {*llvm::min_element(products), *llvm::max_element(products)};
  }

  static std::optional<Interval>
  evaluate(AffineExpr expr, ArrayRef<Interval> operands, unsigned numDims) {
    if (auto constant = dyn_cast<AffineConstantExpr>(expr))
      return Interval{constant.getValue(), constant.getValue()};
    if (auto dim = dyn_cast<AffineDimExpr>(expr))
      return operands[dim.getPosition()];
    if (auto symbol = dyn_cast<AffineSymbolExpr>(expr))
      return operands[numDims + symbol.getPosition()];
    auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
    if (!binary)
      return std::nullopt;
    std::optional<Interval> lhs = evaluate(binary.getLHS(), operands, numDims);
    std::optional<Interval> rhs = evaluate(binary.getRHS(), operands, numDims);
    if (!lhs || !rhs)
      return std::nullopt;
    if (expr.getKind() == AffineExprKind::Add)
      return Interval{lhs->lo + rhs->lo, lhs->hi + rhs->hi};
    if (expr.getKind() == AffineExprKind::Mul)
      return multiply(*lhs, *rhs);
    return std::nullopt;
  }

  ArrayRef<std::optional<Interval>> indexRanges;
};

/// The `linalg.index` dimensions `value` is computed from.
llvm::SmallBitVector indexDims(Value value, unsigned numDims) {
  llvm::SmallBitVector dims(numDims);
  SmallVector<Value> worklist{value};
  DenseSet<Value> seen;
  while (!worklist.empty()) {
    Value next = worklist.pop_back_val();
    if (!seen.insert(next).second)
      continue;
    Operation *op = next.getDefiningOp();
    if (!op)
      continue;
    if (auto index = dyn_cast<linalg::IndexOp>(op)) {
      if (index.getDim() < numDims)
        dims.set(index.getDim());
      continue;
    }
    llvm::append_range(worklist, op->getOperands());
  }
  return dims;
}

/// A run of output positions along one dimension: [start, start + size)
/// (a dynamic size: the whole dimension).
struct Run {
  int64_t start, size;
};

/// For each dimension, its positions split where the outcome of a bounds
/// check that depends on it changes (one run: not split).
SmallVector<SmallVector<Run>> findRuns(linalg::GenericOp generic) {
  SmallVector<int64_t> extents = generic.getStaticLoopRanges();
  const unsigned numDims = extents.size();
  SmallVector<std::optional<Interval>> fullRanges;
  for (int64_t extent : extents)
    fullRanges.push_back(ShapedType::isDynamic(extent)
                             ? std::nullopt
                             : std::optional(Interval{0, extent - 1}));

  // The checks on one dimension each.
  SmallVector<SmallVector<arith::CmpIOp>> checksOf(numDims);
  generic.getBody()->walk([&](arith::CmpIOp compare) {
    llvm::SmallBitVector dims = indexDims(compare.getLhs(), numDims);
    dims |= indexDims(compare.getRhs(), numDims);
    if (dims.count() == 1)
      checksOf[dims.find_first()].push_back(compare);
  });

  // Inputs read through indexing maps get views of the box too: through
  // permutations of the dimensions only (a residual input, a bias).
  llvm::SmallBitVector readByMaps(numDims);
  for (OpOperand *input : generic.getDpsInputOperands())
    for (unsigned d = 0; d < numDims; ++d)
      if (generic.getMatchingIndexingMap(input).isFunctionOfDim(d) &&
          !generic.getMatchingIndexingMap(input).isProjectedPermutation())
        readByMaps.set(d);

  SmallVector<SmallVector<Run>> runs(numDims);
  for (unsigned d = 0; d < numDims; ++d) {
    if (checksOf[d].empty() || readByMaps.test(d) ||
        ShapedType::isDynamic(extents[d])) {
      runs[d].push_back({0, extents[d]});
      continue;
    }
    SmallVector<std::optional<Interval>> ranges = fullRanges;
    SmallVector<std::optional<bool>> previous;
    for (int64_t position = 0; position < extents[d]; ++position) {
      ranges[d] = Interval{position, position};
      RangeEvaluator evaluator(ranges);
      SmallVector<std::optional<bool>> outcomes =
          llvm::map_to_vector(checksOf[d], [&](arith::CmpIOp compare) {
            return evaluator.decide(compare);
          });
      if (position == 0 || outcomes != previous)
        runs[d].push_back({position, 0});
      ++runs[d].back().size;
      previous = std::move(outcomes);
    }
  }
  return runs;
}

/// A box of output positions: per dimension, its first position and its
/// extent (static, or values: a box chosen at run time).
struct Box {
  SmallVector<OpFoldResult> offsets, sizes;
};

/// What the positions of a set of boxes decide in a payload: bounds checks
/// (comparisons, and their `and` and `or`) with their outcome, and clamps
/// of indices (signed maxima and minima) with the operand they equal.
struct Outcomes {
  DenseMap<Operation *, bool> checks;
  DenseMap<Operation *, unsigned> clamps;
};

/// The checks and clamps of `generic`'s payload whose outcome is the same
/// at every position of every box in `boxes` (static boxes).
Outcomes decidedChecks(linalg::GenericOp generic, ArrayRef<Box> boxes) {
  Outcomes decided;
  SmallVector<SmallVector<std::optional<Interval>>> ranges;
  for (const Box &box : boxes) {
    ranges.emplace_back();
    for (auto [offset, size] : llvm::zip(box.offsets, box.sizes)) {
      std::optional<int64_t> start = getConstantIntValue(offset);
      std::optional<int64_t> extent = getConstantIntValue(size);
      ranges.back().push_back(
          start && extent
              ? std::optional(Interval{*start, *start + *extent - 1})
              : std::nullopt);
    }
  }
  generic.getBody()->walk([&](Operation *op) {
    // Index clamps only: index arithmetic does not wrap.
    if (isa<arith::MaxSIOp, arith::MinSIOp>(op) &&
        op->getResult(0).getType().isIndex()) {
      std::optional<unsigned> common;
      for (ArrayRef<std::optional<Interval>> boxRanges : ranges) {
        std::optional<unsigned> operand =
            RangeEvaluator(boxRanges).decideClamp(op);
        if (!operand || (common && *common != *operand))
          return;
        common = operand;
      }
      if (common)
        decided.clamps[op] = *common;
      return;
    }
    if (!isa<arith::CmpIOp, arith::AndIOp, arith::OrIOp>(op) ||
        !op->getResult(0).getType().isInteger(1))
      return;
    std::optional<bool> common;
    for (ArrayRef<std::optional<Interval>> boxRanges : ranges) {
      std::optional<bool> outcome =
          RangeEvaluator(boxRanges).decide(op->getResult(0));
      if (!outcome || (common && *common != *outcome))
        return;
      common = outcome;
    }
    if (common)
      decided.checks[op] = *common;
  });
  return decided;
}

/// The index a clamp in `outcomes` equals: through nested clamps (a
/// minimum of a maximum) to the one that is not decided.
Value unclamped(Value index, const Outcomes &outcomes) {
  for (auto it = outcomes.clamps.find(index.getDefiningOp());
       it != outcomes.clamps.end();
       it = outcomes.clamps.find(index.getDefiningOp()))
    index = it->first->getOperand(it->second);
  return index;
}

/// Replaces the copies (through `mapping`) of the checks in `outcomes` with
/// their outcome, created at `builder`'s point, and of its clamps with the
/// index they equal.
void replaceWithOutcomes(OpBuilder &builder, Location loc,
                         const IRMapping &mapping, const Outcomes &outcomes) {
  for (auto [check, outcome] : outcomes.checks)
    mapping.lookup(check->getResult(0))
        .replaceAllUsesWith(arith::ConstantIntOp::create(
            builder, loc, builder.getI1Type(), outcome));
  for (auto [clamp, operand] : outcomes.clamps)
    mapping.lookup(clamp->getResult(0))
        .replaceAllUsesWith(mapping.lookupOrDefault(
            unclamped(clamp->getOperand(operand), outcomes)));
}

/// Removes what the constant checks decide in `generic`: branches on them
/// and selects between their outcomes.
void foldBranchesOnConstants(linalg::GenericOp generic) {
  RewritePatternSet patterns(generic.getContext());
  scf::IfOp::getCanonicalizationPatterns(patterns, generic.getContext());
  arith::SelectOp::getCanonicalizationPatterns(patterns, generic.getContext());
  (void)applyPatternsGreedily(generic, std::move(patterns));
}

/// A copy of `generic` computing only the output positions of `box`, the
/// bounds checks in `decided` folded (and the branches and selects on
/// them with them), its clamps replaced by the operand they equal (an
/// index that is then visibly linear).
linalg::GenericOp emitBox(RewriterBase &rewriter, linalg::GenericOp generic,
                          const Box &box, const Outcomes &decided) {
  Location loc = generic.getLoc();
  Value out = generic.getDpsInitOperand(0)->get();
  SmallVector<OpFoldResult> strides(box.offsets.size(),
                                    rewriter.getIndexAttr(1));
  Value view = memref::SubViewOp::create(rewriter, loc, out, box.offsets,
                                         box.sizes, strides);
  // Inputs read through maps of the positions: their part of the box.
  SmallVector<Value> inputs;
  for (OpOperand *input : generic.getDpsInputOperands()) {
    AffineMap map = generic.getMatchingIndexingMap(input);
    if (map.getNumResults() == 0 ||
        llvm::all_of(
            box.offsets,
            [](OpFoldResult offset) { return isZeroInteger(offset); }) ||
        !isa<MemRefType>(input->get().getType())) {
      inputs.push_back(input->get());
      continue;
    }
    SmallVector<OpFoldResult> offsets, sizes;
    for (AffineExpr result : map.getResults()) {
      const unsigned d = cast<AffineDimExpr>(result).getPosition();
      offsets.push_back(box.offsets[d]);
      sizes.push_back(box.sizes[d]);
    }
    inputs.push_back(memref::SubViewOp::create(
        rewriter, loc, input->get(), offsets, sizes,
        SmallVector<OpFoldResult>(offsets.size(), rewriter.getIndexAttr(1))));
  }
  auto copy = linalg::GenericOp::create(
      rewriter, loc, TypeRange{}, inputs, ValueRange{view},
      generic.getIndexingMapsArray(), generic.getIteratorTypesArray(),
      [&](OpBuilder &builder, Location l, ValueRange arguments) {
        IRMapping mapping;
        mapping.map(generic.getBody()->getArguments(), arguments);
        for (Operation &op : *generic.getBody()) {
          auto index = dyn_cast<linalg::IndexOp>(op);
          if (!index || isZeroInteger(box.offsets[index.getDim()])) {
            builder.clone(op, mapping);
            continue;
          }
          // The position in the whole output.
          Value start = getValueOrCreateConstantIndexOp(
              builder, l, box.offsets[index.getDim()]);
          Value position =
              isOneInteger(box.sizes[index.getDim()])
                  ? start
                  : arith::AddIOp::create(
                        builder, l,
                        linalg::IndexOp::create(builder, l, index.getDim()),
                        start)
                        .getResult();
          mapping.map(index.getResult(), position);
        }
        replaceWithOutcomes(builder, l, mapping, decided);
      });
  copy->setDiscardableAttrs(generic->getDiscardableAttrDictionary());
  foldBranchesOnConstants(copy);
  return copy;
}

/// A linear function of the payload's positions and window loop variables,
/// as the chain of index ops that computes it, and its variables: the
/// `linalg.index` ops and the induction variables of loops in the payload
/// it reads. Empty unless every op of the chain is linear (adds,
/// subtractions, products with a constant, affine maps without division)
/// and every other value it reads is defined outside the generic.
struct LinearChain {
  SetVector<Operation *> ops;
  SetVector<Value> variables;
};

std::optional<LinearChain> linearChain(Value value, linalg::GenericOp generic) {
  LinearChain chain;
  SmallVector<Value> worklist{value};
  while (!worklist.empty()) {
    Value next = worklist.pop_back_val();
    if (!generic->isAncestor(next.getParentRegion()->getParentOp()))
      continue; // Defined outside: an invariant of the generic.
    if (auto argument = dyn_cast<BlockArgument>(next)) {
      auto loop = dyn_cast<scf::ForOp>(argument.getOwner()->getParentOp());
      if (!loop || argument != loop.getInductionVar() ||
          !getConstantIntValue(loop.getStep()))
        return std::nullopt;
      // Its bounds must be computable outside the generic too.
      for (Value bound : {loop.getLowerBound(), loop.getUpperBound()})
        if (generic->isAncestor(bound.getParentRegion()->getParentOp()) &&
            !getConstantIntValue(bound))
          return std::nullopt;
      chain.variables.insert(next);
      continue;
    }
    Operation *op = next.getDefiningOp();
    if (isa<linalg::IndexOp>(op)) {
      chain.variables.insert(next);
      continue;
    }
    if (matchPattern(op, m_Constant())) {
      chain.ops.insert(op);
      continue;
    }
    bool linear = isa<arith::AddIOp, arith::SubIOp, arith::IndexCastOp>(op);
    if (isa<arith::MulIOp>(op))
      linear = getConstantIntValue(op->getOperand(0)) ||
               getConstantIntValue(op->getOperand(1));
    // Pure affine: products only with constants; no division either.
    if (auto apply = dyn_cast<affine::AffineApplyOp>(op))
      linear = apply.getAffineMap().getResult(0).isPureAffine() &&
               !apply.getAffineMap()
                    .getResult(0)
                    .walk([](AffineExpr e) {
                      return e.getKind() == AffineExprKind::FloorDiv ||
                                     e.getKind() == AffineExprKind::CeilDiv ||
                                     e.getKind() == AffineExprKind::Mod
                                 ? WalkResult::interrupt()
                                 : WalkResult::advance();
                    })
                    .wasInterrupted();
    if (!linear)
      return std::nullopt;
    chain.ops.insert(op);
    llvm::append_range(worklist, op->getOperands());
  }
  return chain;
}

/// The first and last value of each variable of a linear chain in
/// `generic` (a position: 0 and its extent - 1; a window loop's induction
/// variable: its bounds), computed before the generic once each.
class Extremes {
public:
  Extremes(RewriterBase &rewriter, linalg::GenericOp generic)
      : rewriter(rewriter), loc(generic.getLoc()),
        out(generic.getDpsInitOperand(0)->get()) {}

  std::pair<Value, Value> of(Value variable) {
    auto [it, inserted] = known.try_emplace(variable);
    if (!inserted)
      return it->second;
    if (auto index = variable.getDefiningOp<linalg::IndexOp>()) {
      Value last = arith::SubIOp::create(
          rewriter, loc, extent(index.getDim()),
          arith::ConstantIndexOp::create(rewriter, loc, 1));
      return it->second = {arith::ConstantIndexOp::create(rewriter, loc, 0),
                           last};
    }
    auto loop = cast<scf::ForOp>(
        cast<BlockArgument>(variable).getOwner()->getParentOp());
    auto outside = [&](Value bound) -> Value {
      if (std::optional<int64_t> constant = getConstantIntValue(bound))
        return arith::ConstantIndexOp::create(rewriter, loc, *constant);
      return bound;
    };
    Value lower = outside(loop.getLowerBound());
    Value upper = outside(loop.getUpperBound());
    // lower + (upper - lower - 1) floordiv step * step: the last value.
    const int64_t step = *getConstantIntValue(loop.getStep());
    AffineExpr l = getAffineDimExpr(0, rewriter.getContext());
    AffineExpr u = getAffineDimExpr(1, rewriter.getContext());
    Value last = affine::AffineApplyOp::create(
        rewriter, loc,
        AffineMap::get(2, 0, l + (u - l - 1).floorDiv(step) * step),
        ValueRange{lower, upper});
    return it->second = {lower, last};
  }

  /// The number of positions along output dimension `dim`.
  Value extent(unsigned dim) {
    Value &size = extents[dim];
    if (!size)
      size = getValueOrCreateConstantIndexOp(
          rewriter, loc, memref::getMixedSize(rewriter, loc, out, dim));
    return size;
  }

private:
  RewriterBase &rewriter;
  Location loc;
  Value out;
  DenseMap<Value, std::pair<Value, Value>> known;
  DenseMap<unsigned, Value> extents;
};

/// The values the two sides of a check (`lhsValue` of `lhs`, `rhsValue` of
/// `rhs`) take with their variables as `mapping` gives them, computed by
/// clones of their chains' ops (the ops they share once) at the rewriter's
/// point.
std::pair<Value, Value> cloneAt(RewriterBase &rewriter, const LinearChain &lhs,
                                const LinearChain &rhs, Value lhsValue,
                                Value rhsValue, IRMapping &mapping) {
  SetVector<Operation *> ops = lhs.ops;
  ops.insert(rhs.ops.begin(), rhs.ops.end());
  for (Operation *op : topologicalSort(ops))
    rewriter.clone(*op, mapping);
  return {mapping.lookupOrDefault(lhsValue), mapping.lookupOrDefault(rhsValue)};
}

/// Calls `cover(lhs, rhs, predicate)` for every comparison in `generic`'s
/// payload and for every clamp of an index, as the comparison under which
/// it does not clamp (max(a, b) = a when a >= b, min(a, b) = a when a <= b;
/// a clamp inside it already covered: its index), and records those it
/// covers in `covered`: a check with the outcome true, a clamp with its
/// first operand.
void coverChecks(
    linalg::GenericOp generic, Outcomes &covered,
    llvm::function_ref<bool(Value, Value, arith::CmpIPredicate)> cover) {
  generic.getBody()->walk([&](Operation *op) {
    if (auto compare = dyn_cast<arith::CmpIOp>(op)) {
      if (cover(compare.getLhs(), compare.getRhs(), compare.getPredicate()))
        covered.checks[compare] = true;
      return;
    }
    if (!isa<arith::MaxSIOp, arith::MinSIOp>(op) ||
        !op->getResult(0).getType().isIndex())
      return;
    if (cover(unclamped(op->getOperand(0), covered), op->getOperand(1),
              isa<arith::MaxSIOp>(op) ? arith::CmpIPredicate::sge
                                      : arith::CmpIPredicate::sle))
      covered.clamps[op] = 0;
  });
}

/// Whether every bounds check of `generic`'s payload that the positions of
/// its dynamic dimensions decide holds everywhere, computed before the
/// generic from the corners of its iteration space (a linear function
/// compared with a bound holds on a box when it holds on its corners); the
/// checks it covers in `covered` (each with the outcome true). Null when
/// there is none.
Value insideAtRunTime(RewriterBase &rewriter, linalg::GenericOp generic,
                      Outcomes &covered) {
  Location loc = generic.getLoc();
  Value out = generic.getDpsInitOperand(0)->get();
  auto type = cast<MemRefType>(out.getType());
  Extremes extremes(rewriter, generic);
  Value all;
  // Whether `lhs predicate rhs` can be tested at the corners; if so, adds
  // the tests to `all`.
  auto cover = [&](Value lhsValue, Value rhsValue,
                   arith::CmpIPredicate predicate) {
    std::optional<LinearChain> lhs = linearChain(lhsValue, generic);
    std::optional<LinearChain> rhs = linearChain(rhsValue, generic);
    if (!lhs || !rhs)
      return false;
    SetVector<Value> variables = lhs->variables;
    variables.insert(rhs->variables.begin(), rhs->variables.end());
    const bool dynamic = llvm::any_of(variables, [&](Value v) {
      auto index = v.getDefiningOp<linalg::IndexOp>();
      return index && type.isDynamicDim(index.getDim());
    });
    if (!dynamic || variables.size() > 4)
      return false;
    SmallVector<std::pair<Value, Value>> ends =
        llvm::map_to_vector(variables, [&](Value v) { return extremes.of(v); });
    for (unsigned corner = 0; corner < (1u << variables.size()); ++corner) {
      IRMapping mapping;
      for (auto [k, variable] : llvm::enumerate(variables))
        mapping.map(variable,
                    (corner >> k) & 1 ? ends[k].second : ends[k].first);
      auto [lhsAt, rhsAt] =
          cloneAt(rewriter, *lhs, *rhs, lhsValue, rhsValue, mapping);
      Value holds =
          arith::CmpIOp::create(rewriter, loc, predicate, lhsAt, rhsAt);
      all = all ? arith::AndIOp::create(rewriter, loc, all, holds).getResult()
                : holds;
    }
    return true;
  };
  coverChecks(generic, covered, cover);
  return all;
}

/// A tile's generic (dynamic positions): when every covered check holds
/// on its whole iteration space, a copy without them runs instead.
void unswitchAtRunTime(RewriterBase &rewriter, linalg::GenericOp generic) {
  Outcomes covered;
  rewriter.setInsertionPoint(generic);
  Value inside = insideAtRunTime(rewriter, generic, covered);
  if (!inside)
    return;
  auto branch = scf::IfOp::create(rewriter, generic.getLoc(), inside,
                                  /*withElseRegion=*/true);
  rewriter.moveOpBefore(generic, branch.elseBlock()->getTerminator());
  rewriter.setInsertionPoint(branch.thenBlock()->getTerminator());
  IRMapping mapping;
  auto fast = cast<linalg::GenericOp>(rewriter.clone(*generic, mapping));
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointToStart(fast.getBody());
  replaceWithOutcomes(rewriter, generic.getLoc(), mapping, covered);
  foldBranchesOnConstants(fast);
}

/// The positions outside `interior` (a box of static runs), as at most two
/// boxes per split dimension: before and after the interior's run in that
/// dimension, the interior's runs in the dimensions before it, everything
/// in those after it.
SmallVector<Box> borderBoxes(RewriterBase &rewriter, linalg::GenericOp generic,
                             ArrayRef<std::optional<Run>> interior) {
  Value out = generic.getDpsInitOperand(0)->get();
  auto type = cast<MemRefType>(out.getType());
  Box whole;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    whole.offsets.push_back(rewriter.getIndexAttr(0));
    whole.sizes.push_back(
        memref::getMixedSize(rewriter, generic.getLoc(), out, d));
  }
  SmallVector<Box> boxes;
  Box prefix = whole;
  for (auto [dim, run] : llvm::enumerate(interior)) {
    if (!run)
      continue;
    const size_t d = dim; // (A lambda cannot capture a structured binding.)
    const int64_t extent = type.getDimSize(d);
    auto addBox = [&](int64_t start, int64_t size) {
      if (size <= 0)
        return;
      Box box = prefix;
      box.offsets[d] = rewriter.getIndexAttr(start);
      box.sizes[d] = rewriter.getIndexAttr(size);
      boxes.push_back(box);
    };
    addBox(0, run->start);
    addBox(run->start + run->size, extent - run->start - run->size);
    prefix.offsets[d] = rewriter.getIndexAttr(run->start);
    prefix.sizes[d] = rewriter.getIndexAttr(run->size);
  }
  return boxes;
}

/// One generic over the boxes in turn: a loop over them that chooses each
/// box's offsets and sizes (one copy of the checked code for all of them).
void emitBoxLoop(RewriterBase &rewriter, linalg::GenericOp generic,
                 ArrayRef<Box> boxes, const Outcomes &decided) {
  Location loc = generic.getLoc();
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  Value count = arith::ConstantIndexOp::create(rewriter, loc, boxes.size());
  auto loop = scf::ForOp::create(rewriter, loc, zero, count, one);
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(loop.getBody()->getTerminator());
  Value which = loop.getInductionVar();
  // Per dimension, the value box `which` has: a chain of selects where the
  // boxes differ.
  auto choose = [&](auto member, unsigned d) -> OpFoldResult {
    OpFoldResult first = (boxes.front().*member)[d];
    if (llvm::all_of(boxes,
                     [&](const Box &box) { return (box.*member)[d] == first; }))
      return first;
    Value chosen = getValueOrCreateConstantIndexOp(rewriter, loc, first);
    for (auto [k, box] : llvm::enumerate(boxes)) {
      if (k == 0)
        continue;
      Value isBox = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, which,
          arith::ConstantIndexOp::create(rewriter, loc, k));
      chosen = arith::SelectOp::create(
          rewriter, loc, isBox,
          getValueOrCreateConstantIndexOp(rewriter, loc, (box.*member)[d]),
          chosen);
    }
    return chosen;
  };
  Box chosen;
  for (unsigned d = 0; d < boxes.front().offsets.size(); ++d) {
    chosen.offsets.push_back(choose(&Box::offsets, d));
    chosen.sizes.push_back(choose(&Box::sizes, d));
  }
  emitBox(rewriter, generic, chosen, decided);
}

/// A check of a tile's generic that one dynamic position decides: `lhs
/// predicate rhs`, lhs - rhs = coefficient x position + a linear function
/// of the chains' other variables, which is least (for a check that
/// lhs - rhs is at least something) or greatest (at most) with each of
/// them at its first or last value as `atLast` says.
struct PositionCheck {
  LinearChain lhs, rhs;
  Value lhsValue, rhsValue;
  arith::CmpIPredicate predicate;
  linalg::IndexOp position;
  int64_t coefficient;
  SmallVector<std::pair<Value, bool>> atLast;
};

/// The checks of `generic`'s payload that are linear in one dynamic
/// position and the window loops (and static positions), as `PositionCheck`s,
/// with the outcome they have where they hold in `covered`. Nullopt when a
/// check depends on two dynamic positions (no box of runs covers it).
std::optional<std::vector<PositionCheck>>
findPositionChecks(linalg::GenericOp generic, Outcomes &covered) {
  auto type = cast<MemRefType>(generic.getDpsInitOperand(0)->get().getType());
  std::vector<PositionCheck> checks;
  bool separable = true;
  auto add = [&](Value lhsValue, Value rhsValue,
                 arith::CmpIPredicate predicate) {
    std::optional<LinearChain> lhs = linearChain(lhsValue, generic);
    std::optional<LinearChain> rhs = linearChain(rhsValue, generic);
    if (!lhs || !rhs || !ft::isSignedOrdering(predicate))
      return false;
    SetVector<Value> variables = lhs->variables;
    variables.insert(rhs->variables.begin(), rhs->variables.end());
    SmallVector<linalg::IndexOp> positions;
    for (Value variable : variables)
      if (auto index = variable.getDefiningOp<linalg::IndexOp>())
        if (type.isDynamicDim(index.getDim()))
          positions.push_back(index);
    if (positions.size() > 1)
      separable = false;
    if (positions.size() != 1 || variables.size() > 4)
      return false;
    // The coefficient of `variable` in lhs - rhs.
    auto coefficientOf = [&](Value variable) -> std::optional<int64_t> {
      auto isIndependent = [&](Value v) {
        return v != variable &&
               (variables.contains(v) ||
                !generic->isAncestor(v.getParentRegion()->getParentOp()));
      };
      std::optional<int64_t> inLhs =
          ft::coefficientOf(lhsValue, variable, isIndependent);
      std::optional<int64_t> inRhs =
          ft::coefficientOf(rhsValue, variable, isIndependent);
      if (!inLhs || !inRhs)
        return std::nullopt;
      return *inLhs - *inRhs;
    };
    PositionCheck check{
        *lhs, *rhs, lhsValue, rhsValue, predicate, positions.front(), 0, {}};
    std::optional<int64_t> coefficient = coefficientOf(check.position);
    if (!coefficient || *coefficient == 0)
      return false;
    check.coefficient = *coefficient;
    // lhs - rhs >= k must hold where it is least, <= k where greatest.
    const bool atLeast = predicate == arith::CmpIPredicate::sge ||
                         predicate == arith::CmpIPredicate::sgt;
    for (Value variable : variables) {
      if (variable == check.position.getResult())
        continue;
      std::optional<int64_t> other = coefficientOf(variable);
      if (!other)
        return false;
      check.atLast.push_back({variable, atLeast ? *other < 0 : *other > 0});
    }
    checks.push_back(std::move(check));
    return true;
  };
  coverChecks(generic, covered, add);
  if (!separable)
    return std::nullopt;
  return checks;
}

/// A tile's generic (dynamic positions) whose checks on them are each
/// linear in one position: per dynamic dimension, the run of positions on
/// which all of them hold, computed before the generic from the checks at
/// the corners of their other variables (lhs - rhs = a x + e holds from, or
/// up to, ceil(.. - e) / a); a copy without those checks computes the box of
/// the runs, the checked generic the positions around it (at most two boxes
/// per dimension, run by one loop, behind a test that there are any). A
/// tile at the image's edge then computes most of its positions without
/// checks too. False, and nothing changed, when there is no such check or
/// a check depends on two dynamic positions.
bool peelAtRunTime(RewriterBase &rewriter, linalg::GenericOp generic) {
  // Inputs read through maps get views of each box: permutations only.
  for (OpOperand *input : generic.getDpsInputOperands()) {
    AffineMap map = generic.getMatchingIndexingMap(input);
    if (map.getNumResults() != 0 && !map.isProjectedPermutation())
      return false;
  }
  Outcomes covered;
  std::optional<std::vector<PositionCheck>> checks =
      findPositionChecks(generic, covered);
  if (!checks || checks->empty())
    return false;

  Location loc = generic.getLoc();
  rewriter.setInsertionPoint(generic);
  Extremes extremes(rewriter, generic);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  // Per dimension: the first position where all its checks hold, and the
  // first after that where one no longer does.
  const unsigned rank = generic.getNumLoops();
  SmallVector<Value> firsts(rank), ends(rank);
  for (PositionCheck &check : *checks) {
    IRMapping mapping;
    mapping.map(check.position.getResult(), zero);
    for (auto [variable, atLast] : check.atLast) {
      auto [firstValue, lastValue] = extremes.of(variable);
      mapping.map(variable, atLast ? lastValue : firstValue);
    }
    auto [lhs, rhs] = cloneAt(rewriter, check.lhs, check.rhs, check.lhsValue,
                              check.rhsValue, mapping);
    bool isLower = true;
    Value bound = ft::boundOf(rewriter, loc, check.predicate, check.coefficient,
                              lhs, rhs, isLower);
    const unsigned dim = check.position.getDim();
    Value &kept = isLower ? firsts[dim] : ends[dim];
    kept = !kept ? bound
           : isLower
               ? arith::MaxSIOp::create(rewriter, loc, kept, bound).getResult()
               : arith::MinSIOp::create(rewriter, loc, kept, bound).getResult();
  }

  // Per dimension bounded by a check: 0 <= first <= end <= extent.
  Box inside, whole;
  for (unsigned d = 0; d < rank; ++d) {
    Value extent = extremes.extent(d);
    whole.offsets.push_back(rewriter.getIndexAttr(0));
    // Static extents stay attributes: the views keep static sizes there.
    whole.sizes.push_back(getAsOpFoldResult(extent));
    Value first = zero, end = extent;
    if (firsts[d])
      first = arith::MinSIOp::create(
          rewriter, loc, arith::MaxSIOp::create(rewriter, loc, firsts[d], zero),
          extent);
    if (ends[d] || firsts[d])
      end = arith::MaxSIOp::create(
          rewriter, loc,
          ends[d] ? arith::MinSIOp::create(rewriter, loc, ends[d], extent)
                  : extent,
          first);
    inside.offsets.push_back(getAsOpFoldResult(first));
    inside.sizes.push_back(getAsOpFoldResult(
        firsts[d] || ends[d]
            ? arith::SubIOp::create(rewriter, loc, end, first).getResult()
            : extent));
    firsts[d] = firsts[d] ? first : Value();
    ends[d] = ends[d] ? end : Value();
  }
  emitBox(rewriter, generic, inside, covered);

  // The border, where there is one: before and after the interior's run in
  // each bounded dimension, the interior's runs in the dimensions before it.
  Value border;
  SmallVector<Box> boxes;
  Box prefix = whole;
  auto addBox = [&](unsigned d, Value offset, Value size, Value nonEmpty) {
    Box box = prefix;
    box.offsets[d] = getAsOpFoldResult(offset);
    box.sizes[d] = getAsOpFoldResult(size);
    boxes.push_back(box);
    border =
        border
            ? arith::OrIOp::create(rewriter, loc, border, nonEmpty).getResult()
            : nonEmpty;
  };
  for (unsigned d = 0; d < rank; ++d) {
    Value extent = extremes.extent(d);
    if (firsts[d])
      addBox(d, zero, firsts[d],
             arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ne,
                                   firsts[d], zero));
    if (ends[d])
      addBox(d, ends[d], arith::SubIOp::create(rewriter, loc, extent, ends[d]),
             arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ne,
                                   ends[d], extent));
    prefix.offsets[d] = inside.offsets[d];
    prefix.sizes[d] = inside.sizes[d];
  }
  auto branch = scf::IfOp::create(rewriter, loc, border);
  rewriter.setInsertionPoint(branch.thenBlock()->getTerminator());
  Outcomes decided = decidedChecks(generic, boxes);
  if (boxes.size() == 1)
    emitBox(rewriter, generic, boxes.front(), decided);
  else
    emitBoxLoop(rewriter, generic, boxes, decided);
  rewriter.eraseOp(generic);
  return true;
}

/// Whether `generic` is a loop nest ft-scalar-accumulation left: all
/// parallel, one output through the identity map, reduction loops in its
/// payload. (Its static dimensions may be split: a tile's columns.)
bool isCandidate(linalg::GenericOp generic) {
  if (!ft::isOneOutputParallelNest(generic))
    return false;
  return generic.getBody()
      ->walk([](scf::ForOp) { return WalkResult::interrupt(); })
      .wasInterrupted();
}

struct FTPeelWindowEdgesPass
    : ft::impl::FTPeelWindowEdgesBase<FTPeelWindowEdgesPass> {
  using FTPeelWindowEdgesBase::FTPeelWindowEdgesBase;

  void runOnOperation() override {
    SmallVector<linalg::GenericOp> candidates;
    getOperation().walk([&](linalg::GenericOp generic) {
      if (isCandidate(generic))
        candidates.push_back(generic);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp generic : candidates) {
      SmallVector<SmallVector<Run>> runs = findRuns(generic);
      // The interior: in each split dimension its longest run.
      SmallVector<std::optional<Run>> interior;
      for (ArrayRef<Run> dimRuns : runs)
        interior.push_back(dimRuns.size() < 2
                               ? std::nullopt
                               : std::optional(*llvm::max_element(
                                     dimRuns, [](const Run &a, const Run &b) {
                                       return a.size < b.size;
                                     })));
      if (llvm::none_of(interior, [](auto run) { return run.has_value(); })) {
        if (!peelAtRunTime(rewriter, generic))
          unswitchAtRunTime(rewriter, generic);
        continue;
      }
      rewriter.setInsertionPoint(generic);
      SmallVector<Box> boxes = borderBoxes(rewriter, generic, interior);
      Box inside;
      Value out = generic.getDpsInitOperand(0)->get();
      for (auto [d, run] : llvm::enumerate(interior)) {
        inside.offsets.push_back(rewriter.getIndexAttr(run ? run->start : 0));
        inside.sizes.push_back(
            run ? rewriter.getIndexAttr(run->size)
                : memref::getMixedSize(rewriter, generic.getLoc(), out, d));
      }
      linalg::GenericOp interiorBox =
          emitBox(rewriter, generic, inside, decidedChecks(generic, inside));
      // A tile's interior: its checks on dynamic positions at run time.
      OpBuilder::InsertionGuard guard(rewriter);
      if (!peelAtRunTime(rewriter, interiorBox))
        unswitchAtRunTime(rewriter, interiorBox);
      rewriter.setInsertionPoint(generic);
      Outcomes decided = decidedChecks(generic, boxes);
      if (boxes.size() == 1)
        emitBox(rewriter, generic, boxes.front(), decided);
      else
        emitBoxLoop(rewriter, generic, boxes, decided);
      rewriter.eraseOp(generic);
    }
  }
};

} // namespace
