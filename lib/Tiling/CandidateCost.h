//===- CandidateCost.h - Run time and ranking of candidates -----*- C++ -*-===//
//
// Private to lib/Tiling: what a candidate's tiles cost in run time besides
// MACs, and the order in which the estimate ranks candidates.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_LIB_TILING_CANDIDATECOST_H
#define FUSEDTILING_LIB_TILING_CANDIDATECOST_H

#include "PathDiscovery.h"

#include <optional>

namespace ft {

/// The scalar kernels' run time per MAC, in instructions (rv32 and
/// Armv7E-M): what the tiles' overhead is measured against.
constexpr int64_t kInstructionsPerMac = 4;

/// The run time an FFMT tile block's tiles add besides MACs, in
/// instructions: a model of the scalar kernels, fitted to rv32 and
/// Cortex-M4 counts of kws, cif, mw, ssd and pos_sub.
struct TileOverhead {
  /// Tiles of the axes the tiles do not walk (a grid's bands).
  int64_t bands = 1;
  /// Output tiles along the walking axis.
  int64_t walkingTiles = 1;
  /// Whether the tiles walk columns, along which the kernels block output
  /// positions.
  bool walksColumns = false;
  /// Layers each tile computes.
  int64_t layers = 0;
  /// Bytes the line buffers keep (per band).
  int64_t keptBytes = 0;
  /// Each op the tiles compute along the walking axis: one row of its
  /// result in a band (bytes), the rows it advances per output tile, its
  /// MACs.
  struct Op {
    double rowBytes = 0;
    int64_t rate = 0, macs = 0;
  };
  llvm::SmallVector<Op> ops;

  /// With `steps` tiles per output tile and `prime` priming tiles.
  int64_t estimate(int64_t steps, int64_t prime) const;
};

/// The layers among a path's ops for which `counts` (an op and the
/// elementwise ops fused into it are one; in IR without layers each linalg
/// op is one; private producers compute none).
int64_t countLayers(const PathOps &path,
                    llvm::function_ref<bool(mlir::Operation *)> counts);

int64_t tilesProduct(const Candidate &c);

/// The estimate's order: less peak, fewer MACs, less overhead, fewer tiles.
bool better(const Candidate &a, const Candidate &b);

/// The best tile count of one (path, method, axes) by the estimate, and the
/// most tiles that the estimate ties with it: the planner's alignment and
/// fragmentation can separate them, so both are worth verifying.
struct BestCounts {
  std::optional<Candidate> best, mostTiles;

  void consider(const Candidate &candidate);
  llvm::SmallVector<Candidate> take() const;
};

} // namespace ft

#endif // FUSEDTILING_LIB_TILING_CANDIDATECOST_H
