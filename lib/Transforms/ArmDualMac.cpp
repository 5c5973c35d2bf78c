//===- ArmDualMac.cpp - SXTB16 and SMLAD on Arm's DSP extension -----------===//
//
// Four int8 products of contiguous elements as two dual 16-bit
// multiply-accumulates (see the pass description).
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Transforms/Passes.h"

#include "FusedTiling/Support/MemRefAddress.h"

#include "mlir/Dialect/Affine/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "llvm/Support/FormatVariadic.h"

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

/// Erases the ops of `loop`'s body nothing uses any more: replaced chains
/// and whatever only they used (reads included: a load nothing uses can go).
void eraseDeadChains(scf::ForOp loop) {
  // (Backwards by hand: an early-increment reverse iterator over a block
  // reads the erased op.)
  for (Operation *op = loop.getBody()->getTerminator()->getPrevNode(); op;) {
    Operation *previous = op->getPrevNode();
    if (op->use_empty() && op->getNumRegions() == 0 &&
        (isMemoryEffectFree(op) || isa<memref::LoadOp>(op)))
      op->erase();
    op = previous;
  }
}

/// Whether two loads read the same element (the same buffer and index
/// values).
bool isSameRead(memref::LoadOp a, memref::LoadOp b) {
  return a.getMemRef() == b.getMemRef() && a.getIndices() == b.getIndices();
}

/// How many bytes after `from`'s element `to` reads, in the same int8
/// buffer (static strides): a constant, or nothing.
std::optional<int64_t> byteDistance(memref::LoadOp from, memref::LoadOp to) {
  if (from.getMemRef() != to.getMemRef())
    return std::nullopt;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(from.getMemRefType().getStridesAndOffset(strides, offset)))
    return std::nullopt;
  int64_t distance = 0;
  for (auto [stride, a, b] :
       llvm::zip_equal(strides, from.getIndices(), to.getIndices())) {
    if (a == b)
      continue;
    FailureOr<int64_t> delta =
        ValueBoundsConstraintSet::computeConstantDelta(b, a);
    if (failed(delta) || ShapedType::isDynamic(stride))
      return std::nullopt;
    distance += *delta * stride;
  }
  return distance;
}

/// The address of `load`'s element as an i32 (int8 elements).
Value byteAddress(OpBuilder &builder, Location loc, memref::LoadOp load) {
  return arith::IndexCastOp::create(
      builder, loc, builder.getI32Type(),
      ft::getElementByteAddress(builder, loc, load.getMemRef(),
                                load.getIndices()));
}

/// One group of four bytes of a block of P x Q accumulations as a fixed
/// instruction sequence: acc(i, j) += a_i . b_j over the four bytes, a_i at
/// `pa` + `aOffsets[i]`, b_j at `pb` + `bOffsets[j]`: each a_i loaded and
/// split once, then each b_j in turn. Written as inline assembly because
/// LLVM, given the same intrinsics, hoists every load of an unrolled loop
/// to its top and spills the accumulators (a 2 x 2 block keeps 13 values
/// live: 4 accumulators, 6 words and halves, 2 addresses and the loop's
/// bound; the M4 has 14 registers). Returns the new accumulators, [i][j]
/// row-major.
SmallVector<Value> emitDualMacBlock(OpBuilder &builder, Location loc,
                                    ArrayRef<Value> accumulators, Value pa,
                                    Value pb, ArrayRef<int64_t> aOffsets,
                                    ArrayRef<int64_t> bOffsets) {
  const unsigned p = aOffsets.size(), q = bOffsets.size();
  const unsigned numAccumulators = p * q;
  // Operands: $0.. the accumulators, then 2 p + 2 scratch registers (a_i's
  // even and odd halves, b_j's), then the tied inputs, pa, pb.
  const unsigned aEven = numAccumulators, bEven = aEven + 2 * p;
  const unsigned numOutputs = bEven + 2;
  const unsigned paOperand = numOutputs + numAccumulators;
  std::string text;
  llvm::raw_string_ostream os(text);
  for (unsigned i = 0; i < p; ++i)
    os << llvm::formatv("ldr ${0}, [${1}, #{2}]\n"
                        "sxtb16 ${3}, ${0}\n"
                        "sxtb16 ${0}, ${0}, ror #8\n",
                        aEven + 2 * i + 1, paOperand, aOffsets[i],
                        aEven + 2 * i);
  for (unsigned j = 0; j < q; ++j) {
    os << llvm::formatv("ldr ${0}, [${1}, #{2}]\n"
                        "sxtb16 ${3}, ${0}\n"
                        "sxtb16 ${0}, ${0}, ror #8\n",
                        bEven + 1, paOperand + 1, bOffsets[j], bEven);
    for (unsigned i = 0; i < p; ++i)
      os << llvm::formatv("smlad ${0}, ${1}, ${2}, ${0}\n"
                          "smlad ${0}, ${3}, ${4}, ${0}\n",
                          i * q + j, aEven + 2 * i, bEven, aEven + 2 * i + 1,
                          bEven + 1);
  }
  std::string constraints;
  for (unsigned k = 0; k < numAccumulators; ++k)
    constraints += "=r,";
  for (unsigned k = aEven; k < numOutputs; ++k)
    constraints += "=&r,";
  for (unsigned k = 0; k < numAccumulators; ++k)
    constraints += std::to_string(k) + ",";
  constraints += "r,r";
  Type i32 = builder.getI32Type();
  auto resultType = LLVM::LLVMStructType::getLiteral(
      builder.getContext(), SmallVector<Type>(numOutputs, i32));
  SmallVector<Value> operands(accumulators);
  operands.append({pa, pb});
  auto assembly = LLVM::InlineAsmOp::create(
      builder, loc, resultType, operands, text, constraints,
      /*has_side_effects=*/false, /*is_align_stack=*/false,
      LLVM::tailcallkind::TailCallKind::None,
      LLVM::AsmDialectAttr::get(builder.getContext(), LLVM::AsmDialect::AD_ATT),
      /*operand_attrs=*/ArrayAttr());
  SmallVector<Value> results;
  for (unsigned k = 0; k < numAccumulators; ++k)
    results.push_back(
        LLVM::ExtractValueOp::create(builder, loc, assembly.getRes(), k));
  return results;
}

/// A loop whose i32 iteration arguments (2 or 4, nothing else) accumulate
/// a block of products: accumulator (i, j) the products of read i of one
/// buffer with read j of another (1 x 2, 1 x 4 or 2 x 2 reads), all in
/// groups of four contiguous bytes at constant distances.
struct DualMacBlock {
  /// The first group's first reads: of the side kept in registers (the
  /// one with fewer reads), and of the other.
  memref::LoadOp keptRead, otherRead;
  /// The accumulator of (kept read i, other read j), at i * q + j.
  SmallVector<unsigned> accumulatorOf;
  /// Per group, the byte offsets of the kept side's reads, then the
  /// other's, from keptRead and otherRead.
  SmallVector<std::pair<SmallVector<int64_t>, SmallVector<int64_t>>> offsets;
};

std::optional<DualMacBlock> matchBlock(scf::ForOp loop) {
  const unsigned numAccumulators = loop.getNumRegionIterArgs();
  if (numAccumulators != 2 && numAccumulators != 4)
    return std::nullopt;
  auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
  // products[k]: accumulator k's products, in groups of four.
  SmallVector<SmallVector<Product>> products;
  for (unsigned k = 0; k < numAccumulators; ++k) {
    Value initial = loop.getRegionIterArgs()[k];
    if (!initial.getType().isInteger(32))
      return std::nullopt;
    SmallVector<Value> terms = collectTerms(yield.getOperand(k), initial);
    if (terms.empty() || terms.size() % 4 != 0)
      return std::nullopt;
    products.push_back(llvm::map_to_vector(terms, matchProduct));
    if (products[k].size() != products[0].size())
      return std::nullopt;
    for (unsigned i = 0; i < terms.size(); i += 4)
      if (!isDualMacGroup(ArrayRef(products[k]).slice(i, 4)))
        return std::nullopt;
  }
  const unsigned numGroups = products[0].size() / 4;
  // read(side, k, g): the first byte accumulator k's group g reads from
  // buffer `side` (0: the products' left operands, 1: right).
  auto read = [&](unsigned side, unsigned k, unsigned g) {
    const Product &product = products[k][4 * g];
    return side ? product.b->load : product.a->load;
  };
  // Each accumulator's read of each side, numbered in order of appearance
  // in group 0.
  SmallVector<unsigned> index[2];
  SmallVector<unsigned> firstUser[2]; // read n's first accumulator
  for (unsigned side = 0; side < 2; ++side)
    for (unsigned k = 0; k < numAccumulators; ++k) {
      unsigned n = 0;
      while (n < firstUser[side].size() &&
             !isSameRead(read(side, k, 0), read(side, firstUser[side][n], 0)))
        ++n;
      if (n == firstUser[side].size())
        firstUser[side].push_back(k);
      index[side].push_back(n);
    }
  // The side with fewer reads is kept split in registers (at most 2).
  const unsigned kept = firstUser[0].size() <= firstUser[1].size() ? 0 : 1;
  const unsigned p = firstUser[kept].size(), q = firstUser[1 - kept].size();
  if (p > 2 || p * q != numAccumulators)
    return std::nullopt;
  SmallVector<unsigned> accumulatorOf(numAccumulators, numAccumulators);
  for (unsigned k = 0; k < numAccumulators; ++k) {
    unsigned &slot = accumulatorOf[index[kept][k] * q + index[1 - kept][k]];
    if (slot != numAccumulators)
      return std::nullopt;
    slot = k;
  }
  // Every group's reads at constant distances from group 0's first ones,
  // in the same pairing, within a load's immediate offset (0 to 4095).
  // offsets[g][side][n]: group g's read n of `side`.
  SmallVector<std::array<SmallVector<int64_t>, 2>> offsets(numGroups);
  for (unsigned g = 0; g < numGroups; ++g)
    for (unsigned side = 0; side < 2; ++side) {
      offsets[g][side].assign(firstUser[side].size(), -1);
      for (unsigned k = 0; k < numAccumulators; ++k) {
        std::optional<int64_t> distance =
            byteDistance(read(side, 0, 0), read(side, k, g));
        int64_t &slot = offsets[g][side][index[side][k]];
        if (!distance || *distance < 0 || *distance > 4095 ||
            (slot >= 0 && slot != *distance))
          return std::nullopt;
        slot = *distance;
      }
    }

  DualMacBlock block{read(kept, 0, 0), read(1 - kept, 0, 0), accumulatorOf, {}};
  for (const std::array<SmallVector<int64_t>, 2> &group : offsets)
    block.offsets.emplace_back(group[kept], group[1 - kept]);
  return block;
}

/// Rewrites `loop`, matched as `block`, with one `emitDualMacBlock` per
/// group.
void rewriteBlock(scf::ForOp loop, const DualMacBlock &block) {
  auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
  OpBuilder builder(yield);
  Location loc = yield.getLoc();
  Value keptAddress = byteAddress(builder, loc, block.keptRead);
  Value otherAddress = byteAddress(builder, loc, block.otherRead);
  SmallVector<Value> accumulators =
      llvm::map_to_vector(block.accumulatorOf, [&](unsigned k) -> Value {
        return loop.getRegionIterArgs()[k];
      });
  for (const auto &[keptOffsets, otherOffsets] : block.offsets)
    accumulators = emitDualMacBlock(builder, loc, accumulators, keptAddress,
                                    otherAddress, keptOffsets, otherOffsets);
  for (auto [slot, k] : llvm::enumerate(block.accumulatorOf))
    yield->setOperand(k, accumulators[slot]);
  eraseDeadChains(loop);
}

/// Groups per iteration up to which a matched loop is unrolled (and in
/// all, up to which LLVM may unroll it whole).
constexpr int64_t kMaxGroupsPerIteration = 16;

/// Matches `loop` as a block and rewrites it, unrolled first by the largest
/// of 8, 4 and 2 that divides its static trip count (and leaves a loop) as
/// long as an iteration holds at most kMaxGroupsPerIteration groups: the
/// reads of the unrolled copies are then immediate offsets from the same
/// two addresses (LLVM, unrolling it itself, computed an address per copy
/// and kept them in spilled registers). Whether it did; `loop` is the loop
/// after unrolling either way.
bool unrollAndRewriteBlock(scf::ForOp &loop) {
  std::optional<DualMacBlock> block = matchBlock(loop);
  if (!block)
    return false;
  const int64_t groups = block->offsets.size();
  if (std::optional<APInt> trips = loop.getStaticTripCount()) {
    const int64_t tripCount = trips->getSExtValue();
    for (int64_t factor : {8, 4, 2}) {
      if (tripCount % factor != 0 || factor >= tripCount ||
          factor * groups > kMaxGroupsPerIteration)
        continue;
      FailureOr<UnrolledLoopInfo> unrolled = loopUnrollByFactor(loop, factor);
      if (failed(unrolled) || !unrolled->mainLoopOp)
        break;
      loop = *unrolled->mainLoopOp;
      block = matchBlock(loop);
      break;
    }
  }
  // (Unrolled copies read at distances the analysis does not see: the
  // products stay, and take the intrinsics.)
  if (!block)
    return false;
  rewriteBlock(loop, *block);
  // LLVM sees each block as one instruction: a loop of a few blocks in all
  // it unrolls whole, and then the loops around it (a 3 x 3 window: faster,
  // little code); longer ones (a dense layer's 128 or 640 inputs, 4 or 20
  // iterations of 8 blocks) it would unroll whole too (ad: 23 KB of code).
  std::optional<APInt> trips = loop.getStaticTripCount();
  if (trips && trips->getSExtValue() * int64_t(block->offsets.size()) <=
                   kMaxGroupsPerIteration)
    return true;
  MLIRContext *context = loop.getContext();
  loop->setAttr(
      "llvm.loop_annotation",
      LLVM::LoopAnnotationAttr::get(
          context, {}, {}, {},
          LLVM::LoopUnrollAttr::get(context, BoolAttr::get(context, true), {},
                                    {}, {}, {}, {}, {}),
          {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}));
  return true;
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
  eraseDeadChains(loop);
  return true;
}

struct ArmDualMacPass : ft::impl::FTArmDualMacBase<ArmDualMacPass> {
  void getDependentDialects(DialectRegistry &registry) const override {
    FTArmDualMacBase::getDependentDialects(registry);
    // Distances between reads through affine and arith index computations.
    affine::registerValueBoundsOpInterfaceExternalModels(registry);
    arith::registerValueBoundsOpInterfaceExternalModels(registry);
  }

  void runOnOperation() override {
    // (Collected first: unrolling replaces loops.)
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) { loops.push_back(loop); });
    for (scf::ForOp loop : loops) {
      if (unrollAndRewriteBlock(loop))
        continue;
      for (unsigned i = 0, e = loop.getNumRegionIterArgs(); i < e; ++i)
        rewriteAccumulation(loop, i);
    }
  }
};

} // namespace
