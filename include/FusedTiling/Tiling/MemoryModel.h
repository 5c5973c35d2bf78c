//===- MemoryModel.h - Tensor-level memory of a function --------*- C++ -*-===//
//
// What the automatic tiler estimates before asking the real planner: the
// top-level ops of a function body on tensors as a ScheduleGraph, each op
// allocating the bytes its results will occupy once bufferized. The model
// follows the lowering where it is cheap to (views and destination-passing
// updates allocate nothing; with scalar accumulation a reduction read only
// by elementwise ops is computed one element at a time) and is otherwise
// an estimate: the planner's in-place reuse and alignment are not modelled.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_TILING_MEMORYMODEL_H
#define FUSEDTILING_TILING_MEMORYMODEL_H

#include "FusedTiling/Tiling/Scheduling.h"

#include "mlir/IR/Block.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"

namespace ft {

struct MemoryModelOptions {
  /// The lowering computes reductions in scalar accumulators
  /// (ft-scalar-accumulation).
  bool scalarAccumulation = true;
  /// The function's arguments and results are in the arena (else they are
  /// the caller's buffers and cost nothing here).
  bool ioInArena = true;
};

/// Bytes of a statically shaped tensor type; 0 for anything else.
int64_t staticTensorBytes(mlir::Type type);

/// The value whose buffer `value` is once bufferized: through views
/// (reshapes, slices), destination-passing updates, elementwise ops in
/// place and (with scalar accumulation) pads that reductions read.
mlir::Value getStorageRoot(mlir::Value value,
                           const MemoryModelOptions &options = {});

/// Bytes `op`'s results allocate (0 for views, constants and updates in
/// place).
int64_t allocatedBytes(mlir::Operation *op, const MemoryModelOptions &options);

/// The block's arguments (input nodes, null in `ops`), then its top-level
/// ops (not its terminator) as a ScheduleGraph: node i is ops[i], in block
/// order. A node consumes the storage roots of
/// the values its op (or any op nested in it) reads, so a buffer lives
/// until the last reader of any view of it.
struct BlockGraph {
  llvm::SmallVector<mlir::Operation *> ops;
  /// The first node that is an op (the ones before are arguments).
  unsigned firstOpNode = 0;
  llvm::DenseMap<mlir::Operation *, unsigned> nodeOf;
  ScheduleGraph graph;
};

/// `scratch` gives ops extra bytes while they run (a tile block's tiles).
BlockGraph buildBlockGraph(
    mlir::Block &block, const MemoryModelOptions &options,
    const llvm::DenseMap<mlir::Operation *, int64_t> *scratch = nullptr);

/// Moves the ops of `graph` into `order` (node numbers), before the
/// block's terminator.
void reorderBlock(const BlockGraph &graph, llvm::ArrayRef<unsigned> order);

/// What scheduleBlockForLeastPeak found: the model's peak of the given
/// order and of the new one, and whether the new one is proven least.
struct BlockSchedule {
  int64_t peakBefore = 0, peakAfter = 0;
  bool exact = true;
};

/// Reorders `block`'s ops into the order of the model's least peak
/// (scheduleForLeastPeak) when it is strictly lower than the given order's;
/// leaves the block alone, and returns nullopt, when an op has memory
/// effects (they pin its place among the others).
std::optional<BlockSchedule> scheduleBlockForLeastPeak(
    mlir::Block &block, const MemoryModelOptions &options,
    const llvm::DenseMap<mlir::Operation *, int64_t> *scratch = nullptr,
    unsigned maxStatesPerPart = 20000);

} // namespace ft

#endif // FUSEDTILING_TILING_MEMORYMODEL_H
