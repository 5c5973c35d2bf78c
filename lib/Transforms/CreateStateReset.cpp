//===- CreateStateReset.cpp - Reset functions for stateful models ---------===//
//
// A model with variable tensors keeps them in global buffers that are not
// constant; its caller needs a way back to the initial state (TFLM's
// ResetVariableTensors) and the state's size. See the pass description.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Transforms/Passes.h"

#include "FusedTiling/Support/StorageSize.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/SetVector.h"

namespace ft {
#define GEN_PASS_DEF_FTCREATESTATERESET
#include "FusedTiling/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {

/// Whether `global` holds state: a buffer that is not constant and starts
/// from a dense value.
bool isState(memref::GlobalOp global) {
  return !global.getConstant() && !global.isExternal() &&
         isa_and_present<DenseElementsAttr>(global.getInitialValueAttr());
}

/// The state globals `func` uses, directly or through the functions it
/// calls, in the order it first names them.
void collectState(func::FuncOp func, SymbolTable &symbols,
                  llvm::SetVector<Operation *> &visited,
                  llvm::SetVector<memref::GlobalOp> &globals) {
  if (!visited.insert(func))
    return;
  func.walk([&](Operation *op) {
    if (auto get = dyn_cast<memref::GetGlobalOp>(op)) {
      auto global = symbols.lookup<memref::GlobalOp>(get.getName());
      if (global && isState(global))
        globals.insert(global);
    } else if (auto call = dyn_cast<func::CallOp>(op)) {
      if (auto callee = symbols.lookup<func::FuncOp>(call.getCallee()))
        collectState(callee, symbols, visited, globals);
    }
  });
}

struct FTCreateStateResetPass
    : ft::impl::FTCreateStateResetBase<FTCreateStateResetPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> entries;
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        entries.push_back(func);
    for (func::FuncOp func : entries) {
      llvm::SetVector<Operation *> visited;
      llvm::SetVector<memref::GlobalOp> globals;
      collectState(func, symbols, visited, globals);
      if (globals.empty())
        continue;
      const std::string name = (func.getSymName() + "_reset").str();
      if (symbols.lookup(name)) {
        func.emitError() << "has state, but its reset function's name '" << name
                         << "' is already taken";
        return signalPassFailure();
      }
      OpBuilder builder(func);
      builder.setInsertionPointAfter(func);
      auto reset = func::FuncOp::create(builder, func.getLoc(), name,
                                        builder.getFunctionType({}, {}));
      symbols.insert(reset);
      builder.setInsertionPointToStart(reset.addEntryBlock());
      int64_t bytes = 0;
      for (memref::GlobalOp global : globals) {
        MemRefType type = global.getType();
        auto initial = cast<DenseElementsAttr>(*global.getInitialValue());
        bytes += type.getNumElements() *
                 ft::elementStorageBytes(type.getElementType());
        Location loc = global.getLoc();
        Value state = memref::GetGlobalOp::create(builder, loc, type,
                                                  global.getSymName());
        if (initial.isSplat()) {
          Value value = arith::ConstantOp::create(
              builder, loc,
              cast<TypedAttr>(initial.getSplatValue<Attribute>()));
          linalg::FillOp::create(builder, loc, value, state);
          continue;
        }
        // Otherwise a constant copy of the initial value, next to the
        // state, copied over it.
        OpBuilder globalBuilder(global);
        auto initialCopy = memref::GlobalOp::create(
            globalBuilder, loc, (global.getSymName() + "_initial").str(),
            globalBuilder.getStringAttr("private"), type, initial,
            /*constant=*/true, global.getAlignmentAttr());
        symbols.insert(initialCopy);
        Value source = memref::GetGlobalOp::create(builder, loc, type,
                                                   initialCopy.getSymName());
        memref::CopyOp::create(builder, loc, source, state);
      }
      func::ReturnOp::create(builder, func.getLoc());
      func->setAttr("ft.state_bytes", builder.getI64IntegerAttr(bytes));
    }
  }
};

} // namespace
