//===- TflmArithmetic.cpp - TFLite Micro's integer arithmetic -------------===//

#include "FusedTiling/Support/TflmArithmetic.h"

#include "llvm/ADT/bit.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ft::tflm {

namespace {
constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();

/// x * 2^exponent saturated to int32 (exponent >= 0) without overflow for
/// any exponent: only absurd quantization scales get there, and those must
/// still not be undefined behaviour at import time.
int32_t saturatingShiftLeft(int32_t x, int exponent) {
  if (x == 0)
    return 0;
  if (exponent >= 32)
    return x > 0 ? kInt32Max : kInt32Min;
  const int64_t wide = static_cast<int64_t>(x) * (int64_t(1) << exponent);
  return static_cast<int32_t>(std::clamp<int64_t>(wide, kInt32Min, kInt32Max));
}

// gemmlowp's SaturatingRoundingMultiplyByPOT for a compile-time exponent.
int32_t saturatingRoundingMultiplyByPOT(int32_t x, int exponent) {
  return exponent >= 0 ? saturatingShiftLeft(x, exponent)
                       : roundingDivideByPOT(x, -exponent);
}

// gemmlowp's Rescale<dstIntegerBits> from srcIntegerBits.
int32_t rescale(int32_t raw, int srcIntegerBits, int dstIntegerBits) {
  return saturatingRoundingMultiplyByPOT(raw, srcIntegerBits - dstIntegerBits);
}

// FixedPoint<a> * FixedPoint<b>: the raw product is a doubling high multiply.
int32_t fixedMul(int32_t a, int32_t b) {
  return saturatingRoundingDoublingHighMul(a, b);
}

int32_t roundingHalfSum(int32_t a, int32_t b) {
  const int64_t sum = static_cast<int64_t>(a) + b;
  const int64_t sign = sum >= 0 ? 1 : -1;
  return static_cast<int32_t>((sum + sign) / 2);
}

// exp(x) for x in [-1/4, 0), Q0 in and out: a Taylor expansion around -1/8.
int32_t expOnIntervalNegQuarterTo0(int32_t a) {
  const int32_t constantTerm = 1895147668;    // exp(-1/8)
  const int32_t constantOneThird = 715827883; // 1/3
  const int32_t x = a + (1 << 28);            // a + 1/8
  const int32_t x2 = fixedMul(x, x);
  const int32_t x3 = fixedMul(x2, x);
  const int32_t x4 = fixedMul(x2, x2);
  const int32_t x4Over4 = saturatingRoundingMultiplyByPOT(x4, -2);
  const int32_t poly = saturatingRoundingMultiplyByPOT(
      fixedMul(x4Over4 + x3, constantOneThird) + x2, -1);
  return constantTerm + fixedMul(constantTerm, x + poly);
}
} // namespace

int32_t saturatingRound(double value) {
  if (std::isnan(value))
    return 0;
  const double rounded = std::round(value);
  if (rounded >= static_cast<double>(kInt32Max))
    return kInt32Max;
  if (rounded <= static_cast<double>(kInt32Min))
    return kInt32Min;
  return static_cast<int32_t>(rounded);
}

QuantizedMultiplier quantizeMultiplier(double realMultiplier) {
  QuantizedMultiplier result;
  if (realMultiplier == 0.0 || std::isnan(realMultiplier))
    return result;
  // Scales whose products or quotients overflow float (absurd files):
  // the largest multiplier there is, rather than undefined behaviour.
  if (std::isinf(realMultiplier))
    return {realMultiplier > 0 ? kInt32Max : -kInt32Max, 31};
  int shift = 0;
  const double q = std::frexp(realMultiplier, &shift);
  int64_t qFixed = static_cast<int64_t>(std::round(q * (int64_t(1) << 31)));
  if (qFixed == (int64_t(1) << 31)) {
    qFixed /= 2;
    ++shift;
  }
  if (shift < -31) {
    shift = 0;
    qFixed = 0;
  }
  result.multiplier = static_cast<int32_t>(qFixed);
  result.shift = shift;
  return result;
}

namespace {
// gemmlowp's SaturatingRoundingDoublingHighMul on int16.
int16_t saturatingRoundingDoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min())
    return std::numeric_limits<int16_t>::max();
  const int32_t ab = int32_t(a) * int32_t(b);
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return static_cast<int16_t>((ab + nudge) / (1 << 15));
}

// TFLite's SaturatingDoublingHighMul of hard_swish.h (no rounding).
int16_t saturatingDoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min())
    return std::numeric_limits<int16_t>::max();
  return static_cast<int16_t>((int32_t(a) * int32_t(b)) / (1 << 15));
}

int16_t saturatingLeftShift16(int16_t value, int amount) {
  const int64_t r = int64_t(value) * (int64_t(1) << amount);
  return static_cast<int16_t>(std::clamp<int64_t>(r, -32768, 32767));
}

// TFLite's DownScaleInt32ToInt16Multiplier.
int16_t downScaleToInt16(int32_t multiplier) {
  constexpr int32_t kRoundingOffset = 1 << 15;
  if (multiplier >= kInt32Max - kRoundingOffset)
    return std::numeric_limits<int16_t>::max();
  return static_cast<int16_t>((multiplier + kRoundingOffset) >> 16);
}
} // namespace

const std::array<int32_t, 256> &sigmoidTable16() {
  static const std::array<int32_t, 256> table = [] {
    std::array<int32_t, 256> t{};
    auto f = [](double i) { return 65536.0 / (1.0 + std::exp(-i / 24.0)); };
    for (int i = 0; i < 255; ++i)
      t[i] = static_cast<int32_t>(
          std::round(f(i) + (f(i) - (f(i - 1) + f(i + 1)) / 2) / 8));
    t[255] = 65535;
    return t;
  }();
  return table;
}

namespace {
// TFLite's CheckedLog2, in float as it computes it.
bool checkedLog2(float x, int &log2) {
  const float value = std::log(x) * (1.0f / std::log(2.0f));
  const float rounded = std::round(value);
  log2 = static_cast<int>(rounded);
  return std::abs(value - rounded) < 1e-3f;
}
} // namespace

bool int16SigmoidScaling(float inputScale, float outputScale, bool isTanh,
                         Int16SigmoidScaling &scaling) {
  constexpr int kInputIntegerBits = 3;
  int outputLog2 = 0;
  if (!checkedLog2(outputScale, outputLog2) || outputLog2 != -15)
    return false;
  int inputLog2 = 0;
  bool powerOfTwo = checkedLog2(inputScale, inputLog2);
  scaling.leftShift = (15 - kInputIntegerBits) + inputLog2;
  powerOfTwo &= scaling.leftShift == 0 || (isTanh && scaling.leftShift == 1);
  if (powerOfTwo) {
    // The kernel's shortcut for a multiplier of 0.
    scaling.multiplier = 3 << scaling.leftShift;
    scaling.leftShift = 0;
    return true;
  }
  double multiplier = static_cast<double>(inputScale) * 4096.0 * 3.0;
  scaling.leftShift = 0;
  while (multiplier <= 32767.0 / 2.0 && scaling.leftShift <= 30) {
    ++scaling.leftShift;
    multiplier *= 2.0;
  }
  scaling.multiplier = static_cast<int32_t>(multiplier);
  return scaling.multiplier <= 32767;
}

int8_t hardSwishInt8(int8_t input, float inputScale, int32_t inputZeroPoint,
                     float outputScale, int32_t outputZeroPoint) {
  const float hiresInputScale = (1.0f / 128.0f) * inputScale;
  const float reluishScale = 3.0f / 32768.0f;
  const QuantizedMultiplier output =
      quantizeMultiplier(static_cast<double>(hiresInputScale / outputScale));
  const QuantizedMultiplier reluish =
      quantizeMultiplier(static_cast<double>(hiresInputScale / reluishScale));
  const int16_t outputMultiplier = downScaleToInt16(output.multiplier);
  const int16_t reluishMultiplier = downScaleToInt16(reluish.multiplier);

  const int16_t value = static_cast<int16_t>(input - inputZeroPoint);
  const int16_t hires = static_cast<int16_t>(value * (1 << 7));
  const int16_t preshiftOutput =
      saturatingRoundingDoublingHighMul16(hires, outputMultiplier);
  int16_t r = hires;
  if (reluish.shift > 0)
    r = saturatingLeftShift16(r, reluish.shift - 1);
  r = saturatingRoundingDoublingHighMul16(r, reluishMultiplier);
  if (reluish.shift > 0)
    r = saturatingLeftShift16(r, 1);
  if (reluish.shift < 0)
    r = static_cast<int16_t>(roundingDivideByPOT(r, -reluish.shift));
  r = static_cast<int16_t>((int32_t(r) + (1 << 15)) >> 1);
  const int16_t preshift = saturatingDoublingHighMul16(r, preshiftOutput);
  int16_t out =
      static_cast<int16_t>(roundingDivideByPOT(preshift, -output.shift));
  out = static_cast<int16_t>(out + outputZeroPoint);
  return static_cast<int8_t>(std::clamp<int16_t>(out, -128, 127));
}

QuantizedMultiplier invSqrtQuantizedMultiplier(int32_t input) {
  if (input <= 1)
    return {kInt32Max, 0};
  int shift = 11;
  while (input >= (1 << 29)) {
    input /= 4;
    ++shift;
  }
  const int maxLeftShiftBits =
      llvm::countl_zero(static_cast<uint32_t>(input)) - 1;
  const int leftShiftBitPairs = maxLeftShiftBits / 2 - 1;
  shift -= leftShiftBitPairs;
  input <<= 2 * leftShiftBitPairs;
  // Q3 Newton-Raphson from x = 1, five iterations.
  const int32_t halfInput = roundingDivideByPOT(input >> 1, 1);
  const int32_t halfThree = (1 << 28) + (1 << 27);
  int32_t x = 1 << 28;
  for (int i = 0; i < 5; ++i) {
    const int32_t x3 = rescale(fixedMul(fixedMul(x, x), x), 9, 3);
    // Q6 difference; gemmlowp subtracts the raw values with wrapping.
    const int32_t diff =
        static_cast<int32_t>(static_cast<uint32_t>(fixedMul(halfThree, x)) -
                             static_cast<uint32_t>(fixedMul(halfInput, x3)));
    x = rescale(diff, 6, 3);
  }
  x = fixedMul(x, 1518500250); // sqrt(2) / 2 in Q0
  if (shift < 0) {
    x = static_cast<int32_t>(static_cast<uint32_t>(x) << -shift);
    shift = 0;
  }
  return {x, -shift};
}

int32_t quantizedRsqrt(int32_t value, QuantizedMultiplier outputMultiplier) {
  constexpr int kShift = 20; // keeps the intermediate an integer
  const QuantizedMultiplier invSqrt = invSqrtQuantizedMultiplier(value);
  const int32_t data = multiplyByQuantizedMultiplier(
      1, {invSqrt.multiplier, invSqrt.shift + kShift});
  return multiplyByQuantizedMultiplier(
      data, {outputMultiplier.multiplier, outputMultiplier.shift - kShift});
}

QuantizedMultiplier foldMeanCount(QuantizedMultiplier m, int64_t count) {
  if (count <= 0)
    return m;
  int fold = llvm::Log2_64(static_cast<uint64_t>(count));
  fold = std::min(fold, 32);
  fold = std::min(fold, 31 + m.shift);
  if (fold < 0)
    return m;
  QuantizedMultiplier result;
  result.multiplier = static_cast<int32_t>(
      (static_cast<int64_t>(m.multiplier) << fold) / count);
  result.shift = m.shift - fold;
  return result;
}

int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == b && a == kInt32Min)
    return kInt32Max;
  const int64_t ab = static_cast<int64_t>(a) * b;
  const int64_t nudge = ab >= 0 ? (int64_t(1) << 30) : (1 - (int64_t(1) << 30));
  return static_cast<int32_t>((ab + nudge) / (int64_t(1) << 31));
}

int32_t roundingDivideByPOT(int32_t x, int exponent) {
  // |x| < 2^31: beyond 31 the quotient rounds to 0 (and the shifts below
  // would be undefined).
  if (exponent > 31)
    return 0;
  const int32_t mask = static_cast<int32_t>((int64_t(1) << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t multiplyByQuantizedMultiplier(int32_t x, QuantizedMultiplier m) {
  const int leftShift = m.shift > 0 ? m.shift : 0;
  const int rightShift = m.shift > 0 ? 0 : -m.shift;
  return roundingDivideByPOT(
      saturatingRoundingDoublingHighMul(saturatingShiftLeft(x, leftShift),
                                        m.multiplier),
      rightShift);
}

int tosaShift(QuantizedMultiplier m) { return 31 - m.shift; }

int32_t expOnNegativeValues(int32_t a, int integerBits) {
  const int fractionalBits = 31 - integerBits;
  const int32_t oneQuarter = int32_t(1) << (fractionalBits - 2);
  const int32_t mask = oneQuarter - 1;
  const int32_t aModQuarterMinusOneQuarter = (a & mask) - oneQuarter;
  int32_t result = expOnIntervalNegQuarterTo0(
      rescale(aModQuarterMinusOneQuarter, integerBits, 0));
  const int32_t remainder = aModQuarterMinusOneQuarter - a;

  // Multiply in exp(-2^k) for every bit k of the remainder.
  struct BarrelStep {
    int exponent;
    int32_t multiplier;
  };
  static constexpr BarrelStep steps[] = {
      {-2, 1672461947}, {-1, 1302514674}, {0, 790015084}, {1, 290630308},
      {2, 39332535},    {3, 720401},      {4, 242}};
  for (const BarrelStep &step : steps) {
    if (integerBits > step.exponent) {
      const int shiftAmount = fractionalBits + step.exponent;
      if (remainder & (int32_t(1) << shiftAmount))
        result = fixedMul(result, step.multiplier);
    }
  }
  if (integerBits > 5) {
    const int32_t clamp = -(int32_t(1) << (36 - integerBits)); // -32.0
    if (a < clamp)
      result = 0;
  }
  if (a == 0)
    result = kInt32Max;
  return result;
}

/// gemmlowp's Newton-Raphson division shared by 1/(1+x) and (1-x)/(1+x):
/// returns 1/((1+a)/2) in Q2 after three iterations from 48/17 - 32/17 d.
static int32_t twoOverOnePlusXQ2(int32_t a) {
  const int32_t halfDenominator = roundingHalfSum(a, kInt32Max);
  const int32_t constant48Over17 = 1515870810;     // Q2
  const int32_t constantNeg32Over17 = -1010580540; // Q2
  const int32_t oneQ2 = int32_t(1) << 29;
  int32_t x = constant48Over17 + fixedMul(halfDenominator, constantNeg32Over17);
  for (int i = 0; i < 3; ++i) {
    const int32_t halfDenominatorTimesX = fixedMul(halfDenominator, x);
    const int32_t oneMinus = oneQ2 - halfDenominatorTimesX;
    x = x + rescale(fixedMul(x, oneMinus), 4, 2);
  }
  return x;
}

int32_t oneOverOnePlusXForXIn01(int32_t a) {
  // ExactMulByPot<-1> keeps the raw value and drops one integer bit (Q2->Q1).
  return rescale(twoOverOnePlusXQ2(a), 1, 0);
}

static int32_t oneMinusXOverOnePlusXForXIn01(int32_t a) {
  return rescale(twoOverOnePlusXQ2(a) - (int32_t(1) << 29), 2, 0);
}

int32_t logXForXGreaterEqual1(int32_t raw, int inputIntegerBits,
                              int outputIntegerBits) {
  const int accumIntegerBits = outputIntegerBits + 1;
  const int32_t log2 = 1488522236, sqrtSqrtHalf = 1805811301;
  const int32_t sqrtHalf = 1518500250;
  const int32_t alphaN = 117049297, alphaD = 127690142;
  const int32_t alphaI = 1057819769, alphaF = 638450708;
  const int32_t shiftedQuarter = rescale(536870912, 0, accumIntegerBits);
  auto saturatingAdd = [](int32_t a, int32_t b) {
    return static_cast<int32_t>(
        std::clamp<int64_t>(static_cast<int64_t>(a) + b, kInt32Min, kInt32Max));
  };
  auto saturatingSub = [](int32_t a, int32_t b) {
    return static_cast<int32_t>(
        std::clamp<int64_t>(static_cast<int64_t>(a) - b, kInt32Min, kInt32Max));
  };
  // Two's complement wrapping, as gemmlowp's raw + and -.
  auto wrapAdd = [](int32_t a, int32_t b) {
    return static_cast<int32_t>(static_cast<uint32_t>(a) +
                                static_cast<uint32_t>(b));
  };
  auto wrapSub = [](int32_t a, int32_t b) {
    return static_cast<int32_t>(static_cast<uint32_t>(a) -
                                static_cast<uint32_t>(b));
  };
  const int zaHeadroomPlus1 = llvm::countl_zero(static_cast<uint32_t>(raw));
  const int32_t raTmp = saturatingShiftLeft(raw, zaHeadroomPlus1 - 1);
  const int32_t ra = saturatingShiftLeft(fixedMul(raTmp, sqrtHalf), 1);
  const int32_t zaPow2Adj =
      saturatingAdd(saturatingShiftLeft(inputIntegerBits - zaHeadroomPlus1,
                                        31 - accumIntegerBits),
                    shiftedQuarter);
  const int32_t zb = fixedMul(raw, sqrtHalf);
  const int zbHeadroom = llvm::countl_zero(static_cast<uint32_t>(zb)) - 1;
  const int32_t rb = saturatingShiftLeft(raw, zbHeadroom);
  const int32_t zbPow2Adj = saturatingSub(
      saturatingShiftLeft(inputIntegerBits - zbHeadroom, 31 - accumIntegerBits),
      shiftedQuarter);
  const int32_t r = std::min(ra, rb);
  const int32_t zPow2Adj = std::max(zaPow2Adj, zbPow2Adj);
  const int32_t p = roundingHalfSum(r, sqrtSqrtHalf);
  int32_t q = wrapSub(r, sqrtSqrtHalf);
  q = wrapAdd(q, q);
  const int32_t commonSq = fixedMul(q, q);
  const int32_t num =
      wrapAdd(fixedMul(q, r), fixedMul(fixedMul(q, commonSq), alphaN));
  const int32_t denomMinusOne = wrapAdd(
      fixedMul(p, wrapAdd(wrapAdd(alphaI, q), fixedMul(alphaD, commonSq))),
      fixedMul(alphaF, q));
  const int32_t recipDenom = oneOverOnePlusXForXIn01(denomMinusOne);
  const int32_t numScaled = rescale(num, 0, accumIntegerBits);
  return rescale(
      wrapAdd(fixedMul(zPow2Adj, log2), fixedMul(numScaled, recipDenom)),
      accumIntegerBits, outputIntegerBits);
}

int32_t logistic(int32_t a, int integerBits) {
  if (a == 0)
    return int32_t(1) << 30; // 0.5
  const bool positive = a > 0;
  const int32_t absInput = positive ? a : -a;
  const int32_t resultIfPositive =
      oneOverOnePlusXForXIn01(expOnNegativeValues(-absInput, integerBits));
  return positive ? resultIfPositive : kInt32Max - resultIfPositive;
}

int32_t tanh(int32_t a, int integerBits) {
  if (a == 0)
    return 0;
  const bool negative = a < 0;
  const int32_t n = negative ? a : -a;
  // exp(2n): ExactMulByPot<1> keeps the raw value, one more integer bit.
  const int32_t t =
      oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(n, integerBits + 1));
  return negative ? -t : t;
}

int calculateInputRadius(int inputIntegerBits, int inputLeftShift,
                         int totalSignedBits) {
  const double maxInputRescaled =
      std::ldexp(static_cast<double>((1 << inputIntegerBits) - 1),
                 totalSignedBits - inputIntegerBits - inputLeftShift);
  return static_cast<int>(
      std::min(std::floor(maxInputRescaled),
               static_cast<double>(std::numeric_limits<int>::max())));
}

SoftmaxParams softmaxParams(double beta, double inputScale) {
  constexpr int kScaledDiffIntegerBits = 5;
  const double realMultiplier = std::min<double>(
      beta * inputScale *
          static_cast<double>(1 << (31 - kScaledDiffIntegerBits)),
      static_cast<double>((int64_t(1) << 31) - 1));
  QuantizedMultiplier m = quantizeMultiplier(realMultiplier);
  SoftmaxParams params;
  params.inputMultiplier = m.multiplier;
  params.inputLeftShift = m.shift;
  params.diffMin =
      -calculateInputRadius(kScaledDiffIntegerBits, params.inputLeftShift);
  return params;
}

std::vector<int32_t> softmaxExpTable(const SoftmaxParams &params) {
  std::vector<int32_t> table(256, 0);
  for (int i = 0; i < 256; ++i) {
    const int32_t diff = -i;
    if (diff < params.diffMin)
      continue;
    const int32_t rescaled = saturatingRoundingDoublingHighMul(
        saturatingShiftLeft(diff, std::max(params.inputLeftShift, 0)),
        params.inputMultiplier);
    table[i] = expOnNegativeValues(rescaled, 5);
  }
  return table;
}

int32_t getReciprocal(int32_t x, int xIntegerDigits, int &numBitsOverUnit) {
  const int headroomPlusOne =
      x == 0 ? 32 : __builtin_clz(static_cast<uint32_t>(x));
  numBitsOverUnit = xIntegerDigits - headroomPlusOne;
  const int32_t shiftedSumMinusOne = static_cast<int32_t>(
      (static_cast<uint32_t>(x) << headroomPlusOne) - (uint32_t(1) << 31));
  return oneOverOnePlusXForXIn01(shiftedSumMinusOne);
}

namespace {
/// TFLM's reference_ops::Softmax on int8 input for one row; OutputT is
/// int8 (scale 1/256) or int16 (1/65536, zero point -32768).
template <typename OutputT>
void softmaxRow(const SoftmaxParams &params, const int8_t *input,
                OutputT *output, int depth, int outputZeroPoint) {
  constexpr int kAccumulationIntegerBits = 12;
  constexpr int32_t kMin = std::numeric_limits<OutputT>::min();
  constexpr int32_t kMax = std::numeric_limits<OutputT>::max();
  const std::vector<int32_t> expTable = softmaxExpTable(params);
  int32_t maxInRow = -128;
  for (int c = 0; c < depth; ++c)
    maxInRow = std::max<int32_t>(maxInRow, input[c]);
  int32_t sumOfExps = 0;
  for (int c = 0; c < depth; ++c)
    sumOfExps += roundingDivideByPOT(expTable[maxInRow - input[c]],
                                     kAccumulationIntegerBits);
  int numBitsOverUnit = 0;
  const int32_t shiftedScale =
      getReciprocal(sumOfExps, kAccumulationIntegerBits, numBitsOverUnit);
  for (int c = 0; c < depth; ++c) {
    const int32_t diff = input[c] - maxInRow;
    if (diff < params.diffMin) {
      output[c] = static_cast<OutputT>(kMin);
      continue;
    }
    const int32_t unsat = roundingDivideByPOT(
        saturatingRoundingDoublingHighMul(shiftedScale, expTable[-diff]),
        numBitsOverUnit + 31 - 8 * static_cast<int>(sizeof(OutputT)));
    output[c] = static_cast<OutputT>(
        std::clamp<int32_t>(unsat + outputZeroPoint, kMin, kMax));
  }
}
} // namespace

void softmaxRowReference(const SoftmaxParams &params, const int8_t *input,
                         int8_t *output, int depth, int outputZeroPoint) {
  softmaxRow(params, input, output, depth, outputZeroPoint);
}

void softmaxRowReference(const SoftmaxParams &params, const int8_t *input,
                         int16_t *output, int depth) {
  softmaxRow(params, input, output, depth, -32768);
}

std::vector<int16_t> int16Lut(float inputScale, int32_t inputZeroPoint,
                              float outputScale, int32_t outputZeroPoint,
                              float (*transform)(float)) {
  // TFLite's LUTPopulateInt16<float>, operation for operation in float (no
  // contraction into fused multiply-adds, which x86-64 builds of TFLM do not
  // have either): 512 samples, each biased by half the interpolation error
  // at its midpoint, and the end point.
#pragma STDC FP_CONTRACT OFF
  constexpr int32_t kMin = std::numeric_limits<int16_t>::min();
  constexpr int32_t kMax = std::numeric_limits<int16_t>::max();
  const float inputMin = inputScale * static_cast<float>(kMin - inputZeroPoint);
  const float inputMax = inputScale * static_cast<float>(kMax - inputZeroPoint);
  const float outputMin =
      outputScale * static_cast<float>(kMin - outputZeroPoint);
  const float outputMax =
      outputScale * static_cast<float>(kMax - outputZeroPoint);
  constexpr int kSteps = 512;
  const float step = (inputMax - inputMin) / kSteps;
  const float halfStep = step / 2;
  const float scalingInv =
      static_cast<float>(kMax - kMin + 1) / (outputMax - outputMin);
  auto clampToTable = [](float v) {
    return static_cast<int16_t>(
        std::min<float>(std::max<float>(v, kMin), kMax));
  };
  std::vector<int16_t> lut(kSteps + 1);
  for (int i = 0; i < kSteps; ++i) {
    const float value = transform(inputMin + static_cast<float>(i) * step);
    const float midpoint =
        transform(inputMin + static_cast<float>(i) * step + halfStep);
    const float next = transform(inputMin + static_cast<float>(i + 1) * step);
    const float sample = std::round(value * scalingInv);
    const float interpolated = std::round((next * scalingInv + sample) / 2);
    const float exact = std::round(midpoint * scalingInv);
    const float bias = std::round((interpolated - exact) / 2);
    lut[i] = clampToTable(sample - bias);
  }
  lut[kSteps] = clampToTable(std::round(transform(inputMax) * scalingInv));
  return lut;
}

Int16SoftmaxTables int16SoftmaxTables() {
  // TFLM's Prepare: exp on [-10, 0] (exp(-10) is taken as insignificant)
  // and 1 / (1 + x) on [0, 1], both to Q0.15.
  const float range = static_cast<float>(std::numeric_limits<int16_t>::max() -
                                         std::numeric_limits<int16_t>::min());
  Int16SoftmaxTables tables;
  tables.exp =
      int16Lut(10.0f / range, std::numeric_limits<int16_t>::max(), 2.0f / range,
               0, [](float v) -> float { return std::exp(v); });
  tables.oneOverOnePlusX =
      int16Lut(1.0f / range, std::numeric_limits<int16_t>::min(), 2.0f / range,
               0, [](float v) -> float { return 1.0f / (1.0f + v); });
  return tables;
}

QuantizedMultiplier int16SoftmaxInputMultiplier(double beta,
                                                double inputScale) {
  // Input differences in [-65535, 0] map to [-10, 0].
  return quantizeMultiplier(inputScale * beta / (10.0 / 65535.0));
}

int16_t int16TableLookup(int16_t value, const std::vector<int16_t> &lut) {
  const int index = 256 + (value >> 7);
  const int32_t offset = value & 0x7f;
  const int32_t base = lut[index];
  const int32_t slope = lut[index + 1] - lut[index];
  return static_cast<int16_t>(base + ((slope * offset + 64) >> 7));
}

void int16SoftmaxRowReference(QuantizedMultiplier inputMultiplier,
                              const Int16SoftmaxTables &tables,
                              const int16_t *input, int16_t *output,
                              int depth) {
  int32_t maxInRow = std::numeric_limits<int16_t>::min();
  for (int c = 0; c < depth; ++c)
    maxInRow = std::max<int32_t>(maxInRow, input[c]);
  std::vector<int16_t> exps(depth);
  int32_t sum = 0;
  for (int c = 0; c < depth; ++c) {
    const int32_t scaled =
        multiplyByQuantizedMultiplier(input[c] - maxInRow, inputMultiplier);
    const int32_t symmetric =
        std::clamp<int32_t>(scaled + 32767, -32768, 32767);
    exps[c] = int16TableLookup(static_cast<int16_t>(symmetric), tables.exp);
    sum += exps[c];
  }
  const int headroomPlusOne =
      llvm::countl_zero(static_cast<uint32_t>(sum)); // 32 for 0
  const int32_t shiftedSum = static_cast<int32_t>(
      ((static_cast<int64_t>(sum) << (headroomPlusOne - 1)) + (1 << 13)) >> 14);
  const int32_t symmetricSum =
      std::clamp<int32_t>(shiftedSum - ((1 << 15) + (1 << 16)), -32768, 32767);
  const int32_t reciprocal = int16TableLookup(
      static_cast<int16_t>(symmetricSum), tables.oneOverOnePlusX);
  const int rightShift = 31 - headroomPlusOne;
  for (int c = 0; c < depth; ++c) {
    const int64_t result = (static_cast<int64_t>(exps[c]) * reciprocal +
                            (int64_t(1) << (rightShift - 1))) >>
                           rightShift;
    output[c] = static_cast<int16_t>(std::clamp<int64_t>(result, 0, 32767));
  }
}

namespace {
struct SigmoidLikeParams {
  QuantizedMultiplier multiplier;
  int32_t inputRangeRadius;
};

// TFLM's Prepare for int8 LOGISTIC/TANH: input rescaled to Q4.27.
SigmoidLikeParams sigmoidLikeParams(double inputScale) {
  constexpr int kInputIntegerBits = 4;
  const double realMultiplier =
      inputScale * static_cast<double>(1 << (31 - kInputIntegerBits));
  SigmoidLikeParams params;
  int shift = 0;
  const double q = std::frexp(realMultiplier, &shift);
  // As QuantizeMultiplier: a q that rounds up to 2^31 is 2^30 one shift up
  // (int32 cannot hold 2^31).
  int64_t fixed = static_cast<int64_t>(std::round(q * (int64_t(1) << 31)));
  if (fixed == (int64_t(1) << 31)) {
    fixed /= 2;
    ++shift;
  }
  params.multiplier.multiplier = static_cast<int32_t>(fixed);
  params.multiplier.shift = shift;
  params.inputRangeRadius = calculateInputRadius(kInputIntegerBits, shift, 31);
  return params;
}
} // namespace

namespace {
/// How a sigmoid-like kernel maps its Q0 result to the output type.
struct SigmoidLikeOutput {
  int roundingShift; // Q0 to the output's fixed-point format
  int32_t offset;    // the output zero point
  int32_t lo, hi;    // the output type's range
};

/// TFLM's LOGISTIC/TANH structure: inputs beyond the radius saturate, others
/// are rescaled to Q4.27 and passed through gemmlowp's fixed-point function.
int32_t sigmoidLike(int32_t input, double inputScale, int32_t inputZeroPoint,
                    int32_t (*function)(int32_t, int),
                    const SigmoidLikeOutput &out) {
  const SigmoidLikeParams p = sigmoidLikeParams(inputScale);
  const int32_t centered = input - inputZeroPoint;
  if (centered <= -p.inputRangeRadius)
    return out.lo;
  if (centered >= p.inputRangeRadius)
    return out.hi;
  const int32_t inQ4 = multiplyByQuantizedMultiplier(centered, p.multiplier);
  const int32_t result =
      roundingDivideByPOT(function(inQ4, 4), out.roundingShift) + out.offset;
  return std::clamp(result, out.lo, out.hi);
}

// Output formats: int8 logistic is Q0.8 with zero point -128, int8 tanh Q0.7
// with zero point 0; the legacy uint8 kernels use zero points 0 and 128 and
// saturate 256 to 255.
constexpr SigmoidLikeOutput kLogisticInt8{23, -128, -128, 127};
constexpr SigmoidLikeOutput kTanhInt8{24, 0, -128, 127};
constexpr SigmoidLikeOutput kLogisticUInt8{23, 0, 0, 255};
constexpr SigmoidLikeOutput kTanhUInt8{24, 128, 0, 255};
} // namespace

int8_t logisticInt8(int8_t input, double inputScale, int32_t inputZeroPoint) {
  return static_cast<int8_t>(
      sigmoidLike(input, inputScale, inputZeroPoint, logistic, kLogisticInt8));
}

int8_t tanhInt8(int8_t input, double inputScale, int32_t inputZeroPoint) {
  return static_cast<int8_t>(
      sigmoidLike(input, inputScale, inputZeroPoint, tanh, kTanhInt8));
}

uint8_t logisticUInt8(uint8_t input, double inputScale,
                      int32_t inputZeroPoint) {
  return static_cast<uint8_t>(
      sigmoidLike(input, inputScale, inputZeroPoint, logistic, kLogisticUInt8));
}

uint8_t tanhUInt8(uint8_t input, double inputScale, int32_t inputZeroPoint) {
  return static_cast<uint8_t>(
      sigmoidLike(input, inputScale, inputZeroPoint, tanh, kTanhUInt8));
}

void activationRange(FusedActivation act, double scale, int32_t zeroPoint,
                     int32_t qmin, int32_t qmax, int32_t &lo, int32_t &hi) {
  const float fscale = static_cast<float>(scale);
  auto quantize = [&](float f) {
    return static_cast<int32_t>(
        std::clamp<int64_t>(int64_t(zeroPoint) + saturatingRound(f / fscale),
                            kInt32Min, kInt32Max));
  };
  lo = qmin;
  hi = qmax;
  switch (act) {
  case FusedActivation::None:
    break;
  case FusedActivation::Relu:
    lo = std::max(qmin, quantize(0.0f));
    break;
  case FusedActivation::Relu6:
    lo = std::max(qmin, quantize(0.0f));
    hi = std::min(qmax, quantize(6.0f));
    break;
  case FusedActivation::ReluN1To1:
    lo = std::max(qmin, quantize(-1.0f));
    hi = std::min(qmax, quantize(1.0f));
    break;
  }
}

} // namespace ft::tflm
