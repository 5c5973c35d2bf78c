//===- TensorsToBuffers.h - Tiled tensors to bufferized memrefs -*- C++ -*-===//
//
// The stretch of the lowering between tiling and the arena planner. Both
// the lowering (ft::buildBufferizationPipeline) and ft-auto-tile, which
// plans the arena of every candidate it verifies, build it here from the
// same options, so the arenas auto-tile compares are the ones the lowering
// produces.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_PIPELINES_TENSORSTOBUFFERS_H
#define FUSEDTILING_PIPELINES_TENSORSTOBUFFERS_H

#include "mlir/Pass/PassManager.h"

namespace ft {

/// The lowering's choices between tiling and planning that change what the
/// planner sees (the LowerToLLVMOptions of the same names).
struct TensorsToBuffersOptions {
  /// Reductions accumulate in scalars, read through pads in place
  /// (ft-scalar-accumulation): no padded copy, no accumulator tensor.
  bool scalarAccumulation = true;
  /// Elementwise producers fused into their consumers.
  bool fuseElementwise = true;
  /// Without scalar accumulation: requantizations tiled into their
  /// convolutions' rows (ft-tile-requantization).
  bool tileRequantization = true;
  /// Runs the steps before bufferization inside ft-preserve-layers, so that
  /// ft.layers survive upstream's fusions (the lowering's later passes and
  /// profiles need them; a measurement does not).
  bool keepLayers = false;
};

/// Adds to `pm` (a module pass manager) the steps from tiled linalg on
/// tensors to bufferized memrefs: tile blocks made in-place tensor code,
/// reductions and elementwise ops fused as `options` say, one-shot
/// bufferization with results as out-parameters, partial sums lowered.
mlir::LogicalResult
buildTensorsToBuffersPipeline(mlir::OpPassManager &pm,
                              const TensorsToBuffersOptions &options);

} // namespace ft

#endif // FUSEDTILING_PIPELINES_TENSORSTOBUFFERS_H
