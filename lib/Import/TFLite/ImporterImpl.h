//===- ImporterImpl.h - TFLite to TOSA importer internals -------*- C++ -*-===//
//
// Private to lib/Import/TFLite. The importer walks one TFLite subgraph in
// execution order and emits TOSA for each operator. Quantized 8-bit tensors
// are carried as i8 in the "int8 domain": a uint8 tensor with zero point z
// becomes the i8 tensor (x - 128) with zero point z - 128. Every TFLite
// integer kernel computes on (x - z), so results are identical, and one code
// path serves int8 and uint8 models.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_LIB_TARGET_TFLITE_IMPORTERIMPL_H
#define FUSEDTILING_LIB_TARGET_TFLITE_IMPORTERIMPL_H

#include "FusedTiling/Import/TFLite/TFLiteImporter.h"
#include "FusedTiling/Support/TflmArithmetic.h"
#include "tflite_subset_generated.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ft::tflite_import {

/// Name of a builtin operator code ("CONV_2D"), or "BUILTIN_<n>" for codes
/// the schema subset does not name.
std::string builtinName(int32_t code);

/// The builtin operator an operator code names (from either of its fields).
int32_t builtinCode(const tflite::OperatorCode *opcode);

/// Bytes per element of the types the importer carries (0 for others).
int64_t elementBytes(tflite::TensorType type);

/// What the importer knows about one TFLite tensor.
struct TensorInfo {
  int index = -1;
  std::string name;
  tflite::TensorType type = tflite::TensorType_FLOAT32;
  llvm::SmallVector<int64_t, 4> shape;
  /// Quantization, in the int8 domain for 8-bit types (see file comment).
  std::vector<double> scales;
  std::vector<int64_t> zeroPoints;
  int quantizedDimension = 0;
  /// Constant data (empty span for activations).
  llvm::ArrayRef<uint8_t> data;
  bool isConstant = false;
  /// A variable tensor (is_variable): state kept across invocations.
  bool isVariable = false;

  bool isQuantized8() const {
    return (type == tflite::TensorType_INT8 ||
            type == tflite::TensorType_UINT8) &&
           !scales.empty();
  }
  /// int16 with a scale (16x8 quantization's activations).
  bool isQuantized16() const {
    return type == tflite::TensorType_INT16 && !scales.empty();
  }
  bool isUnsigned8() const { return type == tflite::TensorType_UINT8; }
  bool isFloat() const { return type == tflite::TensorType_FLOAT32; }
  double scale() const { return scales.empty() ? 1.0 : scales.front(); }
  int64_t zeroPoint() const {
    return zeroPoints.empty() ? 0 : zeroPoints.front();
  }
  int64_t numElements() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
};

class GraphImporter;

/// The operator being converted: its operands, options and diagnostics.
struct OpContext {
  GraphImporter &importer;
  int opIndex;
  int32_t code;
  const tflite::Operator *op;
  llvm::SmallVector<int, 4> inputs;  // tensor indices, -1 = absent
  llvm::SmallVector<int, 2> outputs; // tensor indices
  mlir::Location loc;

  const TensorInfo &input(unsigned i) const;
  const TensorInfo &output(unsigned i = 0) const;
  bool hasInput(unsigned i) const {
    return i < inputs.size() && inputs[i] >= 0;
  }
  /// Emits "op #N (KIND): <msg>" at the op's output location, naming the
  /// tensor `tensorIndex` when given.
  mlir::InFlightDiagnostic emitError(int tensorIndex = -1) const;
};

/// Converts one TFLite subgraph into a func.func of TOSA ops.
class GraphImporter {
public:
  GraphImporter(mlir::ModuleOp module, const tflite::Model *model,
                llvm::ArrayRef<uint8_t> fileBytes, llvm::StringRef fileName,
                const TFLiteImportOptions &options);

  mlir::LogicalResult run();

  /// Imports subgraph `index` (IF's branches, WHILE's condition and body)
  /// into `block`, whose arguments are the subgraph's inputs (values in
  /// the int8 domain, as the parent's): the values of its outputs, or
  /// failure after a diagnostic. The ops get no layers.
  mlir::FailureOr<llvm::SmallVector<mlir::Value>>
  importSubgraph(int index, mlir::Block *block);
  /// The subgraph this importer converts (0: the main one), and those
  /// whose IF or WHILE led here.
  int subgraphIndex = 0;
  llvm::SmallVector<int> callers;
  const tflite::Model *tfliteModel() const { return model; }

  // --- Shared state, used by the op converters. ---
  mlir::MLIRContext *ctx;
  mlir::OpBuilder builder;
  const TFLiteImportOptions &options;
  llvm::StringRef fileName;

  const TensorInfo &tensor(int index) const { return tensors[index]; }
  /// The value of a tensor: produced earlier, a graph input, or a constant
  /// materialised on first use. Fails (with a diagnostic) otherwise.
  mlir::FailureOr<mlir::Value> valueOf(const OpContext &op, int tensorIndex);
  void setValue(int tensorIndex, mlir::Value value) {
    values[tensorIndex] = value;
  }
  mlir::Location tensorLoc(int tensorIndex);
  /// Makes an int32 or int64 tensor computed at import time (a shape, a
  /// broadcast shape) a constant: later operators read its data as if the
  /// file held it, and its value is that constant.
  void foldConstant(int tensorIndex, llvm::ArrayRef<int64_t> values);
  /// Writes the new value of a variable tensor (state that persists across
  /// invocations, a mutable ml_program.global); later reads in this
  /// invocation see it.
  void storeVariable(mlir::Location loc, int tensorIndex, mlir::Value value);
  /// Writes `value` to the mutable ml_program.global `global`.
  void storeGlobal(mlir::Location loc, llvm::StringRef global,
                   mlir::Value value);

  /// The MLIR element type a tensor is carried as (i8 for int8 and uint8).
  mlir::Type elementType(const TensorInfo &t);
  mlir::RankedTensorType tensorType(const TensorInfo &t);
  mlir::RankedTensorType tensorType(llvm::ArrayRef<int64_t> shape,
                                    mlir::Type elementType) {
    return mlir::RankedTensorType::get(shape, elementType);
  }

  // --- Constant data, converted to the int8 domain where needed. ---
  std::vector<int8_t> int8Data(const TensorInfo &t);
  std::vector<int32_t> int32Data(const TensorInfo &t);
  std::vector<int64_t> intData(const TensorInfo &t); // INT16, INT32, INT64
  std::vector<float> floatData(const TensorInfo &t);

  // --- TOSA emission helpers (TosaBuilder.cpp). ---
  /// A constant tensor; large ones become dense_resource blobs unless
  /// `forceInline` (upstream lowerings that read constant operands, such as
  /// tosa.rescale's multiplier and shift, only recognise dense attributes).
  mlir::Value constant(mlir::Location loc, mlir::RankedTensorType type,
                       llvm::ArrayRef<char> rawData, bool forceInline = false);
  template <typename T>
  mlir::Value constant(mlir::Location loc, llvm::ArrayRef<int64_t> shape,
                       mlir::Type elementType, llvm::ArrayRef<T> values,
                       bool forceInline = false) {
    return constant(
        loc, tensorType(shape, elementType),
        llvm::ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                             values.size() * sizeof(T)),
        forceInline);
  }
  mlir::Value scalarI32(mlir::Location loc, int32_t value, unsigned rank);
  mlir::Value scalarF32(mlir::Location loc, float value, unsigned rank);
  mlir::Value zeroPoint(mlir::Location loc, mlir::Type elementType,
                        int64_t value);
  mlir::Value reshape(mlir::Location loc, mlir::Value input,
                      llvm::ArrayRef<int64_t> shape);
  /// `input`'s rows along `axis` at constant `indices` (ft.axis_gather:
  /// resizes and mirror pads, which fused tiling splits).
  mlir::Value gatherRows(mlir::Location loc, mlir::Value input, int64_t axis,
                         llvm::ArrayRef<int64_t> indices);
  /// `input` sliced to `size` from `start`.
  mlir::Value slice(mlir::Location loc, mlir::Value input,
                    llvm::ArrayRef<int64_t> start,
                    llvm::ArrayRef<int64_t> size);
  /// Reshapes a lower-rank operand so that TOSA's same-rank broadcasting
  /// applies (TFLite broadcasts numpy-style).
  mlir::Value broadcastToRank(mlir::Location loc, mlir::Value input,
                              unsigned rank);
  /// TOSA RESCALE with TFLite multipliers, double rounding as TFLM.
  mlir::Value rescale(mlir::Location loc, mlir::Value input,
                      mlir::Type outElementType,
                      llvm::ArrayRef<tflm::QuantizedMultiplier> multipliers,
                      int64_t inputZp, int64_t outputZp);
  /// TOSA RESCALE of an i48 accumulator to int16 as TFLM's 64-bit
  /// MultiplyByQuantizedMultiplier (16x8): the multiplier rounded to 16
  /// bits, one rounding shift (TOSA's 16-bit scale).
  mlir::Value
  rescale48To16(mlir::Location loc, mlir::Value input,
                llvm::ArrayRef<tflm::QuantizedMultiplier> multipliers);
  /// An i48 accumulator as i32 (saturating; TFLM's int32 accumulators of
  /// 16x8 kernels would overflow there, which C++ leaves undefined).
  mlir::Value narrow48To32(mlir::Location loc, mlir::Value input);
  mlir::Value clampInt(mlir::Location loc, mlir::Value input, int64_t lo,
                       int64_t hi);
  mlir::Value clampFloat(mlir::Location loc, mlir::Value input, float lo,
                         float hi);
  /// TFLite's clamp range [lo, hi] of a fused activation on the quantized
  /// 8-bit output `out` (in the int8 domain).
  void activationRange(tflite::ActivationFunctionType act,
                       const TensorInfo &out, int32_t &lo, int32_t &hi);
  /// Applies a fused activation to a quantized 8-bit value (a clamp, or
  /// nothing when the range is the whole type).
  mlir::Value quantizedActivation(mlir::Location loc, mlir::Value input,
                                  tflite::ActivationFunctionType act,
                                  const TensorInfo &out);
  mlir::Value floatActivation(const OpContext &op, mlir::Location loc,
                              mlir::Value input,
                              tflite::ActivationFunctionType act, bool &ok);
  /// An 8-bit to 8-bit lookup table (TOSA TABLE) computed by `fn` on every
  /// int8-domain input value.
  mlir::Value table8(mlir::Location loc, mlir::Value input,
                     llvm::function_ref<int8_t(int8_t)> fn);
  /// Gathers int32 table entries: out[i] = table[index[i]].
  mlir::Value gatherTable(mlir::Location loc, mlir::Value indices,
                          llvm::ArrayRef<int32_t> table);
  mlir::Value mulShift(mlir::Location loc, mlir::Value a, mlir::Value b,
                       int8_t shift);

private:
  mlir::LogicalResult convertOp(int opIndex);
  // Resource variables (ResourceVariables.cpp).
  /// Folds every CALL_ONCE's init subgraph (VAR_HANDLE and ASSIGN_VARIABLE
  /// of constants: variable initialisation) into the variables' initial
  /// values; anything else there is refused.
  mlir::LogicalResult collectVariableInitialisers();
  /// CALL_ONCE, VAR_HANDLE, READ_VARIABLE and ASSIGN_VARIABLE.
  mlir::LogicalResult convertResourceOp(int opIndex, int32_t code,
                                        const tflite::Operator *fbOp);
  /// The mutable global of resource variable `name`, created on first use
  /// with the type of `like` and the variable's initial value.
  mlir::FailureOr<llvm::StringRef> resourceGlobal(mlir::Location loc,
                                                  llvm::StringRef name,
                                                  const TensorInfo &like);
  mlir::LogicalResult loadTensors();
  mlir::Value importArgument(mlir::Value arg, const TensorInfo &t);
  mlir::Value exportResult(mlir::Location loc, mlir::Value v,
                           const TensorInfo &t);
  mlir::DictionaryAttr tensorAttrs(const TensorInfo &t);
  /// The mutable global that holds a variable tensor, created on first use
  /// with TFLM's reset value (the zero point of an int8 tensor, else zero
  /// bytes).
  llvm::StringRef variableGlobal(const TensorInfo &t);

  mlir::ModuleOp module;
  const tflite::Model *model;
  const tflite::SubGraph *subgraph = nullptr;
  llvm::ArrayRef<uint8_t> fileBytes;
  std::vector<TensorInfo> tensors;
  llvm::DenseMap<int, mlir::Value> values;
  /// The data of tensors folded at import time (foldConstant).
  std::vector<std::unique_ptr<std::vector<uint8_t>>> foldedData;
  unsigned blobCounter = 0;
  /// The global of each variable tensor, by tensor index.
  llvm::DenseMap<int, std::string> variableGlobals;
  /// A resource variable (VAR_HANDLE's shared name): its global, and the
  /// constant a CALL_ONCE init subgraph assigns it (the bytes as the file
  /// holds them, with the assigned tensor's type, shape and quantization).
  struct ResourceVariable {
    std::string global;
    std::optional<TensorInfo> initial;
  };
  llvm::StringMap<ResourceVariable> resources;
  unsigned resourceGlobals = 0;
  /// The variable each VAR_HANDLE output of the main subgraph names.
  llvm::DenseMap<int, std::string> resourceHandles;
  /// Tensors that become function results instead of the graph outputs
  /// (when the detection post-process op is cut away).
  std::optional<llvm::SmallVector<int, 4>> cutOutputs;
};

// Converts one operator through the table of converters (ConvertCommon.cpp;
// the converters are in Convert<Family>.cpp). Returns failure after emitting a
// diagnostic; on success it has set every output tensor's value.
mlir::LogicalResult convertOperator(OpContext &op);

} // namespace ft::tflite_import

#endif // FUSEDTILING_LIB_TARGET_TFLITE_IMPORTERIMPL_H
