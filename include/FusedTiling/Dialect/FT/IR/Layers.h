//===- Layers.h - Which layers of the source model an op computes -*- C++ -*-===//
//
// Ops carry the layers they compute a part of in the discardable attribute
// `ft.layers` (an array of #ft.layer). The importer sets it; tiling names
// paths by it and the arena report names buffers by it. Upstream's
// conversion and fusion patterns keep an op's location but drop its
// discardable attributes, so a pipeline of such passes runs inside
// ft-preserve-layers, which carries the layers through locations.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_DIALECT_FT_IR_LAYERS_H
#define FUSEDTILING_DIALECT_FT_IR_LAYERS_H

#include "FusedTiling/Dialect/FT/IR/FTOps.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

namespace ft {

/// The layers `op` computes a part of, outermost first; empty when none.
llvm::SmallVector<LayerAttr> getLayers(mlir::Operation *op);

/// Sets `op`'s ft.layers (removes it when `layers` is empty).
void setLayers(mlir::Operation *op, llvm::ArrayRef<LayerAttr> layers);

/// Whether `op` computes a part of the layer `name`: a layer's whole name,
/// or its part before the first ';' (TFLite joins fused tensors' names so).
bool isInLayer(mlir::Operation *op, llvm::StringRef name);

/// Whether `op` computes a part of the layer with operator index `index`.
bool isInLayerWithIndex(mlir::Operation *op, int64_t index);

/// Whether `op` computes from activations: one of its operands is an
/// argument of `body` or the result of an op of `body` that does. Constants,
/// empty tensors and their fills, and weights rearranged at run time do not.
/// `activationOps` holds the ops of `body` before `op` that do.
bool readsActivations(mlir::Operation *op, mlir::Block &body,
                      const llvm::SmallPtrSetImpl<mlir::Operation *> &activationOps);

/// Removes ft.layers from the ops of `body` that compute nothing from
/// activations (see readsActivations): they belong to no layer.
void dropLayersOfNonActivationOps(mlir::Block &body);

/// Wraps the location of every op under `root` that has ft.layers in a
/// fused location whose metadata is that list, so that ops created from it
/// by patterns that copy locations can get it back.
void carryLayersInLocations(mlir::Operation *root);

/// The inverse of carryLayersInLocations, after a transformation: every op
/// outside linalg payloads gets ft.layers from the wrapped locations its
/// location holds (the union, in order: fusion joins locations), every
/// location is unwrapped, and ops that compute nothing from activations
/// lose their layers again.
void restoreLayersFromLocations(mlir::Operation *root);

} // namespace ft

#endif // FUSEDTILING_DIALECT_FT_IR_LAYERS_H
