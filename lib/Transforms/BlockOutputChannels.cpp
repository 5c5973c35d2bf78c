//===- BlockOutputChannels.cpp - Several output channels per iteration ----===//
//
// Register blocking for the loop nests ft-scalar-accumulation leaves (see
// the pass description): one iteration of the generic computes F output
// channels, their reduction loops jammed into one nest with F
// accumulators, so each input element is loaded once for F channels.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Transforms/Passes.h"
#include "ScalarAccumulationNests.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Affine/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace ft {
#define GEN_PASS_DEF_FTBLOCKOUTPUTCHANNELS
#include "FusedTiling/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {

void cloneJammed(OpBuilder &builder, Block &source,
                 MutableArrayRef<IRMapping> copies);

/// Clones the region of `op` (an scf.if's branch) into `target`, jammed,
/// and yields every copy's results.
void cloneBranchJammed(OpBuilder &builder, Block &source, Block &target,
                       MutableArrayRef<IRMapping> copies) {
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(&target);
  cloneJammed(builder, source, copies);
  SmallVector<Value> yields;
  for (IRMapping &copy : copies)
    for (Value value : source.getTerminator()->getOperands())
      yields.push_back(copy.lookupOrDefault(value));
  scf::YieldOp::create(builder, source.getTerminator()->getLoc(), yields);
}

/// Clones the ops of `source` (without its terminator) at `builder`'s point
/// once per mapping in `copies`. A side-effect-free op whose operands are
/// the same in every copy (an index, a bounds check, an input element that
/// does not depend on the channel) is cloned once and shared. An scf.for
/// whose bounds and step are the same in every copy becomes one loop
/// carrying every copy's iteration arguments, its body jammed likewise; an
/// scf.if on the same condition becomes one, its branches jammed. Any
/// other op is cloned per copy.
void cloneJammed(OpBuilder &builder, Block &source,
                 MutableArrayRef<IRMapping> copies) {
  for (Operation &op : source.without_terminator()) {
    // Values given per copy already (the blocked index, F j + k).
    if (op.getNumResults() > 0 && llvm::all_of(copies, [&](IRMapping &copy) {
          return llvm::all_of(op.getResults(),
                              [&](Value v) { return copy.contains(v); });
        }))
      continue;
    auto same = [&](Value value) {
      Value first = copies.front().lookupOrDefault(value);
      return llvm::all_of(copies, [&](IRMapping &copy) {
        return copy.lookupOrDefault(value) == first;
      });
    };
    if (op.getNumRegions() == 0 && isMemoryEffectFree(&op) &&
        llvm::all_of(op.getOperands(), same)) {
      Operation *shared = builder.clone(op, copies.front());
      for (IRMapping &copy : llvm::drop_begin(copies))
        copy.map(op.getResults(), shared->getResults());
      continue;
    }
    if (auto branch = dyn_cast<scf::IfOp>(op);
        branch && same(branch.getCondition()) && branch.elseBlock()) {
      SmallVector<Type> types;
      for (size_t k = 0; k < copies.size(); ++k)
        llvm::append_range(types, branch.getResultTypes());
      auto jammed = scf::IfOp::create(
          builder, branch.getLoc(), types,
          copies.front().lookupOrDefault(branch.getCondition()),
          /*addThenBlock=*/false, /*addElseBlock=*/false);
      cloneBranchJammed(builder, *branch.thenBlock(),
                        jammed.getThenRegion().emplaceBlock(), copies);
      cloneBranchJammed(builder, *branch.elseBlock(),
                        jammed.getElseRegion().emplaceBlock(), copies);
      const unsigned numResults = branch.getNumResults();
      for (auto [k, copy] : llvm::enumerate(copies))
        copy.map(branch.getResults(),
                 jammed.getResults().slice(k * numResults, numResults));
      continue;
    }
    auto loop = dyn_cast<scf::ForOp>(op);
    if (!loop || !same(loop.getLowerBound()) || !same(loop.getUpperBound()) ||
        !same(loop.getStep())) {
      for (IRMapping &copy : copies)
        builder.clone(op, copy);
      continue;
    }
    IRMapping &first = copies.front();
    SmallVector<Value> inits;
    for (IRMapping &copy : copies)
      for (Value init : loop.getInitArgs())
        inits.push_back(copy.lookupOrDefault(init));
    const unsigned numArgs = loop.getNumRegionIterArgs();
    auto jammed = scf::ForOp::create(
        builder, loop.getLoc(), first.lookupOrDefault(loop.getLowerBound()),
        first.lookupOrDefault(loop.getUpperBound()),
        first.lookupOrDefault(loop.getStep()), inits,
        [&](OpBuilder &body, Location loc, Value iv, ValueRange args) {
          for (auto [k, copy] : llvm::enumerate(copies)) {
            copy.map(loop.getInductionVar(), iv);
            copy.map(loop.getRegionIterArgs(),
                     args.slice(k * numArgs, numArgs));
          }
          cloneJammed(body, *loop.getBody(), copies);
          SmallVector<Value> yields;
          auto terminator = cast<scf::YieldOp>(loop.getBody()->getTerminator());
          for (IRMapping &copy : copies)
            for (Value value : terminator.getOperands())
              yields.push_back(copy.lookupOrDefault(value));
          scf::YieldOp::create(body, loc, yields);
        });
    for (auto [k, copy] : llvm::enumerate(copies))
      copy.map(loop.getResults(),
               jammed.getResults().slice(k * numArgs, numArgs));
  }
}

/// The output dimension to block: the innermost one whose static extent
/// is a multiple of `factor` (a convolution's output channels; a depthwise
/// convolution's channels before its multiplier of 1).
std::optional<unsigned> blockedDim(MemRefType type, int64_t factor) {
  for (int64_t d = type.getRank() - 1; d >= 0; --d) {
    const int64_t size = type.getDimSize(d);
    if (ShapedType::isDynamic(size))
      continue;
    if (size >= factor && size % factor == 0)
      return d;
    if (size != 1)
      return std::nullopt;
  }
  return std::nullopt;
}

/// Takes a padded window's bounds check out of the innermost reduction
/// loops of `generic`'s payload: identical index arithmetic merged, what
/// does not change in a loop hoisted out of it, and a loop whose body
/// selects between a loaded element and the padding value on a condition
/// computed outside it becomes two loops, one per outcome, behind an
/// scf.if on that condition (what LLVM's unswitching did, made explicit so
/// that jammed copies share it).
void unswitchWindowChecks(RewriterBase &rewriter, linalg::GenericOp generic) {
  DominanceInfo dominance;
  eliminateCommonSubExpressions(rewriter, dominance, generic);
  SmallVector<scf::ForOp> innermost;
  generic.getBody()->walk([&](scf::ForOp loop) {
    if (loop.getBody()->getOps<scf::ForOp>().empty())
      innermost.push_back(loop);
  });
  for (scf::ForOp loop : innermost) {
    moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));
    Value condition;
    for (auto select : loop.getBody()->getOps<arith::SelectOp>()) {
      Value candidate = select.getCondition();
      if (loop.isDefinedOutsideOfLoop(candidate) &&
          (!condition || condition == candidate))
        condition = candidate;
    }
    if (!condition)
      continue;
    rewriter.setInsertionPoint(loop);
    auto cloneWith = [&](OpBuilder &b, Location l, bool outcome) {
      IRMapping mapping;
      mapping.map(condition,
                  arith::ConstantIntOp::create(b, l, b.getI1Type(), outcome));
      scf::YieldOp::create(b, l, b.clone(*loop, mapping)->getResults());
    };
    auto branch = scf::IfOp::create(
        rewriter, loop.getLoc(), condition,
        [&](OpBuilder &b, Location l) { cloneWith(b, l, true); },
        [&](OpBuilder &b, Location l) { cloneWith(b, l, false); });
    rewriter.replaceOp(loop, branch.getResults());
  }
  // The selects on constants fold away.
  RewritePatternSet patterns(generic.getContext());
  arith::SelectOp::getCanonicalizationPatterns(patterns, generic.getContext());
  (void)applyPatternsGreedily(generic, std::move(patterns));
}

/// Whether `generic` is a loop nest worth blocking: all parallel, one
/// output written through the identity map, a reduction loop in its
/// payload (ft-scalar-accumulation's form).
bool isBlockable(linalg::GenericOp generic) {
  if (!ft::isOneOutputParallelNest(generic))
    return false;
  if (llvm::none_of(generic.getBody()->getOperations(),
                    [](Operation &op) { return isa<scf::ForOp>(op); }))
    return false;
  return true;
}

/// Whether some read in `generic`'s payload does not depend on output
/// dimension `dim`: a convolution's input window, which the blocked
/// channels then share (a depthwise convolution reads per channel).
bool sharesReads(linalg::GenericOp generic, unsigned dim) {
  auto dependsOnDim = [&](Operation *read) {
    SmallVector<Value> worklist(read->getOperands());
    DenseSet<Value> seen;
    while (!worklist.empty()) {
      Value next = worklist.pop_back_val();
      Operation *op = next.getDefiningOp();
      if (!op || !seen.insert(next).second || !generic->isAncestor(op))
        continue;
      if (auto index = dyn_cast<linalg::IndexOp>(op)) {
        if (index.getDim() == dim)
          return true;
        continue;
      }
      llvm::append_range(worklist, op->getOperands());
    }
    return false;
  };
  return generic.getBody()
      ->walk([&](Operation *op) {
        auto effects = dyn_cast<MemoryEffectOpInterface>(op);
        if (op->getParentOfType<scf::ForOp>() && effects &&
            effects.hasEffect<MemoryEffects::Read>() && !dependsOnDim(op))
          return WalkResult::interrupt();
        return WalkResult::advance();
      })
      .wasInterrupted();
}

/// Blocks output dimension `dim` of `generic` (every output written
/// through the identity map, `dim`'s extent a multiple of `factor`) by
/// `factor`: copy k of the payload computes elements F j + k, into strided
/// views of each output. Returns the blocked generic.
linalg::GenericOp block(RewriterBase &rewriter, linalg::GenericOp generic,
                        int64_t factor, unsigned dim) {
  MLIRContext *context = rewriter.getContext();
  Location loc = generic.getLoc();
  const unsigned numOutputs = generic.getNumDpsInits();
  const unsigned rank = generic.getNumLoops();
  rewriter.setInsertionPoint(generic);

  // The F x (outputs) views: element k, k + F, ... of `dim`.
  AffineExpr d0 = getAffineDimExpr(0, context);
  SmallVector<Value> outputs;
  for (int64_t k = 0; k < factor; ++k)
    for (OpOperand &init : generic.getDpsInitsMutable()) {
      Value out = init.get();
      SmallVector<OpFoldResult> sizes =
          memref::getMixedSizes(rewriter, loc, out);
      sizes[dim] = affine::makeComposedFoldedAffineApply(
          rewriter, loc, d0.floorDiv(factor), {sizes[dim]});
      SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
      strides[dim] = rewriter.getIndexAttr(factor);
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[dim] = rewriter.getIndexAttr(k);
      outputs.push_back(memref::SubViewOp::create(rewriter, loc, out, offsets,
                                                  sizes, strides));
    }

  // Inputs indexed by the blocked dimension are read once per copy
  // (their maps composed with d -> F d + k); the others once.
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  // For each original input, the new input of each copy.
  SmallVector<SmallVector<unsigned>> inputOf(generic.getNumDpsInputs());
  for (OpOperand *input : generic.getDpsInputOperands()) {
    AffineMap map = generic.getMatchingIndexingMap(input);
    const unsigned i = input->getOperandNumber();
    if (!map.isFunctionOfDim(dim)) {
      inputOf[i].assign(factor, inputs.size());
      inputs.push_back(input->get());
      maps.push_back(map);
      continue;
    }
    for (int64_t k = 0; k < factor; ++k) {
      SmallVector<AffineExpr> replacement;
      for (unsigned d = 0; d < rank; ++d)
        replacement.push_back(d == dim
                                  ? getAffineDimExpr(d, context) * factor + k
                                  : getAffineDimExpr(d, context));
      inputOf[i].push_back(inputs.size());
      inputs.push_back(input->get());
      maps.push_back(map.replaceDimsAndSymbols(replacement, {}, rank, 0));
    }
  }
  maps.append(outputs.size(), rewriter.getMultiDimIdentityMap(rank));

  auto blocked = linalg::GenericOp::create(
      rewriter, loc, TypeRange{}, inputs, outputs, maps,
      generic.getIteratorTypesArray(),
      [&](OpBuilder &b, Location l, ValueRange args) {
        Block *body = generic.getBody();
        SmallVector<IRMapping> copies(factor);
        // The blocked index of copy k: F j + k (fusion may have left
        // several index ops of the dimension).
        SmallVector<Value> indices;
        for (Operation &op : *body)
          if (auto indexOp = dyn_cast<linalg::IndexOp>(op);
              indexOp && indexOp.getDim() == dim)
            indices.push_back(indexOp.getResult());
        Value j = indices.empty()
                      ? Value()
                      : linalg::IndexOp::create(b, l, dim).getResult();
        for (int64_t k = 0; k < factor; ++k) {
          IRMapping &copy = copies[k];
          for (OpOperand *input : generic.getDpsInputOperands()) {
            const unsigned i = input->getOperandNumber();
            copy.map(body->getArgument(i), args[inputOf[i][k]]);
          }
          for (unsigned o = 0; o < numOutputs; ++o)
            copy.map(body->getArgument(generic.getNumDpsInputs() + o),
                     args[inputs.size() + k * numOutputs + o]);
          if (j) {
            Value blockedIndex =
                affine::AffineApplyOp::create(
                    b, l,
                    AffineMap::get(1, 0,
                                   getAffineDimExpr(0, context) * factor + k),
                    ValueRange{j})
                    .getResult();
            for (Value index : indices)
              copy.map(index, blockedIndex);
          }
        }
        cloneJammed(b, *body, copies);
        auto yield = cast<linalg::YieldOp>(body->getTerminator());
        SmallVector<Value> values;
        for (IRMapping &copy : copies)
          for (Value value : yield.getOperands())
            values.push_back(copy.lookupOrDefault(value));
        linalg::YieldOp::create(b, l, values);
      });
  for (NamedAttribute attribute : generic->getDiscardableAttrs())
    blocked->setAttr(attribute.getName(), attribute.getValue());
  rewriter.eraseOp(generic);
  return blocked;
}

/// The position of `dim` among the results of an input's map, if it is a
/// plain dimension there.
std::optional<unsigned> resultPositionOf(AffineMap map, unsigned dim) {
  for (auto [position, result] : llvm::enumerate(map.getResults()))
    if (auto expr = dyn_cast<AffineDimExpr>(result);
        expr && expr.getPosition() == dim)
      return position;
  return std::nullopt;
}

/// A copy of `generic` over elements [offset, offset + size) of dimension
/// `dim`, before it: views of its operands, its payload's index of `dim`
/// shifted.
linalg::GenericOp cloneOverRange(RewriterBase &rewriter,
                                 linalg::GenericOp generic, unsigned dim,
                                 OpFoldResult offset, OpFoldResult size) {
  Location loc = generic.getLoc();
  rewriter.setInsertionPoint(generic);
  SmallVector<std::pair<unsigned, Value>> views;
  for (OpOperand &operand : generic->getOpOperands()) {
    AffineMap map = generic.getMatchingIndexingMap(&operand);
    std::optional<unsigned> position = resultPositionOf(map, dim);
    if (!position)
      continue;
    Value value = operand.get();
    const int64_t rank = cast<MemRefType>(value.getType()).getRank();
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes =
        memref::getMixedSizes(rewriter, loc, value);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    offsets[*position] = offset;
    sizes[*position] = size;
    views.emplace_back(operand.getOperandNumber(),
                       memref::SubViewOp::create(rewriter, loc, value, offsets,
                                                 sizes, strides));
  }
  Value shift = isConstantIntValue(offset, 0)
                    ? Value()
                    : getValueOrCreateConstantIndexOp(rewriter, loc, offset);
  auto clone = cast<linalg::GenericOp>(rewriter.clone(*generic));
  for (auto [number, view] : views)
    clone->setOperand(number, view);
  if (!shift)
    return clone;
  OpBuilder::InsertionGuard guard(rewriter);
  AffineExpr d0 = rewriter.getAffineDimExpr(0);
  AffineExpr s0 = rewriter.getAffineSymbolExpr(0);
  for (auto index :
       llvm::make_early_inc_range(clone.getBody()->getOps<linalg::IndexOp>())) {
    if (index.getDim() != dim)
      continue;
    rewriter.setInsertionPointAfter(index);
    Value shifted = affine::AffineApplyOp::create(
        rewriter, loc, AffineMap::get(1, 1, d0 + s0),
        ValueRange{index.getResult(), shift});
    rewriter.replaceAllUsesExcept(index.getResult(), shifted,
                                  shifted.getDefiningOp());
  }
  return clone;
}

/// Splits `generic` along `dim` into elements [0, E - E mod F) and the rest
/// (E mod F of them, maybe none at run time), each a generic of its own:
/// returned, the rest null when E is known and F divides it (then
/// `generic` is the first). Fails when E is known to be less than F, or an
/// operand is indexed by `dim` other than as a plain dimension.
FailureOr<std::pair<linalg::GenericOp, linalg::GenericOp>>
splitOffRemainder(RewriterBase &rewriter, linalg::GenericOp generic,
                  unsigned dim, int64_t factor) {
  for (OpOperand &operand : generic->getOpOperands()) {
    AffineMap map = generic.getMatchingIndexingMap(&operand);
    if (map.isFunctionOfDim(dim) && !resultPositionOf(map, dim))
      return failure();
  }
  Location loc = generic.getLoc();
  rewriter.setInsertionPoint(generic);
  Value out = generic.getDpsInitOperand(0)->get();
  OpFoldResult extent = memref::getMixedSizes(rewriter, loc, out)[dim];
  // (A dynamic extent may fold to a constant here: a view of one channel.)
  if (std::optional<int64_t> constant = getConstantIntValue(extent)) {
    if (*constant < factor)
      return failure();
    if (*constant % factor == 0)
      return std::make_pair(generic, linalg::GenericOp());
  }
  AffineExpr d0 = rewriter.getAffineDimExpr(0);
  OpFoldResult blocked = affine::makeComposedFoldedAffineApply(
      rewriter, loc, d0 - d0 % factor, {extent});
  OpFoldResult rest = affine::makeComposedFoldedAffineApply(
      rewriter, loc, d0 % factor, {extent});
  // (Composed with the extent's own computation, either may fold to a
  // constant the extent itself did not show: a tile width twice a
  // run-time value is even, a remainder of 0.)
  if (isConstantIntValue(blocked, 0))
    return failure();
  if (isConstantIntValue(rest, 0))
    return std::make_pair(generic, linalg::GenericOp());
  linalg::GenericOp main =
      cloneOverRange(rewriter, generic, dim, rewriter.getIndexAttr(0), blocked);
  linalg::GenericOp remainder =
      cloneOverRange(rewriter, generic, dim, blocked, rest);
  rewriter.eraseOp(generic);
  return std::make_pair(main, remainder);
}

/// Whether a reduction loop of `generic`'s payload holds a branch or a
/// select (a window's border): its positions are not worth blocking.
bool hasChecks(linalg::GenericOp generic) {
  for (auto loop : generic.getBody()->getOps<scf::ForOp>())
    if (loop.getBody()
            ->walk([](Operation *op) {
              return isa<scf::IfOp, arith::SelectOp>(op)
                         ? WalkResult::interrupt()
                         : WalkResult::advance();
            })
            .wasInterrupted())
      return true;
  return false;
}

/// The output dimension to block by output positions, given the output's
/// extents: not `channelDim`, not known to be shorter than `factor`, the
/// one whose remainder modulo `factor` leaves the smallest share of the
/// positions unblocked (the innermost on a tie, a known extent before one
/// known at run time only).
std::optional<unsigned> pixelDim(ArrayRef<std::optional<int64_t>> extents,
                                 unsigned channelDim, int64_t factor) {
  std::optional<unsigned> best;
  double bestShare = 2.0;
  for (int64_t d = extents.size() - 1; d >= 0; --d) {
    std::optional<int64_t> size = extents[d];
    if (d == channelDim || (size && *size < factor))
      continue;
    const double share = size ? double(*size % factor) / double(*size) : 1.0;
    if (share < bestShare) {
      best = d;
      bestShare = share;
    }
  }
  return best;
}

struct FTBlockOutputChannelsPass
    : ft::impl::FTBlockOutputChannelsBase<FTBlockOutputChannelsPass> {
  using FTBlockOutputChannelsBase::FTBlockOutputChannelsBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    FTBlockOutputChannelsBase::getDependentDialects(registry);
    // Extents of views through these dialects' index computations.
    affine::registerValueBoundsOpInterfaceExternalModels(registry);
    arith::registerValueBoundsOpInterfaceExternalModels(registry);
    memref::registerValueBoundsOpInterfaceExternalModels(registry);
  }

  /// The output dimension to block by `pixels` positions, if any: in a
  /// nest whose reduction loops check no bounds (an interior, a pointwise
  /// or dense layer) and read something (the weights) that the positions
  /// along it share, `channelDim` blocked apart.
  std::optional<unsigned> pixelBlockedDim(linalg::GenericOp generic,
                                          unsigned channelDim) {
    if (pixels < 2 || hasChecks(generic))
      return std::nullopt;
    // A tile's extents are dynamic in type, and some constant in value.
    Value out = generic.getDpsInitOperand(0)->get();
    SmallVector<std::optional<int64_t>> extents;
    for (int64_t d = 0, e = cast<MemRefType>(out.getType()).getRank(); d < e;
         ++d) {
      FailureOr<int64_t> extent =
          ValueBoundsConstraintSet::computeConstantBound(
              presburger::BoundType::EQ,
              ValueBoundsConstraintSet::Variable(out, d));
      extents.push_back(succeeded(extent) ? std::optional(*extent)
                                          : std::nullopt);
    }
    std::optional<unsigned> dim = pixelDim(extents, channelDim, pixels);
    if (!dim || !sharesReads(generic, *dim))
      return std::nullopt;
    return dim;
  }

  void runOnOperation() override {
    if (channels < 2)
      return;
    SmallVector<linalg::GenericOp> candidates;
    getOperation().walk([&](linalg::GenericOp generic) {
      if (isBlockable(generic))
        candidates.push_back(generic);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp generic : candidates) {
      unswitchWindowChecks(rewriter, generic);
      auto type =
          cast<MemRefType>(generic.getDpsInitOperand(0)->get().getType());
      // Positions too where they pay, with fewer channels; the odd
      // positions out, if any, by those channels alone (by 4 they ran a
      // little faster, for 2 KB more code in kws and ic_resnet).
      if (std::optional<unsigned> channelDim =
              pixels >= 2 ? blockedDim(type, pixelChannels) : std::nullopt)
        if (std::optional<unsigned> dim =
                pixelBlockedDim(generic, *channelDim)) {
          auto split = splitOffRemainder(rewriter, generic, *dim, pixels);
          if (succeeded(split)) {
            auto [main, remainder] = *split;
            block(rewriter, block(rewriter, main, pixelChannels, *channelDim),
                  pixels, *dim);
            if (remainder)
              block(rewriter, remainder, pixelChannels, *channelDim);
            continue;
          }
        }
      blockChannels(rewriter, generic);
    }
  }

  /// Blocks `generic` by the largest factor up to `channels` that divides
  /// a dimension.
  void blockChannels(RewriterBase &rewriter, linalg::GenericOp generic) {
    auto type = cast<MemRefType>(generic.getDpsInitOperand(0)->get().getType());
    for (int64_t factor = channels; factor >= 2; factor /= 2)
      if (std::optional<unsigned> dim = blockedDim(type, factor)) {
        if (!sharedReadsOnly || sharesReads(generic, *dim))
          block(rewriter, generic, factor, *dim);
        return;
      }
  }
};

} // namespace
