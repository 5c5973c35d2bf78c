//===- FTToLLVMIRTranslation.h - ft attributes in LLVM IR export -*- C++ -*-=//

#ifndef FUSEDTILING_TARGET_LLVMIR_FTTOLLVMIRTRANSLATION_H
#define FUSEDTILING_TARGET_LLVMIR_FTTOLLVMIRTRANSLATION_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace ft {
/// Lets the LLVM IR export accept the ft.* attributes (TFLite names and
/// quantization, arena figures) that the lowering carries onto llvm.func and
/// its parameters; they document the model and have no LLVM IR meaning.
void registerFTDialectTranslation(mlir::DialectRegistry &registry);
} // namespace ft

#endif // FUSEDTILING_TARGET_LLVMIR_FTTOLLVMIRTRANSLATION_H
