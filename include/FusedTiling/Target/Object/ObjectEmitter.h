//===- ObjectEmitter.h - LLVM dialect to an ELF object and C header -*- C++
//-*-//

#ifndef FUSEDTILING_TARGET_OBJECT_OBJECTEMITTER_H
#define FUSEDTILING_TARGET_OBJECT_OBJECTEMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Triple.h"

#include <optional>
#include <string>
#include <vector>

namespace ft {

/// Which machine the object is for.
struct TargetSpec {
  /// A preset (getTargetPresets) unless `triple` is set.
  std::string name = "host";
  std::string triple;   // empty: derived from `name`
  std::string cpu;      // empty: generic-rv32 / a portable host CPU
  std::string features; // e.g. "+m,+a,+f,+d,+c"
  std::string abi;      // e.g. "ilp32d"
  /// The CPU whose scheduling model and tuning the code is optimised for
  /// (LLVM's "tune-cpu", clang's -mtune); the instructions stay `cpu`'s.
  /// Empty: `cpu`'s own.
  std::string tuneCPU;
  /// Position-independent code or not; unset: resolveTarget decides
  /// (PIC for hosts, whose executables are PIE; static for bare metal).
  std::optional<bool> relocationModel;
  /// What resolveTarget decided.
  bool pic = false;
  /// Bitwidth of `index` for this target: its pointers' (after
  /// resolveTarget).
  unsigned indexBitwidth() const;
};

/// A --target name and what it stands for.
struct TargetPreset {
  llvm::StringRef name, description;
};
llvm::ArrayRef<TargetPreset> getTargetPresets();

/// Fills in the triple, CPU, features, ABI and relocation model a preset
/// stands for ("riscv32": rv32gc, ilp32d, tuned for an in-order core; the
/// host: its triple with a portable CPU), unless the spec sets them; with a
/// triple, only the ABI of RISC-V (from its F and D features) and the
/// relocation model. Why it cannot (an unknown preset), or empty.
std::string resolveTarget(TargetSpec &spec);

/// Whether `cpu` with `features` on `triple` has the feature `name` ("d",
/// "dsp"), as LLVM implies features from others.
bool hasTargetFeature(const std::string &triple, const std::string &cpu,
                      const std::string &features, llvm::StringRef name);

/// The kernels (LowerToLLVMOptions::kernels) best for a resolved target:
/// arm-dsp for little-endian Arm cores with the DSP extension, else scalar.
std::string chooseKernels(const TargetSpec &spec);

/// Resolves `kernels` "auto" to chooseKernels(spec); why the target cannot
/// run other kernels asked for (arm-dsp on a core without DSP), or empty.
std::string resolveKernels(std::string &kernels, const TargetSpec &spec);

/// Why `abi` is not an ABI of `triple` with `cpu` and `features`, as LLVM
/// implies them (lp64 for riscv32, ilp32d without D, a hard-float Arm
/// triple without an FPU, any --mabi for a target that has no choice), or
/// empty.
std::string checkABI(const std::string &triple, const std::string &cpu,
                     const std::string &features, const std::string &abi);

/// Why `cpu`, `features` ("+m,-c") or `tuneCPU` are not valid for `triple`
/// (an unknown CPU or feature, a feature without + or -), or an empty
/// string.
std::string checkTarget(const std::string &triple, const std::string &cpu,
                        const std::string &features,
                        const std::string &tuneCPU = "");

/// The CPU host code is built for unless one is asked for: the baseline of
/// the architecture ("x86-64" on x86-64), not the building machine's CPU.
std::string getPortableCPU(const llvm::Triple &triple);

/// What emitCode writes.
enum class EmitKind { Object, Assembly, LLVMIR };

/// Translates an LLVM-dialect module, optimises it at -O3 and writes an
/// object file, assembly or LLVM IR through LLVM's TargetMachine (in
/// process, no llc).
mlir::LogicalResult emitCode(mlir::ModuleOp module, const TargetSpec &spec,
                             EmitKind kind, llvm::raw_pwrite_stream &os);

} // namespace ft

#endif // FUSEDTILING_TARGET_OBJECT_OBJECTEMITTER_H
