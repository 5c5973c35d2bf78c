//===- PathAnalysis.cpp - The ops of a fused path ------------------------===//
//
// Resolves path names to ops (layer names, #k, @k) and collects the ops
// between a path's first and last op.
//
//===----------------------------------------------------------------------===//

#include "TilingImpl.h"

using namespace mlir;
using namespace ft;
using namespace ft::detail;

namespace {

/// Whether `op` belongs to the same layer as `first` (ft.layers): the
/// first layer of a path is every op of `first`'s layer, except those that
/// fusion merged into a layer of `last` (a residual add that absorbed the
/// rescale of the first layer's output belongs to the last layer).
bool inFirstLayer(Operation *op, Operation *first, Operation *last) {
  if (op == first)
    return true;
  SmallVector<LayerAttr> firstLayers = getLayers(first);
  if (firstLayers.empty())
    return false;
  SmallVector<LayerAttr> layers = getLayers(op);
  if (!llvm::is_contained(layers, firstLayers.front()))
    return false;
  for (LayerAttr lastLayer : getLayers(last))
    if (lastLayer != firstLayers.front() &&
        llvm::is_contained(layers, lastLayer))
      return false;
  return true;
}

/// The ops of `block` that compute from activations, in order: what "@k"
/// counts.
SmallVector<Operation *> activationOps(Block &block) {
  SmallPtrSet<Operation *, 32> found;
  SmallVector<Operation *> ordered;
  for (Operation &op : block)
    if (!op.hasTrait<OpTrait::IsTerminator>() &&
        readsActivations(&op, block, found)) {
      found.insert(&op);
      ordered.push_back(&op);
    }
  return ordered;
}

} // namespace

namespace ft::detail {

const char *const kNoOpHint =
    " (a model input or a reshape has no op of its own: name a layer that "
    "computes)";

bool refersTo(Operation *op, StringRef reference) {
  if (reference.consume_front("#")) {
    int64_t index;
    return !reference.getAsInteger(10, index) && isInLayerWithIndex(op, index);
  }
  return isInLayer(op, reference);
}

/// An error at `op` that names the op and its layer: locations of imported
/// models print only the model file.
InFlightDiagnostic pathError(Operation *op, const Twine &message) {
  SmallVector<LayerAttr> layers = getLayers(op);
  InFlightDiagnostic diag = op->emitError();
  diag << "'" << op->getName() << "'";
  if (!layers.empty())
    diag << " (layer '" << layers.front().getName().strref().split(';').first
         << "')";
  diag << ": " << message;
  return diag;
}

FailureOr<Path> findPath(Operation *first, Operation *last) {
  Block &block = *first->getBlock();
  if (last->getBlock() != &block)
    return pathError(last, "the path's last op is not in the block of its "
                           "first op");
  Path path;
  for (Operation &op : block)
    if (!isa<arith::ConstantOp>(op) && op.getNumResults() > 0 &&
        inFirstLayer(&op, first, last))
      path.firstLayer.insert(&op);
  path.last = last;
  // A trailing reshape is a view of the layer's result, which consumers
  // may read too (a softmax reads the accumulator and its 2-D view): the
  // path ends at the reshaped value.
  while (path.last &&
         isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(path.last)) {
    Operation *source = path.last->getOperand(0).getDefiningOp();
    if (!source || source->getBlock() != &block ||
        path.firstLayer.contains(path.last))
      break;
    path.last = source;
  }

  // The top-level op of `block` that contains `op`.
  auto topLevel = [&](Operation *op) {
    return block.findAncestorOpInBlock(*op);
  };

  // Forward from the first layer, backward from the last op.
  llvm::SmallPtrSet<Operation *, 32> forward(path.firstLayer.begin(),
                                             path.firstLayer.end());
  SmallVector<Operation *> worklist(path.firstLayer.begin(),
                                    path.firstLayer.end());
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    for (Operation *user : op->getUsers())
      if (Operation *top = topLevel(user); top && forward.insert(top).second)
        worklist.push_back(top);
  }
  llvm::SmallPtrSet<Operation *, 32> backward;
  worklist.push_back(path.last);
  backward.insert(path.last);
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        if (Operation *def = operand.getDefiningOp())
          if (Operation *top = topLevel(def);
              top && backward.insert(top).second)
            worklist.push_back(top);
    });
  }
  llvm::SmallPtrSet<Operation *, 32> members;
  for (Operation *op : forward)
    if (backward.contains(op))
      members.insert(op);
  if (!members.contains(path.last))
    return pathError(path.last, "the path's last op does not depend on its "
                                "first op")
               .attachNote(first->getLoc())
           << "the first op";
  // Private producers of members (accumulator inits, bias broadcasts) join
  // when members are their only users.
  bool grew = true;
  while (grew) {
    grew = false;
    for (Operation &op : block)
      if (!members.contains(&op) && isPrivateProducer(&op) && !op.use_empty() &&
          llvm::all_of(op.getUsers(), [&](Operation *u) {
            Operation *top = topLevel(u);
            return top && members.contains(top);
          })) {
        members.insert(&op);
        grew = true;
      }
  }
  for (Operation &op : block)
    if (members.contains(&op))
      path.ops.insert(&op);

  // A chain: nothing but the last op is used outside the path.
  for (Operation *op : path.ops) {
    if (op == path.last)
      continue;
    for (Operation *user : op->getUsers()) {
      Operation *top = topLevel(user);
      if (top && !members.contains(top)) {
        InFlightDiagnostic diag =
            pathError(user, "uses a value computed inside the fused path; a "
                            "path must be a chain whose only result is its "
                            "last tensor");
        // The rows a line buffer keeps for the next tile are such a use.
        if (auto outer = dyn_cast<TileBlockOp>(block.getParentOp());
            outer && outer.getNumCaches() > 0)
          diag << " (inside a tile block with line buffers, the rows kept "
                  "for the next tile are read outside the path: tile the "
                  "outer path with windows=recompute or windows=share to "
                  "tile inside it)";
        diag.attachNote(op->getLoc()) << "computed here";
        return failure();
      }
    }
  }
  return path;
}

} // namespace ft::detail

namespace {

/// The ops `first` and `last` name among the ops of `block`; null where a
/// layer reference names no op of it.
FailureOr<std::pair<Operation *, Operation *>> findPathOpsIn(func::FuncOp func,
                                                             Block &block,
                                                             StringRef first,
                                                             StringRef last) {
  SmallVector<Operation *> positions = activationOps(block);
  auto byPosition = [&](StringRef reference) -> FailureOr<Operation *> {
    int64_t k;
    if (reference.drop_front().getAsInteger(10, k) || k < 0 ||
        k >= static_cast<int64_t>(positions.size()))
      return mlir::emitError(func.getLoc(), "no op at position '")
             << reference << "': @k counts from 0 the " << positions.size()
             << " ops of the function that compute from its arguments";
    return positions[k];
  };
  // A layer named by name or "#k": its last op for the path's end, its
  // first for the path's start; null when no op belongs to it.
  auto byLayer = [&](StringRef reference, bool lastOfLayer,
                     StringRef exclude) -> Operation * {
    auto matches = [&](Operation &op) {
      return !isa<arith::ConstantOp>(op) && op.getNumResults() > 0 &&
             refersTo(&op, reference) &&
             (exclude.empty() || !refersTo(&op, exclude));
    };
    if (lastOfLayer) {
      for (Operation &op : llvm::reverse(block))
        if (matches(op))
          return &op;
      return nullptr;
    }
    for (Operation &op : block)
      if (matches(op))
        return &op;
    return nullptr;
  };
  auto resolve = [&](StringRef reference, bool lastOfLayer,
                     StringRef exclude) -> FailureOr<Operation *> {
    if (reference.starts_with("@"))
      return byPosition(reference);
    return byLayer(reference, lastOfLayer, exclude);
  };
  FailureOr<Operation *> lastOp = resolve(last, /*lastOfLayer=*/true, {});
  // Fusion joins the layers of the ops it merges: an op that also belongs
  // to the last layer is not the first layer's.
  FailureOr<Operation *> firstOp =
      resolve(first, /*lastOfLayer=*/false, first == last ? "" : last);
  if (failed(lastOp) || failed(firstOp))
    return failure();
  return std::make_pair(*firstOp, *lastOp);
}

} // namespace

FailureOr<std::pair<Operation *, Operation *>>
ft::findPathOps(func::FuncOp func, StringRef first, StringRef last) {
  Block &body = func.getBody().front();
  FailureOr<std::pair<Operation *, Operation *>> ends =
      findPathOpsIn(func, body, first, last);
  if (failed(ends))
    return failure();
  // A path inside a tiled path (FDT over the later layers of an FFMT tile):
  // its layers are ops of a tile block's body, both ends in the same one.
  // ("@k" counts the function's own ops only.)
  if (!ends->first && !ends->second && !first.starts_with("@")) {
    func.walk([&](TileBlockOp block) {
      FailureOr<std::pair<Operation *, Operation *>> nested =
          findPathOpsIn(func, block.getBodyBlock(), first, last);
      if (succeeded(nested) && nested->first && nested->second) {
        ends = nested;
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
  }
  if (!ends->first)
    return mlir::emitError(func.getLoc(),
                           "no op produces the path's first tensor '")
           << first << "'" << kNoOpHint;
  if (!ends->second)
    return mlir::emitError(func.getLoc(),
                           "no op produces the path's last tensor '")
           << last << "'" << kNoOpHint;
  return ends;
}
