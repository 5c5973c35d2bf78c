//===- ft-opt.cpp - FusedTiling optimizer driver --------------------------===//

#include "FusedTiling/Conversion/Passes.h"
#include "FusedTiling/Dialect/FT/IR/FTDialect.h"
#include "FusedTiling/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  ft::registerFTConversionPasses();
  ft::registerFTTransformsPasses();
  ft::registerFTPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<ft::FTDialect>();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv,
      "FusedTiling optimizer: TOSA/linalg passes and the ft-lower-to-llvm "
      "pipeline\n",
      registry));
}
