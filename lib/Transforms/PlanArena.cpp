//===- PlanArena.cpp - Place every buffer in one static arena -------------===//

#include "FusedTiling/Analysis/ArenaSolver.h"
#include "FusedTiling/Analysis/BufferLiveness.h"
#include "FusedTiling/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace ft {
#define GEN_PASS_DEF_FTPLANARENA
#include "FusedTiling/Transforms/Passes.h.inc"
} // namespace ft

using namespace mlir;
using namespace ft;

namespace {

/// Buffers that share a slot (in-place writes) form one group; the group
/// representative is the buffer that was written over first.
int groupOf(ArrayRef<LiveBuffer> buffers, int index) {
  while (buffers[index].sharesSlotWith >= 0)
    index = buffers[index].sharesSlotWith;
  return index;
}

struct FunctionPlan {
  SmallVector<int64_t> offsetOf; // per buffer
  ArenaPlan arena;
};

FunctionPlan solve(ArrayRef<LiveBuffer> buffers, int64_t alignment) {
  // One request per group, covering the lifetimes of all its members.
  DenseMap<int, unsigned> requestOf;
  SmallVector<BufferRequest> requests;
  for (int i = 0, e = buffers.size(); i < e; ++i) {
    const int group = groupOf(buffers, i);
    auto [it, inserted] = requestOf.try_emplace(group, requests.size());
    if (inserted)
      requests.push_back(
          {buffers[group].bytes, buffers[i].firstStep, buffers[i].lastStep});
    BufferRequest &r = requests[it->second];
    r.size = std::max(r.size, buffers[i].bytes);
    r.firstStep = std::min(r.firstStep, buffers[i].firstStep);
    r.lastStep = std::max(r.lastStep, buffers[i].lastStep);
  }
  ArenaSolverOptions options;
  options.alignment = alignment;
  FunctionPlan plan;
  plan.arena = planArena(requests, options);
  for (int i = 0, e = buffers.size(); i < e; ++i)
    plan.offsetOf.push_back(
        plan.arena.offsets[requestOf.lookup(groupOf(buffers, i))]);
  return plan;
}

LogicalResult writeReport(StringRef path, func::FuncOp func,
                          const BufferLiveness &liveness,
                          const FunctionPlan &plan) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return func.emitError()
           << "ft-plan-arena: cannot write " << path << ": " << ec.message();
  llvm::json::OStream json(os, /*IndentSize=*/1);
  const int64_t arena = plan.arena.arenaSize, load = plan.arena.load;
  json.object([&] {
    json.attribute("function", func.getSymName());
    json.attribute("arena_bytes", arena);
    json.attribute("load_bytes", load);
    json.attribute("arena_over_load",
                   load > 0 ? static_cast<double>(arena) / load : 1.0);
    json.attribute("method", plan.arena.method);
    json.attribute("optimal", plan.arena.optimal);
    json.attribute("steps", liveness.numSteps());
    json.attributeArray("buffers", [&] {
      for (const auto &entry : llvm::enumerate(liveness.buffers()))
        json.object([&, i = entry.index()] {
          const LiveBuffer &b = entry.value();
          json.attribute("name", b.name);
          json.attribute("kind", b.kind == LiveBuffer::Kind::Input ? "input"
                                 : b.kind == LiveBuffer::Kind::Output
                                     ? "output"
                                     : "buffer");
          std::string loc;
          llvm::raw_string_ostream locStream(loc);
          b.root.getLoc().print(locStream);
          json.attribute("location", loc);
          json.attribute("bytes", b.bytes);
          json.attribute("offset", plan.offsetOf[i]);
          json.attribute("first_step", b.firstStep);
          json.attribute("last_step", b.lastStep);
          if (b.sharesSlotWith >= 0)
            json.attribute("in_place_of",
                           liveness.buffers()[b.sharesSlotWith].name);
        });
    });
    json.attributeArray("live_bytes_per_step", [&] {
      for (int64_t bytes : liveness.liveBytesPerStep())
        json.value(bytes);
    });
  });
  os << "\n";
  return success();
}

struct FTPlanArenaPass : ft::impl::FTPlanArenaBase<FTPlanArenaPass> {
  using Base::Base;

  // Slots of dynamically sized tiles are sized by the upper bounds that the
  // value-bounds analysis derives through these dialects' ops.
  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    affine::registerValueBoundsOpInterfaceExternalModels(registry);
    arith::registerValueBoundsOpInterfaceExternalModels(registry);
    memref::registerValueBoundsOpInterfaceExternalModels(registry);
    scf::registerValueBoundsOpInterfaceExternalModels(registry);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> functions;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal())
        functions.push_back(func);
    SymbolTable symbols(module);
    for (func::FuncOp func : functions)
      if (failed(planFunction(func, symbols)))
        return signalPassFailure();
  }

  LogicalResult planFunction(func::FuncOp func, SymbolTable &symbols) {
    if (alignment < 1)
      return func.emitError("ft-plan-arena: alignment must be positive");
    BufferLiveness::Options liveOptions;
    liveOptions.includeArguments = ioInArena;
    liveOptions.inPlaceElementwise = inPlace;
    BufferLiveness liveness(func, liveOptions);
    if (!liveness.isValid())
      return failure();
    FunctionPlan plan = solve(liveness.buffers(), alignment);
    // The report names the allocations, so it is written before they go.
    if (!memoryReport.empty() &&
        failed(writeReport(memoryReport, func, liveness, plan)))
      return failure();
    // An empty arena still gets one aligned slot so every view is valid.
    const int64_t arenaBytes = std::max<int64_t>(plan.arena.arenaSize, 1);

    MLIRContext *ctx = func.getContext();
    OpBuilder b(ctx);
    auto arenaType = MemRefType::get({arenaBytes}, b.getI8Type());
    Block &entry = func.getBody().front();
    Location loc = func.getLoc();

    // The arena: a zero-initialised global (.bss), or the caller's memory.
    FlatSymbolRefAttr globalName;
    Value arena;
    if (arenaArgument) {
      if (failed(func.insertArgument(
              func.getNumArguments(), arenaType,
              b.getDictionaryAttr(b.getNamedAttr("ft.arena", b.getUnitAttr())),
              loc)))
        return func.emitError("ft-plan-arena: cannot add the arena argument");
      arena = entry.getArguments().back();
    } else {
      b.setInsertionPoint(func);
      auto global = memref::GlobalOp::create(
          b, loc, (func.getSymName() + "_arena").str(),
          b.getStringAttr("private"), arenaType,
          DenseElementsAttr::get(
              RankedTensorType::get({arenaBytes}, b.getI8Type()),
              ArrayRef<int8_t>{0}),
          /*constant=*/false, b.getI64IntegerAttr(alignment));
      symbols.insert(global);
      globalName = FlatSymbolRefAttr::get(global.getSymNameAttr());
      b.setInsertionPointToStart(&entry);
      arena = memref::GetGlobalOp::create(b, loc, arenaType, globalName);
    }

    auto viewAt = [&](OpBuilder &builder, Location at, Value base,
                      MemRefType type, int64_t offset,
                      ValueRange dynamicSizes = {}) -> Value {
      Value shift = arith::ConstantIndexOp::create(builder, at, offset);
      return memref::ViewOp::create(builder, at, type, base, shift,
                                    dynamicSizes);
    };

    // Allocations become views at their own position.
    SmallVector<int> ioBuffers;
    for (auto [i, buffer] : llvm::enumerate(liveness.buffers())) {
      if (buffer.kind != LiveBuffer::Kind::Allocation) {
        ioBuffers.push_back(i);
        continue;
      }
      Operation *alloc = buffer.root.getDefiningOp();
      for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      b.setInsertionPoint(alloc);
      // A dynamically sized buffer keeps its sizes inside its worst-case
      // slot (BufferLiveness sized the slot by their upper bounds).
      Value view = viewAt(b, alloc->getLoc(), arena,
                          cast<MemRefType>(buffer.root.getType()),
                          plan.offsetOf[i], alloc->getOperands());
      alloc->getResult(0).replaceAllUsesWith(view);
      alloc->erase();
    }

    // Inputs and outputs: views at the entry, arguments removed, and an
    // accessor per argument for the caller.
    if (ioInArena && !ioBuffers.empty()) {
      llvm::BitVector erase(func.getNumArguments());
      b.setInsertionPointAfterValue(arena);
      int inputs = 0, outputs = 0;
      for (int i : ioBuffers) {
        const LiveBuffer &buffer = liveness.buffers()[i];
        auto arg = cast<BlockArgument>(buffer.root);
        auto type = cast<MemRefType>(arg.getType());
        arg.replaceAllUsesWith(viewAt(b, loc, arena, type, plan.offsetOf[i]));
        erase.set(arg.getArgNumber());

        const bool isInput = buffer.kind == LiveBuffer::Kind::Input;
        std::string name =
            (func.getSymName() + (isInput ? "_input_" : "_output_") +
             std::to_string(isInput ? inputs++ : outputs++))
                .str();
        OpBuilder moduleBuilder(func);
        SmallVector<Type> accessorArgs;
        if (arenaArgument)
          accessorArgs.push_back(arenaType);
        // The accessor returns the address as an index: upstream's
        // bare-pointer lowering would return a memref result's allocated
        // pointer, which for a view of a global is not its address.
        auto accessor = func::FuncOp::create(
            moduleBuilder, loc, name,
            FunctionType::get(ctx, accessorArgs, {b.getIndexType()}));
        if (DictionaryAttr argAttrs = func.getArgAttrDict(arg.getArgNumber()))
          for (NamedAttribute attr : argAttrs)
            if (attr.getName().strref().starts_with("ft."))
              accessor->setAttr(attr.getName(), attr.getValue());
        accessor->setAttr("ft.arena_offset",
                          b.getI64IntegerAttr(plan.offsetOf[i]));
        Block *accessorBody = accessor.addEntryBlock();
        OpBuilder ab = OpBuilder::atBlockBegin(accessorBody);
        Value base = arenaArgument ? accessorBody->getArgument(0)
                                   : Value(memref::GetGlobalOp::create(
                                         ab, loc, arenaType, globalName));
        Value view = viewAt(ab, loc, base, type, plan.offsetOf[i]);
        func::ReturnOp::create(
            ab, loc,
            ValueRange{
                memref::ExtractAlignedPointerAsIndexOp::create(ab, loc, view)});
        symbols.insert(accessor);
      }
      if (failed(func.eraseArguments(erase)))
        return func.emitError("ft-plan-arena: cannot remove the arguments");
    }

    func->setAttr("ft.arena_size", b.getI64IntegerAttr(plan.arena.arenaSize));
    func->setAttr("ft.arena_load", b.getI64IntegerAttr(plan.arena.load));
    func->setAttr("ft.arena_method", b.getStringAttr(plan.arena.method));
    return success();
  }
};

} // namespace
