//===- TensorsToBuffers.cpp - Tiled tensors to bufferized memrefs ---------===//
//
// The stretches of upstream passes are spelled in textual form, as in the
// rest of the lowering, so that they read like the equivalent mlir-opt
// command line; what varies comes from the options struct.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Pipelines/TensorsToBuffers.h"

#include "FusedTiling/Dialect/FT/Transforms/Passes.h"
#include "FusedTiling/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include <string>

using namespace mlir;

namespace {
/// Registers the passes the textual stretches name.
void registerTensorsToBuffersPasses() {
  static const bool registered = [] {
    registerTransformsPasses();
    registerLinalgPasses();
    bufferization::registerBufferizationPasses();
    ft::registerFTTransformsPasses();
    ft::registerFTDialectTransformsPasses();
    return true;
  }();
  (void)registered;
}

/// From tiled linalg on tensors to the last step before bufferization.
std::string beforeBufferization(const ft::TensorsToBuffersOptions &options) {
  // Merges inlined, partial sums folded into their convolutions (also for
  // IR tiled before this pipeline, e.g. by ft-opt --ft-tile-path); the tile
  // blocks themselves become loops in one-shot bufferization, which carries
  // each one's output or accumulator as one buffer across the tiles.
  // Resizes' gathers the tiler left whole become linalg too.
  std::string pipeline = "func.func(ft-lower-tile-blocks{loops=false},"
                         "ft-lower-axis-gathers),canonicalize";
  // The innermost reduction loops stay whole: ft-flatten-window-rows
  // (scalar and DSP kernels) or ft-vectorize-reductions takes them.
  if (options.scalarAccumulation)
    pipeline += ",func.func(ft-fold-input-zero-point,ft-scalar-accumulation{"
                "unroll=1})";
  if (options.fuseElementwise)
    pipeline += ",func.func(linalg-fuse-elementwise-ops),canonicalize";
  // After ft-scalar-accumulation no convolution is left for it to match.
  if (options.tileRequantization && !options.scalarAccumulation)
    pipeline += ",func.func(ft-tile-requantization),canonicalize";
  return pipeline;
}

/// Tensors -> memrefs. Results become caller-provided out-params so the
/// entry point is `void f(in..., out...)`.
constexpr const char *kBufferize =
    "eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params{hoist-static-allocs=true "
    "modify-public-functions=true add-result-attr=true},"
    "func.func(ft-lower-partial-sums)";
} // namespace

LogicalResult
ft::buildTensorsToBuffersPipeline(OpPassManager &pm,
                                  const TensorsToBuffersOptions &options) {
  registerTensorsToBuffersPasses();
  const std::string before = beforeBufferization(options);
  // Upstream's passes keep locations but not ft.layers.
  if (failed(options.keepLayers ? addPreservingLayers(pm, before)
                                : parsePassPipeline(before, pm)))
    return failure();
  return parsePassPipeline(kBufferize, pm);
}
