//===- ElementRangesTest.cpp - Integer bounds of values and tensors -------===//
//
// Bounds computed by hand from the IR: an int8 convolution-like reduction
// (bias + 4 taps of (x + 128) * w), a pad, the high half of a product, and
// what nothing bounds.
//
//===----------------------------------------------------------------------===//

#include "FusedTiling/Support/ElementRanges.h"
#include "FusedTiling/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {

constexpr const char *kModule = R"mlir(
#x = affine_map<(n, k, f) -> (n, k)>
#w = affine_map<(n, k, f) -> (f, k)>
#o = affine_map<(n, k, f) -> (n, f)>
#id = affine_map<(n, f) -> (n, f)>
#ch = affine_map<(n, f) -> (f)>
func.func @main(%x: tensor<3x4xi8>, %any: tensor<3x2xi32>)
    -> (tensor<3x2xi32>, tensor<3x4xi8>, tensor<3x2xi32>, tensor<3x2xi32>) {
  %w = arith.constant dense<[[127, -128, 5, 6], [1, 2, 3, -4]]> : tensor<2x4xi8>
  %float = arith.constant 1.0 : f32
  %bias = arith.constant dense<[1000, -2000]> : tensor<2xi32>
  %zp = arith.constant -128 : i32
  %pad = arith.constant 100 : i8
  %m = arith.constant 1073741824 : i32
  %e = tensor.empty() : tensor<3x2xi32>
  %init = linalg.generic {indexing_maps = [#ch, #id], iterator_types = ["parallel", "parallel"]} ins(%bias : tensor<2xi32>) outs(%e : tensor<3x2xi32>) {
  ^bb0(%b: i32, %out: i32):
    linalg.yield %b : i32
  } -> tensor<3x2xi32>
  %acc = linalg.generic {indexing_maps = [#x, #w, #o], iterator_types = ["parallel", "reduction", "parallel"]} ins(%x, %w : tensor<3x4xi8>, tensor<2x4xi8>) outs(%init : tensor<3x2xi32>) {
  ^bb0(%a: i8, %b: i8, %out: i32):
    %a32 = arith.extsi %a : i8 to i32
    %az = arith.subi %a32, %zp : i32
    %b32 = arith.extsi %b : i8 to i32
    %p = arith.muli %az, %b32 : i32
    %s = arith.addi %out, %p : i32
    linalg.yield %s : i32
  } -> tensor<3x2xi32>
  %small = arith.constant dense<[[1, 2, 3, 4]]> : tensor<1x4xi8>
  %padded = tensor.pad %small low[1, 0] high[1, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %pad : i8
  } : tensor<1x4xi8> to tensor<3x4xi8>
  %high = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%acc : tensor<3x2xi32>) outs(%e : tensor<3x2xi32>) {
  ^bb0(%v: i32, %out: i32):
    %lo, %hi = arith.mulsi_extended %v, %m : i32
    linalg.yield %hi : i32
  } -> tensor<3x2xi32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%any, %acc : tensor<3x2xi32>, tensor<3x2xi32>) outs(%e : tensor<3x2xi32>) {
  ^bb0(%a: i32, %b: i32, %out: i32):
    %s = arith.addi %a, %b : i32
    linalg.yield %s : i32
  } -> tensor<3x2xi32>
  return %acc, %padded, %high, %sum : tensor<3x2xi32>, tensor<3x4xi8>, tensor<3x2xi32>, tensor<3x2xi32>
}
)mlir";

class ElementRangesTest : public ::testing::Test {
protected:
  ElementRangesTest() : context(makeRegistry()) {
    context.loadAllAvailableDialects();
  }
  static DialectRegistry makeRegistry() {
    DialectRegistry registry;
    ft::registerCompilerDialects(registry);
    return registry;
  }
  MLIRContext context;
};

TEST_F(ElementRangesTest, BoundsWhatTheIRBounds) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kModule, &context);
  ASSERT_TRUE(module);
  auto main = module->lookupSymbol<func::FuncOp>("main");
  ASSERT_TRUE(main);
  Operation *ret = main.getBody().front().getTerminator();
  ft::ElementRanges ranges;
  auto bounds = [&](Value value) {
    std::optional<ConstantIntRanges> range = ranges.get(value);
    EXPECT_TRUE(range);
    return std::make_pair(range->smin().getSExtValue(),
                          range->smax().getSExtValue());
  };
  // (x + 128) in [0, 255] times w in [-128, 127]: each of the 4 taps in
  // [-32640, 32385]; plus a bias in [-2000, 1000].
  EXPECT_EQ(
      bounds(ret->getOperand(0)),
      std::make_pair(int64_t(-2000 - 4 * 32640), int64_t(1000 + 4 * 32385)));
  // A constant in [1, 4] padded with 100.
  EXPECT_EQ(bounds(ret->getOperand(1)),
            std::make_pair(int64_t(1), int64_t(100)));
  // The high half of v * 2^30: v >> 2, rounded down.
  EXPECT_EQ(bounds(ret->getOperand(2)),
            std::make_pair(int64_t(-(2000 + 4 * 32640) / 4),
                           int64_t((1000 + 4 * 32385) / 4)));
  // Plus an argument that may hold any i32: anything.
  EXPECT_EQ(bounds(ret->getOperand(3)),
            std::make_pair(int64_t(INT32_MIN), int64_t(INT32_MAX)));
  // The weights, row-major.
  Value weights = main.getBody().front().front().getResult(0);
  EXPECT_EQ(ft::getConstantIntValues(weights),
            (SmallVector<int64_t>{127, -128, 5, 6, 1, 2, 3, -4}));
  // Floats have none.
  Value floatValue = (++main.getBody().front().begin())->getResult(0);
  EXPECT_FALSE(ranges.get(floatValue));
}

} // namespace
