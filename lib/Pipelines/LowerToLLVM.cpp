//===- LowerToLLVM.cpp - TOSA to LLVM dialect pipeline --------------------===//
//
// The chain is upstream MLIR with FusedTiling's passes in between; the
// stretches of upstream passes are spelled in textual form so that they
// read exactly like the equivalent mlir-opt command line.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Conversion/Passes.h"
#include "FusedTiling/Dialect/FT/Transforms/Passes.h"
#include "FusedTiling/Pipelines/Pipelines.h"
#include "FusedTiling/Pipelines/TensorsToBuffers.h"
#include "FusedTiling/Planning/ArenaPlanning.h"
#include "FusedTiling/Planning/Passes.h"
#include "FusedTiling/Tiling/Passes.h"
#include "FusedTiling/Transforms/Passes.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/ManagedStatic.h"
#include "llvm/Support/MathExtras.h"

#include <string>

using namespace mlir;

namespace {
/// The textual pipelines name passes through the registry: registers the
/// ones used here, whichever tool builds a pipeline.
void registerPipelinePasses() {
  static const bool registered = [] {
    registerAllPasses();
    ft::registerFTConversionPasses();
    ft::registerFTTransformsPasses();
    ft::registerFTDialectTransformsPasses();
    ft::registerFTPlanningPasses();
    ft::registerFTTilingPasses();
    return true;
  }();
  (void)registered;
}

} // namespace

std::optional<ft::AutoTilingMethod>
ft::LowerToLLVMOptions::getTilingMethod() const {
  return llvm::StringSwitch<std::optional<AutoTilingMethod>>(tiling)
      .Case("none", AutoTilingMethod::None)
      .Case("ffmt", AutoTilingMethod::FFMT)
      .Case("fdt", AutoTilingMethod::FDT)
      .Case("auto", AutoTilingMethod::Auto)
      .Default(std::nullopt);
}

std::string ft::LowerToLLVMOptions::validate() const {
  if (!getTilingMethod())
    return "tiling=" + tiling + " is not none, ffmt, fdt or auto";
  if (!(macBudget >= 0))
    return "mac-budget=" + llvm::formatv("{0}", macBudget).str() +
           " is negative (a percentage of the untiled MACs)";
  if (!(overheadBudget >= 0))
    return "overhead-budget=" + llvm::formatv("{0}", overheadBudget).str() +
           " is negative (a percentage of the untiled run time)";
  if (arenaAlignment <= 0 || !llvm::isPowerOf2_64(arenaAlignment))
    return "arena-alignment=" + std::to_string(arenaAlignment) +
           " is not a power of two";
  if (kernels != "auto" && kernels != "scalar" && kernels != "arm-dsp" &&
      kernels != "riscv-v")
    return "kernels=" + kernels + " is not auto, scalar, arm-dsp or riscv-v";
  if (indexBitwidth != 0 && indexBitwidth != 32 && indexBitwidth != 64)
    return "index-bitwidth=" + std::to_string(indexBitwidth) +
           " is not 0 (the host's), 32 or 64";
  if (splitWindowChecks && kernels == "riscv-v")
    return "split-window-checks is for scalar and DSP kernels: with "
           "kernels=riscv-v a checked row is a masked vector load";
  if (arenaArgument && !planArena)
    return "arena-argument needs plan-arena: without an arena there is "
           "nothing to pass";
  if (!memoryReport.empty()) {
    if (!planArena)
      return "memory-report needs plan-arena: the report is the arena's "
             "plan";
    // Written at the end of the pipeline: find out now that it cannot be.
    std::error_code error;
    llvm::raw_fd_ostream probe(memoryReport, error, llvm::sys::fs::OF_Append);
    if (error)
      return "cannot write the memory report '" + memoryReport +
             "': " + error.message();
  }
  return {};
}

namespace {
/// The lowering's stretch between tiling and planning, as `options` say.
ft::TensorsToBuffersOptions
getTensorsToBuffersOptions(const ft::LowerToLLVMOptions &options) {
  ft::TensorsToBuffersOptions stretch;
  stretch.scalarAccumulation = options.scalarAccumulation;
  stretch.fuseElementwise = options.fuseElementwise;
  stretch.tileRequantization = options.tileRequantization;
  return stretch;
}
} // namespace

LogicalResult ft::buildTosaToLinalgPipeline(OpPassManager &pm,
                                            bool fuseElementwise,
                                            bool wideMultiply) {
  registerPipelinePasses();
  std::string pipeline =
      // Transposed convolutions as convolutions, then TOSA ->
      // linalg/arith/tensor; rescales expanded to arith so that no
      // tosa.apply_scale survives, in 32-bit steps where ranges allow.
      "func.func(tosa-to-scf,ft-decompose-transpose-conv,tosa-to-linalg-named,"
      "tosa-to-linalg,tosa-to-arith{include-apply-rescale=false},"
      "ft-lower-apply-scale{wide-multiply=" +
      std::string(wideMultiply ? "true" : "false") +
      "},tosa-to-tensor),"
      "canonicalize";
  // Elementwise producers fused first: into reductions (a gather into the
  // mean that reads it), so that neither tiling nor the scalar rewrite
  // reads their materialised result. Reshapes stay where they are: the
  // tiler's axes are the layers' TFLite axes.
  if (fuseElementwise)
    pipeline += ",func.func(ft-fuse-layer-elementwise)";
  // Upstream's passes keep locations but not ft.layers.
  return addPreservingLayers(pm, pipeline);
}

LogicalResult
ft::buildBufferizationPipeline(OpPassManager &pm,
                               const LowerToLLVMOptions &options) {
  registerPipelinePasses();
  // Calls inlined (no canonicalization: the TOSA stays as written), then
  // what cannot be lowered refused with one diagnostic at its op.
  if (failed(parsePassPipeline("inline{default-pipeline=},ft-check-lowerable",
                               pm)))
    return failure();
  if (failed(buildTosaToLinalgPipeline(pm, options.fuseElementwise,
                                       options.kernels == "arm-dsp")))
    return failure();
  // Paths named on the command line take precedence over automatic tiling.
  if (options.tilePaths.empty() &&
      options.getTilingMethod() != AutoTilingMethod::None) {
    FTAutoTileOptions autoOptions;
    autoOptions.method = *options.getTilingMethod();
    autoOptions.macBudget = options.macBudget;
    autoOptions.overheadBudget = options.overheadBudget;
    autoOptions.alignment = options.arenaAlignment;
    autoOptions.ioInArena = options.ioInArena;
    autoOptions.scalarAccumulation = options.scalarAccumulation;
    autoOptions.fuseElementwise = options.fuseElementwise;
    autoOptions.tileRequantization = options.tileRequantization;
    pm.addPass(createFTAutoTile(autoOptions));
  }
  // Names may hold any character, so the passes are built directly
  // rather than through the textual form.
  for (const PathTiling &path : options.tilePaths) {
    FTTilePathOptions tileOptions;
    tileOptions.method = path.method;
    tileOptions.first = path.first;
    tileOptions.last = path.last;
    tileOptions.axes = path.axes;
    tileOptions.tiles = path.tiles;
    tileOptions.windows = path.windows;
    tileOptions.prime = path.prime;
    tileOptions.steps = path.steps;
    pm.addPass(createFTTilePath(tileOptions));
  }
  // MACs counted on the tiled IR, so that FFMT's halo recomputation shows
  // (module attribute ft.macs). It instantiates the function once per tile:
  // only when asked.
  if (options.countMacs)
    pm.addPass(createFTCountMacs());
  ft::TensorsToBuffersOptions stretch = getTensorsToBuffersOptions(options);
  stretch.keepLayers = true;
  if (failed(buildTensorsToBuffersPipeline(pm, stretch)))
    return failure();
  // Functions with state (variable tensors) get `<name>_reset()`.
  pm.addPass(createFTCreateStateReset());
  return success();
}

LogicalResult ft::buildLowerToLLVMPipeline(OpPassManager &pm,
                                           const LowerToLLVMOptions &options) {
  registerPipelinePasses();
  if (std::string why = options.validate(); !why.empty()) {
    llvm::errs() << "error: ft-lower-to-llvm: " << why << "\n";
    return failure();
  }
  if (failed(buildBufferizationPipeline(pm, options)))
    return failure();
  std::string pipeline;
  if (options.planArena) {
    // One static arena instead of malloc/free.
    FTPlanArenaOptions arenaOptions;
    arenaOptions.alignment = options.arenaAlignment;
    arenaOptions.ioInArena = options.ioInArena;
    arenaOptions.arenaArgument = options.arenaArgument;
    arenaOptions.memoryReport = options.memoryReport;
    pm.addPass(createFTPlanArena(arenaOptions));
  } else {
    pipeline = "buffer-deallocation-pipeline,";
  }
  const std::string index =
      "index-bitwidth=" + std::to_string(options.indexBitwidth);
  // Rows copied a word at a time; unaligned words on the Arm DSP cores.
  pipeline += options.kernels == "arm-dsp"
                  ? "ft-memref-copy-to-linalg{unaligned-words=true},"
                  : "ft-memref-copy-to-linalg,";
  // Padded windows: the interior without bounds checks, the border apart.
  if (options.scalarAccumulation && options.peelWindowEdges)
    pipeline += "func.func(ft-peel-window-edges),";
  // A border's window loops split on their checks, when asked.
  if (options.scalarAccumulation && options.splitWindowChecks &&
      options.kernels != "riscv-v")
    pipeline += "func.func(ft-split-window-checks),";
  // Reductions over contiguous runs as scalable vector dot products, or as
  // one loop per window row: unrolled by 4 for the DSP's word loads; for
  // scalar cores only short integer loops, whole (measured on rv32:
  // unrolling longer ones makes LLVM hoist their loads into spills), and
  // float loops by 4 (cif: 3.55 instructions per MAC unrolled, 3.75 not).
  if (options.scalarAccumulation)
    pipeline += options.kernels == "riscv-v"
                    ? "func.func(ft-vectorize-reductions),"
                : options.kernels == "arm-dsp"
                    ? "func.func(ft-flatten-window-rows{unroll=4}),"
                    : "func.func(ft-flatten-window-rows{unroll=1 "
                      "unroll-whole=8 float-unroll=4}),";
  // Several output channels per iteration of the fused loop nests (on the
  // planned buffers: views of them, no copy), and with scalar and DSP
  // kernels 2 output positions too where the reduction checks no bounds:
  // each weight read serves both (kws on rv32: 12.17 -> 11.14 million
  // instructions; on the M4, with ft-arm-dual-mac's 2 x 2 kernels, 8.11
  // -> 6.65).
  // With vectors, a nest whose channels share no read (depthwise) stays
  // whole: LLVM's vectoriser runs it across its channels.
  if (options.scalarAccumulation)
    pipeline += options.kernels == "riscv-v"
                    ? "func.func(ft-block-output-channels{shared-reads-only}),"
                : options.blockPositions
                    ? "func.func(ft-block-output-channels{pixels=2}),"
                    : "func.func(ft-block-output-channels),";
  // The target's dual multiply-accumulates in those loops.
  if (options.kernels == "arm-dsp")
    pipeline += "func.func(ft-arm-dual-mac),";
  // Each layer's code is still one linalg op (or a run of them).
  if (options.profileLayers)
    pipeline += "ft-profile-layers,";
  // Loops, then the LLVM dialect with bare-pointer arguments.
  pipeline += "func.func(convert-linalg-to-loops),ft-approximate-math,";
  if (options.runtimeChecks)
    pipeline += "generate-runtime-verification,";
  pipeline += "expand-strided-metadata,lower-affine,convert-scf-to-cf,"
              "ft-convert-vector-to-llvm{" +
              index + "},finalize-memref-to-llvm{" + index +
              "},convert-math-to-llvm,convert-arith-to-llvm{" + index +
              "},convert-cf-to-llvm{" + index +
              "},convert-func-to-llvm{use-bare-ptr-memref-call-conv=true " +
              index + "},convert-index-to-llvm{" + index +
              "},reconcile-unrealized-casts";
  return parsePassPipeline(pipeline, pm);
}

FailureOr<SmallVector<std::pair<std::string, ft::ArenaFigures>>>
ft::measureArenas(ModuleOp module, const LowerToLLVMOptions &options) {
  OwningOpRef<ModuleOp> clone(module.clone());
  PassManager pm(module.getContext());
  if (failed(buildBufferizationPipeline(pm, options)) || failed(pm.run(*clone)))
    return failure();
  ArenaPlanningOptions planning;
  planning.alignment = options.arenaAlignment;
  planning.ioInArena = options.ioInArena;
  return queryModuleArenas(*clone, planning);
}

namespace {
/// `ft-opt --ft-lower-to-llvm{...}`: LowerToLLVMOptions as pass pipeline
/// options.
struct LowerToLLVMPipelineOptions
    : public PassPipelineOptions<LowerToLLVMPipelineOptions> {
#define FT_OPTION(TYPE, FIELD, FLAG, DEFAULT, DESCRIPTION)                     \
  Option<TYPE> FIELD{*this, FLAG, llvm::cl::desc(DESCRIPTION),                 \
                     llvm::cl::init(DEFAULT)};
#include "FusedTiling/Pipelines/LowerToLLVMOptions.def"
  ListOption<std::string> tilePaths{
      *this, "tile-path",
      llvm::cl::desc(std::string(ft::kPathTilingHelp) +
                     ". Specs are separated by commas: quote one that "
                     "holds commas inside braces, "
                     "tile-path={'ffmt first=a last=b axes=1,2 tiles=4,2'}")};
};
} // namespace

void ft::registerFTPipelines() {
  PassPipelineRegistration<>(
      "ft-tosa-to-linalg",
      "The front of ft-lower-to-llvm: TOSA to linalg on tensors, elementwise "
      "ops fused within layers, ft.layers kept; what ft-tile-path runs on",
      [](OpPassManager &pm) {
        if (failed(buildTosaToLinalgPipeline(pm, /*fuseElementwise=*/true)))
          llvm::errs() << "ft-tosa-to-linalg: could not build the pipeline\n";
      });
  // Registered directly (not through PassPipelineRegistration) so that
  // options the pipeline refuses fail the command line.
  registerPassPipeline(
      "ft-lower-to-llvm",
      "Lower TOSA on tensors to the LLVM dialect: tosa-to-linalg, tiling, "
      "one-shot bufferization, the static arena, loops, LLVM",
      [](OpPassManager &pm, StringRef text,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        LowerToLLVMPipelineOptions parsed;
        if (failed(parsed.parseFromString(text)))
          return failure();
        LowerToLLVMOptions options;
#define FT_OPTION(TYPE, FIELD, FLAG, DEFAULT, DESCRIPTION)                     \
  options.FIELD = parsed.FIELD;
#include "FusedTiling/Pipelines/LowerToLLVMOptions.def"
        std::vector<std::string> specs(parsed.tilePaths.begin(),
                                       parsed.tilePaths.end());
        std::string error;
        if (failed(parsePathTilings(specs, options.tilePaths, error)))
          return errorHandler("ft-lower-to-llvm: " + error);
        if (std::string why = options.validate(); !why.empty())
          return errorHandler("ft-lower-to-llvm: " + why);
        return buildLowerToLLVMPipeline(pm, options);
      },
      [](function_ref<void(const mlir::detail::PassOptions &)> handler) {
        handler(LowerToLLVMPipelineOptions());
      });
}

//===----------------------------------------------------------------------===//
// Command-line flags
//===----------------------------------------------------------------------===//

namespace {
llvm::cl::OptionCategory &lowerToLLVMCategory() {
  static llvm::cl::OptionCategory category(
      "Lowering options (those of ft-opt --ft-lower-to-llvm)");
  return category;
}

/// The flags, created once on registration.
struct LowerToLLVMCLOptions {
#define FT_OPTION(TYPE, FIELD, FLAG, DEFAULT, DESCRIPTION)                     \
  llvm::cl::opt<TYPE> FIELD{FLAG, llvm::cl::desc(DESCRIPTION),                 \
                            llvm::cl::init(DEFAULT),                           \
                            llvm::cl::cat(lowerToLLVMCategory())};
#include "FusedTiling/Pipelines/LowerToLLVMOptions.def"
  llvm::cl::list<std::string> tilePaths{"tile-path",
                                        llvm::cl::desc(ft::kPathTilingHelp),
                                        llvm::cl::cat(lowerToLLVMCategory())};
  llvm::cl::opt<bool> remarks{
      "remarks",
      llvm::cl::desc("Print the compiler's remarks: ft-auto-tile's, one per "
                     "applied path (its layers, method, tiles, the arena and "
                     "MACs before and after, a --tile-path spec that replays "
                     "it)"),
      llvm::cl::init(false), llvm::cl::cat(lowerToLLVMCategory())};
};
llvm::ManagedStatic<LowerToLLVMCLOptions> clOptions;
} // namespace

void ft::registerLowerToLLVMCLOptions() {
  *clOptions;
  // Pass names on the command line (--mlir-print-ir-after=ft-plan-arena)
  // resolve through the registry.
  registerPipelinePasses();
}

void ft::registerCompilerCLOptions() {
  registerLowerToLLVMCLOptions();
  registerMLIRContextCLOptions();
  registerAsmPrinterCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
}

LogicalResult ft::applyCompilerCLOptions(PassManager &pm) {
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  auto timing = std::make_unique<DefaultTimingManager>();
  applyDefaultTimingManagerCLOptions(*timing);
  pm.enableTiming(std::move(timing));
  return success();
}

const char *const ft::kMLIRFlagsHelp =
    "MLIR's pass-manager flags work too (--mlir-print-ir-after-all, "
    "--mlir-print-ir-after-failure, --mlir-timing, --mlir-pass-statistics, "
    "--mlir-pass-pipeline-crash-reproducer=FILE, ...; --help-hidden lists "
    "them).\n";

const llvm::cl::OptionCategory &ft::getLowerToLLVMCLCategory() {
  return lowerToLLVMCategory();
}

std::unique_ptr<ScopedDiagnosticHandler>
ft::createRemarkFilter(MLIRContext *context) {
  const bool show = clOptions.isConstructed() && clOptions->remarks;
  return std::make_unique<ScopedDiagnosticHandler>(
      context, [show](Diagnostic &diag) -> LogicalResult {
        return success(!show &&
                       diag.getSeverity() == DiagnosticSeverity::Remark);
      });
}

FailureOr<ft::LowerToLLVMOptions>
ft::getLowerToLLVMOptionsFromCL(std::string &error) {
  LowerToLLVMOptions options;
  if (!clOptions.isConstructed())
    return options;
#define FT_OPTION(TYPE, FIELD, FLAG, DEFAULT, DESCRIPTION)                     \
  options.FIELD = clOptions->FIELD;
#include "FusedTiling/Pipelines/LowerToLLVMOptions.def"
  std::vector<std::string> specs(clOptions->tilePaths.begin(),
                                 clOptions->tilePaths.end());
  if (failed(parsePathTilings(specs, options.tilePaths, error)))
    return failure();
  return options;
}
