//===- Passes.h - FusedTiling conversion passes and pipelines ---*- C++ -*-===//

#ifndef FUSEDTILING_CONVERSION_PASSES_H
#define FUSEDTILING_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace mlir::linalg {
class LinalgDialect;
} // namespace mlir::linalg

namespace ft {

#define GEN_PASS_DECL
#include "FusedTiling/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "FusedTiling/Conversion/Passes.h.inc"

/// Options of the `ft-lower-to-llvm` pipeline.
struct LowerToLLVMOptions {
  /// Run upstream elementwise fusion on linalg before bufferization.
  bool fuseElementwise = true;
};

/// TOSA on tensors -> linalg -> bufferized memrefs -> LLVM dialect. Every
/// public function takes its inputs and then its outputs as bare pointers.
mlir::LogicalResult
buildLowerToLLVMPipeline(mlir::OpPassManager &pm,
                         const LowerToLLVMOptions &options = {});

/// Registers the FusedTiling pipelines with the pass registry.
void registerFTPipelines();

} // namespace ft

#endif // FUSEDTILING_CONVERSION_PASSES_H
