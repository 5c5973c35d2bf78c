//===- Passes.h - FusedTiling conversion passes and pipelines ---*- C++ -*-===//

#ifndef FUSEDTILING_CONVERSION_PASSES_H
#define FUSEDTILING_CONVERSION_PASSES_H

#include "FusedTiling/Dialect/FT/Transforms/Tiling.h"

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

#include <string>
#include <vector>

namespace mlir::linalg {
class LinalgDialect;
} // namespace mlir::linalg
namespace mlir::arith {
class ArithDialect;
} // namespace mlir::arith
namespace mlir::math {
class MathDialect;
} // namespace mlir::math
namespace mlir::vector {
class VectorDialect;
} // namespace mlir::vector

namespace ft {

#define GEN_PASS_DECL
#include "FusedTiling/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "FusedTiling/Conversion/Passes.h.inc"

/// Options of the `ft-lower-to-llvm` pipeline.
struct LowerToLLVMOptions {
  /// Run upstream elementwise fusion on linalg before bufferization.
  bool fuseElementwise = true;
  /// Fused paths to tile (ft-tile-path), in order, before anything else.
  std::vector<PathTiling> tilePaths;
  /// Compute every reduction (convolution, matmul, pooling) one output
  /// element at a time in a scalar accumulator (ft-scalar-accumulation), so
  /// neither an accumulator nor a padded copy exists.
  bool scalarAccumulation = true;
  /// Compute each remaining convolution row by row with its requantization
  /// (ft-tile-requantization), so no whole int32 accumulator exists.
  bool tileRequantization = true;
  /// Place every buffer in one static arena (ft-plan-arena); otherwise
  /// buffers are heap allocations freed by upstream buffer deallocation.
  bool planArena = true;
  /// ft-plan-arena options.
  int64_t arenaAlignment = 16;
  bool ioInArena = true;
  bool arenaArgument = false;
  std::string memoryReport;
  /// Bitwidth of `index` in the LLVM dialect (0: the host's pointer size);
  /// 32 for riscv32.
  unsigned indexBitwidth = 0;
};

/// TOSA on tensors -> linalg on tensors (and arith, tensor), elementwise ops
/// fused when `fuseElementwise`: the IR the tiling transforms run on.
mlir::LogicalResult buildTosaToLinalgPipeline(mlir::OpPassManager &pm,
                                              bool fuseElementwise = true);

/// TOSA on tensors -> linalg -> bufferized memrefs -> LLVM dialect. Every
/// public function takes its inputs and then its outputs as bare pointers.
mlir::LogicalResult
buildLowerToLLVMPipeline(mlir::OpPassManager &pm,
                         const LowerToLLVMOptions &options = {});

/// Registers the FusedTiling pipelines with the pass registry.
void registerFTPipelines();

} // namespace ft

#endif // FUSEDTILING_CONVERSION_PASSES_H
