//===- BufferLiveness.cpp - Lifetimes of the buffers of a function --------===//

#include "FusedTiling/Planning/BufferLiveness.h"
#include "FusedTiling/Dialect/FT/IR/Layers.h"
#include "FusedTiling/Planning/SizeBounds.h"
#include "FusedTiling/Support/StorageSize.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <algorithm>
#include <functional>

using namespace mlir;
using namespace ft;

namespace {
/// Bytes of a buffer of `type`. A dynamic dimension (a tile clipped at a
/// border, a tile with its halo) takes the constant upper bound of its size
/// operand in `alloc` (SizeBounds.h).
FailureOr<int64_t> bufferBytes(MemRefType type, Operation *alloc,
                               Location loc) {
  if (!type.getLayout().isIdentity()) {
    emitError(loc) << "ft-plan-arena: buffer of type " << type
                   << " needs an identity layout";
    return failure();
  }
  Type elem = type.getElementType();
  if (!elem.isIntOrFloat()) {
    emitError(loc) << "ft-plan-arena: unsupported element type " << elem;
    return failure();
  }
  int64_t elements = 1;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    int64_t extent = type.getDimSize(d);
    if (ShapedType::isDynamic(extent)) {
      FailureOr<int64_t> bound = failure();
      if (auto allocOp = dyn_cast_or_null<memref::AllocOp>(alloc))
        bound = computeSizeUpperBound(
            allocOp.getDynamicSizes()[type.getDynamicDimIndex(d)]);
      else if (auto allocaOp = dyn_cast_or_null<memref::AllocaOp>(alloc))
        bound = computeSizeUpperBound(
            allocaOp.getDynamicSizes()[type.getDynamicDimIndex(d)]);
      if (failed(bound)) {
        emitError(loc) << "ft-plan-arena: no static upper bound for "
                          "dimension "
                       << d << " of " << type;
        return failure();
      }
      extent = *bound;
    }
    elements *= extent;
  }
  return elements * elementStorageBytes(elem);
}
} // namespace

BufferLiveness::BufferLiveness(func::FuncOp func, const Options &options) {
  collect(func, options);
  if (valid && options.inPlaceElementwise)
    coalesceInPlace(func);
}

int BufferLiveness::bufferOf(Value value) const {
  auto it = rootsOf.find(value);
  return it == rootsOf.end() || it->second.size() != 1 ? -1
                                                       : it->second.front();
}

std::optional<std::pair<int64_t, int64_t>>
BufferLiveness::stepsOf(Operation *op) const {
  auto first = stepOf.find(op);
  if (first == stepOf.end())
    return std::nullopt;
  return std::make_pair(first->second, endOf.lookup(op));
}

void BufferLiveness::collect(func::FuncOp func, const Options &options) {
  Region &body = func.getBody();
  if (!body.hasOneBlock()) {
    func.emitError("ft-plan-arena: the function body must be one block "
                   "(structured control flow)");
    valid = false;
    return;
  }
  Block &block = body.front();
  // Steps: the function's ops in order, and inside control flow (loops,
  // conditionals) their bodies' ops too, so that buffers local to a loop
  // body are live only for part of each iteration. Other ops with regions
  // (a linalg payload) are one step.
  std::function<void(Block &)> number = [&](Block &b) {
    for (Operation &op : b) {
      stepOf[&op] = steps++;
      stepOps.push_back(&op);
      if (isa<RegionBranchOpInterface>(op))
        for (Region &region : op.getRegions())
          for (Block &nested : region)
            number(nested);
      endOf[&op] = steps - 1;
    }
  };
  number(block);

  if (options.includeArguments)
    for (BlockArgument arg : block.getArguments()) {
      auto type = dyn_cast<MemRefType>(arg.getType());
      if (!type)
        continue;
      FailureOr<int64_t> bytes = bufferBytes(type, nullptr, func.getLoc());
      if (failed(bytes)) {
        valid = false;
        return;
      }
      LiveBuffer buffer;
      buffer.root = arg;
      buffer.bytes = *bytes;
      const bool isOutput =
          func.getArgAttr(arg.getArgNumber(), "bufferize.result") != nullptr;
      buffer.kind =
          isOutput ? LiveBuffer::Kind::Output : LiveBuffer::Kind::Input;
      if (auto name = func.getArgAttrOfType<StringAttr>(
              arg.getArgNumber(), FTDialect::kNameAttrName))
        buffer.name = name.str();
      else
        buffer.name = (isOutput ? "output " : "input ") +
                      std::to_string(arg.getArgNumber());
      rootsOf[arg] = {static_cast<int>(liveBuffers.size())};
      liveBuffers.push_back(buffer);
    }

  func.walk([&](Operation *op) {
    if (!isa<memref::AllocOp, memref::AllocaOp>(op))
      return;
    Value result = op->getResult(0);
    FailureOr<int64_t> bytes =
        bufferBytes(cast<MemRefType>(result.getType()), op, op->getLoc());
    if (failed(bytes)) {
      valid = false;
      return;
    }
    LiveBuffer buffer;
    buffer.root = result;
    buffer.bytes = *bytes;
    rootsOf[result] = {static_cast<int>(liveBuffers.size())};
    liveBuffers.push_back(buffer);
  });
  if (!valid)
    return;

  // Aliases: views and casts alias their source; after bufferization a
  // loop's results and iteration arguments alias its init and yielded
  // buffers, an scf.if's results what its branches yield. Propagate to a
  // fixpoint (yields come after the values they alias are first seen).
  auto addRoots = [&](Value to, Value from) {
    auto it = rootsOf.find(from);
    if (it == rootsOf.end())
      return false;
    SmallVector<int, 1> sources = it->second;
    SmallVector<int, 1> &target = rootsOf[to];
    bool changed = false;
    for (int root : sources)
      if (!llvm::is_contained(target, root)) {
        target.push_back(root);
        changed = true;
      }
    return changed;
  };
  for (bool changed = true; changed;) {
    changed = false;
    func.walk([&](Operation *op) {
      if (auto view = dyn_cast<ViewLikeOpInterface>(op)) {
        for (Value result : op->getResults())
          changed |= addRoots(result, view.getViewSource());
      } else if (auto castOp = dyn_cast<memref::CastOp>(op)) {
        changed |= addRoots(castOp.getResult(), castOp.getSource());
      } else if (auto branch = dyn_cast<RegionBranchOpInterface>(op)) {
        // Loops and conditionals: what enters a region or leaves the op
        // (a loop's iteration arguments and results; a conditional's
        // results) aliases every value forwarded to it, from the op's
        // operands and from the regions' terminators. Operands in program
        // order keep each value's list of buffers deterministic.
        RegionBranchSuccessorMapping forwarded;
        branch.getSuccessorOperandInputMapping(forwarded);
        auto forward = [&](OpOperand &operand) {
          auto it = forwarded.find(&operand);
          if (it == forwarded.end())
            return;
          for (Value input : it->second)
            changed |= addRoots(input, operand.get());
        };
        for (OpOperand &operand : op->getOpOperands())
          forward(operand);
        for (Region &region : op->getRegions())
          for (Block &b : region)
            if (!b.empty())
              for (OpOperand &operand : b.back().getOpOperands())
                forward(operand);
      } else if (!isa<memref::AllocOp, memref::AllocaOp>(op)) {
        // Any other op making memrefs out of memrefs (memref.transpose is
        // not a ViewLikeOpInterface, for one) may alias them: assume it.
        for (Value result : op->getResults())
          if (isa<MemRefType>(result.getType()))
            for (Value operand : op->getOperands())
              if (isa<MemRefType>(operand.getType()))
                changed |= addRoots(result, operand);
      }
    });
  }

  // Every other use of a buffer, or of anything aliasing it, touches it. A
  // loop touches every buffer its iteration arguments alias: a buffer
  // carried from one iteration to the next is live across the back edge.
  SmallVector<SmallVector<Operation *>> usersOf(liveBuffers.size());
  func.walk([&](Operation *op) {
    if (op == func.getOperation() ||
        isa<memref::AllocOp, memref::AllocaOp, memref::DeallocOp,
            ViewLikeOpInterface, memref::CastOp, memref::TransposeOp>(op))
      return;
    SmallVector<Value> touched(op->getOperands());
    if (isa<RegionBranchOpInterface>(op))
      for (Region &region : op->getRegions())
        if (!region.empty())
          llvm::append_range(touched, region.front().getArguments());
    for (Value value : touched) {
      auto it = rootsOf.find(value);
      if (it == rootsOf.end())
        continue;
      for (int index : it->second)
        usersOf[index].push_back(op);
    }
  });
  nameAllocations(usersOf);
  for (size_t i = 0; i < liveBuffers.size(); ++i) {
    LiveBuffer &b = liveBuffers[i];
    // The innermost numbered block that holds the buffer's allocation and
    // all its users: inside it, an op that contains a use touches the
    // buffer for its whole extent (all iterations of a loop).
    Operation *alloc = b.root.getDefiningOp();
    Block *home = alloc ? alloc->getBlock() : &block;
    auto holdsAll = [&](Block *candidate) {
      if (!candidate->empty() && !stepOf.count(&candidate->front()))
        return false;
      if (alloc && !candidate->findAncestorOpInBlock(*alloc))
        return false;
      return llvm::all_of(usersOf[i], [&](Operation *user) {
        return candidate->findAncestorOpInBlock(*user) != nullptr;
      });
    };
    while (home != &block && !holdsAll(home))
      home = home->getParentOp()->getBlock();
    int64_t first = INT64_MAX, last = -1;
    for (Operation *user : usersOf[i]) {
      Operation *ancestor = home->findAncestorOpInBlock(*user);
      first = std::min(first, stepOf.lookup(ancestor));
      last = std::max(last, endOf.lookup(ancestor));
    }
    // Allocated inside an op of its home block (a loop) but used after it:
    // live from that op on.
    if (alloc && alloc->getBlock() != home) {
      Operation *ancestor = home->findAncestorOpInBlock(*alloc);
      first = std::min(first, stepOf.lookup(ancestor));
      last = std::max(last, endOf.lookup(ancestor));
    }
    const bool used = last >= 0;
    switch (b.kind) {
    case LiveBuffer::Kind::Input:
      b.firstStep = 0;
      b.lastStep = used ? last : 0;
      break;
    case LiveBuffer::Kind::Output:
      b.firstStep = used ? first : steps - 1;
      b.lastStep = steps - 1;
      break;
    case LiveBuffer::Kind::Allocation:
      b.firstStep = b.lastStep = alloc ? stepOf.lookup(alloc) : 0;
      if (used) {
        b.firstStep = first;
        b.lastStep = last;
      }
      break;
    }
  }
}

void BufferLiveness::nameAllocations(
    ArrayRef<SmallVector<Operation *>> usersOf) {
  for (auto [index, buffer] : llvm::enumerate(liveBuffers)) {
    if (buffer.kind != LiveBuffer::Kind::Allocation)
      continue;
    const int bufferIndex = index;
    // The layer of the first op that writes it (ft.layers).
    for (Operation *user : usersOf[index]) {
      auto writer = dyn_cast<DestinationStyleOpInterface>(user);
      SmallVector<LayerAttr> layers = getLayers(user);
      if (!writer || layers.empty() ||
          llvm::none_of(writer.getDpsInits(), [&](Value init) {
            auto it = rootsOf.find(init);
            return it != rootsOf.end() &&
                   llvm::is_contained(it->second, bufferIndex);
          }))
        continue;
      buffer.name = layers.front().getName().str();
      break;
    }
    if (!buffer.name.empty())
      continue;
    // No layer: the name the compiler gave it (a line buffer's), the source
    // position, else a number.
    Location loc = buffer.root.getLoc();
    if (auto nameLoc = dyn_cast<NameLoc>(loc))
      buffer.name = nameLoc.getName().str();
    else if (auto fileLoc = dyn_cast<FileLineColLoc>(loc))
      buffer.name = (fileLoc.getFilename().strref() + ":" +
                     std::to_string(fileLoc.getLine()))
                        .str();
    else
      buffer.name = "buffer " + std::to_string(index);
  }
}

bool BufferLiveness::readInsidePayload(Operation *op, int index) const {
  bool touched = false;
  op->walk([&](Operation *nested) {
    if (nested == op)
      return WalkResult::advance();
    for (Value operand : nested->getOperands()) {
      auto it = rootsOf.find(operand);
      if (it != rootsOf.end() && llvm::is_contained(it->second, index)) {
        touched = true;
        return WalkResult::interrupt();
      }
    }
    return WalkResult::advance();
  });
  return touched;
}

void BufferLiveness::coalesceInPlace(func::FuncOp func) {
  Block &block = func.getBody().front();
  for (Operation &op : block) {
    const int64_t currentStep = stepOf.lookup(&op);
    const int64_t currentEnd = endOf.lookup(&op);
    // A copy of a whole buffer that dies there into a fresh buffer or an
    // output of the same size (the result of a final reshape, copied into
    // the out-parameter): the destination takes the source's slot.
    if (auto copy = dyn_cast<memref::CopyOp>(&op)) {
      const int from = bufferOf(copy.getSource());
      const int to = bufferOf(copy.getTarget());
      // Only a contiguous view (a reshape) of the source reads its bytes in
      // the order the destination is written; a permuting or strided view
      // must not share the slot.
      auto sourceType = cast<MemRefType>(copy.getSource().getType());
      if (from >= 0 && to >= 0 && from != to &&
          sourceType.getLayout().isIdentity() &&
          liveBuffers[to].root == copy.getTarget() &&
          liveBuffers[to].kind != LiveBuffer::Kind::Input &&
          liveBuffers[to].firstStep == currentStep &&
          liveBuffers[from].kind == LiveBuffer::Kind::Allocation &&
          liveBuffers[from].lastStep == currentEnd &&
          liveBuffers[from].bytes == liveBuffers[to].bytes &&
          liveBuffers[to].sharesSlotWith < 0 &&
          llvm::none_of(liveBuffers, [&](const LiveBuffer &b) {
            return b.sharesSlotWith == from;
          }))
        liveBuffers[to].sharesSlotWith = from;
      continue;
    }
    auto linalgOp = dyn_cast<linalg::LinalgOp>(&op);
    if (!linalgOp || !linalgOp.hasPureBufferSemantics() ||
        linalgOp.getNumParallelLoops() != linalgOp.getNumLoops() ||
        linalgOp.getNumDpsInits() != 1)
      continue;
    OpOperand *init = linalgOp.getDpsInitOperand(0);
    const int written = bufferOf(init->get());
    // Only whole buffers, not views, and only fresh allocations first
    // written here.
    if (written < 0 || liveBuffers[written].root != init->get() ||
        liveBuffers[written].kind != LiveBuffer::Kind::Allocation ||
        liveBuffers[written].firstStep != currentStep ||
        !linalgOp.getMatchingIndexingMap(init).isIdentity())
      continue;
    for (OpOperand *input : linalgOp.getDpsInputOperands()) {
      // The whole buffer: the allocation itself or a value of its type that
      // aliases it, e.g. the result of the loop that carried it (an FDT
      // accumulator read by its merge).
      const int read = bufferOf(input->get());
      if (read < 0 || read == written ||
          liveBuffers[read].root.getType() != input->get().getType())
        continue;
      const LiveBuffer &candidate = liveBuffers[read];
      // Element i is read before element i is written and never again: the
      // output can take the dying input's place.
      if (candidate.kind != LiveBuffer::Kind::Allocation ||
          candidate.lastStep != currentEnd ||
          candidate.bytes != liveBuffers[written].bytes ||
          linalgOp.getMatchingIndexingMap(input) !=
              linalgOp.getMatchingIndexingMap(init) ||
          input->get().getType() != init->get().getType())
        continue;
      bool alreadyTaken = llvm::any_of(liveBuffers, [&](const LiveBuffer &b) {
        return b.sharesSlotWith == read;
      });
      if (alreadyTaken || readInsidePayload(linalgOp, read))
        continue;
      liveBuffers[written].sharesSlotWith = read;
      break;
    }
  }
}

SmallVector<int64_t> BufferLiveness::liveBytesPerStep() const {
  SmallVector<int64_t> live(steps, 0);
  for (const LiveBuffer &b : liveBuffers) {
    for (int64_t s = b.firstStep; s <= b.lastStep && s < steps; ++s)
      live[s] += b.bytes;
    // A buffer written over its input occupies the input's bytes at the
    // steps where both are touched.
    if (b.sharesSlotWith >= 0) {
      const LiveBuffer &shared = liveBuffers[b.sharesSlotWith];
      for (int64_t s = std::max(b.firstStep, shared.firstStep);
           s <= std::min(b.lastStep, shared.lastStep) && s < steps; ++s)
        live[s] -= std::min(b.bytes, shared.bytes);
    }
  }
  return live;
}
