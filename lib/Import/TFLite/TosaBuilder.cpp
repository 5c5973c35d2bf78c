//===- TosaBuilder.cpp - TOSA emission helpers for the importer -----------===//

#include "ImporterImpl.h"

#include "FusedTiling/Dialect/FT/IR/FTOps.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;

// Constants above this size are emitted as dense_resource blobs: the printed
// IR stays readable and the bytes are not re-parsed into attributes.
static constexpr size_t kMaxInlineConstantBytes = 64;

/// Whether `rawData` holds one value repeated (not for i1, which TFLite
/// stores a byte per element and MLIR packs).
static bool isSplatBuffer(RankedTensorType type, ArrayRef<char> rawData) {
  const int64_t count = type.getNumElements();
  if (count < 2 || type.getElementType().isInteger(1) ||
      rawData.size() % count != 0)
    return false;
  const size_t elementBytes = rawData.size() / count;
  ArrayRef<char> first = rawData.take_front(elementBytes);
  for (size_t offset = elementBytes; offset < rawData.size();
       offset += elementBytes)
    if (rawData.slice(offset, elementBytes) != first)
      return false;
  return true;
}

Value GraphImporter::constant(Location loc, RankedTensorType type,
                              ArrayRef<char> rawData, bool forceInline) {
  ElementsAttr attr;
  // One value repeated stays a splat attribute whatever its size: later
  // passes and LLVM see the value (an average pool's unit weights fold
  // away instead of filling flash).
  if (isSplatBuffer(type, rawData)) {
    attr = DenseElementsAttr::getFromRawBuffer(
        type, rawData.take_front(rawData.size() / type.getNumElements()));
  } else if (rawData.size() > kMaxInlineConstantBytes && !forceInline) {
    std::string blobName = "ft_const_" + std::to_string(blobCounter++);
    AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
        rawData, alignof(int64_t));
    attr = DenseResourceElementsAttr::get(type, blobName, std::move(blob));
  } else {
    bool isSplat = false;
    if (!DenseElementsAttr::isValidRawBuffer(type, rawData, isSplat)) {
      // Only i1 data (one byte per element in TFLite) needs this path.
      SmallVector<bool> bits;
      for (char c : rawData)
        bits.push_back(c != 0);
      attr = DenseElementsAttr::get(type, ArrayRef<bool>(bits));
    } else {
      attr = DenseElementsAttr::getFromRawBuffer(type, rawData);
    }
  }
  return tosa::ConstOp::create(builder, loc, type, attr);
}

Value GraphImporter::scalarI32(Location loc, int32_t value, unsigned rank) {
  return constant(loc, SmallVector<int64_t>(rank, 1), builder.getI32Type(),
                  ArrayRef<int32_t>{value});
}

Value GraphImporter::scalarF32(Location loc, float value, unsigned rank) {
  return constant(loc, SmallVector<int64_t>(rank, 1), builder.getF32Type(),
                  ArrayRef<float>{value});
}

Value GraphImporter::zeroPoint(Location loc, Type elementType, int64_t value) {
  return *tosa::createZeroPointTensor(builder, loc, elementType, value);
}

Value GraphImporter::slice(Location loc, Value input, ArrayRef<int64_t> start,
                           ArrayRef<int64_t> size) {
  ImplicitLocOpBuilder b(loc, builder);
  auto type = cast<RankedTensorType>(input.getType());
  return tosa::SliceOp::create(
      builder, loc, RankedTensorType::get(size, type.getElementType()), input,
      tosa::getTosaConstShape(b, start), tosa::getTosaConstShape(b, size));
}

Value GraphImporter::gatherRows(Location loc, Value input, int64_t axis,
                                ArrayRef<int64_t> indices) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] = indices.size();
  return ft::AxisGatherOp::create(builder, loc, type.clone(shape), input, axis,
                                  indices);
}

Value GraphImporter::reshape(Location loc, Value input,
                             ArrayRef<int64_t> shape) {
  auto inType = cast<RankedTensorType>(input.getType());
  if (inType.getShape() == shape)
    return input;
  ImplicitLocOpBuilder b(loc, builder);
  Value shapeValue = tosa::getTosaConstShape(b, shape);
  return tosa::ReshapeOp::create(
      builder, loc, RankedTensorType::get(shape, inType.getElementType()),
      input, shapeValue);
}

Value GraphImporter::broadcastToRank(Location loc, Value input, unsigned rank) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type.getRank() >= rank)
    return input;
  SmallVector<int64_t> shape(rank - type.getRank(), 1);
  llvm::append_range(shape, type.getShape());
  return reshape(loc, input, shape);
}

Value GraphImporter::rescale(Location loc, Value input, Type outElementType,
                             ArrayRef<tflm::QuantizedMultiplier> multipliers,
                             int64_t inputZp, int64_t outputZp) {
  auto inType = cast<RankedTensorType>(input.getType());
  SmallVector<int32_t> mults;
  SmallVector<int8_t> shifts;
  for (const tflm::QuantizedMultiplier &m : multipliers) {
    int shift = tflm::tosaShift(m);
    int32_t mult = m.multiplier;
    if (mult == 0 || shift > 62) {
      // TFLite's multiplier underflowed to zero; TOSA needs a valid shift.
      mult = 0;
      shift = 2;
    }
    // TOSA allows shifts of at least 2; a left shift of more than 29 never
    // occurs for real scales and would overflow TFLM's int32 math as well.
    shift = std::max(shift, 2);
    mults.push_back(mult);
    shifts.push_back(static_cast<int8_t>(shift));
  }
  const int64_t n = mults.size();
  Value multValue = constant(loc, {n}, builder.getI32Type(),
                             ArrayRef<int32_t>(mults), /*forceInline=*/true);
  Value shiftValue = constant(loc, {n}, builder.getI8Type(),
                              ArrayRef<int8_t>(shifts), /*forceInline=*/true);
  auto outType = RankedTensorType::get(inType.getShape(), outElementType);
  return tosa::RescaleOp::create(
      builder, loc, outType, input, multValue, shiftValue,
      zeroPoint(loc, inType.getElementType(), inputZp),
      zeroPoint(loc, outElementType, outputZp), /*scale32=*/true,
      tosa::RoundingMode::DOUBLE_ROUND, /*per_channel=*/n > 1,
      /*input_unsigned=*/false, /*output_unsigned=*/false);
}

Value GraphImporter::rescale48To16(
    Location loc, Value input,
    ArrayRef<tflm::QuantizedMultiplier> multipliers) {
  auto inType = cast<RankedTensorType>(input.getType());
  SmallVector<int16_t> mults;
  SmallVector<int8_t> shifts;
  for (const tflm::QuantizedMultiplier &m : multipliers) {
    // TFLM: reduced = m < 0x7FFF0000 ? (m + 2^15) >> 16 : 0x7FFF, then
    // (x * reduced + 2^(s - 1)) >> s with s = 15 - exponent.
    const int32_t reduced =
        m.multiplier < 0x7FFF0000 ? (m.multiplier + (1 << 15)) >> 16 : 0x7FFF;
    int shift = 15 - m.shift;
    if (reduced == 0 || shift > 62) {
      mults.push_back(0);
      shifts.push_back(2);
      continue;
    }
    mults.push_back(static_cast<int16_t>(reduced));
    shifts.push_back(static_cast<int8_t>(std::max(shift, 2)));
  }
  const int64_t n = mults.size();
  Value multValue = constant(loc, {n}, builder.getI16Type(),
                             ArrayRef<int16_t>(mults), /*forceInline=*/true);
  Value shiftValue = constant(loc, {n}, builder.getI8Type(),
                              ArrayRef<int8_t>(shifts), /*forceInline=*/true);
  auto outType = RankedTensorType::get(inType.getShape(), builder.getI16Type());
  return tosa::RescaleOp::create(
      builder, loc, outType, input, multValue, shiftValue,
      zeroPoint(loc, inType.getElementType(), 0),
      zeroPoint(loc, builder.getI16Type(), 0), /*scale32=*/false,
      tosa::RoundingMode::SINGLE_ROUND, /*per_channel=*/n > 1,
      /*input_unsigned=*/false, /*output_unsigned=*/false);
}

Value GraphImporter::narrow48To32(Location loc, Value input) {
  auto inType = cast<RankedTensorType>(input.getType());
  // (x * 2^14 + 2^13) >> 14 is x: TOSA's only i48 -> i32 conversion.
  Value multValue = constant(loc, {1}, builder.getI16Type(),
                             ArrayRef<int16_t>{1 << 14}, /*forceInline=*/true);
  Value shiftValue = constant(loc, {1}, builder.getI8Type(),
                              ArrayRef<int8_t>{14}, /*forceInline=*/true);
  auto outType = RankedTensorType::get(inType.getShape(), builder.getI32Type());
  return tosa::RescaleOp::create(
      builder, loc, outType, input, multValue, shiftValue,
      zeroPoint(loc, inType.getElementType(), 0),
      zeroPoint(loc, builder.getI32Type(), 0), /*scale32=*/false,
      tosa::RoundingMode::SINGLE_ROUND, /*per_channel=*/false,
      /*input_unsigned=*/false, /*output_unsigned=*/false);
}

Value GraphImporter::clampInt(Location loc, Value input, int64_t lo,
                              int64_t hi) {
  auto type = cast<RankedTensorType>(input.getType());
  Type elemType = type.getElementType();
  return tosa::ClampOp::create(builder, loc, type, input,
                               builder.getIntegerAttr(elemType, lo),
                               builder.getIntegerAttr(elemType, hi));
}

Value GraphImporter::clampFloat(Location loc, Value input, float lo, float hi) {
  auto type = cast<RankedTensorType>(input.getType());
  return tosa::ClampOp::create(builder, loc, type, input,
                               builder.getF32FloatAttr(lo),
                               builder.getF32FloatAttr(hi));
}

static tflm::FusedActivation toFused(tflite::ActivationFunctionType act) {
  switch (act) {
  case tflite::ActivationFunctionType_RELU:
    return tflm::FusedActivation::Relu;
  case tflite::ActivationFunctionType_RELU6:
    return tflm::FusedActivation::Relu6;
  case tflite::ActivationFunctionType_RELU_N1_TO_1:
    return tflm::FusedActivation::ReluN1To1;
  default:
    return tflm::FusedActivation::None;
  }
}

void GraphImporter::activationRange(tflite::ActivationFunctionType act,
                                    const TensorInfo &out, int32_t &lo,
                                    int32_t &hi) {
  tflm::activationRange(toFused(act), out.scale(), out.zeroPoint(), -128, 127,
                        lo, hi);
}

Value GraphImporter::quantizedActivation(Location loc, Value input,
                                         tflite::ActivationFunctionType act,
                                         const TensorInfo &out) {
  int32_t lo = 0, hi = 0;
  activationRange(act, out, lo, hi);
  if (lo == -128 && hi == 127)
    return input;
  return clampInt(loc, input, lo, hi);
}

Value GraphImporter::floatActivation(const OpContext &op, Location loc,
                                     Value input,
                                     tflite::ActivationFunctionType act,
                                     bool &ok) {
  ok = true;
  const float inf = std::numeric_limits<float>::infinity();
  switch (act) {
  case tflite::ActivationFunctionType_NONE:
    return input;
  case tflite::ActivationFunctionType_RELU:
    return clampFloat(loc, input, 0.0f, inf);
  case tflite::ActivationFunctionType_RELU6:
    return clampFloat(loc, input, 0.0f, 6.0f);
  case tflite::ActivationFunctionType_RELU_N1_TO_1:
    return clampFloat(loc, input, -1.0f, 1.0f);
  case tflite::ActivationFunctionType_TANH:
    return tosa::TanhOp::create(builder, loc, input.getType(), input);
  default:
    op.emitError() << "fused activation "
                   << tflite::EnumNameActivationFunctionType(act)
                   << " is not supported";
    ok = false;
    return {};
  }
}

Value GraphImporter::table8(Location loc, Value input,
                            llvm::function_ref<int8_t(int8_t)> fn) {
  // TOSA TABLE indexes an i8 table by (x + 128).
  SmallVector<int8_t> table(256);
  for (int i = 0; i < 256; ++i)
    table[i] = fn(static_cast<int8_t>(i - 128));
  Value tableValue =
      constant(loc, {256}, builder.getI8Type(), ArrayRef<int8_t>(table));
  return tosa::TableOp::create(builder, loc, input.getType(), input,
                               tableValue);
}

Value GraphImporter::gatherTable(Location loc, Value indices,
                                 ArrayRef<int32_t> table) {
  auto idxType = cast<RankedTensorType>(indices.getType());
  const int64_t n = idxType.getNumElements();
  const int64_t k = table.size();
  Value values = constant(loc, {1, k, 1}, builder.getI32Type(), table);
  Value flatIdx = reshape(loc, indices, {1, n});
  Value gathered = tosa::GatherOp::create(
      builder, loc, RankedTensorType::get({1, n, 1}, builder.getI32Type()),
      values, flatIdx);
  return reshape(loc, gathered, idxType.getShape());
}

Value GraphImporter::mulShift(Location loc, Value a, Value b, int8_t shift) {
  auto ta = cast<RankedTensorType>(a.getType());
  auto tb = cast<RankedTensorType>(b.getType());
  SmallVector<int64_t> shape;
  for (auto [da, db] : llvm::zip(ta.getShape(), tb.getShape()))
    shape.push_back(std::max(da, db));
  Value shiftValue =
      constant(loc, {1}, builder.getI8Type(), ArrayRef<int8_t>{shift});
  return tosa::MulOp::create(builder, loc,
                             RankedTensorType::get(shape, ta.getElementType()),
                             a, b, shiftValue);
}
