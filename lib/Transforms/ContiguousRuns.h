//===- ContiguousRuns.h - Reductions over contiguous int8 runs --*- C++ -*-===//
//
// Shared by the passes that rewrite the multiply-accumulate loops
// ft-scalar-accumulation leaves as loops over one contiguous run of each
// buffer (ft-flatten-window-rows, ft-vectorize-reductions).
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_LIB_TRANSFORMS_CONTIGUOUSRUNS_H
#define FUSEDTILING_LIB_TRANSFORMS_CONTIGUOUSRUNS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/SmallVector.h"

#include <array>
#include <optional>

namespace ft {

/// A loop `for i in [0, n): acc += sext(a[..., i, 0...]) * sext(b[..., i,
/// 0...])` over int8 elements, i walking a dimension of unit stride in both
/// buffers (the innermost, or the last that is not of size 1), and
/// optionally the loop around it that it flattens with (a window's
/// columns, when a row of the window is one contiguous run in both
/// buffers). One factor may be read behind a check the run does not
/// change, `select(inside, a[..., i], pad)` (a padded window's row).
struct ContiguousDot {
  mlir::scf::ForOp loop;
  mlir::scf::ForOp row;
  std::array<mlir::memref::LoadOp, 2> loads;
  std::array<mlir::arith::SelectOp, 2> guards;
  /// In each buffer, the dimension `loop` walks.
  std::array<int64_t, 2> runDims = {0, 0};
  /// Elements of the run (loop's trip count, times row's).
  int64_t length = 0;

  /// The loop the run replaces: `row` if flattened, else `loop`.
  mlir::scf::ForOp replaced() const { return row ? row : loop; }
};

/// The innermost loops with iteration arguments in the payloads of the
/// linalg.generic ops under `root` (the reduction loops
/// ft-scalar-accumulation leaves), outer generics first.
llvm::SmallVector<mlir::scf::ForOp>
collectInnermostReductions(mlir::Operation *root);

/// Matches `loop` (its invariant code hoisted first).
std::optional<ContiguousDot> matchContiguousDot(mlir::scf::ForOp loop);

/// Extends `dot` to the loop around it when that loop only runs it over a
/// window's columns and a row of the window is contiguous in both buffers
/// (columns x channels, the channels being a whole dimension).
void flattenWithRow(ContiguousDot &dot);

/// Whether the run needs a view of a buffer (flattened with its row, or
/// walking a dimension followed by unit ones).
bool needsCollapse(ContiguousDot dot);

/// Each buffer seen with the run in its innermost dimension (collapsed
/// where needed), and the indices of the run's first element, built at
/// `builder`'s point (before `dot.replaced()`).
struct RunBuffers {
  std::array<mlir::Value, 2> bases;
  std::array<llvm::SmallVector<mlir::Value>, 2> starts;
};
RunBuffers buildRunBuffers(mlir::OpBuilder &builder, mlir::Location loc,
                           ContiguousDot dot);

} // namespace ft

#endif // FUSEDTILING_LIB_TRANSFORMS_CONTIGUOUSRUNS_H
