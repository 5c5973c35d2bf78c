//===- FoldInputZeroPoint.cpp - Input zero points into the bias ---------===//
//
// sum((x - zx) * w) = sum(x * w) - zx * sum(w): the second term is a
// constant per output channel (see the pass description).
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Transforms/Passes.h"

#include "FusedTiling/Support/ElementRanges.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

namespace ft {
#define GEN_PASS_DEF_FTFOLDINPUTZEROPOINT
#include "FusedTiling/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {

std::optional<int64_t> constantInt(Value value) {
  APInt result;
  if (matchPattern(value, m_ConstantInt(&result)))
    return result.getSExtValue();
  return std::nullopt;
}

/// Whether every element `input` holds that is not its source's is `zero`:
/// each pad between the op and the source (through slices) pads with it.
bool padsWith(Value input, int64_t zero) {
  while (Operation *def = input.getDefiningOp()) {
    if (auto slice = dyn_cast<tensor::ExtractSliceOp>(def)) {
      input = slice.getSource();
      continue;
    }
    if (auto cast = dyn_cast<tensor::CastOp>(def)) {
      input = cast.getSource();
      continue;
    }
    if (auto pad = dyn_cast<tensor::PadOp>(def)) {
      Value padding = pad.getConstantPaddingValue();
      std::optional<int64_t> value =
          padding ? constantInt(padding) : std::nullopt;
      if (!value || *value != zero)
        return false;
      input = pad.getSource();
      continue;
    }
    return true;
  }
  return true;
}

/// The values of the constant `init` broadcasts along `channelMap`, when
/// `init` is such a broadcast: a generic whose only input is a constant of
/// `channelType` read through `channelMap`, yielded as it is (the bias the
/// importer writes).
std::optional<SmallVector<int64_t>>
broadcastBias(Value init, AffineMap channelMap, RankedTensorType channelType) {
  auto broadcast = init.getDefiningOp<linalg::GenericOp>();
  if (!broadcast || broadcast.getNumDpsInputs() != 1 ||
      broadcast.getNumDpsInits() != 1 ||
      broadcast.getNumParallelLoops() != broadcast.getNumLoops())
    return std::nullopt;
  OpOperand *bias = broadcast.getDpsInputOperand(0);
  if (bias->get().getType() != channelType ||
      broadcast.getMatchingIndexingMap(bias) != channelMap ||
      !broadcast.getMatchingIndexingMap(broadcast.getDpsInitOperand(0))
           .isIdentity())
    return std::nullopt;
  auto yield = cast<linalg::YieldOp>(broadcast.getBody()->getTerminator());
  if (yield.getOperand(0) != broadcast.getBody()->getArgument(0))
    return std::nullopt;
  return ft::getConstantIntValues(bias->get());
}

/// Replaces `op` (a quantized convolution with operands x, w, zx, zw) by
/// `plain` built from x and w into init - correction, where correction[c]
/// is zx * the sum of the weights of output channel `c` (`channelOf` maps a
/// weight's flat position to it; `numChannels` of them, the init's trailing
/// dimensions).
template <typename PlainOp>
LogicalResult fold(RewriterBase &rewriter, linalg::LinalgOp op,
                   ArrayRef<int64_t> channelShape,
                   function_ref<int64_t(int64_t)> channelOf) {
  Value input = op.getDpsInputOperand(0)->get();
  Value weights = op.getDpsInputOperand(1)->get();
  std::optional<int64_t> inputZero =
      constantInt(op.getDpsInputOperand(2)->get());
  std::optional<int64_t> weightZero =
      constantInt(op.getDpsInputOperand(3)->get());
  if (!inputZero || !weightZero || *weightZero != 0 || *inputZero == 0)
    return failure();
  if (!padsWith(input, *inputZero))
    return failure();
  // A carried accumulator (partial sums) would get the correction once per
  // partial: only a fresh initial value takes it.
  Value init = op.getDpsInitOperand(0)->get();
  Operation *initDef = init.getDefiningOp();
  while (auto slice = dyn_cast_or_null<tensor::ExtractSliceOp>(initDef))
    initDef = slice.getSource().getDefiningOp();
  if (!isa_and_nonnull<linalg::GenericOp, linalg::FillOp>(initDef))
    return failure();
  std::optional<SmallVector<int64_t>> values =
      ft::getConstantIntValues(weights);
  auto initType = dyn_cast<RankedTensorType>(init.getType());
  if (!values || !initType || !initType.getElementType().isInteger(32))
    return failure();

  int64_t numChannels = 1;
  for (int64_t size : channelShape)
    numChannels *= size;
  // int32 sums wrap as the op's accumulation does.
  SmallVector<APInt> correction(numChannels, APInt(32, 0));
  for (auto [position, value] : llvm::enumerate(*values))
    correction[channelOf(position)] +=
        APInt(32, static_cast<uint64_t>(value), /*isSigned=*/true);
  for (APInt &sum : correction)
    sum *= APInt(32, static_cast<uint64_t>(*inputZero), /*isSigned=*/true);

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  const int64_t rank = initType.getRank();
  const int64_t channelRank = channelShape.size();
  MLIRContext *context = rewriter.getContext();
  SmallVector<AffineExpr> channelDims;
  for (int64_t d = rank - channelRank; d < rank; ++d)
    channelDims.push_back(getAffineDimExpr(d, context));
  AffineMap channelMap = AffineMap::get(rank, 0, channelDims, context);
  auto correctionType =
      RankedTensorType::get(channelShape, initType.getElementType());
  Value initial;
  if (std::optional<SmallVector<int64_t>> bias =
          broadcastBias(init, channelMap, correctionType)) {
    // The bias minus the correction, one constant (a subtraction per output
    // at run time otherwise: nothing later folds two constant tables).
    SmallVector<APInt> folded;
    for (auto [b, c] : llvm::zip_equal(*bias, correction))
      folded.push_back(APInt(32, static_cast<uint64_t>(b), /*isSigned=*/true) -
                       c);
    Value foldedConst = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(correctionType, folded));
    auto broadcast =
        cast<linalg::GenericOp>(rewriter.clone(*init.getDefiningOp()));
    broadcast.getDpsInputOperand(0)->set(foldedConst);
    initial = broadcast.getResult(0);
  }
  if (!initial) {
    Value correctionConst = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(correctionType, correction));
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    Value empty = tensor::EmptyOp::create(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, init),
        initType.getElementType());
    auto corrected = linalg::GenericOp::create(
        rewriter, loc, initType, ValueRange{init, correctionConst},
        ValueRange{empty}, ArrayRef<AffineMap>{identity, channelMap, identity},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(
              b, l, arith::SubIOp::create(b, l, args[0], args[1]).getResult());
        });
    if (Attribute layers = op->getAttr("ft.layers"))
      corrected->setAttr("ft.layers", layers);
    initial = corrected.getResult(0);
  }
  // The named op's own attributes (strides, dilations) and the layers.
  SmallVector<NamedAttribute> attributes;
  // (Not its operand segments or cached indexing maps: the plain op has
  // two inputs fewer.)
  for (NamedAttribute attribute : op->getAttrs())
    if (attribute.getName() != "operandSegmentSizes" &&
        !attribute.getName().strref().starts_with("linalg."))
      attributes.push_back(attribute);
  auto plain = PlainOp::create(rewriter, loc, op->getResultTypes(),
                               ValueRange{input, weights}, ValueRange{initial},
                               attributes);
  rewriter.replaceOp(op, plain->getResults());
  return success();
}

struct FTFoldInputZeroPointPass
    : ft::impl::FTFoldInputZeroPointBase<FTFoldInputZeroPointPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<linalg::Conv2DNhwcFhwcQOp, linalg::DepthwiseConv2DNhwcHwcmQOp>(
              op) &&
          cast<linalg::LinalgOp>(op).hasPureTensorSemantics())
        candidates.push_back(cast<linalg::LinalgOp>(op));
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : candidates) {
      auto weightsType =
          cast<ShapedType>(op.getDpsInputOperand(1)->get().getType());
      if (!weightsType.hasStaticShape())
        continue;
      ArrayRef<int64_t> shape = weightsType.getShape();
      if (isa<linalg::Conv2DNhwcFhwcQOp>(op)) {
        // Weights [F, KH, KW, C]: channel f is the outermost index.
        const int64_t perChannel = shape[1] * shape[2] * shape[3];
        (void)fold<linalg::Conv2DNhwcFhwcOp>(
            rewriter, op, {shape[0]},
            [&](int64_t position) { return position / perChannel; });
      } else {
        // Weights [KH, KW, C, M]: channel (c, m) is the innermost pair.
        const int64_t channels = shape[2] * shape[3];
        (void)fold<linalg::DepthwiseConv2DNhwcHwcmOp>(
            rewriter, op, {shape[2], shape[3]},
            [&](int64_t position) { return position % channels; });
      }
    }
  }
};

} // namespace
