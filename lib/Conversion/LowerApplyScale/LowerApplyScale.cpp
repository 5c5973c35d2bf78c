//===- LowerApplyScale.cpp - tosa.apply_scale in 32-bit steps -------------===//
//
// In rounds: plans every apply_scale it can (ranges read from IR no rewrite
// of the round has changed), then rewrites the linalg bodies that hold
// them; then lowers the rest with upstream's patterns (see the pass
// description).
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Conversion/Passes.h"

#include "FusedTiling/Support/ApplyScale.h"
#include "FusedTiling/Support/ElementRanges.h"

#include "mlir/Conversion/TosaToArith/TosaToArith.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace ft {
#define GEN_PASS_DEF_FTLOWERAPPLYSCALE
#include "FusedTiling/Conversion/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {

/// Constant int values a scalar of a linalg body takes: one, or one per
/// element of a rank-1 constant input read through `map`.
struct ChannelValues {
  SmallVector<int64_t> values;
  AffineMap map; // null for one value

  /// Channel `c`'s value (the one value, for every channel).
  int64_t at(size_t c) const { return values[values.size() == 1 ? 0 : c]; }
};

std::optional<ChannelValues> getChannelValues(Value scalar,
                                              linalg::GenericOp generic) {
  if (APInt constant; matchPattern(scalar, m_ConstantInt(&constant)))
    return ChannelValues{{constant.getSExtValue()}, AffineMap()};
  auto argument = dyn_cast<BlockArgument>(scalar);
  if (!argument || argument.getOwner() != generic.getBody())
    return std::nullopt;
  OpOperand *operand = generic.getMatchingOpOperand(argument);
  auto type = dyn_cast<RankedTensorType>(operand->get().getType());
  if (!generic.isDpsInput(operand) || !type || type.getRank() != 1)
    return std::nullopt;
  std::optional<SmallVector<int64_t>> values =
      ft::getConstantIntValues(operand->get());
  if (!values || values->empty())
    return std::nullopt;
  return ChannelValues{std::move(*values),
                       generic.getMatchingIndexingMap(operand)};
}

/// How one apply_scale is computed: the steps of each channel.
struct ScalePlan {
  tosa::ApplyScaleOp applyScale;
  arith::AddIOp zeroPointAdd; // folded into the addends, or null
  ft::ApplyScaleForm form = ft::ApplyScaleForm::Half;
  SmallVector<ft::ApplyScaleSteps> steps; // one per channel
  AffineMap channelMap;                   // null for one channel
  // Multipliers that 2^s divides: v * (m >> s) exactly, per channel.
  SmallVector<int32_t> exactFactors;
};

std::optional<ScalePlan> planApplyScale(tosa::ApplyScaleOp applyScale,
                                        linalg::GenericOp generic,
                                        ft::ElementRanges &ranges,
                                        bool wideMultiply) {
  Type i32 = IntegerType::get(applyScale.getContext(), 32);
  const tosa::RoundingMode rounding = applyScale.getRoundingMode();
  if ((rounding != tosa::RoundingMode::DOUBLE_ROUND &&
       rounding != tosa::RoundingMode::SINGLE_ROUND) ||
      applyScale.getValue().getType() != i32 ||
      applyScale.getMultiplier().getType() != i32 ||
      applyScale.getType() != i32)
    return std::nullopt;
  std::optional<ChannelValues> multipliers =
      getChannelValues(applyScale.getMultiplier(), generic);
  std::optional<ChannelValues> shifts =
      getChannelValues(applyScale.getShift(), generic);
  if (!multipliers || !shifts)
    return std::nullopt;
  const size_t channels =
      std::max(multipliers->values.size(), shifts->values.size());
  if ((multipliers->map && shifts->map && multipliers->map != shifts->map) ||
      (multipliers->values.size() != 1 &&
       multipliers->values.size() != channels) ||
      (shifts->values.size() != 1 && shifts->values.size() != channels))
    return std::nullopt;
  ScalePlan plan;
  plan.applyScale = applyScale;
  plan.channelMap = multipliers->map ? multipliers->map : shifts->map;
  // A multiplier 2^s divides needs no rounding at all, in either mode, for
  // any value: v * m is a multiple of 2^s, the rounding terms add less than
  // 2^s (m = 0 gives 0), and TOSA's truncation to 32 bits is what a
  // wrapping 32-bit multiply gives. (TFLite's ADD scales its inputs by
  // 2^20 this way.)
  for (size_t c = 0; c < channels; ++c) {
    const int64_t m = multipliers->at(c), s = shifts->at(c);
    if (s < 0 || s > 62 || m % (int64_t(1) << s) != 0) {
      plan.exactFactors.clear();
      break;
    }
    plan.exactFactors.push_back(static_cast<int32_t>(m >> s));
  }
  if (!plan.exactFactors.empty())
    return plan;
  // Single rounding differs from double only for shifts above 31.
  if (rounding != tosa::RoundingMode::DOUBLE_ROUND &&
      llvm::any_of(shifts->values, [](int64_t s) { return s > 31; }))
    return std::nullopt;

  std::optional<ConstantIntRanges> range = ranges.get(applyScale.getValue());
  if (!range)
    return std::nullopt;
  const int64_t valueMin = range->smin().getSExtValue();
  const int64_t valueMax = range->smax().getSExtValue();

  // `apply_scale + constant`: the constant can join the addend.
  int64_t zeroPoint = 0;
  if (applyScale->hasOneUse()) {
    auto add = dyn_cast<arith::AddIOp>(*applyScale->user_begin());
    APInt constant;
    if (add &&
        (matchPattern(add.getRhs(), m_ConstantInt(&constant)) ||
         matchPattern(add.getLhs(), m_ConstantInt(&constant))) &&
        constant.getSignificantBits() <= 32) {
      plan.zeroPointAdd = add;
      zeroPoint = constant.getSExtValue();
    }
  }
  // A result clamped below at the zero point or above (a fused ReLU) needs
  // no sign term: without it a negative value rounds half up instead of
  // away from zero, but with a non-negative multiplier it still comes out
  // at or below the zero point, which the clamp raises to its bound either
  // way.
  Value clamped = plan.zeroPointAdd ? plan.zeroPointAdd.getResult()
                                    : applyScale.getResult();
  bool dropSign = false;
  if (clamped.hasOneUse() &&
      llvm::all_of(multipliers->values, [](int64_t m) { return m >= 0; })) {
    auto max = dyn_cast<arith::MaxSIOp>(*clamped.user_begin());
    APInt bound;
    dropSign = max &&
               (matchPattern(max.getRhs(), m_ConstantInt(&bound)) ||
                matchPattern(max.getLhs(), m_ConstantInt(&bound))) &&
               bound.getSExtValue() >= zeroPoint;
  }
  auto planAll = [&](ft::ApplyScaleForm form, int64_t addedConstant) {
    plan.steps.clear();
    for (size_t c = 0; c < channels; ++c) {
      std::optional<ft::ApplyScaleSteps> steps = ft::planApplyScale(
          form, valueMin, valueMax, static_cast<int32_t>(multipliers->at(c)),
          static_cast<int>(shifts->at(c)), static_cast<int32_t>(addedConstant));
      if (steps && dropSign)
        steps->addsSign = false;
      // The sign term is one value for all channels.
      if (!steps || (!plan.steps.empty() &&
                     (steps->addsSign != plan.steps.front().addsSign ||
                      steps->signShift != plan.steps.front().signShift)))
        return false;
      plan.steps.push_back(*steps);
    }
    plan.form = form;
    return true;
  };
  // Without a rounding high multiply, the truncating form saves the low
  // half's product and carry; the half form saves a shift, a folded zero
  // point an add. With one (Arm's SMMLAR, SMMLA adding the constant in the
  // same instruction), truncating is the shortest where it has no sign
  // term (shifts up to 31, clamped results) and otherwise the longest.
  SmallVector<ft::ApplyScaleForm> forms;
  if (wideMultiply)
    forms = {ft::ApplyScaleForm::Half, ft::ApplyScaleForm::Truncating,
             ft::ApplyScaleForm::Double};
  else
    forms = {ft::ApplyScaleForm::Truncating, ft::ApplyScaleForm::Half,
             ft::ApplyScaleForm::Double};
  auto planForm = [&](ft::ApplyScaleForm form, int64_t addedConstant) {
    return planAll(form, addedConstant) &&
           !(wideMultiply && form == ft::ApplyScaleForm::Truncating &&
             plan.steps.front().addsSign);
  };
  for (ft::ApplyScaleForm form : forms) {
    if (planForm(form, zeroPoint))
      return plan;
    if (plan.zeroPointAdd && planForm(form, 0)) {
      plan.zeroPointAdd = nullptr;
      return plan;
    }
  }
  return std::nullopt;
}

class Rewriter {
public:
  Rewriter(linalg::GenericOp generic, bool wideMultiply)
      : generic(generic), wideMultiply(wideMultiply),
        i32(IntegerType::get(generic.getContext(), 32)), builder(generic) {}

  void rewrite(ArrayRef<ScalePlan> plans);

private:
  /// `values` as an i32 in the body: a constant, or a new table argument.
  Value materialize(ArrayRef<int32_t> values, AffineMap channelMap);
  Value constant(int64_t value, Type type) {
    return arith::ConstantIntOp::create(builder, generic.getLoc(), type, value);
  }

  linalg::GenericOp generic;
  bool wideMultiply;
  Type i32;
  OpBuilder builder;
  SmallVector<Value> tables;
  SmallVector<AffineMap> tableMaps;
};

Value Rewriter::materialize(ArrayRef<int32_t> values, AffineMap channelMap) {
  if (llvm::all_equal(values))
    return constant(values.front(), i32);
  // i32 tables even for shift amounts: with bytes, kws on the Cortex-M4 ran
  // 0.8 % slower (1.6 KB less flash).
  Location loc = generic.getLoc();
  OpBuilder outside(generic);
  auto type = RankedTensorType::get({int64_t(values.size())}, i32);
  tables.push_back(arith::ConstantOp::create(
      outside, loc, DenseIntElementsAttr::get(type, values)));
  tableMaps.push_back(channelMap);
  // Tables go after the existing inputs, before the outputs.
  return generic.getBody()->insertArgument(
      generic.getNumDpsInputs() + tables.size() - 1, i32, loc);
}

void Rewriter::rewrite(ArrayRef<ScalePlan> plans) {
  Location loc = generic.getLoc();
  for (const ScalePlan &plan : plans) {
    tosa::ApplyScaleOp applyScale = plan.applyScale;
    builder.setInsertionPoint(applyScale);
    if (!plan.exactFactors.empty()) {
      Value product = arith::MulIOp::create(
          builder, loc, applyScale.getValue(),
          materialize(plan.exactFactors, plan.channelMap));
      applyScale.getResult().replaceAllUsesWith(product);
      applyScale.erase();
      continue;
    }
    auto collect = [&](auto field) {
      SmallVector<int32_t> values;
      for (const ft::ApplyScaleSteps &steps : plan.steps)
        values.push_back(field(steps));
      return materialize(values, plan.channelMap);
    };
    Value leftShift = collect(
        [](const ft::ApplyScaleSteps &s) { return int32_t(s.leftShift); });
    Value addend =
        collect([](const ft::ApplyScaleSteps &s) { return s.addend; });
    Value rightShift = collect(
        [](const ft::ApplyScaleSteps &s) { return int32_t(s.rightShift); });

    Value value = applyScale.getValue();
    Value shifted = arith::ShLIOp::create(builder, loc, value, leftShift);
    Value high;
    if (plan.form == ft::ApplyScaleForm::Truncating) {
      high = arith::MulSIExtendedOp::create(builder, loc, shifted,
                                            applyScale.getMultiplier())
                 .getHigh();
    } else if (wideMultiply) {
      Type i64 = builder.getI64Type();
      Value product = arith::MulIOp::create(
          builder, loc, arith::ExtSIOp::create(builder, loc, i64, shifted),
          arith::ExtSIOp::create(builder, loc, i64,
                                 applyScale.getMultiplier()));
      product = arith::AddIOp::create(builder, loc, product,
                                      constant(int64_t(1) << 31, i64));
      product =
          arith::ShRSIOp::create(builder, loc, product, constant(32, i64));
      high = arith::TruncIOp::create(builder, loc, i32, product);
    } else {
      auto product = arith::MulSIExtendedOp::create(builder, loc, shifted,
                                                    applyScale.getMultiplier());
      // The low half's top bit is the rounding carry.
      high = arith::AddIOp::create(builder, loc, product.getHigh(),
                                   arith::ShRUIOp::create(builder, loc,
                                                          product.getLow(),
                                                          constant(31, i32)));
    }
    if (plan.form == ft::ApplyScaleForm::Double)
      high = arith::ShLIOp::create(builder, loc, high, constant(1, i32));
    Value sum = arith::AddIOp::create(builder, loc, high, addend);
    const ft::ApplyScaleSteps &first = plan.steps.front();
    if (first.addsSign) {
      Value sign =
          arith::ShRSIOp::create(builder, loc, value, constant(31, i32));
      if (first.signShift != 0)
        sign = arith::ShLIOp::create(builder, loc, sign,
                                     constant(first.signShift, i32));
      sum = arith::AddIOp::create(builder, loc, sum, sign);
    }
    Value result = arith::ShRSIOp::create(builder, loc, sum, rightShift);
    if (arith::AddIOp zeroPointAdd = plan.zeroPointAdd) {
      zeroPointAdd.replaceAllUsesWith(result);
      zeroPointAdd.erase();
    } else {
      applyScale.replaceAllUsesWith(result);
    }
    applyScale.erase();
  }

  // The generic again, with the tables, without the inputs nothing reads
  // any more (the shifts).
  Block *body = generic.getBody();
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  const unsigned numOldInputs = generic.getNumDpsInputs();
  SmallVector<AffineMap> oldMaps = generic.getIndexingMapsArray();
  llvm::BitVector unused(body->getNumArguments());
  for (unsigned i = 0; i < numOldInputs; ++i) {
    if (body->getArgument(i).use_empty()) {
      unused.set(i);
      continue;
    }
    inputs.push_back(generic.getDpsInputs()[i]);
    maps.push_back(oldMaps[i]);
  }
  inputs.append(tables);
  maps.append(tableMaps);
  maps.append(oldMaps.begin() + numOldInputs, oldMaps.end());
  builder.setInsertionPoint(generic);
  auto rebuilt = linalg::GenericOp::create(
      builder, loc, generic.getResultTypes(), inputs, generic.getDpsInits(),
      maps, generic.getIteratorTypesArray());
  rebuilt->setDiscardableAttrs(generic->getDiscardableAttrDictionary());
  rebuilt.getRegion().takeBody(generic.getRegion());
  rebuilt.getBody()->eraseArguments(unused);
  generic.replaceAllUsesWith(rebuilt.getResults());
  generic.erase();
}

struct FTLowerApplyScale
    : public ft::impl::FTLowerApplyScaleBase<FTLowerApplyScale> {
  using FTLowerApplyScaleBase::FTLowerApplyScaleBase;

  void runOnOperation() override {
    // Rounds of plans, then rewrites: the ranges are read from IR no
    // rewrite has changed, and each round can see through the last one's
    // rewrites (an ADD's input scaled exactly by 2^20, then rescaled). A
    // round that plans nothing ends it; each rewrites at least one op.
    while (true) {
      SmallVector<std::pair<linalg::GenericOp, SmallVector<ScalePlan>>> work;
      ft::ElementRanges ranges;
      getOperation()->walk([&](linalg::GenericOp generic) {
        SmallVector<ScalePlan> plans;
        for (auto applyScale : generic.getBody()->getOps<tosa::ApplyScaleOp>())
          if (std::optional<ScalePlan> plan =
                  planApplyScale(applyScale, generic, ranges, wideMultiply))
            plans.push_back(std::move(*plan));
        if (!plans.empty())
          work.emplace_back(generic, std::move(plans));
      });
      if (work.empty())
        break;
      for (auto &[generic, plans] : work)
        Rewriter(generic, wideMultiply).rewrite(plans);
    }

    // The rest as upstream lowers them.
    RewritePatternSet patterns(&getContext());
    tosa::populateTosaRescaleToArithConversionPatterns(&patterns,
                                                       /*include32Bit=*/true);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
