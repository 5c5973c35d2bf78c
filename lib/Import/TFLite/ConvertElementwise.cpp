//===- ConvertElementwise.cpp - Elementwise arithmetic --------------------===//
//
// Binary arithmetic with numpy broadcasting (ADD, SUB, MUL, MAXIMUM,
// MINIMUM, SQUARED_DIFFERENCE, DIV, FLOOR_DIV, FLOOR_MOD) and ADD_N,
// quantized as TFLM's reference kernels compute them.
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;
using tflm::QuantizedMultiplier;

namespace {

/// The fused activation of ADD, SUB and MUL (NONE for the others).
tflite::ActivationFunctionType binaryActivation(Converter &c) {
  if (auto *o = c.options<tflite::AddOptions>())
    return o->fused_activation_function();
  if (auto *o = c.options<tflite::SubOptions>())
    return o->fused_activation_function();
  if (auto *o = c.options<tflite::MulOptions>())
    return o->fused_activation_function();
  return tflite::ActivationFunctionType_NONE;
}

/// ADD, SUB, MUL, MAXIMUM, MINIMUM on int32 or int64 values (no
/// quantization): the plain operation, wrapping as TFLM's C++ does, then
/// the fused activation's clamp.
LogicalResult convertIntegerBinary(Converter &c) {
  FailureOr<SmallVector<Value>> operands = sameTypeBinaryOperands(c);
  if (failed(operands))
    return failure();
  const TensorInfo &y = c.out();
  Value lhs = (*operands)[0], rhs = (*operands)[1];
  auto type = c.outType();
  Value r;
  switch (c.op.code) {
  case tflite::BuiltinOperator_ADD:
    r = tosa::AddOp::create(c.b, c.loc, type, lhs, rhs);
    break;
  case tflite::BuiltinOperator_SUB:
    r = tosa::SubOp::create(c.b, c.loc, type, lhs, rhs);
    break;
  case tflite::BuiltinOperator_MUL:
    r = c.g.mulShift(c.loc, lhs, rhs, 0);
    break;
  case tflite::BuiltinOperator_MAXIMUM:
    r = tosa::MaximumOp::create(c.b, c.loc, type, lhs, rhs);
    break;
  default:
    r = tosa::MinimumOp::create(c.b, c.loc, type, lhs, rhs);
    break;
  }
  switch (binaryActivation(c)) {
  case tflite::ActivationFunctionType_NONE:
    break;
  case tflite::ActivationFunctionType_RELU:
    r = c.g.clampInt(c.loc, r, 0,
                     y.type == tflite::TensorType_INT32
                         ? std::numeric_limits<int32_t>::max()
                         : std::numeric_limits<int64_t>::max());
    break;
  case tflite::ActivationFunctionType_RELU6:
    r = c.g.clampInt(c.loc, r, 0, 6);
    break;
  case tflite::ActivationFunctionType_RELU_N1_TO_1:
    r = c.g.clampInt(c.loc, r, -1, 1);
    break;
  default:
    return c.error() << "fused activation is not supported on integers";
  }
  c.set(r);
  return success();
}

LogicalResult convertBinary(Converter &c) {
  if (failed(c.requireInputs(2)))
    return failure();
  const TensorInfo &a = c.in(0), &bt = c.in(1), &y = c.out();
  if (y.type == tflite::TensorType_INT32 || y.type == tflite::TensorType_INT64)
    return convertIntegerBinary(c);
  FailureOr<bool> quantized =
      c.quantizedKind({a.index, bt.index, y.index}, /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  // 16x8: int16 operands and result (TFLM's int16 kernels).
  const bool is16 = y.isQuantized16();
  if (*quantized && (a.type != y.type || bt.type != y.type))
    return c.error(y.index) << "quantized " << builtinName(c.op.code)
                            << " mixes 8- and 16-bit tensors";
  // TFLM's int16 MUL computes with symmetric tensors only (it checks).
  if (is16 && c.op.code == tflite::BuiltinOperator_MUL &&
      (a.zeroPoint() != 0 || bt.zeroPoint() != 0 || y.zeroPoint() != 0))
    return c.error(y.index) << "int16 MUL needs zero points 0 (TFLM refuses "
                               "other ones)";
  tflite::ActivationFunctionType act = tflite::ActivationFunctionType_NONE;
  if (c.op.code == tflite::BuiltinOperator_ADD) {
    if (auto *o = c.options<tflite::AddOptions>())
      act = o->fused_activation_function();
  } else if (c.op.code == tflite::BuiltinOperator_SUB) {
    if (auto *o = c.options<tflite::SubOptions>())
      act = o->fused_activation_function();
  } else if (c.op.code == tflite::BuiltinOperator_MUL) {
    if (auto *o = c.options<tflite::MulOptions>())
      act = o->fused_activation_function();
  }
  SmallVector<int64_t> shape = broadcastShape(a.shape, bt.shape);
  if (shape != ArrayRef<int64_t>(y.shape))
    return c.error(y.index) << "declared shape does not match the broadcast "
                               "of the operands";
  const unsigned rank = shape.size();
  FailureOr<Value> va = c.value(0), vb = c.value(1);
  if (failed(va) || failed(vb))
    return failure();
  Value lhs = c.g.broadcastToRank(c.loc, *va, rank);
  Value rhs = c.g.broadcastToRank(c.loc, *vb, rank);
  const int32_t code = c.op.code;

  if (!*quantized) {
    auto type = c.outType();
    Value r;
    if (code == tflite::BuiltinOperator_ADD)
      r = tosa::AddOp::create(c.b, c.loc, type, lhs, rhs);
    else if (code == tflite::BuiltinOperator_SUB)
      r = tosa::SubOp::create(c.b, c.loc, type, lhs, rhs);
    else if (code == tflite::BuiltinOperator_MUL)
      r = c.g.mulShift(c.loc, lhs, rhs, 0);
    else if (code == tflite::BuiltinOperator_MAXIMUM)
      r = tosa::MaximumOp::create(c.b, c.loc, type, lhs, rhs);
    else
      r = tosa::MinimumOp::create(c.b, c.loc, type, lhs, rhs);
    return setActivated(c, r, act, /*quantized=*/false);
  }

  if (code == tflite::BuiltinOperator_MAXIMUM ||
      code == tflite::BuiltinOperator_MINIMUM) {
    if (a.scale() != y.scale() || bt.scale() != y.scale() ||
        a.zeroPoint() != y.zeroPoint() || bt.zeroPoint() != y.zeroPoint())
      return c.error(y.index) << "quantized MAXIMUM/MINIMUM need equal "
                                 "quantization of all tensors";
    auto type = c.outType();
    c.set(code == tflite::BuiltinOperator_MAXIMUM
              ? Value(tosa::MaximumOp::create(c.b, c.loc, type, lhs, rhs))
              : Value(tosa::MinimumOp::create(c.b, c.loc, type, lhs, rhs)));
    return success();
  }

  auto i32Type = RankedTensorType::get(shape, c.b.getI32Type());
  Value raw;
  QuantizedMultiplier outputMultiplier;
  if (code == tflite::BuiltinOperator_MUL) {
    // TFLM: (a - za) * (b - zb) in int32 (int16 too: the product of two
    // int16 values fits), then one requantization.
    Value ai = toInt32Centered(c.g, c.loc, lhs, a.zeroPoint(), 0);
    Value bi = toInt32Centered(c.g, c.loc, rhs, bt.zeroPoint(), 0);
    raw = c.g.mulShift(c.loc, ai, bi, 0);
    outputMultiplier = tflm::quantizeMultiplier(
        static_cast<double>(a.scale()) * static_cast<double>(bt.scale()) /
        static_cast<double>(y.scale()));
  } else {
    // TFLM's ADD/SUB: both inputs shifted left by 20 (int16: 15) and
    // scaled to twice the larger input scale, combined, then scaled to the
    // output.
    const int kLeftShift = is16 ? 15 : 20;
    const double twiceMax = 2.0 * std::max(static_cast<double>(a.scale()),
                                           static_cast<double>(bt.scale()));
    QuantizedMultiplier ma =
        tflm::quantizeMultiplier(static_cast<double>(a.scale()) / twiceMax);
    QuantizedMultiplier mb =
        tflm::quantizeMultiplier(static_cast<double>(bt.scale()) / twiceMax);
    outputMultiplier = tflm::quantizeMultiplier(
        twiceMax / ((1 << kLeftShift) * static_cast<double>(y.scale())));
    if (code == tflite::BuiltinOperator_SUB) {
      // TFLM's SUB divides in float before widening to double (ADD
      // divides in double): its multipliers can differ in the last bit.
      const float twiceMaxF = 2 * std::max(static_cast<float>(a.scale()),
                                           static_cast<float>(bt.scale()));
      ma = tflm::quantizeMultiplier(
          static_cast<double>(static_cast<float>(a.scale()) / twiceMaxF));
      mb = tflm::quantizeMultiplier(
          static_cast<double>(static_cast<float>(bt.scale()) / twiceMaxF));
      outputMultiplier = tflm::quantizeMultiplier(
          static_cast<double>(twiceMaxF / (static_cast<float>(1 << kLeftShift) *
                                           static_cast<float>(y.scale()))));
    }
    Value ai = c.g.rescale(
        c.loc, toInt32Centered(c.g, c.loc, lhs, a.zeroPoint(), kLeftShift),
        c.b.getI32Type(), {ma}, 0, 0);
    Value bi = c.g.rescale(
        c.loc, toInt32Centered(c.g, c.loc, rhs, bt.zeroPoint(), kLeftShift),
        c.b.getI32Type(), {mb}, 0, 0);
    raw = code == tflite::BuiltinOperator_ADD
              ? Value(tosa::AddOp::create(c.b, c.loc, i32Type, ai, bi))
              : Value(tosa::SubOp::create(c.b, c.loc, i32Type, ai, bi));
  }
  Value scaled =
      c.g.rescale(c.loc, raw, is16 ? c.b.getI16Type() : c.b.getI8Type(),
                  {outputMultiplier}, 0, y.zeroPoint());
  return setActivated(c, scaled, act, /*quantized=*/true);
}

//===----------------------------------------------------------------------===//
// Division, squared difference, sums of many
//===----------------------------------------------------------------------===//

/// SQUARED_DIFFERENCE: (x - y)^2. float32 and int32 directly (int32
/// wrapping); int8 and int16 as TFLM: both sides (x - z) << 7 (int16: << 0)
/// scaled to twice the larger scale, the difference squared in int32, one
/// requantization (its multiplier from a float product, as TFLM's Prepare).
LogicalResult convertSquaredDifference(Converter &c) {
  FailureOr<SmallVector<Value>> operands = sameTypeBinaryOperands(c);
  if (failed(operands))
    return failure();
  const TensorInfo &a = c.in(0), &bt = c.in(1), &y = c.out();
  Value lhs = (*operands)[0], rhs = (*operands)[1];
  RankedTensorType type = c.outType();
  if (y.isFloat() || (y.type == tflite::TensorType_INT32 && y.scales.empty())) {
    Value diff = tosa::SubOp::create(c.b, c.loc, type, lhs, rhs);
    c.set(c.g.mulShift(c.loc, diff, diff, 0));
    return success();
  }
  const bool is16 = y.isQuantized16();
  if (!(y.isQuantized8() && !y.isUnsigned8()) && !is16)
    return c.error(y.index)
           << "SQUARED_DIFFERENCE of " << tflite::EnumNameTensorType(y.type)
           << " is not supported";
  if (is16 && (a.zeroPoint() || bt.zeroPoint() || y.zeroPoint()))
    return c.error(y.index) << "int16 SQUARED_DIFFERENCE needs zero points 0 "
                               "(as TFLM)";
  const int leftShift = is16 ? 0 : 7;
  const double twiceMax =
      2.0 * static_cast<double>(std::max(static_cast<float>(a.scale()),
                                         static_cast<float>(bt.scale())));
  const QuantizedMultiplier ma = tflm::quantizeMultiplier(
      static_cast<double>(static_cast<float>(a.scale())) / twiceMax);
  const QuantizedMultiplier mb = tflm::quantizeMultiplier(
      static_cast<double>(static_cast<float>(bt.scale())) / twiceMax);
  const QuantizedMultiplier mo = tflm::quantizeMultiplier(
      twiceMax * twiceMax /
      static_cast<double>(static_cast<float>(1 << (2 * leftShift)) *
                          static_cast<float>(y.scale())));
  Value ai = c.g.rescale(
      c.loc, toInt32Centered(c.g, c.loc, lhs, a.zeroPoint(), leftShift),
      c.b.getI32Type(), {ma}, 0, 0);
  Value bi = c.g.rescale(
      c.loc, toInt32Centered(c.g, c.loc, rhs, bt.zeroPoint(), leftShift),
      c.b.getI32Type(), {mb}, 0, 0);
  auto i32Type = type.clone(c.b.getI32Type());
  Value diff = tosa::SubOp::create(c.b, c.loc, i32Type, ai, bi);
  Value squared = c.g.mulShift(c.loc, diff, diff, 0);
  c.set(c.g.rescale(c.loc, squared, type.getElementType(), {mo}, 0,
                    y.zeroPoint()));
  return success();
}

/// TFLM's int8 DIV (DivElementwise): signs moved to the dividend, the
/// divisor's reciprocal and its shift looked up by divisor (TFLM's
/// GetReciprocal, at most 255 values), the dividend normalised by its
/// leading sign bits, two doubling high multiplies and a rounding shift by
/// a per-element amount, in i32. A zero divisor, which TFLM never checks
/// in release builds, divides by one here.
LogicalResult convertQuantizedDivision(Converter &c, Value lhs, Value rhs,
                                       tflite::ActivationFunctionType act) {
  const TensorInfo &a = c.in(0), &bt = c.in(1), &y = c.out();
  RankedTensorType type = c.outType();
  const unsigned rank = type.getRank();
  auto i32Type = type.clone(c.b.getI32Type());
  auto boolType = type.clone(c.b.getI1Type());
  auto cst = [&](int32_t v) { return c.g.scalarI32(c.loc, v, rank); };
  auto add = [&](Value x, Value z) {
    return Value(tosa::AddOp::create(c.b, c.loc, i32Type, x, z));
  };
  auto sub = [&](Value x, Value z) {
    return Value(tosa::SubOp::create(c.b, c.loc, i32Type, x, z));
  };
  auto select = [&](Value cond, Value x, Value z) {
    return Value(tosa::SelectOp::create(c.b, c.loc, i32Type, cond, x, z));
  };
  // An operand minus its zero point, as i32 of the output's shape (the
  // selects below take operands of one shape).
  auto centred = [&](Value v, int64_t zp) -> FailureOr<Value> {
    auto t = cast<RankedTensorType>(v.getType());
    Value wide = tosa::CastOp::create(c.b, c.loc, t.clone(c.b.getI32Type()), v);
    return broadcastTo(c,
                       tosa::SubOp::create(c.b, c.loc, wide.getType(), wide,
                                           cst(static_cast<int32_t>(zp))),
                       type.getShape());
  };
  Value zero = cst(0);
  FailureOr<Value> dividend = centred(lhs, a.zeroPoint());
  FailureOr<Value> divisor = centred(rhs, bt.zeroPoint());
  if (failed(dividend) || failed(divisor))
    return failure();
  Value num = *dividend, den = *divisor;
  Value negative = tosa::GreaterOp::create(c.b, c.loc, boolType, zero, den);
  num = select(negative, sub(zero, num), num);
  den = c.g.clampInt(c.loc, select(negative, sub(zero, den), den), 1, 255);
  std::vector<int32_t> inverses(256, 0), shifts(256, 0);
  for (int32_t d = 1; d < 256; ++d) {
    int bitsOverUnit = 0;
    inverses[d] = tflm::getReciprocal(d, 31, bitsOverUnit);
    shifts[d] = bitsOverUnit;
  }
  Value inverse = c.g.gatherTable(c.loc, den, inverses);
  Value recipShift = c.g.gatherTable(c.loc, den, shifts);
  // CountLeadingSignBits: clz(x >= 0 ? x : ~x) - 1.
  Value nonNegative =
      tosa::GreaterEqualOp::create(c.b, c.loc, boolType, num, zero);
  Value headroom =
      sub(tosa::ClzOp::create(
              c.b, c.loc, i32Type,
              select(nonNegative, num,
                     tosa::BitwiseNotOp::create(c.b, c.loc, i32Type, num))),
          cst(1));
  // gemmlowp's SaturatingRoundingDoublingHighMul is TOSA's mul by a shift
  // of 31 (both round (a b + 2^30) / 2^31 down; the saturating case, two
  // minimum values, cannot occur with a positive multiplier).
  auto doublingHighMul = [&](Value x, Value m) {
    return c.g.mulShift(c.loc, x, m, 31);
  };
  Value unscaled = doublingHighMul(
      tosa::LogicalLeftShiftOp::create(c.b, c.loc, i32Type, num, headroom),
      inverse);
  const QuantizedMultiplier out = tflm::quantizeMultiplier(static_cast<double>(
      static_cast<float>(a.scale()) /
      (static_cast<float>(bt.scale()) * static_cast<float>(y.scale()))));
  Value product = doublingHighMul(unscaled, cst(out.multiplier));
  // RoundingDivideByPOT(product, recipShift + headroom - shift); beyond 31
  // the quotient of an int32 rounds to 0 (and TOSA's shifts stop at 31).
  Value fullExponent = sub(add(recipShift, headroom), cst(out.shift));
  Value beyond =
      tosa::GreaterOp::create(c.b, c.loc, boolType, fullExponent, cst(31));
  Value exponent = c.g.clampInt(c.loc, fullExponent, 0, 31);
  Value mask = sub(
      tosa::LogicalLeftShiftOp::create(c.b, c.loc, i32Type, cst(1), exponent),
      cst(1));
  Value remainder =
      tosa::BitwiseAndOp::create(c.b, c.loc, i32Type, product, mask);
  Value threshold =
      add(tosa::ArithmeticRightShiftOp::create(c.b, c.loc, i32Type, mask,
                                               cst(1), false),
          select(tosa::GreaterOp::create(c.b, c.loc, boolType, zero, product),
                 cst(1), zero));
  Value quotient = add(tosa::ArithmeticRightShiftOp::create(
                           c.b, c.loc, i32Type, product, exponent, false),
                       select(tosa::GreaterOp::create(c.b, c.loc, boolType,
                                                      remainder, threshold),
                              cst(1), zero));
  quotient = select(beyond, zero, quotient);
  int32_t lo = 0, hi = 0;
  c.g.activationRange(act, y, lo, hi);
  Value result = c.g.clampInt(
      c.loc, add(quotient, cst(static_cast<int32_t>(y.zeroPoint()))), lo, hi);
  c.set(tosa::CastOp::create(c.b, c.loc, type, result));
  return success();
}

/// DIV (float32, int32, int8), FLOOR_DIV and FLOOR_MOD (float32). float DIV is
/// x times the reciprocal (TOSA has no float division: within an ulp of
/// TFLM's); int32 DIV truncates as C++ (a zero divisor, undefined in TFLM,
/// divides by one here rather than trap).
LogicalResult convertDivision(Converter &c) {
  FailureOr<SmallVector<Value>> operands = sameTypeBinaryOperands(c);
  if (failed(operands))
    return failure();
  const TensorInfo &a = c.in(0), &bt = c.in(1), &y = c.out();
  const int32_t code = c.op.code;
  Value lhs = (*operands)[0], rhs = (*operands)[1];
  RankedTensorType type = c.outType();
  const unsigned rank = type.getRank();
  tflite::ActivationFunctionType act = tflite::ActivationFunctionType_NONE;
  if (auto *o = c.options<tflite::DivOptions>())
    act = o->fused_activation_function();
  if (y.type == tflite::TensorType_INT32 && y.scales.empty() &&
      code == tflite::BuiltinOperator_DIV) {
    auto boolType =
        cast<RankedTensorType>(rhs.getType()).clone(c.b.getI1Type());
    Value zero = tosa::EqualOp::create(c.b, c.loc, boolType, rhs,
                                       c.g.scalarI32(c.loc, 0, rank));
    Value divisor = tosa::SelectOp::create(c.b, c.loc, rhs.getType(), zero,
                                           c.g.scalarI32(c.loc, 1, rank), rhs);
    Value q = tosa::IntDivOp::create(c.b, c.loc, type, lhs, divisor);
    if (act == tflite::ActivationFunctionType_RELU)
      q = c.g.clampInt(c.loc, q, 0, std::numeric_limits<int32_t>::max());
    else if (act == tflite::ActivationFunctionType_RELU6)
      q = c.g.clampInt(c.loc, q, 0, 6);
    else if (act != tflite::ActivationFunctionType_NONE)
      return c.error() << "fused activation is not supported on int32 DIV";
    c.set(q);
    return success();
  }
  if (code == tflite::BuiltinOperator_DIV && y.isQuantized8() &&
      !y.isUnsigned8() && a.isQuantized8() && bt.isQuantized8())
    return convertQuantizedDivision(c, lhs, rhs, act);
  if (!y.isFloat())
    return c.error(y.index)
           << builtinName(code) << " of " << tflite::EnumNameTensorType(y.type)
           << " is not supported yet";
  Value quotient = c.g.mulShift(
      c.loc, lhs, tosa::ReciprocalOp::create(c.b, c.loc, rhs.getType(), rhs),
      0);
  if (code == tflite::BuiltinOperator_DIV)
    return setActivated(c, quotient, act, /*quantized=*/false);
  Value floored = tosa::FloorOp::create(c.b, c.loc, type, quotient);
  if (code == tflite::BuiltinOperator_FLOOR_DIV) {
    c.set(floored);
    return success();
  }
  // FLOOR_MOD: x - floor(x / y) * y, which has y's sign as TFLite's.
  c.set(tosa::SubOp::create(c.b, c.loc, type, lhs,
                            c.g.mulShift(c.loc, floored, rhs, 0)));
  return success();
}

/// ADD_N: the sum of any number of same-shaped inputs. int8 as TFLM: one
/// quantization for all inputs, each (x - z) << 20 halved, summed onto
/// TFLM's starting term (the negated zero point, treated the same), one
/// requantization.
LogicalResult convertAddN(Converter &c) {
  const TensorInfo &y = c.out();
  if (c.op.inputs.empty())
    return c.error() << "ADD_N needs inputs";
  SmallVector<int> tensors(c.op.inputs.begin(), c.op.inputs.end());
  tensors.push_back(y.index);
  if (failed(c.sameElementType(tensors)))
    return failure();
  for (unsigned i = 0; i < c.op.inputs.size(); ++i)
    if (c.in(i).shape != y.shape)
      return c.error(c.in(i).index) << "ADD_N's inputs have the output's shape";
  RankedTensorType type = c.outType();
  FailureOr<bool> isInt8 = c.floatOrInt8(y);
  if (failed(isInt8))
    return failure();
  const bool quantized = *isInt8;
  const TensorInfo &first = c.in(0);
  if (quantized)
    for (unsigned i = 1; i < c.op.inputs.size(); ++i)
      if (c.in(i).scale() != first.scale() ||
          c.in(i).zeroPoint() != first.zeroPoint())
        return c.error(c.in(i).index)
               << "int8 ADD_N needs one quantization for its inputs (TFLM "
                  "checks)";
  constexpr int kShift = 20;
  const double twiceScale = 2 * static_cast<double>(first.scale());
  const QuantizedMultiplier mi =
      tflm::quantizeMultiplier(static_cast<double>(first.scale()) / twiceScale);
  const QuantizedMultiplier mo = tflm::quantizeMultiplier(
      twiceScale / ((1 << kShift) * static_cast<double>(y.scale())));
  auto i32Type = type.clone(c.b.getI32Type());
  Value sum;
  if (quantized) {
    const int32_t start = tflm::multiplyByQuantizedMultiplier(
        static_cast<int32_t>(-first.zeroPoint()) * (1 << kShift), mi);
    sum = c.g.scalarI32(c.loc, start, y.shape.size());
  }
  for (unsigned i = 0; i < c.op.inputs.size(); ++i) {
    FailureOr<Value> v = c.value(i);
    if (failed(v))
      return failure();
    Value term = *v;
    if (quantized) {
      term = c.g.rescale(
          c.loc, toInt32Centered(c.g, c.loc, term, first.zeroPoint(), kShift),
          c.b.getI32Type(), {mi}, 0, 0);
      sum = tosa::AddOp::create(c.b, c.loc, i32Type, sum, term);
    } else {
      sum =
          sum ? Value(tosa::AddOp::create(c.b, c.loc, type, sum, term)) : term;
    }
  }
  if (quantized)
    sum = c.g.rescale(c.loc, sum, c.b.getI8Type(), {mo}, 0, y.zeroPoint());
  c.set(sum);
  return success();
}

} // namespace

void ft::tflite_import::registerElementwiseConverters(ConverterTable &table) {
  table.add(tflite::BuiltinOperator_ADD, convertBinary);
  table.add(tflite::BuiltinOperator_SUB, convertBinary);
  table.add(tflite::BuiltinOperator_MUL, convertBinary);
  table.add(tflite::BuiltinOperator_MAXIMUM, convertBinary);
  table.add(tflite::BuiltinOperator_MINIMUM, convertBinary);
  table.add(tflite::BuiltinOperator_SQUARED_DIFFERENCE,
            convertSquaredDifference);
  table.add(tflite::BuiltinOperator_DIV, convertDivision);
  table.add(tflite::BuiltinOperator_FLOOR_DIV, convertDivision);
  table.add(tflite::BuiltinOperator_FLOOR_MOD, convertDivision);
  table.add(tflite::BuiltinOperator_ADD_N, convertAddN);
}
