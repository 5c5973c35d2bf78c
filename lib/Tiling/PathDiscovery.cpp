//===- PathDiscovery.cpp - Candidate paths and their estimates ------------===//
//
// The reference evaluates every candidate by rewriting, re-fusing and
// re-planning the whole model, over a fixed menu of tile counts. Here each
// candidate path is estimated in closed form for every tile count: the
// tensors inside the path shrink to a tile (FFMT: by the rows and columns
// each op's indexing maps need, halos included; FDT: by the channel
// slice), the path becomes one step of the function whose extra bytes are
// the tile's working set, and FFMT's MACs follow from the same ranges.
// Only the best few candidates then meet the real planner (AutoTile.cpp).
//
//===----------------------------------------------------------------------===//

#include "PathDiscovery.h"
#include "CandidateCost.h"

#include "FusedTiling/Dialect/FT/IR/FTOps.h"
#include "FusedTiling/Dialect/FT/IR/Layers.h"
#include "FusedTiling/Dialect/FT/IR/SplitRulesInterface.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseSet.h"

#include <cmath>
#include <map>

using namespace mlir;
using namespace ft;

namespace {

std::optional<int64_t> loopProduct(linalg::LinalgOp op) {
  int64_t product = 1;
  for (int64_t range : op.getStaticLoopRanges()) {
    if (ShapedType::isDynamic(range))
      return std::nullopt;
    product *= range;
  }
  return product;
}

/// Tile blocks and merges: what earlier tiling made, never tiled again.
bool isTilingResult(Operation *op) { return isa<TileBlockOp, MergeOp>(op); }

int64_t dimOf(Value value, int64_t axis) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || axis >= type.getRank())
    return ShapedType::kDynamic;
  return type.getDimSize(axis);
}

/// What one axis of an FFMT split does to the path's ops for one tile
/// count: the largest share of each op's result a tile computes, the sum
/// of those shares over the tiles (for MACs), and the share all tiles
/// together cover (what windows=cache computes, each row once). With
/// windows=cache, `cachedOps` are the ops whose results get line buffers,
/// `keptRows` the rows those keep (and the pads, crops and reshapes
/// between them and the windows). A skewed line-buffer schedule
/// (TilingOptions::prime and steps) needs, per op, the most rows a tile
/// after the first computes, the most it advances from one tile to the
/// next, and the rows of the first tile.
struct AxisShares {
  llvm::DenseMap<Operation *, double> maxShare, sumShare, coverShare;
  struct Steady {
    int64_t rows = 0, rate = 0, firstRows = 0, extent = 1;
  };
  llvm::DenseMap<Operation *, Steady> steady;
  llvm::DenseSet<Operation *> cachedOps;
  llvm::DenseMap<Operation *, int64_t> keptRows;

  /// The share of `op`'s result its line buffer keeps (0: none).
  double keptShare(Operation *op) const {
    auto found = steady.find(op);
    if (!cachedOps.contains(op) || found == steady.end())
      return 0;
    const int64_t extent = found->second.extent;
    return std::min<double>(keptRows.lookup(op), extent) / extent;
  }
};

/// What the estimate asks of a linalg op, computed once per op (indexing
/// maps and loop ranges are derived from attributes on every call).
struct OpFacts {
  SmallVector<AffineMap> maps;
  SmallVector<int64_t> loopRanges;
  /// MACs, for convolutions and matmuls that multiply.
  std::optional<int64_t> macs;
};

class FactsCache {
public:
  const OpFacts &get(linalg::LinalgOp op) {
    auto [it, inserted] = facts.try_emplace(op.getOperation());
    if (inserted) {
      it->second.maps = op.getIndexingMapsArray();
      it->second.loopRanges = op.getStaticLoopRanges();
      if (isMacOp(op))
        it->second.macs = loopProduct(op);
    }
    return it->second;
  }

private:
  llvm::DenseMap<Operation *, OpFacts> facts;
};

/// A path as the estimate sees it.
struct PathInfo {
  FactsCache *facts = nullptr;
  PathOps ops;
  llvm::SmallPtrSet<Operation *, 16> members;
  /// Node numbers in the block graph, as a set and in order.
  llvm::DenseSet<unsigned> nodes;
  SmallVector<unsigned> sortedNodes;
  unsigned lastNode = 0;
  /// FFMT into partial sums (PathOps::PartialSumEnd): the reduction, the
  /// value whose axis the tiles split and its reader (where the tiles'
  /// ranges start).
  Operation *reduction = nullptr;
  Value reducedInput;
  Operation *seedOwner = nullptr;
};

/// Propagates the tiles of `seed` (balanced ranges over its `axis`) up
/// through the path's ops, from the last to the first, with each op's
/// indexing maps (halos follow from kernels, strides and dilations) and
/// tensor.pad's low padding. Fails on an op whose split it cannot follow.
/// With `rowsOut`, also the rows each value's producer computes per tile.
std::optional<AxisShares> propagateAxis(const PathInfo &path, Value seed,
                                        Operation *seedOwner, int64_t axis,
                                        int64_t tiles,
                                        TileRows *rowsOut = nullptr) {
  using Ranges = SmallVector<std::pair<int64_t, int64_t>>;
  llvm::DenseMap<Value, Ranges> ranges;
  const int64_t extent = dimOf(seed, axis);
  if (ShapedType::isDynamic(extent) || tiles > extent)
    return std::nullopt;
  {
    SmallVector<int64_t> bounds = balancedTileRanges(extent, tiles);
    Ranges &seedRanges = ranges[seed];
    for (int64_t t = 0; t < tiles; ++t)
      seedRanges.push_back({bounds[2 * t], bounds[2 * t + 1]});
  }
  auto require = [&](Value value, unsigned tile, int64_t lo, int64_t hi) {
    const int64_t dim = dimOf(value, axis);
    lo = std::max<int64_t>(0, lo);
    hi = std::min(dim, hi);
    if (hi < lo)
      hi = lo;
    Ranges &r = ranges[value];
    if (r.empty())
      r.assign(tiles, {0, 0});
    auto &slot = r[tile];
    if (slot.first == slot.second)
      slot = {lo, hi};
    else
      slot = {std::min(slot.first, lo), std::max(slot.second, hi)};
  };
  auto producedInPath = [&](Value value) {
    Operation *def = value.getDefiningOp();
    return def && path.members.contains(def) &&
           !ShapedType::isDynamic(dimOf(value, axis));
  };
  // Line buffers: per value, each reader's window overlap (the rows its
  // window for its next output row shares with its window for this one:
  // kernel extent minus stride) and the end of what it reads in each tile.
  llvm::DenseMap<Value, SmallVector<std::pair<int64_t, SmallVector<int64_t>>>>
      readers;
  bool passedSeed = seedOwner == nullptr;
  for (Operation *op : llvm::reverse(path.ops.ops)) {
    if (op == seedOwner) {
      passedSeed = true;
      continue;
    }
    if (!passedSeed || op->getNumResults() != 1)
      continue;
    auto found = ranges.find(op->getResult(0));
    if (found == ranges.end())
      continue;
    const Ranges outRanges = found->second;
    auto rules = dyn_cast<SplitRulesOpInterface>(op);
    if (!rules)
      return std::nullopt;
    // (Only for the operands the path computes.)
    SmallVector<SmallVector<int64_t>> ends(op->getNumOperands());
    for (unsigned t = 0; t < tiles; ++t) {
      if (outRanges[t].second <= outRanges[t].first)
        continue;
      FailureOr<SmallVector<OperandSplit>> splits =
          rules.getOperandSplits(axis, outRanges[t].first, outRanges[t].second);
      if (failed(splits))
        return std::nullopt;
      for (auto [i, operand, split] :
           llvm::enumerate(op->getOperands(), *splits)) {
        if (split.kind == OperandSplit::Kind::None || !producedInPath(operand))
          continue;
        // A value of the path that every tile reads whole.
        if (split.kind == OperandSplit::Kind::Whole)
          return std::nullopt;
        require(operand, t, split.lo, split.hi);
        if (ends[i].empty())
          ends[i].assign(tiles, INT64_MIN);
        ends[i][t] = std::min(dimOf(operand, axis), split.hi);
      }
    }
    for (auto [operand, overlap, operandEnds] :
         llvm::zip(op->getOperands(), rules.getWindowOverlaps(axis), ends)) {
      auto producer = operand.getDefiningOp<SplitRulesOpInterface>();
      if (!operandEnds.empty() && !(producer && producer.isPrivateProducer()))
        readers[operand].push_back({overlap, std::move(operandEnds)});
    }
  }
  AxisShares shares;
  for (auto &[value, r] : ranges) {
    Operation *def = value.getDefiningOp();
    if (!def)
      continue;
    const double dim = dimOf(value, axis);
    double maxShare = 0, sumShare = 0;
    int64_t first = INT64_MAX, last = 0;
    AxisShares::Steady steady;
    steady.firstRows = r.front().second;
    steady.extent = dimOf(value, axis);
    for (auto [t, range] : llvm::enumerate(r)) {
      auto [lo, hi] = range;
      maxShare = std::max(maxShare, (hi - lo) / dim);
      sumShare += (hi - lo) / dim;
      if (t > 0) {
        steady.rows = std::max(steady.rows, hi - lo);
        steady.rate = std::max(steady.rate, hi - r[t - 1].second);
      }
      if (hi > lo) {
        first = std::min(first, lo);
        last = std::max(last, hi);
      }
    }
    shares.maxShare[def] = maxShare;
    shares.sumShare[def] = sumShare;
    shares.steady[def] = steady;
    if (rowsOut)
      (*rowsOut)[def] = r;
    shares.coverShare[def] = last > first ? (last - first) / dim : 0.0;
  }
  // What each value's line buffer keeps (as cacheWindows builds it): in
  // each tile, the rows from where the readers' windows start (each
  // reader's window for its new rows starts its overlap before where its
  // previous tile's ended) to where the earlier tiles' computation ended.
  // A pad's rows (a crop's, a reshape's) are its source's: the source is
  // cached; nothing is, where the source comes from outside the path (the
  // tiles read its rows where it is).
  for (auto &[value, valueReaders] : readers) {
    int64_t kept = 0;
    for (unsigned t = 1; t < tiles; ++t) {
      int64_t computedEnd = INT64_MIN, low = INT64_MAX;
      for (const auto &[overlap, ends] : valueReaders)
        if (ends[t - 1] != INT64_MIN && ends[t] != INT64_MIN) {
          computedEnd = std::max(computedEnd, ends[t - 1]);
          low = std::min(low, std::max<int64_t>(0, ends[t - 1] - overlap));
        }
      if (computedEnd > low)
        kept = std::max(kept, computedEnd - low);
    }
    SmallVector<Operation *> keeping;
    Value cached = value;
    bool inPath = kept > 0;
    while (inPath) {
      keeping.push_back(cached.getDefiningOp());
      auto def = cached.getDefiningOp<SplitRulesOpInterface>();
      if (!def || !def.movesRowsOfSource())
        break;
      cached = def->getOperand(0);
      inPath = producedInPath(cached);
    }
    if (!inPath)
      continue;
    for (Operation *op : keeping)
      shares.keptRows[op] = std::max(shares.keptRows.lookup(op), kept);
    shares.cachedOps.insert(keeping.back());
  }
  return shares;
}

/// A skewed line-buffer schedule with `steps` tiles per output tile: per
/// op, the share of its result a tile holds, steady (the rows its line
/// buffer keeps and a `steps`-th of the rows it advances per output tile:
/// the other rows of the window are computed in earlier tiles); and the
/// priming tiles that spread every line buffer's first rows at its op's
/// rate (0: the schedule has nothing to spread).
struct SkewedShares {
  llvm::DenseMap<Operation *, double> share;
  int64_t priming = 0;
};

SkewedShares skewShares(const AxisShares &shares, int64_t steps) {
  SkewedShares skewed;
  for (const auto &[op, steady] : shares.steady) {
    // Rows per tile, a fraction: the transform spreads a layer's rows
    // evenly over the tiles (see skewRows).
    const double perTile = double(steady.rate) / steps;
    skewed.share[op] =
        std::min<double>(steady.rows, shares.keptRows.lookup(op) + perTile) /
        steady.extent;
    if (!shares.cachedOps.contains(op) || steady.rate <= 0)
      continue;
    // The first output tile is the last of `steps`.
    skewed.priming = std::max<int64_t>(
        skewed.priming,
        llvm::divideCeilSigned(steady.firstRows * steps, steady.rate) - steps);
  }
  return skewed;
}

/// The function with the path as one step: a tile block (and, for FDT, a
/// merge). Returns the bytes of every step of the block's current order
/// and which step is the tile block.
struct CollapsedSteps {
  SmallVector<int64_t> steps;
  unsigned tileStep = 0;
  int64_t othersMax = 0;
};

CollapsedSteps collapse(const BlockGraph &block, const PathInfo &path,
                        int64_t tileOutBytes,
                        std::optional<int64_t> mergeOutBytes) {
  const ScheduleGraph &old = block.graph;
  ScheduleGraph graph;
  SmallVector<unsigned> newNode(old.size(), 0);
  unsigned tileNode = 0, outNode = 0;
  unsigned lastPathNode = 0;
  bool mergeInPlace = false;
  for (unsigned node : path.nodes)
    lastPathNode = std::max(lastPathNode, node);
  for (unsigned node = 0; node < old.size(); ++node) {
    if (!path.nodes.contains(node)) {
      newNode[node] = old.isInput[node] ? graph.addInput(old.outputBytes[node])
                                        : graph.addNode(old.outputBytes[node],
                                                        old.liveToEnd[node],
                                                        old.scratchBytes[node]);
      continue;
    }
    if (node != lastPathNode)
      continue;
    const bool toEnd = old.liveToEnd[path.lastNode];
    tileNode = graph.addNode(tileOutBytes, toEnd && !mergeOutBytes);
    outNode = tileNode;
    if (mergeOutBytes) {
      outNode = graph.addNode(*mergeOutBytes, toEnd);
      graph.addEdge(tileNode, outNode);
    }
    // A merge in place over the accumulator (0 bytes of its own) keeps it
    // alive for the merge's readers.
    mergeInPlace = mergeOutBytes && *mergeOutBytes == 0;
  }
  for (unsigned node = 0; node < old.size(); ++node)
    for (unsigned consumer : old.consumers[node]) {
      const bool fromPath = path.nodes.contains(node),
                 toPath = path.nodes.contains(consumer);
      if (fromPath && toPath)
        continue;
      if (fromPath) {
        graph.addEdge(outNode, newNode[consumer]);
        if (mergeInPlace)
          graph.addEdge(tileNode, newNode[consumer]);
      } else if (toPath)
        graph.addEdge(newNode[node], tileNode);
      else
        graph.addEdge(newNode[node], newNode[consumer]);
    }
  CollapsedSteps result;
  result.steps =
      stepBytes(graph, llvm::to_vector(llvm::seq<unsigned>(0, graph.size())));
  result.tileStep = tileNode;
  for (auto [index, bytes] : llvm::enumerate(result.steps))
    if (index != tileNode)
      result.othersMax = std::max(result.othersMax, bytes);
  return result;
}

/// The working set of one tile: the path's ops in order, each tensor
/// `share` of its bytes, alive until its last reader in the path.
int64_t tileWorkingSet(const BlockGraph &block, const PathInfo &path,
                       const MemoryModelOptions &model,
                       llvm::function_ref<double(Operation *)> share,
                       llvm::function_ref<bool(Operation *)> insideTile) {
  ScheduleGraph graph;
  llvm::DenseMap<unsigned, unsigned> local;
  SmallVector<unsigned> order;
  for (unsigned node : path.sortedNodes) {
    Operation *op = block.ops[node];
    int64_t bytes = 0;
    if (insideTile(op))
      bytes = static_cast<int64_t>(
          std::ceil(allocatedBytes(op, model) * share(op)));
    local[node] = graph.addNode(bytes);
    order.push_back(local[node]);
  }
  for (unsigned node : path.sortedNodes)
    for (unsigned consumer : block.graph.consumers[node])
      if (path.nodes.contains(consumer))
        graph.addEdge(local[node], local[consumer]);
  return peakBytes(graph, order);
}

/// Best FFMT tiling of `path` over `axes`.
SmallVector<Candidate> estimateFFMT(const BlockGraph &block,
                                    const PathInfo &path,
                                    ArrayRef<int64_t> axes,
                                    const DiscoveryOptions &options) {
  Operation *last = path.ops.last;
  if (last->getNumResults() != 1)
    return {};
  // Matmuls read their whole input for every output: no spatial tile.
  for (Operation *op : path.ops.ops)
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
        linalgOp && op != path.reduction &&
        linalg::isaContractionOpInterface(linalgOp) &&
        linalgOp.getNumReductionLoops() > 0)
      return {};
  Value seed = last->getResult(0);
  Operation *seedOwner = nullptr;
  if (path.reduction) {
    // Row tiles continue a float pooling's sum in the untiled order; column
    // strips would not (see estimateFDT).
    if (axes.size() != 1 ||
        (axes.front() != 1 && isa<FloatType>(getElementTypeOrSelf(
                                  path.reduction->getResult(0).getType()))))
      return {};
    seed = path.reducedInput;
    seedOwner = path.seedOwner;
  }
  const int64_t tileOut = staticTensorBytes(
      (path.reduction ? path.reduction : last)->getResult(0).getType());
  CollapsedSteps steps = collapse(block, path, tileOut, std::nullopt);
  // Ops after a global reduction run once, after the tiles.
  llvm::SmallPtrSet<Operation *, 4> afterTiles;
  if (path.reduction) {
    bool after = false;
    for (Operation *op : path.ops.ops) {
      if (after)
        afterTiles.insert(op);
      after |= op == path.reduction;
    }
  }
  // The shares of each axis for each tile count.
  SmallVector<SmallVector<std::pair<int64_t, AxisShares>>> perAxis;
  for (int64_t axis : axes) {
    const int64_t extent = dimOf(seed, axis);
    if (ShapedType::isDynamic(extent) || extent < 2)
      return {};
    perAxis.emplace_back();
    const int64_t most = std::min(
        extent, axes.size() > 1 ? std::min<int64_t>(options.maxTiles, 16)
                                : options.maxTiles);
    for (int64_t tiles = 2; tiles <= most; ++tiles)
      if (auto shares = propagateAxis(path, seed, seedOwner, axis, tiles))
        perAxis.back().push_back({tiles, std::move(*shares)});
    if (perAxis.back().empty())
      return {};
  }
  // The layers a tile computes (for its run time).
  const int64_t numLayers = countLayers(path.ops, [&](Operation *op) {
    return op != path.reduction && !afterTiles.contains(op);
  });
  // Halos recomputed (or shared) and line buffers (windows=cache) compete
  // apart: the planner sees the best of each.
  BestCounts best, bestCached;
  // Skewed schedules, per steps per tile.
  std::map<int64_t, BestCounts> bestSkewed;
  auto consider = [&](ArrayRef<const std::pair<int64_t, AxisShares> *> choice) {
    // `skewed`: the walking axis's shares under a skewed schedule.
    auto share = [&](Operation *op, bool sum,
                     const SkewedShares *skewed = nullptr) {
      double product = 1;
      for (const auto *axis : choice) {
        const auto &map = sum ? axis->second.sumShare
                          : skewed && axis == choice.back()
                              ? skewed->share
                              : axis->second.maxShare;
        auto found = map.find(op);
        // Not split: every tile computes all of it.
        product *= found != map.end() ? found->second
                                      : (sum ? double(axis->first) : 1.0);
      }
      return product;
    };
    auto insideTile = [&](Operation *op) {
      return op != last && op != path.reduction && !afterTiles.contains(op);
    };
    const int64_t scratch = tileWorkingSet(
        block, path, options.model,
        [&](Operation *op) { return share(op, /*sum=*/false); }, insideTile);
    // Line buffers: the rows kept along the walking (last) axis, within the
    // other axes' share of a tile; alive for the whole block. A tile's
    // windows are those of a shared window.
    int64_t cacheBytes = 0;
    for (Operation *op : path.ops.ops) {
      if (!insideTile(op))
        continue;
      double fraction = choice.back()->second.keptShare(op);
      if (fraction <= 0)
        continue;
      for (const auto *axis : choice.drop_back()) {
        auto found = axis->second.maxShare.find(op);
        fraction *= found != axis->second.maxShare.end() ? found->second : 1.0;
      }
      cacheBytes += static_cast<int64_t>(
          std::ceil(allocatedBytes(op, options.model) * fraction));
    }
    // The path's MACs when each op's are scaled by `factor` (ops after a
    // global reduction, and the reduction, whose tiles split its input
    // rows without overlap, unchanged).
    auto macsWith = [&](llvm::function_ref<double(Operation *)> factor) {
      int64_t macs = options.macs;
      for (Operation *op : path.ops.ops) {
        auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
        if (!linalgOp || afterTiles.contains(op) || op == path.reduction)
          continue;
        std::optional<int64_t> full = path.facts->get(linalgOp).macs;
        if (full)
          macs +=
              static_cast<int64_t>(std::llround(*full * factor(op))) - *full;
      }
      return macs;
    };
    auto makeCandidate = [&](WindowMode windows, int64_t tileScratch,
                             int64_t macs) {
      Candidate candidate;
      candidate.tiling.method = TilingMethod::FFMT;
      candidate.tiling.axes.assign(axes.begin(), axes.end());
      for (const auto *axis : choice)
        candidate.tiling.tiles.push_back(axis->first);
      candidate.tiling.windows = windows;
      candidate.estimatedScratch = tileScratch;
      candidate.estimatedPeak =
          std::max(steps.othersMax, steps.steps[steps.tileStep] + tileScratch);
      candidate.estimatedMacs = macs;
      candidate.numOps = path.ops.ops.size();
      return candidate;
    };
    // The tiles' run time besides MACs.
    TileOverhead overhead;
    for (const auto *axis : choice.drop_back())
      overhead.bands *= axis->first;
    overhead.walkingTiles = choice.back()->first;
    overhead.walksColumns = axes.back() == 2;
    overhead.layers = numLayers;
    auto overheadOf = [&](int64_t keptBytes, int64_t steps, int64_t prime) {
      overhead.keptBytes = keptBytes;
      return overhead.estimate(steps, prime);
    };
    auto withinOverheadLimit = [&](const Candidate &candidate) {
      return options.overhead + candidate.estimatedOverhead <=
             options.overheadLimit;
    };
    if (cacheBytes > 0) {
      // Every row once along the walking axis; a grid's bands still
      // recompute their halos across the other axes.
      const int64_t cachedMacs = macsWith([&](Operation *op) {
        const AxisShares &walking = choice.back()->second;
        auto covered = walking.coverShare.find(op);
        double product =
            covered != walking.coverShare.end() ? covered->second : 1.0;
        for (const auto *axis : choice.drop_back()) {
          auto found = axis->second.sumShare.find(op);
          product *= found != axis->second.sumShare.end() ? found->second
                                                          : double(axis->first);
        }
        return product;
      });
      if (cachedMacs <= options.macLimit) {
        Candidate cached =
            makeCandidate(WindowMode::Cache, scratch + cacheBytes, cachedMacs);
        cached.estimatedOverhead =
            overheadOf(cacheBytes, /*steps=*/1, /*prime=*/0);
        if (withinOverheadLimit(cached))
          bestCached.consider(cached);
        // Skewed schedules: priming tiles spread the first tile's rows,
        // steps per tile the rows a layer before a stride-2 stage advances.
        // (Only their run time depends on each op's rows, rate and MACs.)
        int64_t mostRate = 0;
        for (const auto &[op, steady] : choice.back()->second.steady) {
          mostRate = std::max(mostRate, steady.rate);
          TileOverhead::Op &cost = overhead.ops.emplace_back();
          cost.rowBytes = double(allocatedBytes(op, options.model)) /
                          std::max<int64_t>(1, steady.extent);
          for (const auto *axis : choice.drop_back()) {
            auto found = axis->second.maxShare.find(op);
            cost.rowBytes *=
                found != axis->second.maxShare.end() ? found->second : 1.0;
          }
          cost.rate = steady.rate;
          if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
            cost.macs = path.facts->get(linalgOp).macs.value_or(0);
        }
        for (int64_t steps = 1; steps <= std::min<int64_t>(mostRate, 8);
             steps *= 2) {
          SkewedShares skewed = skewShares(choice.back()->second, steps);
          if (skewed.priming <= 0 && steps == 1)
            continue;
          const int64_t skewedScratch = tileWorkingSet(
              block, path, options.model,
              [&](Operation *op) { return share(op, /*sum=*/false, &skewed); },
              insideTile);
          Candidate primed = makeCandidate(
              WindowMode::Cache, skewedScratch + cacheBytes, cachedMacs);
          primed.tiling.prime = std::max<int64_t>(0, skewed.priming);
          primed.tiling.steps = steps;
          primed.estimatedOverhead =
              overheadOf(cacheBytes, steps, primed.tiling.prime);
          if (withinOverheadLimit(primed))
            bestSkewed[steps].consider(primed);
        }
      }
    }
    const int64_t macs =
        macsWith([&](Operation *op) { return share(op, /*sum=*/true); });
    if (macs > options.macLimit)
      return;
    Candidate candidate = makeCandidate(WindowMode::Recompute, scratch, macs);
    candidate.estimatedOverhead =
        overheadOf(/*keptBytes=*/0, /*steps=*/1, /*prime=*/0);
    if (withinOverheadLimit(candidate))
      best.consider(candidate);
  };
  if (axes.size() == 1) {
    for (const auto &entry : perAxis[0])
      consider({&entry});
  } else {
    for (const auto &rows : perAxis[0])
      for (const auto &columns : perAxis[1])
        consider({&rows, &columns});
  }
  SmallVector<Candidate> found = best.take();
  llvm::append_range(found, bestCached.take());
  for (auto &[steps, skewed] : bestSkewed)
    llvm::append_range(found, skewed.take());
  return found;
}

/// Best FDT tiling of `path`: the first layer's output channels split,
/// the first op that sums over them accumulating partial sums.
SmallVector<Candidate> estimateFDT(const BlockGraph &block,
                                   const PathInfo &path,
                                   const DiscoveryOptions &options) {
  Operation *splitOp = nullptr;
  for (auto [op, first] : llvm::zip(path.ops.ops, path.ops.inFirstLayer))
    if (first && op->getNumResults() == 1)
      splitOp = op;
  if (!splitOp)
    return {};
  auto splitType = dyn_cast<RankedTensorType>(splitOp->getResult(0).getType());
  if (!splitType || !splitType.hasStaticShape() || splitType.getRank() < 2)
    return {};
  const int64_t channels = splitType.getDimSize(splitType.getRank() - 1);
  if (channels < 2)
    return {};
  // The consumer: the first op after the first layer that reduces over the
  // channels of a tensor of the path.
  Operation *consumer = nullptr;
  bool afterFirst = false, sumsOnlyChannels = true;
  for (auto [op, first] : llvm::zip(path.ops.ops, path.ops.inFirstLayer)) {
    if (first)
      continue;
    afterFirst = true;
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp || linalgOp.getNumReductionLoops() == 0)
      continue;
    SmallVector<utils::IteratorType> iterators =
        linalgOp.getIteratorTypesArray();
    for (OpOperand *input : linalgOp.getDpsInputOperands()) {
      Operation *def = input->get().getDefiningOp();
      auto type = dyn_cast<RankedTensorType>(input->get().getType());
      if (!def || !path.members.contains(def) || !type || type.getRank() == 0 ||
          type.getShape().back() != channels)
        continue;
      AffineMap map = linalgOp.getMatchingIndexingMap(input);
      auto dim = dyn_cast<AffineDimExpr>(map.getResults().back());
      if (dim &&
          iterators[dim.getPosition()] == utils::IteratorType::reduction) {
        consumer = op;
        // Whether the consumer sums nothing but the split channels.
        SmallVector<int64_t> ranges = linalgOp.getStaticLoopRanges();
        for (auto [loop, iterator] : llvm::enumerate(iterators))
          sumsOnlyChannels &= iterator != utils::IteratorType::reduction ||
                              loop == dim.getPosition() || ranges[loop] == 1;
      }
    }
    if (consumer)
      break;
  }
  if (!afterFirst || (consumer && consumer->getNumResults() != 1))
    return {};
  // Without a layer that sums over the channels, the channel tiles of the
  // last result are concatenated: no partial sums, exact in any type.
  const bool concatenate = !consumer;
  // From the first layer's result to the consumer (to the end when
  // concatenating) every op must keep channels apart, as the tiler checks
  // (its own reshapes count: they shape the first layer's result).
  for (auto [op, first, isPrivate] :
       llvm::zip(path.ops.ops, path.ops.inFirstLayer, path.ops.isPrivate)) {
    if (op == consumer)
      break;
    auto rules = dyn_cast<SplitRulesOpInterface>(op);
    if (isPrivate || (first && !(rules && rules.isReshape())))
      continue;
    if (!rules)
      return {};
    OpOperand *splitInput = nullptr;
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
      for (OpOperand *input : linalgOp.getDpsInputOperands()) {
        Operation *def = input->get().getDefiningOp();
        auto it = def ? llvm::find(path.ops.ops, def) : path.ops.ops.end();
        if (it != path.ops.ops.end() &&
            !path.ops.isPrivate[it - path.ops.ops.begin()]) {
          splitInput = input;
          break;
        }
      }
    if (!rules.getChannelSplitBlocker(splitInput).empty())
      return {};
  }
  Operation *last = path.ops.last;
  const int64_t outBytes = staticTensorBytes(last->getResult(0).getType());
  llvm::SmallPtrSet<Operation *, 4> afterTiles;
  CollapsedSteps steps;
  if (concatenate) {
    steps = collapse(block, path, outBytes, std::nullopt);
  } else {
    // Float partial sums are exact only when the consumer sums nothing but
    // the split channels (a fully connected layer, a 1x1 convolution): the
    // tiles then add its terms in the untiled order, from its bias. Other
    // float consumers would round differently: never chosen automatically
    // (no output byte may change).
    if (isa<FloatType>(
            getElementTypeOrSelf(consumer->getResult(0).getType())) &&
        !sumsOnlyChannels)
      return {};
    // The merge runs what follows the consumer once, on the full sum: only
    // elementwise ops (and views) may.
    bool afterConsumer = false;
    for (auto [op, isPrivate] : llvm::zip(path.ops.ops, path.ops.isPrivate)) {
      if (afterConsumer && !isPrivate) {
        auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
        auto rules = dyn_cast<SplitRulesOpInterface>(op);
        if (linalgOp ? linalgOp.getNumReductionLoops() != 0
                     : !(rules && rules.isReshape()))
          return {};
      }
      afterConsumer |= op == consumer;
      if (afterConsumer)
        afterTiles.insert(op);
    }
    // The merge's elementwise ops write over the accumulator when the types
    // agree (float), as the planner places them.
    const bool mergeInPlace =
        getElementTypeOrSelf(consumer->getResult(0).getType()) ==
        getElementTypeOrSelf(last->getResult(0).getType());
    steps = collapse(block, path,
                     staticTensorBytes(consumer->getResult(0).getType()),
                     mergeInPlace ? 0 : outBytes);
  }
  // The channel axis: the last, or C of a depthwise convolution's NHWCM.
  auto channelsOf = [](Type type) -> int64_t {
    auto ranked = dyn_cast<RankedTensorType>(type);
    if (!ranked || ranked.getRank() == 0)
      return 0;
    return ranked.getDimSize(ranked.getRank() == 5 ? 3 : ranked.getRank() - 1);
  };
  BestCounts best;
  for (int64_t tiles = 2; tiles <= std::min(channels, options.maxTiles);
       ++tiles) {
    const double share = double((channels + tiles - 1) / tiles) / channels;
    const int64_t scratch = tileWorkingSet(
        block, path, options.model,
        [&](Operation *op) {
          return channelsOf(op->getResult(0).getType()) == channels ? share
                                                                    : 1.0;
        },
        [&](Operation *op) {
          return op->getNumResults() == 1 && !afterTiles.contains(op) &&
                 !(concatenate && op == last);
        });
    Candidate candidate;
    candidate.tiling.method = TilingMethod::FDT;
    candidate.tiling.tiles = {tiles};
    candidate.estimatedScratch = scratch;
    candidate.estimatedPeak =
        std::max(steps.othersMax, steps.steps[steps.tileStep] + scratch);
    candidate.estimatedMacs = options.macs;
    candidate.numOps = path.ops.ops.size();
    best.consider(candidate);
  }
  return best.take();
}

/// Ops a path may start or end at: those that compute (not views,
/// constants, accumulator inits or tile blocks).
bool isAnchor(Operation *op) {
  if (op->getNumResults() == 0 || isTilingResult(op))
    return false;
  auto rules = dyn_cast<SplitRulesOpInterface>(op);
  return rules && rules.computesLayer() && !rules.isPrivateProducer();
}

} // namespace

int64_t ft::estimatePeak(Block &block, const DiscoveryOptions &options) {
  BlockGraph graph = buildBlockGraph(block, options.model, options.scratch);
  return peakBytes(graph.graph,
                   llvm::to_vector(llvm::seq<unsigned>(0, graph.ops.size())));
}

int64_t ft::countUntiledMacs(Block &block) {
  int64_t macs = 0;
  block.walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (isa<TileBlockOp>(op))
      return WalkResult::skip();
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
      if (isMacOp(linalgOp))
        if (std::optional<int64_t> m = loopProduct(linalgOp))
          macs += *m;
    return WalkResult::advance();
  });
  return macs;
}

SmallVector<Candidate> ft::discoverCandidates(Block &block,
                                              const DiscoveryOptions &options,
                                              unsigned &numEstimated) {
  BlockGraph graph = buildBlockGraph(block, options.model, options.scratch);
  const unsigned n = graph.ops.size();
  SmallVector<Candidate> candidates;
  if (n == 0)
    return candidates;
  SmallVector<int64_t> steps =
      stepBytes(graph.graph, llvm::to_vector(llvm::seq<unsigned>(0, n)));
  // The peak step; among equal ones, one outside the tile blocks applied
  // already (their scratch is the planner's bound, not a measure: the arena
  // the next path can lower is elsewhere).
  const int64_t peak = *llvm::max_element(steps);
  unsigned peakStep = std::distance(steps.begin(), llvm::max_element(steps));
  for (unsigned step = 0; step < n; ++step)
    if (steps[step] == peak && graph.ops[step] &&
        !isTilingResult(graph.ops[step])) {
      peakStep = step;
      break;
    }

  // Tensors alive at the peak step that tiling could remove: not a model
  // input or output, not a tile block's.
  SmallVector<unsigned> critical;
  for (unsigned node = 0; node <= peakStep; ++node) {
    const int64_t bytes = graph.graph.outputBytes[node];
    if (bytes == 0 || graph.graph.liveToEnd[node] || !graph.ops[node] ||
        isTilingResult(graph.ops[node]))
      continue;
    bool alive = node == peakStep;
    for (unsigned consumer : graph.graph.consumers[node])
      alive |= consumer >= peakStep;
    if (alive)
      critical.push_back(node);
  }
  llvm::stable_sort(critical, [&](unsigned a, unsigned b) {
    return graph.graph.outputBytes[a] > graph.graph.outputBytes[b];
  });
  if (critical.size() > 6)
    critical.resize(6);
  if (!critical.empty()) {
    const int64_t largest = graph.graph.outputBytes[critical.front()];
    llvm::erase_if(critical, [&](unsigned node) {
      return graph.graph.outputBytes[node] * 20 < largest;
    });
  }

  // Ancestors, for which ops a path through a tensor may start at and end
  // at.
  SmallVector<llvm::BitVector> ancestors(n, llvm::BitVector(n));
  for (unsigned node = 0; node < n; ++node)
    for (unsigned consumer : graph.graph.consumers[node]) {
      ancestors[consumer] |= ancestors[node];
      ancestors[consumer].set(node);
    }
  // Layers (ft.layers, or each op its own) in block order, and their first
  // and last anchors.
  SmallVector<Attribute> layerOf(n);
  llvm::DenseMap<Attribute, unsigned> firstOf, lastOf;
  for (unsigned node = 0; node < n; ++node) {
    Operation *op = graph.ops[node];
    if (!op || !isAnchor(op))
      continue;
    SmallVector<LayerAttr> layers = getLayers(op);
    Attribute key =
        layers.empty()
            ? Attribute(StringAttr::get(op->getContext(), std::to_string(node)))
            : Attribute(layers.front());
    layerOf[node] = key;
    // A reduction computed into its elementwise reader (scalar
    // accumulation) is one step with it: a path neither starts at the
    // reader nor ends at the reduction (its accumulator would exist whole).
    auto accumulatedIntoReader = [&](Operation *producer) {
      auto reduction = dyn_cast_or_null<linalg::LinalgOp>(producer);
      return reduction && reduction.getNumReductionLoops() > 0 &&
             allocatedBytes(producer, options.model) == 0;
    };
    if (llvm::none_of(op->getOperands(), [&](Value operand) {
          return accumulatedIntoReader(operand.getDefiningOp());
        }))
      firstOf.try_emplace(key, node);
    if (!accumulatedIntoReader(op))
      lastOf[key] = node;
  }

  llvm::DenseSet<std::pair<unsigned, unsigned>> seenPaths;
  FactsCache facts;
  // Diagnostics of paths that cannot be built are expected here.
  ScopedDiagnosticHandler quiet(block.getParentOp()->getContext(),
                                [](Diagnostic &) { return success(); });
  for (unsigned target : critical) {
    SmallVector<unsigned> firsts, lasts;
    llvm::SmallPtrSet<Attribute, 16> seen;
    for (int node = target; node >= 0 && seen.size() <= options.maxLayers;
         --node) {
      Attribute key = layerOf[node];
      if (!key || !seen.insert(key).second)
        continue;
      auto first = firstOf.find(key);
      if (first != firstOf.end() &&
          (first->second == target || ancestors[target].test(first->second)))
        firsts.push_back(first->second);
    }
    seen.clear();
    for (unsigned node = target; node < n && seen.size() <= options.maxLayers;
         ++node) {
      Attribute key = layerOf[node];
      if (!key || !seen.insert(key).second)
        continue;
      auto last = lastOf.find(key);
      if (last != lastOf.end() && last->second > target &&
          ancestors[last->second].test(target))
        lasts.push_back(last->second);
    }
    for (unsigned first : firsts)
      for (unsigned last : lasts) {
        if (first >= last || !seenPaths.insert({first, last}).second)
          continue;
        FailureOr<PathOps> ops = getPathOps(graph.ops[first], graph.ops[last]);
        if (failed(ops))
          continue;
        PathInfo path;
        path.facts = &facts;
        path.ops = std::move(*ops);
        bool usable = true;
        for (Operation *op : path.ops.ops) {
          path.members.insert(op);
          auto it = graph.nodeOf.find(op);
          if (it == graph.nodeOf.end() || isTilingResult(op)) {
            usable = false;
            break;
          }
          path.nodes.insert(it->second);
        }
        // The tensor must be inside: not the path's result.
        auto lastIt = graph.nodeOf.find(path.ops.last);
        if (!usable || lastIt == graph.nodeOf.end() ||
            !path.nodes.contains(target) || lastIt->second == target)
          continue;
        path.lastNode = lastIt->second;
        path.sortedNodes.assign(path.nodes.begin(), path.nodes.end());
        llvm::sort(path.sortedNodes);
        SmallVector<Candidate> found;
        if (options.ffmt) {
          for (int64_t axis : {1, 2}) {
            // Where the tiler ends this axis in partial sums.
            const PathOps::PartialSumEnd &end = path.ops.partialSums[axis - 1];
            path.reduction = end.reduction;
            path.reducedInput = end.split;
            path.seedOwner = end.splitReader;
            ++numEstimated;
            llvm::append_range(found,
                               estimateFFMT(graph, path, {axis}, options));
          }
          path.reduction = nullptr;
          path.reducedInput = Value();
          path.seedOwner = nullptr;
          ++numEstimated;
          llvm::append_range(found, estimateFFMT(graph, path, {1, 2}, options));
        }
        if (options.fdt) {
          ++numEstimated;
          llvm::append_range(found, estimateFDT(graph, path, options));
        }
        for (Candidate &c : found) {
          if (c.estimatedPeak >= peak)
            continue;
          c.firstIndex = first - graph.firstOpNode;
          c.lastIndex = last - graph.firstOpNode;
          candidates.push_back(c);
        }
      }
  }
  llvm::stable_sort(candidates, better);
  return candidates;
}

FailureOr<TileRows> ft::estimateTileRows(Operation *first, Operation *last,
                                         int64_t axis, int64_t tiles,
                                         KeptRows *kept) {
  FailureOr<PathOps> ops = getPathOps(first, last);
  if (failed(ops))
    return failure();
  FactsCache facts;
  PathInfo path;
  path.facts = &facts;
  path.ops = std::move(*ops);
  for (Operation *op : path.ops.ops)
    path.members.insert(op);
  Value seed = path.ops.last->getResult(0);
  Operation *seedOwner = nullptr;
  if (axis == 1 || axis == 2) {
    const PathOps::PartialSumEnd &end = path.ops.partialSums[axis - 1];
    if (end.reduction) {
      seed = end.split;
      seedOwner = end.splitReader;
    }
  }
  TileRows rows;
  std::optional<AxisShares> shares =
      propagateAxis(path, seed, seedOwner, axis, tiles, &rows);
  if (!shares)
    return failure();
  if (kept)
    for (Operation *op : shares->cachedOps)
      (*kept)[op] = shares->keptRows.lookup(op);
  return rows;
}
