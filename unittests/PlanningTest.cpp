//===- PlanningTest.cpp - The arena query against ft-plan-arena -----------===//

#include "FusedTiling/Dialect/FT/Transforms/Tiling.h"
#include "FusedTiling/InitAll.h"
#include "FusedTiling/Pipelines/Pipelines.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {

// conv 3x3 (2 -> 16 channels) -> ReLU -> conv 1x1 (16 -> 3), on i32.
constexpr const char *kChain = R"mlir(
func.func @main(%in: tensor<1x8x8x2xi32>) -> tensor<1x8x8x3xi32> {
  %zero = arith.constant 0 : i32
  %w0 = arith.constant dense<1> : tensor<16x3x3x2xi32>
  %w1 = arith.constant dense<2> : tensor<3x1x1x16xi32>
  %p = tensor.pad %in low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : i32
  } : tensor<1x8x8x2xi32> to tensor<1x10x10x2xi32>
  %e0 = tensor.empty() : tensor<1x8x8x16xi32>
  %f0 = linalg.fill ins(%zero : i32) outs(%e0 : tensor<1x8x8x16xi32>) -> tensor<1x8x8x16xi32>
  %c0 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w0 : tensor<1x10x10x2xi32>, tensor<16x3x3x2xi32>) outs(%f0 : tensor<1x8x8x16xi32>) -> tensor<1x8x8x16xi32>
  %e1 = tensor.empty() : tensor<1x8x8x16xi32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c0 : tensor<1x8x8x16xi32>) outs(%e1 : tensor<1x8x8x16xi32>) {
  ^bb0(%x: i32, %o: i32):
    %m = arith.maxsi %x, %zero : i32
    linalg.yield %m : i32
  } -> tensor<1x8x8x16xi32>
  %e2 = tensor.empty() : tensor<1x8x8x3xi32>
  %f2 = linalg.fill ins(%zero : i32) outs(%e2 : tensor<1x8x8x3xi32>) -> tensor<1x8x8x3xi32>
  %c1 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%relu, %w1 : tensor<1x8x8x16xi32>, tensor<3x1x1x16xi32>) outs(%f2 : tensor<1x8x8x3xi32>) -> tensor<1x8x8x3xi32>
  return %c1 : tensor<1x8x8x3xi32>
}
)mlir";

class ArenaQuery : public ::testing::Test {
protected:
  ArenaQuery() : context(makeRegistry()) { context.loadAllAvailableDialects(); }
  static DialectRegistry makeRegistry() {
    DialectRegistry registry;
    ft::registerCompilerDialects(registry);
    return registry;
  }
  std::string print(ModuleOp module) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module.print(os);
    return text;
  }
  /// What the whole pipeline plans for @main.
  int64_t plannedArena(ModuleOp module,
                       const ft::LowerToLLVMOptions &options = {}) {
    OwningOpRef<ModuleOp> lowered(module.clone());
    PassManager pm(&context);
    if (failed(ft::buildLowerToLLVMPipeline(pm, options)) ||
        failed(pm.run(*lowered)))
      return -1;
    auto func = lowered->lookupSymbol<LLVM::LLVMFuncOp>("main");
    auto size = func ? func->getAttrOfType<IntegerAttr>("ft.arena_size")
                     : IntegerAttr();
    return size ? size.getInt() : -1;
  }
  MLIRContext context;
};

TEST_F(ArenaQuery, MatchesThePlanAndLeavesTheModule) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kChain, &context);
  ASSERT_TRUE(module);
  const std::string before = print(*module);
  auto measured = ft::measureArenas(*module);
  ASSERT_TRUE(succeeded(measured));
  ASSERT_EQ(measured->size(), 1u);
  EXPECT_EQ((*measured)[0].first, "main");
  EXPECT_EQ((*measured)[0].second.arenaBytes, plannedArena(*module));
  EXPECT_LE((*measured)[0].second.loadBytes,
            (*measured)[0].second.arenaBytes);
  EXPECT_EQ(print(*module), before);
}

TEST_F(ArenaQuery, SeesWhatTilingSaves) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kChain, &context);
  ASSERT_TRUE(module);
  // Without automatic tiling, which would tile the chain on its own.
  ft::LowerToLLVMOptions manual;
  manual.tiling = "none";
  auto untiled = ft::measureArenas(*module, manual);
  ASSERT_TRUE(succeeded(untiled));

  // FFMT over both convolutions, 4 row tiles, through the op-level API.
  auto func = module->lookupSymbol<func::FuncOp>("main");
  auto ends = ft::findPathOps(func, "@1", "@3");
  ASSERT_TRUE(succeeded(ends));
  ft::TilingOptions tiling;
  tiling.method = ft::TilingMethod::FFMT;
  tiling.axes = {1};
  tiling.tiles = {4};
  IRRewriter rewriter(&context);
  ASSERT_TRUE(succeeded(
      ft::tilePath(rewriter, ends->first, ends->second, tiling)));
  auto tiled = ft::measureArenas(*module, manual);
  ASSERT_TRUE(succeeded(tiled));
  EXPECT_EQ((*tiled)[0].second.arenaBytes, plannedArena(*module, manual));
  // The 1x8x8x16 intermediate (4,096 bytes) exists one tile at a time.
  EXPECT_LT((*tiled)[0].second.arenaBytes, (*untiled)[0].second.arenaBytes);
}

TEST_F(ArenaQuery, AutomaticTilingNeverGrowsTheArena) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kChain, &context);
  ASSERT_TRUE(module);
  ft::LowerToLLVMOptions none;
  none.tiling = "none";
  auto untiled = ft::measureArenas(*module, none);
  auto automatic = ft::measureArenas(*module);
  ASSERT_TRUE(succeeded(untiled) && succeeded(automatic));
  EXPECT_EQ((*automatic)[0].second.arenaBytes, plannedArena(*module));
  EXPECT_LT((*automatic)[0].second.arenaBytes,
            (*untiled)[0].second.arenaBytes);
}

} // namespace
