//===- BufferizableOpInterfaceImpl.cpp - ft ops and bufferization ---------===//

#include "FusedTiling/Dialect/FT/Transforms/BufferizableOpInterfaceImpl.h"
#include "FusedTiling/Dialect/FT/IR/FTOps.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
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

} // namespace

void ft::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, ft::FTDialect *) {
    ft::PartialSumOp::attachInterface<PartialSumOpInterface>(*ctx);
  });
}
