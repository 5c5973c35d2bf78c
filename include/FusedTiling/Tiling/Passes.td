//===- Passes.td - Automatic fused tiling ------------------*- tablegen -*-===//

#ifndef FUSEDTILING_TILING_PASSES
#define FUSEDTILING_TILING_PASSES

include "mlir/Pass/PassBase.td"

def FTScheduleForMemory : Pass<"ft-schedule-for-memory", "::mlir::func::FuncOp"> {
  let summary = "Order a function's ops so that the fewest bytes are alive at once";
  let description = [{
    Reorders the top-level ops of a function body on tensors (ops on the
    same def-use chains keep their order) to minimise the peak of the
    tensor-level memory model (Tiling/MemoryModel.h): an op allocates its
    result while its inputs are alive, a tensor dies after its last reader.
    The order is searched exhaustively between cut ops (those every other
    op precedes or follows), over the downsets of each part, and is exact
    unless a part has more than `max-states` downsets; such a part gets a
    deterministic greedy order, or keeps its order when that is better.
    Functions whose ops have side effects are left alone.

    With `report`, a remark at the function gives the model's peak before
    and after, and whether the order is proven least.
  }];
  let options = [
    Option<"maxStates", "max-states", "unsigned", /*default=*/"20000",
           "Downsets searched per part before the greedy order takes over">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark with the peak before and after">,
  ];
}

def FTAutoTile : Pass<"ft-auto-tile", "::mlir::ModuleOp"> {
  let summary = "Find and tile the fused paths that shrink the arena most";
  let description = [{
    Automatic fused tiling of linalg on tensors (after `ft-tosa-to-linalg`),
    for every function with a body:

    1. *Schedule* the ops for the least peak (ft-schedule-for-memory),
       kept only when the planner's arena does not grow.
    2. *Discover*: the tensors alive at the peak step of the memory model
       (Tiling/MemoryModel.h), and around each one's producer every path
       (first layer, last layer) within `max-layers` layers on either side
       that contains it and that `ft-tile-path` can build: chains, residual
       blocks (the block's input read by both branches), branches joined by
       a concatenation, paths ending in a global sum pooling (partial
       sums). Methods: FFMT over rows, columns and grids, each with halos
       recomputed and with line buffers (`windows=cache`: every row
       computed once along the axis the tiles walk), FDT over channels.
    3. *Estimate* each candidate's peak and MACs for every tile count up to
       `max-tiles` (grids: up to 16 per axis) in closed form: the path
       becomes one step whose extra bytes are a tile's working set, each
       tensor shrunk to the rows and columns its readers' indexing maps
       need (halos included; exact MACs for FFMT) or to its channel slice.
       The tile count of least peak whose MACs fit `mac-budget` and whose
       run time besides MACs fits `overhead-budget` is kept (line buffers
       add their rows to the working set and cost no MAC along the walking
       axis, but copy their rows every tile; the model: 4 instructions per
       MAC, 32 per layer and tile, 1 per byte copied, more per tile with
       several tiles per output tile). Partial sums in floating point (FDT, FFMT
       into a pooling of floats) that would round differently from one sum
       are never chosen: no output byte changes.
    4. *Verify* the best `verify` candidates, and the best `verify` with a
       skewed line-buffer schedule (`prime=`, `steps=`: their estimate
       leaves out the rows kept ahead of the readers; to win, one with
       several tiles per output tile must save 1/16 of the arena over the
       others, as its extra tiles cost run time), by tiling a copy of the
       module
       and running the real arena planner on it (after the lowering's own
       steps from tiled tensors to buffers, ft::buildTensorsToBuffersPipeline,
       under the options `scalar-accumulation`, `fuse-elementwise` and
       `tile-requantization`); apply the candidate with the smallest
       planned arena if it beats the current arena. An FFMT
       candidate without line buffers is also tried with channel tiles
       inside its tiles (FFMT -> FDT; 2, 4 or 8 of them) over the layers
       before a layer that sums over channels, where the tile's tensors
       between them take more bytes per pixel than that layer's partial
       sums (an expansion, as in MobileNetV2); kept if the planner's arena
       is smaller.
    5. Repeat from 1 (at most `max-paths` times) until no candidate gains.
       The rounds run from each of the `restarts` best first paths; the
       smallest final arena (then the fewest MACs) wins.

    Decisions depend only on the IR and the options (no time limits). Every
    applied path is reported as a remark at its first op: its layers,
    method, tiles, the arena (planner and model) and MACs before and after,
    and a `--tile-path` spec that replays it. With `report-rejected`, every
    verified candidate that was not taken, and why, and a summary per
    function (the statistics, which Debian's LLVM compiles out). The
    function gets an `ft.auto_tiling` dictionary: `untiled_arena`, `arena`,
    `untiled_macs`, `macs`, `paths` (the specs), which ft-compile reports.
  }];
  // What the tiler creates (ft-tile-path's dialects).
  let dependentDialects = ["::ft::FTDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
  let options = [
    Option<"method", "method", "::ft::AutoTilingMethod",
           /*default=*/"::ft::AutoTilingMethod::Auto",
           "Which tilings to consider",
           [{::llvm::cl::values(
             clEnumValN(::ft::AutoTilingMethod::None, "none", "No tiling"),
             clEnumValN(::ft::AutoTilingMethod::FFMT, "ffmt",
                        "Spatial tiles only"),
             clEnumValN(::ft::AutoTilingMethod::FDT, "fdt",
                        "Channel tiles only"),
             clEnumValN(::ft::AutoTilingMethod::Auto, "auto", "Both"))}]>,
    Option<"macBudget", "mac-budget", "double", /*default=*/"5.0",
           "Most extra MACs allowed, in percent of the untiled model's">,
    Option<"overheadBudget", "overhead-budget", "double", /*default=*/"3.0",
           "Most run time FFMT tiles may add besides MACs (each tile's "
           "set-up of its layers, line buffers' copies), in percent of the "
           "untiled model's; a model of scalar kernels: four instructions "
           "per MAC, one per byte copied, 32 per layer and tile">,
    Option<"maxTiles", "max-tiles", "int64_t", /*default=*/"64",
           "Most tiles per axis">,
    Option<"maxLayers", "max-layers", "unsigned", /*default=*/"12",
           "Most layers a path reaches before and after the tensor it removes">,
    Option<"verifyCount", "verify", "unsigned", /*default=*/"4",
           "Candidates verified by the planner per round">,
    Option<"restarts", "restarts", "unsigned", /*default=*/"2",
           "The greedy rounds run from this many of the best first paths; "
           "the best result wins">,
    Option<"maxPaths", "max-paths", "unsigned", /*default=*/"8",
           "Most paths applied per function">,
    Option<"schedule", "schedule", "bool", /*default=*/"true",
           "Order ops for the least peak before discovery and after each "
           "tiling">,
    Option<"reportRejected", "report-rejected", "bool", /*default=*/"false",
           "Emit a remark for every verified candidate not applied, and why">,
    Option<"alignment", "arena-alignment", "int64_t", /*default=*/"16",
           "The planner's alignment (as ft-plan-arena)">,
    Option<"ioInArena", "io-in-arena", "bool", /*default=*/"true",
           "The planner's I/O convention (as ft-plan-arena)">,
    Option<"scalarAccumulation", "scalar-accumulation", "bool",
           /*default=*/"true",
           "The lowering computes reductions in scalar accumulators (the "
           "memory model follows it)">,
    Option<"fuseElementwise", "fuse-elementwise", "bool",
           /*default=*/"true",
           "The lowering fuses elementwise ops into their consumers (as the "
           "lowering's option of that name)">,
    Option<"tileRequantization", "tile-requantization", "bool",
           /*default=*/"true",
           "The lowering tiles requantizations into their convolutions "
           "when it does not accumulate in scalars (as the lowering's "
           "option of that name)">,
  ];
  let statistics = [
    Statistic<"numCandidates", "candidates",
              "Candidate paths estimated (path, method, axes)">,
    Statistic<"numVerified", "verified",
              "Candidates tiled and planned on a copy">,
    Statistic<"numApplied", "applied", "Paths tiled">,
  ];
}

#endif // FUSEDTILING_TILING_PASSES
