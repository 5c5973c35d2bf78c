//===- InitAll.h - Everything a FusedTiling compiler context needs -*- C++ -*-//

#ifndef FUSEDTILING_INITALL_H
#define FUSEDTILING_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace ft {
/// Every upstream dialect and extension, the ft dialect and its
/// bufferization interfaces, and the LLVM IR
/// translations (ft attributes included): what running ft-lower-to-llvm and
/// translating or JIT-compiling its result needs.
void registerCompilerDialects(mlir::DialectRegistry &registry);

/// Every upstream pass and every FusedTiling pass and pipeline.
void registerCompilerPasses();
} // namespace ft

#endif // FUSEDTILING_INITALL_H
