//===- SplitRulesInterface.td - How a tiling split passes an op -*- tablegen -*-===//

#ifndef FT_SPLITRULESINTERFACE_TD
#define FT_SPLITRULESINTERFACE_TD

include "mlir/IR/OpBase.td"

def FT_SplitRulesOpInterface : OpInterface<"SplitRulesOpInterface"> {
  let cppNamespace = "::ft";
  let description = [{
    How a fused tiling split passes through an op: whether the op belongs
    to the layer that uses it rather than to a layer of its own (an empty
    tensor, a fill, a bias broadcast: they compute nothing from
    activations); whether a split of the channel axis (the last) passes
    from an operand to the result one channel to one channel, as fused
    depthwise tiling needs; which rows of each operand a range of the
    result's rows reads (halos), and which of them the next row reads
    again (line buffers), as FFMT's estimate needs; and, for ops not tiled
    through `TilingInterface`, how a tile computes a slice of their result. Upstream ops get the rules as external
    models (`ft::registerSplitRulesExternalModels`); an op without them is
    refused by FDT, and ops of new dialects join by implementing it.
  }];
  let methods = [
    InterfaceMethod<[{
        Whether the op belongs to the layer that uses its result: it
        computes nothing from activations.
      }],
      "bool", "isPrivateProducer", (ins), [{}], [{ return false; }]>,
    InterfaceMethod<[{
        Whether the op computes a layer's values from activations (a
        structured op, a gather): a path may start or end at it. Views,
        pads, crops and accumulator inits do not.
      }],
      "bool", "computesLayer", (ins), [{}], [{ return false; }]>,
    InterfaceMethod<[{
        Whether the op only regroups its operand's dimensions (a collapse
        or an expand of a shape): it moves no element, keeps channels
        apart where its operand does, and may run after a merge.
      }],
      "bool", "isReshape", (ins), [{}], [{ return false; }]>,
    InterfaceMethod<[{
        Why a split of the channel axis of `splitInput` (the operand that
        carries the split; null when no operand does) cannot pass to the
        result channel for channel, or an empty string when it can.
      }],
      "std::string", "getChannelSplitBlocker",
      (ins "::mlir::OpOperand *":$splitInput)>,
    InterfaceMethod<[{
        How the result's rows `[lo, hi)` of `axis` (a non-empty range) reach
        each operand: rows of its `axis` (a halo included), none (the tile
        reads nothing of it along the axis: an index, a padding value, an
        accumulator's init, which belongs to the result's own layer), or
        the whole operand whatever the tile (weights, a bias: a path value
        cannot be read so). One entry per operand; failure when the split
        cannot pass the op along `axis` (a dynamic pad or offset, a reshape
        that moves the axis, a concatenation along it). Path discovery's
        estimate propagates a path's tiles through these from its last op
        to its first; FFMT builds the same slices on IR (TilingTest checks
        that they agree).
      }],
      "::mlir::FailureOr<::llvm::SmallVector<::ft::OperandSplit>>",
      "getOperandSplits",
      (ins "int64_t":$axis, "int64_t":$lo, "int64_t":$hi),
      [{}], [{ return ::mlir::failure(); }]>,
    InterfaceMethod<[{
        For an op that fused tiling does not tile through its
        `TilingInterface` (an empty tensor, a reshape, a crop, a pad, a
        concatenation): replaces `slice`, an extract_slice of the op's
        result inside a tile, by a computation of just that slice from
        slices of the op's operands. Channel tiles start and end at
        multiples of `channelGranularity` (FDT through a depthwise
        convolution's collapsed channels). Failure with `why` empty: tile
        the op through `TilingInterface`; with `why` set, the slice cannot
        be computed (nothing changed).
      }],
      "::llvm::LogicalResult", "replaceSliceOfResult",
      (ins "::mlir::RewriterBase &":$rewriter,
           "::mlir::tensor::ExtractSliceOp":$slice,
           "int64_t":$channelGranularity, "std::string &":$why),
      [{}], [{ return ::mlir::failure(); }]>,
    InterfaceMethod<[{
        Whether the result's rows are operand 0's rows moved, not computed
        (a pad, a crop, a reshape): where a line buffer would keep rows of
        the result, the estimate counts the operand's rows kept instead.
      }],
      "bool", "movesRowsOfSource", (ins), [{}], [{ return false; }]>,
    InterfaceMethod<[{
        Per operand, how many of the rows of `axis` that the result's row 0
        reads its row 1 reads again (a window's extent minus its stride):
        what a line buffer keeps between tiles (windows=cache). 0 where
        each result row reads rows of its own.
      }],
      "::llvm::SmallVector<int64_t>", "getWindowOverlaps",
      (ins "int64_t":$axis), [{}], [{
        return ::llvm::SmallVector<int64_t>($_op->getNumOperands(), 0);
      }]>,
  ];
}

#endif // FT_SPLITRULESINTERFACE_TD
