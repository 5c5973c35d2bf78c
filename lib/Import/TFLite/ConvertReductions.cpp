//===- ConvertReductions.cpp - reductions
//-----------------------------------===//
//
// Reductions over constant axes: MEAN (TFLM's QuantizedMeanOrSum) and
// REDUCE_MAX.
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

/// MEAN. Quantized as TFLM's reference_ops::QuantizedMeanOrSum (int8 and
/// int16, any axes, with or without keep_dims): int32 sums of the raw
/// values, minus the input zero point times the count, by the in/out scale
/// with 1/count folded into the multiplier (foldMeanCount), plus the output
/// zero point, saturated. Float: sums times 1/count.
LogicalResult convertMean(Converter &c) {
  if (failed(c.requireInputs(2)) || failed(c.requireConstant(1, "axes")))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  FailureOr<bool> quantized =
      c.quantizedKind({x.index, y.index}, /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  if (*quantized && (x.isUnsigned8() || y.isUnsigned8()))
    return c.error(x.index)
           << "uint8 MEAN is not supported (TFLM has no uint8 MEAN kernel)";
  if (*quantized && x.isQuantized16() != y.isQuantized16())
    return c.error(y.index) << "quantized MEAN keeps its type (int8 or int16)";
  const int64_t rank = x.shape.size();
  FailureOr<SmallVector<int64_t>> sorted = resolveAxes(c, c.in(1), rank);
  if (failed(sorted))
    return failure();
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  Type sumType = *quantized ? Type(c.b.getI32Type()) : c.b.getF32Type();
  SmallVector<int64_t> shape(x.shape.begin(), x.shape.end());
  Value v = *input;
  if (*quantized)
    v = tosa::CastOp::create(c.b, c.loc, RankedTensorType::get(shape, sumType),
                             v);
  int64_t count = 1;
  for (int64_t a : *sorted) {
    count *= shape[a];
    shape[a] = 1;
    v = tosa::ReduceSumOp::create(c.b, c.loc,
                                  RankedTensorType::get(shape, sumType), v,
                                  c.b.getI32IntegerAttr(a));
  }
  if (count == 0)
    return c.error() << "mean over an empty axis";
  int64_t kept = 1;
  for (int64_t d : shape)
    kept *= d;
  if (kept != y.numElements())
    return c.error(y.index) << "declared shape does not match the reduction";
  if (*quantized) {
    // TFLM subtracts zero point times count from the int32 sum, wrapping
    // as its int32 arithmetic does.
    const int64_t offset = x.zeroPoint() * count;
    if (offset != 0)
      v = tosa::SubOp::create(
          c.b, c.loc, v.getType(), v,
          c.g.scalarI32(c.loc, static_cast<int32_t>(offset), rank));
    QuantizedMultiplier multiplier = tflm::foldMeanCount(
        tflm::quantizeMultiplier(static_cast<double>(x.scale()) /
                                 static_cast<double>(y.scale())),
        count);
    v = c.g.rescale(c.loc, v,
                    y.isQuantized16() ? c.b.getI16Type() : c.b.getI8Type(),
                    {multiplier}, 0, y.zeroPoint());
  } else {
    v = c.g.mulShift(
        c.loc, v, c.g.scalarF32(c.loc, 1.0f / static_cast<float>(count), rank),
        0);
  }
  c.set(c.g.reshape(c.loc, v, y.shape));
  return success();
}

/// REDUCE_MAX over constant axes (keep_dims or not: the output's shape).
/// Quantized, TFLM compares the stored values: input and output must share
/// their quantization.
LogicalResult convertReduceMax(Converter &c) {
  if (failed(c.requireInputs(2)) || failed(c.requireConstant(1, "axes")))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  FailureOr<bool> quantized =
      c.quantizedKind({x.index, y.index}, /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  if (*quantized && (x.scale() != y.scale() || x.zeroPoint() != y.zeroPoint() ||
                     x.type != y.type))
    return c.error(y.index) << "quantized REDUCE_MAX needs the input's scale "
                               "and zero point on its output (as TFLM does)";
  const int64_t rank = x.shape.size();
  FailureOr<SmallVector<int64_t>> axes = resolveAxes(c, c.in(1), rank);
  if (failed(axes))
    return failure();
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  Value v = *input;
  SmallVector<int64_t> shape(x.shape.begin(), x.shape.end());
  Type elemType = c.outType().getElementType();
  for (int64_t axis : *axes) {
    if (shape[axis] == 0)
      return c.error(x.index) << "maximum over an empty axis";
    shape[axis] = 1;
    v = tosa::ReduceMaxOp::create(c.b, c.loc,
                                  RankedTensorType::get(shape, elemType), v,
                                  c.b.getI32IntegerAttr(axis));
  }
  int64_t kept = 1;
  for (int64_t d : shape)
    kept *= d;
  if (kept != y.numElements())
    return c.error(y.index) << "declared shape does not match the reduction";
  c.set(c.g.reshape(c.loc, v, y.shape));
  return success();
}

} // namespace

void ft::tflite_import::registerReductionConverters(ConverterTable &table) {
  table.add(tflite::BuiltinOperator_MEAN, convertMean);
  table.add(tflite::BuiltinOperator_REDUCE_MAX, convertReduceMax);
}
