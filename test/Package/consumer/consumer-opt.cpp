//===- consumer-opt.cpp - An opt tool built on an installed FusedTiling ---===//

#include "FusedTiling/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  ft::registerCompilerDialects(registry);
  ft::registerCompilerPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "consumer-opt: FusedTiling in another project\n", registry));
}
