//===- ArenaSolver.h - Offsets of buffers in one static arena ---*- C++ -*-===//
//
// Given buffers with sizes and lifetimes (inclusive step ranges), assigns
// each an offset so that buffers alive at a common step never overlap, and
// the arena (the highest end) is as small as possible. Knows nothing of MLIR
// or of tiling: the planner pass builds the requests from bufferized IR.
//
// Deterministic: the same requests always give the same plan. The exact
// search is bounded by a node count, never by wall-clock time.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_PLANNING_ARENASOLVER_H
#define FUSEDTILING_PLANNING_ARENASOLVER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <string>

namespace ft {

/// One buffer to place: `size` bytes, alive from `firstStep` to `lastStep`
/// inclusive.
struct BufferRequest {
  int64_t size = 0;
  int64_t firstStep = 0;
  int64_t lastStep = 0;

  bool overlapsInTime(const BufferRequest &other) const {
    return firstStep <= other.lastStep && other.firstStep <= lastStep;
  }
};

struct ArenaSolverOptions {
  /// Every offset is a multiple of this; sizes are rounded up to it.
  int64_t alignment = 16;
  /// The exact branch-and-bound search runs for problems up to this many
  /// buffers...
  size_t exactMaxBuffers = 64;
  /// ...and visits at most this many search nodes (then the best plan found
  /// so far stands).
  int64_t exactNodeLimit = 2000000;
};

struct ArenaPlan {
  llvm::SmallVector<int64_t> offsets;
  /// Bytes of the arena: the highest offset + aligned size.
  int64_t arenaSize = 0;
  /// The most aligned bytes alive at any one step: no plan can be smaller.
  int64_t load = 0;
  /// Which method produced the plan ("exact", "greedy-by-size",
  /// "best-fit", ...), and whether it is proven optimal.
  std::string method;
  bool optimal = false;
  int64_t searchNodes = 0;
};

/// Rounds `size` up to a multiple of `alignment`.
int64_t alignTo(int64_t size, int64_t alignment);

/// The lower bound LOAD: the largest sum of aligned sizes alive at one step.
int64_t computeLoad(llvm::ArrayRef<BufferRequest> buffers, int64_t alignment);

/// Plans the arena: runs the heuristics, keeps the best, then improves it by
/// exact search when the problem is small enough and the best is above LOAD.
ArenaPlan planArena(llvm::ArrayRef<BufferRequest> buffers,
                    const ArenaSolverOptions &options = {});

/// The individual methods, exposed for tests. planExact seeds the exact
/// search with greedy-by-size only.
ArenaPlan planExact(llvm::ArrayRef<BufferRequest> buffers,
                    const ArenaSolverOptions &options);
ArenaPlan planGreedyBySize(llvm::ArrayRef<BufferRequest> buffers,
                           int64_t alignment);
ArenaPlan planBestFit(llvm::ArrayRef<BufferRequest> buffers, int64_t alignment);

/// True when no two buffers alive at a common step overlap in the arena and
/// every offset is aligned.
bool isValidPlan(llvm::ArrayRef<BufferRequest> buffers,
                 llvm::ArrayRef<int64_t> offsets, int64_t alignment);

} // namespace ft

#endif // FUSEDTILING_PLANNING_ARENASOLVER_H
