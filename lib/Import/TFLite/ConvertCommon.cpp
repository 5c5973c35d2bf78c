//===- ConvertCommon.cpp - Shared converter helpers and the dispatch ------===//
//
// The helpers several operator families share, and convertOperator, which
// looks the operator up in the table every family registers into.
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;
using tflm::QuantizedMultiplier;

/// TFLite's output size and padding for one spatial axis.
Padding1D ft::tflite_import::computePadding(int64_t in, int64_t kernel,
                                            int64_t stride, int64_t dilation,
                                            tflite::Padding padding) {
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
int64_t ft::tflite_import::fitWindowToTosa(int64_t in, int64_t kernel,
                                           int64_t stride, int64_t dilation,
                                           Padding1D &p) {
  const int64_t effective = (kernel - 1) * dilation + 1;
  int64_t excess = (in + p.before + p.after - effective) % stride;
  const int64_t fromPadding = std::min(excess, p.after);
  p.after -= fromPadding;
  excess -= fromPadding;
  return in - excess;
}

/// Slices an NHWC value to its first `h` rows and `w` columns.
Value ft::tflite_import::sliceSpatial(GraphImporter &g, Location loc,
                                      Value input, int64_t h, int64_t w) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type.getDimSize(1) == h && type.getDimSize(2) == w)
    return input;
  return g.slice(loc, input, {0, 0, 0, 0},
                 {type.getDimSize(0), h, w, type.getDimSize(3)});
}

LogicalResult ft::tflite_import::checkSpatial(Converter &c, int64_t strideH,
                                              int64_t strideW, int64_t dilH,
                                              int64_t dilW) {
  if (strideH < 1 || strideW < 1 || dilH < 1 || dilW < 1)
    return c.error() << "strides and dilations must be positive (stride "
                     << strideH << "x" << strideW << ", dilation " << dilH
                     << "x" << dilW << ")";
  return success();
}

/// A window wider than twice its input only ever covers padding; refusing it
/// also bounds every buffer the importer and the generated code allocate.
LogicalResult ft::tflite_import::checkWindow(Converter &c, int64_t inH,
                                             int64_t inW, int64_t kernelH,
                                             int64_t kernelW, int64_t dilH,
                                             int64_t dilW) {
  const int64_t effH = (kernelH - 1) * dilH + 1;
  const int64_t effW = (kernelW - 1) * dilW + 1;
  // A window larger than its input is fine with SAME padding (TFLM pads
  // it, and only the padding around the input is read); the bound keeps
  // the padded buffers of absurd files small.
  constexpr int64_t kMaxOverhang = 4096;
  if (kernelH < 1 || kernelW < 1 || effH > inH + kMaxOverhang ||
      effW > inW + kMaxOverhang)
    return c.error() << "window " << effH << "x" << effW
                     << " (after dilation) is not supported on an input of "
                     << inH << "x" << inW << " (at most " << kMaxOverhang
                     << " beyond it)";
  return success();
}

/// A fused activation on an int16 value (the rescale that made it
/// saturated it to int16 already): a clamp to TFLM's range, or nothing.
FailureOr<Value>
ft::tflite_import::int16Activation(Converter &c, Value value,
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
LogicalResult
ft::tflite_import::setActivated(Converter &c, Value value,
                                tflite::ActivationFunctionType act,
                                bool quantized) {
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

SmallVector<int64_t> ft::tflite_import::broadcastShape(ArrayRef<int64_t> a,
                                                       ArrayRef<int64_t> b) {
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
Value ft::tflite_import::toInt32Centered(GraphImporter &g, Location loc,
                                         Value v, int64_t zp, int leftShift) {
  // (x - zp) * 2^leftShift via a rescale by 2^30 >> (30 - leftShift).
  QuantizedMultiplier m{int32_t(1) << 30, 1 + leftShift};
  auto type = cast<RankedTensorType>(v.getType());
  if (zp == 0 || type.getElementTypeBitWidth() <= 8)
    return g.rescale(loc, v, g.builder.getI32Type(), {m}, zp, 0);
  // TOSA's rescale takes zero points on 8-bit values only.
  auto i32Type = type.clone(g.builder.getI32Type());
  Value wide = tosa::CastOp::create(g.builder, loc, i32Type, v);
  wide = tosa::SubOp::create(
      g.builder, loc, i32Type, wide,
      g.scalarI32(loc, static_cast<int32_t>(zp), type.getRank()));
  return g.rescale(loc, wide, g.builder.getI32Type(), {m}, 0, 0);
}

/// `given` in [0, rank) after TFLite's negative-axis rule.
FailureOr<int64_t> ft::tflite_import::resolveAxis(Converter &c, int64_t given,
                                                  int64_t rank,
                                                  int tensorIndex) {
  int64_t axis = given < 0 ? given + rank : given;
  if (axis < 0 || axis >= rank)
    return c.error(tensorIndex)
           << "axis " << given << " is out of range for rank " << rank;
  return axis;
}

FailureOr<int64_t> ft::tflite_import::constantAxis(Converter &c, unsigned i,
                                                   int64_t rank) {
  if (failed(c.requireConstant(i, "axis")))
    return failure();
  std::vector<int64_t> axisData = c.g.intData(c.in(i));
  if (axisData.size() != 1)
    return c.error(c.in(i).index) << "axis must be one value";
  return resolveAxis(c, axisData.front(), rank, c.in(i).index);
}

/// The axes a constant tensor lists, resolved, each once, in their order.
FailureOr<SmallVector<int64_t>>
ft::tflite_import::resolveAxes(Converter &c, const TensorInfo &axesTensor,
                               int64_t rank) {
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

/// The input broadcast (numpy rules) to the output's shape, element type
/// kept: a same-rank reshape, then a tile of the size-1 dimensions.
FailureOr<Value> ft::tflite_import::broadcastTo(Converter &c, Value input,
                                                ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(input.getType());
  if (static_cast<size_t>(type.getRank()) > shape.size())
    return c.error() << "cannot broadcast rank " << type.getRank()
                     << " to rank " << shape.size();
  Value v = c.g.broadcastToRank(c.loc, input, shape.size());
  ArrayRef<int64_t> from = cast<RankedTensorType>(v.getType()).getShape();
  SmallVector<int64_t> multiples;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (from[d] != shape[d] && from[d] != 1)
      return c.error() << "dimension " << d << " of " << from[d]
                       << " does not broadcast to " << shape[d];
    multiples.push_back(from[d] == shape[d] ? 1 : shape[d]);
  }
  if (llvm::all_of(multiples, [](int64_t m) { return m == 1; }))
    return v;
  ImplicitLocOpBuilder ib(c.loc, c.b);
  return Value(tosa::TileOp::create(
      c.b, c.loc, RankedTensorType::get(shape, type.getElementType()), v,
      tosa::getTosaConstShape(ib, multiples)));
}

/// The operands of a broadcasting operator, reshaped to the output's rank;
/// fails unless the output has the numpy broadcast shape of its inputs.
FailureOr<SmallVector<Value>>
ft::tflite_import::broadcastOperands(Converter &c, unsigned count) {
  if (failed(c.requireInputs(count)))
    return failure();
  SmallVector<int64_t> shape;
  for (unsigned i = 0; i < count; ++i)
    shape = broadcastShape(shape, c.in(i).shape);
  if (shape != ArrayRef<int64_t>(c.out().shape))
    return c.error(c.out().index)
           << "declared shape does not match the broadcast of the operands";
  SmallVector<Value> values;
  for (unsigned i = 0; i < count; ++i) {
    FailureOr<Value> v = c.value(i);
    if (failed(v))
      return failure();
    values.push_back(c.g.broadcastToRank(c.loc, *v, shape.size()));
  }
  return values;
}

FailureOr<SmallVector<Value>>
ft::tflite_import::sameTypeBinaryOperands(Converter &c) {
  FailureOr<SmallVector<Value>> operands = broadcastOperands(c, 2);
  if (failed(operands))
    return failure();
  const TensorInfo &y = c.out();
  if (c.in(0).type != y.type || c.in(1).type != y.type)
    return c.error(y.index)
           << builtinName(c.op.code) << " takes and produces one type";
  return operands;
}

static const ConverterTable &converterTable() {
  static const ConverterTable table = [] {
    ConverterTable t;
    registerActivationConverters(t);
    registerComparisonConverters(t);
    registerControlFlowConverters(t);
    registerConvolutionConverters(t);
    registerDataMovementConverters(t);
    registerElementwiseConverters(t);
    registerMathConverters(t);
    registerNormalizationConverters(t);
    registerPoolingConverters(t);
    registerQuantizationConverters(t);
    registerRecurrentConverters(t);
    registerResizeConverters(t);
    registerReductionConverters(t);
    registerShapeConverters(t);
    return t;
  }();
  return table;
}

LogicalResult ft::tflite_import::convertOperator(OpContext &op) {
  if (ConvertFn convert = converterTable().lookup(op.code)) {
    Converter c(op);
    return convert(c);
  }
  return op.emitError() << "operator " << builtinName(op.code)
                        << " is not supported";
}
