//===- ConvertMath.cpp - Unary math ---------------------------------------===//
//
// Unary math: float32 through TOSA's elementwise ops, and TFLM's quantized
// ABS and RSQRT (tables of its kernels on int8, arithmetic on int16).
//
//===----------------------------------------------------------------------===//

#include <cmath>

#include "Converter.h"
#include "FixedPointMath.h"

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;
using tflm::QuantizedMultiplier;

namespace {

/// TFLite's round: to the nearest integer, ties to even.
Value roundHalfToEven(Converter &c, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  const unsigned rank = type.getRank();
  auto boolType = type.clone(c.b.getI1Type());
  Value down = tosa::FloorOp::create(c.b, c.loc, type, x);
  Value diff = tosa::SubOp::create(c.b, c.loc, type, x, down);
  Value half = c.g.scalarF32(c.loc, 0.5f, rank);
  Value up = tosa::AddOp::create(c.b, c.loc, type, down,
                                 c.g.scalarF32(c.loc, 1.0f, rank));
  // floor is even when floor(floor / 2) * 2 == floor.
  Value halved = tosa::FloorOp::create(c.b, c.loc, type,
                                       c.g.mulShift(c.loc, down, half, 0));
  Value downIsEven = tosa::EqualOp::create(
      c.b, c.loc, boolType,
      c.g.mulShift(c.loc, halved, c.g.scalarF32(c.loc, 2.0f, rank), 0), down);
  Value below = tosa::GreaterOp::create(c.b, c.loc, boolType, half, diff);
  Value tie = tosa::EqualOp::create(c.b, c.loc, boolType, diff, half);
  Value keepDown = tosa::LogicalOrOp::create(
      c.b, c.loc, boolType, below,
      tosa::LogicalAndOp::create(c.b, c.loc, boolType, tie, downIsEven));
  return tosa::SelectOp::create(c.b, c.loc, type, keepDown, down, up);
}

/// TFLM's int16 RSQRT (zero points 0): per element the inverse square root
/// as a multiplier and shift (GetInvSqrtQuantizedMultiplierExp, run-time
/// Newton-Raphson), applied to 1 with 20 more bits, then the output scaling
/// with 20 fewer; 0 gives the maximum. TFLM refuses to run on negative
/// values; they give a defined but meaningless value here.
LogicalResult convertInt16Rsqrt(Converter &c, Value input) {
  const TensorInfo &x = c.in(0), &y = c.out();
  if (x.zeroPoint() != 0 || y.zeroPoint() != 0 || !y.isQuantized16())
    return c.error(y.index) << "int16 RSQRT needs int16 in and out with zero "
                               "points 0 (as TFLM)";
  auto type = cast<RankedTensorType>(input.getType());
  FixedPointMath m(c.g, c.loc, type);
  Value value = tosa::CastOp::create(c.b, c.loc, m.type(), input);
  auto [multiplier, shift] = m.invSqrtMultiplier(value);
  constexpr int32_t kShift = 20; // keeps the intermediate an integer
  Value data = m.multiplyByQuantizedMultiplier(m.cst(1), multiplier,
                                               m.add(shift, m.cst(kShift)));
  const QuantizedMultiplier out = tflm::quantizeMultiplier(
      1.0 / static_cast<double>(std::sqrt(static_cast<float>(x.scale())) *
                                static_cast<float>(y.scale())));
  Value result = m.multiplyByQuantizedMultiplier(data, m.cst(out.multiplier),
                                                 m.cst(out.shift - kShift));
  result = m.select(m.equal(value, m.cst(0)), m.cst(32767),
                    c.g.clampInt(c.loc, result, -32768, 32767));
  c.set(tosa::CastOp::create(c.b, c.loc, type, result));
  return success();
}

/// Float unary math (ABS, NEG, CEIL, FLOOR, ROUND, SQRT, RSQRT, SQUARE,
/// EXP, LOG, SIN, COS), and the quantized ABS and RSQRT of TFLM: tables on
/// 8-bit tensors, arithmetic on int16.
LogicalResult convertUnaryMath(Converter &c) {
  FailureOr<Value> maybeInput = c.sameTypeUnaryInput();
  if (failed(maybeInput))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  const int32_t code = c.op.code;
  Value input = *maybeInput;
  auto type = c.outType();
  const unsigned rank = type.getRank();
  if (x.isFloat()) {
    Value r;
    switch (code) {
    case tflite::BuiltinOperator_ABS:
      r = tosa::AbsOp::create(c.b, c.loc, type, input);
      break;
    case tflite::BuiltinOperator_NEG:
      r = c.g.mulShift(c.loc, input, c.g.scalarF32(c.loc, -1.0f, rank), 0);
      break;
    case tflite::BuiltinOperator_CEIL:
      r = tosa::CeilOp::create(c.b, c.loc, type, input);
      break;
    case tflite::BuiltinOperator_FLOOR:
      r = tosa::FloorOp::create(c.b, c.loc, type, input);
      break;
    case tflite::BuiltinOperator_ROUND:
      r = roundHalfToEven(c, input);
      break;
    case tflite::BuiltinOperator_SQUARE:
      r = c.g.mulShift(c.loc, input, input, 0);
      break;
    case tflite::BuiltinOperator_RSQRT:
      r = tosa::RsqrtOp::create(c.b, c.loc, type, input);
      break;
    case tflite::BuiltinOperator_SQRT:
      // x^(1/2) as 1 / rsqrt(x): exact at 0 (1 / inf) and infinity.
      r = tosa::ReciprocalOp::create(
          c.b, c.loc, type, tosa::RsqrtOp::create(c.b, c.loc, type, input));
      break;
    case tflite::BuiltinOperator_EXP:
      r = tosa::ExpOp::create(c.b, c.loc, type, input);
      break;
    case tflite::BuiltinOperator_LOG:
      r = tosa::LogOp::create(c.b, c.loc, type, input);
      break;
    case tflite::BuiltinOperator_SIN:
      r = tosa::SinOp::create(c.b, c.loc, type, input);
      break;
    default: // COS
      r = tosa::CosOp::create(c.b, c.loc, type, input);
      break;
    }
    c.set(r);
    return success();
  }
  const bool isAbs = code == tflite::BuiltinOperator_ABS;
  const bool isRsqrt = code == tflite::BuiltinOperator_RSQRT;
  if (x.type == tflite::TensorType_INT16 && isAbs && x.scales.empty()) {
    // TFLM's unquantized int16 ABS: std::abs, truncated back to int16.
    auto i32Type = type.clone(c.b.getI32Type());
    Value wide = tosa::CastOp::create(c.b, c.loc, i32Type, input);
    Value magnitude = tosa::AbsOp::create(c.b, c.loc, i32Type, wide);
    c.set(tosa::CastOp::create(c.b, c.loc, type, magnitude));
    return success();
  }
  if (isRsqrt && x.isQuantized16())
    return convertInt16Rsqrt(c, input);
  if (!((isAbs && (x.isQuantized8() || x.isQuantized16())) ||
        (isRsqrt && x.isQuantized8())) ||
      x.isUnsigned8())
    return c.error(x.index)
           << builtinName(code) << " of " << tflite::EnumNameTensorType(x.type)
           << " is not supported (TFLM has no such kernel)";
  if (x.isQuantized16() && (x.zeroPoint() != 0 || y.zeroPoint() != 0))
    return c.error(y.index) << "int16 ABS needs zero points 0 (as TFLM)";
  const int32_t inZp = static_cast<int32_t>(x.zeroPoint());
  const int32_t outZp = static_cast<int32_t>(y.zeroPoint());
  // TFLM rescales only when the scales differ (compared as float).
  const float inScale = static_cast<float>(x.scale());
  const float outScale = static_cast<float>(y.scale());
  const bool rescales = inScale != outScale;
  if (isAbs) {
    const QuantizedMultiplier m =
        tflm::quantizeMultiplier(static_cast<double>(inScale / outScale));
    if (x.isQuantized16()) {
      auto i32Type = type.clone(c.b.getI32Type());
      Value magnitude =
          tosa::AbsOp::create(c.b, c.loc, i32Type,
                              tosa::CastOp::create(c.b, c.loc, i32Type, input));
      Value r = rescales
                    ? c.g.rescale(c.loc, magnitude, c.b.getI16Type(), {m}, 0, 0)
                    : tosa::CastOp::create(
                          c.b, c.loc, type,
                          c.g.clampInt(c.loc, magnitude, -32768, 32767));
      c.set(r);
      return success();
    }
    c.set(c.g.table8(c.loc, input, [=](int8_t v) {
      const int32_t magnitude = std::abs(int32_t(v) - inZp);
      const int32_t r =
          (rescales ? tflm::multiplyByQuantizedMultiplier(magnitude, m)
                    : magnitude) +
          outZp;
      return static_cast<int8_t>(std::clamp(r, -128, 127));
    }));
    return success();
  }
  // RSQRT: TFLM refuses to run on values below the zero point; those give
  // the type's maximum here, as the zero point itself does.
  const QuantizedMultiplier m = tflm::quantizeMultiplier(
      1.0 / static_cast<double>(std::sqrt(inScale) * outScale));
  c.set(c.g.table8(c.loc, input, [=](int8_t v) {
    const int32_t value = int32_t(v) - inZp;
    if (value <= 0)
      return static_cast<int8_t>(127);
    return static_cast<int8_t>(std::clamp(
        tflm::quantizedRsqrt(value, m) + outZp, int32_t(-128), int32_t(127)));
  }));
  return success();
}

} // namespace

void ft::tflite_import::registerMathConverters(ConverterTable &table) {
  table.add(tflite::BuiltinOperator_ABS, convertUnaryMath);
  table.add(tflite::BuiltinOperator_NEG, convertUnaryMath);
  table.add(tflite::BuiltinOperator_CEIL, convertUnaryMath);
  table.add(tflite::BuiltinOperator_FLOOR, convertUnaryMath);
  table.add(tflite::BuiltinOperator_ROUND, convertUnaryMath);
  table.add(tflite::BuiltinOperator_SQRT, convertUnaryMath);
  table.add(tflite::BuiltinOperator_RSQRT, convertUnaryMath);
  table.add(tflite::BuiltinOperator_SQUARE, convertUnaryMath);
  table.add(tflite::BuiltinOperator_EXP, convertUnaryMath);
  table.add(tflite::BuiltinOperator_LOG, convertUnaryMath);
  table.add(tflite::BuiltinOperator_SIN, convertUnaryMath);
  table.add(tflite::BuiltinOperator_COS, convertUnaryMath);
}
