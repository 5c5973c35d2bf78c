//===- Passes.td - FusedTiling arena planning --------------*- tablegen -*-===//

#ifndef FUSEDTILING_PLANNING_PASSES
#define FUSEDTILING_PLANNING_PASSES

include "mlir/Pass/PassBase.td"

def FTPlanArena : Pass<"ft-plan-arena", "::mlir::ModuleOp"> {
  let summary = "Place every buffer of bufferized functions in one static arena";
  let description = [{
    Runs after one-shot bufferization (and `buffer-results-to-out-params`,
    ideally with `add-result-attr`). For each function with a body:

    1. *Liveness.* The body's operations, and those of loop and conditional
       bodies, are the steps. Every `memref.alloc` / `memref.alloca` lives
       from the first to the last step that uses it or a view of it
       (subviews, reshapes and casts alias their source). A buffer
       allocated in a loop body is one buffer for all iterations and lives
       for its part of the body; one used in a loop but allocated outside
       it, or carried across iterations, lives for the whole loop. With `io-in-arena`, memref
       arguments are buffers too (inputs from step 0, outputs, marked
       `bufferize.result`, until the last step), as in TFLM.
    2. *In place.* An elementwise linalg op whose output is a fresh buffer of
       the same type as an input that dies at that op writes over the input.
    3. *Offsets.* The arena solver (greedy-by-size, best fit, then exact
       branch and bound, deterministic) assigns aligned offsets.
    4. *Rewrite.* Every allocation becomes a `memref.view` into one
       zero-initialised global `memref<N x i8>` (or a trailing arena argument
       with `arena-argument`); deallocations disappear. With `io-in-arena`
       the memref arguments are removed too, and accessor functions
       `@<name>_input_<i>` / `@<name>_output_<i>` return their views, so the
       caller writes inputs and reads outputs in place.

    The function gets `ft.arena_size`, `ft.arena_load` (the most bytes
    alive at one step, a lower bound) and `ft.arena_method` attributes;
    `memory-report` writes every buffer's name (its layer), size, offset
    and lifetime, and the live bytes per step, as JSON: one object, or with
    several functions an array of one object per function.

    Each step is a library function of its own (Planning/ArenaPlanning.h:
    `BufferLiveness`, `solveArena`, `materializeArena`,
    `materializeIOAccessors`, `writeArenaReport`); `ft::queryArena` runs
    the first two alone, to know a function's arena without rewriting it.
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", /*default=*/"16",
           "Alignment of every buffer offset and of the arena, in bytes">,
    Option<"ioInArena", "io-in-arena", "bool", /*default=*/"true",
           "Place the memref arguments (model inputs and outputs) in the "
           "arena and replace them by accessor functions">,
    Option<"arenaArgument", "arena-argument", "bool", /*default=*/"false",
           "Take the arena from the caller as a trailing memref<N x i8> "
           "argument instead of a global">,
    Option<"inPlace", "in-place", "bool", /*default=*/"true",
           "Let elementwise ops write over an input that dies there">,
    Option<"memoryReport", "memory-report", "std::string", /*default=*/"",
           "Write the plan as JSON to this file">,
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect"];
}


def FTTestBufferLiveness : Pass<"ft-test-buffer-liveness", "::mlir::func::FuncOp"> {
  let summary = "Report the buffers ft-plan-arena sees, as remarks (for tests)";
  let description = [{
    Runs the planner's liveness analysis on a bufferized function and emits
    one remark per buffer at its allocation (or the function, for an
    argument): its name, kind, bytes and live steps, and the buffer whose
    slot it takes over (an in-place write). Changes nothing.
  }];
  let options = [
    Option<"ioInArena", "io-in-arena", "bool", /*default=*/"true",
           "Treat memref arguments as buffers">,
    Option<"inPlace", "in-place", "bool", /*default=*/"true",
           "Let elementwise ops write over an input that dies there">,
  ];
}

#endif // FUSEDTILING_PLANNING_PASSES
