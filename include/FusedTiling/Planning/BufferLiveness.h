//===- BufferLiveness.h - Lifetimes of the buffers of a function -*- C++ -*-=//
//
// Works on bufferized IR. The schedule is the order of the operations in the
// function body, loop and conditional bodies included (a linalg payload is
// part of its op's step). A buffer is a memref.alloc/alloca (or, optionally,
// a memref argument: the model's inputs and outputs), and lives from the
// first to the last step that touches it or a view of it. A buffer allocated
// inside a loop body is one buffer reused by every iteration and lives only
// for its part of the body; a buffer used inside a loop but allocated
// outside it, or carried from one iteration to the next, lives for the
// whole loop.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_PLANNING_BUFFERLIVENESS_H
#define FUSEDTILING_PLANNING_BUFFERLIVENESS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace ft {

struct LiveBuffer {
  enum class Kind { Allocation, Input, Output };
  /// The allocation's result or the function argument.
  mlir::Value root;
  Kind kind = Kind::Allocation;
  int64_t bytes = 0;
  int64_t firstStep = 0;
  int64_t lastStep = 0;
  /// A readable name: the layer (ft.layers) of the first op that writes
  /// the allocation, or the argument's ft.name.
  std::string name;
  /// When an elementwise operation writes this buffer over an input that
  /// dies there, the index of that input's buffer: both share one slot.
  int sharesSlotWith = -1;
};

class BufferLiveness {
public:
  struct Options {
    /// Treat the function's memref arguments as buffers (inputs live from
    /// step 0, outputs until the last step), as TFLM does.
    bool includeArguments = true;
    /// Let an elementwise operation write over an input that dies there.
    bool inPlaceElementwise = true;
  };

  BufferLiveness(mlir::func::FuncOp func, const Options &options);

  /// False (with a diagnostic emitted) when the function cannot be planned:
  /// unstructured control flow, dynamic shapes or layouts.
  bool isValid() const { return valid; }
  llvm::ArrayRef<LiveBuffer> buffers() const { return liveBuffers; }
  int64_t numSteps() const { return steps; }
  /// Bytes alive at each step (slot-sharing buffers counted once).
  llvm::SmallVector<int64_t> liveBytesPerStep() const;
  /// The buffer (index into buffers()) a memref value is, or a view of; -1
  /// when it is none or may be one of several (a region result).
  int bufferOf(mlir::Value value) const;
  /// The op numbered `step`.
  mlir::Operation *operationAt(int64_t step) const { return stepOps[step]; }
  /// The first and last step of `op` (its nested ops' included), if
  /// numbered.
  std::optional<std::pair<int64_t, int64_t>> stepsOf(mlir::Operation *op) const;

private:
  void collect(mlir::func::FuncOp func, const Options &options);
  void coalesceInPlace(mlir::func::FuncOp func);
  /// Whether an op nested in `op`'s payload touches buffer `index` (a
  /// load at other indices than the element being written).
  bool readInsidePayload(mlir::Operation *op, int index) const;
  /// Names each allocation after the layer (ft.layers) of the first op
  /// that writes it; `usersOf` lists each buffer's users in program order.
  void
  nameAllocations(llvm::ArrayRef<llvm::SmallVector<mlir::Operation *>> usersOf);

  llvm::SmallVector<LiveBuffer> liveBuffers;
  /// The buffers each memref value may alias: views alias their source,
  /// scf.for results and iteration arguments their init and yielded values,
  /// scf.if results the values both branches yield.
  llvm::DenseMap<mlir::Value, llvm::SmallVector<int, 1>> rootsOf;
  /// Each numbered op's step, and the last step inside it.
  llvm::DenseMap<mlir::Operation *, int64_t> stepOf, endOf;
  llvm::SmallVector<mlir::Operation *> stepOps;
  int64_t steps = 0;
  bool valid = true;
};

} // namespace ft

#endif // FUSEDTILING_PLANNING_BUFFERLIVENESS_H
