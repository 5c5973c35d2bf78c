//===- Passes.td - FusedTiling conversion passes -----------*- tablegen -*-===//

#ifndef FUSEDTILING_CONVERSION_PASSES
#define FUSEDTILING_CONVERSION_PASSES

include "mlir/Pass/PassBase.td"

def FTCheckLowerable : Pass<"ft-check-lowerable", "::mlir::ModuleOp"> {
  let summary = "Refuse, up front, IR that ft-lower-to-llvm cannot lower";
  let description = [{
    The first pass of `ft-lower-to-llvm` (after inlining): instead of a
    verifier failure deep inside the pipeline, or a module left half
    lowered, each of these gets one diagnostic at the op that causes it:

    * a nested `builtin.module` (the pipeline lowers the functions of the
      top-level module; lower each module on its own);
    * a call that inlining could not remove (a recursive or external
      callee): the arena is planned per function, for the whole call tree;
    * a tensor of dynamic or unknown shape (a function argument or the
      result of an op of a function's body; inside a tile block, sizes that
      vary with the tile are the planner's to bound): the static arena
      needs every buffer's size at compile time.
  }];
}

def FTDecomposeTransposeConv : Pass<"ft-decompose-transpose-conv"> {
  let summary = "Rewrite tosa.transpose_conv2d as tosa.conv2d";
  let description = [{
    `tosa-to-linalg` cannot lower `tosa.transpose_conv2d`. (The TFLite
    importer never emits one: it splits a TRANSPOSE_CONV into one convolution
    per output phase itself, requantizing each; this pass is for TOSA from
    elsewhere.) This pass applies
    upstream's decomposition of it (the patterns of
    `tosa-optional-decompositions` for transposed convolutions, and only
    those: the other patterns of that pass turn 1x1 and depthwise
    convolutions into matmuls and multiplies, which the tiling and the
    kernels expect to find as convolutions). A unit stride becomes a
    convolution with the filter reversed; a larger stride becomes a
    convolution with `stride_y * stride_x` times the output channels, whose
    result is reshaped and transposed into place, then sliced to the
    output (a negative `out_pad` is a slice) and the bias added.

    Example:

    ```mlir
    %0 = tosa.transpose_conv2d %x, %w, %b, %zp, %zp {acc_type = f32,
           out_pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
    // becomes
    %r = tosa.reverse %w {axis = 1 : i32}
    %r2 = tosa.reverse %r {axis = 2 : i32}
    %0 = tosa.conv2d %x, %r2, %b, %zp, %zp {pad = array<i64: KH-1, KH-1,
           KW-1, KW-1>, ...}
    ```
  }];
  let dependentDialects = ["::mlir::tosa::TosaDialect"];
}

def FTMemRefCopyToLinalg : Pass<"ft-memref-copy-to-linalg"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    Upstream lowers a `memref.copy` between non-contiguous memrefs to a call
    of `memrefCopy` from MLIR's C runner library. A microcontroller image has
    no such library, so this pass turns every copy into a `linalg.copy`,
    which `convert-linalg-to-loops` then lowers to plain loops. (Upstream only
    offers the same choice through `OneShotBufferizationOptions::memCpyFn`,
    which the textual `one-shot-bufferize` pass does not expose.)

    Example:

    ```mlir
    memref.copy %a, %b : memref<4xi8> to memref<4xi8, strided<[2]>>
    // becomes
    linalg.copy ins(%a : memref<4xi8>) outs(%b : memref<4xi8, strided<[2]>>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def FTApproximateMath : Pass<"ft-approximate-math"> {
  let summary = "Replace math functions by polynomial approximations";
  let description = [{
    `math.exp`, `math.tanh`, `math.log`, ... (from TOSA's exp, sigmoid, tanh
    on float tensors) would otherwise become calls to libm (`expf`, ...),
    which a bare-metal object must not need. This pass applies MLIR's
    polynomial approximation patterns (`populateMathPolynomialApproximation
    Patterns`; upstream exposes them only to its test pass), leaving plain
    `arith` code. It also expands what LLVM would lower to libm calls on a
    target without the instruction (soft-float rv32imc, Cortex-M4's FPU,
    x86-64 without FMA or SSE4.1): `math.fma` into a multiply and an add,
    `arith.maximumf`/`minimumf` into compares and selects, `math.floor` and
    `math.ceil` on f32 through an i32 below 2^23 (exact), `math.roundeven`
    on f32 by adding and subtracting 2^23. It runs for every
    target, so every target computes the same float arithmetic.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def FTConvertVectorToLLVM : Pass<"ft-convert-vector-to-llvm", "::mlir::ModuleOp"> {
  let summary = "Lower vector ops to the LLVM dialect with a given index bitwidth";
  let description = [{
    Upstream's `convert-vector-to-llvm` with the `index-bitwidth` option that
    `finalize-memref-to-llvm`, `convert-arith-to-llvm` and the others have
    and it lacks: it converts a memref's descriptor with 64-bit indices
    whatever the target, which leaves unresolvable casts beside the other
    passes' 32-bit ones on a 32-bit target. The same patterns
    (`populateVectorToLLVMConversionPatterns`), a type converter with this
    bitwidth. Used where the lowering emits vector ops (the word loads of
    `ft-arm-dual-mac`).
  }];
  let options = [
    Option<"indexBitwidth", "index-bitwidth", "unsigned", /*default=*/"0",
           "Bitwidth of index: 0 (the host's pointer size), 32 or 64">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // FUSEDTILING_CONVERSION_PASSES
