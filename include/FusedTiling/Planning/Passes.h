//===- Passes.h - FusedTiling arena planning --------------------*- C++ -*-===//

#ifndef FUSEDTILING_PLANNING_PASSES_H
#define FUSEDTILING_PLANNING_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Pass/Pass.h"

namespace ft {

#define GEN_PASS_DECL
#include "FusedTiling/Planning/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "FusedTiling/Planning/Passes.h.inc"

} // namespace ft

#endif // FUSEDTILING_PLANNING_PASSES_H
