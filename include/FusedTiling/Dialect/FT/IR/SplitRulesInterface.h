//===- SplitRulesInterface.h - How a tiling split passes an op --*- C++ -*-===//

#ifndef FUSEDTILING_DIALECT_FT_IR_SPLITRULESINTERFACE_H
#define FUSEDTILING_DIALECT_FT_IR_SPLITRULESINTERFACE_H

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>
#include <utility>

namespace ft {
/// How a tile of an op's result reaches one of its operands along the split
/// axis (SplitRulesOpInterface::getOperandSplits).
struct OperandSplit {
  enum class Kind {
    /// Rows [lo, hi) of the operand's axis.
    Rows,
    /// Nothing along the axis: an index, a padding value, an init.
    None,
    /// The whole operand, whatever the tile: weights, a bias.
    Whole,
  };
  Kind kind = Kind::None;
  int64_t lo = 0, hi = 0;

  static OperandSplit rows(int64_t lo, int64_t hi) {
    return {Kind::Rows, lo, hi};
  }
  static OperandSplit none() { return {}; }
  static OperandSplit whole() { return {Kind::Whole, 0, 0}; }
};
} // namespace ft

#include "FusedTiling/Dialect/FT/IR/SplitRulesInterface.h.inc"

namespace ft {
/// Attaches SplitRulesOpInterface to the upstream ops fused tiling passes
/// through: tensor.empty, linalg.fill and every linalg structured op,
/// tensor.collapse_shape, tensor.expand_shape, tensor.extract_slice and
/// tensor.pad.
void registerSplitRulesExternalModels(mlir::DialectRegistry &registry);
} // namespace ft

#endif // FUSEDTILING_DIALECT_FT_IR_SPLITRULESINTERFACE_H
