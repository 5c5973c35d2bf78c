//===- Scheduling.cpp - Operator orders of least peak memory -------------===//
//
// Exhaustive search over downsets between cut nodes; see Scheduling.h. The
// reference orders series-parallel graphs with Kayaaslan et al.'s algorithm
// and others with an ILP under wall-clock limits; the search here needs
// neither a solver nor a time limit, so the same graph always gets the
// same order.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Tiling/Scheduling.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/Hashing.h"

#include <unordered_map>

using namespace llvm;

unsigned ft::ScheduleGraph::addNode(int64_t bytes, bool toEnd,
                                    int64_t scratch) {
  outputBytes.push_back(bytes);
  scratchBytes.push_back(scratch);
  isInput.push_back(false);
  consumers.emplace_back();
  liveToEnd.push_back(toEnd);
  return outputBytes.size() - 1;
}

unsigned ft::ScheduleGraph::addInput(int64_t bytes) {
  const unsigned node = addNode(bytes);
  isInput[node] = true;
  return node;
}

void ft::ScheduleGraph::addEdge(unsigned producer, unsigned consumer) {
  if (!is_contained(consumers[producer], consumer))
    consumers[producer].push_back(consumer);
}

namespace {

/// The running state of an order: what ran, what is alive, and which nodes
/// are ready; `run` and `undo` step it forwards and back.
class ScheduleState {
public:
  explicit ScheduleState(const ft::ScheduleGraph &graph)
      : graph(graph), done(graph.size()), waitingInputs(graph.size(), 0),
        waitingConsumers(graph.size(), 0) {
    for (unsigned node = 0; node < graph.size(); ++node) {
      waitingConsumers[node] = graph.consumers[node].size();
      for (unsigned consumer : graph.consumers[node])
        ++waitingInputs[consumer];
    }
    inputs.resize(graph.size());
    for (unsigned node = 0; node < graph.size(); ++node)
      for (unsigned consumer : graph.consumers[node])
        inputs[consumer].push_back(node);
  }

  bool isReady(unsigned node) const {
    return !done.test(node) && waitingInputs[node] == 0;
  }
  bool isDone(unsigned node) const { return done.test(node); }
  int64_t liveBytes() const { return live; }
  /// Bytes alive while `node` runs.
  int64_t stepBytes(unsigned node) const {
    return live + graph.outputBytes[node] + graph.scratchBytes[node];
  }
  /// Bytes alive after `node` ran, minus before.
  int64_t growth(unsigned node) const {
    int64_t bytes = graph.outputBytes[node];
    if (dies(node, waitingConsumers[node]))
      bytes -= graph.outputBytes[node];
    for (unsigned input : inputs[node])
      if (dies(input, waitingConsumers[input] - 1))
        bytes -= graph.outputBytes[input];
    return bytes;
  }

  void run(unsigned node) {
    live += growth(node);
    done.set(node);
    for (unsigned input : inputs[node])
      --waitingConsumers[input];
    for (unsigned consumer : graph.consumers[node])
      --waitingInputs[consumer];
  }
  void undo(unsigned node) {
    for (unsigned consumer : graph.consumers[node])
      ++waitingInputs[consumer];
    for (unsigned input : inputs[node])
      ++waitingConsumers[input];
    done.reset(node);
    live -= growth(node);
  }

private:
  bool dies(unsigned node, unsigned pendingConsumers) const {
    return pendingConsumers == 0 && !graph.liveToEnd[node];
  }

  const ft::ScheduleGraph &graph;
  BitVector done;
  SmallVector<unsigned> waitingInputs, waitingConsumers;
  SmallVector<SmallVector<unsigned, 2>> inputs;
  int64_t live = 0;
};

struct WordsHash {
  size_t operator()(const SmallVector<uint64_t, 2> &words) const {
    return hash_combine_range(words.begin(), words.end());
  }
};

/// Exhaustive search over the downsets of one part of the graph (`part`,
/// in topological order), from the state where everything before it ran.
class PartSearch {
public:
  PartSearch(ScheduleState &state, ArrayRef<unsigned> part, unsigned maxStates)
      : state(state), part(part), maxStates(maxStates),
        ranInPart((part.size() + 63) / 64, 0) {}

  /// The least peak of the part, or nullopt when the part has too many
  /// downsets; `order` receives the order.
  std::optional<int64_t> solve(SmallVectorImpl<unsigned> &order) {
    std::optional<int64_t> peak = search(0);
    if (!peak)
      return std::nullopt;
    // Replay the choices.
    for (unsigned ran = 0; ran < part.size(); ++ran) {
      const unsigned index = memo.at(ranInPart).next;
      order.push_back(part[index]);
      state.run(part[index]);
      ranInPart[index / 64] |= uint64_t(1) << (index % 64);
    }
    return peak;
  }

private:
  struct Entry {
    int64_t peak;
    unsigned next;
  };

  std::optional<int64_t> search(unsigned ran) {
    if (ran == part.size())
      return 0;
    if (auto it = memo.find(ranInPart); it != memo.end())
      return it->second.peak;
    if (memo.size() >= maxStates)
      return std::nullopt;
    std::optional<Entry> best;
    for (unsigned index = 0; index < part.size(); ++index) {
      const unsigned node = part[index];
      if (!state.isReady(node))
        continue;
      const int64_t step = state.stepBytes(node);
      // No order from here can beat the best one found.
      if (best && step >= best->peak)
        continue;
      state.run(node);
      ranInPart[index / 64] |= uint64_t(1) << (index % 64);
      std::optional<int64_t> rest = search(ran + 1);
      ranInPart[index / 64] &= ~(uint64_t(1) << (index % 64));
      state.undo(node);
      if (!rest)
        return std::nullopt;
      const int64_t peak = std::max(step, *rest);
      if (!best || peak < best->peak)
        best = Entry{peak, index};
    }
    memo[ranInPart] = *best;
    return best->peak;
  }

  ScheduleState &state;
  ArrayRef<unsigned> part;
  unsigned maxStates;
  SmallVector<uint64_t, 2> ranInPart;
  std::unordered_map<SmallVector<uint64_t, 2>, Entry, WordsHash> memo;
};

/// The part in the order of a greedy rule (the ready node that adds the
/// fewest bytes, then the one whose step is smallest, then the first), or
/// in the given order when that has the smaller peak. Runs it on `state`.
int64_t orderGreedily(ScheduleState &state, ArrayRef<unsigned> part,
                      SmallVectorImpl<unsigned> &order) {
  auto replay = [&](ArrayRef<unsigned> nodes, bool keep) {
    int64_t peak = 0;
    for (unsigned node : nodes) {
      peak = std::max(peak, state.stepBytes(node));
      state.run(node);
    }
    if (!keep)
      for (unsigned node : llvm::reverse(nodes))
        state.undo(node);
    return peak;
  };
  SmallVector<unsigned> greedy;
  while (greedy.size() < part.size()) {
    std::optional<unsigned> choice;
    for (unsigned node : part) {
      if (!state.isReady(node))
        continue;
      if (!choice ||
          std::make_pair(state.growth(node), state.stepBytes(node)) <
              std::make_pair(state.growth(*choice), state.stepBytes(*choice)))
        choice = node;
    }
    greedy.push_back(*choice);
    state.run(*choice);
  }
  for (unsigned node : llvm::reverse(greedy))
    state.undo(node);
  const int64_t greedyPeak = replay(greedy, /*keep=*/false);
  const int64_t givenPeak = replay(part, /*keep=*/false);
  ArrayRef<unsigned> chosen = givenPeak <= greedyPeak ? part : greedy;
  llvm::append_range(order, chosen);
  return replay(chosen, /*keep=*/true);
}

} // namespace

SmallVector<int64_t> ft::stepBytes(const ScheduleGraph &graph,
                                   ArrayRef<unsigned> order) {
  ScheduleState state(graph);
  SmallVector<int64_t> steps;
  for (unsigned node : order) {
    steps.push_back(state.stepBytes(node));
    state.run(node);
  }
  return steps;
}

int64_t ft::peakBytes(const ScheduleGraph &graph, ArrayRef<unsigned> order) {
  SmallVector<int64_t> steps = stepBytes(graph, order);
  return steps.empty() ? 0 : *llvm::max_element(steps);
}

ft::Schedule ft::scheduleForLeastPeak(const ScheduleGraph &graph,
                                      unsigned maxStatesPerPart) {
  const unsigned n = graph.size();
  Schedule schedule;
  ScheduleState state(graph);
  // Inputs exist before anything runs. Nodes that allocate nothing and read
  // only such nodes (constants, empty tensors, a bias broadcast that only
  // initialises an accumulator) float: they cost nothing wherever they run,
  // so they stay out of the search (where, free to go anywhere, they would
  // join every part) and are placed just before their first reader.
  SmallVector<SmallVector<unsigned, 2>> inputs(n);
  for (unsigned node = 0; node < n; ++node)
    for (unsigned consumer : graph.consumers[node])
      inputs[consumer].push_back(node);
  BitVector placed(n), floating(n);
  for (unsigned node = 0; node < n; ++node) {
    if (graph.isInput[node]) {
      schedule.order.push_back(node);
      placed.set(node);
    } else if (graph.outputBytes[node] == 0 && graph.scratchBytes[node] == 0 &&
               llvm::all_of(inputs[node], [&](unsigned input) {
                 return placed.test(input);
               })) {
      floating.set(node);
      placed.set(node);
    }
  }
  for (unsigned node : placed.set_bits())
    state.run(node);
  // Ancestors and descendants of the rest; a cut node is related to all.
  SmallVector<BitVector> ancestors(n, BitVector(n));
  for (unsigned node = 0; node < n; ++node)
    for (unsigned consumer : graph.consumers[node]) {
      ancestors[consumer] |= ancestors[node];
      ancestors[consumer].set(node);
    }
  SmallVector<unsigned> descendants(n, 0);
  for (unsigned node = 0; node < n; ++node)
    for (unsigned ancestor : ancestors[node].set_bits())
      if (!placed.test(ancestor))
        ++descendants[ancestor];
  const unsigned remaining = n - placed.count();
  SmallVector<unsigned> searched, part;
  auto orderPart = [&]() {
    if (part.empty())
      return;
    PartSearch search(state, part, maxStatesPerPart);
    std::optional<int64_t> peak = search.solve(searched);
    if (!peak) {
      peak = orderGreedily(state, part, searched);
      schedule.exact = false;
    }
    part.clear();
  };
  for (unsigned node = 0; node < n; ++node) {
    if (placed.test(node))
      continue;
    part.push_back(node);
    BitVector related = ancestors[node];
    related.reset(placed);
    if (related.count() + descendants[node] + 1 == remaining)
      orderPart();
  }
  orderPart();
  // Each floating node goes before the first searched node that reads it,
  // directly or through other floating nodes (in index order, so inputs
  // come first); those nobody reads go last.
  SmallVector<unsigned> position(n, n);
  for (auto [index, node] : llvm::enumerate(searched))
    position[node] = index;
  SmallVector<unsigned> anchor(n, n);
  for (unsigned node = n; node-- > 0;) {
    if (!floating.test(node))
      continue;
    for (unsigned consumer : graph.consumers[node])
      anchor[node] =
          std::min(anchor[node], floating.test(consumer) ? anchor[consumer]
                                                         : position[consumer]);
  }
  SmallVector<SmallVector<unsigned, 2>> before(searched.size() + 1);
  for (unsigned node : floating.set_bits())
    before[std::min<unsigned>(anchor[node], searched.size())].push_back(node);
  for (auto [index, node] : llvm::enumerate(searched)) {
    llvm::append_range(schedule.order, before[index]);
    schedule.order.push_back(node);
  }
  llvm::append_range(schedule.order, before[searched.size()]);
  // The parts' peaks, and the inputs' steps before them.
  schedule.peakBytes = ft::peakBytes(graph, schedule.order);
  return schedule;
}
