//===- TilePath.cpp - ft::tilePath and the ft-tile-path pass --------------===//
//
// Both transforms build an ft.tile_block whose body computes one tile of
// the path's last tensor (FFMT) or of the tensor the path no longer
// materialises (FDT), and then fuse the path's producers into the body
// through upstream's TilingInterface: each tensor.extract_slice of a value
// a path op produces is replaced by that op computing just the slice. Halos
// (FFMT) and channel slices (FDT) therefore follow from each op's indexing
// maps, kernel, stride, dilation and padding included, rather than from a
// hand-written formula per op kind. The parts are in TilingImpl.h; this
// file holds the entry point and the pass (the specs: PathTilingSpec.cpp).
//
//===----------------------------------------------------------------------===//

#include "TilingImpl.h"

#include "FusedTiling/Dialect/FT/IR/SplitRulesInterface.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

namespace ft {
#define GEN_PASS_DEF_FTTILEPATH
#include "FusedTiling/Dialect/FT/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;
using namespace ft;
using namespace ft::detail;

SmallVector<int64_t> ft::skewTileRanges(ArrayRef<int64_t> ranges, int64_t prime,
                                        int64_t steps) {
  SmallVector<int64_t> skewed(2 * prime, 0);
  for (size_t t = 0; t + 1 < ranges.size(); t += 2) {
    for (int64_t step = 1; step < steps; ++step)
      skewed.append({ranges[t], ranges[t]});
    skewed.append({ranges[t], ranges[t + 1]});
  }
  return skewed;
}

SmallVector<int64_t> ft::balancedTileRanges(int64_t extent, int64_t tiles) {
  SmallVector<int64_t> ranges;
  const int64_t base = extent / tiles, longer = extent % tiles;
  int64_t begin = 0;
  for (int64_t t = 0; t < tiles; ++t) {
    const int64_t end = begin + base + (t < longer ? 1 : 0);
    ranges.append({begin, end});
    begin = end;
  }
  return ranges;
}

void ft::populateAllCanonicalizationPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  for (Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : ctx->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, ctx);
}

FailureOr<PathOps> ft::getPathOps(Operation *first, Operation *last) {
  FailureOr<Path> path = findPath(first, last);
  if (failed(path))
    return failure();
  PathOps result;
  result.last = path->last;
  for (Operation *op : path->ops) {
    result.ops.push_back(op);
    result.isPrivate.push_back(isPrivateProducer(op));
    result.inFirstLayer.push_back(path->firstLayer.contains(op));
  }
  for (int64_t axis : {1, 2}) {
    PathOps::PartialSumEnd &end = result.partialSums[axis - 1];
    if (auto spatial = findSpatialReduction(*path, axis)) {
      Operation *reduction = std::get<0>(*spatial);
      end = {reduction, std::get<1>(*spatial)->get(), reduction};
    } else if (axis == 1) {
      if (auto flatten = findFlattenReduction(*path, axis))
        end = {flatten->consumer, flatten->flatten.getSrc(), flatten->flatten};
    }
  }
  return result;
}

FailureOr<TileBlockOp> ft::tilePath(RewriterBase &rewriter, Operation *first,
                                    Operation *last,
                                    const TilingOptions &tiling) {
  FailureOr<Path> path = findPath(first, last);
  if (failed(path))
    return failure();
  path->windows = tiling.windows;
  path->primingTiles = tiling.prime;
  path->stepsPerTile = tiling.steps;
  // A skewed schedule's counts: `least` means none, more needs line
  // buffers.
  const bool lineBuffers = tiling.method == TilingMethod::FFMT &&
                           tiling.windows == WindowMode::Cache;
  for (auto [key, count, least, what] :
       {std::make_tuple("prime=", tiling.prime, int64_t(0), "priming tiles"),
        std::make_tuple("steps=", tiling.steps, int64_t(1), "steps per tile")})
    if (count < least || (count > least && !lineBuffers))
      return pathError(path->last, key)
             << count << ": " << what
             << " advance line buffers; they need ffmt with windows=cache "
                "and a count of "
             << least << " or more";
  if (tiling.method == TilingMethod::FDT && tiling.windows == WindowMode::Cache)
    return pathError(path->last,
                     "windows=cache keeps the rows that the next spatial tile "
                     "reads again; fdt's channel tiles read no row twice (use "
                     "ffmt, or no windows=)");
  if (tiling.method == TilingMethod::FFMT)
    return tileFeatureMaps(rewriter, *path, tiling);
  if (path->firstLayer.contains(path->last))
    return pathError(path->last, "fdt needs at least two layers: the one "
                                 "whose output channels are split and the "
                                 "one that sums over them");
  return tileChannels(rewriter, *path, tiling);
}

namespace {

struct FTTilePathPass : ft::impl::FTTilePathBase<FTTilePathPass> {
  using FTTilePathBase::FTTilePathBase;

  // The per-op split rules of upstream ops, whichever tool runs the pass.
  void getDependentDialects(DialectRegistry &registry) const override {
    FTTilePathBase::getDependentDialects(registry);
    registerSplitRulesExternalModels(registry);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // The path: the tools' spec syntax (spec=), or the separate options.
    PathTiling path;
    if (!spec.empty()) {
      if (!first.empty() || !last.empty() || !axes.empty() || !tiles.empty()) {
        mlir::emitError(module.getLoc(),
                        "ft-tile-path: give the path either as spec=... or "
                        "as first=, last=, axes=, tiles=, not both");
        return signalPassFailure();
      }
      std::string error;
      std::optional<PathTiling> parsed = parsePathTiling(spec, error);
      if (!parsed) {
        mlir::emitError(module.getLoc(), "ft-tile-path: ") << error;
        return signalPassFailure();
      }
      path = *parsed;
    } else {
      path.method = method;
      path.first = first;
      path.last = last;
      path.axes.assign(axes.begin(), axes.end());
      path.tiles.assign(tiles.begin(), tiles.end());
      path.windows = windows;
      path.prime = prime;
      path.steps = steps;
      if (path.method == TilingMethod::FFMT && path.axes.empty())
        path.axes.push_back(1);
    }
    if (path.first.empty() || path.last.empty()) {
      mlir::emitError(module.getLoc(),
                      "ft-tile-path: name the path with first=... and "
                      "last=...");
      return signalPassFailure();
    }
    const std::string &first = path.first, &last = path.last;
    const TilingOptions &tiling = path;
    // The path is in the function whose body holds the first op ("@k":
    // the first function with a body).
    func::FuncOp target;
    for (func::FuncOp func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      // (Nested: a path inside a tile block.)
      if (StringRef(first).starts_with("@") ||
          func.walk([&](Operation *op) {
                return !isa<arith::ConstantOp>(op) && refersTo(op, first)
                           ? WalkResult::interrupt()
                           : WalkResult::advance();
              })
              .wasInterrupted()) {
        target = func;
        break;
      }
    }
    if (!target) {
      InFlightDiagnostic diag =
          mlir::emitError(module.getLoc(),
                          "ft-tile-path: no op produces the path's first "
                          "tensor '")
          << first << "'";
      bool named = false;
      module.walk([&](Operation *op) { named |= !getLayers(op).empty(); });
      if (!named)
        diag << "; no op of this IR belongs to a layer (ft.layers): name "
                "ops by position, @k for the k-th op (from 0) that computes "
                "from the function's arguments";
      else
        diag << kNoOpHint;
      return signalPassFailure();
    }
    // Tiling works on linalg: TOSA is lowered first.
    WalkResult tosa = target.walk([](Operation *op) {
      return isa_and_nonnull<tosa::TosaDialect>(op->getDialect())
                 ? WalkResult::interrupt()
                 : WalkResult::advance();
    });
    if (tosa.wasInterrupted()) {
      Operation *tosaOp = nullptr;
      target.walk([&](Operation *op) {
        if (!tosaOp && isa_and_nonnull<tosa::TosaDialect>(op->getDialect()) &&
            !op->hasTrait<OpTrait::ConstantLike>())
          tosaOp = op;
      });
      mlir::emitError(tosaOp ? tosaOp->getLoc() : target.getLoc())
          << "ft-tile-path tiles linalg ops, and '" << target.getSymName()
          << "' still has TOSA ops"
          << (tosaOp ? " (" + tosaOp->getName().getStringRef().str() + ")"
                     : std::string())
          << ": lower it first, with --ft-tosa-to-linalg before "
             "--ft-tile-path";
      return signalPassFailure();
    }
    FailureOr<std::pair<Operation *, Operation *>> ends =
        findPathOps(target, first, last);
    if (failed(ends))
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    FailureOr<TileBlockOp> block =
        tilePath(rewriter, ends->first, ends->second, tiling);
    if (failed(block))
      return signalPassFailure();
    // Tiling leaves index arithmetic for every fused op, much of it equal
    // or dead: canonicalize and CSE the function so the IR reads.
    // (Not converging within the driver's limit is no error: the IR is
    // correct either way.)
    RewritePatternSet patterns(&getContext());
    populateAllCanonicalizationPatterns(patterns);
    (void)applyPatternsGreedily(target, std::move(patterns));
    DominanceInfo dominance;
    mlir::eliminateCommonSubExpressions(rewriter, dominance, target);
  }
};

} // namespace
