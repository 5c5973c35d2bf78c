// A MobileNetV2 block in float: 1x1 expansion from 4 to 24 channels, 3x3
// depthwise, 1x1 projection back to 4 (layers expand, dw, project).
func.func @expand_project(%x: tensor<1x16x16x4xf32>) -> tensor<1x16x16x4xf32> {
  %we = "tosa.const"() <{values = dense<0.25> : tensor<24x1x1x4xf32>}> : () -> tensor<24x1x1x4xf32>
  %be = "tosa.const"() <{values = dense<0.125> : tensor<24xf32>}> : () -> tensor<24xf32>
  %wd = "tosa.const"() <{values = dense<-0.5> : tensor<3x3x24x1xf32>}> : () -> tensor<3x3x24x1xf32>
  %wp = "tosa.const"() <{values = dense<0.75> : tensor<4x1x1x24xf32>}> : () -> tensor<4x1x1x24xf32>
  %bp = "tosa.const"() <{values = dense<-0.25> : tensor<4xf32>}> : () -> tensor<4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %e = tosa.conv2d %x, %we, %be, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"expand">]} : (tensor<1x16x16x4xf32>, tensor<24x1x1x4xf32>, tensor<24xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x16x24xf32>
  %d = tosa.depthwise_conv2d %e, %wd, %be, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"dw">]} : (tensor<1x16x16x24xf32>, tensor<3x3x24x1xf32>, tensor<24xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x16x24xf32>
  %p = tosa.conv2d %d, %wp, %bp, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, ft.layers = [#ft.layer<"project">]} : (tensor<1x16x16x24xf32>, tensor<4x1x1x24xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x16x16x4xf32>
  return %p : tensor<1x16x16x4xf32>
}
