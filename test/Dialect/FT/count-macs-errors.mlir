// RUN: ft-opt %s --ft-count-macs --split-input-file --verify-diagnostics

// Outside a tile block every loop range must be static to be counted.
func.func @dynamic(%a: tensor<?x16xf32>, %b: tensor<16x8xf32>, %c: tensor<?x8xf32>) -> tensor<?x8xf32> {
  // expected-error @+1 {{ft-count-macs: dynamic loop ranges outside a tile block}}
  %r = linalg.matmul ins(%a, %b : tensor<?x16xf32>, tensor<16x8xf32>) outs(%c : tensor<?x8xf32>) -> tensor<?x8xf32>
  return %r : tensor<?x8xf32>
}
