//===- MaterializeArena.cpp - Allocations and I/O as views of the arena ---===//

#include "FusedTiling/Dialect/FT/IR/FTDialect.h"
#include "FusedTiling/Planning/ArenaPlanning.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/BitVector.h"

using namespace mlir;
using namespace ft;

namespace {
Value viewAt(OpBuilder &builder, Location at, Value base, MemRefType type,
             int64_t offset, ValueRange dynamicSizes = {}) {
  Value shift = arith::ConstantIndexOp::create(builder, at, offset);
  return memref::ViewOp::create(builder, at, type, base, shift, dynamicSizes);
}
} // namespace

FailureOr<ArenaStorage> ft::materializeArena(func::FuncOp func,
                                             const BufferLiveness &liveness,
                                             const FunctionArenaPlan &plan,
                                             const ArenaPlanningOptions &options,
                                             SymbolTable &symbols) {
  // An empty arena still gets one aligned slot so every view is valid.
  const int64_t arenaBytes = std::max<int64_t>(plan.arena.arenaSize, 1);
  OpBuilder b(func.getContext());
  ArenaStorage arena;
  arena.type = MemRefType::get({arenaBytes}, b.getI8Type());
  Block &entry = func.getBody().front();
  Location loc = func.getLoc();

  // The arena: a zero-initialised global (.bss), or the caller's memory.
  if (options.arenaArgument) {
    if (failed(func.insertArgument(
            func.getNumArguments(), arena.type,
            b.getDictionaryAttr(b.getNamedAttr("ft.arena", b.getUnitAttr())),
            loc)))
      return func.emitError("ft-plan-arena: cannot add the arena argument");
    arena.base = entry.getArguments().back();
  } else {
    b.setInsertionPoint(func);
    auto global = memref::GlobalOp::create(
        b, loc, (func.getSymName() + "_arena").str(),
        b.getStringAttr("private"), arena.type,
        DenseElementsAttr::get(
            RankedTensorType::get({arenaBytes}, b.getI8Type()),
            ArrayRef<int8_t>{0}),
        /*constant=*/false, b.getI64IntegerAttr(options.alignment));
    symbols.insert(global);
    arena.globalName = FlatSymbolRefAttr::get(global.getSymNameAttr());
    b.setInsertionPointToStart(&entry);
    arena.base =
        memref::GetGlobalOp::create(b, loc, arena.type, arena.globalName);
  }

  // Allocations become views at their own position.
  for (auto [i, buffer] : llvm::enumerate(liveness.buffers())) {
    if (buffer.kind != LiveBuffer::Kind::Allocation)
      continue;
    Operation *alloc = buffer.root.getDefiningOp();
    for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
      if (isa<memref::DeallocOp>(user))
        user->erase();
    b.setInsertionPoint(alloc);
    // A dynamically sized buffer keeps its sizes inside its worst-case
    // slot (BufferLiveness sized the slot by their upper bounds).
    Value view = viewAt(b, alloc->getLoc(), arena.base,
                        cast<MemRefType>(buffer.root.getType()),
                        plan.offsetOf[i], alloc->getOperands());
    alloc->getResult(0).replaceAllUsesWith(view);
    alloc->erase();
  }
  return arena;
}

LogicalResult ft::materializeIOAccessors(func::FuncOp func,
                                         const BufferLiveness &liveness,
                                         const FunctionArenaPlan &plan,
                                         const ArenaStorage &arena,
                                         const ArenaPlanningOptions &options,
                                         SymbolTable &symbols) {
  if (!options.ioInArena)
    return success();
  MLIRContext *ctx = func.getContext();
  OpBuilder b(ctx);
  Location loc = func.getLoc();
  llvm::BitVector erase(func.getNumArguments());
  b.setInsertionPointAfterValue(arena.base);
  int inputs = 0, outputs = 0;
  for (auto [i, buffer] : llvm::enumerate(liveness.buffers())) {
    if (buffer.kind == LiveBuffer::Kind::Allocation)
      continue;
    auto arg = cast<BlockArgument>(buffer.root);
    auto type = cast<MemRefType>(arg.getType());
    arg.replaceAllUsesWith(viewAt(b, loc, arena.base, type, plan.offsetOf[i]));
    erase.set(arg.getArgNumber());

    const bool isInput = buffer.kind == LiveBuffer::Kind::Input;
    std::string name = (func.getSymName() + (isInput ? "_input_" : "_output_") +
                        std::to_string(isInput ? inputs++ : outputs++))
                           .str();
    OpBuilder moduleBuilder(func);
    SmallVector<Type> accessorArgs;
    if (options.arenaArgument)
      accessorArgs.push_back(arena.type);
    // The accessor returns the address as an index: upstream's bare-pointer
    // lowering would return a memref result's allocated pointer, which for
    // a view of a global is not its address.
    auto accessor = func::FuncOp::create(
        moduleBuilder, loc, name,
        FunctionType::get(ctx, accessorArgs, {b.getIndexType()}));
    if (DictionaryAttr argAttrs = func.getArgAttrDict(arg.getArgNumber()))
      for (NamedAttribute attr : argAttrs)
        if (attr.getName().strref().starts_with("ft."))
          accessor->setAttr(attr.getName(), attr.getValue());
    ctx->getOrLoadDialect<FTDialect>()->getArenaOffsetAttrHelper().setAttr(
        accessor, b.getI64IntegerAttr(plan.offsetOf[i]));
    Block *accessorBody = accessor.addEntryBlock();
    OpBuilder ab = OpBuilder::atBlockBegin(accessorBody);
    Value base = options.arenaArgument
                     ? accessorBody->getArgument(0)
                     : Value(memref::GetGlobalOp::create(ab, loc, arena.type,
                                                         arena.globalName));
    Value view = viewAt(ab, loc, base, type, plan.offsetOf[i]);
    func::ReturnOp::create(
        ab, loc,
        ValueRange{
            memref::ExtractAlignedPointerAsIndexOp::create(ab, loc, view)});
    symbols.insert(accessor);
  }
  if (erase.none())
    return success();
  if (failed(func.eraseArguments(erase)))
    return func.emitError("ft-plan-arena: cannot remove the arguments");
  return success();
}
