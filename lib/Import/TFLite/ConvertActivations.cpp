//===- ConvertActivations.cpp - Activations, softmax, normalization ------===//
//
// Activations and softmax: 8-bit ones as lookup tables computed at import
// time with TFLM's arithmetic, int16 and softmax step by step in TOSA.
//
//===----------------------------------------------------------------------===//

#include "Converter.h"
#include "FixedPointMath.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <cmath>
#include <functional>

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;
using tflm::QuantizedMultiplier;

namespace {

/// TFLM's quantized RELU and RELU6 on int8 and int16 (zero points 0).
/// RELU requantizes to the output and clamps at its zero point; RELU6 only
/// clamps the stored input to [zero point, quantized 6] *in the input's
/// quantization*, whatever the output's (TFLM's Relu6Quantized).
LogicalResult convertQuantizedRelu(Converter &c) {
  const TensorInfo &x = c.in(0), &y = c.out();
  const bool is16 = x.isQuantized16();
  if (x.type != y.type)
    return c.error(y.index)
           << builtinName(c.op.code) << " keeps its input's type";
  if (is16 && (x.zeroPoint() != 0 || y.zeroPoint() != 0))
    return c.error(y.index) << "int16 " << builtinName(c.op.code)
                            << " needs zero points 0 (as TFLM)";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  const int32_t typeMin = is16 ? -32768 : -128, typeMax = is16 ? 32767 : 127;
  const float inScale = static_cast<float>(x.scale());
  const int32_t inZp = static_cast<int32_t>(x.zeroPoint());
  if (c.op.code == tflite::BuiltinOperator_RELU6) {
    // (Saturating: an absurd scale must not overflow, which TFLM leaves
    // undefined.)
    const int32_t six = static_cast<int32_t>(std::clamp<int64_t>(
        int64_t(tflm::saturatingRound(6.0f / inScale)) + inZp, typeMin,
        typeMax));
    c.set(c.g.clampInt(c.loc, *input, inZp, six));
    return success();
  }
  // RELU: TFLM divides the scales in float.
  const QuantizedMultiplier m = tflm::quantizeMultiplier(
      static_cast<double>(inScale / static_cast<float>(y.scale())));
  const int32_t outZp = static_cast<int32_t>(y.zeroPoint());
  const int32_t lo = std::max(typeMin, outZp);
  if (is16) {
    Value scaled =
        c.g.rescale(c.loc, *input, c.b.getI16Type(), {m}, inZp, outZp);
    c.set(c.g.clampInt(c.loc, scaled, lo, typeMax));
    return success();
  }
  c.set(c.g.table8(c.loc, *input, [=](int8_t v) {
    const int32_t r = outZp + tflm::multiplyByQuantizedMultiplier(v - inZp, m);
    return static_cast<int8_t>(std::clamp(r, lo, typeMax));
  }));
  return success();
}

/// int16 LOGISTIC and TANH with TFLM's scaling from the tensors' scales.
LogicalResult convertInt16Sigmoid(Converter &c, Value input) {
  const TensorInfo &x = c.in(0), &y = c.out();
  const bool isTanh = c.op.code == tflite::BuiltinOperator_TANH;
  if (x.zeroPoint() != 0 || y.zeroPoint() != 0 || !y.isQuantized16())
    return c.error(y.index) << "int16 " << builtinName(c.op.code)
                            << " needs int16 in and out with zero points 0 "
                               "(as TFLM)";
  tflm::Int16SigmoidScaling scaling;
  if (!tflm::int16SigmoidScaling(static_cast<float>(x.scale()),
                                 static_cast<float>(y.scale()), isTanh,
                                 scaling))
    return c.error(y.index) << "int16 " << builtinName(c.op.code)
                            << " needs an output scale of 2^-15 and an input "
                               "scale TFLM can rescale (as TFLM)";
  c.set(int16SigmoidOrTanh(c, input, scaling, isTanh));
  return success();
}

LogicalResult convertUnary(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  // uint8 stays on the path below: TFLite's (TFLM has no uint8 kernels).
  if ((c.op.code == tflite::BuiltinOperator_RELU ||
       c.op.code == tflite::BuiltinOperator_RELU6) &&
      ((x.isQuantized8() && !x.isUnsigned8()) || x.isQuantized16()))
    return convertQuantizedRelu(c);
  if ((c.op.code == tflite::BuiltinOperator_LOGISTIC ||
       c.op.code == tflite::BuiltinOperator_TANH) &&
      x.isQuantized16()) {
    FailureOr<Value> input = c.value(0);
    if (failed(input))
      return failure();
    return convertInt16Sigmoid(c, *input);
  }
  FailureOr<bool> quantized = c.quantizedKind({x.index, y.index});
  if (failed(quantized))
    return failure();
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  const int32_t code = c.op.code;
  auto type = c.outType();

  if (!*quantized) {
    Value r;
    const float inf = std::numeric_limits<float>::infinity();
    switch (code) {
    case tflite::BuiltinOperator_LOGISTIC:
      r = tosa::SigmoidOp::create(c.b, c.loc, type, *input);
      break;
    case tflite::BuiltinOperator_TANH:
      r = tosa::TanhOp::create(c.b, c.loc, type, *input);
      break;
    case tflite::BuiltinOperator_RELU:
      r = c.g.clampFloat(c.loc, *input, 0.0f, inf);
      break;
    case tflite::BuiltinOperator_RELU6:
      r = c.g.clampFloat(c.loc, *input, 0.0f, 6.0f);
      break;
    default:
      r = c.g.clampFloat(c.loc, *input, -1.0f, 1.0f);
      break;
    }
    c.set(r);
    return success();
  }

  const double inScale = x.scale();
  const int64_t inZp = x.zeroPoint();
  const bool isUnsigned = x.isUnsigned8();
  std::function<int8_t(int8_t)> fn;
  if (code == tflite::BuiltinOperator_LOGISTIC ||
      code == tflite::BuiltinOperator_TANH) {
    // TFLM fixes the output quantization: 1/256 and -128 for LOGISTIC, 1/128
    // and 0 for TANH (uint8: zero points 0 and 128, the same in the int8
    // domain).
    const bool isLogistic = code == tflite::BuiltinOperator_LOGISTIC;
    const double outScale = isLogistic ? 1.0 / 256 : 1.0 / 128;
    const int64_t outZp = isLogistic ? -128 : 0;
    if (std::abs(y.scale() - outScale) > 1e-9 * y.scale() ||
        y.zeroPoint() != outZp)
      return c.error(y.index)
             << "quantized " << builtinName(code) << " needs output scale 1/"
             << (isLogistic ? 256 : 128) << " and zero point "
             << (isUnsigned ? outZp + 128 : outZp);
    // The table is computed in the tensor's own signed or unsigned domain.
    auto int8Kernel = isLogistic ? tflm::logisticInt8 : tflm::tanhInt8;
    auto uint8Kernel = isLogistic ? tflm::logisticUInt8 : tflm::tanhUInt8;
    fn = [=](int8_t v) -> int8_t {
      if (!isUnsigned)
        return int8Kernel(v, inScale, static_cast<int32_t>(inZp));
      return static_cast<int8_t>(uint8Kernel(static_cast<uint8_t>(v + 128),
                                             inScale,
                                             static_cast<int32_t>(inZp + 128)) -
                                 128);
    };
  } else {
    // TFLM's ReluQuantized: requantize to the output, then clamp.
    QuantizedMultiplier m =
        tflm::quantizeMultiplier(inScale / static_cast<double>(y.scale()));
    int32_t lo = 0, hi = 0;
    tflm::FusedActivation act = code == tflite::BuiltinOperator_RELU
                                    ? tflm::FusedActivation::Relu
                                : code == tflite::BuiltinOperator_RELU6
                                    ? tflm::FusedActivation::Relu6
                                    : tflm::FusedActivation::ReluN1To1;
    tflm::activationRange(act, y.scale(), y.zeroPoint(), -128, 127, lo, hi);
    const int64_t outZp = y.zeroPoint();
    fn = [=](int8_t v) {
      int32_t r = static_cast<int32_t>(outZp) +
                  tflm::multiplyByQuantizedMultiplier(v - inZp, m);
      return static_cast<int8_t>(std::clamp(r, lo, hi));
    };
  }
  c.set(c.g.table8(c.loc, *input, fn));
  return success();
}

/// LEAKY_RELU: x > 0 ? x : alpha * x. Quantized as TFLM: the input minus its
/// zero point times the identity (in/out scale) or alpha multiplier,
/// whichever side of the zero point it is on, plus the output zero point,
/// clamped: a table.
LogicalResult convertLeakyRelu(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  FailureOr<bool> quantized =
      c.quantizedKind({x.index, y.index}, /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  if (*quantized && x.type != y.type)
    return c.error(y.index) << "LEAKY_RELU keeps its input's type";
  auto *opts = c.options<tflite::LeakyReluOptions>();
  const float alpha = opts ? opts->alpha() : 0.2f;
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  if (!*quantized) {
    const unsigned rank = x.shape.size();
    RankedTensorType type = c.outType();
    auto boolType = RankedTensorType::get(type.getShape(), c.b.getI1Type());
    Value positive = tosa::GreaterOp::create(c.b, c.loc, boolType, *input,
                                             c.g.scalarF32(c.loc, 0.0f, rank));
    Value scaled =
        c.g.mulShift(c.loc, *input, c.g.scalarF32(c.loc, alpha, rank), 0);
    c.set(tosa::SelectOp::create(c.b, c.loc, type, positive, *input, scaled));
    return success();
  }
  // TFLM's LeakyReluPrepare computes both multipliers in float.
  const float inScale = static_cast<float>(x.scale());
  const float outScale = static_cast<float>(y.scale());
  const QuantizedMultiplier identity =
      tflm::quantizeMultiplier(static_cast<double>(inScale / outScale));
  const QuantizedMultiplier scaledAlpha =
      tflm::quantizeMultiplier(static_cast<double>(inScale * alpha / outScale));
  const int32_t inZp = static_cast<int32_t>(x.zeroPoint());
  const int32_t outZp = static_cast<int32_t>(y.zeroPoint());
  if (x.isQuantized16()) {
    // 65536 values: the arithmetic itself, in int32 (TFLM's kernel is the
    // same template for int16).
    const unsigned rank = x.shape.size();
    RankedTensorType outType = c.outType();
    auto i32Type = RankedTensorType::get(outType.getShape(), c.b.getI32Type());
    auto boolType = RankedTensorType::get(outType.getShape(), c.b.getI1Type());
    Value centred = tosa::SubOp::create(
        c.b, c.loc, i32Type, tosa::CastOp::create(c.b, c.loc, i32Type, *input),
        c.g.scalarI32(c.loc, inZp, rank));
    Value kept =
        c.g.rescale(c.loc, centred, c.b.getI32Type(), {identity}, 0, 0);
    Value scaled =
        c.g.rescale(c.loc, centred, c.b.getI32Type(), {scaledAlpha}, 0, 0);
    Value nonNegative = tosa::GreaterEqualOp::create(
        c.b, c.loc, boolType, centred, c.g.scalarI32(c.loc, 0, rank));
    Value r = tosa::AddOp::create(
        c.b, c.loc, i32Type,
        tosa::SelectOp::create(c.b, c.loc, i32Type, nonNegative, kept, scaled),
        c.g.scalarI32(c.loc, outZp, rank));
    c.set(tosa::CastOp::create(c.b, c.loc, outType,
                               c.g.clampInt(c.loc, r, -32768, 32767)));
    return success();
  }
  // (Both zero points are in the int8 domain: the formula is the same.)
  c.set(c.g.table8(c.loc, *input, [=](int8_t v) {
    const int32_t centred = v - inZp;
    const int32_t r =
        outZp + tflm::multiplyByQuantizedMultiplier(
                    centred, centred >= 0 ? identity : scaledAlpha);
    return static_cast<int8_t>(std::clamp(r, -128, 127));
  }));
  return success();
}

/// TFLM's int8 softmax, step by step in TOSA (see TflmArithmetic.cpp for the
/// scalar reference). All values are int32 in gemmlowp fixed-point formats.
/// TFLM's softmax of an 8-bit input, to int8 (scale 1/256) or int16 (scale
/// 1/65536, zero point -32768).
Value buildQuantizedSoftmax(GraphImporter &g, Location loc, Value input,
                            const tflm::SoftmaxParams &params,
                            RankedTensorType outType) {
  OpBuilder &b = g.builder;
  auto inType = cast<RankedTensorType>(input.getType());
  const unsigned rank = inType.getRank();
  auto i32 = b.getI32Type();
  auto full = RankedTensorType::get(inType.getShape(), i32);
  SmallVector<int64_t> rowShape(inType.getShape());
  rowShape.back() = 1;
  auto row = RankedTensorType::get(rowShape, i32);
  auto rowBool = RankedTensorType::get(rowShape, b.getI1Type());
  auto cst = [&](int32_t v) { return g.scalarI32(loc, v, rank); };
  // Result type of a same-rank broadcasting binary op.
  auto joined = [&](Value x, Value y) {
    auto tx = cast<RankedTensorType>(x.getType());
    auto ty = cast<RankedTensorType>(y.getType());
    return RankedTensorType::get(broadcastShape(tx.getShape(), ty.getShape()),
                                 tx.getElementType());
  };
  auto add = [&](Value x, Value y) {
    return tosa::AddOp::create(b, loc, joined(x, y), x, y).getResult();
  };
  auto sub = [&](Value x, Value y) {
    return tosa::SubOp::create(b, loc, joined(x, y), x, y).getResult();
  };
  auto shiftRight = [&](Value x, Value s, bool round) {
    return tosa::ArithmeticRightShiftOp::create(
               b, loc, cast<RankedTensorType>(x.getType()), x, s, round)
        .getResult();
  };
  // gemmlowp's saturating x * 2^s for x >= 0 on a row.
  auto saturatingShiftLeft = [&](Value x, int s) {
    Value clamped = g.clampInt(loc, x, kInt32Min >> s, kInt32Max >> s);
    Value shifted =
        tosa::LogicalLeftShiftOp::create(b, loc, row, clamped, cst(s));
    Value overflow =
        tosa::GreaterOp::create(b, loc, rowBool, x, cst(kInt32Max >> s));
    return tosa::SelectOp::create(b, loc, row, overflow, cst(kInt32Max),
                                  shifted)
        .getResult();
  };

  Value x32 = tosa::CastOp::create(b, loc, full, input);
  Value rowMax = tosa::ReduceMaxOp::create(b, loc, row, x32,
                                           b.getI32IntegerAttr(rank - 1));
  Value diff = sub(rowMax, x32); // max - x, in [0, 255]
  Value expQ0 = g.gatherTable(loc, diff, tflm::softmaxExpTable(params));
  // Sum of exp in Q12 (gemmlowp Rescale<12>: round half up for x >= 0).
  Value expQ12 = shiftRight(expQ0, cst(12), /*round=*/true);
  Value sum = tosa::ReduceSumOp::create(b, loc, row, expQ12,
                                        b.getI32IntegerAttr(rank - 1));
  // GetReciprocal: normalise the sum to [1, 2) and run gemmlowp's
  // Newton-Raphson one_over_one_plus_x_for_x_in_0_1.
  Value headroom = tosa::ClzOp::create(b, loc, row, sum);
  Value normalised =
      tosa::LogicalLeftShiftOp::create(b, loc, row, sum, headroom);
  Value a = sub(normalised, cst(kInt32Min)); // - 2^31, exact here
  Value halfDenominator =
      add(shiftRight(a, cst(1), /*round=*/false), cst(1 << 30));
  Value xq2 = add(cst(1515870810),
                  g.mulShift(loc, halfDenominator, cst(-1010580540), 31));
  for (int i = 0; i < 3; ++i) {
    Value t = g.mulShift(loc, halfDenominator, xq2, 31);
    Value oneMinus = sub(cst(1 << 29), t);
    Value p = g.mulShift(loc, xq2, oneMinus, 31);
    xq2 = add(xq2, saturatingShiftLeft(p, 2));
  }
  Value shiftedScale = saturatingShiftLeft(xq2, 1);
  Value product = g.mulShift(loc, shiftedScale, expQ0, 31);
  // Exponent num_bits_over_unit + 31 - output bits = 43 - bits - headroom;
  // beyond 31 the int32 division by 2^exponent is zero (TFLM's code is
  // undefined there).
  const int outBits = outType.getElementTypeBitWidth();
  const int32_t outMin = -(1 << (outBits - 1)),
                outMax = (1 << (outBits - 1)) - 1;
  Value exponent = g.clampInt(loc, sub(cst(43 - outBits), headroom), 0, 31);
  Value unsat = shiftRight(product, exponent, /*round=*/true);
  Value shifted = add(unsat, cst(outMin));
  Value clamped = g.clampInt(loc, shifted, outMin, outMax);
  return tosa::CastOp::create(b, loc, outType, clamped);
}

/// TFLM's int16 softmax (reference_ops::SoftmaxInt16): differences to the
/// row maximum scaled so that [-65535, 0] is [-10, 0], exp from TFLM's
/// interpolated 513-entry table (TOSA's int16 `table` interpolates the same
/// way, without the final rounding shift by 7), a Q16.15 sum normalised by
/// its leading zeros, 1 / (1 + x) from the second table, one rounding
/// shift. The output has scale 1/32768.
Value buildInt16Softmax(GraphImporter &g, Location loc, Value input,
                        QuantizedMultiplier inputMultiplier,
                        RankedTensorType outType) {
  OpBuilder &b = g.builder;
  auto inType = cast<RankedTensorType>(input.getType());
  const unsigned rank = inType.getRank();
  auto i32 = b.getI32Type();
  auto i16 = b.getI16Type();
  auto full = RankedTensorType::get(inType.getShape(), i32);
  SmallVector<int64_t> rowShape(inType.getShape());
  rowShape.back() = 1;
  auto row = RankedTensorType::get(rowShape, i32);
  auto cst = [&](int32_t v) { return g.scalarI32(loc, v, rank); };
  const tflm::Int16SoftmaxTables tables = tflm::int16SoftmaxTables();
  // TFLite's generic_int16_table_lookup: TOSA's (base << 7) + slope *
  // fraction, then (+ 64) >> 7.
  auto lookup = [&](Value v16, ArrayRef<int16_t> table) {
    auto type = cast<RankedTensorType>(v16.getType());
    Value tableValue =
        g.constant(loc, {static_cast<int64_t>(table.size())}, i16, table);
    Value raw = tosa::TableOp::create(
        b, loc, RankedTensorType::get(type.getShape(), i32), v16, tableValue);
    return tosa::ArithmeticRightShiftOp::create(
               b, loc, cast<RankedTensorType>(raw.getType()), raw, cst(7),
               /*round=*/true)
        .getResult();
  };
  auto toInt16 = [&](Value v32) {
    auto type = cast<RankedTensorType>(v32.getType());
    return tosa::CastOp::create(b, loc,
                                RankedTensorType::get(type.getShape(), i16),
                                g.clampInt(loc, v32, -32768, 32767))
        .getResult();
  };

  Value x32 = tosa::CastOp::create(b, loc, full, input);
  Value rowMax = tosa::ReduceMaxOp::create(b, loc, row, x32,
                                           b.getI32IntegerAttr(rank - 1));
  Value diff = tosa::SubOp::create(b, loc, full, x32, rowMax);
  Value scaled = g.rescale(loc, diff, i32, {inputMultiplier}, 0, 0);
  Value symmetric = tosa::AddOp::create(b, loc, full, scaled, cst(32767));
  Value exps = lookup(toInt16(symmetric), tables.exp);
  Value sum = tosa::ReduceSumOp::create(b, loc, row, exps,
                                        b.getI32IntegerAttr(rank - 1));
  // sum << (headroom - 1) keeps the top bit clear: the sum of at most
  // 65536 values below 2^15 never reaches 2^31.
  Value headroom = tosa::ClzOp::create(b, loc, row, sum);
  Value headroomMinusOne = tosa::SubOp::create(b, loc, row, headroom, cst(1));
  Value normalised =
      tosa::LogicalLeftShiftOp::create(b, loc, row, sum, headroomMinusOne);
  Value shiftedSum = tosa::ArithmeticRightShiftOp::create(
      b, loc, row, normalised, cst(14), /*round=*/true);
  Value symmetricSum =
      tosa::SubOp::create(b, loc, row, shiftedSum, cst((1 << 15) + (1 << 16)));
  Value reciprocal = lookup(toInt16(symmetricSum), tables.oneOverOnePlusX);
  Value product = g.mulShift(loc, exps, reciprocal, 0);
  Value rightShift = tosa::SubOp::create(b, loc, row, cst(31), headroom);
  Value result =
      tosa::ArithmeticRightShiftOp::create(b, loc, full, product, rightShift,
                                           /*round=*/true);
  return tosa::CastOp::create(b, loc, outType,
                              g.clampInt(loc, result, 0, 32767));
}

LogicalResult convertSoftmax(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  FailureOr<bool> quantized =
      c.quantizedKind({x.index, y.index}, /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  if (x.shape.empty() || x.shape != y.shape)
    return c.error(y.index) << "softmax input and output shapes differ";
  auto *opts = c.options<tflite::SoftmaxOptions>();
  const float beta = opts ? opts->beta() : 1.0f;
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  if (*quantized && x.isQuantized16()) {
    if (!y.isQuantized16() || x.zeroPoint() != 0 || y.zeroPoint() != 0 ||
        std::abs(y.scale() - 1.0 / 32768) > 1e-3 / 32768)
      return c.error(y.index) << "int16 SOFTMAX needs zero points 0 and "
                                 "output scale 1/32768 (TFLM refuses other "
                                 "ones)";
    if (x.shape.back() > 65536)
      return c.error(x.index) << "int16 SOFTMAX over more than 65536 values "
                                 "overflows TFLM's int32 sum";
    c.set(buildInt16Softmax(c.g, c.loc, *input,
                            tflm::int16SoftmaxInputMultiplier(beta, x.scale()),
                            c.outType()));
    return success();
  }
  if (*quantized) {
    if (y.isQuantized16()) {
      // TFLM's int8 softmax with an int16 output (as keyword_scrambled's).
      if (std::abs(y.scale() - 1.0 / 65536) > 1e-3 / 65536 ||
          y.zeroPoint() != -32768 || x.isUnsigned8())
        return c.error(y.index) << "SOFTMAX from int8 to int16 needs output "
                                   "scale 1/65536 and zero point -32768 (TFLM "
                                   "refuses other ones)";
    } else if (std::abs(y.scale() - 1.0 / 256) > 1e-9 * y.scale() ||
               y.zeroPoint() != -128) {
      return c.error(y.index) << "quantized SOFTMAX needs output scale 1/256 "
                                 "and zero point "
                              << (y.isUnsigned8() ? "0" : "-128");
    }
    c.set(buildQuantizedSoftmax(
        c.g, c.loc, *input, tflm::softmaxParams(beta, x.scale()), c.outType()));
    return success();
  }
  auto type = c.outType();
  const unsigned rank = type.getRank();
  SmallVector<int64_t> rowShape(type.getShape());
  rowShape.back() = 1;
  auto row = RankedTensorType::get(rowShape, c.b.getF32Type());
  Value rowMax = tosa::ReduceMaxOp::create(c.b, c.loc, row, *input,
                                           c.b.getI32IntegerAttr(rank - 1));
  Value diff = tosa::SubOp::create(c.b, c.loc, type, *input, rowMax);
  if (beta != 1.0f)
    diff = c.g.mulShift(c.loc, diff, c.g.scalarF32(c.loc, beta, rank), 0);
  Value e = tosa::ExpOp::create(c.b, c.loc, type, diff);
  Value sum = tosa::ReduceSumOp::create(c.b, c.loc, row, e,
                                        c.b.getI32IntegerAttr(rank - 1));
  Value inv = tosa::ReciprocalOp::create(c.b, c.loc, row, sum);
  c.set(c.g.mulShift(c.loc, e, inv, 0));
  return success();
}

/// HARD_SWISH: x * relu6(x + 3) / 6. int8 as TFLM's fixed-point kernel (a
/// table), float32 as written.
LogicalResult convertHardSwish(Converter &c) {
  FailureOr<Value> input = c.sameTypeUnaryInput();
  if (failed(input))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  if (x.isFloat()) {
    RankedTensorType type = c.outType();
    const unsigned rank = type.getRank();
    Value shifted = tosa::AddOp::create(c.b, c.loc, type, *input,
                                        c.g.scalarF32(c.loc, 3.0f, rank));
    Value gate = c.g.clampFloat(c.loc, shifted, 0.0f, 6.0f);
    Value product = c.g.mulShift(c.loc, *input, gate, 0);
    c.set(c.g.mulShift(c.loc, product, c.g.scalarF32(c.loc, 1.0f / 6.0f, rank),
                       0));
    return success();
  }
  if (failed(c.floatOrInt8(x)))
    return failure();
  const float inScale = static_cast<float>(x.scale());
  const float outScale = static_cast<float>(y.scale());
  if (tflm::quantizeMultiplier(
          static_cast<double>((1.0f / 128.0f) * inScale / outScale))
          .shift > 0)
    return c.error(y.index) << "HARD_SWISH needs an output scale of at least "
                               "1/128 of the input's (TFLM refuses others)";
  const int32_t inZp = static_cast<int32_t>(x.zeroPoint());
  const int32_t outZp = static_cast<int32_t>(y.zeroPoint());
  c.set(c.g.table8(c.loc, *input, [=](int8_t v) {
    return tflm::hardSwishInt8(v, inScale, inZp, outScale, outZp);
  }));
  return success();
}

/// ELU: x < 0 ? exp(x) - 1 : x. int8 through TFLM's float lookup table
/// (dequantize, transform, round, requantize), float32 as written.
LogicalResult convertElu(Converter &c) {
  FailureOr<Value> input = c.sameTypeUnaryInput();
  if (failed(input))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  if (x.isFloat()) {
    RankedTensorType type = c.outType();
    const unsigned rank = type.getRank();
    auto boolType = type.clone(c.b.getI1Type());
    Value negative = tosa::GreaterOp::create(
        c.b, c.loc, boolType, c.g.scalarF32(c.loc, 0.0f, rank), *input);
    Value expm1 = tosa::SubOp::create(
        c.b, c.loc, type, tosa::ExpOp::create(c.b, c.loc, type, *input),
        c.g.scalarF32(c.loc, 1.0f, rank));
    c.set(tosa::SelectOp::create(c.b, c.loc, type, negative, expm1, *input));
    return success();
  }
  if (failed(c.floatOrInt8(x)))
    return failure();
  const float inScale = static_cast<float>(x.scale());
  const float inverseOutScale = 1.0f / static_cast<float>(y.scale());
  const int32_t inZp = static_cast<int32_t>(x.zeroPoint());
  const int32_t outZp = static_cast<int32_t>(y.zeroPoint());
  c.set(c.g.table8(c.loc, *input, [=](int8_t v) {
    const float value = inScale * static_cast<float>(int32_t(v) - inZp);
    const float transformed = value < 0.0f ? std::exp(value) - 1.0f : value;
    const float rescaled = std::round(transformed * inverseOutScale);
    // TFLM casts the float to int32 (undefined beyond its range for
    // absurd scales); saturating gives the same bytes within it.
    const int32_t q =
        tflm::saturatingRound(rescaled + static_cast<float>(outZp));
    return static_cast<int8_t>(std::clamp(q, -128, 127));
  }));
  return success();
}

/// PRELU (input, alpha; alpha broadcast): x >= 0 ? x : alpha * x. Quantized
/// (int8, int16) as TFLM: (x - zx) by in/out scale, or (x - zx) * (alpha -
/// za) by in * alpha / out scale, plus the output zero point, saturated.
LogicalResult convertPrelu(Converter &c) {
  if (failed(c.requireInputs(2)))
    return failure();
  const TensorInfo &x = c.in(0), &alpha = c.in(1), &y = c.out();
  SmallVector<int64_t> shape = broadcastShape(x.shape, alpha.shape);
  if (shape != ArrayRef<int64_t>(y.shape) || x.type != y.type)
    return c.error(y.index) << "PRELU keeps its input's type and broadcast "
                               "shape";
  FailureOr<Value> vx = c.value(0), va = c.value(1);
  if (failed(vx) || failed(va))
    return failure();
  const unsigned rank = shape.size();
  Value input = c.g.broadcastToRank(c.loc, *vx, rank);
  Value slope = c.g.broadcastToRank(c.loc, *va, rank);
  RankedTensorType type = c.outType();
  if (x.isFloat()) {
    auto boolType = type.clone(c.b.getI1Type());
    if (!alpha.isFloat())
      return c.error(alpha.index) << "a float PRELU has a float alpha";
    Value nonNegative = tosa::GreaterEqualOp::create(
        c.b, c.loc, boolType, input, c.g.scalarF32(c.loc, 0.0f, rank));
    Value scaled = c.g.mulShift(c.loc, input, slope, 0);
    c.set(tosa::SelectOp::create(c.b, c.loc, type, nonNegative, input, scaled));
    return success();
  }
  if (!(x.isQuantized8() || x.isQuantized16()) || x.isUnsigned8() ||
      !(alpha.isQuantized8() || alpha.isQuantized16()) || alpha.isUnsigned8())
    return c.error(x.index) << "PRELU of " << tflite::EnumNameTensorType(x.type)
                            << " by " << tflite::EnumNameTensorType(alpha.type)
                            << " is not supported (TFLM has float32, int8 "
                               "and int16)";
  const QuantizedMultiplier identity = tflm::quantizeMultiplier(
      static_cast<double>(x.scale()) / static_cast<double>(y.scale()));
  const QuantizedMultiplier scaledAlpha = tflm::quantizeMultiplier(
      static_cast<double>(x.scale()) * static_cast<double>(alpha.scale()) /
      static_cast<double>(y.scale()));
  auto i32 = [&](Value v, int64_t zp) {
    auto t = cast<RankedTensorType>(v.getType());
    auto wide = t.clone(c.b.getI32Type());
    return Value(tosa::SubOp::create(
        c.b, c.loc, wide, tosa::CastOp::create(c.b, c.loc, wide, v),
        c.g.scalarI32(c.loc, static_cast<int32_t>(zp), rank)));
  };
  Value xc = i32(input, x.zeroPoint());
  Value ac = i32(slope, alpha.zeroPoint());
  auto full = RankedTensorType::get(shape, c.b.getI32Type());
  Value kept = c.g.rescale(c.loc, xc, c.b.getI32Type(), {identity}, 0, 0);
  Value product = c.g.mulShift(c.loc, xc, ac, 0);
  Value scaled =
      c.g.rescale(c.loc, product, c.b.getI32Type(), {scaledAlpha}, 0, 0);
  Value isNonNegative =
      tosa::GreaterEqualOp::create(c.b, c.loc, full.clone(c.b.getI1Type()), xc,
                                   c.g.scalarI32(c.loc, 0, rank));
  Value r = tosa::AddOp::create(
      c.b, c.loc, full,
      tosa::SelectOp::create(c.b, c.loc, full, isNonNegative, kept, scaled),
      c.g.scalarI32(c.loc, static_cast<int32_t>(y.zeroPoint()), rank));
  const bool is16 = y.isQuantized16();
  c.set(tosa::CastOp::create(
      c.b, c.loc, type,
      c.g.clampInt(c.loc, r, is16 ? -32768 : -128, is16 ? 32767 : 127)));
  return success();
}

} // namespace

/// int16 LOGISTIC and TANH as TFLM's reference_integer_ops kernels: the
/// input scaled to 1/(3 * 4096) steps, its magnitude split into a table
/// index (>> 9 for LOGISTIC, >> 8 for TANH) and a fraction that linearly
/// interpolates TFLite's sigmoid table, the sign folded back, rounded to
/// 2^-15. All in i32.
Value ft::tflite_import::int16SigmoidOrTanh(
    Converter &c, Value input, const tflm::Int16SigmoidScaling &scaling,
    bool isTanh) {
  auto type = cast<RankedTensorType>(input.getType());
  FixedPointMath m(c.g, c.loc, type);
  // Every intermediate is built once per use, so that each has one use and
  // elementwise fusion folds the whole function into its consumer: only
  // the int16 input is read, no int32 tensor is materialised.
  auto scaled = [&] {
    Value v = m.mul(tosa::CastOp::create(c.b, c.loc, m.type(), input),
                    m.cst(scaling.multiplier));
    if (scaling.leftShift > 0)
      v = m.shiftRight(m.add(v, m.cst(1 << (scaling.leftShift - 1))),
                       m.cst(scaling.leftShift));
    return v;
  };
  auto magnitude = [&] {
    return Value(tosa::AbsOp::create(c.b, c.loc, m.type(), scaled()));
  };
  const int indexBits = isTanh ? 8 : 9;
  auto index = [&] { return m.shiftRight(magnitude(), m.cst(indexBits)); };
  std::vector<int32_t> lower(tflm::sigmoidTable16().begin(),
                             tflm::sigmoidTable16().end());
  std::vector<int32_t> upper(lower.begin() + 1, lower.end());
  upper.push_back(lower.back());
  auto entry = [&](ArrayRef<int32_t> table) {
    return c.g.gatherTable(c.loc, c.g.clampInt(c.loc, index(), 0, 254), table);
  };
  Value fraction = m.bitAnd(magnitude(), m.cst((1 << indexBits) - 1));
  Value interpolated =
      m.add(m.shiftLeft(entry(lower), m.cst(indexBits)),
            m.mul(fraction, m.sub(entry(upper), entry(lower))));
  Value result =
      m.select(m.greaterEqual(index(), m.cst(255)),
               m.cst(isTanh ? 0xFFFF << 8 : 0x7FFF << 10), interpolated);
  Value nonNegative = m.greaterEqual(scaled(), m.cst(0));
  Value folded =
      isTanh ? m.shiftRight(
                   m.select(nonNegative,
                            m.add(result, m.cst(-(1 << 23) + (1 << 7))),
                            m.sub(m.cst((1 << 23) + (1 << 7) - 1), result)),
                   m.cst(8))
             : m.shiftRight(
                   m.select(nonNegative, m.add(result, m.cst(1 << 9)),
                            m.sub(m.cst((1 << 25) + (1 << 9) - 1), result)),
                   m.cst(10));
  return tosa::CastOp::create(c.b, c.loc, type, folded);
}

void ft::tflite_import::registerActivationConverters(ConverterTable &table) {
  table.add(tflite::BuiltinOperator_LOGISTIC, convertUnary);
  table.add(tflite::BuiltinOperator_TANH, convertUnary);
  table.add(tflite::BuiltinOperator_RELU, convertUnary);
  table.add(tflite::BuiltinOperator_RELU6, convertUnary);
  table.add(tflite::BuiltinOperator_RELU_N1_TO_1, convertUnary);
  table.add(tflite::BuiltinOperator_SOFTMAX, convertSoftmax);
  table.add(tflite::BuiltinOperator_LEAKY_RELU, convertLeakyRelu);
  table.add(tflite::BuiltinOperator_HARD_SWISH, convertHardSwish);
  table.add(tflite::BuiltinOperator_ELU, convertElu);
  table.add(tflite::BuiltinOperator_PRELU, convertPrelu);
}
