//===- Passes.h - ft dialect transformations --------------------*- C++ -*-===//

#ifndef FUSEDTILING_DIALECT_FT_TRANSFORMS_PASSES_H
#define FUSEDTILING_DIALECT_FT_TRANSFORMS_PASSES_H

#include "FusedTiling/Dialect/FT/IR/FTOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace ft {

#define GEN_PASS_DECL
#include "FusedTiling/Dialect/FT/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "FusedTiling/Dialect/FT/Transforms/Passes.h.inc"

} // namespace ft

#endif // FUSEDTILING_DIALECT_FT_TRANSFORMS_PASSES_H
