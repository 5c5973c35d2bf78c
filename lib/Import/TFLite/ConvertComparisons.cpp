//===- ConvertComparisons.cpp - Comparisons, logic, select ---------------===//
//
// Comparisons into bool tensors (TFLM's scaling for int8), the logical
// operators and select, all broadcasting. Bools are bytes (Converter.h).
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;
using tflm::QuantizedMultiplier;

namespace {

/// EQUAL, NOT_EQUAL, GREATER, GREATER_EQUAL, LESS, LESS_EQUAL into a bool
/// tensor. float32, int32, int64 and bool compare the values; int8 and
/// uint8 compare as TFLM's ComparisonWithScaling: each side (x - zp) * 2^8
/// times its own scale as a quantized multiplier, so that operands of
/// different quantizations compare by real value.
LogicalResult convertComparison(Converter &c) {
  FailureOr<SmallVector<Value>> operands = broadcastOperands(c, 2);
  if (failed(operands))
    return failure();
  const TensorInfo &a = c.in(0), &bt = c.in(1), &y = c.out();
  const int32_t code = c.op.code;
  if (y.type != tflite::TensorType_BOOL)
    return c.error(y.index) << builtinName(code) << " produces bool";
  if (a.type != bt.type)
    return c.error(bt.index)
           << builtinName(code) << " compares operands of one type";
  const bool equality = code == tflite::BuiltinOperator_EQUAL ||
                        code == tflite::BuiltinOperator_NOT_EQUAL;
  Value lhs = (*operands)[0], rhs = (*operands)[1];
  auto boolType = c.outType().clone(c.b.getI1Type());
  const unsigned rank = y.shape.size();
  switch (a.type) {
  case tflite::TensorType_FLOAT32:
  case tflite::TensorType_INT32:
  case tflite::TensorType_INT64:
    break;
  case tflite::TensorType_BOOL:
    if (!equality)
      return c.error(a.index) << builtinName(code) << " of bool is not "
                              << "supported (TFLM has no such kernel)";
    {
      Value differ = tosa::LogicalXorOp::create(c.b, c.loc, boolType,
                                                c.toBool(lhs), c.toBool(rhs));
      c.setBool(code == tflite::BuiltinOperator_NOT_EQUAL
                    ? differ
                    : Value(tosa::LogicalNotOp::create(c.b, c.loc, boolType,
                                                       differ)));
    }
    return success();
  case tflite::TensorType_INT8:
  case tflite::TensorType_UINT8:
    if (a.isQuantized8() && bt.isQuantized8()) {
      auto scaled = [&](Value v, const TensorInfo &t) {
        return c.g.rescale(
            c.loc, toInt32Centered(c.g, c.loc, v, t.zeroPoint(), 8),
            c.b.getI32Type(), {tflm::quantizeMultiplier(t.scale())}, 0, 0);
      };
      lhs = scaled(lhs, a);
      rhs = scaled(rhs, bt);
    } else {
      // Without quantization TFLM compares the stored values.
      auto i32 = [&](Value v, bool isUnsigned) -> Value {
        auto type = cast<RankedTensorType>(v.getType());
        Value wide =
            tosa::CastOp::create(c.b, c.loc, type.clone(c.b.getI32Type()), v);
        return isUnsigned
                   ? Value(tosa::AddOp::create(c.b, c.loc, wide.getType(), wide,
                                               c.g.scalarI32(c.loc, 128, rank)))
                   : wide;
      };
      lhs = i32(lhs, a.isUnsigned8());
      rhs = i32(rhs, bt.isUnsigned8());
    }
    break;
  case tflite::TensorType_INT16: {
    // TFLM's Prepare sets the scaling parameters for int8 only; its int16
    // path scales both sides by a zero multiplier, so every pair of
    // elements compares as equal. Reproduced, not silently "fixed".
    mlir::emitWarning(c.loc)
        << "op #" << c.op.opIndex << " (" << builtinName(code)
        << "): TFLM compares int16 operands as all equal (it never sets "
           "their scaling); the result does the same";
    const bool equalIsTrue = code == tflite::BuiltinOperator_EQUAL ||
                             code == tflite::BuiltinOperator_GREATER_EQUAL ||
                             code == tflite::BuiltinOperator_LESS_EQUAL;
    c.setBool(tosa::ConstOp::create(
        c.b, c.loc, boolType,
        DenseElementsAttr::get(boolType, c.b.getBoolAttr(equalIsTrue))));
    return success();
  }
  default:
    return c.error(a.index)
           << builtinName(code) << " of " << tflite::EnumNameTensorType(a.type)
           << " is not supported";
  }
  // Comparisons of broadcast operands: TOSA broadcasts size-1 dimensions.
  Value r;
  switch (code) {
  case tflite::BuiltinOperator_EQUAL:
    r = tosa::EqualOp::create(c.b, c.loc, boolType, lhs, rhs);
    break;
  case tflite::BuiltinOperator_NOT_EQUAL:
    r = tosa::LogicalNotOp::create(
        c.b, c.loc, boolType,
        tosa::EqualOp::create(c.b, c.loc, boolType, lhs, rhs));
    break;
  case tflite::BuiltinOperator_GREATER:
    r = tosa::GreaterOp::create(c.b, c.loc, boolType, lhs, rhs);
    break;
  case tflite::BuiltinOperator_GREATER_EQUAL:
    r = tosa::GreaterEqualOp::create(c.b, c.loc, boolType, lhs, rhs);
    break;
  case tflite::BuiltinOperator_LESS:
    r = tosa::GreaterOp::create(c.b, c.loc, boolType, rhs, lhs);
    break;
  default: // LESS_EQUAL
    r = tosa::GreaterEqualOp::create(c.b, c.loc, boolType, rhs, lhs);
    break;
  }
  c.setBool(r);
  return success();
}

/// LOGICAL_AND, LOGICAL_OR (broadcasting) and LOGICAL_NOT on bool tensors.
LogicalResult convertLogical(Converter &c) {
  const bool isNot = c.op.code == tflite::BuiltinOperator_LOGICAL_NOT;
  FailureOr<SmallVector<Value>> operands = broadcastOperands(c, isNot ? 1 : 2);
  if (failed(operands))
    return failure();
  for (unsigned i = 0; i < (isNot ? 1u : 2u); ++i)
    if (c.in(i).type != tflite::TensorType_BOOL)
      return c.error(c.in(i).index)
             << builtinName(c.op.code) << " takes bool operands";
  if (c.out().type != tflite::TensorType_BOOL)
    return c.error(c.out().index) << builtinName(c.op.code) << " produces bool";
  auto type = c.outType().clone(c.b.getI1Type());
  Value first = c.toBool((*operands)[0]);
  Value r;
  if (isNot)
    r = tosa::LogicalNotOp::create(c.b, c.loc, type, first);
  else if (c.op.code == tflite::BuiltinOperator_LOGICAL_AND)
    r = tosa::LogicalAndOp::create(c.b, c.loc, type, first,
                                   c.toBool((*operands)[1]));
  else
    r = tosa::LogicalOrOp::create(c.b, c.loc, type, first,
                                  c.toBool((*operands)[1]));
  c.setBool(r);
  return success();
}

/// SELECT and SELECT_V2: condition ? x : y, broadcasting all three (TFLM
/// copies the chosen values: x, y and the output share one quantization).
LogicalResult convertSelect(Converter &c) {
  FailureOr<SmallVector<Value>> operands = broadcastOperands(c, 3);
  if (failed(operands))
    return failure();
  const TensorInfo &cond = c.in(0), &x = c.in(1), &yIn = c.in(2),
                   &out = c.out();
  if (cond.type != tflite::TensorType_BOOL)
    return c.error(cond.index) << "the condition must be bool";
  if (x.type != out.type || yIn.type != out.type)
    return c.error(out.index) << "both choices have the output's type";
  if (!x.scales.empty() &&
      (x.scale() != out.scale() || yIn.scale() != out.scale() ||
       x.zeroPoint() != out.zeroPoint() || yIn.zeroPoint() != out.zeroPoint()))
    return c.error(out.index) << "quantized " << builtinName(c.op.code)
                              << " needs one quantization for both choices "
                                 "and the output (TFLM copies the values)";
  c.set(tosa::SelectOp::create(c.b, c.loc, c.outType(),
                               c.toBool((*operands)[0]), (*operands)[1],
                               (*operands)[2]));
  return success();
}

} // namespace

void ft::tflite_import::registerComparisonConverters(ConverterTable &table) {
  table.add(tflite::BuiltinOperator_EQUAL, convertComparison);
  table.add(tflite::BuiltinOperator_NOT_EQUAL, convertComparison);
  table.add(tflite::BuiltinOperator_GREATER, convertComparison);
  table.add(tflite::BuiltinOperator_GREATER_EQUAL, convertComparison);
  table.add(tflite::BuiltinOperator_LESS, convertComparison);
  table.add(tflite::BuiltinOperator_LESS_EQUAL, convertComparison);
  table.add(tflite::BuiltinOperator_LOGICAL_AND, convertLogical);
  table.add(tflite::BuiltinOperator_LOGICAL_OR, convertLogical);
  table.add(tflite::BuiltinOperator_LOGICAL_NOT, convertLogical);
  table.add(tflite::BuiltinOperator_SELECT, convertSelect);
  table.add(tflite::BuiltinOperator_SELECT_V2, convertSelect);
}
