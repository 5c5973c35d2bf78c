//===- ContiguousRuns.cpp - Reductions over contiguous int8 runs ----------===//

#include "ContiguousRuns.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

using namespace mlir;
using namespace ft;

namespace {

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

} // namespace

SmallVector<scf::ForOp> ft::collectInnermostReductions(Operation *root) {
  SmallVector<scf::ForOp> innermost;
  root->walk([&](linalg::GenericOp generic) {
    generic.getBody()->walk([&](scf::ForOp loop) {
      if (loop.getNumRegionIterArgs() > 0 &&
          loop.getBody()->getOps<scf::ForOp>().empty())
        innermost.push_back(loop);
    });
  });
  return innermost;
}

std::optional<ContiguousDot> ft::matchContiguousDot(scf::ForOp loop) {
  moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));
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
  ContiguousDot dot;
  dot.loop = loop;
  dot.length = *length;
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
    // The loop walks one dimension element after element, every other
    // index fixed, only unit dimensions after it.
    auto indices = load.getIndices();
    auto walked = llvm::find_if(indices, [&](Value index) {
      return !loop.isDefinedOutsideOfLoop(index);
    });
    if (strides.empty() || walked == indices.end() ||
        !isInductionPlusInvariant(*walked, loop))
      return std::nullopt;
    const int64_t runDim = walked - indices.begin();
    if (strides[runDim] != 1 ||
        llvm::any_of(type.getShape().drop_front(runDim + 1),
                     [](int64_t size) { return size != 1; }) ||
        !memref::CollapseShapeOp::isGuaranteedCollapsible(
            type,
            {llvm::to_vector(llvm::seq<int64_t>(runDim, type.getRank()))}) ||
        llvm::any_of(llvm::enumerate(indices), [&](auto index) {
          return static_cast<int64_t>(index.index()) != runDim &&
                 !loop.isDefinedOutsideOfLoop(index.value());
        }))
      return std::nullopt;
    dot.runDims[k] = runDim;
    dot.loads[k] = load;
    matched.insert({extend, load});
  }
  // Padding lanes read the padding value: the other factor must be 0
  // there, in the masked tail.
  if (dot.guards[0] && dot.guards[1])
    return std::nullopt;
  // Nothing else happens in the loop but index arithmetic (the walked
  // indices).
  for (Operation &op : *loop.getBody())
    if (!matched.contains(&op) &&
        (!isMemoryEffectFree(&op) || op.getNumRegions() != 0 ||
         !llvm::all_of(op.getResultTypes(),
                       [](Type type) { return type.isIndex(); })))
      return std::nullopt;
  return dot;
}

void ft::flattenWithRow(ContiguousDot &dot) {
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
  for (auto [load, runDim] : llvm::zip(dot.loads, dot.runDims)) {
    MemRefType type = load.getMemRefType();
    SmallVector<int64_t> strides = stridesOf(type);
    if (runDim < 1 || load.getIndices()[runDim] != dot.loop.getInductionVar() ||
        type.getDimSize(runDim) != dot.length ||
        strides[runDim - 1] != dot.length ||
        !memref::CollapseShapeOp::isGuaranteedCollapsible(
            type, {llvm::to_vector(
                      llvm::seq<int64_t>(runDim - 1, type.getRank()))}) ||
        !isInductionPlusInvariant(load.getIndices()[runDim - 1], row))
      return;
    for (Value index : load.getIndices().take_front(runDim - 1))
      if (!row.isDefinedOutsideOfLoop(index))
        return;
  }
  dot.row = row;
  dot.length *= *columns;
}

bool ft::needsCollapse(ContiguousDot dot) {
  return dot.row ||
         llvm::any_of(llvm::zip(dot.loads, dot.runDims), [](auto read) {
           auto [load, runDim] = read;
           return runDim + 1 != load.getMemRefType().getRank();
         });
}

RunBuffers ft::buildRunBuffers(OpBuilder &builder, Location loc,
                               ContiguousDot dot) {
  RunBuffers run;
  for (auto [load, runDim, base, start] :
       llvm::zip(dot.loads, dot.runDims, run.bases, run.starts)) {
    MemRefType type = load.getMemRefType();
    const int64_t rank = type.getRank();
    // The run's dimensions (the row's columns too) as one.
    const int64_t first = dot.row ? runDim - 1 : runDim;
    base = load.getMemRef();
    start.assign(load.getIndices().begin(), load.getIndices().begin() + first);
    // The run's first element: at the first iteration of the loops.
    Value offset =
        dot.row
            ? builder.createOrFold<arith::MulIOp>(
                  loc,
                  atFirstIteration(builder, load.getIndices()[first], dot.row),
                  arith::ConstantIndexOp::create(builder, loc,
                                                 type.getDimSize(runDim)))
            : atFirstIteration(builder, load.getIndices()[first], dot.loop);
    start.push_back(offset);
    if (first + 1 == rank)
      continue;
    SmallVector<ReassociationIndices> groups;
    for (int64_t d = 0; d < first; ++d)
      groups.push_back({d});
    groups.push_back(llvm::to_vector(llvm::seq<int64_t>(first, rank)));
    base = memref::CollapseShapeOp::create(builder, loc, base, groups);
  }
  return run;
}
