//===- SplitRulesInterface.td - How a tiling split passes an op -*- tablegen -*-===//

#ifndef FT_SPLITRULESINTERFACE_TD
#define FT_SPLITRULESINTERFACE_TD

include "mlir/IR/OpBase.td"

def FT_SplitRulesOpInterface : OpInterface<"SplitRulesOpInterface"> {
  let cppNamespace = "::ft";
  let description = [{
    How a fused tiling split passes through an op, for the rules that an
    op's `TilingInterface` does not give (halos and slices come from it):
    whether the op belongs to the layer that uses it rather than to a layer
    of its own (an empty tensor, a fill, a bias broadcast: they compute
    nothing from activations), and whether a split of the channel axis (the
    last) passes from an operand to the result one channel to one channel,
    as fused depthwise tiling needs. Upstream ops get the rules as external
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
        Why a split of the channel axis of `splitInput` (the operand that
        carries the split; null when no operand does) cannot pass to the
        result channel for channel, or an empty string when it can.
      }],
      "std::string", "getChannelSplitBlocker",
      (ins "::mlir::OpOperand *":$splitInput)>,
    InterfaceMethod<[{
        For ops whose reads no indexing map describes: the half-open range
        of operand `operand`'s `axis` that the result's rows `[lo, hi)` of
        that axis read (the estimate's tile ranges; the op's TilingInterface
        builds the same slices on IR). `std::nullopt` when the op gives no
        such rule (indexing maps, pads and reshapes have theirs).
      }],
      "std::optional<std::pair<int64_t, int64_t>>", "getOperandRange",
      (ins "unsigned":$operand, "int64_t":$axis, "int64_t":$lo,
           "int64_t":$hi),
      [{}], [{ return std::nullopt; }]>,
  ];
}

#endif // FT_SPLITRULESINTERFACE_TD
