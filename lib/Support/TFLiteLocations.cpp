//===- TFLiteLocations.cpp - What imported locations carry ----------------===//

#include "FusedTiling/Support/TFLiteLocations.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

void ft::collectTFLiteNames(Location loc,
                            llvm::SmallVectorImpl<llvm::StringRef> &names) {
  if (auto name = dyn_cast<NameLoc>(loc)) {
    names.push_back(name.getName().strref());
    return;
  }
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      collectTFLiteNames(inner, names);
}

std::optional<int64_t> ft::getTFLiteOperatorIndex(Location loc) {
  auto fused = dyn_cast<FusedLoc>(loc);
  if (!fused)
    return std::nullopt;
  if (auto index = dyn_cast_or_null<IntegerAttr>(fused.getMetadata()))
    return index.getInt();
  for (Location inner : fused.getLocations())
    if (std::optional<int64_t> index = getTFLiteOperatorIndex(inner))
      return index;
  return std::nullopt;
}
