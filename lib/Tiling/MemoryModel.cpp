//===- MemoryModel.cpp - Tensor-level memory of a function ---------------===//

#include "FusedTiling/Tiling/MemoryModel.h"

#include "FusedTiling/Support/StorageSize.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

int64_t ft::staticTensorBytes(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape() ||
      !tensor.getElementType().isIntOrIndexOrFloat())
    return 0;
  return tensor.getNumElements() * elementStorageBytes(tensor.getElementType());
}

namespace {
/// Whether every use of `value` initialises a destination (a fill, a bias
/// broadcast): its bytes are the destination-passing op's result.
bool onlyInitialises(Value value) {
  return !value.use_empty() &&
         llvm::all_of(value.getUses(), [](OpOperand &use) {
           auto dps = dyn_cast<DestinationStyleOpInterface>(use.getOwner());
           return dps && dps.isDpsInit(&use);
         });
}

/// Whether `result` is a view of, or an update in place of, `getStorageRoot`
/// of one of the op's operands; returns that operand.
std::optional<Value> aliasedOperand(OpResult result,
                                    const ft::MemoryModelOptions &options) {
  Operation *op = result.getOwner();
  // A pad read only by reductions: with scalar accumulation they test the
  // border instead of reading a padded copy.
  if (auto pad = dyn_cast<tensor::PadOp>(op))
    if (options.scalarAccumulation && !pad->use_empty() &&
        llvm::all_of(pad->getUsers(), [](Operation *user) {
          auto reader = dyn_cast<linalg::LinalgOp>(user);
          return reader && reader.getNumReductionLoops() > 0;
        }))
      return pad.getSource();
  if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp,
          tensor::ExtractSliceOp, tensor::CastOp, tensor::ReshapeOp>(op))
    return op->getOperand(0);
  // An insertion into a fresh tensor (a concatenation's first part)
  // allocates the whole tensor; later ones update it.
  if (auto insert = dyn_cast<tensor::InsertSliceOp>(op)) {
    if (insert.getDest().getDefiningOp<tensor::EmptyOp>())
      return std::nullopt;
    return insert.getDest();
  }
  // A destination-passing op writes into its init unless the init is a
  // fresh tensor (tensor.empty), which is where it allocates.
  if (auto dps = dyn_cast<DestinationStyleOpInterface>(op))
    if (OpOperand *init = dps.getTiedOpOperand(result)) {
      Operation *def = init->get().getDefiningOp();
      if (!def || (!isa<tensor::EmptyOp>(def) && !onlyInitialises(init->get())))
        return init->get();
    }
  // An elementwise op writes over an input of its type that it alone reads
  // (ft-plan-arena's in-place rule), unless that input is an argument, a
  // constant, or a reduction computed straight into this op (scalar
  // accumulation: it has no buffer of its own).
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
    if (linalgOp.getNumLoops() == linalgOp.getNumParallelLoops() &&
        op->getNumResults() == 1)
      for (OpOperand *input : linalgOp.getDpsInputOperands()) {
        Value value = input->get();
        Operation *def = value.getDefiningOp();
        if (!def || value.getType() != result.getType() || !value.hasOneUse() ||
            !linalgOp.getMatchingIndexingMap(input).isIdentity() ||
            matchPattern(def, m_Constant()))
          continue;
        if (auto producer = dyn_cast<linalg::LinalgOp>(def);
            producer && producer.getNumReductionLoops() > 0)
          continue;
        return value;
      }
  return std::nullopt;
}

/// Whether a reduction's result is computed one element at a time into its
/// readers (ft-scalar-accumulation): every reader is elementwise.
bool isScalarAccumulated(linalg::LinalgOp op) {
  if (op.getNumReductionLoops() == 0 || op->getNumResults() != 1 ||
      op->getResult(0).use_empty())
    return false;
  return llvm::all_of(op->getResult(0).getUses(), [](OpOperand &use) {
    auto reader = dyn_cast<linalg::LinalgOp>(use.getOwner());
    return reader && reader.getNumReductionLoops() == 0 &&
           reader.getMatchingIndexingMap(&use).isPermutation();
  });
}
} // namespace

Value ft::getStorageRoot(Value value, const MemoryModelOptions &options) {
  while (auto result = dyn_cast<OpResult>(value)) {
    std::optional<Value> source = aliasedOperand(result, options);
    if (!source)
      break;
    value = *source;
  }
  return value;
}

int64_t ft::allocatedBytes(Operation *op, const MemoryModelOptions &options) {
  if (matchPattern(op, m_Constant()) || isa<tensor::EmptyOp>(op))
    return 0;
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
    if (options.scalarAccumulation && isScalarAccumulated(linalgOp))
      return 0;
  // A fill or broadcast that only initialises destinations: the bytes are
  // counted at the destination-passing op's result.
  int64_t bytes = 0;
  for (OpResult result : op->getResults()) {
    if (aliasedOperand(result, options))
      continue;
    if (onlyInitialises(result))
      continue;
    bytes += staticTensorBytes(result.getType());
  }
  return bytes;
}

ft::BlockGraph
ft::buildBlockGraph(Block &block, const MemoryModelOptions &options,
                    const DenseMap<Operation *, int64_t> *scratch) {
  BlockGraph result;
  llvm::DenseMap<Value, unsigned> argNode;
  for (BlockArgument arg : block.getArguments()) {
    argNode[arg] = result.graph.addInput(
        options.ioInArena ? staticTensorBytes(arg.getType()) : 0);
    result.ops.push_back(nullptr);
  }
  result.firstOpNode = result.ops.size();
  for (Operation &op : block) {
    if (op.hasTrait<OpTrait::IsTerminator>())
      continue;
    result.nodeOf[&op] = result.ops.size();
    result.ops.push_back(&op);
  }
  // Values the terminator returns live to the end.
  llvm::SmallPtrSet<Operation *, 4> returned;
  if (!block.empty() && block.back().hasTrait<OpTrait::IsTerminator>())
    for (Value value : block.back().getOperands())
      if (Operation *def = getStorageRoot(value, options).getDefiningOp())
        returned.insert(def);
  // Where a block allocates a buffer that a view or an update extends:
  // a fill-initialised reduction writes its fill's buffer.
  for (Operation *op : llvm::drop_begin(result.ops, result.firstOpNode)) {
    int64_t extra = 0;
    if (scratch)
      extra = scratch->lookup(op);
    // A result the caller owns is written in place of the caller's buffer.
    const bool toCaller = returned.contains(op) && !options.ioInArena;
    result.graph.addNode(toCaller ? 0 : allocatedBytes(op, options),
                         returned.contains(op), extra);
  }
  for (auto [node, op] : llvm::enumerate(result.ops)) {
    if (!op)
      continue;
    // What `op` reads: its operands (and those of ops nested in it), their
    // storage roots, and what a reduction computed straight into `op`
    // reads (scalar accumulation runs it at `op`'s step).
    SmallVector<Value> reads;
    op->walk([&](Operation *nested) {
      llvm::append_range(reads, nested->getOperands());
    });
    llvm::SmallPtrSet<Operation *, 4> accumulatedInto;
    for (unsigned i = 0; i < reads.size(); ++i) {
      auto reduction = reads[i].getDefiningOp<linalg::LinalgOp>();
      if (reduction && reduction->getBlock() == &block &&
          reduction.getNumReductionLoops() > 0 &&
          allocatedBytes(reduction, options) == 0 &&
          accumulatedInto.insert(reduction).second)
        llvm::append_range(reads, reduction->getOperands());
    }
    for (Value operand : reads) {
      for (Value value : {operand, getStorageRoot(operand, options)}) {
        if (auto it = argNode.find(value); it != argNode.end()) {
          result.graph.addEdge(it->second, node);
          continue;
        }
        Operation *def = value.getDefiningOp();
        if (!def)
          continue;
        Operation *top = block.findAncestorOpInBlock(*def);
        if (!top || top == op || !result.nodeOf.count(top) ||
            result.nodeOf[top] > node)
          continue;
        result.graph.addEdge(result.nodeOf[top], node);
      }
    }
  }
  return result;
}

void ft::reorderBlock(const BlockGraph &graph, ArrayRef<unsigned> order) {
  if (graph.firstOpNode == graph.ops.size())
    return;
  Block *block = graph.ops[graph.firstOpNode]->getBlock();
  Operation *terminator = block->back().hasTrait<OpTrait::IsTerminator>()
                              ? &block->back()
                              : nullptr;
  for (unsigned node : order) {
    if (!graph.ops[node])
      continue;
    if (terminator)
      graph.ops[node]->moveBefore(terminator);
    else
      graph.ops[node]->moveBefore(block, block->end());
  }
}

std::optional<ft::BlockSchedule>
ft::scheduleBlockForLeastPeak(Block &block, const MemoryModelOptions &options,
                              const DenseMap<Operation *, int64_t> *scratch,
                              unsigned maxStatesPerPart) {
  for (Operation &op : block)
    if (!op.hasTrait<OpTrait::IsTerminator>() && !isMemoryEffectFree(&op))
      return std::nullopt;
  BlockGraph graph = buildBlockGraph(block, options, scratch);
  BlockSchedule result;
  result.peakBefore = peakBytes(
      graph.graph, llvm::to_vector(llvm::seq<unsigned>(0, graph.ops.size())));
  Schedule schedule = scheduleForLeastPeak(graph.graph, maxStatesPerPart);
  result.exact = schedule.exact;
  result.peakAfter = std::min(result.peakBefore, schedule.peakBytes);
  if (schedule.peakBytes < result.peakBefore)
    reorderBlock(graph, schedule.order);
  return result;
}
