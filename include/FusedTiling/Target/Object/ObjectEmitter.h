//===- ObjectEmitter.h - LLVM dialect to an ELF object and C header -*- C++
//-*-//

#ifndef FUSEDTILING_TARGET_OBJECT_OBJECTEMITTER_H
#define FUSEDTILING_TARGET_OBJECT_OBJECTEMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Triple.h"

#include <string>
#include <vector>

namespace ft {

/// Which machine the object is for.
struct TargetSpec {
  /// "host" or "riscv32".
  std::string name = "host";
  std::string triple;   // empty: derived from `name`
  std::string cpu;      // empty: generic-rv32 / a portable host CPU
  std::string features; // e.g. "+m,+a,+f,+d,+c"
  std::string abi;      // e.g. "ilp32d"
  /// The CPU whose scheduling model and tuning the code is optimised for
  /// (LLVM's "tune-cpu", clang's -mtune); the instructions stay `cpu`'s.
  /// Empty: `cpu`'s own.
  std::string tuneCPU;
  /// Bitwidth of `index` for this target (32 on riscv32, 64 on the host).
  unsigned indexBitwidth() const;
};

/// The default features and ABI of a target name ("riscv32": rv32gc,
/// ilp32d, tuned for an in-order core; the host: its triple with a portable
/// CPU), unless the spec sets them.
TargetSpec resolveTarget(TargetSpec spec);

/// Why `cpu`, `features` ("+m,-c") or `tuneCPU` are not valid for `triple`
/// (an unknown CPU or feature, a feature without + or -), or an empty
/// string.
std::string checkTarget(const std::string &triple, const std::string &cpu,
                        const std::string &features,
                        const std::string &tuneCPU = "");

/// The CPU host code is built for unless one is asked for: the baseline of
/// the architecture ("x86-64" on x86-64), not the building machine's CPU.
std::string getPortableCPU(const llvm::Triple &triple);

/// Translates an LLVM-dialect module and writes an ELF object, optimised at
/// -O3, through LLVM's TargetMachine (in process, no llc).
mlir::LogicalResult emitObject(mlir::ModuleOp module, const TargetSpec &spec,
                               llvm::raw_pwrite_stream &os);

/// What the C header describes about one input or output.
struct TensorDescription {
  std::string name;  // TFLite tensor name
  std::string type;  // TFLite type name ("int8", ...)
  std::string cType; // "int8_t", "uint8_t", "float", ...
  std::vector<int64_t> shape;
  int64_t bytes = 0;
  double scale = 0;
  int64_t zeroPoint = 0;
  bool quantized = false;
};

/// Writes a C header for an entry point compiled with ft-plan-arena's
/// accessor ABI: the entry point, one accessor per input and output, their
/// shapes and quantization, and the arena size; with `profiledLayers` (the
/// module's ft.profile_layers), the profiling hooks and the layers' names.
void emitHeader(llvm::raw_ostream &os, llvm::StringRef entry,
                const std::vector<TensorDescription> &inputs,
                const std::vector<TensorDescription> &outputs,
                int64_t arenaBytes,
                llvm::ArrayRef<std::string> profiledLayers = {});

} // namespace ft

#endif // FUSEDTILING_TARGET_OBJECT_OBJECTEMITTER_H
