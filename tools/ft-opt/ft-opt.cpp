//===- ft-opt.cpp - FusedTiling optimizer driver --------------------------===//

#include "FusedTiling/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  ft::registerCompilerPasses();
  mlir::DialectRegistry registry;
  ft::registerCompilerDialects(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv,
      "FusedTiling optimizer: the ft dialect, its tiling transforms "
      "(ft-tile-path), TOSA/linalg passes and the ft-lower-to-llvm "
      "pipeline\n",
      registry));
}
