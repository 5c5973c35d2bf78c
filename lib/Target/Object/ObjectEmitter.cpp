//===- ObjectEmitter.cpp - LLVM dialect to an ELF object and C header -----===//

#include "FusedTiling/Target/Object/ObjectEmitter.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

#include <cctype>

using namespace mlir;
using namespace ft;

unsigned TargetSpec::indexBitwidth() const {
  llvm::Triple parsed(triple);
  return parsed.isArch16Bit()   ? 16
         : parsed.isArch32Bit() ? 32
         : parsed.isArch64Bit() ? 64
                                : 0;
}

llvm::ArrayRef<TargetPreset> ft::getTargetPresets() {
  static const TargetPreset presets[] = {
      {"host", "this machine's triple, a portable CPU (x86-64 on x86-64)"},
      {"riscv32", "riscv32-unknown-elf, rv32gc (+m,+a,+f,+d,+c), ilp32d"},
      {"riscv32v", "riscv32-unknown-elf, rv32gcv (+m,+a,+f,+d,+c,+v), "
                   "ilp32d"},
      {"rv32imc", "riscv32-unknown-elf, +m,+c, ilp32 (soft float)"},
      {"cortex-m4", "thumbv7em-none-eabihf, Cortex-M4F (single-precision "
                    "FPU), hard-float AAPCS"},
      {"cortex-m7", "thumbv7em-none-eabihf, Cortex-M7 (double-precision "
                    "FPU), hard-float AAPCS"},
  };
  return presets;
}

std::string ft::getPortableCPU(const llvm::Triple &triple) {
  return triple.getArch() == llvm::Triple::x86_64 ? "x86-64" : "generic";
}

/// The subtarget `cpu` with `features` of `tripleName` (its MC layer, which
/// knows every CPU and feature name and what each implies), or null with
/// why in `error`.
static std::unique_ptr<llvm::MCSubtargetInfo>
createSubtargetInfo(const std::string &tripleName, llvm::StringRef cpu,
                    llvm::StringRef features, std::string &error) {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargetMCs();
  llvm::Triple triple(tripleName);
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) {
    error = "unknown target triple '" + tripleName + "': " + error;
    return nullptr;
  }
  std::unique_ptr<llvm::MCSubtargetInfo> info(target->createMCSubtargetInfo(
      triple, cpu == "generic" ? "" : cpu, features));
  if (!info)
    error = "no subtarget information for '" + tripleName + "'";
  return info;
}

std::string ft::checkTarget(const std::string &tripleName,
                            const std::string &cpu, const std::string &features,
                            const std::string &tuneCPU) {
  // (LLVM only warns about an unknown CPU or feature and goes on without
  // it, or aborts later: refuse both up front.)
  std::string error;
  std::unique_ptr<llvm::MCSubtargetInfo> info =
      createSubtargetInfo(tripleName, "", "", error);
  if (!info)
    return error;
  if (!cpu.empty() && cpu != "generic" && !info->isCPUStringValid(cpu))
    return "unknown CPU '" + cpu + "' for " + tripleName;
  if (!tuneCPU.empty() && tuneCPU != "generic" &&
      !info->isCPUStringValid(tuneCPU))
    return "unknown CPU to tune for '" + tuneCPU + "' for " + tripleName;
  for (llvm::StringRef feature : llvm::split(features, ',')) {
    feature = feature.trim();
    if (feature.empty())
      continue;
    if (!feature.consume_front("+") && !feature.consume_front("-"))
      return "target feature '" + feature.str() +
             "' needs a + or - in front (+m,-c)";
    if (llvm::none_of(info->getAllProcessorFeatures(),
                      [&](const llvm::SubtargetFeatureKV &known) {
                        return feature == known.Key;
                      }))
      return "unknown target feature '" + feature.str() + "' for " + tripleName;
  }
  return "";
}

/// Whether `features` ("+m,+f,-d") turn `name` on: the last mention wins
/// ("+d,-d" has no D).
static bool isFeatureOn(llvm::StringRef features, llvm::StringRef name) {
  bool on = false;
  for (llvm::StringRef feature : llvm::split(features, ',')) {
    feature = feature.trim();
    if (feature.size() > 1 && feature.drop_front() == name)
      on = feature.front() == '+';
  }
  return on;
}

/// A preset's features with the user's after them: LLVM applies a feature
/// string in order, so "-c" after "+c" removes it.
static std::string addFeatures(llvm::StringRef preset, llvm::StringRef user) {
  if (user.trim().empty())
    return preset.str();
  return (preset + "," + user).str();
}

std::string ft::resolveTarget(TargetSpec &spec) {
  if (!spec.triple.empty()) {
    // --mtriple: any LLVM target; the preset name is only a label.
    spec.name = spec.triple;
  } else if (spec.name == "riscv32" || spec.name == "riscv32v" ||
             spec.name == "rv32imc") {
    spec.triple = "riscv32-unknown-elf";
    if (spec.cpu.empty())
      spec.cpu = "generic-rv32";
    // --mattr adds to (+x) or removes from (-x) the preset's features; the
    // preset's ABI stays unless --mabi changes it, and checkABI refuses a
    // feature set it does not fit.
    spec.features = addFeatures(spec.name == "riscv32"    ? "+m,+a,+f,+d,+c"
                                : spec.name == "riscv32v" ? "+m,+a,+f,+d,+c,+v"
                                                          : "+m,+c",
                                spec.features);
    if (spec.abi.empty())
      spec.abi = spec.name == "rv32imc" ? "ilp32" : "ilp32d";
  } else if (spec.name == "cortex-m4" || spec.name == "cortex-m7") {
    spec.triple = "thumbv7em-none-eabihf";
    if (spec.cpu.empty())
      spec.cpu = spec.name;
  } else if (spec.name == "host") {
    spec.triple = llvm::sys::getDefaultTargetTriple();
    // Portable by default: the object may run on another machine than the
    // one that built it (this one's CPU would bring AVX-512, say).
    if (spec.cpu.empty())
      spec.cpu = getPortableCPU(llvm::Triple(spec.triple));
  } else {
    std::string known;
    for (const TargetPreset &preset : getTargetPresets())
      known += (known.empty() ? "" : ", ") + preset.name.str();
    return "unknown --target '" + spec.name + "' (" + known +
           "; or --mtriple=TRIPLE for any LLVM target, e.g. "
           "--mtriple=thumbv7em-none-eabihf --mcpu=cortex-m4)";
  }
  llvm::Triple triple(spec.triple);
  if (triple.isRISCV() && spec.abi.empty()) {
    const bool is64 = triple.isArch64Bit();
    const bool hasF = isFeatureOn(spec.features, "f");
    const bool hasD = isFeatureOn(spec.features, "d");
    spec.abi = std::string(is64 ? "lp64" : "ilp32") + (hasD   ? "d"
                                                       : hasF ? "f"
                                                              : "");
  }
  // generic-rv32 has no scheduling model, and LLVM's scheduler without one
  // hoists every load and product of an unrolled convolution window above
  // its adds and spills them (ic_resnet: 68.4 -> 49.4 million instructions
  // with a model). SiFive's 7 series (E76 and kin: in-order, dual-issue,
  // microcontroller-class) counts the fewest instructions on every model
  // measured; rocket-rv32 (single-issue) makes 7 % less code on kws but up
  // to 7 % more instructions (ssd). The instructions stay generic rv32gc.
  if (spec.tuneCPU.empty() && spec.cpu == "generic-rv32")
    spec.tuneCPU = "sifive-7-series";
  // Hosts link position-independent executables by default; bare-metal
  // firmware is linked at fixed addresses.
  if (!spec.relocationModel)
    spec.pic = triple.getOS() != llvm::Triple::UnknownOS &&
               triple.getEnvironment() != llvm::Triple::EABI &&
               triple.getEnvironment() != llvm::Triple::EABIHF;
  else
    spec.pic = *spec.relocationModel;
  return "";
}

bool ft::hasTargetFeature(const std::string &tripleName, const std::string &cpu,
                          const std::string &features, llvm::StringRef name) {
  // With LLVM's implications (-f takes D away, +v brings it): the feature
  // string alone does not say.
  std::string error;
  std::unique_ptr<llvm::MCSubtargetInfo> info =
      createSubtargetInfo(tripleName, cpu, features, error);
  return info && info->checkFeatures(("+" + name).str());
}

std::string ft::chooseKernels(const TargetSpec &spec) {
  llvm::Triple triple(spec.triple);
  // SXTB16 splits a little-endian word's bytes.
  if ((triple.getArch() == llvm::Triple::arm ||
       triple.getArch() == llvm::Triple::thumb) &&
      hasTargetFeature(spec.triple, spec.cpu, spec.features, "dsp"))
    return "arm-dsp";
  // Scalable vectors of int8, int16 and int32 (Zve32x), and a vscale of at
  // least 1 (VLEN >= 64: V, Zve64x, or Zvl64b).
  if (triple.isRISCV() &&
      hasTargetFeature(spec.triple, spec.cpu, spec.features, "zve32x") &&
      hasTargetFeature(spec.triple, spec.cpu, spec.features, "zvl64b"))
    return "riscv-v";
  return "scalar";
}

std::string ft::resolveKernels(std::string &kernels, const TargetSpec &spec) {
  const std::string best = chooseKernels(spec);
  if (kernels == "auto")
    kernels = best;
  else if (kernels != "scalar" && kernels != best)
    return "--kernels=" + kernels + " needs " +
           (kernels == "arm-dsp"   ? "a little-endian Arm core with the DSP "
                                     "extension (cortex-m4, cortex-m7, "
                                     "cortex-m33...)"
            : kernels == "riscv-v" ? "a RISC-V core with vectors of at least "
                                     "64 bits (+v, +zve64x, or +zve32x with "
                                     "+zvl64b)"
                                   : "another target") +
           "; " + spec.triple + " (" + spec.cpu + ") has none";
  return "";
}

std::string ft::checkABI(const std::string &tripleName, const std::string &cpu,
                         const std::string &features, const std::string &abi) {
  llvm::Triple triple(tripleName);
  const bool isARM = triple.isARM() || triple.isThumb();
  if (abi.empty() && !isARM)
    return "";
  auto has = [&](llvm::StringRef wanted) {
    return hasTargetFeature(tripleName, cpu, features, wanted);
  };
  if (triple.isRISCV()) {
    const char *base = triple.isArch64Bit() ? "lp64" : "ilp32";
    llvm::StringRef rest(abi);
    if (!rest.consume_front(base) ||
        !(rest.empty() || rest == "f" || rest == "d" || rest == "e"))
      return "ABI '" + abi + "' is not one of " + base + ", " + base + "f, " +
             base + "d, " + base + "e for " + tripleName;
    if (rest == "d" && !has("d"))
      return "ABI '" + abi +
             "' passes doubles in FPU registers: it needs +d (give --mabi=" +
             base + " or " + base + "f for a target without it)";
    if (rest == "f" && !has("f"))
      return "ABI '" + abi + "' passes floats in FPU registers: it needs +f";
    if (rest == "e" && !has("e"))
      return "ABI '" + abi + "' is RV32E's: it needs +e";
    return "";
  }
  if (isARM) {
    if (!abi.empty() && abi != "aapcs" && abi != "aapcs-linux" &&
        abi != "apcs-gnu" && abi != "aapcs16")
      return "ABI '" + abi +
             "' is not one of aapcs, aapcs-linux, apcs-gnu, "
             "aapcs16 for " +
             tripleName +
             " (the float ABI comes from the triple: eabihf is hard-float)";
    // ("thumbv7em-none-eabihf" parses "eabihf" as an OS; normalised, it is
    // the environment.)
    if (llvm::Triple(llvm::Triple::normalize(tripleName)).isHardFloatABI() &&
        !has("fpregs"))
      return tripleName +
             " passes floats in FPU registers (hard-float): the features "
             "leave no FPU (use a triple without 'hf' for soft float)";
    return "";
  }
  return "--mabi is not used for " + tripleName + "; leave it out";
}

LogicalResult ft::emitCode(ModuleOp module, const TargetSpec &spec,
                           EmitKind kind, llvm::raw_pwrite_stream &os) {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();
  // Kernels written as inline assembly (ft-arm-dual-mac) are parsed.
  llvm::InitializeAllAsmParsers();

  llvm::Triple triple(spec.triple);
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return module.emitError()
           << "unknown target '" << spec.triple << "': " << error;
  llvm::TargetOptions targetOptions;
  targetOptions.MCOptions.ABIName = spec.abi;
  // .stack_sizes lets tools bound the worst-case stack.
  targetOptions.EmitStackSizeSection = true;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, spec.cpu, spec.features, targetOptions,
      spec.pic ? llvm::Reloc::PIC_ : llvm::Reloc::Static, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return module.emitError()
           << "cannot create a target machine for " << spec.triple;

  // Loop annotations set on scf.for (ft-arm-dual-mac's unrolled kernels
  // must not be unrolled again: LLVM counts an inline assembly block as
  // one instruction) reach the latch branch as the discardable attribute
  // convert-scf-to-cf names them with, which translation ignores: moved to
  // the branch's own attribute, which it reads.
  module.walk([](LLVM::BrOp branch) {
    StringRef name = "llvm.loop_annotation";
    if (auto annotation =
            branch->getAttrOfType<LLVM::LoopAnnotationAttr>(name)) {
      branch.setLoopAnnotationAttr(annotation);
      branch->removeAttr(name);
    }
  });
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return module.emitError("translation to LLVM IR failed");
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(machine->createDataLayout());
  // (The target machine takes no tune CPU: like clang's -mtune, it is a
  // function attribute.)
  if (!spec.tuneCPU.empty())
    for (llvm::Function &function : *llvmModule)
      if (!function.isDeclaration())
        function.addFnAttr("tune-cpu", spec.tuneCPU);

  // -O3: its loop unswitching takes the bounds checks of padded windows out
  // of the channel loops (ic_resnet: 105 -> 72 million rv32 instructions).
  auto optimize =
      makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0, machine.get());
  if (llvm::Error err = optimize(llvmModule.get()))
    return module.emitError()
           << "LLVM optimisation failed: " << llvm::toString(std::move(err));

  if (kind == EmitKind::LLVMIR) {
    llvmModule->print(os, nullptr);
    return success();
  }
  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, os, nullptr,
                                   kind == EmitKind::Object
                                       ? llvm::CodeGenFileType::ObjectFile
                                       : llvm::CodeGenFileType::AssemblyFile))
    return module.emitError()
           << spec.triple << " cannot emit "
           << (kind == EmitKind::Object ? "object files" : "assembly");
  codegen.run(*llvmModule);
  return success();
}
