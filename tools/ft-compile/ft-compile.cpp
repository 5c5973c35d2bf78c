//===- ft-compile.cpp - TFLite or TOSA to an object file, in one process --===//
//
//   ft-compile model.tflite --target=riscv32 -o model.o --header=model.h
//
// Imports (for .tflite), runs ft-lower-to-llvm with the static arena, and
// writes an ELF object through LLVM's TargetMachine, plus a C header that
// declares the entry point, the input/output accessors, shapes,
// quantization and the arena size.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Import/TFLite/TFLiteImporter.h"
#include "FusedTiling/InitAll.h"
#include "FusedTiling/Pipelines/Pipelines.h"
#include "FusedTiling/Target/Object/ModelHeader.h"
#include "FusedTiling/Target/Object/ObjectEmitter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

#include <chrono>

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("ft-compile options");
static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<model.tflite|.mlir>"),
                                          cl::Required, cl::cat(category));
static cl::opt<std::string>
    outputFilename("o", cl::desc("Output file (an object with --emit=obj)"),
                   cl::Required, cl::cat(category));
enum class Emit { Object, Assembly, LLVMIR, MLIR };
static cl::opt<Emit> emitKind(
    "emit", cl::desc("What -o gets"), cl::init(Emit::Object),
    cl::values(clEnumValN(Emit::Object, "obj", "an ELF object (default)"),
               clEnumValN(Emit::Assembly, "asm", "assembly"),
               clEnumValN(Emit::LLVMIR, "llvm",
                          "LLVM IR after -O3 (what the code generator gets)"),
               clEnumValN(Emit::MLIR, "mlir",
                          "the LLVM-dialect MLIR module after "
                          "ft-lower-to-llvm")),
    cl::cat(category));
static cl::opt<std::string> mtriple(
    "mtriple",
    cl::desc("Any LLVM target triple, instead of a --target preset (e.g. "
             "thumbv7em-none-eabihf, riscv32-unknown-elf); with --mcpu, "
             "--mattr, --mabi"),
    cl::cat(category));
enum class Relocation { Default, Static, PIC };
static cl::opt<Relocation> relocationModel(
    "relocation-model", cl::desc("Code model for addresses"),
    cl::init(Relocation::Default),
    cl::values(clEnumValN(Relocation::Default, "default",
                          "pic for hosts (their executables are PIE), static "
                          "for bare metal (default)"),
               clEnumValN(Relocation::Static, "static", "fixed addresses"),
               clEnumValN(Relocation::PIC, "pic", "position-independent")),
    cl::cat(category));
static cl::opt<std::string>
    headerFilename("header", cl::desc("C header to write"), cl::cat(category));
static cl::opt<std::string>
    targetName("target",
               cl::desc("A preset: host (default), riscv32 (rv32gc, ilp32d), "
                        "riscv32v (rv32gcv, ilp32d), rv32imc (soft float, "
                        "ilp32), cortex-m4, cortex-m7 "
                        "(thumbv7em-none-eabihf); --mtriple for any other"),
               cl::init("host"), cl::cat(category));
static cl::opt<std::string>
    mattr("mattr",
          cl::desc("Target features added to (+x) or removed from (-x) the "
                   "preset's, e.g. --target=riscv32 --mattr=+v (riscv32: "
                   "+m,+a,+f,+d,+c); with --mtriple, all of them; unknown "
                   "ones, and a set the ABI does not fit, are errors"),
          cl::cat(category));
static cl::opt<std::string>
    mabi("mabi",
         cl::desc("ABI, e.g. ilp32 (riscv32 default: from the F and D "
                  "features); one the target does not have is an error"),
         cl::cat(category));
static cl::opt<std::string>
    mcpu("mcpu",
         cl::desc("Target CPU (default: generic-rv32 for riscv32, the "
                  "architecture's baseline for the host, x86-64 on x86-64, "
                  "so the object runs on any such machine); unknown ones are "
                  "an error"),
         cl::cat(category));
static cl::opt<std::string>
    mtune("mtune",
          cl::desc("CPU whose scheduling model the code is tuned for; the "
                   "instructions stay --mcpu's (default: sifive-7-series for "
                   "riscv32's generic-rv32, an in-order core; otherwise "
                   "--mcpu's own); unknown ones are an error"),
          cl::cat(category));
static cl::opt<std::string> functionName(
    "function-name",
    cl::desc("The entry point's C symbol, also the prefix of the accessors "
             "and of the header's macros (default: model); never main or a "
             "C keyword"),
    cl::init("model"), cl::cat(category));
static cl::opt<std::string> inputFunction(
    "input-function",
    cl::desc("For .mlir input: the function to compile (default: the "
             "--function-name one, else the module's only public function, "
             "such as the importer's main); it is renamed to "
             "--function-name"),
    cl::cat(category));
static cl::opt<bool> cutPostProcess(
    "tflite-cut-detection-postprocess",
    cl::desc("Stop before a TFLite_Detection_PostProcess custom op"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> printTiming("time", cl::desc("Print the compile time"),
                                 cl::init(false), cl::cat(category));
static cl::opt<bool>
    quiet("quiet",
          cl::desc("Do not print what automatic tiling did (a paragraph: "
                   "arena untiled -> tiled, MAC overhead, the paths)"),
          cl::init(false), cl::cat(category));
static cl::alias quietShort("q", cl::aliasopt(quiet),
                            cl::desc("Alias for --quiet"));
static cl::opt<std::string>
    statsFile("summary",
              cl::desc("Write arena bytes, LOAD, MACs and compile time as "
                       "JSON to this file"),
              cl::cat(category));

/// 5, 0.5, 12.25: a percentage as given, without trailing zeros.
static std::string formatNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  ft::registerCompilerCLOptions();
  cl::HideUnrelatedOptions({&category, &ft::getLowerToLLVMCLCategory()});
  cl::ParseCommandLineOptions(
      argc, argv,
      "ft-compile: TFLite or TOSA -> ft-lower-to-llvm (static arena) -> ELF "
      "object and C header, in one process\n\n" +
          std::string(ft::kMLIRFlagsHelp));
  auto start = std::chrono::steady_clock::now();

  DialectRegistry registry;
  ft::registerCompilerDialects(registry);
  MLIRContext context(registry);
  // Diagnostics name the op and its TFLite tensor; the op's whole generic
  // form would bury them.
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  // Remarks only with --remarks: the summary paragraph says what matters.
  auto remarkFilter = ft::createRemarkFilter(&context);

  // Every option is checked before any work.
  auto fail = [](const Twine &message) {
    llvm::errs() << "ft-compile: " << message << "\n";
    return 1;
  };
  std::string optionsError;
  FailureOr<ft::LowerToLLVMOptions> lowerOptions =
      ft::getLowerToLLVMOptionsFromCL(optionsError);
  if (succeeded(lowerOptions))
    optionsError = lowerOptions->validate();
  if (!optionsError.empty())
    return fail(optionsError);
  if (std::string why = ft::checkEntryName(functionName); !why.empty())
    return fail("--function-name: " + why);
  ft::TargetSpec spec;
  spec.name = targetName;
  spec.triple = mtriple;
  spec.features = mattr;
  spec.abi = mabi;
  spec.cpu = mcpu;
  spec.tuneCPU = mtune;
  if (relocationModel != Relocation::Default)
    spec.relocationModel = relocationModel == Relocation::PIC;
  if (!mtriple.empty() && targetName.getNumOccurrences())
    return fail("--target and --mtriple both name the target; give one");
  if (std::string why = ft::resolveTarget(spec); !why.empty())
    return fail(why);
  if (std::string why =
          ft::checkTarget(spec.triple, spec.cpu, spec.features, spec.tuneCPU);
      !why.empty())
    return fail("--mcpu/--mattr/--mtune: " + why);
  if (std::string why =
          ft::checkABI(spec.triple, spec.cpu, spec.features, spec.abi);
      !why.empty())
    return fail("--mattr/--mabi: " + why);
  // The target decides the kernels unless they are asked for; ones it
  // cannot run are refused.
  if (std::string why = ft::resolveKernels(lowerOptions->kernels, spec);
      !why.empty())
    return fail(why);
  // The target decides the width of index; a different one asked for
  // would miscompile.
  if (lowerOptions->indexBitwidth != 0 &&
      lowerOptions->indexBitwidth != spec.indexBitwidth())
    return fail("--index-bitwidth=" + Twine(lowerOptions->indexBitwidth) +
                " does not fit " + spec.triple + " (index is " +
                Twine(spec.indexBitwidth()) + " bits there); leave it out");
  lowerOptions->indexBitwidth = spec.indexBitwidth();
  if (!lowerOptions->planArena)
    return fail("--plan-arena=false: ft-compile's objects place every "
                "buffer in the static arena; use ft-opt for heap "
                "allocations");
  if (!headerFilename.empty() && emitKind != Emit::Object &&
      emitKind != Emit::Assembly)
    return fail("--header describes an object or assembly; with --emit=" +
                Twine(emitKind == Emit::LLVMIR ? "llvm" : "mlir") +
                " leave it out");

  // The summary reports MACs.
  lowerOptions->countMacs |= !statsFile.empty();
  ft::TFLiteImportOptions importOptions;
  importOptions.functionName = functionName;
  importOptions.cutDetectionPostProcess = cutPostProcess;
  std::string error;
  OwningOpRef<ModuleOp> module = ft::loadModelFile(
      inputFilename, &context, sourceMgr, importOptions, error);
  if (!module && !error.empty())
    return fail(error);
  if (!module)
    return 1;

  // The function to compile, under the entry point's name.
  func::FuncOp func;
  if (!inputFunction.empty()) {
    func = module->lookupSymbol<func::FuncOp>(inputFunction);
    if (!func)
      return fail("--input-function: no function '" + inputFunction + "' in " +
                  inputFilename);
  } else if (!(func = module->lookupSymbol<func::FuncOp>(functionName))) {
    SmallVector<func::FuncOp> candidates;
    for (auto candidate : module->getOps<func::FuncOp>())
      if (candidate.isPublic() && !candidate.isExternal())
        candidates.push_back(candidate);
    if (candidates.size() != 1) {
      std::string names;
      for (func::FuncOp candidate : candidates)
        names += (names.empty() ? "" : ", ") + candidate.getSymName().str();
      return fail("no function '" + functionName + "' in " + inputFilename +
                  (candidates.empty()
                       ? std::string(" and no other public function")
                       : " and several public functions (" + names +
                             "): choose one with --input-function"));
    }
    func = candidates.front();
  }
  if (func.getSymName() != functionName) {
    if (module->lookupSymbol(functionName))
      return fail("--function-name: '" + functionName +
                  "' is already a symbol of " + inputFilename);
    if (failed(SymbolTable::replaceAllSymbolUses(
            func, StringAttr::get(&context, functionName), *module)))
      return fail("cannot rename '" + func.getSymName() + "'");
    SymbolTable::setSymbolName(func, functionName.getValue());
  }
  std::vector<ft::TensorDescription> inputs =
      ft::describeTensors(func, /*results=*/false);
  std::vector<ft::TensorDescription> outputs =
      ft::describeTensors(func, /*results=*/true);

  PassManager pm(&context);
  if (failed(ft::applyCompilerCLOptions(pm)))
    return 1;
  if (failed(ft::buildLowerToLLVMPipeline(pm, *lowerOptions)) ||
      failed(pm.run(*module)))
    return 1;
  int64_t arenaBytes = 0, loadBytes = 0;
  // What ft-auto-tile did (the attribute survives the lowering).
  DictionaryAttr autoTiling;
  if (auto lowered = module->lookupSymbol<LLVM::LLVMFuncOp>(functionName))
    autoTiling =
        lowered->getAttrOfType<DictionaryAttr>(ft::kAutoTilingAttrName);
  // Counted by ft-count-macs on the (tiled) linalg IR.
  int64_t macs = 0;
  if (auto counted = (*module)->getAttrOfType<IntegerAttr>("ft.macs"))
    macs = counted.getInt();
  if (auto lowered = module->lookupSymbol<LLVM::LLVMFuncOp>(functionName)) {
    if (auto size = lowered->getAttrOfType<IntegerAttr>("ft.arena_size"))
      arenaBytes = size.getInt();
    if (auto load = lowered->getAttrOfType<IntegerAttr>("ft.arena_load"))
      loadBytes = load.getInt();
  }

  // The code, in memory first: the header gives the object's sizes.
  SmallString<0> code;
  llvm::raw_svector_ostream codeStream(code);
  if (emitKind == Emit::MLIR) {
    module->print(codeStream);
  } else {
    const ft::EmitKind kind = emitKind == Emit::Object ? ft::EmitKind::Object
                              : emitKind == Emit::Assembly
                                  ? ft::EmitKind::Assembly
                                  : ft::EmitKind::LLVMIR;
    if (failed(ft::emitCode(*module, spec, kind, codeStream)))
      return 1;
  }
  auto output = openOutputFile(outputFilename, &error);
  if (!output)
    return fail(error);
  output->os() << code;
  output->keep();
  // The object's sizes, for the header and the memory report.
  std::optional<ft::ObjectFigures> objectFigures;
  if (emitKind == Emit::Object) {
    llvm::Expected<ft::ObjectFigures> figures =
        ft::measureObject(llvm::MemoryBufferRef(code.str(), outputFilename));
    if (!figures)
      return fail("cannot read the object back: " +
                  llvm::toString(figures.takeError()));
    objectFigures = *figures;
  }
  if (!headerFilename.empty()) {
    FailureOr<ft::ModelInterface> model =
        ft::getModelInterface(*module, functionName, inputs, outputs);
    if (failed(model))
      return 1;
    model->arenaAlignment = lowerOptions->arenaAlignment;
    model->targetDescription =
        spec.triple + " (cpu " + spec.cpu +
        (spec.features.empty() ? "" : ", " + spec.features) +
        (spec.abi.empty() ? "" : ", abi " + spec.abi) +
        (spec.pic ? ", pic" : ", static") + ")";
    model->object = objectFigures;
    auto header = openOutputFile(headerFilename, &error);
    if (!header)
      return fail(error);
    ft::emitHeader(header->os(), *model);
    header->keep();
  }
  if (objectFigures && !lowerOptions->memoryReport.empty())
    if (std::string why = ft::addObjectFiguresToReport(
            lowerOptions->memoryReport, functionName, *objectFigures,
            spec.triple);
        !why.empty())
      return fail(why);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  auto figure = [&](StringRef name) -> int64_t {
    auto value = autoTiling ? autoTiling.getAs<IntegerAttr>(name) : nullptr;
    return value ? value.getInt() : 0;
  };
  SmallVector<std::string> paths;
  if (autoTiling)
    if (auto list = autoTiling.getAs<ArrayAttr>("paths"))
      for (auto path : list.getAsRange<StringAttr>())
        paths.push_back(path.str());
  if (autoTiling && !quiet) {
    const int64_t untiled = figure("untiled_arena"),
                  untiledMacs = figure("untiled_macs");
    auto percent = [](int64_t value, int64_t base) {
      return llvm::formatv("{0:F1}%",
                           base ? 100.0 * (value - base) / base : 0.0)
          .str();
    };
    llvm::outs() << "ft-compile: automatic tiling (" << lowerOptions->tiling
                 << ", MAC budget " << formatNumber(lowerOptions->macBudget)
                 << "%) ";
    if (paths.empty()) {
      llvm::outs() << "found no path that shrinks the arena of " << untiled
                   << " bytes.\n";
    } else {
      llvm::outs() << "tiled " << paths.size()
                   << (paths.size() == 1 ? " path" : " paths") << ": arena "
                   << untiled << " -> " << arenaBytes << " bytes ("
                   << percent(arenaBytes, untiled) << "), MACs " << untiledMacs
                   << " -> " << figure("macs") << " ("
                   << (figure("macs") >= untiledMacs ? "+" : "")
                   << percent(figure("macs"), untiledMacs)
                   << "). Paths, as --tile-path specs:";
      for (const std::string &path : paths)
        llvm::outs() << " '" << path << "'";
      llvm::outs() << ". --remarks says why; --tiling=none turns it off.\n";
    }
  }
  if (printTiming)
    llvm::outs() << "compile_seconds " << seconds << "\n";
  if (!statsFile.empty()) {
    auto stats = openOutputFile(statsFile, &error);
    if (!stats) {
      llvm::errs() << "ft-compile: " << error << "\n";
      return 1;
    }
    llvm::json::OStream json(stats->os(), /*IndentSize=*/1);
    json.object([&] {
      json.attribute("arena_bytes", arenaBytes);
      json.attribute("load_bytes", loadBytes);
      json.attribute("macs", macs);
      json.attribute("compile_seconds", seconds);
      json.attribute("tiling", lowerOptions->tilePaths.empty()
                                   ? lowerOptions->tiling
                                   : std::string("paths"));
      if (autoTiling) {
        json.attribute("untiled_arena_bytes", figure("untiled_arena"));
        json.attribute("untiled_macs", figure("untiled_macs"));
      }
      json.attributeArray("paths", [&] {
        for (const std::string &path : paths)
          json.value(path);
      });
    });
    stats->os() << "\n";
    stats->keep();
  }
  return 0;
}
