//===- CandidateCost.cpp - Run time and ranking of candidates -------------===//
//
// Tiles cost run time besides their MACs: each tile sets up every layer it
// computes, line buffers copy their rows, and a skewed schedule's many
// small tiles compute a few rows or columns at a time. Without a model of
// it, the smallest arena wins at any price (mw at 8 tiles per output tile:
// 9 % less arena for 28 % more rv32 instructions).
//
//===----------------------------------------------------------------------===//

#include "CandidateCost.h"

#include "FusedTiling/Dialect/FT/IR/Layers.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>
#include <tuple>

using namespace mlir;
using namespace ft;

namespace {
/// Per layer and tile: its window, tables and loops.
constexpr int64_t kInstructionsPerLayerAndTile = 32;
/// Word copies.
constexpr int64_t kInstructionsPerByteCopied = 1;
/// A quarter of a MAC's instructions, lost with the blocks of two output
/// positions (Cortex-M4: pos_sub's 30 column tiles at 2 steps, +7 %).
constexpr double kInstructionsLostPerUnblockedMac = 1.0;
} // namespace

int64_t TileOverhead::estimate(int64_t steps, int64_t prime) const {
  // Each tile sets up its layers and copies the rows its line buffers keep
  // into its windows and the windows' last rows back (twice their bytes).
  double perTile = layers * kInstructionsPerLayerAndTile +
                   2.0 * keptBytes * kInstructionsPerByteCopied;
  double unblocked = 0;
  if (steps > 1) {
    for (const Op &op : ops) {
      // Several tiles per output tile compute each layer a few rows at a
      // time: about one row more per layer and tile (rv32: cif's first
      // convolution, 2,100 instructions per extra tile).
      perTile += std::ceil(op.rowBytes) * kInstructionsPerByteCopied;
      // Fewer than two columns per tile: no blocks of output positions.
      if (walksColumns && op.rate < 2 * steps)
        unblocked += op.macs * kInstructionsLostPerUnblockedMac;
    }
  }
  // A priming tile computes the earlier layers only, and its line buffers
  // are still filling: about half of a tile.
  const int64_t computing = walkingTiles * steps;
  return static_cast<int64_t>(
      std::llround(bands * (2 * computing + prime) * perTile / 2 + unblocked));
}

int64_t ft::countLayers(const PathOps &path,
                        function_ref<bool(Operation *)> counts) {
  llvm::StringSet<> names;
  int64_t unnamed = 0;
  for (auto [op, isPrivate] : llvm::zip(path.ops, path.isPrivate)) {
    if (isPrivate || !isa<linalg::LinalgOp>(op) || !counts(op))
      continue;
    SmallVector<LayerAttr> layers = getLayers(op);
    unnamed += layers.empty();
    for (LayerAttr layer : layers)
      names.insert(layer.getName());
  }
  return names.size() + unnamed;
}

int64_t ft::tilesProduct(const Candidate &c) {
  int64_t product = 1;
  for (int64_t t : c.tiling.tiles)
    product *= t;
  return product;
}

bool ft::better(const Candidate &a, const Candidate &b) {
  auto key = [](const Candidate &c) {
    return std::make_tuple(
        c.estimatedPeak, c.estimatedMacs, c.estimatedOverhead, c.tiling.steps,
        tilesProduct(c), c.tiling.prime, c.numOps, c.firstIndex, c.lastIndex,
        c.tiling.method == TilingMethod::FFMT, c.tiling.axes);
  };
  return key(a) < key(b);
}

void BestCounts::consider(const Candidate &candidate) {
  if (!best || better(candidate, *best))
    best = candidate;
  if (!mostTiles || candidate.estimatedPeak < mostTiles->estimatedPeak ||
      (candidate.estimatedPeak == mostTiles->estimatedPeak &&
       tilesProduct(candidate) > tilesProduct(*mostTiles)))
    mostTiles = candidate;
}

SmallVector<Candidate> BestCounts::take() const {
  SmallVector<Candidate> found;
  if (best)
    found.push_back(*best);
  if (mostTiles && best && mostTiles->estimatedPeak == best->estimatedPeak &&
      tilesProduct(*mostTiles) != tilesProduct(*best))
    found.push_back(*mostTiles);
  return found;
}
