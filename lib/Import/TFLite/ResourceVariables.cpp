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
    return fbOp->opcode_index() < opcodes->size()
               ? builtinCode(opcodes->Get(fbOp->opcode_index()))
               : -1;
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
    const auto *callOnce = fbOp->builtin_options_as<tflite::CallOnceOptions>();
    const int init = callOnce ? callOnce->init_subgraph_index() : -1;
    if (init <= 0 || init >= static_cast<int>(subgraphs->size()))
      return error() << "init subgraph " << init << " is not a subgraph "
                     << "other than the main one";
    // The init subgraph's tensors, read and checked as any subgraph's.
    GraphImporter initImporter(module, model, fileBytes, fileName, options);
    initImporter.subgraphIndex = init;
    initImporter.subgraph = subgraphs->Get(init);
    if (!initImporter.subgraph->operators())
      continue;
    if (failed(initImporter.loadTensors()))
      return failure();
    const auto &initTensors = initImporter.tensors;
    auto tensorOk = [&](int32_t idx) {
      return idx >= 0 && idx < static_cast<int32_t>(initTensors.size());
    };
    llvm::DenseMap<int, std::string> handles;
    for (auto [initIndex, initOp] :
         llvm::enumerate(*initImporter.subgraph->operators())) {
      const int32_t code = codeOf(initOp);
      auto initError = [&]() {
        InFlightDiagnostic diag = error();
        diag << "init subgraph " << init << ", op #" << initIndex << " ("
             << builtinName(code) << "): ";
        return diag;
      };
      const auto *inputs = initOp->inputs();
      const auto *outputs = initOp->outputs();
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
      const TensorInfo &value = initTensors[inputs->Get(1)];
      if (!elementBytes(value.type))
        return initError() << "variables of type "
                           << tflite::EnumNameTensorType(value.type)
                           << " are not supported";
      if (!value.isConstant)
        return initError() << "the assigned value must be a constant";
      resources[handles[inputs->Get(0)]].initial = value;
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
