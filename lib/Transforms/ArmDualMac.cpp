//===- ArmDualMac.cpp - SXTB16 and SMLAD on Arm's DSP extension -----------===//
//
// Four int8 products of contiguous elements as two dual 16-bit
// multiply-accumulates (see the pass description).
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace ft {
#define GEN_PASS_DEF_FTARMDUALMAC
#include "FusedTiling/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {

/// An int8 element a product reads, sign-extended: its load and the load's
/// innermost index as a sum of values and a constant (through additions
/// and subtractions: an unrolled run's `start + (i + c)`).
struct ByteRead {
  memref::LoadOp load;
  SmallVector<std::pair<Value, bool>> terms; // (value, subtracted), sorted
  int64_t offset = 0;
};

/// Adds `value` (negated if `negate`) to `read`'s terms and offset.
void addTerms(ByteRead &read, Value value, bool negate, unsigned depth = 0) {
  if (std::optional<int64_t> constant = getConstantIntValue(value)) {
    read.offset += negate ? -*constant : *constant;
    return;
  }
  Operation *op = value.getDefiningOp();
  if (depth < 8 && isa_and_nonnull<arith::AddIOp, arith::SubIOp>(op)) {
    addTerms(read, op->getOperand(0), negate, depth + 1);
    addTerms(read, op->getOperand(1), isa<arith::SubIOp>(op) ? !negate : negate,
             depth + 1);
    return;
  }
  read.terms.emplace_back(value, negate);
}

std::optional<ByteRead> matchByteRead(Value value) {
  auto extend = value.getDefiningOp<arith::ExtSIOp>();
  if (!extend)
    return std::nullopt;
  auto load = extend.getIn().getDefiningOp<memref::LoadOp>();
  if (!load || !load.getType().isInteger(8))
    return std::nullopt;
  MemRefType type = load.getMemRefType();
  if (type.getRank() == 0 || !type.isLastDimUnitStride())
    return std::nullopt;
  ByteRead read{load, {}, 0};
  addTerms(read, load.getIndices().back(), /*negate=*/false);
  llvm::sort(read.terms, [](auto a, auto b) {
    return std::make_pair(a.first.getAsOpaquePointer(), a.second) <
           std::make_pair(b.first.getAsOpaquePointer(), b.second);
  });
  return read;
}

/// Whether `next` reads the element after `read`'s in the same buffer row.
bool isNextByte(ByteRead read, ByteRead next) {
  return read.load.getMemRef() == next.load.getMemRef() &&
         read.terms == next.terms && next.offset == read.offset + 1 &&
         llvm::equal(read.load.getIndices().drop_back(),
                     next.load.getIndices().drop_back());
}

/// A term `sext(a) * sext(b)` of an accumulation, int8 times int8.
struct Product {
  Value term;
  std::optional<ByteRead> a, b;
};

Product matchProduct(Value term) {
  Product product{term, std::nullopt, std::nullopt};
  if (auto multiply = term.getDefiningOp<arith::MulIOp>()) {
    product.a = matchByteRead(multiply.getLhs());
    product.b = matchByteRead(multiply.getRhs());
  }
  return product;
}

/// Whether four products read four consecutive bytes of each operand.
bool isDualMacGroup(ArrayRef<Product> group) {
  if (group.size() != 4 || !group[0].a || !group[0].b)
    return false;
  for (unsigned c = 1; c < 4; ++c)
    if (!group[c].a || !group[c].b ||
        !isNextByte(*group[c - 1].a, *group[c].a) ||
        !isNextByte(*group[c - 1].b, *group[c].b))
      return false;
  return true;
}

/// The four bytes from `read`'s on, as one little-endian i32: an unaligned
/// word load (these cores allow it).
Value loadWord(OpBuilder &builder, Location loc, memref::LoadOp read) {
  auto bytes = vector::LoadOp::create(
      builder, loc, VectorType::get({4}, builder.getI8Type()), read.getMemRef(),
      read.getIndices(), /*nontemporal=*/false, llvm::MaybeAlign(1));
  Value word = vector::BitCastOp::create(
      builder, loc, VectorType::get({1}, builder.getI32Type()), bytes);
  return vector::ExtractOp::create(builder, loc, word, ArrayRef<int64_t>{0});
}

Value callIntrinsic(OpBuilder &builder, Location loc, StringRef name,
                    ValueRange arguments) {
  return LLVM::CallIntrinsicOp::create(builder, loc, builder.getI32Type(),
                                       builder.getStringAttr(name), arguments)
      .getResult(0);
}

/// (even bytes, odd bytes) of `word` as pairs of sign-extended halves:
/// SXTB16 and SXTB16 ROR #8 (LLVM folds the rotate into the instruction).
std::pair<Value, Value> splitBytes(OpBuilder &builder, Location loc,
                                   Value word) {
  Type i32 = builder.getI32Type();
  Value eight = arith::ConstantIntOp::create(builder, loc, i32, 8);
  Value twentyFour = arith::ConstantIntOp::create(builder, loc, i32, 24);
  Value rotated = arith::OrIOp::create(
      builder, loc, arith::ShRUIOp::create(builder, loc, word, eight),
      arith::ShLIOp::create(builder, loc, word, twentyFour));
  return {callIntrinsic(builder, loc, "llvm.arm.sxtb16", word),
          callIntrinsic(builder, loc, "llvm.arm.sxtb16", rotated)};
}

/// The terms `start` is a chain of sums of, in order: start = (((initial +
/// t0) + t1) + ...), each partial sum used only by the next. Empty unless
/// the chain begins at `initial`.
SmallVector<Value> collectTerms(Value start, Value initial) {
  SmallVector<Value> terms;
  Value sum = start;
  while (sum != initial) {
    auto add = sum.getDefiningOp<arith::AddIOp>();
    if (!add || (sum != start && !sum.hasOneUse()))
      return {};
    terms.push_back(add.getRhs());
    sum = add.getLhs();
  }
  std::reverse(terms.begin(), terms.end());
  return terms;
}

/// Rewrites the accumulation of the loop's `index`-th iteration argument;
/// whether it found a group of four to rewrite.
bool rewriteAccumulation(scf::ForOp loop, unsigned index) {
  Value initial = loop.getRegionIterArgs()[index];
  if (!initial.getType().isInteger(32))
    return false;
  auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
  Value result = yield.getOperand(index);
  SmallVector<Value> terms = collectTerms(result, initial);
  SmallVector<Product> products = llvm::map_to_vector(terms, matchProduct);
  bool any = false;
  for (unsigned i = 0; i + 4 <= products.size() && !any; i += 4)
    any = isDualMacGroup(ArrayRef(products).slice(i, 4));
  if (!any)
    return false;

  OpBuilder builder(result.getDefiningOp());
  Location loc = result.getLoc();
  Value sum = initial;
  for (unsigned i = 0; i < products.size();) {
    ArrayRef<Product> group =
        ArrayRef(products).slice(i, std::min<size_t>(4, products.size() - i));
    if (!isDualMacGroup(group)) {
      sum = arith::AddIOp::create(builder, loc, sum, products[i++].term);
      continue;
    }
    auto [aEven, aOdd] =
        splitBytes(builder, loc, loadWord(builder, loc, group[0].a->load));
    auto [bEven, bOdd] =
        splitBytes(builder, loc, loadWord(builder, loc, group[0].b->load));
    // a0 b0 + a2 b2, then a1 b1 + a3 b3: sums wrap, so any order is exact.
    sum = callIntrinsic(builder, loc, "llvm.arm.smlad", {aEven, bEven, sum});
    sum = callIntrinsic(builder, loc, "llvm.arm.smlad", {aOdd, bOdd, sum});
    i += 4;
  }
  result.replaceAllUsesWith(sum);
  // The old chain and whatever only it used (reads included: a load
  // nothing uses can go).
  // (Backwards by hand: an early-increment reverse iterator over a block
  // reads the erased op.)
  for (Operation *op = loop.getBody()->getTerminator()->getPrevNode(); op;) {
    Operation *previous = op->getPrevNode();
    if (op->use_empty() && op->getNumRegions() == 0 &&
        (isMemoryEffectFree(op) || isa<memref::LoadOp>(op)))
      op->erase();
    op = previous;
  }
  return true;
}

struct ArmDualMacPass : ft::impl::FTArmDualMacBase<ArmDualMacPass> {
  void runOnOperation() override {
    getOperation().walk([](scf::ForOp loop) {
      for (unsigned i = 0, e = loop.getNumRegionIterArgs(); i < e; ++i)
        rewriteAccumulation(loop, i);
    });
  }
};

} // namespace
