//===- ConvertElementwise.cpp - Elementwise arithmetic and logic ---------===//
//
// Elementwise operators with numpy broadcasting: arithmetic, comparisons,
// logical operators, select and unary math, quantized as TFLM's reference
// kernels compute them.
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;
using tflm::QuantizedMultiplier;

namespace {

/// The operands of a broadcasting operator, reshaped to the output's rank;
/// fails unless the output has the numpy broadcast shape of its inputs.
FailureOr<SmallVector<Value>> broadcastOperands(Converter &c, unsigned count) {
  if (failed(c.requireInputs(count)))
    return failure();
  SmallVector<int64_t> shape;
  for (unsigned i = 0; i < count; ++i)
    shape = broadcastShape(shape, c.in(i).shape);
  if (shape != ArrayRef<int64_t>(c.out().shape))
    return c.error(c.out().index)
           << "declared shape does not match the broadcast of the operands";
  SmallVector<Value> values;
  for (unsigned i = 0; i < count; ++i) {
    FailureOr<Value> v = c.value(i);
    if (failed(v))
      return failure();
    values.push_back(c.g.broadcastToRank(c.loc, *v, shape.size()));
  }
  return values;
}

/// The fused activation of ADD, SUB and MUL (NONE for the others).
tflite::ActivationFunctionType binaryActivation(Converter &c) {
  if (auto *o = c.options<tflite::AddOptions>())
    return o->fused_activation_function();
  if (auto *o = c.options<tflite::SubOptions>())
    return o->fused_activation_function();
  if (auto *o = c.options<tflite::MulOptions>())
    return o->fused_activation_function();
  return tflite::ActivationFunctionType_NONE;
}

/// ADD, SUB, MUL, MAXIMUM, MINIMUM on int32 or int64 values (no
/// quantization): the plain operation, wrapping as TFLM's C++ does, then
/// the fused activation's clamp.
LogicalResult convertIntegerBinary(Converter &c) {
  FailureOr<SmallVector<Value>> operands = broadcastOperands(c, 2);
  if (failed(operands))
    return failure();
  const TensorInfo &a = c.in(0), &bt = c.in(1), &y = c.out();
  if (a.type != y.type || bt.type != y.type)
    return c.error(y.index)
           << builtinName(c.op.code) << " takes and produces one type";
  Value lhs = (*operands)[0], rhs = (*operands)[1];
  auto type = c.outType();
  Value r;
  switch (c.op.code) {
  case tflite::BuiltinOperator_ADD:
    r = tosa::AddOp::create(c.b, c.loc, type, lhs, rhs);
    break;
  case tflite::BuiltinOperator_SUB:
    r = tosa::SubOp::create(c.b, c.loc, type, lhs, rhs);
    break;
  case tflite::BuiltinOperator_MUL:
    r = c.g.mulShift(c.loc, lhs, rhs, 0);
    break;
  case tflite::BuiltinOperator_MAXIMUM:
    r = tosa::MaximumOp::create(c.b, c.loc, type, lhs, rhs);
    break;
  default:
    r = tosa::MinimumOp::create(c.b, c.loc, type, lhs, rhs);
    break;
  }
  switch (binaryActivation(c)) {
  case tflite::ActivationFunctionType_NONE:
    break;
  case tflite::ActivationFunctionType_RELU:
    r = c.g.clampInt(c.loc, r, 0,
                     y.type == tflite::TensorType_INT32
                         ? std::numeric_limits<int32_t>::max()
                         : std::numeric_limits<int64_t>::max());
    break;
  case tflite::ActivationFunctionType_RELU6:
    r = c.g.clampInt(c.loc, r, 0, 6);
    break;
  case tflite::ActivationFunctionType_RELU_N1_TO_1:
    r = c.g.clampInt(c.loc, r, -1, 1);
    break;
  default:
    return c.error() << "fused activation is not supported on integers";
  }
  c.set(r);
  return success();
}

LogicalResult convertBinary(Converter &c) {
  if (failed(c.requireInputs(2)))
    return failure();
  const TensorInfo &a = c.in(0), &bt = c.in(1), &y = c.out();
  if (y.type == tflite::TensorType_INT32 || y.type == tflite::TensorType_INT64)
    return convertIntegerBinary(c);
  FailureOr<bool> quantized =
      c.quantizedKind({a.index, bt.index, y.index}, /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  // 16x8: int16 operands and result (TFLM's int16 kernels).
  const bool is16 = y.isQuantized16();
  if (*quantized && (a.type != y.type || bt.type != y.type))
    return c.error(y.index) << "quantized " << builtinName(c.op.code)
                            << " mixes 8- and 16-bit tensors";
  // TFLM's int16 MUL computes with symmetric tensors only (it checks).
  if (is16 && c.op.code == tflite::BuiltinOperator_MUL &&
      (a.zeroPoint() != 0 || bt.zeroPoint() != 0 || y.zeroPoint() != 0))
    return c.error(y.index) << "int16 MUL needs zero points 0 (TFLM refuses "
                               "other ones)";
  tflite::ActivationFunctionType act = tflite::ActivationFunctionType_NONE;
  if (c.op.code == tflite::BuiltinOperator_ADD) {
    if (auto *o = c.options<tflite::AddOptions>())
      act = o->fused_activation_function();
  } else if (c.op.code == tflite::BuiltinOperator_SUB) {
    if (auto *o = c.options<tflite::SubOptions>())
      act = o->fused_activation_function();
  } else if (c.op.code == tflite::BuiltinOperator_MUL) {
    if (auto *o = c.options<tflite::MulOptions>())
      act = o->fused_activation_function();
  }
  SmallVector<int64_t> shape = broadcastShape(a.shape, bt.shape);
  if (shape != ArrayRef<int64_t>(y.shape))
    return c.error(y.index) << "declared shape does not match the broadcast "
                               "of the operands";
  const unsigned rank = shape.size();
  FailureOr<Value> va = c.value(0), vb = c.value(1);
  if (failed(va) || failed(vb))
    return failure();
  Value lhs = c.g.broadcastToRank(c.loc, *va, rank);
  Value rhs = c.g.broadcastToRank(c.loc, *vb, rank);
  const int32_t code = c.op.code;

  if (!*quantized) {
    auto type = c.outType();
    Value r;
    if (code == tflite::BuiltinOperator_ADD)
      r = tosa::AddOp::create(c.b, c.loc, type, lhs, rhs);
    else if (code == tflite::BuiltinOperator_SUB)
      r = tosa::SubOp::create(c.b, c.loc, type, lhs, rhs);
    else if (code == tflite::BuiltinOperator_MUL)
      r = c.g.mulShift(c.loc, lhs, rhs, 0);
    else if (code == tflite::BuiltinOperator_MAXIMUM)
      r = tosa::MaximumOp::create(c.b, c.loc, type, lhs, rhs);
    else
      r = tosa::MinimumOp::create(c.b, c.loc, type, lhs, rhs);
    return setActivated(c, r, act, /*quantized=*/false);
  }

  if (code == tflite::BuiltinOperator_MAXIMUM ||
      code == tflite::BuiltinOperator_MINIMUM) {
    if (a.scale() != y.scale() || bt.scale() != y.scale() ||
        a.zeroPoint() != y.zeroPoint() || bt.zeroPoint() != y.zeroPoint())
      return c.error(y.index) << "quantized MAXIMUM/MINIMUM need equal "
                                 "quantization of all tensors";
    auto type = c.outType();
    c.set(code == tflite::BuiltinOperator_MAXIMUM
              ? Value(tosa::MaximumOp::create(c.b, c.loc, type, lhs, rhs))
              : Value(tosa::MinimumOp::create(c.b, c.loc, type, lhs, rhs)));
    return success();
  }

  auto i32Type = RankedTensorType::get(shape, c.b.getI32Type());
  Value raw;
  QuantizedMultiplier outputMultiplier;
  if (code == tflite::BuiltinOperator_MUL) {
    // TFLM: (a - za) * (b - zb) in int32 (int16 too: the product of two
    // int16 values fits), then one requantization.
    Value ai = toInt32Centered(c.g, c.loc, lhs, a.zeroPoint(), 0);
    Value bi = toInt32Centered(c.g, c.loc, rhs, bt.zeroPoint(), 0);
    raw = c.g.mulShift(c.loc, ai, bi, 0);
    outputMultiplier = tflm::quantizeMultiplier(
        static_cast<double>(a.scale()) * static_cast<double>(bt.scale()) /
        static_cast<double>(y.scale()));
  } else {
    // TFLM's ADD/SUB: both inputs shifted left by 20 (int16: 15) and
    // scaled to twice the larger input scale, combined, then scaled to the
    // output.
    const int kLeftShift = is16 ? 15 : 20;
    const double twiceMax = 2.0 * std::max(static_cast<double>(a.scale()),
                                           static_cast<double>(bt.scale()));
    QuantizedMultiplier ma =
        tflm::quantizeMultiplier(static_cast<double>(a.scale()) / twiceMax);
    QuantizedMultiplier mb =
        tflm::quantizeMultiplier(static_cast<double>(bt.scale()) / twiceMax);
    outputMultiplier = tflm::quantizeMultiplier(
        twiceMax / ((1 << kLeftShift) * static_cast<double>(y.scale())));
    if (code == tflite::BuiltinOperator_SUB) {
      // TFLM's SUB divides in float before widening to double (ADD
      // divides in double): its multipliers can differ in the last bit.
      const float twiceMaxF = 2 * std::max(static_cast<float>(a.scale()),
                                           static_cast<float>(bt.scale()));
      ma = tflm::quantizeMultiplier(
          static_cast<double>(static_cast<float>(a.scale()) / twiceMaxF));
      mb = tflm::quantizeMultiplier(
          static_cast<double>(static_cast<float>(bt.scale()) / twiceMaxF));
      outputMultiplier = tflm::quantizeMultiplier(
          static_cast<double>(twiceMaxF / (static_cast<float>(1 << kLeftShift) *
                                           static_cast<float>(y.scale()))));
    }
    Value ai = c.g.rescale(
        c.loc, toInt32Centered(c.g, c.loc, lhs, a.zeroPoint(), kLeftShift),
        c.b.getI32Type(), {ma}, 0, 0);
    Value bi = c.g.rescale(
        c.loc, toInt32Centered(c.g, c.loc, rhs, bt.zeroPoint(), kLeftShift),
        c.b.getI32Type(), {mb}, 0, 0);
    raw = code == tflite::BuiltinOperator_ADD
              ? Value(tosa::AddOp::create(c.b, c.loc, i32Type, ai, bi))
              : Value(tosa::SubOp::create(c.b, c.loc, i32Type, ai, bi));
  }
  Value scaled =
      c.g.rescale(c.loc, raw, is16 ? c.b.getI16Type() : c.b.getI8Type(),
                  {outputMultiplier}, 0, y.zeroPoint());
  return setActivated(c, scaled, act, /*quantized=*/true);
}

//===----------------------------------------------------------------------===//
// Comparisons, logical operators, select
//===----------------------------------------------------------------------===//

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

//===----------------------------------------------------------------------===//
// Unary math
//===----------------------------------------------------------------------===//

/// TFLite's round: to the nearest integer, ties to even.
Value roundHalfToEven(Converter &c, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  const unsigned rank = type.getRank();
  auto boolType = type.clone(c.b.getI1Type());
  Value down = tosa::FloorOp::create(c.b, c.loc, type, x);
  Value diff = tosa::SubOp::create(c.b, c.loc, type, x, down);
  Value half = c.g.scalarF32(c.loc, 0.5f, rank);
  Value up = tosa::AddOp::create(c.b, c.loc, type, down,
                                 c.g.scalarF32(c.loc, 1.0f, rank));
  // floor is even when floor(floor / 2) * 2 == floor.
  Value halved = tosa::FloorOp::create(c.b, c.loc, type,
                                       c.g.mulShift(c.loc, down, half, 0));
  Value downIsEven = tosa::EqualOp::create(
      c.b, c.loc, boolType,
      c.g.mulShift(c.loc, halved, c.g.scalarF32(c.loc, 2.0f, rank), 0), down);
  Value below = tosa::GreaterOp::create(c.b, c.loc, boolType, half, diff);
  Value tie = tosa::EqualOp::create(c.b, c.loc, boolType, diff, half);
  Value keepDown = tosa::LogicalOrOp::create(
      c.b, c.loc, boolType, below,
      tosa::LogicalAndOp::create(c.b, c.loc, boolType, tie, downIsEven));
  return tosa::SelectOp::create(c.b, c.loc, type, keepDown, down, up);
}

/// Float unary math (ABS, NEG, CEIL, FLOOR, ROUND, SQRT, RSQRT, SQUARE,
/// EXP, LOG, SIN, COS), and the quantized ABS and RSQRT of TFLM: tables on
/// 8-bit tensors, arithmetic on int16.
LogicalResult convertUnaryMath(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  const int32_t code = c.op.code;
  if (x.type != y.type || x.shape != y.shape)
    return c.error(y.index)
           << builtinName(code) << " keeps its input's type and shape";
  FailureOr<Value> maybeInput = c.value(0);
  if (failed(maybeInput))
    return failure();
  Value input = *maybeInput;
  auto type = c.outType();
  const unsigned rank = type.getRank();
  if (x.isFloat()) {
    Value r;
    switch (code) {
    case tflite::BuiltinOperator_ABS:
      r = tosa::AbsOp::create(c.b, c.loc, type, input);
      break;
    case tflite::BuiltinOperator_NEG:
      r = c.g.mulShift(c.loc, input, c.g.scalarF32(c.loc, -1.0f, rank), 0);
      break;
    case tflite::BuiltinOperator_CEIL:
      r = tosa::CeilOp::create(c.b, c.loc, type, input);
      break;
    case tflite::BuiltinOperator_FLOOR:
      r = tosa::FloorOp::create(c.b, c.loc, type, input);
      break;
    case tflite::BuiltinOperator_ROUND:
      r = roundHalfToEven(c, input);
      break;
    case tflite::BuiltinOperator_SQUARE:
      r = c.g.mulShift(c.loc, input, input, 0);
      break;
    case tflite::BuiltinOperator_RSQRT:
      r = tosa::RsqrtOp::create(c.b, c.loc, type, input);
      break;
    case tflite::BuiltinOperator_SQRT:
      // x^(1/2) as 1 / rsqrt(x): exact at 0 (1 / inf) and infinity.
      r = tosa::ReciprocalOp::create(
          c.b, c.loc, type, tosa::RsqrtOp::create(c.b, c.loc, type, input));
      break;
    case tflite::BuiltinOperator_EXP:
      r = tosa::ExpOp::create(c.b, c.loc, type, input);
      break;
    case tflite::BuiltinOperator_LOG:
      r = tosa::LogOp::create(c.b, c.loc, type, input);
      break;
    case tflite::BuiltinOperator_SIN:
      r = tosa::SinOp::create(c.b, c.loc, type, input);
      break;
    default: // COS
      r = tosa::CosOp::create(c.b, c.loc, type, input);
      break;
    }
    c.set(r);
    return success();
  }
  const bool isAbs = code == tflite::BuiltinOperator_ABS;
  const bool isRsqrt = code == tflite::BuiltinOperator_RSQRT;
  if (x.type == tflite::TensorType_INT16 && isAbs && x.scales.empty()) {
    // TFLM's unquantized int16 ABS: std::abs, truncated back to int16.
    auto i32Type = type.clone(c.b.getI32Type());
    Value wide = tosa::CastOp::create(c.b, c.loc, i32Type, input);
    Value magnitude = tosa::AbsOp::create(c.b, c.loc, i32Type, wide);
    c.set(tosa::CastOp::create(c.b, c.loc, type, magnitude));
    return success();
  }
  if (!((isAbs && (x.isQuantized8() || x.isQuantized16())) ||
        (isRsqrt && x.isQuantized8())) ||
      x.isUnsigned8())
    return c.error(x.index)
           << builtinName(code) << " of " << tflite::EnumNameTensorType(x.type)
           << " is not supported (TFLM has no such kernel)";
  if (x.isQuantized16() && (x.zeroPoint() != 0 || y.zeroPoint() != 0))
    return c.error(y.index) << "int16 ABS needs zero points 0 (as TFLM)";
  const int32_t inZp = static_cast<int32_t>(x.zeroPoint());
  const int32_t outZp = static_cast<int32_t>(y.zeroPoint());
  // TFLM rescales only when the scales differ (compared as float).
  const float inScale = static_cast<float>(x.scale());
  const float outScale = static_cast<float>(y.scale());
  const bool rescales = inScale != outScale;
  if (isAbs) {
    const QuantizedMultiplier m =
        tflm::quantizeMultiplier(static_cast<double>(inScale / outScale));
    if (x.isQuantized16()) {
      auto i32Type = type.clone(c.b.getI32Type());
      Value magnitude =
          tosa::AbsOp::create(c.b, c.loc, i32Type,
                              tosa::CastOp::create(c.b, c.loc, i32Type, input));
      Value r = rescales
                    ? c.g.rescale(c.loc, magnitude, c.b.getI16Type(), {m}, 0, 0)
                    : tosa::CastOp::create(
                          c.b, c.loc, type,
                          c.g.clampInt(c.loc, magnitude, -32768, 32767));
      c.set(r);
      return success();
    }
    c.set(c.g.table8(c.loc, input, [=](int8_t v) {
      const int32_t magnitude = std::abs(int32_t(v) - inZp);
      const int32_t r =
          (rescales ? tflm::multiplyByQuantizedMultiplier(magnitude, m)
                    : magnitude) +
          outZp;
      return static_cast<int8_t>(std::clamp(r, -128, 127));
    }));
    return success();
  }
  // RSQRT: TFLM refuses to run on values below the zero point; those give
  // the type's maximum here, as the zero point itself does.
  const QuantizedMultiplier m = tflm::quantizeMultiplier(
      1.0 / static_cast<double>(std::sqrt(inScale) * outScale));
  c.set(c.g.table8(c.loc, input, [=](int8_t v) {
    const int32_t value = int32_t(v) - inZp;
    if (value <= 0)
      return static_cast<int8_t>(127);
    return static_cast<int8_t>(std::clamp(
        tflm::quantizedRsqrt(value, m) + outZp, int32_t(-128), int32_t(127)));
  }));
  return success();
}

//===----------------------------------------------------------------------===//
// Division, squared difference, sums of many
//===----------------------------------------------------------------------===//

/// SQUARED_DIFFERENCE: (x - y)^2. float32 and int32 directly (int32
/// wrapping); int8 and int16 as TFLM: both sides (x - z) << 7 (int16: << 0)
/// scaled to twice the larger scale, the difference squared in int32, one
/// requantization (its multiplier from a float product, as TFLM's Prepare).
LogicalResult convertSquaredDifference(Converter &c) {
  FailureOr<SmallVector<Value>> operands = broadcastOperands(c, 2);
  if (failed(operands))
    return failure();
  const TensorInfo &a = c.in(0), &bt = c.in(1), &y = c.out();
  if (a.type != y.type || bt.type != y.type)
    return c.error(y.index) << "SQUARED_DIFFERENCE takes and produces one type";
  Value lhs = (*operands)[0], rhs = (*operands)[1];
  RankedTensorType type = c.outType();
  if (y.isFloat() || (y.type == tflite::TensorType_INT32 && y.scales.empty())) {
    Value diff = tosa::SubOp::create(c.b, c.loc, type, lhs, rhs);
    c.set(c.g.mulShift(c.loc, diff, diff, 0));
    return success();
  }
  const bool is16 = y.isQuantized16();
  if (!(y.isQuantized8() && !y.isUnsigned8()) && !is16)
    return c.error(y.index)
           << "SQUARED_DIFFERENCE of " << tflite::EnumNameTensorType(y.type)
           << " is not supported";
  if (is16 && (a.zeroPoint() || bt.zeroPoint() || y.zeroPoint()))
    return c.error(y.index) << "int16 SQUARED_DIFFERENCE needs zero points 0 "
                               "(as TFLM)";
  const int leftShift = is16 ? 0 : 7;
  const double twiceMax =
      2.0 * static_cast<double>(std::max(static_cast<float>(a.scale()),
                                         static_cast<float>(bt.scale())));
  const QuantizedMultiplier ma = tflm::quantizeMultiplier(
      static_cast<double>(static_cast<float>(a.scale())) / twiceMax);
  const QuantizedMultiplier mb = tflm::quantizeMultiplier(
      static_cast<double>(static_cast<float>(bt.scale())) / twiceMax);
  const QuantizedMultiplier mo = tflm::quantizeMultiplier(
      twiceMax * twiceMax /
      static_cast<double>(static_cast<float>(1 << (2 * leftShift)) *
                          static_cast<float>(y.scale())));
  Value ai = c.g.rescale(
      c.loc, toInt32Centered(c.g, c.loc, lhs, a.zeroPoint(), leftShift),
      c.b.getI32Type(), {ma}, 0, 0);
  Value bi = c.g.rescale(
      c.loc, toInt32Centered(c.g, c.loc, rhs, bt.zeroPoint(), leftShift),
      c.b.getI32Type(), {mb}, 0, 0);
  auto i32Type = type.clone(c.b.getI32Type());
  Value diff = tosa::SubOp::create(c.b, c.loc, i32Type, ai, bi);
  Value squared = c.g.mulShift(c.loc, diff, diff, 0);
  c.set(c.g.rescale(c.loc, squared, type.getElementType(), {mo}, 0,
                    y.zeroPoint()));
  return success();
}

/// DIV (float32, int32), FLOOR_DIV and FLOOR_MOD (float32). float DIV is x
/// times the reciprocal (TOSA has no float division: within an ulp of
/// TFLM's); int32 DIV truncates as C++ (a zero divisor, undefined in TFLM,
/// divides by one here rather than trap).
LogicalResult convertDivision(Converter &c) {
  FailureOr<SmallVector<Value>> operands = broadcastOperands(c, 2);
  if (failed(operands))
    return failure();
  const TensorInfo &a = c.in(0), &bt = c.in(1), &y = c.out();
  const int32_t code = c.op.code;
  if (a.type != y.type || bt.type != y.type)
    return c.error(y.index)
           << builtinName(code) << " takes and produces one type";
  Value lhs = (*operands)[0], rhs = (*operands)[1];
  RankedTensorType type = c.outType();
  const unsigned rank = type.getRank();
  tflite::ActivationFunctionType act = tflite::ActivationFunctionType_NONE;
  if (auto *o = c.options<tflite::DivOptions>())
    act = o->fused_activation_function();
  if (y.type == tflite::TensorType_INT32 && y.scales.empty() &&
      code == tflite::BuiltinOperator_DIV) {
    auto boolType =
        cast<RankedTensorType>(rhs.getType()).clone(c.b.getI1Type());
    Value zero = tosa::EqualOp::create(c.b, c.loc, boolType, rhs,
                                       c.g.scalarI32(c.loc, 0, rank));
    Value divisor = tosa::SelectOp::create(c.b, c.loc, rhs.getType(), zero,
                                           c.g.scalarI32(c.loc, 1, rank), rhs);
    Value q = tosa::IntDivOp::create(c.b, c.loc, type, lhs, divisor);
    if (act == tflite::ActivationFunctionType_RELU)
      q = c.g.clampInt(c.loc, q, 0, std::numeric_limits<int32_t>::max());
    else if (act == tflite::ActivationFunctionType_RELU6)
      q = c.g.clampInt(c.loc, q, 0, 6);
    else if (act != tflite::ActivationFunctionType_NONE)
      return c.error() << "fused activation is not supported on int32 DIV";
    c.set(q);
    return success();
  }
  if (!y.isFloat())
    return c.error(y.index)
           << builtinName(code) << " of " << tflite::EnumNameTensorType(y.type)
           << " is not supported yet";
  Value quotient = c.g.mulShift(
      c.loc, lhs, tosa::ReciprocalOp::create(c.b, c.loc, rhs.getType(), rhs),
      0);
  if (code == tflite::BuiltinOperator_DIV)
    return setActivated(c, quotient, act, /*quantized=*/false);
  Value floored = tosa::FloorOp::create(c.b, c.loc, type, quotient);
  if (code == tflite::BuiltinOperator_FLOOR_DIV) {
    c.set(floored);
    return success();
  }
  // FLOOR_MOD: x - floor(x / y) * y, which has y's sign as TFLite's.
  c.set(tosa::SubOp::create(c.b, c.loc, type, lhs,
                            c.g.mulShift(c.loc, floored, rhs, 0)));
  return success();
}

/// ADD_N: the sum of any number of same-shaped inputs. int8 as TFLM: one
/// quantization for all inputs, each (x - z) << 20 halved, summed onto
/// TFLM's starting term (the negated zero point, treated the same), one
/// requantization.
LogicalResult convertAddN(Converter &c) {
  const TensorInfo &y = c.out();
  if (c.op.inputs.empty())
    return c.error() << "ADD_N needs inputs";
  SmallVector<int> tensors(c.op.inputs.begin(), c.op.inputs.end());
  tensors.push_back(y.index);
  if (failed(c.sameElementType(tensors)))
    return failure();
  for (unsigned i = 0; i < c.op.inputs.size(); ++i)
    if (c.in(i).shape != y.shape)
      return c.error(c.in(i).index) << "ADD_N's inputs have the output's shape";
  RankedTensorType type = c.outType();
  const bool quantized = y.isQuantized8() && !y.isUnsigned8();
  if (!y.isFloat() && !quantized)
    return c.error(y.index) << "ADD_N of " << tflite::EnumNameTensorType(y.type)
                            << " is not supported (TFLM has float32 and int8)";
  const TensorInfo &first = c.in(0);
  if (quantized)
    for (unsigned i = 1; i < c.op.inputs.size(); ++i)
      if (c.in(i).scale() != first.scale() ||
          c.in(i).zeroPoint() != first.zeroPoint())
        return c.error(c.in(i).index)
               << "int8 ADD_N needs one quantization for its inputs (TFLM "
                  "checks)";
  constexpr int kShift = 20;
  const double twiceScale = 2 * static_cast<double>(first.scale());
  const QuantizedMultiplier mi =
      tflm::quantizeMultiplier(static_cast<double>(first.scale()) / twiceScale);
  const QuantizedMultiplier mo = tflm::quantizeMultiplier(
      twiceScale / ((1 << kShift) * static_cast<double>(y.scale())));
  auto i32Type = type.clone(c.b.getI32Type());
  Value sum;
  if (quantized) {
    const int32_t start = tflm::multiplyByQuantizedMultiplier(
        static_cast<int32_t>(-first.zeroPoint()) * (1 << kShift), mi);
    sum = c.g.scalarI32(c.loc, start, y.shape.size());
  }
  for (unsigned i = 0; i < c.op.inputs.size(); ++i) {
    FailureOr<Value> v = c.value(i);
    if (failed(v))
      return failure();
    Value term = *v;
    if (quantized) {
      term = c.g.rescale(
          c.loc, toInt32Centered(c.g, c.loc, term, first.zeroPoint(), kShift),
          c.b.getI32Type(), {mi}, 0, 0);
      sum = tosa::AddOp::create(c.b, c.loc, i32Type, sum, term);
    } else {
      sum =
          sum ? Value(tosa::AddOp::create(c.b, c.loc, type, sum, term)) : term;
    }
  }
  if (quantized)
    sum = c.g.rescale(c.loc, sum, c.b.getI8Type(), {mo}, 0, y.zeroPoint());
  c.set(sum);
  return success();
}

} // namespace

void ft::tflite_import::registerElementwiseConverters(ConverterTable &table) {
  table.add(tflite::BuiltinOperator_ADD, convertBinary);
  table.add(tflite::BuiltinOperator_SUB, convertBinary);
  table.add(tflite::BuiltinOperator_MUL, convertBinary);
  table.add(tflite::BuiltinOperator_MAXIMUM, convertBinary);
  table.add(tflite::BuiltinOperator_MINIMUM, convertBinary);
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
  table.add(tflite::BuiltinOperator_ABS, convertUnaryMath);
  table.add(tflite::BuiltinOperator_NEG, convertUnaryMath);
  table.add(tflite::BuiltinOperator_CEIL, convertUnaryMath);
  table.add(tflite::BuiltinOperator_FLOOR, convertUnaryMath);
  table.add(tflite::BuiltinOperator_ROUND, convertUnaryMath);
  table.add(tflite::BuiltinOperator_SQRT, convertUnaryMath);
  table.add(tflite::BuiltinOperator_RSQRT, convertUnaryMath);
  table.add(tflite::BuiltinOperator_SQUARE, convertUnaryMath);
  table.add(tflite::BuiltinOperator_EXP, convertUnaryMath);
  table.add(tflite::BuiltinOperator_LOG, convertUnaryMath);
  table.add(tflite::BuiltinOperator_SIN, convertUnaryMath);
  table.add(tflite::BuiltinOperator_COS, convertUnaryMath);
  table.add(tflite::BuiltinOperator_SQUARED_DIFFERENCE,
            convertSquaredDifference);
  table.add(tflite::BuiltinOperator_DIV, convertDivision);
  table.add(tflite::BuiltinOperator_FLOOR_DIV, convertDivision);
  table.add(tflite::BuiltinOperator_FLOOR_MOD, convertDivision);
  table.add(tflite::BuiltinOperator_ADD_N, convertAddN);
}
