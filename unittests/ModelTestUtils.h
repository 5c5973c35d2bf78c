//===- ModelTestUtils.h - Build and run TFLite models in tests -*- C++ -*-===//

#ifndef FUSEDTILING_UNITTESTS_MODELTESTUTILS_H
#define FUSEDTILING_UNITTESTS_MODELTESTUTILS_H

#include "FusedTiling/Pipelines/Pipelines.h"
#include "FusedTiling/InitAll.h"
#include "FusedTiling/Import/TFLite/TFLiteImporter.h"
#include "FusedTiling/Testing/TFLiteModelBuilder.h"

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

/// A one-operator TFLite model (on ft::testing::TFLiteModelBuilder).
class TinyModel {
public:
  /// scale 0: no quantization parameters.
  int addTensor(const std::string &name, std::vector<int32_t> shape,
                tflite::TensorType type, float scale, int64_t zeroPoint,
                std::vector<uint8_t> data = {}) {
    if (scale > 0)
      return builder.tensor(name, std::move(shape), type, {scale},
                            {zeroPoint}, std::move(data));
    return builder.tensor(name, std::move(shape), type, {}, {},
                          std::move(data));
  }

  static std::vector<uint8_t> int32Bytes(std::vector<int32_t> values) {
    return ft::testing::TFLiteModelBuilder::int32Bytes(values);
  }

  std::vector<uint8_t> finish(tflite::BuiltinOperator code,
                              std::vector<int32_t> inputs, int output,
                              tflite::BuiltinOptionsUnion options,
                              std::vector<int32_t> graphInputs) {
    builder.op(code, std::move(inputs), {output}).builtin_options =
        std::move(options);
    return builder.finish(std::move(graphInputs), {output});
  }

private:
  ft::testing::TFLiteModelBuilder builder;
};

} // namespace ft::test

#endif // FUSEDTILING_UNITTESTS_MODELTESTUTILS_H
