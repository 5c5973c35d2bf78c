//===- InitAll.cpp - Everything a FusedTiling compiler context needs ------===//

#include "FusedTiling/InitAll.h"
#include "FusedTiling/Dialect/FT/IR/FTDialect.h"
#include "FusedTiling/Target/LLVMIR/FTToLLVMIRTranslation.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"

void ft::registerCompilerDialects(mlir::DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<ft::FTDialect>();
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  ft::registerFTDialectTranslation(registry);
}
