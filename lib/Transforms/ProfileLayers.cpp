//===- ProfileLayers.cpp - Per-layer profiling hooks ----------------------===//
//
// Brackets each layer's code with calls to hooks the caller defines (see
// the pass description), so a counter read per call gives a per-layer
// profile on the target.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Transforms/Passes.h"

#include "FusedTiling/Dialect/FT/IR/Layers.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace ft {
#define GEN_PASS_DEF_FTPROFILELAYERS
#include "FusedTiling/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;

namespace {

constexpr StringLiteral kBeginHook = "ft_profile_begin";
constexpr StringLiteral kEndHook = "ft_profile_end";

/// `func.func private @name(i32)`, declared once.
void declareHook(ModuleOp module, StringRef name) {
  if (module.lookupSymbol(name))
    return;
  OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
  auto type = builder.getFunctionType({builder.getI32Type()}, {});
  auto hook = func::FuncOp::create(builder, module.getLoc(), name, type);
  hook.setPrivate();
}

struct FTProfileLayersPass
    : ft::impl::FTProfileLayersBase<FTProfileLayersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (StringRef hook : {kBeginHook, kEndHook})
      if (Operation *existing = module.lookupSymbol(hook);
          existing && !isa<func::FuncOp>(existing)) {
        existing->emitError("ft-profile-layers: '")
            << hook << "' is taken by another symbol";
        return signalPassFailure();
      }

    // The profile's slots: every layer of the module, by TFLite operator
    // index (layers without one after them, in order of appearance).
    SmallVector<ft::LayerAttr> layers;
    llvm::DenseMap<Attribute, int32_t> slotOf;
    module.walk([&](Operation *op) {
      for (ft::LayerAttr layer : ft::getLayers(op))
        if (slotOf.try_emplace(layer, 0).second)
          layers.push_back(layer);
    });
    llvm::stable_sort(layers, [](ft::LayerAttr a, ft::LayerAttr b) {
      return a.getIndex().value_or(INT64_MAX) <
             b.getIndex().value_or(INT64_MAX);
    });
    SmallVector<Attribute> names;
    for (auto [slot, layer] : llvm::enumerate(layers)) {
      slotOf[layer] = static_cast<int32_t>(slot);
      // (TFLite joins fused tensors' names with ';': the first names it.)
      std::string name = layer.getName().strref().split(';').first.str();
      if (std::optional<int64_t> index = layer.getIndex())
        name = "#" + std::to_string(*index) + " " + name;
      names.push_back(StringAttr::get(&getContext(), name));
    }
    module->setAttr("ft.profile_layers", ArrayAttr::get(&getContext(), names));

    // Runs of consecutive linalg ops of one slot, in any block.
    auto slotOfOp = [&](Operation *op) -> int32_t {
      SmallVector<ft::LayerAttr> opLayers = ft::getLayers(op);
      return opLayers.empty() ? -1 : slotOf.lookup(opLayers.front());
    };
    SmallVector<std::pair<Operation *, Operation *>> runs;
    SmallVector<int32_t> runSlots;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      func.walk<WalkOrder::PreOrder>([&](Operation *op) {
        if (!isa<linalg::LinalgOp>(op))
          return WalkResult::advance();
        const int32_t slot = slotOfOp(op);
        Operation *previous = op->getPrevNode();
        if (!runs.empty() && runs.back().second == previous &&
            runSlots.back() == slot)
          runs.back().second = op;
        else {
          runs.push_back({op, op});
          runSlots.push_back(slot);
        }
        // (A linalg op's payload holds no other layer's code.)
        return WalkResult::skip();
      });
    }
    if (runs.empty())
      return;
    declareHook(module, kBeginHook);
    declareHook(module, kEndHook);
    OpBuilder builder(&getContext());
    for (auto [run, slot] : llvm::zip(runs, runSlots)) {
      auto [first, last] = run;
      builder.setInsertionPoint(first);
      Value id = arith::ConstantIntOp::create(builder, first->getLoc(),
                                              builder.getI32Type(), slot);
      func::CallOp::create(builder, first->getLoc(), kBeginHook, TypeRange{},
                           ValueRange{id});
      builder.setInsertionPointAfter(last);
      func::CallOp::create(builder, last->getLoc(), kEndHook, TypeRange{},
                           ValueRange{id});
    }
  }
};

} // namespace
