//===- TestSplitRules.cpp - SplitRulesOpInterface as remarks
//---------------===//
//
// What path discovery's estimate asks each op of a path, printed for lit
// tests of the rules (test/Dialect/FT/split-rules-*.mlir).
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Dialect/FT/IR/SplitRulesInterface.h"
#include "FusedTiling/Dialect/FT/Transforms/Passes.h"

#include "mlir/IR/Diagnostics.h"

namespace ft {
#define GEN_PASS_DEF_FTTESTSPLITRULES
#include "FusedTiling/Dialect/FT/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;
using namespace ft;

namespace {

struct FTTestSplitRulesPass
    : ft::impl::FTTestSplitRulesBase<FTTestSplitRulesPass> {
  using FTTestSplitRulesBase::FTTestSplitRulesBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    registerSplitRulesExternalModels(registry);
  }

  void runOnOperation() override {
    // The options as numbers (a pass option streams as its text).
    const int64_t axis = this->axis, lo = this->lo, hi = this->hi;
    getOperation().walk([&](SplitRulesOpInterface rules) {
      Operation *op = rules.getOperation();
      if (op->getNumResults() != 1)
        return;
      auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
      if (!type || axis < 0 || axis >= type.getRank() ||
          type.isDynamicDim(axis))
        return;
      const int64_t end = std::min<int64_t>(hi, type.getDimSize(axis));
      InFlightDiagnostic remark = op->emitRemark();
      remark << "rows [" << lo << ", " << end << ") of axis " << axis
             << " read";
      FailureOr<SmallVector<OperandSplit>> splits = failure();
      if (lo < end)
        splits = rules.getOperandSplits(axis, lo, end);
      if (failed(splits)) {
        remark << ": cannot split";
        return;
      }
      if (splits->empty())
        remark << ": no operand";
      for (auto [index, split] : llvm::enumerate(*splits)) {
        remark << (index ? ", " : ": ") << "operand " << index << " ";
        if (split.kind == OperandSplit::Kind::Rows)
          remark << "rows [" << split.lo << ", " << split.hi << ")";
        else
          remark << (split.kind == OperandSplit::Kind::None ? "none" : "whole");
      }
      remark << "; row 1 reads again:";
      for (int64_t overlap : rules.getWindowOverlaps(axis))
        remark << " " << overlap;
      if (rules.movesRowsOfSource())
        remark << "; moves its source's rows";
    });
  }
};

} // namespace
