//===- ArenaSolverTest.cpp - Offsets in one arena, known optima -----------===//

#include "FusedTiling/Planning/ArenaSolver.h"

#include <gtest/gtest.h>

#include <random>

using namespace ft;

namespace {

/// A chain a -> b -> c -> ...: op i writes buffer i and reads buffer i - 1,
/// so buffer i lives at steps i and i + 1.
std::vector<BufferRequest> chain(std::vector<int64_t> sizes) {
  std::vector<BufferRequest> buffers;
  for (size_t i = 0; i < sizes.size(); ++i)
    buffers.push_back(
        {sizes[i], static_cast<int64_t>(i), static_cast<int64_t>(i) + 1});
  return buffers;
}

ArenaSolverOptions unaligned() {
  ArenaSolverOptions options;
  options.alignment = 1;
  return options;
}

TEST(ArenaSolver, ChainWhereGreedyBySizeIsNotOptimal) {
  // a(5) b(3) c(2) d(4): LOAD = max(5+3, 3+2, 2+4) = 8. Greedy by size puts
  // a and d at 0, b above a and c above both: 10.
  auto buffers = chain({5, 3, 2, 4});
  EXPECT_EQ(computeLoad(buffers, 1), 8);
  EXPECT_EQ(planGreedyBySize(buffers, 1).arenaSize, 10);
  EXPECT_EQ(planBestFit(buffers, 1).arenaSize, 10);
  // The exact search, seeded with the greedy plan, finds the optimum.
  ArenaPlan exact = planExact(buffers, unaligned());
  EXPECT_EQ(exact.arenaSize, 8);
  EXPECT_TRUE(exact.optimal);
  EXPECT_EQ(exact.method, "exact");
  EXPECT_TRUE(isValidPlan(buffers, exact.offsets, 1));
  // So does the full planner (here already with a heuristic).
  ArenaPlan plan = planArena(buffers, unaligned());
  EXPECT_EQ(plan.arenaSize, 8);
  EXPECT_TRUE(isValidPlan(buffers, plan.offsets, 1));
}

TEST(ArenaSolver, LongerChain) {
  auto buffers = chain({1, 20, 6, 4, 8, 1});
  ArenaPlan plan = planArena(buffers, unaligned());
  EXPECT_EQ(plan.arenaSize, 26);
  EXPECT_TRUE(isValidPlan(buffers, plan.offsets, 1));
}

TEST(ArenaSolver, Diamond) {
  // a -> b -> c and a -> B -> c, run as a, b, B, c; a(5) b(10) B(12) c(5).
  std::vector<BufferRequest> buffers = {
      {5, 0, 2}, {10, 1, 3}, {12, 2, 3}, {5, 3, 3}};
  ArenaPlan plan = planArena(buffers, unaligned());
  EXPECT_EQ(plan.load, 27);
  EXPECT_EQ(plan.arenaSize, 27);
}

TEST(ArenaSolver, LargeSizes) {
  auto buffers = chain({6000000, 6000000, 2000000, 1000000});
  EXPECT_EQ(planArena(buffers, unaligned()).arenaSize, 12000000);
  buffers = chain({6000000, 6000001, 2000000, 1});
  EXPECT_EQ(planArena(buffers, unaligned()).arenaSize, 12000001);
}

TEST(ArenaSolver, AlignmentRoundsSizesAndOffsets) {
  auto buffers = chain({5, 3, 2, 4});
  ArenaSolverOptions options; // 16-byte alignment
  ArenaPlan plan = planArena(buffers, options);
  EXPECT_EQ(plan.load, 32);
  EXPECT_EQ(plan.arenaSize, 32);
  for (int64_t offset : plan.offsets)
    EXPECT_EQ(offset % 16, 0);
  EXPECT_TRUE(isValidPlan(buffers, plan.offsets, 16));
}

TEST(ArenaSolver, EmptyAndDisjointProblems) {
  EXPECT_EQ(planArena({}, unaligned()).arenaSize, 0);
  // Never alive together: everything at offset 0.
  std::vector<BufferRequest> buffers = {{7, 0, 0}, {9, 1, 1}, {3, 2, 2}};
  ArenaPlan plan = planArena(buffers, unaligned());
  EXPECT_EQ(plan.arenaSize, 9);
  EXPECT_EQ(plan.offsets, (llvm::SmallVector<int64_t>{0, 0, 0}));
}

TEST(ArenaSolver, RandomProblemsAreValidDeterministicAndBeatHeuristics) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<BufferRequest> buffers;
    const int n = 3 + trial % 10;
    for (int i = 0; i < n; ++i) {
      int64_t first = rng() % 12;
      buffers.push_back({1 + static_cast<int64_t>(rng() % 64), first,
                         first + static_cast<int64_t>(rng() % 4)});
    }
    ArenaPlan plan = planArena(buffers, unaligned());
    ASSERT_TRUE(isValidPlan(buffers, plan.offsets, 1)) << "trial " << trial;
    EXPECT_GE(plan.arenaSize, plan.load);
    EXPECT_LE(plan.arenaSize, planGreedyBySize(buffers, 1).arenaSize);
    EXPECT_LE(plan.arenaSize, planBestFit(buffers, 1).arenaSize);
    // Small problems are solved to proven optimality, from any seed.
    EXPECT_TRUE(plan.optimal) << "trial " << trial;
    ArenaPlan exact = planExact(buffers, unaligned());
    ASSERT_TRUE(isValidPlan(buffers, exact.offsets, 1));
    EXPECT_TRUE(exact.optimal);
    EXPECT_EQ(exact.arenaSize, plan.arenaSize) << "trial " << trial;
    ArenaPlan again = planArena(buffers, unaligned());
    EXPECT_EQ(plan.offsets, again.offsets);
  }
}

TEST(ArenaSolver, AlternatingLayoutForOverlappingChains) {
  // The shape of a quantized conv stack: accumulator (32000), requantized
  // output (8000), padded copy (12096), repeated, each overlapping the next
  // two. Size-ordered placement stacks the outputs above everything; the
  // optimum alternates positions and reaches LOAD = 32000 + 12096.
  std::vector<BufferRequest> buffers;
  for (int layer = 0; layer < 4; ++layer) {
    const int64_t t = layer * 10;
    buffers.push_back({32000, t + 0, t + 3});
    buffers.push_back({8000, t + 3, t + 7});
    buffers.push_back({12096, t + 5, t + 10});
  }
  EXPECT_EQ(computeLoad(buffers, 16), 44096);
  EXPECT_GT(planGreedyBySize(buffers, 16).arenaSize, 44096);
  ArenaPlan plan = planArena(buffers, {});
  EXPECT_EQ(plan.arenaSize, 44096);
  EXPECT_TRUE(plan.optimal);
  EXPECT_TRUE(isValidPlan(buffers, plan.offsets, 16));
}

TEST(ArenaSolver, NodeLimitKeepsTheBestHeuristicPlan) {
  auto buffers = chain({5, 3, 2, 4});
  ArenaSolverOptions options = unaligned();
  options.exactNodeLimit = 1;
  ArenaPlan plan = planExact(buffers, options);
  EXPECT_TRUE(isValidPlan(buffers, plan.offsets, 1));
  EXPECT_FALSE(plan.optimal);
  EXPECT_EQ(plan.arenaSize, 10);
}

} // namespace
