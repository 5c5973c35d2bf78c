//===- TFLiteImporter.cpp - TFLite flatbuffer to TOSA ---------------------===//
//
// Loads and verifies the flatbuffer, builds the function signature from the
// subgraph's inputs and outputs, and converts operators in execution order.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "FusedTiling/Dialect/FT/IR/FTDialect.h"
#include "FusedTiling/Dialect/FT/IR/Layers.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <limits>
#include <optional>
#include <utility>

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;

std::string ft::tflite_import::builtinName(int32_t code) {
  if (code >= tflite::BuiltinOperator_MIN &&
      code <= tflite::BuiltinOperator_MAX) {
    const char *name = tflite::EnumNameBuiltinOperator(
        static_cast<tflite::BuiltinOperator>(code));
    if (name && *name)
      return name;
  }
  return "BUILTIN_" + std::to_string(code);
}

static const char *typeName(tflite::TensorType type) {
  const char *name = tflite::EnumNameTensorType(type);
  return (name && *name) ? name : "UNKNOWN";
}

//===----------------------------------------------------------------------===//
// OpContext
//===----------------------------------------------------------------------===//

const TensorInfo &OpContext::input(unsigned i) const {
  return importer.tensor(inputs[i]);
}
const TensorInfo &OpContext::output(unsigned i) const {
  return importer.tensor(outputs[i]);
}

InFlightDiagnostic OpContext::emitError(int tensorIndex) const {
  InFlightDiagnostic diag = mlir::emitError(loc);
  if (importer.subgraphIndex)
    diag << "subgraph " << importer.subgraphIndex << ", ";
  diag << "op #" << opIndex << " (" << builtinName(code) << ")";
  if (tensorIndex >= 0)
    diag << ", tensor #" << tensorIndex << " '"
         << importer.tensor(tensorIndex).name << "'";
  diag << ": ";
  return diag;
}

//===----------------------------------------------------------------------===//
// GraphImporter
//===----------------------------------------------------------------------===//

GraphImporter::GraphImporter(ModuleOp module, const tflite::Model *model,
                             ArrayRef<uint8_t> fileBytes, StringRef fileName,
                             const TFLiteImportOptions &options)
    : ctx(module.getContext()), builder(module.getContext()), options(options),
      fileName(fileName), module(module), model(model), fileBytes(fileBytes) {}

Location GraphImporter::tensorLoc(int tensorIndex) {
  Location fileLoc = FileLineColLoc::get(ctx, fileName, 0, 0);
  if (tensorIndex < 0 || tensorIndex >= static_cast<int>(tensors.size()))
    return fileLoc;
  return NameLoc::get(StringAttr::get(ctx, tensors[tensorIndex].name), fileLoc);
}

Type GraphImporter::elementType(const TensorInfo &t) {
  switch (t.type) {
  case tflite::TensorType_FLOAT32:
    return Float32Type::get(ctx);
  case tflite::TensorType_INT8:
  case tflite::TensorType_UINT8:
    return IntegerType::get(ctx, 8);
  case tflite::TensorType_INT16:
    return IntegerType::get(ctx, 16);
  case tflite::TensorType_INT32:
  case tflite::TensorType_UINT32: // as its bits: only CAST reads it
    return IntegerType::get(ctx, 32);
  case tflite::TensorType_INT64:
    return IntegerType::get(ctx, 64);
  case tflite::TensorType_BOOL:
    // One byte per element, as TFLite stores it: operators that move bools
    // copy the bytes; those that compute with them read any nonzero byte
    // as true (Converter::boolValue) and write 0 or 1.
    return IntegerType::get(ctx, 8);
  default:
    return {};
  }
}

RankedTensorType GraphImporter::tensorType(const TensorInfo &t) {
  return RankedTensorType::get(t.shape, elementType(t));
}

int32_t ft::tflite_import::builtinCode(const tflite::OperatorCode *opcode) {
  // Schema 3a keeps codes below 127 in the deprecated byte as well.
  return std::max<int32_t>(static_cast<int32_t>(opcode->builtin_code()),
                           opcode->deprecated_builtin_code());
}

int64_t ft::tflite_import::elementBytes(tflite::TensorType type) {
  switch (type) {
  case tflite::TensorType_FLOAT32:
  case tflite::TensorType_INT32:
  case tflite::TensorType_UINT32:
    return 4;
  case tflite::TensorType_INT8:
  case tflite::TensorType_UINT8:
  case tflite::TensorType_BOOL:
    return 1;
  case tflite::TensorType_INT16:
    return 2;
  case tflite::TensorType_INT64:
    return 8;
  default:
    return 0;
  }
}

/// The zero points a quantized tensor of `type` can hold (none checked for
/// other types).
template <typename T> static std::pair<int64_t, int64_t> rangeOf() {
  return {std::numeric_limits<T>::min(), std::numeric_limits<T>::max()};
}
static std::optional<std::pair<int64_t, int64_t>>
zeroPointRange(tflite::TensorType type) {
  switch (type) {
  case tflite::TensorType_INT8:
    return rangeOf<int8_t>();
  case tflite::TensorType_UINT8:
    return rangeOf<uint8_t>();
  case tflite::TensorType_INT16:
    return rangeOf<int16_t>();
  case tflite::TensorType_INT32:
    return rangeOf<int32_t>();
  default:
    return std::nullopt;
  }
}

LogicalResult GraphImporter::loadTensors() {
  Location fileLoc = FileLineColLoc::get(ctx, fileName, 0, 0);
  auto *fbTensors = subgraph->tensors();
  if (!fbTensors)
    return mlir::emitError(fileLoc) << "subgraph has no tensors";
  auto *buffers = model->buffers();
  tensors.resize(fbTensors->size());
  for (unsigned i = 0; i < fbTensors->size(); ++i) {
    const tflite::Tensor *fb = fbTensors->Get(i);
    TensorInfo &t = tensors[i];
    t.index = i;
    t.name = fb->name() ? fb->name()->str() : ("tensor_" + std::to_string(i));
    t.type = fb->type();
    auto tensorError = [&]() {
      InFlightDiagnostic diag = mlir::emitError(tensorLoc(i));
      diag << "tensor #" << i << " '" << t.name << "': ";
      return diag;
    };
    if (fb->sparsity())
      return tensorError() << "sparse tensors are not supported";
    if (fb->shape()) {
      for (unsigned d = 0; d < fb->shape()->size(); ++d) {
        int64_t dim = fb->shape()->Get(d);
        // A dynamic batch (-1 in the signature, or in the shape of older
        // converters) is read as 1, as TFLM does.
        if (dim < 0 && d == 0)
          dim = 1;
        if (dim < 0)
          return tensorError()
                 << "dynamic dimension " << d << " is not supported";
        t.shape.push_back(dim);
      }
    }
    // Bound the element count before anything multiplies shapes (2^31
    // elements is far beyond any microcontroller model).
    int64_t elements = 1;
    for (int64_t dim : t.shape) {
      if (dim != 0 && elements > (int64_t(1) << 31) / dim)
        return tensorError() << "tensor has more than 2^31 elements";
      elements *= dim;
    }

    if (const tflite::QuantizationParameters *q = fb->quantization()) {
      if (q->scale() && q->scale()->size() > 0) {
        for (float s : *q->scale())
          t.scales.push_back(s);
        // The verifier only guarantees 4-byte alignment of vector data; read
        // the 8-byte zero points bytewise rather than through int64_t loads.
        if (const auto *zps = q->zero_point())
          for (unsigned z = 0; z < zps->size(); ++z) {
            int64_t value = 0;
            std::memcpy(&value, zps->Data() + z * sizeof(int64_t),
                        sizeof(int64_t));
            t.zeroPoints.push_back(value);
          }
        if (t.zeroPoints.empty())
          t.zeroPoints.push_back(0);
        if (t.zeroPoints.size() != 1 && t.zeroPoints.size() != t.scales.size())
          return tensorError() << "has " << t.scales.size() << " scales but "
                               << t.zeroPoints.size() << " zero points";
        t.quantizedDimension = q->quantized_dimension();
        // Older converters name the filter's axis (3) on a 1-D bias; TFLM
        // never reads a bias's axis: one scale per element means axis 0.
        if (t.shape.size() == 1 &&
            static_cast<int64_t>(t.scales.size()) == t.shape[0])
          t.quantizedDimension = 0;
        if (t.scales.size() > 1 &&
            (t.quantizedDimension < 0 ||
             t.quantizedDimension >= static_cast<int>(t.shape.size()) ||
             t.shape[t.quantizedDimension] !=
                 static_cast<int64_t>(t.scales.size())))
          return tensorError()
                 << "per-channel quantization with " << t.scales.size()
                 << " scales does not match quantized dimension "
                 << t.quantizedDimension
                 << " (TFLM's kernels refuse a filter whose channels and "
                    "scales differ)";
        for (double s : t.scales)
          if (!(s > 0.0) || !std::isfinite(s))
            return tensorError() << "quantization scale " << s
                                 << " is not a positive finite number";
        // A zero point the type cannot hold is no model (and would overflow
        // the arithmetic built from it). uint8 ones move to the int8 domain.
        const std::optional<std::pair<int64_t, int64_t>> range =
            zeroPointRange(t.type);
        if (range)
          for (int64_t &z : t.zeroPoints) {
            if (z < range->first || z > range->second)
              return tensorError()
                     << "zero point " << z << " is out of range for "
                     << typeName(t.type);
            if (t.type == tflite::TensorType_UINT8)
              z -= 128;
          }
      }
    }

    const uint32_t bufferIndex = fb->buffer();
    if (!buffers || bufferIndex >= buffers->size())
      return tensorError() << "buffer index " << bufferIndex
                           << " is out of range (model has "
                           << (buffers ? buffers->size() : 0) << " buffers)";
    const tflite::Buffer *buffer = buffers->Get(bufferIndex);
    ArrayRef<uint8_t> data;
    if (buffer && buffer->data() && buffer->data()->size() > 0) {
      data = ArrayRef<uint8_t>(buffer->data()->data(), buffer->data()->size());
    } else if (buffer && buffer->offset() > 1) {
      // Large models keep buffers after the flatbuffer, addressed by offset.
      uint64_t offset = buffer->offset(), size = buffer->size();
      if (offset > fileBytes.size() || size > fileBytes.size() - offset)
        return tensorError()
               << "buffer " << bufferIndex << " (offset " << offset << ", "
               << size << " bytes) lies outside the file";
      data = fileBytes.slice(offset, size);
    }
    // TFLM gives a variable its reset value, whatever its buffer holds.
    t.isVariable = fb->is_variable();
    if (!data.empty() && !t.isVariable) {
      t.isConstant = true;
      t.data = data;
      int64_t bytes = elementBytes(t.type);
      if (bytes == 0)
        return tensorError() << "constant of type " << typeName(t.type)
                             << " is not supported";
      if (static_cast<int64_t>(data.size()) != bytes * t.numElements())
        return tensorError()
               << "buffer holds " << data.size()
               << " bytes but shape and type need " << bytes * t.numElements();
    }
  }
  return success();
}

std::vector<int8_t> GraphImporter::int8Data(const TensorInfo &t) {
  std::vector<int8_t> out(t.data.size());
  const uint8_t flip = t.isUnsigned8() ? 0x80 : 0x00;
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<int8_t>(t.data[i] ^ flip);
  return out;
}

std::vector<int32_t> GraphImporter::int32Data(const TensorInfo &t) {
  std::vector<int32_t> out(t.data.size() / 4);
  std::memcpy(out.data(), t.data.data(), out.size() * 4);
  return out;
}

std::vector<int64_t> GraphImporter::intData(const TensorInfo &t) {
  std::vector<int64_t> out;
  if (t.type == tflite::TensorType_INT64) {
    out.resize(t.data.size() / 8);
    std::memcpy(out.data(), t.data.data(), out.size() * 8);
  } else if (t.type == tflite::TensorType_INT32) {
    for (int32_t v : int32Data(t))
      out.push_back(v);
  } else if (t.type == tflite::TensorType_INT16) {
    out.resize(t.data.size() / 2);
    for (size_t i = 0; i < out.size(); ++i) {
      int16_t v;
      std::memcpy(&v, t.data.data() + 2 * i, 2);
      out[i] = v;
    }
  }
  return out;
}

std::vector<float> GraphImporter::floatData(const TensorInfo &t) {
  std::vector<float> out(t.data.size() / 4);
  std::memcpy(out.data(), t.data.data(), out.size() * 4);
  return out;
}

void GraphImporter::foldConstant(int tensorIndex, ArrayRef<int64_t> data) {
  TensorInfo &t = tensors[tensorIndex];
  auto bytes = std::make_unique<std::vector<uint8_t>>();
  const size_t width = t.type == tflite::TensorType_INT64 ? 8 : 4;
  bytes->resize(data.size() * width);
  for (size_t i = 0; i < data.size(); ++i) {
    if (width == 8) {
      std::memcpy(bytes->data() + 8 * i, &data[i], 8);
    } else {
      const int32_t narrow = static_cast<int32_t>(data[i]);
      std::memcpy(bytes->data() + 4 * i, &narrow, 4);
    }
  }
  t.data = *bytes;
  t.isConstant = true;
  foldedData.push_back(std::move(bytes));
  values[tensorIndex] =
      constant(tensorLoc(tensorIndex), tensorType(t),
               ArrayRef<char>(reinterpret_cast<const char *>(t.data.data()),
                              t.data.size()));
}

FailureOr<Value> GraphImporter::valueOf(const OpContext &op, int tensorIndex) {
  if (tensorIndex < 0) {
    op.emitError() << "a required operand is missing";
    return failure();
  }
  auto it = values.find(tensorIndex);
  if (it != values.end())
    return it->second;
  const TensorInfo &t = tensors[tensorIndex];
  if (t.isVariable) {
    if (!elementType(t)) {
      op.emitError(tensorIndex)
          << "variable of type " << typeName(t.type) << " is not supported";
      return failure();
    }
    Value v = ml_program::GlobalLoadOp::create(
        builder, tensorLoc(tensorIndex), tensorType(t),
        FlatSymbolRefAttr::get(ctx, variableGlobal(t)));
    values[tensorIndex] = v;
    return v;
  }
  if (!t.isConstant) {
    op.emitError(tensorIndex)
        << "is read before any operator writes it (operators are not in "
           "execution order)";
    return failure();
  }
  Type elemType = elementType(t);
  if (!elemType) {
    op.emitError(tensorIndex)
        << "constant of type " << typeName(t.type) << " is not supported";
    return failure();
  }
  Value v;
  Location loc = tensorLoc(tensorIndex);
  if (elementBytes(t.type) == 1) {
    std::vector<int8_t> bytes = int8Data(t);
    v = constant(loc, t.shape, elemType, ArrayRef<int8_t>(bytes));
  } else {
    v = constant(loc, tensorType(t),
                 ArrayRef<char>(reinterpret_cast<const char *>(t.data.data()),
                                t.data.size()));
  }
  values[tensorIndex] = v;
  return v;
}

StringRef GraphImporter::variableGlobal(const TensorInfo &t) {
  std::string &name = variableGlobals[t.index];
  if (!name.empty())
    return name;
  name = options.functionName +
         (subgraphIndex ? "_subgraph" + std::to_string(subgraphIndex) : "") +
         "_state_" + std::to_string(t.index);
  RankedTensorType type = tensorType(t);
  // TFLM's reset: the zero point of an int8 tensor in every byte, else
  // zero bytes (also for uint8: 0 is -128 in the int8 domain).
  Attribute initial;
  Type elemType = type.getElementType();
  if (t.type == tflite::TensorType_INT8)
    initial = DenseElementsAttr::get(
        type, builder.getIntegerAttr(elemType, t.zeroPoint()));
  else if (t.type == tflite::TensorType_UINT8)
    initial =
        DenseElementsAttr::get(type, builder.getIntegerAttr(elemType, -128));
  else if (isa<FloatType>(elemType))
    initial = DenseElementsAttr::get(type, builder.getFloatAttr(elemType, 0.0));
  else
    initial = DenseElementsAttr::get(type, builder.getIntegerAttr(elemType, 0));
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(module.getBody());
  auto global = ml_program::GlobalOp::create(
      builder, tensorLoc(t.index), builder.getStringAttr(name),
      TypeAttr::get(type), builder.getUnitAttr(), initial,
      builder.getStringAttr("private"));
  global->setAttr(FTDialect::kNameAttrName, builder.getStringAttr(t.name));
  return name;
}

void GraphImporter::storeGlobal(Location loc, StringRef global, Value value) {
  // The stored value gets a tensor of its own, used by nothing else:
  // upstream bufferizes a store that would alias another use (the value is
  // also a result) into a copy that never reads the value.
  auto type = cast<RankedTensorType>(value.getType());
  Value own = bufferization::AllocTensorOp::create(builder, loc, type,
                                                   ValueRange{}, value);
  ml_program::GlobalStoreOp::create(builder, loc,
                                    FlatSymbolRefAttr::get(ctx, global), own);
}

void GraphImporter::storeVariable(Location loc, int tensorIndex, Value value) {
  storeGlobal(loc, variableGlobal(tensors[tensorIndex]), value);
  values[tensorIndex] = value;
}

DictionaryAttr GraphImporter::tensorAttrs(const TensorInfo &t) {
  SmallVector<NamedAttribute> attrs;
  attrs.emplace_back(StringAttr::get(ctx, FTDialect::kNameAttrName),
                     StringAttr::get(ctx, t.name));
  attrs.emplace_back(StringAttr::get(ctx, FTDialect::kTensorIndexAttrName),
                     builder.getI32IntegerAttr(t.index));
  std::string type = typeName(t.type);
  for (char &c : type)
    c = static_cast<char>(std::tolower(c));
  attrs.emplace_back(StringAttr::get(ctx, FTDialect::kTypeAttrName),
                     StringAttr::get(ctx, type));
  if (!t.scales.empty()) {
    attrs.emplace_back(StringAttr::get(ctx, FTDialect::kScaleAttrName),
                       builder.getF64ArrayAttr(t.scales));
    SmallVector<int64_t> zps(t.zeroPoints.begin(), t.zeroPoints.end());
    if (t.isUnsigned8())
      for (int64_t &z : zps)
        z += 128;
    attrs.emplace_back(StringAttr::get(ctx, FTDialect::kZeroPointAttrName),
                       builder.getI64ArrayAttr(zps));
  }
  return DictionaryAttr::get(ctx, attrs);
}

Value GraphImporter::importArgument(Value arg, const TensorInfo &t) {
  if (!t.isUnsigned8())
    return arg;
  // uint8 bytes to the int8 domain: x - 128 flips the top bit.
  Location loc = tensorLoc(t.index);
  auto type = cast<RankedTensorType>(arg.getType());
  Value flip = constant(loc, SmallVector<int64_t>(type.getRank(), 1),
                        type.getElementType(), ArrayRef<int8_t>{-128});
  return tosa::BitwiseXorOp::create(builder, loc, type, arg, flip);
}

Value GraphImporter::exportResult(Location loc, Value v, const TensorInfo &t) {
  if (!t.isUnsigned8())
    return v;
  auto type = cast<RankedTensorType>(v.getType());
  Value flip = constant(loc, SmallVector<int64_t>(type.getRank(), 1),
                        type.getElementType(), ArrayRef<int8_t>{-128});
  return tosa::BitwiseXorOp::create(builder, loc, type, v, flip);
}

LogicalResult GraphImporter::convertOp(int opIndex) {
  const tflite::Operator *fbOp = subgraph->operators()->Get(opIndex);
  Location fileLoc = FileLineColLoc::get(ctx, fileName, 0, 0);
  auto opError = [&]() {
    InFlightDiagnostic diag = mlir::emitError(fileLoc);
    diag << "op #" << opIndex << ": ";
    return diag;
  };
  auto *opcodes = model->operator_codes();
  if (!opcodes || fbOp->opcode_index() >= opcodes->size())
    return opError() << "opcode index " << fbOp->opcode_index()
                     << " is out of range (model has "
                     << (opcodes ? opcodes->size() : 0) << " operator codes)";
  const tflite::OperatorCode *opcode = opcodes->Get(fbOp->opcode_index());
  const int32_t code = builtinCode(opcode);

  if (code == tflite::BuiltinOperator_CALL_ONCE ||
      code == tflite::BuiltinOperator_VAR_HANDLE ||
      code == tflite::BuiltinOperator_READ_VARIABLE ||
      code == tflite::BuiltinOperator_ASSIGN_VARIABLE)
    return convertResourceOp(opIndex, code, fbOp);

  OpContext op{*this, opIndex, code, fbOp, {}, {}, fileLoc};
  const int numTensors = static_cast<int>(tensors.size());
  if (fbOp->inputs())
    for (int32_t idx : *fbOp->inputs()) {
      if (idx < -1 || idx >= numTensors)
        return op.emitError() << "input tensor index " << idx
                              << " is out of range (subgraph has " << numTensors
                              << " tensors)";
      op.inputs.push_back(idx);
    }
  if (!fbOp->outputs() || fbOp->outputs()->size() == 0)
    return op.emitError() << "operator has no outputs";
  for (int32_t idx : *fbOp->outputs()) {
    if (idx < 0 || idx >= numTensors)
      return op.emitError()
             << "output tensor index " << idx
             << " is out of range (subgraph has " << numTensors << " tensors)";
    op.outputs.push_back(idx);
  }
  // The operator's output tensor names its ops; the operator's index rides
  // along as the fused location's metadata, so that passes can name a
  // layer by its position in the model (ft-tile-path's "#k").
  op.loc = FusedLoc::get(ctx, {tensorLoc(op.outputs.front())},
                         IntegerAttr::get(IntegerType::get(ctx, 32), opIndex));

  if (code == tflite::BuiltinOperator_CUSTOM) {
    std::string customCode =
        opcode->custom_code() ? opcode->custom_code()->str() : "";
    if (customCode == "TFLite_Detection_PostProcess" &&
        options.cutDetectionPostProcess) {
      cutOutputs.emplace(op.inputs.begin(), op.inputs.end());
      return success();
    }
    InFlightDiagnostic diag = op.emitError()
                              << "custom operator '" << customCode
                              << "' is not supported";
    if (customCode == "TFLite_Detection_PostProcess")
      diag << "; pass --tflite-cut-detection-postprocess to import the graph "
              "up to its inputs";
    return diag;
  }

  for (int idx : op.outputs)
    if (!elementType(tensors[idx]))
      return op.emitError(idx) << "tensor type " << typeName(tensors[idx].type)
                               << " is not supported";

  // TOSA verifiers run on every op this TFLite op produced; their message is
  // folded into one diagnostic that names the TFLite op and tensor.
  Block *block = builder.getInsertionBlock();
  Operation *lastBefore = block->empty() ? nullptr : &block->back();
  if (failed(convertOperator(op)))
    return failure();
  std::string verifierMessage;
  {
    ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &diag) {
      if (verifierMessage.empty())
        verifierMessage = diag.str();
      return success();
    });
    auto first =
        lastBefore ? std::next(lastBefore->getIterator()) : block->begin();
    for (Operation &created : llvm::make_range(first, block->end()))
      if (failed(mlir::verify(&created, /*verifyRecursively=*/false)))
        break;
    // Every op of the operator belongs to its layer (those that compute
    // nothing from activations lose it once the graph is complete).
    auto layer = LayerAttr::get(
        ctx, StringAttr::get(ctx, tensors[op.outputs.front()].name), opIndex);
    for (Operation &created : llvm::make_range(first, block->end()))
      setLayers(&created, {layer});
  }
  if (!verifierMessage.empty())
    return op.emitError(op.outputs.front())
           << "operands are inconsistent: " << verifierMessage;
  for (int idx : op.outputs) {
    auto it = values.find(idx);
    if (it == values.end())
      return op.emitError(idx) << "internal error: output was not produced";
    if (it->second.getType() != tensorType(tensors[idx]))
      return op.emitError(idx)
             << "computed type " << it->second.getType()
             << " does not match the declared " << tensorType(tensors[idx]);
  }
  return success();
}

FailureOr<SmallVector<Value>> GraphImporter::importSubgraph(int index,
                                                            Block *block) {
  Location fileLoc = FileLineColLoc::get(ctx, fileName, 0, 0);
  const auto *subgraphs = model->subgraphs();
  if (index <= 0 || index >= static_cast<int>(subgraphs->size())) {
    mlir::emitError(fileLoc) << "subgraph index " << index
                             << " is not a subgraph other than the main one";
    return failure();
  }
  // A subgraph that (indirectly) calls itself would never end.
  if (index == subgraphIndex || llvm::is_contained(callers, index)) {
    mlir::emitError(fileLoc)
        << "subgraph " << index << " calls itself (through IF or WHILE)";
    return failure();
  }
  GraphImporter child(module, model, fileBytes, fileName, options);
  child.subgraphIndex = index;
  child.callers = callers;
  child.callers.push_back(subgraphIndex);
  child.subgraph = subgraphs->Get(index);
  if (failed(child.loadTensors()))
    return failure();
  const auto *inputs = child.subgraph->inputs();
  const auto *outputs = child.subgraph->outputs();
  const unsigned numInputs = inputs ? inputs->size() : 0;
  if (numInputs != block->getNumArguments()) {
    mlir::emitError(fileLoc)
        << "subgraph " << index << " takes " << numInputs << " inputs, the "
        << "operator passes " << block->getNumArguments();
    return failure();
  }
  const int numTensors = static_cast<int>(child.tensors.size());
  for (unsigned i = 0; i < numInputs; ++i) {
    const int idx = inputs->Get(i);
    if (idx < 0 || idx >= numTensors ||
        !child.elementType(child.tensors[idx]) ||
        child.tensorType(child.tensors[idx]) !=
            block->getArgument(i).getType()) {
      mlir::emitError(fileLoc)
          << "subgraph " << index << ": input " << i << " does not have the "
          << "type the operator passes, " << block->getArgument(i).getType();
      return failure();
    }
    child.values[idx] = block->getArgument(i);
  }
  child.builder.setInsertionPointToEnd(block);
  const unsigned numOps =
      child.subgraph->operators() ? child.subgraph->operators()->size() : 0;
  for (unsigned i = 0; i < numOps; ++i)
    if (failed(child.convertOp(i)))
      return failure();
  SmallVector<Value> results;
  for (unsigned i = 0; outputs && i < outputs->size(); ++i) {
    const int idx = outputs->Get(i);
    auto it = idx >= 0 && idx < numTensors ? child.values.find(idx)
                                           : child.values.end();
    if (it == child.values.end()) {
      mlir::emitError(fileLoc)
          << "subgraph " << index << ": output " << i << " is never written";
      return failure();
    }
    results.push_back(it->second);
  }
  // Layers are the main subgraph's operators.
  block->walk([](Operation *op) { setLayers(op, {}); });
  return results;
}

LogicalResult GraphImporter::run() {
  Location fileLoc = FileLineColLoc::get(ctx, fileName, 0, 0);
  if (!model->subgraphs() || model->subgraphs()->size() == 0)
    return mlir::emitError(fileLoc) << "model has no subgraph";
  subgraph = model->subgraphs()->Get(0);
  if (failed(loadTensors()) || failed(collectVariableInitialisers()))
    return failure();

  const int numTensors = static_cast<int>(tensors.size());
  SmallVector<int> graphInputs, graphOutputs;
  for (auto [list, dst, what] :
       {std::make_tuple(subgraph->inputs(), &graphInputs, "input"),
        std::make_tuple(subgraph->outputs(), &graphOutputs, "output")}) {
    if (!list || list->size() == 0)
      return mlir::emitError(fileLoc) << "subgraph has no " << what << "s";
    for (int32_t idx : *list) {
      if (idx < 0 || idx >= numTensors)
        return mlir::emitError(fileLoc)
               << "graph " << what << " tensor index " << idx
               << " is out of range (subgraph has " << numTensors
               << " tensors)";
      if (!elementType(tensors[idx]))
        return mlir::emitError(tensorLoc(idx))
               << "graph " << what << " tensor #" << idx << " '"
               << tensors[idx].name << "': type " << typeName(tensors[idx].type)
               << " is not supported";
      dst->push_back(idx);
    }
  }

  SmallVector<Type> argTypes;
  for (int idx : graphInputs)
    argTypes.push_back(tensorType(tensors[idx]));
  builder.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(builder, fileLoc, options.functionName,
                                   builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToStart(entry);
  for (auto [i, idx] : llvm::enumerate(graphInputs)) {
    func.setArgAttrs(i, tensorAttrs(tensors[idx]));
    BlockArgument arg = entry->getArgument(i);
    arg.setLoc(tensorLoc(idx));
    values[idx] = importArgument(arg, tensors[idx]);
  }

  SmallVector<int> intermediates;
  const unsigned numOps =
      subgraph->operators() ? subgraph->operators()->size() : 0;
  for (unsigned i = 0; i < numOps; ++i) {
    if (failed(convertOp(i)))
      return failure();
    if (cutOutputs)
      break;
    // (Operators without outputs: CALL_ONCE, ASSIGN_VARIABLE.)
    if (options.exposeIntermediates)
      if (const auto *outputs = subgraph->operators()->Get(i)->outputs())
        for (int32_t idx : *outputs)
          intermediates.push_back(idx);
  }

  // Variables after the invocation (TFLM's dump has them too), in tensor
  // order.
  if (options.exposeIntermediates) {
    SmallVector<int> variables;
    for (const auto &entry : variableGlobals)
      variables.push_back(entry.first);
    llvm::sort(variables);
    intermediates.append(variables.begin(), variables.end());
  }

  SmallVector<int> resultTensors;
  if (cutOutputs)
    resultTensors.assign(cutOutputs->begin(), cutOutputs->end());
  else
    resultTensors.assign(graphOutputs.begin(), graphOutputs.end());
  for (int idx : intermediates)
    if (!llvm::is_contained(resultTensors, idx))
      resultTensors.push_back(idx);

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  SmallVector<DictionaryAttr> resultAttrs;
  for (int idx : resultTensors) {
    auto it = values.find(idx);
    if (it == values.end() && tensors[idx].isConstant) {
      // A constant input of the cut post-processing op (SSD's anchors).
      OpContext resultContext{*this,         -1, tflite::BuiltinOperator_CUSTOM,
                              nullptr,       {}, {},
                              tensorLoc(idx)};
      if (failed(valueOf(resultContext, idx)))
        return failure();
      it = values.find(idx);
    }
    if (it == values.end())
      return mlir::emitError(tensorLoc(idx))
             << "graph output tensor #" << idx << " '" << tensors[idx].name
             << "' is never written";
    results.push_back(exportResult(tensorLoc(idx), it->second, tensors[idx]));
    resultTypes.push_back(results.back().getType());
    resultAttrs.push_back(tensorAttrs(tensors[idx]));
  }
  func::ReturnOp::create(builder, fileLoc, results);
  dropLayersOfNonActivationOps(func.getBody().front());
  func.setFunctionType(builder.getFunctionType(argTypes, resultTypes));
  for (auto [i, attrs] : llvm::enumerate(resultAttrs))
    func.setResultAttrs(i, attrs);
  return success();
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

bool ft::looksLikeTFLite(ArrayRef<uint8_t> bytes) {
  return bytes.size() >= 8 && tflite::ModelBufferHasIdentifier(bytes.data());
}

OwningOpRef<ModuleOp> ft::loadModelFile(StringRef path, MLIRContext *context,
                                        llvm::SourceMgr &sourceMgr,
                                        const TFLiteImportOptions &options,
                                        std::string &error) {
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(path, &error);
  if (!file)
    return nullptr;
  ArrayRef<uint8_t> bytes(
      reinterpret_cast<const uint8_t *>(file->getBufferStart()),
      file->getBufferSize());
  // A file called .tflite is imported even without the identifier, so that
  // a damaged model is reported as one, not as an MLIR syntax error.
  if (looksLikeTFLite(bytes) || path.ends_with(".tflite"))
    return importTFLite(bytes, path, context, options);
  // Anything else must be MLIR: text, or bytecode (its own magic). Binary
  // data (an object file given by mistake) would make the parser quote
  // garbage as the offending line.
  StringRef text = file->getBuffer();
  if (!text.starts_with("ML\xefR") &&
      text.take_front(4096).find('\0') != StringRef::npos) {
    error = (path +
             " is neither a TFLite model (no 'TFL3' identifier) "
             "nor MLIR (text or bytecode)" +
             (text.starts_with("\x7f"
                               "ELF")
                  ? ": it is an ELF file"
                  : ""))
                .str();
    return nullptr;
  }
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  return parseSourceFile<ModuleOp>(sourceMgr, context);
}

OwningOpRef<ModuleOp> ft::importTFLite(ArrayRef<uint8_t> bytes,
                                       StringRef fileName, MLIRContext *context,
                                       const TFLiteImportOptions &options) {
  context->loadDialect<func::FuncDialect, tosa::TosaDialect, ft::FTDialect,
                       ml_program::MLProgramDialect,
                       bufferization::BufferizationDialect>();
  Location fileLoc = FileLineColLoc::get(context, fileName, 0, 0);
  if (!looksLikeTFLite(bytes)) {
    mlir::emitError(fileLoc)
        << "not a TFLite model (the flatbuffer identifier 'TFL3' is missing)";
    return nullptr;
  }
  // The verifier bounds-checks every offset, vector and string, so the
  // importer can then read the flatbuffer without further range checks.
  flatbuffers::Verifier verifier(bytes.data(), bytes.size(),
                                 /*max_depth=*/64, /*max_tables=*/10000000);
  if (!tflite::VerifyModelBuffer(verifier)) {
    mlir::emitError(fileLoc) << "malformed TFLite flatbuffer (truncated or "
                                "corrupt file; the flatbuffers verifier "
                                "rejected it)";
    return nullptr;
  }
  const tflite::Model *model = tflite::GetModel(bytes.data());
  if (model->version() != 3) {
    mlir::emitError(fileLoc) << "unsupported TFLite schema version "
                             << model->version() << " (expected 3)";
    return nullptr;
  }
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  GraphImporter importer(*module, model, bytes, fileName, options);
  if (failed(importer.run()))
    return nullptr;
  if (failed(mlir::verify(*module))) {
    mlir::emitError(fileLoc) << "internal error: the imported module does "
                                "not verify";
    return nullptr;
  }
  return module;
}

void ft::registerTFLiteImportTranslation() {
  static llvm::cl::opt<std::string> functionName(
      "tflite-function-name", llvm::cl::desc("Name of the imported function"),
      llvm::cl::init("main"));
  static llvm::cl::opt<bool> exposeIntermediates(
      "tflite-expose-intermediates",
      llvm::cl::desc("Return every operator output, and every variable's "
                     "value after the invocation, as an extra function "
                     "result (attribute ft.tensor_index names the tensor)"),
      llvm::cl::init(false));
  static llvm::cl::opt<bool> cutPostProcess(
      "tflite-cut-detection-postprocess",
      llvm::cl::desc("Stop before a TFLite_Detection_PostProcess custom op "
                     "and return its inputs"),
      llvm::cl::init(false));
  static TranslateToMLIRRegistration registration(
      "import-tflite", "Import a TensorFlow Lite flatbuffer into TOSA",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        TFLiteImportOptions options;
        options.functionName = functionName;
        options.exposeIntermediates = exposeIntermediates;
        options.cutDetectionPostProcess = cutPostProcess;
        // flatbuffers wants aligned data; MemoryBuffer gives no guarantee for
        // stdin, so copy into an aligned vector.
        std::vector<uint8_t> bytes(buffer->getBufferStart(),
                                   buffer->getBufferEnd());
        StringRef name = buffer->getBufferIdentifier();
        return importTFLite(bytes, name, context, options);
      },
      [](DialectRegistry &registry) {
        registry.insert<func::FuncDialect, tosa::TosaDialect, ft::FTDialect,
                        ml_program::MLProgramDialect,
                        bufferization::BufferizationDialect>();
      });
}
