//===- Layers.cpp - Which layers of the source model an op computes -------===//

#include "FusedTiling/Dialect/FT/IR/Layers.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace ft;

SmallVector<LayerAttr> ft::getLayers(Operation *op) {
  auto helper = op->getContext()
                    ->getOrLoadDialect<FTDialect>()
                    ->getLayersAttrHelper();
  SmallVector<LayerAttr> layers;
  if (ArrayAttr list = helper.getAttr(op))
    for (Attribute layer : list)
      if (auto typed = dyn_cast<LayerAttr>(layer))
        layers.push_back(typed);
  return layers;
}

void ft::setLayers(Operation *op, ArrayRef<LayerAttr> layers) {
  auto helper = op->getContext()
                    ->getOrLoadDialect<FTDialect>()
                    ->getLayersAttrHelper();
  if (layers.empty()) {
    op->removeAttr(helper.getName());
    return;
  }
  SmallVector<Attribute> list(layers.begin(), layers.end());
  helper.setAttr(op, ArrayAttr::get(op->getContext(), list));
}

bool ft::isInLayer(Operation *op, StringRef name) {
  return llvm::any_of(getLayers(op), [&](LayerAttr layer) {
    StringRef layerName = layer.getName().strref();
    return layerName == name || layerName.split(';').first == name;
  });
}

bool ft::isInLayerWithIndex(Operation *op, int64_t index) {
  return llvm::any_of(getLayers(op), [&](LayerAttr layer) {
    return layer.getIndex() == index;
  });
}

bool ft::readsActivations(Operation *op, Block &body,
                          const SmallPtrSetImpl<Operation *> &activationOps) {
  auto isActivation = [&](Value value) {
    if (auto arg = dyn_cast<BlockArgument>(value))
      return arg.getOwner() == &body;
    Operation *def = value.getDefiningOp();
    return def && activationOps.contains(def);
  };
  if (llvm::any_of(op->getOperands(), isActivation))
    return true;
  // A region may read what is defined above it (a tile block's body).
  llvm::SetVector<Value> captured;
  getUsedValuesDefinedAbove(op->getRegions(), captured);
  return llvm::any_of(captured, isActivation);
}

void ft::dropLayersOfNonActivationOps(Block &body) {
  SmallPtrSet<Operation *, 32> activationOps;
  for (Operation &op : body) {
    if (readsActivations(&op, body, activationOps))
      activationOps.insert(&op);
    else
      setLayers(&op, {});
  }
}

namespace {
/// A location wrapped by carryLayersInLocations: a fused location whose
/// metadata is a non-empty list of layers.
ArrayAttr carriedLayers(FusedLoc loc) {
  auto list = dyn_cast_or_null<ArrayAttr>(loc.getMetadata());
  if (!list || list.empty() ||
      !llvm::all_of(list, [](Attribute a) { return isa<LayerAttr>(a); }))
    return {};
  return list;
}

/// Collects the layers the wrapped locations inside `loc` carry, in
/// depth-first order, and returns `loc` without the wrappers.
Location unwrap(Location loc, llvm::SetVector<LayerAttr> &layers) {
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    Attribute metadata = fused.getMetadata();
    if (ArrayAttr carried = carriedLayers(fused)) {
      for (Attribute layer : carried)
        layers.insert(cast<LayerAttr>(layer));
      metadata = {};
    }
    SmallVector<Location> inner;
    for (Location nested : fused.getLocations())
      inner.push_back(unwrap(nested, layers));
    return FusedLoc::get(inner, metadata, loc.getContext());
  }
  if (auto name = dyn_cast<NameLoc>(loc))
    return NameLoc::get(name.getName(), unwrap(name.getChildLoc(), layers));
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return CallSiteLoc::get(unwrap(callSite.getCallee(), layers),
                            unwrap(callSite.getCaller(), layers));
  return loc;
}

bool inLinalgPayload(Operation *op) {
  return isa_and_nonnull<linalg::LinalgOp>(op->getParentOp());
}
} // namespace

void ft::carryLayersInLocations(Operation *root) {
  auto helper = root->getContext()
                    ->getOrLoadDialect<FTDialect>()
                    ->getLayersAttrHelper();
  root->walk([&](Operation *op) {
    if (ArrayAttr layers = helper.getAttr(op))
      if (!layers.empty())
        op->setLoc(FusedLoc::get({op->getLoc()}, layers, op->getContext()));
  });
}

void ft::restoreLayersFromLocations(Operation *root) {
  root->walk([&](Operation *op) {
    llvm::SetVector<LayerAttr> layers;
    op->setLoc(unwrap(op->getLoc(), layers));
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments()) {
          llvm::SetVector<LayerAttr> ignored;
          arg.setLoc(unwrap(arg.getLoc(), ignored));
        }
    if (!layers.empty() && !inLinalgPayload(op) &&
        !op->hasTrait<OpTrait::IsTerminator>())
      setLayers(op, layers.getArrayRef());
  });
  root->walk([](FunctionOpInterface func) {
    if (!func.isExternal())
      dropLayersOfNonActivationOps(func.getFunctionBody().front());
  });
}
