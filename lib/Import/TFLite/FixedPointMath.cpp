//===- FixedPointMath.cpp - gemmlowp's int32 arithmetic in TOSA ----------===//

#include "FixedPointMath.h"

#include <algorithm>
#include <limits>

using namespace mlir;
using namespace ft::tflite_import;

static constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
static constexpr int32_t kMin = std::numeric_limits<int32_t>::min();

FixedPointMath::FixedPointMath(GraphImporter &g, Location loc,
                               RankedTensorType type)
    : g(g), b(g.builder), loc(loc),
      i32Type(type.clone(g.builder.getI32Type())) {}

/// The broadcast type of elementwise operands (a constant is 1 along every
/// axis): results are only as large as their operands.
static RankedTensorType broadcastType(Type element, ValueRange operands) {
  SmallVector<int64_t> shape;
  for (Value v : operands) {
    auto type = cast<RankedTensorType>(v.getType());
    if (shape.empty())
      shape.assign(type.getShape().begin(), type.getShape().end());
    for (auto [d, extent] : llvm::enumerate(type.getShape()))
      shape[d] = std::max(shape[d], extent);
  }
  return RankedTensorType::get(shape, element);
}

RankedTensorType FixedPointMath::i32(ValueRange operands) {
  return broadcastType(b.getI32Type(), operands);
}
RankedTensorType FixedPointMath::i1(ValueRange operands) {
  return broadcastType(b.getI1Type(), operands);
}

Value FixedPointMath::cst(int32_t value) {
  return g.scalarI32(loc, value, i32Type.getRank());
}
Value FixedPointMath::add(Value x, Value y) {
  return tosa::AddOp::create(b, loc, i32({x, y}), x, y);
}
Value FixedPointMath::sub(Value x, Value y) {
  return tosa::SubOp::create(b, loc, i32({x, y}), x, y);
}
Value FixedPointMath::mul(Value x, Value y) { return g.mulShift(loc, x, y, 0); }
Value FixedPointMath::max(Value x, Value y) {
  return tosa::MaximumOp::create(b, loc, i32({x, y}), x, y);
}
Value FixedPointMath::min(Value x, Value y) {
  return tosa::MinimumOp::create(b, loc, i32({x, y}), x, y);
}
Value FixedPointMath::greater(Value x, Value y) {
  return tosa::GreaterOp::create(b, loc, i1({x, y}), x, y);
}
Value FixedPointMath::greaterEqual(Value x, Value y) {
  return tosa::GreaterEqualOp::create(b, loc, i1({x, y}), x, y);
}
Value FixedPointMath::equal(Value x, Value y) {
  return tosa::EqualOp::create(b, loc, i1({x, y}), x, y);
}
Value FixedPointMath::select(Value cond, Value x, Value y) {
  return tosa::SelectOp::create(b, loc, i32({cond, x, y}), cond, x, y);
}
Value FixedPointMath::shiftLeft(Value x, Value bits) {
  return tosa::LogicalLeftShiftOp::create(b, loc, i32({x, bits}), x, bits);
}
Value FixedPointMath::shiftRight(Value x, Value bits) {
  return tosa::ArithmeticRightShiftOp::create(b, loc, i32({x, bits}), x, bits,
                                              /*round=*/false);
}
Value FixedPointMath::bitAnd(Value x, Value y) {
  return tosa::BitwiseAndOp::create(b, loc, i32({x, y}), x, y);
}
Value FixedPointMath::bitXor(Value x, Value y) {
  return tosa::BitwiseXorOp::create(b, loc, i32({x, y}), x, y);
}
Value FixedPointMath::countLeadingZeros(Value x) {
  return tosa::ClzOp::create(b, loc, i32({x}), x);
}

Value FixedPointMath::highMul(Value x, Value y) {
  // TOSA's multiply with a shift of 31 rounds (x y + 2^30) / 2^31 down,
  // which equals gemmlowp's nudged division toward zero; the one product
  // that does not fit, of two minimum values, saturates.
  Value both = tosa::LogicalAndOp::create(
      b, loc, i1({x, y}), equal(x, cst(kMin)), equal(y, cst(kMin)));
  return select(both, cst(kMax), g.mulShift(loc, x, y, 31));
}

Value FixedPointMath::roundingDivideByPOT(Value x, Value exponent) {
  Value beyond = greater(exponent, cst(31));
  Value e = g.clampInt(loc, exponent, 0, 31);
  Value mask = sub(shiftLeft(cst(1), e), cst(1));
  Value remainder = bitAnd(x, mask);
  Value threshold =
      add(shiftRight(mask, cst(1)), select(greater(cst(0), x), cst(1), cst(0)));
  Value quotient = add(shiftRight(x, e),
                       select(greater(remainder, threshold), cst(1), cst(0)));
  return select(beyond, cst(0), quotient);
}

Value FixedPointMath::saturatingShiftLeft(Value x, Value exponent) {
  // threshold = 2^(31 - e) - 1 (wrapping to INT32_MAX for e = 0, where
  // nothing saturates but the minimum, which stays itself).
  Value threshold = sub(shiftLeft(cst(1), sub(cst(31), exponent)), cst(1));
  Value shifted = shiftLeft(x, exponent);
  Value negThreshold = sub(cst(0), threshold);
  return select(greater(x, threshold), cst(kMax),
                select(greater(negThreshold, x), cst(kMin), shifted));
}

Value FixedPointMath::rescale(Value raw, int srcIntegerBits,
                              int dstIntegerBits) {
  const int exponent = srcIntegerBits - dstIntegerBits;
  if (exponent > 0)
    return saturatingShiftLeft(raw, cst(exponent));
  if (exponent < 0)
    return roundingDivideByPOT(raw, cst(-exponent));
  return raw;
}

Value FixedPointMath::roundingHalfSum(Value x, Value y) {
  // (x + y + sign) / 2 truncated, in int32: with H = (x >> 1) + (y >> 1)
  // and L = (x & 1) + (y & 1), x + y = 2H + L.
  Value one = cst(1);
  Value h = add(shiftRight(x, one), shiftRight(y, one));
  Value l = add(bitAnd(x, one), bitAnd(y, one));
  // 2H + L >= 0 exactly when H + (L >> 1) >= 0; then the result is
  // H + (L >= 1), else H + (L == 2).
  Value nonNegative = greaterEqual(add(h, shiftRight(l, one)), cst(0));
  Value ifNonNegative = add(h, select(greaterEqual(l, one), one, cst(0)));
  Value ifNegative = add(h, select(equal(l, cst(2)), one, cst(0)));
  return select(nonNegative, ifNonNegative, ifNegative);
}

Value FixedPointMath::saturatingAdd(Value x, Value y) {
  Value sum = add(x, y);
  // Overflow: both operands' signs differ from the sum's.
  Value flips = bitAnd(bitXor(x, sum), bitXor(y, sum));
  Value saturated = select(greaterEqual(x, cst(0)), cst(kMax), cst(kMin));
  return select(greater(cst(0), flips), saturated, sum);
}

Value FixedPointMath::saturatingSub(Value x, Value y) {
  Value difference = sub(x, y);
  // Overflow: the operands' signs differ and the result's is not x's.
  Value flips = bitAnd(bitXor(x, y), bitXor(x, difference));
  Value saturated = select(greaterEqual(x, cst(0)), cst(kMax), cst(kMin));
  return select(greater(cst(0), flips), saturated, difference);
}

Value FixedPointMath::multiplyByQuantizedMultiplier(Value x, Value multiplier,
                                                    Value shift) {
  Value left = max(shift, cst(0));
  Value right = max(sub(cst(0), shift), cst(0));
  return roundingDivideByPOT(highMul(shiftLeft(x, left), multiplier), right);
}

Value FixedPointMath::oneOverOnePlusXForXIn01(Value a) {
  // Newton-Raphson on 1 / ((1 + a) / 2) in Q2 from 48/17 - 32/17 d.
  Value halfDenominator = roundingHalfSum(a, cst(kMax));
  Value x = add(cst(1515870810), highMul(halfDenominator, cst(-1010580540)));
  for (int i = 0; i < 3; ++i) {
    Value oneMinus = sub(cst(1 << 29), highMul(halfDenominator, x));
    x = add(x, rescale(highMul(x, oneMinus), 4, 2));
  }
  // ExactMulByPot<-1> keeps the raw value and drops one integer bit.
  return rescale(x, 1, 0);
}

Value FixedPointMath::logXForXGreaterEqual1(Value raw, int inputIntegerBits,
                                            int outputIntegerBits) {
  const int accumIntegerBits = outputIntegerBits + 1;
  Value log2 = cst(1488522236), sqrtSqrtHalf = cst(1805811301);
  Value sqrtHalf = cst(1518500250);
  Value alphaN = cst(117049297), alphaD = cst(127690142);
  Value alphaI = cst(1057819769), alphaF = cst(638450708);
  // Rescale<accumIntegerBits>(1/4 in Q0).
  Value shiftedQuarter = cst((1 << 29) >> accumIntegerBits);
  Value toAccum = cst(31 - accumIntegerBits);

  // z_a: the input read as Q0, normalised by its leading zeros.
  Value zaHeadroomPlus1 = countLeadingZeros(raw);
  Value raTmp = saturatingShiftLeft(raw, sub(zaHeadroomPlus1, cst(1)));
  Value ra = saturatingShiftLeft(highMul(raTmp, sqrtHalf), cst(1));
  Value zaPow2Adj = saturatingAdd(
      saturatingShiftLeft(sub(cst(inputIntegerBits), zaHeadroomPlus1), toAccum),
      shiftedQuarter);
  // z_b: the same after a premultiplication by sqrt(1/2).
  Value zb = highMul(raw, sqrtHalf);
  Value zbHeadroom = sub(countLeadingZeros(zb), cst(1));
  Value rb = saturatingShiftLeft(raw, zbHeadroom);
  Value zbPow2Adj = saturatingSub(
      saturatingShiftLeft(sub(cst(inputIntegerBits), zbHeadroom), toAccum),
      shiftedQuarter);

  Value r = min(ra, rb);
  Value zPow2Adj = max(zaPow2Adj, zbPow2Adj);
  Value p = roundingHalfSum(r, sqrtSqrtHalf);
  Value q = sub(r, sqrtSqrtHalf);
  q = add(q, q);
  Value commonSq = highMul(q, q);
  Value num = add(highMul(q, r), highMul(highMul(q, commonSq), alphaN));
  Value denomMinusOne =
      add(highMul(p, add(add(alphaI, q), highMul(alphaD, commonSq))),
          highMul(alphaF, q));
  Value recipDenom = oneOverOnePlusXForXIn01(denomMinusOne);
  Value numScaled = rescale(num, 0, accumIntegerBits);
  return rescale(add(highMul(zPow2Adj, log2), highMul(numScaled, recipDenom)),
                 accumIntegerBits, outputIntegerBits);
}

std::pair<Value, Value> FixedPointMath::invSqrtMultiplier(Value input) {
  // Inputs of at least 2^29 are divided by 4 once (an int32 needs no
  // second time); then normalised to [2^27, 2^29) by bit pairs.
  Value large = greaterEqual(input, cst(1 << 29));
  Value x = select(large, shiftRight(input, cst(2)), input);
  Value shift = select(large, cst(12), cst(11));
  Value maxLeftShiftBits = sub(countLeadingZeros(x), cst(1));
  Value pairs = sub(shiftRight(maxLeftShiftBits, cst(1)), cst(1));
  shift = sub(shift, pairs);
  x = shiftLeft(x, add(pairs, pairs));
  // Newton-Raphson on 1 / sqrt(x) in Q3 from 1, five iterations.
  Value halfInput = roundingDivideByPOT(shiftRight(x, cst(1)), cst(1));
  Value halfThree = cst((1 << 28) + (1 << 27));
  Value y = cst(1 << 28);
  for (int i = 0; i < 5; ++i) {
    Value y3 = rescale(highMul(highMul(y, y), y), 9, 3);
    y = rescale(sub(highMul(halfThree, y), highMul(halfInput, y3)), 6, 3);
  }
  y = highMul(y, cst(1518500250)); // sqrt(2) / 2
  Value negative = greater(cst(0), shift);
  y = select(negative, shiftLeft(y, sub(cst(0), shift)), y);
  shift = select(negative, cst(0), shift);
  // TFLM reverses the shift (kReverseShift); inputs 0 and 1 give the
  // largest multiplier and no shift.
  Value small = greater(cst(2), input);
  return {select(small, cst(kMax), y),
          select(small, cst(0), sub(cst(0), shift))};
}
