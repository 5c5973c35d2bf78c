//===- FTOps.td - FusedTiling operations -------------------*- tablegen -*-===//

#ifndef FT_OPS_TD
#define FT_OPS_TD

include "FusedTiling/Dialect/FT/IR/FTDialect.td"
include "FusedTiling/Dialect/FT/IR/FTEnums.td"
include "FusedTiling/Dialect/FT/IR/SplitRulesInterface.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/TilingInterface.td"

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

def FT_LayerAttr : AttrDef<FT_Dialect, "Layer"> {
  let mnemonic = "layer";
  let summary = "a layer of the source model: its output tensor's name and "
                "its operator's index";
  let description = [{
    Names the layer an op computes a part of. `name` is the tensor the layer
    produces (for TFLite, the output tensor's name); `index` is the layer's
    operator index in the source model, when it has one. Ops carry a list
    of them in the discardable attribute `ft.layers`: one after import,
    several once fusion merged layers (the consumer's first).

    ```mlir
    %0 = linalg.generic ... {ft.layers = [#ft.layer<"conv0", index = 3>]}
    %1 = linalg.generic ... {ft.layers = [#ft.layer<"head">]}
    ```
  }];
  let parameters = (ins "::mlir::StringAttr":$name,
                        OptionalParameter<"std::optional<int64_t>">:$index);
  let assemblyFormat = "`<` $name (`,` `index` `=` $index^)? `>`";
}

class FT_Op<string mnemonic, list<Trait> traits = []>
    : Op<FT_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// ft.tile_block
//===----------------------------------------------------------------------===//

def FT_TileBlockOp : FT_Op<"tile_block", [
    RecursiveMemoryEffects, SingleBlock,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmBlockArgumentNames"]>]> {
  let summary = "computes one fused path tile by tile";
  let description = [{
    The body computes one tile of a fused path; the op runs it once per
    tile, in row-major order over the split axes, and carries `iter_args`
    from one tile to the next (the output being assembled, or an
    accumulator). The result is the value of the last tile's `ft.yield`.

    The tiles are explicit: for every split axis, the half-open range of
    each tile. Ranges must start at 0 and be contiguous, so the tiles of
    each axis cover `[0, extent)` exactly once; tile sizes may differ
    (uneven tiles). An empty range (`[0, 0)`) is a tile that computes
    nothing of the results: with line buffers, the leading empty tiles of
    the walking axis compute rows of the path's earlier layers only
    (priming). For each axis the body receives the tile's offset and size
    as `index` block arguments, followed by the `iter_args`;
    `ft.tile_index` gives the tile's index along an axis.

    * `ffmt` (fused feature-map tiling): the axes are spatial axes of the
      results, the ranges end at the result's extent, and each tile inserts
      its part of every result. Halos are what the body reads beyond its
      output tile; the ops in the body compute them from the offsets.
    * `fdt` (fused depthwise tiling): one axis, the channel axis of the
      tensor the path no longer materialises; each tile adds the partial
      result of its channel slice to the accumulators (`ft.partial_sum`),
      and an `ft.merge` finishes the sum after the op. When no layer of
      the path sums over the split channels (it ends at a depthwise
      convolution, a pooling, an activation), each tile inserts its channel
      slice of the results instead, as in `ffmt`.
    * `ffmt accumulate`: spatial tiles of a path that ends in a global
      reduction over the split axis (a global average pooling): every tile
      adds its rows' partial sums to the accumulators, as in FDT.

    The op lowers to one loop over the tiles, not to one copy of the body
    per tile: on tensors with `ft-lower-tile-blocks`, or in one-shot
    bufferization (the op implements the bufferization interfaces), which
    carries each iter_arg as one buffer updated in place by every tile.

    **Line buffers** (`windows=cache` of `ft-tile-path`): the last
    `num_caches` iter_args, printed as `caches(...)`, are not outputs but
    rows of intermediate values that the next tile reads again (a
    convolution's halo). Each tile reads its cache into the window it
    computes from and leaves the window's last rows for the next tile; the
    first tile (of each band of a grid) reads nothing from it, so its init
    may be any value. The op's results for them are the caches the last
    tile left and mean nothing; only the outputs are covered by the tiles.
    The rows each tile computes of a cached value are looked up in constant
    tables by `ft.tile_index`; a skewed schedule (`prime=` of
    `ft-tile-path`) starts with empty tiles in which every cached value
    advances ahead of its readers, so that no tile computes more than the
    rows its layer advances per tile.

    Example: a 32-row result in four tiles of 8 rows.

    ```mlir
    %r = ft.tile_block ffmt axis 1 [0, 8) [8, 16) [16, 24) [24, 32)
        (%offset, %size) iter_args(%out = %init) : tensor<1x32x32x16xi8> {
      ...
      %next = tensor.insert_slice %tile into %out[0, %offset, 0, 0] [1, %size, 32, 16] [1, 1, 1, 1]
          : tensor<1x?x32x16xi8> into tensor<1x32x32x16xi8>
      ft.yield %next : tensor<1x32x32x16xi8>
    }
    ```
  }];
  let arguments = (ins FT_TilingMethodAttr:$method,
                       UnitAttr:$accumulate,
                       DefaultValuedAttr<I64Attr, "0">:$num_caches,
                       DenseI64ArrayAttr:$axes,
                       TypedArrayAttrBase<DenseI64ArrayAttr,
                           "tile ranges per axis">:$ranges,
                       Variadic<AnyRankedTensor>:$inits);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    // `tileRanges[a]` holds the [begin, end) pairs of axis `axes[a]`. The
    // body is created with its block arguments and no terminator.
    OpBuilder<(ins "::ft::TilingMethod":$method,
                   "bool":$accumulate,
                   "::llvm::ArrayRef<int64_t>":$axes,
                   "::llvm::ArrayRef<::llvm::SmallVector<int64_t>>":$tileRanges,
                   "::mlir::ValueRange":$inits)>
  ];
  let extraClassDeclaration = [{
    /// Number of tiles along split axis `a` (an index into getAxes()).
    int64_t getNumTilesOnAxis(unsigned a) {
      return ::llvm::cast<::mlir::DenseI64ArrayAttr>(getRanges()[a]).size() / 2;
    }
    /// Total number of tiles (the product over the axes).
    int64_t getNumTiles();
    /// Tiles are numbered row-major over the axes: the number of tiles
    /// between consecutive tiles of axis `a` (the product of the tile counts
    /// of the later axes). Tile t is tile (t / stride) mod n on axis `a`.
    int64_t getTileStride(unsigned a);
    /// [begin, end) of tile `t` on split axis `a`.
    std::pair<int64_t, int64_t> getTileRange(unsigned a, int64_t t);
    /// [begin, end) on split axis `a` of tile `tile` of the whole block
    /// (numbered row-major over the axes).
    std::pair<int64_t, int64_t> getRangeOfTile(unsigned a, int64_t tile) {
      return getTileRange(a, getIndexOnAxis(a, tile));
    }
    /// The index along split axis `a` of tile `tile` of the whole block.
    int64_t getIndexOnAxis(unsigned a, int64_t tile) {
      return (tile / getTileStride(a)) % getNumTilesOnAxis(a);
    }
    /// Binds the body's tile offsets and sizes to those of tile `tile`
    /// (to evaluate the body's index computations for it).
    void bindTile(int64_t tile, ::llvm::DenseMap<::mlir::Value, int64_t> &values);
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    ::mlir::BlockArgument getTileOffset(unsigned a) {
      return getBodyBlock().getArgument(2 * a);
    }
    ::mlir::BlockArgument getTileSize(unsigned a) {
      return getBodyBlock().getArgument(2 * a + 1);
    }
    ::mlir::Block::BlockArgListType getRegionIterArgs() {
      return getBodyBlock().getArguments().drop_front(2 * getAxes().size());
    }
    /// The iter_args that are outputs (or accumulators): all but the
    /// trailing line buffers.
    unsigned getNumOutputs() { return getInits().size() - getNumCaches(); }
    /// The `ft.tile_index` of split axis `a` at the start of the body,
    /// created there if there is none.
    ::mlir::Value getOrCreateTileIndex(::mlir::OpBuilder &builder, unsigned a);

    /// Replaces the body's `ft.tile_index` ops by `indices`, one per split
    /// axis (before the body is inlined into a loop or a tile's copy).
    void replaceTileIndices(::mlir::RewriterBase &rewriter,
                            ::mlir::ValueRange indices);
  }];
}

//===----------------------------------------------------------------------===//
// ft.tile_index
//===----------------------------------------------------------------------===//

def FT_TileIndexOp : FT_Op<"tile_index", [Pure, HasParent<"TileBlockOp">]> {
  let summary = "the index of the current tile along a split axis";
  let description = [{
    The index, from 0, of the tile the enclosing `ft.tile_block` computes,
    along its split axis `axis` (a grid's column tiles count from 0 again in
    every band of rows). Tables indexed by it give per-tile values that the
    tile's offset cannot tell apart: a skewed line-buffer schedule's empty
    priming tiles all have offset 0. The ops are the first of the body,
    one per axis at most, so that evaluating the body for one tile binds
    them without a walk; the lowering replaces them by the loop's index.

    ```mlir
    ft.tile_block ffmt axis 1 [0, 0) [0, 0) [0, 8) [8, 16) (%offset, %size) ... {
      %t = ft.tile_index 1
      %rows = tensor.extract %ends[%t] : tensor<4xindex>
      ...
    }
    ```
  }];
  let arguments = (ins I64Attr:$axis);
  let results = (outs Index:$index);
  let assemblyFormat = "$axis attr-dict";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The position of `axis` among the enclosing tile block's axes.
    unsigned getAxisPosition();
  }];
}

//===----------------------------------------------------------------------===//
// ft.partial_sum
//===----------------------------------------------------------------------===//

def FT_PartialSumOp : FT_Op<"partial_sum", [
    DestinationStyleOpInterface,
    AllTypesMatch<["partial", "accumulator"]>,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "adds one tile's partial result to an accumulator";
  let description = [{
    In fused depthwise tiling, the op that consumes the split channels
    (a convolution or fully connected layer) computes, per tile, the partial
    result of its input-channel slice: int32 for int8/uint8 layers, f32 for
    float layers, without bias. `ft.partial_sum` adds it elementwise to the
    accumulator carried across the tiles, so one accumulator exists, not one
    partial result per tile. Integer addition is associative: the sum of the
    partials equals the untiled accumulator exactly.

    It is in destination style: on tensors it returns the new accumulator,
    on buffers it adds into `accumulator` in place. When `partial` is a
    convolution or matmul whose destination is zero, lowering makes it
    accumulate into the accumulator directly.

    ```mlir
    %acc1 = ft.partial_sum %partial into %acc0 : tensor<1x5x5x64xi32>
    ft.partial_sum %p into %buffer : memref<1x5x5x64xi32>
    ```
  }];
  let arguments = (ins AnyShaped:$partial, AnyShaped:$accumulator);
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let builders = [
    // On tensors the op returns the new accumulator; on buffers nothing.
    OpBuilder<(ins "::mlir::Value":$partial, "::mlir::Value":$accumulator)>
  ];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getAccumulatorMutable();
    }
  }];
}

//===----------------------------------------------------------------------===//
// ft.merge
//===----------------------------------------------------------------------===//

def FT_MergeOp : FT_Op<"merge", [
    RecursiveMemoryEffects, SingleBlock,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmBlockArgumentNames"]>]> {
  let summary = "finishes an accumulated sum once: bias, rescale, activation";
  let description = [{
    After the last tile of a fused depthwise tiling, the accumulated partial
    sums are finished exactly once: the body receives the accumulators and
    applies what the untiled layer applied to its accumulator (bias add,
    rescale to 8 bits, clamp for the activation). The body runs once; the op
    only groups these ops so that a reader sees where the tiled sum ends.
    Lowering inlines it.

    ```mlir
    %y = ft.merge %acc : tensor<1x5x5x64xi32> -> tensor<1x5x5x64xi8> {
    ^bb0(%sum: tensor<1x5x5x64xi32>):
      ...
      ft.yield %requantized : tensor<1x5x5x64xi8>
    }
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$accumulators);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $accumulators attr-dict `:` type($accumulators) `->` type($results)
    $body
  }];
  let hasRegionVerifier = 1;
}

//===----------------------------------------------------------------------===//
// ft.yield
//===----------------------------------------------------------------------===//

def FT_YieldOp : FT_Op<"yield", [
    Pure, ReturnLike, Terminator,
    ParentOneOf<["TileBlockOp", "MergeOp"]>]> {
  let summary = "ends a tile or a merge with its values";
  let description = [{
    In `ft.tile_block`: the values carried to the next tile (after the last
    tile, the op's results). In `ft.merge`: the merged results.
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

//===----------------------------------------------------------------------===//
// ft.axis_gather
//===----------------------------------------------------------------------===//

def FT_AxisGatherOp : FT_Op<"axis_gather", [
    Pure,
    DeclareOpInterfaceMethods<TilingInterface, [
        "getIterationDomain", "getLoopIteratorTypes", "getTiledImplementation",
        "getResultTilePosition", "generateResultTileValue"]>,
    DeclareOpInterfaceMethods<FT_SplitRulesOpInterface, [
        "computesLayer", "getChannelSplitBlocker", "getOperandSplits"]>]> {
  let summary = "gathers a tensor's rows along one axis at constant indices";
  let description = [{
    `result[..., i, ...] = input[..., indices[i], ...]` along `axis`; every
    other dimension is the input's. The indices are constants: a resize's
    rows or columns (nearest neighbours, or the lower or upper neighbours
    of a bilinear one) or a mirror pad's. The result's rows `[lo, hi)` read
    the input's rows from the least index at or after `lo` to the greatest
    at or before `hi - 1`: exactly the rows they gather when the indices
    never decrease (a resize), a few rows more near a mirrored border. So
    fused tiling splits a path through a resize or a mirror pad as through a
    convolution: the `TilingInterface` builds those slices and
    `SplitRulesOpInterface` gives the estimate the same ranges. Tiled, or
    lowered by `ft-lower-axis-gathers`, the op becomes a `linalg.generic`
    that reads its slice of the index table and extracts from its input.

    ```mlir
    // Nearest-neighbour 2x upsampling of the rows.
    %up = ft.axis_gather %x axis 1 indices [0, 0, 1, 1, 2, 2]
        : tensor<1x3x4x8xi8> -> tensor<1x6x4x8xi8>
    // REFLECT mirror padding of the columns by 2 and 1.
    %padded = ft.axis_gather %x axis 2 indices [2, 1, 0, 1, 2, 3, 2]
        : tensor<1x3x4x8xi8> -> tensor<1x3x7x8xi8>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis,
                       DenseI64ArrayAttr:$indices);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `axis` $axis `indices` $indices attr-dict `:` type($input) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

#endif // FT_OPS_TD
