//===- CountMacs.cpp - Multiply-accumulates after tiling ------------------===//

#include "FusedTiling/Dialect/FT/Transforms/Passes.h"
#include "FusedTiling/Dialect/FT/Transforms/Tiling.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace ft {
#define GEN_PASS_DEF_FTCOUNTMACS
#include "FusedTiling/Dialect/FT/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;
using namespace ft;

bool ft::isMacOp(linalg::LinalgOp op) {
  if (!linalg::isaConvolutionOpInterface(op) &&
      !linalg::isaContractionOpInterface(op))
    return false;
  bool multiplies = false;
  op.getBlock()->walk([&](Operation *nested) {
    multiplies |= isa<arith::MulIOp, arith::MulFOp>(nested);
  });
  return multiplies;
}

namespace {

constexpr StringLiteral kCountedAttr = "ft.count_macs";

/// MACs of `op`, or failure when its loop ranges are not static.
FailureOr<int64_t> macsOf(linalg::LinalgOp op) {
  int64_t macs = 1;
  for (int64_t range : op.getStaticLoopRanges()) {
    if (ShapedType::isDynamic(range))
      return failure();
    macs *= range;
  }
  return macs;
}

/// MACs of tile `tile` of the `blockIndex`-th tile block of `func`: the
/// function is cloned, the block replaced by its body with the tile's
/// offsets and sizes as constants, and canonicalized until the body's
/// shapes are static.
FailureOr<int64_t> macsOfTile(func::FuncOp func, unsigned blockIndex,
                              int64_t tile,
                              const FrozenRewritePatternSet &patterns) {
  OwningOpRef<func::FuncOp> clone(func.clone());
  SmallVector<TileBlockOp> blocks;
  clone->walk([&](TileBlockOp op) { blocks.push_back(op); });
  TileBlockOp block = blocks[blockIndex];
  IRRewriter rewriter(func.getContext());
  rewriter.setInsertionPoint(block);
  SmallVector<Value> replacements;
  for (unsigned a = 0; a < block.getAxes().size(); ++a) {
    auto [begin, end] = block.getRangeOfTile(a, tile);
    replacements.push_back(
        arith::ConstantIndexOp::create(rewriter, block.getLoc(), begin));
    replacements.push_back(
        arith::ConstantIndexOp::create(rewriter, block.getLoc(), end - begin));
  }
  llvm::append_range(replacements, block.getInits());
  block.getBody().walk([&](linalg::LinalgOp op) {
    if (isMacOp(op))
      op->setAttr(kCountedAttr, rewriter.getUnitAttr());
  });
  Block &body = block.getBodyBlock();
  auto yield = cast<YieldOp>(body.getTerminator());
  rewriter.inlineBlockBefore(&body, block, replacements);
  SmallVector<Value> results(yield.getValues());
  rewriter.eraseOp(yield);
  rewriter.replaceOp(block, results);
  (void)applyPatternsGreedily(clone->getOperation(), patterns);
  int64_t macs = 0;
  bool dynamic = false;
  clone->walk([&](linalg::LinalgOp op) {
    if (!op->hasAttr(kCountedAttr))
      return;
    FailureOr<int64_t> m = macsOf(op);
    if (failed(m))
      dynamic = true;
    else
      macs += *m;
  });
  if (dynamic)
    return failure();
  return macs;
}

struct FTCountMacsPass : ft::impl::FTCountMacsBase<FTCountMacsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    RewritePatternSet patternSet(&getContext());
    populateAllCanonicalizationPatterns(patternSet);
    FrozenRewritePatternSet patterns(std::move(patternSet));
    int64_t total = 0;
    for (func::FuncOp func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      // Ops outside tile blocks have static shapes.
      WalkResult result = func.walk<WalkOrder::PreOrder>([&](Operation *op) {
        if (isa<TileBlockOp>(op))
          return WalkResult::skip();
        auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
        if (!linalgOp || !isMacOp(linalgOp))
          return WalkResult::advance();
        FailureOr<int64_t> macs = macsOf(linalgOp);
        if (failed(macs)) {
          op->emitError("ft-count-macs: dynamic loop ranges outside a tile "
                        "block");
          return WalkResult::interrupt();
        }
        total += *macs;
        return WalkResult::advance();
      });
      if (result.wasInterrupted())
        return signalPassFailure();
      SmallVector<TileBlockOp> blocks;
      func.walk([&](TileBlockOp op) { blocks.push_back(op); });
      for (auto [index, block] : llvm::enumerate(blocks)) {
        for (int64_t t = 0; t < block.getNumTiles(); ++t) {
          FailureOr<int64_t> macs = macsOfTile(func, index, t, patterns);
          if (failed(macs)) {
            block.emitError("ft-count-macs: tile ")
                << t << "'s shapes do not fold to constants";
            return signalPassFailure();
          }
          total += *macs;
        }
      }
    }
    module->setAttr("ft.macs", IntegerAttr::get(
                                   IntegerType::get(&getContext(), 64), total));
  }
};

} // namespace
