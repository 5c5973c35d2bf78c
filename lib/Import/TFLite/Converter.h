//===- Converter.h - What every TFLite op converter shares ------*- C++ -*-===//
//
// Private to lib/Import/TFLite. The converters live in one file per operator
// family (ConvertConvolutions.cpp, ConvertPooling.cpp, ...); each family
// registers its converters in the table that convertOperator dispatches
// through, keyed by builtin operator code.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_LIB_IMPORT_TFLITE_CONVERTER_H
#define FUSEDTILING_LIB_IMPORT_TFLITE_CONVERTER_H

#include "ImporterImpl.h"

#include "llvm/ADT/DenseMap.h"

#include <limits>

namespace ft::tflite_import {

constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();

/// Shorthand for the state every converter needs.
struct Converter {
  OpContext &op;
  GraphImporter &g;
  mlir::OpBuilder &b;
  mlir::Location loc;

  explicit Converter(OpContext &op)
      : op(op), g(op.importer), b(op.importer.builder), loc(op.loc) {}

  mlir::FailureOr<mlir::Value> value(unsigned i) {
    if (!op.hasInput(i)) {
      op.emitError() << "operand " << i << " is missing";
      return mlir::failure();
    }
    return g.valueOf(op, op.inputs[i]);
  }
  const TensorInfo &in(unsigned i) { return op.input(i); }
  const TensorInfo &out(unsigned i = 0) { return op.output(i); }
  mlir::RankedTensorType outType(unsigned i = 0) {
    return g.tensorType(out(i));
  }
  void set(mlir::Value v, unsigned i = 0) { g.setValue(op.outputs[i], v); }

  mlir::InFlightDiagnostic error(int tensorIndex = -1) {
    return op.emitError(tensorIndex);
  }
  mlir::LogicalResult requireInputs(unsigned n) {
    for (unsigned i = 0; i < n; ++i)
      if (!op.hasInput(i))
        return error() << "expects at least " << n << " operands, operand " << i
                       << " is missing";
    return mlir::success();
  }
  mlir::LogicalResult requireRank(unsigned i, int64_t rank,
                                  bool isOutput = false) {
    const TensorInfo &t = isOutput ? out(i) : in(i);
    if (static_cast<int64_t>(t.shape.size()) != rank)
      return error(t.index)
             << "expected rank " << rank << ", got rank " << t.shape.size();
    return mlir::success();
  }
  mlir::LogicalResult requireConstant(unsigned i, mlir::StringRef what) {
    if (!in(i).isConstant)
      return error(in(i).index) << what << " must be a constant tensor";
    return mlir::success();
  }
  /// All-quantized-8-bit (with `allowInt16`, also quantized int16) or
  /// all-float; anything else (hybrid) is refused.
  mlir::FailureOr<bool> quantizedKind(mlir::ArrayRef<int> tensorIndices,
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
        return mlir::failure();
      }
    }
    if (anyQ && anyF) {
      error() << "hybrid float/quantized operators are not supported";
      return mlir::failure();
    }
    return anyQ;
  }
  /// Operators that move values without arithmetic (TFLM copies them):
  /// every listed tensor has one element type, any the importer carries
  /// (float32, int8/uint8 with or without quantization, int16, int32,
  /// int64, bool). Returns whether they are quantized.
  mlir::FailureOr<bool> sameElementType(mlir::ArrayRef<int> tensorIndices) {
    const TensorInfo *first = nullptr;
    for (int idx : tensorIndices) {
      if (idx < 0)
        continue;
      const TensorInfo &t = g.tensor(idx);
      if (!first) {
        first = &t;
        continue;
      }
      if (t.type != first->type) {
        error(idx) << builtinName(op.code) << " moves values of one type ("
                   << tflite::EnumNameTensorType(first->type) << "), not "
                   << tflite::EnumNameTensorType(t.type);
        return mlir::failure();
      }
    }
    return first && !first->scales.empty() &&
           (first->isQuantized8() || first->isQuantized16());
  }
  /// Operand i (a bool tensor, stored as bytes) as i1: nonzero is true.
  mlir::FailureOr<mlir::Value> boolValue(unsigned i) {
    mlir::FailureOr<mlir::Value> v = value(i);
    if (mlir::failed(v))
      return mlir::failure();
    return toBool(*v);
  }
  /// A byte-stored bool value as i1 (nonzero is true).
  mlir::Value toBool(mlir::Value bytes) {
    auto type = mlir::cast<mlir::RankedTensorType>(bytes.getType());
    return mlir::tosa::CastOp::create(b, loc, type.clone(b.getI1Type()), bytes);
  }
  /// Sets output i from an i1 value, stored as bytes 0 and 1.
  void setBool(mlir::Value v, unsigned i = 0) {
    auto type = mlir::cast<mlir::RankedTensorType>(v.getType());
    set(mlir::tosa::CastOp::create(b, loc, type.clone(b.getI8Type()), v), i);
  }
  /// The prologue of a one-input operator that keeps its input's type and
  /// shape: the input's value, or failure after a diagnostic.
  mlir::FailureOr<mlir::Value> sameTypeUnaryInput() {
    if (mlir::failed(requireInputs(1)))
      return mlir::failure();
    if (in(0).type != out().type || in(0).shape != out().shape) {
      error(out().index) << builtinName(op.code)
                         << " keeps its input's type and shape";
      return mlir::failure();
    }
    return value(0);
  }
  /// Operators whose TFLM kernels take float32 and int8 only (not uint8):
  /// whether `t` is int8, or failure after a diagnostic naming the type.
  mlir::FailureOr<bool> floatOrInt8(const TensorInfo &t) {
    if (t.isFloat())
      return false;
    if (t.isQuantized8() && !t.isUnsigned8())
      return true;
    error(t.index) << builtinName(op.code) << " of "
                   << tflite::EnumNameTensorType(t.type)
                   << " is not supported (TFLM has float32 and int8)";
    return mlir::failure();
  }
  template <typename T> const T *options() {
    return op.op->builtin_options_as<T>();
  }
};
//===----------------------------------------------------------------------===//
// Helpers shared by several families (ConvertCommon.cpp)
//===----------------------------------------------------------------------===//

/// TFLite's output size and padding of one spatial axis.
struct Padding1D {
  int64_t before = 0, after = 0, out = 0;
};

/// TFLite's output size and padding for one spatial axis.
Padding1D computePadding(int64_t in, int64_t kernel, int64_t stride,
                         int64_t dilation, tflite::Padding padding);

/// TOSA requires (in + before + after - effectiveKernel) to be a multiple of
/// the stride; TFLite leaves the trailing rows that no window reaches
/// unused. Trims the end padding, then the input itself, by that remainder.
/// Returns the input extent to slice to.
int64_t fitWindowToTosa(int64_t in, int64_t kernel, int64_t stride,
                        int64_t dilation, Padding1D &p);

/// Slices an NHWC value to its first `h` rows and `w` columns.
mlir::Value sliceSpatial(GraphImporter &g, mlir::Location loc,
                         mlir::Value input, int64_t h, int64_t w);

mlir::LogicalResult checkSpatial(Converter &c, int64_t strideH, int64_t strideW,
                                 int64_t dilH, int64_t dilW);

/// Refuses windows that cannot be built (non-positive kernels) or that
/// reach absurdly far beyond their input.
mlir::LogicalResult checkWindow(Converter &c, int64_t inH, int64_t inW,
                                int64_t kernelH, int64_t kernelW, int64_t dilH,
                                int64_t dilW);

/// A fused activation on an int16 value (the rescale that made it
/// saturated it to int16 already): a clamp to TFLM's range, or nothing.
mlir::FailureOr<mlir::Value> int16Activation(Converter &c, mlir::Value value,
                                             tflite::ActivationFunctionType act,
                                             const TensorInfo &out);

/// Sets the operator's result to `value` after its fused activation: a
/// clamp to TFLM's range on int16 or 8-bit values, or the float one.
mlir::LogicalResult setActivated(Converter &c, mlir::Value value,
                                 tflite::ActivationFunctionType act,
                                 bool quantized);

/// TFLM's int16 LOGISTIC (or TANH) of an int16 value, its input scaled by
/// `scaling` (reference_integer_ops::Logistic / Tanh); int16 at 2^-15.
mlir::Value int16SigmoidOrTanh(Converter &c, mlir::Value input,
                               const tflm::Int16SigmoidScaling &scaling,
                               bool isTanh);

/// The numpy broadcast of two shapes.
llvm::SmallVector<int64_t> broadcastShape(llvm::ArrayRef<int64_t> a,
                                          llvm::ArrayRef<int64_t> b);

/// An int8 (or int16) value as int32, minus its zero point, times
/// 2^leftShift (exact).
mlir::Value toInt32Centered(GraphImporter &g, mlir::Location loc, mlir::Value v,
                            int64_t zp, int leftShift);

/// The operands of a broadcasting operator, reshaped to the output's rank;
/// fails unless the output has the numpy broadcast shape of its inputs.
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
broadcastOperands(Converter &c, unsigned count);

/// broadcastOperands for a binary operator whose operands and result have
/// one element type.
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
sameTypeBinaryOperands(Converter &c);

/// `input` broadcast (numpy rules) to `shape`, its element type kept: a
/// same-rank reshape, then a tile of the size-1 dimensions.
mlir::FailureOr<mlir::Value> broadcastTo(Converter &c, mlir::Value input,
                                         llvm::ArrayRef<int64_t> shape);

/// `given` in [0, rank) after TFLite's negative-axis rule.
mlir::FailureOr<int64_t> resolveAxis(Converter &c, int64_t given, int64_t rank,
                                     int tensorIndex = -1);

/// The one axis constant operand `i` holds, resolved for `rank`.
mlir::FailureOr<int64_t> constantAxis(Converter &c, unsigned i, int64_t rank);

/// The axes a constant tensor lists, resolved, each once, in their order.
mlir::FailureOr<llvm::SmallVector<int64_t>>
resolveAxes(Converter &c, const TensorInfo &axesTensor, int64_t rank);

//===----------------------------------------------------------------------===//
// The table of converters
//===----------------------------------------------------------------------===//

/// Converts one operator; on failure it has emitted a diagnostic, on success
/// it has set every output tensor's value.
using ConvertFn = mlir::LogicalResult (*)(Converter &);

/// The converter of every supported builtin operator.
class ConverterTable {
public:
  void add(tflite::BuiltinOperator code, ConvertFn fn) { fns[code] = fn; }
  ConvertFn lookup(int32_t code) const { return fns.lookup(code); }

private:
  llvm::DenseMap<int32_t, ConvertFn> fns;
};

// One registration function per family (each in its Convert<Family>.cpp).
void registerActivationConverters(ConverterTable &table);
void registerComparisonConverters(ConverterTable &table);
void registerControlFlowConverters(ConverterTable &table);
void registerConvolutionConverters(ConverterTable &table);
void registerDataMovementConverters(ConverterTable &table);
void registerElementwiseConverters(ConverterTable &table);
void registerMathConverters(ConverterTable &table);
void registerNormalizationConverters(ConverterTable &table);
void registerPoolingConverters(ConverterTable &table);
void registerQuantizationConverters(ConverterTable &table);
void registerRecurrentConverters(ConverterTable &table);
void registerResizeConverters(ConverterTable &table);
void registerReductionConverters(ConverterTable &table);
void registerShapeConverters(ConverterTable &table);

} // namespace ft::tflite_import

#endif // FUSEDTILING_LIB_IMPORT_TFLITE_CONVERTER_H
