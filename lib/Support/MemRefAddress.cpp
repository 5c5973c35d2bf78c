//===- MemRefAddress.cpp - An element's address in a memref ---------------===//

#include "FusedTiling/Support/MemRefAddress.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;

Value ft::getElementByteAddress(OpBuilder &builder, Location loc, Value memref,
                                ValueRange indices) {
  auto type = cast<MemRefType>(memref.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  (void)type.getStridesAndOffset(strides, offset);
  const int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  auto constant = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(builder, loc, value);
  };
  // Elements to bytes, skipped for bytes.
  auto inBytes = [&](Value elements) {
    return elementBytes == 1 ? elements
                             : arith::MulIOp::create(builder, loc, elements,
                                                     constant(elementBytes))
                                   .getResult();
  };
  Value address =
      memref::ExtractAlignedPointerAsIndexOp::create(builder, loc, memref);
  auto metadata =
      memref::ExtractStridedMetadataOp::create(builder, loc, memref);
  address = arith::AddIOp::create(builder, loc, address,
                                  inBytes(metadata.getOffset()));
  for (auto [dim, index] : llvm::enumerate(indices)) {
    Value stride = ShapedType::isDynamic(strides[dim])
                       ? inBytes(metadata.getStrides()[dim])
                       : constant(strides[dim] * elementBytes);
    address = arith::AddIOp::create(
        builder, loc, address,
        arith::MulIOp::create(builder, loc, index, stride));
  }
  return address;
}
