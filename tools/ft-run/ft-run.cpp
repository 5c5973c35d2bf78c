//===- ft-run.cpp - Compile a TOSA model in-process and run it ------------===//
//
// Reads a TFLite model, or a module whose entry function works on tensors
// (as ft-translate --import-tflite produces it), lowers it with the
// ft-lower-to-llvm pipeline, JIT-compiles it for the host with LLVM's ORC JIT
// (no llc, no linker) and runs it on raw input bytes, writing raw output bytes.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Import/TFLite/TFLiteImporter.h"
#include "FusedTiling/InitAll.h"
#include "FusedTiling/Pipelines/Pipelines.h"
#include "FusedTiling/Target/Object/ObjectEmitter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory runCategory("ft-run options");

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<model.tflite|.mlir>"),
                                          cl::init("-"), cl::cat(runCategory));
static cl::list<std::string>
    inputFiles("input",
               cl::desc("Raw input bytes: every function argument, "
                        "concatenated in order. Repeat for several runs."),
               cl::cat(runCategory));
static cl::opt<bool> keepState(
    "keep-state",
    cl::desc("For models with state (SVDF, LSTM, variables): carry it from "
             "one --input to the next, as a stream of invocations on one "
             "device. Without it every --input starts from the reset "
             "state, as a fresh TFLM interpreter does (how TFLM's golden "
             "outputs are made)"),
    cl::init(false), cl::cat(runCategory));
static cl::list<std::string>
    outputFiles("output",
                cl::desc("File for the raw result bytes (every result, "
                         "concatenated in order); one per --input."),
                cl::cat(runCategory));
static cl::opt<std::string>
    outputDir("output-dir",
              cl::desc("Also write each result of the first run to "
                       "DIR/t<ft.tensor_index>.bin (or DIR/result<N>.bin)"),
              cl::cat(runCategory));
static cl::opt<bool> inputRandom(
    "input-random",
    cl::desc("Run once on generated input instead of --input: xorshift32 "
             "bytes for integer arguments, floats in [0, 1) for float32 "
             "arguments (the golden data's generator)"),
    cl::init(false), cl::cat(runCategory));
static cl::opt<unsigned> randomSeed("seed", cl::desc("Seed for --input-random"),
                                    cl::init(1), cl::cat(runCategory));
static cl::opt<std::string> entryName("entry",
                                      cl::desc("Entry function (default: "
                                               "main)"),
                                      cl::init("main"), cl::cat(runCategory));
static cl::opt<bool> printResults(
    "print",
    cl::desc("Print every result of each run: TFLite name, shape, values "
             "and, for quantized tensors, the dequantized values"),
    cl::init(false), cl::cat(runCategory));
static cl::opt<std::string>
    jitCPU("mcpu",
           cl::desc("CPU the JIT compiles for (default: the architecture's "
                    "baseline, x86-64 on x86-64, as ft-compile's host "
                    "objects; 'native' for this machine's)"),
           cl::cat(runCategory));
static cl::opt<std::string>
    jitFeatures("mattr",
                cl::desc("Extra target features for the JIT, e.g. +avx2"),
                cl::cat(runCategory));
static cl::opt<bool> printTiming("time",
                                 cl::desc("Print compile and run times"),
                                 cl::init(false), cl::cat(runCategory));

namespace {
struct AlignedBuffer {
  struct Free {
    void operator()(void *p) const { std::free(p); }
  };
  std::unique_ptr<void, Free> data;
  size_t size = 0;
  explicit AlignedBuffer(size_t bytes) : size(bytes) {
    size_t rounded = ((bytes + 63) / 64) * 64;
    data.reset(std::aligned_alloc(64, rounded ? rounded : 64));
    std::memset(data.get(), 0, rounded ? rounded : 64);
  }
};

struct TensorSlot {
  int64_t bytes = 0;
  std::string fileStem;
  // For --print.
  std::string name;
  RankedTensorType type;
  std::string tfliteType;
  double scale = 0;
  int64_t zeroPoint = 0;
  bool quantized = false;
};

void printSlot(const TensorSlot &slot, const void *data) {
  llvm::outs() << "  " << (slot.name.empty() ? slot.fileStem : slot.name)
               << " : " << slot.type;
  if (!slot.tfliteType.empty())
    llvm::outs() << " (" << slot.tfliteType << ")";
  llvm::outs() << "\n    values:";
  const int64_t n = slot.type.getNumElements();
  const int64_t shown = std::min<int64_t>(n, 16);
  Type elem = slot.type.getElementType();
  // Every element type tensorBytes accepts for a result: float32 and the
  // integer widths of TFLite's types (bool is one byte).
  auto valueAt = [&](int64_t i) -> double {
    if (elem.isF32())
      return static_cast<const float *>(data)[i];
    if (elem.isF64())
      return static_cast<const double *>(data)[i];
    if (elem.isInteger(8) || elem.isInteger(1))
      return slot.tfliteType == "uint8" || elem.isInteger(1)
                 ? static_cast<double>(static_cast<const uint8_t *>(data)[i])
                 : static_cast<double>(static_cast<const int8_t *>(data)[i]);
    if (elem.isInteger(16))
      return static_cast<const int16_t *>(data)[i];
    if (elem.isInteger(32))
      return static_cast<const int32_t *>(data)[i];
    if (elem.isInteger(64))
      return static_cast<double>(static_cast<const int64_t *>(data)[i]);
    return std::nan("");
  };
  for (int64_t i = 0; i < shown; ++i) {
    if (elem.isF32() || elem.isF64() || std::isnan(valueAt(i)))
      llvm::outs() << " " << llvm::format("%g", valueAt(i));
    else
      llvm::outs() << " " << static_cast<int64_t>(valueAt(i));
  }
  if (shown < n)
    llvm::outs() << " ... (" << n << " values)";
  llvm::outs() << "\n";
  if (slot.quantized) {
    llvm::outs() << "    real:  ";
    for (int64_t i = 0; i < shown; ++i)
      llvm::outs() << " "
                   << llvm::format("%.4f",
                                   slot.scale * (valueAt(i) - slot.zeroPoint));
    llvm::outs() << "\n";
  }
}

FailureOr<int64_t> tensorBytes(Type type, Location loc) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked || !ranked.hasStaticShape()) {
    emitError(loc) << "entry function types must be statically shaped "
                      "tensors, got "
                   << type;
    return failure();
  }
  Type elem = ranked.getElementType();
  if (!elem.isIntOrFloat()) {
    emitError(loc) << "unsupported element type " << elem;
    return failure();
  }
  const int64_t bits = elem.getIntOrFloatBitWidth();
  return ranked.getNumElements() * ((bits + 7) / 8);
}

int fail(const llvm::Twine &message) {
  llvm::errs() << "ft-run: " << message << "\n";
  return 1;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  ft::registerCompilerCLOptions();
  cl::HideUnrelatedOptions({&runCategory, &ft::getLowerToLLVMCLCategory()});
  cl::ParseCommandLineOptions(
      argc, argv,
      "ft-run: compile a TFLite or TOSA model in-process (ft-lower-to-llvm + "
      "ORC JIT) and run it on raw bytes.\n\n"
      "  ft-run model.tflite|model.mlir --input in.bin --output out.bin "
      "[--input ... --output ...] [--output-dir DIR]\n\n" +
          std::string(ft::kMLIRFlagsHelp));
  if (inputFiles.empty() && !inputRandom)
    return fail("no --input given (or --input-random)");
  if (!inputFiles.empty() && inputRandom)
    return fail("--input and --input-random exclude each other");
  const size_t expectedRuns = inputRandom ? 1 : inputFiles.size();
  if (!outputFiles.empty() && outputFiles.size() != expectedRuns)
    return fail("give one --output per --input");
  if (outputFiles.empty() && outputDir.empty() && !printResults)
    return fail("nothing to do: give --output, --output-dir or --print");
  // Malformed lowering options are reported before any work.
  std::string optionsError;
  FailureOr<ft::LowerToLLVMOptions> lowerOptions =
      ft::getLowerToLLVMOptionsFromCL(optionsError);
  if (failed(lowerOptions))
    return fail(optionsError);
  if (std::string why = lowerOptions->validate(); !why.empty())
    return fail(why);
  if (lowerOptions->arenaArgument)
    return fail("--arena-argument is for objects a caller links and gives "
                "an arena (ft-compile); ft-run has none to give");
  if (lowerOptions->profileLayers)
    return fail("--profile-layers calls hooks the caller defines: compile "
                "with ft-compile and run with runtime/riscv32-virt/run.sh, "
                "which counts instructions per layer");

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();

  DialectRegistry registry;
  ft::registerCompilerDialects(registry);
  MLIRContext context(registry);
  // Diagnostics name the op and its TFLite tensor; the op's whole generic
  // form would bury them.
  context.printOpOnDiagnostic(false);

  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  // Remarks (what automatic tiling did) only with --remarks.
  auto remarkFilter = ft::createRemarkFilter(&context);
  ft::TFLiteImportOptions importOptions;
  importOptions.functionName = entryName;
  std::string errorMessage;
  OwningOpRef<ModuleOp> module = ft::loadModelFile(
      inputFilename, &context, sourceMgr, importOptions, errorMessage);
  if (!module)
    return errorMessage.empty() ? 1 : fail(errorMessage);

  auto func = module->lookupSymbol<func::FuncOp>(entryName);
  if (!func)
    return fail("no function named '" + entryName + "' in " + inputFilename);
  SmallVector<TensorSlot> argSlots, resultSlots;
  int64_t totalInputBytes = 0;
  for (Type t : func.getArgumentTypes()) {
    FailureOr<int64_t> bytes = tensorBytes(t, func.getLoc());
    if (failed(bytes))
      return 1;
    TensorSlot slot;
    slot.bytes = *bytes;
    slot.type = cast<RankedTensorType>(t);
    argSlots.push_back(slot);
    totalInputBytes += *bytes;
  }
  for (auto [i, t] : llvm::enumerate(func.getResultTypes())) {
    FailureOr<int64_t> bytes = tensorBytes(t, func.getLoc());
    if (failed(bytes))
      return 1;
    TensorSlot slot;
    slot.bytes = *bytes;
    slot.fileStem = "result" + std::to_string(i);
    slot.type = cast<RankedTensorType>(t);
    if (auto idx = func.getResultAttrOfType<IntegerAttr>(i, "ft.tensor_index"))
      slot.fileStem = "t" + std::to_string(idx.getInt());
    if (auto name = func.getResultAttrOfType<StringAttr>(i, "ft.name"))
      slot.name = name.str();
    if (auto type = func.getResultAttrOfType<StringAttr>(i, "ft.type"))
      slot.tfliteType = type.str();
    auto scales = func.getResultAttrOfType<ArrayAttr>(i, "ft.scale");
    auto zps = func.getResultAttrOfType<ArrayAttr>(i, "ft.zero_point");
    if (scales && zps && scales.size() == 1 && zps.size() == 1) {
      slot.quantized = true;
      slot.scale = cast<FloatAttr>(scales[0]).getValueAsDouble();
      slot.zeroPoint = cast<IntegerAttr>(zps[0]).getInt();
    }
    resultSlots.push_back(slot);
  }

  // The JIT compiles for the same portable CPU as ft-compile's host
  // objects unless asked otherwise: what runs here is what ships.
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return fail("cannot describe the host: " +
                llvm::toString(machineBuilder.takeError()));
  if (jitCPU != "native") {
    machineBuilder->setCPU(
        jitCPU.empty() ? ft::getPortableCPU(machineBuilder->getTargetTriple())
                       : jitCPU.getValue());
    machineBuilder->getFeatures() = llvm::SubtargetFeatures();
  }
  if (!jitFeatures.empty()) {
    std::vector<std::string> features;
    for (StringRef feature : llvm::split(jitFeatures, ','))
      features.push_back(feature.str());
    machineBuilder->addFeatures(features);
  }
  if (std::string why = ft::checkTarget(machineBuilder->getTargetTriple().str(),
                                        machineBuilder->getCPU(), jitFeatures);
      !why.empty())
    return fail("--mcpu/--mattr: " + why);
  // The JIT runs on this machine: its kernels are the ones ft-compile would
  // choose for it (scalar unless it is an Arm core with DSP).
  ft::TargetSpec host;
  host.triple = machineBuilder->getTargetTriple().str();
  host.cpu = machineBuilder->getCPU();
  host.features = machineBuilder->getFeatures().getString();
  if (!ft::resolveKernels(lowerOptions->kernels, host).empty())
    return fail("--kernels=" + lowerOptions->kernels +
                " cannot run on this machine (" + host.triple + ")");
  auto machine = machineBuilder->createTargetMachine();
  if (!machine)
    return fail("cannot create the JIT's target machine: " +
                llvm::toString(machine.takeError()));
  auto compileStart = std::chrono::steady_clock::now();
  PassManager pm(&context);
  if (failed(ft::applyCompilerCLOptions(pm)))
    return fail("bad pass-manager options");
  if (failed(ft::buildLowerToLLVMPipeline(pm, *lowerOptions)) ||
      failed(pm.run(*module)))
    return fail("lowering to the LLVM dialect failed");

  ExecutionEngineOptions engineOptions;
  auto transformer = makeOptimizingTransformer(/*optLevel=*/2,
                                               /*sizeLevel=*/0, machine->get());
  engineOptions.transformer = transformer;
  auto engine =
      ExecutionEngine::create(*module, engineOptions, std::move(*machine));
  if (!engine)
    return fail("JIT compilation failed: " +
                llvm::toString(engine.takeError()));
  (*engine)->initialize();
  auto compileEnd = std::chrono::steady_clock::now();

  // With the static arena, inputs and outputs live inside it: the entry
  // point takes no arguments and accessor functions return their addresses.
  const bool arenaAbi = module->lookupSymbol(entryName + "_input_0") ||
                        module->lookupSymbol(entryName + "_output_0");
  auto accessorAddress = [&](const std::string &name) -> void * {
    // Accessors return the address as an index (intptr_t on the host).
    intptr_t address = 0;
    void *args[] = {&address};
    if (llvm::Error err = (*engine)->invokePacked(name, args)) {
      llvm::errs() << "ft-run: calling " << name
                   << " failed: " << llvm::toString(std::move(err)) << "\n";
      return nullptr;
    }
    return reinterpret_cast<void *>(address);
  };

  // A failed runtime check prints its message through the C library's
  // stdout, then aborts: unbuffered, the message is not lost.
  if (lowerOptions->runtimeChecks)
    std::setvbuf(stdout, nullptr, _IONBF, 0);
  // Stateful models have `<entry>_reset` (ft-create-state-reset).
  const std::string resetName = entryName + "_reset";
  const bool hasState = module->lookupSymbol(resetName) != nullptr;
  double runSeconds = 0;
  const size_t numRuns = inputRandom ? 1 : inputFiles.size();
  for (size_t run = 0; run < numRuns; ++run) {
    std::vector<char> inputBytes;
    std::string inputName = inputRandom ? "random input" : inputFiles[run];
    if (inputRandom) {
      uint32_t x = randomSeed ? randomSeed : 0x9E3779B9u;
      auto step = [&] {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        return x;
      };
      for (const TensorSlot &slot : argSlots) {
        if (slot.type.getElementType().isF32()) {
          for (int64_t i = 0; i < slot.bytes / 4; ++i) {
            float v = static_cast<float>(step() >> 8) / 16777216.0f;
            const char *raw = reinterpret_cast<const char *>(&v);
            inputBytes.insert(inputBytes.end(), raw, raw + 4);
          }
        } else {
          for (int64_t i = 0; i < slot.bytes; ++i)
            inputBytes.push_back(static_cast<char>(step() & 0xFF));
        }
      }
    } else {
      auto inBuffer = llvm::MemoryBuffer::getFile(inputFiles[run],
                                                  /*IsText=*/false);
      if (!inBuffer)
        return fail("cannot read " + inputFiles[run] + ": " +
                    inBuffer.getError().message());
      inputBytes.assign((*inBuffer)->getBufferStart(),
                        (*inBuffer)->getBufferEnd());
    }
    if (static_cast<int64_t>(inputBytes.size()) != totalInputBytes)
      return fail(inputName + " holds " + llvm::Twine(inputBytes.size()) +
                  " bytes; the entry function takes " +
                  llvm::Twine(totalInputBytes));
    SmallVector<AlignedBuffer> buffers;
    size_t offset = 0;
    for (const TensorSlot &slot : argSlots) {
      buffers.emplace_back(slot.bytes);
      std::memcpy(buffers.back().data.get(), inputBytes.data() + offset,
                  slot.bytes);
      offset += slot.bytes;
    }
    for (const TensorSlot &slot : resultSlots)
      buffers.emplace_back(slot.bytes);
    // Bare-pointer convention: one pointer per argument, inputs then outputs;
    // invokePacked takes a pointer to each argument value.
    SmallVector<void *> pointers, packed;
    if (arenaAbi) {
      for (size_t i = 0; i < argSlots.size(); ++i) {
        void *address =
            accessorAddress(entryName + "_input_" + std::to_string(i));
        if (!address)
          return 1;
        std::memcpy(address, buffers[i].data.get(), argSlots[i].bytes);
      }
    } else {
      for (AlignedBuffer &b : buffers)
        pointers.push_back(b.data.get());
      for (void *&p : pointers)
        packed.push_back(&p);
    }
    if (hasState && run > 0 && !keepState)
      if (llvm::Error err = (*engine)->invokePacked(resetName))
        return fail("resetting the state failed: " +
                    llvm::toString(std::move(err)));
    auto runStart = std::chrono::steady_clock::now();
    if (llvm::Error err = (*engine)->invokePacked(entryName, packed))
      return fail("invocation failed: " + llvm::toString(std::move(err)));
    runSeconds += std::chrono::duration<double>(
                      std::chrono::steady_clock::now() - runStart)
                      .count();
    if (arenaAbi)
      for (size_t r = 0; r < resultSlots.size(); ++r) {
        void *address =
            accessorAddress(entryName + "_output_" + std::to_string(r));
        if (!address)
          return 1;
        std::memcpy(buffers[argSlots.size() + r].data.get(), address,
                    resultSlots[r].bytes);
      }

    const size_t firstResult = argSlots.size();
    if (printResults) {
      llvm::outs() << "run " << run << " (" << inputName << "):\n";
      for (size_t r = 0; r < resultSlots.size(); ++r)
        printSlot(resultSlots[r], buffers[firstResult + r].data.get());
    }
    if (run < outputFiles.size()) {
      std::error_code ec;
      llvm::raw_fd_ostream os(outputFiles[run], ec, llvm::sys::fs::OF_None);
      if (ec)
        return fail("cannot write " + outputFiles[run] + ": " + ec.message());
      for (size_t r = 0; r < resultSlots.size(); ++r)
        os.write(static_cast<const char *>(buffers[firstResult + r].data.get()),
                 resultSlots[r].bytes);
    }
    if (run == 0 && !outputDir.empty()) {
      if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
        return fail("cannot create " + outputDir + ": " + ec.message());
      for (size_t r = 0; r < resultSlots.size(); ++r) {
        SmallString<128> path(outputDir);
        llvm::sys::path::append(path, resultSlots[r].fileStem + ".bin");
        std::error_code ec;
        llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
        if (ec)
          return fail("cannot write " + path + ": " + ec.message());
        os.write(static_cast<const char *>(buffers[firstResult + r].data.get()),
                 resultSlots[r].bytes);
      }
    }
  }
  if (printTiming)
    llvm::outs()
        << "compile_seconds "
        << std::chrono::duration<double>(compileEnd - compileStart).count()
        << "\nrun_seconds " << runSeconds << "\n";
  return 0;
}
