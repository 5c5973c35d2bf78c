//===- TilingTest.cpp - Tile ranges and path specifications ---------------===//

#include "FusedTiling/Dialect/FT/Transforms/Tiling.h"
#include "FusedTiling/Pipelines/Pipelines.h"
#include "FusedTiling/Pipelines/TensorsToBuffers.h"
#include "FusedTiling/Tiling/Passes.h"

#include <gtest/gtest.h>

using namespace ft;

namespace {

TEST(BalancedTileRanges, EvenSplit) {
  EXPECT_EQ(balancedTileRanges(8, 2), (llvm::SmallVector<int64_t>{0, 4, 4, 8}));
}

TEST(BalancedTileRanges, FirstTilesTakeTheRemainder) {
  // 10 rows in 4 tiles: 3, 3, 2, 2.
  EXPECT_EQ(balancedTileRanges(10, 4),
            (llvm::SmallVector<int64_t>{0, 3, 3, 6, 6, 8, 8, 10}));
  // 25 rows in 7 tiles: four of 4 and three of 3.
  llvm::SmallVector<int64_t> r = balancedTileRanges(25, 7);
  ASSERT_EQ(r.size(), 14u);
  EXPECT_EQ(r[1] - r[0], 4);
  EXPECT_EQ(r[7] - r[6], 4);
  EXPECT_EQ(r[9] - r[8], 3);
  EXPECT_EQ(r.back(), 25);
}

TEST(BalancedTileRanges, OneElementPerTile) {
  EXPECT_EQ(balancedTileRanges(3, 3),
            (llvm::SmallVector<int64_t>{0, 1, 1, 2, 2, 3}));
}

TEST(ParsePathTiling, Ffmt) {
  std::string error;
  std::optional<PathTiling> t =
      parsePathTiling("ffmt first=conv0 last=#3 axes=1,2 tiles=4,2", error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->method, TilingMethod::FFMT);
  EXPECT_EQ(t->first, "conv0");
  EXPECT_EQ(t->last, "#3");
  EXPECT_EQ(t->axes, (llvm::SmallVector<int64_t>{1, 2}));
  EXPECT_EQ(t->tiles, (llvm::SmallVector<int64_t>{4, 2}));
}

TEST(ParsePathTiling, FfmtDefaultsToRows) {
  std::string error;
  std::optional<PathTiling> t =
      parsePathTiling("ffmt first=a last=b tiles=3", error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->axes, (llvm::SmallVector<int64_t>{1}));
}

TEST(ParsePathTiling, Windows) {
  std::string error;
  std::optional<PathTiling> t =
      parsePathTiling("ffmt first=a last=b tiles=3", error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->windows, WindowMode::Recompute);
  t = parsePathTiling("ffmt first=a last=b tiles=3 windows=share", error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->windows, WindowMode::Share);
  t = parsePathTiling("ffmt first=a last=b tiles=3 windows=cache", error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->windows, WindowMode::Cache);
  EXPECT_FALSE(
      parsePathTiling("ffmt first=a last=b tiles=3 windows=ring", error));
  EXPECT_NE(error.find("windows=cache"), std::string::npos) << error;
}

TEST(ParsePathTiling, NamesKeepSlashesAndSemicolons) {
  std::string error;
  std::optional<PathTiling> t = parsePathTiling(
      "fdt first=model/a;x/Relu last=model/b/Relu tiles=4", error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->method, TilingMethod::FDT);
  EXPECT_EQ(t->first, "model/a;x/Relu");
}

// What ft-auto-tile's remarks print, ft-tile-path reads back unchanged:
// the printer and the parser agree on every field.
TEST(PrintPathTiling, ReadsBack) {
  for (const char *spec :
       {"ffmt first=model/a;x/Relu last=#3 axes=1,2 tiles=4,2 windows=cache",
        "ffmt first=a last=b axes=1 tiles=25 windows=cache prime=4",
        "ffmt first=@0 last=@5 axes=2 tiles=7 windows=share",
        "ffmt first=a last=b axes=1 tiles=3", "fdt first=a last=b tiles=8"}) {
    std::string error;
    std::optional<PathTiling> t = parsePathTiling(spec, error);
    ASSERT_TRUE(t) << error;
    EXPECT_EQ(printPathTiling(*t), spec);
  }
}

TEST(PrintPathTiling, FdtIgnoresAxes) {
  PathTiling tiling;
  tiling.method = TilingMethod::FDT;
  tiling.first = "a";
  tiling.last = "b";
  tiling.axes = {3};
  tiling.tiles = {4};
  EXPECT_EQ(printPathTiling(tiling), "fdt first=a last=b tiles=4");
}

TEST(PrintPathTiling, SpecNames) {
  EXPECT_TRUE(isSpecName("model/conv;x=1"));
  EXPECT_FALSE(isSpecName("two words"));
  EXPECT_FALSE(isSpecName(""));
}

TEST(ParseWindowMode, InvertsStringify) {
  for (WindowMode mode :
       {WindowMode::Recompute, WindowMode::Share, WindowMode::Cache})
    EXPECT_EQ(parseWindowMode(stringifyWindowMode(mode)), mode);
  EXPECT_FALSE(parseWindowMode("ring"));
}

/// The spec is refused with a message that contains `fragment`.
void expectRefused(llvm::StringRef spec, llvm::StringRef fragment) {
  std::string error;
  EXPECT_FALSE(parsePathTiling(spec, error)) << spec.str();
  EXPECT_NE(error.find(fragment.str()), std::string::npos)
      << spec.str() << ": " << error;
}

TEST(ParsePathTiling, Errors) {
  expectRefused("rows first=a last=b tiles=2", "ffmt or fdt");
  expectRefused("ffmt first=a last=b", "tiles=");
  expectRefused("ffmt first=a last=b tiles=x", "tiles=x");
  expectRefused("ffmt first=a last=b tiles=2 color=red", "unknown key 'color'");
  expectRefused("ffmt first= last=b tiles=2", "'first=' needs a value");
  // A key given twice is an error, not "the last one wins".
  expectRefused("ffmt first=a first=c last=b tiles=2",
                "'first=' is given twice");
  // A number out of range is a bad number, not an unknown key.
  expectRefused("ffmt first=a last=b tiles=99999999999999999999",
                "expected integers");
  expectRefused("ffmt first=a last=b tiles=3 windows=x",
                "windows=recompute, windows=share or windows=cache");
  expectRefused("ffmt first=a last=b tiles=3 windows=cache prime=-1",
                "a count of priming tiles");
  expectRefused("ffmt first=a last=b tiles=3 windows=cache prime=two",
                "a count of priming tiles");
}

TEST(ParsePathTiling, Prime) {
  std::string error;
  std::optional<PathTiling> t =
      parsePathTiling("ffmt first=a last=b tiles=3 windows=cache", error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->prime, 0);
  t = parsePathTiling("ffmt first=a last=b tiles=3 windows=cache prime=5",
                      error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->prime, 5);
}

// ft-auto-tile on its own (ft-opt --ft-auto-tile) measures candidates
// after the lowering's stretch from tensors to buffers under its own
// options: their defaults must be the lowering's, or the arenas it compares
// are not the ones ft-compile produces.
TEST(AutoTile, MeasuresUnderTheLoweringsDefaults) {
  FTAutoTileOptions tiling;
  LowerToLLVMOptions lowering;
  EXPECT_EQ(tiling.scalarAccumulation, lowering.scalarAccumulation);
  EXPECT_EQ(tiling.fuseElementwise, lowering.fuseElementwise);
  EXPECT_EQ(tiling.tileRequantization, lowering.tileRequantization);
}

// The stretch follows its options: scalar accumulation and elementwise
// fusion appear exactly when asked for, and the lowering's layers are kept
// only when asked.
TEST(TensorsToBuffers, FollowsItsOptions) {
  mlir::MLIRContext context;
  auto text = [&](const TensorsToBuffersOptions &options) {
    mlir::OpPassManager pm(mlir::ModuleOp::getOperationName());
    EXPECT_TRUE(mlir::succeeded(buildTensorsToBuffersPipeline(pm, options)));
    std::string out;
    llvm::raw_string_ostream os(out);
    pm.printAsTextualPipeline(os);
    return out;
  };
  TensorsToBuffersOptions options;
  std::string all = text(options);
  EXPECT_NE(all.find("ft-scalar-accumulation"), std::string::npos) << all;
  EXPECT_NE(all.find("linalg-fuse-elementwise-ops"), std::string::npos);
  EXPECT_NE(all.find("one-shot-bufferize"), std::string::npos);
  EXPECT_EQ(all.find("ft-preserve-layers"), std::string::npos);
  options.scalarAccumulation = false;
  options.fuseElementwise = false;
  options.keepLayers = true;
  std::string other = text(options);
  EXPECT_EQ(other.find("ft-scalar-accumulation"), std::string::npos) << other;
  EXPECT_EQ(other.find("linalg-fuse-elementwise-ops"), std::string::npos);
  EXPECT_NE(other.find("ft-tile-requantization"), std::string::npos);
  EXPECT_NE(other.find("ft-preserve-layers"), std::string::npos);
}

} // namespace
