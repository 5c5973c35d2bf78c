//===- FTOps.h - FusedTiling operations -------------------------*- C++ -*-===//

#ifndef FUSEDTILING_DIALECT_FT_IR_FTOPS_H
#define FUSEDTILING_DIALECT_FT_IR_FTOPS_H

#include "FusedTiling/Dialect/FT/IR/FTDialect.h"
#include "FusedTiling/Dialect/FT/IR/SplitRulesInterface.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"

#include "FusedTiling/Dialect/FT/IR/FTEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "FusedTiling/Dialect/FT/IR/FTAttributes.h.inc"

#define GET_OP_CLASSES
#include "FusedTiling/Dialect/FT/IR/FTOps.h.inc"

namespace ft {
/// The linalg form of the tile of `op` at `offsets` and `sizes` (of its
/// result; the whole result when they cover it): a `linalg.generic` that
/// reads the tile's slice of the index table and extracts from the slice
/// of the input those indices span. Its ops carry `op`'s discardable
/// attributes (`ft.layers`).
mlir::FailureOr<mlir::TilingResult>
buildAxisGatherTile(mlir::OpBuilder &b, AxisGatherOp op,
                    llvm::ArrayRef<mlir::OpFoldResult> offsets,
                    llvm::ArrayRef<mlir::OpFoldResult> sizes);
} // namespace ft

#endif // FUSEDTILING_DIALECT_FT_IR_FTOPS_H
