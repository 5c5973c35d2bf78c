//===- ApplyScale.cpp - tosa.apply_scale in 32-bit steps ------------------===//

#include "FusedTiling/Support/ApplyScale.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <limits>

namespace ft {

namespace {
bool fitsInt32(int64_t value) {
  return value >= std::numeric_limits<int32_t>::min() &&
         value <= std::numeric_limits<int32_t>::max();
}

/// (x * m + 2^31) >> 32 on 64 bits: x and m are 32-bit, so x * m cannot
/// overflow.
int64_t roundingHighMultiply(int64_t x, int64_t multiplier) {
  return llvm::divideFloorSigned(x * multiplier + (int64_t(1) << 31),
                                 int64_t(1) << 32);
}

/// (x * m) >> 32 on 64 bits.
int64_t highMultiply(int64_t x, int64_t multiplier) {
  return llvm::divideFloorSigned(x * multiplier, int64_t(1) << 32);
}

/// `steps` with `addend` when every value in [valueMin, valueMax] keeps
/// each 32-bit step of `form` from wrapping: v << L, and the sum before the
/// last shift, sign term included (y is monotonic in v).
std::optional<ApplyScaleSteps> checked(ApplyScaleForm form,
                                       ApplyScaleSteps steps, int64_t addend,
                                       int64_t valueMin, int64_t valueMax,
                                       int32_t multiplier) {
  if (steps.leftShift > 31 || steps.rightShift > 31 || !fitsInt32(addend))
    return std::nullopt;
  const int64_t shiftedMin = valueMin * (int64_t(1) << steps.leftShift);
  const int64_t shiftedMax = valueMax * (int64_t(1) << steps.leftShift);
  if (!fitsInt32(shiftedMin) || !fitsInt32(shiftedMax))
    return std::nullopt;
  auto high = [&](int64_t shifted) {
    const int64_t y = form == ApplyScaleForm::Truncating
                          ? highMultiply(shifted, multiplier)
                          : roundingHighMultiply(shifted, multiplier);
    return form == ApplyScaleForm::Double ? 2 * y : y;
  };
  const int64_t highA = high(shiftedMin), highB = high(shiftedMax);
  const int64_t sign = steps.addsSign ? int64_t(1) << steps.signShift : 0;
  if (!fitsInt32(std::min(highA, highB) + addend - sign) ||
      !fitsInt32(std::max(highA, highB) + addend))
    return std::nullopt;
  steps.addend = static_cast<int32_t>(addend);
  return steps;
}
} // namespace

int32_t applyScaleReference(int32_t value, int32_t multiplier, int shift,
                            bool doubleRound) {
  // The definition needs up to 93 bits (v * m + round, for any s in
  // [2, 62]); |v * m| < 2^62, so only the rounding term is added in pieces.
  const int64_t product = int64_t(value) * multiplier;
  int64_t round = int64_t(1) << (shift - 1);
  if (doubleRound && shift > 31)
    round += value >= 0 ? (int64_t(1) << 30) : -(int64_t(1) << 30);
  // product + round stays within 2^63: |product| < 2^62, round <= 2^61.
  return static_cast<int32_t>(
      llvm::divideFloorSigned(product + round, int64_t(1) << shift));
}

std::optional<ApplyScaleSteps>
planApplyScale(ApplyScaleForm form, int64_t valueMin, int64_t valueMax,
               int32_t multiplier, int shift, int32_t zeroPoint) {
  if (shift < 2 || shift > 62 || valueMin > valueMax || !fitsInt32(valueMin) ||
      !fitsInt32(valueMax))
    return std::nullopt;
  ApplyScaleSteps steps;
  if (form == ApplyScaleForm::Truncating) {
    // The smallest j that makes every addend integral.
    const int j = std::max(2, 33 - shift);
    steps.leftShift = j;
    steps.rightShift = shift - 32 + j;
    steps.addsSign = shift > 31;
    steps.signShift = j - 1;
    const int64_t addend =
        (int64_t(1) << (shift - 33 + j)) +
        (steps.addsSign ? int64_t(1) << (j - 2) : 0) +
        int64_t(zeroPoint) * (int64_t(1) << steps.rightShift);
    return checked(form, steps, addend, valueMin, valueMax, multiplier);
  }
  steps.leftShift = (shift < 31 ? 31 - shift : 0) + 1;
  const int exponent = shift > 31 ? shift - 31 : 0;
  if (form == ApplyScaleForm::Half && exponent < 1)
    return std::nullopt;
  steps.rightShift = form == ApplyScaleForm::Half ? exponent : exponent + 1;
  const int64_t addend = (int64_t(1) << (steps.rightShift - 1)) +
                         int64_t(zeroPoint) * (int64_t(1) << steps.rightShift);
  return checked(form, steps, addend, valueMin, valueMax, multiplier);
}

int32_t evaluateApplyScale(ApplyScaleForm form, const ApplyScaleSteps &steps,
                           int32_t value, int32_t multiplier) {
  const auto shifted =
      static_cast<int32_t>(static_cast<uint32_t>(value) << steps.leftShift);
  auto high = static_cast<uint32_t>(
      static_cast<int32_t>(form == ApplyScaleForm::Truncating
                               ? highMultiply(shifted, multiplier)
                               : roundingHighMultiply(shifted, multiplier)));
  if (form == ApplyScaleForm::Double)
    high <<= 1;
  const uint32_t sign =
      steps.addsSign && value < 0 ? ~0u << steps.signShift : 0u;
  const uint32_t sum = high + static_cast<uint32_t>(steps.addend) + sign;
  // Arithmetic shift of the wrapped sum, as the generated code does.
  return static_cast<int32_t>(
      llvm::divideFloorSigned(static_cast<int64_t>(static_cast<int32_t>(sum)),
                              int64_t(1) << steps.rightShift));
}

} // namespace ft
