//===- ModelTestUtils.h - Build and run TFLite models in tests -*- C++ -*-===//

#ifndef FUSEDTILING_UNITTESTS_MODELTESTUTILS_H
#define FUSEDTILING_UNITTESTS_MODELTESTUTILS_H

#include "FusedTiling/Pipelines/Pipelines.h"
#include "FusedTiling/InitAll.h"
#include "FusedTiling/Target/TFLite/TFLiteImporter.h"
#include "tflite_subset_generated.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/TargetSelect.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace ft::test {

/// Imports TFLite bytes, lowers them with ft-lower-to-llvm and JIT-compiles
/// the result; run() calls the entry point on raw input bytes.
class JitModel {
public:
  explicit JitModel(const std::vector<uint8_t> &bytes)
      : context(makeRegistry()) {
    module = ft::importTFLite(bytes, "test.tflite", &context, {});
    if (!module)
      return;
    mlir::PassManager pm(&context);
    if (mlir::failed(ft::buildLowerToLLVMPipeline(pm)) ||
        mlir::failed(pm.run(*module)))
      return;
    auto created = mlir::ExecutionEngine::create(*module);
    if (!created) {
      llvm::consumeError(created.takeError());
      return;
    }
    engine = std::move(*created);
  }
  bool ok() const { return engine != nullptr; }

  /// One call of the entry point: one buffer per input, one output. The
  /// model's inputs and outputs live in its static arena; accessor functions
  /// return their addresses.
  template <typename T>
  std::vector<T> run(std::vector<std::vector<T>> inputs, size_t outputSize) {
    std::vector<T> output(outputSize);
    for (size_t i = 0; i < inputs.size(); ++i)
      std::memcpy(address("main_input_" + std::to_string(i)), inputs[i].data(),
                  inputs[i].size() * sizeof(T));
    llvm::Error err = engine->invokePacked("main");
    EXPECT_FALSE(static_cast<bool>(err));
    llvm::consumeError(std::move(err));
    std::memcpy(output.data(), address("main_output_0"),
                outputSize * sizeof(T));
    return output;
  }
  template <typename T>
  std::vector<T> run(std::vector<T> input, size_t outputSize) {
    return run(std::vector<std::vector<T>>{std::move(input)}, outputSize);
  }

private:
  void *address(const std::string &accessor) {
    intptr_t value = 0;
    void *args[] = {&value};
    llvm::Error err = engine->invokePacked(accessor, args);
    EXPECT_FALSE(static_cast<bool>(err)) << accessor;
    llvm::consumeError(std::move(err));
    return reinterpret_cast<void *>(value);
  }

  static mlir::DialectRegistry makeRegistry() {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    mlir::DialectRegistry registry;
    ft::registerCompilerDialects(registry);
    return registry;
  }
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<mlir::ExecutionEngine> engine;
};

/// Builds a one-operator TFLite model with the flatbuffers object API.
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
    // scale 0: no quantization parameters.
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
    if (scale > 0) {
      t->quantization = std::make_unique<tflite::QuantizationParametersT>();
      t->quantization->scale = {scale};
      t->quantization->zero_point = {zeroPoint};
    }
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

} // namespace ft::test

#endif // FUSEDTILING_UNITTESTS_MODELTESTUTILS_H
