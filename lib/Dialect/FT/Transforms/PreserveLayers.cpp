//===- PreserveLayers.cpp - Keep ft.layers through layer-unaware passes ---===//
//
// The nested pipeline runs as a dynamic pipeline (Pass::runPipeline), as
// upstream's inliner runs its own: instrumentation such as
// -mlir-print-ir-after-all and -mlir-timing sees each nested pass.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Dialect/FT/IR/Layers.h"
#include "FusedTiling/Dialect/FT/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassRegistry.h"

namespace ft {
#define GEN_PASS_DEF_FTPRESERVELAYERS
#include "FusedTiling/Dialect/FT/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {
struct PreserveLayersPass : ft::impl::FTPreserveLayersBase<PreserveLayersPass> {
  using FTPreserveLayersBase::FTPreserveLayersBase;
  PreserveLayersPass(OpPassManager nested) : nested(std::move(nested)) {
    std::string text;
    llvm::raw_string_ostream os(text);
    this->nested.printAsTextualPipeline(os);
    pipeline = text;
  }
  PreserveLayersPass(const PreserveLayersPass &other)
      : FTPreserveLayersBase(other), nested(other.nested) {}

  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override {
    if (failed(Pass::initializeOptions(options, errorHandler)))
      return failure();
    nested = OpPassManager(ModuleOp::getOperationName());
    std::string error;
    llvm::raw_string_ostream errorStream(error);
    if (failed(parsePassPipeline(pipeline, nested, errorStream)))
      return errorHandler("ft-preserve-layers: cannot parse pipeline '" +
                          pipeline + "': " + error);
    return success();
  }

  LogicalResult initialize(MLIRContext *) override {
    // Built from an options struct: the pipeline is only text so far.
    if (nested.empty() && !pipeline.empty() &&
        failed(parsePassPipeline(pipeline, nested)))
      return failure();
    return success();
  }

  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<ft::FTDialect>();
    nested.getDependentDialects(registry);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    ft::carryLayersInLocations(module);
    LogicalResult result = runPipeline(nested, module);
    // Restored even on failure, so that diagnostics and the IR printed on
    // failure read as usual.
    ft::restoreLayersFromLocations(module);
    if (failed(result))
      signalPassFailure();
  }

  OpPassManager nested{ModuleOp::getOperationName()};
};
} // namespace

std::unique_ptr<Pass> ft::createFTPreserveLayers(OpPassManager pipeline) {
  return std::make_unique<PreserveLayersPass>(std::move(pipeline));
}

LogicalResult ft::addPreservingLayers(OpPassManager &pm, StringRef pipeline) {
  OpPassManager nested(ModuleOp::getOperationName());
  if (failed(parsePassPipeline(pipeline, nested)))
    return failure();
  pm.addPass(createFTPreserveLayers(std::move(nested)));
  return success();
}
