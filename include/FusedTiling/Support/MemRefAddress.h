//===- MemRefAddress.h - An element's address in a memref -------*- C++ -*-===//
//
// For lowerings that must address a memref's bytes themselves (inline
// assembly, loads of another type than the element's).
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_SUPPORT_MEMREFADDRESS_H
#define FUSEDTILING_SUPPORT_MEMREFADDRESS_H

#include "mlir/IR/Builders.h"

namespace ft {

/// The address of `memref`'s element at `indices`, in bytes, as an index:
/// the aligned pointer plus the offset and the indices times the strides
/// (static strides as constants), in elements of the memref's type.
mlir::Value getElementByteAddress(mlir::OpBuilder &builder, mlir::Location loc,
                                  mlir::Value memref, mlir::ValueRange indices);

} // namespace ft

#endif // FUSEDTILING_SUPPORT_MEMREFADDRESS_H
