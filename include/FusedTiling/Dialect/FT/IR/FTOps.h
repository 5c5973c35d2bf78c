//===- FTOps.h - FusedTiling operations -------------------------*- C++ -*-===//

#ifndef FUSEDTILING_DIALECT_FT_IR_FTOPS_H
#define FUSEDTILING_DIALECT_FT_IR_FTOPS_H

#include "FusedTiling/Dialect/FT/IR/FTDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "FusedTiling/Dialect/FT/IR/FTEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "FusedTiling/Dialect/FT/IR/FTAttributes.h.inc"

#define GET_OP_CLASSES
#include "FusedTiling/Dialect/FT/IR/FTOps.h.inc"

#endif // FUSEDTILING_DIALECT_FT_IR_FTOPS_H
