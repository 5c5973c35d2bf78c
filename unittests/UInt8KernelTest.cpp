//===- UInt8KernelTest.cpp - uint8 models against hand-computed values ----===//
//
// TFLM cannot run uint8 (legacy TOCO) models, so there is no golden data for
// them. These tests compile tiny uint8 models and compare with values worked
// out by hand from TFLite's uint8 kernels, including rounding ties, which is
// where the importer's int8-domain representation could go wrong.
//
//===----------------------------------------------------------------------===//

#include "JitModel.h"
#include "tflite_subset_generated.h"

#include <gtest/gtest.h>

#include <cstring>

namespace {

/// A model with one operator; tensor 0 is the graph input, the last tensor
/// added by addOutput() the graph output.
class TinyModel {
public:
  TinyModel() {
    model.version = 3;
    model.buffers.push_back(std::make_unique<tflite::BufferT>());
    model.subgraphs.push_back(std::make_unique<tflite::SubGraphT>());
    sg = model.subgraphs.back().get();
  }

  int addTensor(const std::string &name, std::vector<int32_t> shape,
                tflite::TensorType type, float scale, int64_t zeroPoint,
                std::vector<uint8_t> data = {}) {
    auto t = std::make_unique<tflite::TensorT>();
    t->name = name;
    t->shape = std::move(shape);
    t->type = type;
    if (!data.empty()) {
      auto b = std::make_unique<tflite::BufferT>();
      b->data = std::move(data);
      model.buffers.push_back(std::move(b));
      t->buffer = model.buffers.size() - 1;
    }
    t->quantization = std::make_unique<tflite::QuantizationParametersT>();
    t->quantization->scale = {scale};
    t->quantization->zero_point = {zeroPoint};
    sg->tensors.push_back(std::move(t));
    return sg->tensors.size() - 1;
  }

  static std::vector<uint8_t> int32Bytes(std::vector<int32_t> values) {
    std::vector<uint8_t> bytes(values.size() * 4);
    std::memcpy(bytes.data(), values.data(), bytes.size());
    return bytes;
  }

  std::vector<uint8_t> finish(tflite::BuiltinOperator code,
                              std::vector<int32_t> inputs, int output,
                              tflite::BuiltinOptionsUnion options,
                              std::vector<int32_t> graphInputs) {
    auto opcode = std::make_unique<tflite::OperatorCodeT>();
    opcode->builtin_code = code;
    opcode->deprecated_builtin_code = static_cast<int8_t>(code);
    model.operator_codes.push_back(std::move(opcode));
    auto op = std::make_unique<tflite::OperatorT>();
    op->inputs = std::move(inputs);
    op->outputs = {output};
    op->builtin_options = std::move(options);
    sg->operators.push_back(std::move(op));
    sg->inputs = std::move(graphInputs);
    sg->outputs = {output};
    flatbuffers::FlatBufferBuilder fbb;
    fbb.Finish(tflite::Model::Pack(fbb, &model), tflite::ModelIdentifier());
    return std::vector<uint8_t>(fbb.GetBufferPointer(),
                                fbb.GetBufferPointer() + fbb.GetSize());
  }

private:
  tflite::ModelT model;
  tflite::SubGraphT *sg;
};

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
