//===- BufferizableOpInterfaceImpl.cpp - ft ops and bufferization ---------===//

#include "FusedTiling/Dialect/FT/Transforms/BufferizableOpInterfaceImpl.h"
#include "FusedTiling/Dialect/FT/IR/FTOps.h"
#include "FusedTiling/Dialect/FT/Transforms/Tiling.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::bufferization;

namespace {

/// The accumulator is the destination: the partial is read, the accumulator
/// read and written in place, so every tile adds into the same buffer.
struct PartialSumOpInterface
    : public DstBufferizableOpInterfaceExternalModel<PartialSumOpInterface,
                                                     ft::PartialSumOp> {
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto sum = cast<ft::PartialSumOp>(op);
    FailureOr<Value> partial =
        getBuffer(rewriter, sum.getPartial(), options, state);
    if (failed(partial))
      return failure();
    FailureOr<Value> accumulator =
        getBuffer(rewriter, sum.getAccumulator(), options, state);
    if (failed(accumulator))
      return failure();
    // Both buffers must have one type; a partial read through a view of
    // another layout is cast to the accumulator's.
    Value partialBuffer = *partial;
    if (partialBuffer.getType() != accumulator->getType()) {
      if (!memref::CastOp::areCastCompatible(partialBuffer.getType(),
                                             accumulator->getType()))
        return op->emitError("partial sum and accumulator buffers have "
                             "incompatible layouts: ")
               << partialBuffer.getType() << " vs " << accumulator->getType();
      partialBuffer = memref::CastOp::create(
          rewriter, op->getLoc(), accumulator->getType(), partialBuffer);
    }
    ft::PartialSumOp::create(rewriter, op->getLoc(), partialBuffer,
                             *accumulator);
    replaceOpWithBufferizedValues(rewriter, op, *accumulator);
    return success();
  }
};

/// A tile block is a loop over its tiles carrying its iter_args: the i-th
/// init, iteration argument, yielded value and result share one buffer when
/// the body yields a value equivalent to its iteration argument (the output
/// written tile by tile, the accumulator), which the analysis must prove.
/// Bufferizing builds the scf.for over the tiles with buffers carried.
struct TileBlockOpInterface
    : public BufferizableOpInterface::ExternalModel<TileBlockOpInterface,
                                                    ft::TileBlockOp> {
  static unsigned iterIndex(ft::TileBlockOp block, Value value) {
    if (auto result = dyn_cast<OpResult>(value))
      return result.getResultNumber();
    return cast<BlockArgument>(value).getArgNumber() -
           2 * block.getAxes().size();
  }

  static bool yieldsEquivalent(ft::TileBlockOp block, unsigned i,
                               const AnalysisState &state) {
    auto yield = cast<ft::YieldOp>(block.getBodyBlock().getTerminator());
    return state.areEquivalentBufferizedValues(block.getRegionIterArgs()[i],
                                               yield.getValues()[i]);
  }

  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand,
                              const AnalysisState &state) const {
    // Read if the body reads the carried value.
    auto block = cast<ft::TileBlockOp>(op);
    return state.isValueRead(
        block.getRegionIterArgs()[operand.getOperandNumber()]);
  }

  bool bufferizesToMemoryWrite(Operation *, OpOperand &,
                               const AnalysisState &) const {
    return true;
  }

  AliasingValueList getAliasingValues(Operation *op, OpOperand &operand,
                                      const AnalysisState &state) const {
    auto block = cast<ft::TileBlockOp>(op);
    const unsigned i = operand.getOperandNumber();
    const bool equivalent = yieldsEquivalent(block, i, state);
    return {{op->getResult(i),
             equivalent ? BufferRelation::Equivalent : BufferRelation::Unknown,
             /*isDefinite=*/equivalent}};
  }

  bool isWritable(Operation *, Value, const AnalysisState &) const {
    // The carried buffer is either the init's (in place) or a copy.
    return true;
  }

  bool isRepetitiveRegion(Operation *, unsigned) const { return true; }

  FailureOr<BufferLikeType>
  getBufferType(Operation *op, Value value, const BufferizationOptions &options,
                const BufferizationState &state,
                SmallVector<Value> &invocationStack) const {
    auto block = cast<ft::TileBlockOp>(op);
    return bufferization::getBufferType(
        block.getInits()[iterIndex(block, value)], options, state,
        invocationStack);
  }

  LogicalResult verifyAnalysis(Operation *op,
                               const AnalysisState &state) const {
    auto block = cast<ft::TileBlockOp>(op);
    auto yield = cast<ft::YieldOp>(block.getBodyBlock().getTerminator());
    for (unsigned i = 0; i < block.getInits().size(); ++i)
      if (!yieldsEquivalent(block, i, state))
        return yield.emitError("yielded value #")
               << i
               << " does not bufferize to the buffer carried across tiles; "
                  "a tile block must update its iter_args in place";
    return success();
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto block = cast<ft::TileBlockOp>(op);
    SmallVector<Value> buffers;
    for (Value init : block.getInits()) {
      FailureOr<Value> buffer = getBuffer(rewriter, init, options, state);
      if (failed(buffer))
        return failure();
      buffers.push_back(*buffer);
    }
    SmallVector<Type> tensorTypes(block.getInits().getTypes());
    SmallVector<Type> bufferTypes(ValueRange(buffers).getTypes());
    FailureOr<Value> failedBuffer = success(Value());
    scf::ForOp loop = ft::lowerTileBlockToLoop(
        rewriter, block, buffers,
        // The body computes on tensors: views of the carried buffers.
        [&](OpBuilder &b, ValueRange iterArgs) {
          SmallVector<Value> tensors;
          for (auto [arg, type] : llvm::zip(iterArgs, tensorTypes))
            tensors.push_back(
                bufferization::ToTensorOp::create(b, arg.getLoc(), type, arg));
          return tensors;
        },
        [&](OpBuilder &b, ValueRange yielded) {
          SmallVector<Value> carried;
          for (auto [value, type] : llvm::zip(yielded, bufferTypes)) {
            FailureOr<Value> buffer =
                getBuffer(rewriter, value, options, state);
            if (failed(buffer)) {
              failedBuffer = failure();
              carried.push_back(value);
              continue;
            }
            Value result = *buffer;
            if (result.getType() != type)
              result = memref::CastOp::create(b, value.getLoc(), type, result);
            carried.push_back(result);
          }
          return carried;
        });
    if (failed(failedBuffer))
      return failure();
    replaceOpWithBufferizedValues(rewriter, op, loop.getResults());
    return success();
  }
};

} // namespace

void ft::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, ft::FTDialect *) {
    ft::PartialSumOp::attachInterface<PartialSumOpInterface>(*ctx);
    ft::TileBlockOp::attachInterface<TileBlockOpInterface>(*ctx);
  });
}
