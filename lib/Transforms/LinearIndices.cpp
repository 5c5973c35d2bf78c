//===- LinearIndices.cpp - Checks linear in one index variable ------------===//

#include "LinearIndices.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace {

std::optional<int64_t>
coefficientAt(Value value, Value variable,
              llvm::function_ref<bool(Value)> isIndependent, unsigned depth) {
  if (value == variable)
    return 1;
  if (isIndependent(value))
    return 0;
  Operation *op = value.getDefiningOp();
  if (!op || depth > 16)
    return std::nullopt;
  auto of = [&](Value operand) {
    return coefficientAt(operand, variable, isIndependent, depth + 1);
  };
  if (isa<arith::AddIOp, arith::SubIOp>(op)) {
    std::optional<int64_t> lhs = of(op->getOperand(0));
    std::optional<int64_t> rhs = of(op->getOperand(1));
    if (!lhs || !rhs)
      return std::nullopt;
    return isa<arith::AddIOp>(op) ? *lhs + *rhs : *lhs - *rhs;
  }
  if (auto multiply = dyn_cast<arith::MulIOp>(op)) {
    for (unsigned i = 0; i < 2; ++i)
      if (std::optional<int64_t> factor =
              getConstantIntValue(multiply->getOperand(i)))
        if (std::optional<int64_t> other = of(multiply->getOperand(1 - i)))
          return *factor * *other;
    return std::nullopt;
  }
  if (isa<arith::IndexCastOp>(op))
    return of(op->getOperand(0));
  if (auto apply = dyn_cast<affine::AffineApplyOp>(op)) {
    AffineExpr expr = apply.getAffineMap().getResult(0);
    if (!expr.isPureAffine())
      return std::nullopt;
    const unsigned numDims = apply.getAffineMap().getNumDims();
    const unsigned numInputs = apply.getAffineMap().getNumInputs();
    // The expression's value with input `unit` 1 and the others 0.
    auto valueAt = [&](int64_t unit) {
      SmallVector<AffineExpr> dims, symbols;
      for (unsigned i = 0; i < numInputs; ++i)
        (i < numDims ? dims : symbols)
            .push_back(getAffineConstantExpr(i == unit, op->getContext()));
      return cast<AffineConstantExpr>(expr.replaceDimsAndSymbols(dims, symbols))
          .getValue();
    };
    const int64_t constant = valueAt(-1);
    int64_t total = 0;
    for (auto [i, operand] : llvm::enumerate(apply.getOperands())) {
      std::optional<int64_t> inner = of(operand);
      if (!inner)
        return std::nullopt;
      total += (valueAt(i) - constant) * *inner;
    }
    return total;
  }
  // Anything else only when it does not depend on the variable.
  if (!isPure(op) || op->getNumRegions() != 0)
    return std::nullopt;
  for (Value operand : op->getOperands())
    if (of(operand) != std::optional<int64_t>(0))
      return std::nullopt;
  return 0;
}

} // namespace

std::optional<int64_t>
ft::coefficientOf(Value value, Value variable,
                  llvm::function_ref<bool(Value)> isIndependent) {
  return coefficientAt(value, variable, isIndependent, 0);
}

bool ft::isSignedOrdering(arith::CmpIPredicate predicate) {
  switch (predicate) {
  case arith::CmpIPredicate::sge:
  case arith::CmpIPredicate::sgt:
  case arith::CmpIPredicate::sle:
  case arith::CmpIPredicate::slt:
    return true;
  default:
    return false;
  }
}

// A check d >= 0 (d > 0 is d >= 1) holds from ceil(-e / a) on for a > 0;
// d <= 0 (d < 0 is d <= -1) holds below ceil((1 - e) / a). A negative a
// swaps the two.
Value ft::boundOf(OpBuilder &builder, Location loc,
                  arith::CmpIPredicate predicate, int64_t a, Value lhsAtZero,
                  Value rhsAtZero, bool &isLower) {
  if (!lhsAtZero.getType().isIndex()) {
    lhsAtZero = arith::IndexCastOp::create(builder, loc, builder.getIndexType(),
                                           lhsAtZero);
    rhsAtZero = arith::IndexCastOp::create(builder, loc, builder.getIndexType(),
                                           rhsAtZero);
  }
  Value e = arith::SubIOp::create(builder, loc, lhsAtZero, rhsAtZero);
  // Normalised to d >= k or d <= k.
  int64_t k = 0;
  bool atLeast = true;
  switch (predicate) {
  case arith::CmpIPredicate::sge:
    break;
  case arith::CmpIPredicate::sgt:
    k = 1;
    break;
  case arith::CmpIPredicate::sle:
    atLeast = false;
    break;
  default: // slt
    atLeast = false;
    k = -1;
    break;
  }
  // With a < 0: a x + e >= k  <=>  (-a) x + (-e) <= -k.
  if (a < 0) {
    a = -a;
    e = arith::SubIOp::create(
        builder, loc, arith::ConstantIndexOp::create(builder, loc, 0), e);
    k = -k;
    atLeast = !atLeast;
  }
  Value aValue = arith::ConstantIndexOp::create(builder, loc, a);
  isLower = atLeast;
  // a x + e >= k  <=>  x >= ceil((k - e) / a);
  // a x + e <= k  <=>  x < ceil((k + 1 - e) / a).
  Value numerator = arith::SubIOp::create(
      builder, loc,
      arith::ConstantIndexOp::create(builder, loc, atLeast ? k : k + 1), e);
  return arith::CeilDivSIOp::create(builder, loc, numerator, aValue);
}
