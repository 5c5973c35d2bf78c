// RUN: not ft-opt %s --split-input-file --ft-tile-path="method=ffmt first=neg last=pool axes=1 tiles=2" --mlir-print-op-on-diagnostic=false 2>%t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=MAX < %t.err
// A grid into a global sum pooling is refused: the tiles' partial sums
// would have to be split along both axes.
// RUN: not ft-opt %s --split-input-file --ft-tile-path="method=ffmt first=neg last=pool axes=1,2 tiles=2,2" --mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=GRID
// GRID: error: {{.*}}'linalg.pooling_nhwc_sum' (layer 'pool'): ffmt: a path that ends in a global pooling splits one axis (axes=1 or axes=2), not a grid

// A global sum pooling over the split rows: the tiles' partial sums add up.
// CHECK-LABEL: func.func @sum
// CHECK: ft.tile_block ffmt accumulate axis 1 [0, 3) [3, 6)
// CHECK: ft.partial_sum
// CHECK: ft.merge
func.func @sum(%in: tensor<1x6x4x2xf32>) -> tensor<1x1x4x2xf32> {
  %e = tensor.empty() : tensor<1x6x4x2xf32>
  %neg = linalg.negf {ft.layers = [#ft.layer<"neg">]} ins(%in : tensor<1x6x4x2xf32>) outs(%e : tensor<1x6x4x2xf32>) -> tensor<1x6x4x2xf32>
  %zero = arith.constant 0.0 : f32
  %window = tensor.empty() : tensor<6x1xf32>
  %o = tensor.empty() : tensor<1x1x4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%o : tensor<1x1x4x2xf32>) -> tensor<1x1x4x2xf32>
  %pool = linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, ft.layers = [#ft.layer<"pool">], strides = dense<1> : tensor<2xi64>} ins(%neg, %window : tensor<1x6x4x2xf32>, tensor<6x1xf32>) outs(%init : tensor<1x1x4x2xf32>) -> tensor<1x1x4x2xf32>
  return %pool : tensor<1x1x4x2xf32>
}

// -----

// A global max pooling is no sum: partial results cannot be added, so the
// path is refused (the output has one row), not accumulated.
// MAX: error: {{.*}}'linalg.pooling_nhwc_max' (layer 'pool'): ffmt: the path's last tensor has extent 1 on axis 1: nothing to split (only a global sum or average pooling at the end of a path takes partial results)
func.func @max(%in: tensor<1x6x4x2xf32>) -> tensor<1x1x4x2xf32> {
  %e = tensor.empty() : tensor<1x6x4x2xf32>
  %neg = linalg.negf {ft.layers = [#ft.layer<"neg">]} ins(%in : tensor<1x6x4x2xf32>) outs(%e : tensor<1x6x4x2xf32>) -> tensor<1x6x4x2xf32>
  %min = arith.constant 0xFF800000 : f32
  %window = tensor.empty() : tensor<6x1xf32>
  %o = tensor.empty() : tensor<1x1x4x2xf32>
  %init = linalg.fill ins(%min : f32) outs(%o : tensor<1x1x4x2xf32>) -> tensor<1x1x4x2xf32>
  %pool = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, ft.layers = [#ft.layer<"pool">], strides = dense<1> : tensor<2xi64>} ins(%neg, %window : tensor<1x6x4x2xf32>, tensor<6x1xf32>) outs(%init : tensor<1x1x4x2xf32>) -> tensor<1x1x4x2xf32>
  return %pool : tensor<1x1x4x2xf32>
}
