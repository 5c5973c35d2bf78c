//===- AutoTile.cpp - The ft-auto-tile pass -------------------------------===//
//
// The outer loop of automatic fused tiling (see the pass description): the
// reference applies the first candidate that improves; here the model
// ranks every candidate and the real planner picks among the best few,
// then the loop repeats on the tiled function until nothing gains.
//
//===----------------------------------------------------------------------===//

#include "PathDiscovery.h"

#include "FusedTiling/Dialect/FT/IR/FTDialect.h"
#include "FusedTiling/Dialect/FT/IR/Layers.h"
#include "FusedTiling/Dialect/FT/IR/SplitRulesInterface.h"
#include "FusedTiling/Planning/ArenaPlanning.h"
#include "FusedTiling/Tiling/Passes.h"

#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace ft {
#define GEN_PASS_DEF_FTAUTOTILE
#include "FusedTiling/Tiling/Passes.h.inc"
} // namespace ft

using namespace mlir;
using namespace ft;

namespace {

using ScratchMap = llvm::DenseMap<Operation *, int64_t>;

/// A layer's name for a path spec: the TFLite tensor name (its part before
/// ';', which names it too), or "@k".
std::string nameForSpec(Operation *op, Block &block) {
  SmallVector<LayerAttr> layers = getLayers(op);
  if (!layers.empty())
    return layers.front().getName().strref().split(';').first.str();
  SmallPtrSet<Operation *, 32> found;
  unsigned position = 0;
  for (Operation &other : block) {
    if (other.hasTrait<OpTrait::IsTerminator>() ||
        !readsActivations(&other, block, found))
      continue;
    found.insert(&other);
    if (&other == op)
      return "@" + std::to_string(position);
    ++position;
  }
  return "@?";
}

/// A layer's name for a remark: as in the spec, quoted.
std::string nameForRemark(Operation *op, Block &block) {
  return "'" + nameForSpec(op, block) + "'";
}

struct FTAutoTilePass : ft::impl::FTAutoTileBase<FTAutoTilePass> {
  using FTAutoTileBase::FTAutoTileBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    FTAutoTileBase::getDependentDialects(registry);
    registerSplitRulesExternalModels(registry);
    // The measuring pipeline runs inside this pass: its dialects must be
    // loaded before.
    OpPassManager pm(ModuleOp::getOperationName());
    if (succeeded(parsePassPipeline(measurePipeline, pm)))
      pm.getDependentDialects(registry);
  }

  LogicalResult initialize(MLIRContext *context) override {
    OpPassManager pm(ModuleOp::getOperationName());
    std::string error;
    llvm::raw_string_ostream os(error);
    if (failed(parsePassPipeline(measurePipeline, pm, os)))
      return emitError(UnknownLoc::get(context),
                       "ft-auto-tile: cannot parse measure-pipeline: ")
             << error;
    if (macBudget < 0)
      return emitError(UnknownLoc::get(context),
                       "ft-auto-tile: mac-budget must not be negative");
    if (maxTiles < 2)
      return emitError(UnknownLoc::get(context),
                       "ft-auto-tile: max-tiles must be at least 2");
    return success();
  }

  /// The planner's arena of every function of `module`, summed, on a copy
  /// lowered by the measuring pipeline.
  FailureOr<int64_t> measure(ModuleOp module) {
    OwningOpRef<ModuleOp> copy(module.clone());
    PassManager pm(&getContext());
    if (failed(parsePassPipeline(measurePipeline, pm)))
      return failure();
    ScopedDiagnosticHandler quiet(&getContext(),
                                  [](Diagnostic &) { return success(); });
    if (failed(pm.run(*copy)))
      return failure();
    ArenaPlanningOptions planning;
    planning.alignment = alignment;
    planning.ioInArena = ioInArena;
    auto figures = queryModuleArenas(*copy, planning);
    if (failed(figures))
      return failure();
    int64_t total = 0;
    for (const auto &[name, arena] : *figures)
      total += arena.arenaBytes;
    return total;
  }

  /// Orders `func`'s ops for the model's least peak; whether it moved any.
  bool reorderForLeastPeak(func::FuncOp func, const ScratchMap &scratch) {
    MemoryModelOptions model;
    model.scalarAccumulation = scalarAccumulation;
    model.ioInArena = ioInArena;
    std::optional<BlockSchedule> schedule =
        scheduleBlockForLeastPeak(func.getBody().front(), model, &scratch);
    return schedule && schedule->peakAfter < schedule->peakBefore;
  }

  /// A copy of `module`, and the scratch of its tile blocks.
  OwningOpRef<ModuleOp> copyModule(ModuleOp module, const ScratchMap &scratch,
                                   ScratchMap &copyScratch) {
    IRMapping mapping;
    OwningOpRef<ModuleOp> copy(cast<ModuleOp>(module->clone(mapping)));
    for (auto [op, bytes] : scratch)
      if (op->getNumResults() > 0)
        if (Value mapped = mapping.lookupOrNull(op->getResult(0)))
          copyScratch[mapped.getDefiningOp()] = bytes;
    return copy;
  }

  void runOnOperation() override {
    if (method == AutoTilingMethod::None)
      return;
    ModuleOp module = getOperation();
    SmallVector<std::string> names;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal() && func.getBody().hasOneBlock())
        names.push_back(func.getSymName().str());
    if (names.empty())
      return;
    FailureOr<int64_t> untiledArena = measure(module);
    if (failed(untiledArena)) {
      // Lowering will say why; tiling has nothing to measure.
      return;
    }
    int64_t currentArena = *untiledArena;
    ScratchMap scratch;
    MLIRContext *context = &getContext();

    for (const std::string &name : names) {
      auto lookup = [&]() { return module.lookupSymbol<func::FuncOp>(name); };
      const int64_t untiledMacs = countUntiledMacs(lookup().getBody().front());
      int64_t currentMacs = untiledMacs;
      const int64_t macLimit =
          untiledMacs +
          static_cast<int64_t>(std::floor(untiledMacs * macBudget / 100.0));
      SmallVector<Attribute> appliedSpecs;
      unsigned estimatedHere = 0, verifiedHere = 0;

      // The order of least peak, if the planner agrees.
      if (schedule) {
        ScratchMap copyScratch;
        OwningOpRef<ModuleOp> copy = copyModule(module, scratch, copyScratch);
        if (reorderForLeastPeak(copy->lookupSymbol<func::FuncOp>(name),
                                copyScratch)) {
          FailureOr<int64_t> arena = measure(*copy);
          if (succeeded(arena) && *arena <= currentArena) {
            currentArena = *arena;
            module.getBodyRegion().takeBody(copy->getBodyRegion());
            scratch = std::move(copyScratch);
          }
        }
      }

      for (unsigned round = 0; round < maxPaths; ++round) {
        DiscoveryOptions discovery;
        discovery.ffmt = method != AutoTilingMethod::FDT;
        discovery.fdt = method != AutoTilingMethod::FFMT;
        discovery.macLimit = macLimit;
        discovery.macs = currentMacs;
        discovery.maxTiles = maxTiles;
        discovery.maxLayers = maxLayers;
        discovery.model.scalarAccumulation = scalarAccumulation;
        discovery.model.ioInArena = ioInArena;
        discovery.scratch = &scratch;
        Block &body = lookup().getBody().front();
        const int64_t modelPeak = estimatePeak(body, discovery);
        unsigned estimated = 0;
        SmallVector<Candidate> candidates =
            discoverCandidates(body, discovery, estimated);
        numCandidates += estimated;
        estimatedHere += estimated;

        struct Best {
          Candidate candidate;
          OwningOpRef<ModuleOp> module;
          ScratchMap scratch;
          int64_t arena;
          Location loc;
          std::string spec, firstName, lastName;
        };
        std::optional<Best> best;
        unsigned verified = 0;
        for (const Candidate &candidate : candidates) {
          if (verified >= verifyCount)
            break;
          ScratchMap copyScratch;
          OwningOpRef<ModuleOp> copy = copyModule(module, scratch, copyScratch);
          auto func = copy->lookupSymbol<func::FuncOp>(name);
          Block &copyBody = func.getBody().front();
          auto position = [&](unsigned index) {
            return &*std::next(copyBody.begin(), index);
          };
          Operation *first = position(candidate.firstIndex);
          Operation *last = position(candidate.lastIndex);
          const Location loc = first->getLoc();
          const std::string spec =
              describeTiling(candidate.tiling)
                  .insert(candidate.tiling.method == TilingMethod::FFMT ? 4 : 3,
                          " first=" + nameForSpec(first, copyBody) +
                              " last=" + nameForSpec(last, copyBody));
          const std::string firstName = nameForRemark(first, copyBody),
                            lastName = nameForRemark(last, copyBody);
          std::string why;
          bool tiled = false;
          {
            ScopedDiagnosticHandler capture(context, [&](Diagnostic &diag) {
              if (why.empty())
                why = diag.str();
              return success();
            });
            IRRewriter rewriter(context);
            FailureOr<TileBlockOp> block =
                tilePath(rewriter, first, last, candidate.tiling);
            if (succeeded(block)) {
              tiled = true;
              copyScratch[block->getOperation()] = candidate.estimatedScratch;
              // As ft-tile-path: the index arithmetic of the tiles folded.
              RewritePatternSet patterns(context);
              populateAllCanonicalizationPatterns(patterns);
              (void)applyPatternsGreedily(func, std::move(patterns));
              DominanceInfo dominance;
              eliminateCommonSubExpressions(rewriter, dominance, func);
            }
          }
          if (!tiled) {
            if (reportRejected)
              mlir::emitRemark(loc) << "ft-auto-tile: rejected " << spec
                                    << ": cannot tile: " << why;
            continue;
          }
          // Canonicalization may have replaced ops: keep what survives.
          {
            ScratchMap surviving;
            func.walk([&](TileBlockOp block) {
              if (auto it = copyScratch.find(block); it != copyScratch.end())
                surviving[block] = it->second;
            });
            copyScratch = std::move(surviving);
          }
          if (schedule)
            reorderForLeastPeak(func, copyScratch);
          ++verified;
          ++verifiedHere;
          ++numVerified;
          FailureOr<int64_t> arena = measure(*copy);
          if (failed(arena)) {
            if (reportRejected)
              mlir::emitRemark(loc) << "ft-auto-tile: rejected " << spec
                                    << ": the tiled function does not lower";
            continue;
          }
          // Better: a smaller arena; among equal ones, fewer MACs, then
          // smaller tiles (the path's own peak is then lower, which leaves
          // room for the next path to lower the arena further).
          const int64_t bar = best ? best->arena : currentArena;
          auto rank = [](int64_t arena, const Candidate &c) {
            return std::make_tuple(arena, c.estimatedMacs, c.estimatedScratch);
          };
          const bool better = best ? rank(*arena, candidate) <
                                         rank(best->arena, best->candidate)
                                   : *arena < currentArena;
          if (!better) {
            if (reportRejected)
              mlir::emitRemark(loc)
                  << "ft-auto-tile: rejected " << spec << ": planned arena "
                  << *arena << " bytes (estimate " << candidate.estimatedPeak
                  << "), not below " << bar;
            continue;
          }
          if (best && reportRejected)
            mlir::emitRemark(best->loc)
                << "ft-auto-tile: rejected " << best->spec << ": planned arena "
                << best->arena << " bytes, beaten by " << spec << " (" << *arena
                << ")";
          best = Best{candidate,
                      std::move(copy),
                      std::move(copyScratch),
                      *arena,
                      loc,
                      spec,
                      firstName,
                      lastName};
        }
        if (!best)
          break;
        mlir::emitRemark(best->loc)
            << "ft-auto-tile: tiled " << best->candidate.numOps
            << " ops from layer " << best->firstName << " to " << best->lastName
            << ": "
            << (best->candidate.tiling.method == TilingMethod::FFMT ? "ffmt"
                                                                    : "fdt")
            << ", " << describeAxes(best->candidate.tiling) << "; arena "
            << currentArena << " -> " << best->arena << " bytes (model "
            << modelPeak << " -> " << best->candidate.estimatedPeak
            << "), MACs " << currentMacs << " -> "
            << best->candidate.estimatedMacs << " ("
            << formatPercent(best->candidate.estimatedMacs, untiledMacs)
            << " of untiled); --tile-path='" << best->spec << "'";
        currentArena = best->arena;
        currentMacs = best->candidate.estimatedMacs;
        appliedSpecs.push_back(StringAttr::get(context, best->spec));
        module.getBodyRegion().takeBody(best->module->getBodyRegion());
        scratch = std::move(best->scratch);
        ++numApplied;
      }

      // With report-rejected, the pass statistics too (also where LLVM was
      // built without statistics).
      if (reportRejected)
        mlir::emitRemark(lookup().getLoc())
            << "ft-auto-tile: @" << name << ": " << estimatedHere
            << " candidates estimated, " << verifiedHere
            << " tiled and planned, " << appliedSpecs.size()
            << " applied; arena " << *untiledArena << " -> " << currentArena
            << " bytes, MACs " << untiledMacs << " -> " << currentMacs;
      Builder builder(context);
      lookup()->setAttr(
          kAutoTilingAttrName,
          builder.getDictionaryAttr({
              builder.getNamedAttr("untiled_arena",
                                   builder.getI64IntegerAttr(*untiledArena)),
              builder.getNamedAttr("arena",
                                   builder.getI64IntegerAttr(currentArena)),
              builder.getNamedAttr("untiled_macs",
                                   builder.getI64IntegerAttr(untiledMacs)),
              builder.getNamedAttr("macs",
                                   builder.getI64IntegerAttr(currentMacs)),
              builder.getNamedAttr("paths", builder.getArrayAttr(appliedSpecs)),
          }));
    }
  }

  static std::string describeAxes(const TilingOptions &tiling) {
    if (tiling.method == TilingMethod::FDT)
      return "channels, " + std::to_string(tiling.tiles.front()) + " tiles";
    std::string text;
    for (auto [axis, tiles] : llvm::zip(tiling.axes, tiling.tiles)) {
      if (!text.empty())
        text += " x ";
      text +=
          std::to_string(tiles) + (axis == 1 ? " row" : " column") + " tiles";
    }
    // Every tile recomputes its halo (windows=share is not chosen
    // automatically).
    return text + ", windows recompute";
  }

  static std::string formatPercent(int64_t value, int64_t base) {
    if (base == 0)
      return "+0.00%";
    char text[32];
    std::snprintf(text, sizeof(text), "%+.2f%%", 100.0 * (value - base) / base);
    return text;
  }
};

} // namespace
