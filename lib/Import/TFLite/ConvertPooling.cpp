//===- ConvertPooling.cpp - AVERAGE_POOL_2D, MAX_POOL_2D, L2_POOL_2D ------===//
//
// Pooling as TFLM computes it: averages rounded half away from zero over
// the valid part of each window; L2 pooling (float) as the square root of
// the average of the squares.
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

enum class PoolKind { Max, Average, L2 };

LogicalResult convertPool(Converter &c, PoolKind kind) {
  const bool isMax = kind == PoolKind::Max;
  if (failed(c.requireInputs(1)) || failed(c.requireRank(0, 4)) ||
      failed(c.requireRank(0, 4, /*isOutput=*/true)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  FailureOr<bool> quantized =
      c.quantizedKind({x.index, y.index}, /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  // 16x8: TFLM's int16 pooling is its int8 arithmetic on int16.
  const bool is16 = x.isQuantized16();
  auto *opts = c.options<tflite::Pool2DOptions>();
  if (!opts)
    return c.error() << "missing Pool2DOptions";
  const int64_t kh = opts->filter_height(), kw = opts->filter_width();
  const int64_t sh = opts->stride_h(), sw = opts->stride_w();
  if (failed(checkSpatial(c, sh, sw, 1, 1)) ||
      failed(checkWindow(c, x.shape[1], x.shape[2], kh, kw, 1, 1)))
    return failure();
  Padding1D ph = computePadding(x.shape[1], kh, sh, 1, opts->padding());
  Padding1D pw = computePadding(x.shape[2], kw, sw, 1, opts->padding());
  if (ph.out != y.shape[1] || pw.out != y.shape[2] || x.shape[3] != y.shape[3])
    return c.error(y.index) << "declared shape does not match the pooled "
                               "shape";
  if (*quantized && (x.scale() != y.scale() || x.zeroPoint() != y.zeroPoint()))
    return c.error(y.index) << "quantized pooling needs equal input and "
                               "output quantization";
  FailureOr<Value> maybeInput = c.value(0);
  if (failed(maybeInput))
    return failure();
  // Window counts for average pooling use the TFLite padding, before the
  // TOSA fit below trims it.
  const Padding1D tfliteH = ph, tfliteW = pw;
  Value input = sliceSpatial(c.g, c.loc, *maybeInput,
                             fitWindowToTosa(x.shape[1], kh, sh, 1, ph),
                             fitWindowToTosa(x.shape[2], kw, sw, 1, pw));
  auto kernel = c.b.getDenseI64ArrayAttr({kh, kw});
  auto stride = c.b.getDenseI64ArrayAttr({sh, sw});
  auto pad =
      c.b.getDenseI64ArrayAttr({ph.before, ph.after, pw.before, pw.after});
  const tflite::ActivationFunctionType act = opts->fused_activation_function();

  if (isMax) {
    Value pooled = tosa::MaxPool2dOp::create(c.b, c.loc, c.outType(), input,
                                             kernel, stride, pad);
    return setActivated(c, pooled, act, *quantized);
  }

  if (kind == PoolKind::L2 && *quantized)
    return c.error(x.index) << "quantized L2_POOL_2D is not supported (TFLM "
                               "has float32 only)";
  if (!*quantized) {
    // L2: sqrt of the mean of the squares over the valid window (TOSA's
    // average, as TFLM's, counts no padding), sqrt as 1 / rsqrt (0 at 0).
    if (kind == PoolKind::L2)
      input = c.g.mulShift(c.loc, input, input, 0);
    Value zp = c.g.zeroPoint(c.loc, c.b.getF32Type(), 0);
    Value pooled = tosa::AvgPool2dOp::create(c.b, c.loc, c.outType(), input, zp,
                                             zp, kernel, stride, pad,
                                             TypeAttr::get(c.b.getF32Type()));
    if (kind == PoolKind::L2)
      pooled = tosa::ReciprocalOp::create(
          c.b, c.loc, c.outType(),
          tosa::RsqrtOp::create(c.b, c.loc, c.outType(), pooled));
    return setActivated(c, pooled, act, /*quantized=*/false);
  }

  // TFLM averages the raw int8 values over the valid (unpadded) window and
  // rounds half away from zero; TOSA's avg_pool2d rounds differently. Build
  // it: window sums by a depthwise convolution with unit weights, then an
  // exact integer division by the per-position element count.
  const int64_t channels = x.shape[3];
  const int64_t oh = ph.out, ow = pw.out;
  std::vector<int8_t> ones(kh * kw * channels, 1);
  Value unitWeights = c.g.constant(c.loc, {kh, kw, channels, 1},
                                   c.b.getI8Type(), ArrayRef<int8_t>(ones));
  Value zpI8 = c.g.zeroPoint(c.loc, c.b.getI8Type(), 0);
  auto sumType = RankedTensorType::get({1, oh, ow, channels}, c.b.getI32Type());
  Value sums;
  if (is16) {
    // TOSA sums int16 in an i48 accumulator; TFLM's int32 sum fits.
    Type i48 = c.b.getIntegerType(48);
    auto biasType = RankedTensorType::get({channels}, i48);
    Value zeroBias = tosa::ConstOp::create(
        c.b, c.loc, biasType, DenseElementsAttr::get(biasType, APInt(48, 0)));
    Value wide = tosa::DepthwiseConv2DOp::create(
        c.b, c.loc, RankedTensorType::get({1, oh, ow, channels}, i48), input,
        unitWeights, zeroBias, c.g.zeroPoint(c.loc, c.b.getI16Type(), 0), zpI8,
        pad, stride, c.b.getDenseI64ArrayAttr({1, 1}), TypeAttr::get(i48),
        c.b.getBoolAttr(false));
    sums = c.g.narrow48To32(c.loc, wide);
  } else {
    std::vector<int32_t> zeros(channels, 0);
    Value zeroBias = c.g.constant(c.loc, {channels}, c.b.getI32Type(),
                                  ArrayRef<int32_t>(zeros));
    sums = tosa::DepthwiseConv2DOp::create(
        c.b, c.loc, sumType, input, unitWeights, zeroBias, zpI8, zpI8, pad,
        stride, c.b.getDenseI64ArrayAttr({1, 1}),
        TypeAttr::get(c.b.getI32Type()), c.b.getBoolAttr(false));
  }

  std::vector<int32_t> counts, halves;
  bool uniform = true;
  for (int64_t i = 0; i < oh; ++i) {
    const int64_t h0 = i * sh - tfliteH.before;
    const int64_t hn =
        std::min<int64_t>(h0 + kh, x.shape[1]) - std::max<int64_t>(h0, 0);
    for (int64_t j = 0; j < ow; ++j) {
      const int64_t w0 = j * sw - tfliteW.before;
      const int64_t wn =
          std::min<int64_t>(w0 + kw, x.shape[2]) - std::max<int64_t>(w0, 0);
      counts.push_back(static_cast<int32_t>(std::max<int64_t>(hn * wn, 1)));
      halves.push_back(counts.back() / 2);
      uniform &= counts.back() == counts.front();
    }
  }
  SmallVector<int64_t> countShape = {1, oh, ow, 1};
  if (uniform) {
    counts.resize(1);
    halves.resize(1);
    countShape = {1, 1, 1, 1};
  }
  Value countValue = c.g.constant(c.loc, countShape, c.b.getI32Type(),
                                  ArrayRef<int32_t>(counts));
  Value quotient;
  if (x.isUnsigned8()) {
    // TFLite's uint8 kernel averages the raw unsigned values, whose sum is
    // never negative: (sum + n/2) / n. In the int8 domain that sum is
    // sums + 128 n, and the quotient comes back shifted by -128.
    std::vector<int32_t> offsets;
    for (int32_t n : counts)
      offsets.push_back(128 * n + n / 2);
    Value offsetValue = c.g.constant(c.loc, countShape, c.b.getI32Type(),
                                     ArrayRef<int32_t>(offsets));
    Value biased = tosa::AddOp::create(c.b, c.loc, sumType, sums, offsetValue);
    Value unsignedQuotient =
        tosa::IntDivOp::create(c.b, c.loc, sumType, biased, countValue);
    quotient = tosa::SubOp::create(c.b, c.loc, sumType, unsignedQuotient,
                                   c.g.scalarI32(c.loc, 128, 4));
  } else {
    // TFLM's int8 and int16 kernels round half away from zero.
    Value halfValue = c.g.constant(c.loc, countShape, c.b.getI32Type(),
                                   ArrayRef<int32_t>(halves));
    Value zero = c.g.scalarI32(c.loc, 0, 4);
    auto boolType = RankedTensorType::get(sumType.getShape(), c.b.getI1Type());
    Value positive = tosa::GreaterOp::create(c.b, c.loc, boolType, sums, zero);
    Value up = tosa::AddOp::create(c.b, c.loc, sumType, sums, halfValue);
    Value down = tosa::SubOp::create(c.b, c.loc, sumType, sums, halfValue);
    Value biased =
        tosa::SelectOp::create(c.b, c.loc, sumType, positive, up, down);
    quotient = tosa::IntDivOp::create(c.b, c.loc, sumType, biased, countValue);
  }
  if (is16)
    return setActivated(
        c,
        tosa::CastOp::create(c.b, c.loc, c.outType(),
                             c.g.clampInt(c.loc, quotient, -32768, 32767)),
        act, /*quantized=*/true);
  int32_t lo = 0, hi = 0;
  c.g.activationRange(act, y, lo, hi);
  Value clamped = c.g.clampInt(c.loc, quotient, lo, hi);
  c.set(tosa::CastOp::create(c.b, c.loc, c.outType(), clamped));
  return success();
}

} // namespace

void ft::tflite_import::registerPoolingConverters(ConverterTable &table) {
  table.add(tflite::BuiltinOperator_AVERAGE_POOL_2D,
            [](Converter &c) { return convertPool(c, PoolKind::Average); });
  table.add(tflite::BuiltinOperator_MAX_POOL_2D,
            [](Converter &c) { return convertPool(c, PoolKind::Max); });
  table.add(tflite::BuiltinOperator_L2_POOL_2D,
            [](Converter &c) { return convertPool(c, PoolKind::L2); });
}
