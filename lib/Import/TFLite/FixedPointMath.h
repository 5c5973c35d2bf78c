//===- FixedPointMath.h - gemmlowp's int32 arithmetic in TOSA ---*- C++ -*-===//
//
// Private to lib/Import/TFLite. TFLM's integer kernels compute some values
// at run time from data (an L2 norm's inverse square root, a log-softmax's
// log of the sum of exponentials) with gemmlowp's fixed-point arithmetic.
// FixedPointMath builds that arithmetic elementwise on i32 tensors of one
// shape, op for op as TFLM's scalar code (lib/Support/TflmArithmetic.cpp
// holds the scalar transcriptions the unit tests compare it with).
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_LIB_IMPORT_TFLITE_FIXEDPOINTMATH_H
#define FUSEDTILING_LIB_IMPORT_TFLITE_FIXEDPOINTMATH_H

#include "ImporterImpl.h"

namespace ft::tflite_import {

class FixedPointMath {
public:
  /// Builds on i32 tensors of `type`'s shape (or smaller ones that
  /// broadcast to it) at `loc`.
  FixedPointMath(GraphImporter &g, mlir::Location loc,
                 mlir::RankedTensorType type);

  mlir::RankedTensorType type() const { return i32Type; }
  /// A constant, broadcast along every axis.
  mlir::Value cst(int32_t value);

  // Wrapping integer arithmetic, comparisons (i1) and selection.
  mlir::Value add(mlir::Value a, mlir::Value b);
  mlir::Value sub(mlir::Value a, mlir::Value b);
  mlir::Value mul(mlir::Value a, mlir::Value b);
  mlir::Value max(mlir::Value a, mlir::Value b);
  mlir::Value min(mlir::Value a, mlir::Value b);
  mlir::Value greater(mlir::Value a, mlir::Value b);
  mlir::Value greaterEqual(mlir::Value a, mlir::Value b);
  mlir::Value equal(mlir::Value a, mlir::Value b);
  mlir::Value select(mlir::Value cond, mlir::Value a, mlir::Value b);
  mlir::Value shiftLeft(mlir::Value a, mlir::Value bits);
  mlir::Value shiftRight(mlir::Value a, mlir::Value bits); // arithmetic
  mlir::Value countLeadingZeros(mlir::Value a);
  mlir::Value bitAnd(mlir::Value a, mlir::Value b);
  mlir::Value bitXor(mlir::Value a, mlir::Value b);

  /// gemmlowp's SaturatingRoundingDoublingHighMul (FixedPoint's product).
  mlir::Value highMul(mlir::Value a, mlir::Value b);
  /// gemmlowp's RoundingDivideByPOT by an exponent in [0, 31]; larger
  /// exponents round an int32 to 0.
  mlir::Value roundingDivideByPOT(mlir::Value x, mlir::Value exponent);
  /// SaturatingRoundingMultiplyByPOT by an exponent >= 0 (TFLM's Param
  /// version): a left shift, saturated beyond +-(2^(31 - e) - 1).
  mlir::Value saturatingShiftLeft(mlir::Value x, mlir::Value exponent);
  /// gemmlowp's Rescale of a raw value between integer-bit counts.
  mlir::Value rescale(mlir::Value raw, int srcIntegerBits, int dstIntegerBits);
  /// gemmlowp's RoundingHalfSum: (a + b) / 2 rounded half away from zero,
  /// without overflowing.
  mlir::Value roundingHalfSum(mlir::Value a, mlir::Value b);
  /// Sums and differences clamped to int32.
  mlir::Value saturatingAdd(mlir::Value a, mlir::Value b);
  mlir::Value saturatingSub(mlir::Value a, mlir::Value b);
  /// TFLM's MultiplyByQuantizedMultiplier with a multiplier and a shift
  /// (left if positive) that may differ per element.
  mlir::Value multiplyByQuantizedMultiplier(mlir::Value x,
                                            mlir::Value multiplier,
                                            mlir::Value shift);

  /// gemmlowp's one_over_one_plus_x_for_x_in_0_1 (Q0 in and out).
  mlir::Value oneOverOnePlusXForXIn01(mlir::Value a);
  /// TFLM's log_x_for_x_greater_than_or_equal_to_1 of a raw value with
  /// `inputIntegerBits`, in `outputIntegerBits`.
  mlir::Value logXForXGreaterEqual1(mlir::Value raw, int inputIntegerBits,
                                    int outputIntegerBits);
  /// TFLM's GetInvSqrtQuantizedMultiplierExp(input, kReverseShift): the
  /// multiplier and the (left) shift of 1 / sqrt(input), input >= 0.
  std::pair<mlir::Value, mlir::Value> invSqrtMultiplier(mlir::Value input);

private:
  /// Result types of elementwise ops: the operands' broadcast shape.
  mlir::RankedTensorType i32(mlir::ValueRange operands);
  mlir::RankedTensorType i1(mlir::ValueRange operands);

  GraphImporter &g;
  mlir::OpBuilder &b;
  mlir::Location loc;
  mlir::RankedTensorType i32Type;
};

} // namespace ft::tflite_import

#endif // FUSEDTILING_LIB_IMPORT_TFLITE_FIXEDPOINTMATH_H
