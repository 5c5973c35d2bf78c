//===- MemRefCopyToLinalg.cpp - memref.copy as loops of words or linalg --===//

#include "FusedTiling/Conversion/Passes.h"

#include "FusedTiling/Support/MemRefAddress.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace ft {
#define GEN_PASS_DEF_FTMEMREFCOPYTOLINALG
#include "FusedTiling/Conversion/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {
/// Whether `a` and `b` are the same elements of the same buffer: one value,
/// or equal views of it (bufferization leaves copies of a tile's rows onto
/// themselves, through two subviews built alike).
bool isSameView(Value a, Value b) {
  if (a == b)
    return true;
  Operation *defA = a.getDefiningOp(), *defB = b.getDefiningOp();
  return defA && defB && isa<ViewLikeOpInterface>(defA) &&
         isMemoryEffectFree(defA) &&
         OperationEquivalence::isEquivalentTo(
             defA, defB, OperationEquivalence::IgnoreLocations);
}

struct CopyToLinalg : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::CopyOp copy,
                                PatternRewriter &rewriter) const override {
    auto target = dyn_cast<MemRefType>(copy.getTarget().getType());
    if (!target || !target.hasRank())
      return rewriter.notifyMatchFailure(copy, "unranked copy");
    if (isSameView(copy.getSource(), copy.getTarget())) {
      rewriter.eraseOp(copy);
      return success();
    }
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                copy.getTarget());
    return success();
  }
};

/// The address of `memref`'s element at `indices` as an LLVM pointer.
Value elementPointer(OpBuilder &builder, Location loc, Value memref,
                     ValueRange indices) {
  Value integer = arith::IndexCastOp::create(
      builder, loc, builder.getI64Type(),
      ft::getElementByteAddress(builder, loc, memref, indices));
  return LLVM::IntToPtrOp::create(
      builder, loc, LLVM::LLVMPointerType::get(builder.getContext()), integer);
}

/// Whether every row of `memref` starts on a 4-byte boundary: its first
/// element is word-aligned and every stride but the innermost is a multiple
/// of 4 bytes. Followed through views to an aligned global or allocation
/// (the arena) and through the iteration arguments of loops.
bool rowsAreWordAligned(Value memref, unsigned depth = 0) {
  auto type = dyn_cast<MemRefType>(memref.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!type || depth > 32 || failed(type.getStridesAndOffset(strides, offset)))
    return false;
  const int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  if (elementBytes == 0)
    return false;
  // (A dimension of one element never moves the address.)
  for (auto [size, stride] : llvm::zip(type.getShape().drop_back(), strides))
    if (size != 1 &&
        (ShapedType::isDynamic(stride) || stride * elementBytes % 4 != 0))
      return false;
  auto alignedTo4 = [](std::optional<uint64_t> alignment) {
    return alignment && *alignment % 4 == 0;
  };
  if (auto argument = dyn_cast<BlockArgument>(memref)) {
    auto loop = dyn_cast<scf::ForOp>(argument.getOwner()->getParentOp());
    if (!loop || argument.getArgNumber() == 0)
      return false;
    OpOperand *init = loop.getTiedLoopInit(argument);
    Value yielded = loop.getTiedLoopYieldedValue(argument)->get();
    return init && rowsAreWordAligned(init->get(), depth + 1) &&
           (yielded == argument || rowsAreWordAligned(yielded, depth + 1));
  }
  Operation *producer = memref.getDefiningOp();
  if (auto get = dyn_cast<memref::GetGlobalOp>(producer)) {
    auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
        get, get.getNameAttr());
    return global && alignedTo4(global.getAlignment()) && offset == 0;
  }
  if (auto alloc = dyn_cast<memref::AllocOp>(producer))
    return alignedTo4(alloc.getAlignment()) && offset == 0;
  if (auto alloca = dyn_cast<memref::AllocaOp>(producer))
    return alignedTo4(alloca.getAlignment()) && offset == 0;
  if (auto view = dyn_cast<memref::ViewOp>(producer)) {
    APInt shift;
    return matchPattern(view.getByteShift(), m_ConstantInt(&shift)) &&
           shift.getSExtValue() % 4 == 0 &&
           rowsAreWordAligned(view.getSource(), depth + 1);
  }
  if (auto subview = dyn_cast<memref::SubViewOp>(producer)) {
    // The first element moves by the offsets times the source's strides:
    // each a whole number of words.
    SmallVector<int64_t> sourceStrides;
    int64_t sourceOffset;
    if (failed(subview.getSourceType().getStridesAndOffset(sourceStrides,
                                                           sourceOffset)))
      return false;
    for (auto [offsetOfDim, stride] :
         llvm::zip_equal(subview.getMixedOffsets(), sourceStrides)) {
      std::optional<int64_t> constantOffset = getConstantIntValue(offsetOfDim);
      if (constantOffset == 0)
        continue;
      if (ShapedType::isDynamic(stride))
        return false;
      const int64_t step = stride * elementBytes;
      if (step % 4 != 0 && (!constantOffset || *constantOffset * step % 4 != 0))
        return false;
    }
    return rowsAreWordAligned(subview.getSource(), depth + 1);
  }
  if (isa<memref::CollapseShapeOp, memref::ExpandShapeOp, memref::CastOp>(
          producer))
    return rowsAreWordAligned(producer->getOperand(0), depth + 1);
  return false;
}

/// A copy of bytes (or halfwords) whose rows (the innermost dimension, unit
/// stride on both sides, a static multiple of one word) move a word at a
/// time: loops over the other dimensions and along the rows, one word per
/// iteration. Upstream's copy vectorization (linalg::vectorizeCopy) needs
/// static shapes, which a tile's copies do not have.
///
/// Where unaligned word accesses are single instructions (Armv7-M and
/// later), an i32 LLVM load and store with byte alignment: a memref of
/// bytes cannot be read as words, and LLVM's Arm backend splits a
/// `vector<4xi8>` it knows to be aligned into a halfword and two bytes.
/// Elsewhere (RISC-V), vector loads and stores of the word's elements: LLVM
/// makes them word accesses where it proves the alignment, byte accesses
/// (never worse than the loop of bytes) where not.
struct CopyRowsByWords : OpRewritePattern<memref::CopyOp> {
  CopyRowsByWords(MLIRContext *context, bool unalignedWords)
      : OpRewritePattern(context, /*benefit=*/2),
        unalignedWords(unalignedWords) {}

  LogicalResult matchAndRewrite(memref::CopyOp copy,
                                PatternRewriter &rewriter) const override {
    auto source = dyn_cast<MemRefType>(copy.getSource().getType());
    auto target = dyn_cast<MemRefType>(copy.getTarget().getType());
    if (!source || !target || source.getRank() == 0 ||
        source.getElementType() != target.getElementType() ||
        isSameView(copy.getSource(), copy.getTarget()))
      return failure();
    auto element = dyn_cast<IntegerType>(source.getElementType());
    if (!element || (element.getWidth() != 8 && element.getWidth() != 16))
      return failure();
    const int64_t perWord = 32 / element.getWidth();
    const int64_t rowLength = source.getShape().back();
    if (ShapedType::isDynamic(rowLength) || rowLength % perWord != 0 ||
        rowLength != target.getShape().back())
      return failure();
    for (MemRefType type : {source, target}) {
      SmallVector<int64_t> strides;
      int64_t offset;
      if (failed(type.getStridesAndOffset(strides, offset)) ||
          strides.back() != 1)
        return failure();
    }

    Location loc = copy.getLoc();
    const int64_t rank = source.getRank();
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    SmallVector<Value> lower(rank, zero), upper, steps(rank, one);
    for (int64_t d = 0; d < rank; ++d)
      upper.push_back(memref::DimOp::create(rewriter, loc, copy.getSource(), d)
                          .getResult());
    steps.back() = arith::ConstantIndexOp::create(rewriter, loc, perWord);
    // A word's alignment where every row provably starts on one (LLVM
    // cannot always see it through the tile's index arithmetic).
    auto alignment = [](Value memref) {
      return rowsAreWordAligned(memref) ? llvm::MaybeAlign(4)
                                        : llvm::MaybeAlign();
    };
    scf::buildLoopNest(
        rewriter, loc, lower, upper, steps,
        [&](OpBuilder &b, Location nestedLoc, ValueRange ivs) {
          if (!unalignedWords) {
            auto wordType = VectorType::get({perWord}, element);
            Value word = vector::LoadOp::create(
                b, nestedLoc, wordType, copy.getSource(), ivs,
                /*nontemporal=*/false, alignment(copy.getSource()));
            vector::StoreOp::create(b, nestedLoc, word, copy.getTarget(), ivs,
                                    /*nontemporal=*/false,
                                    alignment(copy.getTarget()));
            return;
          }
          Value from = elementPointer(b, nestedLoc, copy.getSource(), ivs);
          Value to = elementPointer(b, nestedLoc, copy.getTarget(), ivs);
          Value word = LLVM::LoadOp::create(b, nestedLoc, b.getI32Type(), from,
                                            /*alignment=*/1);
          LLVM::StoreOp::create(b, nestedLoc, word, to, /*alignment=*/1);
        });
    rewriter.eraseOp(copy);
    return success();
  }

private:
  bool unalignedWords;
};

struct FTMemRefCopyToLinalgPass
    : ft::impl::FTMemRefCopyToLinalgBase<FTMemRefCopyToLinalgPass> {
  using FTMemRefCopyToLinalgBase::FTMemRefCopyToLinalgBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<CopyToLinalg>(&getContext());
    patterns.add<CopyRowsByWords>(&getContext(), unalignedWords);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
