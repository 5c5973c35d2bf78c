//===- SchedulingTest.cpp - Least-peak orders against brute force ---------===//

#include "FusedTiling/Tiling/Scheduling.h"

#include "llvm/ADT/Sequence.h"
#include "llvm/ADT/StringRef.h"
#include "gtest/gtest.h"

#include <functional>
#include <map>

using namespace ft;

namespace {

/// A graph from chains of one-letter nodes ("abc,aBc": a diamond), the
/// reference's test notation; nodes are numbered in a topological order.
/// Weights default to 100; the last chain's last node is the output.
ScheduleGraph parseGraph(llvm::StringRef text,
                         std::map<char, int64_t> weights = {}) {
  std::map<char, std::vector<char>> edges;
  std::vector<char> names;
  auto note = [&](char c) {
    if (std::find(names.begin(), names.end(), c) == names.end())
      names.push_back(c);
  };
  llvm::SmallVector<llvm::StringRef> chains;
  text.split(chains, ',', -1, false);
  for (llvm::StringRef chain : chains) {
    for (size_t i = 0; i < chain.size(); ++i) {
      note(chain[i]);
      if (i + 1 < chain.size())
        edges[chain[i]].push_back(chain[i + 1]);
    }
  }
  // Topological numbering (Kahn, by first appearance).
  std::map<char, int> indegree;
  for (char c : names)
    indegree[c] = 0;
  for (auto &[from, tos] : edges)
    for (char to : tos)
      ++indegree[to];
  std::vector<char> order;
  while (order.size() < names.size())
    for (char c : names)
      if (indegree[c] == 0 &&
          std::find(order.begin(), order.end(), c) == order.end()) {
        order.push_back(c);
        for (char to : edges[c])
          --indegree[to];
        break;
      }
  std::map<char, unsigned> number;
  ScheduleGraph graph;
  for (char c : order) {
    auto weight = weights.find(c);
    number[c] = graph.addNode(weight == weights.end() ? 100 : weight->second);
  }
  for (auto &[from, tos] : edges)
    for (char to : tos)
      graph.addEdge(number[from], number[to]);
  return graph;
}

/// The least peak over every topological order.
int64_t bruteForcePeak(const ScheduleGraph &graph) {
  const unsigned n = graph.size();
  std::vector<unsigned> waiting(n, 0);
  for (unsigned node = 0; node < n; ++node)
    for (unsigned consumer : graph.consumers[node])
      ++waiting[consumer];
  llvm::SmallVector<unsigned> order;
  std::vector<bool> done(n, false);
  int64_t best = INT64_MAX;
  std::function<void()> search = [&]() {
    if (order.size() == n) {
      best = std::min(best, peakBytes(graph, order));
      return;
    }
    for (unsigned node = 0; node < n; ++node) {
      if (done[node] || waiting[node] != 0)
        continue;
      done[node] = true;
      order.push_back(node);
      for (unsigned consumer : graph.consumers[node])
        --waiting[consumer];
      search();
      for (unsigned consumer : graph.consumers[node])
        ++waiting[consumer];
      order.pop_back();
      done[node] = false;
    }
  };
  search();
  return best;
}

void expectLeast(const ScheduleGraph &graph) {
  Schedule schedule = scheduleForLeastPeak(graph);
  ASSERT_EQ(schedule.order.size(), graph.size());
  EXPECT_TRUE(schedule.exact);
  EXPECT_EQ(schedule.peakBytes, peakBytes(graph, schedule.order));
  EXPECT_EQ(schedule.peakBytes, bruteForcePeak(graph));
}

TEST(Scheduling, Chains) {
  expectLeast(parseGraph("a"));
  expectLeast(parseGraph("ab"));
  expectLeast(parseGraph("abcde"));
  expectLeast(parseGraph("abcdef", {{'a', 5}, {'b', 30}, {'c', 2}}));
}

TEST(Scheduling, Diamonds) {
  expectLeast(parseGraph("abc,aBc"));
  expectLeast(parseGraph("abcde,abCde"));
  expectLeast(parseGraph("abcdef,abCDef"));
  expectLeast(parseGraph("abcde,aBcDe"));
  expectLeast(parseGraph("abcde,aBCDe", {{'b', 10}, {'C', 10}}));
  expectLeast(parseGraph("abcde,aBCDe", {{'c', 10}, {'B', 10}}));
}

TEST(Scheduling, NestedDiamonds) {
  expectLeast(parseGraph("abcd,aBc,aXd"));
  expectLeast(parseGraph("abcd,aBCd,aBXd"));
  expectLeast(parseGraph("abcd,aBCd,aXCd"));
  expectLeast(parseGraph("abcdme,bCd,aXMe"));
  expectLeast(parseGraph("abcdme,bCd,aXMe", {{'X', 1000}}));
}

TEST(Scheduling, ThreeWayForks) {
  expectLeast(parseGraph("abc,aBc,aXc"));
  // The reference's weighted three-branch cases.
  const char *names = "SabcdefghiE";
  for (std::vector<int64_t> weights :
       {std::vector<int64_t>{1, 7, 8, 9, 3, 6, 5, 7, 10, 9, 8},
        std::vector<int64_t>{9, 5, 9, 4, 4, 10, 7, 10, 5, 8, 8}}) {
    std::map<char, int64_t> byName;
    for (unsigned i = 0; i < weights.size(); ++i)
      byName[names[i]] = weights[i];
    expectLeast(parseGraph("SabcE,SdefE,SghiE", byName));
  }
}

TEST(Scheduling, NotSeriesParallel) {
  expectLeast(parseGraph("abcd,aBCd,bC"));
  expectLeast(parseGraph("abcd,aBCd,Bc"));
  expectLeast(parseGraph("abcd,aBCd,Bc,ad"));
}

TEST(Scheduling, SeveralSourcesAndSinks) {
  expectLeast(parseGraph("ab,Ab"));
  expectLeast(parseGraph("abc,ABc"));
  expectLeast(parseGraph("abcd,aBCd,XYd"));
  expectLeast(parseGraph("ab,aB"));
  expectLeast(parseGraph("abc,aBc,aX"));
  expectLeast(parseGraph("a,A"));
}

TEST(Scheduling, OutputsLiveToTheEnd) {
  ScheduleGraph graph = parseGraph("abc,aBc");
  graph.liveToEnd[1] = true;
  expectLeast(graph);
}

TEST(Scheduling, RandomSmallDags) {
  // A fixed linear congruential sequence: the same graphs every run.
  uint64_t state = 12345;
  auto next = [&](unsigned bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<unsigned>((state >> 33) % bound);
  };
  for (unsigned trial = 0; trial < 300; ++trial) {
    ScheduleGraph graph;
    const unsigned n = 2 + next(7);
    for (unsigned node = 0; node < n; ++node) {
      graph.addNode(1 + next(20), /*toEnd=*/next(8) == 0,
                    /*scratch=*/next(4) == 0 ? next(10) : 0);
      for (unsigned producer = 0; producer < node; ++producer)
        if (next(3) == 0)
          graph.addEdge(producer, node);
    }
    SCOPED_TRACE("trial " + std::to_string(trial));
    expectLeast(graph);
  }
}

TEST(Scheduling, GreedyBeyondTheStateLimit) {
  // Eight parallel chains of four between a fork and a join: 5^8 downsets.
  ScheduleGraph graph;
  const unsigned fork = graph.addNode(10);
  llvm::SmallVector<unsigned> ends;
  for (unsigned chain = 0; chain < 8; ++chain) {
    unsigned previous = fork;
    for (unsigned i = 0; i < 4; ++i) {
      const unsigned node = graph.addNode(1 + (chain * 7 + i * 3) % 11);
      graph.addEdge(previous, node);
      previous = node;
    }
    ends.push_back(previous);
  }
  const unsigned join = graph.addNode(5);
  for (unsigned end : ends)
    graph.addEdge(end, join);
  Schedule limited = scheduleForLeastPeak(graph, /*maxStatesPerPart=*/1000);
  EXPECT_FALSE(limited.exact);
  ASSERT_EQ(limited.order.size(), graph.size());
  EXPECT_EQ(limited.peakBytes, peakBytes(graph, limited.order));
  // Never worse than the given order.
  EXPECT_LE(
      limited.peakBytes,
      peakBytes(graph, llvm::to_vector(llvm::seq<unsigned>(0, graph.size()))));
  // The same every time.
  EXPECT_EQ(scheduleForLeastPeak(graph, 1000).order, limited.order);
}

} // namespace
