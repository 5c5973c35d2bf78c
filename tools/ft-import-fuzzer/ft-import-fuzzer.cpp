//===- ft-import-fuzzer.cpp - libFuzzer entry point for the importer ------===//
//
// Feeds arbitrary bytes to the TFLite importer. Any crash, sanitizer report
// or hang is a bug: bad input must end in a diagnostic.
//
//   ft-import-fuzzer CORPUS_DIR -max_total_time=60
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Import/TFLite/TFLiteImporter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A fresh context per input: nothing uniqued by one input can mask a bug
  // in the next, and memory stays bounded over long runs.
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  mlir::ScopedDiagnosticHandler silence(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  std::vector<uint8_t> bytes(data, data + size);
  ft::TFLiteImportOptions options;
  options.exposeIntermediates = size % 2 == 0;
  options.cutDetectionPostProcess = size % 3 == 0;
  (void)ft::importTFLite(bytes, "fuzz.tflite", &context, options);
  return 0;
}
