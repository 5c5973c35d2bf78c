//===- ResourceVariables.cpp - VAR_HANDLE, READ/ASSIGN_VARIABLE, CALL_ONCE ===//
//
// TFLite's resource variables are state named by VAR_HANDLE's shared name:
// READ_VARIABLE reads it, ASSIGN_VARIABLE writes it, and a CALL_ONCE runs
// an init subgraph (which assigns the initial values) on the first
// invocation. Each variable becomes a mutable ml_program.global, as variable
// tensors do (ConvertRecurrent.cpp), whose initial value is what the init
// subgraph assigns: the first invocation then sees exactly what TFLite's
// would, and `<entry>_reset` restores the state of a fresh interpreter.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "FusedTiling/Dialect/FT/IR/FTDialect.h"

#include "mlir/Dialect/MLProgram/IR/MLProgram.h"

using namespace mlir;
using namespace ft;
using namespace ft::tflite_import;

namespace {

/// The shared name a VAR_HANDLE names (with its container, if any).
std::string handleName(const tflite::Operator *fbOp) {
  const auto *options = fbOp->builtin_options_as<tflite::VarHandleOptions>();
  std::string name;
  if (options && options->container() && options->container()->size())
    name = options->container()->str() + "/";
  if (options && options->shared_name())
    name += options->shared_name()->str();
  return name;
}

} // namespace

LogicalResult GraphImporter::collectVariableInitialisers() {
  const auto *subgraphs = model->subgraphs();
  auto *opcodes = model->operator_codes();
  if (!subgraph->operators() || !opcodes)
    return success();
  auto codeOf = [&](const tflite::Operator *fbOp) -> int32_t {
    if (fbOp->opcode_index() >= opcodes->size())
      return -1;
    const tflite::OperatorCode *opcode = opcodes->Get(fbOp->opcode_index());
    return std::max<int32_t>(static_cast<int32_t>(opcode->builtin_code()),
                             opcode->deprecated_builtin_code());
  };
  for (auto [opIndex, fbOp] : llvm::enumerate(*subgraph->operators())) {
    if (codeOf(fbOp) != tflite::BuiltinOperator_CALL_ONCE)
      continue;
    Location loc = FileLineColLoc::get(ctx, fileName, 0, 0);
    auto error = [&]() {
      InFlightDiagnostic diag = mlir::emitError(loc);
      diag << "op #" << opIndex << " (CALL_ONCE): ";
      return diag;
    };
    const auto *options = fbOp->builtin_options_as<tflite::CallOnceOptions>();
    const int init = options ? options->init_subgraph_index() : -1;
    if (init <= 0 || init >= static_cast<int>(subgraphs->size()))
      return error() << "init subgraph " << init << " is not a subgraph "
                     << "other than the main one";
    const tflite::SubGraph *initGraph = subgraphs->Get(init);
    const auto *tensorsOfInit = initGraph->tensors();
    llvm::DenseMap<int, std::string> handles;
    if (!initGraph->operators())
      continue;
    for (auto [initIndex, initOp] : llvm::enumerate(*initGraph->operators())) {
      const int32_t code = codeOf(initOp);
      auto initError = [&]() {
        InFlightDiagnostic diag = error();
        diag << "init subgraph " << init << ", op #" << initIndex << " ("
             << builtinName(code) << "): ";
        return diag;
      };
      const auto *inputs = initOp->inputs();
      const auto *outputs = initOp->outputs();
      auto tensorOk = [&](int32_t idx) {
        return tensorsOfInit && idx >= 0 &&
               idx < static_cast<int32_t>(tensorsOfInit->size());
      };
      if (code == tflite::BuiltinOperator_VAR_HANDLE) {
        if (!outputs || outputs->size() != 1 || !tensorOk(outputs->Get(0)))
          return initError() << "needs one output";
        handles[outputs->Get(0)] = handleName(initOp);
        continue;
      }
      if (code != tflite::BuiltinOperator_ASSIGN_VARIABLE)
        return initError() << "a CALL_ONCE init subgraph may only assign "
                              "constants to resource variables";
      if (!inputs || inputs->size() != 2 || !handles.count(inputs->Get(0)) ||
          !tensorOk(inputs->Get(1)))
        return initError() << "needs a VAR_HANDLE of this subgraph and a "
                              "value";
      const tflite::Tensor *value = tensorsOfInit->Get(inputs->Get(1));
      const auto *buffers = model->buffers();
      const tflite::Buffer *buffer =
          buffers && value->buffer() < buffers->size()
              ? buffers->Get(value->buffer())
              : nullptr;
      TensorInfo info;
      info.name = value->name() ? value->name()->str() : "initial value";
      info.type = value->type();
      if (value->shape())
        for (int32_t d : *value->shape()) {
          if (d < 0)
            return initError() << "the assigned value's shape is dynamic";
          info.shape.push_back(d);
        }
      const int64_t width = elementBytes(info.type);
      if (!width)
        return initError() << "variables of type "
                           << tflite::EnumNameTensorType(info.type)
                           << " are not supported";
      if (!buffer || !buffer->data() ||
          static_cast<int64_t>(buffer->data()->size()) !=
              width * info.numElements())
        return initError() << "the assigned value must be a constant (its "
                              "buffer holds the tensor's bytes)";
      info.data =
          ArrayRef<uint8_t>(buffer->data()->data(), buffer->data()->size());
      info.isConstant = true;
      if (const tflite::QuantizationParameters *q = value->quantization())
        if (q->scale() && q->scale()->size() == 1) {
          info.scales.push_back(q->scale()->Get(0));
          int64_t zp = q->zero_point() && q->zero_point()->size()
                           ? q->zero_point()->Get(0)
                           : 0;
          info.zeroPoints.push_back(
              info.type == tflite::TensorType_UINT8 ? zp - 128 : zp);
        }
      resources[handles[inputs->Get(0)]].initial = std::move(info);
    }
  }
  return success();
}

FailureOr<StringRef> GraphImporter::resourceGlobal(Location loc, StringRef name,
                                                   const TensorInfo &like) {
  ResourceVariable &variable = resources[name];
  RankedTensorType type = tensorType(like);
  if (!variable.global.empty()) {
    auto global = module.lookupSymbol<ml_program::GlobalOp>(variable.global);
    if (global.getType() != type) {
      mlir::emitError(loc) << "resource variable '" << name << "' holds "
                           << global.getType() << ", not " << type;
      return failure();
    }
    return StringRef(variable.global);
  }
  Attribute initial;
  if (variable.initial) {
    const TensorInfo &init = *variable.initial;
    if (init.type != like.type || init.shape != like.shape) {
      mlir::emitError(loc) << "resource variable '" << name
                           << "' is initialised with " << tensorType(init)
                           << ", but used as " << type;
      return failure();
    }
    if (elementBytes(init.type) == 1) {
      std::vector<int8_t> bytes = int8Data(init);
      initial = DenseElementsAttr::get(type, ArrayRef<int8_t>(bytes));
    } else {
      initial = DenseElementsAttr::getFromRawBuffer(
          type, ArrayRef<char>(reinterpret_cast<const char *>(init.data.data()),
                               init.data.size()));
    }
  } else {
    // Never assigned before its first use: zeros.
    Type elem = type.getElementType();
    initial =
        isa<FloatType>(elem)
            ? DenseElementsAttr::get(type, builder.getFloatAttr(elem, 0))
            : DenseElementsAttr::get(type, builder.getIntegerAttr(elem, 0));
  }
  variable.global =
      options.functionName + "_variable_" + std::to_string(resourceGlobals++);
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(module.getBody());
  auto global = ml_program::GlobalOp::create(
      builder, loc, builder.getStringAttr(variable.global), TypeAttr::get(type),
      builder.getUnitAttr(), initial, builder.getStringAttr("private"));
  global->setAttr(FTDialect::kNameAttrName, builder.getStringAttr(name));
  return StringRef(variable.global);
}

LogicalResult GraphImporter::convertResourceOp(int opIndex, int32_t code,
                                               const tflite::Operator *fbOp) {
  Location loc = FusedLoc::get(ctx, {FileLineColLoc::get(ctx, fileName, 0, 0)},
                               builder.getI32IntegerAttr(opIndex));
  auto error = [&]() {
    InFlightDiagnostic diag = mlir::emitError(loc);
    if (subgraphIndex)
      diag << "subgraph " << subgraphIndex << ", ";
    diag << "op #" << opIndex << " (" << builtinName(code) << "): ";
    return diag;
  };
  const int numTensors = static_cast<int>(tensors.size());
  auto tensorAt = [&](const flatbuffers::Vector<int32_t> *list,
                      unsigned i) -> int {
    if (!list || i >= list->size())
      return -1;
    int idx = list->Get(i);
    return idx >= 0 && idx < numTensors ? idx : -1;
  };
  // Variables are the main subgraph's (a called subgraph's importer has
  // its own tables, which would silently be other variables).
  if (subgraphIndex != 0)
    return error() << "resource variables in a subgraph IF or WHILE calls "
                      "are not supported yet";
  // Folded into the variables' initial values (collectVariableInitialisers).
  if (code == tflite::BuiltinOperator_CALL_ONCE)
    return success();
  if (code == tflite::BuiltinOperator_VAR_HANDLE) {
    int handle = tensorAt(fbOp->outputs(), 0);
    if (handle < 0)
      return error() << "needs one output";
    resourceHandles[handle] = handleName(fbOp);
    return success();
  }
  int handle = tensorAt(fbOp->inputs(), 0);
  if (handle < 0 || !resourceHandles.count(handle))
    return error() << "operand 0 must be a VAR_HANDLE's output";
  const std::string name = resourceHandles[handle];
  OpContext op{*this, opIndex, code, fbOp, {}, {}, loc};
  if (code == tflite::BuiltinOperator_READ_VARIABLE) {
    int out = tensorAt(fbOp->outputs(), 0);
    if (out < 0 || !elementType(tensors[out]))
      return error() << "needs one output of a supported type";
    FailureOr<StringRef> global = resourceGlobal(loc, name, tensors[out]);
    if (failed(global))
      return failure();
    values[out] = ml_program::GlobalLoadOp::create(
        builder, tensorLoc(out), tensorType(tensors[out]),
        FlatSymbolRefAttr::get(ctx, *global));
    return success();
  }
  // ASSIGN_VARIABLE
  int value = tensorAt(fbOp->inputs(), 1);
  if (value < 0 || !elementType(tensors[value]))
    return error() << "needs a value of a supported type";
  FailureOr<Value> v = valueOf(op, value);
  if (failed(v))
    return failure();
  FailureOr<StringRef> global = resourceGlobal(loc, name, tensors[value]);
  if (failed(global))
    return failure();
  storeGlobal(loc, *global, *v);
  return success();
}
