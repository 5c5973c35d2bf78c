//===- ConvertNormalization.cpp - Row normalizations ----------------------===//
//
// L2_NORMALIZATION and LOG_SOFTMAX over the last axis. Their int8 kernels
// compute per row, at run time, what TFLM computes with gemmlowp's
// fixed-point arithmetic (FixedPointMath): an inverse square root of the
// sum of squares, a log of the sum of exponentials.
//
//===----------------------------------------------------------------------===//

#include "Converter.h"
#include "FixedPointMath.h"

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;
using tflm::QuantizedMultiplier;

namespace {

/// The shape of one value per row (the last axis kept, of size 1).
RankedTensorType rowType(RankedTensorType type, Type elementType) {
  SmallVector<int64_t> shape(type.getShape());
  shape.back() = 1;
  return RankedTensorType::get(shape, elementType);
}

/// TFLM's int8 L2Normalization: per row, the inverse square root of the sum
/// of squares as a multiplier and shift (GetInvSqrtQuantizedMultiplierExp),
/// each element times it with 7 more bits of shift; the output's own
/// quantization is not read (TFLM writes 1/128 steps, zero point 0).
Value int8L2Normalization(Converter &c, Value input, int32_t inputZp) {
  auto type = cast<RankedTensorType>(input.getType());
  FixedPointMath full(c.g, c.loc, type);
  Value centred = full.sub(tosa::CastOp::create(c.b, c.loc, full.type(), input),
                           full.cst(inputZp));
  auto rows = rowType(full.type(), c.b.getI32Type());
  Value sumOfSquares =
      tosa::ReduceSumOp::create(c.b, c.loc, rows, full.mul(centred, centred),
                                c.b.getI32IntegerAttr(type.getRank() - 1));
  FixedPointMath row(c.g, c.loc, rows);
  auto [multiplier, shift] = row.invSqrtMultiplier(sumOfSquares);
  Value scaled = full.multiplyByQuantizedMultiplier(centred, multiplier,
                                                    row.add(shift, row.cst(7)));
  return tosa::CastOp::create(c.b, c.loc, type,
                              c.g.clampInt(c.loc, scaled, -128, 127));
}

/// TFLM's int8 LogSoftmaxQuantized (output scale 16/256, zero point 127):
/// per row the sum of exp(x - max) in Q12 (a table of the 256 differences),
/// its log in Q5 (log_x_for_x_greater_than_or_equal_to_1), then each
/// difference in Q5 minus the log, rounded to Q(31 - 9), plus 127; values
/// below the row's adjusted minimum difference give -128.
LogicalResult int8LogSoftmax(Converter &c, Value input) {
  const TensorInfo &x = c.in(0), &y = c.out();
  if (y.scale() != 16.0 / 256 || y.zeroPoint() != 127)
    return c.error(y.index) << "int8 LOG_SOFTMAX needs an output scale of "
                               "16/256 and zero point 127 (as TFLM)";
  auto type = cast<RankedTensorType>(input.getType());
  const unsigned rank = type.getRank();
  const tflm::SoftmaxParams params = tflm::softmaxParams(1.0, x.scale());
  const QuantizedMultiplier inputScaling{params.inputMultiplier,
                                         params.inputLeftShift};
  // PreprocessLogSoftmaxScalingExp's reverse scaling.
  const QuantizedMultiplier reverse = tflm::quantizeMultiplier(
      static_cast<double>(int64_t(1) << (31 - params.inputLeftShift)) /
      static_cast<double>(params.inputMultiplier));

  FixedPointMath full(c.g, c.loc, type);
  auto rows = rowType(full.type(), c.b.getI32Type());
  FixedPointMath row(c.g, c.loc, rows);
  auto axis = c.b.getI32IntegerAttr(rank - 1);
  Value wide = tosa::CastOp::create(c.b, c.loc, full.type(), input);
  Value rowMax = tosa::ReduceMaxOp::create(c.b, c.loc, rows, wide, axis);
  Value diff = full.sub(wide, rowMax); // in [-255, 0]
  std::vector<int32_t> expTerms(256, 0);
  for (int32_t i = 0; i < 256; ++i) {
    if (-i < params.diffMin)
      continue;
    const int32_t scaled =
        tflm::multiplyByQuantizedMultiplier(-i, inputScaling);
    expTerms[i] = tflm::roundingDivideByPOT(
        tflm::expOnNegativeValues(scaled, 5), 12); // Rescale<12>
  }
  Value terms = c.g.gatherTable(c.loc, full.sub(full.cst(0), diff), expTerms);
  Value sum = tosa::ReduceSumOp::create(c.b, c.loc, rows, terms, axis);
  Value logSum = row.logXForXGreaterEqual1(sum, 12, 5);
  Value adjustedMin =
      row.max(row.cst(params.diffMin - 1),
              row.multiplyByQuantizedMultiplier(
                  row.add(logSum, row.cst(std::numeric_limits<int32_t>::min())),
                  row.cst(reverse.multiplier), row.cst(reverse.shift)));
  Value diffQ5 = full.multiplyByQuantizedMultiplier(
      diff, full.cst(inputScaling.multiplier), full.cst(inputScaling.shift));
  Value out = full.add(
      full.roundingDivideByPOT(full.sub(diffQ5, logSum), full.cst(31 - 5 - 4)),
      full.cst(127));
  out = full.select(full.greater(diff, adjustedMin),
                    c.g.clampInt(c.loc, out, -128, 127), full.cst(-128));
  c.set(tosa::CastOp::create(c.b, c.loc, type, out));
  return success();
}

/// L2_NORMALIZATION and LOG_SOFTMAX over the last axis: float32 as TFLM's
/// float kernels, x / max(sqrt(sum x^2), 1e-6) and x - max - log(sum(exp(x
/// - max))); int8 as its integer kernels (above).
LogicalResult convertRowNormalization(Converter &c) {
  FailureOr<Value> input = c.sameTypeUnaryInput();
  if (failed(input))
    return failure();
  const TensorInfo &x = c.in(0);
  const bool isL2 = c.op.code == tflite::BuiltinOperator_L2_NORMALIZATION;
  if (x.shape.empty())
    return c.error(x.index)
           << builtinName(c.op.code) << " needs at least one axis";
  if (x.isQuantized8() && !x.isUnsigned8()) {
    if (isL2) {
      c.set(
          int8L2Normalization(c, *input, static_cast<int32_t>(x.zeroPoint())));
      return success();
    }
    return int8LogSoftmax(c, *input);
  }
  if (!x.isFloat())
    return c.error(x.index) << builtinName(c.op.code) << " of "
                            << tflite::EnumNameTensorType(x.type)
                            << " is not supported (TFLM has float32 and int8)";
  RankedTensorType type = c.outType();
  const unsigned rank = type.getRank();
  auto rows = rowType(type, type.getElementType());
  auto axis = c.b.getI32IntegerAttr(rank - 1);
  if (isL2) {
    Value sum = tosa::ReduceSumOp::create(
        c.b, c.loc, rows, c.g.mulShift(c.loc, *input, *input, 0), axis);
    Value norm = tosa::ReciprocalOp::create(
        c.b, c.loc, rows, tosa::RsqrtOp::create(c.b, c.loc, rows, sum));
    norm = tosa::MaximumOp::create(c.b, c.loc, rows, norm,
                                   c.g.scalarF32(c.loc, 1e-6f, rank));
    c.set(c.g.mulShift(c.loc, *input,
                       tosa::ReciprocalOp::create(c.b, c.loc, rows, norm), 0));
    return success();
  }
  Value max = tosa::ReduceMaxOp::create(c.b, c.loc, rows, *input, axis);
  Value shifted = tosa::SubOp::create(c.b, c.loc, type, *input, max);
  Value sum = tosa::ReduceSumOp::create(
      c.b, c.loc, rows, tosa::ExpOp::create(c.b, c.loc, type, shifted), axis);
  c.set(tosa::SubOp::create(c.b, c.loc, type, shifted,
                            tosa::LogOp::create(c.b, c.loc, rows, sum)));
  return success();
}

} // namespace

void ft::tflite_import::registerNormalizationConverters(ConverterTable &table) {
  table.add(tflite::BuiltinOperator_L2_NORMALIZATION, convertRowNormalization);
  table.add(tflite::BuiltinOperator_LOG_SOFTMAX, convertRowNormalization);
}
