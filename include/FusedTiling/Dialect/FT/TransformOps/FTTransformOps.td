//===- FTTransformOps.td - Transform dialect ops for fused tiling --------===//
//
// The tiling as transform-dialect ops, so that a compiler stack scripts it
// the way upstream and IREE script tile-and-fuse.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_DIALECT_FT_TRANSFORMOPS
#define FUSEDTILING_DIALECT_FT_TRANSFORMOPS

include "mlir/Dialect/Transform/IR/TransformDialect.td"
include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "FusedTiling/Dialect/FT/IR/FTEnums.td"

def FTTilePathOp : Op<Transform_Dialect, "ft.tile_path", [
    FunctionalStyleTransformOpTrait, MemoryEffectsOpInterface,
    DeclareOpInterfaceMethods<TransformOpInterface>]> {
  let summary = "Tile the fused path between two ops (FFMT or FDT)";
  let description = [{
    Tiles the path from the op `first` points to (the first op of the
    path's first layer) to the op `last` points to, as `ft-tile-path` and
    `ft::tilePath` do: `method` FFMT (spatial tiles with halos, over the
    `axes` of the last layer's output, 1 = rows, 2 = columns) or FDT
    (channel tiles, partial sums and a merge), `tiles` tiles per axis, and
    `windows` (`recompute`, `share` or `cache`) for values read through
    overlapping windows, and with `cache` `prime` leading empty tiles in
    which the line buffers fill and `steps` tiles per output tile (a skewed
    schedule, see `ft-tile-path`). Both handles must point to exactly one op each, in
    one block, on linalg on tensors (after `ft-tosa-to-linalg`).

    Returns a handle to the new `ft.tile_block`. The path's ops are
    replaced: `first` and `last` are consumed. If the path cannot be tiled,
    the op fails with the reason, and a note at the offending op.

    ```mlir
    %block = transform.ft.tile_path %first, %last
        {method = #ft<method ffmt>, axes = array<i64: 1>,
         tiles = array<i64: 4>, windows = "cache"}
        : (!transform.any_op, !transform.any_op) -> !transform.any_op
    ```
  }];
  let arguments = (ins TransformHandleTypeInterface:$first,
                       TransformHandleTypeInterface:$last,
                       FT_TilingMethodAttr:$method,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1}">:$axes,
                       DenseI64ArrayAttr:$tiles,
                       DefaultValuedStrAttr<StrAttr, "recompute">:$windows,
                       DefaultValuedAttr<I64Attr, "0">:$prime,
                       DefaultValuedAttr<I64Attr, "1">:$steps);
  let results = (outs TransformHandleTypeInterface:$tile_block);
  let assemblyFormat = [{
    $first `,` $last attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def FTAutoTileOp : Op<Transform_Dialect, "ft.auto_tile", [
    FunctionalStyleTransformOpTrait, MemoryEffectsOpInterface,
    DeclareOpInterfaceMethods<TransformOpInterface>]> {
  let summary = "Choose and apply the fused tilings that shrink the arena most";
  let description = [{
    Runs the automatic choice (`ft-auto-tile`: memory-aware scheduling,
    path discovery, closed-form estimates, verification by the arena
    planner) on the module `target` points to, with at most `mac_budget`
    percent more multiply-accumulates than untiled (default 5, as the
    tools; 0: tilings without recomputation only). Its functions get
    `ft.auto_tiling` as with the pass. `target` is consumed; the result points to the same module, which
    must not hold the transform script being run (a nested module, or a
    script preloaded as a library).

    ```mlir
    %tiled = transform.ft.auto_tile %module {mac_budget = 1.0 : f64}
        : (!transform.any_op) -> !transform.any_op
    ```
  }];
  let arguments = (ins TransformHandleTypeInterface:$target,
                       DefaultValuedAttr<F64Attr, "5.0">:$mac_budget);
  let results = (outs TransformHandleTypeInterface:$transformed);
  let assemblyFormat = [{
    $target attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // FUSEDTILING_DIALECT_FT_TRANSFORMOPS
