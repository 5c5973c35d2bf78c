// Hand-written TOSA for the ft-auto-tile tests (see auto-tile.test).
func.func @flatten(%x: tensor<1x16x16x1xf32>) -> tensor<1x1x1x10xf32> {
  %w0 = "tosa.const"() <{values = dense<0.25> : tensor<16x3x3x1xf32>}> : () -> tensor<16x3x3x1xf32>
  %b0 = "tosa.const"() <{values = dense<0.5> : tensor<16xf32>}> : () -> tensor<16xf32>
  %w1 = "tosa.const"() <{values = dense<0.125> : tensor<10x1x1x4096xf32>}> : () -> tensor<10x1x1x4096xf32>
  %b1 = "tosa.const"() <{values = dense<-0.5> : tensor<10xf32>}> : () -> tensor<10xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c0 = tosa.conv2d %x, %w0, %b0, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x16x16x1xf32>, tensor<16x3x3x1xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x16x16xf32>
  %r = tosa.clamp %c0 {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  %shape = tosa.const_shape {values = dense<[1, 1, 1, 4096]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %flat = tosa.reshape %r, %shape : (tensor<1x16x16x16xf32>, !tosa.shape<4>) -> tensor<1x1x1x4096xf32>
  %fc = tosa.conv2d %flat, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x4096xf32>, tensor<10x1x1x4096xf32>, tensor<10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x10xf32>
  return %fc : tensor<1x1x1x10xf32>
}
