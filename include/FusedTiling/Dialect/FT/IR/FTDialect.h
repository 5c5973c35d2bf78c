//===- FTDialect.h - FusedTiling dialect ------------------------*- C++ -*-===//

#ifndef FUSEDTILING_DIALECT_FT_IR_FTDIALECT_H
#define FUSEDTILING_DIALECT_FT_IR_FTDIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/Operation.h"

#include "FusedTiling/Dialect/FT/IR/FTDialect.h.inc"

#endif // FUSEDTILING_DIALECT_FT_IR_FTDIALECT_H
