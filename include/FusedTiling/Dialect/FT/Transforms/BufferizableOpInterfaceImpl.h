//===- BufferizableOpInterfaceImpl.h - ft ops and bufferization -*- C++ -*-===//

#ifndef FUSEDTILING_DIALECT_FT_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
#define FUSEDTILING_DIALECT_FT_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace ft {
/// Attaches the BufferizableOpInterface to ft.partial_sum: it bufferizes in
/// place on its accumulator, like any destination-style op.
void registerBufferizableOpInterfaceExternalModels(
    mlir::DialectRegistry &registry);
} // namespace ft

#endif // FUSEDTILING_DIALECT_FT_TRANSFORMS_BUFFERIZABLEOPINTERFACEIMPL_H
