//===- FTEnums.td - FusedTiling enum attributes ------------*- tablegen -*-===//
//
// Apart from the ops so that other op sets (the transform ops) can use
// them without generating the dialect's ops again.
//
//===----------------------------------------------------------------------===//

#ifndef FT_ENUMS_TD
#define FT_ENUMS_TD

include "FusedTiling/Dialect/FT/IR/FTDialect.td"
include "mlir/IR/EnumAttr.td"

def FT_TilingMethod : I32EnumAttr<"TilingMethod", "how a fused path is tiled", [
    I32EnumAttrCase<"FFMT", 0, "ffmt">,
    I32EnumAttrCase<"FDT", 1, "fdt">
  ]> {
  let cppNamespace = "::ft";
  let genSpecializedAttr = 0;
}

def FT_TilingMethodAttr : EnumAttr<FT_Dialect, FT_TilingMethod, "method"> {
  let summary = "fused feature-map tiling (ffmt) or fused depthwise tiling (fdt)";
}

#endif // FT_ENUMS_TD
