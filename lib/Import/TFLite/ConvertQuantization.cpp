//===- ConvertQuantization.cpp - CAST, QUANTIZE, DEQUANTIZE ---------------===//
//
// Conversions between element types and quantizations.
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

LogicalResult convertCast(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  if (x.shape != y.shape)
    return c.error(y.index) << "cast changes the shape";
  const bool fromU32 = x.type == tflite::TensorType_UINT32;
  const bool toU32 = y.type == tflite::TensorType_UINT32;
  if ((fromU32 || toU32) && !(fromU32 && toU32) &&
      x.type != tflite::TensorType_INT32 && y.type != tflite::TensorType_INT32)
    return c.error(y.index) << "uint32 casts only to and from int32 (as "
                               "TFLM's CAST)";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  if (fromU32 || toU32) {
    // The same 32 bits: TFLM's static_cast between int32 and uint32.
    c.set(*input);
    return success();
  }
  // A bool is true when its byte is nonzero; a cast to bool stores 0 or 1.
  Value v = x.type == tflite::TensorType_BOOL ? c.toBool(*input) : *input;
  if (y.type == tflite::TensorType_BOOL) {
    auto type = cast<RankedTensorType>(v.getType());
    c.setBool(type.getElementType().isInteger(1)
                  ? v
                  : Value(tosa::CastOp::create(
                        c.b, c.loc, type.clone(c.b.getI1Type()), v)));
    return success();
  }
  auto shape = y.shape;
  if (x.isUnsigned8()) {
    // Back from the int8 domain to the raw unsigned value.
    v = tosa::CastOp::create(c.b, c.loc,
                             RankedTensorType::get(shape, c.b.getI32Type()), v);
    v = tosa::AddOp::create(c.b, c.loc,
                            RankedTensorType::get(shape, c.b.getI32Type()), v,
                            c.g.scalarI32(c.loc, 128, shape.size()));
  }
  if (y.isUnsigned8())
    return c.error(y.index) << "casting to uint8 is not supported";
  if (x.isFloat() && !y.isFloat()) {
    // TFLite casts float to integer with C++ truncation toward zero; TOSA's
    // cast rounds to nearest.
    auto ft = cast<RankedTensorType>(v.getType());
    auto boolType = RankedTensorType::get(shape, c.b.getI1Type());
    Value nonNegative = tosa::GreaterEqualOp::create(
        c.b, c.loc, boolType, v, c.g.scalarF32(c.loc, 0.0f, shape.size()));
    Value down = tosa::FloorOp::create(c.b, c.loc, ft, v);
    Value up = tosa::CeilOp::create(c.b, c.loc, ft, v);
    v = tosa::SelectOp::create(c.b, c.loc, ft, nonNegative, down, up);
  }
  if (v.getType() != c.outType())
    v = tosa::CastOp::create(c.b, c.loc, c.outType(), v);
  c.set(v);
  return success();
}

LogicalResult convertQuantize(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  // Quantized int8, uint8, int16 or int32 (16x8 models requantize between
  // int16 and int32).
  auto quantizedInteger = [](const TensorInfo &t) {
    return !t.scales.empty() && (t.isQuantized8() || t.isQuantized16() ||
                                 t.type == tflite::TensorType_INT32);
  };
  if (!quantizedInteger(y))
    return c.error(y.index)
           << "QUANTIZE output must be quantized int8, uint8, int16 or int32";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  if (quantizedInteger(x)) {
    // TFLM's Requantize: MultiplyByQuantizedMultiplier(x - zi) + zo,
    // clamped to the output type (the rescale saturates).
    const QuantizedMultiplier multiplier = tflm::quantizeMultiplier(
        static_cast<double>(x.scale()) / static_cast<double>(y.scale()));
    Type outElem = c.outType().getElementType();
    // TOSA's rescale takes zero points on 8-bit values only: wider ones
    // (int16 with zero point -32768) are applied in int32.
    const bool wideIn = !x.isQuantized8() && x.zeroPoint() != 0;
    const bool wideOut = !y.isQuantized8() && y.zeroPoint() != 0;
    if (!wideIn && !wideOut) {
      c.set(c.g.rescale(c.loc, *input, outElem, {multiplier}, x.zeroPoint(),
                        y.zeroPoint()));
      return success();
    }
    Value v = toInt32Centered(c.g, c.loc, *input, x.zeroPoint(), 0);
    const unsigned rank = y.shape.size();
    if (!wideOut) {
      c.set(c.g.rescale(c.loc, v, outElem, {multiplier}, 0, y.zeroPoint()));
      return success();
    }
    v = c.g.rescale(c.loc, v, c.b.getI32Type(), {multiplier}, 0, 0);
    v = tosa::AddOp::create(c.b, c.loc, cast<RankedTensorType>(v.getType()), v,
                            c.g.scalarI32(c.loc, y.zeroPoint(), rank));
    if (y.type == tflite::TensorType_INT16)
      v = tosa::CastOp::create(c.b, c.loc, c.outType(),
                               c.g.clampInt(c.loc, v, -32768, 32767));
    c.set(v);
    return success();
  }
  if (!x.isFloat())
    return c.error(x.index) << "QUANTIZE input must be float32 or quantized";
  if (!y.isQuantized8() && !y.isQuantized16())
    return c.error(y.index)
           << "QUANTIZE from float32 to " << tflite::EnumNameTensorType(y.type)
           << " is not supported yet";
  // TFLM's AffineQuantize clamps to the output type (8-bit types are i8 here).
  const int64_t lo = y.isQuantized16() ? -32768 : -128;
  const int64_t hi = y.isQuantized16() ? 32767 : 127;
  // round(x / scale) + zp, rounding half away from zero. TOSA has no float
  // division: multiplying by the reciprocal can differ from TFLM by one step
  // when x / scale lies within an ulp of a rounding tie.
  auto type = cast<RankedTensorType>(input->getType());
  const unsigned rank = type.getRank();
  auto boolType = RankedTensorType::get(type.getShape(), c.b.getI1Type());
  Value scaled = c.g.mulShift(
      c.loc, *input,
      c.g.scalarF32(c.loc, 1.0f / static_cast<float>(y.scale()), rank), 0);
  Value nonNegative = tosa::GreaterEqualOp::create(
      c.b, c.loc, boolType, scaled, c.g.scalarF32(c.loc, 0.0f, rank));
  Value up = tosa::FloorOp::create(
      c.b, c.loc, type,
      tosa::AddOp::create(c.b, c.loc, type, scaled,
                          c.g.scalarF32(c.loc, 0.5f, rank)));
  Value down = tosa::CeilOp::create(
      c.b, c.loc, type,
      tosa::SubOp::create(c.b, c.loc, type, scaled,
                          c.g.scalarF32(c.loc, 0.5f, rank)));
  Value rounded =
      tosa::SelectOp::create(c.b, c.loc, type, nonNegative, up, down);
  Value clamped =
      c.g.clampFloat(c.loc, rounded, static_cast<float>(lo - y.zeroPoint()),
                     static_cast<float>(hi - y.zeroPoint()));
  Value asInt = tosa::CastOp::create(
      c.b, c.loc, RankedTensorType::get(type.getShape(), c.b.getI32Type()),
      clamped);
  Value shifted = tosa::AddOp::create(
      c.b, c.loc, cast<RankedTensorType>(asInt.getType()), asInt,
      c.g.scalarI32(c.loc, static_cast<int32_t>(y.zeroPoint()), rank));
  c.set(tosa::CastOp::create(c.b, c.loc, c.outType(), shifted));
  return success();
}

LogicalResult convertDequantize(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  if ((!x.isQuantized8() && !x.isQuantized16()) || !y.isFloat())
    return c.error()
           << "DEQUANTIZE supports quantized int8/uint8/int16 to float32";
  if (x.scales.size() != 1)
    return c.error(x.index) << "per-channel DEQUANTIZE is not supported";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  auto type = c.outType();
  const unsigned rank = type.getRank();
  Value asFloat = tosa::CastOp::create(c.b, c.loc, type, *input);
  Value centered = tosa::SubOp::create(
      c.b, c.loc, type, asFloat,
      c.g.scalarF32(c.loc, static_cast<float>(x.zeroPoint()), rank));
  c.set(c.g.mulShift(c.loc, centered,
                     c.g.scalarF32(c.loc, static_cast<float>(x.scale()), rank),
                     0));
  return success();
}

} // namespace

void ft::tflite_import::registerQuantizationConverters(ConverterTable &table) {
  table.add(tflite::BuiltinOperator_CAST, convertCast);
  table.add(tflite::BuiltinOperator_QUANTIZE, convertQuantize);
  table.add(tflite::BuiltinOperator_DEQUANTIZE, convertDequantize);
}
