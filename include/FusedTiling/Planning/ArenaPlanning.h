//===- ArenaPlanning.h - The stages of the static arena ---------*- C++ -*-===//
//
// ft-plan-arena in steps, each usable alone: the liveness of a bufferized
// function's buffers (BufferLiveness.h), the packing problem those buffers
// pose and its solution (solveArena, over ArenaSolver.h), the rewrite of
// allocations into views of one arena (materializeArena), the I/O accessor
// ABI (materializeIOAccessors) and the JSON report (writeArenaReport).
// queryArena runs the first two only: what a function's arena would be,
// without rewriting it, as path discovery asks it of candidate tilings.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_PLANNING_ARENAPLANNING_H
#define FUSEDTILING_PLANNING_ARENAPLANNING_H

#include "FusedTiling/Planning/ArenaSolver.h"
#include "FusedTiling/Planning/BufferLiveness.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/Support/JSON.h"

namespace ft {

struct ArenaPlanningOptions {
  /// Alignment of every offset and of the arena, in bytes.
  int64_t alignment = 16;
  /// Model inputs and outputs (memref arguments) live in the arena.
  bool ioInArena = true;
  /// The caller passes the arena as a trailing argument (else a global).
  bool arenaArgument = false;
  /// Elementwise ops write over an input that dies there.
  bool inPlace = true;
};

/// The liveness analysis's options that `options` imply.
BufferLiveness::Options getLivenessOptions(const ArenaPlanningOptions &options);

/// A function's buffers placed: an offset per LiveBuffer (buffers that
/// share a slot get the same one) and the solver's figures.
struct FunctionArenaPlan {
  llvm::SmallVector<int64_t> offsetOf;
  ArenaPlan arena;
};

/// The packing problem: one request per group of buffers sharing a slot,
/// as big and as long-lived as its members together; then the solver.
FunctionArenaPlan solveArena(llvm::ArrayRef<LiveBuffer> buffers,
                             int64_t alignment);

/// The arena and LOAD a bufferized function would get, without rewriting
/// it. Fails (with a diagnostic) where ft-plan-arena would.
struct ArenaFigures {
  int64_t arenaBytes = 0;
  int64_t loadBytes = 0;
  std::string method;
};
mlir::FailureOr<ArenaFigures> queryArena(mlir::func::FuncOp func,
                                         const ArenaPlanningOptions &options);

/// queryArena for every function with a body of a bufferized module, by
/// name, in module order.
mlir::FailureOr<llvm::SmallVector<std::pair<std::string, ArenaFigures>>>
queryModuleArenas(mlir::ModuleOp module, const ArenaPlanningOptions &options);

/// The arena itself: a zero-initialised global `<function>_arena` (its
/// symbol in `globalName`), or a trailing argument with arenaArgument.
struct ArenaStorage {
  mlir::Value base;
  mlir::MemRefType type;
  mlir::FlatSymbolRefAttr globalName;
};

/// Creates the arena of `plan` for `func` and turns every allocation of
/// `liveness` into a view of it at its offset (deallocations go).
mlir::FailureOr<ArenaStorage>
materializeArena(mlir::func::FuncOp func, const BufferLiveness &liveness,
                 const FunctionArenaPlan &plan,
                 const ArenaPlanningOptions &options,
                 mlir::SymbolTable &symbols);

/// With ioInArena: the memref arguments become views of the arena, and an
/// accessor per argument (`@<function>_input_<i>`, `@<function>_output_<i>`,
/// returning the address as an index) tells the caller where they are.
mlir::LogicalResult materializeIOAccessors(mlir::func::FuncOp func,
                                           const BufferLiveness &liveness,
                                           const FunctionArenaPlan &plan,
                                           const ArenaStorage &arena,
                                           const ArenaPlanningOptions &options,
                                           mlir::SymbolTable &symbols);

/// The plan of one function as a JSON object: figures, every buffer's
/// name, kind, location, bytes, offset and steps, the live bytes per step.
void writeArenaReport(llvm::json::OStream &json, mlir::func::FuncOp func,
                      const BufferLiveness &liveness,
                      const FunctionArenaPlan &plan);

} // namespace ft

#endif // FUSEDTILING_PLANNING_ARENAPLANNING_H
