//===- TflmArithmetic.h - TFLite Micro's integer arithmetic -----*- C++ -*-===//
//
// Scalar re-implementations of the fixed-point arithmetic that TensorFlow Lite
// Micro's reference kernels use (TFLite's quantization utilities and the
// gemmlowp fixed-point math they build on). The importer calls these at
// compile time to derive TOSA rescale multipliers and lookup tables, so that
// the generated code reproduces TFLM bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_SUPPORT_TFLMARITHMETIC_H
#define FUSEDTILING_SUPPORT_TFLMARITHMETIC_H

#include <array>
#include <cstdint>
#include <vector>

namespace ft::tflm {

/// A real multiplier as TFLite encodes it: value ~= multiplier * 2^(shift-31),
/// with multiplier in [2^30, 2^31) (or 0).
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int shift = 0;
};

/// std::round to int32, saturating (NaN gives 0): TFLite's float-to-int
/// conversions overflow only for absurd scales, which must not be undefined
/// behaviour here.
int32_t saturatingRound(double value);

/// TFLite's QuantizeMultiplier (frexp, round half away from zero, with the
/// 2^31 and shift < -31 corner cases).
QuantizedMultiplier quantizeMultiplier(double realMultiplier);

/// TFLM's quantized MEAN (reference_ops::QuantizedMeanOrSum) folds the
/// division by the element count into the in/out multiplier: the
/// multiplier shifted left by min(floor(log2 count), 32, 31 + shift), then
/// divided by count (truncating), the shift lowered by as much.
QuantizedMultiplier foldMeanCount(QuantizedMultiplier m, int64_t count);

/// gemmlowp's SaturatingRoundingDoublingHighMul.
int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b);

/// gemmlowp's RoundingDivideByPOT (round half away from zero).
int32_t roundingDivideByPOT(int32_t x, int exponent);

/// TFLite's MultiplyByQuantizedMultiplier (the double-rounding variant that
/// TFLM uses by default).
int32_t multiplyByQuantizedMultiplier(int32_t x, QuantizedMultiplier m);

/// TOSA's shift operand for a TFLite multiplier: TOSA computes
/// (x * multiplier) >> shift, TFLite x * multiplier * 2^(shift - 31).
int tosaShift(QuantizedMultiplier m);

/// gemmlowp exp_on_negative_values for a Q(integerBits) input; result is Q0.
int32_t expOnNegativeValues(int32_t raw, int integerBits);

/// gemmlowp one_over_one_plus_x_for_x_in_0_1 on Q0 raw values.
int32_t oneOverOnePlusXForXIn01(int32_t raw);

/// TFLM's log_x_for_x_greater_than_or_equal_to_1 of a Q(inputIntegerBits)
/// value, in Q(outputIntegerBits).
int32_t logXForXGreaterEqual1(int32_t raw, int inputIntegerBits,
                              int outputIntegerBits);

/// gemmlowp logistic and tanh on a Q(integerBits) input; result is Q0.
int32_t logistic(int32_t raw, int integerBits);
int32_t tanh(int32_t raw, int integerBits);

/// TFLite's CalculateInputRadius.
int calculateInputRadius(int inputIntegerBits, int inputLeftShift,
                         int totalSignedBits = 31);

/// Parameters of TFLM's int8 softmax (PreprocessSoftmaxScaling with
/// kScaledDiffIntegerBits = 5).
struct SoftmaxParams {
  int32_t inputMultiplier = 0;
  int inputLeftShift = 0;
  int diffMin = 0;
};
SoftmaxParams softmaxParams(double beta, double inputScale);

/// exp(diff) in Q0 for diff = x - max(x) in [-255, 0], as TFLM's int8 softmax
/// computes it, or 0 where diff < diffMin. Index i holds diff = -i.
std::vector<int32_t> softmaxExpTable(const SoftmaxParams &params);

/// One softmax row exactly as TFLM's reference int8 (or uint8) softmax.
/// Used by unit tests to cross-check the TOSA lowering.
void softmaxRowReference(const SoftmaxParams &params, const int8_t *input,
                         int8_t *output, int depth, int outputZeroPoint);
/// The same with an int16 output (scale 1/65536, zero point -32768), which
/// TFLM computes with 16 fraction bits instead of 8.
void softmaxRowReference(const SoftmaxParams &params, const int8_t *input,
                         int16_t *output, int depth);

/// TFLite's 513-entry int16 lookup table of `transform` (LUTPopulateInt16
/// in float): 512 interpolation nodes over the input range, each biased by
/// half the interpolation error at its midpoint, and the end point.
std::vector<int16_t> int16Lut(float inputScale, int32_t inputZeroPoint,
                              float outputScale, int32_t outputZeroPoint,
                              float (*transform)(float));

/// TFLM's int16 SOFTMAX tables: exp on [-10, 0] and 1 / (1 + x) on [0, 1].
struct Int16SoftmaxTables {
  std::vector<int16_t> exp, oneOverOnePlusX;
};
Int16SoftmaxTables int16SoftmaxTables();

/// The multiplier TFLM's int16 SOFTMAX scales input differences by: input
/// scale times beta over 10 / 65535.
QuantizedMultiplier int16SoftmaxInputMultiplier(double beta, double inputScale);

/// TFLite's generic_int16_table_lookup: the table entry at 256 + (v >> 7)
/// interpolated towards the next by (v & 127) / 128, rounded.
int16_t int16TableLookup(int16_t value, const std::vector<int16_t> &lut);

/// TFLM's reference_ops::SoftmaxInt16 for one row (output scale 1/32768).
void int16SoftmaxRowReference(QuantizedMultiplier inputMultiplier,
                              const Int16SoftmaxTables &tables,
                              const int16_t *input, int16_t *output, int depth);

/// The reciprocal step of TFLM's softmax (GetReciprocal).
int32_t getReciprocal(int32_t x, int xIntegerDigits, int &numBitsOverUnit);

/// TFLite's table of sigmoid(i / 24) in 0.16 fixed point that its int16
/// LOGISTIC and TANH interpolate: each entry is 65536 sigmoid(i / 24) plus
/// an eighth of its curvature correction (f(i) - (f(i-1) + f(i+1)) / 2),
/// rounded, which centres the linear interpolation's error; the last entry
/// is the format's largest value. (Checked against TFLite's table entry by
/// entry.)
const std::array<int32_t, 256> &sigmoidTable16();

/// The input scaling of TFLM's int16 LOGISTIC and TANH (their Prepare):
/// `multiplier` and `leftShift` such that (x * multiplier + round) >>
/// leftShift maps the input to 1/(3 * 4096) steps (power-of-two scales
/// take the kernel's shortcut). Fails unless the output scale is 2^-15.
struct Int16SigmoidScaling {
  int32_t multiplier = 0;
  int leftShift = 0;
};
bool int16SigmoidScaling(float inputScale, float outputScale, bool isTanh,
                         Int16SigmoidScaling &scaling);

/// TFLM's int8 HARD_SWISH of one stored value (reference_ops::HardSwish:
/// int16 fixed point on a 2^7 finer input scale, a "reluish" factor in
/// [0, 1] times the rescaled input).
int8_t hardSwishInt8(int8_t input, float inputScale, int32_t inputZeroPoint,
                     float outputScale, int32_t outputZeroPoint);

/// TFLite's GetInvSqrtQuantizedMultiplierExp with reverse shift -1: 1/sqrt
/// of an integer by Newton-Raphson in gemmlowp fixed point, as a multiplier
/// and a (left) shift.
QuantizedMultiplier invSqrtQuantizedMultiplier(int32_t input);

/// TFLM's quantized RSQRT of one value already minus its zero point (> 0),
/// scaled by `outputMultiplier` (1 / (sqrt(inScale) * outScale)), before the
/// output zero point.
int32_t quantizedRsqrt(int32_t value, QuantizedMultiplier outputMultiplier);

/// TFLM's int8 LOGISTIC / TANH for one input value.
int8_t logisticInt8(int8_t input, double inputScale, int32_t inputZeroPoint);
int8_t tanhInt8(int8_t input, double inputScale, int32_t inputZeroPoint);

/// TFLite's legacy uint8 LOGISTIC for one input value (output scale 1/256,
/// zero point 0).
uint8_t logisticUInt8(uint8_t input, double inputScale, int32_t inputZeroPoint);

/// TFLite's legacy uint8 TANH for one input value (output scale 1/128, zero
/// point 128).
uint8_t tanhUInt8(uint8_t input, double inputScale, int32_t inputZeroPoint);

/// TFLite's quantized activation range for a fused activation on an 8-bit
/// output (CalculateActivationRangeQuantized).
enum class FusedActivation { None, Relu, ReluN1To1, Relu6 };
void activationRange(FusedActivation act, double scale, int32_t zeroPoint,
                     int32_t qmin, int32_t qmax, int32_t &lo, int32_t &hi);

} // namespace ft::tflm

#endif // FUSEDTILING_SUPPORT_TFLMARITHMETIC_H
