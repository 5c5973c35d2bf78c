//===- UInt8KernelTest.cpp - uint8 models against hand-computed values ----===//
//
// TFLM cannot run uint8 (legacy TOCO) models, so there is no golden data for
// them. These tests compile tiny uint8 models and compare with values worked
// out by hand from TFLite's uint8 kernels, including rounding ties, which is
// where the importer's int8-domain representation could go wrong.
//
//===----------------------------------------------------------------------===//

#include "ModelTestUtils.h"

#include <gtest/gtest.h>

namespace {

using ft::test::TinyModel;

// Input scale 0.5, zero point 128: bytes 130, 120 are 1.0 and -4.0.
// Weights scale 0.25, zero point 128: bytes 140, 116 are 3.0 and -3.0.
// Accumulator (2)(12) + (-8)(-12) = 120, plus the bias; the output multiplier
// 0.5 * 0.25 / 1.0 = 0.125.
std::vector<uint8_t> fullyConnectedModel(int32_t bias) {
  TinyModel m;
  int x = m.addTensor("x", {1, 2}, tflite::TensorType_UINT8, 0.5f, 128);
  int w = m.addTensor("w", {1, 2}, tflite::TensorType_UINT8, 0.25f, 128,
                      {140, 116});
  int b = m.addTensor("b", {1}, tflite::TensorType_INT32, 0.125f, 0,
                      TinyModel::int32Bytes({bias}));
  int y = m.addTensor("y", {1, 1}, tflite::TensorType_UINT8, 1.0f, 128);
  tflite::FullyConnectedOptionsT opts;
  tflite::BuiltinOptionsUnion options;
  options.Set(opts);
  return m.finish(tflite::BuiltinOperator_FULLY_CONNECTED, {x, w, b}, y,
                  std::move(options), {x});
}

TEST(UInt8Kernels, FullyConnectedExact) {
  // 120 + 8 = 128 -> 128 * 0.125 = 16 -> 16 + 128 = 144.
  ft::test::JitModel model(fullyConnectedModel(8));
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model.run<uint8_t>({130, 120}, 1)[0], 144);
}

TEST(UInt8Kernels, FullyConnectedRoundsTieAwayFromZero) {
  // 120 + 12 = 132 -> 16.5: the doubling high multiply gives 66 (= 132/2),
  // the final division by 4 rounds 16.5 away from zero to 17 -> 145.
  ft::test::JitModel model(fullyConnectedModel(12));
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model.run<uint8_t>({130, 120}, 1)[0], 145);
  // -120 + 12 = -108 -> -13.5 rounds to -14 -> 114.
  EXPECT_EQ(model.run<uint8_t>({126, 136}, 1)[0], 114);
}

std::vector<uint8_t> averagePoolModel() {
  TinyModel m;
  int x = m.addTensor("x", {1, 2, 2, 1}, tflite::TensorType_UINT8, 0.1f, 128);
  int y = m.addTensor("y", {1, 1, 1, 1}, tflite::TensorType_UINT8, 0.1f, 128);
  tflite::Pool2DOptionsT opts;
  opts.padding = tflite::Padding_VALID;
  opts.stride_h = opts.stride_w = 2;
  opts.filter_height = opts.filter_width = 2;
  tflite::BuiltinOptionsUnion options;
  options.Set(opts);
  return m.finish(tflite::BuiltinOperator_AVERAGE_POOL_2D, {x}, y,
                  std::move(options), {x});
}

TEST(UInt8Kernels, AveragePoolRoundsRawUnsignedSumHalfUp) {
  // TFLite's uint8 kernel: (sum + count / 2) / count on the raw bytes.
  ft::test::JitModel model(averagePoolModel());
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model.run<uint8_t>({10, 11, 12, 13}, 1)[0], 12);      // 11.5
  EXPECT_EQ(model.run<uint8_t>({10, 11, 12, 12}, 1)[0], 11);      // 11.25
  EXPECT_EQ(model.run<uint8_t>({200, 201, 202, 201}, 1)[0], 201); // 201
  EXPECT_EQ(model.run<uint8_t>({0, 0, 0, 2}, 1)[0], 1);           // 0.5
  EXPECT_EQ(model.run<uint8_t>({255, 255, 255, 254}, 1)[0], 255); // 254.75
}

TEST(UInt8Kernels, AddMatchesHandComputedValue) {
  // Both inputs scale 0.5, zero point 100; output scale 1.0, zero point 50.
  // 110 and 90 are 5.0 and -5.0 -> 0.0 -> 50; 130 and 120 are 15 + 10 = 25
  // -> 75.
  TinyModel m;
  int a = m.addTensor("a", {1, 2}, tflite::TensorType_UINT8, 0.5f, 100);
  int b = m.addTensor("b", {1, 2}, tflite::TensorType_UINT8, 0.5f, 100);
  int y = m.addTensor("y", {1, 2}, tflite::TensorType_UINT8, 1.0f, 50);
  tflite::AddOptionsT opts;
  tflite::BuiltinOptionsUnion options;
  options.Set(opts);
  std::vector<uint8_t> bytes = m.finish(tflite::BuiltinOperator_ADD, {a, b}, y,
                                        std::move(options), {a, b});
  ft::test::JitModel model(bytes);
  ASSERT_TRUE(model.ok());
  std::vector<uint8_t> out =
      model.run<uint8_t>({{110, 130}, {90, 120}}, /*outputSize=*/2);
  EXPECT_EQ(out[0], 50);
  EXPECT_EQ(out[1], 75);
}

} // namespace
