//===- ObjectEmitter.cpp - LLVM dialect to an ELF object and C header -----===//

#include "FusedTiling/Target/Object/ObjectEmitter.h"

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
  return name == "riscv32" ? 32 : 0;
}

std::string ft::getPortableCPU(const llvm::Triple &triple) {
  return triple.getArch() == llvm::Triple::x86_64 ? "x86-64" : "generic";
}

std::string ft::checkTarget(const std::string &tripleName,
                            const std::string &cpu,
                            const std::string &features,
                            const std::string &tuneCPU) {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargetMCs();
  llvm::Triple triple(tripleName);
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return "unknown target triple '" + tripleName + "': " + error;
  // (LLVM only warns about an unknown CPU or feature and goes on without
  // it, or aborts later: refuse both up front.)
  std::unique_ptr<llvm::MCSubtargetInfo> info(
      target->createMCSubtargetInfo(triple, "", ""));
  if (!info)
    return "no subtarget information for '" + tripleName + "'";
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

TargetSpec ft::resolveTarget(TargetSpec spec) {
  if (spec.name == "riscv32") {
    if (spec.triple.empty())
      spec.triple = "riscv32-unknown-elf";
    if (spec.cpu.empty())
      spec.cpu = "generic-rv32";
    if (spec.features.empty())
      spec.features = "+m,+a,+f,+d,+c"; // rv32gc
    if (spec.abi.empty())
      spec.abi = spec.features.find("+d") != std::string::npos   ? "ilp32d"
                 : spec.features.find("+f") != std::string::npos ? "ilp32f"
                                                                 : "ilp32";
    // generic-rv32 has no scheduling model, and LLVM's scheduler without
    // one hoists every load and product of an unrolled convolution window
    // above its adds and spills them (ic_resnet: 68.4 -> 49.4 million
    // instructions with a model). SiFive's 7 series (E76 and kin: in-order,
    // dual-issue, microcontroller-class) counts the fewest instructions on
    // every model measured; rocket-rv32 (single-issue) makes 7 % less code
    // on kws but up to 7 % more instructions (ssd). The instructions stay
    // generic rv32gc.
    if (spec.tuneCPU.empty() && spec.cpu == "generic-rv32")
      spec.tuneCPU = "sifive-7-series";
  } else if (spec.triple.empty()) {
    spec.triple = llvm::sys::getDefaultTargetTriple();
    // Portable by default: the object may run on another machine than the
    // one that built it (this one's CPU would bring AVX-512, say).
    if (spec.cpu.empty())
      spec.cpu = getPortableCPU(llvm::Triple(spec.triple));
  }
  return spec;
}

LogicalResult ft::emitObject(ModuleOp module, const TargetSpec &spec,
                             llvm::raw_pwrite_stream &os) {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();

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
      triple, spec.cpu, spec.features, targetOptions, llvm::Reloc::Static,
      std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return module.emitError()
           << "cannot create a target machine for " << spec.triple;

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

  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, os, nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return module.emitError() << spec.triple << " cannot emit object files";
  codegen.run(*llvmModule);
  return success();
}

static std::string macroName(llvm::StringRef name) {
  std::string macro;
  for (char c : name)
    macro.push_back(std::isalnum(static_cast<unsigned char>(c))
                        ? static_cast<char>(std::toupper(c))
                        : '_');
  return macro;
}

void ft::emitHeader(llvm::raw_ostream &os, llvm::StringRef entry,
                    const std::vector<TensorDescription> &inputs,
                    const std::vector<TensorDescription> &outputs,
                    int64_t arenaBytes,
                    llvm::ArrayRef<std::string> profiledLayers) {
  const std::string prefix = macroName(entry);
  const std::string guard = prefix + "_FT_MODEL_H";
  os << "/* Generated by ft-compile. The model's inputs and outputs live in "
        "its\n   static arena: write the inputs at the addresses the input "
        "accessors\n   return, call "
     << entry << "(), read the outputs. */\n";
  os << "#ifndef " << guard << "\n#define " << guard << "\n\n";
  os << "#include <stdint.h>\n\n";
  os << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  os << "/* Bytes of the static arena (activations, scratch, inputs and "
        "outputs). */\n";
  os << "#define " << prefix << "_ARENA_SIZE " << arenaBytes << "\n";
  os << "#define " << prefix << "_NUM_INPUTS " << inputs.size() << "\n";
  os << "#define " << prefix << "_NUM_OUTPUTS " << outputs.size() << "\n\n";
  os << "void " << entry << "(void);\n\n";
  auto describe = [&](const TensorDescription &t, llvm::StringRef kind,
                      size_t index) {
    std::string accessor =
        (entry + "_" + kind + "_" + std::to_string(index)).str();
    os << "/* " << kind << " " << index << ": '" << t.name << "', " << t.type
       << " [";
    for (size_t d = 0; d < t.shape.size(); ++d)
      os << (d ? ", " : "") << t.shape[d];
    os << "]";
    if (t.quantized)
      os << ", scale " << llvm::format("%.9g", t.scale) << ", zero point "
         << t.zeroPoint;
    os << " */\n";
    std::string macro =
        prefix + "_" + macroName(kind) + "_" + std::to_string(index);
    os << "#define " << macro << "_BYTES " << t.bytes << "\n";
    if (t.quantized) {
      os << "#define " << macro << "_SCALE " << llvm::format("%.9g", t.scale)
         << "f\n";
      os << "#define " << macro << "_ZERO_POINT " << t.zeroPoint << "\n";
    }
    os << "intptr_t " << accessor << "(void); /* address of the " << t.cType
       << " data */\n\n";
  };
  for (size_t i = 0; i < inputs.size(); ++i)
    describe(inputs[i], "input", i);
  for (size_t i = 0; i < outputs.size(); ++i)
    describe(outputs[i], "output", i);
  // Tables for generic drivers.
  os << "static intptr_t (*const " << entry << "_inputs[])(void) = {";
  for (size_t i = 0; i < inputs.size(); ++i)
    os << (i ? ", " : "") << entry << "_input_" << i;
  os << "};\nstatic const uint32_t " << entry << "_input_bytes[] = {";
  for (size_t i = 0; i < inputs.size(); ++i)
    os << (i ? ", " : "") << inputs[i].bytes;
  os << "};\nstatic intptr_t (*const " << entry << "_outputs[])(void) = {";
  for (size_t i = 0; i < outputs.size(); ++i)
    os << (i ? ", " : "") << entry << "_output_" << i;
  os << "};\nstatic const uint32_t " << entry << "_output_bytes[] = {";
  for (size_t i = 0; i < outputs.size(); ++i)
    os << (i ? ", " : "") << outputs[i].bytes;
  os << "};\n\n";
  if (!profiledLayers.empty()) {
    os << "/* Per-layer profile (--profile-layers): the object calls these "
          "around\n   every layer's code, with the layer's slot below (-1: "
          "code of no layer,\n   such as a tile's window copies). Define "
          "them, e.g. reading a cycle or\n   instruction counter. */\n";
    os << "void ft_profile_begin(int32_t slot);\n";
    os << "void ft_profile_end(int32_t slot);\n";
    os << "#define " << prefix << "_NUM_PROFILED_LAYERS "
       << profiledLayers.size() << "\n";
    os << "static const char *const " << entry << "_profiled_layers[] = {\n";
    for (const std::string &name : profiledLayers) {
      os << "    \"";
      for (char c : name) {
        if (c == '"' || c == '\\')
          os << '\\' << c;
        else if (std::isprint(static_cast<unsigned char>(c)))
          os << c;
        else
          os << llvm::format("\\%03o", static_cast<unsigned char>(c));
      }
      os << "\",\n";
    }
    os << "};\n\n";
  }
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
}
