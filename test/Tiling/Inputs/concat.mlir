// Hand-written TOSA for the ft-auto-tile tests (see auto-tile.test).
func.func @concat(%x0: tensor<1x32x32x2xf32>) -> tensor<1x32x32x2xf32> {
  %wa = "tosa.const"() <{values = dense<0.25> : tensor<8x1x1x2xf32>}> : () -> tensor<8x1x1x2xf32>
  %wb = "tosa.const"() <{values = dense<-0.25> : tensor<8x3x3x2xf32>}> : () -> tensor<8x3x3x2xf32>
  %b8 = "tosa.const"() <{values = dense<0.5> : tensor<8xf32>}> : () -> tensor<8xf32>
  %w1 = "tosa.const"() <{values = dense<-0.5> : tensor<2x1x1x16xf32>}> : () -> tensor<2x1x1x16xf32>
  %b1 = "tosa.const"() <{values = dense<0.125> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %ws = "tosa.const"() <{values = dense<0.5> : tensor<2x3x3x2xf32>}> : () -> tensor<2x3x3x2xf32>
  %bs = "tosa.const"() <{values = dense<0.25> : tensor<2xf32>}> : () -> tensor<2xf32>
  %s = tosa.conv2d %x0, %ws, %bs, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x32x32x2xf32>, tensor<2x3x3x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x32x32x2xf32>
  %x = tosa.clamp %s {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x32x32x2xf32>) -> tensor<1x32x32x2xf32>
  %a = tosa.conv2d %x, %wa, %b8, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x32x32x2xf32>, tensor<8x1x1x2xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x32x32x8xf32>
  %b = tosa.conv2d %x, %wb, %b8, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x32x32x2xf32>, tensor<8x3x3x2xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x32x32x8xf32>
  %c = tosa.concat %a, %b {axis = 3 : i32} : (tensor<1x32x32x8xf32>, tensor<1x32x32x8xf32>) -> tensor<1x32x32x16xf32>
  %c1 = tosa.conv2d %c, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x32x32x16xf32>, tensor<2x1x1x16xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x32x32x2xf32>
  return %c1 : tensor<1x32x32x2xf32>
}
