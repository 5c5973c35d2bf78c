//===- TFLiteLocations.h - What imported locations carry --------*- C++ -*-===//
//
// The importer locates every op at the TFLite tensor it computes
// (`NameLoc`), wrapped in a fused location whose metadata is the TFLite
// operator's index. Elementwise fusion nests such locations in FusedLocs.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_SUPPORT_TFLITELOCATIONS_H
#define FUSEDTILING_SUPPORT_TFLITELOCATIONS_H

#include "mlir/IR/Location.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace ft {

/// Every TFLite tensor name `loc` carries, outermost first.
void collectTFLiteNames(mlir::Location loc,
                        llvm::SmallVectorImpl<llvm::StringRef> &names);

/// The index of the TFLite operator `loc` belongs to, if recorded.
std::optional<int64_t> getTFLiteOperatorIndex(mlir::Location loc);

} // namespace ft

#endif // FUSEDTILING_SUPPORT_TFLITELOCATIONS_H
