//===- Passes.h - FusedTiling transforms ------------------------*- C++ -*-===//

#ifndef FUSEDTILING_TRANSFORMS_PASSES_H
#define FUSEDTILING_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace ft {

#define GEN_PASS_DECL
#include "FusedTiling/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "FusedTiling/Transforms/Passes.h.inc"

} // namespace ft

#endif // FUSEDTILING_TRANSFORMS_PASSES_H
