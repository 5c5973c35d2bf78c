//===- VectorToLLVM.cpp - Vector to LLVM with an index bitwidth -----------===//

#include "FusedTiling/Conversion/Passes.h"

#include "mlir/Conversion/LLVMCommon/ConversionTarget.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVM.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace ft {
#define GEN_PASS_DEF_FTCONVERTVECTORTOLLVM
#include "FusedTiling/Conversion/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {
struct ConvertVectorToLLVMPass
    : ft::impl::FTConvertVectorToLLVMBase<ConvertVectorToLLVMPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    LowerToLLVMOptions options(context);
    if (indexBitwidth != 0)
      options.overrideIndexBitwidth(indexBitwidth);
    LLVMTypeConverter converter(context, options);
    RewritePatternSet patterns(context);
    // A scalable mask (ft-vectorize-reductions) is a compare of a step
    // vector with its bound: 32-bit lanes are enough for any run and half
    // as wide as 64-bit ones.
    populateVectorToLLVMConversionPatterns(converter, patterns,
                                           /*reassociateFPReductions=*/false,
                                           /*force32BitVectorIndices=*/true);
    // Only the vector ops change; the other passes convert the rest (the
    // casts between meet in reconcile-unrealized-casts).
    ConversionTarget target(*context);
    target.addIllegalDialect<vector::VectorDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
