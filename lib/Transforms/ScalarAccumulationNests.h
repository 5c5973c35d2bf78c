//===- ScalarAccumulationNests.h - ft-scalar-accumulation nests -*- C++ -*-===//
//
// Shared by the passes that rewrite those nests after bufferization
// (ft-peel-window-edges, ft-block-output-channels).
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_LIB_TRANSFORMS_SCALARACCUMULATIONNESTS_H
#define FUSEDTILING_LIB_TRANSFORMS_SCALARACCUMULATIONNESTS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace ft {

/// Whether `generic` has the form of an ft-scalar-accumulation nest on
/// buffers: all loops parallel, one output written through the identity
/// map (one output element per iteration; its reduction runs in the
/// payload's loops, which the callers look for in their own way).
inline bool isOneOutputParallelNest(mlir::linalg::GenericOp generic) {
  return generic.hasPureBufferSemantics() && generic.getNumDpsInits() == 1 &&
         generic.getNumParallelLoops() == generic.getNumLoops() &&
         generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
             .isIdentity();
}

} // namespace ft

#endif // FUSEDTILING_LIB_TRANSFORMS_SCALARACCUMULATIONNESTS_H
