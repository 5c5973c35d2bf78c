//===- Passes.td - ft dialect transformations --------------*- tablegen -*-===//

#ifndef FUSEDTILING_DIALECT_FT_TRANSFORMS_PASSES
#define FUSEDTILING_DIALECT_FT_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def FTTilePath : Pass<"ft-tile-path", "::mlir::ModuleOp"> {
  let summary = "Tile one fused path with FFMT or FDT into an ft.tile_block";
  let description = [{
    Runs on linalg on tensors, as upstream `tosa-to-linalg-named`,
    `tosa-to-linalg` and elementwise fusion produce it from TOSA (use
    `ft-tosa-to-linalg`, which keeps the layers). The path is named
    explicitly by its first and last layers: by the layer's name in the
    ops' `ft.layers` (for an imported model the TFLite tensor the layer
    produces, whole or its part before the first `;`), as `#k`, the layer
    whose TFLite operator index is k (0-based), or, for IR without layers,
    as `@k`, the k-th op (0-based) of the function that computes from its
    arguments (constants, empty tensors and their fills are not counted).
    The path is every op on a def-use
    chain from the first layer to the last; no value inside it may be used
    outside it.

    * `method=ffmt`: the last layer's output is split into `tiles` tiles
      along `axes` (1 = rows, 2 = columns of NHWC; both for a grid, with one
      tile count per axis). Each tile computes its part of every layer, the
      halo included: the layers are tiled and fused backwards through their
      `TilingInterface` (convolution, depthwise convolution, pooling, pad,
      elementwise), so halos follow kernel, stride, dilation and padding,
      and a padded input is padded only at the borders of the image.
      Matmuls (fully connected layers) and reductions over the split axes
      are refused, except a path that ends in a global reduction over its
      one split axis (a global average pooling): every tile then adds its
      rows' partial sums to one accumulator (`ft.tile_block ffmt
      accumulate`), and an `ft.merge` finishes the pooling once.
    * `method=fdt`: the tensor consumed by the path's last convolution or
      fully connected layer is split into `tiles` channel tiles. Each tile
      computes its channel slice of every earlier layer (the first layer's
      output channels, with its whole input), and the last layer's partial
      result for that input-channel slice, which `ft.partial_sum` adds to
      one accumulator. After the tiles, `ft.merge` adds the bias and
      applies the layer's requantization and activation once. Between the
      first and the last layer only ops that keep channels apart may
      appear (elementwise, depthwise convolution, pooling, pad, reshapes
      that keep the channel axis); after the partial sums only elementwise
      ops, which the merge runs on the full sum.

    A value that the tile reads through several windows, such as a
    residual block's input (its first convolution reads it with a halo,
    its add without), is computed for each window by default
    (`windows=recompute`): each copy lives only until its reader, which
    needs the least memory. With `windows=share` it is computed once per
    tile over the window covering all of them: fewer MACs (through a chain
    of residual blocks the recomputation would double with each block),
    but that window lives until its last reader. With `windows=cache`
    (line buffers) a value is computed once over all tiles: the rows a tile
    reads that an earlier tile computed (a convolution's or pooling's halo,
    a residual block's rows the add has not read yet) are kept in a cache
    the tile block carries (`caches(...)`), and each tile computes only the
    rows no earlier tile computed. The tiled MACs are the untiled ones;
    each cache holds the rows consecutive windows share (for a 3x3 kernel
    at stride 1, 2 rows). Caches follow the last split axis, the one tiles
    advance along; a value whose windows move along another axis too (the
    rows of a grid's columns) is computed per tile as with `share`.

    With `prime=P` (and `windows=cache`) the walking axis starts with P
    empty tiles (a skewed schedule): without them the first tile computes
    every layer down to its first output rows at once, and its windows are
    the largest of all tiles. In the priming tiles each cached value runs
    ahead of its readers, computing at most the rows its layer advances
    per tile (for a 3x3 kernel at stride 1 under a stride-1 path, one row
    per output row; before a stride-2 layer, two), so that every window is
    its steady size. With `steps=K` each output tile becomes K tiles, the
    first K - 1 computing no output: a layer that advances R rows per
    output tile (R = 8 three stride-2 stages before it) advances about
    R / K per tile, each at its own rate, and its window holds that many
    new rows instead of R.

    FFMT -> FDT: when the first and last layers are ops inside the tiles of
    an `ft.tile_block` (a path tiled before, by an earlier run of this
    pass), the path is tiled there, within each of those tiles: row tiles
    over a stack of layers, and inside each row tile channel tiles over the
    later layers, whose partial sums are as large as the row tile. Not
    inside tiles with line buffers (`windows=cache`): their caches keep
    every channel of the rows the next tile reads again.

    Tiles are as even as possible: with `d` rows in `n` tiles, the first
    `d mod n` tiles get one row more. A path or op the transform cannot
    handle is refused with a diagnostic at that op; the IR is then left
    unchanged.
  }];
  let options = [
    Option<"spec", "spec", "std::string", /*default=*/"",
           "The whole path as ft-run and ft-compile take it (--tile-path): "
           "\"ffmt|fdt first=NAME last=NAME [axes=..] tiles=.. "
           "[windows=..]\"; instead of the options below">,
    Option<"method", "method", "::ft::TilingMethod",
           /*default=*/"::ft::TilingMethod::FFMT",
           "How to tile the path", [{::llvm::cl::values(
             clEnumValN(::ft::TilingMethod::FFMT, "ffmt",
                        "spatial tiles with halos"),
             clEnumValN(::ft::TilingMethod::FDT, "fdt",
                        "channel tiles with partial sums"))}]>,
    Option<"first", "first", "std::string", /*default=*/"",
           "The path's first layer: a layer name, #k (TFLite operator "
           "index) or @k (the k-th op computing from the arguments)">,
    Option<"last", "last", "std::string", /*default=*/"",
           "The path's last layer: a layer name, #k or @k">,
    ListOption<"axes", "axes", "int64_t",
               "FFMT: axes of the last output to split (1 = rows, 2 = "
               "columns)">,
    ListOption<"tiles", "tiles", "int64_t",
               "Number of tiles (FFMT: one per axis)">,
    Option<"windows", "windows", "::ft::WindowMode",
           /*default=*/"::ft::WindowMode::Recompute",
           "Windows that overlap, within a tile (a residual block's "
           "input) or with the next tile's (a halo)", [{::llvm::cl::values(
             clEnumValN(::ft::WindowMode::Recompute, "recompute",
                        "computed per window (least memory)"),
             clEnumValN(::ft::WindowMode::Share, "share",
                        "one covering window per tile (fewer MACs)"),
             clEnumValN(::ft::WindowMode::Cache, "cache",
                        "share, and keep the rows the next tile reads "
                        "again in line buffers (no recomputation)"))}]>,
    Option<"prime", "prime", "int64_t", /*default=*/"0",
           "With windows=cache: empty tiles before the first along the "
           "walking axis, in which the line buffers fill (a skewed "
           "schedule)">,
    Option<"steps", "steps", "int64_t", /*default=*/"1",
           "With windows=cache: tiles per output tile along the walking "
           "axis, all but the last computing no output (the earlier layers "
           "advance in smaller steps)">,
  ];
  let dependentDialects = ["::ft::FTDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

def FTPreserveLayers : Pass<"ft-preserve-layers", "::mlir::ModuleOp"> {
  let summary = "Run a pipeline of layer-unaware passes, keeping each op's ft.layers";
  let description = [{
    Upstream's conversion and fusion patterns (`tosa-to-linalg`,
    `linalg-fuse-elementwise-ops`, canonicalization) give the ops they
    create the location of the op they replace, but not its discardable
    attributes, so `ft.layers` would be lost. This pass wraps each op's
    location in a fused location carrying its layers, runs `pipeline`
    (a textual pass pipeline on the module) and then gives every op the
    layers its location carries (an op fused from several gets all of
    them, in the order fusion joined their locations), and restores the
    locations. Ops that compute nothing from activations (constants, empty
    tensors and their fills) keep no layers.

    ```
    ft-opt --ft-preserve-layers='pipeline=func.func(tosa-to-linalg)'
    ```
  }];
  let options = [
    Option<"pipeline", "pipeline", "std::string", /*default=*/"",
           "The pass pipeline to run on the module, in textual form">,
  ];
}

def FTCountMacs : Pass<"ft-count-macs", "::mlir::ModuleOp"> {
  let summary = "Count the multiply-accumulates of convolutions and matmuls";
  let description = [{
    Runs on linalg on tensors, after tiling: every convolution, depthwise
    convolution and matmul (linalg ops with reduction loops whose payload
    multiplies) contributes the product of its loop ranges. Inside an
    `ft.tile_block` the ranges depend on the tile: the function is
    instantiated for every tile (offsets and sizes made constants and
    folded) and each tile's ops are counted, so FFMT's halo recomputation
    shows up. The total is attached to the module as `ft.macs`.
  }];
}

def FTLowerTileBlocks : Pass<"ft-lower-tile-blocks", "::mlir::func::FuncOp"> {
  let summary = "Lower ft.tile_block to one scf.for over its tiles and inline ft.merge";
  let description = [{
    Each `ft.tile_block` becomes one `scf.for` over its tiles (row-major
    over the split axes) carrying its `iter_args`; the tile offsets and
    sizes come from the recorded ranges: an affine expression of the tile
    index when the tiles of an axis are equal, a constant table otherwise.
    `ft.merge` is inlined. An `ft.partial_sum` whose partial is computed by
    a convolution or matmul that accumulates into zeros is folded: the
    convolution accumulates into the accumulator directly, so no partial
    buffer exists. Remaining partial sums stay, for bufferization.

    With `loops=false` the tile blocks stay (merges are still inlined and
    partial sums folded): one-shot bufferization then turns each into the
    same loop, carrying buffers.
  }];
  let options = [
    Option<"loops", "loops", "bool", /*default=*/"true",
           "Lower tile blocks to scf.for here (otherwise bufferization does)">,
  ];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

def FTLowerPartialSums : Pass<"ft-lower-partial-sums", "::mlir::func::FuncOp"> {
  let summary = "Lower ft.partial_sum to an elementwise linalg.generic";
  let description = [{
    After bufferization, each `ft.partial_sum %p into %acc` on buffers
    becomes a `linalg.generic` that adds `%p` into `%acc` in place (on
    tensors, one that returns the sum).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect"];
}

def FTLowerAxisGathers : Pass<"ft-lower-axis-gathers", "::mlir::func::FuncOp"> {
  let summary = "Lower ft.axis_gather to a linalg.generic";
  let description = [{
    After tiling (a tiled `ft.axis_gather` is already linalg), each
    remaining `ft.axis_gather` becomes the `linalg.generic` its whole
    result's tile is: it reads the index table and extracts from the input
    rows the indices span, keeping `ft.layers`. Elementwise fusion then
    merges it into its consumer (a bilinear resize's weighted sum).
  }];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def FTTestSplitRules : Pass<"ft-test-split-rules", "::mlir::func::FuncOp"> {
  let summary = "Report each op's split rules along an axis, as remarks (for tests)";
  let description = [{
    For every op with `SplitRulesOpInterface` and one ranked tensor result,
    emits one remark at the op: which rows of each operand the result's
    rows `[lo, hi)` of `axis` read (`rows [a, b)`, `none` or `whole`, what
    path discovery's estimate propagates), or that the split cannot pass
    it, and the rows of each operand that the result's row 1 reads again
    after row 0 (what a line buffer keeps), and whether the op only moves
    its source's rows (a line buffer keeps those instead). `hi` beyond the
    result's extent is clamped to it. Changes nothing.
  }];
  let options = [
    Option<"axis", "axis", "int64_t", /*default=*/"1",
           "The result's axis the split runs along (1: rows)">,
    Option<"lo", "lo", "int64_t", /*default=*/"0",
           "The first row of the result's range">,
    Option<"hi", "hi", "int64_t", /*default=*/"1",
           "One past the last row of the result's range">,
  ];
}

#endif // FUSEDTILING_DIALECT_FT_TRANSFORMS_PASSES
