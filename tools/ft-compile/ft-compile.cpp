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
static cl::opt<std::string> outputFilename("o", cl::desc("Object file"),
                                           cl::Required, cl::cat(category));
static cl::opt<std::string>
    headerFilename("header", cl::desc("C header to write"), cl::cat(category));
static cl::opt<std::string>
    targetName("target", cl::desc("host (default) or riscv32 (rv32gc, ilp32d)"),
               cl::init("host"), cl::cat(category));
static cl::opt<std::string>
    mattr("mattr",
          cl::desc("Target features, e.g. +m,+c (riscv32 default: rv32gc, "
                   "+m,+a,+f,+d,+c); unknown ones are an error"),
          cl::cat(category));
static cl::opt<std::string> mabi("mabi", cl::desc("ABI, e.g. ilp32"),
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
    cl::desc("Entry point name (default: model); for .mlir input, the "
             "function to compile"),
    cl::init("model"), cl::cat(category));
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

/// Multiply-accumulates of the convolutions and matrix products, counted on
/// the TOSA IR (average pooling, built as a depthwise sum, counts too).
static std::vector<ft::TensorDescription>
describe(func::FuncOp func, TypeRange types, bool results) {
  std::vector<ft::TensorDescription> out;
  for (auto [i, type] : llvm::enumerate(types)) {
    auto ranked = cast<RankedTensorType>(type);
    ft::TensorDescription t;
    auto attr = [&, index = i](StringRef name) -> Attribute {
      return results ? func.getResultAttr(index, name)
                     : func.getArgAttr(index, name);
    };
    if (auto name = dyn_cast_or_null<StringAttr>(attr("ft.name")))
      t.name = name.str();
    t.type = "tensor";
    if (auto tflType = dyn_cast_or_null<StringAttr>(attr("ft.type")))
      t.type = tflType.str();
    Type elem = ranked.getElementType();
    t.cType = elem.isF32()         ? "float"
              : t.type == "uint8"  ? "uint8_t"
              : elem.isInteger(8)  ? "int8_t"
              : elem.isInteger(32) ? "int32_t"
              : elem.isInteger(64) ? "int64_t"
                                   : "uint8_t";
    t.shape.assign(ranked.getShape().begin(), ranked.getShape().end());
    t.bytes =
        ranked.getNumElements() * ((elem.getIntOrFloatBitWidth() + 7) / 8);
    auto scales = dyn_cast_or_null<ArrayAttr>(attr("ft.scale"));
    auto zps = dyn_cast_or_null<ArrayAttr>(attr("ft.zero_point"));
    if (scales && zps && scales.size() == 1 && zps.size() == 1) {
      t.quantized = true;
      t.scale = cast<FloatAttr>(scales[0]).getValueAsDouble();
      t.zeroPoint = cast<IntegerAttr>(zps[0]).getInt();
    }
    out.push_back(t);
  }
  return out;
}

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

  // Malformed lowering options are reported before any work.
  std::string optionsError;
  FailureOr<ft::LowerToLLVMOptions> lowerOptions =
      ft::getLowerToLLVMOptionsFromCL(optionsError);
  if (succeeded(lowerOptions))
    optionsError = lowerOptions->validate();
  if (!optionsError.empty()) {
    llvm::errs() << "ft-compile: " << optionsError << "\n";
    return 1;
  }
  // The summary reports MACs.
  lowerOptions->countMacs |= !statsFile.empty();
  ft::TFLiteImportOptions importOptions;
  importOptions.functionName = functionName;
  importOptions.cutDetectionPostProcess = cutPostProcess;
  std::string error;
  OwningOpRef<ModuleOp> module = ft::loadModelFile(
      inputFilename, &context, sourceMgr, importOptions, error);
  if (!module && !error.empty())
    llvm::errs() << "ft-compile: " << error << "\n";
  if (!module)
    return 1;

  auto func = module->lookupSymbol<func::FuncOp>(functionName);
  if (!func) {
    llvm::errs() << "ft-compile: no function '" << functionName << "'\n";
    return 1;
  }
  std::vector<ft::TensorDescription> inputs =
      describe(func, func.getArgumentTypes(), false);
  std::vector<ft::TensorDescription> outputs =
      describe(func, func.getResultTypes(), true);

  ft::TargetSpec spec;
  spec.name = targetName;
  spec.features = mattr;
  spec.abi = mabi;
  spec.cpu = mcpu;
  spec.tuneCPU = mtune;
  if (spec.name != "host" && spec.name != "riscv32") {
    llvm::errs() << "ft-compile: unknown --target '" << spec.name
                 << "' (host or riscv32)\n";
    return 1;
  }
  spec = ft::resolveTarget(spec);
  if (std::string why = ft::checkTarget(spec.triple, spec.cpu, spec.features,
                                       spec.tuneCPU);
      !why.empty()) {
    llvm::errs() << "ft-compile: --mcpu/--mattr/--mtune: " << why << "\n";
    return 1;
  }

  PassManager pm(&context);
  if (failed(ft::applyCompilerCLOptions(pm)))
    return 1;
  // The target decides the width of index; a different one asked for
  // would miscompile.
  if (lowerOptions->indexBitwidth != 0 &&
      lowerOptions->indexBitwidth != spec.indexBitwidth()) {
    llvm::errs() << "ft-compile: --index-bitwidth="
                 << lowerOptions->indexBitwidth
                 << " does not fit --target=" << spec.name << " (index is "
                 << (spec.indexBitwidth() ? std::to_string(spec.indexBitwidth())
                                          : std::string("the host's pointer"))
                 << " bits there); leave it out\n";
    return 1;
  }
  lowerOptions->indexBitwidth = spec.indexBitwidth();
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

  auto output = openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::errs() << "ft-compile: " << error << "\n";
    return 1;
  }
  if (failed(ft::emitObject(*module, spec, output->os())))
    return 1;
  output->keep();
  if (!headerFilename.empty()) {
    auto header = openOutputFile(headerFilename, &error);
    if (!header) {
      llvm::errs() << "ft-compile: " << error << "\n";
      return 1;
    }
    std::vector<std::string> profiledLayers;
    if (auto names = (*module)->getAttrOfType<ArrayAttr>("ft.profile_layers"))
      for (auto name : names.getAsRange<StringAttr>())
        profiledLayers.push_back(name.str());
    ft::emitHeader(header->os(), functionName, inputs, outputs, arenaBytes,
                   profiledLayers);
    header->keep();
  }
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
