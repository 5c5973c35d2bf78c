//===- VectorizeReductions.cpp - Dot products over contiguous runs --------===//
//
// The multiply-accumulate loops ft-scalar-accumulation leaves, rewritten
// to scalable vectors along the reduction (see the pass description): a
// convolution's window row (its columns times its input channels, one
// contiguous run in NHWC) becomes a loop over vector-length-agnostic
// chunks, each a widening multiply and a reduction into the accumulator.
//
//===----------------------------------------------------------------------===//

#include "ContiguousRuns.h"
#include "FusedTiling/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace ft {
#define GEN_PASS_DEF_FTVECTORIZEREDUCTIONS
#include "FusedTiling/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {

void vectorize(OpBuilder &builder, ft::ContiguousDot dot, int64_t lanes) {
  Operation *replaced = dot.replaced();
  Location loc = replaced->getLoc();
  builder.setInsertionPoint(replaced);
  ft::RunBuffers run = ft::buildRunBuffers(builder, loc, dot);
  Type i8 = builder.getI8Type(), i16 = builder.getI16Type(),
       i32 = builder.getI32Type();
  auto vectorOf = [&](Type element) {
    return VectorType::get({lanes}, element, /*scalableDims=*/{true});
  };
  Value step = arith::MulIOp::create(
      builder, loc, vector::VectorScaleOp::create(builder, loc),
      arith::ConstantIndexOp::create(builder, loc, lanes));
  Value length = arith::ConstantIndexOp::create(builder, loc, dot.length);
  Value zeros = arith::ConstantOp::create(
      builder, loc,
      DenseElementsAttr::get(vectorOf(i8), builder.getI8IntegerAttr(0)));
  // A guarded factor's check and padding value, on every lane.
  std::array<Value, 2> insides, paddings;
  for (auto [guard, inside, padding] :
       llvm::zip(dot.guards, insides, paddings)) {
    if (!guard)
      continue;
    inside = vector::BroadcastOp::create(
        builder, loc, vectorOf(builder.getI1Type()), guard.getCondition());
    padding = vector::BroadcastOp::create(builder, loc, vectorOf(i8),
                                          guard.getFalseValue());
  }
  Value init = dot.replaced().getInitArgs()[0];
  auto chunks = scf::ForOp::create(
      builder, loc, arith::ConstantIndexOp::create(builder, loc, 0), length,
      step, ValueRange{init},
      [&](OpBuilder &b, Location l, Value offset, ValueRange acc) {
        // The last chunk reads only what is left: masked off, a lane loads
        // nothing and adds 0.
        Value left = arith::SubIOp::create(b, l, length, offset);
        Value mask = vector::CreateMaskOp::create(b, l, vectorOf(b.getI1Type()),
                                                  ValueRange{left});
        SmallVector<Value> factors;
        for (auto [base, start, inside, padding] :
             llvm::zip(run.bases, run.starts, insides, paddings)) {
          SmallVector<Value> indices = start;
          indices.back() =
              b.createOrFold<arith::AddIOp>(l, indices.back(), offset);
          // Behind a check: no lane reads outside, each one gets the
          // padding value (the other factor is 0 in the tail).
          Value lanes = mask, passThrough = zeros;
          if (inside) {
            lanes = arith::AndIOp::create(b, l, mask, inside);
            passThrough = padding;
          }
          Value bytes = vector::MaskedLoadOp::create(
              b, l, vectorOf(i8), base, indices, lanes, passThrough);
          factors.push_back(arith::ExtSIOp::create(b, l, vectorOf(i16), bytes));
        }
        // int8 x int8 fits in int16: a widening multiply, then a widening
        // sum into the int32 accumulator.
        Value products = arith::MulIOp::create(b, l, factors[0], factors[1]);
        Value wide = arith::ExtSIOp::create(b, l, vectorOf(i32), products);
        Value sum = vector::ReductionOp::create(
            b, l, vector::CombiningKind::ADD, wide, acc[0]);
        scf::YieldOp::create(b, l, sum);
      });
  replaced->getResult(0).replaceAllUsesWith(chunks.getResult(0));
  replaced->erase();
}

struct FTVectorizeReductionsPass
    : ft::impl::FTVectorizeReductionsBase<FTVectorizeReductionsPass> {
  using FTVectorizeReductionsBase::FTVectorizeReductionsBase;

  void runOnOperation() override {
    if (lanes < 1) {
      getOperation().emitError("ft-vectorize-reductions: lanes=")
          << static_cast<int64_t>(lanes)
          << " is not a positive number of int8 lanes per vscale";
      return signalPassFailure();
    }
    OpBuilder builder(&getContext());
    for (scf::ForOp loop : ft::collectInnermostReductions(getOperation())) {
      std::optional<ft::ContiguousDot> dot = ft::matchContiguousDot(loop);
      if (!dot)
        continue;
      ft::flattenWithRow(*dot);
      if (dot->length < minLength)
        continue;
      vectorize(builder, *dot, lanes);
    }
  }
};

} // namespace
