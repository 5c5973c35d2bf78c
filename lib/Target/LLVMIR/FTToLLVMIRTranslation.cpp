//===- FTToLLVMIRTranslation.cpp - ft attributes in LLVM IR export --------===//

#include "FusedTiling/Target/LLVMIR/FTToLLVMIRTranslation.h"
#include "FusedTiling/Dialect/FT/IR/FTDialect.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Target/LLVMIR/LLVMTranslationInterface.h"

namespace {
/// The default hooks accept every attribute of the dialect; registering the
/// interface is what tells the exporter that ft.* attributes are known.
struct FTLLVMTranslationInterface
    : public mlir::LLVMTranslationDialectInterface {
  using LLVMTranslationDialectInterface::LLVMTranslationDialectInterface;
};
} // namespace

void ft::registerFTDialectTranslation(mlir::DialectRegistry &registry) {
  registry.insert<ft::FTDialect>();
  registry.addExtension(+[](mlir::MLIRContext *, ft::FTDialect *dialect) {
    dialect->addInterfaces<FTLLVMTranslationInterface>();
  });
}
