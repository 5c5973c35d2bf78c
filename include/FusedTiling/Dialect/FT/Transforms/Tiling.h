//===- Tiling.h - FFMT and FDT over linalg on tensors -----------*- C++ -*-===//
//
// The C++ entry points of the two tiling transforms. `ft-tile-path` calls
// them with a path named on the command line; path discovery calls them
// with the paths it chooses.
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_DIALECT_FT_TRANSFORMS_TILING_H
#define FUSEDTILING_DIALECT_FT_TRANSFORMS_TILING_H

#include "FusedTiling/Dialect/FT/IR/FTOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SmallVector.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ft {

/// What a tile does with a value it reads through several windows (a
/// residual block's input, read with a halo by its convolution and without
/// by its add).
enum class WindowMode {
  /// Computed for each window, each living only until its reader: least
  /// memory.
  Recompute,
  /// Computed once over the window covering them, living until its last
  /// reader: fewer MACs, and through a chain of residual blocks not a count
  /// that doubles with each block.
  Share,
  /// As Share, and the rows that the next tile reads again are kept in a
  /// cache the tile block carries (a line buffer), so that every row of
  /// every value is computed once over all tiles: no halo is recomputed.
  /// Costs the caches' bytes and a copy of the cached rows per tile.
  Cache,
};

/// The spelling of `mode` in specs and options: recompute, share, cache.
llvm::StringRef stringifyWindowMode(WindowMode mode);

/// The mode `text` spells (stringifyWindowMode's inverse), or nullopt.
std::optional<WindowMode> parseWindowMode(llvm::StringRef text);

/// How to tile a fused path.
struct TilingOptions {
  TilingMethod method = TilingMethod::FFMT;
  /// FFMT: axes of the last layer's output (1 = rows, 2 = columns).
  /// FDT: ignored (the channel axis of the split tensor).
  llvm::SmallVector<int64_t> axes;
  /// Tiles per axis (FFMT) or channel tiles (FDT, one value).
  llvm::SmallVector<int64_t> tiles;
  /// What a tile does with windows that overlap (within a tile, or with
  /// the next tile's).
  WindowMode windows = WindowMode::Recompute;
  /// FFMT with windows=cache: this many empty tiles before the first tile
  /// of the walking (last) axis, in which the line buffers prime. Each
  /// cached value then advances ahead of its readers by at most the rows
  /// its layer advances per tile (a skewed schedule), instead of the first
  /// tile computing every layer down to its first output rows at once.
  int64_t prime = 0;
  /// FFMT with windows=cache: each tile of the walking axis becomes this
  /// many, the first `steps - 1` computing no output, so that the layers
  /// before a stride-2 stage advance by a `steps`-th of their rows per tile
  /// rather than all of them at once (each layer at its own rate).
  int64_t steps = 1;

  /// Whether the tiles follow a skewed line-buffer schedule.
  bool isSkewed() const { return prime > 0 || steps > 1; }
};

/// A path named in a spec (a pass option, a tool's --tile-path) and how to
/// tile it. Names are resolved to ops by findPathOps.
struct PathTiling : TilingOptions {
  /// The first and last layers: a layer name (ft.layers: the TFLite tensor
  /// name, whole or its part before the first ';'), "#k" (the layer whose
  /// TFLite operator index is k) or "@k" (the k-th op, from 0, of the
  /// function that computes from its arguments: for IR without layers).
  std::string first, last;
};

/// Parses "METHOD first=NAME last=NAME [axes=A,B] tiles=N[,M]
/// [windows=recompute|share|cache] [prime=P] [steps=K]" (METHOD is ffmt or fdt;
/// a name is a TFLite tensor name or #k). On failure returns std::nullopt and
/// sets `error`.
std::optional<PathTiling> parsePathTiling(llvm::StringRef spec,
                                          std::string &error);

/// The spec parsePathTiling reads back as `tiling` (axes only for FFMT,
/// windows only when not recompute). Its names must be isSpecName's.
std::string printPathTiling(const PathTiling &tiling);

/// Whether a spec can carry `name` as first= or last=: not empty, no
/// space (which separates a spec's words).
bool isSpecName(llvm::StringRef name);

/// Parses every spec into `out`; on failure sets `error`.
mlir::LogicalResult parsePathTilings(llvm::ArrayRef<std::string> specs,
                                     std::vector<PathTiling> &out,
                                     std::string &error);

/// Help text of a command-line option that takes path tiling specs.
extern const char *const kPathTilingHelp;

/// [begin, end) pairs of `tiles` tiles over [0, extent), as even as
/// possible: the first `extent % tiles` tiles are one longer.
llvm::SmallVector<int64_t> balancedTileRanges(int64_t extent, int64_t tiles);

/// The [begin, end) pairs `ranges` of a skewed line-buffer schedule:
/// `prime` empty tiles first, then `steps - 1` empty tiles before each
/// tile (TilingOptions::prime and steps).
llvm::SmallVector<int64_t> skewTileRanges(llvm::ArrayRef<int64_t> ranges,
                                          int64_t prime, int64_t steps);

/// Turns values at the boundary of a tile loop's body into other values.
using ValueWrapper = std::function<llvm::SmallVector<mlir::Value>(
    mlir::OpBuilder &, mlir::ValueRange)>;

/// Builds one scf.for over the tiles of `op` (row-major over its axes) that
/// carries `inits` and runs the body of `op`, moved into the loop; `op` is
/// left for the caller to replace. `wrapIterArgs` maps the loop's iteration
/// arguments to what the body expects, `wrapYields` the body's yielded
/// values to what the loop carries (both the identity when null: tensors
/// carried as tensors; bufferization carries buffers).
mlir::scf::ForOp lowerTileBlockToLoop(mlir::RewriterBase &rewriter,
                                      TileBlockOp op, mlir::ValueRange inits,
                                      const ValueWrapper &wrapIterArgs = {},
                                      const ValueWrapper &wrapYields = {});

/// The canonicalization patterns of every loaded dialect and registered op
/// (what -canonicalize applies), for cleaning up or folding tiled IR.
void populateAllCanonicalizationPatterns(mlir::RewritePatternSet &patterns);

/// Whether `op` reduces by addition: its payload yields out + f(inputs).
/// Only such a reduction can be split into partial sums.
bool isAdditiveReduction(mlir::linalg::LinalgOp op);

/// Whether `op` is a convolution or matmul whose payload multiplies: what
/// ft-count-macs counts.
bool isMacOp(mlir::linalg::LinalgOp op);

/// Whether `value` is a linalg.fill with zero.
bool isZeroFilled(mlir::Value value);

/// The ops that `first` and `last` (see PathTiling) name in `func`: the
/// first op of the first layer and the last op of the last. Emits a
/// diagnostic when one names no op.
mlir::FailureOr<std::pair<mlir::Operation *, mlir::Operation *>>
findPathOps(mlir::func::FuncOp func, llvm::StringRef first,
            llvm::StringRef last);

/// The ops ft::tilePath would take into the path from `first` to `last`,
/// in block order, and the op whose result the path computes (`last`, or
/// the source of a trailing reshape). Fails, with a diagnostic, where
/// tilePath would refuse the path's shape (not its op kinds or counts).
struct PathOps {
  llvm::SmallVector<mlir::Operation *> ops;
  mlir::Operation *last = nullptr;
  /// Whether `op` is a private producer of the path (an accumulator's
  /// init, a bias broadcast): it computes nothing from activations.
  llvm::SmallVector<bool> isPrivate;
  /// Whether `op` belongs to the path's first layer (FDT splits its
  /// output channels).
  llvm::SmallVector<bool> inFirstLayer;
  /// Where FFMT over one spatial axis ends in partial sums instead of
  /// inserting its tiles: the op that sums the split axis (a global
  /// pooling; for rows also a dense layer after a flatten), the value whose
  /// axis the tiles split, and that value's reader in the path (the
  /// reduction itself, or the flatten). All null when FFMT inserts.
  struct PartialSumEnd {
    mlir::Operation *reduction = nullptr;
    mlir::Value split;
    mlir::Operation *splitReader = nullptr;
  };
  /// For FFMT over rows (axis 1, index 0) and columns (axis 2, index 1),
  /// as ft::tilePath with one axis decides.
  PartialSumEnd partialSums[2];
};
mlir::FailureOr<PathOps> getPathOps(mlir::Operation *first,
                                    mlir::Operation *last);

/// Tiles the fused path from `first` to `last` (ops of one block; the path
/// is every op on a def-use chain between them, and the first layer every
/// op of `first`'s layer) into an ft.tile_block (and, for FDT, an
/// ft.merge). On failure a diagnostic is emitted at the offending op and,
/// when the failure is found before rewriting (every check of the path and
/// its ops), the IR is unchanged.
mlir::FailureOr<TileBlockOp> tilePath(mlir::RewriterBase &rewriter,
                                      mlir::Operation *first,
                                      mlir::Operation *last,
                                      const TilingOptions &tiling);

} // namespace ft

#endif // FUSEDTILING_DIALECT_FT_TRANSFORMS_TILING_H
