//===- StorageSize.h - Bytes an element occupies in memory ------*- C++ -*-===//

#ifndef FUSEDTILING_SUPPORT_STORAGESIZE_H
#define FUSEDTILING_SUPPORT_STORAGESIZE_H

#include "mlir/IR/Types.h"
#include "llvm/Support/MathExtras.h"

#include <cstdint>

namespace ft {

/// Bytes one element of `elementType` (an integer, float or index type)
/// occupies in a buffer once lowered to LLVM: the LLVM alloc size, which
/// rounds odd widths up to a power of two (an i48 accumulator takes 8 bytes,
/// not 6), as the memref lowering's address arithmetic does. Index is
/// counted as 64 bits (its widest lowering).
inline int64_t elementStorageBytes(mlir::Type elementType) {
  const unsigned bits =
      elementType.isIndex() ? 64 : elementType.getIntOrFloatBitWidth();
  return static_cast<int64_t>(llvm::PowerOf2Ceil(llvm::divideCeil(bits, 8u)));
}

} // namespace ft

#endif // FUSEDTILING_SUPPORT_STORAGESIZE_H
