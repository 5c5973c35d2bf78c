//===- ModelHeader.h - The C interface of a compiled model ------*- C++ -*-===//
//
// What a C caller needs to know about an object ft-compile wrote: how the
// entry point is called (inputs and outputs in the arena behind accessors,
// or passed by pointer; the arena static or passed by the caller), the
// tensors' types, shapes and quantization, and the object's RAM, flash and
// stack figures; and the header that says so.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_TARGET_OBJECT_MODELHEADER_H
#define FUSEDTILING_TARGET_OBJECT_MODELHEADER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/MemoryBufferRef.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace ft {

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

/// The inputs (the arguments) or outputs (the results) of a function on
/// tensors, from their types and the importer's ft.name, ft.type, ft.scale
/// and ft.zero_point attributes.
std::vector<TensorDescription> describeTensors(mlir::func::FuncOp func,
                                               bool results);

/// Sizes an object file's sections add up to on a microcontroller.
struct ObjectFigures {
  /// Code and constants (what goes to flash).
  int64_t textBytes = 0, rodataBytes = 0;
  /// Initialised and zeroed data (RAM; .data also takes flash for its
  /// initial image). A static arena is in .bss.
  int64_t dataBytes = 0, bssBytes = 0;
  /// The largest stack frame of the object's functions (from
  /// .stack_sizes), if the object has that section.
  std::optional<int64_t> stackBytes;
  /// Symbols the object uses but does not define (memcpy, ...).
  std::vector<std::string> undefinedSymbols;
};

/// Reads the figures of an ELF object; an error message for anything else.
llvm::Expected<ObjectFigures> measureObject(llvm::MemoryBufferRef object);

/// Adds `figures` (stack, flash and RAM bytes) and the target triple to the
/// plan of `function` in the memory report at `path` (ft-plan-arena's JSON:
/// one plan, or an array of them), in place. Why it cannot, or empty.
std::string addObjectFiguresToReport(llvm::StringRef path,
                                     llvm::StringRef function,
                                     const ObjectFigures &figures,
                                     llvm::StringRef triple);

/// The calling convention and contents of a compiled entry point.
struct ModelInterface {
  /// The entry point's C symbol; accessors and macros are named after it.
  std::string entry;
  std::vector<TensorDescription> inputs, outputs;
  /// Inputs and outputs live in the arena, reached through accessors
  /// `<entry>_input_<k>()`; otherwise the entry point takes them by pointer.
  bool ioInArena = true;
  /// The caller passes the arena (a trailing argument of the entry point
  /// and of every accessor); otherwise it is a static buffer in the object.
  bool arenaArgument = false;
  int64_t arenaBytes = 0;
  int64_t arenaAlignment = 16;
  /// A model with state (variable tensors) has `<entry>_reset`, which
  /// restores the initial state; the state is static memory of the object,
  /// `stateBytes` in all, outside the arena.
  bool hasReset = false;
  /// The reset function takes the arena too (the caller passes it).
  bool resetTakesArena = false;
  int64_t stateBytes = 0;
  /// With ft-profile-layers: the layers' names, by slot.
  std::vector<std::string> profiledLayers;
  std::optional<ObjectFigures> object;
  /// What the object was compiled for ("riscv32-unknown-elf, generic-rv32,
  /// ...") for the header's first comment.
  std::string targetDescription;
};

/// The interface of `entry` in `lowered` (the LLVM dialect module that
/// ft-lower-to-llvm produced): whether it has accessors and an arena
/// argument, its arena size and profiled layers. `inputs` and `outputs`
/// describe its tensors (from the function before lowering).
mlir::FailureOr<ModelInterface>
getModelInterface(mlir::ModuleOp lowered, llvm::StringRef entry,
                  std::vector<TensorDescription> inputs,
                  std::vector<TensorDescription> outputs);

/// Why `name` cannot be the entry point's C symbol (and the prefix of every
/// other symbol and macro of the header): not a C identifier, a C or C++
/// keyword, `main`, or a name reserved to the implementation. Empty if it
/// can.
std::string checkEntryName(llvm::StringRef name);

/// Writes the C header of `model`: the entry point's prototype for its
/// calling convention, accessors and tables for generic drivers, every
/// tensor's C type, shape and quantization as constants, the arena, stack
/// and flash sizes, and `<entry>_run`, which calls the model the same way
/// whatever the convention.
void emitHeader(llvm::raw_ostream &os, const ModelInterface &model);

} // namespace ft

#endif // FUSEDTILING_TARGET_OBJECT_MODELHEADER_H
