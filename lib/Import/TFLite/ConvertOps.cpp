//===- ConvertOps.cpp - TFLite operators to TOSA --------------------------===//
//
// One converter per TFLite builtin. Quantized converters reproduce the integer
// arithmetic of TFLM's reference kernels; where TOSA's own semantics differ
// (average pooling's rounding, softmax, logistic, tanh) the exact computation
// is built from TOSA primitives or lookup tables computed at import time.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <array>
#include <cmath>

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;
using tflm::QuantizedMultiplier;

namespace {

constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();

/// Shorthand for the state every converter needs.
struct Converter {
  OpContext &op;
  GraphImporter &g;
  OpBuilder &b;
  Location loc;

  explicit Converter(OpContext &op)
      : op(op), g(op.importer), b(op.importer.builder), loc(op.loc) {}

  FailureOr<Value> value(unsigned i) {
    if (!op.hasInput(i)) {
      op.emitError() << "operand " << i << " is missing";
      return failure();
    }
    return g.valueOf(op, op.inputs[i]);
  }
  const TensorInfo &in(unsigned i) { return op.input(i); }
  const TensorInfo &out(unsigned i = 0) { return op.output(i); }
  RankedTensorType outType(unsigned i = 0) { return g.tensorType(out(i)); }
  void set(Value v, unsigned i = 0) { g.setValue(op.outputs[i], v); }

  InFlightDiagnostic error(int tensorIndex = -1) {
    return op.emitError(tensorIndex);
  }
  LogicalResult requireInputs(unsigned n) {
    for (unsigned i = 0; i < n; ++i)
      if (!op.hasInput(i))
        return error() << "expects at least " << n << " operands, operand " << i
                       << " is missing";
    return success();
  }
  LogicalResult requireRank(unsigned i, int64_t rank, bool isOutput = false) {
    const TensorInfo &t = isOutput ? out(i) : in(i);
    if (static_cast<int64_t>(t.shape.size()) != rank)
      return error(t.index)
             << "expected rank " << rank << ", got rank " << t.shape.size();
    return success();
  }
  LogicalResult requireConstant(unsigned i, StringRef what) {
    if (!in(i).isConstant)
      return error(in(i).index) << what << " must be a constant tensor";
    return success();
  }
  /// All-quantized-8-bit (with `allowInt16`, also quantized int16) or
  /// all-float; anything else (hybrid) is refused.
  FailureOr<bool> quantizedKind(ArrayRef<int> tensorIndices,
                                bool allowInt16 = false) {
    bool anyQ = false, anyF = false;
    for (int idx : tensorIndices) {
      if (idx < 0)
        continue;
      const TensorInfo &t = g.tensor(idx);
      if (t.isQuantized8() || (allowInt16 && t.isQuantized16()))
        anyQ = true;
      else if (t.isFloat())
        anyF = true;
      else {
        error(idx) << "type " << tflite::EnumNameTensorType(t.type)
                   << (t.scales.empty() && (t.type == tflite::TensorType_INT8 ||
                                            t.type == tflite::TensorType_UINT8)
                           ? " without quantization parameters"
                           : "")
                   << " is not supported here";
        return failure();
      }
    }
    if (anyQ && anyF) {
      error() << "hybrid float/quantized operators are not supported";
      return failure();
    }
    return anyQ;
  }
  template <typename T> const T *options() {
    return op.op->builtin_options_as<T>();
  }
};

//===----------------------------------------------------------------------===//
// Convolutions and fully connected
//===----------------------------------------------------------------------===//

struct Padding1D {
  int64_t before = 0, after = 0, out = 0;
};

/// TFLite's output size and padding for one spatial axis.
Padding1D computePadding(int64_t in, int64_t kernel, int64_t stride,
                         int64_t dilation, tflite::Padding padding) {
  Padding1D p;
  const int64_t effective = (kernel - 1) * dilation + 1;
  if (padding == tflite::Padding_SAME) {
    p.out = (in + stride - 1) / stride;
    const int64_t total =
        std::max<int64_t>((p.out - 1) * stride + effective - in, 0);
    p.before = total / 2;
    p.after = total - p.before;
  } else {
    p.out = (in - effective + stride) / stride;
  }
  return p;
}

/// TOSA requires (in + before + after - effectiveKernel) to be a multiple of
/// the stride; TFLite leaves the trailing rows that no window reaches
/// unused. Trim the end padding, then the input itself, by that remainder.
/// Returns the input extent to slice to.
int64_t fitWindowToTosa(int64_t in, int64_t kernel, int64_t stride,
                        int64_t dilation, Padding1D &p) {
  const int64_t effective = (kernel - 1) * dilation + 1;
  int64_t excess = (in + p.before + p.after - effective) % stride;
  const int64_t fromPadding = std::min(excess, p.after);
  p.after -= fromPadding;
  excess -= fromPadding;
  return in - excess;
}

/// Slices an NHWC value to its first `h` rows and `w` columns.
Value sliceSpatial(GraphImporter &g, Location loc, Value input, int64_t h,
                   int64_t w) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type.getDimSize(1) == h && type.getDimSize(2) == w)
    return input;
  return g.slice(loc, input, {0, 0, 0, 0},
                 {type.getDimSize(0), h, w, type.getDimSize(3)});
}

enum class ConvKind { Conv, Depthwise, FullyConnected };

LogicalResult checkSpatial(Converter &c, int64_t strideH, int64_t strideW,
                           int64_t dilH, int64_t dilW) {
  if (strideH < 1 || strideW < 1 || dilH < 1 || dilW < 1)
    return c.error() << "strides and dilations must be positive (stride "
                     << strideH << "x" << strideW << ", dilation " << dilH
                     << "x" << dilW << ")";
  return success();
}

/// A window wider than twice its input only ever covers padding; refusing it
/// also bounds every buffer the importer and the generated code allocate.
LogicalResult checkWindow(Converter &c, int64_t inH, int64_t inW,
                          int64_t kernelH, int64_t kernelW, int64_t dilH,
                          int64_t dilW) {
  const int64_t effH = (kernelH - 1) * dilH + 1;
  const int64_t effW = (kernelW - 1) * dilW + 1;
  if (kernelH < 1 || kernelW < 1 || effH > 2 * inH + 1 || effW > 2 * inW + 1)
    return c.error() << "window " << effH << "x" << effW
                     << " (after dilation) does not fit an input of " << inH
                     << "x" << inW;
  return success();
}

/// Per-output-channel TFLite multipliers: in * w[c] / out.
/// A fused activation on an int16 value (the rescale that made it
/// saturated it to int16 already): a clamp to TFLM's range, or nothing.
FailureOr<Value> int16Activation(Converter &c, Value value,
                                 tflite::ActivationFunctionType act,
                                 const TensorInfo &out) {
  tflm::FusedActivation fused;
  switch (act) {
  case tflite::ActivationFunctionType_NONE:
    return value;
  case tflite::ActivationFunctionType_RELU:
    fused = tflm::FusedActivation::Relu;
    break;
  case tflite::ActivationFunctionType_RELU6:
    fused = tflm::FusedActivation::Relu6;
    break;
  case tflite::ActivationFunctionType_RELU_N1_TO_1:
    fused = tflm::FusedActivation::ReluN1To1;
    break;
  default:
    return c.error() << "fused activation "
                     << tflite::EnumNameActivationFunctionType(act)
                     << " on int16 is not supported";
  }
  int32_t lo = 0, hi = 0;
  tflm::activationRange(fused, out.scale(), out.zeroPoint(), -32768, 32767, lo,
                        hi);
  return c.g.clampInt(c.loc, value, lo, hi);
}

/// Sets the operator's result to `value` after its fused activation: a
/// clamp to TFLM's range on int16 or 8-bit values, or the float one.
LogicalResult setActivated(Converter &c, Value value,
                           tflite::ActivationFunctionType act, bool quantized) {
  const TensorInfo &y = c.out();
  if (quantized && y.isQuantized16()) {
    FailureOr<Value> activated = int16Activation(c, value, act, y);
    if (failed(activated))
      return failure();
    c.set(*activated);
  } else if (quantized) {
    c.set(c.g.quantizedActivation(c.loc, value, act, y));
  } else {
    bool ok = true;
    Value v = c.g.floatActivation(c.op, c.loc, value, act, ok);
    if (!ok)
      return failure();
    c.set(v);
  }
  return success();
}

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

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

LogicalResult convertPool(Converter &c, bool isMax) {
  if (failed(c.requireInputs(1)) || failed(c.requireRank(0, 4)) ||
      failed(c.requireRank(0, 4, /*isOutput=*/true)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  FailureOr<bool> quantized =
      c.quantizedKind({x.index, y.index}, /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  // 16x8: TFLM's int16 pooling is its int8 arithmetic on int16.
  const bool is16 = x.isQuantized16();
  auto *opts = c.options<tflite::Pool2DOptions>();
  if (!opts)
    return c.error() << "missing Pool2DOptions";
  const int64_t kh = opts->filter_height(), kw = opts->filter_width();
  const int64_t sh = opts->stride_h(), sw = opts->stride_w();
  if (failed(checkSpatial(c, sh, sw, 1, 1)) ||
      failed(checkWindow(c, x.shape[1], x.shape[2], kh, kw, 1, 1)))
    return failure();
  Padding1D ph = computePadding(x.shape[1], kh, sh, 1, opts->padding());
  Padding1D pw = computePadding(x.shape[2], kw, sw, 1, opts->padding());
  if (ph.out != y.shape[1] || pw.out != y.shape[2] || x.shape[3] != y.shape[3])
    return c.error(y.index) << "declared shape does not match the pooled "
                               "shape";
  if (*quantized && (x.scale() != y.scale() || x.zeroPoint() != y.zeroPoint()))
    return c.error(y.index) << "quantized pooling needs equal input and "
                               "output quantization";
  FailureOr<Value> maybeInput = c.value(0);
  if (failed(maybeInput))
    return failure();
  // Window counts for average pooling use the TFLite padding, before the
  // TOSA fit below trims it.
  const Padding1D tfliteH = ph, tfliteW = pw;
  Value input = sliceSpatial(c.g, c.loc, *maybeInput,
                             fitWindowToTosa(x.shape[1], kh, sh, 1, ph),
                             fitWindowToTosa(x.shape[2], kw, sw, 1, pw));
  auto kernel = c.b.getDenseI64ArrayAttr({kh, kw});
  auto stride = c.b.getDenseI64ArrayAttr({sh, sw});
  auto pad =
      c.b.getDenseI64ArrayAttr({ph.before, ph.after, pw.before, pw.after});
  const tflite::ActivationFunctionType act = opts->fused_activation_function();

  if (isMax) {
    Value pooled = tosa::MaxPool2dOp::create(c.b, c.loc, c.outType(), input,
                                             kernel, stride, pad);
    return setActivated(c, pooled, act, *quantized);
  }

  if (!*quantized) {
    Value zp = c.g.zeroPoint(c.loc, c.b.getF32Type(), 0);
    Value pooled = tosa::AvgPool2dOp::create(c.b, c.loc, c.outType(), input, zp,
                                             zp, kernel, stride, pad,
                                             TypeAttr::get(c.b.getF32Type()));
    return setActivated(c, pooled, act, /*quantized=*/false);
  }

  // TFLM averages the raw int8 values over the valid (unpadded) window and
  // rounds half away from zero; TOSA's avg_pool2d rounds differently. Build
  // it: window sums by a depthwise convolution with unit weights, then an
  // exact integer division by the per-position element count.
  const int64_t channels = x.shape[3];
  const int64_t oh = ph.out, ow = pw.out;
  std::vector<int8_t> ones(kh * kw * channels, 1);
  Value unitWeights = c.g.constant(c.loc, {kh, kw, channels, 1},
                                   c.b.getI8Type(), ArrayRef<int8_t>(ones));
  Value zpI8 = c.g.zeroPoint(c.loc, c.b.getI8Type(), 0);
  auto sumType = RankedTensorType::get({1, oh, ow, channels}, c.b.getI32Type());
  Value sums;
  if (is16) {
    // TOSA sums int16 in an i48 accumulator; TFLM's int32 sum fits.
    Type i48 = c.b.getIntegerType(48);
    auto biasType = RankedTensorType::get({channels}, i48);
    Value zeroBias = tosa::ConstOp::create(
        c.b, c.loc, biasType, DenseElementsAttr::get(biasType, APInt(48, 0)));
    Value wide = tosa::DepthwiseConv2DOp::create(
        c.b, c.loc, RankedTensorType::get({1, oh, ow, channels}, i48), input,
        unitWeights, zeroBias, c.g.zeroPoint(c.loc, c.b.getI16Type(), 0), zpI8,
        pad, stride, c.b.getDenseI64ArrayAttr({1, 1}), TypeAttr::get(i48),
        c.b.getBoolAttr(false));
    sums = c.g.narrow48To32(c.loc, wide);
  } else {
    std::vector<int32_t> zeros(channels, 0);
    Value zeroBias = c.g.constant(c.loc, {channels}, c.b.getI32Type(),
                                  ArrayRef<int32_t>(zeros));
    sums = tosa::DepthwiseConv2DOp::create(
        c.b, c.loc, sumType, input, unitWeights, zeroBias, zpI8, zpI8, pad,
        stride, c.b.getDenseI64ArrayAttr({1, 1}),
        TypeAttr::get(c.b.getI32Type()), c.b.getBoolAttr(false));
  }

  std::vector<int32_t> counts, halves;
  bool uniform = true;
  for (int64_t i = 0; i < oh; ++i) {
    const int64_t h0 = i * sh - tfliteH.before;
    const int64_t hn =
        std::min<int64_t>(h0 + kh, x.shape[1]) - std::max<int64_t>(h0, 0);
    for (int64_t j = 0; j < ow; ++j) {
      const int64_t w0 = j * sw - tfliteW.before;
      const int64_t wn =
          std::min<int64_t>(w0 + kw, x.shape[2]) - std::max<int64_t>(w0, 0);
      counts.push_back(static_cast<int32_t>(std::max<int64_t>(hn * wn, 1)));
      halves.push_back(counts.back() / 2);
      uniform &= counts.back() == counts.front();
    }
  }
  SmallVector<int64_t> countShape = {1, oh, ow, 1};
  if (uniform) {
    counts.resize(1);
    halves.resize(1);
    countShape = {1, 1, 1, 1};
  }
  Value countValue = c.g.constant(c.loc, countShape, c.b.getI32Type(),
                                  ArrayRef<int32_t>(counts));
  Value quotient;
  if (x.isUnsigned8()) {
    // TFLite's uint8 kernel averages the raw unsigned values, whose sum is
    // never negative: (sum + n/2) / n. In the int8 domain that sum is
    // sums + 128 n, and the quotient comes back shifted by -128.
    std::vector<int32_t> offsets;
    for (int32_t n : counts)
      offsets.push_back(128 * n + n / 2);
    Value offsetValue = c.g.constant(c.loc, countShape, c.b.getI32Type(),
                                     ArrayRef<int32_t>(offsets));
    Value biased = tosa::AddOp::create(c.b, c.loc, sumType, sums, offsetValue);
    Value unsignedQuotient =
        tosa::IntDivOp::create(c.b, c.loc, sumType, biased, countValue);
    quotient = tosa::SubOp::create(c.b, c.loc, sumType, unsignedQuotient,
                                   c.g.scalarI32(c.loc, 128, 4));
  } else {
    // TFLM's int8 and int16 kernels round half away from zero.
    Value halfValue = c.g.constant(c.loc, countShape, c.b.getI32Type(),
                                   ArrayRef<int32_t>(halves));
    Value zero = c.g.scalarI32(c.loc, 0, 4);
    auto boolType = RankedTensorType::get(sumType.getShape(), c.b.getI1Type());
    Value positive = tosa::GreaterOp::create(c.b, c.loc, boolType, sums, zero);
    Value up = tosa::AddOp::create(c.b, c.loc, sumType, sums, halfValue);
    Value down = tosa::SubOp::create(c.b, c.loc, sumType, sums, halfValue);
    Value biased =
        tosa::SelectOp::create(c.b, c.loc, sumType, positive, up, down);
    quotient = tosa::IntDivOp::create(c.b, c.loc, sumType, biased, countValue);
  }
  if (is16)
    return setActivated(
        c,
        tosa::CastOp::create(c.b, c.loc, c.outType(),
                             c.g.clampInt(c.loc, quotient, -32768, 32767)),
        act, /*quantized=*/true);
  int32_t lo = 0, hi = 0;
  c.g.activationRange(act, y, lo, hi);
  Value clamped = c.g.clampInt(c.loc, quotient, lo, hi);
  c.set(tosa::CastOp::create(c.b, c.loc, c.outType(), clamped));
  return success();
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

LogicalResult convertReshape(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  if (x.numElements() != y.numElements())
    return c.error(y.index) << "reshape from " << x.numElements() << " to "
                            << y.numElements() << " elements";
  if (x.type != y.type)
    return c.error(y.index) << "reshape changes the element type";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  c.set(c.g.reshape(c.loc, *input, y.shape));
  return success();
}

LogicalResult convertTranspose(Converter &c) {
  if (failed(c.requireInputs(2)) || failed(c.requireConstant(1, "permutation")))
    return failure();
  std::vector<int64_t> perm = c.g.intData(c.in(1));
  const int64_t rank = c.in(0).shape.size();
  if (static_cast<int64_t>(perm.size()) != rank)
    return c.error(c.in(1).index)
           << "permutation has " << perm.size() << " entries for rank " << rank;
  SmallVector<int32_t> perms;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank)
      return c.error(c.in(1).index)
             << "permutation entry " << p << " is out of range";
    perms.push_back(static_cast<int32_t>(p));
  }
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  c.set(tosa::TransposeOp::create(c.b, c.loc, c.outType(), *input, perms));
  return success();
}

LogicalResult convertPad(Converter &c) {
  if (failed(c.requireInputs(2)) || failed(c.requireConstant(1, "paddings")))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  FailureOr<bool> quantized =
      c.quantizedKind({x.index, y.index}, /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  std::vector<int64_t> pads = c.g.intData(c.in(1));
  const size_t rank = x.shape.size();
  if (pads.size() != 2 * rank)
    return c.error(c.in(1).index)
           << "paddings must have shape [" << rank << ", 2]";
  for (size_t i = 0; i < rank; ++i)
    if (pads[2 * i] < 0 || pads[2 * i + 1] < 0 ||
        x.shape[i] + pads[2 * i] + pads[2 * i + 1] != y.shape[i])
      return c.error(y.index) << "paddings do not produce the declared shape";
  Value padConst;
  if (*quantized) {
    if (x.scale() != y.scale() || x.zeroPoint() != y.zeroPoint())
      return c.error(y.index) << "quantized PAD needs equal input and output "
                                 "quantization";
    int64_t padValue = y.zeroPoint();
    const bool is16 = x.isQuantized16();
    if (c.op.code == tflite::BuiltinOperator_PADV2 && c.op.hasInput(2)) {
      if (is16)
        return c.error(c.in(2).index)
               << "PADV2 of int16 with a pad value is not supported yet";
      if (failed(c.requireConstant(2, "pad value")))
        return failure();
      padValue = c.g.int8Data(c.in(2)).front();
    }
    padConst =
        is16 ? c.g.constant(c.loc, {1}, c.b.getI16Type(),
                            ArrayRef<int16_t>{static_cast<int16_t>(padValue)})
             : c.g.constant(c.loc, {1}, c.b.getI8Type(),
                            ArrayRef<int8_t>{static_cast<int8_t>(padValue)});
  } else {
    float padValue = 0.0f;
    if (c.op.code == tflite::BuiltinOperator_PADV2 && c.op.hasInput(2)) {
      if (failed(c.requireConstant(2, "pad value")))
        return failure();
      padValue = c.g.floatData(c.in(2)).front();
    }
    padConst =
        c.g.constant(c.loc, {1}, c.b.getF32Type(), ArrayRef<float>{padValue});
  }
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  ImplicitLocOpBuilder ib(c.loc, c.b);
  Value padding = tosa::getTosaConstShape(ib, pads);
  c.set(
      tosa::PadOp::create(c.b, c.loc, c.outType(), *input, padding, padConst));
  return success();
}

LogicalResult convertConcatenation(Converter &c) {
  auto *opts = c.options<tflite::ConcatenationOptions>();
  const TensorInfo &y = c.out();
  const int64_t rank = y.shape.size();
  int64_t axis = opts ? opts->axis() : 0;
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return c.error() << "axis " << (opts ? opts->axis() : 0)
                     << " is out of range for rank " << rank;
  SmallVector<int> indices(c.op.inputs.begin(), c.op.inputs.end());
  indices.push_back(y.index);
  FailureOr<bool> quantized = c.quantizedKind(indices, /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  // int16 (16x8): TFLM copies the values, which needs one quantization.
  const bool is16 = y.isQuantized16();
  if (*quantized)
    for (unsigned i = 0; i < c.op.inputs.size(); ++i)
      if (c.in(i).isQuantized16() != is16 ||
          (is16 && (c.in(i).scale() != y.scale() ||
                    c.in(i).zeroPoint() != y.zeroPoint())))
        return c.error(c.in(i).index)
               << "int16 CONCATENATION needs every input quantized as the "
                  "output (TFLM copies the values)";
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < c.op.inputs.size(); ++i) {
    FailureOr<Value> v = c.value(i);
    if (failed(v))
      return failure();
    const TensorInfo &x = c.in(i);
    Value input = *v;
    if (*quantized &&
        (x.scale() != y.scale() || x.zeroPoint() != y.zeroPoint())) {
      // TFLite's ConcatenationWithScaling requantizes in float, in the
      // tensor's own (signed or unsigned) domain: a table reproduces it.
      const bool isUnsigned = y.isUnsigned8();
      const float ratio = static_cast<float>(x.scale()) *
                          (1.0f / static_cast<float>(y.scale()));
      const int offset = isUnsigned ? 128 : 0;
      const float zpIn = static_cast<float>(x.zeroPoint() + offset);
      const int32_t zpOut = static_cast<int32_t>(y.zeroPoint() + offset);
      const float bias = -zpIn * ratio;
      input = c.g.table8(c.loc, input, [&](int8_t v8) {
        const float value = static_cast<float>(v8 + offset);
        const int64_t q = std::clamp<int64_t>(
            int64_t(tflm::saturatingRound(value * ratio + bias)) + zpOut,
            isUnsigned ? 0 : -128, isUnsigned ? 255 : 127);
        return static_cast<int8_t>(q - offset);
      });
    }
    inputs.push_back(input);
  }
  Value concat = tosa::ConcatOp::create(c.b, c.loc, c.outType(), inputs,
                                        c.b.getI32IntegerAttr(axis));
  tflite::ActivationFunctionType act =
      opts ? opts->fused_activation_function()
           : tflite::ActivationFunctionType_NONE;
  return setActivated(c, concat, act, *quantized);
}

/// One axis of a strided slice after TFLite's start/stop rules, in the
/// (possibly reversed) axis so that the step is positive.
struct SliceAxis {
  int64_t start = 0, count = 0, step = 1;
  bool reversed = false;
};

SliceAxis resolveSliceAxis(int64_t dim, int64_t begin, int64_t end,
                           int64_t stride, bool beginMasked, bool endMasked,
                           bool shrink, bool offset) {
  // TFLite's StartForAxis / StopForAxis.
  int64_t first = beginMasked ? (stride > 0 ? 0 : dim - 1)
                              : (begin < 0 ? begin + dim : begin);
  first = stride > 0 ? std::clamp<int64_t>(first, 0, dim)
                     : std::clamp<int64_t>(first, -1, dim - 1);
  int64_t stop;
  if (shrink)
    stop = first + (stride > 0 ? 1 : -1);
  else if (endMasked)
    stop = stride > 0 ? dim : -1;
  else if (offset)
    stop = first + end;
  else
    stop = end < 0 ? end + dim : end;
  stop = stride > 0 ? std::clamp<int64_t>(stop, 0, dim)
                    : std::clamp<int64_t>(stop, -1, dim - 1);
  SliceAxis axis;
  axis.step = std::abs(stride);
  axis.reversed = stride < 0;
  const int64_t span = stride > 0 ? stop - first : first - stop;
  axis.count = span > 0 ? (span + axis.step - 1) / axis.step : 0;
  axis.start = axis.reversed ? dim - 1 - first : first;
  return axis;
}

LogicalResult convertStridedSlice(Converter &c) {
  if (failed(c.requireInputs(4)))
    return failure();
  for (unsigned i = 1; i < 4; ++i)
    if (failed(c.requireConstant(i, "slice parameter")))
      return failure();
  auto *opts = c.options<tflite::StridedSliceOptions>();
  const TensorInfo &x = c.in(0);
  const int64_t rank = x.shape.size();
  std::vector<int64_t> begin = c.g.intData(c.in(1)), end = c.g.intData(c.in(2)),
                       strides = c.g.intData(c.in(3));
  if (static_cast<int64_t>(begin.size()) != rank ||
      end.size() != begin.size() || strides.size() != begin.size())
    return c.error() << "begin, end and strides must have " << rank
                     << " entries";
  if (opts && (opts->ellipsis_mask() || opts->new_axis_mask()))
    return c.error() << "ellipsis and new-axis masks are not supported";
  const int beginMask = opts ? opts->begin_mask() : 0;
  const int endMask = opts ? opts->end_mask() : 0;
  const int shrinkMask = opts ? opts->shrink_axis_mask() : 0;
  const bool offset = opts && opts->offset();
  SmallVector<SliceAxis> axes;
  int64_t count = 1;
  for (int64_t d = 0; d < rank; ++d) {
    if (strides[d] == 0)
      return c.error(c.in(3).index) << "stride on axis " << d << " is zero";
    axes.push_back(resolveSliceAxis(x.shape[d], begin[d], end[d], strides[d],
                                    beginMask & (1 << d), endMask & (1 << d),
                                    shrinkMask & (1 << d), offset));
    count *= axes.back().count;
  }
  if (count != c.out().numElements())
    return c.error(c.out().index)
           << "slice has " << count << " elements, the output declares "
           << c.out().numElements();
  if (count == 0)
    return c.error(c.out().index) << "empty slices are not supported";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  Type elemType = c.outType().getElementType();
  ImplicitLocOpBuilder ib(c.loc, c.b);
  Value v = *input;
  // Negative strides walk a reversed axis forwards.
  for (int64_t d = 0; d < rank; ++d)
    if (axes[d].reversed)
      v = tosa::ReverseOp::create(c.b, c.loc, v.getType(), v,
                                  c.b.getI32IntegerAttr(d));
  // One slice covering every selected element.
  SmallVector<int64_t> start, size;
  for (const SliceAxis &a : axes) {
    start.push_back(a.start);
    size.push_back((a.count - 1) * a.step + 1);
  }
  v = c.g.slice(c.loc, v, start, size);
  // Each strided axis: pad to count * step, split into [count, step] and
  // keep column 0.
  for (int64_t d = 0; d < rank; ++d) {
    const SliceAxis &a = axes[d];
    if (a.step == 1 || a.count == 1)
      continue;
    SmallVector<int64_t> shape(cast<RankedTensorType>(v.getType()).getShape());
    const int64_t padded = a.count * a.step;
    if (padded != shape[d]) {
      SmallVector<int64_t> pads(2 * rank, 0);
      pads[2 * d + 1] = padded - shape[d];
      shape[d] = padded;
      Value padConst = c.g.zeroPoint(c.loc, elemType, 0);
      v = tosa::PadOp::create(c.b, c.loc,
                              RankedTensorType::get(shape, elemType), v,
                              tosa::getTosaConstShape(ib, pads), padConst);
    }
    SmallVector<int64_t> split(shape.begin(), shape.begin() + d);
    split.push_back(a.count);
    split.push_back(a.step);
    split.append(shape.begin() + d + 1, shape.end());
    v = c.g.reshape(c.loc, v, split);
    SmallVector<int64_t> zeros(split.size(), 0), kept(split);
    kept[d + 1] = 1;
    v = c.g.slice(c.loc, v, zeros, kept);
    shape[d] = a.count;
    v = c.g.reshape(c.loc, v, shape);
  }
  c.set(c.g.reshape(c.loc, v, c.out().shape));
  return success();
}

LogicalResult convertGather(Converter &c) {
  if (failed(c.requireInputs(2)))
    return failure();
  auto *opts = c.options<tflite::GatherOptions>();
  const TensorInfo &params = c.in(0), &indices = c.in(1), &y = c.out();
  const int64_t rank = params.shape.size();
  int64_t axis = opts ? opts->axis() : 0;
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return c.error() << "axis is out of range for rank " << rank;
  if (opts && opts->batch_dims() != 0)
    return c.error() << "batch_dims != 0 is not supported";
  if (indices.type != tflite::TensorType_INT32 &&
      indices.type != tflite::TensorType_INT64)
    return c.error(indices.index) << "indices must be int32 or int64";
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= params.shape[d];
  for (int64_t d = axis + 1; d < rank; ++d)
    inner *= params.shape[d];
  if (outer != 1)
    return c.error() << "gathering along axis " << axis
                     << " with leading dimensions larger than 1 is not "
                        "supported";
  const int64_t k = params.shape[axis];
  const int64_t n = indices.numElements();
  if (y.numElements() != n * inner || y.type != params.type)
    return c.error(y.index) << "output does not match params and indices";
  FailureOr<Value> table = c.value(0);
  FailureOr<Value> idx = c.value(1);
  if (failed(table) || failed(idx))
    return failure();
  Value index = *idx;
  auto idxType = cast<RankedTensorType>(index.getType());
  auto i32Type = RankedTensorType::get(idxType.getShape(), c.b.getI32Type());
  if (indices.type == tflite::TensorType_INT64)
    index = tosa::CastOp::create(c.b, c.loc, i32Type, index);
  // TOSA leaves out-of-range indices undefined; TFLM reports an error at run
  // time. Clamping keeps the generated code memory-safe.
  index = c.g.clampInt(c.loc, index, 0, k - 1);
  Value values = c.g.reshape(c.loc, *table, {1, k, inner});
  Value flatIndex = c.g.reshape(c.loc, index, {1, n});
  Value gathered = tosa::GatherOp::create(
      c.b, c.loc,
      RankedTensorType::get({1, n, inner}, c.outType().getElementType()),
      values, flatIndex);
  c.set(c.g.reshape(c.loc, gathered, y.shape));
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

SmallVector<int64_t> broadcastShape(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  const size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> out(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    int64_t db = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    out[i] = std::max(da, db);
  }
  return out;
}

/// Casts an int8 value to int32 minus its zero point (exact).
Value toInt32Centered(GraphImporter &g, Location loc, Value v, int64_t zp,
                      int leftShift) {
  // (x - zp) * 2^leftShift via a rescale by 2^30 >> (30 - leftShift).
  QuantizedMultiplier m{int32_t(1) << 30, 1 + leftShift};
  return g.rescale(loc, v, g.builder.getI32Type(), {m}, zp, 0);
}

LogicalResult convertBinary(Converter &c) {
  if (failed(c.requireInputs(2)))
    return failure();
  const TensorInfo &a = c.in(0), &bt = c.in(1), &y = c.out();
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

LogicalResult convertUnary(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  FailureOr<bool> quantized = c.quantizedKind({x.index, y.index});
  if (failed(quantized))
    return failure();
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  const int32_t code = c.op.code;
  auto type = c.outType();

  if (!*quantized) {
    Value r;
    const float inf = std::numeric_limits<float>::infinity();
    switch (code) {
    case tflite::BuiltinOperator_LOGISTIC:
      r = tosa::SigmoidOp::create(c.b, c.loc, type, *input);
      break;
    case tflite::BuiltinOperator_TANH:
      r = tosa::TanhOp::create(c.b, c.loc, type, *input);
      break;
    case tflite::BuiltinOperator_RELU:
      r = c.g.clampFloat(c.loc, *input, 0.0f, inf);
      break;
    case tflite::BuiltinOperator_RELU6:
      r = c.g.clampFloat(c.loc, *input, 0.0f, 6.0f);
      break;
    default:
      r = c.g.clampFloat(c.loc, *input, -1.0f, 1.0f);
      break;
    }
    c.set(r);
    return success();
  }

  const double inScale = x.scale();
  const int64_t inZp = x.zeroPoint();
  const bool isUnsigned = x.isUnsigned8();
  std::function<int8_t(int8_t)> fn;
  if (code == tflite::BuiltinOperator_LOGISTIC ||
      code == tflite::BuiltinOperator_TANH) {
    // TFLM fixes the output quantization: 1/256 and -128 for LOGISTIC, 1/128
    // and 0 for TANH (uint8: zero points 0 and 128, the same in the int8
    // domain).
    const bool isLogistic = code == tflite::BuiltinOperator_LOGISTIC;
    const double outScale = isLogistic ? 1.0 / 256 : 1.0 / 128;
    const int64_t outZp = isLogistic ? -128 : 0;
    if (std::abs(y.scale() - outScale) > 1e-9 * y.scale() ||
        y.zeroPoint() != outZp)
      return c.error(y.index)
             << "quantized " << builtinName(code) << " needs output scale 1/"
             << (isLogistic ? 256 : 128) << " and zero point "
             << (isUnsigned ? outZp + 128 : outZp);
    // The table is computed in the tensor's own signed or unsigned domain.
    auto int8Kernel = isLogistic ? tflm::logisticInt8 : tflm::tanhInt8;
    auto uint8Kernel = isLogistic ? tflm::logisticUInt8 : tflm::tanhUInt8;
    fn = [=](int8_t v) -> int8_t {
      if (!isUnsigned)
        return int8Kernel(v, inScale, static_cast<int32_t>(inZp));
      return static_cast<int8_t>(uint8Kernel(static_cast<uint8_t>(v + 128),
                                             inScale,
                                             static_cast<int32_t>(inZp + 128)) -
                                 128);
    };
  } else {
    // TFLM's ReluQuantized: requantize to the output, then clamp.
    QuantizedMultiplier m =
        tflm::quantizeMultiplier(inScale / static_cast<double>(y.scale()));
    int32_t lo = 0, hi = 0;
    tflm::FusedActivation act = code == tflite::BuiltinOperator_RELU
                                    ? tflm::FusedActivation::Relu
                                : code == tflite::BuiltinOperator_RELU6
                                    ? tflm::FusedActivation::Relu6
                                    : tflm::FusedActivation::ReluN1To1;
    tflm::activationRange(act, y.scale(), y.zeroPoint(), -128, 127, lo, hi);
    const int64_t outZp = y.zeroPoint();
    fn = [=](int8_t v) {
      int32_t r = static_cast<int32_t>(outZp) +
                  tflm::multiplyByQuantizedMultiplier(v - inZp, m);
      return static_cast<int8_t>(std::clamp(r, lo, hi));
    };
  }
  c.set(c.g.table8(c.loc, *input, fn));
  return success();
}

/// LEAKY_RELU: x > 0 ? x : alpha * x. Quantized as TFLM: the input minus its
/// zero point times the identity (in/out scale) or alpha multiplier,
/// whichever side of the zero point it is on, plus the output zero point,
/// clamped: a table.
LogicalResult convertLeakyRelu(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  FailureOr<bool> quantized =
      c.quantizedKind({x.index, y.index}, /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  if (*quantized && x.type != y.type)
    return c.error(y.index) << "LEAKY_RELU keeps its input's type";
  auto *opts = c.options<tflite::LeakyReluOptions>();
  const float alpha = opts ? opts->alpha() : 0.2f;
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  if (!*quantized) {
    const unsigned rank = x.shape.size();
    RankedTensorType type = c.outType();
    auto boolType = RankedTensorType::get(type.getShape(), c.b.getI1Type());
    Value positive = tosa::GreaterOp::create(c.b, c.loc, boolType, *input,
                                             c.g.scalarF32(c.loc, 0.0f, rank));
    Value scaled =
        c.g.mulShift(c.loc, *input, c.g.scalarF32(c.loc, alpha, rank), 0);
    c.set(tosa::SelectOp::create(c.b, c.loc, type, positive, *input, scaled));
    return success();
  }
  // TFLM's LeakyReluPrepare computes both multipliers in float.
  const float inScale = static_cast<float>(x.scale());
  const float outScale = static_cast<float>(y.scale());
  const QuantizedMultiplier identity =
      tflm::quantizeMultiplier(static_cast<double>(inScale / outScale));
  const QuantizedMultiplier scaledAlpha =
      tflm::quantizeMultiplier(static_cast<double>(inScale * alpha / outScale));
  const int32_t inZp = static_cast<int32_t>(x.zeroPoint());
  const int32_t outZp = static_cast<int32_t>(y.zeroPoint());
  if (x.isQuantized16()) {
    // 65536 values: the arithmetic itself, in int32 (TFLM's kernel is the
    // same template for int16).
    const unsigned rank = x.shape.size();
    RankedTensorType outType = c.outType();
    auto i32Type = RankedTensorType::get(outType.getShape(), c.b.getI32Type());
    auto boolType = RankedTensorType::get(outType.getShape(), c.b.getI1Type());
    Value centred = tosa::SubOp::create(
        c.b, c.loc, i32Type, tosa::CastOp::create(c.b, c.loc, i32Type, *input),
        c.g.scalarI32(c.loc, inZp, rank));
    Value kept =
        c.g.rescale(c.loc, centred, c.b.getI32Type(), {identity}, 0, 0);
    Value scaled =
        c.g.rescale(c.loc, centred, c.b.getI32Type(), {scaledAlpha}, 0, 0);
    Value nonNegative = tosa::GreaterEqualOp::create(
        c.b, c.loc, boolType, centred, c.g.scalarI32(c.loc, 0, rank));
    Value r = tosa::AddOp::create(
        c.b, c.loc, i32Type,
        tosa::SelectOp::create(c.b, c.loc, i32Type, nonNegative, kept, scaled),
        c.g.scalarI32(c.loc, outZp, rank));
    c.set(tosa::CastOp::create(c.b, c.loc, outType,
                               c.g.clampInt(c.loc, r, -32768, 32767)));
    return success();
  }
  // (Both zero points are in the int8 domain: the formula is the same.)
  c.set(c.g.table8(c.loc, *input, [=](int8_t v) {
    const int32_t centred = v - inZp;
    const int32_t r =
        outZp + tflm::multiplyByQuantizedMultiplier(
                    centred, centred >= 0 ? identity : scaledAlpha);
    return static_cast<int8_t>(std::clamp(r, -128, 127));
  }));
  return success();
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

/// TFLM's int8 softmax, step by step in TOSA (see TflmArithmetic.cpp for the
/// scalar reference). All values are int32 in gemmlowp fixed-point formats.
/// TFLM's softmax of an 8-bit input, to int8 (scale 1/256) or int16 (scale
/// 1/65536, zero point -32768).
Value buildQuantizedSoftmax(GraphImporter &g, Location loc, Value input,
                            const tflm::SoftmaxParams &params,
                            RankedTensorType outType) {
  OpBuilder &b = g.builder;
  auto inType = cast<RankedTensorType>(input.getType());
  const unsigned rank = inType.getRank();
  auto i32 = b.getI32Type();
  auto full = RankedTensorType::get(inType.getShape(), i32);
  SmallVector<int64_t> rowShape(inType.getShape());
  rowShape.back() = 1;
  auto row = RankedTensorType::get(rowShape, i32);
  auto rowBool = RankedTensorType::get(rowShape, b.getI1Type());
  auto cst = [&](int32_t v) { return g.scalarI32(loc, v, rank); };
  // Result type of a same-rank broadcasting binary op.
  auto joined = [&](Value x, Value y) {
    auto tx = cast<RankedTensorType>(x.getType());
    auto ty = cast<RankedTensorType>(y.getType());
    return RankedTensorType::get(broadcastShape(tx.getShape(), ty.getShape()),
                                 tx.getElementType());
  };
  auto add = [&](Value x, Value y) {
    return tosa::AddOp::create(b, loc, joined(x, y), x, y).getResult();
  };
  auto sub = [&](Value x, Value y) {
    return tosa::SubOp::create(b, loc, joined(x, y), x, y).getResult();
  };
  auto shiftRight = [&](Value x, Value s, bool round) {
    return tosa::ArithmeticRightShiftOp::create(
               b, loc, cast<RankedTensorType>(x.getType()), x, s, round)
        .getResult();
  };
  // gemmlowp's saturating x * 2^s for x >= 0 on a row.
  auto saturatingShiftLeft = [&](Value x, int s) {
    Value clamped = g.clampInt(loc, x, kInt32Min >> s, kInt32Max >> s);
    Value shifted =
        tosa::LogicalLeftShiftOp::create(b, loc, row, clamped, cst(s));
    Value overflow =
        tosa::GreaterOp::create(b, loc, rowBool, x, cst(kInt32Max >> s));
    return tosa::SelectOp::create(b, loc, row, overflow, cst(kInt32Max),
                                  shifted)
        .getResult();
  };

  Value x32 = tosa::CastOp::create(b, loc, full, input);
  Value rowMax = tosa::ReduceMaxOp::create(b, loc, row, x32,
                                           b.getI32IntegerAttr(rank - 1));
  Value diff = sub(rowMax, x32); // max - x, in [0, 255]
  Value expQ0 = g.gatherTable(loc, diff, tflm::softmaxExpTable(params));
  // Sum of exp in Q12 (gemmlowp Rescale<12>: round half up for x >= 0).
  Value expQ12 = shiftRight(expQ0, cst(12), /*round=*/true);
  Value sum = tosa::ReduceSumOp::create(b, loc, row, expQ12,
                                        b.getI32IntegerAttr(rank - 1));
  // GetReciprocal: normalise the sum to [1, 2) and run gemmlowp's
  // Newton-Raphson one_over_one_plus_x_for_x_in_0_1.
  Value headroom = tosa::ClzOp::create(b, loc, row, sum);
  Value normalised =
      tosa::LogicalLeftShiftOp::create(b, loc, row, sum, headroom);
  Value a = sub(normalised, cst(kInt32Min)); // - 2^31, exact here
  Value halfDenominator =
      add(shiftRight(a, cst(1), /*round=*/false), cst(1 << 30));
  Value xq2 = add(cst(1515870810),
                  g.mulShift(loc, halfDenominator, cst(-1010580540), 31));
  for (int i = 0; i < 3; ++i) {
    Value t = g.mulShift(loc, halfDenominator, xq2, 31);
    Value oneMinus = sub(cst(1 << 29), t);
    Value p = g.mulShift(loc, xq2, oneMinus, 31);
    xq2 = add(xq2, saturatingShiftLeft(p, 2));
  }
  Value shiftedScale = saturatingShiftLeft(xq2, 1);
  Value product = g.mulShift(loc, shiftedScale, expQ0, 31);
  // Exponent num_bits_over_unit + 31 - output bits = 43 - bits - headroom;
  // beyond 31 the int32 division by 2^exponent is zero (TFLM's code is
  // undefined there).
  const int outBits = outType.getElementTypeBitWidth();
  const int32_t outMin = -(1 << (outBits - 1)),
                outMax = (1 << (outBits - 1)) - 1;
  Value exponent = g.clampInt(loc, sub(cst(43 - outBits), headroom), 0, 31);
  Value unsat = shiftRight(product, exponent, /*round=*/true);
  Value shifted = add(unsat, cst(outMin));
  Value clamped = g.clampInt(loc, shifted, outMin, outMax);
  return tosa::CastOp::create(b, loc, outType, clamped);
}

/// TFLM's int16 softmax (reference_ops::SoftmaxInt16): differences to the
/// row maximum scaled so that [-65535, 0] is [-10, 0], exp from TFLM's
/// interpolated 513-entry table (TOSA's int16 `table` interpolates the same
/// way, without the final rounding shift by 7), a Q16.15 sum normalised by
/// its leading zeros, 1 / (1 + x) from the second table, one rounding
/// shift. The output has scale 1/32768.
Value buildInt16Softmax(GraphImporter &g, Location loc, Value input,
                        QuantizedMultiplier inputMultiplier,
                        RankedTensorType outType) {
  OpBuilder &b = g.builder;
  auto inType = cast<RankedTensorType>(input.getType());
  const unsigned rank = inType.getRank();
  auto i32 = b.getI32Type();
  auto i16 = b.getI16Type();
  auto full = RankedTensorType::get(inType.getShape(), i32);
  SmallVector<int64_t> rowShape(inType.getShape());
  rowShape.back() = 1;
  auto row = RankedTensorType::get(rowShape, i32);
  auto cst = [&](int32_t v) { return g.scalarI32(loc, v, rank); };
  const tflm::Int16SoftmaxTables tables = tflm::int16SoftmaxTables();
  // TFLite's generic_int16_table_lookup: TOSA's (base << 7) + slope *
  // fraction, then (+ 64) >> 7.
  auto lookup = [&](Value v16, ArrayRef<int16_t> table) {
    auto type = cast<RankedTensorType>(v16.getType());
    Value tableValue =
        g.constant(loc, {static_cast<int64_t>(table.size())}, i16, table);
    Value raw = tosa::TableOp::create(
        b, loc, RankedTensorType::get(type.getShape(), i32), v16, tableValue);
    return tosa::ArithmeticRightShiftOp::create(
               b, loc, cast<RankedTensorType>(raw.getType()), raw, cst(7),
               /*round=*/true)
        .getResult();
  };
  auto toInt16 = [&](Value v32) {
    auto type = cast<RankedTensorType>(v32.getType());
    return tosa::CastOp::create(b, loc,
                                RankedTensorType::get(type.getShape(), i16),
                                g.clampInt(loc, v32, -32768, 32767))
        .getResult();
  };

  Value x32 = tosa::CastOp::create(b, loc, full, input);
  Value rowMax = tosa::ReduceMaxOp::create(b, loc, row, x32,
                                           b.getI32IntegerAttr(rank - 1));
  Value diff = tosa::SubOp::create(b, loc, full, x32, rowMax);
  Value scaled = g.rescale(loc, diff, i32, {inputMultiplier}, 0, 0);
  Value symmetric = tosa::AddOp::create(b, loc, full, scaled, cst(32767));
  Value exps = lookup(toInt16(symmetric), tables.exp);
  Value sum = tosa::ReduceSumOp::create(b, loc, row, exps,
                                        b.getI32IntegerAttr(rank - 1));
  // sum << (headroom - 1) keeps the top bit clear: the sum of at most
  // 65536 values below 2^15 never reaches 2^31.
  Value headroom = tosa::ClzOp::create(b, loc, row, sum);
  Value headroomMinusOne = tosa::SubOp::create(b, loc, row, headroom, cst(1));
  Value normalised =
      tosa::LogicalLeftShiftOp::create(b, loc, row, sum, headroomMinusOne);
  Value shiftedSum = tosa::ArithmeticRightShiftOp::create(
      b, loc, row, normalised, cst(14), /*round=*/true);
  Value symmetricSum =
      tosa::SubOp::create(b, loc, row, shiftedSum, cst((1 << 15) + (1 << 16)));
  Value reciprocal = lookup(toInt16(symmetricSum), tables.oneOverOnePlusX);
  Value product = g.mulShift(loc, exps, reciprocal, 0);
  Value rightShift = tosa::SubOp::create(b, loc, row, cst(31), headroom);
  Value result =
      tosa::ArithmeticRightShiftOp::create(b, loc, full, product, rightShift,
                                           /*round=*/true);
  return tosa::CastOp::create(b, loc, outType,
                              g.clampInt(loc, result, 0, 32767));
}

LogicalResult convertSoftmax(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  FailureOr<bool> quantized =
      c.quantizedKind({x.index, y.index}, /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  if (x.shape.empty() || x.shape != y.shape)
    return c.error(y.index) << "softmax input and output shapes differ";
  auto *opts = c.options<tflite::SoftmaxOptions>();
  const float beta = opts ? opts->beta() : 1.0f;
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  if (*quantized && x.isQuantized16()) {
    if (!y.isQuantized16() || x.zeroPoint() != 0 || y.zeroPoint() != 0 ||
        std::abs(y.scale() - 1.0 / 32768) > 1e-3 / 32768)
      return c.error(y.index) << "int16 SOFTMAX needs zero points 0 and "
                                 "output scale 1/32768 (TFLM refuses other "
                                 "ones)";
    if (x.shape.back() > 65536)
      return c.error(x.index) << "int16 SOFTMAX over more than 65536 values "
                                 "overflows TFLM's int32 sum";
    c.set(buildInt16Softmax(c.g, c.loc, *input,
                            tflm::int16SoftmaxInputMultiplier(beta, x.scale()),
                            c.outType()));
    return success();
  }
  if (*quantized) {
    if (y.isQuantized16()) {
      // TFLM's int8 softmax with an int16 output (as keyword_scrambled's).
      if (std::abs(y.scale() - 1.0 / 65536) > 1e-3 / 65536 ||
          y.zeroPoint() != -32768 || x.isUnsigned8())
        return c.error(y.index) << "SOFTMAX from int8 to int16 needs output "
                                   "scale 1/65536 and zero point -32768 (TFLM "
                                   "refuses other ones)";
    } else if (std::abs(y.scale() - 1.0 / 256) > 1e-9 * y.scale() ||
               y.zeroPoint() != -128) {
      return c.error(y.index) << "quantized SOFTMAX needs output scale 1/256 "
                                 "and zero point "
                              << (y.isUnsigned8() ? "0" : "-128");
    }
    c.set(buildQuantizedSoftmax(
        c.g, c.loc, *input, tflm::softmaxParams(beta, x.scale()), c.outType()));
    return success();
  }
  auto type = c.outType();
  const unsigned rank = type.getRank();
  SmallVector<int64_t> rowShape(type.getShape());
  rowShape.back() = 1;
  auto row = RankedTensorType::get(rowShape, c.b.getF32Type());
  Value rowMax = tosa::ReduceMaxOp::create(c.b, c.loc, row, *input,
                                           c.b.getI32IntegerAttr(rank - 1));
  Value diff = tosa::SubOp::create(c.b, c.loc, type, *input, rowMax);
  if (beta != 1.0f)
    diff = c.g.mulShift(c.loc, diff, c.g.scalarF32(c.loc, beta, rank), 0);
  Value e = tosa::ExpOp::create(c.b, c.loc, type, diff);
  Value sum = tosa::ReduceSumOp::create(c.b, c.loc, row, e,
                                        c.b.getI32IntegerAttr(rank - 1));
  Value inv = tosa::ReciprocalOp::create(c.b, c.loc, row, sum);
  c.set(c.g.mulShift(c.loc, e, inv, 0));
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions, casts, (de)quantization
//===----------------------------------------------------------------------===//

/// `given` in [0, rank) after TFLite's negative-axis rule.
FailureOr<int64_t> resolveAxis(Converter &c, int64_t given, int64_t rank,
                               int tensorIndex = -1) {
  int64_t axis = given < 0 ? given + rank : given;
  if (axis < 0 || axis >= rank)
    return c.error(tensorIndex)
           << "axis " << given << " is out of range for rank " << rank;
  return axis;
}

/// The axes a constant tensor lists, resolved, each once, in their order.
FailureOr<SmallVector<int64_t>>
resolveAxes(Converter &c, const TensorInfo &axesTensor, int64_t rank) {
  SmallVector<int64_t> axes;
  for (int64_t given : c.g.intData(axesTensor)) {
    FailureOr<int64_t> axis = resolveAxis(c, given, rank, axesTensor.index);
    if (failed(axis))
      return failure();
    if (!llvm::is_contained(axes, *axis))
      axes.push_back(*axis);
  }
  return axes;
}

/// MEAN. Quantized as TFLM's reference_ops::QuantizedMeanOrSum (int8 and
/// int16, any axes, with or without keep_dims): int32 sums of the raw
/// values, minus the input zero point times the count, by the in/out scale
/// with 1/count folded into the multiplier (foldMeanCount), plus the output
/// zero point, saturated. Float: sums times 1/count.
LogicalResult convertMean(Converter &c) {
  if (failed(c.requireInputs(2)) || failed(c.requireConstant(1, "axes")))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  FailureOr<bool> quantized =
      c.quantizedKind({x.index, y.index}, /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  if (*quantized && (x.isUnsigned8() || y.isUnsigned8()))
    return c.error(x.index)
           << "uint8 MEAN is not supported (TFLM has no uint8 MEAN kernel)";
  if (*quantized && x.isQuantized16() != y.isQuantized16())
    return c.error(y.index) << "quantized MEAN keeps its type (int8 or int16)";
  const int64_t rank = x.shape.size();
  FailureOr<SmallVector<int64_t>> sorted = resolveAxes(c, c.in(1), rank);
  if (failed(sorted))
    return failure();
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  Type sumType = *quantized ? Type(c.b.getI32Type()) : c.b.getF32Type();
  SmallVector<int64_t> shape(x.shape.begin(), x.shape.end());
  Value v = *input;
  if (*quantized)
    v = tosa::CastOp::create(c.b, c.loc, RankedTensorType::get(shape, sumType),
                             v);
  int64_t count = 1;
  for (int64_t a : *sorted) {
    count *= shape[a];
    shape[a] = 1;
    v = tosa::ReduceSumOp::create(c.b, c.loc,
                                  RankedTensorType::get(shape, sumType), v,
                                  c.b.getI32IntegerAttr(a));
  }
  if (count == 0)
    return c.error() << "mean over an empty axis";
  int64_t kept = 1;
  for (int64_t d : shape)
    kept *= d;
  if (kept != y.numElements())
    return c.error(y.index) << "declared shape does not match the reduction";
  if (*quantized) {
    // TFLM subtracts zero point times count from the int32 sum, wrapping
    // as its int32 arithmetic does.
    const int64_t offset = x.zeroPoint() * count;
    if (offset != 0)
      v = tosa::SubOp::create(
          c.b, c.loc, v.getType(), v,
          c.g.scalarI32(c.loc, static_cast<int32_t>(offset), rank));
    QuantizedMultiplier multiplier = tflm::foldMeanCount(
        tflm::quantizeMultiplier(static_cast<double>(x.scale()) /
                                 static_cast<double>(y.scale())),
        count);
    v = c.g.rescale(c.loc, v,
                    y.isQuantized16() ? c.b.getI16Type() : c.b.getI8Type(),
                    {multiplier}, 0, y.zeroPoint());
  } else {
    v = c.g.mulShift(
        c.loc, v, c.g.scalarF32(c.loc, 1.0f / static_cast<float>(count), rank),
        0);
  }
  c.set(c.g.reshape(c.loc, v, y.shape));
  return success();
}

LogicalResult convertCast(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  if (x.shape != y.shape)
    return c.error(y.index) << "cast changes the shape";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  Value v = *input;
  auto shape = y.shape;
  if (x.isUnsigned8()) {
    // Back from the int8 domain to the raw unsigned value.
    v = tosa::CastOp::create(c.b, c.loc,
                             RankedTensorType::get(shape, c.b.getI32Type()), v);
    v = tosa::AddOp::create(c.b, c.loc,
                            RankedTensorType::get(shape, c.b.getI32Type()), v,
                            c.g.scalarI32(c.loc, 128, shape.size()));
  }
  if (y.isUnsigned8())
    return c.error(y.index) << "casting to uint8 is not supported";
  if (x.isFloat() && !y.isFloat()) {
    // TFLite casts float to integer with C++ truncation toward zero; TOSA's
    // cast rounds to nearest.
    auto ft = cast<RankedTensorType>(v.getType());
    auto boolType = RankedTensorType::get(shape, c.b.getI1Type());
    Value nonNegative = tosa::GreaterEqualOp::create(
        c.b, c.loc, boolType, v, c.g.scalarF32(c.loc, 0.0f, shape.size()));
    Value down = tosa::FloorOp::create(c.b, c.loc, ft, v);
    Value up = tosa::CeilOp::create(c.b, c.loc, ft, v);
    v = tosa::SelectOp::create(c.b, c.loc, ft, nonNegative, down, up);
  }
  if (v.getType() != c.outType())
    v = tosa::CastOp::create(c.b, c.loc, c.outType(), v);
  c.set(v);
  return success();
}

LogicalResult convertQuantize(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  // Quantized int8, uint8, int16 or int32 (16x8 models requantize between
  // int16 and int32).
  auto quantizedInteger = [](const TensorInfo &t) {
    return !t.scales.empty() && (t.isQuantized8() || t.isQuantized16() ||
                                 t.type == tflite::TensorType_INT32);
  };
  if (!quantizedInteger(y))
    return c.error(y.index)
           << "QUANTIZE output must be quantized int8, uint8, int16 or int32";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  if (quantizedInteger(x)) {
    // TFLM's Requantize: MultiplyByQuantizedMultiplier(x - zi) + zo,
    // clamped to the output type (the rescale saturates).
    c.set(
        c.g.rescale(c.loc, *input, c.outType().getElementType(),
                    {tflm::quantizeMultiplier(static_cast<double>(x.scale()) /
                                              static_cast<double>(y.scale()))},
                    x.zeroPoint(), y.zeroPoint()));
    return success();
  }
  if (!x.isFloat())
    return c.error(x.index) << "QUANTIZE input must be float32 or quantized";
  if (!y.isQuantized8() && !y.isQuantized16())
    return c.error(y.index)
           << "QUANTIZE from float32 to " << tflite::EnumNameTensorType(y.type)
           << " is not supported yet";
  // TFLM's AffineQuantize clamps to the output type (8-bit types are i8 here).
  const int64_t lo = y.isQuantized16() ? -32768 : -128;
  const int64_t hi = y.isQuantized16() ? 32767 : 127;
  // round(x / scale) + zp, rounding half away from zero. TOSA has no float
  // division: multiplying by the reciprocal can differ from TFLM by one step
  // when x / scale lies within an ulp of a rounding tie.
  auto type = cast<RankedTensorType>(input->getType());
  const unsigned rank = type.getRank();
  auto boolType = RankedTensorType::get(type.getShape(), c.b.getI1Type());
  Value scaled = c.g.mulShift(
      c.loc, *input,
      c.g.scalarF32(c.loc, 1.0f / static_cast<float>(y.scale()), rank), 0);
  Value nonNegative = tosa::GreaterEqualOp::create(
      c.b, c.loc, boolType, scaled, c.g.scalarF32(c.loc, 0.0f, rank));
  Value up = tosa::FloorOp::create(
      c.b, c.loc, type,
      tosa::AddOp::create(c.b, c.loc, type, scaled,
                          c.g.scalarF32(c.loc, 0.5f, rank)));
  Value down = tosa::CeilOp::create(
      c.b, c.loc, type,
      tosa::SubOp::create(c.b, c.loc, type, scaled,
                          c.g.scalarF32(c.loc, 0.5f, rank)));
  Value rounded =
      tosa::SelectOp::create(c.b, c.loc, type, nonNegative, up, down);
  Value clamped =
      c.g.clampFloat(c.loc, rounded, static_cast<float>(lo - y.zeroPoint()),
                     static_cast<float>(hi - y.zeroPoint()));
  Value asInt = tosa::CastOp::create(
      c.b, c.loc, RankedTensorType::get(type.getShape(), c.b.getI32Type()),
      clamped);
  Value shifted = tosa::AddOp::create(
      c.b, c.loc, cast<RankedTensorType>(asInt.getType()), asInt,
      c.g.scalarI32(c.loc, static_cast<int32_t>(y.zeroPoint()), rank));
  c.set(tosa::CastOp::create(c.b, c.loc, c.outType(), shifted));
  return success();
}

LogicalResult convertDequantize(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  if ((!x.isQuantized8() && !x.isQuantized16()) || !y.isFloat())
    return c.error()
           << "DEQUANTIZE supports quantized int8/uint8/int16 to float32";
  if (x.scales.size() != 1)
    return c.error(x.index) << "per-channel DEQUANTIZE is not supported";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  auto type = c.outType();
  const unsigned rank = type.getRank();
  Value asFloat = tosa::CastOp::create(c.b, c.loc, type, *input);
  Value centered = tosa::SubOp::create(
      c.b, c.loc, type, asFloat,
      c.g.scalarF32(c.loc, static_cast<float>(x.zeroPoint()), rank));
  c.set(c.g.mulShift(c.loc, centered,
                     c.g.scalarF32(c.loc, static_cast<float>(x.scale()), rank),
                     0));
  return success();
}

//===----------------------------------------------------------------------===//
// Splitting and stacking (bytes moved, never rescaled: TFLM copies them)
//===----------------------------------------------------------------------===//

/// SPLIT (axis, data) and SPLIT_V (data, sizes, axis): consecutive slices
/// along the axis, each output's extent its declared shape's.
LogicalResult convertSplit(Converter &c, bool withSizes) {
  const unsigned dataIndex = withSizes ? 0 : 1, axisIndex = withSizes ? 2 : 0;
  if (failed(c.requireInputs(withSizes ? 3 : 2)) ||
      failed(c.requireConstant(axisIndex, "axis")))
    return failure();
  const TensorInfo &x = c.in(dataIndex);
  std::vector<int64_t> axisData = c.g.intData(c.in(axisIndex));
  if (axisData.size() != 1)
    return c.error(c.in(axisIndex).index) << "axis must be one value";
  const int64_t rank = x.shape.size();
  FailureOr<int64_t> axis =
      resolveAxis(c, axisData.front(), rank, c.in(axisIndex).index);
  if (failed(axis))
    return failure();
  SmallVector<int> tensors = {x.index};
  for (int output : c.op.outputs)
    tensors.push_back(output);
  if (failed(c.quantizedKind(tensors, /*allowInt16=*/true)))
    return failure();
  int64_t total = 0;
  for (unsigned k = 0; k < c.op.outputs.size(); ++k) {
    const TensorInfo &y = c.out(k);
    if (static_cast<int64_t>(y.shape.size()) != rank || y.type != x.type)
      return c.error(y.index) << "a split's outputs have the input's rank and "
                                 "element type";
    for (int64_t d = 0; d < rank; ++d)
      if (d != *axis && y.shape[d] != x.shape[d])
        return c.error(y.index) << "dimension " << d << " is " << y.shape[d]
                                << ", the input's is " << x.shape[d];
    total += y.shape[*axis];
  }
  if (total != x.shape[*axis])
    return c.error() << "the outputs take " << total << " of axis " << *axis
                     << "'s " << x.shape[*axis] << " elements";
  FailureOr<Value> input = c.value(dataIndex);
  if (failed(input))
    return failure();
  SmallVector<int64_t> start(rank, 0);
  for (unsigned k = 0; k < c.op.outputs.size(); ++k) {
    c.set(c.g.slice(c.loc, *input, start, c.out(k).shape), k);
    start[*axis] += c.out(k).shape[*axis];
  }
  return success();
}

/// PACK: the inputs stacked along a new axis.
LogicalResult convertPack(Converter &c) {
  auto *opts = c.options<tflite::PackOptions>();
  const TensorInfo &y = c.out();
  const int64_t rank = y.shape.size();
  FailureOr<int64_t> axis = resolveAxis(c, opts ? opts->axis() : 0, rank);
  if (failed(axis))
    return failure();
  SmallVector<int> tensors(c.op.inputs.begin(), c.op.inputs.end());
  tensors.push_back(y.index);
  if (failed(c.quantizedKind(tensors, /*allowInt16=*/true)))
    return failure();
  if (y.shape[*axis] != static_cast<int64_t>(c.op.inputs.size()))
    return c.error(y.index)
           << "axis " << *axis << " has " << y.shape[*axis] << " elements for "
           << c.op.inputs.size() << " inputs";
  SmallVector<int64_t> stacked(y.shape.begin(), y.shape.end());
  stacked[*axis] = 1;
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < c.op.inputs.size(); ++i) {
    const TensorInfo &x = c.in(i);
    SmallVector<int64_t> expected(stacked);
    expected.erase(expected.begin() + *axis);
    if (ArrayRef<int64_t>(x.shape) != ArrayRef<int64_t>(expected) ||
        x.type != y.type)
      return c.error(x.index) << "a packed input has the output's shape "
                                 "without the axis and its element type";
    FailureOr<Value> v = c.value(i);
    if (failed(v))
      return failure();
    inputs.push_back(c.g.reshape(c.loc, *v, stacked));
  }
  c.set(tosa::ConcatOp::create(c.b, c.loc, c.outType(), inputs,
                               c.b.getI32IntegerAttr(*axis)));
  return success();
}

/// UNPACK: one output per element of the axis, the axis dropped.
LogicalResult convertUnpack(Converter &c) {
  if (failed(c.requireInputs(1)))
    return failure();
  auto *opts = c.options<tflite::UnpackOptions>();
  const TensorInfo &x = c.in(0);
  const int64_t rank = x.shape.size();
  FailureOr<int64_t> axis = resolveAxis(c, opts ? opts->axis() : 0, rank);
  if (failed(axis))
    return failure();
  SmallVector<int> tensors = {x.index};
  for (int output : c.op.outputs)
    tensors.push_back(output);
  if (failed(c.quantizedKind(tensors, /*allowInt16=*/true)))
    return failure();
  if (x.shape[*axis] != static_cast<int64_t>(c.op.outputs.size()))
    return c.error(x.index)
           << "axis " << *axis << " has " << x.shape[*axis] << " elements for "
           << c.op.outputs.size() << " outputs";
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  SmallVector<int64_t> start(rank, 0), size(x.shape.begin(), x.shape.end());
  size[*axis] = 1;
  for (unsigned k = 0; k < c.op.outputs.size(); ++k) {
    const TensorInfo &y = c.out(k);
    if (y.numElements() * x.shape[*axis] != x.numElements() || y.type != x.type)
      return c.error(y.index) << "an unpacked output has the input's shape "
                                 "without the axis and its element type";
    start[*axis] = k;
    c.set(c.g.reshape(c.loc, c.g.slice(c.loc, *input, start, size), y.shape),
          k);
  }
  return success();
}

/// REDUCE_MAX over constant axes (keep_dims or not: the output's shape).
/// Quantized, TFLM compares the stored values: input and output must share
/// their quantization.
LogicalResult convertReduceMax(Converter &c) {
  if (failed(c.requireInputs(2)) || failed(c.requireConstant(1, "axes")))
    return failure();
  const TensorInfo &x = c.in(0), &y = c.out();
  FailureOr<bool> quantized =
      c.quantizedKind({x.index, y.index}, /*allowInt16=*/true);
  if (failed(quantized))
    return failure();
  if (*quantized && (x.scale() != y.scale() || x.zeroPoint() != y.zeroPoint() ||
                     x.type != y.type))
    return c.error(y.index) << "quantized REDUCE_MAX needs the input's scale "
                               "and zero point on its output (as TFLM does)";
  const int64_t rank = x.shape.size();
  FailureOr<SmallVector<int64_t>> axes = resolveAxes(c, c.in(1), rank);
  if (failed(axes))
    return failure();
  FailureOr<Value> input = c.value(0);
  if (failed(input))
    return failure();
  Value v = *input;
  SmallVector<int64_t> shape(x.shape.begin(), x.shape.end());
  Type elemType = c.outType().getElementType();
  for (int64_t axis : *axes) {
    if (shape[axis] == 0)
      return c.error(x.index) << "maximum over an empty axis";
    shape[axis] = 1;
    v = tosa::ReduceMaxOp::create(c.b, c.loc,
                                  RankedTensorType::get(shape, elemType), v,
                                  c.b.getI32IntegerAttr(axis));
  }
  int64_t kept = 1;
  for (int64_t d : shape)
    kept *= d;
  if (kept != y.numElements())
    return c.error(y.index) << "declared shape does not match the reduction";
  c.set(c.g.reshape(c.loc, v, y.shape));
  return success();
}

} // namespace

LogicalResult ft::tflite_import::convertOperator(OpContext &op) {
  Converter c(op);
  switch (op.code) {
  case tflite::BuiltinOperator_CONV_2D:
    return convertConvLike(c, ConvKind::Conv);
  case tflite::BuiltinOperator_DEPTHWISE_CONV_2D:
    return convertConvLike(c, ConvKind::Depthwise);
  case tflite::BuiltinOperator_FULLY_CONNECTED:
    return convertConvLike(c, ConvKind::FullyConnected);
  case tflite::BuiltinOperator_AVERAGE_POOL_2D:
    return convertPool(c, /*isMax=*/false);
  case tflite::BuiltinOperator_MAX_POOL_2D:
    return convertPool(c, /*isMax=*/true);
  case tflite::BuiltinOperator_RESHAPE:
  case tflite::BuiltinOperator_SQUEEZE:
    return convertReshape(c);
  case tflite::BuiltinOperator_TRANSPOSE:
    return convertTranspose(c);
  case tflite::BuiltinOperator_PAD:
  case tflite::BuiltinOperator_PADV2:
    return convertPad(c);
  case tflite::BuiltinOperator_CONCATENATION:
    return convertConcatenation(c);
  case tflite::BuiltinOperator_STRIDED_SLICE:
    return convertStridedSlice(c);
  case tflite::BuiltinOperator_GATHER:
    return convertGather(c);
  case tflite::BuiltinOperator_ADD:
  case tflite::BuiltinOperator_SUB:
  case tflite::BuiltinOperator_MUL:
  case tflite::BuiltinOperator_MAXIMUM:
  case tflite::BuiltinOperator_MINIMUM:
    return convertBinary(c);
  case tflite::BuiltinOperator_LOGISTIC:
  case tflite::BuiltinOperator_TANH:
  case tflite::BuiltinOperator_RELU:
  case tflite::BuiltinOperator_RELU6:
  case tflite::BuiltinOperator_RELU_N1_TO_1:
    return convertUnary(c);
  case tflite::BuiltinOperator_SOFTMAX:
    return convertSoftmax(c);
  case tflite::BuiltinOperator_MEAN:
    return convertMean(c);
  case tflite::BuiltinOperator_CAST:
    return convertCast(c);
  case tflite::BuiltinOperator_QUANTIZE:
    return convertQuantize(c);
  case tflite::BuiltinOperator_DEQUANTIZE:
    return convertDequantize(c);
  case tflite::BuiltinOperator_SPLIT:
    return convertSplit(c, /*withSizes=*/false);
  case tflite::BuiltinOperator_SPLIT_V:
    return convertSplit(c, /*withSizes=*/true);
  case tflite::BuiltinOperator_PACK:
    return convertPack(c);
  case tflite::BuiltinOperator_UNPACK:
    return convertUnpack(c);
  case tflite::BuiltinOperator_REDUCE_MAX:
    return convertReduceMax(c);
  case tflite::BuiltinOperator_TRANSPOSE_CONV:
    return convertTransposeConv(c);
  case tflite::BuiltinOperator_LEAKY_RELU:
    return convertLeakyRelu(c);
  case tflite::BuiltinOperator_LSTM:
  case tflite::BuiltinOperator_RNN:
  case tflite::BuiltinOperator_SVDF:
  case tflite::BuiltinOperator_UNIDIRECTIONAL_SEQUENCE_RNN:
  case tflite::BuiltinOperator_UNIDIRECTIONAL_SEQUENCE_LSTM:
  case tflite::BuiltinOperator_BIDIRECTIONAL_SEQUENCE_RNN:
  case tflite::BuiltinOperator_BIDIRECTIONAL_SEQUENCE_LSTM:
    return op.emitError() << "operator " << builtinName(op.code)
                          << " is not supported: recurrent and stateful "
                             "operators are not (docs/Importer.md)";
  default:
    return op.emitError() << "operator " << builtinName(op.code)
                          << " is not supported";
  }
}
