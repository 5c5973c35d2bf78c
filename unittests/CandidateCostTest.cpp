//===- CandidateCostTest.cpp - The tiles' run-time model ------------------===//
//
// ft-auto-tile rejects candidates whose tiles the run-time model says cost
// more than overhead-budget: these pin down what the model charges for.
//
//===----------------------------------------------------------------------===//

#include "../lib/Tiling/CandidateCost.h"

#include <gtest/gtest.h>

using namespace ft;

namespace {

TileOverhead rowTiles() {
  TileOverhead overhead;
  overhead.walkingTiles = 10;
  overhead.layers = 3;
  // Two layers along the rows: 64-byte rows, 1 and 2 rows per output tile.
  overhead.ops = {{64.0, 1, 1000}, {64.0, 2, 5000}};
  return overhead;
}

TEST(TileOverheadTest, SetUpPerLayerAndTile) {
  // Recomputed halos: no line buffer, 32 instructions per layer and tile.
  EXPECT_EQ(rowTiles().estimate(/*steps=*/1, /*prime=*/0), 10 * 3 * 32);
}

TEST(TileOverheadTest, LineBuffersCopyTwicePerTile) {
  TileOverhead overhead = rowTiles();
  overhead.keptBytes = 100;
  EXPECT_EQ(overhead.estimate(1, 0), 10 * (3 * 32 + 2 * 100));
  // A grid: each band walks its own tiles.
  overhead.bands = 4;
  EXPECT_EQ(overhead.estimate(1, 0), 4 * 10 * (3 * 32 + 2 * 100));
}

TEST(TileOverheadTest, PrimingTilesCostHalf) {
  TileOverhead overhead = rowTiles();
  overhead.keptBytes = 100;
  EXPECT_EQ(overhead.estimate(1, 4) - overhead.estimate(1, 0),
            4 * (3 * 32 + 2 * 100) / 2);
}

TEST(TileOverheadTest, StepsCostARowPerLayerAndTile) {
  TileOverhead overhead = rowTiles();
  // 2 steps: twice the tiles, each also a row of both layers.
  EXPECT_EQ(overhead.estimate(2, 0), 20 * (3 * 32 + 64 + 64));
}

TEST(TileOverheadTest, NarrowColumnTilesLoseBlocks) {
  TileOverhead rows = rowTiles(), columns = rowTiles();
  columns.walksColumns = true;
  // One step keeps every layer's columns per tile: nothing lost.
  EXPECT_EQ(columns.estimate(1, 0), rows.estimate(1, 0));
  // Two steps: the layers advancing 1 and 2 columns per output tile compute
  // fewer than two per tile; each of their MACs loses one instruction.
  EXPECT_EQ(columns.estimate(2, 0) - rows.estimate(2, 0), 1000 + 5000);
}

} // namespace
