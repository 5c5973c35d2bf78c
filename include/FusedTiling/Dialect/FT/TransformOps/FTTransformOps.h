//===- FTTransformOps.h - Transform dialect ops for fused tiling -*- C++
//-*-===//

#ifndef FUSEDTILING_DIALECT_FT_TRANSFORMOPS_FTTRANSFORMOPS_H
#define FUSEDTILING_DIALECT_FT_TRANSFORMOPS_FTTRANSFORMOPS_H

#include "FusedTiling/Dialect/FT/IR/FTOps.h"

#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.h"
#include "mlir/IR/OpImplementation.h"

#define GET_OP_CLASSES
#include "FusedTiling/Dialect/FT/TransformOps/FTTransformOps.h.inc"

namespace ft {
/// Registers the transform.ft.* ops (a transform dialect extension).
void registerTransformDialectExtension(mlir::DialectRegistry &registry);
} // namespace ft

#endif // FUSEDTILING_DIALECT_FT_TRANSFORMOPS_FTTRANSFORMOPS_H
