//===- Passes.h - Automatic fused tiling ------------------------*- C++ -*-===//

#ifndef FUSEDTILING_TILING_PASSES_H
#define FUSEDTILING_TILING_PASSES_H

#include "FusedTiling/Dialect/FT/IR/FTOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace ft {

/// Which tilings ft-auto-tile considers.
enum class AutoTilingMethod { None, FFMT, FDT, Auto };

/// The module attribute in which ft-auto-tile records what it did: a
/// dictionary with `untiled_arena`, `arena`, `untiled_macs`, `macs`
/// (integers) and `paths` (the applied paths as --tile-path specs).
inline constexpr llvm::StringLiteral kAutoTilingAttrName = "ft.auto_tiling";

#define GEN_PASS_DECL
#include "FusedTiling/Tiling/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "FusedTiling/Tiling/Passes.h.inc"

} // namespace ft

#endif // FUSEDTILING_TILING_PASSES_H
