//===- SplitRulesInterface.h - How a tiling split passes an op --*- C++ -*-===//

#ifndef FUSEDTILING_DIALECT_FT_IR_SPLITRULESINTERFACE_H
#define FUSEDTILING_DIALECT_FT_IR_SPLITRULESINTERFACE_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OpDefinition.h"

#include <optional>
#include <string>
#include <utility>

#include "FusedTiling/Dialect/FT/IR/SplitRulesInterface.h.inc"

namespace ft {
/// Attaches SplitRulesOpInterface to the upstream ops fused tiling passes
/// through: tensor.empty, linalg.fill and every linalg structured op,
/// tensor.collapse_shape, tensor.expand_shape, tensor.extract_slice and
/// tensor.pad.
void registerSplitRulesExternalModels(mlir::DialectRegistry &registry);
} // namespace ft

#endif // FUSEDTILING_DIALECT_FT_IR_SPLITRULESINTERFACE_H
