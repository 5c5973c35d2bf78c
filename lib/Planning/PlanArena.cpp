//===- PlanArena.cpp - Place every buffer in one static arena -------------===//
//
// The pass strings the stages of ArenaPlanning.h together; each is tested
// on its own (ft-test-buffer-liveness, the solver's unit tests, queryArena).
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Dialect/FT/IR/FTDialect.h"
#include "FusedTiling/Planning/ArenaPlanning.h"
#include "FusedTiling/Planning/Passes.h"

#include "mlir/Dialect/Affine/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace ft {
#define GEN_PASS_DEF_FTPLANARENA
#define GEN_PASS_DEF_FTTESTBUFFERLIVENESS
#include "FusedTiling/Planning/Passes.h.inc"
} // namespace ft

using namespace mlir;
using namespace ft;

namespace {

struct FTPlanArenaPass : ft::impl::FTPlanArenaBase<FTPlanArenaPass> {
  using Base::Base;

  // Slots of dynamically sized tiles are sized by the upper bounds that the
  // value-bounds analysis derives through these dialects' ops.
  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    registry.insert<FTDialect>();
    affine::registerValueBoundsOpInterfaceExternalModels(registry);
    arith::registerValueBoundsOpInterfaceExternalModels(registry);
    memref::registerValueBoundsOpInterfaceExternalModels(registry);
    scf::registerValueBoundsOpInterfaceExternalModels(registry);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (alignment < 1) {
      module.emitError("ft-plan-arena: alignment must be positive");
      return signalPassFailure();
    }
    ArenaPlanningOptions options;
    options.alignment = alignment;
    options.ioInArena = ioInArena;
    options.arenaArgument = arenaArgument;
    options.inPlace = inPlace;
    SmallVector<func::FuncOp> functions;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal())
        functions.push_back(func);
    SymbolTable symbols(module);
    // The report: one object per function (an array when there are
    // several), each written before its allocations go.
    std::string report;
    llvm::raw_string_ostream reportStream(report);
    llvm::json::OStream json(reportStream, /*IndentSize=*/1);
    if (functions.size() > 1)
      json.arrayBegin();
    for (func::FuncOp func : functions)
      if (failed(planFunction(func, options, symbols, json)))
        return signalPassFailure();
    if (functions.size() > 1)
      json.arrayEnd();
    if (!memoryReport.empty() && failed(writeReport(module, report)))
      return signalPassFailure();
  }

  LogicalResult planFunction(func::FuncOp func,
                             const ArenaPlanningOptions &options,
                             SymbolTable &symbols, llvm::json::OStream &json) {
    BufferLiveness liveness(func, getLivenessOptions(options));
    if (!liveness.isValid())
      return failure();
    FunctionArenaPlan plan = solveArena(liveness.buffers(), options.alignment);
    if (!memoryReport.empty())
      writeArenaReport(json, func, liveness, plan);
    FailureOr<ArenaStorage> arena =
        materializeArena(func, liveness, plan, options, symbols);
    if (failed(arena) ||
        failed(materializeIOAccessors(func, liveness, plan, *arena, options,
                                      symbols)))
      return failure();
    auto *dialect = func.getContext()->getOrLoadDialect<FTDialect>();
    Builder b(func.getContext());
    dialect->getArenaSizeAttrHelper().setAttr(
        func, b.getI64IntegerAttr(plan.arena.arenaSize));
    dialect->getArenaLoadAttrHelper().setAttr(
        func, b.getI64IntegerAttr(plan.arena.load));
    dialect->getArenaMethodAttrHelper().setAttr(
        func, b.getStringAttr(plan.arena.method));
    return success();
  }

  LogicalResult writeReport(ModuleOp module, StringRef report) {
    std::error_code ec;
    llvm::raw_fd_ostream os(memoryReport, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return module.emitError() << "ft-plan-arena: cannot write "
                                << memoryReport << ": " << ec.message();
    os << report << "\n";
    return success();
  }
};

struct FTTestBufferLivenessPass
    : ft::impl::FTTestBufferLivenessBase<FTTestBufferLivenessPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    BufferLiveness::Options options;
    options.includeArguments = ioInArena;
    options.inPlaceElementwise = inPlace;
    BufferLiveness liveness(func, options);
    if (!liveness.isValid())
      return signalPassFailure();
    for (const LiveBuffer &buffer : liveness.buffers()) {
      Operation *at = buffer.root.getDefiningOp();
      InFlightDiagnostic remark = (at ? at : func.getOperation())->emitRemark();
      remark << (buffer.kind == LiveBuffer::Kind::Input    ? "input"
                 : buffer.kind == LiveBuffer::Kind::Output ? "output"
                                                           : "buffer")
             << " '" << buffer.name << "': " << buffer.bytes << " bytes, steps "
             << buffer.firstStep << "-" << buffer.lastStep;
      if (buffer.sharesSlotWith >= 0)
        remark << ", in place of '"
               << liveness.buffers()[buffer.sharesSlotWith].name << "'";
    }
  }
};

} // namespace
