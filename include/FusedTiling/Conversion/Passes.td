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

def FTLowerApplyScale : Pass<"ft-lower-apply-scale"> {
  let summary = "Lower tosa.apply_scale to a rounding high multiply and one "
                "shift where the value's range allows";
  let description = [{
    `tosa.apply_scale` (what `tosa-to-linalg` leaves in the body of each
    rescale) is defined on a 64-bit product, and upstream's 32-bit lowering
    (`tosa-to-arith{include-apply-rescale use-32-bit}`) takes a dozen
    instructions per output on a 32-bit core. When the range of the value is
    known at compile time (`ft::ElementRanges`: an int8 convolution's
    accumulator is bounded by its reduction size, its weights and its bias)
    and its multiplier and shift are constants (one, or one per channel),
    double rounding becomes, exactly, with `L = max(0, 31 - s) + 1` and
    `e = max(0, s - 31)`:

    * `y = (v * 2^L * m + 2^31) >> 32`, a rounding high multiply (Arm's
      `SMMULR`; `mulh` plus the low half's top bit on RISC-V);
    * `(y + 2^(e-1) + (v >> 31)) >> e` when every channel has `e >= 1`,
      else `(2y + 2^e + (v >> 31)) >> (e + 1)`,

    provided `v * 2^L` and the sum fit in 32 bits for every `v` in range
    (`FusedTiling/Support/ApplyScale.h` has the proof sketch; a unit test
    checks it against TOSA's definition). Without `wide-multiply` (RISC-V:
    `mulh` without the `mul` for the rounding carry), the rounding moves
    into the addend instead: `hi = (v * 2^j * m) >> 32` with `j >= 2`,
    `j >= 33 - s`, then `(hi + d + ((v >> 31) << (j - 1))) >> (s - 32 + j)`
    (the sign term only for `s > 31`), two instructions fewer. With
    `wide-multiply` the truncating form is taken where it has no sign term
    (Arm's `SMMLA` adds the constant too).

    A result clamped below at the zero point or above (a fused ReLU) drops
    the sign term: with non-negative multipliers a negative value then
    still comes out at or below the zero point. A multiplier that `2^s`
    divides needs no rounding at all: a 32-bit multiply by `m >> s` (TFLite
    ADD's inputs, scaled by 2^20), whatever the value's range. Single
    rounding is double rounding for shifts up to 31. The pass plans and
    rewrites in rounds, so that a rescale whose input an earlier one
    produced sees that one's range. A constant added to the result (the output
    zero point) folds into the addend. Per-channel `L`, addend and shift
    that differ between channels become constant tensors read beside the
    multipliers; equal ones, constants in the body.

    Every other `tosa.apply_scale` (a value of unknown or too wide a range,
    an i48 accumulator, single rounding above 31) is lowered by upstream's
    32-bit patterns, so none survives this pass.

    Example (one channel, `s = 38`, output zero point -128):

    ```mlir
    %0 = tosa.apply_scale %acc, %c1700162964, %c38 {rounding_mode = DOUBLE_ROUND}
    %1 = arith.addi %0, %c-128 : i32
    // becomes (wide-multiply)
    %v2 = arith.shli %acc, %c1 : i32
    %p = arith.muli (extsi %v2), (extsi %c1700162964) : i64
    %y = arith.trunci ((%p + 2^31) >> 32) : i64 to i32
    %t = arith.addi %y, %c-16320 : i32         // 2^6 - 128 * 2^7
    %s = arith.addi %t, (arith.shrsi %acc, %c31) : i32
    %1 = arith.shrsi %s, %c7 : i32
    ```
  }];
  let options = [
    Option<"wideMultiply", "wide-multiply", "bool", /*default=*/"false",
           "Compute the rounding high multiply on an i64 product (Arm's "
           "DSP cores match it to SMMULR/SMMLAR) instead of the halves of "
           "arith.mulsi_extended (mulh and mul on RISC-V, SMULL on Arm "
           "without DSP)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect"];
}

def FTMemRefCopyToLinalg : Pass<"ft-memref-copy-to-linalg"> {
  let summary = "Rewrite memref.copy as linalg.copy, or as loops of words";
  let description = [{
    Upstream lowers a `memref.copy` between non-contiguous memrefs to a call
    of `memrefCopy` from MLIR's C runner library. A microcontroller image has
    no such library, so this pass turns every copy into loops:

    * a copy of a view onto itself (bufferization leaves one of each tile's
      rows in a line buffer, through two subviews built alike) is dropped;
    * a copy of i8 or i16 elements whose rows (the innermost dimension, unit
      stride on both sides, a static multiple of 4 bytes) are contiguous
      becomes a loop nest that moves a word per iteration: with
      `unaligned-words`, an `llvm.load`/`llvm.store` of i32 at the
      element's address (byte alignment; the core must load unaligned
      words, as Armv7-M and later do); otherwise a `vector.load` and
      `vector.store` of the word's elements, which LLVM makes word accesses
      where it proves the alignment and byte accesses where not (RISC-V);
      they carry `alignment = 4` where the pass proves every row starts on
      a word (a view at a whole number of words of an aligned global or
      allocation, through subviews that move by whole words and loops'
      iteration arguments), which LLVM cannot always see through a tile's
      index arithmetic.
      Upstream's copy vectorization needs static shapes; a tile's copies
      have dynamic rows;
    * every other copy becomes a `linalg.copy`, which
      `convert-linalg-to-loops` lowers to plain loops. (Upstream only offers
      that choice through `OneShotBufferizationOptions::memCpyFn`, which
      the textual `one-shot-bufferize` pass does not expose.)

    Example:

    ```mlir
    memref.copy %a, %b : memref<4xi8> to memref<4xi8, strided<[2]>>
    // becomes
    linalg.copy ins(%a : memref<4xi8>) outs(%b : memref<4xi8, strided<[2]>>)
    ```
  }];
  let options = [
    Option<"unalignedWords", "unaligned-words", "bool", /*default=*/"false",
           "The target loads and stores unaligned 32-bit words in one "
           "instruction (Armv7-M and later): copy rows as i32 LLVM loads and "
           "stores">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
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
