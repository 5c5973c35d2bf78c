// prime= (priming tiles) where it does not apply: without line buffers
// (windows=cache) no value runs ahead of its readers. Refused before any
// rewrite.
// RUN: ft-opt %s --ft-tile-path="method=ffmt first=a last=b tiles=2 windows=share prime=2" -verify-diagnostics

func.func @share(%x: tensor<1x4x4x2xf32>, %w: tensor<2x3x3x2xf32>) -> tensor<1x2x2x2xf32> {
  %e = tensor.empty() : tensor<1x4x4x2xf32>
  %a = linalg.exp {ft.layers = [#ft.layer<"a">]} ins(%x : tensor<1x4x4x2xf32>) outs(%e : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %zero = arith.constant 0.0 : f32
  %o = tensor.empty() : tensor<1x2x2x2xf32>
  %z = linalg.fill ins(%zero : f32) outs(%o : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  // expected-error@+1 {{'linalg.conv_2d_nhwc_fhwc' (layer 'b'): prime=2: priming tiles advance line buffers; they need ffmt with windows=cache and a count of 0 or more}}
  %b = linalg.conv_2d_nhwc_fhwc {ft.layers = [#ft.layer<"b">]} ins(%a, %w : tensor<1x4x4x2xf32>, tensor<2x3x3x2xf32>) outs(%z : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %b : tensor<1x2x2x2xf32>
}
