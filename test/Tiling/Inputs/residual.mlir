// Hand-written TOSA for the ft-auto-tile tests (see auto-tile.test).
func.func @residual(%x: tensor<1x32x32x2xf32>) -> tensor<1x32x32x2xf32> {
  %w0 = "tosa.const"() <{values = dense<0.25> : tensor<16x3x3x2xf32>}> : () -> tensor<16x3x3x2xf32>
  %b0 = "tosa.const"() <{values = dense<0.5> : tensor<16xf32>}> : () -> tensor<16xf32>
  %w1 = "tosa.const"() <{values = dense<-0.5> : tensor<2x1x1x16xf32>}> : () -> tensor<2x1x1x16xf32>
  %b1 = "tosa.const"() <{values = dense<0.125> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c0 = tosa.conv2d %x, %w0, %b0, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x32x32x2xf32>, tensor<16x3x3x2xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x32x32x16xf32>
  %r = tosa.clamp %c0 {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x32x32x16xf32>) -> tensor<1x32x32x16xf32>
  %c1 = tosa.conv2d %r, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x32x32x16xf32>, tensor<2x1x1x16xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x32x32x2xf32>
  %s = tosa.add %c1, %x : (tensor<1x32x32x2xf32>, tensor<1x32x32x2xf32>) -> tensor<1x32x32x2xf32>
  return %s : tensor<1x32x32x2xf32>
}
