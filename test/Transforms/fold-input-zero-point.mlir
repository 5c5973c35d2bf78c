// RUN: ft-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ft-fold-input-zero-point))' | FileCheck %s

// A quantized convolution with constant weights and zero points (input 5,
// weights 0), its input padded with the input zero point: the plain
// convolution into the bias minus 5 x each output channel's weight sum
// (channel 0: 1+2+3+4 = 10 -> 50; channel 1: -1-1-1-1 = -4 -> -20).
// CHECK-LABEL: func.func @conv
// CHECK: %[[PADDED:.*]] = tensor.pad
// CHECK: %[[CORRECTION:.*]] = arith.constant dense<[50, -20]> : tensor<2xi32>
// CHECK: %[[START:.*]] = linalg.generic {{.*}} ins(%[[BIAS:.*]], %[[CORRECTION]] : tensor<1x6x4x2xi32>, tensor<2xi32>)
// CHECK: arith.subi
// CHECK: linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[PADDED]], %{{.*}} : tensor<1x6x5x2xi8>, tensor<2x1x2x2xi8>) outs(%[[START]] : tensor<1x6x4x2xi32>)
// CHECK-NOT: conv_2d_nhwc_fhwc_q
#bias = affine_map<(d0, d1, d2, d3) -> (d3)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @conv(%x: tensor<1x4x4x2xi8>, %b: tensor<2xi32>) -> tensor<1x6x4x2xi32> {
  %w = arith.constant dense<[[[[1, 2], [3, 4]]], [[[-1, -1], [-1, -1]]]]> : tensor<2x1x2x2xi8>
  %zx = arith.constant 5 : i32
  %zw = arith.constant 0 : i32
  %pad = arith.constant 5 : i8
  %padded = tensor.pad %x low[0, 1, 0, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %pad : i8
  } : tensor<1x4x4x2xi8> to tensor<1x6x5x2xi8>
  %e = tensor.empty() : tensor<1x6x4x2xi32>
  %bias = linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<2xi32>) outs(%e : tensor<1x6x4x2xi32>) {
  ^bb0(%in: i32, %out: i32):
    linalg.yield %in : i32
  } -> tensor<1x6x4x2xi32>
  %r = linalg.conv_2d_nhwc_fhwc_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%padded, %w, %zx, %zw : tensor<1x6x5x2xi8>, tensor<2x1x2x2xi8>, i32, i32) outs(%bias : tensor<1x6x4x2xi32>) -> tensor<1x6x4x2xi32>
  return %r : tensor<1x6x4x2xi32>
}

// -----

// Padded with another value than the zero point: the rewrite would add
// 7 x w where the op adds 2 x w. Left alone.
// CHECK-LABEL: func.func @other_padding
// CHECK: linalg.conv_2d_nhwc_fhwc_q
func.func @other_padding(%x: tensor<1x4x4x1xi8>, %init: tensor<1x4x4x1xi32>) -> tensor<1x4x4x1xi32> {
  %w = arith.constant dense<1> : tensor<1x3x3x1xi8>
  %zx = arith.constant 5 : i32
  %zw = arith.constant 0 : i32
  %pad = arith.constant 7 : i8
  %padded = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %pad : i8
  } : tensor<1x4x4x1xi8> to tensor<1x6x6x1xi8>
  %zero = arith.constant 0 : i32
  %fill = linalg.fill ins(%zero : i32) outs(%init : tensor<1x4x4x1xi32>) -> tensor<1x4x4x1xi32>
  %r = linalg.conv_2d_nhwc_fhwc_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%padded, %w, %zx, %zw : tensor<1x6x6x1xi8>, tensor<1x3x3x1xi8>, i32, i32) outs(%fill : tensor<1x4x4x1xi32>) -> tensor<1x4x4x1xi32>
  return %r : tensor<1x4x4x1xi32>
}

// -----

// Left alone too: a weight zero point, weights that are not constant, and
// an initial value carried in (partial sums would each subtract it).
// CHECK-LABEL: func.func @not_foldable
// CHECK-COUNT-3: linalg.conv_2d_nhwc_fhwc_q
func.func @not_foldable(%x: tensor<1x4x4x1xi8>, %wv: tensor<1x1x1x1xi8>, %acc: tensor<1x4x4x1xi32>) -> (tensor<1x4x4x1xi32>, tensor<1x4x4x1xi32>, tensor<1x4x4x1xi32>) {
  %w = arith.constant dense<1> : tensor<1x1x1x1xi8>
  %zx = arith.constant 5 : i32
  %zw = arith.constant 0 : i32
  %zw3 = arith.constant 3 : i32
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x4x4x1xi32>
  %fill = linalg.fill ins(%zero : i32) outs(%e : tensor<1x4x4x1xi32>) -> tensor<1x4x4x1xi32>
  %a = linalg.conv_2d_nhwc_fhwc_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w, %zx, %zw3 : tensor<1x4x4x1xi8>, tensor<1x1x1x1xi8>, i32, i32) outs(%fill : tensor<1x4x4x1xi32>) -> tensor<1x4x4x1xi32>
  %b = linalg.conv_2d_nhwc_fhwc_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %wv, %zx, %zw : tensor<1x4x4x1xi8>, tensor<1x1x1x1xi8>, i32, i32) outs(%fill : tensor<1x4x4x1xi32>) -> tensor<1x4x4x1xi32>
  %c = linalg.conv_2d_nhwc_fhwc_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w, %zx, %zw : tensor<1x4x4x1xi8>, tensor<1x1x1x1xi8>, i32, i32) outs(%acc : tensor<1x4x4x1xi32>) -> tensor<1x4x4x1xi32>
  return %a, %b, %c : tensor<1x4x4x1xi32>, tensor<1x4x4x1xi32>, tensor<1x4x4x1xi32>
}

// -----

// A depthwise convolution: one sum per (channel, multiplier), weights
// [KH, KW, C, M] = 2 x 1 x 2 x 1: channel 0 sums 1 + 3, channel 1 2 + 4;
// input zero point -128.
// CHECK-LABEL: func.func @depthwise
// CHECK-DAG: arith.constant dense<{{\[}}[-512], [-768]]> : tensor<2x1xi32>
// CHECK: linalg.depthwise_conv_2d_nhwc_hwcm {{.*}} outs(%{{.*}} : tensor<1x3x4x2x1xi32>)
func.func @depthwise(%x: tensor<1x4x4x2xi8>) -> tensor<1x3x4x2x1xi32> {
  %w = arith.constant dense<[[[[1], [2]]], [[[3], [4]]]]> : tensor<2x1x2x1xi8>
  %zx = arith.constant -128 : i32
  %zw = arith.constant 0 : i32
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x3x4x2x1xi32>
  %fill = linalg.fill ins(%zero : i32) outs(%e : tensor<1x3x4x2x1xi32>) -> tensor<1x3x4x2x1xi32>
  %r = linalg.depthwise_conv_2d_nhwc_hwcm_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w, %zx, %zw : tensor<1x4x4x2xi8>, tensor<2x1x2x1xi8>, i32, i32) outs(%fill : tensor<1x3x4x2x1xi32>) -> tensor<1x3x4x2x1xi32>
  return %r : tensor<1x3x4x2x1xi32>
}

// -----

// The bias a constant broadcast (as the importer writes it): the bias minus
// the correction becomes one constant, broadcast the same way, and nothing
// is subtracted at run time (bias [100, 7], correction [50, -20]).
// CHECK-LABEL: func.func @constant_bias
// CHECK: %[[FOLDED:.*]] = arith.constant dense<[50, 27]> : tensor<2xi32>
// CHECK: %[[START:.*]] = linalg.generic {{.*}} ins(%[[FOLDED]] : tensor<2xi32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: linalg.yield
// CHECK-NOT: arith.subi
// CHECK: linalg.conv_2d_nhwc_fhwc {{.*}} outs(%[[START]] : tensor<1x4x3x2xi32>)
#bias = affine_map<(d0, d1, d2, d3) -> (d3)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @constant_bias(%x: tensor<1x4x4x2xi8>) -> tensor<1x4x3x2xi32> {
  %w = arith.constant dense<[[[[1, 2], [3, 4]]], [[[-1, -1], [-1, -1]]]]> : tensor<2x1x2x2xi8>
  %b = arith.constant dense<[100, 7]> : tensor<2xi32>
  %zx = arith.constant 5 : i32
  %zw = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x4x3x2xi32>
  %bias = linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<2xi32>) outs(%e : tensor<1x4x3x2xi32>) {
  ^bb0(%in: i32, %out: i32):
    linalg.yield %in : i32
  } -> tensor<1x4x3x2xi32>
  %r = linalg.conv_2d_nhwc_fhwc_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w, %zx, %zw : tensor<1x4x4x2xi8>, tensor<2x1x2x2xi8>, i32, i32) outs(%bias : tensor<1x4x3x2xi32>) -> tensor<1x4x3x2xi32>
  return %r : tensor<1x4x3x2xi32>
}
