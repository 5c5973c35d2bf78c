//===- VectorizeReductions.cpp - Dot products over contiguous runs --------===//
//
// The multiply-accumulate loops ft-scalar-accumulation leaves, rewritten
// to scalable vectors along the reduction (see the pass description): a
// convolution's window row (its columns times its input channels, one
// contiguous run in NHWC) becomes a loop over vector-length-agnostic
// chunks, each a widening multiply and a reduction into the accumulator.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace ft {
#define GEN_PASS_DEF_FTVECTORIZEREDUCTIONS
#include "FusedTiling/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {

/// A loop `for i in [0, n): acc += sext(a[..., i]) * sext(b[..., i])` over
/// int8 elements, and optionally the loop around it that it flattens with
/// (a window's columns, when a row of the window is one contiguous run in
/// both buffers). One factor may be read behind a check that the run does
/// not change, `select(inside, a[..., i], pad)` (a padded window's row).
struct DotProduct {
  scf::ForOp loop;
  scf::ForOp row;
  std::array<memref::LoadOp, 2> loads;
  std::array<arith::SelectOp, 2> guards;
  int64_t length = 0;
};

std::optional<int64_t> tripCount(scf::ForOp loop) {
  std::optional<int64_t> lower = getConstantIntValue(loop.getLowerBound());
  std::optional<int64_t> upper = getConstantIntValue(loop.getUpperBound());
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  if (lower != 0 || step != 1 || !upper || *upper <= 0 ||
      loop.getNumRegionIterArgs() != 1)
    return std::nullopt;
  return *upper;
}

/// The strides of `type` (dynamic ones as ShapedType::kDynamic), or empty
/// if it has no strided layout.
SmallVector<int64_t> stridesOf(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return {};
  return strides;
}

std::optional<DotProduct> matchDotProduct(scf::ForOp loop) {
  std::optional<int64_t> length = tripCount(loop);
  if (!length || !loop.getRegionIterArgs()[0].getType().isInteger(32))
    return std::nullopt;
  Value acc = loop.getRegionIterArgs()[0];
  auto add = loop.getBody()
                 ->getTerminator()
                 ->getOperand(0)
                 .getDefiningOp<arith::AddIOp>();
  if (!add || !acc.hasOneUse() || !add->hasOneUse())
    return std::nullopt;
  Value product = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  auto multiply = product.getDefiningOp<arith::MulIOp>();
  if (!multiply || !multiply->hasOneUse())
    return std::nullopt;
  DotProduct dot{loop, nullptr, {}, {}, *length};
  SmallPtrSet<Operation *, 8> matched{add, multiply,
                                      loop.getBody()->getTerminator()};
  for (auto [k, factor] : llvm::enumerate(multiply->getOperands())) {
    auto extend = factor.getDefiningOp<arith::ExtSIOp>();
    Value element = extend ? extend.getIn() : Value();
    auto guard =
        element ? element.getDefiningOp<arith::SelectOp>() : arith::SelectOp();
    if (guard) {
      if (!guard->hasOneUse() ||
          !loop.isDefinedOutsideOfLoop(guard.getCondition()) ||
          !loop.isDefinedOutsideOfLoop(guard.getFalseValue()))
        return std::nullopt;
      element = guard.getTrueValue();
      dot.guards[k] = guard;
      matched.insert(guard);
    }
    auto load =
        element ? element.getDefiningOp<memref::LoadOp>() : memref::LoadOp();
    if (!load || !load.getType().isInteger(8) || !extend->hasOneUse() ||
        !load->hasOneUse() || load->getParentOp() != loop)
      return std::nullopt;
    MemRefType type = load.getMemRefType();
    SmallVector<int64_t> strides = stridesOf(type);
    // The loop walks the innermost dimension, element after element.
    if (strides.empty() || strides.back() != 1 ||
        load.getIndices().back() != loop.getInductionVar() ||
        !llvm::all_of(load.getIndices().drop_back(), [&](Value index) {
          return loop.isDefinedOutsideOfLoop(index);
        }))
      return std::nullopt;
    dot.loads[k] = load;
    matched.insert({extend, load});
  }
  // Padding lanes read the padding value: the other factor must be 0
  // there, in the masked tail.
  if (dot.guards[0] && dot.guards[1])
    return std::nullopt;
  // Nothing else happens in the loop (index arithmetic it does not use).
  for (Operation &op : *loop.getBody())
    if (!matched.contains(&op) && (!isMemoryEffectFree(&op) ||
                                   op.getNumRegions() != 0 || !op.use_empty()))
      return std::nullopt;
  return dot;
}

/// Whether `value` is `iv + c` with `c` defined outside `row`.
bool isInductionPlusInvariant(Value value, scf::ForOp row) {
  if (value == row.getInductionVar())
    return true;
  Operation *op = value.getDefiningOp();
  if (!op || row.isDefinedOutsideOfLoop(value))
    return false;
  if (auto add = dyn_cast<arith::AddIOp>(op))
    return (isInductionPlusInvariant(add.getLhs(), row) &&
            row.isDefinedOutsideOfLoop(add.getRhs())) ||
           (isInductionPlusInvariant(add.getRhs(), row) &&
            row.isDefinedOutsideOfLoop(add.getLhs()));
  if (auto sub = dyn_cast<arith::SubIOp>(op))
    return isInductionPlusInvariant(sub.getLhs(), row) &&
           row.isDefinedOutsideOfLoop(sub.getRhs());
  auto apply = dyn_cast<affine::AffineApplyOp>(op);
  if (!apply)
    return false;
  // One operand varies, with coefficient 1.
  AffineMap map = apply.getAffineMap();
  std::optional<unsigned> varying;
  for (auto [k, operand] : llvm::enumerate(apply.getMapOperands())) {
    if (row.isDefinedOutsideOfLoop(operand))
      continue;
    if (varying || !isInductionPlusInvariant(operand, row))
      return false;
    varying = k;
  }
  if (!varying)
    return false;
  const unsigned numDims = map.getNumDims();
  AffineExpr variable =
      *varying < numDims
          ? getAffineDimExpr(*varying, map.getContext())
          : getAffineSymbolExpr(*varying - numDims, map.getContext());
  AffineExpr rest = simplifyAffineExpr(map.getResult(0) - variable, numDims,
                                       map.getNumSymbols());
  return *varying < numDims ? !rest.isFunctionOfDim(*varying)
                            : !rest.isFunctionOfSymbol(*varying - numDims);
}

/// Extends `dot` to the loop around it when that loop only runs it over a
/// window's columns and a row of the window is contiguous in both buffers
/// (columns x channels, the channels being the whole innermost dimension).
void flattenWithRow(DotProduct &dot) {
  auto row = dyn_cast<scf::ForOp>(dot.loop->getParentOp());
  if (!row)
    return;
  moveLoopInvariantCode(cast<LoopLikeOpInterface>(row.getOperation()));
  std::optional<int64_t> columns = tripCount(row);
  if (!columns || dot.loop.getInitArgs()[0] != row.getRegionIterArgs()[0] ||
      row.getBody()->getTerminator()->getOperand(0) != dot.loop.getResult(0))
    return;
  for (Operation &op : row.getBody()->without_terminator())
    if (&op != dot.loop && (!isMemoryEffectFree(&op) || op.getNumRegions()))
      return;
  for (arith::SelectOp guard : dot.guards)
    if (guard && (!row.isDefinedOutsideOfLoop(guard.getCondition()) ||
                  !row.isDefinedOutsideOfLoop(guard.getFalseValue())))
      return;
  for (memref::LoadOp load : dot.loads) {
    MemRefType type = load.getMemRefType();
    const int64_t rank = type.getRank();
    SmallVector<int64_t> strides = stridesOf(type);
    if (rank < 2 || type.getDimSize(rank - 1) != dot.length ||
        strides[rank - 2] != dot.length ||
        !memref::CollapseShapeOp::isGuaranteedCollapsible(
            type, {{rank - 2, rank - 1}}) ||
        !isInductionPlusInvariant(load.getIndices()[rank - 2], row))
      return;
    for (Value index : load.getIndices().drop_back(2))
      if (!row.isDefinedOutsideOfLoop(index))
        return;
  }
  dot.row = row;
  dot.length *= *columns;
}

/// `value` (computed inside `row` from its induction variable) at the
/// row's first iteration, built at `builder`'s point.
Value atFirstIteration(OpBuilder &builder, Value value, scf::ForOp row) {
  IRMapping mapping;
  mapping.map(row.getInductionVar(), row.getLowerBound());
  SetVector<Operation *> slice;
  SmallVector<Value> worklist{value};
  while (!worklist.empty()) {
    Value next = worklist.pop_back_val();
    Operation *op = next.getDefiningOp();
    if (!op || row.isDefinedOutsideOfLoop(next) || !slice.insert(op))
      continue;
    llvm::append_range(worklist, op->getOperands());
  }
  // Operands before users: the slice in block order.
  SmallVector<Operation *> ordered(slice.begin(), slice.end());
  llvm::sort(ordered,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  for (Operation *op : ordered)
    builder.clone(*op, mapping);
  return mapping.lookupOrDefault(value);
}

void vectorize(OpBuilder &builder, DotProduct dot, int64_t lanes) {
  Operation *replaced = dot.row ? dot.row.getOperation() : dot.loop;
  Location loc = replaced->getLoc();
  builder.setInsertionPoint(replaced);
  // Each buffer and the index of the run's first element.
  SmallVector<Value> bases;
  SmallVector<SmallVector<Value>> starts;
  for (memref::LoadOp load : dot.loads) {
    SmallVector<Value> indices(load.getIndices());
    Value base = load.getMemRef();
    indices.back() = arith::ConstantIndexOp::create(builder, loc, 0);
    if (dot.row) {
      // The row's columns and channels as one dimension.
      const int64_t rank = load.getMemRefType().getRank();
      SmallVector<ReassociationIndices> groups;
      for (int64_t d = 0; d < rank - 2; ++d)
        groups.push_back({d});
      groups.push_back({rank - 2, rank - 1});
      base = memref::CollapseShapeOp::create(builder, loc, base, groups);
      Value column = atFirstIteration(builder, indices[rank - 2], dot.row);
      indices.pop_back();
      indices.back() = builder.createOrFold<arith::MulIOp>(
          loc, column,
          arith::ConstantIndexOp::create(
              builder, loc, load.getMemRefType().getDimSize(rank - 1)));
    }
    bases.push_back(base);
    starts.push_back(indices);
  }
  Type i8 = builder.getI8Type(), i16 = builder.getI16Type(),
       i32 = builder.getI32Type();
  auto vectorOf = [&](Type element) {
    return VectorType::get({lanes}, element, /*scalableDims=*/{true});
  };
  Value step = arith::MulIOp::create(
      builder, loc, vector::VectorScaleOp::create(builder, loc),
      arith::ConstantIndexOp::create(builder, loc, lanes));
  Value length = arith::ConstantIndexOp::create(builder, loc, dot.length);
  Value zeros = arith::ConstantOp::create(
      builder, loc,
      DenseElementsAttr::get(vectorOf(i8), builder.getI8IntegerAttr(0)));
  // A guarded factor's check and padding value, on every lane.
  std::array<Value, 2> insides, paddings;
  for (auto [guard, inside, padding] :
       llvm::zip(dot.guards, insides, paddings)) {
    if (!guard)
      continue;
    inside = vector::BroadcastOp::create(
        builder, loc, vectorOf(builder.getI1Type()), guard.getCondition());
    padding = vector::BroadcastOp::create(builder, loc, vectorOf(i8),
                                          guard.getFalseValue());
  }
  Value init = (dot.row ? dot.row : dot.loop).getInitArgs()[0];
  auto chunks = scf::ForOp::create(
      builder, loc, arith::ConstantIndexOp::create(builder, loc, 0), length,
      step, ValueRange{init},
      [&](OpBuilder &b, Location l, Value offset, ValueRange acc) {
        // The last chunk reads only what is left: masked off, a lane loads
        // nothing and adds 0.
        Value left = arith::SubIOp::create(b, l, length, offset);
        Value mask = vector::CreateMaskOp::create(b, l, vectorOf(b.getI1Type()),
                                                  ValueRange{left});
        SmallVector<Value> factors;
        for (auto [base, start, inside, padding] :
             llvm::zip(bases, starts, insides, paddings)) {
          SmallVector<Value> indices = start;
          indices.back() =
              b.createOrFold<arith::AddIOp>(l, indices.back(), offset);
          // Behind a check: no lane reads outside, each one gets the
          // padding value (the other factor is 0 in the tail).
          Value lanes = mask, passThrough = zeros;
          if (inside) {
            lanes = arith::AndIOp::create(b, l, mask, inside);
            passThrough = padding;
          }
          Value bytes = vector::MaskedLoadOp::create(
              b, l, vectorOf(i8), base, indices, lanes, passThrough);
          factors.push_back(arith::ExtSIOp::create(b, l, vectorOf(i16), bytes));
        }
        // int8 x int8 fits in int16: a widening multiply, then a widening
        // sum into the int32 accumulator.
        Value products = arith::MulIOp::create(b, l, factors[0], factors[1]);
        Value wide = arith::ExtSIOp::create(b, l, vectorOf(i32), products);
        Value sum = vector::ReductionOp::create(
            b, l, vector::CombiningKind::ADD, wide, acc[0]);
        scf::YieldOp::create(b, l, sum);
      });
  replaced->getResult(0).replaceAllUsesWith(chunks.getResult(0));
  replaced->erase();
}

struct FTVectorizeReductionsPass
    : ft::impl::FTVectorizeReductionsBase<FTVectorizeReductionsPass> {
  using FTVectorizeReductionsBase::FTVectorizeReductionsBase;

  void runOnOperation() override {
    SmallVector<scf::ForOp> innermost;
    getOperation().walk([&](linalg::GenericOp generic) {
      generic.getBody()->walk([&](scf::ForOp loop) {
        if (loop.getBody()->getOps<scf::ForOp>().empty())
          innermost.push_back(loop);
      });
    });
    OpBuilder builder(&getContext());
    for (scf::ForOp loop : innermost) {
      moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));
      std::optional<DotProduct> dot = matchDotProduct(loop);
      if (!dot)
        continue;
      flattenWithRow(*dot);
      if (dot->length < minLength)
        continue;
      vectorize(builder, *dot, lanes);
    }
  }
};

} // namespace
