//===- TilingRules.cpp - How a split passes through each kind of op ------===//
//
// The per-op rules of FFMT and FDT: which producers are private to a
// layer, which loop indexes the channels, which ops keep channels apart,
// which reductions split into partial sums. Halos are not here: they follow
// from each op's TilingInterface.
//
//===----------------------------------------------------------------------===//

#include "TilingImpl.h"

#include "FusedTiling/Dialect/FT/IR/SplitRulesInterface.h"

#include <type_traits>

using namespace mlir;
using namespace ft;
using namespace ft::detail;

namespace ft::detail {

bool isPrivateProducer(Operation *op) {
  auto rules = dyn_cast<SplitRulesOpInterface>(op);
  return rules && rules.isPrivateProducer();
}

/// The channel multiplier M when `collapse` merges a depthwise
/// convolution's [C, M] channels into C * M: NHWCM into NHWC, the last two
/// dimensions into one and every other kept, C and M both above 1. (A
/// flatten also collapses the channel axis, with rows or columns.)
std::optional<int64_t> depthwiseMultiplier(tensor::CollapseShapeOp collapse) {
  SmallVector<ReassociationIndices> groups = collapse.getReassociationIndices();
  RankedTensorType source = collapse.getSrcType();
  const int64_t rank = source.getRank();
  if (rank < 2 || collapse.getResultType().getRank() != rank - 1)
    return std::nullopt;
  for (const ReassociationIndices &group : ArrayRef(groups).drop_back())
    if (group.size() != 1)
      return std::nullopt;
  if (groups.back() != ReassociationIndices{rank - 2, rank - 1})
    return std::nullopt;
  const int64_t channels = source.getDimSize(rank - 2),
                multiplier = source.getDimSize(rank - 1);
  if (ShapedType::isDynamic(multiplier) || multiplier < 2 ||
      (!ShapedType::isDynamic(channels) && channels < 2))
    return std::nullopt;
  return multiplier;
}

/// The loop of `op` that indexes the last (channel) dimension of operand
/// `operand`, when that dimension is indexed by a single loop.
std::optional<unsigned> channelLoop(linalg::LinalgOp op, OpOperand *operand) {
  AffineMap map = op.getMatchingIndexingMap(operand);
  if (map.getNumResults() == 0)
    return std::nullopt;
  auto dim = dyn_cast<AffineDimExpr>(map.getResults().back());
  if (!dim)
    return std::nullopt;
  return dim.getPosition();
}

/// Why `op` cannot sit between the first layer and the partial sums of an
/// FDT path (its channels must map one to one), or an empty string.
std::string mixesChannels(Operation *op, const Path &path) {
  auto rules = dyn_cast<SplitRulesOpInterface>(op);
  if (!rules)
    return "it is not a linalg op, pad or reshape";
  if (rules.isPrivateProducer())
    return {};
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return rules.getChannelSplitBlocker(linalgOp ? pathInput(linalgOp, path)
                                               : nullptr);
}

/// The first tensor input of `op` that a path op produces.
OpOperand *pathInput(linalg::LinalgOp op, const Path &path) {
  for (OpOperand *input : op.getDpsInputOperands())
    if (Operation *def = input->get().getDefiningOp();
        def && path.contains(def) && !isPrivateProducer(def))
      return input;
  return nullptr;
}

} // namespace ft::detail

//===----------------------------------------------------------------------===//
// The rules of upstream ops (SplitRulesOpInterface external models)
//===----------------------------------------------------------------------===//

namespace {

/// A reshape passes a channel tile when the channel axis keeps its own
/// group: a depthwise convolution's [C, M] accumulator collapsed into
/// C * M channels (multiplier M > 1), or a flatten, interleaves other
/// elements.
bool channelGroupMixes(ArrayRef<ReassociationIndices> groups, ShapedType wide) {
  return llvm::count_if(groups.back(), [&](int64_t dim) {
           return wide.getDimSize(dim) != 1;
         }) > 1;
}

/// Empty tensors and fills: private to the layer that uses them.
template <typename OpTy>
struct PrivateProducerRules
    : SplitRulesOpInterface::ExternalModel<PrivateProducerRules<OpTy>, OpTy> {
  bool isPrivateProducer(Operation *) const { return true; }
  std::string getChannelSplitBlocker(Operation *, OpOperand *) const {
    return {};
  }
};

struct CollapseShapeRules
    : SplitRulesOpInterface::ExternalModel<CollapseShapeRules,
                                           tensor::CollapseShapeOp> {
  std::string getChannelSplitBlocker(Operation *op, OpOperand *) const {
    auto collapse = cast<tensor::CollapseShapeOp>(op);
    // A depthwise convolution's [C, M] channels: tiles of whole multiples
    // of M (Path::channelGranularity) are slices of C.
    if (channelGroupMixes(collapse.getReassociationIndices(),
                          collapse.getSrcType()) &&
        !depthwiseMultiplier(collapse))
      return "it merges the channel axis with other axes (a flatten)";
    return {};
  }
};

struct ExpandShapeRules
    : SplitRulesOpInterface::ExternalModel<ExpandShapeRules,
                                           tensor::ExpandShapeOp> {
  std::string getChannelSplitBlocker(Operation *op, OpOperand *) const {
    auto expand = cast<tensor::ExpandShapeOp>(op);
    if (channelGroupMixes(expand.getReassociationIndices(),
                          expand.getResultType()))
      return "it splits the channel axis into several axes";
    return {};
  }
};

// Offsets, sizes and pads may be constants held in SSA values (TOSA's
// lowering leaves them so): what matters is their value.
struct ExtractSliceRules
    : SplitRulesOpInterface::ExternalModel<ExtractSliceRules,
                                           tensor::ExtractSliceOp> {
  std::string getChannelSplitBlocker(Operation *op, OpOperand *) const {
    auto slice = cast<tensor::ExtractSliceOp>(op);
    const int64_t last = slice.getSourceType().getRank() - 1;
    if (slice.getResultType().getRank() != last + 1 ||
        !isZeroInteger(slice.getMixedOffsets()[last]) ||
        !isConstantIntValue(slice.getMixedSizes()[last],
                            slice.getSourceType().getDimSize(last)))
      return "it slices the channel axis";
    return {};
  }
};

struct PadRules
    : SplitRulesOpInterface::ExternalModel<PadRules, tensor::PadOp> {
  std::string getChannelSplitBlocker(Operation *op, OpOperand *) const {
    auto pad = cast<tensor::PadOp>(op);
    const int64_t last = pad.getResultType().getRank() - 1;
    if (!isZeroInteger(pad.getMixedLowPad()[last]) ||
        !isZeroInteger(pad.getMixedHighPad()[last]))
      return "it pads the channel axis";
    return {};
  }
};

/// Linalg ops: private when every input is a constant (a bias broadcast);
/// a channel split passes when the loop of the split input's channels is
/// parallel and indexes the output too.
template <typename OpTy>
struct LinalgRules
    : SplitRulesOpInterface::ExternalModel<LinalgRules<OpTy>, OpTy> {
  bool isPrivateProducer(Operation *op) const {
    auto linalgOp = cast<linalg::LinalgOp>(op);
    // A broadcast of constants (a bias), or a splat written into fresh
    // tensors (a generic without inputs, once a splat bias folded in).
    if (linalgOp.getNumDpsInputs() == 0)
      return llvm::all_of(linalgOp.getDpsInits(), [](Value v) {
        return v.getDefiningOp<tensor::EmptyOp>() != nullptr;
      });
    return llvm::all_of(linalgOp.getDpsInputs(), [](Value v) {
      return v.getDefiningOp<arith::ConstantOp>() != nullptr;
    });
  }
  std::string getChannelSplitBlocker(Operation *op, OpOperand *input) const {
    if (!input)
      return {};
    auto linalgOp = cast<linalg::LinalgOp>(op);
    std::optional<unsigned> loop = channelLoop(linalgOp, input);
    if (!loop ||
        linalgOp.getIteratorTypesArray()[*loop] !=
            utils::IteratorType::parallel ||
        !linalgOp.getMatchingIndexingMap(linalgOp.getDpsInitOperand(0))
             .isFunctionOfDim(*loop))
      return "it combines channels (only the path's first layer may read "
             "its whole input)";
    return {};
  }
};

/// Every structured op but linalg.fill, whose own rules are attached
/// apart.
template <typename OpTy> void attachLinalgRule(MLIRContext *ctx) {
  if constexpr (!std::is_same_v<OpTy, linalg::FillOp>)
    OpTy::template attachInterface<LinalgRules<OpTy>>(*ctx);
}
template <typename... OpTys> void attachLinalgRules(MLIRContext *ctx) {
  (attachLinalgRule<OpTys>(ctx), ...);
}

} // namespace

void ft::registerSplitRulesExternalModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, tensor::TensorDialect *) {
    tensor::EmptyOp::attachInterface<PrivateProducerRules<tensor::EmptyOp>>(
        *ctx);
    tensor::CollapseShapeOp::attachInterface<CollapseShapeRules>(*ctx);
    tensor::ExpandShapeOp::attachInterface<ExpandShapeRules>(*ctx);
    tensor::ExtractSliceOp::attachInterface<ExtractSliceRules>(*ctx);
    tensor::PadOp::attachInterface<PadRules>(*ctx);
  });
  registry.addExtension(+[](MLIRContext *ctx, linalg::LinalgDialect *) {
    // linalg.fill: a structured op, but private whatever it reads.
    linalg::FillOp::attachInterface<PrivateProducerRules<linalg::FillOp>>(*ctx);
    attachLinalgRules<
#define GET_OP_LIST
#include "mlir/Dialect/Linalg/IR/LinalgStructuredOps.cpp.inc"
        >(ctx);
  });
}

bool ft::isAdditiveReduction(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  if (!body || op.getNumDpsInits() != 1)
    return false;
  BlockArgument out = body->getArguments().back();
  Operation *add = body->getTerminator()->getOperand(0).getDefiningOp();
  if (!isa_and_nonnull<arith::AddIOp, arith::AddFOp>(add))
    return false;
  return (add->getOperand(0) == out) != (add->getOperand(1) == out);
}

bool ft::isZeroFilled(Value value) {
  auto fill = value.getDefiningOp<linalg::FillOp>();
  return fill && (matchPattern(fill.getInputs()[0], m_Zero()) ||
                  matchPattern(fill.getInputs()[0], m_AnyZeroFloat()));
}
