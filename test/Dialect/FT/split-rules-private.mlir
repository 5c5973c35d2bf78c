// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-test-split-rules{axis=1 lo=0 hi=2}))' -verify-diagnostics

// Empty tensors and fills belong to the layer that uses them: a tile reads
// none of their operands.
func.func @fill() -> tensor<1x4x4x2xi32> {
  %z = arith.constant 0 : i32
  // expected-remark @below {{rows [0, 2) of axis 1 read: no operand; row 1 reads again:}}
  %e = tensor.empty() : tensor<1x4x4x2xi32>
  // expected-remark @below {{rows [0, 2) of axis 1 read: operand 0 none, operand 1 none; row 1 reads again: 0 0}}
  %f = linalg.fill ins(%z : i32) outs(%e : tensor<1x4x4x2xi32>) -> tensor<1x4x4x2xi32>
  return %f : tensor<1x4x4x2xi32>
}

// -----

// A nearest-neighbour upsampling's gather: output rows 0 and 1 are input
// row 0 (its index table).
func.func @upsample(%x: tensor<1x4x4x2xi8>) -> tensor<1x8x4x2xi8> {
  // expected-remark @below {{rows [0, 2) of axis 1 read: operand 0 rows [0, 1); row 1 reads again: 0}}
  %up = ft.axis_gather %x axis 1 indices [0, 0, 1, 1, 2, 2, 3, 3] : tensor<1x4x4x2xi8> -> tensor<1x8x4x2xi8>
  return %up : tensor<1x8x4x2xi8>
}
