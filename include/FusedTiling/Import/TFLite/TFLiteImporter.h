//===- TFLiteImporter.h - TFLite flatbuffer to TOSA -------------*- C++ -*-===//
//
// Imports a TensorFlow Lite model (one subgraph) into a module holding one
// func.func of TOSA ops on tensors. Quantized arithmetic reproduces the
// reference kernels of TensorFlow Lite Micro bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_IMPORT_TFLITE_TFLITEIMPORTER_H
#define FUSEDTILING_IMPORT_TFLITE_TFLITEIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SourceMgr.h"

#include <string>

namespace ft {

struct TFLiteImportOptions {
  /// Name of the generated function.
  std::string functionName = "main";
  /// Make every op output tensor, and every variable's value after the
  /// invocation, an extra function result, so that a test can compare each
  /// layer (and the state) with a reference.
  bool exposeIntermediates = false;
  /// Stop before a TFLite_Detection_PostProcess custom op and return its
  /// inputs instead of failing on it.
  bool cutDetectionPostProcess = false;
};

/// Imports `bytes` (the contents of `fileName`). On bad input emits one
/// diagnostic naming the file, the op index and the tensor, and returns null.
mlir::OwningOpRef<mlir::ModuleOp>
importTFLite(llvm::ArrayRef<uint8_t> bytes, llvm::StringRef fileName,
             mlir::MLIRContext *context, const TFLiteImportOptions &options);

/// Whether `bytes` start like a TFLite flatbuffer (the file identifier
/// "TFL3" at offset 4). Says nothing about the rest being well formed.
bool looksLikeTFLite(llvm::ArrayRef<uint8_t> bytes);

/// Reads the model file `path` for the tools: a TFLite flatbuffer
/// (recognised by its identifier, whatever the file is called) or a file
/// called .tflite is imported, MLIR text or bytecode is parsed through
/// `sourceMgr`. Returns null after a diagnostic, or with `error` set when
/// the file cannot be opened or is binary data of another kind (an object
/// file).
mlir::OwningOpRef<mlir::ModuleOp>
loadModelFile(llvm::StringRef path, mlir::MLIRContext *context,
              llvm::SourceMgr &sourceMgr, const TFLiteImportOptions &options,
              std::string &error);

/// Registers `--import-tflite` with mlir-translate style drivers.
void registerTFLiteImportTranslation();

} // namespace ft

#endif // FUSEDTILING_IMPORT_TFLITE_TFLITEIMPORTER_H
