//===- ConvertReductions.cpp - Reductions, arg max/min, cumulative sums ---===//
//
// Reductions over constant axes: MEAN and SUM (TFLM's QuantizedMeanOrSum),
// REDUCE_MAX/MIN/ALL/ANY, ARG_MAX/ARG_MIN, and CUMSUM.
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
  // SUM is the same without the division by the count (TFLM's
  // QuantizedMeanOrSum with compute_sum).
  const bool isSum = c.op.code == tflite::BuiltinOperator_SUM;
  const TensorInfo &x = c.in(0), &y = c.out();
  FailureOr<bool> quantized =
      c.quantizedKind({x.index, y.index}, /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  if (*quantized && (x.isUnsigned8() || y.isUnsigned8()))
    return c.error(x.index)
           << "uint8 " << builtinName(c.op.code)
           << " is not supported (TFLM has no uint8 kernel for it)";
  if (*quantized && x.isQuantized16() != y.isQuantized16())
    return c.error(y.index) << "quantized " << builtinName(c.op.code)
                            << " keeps its type (int8 or int16)";
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
    return c.error() << "reduction over an empty axis";
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
    QuantizedMultiplier multiplier = tflm::quantizeMultiplier(
        static_cast<double>(x.scale()) / static_cast<double>(y.scale()));
    if (!isSum)
      multiplier = tflm::foldMeanCount(multiplier, count);
    v = c.g.rescale(c.loc, v,
                    y.isQuantized16() ? c.b.getI16Type() : c.b.getI8Type(),
                    {multiplier}, 0, y.zeroPoint());
  } else if (!isSum) {
    v = c.g.mulShift(
        c.loc, v, c.g.scalarF32(c.loc, 1.0f / static_cast<float>(count), rank),
        0);
  }
  c.set(c.g.reshape(c.loc, v, y.shape));
  return success();
}

/// REDUCE_MAX, REDUCE_MIN (any numeric type) and REDUCE_ALL, REDUCE_ANY
/// (bool) over constant axes (keep_dims or not: the output's shape).
/// Quantized, TFLM compares the stored values: input and output must share
/// their quantization.
LogicalResult convertReduceExtremum(Converter &c) {
  if (failed(c.requireInputs(2)) || failed(c.requireConstant(1, "axes")))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  const int32_t code = c.op.code;
  FailureOr<bool> quantized = c.sameElementType({x.index, y.index});
  if (failed(quantized))
    return failure();
  const bool logical = code == tflite::BuiltinOperator_REDUCE_ALL ||
                       code == tflite::BuiltinOperator_REDUCE_ANY;
  if (logical != (x.type == tflite::TensorType_BOOL))
    return c.error(x.index)
           << builtinName(code) << " of " << tflite::EnumNameTensorType(x.type)
           << " is not supported";
  if (*quantized && (x.scale() != y.scale() || x.zeroPoint() != y.zeroPoint()))
    return c.error(y.index) << "quantized " << builtinName(code)
                            << " needs the input's scale and zero point on "
                               "its output (as TFLM does)";
  const int64_t rank = x.shape.size();
  FailureOr<SmallVector<int64_t>> axes = resolveAxes(c, c.in(1), rank);
  if (failed(axes))
    return failure();
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  Value v = logical ? c.toBool(*input) : *input;
  SmallVector<int64_t> shape(x.shape.begin(), x.shape.end());
  Type elemType = cast<RankedTensorType>(v.getType()).getElementType();
  for (int64_t axis : *axes) {
    if (shape[axis] == 0)
      return c.error(x.index) << "reduction over an empty axis";
    shape[axis] = 1;
    auto type = RankedTensorType::get(shape, elemType);
    auto axisAttr = c.b.getI32IntegerAttr(axis);
    if (code == tflite::BuiltinOperator_REDUCE_MAX)
      v = tosa::ReduceMaxOp::create(c.b, c.loc, type, v, axisAttr);
    else if (code == tflite::BuiltinOperator_REDUCE_MIN)
      v = tosa::ReduceMinOp::create(c.b, c.loc, type, v, axisAttr);
    else if (code == tflite::BuiltinOperator_REDUCE_ALL)
      v = tosa::ReduceAllOp::create(c.b, c.loc, type, v, axisAttr);
    else
      v = tosa::ReduceAnyOp::create(c.b, c.loc, type, v, axisAttr);
  }
  int64_t kept = 1;
  for (int64_t d : shape)
    kept *= d;
  if (kept != y.numElements())
    return c.error(y.index) << "declared shape does not match the reduction";
  v = c.g.reshape(c.loc, v, y.shape);
  if (logical)
    c.setBool(v);
  else
    c.set(v);
  return success();
}

/// ARG_MAX and ARG_MIN along a constant axis: the first index of the
/// extremum (TFLM compares with a strict > or <). ARG_MIN is the argmax of
/// the order-reversed values: -x for floats, ~x for integers (no
/// overflow). Output int32 or int64.
LogicalResult convertArgMinMax(Converter &c) {
  if (failed(c.requireInputs(2)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  const bool isMin = c.op.code == tflite::BuiltinOperator_ARG_MIN;
  if (y.type != tflite::TensorType_INT32 && y.type != tflite::TensorType_INT64)
    return c.error(y.index)
           << builtinName(c.op.code) << " produces int32 or int64";
  if (!x.isFloat() && x.type != tflite::TensorType_INT8 &&
      x.type != tflite::TensorType_UINT8 &&
      x.type != tflite::TensorType_INT16 && x.type != tflite::TensorType_INT32)
    return c.error(x.index)
           << builtinName(c.op.code) << " of "
           << tflite::EnumNameTensorType(x.type) << " is not supported";
  const int64_t rank = x.shape.size();
  FailureOr<int64_t> axis = constantAxis(c, 1, rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(x.shape.begin(), x.shape.end());
  shape.erase(shape.begin() + *axis);
  int64_t kept = 1;
  for (int64_t d : shape)
    kept *= d;
  if (kept != y.numElements() || x.shape[*axis] == 0)
    return c.error(y.index) << "declared shape does not match the reduction";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  Value v = *input;
  auto type = cast<RankedTensorType>(v.getType());
  if (isMin)
    v = x.isFloat()
            ? c.g.mulShift(c.loc, v, c.g.scalarF32(c.loc, -1.0f, rank), 0)
            : Value(tosa::BitwiseNotOp::create(c.b, c.loc, type, v));
  Value index = tosa::ArgMaxOp::create(
      c.b, c.loc, RankedTensorType::get(shape, c.b.getI32Type()), v,
      c.b.getI32IntegerAttr(*axis));
  index = c.g.reshape(c.loc, index, y.shape);
  if (y.type == tflite::TensorType_INT64)
    index = tosa::CastOp::create(c.b, c.loc, c.outType(), index);
  c.set(index);
  return success();
}

/// CUMSUM (input, constant axis; exclusive, reverse): a running sum over
/// the slices of the axis, concatenated. int8 as TFLM: every term (x - z)
/// << 20 halved, added onto TFLM's starting term (the negated zero point,
/// treated the same), each partial sum requantized.
LogicalResult convertCumsum(Converter &c) {
  if (failed(c.requireInputs(2)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  if (failed(c.sameElementType({x.index, y.index})))
    return failure();
  FailureOr<bool> isInt8 = c.floatOrInt8(x);
  if (failed(isInt8))
    return failure();
  const bool quantized = *isInt8;
  auto *opts = c.options<tflite::CumsumOptions>();
  const bool exclusive = opts && opts->exclusive();
  const bool reverse = opts && opts->reverse();
  const int64_t rank = x.shape.size();
  FailureOr<int64_t> axis = constantAxis(c, 1, rank);
  if (failed(axis))
    return failure();
  const int64_t depth = x.shape[*axis];
  constexpr int64_t kMaxDepth = 1024;
  if (x.shape != y.shape || depth < 1 || depth > kMaxDepth)
    return c.error(y.index) << "CUMSUM keeps the shape, along an axis of 1 to "
                            << kMaxDepth << " elements";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  constexpr int kShift = 20;
  const double twiceScale = 2 * static_cast<double>(x.scale());
  const QuantizedMultiplier mi =
      tflm::quantizeMultiplier(static_cast<double>(x.scale()) / twiceScale);
  const QuantizedMultiplier mo = tflm::quantizeMultiplier(
      twiceScale / ((1 << kShift) * static_cast<double>(y.scale())));
  SmallVector<int64_t> sliceShape(x.shape.begin(), x.shape.end());
  sliceShape[*axis] = 1;
  Type sumElem = quantized ? Type(c.b.getI32Type()) : c.b.getF32Type();
  auto sliceType = RankedTensorType::get(sliceShape, sumElem);
  // The running sum starts as a constant slice (TFLM's starting term).
  int64_t sliceElements = 1;
  for (int64_t d : sliceShape)
    sliceElements *= d;
  Value acc =
      quantized
          ? c.g.constant(
                c.loc, sliceShape, sumElem,
                ArrayRef<int32_t>(std::vector<int32_t>(
                    sliceElements,
                    tflm::multiplyByQuantizedMultiplier(
                        static_cast<int32_t>(-x.zeroPoint()) * (1 << kShift),
                        mi))))
          : c.g.constant(c.loc, sliceShape, sumElem,
                         ArrayRef<float>(std::vector<float>(sliceElements)));
  SmallVector<Value> outputs(depth);
  for (int64_t step = 0; step < depth; ++step) {
    const int64_t i = reverse ? depth - 1 - step : step;
    SmallVector<int64_t> start(rank, 0);
    start[*axis] = i;
    Value term = c.g.slice(c.loc, *input, start, sliceShape);
    if (quantized)
      term = c.g.rescale(
          c.loc, toInt32Centered(c.g, c.loc, term, x.zeroPoint(), kShift),
          c.b.getI32Type(), {mi}, 0, 0);
    Value next = tosa::AddOp::create(c.b, c.loc, sliceType, acc, term);
    Value out = exclusive ? acc : next;
    if (quantized)
      out = c.g.rescale(c.loc, out, c.b.getI8Type(), {mo}, 0, y.zeroPoint());
    outputs[i] = out;
    acc = next;
  }
  c.set(tosa::ConcatOp::create(c.b, c.loc, c.outType(), outputs,
                               c.b.getI32IntegerAttr(*axis)));
  return success();
}

} // namespace

void ft::tflite_import::registerReductionConverters(ConverterTable &table) {
  table.add(tflite::BuiltinOperator_MEAN, convertMean);
  table.add(tflite::BuiltinOperator_SUM, convertMean);
  table.add(tflite::BuiltinOperator_REDUCE_MAX, convertReduceExtremum);
  table.add(tflite::BuiltinOperator_REDUCE_MIN, convertReduceExtremum);
  table.add(tflite::BuiltinOperator_REDUCE_ALL, convertReduceExtremum);
  table.add(tflite::BuiltinOperator_REDUCE_ANY, convertReduceExtremum);
  table.add(tflite::BuiltinOperator_ARG_MAX, convertArgMinMax);
  table.add(tflite::BuiltinOperator_ARG_MIN, convertArgMinMax);
  table.add(tflite::BuiltinOperator_CUMSUM, convertCumsum);
}
