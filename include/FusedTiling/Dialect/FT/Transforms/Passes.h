//===- Passes.h - ft dialect transformations --------------------*- C++ -*-===//

#ifndef FUSEDTILING_DIALECT_FT_TRANSFORMS_PASSES_H
#define FUSEDTILING_DIALECT_FT_TRANSFORMS_PASSES_H

#include "FusedTiling/Dialect/FT/IR/FTOps.h"
#include "FusedTiling/Dialect/FT/Transforms/Tiling.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace ft {

#define GEN_PASS_DECL
#include "FusedTiling/Dialect/FT/Transforms/Passes.h.inc"

/// ft-preserve-layers running `pipeline` (anchored on builtin.module).
std::unique_ptr<mlir::Pass>
createFTPreserveLayers(mlir::OpPassManager pipeline);

/// Adds the textual module pipeline `pipeline` to `pm` inside
/// ft-preserve-layers; fails where it does not parse.
mlir::LogicalResult addPreservingLayers(mlir::OpPassManager &pm,
                                        llvm::StringRef pipeline);

#define GEN_PASS_REGISTRATION
#include "FusedTiling/Dialect/FT/Transforms/Passes.h.inc"

} // namespace ft

#endif // FUSEDTILING_DIALECT_FT_TRANSFORMS_PASSES_H
