//===- ScalarAccumulation.cpp - Reductions one output element at a time --===//
//
// Rewrites a linalg op with reduction loops (convolution, depthwise
// convolution, matmul, pooling, reduce) into an all-parallel linalg.generic
// whose payload runs the reduction loops for one output element, carrying
// the accumulator in an scf.for iteration argument: a scalar, a register
// after lowering. Padded inputs are read from the pad's source behind a
// bounds check, so the padded copy is never materialised.
//
// Upstream has no such rewrite: elementwise fusion refuses producers with
// reduction loops, and tile-and-fuse always materialises at least a tile of
// the accumulator and of the padded input. The result here is an
// elementwise producer, which linalg-fuse-elementwise-ops then folds into
// its requantization, so a quantized layer needs no scratch memory at all.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Transforms/Passes.h"

#include "FusedTiling/Dialect/FT/IR/FTOps.h"
#include "FusedTiling/Support/IndexEvaluation.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "ft-scalar-accumulation"

namespace ft {
#define GEN_PASS_DEF_FTSCALARACCUMULATION
#include "FusedTiling/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {

/// The padding value of `pad` usable outside its region, or null.
Value paddingValueOutside(OpBuilder &b, tensor::PadOp pad) {
  Value value = pad.getConstantPaddingValue();
  if (!value)
    return {};
  // A constant inside the pad's region is cloned next to the read.
  if (Operation *def = value.getDefiningOp();
      def && pad.getRegion().isAncestor(def->getParentRegion()))
    return b.clone(*def)->getResult(0);
  return value;
}

/// Whether the index computation `extent` is at least 1 in every tile of
/// the tile blocks enclosing `at` in which `domain` (the op's output) is not
/// empty: a tile that computes nothing reads nothing. False when that is
/// unknown (no enclosing block, an op the evaluator does not know, too many
/// tiles).
bool isNonEmptyWhereRead(Operation *at, Value extent, Value domain) {
  SmallVector<ft::TileBlockOp> blocks;
  for (auto block = at->getParentOfType<ft::TileBlockOp>(); block;
       block = block->getParentOfType<ft::TileBlockOp>())
    blocks.push_back(block);
  if (blocks.empty())
    return false;
  int64_t combinations = 1;
  for (ft::TileBlockOp block : blocks) {
    combinations *= block.getNumTiles();
    if (combinations > (1 << 16))
      return false;
  }
  const int64_t rank = cast<ShapedType>(domain.getType()).getRank();
  for (int64_t c = 0; c < combinations; ++c) {
    llvm::DenseMap<Value, int64_t> inputs;
    int64_t rest = c;
    for (ft::TileBlockOp block : blocks) {
      block.bindTile(rest % block.getNumTiles(), inputs);
      rest /= block.getNumTiles();
    }
    ft::IndexEvaluator evaluator(std::move(inputs));
    bool computes = true;
    for (int64_t d = 0; d < rank && computes; ++d) {
      FailureOr<int64_t> size = evaluator.evaluateDimSize(domain, d);
      if (failed(size))
        return false;
      computes = *size > 0;
    }
    if (!computes)
      continue;
    FailureOr<int64_t> size = evaluator.evaluate(extent);
    if (failed(size) || *size < 1)
      return false;
  }
  return true;
}

/// The element of a splat constant, or of a slice of one, or null. The tiler
/// slices constants with dynamic sizes, which no folder turns back into a
/// constant, so the constant would be stored in flash only to be read.
TypedAttr splatElement(Value tensor) {
  while (auto slice = tensor.getDefiningOp<tensor::ExtractSliceOp>())
    tensor = slice.getSource();
  DenseElementsAttr constant;
  if (!matchPattern(tensor, m_Constant(&constant)) || !constant.isSplat())
    return {};
  return constant.getSplatValue<TypedAttr>();
}

/// Reads `tensor[indices]`. A splat constant (or a slice of one) is its
/// element. A padded tensor with a constant padding value
/// is read from its source: outside the source the padding value is taken
/// instead, so no padded copy is needed. Where the bounds check does not
/// change in the innermost reduction loop (a convolution's rows and columns
/// while it sums the channels; `variesInnermost` says which indices do), the
/// indices are clamped into the source and the value selected: LLVM hoists
/// the check and the clamps out of that loop. Otherwise the element is read
/// behind an scf.if, which costs fewer instructions per element than clamps
/// and a select on cores without min/max and conditional moves (rv32gc). The
/// clamped read needs a non-empty source: a source of dynamic size (a tile)
/// is known non-empty when it has at least one element in every tile of the
/// enclosing tile blocks in which the op computes anything (`domain`, its
/// output, is not empty).
Value readElement(OpBuilder &b, Location loc, Value tensor,
                  ArrayRef<Value> indices, ArrayRef<bool> variesInnermost,
                  Value domain, bool interior = false) {
  if (TypedAttr element = splatElement(tensor))
    return arith::ConstantOp::create(b, loc, element);
  auto pad = tensor.getDefiningOp<tensor::PadOp>();
  Value padding = pad ? paddingValueOutside(b, pad) : Value();
  if (!pad || !padding)
    return tensor::ExtractOp::create(b, loc, tensor, indices);
  // The whole window is inside the source (checked once per output
  // element): read it there, unchecked.
  if (interior) {
    SmallVector<Value> shifted;
    for (auto [dim, index] : llvm::enumerate(indices)) {
      OpFoldResult low = pad.getMixedLowPad()[dim];
      shifted.push_back(
          isZeroInteger(low)
              ? index
              : arith::SubIOp::create(
                    b, loc, index, getValueOrCreateConstantIndexOp(b, loc, low))
                    .getResult());
    }
    return readElement(b, loc, pad.getSource(), shifted, variesInnermost,
                       domain, /*interior=*/true);
  }

  RankedTensorType sourceType = pad.getSourceType();
  SmallVector<OpFoldResult> lows = pad.getMixedLowPad();
  SmallVector<OpFoldResult> highs = pad.getMixedHighPad();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value inBounds;
  bool nonEmptySource = true, checkVariesInnermost = false;
  SmallVector<Value> shiftedIndices, clampedIndices;
  for (auto [dim, index] : llvm::enumerate(indices)) {
    Value shifted = index;
    if (!isZeroInteger(lows[dim]))
      shifted = arith::SubIOp::create(
          b, loc, index, getValueOrCreateConstantIndexOp(b, loc, lows[dim]));
    shiftedIndices.push_back(shifted);
    if (isZeroInteger(lows[dim]) && isZeroInteger(highs[dim])) {
      clampedIndices.push_back(shifted);
      continue;
    }
    checkVariesInnermost |= variesInnermost[dim];
    const int64_t size = sourceType.getDimSize(dim);
    Value extent =
        ShapedType::isDynamic(size)
            ? tensor::DimOp::create(b, loc, pad.getSource(), dim).getResult()
            : arith::ConstantIndexOp::create(b, loc, size).getResult();
    if (ShapedType::isDynamic(size)) {
      nonEmptySource &= isNonEmptyWhereRead(pad, extent, domain);
    } else {
      nonEmptySource &= size > 0;
    }
    Value notBelow =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, shifted, zero);
    Value below = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                        shifted, extent);
    Value dimInBounds = arith::AndIOp::create(b, loc, notBelow, below);
    inBounds = inBounds ? arith::AndIOp::create(b, loc, inBounds, dimInBounds)
                        : dimInBounds;
    if (nonEmptySource) {
      Value one = arith::ConstantIndexOp::create(b, loc, 1);
      Value last = arith::SubIOp::create(b, loc, extent, one);
      clampedIndices.push_back(arith::MinSIOp::create(
          b, loc, arith::MaxSIOp::create(b, loc, shifted, zero), last));
    }
  }
  if (!inBounds)
    return readElement(b, loc, pad.getSource(), shiftedIndices, variesInnermost,
                       domain);
  if (nonEmptySource && !checkVariesInnermost) {
    Value loaded = readElement(b, loc, pad.getSource(), clampedIndices,
                               variesInnermost, domain);
    return arith::SelectOp::create(b, loc, inBounds, loaded, padding);
  }
  auto branch = scf::IfOp::create(
      b, loc, inBounds,
      [&](OpBuilder &then, Location l) {
        scf::YieldOp::create(then, l,
                             readElement(then, l, pad.getSource(),
                                         shiftedIndices, variesInnermost,
                                         domain));
      },
      [&](OpBuilder &otherwise, Location l) {
        scf::YieldOp::create(otherwise, l, padding);
      });
  return branch.getResult(0);
}

/// Whether `expr` never decreases when a dimension grows: sums of
/// dimensions times non-negative constants (a convolution's window index).
bool isNonDecreasing(AffineExpr expr) {
  if (isa<AffineDimExpr, AffineConstantExpr>(expr))
    return true;
  auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!binary)
    return false;
  if (binary.getKind() == AffineExprKind::Add)
    return isNonDecreasing(binary.getLHS()) && isNonDecreasing(binary.getRHS());
  if (binary.getKind() == AffineExprKind::Mul)
    if (auto factor = dyn_cast<AffineConstantExpr>(binary.getRHS()))
      return factor.getValue() >= 0 && isNonDecreasing(binary.getLHS());
  return false;
}

/// Why `op` cannot be rewritten, or an empty string.
StringRef unsupportedReason(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics())
    return "not on tensors";
  if (op.getNumDpsInits() != 1 || op->getNumResults() != 1)
    return "not exactly one result";
  if (op.getNumReductionLoops() == 0)
    return "no reduction loops";
  if (op.getNumParallelLoops() + op.getNumReductionLoops() != op.getNumLoops())
    return "loops other than parallel and reduction";
  AffineMap outputMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (!outputMap.isProjectedPermutation() ||
      outputMap.getNumResults() != op.getNumParallelLoops())
    return "the output is not indexed by exactly the parallel loops";
  for (unsigned dim : llvm::seq(op.getNumLoops()))
    if ((op.getIteratorTypesArray()[dim] == utils::IteratorType::parallel) !=
        outputMap.isFunctionOfDim(dim))
      return "the output is not indexed by exactly the parallel loops";
  return {};
}

/// The rewrite described in the file header, for one op.
void accumulateInScalar(RewriterBase &rewriter, linalg::LinalgOp op,
                        int64_t unrollFactor) {
  const Location loc = op.getLoc();
  OpOperand *init = op.getDpsInitOperand(0);
  AffineMap outputMap = op.getMatchingIndexingMap(init);
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  const SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  Block *body = op.getBlock();

  // Where the accumulator starts:
  // - a fill's scalar, directly;
  // - a value an elementwise op computes (a bias broadcast): an input read
  //   elementwise, so that elementwise fusion folds the broadcast in;
  // - anything else (an accumulator carried across tiles): the output
  //   itself, read and written in place, so the carried buffer stays one.
  Value fillValue;
  if (auto fill = init->get().getDefiningOp<linalg::FillOp>())
    fillValue = fill.getInputs()[0];
  const bool initAsInput =
      !fillValue && init->get().getDefiningOp<linalg::GenericOp>();

  rewriter.setInsertionPoint(op);
  const unsigned rank = resultType.getRank();
  SmallVector<AffineMap> maps;
  SmallVector<Value> inputs;
  if (initAsInput) {
    inputs.push_back(init->get());
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));
  }
  maps.push_back(rewriter.getMultiDimIdentityMap(rank));
  // Loop ranges from the operands' shapes (tiles have dynamic ones).
  SmallVector<Range> ranges = op.createLoopRanges(rewriter, loc);
  Value output = init->get();
  if (fillValue || initAsInput)
    output = tensor::EmptyOp::create(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, init->get()),
        resultType.getElementType());
  auto generic = linalg::GenericOp::create(
      rewriter, loc, resultType, inputs, ValueRange{output}, maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
        // The op's loop indices: parallel ones from the generic's indices,
        // reduction ones from the loop nest built below.
        SmallVector<Value> loopIndices(op.getNumLoops());
        for (unsigned result : llvm::seq(rank))
          loopIndices[outputMap.getDimPosition(result)] =
              linalg::IndexOp::create(b, nestedLoc, result);
        SmallVector<unsigned> reductionDims;
        SmallVector<Value> lbs, ubs, steps;
        Value zero = arith::ConstantIndexOp::create(b, nestedLoc, 0);
        Value one = arith::ConstantIndexOp::create(b, nestedLoc, 1);
        for (unsigned dim : llvm::seq(op.getNumLoops()))
          if (iterators[dim] == utils::IteratorType::reduction) {
            reductionDims.push_back(dim);
            lbs.push_back(zero);
            ubs.push_back(getValueOrCreateConstantIndexOp(b, nestedLoc,
                                                          ranges[dim].size));
            steps.push_back(one);
          }
        // The innermost reduction loop that runs more than once (a
        // convolution over one input channel varies its window innermost).
        unsigned innermostDim = reductionDims.back();
        for (unsigned dim : llvm::reverse(reductionDims)) {
          std::optional<int64_t> extent = getConstantIntValue(ranges[dim].size);
          innermostDim = dim;
          if (!extent || *extent > 1)
            break;
        }
        Value start = fillValue ? fillValue : args[0];
        // (Without an input, args[0] is the output's current element.)

        // Padded windows checked per element in the innermost loop (a
        // depthwise convolution's, a pooling's): one check per output
        // element whether the whole window is inside the source, and a
        // second nest without any check for those that are (most of
        // them). Window indices must not decrease along any loop, so that
        // the window's first and last elements bound it. Small windows
        // only: a large one, such as a 10x4 kernel on a 10-column map, has
        // few interior elements and its nest, copied, optimises worse.
        // (Every padded dimension of every padded input is in the check:
        // the unchecked nest reads them all without one.)
        SmallVector<std::pair<tensor::PadOp, AffineMap>> padded;
        for (OpOperand *input : op.getDpsInputOperands())
          if (auto pad = input->get().getDefiningOp<tensor::PadOp>();
              pad && pad.getConstantPaddingValue() &&
              !body->getArgument(input->getOperandNumber()).use_empty())
            padded.push_back({pad, op.getMatchingIndexingMap(input)});
        bool canPeel = true, worthPeeling = false;
        for (auto [pad, map] : padded)
          for (unsigned r : llvm::seq(map.getNumResults())) {
            if (isZeroInteger(pad.getMixedLowPad()[r]) &&
                isZeroInteger(pad.getMixedHighPad()[r]))
              continue;
            worthPeeling |= map.getResult(r).isFunctionOfDim(innermostDim);
            canPeel &= isNonDecreasing(map.getResult(r));
          }
        int64_t windowSize = 1;
        for (unsigned dim : reductionDims) {
          std::optional<int64_t> extent = getConstantIntValue(ranges[dim].size);
          canPeel &= extent.has_value();
          windowSize *= extent.value_or(1);
        }
        Value interior;
        if (canPeel && worthPeeling && windowSize <= 16) {
          for (auto [pad, map] : padded) {
            SmallVector<OpFoldResult> first(getAsOpFoldResult(loopIndices)),
                last(first);
            for (unsigned dim : reductionDims) {
              first[dim] = b.getIndexAttr(0);
              // The last window element: the reduction ranges minus one.
              last[dim] = affine::makeComposedFoldedAffineApply(
                  b, nestedLoc, getAffineDimExpr(0, b.getContext()) - 1,
                  {ranges[dim].size});
            }
            for (unsigned r : llvm::seq(map.getNumResults())) {
              OpFoldResult low = pad.getMixedLowPad()[r],
                           high = pad.getMixedHighPad()[r];
              if (isZeroInteger(low) && isZeroInteger(high))
                continue;
              AffineMap sub = map.getSubMap({r});
              Value lowValue =
                  getValueOrCreateConstantIndexOp(b, nestedLoc, low);
              Value lo = getValueOrCreateConstantIndexOp(
                  b, nestedLoc,
                  affine::makeComposedFoldedAffineApply(b, nestedLoc, sub,
                                                        first));
              Value hi = getValueOrCreateConstantIndexOp(
                  b, nestedLoc,
                  affine::makeComposedFoldedAffineApply(b, nestedLoc, sub,
                                                        last));
              Value sourceExtent = getValueOrCreateConstantIndexOp(
                  b, nestedLoc,
                  tensor::getMixedSize(b, nestedLoc, pad.getSource(), r));
              Value fromLow = arith::CmpIOp::create(
                  b, nestedLoc, arith::CmpIPredicate::sge, lo, lowValue);
              Value end =
                  arith::AddIOp::create(b, nestedLoc, sourceExtent, lowValue);
              Value toHigh = arith::CmpIOp::create(
                  b, nestedLoc, arith::CmpIPredicate::slt, hi, end);
              Value inside =
                  arith::AndIOp::create(b, nestedLoc, fromLow, toHigh);
              interior = interior ? arith::AndIOp::create(b, nestedLoc,
                                                          interior, inside)
                                        .getResult()
                                  : inside;
            }
          }
        }

        auto buildNest = [&](OpBuilder &nb, bool unchecked) {
          return scf::buildLoopNest(
              nb, nestedLoc, lbs, ubs, steps, ValueRange{start},
              [&](OpBuilder &lb, Location l, ValueRange ivs,
                  ValueRange acc) -> scf::ValueVector {
                for (auto [dim, iv] : llvm::zip(reductionDims, ivs))
                  loopIndices[dim] = iv;
                SmallVector<OpFoldResult> dimValues =
                    getAsOpFoldResult(loopIndices);
                IRMapping mapping;
                for (OpOperand *input : op.getDpsInputOperands()) {
                  BlockArgument arg =
                      body->getArgument(input->getOperandNumber());
                  // Unused operands (a pooling op's window shape) are never
                  // read: reading them would materialise them.
                  if (arg.use_empty())
                    continue;
                  Value operand = input->get();
                  if (!isa<RankedTensorType>(operand.getType())) {
                    mapping.map(arg, operand);
                    continue;
                  }
                  AffineMap map = op.getMatchingIndexingMap(input);
                  SmallVector<Value> indices;
                  SmallVector<bool> variesInnermost;
                  for (unsigned r : llvm::seq(map.getNumResults()))
                    variesInnermost.push_back(
                        map.getResult(r).isFunctionOfDim(innermostDim));
                  for (unsigned r : llvm::seq(map.getNumResults()))
                    indices.push_back(getValueOrCreateConstantIndexOp(
                        lb, l,
                        affine::makeComposedFoldedAffineApply(
                            lb, l, map.getSubMap({r}), dimValues)));
                  mapping.map(arg, readElement(lb, l, operand, indices,
                                               variesInnermost, init->get(),
                                               unchecked));
                }
                mapping.map(body->getArgument(init->getOperandNumber()),
                            acc[0]);
                for (Operation &payload : body->without_terminator()) {
                  if (auto index = dyn_cast<linalg::IndexOp>(payload)) {
                    mapping.map(index.getResult(), loopIndices[index.getDim()]);
                    continue;
                  }
                  lb.clone(payload, mapping);
                }
                return {mapping.lookupOrDefault(
                    body->getTerminator()->getOperand(0))};
              });
        };
        SmallVector<scf::LoopNest> nests;
        if (interior) {
          auto branch = scf::IfOp::create(
              b, nestedLoc, interior,
              [&](OpBuilder &tb, Location l) {
                nests.push_back(buildNest(tb, /*unchecked=*/true));
                scf::YieldOp::create(tb, l, nests.back().results);
              },
              [&](OpBuilder &eb, Location l) {
                nests.push_back(buildNest(eb, /*unchecked=*/false));
                scf::YieldOp::create(eb, l, nests.back().results);
              });
          linalg::YieldOp::create(b, nestedLoc, branch.getResults());
        } else {
          nests.push_back(buildNest(b, /*unchecked=*/false));
          linalg::YieldOp::create(b, nestedLoc, nests.back().results);
        }
        // The innermost reduction loop (a convolution's input channels)
        // unrolled (see the pass description).
        for (scf::LoopNest &nest : nests) {
          if (nest.loops.empty() || unrollFactor < 2)
            continue;
          scf::ForOp innermost = nest.loops.back();
          std::optional<int64_t> lower =
              getConstantIntValue(innermost.getLowerBound());
          std::optional<int64_t> upper =
              getConstantIntValue(innermost.getUpperBound());
          std::optional<int64_t> step =
              getConstantIntValue(innermost.getStep());
          if (lower && upper && step && *step > 0 &&
              (*upper - *lower) / *step >= 2 * unrollFactor)
            (void)loopUnrollByFactor(innermost, unrollFactor);
        }
      });
  rewriter.replaceOp(op, generic->getResults());
}

struct FTScalarAccumulationPass
    : ft::impl::FTScalarAccumulationBase<FTScalarAccumulationPass> {
  using FTScalarAccumulationBase::FTScalarAccumulationBase;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> candidates;
    getOperation().walk([&](linalg::LinalgOp op) {
      StringRef reason = unsupportedReason(op);
      if (reason.empty())
        candidates.push_back(op);
      else
        LLVM_DEBUG(llvm::dbgs() << "ft-scalar-accumulation: skipping "
                                << op->getName() << ": " << reason << "\n");
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : candidates)
      accumulateInScalar(rewriter, op, unroll);
    // Fills and pads whose only user was rewritten are dead now.
    RewritePatternSet patterns(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
