//===- ApplyScaleTest.cpp - tosa.apply_scale in 32-bit steps --------------===//
//
// The 32-bit sequences against TOSA's 64-bit definition, on every value at
// the ends of the planned range, around zero and at rounding ties, for
// random multipliers, shifts and zero points.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Support/ApplyScale.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

using namespace ft;

namespace {
std::vector<int32_t> probeValues(int64_t lo, int64_t hi, int shift,
                                 std::mt19937 &random) {
  std::vector<int32_t> values = {int32_t(lo), int32_t(hi)};
  for (int64_t v : {int64_t(0), int64_t(1), int64_t(-1)})
    if (v >= lo && v <= hi)
      values.push_back(int32_t(v));
  std::uniform_int_distribution<int64_t> any(lo, hi);
  for (int i = 0; i < 200; ++i)
    values.push_back(int32_t(any(random)));
  // Exact halves of the last step land on ties: v * m = k * 2^(s-1).
  if (shift <= 40)
    for (int64_t k = -3; k <= 3; ++k) {
      const int64_t v = k * (int64_t(1) << (shift - 1));
      if (v >= lo && v <= hi)
        values.push_back(int32_t(v));
    }
  return values;
}
} // namespace

TEST(ApplyScale, ReferenceRoundsAsTosaSpecifies) {
  // 3 * 2^30 / 2^31 = 1.5: half up, then the double round's extra term.
  EXPECT_EQ(applyScaleReference(3, 1 << 30, 31, true), 2);
  EXPECT_EQ(applyScaleReference(-3, 1 << 30, 31, true), -1);
  // s = 32: the double round moves a negative tie away from zero.
  EXPECT_EQ(applyScaleReference(-6, 1 << 30, 32, false), -1); // -1.5 -> -1
  EXPECT_EQ(applyScaleReference(-6, 1 << 30, 32, true), -2);  // -1.5 -> -2
  EXPECT_EQ(applyScaleReference(6, 1 << 30, 32, true), 2);    // 1.5 -> 2
}

TEST(ApplyScale, SequencesEqualTheDefinition) {
  std::mt19937 random(7);
  std::uniform_int_distribution<int32_t> multipliers(0, INT32_MAX);
  std::uniform_int_distribution<int> shifts(2, 62);
  std::uniform_int_distribution<int> zeroPoints(-128, 127);
  std::uniform_int_distribution<int> rangeBits(1, 31);
  int planned[3] = {0, 0, 0};
  for (int trial = 0; trial < 4000; ++trial) {
    const int32_t m = trial % 10 == 0 ? 0 : multipliers(random);
    const int s = trial % 3 == 0 ? 31 + (trial / 3) % 12 : shifts(random);
    const int32_t zp = trial % 2 ? 0 : zeroPoints(random);
    const int bits = rangeBits(random);
    const int64_t hi = (int64_t(1) << (bits - 1)) - 1 + trial % 2;
    const int64_t lo = -(int64_t(1) << (bits - 1)) + (trial % 4 == 1);
    for (ApplyScaleForm form : {ApplyScaleForm::Half, ApplyScaleForm::Double,
                                ApplyScaleForm::Truncating}) {
      std::optional<ApplyScaleSteps> steps =
          planApplyScale(form, lo, hi, m, s, zp);
      if (!steps)
        continue;
      ++planned[static_cast<int>(form)];
      for (int32_t v : probeValues(lo, hi, s, random))
        ASSERT_EQ(evaluateApplyScale(form, *steps, v, m),
                  applyScaleReference(v, m, s, true) + zp)
            << "v=" << v << " m=" << m << " s=" << s << " zp=" << zp
            << " form=" << static_cast<int>(form);
    }
  }
  // Every form was exercised, and often.
  EXPECT_GT(planned[0], 1000);
  EXPECT_GT(planned[1], 500);
  EXPECT_GT(planned[2], 500);
}

TEST(ApplyScale, ClampedAtTheZeroPointNeedsNoSign) {
  // Results clamped below at the zero point or above: without the sign
  // term, a negative value rounds half up, still to at most the zero point.
  std::mt19937 random(11);
  std::uniform_int_distribution<int32_t> multipliers(0, INT32_MAX);
  std::uniform_int_distribution<int> shifts(20, 50);
  std::uniform_int_distribution<int> zeroPoints(-128, 127);
  int checked = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const int32_t m = multipliers(random);
    const int s = shifts(random);
    const int32_t zp = zeroPoints(random);
    const int32_t lo = zp + trial % 3;
    const int64_t range = int64_t(1) << (trial % 24 + 1);
    for (ApplyScaleForm form : {ApplyScaleForm::Half, ApplyScaleForm::Double,
                                ApplyScaleForm::Truncating}) {
      std::optional<ApplyScaleSteps> steps =
          planApplyScale(form, -range, range - 1, m, s, zp);
      if (!steps)
        continue;
      steps->addsSign = false;
      ++checked;
      for (int32_t v : probeValues(-range, range - 1, s, random))
        ASSERT_EQ(std::max(evaluateApplyScale(form, *steps, v, m), lo),
                  std::max(applyScaleReference(v, m, s, true) + zp, lo))
            << "v=" << v << " m=" << m << " s=" << s << " zp=" << zp
            << " form=" << static_cast<int>(form);
    }
  }
  EXPECT_GT(checked, 3000);
}

TEST(ApplyScale, PlansTheRangesOfInt8Layers) {
  // A pointwise layer of 64 int8 channels: |acc| < 2^22, s = 38.
  const int64_t lo = -(1 << 22), hi = (1 << 22) - 1;
  std::optional<ApplyScaleSteps> half =
      planApplyScale(ApplyScaleForm::Half, lo, hi, 1700162964, 38, -128);
  ASSERT_TRUE(half);
  EXPECT_EQ(half->leftShift, 1);
  EXPECT_EQ(half->rightShift, 7);
  EXPECT_EQ(half->addend, 64 - 128 * 128);
  // A multiplier above one (s < 31) shifts left first; e = 0 needs the
  // double form.
  EXPECT_FALSE(planApplyScale(ApplyScaleForm::Half, lo, hi, 1 << 30, 29, 0));
  std::optional<ApplyScaleSteps> left =
      planApplyScale(ApplyScaleForm::Double, lo, hi, 1 << 30, 29, 0);
  ASSERT_TRUE(left);
  EXPECT_EQ(left->leftShift, 3);
  EXPECT_EQ(left->rightShift, 1);
  // Without the rounding multiply: v << 2, d = 2^7 + 1 - 128 * 2^8, the
  // sign shifted by 1, then >> 8.
  std::optional<ApplyScaleSteps> truncating =
      planApplyScale(ApplyScaleForm::Truncating, lo, hi, 1700162964, 38, -128);
  ASSERT_TRUE(truncating);
  EXPECT_EQ(truncating->leftShift, 2);
  EXPECT_EQ(truncating->addend, 128 + 1 - 128 * 256);
  EXPECT_TRUE(truncating->addsSign);
  EXPECT_EQ(truncating->signShift, 1);
  EXPECT_EQ(truncating->rightShift, 8);
  // A range whose doubling wraps is refused: the 64-bit product is needed.
  EXPECT_FALSE(planApplyScale(ApplyScaleForm::Half, INT32_MIN, INT32_MAX,
                              1 << 30, 40, 0));
  EXPECT_FALSE(planApplyScale(ApplyScaleForm::Double, -(1 << 30), 1 << 30,
                              1 << 30, 40, 0));
}
