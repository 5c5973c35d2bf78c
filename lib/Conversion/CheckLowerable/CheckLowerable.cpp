//===- CheckLowerable.cpp - Refuse what ft-lower-to-llvm cannot lower -----===//

#include "FusedTiling/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace ft {
#define GEN_PASS_DEF_FTCHECKLOWERABLE
#include "FusedTiling/Conversion/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {
/// Whether `type` is a tensor (or memref) whose size is not known.
bool hasUnknownSize(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  return shaped && isa<TensorType, BaseMemRefType>(shaped) &&
         !shaped.hasStaticShape();
}

struct CheckLowerablePass
    : ft::impl::FTCheckLowerableBase<CheckLowerablePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // One diagnostic: the first thing that cannot be lowered.
    bool refused = false;
    auto refuse = [&](Operation *op) {
      refused = true;
      return op->emitError();
    };
    module.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (op == module.getOperation())
        return WalkResult::advance();
      if (isa<ModuleOp>(op)) {
        refuse(op) << "a nested module is not lowered by ft-lower-to-llvm: "
                      "lower each module on its own";
        return WalkResult::interrupt();
      }
      if (auto func = dyn_cast<FunctionOpInterface>(op)) {
        for (auto [i, type] : llvm::enumerate(func.getArgumentTypes()))
          if (hasUnknownSize(type)) {
            refuse(op) << "argument " << i << " has type " << type
                       << ": the static arena needs every tensor's size at "
                          "compile time; give the function static shapes";
            return WalkResult::interrupt();
          }
        return WalkResult::advance();
      }
      if (isa<CallOpInterface>(op)) {
        refuse(op) << "this call could not be inlined (a recursive or "
                      "external callee): the arena is planned per function, "
                      "for the whole call tree";
        return WalkResult::interrupt();
      }
      // Inside a tile block (or any region of an op) sizes may vary with the
      // tile: the planner bounds them. A whole tensor's must be known.
      if (!isa<FunctionOpInterface>(op->getParentOp()))
        return WalkResult::advance();
      for (Type type : op->getResultTypes())
        if (hasUnknownSize(type)) {
          refuse(op) << "result of type " << type
                     << ": the static arena needs every tensor's size at "
                        "compile time";
          return WalkResult::interrupt();
        }
      return WalkResult::advance();
    });
    if (refused)
      signalPassFailure();
  }
};
} // namespace
