//===- ScheduleForMemory.cpp - The ft-schedule-for-memory pass ------------===//

#include "FusedTiling/Tiling/MemoryModel.h"
#include "FusedTiling/Tiling/Passes.h"

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
    std::optional<ft::BlockSchedule> schedule = ft::scheduleBlockForLeastPeak(
        func.getBody().front(), ft::MemoryModelOptions(), /*scratch=*/nullptr,
        maxStates);
    if (schedule && report)
      func.emitRemark() << "ft-schedule-for-memory: peak "
                        << schedule->peakBefore << " -> " << schedule->peakAfter
                        << " bytes (" << (schedule->exact ? "least" : "greedy")
                        << ")";
  }
};
} // namespace
