//===- AutoTile.cpp - The ft-auto-tile pass -------------------------------===//
//
// The outer loop of automatic fused tiling (see the pass description): the
// reference applies the first candidate that improves; here the model
// ranks every candidate and the real planner picks among the best few,
// then the loop repeats on the tiled function until nothing gains.
//
//===----------------------------------------------------------------------===//

#include "CandidateCost.h"
#include "PathDiscovery.h"

#include "FusedTiling/Dialect/FT/IR/FTDialect.h"
#include "FusedTiling/Dialect/FT/IR/Layers.h"
#include "FusedTiling/Dialect/FT/IR/SplitRulesInterface.h"
#include "FusedTiling/Pipelines/TensorsToBuffers.h"
#include "FusedTiling/Planning/ArenaPlanning.h"
#include "FusedTiling/Support/StorageSize.h"
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
/// ';', which names it too), "#k" (its TFLite operator index) where a spec
/// cannot carry the name, or "@k".
std::string nameForSpec(Operation *op, Block &block) {
  SmallVector<LayerAttr> layers = getLayers(op);
  if (!layers.empty()) {
    StringRef name = layers.front().getName().strref().split(';').first;
    if (isSpecName(name))
      return name.str();
    if (std::optional<int64_t> index = layers.front().getIndex())
      return "#" + std::to_string(*index);
  }
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

/// Bytes per pixel of `value` (its innermost axis times its element size),
/// or 0 when that axis is dynamic.
int64_t channelBytes(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() == 0 || type.isDynamicDim(type.getRank() - 1))
    return 0;
  return type.getDimSize(type.getRank() - 1) *
         elementStorageBytes(type.getElementType());
}

/// Channel-tiling paths worth trying inside the body of an FFMT tile block
/// (FFMT -> FDT): the layers before a layer that sums over its input
/// channels (a 1x1 or dense projection), where the tile's tensors between
/// them take more bytes per pixel than the projection's partial-sum
/// accumulator, which FDT keeps whole (MobileNetV2's expansions, not a
/// DS-CNN's equal widths). As (first, last) ops of the body, in order.
SmallVector<std::pair<Operation *, Operation *>>
channelTilingPathsIn(TileBlockOp block, unsigned maxLayers) {
  SmallVector<std::pair<Operation *, Operation *>> paths;
  // Each layer's first and last op, in order (ops of no layer are not
  // named in a spec).
  SmallVector<Operation *> firstOps, lastOps;
  SmallVector<LayerAttr> layerOrder;
  for (Operation &op : block.getBodyBlock()) {
    if (!isa<linalg::LinalgOp>(op) || op.getNumResults() != 1)
      continue;
    if (auto rules = dyn_cast<SplitRulesOpInterface>(op);
        rules && rules.isPrivateProducer())
      continue;
    SmallVector<LayerAttr> layers = getLayers(&op);
    if (layers.empty())
      continue;
    if (layerOrder.empty() || layerOrder.back() != layers.front()) {
      layerOrder.push_back(layers.front());
      firstOps.push_back(&op);
      lastOps.push_back(&op);
    }
    lastOps.back() = &op;
  }
  for (unsigned last = 1; last < lastOps.size(); ++last) {
    // The accumulator: the projection's first op sums over the channels
    // (its result is the int32 or float sum).
    auto projection = dyn_cast<linalg::LinalgOp>(firstOps[last]);
    if (!projection || projection.getNumReductionLoops() == 0)
      continue;
    const int64_t accumulatorBytes = channelBytes(projection->getResult(0));
    int64_t widest = 0;
    for (unsigned first = last; first-- > 0 && last - first <= maxLayers;) {
      widest = std::max(widest, channelBytes(lastOps[first]->getResult(0)));
      if (accumulatorBytes == 0 || widest <= accumulatorBytes)
        continue;
      paths.push_back({firstOps[first], lastOps[last]});
    }
  }
  return paths;
}

struct FTAutoTilePass : ft::impl::FTAutoTileBase<FTAutoTilePass> {
  using FTAutoTileBase::FTAutoTileBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    FTAutoTileBase::getDependentDialects(registry);
    registerSplitRulesExternalModels(registry);
    // The measuring pipeline runs inside this pass: its dialects must be
    // loaded before.
    OpPassManager pm(ModuleOp::getOperationName());
    if (succeeded(buildMeasurePipeline(pm)))
      pm.getDependentDialects(registry);
  }

  /// The lowering's steps from tiled tensors to buffers, under this pass's
  /// options: what each candidate is planned after.
  LogicalResult buildMeasurePipeline(OpPassManager &pm) const {
    TensorsToBuffersOptions options;
    options.scalarAccumulation = scalarAccumulation;
    options.fuseElementwise = fuseElementwise;
    options.tileRequantization = tileRequantization;
    return buildTensorsToBuffersPipeline(pm, options);
  }

  LogicalResult initialize(MLIRContext *context) override {
    if (macBudget < 0)
      return emitError(UnknownLoc::get(context),
                       "ft-auto-tile: mac-budget must not be negative");
    if (!(overheadBudget >= 0))
      return emitError(UnknownLoc::get(context),
                       "ft-auto-tile: overhead-budget must not be negative");
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
    if (failed(buildMeasurePipeline(pm)))
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
    return copyModule(module, scratch, copyScratch, mapping);
  }
  OwningOpRef<ModuleOp> copyModule(ModuleOp module, const ScratchMap &scratch,
                                   ScratchMap &copyScratch,
                                   IRMapping &mapping) {
    OwningOpRef<ModuleOp> copy(cast<ModuleOp>(module->clone(mapping)));
    for (auto [op, bytes] : scratch)
      if (op->getNumResults() > 0)
        if (Value mapped = mapping.lookupOrNull(op->getResult(0)))
          copyScratch[mapped.getDefiningOp()] = bytes;
    return copy;
  }

  /// A module with the paths applied so far, as the greedy rounds see it.
  struct GreedyState {
    OwningOpRef<ModuleOp> module;
    ScratchMap scratch;
    int64_t arena = 0, macs = 0;
    /// Instructions the applied paths' tiles add besides MACs (the model's).
    int64_t overhead = 0;
    /// Whether a path applied has a skewed schedule of several tiles per
    /// output tile.
    bool stepped = false;
    SmallVector<std::string> specs;
    /// One remark per applied path, emitted for the state chosen.
    SmallVector<std::pair<Location, std::string>> remarks;
  };

  struct RoundContext {
    StringRef name;
    int64_t untiledMacs, macLimit, overheadLimit;
    unsigned &estimatedHere, &verifiedHere;
  };

  /// A module, its tile blocks' scratch and its planned arena.
  struct Measured {
    OwningOpRef<ModuleOp> module;
    ScratchMap scratch;
    int64_t arena = 0;
    std::string spec, remark;
  };

  /// FFMT -> FDT: channel tiles over later layers inside the tiles of
  /// `outer` (an FFMT block of `module`, whose arena is `arena`), tried on
  /// copies and kept where the planner says they lower the arena most.
  std::optional<Measured> nestChannelTiles(ModuleOp module,
                                           const ScratchMap &scratch,
                                           TileBlockOp outer, int64_t arena) {
    MLIRContext *context = &getContext();
    std::optional<Measured> best;
    for (auto [first, last] : channelTilingPathsIn(outer, /*maxLayers=*/3)) {
      for (int64_t tiles : {2, 4, 8}) {
        Measured tried;
        IRMapping mapping;
        tried.module = copyModule(module, scratch, tried.scratch, mapping);
        Operation *copyFirst = mapping.lookup(first);
        Operation *copyLast = mapping.lookup(last);
        Block &body = *copyFirst->getBlock();
        PathTiling tiling;
        tiling.method = TilingMethod::FDT;
        tiling.tiles = {tiles};
        tiling.first = nameForSpec(copyFirst, body);
        tiling.last = nameForSpec(copyLast, body);
        tried.spec = printPathTiling(tiling);
        tried.remark = "inside its tiles, fdt from layer " +
                       nameForRemark(copyFirst, body) + " to " +
                       nameForRemark(copyLast, body) + ", " +
                       std::to_string(tiles) + " channel tiles";
        auto func = copyFirst->getParentOfType<func::FuncOp>();
        {
          ScopedDiagnosticHandler quiet(context,
                                        [](Diagnostic &) { return success(); });
          IRRewriter rewriter(context);
          if (failed(tilePath(rewriter, copyFirst, copyLast, tiling)))
            break; // Neither would more tiles of this path.
          RewritePatternSet patterns(context);
          populateAllCanonicalizationPatterns(patterns);
          (void)applyPatternsGreedily(func, std::move(patterns));
          DominanceInfo dominance;
          eliminateCommonSubExpressions(rewriter, dominance, func);
        }
        ++numVerified;
        FailureOr<int64_t> planned = measure(*tried.module);
        if (failed(planned) || *planned >= (best ? best->arena : arena))
          continue;
        tried.arena = *planned;
        best = std::move(tried);
      }
    }
    return best;
  }

  /// One round on `state`: discover, estimate, tile and plan the best
  /// candidates on copies; the states of the `keep` best paths that lower
  /// the arena (smaller arena; among equal ones fewer MACs, then smaller tiles,
  /// whose own peak leaves room for the next path), best first.
  SmallVector<GreedyState> runRound(GreedyState &state, RoundContext &ctx,
                                    unsigned keep) {
    MLIRContext *context = &getContext();
    StringRef name = ctx.name;
    DiscoveryOptions discovery;
    discovery.ffmt = method != AutoTilingMethod::FDT;
    discovery.fdt = method != AutoTilingMethod::FFMT;
    discovery.macLimit = ctx.macLimit;
    discovery.macs = state.macs;
    discovery.overheadLimit = ctx.overheadLimit;
    discovery.overhead = state.overhead;
    discovery.maxTiles = maxTiles;
    discovery.maxLayers = maxLayers;
    discovery.model.scalarAccumulation = scalarAccumulation;
    discovery.model.ioInArena = ioInArena;
    discovery.scratch = &state.scratch;
    Block &body =
        state.module->lookupSymbol<func::FuncOp>(name).getBody().front();
    const int64_t modelPeak = estimatePeak(body, discovery);
    unsigned estimated = 0;
    SmallVector<Candidate> candidates =
        discoverCandidates(body, discovery, estimated);
    numCandidates += estimated;
    ctx.estimatedHere += estimated;

    struct Verified {
      Candidate candidate;
      int64_t arena;
      GreedyState next;
      /// The path's spec, and the one tiled inside its tiles if any.
      std::string specs;
    };
    std::vector<Verified> winners;
    auto rank = [&](int64_t arena, const Candidate &c) {
      return std::make_tuple(rankedArena(arena, isStepped(c)), c.estimatedMacs,
                             c.estimatedOverhead, c.estimatedScratch);
    };
    // Skewed line-buffer schedules (priming tiles, steps per tile) compete
    // for their own `verify` slots after the others: their estimate leaves
    // out the rows their line buffers keep ahead of the readers, and is
    // often below what the planner finds, which must not crowd out the
    // candidates it estimates well.
    std::stable_partition(candidates.begin(), candidates.end(),
                          [&](const Candidate &c) { return !isSkewed(c); });
    unsigned verified = 0, verifiedSkewed = 0;
    for (const Candidate &candidate : candidates) {
      unsigned &count = isSkewed(candidate) ? verifiedSkewed : verified;
      if (count >= verifyCount)
        continue;
      ScratchMap copyScratch;
      OwningOpRef<ModuleOp> copy =
          copyModule(*state.module, state.scratch, copyScratch);
      auto func = copy->lookupSymbol<func::FuncOp>(name);
      Block &copyBody = func.getBody().front();
      auto position = [&](unsigned index) {
        return &*std::next(copyBody.begin(), index);
      };
      Operation *first = position(candidate.firstIndex);
      Operation *last = position(candidate.lastIndex);
      const Location loc = first->getLoc();
      PathTiling named;
      static_cast<TilingOptions &>(named) = candidate.tiling;
      named.first = nameForSpec(first, copyBody);
      named.last = nameForSpec(last, copyBody);
      const std::string spec = printPathTiling(named);
      const std::string firstName = nameForRemark(first, copyBody),
                        lastName = nameForRemark(last, copyBody);
      std::string why;
      bool tiled = false;
      Operation *newBlock = nullptr;
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
          newBlock = block->getOperation();
          copyScratch[newBlock] = candidate.estimatedScratch;
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
          mlir::emitRemark(loc)
              << "ft-auto-tile: rejected " << spec << ": cannot tile: " << why;
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
      ++count;
      ++ctx.verifiedHere;
      ++numVerified;
      FailureOr<int64_t> arena = measure(*copy);
      if (failed(arena)) {
        if (reportRejected)
          mlir::emitRemark(loc) << "ft-auto-tile: rejected " << spec
                                << ": the tiled function does not lower";
        continue;
      }
      // The planner bounds the model: where the model's peak of the tiled
      // function reaches the planned arena, the new tile block's scratch may
      // be overestimated (a line buffer's first tile, say); it is lowered
      // until the block stays below the arena, or the next round would see
      // the peak in the block (nothing left to tile there) rather than where
      // the arena comes from. If the block is the peak after all, the next
      // round's candidates do not lower the planned arena: no harm.
      if (auto it = copyScratch.find(newBlock); it != copyScratch.end()) {
        DiscoveryOptions model = discovery;
        model.scratch = &copyScratch;
        const int64_t peak = estimatePeak(func.getBody().front(), model);
        if (peak >= *arena)
          it->second = std::max<int64_t>(0, it->second - (peak - *arena) - 1);
      }
      // FFMT -> FDT: channel tiles inside the new block's tiles (not
      // through line buffers, which keep every channel of their rows).
      std::string nestedSpec, nestedRemark;
      if (auto outer = dyn_cast_or_null<TileBlockOp>(newBlock);
          discovery.fdt && outer && copyScratch.contains(newBlock) &&
          outer.getMethod() == TilingMethod::FFMT &&
          outer.getNumCaches() == 0) {
        if (std::optional<Measured> nested =
                nestChannelTiles(*copy, copyScratch, outer, *arena)) {
          copy = std::move(nested->module);
          copyScratch = std::move(nested->scratch);
          *arena = nested->arena;
          nestedSpec = nested->spec;
          nestedRemark = nested->remark;
        }
      }
      if (*arena >= state.arena) {
        if (reportRejected)
          mlir::emitRemark(loc)
              << "ft-auto-tile: rejected " << spec << ": planned arena "
              << *arena << " bytes (estimate " << candidate.estimatedPeak
              << "), not below " << state.arena;
        continue;
      }
      GreedyState next;
      next.module = std::move(copy);
      next.scratch = std::move(copyScratch);
      next.arena = *arena;
      next.macs = candidate.estimatedMacs;
      next.overhead = state.overhead + candidate.estimatedOverhead;
      next.stepped = state.stepped || isStepped(candidate);
      next.specs = state.specs;
      next.specs.push_back(spec);
      if (!nestedSpec.empty())
        next.specs.push_back(nestedSpec);
      next.remarks = state.remarks;
      std::string text;
      llvm::raw_string_ostream os(text);
      os << "ft-auto-tile: tiled " << candidate.numOps << " ops from layer "
         << firstName << " to " << lastName << ": "
         << (candidate.tiling.method == TilingMethod::FFMT ? "ffmt" : "fdt")
         << ", " << describeAxes(candidate.tiling)
         << (nestedRemark.empty() ? "" : "; " + nestedRemark) << "; arena "
         << state.arena << " -> " << *arena << " bytes (model " << modelPeak
         << " -> " << candidate.estimatedPeak << "), MACs " << state.macs
         << " -> " << candidate.estimatedMacs << " ("
         << formatPercent(candidate.estimatedMacs, ctx.untiledMacs)
         << " of untiled)";
      const int64_t untiledInstructions = kInstructionsPerMac * ctx.untiledMacs;
      if (candidate.estimatedOverhead > 0)
        os << ", tile overhead ~" << candidate.estimatedOverhead
           << " instructions ("
           << formatPercent(untiledInstructions + candidate.estimatedOverhead,
                            untiledInstructions)
           << ")";
      os << "; --tile-path='" << spec << "'";
      if (!nestedSpec.empty())
        os << " --tile-path='" << nestedSpec << "'";
      next.remarks.push_back({loc, text});
      winners.push_back({candidate, *arena, std::move(next),
                         nestedSpec.empty()
                             ? spec
                             : spec + " with " + nestedSpec + " inside"});
    }
    llvm::stable_sort(winners, [&](const Verified &a, const Verified &b) {
      return rank(a.arena, a.candidate) < rank(b.arena, b.candidate);
    });
    if (reportRejected && !winners.empty())
      for (const Verified &loser : llvm::drop_begin(winners))
        mlir::emitRemark(loser.next.remarks.back().first)
            << "ft-auto-tile: rejected " << loser.specs << ": planned arena "
            << loser.arena << " bytes, beaten by " << winners.front().specs
            << " (" << winners.front().arena << ")";
    // Alternatives are other paths, not the same path with other tiles
    // (their next rounds would mostly repeat each other's); the best with a
    // skewed schedule besides (so that it does not push out the paths whose
    // later rounds may end below it: mw's two plain paths).
    SmallVector<GreedyState> best;
    llvm::SmallDenseSet<std::pair<unsigned, unsigned>> paths[2];
    unsigned kept[2] = {0, 0};
    for (Verified &winner : winners) {
      const bool skewed = isSkewed(winner.candidate);
      if (kept[skewed] >= (skewed ? 1u : keep) ||
          !paths[skewed]
               .insert(
                   {winner.candidate.firstIndex, winner.candidate.lastIndex})
               .second)
        continue;
      ++kept[skewed];
      best.push_back(std::move(winner.next));
    }
    // The best first (a round after the first continues from it alone).
    if (keep == 1 && best.size() > 1)
      best.resize(1);
    return best;
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
      const int64_t overheadLimit = static_cast<int64_t>(std::floor(
          kInstructionsPerMac * untiledMacs * overheadBudget / 100.0));
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

      // The greedy rounds, from each of the best `restarts` first paths:
      // a first path that lowers the arena less may let later ones lower it
      // more (mw: a path through the whole model against two shorter ones).
      GreedyState initial;
      initial.module = copyModule(module, scratch, initial.scratch);
      initial.arena = currentArena;
      initial.macs = currentMacs;
      RoundContext roundContext{name,          untiledMacs,   macLimit,
                                overheadLimit, estimatedHere, verifiedHere};
      SmallVector<GreedyState> firsts = runRound(
          initial, roundContext, std::max<unsigned>(1, restarts.getValue()));
      std::optional<GreedyState> chosen;
      for (GreedyState &state : firsts) {
        for (unsigned round = 1; round < maxPaths; ++round) {
          SmallVector<GreedyState> next = runRound(state, roundContext, 1);
          if (next.empty())
            break;
          state = std::move(next.front());
        }
        if (!chosen ||
            std::make_pair(rankedArena(state.arena, state.stepped),
                           state.macs) <
                std::make_pair(rankedArena(chosen->arena, chosen->stepped),
                               chosen->macs))
          chosen = std::move(state);
      }
      if (chosen) {
        for (const auto &[loc, text] : chosen->remarks)
          mlir::emitRemark(loc) << text;
        currentArena = chosen->arena;
        currentMacs = chosen->macs;
        for (const std::string &spec : chosen->specs)
          appliedSpecs.push_back(StringAttr::get(context, spec));
        numApplied += chosen->specs.size();
        module.getBodyRegion().takeBody(chosen->module->getBodyRegion());
        scratch = std::move(chosen->scratch);
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

  static bool isSkewed(const Candidate &c) { return c.tiling.isSkewed(); }

  static bool isStepped(const Candidate &c) { return c.tiling.steps > 1; }

  /// Several tiles per output tile cost run time beyond what the overhead
  /// model sees (each layer's rows computed a few at a time; rv32: cif
  /// +5 % at 4 steps, mw +28 % at 8, kws +1.5 % at 2; priming tiles alone
  /// cost little): such a schedule must save at least 1/16 of the arena
  /// over the others to win.
  static int64_t rankedArena(int64_t arena, bool stepped) {
    return stepped ? arena + arena / 16 : arena;
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
    text += ", windows " + stringifyWindowMode(tiling.windows).str();
    if (tiling.isSkewed())
      text += " skewed (" + std::to_string(tiling.prime) + " priming tiles, " +
              std::to_string(tiling.steps) + " tiles per output tile)";
    return text;
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
