//===- ConvertResize.cpp - RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR -------===//
//
// Resizes as TFLM computes them. Which input rows and columns each output
// reads, and with which weights, depends only on the shapes and the
// options, so the importer computes them (TFLM's own index and weight
// formulas) and the IR gathers rows, then columns, with constant indices
// (ft.axis_gather, which fused tiling splits): no per-element index
// arithmetic at run time.
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

#include <limits>

#include <cmath>

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;

namespace {

/// `input` ([N, H, W, C]) gathered along `axis` (1 or 2) at `indices`.
Value gatherAxis(Converter &c, Value input, int axis,
                 ArrayRef<int32_t> indices) {
  return c.g.gatherRows(c.loc, input, axis,
                        SmallVector<int64_t>(indices.begin(), indices.end()));
}

/// Shared checks: NHWC in and out of one type and quantization, a constant
/// size operand equal to the declared output's height and width, and the
/// options. Returns the input value.
FailureOr<Value> resizePrologue(Converter &c, bool &alignCorners,
                                bool &halfPixelCenters) {
  if (failed(c.requireInputs(2)) || failed(c.requireRank(0, 4)) ||
      failed(c.requireRank(0, 4, /*isOutput=*/true)) ||
      failed(c.requireConstant(1, "size")))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  if (failed(c.sameElementType({x.index, y.index})))
    return failure();
  if (!x.scales.empty() &&
      (x.scale() != y.scale() || x.zeroPoint() != y.zeroPoint()))
    return c.error(y.index) << builtinName(c.op.code)
                            << " needs one quantization for its input and "
                               "output (TFLM computes on the stored values)";
  std::vector<int64_t> size = c.g.intData(c.in(1));
  if (size.size() != 2 || size[0] != y.shape[1] || size[1] != y.shape[2] ||
      x.shape[0] != y.shape[0] || x.shape[3] != y.shape[3] || size[0] < 1 ||
      size[1] < 1)
    return c.error(y.index) << "the size operand and the declared output "
                               "shape differ";
  if (c.op.code == tflite::BuiltinOperator_RESIZE_BILINEAR) {
    auto *o = c.options<tflite::ResizeBilinearOptions>();
    alignCorners = o && o->align_corners();
    halfPixelCenters = o && o->half_pixel_centers();
  } else {
    auto *o = c.options<tflite::ResizeNearestNeighborOptions>();
    alignCorners = o && o->align_corners();
    halfPixelCenters = o && o->half_pixel_centers();
  }
  if (alignCorners && halfPixelCenters)
    return c.error() << "align_corners and half_pixel_centers exclude each "
                        "other (TFLM refuses both)";
  return c.value(0);
}

/// TFLite's GetNearestNeighbor for every output index of one axis.
std::vector<int32_t> nearestIndices(int32_t in, int32_t out, bool align,
                                    bool halfPixel) {
  const float scale =
      (align && out > 1)
          ? static_cast<float>(in - 1) / static_cast<float>(out - 1)
          : static_cast<float>(in) / static_cast<float>(out);
  const float offset = halfPixel ? 0.5f : 0.0f;
  std::vector<int32_t> indices;
  for (int32_t v = 0; v < out; ++v) {
    const float scaled = (static_cast<float>(v) + offset) * scale;
    // TfLiteRound rounds half away from zero, as std::round.
    int32_t i = align ? static_cast<int32_t>(std::round(scaled))
                      : static_cast<int32_t>(std::floor(scaled));
    i = std::min(i, in - 1);
    if (halfPixel)
      i = std::max(i, 0);
    indices.push_back(i);
  }
  return indices;
}

LogicalResult convertResizeNearest(Converter &c) {
  bool align = false, halfPixel = false;
  FailureOr<Value> input = resizePrologue(c, align, halfPixel);
  if (failed(input))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  Value rows = gatherAxis(
      c, *input, 1, nearestIndices(x.shape[1], y.shape[1], align, halfPixel));
  c.set(gatherAxis(c, rows, 2,
                   nearestIndices(x.shape[2], y.shape[2], align, halfPixel)));
  return success();
}

/// One axis of a bilinear resize: for every output index, the lower and
/// upper input index and their weights (10 fraction bits for the integer
/// kernel, float for the float one: TFLM's ComputeInterpolationValues and
/// ComputeInterpolationValuesInteger).
struct BilinearAxis {
  std::vector<int32_t> lower, upper;
  std::vector<int32_t> lowerWeight10, upperWeight10;
  std::vector<float> lowerWeight, upperWeight;
};

LogicalResult convertResizeBilinear(Converter &c) {
  bool align = false, halfPixel = false;
  FailureOr<Value> maybeInput = resizePrologue(c, align, halfPixel);
  if (failed(maybeInput))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  FailureOr<bool> isInt8 = c.floatOrInt8(x);
  if (failed(isInt8))
    return failure();
  const bool isFloat = !*isInt8;
  const int64_t oh = y.shape[1], ow = y.shape[2];
  // TFLM's integer kernel scales positions by 2^10 in int32: extents that
  // would overflow it (undefined behaviour in TFLM) are refused.
  if (!isFloat)
    for (auto [in, out] :
         {std::pair<int64_t, int64_t>{x.shape[1], oh}, {x.shape[2], ow}})
      if ((in << 10) + out + (1 << 10) > std::numeric_limits<int32_t>::max())
        return c.error(y.index)
               << "int8 RESIZE_BILINEAR from " << in << " to " << out
               << " overflows TFLM's int32 positions in 1/1024 steps";
  // Per axis: the neighbours and weights of the kernel TFLM runs.
  auto axisOf = [&](int32_t in, int32_t out) {
    BilinearAxis a;
    // (In int64: the float kernel does not use it, and the integer one's
    // extents were checked above to keep it in int32 as TFLM computes it.)
    int64_t scale10 = ((int64_t(1) << 10) * in + out / 2) / out;
    if (align && out > 1)
      scale10 = ((int64_t(1) << 10) * (in - 1) + (out - 1) / 2) / (out - 1);
    float scale = static_cast<float>(in) / static_cast<float>(out);
    if (align && out > 1)
      scale = static_cast<float>(in - 1) / static_cast<float>(out - 1);
    for (int32_t v = 0; v < out; ++v) {
      if (isFloat) {
        const float scaled = halfPixel
                                 ? (static_cast<float>(v) + 0.5f) * scale - 0.5f
                                 : static_cast<float>(v) * scale;
        const int32_t lo =
            std::max(static_cast<int32_t>(std::floor(scaled)), 0);
        a.lower.push_back(lo);
        a.upper.push_back(
            std::min(static_cast<int32_t>(std::ceil(scaled)), in - 1));
        a.upperWeight.push_back(scaled - static_cast<float>(lo));
        a.lowerWeight.push_back(1.0f - a.upperWeight.back());
      } else {
        const int32_t scaled10 = static_cast<int32_t>(
            halfPixel ? v * scale10 + scale10 / 2 - (1 << 9) : v * scale10);
        const int32_t lo = std::max(scaled10 / (1 << 10), 0);
        a.lower.push_back(lo);
        a.upper.push_back(
            std::min((scaled10 + (1 << 10) - 1) / (1 << 10), in - 1));
        a.upperWeight10.push_back(scaled10 - (1 << 10) * lo);
        a.lowerWeight10.push_back((1 << 10) - a.upperWeight10.back());
      }
    }
    return a;
  };
  const BilinearAxis ya = axisOf(x.shape[1], oh), xa = axisOf(x.shape[2], ow);
  const Type elemType = isFloat ? Type(c.b.getF32Type()) : c.b.getI32Type();
  auto full = RankedTensorType::get({y.shape[0], oh, ow, y.shape[3]}, elemType);
  // sum over the four neighbours of weightY * weightX * input (int8 widened
  // after the gathers: they move bytes, not words).
  Value sum;
  for (int yi = 0; yi < 2; ++yi) {
    Value rows = gatherAxis(c, *maybeInput, 1, yi ? ya.upper : ya.lower);
    for (int xi = 0; xi < 2; ++xi) {
      Value corner = gatherAxis(c, rows, 2, xi ? xa.upper : xa.lower);
      if (!isFloat)
        corner = tosa::CastOp::create(c.b, c.loc, full, corner);
      // The [1, OH, OW, 1] map of this corner's weight products.
      auto weightMap = [&](const auto &rowWeights, const auto &colWeights) {
        using T = std::decay_t<decltype(rowWeights[0])>;
        std::vector<T> w;
        for (int64_t i = 0; i < oh; ++i)
          for (int64_t j = 0; j < ow; ++j)
            w.push_back(rowWeights[i] * colWeights[j]);
        return c.g.constant(c.loc, {1, oh, ow, 1}, elemType, ArrayRef<T>(w));
      };
      Value weight = isFloat
                         ? weightMap(yi ? ya.upperWeight : ya.lowerWeight,
                                     xi ? xa.upperWeight : xa.lowerWeight)
                         : weightMap(yi ? ya.upperWeight10 : ya.lowerWeight10,
                                     xi ? xa.upperWeight10 : xa.lowerWeight10);
      Value term = c.g.mulShift(c.loc, corner, weight, 0);
      sum =
          sum ? Value(tosa::AddOp::create(c.b, c.loc, full, sum, term)) : term;
    }
  }
  if (isFloat) {
    c.set(sum);
    return success();
  }
  // (sum +- 2^19) / 2^20, rounding half away from zero; int8 inputs keep
  // the sum within int32 (four terms of at most 2^7 * 2^21).
  auto boolType = full.clone(c.b.getI1Type());
  Value positive = tosa::GreaterOp::create(c.b, c.loc, boolType, sum,
                                           c.g.scalarI32(c.loc, 0, 4));
  Value biased = tosa::SelectOp::create(
      c.b, c.loc, full, positive,
      tosa::AddOp::create(c.b, c.loc, full, sum,
                          c.g.scalarI32(c.loc, 1 << 19, 4)),
      tosa::SubOp::create(c.b, c.loc, full, sum,
                          c.g.scalarI32(c.loc, 1 << 19, 4)));
  Value quotient = tosa::IntDivOp::create(c.b, c.loc, full, biased,
                                          c.g.scalarI32(c.loc, 1 << 20, 4));
  c.set(tosa::CastOp::create(c.b, c.loc, c.outType(), quotient));
  return success();
}

} // namespace

void ft::tflite_import::registerResizeConverters(ConverterTable &table) {
  table.add(tflite::BuiltinOperator_RESIZE_NEAREST_NEIGHBOR,
            convertResizeNearest);
  table.add(tflite::BuiltinOperator_RESIZE_BILINEAR, convertResizeBilinear);
}
