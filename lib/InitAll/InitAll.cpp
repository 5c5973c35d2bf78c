//===- InitAll.cpp - Everything a FusedTiling compiler context needs ------===//

#include "FusedTiling/InitAll.h"
#include "FusedTiling/Conversion/Passes.h"
#include "FusedTiling/Dialect/FT/IR/FTDialect.h"
#include "FusedTiling/Dialect/FT/IR/SplitRulesInterface.h"
#include "FusedTiling/Dialect/FT/TransformOps/FTTransformOps.h"
#include "FusedTiling/Dialect/FT/Transforms/BufferizableOpInterfaceImpl.h"
#include "FusedTiling/Dialect/FT/Transforms/Passes.h"
#include "FusedTiling/Pipelines/Pipelines.h"
#include "FusedTiling/Planning/Passes.h"
#include "FusedTiling/Target/LLVMIR/FTToLLVMIRTranslation.h"
#include "FusedTiling/Tiling/Passes.h"
#include "FusedTiling/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"

void ft::registerCompilerDialects(mlir::DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<ft::FTDialect>();
  ft::registerBufferizableOpInterfaceExternalModels(registry);
  ft::registerSplitRulesExternalModels(registry);
  ft::registerTransformDialectExtension(registry);
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  ft::registerFTDialectTranslation(registry);
}

void ft::registerCompilerPasses() {
  mlir::registerAllPasses();
  ft::registerFTConversionPasses();
  ft::registerFTTransformsPasses();
  ft::registerFTDialectTransformsPasses();
  ft::registerFTPlanningPasses();
  ft::registerFTTilingPasses();
  ft::registerFTPipelines();
}
