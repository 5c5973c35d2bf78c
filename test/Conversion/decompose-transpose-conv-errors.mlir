// RUN: ft-opt %s --ft-decompose-transpose-conv -verify-diagnostics -split-input-file

// Upstream's strided decomposition needs static shapes: the op left over is
// refused here, at the op, rather than by tosa-to-linalg's "failed to
// legalize" later.
func.func @dynamic(%x: tensor<1x?x4x2xf32>, %w: tensor<3x3x3x2xf32>, %b: tensor<3xf32>) -> tensor<1x?x8x3xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-error @+1 {{could not be decomposed into a convolution}}
  %0 = tosa.transpose_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, out_pad = array<i64: 0, -1, 0, -1>, stride = array<i64: 2, 2>} : (tensor<1x?x4x2xf32>, tensor<3x3x3x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x?x8x3xf32>
  return %0 : tensor<1x?x8x3xf32>
}
