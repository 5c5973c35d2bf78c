//===- Passes.td - FusedTiling transforms ------------------*- tablegen -*-===//

#ifndef FUSEDTILING_TRANSFORMS_PASSES
#define FUSEDTILING_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def FTFuseLayerElementwise : Pass<"ft-fuse-layer-elementwise", "::mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg ops, keeping every layer's output in its TFLite shape";
  let description = [{
    `linalg-fuse-elementwise-ops` with one restriction: a reshape folds into
    the op that consumes it, never into the op whose result it reshapes. A
    producer generic is fused into its single consumer (a bias broadcast
    into its requantization), a requantization reading a depthwise
    convolution's NHWCM accumulator through a collapse becomes NHWCM itself,
    and constants fold. But the requantization of a layer followed by a
    flatten keeps its NHWC shape, where upstream's pass would make it a
    rank-6 op whose axes no longer are the TFLite tensor's axes that
    `ft-tile-path` names. A `linalg.reduce` is generalized so that the
    elementwise producer it reads (a gather) still fuses into it.

    This is the front fusion of `ft-tosa-to-linalg`; after tiling, the
    lowering fuses with upstream's pass.
  }];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def FTScalarAccumulation : Pass<"ft-scalar-accumulation", "::mlir::func::FuncOp"> {
  let summary = "Compute reductions one output element at a time, in a scalar accumulator";
  let description = [{
    Upstream TOSA-to-linalg materialises a convolution's whole accumulator
    (int32 for quantized layers) and a padded copy of its input. This pass
    rewrites every linalg op with reduction loops (convolutions, depthwise
    convolutions, matmuls, pooling, reductions), static or tile-shaped, into an
    all-parallel `linalg.generic`: its payload runs the op's reduction
    loops (`scf.for`, in the op's loop order) for one output element and
    carries the accumulator as an iteration argument, which LLVM keeps in a
    register. A fill's scalar starts the accumulator; any other initial
    value (a bias broadcast) becomes an elementwise input.

    An input produced by a `tensor.pad` with a constant padding value is
    read from the pad's source, and the padding value taken outside it: the
    padded copy disappears. Where the bounds check is the same throughout
    the innermost reduction loop (a convolution summing its input
    channels), the source is read at clamped indices and the value
    selected, and LLVM hoists the check out of that loop; where it changes
    there (a depthwise convolution's or a pooling's window), the element is
    read behind an `scf.if`, fewer instructions per element on cores
    without min/max or conditional moves (rv32gc). Clamping needs a
    non-empty source: a source of dynamic size (a tile) qualifies when it
    holds at least one element in every tile of the enclosing
    `ft.tile_block`s in which the op computes anything (evaluated tile by
    tile); otherwise it is read behind an `scf.if` too. Where elements are
    read behind an `scf.if`, the output element first checks once whether
    its whole window is inside the source (window indices that never
    decrease along a loop: its first and last elements bound it) and then
    runs a second copy of the loop nest that reads without any check
    (windows of at most 16 elements: a large one has few interior output
    elements).
    Inputs the payload does not read (a pooling window's shape) are
    dropped.

    The result is an elementwise producer, so `linalg-fuse-elementwise-ops`
    folds it into the requantization that follows: a quantized layer then
    needs no scratch memory at all, as in TFLite Micro's kernels. The
    reduction order is unchanged, so integer results are identical and
    float results round the same way.

    Ops with several results or loops that are neither parallel nor
    reductions are left alone.

    The innermost reduction loop is unrolled by `unroll` when it runs at
    least twice that often: its index and loop arithmetic is then shared by
    several multiply-accumulates (LLVM does not unroll it at -O2 on rv32).
    1 leaves it whole, for `ft-vectorize-reductions`.
  }];
  let options = [
    Option<"unroll", "unroll", "int64_t", /*default=*/"4",
           "Unroll factor of the innermost reduction loop (1: none)">,
  ];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::linalg::LinalgDialect"];
}

def FTTileRequantization : Pass<"ft-tile-requantization", "::mlir::func::FuncOp"> {
  let summary = "Compute each convolution one output row at a time with its requantization";
  let description = [{
    Upstream TOSA-to-linalg materialises a quantized convolution's whole
    int32 accumulator, and a padded copy of its whole input, before the
    elementwise op that requantizes it. This pass tiles that elementwise op
    over the output's batch and row dimensions (tile size 1) and its output
    channels (16 at a time; for fully connected layers only these) and fuses
    into
    the tile loop only the layer's private producers: the convolution, the
    op that broadcasts its bias into the accumulator, fills, and the padding
    of its input. Each tile then needs an accumulator of one row and 16
    channels and a padded input window, which the arena planner reuses
    across tiles.

    When an input of the requantizing op has the result's type and dies
    there (a residual add's skip connection), the result is written over
    it: the input becomes the op's init and each tile reads it through the
    loop's iteration argument, which is exact because a tile reads exactly
    the elements it writes.

    Producers that are other layers are never fused: that would recompute
    their halos (fused feature-map tiling is a separate transformation).
    Integer results are unchanged: tiling only splits parallel dimensions.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::linalg::LinalgDialect"];
}

def FTProfileLayers : Pass<"ft-profile-layers", "::mlir::ModuleOp"> {
  let summary = "Bracket every layer's code with calls to profiling hooks";
  let description = [{
    A per-layer profile, as TFLite Micro's MicroProfiler gives one: every
    linalg op of a function (after bufferization, where each is one
    layer's loop nest, a tile's part of it, or a copy) is bracketed by
    `call @ft_profile_begin(%slot)` and `call @ft_profile_end(%slot)`,
    consecutive ops of the same layer by one pair. `%slot` is an i32: the
    layer's position in the module attribute `ft.profile_layers` (the
    layers of every `ft.layers` in the module, by TFLite operator index,
    each `"#index name"`, the name up to its first `;`), or -1 for ops of
    no layer (a tile's window
    copies). The caller defines the hooks: a counter read in each and a
    table of sums per slot gives instructions or cycles per layer
    (runtime/riscv32-virt does this with minstret). Tile loops call them
    once per tile.

    Off by default in the lowering (`profile-layers`); without it the code
    is unchanged.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect"];
}

def FTFoldInputZeroPoint : Pass<"ft-fold-input-zero-point", "::mlir::func::FuncOp"> {
  let summary = "Fold a quantized convolution's input zero point into its bias";
  let description = [{
    A quantized convolution (`linalg.conv_2d_nhwc_fhwc_q`,
    `linalg.depthwise_conv_2d_nhwc_hwcm_q`) with constant weights, a
    constant input zero point `zx` and a zero weight zero point sums
    `(x - zx) * w` over its window. That equals `sum(x * w) - zx * sum(w)`,
    and `zx * sum(w)` per output channel is a constant: the op becomes the
    plain convolution, and its initial value has the constant subtracted:
    a broadcast of a constant bias (the importer's) becomes the broadcast
    of one constant, bias minus correction; any other initial value gets a
    subtraction, which elementwise fusion fuses into it. One subtraction
    per multiply-accumulate less, the same int32 result (the sums wrap
    alike).

    Padded elements read the padding value `p`, which the rewrite adds as
    `p * w` instead of `(p - zx) * w`: it applies only when every pad
    between the op and its input's source pads with `zx` (TFLite pads with
    the zero point). Weights that are not constants (a channel tile's
    slice) or an initial value that is a carried accumulator (partial
    sums) leave the op as it is.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def FTPeelWindowEdges : Pass<"ft-peel-window-edges", "::mlir::func::FuncOp"> {
  let summary = "Split padded windows' output loops into an interior without bounds checks and its border";
  let description = [{
    Index-set splitting for the loop nests `ft-scalar-accumulation` leaves,
    on buffers: a parallel `linalg.generic` with one output (identity map)
    and reduction loops in its payload whose windows reach into padding
    checks, per output position, whether each read is inside the image.
    Each static output dimension that such a check depends on (and that
    inputs read, if at all, through permutations of the dimensions: a
    residual input, a bias, which get views of each box) is cut into runs
    of positions on which
    every check has the same outcome (true for the whole run, false for
    it, or depending on the window loops: decided by interval arithmetic
    over the payload's index computations). The longest run of each such
    dimension spans the interior, which becomes a generic of its own on a
    view of the output, its checks folded to constants and the branches
    and selects on them with them, and the clamps of indices that never
    clamp there replaced by the index (its reads are then visibly
    contiguous): a convolution with "same" padding computes its interior
    without any check. The border (at most two boxes
    per split dimension) is one more copy of the generic, run over its
    boxes by a loop that picks each box's view, so the code grows by one
    copy, not one per box. Checks on dynamic positions (a tile's rows and
    columns) cannot be decided at compile time: in a generic whose checked
    positions are all dynamic, and in an interior whose remaining checks
    are, each check linear in one dynamic position and the window variables
    (`lhs - rhs = a x + e`) bounds the run of that position where it holds,
    computed before the generic from the check at the corner of the window
    where it is tightest (`x >= ceil((k - e) / a)`, or below it); a copy
    without those checks computes the box of the runs and the checked
    generic the positions around it (at most two boxes per dimension, one
    loop), behind a test that there are any: a tile at the image's edge
    computes most of its positions without checks too. When a check
    depends on two dynamic positions, the checks are evaluated at the
    corners of the whole iteration space instead, and when all hold, a copy
    without them computes the tile. Every output element is computed as
    before: results are unchanged.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

def FTSplitWindowChecks : Pass<"ft-split-window-checks", "::mlir::func::FuncOp"> {
  let summary = "Split a padded window's reduction loops where their bounds checks change";
  let description = [{
    For scalar and DSP kernels, on the loop nests `ft-scalar-accumulation`
    leaves, after `ft-peel-window-edges` (the border boxes and a tile's
    checked copy keep their checks): a reduction loop (step 1) whose body
    branches or selects on a conjunction of signed comparisons, each linear
    in the loop's induction variable (`kh + 2 oh - 1 >= 0`) or unchanged by
    the loop, and at least one changing, becomes three loops carrying the
    accumulator on: the iterations before all of those comparisons hold,
    where the condition is false (the window is in the padding: the
    padding value is multiplied, no image element read), the iterations
    where they all hold, where they are true (the reads need no check), and
    the rest, false again. The bounds are computed before the loop from
    the comparisons at iteration 0 (`ceil((k - e) / a)`), clamped to the
    loop's. Innermost loops first, so a window's column loop is split, then
    its row loop. The same products in the same order: results are
    unchanged.
  }];
  let options = [
    Option<"minTrips", "min-trips", "int64_t", /*default=*/"4",
           "Split only loops of at least this many iterations, or of a number "
           "known at run time only (a short row's checks cost less than its "
           "three loops)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect"];
}

def FTFlattenWindowRows : Pass<"ft-flatten-window-rows", "::mlir::func::FuncOp"> {
  let summary = "One loop per contiguous window row of a reduction, and its innermost loops unrolled";
  let description = [{
    For scalar and DSP kernels, on the loop nests `ft-scalar-accumulation`
    leaves (not unrolled) after `ft-peel-window-edges`: a loop `acc +=
    sext(a[..., i]) * sext(b[..., i])` over int8 elements that, with the
    loop around it, walks one contiguous run of both buffers (a window
    row: columns x channels in NHWC and OHWI, the channels a whole
    dimension, read without clamps, as in `ft-vectorize-reductions`), or
    walks a dimension followed only by unit ones (a one-channel input's
    columns), becomes one loop over that run, on views that collapse it
    into one dimension; the products keep their order. Then every
    innermost reduction loop of a generic's payload is unrolled by
    `unroll` when it runs at least twice that often, and such a run also
    when it runs exactly `unroll` times: its index and loop arithmetic is
    then shared by several multiply-accumulates (LLVM does not unroll at
    -O2 on rv32), and `ft-arm-dual-mac` finds four consecutive bytes of each
    buffer in one iteration (a 4-tap row of a one-channel input, a 3x3
    window of 3 channels as runs of 9). Integer results are unchanged.
  }];
  let options = [
    Option<"unroll", "unroll", "int64_t", /*default=*/"4",
           "Unroll factor of the innermost reduction loops (below 2: none)">,
    Option<"unrollWhole", "unroll-whole", "int64_t", /*default=*/"0",
           "An integer innermost reduction loop of at most this many "
           "iterations that `unroll` leaves, without a check in its body, is "
           "unrolled completely (its loop overhead is most of its time)">,
    Option<"floatUnroll", "float-unroll", "int64_t", /*default=*/"0",
           "Unroll factor of floating-point reductions (0: `unroll`)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

def FTVectorizeReductions : Pass<"ft-vectorize-reductions", "::mlir::func::FuncOp"> {
  let summary = "Multiply-accumulate loops over contiguous int8 runs as scalable vector dot products";
  let description = [{
    For targets with scalable vectors (RISC-V V, Zve32x): in the loop
    nests `ft-scalar-accumulation` leaves (not unrolled), a reduction loop
    `acc += sext(a[..., i]) * sext(b[..., i])` over int8 elements that
    walks the innermost dimension of both buffers (a convolution's input
    channels, a dense layer's inputs) becomes a loop over chunks of
    `vector<[lanes]xi8>`: masked loads (the last chunk reads only what is
    left), a 16-bit multiply (an int8 product fits) and a sum widened to
    the int32 accumulator (`vector.reduction`). When the loop around it runs
    it over a window's columns and a row of the window is one contiguous
    run in both buffers (columns x channels in NHWC and OHWI, the channels
    being the whole innermost dimension, read without clamps: the interior
    of `ft-peel-window-edges`), both loops become one run of columns x
    channels elements, so a wider vector unit takes more of it per chunk.
    One factor may be read behind a check the run does not change
    (`select(inside, a[..., i], pad)`: a padded window's row, in a border
    or a tile): its lanes are masked by the check too and read the padding
    value. Outer dimensions may have dynamic strides (a tile's rows).
    Runs shorter than `min-length` elements stay scalar. Integer sums wrap:
    the result is the same bit for bit. A vector-length-agnostic loop: the
    object runs at any VLEN.
  }];
  let options = [
    Option<"lanes", "lanes", "int64_t", /*default=*/"16",
           "int8 lanes per vscale of a chunk (vector<[lanes]xi8>; on RISC-V, "
           "vscale is VLEN / 64: 16 lanes are two vector registers)">,
    Option<"minLength", "min-length", "int64_t", /*default=*/"16",
           "Shortest run (elements) worth vectorising">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def FTBlockOutputChannels : Pass<"ft-block-output-channels", "::mlir::func::FuncOp"> {
  let summary = "Compute several output channels per iteration of a reduction's loop nest";
  let description = [{
    Register blocking for the loop nests `ft-scalar-accumulation` leaves,
    on buffers (after the arena is planned, which it does not change): a
    parallel `linalg.generic` whose payload runs the reduction loops for
    one output element and requantizes it. One iteration of the rewritten
    generic computes `channels` output channels (the innermost output
    dimension whose extent they divide; 4, else 2): its outputs are
    strided views of the output (channel k, k + F, ...), inputs indexed by
    that dimension are read once per channel, and the copies' reduction
    loops are jammed into one nest with one accumulator each (their shared
    index arithmetic and bounds checks computed once, a branch on the same
    check jammed too). An input element that does not depend on the
    channel (a convolution's input window) is then loaded once for all of
    them. With `pixels` = 2, a nest whose reduction loops check no bounds
    (an interior, a pointwise convolution) and read something that
    neighbouring output positions share (the weights) is blocked by
    `pixel-channels` channels, then by 2 positions of another output
    dimension (the one that leaves the fewest positions over; the odd one
    out, if any, is a generic of its own, by the same channels): each
    weight element read then
    serves both positions, each input element both channels (2 x 2
    accumulators, what `ft-arm-dual-mac` turns into its 2 x 2 kernel).
    Each accumulator adds its terms in the original order: results
    are unchanged, in integers and in floats. First, a padded window read
    through clamps and a select whose check does not change in the
    innermost loop gets that check hoisted and the loop split on it (plain
    loads in bounds, the padding value outside), which LLVM would do but
    no longer does once the copies are jammed.
  }];
  let options = [
    Option<"channels", "channels", "int64_t", /*default=*/"4",
           "Most output channels per iteration (a power of two; below 2: off)">,
    Option<"sharedReadsOnly", "shared-reads-only", "bool", /*default=*/"false",
           "Block only nests that read something all the channels share (not "
           "a depthwise convolution: left whole, a vectoriser takes its "
           "channels)">,
    Option<"pixels", "pixels", "int64_t", /*default=*/"1",
           "Output positions per iteration of a nest whose reductions check "
           "no bounds and whose positions share a read (below 2: one)">,
    Option<"pixelChannels", "pixel-channels", "int64_t", /*default=*/"2",
           "Output channels per iteration of a nest blocked by positions too">,
  ];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

def FTCreateStateReset : Pass<"ft-create-state-reset", "::mlir::ModuleOp"> {
  let summary = "Give every stateful function a reset function and its state's size";
  let description = [{
    The importer keeps each TFLite variable tensor (an SVDF's or LSTM's
    state) in a mutable `ml_program.global` whose initial value is TFLM's
    reset value; bufferization makes it a `memref.global` that is not
    constant: memory of its own, outside the arena, alive across
    invocations.

    Runs after bufferization. For every public function with a body that
    reads or writes such globals (through `memref.get_global`, directly or
    in the functions it calls), this pass adds a public function
    `<name>_reset()` that writes each global's initial value back (TFLM's
    `ResetVariableTensors`): a `linalg.fill` for a splat, else a copy from
    a constant global. It sets `ft.state_bytes` on the function: the bytes
    of its state, which ft-compile's header reports with the reset
    function. Functions without state are left alone; a symbol
    `<name>_reset` that already exists is an error.

    (It works on buffers because upstream's bufferization of an
    `ml_program.global_store` of a constant does not copy the constant
    into the buffer it stores.)
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::memref::MemRefDialect"];
}

def FTArmDualMac : Pass<"ft-arm-dual-mac", "::mlir::func::FuncOp"> {
  let summary = "Two int8 multiply-accumulates per instruction on Arm's DSP "
                "extension (SXTB16, SMLAD)";
  let description = [{
    For Armv7E-M and Armv8-M Mainline cores with the DSP extension
    (Cortex-M4, M7, M33...), little-endian. In the reduction loops that
    `ft-scalar-accumulation` leaves (unrolled by 4, after
    `ft-block-output-channels`), an i32 accumulator that adds four products
    `sext(a[..., k + c]) * sext(b[..., k + c])`, c = 0..3, of int8 elements
    contiguous in both buffers (a pointwise convolution's or a dense
    layer's input channels and weights) instead loads the four bytes of
    each buffer as one 32-bit word (`vector.load` of `vector<4xi8>`,
    alignment 1: these cores allow unaligned word loads), splits
    each word into its even and odd bytes as two pairs of sign-extended
    16-bit halves (`SXTB16`, `SXTB16 ROR #8`) and adds the four products
    with two `SMLAD`s. Integer sums wrap: the result is the same bit for
    bit. The words of an input element shared by jammed channels are
    loaded and split once (LLVM's CSE). Through LLVM's ARM intrinsics
    (`llvm.arm.sxtb16`, `llvm.arm.smlad`): code with them runs only on
    such a core.

    A loop whose 2 or 4 accumulators (and nothing else) form a block,
    accumulator (i, j) adding the products of read i of one buffer with
    read j of another (1 x 2, 1 x 4 or 2 x 2 reads, as
    `ft-block-output-channels` jams them), every group of four at constant
    byte distances from the first group's reads, becomes one fixed
    instruction sequence per group instead (`llvm.inline_asm`): the reads
    of the side with fewer of them loaded and split first and kept in
    registers, then each word of the other side loaded, split and
    multiplied into its accumulators, all addresses one register per
    buffer plus immediate offsets (0 to 4095). The same products, so the
    same result. Assembly because LLVM, given the intrinsics for a 2 x 2
    block, hoists every load of the unrolled loop to its top and spills the
    accumulators: the block needs 13 of the M4's 14 registers.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::vector::VectorDialect"];
}

#endif // FUSEDTILING_TRANSFORMS_PASSES
