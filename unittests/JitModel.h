//===- JitModel.h - Compile a TFLite model in-process for tests -*- C++ -*-===//

#ifndef FUSEDTILING_UNITTESTS_JITMODEL_H
#define FUSEDTILING_UNITTESTS_JITMODEL_H

#include "FusedTiling/Conversion/Passes.h"
#include "FusedTiling/Target/TFLite/TFLiteImporter.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/Support/TargetSelect.h"

#include <gtest/gtest.h>

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

  /// One call of the entry point: one buffer per input, one output.
  template <typename T>
  std::vector<T> run(std::vector<std::vector<T>> inputs, size_t outputSize) {
    std::vector<T> output(outputSize);
    std::vector<void *> pointers, args;
    for (std::vector<T> &in : inputs)
      pointers.push_back(in.data());
    pointers.push_back(output.data());
    for (void *&p : pointers)
      args.push_back(&p);
    llvm::Error err = engine->invokePacked("main", args);
    EXPECT_FALSE(static_cast<bool>(err));
    llvm::consumeError(std::move(err));
    return output;
  }
  template <typename T>
  std::vector<T> run(std::vector<T> input, size_t outputSize) {
    return run(std::vector<std::vector<T>>{std::move(input)}, outputSize);
  }

private:
  static mlir::DialectRegistry makeRegistry() {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    mlir::DialectRegistry registry;
    mlir::registerAllDialects(registry);
    mlir::registerAllExtensions(registry);
    mlir::registerBuiltinDialectTranslation(registry);
    mlir::registerLLVMDialectTranslation(registry);
    return registry;
  }
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<mlir::ExecutionEngine> engine;
};

} // namespace ft::test

#endif // FUSEDTILING_UNITTESTS_JITMODEL_H
