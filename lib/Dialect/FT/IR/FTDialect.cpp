//===- FTDialect.cpp - FusedTiling dialect --------------------------------===//

#include "FusedTiling/Dialect/FT/IR/FTDialect.h"
#include "FusedTiling/Dialect/FT/IR/FTOps.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace ft;

#include "FusedTiling/Dialect/FT/IR/FTDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "FusedTiling/Dialect/FT/IR/FTAttributes.cpp.inc"

void FTDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "FusedTiling/Dialect/FT/IR/FTAttributes.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "FusedTiling/Dialect/FT/IR/FTOps.cpp.inc"
      >();
}
