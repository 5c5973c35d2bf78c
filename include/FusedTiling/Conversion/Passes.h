//===- Passes.h - FusedTiling conversion passes -----------------*- C++ -*-===//

#ifndef FUSEDTILING_CONVERSION_PASSES_H
#define FUSEDTILING_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace mlir::linalg {
class LinalgDialect;
} // namespace mlir::linalg
namespace mlir::arith {
class ArithDialect;
} // namespace mlir::arith
namespace mlir::math {
class MathDialect;
} // namespace mlir::math
namespace mlir::scf {
class SCFDialect;
} // namespace mlir::scf
namespace mlir::tosa {
class TosaDialect;
} // namespace mlir::tosa
namespace mlir::vector {
class VectorDialect;
} // namespace mlir::vector

namespace ft {

#define GEN_PASS_DECL
#include "FusedTiling/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "FusedTiling/Conversion/Passes.h.inc"

} // namespace ft

#endif // FUSEDTILING_CONVERSION_PASSES_H
