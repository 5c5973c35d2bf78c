// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-test-split-rules{axis=1 lo=1 hi=3}))' -verify-diagnostics

// Windows of linalg ops, from their indexing maps over the loops: output
// rows [1, 3) of a 3x3 convolution with stride 2 read input rows 2 .. 6;
// consecutive output rows share 3 - 2 = 1 input row. (The filter's kh rows
// are whole in every window: not a value of the path, the estimate skips
// them.) The accumulator is the tile's own.
func.func @strided_conv(%in: tensor<1x9x9x2xi8>, %w: tensor<4x3x3x2xi8>, %init: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-remark @below {{rows [1, 3) of axis 1 read: operand 0 rows [2, 7), operand 1 rows [0, 3), operand 2 none; row 1 reads again: 1 3 0}}
  %c = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%in, %w : tensor<1x9x9x2xi8>, tensor<4x3x3x2xi8>) outs(%init : tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32>
  return %c : tensor<1x4x4x4xi32>
}

// -----

// Dilation 2: a 3-tap window spans 5 rows, 4 of them read again.
func.func @dilated_conv(%in: tensor<1x8x8x2xi8>, %w: tensor<4x3x3x2xi8>, %init: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-remark @below {{rows [1, 3) of axis 1 read: operand 0 rows [1, 7), operand 1 rows [0, 3), operand 2 none; row 1 reads again: 4 3 0}}
  %c = linalg.conv_2d_nhwc_fhwc {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%in, %w : tensor<1x8x8x2xi8>, tensor<4x3x3x2xi8>) outs(%init : tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32>
  return %c : tensor<1x4x4x4xi32>
}

// -----

// A 2x2 pool with stride 2: windows side by side, none shared.
func.func @pool(%in: tensor<1x8x8x2xi8>, %init: tensor<1x4x4x2xi8>) -> tensor<1x4x4x2xi8> {
  // expected-remark @below {{rows [1, 2) of axis 1 read: no operand; row 1 reads again:}}
  %k = tensor.empty() : tensor<2x2xi8>
  // expected-remark @below {{rows [1, 3) of axis 1 read: operand 0 rows [2, 6), operand 1 rows [0, 2), operand 2 none; row 1 reads again: 0 2 0}}
  %p = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%in, %k : tensor<1x8x8x2xi8>, tensor<2x2xi8>) outs(%init : tensor<1x4x4x2xi8>) -> tensor<1x4x4x2xi8>
  return %p : tensor<1x4x4x2xi8>
}

// -----

// A per-channel bias has no rows: every tile reads it whole (a path value
// read so cannot be split).
#bias = affine_map<(d0, d1, d2, d3) -> (d3)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @bias_add(%x: tensor<1x4x4x2xi32>, %b: tensor<2xi32>, %init: tensor<1x4x4x2xi32>) -> tensor<1x4x4x2xi32> {
  // expected-remark @below {{rows [1, 3) of axis 1 read: operand 0 rows [1, 3), operand 1 whole, operand 2 none; row 1 reads again: 0 0 0}}
  %r = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %b : tensor<1x4x4x2xi32>, tensor<2xi32>) outs(%init : tensor<1x4x4x2xi32>) {
  ^bb0(%a: i32, %c: i32, %o: i32):
    %s = arith.addi %a, %c : i32
    linalg.yield %s : i32
  } -> tensor<1x4x4x2xi32>
  return %r : tensor<1x4x4x2xi32>
}

// -----

// A sum over a dynamic number of rows: with a loop's range unknown the
// windows are too, and no split passes.
#in = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#out = affine_map<(d0, d1, d2) -> (d0, d2)>
func.func @dynamic_rows_sum(%x: tensor<1x?x2xi32>, %init: tensor<1x2xi32>) -> tensor<1x2xi32> {
  // expected-remark @below {{rows [1, 2) of axis 1 read: cannot split}}
  %r = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction", "parallel"]} ins(%x : tensor<1x?x2xi32>) outs(%init : tensor<1x2xi32>) {
  ^bb0(%a: i32, %o: i32):
    %s = arith.addi %a, %o : i32
    linalg.yield %s : i32
  } -> tensor<1x2xi32>
  return %r : tensor<1x2xi32>
}
