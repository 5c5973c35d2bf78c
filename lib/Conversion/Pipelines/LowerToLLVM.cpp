//===- LowerToLLVM.cpp - TOSA to LLVM dialect pipeline --------------------===//
//
// The whole chain is upstream MLIR; it is spelled in textual form so that it
// reads exactly like the equivalent mlir-opt command line.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Conversion/Passes.h"
#include "FusedTiling/Dialect/FT/Transforms/Passes.h"
#include "FusedTiling/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassRegistry.h"

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
    return true;
  }();
  (void)registered;
}

/// Adds the textual module pipeline `pipeline` to `pm` inside
/// ft-preserve-layers: its passes (upstream conversions and fusions) keep
/// locations but not ft.layers.
LogicalResult addKeepingLayers(OpPassManager &pm, StringRef pipeline) {
  OpPassManager nested(ModuleOp::getOperationName());
  if (failed(parsePassPipeline(pipeline, nested)))
    return failure();
  pm.addPass(ft::createFTPreserveLayers(std::move(nested)));
  return success();
}
} // namespace

LogicalResult ft::buildTosaToLinalgPipeline(OpPassManager &pm,
                                            bool fuseElementwise) {
  registerPipelinePasses();
  std::string pipeline =
      // TOSA -> linalg/arith/tensor; rescales expanded to arith so that no
      // tosa.apply_scale survives.
      "func.func(tosa-to-linalg-named,tosa-to-linalg,"
      "tosa-to-arith{include-apply-rescale=true},tosa-to-tensor),"
      "canonicalize";
  // Elementwise producers fused first: into reductions (a gather into the
  // mean that reads it), so that neither tiling nor the scalar rewrite
  // reads their materialised result. Reshapes stay where they are: the
  // tiler's axes are the layers' TFLite axes.
  if (fuseElementwise)
    pipeline += ",func.func(ft-fuse-layer-elementwise)";
  return addKeepingLayers(pm, pipeline);
}

LogicalResult ft::buildLowerToLLVMPipeline(OpPassManager &pm,
                                           const LowerToLLVMOptions &options) {
  if (failed(buildTosaToLinalgPipeline(pm, options.fuseElementwise)))
    return failure();
  // Names may hold any character, so the passes are built directly
  // rather than through the textual form.
  for (const PathTiling &path : options.tilePaths) {
    FTTilePathOptions tileOptions;
    tileOptions.method = path.method;
    tileOptions.first = path.first;
    tileOptions.last = path.last;
    tileOptions.axes = path.axes;
    tileOptions.tiles = path.tiles;
    tileOptions.windows =
        path.shareWindows ? WindowMode::Share : WindowMode::Recompute;
    pm.addPass(createFTTilePath(tileOptions));
  }
  // MACs counted on the tiled IR, so that FFMT's halo recomputation shows
  // (module attribute ft.macs).
  pm.addPass(createFTCountMacs());
  // Merges inlined, partial sums folded into their convolutions (also for
  // IR tiled before this pipeline, e.g. by ft-opt --ft-tile-path); the tile
  // blocks themselves become loops in one-shot bufferization, which carries
  // each one's output or accumulator as one buffer across the tiles.
  std::string beforeBufferization =
      "func.func(ft-lower-tile-blocks{loops=false}),canonicalize";
  if (options.scalarAccumulation)
    beforeBufferization += ",func.func(ft-scalar-accumulation)";
  if (options.fuseElementwise)
    beforeBufferization += ",func.func(linalg-fuse-elementwise-ops),canonicalize";
  if (options.tileRequantization)
    beforeBufferization += ",func.func(ft-tile-requantization),canonicalize";
  if (failed(addKeepingLayers(pm, beforeBufferization)))
    return failure();
  std::string pipeline;
  pipeline +=
      // Tensors -> memrefs. Results become caller-provided out-params so the
      // entry point is `void f(in..., out...)`.
      "one-shot-bufferize{bufferize-function-boundaries "
      "function-boundary-type-conversion=identity-layout-map},"
      "buffer-results-to-out-params{hoist-static-allocs=true "
      "modify-public-functions=true add-result-attr=true},"
      "func.func(ft-lower-partial-sums),";
  if (options.planArena) {
    // One static arena instead of malloc/free.
    pipeline +=
        "ft-plan-arena{alignment=" + std::to_string(options.arenaAlignment) +
        " io-in-arena=" + (options.ioInArena ? "true" : "false") +
        " arena-argument=" + (options.arenaArgument ? "true" : "false");
    if (!options.memoryReport.empty())
      pipeline += " memory-report=" + options.memoryReport;
    pipeline += "},";
  } else {
    pipeline += "buffer-deallocation-pipeline,";
  }
  const std::string index =
      "index-bitwidth=" + std::to_string(options.indexBitwidth);
  pipeline += "ft-memref-copy-to-linalg,"
              // Loops, then the LLVM dialect with bare-pointer arguments.
              "func.func(convert-linalg-to-loops),ft-approximate-math,"
              "expand-strided-metadata,lower-affine,convert-scf-to-cf,"
              "finalize-memref-to-llvm{" +
              index + "},convert-math-to-llvm," + "convert-arith-to-llvm{" +
              index + "},convert-cf-to-llvm{" + index +
              "},convert-func-to-llvm{use-bare-ptr-memref-call-conv=true " +
              index + "},convert-index-to-llvm{" + index +
              "},reconcile-unrealized-casts";
  return parsePassPipeline(pipeline, pm);
}

namespace {
struct LowerToLLVMPipelineOptions
    : public PassPipelineOptions<LowerToLLVMPipelineOptions> {
  Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Fuse elementwise linalg ops before bufferization"),
      llvm::cl::init(true)};
  Option<bool> scalarAccumulation{
      *this, "scalar-accumulation",
      llvm::cl::desc("Compute reductions one output element at a time in a "
                     "scalar accumulator (ft-scalar-accumulation)"),
      llvm::cl::init(true)};
  Option<bool> tileRequantization{
      *this, "tile-requantization",
      llvm::cl::desc("Compute convolutions one output row at a time with "
                     "their requantization (ft-tile-requantization)"),
      llvm::cl::init(true)};
  Option<bool> planArena{
      *this, "plan-arena",
      llvm::cl::desc("Place all buffers in one static arena (ft-plan-arena) "
                     "instead of malloc/free"),
      llvm::cl::init(true)};
  Option<int64_t> arenaAlignment{*this, "arena-alignment",
                                 llvm::cl::desc("Arena offset alignment"),
                                 llvm::cl::init(16)};
  Option<bool> ioInArena{
      *this, "io-in-arena",
      llvm::cl::desc("Model inputs and outputs live in the arena and are "
                     "reached through accessor functions"),
      llvm::cl::init(true)};
  Option<bool> arenaArgument{
      *this, "arena-argument",
      llvm::cl::desc("The caller passes the arena as a trailing argument"),
      llvm::cl::init(false)};
  Option<std::string> memoryReport{
      *this, "memory-report",
      llvm::cl::desc("Write the arena plan as JSON to this file")};
  Option<unsigned> indexBitwidth{
      *this, "index-bitwidth",
      llvm::cl::desc("Bitwidth of index in the LLVM dialect (0: host word; "
                     "32 for riscv32)"),
      llvm::cl::init(0)};
};
} // namespace

void ft::registerFTPipelines() {
  PassPipelineRegistration<>(
      "ft-tosa-to-linalg",
      "The front of ft-lower-to-llvm: TOSA to linalg on tensors, elementwise "
      "ops fused; what ft-tile-path runs on",
      [](OpPassManager &pm) {
        if (failed(buildTosaToLinalgPipeline(pm, /*fuseElementwise=*/true)))
          llvm::errs() << "ft-tosa-to-linalg: could not build the pipeline\n";
      });
  PassPipelineRegistration<LowerToLLVMPipelineOptions>(
      "ft-lower-to-llvm",
      "Lower TOSA on tensors to the LLVM dialect: tosa-to-linalg, "
      "one-shot bufferization, results as out-params (bare pointers), loops, "
      "LLVM",
      [](OpPassManager &pm, const LowerToLLVMPipelineOptions &opts) {
        LowerToLLVMOptions options;
        options.fuseElementwise = opts.fuseElementwise;
        options.planArena = opts.planArena;
        options.scalarAccumulation = opts.scalarAccumulation;
        options.tileRequantization = opts.tileRequantization;
        options.arenaAlignment = opts.arenaAlignment;
        options.ioInArena = opts.ioInArena;
        options.arenaArgument = opts.arenaArgument;
        options.memoryReport = opts.memoryReport;
        options.indexBitwidth = opts.indexBitwidth;
        if (failed(buildLowerToLLVMPipeline(pm, options)))
          llvm::errs() << "ft-lower-to-llvm: could not build the pipeline\n";
      });
}
