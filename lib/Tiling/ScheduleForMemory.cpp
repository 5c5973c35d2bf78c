//===- ScheduleForMemory.cpp - The ft-schedule-for-memory pass ------------===//

#include "FusedTiling/Tiling/MemoryModel.h"
#include "FusedTiling/Tiling/Passes.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace ft {
#define GEN_PASS_DEF_FTSCHEDULEFORMEMORY
#include "FusedTiling/Tiling/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {
struct FTScheduleForMemoryPass
    : ft::impl::FTScheduleForMemoryBase<FTScheduleForMemoryPass> {
  using FTScheduleForMemoryBase::FTScheduleForMemoryBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || !func.getBody().hasOneBlock())
      return;
    Block &body = func.getBody().front();
    // Effects pin an op's place among others'.
    for (Operation &op : body)
      if (!op.hasTrait<OpTrait::IsTerminator>() && !isMemoryEffectFree(&op))
        return;
    ft::BlockGraph graph = buildBlockGraph(body, ft::MemoryModelOptions());
    if (graph.ops.empty())
      return;
    SmallVector<unsigned> given =
        llvm::to_vector(llvm::seq<unsigned>(0, graph.ops.size()));
    const int64_t before = ft::peakBytes(graph.graph, given);
    ft::Schedule schedule = ft::scheduleForLeastPeak(graph.graph, maxStates);
    // Keep the given order unless the new one is strictly better.
    if (schedule.peakBytes < before)
      reorderBlock(graph, schedule.order);
    if (report)
      func.emitRemark() << "ft-schedule-for-memory: peak " << before << " -> "
                        << std::min(before, schedule.peakBytes) << " bytes ("
                        << (schedule.exact ? "least" : "greedy") << ")";
  }
};
} // namespace
