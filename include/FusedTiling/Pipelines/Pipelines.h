//===- Pipelines.h - The lowering pipelines of FusedTiling ------*- C++ -*-===//
//
// One library builds the pipelines every tool runs: `ft-opt
// --ft-lower-to-llvm`, ft-run and ft-compile share LowerToLLVMOptions, whose
// options are declared once (LowerToLLVMOptions.def), as CIRCT's firtool
// shares FirtoolOptions.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_PIPELINES_PIPELINES_H
#define FUSEDTILING_PIPELINES_PIPELINES_H

#include "FusedTiling/Dialect/FT/Transforms/Tiling.h"
#include "FusedTiling/Planning/ArenaPlanning.h"
#include "FusedTiling/Tiling/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"

#include <string>
#include <vector>

namespace ft {

/// Options of the `ft-lower-to-llvm` pipeline.
struct LowerToLLVMOptions {
#define FT_OPTION(TYPE, FIELD, FLAG, DEFAULT, DESCRIPTION) TYPE FIELD = DEFAULT;
#include "FusedTiling/Pipelines/LowerToLLVMOptions.def"
  /// Fused paths to tile (ft-tile-path), in order, before anything else.
  std::vector<PathTiling> tilePaths;

  /// Why these options cannot build a pipeline (an alignment that is not a
  /// power of two, an index bitwidth other than 0, 32 or 64, a report file
  /// that cannot be written), or an empty string.
  std::string validate() const;

  /// `tiling` as an enum (nullopt when it names none).
  std::optional<AutoTilingMethod> getTilingMethod() const;
};

/// TOSA on tensors -> linalg on tensors (and arith, tensor), elementwise ops
/// fused within layers when `fuseElementwise`: the IR the tiling transforms
/// run on. The ops keep their ft.layers. `wideMultiply`: requantizations'
/// rounding high multiplies on i64 products (ft-lower-apply-scale's option,
/// for Arm's DSP instructions).
mlir::LogicalResult buildTosaToLinalgPipeline(mlir::OpPassManager &pm,
                                              bool fuseElementwise = true,
                                              bool wideMultiply = false);

/// TOSA on tensors -> linalg -> bufferized memrefs -> LLVM dialect. Every
/// public function takes its inputs and then its outputs as bare pointers
/// (or, with the arena's I/O, none). Fails, with a diagnostic, on options
/// that validate() refuses.
mlir::LogicalResult
buildLowerToLLVMPipeline(mlir::OpPassManager &pm,
                         const LowerToLLVMOptions &options = {});

/// The front of buildLowerToLLVMPipeline, up to bufferized memrefs (the
/// arena not yet planned): inlining, the input check, TOSA to linalg,
/// tiling, bufferization.
mlir::LogicalResult
buildBufferizationPipeline(mlir::OpPassManager &pm,
                           const LowerToLLVMOptions &options = {});

/// The arena and LOAD each function of a module (TOSA or linalg on
/// tensors, tiled or not) would get under `options`, measured on a
/// bufferized clone: the module is unchanged. What path discovery asks of
/// each candidate. Fails with a diagnostic where lowering would.
mlir::FailureOr<llvm::SmallVector<std::pair<std::string, ArenaFigures>>>
measureArenas(mlir::ModuleOp module, const LowerToLLVMOptions &options = {});

/// Registers the FusedTiling pipelines with the pass registry.
void registerFTPipelines();

/// Registers every LowerToLLVMOptions option, and --tile-path, as
/// command-line flags (ft-run, ft-compile), in the category returned by
/// getLowerToLLVMCLCategory().
void registerLowerToLLVMCLOptions();
const llvm::cl::OptionCategory &getLowerToLLVMCLCategory();

/// What a compiler driver (ft-run, ft-compile) offers besides its own
/// flags: the lowering options and MLIR's context, printing, pass-manager
/// and timing flags.
void registerCompilerCLOptions();

/// Applies MLIR's pass-manager and timing flags to `pm`.
mlir::LogicalResult applyCompilerCLOptions(mlir::PassManager &pm);

/// Drops remarks unless the command line gave --remarks (a driver's
/// diagnostics stay errors and warnings by default). Install it after the
/// driver's own handler.
std::unique_ptr<mlir::ScopedDiagnosticHandler>
createRemarkFilter(mlir::MLIRContext *context);

/// A line for a driver's --help about MLIR's flags.
extern const char *const kMLIRFlagsHelp;

/// The options the command line gave (registerLowerToLLVMCLOptions), the
/// tile path specs parsed. On a malformed spec, sets `error`.
mlir::FailureOr<LowerToLLVMOptions>
getLowerToLLVMOptionsFromCL(std::string &error);

} // namespace ft

#endif // FUSEDTILING_PIPELINES_PIPELINES_H
