//===- PathDiscovery.h - Candidate paths and their estimates ----*- C++ -*-===//
//
// Private to lib/Tiling: what ft-auto-tile considers in one round.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_LIB_TILING_PATHDISCOVERY_H
#define FUSEDTILING_LIB_TILING_PATHDISCOVERY_H

#include "FusedTiling/Dialect/FT/Transforms/Tiling.h"
#include "FusedTiling/Tiling/MemoryModel.h"

#include <limits>
#include <string>

namespace ft {

struct DiscoveryOptions {
  bool ffmt = true, fdt = true;
  /// Most MACs the whole function may take after tiling.
  int64_t macLimit = 0;
  /// MACs of the function now.
  int64_t macs = 0;
  /// Most instructions the tiles of the whole function may add besides
  /// MACs in one inference (setting up each tile's layers, line buffers'
  /// copies), and what those applied so far add (the model's).
  int64_t overheadLimit = std::numeric_limits<int64_t>::max();
  int64_t overhead = 0;
  int64_t maxTiles = 64;
  unsigned maxLayers = 12;
  MemoryModelOptions model;
  /// Extra bytes of the tile blocks applied so far, while they run.
  const llvm::DenseMap<mlir::Operation *, int64_t> *scratch = nullptr;
};

/// A path, how to tile it, and what the model expects.
struct Candidate {
  /// Block positions of the ops passed to ft::tilePath (stable across a
  /// clone of the function).
  unsigned firstIndex = 0, lastIndex = 0;
  TilingOptions tiling;
  int64_t estimatedPeak = 0;
  int64_t estimatedMacs = 0;
  /// The tiles' extra bytes while the tile block runs (the model's).
  int64_t estimatedScratch = 0;
  /// Instructions its tiles add besides MACs (see overheadLimit).
  int64_t estimatedOverhead = 0;
  unsigned numOps = 0;
};

/// The model's peak of `block` as it is.
int64_t estimatePeak(mlir::Block &block, const DiscoveryOptions &options);

/// MACs of the ops of `block` outside tile blocks (static shapes).
int64_t countUntiledMacs(mlir::Block &block);

/// Every candidate around the tensors alive at the model's peak, with its
/// best tile count, that the model says lowers the peak; best first.
llvm::SmallVector<Candidate> discoverCandidates(mlir::Block &block,
                                                const DiscoveryOptions &options,
                                                unsigned &numEstimated);

/// Per op, its result's [lo, hi) along the split axis in each tile.
using TileRows = llvm::DenseMap<mlir::Operation *,
                                llvm::SmallVector<std::pair<int64_t, int64_t>>>;

/// Per op whose result gets a line buffer (windows=cache), the rows the
/// buffer keeps along the split axis.
using KeptRows = llvm::DenseMap<mlir::Operation *, int64_t>;

/// The rows of each op of the path from `first` to `last` (as
/// ft::tilePath takes them) that the estimate expects a tile to compute
/// when the path's result is split into `tiles` balanced tiles along
/// `axis`, windows shared (FFMT windows=share), or, for a path FFMT ends in
/// partial sums, its split input; with `kept`, the line buffers it expects
/// with windows=cache. For tests that hold the estimate to the transform's
/// IR. Fails where the estimate refuses the split.
mlir::FailureOr<TileRows> estimateTileRows(mlir::Operation *first,
                                           mlir::Operation *last, int64_t axis,
                                           int64_t tiles,
                                           KeptRows *kept = nullptr);

} // namespace ft

#endif // FUSEDTILING_LIB_TILING_PATHDISCOVERY_H
