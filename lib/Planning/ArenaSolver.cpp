//===- ArenaSolver.cpp - Offsets of buffers in one static arena -----------===//
//
// Heuristics: greedy by size with first fit (TFLM's greedy planner), and
// best fit (the tightest gap) in size order and in time order. The best of
// them seeds an exact branch-and-bound search.
//
// The exact search is complete: take an optimal plan and let every buffer
// fall until it rests on offset 0 or on the top of a buffer alive at the same
// time; the plan stays valid and no larger. Placing buffers in order of
// increasing offset, each one then sits at 0 or on the top of a buffer
// already placed, so branching over (next buffer, such a resting offset)
// reaches it. Offsets never decrease along a branch, which removes most
// permutations of one plan.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Planning/ArenaSolver.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <numeric>

using namespace ft;
using llvm::ArrayRef;
using llvm::SmallVector;

int64_t ft::alignTo(int64_t size, int64_t alignment) {
  if (alignment <= 1)
    return size;
  return (size + alignment - 1) / alignment * alignment;
}

int64_t ft::computeLoad(ArrayRef<BufferRequest> buffers, int64_t alignment) {
  // Sweep over lifetime starts and ends.
  SmallVector<std::pair<int64_t, int64_t>> events;
  for (const BufferRequest &b : buffers) {
    events.push_back({b.firstStep, alignTo(b.size, alignment)});
    events.push_back({b.lastStep + 1, -alignTo(b.size, alignment)});
  }
  llvm::sort(events, [](auto &a, auto &b) {
    // Ends before starts at the same step: [a, s] and [s + 1, b] never meet.
    return a.first != b.first ? a.first < b.first : a.second < b.second;
  });
  int64_t live = 0, peak = 0;
  for (auto &[step, delta] : events) {
    live += delta;
    peak = std::max(peak, live);
  }
  return peak;
}

bool ft::isValidPlan(ArrayRef<BufferRequest> buffers, ArrayRef<int64_t> offsets,
                     int64_t alignment) {
  if (offsets.size() != buffers.size())
    return false;
  for (size_t i = 0; i < buffers.size(); ++i) {
    if (offsets[i] < 0 || (alignment > 1 && offsets[i] % alignment != 0))
      return false;
    for (size_t j = i + 1; j < buffers.size(); ++j) {
      if (!buffers[i].overlapsInTime(buffers[j]))
        continue;
      const int64_t endI = offsets[i] + alignTo(buffers[i].size, alignment);
      const int64_t endJ = offsets[j] + alignTo(buffers[j].size, alignment);
      if (buffers[i].size > 0 && buffers[j].size > 0 && offsets[i] < endJ &&
          offsets[j] < endI)
        return false;
    }
  }
  return true;
}

namespace {

struct Problem {
  SmallVector<int64_t> sizes; // aligned
  SmallVector<SmallVector<unsigned>> conflicts;
  int64_t load = 0;

  Problem(ArrayRef<BufferRequest> buffers, int64_t alignment) {
    const size_t n = buffers.size();
    conflicts.resize(n);
    for (const BufferRequest &b : buffers)
      sizes.push_back(alignTo(b.size, alignment));
    for (size_t i = 0; i < n; ++i)
      for (size_t j = i + 1; j < n; ++j)
        if (buffers[i].overlapsInTime(buffers[j]) && sizes[i] > 0 &&
            sizes[j] > 0) {
          conflicts[i].push_back(j);
          conflicts[j].push_back(i);
        }
    load = computeLoad(buffers, alignment);
  }

  /// Whether buffer i can sit at `offset` beside the placed buffers alive
  /// at the same time.
  bool fits(unsigned i, int64_t offset, ArrayRef<int64_t> offsets,
            ArrayRef<bool> placed) const {
    for (unsigned j : conflicts[i])
      if (placed[j] && offset < offsets[j] + sizes[j] &&
          offsets[j] < offset + sizes[i])
        return false;
    return true;
  }

  int64_t arenaSize(ArrayRef<int64_t> offsets) const {
    int64_t top = 0;
    for (size_t i = 0; i < sizes.size(); ++i)
      top = std::max(top, offsets[i] + sizes[i]);
    return top;
  }
};

/// Occupied intervals of the placed buffers that conflict with `i`, sorted.
SmallVector<std::pair<int64_t, int64_t>> occupiedBy(const Problem &p,
                                                    unsigned i,
                                                    ArrayRef<int64_t> offsets,
                                                    ArrayRef<bool> placed) {
  SmallVector<std::pair<int64_t, int64_t>> used;
  for (unsigned j : p.conflicts[i])
    if (placed[j])
      used.push_back({offsets[j], offsets[j] + p.sizes[j]});
  llvm::sort(used);
  return used;
}

int64_t firstFit(const Problem &p, unsigned i, ArrayRef<int64_t> offsets,
                 ArrayRef<bool> placed) {
  int64_t offset = 0;
  for (auto [begin, end] : occupiedBy(p, i, offsets, placed)) {
    if (offset + p.sizes[i] <= begin)
      break;
    offset = std::max(offset, end);
  }
  return offset;
}

int64_t bestFitOffset(const Problem &p, unsigned i, ArrayRef<int64_t> offsets,
                      ArrayRef<bool> placed) {
  int64_t cursor = 0, bestOffset = -1, bestGap = 0;
  for (auto [begin, end] : occupiedBy(p, i, offsets, placed)) {
    const int64_t gap = begin - cursor;
    if (gap >= p.sizes[i] && (bestOffset < 0 || gap < bestGap)) {
      bestOffset = cursor;
      bestGap = gap;
    }
    cursor = std::max(cursor, end);
  }
  return bestOffset >= 0 ? bestOffset : cursor;
}

ArenaPlan placeInOrder(const Problem &p, ArrayRef<unsigned> order, bool bestFit,
                       const char *method) {
  const size_t n = p.sizes.size();
  SmallVector<int64_t> offsets(n, 0);
  SmallVector<bool> placed(n, false);
  for (unsigned i : order) {
    offsets[i] = bestFit ? bestFitOffset(p, i, offsets, placed)
                         : firstFit(p, i, offsets, placed);
    placed[i] = true;
  }
  ArenaPlan plan;
  plan.offsets = offsets;
  plan.arenaSize = p.arenaSize(offsets);
  plan.load = p.load;
  plan.method = method;
  plan.optimal = plan.arenaSize == p.load;
  return plan;
}

SmallVector<unsigned> bySizeOrder(ArrayRef<BufferRequest> buffers,
                                  const Problem &p) {
  SmallVector<unsigned> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  llvm::stable_sort(order, [&](unsigned a, unsigned b) {
    if (p.sizes[a] != p.sizes[b])
      return p.sizes[a] > p.sizes[b];
    const int64_t la = buffers[a].lastStep - buffers[a].firstStep;
    const int64_t lb = buffers[b].lastStep - buffers[b].firstStep;
    return la > lb;
  });
  return order;
}

/// Branch and bound over (next buffer, resting offset); see the file comment.
class ExactSearch {
public:
  ExactSearch(const Problem &p, const ArenaPlan &seed, int64_t nodeLimit,
              ArrayRef<unsigned> order)
      : p(p), order(order), nodeLimit(nodeLimit), best(seed.offsets),
        bestSize(seed.arenaSize), offsets(p.sizes.size(), 0),
        placed(p.sizes.size(), false) {}

  /// Returns true when the search finished (the result is optimal).
  bool run() {
    search(0, 0, 0);
    return !aborted;
  }
  ArrayRef<int64_t> bestOffsets() const { return best; }
  int64_t bestArena() const { return bestSize; }
  int64_t nodes() const { return visited; }

private:
  void search(size_t count, int64_t lastOffset, int64_t top) {
    if (aborted || bestSize == p.load)
      return;
    if (++visited > nodeLimit) {
      aborted = true;
      return;
    }
    if (count == p.sizes.size()) {
      if (top < bestSize) {
        bestSize = top;
        best.assign(offsets.begin(), offsets.end());
      }
      return;
    }
    if (std::max(top, p.load) >= bestSize)
      return;
    for (unsigned i : order) {
      if (placed[i])
        continue;
      // Resting offsets: 0 or the top of a placed conflicting buffer.
      SmallVector<int64_t, 8> candidates = {0};
      for (unsigned j : p.conflicts[i])
        if (placed[j])
          candidates.push_back(offsets[j] + p.sizes[j]);
      llvm::sort(candidates);
      candidates.erase(std::unique(candidates.begin(), candidates.end()),
                       candidates.end());
      for (int64_t c : candidates) {
        if (c < lastOffset)
          continue;
        if (c + p.sizes[i] >= bestSize)
          break;
        if (!fits(i, c))
          continue;
        offsets[i] = c;
        placed[i] = true;
        search(count + 1, c, std::max(top, c + p.sizes[i]));
        placed[i] = false;
        if (aborted || bestSize == p.load)
          return;
      }
    }
  }

  bool fits(unsigned i, int64_t offset) const {
    return p.fits(i, offset, offsets, placed);
  }

  const Problem &p;
  ArrayRef<unsigned> order;
  int64_t nodeLimit;
  SmallVector<int64_t> best;
  int64_t bestSize;
  SmallVector<int64_t> offsets;
  SmallVector<bool> placed;
  int64_t visited = 0;
  bool aborted = false;
};

/// Places buffers in order of their first step, each at a candidate offset
/// (0, on top of or below a placed buffer alive at the same time, or just
/// under the target ceiling), looking for a plan no higher than `target`.
/// Not complete, but it finds the alternating layouts that chains of
/// overlapping buffers need, where size-ordered placement stacks them.
class CeilingSearch {
public:
  CeilingSearch(const Problem &p, ArrayRef<unsigned> timeOrder,
                int64_t nodeLimit)
      : p(p), order(timeOrder), nodeLimit(nodeLimit),
        offsets(p.sizes.size(), 0), placed(p.sizes.size(), false) {}

  bool run(int64_t ceiling) {
    target = ceiling;
    visited = 0;
    return search(0);
  }
  ArrayRef<int64_t> result() const { return offsets; }
  int64_t nodes() const { return visited; }

private:
  bool search(size_t k) {
    if (k == order.size())
      return true;
    if (++visited > nodeLimit)
      return false;
    const unsigned i = order[k];
    const int64_t size = p.sizes[i];
    SmallVector<int64_t, 16> candidates = {0, target - size};
    for (unsigned j : p.conflicts[i])
      if (placed[j]) {
        candidates.push_back(offsets[j] + p.sizes[j]);
        candidates.push_back(offsets[j] - size);
      }
    llvm::sort(candidates);
    candidates.erase(std::unique(candidates.begin(), candidates.end()),
                     candidates.end());
    for (int64_t c : candidates) {
      if (c < 0 || c + size > target || !fits(i, c))
        continue;
      offsets[i] = c;
      placed[i] = true;
      if (search(k + 1))
        return true;
      placed[i] = false;
      if (visited > nodeLimit)
        return false;
    }
    return false;
  }

  bool fits(unsigned i, int64_t offset) const {
    return p.fits(i, offset, offsets, placed);
  }

  const Problem &p;
  ArrayRef<unsigned> order;
  int64_t nodeLimit;
  int64_t target = 0;
  SmallVector<int64_t> offsets;
  SmallVector<bool> placed;
  int64_t visited = 0;
};

} // namespace

ArenaPlan ft::planGreedyBySize(ArrayRef<BufferRequest> buffers,
                               int64_t alignment) {
  Problem p(buffers, alignment);
  return placeInOrder(p, bySizeOrder(buffers, p), /*bestFit=*/false,
                      "greedy-by-size");
}

ArenaPlan ft::planBestFit(ArrayRef<BufferRequest> buffers, int64_t alignment) {
  Problem p(buffers, alignment);
  return placeInOrder(p, bySizeOrder(buffers, p), /*bestFit=*/true, "best-fit");
}

/// Improves `seed` by exact search when the problem is small enough.
static ArenaPlan improveExactly(const Problem &p, ArenaPlan seed,
                                ArrayRef<unsigned> order,
                                const ArenaSolverOptions &options) {
  if (seed.arenaSize > p.load && order.size() <= options.exactMaxBuffers) {
    ExactSearch search(p, seed, options.exactNodeLimit, order);
    const bool complete = search.run();
    if (search.bestArena() < seed.arenaSize) {
      seed.offsets.assign(search.bestOffsets().begin(),
                          search.bestOffsets().end());
      seed.arenaSize = search.bestArena();
      seed.method = "exact";
    }
    seed.optimal = complete;
    seed.searchNodes = search.nodes();
  }
  seed.optimal |= seed.arenaSize == p.load;
  return seed;
}

ArenaPlan ft::planExact(ArrayRef<BufferRequest> buffers,
                        const ArenaSolverOptions &options) {
  Problem p(buffers, options.alignment);
  SmallVector<unsigned> order = bySizeOrder(buffers, p);
  return improveExactly(p, placeInOrder(p, order, false, "greedy-by-size"),
                        order, options);
}

ArenaPlan ft::planArena(ArrayRef<BufferRequest> buffers,
                        const ArenaSolverOptions &options) {
  Problem p(buffers, options.alignment);
  SmallVector<unsigned> sizeOrder = bySizeOrder(buffers, p);
  SmallVector<unsigned> timeOrder(buffers.size());
  std::iota(timeOrder.begin(), timeOrder.end(), 0);
  llvm::stable_sort(timeOrder, [&](unsigned a, unsigned b) {
    return buffers[a].firstStep < buffers[b].firstStep;
  });

  ArenaPlan best = placeInOrder(p, sizeOrder, false, "greedy-by-size");
  for (ArenaPlan candidate :
       {placeInOrder(p, sizeOrder, true, "best-fit"),
        placeInOrder(p, timeOrder, true, "best-fit-in-time-order")})
    if (candidate.arenaSize < best.arenaSize)
      best = std::move(candidate);

  // Try to reach LOAD itself (then the plan is optimal) by time-ordered
  // placement under that ceiling.
  if (best.arenaSize > p.load) {
    CeilingSearch ceiling(p, timeOrder, options.exactNodeLimit);
    if (ceiling.run(p.load)) {
      best.offsets.assign(ceiling.result().begin(), ceiling.result().end());
      best.arenaSize = p.arenaSize(best.offsets);
      best.method = "ceiling-search";
    }
    best.searchNodes += ceiling.nodes();
  }
  return improveExactly(p, std::move(best), sizeOrder, options);
}
