// Two convolutions with a ReLU between them, no layers: the payload of
// transform-ops.mlir's scripts.
func.func @main(%in: tensor<1x8x8x2xi32>) -> tensor<1x8x8x3xi32> {
  %zero = arith.constant 0 : i32
  %w0 = arith.constant dense<[[[[1, -2], [3, 1], [0, 2]], [[2, 1], [-1, 1], [1, 1]], [[1, 0], [2, -3], [1, 2]]], [[[0, 1], [1, 1], [2, 0]], [[1, -1], [1, 2], [0, 1]], [[3, 1], [1, 0], [-2, 1]]], [[[1, 1], [0, 1], [1, -1]], [[2, 2], [1, 0], [0, 1]], [[1, 3], [-1, 1], [1, 1]]], [[[2, 0], [1, 1], [0, 1]], [[1, 1], [2, -1], [1, 0]], [[0, 1], [1, 1], [3, 2]]]]> : tensor<4x3x3x2xi32>
  %w1 = arith.constant dense<[[[[1, 2, -1, 0]]], [[[0, 1, 1, 2]]], [[[2, -1, 0, 1]]]]> : tensor<3x1x1x4xi32>
  %p = tensor.pad %in low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : i32
  } : tensor<1x8x8x2xi32> to tensor<1x10x10x2xi32>
  %e0 = tensor.empty() : tensor<1x8x8x4xi32>
  %f0 = linalg.fill ins(%zero : i32) outs(%e0 : tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32>
  %c0 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w0 : tensor<1x10x10x2xi32>, tensor<4x3x3x2xi32>) outs(%f0 : tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi32>
  %e1 = tensor.empty() : tensor<1x8x8x4xi32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c0 : tensor<1x8x8x4xi32>) outs(%e1 : tensor<1x8x8x4xi32>) {
  ^bb0(%x: i32, %o: i32):
    %m = arith.maxsi %x, %zero : i32
    linalg.yield %m : i32
  } -> tensor<1x8x8x4xi32>
  %e2 = tensor.empty() : tensor<1x8x8x3xi32>
  %f2 = linalg.fill ins(%zero : i32) outs(%e2 : tensor<1x8x8x3xi32>) -> tensor<1x8x8x3xi32>
  %c1 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%relu, %w1 : tensor<1x8x8x4xi32>, tensor<3x1x1x4xi32>) outs(%f2 : tensor<1x8x8x3xi32>) -> tensor<1x8x8x3xi32>
  return %c1 : tensor<1x8x8x3xi32>
}
