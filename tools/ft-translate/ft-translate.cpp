//===- ft-translate.cpp - FusedTiling translation driver ------------------===//

#include "FusedTiling/Import/TFLite/TFLiteImporter.h"

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  ft::registerTFLiteImportTranslation();
  return mlir::failed(mlir::mlirTranslateMain(
             argc, argv,
             "FusedTiling translations: --import-tflite (TFLite flatbuffer "
             "to TOSA), --mlir-to-llvmir, ...\n"))
             ? 1
             : 0;
}
