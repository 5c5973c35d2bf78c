//===- EstimateTest.cpp - The estimate's tiles against the transform's IR -===//
//
// Path discovery estimates each FFMT candidate from each op's split rules;
// ft::tilePath builds the tiles through the same ops' interfaces. Nothing
// else makes them agree, so this test holds them to each other: for every
// FFMT candidate path discovery proposes on a model (rows, columns or
// both), every op the tile computes has, in every tile, the rows and
// columns the estimate expects.
// Models: the project's own TOSA inputs (test/Tiling/Inputs), and the
// shared bench models when ../shared is present.
//
//===----------------------------------------------------------------------===//

#include "../lib/Tiling/PathDiscovery.h"

#include "FusedTiling/Dialect/FT/Transforms/Tiling.h"
#include "FusedTiling/Import/TFLite/TFLiteImporter.h"
#include "FusedTiling/InitAll.h"
#include "FusedTiling/Pipelines/Pipelines.h"
#include "FusedTiling/Support/IndexEvaluation.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace ft;

namespace {

/// The rows of `value` along `axis` in the tile `evaluator` binds: its
/// static or evaluated size, through the destinations of the ops that
/// write it.
FailureOr<int64_t> rowsOf(IndexEvaluator &evaluator, Value value,
                          int64_t axis) {
  for (int depth = 0; depth < 16; ++depth) {
    FailureOr<int64_t> size = evaluator.evaluateDimSize(value, axis);
    if (succeeded(size))
      return size;
    auto dps = value.getDefiningOp<DestinationStyleOpInterface>();
    if (!dps)
      return failure();
    value = dps.getTiedOpOperand(cast<OpResult>(value))->get();
  }
  return failure();
}

/// The ops of `block` that are not terminators, in order.
Operation *opAt(Block &block, unsigned index) {
  return &*std::next(block.begin(), index);
}

/// Checks every single-axis FFMT candidate of `module`'s public function;
/// returns how many it checked.
unsigned checkCandidates(ModuleOp module, llvm::StringRef name) {
  func::FuncOp func;
  module.walk([&](func::FuncOp f) {
    if (f.isPublic() && !f.isExternal())
      func = f;
  });
  EXPECT_TRUE(func) << name.str();
  if (!func)
    return 0;
  Block &block = func.getBody().front();
  DiscoveryOptions options;
  options.macs = countUntiledMacs(block);
  options.macLimit = std::numeric_limits<int64_t>::max() / 4;
  unsigned estimated = 0;
  SmallVector<Candidate> candidates =
      discoverCandidates(block, options, estimated);
  unsigned checked = 0;
  for (const Candidate &candidate : candidates) {
    if (candidate.tiling.method != TilingMethod::FFMT)
      continue;
    ArrayRef<int64_t> axes = candidate.tiling.axes;
    ArrayRef<int64_t> tiles = candidate.tiling.tiles;
    Operation *first = opAt(block, candidate.firstIndex);
    Operation *last = opAt(block, candidate.lastIndex);
    FailureOr<PathOps> pathOps = getPathOps(first, last);
    EXPECT_TRUE(succeeded(pathOps)) << name.str();
    if (failed(pathOps))
      continue;
    // A path FFMT ends in partial sums tiles a reduction's input instead.
    if (llvm::any_of(axes, [&](int64_t axis) {
          return pathOps->partialSums[axis - 1].reduction != nullptr;
        }))
      continue;
    // Each axis on its own: a 2-D tile is the product of its axes' ranges.
    // One axis: also the line buffers it expects.
    SmallVector<TileRows> estimates;
    KeptRows kept;
    for (auto [axis, count] : llvm::zip(axes, tiles)) {
      FailureOr<TileRows> estimate = estimateTileRows(
          first, last, axis, count, axes.size() == 1 ? &kept : nullptr);
      EXPECT_TRUE(succeeded(estimate))
          << name.str() << ": the estimate proposed a split it refuses";
      if (failed(estimate))
        break;
      estimates.push_back(std::move(*estimate));
    }
    if (estimates.size() != axes.size())
      continue;

    // The transform on a copy of the function.
    auto tileCopy = [&](OwningOpRef<ModuleOp> &copy,
                        const TilingOptions &tiling) -> FailureOr<TileBlockOp> {
      copy = module.clone();
      func::FuncOp copyFunc;
      copy->walk([&](func::FuncOp f) {
        if (f.getSymName() == func.getSymName())
          copyFunc = f;
      });
      Block &copyBlock = copyFunc.getBody().front();
      IRRewriter rewriter(module.getContext());
      return tilePath(rewriter, opAt(copyBlock, candidate.firstIndex),
                      opAt(copyBlock, candidate.lastIndex), tiling);
    };

    // Line buffers: the transform's, with the candidate's own options,
    // against the estimate's (rows x elements of a row, per cached value).
    if (candidate.tiling.windows == WindowMode::Cache && axes.size() == 1) {
      SmallVector<std::pair<int64_t, int64_t>> expected, built;
      for (auto [op, rows] : kept) {
        auto type = cast<RankedTensorType>(op->getResult(0).getType());
        expected.push_back(
            {type.getNumElements() / type.getDimSize(axes[0]), rows});
      }
      OwningOpRef<ModuleOp> cachedCopy;
      FailureOr<TileBlockOp> cached = tileCopy(cachedCopy, candidate.tiling);
      if (succeeded(cached)) {
        for (Value init :
             cached->getInits().take_back(cached->getNumCaches())) {
          auto type = cast<RankedTensorType>(init.getType());
          built.push_back({type.getNumElements() / type.getDimSize(axes[0]),
                           type.getDimSize(axes[0])});
        }
        llvm::sort(expected);
        llvm::sort(built);
        const bool skewed = candidate.tiling.isSkewed();
        auto describe = [](ArrayRef<std::pair<int64_t, int64_t>> buffers) {
          std::string text;
          for (auto [elements, rows] : buffers)
            text +=
                " " + std::to_string(rows) + " x " + std::to_string(elements);
          return text;
        };
        // Without skew, one line buffer per value the estimate expects,
        // no larger than it expects (a valid convolution's windows may
        // leave a column out; the estimate keeps the rows between the
        // windows of a value's readers at their farthest apart). A skewed
        // schedule keeps these and, where a layer computes rows ahead of
        // a reader that needs them later, more.
        bool agree = skewed ? built.size() >= expected.size()
                            : built.size() == expected.size();
        for (size_t i = 0; agree && !skewed && i < expected.size(); ++i)
          agree = built[i].first <= expected[i].first &&
                  built[i].second <= expected[i].second;
        EXPECT_TRUE(agree) << name.str() << ": " << candidate.firstIndex
                           << " -> " << candidate.lastIndex << ", " << tiles[0]
                           << " tiles on axis " << axes[0]
                           << (skewed ? " (skewed)" : "")
                           << ": line buffers (rows x row elements) expected"
                           << describe(expected) << ", built"
                           << describe(built);
      }
    }

    // The transform, windows shared (one computation of each value per
    // tile, over the union of its windows: what the estimate counts).
    TilingOptions tiling;
    tiling.method = TilingMethod::FFMT;
    tiling.axes.assign(axes.begin(), axes.end());
    tiling.tiles.assign(tiles.begin(), tiles.end());
    tiling.windows = WindowMode::Share;
    OwningOpRef<ModuleOp> copy;
    FailureOr<TileBlockOp> tileBlock = tileCopy(copy, tiling);
    if (failed(tileBlock))
      continue; // Verified by the planner, and refused there.

    // Each path op's clones in the tile, in order, by name and layers.
    auto key = [](Operation *op) {
      std::string text = op->getName().getStringRef().str();
      if (Attribute layers = op->getDiscardableAttr("ft.layers")) {
        llvm::raw_string_ostream os(text);
        os << " " << layers;
      }
      return text;
    };
    std::map<std::string, SmallVector<Operation *>> clones;
    tileBlock->getBodyBlock().walk(
        [&](Operation *op) { clones[key(op)].push_back(op); });
    std::map<std::string, unsigned> seen;
    for (Operation *op : pathOps->ops) {
      unsigned occurrence = seen[key(op)]++;
      // Empty tensors and fills have no layer of their own to match by.
      if (op == pathOps->last || !op->getDiscardableAttr("ft.layers"))
        continue;
      auto found = clones.find(key(op));
      if (found == clones.end() || occurrence >= found->second.size())
        continue; // Not computed in the tile (a private producer's fold).
      Operation *clone = found->second[occurrence];
      for (int64_t t = 0; t < tileBlock->getNumTiles(); ++t) {
        llvm::DenseMap<Value, int64_t> inputs;
        tileBlock->bindTile(t, inputs);
        IndexEvaluator evaluator(std::move(inputs));
        for (auto [a, estimate] : llvm::enumerate(estimates)) {
          auto rows = estimate.find(op);
          if (rows == estimate.end())
            continue;
          const int64_t position = (t / tileBlock->getTileStride(a)) %
                                   tileBlock->getNumTilesOnAxis(a);
          FailureOr<int64_t> size =
              rowsOf(evaluator, clone->getResult(0), axes[a]);
          if (failed(size))
            continue;
          auto [lo, hi] = rows->second[position];
          EXPECT_EQ(*size, hi - lo)
              << name.str() << ": " << key(op) << ", tile " << position
              << " of " << tiles[a] << " on axis " << axes[a]
              << ": the estimate expects [" << lo << ", " << hi << ")";
        }
      }
    }
    ++checked;
  }
  return checked;
}

class EstimateTest : public ::testing::Test {
protected:
  EstimateTest() {
    DialectRegistry registry;
    registerCompilerDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  /// The module, lowered to linalg on tensors as the lowering tiles it.
  OwningOpRef<ModuleOp> lower(OwningOpRef<ModuleOp> module) {
    if (!module)
      return {};
    PassManager pm(&context);
    if (failed(buildTosaToLinalgPipeline(pm, /*fuseElementwise=*/true,
                                         /*wideMultiply=*/false)) ||
        failed(pm.run(*module)))
      return {};
    return module;
  }

  MLIRContext context;
};

TEST_F(EstimateTest, ProjectInputs) {
  unsigned checked = 0;
  for (const char *file : {"chain.mlir", "residual.mlir", "concat.mlir",
                           "flatten.mlir", "inverted-residual.mlir"}) {
    llvm::SmallString<256> path(FT_SOURCE_DIR);
    llvm::sys::path::append(path, "test", "Tiling", "Inputs", file);
    OwningOpRef<ModuleOp> module =
        lower(parseSourceFile<ModuleOp>(path.str(), &context));
    ASSERT_TRUE(module) << file;
    checked += checkCandidates(*module, file);
  }
  EXPECT_GT(checked, 4u);
}

TEST_F(EstimateTest, SharedModels) {
  unsigned checked = 0;
  llvm::SmallString<256> dir(FT_SOURCE_DIR);
  llvm::sys::path::append(dir, "..", "shared", "models");
  if (!llvm::sys::fs::is_directory(dir))
    GTEST_SKIP() << "no ../shared/models";
  for (const char *model : {"kws", "vww", "ic_resnet", "ad", "cif", "mw",
                            "kws_ref", "pos_sub", "txt"}) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, std::string(model) + ".tflite");
    auto buffer = llvm::MemoryBuffer::getFile(path);
    if (!buffer)
      continue;
    std::vector<uint8_t> bytes((*buffer)->getBufferStart(),
                               (*buffer)->getBufferEnd());
    ScopedDiagnosticHandler quiet(&context,
                                  [](Diagnostic &) { return success(); });
    OwningOpRef<ModuleOp> module =
        lower(importTFLite(bytes, path.str().str(), &context, {}));
    ASSERT_TRUE(module) << model;
    checked += checkCandidates(*module, model);
  }
  EXPECT_GT(checked, 8u);
}

} // namespace
