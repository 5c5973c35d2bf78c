//===- TFLiteModelBuilder.cpp - Build TFLite files for tests --------------===//

#include "FusedTiling/Testing/TFLiteModelBuilder.h"

#include <algorithm>
#include <cstring>

using namespace tflite;
using ft::testing::TFLiteModelBuilder;

TFLiteModelBuilder::TFLiteModelBuilder(const std::string &description) {
  model.version = 3;
  model.description = description;
  model.buffers.push_back(std::make_unique<BufferT>()); // buffer 0: empty
  model.subgraphs.push_back(std::make_unique<SubGraphT>());
  sg = model.subgraphs.back().get();
}

int TFLiteModelBuilder::tensor(const std::string &name,
                               std::vector<int32_t> shape, TensorType type,
                               std::vector<float> scales,
                               std::vector<int64_t> zeroPoints,
                               std::vector<uint8_t> data,
                               int quantizedDimension) {
  auto t = std::make_unique<TensorT>();
  t->name = name;
  t->shape = std::move(shape);
  t->type = type;
  t->buffer = 0;
  if (!data.empty()) {
    auto b = std::make_unique<BufferT>();
    b->data = std::move(data);
    model.buffers.push_back(std::move(b));
    t->buffer = model.buffers.size() - 1;
  }
  if (!scales.empty()) {
    t->quantization = std::make_unique<QuantizationParametersT>();
    t->quantization->zero_point =
        zeroPoints.empty() ? std::vector<int64_t>(scales.size(), 0)
                           : std::move(zeroPoints);
    t->quantization->scale = std::move(scales);
    t->quantization->quantized_dimension = quantizedDimension;
  }
  sg->tensors.push_back(std::move(t));
  return sg->tensors.size() - 1;
}

int TFLiteModelBuilder::int32Const(const std::string &name,
                                   std::vector<int32_t> shape,
                                   const std::vector<int32_t> &values) {
  return tensor(name, std::move(shape), TensorType_INT32, {}, {},
                int32Bytes(values));
}

std::vector<uint8_t>
TFLiteModelBuilder::int32Bytes(const std::vector<int32_t> &values) {
  std::vector<uint8_t> bytes(values.size() * 4);
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

int TFLiteModelBuilder::opcode(BuiltinOperator code,
                               const std::string &custom) {
  for (size_t i = 0; i < model.operator_codes.size(); ++i)
    if (model.operator_codes[i]->builtin_code == code &&
        model.operator_codes[i]->custom_code == custom)
      return i;
  auto oc = std::make_unique<OperatorCodeT>();
  oc->builtin_code = code;
  // Codes above 127 live only in builtin_code; the deprecated byte says
  // "placeholder for codes above 127".
  oc->deprecated_builtin_code =
      static_cast<int8_t>(std::min<int32_t>(code, 127));
  oc->custom_code = custom;
  model.operator_codes.push_back(std::move(oc));
  return model.operator_codes.size() - 1;
}

OperatorT &TFLiteModelBuilder::op(BuiltinOperator code,
                                  std::vector<int32_t> inputs,
                                  std::vector<int32_t> outputs) {
  auto o = std::make_unique<OperatorT>();
  o->opcode_index = opcode(code);
  o->inputs = std::move(inputs);
  o->outputs = std::move(outputs);
  sg->operators.push_back(std::move(o));
  return *sg->operators.back();
}

std::vector<uint8_t>
TFLiteModelBuilder::finish(std::vector<int32_t> graphInputs,
                           std::vector<int32_t> graphOutputs) {
  sg->inputs = std::move(graphInputs);
  sg->outputs = std::move(graphOutputs);
  return finish();
}

std::vector<uint8_t> TFLiteModelBuilder::finish() {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(Model::Pack(fbb, &model), ModelIdentifier());
  return std::vector<uint8_t>(fbb.GetBufferPointer(),
                              fbb.GetBufferPointer() + fbb.GetSize());
}
