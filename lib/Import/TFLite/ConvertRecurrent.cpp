//===- ConvertRecurrent.cpp - Recurrent and stateful operators -----------===//
//
// Operators whose variable tensors keep state across invocations. The
// importer models each variable as a mutable ml_program.global (its own
// memory, outside the arena, reset by `<entry>_reset`): a converter reads
// the state with GraphImporter::valueOf and writes it with storeVariable.
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;
using tflm::QuantizedMultiplier;

namespace {

/// Constant weights [n, cols] as the right operand of a matmul, transposed
/// at import: [1, cols, n] (a transpose in the IR would be computed into
/// the arena at run time).
Value transposedWeights(Converter &c, const TensorInfo &w) {
  const int64_t n = w.shape[0], cols = w.shape[1];
  Type elem = c.g.elementType(w);
  const size_t width = w.type == tflite::TensorType_FLOAT32 ? 4
                       : w.type == tflite::TensorType_INT16 ? 2
                                                            : 1;
  std::vector<uint8_t> bytes(w.data.begin(), w.data.end());
  if (width == 1) {
    std::vector<int8_t> domain = c.g.int8Data(w); // uint8 to the int8 domain
    std::memcpy(bytes.data(), domain.data(), domain.size());
  }
  std::vector<char> transposed(bytes.size());
  for (int64_t row = 0; row < n; ++row)
    for (int64_t col = 0; col < cols; ++col)
      std::memcpy(&transposed[(col * n + row) * width],
                  &bytes[(row * cols + col) * width], width);
  return c.g.constant(c.g.tensorLoc(w.index),
                      RankedTensorType::get({1, cols, n}, elem), transposed);
}

/// `input` [1, rows, cols] times `weightsT` [1, cols, n]
/// (transposedWeights): [1, rows, n], accumulated in f32 or (8-bit
/// operands) i32 after subtracting `inputZp` from the input. (Callers keep
/// the product's shape: a reshape after it would keep elementwise fusion
/// from folding the product into its consumer, and materialise it.)
Value matmul(Converter &c, Value input, Value weightsT, int64_t inputZp) {
  auto inType = cast<RankedTensorType>(input.getType());
  auto wType = cast<RankedTensorType>(weightsT.getType());
  const int64_t rows = inType.getDimSize(1);
  const int64_t n = wType.getDimSize(2);
  Type elem = inType.getElementType();
  Type acc = isa<FloatType>(elem) ? elem : Type(c.b.getI32Type());
  return tosa::MatMulOp::create(
      c.b, c.loc, RankedTensorType::get({1, rows, n}, acc), input, weightsT,
      c.g.zeroPoint(c.loc, elem, inputZp), c.g.zeroPoint(c.loc, elem, 0));
}

/// Sums `v` along `axis`, dropping that axis.
Value sumAxis(Converter &c, Value v, int64_t axis) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> kept(type.getShape());
  kept[axis] = 1;
  Value sum = tosa::ReduceSumOp::create(
      c.b, c.loc, RankedTensorType::get(kept, type.getElementType()), v,
      c.b.getI32IntegerAttr(axis));
  kept.erase(kept.begin() + axis);
  return c.g.reshape(c.loc, sum, kept);
}

/// SVDF (TFLM's svdf_common.cc): the state [batch, filters * memory] moves
/// one step to the left, the newest column is the feature projection of
/// the input, and the output sums, per unit, `rank` filters' dot products of
/// the state with the time weights. float32, or int8 with int16 (or int8)
/// state and time weights; TFLM's integer path applies no fused activation.
LogicalResult convertSvdf(Converter &c) {
  if (failed(c.requireInputs(5)))
    return failure();
  const TensorInfo &x = c.in(0), &wf = c.in(1), &wt = c.in(2), &st = c.in(4);
  const TensorInfo &y = c.out();
  auto *opts = c.options<tflite::SVDFOptions>();
  const int64_t rank = opts ? opts->rank() : 0;
  if (!st.isVariable)
    return c.error(st.index) << "SVDF's state (operand 4) must be a variable "
                                "tensor";
  for (unsigned i : {0u, 1u, 2u, 4u})
    if (failed(c.requireRank(i, 2)))
      return failure();
  if (failed(c.requireRank(0, 2, /*isOutput=*/true)))
    return failure();
  if (failed(c.requireConstant(1, "the feature weights")) ||
      failed(c.requireConstant(2, "the time weights")))
    return failure();
  const int64_t batch = x.shape[0], filters = wf.shape[0];
  const int64_t memory = wt.shape[1];
  if (rank <= 0 || filters % rank != 0)
    return c.error() << "rank " << rank << " does not divide the " << filters
                     << " filters";
  const int64_t units = filters / rank;
  if (wf.shape[1] != x.shape[1] || wt.shape[0] != filters || memory < 1 ||
      st.shape != ArrayRef<int64_t>{batch, memory * filters} ||
      y.shape != ArrayRef<int64_t>{batch, units})
    return c.error(y.index) << "input [batch, inputs], feature weights "
                               "[filters, inputs], time weights [filters, "
                               "memory], state [batch, memory * filters] and "
                               "output [batch, filters / rank] do not agree";
  const bool hasBias = c.op.hasInput(3);
  if (hasBias && c.in(3).shape != ArrayRef<int64_t>{units})
    return c.error(c.in(3).index) << "bias must have one element per unit";

  bool quantized;
  if (x.isFloat()) {
    quantized = false;
    for (const TensorInfo *t : {&wf, &wt, &st, &y})
      if (!t->isFloat())
        return c.error(t->index) << "float32 SVDF takes float32 weights, "
                                    "state and output";
    if (hasBias && !c.in(3).isFloat())
      return c.error(c.in(3).index) << "float32 SVDF takes a float32 bias";
  } else {
    quantized = true;
    const bool stateTypeOk = st.type == tflite::TensorType_INT16 ||
                             (st.type == tflite::TensorType_INT8);
    if (x.type != tflite::TensorType_INT8 || !x.isQuantized8() ||
        wf.type != tflite::TensorType_INT8 ||
        y.type != tflite::TensorType_INT8 || !stateTypeOk ||
        wt.type != st.type || st.scales.empty() || wt.scales.empty() ||
        wf.scales.empty() || !y.isQuantized8())
      return c.error(y.index)
             << "quantized SVDF takes int8 input, feature weights and output, "
                "and int16 (or int8) state and time weights of one type, all "
                "quantized";
    if (!hasBias || c.in(3).type != tflite::TensorType_INT32)
      return c.error() << "int8 SVDF needs an int32 bias (TFLM reads its "
                          "scale)";
  }

  FailureOr<Value> input = c.value(0), timeW = c.value(2), state = c.value(4);
  if (failed(input) || failed(timeW) || failed(state))
    return failure();
  Value bias;
  if (hasBias) {
    FailureOr<Value> b = c.value(3);
    if (failed(b))
      return failure();
    bias = c.g.reshape(c.loc, *b, {1, units});
  }
  Type stateElem = c.g.elementType(st);
  Type i32 = c.b.getI32Type();

  // The newest state column: the input's projection onto each filter.
  Value feature = c.g.reshape(
      c.loc,
      matmul(c, c.g.reshape(c.loc, *input, {1, batch, x.shape[1]}),
             transposedWeights(c, wf), quantized ? x.zeroPoint() : 0),
      {batch, filters});
  if (quantized) {
    // TFLM computes this scale in float before widening it.
    const float scale1 = static_cast<float>(x.scale()) *
                         static_cast<float>(wf.scale()) /
                         static_cast<float>(st.scale());
    feature = c.g.rescale(c.loc, feature, i32,
                          {tflm::quantizeMultiplier(scale1)}, 0, 0);
    const int64_t lo = st.type == tflite::TensorType_INT16 ? -32768 : -128;
    const int64_t hi = st.type == tflite::TensorType_INT16 ? 32767 : 127;
    // Clamped to the state's type, then the zero point added without
    // saturation (int8 state), as TFLM stores it.
    feature = c.g.clampInt(c.loc, feature, lo, hi);
    feature = tosa::AddOp::create(
        c.b, c.loc, cast<RankedTensorType>(feature.getType()), feature,
        c.g.scalarI32(c.loc, static_cast<int32_t>(st.zeroPoint()), 2));
    feature = tosa::CastOp::create(
        c.b, c.loc, RankedTensorType::get({batch, filters}, stateElem),
        feature);
  }
  feature = c.g.reshape(c.loc, feature, {batch, filters, 1});

  // The state moves one column to the left; the feature fills the last.
  Value state3 = c.g.reshape(c.loc, *state, {batch, filters, memory});
  Value newState = feature;
  if (memory > 1) {
    Value kept =
        c.g.slice(c.loc, state3, {0, 0, 1}, {batch, filters, memory - 1});
    newState = tosa::ConcatOp::create(
        c.b, c.loc, RankedTensorType::get({batch, filters, memory}, stateElem),
        ValueRange{kept, feature}, c.b.getI32IntegerAttr(2));
  }
  c.g.storeVariable(c.loc, st.index,
                    c.g.reshape(c.loc, newState, {batch, memory * filters}));

  // Each filter's dot product of its state row with its time weights, then
  // the sum over each unit's `rank` filters.
  Value weights = c.g.reshape(c.loc, *timeW, {1, filters, memory});
  Value rows = newState;
  if (quantized) {
    rows = toInt32Centered(c.g, c.loc, newState, st.zeroPoint(), 0);
    weights = tosa::CastOp::create(
        c.b, c.loc, RankedTensorType::get({1, filters, memory}, i32), weights);
  }
  Value perFilter = sumAxis(c, c.g.mulShift(c.loc, rows, weights, 0), 2);
  Value perUnit =
      sumAxis(c, c.g.reshape(c.loc, perFilter, {batch, units, rank}), 2);
  if (bias)
    perUnit = tosa::AddOp::create(
        c.b, c.loc, cast<RankedTensorType>(perUnit.getType()), perUnit, bias);
  if (!quantized) {
    return setActivated(c, perUnit,
                        opts ? opts->fused_activation_function()
                             : tflite::ActivationFunctionType_NONE,
                        /*quantized=*/false);
  }
  const double scale2 = static_cast<double>(static_cast<float>(st.scale()) *
                                            static_cast<float>(wt.scale()) /
                                            static_cast<float>(y.scale()));
  c.set(c.g.rescale(c.loc, perUnit, c.g.elementType(y),
                    {tflm::quantizeMultiplier(scale2)}, 0, y.zeroPoint()));
  return success();
}

/// TFLM's CreateInterGateMulParams: the product of two int16 operands'
/// scales over the result's, in double.
double interGateScale(float scale1, float scale2, float outScale) {
  return static_cast<double>(scale1) * static_cast<double>(scale2) /
         static_cast<double>(outScale);
}

/// UNIDIRECTIONAL_SEQUENCE_LSTM as TFLM's lstm_eval.h: per time step, four
/// gates (each a fully connected layer of the input with bias plus one of
/// the hidden state, then a sigmoid, or the fused activation for the cell
/// gate), the cell state f * c + i * g (clipped), the hidden state
/// o * tanh(c), which is also the step's output. Time steps are unrolled;
/// the hidden and cell states are variables. float32, int8 activations
/// and weights with an int16 cell state (gates in Q3.12 -> Q0.15), or 16x8:
/// int16 activations, int8 weights, int64 biases and accumulators.
class LstmConverter {
public:
  explicit LstmConverter(Converter &c) : c(c) {}
  LogicalResult convert();

private:
  struct Gate {
    Value inputWeights, recurrentWeights, bias;
    /// 16x8: the recurrent layer's zero bias (TOSA's conv2d takes one).
    Value zeroBias;
    QuantizedMultiplier inputScale, recurrentScale;
  };
  LogicalResult check();
  FailureOr<Gate> gate(unsigned inputWeights, unsigned recurrentWeights,
                       unsigned bias);
  Value gateValue(const Gate &gate, Value x, Value h, bool tanh);
  /// 16x8: `x` [1, batch, k] times `weights` [units, 1, 1, k] plus the i48
  /// `bias`, TFLM's int64 accumulator rescaled to int16 by its 64-bit
  /// MultiplyByQuantizedMultiplier, as [1, batch, units].
  Value fullyConnected16(Value x, Value weights, Value bias,
                         QuantizedMultiplier scale);
  /// TFLM's saturating int16 sum, or the float one.
  Value add(Value a, Value b);
  /// TFLM's quantized MulElementwise of two int16 values (zero points 0),
  /// into `outElem` with `outZp`; or the float product.
  Value mul(Value a, Value b, double scale, Type outElem, int64_t outZp);
  Value activation(Value v, bool tanh, int cellScalePower = -12);

  Converter &c;
  bool quantized = false;
  /// 16x8: int16 activations and int64 biases.
  bool wide = false;
  int64_t batch = 0, steps = 0, inputs = 0, units = 0;
  bool timeMajor = false;
};

LogicalResult LstmConverter::check() {
  if (c.op.inputs.size() != 24)
    return c.error() << "UNIDIRECTIONAL_SEQUENCE_LSTM takes 24 operands, got "
                     << c.op.inputs.size();
  for (unsigned i : {9u, 10u, 11u, 16u, 17u, 20u, 21u, 22u, 23u})
    if (c.op.hasInput(i))
      return c.error(c.in(i).index)
             << "peephole, projection and layer normalization operands are "
                "not supported (TFLM refuses them too)";
  for (unsigned i = 0; i < 9; ++i)
    if (i > 0 && !c.op.hasInput(i))
      return c.error() << "operand " << i
                       << " is missing (TFLM needs all four input gates)";
  if (!c.op.hasInput(0) || !c.op.hasInput(18) || !c.op.hasInput(19))
    return c.error() << "the input, hidden state and cell state are required";
  for (unsigned i = 12; i < 16; ++i)
    if (!c.op.hasInput(i))
      return c.error() << "gate bias operand " << i << " is missing";
  const TensorInfo &x = c.in(0), &h = c.in(18), &cell = c.in(19);
  const TensorInfo &y = c.out();
  if (!h.isVariable || !cell.isVariable)
    return c.error(h.isVariable ? cell.index : h.index)
           << "the hidden and cell states (operands 18, 19) must be variable "
              "tensors";
  if (failed(c.requireRank(0, 3)) || failed(c.requireRank(0, 3, true)))
    return failure();
  auto *opts = c.options<tflite::UnidirectionalSequenceLSTMOptions>();
  timeMajor = opts && opts->time_major();
  batch = timeMajor ? x.shape[1] : x.shape[0];
  steps = timeMajor ? x.shape[0] : x.shape[1];
  inputs = x.shape[2];
  units = h.shape.empty() ? 0 : h.shape.back();
  if (h.shape != ArrayRef<int64_t>{batch, units} ||
      cell.shape != ArrayRef<int64_t>{batch, units} ||
      y.shape != ArrayRef<int64_t>{x.shape[0], x.shape[1], units})
    return c.error(y.index) << "input, states and output shapes do not agree";
  for (unsigned i = 1; i < 9; ++i) {
    const TensorInfo &w = c.in(i);
    if (failed(c.requireConstant(i, "LSTM weights")))
      return failure();
    if (w.shape != ArrayRef<int64_t>{units, i < 5 ? inputs : units})
      return c.error(w.index) << "weights must be [" << units << ", "
                              << (i < 5 ? inputs : units) << "]";
  }
  for (unsigned i = 12; i < 16; ++i)
    if (c.in(i).shape != ArrayRef<int64_t>{units})
      return c.error(c.in(i).index)
             << "gate bias must have " << units << " elements";
  if (opts &&
      opts->fused_activation_function() != tflite::ActivationFunctionType_TANH)
    return c.error() << "the cell gate's activation must be TANH (TFLM "
                        "supports tanh and sigmoid, the schema only tanh)";
  if (x.isFloat()) {
    for (unsigned i = 1; i < 20; ++i)
      if (c.op.hasInput(i) && !c.in(i).isFloat())
        return c.error(c.in(i).index) << "float32 LSTM takes float32 "
                                         "weights, biases and states";
    if (!y.isFloat())
      return c.error(y.index) << "float32 LSTM has a float32 output";
    return success();
  }
  quantized = true;
  auto perTensor8 = [](const TensorInfo &t) {
    return t.type == tflite::TensorType_INT8 && t.scales.size() == 1;
  };
  wide = x.type == tflite::TensorType_INT16;
  auto perTensor = [&](const TensorInfo &t) {
    return t.type == x.type && t.scales.size() == 1 &&
           (!wide || t.zeroPoint() == 0);
  };
  if ((!wide && !perTensor8(x)) || !perTensor(h) || !perTensor(y))
    return c.error(y.index)
           << (wide ? "16x8 LSTM takes int16 input, hidden state and output "
                      "with zero point 0"
                    : "quantized LSTM takes int8 input, hidden state and "
                      "output");
  if (wide && !perTensor(x))
    return c.error(x.index) << "16x8 LSTM takes an int16 input with zero "
                               "point 0";
  for (unsigned i = 1; i < 9; ++i)
    if (!perTensor8(c.in(i)) || c.in(i).zeroPoint() != 0)
      return c.error(c.in(i).index) << "quantized LSTM weights must be int8, "
                                       "one scale, zero point 0";
  const tflite::TensorType biasType =
      wide ? tflite::TensorType_INT64 : tflite::TensorType_INT32;
  for (unsigned i = 12; i < 16; ++i)
    if (c.in(i).type != biasType)
      return c.error(c.in(i).index)
             << (wide ? "16x8 LSTM biases must be int64"
                      : "int8 LSTM biases must be int32");
  if (cell.type != tflite::TensorType_INT16 || cell.scales.size() != 1 ||
      cell.zeroPoint() != 0)
    return c.error(cell.index) << "the cell state of an int8 LSTM must be "
                                  "int16 with zero point 0 (as TFLM)";
  return success();
}

FailureOr<LstmConverter::Gate> LstmConverter::gate(unsigned inputWeights,
                                                   unsigned recurrentWeights,
                                                   unsigned bias) {
  FailureOr<Value> b = c.value(bias);
  if (failed(b))
    return failure();
  Gate g;
  if (wide) {
    // TOSA's 16x8 conv2d: weights in TFLite's [units, k] order as OHWI, an
    // i48 bias.
    auto weights = [&](unsigned i) {
      const TensorInfo &w = c.in(i);
      return c.g.constant(c.g.tensorLoc(w.index), {units, 1, 1, w.shape[1]},
                          c.b.getI8Type(), ArrayRef<int8_t>(c.g.int8Data(w)));
    };
    g.inputWeights = weights(inputWeights);
    g.recurrentWeights = weights(recurrentWeights);
    auto bias48 = [&](ArrayRef<int64_t> values) -> FailureOr<Value> {
      SmallVector<APInt> bits;
      for (int64_t v : values) {
        if (v < -(int64_t(1) << 47) || v >= (int64_t(1) << 47))
          return c.error(c.in(bias).index)
                 << "bias " << v << " does not fit an int48 accumulator";
        bits.push_back(APInt(48, static_cast<uint64_t>(v), /*isSigned=*/true));
      }
      auto type = RankedTensorType::get({units}, c.b.getIntegerType(48));
      return Value(tosa::ConstOp::create(c.b, c.g.tensorLoc(c.in(bias).index),
                                         type,
                                         DenseElementsAttr::get(type, bits)));
    };
    FailureOr<Value> inputBias = bias48(c.g.intData(c.in(bias)));
    FailureOr<Value> zeroBias = bias48(SmallVector<int64_t>(units, 0));
    if (failed(inputBias) || failed(zeroBias))
      return failure();
    g.bias = *inputBias;
    g.zeroBias = *zeroBias;
  } else {
    g.inputWeights = transposedWeights(c, c.in(inputWeights));
    g.recurrentWeights = transposedWeights(c, c.in(recurrentWeights));
    g.bias = c.g.reshape(c.loc, *b, {1, 1, units});
  }
  if (quantized) {
    // TFLM's GetQuantizedConvolutionMultipler: the scales' product in
    // float, divided in double by the gate's input scale 2^-12.
    auto scale = [&](const TensorInfo &in, const TensorInfo &w) {
      const float product =
          static_cast<float>(in.scale()) * static_cast<float>(w.scale());
      return tflm::quantizeMultiplier(static_cast<double>(product) /
                                      static_cast<double>(1.0f / 4096.0f));
    };
    g.inputScale = scale(c.in(0), c.in(inputWeights));
    g.recurrentScale = scale(c.in(18), c.in(recurrentWeights));
  }
  return g;
}

Value LstmConverter::add(Value a, Value b) {
  auto type = cast<RankedTensorType>(a.getType());
  if (!quantized)
    return tosa::AddOp::create(c.b, c.loc, type, a, b);
  auto i32Type = type.clone(c.b.getI32Type());
  Value sum = tosa::AddOp::create(c.b, c.loc, i32Type,
                                  tosa::CastOp::create(c.b, c.loc, i32Type, a),
                                  tosa::CastOp::create(c.b, c.loc, i32Type, b));
  return tosa::CastOp::create(c.b, c.loc, type,
                              c.g.clampInt(c.loc, sum, -32768, 32767));
}

Value LstmConverter::mul(Value a, Value b, double scale, Type outElem,
                         int64_t outZp) {
  auto type = cast<RankedTensorType>(a.getType());
  if (!quantized)
    return c.g.mulShift(c.loc, a, b, 0);
  auto i32Type = type.clone(c.b.getI32Type());
  Value product =
      c.g.mulShift(c.loc, tosa::CastOp::create(c.b, c.loc, i32Type, a),
                   tosa::CastOp::create(c.b, c.loc, i32Type, b), 0);
  return c.g.rescale(c.loc, product, outElem, {tflm::quantizeMultiplier(scale)},
                     0, outZp);
}

Value LstmConverter::activation(Value v, bool tanh, int cellScalePower) {
  auto type = cast<RankedTensorType>(v.getType());
  if (!quantized)
    return tanh ? Value(tosa::TanhOp::create(c.b, c.loc, type, v))
                : Value(tosa::SigmoidOp::create(c.b, c.loc, type, v));
  // TFLM calls the int16 kernels with input multiplier 0, which they read
  // as 3 << left shift; the tanh of the cell state shifts by its scale.
  tflm::Int16SigmoidScaling scaling;
  int leftShift = tanh ? (15 + cellScalePower) - 3 : 0;
  if (leftShift < 0) {
    scaling.multiplier = 3;
    scaling.leftShift = -leftShift;
  } else {
    scaling.multiplier = 3 << leftShift;
    scaling.leftShift = 0;
  }
  return int16SigmoidOrTanh(c, v, scaling, tanh);
}

Value LstmConverter::fullyConnected16(Value x, Value weights, Value bias,
                                      QuantizedMultiplier scale) {
  const int64_t k = cast<RankedTensorType>(x.getType()).getDimSize(2);
  Type i48 = c.b.getIntegerType(48);
  Value acc = tosa::Conv2DOp::create(
      c.b, c.loc, RankedTensorType::get({batch, 1, 1, units}, i48),
      c.g.reshape(c.loc, x, {batch, 1, 1, k}), weights, bias,
      c.g.zeroPoint(c.loc, c.b.getI16Type(), 0),
      c.g.zeroPoint(c.loc, c.b.getI8Type(), 0),
      c.b.getDenseI64ArrayAttr({0, 0, 0, 0}), c.b.getDenseI64ArrayAttr({1, 1}),
      c.b.getDenseI64ArrayAttr({1, 1}), TypeAttr::get(i48),
      c.b.getBoolAttr(false));
  return c.g.reshape(c.loc, c.g.rescale48To16(c.loc, acc, {scale}),
                     {1, batch, units});
}

Value LstmConverter::gateValue(const Gate &g, Value x, Value h, bool tanh) {
  if (wide) {
    Value fromInput = fullyConnected16(x, g.inputWeights, g.bias, g.inputScale);
    Value fromHidden =
        fullyConnected16(c.g.reshape(c.loc, h, {1, batch, units}),
                         g.recurrentWeights, g.zeroBias, g.recurrentScale);
    return c.g.reshape(c.loc, activation(add(fromInput, fromHidden), tanh),
                       {batch, units});
  }
  Value fromInput =
      matmul(c, x, g.inputWeights, quantized ? c.in(0).zeroPoint() : 0);
  Value fromHidden =
      matmul(c, c.g.reshape(c.loc, h, {1, batch, units}), g.recurrentWeights,
             quantized ? c.in(18).zeroPoint() : 0);
  auto type = cast<RankedTensorType>(fromInput.getType());
  fromInput = tosa::AddOp::create(c.b, c.loc, type, fromInput, g.bias);
  if (quantized) {
    Type i16 = c.b.getI16Type();
    fromInput = c.g.rescale(c.loc, fromInput, i16, {g.inputScale}, 0, 0);
    fromHidden = c.g.rescale(c.loc, fromHidden, i16, {g.recurrentScale}, 0, 0);
  }
  // The gate's int16 (or float) values as [batch, units]: a reshape after
  // the computation stays there, so the gate is materialised once, small,
  // rather than its int32 intermediates fused into the cell update and
  // kept alive for all four gates at once.
  Value activated = activation(add(fromInput, fromHidden), tanh);
  return c.g.reshape(c.loc, activated, {batch, units});
}

LogicalResult LstmConverter::convert() {
  if (failed(check()))
    return failure();
  const TensorInfo &hInfo = c.in(18), &cInfo = c.in(19);
  // Operands 1-4 and 5-8 are the input, forget, cell and output gates'.
  FailureOr<Gate> inputGate = gate(1, 5, 12), forgetGate = gate(2, 6, 13),
                  cellGate = gate(3, 7, 14), outputGate = gate(4, 8, 15);
  FailureOr<Value> input = c.value(0), hidden = c.value(18),
                   cellState = c.value(19);
  if (failed(inputGate) || failed(forgetGate) || failed(cellGate) ||
      failed(outputGate) || failed(input) || failed(hidden) ||
      failed(cellState))
    return failure();
  auto *opts = c.options<tflite::UnidirectionalSequenceLSTMOptions>();
  const float cellClip = opts ? opts->cell_clip() : 0.0f;
  Type hElem = c.g.elementType(hInfo), cellElem = c.g.elementType(cInfo);
  const float gateOut = 1.0f / 32768.0f; // Q0.15
  const float cellScale = static_cast<float>(cInfo.scale());
  int cellScalePower = 0;
  int16_t quantizedClip = 0;
  if (quantized) {
    cellScalePower = static_cast<int>(std::round(std::log2(cellScale)));
    quantizedClip = static_cast<int16_t>(std::clamp(
        static_cast<double>(cellClip) / static_cast<double>(cellScale),
        -32768.0, 32767.0));
  }
  const float hiddenScale = static_cast<float>(hInfo.scale());
  Value h = *hidden, cell = *cellState;
  SmallVector<Value> outputs;
  for (int64_t t = 0; t < steps; ++t) {
    Value xt = timeMajor
                   ? c.g.slice(c.loc, *input, {t, 0, 0}, {1, batch, inputs})
                   : c.g.reshape(c.loc,
                                 c.g.slice(c.loc, *input, {0, t, 0},
                                           {batch, 1, inputs}),
                                 {1, batch, inputs});
    Value f = gateValue(*forgetGate, xt, h, false);
    Value i = gateValue(*inputGate, xt, h, false);
    Value g = gateValue(*cellGate, xt, h, true);
    Value o = gateValue(*outputGate, xt, h, false);
    cell = add(
        mul(f, cell, interGateScale(gateOut, cellScale, cellScale), cellElem,
            0),
        mul(i, g, interGateScale(gateOut, gateOut, cellScale), cellElem, 0));
    if (cellClip > 0)
      cell = quantized
                 ? c.g.clampInt(c.loc, cell, -quantizedClip, quantizedClip)
                 : c.g.clampFloat(c.loc, cell, -cellClip, cellClip);
    h = mul(activation(cell, true, cellScalePower), o,
            interGateScale(gateOut, gateOut, hiddenScale), hElem,
            quantized ? hInfo.zeroPoint() : 0);
    outputs.push_back(timeMajor ? c.g.reshape(c.loc, h, {1, batch, units})
                                : c.g.reshape(c.loc, h, {batch, 1, units}));
  }
  c.g.storeVariable(c.loc, hInfo.index, h);
  c.g.storeVariable(c.loc, cInfo.index, cell);
  Value out = outputs.size() == 1
                  ? outputs.front()
                  : Value(tosa::ConcatOp::create(
                        c.b, c.loc, c.outType(), outputs,
                        c.b.getI32IntegerAttr(timeMajor ? 0 : 1)));
  c.set(out);
  return success();
}

LogicalResult refuseStateful(Converter &c) {
  return c.error() << "operator " << builtinName(c.op.code)
                   << " is not supported yet (docs/Importer.md)";
}

} // namespace

void ft::tflite_import::registerRecurrentConverters(ConverterTable &table) {
  table.add(tflite::BuiltinOperator_SVDF, convertSvdf);
  table.add(tflite::BuiltinOperator_UNIDIRECTIONAL_SEQUENCE_LSTM,
            [](Converter &c) { return LstmConverter(c).convert(); });
  for (tflite::BuiltinOperator code :
       {tflite::BuiltinOperator_LSTM, tflite::BuiltinOperator_RNN,
        tflite::BuiltinOperator_UNIDIRECTIONAL_SEQUENCE_RNN,
        tflite::BuiltinOperator_BIDIRECTIONAL_SEQUENCE_RNN,
        tflite::BuiltinOperator_BIDIRECTIONAL_SEQUENCE_LSTM})
    table.add(code, refuseStateful);
}
