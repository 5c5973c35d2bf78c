//===- ArenaPlanning.cpp - The packing problem, the query, the report -----===//

#include "FusedTiling/Planning/ArenaPlanning.h"

#include "FusedTiling/Dialect/FT/IR/Layers.h"
#include "mlir/Dialect/Affine/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "llvm/ADT/DenseMap.h"

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
} // namespace

FunctionArenaPlan ft::solveArena(ArrayRef<LiveBuffer> buffers,
                                 int64_t alignment) {
  // One request per group, covering the lifetimes of all its members.
  llvm::DenseMap<int, unsigned> requestOf;
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
  FunctionArenaPlan plan;
  plan.arena = planArena(requests, options);
  for (int i = 0, e = buffers.size(); i < e; ++i)
    plan.offsetOf.push_back(
        plan.arena.offsets[requestOf.lookup(groupOf(buffers, i))]);
  return plan;
}

BufferLiveness::Options
ft::getLivenessOptions(const ArenaPlanningOptions &options) {
  BufferLiveness::Options liveness;
  liveness.includeArguments = options.ioInArena;
  liveness.inPlaceElementwise = options.inPlace;
  return liveness;
}

FailureOr<ArenaFigures> ft::queryArena(func::FuncOp func,
                                       const ArenaPlanningOptions &options) {
  // Slots of dynamically sized tiles are sized by the upper bounds that the
  // value-bounds analysis derives through these dialects' ops.
  DialectRegistry registry;
  affine::registerValueBoundsOpInterfaceExternalModels(registry);
  arith::registerValueBoundsOpInterfaceExternalModels(registry);
  memref::registerValueBoundsOpInterfaceExternalModels(registry);
  scf::registerValueBoundsOpInterfaceExternalModels(registry);
  func->getContext()->appendDialectRegistry(registry);

  BufferLiveness liveness(func, getLivenessOptions(options));
  if (!liveness.isValid())
    return failure();
  FunctionArenaPlan plan = solveArena(liveness.buffers(), options.alignment);
  return ArenaFigures{plan.arena.arenaSize, plan.arena.load, plan.arena.method};
}

void ft::writeArenaReport(llvm::json::OStream &json, func::FuncOp func,
                          const BufferLiveness &liveness,
                          const FunctionArenaPlan &plan) {
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
    const SmallVector<int64_t> live = liveness.liveBytesPerStep();
    json.attributeArray("live_bytes_per_step", [&] {
      for (int64_t bytes : live)
        json.value(bytes);
    });
    // Where the peak is, and what runs at every step: the layer (the
    // TFLite name before its first ';') of the op, or of the nearest op
    // around it that has one.
    auto layerAt = [&](int64_t step) -> std::string {
      for (Operation *op = liveness.operationAt(step); op && op != func;
           op = op->getParentOp())
        if (SmallVector<LayerAttr> layers = getLayers(op); !layers.empty())
          return layers.front().getName().getValue().split(';').first.str();
      return "";
    };
    if (!live.empty()) {
      const int64_t peak = llvm::max_element(live) - live.begin();
      json.attribute("peak_step", peak);
      json.attribute("peak_bytes", live[peak]);
      json.attribute("peak_layer", layerAt(peak));
    }
    json.attributeArray("step_layers", [&] {
      for (int64_t step : llvm::seq(liveness.numSteps()))
        json.value(layerAt(step));
    });
    // Tile loops (the tile blocks, now scf.for): their steps and layers.
    json.attributeArray("tile_loops", [&] {
      func.walk([&](LoopLikeOpInterface loop) {
        std::optional<std::pair<int64_t, int64_t>> steps =
            liveness.stepsOf(loop);
        if (!steps)
          return;
        json.object([&] {
          json.attribute("first_step", steps->first);
          json.attribute("last_step", steps->second);
          // The first and last layers computed in it (its copies and
          // views belong to none).
          std::string firstLayer, lastLayer;
          for (int64_t step = steps->first; step <= steps->second; ++step)
            if (std::string layer = layerAt(step); !layer.empty()) {
              if (firstLayer.empty())
                firstLayer = layer;
              lastLayer = layer;
            }
          json.attribute("first_layer", firstLayer);
          json.attribute("last_layer", lastLayer);
          if (std::optional<APInt> trips = loop.getStaticTripCount())
            json.attribute("trips", trips->getSExtValue());
        });
      });
    });
  });
}

FailureOr<SmallVector<std::pair<std::string, ft::ArenaFigures>>>
ft::queryModuleArenas(ModuleOp module, const ArenaPlanningOptions &options) {
  SmallVector<std::pair<std::string, ArenaFigures>> figures;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    FailureOr<ArenaFigures> arena = queryArena(func, options);
    if (failed(arena))
      return failure();
    figures.emplace_back(func.getSymName().str(), *arena);
  }
  return figures;
}
