//===- ApplyScale.h - tosa.apply_scale in 32-bit steps ----------*- C++ -*-===//
//
// TOSA's apply_scale with double rounding (what TFLite's
// MultiplyByQuantizedMultiplier becomes) is defined on a 64-bit product:
//
//   (v * m + 2^(s-1) + (s > 31 ? (v >= 0 ? 2^30 : -2^30) : 0)) >> s
//
// When the range of v is known at compile time, the same value comes out of a
// rounding high multiply and one 32-bit shift: with L = max(0, 31 - s) + 1,
// e = max(0, s - 31) and y = (v * 2^L * m + 2^31) >> 32 (Arm's SMMULR; on
// RISC-V mulh plus the low half's top bit), sign = v >> 31:
//
//   e >= 1: (y + 2^(e-1) + sign) >> e                 ("half" form)
//   any e:  (2y + 2^e + sign) >> (e + 1)             ("double" form)
//
// Both are exact for every v whose v * 2^L fits in 32 bits. A constant z
// added to the result (the output zero point) folds into the addend as
// z * 2^e (half) or z * 2^(e+1) (double) when the sum cannot overflow.
//
// Without a rounding high multiply (RISC-V: mulh alone, no mul for the low
// half's carry), the rounding moves into the addend: with j >= 2,
// j >= 33 - s and hi = (v * 2^j * m) >> 32,
//
//   truncating: (hi + d + (s > 31 ? (v >> 31) << (j-1) : 0)) >> (s-32+j),
//   d = 2^(s-33+j) + (s > 31 ? 2^(j-2) : 0) + z * 2^(s-32+j),
//
// from floor((floor(A / 2^a) + b) / 2^c) = floor((A + b * 2^a) / 2^(a+c)).
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_SUPPORT_APPLYSCALE_H
#define FUSEDTILING_SUPPORT_APPLYSCALE_H

#include <cstdint>
#include <optional>

namespace ft {

enum class ApplyScaleForm { Half, Double, Truncating };

/// One channel's constants of the 32-bit sequence.
struct ApplyScaleSteps {
  int leftShift = 1;     // L (or j): v << L before the high multiply
  int32_t addend = 0;    // 2^(e-1) (half), 2^e (double) or d, plus z's share
  int rightShift = 1;    // e (half), e + 1 (double) or s - 32 + j
  bool addsSign = true;  // whether (v >> 31) << signShift is added
  int signShift = 0;     // 0 (half, double) or j - 1 (truncating)
};

/// TOSA's apply_scale on 64-bit arithmetic (the definition above).
int32_t applyScaleReference(int32_t value, int32_t multiplier, int shift,
                            bool doubleRound);

/// The constants for one channel with multiplier `m` and shift `s`, for every
/// v in [valueMin, valueMax], adding `zeroPoint` to the result; nullopt when
/// some v would overflow a 32-bit step (then the 64-bit product is needed)
/// or the form does not fit the shift (half needs s >= 32). The rounding
/// forms' high multiply rounds, the truncating form's does not.
std::optional<ApplyScaleSteps>
planApplyScale(ApplyScaleForm form, int64_t valueMin, int64_t valueMax,
               int32_t multiplier, int shift, int32_t zeroPoint);

/// The 32-bit sequence itself, wrapping like the generated code.
int32_t evaluateApplyScale(ApplyScaleForm form, const ApplyScaleSteps &steps,
                           int32_t value, int32_t multiplier);

} // namespace ft

#endif // FUSEDTILING_SUPPORT_APPLYSCALE_H
