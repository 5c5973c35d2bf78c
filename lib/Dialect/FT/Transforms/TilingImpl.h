//===- TilingImpl.h - The parts of ft-tile-path -----------------*- C++ -*-===//
//
// Private to lib/Dialect/FT/Transforms. ft::tilePath is assembled from:
// the path's ops (PathAnalysis.cpp), how a split passes through each kind
// of op (TilingRules.cpp), fusing the path's producers into a tile through
// TilingInterface (FuseProducers.cpp), and the two drivers (FFMT.cpp,
// FDT.cpp; a spatial split into a global pooling reuses FDT's partial
// sums).
//
//===----------------------------------------------------------------------===//

#ifndef FUSEDTILING_LIB_DIALECT_FT_TRANSFORMS_TILINGIMPL_H
#define FUSEDTILING_LIB_DIALECT_FT_TRANSFORMS_TILINGIMPL_H

#include "FusedTiling/Dialect/FT/IR/Layers.h"
#include "FusedTiling/Dialect/FT/Transforms/Passes.h"
#include "FusedTiling/Dialect/FT/Transforms/Tiling.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Tensor/IR/TensorTilingInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"

namespace ft::detail {

/// A fused path: top-level ops of one block, in block order.
struct Path {
  llvm::SetVector<mlir::Operation *> ops;
  /// The ops of the first layer (the path's seeds).
  llvm::SmallPtrSet<mlir::Operation *, 8> firstLayer;
  /// The op whose result the path computes.
  mlir::Operation *last = nullptr;
  /// See TilingOptions::windows.
  WindowMode windows = WindowMode::Recompute;
  /// See TilingOptions::prime and steps: empty tiles before the walking
  /// axis's first, and tiles per tile of the walking axis.
  int64_t primingTiles = 0;
  int64_t stepsPerTile = 1;
  /// FDT: channel tiles are whole multiples of this (the product of the
  /// channel multipliers of the depthwise layers the split passes).
  int64_t channelGranularity = 1;

  bool contains(mlir::Operation *op) const { return ops.contains(op); }
};

//===----------------------------------------------------------------------===//
// The path (PathAnalysis.cpp)
//===----------------------------------------------------------------------===//

/// Why a name may match no op: model inputs and reshapes (views once
/// lowered) have no op of their own.
extern const char *const kNoOpHint;

/// Whether `op` is one `reference` names by layer: "#k" or a layer name.
/// ("@k" names a position, see ft::findPathOps.)
bool refersTo(mlir::Operation *op, llvm::StringRef reference);

/// An error at `op` that names the op and its layer.
mlir::InFlightDiagnostic pathError(mlir::Operation *op,
                                   const llvm::Twine &message);

/// Every op on a def-use chain from `first`'s layer to `last`, with the
/// private producers of those ops; fails (with a diagnostic) when a value
/// computed inside the path is used outside it.
mlir::FailureOr<Path> findPath(mlir::Operation *first, mlir::Operation *last);

//===----------------------------------------------------------------------===//
// How a split passes through an op (TilingRules.cpp)
//===----------------------------------------------------------------------===//

/// Producers that belong to the layer that uses them, not to an earlier
/// one: they compute nothing from activations.
bool isPrivateProducer(mlir::Operation *op);

/// Whether `op` (null: none) only regroups its operand's dimensions (a
/// collapse or an expand).
bool isReshape(mlir::Operation *op);

/// The channel multiplier M when `collapse` merges a depthwise
/// convolution's [C, M] channels into C * M.
std::optional<int64_t>
depthwiseMultiplier(mlir::tensor::CollapseShapeOp collapse);

/// The loop of `op` that indexes the last (channel) dimension of `operand`.
std::optional<unsigned> channelLoop(mlir::linalg::LinalgOp op,
                                    mlir::OpOperand *operand);

/// Why `op` cannot pass an FDT channel split (empty when it can).
std::string mixesChannels(mlir::Operation *op, const Path &path);

/// The first tensor input of `op` that a path op produces.
mlir::OpOperand *pathInput(mlir::linalg::LinalgOp op, const Path &path);

//===----------------------------------------------------------------------===//
// Slices of views computed from their sources (SliceOfProducer.cpp)
//===----------------------------------------------------------------------===//

/// Moves `slice` above the reshape or slice that produces its source
/// (upstream's bubbling patterns; a slice of a slice becomes one). Fails,
/// changing nothing, where they do not apply.
mlir::LogicalResult bubbleSliceUp(mlir::RewriterBase &rewriter,
                                  mlir::tensor::ExtractSliceOp slice);

/// `slice` of `collapse`'s result computed as the collapse of a slice of
/// its source, where upstream's bubbling cannot prove the slice maps to
/// one: a depthwise convolution's channel groups (tiles at multiples of
/// `channelGranularity`), a flatten's rows cut at multiples of its inner
/// dimensions, DEPTH_TO_SPACE's rows cut anywhere (the covering rows).
mlir::FailureOr<mlir::Value> sliceOfCollapse(
    mlir::RewriterBase &rewriter, mlir::tensor::ExtractSliceOp slice,
    mlir::tensor::CollapseShapeOp collapse, int64_t channelGranularity);

/// `slice` of a concatenation (`insert`) computed as the same insertion of
/// slices of both parts; fails on a slice across the concatenated axis.
mlir::FailureOr<mlir::Value>
sliceOfInsertion(mlir::RewriterBase &rewriter,
                 mlir::tensor::ExtractSliceOp slice,
                 mlir::tensor::InsertSliceOp insert);

//===----------------------------------------------------------------------===//
// Fusing the path into a tile (FuseProducers.cpp)
//===----------------------------------------------------------------------===//

/// Replaces, inside `block`'s body, every slice of a value a path op
/// produces by that op computing only the slice. With WindowMode::Cache,
/// `block` may be replaced by one that carries line buffers too (more
/// iter_args and results than the caller gave it).
mlir::LogicalResult fuseProducers(mlir::RewriterBase &rewriter,
                                  TileBlockOp &block, const Path &path);

/// Erases the path's ops that the tile block made dead, last first.
void eraseDeadPathOps(mlir::RewriterBase &rewriter, const Path &path);

//===----------------------------------------------------------------------===//
// The drivers (FFMT.cpp, FDT.cpp)
//===----------------------------------------------------------------------===//

/// A global reduction over `axis` at the end of an FFMT path (a global
/// average pooling): the path's last op with reduction loops, when one
/// reduction loop indexes the whole `axis` of its input and its output has
/// extent 1 there. Returns the op, that input and the loop.
std::optional<std::tuple<mlir::linalg::LinalgOp, mlir::OpOperand *, unsigned>>
findSpatialReduction(const Path &path, int64_t axis);

/// A fully connected layer at the end of an FFMT path over rows that reads
/// a flatten of a path tensor (a collapse that merges `axis` with every
/// dimension after it, then reshapes): every tile's rows are one contiguous
/// part of the flattened axis, which the layer sums over, so the tiles add
/// partial sums. The layer, its input, the loop that sums the flattened
/// axis, the collapse, and the elements of one row (the product of the
/// merged dimensions after `axis`).
struct FlattenReduction {
  mlir::linalg::LinalgOp consumer;
  mlir::OpOperand *input;
  unsigned loop;
  mlir::tensor::CollapseShapeOp flatten;
  int64_t rowElements;
};
std::optional<FlattenReduction> findFlattenReduction(const Path &path,
                                                     int64_t axis);

/// Tiles that split reduction loop `reductionLoop` of `consumer` and
/// accumulate its partial results (FDT; FFMT into a global pooling).
mlir::FailureOr<TileBlockOp>
tileIntoPartialSums(mlir::RewriterBase &rewriter, Path &path,
                    mlir::linalg::LinalgOp consumer, mlir::OpOperand *split,
                    unsigned reductionLoop, int64_t splitDim,
                    TilingMethod method, int64_t tiles);

/// Builds the tile block whose tiles compute and insert their part (along
/// `axes`, with `ranges`) of the path's last result, and fuses the path
/// into it: FFMT's spatial tiles, FDT's concatenated channel tiles.
mlir::FailureOr<TileBlockOp>
tileByInsertion(mlir::RewriterBase &rewriter, Path &path, TilingMethod method,
                llvm::ArrayRef<int64_t> axes,
                llvm::ArrayRef<llvm::SmallVector<int64_t>> ranges);

mlir::FailureOr<TileBlockOp> tileFeatureMaps(mlir::RewriterBase &rewriter,
                                             Path &path,
                                             const TilingOptions &tiling);

mlir::FailureOr<TileBlockOp> tileChannels(mlir::RewriterBase &rewriter,
                                          Path &path,
                                          const TilingOptions &tiling);

} // namespace ft::detail

#endif // FUSEDTILING_LIB_DIALECT_FT_TRANSFORMS_TILINGIMPL_H
