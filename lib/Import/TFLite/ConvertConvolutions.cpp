//===- ConvertConvolutions.cpp - Convolutions and matrix products ---------===//
//
// Convolution-like TFLite builtins as TOSA convolutions, with TFLM's
// per-channel requantization (8-bit and 16x8) and fused activations.
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

enum class ConvKind { Conv, Depthwise, FullyConnected };

SmallVector<QuantizedMultiplier> convMultipliers(const TensorInfo &in,
                                                 const TensorInfo &w,
                                                 const TensorInfo &out,
                                                 int64_t channels) {
  SmallVector<QuantizedMultiplier> ms;
  const int64_t n = w.scales.size() > 1 ? channels : 1;
  for (int64_t ch = 0; ch < n; ++ch) {
    const double ws = w.scales[w.scales.size() > 1 ? ch : 0];
    ms.push_back(tflm::quantizeMultiplier(static_cast<double>(in.scale()) * ws /
                                          static_cast<double>(out.scale())));
  }
  return ms;
}

/// The constant operands of a TOSA convolution and its accumulator type.
struct ConvConstants {
  Type accType;
  Value weight, bias, inputZp, weightZp;
};

/// What a convolution-like TFLM kernel reads of its operands.
struct ConvOperands {
  unsigned input, filter, bias;
  /// The bias types TFLM's 16x8 kernel takes.
  ArrayRef<tflite::TensorType> int16BiasTypes;
  /// TFLM's kernel never subtracts the filter's zero point.
  bool ignoresFilterZeroPoint = false;
  /// TFLM's 16x8 CONV_2D and FULLY_CONNECTED accumulate in int64 only with
  /// an int64 bias; without a bias or with an int32 one they accumulate in
  /// int32 and rescale with the 32-bit MultiplyByQuantizedMultiplier (two
  /// roundings), unlike the 64-bit one (a 16-bit multiplier, one rounding).
  bool int32AccumulatorUnlessInt64Bias = false;

  /// Whether TFLM's 16x8 kernel accumulates (and rescales) in 64 bits.
  bool accumulates64(Converter &c) const {
    return !int32AccumulatorUnlessInt64Bias ||
           (c.op.hasInput(bias) && c.in(bias).type == tflite::TensorType_INT64);
  }
};

/// Filter, bias and zero points in the form TOSA's convolutions take:
/// quantized 16x8 (i48 accumulator), quantized 8-bit (i32) or float. With
/// an empty `weightShape` no filter is built (the caller builds its own).
FailureOr<ConvConstants>
buildConvConstants(Converter &c, const ConvOperands &operands, bool quantized,
                   ArrayRef<int64_t> weightShape, int64_t outChannels) {
  const TensorInfo &x = c.in(operands.input), &w = c.in(operands.filter),
                   &y = c.out();
  const bool is16 = x.isQuantized16();
  const bool hasBias = c.op.hasInput(operands.bias);
  ConvConstants k;
  Location wLoc = c.g.tensorLoc(w.index);
  Location biasLoc = hasBias ? c.g.tensorLoc(c.in(operands.bias).index) : c.loc;
  if (quantized && is16) {
    k.accType = c.b.getIntegerType(48);
    if (!weightShape.empty())
      k.weight = c.g.constant(wLoc, weightShape, c.b.getI8Type(),
                              ArrayRef<int8_t>(c.g.int8Data(w)));
    if ((!operands.ignoresFilterZeroPoint &&
         llvm::any_of(w.zeroPoints, [](int64_t z) { return z != 0; })) ||
        x.zeroPoint() != 0 || y.zeroPoint() != 0)
      return c.error(y.index) << "16x8 convolutions have zero points 0";
    // TOSA takes an i48 bias.
    std::vector<int64_t> biasData(outChannels, 0);
    if (hasBias) {
      const TensorInfo &bt = c.in(operands.bias);
      if (!llvm::is_contained(operands.int16BiasTypes, bt.type) ||
          bt.numElements() != outChannels) {
        InFlightDiagnostic diag = c.error(bt.index) << "bias must be ";
        llvm::interleave(
            operands.int16BiasTypes, diag,
            [&](tflite::TensorType t) {
              diag << tflite::EnumNameTensorType(t);
            },
            " or ");
        return diag << " with " << outChannels
                    << " elements (what TFLM's 16x8 kernel reads)";
      }
      biasData = c.g.intData(bt);
    }
    SmallVector<APInt> biasBits;
    for (int64_t v : biasData) {
      if (v < -(int64_t(1) << 47) || v >= (int64_t(1) << 47))
        return c.error(c.in(operands.bias).index)
               << "bias " << v << " does not fit an int48 accumulator";
      biasBits.push_back(
          APInt(48, static_cast<uint64_t>(v), /*isSigned=*/true));
    }
    auto biasType = RankedTensorType::get({outChannels}, k.accType);
    k.bias = tosa::ConstOp::create(c.b, biasLoc, biasType,
                                   DenseElementsAttr::get(biasType, biasBits));
    k.inputZp = c.g.zeroPoint(c.loc, c.b.getI16Type(), 0);
    k.weightZp = c.g.zeroPoint(c.loc, c.b.getI8Type(), 0);
  } else if (quantized) {
    k.accType = c.b.getI32Type();
    if (!weightShape.empty())
      k.weight = c.g.constant(wLoc, weightShape, c.b.getI8Type(),
                              ArrayRef<int8_t>(c.g.int8Data(w)));
    for (int64_t z : w.zeroPoints)
      if (z != w.zeroPoints.front())
        return c.error(w.index)
               << "per-channel filter zero points must all be equal";
    const int64_t wZp = operands.ignoresFilterZeroPoint ? 0 : w.zeroPoint();
    std::vector<int32_t> biasData(outChannels, 0);
    if (hasBias) {
      const TensorInfo &bt = c.in(operands.bias);
      if (bt.type != tflite::TensorType_INT32 ||
          bt.numElements() != outChannels)
        return c.error(bt.index)
               << "bias must be int32 with " << outChannels << " elements";
      biasData = c.g.int32Data(bt);
    }
    k.bias = c.g.constant(biasLoc, {outChannels}, c.b.getI32Type(),
                          ArrayRef<int32_t>(biasData));
    k.inputZp = c.g.zeroPoint(c.loc, c.b.getI8Type(), x.zeroPoint());
    k.weightZp = c.g.zeroPoint(c.loc, c.b.getI8Type(), wZp);
  } else {
    k.accType = c.b.getF32Type();
    if (!weightShape.empty())
      k.weight = c.g.constant(
          wLoc, c.g.tensorType(weightShape, c.b.getF32Type()),
          ArrayRef<char>(reinterpret_cast<const char *>(w.data.data()),
                         w.data.size()));
    std::vector<float> biasData(outChannels, 0.0f);
    if (hasBias) {
      const TensorInfo &bt = c.in(operands.bias);
      if (!bt.isFloat() || bt.numElements() != outChannels)
        return c.error(bt.index)
               << "bias must be float32 with " << outChannels << " elements";
      biasData = c.g.floatData(bt);
    }
    k.bias = c.g.constant(biasLoc, {outChannels}, c.b.getF32Type(),
                          ArrayRef<float>(biasData));
    k.inputZp = c.g.zeroPoint(c.loc, c.b.getF32Type(), 0);
    k.weightZp = c.g.zeroPoint(c.loc, c.b.getF32Type(), 0);
  }
  return k;
}

/// A convolution's accumulator to the output type: TFLM's per-channel
/// requantization (16-bit multipliers on int16) and the fused activation.
FailureOr<Value> finishConv(Converter &c, const ConvOperands &operands,
                            bool quantized, Value acc,
                            tflite::ActivationFunctionType act,
                            int64_t outChannels) {
  const TensorInfo &x = c.in(operands.input), &w = c.in(operands.filter),
                   &y = c.out();
  if (quantized && x.isQuantized16()) {
    SmallVector<QuantizedMultiplier> multipliers =
        convMultipliers(x, w, y, outChannels);
    Value rescaled = operands.accumulates64(c)
                         ? c.g.rescale48To16(c.loc, acc, multipliers)
                         : c.g.rescale(c.loc, c.g.narrow48To32(c.loc, acc),
                                       c.b.getI16Type(), multipliers, 0, 0);
    return int16Activation(c, rescaled, act, y);
  }
  if (quantized) {
    Value scaled =
        c.g.rescale(c.loc, acc, c.b.getI8Type(),
                    convMultipliers(x, w, y, outChannels), 0, y.zeroPoint());
    return c.g.quantizedActivation(c.loc, scaled, act, y);
  }
  bool ok = true;
  Value result = c.g.floatActivation(c.op, c.loc, acc, act, ok);
  if (!ok)
    return failure();
  return result;
}

LogicalResult convertConvLike(Converter &c, ConvKind kind) {
  if (failed(c.requireInputs(2)))
    return failure();
  const TensorInfo &x = c.in(0), &w = c.in(1), &y = c.out();
  const bool hasBias = c.op.hasInput(2);
  FailureOr<bool> quantized = c.quantizedKind({x.index, w.index, y.index},
                                              /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  // 16x8: int16 activations, int8 weights, int64 accumulation (TOSA: i48).
  const bool is16 = x.isQuantized16();
  if (is16 != y.isQuantized16() || w.isQuantized16())
    return c.error(y.index) << "16x8 convolutions take int16 input and "
                               "output and int8 weights";
  if (failed(c.requireConstant(1, "filter")))
    return failure();
  if (hasBias && failed(c.requireConstant(2, "bias")))
    return failure();

  int64_t strideH = 1, strideW = 1, dilH = 1, dilW = 1;
  tflite::Padding padding = tflite::Padding_VALID;
  tflite::ActivationFunctionType act = tflite::ActivationFunctionType_NONE;
  SmallVector<int64_t, 4> inShape, weightShape, outShape;
  int64_t outChannels = 0;

  if (kind == ConvKind::FullyConnected) {
    auto *opts = c.options<tflite::FullyConnectedOptions>();
    if (opts) {
      act = opts->fused_activation_function();
      if (opts->weights_format() !=
          tflite::FullyConnectedOptionsWeightsFormat_DEFAULT)
        return c.error() << "shuffled fully connected weights are not "
                            "supported";
    }
    if (failed(c.requireRank(1, 2)))
      return failure();
    outChannels = w.shape[0];
    const int64_t depth = w.shape[1];
    if (depth == 0 || x.numElements() % depth != 0)
      return c.error(x.index) << "has " << x.numElements()
                              << " elements, not a multiple of the filter "
                                 "depth "
                              << depth;
    const int64_t batch = x.numElements() / depth;
    inShape = {batch, 1, 1, depth};
    weightShape = {outChannels, 1, 1, depth};
    outShape = {batch, 1, 1, outChannels};
    if (y.numElements() != batch * outChannels)
      return c.error(y.index) << "has " << y.numElements()
                              << " elements, expected " << batch * outChannels;
  } else {
    if (failed(c.requireRank(0, 4)) || failed(c.requireRank(1, 4)) ||
        failed(c.requireRank(0, 4, /*isOutput=*/true)))
      return failure();
    int64_t kh = w.shape[1], kw = w.shape[2];
    if (kind == ConvKind::Conv) {
      auto *opts = c.options<tflite::Conv2DOptions>();
      if (!opts)
        return c.error() << "missing Conv2DOptions";
      strideH = opts->stride_h();
      strideW = opts->stride_w();
      dilH = opts->dilation_h_factor();
      dilW = opts->dilation_w_factor();
      padding = opts->padding();
      act = opts->fused_activation_function();
      outChannels = w.shape[0];
      if (w.shape[3] == 0 || x.shape[3] % w.shape[3] != 0)
        return c.error(w.index)
               << "filter depth " << w.shape[3]
               << " does not divide the input depth " << x.shape[3];
      if (w.shape[3] != x.shape[3])
        return c.error(w.index)
               << "grouped convolution (filter depth " << w.shape[3]
               << ", input depth " << x.shape[3] << ") is not supported";
      weightShape.assign(w.shape.begin(), w.shape.end());
    } else {
      auto *opts = c.options<tflite::DepthwiseConv2DOptions>();
      if (!opts)
        return c.error() << "missing DepthwiseConv2DOptions";
      strideH = opts->stride_h();
      strideW = opts->stride_w();
      dilH = opts->dilation_h_factor();
      dilW = opts->dilation_w_factor();
      padding = opts->padding();
      act = opts->fused_activation_function();
      outChannels = w.shape[3];
      const int64_t inChannels = x.shape[3];
      if (w.shape[0] != 1 || inChannels == 0 || outChannels % inChannels != 0)
        return c.error(w.index)
               << "depthwise filter shape does not match input depth "
               << inChannels;
      // TFLite [1, KH, KW, C*M] and TOSA [KH, KW, C, M] share one layout.
      weightShape = {kh, kw, inChannels, outChannels / inChannels};
    }
    if (failed(checkSpatial(c, strideH, strideW, dilH, dilW)) ||
        failed(checkWindow(c, x.shape[1], x.shape[2], kh, kw, dilH, dilW)))
      return failure();
    inShape.assign(x.shape.begin(), x.shape.end());
    outShape.assign(y.shape.begin(), y.shape.end());
    if (y.shape[3] != outChannels)
      return c.error(y.index)
             << "has " << y.shape[3] << " channels, the filter produces "
             << outChannels;
  }

  Padding1D ph = computePadding(
      inShape[1], weightShape[kind == ConvKind::Depthwise ? 0 : 1], strideH,
      dilH, padding);
  Padding1D pw = computePadding(
      inShape[2], weightShape[kind == ConvKind::Depthwise ? 1 : 2], strideW,
      dilW, padding);
  if (kind != ConvKind::FullyConnected &&
      (ph.out != outShape[1] || pw.out != outShape[2]))
    return c.error(y.index)
           << "declared spatial size " << outShape[1] << "x" << outShape[2]
           << " does not match the computed " << ph.out << "x" << pw.out;
  if (ph.out <= 0 || pw.out <= 0)
    return c.error() << "the filter is larger than the padded input";

  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  Value inputValue = c.g.reshape(c.loc, *input, inShape);
  const int64_t kernelH = weightShape[kind == ConvKind::Depthwise ? 0 : 1];
  const int64_t kernelW = weightShape[kind == ConvKind::Depthwise ? 1 : 2];
  inputValue =
      sliceSpatial(c.g, c.loc, inputValue,
                   fitWindowToTosa(inShape[1], kernelH, strideH, dilH, ph),
                   fitWindowToTosa(inShape[2], kernelW, strideW, dilW, pw));

  // TFLM's 16x8 depthwise kernel reads only an int64 bias (an int32 one it
  // would read as int64); CONV_2D and FULLY_CONNECTED take both.
  static const tflite::TensorType wideOrNarrowBias[] = {
      tflite::TensorType_INT64, tflite::TensorType_INT32};
  static const tflite::TensorType wideBias[] = {tflite::TensorType_INT64};
  ConvOperands operands{/*input=*/0, /*filter=*/1, /*bias=*/2,
                        wideOrNarrowBias};
  if (kind == ConvKind::Depthwise)
    operands.int16BiasTypes = wideBias;
  else
    operands.int32AccumulatorUnlessInt64Bias = true;
  FailureOr<ConvConstants> k =
      buildConvConstants(c, operands, *quantized, weightShape, outChannels);
  if (failed(k))
    return failure();
  Type accType = k->accType;
  Value weight = k->weight, bias = k->bias, inputZp = k->inputZp,
        weightZp = k->weightZp;

  auto accTensorType = RankedTensorType::get(outShape, accType);
  auto pad =
      c.b.getDenseI64ArrayAttr({ph.before, ph.after, pw.before, pw.after});
  auto stride = c.b.getDenseI64ArrayAttr({strideH, strideW});
  auto dilation = c.b.getDenseI64ArrayAttr({dilH, dilW});
  Value acc;
  if (kind == ConvKind::Depthwise)
    acc = tosa::DepthwiseConv2DOp::create(
        c.b, c.loc, accTensorType, inputValue, weight, bias, inputZp, weightZp,
        pad, stride, dilation, TypeAttr::get(accType), c.b.getBoolAttr(false));
  else
    acc = tosa::Conv2DOp::create(
        c.b, c.loc, accTensorType, inputValue, weight, bias, inputZp, weightZp,
        pad, stride, dilation, TypeAttr::get(accType), c.b.getBoolAttr(false));

  FailureOr<Value> result =
      finishConv(c, operands, *quantized, acc, act, outChannels);
  if (failed(result))
    return failure();
  c.set(c.g.reshape(c.loc, *result, y.shape));
  return success();
}

/// One output phase of a transposed convolution along one axis: the
/// outputs o = firstOutput + n * stride (n < phaseExtent), which TFLM sums
/// from the filter taps firstTap, firstTap + stride, ... (taps of them)
/// over input rows m - t, m = mStart + n. As a stride-1 convolution with
/// those taps reversed: the input sliced to [sliceStart, sliceEnd) and
/// padded by padBefore/padAfter (zero point), so that every one of the
/// phaseExtent outputs has its window.
struct TransposePhase {
  int64_t firstOutput = 0, firstTap = 0, taps = 1;
  bool zero = false; // no tap, or no input row, reaches this phase
  int64_t sliceStart = 0, sliceEnd = 1, padBefore = 0, padAfter = 0;
};

/// A spatial axis of a transposed convolution: input extent, kernel,
/// stride, TFLM's padding (outputs are in * stride - pad + k) and output.
struct TransposePhaseAxis {
  int64_t in, kernel, stride, pad, out;

  /// Outputs per phase (the last phases may cover fewer: their extra
  /// outputs are cut off after the interleaving).
  int64_t phaseExtent() const { return llvm::divideCeil(out, stride); }

  /// Phases holding an output: all residues, unless the stride exceeds the
  /// output (then one output each).
  int64_t phaseCount() const { return std::min(stride, out); }

  /// The phase of the outputs o = residue (mod stride).
  TransposePhase phaseOfResidue(int64_t residue) const {
    return phase((residue + pad) % stride);
  }

  /// The phase whose outputs take the taps k = firstTap (mod stride).
  TransposePhase phase(int64_t firstTap) const {
    TransposePhase p;
    const int64_t extent = phaseExtent();
    p.firstTap = firstTap;
    // The first output o >= 0 with o + pad = firstTap (mod stride).
    p.firstOutput = ((firstTap - pad) % stride + stride) % stride;
    const int64_t taps =
        firstTap < kernel ? llvm::divideCeil(kernel - firstTap, stride) : 0;
    const int64_t mStart = (p.firstOutput + pad - firstTap) / stride;
    // Input rows [mStart - taps + 1, mStart + extent) feed the phase.
    const int64_t windowStart = mStart - (taps - 1);
    const int64_t windowEnd = mStart + extent;
    p.sliceStart = std::max<int64_t>(windowStart, 0);
    p.sliceEnd = std::min<int64_t>(windowEnd, in);
    if (taps == 0 || p.sliceStart >= p.sliceEnd) {
      // Bias only: one zero tap over one input row, padded to the extent.
      p.zero = true;
      p.taps = 1;
      p.sliceStart = 0;
      p.sliceEnd = 1;
      p.padBefore = 0;
      p.padAfter = extent - 1;
      return p;
    }
    p.taps = taps;
    p.padBefore = p.sliceStart - windowStart;
    p.padAfter = windowEnd - p.sliceEnd;
    return p;
  }
};

/// TRANSPOSE_CONV (operands: output shape, filter [OC, KH, KW, IC], input,
/// optional bias). TFLM scatters each input pixel's window to rows
/// `in * stride - pad + k`, where pad is the padding a convolution *from*
/// the output's size would have, and drops what falls outside the output.
/// Built as one convolution per output phase (TransposePhaseAxis), not as
/// tosa.transpose_conv2d, whose lowering keeps a whole-output accumulator.
LogicalResult convertTransposeConv(Converter &c) {
  if (failed(c.requireInputs(3)))
    return failure();
  // TFLM's 16x8 kernel reads an int64 bias, or widens an int16 one (an
  // int32 one it would read as int64: refused below).
  static const tflite::TensorType int16BiasTypes[] = {tflite::TensorType_INT64,
                                                      tflite::TensorType_INT16};
  const ConvOperands operands{/*input=*/2, /*filter=*/1, /*bias=*/3,
                              int16BiasTypes,
                              /*ignoresFilterZeroPoint=*/true};
  const TensorInfo &x = c.in(2), &w = c.in(1), &y = c.out();
  FailureOr<bool> quantized = c.quantizedKind({x.index, w.index, y.index},
                                              /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  if (x.isUnsigned8())
    return c.error(x.index)
           << "uint8 TRANSPOSE_CONV is not supported (TFLM has no uint8 "
              "kernel for it)";
  const bool is16 = x.isQuantized16();
  if (is16 != y.isQuantized16() || w.isQuantized16())
    return c.error(y.index) << "16x8 transposed convolutions take int16 "
                               "input and output and int8 weights";
  if (failed(c.requireConstant(1, "filter")) ||
      (c.op.hasInput(3) && failed(c.requireConstant(3, "bias"))) ||
      failed(c.requireRank(1, 4)) || failed(c.requireRank(2, 4)) ||
      failed(c.requireRank(0, 4, /*isOutput=*/true)))
    return failure();
  auto *opts = c.options<tflite::TransposeConvOptions>();
  if (!opts)
    return c.error() << "missing TransposeConvOptions";
  const int64_t strideH = opts->stride_h(), strideW = opts->stride_w();
  const tflite::ActivationFunctionType act = opts->fused_activation_function();
  if (failed(checkSpatial(c, strideH, strideW, 1, 1)))
    return failure();

  const int64_t outChannels = w.shape[0], kernelH = w.shape[1],
                kernelW = w.shape[2];
  if (w.shape[3] != x.shape[3])
    return c.error(w.index) << "filter depth " << w.shape[3]
                            << " does not match the input depth " << x.shape[3];
  if (y.shape[3] != outChannels || y.shape[0] != x.shape[0])
    return c.error(y.index)
           << "has shape " << y.shape[0] << "x" << y.shape[1] << "x"
           << y.shape[2] << "x" << y.shape[3] << ", expected batch "
           << x.shape[0] << " and " << outChannels << " channels";
  // TFLM ignores the output-shape operand (it takes the output tensor's
  // shape); a constant that disagrees is a broken model.
  const TensorInfo &shapeOperand = c.in(0);
  if (shapeOperand.isConstant &&
      (shapeOperand.type == tflite::TensorType_INT32 ||
       shapeOperand.type == tflite::TensorType_INT64)) {
    std::vector<int64_t> declared = c.g.intData(shapeOperand);
    if (!llvm::equal(declared, y.shape))
      return c.error(shapeOperand.index)
             << "output shape operand disagrees with the output tensor's "
                "shape";
  }
  const int64_t outH = y.shape[1], outW = y.shape[2];
  if (failed(checkWindow(c, outH, outW, kernelH, kernelW, 1, 1)))
    return failure();
  const int64_t padH =
      computePadding(outH, kernelH, strideH, 1, opts->padding()).before;
  const int64_t padW =
      computePadding(outW, kernelW, strideW, 1, opts->padding()).before;
  FailureOr<Value> input = c.value(2);
  if (failed(input))
    return failure();
  FailureOr<ConvConstants> k = buildConvConstants(
      c, operands, *quantized, /*weightShape=*/{}, outChannels);
  if (failed(k))
    return failure();

  // One stride-1 convolution per output phase (row and column residue
  // modulo the stride), each with the filter taps that reach it, reversed:
  // no multiply by an inserted zero, and each phase requantized on its own,
  // so no accumulator of the whole output is ever stored (TFLM keeps one,
  // int32 or int64 per output element). The phases are then interleaved.
  const std::array<TransposePhaseAxis, 2> axes = {
      TransposePhaseAxis{x.shape[1], kernelH, strideH, padH, outH},
      TransposePhaseAxis{x.shape[2], kernelW, strideW, padW, outW}};
  const int64_t qH = axes[0].phaseExtent(), qW = axes[1].phaseExtent();
  const int64_t phasesH = axes[0].phaseCount(), phasesW = axes[1].phaseCount();
  // Real models stride by 2 or 4; the bound keeps absurd ones from building
  // millions of convolutions.
  constexpr int64_t kMaxPhases = 1024;
  if (phasesH * phasesW > kMaxPhases)
    return c.error() << "stride " << strideH << "x" << strideW << " gives "
                     << phasesH * phasesW << " output phases; more than "
                     << kMaxPhases << " are not supported";
  const int64_t batch = x.shape[0], inChannels = x.shape[3];
  std::vector<int8_t> wInt8;
  std::vector<float> wFloat;
  if (*quantized)
    wInt8 = c.g.int8Data(w);
  else
    wFloat = c.g.floatData(w);
  // phases[rowResidue][columnResidue]: [N, qH, 1, qW, 1, OC] each.
  SmallVector<SmallVector<Value>> phases(phasesH, SmallVector<Value>(phasesW));
  for (int64_t rh = 0; rh < phasesH; ++rh) {
    const TransposePhase ph = axes[0].phaseOfResidue(rh);
    for (int64_t rw = 0; rw < phasesW; ++rw) {
      const TransposePhase pw = axes[1].phaseOfResidue(rw);
      // The phase's filter [OC, tapsH, tapsW, IC], taps reversed; a phase
      // no tap reaches (or no input row) gets one zero tap: bias only.
      SmallVector<int64_t> filterShape = {outChannels, ph.taps, pw.taps,
                                          inChannels};
      auto tapIndex = [](const TransposePhase &phase, int64_t t,
                         int64_t stride) {
        return phase.zero ? -1 : phase.firstTap + (phase.taps - 1 - t) * stride;
      };
      std::vector<int8_t> qData;
      std::vector<float> fData;
      for (int64_t oc = 0; oc < outChannels; ++oc)
        for (int64_t th = 0; th < ph.taps; ++th)
          for (int64_t tw = 0; tw < pw.taps; ++tw)
            for (int64_t ic = 0; ic < inChannels; ++ic) {
              const int64_t kh = tapIndex(ph, th, strideH);
              const int64_t kw = tapIndex(pw, tw, strideW);
              const bool valid =
                  kh >= 0 && kh < kernelH && kw >= 0 && kw < kernelW;
              const int64_t from =
                  ((oc * kernelH + kh) * kernelW + kw) * inChannels + ic;
              if (*quantized)
                qData.push_back(valid ? wInt8[from] : 0);
              else
                fData.push_back(valid ? wFloat[from] : 0.0f);
            }
      Location wLoc = c.g.tensorLoc(w.index);
      Value filter = *quantized
                         ? c.g.constant(wLoc, filterShape, c.b.getI8Type(),
                                        ArrayRef<int8_t>(qData))
                         : c.g.constant(wLoc, filterShape, c.b.getF32Type(),
                                        ArrayRef<float>(fData));
      Value phaseInput =
          c.g.slice(c.loc, *input, {0, ph.sliceStart, pw.sliceStart, 0},
                    {batch, ph.sliceEnd - ph.sliceStart,
                     pw.sliceEnd - pw.sliceStart, inChannels});
      Value acc = tosa::Conv2DOp::create(
          c.b, c.loc,
          RankedTensorType::get({batch, qH, qW, outChannels}, k->accType),
          phaseInput, filter, k->bias, k->inputZp, k->weightZp,
          c.b.getDenseI64ArrayAttr(
              {ph.padBefore, ph.padAfter, pw.padBefore, pw.padAfter}),
          c.b.getDenseI64ArrayAttr({1, 1}), c.b.getDenseI64ArrayAttr({1, 1}),
          TypeAttr::get(k->accType), c.b.getBoolAttr(false));
      FailureOr<Value> result =
          finishConv(c, operands, *quantized, acc, act, outChannels);
      if (failed(result))
        return failure();
      phases[rh][rw] =
          c.g.reshape(c.loc, *result, {batch, qH, 1, qW, 1, outChannels});
    }
  }
  // Interleave: [N, qH, phasesH, qW, phasesW, OC] is row q * phasesH + r
  // (phasesH is the stride, or the output's height when that is smaller and
  // qH is 1).
  SmallVector<Value> rows;
  for (SmallVector<Value> &rowPhases : phases)
    rows.push_back(rowPhases.size() == 1
                       ? rowPhases.front()
                       : tosa::ConcatOp::create(c.b, c.loc, rowPhases,
                                                c.b.getI32IntegerAttr(4))
                             .getResult());
  Value all =
      rows.size() == 1
          ? rows.front()
          : tosa::ConcatOp::create(c.b, c.loc, rows, c.b.getI32IntegerAttr(2))
                .getResult();
  Value interleaved =
      c.g.reshape(c.loc, all, {batch, qH * phasesH, qW * phasesW, outChannels});
  c.set(sliceSpatial(c.g, c.loc, interleaved, outH, outW));
  return success();
}

/// BATCH_MATMUL (lhs [..., M, K], rhs [..., K, N]; adj_x and adj_y
/// transpose the last two dimensions; the batch dimensions broadcast): one
/// tosa.matmul over the flattened batch with the zero points as its
/// operands (int8: i32 accumulator; 16x8 and int16: i48, zero points 0),
/// then TFLM's requantization (int16: its int64 accumulator's 64-bit
/// MultiplyByQuantizedMultiplier).
LogicalResult convertBatchMatMul(Converter &c) {
  if (failed(c.requireInputs(2)))
    return failure();
  const TensorInfo &lhs = c.in(0), &rhs = c.in(1), &y = c.out();
  FailureOr<bool> quantized =
      c.quantizedKind({lhs.index, rhs.index, y.index}, /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  if (*quantized && (lhs.isUnsigned8() || rhs.isUnsigned8() ||
                     lhs.type != rhs.type || lhs.type != y.type))
    return c.error(y.index) << "quantized BATCH_MATMUL takes int8 or int16 "
                               "operands and result of one type";
  const bool is16 = y.isQuantized16();
  if (is16 && (lhs.zeroPoint() || rhs.zeroPoint() || y.zeroPoint()))
    return c.error(y.index) << "int16 BATCH_MATMUL needs zero points 0 (as "
                               "TFLM)";
  if (lhs.shape.size() < 2 || rhs.shape.size() < 2)
    return c.error() << "BATCH_MATMUL multiplies operands of rank 2 or more";
  auto *opts = c.options<tflite::BatchMatMulOptions>();
  const bool adjX = opts && opts->adj_x(), adjY = opts && opts->adj_y();
  ArrayRef<int64_t> ls = lhs.shape, rs = rhs.shape;
  const int64_t m = adjX ? ls.back() : ls[ls.size() - 2];
  const int64_t k = adjX ? ls[ls.size() - 2] : ls.back();
  const int64_t kr = adjY ? rs.back() : rs[rs.size() - 2];
  const int64_t n = adjY ? rs[rs.size() - 2] : rs.back();
  SmallVector<int64_t> batch = broadcastShape(ls.drop_back(2), rs.drop_back(2));
  SmallVector<int64_t> outShape(batch);
  outShape.push_back(m);
  outShape.push_back(n);
  if (k != kr || outShape != ArrayRef<int64_t>(y.shape))
    return c.error(y.index) << "operand and output shapes do not multiply";
  int64_t batchCount = 1;
  for (int64_t d : batch)
    batchCount *= d;
  // An operand as [batch, rows, cols] after its transpose and broadcast.
  auto prepare = [&](unsigned i, bool adjoint, int64_t rows,
                     int64_t cols) -> FailureOr<Value> {
    FailureOr<Value> v = c.value(i);
    if (failed(v))
      return failure();
    Value x = *v;
    auto type = cast<RankedTensorType>(x.getType());
    const int64_t rank = type.getRank();
    if (adjoint) {
      SmallVector<int32_t> perm;
      for (int64_t d = 0; d < rank; ++d)
        perm.push_back(static_cast<int32_t>(d));
      std::swap(perm[rank - 1], perm[rank - 2]);
      SmallVector<int64_t> shape(type.getShape());
      std::swap(shape[rank - 1], shape[rank - 2]);
      x = tosa::TransposeOp::create(
          c.b, c.loc, RankedTensorType::get(shape, type.getElementType()), x,
          perm);
    }
    SmallVector<int64_t> full(batch);
    full.push_back(rows);
    full.push_back(cols);
    FailureOr<Value> wide = broadcastTo(c, x, full);
    if (failed(wide))
      return failure();
    return c.g.reshape(c.loc, *wide, {batchCount, rows, cols});
  };
  FailureOr<Value> a = prepare(0, adjX, m, k), b = prepare(1, adjY, k, n);
  if (failed(a) || failed(b))
    return failure();
  Type elem = c.outType().getElementType();
  Type accType = !*quantized ? elem
                 : is16      ? Type(c.b.getIntegerType(48))
                             : Type(c.b.getI32Type());
  Value acc = tosa::MatMulOp::create(
      c.b, c.loc, RankedTensorType::get({batchCount, m, n}, accType), *a, *b,
      c.g.zeroPoint(c.loc, elem, *quantized ? lhs.zeroPoint() : 0),
      c.g.zeroPoint(c.loc, elem, *quantized ? rhs.zeroPoint() : 0));
  if (*quantized) {
    const QuantizedMultiplier multiplier = tflm::quantizeMultiplier(
        static_cast<double>(lhs.scale()) * static_cast<double>(rhs.scale()) /
        static_cast<double>(y.scale()));
    acc = is16 ? c.g.rescale48To16(c.loc, acc, {multiplier})
               : c.g.rescale(c.loc, acc, elem, {multiplier}, 0, y.zeroPoint());
  }
  c.set(c.g.reshape(c.loc, acc, y.shape));
  return success();
}

} // namespace

void ft::tflite_import::registerConvolutionConverters(ConverterTable &table) {
  table.add(tflite::BuiltinOperator_CONV_2D,
            [](Converter &c) { return convertConvLike(c, ConvKind::Conv); });
  table.add(tflite::BuiltinOperator_DEPTHWISE_CONV_2D, [](Converter &c) {
    return convertConvLike(c, ConvKind::Depthwise);
  });
  table.add(tflite::BuiltinOperator_FULLY_CONNECTED, [](Converter &c) {
    return convertConvLike(c, ConvKind::FullyConnected);
  });
  table.add(tflite::BuiltinOperator_TRANSPOSE_CONV, convertTransposeConv);
  table.add(tflite::BuiltinOperator_BATCH_MATMUL, convertBatchMatMul);
}
