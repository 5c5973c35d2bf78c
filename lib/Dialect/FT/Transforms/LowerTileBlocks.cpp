//===- LowerTileBlocks.cpp - ft.tile_block to scf.for ---------------------===//

#include "FusedTiling/Dialect/FT/Transforms/Passes.h"
#include "FusedTiling/Dialect/FT/Transforms/Tiling.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <numeric>

namespace ft {
#define GEN_PASS_DEF_FTLOWERTILEBLOCKS
#include "FusedTiling/Dialect/FT/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;
using namespace ft;

namespace {

/// Offset and size of tile `index` (an index value in [0, n)) on one axis.
std::pair<Value, Value> tileOffsetAndSize(OpBuilder &b, Location loc,
                                          ArrayRef<int64_t> ranges,
                                          Value index) {
  const int64_t n = ranges.size() / 2;
  SmallVector<int64_t> offsets, sizes;
  for (int64_t t = 0; t < n; ++t) {
    offsets.push_back(ranges[2 * t]);
    sizes.push_back(ranges[2 * t + 1] - ranges[2 * t]);
  }
  AffineExpr d0 = b.getAffineDimExpr(0);
  // Balanced tiles in units of g (FDT through a depthwise layer with channel
  // multiplier g tiles whole groups of g; otherwise g = 1), the first r one
  // unit longer than the others (r possibly 0):
  // offset = g*(q*i + min(i, r)), size = g*(q + min(i + 1, r) - min(i, r)).
  int64_t g = 0;
  for (int64_t size : sizes)
    g = std::gcd(g, size);
  if (g == 0)
    g = 1;
  const int64_t q = sizes.back() / g;
  int64_t r = 0;
  while (r < n && sizes[r] == g * (q + 1))
    ++r;
  const bool balanced = llvm::all_of(
      llvm::seq<int64_t>(r, n), [&](int64_t t) { return sizes[t] == g * q; });
  if (balanced && r == 0)
    return {affine::AffineApplyOp::create(b, loc, d0 * (g * q), index),
            arith::ConstantIndexOp::create(b, loc, g * q)};
  if (balanced) {
    MLIRContext *ctx = b.getContext();
    Value minI = affine::AffineMinOp::create(
        b, loc, AffineMap::get(1, 0, {d0, getAffineConstantExpr(r, ctx)}, ctx),
        index);
    Value minNext = affine::AffineMinOp::create(
        b, loc,
        AffineMap::get(1, 0, {d0 + 1, getAffineConstantExpr(r, ctx)}, ctx),
        index);
    AffineExpr d1 = b.getAffineDimExpr(1), d2 = b.getAffineDimExpr(2);
    Value offset = affine::AffineApplyOp::create(
        b, loc, AffineMap::get(2, 0, (d0 * q + d1) * g),
        ValueRange{index, minI});
    Value size = affine::AffineApplyOp::create(
        b, loc, AffineMap::get(3, 0, (d2 - d1 + q) * g),
        ValueRange{index, minI, minNext});
    return {offset, size};
  }
  // Any other ranges: constant tables.
  auto tableType = RankedTensorType::get({n}, b.getIndexType());
  Value offsetTable = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(tableType, llvm::ArrayRef(offsets)));
  Value sizeTable = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(tableType, llvm::ArrayRef(sizes)));
  return {tensor::ExtractOp::create(b, loc, offsetTable, index),
          tensor::ExtractOp::create(b, loc, sizeTable, index)};
}

} // namespace

scf::ForOp ft::lowerTileBlockToLoop(RewriterBase &rewriter, TileBlockOp op,
                                    ValueRange inits,
                                    const ValueWrapper &wrapIterArgs,
                                    const ValueWrapper &wrapYields) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value lb = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value ub = arith::ConstantIndexOp::create(rewriter, loc, op.getNumTiles());
  Value step = arith::ConstantIndexOp::create(rewriter, loc, 1);
  auto loop = scf::ForOp::create(rewriter, loc, lb, ub, step, inits);
  Block *loopBody = loop.getBody();
  rewriter.setInsertionPointToStart(loopBody);
  // Tiles in row-major order: axis a's index is (t / stride_a) mod n_a.
  SmallVector<Value> replacements, indices;
  const unsigned numAxes = op.getAxes().size();
  Value tile = loop.getInductionVar();
  for (unsigned a = 0; a < numAxes; ++a) {
    const int64_t n = op.getNumTilesOnAxis(a);
    const int64_t stride = op.getTileStride(a);
    // The outermost axis needs no modulo, the innermost no division.
    AffineExpr d0 = rewriter.getAffineDimExpr(0);
    AffineExpr expr = stride == 1 ? d0 : d0.floorDiv(stride);
    if (a > 0)
      expr = expr % n;
    Value index = expr == d0
                      ? tile
                      : affine::AffineApplyOp::create(rewriter, loc, expr, tile)
                            .getResult();
    auto [offset, size] = tileOffsetAndSize(
        rewriter, loc, cast<DenseI64ArrayAttr>(op.getRanges()[a]).asArrayRef(),
        index);
    replacements.append({offset, size});
    indices.push_back(index);
  }
  op.replaceTileIndices(rewriter, indices);
  if (wrapIterArgs)
    llvm::append_range(replacements,
                       wrapIterArgs(rewriter, loop.getRegionIterArgs()));
  else
    llvm::append_range(replacements, loop.getRegionIterArgs());
  // Without iter_args the loop got an empty scf.yield; the body's own
  // terminator replaces it.
  if (!loopBody->empty() && isa<scf::YieldOp>(loopBody->back()))
    rewriter.eraseOp(&loopBody->back());
  // The ft.yield is inlined with the body, so that a yielded block
  // argument is remapped too, and then becomes an scf.yield.
  rewriter.inlineBlockBefore(&op.getBodyBlock(), loopBody, loopBody->end(),
                             replacements);
  auto yield = cast<YieldOp>(loopBody->getTerminator());
  rewriter.setInsertionPoint(yield);
  SmallVector<Value> yielded(yield.getValues());
  if (wrapYields)
    yielded = wrapYields(rewriter, yielded);
  scf::YieldOp::create(rewriter, loc, yielded);
  rewriter.eraseOp(yield);
  return loop;
}

namespace {

void inlineMerge(RewriterBase &rewriter, MergeOp op) {
  Block &body = op.getBody().front();
  auto yield = cast<YieldOp>(body.getTerminator());
  rewriter.inlineBlockBefore(&body, op, op.getAccumulators());
  // Inlined, the yield's operands are remapped (a yielded argument is the
  // accumulator itself).
  SmallVector<Value> results(yield.getValues());
  rewriter.eraseOp(yield);
  rewriter.replaceOp(op, results);
}

/// partial_sum(op accumulating into zeros, acc) -> op accumulating into acc:
/// the partial result never exists as a buffer of its own.
struct AccumulateInPlace : OpRewritePattern<PartialSumOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PartialSumOp sum,
                                PatternRewriter &rewriter) const override {
    if (!sum.hasPureTensorSemantics())
      return failure();
    auto producer = sum.getPartial().getDefiningOp<linalg::LinalgOp>();
    if (!producer || !producer->hasOneUse() || producer.getNumDpsInits() != 1 ||
        !isAdditiveReduction(producer))
      return failure();
    if (!isZeroFilled(producer.getDpsInitOperand(0)->get()) ||
        producer.getDpsInitOperand(0)->get().getType() !=
            sum.getAccumulator().getType())
      return failure();
    rewriter.modifyOpInPlace(producer, [&] {
      producer.getDpsInitOperand(0)->set(sum.getAccumulator());
    });
    rewriter.replaceOp(sum, producer->getResults());
    return success();
  }
};

struct FTLowerTileBlocksPass
    : ft::impl::FTLowerTileBlocksBase<FTLowerTileBlocksPass> {
  using FTLowerTileBlocksBase::FTLowerTileBlocksBase;

  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<TileBlockOp> blocks;
    if (loops)
      getOperation().walk([&](TileBlockOp op) { blocks.push_back(op); });
    for (TileBlockOp op : blocks) {
      scf::ForOp loop = lowerTileBlockToLoop(rewriter, op, op.getInits());
      rewriter.replaceOp(op, loop.getResults());
    }
    SmallVector<MergeOp> merges;
    getOperation().walk([&](MergeOp op) { merges.push_back(op); });
    for (MergeOp op : merges)
      inlineMerge(rewriter, op);
    RewritePatternSet patterns(&getContext());
    patterns.add<AccumulateInPlace>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
