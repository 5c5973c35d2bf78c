// RUN: ft-opt %s --split-input-file --ft-decompose-transpose-conv | FileCheck %s

// Unit stride: a convolution with the filter reversed, padded by KH-1+out_pad
// (negative out_pad from TFLite's SAME padding trims a row and a column).
// CHECK-LABEL: func.func @unit_stride
// CHECK: %[[R1:.*]] = tosa.reverse %arg1 {axis = 1 : i32}
// CHECK: %[[R2:.*]] = tosa.reverse %[[R1]] {axis = 2 : i32}
// CHECK: tosa.conv2d %arg0, %[[R2]], %arg2
// CHECK-SAME: pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>
// CHECK-NOT: tosa.transpose_conv2d
func.func @unit_stride(%x: tensor<1x4x4x2xi8>, %w: tensor<3x3x3x2xi8>, %b: tensor<3xi32>) -> tensor<1x4x4x3xi32> {
  %izp = "tosa.const"() <{values = dense<-3> : tensor<1xi8>}> : () -> tensor<1xi8>
  %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %0 = tosa.transpose_conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, out_pad = array<i64: -1, -1, -1, -1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x3xi32>
  return %0 : tensor<1x4x4x3xi32>
}

// -----

// Stride 2 on 16x8: the 3x3 filter padded to 4x4 with its own (i8) zero
// point (upstream would pad it with an i16 value: invalid IR), then a
// convolution with stride*stride times the output channels on the i48
// accumulator, its result put in place, sliced from row and column 1
// (out_pad -1) and the bias added.
// CHECK-LABEL: func.func @strided_int16
// CHECK-DAG: %[[START:.*]] = tosa.const_shape {values = dense<[0, 1, 1, 0]> : tensor<4xindex>}
// CHECK-DAG: %[[WZP:.*]] = "tosa.const"() <{values = dense<0> : tensor<1xi8>}>
// CHECK: tosa.pad %arg1, %{{.*}}, %[[WZP]] : (tensor<3x3x3x2xi8>, !tosa.shape<8>, tensor<1xi8>) -> tensor<3x4x4x2xi8>
// CHECK: tosa.conv2d {{.*}} {acc_type = i48, {{.*}}stride = array<i64: 1, 1>} : {{.*}} -> tensor<1x5x5x12xi48>
// CHECK: tosa.transpose
// CHECK: tosa.slice %{{.*}}, %[[START]], %{{.*}} -> tensor<1x7x7x3xi48>
// CHECK: tosa.add {{.*}} -> tensor<1x7x7x3xi48>
// CHECK-NOT: tosa.transpose_conv2d
func.func @strided_int16(%x: tensor<1x4x4x2xi16>, %w: tensor<3x3x3x2xi8>, %b: tensor<3xi48>) -> tensor<1x7x7x3xi48> {
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi16>}> : () -> tensor<1xi16>
  %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %0 = tosa.transpose_conv2d %x, %w, %b, %izp, %wzp {acc_type = i48, out_pad = array<i64: -1, -1, -1, -1>, stride = array<i64: 2, 2>} : (tensor<1x4x4x2xi16>, tensor<3x3x3x2xi8>, tensor<3xi48>, tensor<1xi16>, tensor<1xi8>) -> tensor<1x7x7x3xi48>
  return %0 : tensor<1x7x7x3xi48>
}

// -----

// Only transposed convolutions are rewritten: 1x1 and depthwise convolutions
// (which tosa-optional-decompositions would turn into a matmul and a
// multiply) stay as they are.
// CHECK-LABEL: func.func @others_untouched
// CHECK: tosa.conv2d
// CHECK: tosa.depthwise_conv2d
func.func @others_untouched(%x: tensor<1x4x4x2xf32>, %w: tensor<3x1x1x2xf32>, %dw: tensor<1x1x2x1xf32>, %b: tensor<3xf32>, %db: tensor<2xf32>) -> (tensor<1x4x4x3xf32>, tensor<1x4x4x2xf32>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x1x1x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %1 = tosa.depthwise_conv2d %x, %dw, %db, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %0, %1 : tensor<1x4x4x3xf32>, tensor<1x4x4x2xf32>
}
