//===- FTTransformOps.cpp - Transform dialect ops for fused tiling --------===//

#include "FusedTiling/Dialect/FT/TransformOps/FTTransformOps.h"

#include "FusedTiling/Dialect/FT/Transforms/Tiling.h"
#include "FusedTiling/Tiling/Passes.h"

#include "mlir/Dialect/Transform/IR/TransformTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;

#define GET_OP_CLASSES
#include "FusedTiling/Dialect/FT/TransformOps/FTTransformOps.cpp.inc"

//===----------------------------------------------------------------------===//
// FTTilePathOp
//===----------------------------------------------------------------------===//

LogicalResult transform::FTTilePathOp::verify() {
  if (!ft::parseWindowMode(getWindows()))
    return emitOpError("windows must be recompute, share or cache, not '")
           << getWindows() << "'";
  if (getTiles().empty() ||
      llvm::any_of(getTiles(), [](int64_t tiles) { return tiles < 1; }))
    return emitOpError("tiles must give a positive count per axis");
  if (getMethod() == ft::TilingMethod::FDT) {
    if (getTiles().size() != 1)
      return emitOpError("fdt takes one tile count (channel tiles)");
    return success();
  }
  if (getAxes().size() != getTiles().size())
    return emitOpError("ffmt takes one tile count per axis: ")
           << getAxes().size() << " axes, " << getTiles().size()
           << " tile counts";
  if (llvm::any_of(getAxes(),
                   [](int64_t axis) { return axis != 1 && axis != 2; }))
    return emitOpError("ffmt axes are 1 (rows) and 2 (columns)");
  return success();
}

DiagnosedSilenceableFailure
transform::FTTilePathOp::apply(transform::TransformRewriter &rewriter,
                               transform::TransformResults &results,
                               transform::TransformState &state) {
  SmallVector<Operation *> firsts =
      llvm::to_vector(state.getPayloadOps(getFirst()));
  SmallVector<Operation *> lasts =
      llvm::to_vector(state.getPayloadOps(getLast()));
  if (firsts.size() != 1 || lasts.size() != 1)
    return emitDefiniteFailure()
           << "expects first and last to point to one op each, got "
           << firsts.size() << " and " << lasts.size();
  ft::TilingOptions options;
  options.method = getMethod();
  options.axes.assign(getAxes().begin(), getAxes().end());
  options.tiles.assign(getTiles().begin(), getTiles().end());
  options.windows = *ft::parseWindowMode(getWindows());
  options.prime = getPrime();
  options.steps = getSteps();
  // ft::tilePath says why it refuses as an error at the offending op: that
  // becomes this op's failure, with a note there.
  std::string reason;
  std::optional<Location> where;
  FailureOr<ft::TileBlockOp> block;
  {
    ScopedDiagnosticHandler handler(getContext(), [&](Diagnostic &diag) {
      if (diag.getSeverity() != DiagnosticSeverity::Error || where)
        return failure();
      reason = diag.str();
      where = diag.getLocation();
      return success();
    });
    block = ft::tilePath(rewriter, firsts.front(), lasts.front(), options);
  }
  if (failed(block)) {
    DiagnosedDefiniteFailure failure = emitDefiniteFailure()
                                       << "cannot tile the path: " << reason;
    if (where)
      failure.attachNote(*where) << "here";
    return failure;
  }
  results.set(cast<OpResult>(getTileBlock()), {block->getOperation()});
  return DiagnosedSilenceableFailure::success();
}

//===----------------------------------------------------------------------===//
// FTAutoTileOp
//===----------------------------------------------------------------------===//

LogicalResult transform::FTAutoTileOp::verify() {
  if (getMacBudget().convertToDouble() < 0)
    return emitOpError("mac_budget is a percentage: 0 or more");
  return success();
}

DiagnosedSilenceableFailure
transform::FTAutoTileOp::apply(transform::TransformRewriter &rewriter,
                               transform::TransformResults &results,
                               transform::TransformState &state) {
  SmallVector<Operation *> modules;
  for (Operation *target : state.getPayloadOps(getTarget())) {
    auto module = dyn_cast<ModuleOp>(target);
    if (!module)
      return emitDefiniteFailure() << "expects a handle to modules, got '"
                                   << target->getName() << "'";
    // The pass rewrites all of the module: not the script being run.
    if (module->isAncestor(getOperation()))
      return emitDefiniteFailure()
             << "the module holds this transform script: auto-tile a module "
                "apart from it (a nested module, or the script preloaded as "
                "a library)";
    // The pass is the implementation: its discovery, estimates and
    // verification by the planner (like transform.apply_registered_pass,
    // with the option typed).
    PassManager pm(getContext(), ModuleOp::getOperationName());
    ft::FTAutoTileOptions options;
    options.macBudget = getMacBudget().convertToDouble();
    pm.addPass(ft::createFTAutoTile(options));
    if (failed(pm.run(module)))
      return emitDefiniteFailure() << "automatic tiling failed";
    modules.push_back(module);
  }
  results.set(cast<OpResult>(getTransformed()), modules);
  return DiagnosedSilenceableFailure::success();
}

//===----------------------------------------------------------------------===//
// Extension
//===----------------------------------------------------------------------===//

namespace {
class FTTransformDialectExtension
    : public transform::TransformDialectExtension<FTTransformDialectExtension> {
public:
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(FTTransformDialectExtension)

  void init() {
    declareDependentDialect<ft::FTDialect>();
    registerTransformOps<
#define GET_OP_LIST
#include "FusedTiling/Dialect/FT/TransformOps/FTTransformOps.cpp.inc"
        >();
  }
};
} // namespace

void ft::registerTransformDialectExtension(DialectRegistry &registry) {
  registry.addExtensions<FTTransformDialectExtension>();
}
