//===- TflmArithmeticTest.cpp - TFLM fixed-point arithmetic ---------------===//
//
// Expected values are computed by hand from the definitions (round half away
// from zero for RoundingDivideByPOT, round half up for the doubling high
// multiply, TFLite's frexp-based multiplier encoding).
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Support/TflmArithmetic.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace ft::tflm;

TEST(TflmArithmetic, QuantizeMultiplierEncodesFrexp) {
  QuantizedMultiplier half = quantizeMultiplier(0.5);
  EXPECT_EQ(half.multiplier, 1 << 30);
  EXPECT_EQ(half.shift, 0);
  QuantizedMultiplier one = quantizeMultiplier(1.0);
  EXPECT_EQ(one.multiplier, 1 << 30);
  EXPECT_EQ(one.shift, 1);
  QuantizedMultiplier threeQuarters = quantizeMultiplier(0.75);
  EXPECT_EQ(threeQuarters.multiplier, 1610612736); // 0.75 * 2^31
  EXPECT_EQ(threeQuarters.shift, 0);
  // 1 - 2^-40 rounds up to 2^31: TFLite halves it and bumps the shift.
  QuantizedMultiplier nearOne = quantizeMultiplier(1.0 - std::ldexp(1.0, -40));
  EXPECT_EQ(nearOne.multiplier, 1 << 30);
  EXPECT_EQ(nearOne.shift, 1);
  // Below 2^-32 the multiplier underflows to zero.
  QuantizedMultiplier tiny = quantizeMultiplier(std::ldexp(1.0, -40));
  EXPECT_EQ(tiny.multiplier, 0);
  EXPECT_EQ(tiny.shift, 0);
  EXPECT_EQ(quantizeMultiplier(0.0).multiplier, 0);
}

TEST(TflmArithmetic, RoundingDivideByPOTRoundsHalfAwayFromZero) {
  EXPECT_EQ(roundingDivideByPOT(5, 1), 3);   // 2.5
  EXPECT_EQ(roundingDivideByPOT(-5, 1), -3); // -2.5
  EXPECT_EQ(roundingDivideByPOT(4, 1), 2);
  EXPECT_EQ(roundingDivideByPOT(-7, 2), -2); // -1.75
  EXPECT_EQ(roundingDivideByPOT(6, 2), 2);   // 1.5
  EXPECT_EQ(roundingDivideByPOT(-6, 2), -2); // -1.5
  EXPECT_EQ(roundingDivideByPOT(7, 0), 7);
}

TEST(TflmArithmetic, DoublingHighMulRoundsHalfUp) {
  // x * 0.5 with the multiplier 2^30.
  EXPECT_EQ(saturatingRoundingDoublingHighMul(5, 1 << 30), 3);   // 2.5
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-5, 1 << 30), -2); // -2.5
  EXPECT_EQ(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN), INT32_MAX);
}

TEST(TflmArithmetic, MultiplyByQuantizedMultiplier) {
  EXPECT_EQ(multiplyByQuantizedMultiplier(100, quantizeMultiplier(0.3)), 30);
  EXPECT_EQ(multiplyByQuantizedMultiplier(-100, quantizeMultiplier(0.3)), -30);
  // 7 * 0.25 = 1.75 -> 2; -7 * 0.25 -> -2.
  EXPECT_EQ(multiplyByQuantizedMultiplier(7, quantizeMultiplier(0.25)), 2);
  EXPECT_EQ(multiplyByQuantizedMultiplier(-7, quantizeMultiplier(0.25)), -2);
  // Left shifts: 3 * 5 = 15.
  EXPECT_EQ(multiplyByQuantizedMultiplier(3, quantizeMultiplier(5.0)), 15);
  EXPECT_EQ(tosaShift(quantizeMultiplier(0.5)), 31);
}

TEST(TflmArithmetic, ExpAndReciprocalAtKnownPoints) {
  // exp(0) is one; exp(-32) and below flush to zero with 5 integer bits.
  EXPECT_EQ(expOnNegativeValues(0, 5), INT32_MAX);
  EXPECT_EQ(expOnNegativeValues(INT32_MIN, 5), 0);
  // exp(-1) in Q0 is 0.36788 * 2^31 = 790015084; the fixed-point polynomial
  // lands within 1e-6 relative of it.
  const int32_t minusOneQ5 = -(1 << 26);
  EXPECT_NEAR(expOnNegativeValues(minusOneQ5, 5), 790015084, 790);
  // 1 / (1 + 0) = 1 saturates; 1 / (1 + 0.5) = 2/3.
  EXPECT_EQ(oneOverOnePlusXForXIn01(0), INT32_MAX);
  EXPECT_NEAR(oneOverOnePlusXForXIn01(1 << 30), 1431655765, 4);
}

TEST(TflmArithmetic, SoftmaxOfEqualLogitsIsUniform) {
  SoftmaxParams params = softmaxParams(1.0, 0.1);
  int8_t in[4] = {10, 10, 10, 10}, out[4];
  softmaxRowReference(params, in, out, 4, -128);
  for (int8_t v : out)
    EXPECT_EQ(v, -64); // 0.25 * 256 - 128
  int8_t in2[2] = {-3, -3}, out2[2];
  softmaxRowReference(params, in2, out2, 2, -128);
  EXPECT_EQ(out2[0], 0); // 0.5 * 256 - 128
}

TEST(TflmArithmetic, SoftmaxSaturatesOnDominantLogit) {
  SoftmaxParams params = softmaxParams(1.0, 0.1);
  int8_t in[3] = {127, -128, -128}, out[3];
  softmaxRowReference(params, in, out, 3, -128);
  EXPECT_EQ(out[0], 127); // 1.0 * 256 - 128 = 128, clamped
  EXPECT_EQ(out[1], -128);
  EXPECT_EQ(out[2], -128);
}

TEST(TflmArithmetic, LogisticAndTanhCentres) {
  // At the zero point the logistic is 1/2: 128 - 128 = 0 (int8) or 128.
  EXPECT_EQ(logisticInt8(5, 0.1, 5), 0);
  EXPECT_EQ(logisticUInt8(140, 0.1, 140), 128);
  EXPECT_EQ(logisticInt8(127, 0.1, -128), 127);
  EXPECT_EQ(logisticInt8(-128, 0.1, 127), -128);
  EXPECT_EQ(logisticUInt8(255, 0.1, 0), 255);
  EXPECT_EQ(logisticUInt8(0, 0.1, 255), 0);
  EXPECT_EQ(tanhInt8(-7, 0.05, -7), 0);
  EXPECT_EQ(tanhUInt8(100, 0.05, 100), 128);
  EXPECT_EQ(tanhUInt8(255, 0.1, 0), 255);
  // logistic(1.0) = 0.7311 -> round(0.7311 * 256) = 187 (uint8).
  EXPECT_EQ(logisticUInt8(138, 0.1, 128), 187);
  // tanh(1.0) = 0.7616 -> round(0.7616 * 128) = 97 (int8, zero point 0).
  EXPECT_EQ(tanhInt8(10, 0.1, 0), 97);
}

TEST(TflmArithmetic, ActivationRanges) {
  int32_t lo = 0, hi = 0;
  activationRange(FusedActivation::Relu6, 0.1, -128, -128, 127, lo, hi);
  EXPECT_EQ(lo, -128);
  EXPECT_EQ(hi, -68); // -128 + 6 / 0.1
  activationRange(FusedActivation::Relu, 0.1, 3, -128, 127, lo, hi);
  EXPECT_EQ(lo, 3);
  EXPECT_EQ(hi, 127);
  // uint8 model in the int8 domain: zero point 10 becomes -118.
  activationRange(FusedActivation::ReluN1To1, 0.02, -118, -128, 127, lo, hi);
  EXPECT_EQ(lo, -128); // max(-128, -118 - 50)
  EXPECT_EQ(hi, -68);  // -118 + 50
}

TEST(TflmArithmetic, MeanFoldsTheCountIntoTheMultiplier) {
  // Equal input and output scales: 1.0 is 2^30 * 2^(1 - 31). A 7x7 global
  // average (49 elements) folds 2^5 / 49 in: (2^30 << 5) / 49 = 701219150.
  const QuantizedMultiplier unit = quantizeMultiplier(1.0);
  ASSERT_EQ(unit.multiplier, 1 << 30);
  ASSERT_EQ(unit.shift, 1);
  const QuantizedMultiplier folded = foldMeanCount(unit, 49);
  EXPECT_EQ(folded.multiplier, 701219150);
  EXPECT_EQ(folded.shift, -4);
  // Sums of (x - zero point): 490 / 49 = 10 exactly; 514 / 49 = 10.49 but
  // TFLM's two roundings give 11 (514 * 701219150 / 2^31 = 167.84 -> 168,
  // 168 / 16 = 10.5 -> 11), which a plain round(sum / n) would not.
  EXPECT_EQ(multiplyByQuantizedMultiplier(490, folded), 10);
  EXPECT_EQ(multiplyByQuantizedMultiplier(514, folded), 11);
  EXPECT_EQ(multiplyByQuantizedMultiplier(-514, folded), -11);
  EXPECT_EQ(multiplyByQuantizedMultiplier(1000, folded), 20);
  // The fold is capped at 32 bits and at 31 + shift (so that the shift
  // stays >= -31).
  EXPECT_EQ(foldMeanCount(unit, int64_t(1) << 40).shift, 1 - 32);
  const QuantizedMultiplier tiny{1 << 30, -29};
  EXPECT_EQ(foldMeanCount(tiny, 1024).shift, -31);
  EXPECT_EQ(foldMeanCount(tiny, 1024).multiplier, (1 << 30) / 256); // << 2
}

// TFLite's int16 LOGISTIC/TANH table: sigmoid(i / 24) in 0.16 with the
// curvature correction. Entries checked against TFLite's own table: 4 is one
// where plain rounding of 65536 sigmoid(i / 24) (35492) is one too low.
TEST(TflmArithmetic, SigmoidTable16MatchesTfLite) {
  const std::array<int32_t, 256> &t = sigmoidTable16();
  EXPECT_EQ(t[0], 32768);
  EXPECT_EQ(t[1], 33451);
  EXPECT_EQ(t[4], 35493);
  EXPECT_EQ(t[24], 47911);
  EXPECT_EQ(t[255], 65535);
  for (int i = 1; i < 256; ++i)
    EXPECT_LE(t[i - 1], t[i]) << "not monotonic at " << i;
}

// TFLM's int16 LOGISTIC/TANH input scaling: a power-of-two scale takes the
// kernel's shortcut (3 << shift, no shift); others a multiplier below 2^15.
TEST(TflmArithmetic, Int16SigmoidScaling) {
  Int16SigmoidScaling s;
  ASSERT_TRUE(int16SigmoidScaling(1.0f / 4096, 1.0f / 32768, false, s));
  EXPECT_EQ(s.multiplier, 3);
  EXPECT_EQ(s.leftShift, 0);
  ASSERT_TRUE(int16SigmoidScaling(1.0f / 2048, 1.0f / 32768, true, s));
  EXPECT_EQ(s.multiplier, 6);
  EXPECT_EQ(s.leftShift, 0);
  ASSERT_TRUE(int16SigmoidScaling(0.0003f, 1.0f / 32768, false, s));
  EXPECT_GT(s.multiplier, 32767 / 2);
  EXPECT_LE(s.multiplier, 32767);
  // The output must be 2^-15.
  EXPECT_FALSE(int16SigmoidScaling(1.0f / 4096, 1.0f / 256, false, s));
}
