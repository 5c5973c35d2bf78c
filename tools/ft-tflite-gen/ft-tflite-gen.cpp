//===- ft-tflite-gen.cpp - Write small TFLite models for tests and demos --===//
//
// Builds TFLite flatbuffers with the flatbuffers object API generated from the
// project's schema subset: one model per operator kind, a DS-CNN keyword
// spotting network with generated weights for the demo, and deliberately
// broken files for the importer's negative tests. Weights come from a seeded
// xorshift generator, so every file is reproducible.
//
//   ft-tflite-gen --model=conv --type=int8 -o conv.tflite
//   ft-tflite-gen --model=dscnn -o dscnn.tflite
//   ft-tflite-gen --model=conv --corrupt=tensor-index -o bad.tflite
//   ft-tflite-gen --input-bytes=490 --seed=1 -o in.bin   (xorshift bytes)
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Testing/TFLiteModelBuilder.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace cl = llvm::cl;
using namespace tflite;

static cl::OptionCategory category("ft-tflite-gen options");
static cl::opt<std::string> modelName("model", cl::desc("Model to write"),
                                      cl::cat(category));
static cl::opt<std::string>
    typeName("type",
             cl::desc("int8 (default), uint8, int16 (16x8: int16 "
                      "activations, int8 weights), "
                      "float32"),
             cl::init("int8"), cl::cat(category));
static cl::opt<std::string>
    corrupt("corrupt",
            cl::desc("Break the model: opcode-index, tensor-index, "
                     "buffer-index, buffer-size, shape-mismatch, "
                     "unsupported-op, unsupported-type, missing-options, "
                     "nonconst-filter, bad-scale, huge-dilation, custom-op; "
                     "or an older converter's quirk TFLM accepts: bias-axis "
                     "(the first operator's 1-D bias names quantized "
                     "dimension 3, per channel)"),
            cl::cat(category));
static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::Required, cl::cat(category));
static cl::opt<unsigned> seed("seed", cl::desc("Generator seed"), cl::init(1),
                              cl::cat(category));
static cl::opt<unsigned>
    inputBytes("input-bytes",
               cl::desc("Instead of a model, write N xorshift bytes (the "
                        "golden data's input generator)"),
               cl::init(0), cl::cat(category));
static cl::opt<unsigned>
    inputFloats("input-floats",
                cl::desc("Instead of a model, write N float32 values in "
                         "[0, 1) from the same generator"),
                cl::init(0), cl::cat(category));
static cl::opt<bool> listModels("list", cl::desc("List the models"),
                                cl::cat(category));

namespace {

struct XorShift {
  uint32_t x;
  explicit XorShift(uint32_t s) : x(s ? s : 0x9E3779B9u) {}
  uint32_t next() {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
  }
  int8_t int8() { return static_cast<int8_t>(next() & 0xFF); }
  float unit() { return static_cast<float>(next() >> 8) / 16777216.0f; }
};

/// The activations' type: int16 is 16x8 quantization (int8 weights,
/// symmetric int16 activations).
enum class Kind { Int8, UInt8, Int16, Float32 };

/// TFLite's output size of a convolution or pooling window along one axis.
int32_t outputExtent(int32_t in, int32_t kernel, int32_t stride,
                     int32_t dilation, Padding padding) {
  const int32_t span = (kernel - 1) * dilation + 1;
  return padding == Padding_SAME ? (in + stride - 1) / stride
                                 : (in - span + stride) / stride;
}

/// Builds one subgraph; every helper returns a tensor index.
class Builder : public ft::testing::TFLiteModelBuilder {
public:
  Builder(Kind kind, uint32_t seed)
      : TFLiteModelBuilder("FusedTiling generated model"), kind(kind),
        rng(seed) {}

  Kind kind;
  XorShift rng;

  TensorType actType() const {
    return kind == Kind::Float32 ? TensorType_FLOAT32
           : kind == Kind::UInt8 ? TensorType_UINT8
           : kind == Kind::Int16 ? TensorType_INT16
                                 : TensorType_INT8;
  }
  bool quantized() const { return kind != Kind::Float32; }
  /// Zero point in the tensor's own domain (uint8 shifted by 128; int16
  /// is symmetric, as TFLite requires).
  int64_t zp(int64_t signedZp) const {
    return kind == Kind::UInt8   ? signedZp + 128
           : kind == Kind::Int16 ? 0
                                 : signedZp;
  }

  /// An activation tensor of the model's type.
  int act(const std::string &name, std::vector<int32_t> shape,
          float scale = 0.05f, int64_t signedZp = -3) {
    if (!quantized())
      return tensor(name, shape, TensorType_FLOAT32);
    return tensor(name, shape, actType(), {scale}, {zp(signedZp)});
  }

  static int64_t count(const std::vector<int32_t> &shape) {
    int64_t n = 1;
    for (int32_t d : shape)
      n *= d;
    return n;
  }

  /// n float32 weights in [-0.25, 0.25), as bytes.
  std::vector<uint8_t> randomFloatBytes(int64_t n) {
    std::vector<uint8_t> data(n * 4);
    for (int64_t i = 0; i < n; ++i) {
      float v = (rng.unit() - 0.5f) * 0.5f;
      std::memcpy(&data[i * 4], &v, 4);
    }
    return data;
  }

  /// n random int8 weights, as bytes.
  std::vector<uint8_t> randomInt8Bytes(int64_t n) {
    std::vector<uint8_t> data;
    for (int64_t i = 0; i < n; ++i)
      data.push_back(static_cast<uint8_t>(rng.int8()));
    return data;
  }

  /// Convolution-style weights: per-channel int8 (int8 models), per-tensor
  /// uint8 with zero point 120 (uint8 models), or float.
  int weights(const std::string &name, std::vector<int32_t> shape,
              int channelDim) {
    const int64_t n = count(shape);
    if (kind == Kind::Float32)
      return tensor(name, shape, TensorType_FLOAT32, {}, {},
                    randomFloatBytes(n));
    std::vector<uint8_t> data = randomInt8Bytes(n);
    if (kind == Kind::UInt8)
      return tensor(name, shape, TensorType_UINT8, {0.004f}, {120}, data);
    std::vector<float> scales;
    for (int32_t c = 0; c < shape[channelDim]; ++c)
      scales.push_back(0.002f + 0.0005f * static_cast<float>(c % 5));
    return tensor(name, shape, TensorType_INT8, scales,
                  std::vector<int64_t>(scales.size(), 0), data, channelDim);
  }

  /// The bias of a convolution on `weightTensor`: float, or int32 scaled by
  /// input scale times filter scale (int64 with `wide`: 16x8 kernels that
  /// read only int64 biases).
  int bias(const std::string &name, int32_t n, float inScale, int weightTensor,
           bool wide = false) {
    std::vector<uint8_t> data(n * 4);
    if (kind == Kind::Float32) {
      for (int32_t i = 0; i < n; ++i) {
        float v = (rng.unit() - 0.5f) * 0.2f;
        std::memcpy(&data[i * 4], &v, 4);
      }
      return tensor(name, {n}, TensorType_FLOAT32, {}, {}, data);
    }
    const auto &wq = sg->tensors[weightTensor]->quantization->scale;
    std::vector<float> scales;
    for (int32_t i = 0; i < n; ++i) {
      int32_t v = static_cast<int32_t>(rng.next() % 2001) - 1000;
      std::memcpy(&data[i * 4], &v, 4);
      scales.push_back(inScale * wq[wq.size() > 1 ? i : 0]);
    }
    if (wide) {
      std::vector<uint8_t> data64(n * 8);
      for (int32_t i = 0; i < n; ++i) {
        int32_t v;
        std::memcpy(&v, &data[i * 4], 4);
        const int64_t wideValue = v;
        std::memcpy(&data64[i * 8], &wideValue, 8);
      }
      return tensor(name, {n}, TensorType_INT64, scales, {}, data64);
    }
    return tensor(name, {n}, TensorType_INT32, scales, {}, data);
  }

  /// Constant weights with one scale and zero point 0 (int8), or float
  /// (the scale unused).
  int constWeights(const std::string &name, std::vector<int32_t> shape,
                   float scale) {
    const int64_t n = count(shape);
    if (kind == Kind::Float32)
      return tensor(name, shape, TensorType_FLOAT32, {}, {},
                    randomFloatBytes(n));
    std::vector<uint8_t> data = randomInt8Bytes(n);
    return tensor(name, shape, TensorType_INT8, {scale}, {0}, data);
  }
  /// Constant int16 weights with one scale, zero point 0.
  int int16Weights(const std::string &name, std::vector<int32_t> shape,
                   float scale) {
    const int64_t n = count(shape);
    std::vector<uint8_t> data(n * 2);
    for (int64_t i = 0; i < n; ++i) {
      const int16_t v = static_cast<int16_t>(rng.next() % 8001) - 4000;
      std::memcpy(&data[i * 2], &v, 2);
    }
    return tensor(name, shape, TensorType_INT16, {scale}, {0}, data);
  }
  /// A constant int32 (or, `wide`, int64) vector with one scale (a bias of
  /// a kernel that is not a convolution).
  int int32Values(const std::string &name, int32_t n, float scale,
                  bool wide = false) {
    const size_t width = wide ? 8 : 4;
    std::vector<uint8_t> data(n * width);
    for (int32_t i = 0; i < n; ++i) {
      const int64_t v = static_cast<int64_t>(rng.next() % 2001) - 1000;
      // Little-endian: the low bytes of the two's complement value.
      std::memcpy(&data[i * width], &v, width);
    }
    return tensor(name, {n}, wide ? TensorType_INT64 : TensorType_INT32,
                  {scale}, {0}, data);
  }
  /// A variable tensor (state kept across invocations).
  int variable(const std::string &name, std::vector<int32_t> shape,
               TensorType type, float scale, int64_t zeroPoint) {
    int t = type == TensorType_FLOAT32
                ? tensor(name, shape, type)
                : tensor(name, shape, type, {scale}, {zeroPoint});
    sg->tensors[t]->is_variable = true;
    return t;
  }

  float scaleOf(int t) const {
    auto &q = sg->tensors[t]->quantization;
    return q ? q->scale[0] : 1.0f;
  }
  const std::vector<int32_t> &shapeOf(int t) const {
    return sg->tensors[t]->shape;
  }

  // --- Layers -------------------------------------------------------------
  int conv(int in, int32_t outC, int32_t kh, int32_t kw, int32_t stride,
           Padding padding, ActivationFunctionType act, const std::string &name,
           int32_t dilation = 1) {
    auto s = shapeOf(in);
    int w = weights(name + "/filter", {outC, kh, kw, s[3]}, 0);
    int b = bias(name + "/bias", outC, scaleOf(in), w);
    auto out = [&](int32_t i, int32_t k) {
      return outputExtent(i, k, stride, dilation, padding);
    };
    int y = this->act(name, {s[0], out(s[1], kh), out(s[2], kw), outC}, 0.08f,
                      act == ActivationFunctionType_NONE ? 5 : -128);
    Conv2DOptionsT o;
    o.padding = padding;
    o.stride_h = o.stride_w = stride;
    o.dilation_h_factor = o.dilation_w_factor = dilation;
    o.fused_activation_function = act;
    op(BuiltinOperator_CONV_2D, {in, w, b}, {y}).builtin_options.Set(o);
    return y;
  }

  /// TRANSPOSE_CONV (operands: output shape, filter, input, bias); the
  /// output's size is TFLite's: input * stride (SAME) or
  /// (input - 1) * stride + kernel (VALID).
  int transposeConv(int in, int32_t outC, int32_t kh, int32_t kw,
                    int32_t strideH, int32_t strideW, Padding padding,
                    ActivationFunctionType act, const std::string &name) {
    auto s = shapeOf(in);
    auto out = [&](int32_t i, int32_t k, int32_t stride) {
      return padding == Padding_SAME ? i * stride : (i - 1) * stride + k;
    };
    std::vector<int32_t> outShape = {s[0], out(s[1], kh, strideH),
                                     out(s[2], kw, strideW), outC};
    int shape = int32Const(name + "/output_shape", {4}, outShape);
    int w = weights(name + "/filter", {outC, kh, kw, s[3]}, 0);
    int b = bias(name + "/bias", outC, scaleOf(in), w,
                 /*wide=*/kind == Kind::Int16);
    int y = this->act(name, outShape, 0.06f, 4);
    TransposeConvOptionsT o;
    o.padding = padding;
    o.stride_h = strideH;
    o.stride_w = strideW;
    o.fused_activation_function = act;
    op(BuiltinOperator_TRANSPOSE_CONV, {shape, w, in, b}, {y})
        .builtin_options.Set(o);
    return y;
  }

  int depthwise(int in, int32_t multiplier, int32_t k, int32_t stride,
                Padding padding, ActivationFunctionType act,
                const std::string &name, int32_t dilation = 1) {
    auto s = shapeOf(in);
    const int32_t outC = s[3] * multiplier;
    int w = weights(name + "/filter", {1, k, k, outC}, 3);
    // TFLM's 16x8 depthwise kernel reads only int64 biases.
    int b = bias(name + "/bias", outC, scaleOf(in), w,
                 /*wide=*/kind == Kind::Int16);
    auto out = [&](int32_t i) {
      return outputExtent(i, k, stride, dilation, padding);
    };
    int y = this->act(name, {s[0], out(s[1]), out(s[2]), outC}, 0.06f, -128);
    DepthwiseConv2DOptionsT o;
    o.padding = padding;
    o.stride_h = o.stride_w = stride;
    o.dilation_h_factor = o.dilation_w_factor = dilation;
    o.depth_multiplier = multiplier;
    o.fused_activation_function = act;
    op(BuiltinOperator_DEPTHWISE_CONV_2D, {in, w, b}, {y})
        .builtin_options.Set(o);
    return y;
  }

  int fullyConnected(int in, int32_t units, ActivationFunctionType act,
                     const std::string &name) {
    auto s = shapeOf(in);
    const int32_t depth = s.back();
    int w = weights(name + "/weights", {units, depth}, 0);
    int b = bias(name + "/bias", units, scaleOf(in), w);
    std::vector<int32_t> outShape(s.begin(), s.end() - 1);
    outShape.push_back(units);
    int y = this->act(name, outShape, 0.1f, 2);
    FullyConnectedOptionsT o;
    o.fused_activation_function = act;
    o.keep_num_dims = s.size() > 2;
    op(BuiltinOperator_FULLY_CONNECTED, {in, w, b}, {y}).builtin_options.Set(o);
    return y;
  }

  int pool(int in, bool isMax, int32_t k, int32_t stride, Padding padding,
           const std::string &name) {
    return pool(in, isMax, k, k, stride, padding, name);
  }
  int pool(int in, bool isMax, int32_t kh, int32_t kw, int32_t stride,
           Padding padding, const std::string &name) {
    auto s = shapeOf(in);
    auto outH = [&](int32_t i) {
      return outputExtent(i, kh, stride, /*dilation=*/1, padding);
    };
    auto outW = [&](int32_t i) {
      return outputExtent(i, kw, stride, /*dilation=*/1, padding);
    };
    auto &t = sg->tensors[in];
    int y = quantized()
                ? tensor(name, {s[0], outH(s[1]), outW(s[2]), s[3]}, actType(),
                         t->quantization->scale, t->quantization->zero_point)
                : tensor(name, {s[0], outH(s[1]), outW(s[2]), s[3]},
                         TensorType_FLOAT32);
    Pool2DOptionsT o;
    o.padding = padding;
    o.stride_h = o.stride_w = stride;
    o.filter_height = kh;
    o.filter_width = kw;
    op(isMax ? BuiltinOperator_MAX_POOL_2D : BuiltinOperator_AVERAGE_POOL_2D,
       {in}, {y})
        .builtin_options.Set(o);
    return y;
  }

  /// PAD of the rows and columns by `before` and `after` elements; the
  /// output keeps the input's quantization (TFLite pads with the zero point).
  int padSpatial(int in, int32_t before, int32_t after,
                 const std::string &name) {
    auto s = shapeOf(in);
    std::vector<int32_t> shape = {s[0], s[1] + before + after,
                                  s[2] + before + after, s[3]};
    auto &t = sg->tensors[in];
    int y = quantized() ? tensor(name, shape, actType(), t->quantization->scale,
                                 t->quantization->zero_point)
                        : tensor(name, shape, TensorType_FLOAT32);
    int paddings = int32Const(name + "/paddings", {4, 2},
                              {0, 0, before, after, before, after, 0, 0});
    op(BuiltinOperator_PAD, {in, paddings}, {y});
    return y;
  }

  /// An elementwise op with its own output quantization (LOGISTIC, TANH).
  int unary(int in, BuiltinOperator code, float outScale, int64_t outZp,
            const std::string &name) {
    auto shape = shapeOf(in);
    int y = quantized()
                ? tensor(name, shape, actType(), {outScale}, {zp(outZp)})
                : tensor(name, shape, TensorType_FLOAT32);
    op(code, {in}, {y});
    return y;
  }

  int reshape(int in, std::vector<int32_t> shape, const std::string &name) {
    auto &t = sg->tensors[in];
    int y = quantized() ? tensor(name, shape, actType(), t->quantization->scale,
                                 t->quantization->zero_point)
                        : tensor(name, shape, TensorType_FLOAT32);
    int s = int32Const(name + "/shape", {static_cast<int32_t>(shape.size())},
                       shape);
    ReshapeOptionsT o;
    o.new_shape = shape;
    op(BuiltinOperator_RESHAPE, {in, s}, {y}).builtin_options.Set(o);
    return y;
  }

  /// SOFTMAX with TFLM's fixed output quantization: 1/256 and -128 (uint8:
  /// 0) on 8 bits, 1/32768 and 0 on int16.
  int softmax(int in, const std::string &name) {
    int y = kind == Kind::Int16
                ? tensor(name, shapeOf(in), actType(), {1.0f / 32768}, {0})
            : quantized()
                ? tensor(name, shapeOf(in), actType(), {1.0f / 256}, {zp(-128)})
                : tensor(name, shapeOf(in), TensorType_FLOAT32);
    SoftmaxOptionsT o;
    o.beta = 1.0f;
    op(BuiltinOperator_SOFTMAX, {in}, {y}).builtin_options.Set(o);
    return y;
  }
};

using ModelFn = std::function<void(Builder &)>;

/// A unary/elementwise op on a 1x4x4x8 input.
void unaryModel(Builder &b, BuiltinOperator code, float outScale,
                int64_t outZp) {
  int x = b.act("input", {1, 4, 4, 8}, 0.1f, 3);
  int y = b.quantized() ? b.tensor("output", {1, 4, 4, 8}, b.actType(),
                                   {outScale}, {b.zp(outZp)})
                        : b.tensor("output", {1, 4, 4, 8}, TensorType_FLOAT32);
  b.op(code, {x}, {y});
  b.sg->inputs = {x};
  b.sg->outputs = {y};
}

void binaryModel(Builder &b, BuiltinOperator code) {
  int x = b.act("lhs", {1, 4, 4, 8}, 0.1f, 3);
  int z = b.act("rhs", {1, 1, 1, 8}, 0.07f, -5);
  int y = b.act("output", {1, 4, 4, 8}, 0.15f, 1);
  OperatorT &o = b.op(code, {x, z}, {y});
  if (code == BuiltinOperator_ADD) {
    AddOptionsT opts;
    opts.fused_activation_function = ActivationFunctionType_RELU;
    o.builtin_options.Set(opts);
  } else if (code == BuiltinOperator_SUB) {
    SubOptionsT opts;
    o.builtin_options.Set(opts);
  } else if (code == BuiltinOperator_MUL) {
    MulOptionsT opts;
    o.builtin_options.Set(opts);
  }
  b.sg->inputs = {x, z};
  b.sg->outputs = {y};
}

/// MAXIMUM/MINIMUM: both operands and the result share one quantization.
void sameShapeBinaryModel(Builder &b, BuiltinOperator code) {
  int x = b.act("lhs", {1, 4, 4, 2});
  int z = b.act("rhs", {1, 4, 4, 2});
  int y = b.act("output", {1, 4, 4, 2});
  b.op(code, {x, z}, {y});
  b.sg->inputs = {x, z};
  b.sg->outputs = {y};
}

std::map<std::string, ModelFn> models() {
  std::map<std::string, ModelFn> m;
  m["conv"] = [](Builder &b) {
    int x = b.act("input", {1, 8, 8, 3}, 0.02f, -1);
    int y = b.conv(x, 4, 3, 3, 1, Padding_SAME, ActivationFunctionType_RELU,
                   "conv");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["conv_stride2_valid"] = [](Builder &b) {
    int x = b.act("input", {1, 9, 9, 2}, 0.02f, -1);
    int y = b.conv(x, 3, 3, 3, 2, Padding_VALID, ActivationFunctionType_RELU6,
                   "conv");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["depthwise"] = [](Builder &b) {
    int x = b.act("input", {1, 6, 6, 4}, 0.02f, -1);
    int y = b.depthwise(x, 1, 3, 1, Padding_SAME, ActivationFunctionType_RELU,
                        "dw");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["depthwise_m2"] = [](Builder &b) {
    int x = b.act("input", {1, 6, 6, 3}, 0.02f, -1);
    int y = b.depthwise(x, 2, 3, 2, Padding_SAME, ActivationFunctionType_NONE,
                        "dw");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["fully_connected"] = [](Builder &b) {
    int x = b.act("input", {1, 16}, 0.05f, 4);
    int y = b.fullyConnected(x, 5, ActivationFunctionType_NONE, "fc");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["mlp"] = [](Builder &b) {
    // Dense -> dense (-> dense): fused depthwise tiling's classic case.
    int x = b.act("input", {1, 32}, 0.05f, 4);
    int h1 = b.fullyConnected(x, 64, ActivationFunctionType_RELU, "fc1");
    int h2 = b.fullyConnected(h1, 48, ActivationFunctionType_RELU, "fc2");
    int y = b.fullyConnected(h2, 10, ActivationFunctionType_NONE, "fc3");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["avgpool"] = [](Builder &b) {
    int x = b.act("input", {1, 5, 5, 3}, 0.05f, 4);
    int y = b.pool(x, false, 2, 2, Padding_SAME, "pool");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["maxpool"] = [](Builder &b) {
    int x = b.act("input", {1, 6, 6, 3}, 0.05f, 4);
    int y = b.pool(x, true, 3, 2, Padding_VALID, "pool");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["softmax"] = [](Builder &b) {
    int x = b.act("input", {1, 10}, 0.1f, 7);
    int y = b.softmax(x, "softmax");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["softmax_int16_output"] = [](Builder &b) {
    // int8 in, int16 out (scale 1/65536, zero point -32768) whatever
    // --type says: the last SOFTMAX of TFLM's keyword_scrambled models,
    // with their input quantization.
    int x = b.tensor("input", {1, 2}, TensorType_INT8, {0.0699627325f}, {2});
    int y =
        b.tensor("softmax", {1, 2}, TensorType_INT16, {1.0f / 65536}, {-32768});
    SoftmaxOptionsT o;
    o.beta = 1.0f;
    b.op(BuiltinOperator_SOFTMAX, {x}, {y}).builtin_options.Set(o);
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["reshape"] = [](Builder &b) {
    int x = b.act("input", {1, 2, 3, 4});
    int y = b.reshape(x, {1, 24}, "flat");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["add"] = [](Builder &b) { binaryModel(b, BuiltinOperator_ADD); };
  m["sub"] = [](Builder &b) { binaryModel(b, BuiltinOperator_SUB); };
  m["mul"] = [](Builder &b) { binaryModel(b, BuiltinOperator_MUL); };
  m["logistic"] = [](Builder &b) {
    unaryModel(b, BuiltinOperator_LOGISTIC, 1.0f / 256, -128);
  };
  m["tanh"] = [](Builder &b) {
    unaryModel(b, BuiltinOperator_TANH, 1.0f / 128, 0);
  };
  m["relu"] = [](Builder &b) {
    unaryModel(b, BuiltinOperator_RELU, 0.1f, -128);
  };
  m["relu6"] = [](Builder &b) {
    unaryModel(b, BuiltinOperator_RELU6, 0.05f, -128);
  };
  m["concat"] = [](Builder &b) {
    // The second input requantized (8-bit); int16 concatenation needs one
    // quantization (TFLM copies the values).
    int x = b.act("a", {1, 2, 2, 3}, 0.1f, 3);
    int z = b.act("b", {1, 2, 2, 5}, b.kind == Kind::Int16 ? 0.1f : 0.2f, -7);
    int y = b.act("output", {1, 2, 2, 8}, 0.1f, 3);
    ConcatenationOptionsT o;
    o.axis = -1;
    b.op(BuiltinOperator_CONCATENATION, {x, z}, {y}).builtin_options.Set(o);
    b.sg->inputs = {x, z};
    b.sg->outputs = {y};
  };
  m["pad"] = [](Builder &b) {
    int x = b.act("input", {1, 3, 3, 2});
    int p = b.int32Const("paddings", {4, 2}, {0, 0, 1, 2, 2, 1, 0, 0});
    int y = b.act("output", {1, 6, 6, 2});
    b.op(BuiltinOperator_PAD, {x, p}, {y});
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["transpose"] = [](Builder &b) {
    int x = b.act("input", {1, 2, 3, 4});
    int p = b.int32Const("perm", {4}, {0, 3, 1, 2});
    int y = b.act("output", {1, 4, 2, 3});
    b.op(BuiltinOperator_TRANSPOSE, {x, p}, {y});
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["strided_slice"] = [](Builder &b) {
    int x = b.act("input", {1, 6, 6, 4});
    int begin = b.int32Const("begin", {4}, {0, 1, 2, 0});
    int end = b.int32Const("end", {4}, {1, 5, 6, 3});
    int strides = b.int32Const("strides", {4}, {1, 1, 1, 1});
    int y = b.act("output", {4, 4, 3});
    StridedSliceOptionsT o;
    o.shrink_axis_mask = 1;
    b.op(BuiltinOperator_STRIDED_SLICE, {x, begin, end, strides}, {y})
        .builtin_options.Set(o);
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["strided_slice_steps"] = [](Builder &b) {
    // x[:, 1:7:2, 4:0:-2, :]
    int x = b.act("input", {1, 7, 5, 2});
    int begin = b.int32Const("begin", {4}, {0, 1, 4, 0});
    int end = b.int32Const("end", {4}, {1, 7, 0, 2});
    int strides = b.int32Const("strides", {4}, {1, 2, -2, 1});
    int y = b.act("output", {1, 3, 2, 2});
    StridedSliceOptionsT o;
    b.op(BuiltinOperator_STRIDED_SLICE, {x, begin, end, strides}, {y})
        .builtin_options.Set(o);
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["squeeze"] = [](Builder &b) {
    int x = b.act("input", {1, 1, 1, 6});
    int y = b.act("output", {1, 6});
    SqueezeOptionsT o;
    o.squeeze_dims = {1, 2};
    b.op(BuiltinOperator_SQUEEZE, {x}, {y}).builtin_options.Set(o);
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["split"] = [](Builder &b) {
    // SPLIT into 2 along the last axis, SPLIT_V into 1 + 3 rows.
    int x = b.act("input", {1, 4, 6});
    int axis = b.int32Const("axis", {}, {-1});
    int left = b.act("left", {1, 4, 3}), right = b.act("right", {1, 4, 3});
    SplitOptionsT split;
    split.num_splits = 2;
    b.op(BuiltinOperator_SPLIT, {axis, x}, {left, right})
        .builtin_options.Set(split);
    int sizes = b.int32Const("sizes", {2}, {1, 3});
    int rowAxis = b.int32Const("row_axis", {}, {1});
    int top = b.act("top", {1, 1, 6}), bottom = b.act("bottom", {1, 3, 6});
    SplitVOptionsT splitV;
    splitV.num_splits = 2;
    b.op(BuiltinOperator_SPLIT_V, {x, sizes, rowAxis}, {top, bottom})
        .builtin_options.Set(splitV);
    b.sg->inputs = {x};
    b.sg->outputs = {left, right, top, bottom};
  };
  m["pack_unpack"] = [](Builder &b) {
    // UNPACK a [3, 2, 4] along axis 0, PACK the three back along the last
    // axis in the order 2, 0, 1: output[i, j, k] = input[(k + 2) % 3, i, j].
    int x = b.act("input", {3, 2, 4});
    int u0 = b.act("u0", {2, 4}), u1 = b.act("u1", {2, 4}),
        u2 = b.act("u2", {2, 4});
    UnpackOptionsT unpack;
    unpack.num = 3;
    unpack.axis = 0;
    b.op(BuiltinOperator_UNPACK, {x}, {u0, u1, u2}).builtin_options.Set(unpack);
    int y = b.act("output", {2, 4, 3});
    PackOptionsT pack;
    pack.values_count = 3;
    pack.axis = -1;
    b.op(BuiltinOperator_PACK, {u2, u0, u1}, {y}).builtin_options.Set(pack);
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["reduce_max"] = [](Builder &b) {
    // Over rows and columns keeping the dimensions, and over channels not.
    int x = b.act("input", {1, 3, 4, 5});
    int spatial = b.int32Const("spatial", {2}, {1, 2});
    int channels = b.int32Const("channels", {1}, {-1});
    int y = b.act("spatial_max", {1, 1, 1, 5});
    int z = b.act("channel_max", {1, 3, 4});
    ReducerOptionsT keep, drop;
    keep.keep_dims = true;
    drop.keep_dims = false;
    b.op(BuiltinOperator_REDUCE_MAX, {x, spatial}, {y})
        .builtin_options.Set(keep);
    b.op(BuiltinOperator_REDUCE_MAX, {x, channels}, {z})
        .builtin_options.Set(drop);
    b.sg->inputs = {x};
    b.sg->outputs = {y, z};
  };
  m["mean"] = [](Builder &b) {
    // A global average over rows and columns without keep_dims (Keras'
    // GlobalAveragePooling2D: 35 elements), and over channels keeping them;
    // outputs with their own scales and zero points.
    int x = b.act("input", {1, 5, 7, 6}, 0.05f, -3);
    int spatial = b.int32Const("spatial", {2}, {1, 2});
    int channels = b.int32Const("channels", {1}, {-1});
    int y = b.act("spatial_mean", {1, 6}, 0.03f, 2);
    int z = b.act("channel_mean", {1, 5, 7, 1}, 0.05f, -3);
    ReducerOptionsT keep, drop;
    keep.keep_dims = true;
    drop.keep_dims = false;
    b.op(BuiltinOperator_MEAN, {x, spatial}, {y}).builtin_options.Set(drop);
    b.op(BuiltinOperator_MEAN, {x, channels}, {z}).builtin_options.Set(keep);
    b.sg->inputs = {x};
    b.sg->outputs = {y, z};
  };
  m["transpose_conv"] = [](Builder &b) {
    // Stride 2 with a 3x3 filter (not a multiple of the stride; SAME crops
    // the last row and column), stride 2x1 with a 4x3 filter (SAME crops
    // the first row and column too), stride 1 VALID, then a 1x1 filter at
    // stride 2 VALID. The first has a fused ReLU.
    int x = b.act("input", {1, 3, 4, 3}, 0.05f, -3);
    int y = b.transposeConv(x, 4, 3, 3, 2, 2, Padding_SAME,
                            ActivationFunctionType_RELU, "up1");
    int z = b.transposeConv(y, 2, 4, 3, 2, 1, Padding_SAME,
                            ActivationFunctionType_NONE, "up2");
    int t = b.transposeConv(z, 2, 2, 2, 1, 1, Padding_VALID,
                            ActivationFunctionType_NONE, "up3");
    // A 1x1 filter at stride 2: the odd rows and columns get the bias only.
    int u = b.transposeConv(t, 2, 1, 1, 2, 2, Padding_VALID,
                            ActivationFunctionType_NONE, "up4");
    b.sg->inputs = {x};
    b.sg->outputs = {u};
  };
  m["leaky_relu"] = [](Builder &b) {
    // Output scale apart from the input's, alpha 0.3.
    int x = b.act("input", {1, 4, 4, 3}, 0.05f, -3);
    int y = b.act("output", {1, 4, 4, 3}, 0.04f, 10);
    LeakyReluOptionsT o;
    o.alpha = 0.3f;
    b.op(BuiltinOperator_LEAKY_RELU, {x}, {y}).builtin_options.Set(o);
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["hard_swish"] = [](Builder &b) {
    int x = b.act("input", {1, 4, 4, 3}, 0.05f, -3);
    int y = b.act("output", {1, 4, 4, 3}, 0.03f, -60);
    b.op(BuiltinOperator_HARD_SWISH, {x}, {y});
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["resize_nearest"] = [](Builder &b) {
    // 3x4 to 7x9 with half-pixel centres (a detector neck's upsampling).
    int x = b.act("input", {1, 3, 4, 2});
    int size = b.int32Const("size", {2}, {7, 9});
    int y = b.act("output", {1, 7, 9, 2});
    ResizeNearestNeighborOptionsT o;
    o.half_pixel_centers = true;
    b.op(BuiltinOperator_RESIZE_NEAREST_NEIGHBOR, {x, size}, {y})
        .builtin_options.Set(o);
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["resize_bilinear"] = [](Builder &b) {
    // 3x4 to 7x9, align_corners (a segmentation decoder's upsampling).
    int x = b.act("input", {1, 3, 4, 2});
    int size = b.int32Const("size", {2}, {7, 9});
    int y = b.act("output", {1, 7, 9, 2});
    ResizeBilinearOptionsT o;
    o.align_corners = true;
    b.op(BuiltinOperator_RESIZE_BILINEAR, {x, size}, {y})
        .builtin_options.Set(o);
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["upsample_chain"] = [](Builder &b) {
    // A decoder's stage: conv, nearest-neighbour 2x upsampling, conv, a
    // bilinear 2x upsampling and conv (automatic tiling sees the resizes in
    // its paths).
    int x = b.act("input", {1, 12, 12, 3});
    int t = b.conv(x, 8, 3, 3, 1, Padding_SAME, ActivationFunctionType_RELU,
                   "conv0");
    int nearestSize = b.int32Const("up1/size", {2}, {24, 24});
    int up1 = b.act("up1", {1, 24, 24, 8}, b.scaleOf(t), -128);
    b.op(BuiltinOperator_RESIZE_NEAREST_NEIGHBOR, {t, nearestSize}, {up1});
    t = b.conv(up1, 8, 3, 3, 1, Padding_SAME, ActivationFunctionType_RELU,
               "conv1");
    int bilinearSize = b.int32Const("up2/size", {2}, {48, 48});
    int up2 = b.act("up2", {1, 48, 48, 8}, b.scaleOf(t), -128);
    ResizeBilinearOptionsT o;
    o.half_pixel_centers = true;
    b.op(BuiltinOperator_RESIZE_BILINEAR, {t, bilinearSize}, {up2})
        .builtin_options.Set(o);
    int y = b.conv(up2, 4, 3, 3, 1, Padding_SAME, ActivationFunctionType_NONE,
                   "conv2");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["depth_space_chain"] = [](Builder &b) {
    // Block rearrangements (super-resolution, detector necks): conv,
    // SPACE_TO_DEPTH by 2, conv, DEPTH_TO_SPACE by 2, conv (automatic
    // tiling sees the rearrangements in its paths).
    int x = b.act("input", {1, 16, 16, 3});
    int t = b.conv(x, 8, 3, 3, 1, Padding_SAME, ActivationFunctionType_RELU,
                   "conv0");
    int deep = b.act("to_depth", {1, 8, 8, 32}, b.scaleOf(t), -128);
    SpaceToDepthOptionsT toDepth;
    toDepth.block_size = 2;
    b.op(BuiltinOperator_SPACE_TO_DEPTH, {t}, {deep})
        .builtin_options.Set(toDepth);
    t = b.conv(deep, 32, 3, 3, 1, Padding_SAME, ActivationFunctionType_RELU,
               "conv1");
    int wide = b.act("to_space", {1, 16, 16, 8}, b.scaleOf(t), -128);
    DepthToSpaceOptionsT toSpace;
    toSpace.block_size = 2;
    b.op(BuiltinOperator_DEPTH_TO_SPACE, {t}, {wide})
        .builtin_options.Set(toSpace);
    int y = b.conv(wide, 4, 3, 3, 1, Padding_SAME, ActivationFunctionType_NONE,
                   "conv2");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["mirror_pad_chain"] = [](Builder &b) {
    // Mirror padding before VALID convolutions (style transfer, image
    // restoration): conv, REFLECT by 1, 3x3 VALID conv, SYMMETRIC by 2,
    // 5x5 VALID conv (automatic tiling sees the pads in its paths).
    int x = b.act("input", {1, 16, 16, 3});
    int t = b.conv(x, 8, 3, 3, 1, Padding_SAME, ActivationFunctionType_RELU,
                   "conv0");
    auto mirror = [&](int in, int32_t pad, MirrorPadMode mode,
                      const std::string &name) {
      auto shape = b.shapeOf(in);
      int paddings = b.int32Const(name + "/paddings", {4, 2},
                                  {0, 0, pad, pad, pad, pad, 0, 0});
      int out = b.act(
          name, {shape[0], shape[1] + 2 * pad, shape[2] + 2 * pad, shape[3]},
          b.scaleOf(in), -128);
      MirrorPadOptionsT o;
      o.mode = mode;
      b.op(BuiltinOperator_MIRROR_PAD, {in, paddings}, {out})
          .builtin_options.Set(o);
      return out;
    };
    t = mirror(t, 1, MirrorPadMode_REFLECT, "reflect");
    t = b.conv(t, 8, 3, 3, 1, Padding_VALID, ActivationFunctionType_RELU,
               "conv1");
    t = mirror(t, 2, MirrorPadMode_SYMMETRIC, "symmetric");
    int y = b.conv(t, 4, 5, 5, 1, Padding_VALID, ActivationFunctionType_NONE,
                   "conv2");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["greater_select"] = [](Builder &b) {
    // A bool mask as a graph output and as SELECT_V2's condition (bools
    // are bytes 0 and 1).
    int x = b.act("a", {1, 4, 4, 3});
    int z = b.act("b", {1, 4, 4, 3});
    int mask = b.tensor("mask", {1, 4, 4, 3}, TensorType_BOOL);
    b.op(BuiltinOperator_GREATER, {x, z}, {mask});
    int y = b.act("larger", {1, 4, 4, 3});
    b.op(BuiltinOperator_SELECT_V2, {mask, x, z}, {y});
    b.sg->inputs = {x, z};
    b.sg->outputs = {mask, y};
  };
  m["svdf"] = [](Builder &b) {
    // A keyword spotter's SVDF: rank 2, memory 4, the state a variable
    // (int16 with int16 time weights; float32 with --type=float32).
    const bool isFloat = b.kind == Kind::Float32;
    b.kind = isFloat ? Kind::Float32 : Kind::Int8;
    int x = b.act("input", {1, 8}, 0.05f, -3);
    int featureWeights = b.constWeights("weights_feature", {6, 8}, 0.01f);
    int timeWeights = isFloat ? b.constWeights("weights_time", {6, 4}, 0.f)
                              : b.int16Weights("weights_time", {6, 4}, 0.0005f);
    const float stateScale = 0.002f;
    int bias = isFloat ? b.bias("bias", 3, 0.f, featureWeights)
                       : b.int32Values("bias", 3, stateScale * 0.0005f);
    int state = b.variable("activation_state", {1, 24},
                           isFloat ? TensorType_FLOAT32 : TensorType_INT16,
                           stateScale, 0);
    int y = b.act("output", {1, 3}, 0.5f, 2);
    SVDFOptionsT o;
    o.rank = 2;
    b.op(BuiltinOperator_SVDF, {x, featureWeights, timeWeights, bias, state},
         {y})
        .builtin_options.Set(o);
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["lstm"] = [](Builder &b) {
    // UNIDIRECTIONAL_SEQUENCE_LSTM over 3 time steps, 5 units, cell clip 2
    // (int8 with an int16 cell state; float32 with --type=float32; 16x8,
    // int16 activations and int64 biases, with --type=int16).
    const bool isFloat = b.kind == Kind::Float32;
    const bool wide = b.kind == Kind::Int16;
    b.kind = isFloat ? Kind::Float32 : wide ? Kind::Int16 : Kind::Int8;
    const float inScale = wide ? 0.0004f : 0.05f;
    const float hiddenScale = wide ? 1.0f / 32768 : 1.0f / 128;
    int x = b.act("input", {1, 3, 4}, inScale, -3);
    std::vector<int32_t> inputs(24, -1);
    inputs[0] = x;
    for (int gate = 0; gate < 4; ++gate) {
      const std::string name = std::to_string(gate);
      inputs[1 + gate] = b.constWeights("input_weights_" + name, {5, 4}, 0.01f);
      inputs[5 + gate] =
          b.constWeights("recurrent_weights_" + name, {5, 5}, 0.008f);
      inputs[12 + gate] =
          isFloat ? b.bias("bias_" + name, 5, 0.f, inputs[1 + gate])
                  : b.int32Values("bias_" + name, 5, inScale * 0.01f, wide);
    }
    inputs[18] =
        b.variable("output_state", {1, 5}, b.actType(), hiddenScale, b.zp(-1));
    inputs[19] = b.variable("cell_state", {1, 5},
                            isFloat ? TensorType_FLOAT32 : TensorType_INT16,
                            1.0f / 2048, 0);
    int y = b.act("output", {1, 3, 5}, hiddenScale, -1);
    UnidirectionalSequenceLSTMOptionsT o;
    o.fused_activation_function = ActivationFunctionType_TANH;
    o.cell_clip = 2.0f;
    b.op(BuiltinOperator_UNIDIRECTIONAL_SEQUENCE_LSTM, inputs, {y})
        .builtin_options.Set(o);
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["resource_variable"] = [](Builder &b) {
    // An accumulator in a resource variable: CALL_ONCE runs subgraph 1,
    // which assigns the variable [0.5, 1, ..., 3]; each invocation reads it,
    // adds the input, writes the sum back and returns it (float32 only).
    b.kind = Kind::Float32;
    auto handle = [&](const std::string &name) {
      int h = b.tensor(name, {}, TensorType_RESOURCE);
      VarHandleOptionsT o;
      o.shared_name = "accumulator";
      b.op(BuiltinOperator_VAR_HANDLE, {}, {h}).builtin_options.Set(o);
      return h;
    };
    SubGraphT *main = b.sg;
    b.model.subgraphs.push_back(std::make_unique<SubGraphT>());
    b.sg = b.model.subgraphs.back().get();
    b.sg->name = "init";
    std::vector<uint8_t> initial(6 * 4);
    for (int i = 0; i < 6; ++i) {
      const float v = 0.5f * static_cast<float>(i + 1);
      std::memcpy(&initial[i * 4], &v, 4);
    }
    int value =
        b.tensor("initial", {2, 3}, TensorType_FLOAT32, {}, {}, initial);
    b.op(BuiltinOperator_ASSIGN_VARIABLE, {handle("init_handle"), value}, {});
    b.sg = main;
    int x = b.act("input", {2, 3});
    CallOnceOptionsT once;
    once.init_subgraph_index = 1;
    b.op(BuiltinOperator_CALL_ONCE, {}, {}).builtin_options.Set(once);
    int h = handle("handle");
    int previous = b.act("previous", {2, 3});
    b.op(BuiltinOperator_READ_VARIABLE, {h}, {previous});
    int y = b.act("sum", {2, 3});
    b.op(BuiltinOperator_ADD, {previous, x}, {y});
    b.op(BuiltinOperator_ASSIGN_VARIABLE, {h, y}, {});
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["if_branches"] = [](Builder &b) {
    // IF on a bool computed from the first input: subgraph 1 (then) adds 1
    // to x, subgraph 2 (else) doubles it (float32 only).
    b.kind = Kind::Float32;
    SubGraphT *main = b.sg;
    auto branch = [&](const std::string &name, BuiltinOperator code,
                      float constant) {
      b.model.subgraphs.push_back(std::make_unique<SubGraphT>());
      b.sg = b.model.subgraphs.back().get();
      b.sg->name = name;
      int in = b.act("x", {2, 3});
      std::vector<uint8_t> bytes(4);
      std::memcpy(bytes.data(), &constant, 4);
      int k = b.tensor("k", {1}, TensorType_FLOAT32, {}, {}, bytes);
      int out = b.act("y", {2, 3});
      b.op(code, {in, k}, {out});
      b.sg->inputs = {in};
      b.sg->outputs = {out};
    };
    branch("then", BuiltinOperator_ADD, 1.0f);
    branch("else", BuiltinOperator_MUL, 2.0f);
    b.sg = main;
    int selector = b.act("selector", {1});
    int x = b.act("x", {2, 3});
    std::vector<uint8_t> half(4);
    const float h = 0.5f;
    std::memcpy(half.data(), &h, 4);
    int threshold = b.tensor("half", {1}, TensorType_FLOAT32, {}, {}, half);
    int cond = b.tensor("cond", {1}, TensorType_BOOL);
    b.op(BuiltinOperator_GREATER, {selector, threshold}, {cond});
    int y = b.act("y", {2, 3});
    IfOptionsT o;
    o.then_subgraph_index = 1;
    o.else_subgraph_index = 2;
    b.op(BuiltinOperator_IF, {cond, x}, {y}).builtin_options.Set(o);
    b.sg->inputs = {selector, x};
    b.sg->outputs = {y};
  };
  m["while_loop"] = [](Builder &b) {
    // WHILE (i, x): while i < 4: i += 1, x = x * 0.5 + 1 (subgraph 1 the
    // condition, 2 the body). x ends at x / 16 + 1.875 (float32 only).
    b.kind = Kind::Float32;
    SubGraphT *main = b.sg;
    auto scalar = [&](const std::string &name, TensorType type, float f,
                      int32_t i) {
      std::vector<uint8_t> bytes(4);
      if (type == TensorType_FLOAT32)
        std::memcpy(bytes.data(), &f, 4);
      else
        std::memcpy(bytes.data(), &i, 4);
      return b.tensor(name, {1}, type, {}, {}, bytes);
    };
    b.model.subgraphs.push_back(std::make_unique<SubGraphT>());
    b.sg = b.model.subgraphs.back().get();
    b.sg->name = "cond";
    int ci = b.tensor("i", {1}, TensorType_INT32);
    int cx = b.act("x", {2, 3});
    int go = b.tensor("go", {1}, TensorType_BOOL);
    b.op(BuiltinOperator_LESS, {ci, scalar("limit", TensorType_INT32, 0, 4)},
         {go});
    b.sg->inputs = {ci, cx};
    b.sg->outputs = {go};
    b.model.subgraphs.push_back(std::make_unique<SubGraphT>());
    b.sg = b.model.subgraphs.back().get();
    b.sg->name = "body";
    int bi = b.tensor("i", {1}, TensorType_INT32);
    int bx = b.act("x", {2, 3});
    int ni = b.tensor("next_i", {1}, TensorType_INT32);
    b.op(BuiltinOperator_ADD, {bi, scalar("one", TensorType_INT32, 0, 1)},
         {ni});
    int half = b.act("half", {2, 3});
    b.op(BuiltinOperator_MUL, {bx, scalar("k", TensorType_FLOAT32, 0.5f, 0)},
         {half});
    int nx = b.act("next_x", {2, 3});
    b.op(BuiltinOperator_ADD, {half, scalar("c", TensorType_FLOAT32, 1.0f, 0)},
         {nx});
    b.sg->inputs = {bi, bx};
    b.sg->outputs = {ni, nx};
    b.sg = main;
    int x = b.act("x", {2, 3});
    int i0 = scalar("start", TensorType_INT32, 0, 0);
    int iOut = b.tensor("count", {1}, TensorType_INT32);
    int y = b.act("y", {2, 3});
    WhileOptionsT o;
    o.cond_subgraph_index = 1;
    o.body_subgraph_index = 2;
    b.op(BuiltinOperator_WHILE, {i0, x}, {iOut, y}).builtin_options.Set(o);
    b.sg->inputs = {x};
    b.sg->outputs = {iOut, y};
  };
  m["shape_flatten"] = [](Builder &b) {
    // Keras' flatten: SHAPE -> STRIDED_SLICE (the batch) -> PACK with -1
    // -> RESHAPE, folded at import.
    int x = b.act("input", {1, 2, 3, 4});
    int shape = b.tensor("shape", {4}, TensorType_INT32);
    b.op(BuiltinOperator_SHAPE, {x}, {shape});
    int begin = b.int32Const("begin", {1}, {0});
    int end = b.int32Const("end", {1}, {1});
    int strides = b.int32Const("strides", {1}, {1});
    int batch = b.tensor("batch", {}, TensorType_INT32);
    StridedSliceOptionsT so;
    so.shrink_axis_mask = 1;
    b.op(BuiltinOperator_STRIDED_SLICE, {shape, begin, end, strides}, {batch})
        .builtin_options.Set(so);
    int rest = b.int32Const("rest", {}, {-1});
    int newShape = b.tensor("new_shape", {2}, TensorType_INT32);
    PackOptionsT po;
    po.values_count = 2;
    b.op(BuiltinOperator_PACK, {batch, rest}, {newShape})
        .builtin_options.Set(po);
    int y = b.act("output", {1, 24});
    b.op(BuiltinOperator_RESHAPE, {x, newShape}, {y});
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["maximum"] = [](Builder &b) {
    sameShapeBinaryModel(b, BuiltinOperator_MAXIMUM);
  };
  m["minimum"] = [](Builder &b) {
    sameShapeBinaryModel(b, BuiltinOperator_MINIMUM);
  };
  m["quantize_dequantize"] = [](Builder &b) {
    // float -> int8 -> float; with --type=int16, float -> int16 (scale
    // 0.001, zero point 0) -> float, the int16 tensor an output too.
    const bool wide = b.kind == Kind::Int16;
    int x = b.tensor("input", {1, 8}, TensorType_FLOAT32);
    int q = wide
                ? b.tensor("quantized", {1, 8}, TensorType_INT16, {0.001f}, {0})
                : b.tensor("quantized", {1, 8}, TensorType_INT8, {0.05f}, {-4});
    int y = b.tensor("output", {1, 8}, TensorType_FLOAT32);
    b.op(BuiltinOperator_QUANTIZE, {x}, {q});
    b.op(BuiltinOperator_DEQUANTIZE, {q}, {y});
    b.sg->inputs = {x};
    b.sg->outputs = wide ? std::vector<int32_t>{q, y} : std::vector<int32_t>{y};
  };
  m["requantize"] = [](Builder &b) {
    int x = b.act("input", {1, 8}, 0.05f, -4);
    int y = b.act("output", {1, 8}, 0.03f, 6);
    b.op(BuiltinOperator_QUANTIZE, {x}, {y});
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["embedding"] = [](Builder &b) {
    // TXT-like: float token ids -> CAST -> GATHER -> MEAN -> FC -> SOFTMAX.
    int ids = b.tensor("ids", {1, 8}, TensorType_FLOAT32);
    int ids32 = b.tensor("ids_int", {1, 8}, TensorType_INT32);
    b.op(BuiltinOperator_CAST, {ids}, {ids32});
    std::vector<uint8_t> table(20 * 4 * 4);
    for (size_t i = 0; i < table.size() / 4; ++i) {
      float v = b.rng.unit() - 0.5f;
      std::memcpy(&table[i * 4], &v, 4);
    }
    int tbl = b.tensor("embedding", {20, 4}, TensorType_FLOAT32, {}, {}, table);
    int g = b.tensor("lookup", {1, 8, 4}, TensorType_FLOAT32);
    GatherOptionsT go;
    b.op(BuiltinOperator_GATHER, {tbl, ids32}, {g}).builtin_options.Set(go);
    int axes = b.int32Const("axes", {1}, {1});
    int mean = b.tensor("mean", {1, 4}, TensorType_FLOAT32);
    ReducerOptionsT ro;
    b.op(BuiltinOperator_MEAN, {g, axes}, {mean}).builtin_options.Set(ro);
    Kind saved = b.kind;
    b.kind = Kind::Float32;
    int fc = b.fullyConnected(mean, 2, ActivationFunctionType_NONE, "fc");
    int y = b.softmax(fc, "softmax");
    b.kind = saved;
    b.sg->inputs = {ids};
    b.sg->outputs = {y};
  };
  m["dscnn"] = [](Builder &b) {
    // The keyword-spotting DS-CNN architecture (kws), smaller: conv 10x4 s2,
    // two depthwise-separable blocks, global average pool, FC, softmax.
    int x = b.act("input", {1, 49, 10, 1}, 0.5f, 80);
    int t = b.conv(x, 16, 10, 4, 2, Padding_SAME, ActivationFunctionType_RELU,
                   "conv0");
    for (int i = 1; i <= 2; ++i) {
      t = b.depthwise(t, 1, 3, 1, Padding_SAME, ActivationFunctionType_RELU,
                      "dw" + std::to_string(i));
      t = b.conv(t, 16, 1, 1, 1, Padding_SAME, ActivationFunctionType_RELU,
                 "pw" + std::to_string(i));
    }
    auto s = b.shapeOf(t);
    t = b.pool(t, false, s[1], s[2], 1, Padding_VALID, "avgpool");
    t = b.reshape(t, {1, 16}, "flatten");
    t = b.fullyConnected(t, 12, ActivationFunctionType_NONE, "fc");
    int y = b.softmax(t, "softmax");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["residual"] = [](Builder &b) {
    // A ResNet block: a stem convolution, two convolutions on its output,
    // and the stem output (the skip connection) added back.
    int x = b.act("input", {1, 8, 8, 4}, 0.05f, -3);
    int s = b.conv(x, 4, 3, 3, 1, Padding_SAME, ActivationFunctionType_RELU,
                   "stem");
    int a = b.conv(s, 4, 3, 3, 1, Padding_SAME, ActivationFunctionType_RELU,
                   "conv_a");
    int c = b.conv(a, 4, 3, 3, 1, Padding_SAME, ActivationFunctionType_NONE,
                   "conv_b");
    int y = b.act("add", {1, 8, 8, 4}, 0.1f, -20);
    AddOptionsT o;
    o.fused_activation_function = ActivationFunctionType_RELU;
    b.op(BuiltinOperator_ADD, {c, s}, {y}).builtin_options.Set(o);
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["inverted_residual"] = [](Builder &b) {
    // A MobileNetV2 block: a 1x1 expansion to six times the channels, a 3x3
    // depthwise convolution, a 1x1 projection and the block input added
    // back; then global pooling and a dense layer. The expanded tensor is
    // the peak, wide in channels: row tiles with channel tiles inside them
    // (FFMT -> FDT) keep the least of it.
    int x = b.act("input", {1, 20, 20, 8}, 0.02f, -1);
    int s = b.conv(x, 8, 3, 3, 1, Padding_SAME, ActivationFunctionType_RELU6,
                   "stem");
    int t = b.conv(s, 48, 1, 1, 1, Padding_SAME, ActivationFunctionType_RELU6,
                   "expand");
    t = b.depthwise(t, 1, 3, 1, Padding_SAME, ActivationFunctionType_RELU6,
                    "dw");
    t = b.conv(t, 8, 1, 1, 1, Padding_SAME, ActivationFunctionType_NONE,
               "project");
    int sum = b.act("add", {1, 20, 20, 8}, 0.08f, -6);
    AddOptionsT o;
    b.op(BuiltinOperator_ADD, {t, s}, {sum}).builtin_options.Set(o);
    t = b.pool(sum, false, 20, 20, 1, Padding_VALID, "avgpool");
    t = b.reshape(t, {1, 8}, "flatten");
    int y = b.fullyConnected(t, 4, ActivationFunctionType_NONE, "fc");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["dilated"] = [](Builder &b) {
    // Dilated windows widen the halo FFMT recomputes: 2 rows per side here.
    int x = b.act("input", {1, 12, 10, 2}, 0.02f, -1);
    int t = b.conv(x, 6, 3, 3, 1, Padding_SAME, ActivationFunctionType_RELU,
                   "conv0", /*dilation=*/2);
    t = b.depthwise(t, 1, 3, 1, Padding_VALID, ActivationFunctionType_RELU6,
                    "dw", /*dilation=*/2);
    int y =
        b.conv(t, 4, 1, 1, 1, Padding_SAME, ActivationFunctionType_NONE, "pw");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["padded_conv"] = [](Builder &b) {
    // An explicit PAD (with the nonzero zero point) before a VALID stride-2
    // convolution, as Keras' ZeroPadding2D exports: the pad is in the path.
    int x = b.act("input", {1, 10, 8, 3}, 0.02f, -1);
    int t = b.conv(x, 6, 1, 1, 1, Padding_SAME, ActivationFunctionType_RELU,
                   "conv0");
    t = b.padSpatial(t, 1, 2, "pad");
    int y = b.conv(t, 4, 3, 3, 2, Padding_VALID, ActivationFunctionType_NONE,
                   "conv1");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["multiplier_chain"] = [](Builder &b) {
    // A depthwise convolution with channel multiplier 2 and stride 2 (odd
    // input, SAME), a stride-1 SAME max pooling, then pointwise and dense:
    // a channel tile [a, b) of the depthwise input is [2a, 2b) of its output.
    int x = b.act("input", {1, 11, 9, 2}, 0.02f, -1);
    int t = b.conv(x, 4, 1, 1, 1, Padding_SAME, ActivationFunctionType_RELU,
                   "conv0");
    t = b.depthwise(t, 2, 3, 2, Padding_SAME, ActivationFunctionType_RELU6,
                    "dw");
    t = b.pool(t, true, 3, 1, Padding_SAME, "maxpool");
    t = b.conv(t, 5, 1, 1, 1, Padding_SAME, ActivationFunctionType_RELU, "pw");
    t = b.reshape(t, {1, 6 * 5 * 5}, "flatten");
    int y = b.fullyConnected(t, 3, ActivationFunctionType_NONE, "fc");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["activation_chain"] = [](Builder &b) {
    // Table-lookup activations (LOGISTIC, TANH in int8) between layers.
    int x = b.act("input", {1, 9, 7, 3}, 0.02f, -1);
    int t = b.conv(x, 8, 3, 3, 1, Padding_SAME, ActivationFunctionType_NONE,
                   "conv0");
    t = b.unary(t, BuiltinOperator_LOGISTIC, 1.0f / 256, -128, "sigmoid");
    t = b.depthwise(t, 1, 3, 2, Padding_SAME, ActivationFunctionType_NONE,
                    "dw");
    t = b.unary(t, BuiltinOperator_TANH, 1.0f / 128, 0, "tanh");
    int y =
        b.conv(t, 4, 1, 1, 1, Padding_SAME, ActivationFunctionType_NONE, "pw");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  m["cnn"] = [](Builder &b) {
    // CIFAR-like: conv, max pool, conv, avg pool, FC, softmax on 16x16x3.
    int x = b.act("input", {1, 16, 16, 3}, 0.02f, -128);
    int t = b.conv(x, 8, 3, 3, 1, Padding_VALID, ActivationFunctionType_RELU,
                   "conv0");
    t = b.pool(t, true, 2, 2, Padding_VALID, "maxpool");
    t = b.conv(t, 8, 3, 3, 1, Padding_SAME, ActivationFunctionType_RELU,
               "conv1");
    t = b.pool(t, false, 7, 7, Padding_VALID, "avgpool");
    t = b.reshape(t, {1, 8}, "flatten");
    t = b.fullyConnected(t, 10, ActivationFunctionType_NONE, "fc");
    int y = b.softmax(t, "softmax");
    b.sg->inputs = {x};
    b.sg->outputs = {y};
  };
  return m;
}

int corruptModel(Builder &b) {
  SubGraphT *sg = b.sg;
  if (corrupt == "opcode-index")
    sg->operators[0]->opcode_index = 99;
  else if (corrupt == "tensor-index")
    sg->operators[0]->inputs[0] = 1000;
  else if (corrupt == "buffer-index")
    sg->tensors[sg->operators[0]->inputs[1]]->buffer = 5000;
  else if (corrupt == "buffer-size")
    b.model.buffers[sg->tensors[sg->operators[0]->inputs[1]]->buffer]
        ->data.resize(3);
  else if (corrupt == "shape-mismatch")
    sg->tensors[sg->operators[0]->outputs[0]]->shape[1] += 1;
  else if (corrupt == "unsupported-op")
    sg->operators[0]->opcode_index = b.opcode(BuiltinOperator_HASHTABLE_LOOKUP);
  else if (corrupt == "unsupported-type")
    sg->tensors[sg->operators[0]->outputs[0]]->type = TensorType_COMPLEX64;
  else if (corrupt == "huge-dilation") {
    if (auto *o = sg->operators[0]->builtin_options.AsConv2DOptions())
      o->dilation_h_factor = 100000;
  } else if (corrupt == "missing-options")
    sg->operators[0]->builtin_options.Reset();
  else if (corrupt == "nonconst-filter") {
    int w = sg->operators[0]->inputs[1];
    sg->tensors[w]->buffer = 0;
  } else if (corrupt == "bias-axis") {
    TensorT &bias = *sg->tensors[sg->operators[0]->inputs[2]];
    const size_t channels = bias.shape.at(0);
    QuantizationParametersT &q = *bias.quantization;
    q.scale.resize(channels, q.scale.empty() ? 1.0f : q.scale.front());
    q.zero_point.assign(channels, 0);
    q.quantized_dimension = 3;
  } else if (corrupt == "bad-scale")
    sg->tensors[sg->operators[0]->outputs[0]]->quantization->scale[0] = -1.0f;
  else if (corrupt == "custom-op") {
    auto oc = std::make_unique<OperatorCodeT>();
    oc->builtin_code = BuiltinOperator_CUSTOM;
    oc->deprecated_builtin_code = BuiltinOperator_CUSTOM;
    oc->custom_code = "TFLite_Detection_PostProcess";
    b.model.operator_codes.push_back(std::move(oc));
    sg->operators.back()->opcode_index = b.model.operator_codes.size() - 1;
  } else {
    llvm::errs() << "ft-tflite-gen: unknown --corrupt value '" << corrupt
                 << "'\n";
    return 1;
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "ft-tflite-gen: write small TFLite models with "
                              "generated weights\n");
  std::vector<uint8_t> bytes;
  if (inputBytes > 0) {
    XorShift rng(seed);
    for (unsigned i = 0; i < inputBytes; ++i)
      bytes.push_back(static_cast<uint8_t>(rng.next() & 0xFF));
  } else if (inputFloats > 0) {
    XorShift rng(seed);
    for (unsigned i = 0; i < inputFloats; ++i) {
      float v = rng.unit();
      uint8_t raw[4];
      std::memcpy(raw, &v, 4);
      bytes.insert(bytes.end(), raw, raw + 4);
    }
  } else {
    auto all = models();
    if (listModels) {
      for (auto &[name, fn] : all)
        llvm::outs() << name << "\n";
      return 0;
    }
    auto it = all.find(modelName);
    if (it == all.end()) {
      llvm::errs() << "ft-tflite-gen: unknown model '" << modelName
                   << "' (try --list)\n";
      return 1;
    }
    Kind kind = typeName == "uint8"     ? Kind::UInt8
                : typeName == "int16"   ? Kind::Int16
                : typeName == "float32" ? Kind::Float32
                                        : Kind::Int8;
    if (typeName != "int8" && typeName != "uint8" && typeName != "int16" &&
        typeName != "float32") {
      llvm::errs() << "ft-tflite-gen: unknown --type '" << typeName << "'\n";
      return 1;
    }
    Builder b(kind, seed);
    it->second(b);
    if (!corrupt.empty() && corruptModel(b))
      return 1;
    bytes = b.finish();
  }
  std::ofstream out(outputFile, std::ios::binary);
  out.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  if (!out) {
    llvm::errs() << "ft-tflite-gen: cannot write " << outputFile << "\n";
    return 1;
  }
  return 0;
}
