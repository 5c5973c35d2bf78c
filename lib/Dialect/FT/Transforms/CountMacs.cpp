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

constexpr StringLiteral kNestedAttr = "ft.count_macs_nested";

FailureOr<int64_t> macsOfBlock(func::FuncOp func, TileBlockOp block,
                               const FrozenRewritePatternSet &patterns);

/// MACs of tile `tile` of `block` (in `func`): the function is cloned, the
/// block replaced by its body with the tile's offsets and sizes as
/// constants, and canonicalized until the body's shapes are static. Tile
/// blocks inside the body (FDT inside an FFMT tile) are counted the same
/// way, tile by tile, on that clone.
FailureOr<int64_t> macsOfTile(func::FuncOp func, TileBlockOp original,
                              int64_t tile,
                              const FrozenRewritePatternSet &patterns) {
  SmallVector<TileBlockOp> blocks;
  func.walk([&](TileBlockOp op) { blocks.push_back(op); });
  const size_t blockIndex = llvm::find(blocks, original) - blocks.begin();
  OwningOpRef<func::FuncOp> clone(func.clone());
  blocks.clear();
  clone->walk([&](TileBlockOp op) { blocks.push_back(op); });
  TileBlockOp block = blocks[blockIndex];
  IRRewriter rewriter(func.getContext());
  rewriter.setInsertionPoint(block);
  SmallVector<Value> replacements, indices;
  for (unsigned a = 0; a < block.getAxes().size(); ++a) {
    auto [begin, end] = block.getRangeOfTile(a, tile);
    replacements.push_back(
        arith::ConstantIndexOp::create(rewriter, block.getLoc(), begin));
    replacements.push_back(
        arith::ConstantIndexOp::create(rewriter, block.getLoc(), end - begin));
    indices.push_back(arith::ConstantIndexOp::create(
        rewriter, block.getLoc(), block.getIndexOnAxis(a, tile)));
  }
  block.replaceTileIndices(rewriter, indices);
  llvm::append_range(replacements, block.getInits());
  // Only this tile's own ops count here; the blocks nested in it are
  // counted by their own tiles below.
  clone->walk([&](Operation *op) {
    op->removeAttr(kCountedAttr);
    op->removeAttr(kNestedAttr);
  });
  for (Operation &op : block.getBodyBlock()) {
    if (isa<TileBlockOp>(op)) {
      op.setAttr(kNestedAttr, rewriter.getUnitAttr());
      continue;
    }
    op.walk([&](linalg::LinalgOp linalgOp) {
      if (isMacOp(linalgOp))
        linalgOp->setAttr(kCountedAttr, rewriter.getUnitAttr());
    });
  }
  Block &body = block.getBodyBlock();
  auto yield = cast<YieldOp>(body.getTerminator());
  const unsigned numOutputs = block.getNumOutputs();
  const bool topLevel = block->getBlock() == &clone->getBody().front();
  rewriter.inlineBlockBefore(&body, block, replacements);
  SmallVector<Value> results(yield.getValues());
  rewriter.eraseOp(yield);
  rewriter.replaceOp(block, results);
  // The rows this tile leaves in its line buffers are for later tiles (all
  // of them, in a priming tile): returned, so that folding keeps them.
  if (results.size() > numOutputs && topLevel) {
    auto ret = cast<func::ReturnOp>(clone->getBody().front().getTerminator());
    SmallVector<Value> returned(ret.getOperands());
    llvm::append_range(returned, ArrayRef(results).drop_front(numOutputs));
    rewriter.setInsertionPoint(ret);
    rewriter.replaceOpWithNewOp<func::ReturnOp>(ret, returned);
    clone->setType(FunctionType::get(func.getContext(),
                                     clone->getArgumentTypes(),
                                     ValueRange(returned).getTypes()));
  }
  (void)applyPatternsGreedily(clone->getOperation(), patterns);
  int64_t macs = 0;
  bool dynamic = false;
  SmallVector<TileBlockOp> nested;
  clone->walk([&](Operation *op) {
    if (auto nestedBlock = dyn_cast<TileBlockOp>(op);
        nestedBlock && op->hasAttr(kNestedAttr))
      nested.push_back(nestedBlock);
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp || !op->hasAttr(kCountedAttr))
      return;
    FailureOr<int64_t> m = macsOf(linalgOp);
    if (failed(m))
      dynamic = true;
    else
      macs += *m;
  });
  if (dynamic)
    return failure();
  for (TileBlockOp nestedBlock : nested) {
    FailureOr<int64_t> m = macsOfBlock(*clone, nestedBlock, patterns);
    if (failed(m))
      return failure();
    macs += *m;
  }
  return macs;
}

/// MACs of all tiles of `block`; emits an error at it when a tile's shapes
/// do not fold.
FailureOr<int64_t> macsOfBlock(func::FuncOp func, TileBlockOp block,
                               const FrozenRewritePatternSet &patterns) {
  int64_t total = 0;
  for (int64_t t = 0; t < block.getNumTiles(); ++t) {
    FailureOr<int64_t> macs = macsOfTile(func, block, t, patterns);
    if (failed(macs))
      return block.emitError("ft-count-macs: tile ")
             << t << "'s shapes do not fold to constants";
    total += *macs;
  }
  return total;
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
      // The outermost tile blocks (nested ones are counted per tile of
      // theirs).
      SmallVector<TileBlockOp> blocks;
      func.walk<WalkOrder::PreOrder>([&](TileBlockOp op) {
        blocks.push_back(op);
        return WalkResult::skip();
      });
      for (TileBlockOp block : blocks) {
        FailureOr<int64_t> macs = macsOfBlock(func, block, patterns);
        if (failed(macs))
          return signalPassFailure();
        total += *macs;
      }
    }
    module->setAttr("ft.macs", IntegerAttr::get(
                                   IntegerType::get(&getContext(), 64), total));
  }
};

} // namespace
