//===- FTDialect.td - FusedTiling dialect definition ------*- tablegen -*-===//

#ifndef FT_DIALECT_TD
#define FT_DIALECT_TD

include "mlir/IR/OpBase.td"

def FT_Dialect : Dialect {
  let name = "ft";
  let cppNamespace = "::ft";
  let useDefaultAttributePrinterParser = 1;
  // What ft.axis_gather's tiles and lowering are made of.
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
  let summary = "Fused tiling of TinyML networks for peak-RAM reduction";
  let description = [{
    The `ft` dialect carries what FusedTiling adds on top of TOSA, linalg and
    memref: `ft.tile_block` (a fused path computed tile by tile, with its
    method and explicit tile ranges), `ft.partial_sum` (one tile's partial
    result added to an accumulator carried across tiles) and `ft.merge` (the
    accumulated sum finished once), for fused feature-map tiling (FFMT) and
    fused depthwise tiling (FDT); `ft.axis_gather` (rows gathered at
    constant indices: a resize's or a mirror pad's, which FFMT splits); the
    discardable attributes that passes
    read and write on operations:

    * `ft.layers`: the layers (`#ft.layer`) an op computes a part of, as the
      importer marks them and fusion merges them, outermost first. Tiling
      names paths by them and the arena report names buffers by them; ops
      that hold no activations (constants, empty tensors, their fills) carry
      none. Locations stay for diagnostics only.
    * `ft.macs` (module): multiply-accumulates counted by `ft-count-macs`.
    * `ft.arena_size`, `ft.arena_load`, `ft.arena_method` (function): the
      plan `ft-plan-arena` made; `ft.arena_offset` (accessor function): where
      a model input or output lives in the arena.

    and the discardable attributes the TFLite importer attaches to function
    arguments and results:

    * `ft.name`: the TFLite tensor name;
    * `ft.tensor_index`: the tensor's index in the TFLite subgraph;
    * `ft.type`: the TFLite element type (`int8`, `uint8`, `float32`, ...);
    * `ft.scale`, `ft.zero_point`: TFLite quantization parameters (the zero
      point as stored in the model, i.e. unsigned for `uint8`).

    Quantized 8-bit tensors are carried as `i8`. A `uint8` model argument holds
    the raw unsigned bytes; the importer flips their top bit to compute in the
    signed domain, and flips it back on `uint8` results.
  }];
  let discardableAttrs = (ins
    "::mlir::ArrayAttr":$layers,
    "::mlir::IntegerAttr":$macs,
    "::mlir::IntegerAttr":$arena_size,
    "::mlir::IntegerAttr":$arena_load,
    "::mlir::StringAttr":$arena_method,
    "::mlir::IntegerAttr":$arena_offset
  );
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// Argument and result attributes the importer sets (see above).
    static constexpr ::llvm::StringLiteral kNameAttrName = "ft.name";
    static constexpr ::llvm::StringLiteral kTensorIndexAttrName =
        "ft.tensor_index";
    static constexpr ::llvm::StringLiteral kTypeAttrName = "ft.type";
    static constexpr ::llvm::StringLiteral kScaleAttrName = "ft.scale";
    static constexpr ::llvm::StringLiteral kZeroPointAttrName =
        "ft.zero_point";
  }];
}

#endif // FT_DIALECT_TD
