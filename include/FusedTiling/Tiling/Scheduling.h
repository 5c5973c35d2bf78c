//===- Scheduling.h - Operator orders of least peak memory ------*- C++ -*-===//
//
// Memory-aware scheduling on an abstract dataflow graph: which order of a
// DAG's nodes keeps the most bytes alive at once smallest. The cost model
// is the reference's (Stahl et al. 2023, after Kayaaslan et al.): running a
// node allocates its output while its inputs are still alive; an output
// dies after its last consumer ran (a graph output lives to the end); a
// node may also need scratch bytes while it runs.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_TILING_SCHEDULING_H
#define FUSEDTILING_TILING_SCHEDULING_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace ft {

/// A DAG whose nodes are numbered in one topological order (producers
/// before consumers).
struct ScheduleGraph {
  /// Bytes of each node's output (0: a view, a constant).
  llvm::SmallVector<int64_t> outputBytes;
  /// The nodes that read each node's output, by number.
  llvm::SmallVector<llvm::SmallVector<unsigned, 2>> consumers;
  /// Outputs that live until the end (the graph's results).
  llvm::SmallVector<bool> liveToEnd;
  /// Bytes a node needs only while it runs (a tile loop's tiles).
  llvm::SmallVector<int64_t> scratchBytes;
  /// Nodes that exist before anything runs (the graph's inputs): every
  /// order starts with them.
  llvm::SmallVector<bool> isInput;

  unsigned size() const { return outputBytes.size(); }
  /// Adds a node and returns its number.
  unsigned addNode(int64_t bytes, bool toEnd = false, int64_t scratch = 0);
  /// Adds an input node (see isInput).
  unsigned addInput(int64_t bytes);
  /// `consumer` reads `producer`'s output (producer < consumer).
  void addEdge(unsigned producer, unsigned consumer);
};

/// The most bytes alive at one step when the nodes run in `order` (a
/// topological order of every node).
int64_t peakBytes(const ScheduleGraph &graph, llvm::ArrayRef<unsigned> order);

/// The bytes alive while each node of `order` runs.
llvm::SmallVector<int64_t> stepBytes(const ScheduleGraph &graph,
                                     llvm::ArrayRef<unsigned> order);

struct Schedule {
  llvm::SmallVector<unsigned> order;
  int64_t peakBytes = 0;
  /// Whether the order is proven to have the least peak (every part of the
  /// graph was searched exhaustively).
  bool exact = true;
};

/// An order of least peak. The graph is cut at nodes that every other node
/// precedes or follows (a chain's nodes, a residual block's input and add);
/// between two cuts the orders are searched exhaustively over the downsets
/// of the part (dynamic programming: exact for any DAG, in time linear in
/// a chain's length and the product of the branch lengths of a fork), as
/// long as a part has at most `maxStatesPerPart` downsets. A larger part is
/// ordered by a deterministic greedy rule (run the ready node that adds the
/// fewest bytes), or kept in the given order when that is better.
Schedule scheduleForLeastPeak(const ScheduleGraph &graph,
                              unsigned maxStatesPerPart = 20000);

} // namespace ft

#endif // FUSEDTILING_TILING_SCHEDULING_H
