//===- FTDialect.cpp - FusedTiling dialect --------------------------------===//

#include "FusedTiling/Dialect/FT/IR/FTDialect.h"
#include "FusedTiling/Dialect/FT/IR/FTOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
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

LogicalResult FTDialect::verifyOperationAttribute(Operation *op,
                                                  NamedAttribute attribute) {
  if (attribute.getName() == getLayersAttrHelper().getName()) {
    auto list = dyn_cast<ArrayAttr>(attribute.getValue());
    if (!list || !llvm::all_of(list, [](Attribute layer) {
          return isa<LayerAttr>(layer);
        }))
      return op->emitError() << "'" << attribute.getName()
                             << "' must be an array of #ft.layer";
    return success();
  }
  return success();
}
