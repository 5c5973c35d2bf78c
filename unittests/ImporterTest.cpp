//===- ImporterTest.cpp - Importer + JIT against scalar TFLM references ---===//
//
// Builds single-operator TFLite models in memory, imports them, compiles them
// with ft-lower-to-llvm and the ORC JIT, and compares every output byte with
// scalar code that follows TFLM's reference kernels. Covers the places where
// the importer builds TFLM's arithmetic out of TOSA primitives.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Import/TFLite/TFLiteImporter.h"
#include "FusedTiling/Support/TflmArithmetic.h"
#include "ModelTestUtils.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace mlir;
using tflite::BuiltinOptionsUnion;
using tflite::Pool2DOptionsT;
using tflite::ResizeBilinearOptionsT;
using tflite::SoftmaxOptionsT;

namespace {

/// One-operator model: input tensor 0, output tensor 1.
std::vector<uint8_t> singleOpModel(tflite::BuiltinOperator code,
                                   std::vector<int32_t> shapeIn,
                                   std::vector<int32_t> shapeOut,
                                   tflite::TensorType type, float inScale,
                                   int64_t inZp, float outScale, int64_t outZp,
                                   BuiltinOptionsUnion options) {
  ft::test::TinyModel model;
  const int input = model.addTensor("input", shapeIn, type, inScale, inZp);
  const int output = model.addTensor("output", shapeOut, type, outScale, outZp);
  return model.finish(code, {input}, output, std::move(options), {input});
}

struct XorShift {
  uint32_t x;
  int8_t next() {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return static_cast<int8_t>(x & 0xFF);
  }
};

/// A [rows, depth] SOFTMAX (beta 1) from one quantized type to another.
std::vector<uint8_t> softmaxModel(int rows, int depth,
                                  tflite::TensorType inType, float inScale,
                                  int64_t inZp, tflite::TensorType outType,
                                  float outScale, int64_t outZp) {
  SoftmaxOptionsT opts;
  opts.beta = 1.0f;
  BuiltinOptionsUnion options;
  options.Set(opts);
  ft::test::TinyModel tiny;
  const int input =
      tiny.addTensor("input", {rows, depth}, inType, inScale, inZp);
  const int output =
      tiny.addTensor("output", {rows, depth}, outType, outScale, outZp);
  return tiny.finish(tflite::BuiltinOperator_SOFTMAX, {input}, output,
                     std::move(options), {input});
}

TEST(ImporterJit, Int8SoftmaxMatchesTflmReference) {
  for (float scale : {0.01f, 0.0625f, 0.17f, 0.9f}) {
    const int depth = 13, rows = 40;
    ft::test::JitModel model(softmaxModel(rows, depth, tflite::TensorType_INT8,
                                          scale, 3, tflite::TensorType_INT8,
                                          1.0f / 256, -128));
    ASSERT_TRUE(model.ok());
    XorShift rng{12345};
    std::vector<int8_t> input(rows * depth);
    for (int8_t &v : input)
      v = rng.next();
    std::vector<int8_t> got = model.run(input, input.size());
    ft::tflm::SoftmaxParams params = ft::tflm::softmaxParams(1.0, scale);
    for (int r = 0; r < rows; ++r) {
      int8_t expected[depth];
      ft::tflm::softmaxRowReference(params, &input[r * depth], expected, depth,
                                    -128);
      for (int c = 0; c < depth; ++c)
        ASSERT_EQ(got[r * depth + c], expected[c])
            << "scale " << scale << " row " << r << " column " << c;
    }
  }
}

TEST(ImporterJit, Int8ToInt16SoftmaxMatchesTflmReference) {
  // TFLM's int8 softmax with an int16 output (scale 1/65536, zero point
  // -32768): 16 fraction bits instead of 8 in the last shift.
  for (float scale : {0.0699627325f, 0.17f}) {
    const int depth = 7, rows = 30;
    ft::test::JitModel model(softmaxModel(rows, depth, tflite::TensorType_INT8,
                                          scale, 2, tflite::TensorType_INT16,
                                          1.0f / 65536, -32768));
    ASSERT_TRUE(model.ok());
    XorShift rng{777};
    std::vector<int8_t> in(rows * depth);
    for (int8_t &v : in)
      v = rng.next();
    // The output's bytes, read as int16.
    std::vector<int8_t> bytes = model.run(in, 2 * in.size());
    std::vector<int16_t> got(in.size());
    std::memcpy(got.data(), bytes.data(), bytes.size());
    ft::tflm::SoftmaxParams params = ft::tflm::softmaxParams(1.0, scale);
    for (int r = 0; r < rows; ++r) {
      int16_t expected[depth];
      ft::tflm::softmaxRowReference(params, &in[r * depth], expected, depth);
      for (int c = 0; c < depth; ++c)
        ASSERT_EQ(got[r * depth + c], expected[c])
            << "scale " << scale << " row " << r << " column " << c;
    }
  }
}

TEST(TflmTables, Int16SoftmaxTablesEndPoints) {
  // Both tables map to Q0.15 (output scale 2/65535 over [-1, 1)): exp(0)
  // = 1 and 1 / (1 + 0) = 1 saturate to 32767, 1 / (1 + 1) = 0.5 is 16384.
  // exp(-10) * 32768 = 1.488 rounds to 1, but the node is biased by half
  // the interpolation error at the midpoint: the interpolation between 1
  // and exp(-9.980) * 32768 = 1.517 gives round(1.259) = 1 where
  // exp(-9.990) * 32768 = 1.502 rounds to 2; bias round(-1 / 2) = -1, so
  // the node is 1 + 1 = 2.
  const ft::tflm::Int16SoftmaxTables tables = ft::tflm::int16SoftmaxTables();
  ASSERT_EQ(tables.exp.size(), 513u);
  ASSERT_EQ(tables.oneOverOnePlusX.size(), 513u);
  EXPECT_EQ(tables.exp[512], 32767);
  EXPECT_EQ(tables.exp[0], 2);
  EXPECT_EQ(tables.oneOverOnePlusX[0], 32767);
  EXPECT_EQ(tables.oneOverOnePlusX[512], 16384);
  // The lookup interpolates: halfway between two nodes is their mean.
  const int16_t mid = ft::tflm::int16TableLookup(-64, tables.exp);
  EXPECT_EQ(mid, (tables.exp[255] + tables.exp[256] + 1) / 2);
}

TEST(ImporterJit, Int16SoftmaxMatchesTflmReference) {
  for (float scale : {0.0005f, 0.001f, 0.01f}) {
    const int depth = 11, rows = 40;
    ft::test::JitModel model(softmaxModel(rows, depth, tflite::TensorType_INT16,
                                          scale, 0, tflite::TensorType_INT16,
                                          1.0f / 32768, 0));
    ASSERT_TRUE(model.ok());
    XorShift rng{4242};
    std::vector<int16_t> in(rows * depth);
    for (int16_t &v : in)
      v = static_cast<int16_t>(rng.next() * 97 + rng.next());
    std::vector<int16_t> got = model.run(in, in.size());
    const auto multiplier = ft::tflm::int16SoftmaxInputMultiplier(1.0, scale);
    const ft::tflm::Int16SoftmaxTables tables = ft::tflm::int16SoftmaxTables();
    for (int r = 0; r < rows; ++r) {
      int16_t expected[depth];
      ft::tflm::int16SoftmaxRowReference(multiplier, tables, &in[r * depth],
                                         expected, depth);
      for (int c = 0; c < depth; ++c)
        ASSERT_EQ(got[r * depth + c], expected[c])
            << "scale " << scale << " row " << r << " column " << c;
    }
  }
}

/// TFLM's int8 average pool: mean of the raw values in the valid window,
/// rounded half away from zero.
int8_t averagePoolReference(const std::vector<int8_t> &in, int h, int w, int c,
                            int k, int stride, int padTop, int padLeft, int oy,
                            int ox, int ch) {
  int32_t sum = 0, count = 0;
  for (int ky = 0; ky < k; ++ky)
    for (int kx = 0; kx < k; ++kx) {
      int y = oy * stride - padTop + ky, x = ox * stride - padLeft + kx;
      if (y < 0 || y >= h || x < 0 || x >= w)
        continue;
      sum += in[(y * w + x) * c + ch];
      ++count;
    }
  sum = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
  return static_cast<int8_t>(std::clamp(sum, -128, 127));
}

TEST(ImporterJit, Int8AveragePoolRoundsLikeTflm) {
  const int h = 7, w = 6, c = 3, k = 3, stride = 2;
  Pool2DOptionsT opts;
  opts.padding = tflite::Padding_SAME;
  opts.stride_h = opts.stride_w = stride;
  opts.filter_height = opts.filter_width = k;
  BuiltinOptionsUnion options;
  options.Set(opts);
  const int oh = (h + stride - 1) / stride, ow = (w + stride - 1) / stride;
  ft::test::JitModel model(singleOpModel(
      tflite::BuiltinOperator_AVERAGE_POOL_2D, {1, h, w, c}, {1, oh, ow, c},
      tflite::TensorType_INT8, 0.1f, 0, 0.1f, 0, std::move(options)));
  ASSERT_TRUE(model.ok());
  // SAME padding: total = (out - 1) * stride + k - in, before = total / 2.
  const int padTop = ((oh - 1) * stride + k - h) / 2;
  const int padLeft = ((ow - 1) * stride + k - w) / 2;
  XorShift rng{99};
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<int8_t> input(h * w * c);
    for (int8_t &v : input)
      v = rng.next();
    std::vector<int8_t> got = model.run(input, oh * ow * c);
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox)
        for (int ch = 0; ch < c; ++ch)
          ASSERT_EQ(got[(oy * ow + ox) * c + ch],
                    averagePoolReference(input, h, w, c, k, stride, padTop,
                                         padLeft, oy, ox, ch))
              << "trial " << trial << " at " << oy << "," << ox << "," << ch;
  }
}

TEST(ImporterJit, StridedSliceFollowsTfliteSemantics) {
  // x[0, 1:7:2, 4:0:-2, :] of a [1, 7, 5, 2] iota, the batch axis shrunk.
  ft::test::TinyModel m;
  int x = m.addTensor("x", {1, 7, 5, 2}, tflite::TensorType_INT8, 1.0f, 0);
  int begin = m.addTensor("begin", {4}, tflite::TensorType_INT32, 0, 0,
                          ft::test::TinyModel::int32Bytes({0, 1, 4, 0}));
  int end = m.addTensor("end", {4}, tflite::TensorType_INT32, 0, 0,
                        ft::test::TinyModel::int32Bytes({1, 7, 0, 2}));
  int strides = m.addTensor("strides", {4}, tflite::TensorType_INT32, 0, 0,
                            ft::test::TinyModel::int32Bytes({1, 2, -2, 1}));
  int y = m.addTensor("y", {3, 2, 2}, tflite::TensorType_INT8, 1.0f, 0);
  tflite::StridedSliceOptionsT opts;
  opts.shrink_axis_mask = 1;
  tflite::BuiltinOptionsUnion options;
  options.Set(opts);
  ft::test::JitModel model(m.finish(tflite::BuiltinOperator_STRIDED_SLICE,
                                    {x, begin, end, strides}, y,
                                    std::move(options), {x}));
  ASSERT_TRUE(model.ok());
  std::vector<int8_t> input(70);
  for (int i = 0; i < 70; ++i)
    input[i] = static_cast<int8_t>(i);
  std::vector<int8_t> got = model.run(input, 12);
  std::vector<int8_t> expected;
  for (int h : {1, 3, 5})
    for (int w : {4, 2})
      for (int ch : {0, 1})
        expected.push_back(static_cast<int8_t>((h * 5 + w) * 2 + ch));
  EXPECT_EQ(got, expected);
}

/// TFLM's int8 DivElementwise for one pair, written from its reference
/// kernel (scalar, no TOSA): the oracle for the importer's DIV.
int8_t divReference(int8_t a, int8_t b, int32_t zpA, int32_t zpB, int32_t zpOut,
                    ft::tflm::QuantizedMultiplier m) {
  int32_t num = a - zpA, den = b - zpB;
  if (den < 0) {
    num = -num;
    den = -den;
  }
  int recipShift = 0;
  const int32_t inverse = ft::tflm::getReciprocal(den, 31, recipShift);
  const uint32_t magnitude = num >= 0 ? uint32_t(num) : ~uint32_t(num);
  const int headroom = (magnitude == 0 ? 32 : __builtin_clz(magnitude)) - 1;
  const int32_t unscaled = ft::tflm::saturatingRoundingDoublingHighMul(
      static_cast<int32_t>(static_cast<uint32_t>(num) << headroom), inverse);
  const int totalShift = m.shift - recipShift - headroom;
  const int32_t result =
      ft::tflm::roundingDivideByPOT(
          ft::tflm::saturatingRoundingDoublingHighMul(unscaled, m.multiplier),
          -totalShift) +
      zpOut;
  return static_cast<int8_t>(std::clamp(result, -128, 127));
}

TEST(ImporterJit, Int8DivMatchesTflmOnEveryPair) {
  // Every (dividend, divisor) pair of int8 values, apart from a zero
  // divisor (undefined in TFLM).
  const float scaleA = 0.05f, scaleB = 0.04f, scaleOut = 0.2f;
  const int32_t zpA = -3, zpB = 7, zpOut = 2;
  ft::test::TinyModel tiny;
  const int a =
      tiny.addTensor("a", {256, 256}, tflite::TensorType_INT8, scaleA, zpA);
  const int b =
      tiny.addTensor("b", {256, 256}, tflite::TensorType_INT8, scaleB, zpB);
  const int y =
      tiny.addTensor("y", {256, 256}, tflite::TensorType_INT8, scaleOut, zpOut);
  ft::test::JitModel model(tiny.finish(tflite::BuiltinOperator_DIV, {a, b}, y,
                                       BuiltinOptionsUnion(), {a, b}));
  ASSERT_TRUE(model.ok());
  std::vector<int8_t> dividends, divisors;
  for (int i = 0; i < 256; ++i)
    for (int j = 0; j < 256; ++j) {
      dividends.push_back(static_cast<int8_t>(i - 128));
      divisors.push_back(static_cast<int8_t>(j - 128));
    }
  std::vector<int8_t> got = model.run(
      std::vector<std::vector<int8_t>>{dividends, divisors}, 256 * 256);
  const ft::tflm::QuantizedMultiplier m = ft::tflm::quantizeMultiplier(
      static_cast<double>(scaleA / (scaleB * scaleOut)));
  for (size_t k = 0; k < got.size(); ++k) {
    if (divisors[k] == zpB)
      continue;
    ASSERT_EQ(got[k],
              divReference(dividends[k], divisors[k], zpA, zpB, zpOut, m))
        << int(dividends[k]) << " / " << int(divisors[k]);
  }
}

/// TFLM's int16 LOGISTIC (reference_integer_ops::Logistic) or TANH for one
/// value, written from its reference kernel with the generated table.
int16_t sigmoid16Reference(int16_t x, ft::tflm::Int16SigmoidScaling s,
                           bool isTanh) {
  const int32_t round = s.leftShift > 0 ? 1 << (s.leftShift - 1) : 0;
  const int32_t input = (int32_t(x) * s.multiplier + round) >> s.leftShift;
  const uint32_t magnitude = static_cast<uint32_t>(std::abs(input));
  const int bits = isTanh ? 8 : 9;
  const uint32_t index = magnitude >> bits;
  const auto &table = ft::tflm::sigmoidTable16();
  int64_t result;
  if (index >= 255) {
    result = isTanh ? int64_t(0xFFFF) << 8 : int64_t(0x7FFF) << 10;
  } else {
    const int64_t ua = table[index], ub = table[index + 1];
    const int64_t fraction = magnitude & ((1u << bits) - 1);
    result = (ua << bits) + fraction * (ub - ua);
  }
  if (isTanh)
    return static_cast<int16_t>((input >= 0
                                     ? result - (1 << 23) + (1 << 7)
                                     : -result + (1 << 23) + (1 << 7) - 1) >>
                                8);
  return static_cast<int16_t>(
      (input >= 0 ? result + (1 << 9) : (1 << 25) - result + (1 << 9) - 1) >>
      10);
}

TEST(ImporterJit, Int16LogisticAndTanhMatchTflmOnEveryValue) {
  // A power-of-two input scale (the kernel's shortcut) and a general one.
  for (bool isTanh : {false, true})
    for (float inScale : {1.0f / 4096, 0.00037f}) {
      ft::tflm::Int16SigmoidScaling scaling;
      ASSERT_TRUE(ft::tflm::int16SigmoidScaling(inScale, 1.0f / 32768, isTanh,
                                                scaling));
      ft::test::JitModel model(
          singleOpModel(isTanh ? tflite::BuiltinOperator_TANH
                               : tflite::BuiltinOperator_LOGISTIC,
                        {256, 256}, {256, 256}, tflite::TensorType_INT16,
                        inScale, 0, 1.0f / 32768, 0, BuiltinOptionsUnion()));
      ASSERT_TRUE(model.ok());
      std::vector<int16_t> input;
      for (int v = -32768; v < 32768; ++v)
        input.push_back(static_cast<int16_t>(v));
      std::vector<int16_t> got = model.run(input, input.size());
      for (size_t k = 0; k < got.size(); ++k)
        ASSERT_EQ(got[k], sigmoid16Reference(input[k], scaling, isTanh))
            << (isTanh ? "TANH" : "LOGISTIC") << " scale " << inScale
            << " input " << input[k];
    }
}

/// TFLM's ResizeBilinearInteger for one int8 output element, written from
/// its reference kernel.
int8_t resizeBilinearReference(const std::vector<int8_t> &in, int h, int w,
                               int c, int oh, int ow, bool align,
                               bool halfPixel, int y, int x, int ch) {
  auto scale10 = [&](int inSize, int outSize) {
    if (align && outSize > 1)
      return ((1 << 10) * (inSize - 1) + (outSize - 1) / 2) / (outSize - 1);
    return ((1 << 10) * inSize + outSize / 2) / outSize;
  };
  auto interpolation = [&](int v, int s, int inSize, int &scaled, int &lo,
                           int &hi) {
    scaled = halfPixel ? v * s + s / 2 - (1 << 9) : v * s;
    lo = std::max(scaled / (1 << 10), 0);
    hi = std::min((scaled + (1 << 10) - 1) / (1 << 10), inSize - 1);
  };
  int iy, y0, y1, ix, x0, x1;
  interpolation(y, scale10(h, oh), h, iy, y0, y1);
  interpolation(x, scale10(w, ow), w, ix, x0, x1);
  auto at = [&](int yy, int xx) {
    return static_cast<int64_t>(in[(yy * w + xx) * c + ch]);
  };
  const int64_t dy = iy - (1 << 10) * y0, dx = ix - (1 << 10) * x0;
  const int64_t sum = at(y0, x0) * ((1 << 10) - dy) * ((1 << 10) - dx) +
                      at(y1, x0) * dy * ((1 << 10) - dx) +
                      at(y0, x1) * ((1 << 10) - dy) * dx + at(y1, x1) * dy * dx;
  const int64_t round = sum > 0 ? (1 << 19) : -(1 << 19);
  return static_cast<int8_t>((sum + round) / (1 << 20));
}

TEST(ImporterJit, Int8ResizeBilinearMatchesTflm) {
  struct Case {
    int h, w, oh, ow;
    bool align, halfPixel;
  };
  const Case cases[] = {{3, 4, 7, 9, false, false}, {3, 4, 7, 9, true, false},
                        {3, 4, 7, 9, false, true},  {8, 8, 3, 5, false, true},
                        {8, 8, 3, 5, true, false},  {5, 1, 10, 3, false, true},
                        {2, 2, 1, 1, true, false}};
  const int c = 3;
  XorShift rng{7};
  for (const Case &k : cases) {
    ResizeBilinearOptionsT opts;
    opts.align_corners = k.align;
    opts.half_pixel_centers = k.halfPixel;
    BuiltinOptionsUnion options;
    options.Set(opts);
    ft::test::TinyModel tiny;
    const int input = tiny.addTensor("input", {1, k.h, k.w, c},
                                     tflite::TensorType_INT8, 0.1f, 2);
    const int size =
        tiny.addTensor("size", {2}, tflite::TensorType_INT32, 0, 0,
                       ft::test::TinyModel::int32Bytes({k.oh, k.ow}));
    const int output = tiny.addTensor("output", {1, k.oh, k.ow, c},
                                      tflite::TensorType_INT8, 0.1f, 2);
    ft::test::JitModel model(
        tiny.finish(tflite::BuiltinOperator_RESIZE_BILINEAR, {input, size},
                    output, std::move(options), {input}));
    ASSERT_TRUE(model.ok());
    std::vector<int8_t> in(k.h * k.w * c);
    for (int8_t &v : in)
      v = rng.next();
    std::vector<int8_t> got = model.run(in, k.oh * k.ow * c);
    for (int y = 0; y < k.oh; ++y)
      for (int x = 0; x < k.ow; ++x)
        for (int ch = 0; ch < c; ++ch)
          ASSERT_EQ(got[(y * k.ow + x) * c + ch],
                    resizeBilinearReference(in, k.h, k.w, c, k.oh, k.ow,
                                            k.align, k.halfPixel, y, x, ch))
              << k.h << "x" << k.w << " to " << k.oh << "x" << k.ow << " align "
              << k.align << " half " << k.halfPixel << " at " << y << "," << x
              << "," << ch;
  }
}

TEST(ImporterDiagnostics, TruncatedFileIsRejectedWithOneError) {
  SoftmaxOptionsT opts;
  opts.beta = 1.0f;
  BuiltinOptionsUnion options;
  options.Set(opts);
  std::vector<uint8_t> bytes = singleOpModel(
      tflite::BuiltinOperator_SOFTMAX, {1, 4}, {1, 4}, tflite::TensorType_INT8,
      0.1f, 0, 1.0f / 256, -128, std::move(options));
  bytes.resize(bytes.size() / 2);
  MLIRContext context;
  std::vector<std::string> messages;
  std::vector<Location> locations;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    messages.push_back(diag.str());
    locations.push_back(diag.getLocation());
    return success();
  });
  EXPECT_FALSE(ft::importTFLite(bytes, "cut.tflite", &context, {}));
  ASSERT_EQ(messages.size(), 1u);
  auto fileLoc = dyn_cast<FileLineColLoc>(locations[0]);
  ASSERT_TRUE(fileLoc);
  EXPECT_EQ(fileLoc.getFilename().strref(), "cut.tflite");
  EXPECT_NE(messages[0].find("malformed"), std::string::npos);
}

/// TFLM's int16 RSQRT (zero points 0) on every non-negative int16 value:
/// the run-time inverse square root against Support's scalar transcription.
TEST(ImporterJit, Int16RsqrtMatchesTflmOnEveryValue) {
  const float inScale = 0.0005f, outScale = 0.003f;
  ft::test::TinyModel tiny;
  const int x =
      tiny.addTensor("x", {1, 32768}, tflite::TensorType_INT16, inScale, 0);
  const int y =
      tiny.addTensor("y", {1, 32768}, tflite::TensorType_INT16, outScale, 0);
  ft::test::JitModel model(tiny.finish(tflite::BuiltinOperator_RSQRT, {x}, y,
                                       BuiltinOptionsUnion(), {x}));
  ASSERT_TRUE(model.ok());
  std::vector<int16_t> values(32768);
  for (int i = 0; i < 32768; ++i)
    values[i] = static_cast<int16_t>(i);
  std::vector<int16_t> got = model.run(values, 32768);
  const ft::tflm::QuantizedMultiplier m = ft::tflm::quantizeMultiplier(
      1.0 / static_cast<double>(std::sqrt(inScale) * outScale));
  for (int i = 0; i < 32768; ++i) {
    const int32_t expected =
        i == 0 ? 32767
               : std::clamp(ft::tflm::quantizedRsqrt(i, m), -32768, 32767);
    ASSERT_EQ(got[i], expected) << "rsqrt of " << i;
  }
}

/// TFLM's int8 L2Normalization of one row (reference_integer_ops).
void l2NormReference(const int8_t *row, int8_t *out, int depth, int32_t zp) {
  int32_t sum = 0;
  for (int i = 0; i < depth; ++i)
    sum += (row[i] - zp) * (row[i] - zp);
  const ft::tflm::QuantizedMultiplier inv =
      ft::tflm::invSqrtQuantizedMultiplier(sum);
  for (int i = 0; i < depth; ++i)
    out[i] = static_cast<int8_t>(
        std::clamp(ft::tflm::multiplyByQuantizedMultiplier(
                       row[i] - zp, {inv.multiplier, inv.shift + 7}),
                   -128, 127));
}

TEST(ImporterJit, Int8L2NormalizationMatchesTflm) {
  // Random rows, rows at the zero point (a zero sum), one-element-off rows
  // and saturated ones; depths that make sums from 0 to past 2^21.
  for (int depth : {1, 7, 64}) {
    const int rows = 200;
    const int32_t zp = -5;
    ft::test::TinyModel tiny;
    const int x =
        tiny.addTensor("x", {rows, depth}, tflite::TensorType_INT8, 0.05f, zp);
    const int y = tiny.addTensor("y", {rows, depth}, tflite::TensorType_INT8,
                                 1.0f / 128, 0);
    ft::test::JitModel model(
        tiny.finish(tflite::BuiltinOperator_L2_NORMALIZATION, {x}, y,
                    BuiltinOptionsUnion(), {x}));
    ASSERT_TRUE(model.ok());
    XorShift rng{777u + static_cast<uint32_t>(depth)};
    std::vector<int8_t> input(rows * depth);
    for (int r = 0; r < rows; ++r)
      for (int i = 0; i < depth; ++i) {
        int8_t &v = input[r * depth + i];
        v = rng.next();
        if (r % 10 == 0)
          v = static_cast<int8_t>(zp);
        if (r % 10 == 1)
          v = static_cast<int8_t>(i == 0 ? zp + 1 + r % 7 : zp);
        if (r % 10 == 2)
          v = r % 20 == 2 ? 127 : -128;
      }
    std::vector<int8_t> got = model.run(input, rows * depth);
    std::vector<int8_t> expected(rows * depth);
    for (int r = 0; r < rows; ++r)
      l2NormReference(&input[r * depth], &expected[r * depth], depth, zp);
    for (int k = 0; k < rows * depth; ++k)
      ASSERT_EQ(got[k], expected[k])
          << "row " << k / depth << " depth " << depth;
  }
}

/// TFLM's int8 LogSoftmaxQuantized of one row (reference_ops).
void logSoftmaxReference(const int8_t *row, int8_t *out, int depth,
                         float inputScale) {
  const ft::tflm::SoftmaxParams p = ft::tflm::softmaxParams(1.0, inputScale);
  const ft::tflm::QuantizedMultiplier in{p.inputMultiplier, p.inputLeftShift};
  const ft::tflm::QuantizedMultiplier reverse = ft::tflm::quantizeMultiplier(
      static_cast<double>(int64_t(1) << (31 - p.inputLeftShift)) /
      static_cast<double>(p.inputMultiplier));
  int8_t max = -128;
  for (int i = 0; i < depth; ++i)
    max = std::max(max, row[i]);
  int32_t sum = 0;
  for (int i = 0; i < depth; ++i) {
    const int32_t diff = row[i] - max;
    if (diff >= p.diffMin)
      sum += ft::tflm::roundingDivideByPOT(
          ft::tflm::expOnNegativeValues(
              ft::tflm::multiplyByQuantizedMultiplier(diff, in), 5),
          12);
  }
  const int32_t logSum = ft::tflm::logXForXGreaterEqual1(sum, 12, 5);
  const int32_t adjustedMin = std::max(
      p.diffMin - 1,
      ft::tflm::multiplyByQuantizedMultiplier(
          static_cast<int32_t>(static_cast<uint32_t>(logSum) + 0x80000000u),
          reverse));
  for (int i = 0; i < depth; ++i) {
    const int32_t diff = row[i] - max;
    if (diff > adjustedMin) {
      const int32_t q5 = ft::tflm::multiplyByQuantizedMultiplier(diff, in);
      out[i] = static_cast<int8_t>(std::clamp(
          ft::tflm::roundingDivideByPOT(q5 - logSum, 22) + 127, -128, 127));
    } else {
      out[i] = -128;
    }
  }
}

TEST(ImporterJit, Int8LogSoftmaxMatchesTflm) {
  // Random rows, constant rows (the largest sums) and one-hot rows, in
  // depths from 1 to 600 and two input scales.
  for (float scale : {0.02f, 0.3f})
    for (int depth : {1, 10, 600}) {
      const int rows = 64;
      ft::test::TinyModel tiny;
      const int x =
          tiny.addTensor("x", {rows, depth}, tflite::TensorType_INT8, scale, 3);
      const int y = tiny.addTensor("y", {rows, depth}, tflite::TensorType_INT8,
                                   16.0f / 256, 127);
      ft::test::JitModel model(tiny.finish(tflite::BuiltinOperator_LOG_SOFTMAX,
                                           {x}, y, BuiltinOptionsUnion(), {x}));
      ASSERT_TRUE(model.ok());
      XorShift rng{99u + static_cast<uint32_t>(depth)};
      std::vector<int8_t> input(rows * depth);
      for (int r = 0; r < rows; ++r)
        for (int i = 0; i < depth; ++i) {
          int8_t &v = input[r * depth + i];
          v = rng.next();
          if (r % 8 == 0)
            v = static_cast<int8_t>(r - 100);
          if (r % 8 == 1)
            v = i == r % depth ? 127 : -128;
        }
      std::vector<int8_t> got = model.run(input, rows * depth);
      std::vector<int8_t> expected(rows * depth);
      for (int r = 0; r < rows; ++r)
        logSoftmaxReference(&input[r * depth], &expected[r * depth], depth,
                            scale);
      for (int k = 0; k < rows * depth; ++k)
        ASSERT_EQ(got[k], expected[k])
            << "row " << k / depth << " depth " << depth << " scale " << scale;
    }
}

/// TFLM's 64-bit MultiplyByQuantizedMultiplier (16x8 kernels' int64
/// accumulators): the multiplier rounded to 16 bits, one rounding shift.
int32_t multiplyByQuantizedMultiplier64(int64_t x,
                                        ft::tflm::QuantizedMultiplier m) {
  const int64_t reduced =
      m.multiplier < 0x7FFF0000 ? (m.multiplier + (1 << 15)) >> 16 : 0x7FFF;
  const int totalShift = 15 - m.shift;
  return static_cast<int32_t>(
      (x * reduced + (int64_t(1) << (totalShift - 1))) >> totalShift);
}

int16_t saturate16(int64_t v) {
  return static_cast<int16_t>(std::clamp<int64_t>(v, -32768, 32767));
}

/// TFLM's 16x8 UNIDIRECTIONAL_SEQUENCE_LSTM (lstm_eval.h with int16
/// activations, int8 weights and int64 biases), written from its kernels:
/// batch-major input [batch, steps, inputs], hidden and cell states kept in
/// `h` and `cell` across calls.
struct Lstm16x8Reference {
  int batch = 2, steps = 3, inputs = 4, units = 5;
  float inScale = 0.0004f, hiddenScale = 1.0f / 32768, cellScale = 1.0f / 2048,
        cellClip = 2.0f;
  // Per gate (input, forget, cell, output): weights [units, inputs] and
  // [units, units] with their scales, and the input layer's int64 bias.
  std::vector<int8_t> inW[4], recW[4];
  float inWScale[4], recWScale[4];
  std::vector<int64_t> bias[4];
  std::vector<int16_t> h, cell;

  static ft::tflm::QuantizedMultiplier interGate(float a, float b, float out) {
    return ft::tflm::quantizeMultiplier(static_cast<double>(a) *
                                        static_cast<double>(b) /
                                        static_cast<double>(out));
  }
  static int16_t mul(int16_t a, int16_t b, ft::tflm::QuantizedMultiplier m) {
    return saturate16(
        ft::tflm::multiplyByQuantizedMultiplier(int32_t(a) * int32_t(b), m));
  }
  /// The gate's fully connected layers (the hidden one without a bias),
  /// their saturating sum and the activation.
  std::vector<int16_t> gate(int g, const int16_t *x, bool isTanh) const {
    auto fcScale = [](float in, float w) {
      return ft::tflm::quantizeMultiplier(static_cast<double>(in * w) /
                                          static_cast<double>(1.0f / 4096.0f));
    };
    std::vector<int16_t> out(batch * units);
    for (int b = 0; b < batch; ++b)
      for (int n = 0; n < units; ++n) {
        int64_t fromInput = bias[g][n], fromHidden = 0;
        for (int k = 0; k < inputs; ++k)
          fromInput += int32_t(inW[g][n * inputs + k]) *
                       int32_t(x[b * steps * inputs + k]);
        for (int k = 0; k < units; ++k)
          fromHidden +=
              int32_t(recW[g][n * units + k]) * int32_t(h[b * units + k]);
        const int16_t sum =
            saturate16(int32_t(saturate16(multiplyByQuantizedMultiplier64(
                           fromInput, fcScale(inScale, inWScale[g])))) +
                       int32_t(saturate16(multiplyByQuantizedMultiplier64(
                           fromHidden, fcScale(hiddenScale, recWScale[g])))));
        ft::tflm::Int16SigmoidScaling unit; // TFLM: multiplier 0 -> 3 << 0
        unit.multiplier = 3;
        out[b * units + n] = sigmoid16Reference(sum, unit, isTanh);
      }
    return out;
  }
  /// One invocation: the output [batch, steps, units].
  std::vector<int16_t> run(const std::vector<int16_t> &input) {
    const float q015 = 1.0f / 32768;
    const int power = static_cast<int>(std::round(std::log2(cellScale)));
    ft::tflm::Int16SigmoidScaling cellTanh;
    const int shift = 15 + power - 3;
    cellTanh.multiplier = shift < 0 ? 3 : 3 << shift;
    cellTanh.leftShift = shift < 0 ? -shift : 0;
    const auto clip =
        static_cast<int16_t>(std::min(cellClip / cellScale, 32767.0f));
    std::vector<int16_t> output(batch * steps * units);
    for (int t = 0; t < steps; ++t) {
      const int16_t *x = &input[t * inputs];
      std::vector<int16_t> f = gate(1, x, false), i = gate(0, x, false),
                           g = gate(2, x, true), o = gate(3, x, false);
      for (int k = 0; k < batch * units; ++k) {
        int16_t c = saturate16(
            int32_t(mul(f[k], cell[k], interGate(q015, cellScale, cellScale))) +
            int32_t(mul(i[k], g[k], interGate(q015, q015, cellScale))));
        if (cellClip > 0)
          c = std::clamp<int16_t>(c, static_cast<int16_t>(-clip), clip);
        cell[k] = c;
        h[k] = mul(sigmoid16Reference(c, cellTanh, true), o[k],
                   interGate(q015, q015, hiddenScale));
      }
      for (int b = 0; b < batch; ++b)
        for (int n = 0; n < units; ++n)
          output[(b * steps + t) * units + n] = h[b * units + n];
    }
    return output;
  }
};

TEST(ImporterJit, Int16LstmMatchesTflmOverInvocations) {
  Lstm16x8Reference ref;
  ref.h.assign(ref.batch * ref.units, 0);
  ref.cell.assign(ref.batch * ref.units, 0);
  XorShift rng{2024};
  ft::testing::TFLiteModelBuilder builder;
  auto bytesOf = [](const auto &values) {
    std::vector<uint8_t> bytes(values.size() * sizeof(values[0]));
    std::memcpy(bytes.data(), values.data(), bytes.size());
    return bytes;
  };
  std::vector<int32_t> operands(24, -1);
  operands[0] = builder.tensor("input", {ref.batch, ref.steps, ref.inputs},
                               tflite::TensorType_INT16, {ref.inScale}, {0});
  for (int g = 0; g < 4; ++g) {
    ref.inWScale[g] = 0.01f + 0.002f * g;
    ref.recWScale[g] = 0.02f - 0.003f * g;
    for (int k = 0; k < ref.units * ref.inputs; ++k)
      ref.inW[g].push_back(rng.next());
    for (int k = 0; k < ref.units * ref.units; ++k)
      ref.recW[g].push_back(rng.next());
    for (int n = 0; n < ref.units; ++n)
      ref.bias[g].push_back(int64_t(rng.next()) * 700 + n);
    const std::string name = std::to_string(g);
    operands[1 + g] = builder.tensor(
        "input_weights_" + name, {ref.units, ref.inputs},
        tflite::TensorType_INT8, {ref.inWScale[g]}, {0}, bytesOf(ref.inW[g]));
    operands[5 + g] = builder.tensor(
        "recurrent_weights_" + name, {ref.units, ref.units},
        tflite::TensorType_INT8, {ref.recWScale[g]}, {0}, bytesOf(ref.recW[g]));
    operands[12 + g] = builder.tensor(
        "bias_" + name, {ref.units}, tflite::TensorType_INT64,
        {ref.inScale * ref.inWScale[g]}, {0}, bytesOf(ref.bias[g]));
  }
  operands[18] =
      builder.tensor("output_state", {ref.batch, ref.units},
                     tflite::TensorType_INT16, {ref.hiddenScale}, {0});
  operands[19] = builder.tensor("cell_state", {ref.batch, ref.units},
                                tflite::TensorType_INT16, {ref.cellScale}, {0});
  for (int state : {18, 19})
    builder.sg->tensors[operands[state]]->is_variable = true;
  const int output =
      builder.tensor("output", {ref.batch, ref.steps, ref.units},
                     tflite::TensorType_INT16, {ref.hiddenScale}, {0});
  tflite::UnidirectionalSequenceLSTMOptionsT opts;
  opts.fused_activation_function = tflite::ActivationFunctionType_TANH;
  opts.cell_clip = ref.cellClip;
  builder
      .op(tflite::BuiltinOperator_UNIDIRECTIONAL_SEQUENCE_LSTM, operands,
          {output})
      .builtin_options.Set(opts);
  ft::test::JitModel model(builder.finish({operands[0]}, {output}));
  ASSERT_TRUE(model.ok());
  // Three invocations: the state carries from one to the next.
  const int n = ref.batch * ref.steps * ref.units;
  for (int call = 0; call < 3; ++call) {
    std::vector<int16_t> input(ref.batch * ref.steps * ref.inputs);
    for (int16_t &v : input)
      v = static_cast<int16_t>(int32_t(rng.next()) * 256 + (rng.next() & 0xFF));
    std::vector<int16_t> expected = ref.run(input);
    std::vector<int16_t> got = model.run(input, n);
    for (int k = 0; k < n; ++k)
      ASSERT_EQ(got[k], expected[k])
          << "invocation " << call << " element " << k;
  }
}

} // namespace
